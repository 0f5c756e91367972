"""tf1's tf.nn cross-entropies: TF 1.x's guard against positional labels and logits (TF
0.x's order was the other way round), otherwise TensorFlow's own functions; and
tf.random_uniform and tf.random_gamma built as TF 1.x built them, taking every shape
TensorFlow's take; softmax of any rank; TF 0.x's names and argument orders, refused in one
line saying what TF 1.0 made of them."""
import re

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


def test_random_gamma_keeps_alphas_known_dimensions_and_draws_what_tensorflows_draws():
    """ZhuSuan's Gamma, Beta and Dirichlet check sample().get_shape(): TF 1.x kept a
    size-1 dimension of a partly known alpha, TF 2.x's dynamic broadcast loses it."""
    with tf.Graph().as_default():
        alpha = tf.placeholder(tf.float32, [None, 1, 10])
        assert seeds.random_gamma([3], alpha).shape.as_list() == [3, None, 1, 10]
        assert seeds.random_gamma([3], alpha, beta=[[2.0]]).shape.as_list() == [
            3, None, 1, 10]
        # A beta of more dimensions broadcasts alpha, as TF 1.x's alpha + zeros_like(beta).
        wide = seeds.random_gamma([2], [[1.0], [3.0]], beta=[[1.0, 2.0]], seed=3)
        assert wide.shape.as_list() == [2, 2, 2]
        ours = seeds.random_gamma([5000], alpha, beta=2.0, seed=7)
        theirs = tf.random_gamma([5000], alpha, beta=2.0, seed=7)
        small = seeds.random_gamma([100], 1e-3, seed=1)
        with tf.Session() as sess:
            feed = {alpha: np.full([1, 1, 10], 4.0)}
            got, want, tiny = sess.run([ours, theirs, small], feed)
    np.testing.assert_allclose(got, want)  # the same kernel, seeds and scaling
    assert got.shape == (5000, 1, 1, 10) and abs(got.mean() - 2.0) < 0.05  # alpha / beta
    assert tiny.min() > 0  # never 0: the smallest float instead, as TF's


def test_concat_of_one_tensor_is_named_as_tf1_named_it():
    """TF-GAN's test feeds the result by name, `concat:0`; TF 2.x names it concat/concat."""
    from tf1 import op_names
    with tf.Graph().as_default():
        logits = tf.placeholder(tf.float32, [2])
        single = op_names.concat([logits], 0)
        assert single.name == 'concat:0'
        assert op_names.concat(logits, 0, name='joined').name == 'joined:0'
        pair = op_names.concat([logits, logits], 0)
        assert pair.name == 'concat_1:0' and pair.shape.as_list() == [4]
        with tf.Session() as sess:
            np.testing.assert_array_equal(
                sess.run(single, {'concat:0': [1.0, 2.0]}), [1.0, 2.0])
        with pytest.raises(ValueError):
            op_names.concat([logits], [0, 1])  # a scalar axis, as TF 1.x checked


def test_tf0_argument_orders_are_refused_with_the_tf1_call():
    """TF 0.x's tf.concat(dim, values), tf.split(dim, num, value) and tf.reverse's
    booleans, which TF 1.0 changed: one line each; the TF 1.x calls are TensorFlow's."""
    from tf1 import tf0_arguments, unsupported
    with tf.Graph().as_default():
        a = tf.constant([[1, 2], [3, 4]])
        for call, message in (
                (lambda: tf0_arguments.concat(1, [a, a]), r'tf\.concat\(values, axis\)'),
                (lambda: tf0_arguments.split(1, 2, a), r'tf\.split\(value, '),
                (lambda: tf0_arguments.reverse(a, [True, False]),
                 r"since TF 1\.0 \(\[0\] for TF 0\.x's \[True, False\]\)"),
                (lambda: tf0_arguments.reverse(a, np.array([False, True])), r'\(\[1\] for')):
            with pytest.raises(unsupported.UnsupportedUseError, match=message):
                call()
        with tf.Session() as sess:
            joined, halves, sizes, flipped, by_array = sess.run([
                tf0_arguments.concat([a, a], 1), tf0_arguments.split(a, 2, 1),
                tf0_arguments.split(a, [1, 1], axis=0), tf0_arguments.reverse(a, [0]),
                tf0_arguments.reverse(a, np.array([1]))])
    assert joined.tolist() == [[1, 2, 1, 2], [3, 4, 3, 4]]
    assert [h.tolist() for h in halves] == [[[1], [3]], [[2], [4]]]
    assert [s.tolist() for s in sizes] == [[[1, 2]], [[3, 4]]]
    assert flipped.tolist() == [[3, 4], [1, 2]] and by_array.tolist() == [[2, 1], [4, 3]]


def test_softmax_of_more_than_five_dimensions_as_tf1s_kernels_took_it():
    """TF 2.21's oneDNN kernels refuse rank 6 at run time (tensor2tensor's 2-D local
    attention); tf1 normalises its rows instead: the same numbers, gradients, shape."""
    from tf1 import softmax
    x = np.random.RandomState(0).randn(1, 2, 3, 2, 2, 4).astype(np.float32)

    def expected(axis):
        e = np.exp(x - x.max(axis=axis, keepdims=True))
        return e / e.sum(axis=axis, keepdims=True)

    with tf.Graph().as_default():
        logits = tf.constant(x)
        last, middle = softmax.softmax(logits), softmax.softmax(logits, axis=2)
        log, old_dim = softmax.log_softmax(logits), softmax.softmax(logits, dim=-1)
        small = softmax.softmax(tf.constant(x[0, 0]))  # 4-D: TensorFlow's own op
        gradient, = tf.gradients(tf.reduce_sum(middle * x), logits)
        assert last.name == 'Softmax:0' and log.name == 'LogSoftmax:0'
        assert small.op.type == 'Softmax' and middle.shape.as_list() == list(x.shape)
        with tf.Session() as sess:
            got = sess.run([last, middle, log, old_dim, gradient])
    np.testing.assert_allclose(got[0], expected(-1), rtol=1e-5)
    np.testing.assert_allclose(got[1], expected(2), rtol=1e-5)
    np.testing.assert_allclose(got[2], np.log(expected(-1)), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(got[3], expected(-1), rtol=1e-5)
    assert np.isfinite(got[4]).all() and got[4].shape == x.shape


@pytest.mark.parametrize('name, advice', [
    ('listdiff', 'use tf.setdiff1d (renamed in TF 1.0)'),
    ('inv', 'use tf.reciprocal'),
    ('image.per_image_whitening', 'use tf.image.per_image_standardization'),
    ('batch_matrix_inverse', "use tf.matrix_inverse, which takes batches (TF 0.x's"),
    ('batch_fft', 'use tf.fft, which takes batches'),
    ('contrib.ctc', 'use tf.nn.ctc_loss'),
    ('nn.rnn', 'use tf.nn.static_rnn (TF 1.0 and 1.1: tf.contrib.rnn.static_rnn)')])
def test_tf0_names_say_what_tf1_0_made_of_them(name, advice):
    from tf1 import unsupported
    from tf1.api import tensorflow as tf1_api
    namespace = tf1_api
    *parents, last = name.split('.')
    for parent in parents:
        namespace = getattr(namespace, parent)
    with pytest.raises(unsupported.UnsupportedApiError,
                       match=r'tf\.%s \(TF 0\.x\) is not provided by tf1: %s'
                       % (name.replace('.', r'\.'), re.escape(advice))):
        getattr(namespace, last)


def test_a_padded_volume_convolves_with_same_padding_as_tf1s_kernels_did():
    """TF 2.21's oneDNN rewrite fuses a Pad into the Conv3D after it as if its padding were
    VALID (NiftyNet's padded 3-D convolutions came out smaller); tf1's tf.pad of a volume
    is PadV2, which it leaves alone: the shape and numbers of the unfused graph."""
    from tensorflow.core.protobuf import rewriter_config_pb2
    from tf1 import pad
    rng = np.random.RandomState(0)
    volume, kernel = rng.rand(1, 6, 4, 4, 2), rng.rand(3, 3, 3, 2, 3).astype(np.float32)
    paddings = [(0, 0), (1, 1), (1, 1), (1, 1), (0, 0)]
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, [1, 6, 4, 4, 2])
        outputs = [tf.nn.conv3d(tf.identity(pad.pad(x, paddings)), kernel, [1] * 5, 'SAME'),
                   tf.nn.conv3d(pad.pad(x, paddings), kernel, [1, 2, 2, 2, 1], 'SAME'),
                   tf.nn.conv3d(pad.pad(x, paddings, constant_values=2.0), kernel, [1] * 5,
                                'VALID')]
        images = pad.pad(tf.ones([1, 2, 2, 1]), [(0, 0), (1, 1), (1, 1), (0, 0)])
        reflected = pad.pad(x, paddings, mode='REFLECT')
        assert outputs[0].op.inputs[0].op.inputs[0].op.type == 'PadV2'
        assert images.op.type == 'Pad' and reflected.op.type == 'MirrorPad'  # untouched
        unfused = tf.ConfigProto()
        unfused.graph_options.rewrite_options.remapping = rewriter_config_pb2.RewriterConfig.OFF
        with tf.Session() as sess:
            got = sess.run(outputs, {x: volume})
        with tf.Session(config=unfused) as sess:
            expected = sess.run(outputs, {x: volume})
    for output, value, reference in zip(outputs, got, expected):
        assert value.shape == tuple(output.shape.as_list()) == reference.shape
        np.testing.assert_allclose(value, reference, rtol=1e-5)
