"""What slim's classic networks (alexnet_v2, overfeat, VGG) share: their fully connected
layers written as convolutions, so that a larger image gives a map of class scores; and
the way their end points are gathered."""
import tensorflow.compat.v1 as tf

from tf1.contrib_layers import conv2d, dropout, utils


def convolutional_classifier(net, sc, num_classes, fc6_depth, fc6_kernel, is_training,
                             dropout_keep_prob, spatial_squeeze, end_points_collection,
                             fc_stddev=None):
    """fc6 (`fc6_depth` filters of `fc6_kernel`, VALID), dropout6, fc7 (4096 1×1), dropout7
    and fc8 (`num_classes` 1×1, no activation): the logits, squeezed to [batch,
    num_classes] when spatial_squeeze (`fc8/squeezed`), and the end points of the net's
    scope `sc`, in the order they were made. With fc_stddev (AlexNet's, OverFeat's) the
    weights are drawn from a normal of that deviation, truncated, fc6's and fc7's biases
    start at 0.1 and fc8's at 0; else the arg_scope decides."""
    initializers, fc8_initializers = {}, {}
    if fc_stddev is not None:
        initializers = {'weights_initializer': tf.truncated_normal_initializer(0.0, fc_stddev),
                        'biases_initializer': tf.constant_initializer(0.1)}
        fc8_initializers = dict(initializers, biases_initializer=tf.zeros_initializer())
    net = conv2d(net, fc6_depth, fc6_kernel, padding='VALID', scope='fc6', **initializers)
    net = dropout(net, dropout_keep_prob, is_training=is_training, scope='dropout6')
    net = conv2d(net, 4096, [1, 1], scope='fc7', **initializers)
    net = dropout(net, dropout_keep_prob, is_training=is_training, scope='dropout7')
    net = conv2d(net, num_classes, [1, 1], activation_fn=None, normalizer_fn=None,
                 scope='fc8', **fc8_initializers)
    end_points = utils.convert_collection_to_dict(end_points_collection)
    if spatial_squeeze:
        net = tf.squeeze(net, [1, 2], name='fc8/squeezed')
        end_points[sc.name + '/fc8'] = net
    return net, end_points
