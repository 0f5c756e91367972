"""slim.nets.overfeat as TF 1.15 had it: OverFeat's fast model (Sermanet et al. 2014), the
fully connected layers as convolutions (`overfeat/conv1/weights` ... `overfeat/fc8/biases`).
Images of 231×231."""
import tensorflow.compat.v1 as tf

from tf1.contrib_framework.arg_scope import arg_scope
from tf1.contrib_layers import conv2d, fully_connected, l2_regularizer, max_pool2d
from tf1.slim.nets.heads import convolutional_classifier


def overfeat_arg_scope(weight_decay=0.0005):
    """ReLU, L2 weight decay and zero biases; SAME convolutions, VALID pooling."""
    with arg_scope([conv2d, fully_connected], activation_fn=tf.nn.relu,
                   weights_regularizer=l2_regularizer(weight_decay),
                   biases_initializer=tf.zeros_initializer()):
        with arg_scope([conv2d], padding='SAME'):
            with arg_scope([max_pool2d], padding='VALID') as arg_sc:
                return arg_sc


def overfeat(inputs, num_classes=1000, is_training=True, dropout_keep_prob=0.5,
             spatial_squeeze=True, scope='overfeat'):
    """Five convolutions (11×11 stride 4 and 5×5 VALID, three 3×3) with three 2×2
    poolings, then fc6 (3072 6×6), fc7 and fc8 drawn from N(0, 0.005) truncated."""
    with tf.variable_scope(scope, 'overfeat', [inputs]) as sc:
        end_points_collection = sc.original_name_scope + '_end_points'
        with arg_scope([conv2d, fully_connected, max_pool2d],
                       outputs_collections=end_points_collection):
            net = conv2d(inputs, 64, [11, 11], 4, padding='VALID', scope='conv1')
            net = max_pool2d(net, [2, 2], scope='pool1')
            net = conv2d(net, 256, [5, 5], padding='VALID', scope='conv2')
            net = max_pool2d(net, [2, 2], scope='pool2')
            net = conv2d(net, 512, [3, 3], scope='conv3')
            net = conv2d(net, 1024, [3, 3], scope='conv4')
            net = conv2d(net, 1024, [3, 3], scope='conv5')
            net = max_pool2d(net, [2, 2], scope='pool5')
            return convolutional_classifier(net, sc, num_classes, 3072, [6, 6], is_training,
                                            dropout_keep_prob, spatial_squeeze,
                                            end_points_collection, fc_stddev=0.005)


overfeat.default_image_size = 231
