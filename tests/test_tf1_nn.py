"""tf1's tf.nn cross-entropies: TF 1.x's guard against positional labels and logits (TF
0.x's order was the other way round), otherwise TensorFlow's own functions."""
import numpy as np
import pytest
import tensorflow.compat.v1 as tf

from tf1 import nn_losses

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
