"""TF 1.x's Estimator extenders (tensorflow_estimator's extenders.py and contrib.estimator's
extenders.py and replicate_model_fn.py): new Estimators or optimizers made from old ones.

    add_metrics(estimator, metric_fn)     more evaluation metrics (tf.estimator, contrib)
    forward_features(estimator, keys)     features passed through to the predictions
    clip_gradients_by_norm(optimizer, n)  an optimizer clipping by global norm
    replicate_model_fn, TowerOptimizer    TF 1.5-1.8's multi-GPU towers: here one tower
"""
import tensorflow.compat.v1 as tf

from tf1.estimator_core import Estimator, arg_names
from tf1.estimator_export import PredictOutput
from tf1.estimator_spec import ModeKeys
from tf1.unsupported import UnsupportedApiError

_METRIC_FN_ARGS = ('config', 'features', 'labels', 'predictions')


def add_metrics(estimator, metric_fn):
    """An Estimator like `estimator` whose evaluations add metric_fn's metrics (a dict of
    (value, update_op) from any of labels, predictions, features, config)."""
    unexpected = sorted(set(arg_names(metric_fn)) - set(_METRIC_FN_ARGS))
    if unexpected:
        raise ValueError('metric_fn (%s) has following not expected args: %s'
                         % (metric_fn, unexpected))

    def model_fn(features, labels, mode, config):
        spec = estimator.model_fn(features, labels, mode, config)
        if mode != ModeKeys.EVAL:
            return spec
        available = {'features': features, 'labels': labels,
                     'predictions': spec.predictions, 'config': config}
        metrics = dict(spec.eval_metric_ops or {})
        metrics.update(metric_fn(**{name: available[name] for name in arg_names(metric_fn)}))
        return spec._replace(eval_metric_ops=metrics)
    return Estimator(model_fn, estimator.model_dir, estimator.config,
                     warm_start_from=estimator._warm_start_settings)


def forward_features(estimator, keys=None, sparse_default_values=None):
    """An Estimator like `estimator` whose predictions (and predict signatures) also hold
    the features named by `keys` (all of them by default), e.g. an example's id."""
    if isinstance(keys, str):
        keys = [keys]
    elif keys is not None:
        if not isinstance(keys, (list, tuple)):
            raise TypeError('keys should be either a string or a list of strings. Given: '
                            '{}'.format(type(keys)))
        if not all(isinstance(key, str) for key in keys):
            raise TypeError('All items in the given keys list should be a string.')

    def model_fn(features, labels, mode, config):
        spec = estimator.model_fn(features, labels, mode, config)
        if spec.predictions is None:
            return spec
        if not isinstance(spec.predictions, dict):
            raise ValueError('Predictions should be a dict to be able to forward features. '
                             'Given: {}'.format(type(spec.predictions)))
        predictions = dict(spec.predictions)
        for key in features.keys() if keys is None else keys:
            predictions[key] = _forwarded(features, key, predictions, sparse_default_values)
        for name in ('predict', 'serving_default'):
            output = (spec.export_outputs or {}).get(name)
            if isinstance(output, PredictOutput):
                output.outputs.update({key: predictions[key] for key in
                                       (features.keys() if keys is None else keys)})
        return spec._replace(predictions=predictions)
    return Estimator(model_fn, estimator.model_dir, estimator.config)


def _forwarded(features, key, predictions, sparse_default_values):
    if key not in features:
        raise ValueError('keys should be exist in features. Key "{}" is not in features dict. '
                         'features dict has following keys: {}. Please check arguments of '
                         'forward_features.'.format(key, sorted(features)))
    if key in predictions:
        raise ValueError('Cannot forward feature key ({}). Since it does exist in '
                         'predictions. Existing prediction keys: {}. Please check arguments '
                         'of forward_features.'.format(key, sorted(predictions)))
    # An input_fn may give plain lists or arrays: converted, as TF 1.x did.
    feature = tf.convert_to_tensor_or_sparse_tensor(features[key])
    if sparse_default_values and key in sparse_default_values:
        if not isinstance(feature, tf.SparseTensor):
            raise ValueError('Feature ({}) is expected to be a `SparseTensor`.'.format(key))
        feature = tf.sparse.to_dense(feature, default_value=sparse_default_values[key])
    if not isinstance(feature, tf.Tensor):
        raise ValueError('Feature ({}) should be a Tensor. Please use `keys` argument of '
                         'forward_features to filter unwanted features, or add key to '
                         'argument `sparse_default_values`.'.format(key))
    return feature


class _TransformGradients(tf.train.Optimizer):
    """`optimizer`, its gradients transformed by transform_grads_fn before applying."""

    def __init__(self, optimizer, transform_grads_fn, name=None):
        super(_TransformGradients, self).__init__(
            use_locking=False, name=name or optimizer.get_name())
        self._optimizer = optimizer
        self._transform_grads_fn = transform_grads_fn

    def compute_gradients(self, *args, **kwargs):
        return self._optimizer.compute_gradients(*args, **kwargs)

    def apply_gradients(self, grads_and_vars, global_step=None, name=None):
        return self._optimizer.apply_gradients(self._transform_grads_fn(grads_and_vars),
                                               global_step, name)

    def get_slot(self, *args, **kwargs):
        return self._optimizer.get_slot(*args, **kwargs)

    def get_slot_names(self, *args, **kwargs):
        return self._optimizer.get_slot_names(*args, **kwargs)

    def variables(self):
        return self._optimizer.variables()


def clip_gradients_by_norm(optimizer, clip_norm):
    """`optimizer`, its gradients clipped to a global norm of at most `clip_norm`."""
    def clip(grads_and_vars):
        gradients, variables = zip(*grads_and_vars)
        gradients, _ = tf.clip_by_global_norm(gradients, clip_norm)
        return list(zip(gradients, variables))
    return _TransformGradients(optimizer, clip, name='ClipByNorm' + optimizer.get_name())


def replicate_model_fn(model_fn, loss_reduction=tf.losses.Reduction.SUM_BY_NONZERO_WEIGHTS,
                       devices=None):
    """TF 1.5-1.8's towers: `model_fn` on each of `devices`. This machine's one device
    (TF 1.x's choice without GPUs: the CPU) runs it once, unchanged, as TF 1.x did."""
    if loss_reduction == tf.losses.Reduction.NONE:
        raise ValueError('Tower losses need to be reduced in some way, yet {} reduction is '
                         'specified.'.format(loss_reduction))
    if devices is not None and len(devices) > 1:
        raise UnsupportedApiError(
            'tf.contrib.estimator.replicate_model_fn over %d devices is not provided by tf1 '
            '(one process, one device): leave devices unset, or use tf.distribute with '
            'TensorFlow 2' % len(devices))

    def replicated_model_fn(features, labels, mode, params=None, config=None):
        available = {'labels': labels, 'mode': mode, 'params': params, 'config': config}
        return model_fn(features=features, **{name: available[name]
                                              for name in arg_names(model_fn)
                                              if name in available})
    return replicated_model_fn


def TowerOptimizer(optimizer_or_optimizer_fn):  # noqa: N802 (TF 1.x's class name)
    """The optimizer a replicated model_fn uses: with one tower, the optimizer itself."""
    optimizer = optimizer_or_optimizer_fn
    if callable(optimizer) and not isinstance(optimizer, tf.train.Optimizer):
        optimizer = optimizer()
    return _TransformGradients(optimizer, lambda grads_and_vars: grads_and_vars)
