"""tf.contrib.losses (and slim.losses) as TF 1.x had them: predictions or logits first,
labels second, each loss averaged over the non-zero weights and added to the LOSSES
collection, which get_total_loss() sums with the regularisation losses. TF 1.x had
already made them wrappers of tf.losses, whose arguments come the other way round:
here they are that, with contrib's order and names."""
import tensorflow.compat.v1 as tf

# The same in both.
add_loss = tf.losses.add_loss
get_losses = tf.losses.get_losses
get_regularization_losses = tf.losses.get_regularization_losses
get_total_loss = tf.losses.get_total_loss

__all__ = ['absolute_difference', 'add_loss', 'compute_weighted_loss', 'cosine_distance',
           'get_losses', 'get_regularization_losses', 'get_total_loss', 'hinge_loss',
           'log_loss', 'mean_pairwise_squared_error', 'mean_squared_error',
           'sigmoid_cross_entropy', 'softmax_cross_entropy', 'sparse_softmax_cross_entropy']


def compute_weighted_loss(losses, weights=1.0, scope=None):
    return tf.losses.compute_weighted_loss(losses, weights, scope)


def softmax_cross_entropy(logits, onehot_labels, weights=1.0, label_smoothing=0, scope=None):
    return tf.losses.softmax_cross_entropy(onehot_labels, logits, weights, label_smoothing,
                                           scope)


def sparse_softmax_cross_entropy(logits, labels, weights=1.0, scope=None):
    return tf.losses.sparse_softmax_cross_entropy(labels, logits, weights, scope)


def sigmoid_cross_entropy(logits, multi_class_labels, weights=1.0, label_smoothing=0,
                          scope=None):
    return tf.losses.sigmoid_cross_entropy(multi_class_labels, logits, weights,
                                           label_smoothing, scope)


def mean_squared_error(predictions, labels=None, weights=1.0, scope=None):
    return tf.losses.mean_squared_error(labels, predictions, weights, scope)


def absolute_difference(predictions, labels=None, weights=1.0, scope=None):
    return tf.losses.absolute_difference(labels, predictions, weights, scope)


def log_loss(predictions, labels=None, weights=1.0, epsilon=1e-7, scope=None):
    return tf.losses.log_loss(labels, predictions, weights, epsilon, scope)


def mean_pairwise_squared_error(predictions, labels=None, weights=1.0, scope=None):
    return tf.losses.mean_pairwise_squared_error(labels, predictions, weights, scope)


def cosine_distance(predictions, labels=None, axis=None, weights=1.0, scope=None, dim=None):
    return tf.losses.cosine_distance(labels, predictions, axis, weights, scope, dim=dim)


def hinge_loss(logits, labels=None, scope=None):
    """max(0, 1 - (2·labels - 1)·logits) for each element, labels in {0, 1}: unlike the
    others, not averaged and not added to LOSSES (as in TF 1.x's contrib)."""
    with tf.name_scope(scope, 'hinge_loss', [logits, labels]) as scope:
        logits = tf.convert_to_tensor(logits)
        labels = tf.cast(tf.convert_to_tensor(labels), logits.dtype)
        logits.get_shape().assert_is_compatible_with(labels.get_shape())
        signed_labels = 2 * labels - 1  # {0, 1} → {-1, 1}
        return tf.nn.relu(1 - signed_labels * logits, name=scope)
