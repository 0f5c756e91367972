"""tf.contrib.metrics (and slim.metrics) as TF 1.x had them: the streaming metrics, with
predictions before labels, and the helpers that gather their (value, update) pairs.
TF 1.x had made each streaming metric a call of its tf.metrics counterpart, whose
arguments come the other way round: here they are that, with contrib's order. Those
tf.metrics never had are in contrib_metrics_statistics.py, _thresholds.py and _auc.py."""
import tensorflow.compat.v1 as tf
from tensorflow.python.ops import metrics_impl

from tf1.contrib_metrics_auc import (  # noqa: F401 (contrib.metrics' names)
    auc_using_histogram, auc_with_confidence_intervals, streaming_dynamic_auc)
from tf1.contrib_metrics_statistics import (  # noqa: F401
    cohen_kappa, count, f1_score, streaming_concat, streaming_covariance,
    streaming_mean_cosine_distance, streaming_pearson_correlation)
from tf1.contrib_metrics_thresholds import (  # noqa: F401
    precision_at_recall, precision_recall_at_equal_thresholds, recall_at_precision,
    streaming_curve_points, streaming_false_negative_rate,
    streaming_false_negative_rate_at_thresholds, streaming_false_negatives_at_thresholds,
    streaming_false_positive_rate, streaming_false_positive_rate_at_thresholds,
    streaming_false_positives_at_thresholds, streaming_true_negatives_at_thresholds,
    streaming_true_positives_at_thresholds)

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
           'set_intersection', 'set_difference', 'set_union', 'auc_using_histogram',
           'auc_with_confidence_intervals', 'streaming_dynamic_auc', 'precision_at_recall',
           'precision_recall_at_equal_thresholds', 'recall_at_precision',
           'streaming_curve_points', 'streaming_false_negative_rate',
           'streaming_false_negative_rate_at_thresholds',
           'streaming_false_negatives_at_thresholds', 'streaming_false_positive_rate',
           'streaming_false_positive_rate_at_thresholds',
           'streaming_false_positives_at_thresholds', 'streaming_true_negatives_at_thresholds',
           'streaming_true_positives_at_thresholds', 'streaming_precision_at_thresholds',
           'streaming_recall_at_thresholds', 'streaming_sensitivity_at_specificity',
           'streaming_specificity_at_sensitivity', 'streaming_mean_relative_error',
           'streaming_sparse_average_precision_at_k',
           'streaming_sparse_average_precision_at_top_k',
           'streaming_sparse_precision_at_top_k', 'sparse_recall_at_top_k']

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


def _thresholded(metric):
    """contrib's streaming_X(predictions, labels, thresholds, ...) for tf.metrics' X."""
    def streaming(predictions, labels, thresholds, weights=None, metrics_collections=None,
                  updates_collections=None, name=None):
        return metric(labels=labels, predictions=predictions, thresholds=thresholds,
                      weights=weights, metrics_collections=metrics_collections,
                      updates_collections=updates_collections, name=name)
    streaming.__name__ = 'streaming_' + metric.__name__
    streaming.__doc__ = 'tf.metrics.%s with predictions first.' % metric.__name__
    return streaming


streaming_precision_at_thresholds = _thresholded(tf.metrics.precision_at_thresholds)
streaming_recall_at_thresholds = _thresholded(tf.metrics.recall_at_thresholds)


def streaming_specificity_at_sensitivity(predictions, labels, sensitivity, weights=None,
                                         num_thresholds=200, metrics_collections=None,
                                         updates_collections=None, name=None):
    return tf.metrics.specificity_at_sensitivity(
        labels, predictions, sensitivity, weights, num_thresholds, metrics_collections,
        updates_collections, name)


def streaming_sensitivity_at_specificity(predictions, labels, specificity, weights=None,
                                         num_thresholds=200, metrics_collections=None,
                                         updates_collections=None, name=None):
    return tf.metrics.sensitivity_at_specificity(
        labels, predictions, specificity, weights, num_thresholds, metrics_collections,
        updates_collections, name)


def streaming_mean_relative_error(predictions, labels, normalizer, weights=None,
                                  metrics_collections=None, updates_collections=None,
                                  name=None):
    return tf.metrics.mean_relative_error(labels, predictions, normalizer, weights,
                                          metrics_collections, updates_collections, name)


def streaming_sparse_average_precision_at_k(predictions, labels, k, weights=None,
                                            metrics_collections=None,
                                            updates_collections=None, name=None):
    return tf.metrics.average_precision_at_k(labels, predictions, k, weights,
                                             metrics_collections, updates_collections, name)


def streaming_sparse_average_precision_at_top_k(top_k_predictions, labels, weights=None,
                                                metrics_collections=None,
                                                updates_collections=None, name=None):
    """Average precision of the classes already ranked in `top_k_predictions`."""
    return metrics_impl._streaming_sparse_average_precision_at_top_k(
        predictions_idx=top_k_predictions, labels=labels, weights=weights,
        metrics_collections=metrics_collections, updates_collections=updates_collections,
        name=name)


def _top_k_metric(metric, kind):
    """contrib's precision or recall at the already ranked `top_k_predictions` (TF 1.x's
    name scope, `kind`_at_k[_classN], around tf.metrics' own)."""
    def at_top_k(top_k_predictions, labels, class_id=None, weights=None,
                 metrics_collections=None, updates_collections=None, name=None):
        default_name = '%s_at_k' % kind + ('' if class_id is None else '_class%d' % class_id)
        with tf.name_scope(name, default_name, (top_k_predictions, labels, weights)) as scope:
            return metric(labels=labels, predictions_idx=top_k_predictions, class_id=class_id,
                          weights=weights, metrics_collections=metrics_collections,
                          updates_collections=updates_collections, name=scope)
    return at_top_k


streaming_sparse_precision_at_top_k = _top_k_metric(tf.metrics.precision_at_top_k,
                                                    'precision')
_recall_at_top_k = _top_k_metric(tf.metrics.recall_at_top_k, 'recall')


def sparse_recall_at_top_k(labels, top_k_predictions, class_id=None, weights=None,
                           metrics_collections=None, updates_collections=None, name=None):
    """Recall at the already ranked `top_k_predictions` (labels first, as TF 1.15)."""
    return _recall_at_top_k(top_k_predictions, labels, class_id, weights, metrics_collections,
                            updates_collections, name)


confusion_matrix = tf.confusion_matrix  # contrib.metrics' alias of it
