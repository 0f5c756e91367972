"""tf1's port of tf.contrib.mixed_precision (TF 1.15's loss scaling): scaled gradients equal
the plain optimizer's, a step whose gradients overflow changes nothing but the scale, and
ExponentialUpdateLossScaleManager raises and lowers the scale on TF 1.15's schedule."""
import numpy as np
import pytest
import tensorflow.compat.v1 as tf

from tf1.api import tensorflow as tf1_api

tf.disable_v2_behavior()
pytestmark = pytest.mark.usefixtures('fresh_graph')  # conftest.py
mixed_precision = tf1_api.contrib.mixed_precision


def regression(scale_of_loss):
    """(weights, loss) of a tiny least-squares fit whose loss is multiplied by a fed
    factor, so a step can be made to overflow."""
    x = np.arange(8, dtype=np.float32).reshape(4, 2)
    weights = tf.Variable([[0.5], [-0.25]], name='w')
    loss = tf.reduce_mean(tf.square(tf.matmul(x, weights) - 1.0)) * scale_of_loss
    return weights, loss


def test_loss_scaled_gradients_are_the_plain_ones():
    factor = tf.placeholder_with_default(1.0, [])
    weights, loss = regression(factor)
    scaled = mixed_precision.LossScaleOptimizer(tf.train.GradientDescentOptimizer(0.01),
                                                mixed_precision.FixedLossScaleManager(1024))
    plain = tf.train.GradientDescentOptimizer(0.01).compute_gradients(loss, [weights])
    ours = scaled.compute_gradients(loss, [weights])
    step = tf.train.get_or_create_global_step()
    train = scaled.apply_gradients(ours, global_step=step)
    with tf.Session() as session:
        session.run(tf.global_variables_initializer())
        np.testing.assert_allclose(session.run(ours[0][0]), session.run(plain[0][0]),
                                   rtol=1e-6)
        before = session.run(weights)
        session.run(train, {factor: 1e36})  # × 1024: the gradient overflows float32
        np.testing.assert_array_equal(session.run(weights), before)
        assert session.run(step) == 0  # the skipped step does not count
        session.run(train)
        assert session.run(step) == 1 and not np.array_equal(session.run(weights), before)
    with pytest.raises(ValueError, match='at least 1'):
        mixed_precision.FixedLossScaleManager(0.5)


def test_exponential_manager_raises_after_good_runs_and_lowers_after_overflows():
    factor = tf.placeholder_with_default(1.0, [])
    weights, loss = regression(factor)
    manager = mixed_precision.ExponentialUpdateLossScaleManager(
        init_loss_scale=8.0, incr_every_n_steps=3, decr_every_n_nan_or_inf=2, decr_ratio=0.5)
    train = mixed_precision.LossScaleOptimizer(tf.train.AdamOptimizer(0.01),
                                               manager).minimize(loss)
    scales = []
    with tf.Session() as session:
        session.run(tf.global_variables_initializer())
        for overflow in (0, 0, 0, 0, 1, 0, 1, 1, 1):
            session.run(train, {factor: 1e38 if overflow else 1.0})
            scales.append(float(session.run(manager.get_loss_scale())))
    # Three good steps in a row: 8 -> 16. Bad steps need not be consecutive: the second
    # (step 7) halves it, the count starts again, two more halve it again.
    assert scales == [8, 8, 16, 16, 16, 16, 8, 8, 4]


def test_its_modules_tf_1_15s_tests_import():
    python = mixed_precision.python
    assert python.loss_scale_optimizer.LossScaleOptimizer is mixed_precision.LossScaleOptimizer
    assert python.loss_scale_manager.FixedLossScaleManager is (
        mixed_precision.FixedLossScaleManager)
