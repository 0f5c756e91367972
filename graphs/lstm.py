"""An LSTM reading the image row by row: 28 time steps of 28 pixels → LSTM (128 units,
forget_bias 1.0) → its last output → output layer.

The original unstacked the rows and ran `static_rnn` over a BasicLSTMCell; `lstm_cell.lstm`
computes the same function from the same variables (`lstm/rnn/basic_lstm_cell/kernel`
and `/bias`), so checkpoints are interchangeable with the original's."""
import tensorflow.compat.v1 as tf

from graphs import layers, lstm_cell
from graphs.contract import IMAGE_SIZE

TIME_STEPS, NUM_FEATURES = IMAGE_SIZE, IMAGE_SIZE  # one step per row of pixels
DEFAULT_UNITS = 128


def features(images, keep_prob, num_units=DEFAULT_UNITS):
    del keep_prob  # the original has no dropout
    with tf.name_scope('reshape'):
        rows = tf.reshape(images, [-1, TIME_STEPS, NUM_FEATURES])
    with tf.variable_scope('lstm'):
        last_output, _ = lstm_cell.lstm(rows, num_units, forget_bias=1.0,
                                        chains=layers.lstm_chains())
    return last_output
