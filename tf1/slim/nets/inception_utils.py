"""What slim's Inception networks share: each written as a table of end points, an end point
either one layer or a Mixed block (branches `Branch_<k>`, each layers applied in turn,
concatenated along the channels), and the loop that builds such a table up to a final end
point; their classifier head and their arg_scope."""
import tensorflow.compat.v1 as tf

from tf1.contrib_framework.arg_scope import arg_scope
from tf1.contrib_layers import (avg_pool2d, batch_norm, conv2d, dropout, fully_connected,
                                l2_regularizer, max_pool2d, variance_scaling_initializer)


def conv(depth, kernel, scope, **options):
    return ('conv', depth, kernel, scope, options)


def avg_pool(kernel, scope, **options):
    return ('avg', None, kernel, scope, options)


def max_pool(kernel, scope, **options):
    return ('max', None, kernel, scope, options)


def parallel(*layers):
    """Layers applied to the same input, their outputs concatenated."""
    return ('parallel', None, None, None, layers)


def mixed(end_point, branches):
    """A Mixed block: its end point and its branches, each a list of layers."""
    return ('mixed', None, None, end_point, branches)


def _apply(net, layer, depth):
    kind, channels, kernel, scope, options = layer
    if kind == 'conv':
        return conv2d(net, depth(channels), kernel, scope=scope, **options)
    if kind == 'parallel':
        return tf.concat([_apply(net, inner, depth) for inner in options], 3)
    if kind == 'mixed':
        with tf.variable_scope(scope):
            outputs = []
            for k, branch in enumerate(options):
                with tf.variable_scope('Branch_%d' % k):
                    output = net
                    for inner in branch:
                        output = _apply(output, inner, depth)
                    outputs.append(output)
            return tf.concat(outputs, 3)
    pool = avg_pool2d if kind == 'avg' else max_pool2d
    return pool(net, kernel, scope=scope, **options)


def build(net, table, end_points, final_endpoint, depth=lambda channels: channels):
    """Each end point of `table` in turn on `net`, recorded in `end_points`: (the output,
    True) once `final_endpoint` is built, else (the last output, False). `depth` maps each
    convolution's channels (Inception v3's depth_multiplier)."""
    for layer in table:
        net = end_points[layer[3]] = _apply(net, layer, depth)
        if layer[3] == final_endpoint:
            return net, True
    return net, False


def classifier(net, num_classes, kernel, pool_scope, dropout_keep_prob, dropout_scope,
               conv_scope, spatial_squeeze, stride=2, end_points=None):
    """The head, in the caller's `Logits` scope: average pooling over `kernel` (VALID),
    dropout (`PreLogits` into end_points, if given), and a 1×1 convolution to the logits,
    squeezed to [batch, num_classes] unless spatial_squeeze is False."""
    net = avg_pool2d(net, kernel, stride=stride, padding='VALID', scope=pool_scope)
    net = dropout(net, keep_prob=dropout_keep_prob, scope=dropout_scope)
    if end_points is not None:
        end_points['PreLogits'] = net
    logits = conv2d(net, num_classes, [1, 1], activation_fn=None, normalizer_fn=None,
                    scope=conv_scope)
    if spatial_squeeze:
        logits = tf.squeeze(logits, [1, 2], name='SpatialSqueeze')
    return logits


def inception_arg_scope(weight_decay, batch_norm_var_collection, use_batch_norm=True,
                        fused=None):
    """The Inceptions' arg_scope: L2 weight decay for the weights; He-initialised
    convolutions with ReLU and, unless use_batch_norm is False, batch norm (decay 0.9997,
    epsilon 0.001, no scale, `fused` as asked; moving statistics also in
    `batch_norm_var_collection`)."""
    batch_norm_params = {
        'decay': 0.9997, 'epsilon': 0.001, 'updates_collections': tf.GraphKeys.UPDATE_OPS,
        'variables_collections': {'beta': None, 'gamma': None,
                                  'moving_mean': [batch_norm_var_collection],
                                  'moving_variance': [batch_norm_var_collection]}}
    if fused is not None:
        batch_norm_params['fused'] = fused
    with arg_scope([conv2d, fully_connected], weights_regularizer=l2_regularizer(weight_decay)):
        with arg_scope([conv2d], weights_initializer=variance_scaling_initializer(),
                       activation_fn=tf.nn.relu,
                       normalizer_fn=batch_norm if use_batch_norm else None,
                       normalizer_params=batch_norm_params if use_batch_norm else {}) as sc:
            return sc


def depth_function(depth_multiplier, min_depth):
    """channels -> channels × depth_multiplier, at least min_depth (Inception v2's and v3's
    thinner or wider nets); depth_multiplier must be positive."""
    if depth_multiplier <= 0:
        raise ValueError('depth_multiplier is not greater than zero.')
    return lambda channels: max(int(channels * depth_multiplier), min_depth)


def reduced_kernel_size(input_tensor, kernel_size):
    """kernel_size, shrunk to the feature map where the image was small (when its size is
    known while building)."""
    shape = input_tensor.get_shape().as_list()
    if shape[1] is None or shape[2] is None:
        return kernel_size
    return [min(shape[1], kernel_size[0]), min(shape[2], kernel_size[1])]
