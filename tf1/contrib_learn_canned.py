"""tf.contrib.learn's canned estimators, DNNClassifier, DNNRegressor, LinearClassifier and
LinearRegressor, as TF 1.0-1.3 taught them (`DNNClassifier(hidden_units=[300, 100],
feature_columns=infer_real_valued_columns_from_input(x), n_classes=10).fit(x, y)`).
Ported from TF 1.x's contrib/learn/python/learn/estimators dnn.py, linear.py and head.py
onto contrib_learn_estimator.Estimator: TF 1.x's variable names (dnn/hiddenlayer_0/
weights ...; linear/KEY/weight and linear/bias_weight for contrib's real-valued columns),
defaults (Adagrad at 0.05; Ftrl at min(0.2, 1/sqrt(columns))), losses (the batch mean;
evaluation's, the weighted average), predictions ('classes', 'probabilities', 'logits';
'scores') and evaluation metrics. A NumPy `x` is the feature "" (real_valued_column("")).
"""
import math

import tensorflow.compat.v1 as tf

from tf1 import contrib_framework, contrib_layers
from tf1.contrib_layers.feature_column import RealValuedColumn
from tf1.contrib_learn import ModeKeys
from tf1.contrib_learn_estimator import Estimator, ModelFnOps
from tf1.contrib_learn_feeder import input_and_feed_fn
from tf1.estimator_premade import linear_model

_ACTIVATIONS = {'relu': tf.nn.relu, 'tanh': tf.nn.tanh, 'sigmoid': tf.nn.sigmoid}
_DNN_LEARNING_RATE = 0.05    # "a historical artifact of the initial implementation" (TF 1.x)
_LINEAR_LEARNING_RATE = 0.2


# ---------------------------------------------------------------------------- heads

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


class _RegressionHead(_Head):
    """The logits as the scores; mean squared error."""

    def __init__(self, label_dimension, weight_column_name):
        super(_RegressionHead, self).__init__(label_dimension, weight_column_name)

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


def _classifier_head(n_classes, weight_column_name):
    if not (isinstance(n_classes, int) and n_classes >= 2):
        raise ValueError('n_classes must be > 1 for classification: %s.' % (n_classes,))
    if n_classes == 2:
        return _BinaryHead(weight_column_name)
    return _MultiClassHead(n_classes, weight_column_name)


# ---------------------------------------------------------------------------- model_fns

def _dnn_logits(features, mode, head, hidden_units, feature_columns, activation_fn, dropout):
    """TF 1.x's dnn/input_from_feature_columns, dnn/hiddenlayer_N and dnn/logits."""
    activation_fn = _activation(activation_fn)
    with tf.variable_scope('input_from_feature_columns', values=tuple(features.values())):
        net = tf.feature_column.input_layer(features, feature_columns,
                                            weight_collections=['dnn'])
    for index, units in enumerate(hidden_units):
        with tf.variable_scope('hiddenlayer_%d' % index, values=(net,)) as scope:
            net = contrib_layers.fully_connected(net, units, activation_fn=activation_fn,
                                                 variables_collections=['dnn'], scope=scope)
            if dropout is not None and mode == ModeKeys.TRAIN:
                net = contrib_layers.dropout(net, keep_prob=1.0 - dropout)
        _layer_summaries(net, scope.name)
    with tf.variable_scope('logits', values=(net,)) as scope:
        logits = contrib_layers.fully_connected(net, head.logits_dimension, activation_fn=None,
                                                variables_collections=['dnn'], scope=scope)
    _layer_summaries(logits, scope.name)
    return logits


def _dnn_model_fn(features, labels, mode, params):
    features = _feature_dict(features)
    head = params['head']
    with tf.variable_scope('dnn', values=tuple(features.values())):
        logits = _dnn_logits(features, mode, head, params['hidden_units'],
                             params['feature_columns'], params['activation_fn'],
                             params['dropout'])

        def train_op_fn(loss):
            return contrib_layers.optimize_loss(
                loss=loss, global_step=tf.train.get_global_step(),
                learning_rate=_DNN_LEARNING_RATE, optimizer=_optimizer(params['optimizer']),
                clip_gradients=params['gradient_clip_norm'], name='dnn', summaries=[])
        return head.model_fn_ops(features, labels, mode, train_op_fn, logits)


def _linear_model_fn(features, labels, mode, params):
    features = _feature_dict(features)
    head, columns = params['head'], params['feature_columns']
    with tf.variable_scope('linear', values=tuple(features.values())):
        if columns and all(isinstance(column, RealValuedColumn) for column in columns):
            logits = _weighted_sum(features, columns, head.logits_dimension)
        else:  # tf.feature_column's columns, as TF 1.x took them
            logits = linear_model(features, columns, units=head.logits_dimension,
                                  weight_collections=['linear'])

    def train_op_fn(loss):
        variables = tf.get_collection('linear')
        gradients = tf.gradients(loss, variables)
        if params['gradient_clip_norm']:
            gradients, _ = tf.clip_by_global_norm(gradients, params['gradient_clip_norm'])
        optimizer = _optimizer(params['optimizer']) or tf.train.FtrlOptimizer(
            # TF 1.x's default: Ftrl, at a lower rate for more columns.
            min(_LINEAR_LEARNING_RATE, 1.0 / math.sqrt(len(params['feature_columns']))))
        return optimizer.apply_gradients(zip(gradients, variables),
                                         global_step=tf.train.get_global_step())
    return head.model_fn_ops(features, labels, mode, train_op_fn, logits)


def _weighted_sum(features, columns, units):
    """contrib.layers' weighted_sum_from_feature_columns for real-valued columns, as TF 1.x
    named it: a `linear/KEY/weight` per column, in key order, and `linear/bias_weight`."""
    outputs = []
    for column in sorted(columns, key=lambda column: column.key):
        with tf.variable_scope(None, default_name=column.key, values=tuple(features.values())):
            dense = tf.feature_column.input_layer(features, [column])
            weight = contrib_framework.model_variable(
                'weight', [dense.shape[1], units], initializer=tf.zeros_initializer(),
                collections=['linear'])
            outputs.append(tf.matmul(dense, weight, name='matmul'))
    bias = contrib_framework.model_variable('bias_weight', [units],
                                            initializer=tf.zeros_initializer(),
                                            collections=['linear'])
    return tf.nn.bias_add(tf.add_n(outputs), bias)


def _feature_dict(features):
    return features if isinstance(features, dict) else {'': features}


def _activation(activation_fn):
    if not isinstance(activation_fn, str):
        return activation_fn
    if activation_fn not in _ACTIVATIONS:
        raise ValueError('Activation name should be one of [%s], you provided %s.'
                         % (', '.join(_ACTIVATIONS), activation_fn))
    return _ACTIVATIONS[activation_fn]


def _optimizer(optimizer):
    return optimizer() if callable(optimizer) else optimizer


def _layer_summaries(value, tag):
    tf.summary.scalar('%s_fraction_of_zero_values' % tag, tf.nn.zero_fraction(value))
    tf.summary.histogram('%s_activation' % tag, value)


def _reject(estimator_name, **arguments):
    for name, value in sorted(arguments.items()):
        if value:
            raise ValueError('tf.contrib.learn.%s(%s=...) is not provided by tf1: leave it '
                             'unset' % (estimator_name, name))


# ---------------------------------------------------------------------------- estimators

class _Canned(Estimator):
    """What the canned estimators' predict_* share: one prediction key's values."""

    def _predict_key(self, key, x, input_fn, batch_size, as_iterable):
        predictions = super(_Canned, self).predict(x, input_fn, batch_size, [key],
                                                   as_iterable)
        if as_iterable:
            return (prediction[key] for prediction in predictions)
        return predictions[key]


class _Classifier(_Canned):
    """predict() gives the classes, as TF 1.x's canned classifiers did without `outputs`."""

    def predict(self, x=None, input_fn=None, batch_size=None, outputs=None, as_iterable=True):
        if not outputs:
            return self.predict_classes(x, input_fn, batch_size, as_iterable)
        return super(_Classifier, self).predict(x, input_fn, batch_size, outputs,
                                                as_iterable)

    def predict_classes(self, x=None, input_fn=None, batch_size=None, as_iterable=True):
        classes = self._predict_key('classes', x, input_fn, batch_size, as_iterable)
        return classes if as_iterable else classes.reshape(-1)

    def predict_proba(self, x=None, input_fn=None, batch_size=None, as_iterable=True):
        return self._predict_key('probabilities', x, input_fn, batch_size, as_iterable)


class _Regressor(_Canned):
    """predict() gives the scores."""

    def predict(self, x=None, input_fn=None, batch_size=None, outputs=None, as_iterable=True):
        if not outputs:
            return self.predict_scores(x, input_fn, batch_size, as_iterable)
        return super(_Regressor, self).predict(x, input_fn, batch_size, outputs, as_iterable)

    def predict_scores(self, x=None, input_fn=None, batch_size=None, as_iterable=True):
        return self._predict_key('scores', x, input_fn, batch_size, as_iterable)


def _dnn_params(head, hidden_units, feature_columns, optimizer, activation_fn, dropout,
                gradient_clip_norm):
    return {'head': head, 'hidden_units': hidden_units,
            'feature_columns': tuple(feature_columns or ()),
            'optimizer': optimizer or 'Adagrad', 'activation_fn': activation_fn,
            'dropout': dropout, 'gradient_clip_norm': gradient_clip_norm}


def _linear_params(head, feature_columns, optimizer, gradient_clip_norm):
    return {'head': head, 'feature_columns': tuple(feature_columns or ()),
            'optimizer': optimizer, 'gradient_clip_norm': gradient_clip_norm}


class DNNClassifier(_Classifier):
    def __init__(self, hidden_units, feature_columns, model_dir=None, n_classes=2,
                 weight_column_name=None, optimizer=None, activation_fn=tf.nn.relu,
                 dropout=None, gradient_clip_norm=None, enable_centered_bias=False,
                 config=None, feature_engineering_fn=None, embedding_lr_multipliers=None,
                 input_layer_min_slice_size=None, label_keys=None):
        _reject('DNNClassifier', enable_centered_bias=enable_centered_bias,
                embedding_lr_multipliers=embedding_lr_multipliers, label_keys=label_keys)
        params = _dnn_params(_classifier_head(n_classes, weight_column_name), hidden_units,
                             feature_columns, optimizer, activation_fn, dropout,
                             gradient_clip_norm)
        super(DNNClassifier, self).__init__(_dnn_model_fn, model_dir, config, params,
                                            feature_engineering_fn)


class DNNRegressor(_Regressor):
    def __init__(self, hidden_units, feature_columns, model_dir=None, weight_column_name=None,
                 optimizer=None, activation_fn=tf.nn.relu, dropout=None,
                 gradient_clip_norm=None, enable_centered_bias=False, config=None,
                 feature_engineering_fn=None, label_dimension=1, embedding_lr_multipliers=None,
                 input_layer_min_slice_size=None):
        _reject('DNNRegressor', enable_centered_bias=enable_centered_bias,
                embedding_lr_multipliers=embedding_lr_multipliers)
        params = _dnn_params(_RegressionHead(label_dimension, weight_column_name),
                             hidden_units, feature_columns, optimizer, activation_fn, dropout,
                             gradient_clip_norm)
        super(DNNRegressor, self).__init__(_dnn_model_fn, model_dir, config, params,
                                           feature_engineering_fn)


class LinearClassifier(_Classifier):
    def __init__(self, feature_columns, model_dir=None, n_classes=2, weight_column_name=None,
                 optimizer=None, gradient_clip_norm=None, enable_centered_bias=False,
                 _joint_weight=False, config=None, feature_engineering_fn=None,
                 label_keys=None):
        _reject('LinearClassifier', enable_centered_bias=enable_centered_bias,
                _joint_weight=_joint_weight, label_keys=label_keys)
        params = _linear_params(_classifier_head(n_classes, weight_column_name),
                                feature_columns, optimizer, gradient_clip_norm)
        super(LinearClassifier, self).__init__(_linear_model_fn, model_dir, config, params,
                                               feature_engineering_fn)


class LinearRegressor(_Regressor):
    def __init__(self, feature_columns, model_dir=None, weight_column_name=None,
                 optimizer=None, gradient_clip_norm=None, enable_centered_bias=False,
                 label_dimension=1, _joint_weights=False, config=None,
                 feature_engineering_fn=None):
        _reject('LinearRegressor', enable_centered_bias=enable_centered_bias,
                _joint_weights=_joint_weights)
        params = _linear_params(_RegressionHead(label_dimension, weight_column_name),
                                feature_columns, optimizer, gradient_clip_norm)
        super(LinearRegressor, self).__init__(_linear_model_fn, model_dir, config, params,
                                              feature_engineering_fn)


def infer_real_valued_columns_from_input_fn(input_fn):
    """Real-valued feature columns for what `input_fn` returns, built in a scratch graph."""
    with tf.Graph().as_default():
        result = input_fn()
        features = result[0] if isinstance(result, (tuple, list)) else result
        return contrib_layers.infer_real_valued_columns(features)


def infer_real_valued_columns_from_input(x):
    """Real-valued feature columns for a NumPy `x` (or a dict of arrays)."""
    input_fn, _ = input_and_feed_fn(x, None, None, None, None)
    return infer_real_valued_columns_from_input_fn(input_fn)
