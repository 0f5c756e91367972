"""TF 1.x's premade classifiers, DNNClassifier and LinearClassifier, on our Estimator.

Features come in through feature columns (tf.feature_column.numeric_column and friends),
as in TF 1.x. The classification head is TF 1.x's: a sigmoid on one logit for two
classes, a softmax otherwise; predictions 'logits', 'probabilities', 'class_ids' and
'classes' (plus 'logistic' for two classes); the loss summed over the batch by default
(loss_reduction); evaluation metrics 'accuracy' and 'average_loss' (plus 'auc',
'precision' and 'recall' for two classes).
"""
import math
import warnings

import tensorflow.compat.v1 as tf

from tf1.estimator_core import Estimator
from tf1.estimator_spec import EstimatorSpec, ModeKeys

_OPTIMIZERS = {'Adagrad': tf.train.AdagradOptimizer, 'Adam': tf.train.AdamOptimizer,
               'Ftrl': tf.train.FtrlOptimizer, 'RMSProp': tf.train.RMSPropOptimizer,
               'SGD': tf.train.GradientDescentOptimizer}
_DNN_LEARNING_RATE = 0.05     # TF 1.x's rate for an optimizer given by name
_LINEAR_LEARNING_RATE = 0.2   # TF 1.x's ceiling for LinearClassifier's default Ftrl


class DNNClassifier(Estimator):
    """A feed-forward network: `hidden_units` ReLU layers (by default), then the logits."""

    def __init__(self, hidden_units, feature_columns, model_dir=None, n_classes=2,
                 weight_column=None, label_vocabulary=None, optimizer='Adagrad',
                 activation_fn=tf.nn.relu, dropout=None, input_layer_partitioner=None,
                 config=None, warm_start_from=None, loss_reduction=tf.losses.Reduction.SUM,
                 batch_norm=False):
        _reject_unsupported('DNNClassifier', weight_column=weight_column,
                            label_vocabulary=label_vocabulary,
                            input_layer_partitioner=input_layer_partitioner,
                            batch_norm=batch_norm or None)
        _check_n_classes(n_classes)
        feature_columns = tuple(feature_columns)

        def model_fn(features, labels, mode, config):
            with tf.variable_scope('dnn'):
                net = tf.feature_column.input_layer(features, feature_columns)
                for index, units in enumerate(hidden_units):
                    with tf.variable_scope('hiddenlayer_%d' % index) as scope:
                        net = activation_fn(_dense(net, units))
                        if dropout is not None and mode == ModeKeys.TRAIN:
                            net = tf.nn.dropout(net, rate=dropout)
                    _layer_summaries(net, scope.name)
                with tf.variable_scope('logits') as scope:
                    logits = _dense(net, _logits_dimension(n_classes))
                _layer_summaries(logits, scope.name)
            return _classifier_spec(logits, labels, mode, n_classes, loss_reduction,
                                    lambda: _optimizer(optimizer, _DNN_LEARNING_RATE))

        super(DNNClassifier, self).__init__(model_fn, model_dir, config,
                                            warm_start_from=warm_start_from)


class LinearClassifier(Estimator):
    """Logistic (two classes) or softmax regression on the feature columns."""

    def __init__(self, feature_columns, model_dir=None, n_classes=2, weight_column=None,
                 label_vocabulary=None, optimizer='Ftrl', config=None, partitioner=None,
                 warm_start_from=None, loss_reduction=tf.losses.Reduction.SUM,
                 sparse_combiner='sum'):
        _reject_unsupported('LinearClassifier', weight_column=weight_column,
                            label_vocabulary=label_vocabulary, partitioner=partitioner)
        _check_n_classes(n_classes)
        feature_columns = tuple(feature_columns)
        # TF 1.x's default: Ftrl at a rate that shrinks as the number of columns grows.
        learning_rate = min(_LINEAR_LEARNING_RATE, 1.0 / math.sqrt(len(feature_columns)))

        def model_fn(features, labels, mode, config):
            with tf.variable_scope('linear'):
                logits = linear_model(features, feature_columns,
                                      units=_logits_dimension(n_classes),
                                      sparse_combiner=sparse_combiner)
            return _classifier_spec(logits, labels, mode, n_classes, loss_reduction,
                                    lambda: _optimizer(optimizer, learning_rate))

        super(LinearClassifier, self).__init__(model_fn, model_dir, config,
                                               warm_start_from=warm_start_from)


def _classifier_spec(logits, labels, mode, n_classes, loss_reduction, make_optimizer):
    """TF 1.x's classification head: predictions, loss, metrics and train_op for `mode`."""
    if n_classes == 2:
        logistic = tf.sigmoid(logits)
        probabilities = tf.concat([1 - logistic, logistic], axis=1)
        class_ids = tf.cast(logits > 0, tf.int64)
    else:
        probabilities = tf.nn.softmax(logits)
        class_ids = tf.expand_dims(tf.argmax(logits, axis=1), axis=1)
    predictions = {'logits': logits, 'probabilities': probabilities, 'class_ids': class_ids,
                   'classes': tf.as_string(class_ids)}
    if n_classes == 2:
        predictions['logistic'] = logistic
    if mode == ModeKeys.PREDICT:
        return EstimatorSpec(mode, predictions=predictions)
    labels = tf.reshape(tf.cast(labels, tf.int64), [-1, 1])
    if n_classes == 2:
        example_losses = tf.nn.sigmoid_cross_entropy_with_logits(
            labels=tf.cast(labels, logits.dtype), logits=logits)[:, 0]
    else:
        example_losses = tf.nn.sparse_softmax_cross_entropy_with_logits(
            labels=labels[:, 0], logits=logits)
    loss = tf.losses.compute_weighted_loss(example_losses, reduction=loss_reduction)
    if mode == ModeKeys.EVAL:
        metrics = {'accuracy': tf.metrics.accuracy(labels, class_ids),
                   'average_loss': tf.metrics.mean(example_losses)}
        if n_classes == 2:
            metrics.update(auc=tf.metrics.auc(labels, logistic),
                           precision=tf.metrics.precision(labels, class_ids),
                           recall=tf.metrics.recall(labels, class_ids))
        return EstimatorSpec(mode, predictions=predictions, loss=loss, eval_metric_ops=metrics)
    train_op = make_optimizer().minimize(loss, global_step=tf.train.get_global_step())
    return EstimatorSpec(mode, predictions=predictions, loss=loss, train_op=train_op)


def linear_model(features, feature_columns, **kwargs):
    """tf.feature_column.linear_model, without the warning TF 2.x's internal Keras layer
    prints for it on every call (`layer.add_variable` is deprecated); TF 1.x printed none."""
    with warnings.catch_warnings():
        warnings.filterwarnings('ignore', message='`layer.add_variable` is deprecated')
        return tf.feature_column.linear_model(features, feature_columns, **kwargs)


def _dense(inputs, units):
    """inputs @ kernel + bias, Glorot-uniform kernel and zero bias as TF 1.x's layers had."""
    kernel = tf.get_variable('kernel', [inputs.shape[1], units],
                             initializer=tf.glorot_uniform_initializer())
    bias = tf.get_variable('bias', [units], initializer=tf.zeros_initializer())
    return tf.matmul(inputs, kernel) + bias


def _layer_summaries(value, tag):
    """The two summaries TF 1.x's DNN wrote for every layer."""
    tf.summary.scalar('%s/fraction_of_zero_values' % tag, tf.nn.zero_fraction(value))
    tf.summary.histogram('%s/activation' % tag, value)


def _logits_dimension(n_classes):
    return 1 if n_classes == 2 else n_classes


def _check_n_classes(n_classes):
    if not (isinstance(n_classes, int) and n_classes > 1):
        raise ValueError('n_classes must be > 1: {}'.format(n_classes))


def _optimizer(optimizer, learning_rate):
    """An optimizer from a name ('Adagrad', 'Adam', 'Ftrl', 'RMSProp', 'SGD'), an
    instance, or a function returning one - as TF 1.x's premade estimators accepted."""
    if isinstance(optimizer, str):
        if optimizer not in _OPTIMIZERS:
            raise ValueError('Unsupported optimizer name: {}. Supported names are: {}'.format(
                optimizer, sorted(_OPTIMIZERS)))
        return _OPTIMIZERS[optimizer](learning_rate=learning_rate)
    if callable(optimizer) and not isinstance(optimizer, tf.train.Optimizer):
        optimizer = optimizer()
    if not isinstance(optimizer, tf.train.Optimizer):
        raise ValueError('The given object is not an Optimizer instance. Given: {}'.format(
            optimizer))
    return optimizer


def _reject_unsupported(estimator_name, **arguments):
    for name, value in sorted(arguments.items()):
        if value is not None:
            raise ValueError('%s(%s=...) is not supported by this tf.estimator: leave it unset'
                             % (estimator_name, name))
