"""contrib.layers' depthwise convolutions (TF 1.15's, ported). separable_convolution2d,
what slim's MobileNets are made of: a depthwise convolution (`depthwise_weights`:
depth_multiplier filters per input channel), then, unless num_outputs is None, a 1×1
convolution mixing the channels (`pointwise_weights`); then normalizer_fn or `biases`, then
activation_fn. And convolution2d_in_plane: one small kernel applied to each channel."""
import tensorflow.compat.v1 as tf

from tf1 import layers
from tf1.contrib_framework.arg_scope import add_arg_scope
from tf1.contrib_framework.variables import model_variable
from tf1.contrib_layers import utils
from tf1.contrib_layers.initializers import xavier_initializer
from tf1.contrib_layers.layers import (DATA_FORMAT_NHWC, _add_to_collections, _channels,
                                       _check_image_format, _layer_scope)


@add_arg_scope
def separable_convolution2d(inputs, num_outputs, kernel_size, depth_multiplier=1, stride=1,
                            padding='SAME', data_format=DATA_FORMAT_NHWC, rate=1,
                            activation_fn=tf.nn.relu, normalizer_fn=None,
                            normalizer_params=None, weights_initializer=xavier_initializer(),
                            pointwise_initializer=None, weights_regularizer=None,
                            biases_initializer=tf.zeros_initializer(), biases_regularizer=None,
                            reuse=None, variables_collections=None, outputs_collections=None,
                            trainable=True, scope=None):
    """A depth-separable 2-D convolution in scope `SeparableConv2d`; with num_outputs None,
    the depthwise convolution alone (depth_multiplier × the input's channels out)."""
    try:
        _check_image_format(data_format)
    except ValueError:
        raise ValueError('data_format has to be either NCHW or NHWC.') from None
    with _layer_scope(scope, 'SeparableConv2d', inputs, reuse) as sc:
        inputs = tf.convert_to_tensor(inputs)
        pointwise_initializer = pointwise_initializer or weights_initializer
        if num_outputs is not None:
            layer = layers.SeparableConv2D(
                num_outputs, kernel_size, stride, padding, _channels(data_format),
                utils.two_element_tuple(rate), depth_multiplier=depth_multiplier,
                use_bias=not normalizer_fn and biases_initializer is not None,
                depthwise_initializer=weights_initializer,
                pointwise_initializer=pointwise_initializer,
                bias_initializer=biases_initializer, depthwise_regularizer=weights_regularizer,
                pointwise_regularizer=weights_regularizer, bias_regularizer=biases_regularizer,
                trainable=trainable, name=sc.name, dtype=inputs.dtype.base_dtype, _scope=sc,
                _reuse=reuse)
            outputs = layer.apply(inputs)
            _add_to_collections(layer.depthwise_kernel, variables_collections, 'weights')
            _add_to_collections(layer.pointwise_kernel, variables_collections, 'weights')
            if layer.bias is not None:
                _add_to_collections(layer.bias, variables_collections, 'biases')
            if normalizer_fn is not None:
                outputs = normalizer_fn(outputs, **(normalizer_params or {}))
        else:
            outputs = _depthwise(inputs, kernel_size, depth_multiplier, stride, padding,
                                 data_format, rate, normalizer_fn, normalizer_params,
                                 weights_initializer, weights_regularizer, biases_initializer,
                                 biases_regularizer, variables_collections, trainable)
        if activation_fn is not None:
            outputs = activation_fn(outputs)
        return utils.collect_named_outputs(outputs_collections, sc.name, outputs)


def _depthwise(inputs, kernel_size, depth_multiplier, stride, padding, data_format, rate,
               normalizer_fn, normalizer_params, weights_initializer, weights_regularizer,
               biases_initializer, biases_regularizer, variables_collections, trainable):
    """The depthwise convolution alone, then normalizer_fn or biases."""
    dtype = inputs.dtype.base_dtype
    kernel_h, kernel_w = utils.two_element_tuple(kernel_size)
    stride_h, stride_w = utils.two_element_tuple(stride)
    channels_first = data_format.startswith('NC')
    num_filters_in = tf.dimension_value(inputs.shape[1 if channels_first else -1])
    if num_filters_in is None:
        raise ValueError('The channel dimension of the inputs should be defined. Found None.')
    depthwise_weights = model_variable(
        'depthwise_weights', shape=[kernel_h, kernel_w, num_filters_in, depth_multiplier],
        dtype=dtype, initializer=weights_initializer, regularizer=weights_regularizer,
        trainable=trainable,
        collections=utils.get_variable_collections(variables_collections, 'weights'))
    strides = [1, 1, stride_h, stride_w] if channels_first else [1, stride_h, stride_w, 1]
    outputs = tf.nn.depthwise_conv2d(inputs, depthwise_weights, strides, padding,
                                     rate=utils.two_element_tuple(rate),
                                     data_format=data_format)
    if normalizer_fn is not None:
        return normalizer_fn(outputs, **(normalizer_params or {}))
    if biases_initializer is None:
        return outputs
    biases = model_variable(
        'biases', shape=[depth_multiplier * num_filters_in], dtype=dtype,
        initializer=biases_initializer, regularizer=biases_regularizer, trainable=trainable,
        collections=utils.get_variable_collections(variables_collections, 'biases'))
    return tf.nn.bias_add(outputs, biases, data_format=data_format)


separable_conv2d = separable_convolution2d


@add_arg_scope
def convolution2d_in_plane(inputs, kernel_size, stride=1, padding='SAME',
                           activation_fn=tf.nn.relu, normalizer_fn=None, normalizer_params=None,
                           weights_initializer=xavier_initializer(), weights_regularizer=None,
                           biases_initializer=tf.zeros_initializer(), biases_regularizer=None,
                           reuse=None, variables_collections=None, outputs_collections=None,
                           trainable=True, scope=None):
    """One kernel (`weights`, [kernel_h, kernel_w, 1, 1]) convolved with every channel
    alone, as a depthwise convolution with it tiled over the channels (image gradients,
    blurs), in scope `ConvInPlane`; then normalizer_fn or `biases`, then activation_fn."""
    with _layer_scope(scope, 'ConvInPlane', inputs, reuse) as sc:
        inputs = tf.convert_to_tensor(inputs)
        dtype = inputs.dtype.base_dtype
        kernel_h, kernel_w = utils.two_element_tuple(kernel_size)
        stride_h, stride_w = utils.two_element_tuple(stride)
        num_filters_in = utils.last_dimension(inputs.get_shape(), min_rank=4)
        weights = model_variable(
            'weights', shape=[kernel_h, kernel_w, 1, 1], dtype=dtype,
            initializer=weights_initializer, regularizer=weights_regularizer,
            trainable=trainable,
            collections=utils.get_variable_collections(variables_collections, 'weights'))
        outputs = tf.nn.depthwise_conv2d(inputs, tf.tile(weights, [1, 1, num_filters_in, 1]),
                                         [1, stride_h, stride_w, 1], padding)
        if normalizer_fn is not None:
            outputs = normalizer_fn(outputs, **(normalizer_params or {}))
        elif biases_initializer is not None:
            biases = model_variable(
                'biases', shape=[num_filters_in], dtype=dtype, initializer=biases_initializer,
                regularizer=biases_regularizer, trainable=trainable,
                collections=utils.get_variable_collections(variables_collections, 'biases'))
            outputs = tf.nn.bias_add(outputs, biases)
        if activation_fn is not None:
            outputs = activation_fn(outputs)
        return utils.collect_named_outputs(outputs_collections, sc.name, outputs)


conv2d_in_plane = convolution2d_in_plane
