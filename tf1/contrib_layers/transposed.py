"""contrib.layers' transposed convolutions ("deconvolutions"), 2-D and 3-D: tf.layers'
Conv2DTranspose and Conv3DTranspose under contrib's arguments, scopes (`Conv2d_transpose`,
`Conv3d_transpose`), normalizer_fn and collections."""
import tensorflow.compat.v1 as tf

from tf1 import layers
from tf1.contrib_framework.arg_scope import add_arg_scope
from tf1.contrib_layers.initializers import xavier_initializer
from tf1.contrib_layers.layers import (DATA_FORMAT_NCDHW, DATA_FORMAT_NDHWC, DATA_FORMAT_NHWC,
                                       _channels, _check_image_format, _weighted_layer)


@add_arg_scope
def convolution2d_transpose(inputs, num_outputs, kernel_size, stride=1, padding='SAME',
                            data_format=DATA_FORMAT_NHWC, activation_fn=tf.nn.relu,
                            normalizer_fn=None, normalizer_params=None,
                            weights_initializer=xavier_initializer(), weights_regularizer=None,
                            biases_initializer=tf.zeros_initializer(), biases_regularizer=None,
                            reuse=None, variables_collections=None, outputs_collections=None,
                            trainable=True, scope=None):
    """A transposed 2-D convolution (tf.layers.conv2d_transpose), contrib-style."""
    _check_image_format(data_format)
    return _transposed(layers.Conv2DTranspose, 'Conv2d_transpose', locals())


@add_arg_scope
def convolution3d_transpose(inputs, num_outputs, kernel_size, stride=1, padding='SAME',
                            data_format=DATA_FORMAT_NDHWC, activation_fn=tf.nn.relu,
                            normalizer_fn=None, normalizer_params=None,
                            weights_initializer=xavier_initializer(), weights_regularizer=None,
                            biases_initializer=tf.zeros_initializer(), biases_regularizer=None,
                            reuse=None, variables_collections=None, outputs_collections=None,
                            trainable=True, scope=None):
    """A transposed 3-D convolution (tf.layers.conv3d_transpose), contrib-style."""
    if data_format not in (DATA_FORMAT_NCDHW, DATA_FORMAT_NDHWC):
        raise ValueError('data_format has to be either NCDHW or NDHWC.')
    return _transposed(layers.Conv3DTranspose, 'Conv3d_transpose', locals())


def _transposed(layer_class, default_scope, arguments):
    """A transposed convolution of `layer_class` from its contrib function's arguments."""
    a = arguments

    def make_layer(inputs, **options):
        return layer_class(a['num_outputs'], a['kernel_size'], a['stride'], a['padding'],
                           _channels(a['data_format']), **options)
    return _weighted_layer(
        make_layer, default_scope, a['inputs'], a['activation_fn'], a['normalizer_fn'],
        a['normalizer_params'], a['weights_initializer'], a['weights_regularizer'],
        a['biases_initializer'], a['biases_regularizer'], a['reuse'],
        a['variables_collections'], a['outputs_collections'], a['trainable'], a['scope'])


conv2d_transpose = convolution2d_transpose
conv3d_transpose = convolution3d_transpose
