"""tf.contrib.learn's heads (TF 1.x's contrib/learn/python/learn/estimators/head.py), which
its canned estimators end in: predictions, the loss (the batch mean, weighted by the
feature `weight_column_name`), the train op and the evaluation metrics, by mode.

    classifier_head(n_classes, weight_column_name)   a sigmoid for two classes, a softmax
    RegressionHead(label_dimension, weight_column_name)   mean squared error
"""
import tensorflow.compat.v1 as tf

from tf1.contrib_learn import ModeKeys
from tf1.contrib_learn_estimator import ModelFnOps


class _Head(object):
    """What follows the logits: predictions, the loss (weighted by the feature
    `weight_column_name`), the train op and the evaluation metrics, by mode."""

    def __init__(self, logits_dimension, weight_column_name):
        self.logits_dimension = logits_dimension
        self._weight_column_name = weight_column_name

    def model_fn_ops(self, features, labels, mode, train_op_fn, logits):
        predictions = self._predictions(logits)
        if mode == ModeKeys.INFER:
            return ModelFnOps(mode, predictions=predictions)
        weights = (None if self._weight_column_name is None else
                   tf.reshape(tf.cast(features[self._weight_column_name], tf.float32), [-1]))
        example_losses = self._example_losses(labels, logits)
        weighted = example_losses if weights is None else example_losses * weights
        loss = tf.reduce_mean(weighted, name='loss')  # the Estimator plots it as 'loss'
        if mode == ModeKeys.TRAIN:
            return ModelFnOps(mode, predictions, loss, train_op_fn(loss))
        # Evaluation reports the weighted average, sum(w * loss) / sum(w), as TF 1.x did.
        average = loss if weights is None else tf.reduce_sum(weighted) / tf.reduce_sum(weights)
        eval_metric_ops = dict(self._metrics(labels, predictions, weights),
                               loss=tf.metrics.mean(average))
        return ModelFnOps(mode, predictions, loss, eval_metric_ops=eval_metric_ops)


class _MultiClassHead(_Head):
    """Softmax over n_classes > 2."""

    def __init__(self, n_classes, weight_column_name):
        super(_MultiClassHead, self).__init__(n_classes, weight_column_name)

    def _predictions(self, logits):
        return {'logits': logits, 'probabilities': tf.nn.softmax(logits),
                'classes': tf.argmax(logits, 1)}

    def _example_losses(self, labels, logits):
        return tf.nn.sparse_softmax_cross_entropy_with_logits(
            labels=_class_ids(labels), logits=logits)

    def _metrics(self, labels, predictions, weights):
        return {'accuracy': tf.metrics.accuracy(_class_ids(labels), predictions['classes'],
                                                weights)}


class _BinaryHead(_Head):
    """A sigmoid on one logit; class 1 where it is above 0.5."""

    def __init__(self, weight_column_name):
        super(_BinaryHead, self).__init__(1, weight_column_name)

    def _predictions(self, logits):
        logistic = tf.sigmoid(logits)
        two_class_logits = tf.concat([tf.zeros_like(logits), logits], 1)
        return {'logits': logits, 'logistic': logistic,
                'probabilities': tf.concat([1 - logistic, logistic], 1),
                'classes': tf.argmax(two_class_logits, 1)}

    def _example_losses(self, labels, logits):
        labels = tf.cast(tf.reshape(labels, [-1, 1]), logits.dtype)
        return tf.nn.sigmoid_cross_entropy_with_logits(labels=labels, logits=logits)[:, 0]

    def _metrics(self, labels, predictions, weights):
        labels = tf.cast(tf.reshape(labels, [-1]), tf.float32)
        logistic = predictions['logistic'][:, 0]
        positive = tf.cast(logistic > 0.5, tf.float32)
        return {
            'accuracy': tf.metrics.accuracy(labels, tf.cast(predictions['classes'],
                                                            tf.float32), weights),
            'labels/prediction_mean': tf.metrics.mean(logistic, weights),
            'labels/actual_label_mean': tf.metrics.mean(labels, weights),
            'accuracy/baseline_label_mean': tf.metrics.mean(labels, weights),
            'auc': tf.metrics.auc(labels, logistic, weights),
            'auc_precision_recall': tf.metrics.auc(labels, logistic, weights, curve='PR'),
            'accuracy/threshold_0.500000_mean': tf.metrics.accuracy(labels, positive, weights),
            'precision/positive_threshold_0.500000_mean': tf.metrics.precision(
                labels, positive, weights),
            'recall/positive_threshold_0.500000_mean': tf.metrics.recall(
                labels, positive, weights),
        }


class RegressionHead(_Head):
    """The logits as the scores; mean squared error."""

    def __init__(self, label_dimension, weight_column_name):
        super(RegressionHead, self).__init__(label_dimension, weight_column_name)

    def _predictions(self, logits):
        scores = tf.squeeze(logits, [1]) if self.logits_dimension == 1 else logits
        return {'scores': scores}

    def _example_losses(self, labels, logits):
        labels = tf.cast(tf.reshape(labels, [-1, self.logits_dimension]), logits.dtype)
        return tf.reduce_mean(tf.square(logits - labels), axis=1)

    def _metrics(self, labels, predictions, weights):
        return {}


def _class_ids(labels):
    return tf.reshape(tf.cast(labels, tf.int64), [-1])


def classifier_head(n_classes, weight_column_name):
    if not (isinstance(n_classes, int) and n_classes >= 2):
        raise ValueError('n_classes must be > 1 for classification: %s.' % (n_classes,))
    if n_classes == 2:
        return _BinaryHead(weight_column_name)
    return _MultiClassHead(n_classes, weight_column_name)
