"""The one-hidden-layer network of the original web-grid app:
784 (binarised) → hidden ReLU layer → dropout → output layer (identity, 10 logits).

The input is rounded to 0/1 because the web page's 28×28 grid has no grey levels; the
network therefore trains on exactly the kind of image it is later asked about."""
import tensorflow.compat.v1 as tf

from graphs import layers

DEFAULT_HIDDEN_UNITS = 500


def features(images, keep_prob, hidden_units=DEFAULT_HIDDEN_UNITS):
    with tf.name_scope('input/'):
        binarised = tf.round(images, name='binarised')
    hidden = layers.nn_layer(binarised, hidden_units, 'layerHidden1')
    return layers.dropout(hidden, keep_prob)
