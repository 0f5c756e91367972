"""tf.contrib.opt's optimizer wrappers (TF 1.15, ported): MovingAverageOptimizer (an
exponential moving average of the trained variables, saved in their place by its
swapping saver) and MultitaskOptimizerWrapper (all-zero gradients leave the optimizer's
state alone), with clip_gradients_by_global_norm."""
import types

import tensorflow.compat.v1 as tf
from tensorflow.python.ops import variables
from tensorflow.python.training.saving import saveable_object_util


class MovingAverageOptimizer(tf.train.Optimizer):
    """`opt`'s updates, then tf.train.ExponentialMovingAverage(average_decay,
    num_updates) of the variables updated. swapping_saver() saves the averages under the
    variables' names (and the variables under the averages'): code that restores the
    checkpoint gets the averaged model."""

    def __init__(self, opt, average_decay=0.9999, num_updates=None, sequential_update=True):
        self._optimizer = opt
        self._ema = tf.train.ExponentialMovingAverage(average_decay, num_updates=num_updates)
        self._swapped_variable_name_map = None
        self._sequential_update = sequential_update

    def compute_gradients(self, *args, **kwargs):
        return self._optimizer.compute_gradients(*args, **kwargs)

    def apply_gradients(self, grads_and_vars, global_step=None, name=None):
        train_op = self._optimizer.apply_gradients(grads_and_vars, global_step=global_step,
                                                   name=name)
        var_list = [var for grad, var in grads_and_vars if grad is not None]
        self._swapped_variable_name_map = {}
        if self._sequential_update:  # the average of the variables after this step
            with tf.control_dependencies([train_op]):
                ma_op = self._ema.apply(var_list)
        else:
            ma_op = self._ema.apply(var_list)
        for var in var_list:
            average = self._ema.average(var)
            self._swapped_variable_name_map[var.op.name] = average.op.name
            self._swapped_variable_name_map[average.op.name] = var.op.name
        return tf.group(train_op, ma_op, name='train_with_avg')

    def _find_swapped_variable(self, v_name_to_tensor, v_name, tensor):
        swapped_v_name = self._swapped_variable_name_map.get(v_name)
        if swapped_v_name is None:
            return tensor
        if swapped_v_name not in v_name_to_tensor:
            raise ValueError('Variable to swap %s is not part of variables to save. This '
                             'breaks MovingAverageOptimizer.' % swapped_v_name)
        return v_name_to_tensor[swapped_v_name]

    def swapping_saver(self, var_list=None, name='swapping_saver', **kwargs):
        """A tf.train.Saver writing each average under its variable's name; made after
        minimize() or apply_gradients()."""
        if self._swapped_variable_name_map is None:
            raise RuntimeError('Must call apply_gradients or minimize before creating the '
                               'swapping_saver')
        if var_list is None:
            var_list = tf.global_variables()
        if not isinstance(var_list, dict):
            var_list = saveable_object_util.op_list_to_dict(var_list)
        v_name_to_tensor = {}
        for key, tensor_or_list in var_list.items():
            # A partitioned variable comes as the list of its parts.
            if isinstance(tensor_or_list, (list, variables.PartitionedVariable)):
                for tensor in tensor_or_list:
                    v_name_to_tensor[tensor.op.name] = tensor
            else:
                v_name_to_tensor[key] = tensor_or_list
        swapped_var_list = {}
        for key, tensor_or_list in var_list.items():
            if isinstance(tensor_or_list, list):
                swapped_var_list[key] = [
                    self._find_swapped_variable(v_name_to_tensor, tensor.op.name, tensor)
                    for tensor in tensor_or_list]
            else:
                swapped_var_list[key] = self._find_swapped_variable(
                    v_name_to_tensor, key, tensor_or_list)
        return tf.train.Saver(swapped_var_list, name=name, **kwargs)


def _is_all_zeros(grad):
    return tf.equal(tf.count_nonzero(grad), 0)


def _skipping_all_zeros(fn, opt):
    """`opt`'s apply function `fn`, skipped (a no-op) for an all-zero gradient."""
    def wrapper(self, grad, *args, **kwargs):
        def call_fn():
            with tf.control_dependencies([fn(grad, *args, **kwargs)]):
                return tf.no_op()
        return tf.cond(_is_all_zeros(grad), tf.no_op, call_fn)
    return types.MethodType(wrapper, opt)


class MultitaskOptimizerWrapper(object):
    """`opt` (a tf.train.Optimizer), except that an all-zero gradient (a task's loss
    masked out of the batch) is not applied, so it leaves the optimizer's state (momenta,
    moving averages) as it was. Clip with clip_gradients_by_global_norm, which leaves
    those gradients out of the norm."""

    def __init__(self, opt):
        if not isinstance(opt, tf.train.Optimizer):
            raise TypeError('Supplied optimizer must be an instance of tf.train.Optimizer')
        self._opt = opt
        for name in ('_apply_dense', '_resource_apply_dense', '_apply_sparse',
                     '_resource_apply_sparse'):
            setattr(self._opt, name, _skipping_all_zeros(getattr(self._opt, name), self._opt))

    def __getattr__(self, name):
        return getattr(self._opt, name)


def clip_gradients_by_global_norm(gradients_variables, clip_norm=20.):
    """(gradients_variables with the gradients clipped to `clip_norm` by their global
    norm, that norm), all-zero gradients left out of the norm."""
    gradients, variables = zip(*gradients_variables)

    def _replace_nonexisting_grad(grad):
        if grad is None:
            return grad
        return tf.cond(_is_all_zeros(grad),
                       lambda: tf.zeros([], dtype=tf.as_dtype(grad.dtype)), lambda: grad)

    fixed_global_norm = tf.global_norm([_replace_nonexisting_grad(g) for g in gradients])
    gradients, _ = tf.clip_by_global_norm(gradients, clip_norm, use_norm=fixed_global_norm)
    return list(zip(gradients, variables)), fixed_global_norm
