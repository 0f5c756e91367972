"""The CNN-LSTM of the original free-hand drawing app: two conv/pool blocks extract a
7×7×64 feature map, which is read as 64 time steps (one per channel) of 49 features by
an LSTM of 128 units; its last output feeds the output layer.

Scope names are the original's: input, conv_pool_1, conv_pool_2, lstm. The original ran
`dynamic_rnn` over a BasicLSTMCell; `lstm_cell.lstm` computes the same function from the
same variables (`lstm/rnn/basic_lstm_cell/...`)."""
import tensorflow.compat.v1 as tf

from graphs import layers, lstm_cell

DEFAULT_UNITS = 128


def features(images, keep_prob, num_units=DEFAULT_UNITS):
    del keep_prob  # the original has no dropout
    with tf.variable_scope('input'):
        x = layers.as_image_batch(images)
    with tf.variable_scope('conv_pool_1'):
        h_pool1 = layers.max_pool(layers.conv_layer(x, 5, 32, 'conv'))          # 14×14×32
    with tf.variable_scope('conv_pool_2'):
        h_pool2 = layers.max_pool(layers.conv_layer(h_pool1, 5, 64, 'conv'))    # 7×7×64
    with tf.name_scope('to_sequence'):
        # [batch, 49 positions, 64 channels] → [batch, 64 steps, 49 features]
        sequence = tf.transpose(tf.reshape(h_pool2, [-1, 49, 64]), [0, 2, 1])
    with tf.variable_scope('lstm'):
        last_output, _ = lstm_cell.lstm(sequence, num_units, forget_bias=1.0,
                                        chains=layers.lstm_chains())
    return last_output
