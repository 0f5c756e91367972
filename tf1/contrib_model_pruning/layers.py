"""model_pruning's contrib-style layers (TF 1.15's contrib/model_pruning/python/layers/
layers.py): contrib.layers' conv2d and fully_connected (their scopes, `weights` and
`biases`, normalizer and activation, arg_scopes) on the masked layers."""
import numbers

import tensorflow.compat.v1 as tf

from tf1.contrib_framework.arg_scope import add_arg_scope
from tf1.contrib_layers.layers import _weighted_layer  # contrib.layers' own
from tf1.contrib_layers.initializers import xavier_initializer
from tf1.contrib_model_pruning import core_layers


@add_arg_scope
def masked_convolution(inputs, num_outputs, kernel_size, stride=1, padding='SAME',
                       data_format=None, rate=1, activation_fn=tf.nn.relu, normalizer_fn=None,
                       normalizer_params=None, weights_initializer=xavier_initializer(),
                       weights_regularizer=None, biases_initializer=tf.zeros_initializer(),
                       biases_regularizer=None, reuse=None, variables_collections=None,
                       outputs_collections=None, trainable=True, scope=None):
    """contrib.layers.conv2d with a masked kernel (images only: rank-4 inputs)."""
    if data_format not in (None, 'NWC', 'NCW', 'NHWC', 'NCHW', 'NDHWC', 'NCDHW'):
        raise ValueError('Invalid data_format: %r' % (data_format,))

    def make_layer(inputs, **options):
        rank = inputs.get_shape().ndims
        if rank != 4:
            raise ValueError('Sparse Convolution not supported for input with rank', rank)
        if data_format not in (None, 'NHWC', 'NCHW'):
            raise ValueError('Unsupported data format', data_format)
        return core_layers.MaskedConv2D(
            num_outputs, kernel_size, stride, padding,
            'channels_first' if data_format == 'NCHW' else 'channels_last', rate, **options)
    return _weighted_layer(
        make_layer, 'Conv', inputs, activation_fn, normalizer_fn, normalizer_params,
        weights_initializer, weights_regularizer, biases_initializer, biases_regularizer,
        reuse, variables_collections, outputs_collections, trainable, scope)


masked_conv2d = masked_convolution


@add_arg_scope
def masked_fully_connected(inputs, num_outputs, activation_fn=tf.nn.relu, normalizer_fn=None,
                           normalizer_params=None, weights_initializer=xavier_initializer(),
                           weights_regularizer=None, biases_initializer=tf.zeros_initializer(),
                           biases_regularizer=None, reuse=None, variables_collections=None,
                           outputs_collections=None, trainable=True, scope=None):
    """contrib.layers.fully_connected with a masked weight matrix."""
    if not isinstance(num_outputs, numbers.Integral):
        raise ValueError('num_outputs should be int or long, got %s.' % (num_outputs,))
    return _weighted_layer(
        lambda inputs, **options: core_layers.MaskedFullyConnected(num_outputs, **options),
        'fully_connected', inputs, activation_fn, normalizer_fn, normalizer_params,
        weights_initializer, weights_regularizer, biases_initializer, biases_regularizer,
        reuse, variables_collections, outputs_collections, trainable, scope)
