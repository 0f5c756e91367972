"""Batch normalization's TF 1.x options beyond the plain computation, as TF 1.15's
(tensorflow/python/keras/layers/normalization.py) computed them, and what both share:

- renorm: Batch Renormalization (Ioffe, 2017). Training normalizes by the batch's
  statistics, corrected towards moving ones (r = σ_B / σ, d = (μ_B - μ) / σ, clipped by
  renorm_clipping and held constant for the gradients): x̂ · r + d. The moving stddev is
  tracked (`moving_stddev`, and `renorm_mean`/`renorm_stddev` at renorm_momentum), the
  moving variance derived from it.
- virtual_batch_size: Ghost Batch Normalization (Hoffer et al., 2017): the batch is split
  into that many parts, each normalized by its own statistics; the moving averages take
  their mean.
- adjustment: a function of the inputs' shape giving (scale, bias) applied to the
  normalized values when training.
"""
import tensorflow.compat.v1 as tf

from tf1.layers.utils import smart_cond, static_value


def add_renorm_variables(layer, param_shape, param_dtype):
    """The renorm variables, after moving_mean and moving_variance: moving_stddev,
    renorm_mean, renorm_stddev (TF 1.15's names and order)."""
    def moving_stddev_initializer(*args, **kwargs):
        return tf.sqrt(layer.moving_variance_initializer(*args, **kwargs))
    layer.moving_stddev = layer.add_weight('moving_stddev', param_shape, param_dtype,
                                           moving_stddev_initializer, trainable=False)
    layer.renorm_mean = layer.add_weight('renorm_mean', param_shape, param_dtype,
                                         layer.moving_mean_initializer, trainable=False)
    layer.renorm_stddev = layer.add_weight('renorm_stddev', param_shape, param_dtype,
                                           moving_stddev_initializer, trainable=False)


def call(layer, inputs, training):
    """BatchNormalization.call with renorm, virtual batches or an adjustment (not fused)."""
    if layer.virtual_batch_size is not None:
        original_shape = [-1] + inputs.shape.as_list()[1:]
        inputs = tf.reshape(inputs, [layer.virtual_batch_size, -1] + original_shape[1:])
    ndims = inputs.shape.ndims
    reduction_axes = [i for i in range(ndims) if i not in layer.axis]
    if layer.virtual_batch_size is not None:
        del reduction_axes[1]  # each ghost batch its own statistics
    broadcast_shape = [1] * ndims
    broadcast_shape[layer.axis[0]] = inputs.shape.as_list()[layer.axis[0]]

    def broadcast(v):
        if (v is not None and len(v.shape) != ndims and
                reduction_axes != list(range(ndims - 1))):
            return tf.reshape(v, broadcast_shape)
        return v
    scale, offset = broadcast(layer.gamma), broadcast(layer.beta)
    if static_value(training) is False:
        mean, variance = layer.moving_mean, layer.moving_variance
    else:
        if layer.adjustment:
            adj_scale, adj_bias = layer.adjustment(tf.shape(inputs))
            adj_scale = smart_cond(training, lambda: adj_scale,
                                   lambda: tf.ones_like(adj_scale))
            adj_bias = smart_cond(training, lambda: adj_bias, lambda: tf.zeros_like(adj_bias))
            scale, offset = _compose(adj_scale, adj_bias, scale, offset)
        keep_dims = layer.virtual_batch_size is not None or len(layer.axis) > 1
        param_dtype = layer.moving_mean.dtype.base_dtype
        mean, variance = tf.nn.moments(cast(inputs, param_dtype), reduction_axes,
                                       keep_dims=keep_dims)
        mean = smart_cond(training, lambda: mean,
                          lambda: tf.convert_to_tensor(layer.moving_mean))
        variance = smart_cond(training, lambda: variance,
                              lambda: tf.convert_to_tensor(layer.moving_variance))
        if layer.virtual_batch_size is not None:  # the ghost batches' mean, in one update
            new_mean = tf.reduce_mean(mean, axis=1, keepdims=True)
            new_variance = tf.reduce_mean(variance, axis=1, keepdims=True)
        else:
            new_mean, new_variance = mean, variance
        if layer.renorm:
            r, d, new_mean, new_variance = _renorm_correction_and_moments(
                layer, new_mean, new_variance, training)
            # x̂ · gamma + beta becomes (x̂ · r + d) · gamma + beta.
            r = broadcast(tf.stop_gradient(r, name='renorm_r'))
            d = broadcast(tf.stop_gradient(d, name='renorm_d'))
            scale, offset = _compose(r, d, scale, offset)
        layer.add_update([_mean_update(layer, new_mean, training),
                          _variance_update(layer, new_variance, training)])
    dtype = inputs.dtype.base_dtype
    outputs = tf.nn.batch_normalization(
        inputs, broadcast(cast(mean, dtype)), broadcast(cast(variance, dtype)),
        cast(offset, dtype), cast(scale, dtype), layer.epsilon)
    outputs.set_shape(inputs.shape)
    if layer.virtual_batch_size is not None:
        outputs = tf.reshape(outputs, original_shape)
    return outputs


def _compose(scale, offset, then_scale, then_offset):
    """(x · scale + offset) · then_scale + then_offset as one scale and offset."""
    if then_scale is not None:
        scale *= then_scale
        offset *= then_scale
    if then_offset is not None:
        offset += then_offset
    return scale, offset


def _renorm_correction_and_moments(layer, mean, variance, training):
    """renorm's r and d (1 and 0 when not training), and the batch's moments after the
    renorm averages' updates."""
    stddev = tf.sqrt(variance + layer.epsilon)
    renorm_mean = layer.renorm_mean
    renorm_stddev = tf.maximum(layer.renorm_stddev, tf.sqrt(layer.epsilon))  # not 0 early
    r = stddev / renorm_stddev
    d = (mean - renorm_mean) / renorm_stddev
    with tf.control_dependencies([r, d]):  # corrections from the averages before updating
        mean = tf.identity(mean)
        stddev = tf.identity(stddev)
    clipping = layer.renorm_clipping
    if clipping.get('rmin') is not None:
        r = tf.maximum(r, clipping['rmin'])
    if clipping.get('rmax') is not None:
        r = tf.minimum(r, clipping['rmax'])
    if clipping.get('dmax') is not None:
        d = tf.minimum(tf.maximum(d, -clipping['dmax']), clipping['dmax'])
    r = smart_cond(training, lambda: r, lambda: tf.ones_like(r))
    d = smart_cond(training, lambda: d, lambda: tf.zeros_like(d))

    def update(variable, value):
        value = tf.identity(value)
        return smart_cond(
            training,
            lambda: assign_moving_average(variable, value, layer.renorm_momentum),
            lambda: tf.identity(variable))
    new_mean = update(layer.renorm_mean, mean)
    new_stddev = update(layer.renorm_stddev, stddev)
    with tf.control_dependencies([new_mean, new_stddev]):
        return r, d, tf.identity(mean), tf.identity(variance)


def _mean_update(layer, new_mean, training):
    return smart_cond(training,
                      lambda: assign_moving_average(layer.moving_mean, new_mean, layer.momentum),
                      lambda: layer.moving_mean)


def _variance_update(layer, new_variance, training):
    """The moving variance; with renorm, from the moving stddev (epsilon inside it, as in
    training), relu'd against rounding below zero."""
    def renorm_update():
        moving_stddev = assign_moving_average(
            layer.moving_stddev, tf.sqrt(new_variance + layer.epsilon), layer.momentum)
        with tf.name_scope(None, 'AssignNewValue', [layer.moving_variance]) as scope:
            return tf.assign(layer.moving_variance,
                             tf.nn.relu(moving_stddev * moving_stddev - layer.epsilon),
                             name=scope)

    def plain_update():
        return assign_moving_average(layer.moving_variance, new_variance, layer.momentum)
    return smart_cond(training, renorm_update if layer.renorm else plain_update,
                      lambda: layer.moving_variance)


def cast(value, dtype):
    """`value` in `dtype`; itself (no op) when it is in it already, or None."""
    if value is None or value.dtype.base_dtype == dtype:
        return value
    return tf.cast(value, dtype)


def assign_moving_average(variable, value, momentum):
    """variable ← variable - (variable - value) · (1 - momentum)."""
    with tf.name_scope(None, 'AssignMovingAvg', [variable, value]) as scope:
        decay = tf.cast(1.0 - momentum, variable.dtype.base_dtype, name='decay')
        update_delta = (variable - tf.cast(value, variable.dtype.base_dtype)) * decay
        return tf.assign_sub(variable, update_delta, name=scope)
