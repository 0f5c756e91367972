"""tf1's tf.nn cross-entropies: TF 1.x's guard against positional labels and logits (TF
0.x's order was the other way round), otherwise TensorFlow's own functions; and
tf.random_uniform built as TF 1.x built it, taking every shape TensorFlow's takes."""
import numpy as np
import pytest
import tensorflow.compat.v1 as tf

from tf1 import nn_losses, seeds

tf.disable_v2_behavior()

LOGITS = np.array([[4.0, 0.0, 0.0], [0.0, 1.0, -1.0]], np.float32)
ONE_HOT = np.array([[1.0, 0.0, 0.0], [0.0, 0.0, 1.0]], np.float32)


@pytest.mark.parametrize('name, labels', [
    ('softmax_cross_entropy_with_logits', ONE_HOT),
    ('sparse_softmax_cross_entropy_with_logits', np.array([0, 2])),
    ('sigmoid_cross_entropy_with_logits', ONE_HOT)])
def test_named_arguments_give_tensorflows_loss_and_positional_ones_tf1s_error(name, labels):
    guarded, original = getattr(nn_losses, name), getattr(tf.nn, name)
    with tf.Graph().as_default(), tf.Session() as sess:
        got, want = sess.run([guarded(labels=labels, logits=LOGITS),
                              original(labels=labels, logits=LOGITS)])
        np.testing.assert_array_equal(got, want)
        with pytest.raises(ValueError, match=r'Only call `%s` with named arguments '
                                             r'\(labels=\.\.\., logits=\.\.\.' % name):
            guarded(LOGITS, labels)  # TF 0.x's order
        with pytest.raises(ValueError, match='Both labels and logits must be provided'):
            guarded(logits=LOGITS)


def test_random_uniform_takes_any_shape_and_keeps_it_static():
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, [None, 5])
        static = seeds.random_uniform([3, x.get_shape()[1]], seed=1)  # a Dimension in it
        dynamic = seeds.random_uniform(tf.shape(x), seed=1)
        scalar = seeds.random_uniform([], seed=1)
        ints = seeds.random_uniform([4], maxval=10, dtype=tf.int32, seed=1)
        assert static.shape.as_list() == [3, 5] and scalar.shape.as_list() == []
        assert dynamic.shape.as_list() == [None, 5]
        # TF 1.x's ops: the shape, min and max before the draw, the arithmetic after.
        assert [op.type for op in tf.get_default_graph().get_operations()][1:8] == [
            'Const', 'Const', 'Const', 'RandomUniform', 'Sub', 'Mul', 'AddV2']
        with tf.Session() as sess:
            got = sess.run([static, dynamic, ints], {x: np.zeros([2, 5])})
        assert 0 <= got[0].min() and got[0].max() < 1 and got[1].shape == (2, 5)
        assert got[2].dtype == np.int32 and 0 <= got[2].min() and got[2].max() < 10
        with pytest.raises(ValueError, match='Must specify maxval for integer dtype'):
            seeds.random_uniform([2], dtype=tf.int32)
