"""TF 1.13-1.15's tf.estimator.experimental logit_fns (TF 1.7-1.12: tf.contrib.estimator's):
the premade estimators' DNN and linear models as functions of the features, for a model_fn
of your own to put a head of your choice on.

    logit_fn = tf.estimator.experimental.dnn_logit_fn_builder(
        units=3, hidden_units=[10], feature_columns=columns, activation_fn=tf.nn.relu,
        dropout=None, input_layer_partitioner=None, batch_norm=False)
    logits = tf.estimator.experimental.call_logit_fn(logit_fn, features, mode, params,
                                                     config)

The variables are made in the caller's variable scope under the premade estimators' names
(`hiddenlayer_0/kernel`, `logits/bias`, `linear_model/x/weights`), so a model_fn that
opens `dnn` or `linear` reads DNNClassifier's or LinearClassifier's checkpoints.
"""
import tensorflow.compat.v1 as tf
from tensorflow.python.framework import tensor as tensor_lib
from tensorflow.python.util import function_utils

from tf1.estimator_premade import _Dnn, linear_model


def dnn_logit_fn_builder(units, hidden_units, feature_columns, activation_fn, dropout,
                         input_layer_partitioner, batch_norm):
    """logit_fn(features, mode): DNNClassifier's network with `units` logits."""
    if not isinstance(units, int):
        raise ValueError('units must be an int.  Given type: {}'.format(type(units)))
    dnn = _Dnn(feature_columns, hidden_units, None, activation_fn, dropout, batch_norm,
               input_layer_partitioner)

    def dnn_logit_fn(features, mode):
        return dnn.logits(features, mode, units)
    return dnn_logit_fn


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


def call_logit_fn(logit_fn, features, mode, params, config):
    """logit_fn's answer, given those of mode, params and config that it takes (as
    Estimator calls a model_fn): a Tensor, or a dict of them by name."""
    takes = function_utils.fn_args(logit_fn)
    kwargs = {name: value for name, value in
              (('mode', mode), ('params', params), ('config', config)) if name in takes}
    results = logit_fn(features=features, **kwargs)
    is_tensor_dict = isinstance(results, dict) and all(
        isinstance(key, str) and isinstance(value, tensor_lib.Tensor)
        for key, value in results.items())
    if not (is_tensor_dict or isinstance(results, tensor_lib.Tensor)):
        raise ValueError('logit_fn should return a Tensor or a dictionary mapping strings to '
                         'Tensors.  logit_fn returned: %s' % results)
    return results


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
