"""tf1's port of tf.contrib.integrate (TF 1.15's ODE solvers): odeint against exact
solutions and SciPy's Dormand-Prince, its step record (full_output), its gradient through
the adaptive loop, odeint_fixed's orders of accuracy, and TF 1.15's errors."""
import numpy as np
import pytest
import tensorflow.compat.v1 as tf

from tf1.api import tensorflow as tf1_api

tf.disable_v2_behavior()
pytestmark = pytest.mark.usefixtures('fresh_graph')  # conftest.py
integrate = tf1_api.contrib.integrate


def test_odeint_solves_decay_and_an_oscillator_exactly_enough(evaluate):
    decay = integrate.odeint(lambda y, _: -y, np.float64(1.0), [0.0, 1.0, 2.0])
    times = np.linspace(0, 10, 21)
    # y'' = -y as a system: (position, velocity), from (1, 0).
    oscillator = integrate.odeint(lambda y, _: tf.stack([y[1], -y[0]]),
                                  tf.constant([1.0, 0.0], tf.float64), times)
    rotation = integrate.odeint(lambda y, _: 1j * y, tf.constant(1 + 0j, tf.complex128),
                                times)
    got_decay, got_oscillator, got_rotation = evaluate(decay, oscillator, rotation)
    np.testing.assert_allclose(got_decay, np.exp([0.0, -1.0, -2.0]), rtol=1e-6)
    np.testing.assert_allclose(got_oscillator[:, 0], np.cos(times), atol=1e-5)
    np.testing.assert_allclose(got_rotation, np.exp(1j * times), atol=1e-5)


def test_odeint_agrees_with_scipys_dormand_prince_on_a_nonlinear_system(evaluate):
    integrate_scipy = pytest.importorskip('scipy.integrate')

    def lorenz(y, t):
        x, v, z = y[0], y[1], y[2]
        return tf.stack([10 * (v - x), x * (28 - z) - v, x * v - 8 / 3 * z])

    def lorenz_numpy(t, y):
        x, v, z = y
        return [10 * (v - x), x * (28 - z) - v, x * v - 8 / 3 * z]
    times = np.linspace(0, 1, 11)
    start = [1.0, 1.0, 1.0]
    got, = evaluate(integrate.odeint(lorenz, tf.constant(start, tf.float64), times,
                                     rtol=1e-10, atol=1e-10))
    reference = integrate_scipy.solve_ivp(lorenz_numpy, (0, 1), start, method='RK45',
                                          t_eval=times, rtol=1e-10, atol=1e-10)
    np.testing.assert_allclose(got, reference.y.T, rtol=1e-6, atol=1e-6)


def test_odeint_full_output_records_every_step_and_rejects_some(evaluate):
    y, info = integrate.odeint(lambda y, t: -y * t, np.float64(1.0), [0.0, 5.0],
                               full_output=True,
                               method='dopri5', options={'first_step': 2.0})
    default_step = integrate.odeint(lambda y, t: -y * t, np.float64(1.0), [0.0, 5.0],
                                    method='dopri5', options={'first_step': None})
    got, points, ratios, evaluations, got_default = evaluate(
        y, info['integrate_points'], info['error_ratio'], info['num_func_evals'], default_step)
    np.testing.assert_allclose(got[-1], np.exp(-12.5), atol=1e-9)
    np.testing.assert_allclose(got_default[-1], np.exp(-12.5), atol=1e-9)  # None: 1.0
    assert len(points) == len(ratios) > 1 and evaluations == 6 * len(points) + 1
    assert (ratios > 1).any()  # the first, too long, step was rejected and retried


def test_gradients_flow_through_the_adaptive_loop(evaluate):
    y0 = tf.constant(2.0, tf.float64)
    rate = tf.constant(0.7, tf.float64)
    y = integrate.odeint(lambda y, _: -rate * y, y0, [0.0, 1.5])[-1]
    d_y0, d_rate = tf.gradients(y, [y0, rate])
    got = evaluate(d_y0, d_rate)  # y = y0 exp(-rate t)
    np.testing.assert_allclose(got, [np.exp(-1.05), -1.5 * 2.0 * np.exp(-1.05)], rtol=1e-5)


@pytest.mark.parametrize('method, order', [('midpoint', 2), ('rk4', 4)])
def test_odeint_fixed_has_its_methods_order(method, order, evaluate):
    times = [0.0, 1.0, 2.0]
    errors = []
    for dt in (0.1, 0.05):
        y, = evaluate(integrate.odeint_fixed(lambda y, _: -y, np.float64(1.0), times, dt=dt,
                                             method=method))
        errors.append(np.abs(y - np.exp([0.0, -1.0, -2.0])).max())
    # Halving the step divides the error by about 2^order.
    assert 0.8 * 2 ** order < errors[0] / errors[1] < 1.2 * 2 ** order


def test_tf_1_15s_errors():
    with pytest.raises(ValueError, match='invalid method'):
        integrate.odeint(lambda y, _: y, 1.0, [0.0, 1.0], method='euler')
    with pytest.raises(ValueError, match='without specifying `method`'):
        integrate.odeint(lambda y, _: y, 1.0, [0.0, 1.0], options={'safety': 0.8})
    with pytest.raises(TypeError, match='floating point'):
        integrate.odeint(lambda y, _: y, 1, [0.0, 1.0])
    with pytest.raises(ValueError, match='method not supported'):
        integrate.odeint_fixed(lambda y, _: y, 1.0, [0.0, 1.0], method='euler')
    backwards = integrate.odeint(lambda y, _: -y, 1.0, [1.0, 0.0])
    with tf.Session() as session, pytest.raises(tf.errors.InvalidArgumentError,
                                                match='monotonic increasing'):
        session.run(backwards)
