"""tf.contrib.learn's heads (TF 1.x's contrib/learn/python/learn/estimators/head.py), which
its canned estimators end in: predictions, the loss (the batch mean, weighted by the
feature `weight_column_name`), the train op and the evaluation metrics, by mode.

    classifier_head(n_classes, weight_column_name)   a sigmoid for two classes, a softmax
    RegressionHead(label_dimension, weight_column_name)   mean squared error

and, for model_fns of TF 1.1-1.15, the public API: multi_class_head, regression_head, a
head's create_model_fn_ops(features, mode, labels, train_op_fn, logits | logits_input),
no_op_train_fn, and the PredictionKey, MetricKey and ProblemType names.
"""
import tensorflow.compat.v1 as tf

from tf1.contrib_learn import ModeKeys
from tf1.contrib_learn_estimator import ModelFnOps
from tf1.unsupported import UnsupportedApiError


class _Head(object):
    """What follows the logits: predictions, the loss (weighted by the feature
    `weight_column_name`), the train op and the evaluation metrics, by mode."""

    def __init__(self, logits_dimension, weight_column_name):
        self.logits_dimension = logits_dimension
        self._weight_column_name = weight_column_name

    def create_model_fn_ops(self, features, mode, labels=None, train_op_fn=None, logits=None,
                            logits_input=None, scope=None):
        """TF 1.x's public entry: the ModelFnOps for `mode`, from `logits` or from a linear
        layer on `logits_input`; `train_op_fn(loss)` makes the train op."""
        if (logits is None) == (logits_input is None):
            raise ValueError('Both logits and logits_input supplied.' if logits is not None
                             else 'Neither logits nor logits_input supplied.')
        with tf.variable_scope(scope, default_name=self.head_name or 'head'):
            if logits is None:   # TF 1.x's layers.linear, scope 'logits'
                from tf1.contrib_layers import linear
                logits = linear(logits_input, self.logits_dimension, scope='logits')
            if isinstance(labels, dict) and self._label_name is not None:
                labels = labels[self._label_name]
            return self.model_fn_ops(features, labels, mode, train_op_fn or no_op_train_fn,
                                     logits)

    head_name = None
    _label_name = None

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


def no_op_train_fn(loss):
    del loss
    return tf.no_op()


# ---------------------------------------------------------------------------- public heads

Head = _Head


class ProblemType(object):
    """contrib.learn's constants.ProblemType."""
    UNSPECIFIED = 0
    CLASSIFICATION = 1
    LINEAR_REGRESSION = 2
    LOGISTIC_REGRESSION = 3


class PredictionKey(object):
    """contrib.learn's prediction_key.PredictionKey: the heads' prediction names."""
    CLASSES = 'classes'
    PROBABILITIES = 'probabilities'
    LOGITS = 'logits'
    LOGISTIC = 'logistic'
    SCORES = 'scores'
    TOP_K = 'top_k'
    GENERIC = 'output'


class MetricKey(object):
    """contrib.learn's metric_key.MetricKey: the heads' metric names."""
    LOSS = 'loss'
    AUC = 'auc'
    AUC_PR = 'auc_precision_recall'
    CLASS_AUC = 'auc/class%d'
    CLASS_AUC_PR = 'auc_precision_recall/class%d'
    PREDICTION_MEAN = 'labels/prediction_mean'
    CLASS_PREDICTION_MEAN = 'labels/prediction_mean/class%d'
    CLASS_LOGITS_MEAN = 'labels/logits_mean/class%d'
    CLASS_PROBABILITY_MEAN = 'labels/probability_mean/class%d'
    LABEL_MEAN = 'labels/actual_label_mean'
    CLASS_LABEL_MEAN = 'labels/actual_label_mean/class%d'
    ACCURACY = 'accuracy'
    ACCURACY_BASELINE = 'accuracy/baseline_label_mean'
    ACCURACY_MEAN = 'accuracy/threshold_%f_mean'
    PRECISION_MEAN = 'precision/positive_threshold_%f_mean'
    RECALL_MEAN = 'recall/positive_threshold_%f_mean'


def _refuse(function, **arguments):
    given = sorted(name for name, value in arguments.items() if value)
    if given:
        raise UnsupportedApiError('tf.contrib.learn.%s: tf1 does not take %s; write the '
                                  'loss and metrics in a model_fn' % (function,
                                                                       ', '.join(given)))


def _named(head, label_name, head_name):
    head._label_name, head.head_name = label_name, head_name
    return head


def multi_class_head(n_classes, label_name=None, weight_column_name=None,
                     enable_centered_bias=False, head_name=None, thresholds=None,
                     metric_class_ids=None, loss_fn=None, label_keys=None):
    """A softmax over n_classes (a sigmoid for 2), as TF 1.1-1.15's contrib.learn made it."""
    _refuse('multi_class_head', enable_centered_bias=enable_centered_bias,
            thresholds=thresholds, metric_class_ids=metric_class_ids, loss_fn=loss_fn,
            label_keys=label_keys)
    return _named(classifier_head(n_classes, weight_column_name), label_name, head_name)


def regression_head(label_name=None, weight_column_name=None, label_dimension=1,
                    enable_centered_bias=False, head_name=None, link_fn=None):
    """Mean squared error on label_dimension values."""
    _refuse('regression_head', enable_centered_bias=enable_centered_bias, link_fn=link_fn)
    return _named(RegressionHead(label_dimension, weight_column_name), label_name, head_name)


def _not_provided(name):
    def head(*args, **kwargs):
        raise UnsupportedApiError('tf.contrib.learn.%s (TF 1.x) is not provided by tf1, which '
                                  'has multi_class_head and regression_head: write the loss '
                                  'and metrics in a model_fn' % name)
    return head


binary_svm_head = _not_provided('binary_svm_head')
poisson_regression_head = _not_provided('poisson_regression_head')
multi_label_head = _not_provided('multi_label_head')
multi_head = _not_provided('multi_head')
loss_only_head = _not_provided('loss_only_head')
