"""slim.nets.inception_v1 as TF 1.15 had it: GoogLeNet (Szegedy et al. 2014, "Going deeper
with convolutions") with batch norm, under the variable names of the published
`inception_v1.ckpt` (`InceptionV1/Mixed_3b/Branch_1/Conv2d_0b_3x3/weights` ...), TF 1.15's
irregular names included (Mixed_5b's `Conv2d_0a_3x3`, the average pool `MaxPool_0a_7x7`).

    with slim.arg_scope(inception_v1.inception_v1_arg_scope()):
        logits, end_points = inception_v1.inception_v1(images, 1001, is_training=False)

Written as a table of end points (inception_utils.py)."""
import tensorflow.compat.v1 as tf

from tf1.contrib_framework.arg_scope import arg_scope
from tf1.contrib_layers import batch_norm, conv2d, dropout, fully_connected, max_pool2d, softmax
from tf1.slim.nets.inception_utils import (build, classifier, conv, inception_arg_scope,
                                           max_pool, mixed)


def _mixed(end_point, depths, branch_2_scope='Conv2d_0b_3x3'):
    """1×1; 1×1 then 3×3; 1×1 then 3×3 (the paper's 5×5); 3×3 max pool then 1×1. `depths`:
    (branch 0, branch 1's two, branch 2's two, branch 3)."""
    d0, d1a, d1b, d2a, d2b, d3 = depths
    return mixed(end_point, [
        [conv(d0, [1, 1], 'Conv2d_0a_1x1')],
        [conv(d1a, [1, 1], 'Conv2d_0a_1x1'), conv(d1b, [3, 3], 'Conv2d_0b_3x3')],
        [conv(d2a, [1, 1], 'Conv2d_0a_1x1'), conv(d2b, [3, 3], branch_2_scope)],
        [max_pool([3, 3], 'MaxPool_0a_3x3'), conv(d3, [1, 1], 'Conv2d_0b_1x1')]])


# Every end point in turn; SAME padding and stride 1 unless told.
END_POINTS = [
    conv(64, [7, 7], 'Conv2d_1a_7x7', stride=2), max_pool([3, 3], 'MaxPool_2a_3x3', stride=2),
    conv(64, [1, 1], 'Conv2d_2b_1x1'), conv(192, [3, 3], 'Conv2d_2c_3x3'),
    max_pool([3, 3], 'MaxPool_3a_3x3', stride=2),
    _mixed('Mixed_3b', (64, 96, 128, 16, 32, 32)),
    _mixed('Mixed_3c', (128, 128, 192, 32, 96, 64)),
    max_pool([3, 3], 'MaxPool_4a_3x3', stride=2),
    _mixed('Mixed_4b', (192, 96, 208, 16, 48, 64)),
    _mixed('Mixed_4c', (160, 112, 224, 24, 64, 64)),
    _mixed('Mixed_4d', (128, 128, 256, 24, 64, 64)),
    _mixed('Mixed_4e', (112, 144, 288, 32, 64, 64)),
    _mixed('Mixed_4f', (256, 160, 320, 32, 128, 128)),
    max_pool([2, 2], 'MaxPool_5a_2x2', stride=2),
    _mixed('Mixed_5b', (256, 160, 320, 32, 128, 128), branch_2_scope='Conv2d_0a_3x3'),
    _mixed('Mixed_5c', (384, 192, 384, 48, 128, 128)),
]


def inception_v1_base(inputs, final_endpoint='Mixed_5c', scope='InceptionV1'):
    """The network from `inputs` to `final_endpoint` (one of END_POINTS'): (its output,
    {end point: output} of every one so far). Weights drawn from N(0, 0.01) truncated."""
    end_points = {}
    with tf.variable_scope(scope, 'InceptionV1', [inputs]):
        with arg_scope([conv2d, fully_connected],
                       weights_initializer=tf.truncated_normal_initializer(0.0, 0.01)):
            with arg_scope([conv2d, max_pool2d], stride=1, padding='SAME'):
                net, done = build(inputs, END_POINTS, end_points, final_endpoint)
        if done:
            return net, end_points
    raise ValueError('Unknown final endpoint %s' % final_endpoint)


def inception_v1(inputs, num_classes=1000, is_training=True, dropout_keep_prob=0.8,
                 prediction_fn=softmax, spatial_squeeze=True, reuse=None,
                 scope='InceptionV1'):
    """Inception v1 for 224 × 224 images: the base, then 7×7 average pooling, dropout and a
    1×1 convolution to the logits (`Logits/Conv2d_0c_1x1`). Returns (logits, end_points)
    with `Logits` and `Predictions` among the end points."""
    with tf.variable_scope(scope, 'InceptionV1', [inputs], reuse=reuse) as sc:
        with arg_scope([batch_norm, dropout], is_training=is_training):
            net, end_points = inception_v1_base(inputs, scope=sc)
            with tf.variable_scope('Logits'):
                logits = classifier(net, num_classes, [7, 7], 'MaxPool_0a_7x7',
                                    dropout_keep_prob, 'Dropout_0b', 'Conv2d_0c_1x1',
                                    spatial_squeeze, stride=1)
                end_points['Logits'] = logits
                end_points['Predictions'] = prediction_fn(logits, scope='Predictions')
    return logits, end_points


inception_v1.default_image_size = 224


def inception_v1_arg_scope(weight_decay=0.00004, use_batch_norm=True,
                           batch_norm_var_collection='moving_vars'):
    """inception_utils.inception_arg_scope (the base draws its own starting weights)."""
    return inception_arg_scope(weight_decay, batch_norm_var_collection, use_batch_norm)
