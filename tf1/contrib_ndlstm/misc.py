"""contrib.ndlstm's helpers for images (num_images, height, width, depth), ported from TF
1.x."""
import tensorflow.compat.v1 as tf

from tf1.contrib_layers.layers import one_hot_encoding
from tf1.contrib_ndlstm.lstm1d import _shape

__all__ = ['pixels_as_vector', 'pool_as_vector', 'one_hot_planes', 'one_hot_mask']


def pixels_as_vector(images, scope=None):
    """Each image as one vector of all its pixels."""
    with tf.name_scope(scope, 'PixelsAsVector', [images]):
        batch_size, height, width, depth = _shape(images)
        return tf.reshape(images, [batch_size, height * width * depth])


def pool_as_vector(images, scope=None):
    """Each image as the mean of its pixels."""
    with tf.name_scope(scope, 'PoolAsVector', [images]):
        return tf.reduce_mean(images, [1, 2])


def one_hot_planes(labels, num_classes, scope=None):
    """(batch_size,) labels as (batch_size, 1, 1, num_classes) one-hot planes."""
    with tf.name_scope(scope, 'OneHotPlanes', [labels]):
        batch_size, = _shape(labels)
        batched = one_hot_encoding(labels, num_classes)
        return tf.reshape(batched, [batch_size, 1, 1, num_classes])


def one_hot_mask(labels, num_classes, scope=None):
    """A (height, width, 1) label image (TF 1.x's code took that, whatever its docstring
    said) as its (height, width, num_classes) one-hot encoding."""
    with tf.name_scope(scope, 'OneHotMask', [labels]):
        shape = _shape(labels)
        if len(shape) != 3 or shape[2] != 1:
            raise ValueError('one_hot_mask takes a (height, width, 1) label image, not one '
                             'of shape %s' % (shape,))
        height, width, _ = shape
        sparse_labels = tf.cast(tf.reshape(labels, [-1, 1]), tf.int32)
        sparse_size, _ = _shape(sparse_labels)
        indices = tf.reshape(tf.range(0, sparse_size, 1), [-1, 1])
        concated = tf.concat([indices, sparse_labels], 1)
        dense_result = tf.sparse_to_dense(concated, [sparse_size, num_classes], 1.0, 0.0)
        return tf.reshape(dense_result, [height, width, num_classes])
