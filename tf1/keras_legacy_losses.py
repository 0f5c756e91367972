"""Standalone Keras 2.0-2.2's binary cross-entropy (ported from Keras 2.2.4), which scripts
of the time printed and trained with: the probability clipped to [epsilon, 1 - epsilon],
turned back into a logit and given to tf.nn.sigmoid_cross_entropy_with_logits; a wrong
saturated answer costs 15.9 (in float32). tf_keras (Keras 2.3 and tf.keras) adds epsilon
inside the logarithms (15.3 for the same answer) and reads a sigmoid's logits: keras-contrib's
jaccard_loss example records Keras 2.2's 12.53 where tf_keras gives 12.01."""
import tensorflow.compat.v1 as tf
from tf_keras.src import backend as K


def backend_binary_crossentropy(target, output, from_logits=False):
    """`K.binary_crossentropy`: elementwise, of probabilities (or logits)."""
    output = tf.convert_to_tensor(output)
    target = tf.cast(target, output.dtype)
    if not from_logits:
        epsilon = tf.convert_to_tensor(K.epsilon(), output.dtype.base_dtype)
        output = tf.clip_by_value(output, epsilon, 1 - epsilon)
        output = tf.log(output / (1 - output))
    return tf.nn.sigmoid_cross_entropy_with_logits(labels=target, logits=output)


def binary_crossentropy(y_true, y_pred):
    """`keras.losses.binary_crossentropy` (and the metric): the mean over the last axis."""
    return K.mean(backend_binary_crossentropy(y_true, y_pred), axis=-1)
