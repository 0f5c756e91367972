"""contrib.layers' optimize_loss: a train op from a loss, an optimizer given by name,
class, instance or function, and the learning rate, with optional decay, gradient noise,
multipliers, clipping and summaries; adaptive_clipping_fn, a clip_gradients function that
learns its threshold. A port of TF 1.15's tensorflow/contrib/layers/python/layers/
optimizers.py."""
import tensorflow.compat.v1 as tf
from tensorflow.python.ops.control_flow_ops import with_dependencies
from tensorflow.python.training import moving_averages

OPTIMIZER_CLS_NAMES = {
    'Adagrad': tf.train.AdagradOptimizer,
    'Adam': tf.train.AdamOptimizer,
    'Ftrl': tf.train.FtrlOptimizer,
    'Momentum': lambda learning_rate: tf.train.MomentumOptimizer(learning_rate, momentum=0.9),
    'RMSProp': tf.train.RMSPropOptimizer,
    'SGD': tf.train.GradientDescentOptimizer,
}

OPTIMIZER_SUMMARIES = ['learning_rate', 'loss', 'gradients', 'gradient_norm',
                       'global_gradient_norm']


def optimize_loss(loss, global_step, learning_rate, optimizer, gradient_noise_scale=None,
                  gradient_multipliers=None, clip_gradients=None, learning_rate_decay_fn=None,
                  update_ops=None, variables=None, name=None, summaries=None,
                  colocate_gradients_with_ops=False, increment_global_step=True):
    """A tensor that, when run, runs the update ops, applies the gradients of the scalar
    `loss` with `optimizer` ('SGD', 'Adam', 'Adagrad', 'Momentum', 'RMSProp', 'Ftrl', an
    Optimizer class or instance, or a function of the learning rate returning one) and
    returns the loss. `learning_rate`: a float (kept in the variable
    OptimizeLoss/learning_rate), a scalar tensor, or None."""
    loss = tf.convert_to_tensor(loss)
    if loss.shape.ndims != 0:
        raise ValueError('Expected scalar shape for %s, saw shape: %s.' % (loss.name,
                                                                         loss.shape))
    if global_step is None:
        global_step = tf.train.get_global_step()
    else:
        tf.train.assert_global_step(global_step)
    with tf.variable_scope(name, 'OptimizeLoss', [loss, global_step]):
        if update_ops is None:
            update_ops = set(tf.get_collection(tf.GraphKeys.UPDATE_OPS))
        if update_ops:  # they run before the loss is read
            loss = with_dependencies(list(update_ops), loss)

        lr = None
        if learning_rate is not None:
            if isinstance(learning_rate, tf.Tensor) and learning_rate.shape.ndims == 0:
                lr = learning_rate
            elif isinstance(learning_rate, float):
                if learning_rate < 0.0:
                    raise ValueError('Invalid learning_rate %s.' % learning_rate)
                lr = tf.get_variable('learning_rate', [], trainable=False,
                                     initializer=tf.constant_initializer(learning_rate))
            else:
                raise ValueError('Learning rate should be 0d Tensor or float. Got %s of type '
                                 '%s' % (learning_rate, type(learning_rate)))
        if summaries is None:
            summaries = ['loss', 'learning_rate', 'global_gradient_norm']
        for summary in summaries:
            if summary not in OPTIMIZER_SUMMARIES:
                raise ValueError('Summaries should be one of [%s], you provided %s.'
                                 % (', '.join(OPTIMIZER_SUMMARIES), summary))
        if learning_rate is not None and learning_rate_decay_fn is not None:
            if global_step is None:
                raise ValueError('global_step is required for learning_rate_decay_fn.')
            lr = learning_rate_decay_fn(lr, global_step)
            if 'learning_rate' in summaries:
                tf.summary.scalar('learning_rate', lr)

        opt = _optimizer(optimizer, learning_rate, lr)
        if variables is None:
            variables = tf.trainable_variables()
        gradients = opt.compute_gradients(
            loss, variables, colocate_gradients_with_ops=colocate_gradients_with_ops)
        if gradient_noise_scale is not None:
            gradients = _add_scaled_noise_to_gradients(gradients, gradient_noise_scale)
        if gradient_multipliers is not None:
            gradients = scaled_gradients(gradients, gradient_multipliers,
                                         lambda var: var.name)
            if not gradients:
                raise ValueError('Empty list of (gradient, var) pairs encountered. This is '
                                 'most likely to be caused by an improper value of '
                                 'gradient_multipliers.')
        norms = 'global_gradient_norm' in summaries or 'gradient_norm' in summaries
        if norms:
            tf.summary.scalar('global_norm/gradient_norm', tf.global_norm(_grads(gradients)))
        if isinstance(clip_gradients, float):
            clipped, _ = tf.clip_by_global_norm(_grads(gradients), clip_gradients)
            gradients = [(grad, var) for grad, (_, var) in zip(clipped, gradients)]
        elif callable(clip_gradients):
            gradients = clip_gradients(gradients)
        elif clip_gradients is not None:
            raise ValueError('Unknown type %s for clip_gradients' % type(clip_gradients))
        if 'loss' in summaries:
            tf.summary.scalar('loss', loss)
        for gradient, variable in gradients:
            values = gradient.values if isinstance(gradient, tf.IndexedSlices) else gradient
            if values is not None:
                var_name = variable.name.replace(':', '_')
                if 'gradients' in summaries:
                    tf.summary.histogram('gradients/%s' % var_name, values)
                if 'gradient_norm' in summaries:
                    tf.summary.scalar('gradient_norm/%s' % var_name, tf.global_norm([values]))
        if clip_gradients is not None and norms:
            tf.summary.scalar('global_norm/clipped_gradient_norm',
                              tf.global_norm(_grads(gradients)))

        grad_updates = opt.apply_gradients(
            gradients, global_step=global_step if increment_global_step else None,
            name='train')
        return with_dependencies([grad_updates], loss)


def _grads(grads_and_vars):
    return [grad for grad, _ in grads_and_vars]


def _optimizer(optimizer, learning_rate, lr):
    """The Optimizer instance that `optimizer` names, at the learning rate `lr`."""
    if isinstance(optimizer, str):
        if lr is None:
            raise ValueError('Learning rate is None, but should be specified if optimizer is '
                             'string (%s).' % optimizer)
        if optimizer not in OPTIMIZER_CLS_NAMES:
            raise ValueError('Optimizer name should be one of [%s], you provided %s.'
                             % (', '.join(OPTIMIZER_CLS_NAMES), optimizer))
        return OPTIMIZER_CLS_NAMES[optimizer](learning_rate=lr)
    if isinstance(optimizer, type) and issubclass(optimizer, tf.train.Optimizer):
        if lr is None:
            raise ValueError('Learning rate is None, but should be specified if optimizer is '
                             'class (%s).' % optimizer)
        return optimizer(learning_rate=lr)
    if isinstance(optimizer, tf.train.Optimizer):
        return optimizer
    if callable(optimizer):
        opt = optimizer(lr) if learning_rate is not None else optimizer()
        if not isinstance(opt, tf.train.Optimizer):
            raise ValueError('Unrecognized optimizer: function should return subclass of '
                             'Optimizer. Got %s.' % opt)
        return opt
    raise ValueError('Unrecognized optimizer: should be string, subclass of Optimizer, '
                     'instance of subclass of Optimizer or function with one argument. Got '
                     '%s.' % optimizer)


def _add_scaled_noise_to_gradients(grads_and_vars, gradient_noise_scale):
    """Each gradient plus truncated-normal noise times `gradient_noise_scale`."""
    noisy = []
    for gradient, variable in grads_and_vars:
        if gradient is not None:
            shape = (gradient.dense_shape if isinstance(gradient, tf.IndexedSlices)
                     else gradient.get_shape())
            gradient = gradient + tf.truncated_normal(shape) * gradient_noise_scale
        noisy.append((gradient, variable))
    return noisy


def scaled_gradients(grads_and_vars, multipliers, name_of, refuse_none=False):
    """Each gradient whose variable is a key of `multipliers`, or whose `name_of(variable)`
    is, times that multiplier, a number or a tensor (optimize_loss keys variables by name,
    slim by op name; slim refuses a multiplier for a variable without a gradient)."""
    scaled = []
    for grad, var in grads_and_vars:
        key = var if var in multipliers else name_of(var)
        if key in multipliers:
            if grad is None:
                if refuse_none:
                    raise ValueError('Requested multiple of `None` gradient.')
            else:
                multiplier = multipliers[key]
                multiplier = (tf.cast(multiplier, grad.dtype) if isinstance(multiplier, tf.Tensor)
                              else tf.constant(multiplier, dtype=grad.dtype))
                if isinstance(grad, tf.IndexedSlices):
                    grad = tf.IndexedSlices(grad.values * multiplier, grad.indices,
                                            grad.dense_shape)
                else:
                    grad *= multiplier
        scaled.append((grad, var))
    return scaled


def _adaptive_max_norm(norm, std_factor, decay, global_step, epsilon, name):
    """The largest norm not clipped: exp(mean + std_factor * std) of log(norm)'s moving
    mean and standard deviation; and that mean."""
    with tf.variable_scope(name, 'AdaptiveMaxNorm', [norm]):
        log_norm = tf.log(norm + epsilon)

        def moving_average(name, value, decay):
            variable = tf.get_variable(name, shape=value.get_shape(), dtype=value.dtype,
                                       initializer=tf.zeros_initializer(), trainable=False)
            return moving_averages.assign_moving_average(variable, value, decay,
                                                         zero_debias=False)
        if global_step is not None:  # faster adaptation over the first steps
            n = tf.cast(global_step, tf.float32)
            decay = tf.minimum(decay, n / (n + 1.))
        mean = moving_average('mean', log_norm, decay)
        sq_mean = moving_average('sq_mean', tf.square(log_norm), decay)
        std = tf.sqrt(tf.maximum(epsilon, sq_mean - tf.square(mean)))
        return tf.exp(mean + std_factor * std), mean


def adaptive_clipping_fn(std_factor=2., decay=0.95, static_max_norm=None, global_step=None,
                         report_summary=False, epsilon=1e-8, name=None):
    """A clip_gradients function (section 3.2.1 of arXiv:1412.1602): when the gradients'
    global norm exceeds exp(mean + std_factor * std) of its log's moving statistics, all
    are rescaled to the norm exp(mean); `static_max_norm` bounds it too."""

    def gradient_clipping(grads_and_vars):
        grads, variables = zip(*grads_and_vars)
        norm = tf.global_norm(grads)
        max_norm, log_mean = _adaptive_max_norm(norm, std_factor, decay, global_step,
                                                epsilon, name)
        if report_summary:
            tf.summary.scalar('global_norm/adaptive_max_gradient_norm', max_norm)
        factor = tf.where(norm < max_norm, tf.ones_like(norm), tf.exp(log_mean) / norm)
        if static_max_norm is not None:
            factor = tf.minimum(static_max_norm / norm, factor)
        clipped = []
        for grad in grads:
            if grad is None:
                clipped.append(None)
            elif isinstance(grad, tf.IndexedSlices):
                clipped.append(tf.IndexedSlices(grad.values * factor, grad.indices,
                                                grad.dense_shape))
            else:
                clipped.append(grad * factor)
        return list(zip(clipped, variables))
    return gradient_clipping
