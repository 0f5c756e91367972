"""tf.contrib.learn's canned estimators, DNNClassifier, DNNRegressor, LinearClassifier,
LinearRegressor and DNNLinearCombinedClassifier/Regressor, as TF 1.0-1.3 taught them
(`DNNClassifier(hidden_units=[300, 100], n_classes=10,
feature_columns=infer_real_valued_columns_from_input(x)).fit(x, y)`).
Ported from TF 1.x's contrib/learn/python/learn/estimators dnn.py, linear.py,
dnn_linear_combined.py and head.py (contrib_learn_head.py) onto
contrib_learn_estimator.Estimator: TF 1.x's variable names (dnn/hiddenlayer_0/weights,
dnn/input_from_feature_columns/X_embedding/weights; linear/X/weight(s) and
linear/bias_weight for contrib's columns; tf.feature_column's names for its own),
defaults (Adagrad at 0.05; Ftrl at min(0.2, 1/sqrt(columns))), losses (the batch mean;
evaluation's, the weighted average), predictions ('classes', 'probabilities', 'logits';
'scores') and evaluation metrics. A NumPy `x` is the feature "" (real_valued_column("")).
"""
import math

import tensorflow.compat.v1 as tf

from tf1 import contrib_layers
from tf1.contrib_layers.feature_column import is_contrib
from tf1.contrib_learn import ModeKeys
from tf1.contrib_learn_estimator import Estimator
from tf1.contrib_learn_head import RegressionHead, classifier_head
from tf1.contrib_learn_feeder import input_and_feed_fn
from tf1.estimator_premade import layer_sizes, linear_model

_ACTIVATIONS = {'relu': tf.nn.relu, 'tanh': tf.nn.tanh, 'sigmoid': tf.nn.sigmoid}
_DNN_LEARNING_RATE = 0.05    # "a historical artifact of the initial implementation" (TF 1.x)
_LINEAR_LEARNING_RATE = 0.2


# ---------------------------------------------------------------------------- model_fns

def _dnn_logits(features, mode, head, hidden_units, feature_columns, activation_fn, dropout,
                summary_separator='_'):
    """TF 1.x's dnn/input_from_feature_columns, dnn/hiddenlayer_N and dnn/logits."""
    activation_fn = _activation(activation_fn)
    with tf.variable_scope('input_from_feature_columns',
                           values=tuple(features.values())) as scope:
        if all(is_contrib(column) for column in feature_columns):
            net = contrib_layers.input_from_feature_columns(
                features, feature_columns, weight_collections=['dnn'], scope=scope)
        else:  # tf.feature_column's columns, as TF 1.x took them
            net = tf.feature_column.input_layer(features, feature_columns,
                                                weight_collections=['dnn'])
    for index, units in enumerate(hidden_units):
        with tf.variable_scope('hiddenlayer_%d' % index, values=(net,)) as scope:
            net = contrib_layers.fully_connected(net, units, activation_fn=activation_fn,
                                                 variables_collections=['dnn'], scope=scope)
            if dropout is not None and mode == ModeKeys.TRAIN:
                net = contrib_layers.dropout(net, keep_prob=1.0 - dropout)
        _layer_summaries(net, scope.name, summary_separator)
    with tf.variable_scope('logits', values=(net,)) as scope:
        logits = contrib_layers.fully_connected(net, head.logits_dimension, activation_fn=None,
                                                variables_collections=['dnn'], scope=scope)
    _layer_summaries(logits, scope.name, summary_separator)
    return logits


def _linear_logits(features, columns, units, scope):
    """TF 1.x's linear model in `scope`: contrib's weighted sum for contrib's columns
    (`linear/COLUMN/weights`, `linear/bias_weight`), tf.feature_column's linear_model for
    its own."""
    if all(is_contrib(column) for column in columns):
        logits, _, _ = contrib_layers.weighted_sum_from_feature_columns(
            features, columns, units, weight_collections=['linear'], scope=scope)
        return logits
    return linear_model(features, columns, units=units, weight_collections=['linear'])


def _linear_learning_rate(column_count):
    """TF 1.x's default: Ftrl at a lower rate for more columns."""
    return min(_LINEAR_LEARNING_RATE, 1.0 / math.sqrt(column_count))


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
    with tf.variable_scope('linear', values=tuple(features.values())) as scope:
        logits = _linear_logits(features, columns, head.logits_dimension, scope)

    def train_op_fn(loss):
        variables = tf.get_collection('linear')
        gradients = tf.gradients(loss, variables)
        if params['gradient_clip_norm']:
            gradients, _ = tf.clip_by_global_norm(gradients, params['gradient_clip_norm'])
        optimizer = _optimizer(params['optimizer']) or tf.train.FtrlOptimizer(
            _linear_learning_rate(len(columns)))
        return optimizer.apply_gradients(zip(gradients, variables),
                                         global_step=tf.train.get_global_step())
    return head.model_fn_ops(features, labels, mode, train_op_fn, logits)


def _combined_model_fn(features, labels, mode, params):
    """Wide & deep: the DNN's logits plus the linear model's, each part trained by its own
    optimizer; without fix_global_step_increment_bug each counts a step, as in TF 1.x
    (the global step grows by two per batch)."""
    features = _feature_dict(features)
    head = params['head']
    dnn_columns, linear_columns = params['dnn_feature_columns'], params['linear_feature_columns']
    logits = []
    if dnn_columns:
        with tf.variable_scope('dnn', values=tuple(features.values())):
            logits.append(_dnn_logits(features, mode, head, params['dnn_hidden_units'],
                                      dnn_columns, params['dnn_activation_fn'],
                                      params['dnn_dropout'], summary_separator='/'))
    if linear_columns:
        with tf.variable_scope('linear', values=tuple(features.values())) as scope:
            logits.append(_linear_logits(features, linear_columns, head.logits_dimension,
                                         scope))
            _layer_summaries(logits[-1], scope.name, '/')

    def train_op_fn(loss):
        fixed, global_step = params['fix_global_step_increment_bug'], tf.train.get_global_step()
        parts = [('dnn', dnn_columns, _DNN_LEARNING_RATE, params['dnn_optimizer'] or 'Adagrad'),
                 ('linear', linear_columns, _linear_learning_rate(len(linear_columns)),
                  params['linear_optimizer'] or 'Ftrl')]
        train_op = tf.group(*[contrib_layers.optimize_loss(
            loss=loss, global_step=global_step, learning_rate=rate,
            optimizer=_optimizer(optimizer), clip_gradients=params['gradient_clip_norm'],
            variables=tf.get_collection(name), name=name, summaries=[],
            increment_global_step=not fixed)
            for name, columns, rate, optimizer in parts if columns])
        if not fixed:
            return train_op
        with tf.control_dependencies([train_op]):
            return tf.assign_add(global_step, 1).op
    return head.model_fn_ops(features, labels, mode, train_op_fn, tf.add_n(logits))


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


def _layer_summaries(value, tag, separator='_'):
    """TF 1.x's per-layer summaries: `TAG_fraction_of_zero_values` (dnn.py) or
    `TAG/fraction_of_zero_values` (dnn_linear_combined.py)."""
    tf.summary.scalar('%s%sfraction_of_zero_values' % (tag, separator),
                      tf.nn.zero_fraction(value))
    tf.summary.histogram('%s%sactivation' % (tag, separator), value)


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

    _estimator_type = 'classifier'

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

    _estimator_type = 'regressor'

    def predict(self, x=None, input_fn=None, batch_size=None, outputs=None, as_iterable=True):
        if not outputs:
            return self.predict_scores(x, input_fn, batch_size, as_iterable)
        return super(_Regressor, self).predict(x, input_fn, batch_size, outputs, as_iterable)

    def predict_scores(self, x=None, input_fn=None, batch_size=None, as_iterable=True):
        return self._predict_key('scores', x, input_fn, batch_size, as_iterable)


def _dnn_params(head, hidden_units, feature_columns, optimizer, activation_fn, dropout,
                gradient_clip_norm):
    return {'head': head, 'hidden_units': layer_sizes(hidden_units),
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
        params = _dnn_params(classifier_head(n_classes, weight_column_name), hidden_units,
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
        params = _dnn_params(RegressionHead(label_dimension, weight_column_name),
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
        params = _linear_params(classifier_head(n_classes, weight_column_name),
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
        params = _linear_params(RegressionHead(label_dimension, weight_column_name),
                                feature_columns, optimizer, gradient_clip_norm)
        super(LinearRegressor, self).__init__(_linear_model_fn, model_dir, config, params,
                                              feature_engineering_fn)


def _combined_params(head, linear_feature_columns, linear_optimizer, dnn_feature_columns,
                     dnn_optimizer, dnn_hidden_units, dnn_activation_fn, dnn_dropout,
                     gradient_clip_norm, fix_global_step_increment_bug):
    if not linear_feature_columns and not dnn_feature_columns:
        raise ValueError('Either linear_feature_columns or dnn_feature_columns must be '
                         'defined.')
    if dnn_feature_columns and not dnn_hidden_units:
        raise ValueError('dnn_hidden_units must be defined when dnn_feature_columns is '
                         'specified.')
    return {'head': head, 'linear_feature_columns': tuple(linear_feature_columns or ()),
            'linear_optimizer': linear_optimizer,
            'dnn_feature_columns': tuple(dnn_feature_columns or ()),
            'dnn_optimizer': dnn_optimizer, 'dnn_hidden_units': layer_sizes(dnn_hidden_units or ()),
            'dnn_activation_fn': dnn_activation_fn or tf.nn.relu, 'dnn_dropout': dnn_dropout,
            'gradient_clip_norm': gradient_clip_norm,
            'fix_global_step_increment_bug': fix_global_step_increment_bug}


class DNNLinearCombinedClassifier(_Classifier):
    """Wide & deep, as TF 1.0-1.3's tutorial trained it (fix_global_step_increment_bug=True:
    one global step per batch; without it, TF 1.x's two)."""

    def __init__(self, model_dir=None, n_classes=2, weight_column_name=None,
                 linear_feature_columns=None, linear_optimizer=None, _joint_linear_weights=False,
                 dnn_feature_columns=None, dnn_optimizer=None, dnn_hidden_units=None,
                 dnn_activation_fn=tf.nn.relu, dnn_dropout=None, gradient_clip_norm=None,
                 enable_centered_bias=False, config=None, feature_engineering_fn=None,
                 embedding_lr_multipliers=None, input_layer_min_slice_size=None,
                 label_keys=None, fix_global_step_increment_bug=False):
        _reject('DNNLinearCombinedClassifier', enable_centered_bias=enable_centered_bias,
                _joint_linear_weights=_joint_linear_weights,
                embedding_lr_multipliers=embedding_lr_multipliers, label_keys=label_keys)
        params = _combined_params(
            classifier_head(n_classes, weight_column_name), linear_feature_columns,
            linear_optimizer, dnn_feature_columns, dnn_optimizer, dnn_hidden_units,
            dnn_activation_fn, dnn_dropout, gradient_clip_norm, fix_global_step_increment_bug)
        super(DNNLinearCombinedClassifier, self).__init__(
            _combined_model_fn, model_dir, config, params, feature_engineering_fn)


class DNNLinearCombinedRegressor(_Regressor):
    """Wide & deep regression."""

    def __init__(self, model_dir=None, weight_column_name=None, linear_feature_columns=None,
                 linear_optimizer=None, _joint_linear_weights=False, dnn_feature_columns=None,
                 dnn_optimizer=None, dnn_hidden_units=None, dnn_activation_fn=tf.nn.relu,
                 dnn_dropout=None, gradient_clip_norm=None, enable_centered_bias=False,
                 label_dimension=1, config=None, feature_engineering_fn=None,
                 embedding_lr_multipliers=None, input_layer_min_slice_size=None,
                 fix_global_step_increment_bug=False):
        _reject('DNNLinearCombinedRegressor', enable_centered_bias=enable_centered_bias,
                _joint_linear_weights=_joint_linear_weights,
                embedding_lr_multipliers=embedding_lr_multipliers)
        params = _combined_params(
            RegressionHead(label_dimension, weight_column_name), linear_feature_columns,
            linear_optimizer, dnn_feature_columns, dnn_optimizer, dnn_hidden_units,
            dnn_activation_fn, dnn_dropout, gradient_clip_norm, fix_global_step_increment_bug)
        super(DNNLinearCombinedRegressor, self).__init__(
            _combined_model_fn, model_dir, config, params, feature_engineering_fn)


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
