"""The CRNN of the original (Keras) post: four 3×3 ReLU convolutions (32, 64, 128, 256)
with max-pooling 2, 2 and (2, 1) between them turn the image into a 3×7×256 map, read
as a sequence of 21 steps of 256 features by two stacked LSTMs of 128 units (the first
returns every output, the second only its last), then the output layer.

Pooling is VALID as Keras' default, which is what makes the map 3×7 (7 // 2 = 3).
Weights use Glorot scaling and biases start at 0, like the Keras layers of the original."""
import tensorflow.compat.v1 as tf

from graphs import layers, lstm_cell

DEFAULT_UNITS = 128


def _conv(x, channels, name):
    return layers.conv_layer(x, 3, channels, name, stddev='glorot', bias=0.0)


def features(images, keep_prob, num_units=DEFAULT_UNITS):
    del keep_prob  # the original has no dropout
    x = layers.as_image_batch(images)
    x = layers.max_pool(_conv(x, 32, 'conv1'), padding='VALID', name='pool1')          # 14×14
    x = layers.max_pool(_conv(x, 64, 'conv2'), padding='VALID', name='pool2')          # 7×7
    x = layers.max_pool(_conv(x, 128, 'conv3'), (2, 1), padding='VALID', name='pool3')  # 3×7
    x = _conv(x, 256, 'conv4')
    with tf.name_scope('to_sequence'):
        sequence = tf.reshape(x, [-1, 3 * 7, 256])  # row-major: 21 steps of 256 features
    with tf.variable_scope('lstm1'):
        outputs, _ = lstm_cell.lstm(sequence, num_units, return_sequences=True,
                                    chains=layers.lstm_chains())
    with tf.variable_scope('lstm2'):
        last_output, _ = lstm_cell.lstm(outputs, num_units, chains=layers.lstm_chains())
    return last_output
