"""tf.contrib.losses (and slim.losses) as TF 1.15 had them
(tensorflow/contrib/losses/python/losses/loss_ops.py): predictions or logits first, labels
second, and contrib's own weighting, which tf.losses does not share: `weights` of shape
[batch] (or [batch, d1 .. dK]) weigh each sample's summed loss, the loss is divided by
the number of elements the non-zero weights cover, and the mean pairwise error divides
by n and n², not n - 1. Each loss but hinge_loss is added to the LOSSES collection,
which get_total_loss() sums with the regularisation losses."""
import tensorflow.compat.v1 as tf

from tf1.contrib_framework.arg_scope import add_arg_scope

__all__ = ['absolute_difference', 'add_loss', 'compute_weighted_loss', 'cosine_distance',
           'get_losses', 'get_regularization_losses', 'get_total_loss', 'hinge_loss',
           'log_loss', 'mean_pairwise_squared_error', 'mean_squared_error',
           'sigmoid_cross_entropy', 'softmax_cross_entropy', 'sparse_softmax_cross_entropy']


def _scale_losses(losses, weights):
    """Σ weights · losses, the losses first summed down to the weights' rank."""
    axes = list(range(max(0, weights.get_shape().ndims), losses.get_shape().ndims))
    return tf.reduce_sum(tf.multiply(tf.reduce_sum(losses, axis=axes), weights))


def _safe_div(numerator, denominator, name='value'):
    """numerator / denominator, 0 where the denominator is 0 (no NaN in the gradient)."""
    return tf.where(tf.greater(denominator, 0),
                    tf.div(numerator, tf.where(tf.equal(denominator, 0),
                                               tf.ones_like(denominator), denominator)),
                    tf.zeros_like(numerator), name=name)


def _num_present(losses, weights, per_batch=False):
    """How many elements of `losses` the non-zero `weights` cover, broadcast over the
    dimensions the weights lack (per sample with `per_batch`)."""
    if weights.get_shape().ndims == 0:
        batch_size = tf.reshape(tf.slice(tf.shape(losses), [0], [1]), [])
        num_per_batch = tf.div(tf.cast(tf.size(losses), tf.float32),
                               tf.cast(batch_size, tf.float32))
        num_per_batch = tf.where(tf.equal(weights, 0), 0.0, num_per_batch)
        num_per_batch = tf.multiply(tf.ones(tf.reshape(batch_size, [1])), num_per_batch)
        return num_per_batch if per_batch else tf.reduce_sum(num_per_batch)
    axes = list(range(1, weights.get_shape().ndims))
    num_nonzero_per_batch = tf.reduce_sum(tf.cast(tf.not_equal(weights, 0), tf.float32),
                                          axis=axes)
    broadcast_dims = tf.slice(tf.shape(losses), [weights.get_shape().ndims], [-1])
    num_to_broadcast = tf.cast(tf.reduce_prod(broadcast_dims), tf.float32)
    num_per_batch = tf.multiply(num_nonzero_per_batch, num_to_broadcast)
    return num_per_batch if per_batch else tf.reduce_sum(num_per_batch)


def _float_weights(weights):
    weights = tf.cast(tf.convert_to_tensor(weights), tf.float32)
    if weights.get_shape().ndims is None:
        raise ValueError('weights.get_shape().ndims cannot be None')
    return weights


def compute_weighted_loss(losses, weights=1.0, scope=None):
    """The mean of `losses` [batch, d1 .. dN] weighted by `weights` (a scalar, or
    [batch, d1 .. dK], K ≤ N, a trailing 1 dropped), over the elements the non-zero
    weights cover; added to LOSSES."""
    with tf.name_scope(scope, 'weighted_loss', [losses, weights]):
        losses = tf.convert_to_tensor(losses)
        input_dtype = losses.dtype
        losses = tf.cast(losses, tf.float32)
        if losses.get_shape().ndims is None:
            raise ValueError('losses.get_shape().ndims cannot be None')
        weights = _float_weights(weights)
        shape = weights.get_shape()
        if shape.ndims > 1 and shape.dims[-1].is_compatible_with(1):
            weights = tf.squeeze(weights, [-1])
        total_loss = _scale_losses(losses, weights)
        mean_loss = _safe_div(tf.reduce_sum(total_loss), _num_present(losses, weights))
        mean_loss = tf.cast(mean_loss, input_dtype)
        add_loss(mean_loss)
        return mean_loss


@add_arg_scope
def add_loss(loss, loss_collection=tf.GraphKeys.LOSSES):
    """Adds `loss` to `loss_collection` (none when it is None or ''; an arg_scope can set
    it, so that the losses above are not collected)."""
    if loss_collection:
        tf.add_to_collection(loss_collection, loss)


def get_losses(scope=None, loss_collection=tf.GraphKeys.LOSSES):
    return tf.get_collection(loss_collection, scope)


def get_regularization_losses(scope=None):
    return tf.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES, scope)


def get_total_loss(add_regularization_losses=True, name='total_loss'):
    """The sum of the LOSSES collection and (by default) the regularisation losses."""
    losses = get_losses()
    if add_regularization_losses:
        losses += get_regularization_losses()
    return tf.add_n(losses, name=name)


def _elementwise(scope, default_name, predictions, labels, weights, loss_of):
    """compute_weighted_loss of loss_of(predictions, labels), both as float32."""
    with tf.name_scope(scope, default_name, [predictions, labels, weights]) as scope:
        predictions.get_shape().assert_is_compatible_with(labels.get_shape())
        losses = loss_of(tf.cast(predictions, tf.float32), tf.cast(labels, tf.float32))
        return compute_weighted_loss(losses, weights, scope=scope)


def absolute_difference(predictions, labels=None, weights=1.0, scope=None):
    return _elementwise(scope, 'absolute_difference', predictions, labels, weights,
                        lambda p, l: tf.abs(tf.subtract(p, l)))


def mean_squared_error(predictions, labels=None, weights=1.0, scope=None):
    return _elementwise(scope, 'mean_squared_error', predictions, labels, weights,
                        lambda p, l: tf.square(tf.subtract(p, l)))


def log_loss(predictions, labels=None, weights=1.0, epsilon=1e-7, scope=None):
    return _elementwise(scope, 'log_loss', predictions, labels, weights,
                        lambda p, l: -tf.multiply(l, tf.log(p + epsilon))
                        - tf.multiply(1 - l, tf.log(1 - p + epsilon)))


def sigmoid_cross_entropy(logits, multi_class_labels, weights=1.0, label_smoothing=0,
                          scope=None):
    with tf.name_scope(scope, 'sigmoid_cross_entropy_loss',
                       [logits, multi_class_labels, weights]) as scope:
        logits.get_shape().assert_is_compatible_with(multi_class_labels.get_shape())
        labels = tf.cast(multi_class_labels, logits.dtype)
        if label_smoothing > 0:
            labels = labels * (1 - label_smoothing) + 0.5 * label_smoothing
        losses = tf.nn.sigmoid_cross_entropy_with_logits(labels=labels, logits=logits,
                                                         name='xentropy')
        return compute_weighted_loss(losses, weights, scope=scope)


def softmax_cross_entropy(logits, onehot_labels, weights=1.0, label_smoothing=0, scope=None):
    with tf.name_scope(scope, 'softmax_cross_entropy_loss',
                       [logits, onehot_labels, weights]) as scope:
        logits.get_shape().assert_is_compatible_with(onehot_labels.get_shape())
        labels = tf.cast(onehot_labels, logits.dtype)
        if label_smoothing > 0:
            num_classes = tf.cast(tf.shape(labels)[1], logits.dtype)
            labels = labels * (1.0 - label_smoothing) + label_smoothing / num_classes
        losses = tf.nn.softmax_cross_entropy_with_logits(labels=labels, logits=logits,
                                                         name='xentropy')
        return compute_weighted_loss(losses, weights, scope=scope)


def sparse_softmax_cross_entropy(logits, labels, weights=1.0, scope=None):
    with tf.name_scope(scope, 'sparse_softmax_cross_entropy_loss',
                       [logits, labels, weights]) as scope:
        labels = tf.reshape(labels, shape=[tf.shape(labels)[0]])  # [batch, 1] too
        losses = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits,
                                                                name='xentropy')
        return compute_weighted_loss(losses, weights, scope=scope)


def hinge_loss(logits, labels=None, scope=None):
    """max(0, 1 - (2·labels - 1)·logits) for each element, labels in {0, 1}: unlike the
    others, not averaged and not added to LOSSES."""
    with tf.name_scope(scope, 'hinge_loss', [logits, labels]):
        logits.get_shape().assert_is_compatible_with(labels.get_shape())
        labels = tf.cast(labels, tf.float32)
        all_ones = tf.ones_like(labels)
        labels = tf.subtract(2 * labels, all_ones)
        return tf.nn.relu(tf.subtract(all_ones, tf.multiply(labels, logits)))


def mean_pairwise_squared_error(predictions, labels=None, weights=1.0, scope=None):
    """Over each sample's pairs of elements i, j: ((pᵢ - pⱼ) - (lᵢ - lⱼ))², as
    2·Σd²/n - 2·(Σd)²/n² with d = p - l, weighted per sample; added to LOSSES."""
    with tf.name_scope(scope, 'mean_pairwise_squared_error',
                       [predictions, labels, weights]):
        predictions.get_shape().assert_is_compatible_with(labels.get_shape())
        diffs = tf.subtract(tf.cast(predictions, tf.float32), tf.cast(labels, tf.float32))
        weights = _float_weights(weights)
        if diffs.get_shape().ndims is None:
            raise ValueError('diffs.get_shape().ndims cannot be None')
        axes = list(range(1, diffs.get_shape().ndims))
        num_present_per_batch = _num_present(diffs, weights, per_batch=True)
        term1 = 2.0 * _safe_div(tf.reduce_sum(tf.square(diffs), axis=axes),
                                num_present_per_batch)
        term2 = 2.0 * _safe_div(tf.square(tf.reduce_sum(diffs, axis=axes)),
                                tf.square(num_present_per_batch))
        loss = _scale_losses(term1 - term2, weights)
        mean_loss = tf.where(tf.reduce_sum(num_present_per_batch) > 0, loss,
                             tf.zeros_like(loss), name='value')
        add_loss(mean_loss)
        return mean_loss


def cosine_distance(predictions, labels=None, axis=None, weights=1.0, scope=None, dim=None):
    """1 - Σ predictions · labels along `axis` (both unit-normalised), weighted."""
    if dim is not None:
        if axis is not None:
            raise ValueError("Cannot specify both 'axis' and 'dim'")
        axis = dim
    if axis is None:
        raise ValueError('`axis` and `dim` cannot both be None.')
    return _elementwise(scope, 'cosine_distance_loss', predictions, labels, weights,
                        lambda p, l: 1 - tf.reduce_sum(tf.multiply(p, l), axis=[axis]))
