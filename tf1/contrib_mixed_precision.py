"""tf.contrib.mixed_precision as TF 1.15 had it: loss scaling for training in half precision
(NVIDIA's recipe). The loss is multiplied by a scale before backprop so that small float16
gradients do not underflow, the gradients divided by it after, and a step whose gradients
overflowed is skipped. A LossScaleManager picks the scale: fixed, or raised after a run of
finite steps and lowered after overflowing ones. Ported from TF 1.15's
contrib/mixed_precision/python."""
import abc

import tensorflow.compat.v1 as tf

__all__ = ['LossScaleManager', 'FixedLossScaleManager', 'ExponentialUpdateLossScaleManager',
           'LossScaleOptimizer']


class LossScaleManager(abc.ABC):
    """Decides the loss scale: get_loss_scale() a float32 scalar tensor, and
    update_loss_scale(finite_grads) the op that adapts it after a step."""

    @abc.abstractmethod
    def get_loss_scale(self):
        """The loss scale, a float32 scalar tensor."""

    @abc.abstractmethod
    def update_loss_scale(self, finite_grads):
        """An op updating the scale, given a bool tensor: were all gradients finite?"""


class FixedLossScaleManager(LossScaleManager):
    """The same scale (at least 1) for every step."""

    def __init__(self, loss_scale):
        if loss_scale < 1:
            raise ValueError('loss scale must be at least 1.')
        self._loss_scale = tf.convert_to_tensor(loss_scale, dtype=tf.float32)

    def get_loss_scale(self):
        return self._loss_scale

    def update_loss_scale(self, finite_grads):
        del finite_grads
        return tf.no_op()


class ExponentialUpdateLossScaleManager(LossScaleManager):
    """A scale multiplied by incr_ratio after incr_every_n_steps finite steps in a row, and
    by decr_ratio (not below 1) after decr_every_n_nan_or_inf steps with inf or NaN
    gradients; both counts start again whenever the scale changes. Kept in variables
    `loss_scale`, `good_steps` and `bad_steps`, so a checkpoint carries it."""

    def __init__(self, init_loss_scale, incr_every_n_steps, decr_every_n_nan_or_inf=2,
                 incr_ratio=2, decr_ratio=0.8):
        self._incr_every_n_steps = incr_every_n_steps
        self._decr_every_n_nan_or_inf = decr_every_n_nan_or_inf
        self._incr_ratio = incr_ratio
        self._decr_ratio = decr_ratio
        self._loss_scale = tf.Variable(tf.convert_to_tensor(init_loss_scale, tf.float32),
                                       name='loss_scale', dtype=tf.float32, trainable=False)
        self._num_good_steps = tf.Variable(0, name='good_steps', dtype=tf.int32,
                                           trainable=False)
        self._num_bad_steps = tf.Variable(0, name='bad_steps', dtype=tf.int32, trainable=False)

    def _reset_stats(self):
        return tf.group(tf.assign(self._num_good_steps, 0), tf.assign(self._num_bad_steps, 0))

    def get_loss_scale(self):
        return self._loss_scale

    def update_loss_scale(self, finite_grads):
        def on_finite():
            def increase():
                raised = self._loss_scale * self._incr_ratio
                new_scale = tf.cond(tf.is_finite(raised), lambda: raised,
                                    lambda: tf.identity(self._loss_scale))
                return tf.group(tf.assign(self._loss_scale, new_scale), self._reset_stats())
            return tf.cond(self._num_good_steps + 1 >= self._incr_every_n_steps, increase,
                           lambda: tf.assign_add(self._num_good_steps, 1).op)

        def on_overflow():
            def decrease():
                lowered = tf.maximum(1., self._loss_scale * self._decr_ratio)
                return tf.group(tf.assign(self._loss_scale, lowered), self._reset_stats())

            def count():  # a bad step breaks the run of good ones
                return tf.group(tf.assign_add(self._num_bad_steps, 1),
                                tf.assign(self._num_good_steps, 0))
            return tf.cond(self._num_bad_steps + 1 >= self._decr_every_n_nan_or_inf, decrease,
                           count)
        return tf.cond(finite_grads, on_finite, on_overflow)


class LossScaleOptimizer(tf.train.Optimizer):
    """`opt` with loss scaling by `loss_scale_manager`: compute_gradients scales the loss up
    and the gradients back down; apply_gradients applies them only when all are finite
    (global_step then advances too) and lets the manager update the scale."""

    def __init__(self, opt, loss_scale_manager):
        self._opt = opt
        self._loss_scale_manager = loss_scale_manager

    def compute_gradients(self, loss, var_list=None, gate_gradients=tf.train.Optimizer.GATE_OP,
                          aggregation_method=None, colocate_gradients_with_ops=False,
                          grad_loss=None):
        loss_scale = self._loss_scale_manager.get_loss_scale()
        if tf.executing_eagerly():  # the loss is a function there, and so its scaled form
            def scaled_loss():
                loss_value = loss()
                return loss_value * tf.cast(loss_scale, loss_value.dtype.base_dtype)
        else:
            loss_value = loss() if callable(loss) else loss
            scaled_loss = loss_value * tf.cast(loss_scale, loss_value.dtype.base_dtype)
        grads_and_vars = self._opt.compute_gradients(
            scaled_loss, var_list=var_list, gate_gradients=gate_gradients,
            aggregation_method=aggregation_method,
            colocate_gradients_with_ops=colocate_gradients_with_ops, grad_loss=grad_loss)
        inverse = tf.reciprocal(loss_scale)
        return [(g * tf.cast(inverse, g.dtype.base_dtype) if g is not None else None, v)
                for g, v in grads_and_vars]

    def apply_gradients(self, grads_and_vars, global_step=None, name=None):
        grads_and_vars = list(grads_and_vars)
        all_finite = tf.reduce_all([tf.reduce_all(tf.is_finite(g))
                                    for g, _ in grads_and_vars if g is not None])
        update_vars = tf.cond(all_finite,
                              lambda: self._opt.apply_gradients(grads_and_vars, global_step,
                                                                name),
                              tf.no_op)
        return tf.group(update_vars, self._loss_scale_manager.update_loss_scale(all_finite))
