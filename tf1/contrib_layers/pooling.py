"""contrib.layers' pooling (TF 1.15's): max_pool2d and avg_pool2d (scopes MaxPool2D and
AvgPool2D), their 3-D forms (MaxPool3D, AvgPool3D) and `pool`, any rank through
tf.nn.pool. Stride 2 and VALID padding by default, as in TF 1.x."""
import tensorflow.compat.v1 as tf

from tf1 import layers
from tf1.contrib_framework.arg_scope import add_arg_scope
from tf1.contrib_layers import utils
from tf1.contrib_layers.layers import DATA_FORMAT_NHWC, _channels, _check_image_format

DATA_FORMAT_NDHWC = 'NDHWC'
DATA_FORMAT_NCDHW = 'NCDHW'


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

