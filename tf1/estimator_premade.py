"""TF 1.x's premade estimators on our Estimator (tensorflow_estimator's canned/dnn.py,
linear.py, dnn_linear_combined.py and baseline.py):

    DNNClassifier, DNNRegressor                       a feed-forward network
    LinearClassifier, LinearRegressor                 a linear model of the feature columns
    DNNLinearCombinedClassifier, ...Regressor         both, their logits summed (wide & deep)
    BaselineClassifier, BaselineRegressor             a learnt bias only
    DNNEstimator, LinearEstimator, DNNLinear-         the same models on a head of your
      CombinedEstimator, BaselineEstimator            choice (contrib_estimator_head.py)

Features come in through feature columns (tf.feature_column's numeric, categorical,
bucketized, crossed, embedding and indicator columns), as in TF 1.x, and the variables
keep TF 1.x's names (`dnn/hiddenlayer_0/kernel`, `dnn/input_from_feature_columns/
input_layer/X_embedding/embedding_weights`, `linear/linear_model/X/weights`,
`linear/linear_model/bias_weights`, `baseline/bias`), so TF 1.x checkpoints restore and
warm-start. The heads (loss, metrics, predictions, exports) are in estimator_head.py.
"""
import math
import warnings

import tensorflow.compat.v1 as tf

from tf1 import layers
from tf1.estimator_core import Estimator
from tf1.estimator_head import Head, RegressionHead, classification_head
from tf1.estimator_spec import ModeKeys

_OPTIMIZERS = {'Adagrad': tf.train.AdagradOptimizer, 'Adam': tf.train.AdamOptimizer,
               'Ftrl': tf.train.FtrlOptimizer, 'RMSProp': tf.train.RMSPropOptimizer,
               'SGD': tf.train.GradientDescentOptimizer}
_DNN_LEARNING_RATE = 0.05       # TF 1.x's rate for a DNN optimizer given by name
_LINEAR_LEARNING_RATE = 0.2     # TF 1.x's ceiling for the linear part's default Ftrl
_BASELINE_LEARNING_RATE = 0.3   # TF 1.x's rate for the baseline's optimizer
_SUM = tf.losses.Reduction.SUM


class DNNClassifier(Estimator):
    """A feed-forward network: `hidden_units` ReLU layers (by default), then the logits."""

    def __init__(self, hidden_units, feature_columns, model_dir=None, n_classes=2,
                 weight_column=None, label_vocabulary=None, optimizer='Adagrad',
                 activation_fn=tf.nn.relu, dropout=None, input_layer_partitioner=None,
                 config=None, warm_start_from=None, loss_reduction=_SUM, batch_norm=False):
        head = classification_head(n_classes, weight_column, label_vocabulary, loss_reduction)
        dnn = _Dnn(feature_columns, hidden_units, optimizer, activation_fn, dropout,
                   batch_norm, input_layer_partitioner)
        super(DNNClassifier, self).__init__(_model_fn(head, dnn=dnn), model_dir, config,
                                            warm_start_from=warm_start_from)


class DNNRegressor(Estimator):
    """A feed-forward network predicting `label_dimension` values, squared error."""

    def __init__(self, hidden_units, feature_columns, model_dir=None, label_dimension=1,
                 weight_column=None, optimizer='Adagrad', activation_fn=tf.nn.relu,
                 dropout=None, input_layer_partitioner=None, config=None,
                 warm_start_from=None, loss_reduction=_SUM, batch_norm=False):
        head = RegressionHead(label_dimension, weight_column, loss_reduction)
        dnn = _Dnn(feature_columns, hidden_units, optimizer, activation_fn, dropout,
                   batch_norm, input_layer_partitioner)
        super(DNNRegressor, self).__init__(_model_fn(head, dnn=dnn), model_dir, config,
                                           warm_start_from=warm_start_from)


class LinearClassifier(Estimator):
    """Logistic (two classes) or softmax regression on the feature columns."""

    def __init__(self, feature_columns, model_dir=None, n_classes=2, weight_column=None,
                 label_vocabulary=None, optimizer='Ftrl', config=None, partitioner=None,
                 warm_start_from=None, loss_reduction=_SUM, sparse_combiner='sum'):
        head = classification_head(n_classes, weight_column, label_vocabulary, loss_reduction)
        linear = _Linear(feature_columns, optimizer, sparse_combiner, partitioner)
        super(LinearClassifier, self).__init__(_model_fn(head, linear=linear), model_dir,
                                               config, warm_start_from=warm_start_from)


class LinearRegressor(Estimator):
    """Linear regression on the feature columns, squared error."""

    def __init__(self, feature_columns, model_dir=None, label_dimension=1, weight_column=None,
                 optimizer='Ftrl', config=None, partitioner=None, warm_start_from=None,
                 loss_reduction=_SUM, sparse_combiner='sum'):
        head = RegressionHead(label_dimension, weight_column, loss_reduction)
        linear = _Linear(feature_columns, optimizer, sparse_combiner, partitioner)
        super(LinearRegressor, self).__init__(_model_fn(head, linear=linear), model_dir,
                                              config, warm_start_from=warm_start_from)


class DNNLinearCombinedClassifier(Estimator):
    """Wide & deep: a linear model and a DNN, their logits summed, each part trained by its
    own optimizer (Ftrl and Adagrad by default)."""

    def __init__(self, model_dir=None, linear_feature_columns=None, linear_optimizer='Ftrl',
                 dnn_feature_columns=None, dnn_optimizer='Adagrad', dnn_hidden_units=None,
                 dnn_activation_fn=tf.nn.relu, dnn_dropout=None, n_classes=2,
                 weight_column=None, label_vocabulary=None, input_layer_partitioner=None,
                 config=None, warm_start_from=None, loss_reduction=_SUM, batch_norm=False,
                 linear_sparse_combiner='sum'):
        head = classification_head(n_classes, weight_column, label_vocabulary, loss_reduction)
        parts = _combined_parts(linear_feature_columns, linear_optimizer, linear_sparse_combiner,
                                dnn_feature_columns, dnn_optimizer, dnn_hidden_units,
                                dnn_activation_fn, dnn_dropout, batch_norm,
                                input_layer_partitioner)
        super(DNNLinearCombinedClassifier, self).__init__(
            _model_fn(head, **parts), model_dir, config, warm_start_from=warm_start_from)


class DNNLinearCombinedRegressor(Estimator):
    """Wide & deep regression: a linear model and a DNN, their outputs summed."""

    def __init__(self, model_dir=None, linear_feature_columns=None, linear_optimizer='Ftrl',
                 dnn_feature_columns=None, dnn_optimizer='Adagrad', dnn_hidden_units=None,
                 dnn_activation_fn=tf.nn.relu, dnn_dropout=None, label_dimension=1,
                 weight_column=None, input_layer_partitioner=None, config=None,
                 warm_start_from=None, loss_reduction=_SUM, batch_norm=False,
                 linear_sparse_combiner='sum'):
        head = RegressionHead(label_dimension, weight_column, loss_reduction)
        parts = _combined_parts(linear_feature_columns, linear_optimizer, linear_sparse_combiner,
                                dnn_feature_columns, dnn_optimizer, dnn_hidden_units,
                                dnn_activation_fn, dnn_dropout, batch_norm,
                                input_layer_partitioner)
        super(DNNLinearCombinedRegressor, self).__init__(
            _model_fn(head, **parts), model_dir, config, warm_start_from=warm_start_from)


class BaselineClassifier(Estimator):
    """Predicts the classes' prior (a learnt bias), whatever the features: a yardstick."""

    def __init__(self, model_dir=None, n_classes=2, weight_column=None,
                 label_vocabulary=None, optimizer='Ftrl', config=None,
                 loss_reduction=_SUM):
        head = classification_head(n_classes, weight_column, label_vocabulary, loss_reduction)
        super(BaselineClassifier, self).__init__(
            _model_fn(head, baseline=_Baseline(optimizer)), model_dir, config)


class BaselineRegressor(Estimator):
    """Predicts the labels' mean (a learnt bias), whatever the features: a yardstick."""

    def __init__(self, model_dir=None, label_dimension=1, weight_column=None,
                 optimizer='Ftrl', config=None, loss_reduction=_SUM):
        head = RegressionHead(label_dimension, weight_column, loss_reduction)
        super(BaselineRegressor, self).__init__(
            _model_fn(head, baseline=_Baseline(optimizer)), model_dir, config)


class BaselineEstimator(Estimator):
    """A learnt bias on a head of your choice (tf.contrib.estimator's heads)."""

    def __init__(self, head, model_dir=None, optimizer='Ftrl', config=None):
        super(BaselineEstimator, self).__init__(
            _model_fn(_checked_head(head), baseline=_Baseline(optimizer)), model_dir, config)


class DNNEstimator(Estimator):
    """A feed-forward network on a head of your choice (tf.contrib.estimator's heads)."""

    def __init__(self, head, hidden_units, feature_columns, model_dir=None,
                 optimizer='Adagrad', activation_fn=tf.nn.relu, dropout=None,
                 input_layer_partitioner=None, config=None, warm_start_from=None,
                 batch_norm=False):
        dnn = _Dnn(feature_columns, hidden_units, optimizer, activation_fn, dropout,
                   batch_norm, input_layer_partitioner)
        super(DNNEstimator, self).__init__(_model_fn(_checked_head(head), dnn=dnn), model_dir,
                                           config, warm_start_from=warm_start_from)


class LinearEstimator(Estimator):
    """A linear model on a head of your choice (tf.contrib.estimator's heads)."""

    def __init__(self, head, feature_columns, model_dir=None, optimizer='Ftrl', config=None,
                 partitioner=None, sparse_combiner='sum', warm_start_from=None):
        linear = _Linear(feature_columns, optimizer, sparse_combiner, partitioner)
        super(LinearEstimator, self).__init__(_model_fn(_checked_head(head), linear=linear),
                                              model_dir, config,
                                              warm_start_from=warm_start_from)


class DNNLinearCombinedEstimator(Estimator):
    """Wide & deep on a head of your choice (tf.contrib.estimator's heads)."""

    def __init__(self, head, model_dir=None, linear_feature_columns=None,
                 linear_optimizer='Ftrl', dnn_feature_columns=None, dnn_optimizer='Adagrad',
                 dnn_hidden_units=None, dnn_activation_fn=tf.nn.relu, dnn_dropout=None,
                 input_layer_partitioner=None, config=None, linear_sparse_combiner='sum',
                 batch_norm=False):
        parts = _combined_parts(linear_feature_columns, linear_optimizer, linear_sparse_combiner,
                                dnn_feature_columns, dnn_optimizer, dnn_hidden_units,
                                dnn_activation_fn, dnn_dropout, batch_norm,
                                input_layer_partitioner)
        super(DNNLinearCombinedEstimator, self).__init__(
            _model_fn(_checked_head(head), **parts), model_dir, config)


def _checked_head(head):
    if not isinstance(head, Head):
        raise TypeError('head must be a head (tf.contrib.estimator.multi_class_head and its '
                        'siblings), got {}'.format(type(head).__name__))
    return head


def classifier_parse_example_spec(feature_columns, label_key, label_dtype=tf.int64,
                                  label_default=None, weight_column=None):
    """The tf.parse_example spec of the features, the label (and the weight column)."""
    return _parse_example_spec(feature_columns, label_key, label_dtype, label_default,
                               weight_column, (1,))


def regressor_parse_example_spec(feature_columns, label_key, label_dtype=tf.float32,
                                 label_default=None, label_dimension=1, weight_column=None):
    """The tf.parse_example spec of the features, the labels (and the weight column)."""
    return _parse_example_spec(feature_columns, label_key, label_dtype, label_default,
                               weight_column, (label_dimension,))


def _parse_example_spec(feature_columns, label_key, label_dtype, label_default,
                        weight_column, label_shape):
    spec = tf.feature_column.make_parse_example_spec(feature_columns)
    if label_key in spec:
        raise ValueError('label should not be used as feature. label_key: {}, '
                         'features: {}'.format(label_key, spec.keys()))
    spec[label_key] = tf.FixedLenFeature(label_shape, label_dtype, label_default)
    if isinstance(weight_column, str):
        weight_column = tf.feature_column.numeric_column(weight_column)
    if weight_column is not None:
        spec.update(tf.feature_column.make_parse_example_spec([weight_column]))
    return spec


# ------------------------------------------------------------------------------ the parts

class _Dnn(object):
    """The deep part: input layer, hidden layers (dropout, batch norm), logits."""

    def __init__(self, feature_columns, hidden_units, optimizer, activation_fn, dropout,
                 batch_norm, partitioner):
        self.feature_columns = _columns(feature_columns, 'feature_columns')
        # None is refused as TF 1.x's loop over it was; [] is no hidden layer, as in TF 1.x.
        self.hidden_units = layer_sizes(hidden_units)
        self.optimizer, self.learning_rate = optimizer, _DNN_LEARNING_RATE
        self.activation_fn = activation_fn  # None: linear layers, as TF 1.x's Dense
        self.dropout, self.batch_norm, self.partitioner = dropout, batch_norm, partitioner
        self.scope = 'dnn'

    def logits(self, features, mode, units):
        training = mode == ModeKeys.TRAIN
        with tf.variable_scope('input_from_feature_columns', partitioner=self.partitioner):
            net = tf.feature_column.input_layer(features, self.feature_columns)
        for index, size in enumerate(self.hidden_units):
            with tf.variable_scope('hiddenlayer_%d' % index) as scope:
                net = _dense(net, size)
                if self.activation_fn is not None:
                    net = self.activation_fn(net)
                if self.dropout is not None and training:
                    net = tf.nn.dropout(net, rate=self.dropout)
                if self.batch_norm:
                    net = _batch_norm(net, training, 'batchnorm_%d' % index)
            _layer_summaries(net, scope.name)
        with tf.variable_scope('logits') as scope:
            logits = _dense(net, units)
        _layer_summaries(logits, scope.name)
        return logits


class _Linear(object):
    """The wide part: one weight per feature value (and crossing), and a bias."""

    def __init__(self, feature_columns, optimizer, sparse_combiner, partitioner):
        self.feature_columns = _columns(feature_columns, 'feature_columns')
        self.optimizer, self.sparse_combiner = optimizer, sparse_combiner
        self.partitioner = partitioner
        # TF 1.x's default: a rate that shrinks as the number of columns grows.
        self.learning_rate = min(_LINEAR_LEARNING_RATE,
                                 1.0 / math.sqrt(len(self.feature_columns)))
        self.scope = 'linear'

    def logits(self, features, mode, units):
        return linear_logit_fn_builder(units, self.feature_columns,
                                       self.sparse_combiner)(features)


class _Baseline(object):
    """A bias per output, broadcast over the batch."""

    def __init__(self, optimizer):
        self.optimizer, self.learning_rate = optimizer, _BASELINE_LEARNING_RATE
        self.scope, self.partitioner = 'baseline', None

    def logits(self, features, mode, units):
        first = (features if not isinstance(features, dict) else
                 features[sorted(features)[0]])
        first = first.dense_shape if isinstance(first, tf.SparseTensor) else tf.shape(first)
        bias = tf.get_variable('bias', [units], initializer=tf.zeros_initializer())
        return bias * tf.ones(tf.stack([first[0], units]))


def _combined_parts(linear_columns, linear_optimizer, sparse_combiner, dnn_columns,
                    dnn_optimizer, hidden_units, activation_fn, dropout, batch_norm,
                    partitioner):
    if not linear_columns and not dnn_columns:
        raise ValueError('Either linear_feature_columns or dnn_feature_columns must be '
                         'defined.')
    parts = {}
    if linear_columns:
        parts['linear'] = _Linear(linear_columns, linear_optimizer, sparse_combiner,
                                  partitioner)
    if dnn_columns:
        if not hidden_units:
            raise ValueError('dnn_hidden_units must be defined when dnn_feature_columns is '
                             'specified.')
        parts['dnn'] = _Dnn(dnn_columns, hidden_units, dnn_optimizer, activation_fn,
                            dropout, batch_norm, partitioner)
    return parts


def _model_fn(head, dnn=None, linear=None, baseline=None):
    """TF 1.x's DNN, linear, wide-and-deep and baseline model_fns in one: each part's
    logits in its own variable scope, summed; each part trained on its own variables by
    its own optimizer; the global step counted once per step."""
    parts = [part for part in (dnn, linear, baseline) if part is not None]

    def model_fn(features, labels, mode, config):
        if baseline is None and not isinstance(features, dict):
            raise ValueError('features should be a dictionary of `Tensor`s. Given type: '
                             '{}'.format(type(features)))
        logits, scopes = [], []

        def train_op_fn(loss):
            steps = [_optimizer(part.optimizer, part.learning_rate).minimize(
                loss, var_list=tf.get_collection(tf.GraphKeys.TRAINABLE_VARIABLES, scope))
                for part, scope in zip(parts, scopes)]
            with tf.control_dependencies(steps):
                return tf.assign_add(tf.train.get_global_step(), 1).op

        def spec():
            return head.create_estimator_spec(
                features, mode, tf.add_n(logits) if len(logits) > 1 else logits[0], labels,
                train_op_fn=train_op_fn)

        for part in parts:
            with tf.variable_scope(part.scope, partitioner=part.partitioner) as scope:
                logits.append(part.logits(features, mode, head.logits_dimension))
                if part is linear and dnn is not None:  # wide & deep's, as a layer's too
                    _layer_summaries(logits[-1], scope.name)
                scopes.append(scope.name)
                if len(parts) == 1 and baseline is None:
                    # TF 1.x's DNN and linear estimators made their head in their scope:
                    # scripts log `dnn/head/truediv` (the average loss) by name.
                    return spec()
        return spec()
    return model_fn


def linear_logit_fn_builder(units, feature_columns, sparse_combiner='sum'):
    """logit_fn(features): TF 1.15's linear model with `units` logits, and its two
    summaries, the bias and the fraction of zero weights."""

    def linear_logit_fn(features):
        columns_to_variables = {}
        logits = linear_model(features, feature_columns, units=units,
                              sparse_combiner=sparse_combiner,
                              cols_to_vars=columns_to_variables)
        # Each column's variables are a list (a partitioned one's parts), the bias's too.
        bias = columns_to_variables.pop('bias')
        if units > 1:
            tf.summary.histogram('bias', bias)
        else:  # a list of one [1] variable: its one number
            tf.summary.scalar('bias', bias[0][0])
        tf.summary.scalar('fraction_of_zero_weights',
                          _fraction_of_zero(list(columns_to_variables.values())))
        return logits
    return linear_logit_fn


def _fraction_of_zero(variables):
    """The fraction of the numbers in `variables` (nested lists) that are zero, as TF 1.x's
    linear model summarised its sparsity."""
    with tf.name_scope('zero_fraction'):
        variables = tf.nest.flatten(variables)
        with tf.name_scope('total_size'):
            sizes = [tf.size(variable, out_type=tf.int64) for variable in variables]
            total_size = tf.add_n(sizes)
        with tf.name_scope('total_zero'):
            total_zero = tf.add_n([
                tf.cond(tf.equal(size, 0), lambda: tf.constant(0.0),
                        lambda variable=variable, size=size: (
                            tf.nn.zero_fraction(variable) * tf.cast(size, tf.float32)),
                        name='zero_count')
                for variable, size in zip(variables, sizes)])
        with tf.name_scope('compute'):
            fraction = total_zero / tf.cast(total_size, tf.float32, name='float32_size')
        return tf.identity(fraction, name='zero_fraction_or_nan')


def linear_model(features, feature_columns, **kwargs):
    """tf.feature_column.linear_model, without the warning TF 2.x's internal Keras layer
    prints for it on every call (`layer.add_variable` is deprecated); TF 1.x printed none."""
    with warnings.catch_warnings():
        warnings.filterwarnings('ignore', message='`layer.add_variable` is deprecated')
        return tf.feature_column.linear_model(features, feature_columns, **kwargs)


def layer_sizes(hidden_units):
    """The layers' sizes as ints: TF 1.x's shapes took numeric strings ('128'), which
    scripts passing `--hidden_units '64 32'` split into."""
    return tuple(int(units) if isinstance(units, (str, bytes)) else units
                 for units in hidden_units)


def _dense(inputs, units):
    """inputs @ kernel + bias, Glorot-uniform kernel and zero bias as TF 1.x's layers had."""
    kernel = tf.get_variable('kernel', [inputs.shape[1], units],
                             initializer=tf.glorot_uniform_initializer())
    bias = tf.get_variable('bias', [units], initializer=tf.zeros_initializer())
    return tf.matmul(inputs, kernel) + bias


def _batch_norm(inputs, training, name):
    """TF 1.x's batch norm after a hidden layer: momentum 0.999, as contrib.layers had."""
    return layers.batch_normalization(inputs, momentum=0.999, training=training, name=name)


def _layer_summaries(value, tag):
    """The two summaries TF 1.x's DNN wrote for every layer."""
    tf.summary.scalar('%s/fraction_of_zero_values' % tag, tf.nn.zero_fraction(value))
    tf.summary.histogram('%s/activation' % tag, value)


def _columns(feature_columns, argument):
    columns = tuple(feature_columns or ())
    if not columns:
        raise ValueError('%s must be a non-empty list of feature columns.' % argument)
    return columns


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
