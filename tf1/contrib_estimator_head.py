"""tf.contrib.estimator's head functions (TF 1.5-1.15, tensorflow_estimator's
contrib/estimator/python/estimator/head.py): the heads of tf1/estimator_head.py with
contrib's defaults - the loss averaged over the batch (SUM_OVER_BATCH_SIZE) - for a
model_fn that ends in `head.create_estimator_spec(...)` or for DNNEstimator and friends.

    binary_classification_head   multi_class_head     multi_label_head
    regression_head              poisson_regression_head   logistic_regression_head
"""
import tensorflow.compat.v1 as tf
from tensorflow.python.ops import lookup_ops

from tf1.estimator_export import PredictOutput
from tf1.estimator_head import (
    BinaryHead, Head, MultiClassHead, RegressionHead, broadcast, check_thresholds,
    check_vocabulary, checked_labels, classification_output, threshold_metrics)

_MEAN = tf.losses.Reduction.SUM_OVER_BATCH_SIZE


def binary_classification_head(weight_column=None, thresholds=None, label_vocabulary=None,
                               loss_reduction=_MEAN, loss_fn=None, name=None):
    """Two classes, a sigmoid cross-entropy on one logit; `thresholds` add accuracy,
    precision and recall at each."""
    check_vocabulary(label_vocabulary, 2)
    return BinaryHead(weight_column, label_vocabulary, loss_reduction,
                       thresholds=tuple(thresholds or ()), loss_fn=loss_fn, name=name)


def multi_class_head(n_classes, weight_column=None, label_vocabulary=None,
                     loss_reduction=_MEAN, loss_fn=None, name=None):
    """n_classes > 2 exclusive classes, a softmax cross-entropy."""
    if not (isinstance(n_classes, int) and n_classes > 2):
        raise ValueError('n_classes must be > 2: {}.'.format(n_classes))
    check_vocabulary(label_vocabulary, n_classes)
    return MultiClassHead(n_classes, weight_column, label_vocabulary, loss_reduction,
                           loss_fn, name)


def regression_head(weight_column=None, label_dimension=1, loss_reduction=_MEAN,
                    loss_fn=None, inverse_link_fn=None, name=None):
    """Squared error (or `loss_fn`); predictions inverse_link_fn(logits) if given."""
    return RegressionHead(label_dimension, weight_column, loss_reduction, loss_fn,
                          inverse_link_fn, name)


def poisson_regression_head(weight_column=None, label_dimension=1, loss_reduction=_MEAN,
                            compute_full_loss=True, name=None):
    """Counts: the Poisson loss on log-rates (the logits); predictions exp(logits)."""
    def poisson_loss(labels, logits):
        check = tf.assert_non_negative(labels, message='Labels must be >= 0')
        with tf.control_dependencies([check]):
            return tf.nn.log_poisson_loss(targets=labels, log_input=logits,
                                          compute_full_loss=compute_full_loss)
    return RegressionHead(label_dimension, weight_column, loss_reduction, poisson_loss,
                          tf.exp, name)


def logistic_regression_head(weight_column=None, loss_reduction=_MEAN, name=None):
    """Probabilities as labels (in [0, 1]): a sigmoid cross-entropy; predictions
    sigmoid(logits)."""
    def logistic_loss(labels, logits):
        checks = [tf.assert_non_negative(labels, message='Labels must be in range [0, 1]'),
                  tf.assert_less_equal(labels, 1., message='Labels must be in range [0, 1]')]
        with tf.control_dependencies(checks):
            return tf.nn.sigmoid_cross_entropy_with_logits(labels=labels, logits=logits)
    return RegressionHead(1, weight_column, loss_reduction, logistic_loss, tf.sigmoid, name)


def multi_label_head(n_classes, weight_column=None, thresholds=None, label_vocabulary=None,
                     loss_reduction=_MEAN, loss_fn=None, classes_for_class_based_metrics=None,
                     name=None):
    """Any number of n_classes per example: a sigmoid cross-entropy per class."""
    if not (isinstance(n_classes, int) and n_classes > 1):
        raise ValueError('n_classes must be > 1 for multi-class classification. Given: '
                         '{}'.format(n_classes))
    check_thresholds(thresholds or ())
    check_vocabulary(label_vocabulary, n_classes)
    class_ids = []
    for chosen in classes_for_class_based_metrics or ():
        if isinstance(chosen, str):
            if not label_vocabulary:
                raise ValueError('label_vocabulary must be provided when '
                                 'classes_for_class_based_metrics are sting.')
            chosen = list(label_vocabulary).index(chosen)
        if not 0 <= chosen < n_classes:
            raise ValueError('All classes_for_class_based_metrics must be in range [0, {}]. '
                             'Given: {}'.format(n_classes - 1, chosen))
        class_ids.append(chosen)
    return _MultiLabelHead(n_classes, weight_column, tuple(thresholds or ()),
                           label_vocabulary, loss_reduction, loss_fn, tuple(class_ids), name)


class _MultiLabelHead(Head):
    """Labels multi-hot [batch, n_classes], or a SparseTensor of class ids (or of names
    with a vocabulary); the loss per example the mean over classes."""

    def __init__(self, n_classes, weight_column, thresholds, label_vocabulary,
                 loss_reduction, loss_fn, class_ids, name):
        super(_MultiLabelHead, self).__init__(n_classes, weight_column, loss_reduction,
                                              loss_fn, name)
        self._thresholds, self._vocabulary = thresholds, label_vocabulary
        self._class_ids = class_ids

    def _predictions(self, logits):
        probabilities = tf.sigmoid(logits, name='probabilities')
        predictions = {'logits': logits, 'probabilities': probabilities}
        classify = classification_output(probabilities, self.logits_dimension,
                                         self._vocabulary)
        return predictions, {'serving_default': classify, 'classification': classify,
                             'predict': PredictOutput(predictions)}

    def _labels(self, labels, logits):
        if isinstance(labels, tf.SparseTensor):
            values = labels.values
            if values.dtype == tf.string:
                values = lookup_ops.index_table_from_tensor(
                    tuple(self._vocabulary), name='class_id_lookup').lookup(values)
            message = 'labels must be an integer SparseTensor with values in [0, {})'.format(
                self.logits_dimension)
            checks = [tf.assert_non_negative(values, message=message),
                      tf.assert_less(values, tf.cast(self.logits_dimension, values.dtype),
                                     message=message)]
            with tf.control_dependencies(checks):
                labels = tf.cast(tf.sparse.to_indicator(
                    tf.SparseTensor(labels.indices, values, labels.dense_shape),
                    self.logits_dimension), tf.int64)
        labels = checked_labels(labels, logits, self.logits_dimension)
        message = 'labels must be 0 or 1'
        checks = [tf.assert_non_negative(labels, message=message),
                  tf.assert_less_equal(labels, tf.cast(1, labels.dtype), message=message)]
        with tf.control_dependencies(checks):
            return tf.identity(labels)

    def _unreduced_loss(self, labels, logits):
        losses = tf.losses.sigmoid_cross_entropy(labels, logits,
                                                 reduction=tf.losses.Reduction.NONE)
        return tf.reduce_mean(losses, axis=-1, keepdims=True)

    def _metrics(self, labels, predictions, weights, unreduced_loss):
        probabilities = predictions['probabilities']
        per_value = broadcast(weights, probabilities)
        metrics = {
            'average_loss': tf.metrics.mean(unreduced_loss, weights=weights,
                                            name='average_loss'),
            'auc': tf.metrics.auc(labels, probabilities, per_value, name='auc'),
            'auc_precision_recall': tf.metrics.auc(labels, probabilities, per_value,
                                                   curve='PR', name='auc_precision_recall'),
        }
        metrics.update(threshold_metrics(labels, probabilities, weights, self._thresholds))
        for class_id in self._class_ids:
            label = (class_id if self._vocabulary is None else self._vocabulary[class_id])
            suffix = ('class%d' if self._vocabulary is None else '%s') % label
            # The class on the last axis, as TF 1.15 sliced it: logits may be of any rank.
            probability = probabilities[..., class_id:class_id + 1]
            truth = labels[..., class_id:class_id + 1]
            metrics['probability_mean/' + suffix] = tf.metrics.mean(
                probability, weights=broadcast(weights, probability))
            metrics['auc/' + suffix] = tf.metrics.auc(truth, probability, weights)
            metrics['auc_precision_recall/' + suffix] = tf.metrics.auc(
                truth, probability, weights, curve='PR')
        return metrics
