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
opens `dnn` or `linear` reads DNNClassifier's or LinearClassifier's checkpoints. The linear
one is LinearClassifier's own (estimator_premade.py).
"""
from tensorflow.python.framework import tensor as tensor_lib
from tensorflow.python.util import function_utils

from tf1.estimator_premade import _Dnn, linear_logit_fn_builder  # noqa: F401 (its name)


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
