"""tf.layers as TensorFlow 1.x had it, built on tf.compat.v1 ops without Keras.

TF 2.21's own tf.compat.v1.layers raises "not available with Keras 3", so TF 1.x scripts
get these instead. The rules below are TF 1.x's, kept exactly because scripts and their
checkpoints depend on them:

- Each layer's variables sit in a variable scope of its own. Without `name` it is the
  layer's type, made unique in the enclosing variable scope: `dense`, `dense_1` ... (so
  `dense/kernel`, `dense_1/kernel`). With `name='fc1'` it is `fc1`, never renamed: a
  second `fc1` layer must share the first one's variables (reuse=True) or fail.
- reuse=True, or an enclosing tf.variable_scope(..., reuse=True or tf.AUTO_REUSE), makes
  a layer use the variables already there instead of creating them.
- The layer's ops are named under the same scope (`dense/MatMul`, `dense/BiasAdd`).
- Variables come from tf.get_variable, so an enclosing scope's initializer and custom
  getter apply; trainable=False keeps them out of TRAINABLE_VARIABLES.
- A regularizer's loss goes to REGULARIZATION_LOSSES once, when its variable is created.
- Batch normalization's moving-average updates go to UPDATE_OPS, for the training op to
  depend on.

Only the names in __all__ are TF 1.x's; the helpers after them are shared with
tf1/contrib_layers.py.
"""
import numbers
import re

import numpy as np
import tensorflow.compat.v1 as tf

__all__ = [
    'Layer', 'Dense', 'Dropout', 'Flatten', 'Conv1D', 'Conv2D', 'Conv3D', 'Conv2DTranspose',
    'Conv3DTranspose', 'MaxPooling1D', 'MaxPooling2D', 'MaxPooling3D', 'AveragePooling1D',
    'AveragePooling2D', 'AveragePooling3D', 'BatchNormalization', 'SeparableConv1D',
    'SeparableConv2D', 'dense', 'dropout', 'flatten', 'conv1d', 'conv2d', 'conv3d',
    'conv2d_transpose', 'conv3d_transpose', 'separable_conv1d', 'separable_conv2d',
    'max_pooling1d', 'max_pooling2d', 'max_pooling3d', 'average_pooling1d',
    'average_pooling2d', 'average_pooling3d', 'batch_normalization',
]


class Layer(object):
    """What every layer shares: its variable scope, variable reuse, and the collections it
    feeds. A subclass creates its variables in build(input_shape) with add_weight() and
    computes its output in call(inputs, ...)."""

    def __init__(self, trainable=True, name=None, dtype=None, activity_regularizer=None,
                 _scope=None, _reuse=None):
        self.trainable = trainable
        self.dtype = tf.as_dtype(dtype) if dtype is not None else None
        self.activity_regularizer = activity_regularizer
        self._kind = _snake_case(type(self).__name__)  # dense, conv2d ...: for errors too
        self._base_name = name or self._kind
        self._reuse = _reuse
        self._scope = None
        if _scope:  # the functional forms pass `name` here: that scope, never renamed
            with tf.variable_scope(_scope) as captured:
                self._scope = captured
        self.built = False
        self.variables, self.trainable_variables = [], []
        self.updates, self.losses = [], []

    def __call__(self, inputs, *args, **kwargs):
        inputs = tf.convert_to_tensor(inputs)
        if self.dtype is None:
            self.dtype = inputs.dtype.base_dtype
        if self._scope is None:
            # Reusing needs a fixed name; otherwise the type's name, made unique.
            fixed_name = self._base_name if self._reuse else None
            with tf.variable_scope(fixed_name, default_name=self._base_name) as captured:
                self._scope = captured
        # A built layer called again shares its own variables.
        reuse = True if self.built else self._reuse
        with tf.variable_scope(self._scope, reuse=reuse, auxiliary_name_scope=False) as scope, \
                tf.name_scope(scope.original_name_scope):
            if not self.built:
                self.build(inputs.shape)
                self.built = True
            outputs = self.call(inputs, *args, **kwargs)
            if self.activity_regularizer is not None:
                self._add_activity_loss(outputs)
        _add_new_to_collection(tf.GraphKeys.UPDATE_OPS, self.updates)
        return outputs

    apply = __call__

    def build(self, input_shape):
        """Create the layer's variables (none by default)."""

    def call(self, inputs):
        raise NotImplementedError('a tf.layers.Layer subclass must define call(inputs)')

    def add_weight(self, name, shape, dtype=None, initializer=None, regularizer=None,
                   trainable=True, constraint=None):
        variable = layer_variable(name, shape, dtype or self.dtype, initializer, regularizer,
                                  trainable and self.trainable, constraint)
        self.variables.append(variable)
        if trainable and self.trainable:
            self.trainable_variables.append(variable)
        return variable

    add_variable = add_weight

    def _add_activity_loss(self, outputs):
        # Divided by the batch size, as TF 1.x's last releases did, so that the penalty's
        # strength does not depend on it.
        with tf.name_scope('ActivityRegularizer'):
            loss = self.activity_regularizer(outputs)
            batch_size = tf.cast(tf.shape(outputs)[0], loss.dtype)
            loss = loss / batch_size
        self.losses.append(loss)
        tf.add_to_collection(tf.GraphKeys.REGULARIZATION_LOSSES, loss)


class Dense(Layer):
    """activation(inputs · kernel + bias), over the last axis of inputs of any rank."""

    def __init__(self, units, activation=None, use_bias=True, kernel_initializer=None,
                 bias_initializer=tf.zeros_initializer(), kernel_regularizer=None,
                 bias_regularizer=None, activity_regularizer=None, kernel_constraint=None,
                 bias_constraint=None, trainable=True, name=None, **kwargs):
        super(Dense, self).__init__(trainable=trainable, name=name,
                                    activity_regularizer=activity_regularizer, **kwargs)
        self.units = _positive_int(self._kind, units, 'units')
        self.activation = _activation(self._kind, activation)
        self.use_bias = use_bias
        self.kernel_initializer, self.bias_initializer = kernel_initializer, bias_initializer
        self.kernel_regularizer, self.bias_regularizer = kernel_regularizer, bias_regularizer
        self.kernel_constraint, self.bias_constraint = kernel_constraint, bias_constraint

    def build(self, input_shape):
        if input_shape.ndims is None or input_shape.ndims < 2:
            raise ValueError('%s needs inputs of rank 2 or more, got shape %s'
                             % (self._kind, input_shape))
        input_dim = input_shape.as_list()[-1]
        if input_dim is None:
            raise ValueError('%s needs the last dimension of its inputs defined, got '
                             'shape %s' % (self._kind, input_shape))
        self.kernel = self.add_weight('kernel', [input_dim, self.units],
                                      initializer=self.kernel_initializer,
                                      regularizer=self.kernel_regularizer,
                                      constraint=self.kernel_constraint)
        self.bias = None
        if self.use_bias:
            self.bias = self.add_weight('bias', [self.units], initializer=self.bias_initializer,
                                        regularizer=self.bias_regularizer,
                                        constraint=self.bias_constraint)

    def call(self, inputs):
        rank = inputs.shape.ndims
        if rank > 2:  # every position of every example, through the same kernel
            outputs = tf.tensordot(inputs, self.kernel, [[rank - 1], [0]])
            outputs.set_shape(inputs.shape[:-1].concatenate([self.units]))
        else:
            outputs = tf.matmul(inputs, self.kernel)
        return _bias_and_activation(outputs, self.bias, self.activation, 'NHWC')


class Dropout(Layer):
    """Zeroes each unit with probability `rate` and scales the rest by 1 / (1 - rate), when
    training (a Python bool or a bool tensor); passes the inputs through otherwise."""

    def __init__(self, rate=0.5, noise_shape=None, seed=None, name=None, **kwargs):
        super(Dropout, self).__init__(name=name, **kwargs)
        if isinstance(rate, numbers.Real) and not 0 <= rate < 1:
            raise ValueError('%s: rate must be in [0, 1), got %r' % (self._kind, rate))
        self.rate, self.noise_shape, self.seed = rate, noise_shape, seed

    def call(self, inputs, training=False):
        def dropped():
            return tf.nn.dropout(inputs, rate=self.rate, noise_shape=self._noise_shape(inputs),
                                 seed=self.seed)
        return smart_cond(training, dropped, lambda: tf.identity(inputs))

    def _noise_shape(self, inputs):
        """noise_shape with its None entries taken from the inputs' shape at run time."""
        if self.noise_shape is None:
            return None
        dynamic_shape = tf.shape(inputs)
        return tf.stack([dynamic_shape[i] if size is None else size
                         for i, size in enumerate(self.noise_shape)])


class Flatten(Layer):
    """[batch, d1, d2, ...] → [batch, d1 · d2 · ...], in channels-last order."""

    def __init__(self, data_format='channels_last', name=None, **kwargs):
        super(Flatten, self).__init__(name=name, **kwargs)
        self.data_format = _data_format(self._kind, data_format)

    def call(self, inputs):
        shape = inputs.shape
        if shape.ndims is None:
            raise ValueError('%s needs inputs of known rank' % self._kind)
        if shape.ndims == 1:
            return tf.expand_dims(inputs, 1)
        if self.data_format == 'channels_first' and shape.ndims > 2:
            inputs = tf.transpose(inputs, [0] + list(range(2, shape.ndims)) + [1])
        # A target shape that keeps as much as is known of the output's static shape.
        dims = shape.as_list()
        if None not in dims[1:]:
            target_shape = [-1, shape[1:].num_elements()]
        elif dims[0] is not None:
            target_shape = [dims[0], -1]
        else:
            target_shape = [tf.shape(inputs)[0], -1]
        return tf.reshape(inputs, target_shape)


class _Convolution(Layer):
    """An N-D convolution (N = rank) with bias and activation: Conv1D, Conv2D, Conv3D."""

    def __init__(self, rank, filters, kernel_size, strides=1, padding='valid',
                 data_format='channels_last', dilation_rate=1, activation=None, use_bias=True,
                 kernel_initializer=None, bias_initializer=tf.zeros_initializer(),
                 kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 kernel_constraint=None, bias_constraint=None, trainable=True, name=None,
                 **kwargs):
        super(_Convolution, self).__init__(trainable=trainable, name=name,
                                           activity_regularizer=activity_regularizer, **kwargs)
        self.rank = rank
        self.filters = _positive_int(self._kind, filters, 'filters')
        self.kernel_size = _int_tuple(self._kind, kernel_size, rank, 'kernel_size')
        self.strides = _int_tuple(self._kind, strides, rank, 'strides')
        self.padding = _padding(self._kind, padding)
        self.data_format = _data_format(self._kind, data_format)
        self.dilation_rate = _int_tuple(self._kind, dilation_rate, rank,
                                        'dilation_rate')
        self.activation = _activation(self._kind, activation)
        self.use_bias = use_bias
        self.kernel_initializer, self.bias_initializer = kernel_initializer, bias_initializer
        self.kernel_regularizer, self.bias_regularizer = kernel_regularizer, bias_regularizer
        self.kernel_constraint, self.bias_constraint = kernel_constraint, bias_constraint
        self._tf_data_format = _tf_data_format(self.data_format, rank)

    def build(self, input_shape):
        channels = self._input_channels(input_shape)
        self.kernel = self.add_weight('kernel', self._kernel_shape(channels),
                                      initializer=self.kernel_initializer,
                                      regularizer=self.kernel_regularizer,
                                      constraint=self.kernel_constraint)
        self.bias = None
        if self.use_bias:
            self.bias = self.add_weight('bias', [self.filters],
                                        initializer=self.bias_initializer,
                                        regularizer=self.bias_regularizer,
                                        constraint=self.bias_constraint)

    def _kernel_shape(self, input_channels):
        return list(self.kernel_size) + [input_channels, self.filters]

    def _input_channels(self, input_shape):
        if input_shape.ndims != self.rank + 2:
            raise ValueError('%s needs inputs of rank %d, got shape %s'
                             % (self._kind, self.rank + 2, input_shape))
        channels = input_shape.as_list()[1 if self.data_format == 'channels_first' else -1]
        if channels is None:
            raise ValueError('%s needs the channel dimension of its inputs defined, got '
                             'shape %s' % (self._kind, input_shape))
        return channels

    def call(self, inputs):
        # TF 1.x's op names: conv2d/Conv2D, conv3d/Conv3D; conv1d/conv1d/Conv2D.
        op_name = 'conv1d' if self.rank == 1 else 'Conv%dD' % self.rank
        outputs = tf.nn.convolution(inputs, self.kernel, self.padding.upper(),
                                    strides=self.strides, dilation_rate=self.dilation_rate,
                                    data_format=self._tf_data_format, name=op_name)
        return _bias_and_activation(outputs, self.bias, self.activation, self._tf_data_format)


class Conv1D(_Convolution):
    def __init__(self, filters, kernel_size, strides=1, padding='valid',
                 data_format='channels_last', dilation_rate=1, *args, **kwargs):
        super(Conv1D, self).__init__(1, filters, kernel_size, strides, padding, data_format,
                                     dilation_rate, *args, **kwargs)


class Conv2D(_Convolution):
    def __init__(self, filters, kernel_size, strides=(1, 1), padding='valid',
                 data_format='channels_last', dilation_rate=(1, 1), *args, **kwargs):
        super(Conv2D, self).__init__(2, filters, kernel_size, strides, padding, data_format,
                                     dilation_rate, *args, **kwargs)


class Conv3D(_Convolution):
    def __init__(self, filters, kernel_size, strides=(1, 1, 1), padding='valid',
                 data_format='channels_last', dilation_rate=(1, 1, 1), *args, **kwargs):
        super(Conv3D, self).__init__(3, filters, kernel_size, strides, padding, data_format,
                                     dilation_rate, *args, **kwargs)


class _TransposedConvolution(_Convolution):
    """The gradient of a convolution with respect to its input ("deconvolution"): it maps
    each input pixel to a kernel-sized patch, `strides` apart, growing the image."""

    def _kernel_shape(self, input_channels):
        # The transposed convolution's kernel: output channels before input channels.
        return list(self.kernel_size) + [self.filters, input_channels]

    def call(self, inputs):
        first_spatial_axis = 2 if self.data_format == 'channels_first' else 1
        dynamic_shape = tf.shape(inputs)
        static_shape = inputs.shape.as_list()
        sizes = []
        for i in range(self.rank):
            axis = first_spatial_axis + i
            size = static_shape[axis] if static_shape[axis] is not None else dynamic_shape[axis]
            sizes.append(self._output_length(size, self.kernel_size[i], self.strides[i]))
        if self.data_format == 'channels_first':
            output_shape = [dynamic_shape[0], self.filters] + sizes
            strides = [1, 1] + list(self.strides)
        else:
            output_shape = [dynamic_shape[0]] + sizes + [self.filters]
            strides = [1] + list(self.strides) + [1]
        transpose = tf.nn.conv2d_transpose if self.rank == 2 else tf.nn.conv3d_transpose
        outputs = transpose(inputs, self.kernel, tf.stack(output_shape), strides,
                            padding=self.padding.upper(), data_format=self._tf_data_format)
        static_output = [static_shape[0]] + [size if isinstance(size, int) else None
                                             for size in output_shape[1:]]
        outputs.set_shape(static_output)
        return _bias_and_activation(outputs, self.bias, self.activation, self._tf_data_format)

    def _output_length(self, input_length, kernel, stride):
        length = input_length * stride
        if self.padding == 'valid':
            length += max(kernel - stride, 0)
        return length


class Conv2DTranspose(_TransposedConvolution):
    def __init__(self, filters, kernel_size, strides=(1, 1), padding='valid',
                 data_format='channels_last', *args, **kwargs):
        super(Conv2DTranspose, self).__init__(2, filters, kernel_size, strides, padding,
                                              data_format, 1, *args, **kwargs)


class Conv3DTranspose(_TransposedConvolution):
    def __init__(self, filters, kernel_size, strides=(1, 1, 1), padding='valid',
                 data_format='channels_last', *args, **kwargs):
        super(Conv3DTranspose, self).__init__(3, filters, kernel_size, strides, padding,
                                              data_format, 1, *args, **kwargs)


class _SeparableConvolution(_Convolution):
    """A depthwise convolution (depth_multiplier filters per input channel), then a 1×1
    convolution mixing the channels: far fewer weights than a full convolution."""

    def __init__(self, rank, filters, kernel_size, strides, padding, data_format,
                 dilation_rate, depth_multiplier=1, activation=None, use_bias=True,
                 depthwise_initializer=None, pointwise_initializer=None,
                 bias_initializer=tf.zeros_initializer(), depthwise_regularizer=None,
                 pointwise_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 depthwise_constraint=None, pointwise_constraint=None, bias_constraint=None,
                 trainable=True, name=None, **kwargs):
        super(_SeparableConvolution, self).__init__(
            rank, filters, kernel_size, strides, padding, data_format, dilation_rate,
            activation, use_bias, bias_initializer=bias_initializer,
            bias_regularizer=bias_regularizer, activity_regularizer=activity_regularizer,
            bias_constraint=bias_constraint, trainable=trainable, name=name, **kwargs)
        self.depth_multiplier = _positive_int(self._kind, depth_multiplier, 'depth_multiplier')
        self.depthwise_initializer = depthwise_initializer
        self.pointwise_initializer = pointwise_initializer
        self.depthwise_regularizer = depthwise_regularizer
        self.pointwise_regularizer = pointwise_regularizer
        self.depthwise_constraint = depthwise_constraint
        self.pointwise_constraint = pointwise_constraint

    def build(self, input_shape):
        channels = self._input_channels(input_shape)
        self.depthwise_kernel = self.add_weight(
            'depthwise_kernel', list(self.kernel_size) + [channels, self.depth_multiplier],
            initializer=self.depthwise_initializer, regularizer=self.depthwise_regularizer,
            constraint=self.depthwise_constraint)
        self.pointwise_kernel = self.add_weight(
            'pointwise_kernel', [1] * self.rank + [channels * self.depth_multiplier,
                                                   self.filters],
            initializer=self.pointwise_initializer, regularizer=self.pointwise_regularizer,
            constraint=self.pointwise_constraint)
        self.bias = None
        if self.use_bias:
            self.bias = self.add_weight('bias', [self.filters],
                                        initializer=self.bias_initializer,
                                        regularizer=self.bias_regularizer,
                                        constraint=self.bias_constraint)

    def call(self, inputs):
        depthwise, pointwise = self.depthwise_kernel, self.pointwise_kernel
        strides, dilation_rate = self.strides, self.dilation_rate
        spatial_axis = 2 if self.data_format == 'channels_first' else 1
        if self.rank == 1:  # as images one pixel high, as TF 1.x did
            inputs = tf.expand_dims(inputs, spatial_axis)
            depthwise, pointwise = tf.expand_dims(depthwise, 0), tf.expand_dims(pointwise, 0)
            strides, dilation_rate = strides * 2, (1,) + dilation_rate
        if self.data_format == 'channels_first':
            strides = (1, 1) + strides
        else:
            strides = (1,) + strides + (1,)
        data_format = _tf_data_format(self.data_format, 2)
        outputs = tf.nn.separable_conv2d(inputs, depthwise, pointwise, strides,
                                         self.padding.upper(), rate=dilation_rate,
                                         data_format=data_format)
        if self.bias is not None:
            outputs = tf.nn.bias_add(outputs, self.bias, data_format=data_format)
        if self.rank == 1:
            outputs = tf.squeeze(outputs, [spatial_axis])
        return self.activation(outputs) if self.activation is not None else outputs


class SeparableConv1D(_SeparableConvolution):
    def __init__(self, filters, kernel_size, strides=1, padding='valid',
                 data_format='channels_last', dilation_rate=1, *args, **kwargs):
        super(SeparableConv1D, self).__init__(1, filters, kernel_size, strides, padding,
                                              data_format, dilation_rate, *args, **kwargs)


class SeparableConv2D(_SeparableConvolution):
    def __init__(self, filters, kernel_size, strides=(1, 1), padding='valid',
                 data_format='channels_last', dilation_rate=(1, 1), *args, **kwargs):
        super(SeparableConv2D, self).__init__(2, filters, kernel_size, strides, padding,
                                              data_format, dilation_rate, *args, **kwargs)


class _Pooling(Layer):
    """Max or average pooling over 1, 2 or 3 spatial dimensions."""

    def __init__(self, rank, pool_type, pool_size, strides, padding='valid',
                 data_format='channels_last', name=None, **kwargs):
        super(_Pooling, self).__init__(name=name, **kwargs)
        if strides is None:
            raise ValueError('%s needs strides (TF 1.x had no default)'
                             % self._kind)
        self.rank, self.pool_type = rank, pool_type
        self.pool_size = _int_tuple(self._kind, pool_size, rank, 'pool_size')
        self.strides = _int_tuple(self._kind, strides, rank, 'strides')
        self.padding = _padding(self._kind, padding)
        self.data_format = _data_format(self._kind, data_format)

    def call(self, inputs):
        if inputs.shape.ndims != self.rank + 2:
            raise ValueError('%s needs inputs of rank %d, got shape %s'
                             % (self._kind, self.rank + 2, inputs.shape))
        pool_size, strides, rank = self.pool_size, self.strides, self.rank
        if rank == 1:  # pooled as images one pixel wide, as TF 1.x did
            width_axis = 2 if self.data_format == 'channels_last' else 3
            inputs = tf.expand_dims(inputs, width_axis)
            pool_size, strides, rank = pool_size + (1,), strides + (1,), 2
        if self.data_format == 'channels_first':
            window, steps = (1, 1) + pool_size, (1, 1) + strides
        else:
            window, steps = (1,) + pool_size + (1,), (1,) + strides + (1,)
        pool = {('max', 2): tf.nn.max_pool, ('avg', 2): tf.nn.avg_pool,
                ('max', 3): tf.nn.max_pool3d, ('avg', 3): tf.nn.avg_pool3d}[self.pool_type, rank]
        outputs = pool(inputs, window, steps, self.padding.upper(),
                       data_format=_tf_data_format(self.data_format, rank))
        return tf.squeeze(outputs, [width_axis]) if self.rank == 1 else outputs


class MaxPooling1D(_Pooling):
    def __init__(self, pool_size, strides, *args, **kwargs):
        super(MaxPooling1D, self).__init__(1, 'max', pool_size, strides, *args, **kwargs)


class MaxPooling2D(_Pooling):
    def __init__(self, pool_size, strides, *args, **kwargs):
        super(MaxPooling2D, self).__init__(2, 'max', pool_size, strides, *args, **kwargs)


class MaxPooling3D(_Pooling):
    def __init__(self, pool_size, strides, *args, **kwargs):
        super(MaxPooling3D, self).__init__(3, 'max', pool_size, strides, *args, **kwargs)


class AveragePooling1D(_Pooling):
    def __init__(self, pool_size, strides, *args, **kwargs):
        super(AveragePooling1D, self).__init__(1, 'avg', pool_size, strides, *args, **kwargs)


class AveragePooling2D(_Pooling):
    def __init__(self, pool_size, strides, *args, **kwargs):
        super(AveragePooling2D, self).__init__(2, 'avg', pool_size, strides, *args, **kwargs)


class AveragePooling3D(_Pooling):
    def __init__(self, pool_size, strides, *args, **kwargs):
        super(AveragePooling3D, self).__init__(3, 'avg', pool_size, strides, *args, **kwargs)


class BatchNormalization(Layer):
    """Normalizes each feature (the `axis` dimension) by the batch's mean and variance when
    training, by their moving averages otherwise; then scales by gamma and shifts by beta."""

    def __init__(self, axis=-1, momentum=0.99, epsilon=1e-3, center=True, scale=True,
                 beta_initializer=tf.zeros_initializer(),
                 gamma_initializer=tf.ones_initializer(),
                 moving_mean_initializer=tf.zeros_initializer(),
                 moving_variance_initializer=tf.ones_initializer(), beta_regularizer=None,
                 gamma_regularizer=None, beta_constraint=None, gamma_constraint=None,
                 renorm=False, renorm_clipping=None, renorm_momentum=0.99, fused=None,
                 trainable=True, virtual_batch_size=None, adjustment=None, name=None,
                 **kwargs):
        super(BatchNormalization, self).__init__(trainable=trainable, name=name, **kwargs)
        refuse_unsupported(self._kind, renorm=renorm,
                           virtual_batch_size=virtual_batch_size, adjustment=adjustment)
        self.axis = list(axis) if isinstance(axis, (list, tuple)) else [axis]
        self.momentum, self.epsilon = momentum, epsilon
        self.center, self.scale, self.fused = center, scale, fused
        self.beta_initializer, self.gamma_initializer = beta_initializer, gamma_initializer
        self.moving_mean_initializer = moving_mean_initializer
        self.moving_variance_initializer = moving_variance_initializer
        self.beta_regularizer, self.gamma_regularizer = beta_regularizer, gamma_regularizer
        self.beta_constraint, self.gamma_constraint = beta_constraint, gamma_constraint

    def build(self, input_shape):
        ndims = input_shape.ndims
        if not ndims:
            raise ValueError('%s needs inputs of known rank, got shape %s'
                             % (self._kind, input_shape))
        if not all(isinstance(a, int) and -ndims <= a < ndims for a in self.axis):
            raise ValueError('%s: axis %s is not an axis of inputs of rank %d'
                             % (self._kind, self.axis, ndims))
        self.axis = sorted(set(a % ndims for a in self.axis))
        dims = input_shape.as_list()
        if any(dims[a] is None for a in self.axis):
            raise ValueError('%s needs the normalized axis of its inputs defined, got '
                             'shape %s' % (self._kind, input_shape))
        # TF 1.x's choice: the fused kernel whenever it applies (images, channels on
        # axis 1 or 3), unless fused=False.
        self.fused = self.fused is not False and ndims == 4 and self.axis in ([1], [3])
        if len(self.axis) == 1:
            param_shape = [dims[self.axis[0]]]
        else:
            param_shape = [dims[a] if a in self.axis else 1 for a in range(ndims)]
        # Half-precision inputs keep their statistics in float32, as TF 1.x did.
        param_dtype = tf.float32 if self.dtype in (tf.float16, tf.bfloat16) else self.dtype
        self.gamma = self.beta = None
        if self.scale:
            self.gamma = self.add_weight('gamma', param_shape, param_dtype,
                                         self.gamma_initializer, self.gamma_regularizer,
                                         constraint=self.gamma_constraint)
        if self.center:
            self.beta = self.add_weight('beta', param_shape, param_dtype,
                                        self.beta_initializer, self.beta_regularizer,
                                        constraint=self.beta_constraint)
        self.moving_mean = self.add_weight('moving_mean', param_shape, param_dtype,
                                           self.moving_mean_initializer, trainable=False)
        self.moving_variance = self.add_weight('moving_variance', param_shape, param_dtype,
                                               self.moving_variance_initializer,
                                               trainable=False)

    def call(self, inputs, training=False):
        outputs, updates = normalize_batch(
            inputs, self.axis, self.gamma, self.beta, self.moving_mean, self.moving_variance,
            self.momentum, self.epsilon, training, self.fused)
        self.updates.extend(updates)
        return outputs


def dense(inputs, units, activation=None, use_bias=True, kernel_initializer=None,
          bias_initializer=tf.zeros_initializer(), kernel_regularizer=None,
          bias_regularizer=None, activity_regularizer=None, kernel_constraint=None,
          bias_constraint=None, trainable=True, name=None, reuse=None):
    layer = Dense(units, activation, use_bias, kernel_initializer, bias_initializer,
                  kernel_regularizer, bias_regularizer, activity_regularizer, kernel_constraint,
                  bias_constraint, trainable, name, _scope=name, _reuse=reuse)
    return layer.apply(inputs)


def dropout(inputs, rate=0.5, noise_shape=None, seed=None, training=False, name=None):
    return Dropout(rate, noise_shape, seed, name).apply(inputs, training=training)


def flatten(inputs, name=None, data_format='channels_last'):
    return Flatten(data_format, name).apply(inputs)


def conv1d(inputs, filters, kernel_size, strides=1, padding='valid',
           data_format='channels_last', dilation_rate=1, activation=None, use_bias=True,
           kernel_initializer=None, bias_initializer=tf.zeros_initializer(),
           kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None,
           kernel_constraint=None, bias_constraint=None, trainable=True, name=None,
           reuse=None):
    layer = Conv1D(filters, kernel_size, strides, padding, data_format, dilation_rate,
                   activation, use_bias, kernel_initializer, bias_initializer,
                   kernel_regularizer, bias_regularizer, activity_regularizer,
                   kernel_constraint, bias_constraint, trainable, name,
                   _scope=name, _reuse=reuse)
    return layer.apply(inputs)


def conv2d(inputs, filters, kernel_size, strides=(1, 1), padding='valid',
           data_format='channels_last', dilation_rate=(1, 1), activation=None, use_bias=True,
           kernel_initializer=None, bias_initializer=tf.zeros_initializer(),
           kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None,
           kernel_constraint=None, bias_constraint=None, trainable=True, name=None,
           reuse=None):
    layer = Conv2D(filters, kernel_size, strides, padding, data_format, dilation_rate,
                   activation, use_bias, kernel_initializer, bias_initializer,
                   kernel_regularizer, bias_regularizer, activity_regularizer,
                   kernel_constraint, bias_constraint, trainable, name,
                   _scope=name, _reuse=reuse)
    return layer.apply(inputs)


def conv3d(inputs, filters, kernel_size, strides=(1, 1, 1), padding='valid',
           data_format='channels_last', dilation_rate=(1, 1, 1), activation=None,
           use_bias=True, kernel_initializer=None, bias_initializer=tf.zeros_initializer(),
           kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None,
           kernel_constraint=None, bias_constraint=None, trainable=True, name=None,
           reuse=None):
    layer = Conv3D(filters, kernel_size, strides, padding, data_format, dilation_rate,
                   activation, use_bias, kernel_initializer, bias_initializer,
                   kernel_regularizer, bias_regularizer, activity_regularizer,
                   kernel_constraint, bias_constraint, trainable, name,
                   _scope=name, _reuse=reuse)
    return layer.apply(inputs)


def conv2d_transpose(inputs, filters, kernel_size, strides=(1, 1), padding='valid',
                     data_format='channels_last', activation=None, use_bias=True,
                     kernel_initializer=None, bias_initializer=tf.zeros_initializer(),
                     kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                     kernel_constraint=None, bias_constraint=None, trainable=True, name=None,
                     reuse=None):
    layer = Conv2DTranspose(filters, kernel_size, strides, padding, data_format, activation,
                            use_bias, kernel_initializer, bias_initializer, kernel_regularizer,
                            bias_regularizer, activity_regularizer, kernel_constraint,
                            bias_constraint, trainable, name, _scope=name, _reuse=reuse)
    return layer.apply(inputs)


def conv3d_transpose(inputs, filters, kernel_size, strides=(1, 1, 1), padding='valid',
                     data_format='channels_last', activation=None, use_bias=True,
                     kernel_initializer=None, bias_initializer=tf.zeros_initializer(),
                     kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                     kernel_constraint=None, bias_constraint=None, trainable=True, name=None,
                     reuse=None):
    layer = Conv3DTranspose(filters, kernel_size, strides, padding, data_format, activation,
                            use_bias, kernel_initializer, bias_initializer, kernel_regularizer,
                            bias_regularizer, activity_regularizer, kernel_constraint,
                            bias_constraint, trainable, name, _scope=name, _reuse=reuse)
    return layer.apply(inputs)


def separable_conv1d(inputs, filters, kernel_size, strides=1, padding='valid',
                     data_format='channels_last', dilation_rate=1, depth_multiplier=1,
                     activation=None, use_bias=True, depthwise_initializer=None,
                     pointwise_initializer=None, bias_initializer=tf.zeros_initializer(),
                     depthwise_regularizer=None, pointwise_regularizer=None,
                     bias_regularizer=None, activity_regularizer=None,
                     depthwise_constraint=None, pointwise_constraint=None,
                     bias_constraint=None, trainable=True, name=None, reuse=None):
    layer = SeparableConv1D(
        filters, kernel_size, strides, padding, data_format, dilation_rate, depth_multiplier,
        activation, use_bias, depthwise_initializer, pointwise_initializer, bias_initializer,
        depthwise_regularizer, pointwise_regularizer, bias_regularizer, activity_regularizer,
        depthwise_constraint, pointwise_constraint, bias_constraint, trainable, name,
        _scope=name, _reuse=reuse)
    return layer.apply(inputs)


def separable_conv2d(inputs, filters, kernel_size, strides=(1, 1), padding='valid',
                     data_format='channels_last', dilation_rate=(1, 1), depth_multiplier=1,
                     activation=None, use_bias=True, depthwise_initializer=None,
                     pointwise_initializer=None, bias_initializer=tf.zeros_initializer(),
                     depthwise_regularizer=None, pointwise_regularizer=None,
                     bias_regularizer=None, activity_regularizer=None,
                     depthwise_constraint=None, pointwise_constraint=None,
                     bias_constraint=None, trainable=True, name=None, reuse=None):
    layer = SeparableConv2D(
        filters, kernel_size, strides, padding, data_format, dilation_rate, depth_multiplier,
        activation, use_bias, depthwise_initializer, pointwise_initializer, bias_initializer,
        depthwise_regularizer, pointwise_regularizer, bias_regularizer, activity_regularizer,
        depthwise_constraint, pointwise_constraint, bias_constraint, trainable, name,
        _scope=name, _reuse=reuse)
    return layer.apply(inputs)


def max_pooling1d(inputs, pool_size, strides, padding='valid', data_format='channels_last',
                  name=None):
    return MaxPooling1D(pool_size, strides, padding, data_format, name).apply(inputs)


def max_pooling2d(inputs, pool_size, strides, padding='valid', data_format='channels_last',
                  name=None):
    return MaxPooling2D(pool_size, strides, padding, data_format, name).apply(inputs)


def max_pooling3d(inputs, pool_size, strides, padding='valid', data_format='channels_last',
                  name=None):
    return MaxPooling3D(pool_size, strides, padding, data_format, name).apply(inputs)


def average_pooling1d(inputs, pool_size, strides, padding='valid',
                      data_format='channels_last', name=None):
    return AveragePooling1D(pool_size, strides, padding, data_format, name).apply(inputs)


def average_pooling2d(inputs, pool_size, strides, padding='valid',
                      data_format='channels_last', name=None):
    return AveragePooling2D(pool_size, strides, padding, data_format, name).apply(inputs)


def average_pooling3d(inputs, pool_size, strides, padding='valid',
                      data_format='channels_last', name=None):
    return AveragePooling3D(pool_size, strides, padding, data_format, name).apply(inputs)


def batch_normalization(inputs, axis=-1, momentum=0.99, epsilon=1e-3, center=True, scale=True,
                        beta_initializer=tf.zeros_initializer(),
                        gamma_initializer=tf.ones_initializer(),
                        moving_mean_initializer=tf.zeros_initializer(),
                        moving_variance_initializer=tf.ones_initializer(),
                        beta_regularizer=None, gamma_regularizer=None, beta_constraint=None,
                        gamma_constraint=None, training=False, trainable=True, name=None,
                        reuse=None, renorm=False, renorm_clipping=None, renorm_momentum=0.99,
                        fused=None, virtual_batch_size=None, adjustment=None):
    layer = BatchNormalization(
        axis, momentum, epsilon, center, scale, beta_initializer, gamma_initializer,
        moving_mean_initializer, moving_variance_initializer, beta_regularizer,
        gamma_regularizer, beta_constraint, gamma_constraint, renorm, renorm_clipping,
        renorm_momentum, fused, trainable, virtual_batch_size, adjustment, name,
        _scope=name, _reuse=reuse)
    return layer.apply(inputs, training=training)


# Helpers, shared with tf1/contrib_layers.py.

def layer_variable(name, shape, dtype, initializer=None, regularizer=None, trainable=True,
                   constraint=None):
    """tf.get_variable, with `regularizer` applied as tf.layers applied it: once, to a
    variable this call creates, its loss named <variable>/Regularizer/... and put in
    REGULARIZATION_LOSSES (tf.get_variable's own regularizer argument would rebuild the
    loss at every use)."""
    existing = tf.global_variables()
    variable = tf.get_variable(name, shape, dtype, initializer=initializer,
                               trainable=trainable, constraint=constraint)
    if regularizer is not None and not any(variable is old for old in existing):
        with tf.name_scope(name + '/Regularizer'):
            loss = regularizer(variable)
        if loss is not None:
            tf.add_to_collection(tf.GraphKeys.REGULARIZATION_LOSSES, loss)
    return variable


def smart_cond(pred, true_fn, false_fn):
    """TF 1.x's smart_cond: the branch `pred` picks when it is known while the graph is
    built (a Python bool, a constant), a tf.cond when it is known only at run time."""
    value = static_value(pred)
    if value is None:
        return tf.cond(pred, true_fn, false_fn)
    return true_fn() if value else false_fn()


def static_value(pred):
    """True or False when `pred` (a Python bool, or a bool tensor) is known while the graph
    is built, None when only at run time."""
    if not tf.is_tensor(pred):
        # As TF 1.x: anything equal to True or False (1, 0, numpy's bools) will do.
        if isinstance(pred, (bool, np.bool_)) or _is_int(pred) and pred in (0, 1):
            return bool(pred)
        raise TypeError('training must be a Python bool or a bool tensor, got %r' % (pred,))
    value = tf.get_static_value(pred)
    return None if value is None else bool(value)


def normalize_batch(inputs, axis, gamma, beta, moving_mean, moving_variance, momentum,
                    epsilon, training, fused):
    """Batch normalization over every axis of `inputs` but those in `axis`.

    Returns the outputs and the two ops that move the moving mean and variance toward the
    batch's (none when training is a constant False). `fused` uses the one-kernel op,
    which TF 1.x chose for images; it differs from the other path in one TF 1.x detail
    kept here: its batch variance, which feeds the moving variance, is the unbiased one
    (divided by n - 1)."""
    training_value = static_value(training)
    if fused:
        data_format = 'NCHW' if axis == [1] else 'NHWC'
        channels, dtype = moving_mean.shape, moving_mean.dtype.base_dtype
        scale = gamma if gamma is not None else tf.ones(channels, dtype)
        offset = beta if beta is not None else tf.zeros(channels, dtype)

        def batch_statistics():
            return tf.nn.fused_batch_norm(inputs, scale, offset, epsilon=epsilon,
                                          data_format=data_format)

        def moving_statistics():
            return tf.nn.fused_batch_norm(inputs, scale, offset, moving_mean, moving_variance,
                                          epsilon=epsilon, is_training=False,
                                          data_format=data_format)
        outputs, mean, variance = smart_cond(training, batch_statistics, moving_statistics)
    else:
        ndims = inputs.shape.ndims
        reduction_axes = [i for i in range(ndims) if i not in axis]
        if training_value is False:
            mean, variance = moving_mean, moving_variance
        else:
            batch_mean, batch_variance = tf.nn.moments(inputs, reduction_axes,
                                                       keep_dims=len(axis) > 1)
            mean = smart_cond(training, lambda: batch_mean,
                              lambda: tf.convert_to_tensor(moving_mean))
            variance = smart_cond(training, lambda: batch_variance,
                                  lambda: tf.convert_to_tensor(moving_variance))

        def broadcast(parameter):
            # 1-D statistics line up with the last axis only; another single axis needs a
            # shape like [1, C, 1, 1].
            if parameter is None or len(axis) > 1 or axis == [ndims - 1]:
                return parameter
            shape = [1] * ndims
            shape[axis[0]] = -1
            return tf.reshape(parameter, shape)
        outputs = tf.nn.batch_normalization(inputs, broadcast(mean), broadcast(variance),
                                            broadcast(beta), broadcast(gamma), epsilon)
        outputs.set_shape(inputs.shape)
    if training_value is False:
        return outputs, []

    def update(variable, value):
        return smart_cond(training, lambda: _assign_moving_average(variable, value, momentum),
                          lambda: tf.identity(variable))
    return outputs, [update(moving_mean, mean), update(moving_variance, variance)]


def refuse_unsupported(layer, **options):
    """A clear error for the options of TF 1.x that these layers do not provide."""
    for option, value in sorted(options.items()):
        if value not in (None, False):
            raise ValueError('%s: %s=%r is not supported by tf1 (TF 1.x option left out)'
                             % (layer, option, value))


def _assign_moving_average(variable, value, momentum):
    """variable ← variable - (variable - value) · (1 - momentum)."""
    with tf.name_scope(None, 'AssignMovingAvg', [variable, value]) as scope:
        decay = tf.cast(1.0 - momentum, variable.dtype.base_dtype, name='decay')
        update_delta = (variable - tf.cast(value, variable.dtype.base_dtype)) * decay
        return tf.assign_sub(variable, update_delta, name=scope)


def _bias_and_activation(outputs, bias, activation, data_format):
    if bias is not None:
        outputs = tf.nn.bias_add(outputs, bias, data_format=data_format)
    return activation(outputs) if activation is not None else outputs


def _add_new_to_collection(name, values):
    collection = tf.get_collection_ref(name)
    for value in values:
        if not any(value is present for present in collection):
            collection.append(value)


def _snake_case(class_name):
    """TF 1.x's default layer names: Dense → dense, MaxPooling2D → max_pooling2d."""
    words = re.sub('(.)([A-Z][a-z0-9]+)', r'\1_\2', class_name)
    return re.sub('([a-z])([A-Z])', r'\1_\2', words).lower()


def _positive_int(layer, value, name):
    if not _is_int(value) or value <= 0:
        raise ValueError('%s: %s must be a positive int, got %r' % (layer, name, value))
    return int(value)


def _int_tuple(layer, value, n, name):
    """An int, or n ints, as a tuple of n ints."""
    values = (value,) * n if _is_int(value) else tuple(value) if _is_sequence(value) else ()
    if len(values) != n or not all(_is_int(v) and v > 0 for v in values):
        raise ValueError('%s: %s must be a positive int or %d positive ints, got %r'
                         % (layer, name, n, value))
    return tuple(int(v) for v in values)


def _is_int(value):
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def _is_sequence(value):
    return isinstance(value, (list, tuple))


def _padding(layer, value):
    padding = value.lower() if isinstance(value, str) else value
    if padding not in ('valid', 'same'):
        raise ValueError("%s: padding must be 'valid' or 'same' (any case), got %r"
                         % (layer, value))
    return padding


def _data_format(layer, value):
    data_format = value.lower() if isinstance(value, str) else value
    if data_format not in ('channels_last', 'channels_first'):
        raise ValueError("%s: data_format must be 'channels_last' or 'channels_first', got "
                         "%r" % (layer, value))
    return data_format


def _tf_data_format(data_format, rank):
    """'channels_last' → NWC, NHWC, NDHWC; 'channels_first' → NCW, NCHW, NCDHW."""
    spatial = 'DHW'[-rank:]
    return 'NC' + spatial if data_format == 'channels_first' else 'N' + spatial + 'C'


def _activation(layer, activation):
    if activation is not None and not callable(activation):
        raise TypeError('%s: activation must be a function such as tf.nn.relu, or None; got '
                        '%r' % (layer, activation))
    return activation
