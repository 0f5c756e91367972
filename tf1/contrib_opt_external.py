"""tf.contrib.opt's bridge to SciPy's optimisers, as TF 1.15 had it
(contrib/opt/python/training/external_optimizer.py): ScipyOptimizerInterface runs
scipy.optimize.minimize (L-BFGS-B by default) on a graph's loss, asking the session for the
loss and its gradient at each point SciPy tries (the variables fed their trial values), and
writes the optimum back into the variables: the neural-style-transfer scripts' optimiser.
Equality and inequality constraints and per-variable bounds as TF 1.15 took them."""
import numpy as np
import tensorflow.compat.v1 as tf

__all__ = ['ExternalOptimizerInterface', 'ScipyOptimizerInterface']


class ExternalOptimizerInterface(object):
    """An optimiser outside TensorFlow minimising `loss` over `var_list` (the trainable
    variables by default), all of them packed into one vector. Subclasses implement
    `_minimize`. equalities (held at 0) and inequalities (held >= 0) are scalar tensors;
    var_to_bounds maps a variable to (low, high), each broadcast to its shape."""

    def __init__(self, loss, var_list=None, equalities=None, inequalities=None,
                 var_to_bounds=None, **optimizer_kwargs):
        self._loss = loss
        self._equalities = equalities or []
        self._inequalities = inequalities or []
        self._vars = tf.trainable_variables() if var_list is None else list(var_list)
        self._packed_bounds = None
        if var_to_bounds is not None:
            low, high = [], []
            for var in self._vars:
                shape = var.get_shape().as_list()
                bounds = var_to_bounds.get(var, (-np.inf, np.inf))
                low.extend(np.broadcast_to(bounds[0], shape).flat)
                high.extend(np.broadcast_to(bounds[1], shape).flat)
            self._packed_bounds = list(zip(low, high))
        self._update_placeholders = [tf.placeholder(var.dtype) for var in self._vars]
        self._var_updates = [var.assign(tf.reshape(placeholder, _shape(var)))
                             for var, placeholder in zip(self._vars, self._update_placeholders)]
        self.optimizer_kwargs = optimizer_kwargs
        self._packed_var = self._pack(self._vars)
        self._packed_loss_grad = self._pack(_gradients(loss, self._vars))
        self._packed_equality_grads = [self._pack(_gradients(equality, self._vars))
                                       for equality in self._equalities]
        self._packed_inequality_grads = [self._pack(_gradients(inequality, self._vars))
                                         for inequality in self._inequalities]
        ends = np.cumsum([0] + [int(np.prod(_shape(var))) for var in self._vars])
        self._packing_slices = [slice(start, end) for start, end in zip(ends[:-1], ends[1:])]

    def minimize(self, session=None, feed_dict=None, fetches=None, step_callback=None,
                 loss_callback=None, **run_kwargs):
        """Run the optimiser to its end and set the variables to its answer. `fetches` are
        evaluated with every loss and passed to loss_callback; step_callback gets the
        packed variables after each step."""
        session = session or tf.get_default_session()
        feed_dict = feed_dict or {}
        fetches = fetches or []
        loss_callback = loss_callback or (lambda *values: None)
        step_callback = step_callback or (lambda xk: None)

        def evaluators(tensors):
            return [self._make_eval_func(tensor, session, feed_dict, fetches)
                    for tensor in tensors]
        packed = self._minimize(
            initial_val=session.run(self._packed_var),
            loss_grad_func=self._make_eval_func([self._loss, self._packed_loss_grad], session,
                                                feed_dict, fetches, loss_callback),
            equality_funcs=evaluators(self._equalities),
            equality_grad_funcs=evaluators(self._packed_equality_grads),
            inequality_funcs=evaluators(self._inequalities),
            inequality_grad_funcs=evaluators(self._packed_inequality_grads),
            packed_bounds=self._packed_bounds, step_callback=step_callback,
            optimizer_kwargs=self.optimizer_kwargs)
        values = [packed[packing] for packing in self._packing_slices]
        session.run(self._var_updates, feed_dict=dict(zip(self._update_placeholders, values)),
                    **run_kwargs)

    def _minimize(self, initial_val, loss_grad_func, equality_funcs, equality_grad_funcs,
                  inequality_funcs, inequality_grad_funcs, packed_bounds, step_callback,
                  optimizer_kwargs):
        raise NotImplementedError('To use ExternalOptimizerInterface, subclass from it and '
                                  'implement the _minimize() method.')

    @classmethod
    def _pack(cls, tensors):
        """The tensors flattened into one vector (None for none)."""
        if not tensors:
            return None
        if len(tensors) == 1:
            return tf.reshape(tensors[0], [-1])
        return tf.concat([tf.reshape(tensor, [-1]) for tensor in tensors], 0)

    def _make_eval_func(self, tensors, session, feed_dict, fetches, callback=None):
        """A function of a packed vector: the tensors' values with the variables fed those
        values (and `fetches` passed to callback)."""
        tensors = tensors if isinstance(tensors, list) else [tensors]

        def eval_func(x):
            feeds = {var: x[packing].reshape(_shape(var))
                     for var, packing in zip(self._vars, self._packing_slices)}
            feeds.update(feed_dict)
            values = session.run(tensors + fetches, feed_dict=feeds)
            if callable(callback):
                callback(*values[len(tensors):])
            return values[:len(tensors)]
        return eval_func


class ScipyOptimizerInterface(ExternalOptimizerInterface):
    """scipy.optimize.minimize on the graph: `method` (L-BFGS-B by default; SLSQP for
    general constraints) and its `options` as keyword arguments."""

    _DEFAULT_METHOD = 'L-BFGS-B'

    def _minimize(self, initial_val, loss_grad_func, equality_funcs, equality_grad_funcs,
                  inequality_funcs, inequality_grad_funcs, packed_bounds, step_callback,
                  optimizer_kwargs):
        import scipy.optimize

        def loss_and_gradient(x):
            loss, gradient = loss_grad_func(x)  # doubles, which the Fortran solvers need
            return np.float64(loss), gradient.astype('float64')
        optimizer_kwargs = dict(optimizer_kwargs)
        method = optimizer_kwargs.pop('method', self._DEFAULT_METHOD)
        constraints = (
            [{'type': 'eq', 'fun': _doubles(f), 'jac': _doubles(g)}
             for f, g in zip(equality_funcs, equality_grad_funcs)] +
            [{'type': 'ineq', 'fun': _doubles(f), 'jac': _doubles(g)}
             for f, g in zip(inequality_funcs, inequality_grad_funcs)])
        minimize_kwargs = {'jac': True, 'callback': step_callback, 'method': method,
                           'constraints': constraints, 'bounds': packed_bounds}
        for kwarg in minimize_kwargs:
            if kwarg in optimizer_kwargs:
                if kwarg == 'bounds':
                    raise ValueError('Bounds must be set using the var_to_bounds argument')
                raise ValueError("Optimizer keyword arg '{}' is set automatically and cannot "
                                 'be injected manually'.format(kwarg))
        minimize_kwargs.update(optimizer_kwargs)
        # From float64, as TF 1.x's SciPy always started (today's keeps x0's float32).
        result = scipy.optimize.minimize(loss_and_gradient, initial_val.astype(np.float64),
                                         **minimize_kwargs)
        report = ['Optimization terminated with:', '  Message: %s',
                  '  Objective function value: %f']
        values = [result.message, result.fun]
        if hasattr(result, 'nit'):
            report.append('  Number of iterations: %d')
            values.append(result.nit)
        if hasattr(result, 'nfev'):
            report.append('  Number of functions evaluations: %d')
            values.append(result.nfev)
        tf.logging.info('\n'.join(report), *values)
        return result['x']


def _doubles(function):
    """`function` answering float64, which today's SLSQP insists on (TF 1.x's SciPy took
    the graph's float32)."""
    return lambda x: np.asarray(function(x), dtype=np.float64)


def _shape(tensor):
    return tuple(tensor.get_shape().as_list())


def _gradients(loss, var_list):
    """The gradients of loss, zeros where a variable does not affect it."""
    grads = tf.gradients(loss, var_list)
    return [tf.zeros_like(var) if grad is None else grad for grad, var in zip(grads, var_list)]
