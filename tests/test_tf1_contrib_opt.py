"""tf1's tf.contrib.opt (TF 1.15's optimizers and wrappers) held to their update rules
written out in NumPy, step by step, for dense gradients and for sparse ones (an embedding
lookup's rows), on reference and resource variables; and the wrappers' promises: the
moving averages saved under the variables' names, all-zero gradients leaving an
optimizer's state alone."""
import math

import numpy as np
import pytest
import tensorflow.compat.v1 as tf

from tf1 import unsupported
from tf1.api import tensorflow as tf1_api

tf.disable_v2_behavior()

opt = tf1_api.contrib.opt
LR, B1, B2, EPS = 0.01, 0.9, 0.999, 1e-8
START = np.array([[1.0, -2.0], [0.5, 3.0], [-1.5, 0.25]])


def gradients(steps, seed=0):
    return np.random.RandomState(seed).randn(steps, *START.shape)


def run_steps(optimizer_fn, grads, rows=None, resource=False, fetch_slots=()):
    """The variable (and slots) after applying `grads` in turn: whole gradients, or, with
    `rows`, gradients of those rows only (an IndexedSlices, as a lookup gives)."""
    with tf.Graph().as_default():
        var = tf.get_variable('var', initializer=tf.constant(START, tf.float64),
                              use_resource=resource)
        fed = tf.placeholder(tf.float64, [len(rows) if rows is not None else 3, 2])
        used = var if rows is None else tf.gather(var, rows)
        optimizer = optimizer_fn()
        train = optimizer.minimize(tf.reduce_sum(used * fed))
        slots = [optimizer.get_slot(var, name) for name in fetch_slots]
        with tf.Session() as session:
            session.run(tf.global_variables_initializer())
            for grad in grads:
                session.run(train, {fed: grad})
            return session.run([var] + slots)


def adam_lr(t):
    return LR * math.sqrt(1 - B2 ** t) / (1 - B1 ** t)


def numpy_adam(grads, weight_decay=0.0, nesterov=False):
    w, m, v = START.copy(), np.zeros_like(START), np.zeros_like(START)
    for t, g in enumerate(grads, 1):
        w = w - weight_decay * w  # decoupled: before the step, not through the gradient
        m = B1 * m + (1 - B1) * g
        v = B2 * v + (1 - B2) * g * g
        step = (B1 * m + (1 - B1) * g) if nesterov else m
        w = w - adam_lr(t) * step / (np.sqrt(v) + EPS)
    return w


@pytest.mark.parametrize('resource', [False, True])
def test_adamw_and_the_extension_decay_then_step(resource):
    grads = gradients(5)
    expected = numpy_adam(grads, weight_decay=0.05)
    np.testing.assert_allclose(run_steps(lambda: opt.AdamWOptimizer(0.05, LR), grads,
                                         resource=resource)[0], expected, rtol=1e-6)
    my_adamw = opt.extend_with_decoupled_weight_decay(tf.train.AdamOptimizer)
    np.testing.assert_allclose(run_steps(lambda: my_adamw(0.05, learning_rate=LR), grads)[0],
                               expected, rtol=1e-6)
    # Sparse: the rows looked up decay, the others neither decay nor move.
    sparse = run_steps(lambda: opt.AdamWOptimizer(0.05, LR), grads[:, :2], rows=[0, 2],
                       resource=resource)[0]
    np.testing.assert_array_equal(sparse[1], START[1])
    assert not np.allclose(sparse[[0, 2]], START[[0, 2]])


def test_momentumw_and_decay_var_list():
    grads = gradients(4)
    w, accumulation = START.copy(), np.zeros_like(START)
    for g in grads:
        w = w - 0.1 * w
        accumulation = 0.9 * accumulation + g
        w = w - LR * accumulation
    np.testing.assert_allclose(run_steps(lambda: opt.MomentumWOptimizer(0.1, LR, 0.9),
                                         grads)[0], w, rtol=1e-6)
    with tf.Graph().as_default():
        a, b = tf.Variable(1.0), tf.Variable(1.0)
        train = opt.AdamWOptimizer(0.5, learning_rate=0.0).minimize(a + b, decay_var_list=[a])
        with tf.Session() as session:
            session.run(tf.global_variables_initializer())
            session.run(train)
            assert session.run([a, b]) == [0.5, 1.0]  # only `a` decays


@pytest.mark.parametrize('resource', [False, True])
def test_lazy_adam_updates_only_the_rows_used(resource):
    grads = gradients(5)
    np.testing.assert_allclose(run_steps(lambda: opt.LazyAdamOptimizer(LR), grads)[0],
                               numpy_adam(grads), rtol=1e-6)  # dense: Adam
    rows = [0, 2]
    var, m, v = run_steps(lambda: opt.LazyAdamOptimizer(LR), grads[:, :2], rows=rows,
                          resource=resource, fetch_slots=('m', 'v'))
    np.testing.assert_array_equal(var[1], START[1])
    assert not m[1].any() and not v[1].any()  # Adam would decay them (they are 0 here)
    np.testing.assert_allclose(var[rows], lazy_rows(grads[:, :2], rows), rtol=1e-6)


def lazy_rows(grads, rows):
    w, m, v = START[rows].copy(), np.zeros((len(rows), 2)), np.zeros((len(rows), 2))
    for t, g in enumerate(grads, 1):
        m = B1 * m + (1 - B1) * g
        v = B2 * v + (1 - B2) * g * g
        w = w - adam_lr(t) * m / (np.sqrt(v) + EPS)
    return w


def test_nadam_dense_and_sparse():
    grads = gradients(5)
    expected = numpy_adam(grads, nesterov=True)
    np.testing.assert_allclose(run_steps(lambda: opt.NadamOptimizer(LR), grads)[0],
                               expected, rtol=1e-6)
    # Every row looked up: the sparse path computes the same update.
    np.testing.assert_allclose(run_steps(lambda: opt.NadamOptimizer(LR), grads,
                                         rows=[0, 1, 2])[0], expected, rtol=1e-6)


@pytest.mark.parametrize('rows', [None, [0, 1, 2]])
def test_adamax(rows):
    grads = gradients(5)
    w, m, u = START.copy(), np.zeros_like(START), np.zeros_like(START)
    for t, g in enumerate(grads, 1):
        m = B1 * m + (1 - B1) * g
        u = np.maximum(B2 * u, np.abs(g))
        w = w - LR / (1 - B1 ** t) * m / (u + EPS)
    for resource in (False, True):
        np.testing.assert_allclose(run_steps(lambda: opt.AdaMaxOptimizer(LR), grads, rows=rows,
                                             resource=resource)[0], w, rtol=1e-6)


def test_adamax_keeps_only_beta1s_power_as_tf_1_15s_checkpoints_do():
    with tf.Graph().as_default():
        var = tf.Variable([1.0, 2.0], name='v')
        optimizer = opt.AdaMaxOptimizer(0.1)
        optimizer.minimize(tf.reduce_sum(var * var))
        assert sorted(v.op.name for v in tf.global_variables()) == [
            'beta1_power', 'v', 'v/AdaMax', 'v/AdaMax_1']
        assert optimizer._get_beta_accumulators().op.name == 'beta1_power'


def test_sign_decays_and_the_module_paths_tf_1_15s_tests_import():
    steps = np.arange(0, 12, dtype=np.int64)
    path = tf1_api.contrib.opt.python.training
    assert path.adamax.AdaMaxOptimizer is opt.AdaMaxOptimizer
    decays = path.sign_decay
    fns = (decays.get_linear_decay_fn(10), decays.get_cosine_decay_fn(10, 2, zero_after=1.5),
           decays.get_restart_decay_fn(10, 3, zero_after=2))
    capped = np.minimum(steps, 10)
    expected = (np.maximum(0, (10 - capped) / 10),
                np.where(4 * capped / 10 >= 3, 0, 0.5 * (1 + np.cos(np.pi * 4 * capped / 10))),
                np.where(3 * capped / 10 >= 2, 0,
                         0.5 * (1 + np.cos(np.pi * ((3 * capped) % 10) / 10))))
    with tf.Graph().as_default():
        step = tf.placeholder(tf.int64, [])
        values = [fn(step) for fn in fns]
        with tf.Session() as session:
            got = np.array([session.run(values, {step: s}) for s in steps]).T
    np.testing.assert_allclose(got, expected, atol=1e-6)
    with pytest.raises(ValueError, match='global_step is required'):
        fns[0](None)


@pytest.mark.parametrize('rows', [None, [0, 1, 2]])
def test_addsign_and_powersign(rows):
    grads = gradients(5)
    for make, multiplier in (
            (lambda: opt.AddSignOptimizer(LR, alpha=1.5, beta=0.8),
             lambda agree: 1.5 + agree),
            (lambda: opt.PowerSignOptimizer(LR, base=2.0, beta=0.8),
             lambda agree: 2.0 ** agree)):
        w, m = START.copy(), np.zeros_like(START)
        for g in grads:
            m = 0.8 * m + 0.2 * g
            w = w - LR * multiplier(np.sign(g) * np.sign(m)) * g
        np.testing.assert_allclose(run_steps(make, grads, rows=rows)[0], w, rtol=1e-6)


def test_addsign_decays_the_sign_term_by_the_global_step():
    with tf.Graph().as_default():
        var = tf.Variable(1.0, dtype=tf.float64)
        step = tf.train.get_or_create_global_step()
        train = opt.AddSignOptimizer(0.1, alpha=1.0, sign_decay_fn=lambda step: tf.constant(
            0.0)).minimize(var * 2.0, global_step=step)
        with tf.Session() as session:
            session.run(tf.global_variables_initializer())
            session.run(train)
            assert session.run(var) == pytest.approx(1.0 - 0.1 * 1.0 * 2.0)  # alpha alone


def test_lars_scales_each_variables_rate_by_its_trust_ratio():
    # TF 1.15's rule: the weight decay joins the gradient, and the velocity accumulates
    # the scaled steps (so each step's trust ratio stays in it)
    grads = gradients(3)
    w, velocity = START.copy(), np.zeros_like(START)
    for g in grads:
        w_norm, g_norm = np.linalg.norm(w), np.linalg.norm(g)
        rate = 0.1 * 0.001 * w_norm / (g_norm + 0.0001 * w_norm)
        velocity = 0.9 * velocity + rate * (g + 0.0001 * w)
        w = w - velocity
    var, momentum = run_steps(lambda: opt.LARSOptimizer(0.1), grads,
                              fetch_slots=('momentum',))
    np.testing.assert_allclose(var, w, rtol=1e-6)
    np.testing.assert_allclose(momentum, velocity, rtol=1e-6)
    skipped = run_steps(lambda: opt.LARSOptimizer(0.1, skip_list=['var']), grads[:1])[0]
    np.testing.assert_allclose(skipped, START - 0.1 * grads[0], rtol=1e-6)
    with pytest.raises(ValueError, match='momentum should be positive'):
        opt.LARSOptimizer(0.1, momentum=-1)


def test_moving_average_optimizer_saves_the_averages_under_the_variables_names(tmp_path):
    grads = gradients(4)
    with tf.Graph().as_default():
        var = tf.get_variable('var', initializer=tf.constant(START, tf.float64))
        fed = tf.placeholder(tf.float64, START.shape)
        optimizer = opt.MovingAverageOptimizer(tf.train.GradientDescentOptimizer(0.1),
                                               average_decay=0.5)
        train = optimizer.minimize(tf.reduce_sum(var * fed))
        saver = optimizer.swapping_saver()
        with tf.Session() as session:
            session.run(tf.global_variables_initializer())
            for g in grads:
                session.run(train, {fed: g})
            trained = session.run(var)
            saver.save(session, str(tmp_path / 'model.ckpt'))
    w, average = START.copy(), START.copy()
    for g in grads:
        w = w - 0.1 * g
        average = 0.5 * average + 0.5 * w  # after the step (sequential_update)
    np.testing.assert_allclose(trained, w, rtol=1e-6)
    np.testing.assert_allclose(tf.train.load_variable(str(tmp_path), 'var'), average,
                               rtol=1e-6)
    with pytest.raises(RuntimeError, match='Must call apply_gradients or minimize'):
        opt.MovingAverageOptimizer(tf.train.GradientDescentOptimizer(0.1)).swapping_saver()


def test_multitask_wrapper_leaves_the_state_alone_for_an_all_zero_gradient():
    with tf.Graph().as_default():
        var = tf.get_variable('var', initializer=tf.constant(START, tf.float64))
        fed = tf.placeholder(tf.float64, START.shape)
        optimizer = opt.MultitaskOptimizerWrapper(tf.train.MomentumOptimizer(0.1, 0.9))
        grads_and_vars = optimizer.compute_gradients(tf.reduce_sum(var * fed))
        clipped, norm = opt.clip_gradients_by_global_norm(grads_and_vars, 1.0)
        train = optimizer.apply_gradients(clipped)
        momentum = optimizer.get_slot(var, 'momentum')
        with tf.Session() as session:
            session.run(tf.global_variables_initializer())
            session.run(train, {fed: np.ones_like(START)})
            state = session.run([var, momentum])
            assert session.run(norm, {fed: np.zeros_like(START)}) == 0.0
            session.run(train, {fed: np.zeros_like(START)})
            for before, after in zip(state, session.run([var, momentum])):
                np.testing.assert_array_equal(before, after)  # momentum would move var
    with pytest.raises(TypeError, match='must be an instance of tf.train.Optimizer'):
        opt.MultitaskOptimizerWrapper(object())


def run_with_global_step(optimizer_fn, grads, rows=None, resource=False):
    """run_steps for an optimizer made of the global step (which each step advances) and
    the variable; also the names of the graph's variables."""
    with tf.Graph().as_default():
        step = tf.train.get_or_create_global_step()
        var = tf.get_variable('var', initializer=tf.constant(START, tf.float64),
                              use_resource=resource)
        fed = tf.placeholder(tf.float64, [len(rows) if rows is not None else 3, 2])
        used = var if rows is None else tf.gather(var, rows)
        train = optimizer_fn(step, var).minimize(tf.reduce_sum(used * fed), global_step=step)
        with tf.Session() as session:
            session.run(tf.global_variables_initializer())
            for grad in grads:
                session.run(train, {fed: grad})
            return session.run(var), sorted(v.op.name for v in tf.global_variables())


@pytest.mark.parametrize('resource', [False, True])
def test_adam_gs_corrects_its_bias_by_the_global_step(resource):
    grads = gradients(4)
    var, names = run_with_global_step(lambda step, _: opt.AdamGSOptimizer(step, LR), grads,
                                      resource=resource)
    np.testing.assert_allclose(var, numpy_adam(grads), rtol=1e-6)
    assert names == ['global_step', 'var', 'var/Adam', 'var/Adam_1']  # no beta powers
    rows = [0, 2]
    var, _ = run_with_global_step(lambda step, _: opt.LazyAdamGSOptimizer(step, LR),
                                  grads[:, :2], rows=rows, resource=resource)
    np.testing.assert_array_equal(var[1], START[1])  # lazy: the unused row stays
    np.testing.assert_allclose(var[rows], lazy_rows(grads[:, :2], rows), rtol=1e-6)


def test_reg_adagrad_leaves_the_accumulators_alone_when_asked():
    with tf.Graph().as_default():
        var = tf.get_variable('var', initializer=tf.constant(START, tf.float64))
        optimizer = opt.RegAdagradOptimizer(0.1, initial_accumulator_value=1.0)
        loss_update = optimizer.minimize(tf.reduce_sum(var))  # gradient 1 everywhere
        with optimizer.avoid_updating_slots():
            regularizer_update = optimizer.minimize(tf.reduce_sum(var * 2.0))
        accumulator = optimizer.get_slot(var, 'accumulator')
        with tf.Session() as session:
            session.run(tf.global_variables_initializer())
            session.run(regularizer_update)  # gradient 2, accumulator kept at 1
            np.testing.assert_allclose(session.run(var), START - 0.1 * 2.0 / 1.0)
            np.testing.assert_allclose(session.run(accumulator), 1.0)
            session.run(loss_update)  # accumulator 1 + 1 = 2
            np.testing.assert_allclose(session.run(accumulator), 2.0)
            np.testing.assert_allclose(session.run(var),
                                       START - 0.2 - 0.1 / np.sqrt(2.0), rtol=1e-6)


@pytest.mark.parametrize('rows', [None, [0, 2]])
def test_variable_clipping_clips_the_rows_norms_after_the_update(rows):
    def clipping(_, var):
        return opt.VariableClippingOptimizer(tf.train.GradientDescentOptimizer(0.5),
                                             {var: [1]}, max_norm=1.0)
    grads = gradients(2)[:, :len(rows) if rows else 3]
    var, _ = run_with_global_step(clipping, grads, rows=rows)
    expected = START.copy()
    for grad in grads:  # a step of gradient descent, then each touched row's norm to <= 1
        touched = rows if rows else [0, 1, 2]
        expected[touched] -= 0.5 * grad
        norms = np.linalg.norm(expected[touched], axis=1, keepdims=True)
        expected[touched] *= np.minimum(1.0, 1.0 / norms)
    np.testing.assert_allclose(var, expected, rtol=1e-6)


def test_what_contrib_opt_had_beyond_these_is_one_clear_error():
    with pytest.raises(unsupported.UnsupportedApiError, match='ElasticAverageOptimizer.*'
                                                              'distributed'):
        opt.ElasticAverageOptimizer
