"""contrib.layers' pooling (TF 1.15's): max_pool2d and avg_pool2d (scopes MaxPool2D and
AvgPool2D), their 3-D forms (MaxPool3D, AvgPool3D) and `pool`, any rank through
tf.nn.pool. Stride 2 and VALID padding by default, as in TF 1.x. And spatial_softmax,
which pools each channel into the expected position of its activation."""
import tensorflow.compat.v1 as tf

from tf1 import layers
from tf1.contrib_framework.arg_scope import add_arg_scope
from tf1.contrib_framework.variables import model_variable
from tf1.contrib_layers import utils
from tf1.contrib_layers.layers import (DATA_FORMAT_NCDHW, DATA_FORMAT_NDHWC, DATA_FORMAT_NHWC,
                                       _channels, _check_image_format)


@add_arg_scope
def max_pool2d(inputs, kernel_size, stride=2, padding='VALID', data_format=DATA_FORMAT_NHWC,
               outputs_collections=None, scope=None):
    _check_image_format(data_format)
    return _pool(layers.MaxPooling2D, 'MaxPool2D', inputs, kernel_size, stride, padding,
                 data_format, outputs_collections, scope)


@add_arg_scope
def avg_pool2d(inputs, kernel_size, stride=2, padding='VALID', data_format=DATA_FORMAT_NHWC,
               outputs_collections=None, scope=None):
    _check_image_format(data_format)
    return _pool(layers.AveragePooling2D, 'AvgPool2D', inputs, kernel_size, stride, padding,
                 data_format, outputs_collections, scope)


@add_arg_scope
def max_pool3d(inputs, kernel_size, stride=2, padding='VALID', data_format=DATA_FORMAT_NDHWC,
               outputs_collections=None, scope=None):
    _check_volume_format(data_format)
    return _pool(layers.MaxPooling3D, 'MaxPool3D', inputs, kernel_size, stride, padding,
                 data_format, outputs_collections, scope)


@add_arg_scope
def avg_pool3d(inputs, kernel_size, stride=2, padding='VALID', data_format=DATA_FORMAT_NDHWC,
               outputs_collections=None, scope=None):
    _check_volume_format(data_format)
    return _pool(layers.AveragePooling3D, 'AvgPool3D', inputs, kernel_size, stride, padding,
                 data_format, outputs_collections, scope)


def _pool(layer_class, default_scope, inputs, kernel_size, stride, padding, data_format,
          outputs_collections, scope):
    with tf.name_scope(scope, default_scope, [inputs]) as sc:
        inputs = tf.convert_to_tensor(inputs)
        layer = layer_class(kernel_size, stride, padding, _channels(data_format), _scope=sc)
        return utils.collect_named_outputs(outputs_collections, sc, layer.apply(inputs))


def _check_volume_format(data_format):
    if data_format not in (DATA_FORMAT_NCDHW, DATA_FORMAT_NDHWC):
        raise ValueError('data_format has to be either NCDHW or NDHWC.')


@add_arg_scope
def pool(inputs, kernel_size, pooling_type, padding='VALID', data_format=None, dilation_rate=1,
         stride=1, outputs_collections=None, scope=None):
    """`pooling_type` ('AVG' or 'MAX') pooling over every spatial axis of inputs of any
    rank (tf.nn.pool); stride 1 by default."""
    with tf.name_scope(scope, '%s_pool' % pooling_type.lower(), [inputs]) as sc:
        inputs = tf.convert_to_tensor(inputs)
        input_rank = inputs.get_shape().ndims
        if input_rank is None:
            raise ValueError('Rank of inputs must be known')
        if input_rank < 3:
            raise ValueError('Rank of inputs must be >= 3')
        spatial = input_rank - 2
        output = tf.nn.pool(
            input=inputs, window_shape=utils.n_positive_integers(spatial, kernel_size),
            pooling_type=pooling_type, padding=padding, data_format=data_format,
            dilation_rate=utils.n_positive_integers(spatial, dilation_rate),
            strides=utils.n_positive_integers(spatial, stride), name=sc)
        return utils.collect_named_outputs(outputs_collections, sc, output)


@add_arg_scope
def spatial_softmax(features, temperature=None, name=None, variables_collections=None,
                    trainable=True, data_format=DATA_FORMAT_NHWC):
    """The expected position of each channel's activation (Finn et al. 2016): a softmax
    over each channel's height × width, at a learned `temperature` (started at
    `temperature`, else 1), then the mean of the coordinates in [-1, 1] under it; [batch,
    2 × channels], arranged x1, y1, x2, y2 ..., x being the row coordinate as in TF 1.x."""
    with tf.variable_scope(name, 'spatial_softmax'):
        shape = tf.shape(features)
        if data_format == DATA_FORMAT_NHWC:
            height, width, channels = shape[1], shape[2], features.shape[3]
        elif data_format == 'NCHW':
            channels, height, width = features.shape[1], shape[2], shape[3]
        else:
            raise ValueError('data_format has to be either NCHW or NHWC.')
        channels = tf.dimension_value(channels)
        if channels is None:
            raise ValueError('The num_channels dimension of the inputs to `spatial_softmax` '
                             'should be defined. Found `None`.')
        with tf.name_scope('spatial_softmax_op', 'spatial_softmax_op', [features]):
            pos_x, pos_y = tf.meshgrid(tf.lin_space(-1., 1., num=height),
                                       tf.lin_space(-1., 1., num=width), indexing='ij')
            pos_x = tf.reshape(pos_x, [height * width])
            pos_y = tf.reshape(pos_y, [height * width])
            temperature = model_variable(
                'temperature', shape=(), dtype=tf.float32, trainable=trainable,
                initializer=(tf.ones_initializer() if temperature is None
                             else tf.constant_initializer(temperature)),
                collections=(utils.get_variable_collections(variables_collections,
                                                            'temperature')
                             if trainable else None))
            if data_format != DATA_FORMAT_NHWC:
                features = tf.reshape(features, [-1, height * width])
            else:
                features = tf.reshape(tf.transpose(features, [0, 3, 1, 2]),
                                      [-1, height * width])
            attention = tf.nn.softmax(features / temperature)
            expected_xy = tf.concat([tf.reduce_sum(pos_x * attention, [1], keepdims=True),
                                     tf.reduce_sum(pos_y * attention, [1], keepdims=True)], 1)
            keypoints = tf.reshape(expected_xy, [-1, channels * 2])
            keypoints.set_shape([None, channels * 2])
    return keypoints
