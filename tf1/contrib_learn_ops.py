"""tf.contrib.learn.ops as TF 1.x had it (contrib/learn/python/learn/ops/embeddings_ops.py
and losses_ops.py): the skflow-era building blocks of model functions, an embedding per
category and the two (predictions, loss) heads that tf.contrib.learn.models end in."""
import tensorflow.compat.v1 as tf

__all__ = ['categorical_variable', 'embedding_lookup', 'mean_squared_error_regressor',
           'softmax_classifier']


def embedding_lookup(params, ids, name='embedding_lookup'):
    """The rows of `params` for `ids` of any shape: ids' shape + [embedding size]."""
    with tf.name_scope(name, 'embedding_lookup', [params, ids]):
        params = tf.convert_to_tensor(params)
        ids = tf.convert_to_tensor(ids)
        shape = tf.shape(ids)
        flat = tf.nn.embedding_lookup(params, tf.reshape(ids, tf.reduce_prod(shape,
                                                                           keepdims=True)))
        embeddings = tf.reshape(flat, tf.concat([shape, [-1]], 0))
        embeddings.set_shape(ids.get_shape().concatenate(params.get_shape()[-1:]))
        return embeddings


def categorical_variable(tensor_in, n_classes, embedding_size, name):
    """Category ids embedded by a learned [n_classes, embedding_size] table
    (`<name>/<name>_embeddings`)."""
    with tf.variable_scope(name):
        embeddings = tf.get_variable(name + '_embeddings', [n_classes, embedding_size])
        return embedding_lookup(embeddings, tensor_in)


def mean_squared_error_regressor(tensor_in, labels, weights, biases, name=None):
    """(predictions, mean squared error) of tensor_in @ weights + biases; one-column
    predictions squeezed to match 1-D labels."""
    with tf.name_scope(name, 'mean_squared_error_regressor', [tensor_in, labels]):
        predictions = tf.nn.xw_plus_b(tensor_in, weights, biases)
        if len(labels.get_shape()) == 1 and len(predictions.get_shape()) == 2:
            predictions = tf.squeeze(predictions, axis=[1])
        return predictions, tf.losses.mean_squared_error(labels, predictions)


def softmax_classifier(tensor_in, labels, weights, biases, class_weight=None, name=None):
    """(softmax probabilities, cross-entropy against one-hot labels) of tensor_in @ weights
    + biases, the logits scaled by class_weight if given."""
    with tf.name_scope(name, 'softmax_classifier', [tensor_in, labels]):
        logits = tf.nn.xw_plus_b(tensor_in, weights, biases)
        if class_weight is not None:
            logits = tf.multiply(logits, class_weight)
        return tf.nn.softmax(logits), tf.losses.softmax_cross_entropy(labels, logits)
