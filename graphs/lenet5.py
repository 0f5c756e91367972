"""LeNet-5 as the original (Keras) post built it: the 28×28 image padded to 32×32 →
conv 5×5×6 VALID ReLU → average-pool 2 → conv 5×5×16 VALID ReLU → average-pool 2 →
flatten 400 → fc 120 ReLU → fc 84 ReLU → output layer.

Weights use Glorot scaling and biases start at 0, like the Keras layers of the original."""
import tensorflow.compat.v1 as tf

from graphs import layers


def features(images, keep_prob):
    del keep_prob  # the original has no dropout
    with tf.name_scope('pad'):
        x = tf.pad(layers.as_image_batch(images), [[0, 0], [2, 2], [2, 2], [0, 0]])
    c1 = layers.conv_layer(x, 5, 6, 'C1', padding='VALID', stddev='glorot', bias=0.0)
    with tf.name_scope('S2'):
        s2 = layers.avg_pool(c1)                                   # 14×14×6
    c3 = layers.conv_layer(s2, 5, 16, 'C3', padding='VALID', stddev='glorot', bias=0.0)
    with tf.name_scope('S4'):
        s4 = layers.avg_pool(c3)                                   # 5×5×16
    with tf.name_scope('flatten'):
        flat = tf.reshape(s4, [-1, 5 * 5 * 16])
    c5 = layers.nn_layer(flat, 120, 'C5', stddev='glorot', bias=0.0)
    return layers.nn_layer(c5, 84, 'F6', stddev='glorot', bias=0.0)
