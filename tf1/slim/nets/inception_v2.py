"""slim.nets.inception_v2 as TF 1.15 had it: the batch-normalised Inception (Ioffe & Szegedy
2015), a depthwise-separable first layer, under the variable names of the published
`inception_v2.ckpt` (`InceptionV2/Conv2d_1a_7x7/depthwise_weights`,
`InceptionV2/Mixed_3b/Branch_1/Conv2d_0a_1x1/weights` ...).

    with slim.arg_scope(inception_v2.inception_v2_arg_scope()):
        logits, end_points = inception_v2.inception_v2(images, 1001, is_training=False)

Written as a table of end points (inception_utils.py); SAME padding throughout."""
import tensorflow.compat.v1 as tf

from tf1.contrib_framework.arg_scope import arg_scope
from tf1.contrib_layers import (avg_pool2d, batch_norm, conv2d, dropout, max_pool2d,
                                separable_conv2d, softmax)
from tf1.slim.nets.inception_utils import (avg_pool, build, classifier, conv, depth_function,
                                           inception_arg_scope, max_pool, mixed,
                                           reduced_kernel_size)

# TF 1.15's starting weights for the 1×1 reductions and the pool projections.
_REDUCTION = tf.truncated_normal_initializer(0.0, 0.09)
_PROJECTION = tf.truncated_normal_initializer(0.0, 0.1)


def _mixed(end_point, d0, d1, d2, d3, pool=avg_pool):
    """1×1; 1×1 then 3×3; 1×1 then two 3×3; a 3×3 pool then 1×1. d1, d2: (reduction,
    output) depths."""
    return mixed(end_point, [
        [conv(d0, [1, 1], 'Conv2d_0a_1x1')],
        [conv(d1[0], [1, 1], 'Conv2d_0a_1x1', weights_initializer=_REDUCTION),
         conv(d1[1], [3, 3], 'Conv2d_0b_3x3')],
        [conv(d2[0], [1, 1], 'Conv2d_0a_1x1', weights_initializer=_REDUCTION),
         conv(d2[1], [3, 3], 'Conv2d_0b_3x3'), conv(d2[1], [3, 3], 'Conv2d_0c_3x3')],
        [pool([3, 3], ('AvgPool' if pool is avg_pool else 'MaxPool') + '_0a_3x3'),
         conv(d3, [1, 1], 'Conv2d_0b_1x1', weights_initializer=_PROJECTION)]])


def _reduction(end_point, d0, d1):
    """Halves the side: 1×1 then a stride-2 3×3; 1×1, 3×3, then a stride-2 3×3; a
    stride-2 max pool."""
    return mixed(end_point, [
        [conv(d0[0], [1, 1], 'Conv2d_0a_1x1', weights_initializer=_REDUCTION),
         conv(d0[1], [3, 3], 'Conv2d_1a_3x3', stride=2)],
        [conv(d1[0], [1, 1], 'Conv2d_0a_1x1', weights_initializer=_REDUCTION),
         conv(d1[1], [3, 3], 'Conv2d_0b_3x3'), conv(d1[1], [3, 3], 'Conv2d_1a_3x3', stride=2)],
        [max_pool([3, 3], 'MaxPool_1a_3x3', stride=2)]])


# The end points after the first, separable, layer.
END_POINTS = [
    max_pool([3, 3], 'MaxPool_2a_3x3', stride=2),
    conv(64, [1, 1], 'Conv2d_2b_1x1', weights_initializer=_PROJECTION),
    conv(192, [3, 3], 'Conv2d_2c_3x3'), max_pool([3, 3], 'MaxPool_3a_3x3', stride=2),
    _mixed('Mixed_3b', 64, (64, 64), (64, 96), 32),
    _mixed('Mixed_3c', 64, (64, 96), (64, 96), 64),
    _reduction('Mixed_4a', (128, 160), (64, 96)),
    _mixed('Mixed_4b', 224, (64, 96), (96, 128), 128),
    _mixed('Mixed_4c', 192, (96, 128), (96, 128), 128),
    _mixed('Mixed_4d', 160, (128, 160), (128, 160), 96),
    _mixed('Mixed_4e', 96, (128, 192), (160, 192), 96),
    _reduction('Mixed_5a', (128, 192), (192, 256)),
    _mixed('Mixed_5b', 352, (192, 320), (160, 224), 128),
    _mixed('Mixed_5c', 352, (192, 320), (192, 224), 128, pool=max_pool),
]


def inception_v2_base(inputs, final_endpoint='Mixed_5c', min_depth=16, depth_multiplier=1.0,
                      scope=None):
    """The network from `inputs` to `final_endpoint` (Conv2d_1a_7x7 or one of END_POINTS'):
    (its output, {end point: output} of every one so far). Every layer's channels are
    scaled by depth_multiplier, to at least min_depth."""
    depth = depth_function(depth_multiplier, min_depth)
    end_points = {}
    with tf.variable_scope(scope, 'InceptionV2', [inputs]):
        with arg_scope([conv2d, max_pool2d, avg_pool2d, separable_conv2d], stride=1,
                       padding='SAME'):
            # A depthwise convolution (its own multiplier, at most 8, keeps it from having
            # more channels than the 1×1 after it) and a pointwise one to depth(64).
            net = end_points['Conv2d_1a_7x7'] = separable_conv2d(
                inputs, depth(64), [7, 7], depth_multiplier=min(int(depth(64) / 3), 8),
                stride=2, weights_initializer=tf.truncated_normal_initializer(0.0, 1.0),
                scope='Conv2d_1a_7x7')
            if final_endpoint == 'Conv2d_1a_7x7':
                return net, end_points
            net, done = build(net, END_POINTS, end_points, final_endpoint, depth)
        if done:
            return net, end_points
    raise ValueError('Unknown final endpoint %s' % final_endpoint)


def inception_v2(inputs, num_classes=1000, is_training=True, dropout_keep_prob=0.8,
                 min_depth=16, depth_multiplier=1.0, prediction_fn=softmax,
                 spatial_squeeze=True, reuse=None, scope='InceptionV2'):
    """Inception v2 for 224 × 224 images: the base, then average pooling, dropout and a
    1×1 convolution to the logits (`Logits/Conv2d_1c_1x1`). Returns (logits, end_points)
    with `Logits` and `Predictions` among the end points."""
    if depth_multiplier <= 0:
        raise ValueError('depth_multiplier is not greater than zero.')
    with tf.variable_scope(scope, 'InceptionV2', [inputs], reuse=reuse) as sc:
        with arg_scope([batch_norm, dropout], is_training=is_training):
            net, end_points = inception_v2_base(inputs, scope=sc, min_depth=min_depth,
                                                depth_multiplier=depth_multiplier)
            with tf.variable_scope('Logits'):
                kernel = reduced_kernel_size(net, [7, 7])
                logits = classifier(net, num_classes, kernel,
                                    'AvgPool_1a_{}x{}'.format(*kernel), dropout_keep_prob,
                                    'Dropout_1b', 'Conv2d_1c_1x1', spatial_squeeze)
            end_points['Logits'] = logits
            end_points['Predictions'] = prediction_fn(logits, scope='Predictions')
    return logits, end_points


inception_v2.default_image_size = 224


def inception_v2_arg_scope(weight_decay=0.00004, batch_norm_var_collection='moving_vars'):
    """inception_utils.inception_arg_scope."""
    return inception_arg_scope(weight_decay, batch_norm_var_collection)
