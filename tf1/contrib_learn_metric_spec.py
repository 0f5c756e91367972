"""tf.contrib.learn.MetricSpec, ported from TF 1.x's contrib/learn/python/learn/
metric_spec.py: which prediction, label and weight a metric function is called with when
a contrib.learn Estimator evaluates (`metrics={'accuracy': MetricSpec(
tf.metrics.accuracy, prediction_key='classes')}`)."""
import functools

import tensorflow.compat.v1 as tf

from tf1.estimator_core import arg_names

_LABELS_ARGS = ('labels', 'label', 'targets', 'target')           # the canonical name first
_PREDICTIONS_ARGS = ('predictions', 'prediction', 'logits', 'logit')
_WEIGHTS_ARGS = ('weights', 'weight')


def _fn_name(fn):
    if hasattr(fn, '__name__'):
        return fn.__name__
    if isinstance(fn, functools.partial) and hasattr(fn.func, '__name__'):
        return fn.func.__name__
    return str(fn)


def _matching_arg(fn_name, fn_args, candidates, is_required=False):
    """The one argument of `fn_args` among `candidates`, or None."""
    matching = [arg for arg in candidates if arg in fn_args]
    if len(matching) > 1:
        raise ValueError('Ambiguous arguments %s, must provide only one of %s.'
                         % (set(matching), set(candidates)))
    if matching:
        if matching[0] != candidates[0]:
            tf.logging.warning('Canonical arg %s missing from %s(%s), using %s.',
                               candidates[0], fn_name, fn_args, matching[0])
        return matching[0]
    if is_required:
        raise ValueError('%s missing from %s(%s).' % (set(candidates), fn_name, fn_args))
    return None


def _adapt_metric_fn(metric_fn, fn_name, is_labels_required, is_weights_required):
    """`metric_fn` called as fn(labels=..., predictions=..., weights=...), TF 1.x's rules:
    each named argument by its name; predictions positionally (first, or second after
    labels) where metric_fn does not name it; weights only when given."""
    args = tuple(arg_names(metric_fn))
    labels_arg = _matching_arg(fn_name, args, _LABELS_ARGS, is_labels_required)
    predictions_arg = _matching_arg(fn_name, args, _PREDICTIONS_ARGS)
    weights_arg = _matching_arg(fn_name, args, _WEIGHTS_ARGS, is_weights_required)

    def adapted(labels=None, predictions=None, weights=None):
        named = {weights_arg: weights} if weights is not None else {}
        if labels_arg and predictions_arg:
            named.update({labels_arg: labels, predictions_arg: predictions})
            return metric_fn(**named)
        if labels_arg and labels_arg == args[0]:
            return metric_fn(labels, predictions, **named)
        if labels_arg:
            named[labels_arg] = labels
            return metric_fn(predictions, **named)
        if predictions_arg:
            named[predictions_arg] = predictions
            return metric_fn(**named)
        return metric_fn(predictions, **named)
    return adapted


class MetricSpec(object):
    """A metric function and the keys of the prediction, label and weight (a feature) it
    takes; a key of None takes a single tensor or a dict's single entry."""

    def __init__(self, metric_fn, prediction_key=None, label_key=None, weight_key=None):
        self._metric_fn_name = _fn_name(metric_fn)
        self._metric_fn = _adapt_metric_fn(metric_fn, self._metric_fn_name,
                                           is_labels_required=label_key is not None,
                                           is_weights_required=weight_key is not None)
        self._prediction_key = prediction_key
        self._label_key = label_key
        self._weight_key = weight_key

    prediction_key = property(lambda self: self._prediction_key)
    label_key = property(lambda self: self._label_key)
    weight_key = property(lambda self: self._weight_key)
    metric_fn = property(lambda self: self._metric_fn)

    def __str__(self):
        return ('MetricSpec(metric_fn=%s, prediction_key=%s, label_key=%s, weight_key=%s)'
                % (self._metric_fn_name, self.prediction_key, self.label_key,
                   self.weight_key))

    def create_metric_ops(self, inputs, labels, predictions):
        """metric_fn(predictions[prediction_key], labels[label_key],
        weights=inputs[weight_key]): a value, or a (value, update_op) pair."""
        prediction = _get_dict('prediction', predictions, self.prediction_key)
        label = _get_dict('label', labels, self.label_key)
        try:
            return self.metric_fn(labels=label, predictions=prediction,
                                  weights=inputs[self.weight_key] if self.weight_key else None)
        except Exception as error:
            tf.logging.error('Could not create metric ops for %s, %s.' % (self, error))
            raise


def _get_dict(name, dict_or_tensor, key):
    if key:
        if not isinstance(dict_or_tensor, dict):
            raise ValueError('MetricSpec with %s_key specified requires %ss dict, got %s. '
                             'You must not provide a %s_key if you only have a single Tensor '
                             'as %ss.' % (name, name, dict_or_tensor, name, name))
        if key not in dict_or_tensor:
            raise KeyError("Key '%s' missing from %s." % (key, dict_or_tensor.keys()))
        return dict_or_tensor[key]
    if isinstance(dict_or_tensor, dict):
        if len(dict_or_tensor) != 1:
            raise ValueError('MetricSpec without specified %s_key requires %ss tensor or '
                             'single element dict, got %s' % (name, name, dict_or_tensor))
        return next(iter(dict_or_tensor.values()))
    return dict_or_tensor
