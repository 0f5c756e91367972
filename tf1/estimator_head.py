"""TF 1.x's canned heads (tensorflow_estimator's canned/head.py): from a premade model's
logits to its EstimatorSpec - predictions, exports, loss, evaluation metrics, train op.

    classification_head(n_classes, ...)  a sigmoid on one logit for two classes (binary
                                         head), a softmax over n_classes otherwise
    RegressionHead(label_dimension, ...) the logits are the predictions; squared error

As in TF 1.x: the loss is summed over the batch by default (loss_reduction=SUM); a
`weight_column` (a feature name or numeric column) weights each example's loss and its
metrics; `label_vocabulary` lets classifiers take string labels; the training summaries
are `loss` and `average_loss`; the SavedModel signatures are 'serving_default' (classify,
or regress for a regressor), 'classification'/'regression' and 'predict'.
"""
import tensorflow.compat.v1 as tf
from tensorflow.python.ops import lookup_ops

from tf1.estimator_export import ClassificationOutput, PredictOutput, RegressionOutput
from tf1.estimator_spec import EstimatorSpec, ModeKeys


class _Head(object):
    """What the three heads share: the spec for each mode, the weights, the summaries."""

    def __init__(self, logits_dimension, weight_column, loss_reduction, labels_dimension=1):
        self.logits_dimension = logits_dimension
        self._labels_dimension = labels_dimension
        self._weight_column = weight_column
        self._loss_reduction = loss_reduction

    def create_estimator_spec(self, features, mode, logits, labels=None, train_op_fn=None):
        """The EstimatorSpec for `mode`; `train_op_fn(loss)` makes the train op."""
        with tf.name_scope('head'):
            logits = _check_logits(logits, self.logits_dimension)
            with tf.name_scope('predictions'):
                predictions, export_outputs = self._predictions(logits)
            if mode == ModeKeys.PREDICT:
                return EstimatorSpec(mode, predictions=predictions,
                                     export_outputs=export_outputs)
            if labels is None:
                raise ValueError('You must provide a labels Tensor. Given: None. Suggested '
                                 'troubleshooting steps: Check that your data contain your '
                                 'label feature. Check that your input_fn properly parses '
                                 'and returns labels.')
            labels = self._processed_labels(
                _checked_labels(labels, logits, self._labels_dimension))
            unreduced_loss = self._unreduced_loss(labels, logits)
            weights = self._weights(features, logits)
            loss = tf.losses.compute_weighted_loss(unreduced_loss, weights=weights,
                                                   reduction=self._loss_reduction)
            if mode == ModeKeys.EVAL:
                with tf.name_scope('metrics'):
                    metrics = self._metrics(labels, predictions, weights, unreduced_loss)
                return EstimatorSpec(mode, predictions=predictions, loss=loss,
                                     eval_metric_ops=metrics)
            train_op = train_op_fn(loss)
            # Batch normalisation's moving averages update with each step, as in TF 1.x.
            update_ops = tf.get_collection(tf.GraphKeys.UPDATE_OPS)
            if update_ops:
                train_op = tf.group(train_op, *update_ops)
            weight_sum = tf.reduce_sum(weights * tf.ones_like(unreduced_loss))
        with tf.name_scope(''):
            tf.summary.scalar('loss', loss)
            if self._loss_reduction == tf.losses.Reduction.SUM:
                tf.summary.scalar('average_loss', loss / weight_sum)
        return EstimatorSpec(mode, predictions=predictions, loss=loss, train_op=train_op)

    def _weights(self, features, logits):
        """Each example's weight, shaped [batch, 1]; 1. without a weight column."""
        if self._weight_column is None:
            return 1.
        column = self._weight_column
        if isinstance(column, str):
            column = tf.feature_column.numeric_column(column, shape=(1,))
        with tf.name_scope('weights'):
            weights = tf.feature_column.input_layer(features, [column])
            weights = tf.cast(weights, tf.float32, name='weights')
            check = tf.assert_equal(tf.shape(logits)[:1], tf.shape(weights)[:1],
                                    message='weights shape must be [D0] or [D0, 1]')
            with tf.control_dependencies([check]):
                return tf.identity(weights)


class _BinaryHead(_Head):
    """Two classes: one logit, a sigmoid cross-entropy, TF 1.x's nine binary metrics."""

    def __init__(self, weight_column, label_vocabulary, loss_reduction):
        super(_BinaryHead, self).__init__(1, weight_column, loss_reduction)
        self._vocabulary = label_vocabulary

    def _predictions(self, logits):
        logistic = tf.sigmoid(logits, name='logistic')
        probabilities = tf.concat([1 - logistic, logistic], axis=1, name='probabilities')
        class_ids = tf.argmax(tf.concat([tf.zeros_like(logits), logits], axis=1), axis=1)
        class_ids = tf.expand_dims(class_ids, axis=-1, name='class_ids')
        predictions = dict(_class_predictions(logits, class_ids, 2, self._vocabulary),
                           logistic=logistic, probabilities=probabilities)
        classify = _classification_output(probabilities, 2, self._vocabulary)
        return predictions, {'serving_default': classify, 'classification': classify,
                             'regression': RegressionOutput(value=logistic),
                             'predict': PredictOutput(predictions)}

    def _processed_labels(self, labels):
        return tf.cast(_label_ids(labels, 2, self._vocabulary), tf.float32)

    def _unreduced_loss(self, labels, logits):
        return tf.nn.sigmoid_cross_entropy_with_logits(labels=labels, logits=logits)

    def _metrics(self, labels, predictions, weights, unreduced_loss):
        logistic, class_ids = predictions['logistic'], predictions['class_ids']
        weights = None if self._weight_column is None else weights
        label_mean = tf.metrics.mean(labels, weights=_broadcast(weights, labels),
                                     name='label/mean')
        with tf.name_scope('accuracy_baseline'):
            # The best accuracy of always answering one class.
            baseline = tuple(tf.maximum(value, 1. - value) for value in label_mean)
        metrics = {
            'average_loss': tf.metrics.mean(unreduced_loss, weights=weights,
                                            name='average_loss'),
            'accuracy': tf.metrics.accuracy(labels, class_ids, weights, name='accuracy'),
            'precision': tf.metrics.precision(labels, class_ids, weights, name='precision'),
            'recall': tf.metrics.recall(labels, class_ids, weights, name='recall'),
            'prediction/mean': tf.metrics.mean(logistic, weights=_broadcast(weights, logistic),
                                               name='prediction/mean'),
            'label/mean': label_mean,
            'accuracy_baseline': baseline,
            'auc': tf.metrics.auc(labels, logistic, _broadcast(weights, logistic), name='auc'),
            'auc_precision_recall': tf.metrics.auc(labels, logistic,
                                                   _broadcast(weights, logistic), curve='PR',
                                                   name='auc_precision_recall'),
        }
        return metrics


class _MultiClassHead(_Head):
    """n_classes > 2: one logit per class, a softmax cross-entropy."""

    def __init__(self, n_classes, weight_column, label_vocabulary, loss_reduction):
        super(_MultiClassHead, self).__init__(n_classes, weight_column, loss_reduction)
        self._vocabulary = label_vocabulary

    def _predictions(self, logits):
        n_classes = self.logits_dimension
        class_ids = tf.expand_dims(tf.argmax(logits, axis=-1), axis=-1, name='class_ids')
        probabilities = tf.nn.softmax(logits, name='probabilities')
        predictions = dict(_class_predictions(logits, class_ids, n_classes, self._vocabulary),
                           probabilities=probabilities)
        classify = _classification_output(probabilities, n_classes, self._vocabulary)
        return predictions, {'serving_default': classify, 'classification': classify,
                             'predict': PredictOutput(predictions)}

    def _processed_labels(self, labels):
        return _label_ids(labels, self.logits_dimension, self._vocabulary)

    def _unreduced_loss(self, labels, logits):
        losses = tf.losses.sparse_softmax_cross_entropy(labels, logits,
                                                        reduction=tf.losses.Reduction.NONE)
        return tf.expand_dims(losses, axis=-1)

    def _metrics(self, labels, predictions, weights, unreduced_loss):
        weights = None if self._weight_column is None else weights
        return {'average_loss': tf.metrics.mean(unreduced_loss, weights=weights,
                                                name='average_loss'),
                'accuracy': tf.metrics.accuracy(labels, predictions['class_ids'], weights,
                                                name='accuracy')}


class RegressionHead(_Head):
    """`label_dimension` real values per example, squared error."""

    def __init__(self, label_dimension=1, weight_column=None,
                 loss_reduction=tf.losses.Reduction.SUM):
        if not (isinstance(label_dimension, int) and label_dimension >= 1):
            raise ValueError('Invalid label_dimension %s.' % (label_dimension,))
        super(RegressionHead, self).__init__(label_dimension, weight_column, loss_reduction,
                                             labels_dimension=label_dimension)

    def _predictions(self, logits):
        predictions = {'predictions': logits}
        regress = RegressionOutput(value=logits)
        return predictions, {'serving_default': regress, 'regression': regress,
                             'predict': PredictOutput(predictions)}

    def _processed_labels(self, labels):
        return tf.cast(labels, tf.float32)

    def _unreduced_loss(self, labels, logits):
        return tf.losses.mean_squared_error(labels, logits, reduction=tf.losses.Reduction.NONE)

    def _metrics(self, labels, predictions, weights, unreduced_loss):
        weights = None if self._weight_column is None else _broadcast(weights, labels)
        return {'average_loss': tf.metrics.mean(unreduced_loss, weights=weights),
                'prediction/mean': tf.metrics.mean(predictions['predictions'], weights=weights,
                                                   name='prediction/mean'),
                'label/mean': tf.metrics.mean(labels, weights=weights)}


def classification_head(n_classes, weight_column=None, label_vocabulary=None,
                        loss_reduction=tf.losses.Reduction.SUM):
    """TF 1.x's binary head for two classes, its multi-class head for more."""
    if not (isinstance(n_classes, int) and n_classes > 1):
        raise ValueError('n_classes must be > 1: {}'.format(n_classes))
    if label_vocabulary is not None:
        if not isinstance(label_vocabulary, (list, tuple)):
            raise ValueError('label_vocabulary should be a list or a tuple. Given type: '
                             '{}'.format(type(label_vocabulary)))
        if len(label_vocabulary) != n_classes:
            raise ValueError('label_vocabulary has {} entries for n_classes={}'.format(
                len(label_vocabulary), n_classes))
    if n_classes == 2:
        return _BinaryHead(weight_column, label_vocabulary, loss_reduction)
    return _MultiClassHead(n_classes, weight_column, label_vocabulary, loss_reduction)


def _check_logits(logits, dimension):
    logits = tf.convert_to_tensor(logits)
    if logits.shape.ndims is not None and logits.shape[-1] not in (None, dimension):
        raise ValueError('logits shape must be [D0, D1, ... DN, logits_dimension], got %s.'
                         % logits.shape)
    return logits


def _checked_labels(labels, logits, dimension):
    """Labels shaped [batch, dimension] for the logits' batch ([batch] if dimension is 1)."""
    if isinstance(labels, tf.SparseTensor):
        raise ValueError('SparseTensor labels are not supported: give dense labels.')
    labels = tf.convert_to_tensor(labels)
    if labels.shape.ndims == 1 and dimension == 1:
        labels = tf.expand_dims(labels, -1)
    if labels.shape.ndims is not None and (
            labels.shape.ndims != 2 or labels.shape[-1] not in (None, dimension)):
        raise ValueError('Mismatched label shape. Expected labels dimension=%s. Received %s.'
                         % (dimension, labels.shape))
    check = tf.assert_equal(tf.shape(labels)[:1], tf.shape(logits)[:1],
                            message='labels and logits must have the same batch size')
    with tf.control_dependencies([check]):
        return tf.identity(labels, name='labels')


def _label_ids(labels, n_classes, vocabulary):
    """Integer class ids in [0, n_classes) from integer labels or vocabulary strings."""
    if vocabulary is None:
        if not labels.dtype.is_integer:
            raise ValueError('Labels dtype should be integer. Instead got {}.'.format(
                labels.dtype))
        ids = labels
    else:
        if labels.dtype != tf.string:
            raise ValueError('Labels dtype should be string if there is a vocabulary. '
                             'Instead got {}'.format(labels.dtype))
        ids = lookup_ops.index_table_from_tensor(tuple(vocabulary),
                                                name='class_id_lookup').lookup(labels)
    checks = [tf.assert_less(ids, tf.cast(n_classes, ids.dtype),
                             message='Labels must be <= n_classes - 1'),
              tf.assert_non_negative(ids, message='Labels must be >= 0')]
    with tf.control_dependencies(checks):
        return tf.identity(ids)


def _class_predictions(logits, class_ids, n_classes, vocabulary):
    """The predictions every classifier gives: logits, class ids and names, all classes."""
    if vocabulary:
        classes = lookup_ops.index_to_string_table_from_tensor(
            vocabulary, name='class_string_lookup').lookup(class_ids)
    else:
        classes = tf.as_string(class_ids, name='str_classes')
    return {'logits': logits, 'class_ids': class_ids, 'classes': classes,
            'all_class_ids': _per_example(tf.range(n_classes), logits),
            'all_classes': _per_example(_class_names(n_classes, vocabulary), logits)}


def _classification_output(probabilities, n_classes, vocabulary):
    return ClassificationOutput(scores=probabilities, classes=_per_example(
        _class_names(n_classes, vocabulary), probabilities))


def _class_names(n_classes, vocabulary):
    """The classes' names: the vocabulary, or the ids as strings."""
    return tf.constant(vocabulary) if vocabulary else tf.as_string(tf.range(n_classes))


def _per_example(row, batch):
    """`row` repeated once per example of `batch`."""
    return tf.tile(row[tf.newaxis], tf.concat([tf.shape(batch)[:1], [1]], axis=0))


def _broadcast(weights, values):
    return None if weights is None else weights * tf.ones_like(values)
