"""slim.nets.alexnet as TF 1.15 had it: AlexNet v2 (Krizhevsky 2014, "one weird trick"),
without its local response normalisation, the fully connected layers as convolutions
(`alexnet_v2/conv1/weights` ... `alexnet_v2/fc8/biases`). Images of 224×224."""
import tensorflow.compat.v1 as tf

from tf1.contrib_framework.arg_scope import arg_scope
from tf1.contrib_layers import conv2d, fully_connected, l2_regularizer, max_pool2d
from tf1.slim.nets.heads import convolutional_classifier


def alexnet_v2_arg_scope(weight_decay=0.0005):
    """ReLU, L2 weight decay and biases of 0.1; SAME convolutions, VALID pooling."""
    with arg_scope([conv2d, fully_connected], activation_fn=tf.nn.relu,
                   biases_initializer=tf.constant_initializer(0.1),
                   weights_regularizer=l2_regularizer(weight_decay)):
        with arg_scope([conv2d], padding='SAME'):
            with arg_scope([max_pool2d], padding='VALID') as arg_sc:
                return arg_sc


def alexnet_v2(inputs, num_classes=1000, is_training=True, dropout_keep_prob=0.5,
               spatial_squeeze=True, scope='alexnet_v2'):
    """Five convolutions (11×11 stride 4, 5×5, three 3×3) with three 3×3 stride-2 poolings,
    then fc6 (4096 5×5), fc7 and fc8 drawn from N(0, 0.005) truncated."""
    with tf.variable_scope(scope, 'alexnet_v2', [inputs]) as sc:
        end_points_collection = sc.original_name_scope + '_end_points'
        with arg_scope([conv2d, fully_connected, max_pool2d],
                       outputs_collections=[end_points_collection]):
            net = conv2d(inputs, 64, [11, 11], 4, padding='VALID', scope='conv1')
            net = max_pool2d(net, [3, 3], 2, scope='pool1')
            net = conv2d(net, 192, [5, 5], scope='conv2')
            net = max_pool2d(net, [3, 3], 2, scope='pool2')
            net = conv2d(net, 384, [3, 3], scope='conv3')
            net = conv2d(net, 384, [3, 3], scope='conv4')
            net = conv2d(net, 256, [3, 3], scope='conv5')
            net = max_pool2d(net, [3, 3], 2, scope='pool5')
            return convolutional_classifier(net, sc, num_classes, 4096, [5, 5], is_training,
                                            dropout_keep_prob, spatial_squeeze,
                                            end_points_collection, fc_stddev=0.005)


alexnet_v2.default_image_size = 224
