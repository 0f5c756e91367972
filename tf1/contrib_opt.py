"""tf.contrib.opt's optimizers (TF 1.15's contrib/opt/python/training, ported): AdamW and
MomentumW (decoupled weight decay, Loshchilov & Hutter), any optimizer extended with it,
LazyAdam (sparse rows updated only where the batch used them), Nadam, AdaMax, AddSign and
PowerSign (Bello et al. 2017), and LARS (contrib_opt_lars.py). Each is a tf.train.Optimizer run by the same
update kernels TF 1.x ran (TensorFlow still ships ApplyAdam with Nesterov momentum,
ApplyAdaMax, ApplyAddSign, ApplyPowerSign and ApplyMomentum); their variables and slots
(`m`, `v`, `momentum`) are named as in TF 1.x, so checkpoints carry over.

The wrappers (MovingAverageOptimizer, MultitaskOptimizerWrapper) are in
contrib_opt_wrappers.py."""
import math

import tensorflow.compat.v1 as tf
from tensorflow.python.ops import gen_training_ops as training_ops
from tensorflow.python.ops import resource_variable_ops


def cast_like(value, var):
    """`value` in `var`'s dtype (the optimizers' hyperparameters for each variable)."""
    return tf.cast(value, var.dtype.base_dtype)


def _adam_hyperparameters(adam, like):
    """An AdamOptimizer's beta powers, learning rate, betas and epsilon, in the dtype of
    `like` (the variable, or a resource variable's gradient)."""
    beta1_power, beta2_power = adam._get_beta_accumulators()
    return [cast_like(value, like) for value in (
        beta1_power, beta2_power, adam._lr_t, adam._beta1_t, adam._beta2_t, adam._epsilon_t)]


def _resource_scatter(function):
    """A scatter on a resource variable that returns its value afterwards, as the
    reference variables' state_ops.scatter_* do."""
    def scatter(x, i, v, _=None):
        with tf.control_dependencies([function(x.handle, i, v)]):
            return x.value()
    return scatter


# ---------------------------------------------------------------- decoupled weight decay

class DecoupledWeightDecayExtension(object):
    """Decays each variable by `weight_decay` × its value before the base optimizer's
    update (decoupled from the loss's gradient). The first base of an optimizer class:
    `class AdamWOptimizer(DecoupledWeightDecayExtension, tf.train.AdamOptimizer)`.
    `minimize` and `apply_gradients` take `decay_var_list`, the variables to decay (all
    that are optimized by default)."""

    def __init__(self, weight_decay, **kwargs):
        self._decay_var_list = None  # set in minimize or apply_gradients
        self._weight_decay = weight_decay
        self._weight_decay_tensor = None  # made in _prepare
        super(DecoupledWeightDecayExtension, self).__init__(**kwargs)

    def minimize(self, loss, global_step=None, var_list=None,
                 gate_gradients=tf.train.Optimizer.GATE_OP, aggregation_method=None,
                 colocate_gradients_with_ops=False, name=None, grad_loss=None,
                 decay_var_list=None):
        # TF 1.15 passed this to Optimizer.minimize, whose call of apply_gradients then
        # reset the list to every variable; it is handed on here, as documented.
        grads_and_vars = self.compute_gradients(
            loss, var_list=var_list, gate_gradients=gate_gradients,
            aggregation_method=aggregation_method,
            colocate_gradients_with_ops=colocate_gradients_with_ops, grad_loss=grad_loss)
        return self.apply_gradients(grads_and_vars, global_step=global_step, name=name,
                                    decay_var_list=decay_var_list)

    def apply_gradients(self, grads_and_vars, global_step=None, name=None,
                        decay_var_list=None):
        self._decay_var_list = set(decay_var_list) if decay_var_list else False
        return super(DecoupledWeightDecayExtension, self).apply_gradients(
            grads_and_vars, global_step=global_step, name=name)

    def _prepare(self):
        weight_decay = self._weight_decay() if callable(self._weight_decay) else (
            self._weight_decay)
        self._weight_decay_tensor = tf.convert_to_tensor(weight_decay, name='weight_decay')
        super(DecoupledWeightDecayExtension, self)._prepare()

    def _decays(self, var):
        return not self._decay_var_list or var in self._decay_var_list

    def _decay_weights_op(self, var):
        if self._decays(var):
            return var.assign_sub(cast_like(self._weight_decay_tensor, var) * var,
                                  self._use_locking)
        return tf.no_op()

    def _decay_weights_sparse_op(self, var, indices, scatter_add):
        if self._decays(var):
            update = -cast_like(self._weight_decay_tensor, var) * tf.gather(var, indices)
            return scatter_add(var, indices, update, self._use_locking)
        return tf.no_op()

    # The base optimizer's apply functions, each after the decay.
    def _apply_dense(self, grad, var):
        with tf.control_dependencies([self._decay_weights_op(var)]):
            return super(DecoupledWeightDecayExtension, self)._apply_dense(grad, var)

    def _resource_apply_dense(self, grad, var):
        with tf.control_dependencies([self._decay_weights_op(var)]):
            return super(DecoupledWeightDecayExtension, self)._resource_apply_dense(grad, var)

    def _apply_sparse(self, grad, var):
        decay_op = self._decay_weights_sparse_op(var, grad.indices, tf.scatter_add)
        with tf.control_dependencies([decay_op]):
            return super(DecoupledWeightDecayExtension, self)._apply_sparse(grad, var)

    def _resource_apply_sparse(self, grad, var, indices):
        decay_op = self._decay_weights_sparse_op(
            var, indices, _resource_scatter(resource_variable_ops.resource_scatter_add))
        with tf.control_dependencies([decay_op]):
            return super(DecoupledWeightDecayExtension, self)._resource_apply_sparse(
                grad, var, indices)


def extend_with_decoupled_weight_decay(base_optimizer):
    """An optimizer class doing `base_optimizer`'s update and the decoupled weight decay;
    its constructor takes weight_decay first, then the base's arguments."""

    class OptimizerWithDecoupledWeightDecay(DecoupledWeightDecayExtension, base_optimizer):
        def __init__(self, weight_decay, *args, **kwargs):
            super(OptimizerWithDecoupledWeightDecay, self).__init__(
                weight_decay, *args, **kwargs)

    return OptimizerWithDecoupledWeightDecay


class MomentumWOptimizer(DecoupledWeightDecayExtension, tf.train.MomentumOptimizer):
    """SGDW: MomentumOptimizer with decoupled weight decay."""

    def __init__(self, weight_decay, learning_rate, momentum, use_locking=False,
                 name='MomentumW', use_nesterov=False):
        super(MomentumWOptimizer, self).__init__(
            weight_decay, learning_rate=learning_rate, momentum=momentum,
            use_locking=use_locking, name=name, use_nesterov=use_nesterov)


class AdamWOptimizer(DecoupledWeightDecayExtension, tf.train.AdamOptimizer):
    """AdamW: AdamOptimizer with decoupled weight decay."""

    def __init__(self, weight_decay, learning_rate=0.001, beta1=0.9, beta2=0.999,
                 epsilon=1e-8, use_locking=False, name='AdamW'):
        super(AdamWOptimizer, self).__init__(
            weight_decay, learning_rate=learning_rate, beta1=beta1, beta2=beta2,
            epsilon=epsilon, use_locking=use_locking, name=name)


# ---------------------------------------------------------------- Adam's variants

class LazyAdamOptimizer(tf.train.AdamOptimizer):
    """Adam, except that a sparse gradient (an embedding lookup's) updates the moments and
    the variable only in the rows the batch used; dense gradients as Adam."""

    def _apply_sparse_shared(self, grad, var, indices, scatter_update, scatter_sub):
        beta1_power, beta2_power, lr_t, beta1_t, beta2_t, epsilon_t = (
            _adam_hyperparameters(self, var))
        lr = lr_t * tf.sqrt(1 - beta2_power) / (1 - beta1_power)
        # m := beta1 * m + (1 - beta1) * g_t, in the rows used
        m = self.get_slot(var, 'm')
        m_t = scatter_update(m, indices, beta1_t * tf.gather(m, indices) + (1 - beta1_t) * grad)
        # v := beta2 * v + (1 - beta2) * (g_t * g_t)
        v = self.get_slot(var, 'v')
        v_t = scatter_update(v, indices,
                             beta2_t * tf.gather(v, indices) + (1 - beta2_t) * tf.square(grad))
        # variable -= learning_rate * m_t / (epsilon_t + sqrt(v_t))
        denominator_slice = tf.sqrt(tf.gather(v_t, indices)) + epsilon_t
        var_update = scatter_sub(var, indices, lr * tf.gather(m_t, indices) / denominator_slice)
        return tf.group(var_update, m_t, v_t)

    def _apply_sparse(self, grad, var):
        return self._apply_sparse_shared(
            grad.values, var, grad.indices,
            lambda x, i, v: tf.scatter_update(x, i, v, use_locking=self._use_locking),
            lambda x, i, v: tf.scatter_sub(x, i, v, use_locking=self._use_locking))

    def _resource_apply_sparse(self, grad, var, indices):
        return self._apply_sparse_shared(
            grad, var, indices, _resource_scatter(resource_variable_ops.resource_scatter_update),
            _resource_scatter(resource_variable_ops.resource_scatter_sub))


class NadamOptimizer(tf.train.AdamOptimizer):
    """Adam with Nesterov momentum (Dozat, 2015)."""

    def _apply_dense(self, grad, var):
        return training_ops.apply_adam(
            var, self.get_slot(var, 'm'), self.get_slot(var, 'v'),
            *_adam_hyperparameters(self, var), grad, use_locking=self._use_locking,
            use_nesterov=True).op

    def _resource_apply_dense(self, grad, var):
        return training_ops.resource_apply_adam(
            var.handle, self.get_slot(var, 'm').handle, self.get_slot(var, 'v').handle,
            *_adam_hyperparameters(self, grad), grad, use_locking=self._use_locking,
            use_nesterov=True)

    def _apply_sparse_shared(self, grad, var, indices, scatter_add):
        beta1_power, beta2_power, lr_t, beta1_t, beta2_t, epsilon_t = (
            _adam_hyperparameters(self, var))
        lr = lr_t * tf.sqrt(1 - beta2_power) / (1 - beta1_power)
        # m_t = beta1 * m + (1 - beta1) * g_t
        m = self.get_slot(var, 'm')
        m_scaled_g_values = grad * (1 - beta1_t)
        m_t = tf.assign(m, m * beta1_t, use_locking=self._use_locking)
        with tf.control_dependencies([m_t]):
            m_t = scatter_add(m, indices, m_scaled_g_values)
            # m_bar = (1 - beta1) * g_t + beta1 * m_t
            m_bar = m_scaled_g_values + beta1_t * tf.gather(m_t, indices)
        # v_t = beta2 * v + (1 - beta2) * (g_t * g_t)
        v = self.get_slot(var, 'v')
        v_t = tf.assign(v, v * beta2_t, use_locking=self._use_locking)
        with tf.control_dependencies([v_t]):
            v_t = scatter_add(v, indices, (grad * grad) * (1 - beta2_t))
        v_sqrt = tf.sqrt(tf.gather(v_t, indices))
        var_update = scatter_add(var, indices, -lr * m_bar / (v_sqrt + epsilon_t))
        return tf.group(var_update, m_bar, v_t)


class AdaMaxOptimizer(tf.train.AdamOptimizer):
    """AdaMax (Kingma & Ba, section 7.1): Adam with the infinity norm,
    v_t = max(beta2 * v, |g|), variable -= lr / (1 - beta1^t) * m_t / (v_t + epsilon).
    A sparse gradient updates only the rows used."""

    def __init__(self, learning_rate=0.001, beta1=0.9, beta2=0.999, epsilon=1e-8,
                 use_locking=False, name='AdaMax'):
        super(AdaMaxOptimizer, self).__init__(learning_rate, beta1, beta2, epsilon,
                                              use_locking, name)

    # Only beta1's power: the infinity norm needs no bias correction, so TF 1.15's AdaMax
    # made no beta2_power, and its checkpoints have none.
    def _get_beta_accumulators(self):
        graph = None if tf.executing_eagerly() else tf.get_default_graph()
        return self._get_non_slot_variable('beta1_power', graph=graph)

    def _create_slots(self, var_list):
        first_var = min(var_list, key=lambda x: x.name)
        self._create_non_slot_variable(initial_value=self._beta1, name='beta1_power',
                                       colocate_with=first_var)
        for v in var_list:
            self._zeros_slot(v, 'm', self._name)
            self._zeros_slot(v, 'v', self._name)

    def _finish(self, update_ops, name_scope):
        with tf.control_dependencies(update_ops):
            beta1_power = self._get_beta_accumulators()
            with tf.colocate_with(beta1_power):
                update_beta1 = beta1_power.assign(beta1_power * self._beta1_t,
                                                  use_locking=self._use_locking)
        return tf.group(*update_ops + [update_beta1], name=name_scope)

    def _apply_dense(self, grad, var):
        return training_ops.apply_ada_max(
            var, self.get_slot(var, 'm'), self.get_slot(var, 'v'),
            *_ada_max_hyperparameters(self, var), grad, use_locking=self._use_locking).op

    def _resource_apply_dense(self, grad, var):
        return training_ops.resource_apply_ada_max(
            var.handle, self.get_slot(var, 'm').handle, self.get_slot(var, 'v').handle,
            *_ada_max_hyperparameters(self, grad), grad, use_locking=self._use_locking)

    def _apply_sparse_shared(self, grad, var, indices, scatter_add, scatter_update):
        beta1_power, lr_t, beta1_t, beta2_t, epsilon_t = _ada_max_hyperparameters(self, var)
        m = self.get_slot(var, 'm')
        m_t_slice = tf.gather(m, indices) * beta1_t + grad * (1 - beta1_t)
        with tf.control_dependencies([m_t_slice]):
            m_t = scatter_update(m, indices, m_t_slice)
        # u_t = max(beta2 * u, abs(g_t))
        v = self.get_slot(var, 'v')
        v_t_slice = tf.maximum(tf.gather(v, indices) * beta2_t, tf.abs(grad))
        with tf.control_dependencies([v_t_slice]):
            v_t = scatter_update(v, indices, v_t_slice)
        # theta_t = theta - lr / (1 - beta1^t) * m_t / u_t
        var_slice = -lr_t / (1 - beta1_power) * (m_t_slice / (v_t_slice + epsilon_t))
        with tf.control_dependencies([var_slice]):
            var_update = scatter_add(var, indices, var_slice)
        return tf.group(var_update, m_t, v_t)

    def _apply_sparse(self, grad, var):
        return self._apply_sparse_shared(
            grad.values, var, grad.indices,
            lambda x, i, v: tf.scatter_add(x, i, v, use_locking=self._use_locking),
            lambda x, i, v: tf.scatter_update(x, i, v, use_locking=self._use_locking))

    def _resource_apply_sparse(self, grad, var, indices):
        return self._apply_sparse_shared(
            grad, var, indices, _resource_scatter(resource_variable_ops.resource_scatter_add),
            _resource_scatter(resource_variable_ops.resource_scatter_update))


def _ada_max_hyperparameters(adamax, like):
    """AdaMax's beta1 power, learning rate, betas and epsilon, in the dtype of `like`."""
    return [cast_like(value, like) for value in (
        adamax._get_beta_accumulators(), adamax._lr_t, adamax._beta1_t, adamax._beta2_t,
        adamax._epsilon_t)]


# ---------------------------------------------------------------- sign-based updates

class _SignOptimizer(tf.train.Optimizer):
    """AddSign and PowerSign: m_t = beta * m + (1 - beta) * g, and a step of g scaled by
    how far sign(g) agrees with sign(m_t), times sign_decay_fn(global_step) (1 without)."""

    def __init__(self, learning_rate, beta, sign_decay_fn, use_locking, name):
        super(_SignOptimizer, self).__init__(use_locking, name)
        self._lr, self._beta, self._sign_decay_fn = learning_rate, beta, sign_decay_fn
        self._lr_t = self._beta_t = None  # made in _prepare

    def apply_gradients(self, grads_and_vars, global_step=None, name=None):
        if self._sign_decay_fn is not None:
            self._sign_decay_t = tf.convert_to_tensor(self._sign_decay_fn(global_step),
                                                      name='sign_decay')
        return super(_SignOptimizer, self).apply_gradients(
            grads_and_vars, global_step=global_step, name=name)

    def _create_slots(self, var_list):
        for v in var_list:
            self._zeros_slot(v, 'm', self._name)

    def _prepare(self):
        self._lr_t = tf.convert_to_tensor(self._lr, name='learning_rate')
        self._beta_t = tf.convert_to_tensor(self._beta, name='beta')
        if self._sign_decay_fn is None:
            self._sign_decay_t = tf.convert_to_tensor(1.0, name='sign_decay')

    def _dense_arguments(self, var):
        return [cast_like(value, var) for value in (
            self._lr_t, self._constant_t, self._sign_decay_t, self._beta_t)]

    def _apply_dense(self, grad, var):
        return self._apply(var, self.get_slot(var, 'm'), *self._dense_arguments(var), grad,
                           use_locking=self._use_locking).op

    def _resource_apply_dense(self, grad, var):
        return self._resource_apply(var.handle, self.get_slot(var, 'm').handle,
                                    *self._dense_arguments(var), grad,
                                    use_locking=self._use_locking)

    def _apply_sparse(self, grad, var):
        lr_t, beta_t = cast_like(self._lr_t, var), cast_like(self._beta_t, var)
        m = self.get_slot(var, 'm')
        m_t = tf.assign(m, (m * beta_t) + (grad * (1 - beta_t)), use_locking=self._use_locking)
        sign_gm = tf.gather(tf.sign(m_t), grad.indices) * tf.sign(grad.values)
        multiplier = self._multiplier(var, cast_like(self._sign_decay_t, var) * sign_gm)
        var_update = tf.scatter_sub(var, grad.indices, lr_t * multiplier * grad.values,
                                    use_locking=self._use_locking)
        return tf.group(var_update, m_t)


class AddSignOptimizer(_SignOptimizer):
    """AddSign: variable -= lr * (alpha + sign_decay * sign(g) * sign(m)) * g."""

    _apply = staticmethod(training_ops.apply_add_sign)
    _resource_apply = staticmethod(training_ops.resource_apply_add_sign)

    def __init__(self, learning_rate=0.1, alpha=1.0, beta=0.9, sign_decay_fn=None,
                 use_locking=False, name='AddSignOptimizer'):
        super(AddSignOptimizer, self).__init__(learning_rate, beta, sign_decay_fn,
                                               use_locking, name)
        self._alpha = alpha

    def _prepare(self):
        super(AddSignOptimizer, self)._prepare()
        self._constant_t = self._alpha_t = tf.convert_to_tensor(self._alpha, name='alpha')

    def _multiplier(self, var, decayed_sign):
        return cast_like(self._alpha_t, var) + decayed_sign


class PowerSignOptimizer(_SignOptimizer):
    """PowerSign: variable -= lr * base^(sign_decay * sign(g) * sign(m)) * g."""

    _apply = staticmethod(training_ops.apply_power_sign)
    _resource_apply = staticmethod(training_ops.resource_apply_power_sign)

    def __init__(self, learning_rate=0.1, base=math.e, beta=0.9, sign_decay_fn=None,
                 use_locking=False, name='PowerSignOptimizer'):
        super(PowerSignOptimizer, self).__init__(learning_rate, beta, sign_decay_fn,
                                                 use_locking, name)
        self._logbase = math.log(base)

    def _prepare(self):
        super(PowerSignOptimizer, self)._prepare()
        self._constant_t = self._logbase_t = tf.convert_to_tensor(self._logbase,
                                                                  name='logbase')

    def _multiplier(self, var, decayed_sign):
        return tf.pow(cast_like(math.e, var), cast_like(self._logbase_t, var) * decayed_sign)
