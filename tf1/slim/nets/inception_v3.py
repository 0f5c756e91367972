"""slim.nets.inception_v3 as TF 1.15 had it (Szegedy et al. 2015, "Rethinking the Inception
Architecture"), under the variable names of the published `inception_v3.ckpt`
(`InceptionV3/Mixed_5b/Branch_1/Conv2d_0b_5x5/weights` ...), TF 1.15's few irregular
names included (Mixed_5c's `Conv_1_0c_5x5`).

    with slim.arg_scope(inception_v3.inception_v3_arg_scope()):
        logits, end_points = inception_v3.inception_v3(images, 1001, is_training=False)

The network is written as tables of end points (inception_utils.py): the stem's layers,
then the Mixed blocks, each a list of branches."""
import tensorflow.compat.v1 as tf

from tf1.contrib_framework.arg_scope import arg_scope
from tf1.contrib_layers import avg_pool2d, batch_norm, conv2d, dropout, max_pool2d, softmax
from tf1.slim.nets.inception_utils import (avg_pool, build, classifier, conv, depth_function,
                                           inception_arg_scope, max_pool, mixed, parallel,
                                           reduced_kernel_size)


# The stem, before the first Mixed block; each layer is an end point, VALID unless told.
STEM = [conv(32, [3, 3], 'Conv2d_1a_3x3', stride=2), conv(32, [3, 3], 'Conv2d_2a_3x3'),
        conv(64, [3, 3], 'Conv2d_2b_3x3', padding='SAME'),
        max_pool([3, 3], 'MaxPool_3a_3x3', stride=2), conv(80, [1, 1], 'Conv2d_3b_1x1'),
        conv(192, [3, 3], 'Conv2d_4a_3x3'), max_pool([3, 3], 'MaxPool_5a_3x3', stride=2)]


def _mixed_5(pool_depth, branch_1_names=('Conv2d_0a_1x1', 'Conv2d_0b_5x5')):
    """35 × 35: 1×1; 1×1 then 5×5; 1×1 then two 3×3; average pool then 1×1."""
    return [[conv(64, [1, 1], 'Conv2d_0a_1x1')],
            [conv(48, [1, 1], branch_1_names[0]), conv(64, [5, 5], branch_1_names[1])],
            [conv(64, [1, 1], 'Conv2d_0a_1x1'), conv(96, [3, 3], 'Conv2d_0b_3x3'),
             conv(96, [3, 3], 'Conv2d_0c_3x3')],
            [avg_pool([3, 3], 'AvgPool_0a_3x3'), conv(pool_depth, [1, 1], 'Conv2d_0b_1x1')]]


def _mixed_6(width):
    """17 × 17, the n × n convolutions factored into 1×7 and 7×1 of `width` channels."""
    return [[conv(192, [1, 1], 'Conv2d_0a_1x1')],
            [conv(width, [1, 1], 'Conv2d_0a_1x1'), conv(width, [1, 7], 'Conv2d_0b_1x7'),
             conv(192, [7, 1], 'Conv2d_0c_7x1')],
            [conv(width, [1, 1], 'Conv2d_0a_1x1'), conv(width, [7, 1], 'Conv2d_0b_7x1'),
             conv(width, [1, 7], 'Conv2d_0c_1x7'), conv(width, [7, 1], 'Conv2d_0d_7x1'),
             conv(192, [1, 7], 'Conv2d_0e_1x7')],
            [avg_pool([3, 3], 'AvgPool_0a_3x3'), conv(192, [1, 1], 'Conv2d_0b_1x1')]]


def _mixed_7(branch_1_3x1):
    """8 × 8, with the 3×3 convolutions expanded into parallel 1×3 and 3×1."""
    return [[conv(320, [1, 1], 'Conv2d_0a_1x1')],
            [conv(384, [1, 1], 'Conv2d_0a_1x1'),
             parallel(conv(384, [1, 3], 'Conv2d_0b_1x3'), conv(384, [3, 1], branch_1_3x1))],
            [conv(448, [1, 1], 'Conv2d_0a_1x1'), conv(384, [3, 3], 'Conv2d_0b_3x3'),
             parallel(conv(384, [1, 3], 'Conv2d_0c_1x3'), conv(384, [3, 1], 'Conv2d_0d_3x1'))],
            [avg_pool([3, 3], 'AvgPool_0a_3x3'), conv(192, [1, 1], 'Conv2d_0b_1x1')]]


MIXED = [
    mixed('Mixed_5b', _mixed_5(32)),
    mixed('Mixed_5c', _mixed_5(64, ('Conv2d_0b_1x1', 'Conv_1_0c_5x5'))),
    mixed('Mixed_5d', _mixed_5(64)),
    mixed('Mixed_6a', [[conv(384, [3, 3], 'Conv2d_1a_1x1', stride=2, padding='VALID')],
                       [conv(64, [1, 1], 'Conv2d_0a_1x1'), conv(96, [3, 3], 'Conv2d_0b_3x3'),
                        conv(96, [3, 3], 'Conv2d_1a_1x1', stride=2, padding='VALID')],
                       [max_pool([3, 3], 'MaxPool_1a_3x3', stride=2, padding='VALID')]]),
    mixed('Mixed_6b', _mixed_6(128)),
    mixed('Mixed_6c', _mixed_6(160)),
    mixed('Mixed_6d', _mixed_6(160)),
    mixed('Mixed_6e', _mixed_6(192)),
    mixed('Mixed_7a', [[conv(192, [1, 1], 'Conv2d_0a_1x1'),
                        conv(320, [3, 3], 'Conv2d_1a_3x3', stride=2, padding='VALID')],
                       [conv(192, [1, 1], 'Conv2d_0a_1x1'), conv(192, [1, 7], 'Conv2d_0b_1x7'),
                        conv(192, [7, 1], 'Conv2d_0c_7x1'),
                        conv(192, [3, 3], 'Conv2d_1a_3x3', stride=2, padding='VALID')],
                       [max_pool([3, 3], 'MaxPool_1a_3x3', stride=2, padding='VALID')]]),
    mixed('Mixed_7b', _mixed_7('Conv2d_0b_3x1')),
    mixed('Mixed_7c', _mixed_7('Conv2d_0c_3x1')),
]


def inception_v3_base(inputs, final_endpoint='Mixed_7c', min_depth=16, depth_multiplier=1.0,
                      scope=None):
    """The network from `inputs` to `final_endpoint` (one of the STEM's and MIXED's end
    points): (its output, {end point: output} of every block so far). Every layer's
    channels are scaled by depth_multiplier, to at least min_depth."""
    depth = depth_function(depth_multiplier, min_depth)
    end_points = {}
    with tf.variable_scope(scope, 'InceptionV3', [inputs]):
        with arg_scope([conv2d, max_pool2d, avg_pool2d], stride=1, padding='VALID'):
            net, done = build(inputs, STEM, end_points, final_endpoint, depth)
        if not done:
            with arg_scope([conv2d, max_pool2d, avg_pool2d], stride=1, padding='SAME'):
                net, done = build(net, MIXED, end_points, final_endpoint, depth)
        if done:
            return net, end_points
    raise ValueError('Unknown final endpoint %s' % final_endpoint)


def inception_v3(inputs, num_classes=1000, is_training=True, dropout_keep_prob=0.8,
                 min_depth=16, depth_multiplier=1.0, prediction_fn=softmax,
                 spatial_squeeze=True, reuse=None, scope='InceptionV3'):
    """Inception v3 for 299 × 299 images: the base, the auxiliary classifier on Mixed_6e
    (`AuxLogits`), then average pooling, dropout and a 1×1 convolution to the logits
    (`Logits/Conv2d_1c_1x1`). Returns (logits, end_points) with `AuxLogits`, `PreLogits`,
    `Logits` and `Predictions` among the end points."""
    depth = depth_function(depth_multiplier, min_depth)
    with tf.variable_scope(scope, 'InceptionV3', [inputs], reuse=reuse) as sc:
        with arg_scope([batch_norm, dropout], is_training=is_training):
            net, end_points = inception_v3_base(inputs, scope=sc, min_depth=min_depth,
                                                depth_multiplier=depth_multiplier)
            with arg_scope([conv2d, max_pool2d, avg_pool2d], stride=1, padding='SAME'):
                with tf.variable_scope('AuxLogits'):
                    aux = avg_pool2d(end_points['Mixed_6e'], [5, 5], stride=3,
                                     padding='VALID', scope='AvgPool_1a_5x5')
                    aux = conv2d(aux, depth(128), [1, 1], scope='Conv2d_1b_1x1')
                    kernel = reduced_kernel_size(aux, [5, 5])
                    aux = conv2d(aux, depth(768), kernel, padding='VALID',
                                 weights_initializer=tf.truncated_normal_initializer(0.0, 0.01),
                                 scope='Conv2d_2a_{}x{}'.format(*kernel))
                    aux = conv2d(aux, num_classes, [1, 1], activation_fn=None,
                                 normalizer_fn=None,
                                 weights_initializer=tf.truncated_normal_initializer(0.0, 0.001),
                                 scope='Conv2d_2b_1x1')
                    if spatial_squeeze:
                        aux = tf.squeeze(aux, [1, 2], name='SpatialSqueeze')
                    end_points['AuxLogits'] = aux
            with tf.variable_scope('Logits'):
                kernel = reduced_kernel_size(net, [8, 8])
                logits = classifier(net, num_classes, kernel,
                                    'AvgPool_1a_{}x{}'.format(*kernel), dropout_keep_prob,
                                    'Dropout_1b', 'Conv2d_1c_1x1', spatial_squeeze,
                                    end_points=end_points)
            end_points['Logits'] = logits
            end_points['Predictions'] = prediction_fn(logits, scope='Predictions')
    return logits, end_points


inception_v3.default_image_size = 299


def inception_v3_arg_scope(weight_decay=0.00004, batch_norm_var_collection='moving_vars',
                           use_fused_batchnorm=True):
    """inception_utils.inception_arg_scope, batch norm fused unless use_fused_batchnorm is
    False."""
    return inception_arg_scope(weight_decay, batch_norm_var_collection,
                               fused=use_fused_batchnorm)
