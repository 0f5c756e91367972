"""The "Deep MNIST for Experts" convolutional network (mnist_deep.py):
28×28×1 → conv 5×5×32 → max-pool 2 → conv 5×5×64 → max-pool 2 → fc 1024 → dropout →
output layer. Weights truncated_normal(0.1), biases 0.1, as in the tutorial; the tutorial's
fc2 is the contract's layerOutput."""
import tensorflow.compat.v1 as tf

from graphs import layers


def features(images, keep_prob):
    with tf.name_scope('reshape'):
        x_image = layers.as_image_batch(images)
    h_conv1 = layers.conv_layer(x_image, 5, 32, 'conv1')
    with tf.name_scope('pool1'):
        h_pool1 = layers.max_pool(h_conv1)             # 14×14×32
    h_conv2 = layers.conv_layer(h_pool1, 5, 64, 'conv2')
    with tf.name_scope('pool2'):
        h_pool2 = layers.max_pool(h_conv2)             # 7×7×64
    with tf.name_scope('flatten'):
        h_pool2_flat = tf.reshape(h_pool2, [-1, 7 * 7 * 64])
    h_fc1 = layers.nn_layer(h_pool2_flat, 1024, 'fc1')
    return layers.dropout(h_fc1, keep_prob)
