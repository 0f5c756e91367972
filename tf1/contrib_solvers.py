"""tf.contrib.solvers (TF 1.1-1.15), ported from TF 1.15: matrix-free iterative solvers
in graph ops (tf.while_loop) for a linear operator given as `shape`, `dtype`, `apply`
and `apply_adjoint`: conjugate gradient (linear_equations), CGLS for least squares
(least_squares), Lanczos bidiagonalization (lanczos) and their helpers (util)."""
import collections

import tensorflow.compat.v1 as tf

__all__ = ['conjugate_gradient', 'cgls', 'lanczos_bidiag', 'bidiag_matmul', 'create_operator',
           'identity_operator', 'dot', 'l2norm_squared', 'l2norm', 'l2normalize']

LinearOperator = collections.namedtuple('LinearOperator',
                                        ['shape', 'dtype', 'apply', 'apply_adjoint'])


def _shape(matrix):
    shape = matrix.get_shape()
    return shape.as_list() if shape.is_fully_defined() else tf.shape(matrix)


def create_operator(matrix):
    """The linear operator of a rank-2 tensor."""
    return LinearOperator(shape=_shape(matrix), dtype=matrix.dtype,
                          apply=lambda v: tf.matmul(matrix, v, adjoint_a=False),
                          apply_adjoint=lambda v: tf.matmul(matrix, v, adjoint_a=True))


def identity_operator(matrix):
    """The identity, as an operator of a rank-2 tensor's shape."""
    return LinearOperator(shape=_shape(matrix), dtype=matrix.dtype, apply=lambda v: v,
                          apply_adjoint=lambda v: v)


def dot(x, y):
    return tf.reduce_sum(tf.conj(x) * y)


def l2norm_squared(v):
    return tf.constant(2, dtype=v.dtype.base_dtype) * tf.nn.l2_loss(v)


def l2norm(v):
    return tf.sqrt(l2norm_squared(v))


def l2normalize(v):
    norm = l2norm(v)
    return v / norm, norm


CGState = collections.namedtuple('CGState', ['i', 'x', 'r', 'p', 'gamma'])


def conjugate_gradient(operator, rhs, preconditioner=None, x=None, tol=1e-4, max_iter=20,
                       name='conjugate_gradient'):
    """Solves `A x = rhs` for a self-adjoint positive definite `operator` A, from `x` (else
    zeros), with an optional `preconditioner` approximating A's inverse, until
    ||rhs - A x|| <= tol ||rhs - A x_0|| or max_iter steps: CGState(i, x, r, p, gamma)."""
    def stopping_criterion(i, state):
        return tf.logical_and(i < max_iter, tf.norm(state.r) > tol)

    def cg_step(i, state):
        z = operator.apply(state.p)
        alpha = state.gamma / dot(state.p, z)
        x = state.x + alpha * state.p
        r = state.r - alpha * z
        if preconditioner is None:
            q = r
        else:
            q = preconditioner.apply(r)
        gamma = dot(r, q)
        beta = gamma / state.gamma
        p = q + beta * state.p
        return i + 1, CGState(i + 1, x, r, p, gamma)

    with tf.name_scope(name):
        n = operator.shape[1:]
        rhs = tf.expand_dims(rhs, -1)
        if x is None:
            x = tf.expand_dims(tf.zeros(n, dtype=rhs.dtype.base_dtype), -1)
            r0 = rhs
        else:
            x = tf.expand_dims(x, -1)
            r0 = rhs - operator.apply(x)
        p0 = r0 if preconditioner is None else preconditioner.apply(r0)
        gamma0 = dot(r0, p0)
        tol *= tf.norm(r0)
        i = tf.constant(0, dtype=tf.int32)
        _, state = tf.while_loop(stopping_criterion, cg_step,
                                 [i, CGState(i=i, x=x, r=r0, p=p0, gamma=gamma0)])
        return CGState(state.i, x=tf.squeeze(state.x), r=tf.squeeze(state.r),
                       p=tf.squeeze(state.p), gamma=state.gamma)


def cgls(operator, rhs, tol=1e-6, max_iter=20, name='cgls'):
    """Solves the least-squares problem min ||A x - rhs|| by conjugate gradients on the
    normal equations, until ||A* (rhs - A x)|| <= tol ||A* rhs|| or max_iter steps:
    CGState(i, x, r, p, gamma = ||A* r||^2)."""
    def stopping_criterion(i, state):
        return tf.logical_and(i < max_iter, state.gamma > tol)

    def cgls_step(i, state):
        q = operator.apply(state.p)
        alpha = state.gamma / l2norm_squared(q)
        x = state.x + alpha * state.p
        r = state.r - alpha * q
        s = operator.apply_adjoint(r)
        gamma = l2norm_squared(s)
        beta = gamma / state.gamma
        p = s + beta * state.p
        return i + 1, CGState(i + 1, x, r, p, gamma)

    with tf.name_scope(name):
        n = operator.shape[1:]
        rhs = tf.expand_dims(rhs, -1)
        s0 = operator.apply_adjoint(rhs)
        gamma0 = l2norm_squared(s0)
        tol = tol * tol * gamma0
        x = tf.expand_dims(tf.zeros(n, dtype=rhs.dtype.base_dtype), -1)
        i = tf.constant(0, dtype=tf.int32)
        _, state = tf.while_loop(stopping_criterion, cgls_step,
                                 [i, CGState(i=i, x=x, r=rhs, p=s0, gamma=gamma0)])
        return CGState(state.i, x=tf.squeeze(state.x), r=tf.squeeze(state.r),
                       p=tf.squeeze(state.p), gamma=state.gamma)


LanczosBidiagState = collections.namedtuple('LanczosBidiagState', ['u', 'v', 'alpha', 'beta'])


def lanczos_bidiag(operator, k, orthogonalize=True, starting_vector=None,
                   name='lanczos_bidiag'):
    """k steps of Lanczos bidiagonalization of an M x N `operator` A: U [M, k+1] and V [N, k]
    with orthonormal columns and the lower bidiagonal B [k+1, k] (diagonal alpha,
    subdiagonal beta) with A V = U B; full reorthogonalization (iterated modified
    Gram-Schmidt, as PROPACK) unless orthogonalize=False."""
    def tarray(size, dtype, name):
        return tf.TensorArray(dtype=dtype, size=size, tensor_array_name=name,
                              clear_after_read=False)

    # The Lanczos vectors are stored as the rows of the arrays (TensorArray stacks along
    # the first dimension) and read back as columns.
    def read_colvec(tarray, i):
        return tf.expand_dims(tarray.read(i), -1)

    def write_colvec(tarray, colvec, i):
        return tarray.write(i, tf.squeeze(colvec))

    def update_state(old, i, u, v, alpha, beta):
        return LanczosBidiagState(write_colvec(old.u, u, i + 1), write_colvec(old.v, v, i),
                                  old.alpha.write(i, alpha), old.beta.write(i, beta))

    def gram_schmidt_step(j, basis, v):
        """v made orthogonal to the basis' j-th vector."""
        v_shape = v.get_shape()
        basis_vec = read_colvec(basis, j)
        v -= tf.matmul(basis_vec, v, adjoint_a=True) * basis_vec
        v.set_shape(v_shape)
        return j + 1, basis, v

    def orthogonalize_once(i, basis, v):
        j = tf.constant(0, dtype=tf.int32)
        _, _, v = tf.while_loop(lambda j, basis, v: j < i, gram_schmidt_step, [j, basis, v])
        return l2normalize(v)

    def orthogonalize_(i, basis, v):
        # A second round where the norm fell below 1/sqrt(2) of its value (Parlett, The
        # Symmetric Eigenvalue Problem, 1980, pp. 105-109).
        v_norm = l2norm(v)
        v_new, v_new_norm = orthogonalize_once(i, basis, v)
        return tf.cond(v_new_norm < 0.7071 * v_norm, lambda: orthogonalize_once(i, basis, v),
                       lambda: (v_new, v_new_norm))

    def lanczos_bidiag_step(i, ls):
        u = read_colvec(ls.u, i)
        r = operator.apply_adjoint(u)
        r_shape = r.get_shape()  # which tf.cond loses
        r = tf.cond(i > 0, lambda: r - ls.beta.read(i - 1) * read_colvec(ls.v, i - 1),
                    lambda: r)
        r.set_shape(r_shape)
        v, alpha = orthogonalize_(i - 1, ls.v, r) if orthogonalize else l2normalize(r)
        p = operator.apply(v) - alpha * u
        u, beta = orthogonalize_(i, ls.u, p) if orthogonalize else l2normalize(p)
        return i + 1, update_state(ls, i, u, v, alpha, beta)

    with tf.name_scope(name):
        dtype = operator.dtype
        if starting_vector is None:
            starting_vector = tf.random_uniform(operator.shape[:1], -1, 1, dtype=dtype)
        u0, _ = l2normalize(starting_vector)
        ls = LanczosBidiagState(u=write_colvec(tarray(k + 1, dtype, 'u'), u0, 0),
                                v=tarray(k, dtype, 'v'), alpha=tarray(k, dtype, 'alpha'),
                                beta=tarray(k, dtype, 'beta'))
        i = tf.constant(0, dtype=tf.int32)
        _, ls = tf.while_loop(lambda i, _: i < k, lanczos_bidiag_step, [i, ls])
        return LanczosBidiagState(tf.matrix_transpose(ls.u.stack()),
                                  tf.matrix_transpose(ls.v.stack()), ls.alpha.stack(),
                                  ls.beta.stack())


def bidiag_matmul(matrix, alpha, beta, adjoint_b=False, name='bidiag_matmul'):
    """A B for the (k+1) x k lower bidiagonal B of diagonal alpha and subdiagonal beta, or
    A B[:-1, :]' with adjoint_b."""
    with tf.name_scope(name):
        alpha = tf.expand_dims(alpha, 0)
        if adjoint_b is False:
            beta = tf.expand_dims(beta, 0)
            return matrix[:, :-1] * alpha + matrix[:, 1:] * beta
        beta = tf.expand_dims(beta[:-1], 0)
        shape = tf.shape(matrix)
        zero_column = tf.expand_dims(tf.zeros(shape[:1], dtype=matrix.dtype), 1)
        return matrix * alpha + tf.concat([zero_column, matrix[:, :-1] * beta], 1)
