"""tf.contrib.tensor_forest.client.eval_metrics (TF 1.0-1.15): the metric functions a
forest's evaluation names (`get_metric('accuracy')`) and the prediction each reads
(`get_prediction_key`), for contrib.learn's MetricSpec."""
import numpy as np
import tensorflow.compat.v1 as tf

INFERENCE_PROB_NAME = 'probabilities'   # contrib.learn's PredictionKey.PROBABILITIES
INFERENCE_PRED_NAME = 'classes'         # PredictionKey.CLASSES
FEATURE_IMPORTANCE_NAME = 'global_feature_importance'


def _top_k_generator(k):
    def _top_k(probabilities, targets):
        targets = tf.cast(targets, tf.int32)
        if targets.get_shape().ndims > 1:
            targets = tf.squeeze(targets, axis=[1])
        return tf.metrics.mean(tf.nn.in_top_k(probabilities, targets, k))
    return _top_k


def _accuracy(predictions, targets, weights=None):
    return tf.metrics.accuracy(labels=targets, predictions=predictions, weights=weights)


def _r2(probabilities, targets, weights=None):
    targets = tf.cast(targets, tf.float32)
    y_mean = tf.reduce_mean(targets, 0)
    squares_total = tf.reduce_sum(tf.squared_difference(targets, y_mean), 0)
    squares_residuals = tf.reduce_sum(tf.squared_difference(targets, probabilities), 0)
    score = 1 - tf.reduce_sum(squares_residuals / squares_total)
    return tf.metrics.mean(score, weights=weights)


def _squeeze_and_onehot(targets, depth):
    targets = tf.squeeze(targets, axis=[1])
    return tf.one_hot(tf.cast(targets, tf.int32), depth)


def _sigmoid_entropy(probabilities, targets, weights=None):
    return tf.metrics.mean(tf.losses.sigmoid_cross_entropy(
        _squeeze_and_onehot(targets, tf.shape(probabilities)[1]), probabilities),
        weights=weights)


def _softmax_entropy(probabilities, targets, weights=None):
    return tf.metrics.mean(tf.losses.sparse_softmax_cross_entropy(
        tf.cast(targets, tf.int32), probabilities), weights=weights)


def _predictions(predictions, unused_targets, **unused_kwargs):
    return predictions


def _class_log_loss(probabilities, targets, weights=None):
    return tf.metrics.mean(tf.losses.log_loss(
        _squeeze_and_onehot(targets, tf.shape(probabilities)[1]), probabilities),
        weights=weights)


def _precision(predictions, targets, weights=None):
    return tf.metrics.precision(labels=targets, predictions=predictions, weights=weights)


def _precision_at_thresholds(predictions, targets, weights=None):
    return tf.metrics.precision_at_thresholds(
        labels=targets, predictions=tf.slice(predictions, [0, 1], [-1, 1]),
        thresholds=np.arange(0, 1, 0.01, dtype=np.float32), weights=weights)


def _recall(predictions, targets, weights=None):
    return tf.metrics.recall(labels=targets, predictions=predictions, weights=weights)


def _recall_at_thresholds(predictions, targets, weights=None):
    return tf.metrics.recall_at_thresholds(
        labels=targets, predictions=tf.slice(predictions, [0, 1], [-1, 1]),
        thresholds=np.arange(0, 1, 0.01, dtype=np.float32), weights=weights)


def _auc(probs, targets, weights=None):
    return tf.metrics.auc(labels=targets, predictions=tf.slice(probs, [0, 1], [-1, 1]),
                          weights=weights)


_EVAL_METRICS = {
    'auc': _auc, 'sigmoid_entropy': _sigmoid_entropy, 'softmax_entropy': _softmax_entropy,
    'accuracy': _accuracy, 'r2': _r2, 'predictions': _predictions,
    'classification_log_loss': _class_log_loss, 'precision': _precision,
    'precision_at_thresholds': _precision_at_thresholds, 'recall': _recall,
    'recall_at_thresholds': _recall_at_thresholds, 'top_5': _top_k_generator(5)}

_PREDICTION_KEYS = {
    'auc': INFERENCE_PROB_NAME, 'sigmoid_entropy': INFERENCE_PROB_NAME,
    'softmax_entropy': INFERENCE_PROB_NAME, 'accuracy': INFERENCE_PRED_NAME,
    'r2': 'scores', 'predictions': INFERENCE_PRED_NAME,
    'classification_log_loss': INFERENCE_PROB_NAME, 'precision': INFERENCE_PRED_NAME,
    'precision_at_thresholds': INFERENCE_PROB_NAME, 'recall': INFERENCE_PRED_NAME,
    'recall_at_thresholds': INFERENCE_PROB_NAME, 'top_5': INFERENCE_PROB_NAME}


def get_metric(metric_name):
    """The metric function named `metric_name` (KeyError, as TF 1.x, for another)."""
    return _EVAL_METRICS[metric_name]


def get_prediction_key(metric_name):
    return _PREDICTION_KEYS[metric_name]
