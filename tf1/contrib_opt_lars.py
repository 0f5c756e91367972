"""tf.contrib.opt's LARSOptimizer (TF 1.15's contrib/opt/python/training/lars_optimizer.py,
ported): momentum with a learning rate scaled per variable, run by TensorFlow's momentum
kernels, its slot `momentum` named as in TF 1.x."""
import tensorflow.compat.v1 as tf
from tensorflow.python.ops import gen_training_ops as training_ops

from tf1.contrib_opt import cast_like


class LARSOptimizer(tf.train.Optimizer):
    """Layer-wise Adaptive Rate Scaling (You, Gitman & Ginsburg, 2017): momentum on the
    gradient plus weight_decay * w, each variable's learning rate scaled by
    eeta * |w| / (|g| + weight_decay * |w| + epsilon), except variables whose name contains
    a string of `skip_list`; sparse gradients take plain momentum."""

    def __init__(self, learning_rate, momentum=0.9, weight_decay=0.0001, eeta=0.001,
                 epsilon=0.0, name='LARSOptimizer', skip_list=None, use_nesterov=False):
        if momentum < 0.0:
            raise ValueError('momentum should be positive: %s' % momentum)
        if weight_decay < 0.0:
            raise ValueError('weight_decay should be positive: %s' % weight_decay)
        super(LARSOptimizer, self).__init__(use_locking=False, name=name)
        self._learning_rate, self._momentum = learning_rate, momentum
        self._weight_decay, self._eeta, self._epsilon = weight_decay, eeta, epsilon
        self._skip_list, self._use_nesterov = skip_list, use_nesterov

    def _create_slots(self, var_list):
        for v in var_list:
            self._zeros_slot(v, 'momentum', self._name)

    def compute_lr(self, grad, var):
        """(the variable's scaled learning rate, the gradient with the weight decay's
        weight_decay * var added), as TF 1.15's; variables of `skip_list` keep both."""
        if self._skip_list is not None and any(v in var.name for v in self._skip_list):
            return self._learning_rate, grad
        w_norm = tf.norm(var, ord=2)
        g_norm = tf.norm(grad, ord=2)
        trust_ratio = tf.where(
            tf.greater(w_norm, 0),
            tf.where(tf.greater(g_norm, 0),
                     (self._eeta * w_norm
                      / (g_norm + self._weight_decay * w_norm + self._epsilon)), 1.0),
            1.0)
        return self._learning_rate * trust_ratio, grad + self._weight_decay * var

    # The momentum accumulates the scaled step (lr * gradient), applied with a rate of 1,
    # as in TF 1.15: the trust ratio of each step stays in the velocity.
    def _apply_dense(self, grad, var):
        scaled_lr, grad = self.compute_lr(grad, var)
        return training_ops.apply_momentum(
            var, self.get_slot(var, 'momentum'), tf.cast(1.0, var.dtype.base_dtype),
            grad * scaled_lr, self._momentum, use_locking=False,
            use_nesterov=self._use_nesterov)

    def _resource_apply_dense(self, grad, var):
        scaled_lr, grad = self.compute_lr(grad, var)
        return training_ops.resource_apply_momentum(
            var.handle, self.get_slot(var, 'momentum').handle,
            tf.cast(1.0, var.dtype.base_dtype), grad * scaled_lr, self._momentum,
            use_locking=False, use_nesterov=self._use_nesterov)

    def _apply_sparse(self, grad, var):
        return training_ops.sparse_apply_momentum(
            var, self.get_slot(var, 'momentum'), cast_like(self._learning_rate_tensor, var),
            grad.values, grad.indices, cast_like(self._momentum_tensor, var),
            use_locking=self._use_locking, use_nesterov=self._use_nesterov).op

    def _resource_apply_sparse(self, grad, var, indices):
        return training_ops.resource_sparse_apply_momentum(
            var.handle, self.get_slot(var, 'momentum').handle,
            tf.cast(self._learning_rate_tensor, grad.dtype), grad, indices,
            tf.cast(self._momentum_tensor, grad.dtype), use_locking=self._use_locking,
            use_nesterov=self._use_nesterov)

    def _prepare(self):
        learning_rate = self._learning_rate
        self._learning_rate_tensor = tf.convert_to_tensor(
            learning_rate() if callable(learning_rate) else learning_rate,
            name='learning_rate')
        momentum = self._momentum
        self._momentum_tensor = tf.convert_to_tensor(
            momentum() if callable(momentum) else momentum, name='momentum')
