"""TF 1.x's canned heads (tensorflow_estimator's canned/head.py): from a model's logits to
its EstimatorSpec - predictions, exports, loss, evaluation metrics, train op.

    Head                                 the interface: name, logits_dimension,
                                         create_loss, create_estimator_spec
    classification_head(n_classes, ...)  a sigmoid on one logit for two classes (binary
                                         head), a softmax over n_classes otherwise
    RegressionHead(label_dimension, ...) squared error, or a loss_fn and inverse_link_fn

As in TF 1.x: the loss is summed over the batch by default (loss_reduction=SUM); a
`weight_column` (a feature name or numeric column) weights each example's loss and its
metrics; `label_vocabulary` lets classifiers take string labels; a `loss_fn(labels,
logits[, features])` replaces the loss per example; a named head suffixes its metrics and
summaries (`accuracy/NAME`); the training summaries are `loss` and `average_loss`; the
SavedModel signatures are 'serving_default' (classify, or regress for a regressor),
'classification'/'regression' and 'predict'. contrib_estimator_head.py makes these heads
with tf.contrib.estimator's defaults."""
import collections

import tensorflow.compat.v1 as tf
from tensorflow.python.ops import lookup_ops

from tf1.estimator_core import arg_names
from tf1.estimator_export import ClassificationOutput, PredictOutput, RegressionOutput
from tf1.estimator_head_labels import check_logits, checked_labels, in_class_range, label_ids
from tf1.estimator_spec import EstimatorSpec, ModeKeys


LossSpec = collections.namedtuple(
    'LossSpec', ['training_loss', 'unreduced_loss', 'weights', 'processed_labels'])


class Head(object):
    """TF 1.x's head interface, shared by its heads: `name`, `logits_dimension`,
    `create_loss` and `create_estimator_spec`. A subclass says how labels are read
    (`_processed_labels`), what the loss is per example (`_unreduced_loss`), and what it
    predicts, exports (`_predictions`) and measures (`_metrics`)."""

    def __init__(self, logits_dimension, weight_column, loss_reduction, loss_fn=None,
                 name=None, labels_dimension=1):
        if loss_reduction not in tf.losses.Reduction.all() or (
                loss_reduction == tf.losses.Reduction.NONE):
            raise ValueError('Invalid loss_reduction: {}'.format(loss_reduction))
        if loss_fn is not None:
            check_loss_fn_args(loss_fn)
        self.logits_dimension = logits_dimension
        self.name = name
        self._weight_column = weight_column
        self._loss_reduction = loss_reduction
        self._loss_fn = loss_fn
        self._labels_dimension = labels_dimension

    def create_loss(self, features, mode, logits, labels):
        """LossSpec(training_loss, unreduced_loss, weights, processed_labels)."""
        logits = check_logits(logits, self.logits_dimension)
        labels = self._labels(labels, logits)
        if self._loss_fn is not None:
            unreduced_loss = _call_loss_fn(self._loss_fn, labels, logits, features,
                                           self._loss_dimension())
        else:
            unreduced_loss = self._unreduced_loss(labels, logits)
        weights = self._weights(features, logits)
        training_loss = tf.losses.compute_weighted_loss(unreduced_loss, weights=weights,
                                                        reduction=self._loss_reduction)
        return LossSpec(training_loss, unreduced_loss, weights, labels)

    def create_estimator_spec(self, features, mode, logits, labels=None, optimizer=None,
                              train_op_fn=None, regularization_losses=None):
        """The EstimatorSpec for `mode`. Training minimizes the loss (plus
        `regularization_losses`) with `optimizer`, or with the op `train_op_fn(loss)`."""
        with tf.name_scope(self.name, 'head'):
            logits = check_logits(logits, self.logits_dimension)
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
            training_loss, unreduced_loss, weights, labels = self.create_loss(
                features, mode, logits, labels)
            regularization = (tf.add_n(regularization_losses) if regularization_losses
                              else None)
            loss = training_loss if regularization is None else training_loss + regularization
            if mode == ModeKeys.EVAL:
                with tf.name_scope('metrics'):
                    metrics = self._metrics(labels, predictions,
                                            None if self._weight_column is None else weights,
                                            unreduced_loss)
                    if regularization is not None:
                        metrics['regularization_loss'] = tf.metrics.mean(
                            regularization, name='regularization_loss')
                return EstimatorSpec(mode, predictions=predictions, loss=loss,
                                     eval_metric_ops={self._key(key): value
                                                      for key, value in metrics.items()})
            train_op = _train_op(loss, optimizer, train_op_fn)
            if self._loss_reduction == tf.losses.Reduction.SUM:
                # TF 1.x's `head/truediv`, which scripts log by name.
                mean_loss = training_loss / tf.reduce_sum(
                    weights * tf.ones_like(unreduced_loss))
        with tf.name_scope(''):
            tf.summary.scalar(self._key('loss'), loss)
            if self._loss_reduction == tf.losses.Reduction.SUM:
                tf.summary.scalar(self._key('average_loss'), mean_loss)
            if regularization is not None:
                tf.summary.scalar(self._key('regularization_loss'), regularization)
        return EstimatorSpec(mode, predictions=predictions, loss=loss, train_op=train_op)

    def _labels(self, labels, logits):
        """The labels as the loss takes them, checked against the logits."""
        return self._processed_labels(checked_labels(labels, logits, self._labels_dimension))

    def _key(self, key):
        """A metric's or summary's name: `accuracy`, or `accuracy/HEAD` for a named head."""
        return key if self.name is None else '%s/%s' % (key, self.name)

    def _loss_dimension(self):
        return 1

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


class BinaryHead(Head):
    """Two classes: one logit, a sigmoid cross-entropy, TF 1.x's binary metrics (and
    accuracy, precision and recall at each of `thresholds`)."""

    def __init__(self, weight_column, label_vocabulary, loss_reduction, thresholds=(),
                 loss_fn=None, name=None):
        check_thresholds(thresholds)
        super(BinaryHead, self).__init__(1, weight_column, loss_reduction, loss_fn, name)
        self._vocabulary = label_vocabulary
        self._thresholds = tuple(thresholds)

    def _predictions(self, logits):
        # TF 1.15's ops in its order, so that the tensors have its names (the class ids are
        # head/predictions/ExpandDims:0, which freezing scripts name as an output).
        logistic = tf.sigmoid(logits, name='logistic')
        two_class_logits = tf.concat([tf.zeros_like(logits), logits], axis=-1,
                                     name='two_class_logits')
        probabilities = tf.nn.softmax(two_class_logits, name='probabilities')
        class_ids = tf.expand_dims(tf.argmax(two_class_logits, axis=-1, name='class_ids'),
                                   axis=-1)
        predictions = dict(_class_predictions(logits, class_ids,
                                              _all_classes(logits, 2, self._vocabulary),
                                              self._vocabulary),
                           logistic=logistic, probabilities=probabilities)
        classify = classification_output(probabilities, 2, self._vocabulary)
        return predictions, {'serving_default': classify, 'classification': classify,
                             'regression': RegressionOutput(value=logistic),
                             'predict': PredictOutput(predictions)}

    def _processed_labels(self, labels):
        # 0/1 labels of any type that casts (int, bool, float), as TF 1.x took them.
        if self._vocabulary is None:
            return in_class_range(tf.cast(labels, tf.float32), 2)
        return tf.cast(label_ids(labels, 2, self._vocabulary), tf.float32)

    def _unreduced_loss(self, labels, logits):
        return tf.nn.sigmoid_cross_entropy_with_logits(labels=labels, logits=logits)

    def _metrics(self, labels, predictions, weights, unreduced_loss):
        logistic, class_ids = predictions['logistic'], predictions['class_ids']
        per_example = broadcast(weights, logistic)
        label_mean = tf.metrics.mean(labels, weights=per_example, name='label/mean')
        with tf.name_scope('accuracy_baseline'):
            # The best accuracy of always answering one class.
            baseline = tuple(tf.maximum(value, 1. - value) for value in label_mean)
        metrics = {
            'average_loss': tf.metrics.mean(unreduced_loss, weights=weights,
                                            name='average_loss'),
            'accuracy': tf.metrics.accuracy(labels, class_ids, weights, name='accuracy'),
            'precision': tf.metrics.precision(labels, class_ids, weights, name='precision'),
            'recall': tf.metrics.recall(labels, class_ids, weights, name='recall'),
            'prediction/mean': tf.metrics.mean(logistic, weights=per_example,
                                               name='prediction/mean'),
            'label/mean': label_mean,
            'accuracy_baseline': baseline,
            'auc': tf.metrics.auc(labels, logistic, per_example, name='auc'),
            'auc_precision_recall': tf.metrics.auc(labels, logistic, per_example, curve='PR',
                                                   name='auc_precision_recall'),
        }
        metrics.update(threshold_metrics(labels, logistic, weights, self._thresholds))
        return metrics


class MultiClassHead(Head):
    """n_classes > 2: one logit per class, a softmax cross-entropy."""

    def __init__(self, n_classes, weight_column, label_vocabulary, loss_reduction,
                 loss_fn=None, name=None):
        super(MultiClassHead, self).__init__(n_classes, weight_column, loss_reduction,
                                              loss_fn, name)
        self._vocabulary = label_vocabulary

    def _predictions(self, logits):
        # TF 1.15's ops in its order, as BinaryHead's (the class ids are
        # head/predictions/ExpandDims_2:0).
        n_classes = self.logits_dimension
        all_classes = _all_classes(logits, n_classes, self._vocabulary)
        class_ids = tf.expand_dims(tf.argmax(logits, axis=-1, name='class_ids'), axis=-1)
        classes = _class_predictions(logits, class_ids, all_classes, self._vocabulary)
        probabilities = tf.nn.softmax(logits, name='probabilities')
        predictions = dict(classes, probabilities=probabilities)
        classify = classification_output(probabilities, n_classes, self._vocabulary)
        return predictions, {'serving_default': classify, 'classification': classify,
                             'predict': PredictOutput(predictions)}

    def _processed_labels(self, labels):
        return label_ids(labels, self.logits_dimension, self._vocabulary)

    def _unreduced_loss(self, labels, logits):
        losses = tf.losses.sparse_softmax_cross_entropy(labels, logits,
                                                        reduction=tf.losses.Reduction.NONE)
        return tf.expand_dims(losses, axis=-1)

    def _metrics(self, labels, predictions, weights, unreduced_loss):
        return {'average_loss': tf.metrics.mean(unreduced_loss, weights=weights,
                                                name='average_loss'),
                'accuracy': tf.metrics.accuracy(labels, predictions['class_ids'], weights,
                                                name='accuracy')}


class RegressionHead(Head):
    """`label_dimension` real values per example: squared error by default; with an
    `inverse_link_fn` the predictions are inverse_link_fn(logits)."""

    def __init__(self, label_dimension=1, weight_column=None,
                 loss_reduction=tf.losses.Reduction.SUM, loss_fn=None, inverse_link_fn=None,
                 name=None):
        if not (isinstance(label_dimension, int) and label_dimension >= 1):
            raise ValueError('Invalid label_dimension %s.' % (label_dimension,))
        super(RegressionHead, self).__init__(label_dimension, weight_column, loss_reduction,
                                             loss_fn, name, labels_dimension=label_dimension)
        self._inverse_link_fn = inverse_link_fn

    def _predictions(self, logits):
        if self._inverse_link_fn is None:
            predictions = {'predictions': logits}
        else:
            predictions = {'predictions': self._inverse_link_fn(logits), 'logits': logits}
        regress = RegressionOutput(value=predictions['predictions'])
        return predictions, {'serving_default': regress, 'regression': regress,
                             'predict': PredictOutput(predictions)}

    def _processed_labels(self, labels):
        return tf.cast(labels, tf.float32)

    def _unreduced_loss(self, labels, logits):
        return tf.losses.mean_squared_error(labels, logits, reduction=tf.losses.Reduction.NONE)

    def _loss_dimension(self):
        return self.logits_dimension

    def _metrics(self, labels, predictions, weights, unreduced_loss):
        weights = broadcast(weights, labels)
        return {'average_loss': tf.metrics.mean(unreduced_loss, weights=weights),
                'prediction/mean': tf.metrics.mean(predictions['predictions'], weights=weights,
                                                   name='prediction/mean'),
                'label/mean': tf.metrics.mean(labels, weights=weights)}


def classification_head(n_classes, weight_column=None, label_vocabulary=None,
                        loss_reduction=tf.losses.Reduction.SUM, loss_fn=None, name=None):
    """TF 1.x's binary head for two classes, its multi-class head for more."""
    if not (isinstance(n_classes, int) and n_classes > 1):
        raise ValueError('n_classes must be > 1: {}'.format(n_classes))
    check_vocabulary(label_vocabulary, n_classes)
    if n_classes == 2:
        return BinaryHead(weight_column, label_vocabulary, loss_reduction, loss_fn=loss_fn,
                           name=name)
    return MultiClassHead(n_classes, weight_column, label_vocabulary, loss_reduction,
                           loss_fn, name)


def check_vocabulary(label_vocabulary, n_classes):
    """A label vocabulary is a list or tuple of n_classes names (or None)."""
    if label_vocabulary is not None:
        if not isinstance(label_vocabulary, (list, tuple)):
            raise ValueError('label_vocabulary should be a list or a tuple. Given type: '
                             '{}'.format(type(label_vocabulary)))
        if len(label_vocabulary) != n_classes:
            raise ValueError('label_vocabulary has {} entries for n_classes={}'.format(
                len(label_vocabulary), n_classes))


def _train_op(loss, optimizer, train_op_fn):
    """The train op from an optimizer or a train_op_fn (exactly one), with the graph's
    UPDATE_OPS (batch normalisation's moving averages), as in TF 1.x."""
    if (optimizer is None) == (train_op_fn is None):
        raise ValueError('train_op_fn and optimizer cannot both be {}.'.format(
            'None' if optimizer is None else 'set'))
    if optimizer is not None:
        train_op = optimizer.minimize(loss, global_step=tf.train.get_global_step())
    else:
        train_op = train_op_fn(loss)
    update_ops = tf.get_collection(tf.GraphKeys.UPDATE_OPS)
    return tf.group(train_op, *update_ops) if update_ops else train_op


def check_loss_fn_args(loss_fn):
    arguments = tuple(arg_names(loss_fn))  # in order, as TF 1.x's message gave them
    for required in ('labels', 'logits'):
        if required not in arguments:
            raise ValueError('loss_fn must contain argument: {}. Given arguments: {}'.format(
                required, arguments))
    unexpected = sorted(set(arguments) - {'labels', 'logits', 'features'})
    if unexpected:
        raise ValueError('loss_fn has unexpected args: {}'.format(unexpected))


def _call_loss_fn(loss_fn, labels, logits, features, dimension):
    """A user's loss_fn(labels, logits[, features]): one loss per example and dimension."""
    kwargs = {'features': features} if 'features' in arg_names(loss_fn) else {}
    with tf.name_scope('call_loss_fn'):
        loss = tf.convert_to_tensor(loss_fn(labels=labels, logits=logits, **kwargs))
        check = tf.assert_equal(tf.shape(loss), tf.concat([tf.shape(logits)[:1], [dimension]],
                                                          axis=0),
                                message='loss_fn must return Tensor of shape [D0, D1, ... DN, '
                                        '{}]. '.format(dimension))
        with tf.control_dependencies([check]):
            return tf.identity(loss)


def check_thresholds(thresholds):
    """The probability thresholds of threshold_metrics lie in (0, 1)."""
    for threshold in thresholds:
        if not 0 < threshold < 1:
            raise ValueError('thresholds not in (0, 1): {}.'.format(thresholds))


def threshold_metrics(labels, probabilities, weights, thresholds):
    """Accuracy, precision and recall of answering "positive" at each probability
    threshold: TF 1.x's `accuracy/positive_threshold_0.5` and its two siblings."""
    metrics = {}
    weights = broadcast(weights, probabilities)
    for threshold in thresholds:
        positive = tf.cast(probabilities >= threshold, tf.float32)
        metrics['accuracy/positive_threshold_%g' % threshold] = tf.metrics.accuracy(
            labels, positive, weights, name='accuracy_at_%g' % threshold)
        for key, metric in (('precision', tf.metrics.precision_at_thresholds),
                            ('recall', tf.metrics.recall_at_thresholds)):
            value, update = metric(labels, probabilities, [threshold], weights,
                                   name='%s_at_%g' % (key, threshold))
            metrics['%s/positive_threshold_%g' % (key, threshold)] = (tf.squeeze(value),
                                                                      tf.squeeze(update))
    return metrics


def _all_classes(logits, n_classes, vocabulary):
    """(all_class_ids, all_classes): every class's id and name, once per example."""
    return (_per_example(tf.range(n_classes), logits),
            _per_example(_class_names(n_classes, vocabulary), logits))


def _class_predictions(logits, class_ids, all_classes, vocabulary):
    """The predictions every classifier gives: logits, class ids and names, all classes."""
    if vocabulary:
        classes = lookup_ops.index_to_string_table_from_tensor(
            vocabulary, name='class_string_lookup').lookup(class_ids)
    else:
        classes = tf.as_string(class_ids, name='str_classes')
    all_class_ids, all_class_names = all_classes
    return {'logits': logits, 'class_ids': class_ids, 'classes': classes,
            'all_class_ids': all_class_ids, 'all_classes': all_class_names}


def classification_output(probabilities, n_classes, vocabulary):
    return ClassificationOutput(scores=probabilities, classes=_per_example(
        _class_names(n_classes, vocabulary), probabilities))


def _class_names(n_classes, vocabulary):
    """The classes' names: the vocabulary, or the ids as strings."""
    return vocabulary or tf.as_string(tf.range(n_classes))


def _per_example(row, batch):
    """`row` once per example of `batch`, with TF 1.15's ops (their ExpandDims count)."""
    return tf.tile(tf.expand_dims(row, axis=0), [tf.shape(batch)[0], 1])


def broadcast(weights, values):
    """Weights one per value (None stays None)."""
    return None if weights is None else weights * tf.ones_like(values)
