"""Convolutions: plain, transposed and separable, over 1, 2 or 3 spatial dimensions."""

import tensorflow.compat.v1 as tf

from tf1.layers.base import Layer, apply_functional
from tf1.layers.utils import (bias_and_activation, check_activation, check_data_format,
                              check_padding, conv_output_length, deconv_output_length,
                              int_tuple, positive_int, spatial_output_shape,
                              spell_out_arguments, tf_data_format)


class _Convolution(Layer):
    """An N-D convolution (N = rank) with bias and activation: Conv1D, Conv2D, Conv3D."""

    _config_keys = ('filters', 'kernel_size', 'strides', 'padding', 'data_format',
                    'dilation_rate', 'activation', 'use_bias', 'kernel_initializer',
                    'bias_initializer', 'kernel_regularizer', 'bias_regularizer',
                    'activity_regularizer', 'kernel_constraint', 'bias_constraint')
    # What Keras writes (TF 1.15's, tf.keras's) that tf.layers' convolutions do not take,
    # at the value they compute with: a config so written makes the layer (from_config).
    _keras_defaults = {'groups': 1}

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        for key, default in cls._keras_defaults.items():
            value = config.pop(key, default)
            if set(tf.nest.flatten(value)) != {default}:
                raise ValueError('%s: tf.layers\' takes no %s; only Keras\'s default %r is '
                                 'read (got %r)' % (cls.__name__, key, default, value))
        return super(_Convolution, cls).from_config(config)

    def __init__(self, rank, filters, kernel_size, strides=1, padding='valid',
                 data_format='channels_last', dilation_rate=1, activation=None, use_bias=True,
                 kernel_initializer=None, bias_initializer=tf.zeros_initializer(),
                 kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 kernel_constraint=None, bias_constraint=None, trainable=True, name=None,
                 **kwargs):
        super(_Convolution, self).__init__(trainable=trainable, name=name,
                                           activity_regularizer=activity_regularizer, **kwargs)
        self.rank = rank
        self.filters = positive_int(self._kind, filters, 'filters')
        self.kernel_size = int_tuple(self._kind, kernel_size, rank, 'kernel_size')
        self.strides = int_tuple(self._kind, strides, rank, 'strides')
        self.padding = check_padding(self._kind, padding)
        self.data_format = check_data_format(self._kind, data_format)
        self.dilation_rate = int_tuple(self._kind, dilation_rate, rank,
                                        'dilation_rate')
        self.activation = check_activation(self._kind, activation)
        self.use_bias = use_bias
        self.kernel_initializer, self.bias_initializer = kernel_initializer, bias_initializer
        self.kernel_regularizer, self.bias_regularizer = kernel_regularizer, bias_regularizer
        self.kernel_constraint, self.bias_constraint = kernel_constraint, bias_constraint
        self._tf_data_format = tf_data_format(self.data_format, rank)

    def build(self, input_shape):
        channels = self._input_channels(tf.TensorShape(input_shape))
        self.kernel = self.add_weight('kernel', self._kernel_shape(channels),
                                      initializer=self.kernel_initializer,
                                      regularizer=self.kernel_regularizer,
                                      constraint=self.kernel_constraint)
        self._add_bias()
        self.built = True

    def _add_bias(self):
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
            raise ValueError('The channel dimension of the inputs should be defined. Found '
                             '`None`. (%s, inputs of shape %s)' % (self._kind, input_shape))
        return channels

    def call(self, inputs):
        return self._call_with(inputs, self.kernel)

    def compute_output_shape(self, input_shape):
        return spatial_output_shape(input_shape, self.data_format, self.filters, lambda i, size:
                                    self._output_length(size, self.kernel_size[i],
                                                        self.strides[i], self.dilation_rate[i]))

    def _output_length(self, input_length, kernel, stride, dilation=1):
        return conv_output_length(input_length, kernel, self.padding, stride, dilation)

    def _call_with(self, inputs, kernel):
        """The layer's output with `kernel` (model_pruning's masked layers give theirs)."""
        # TF 1.x's op names: conv2d/Conv2D, conv3d/Conv3D; conv1d/conv1d/Conv2D.
        op_name = 'conv1d' if self.rank == 1 else 'Conv%dD' % self.rank
        outputs = tf.nn.convolution(inputs, kernel, self.padding.upper(),
                                    strides=self.strides, dilation_rate=self.dilation_rate,
                                    data_format=self._tf_data_format, name=op_name)
        return bias_and_activation(outputs, self.bias, self.activation, self._tf_data_format)


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

    # No dilation_rate: tf.layers' transposed convolutions take none (TF 1.15's
    # Conv2DTranspose wrote Keras's, and both Keras's output_padding).
    _config_keys = tuple(key for key in _Convolution._config_keys if key != 'dilation_rate')

    _keras_defaults = {'groups': 1, 'dilation_rate': 1, 'output_padding': None}

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
        return bias_and_activation(outputs, self.bias, self.activation, self._tf_data_format)

    def _output_length(self, input_length, kernel, stride, dilation=1):
        return deconv_output_length(input_length, kernel, self.padding, stride)


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

    _config_keys = ('filters', 'kernel_size', 'strides', 'padding', 'data_format',
                    'depth_multiplier', 'dilation_rate', 'activation', 'use_bias',
                    'depthwise_initializer', 'pointwise_initializer', 'bias_initializer',
                    'depthwise_regularizer', 'pointwise_regularizer', 'bias_regularizer',
                    'activity_regularizer', 'depthwise_constraint', 'pointwise_constraint',
                    'bias_constraint')

    @classmethod
    def from_config(cls, config):
        # Keras wrote a full kernel's initializer, regularizer and constraint too, which a
        # separable convolution has no use for (Keras's neither).
        config = {key: value for key, value in config.items() if key not in (
            'kernel_initializer', 'kernel_regularizer', 'kernel_constraint')}
        return super(_SeparableConvolution, cls).from_config(config)

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
        self.depth_multiplier = positive_int(self._kind, depth_multiplier, 'depth_multiplier')
        self.depthwise_initializer = depthwise_initializer
        self.pointwise_initializer = pointwise_initializer
        self.depthwise_regularizer = depthwise_regularizer
        self.pointwise_regularizer = pointwise_regularizer
        self.depthwise_constraint = depthwise_constraint
        self.pointwise_constraint = pointwise_constraint

    def build(self, input_shape):
        channels = self._input_channels(tf.TensorShape(input_shape))
        self.depthwise_kernel = self.add_weight(
            'depthwise_kernel', list(self.kernel_size) + [channels, self.depth_multiplier],
            initializer=self.depthwise_initializer, regularizer=self.depthwise_regularizer,
            constraint=self.depthwise_constraint)
        self.pointwise_kernel = self.add_weight(
            'pointwise_kernel', [1] * self.rank + [channels * self.depth_multiplier,
                                                   self.filters],
            initializer=self.pointwise_initializer, regularizer=self.pointwise_regularizer,
            constraint=self.pointwise_constraint)
        self._add_bias()
        self.built = True

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
        data_format = tf_data_format(self.data_format, 2)
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



for _layer_class in (Conv1D, Conv2D, Conv3D, SeparableConv1D, SeparableConv2D):
    spell_out_arguments(_layer_class, fixed=['rank'])
for _layer_class in (Conv2DTranspose, Conv3DTranspose):  # no dilation (TF 1.x's had none)
    spell_out_arguments(_layer_class, fixed=['rank', 'dilation_rate'])

def conv1d(inputs, filters, kernel_size, strides=1, padding='valid',
           data_format='channels_last', dilation_rate=1, activation=None, use_bias=True,
           kernel_initializer=None, bias_initializer=tf.zeros_initializer(),
           kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None,
           kernel_constraint=None, bias_constraint=None, trainable=True, name=None,
           reuse=None):
    return apply_functional(Conv1D, locals())


def conv2d(inputs, filters, kernel_size, strides=(1, 1), padding='valid',
           data_format='channels_last', dilation_rate=(1, 1), activation=None, use_bias=True,
           kernel_initializer=None, bias_initializer=tf.zeros_initializer(),
           kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None,
           kernel_constraint=None, bias_constraint=None, trainable=True, name=None,
           reuse=None):
    return apply_functional(Conv2D, locals())


def conv3d(inputs, filters, kernel_size, strides=(1, 1, 1), padding='valid',
           data_format='channels_last', dilation_rate=(1, 1, 1), activation=None,
           use_bias=True, kernel_initializer=None, bias_initializer=tf.zeros_initializer(),
           kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None,
           kernel_constraint=None, bias_constraint=None, trainable=True, name=None,
           reuse=None):
    return apply_functional(Conv3D, locals())


def conv2d_transpose(inputs, filters, kernel_size, strides=(1, 1), padding='valid',
                     data_format='channels_last', activation=None, use_bias=True,
                     kernel_initializer=None, bias_initializer=tf.zeros_initializer(),
                     kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                     kernel_constraint=None, bias_constraint=None, trainable=True, name=None,
                     reuse=None):
    return apply_functional(Conv2DTranspose, locals())


def conv3d_transpose(inputs, filters, kernel_size, strides=(1, 1, 1), padding='valid',
                     data_format='channels_last', activation=None, use_bias=True,
                     kernel_initializer=None, bias_initializer=tf.zeros_initializer(),
                     kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                     kernel_constraint=None, bias_constraint=None, trainable=True, name=None,
                     reuse=None):
    return apply_functional(Conv3DTranspose, locals())


def separable_conv1d(inputs, filters, kernel_size, strides=1, padding='valid',
                     data_format='channels_last', dilation_rate=1, depth_multiplier=1,
                     activation=None, use_bias=True, depthwise_initializer=None,
                     pointwise_initializer=None, bias_initializer=tf.zeros_initializer(),
                     depthwise_regularizer=None, pointwise_regularizer=None,
                     bias_regularizer=None, activity_regularizer=None,
                     depthwise_constraint=None, pointwise_constraint=None,
                     bias_constraint=None, trainable=True, name=None, reuse=None):
    return apply_functional(SeparableConv1D, locals())


def separable_conv2d(inputs, filters, kernel_size, strides=(1, 1), padding='valid',
                     data_format='channels_last', dilation_rate=(1, 1), depth_multiplier=1,
                     activation=None, use_bias=True, depthwise_initializer=None,
                     pointwise_initializer=None, bias_initializer=tf.zeros_initializer(),
                     depthwise_regularizer=None, pointwise_regularizer=None,
                     bias_regularizer=None, activity_regularizer=None,
                     depthwise_constraint=None, pointwise_constraint=None,
                     bias_constraint=None, trainable=True, name=None, reuse=None):
    return apply_functional(SeparableConv2D, locals())
