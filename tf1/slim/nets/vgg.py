"""slim.nets.vgg as TF 1.15 had it (Simonyan & Zisserman 2014): VGG 11 (`vgg_a`), 16 and 19
with their fully connected layers as convolutions, under the variable names of the
published slim checkpoints (`vgg_16/conv1/conv1_1/weights` ... `vgg_16/fc8/biases`).

    with slim.arg_scope(vgg.vgg_arg_scope()):
        logits, end_points = vgg.vgg_16(images)   # images [batch, 224, 224, 3]
"""
import tensorflow.compat.v1 as tf

from tf1.contrib_framework.arg_scope import arg_scope
from tf1.contrib_layers import conv2d, fully_connected, l2_regularizer, max_pool2d, repeat
from tf1.slim.nets.heads import convolutional_classifier


def vgg_arg_scope(weight_decay=0.0005):
    """ReLU, L2 weight decay and zero biases for the convolutions and fully connected
    layers; SAME padding for the convolutions."""
    with arg_scope([conv2d, fully_connected], activation_fn=tf.nn.relu,
                   weights_regularizer=l2_regularizer(weight_decay),
                   biases_initializer=tf.zeros_initializer()):
        with arg_scope([conv2d], padding='SAME') as arg_sc:
            return arg_sc


def _vgg(inputs, convolutions, num_classes, is_training, dropout_keep_prob, spatial_squeeze,
         scope, default_scope):
    """Five stages of 3×3 convolutions (`convolutions[k]` of them in stage k + 1: 64, 128,
    256, 512, 512 filters), each followed by 2×2 max pooling, then the classifier."""
    with tf.variable_scope(scope, default_scope, [inputs]) as sc:
        end_points_collection = sc.original_name_scope + '_end_points'
        with arg_scope([conv2d, fully_connected, max_pool2d],
                       outputs_collections=end_points_collection):
            net = inputs
            for stage, (count, depth) in enumerate(zip(convolutions,
                                                       (64, 128, 256, 512, 512)), 1):
                net = repeat(net, count, conv2d, depth, [3, 3], scope='conv%d' % stage)
                net = max_pool2d(net, [2, 2], scope='pool%d' % stage)
            return convolutional_classifier(net, sc, num_classes, 4096, [7, 7], is_training,
                                            dropout_keep_prob, spatial_squeeze,
                                            end_points_collection)


def vgg_a(inputs, num_classes=1000, is_training=True, dropout_keep_prob=0.5,
          spatial_squeeze=True, scope='vgg_a'):
    """VGG configuration A, 11 layers."""
    return _vgg(inputs, (1, 1, 2, 2, 2), num_classes, is_training, dropout_keep_prob,
                spatial_squeeze, scope, 'vgg_a')


def vgg_16(inputs, num_classes=1000, is_training=True, dropout_keep_prob=0.5,
           spatial_squeeze=True, scope='vgg_16'):
    """VGG configuration D, 16 layers."""
    return _vgg(inputs, (2, 2, 3, 3, 3), num_classes, is_training, dropout_keep_prob,
                spatial_squeeze, scope, 'vgg_16')


def vgg_19(inputs, num_classes=1000, is_training=True, dropout_keep_prob=0.5,
           spatial_squeeze=True, scope='vgg_19'):
    """VGG configuration E, 19 layers."""
    return _vgg(inputs, (2, 2, 4, 4, 4), num_classes, is_training, dropout_keep_prob,
                spatial_squeeze, scope, 'vgg_19')


vgg_a.default_image_size = vgg_16.default_image_size = vgg_19.default_image_size = 224
vgg_d = vgg_16
vgg_e = vgg_19
