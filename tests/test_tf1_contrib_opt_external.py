"""tf1's port of tf.contrib.opt.ScipyOptimizerInterface (TF 1.15's): TF 1.15's own three
documented examples (plain, bounds, SLSQP constraints), a least-squares fit against NumPy's
solution, the callbacks, and its errors."""
import numpy as np
import pytest
import tensorflow.compat.v1 as tf

from tf1.api import tensorflow as tf1_api

tf.disable_v2_behavior()
pytestmark = pytest.mark.usefixtures('fresh_graph')  # conftest.py
pytest.importorskip('scipy.optimize')
opt = tf1_api.contrib.opt


def minimized(optimizer, variable, **minimize_kwargs):
    with tf.Session() as session:
        session.run(tf.global_variables_initializer())
        optimizer.minimize(session, **minimize_kwargs)
        return session.run(variable)


def test_tf_1_15s_documented_examples():
    vector = tf.Variable([7., 7.], name='vector')
    loss = tf.reduce_sum(tf.square(vector))
    np.testing.assert_allclose(
        minimized(opt.ScipyOptimizerInterface(loss, options={'maxiter': 100}), vector),
        [0., 0.], atol=1e-5)
    bounded = opt.ScipyOptimizerInterface(loss, var_to_bounds={vector: ([1, 2], np.inf)})
    np.testing.assert_allclose(minimized(bounded, vector), [1., 2.], atol=1e-5)
    constrained = opt.ScipyOptimizerInterface(loss, equalities=[vector[1] - 1.],
                                              inequalities=[vector[0] - 1.], method='SLSQP')
    np.testing.assert_allclose(minimized(constrained, vector), [1., 1.], atol=1e-5)


def test_a_least_squares_fit_with_its_callbacks_and_a_fed_input():
    rng = np.random.RandomState(0)
    x_value, y_value = rng.rand(20, 3), rng.rand(20)
    x = tf.placeholder(tf.float64, [20, 3])
    weights = tf.Variable(np.zeros(3), name='weights')
    unused = tf.Variable(5.0, dtype=tf.float64, name='unused')  # no gradient: kept as is
    loss = tf.reduce_sum(tf.square(tf.linalg.matvec(x, weights) - y_value))
    losses, steps = [], []
    optimizer = opt.ScipyOptimizerInterface(loss, var_list=[weights, unused])
    with tf.Session() as session:
        session.run(tf.global_variables_initializer())
        optimizer.minimize(session, feed_dict={x: x_value}, fetches=[loss],
                           loss_callback=losses.append, step_callback=steps.append)
        got, kept = session.run([weights, unused])
    expected = np.linalg.lstsq(x_value, y_value, rcond=None)[0]
    np.testing.assert_allclose(got, expected, atol=1e-5)
    assert kept == 5.0 and losses[-1] < losses[0] and len(steps[0]) == 4  # packed: 3 + 1
    with pytest.raises(ValueError, match='var_to_bounds'):
        minimized(opt.ScipyOptimizerInterface(loss, bounds=[(0, 1)] * 4), weights,
                  feed_dict={x: x_value})
