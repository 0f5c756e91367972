"""tf.contrib.integrate as TF 1.15 had it: ODE solvers built from graph ops, so a model can
integrate (and backpropagate through) dy/dt = func(y, t).

- odeint: the Dormand-Prince 5(4) Runge-Kutta method (scipy's 'dopri5', MATLAB's ode45)
  with adaptive steps and 4th-order dense output at the requested times (Shampine 1986).
- odeint_fixed: midpoint or classic RK4 steps on a fixed grid, cheaper to differentiate.

Ported from TF 1.15's contrib/integrate/python/ops/odes.py: the same tableau, step-size
control, interpolation and `full_output` record."""
import collections

import tensorflow.compat.v1 as tf

__all__ = ['odeint', 'odeint_fixed']

_ButcherTableau = collections.namedtuple('_ButcherTableau', 'alpha beta c_sol c_mid c_error')

# Dormand-Prince coefficients, from Shampine (1986), section 4.
_DORMAND_PRINCE_TABLEAU = _ButcherTableau(
    alpha=[1 / 5, 3 / 10, 4 / 5, 8 / 9, 1., 1.],
    beta=[[1 / 5],
          [3 / 40, 9 / 40],
          [44 / 45, -56 / 15, 32 / 9],
          [19372 / 6561, -25360 / 2187, 64448 / 6561, -212 / 729],
          [9017 / 3168, -355 / 33, 46732 / 5247, 49 / 176, -5103 / 18656],
          [35 / 384, 0, 500 / 1113, 125 / 192, -2187 / 6784, 11 / 84]],
    c_sol=[35 / 384, 0, 500 / 1113, 125 / 192, -2187 / 6784, 11 / 84, 0],
    c_mid=[6025192743 / 30085553152 / 2, 0, 51252292925 / 65400821598 / 2,
           -2691868925 / 45128329728 / 2, 187940372067 / 1594534317056 / 2,
           -1776094331 / 19743644256 / 2, 11237099 / 235043384 / 2],
    c_error=[1951 / 21600 - 35 / 384, 0, 22642 / 50085 - 500 / 1113, 451 / 720 - 125 / 192,
             -12231 / 42400 - -2187 / 6784, 649 / 6300 - 11 / 84, 1 / 60])

# The dense-output polynomial a x^4 + b x^3 + c x^2 + d x + e on x in [0, 1] through y0,
# y_mid, y1 with slopes f0, f1 (solved symbolically): the weights of (dt f0, dt f1, y0,
# y1, y_mid) in a, b and c; d = dt f0, e = y0.
_INTERPOLATION = [[-2, 2, -8, -8, 16], [5, -3, 18, 14, -32], [-4, 1, -11, -5, 16]]

_RungeKuttaState = collections.namedtuple('_RungeKuttaState', 'y1 f1 t0 t1 dt interp_coeff')
_History = collections.namedtuple('_History', 'integrate_points error_ratio')


def _scaled_sum(scale, coefficients, terms):
    """sum_i scale * coefficients[i] * terms[i], skipping the tableau's zeros."""
    return tf.add_n([(scale * c) * term for c, term in zip(coefficients, terms)
                     if isinstance(c, tf.Tensor) or c != 0])


def _runge_kutta_step(func, y0, f0, t0, dt, tableau=_DORMAND_PRINCE_TABLEAU):
    """One step from t0 to t0 + dt: (y1, f1 = func(y1, t1), the error estimate, the
    stages k). Dormand-Prince's last stage is taken at y1 itself, so f1 costs nothing."""
    dt_cast = tf.cast(dt, y0.dtype)
    k = [f0]
    for alpha_i, beta_i in zip(tableau.alpha, tableau.beta):
        yi = y0 + _scaled_sum(dt_cast, beta_i, k)
        k.append(func(yi, t0 + alpha_i * dt))
    if not (tableau.c_sol[-1] == 0 and tableau.c_sol[:-1] == tableau.beta[-1]):
        yi = y0 + _scaled_sum(dt_cast, tableau.c_sol, k)
    return tf.identity(yi), tf.identity(k[-1]), _scaled_sum(dt_cast, tableau.c_error, k), k


def _interp_fit_rk(y0, y1, k, dt, tableau=_DORMAND_PRINCE_TABLEAU):
    """The dense-output coefficients [a, b, c, d, e] over a step just taken."""
    dt = tf.cast(dt, y0.dtype)
    y_mid = y0 + _scaled_sum(dt, tableau.c_mid, k)
    f0, f1 = k[0], k[-1]
    values = [dt * f0, dt * f1, y0, y1, y_mid]
    return [tf.add_n([w * v for w, v in zip(weights, values)])
            for weights in _INTERPOLATION] + [dt * f0, y0]


def _interp_evaluate(coefficients, t0, t1, t):
    """The dense-output polynomial at time t in [t0, t1]."""
    in_step = tf.Assert((t0 <= t) & (t <= t1),
                        ['invalid interpolation, fails `t0 <= t <= t1`:', t0, t, t1])
    with tf.control_dependencies([in_step]):
        x = tf.cast((t - t0) / (t1 - t0), coefficients[0].dtype)
    powers = [tf.constant(1, coefficients[0].dtype), x]
    for _ in range(2, len(coefficients)):
        powers.append(powers[-1] * x)
    return tf.add_n([c * p for c, p in zip(coefficients, reversed(powers))])


def _optimal_step_size(last_step, error_ratio, safety, ifactor, dfactor, order=5):
    """The next step: the last scaled by (safety / error_ratio)^(1/order), limited to
    [dfactor, ifactor] times it (error_ratio kept in the numerator: no division by 0)."""
    error_ratio = tf.cast(error_ratio, last_step.dtype)
    exponent = tf.cast(1 / order, last_step.dtype)
    factor = tf.maximum(1 / ifactor, tf.minimum(error_ratio ** exponent / safety, 1 / dfactor))
    return last_step / factor


def _abs_square(x):
    if x.dtype.is_complex:
        return tf.square(tf.real(x)) + tf.square(tf.imag(x))
    return tf.square(x)


def _increasing(t):
    return tf.control_dependencies([tf.Assert(tf.reduce_all(t[1:] > t[:-1]),
                                              ['`t` must be monotonic increasing'])])


def _check_input_types(y0, t, dt=None):
    if not (y0.dtype.is_floating or y0.dtype.is_complex):
        raise TypeError('`y0` must have a floating point or complex floating point dtype')
    if not t.dtype.is_floating:
        raise TypeError('`t` must have a floating point dtype')
    if dt is not None and not dt.dtype.is_floating:
        raise TypeError('`dt` must have a floating point dtype')


def _dopri5(func, y0, t, rtol, atol, full_output=False, first_step=None, safety=0.9,
            ifactor=10.0, dfactor=0.2, max_num_steps=1000):
    """odeint's solver: adaptive steps until each requested time is passed, the answer
    there read off the last step's dense output. The first step tries 1.0 unless told."""
    if first_step is None:
        first_step = 1.0
    first_step, safety, ifactor, dfactor = (tf.convert_to_tensor(value, dtype=t.dtype)
                                            for value in (first_step, safety, ifactor, dfactor))
    max_num_steps = tf.convert_to_tensor(max_num_steps, dtype=tf.int32)

    def adaptive_step(rk_state, history, n_steps):
        y0, f0, _, t0, dt, interp_coeff = rk_state
        checks = [tf.Assert(t0 + dt > t0, ['underflow in dt', dt]),
                  tf.Assert(n_steps < max_num_steps, ['max_num_steps exceeded']),
                  tf.Assert(tf.reduce_all(tf.is_finite(abs(y0))),
                            ['non-finite values in state `y`', y0])]
        with tf.control_dependencies(checks):
            y1, f1, y1_error, k = _runge_kutta_step(func, y0, f0, t0, dt)
        # The error per element against its tolerance, as in the dopri5 Fortran code.
        error_tol = atol + rtol * tf.maximum(abs(y0), abs(y1))
        error_ratio = tf.sqrt(tf.reduce_mean(_abs_square(y1_error) / _abs_square(error_tol)))
        accept = error_ratio <= 1
        # A rejected step leaves the state where it was (an interval of length 0), and the
        # loop tries again with a smaller step.
        rk_state = _RungeKuttaState(
            tf.cond(accept, lambda: y1, lambda: y0), tf.cond(accept, lambda: f1, lambda: f0),
            t0, tf.cond(accept, lambda: t0 + dt, lambda: t0),
            _optimal_step_size(dt, error_ratio, safety, ifactor, dfactor),
            tf.cond(accept, lambda: _interp_fit_rk(y0, y1, k, dt), lambda: interp_coeff))
        history = _History(history.integrate_points.write(history.integrate_points.size(),
                                                          t0 + dt),
                           history.error_ratio.write(history.error_ratio.size(), error_ratio))
        return rk_state, history, n_steps + 1

    def interpolate(solution, history, rk_state, i):
        rk_state, history, _ = tf.while_loop(lambda rk_state, *_: t[i] > rk_state.t1,
                                             adaptive_step, (rk_state, history, 0),
                                             name='integrate_loop')
        y = _interp_evaluate(rk_state.interp_coeff, rk_state.t0, rk_state.t1, t[i])
        return solution.write(i, y), history, rk_state, i + 1

    with _increasing(t):
        num_times = tf.size(t)
    solution = tf.TensorArray(y0.dtype, size=num_times).write(0, y0)
    history = _History(tf.TensorArray(t.dtype, size=0, dynamic_size=True),
                       tf.TensorArray(rtol.dtype, size=0, dynamic_size=True))
    rk_state = _RungeKuttaState(y0, func(y0, t[0]), t[0], t[0], first_step, [y0] * 5)
    solution, history, _, _ = tf.while_loop(lambda _, __, ___, i: i < num_times, interpolate,
                                            (solution, history, rk_state, 1),
                                            name='interpolate_loop')
    y = solution.stack()
    y.set_shape(t.get_shape().concatenate(y0.get_shape()))
    if not full_output:
        return y
    integrate_points = history.integrate_points.stack()
    return y, {'num_func_evals': 6 * tf.size(integrate_points) + 1,
               'integrate_points': integrate_points,
               'error_ratio': history.error_ratio.stack()}


def odeint(func, y0, t, rtol=1e-6, atol=1e-12, method=None, options=None, full_output=False,
           name=None):
    """y at each time of `t` (increasing; float64 unless a tensor says otherwise) for
    dy/dt = func(y, t), y(t[0]) = y0 of any shape: [len(t)] + y0's shape. method: only
    'dopri5'; options (with a method): first_step (1.0), safety (0.9), ifactor (10),
    dfactor (0.2), max_num_steps (1000). full_output: also {'num_func_evals',
    'integrate_points', 'error_ratio'}."""
    if method is not None and method != 'dopri5':
        raise ValueError('invalid method: %r' % method)
    if options is None:
        options = {}
    elif method is None:
        raise ValueError('cannot supply `options` without specifying `method`')
    with tf.name_scope(name, 'odeint', [y0, t, rtol, atol]):
        y0 = tf.convert_to_tensor(y0, name='y0')
        t = tf.convert_to_tensor(t, preferred_dtype=tf.float64, name='t')
        _check_input_types(y0, t)
        error_dtype = abs(y0).dtype
        rtol = tf.convert_to_tensor(rtol, dtype=error_dtype, name='rtol')
        atol = tf.convert_to_tensor(atol, dtype=error_dtype, name='atol')
        return _dopri5(func, y0, t, rtol=rtol, atol=atol, full_output=full_output, **options)


def _midpoint_step(func, t, dt, y):
    dt_cast = tf.cast(dt, y.dtype)
    return dt_cast * func(y + func(y, t) * dt_cast / 2, t + dt / 2)


def _rk4_step(func, t, dt, y):
    dt_cast = tf.cast(dt, y.dtype)
    k1 = func(y, t)
    k2 = func(y + dt_cast * k1 / 2, t + dt / 2)
    k3 = func(y + dt_cast * k2 / 2, t + dt / 2)
    k4 = func(y + dt_cast * k3, t + dt)
    return tf.add_n([k1, 2 * k2, 2 * k3, k4]) * (dt_cast / 6)


_FIXED_GRID_STEPS = {'midpoint': _midpoint_step, 'rk4': _rk4_step}


def odeint_fixed(func, y0, t, dt=None, method='rk4', name=None):
    """odeint on a fixed grid: each interval of `t` in equal steps no longer than `dt` (a
    scalar, one per interval, or the intervals themselves when None) of 'midpoint' or
    'rk4'."""
    with tf.name_scope(name, 'odeint_fixed', [y0, t, dt]):
        t = tf.convert_to_tensor(t, preferred_dtype=tf.float64, name='t')
        y0 = tf.convert_to_tensor(y0, name='y0')
        intervals = t[1:] - t[:-1]
        dt = tf.convert_to_tensor(intervals if dt is None else dt,
                                  preferred_dtype=tf.float64, name='dt')
        steps_on_intervals = tf.ceil(intervals / dt)
        dt = intervals / steps_on_intervals
        steps_on_intervals = tf.cast(steps_on_intervals, dtype=tf.int32)
        _check_input_types(y0, t, dt)
        if len(t.get_shape().as_list()) > 1 or len(dt.get_shape().as_list()) > 1:
            raise ValueError('t must be a 1D tensor')
        if t.get_shape()[0] != dt.get_shape()[0] + 1:
            raise ValueError('t and dt have incompatible lengths, must be N and N-1')
        if method not in _FIXED_GRID_STEPS:
            raise ValueError('method not supported: {!s}'.format(method))
        step = _FIXED_GRID_STEPS[method]
        with _increasing(t), tf.name_scope(method):
            def advance(y, time, j, interval):
                dt_interval = dt[interval - 1]
                return (y + tf.cast(step(func, time, dt_interval, y), y.dtype),
                        time + dt_interval, j + 1, interval)

            def integrate_interval(solution, y, time, interval):
                y, time, _, _ = tf.while_loop(
                    lambda _, __, j, interval: j < steps_on_intervals[interval - 1], advance,
                    (y, time, 0, interval))
                return solution.write(interval, y), y, time, interval + 1

            num_times = tf.size(t)
            solution = tf.TensorArray(y0.dtype, num_times).write(0, y0)
            solution, _, _, _ = tf.while_loop(lambda _, __, ___, i: i < num_times,
                                              integrate_interval, (solution, y0, t[0], 1))
            solution = solution.stack()
            solution.set_shape(t.get_shape().concatenate(y0.get_shape()))
            return solution
