"""tf.contrib.metrics (and slim.metrics) as TF 1.x had them: the streaming metrics, with
predictions before labels, and the helpers that gather their (value, update) pairs.
TF 1.x had made each streaming metric a call of its tf.metrics counterpart, whose
arguments come the other way round: here they are that, with contrib's order."""
import tensorflow.compat.v1 as tf

from tf1.contrib_metrics_statistics import (  # noqa: F401 (contrib.metrics' names)
    cohen_kappa, count, f1_score, streaming_concat, streaming_covariance,
    streaming_mean_cosine_distance, streaming_pearson_correlation)

__all__ = ['accuracy', 'aggregate_metric_map', 'aggregate_metrics', 'streaming_accuracy',
           'streaming_auc', 'streaming_false_negatives', 'streaming_false_positives',
           'streaming_mean', 'streaming_mean_absolute_error', 'streaming_mean_iou',
           'streaming_mean_squared_error', 'streaming_mean_tensor',
           'streaming_percentage_less', 'streaming_precision', 'streaming_recall',
           'streaming_recall_at_k', 'streaming_root_mean_squared_error',
           'streaming_sparse_recall_at_k',
           'streaming_true_negatives', 'streaming_true_positives', 'cohen_kappa', 'count',
           'f1_score', 'streaming_concat', 'streaming_covariance',
           'streaming_mean_cosine_distance', 'streaming_pearson_correlation',
           'streaming_sparse_precision_at_k', 'confusion_matrix', 'set_size',
           'set_intersection', 'set_difference', 'set_union']

# contrib.metrics' set operations (also its module set_ops), which TF 1.x moved to tf.sets.
set_size, set_intersection, set_difference, set_union = (
    tf.sets.set_size, tf.sets.set_intersection, tf.sets.set_difference, tf.sets.set_union)


def _labelled(metric):
    """contrib's streaming_X(predictions, labels, weights=None, metrics_collections=None,
    updates_collections=None, name=None) for tf.metrics' X(labels, predictions, ...)."""
    def streaming(predictions, labels, weights=None, metrics_collections=None,
                  updates_collections=None, name=None):
        return metric(labels=labels, predictions=predictions, weights=weights,
                      metrics_collections=metrics_collections,
                      updates_collections=updates_collections, name=name)
    streaming.__name__ = 'streaming_' + metric.__name__
    streaming.__doc__ = 'tf.metrics.%s with predictions first.' % metric.__name__
    return streaming


streaming_accuracy = _labelled(tf.metrics.accuracy)
streaming_precision = _labelled(tf.metrics.precision)
streaming_recall = _labelled(tf.metrics.recall)
streaming_true_positives = _labelled(tf.metrics.true_positives)
streaming_true_negatives = _labelled(tf.metrics.true_negatives)
streaming_false_positives = _labelled(tf.metrics.false_positives)
streaming_false_negatives = _labelled(tf.metrics.false_negatives)
streaming_mean_absolute_error = _labelled(tf.metrics.mean_absolute_error)
streaming_mean_squared_error = _labelled(tf.metrics.mean_squared_error)
streaming_root_mean_squared_error = _labelled(tf.metrics.root_mean_squared_error)
streaming_mean = tf.metrics.mean
streaming_mean_tensor = tf.metrics.mean_tensor
streaming_percentage_less = tf.metrics.percentage_below


def streaming_auc(predictions, labels, weights=None, num_thresholds=200,
                  metrics_collections=None, updates_collections=None, curve='ROC', name=None,
                  summation_method='trapezoidal'):
    return tf.metrics.auc(labels, predictions, weights, num_thresholds, metrics_collections,
                          updates_collections, curve, name, summation_method)


def streaming_mean_iou(predictions, labels, num_classes, weights=None,
                       metrics_collections=None, updates_collections=None, name=None):
    return tf.metrics.mean_iou(labels, predictions, num_classes, weights, metrics_collections,
                               updates_collections, name)


def streaming_sparse_recall_at_k(predictions, labels, k, class_id=None, weights=None,
                                 metrics_collections=None, updates_collections=None,
                                 name=None):
    return tf.metrics.recall_at_k(labels, predictions, k, class_id, weights,
                                  metrics_collections, updates_collections, name)


def streaming_recall_at_k(predictions, labels, k, weights=None, metrics_collections=None,
                          updates_collections=None, name=None):
    """The share of `labels` [N] among the top `k` of `predictions` [N, classes] (logits
    or probabilities), as a streaming mean (slim's eval_image_classifier.py's Recall_5)."""
    in_top_k = tf.cast(tf.nn.in_top_k(predictions, labels, k), tf.float32)
    return streaming_mean(in_top_k, weights, metrics_collections, updates_collections,
                          name or 'recall_at_%d' % k)


def accuracy(predictions, labels, weights=None, name=None):
    """The (weighted) share of predictions equal to labels in this batch: not streaming."""
    with tf.name_scope(name, 'accuracy', values=[predictions, labels]):
        predictions = tf.convert_to_tensor(predictions)
        labels = tf.convert_to_tensor(labels)
        if not (labels.dtype.is_integer or labels.dtype == tf.bool
                or labels.dtype == tf.string):
            raise ValueError('Labels should have bool, integer, or string dtype, not %r'
                             % labels.dtype)
        if not predictions.dtype.is_compatible_with(labels.dtype):
            raise ValueError('Dataset types of predictions and labels should match: %r and '
                             '%r' % (predictions.dtype, labels.dtype))
        is_correct = tf.cast(tf.equal(predictions, labels), tf.float32)
        if weights is not None:  # broadcast to every prediction, then counted
            is_correct = tf.multiply(is_correct, weights)
            num_values = tf.multiply(weights, tf.ones_like(is_correct))
            return tf.div(tf.reduce_sum(is_correct), tf.reduce_sum(num_values))
        return tf.reduce_mean(is_correct)


def aggregate_metrics(*value_update_tuples):
    """([values], [update ops]) of the metrics' (value, update) pairs."""
    if not value_update_tuples:
        raise ValueError('Expected at least one value_tensor/update_op pair')
    value_ops, update_ops = zip(*value_update_tuples)
    return list(value_ops), list(update_ops)


def aggregate_metric_map(names_to_tuples):
    """({name: value}, {name: update op}) of {name: (value, update)}."""
    names = list(names_to_tuples)
    value_ops, update_ops = aggregate_metrics(*[names_to_tuples[name] for name in names])
    return dict(zip(names, value_ops)), dict(zip(names, update_ops))


def streaming_sparse_precision_at_k(predictions, labels, k, class_id=None, weights=None,
                                    metrics_collections=None, updates_collections=None,
                                    name=None):
    """tf.metrics.sparse_precision_at_k with predictions first."""
    return tf.metrics.sparse_precision_at_k(
        labels=labels, predictions=predictions, k=k, class_id=class_id, weights=weights,
        metrics_collections=metrics_collections, updates_collections=updates_collections,
        name=name)


confusion_matrix = tf.confusion_matrix  # contrib.metrics' alias of it
