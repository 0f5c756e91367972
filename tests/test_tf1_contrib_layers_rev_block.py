"""contrib.layers' reversible residual blocks and recompute_grad (TF 1.7-1.15's
rev_block_lib): the same values and gradients as the plain computation, with the
activations recomputed. (TF 1.15's own rev_block_lib_test passes too, run by hand.)"""
import numpy as np
import pytest
import tensorflow.compat.v1 as tf

from tf1 import contrib_layers, layers

tf.disable_v2_behavior()

RNG = np.random.RandomState(0)


def dense_fn(x):
    # An op-level seed: the same weights in the two graphs compared below, however many ops
    # each builds first (TF 1.x's seeding, which the runner installs, counts them).
    return layers.dense(x, 4, activation=tf.nn.tanh,
                        kernel_initializer=tf.glorot_uniform_initializer(seed=7))


def block_and_gradients(is_training):
    with tf.Graph().as_default():
        tf.set_random_seed(1)
        x1 = tf.constant(RNG.randn(3, 4).astype(np.float32))
        x2 = tf.constant(RNG.randn(3, 4).astype(np.float32))
        y1, y2 = contrib_layers.rev_block(x1, x2, dense_fn, dense_fn, num_layers=2,
                                          is_training=is_training)
        loss = tf.reduce_sum(y1 * y2)
        variables = tf.trainable_variables()
        grads = tf.gradients(loss, [x1, x2] + variables)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            return sess.run([y1, y2] + grads), [v.op.name for v in variables]


def test_rev_block_recomputes_gradients_equal_to_the_plain_ones():
    state = RNG.get_state()
    efficient, names = block_and_gradients(True)
    RNG.set_state(state)
    plain, _ = block_and_gradients(False)
    for a, b in zip(efficient, plain):
        np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-5)
    assert names[:2] == ['revblock/revlayer_0/f/dense/kernel', 'revblock/revlayer_0/f/dense/bias']


def test_a_block_run_backward_gives_back_its_inputs():
    with tf.Graph().as_default():
        x1 = tf.constant(RNG.randn(2, 4).astype(np.float32))
        x2 = tf.constant(RNG.randn(2, 4).astype(np.float32))
        block = contrib_layers.RevBlock(dense_fn, dense_fn, num_layers=3)
        y1, y2 = block.forward(x1, x2)
        back1, back2 = block.backward(y1, y2)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            values = sess.run([x1, x2, back1, back2])
    np.testing.assert_allclose(values[2], values[0], atol=1e-5)
    np.testing.assert_allclose(values[3], values[1], atol=1e-5)
    assert len(block.trainable_variables) == 12      # 3 layers of f and g, kernel and bias


def test_recompute_grad_gives_the_plain_gradients():
    def layer(x):
        return layers.dense(x, 3, activation=tf.nn.relu, name='fc')
    inputs = RNG.randn(5, 3).astype(np.float32)
    results = []
    for recompute in (False, True):
        with tf.Graph().as_default():
            tf.set_random_seed(2)
            x = tf.constant(inputs)
            with tf.variable_scope('net', use_resource=True):
                y = (contrib_layers.recompute_grad(layer) if recompute else layer)(x)
            grads = tf.gradients(tf.reduce_sum(y ** 2), [x] + tf.trainable_variables())
            with tf.Session() as sess:
                sess.run(tf.global_variables_initializer())
                results.append(sess.run(grads))
    for plain, recomputed in zip(*results):
        np.testing.assert_allclose(recomputed, plain, rtol=1e-5)


def test_misuse_is_one_clear_error():
    with tf.Graph().as_default():
        w = tf.constant(1.0)

        def closes_over(x):
            return x * w
        with pytest.raises(ValueError, match='closes over Tensor'):
            contrib_layers.recompute_grad(closes_over)
        with pytest.raises(ValueError, match='one function per layer'):
            contrib_layers.RevBlock([dense_fn], [dense_fn], num_layers=2)
