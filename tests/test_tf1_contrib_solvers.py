"""tf1's tf.contrib.solvers against NumPy: TF 1.15's own test of conjugate gradient (every
preconditioner, static and fed shapes), CGLS against lstsq, Lanczos bidiagonalization's
defining equations."""
import numpy as np
import pytest
import tensorflow.compat.v1 as tf

from tf1.api import tensorflow as tf1_api

tf.disable_v2_behavior()
solvers = tf1_api.contrib.solvers.python.ops
linear_equations, least_squares = solvers.linear_equations, solvers.least_squares
lanczos, util = solvers.lanczos, solvers.util


def tensors(static, session_feed, **arrays):
    """The arrays as constants, or as placeholders fed later (shapes unknown)."""
    if static:
        return {name: tf.constant(value) for name, value in arrays.items()}
    placeholders = {name: tf.placeholder(value.dtype) for name, value in arrays.items()}
    session_feed.update({placeholders[name]: value for name, value in arrays.items()})
    return placeholders


@pytest.mark.parametrize('dtype', [np.float32, np.float64])
@pytest.mark.parametrize('size', [1, 4, 10])
@pytest.mark.parametrize('static', [True, False])
def test_conjugate_gradient_as_tf_1_15_tested_it(dtype, size, static):
    random = np.random.RandomState(1)
    a_np = random.uniform(-1.0, 1.0, size * size).reshape(size, size).astype(dtype)
    a_np = a_np.T @ a_np  # self-adjoint, positive definite
    jacobi_np = np.diag(1.0 / a_np.diagonal()).astype(dtype)
    rhs_np = random.uniform(-1.0, 1.0, size).astype(dtype)
    tol = 1e-6 if dtype == np.float64 else 1e-3
    feed = {}
    with tf.Graph().as_default(), tf.Session() as session:
        t = tensors(static, feed, a=a_np, rhs=rhs_np, x=np.zeros_like(rhs_np), jacobi=jacobi_np)
        results = [session.run(linear_equations.conjugate_gradient(
            util.create_operator(t['a']), t['rhs'], preconditioner=preconditioner, x=t['x'],
            tol=tol, max_iter=20), feed) for preconditioner in (
            None, util.identity_operator(t['a']), util.create_operator(t['jacobi']))]
    for result in results:
        assert np.linalg.norm(result.r) <= tol * np.linalg.norm(rhs_np)
        assert np.linalg.norm(rhs_np - np.dot(a_np, result.x)) <= tol * np.linalg.norm(rhs_np)
    assert results[0].i == results[1].i  # the identity preconditions nothing
    np.testing.assert_allclose(results[0].x, results[1].x, rtol=tol)


def test_cgls_solves_least_squares():
    random = np.random.RandomState(2)
    a_np, rhs_np = random.randn(8, 5), random.randn(8)
    with tf.Graph().as_default(), tf.Session() as session:
        result = session.run(least_squares.cgls(util.create_operator(tf.constant(a_np)),
                                                tf.constant(rhs_np), tol=1e-10, max_iter=20))
    np.testing.assert_allclose(result.x, np.linalg.lstsq(a_np, rhs_np, rcond=None)[0],
                               rtol=1e-6)
    np.testing.assert_allclose(result.r, rhs_np - a_np @ result.x, atol=1e-10)
    assert result.i <= 20 and result.gamma <= 1e-20 * np.sum((a_np.T @ rhs_np) ** 2)


@pytest.mark.parametrize('orthogonalize', [True, False])
def test_lanczos_bidiagonalization(orthogonalize):
    random = np.random.RandomState(3)
    a_np, start = random.randn(7, 5), random.randn(7)
    k = 4
    with tf.Graph().as_default(), tf.Session() as session:
        a = tf.constant(a_np)
        state = lanczos.lanczos_bidiag(util.create_operator(a), k, orthogonalize=orthogonalize,
                                       starting_vector=tf.constant(start))
        u, v, alpha, beta = session.run(state)
        ub = session.run(lanczos.bidiag_matmul(tf.constant(u), tf.constant(alpha),
                                               tf.constant(beta)))
        vb = session.run(lanczos.bidiag_matmul(tf.constant(v), tf.constant(alpha),
                                               tf.constant(beta), adjoint_b=True))
    assert u.shape == (7, k + 1) and v.shape == (5, k)
    b = np.zeros((k + 1, k))
    b[np.arange(k), np.arange(k)], b[np.arange(1, k + 1), np.arange(k)] = alpha, beta
    np.testing.assert_allclose(ub, u @ b, atol=1e-12)
    np.testing.assert_allclose(vb, v @ b[:-1].T, atol=1e-12)
    np.testing.assert_allclose(a_np @ v, u @ b, atol=1e-10)  # A V = U B
    np.testing.assert_allclose(a_np.T @ u[:, :-1], v @ b[:-1].T, atol=1e-10)
    np.testing.assert_allclose(u[:, 0], start / np.linalg.norm(start))
    np.testing.assert_allclose(u.T @ u, np.eye(k + 1), atol=1e-8)
    np.testing.assert_allclose(v.T @ v, np.eye(k), atol=1e-8)


def test_the_helpers():
    x, y = np.array([1. + 2.j, 3.j]), np.array([2. - 1.j, 1.])
    with tf.Graph().as_default(), tf.Session() as session:
        got_dot, norm, (unit, unit_norm) = session.run([
            util.dot(tf.constant(x), tf.constant(y)), util.l2norm(tf.constant([3., 4.])),
            util.l2normalize(tf.constant([3., 4.]))])
        operator = util.create_operator(tf.placeholder(tf.float32, [None, 3]))
        assert isinstance(operator.shape, tf.Tensor)  # known when it is run
    assert got_dot == np.vdot(x, y) and norm == 5.
    np.testing.assert_allclose(unit, [0.6, 0.8])
    assert unit_norm == 5.
    assert solvers.util.create_operator is tf1_api.contrib.solvers.create_operator
