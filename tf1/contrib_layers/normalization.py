"""contrib.layers' instance_norm, group_norm (TF 1.15's normalization.py) and unit_norm:
statistics over each example (and, for group_norm, each group of channels), learned
`beta` and `gamma` per channel. No moving averages: training and inference compute the
same thing."""
import tensorflow.compat.v1 as tf

from tf1.contrib_framework.arg_scope import add_arg_scope
from tf1.contrib_framework.variables import model_variable
from tf1.contrib_layers import utils
from tf1.contrib_layers.layers import DATA_FORMAT_NCHW, DATA_FORMAT_NHWC


def _beta_and_gamma(center, scale, shape, dtype, param_initializers, variables_collections,
                    trainable):
    """The offset and scale variables asked for (None for those not), of `shape`."""
    initializers = param_initializers or {}
    made = []
    for wanted, name, default in ((center, 'beta', tf.zeros_initializer()),
                                  (scale, 'gamma', tf.ones_initializer())):
        made.append(model_variable(
            name, shape=shape, dtype=dtype, initializer=initializers.get(name, default),
            collections=utils.get_variable_collections(variables_collections, name),
            trainable=trainable) if wanted else None)
    return made


@add_arg_scope
def instance_norm(inputs, center=True, scale=True, epsilon=1e-6, activation_fn=None,
                  param_initializers=None, reuse=None, variables_collections=None,
                  outputs_collections=None, trainable=True, data_format=DATA_FORMAT_NHWC,
                  scope=None):
    """Each example's channels normalised over its own spatial axes (Ulyanov et al.
    2016), then scaled by `gamma` and offset by `beta`."""
    inputs = tf.convert_to_tensor(inputs)
    inputs_shape, inputs_rank = inputs.shape, inputs.shape.ndims
    if inputs_rank is None:
        raise ValueError('Inputs %s has undefined rank.' % inputs.name)
    if data_format not in (DATA_FORMAT_NCHW, DATA_FORMAT_NHWC):
        raise ValueError('data_format has to be either NCHW or NHWC.')
    with tf.variable_scope(scope, 'InstanceNorm', [inputs], reuse=reuse) as sc:
        if data_format == DATA_FORMAT_NCHW:
            reduction_axis = 1
            # NCHW: the parameters reshaped to broadcast explicitly.
            broadcast_shape = [1, tf.dimension_value(inputs_shape[1])] + [1] * (inputs_rank - 2)
        else:
            reduction_axis = inputs_rank - 1
            broadcast_shape = None
        moments_axes = [axis for axis in range(1, inputs_rank) if axis != reduction_axis]
        params_shape = inputs_shape[reduction_axis:reduction_axis + 1]
        if not params_shape.is_fully_defined():
            raise ValueError('Inputs %s has undefined channels dimension %s.' % (
                inputs.name, params_shape))
        beta, gamma = _beta_and_gamma(center, scale, params_shape, inputs.dtype.base_dtype,
                                      param_initializers, variables_collections, trainable)
        if broadcast_shape:
            beta = None if beta is None else tf.reshape(beta, broadcast_shape)
            gamma = None if gamma is None else tf.reshape(gamma, broadcast_shape)
        mean, variance = tf.nn.moments(inputs, moments_axes, keep_dims=True)
        outputs = tf.nn.batch_normalization(inputs, mean, variance, beta, gamma, epsilon,
                                            name='instancenorm')
        if activation_fn is not None:
            outputs = activation_fn(outputs)
        return utils.collect_named_outputs(outputs_collections, sc.name, outputs)


@add_arg_scope
def group_norm(inputs, groups=32, channels_axis=-1, reduction_axes=(-3, -2), center=True,
               scale=True, epsilon=1e-6, activation_fn=None, param_initializers=None,
               reuse=None, variables_collections=None, outputs_collections=None,
               trainable=True, scope=None, mean_close_to_zero=False):
    """Each example's channels split into `groups`, each normalised over itself and
    `reduction_axes` (Wu & He 2018), then scaled by `gamma` and offset by `beta`."""
    inputs = tf.convert_to_tensor(inputs)
    rank = inputs.shape.ndims
    if rank is None:
        raise ValueError('Inputs %s has undefined rank.' % inputs.name)
    if channels_axis > rank - 1:
        raise ValueError('Axis is out of bounds.')
    dynamic_shape = tf.shape(inputs)
    input_shape_list = [dynamic_shape[i] if size is None else size
                        for i, size in enumerate(inputs.shape.as_list())]
    channels_axis = channels_axis + rank if channels_axis < 0 else channels_axis
    channels = tf.dimension_value(inputs.shape[channels_axis])
    if channels is None:
        raise ValueError('Inputs %s has undefined channel dimension: %d.' % (
            inputs.name, channels_axis))
    reduction_axes = [axis + rank if axis < 0 else axis for axis in reduction_axes]
    for axis in reduction_axes:
        if axis > rank:
            raise ValueError('Axis is out of bounds.')
        if tf.dimension_value(inputs.shape[axis]) is None:
            raise ValueError('Inputs %s has undefined dimensions %d.' % (inputs.name, axis))
        if channels_axis == axis:
            raise ValueError('reduction_axis must be mutually exclusive with channels_axis')
    if groups > channels:
        raise ValueError('Invalid groups %d for %d channels.' % (groups, channels))
    if channels % groups != 0:
        raise ValueError('%d channels is not commensurate with %d groups.' % (channels, groups))
    # The channel axis split in two: [groups, channels // groups].
    before, after = input_shape_list[:channels_axis], input_shape_list[channels_axis + 1:]
    params_shape_broadcast = [1] * len(before) + [groups, channels // groups] + [1] * len(after)
    inputs = tf.reshape(inputs, before + [groups, channels // groups] + after)
    moments_axes = [channels_axis + 1] + [axis + 1 if axis > channels_axis else axis
                                          for axis in reduction_axes]
    with tf.variable_scope(scope, 'GroupNorm', [inputs], reuse=reuse) as sc:
        beta, gamma = _beta_and_gamma(center, scale, [channels], inputs.dtype.base_dtype,
                                      param_initializers, variables_collections, trainable)
        if mean_close_to_zero:  # the one-pass variance, better when the mean is near 0
            counts, means_ss, variance_ss, _ = tf.nn.sufficient_statistics(
                inputs, moments_axes, keep_dims=True)
            mean, variance = tf.nn.normalize_moments(counts, means_ss, variance_ss,
                                                     shift=None)
        else:
            mean, variance = tf.nn.moments(inputs, moments_axes, keep_dims=True)
        gain = tf.rsqrt(variance + epsilon)
        offset = -mean * gain
        if gamma is not None:
            gamma = tf.reshape(gamma, params_shape_broadcast)
            gain *= gamma
            offset *= gamma
        if beta is not None:
            offset += tf.reshape(beta, params_shape_broadcast)
        outputs = tf.reshape(inputs * gain + offset, input_shape_list)
        if activation_fn is not None:
            outputs = activation_fn(outputs)
        return utils.collect_named_outputs(outputs_collections, sc.name, outputs)


def unit_norm(inputs, dim, epsilon=1e-7, scope=None):
    """`inputs` divided by their L2 norm along `dim` (plus epsilon inside the root)."""
    with tf.variable_scope(scope, 'UnitNorm', [inputs]):
        if not inputs.get_shape():
            raise ValueError('The input rank must be known.')
        input_rank = len(inputs.get_shape().as_list())
        if dim < 0 or dim >= input_rank:
            raise ValueError('dim must be positive but smaller than the input rank.')
        lengths = tf.sqrt(epsilon + tf.reduce_sum(tf.square(inputs), dim, True))
        multiples = []
        if dim > 0:
            multiples.append(tf.ones([dim], tf.int32))
        multiples.append(tf.strided_slice(tf.shape(inputs), [dim], [dim + 1]))
        if dim < input_rank - 1:
            multiples.append(tf.ones([input_rank - 1 - dim], tf.int32))
        return tf.div(inputs, tf.tile(lengths, tf.concat(multiples, 0)))


def poincare_normalize(x, axis=1, epsilon=1e-5, name=None):
    """`x` projected into the Poincaré ball: x / ||x|| · (1 - epsilon) where ||x|| ≥ 1 along
    `axis` (an int or a list), x itself inside it (Nickel & Kiela, 2017)."""
    with tf.name_scope(name, 'poincare_normalize', [x]) as name:
        x = tf.convert_to_tensor(x, name='x')
        square_sum = tf.reduce_sum(tf.square(x), axis, keepdims=True)
        x_inv_norm = tf.minimum((1.0 - epsilon) * tf.rsqrt(square_sum), 1.0)
        return tf.multiply(x, x_inv_norm, name=name)
