"""contrib.opt's Adam variants that take the bias correction from the global step (AdamGS,
LazyAdamGS), Adagrad whose accumulators can be left alone for a regulariser's update
(RegAdagrad), and the wrapper that clips chosen variables' norms after each update
(VariableClipping). Ported from TF 1.15, each on the TF 1.x optimizer it extended."""
import contextlib

import tensorflow.compat.v1 as tf
from tensorflow.python.platform import tf_logging as logging
from tensorflow.python.ops import gen_training_ops as training_ops

from tf1.contrib_opt import LazyAdamOptimizer


class AdamGSOptimizer(tf.train.AdamOptimizer):
    """Adam whose bias correction uses `global_step` + 1 (beta ** t) rather than beta-power
    variables of its own, so that workers sharing the step agree and a checkpoint holds
    only the m and v slots. Pass the global step the training increments."""

    def __init__(self, global_step=0, learning_rate=0.001, beta1=0.9, beta2=0.999,
                 epsilon=1e-8, use_locking=False, name='Adam'):
        super(AdamGSOptimizer, self).__init__(learning_rate, beta1, beta2, epsilon,
                                              use_locking, name)
        self._global_step = global_step
        self._global_step_on_worker = None

    def _get_beta_accumulators(self):
        return (tf.pow(self._beta1_t, self._global_step_on_worker),
                tf.pow(self._beta2_t, self._global_step_on_worker))

    def _create_slots(self, var_list):
        for v in var_list:  # no beta powers: the step gives them
            self._zeros_slot(v, 'm', self._name)
            self._zeros_slot(v, 'v', self._name)

    def _prepare(self):
        super(AdamGSOptimizer, self)._prepare()
        self._global_step_on_worker = tf.cast(tf.identity(self._global_step) + 1, tf.float32)

    def _finish(self, update_ops, name_scope):
        return tf.group(*update_ops, name=name_scope)  # nothing of its own to advance


class LazyAdamGSOptimizer(AdamGSOptimizer, LazyAdamOptimizer):
    """AdamGS whose sparse updates (an embedding lookup's) touch only the rows used, as
    LazyAdam's."""


class RegAdagradOptimizer(tf.train.AdagradOptimizer):
    """Adagrad whose updates can skip the accumulators: inside avoid_updating_slots(), a
    regularisation loss's update moves the variables without changing the learning rates
    the main loss's gradients gave them."""

    def __init__(self, learning_rate, initial_accumulator_value=0.1, use_locking=False,
                 name='RegAdagrad'):
        super(RegAdagradOptimizer, self).__init__(
            learning_rate, initial_accumulator_value=initial_accumulator_value,
            use_locking=use_locking, name=name)
        self._should_update_slots = True

    @contextlib.contextmanager
    def avoid_updating_slots(self):
        old = self._should_update_slots
        self._should_update_slots = False
        try:
            yield
        finally:
            self._should_update_slots = old

    def _learning_rate_like(self, dtype):
        return tf.cast(self._learning_rate_tensor, dtype.base_dtype)

    def _apply_dense(self, grad, var):
        return training_ops.apply_adagrad(
            var, self.get_slot(var, 'accumulator'), self._learning_rate_like(var.dtype), grad,
            use_locking=self._use_locking, update_slots=self._should_update_slots)

    def _resource_apply_dense(self, grad, var):
        return training_ops.resource_apply_adagrad(
            var.handle, self.get_slot(var, 'accumulator').handle,
            self._learning_rate_like(grad.dtype), grad, use_locking=self._use_locking,
            update_slots=self._should_update_slots)

    def _apply_sparse(self, grad, var):
        return training_ops.sparse_apply_adagrad(
            var, self.get_slot(var, 'accumulator'), self._learning_rate_like(var.dtype),
            grad.values, grad.indices, use_locking=self._use_locking,
            update_slots=self._should_update_slots)

    def _resource_apply_sparse(self, grad, var, indices):
        return training_ops.resource_sparse_apply_adagrad(
            var.handle, self.get_slot(var, 'accumulator').handle,
            self._learning_rate_like(grad.dtype), grad, indices,
            use_locking=self._use_locking, update_slots=self._should_update_slots)


class VariableClippingOptimizer(tf.train.Optimizer):
    """`opt`, after whose update each variable of `vars_to_clip_dims` ({variable: the
    dimensions its L2 norm is taken over}) is clipped to `max_norm` (tf.clip_by_norm): the
    variables' norms, not the gradients'. Sparse gradients clip only the rows they touched
    (unless dimension 0 is clipped over)."""

    def __init__(self, opt, vars_to_clip_dims, max_norm, use_locking=False,
                 colocate_clip_ops_with_vars=False, name='VariableClipping'):
        super(VariableClippingOptimizer, self).__init__(use_locking, name)
        self._opt = opt
        self._vars_to_clip_dims = {var: clip_dims[:]
                                   for var, clip_dims in vars_to_clip_dims.items()}
        self._max_norm = max_norm
        self._colocate_clip_ops_with_vars = colocate_clip_ops_with_vars

    def compute_gradients(self, *args, **kwargs):
        return self._opt.compute_gradients(*args, **kwargs)

    def get_slot(self, *args, **kwargs):
        return self._opt.get_slot(*args, **kwargs)

    def get_slot_names(self, *args, **kwargs):
        return self._opt.get_slot_names(*args, **kwargs)

    def apply_gradients(self, grads_and_vars, global_step=None, name=None):
        with tf.name_scope(name, self._name) as name:
            update_op = self._opt.apply_gradients(grads_and_vars, global_step=global_step)
            clip_update_ops = []
            with tf.control_dependencies([update_op]):
                for grad, var in grads_and_vars:
                    if grad is None or var not in self._vars_to_clip_dims:
                        continue
                    with tf.name_scope('clip_' + var.op.name):
                        if isinstance(grad, tf.Tensor):
                            clip_update_ops.append(self._clip_dense(var))
                        else:
                            clip_update_ops.append(self._clip_sparse(grad, var))
            return tf.group(*([update_op] + clip_update_ops), name=name)

    def _clip_dense(self, var):
        with self._maybe_colocate_with(var):
            updated_var_value = var.read_value()
            normalized_var = tf.clip_by_norm(updated_var_value, self._max_norm,
                                             self._vars_to_clip_dims[var])
            delta = updated_var_value - normalized_var
        with tf.colocate_with(var):
            return var.assign_sub(delta, use_locking=self._use_locking)

    def _clip_sparse(self, grad, var):
        clip_dims = self._vars_to_clip_dims[var]
        if 0 in clip_dims:
            logging.warning('Clipping norm across dims %s for %s is inefficient when '
                            'including sparse dimension 0.', clip_dims, var.op.name)
            return self._clip_dense(var)
        with tf.colocate_with(var):
            var_subset = tf.gather(var, grad.indices)
        with self._maybe_colocate_with(var):
            normalized_var_subset = tf.clip_by_norm(var_subset, self._max_norm, clip_dims)
            delta = tf.IndexedSlices(var_subset - normalized_var_subset, grad.indices,
                                     grad.dense_shape)
        with tf.colocate_with(var):
            return var.scatter_sub(delta, use_locking=self._use_locking)

    @contextlib.contextmanager
    def _maybe_colocate_with(self, var):
        if self._colocate_clip_ops_with_vars:
            with tf.colocate_with(var):
                yield
        else:
            yield
