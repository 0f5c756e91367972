"""tf.contrib.learn's Estimator, the one TF 1.0-1.3 taught (the layers tutorial's
cnn_mnist.py: `learn.Estimator(model_fn=...)`, `fit(x=, y=, batch_size=, steps=,
monitors=)`, `evaluate(x=, y=, metrics={... MetricSpec})`, `predict(x=)`), with
ModelFnOps and SKCompat. Ported from TF 1.x's contrib/learn/python/learn/estimators/
estimator.py and model_fn.py onto tf1's tf.estimator.Estimator (estimator_core.py), which
does the training, evaluation and checkpoints as TF 1.x's contrib Estimator did; this file
adds what contrib's had on top: its model_fn signatures and return values, NumPy
`x`/`y` (contrib_learn_feeder.py), MetricSpecs, monitors (contrib_learn_monitors.py)
and its errors.
"""
import collections

import numpy as np
import tensorflow.compat.v1 as tf

from tf1 import estimator_core, estimator_outputs, estimator_spec
from tf1.contrib_learn import ModeKeys
from tf1.contrib_learn_feeder import input_and_feed_fn, verify_input_args
from tf1.contrib_learn_input_fn_utils import as_serving_input_receiver
from tf1.contrib_learn_metric_spec import MetricSpec
from tf1.contrib_learn_sklearn import NotFittedError, ScikitLearnParameters
from tf1.contrib_learn_monitors import replace_monitors_with_hooks


class ModelFnOps(collections.namedtuple('ModelFnOps', [
        'predictions', 'loss', 'train_op', 'eval_metric_ops', 'output_alternatives',
        'training_chief_hooks', 'training_hooks', 'scaffold', 'mode'])):
    """What a contrib.learn model_fn returns, validated as TF 1.x validated it."""

    def __new__(cls, mode, predictions=None, loss=None, train_op=None, eval_metric_ops=None,
                output_alternatives=None, training_chief_hooks=None, training_hooks=None,
                scaffold=None):
        if mode not in (ModeKeys.TRAIN, ModeKeys.EVAL, ModeKeys.INFER):
            raise ValueError('Invalid mode %s.' % mode)
        if train_op is None:
            if mode == ModeKeys.TRAIN:
                raise ValueError('Missing train_op.')
        elif not isinstance(train_op, tf.Operation):
            train_op = tf.convert_to_tensor(train_op).op
        if loss is None:
            if mode in (ModeKeys.TRAIN, ModeKeys.EVAL):
                raise ValueError('Missing loss.')
        else:
            loss = tf.convert_to_tensor(loss)
            if loss.shape.num_elements() not in (None, 1):
                raise ValueError('Loss must be scalar: %s.' % loss)
            if not loss.shape.is_compatible_with([]):
                loss = tf.reshape(loss, [])
        if predictions is None:
            if mode in (ModeKeys.INFER, ModeKeys.EVAL):
                raise ValueError('Missing predictions.')
        elif isinstance(predictions, dict):
            predictions = {key: tf.convert_to_tensor_or_sparse_tensor(value)
                           for key, value in predictions.items()}
        else:
            predictions = tf.convert_to_tensor_or_sparse_tensor(predictions)
        if eval_metric_ops is None:
            eval_metric_ops = {}
        elif not isinstance(eval_metric_ops, dict):
            raise ValueError('eval_metric_ops must be a dict.')
        training_chief_hooks = list(training_chief_hooks or [])
        training_hooks = list(training_hooks or [])
        for hook in training_hooks + training_chief_hooks:
            if not isinstance(hook, tf.train.SessionRunHook):
                raise TypeError('All hooks returned from model_fn must be SessionRunHook '
                                'instances, got instance of %s: %s' % (type(hook), hook))
        return super(ModelFnOps, cls).__new__(
            cls, predictions, loss, train_op, eval_metric_ops, output_alternatives,
            training_chief_hooks, training_hooks, scaffold, mode)

    def estimator_spec(self):
        """The equivalent tf.estimator.EstimatorSpec (without the 'loss' metric, which the
        Estimator adds itself: a model_fn's own, else the mean loss)."""
        return estimator_spec.EstimatorSpec(
            mode=self.mode, predictions=self.predictions, loss=self.loss,
            train_op=self.train_op,
            eval_metric_ops={key: _value_and_update(metric)
                             for key, metric in self.eval_metric_ops.items() if key != 'loss'},
            training_chief_hooks=self.training_chief_hooks,
            training_hooks=self.training_hooks, scaffold=self.scaffold)


class RunConfig(estimator_spec.RunConfig):
    """contrib.learn's RunConfig: tf.estimator's, with contrib's arguments. As in TF 1.2+,
    the Estimator's sessions take session_config, not num_cores, log_device_placement or
    gpu_memory_fraction. Checkpoints every 600 s unless save_checkpoints_steps is given."""

    def __init__(self, master=None, num_cores=0, log_device_placement=False,
                 gpu_memory_fraction=1, tf_random_seed=None, save_summary_steps=100,
                 save_checkpoints_secs=estimator_spec.USE_DEFAULT,
                 save_checkpoints_steps=estimator_spec.USE_DEFAULT,
                 keep_checkpoint_max=5, keep_checkpoint_every_n_hours=10000,
                 log_step_count_steps=100, protocol=None, evaluation_master='',
                 model_dir=None, session_config=None, session_creation_timeout_secs=7200):
        if master or evaluation_master or protocol:
            raise ValueError('RunConfig(master=..., evaluation_master=..., protocol=...) is '
                             'for distributed training, which this tf.contrib.learn does not '
                             'do: leave them unset')
        super(RunConfig, self).__init__(
            model_dir=model_dir, tf_random_seed=tf_random_seed,
            save_summary_steps=save_summary_steps,
            save_checkpoints_steps=save_checkpoints_steps,
            save_checkpoints_secs=save_checkpoints_secs, session_config=session_config,
            keep_checkpoint_max=keep_checkpoint_max,
            keep_checkpoint_every_n_hours=keep_checkpoint_every_n_hours,
            log_step_count_steps=log_step_count_steps,
            session_creation_timeout_secs=session_creation_timeout_secs)
        self._num_cores = num_cores
        self._log_device_placement = log_device_placement
        self._gpu_memory_fraction = gpu_memory_fraction

    environment = 'local'  # contrib.learn's ClusterConfig: where the process runs

    @property
    def tf_config(self):
        """The session configuration contrib's arguments describe, as TF 1.x kept it (its
        Estimator's sessions take session_config)."""
        return tf.ConfigProto(
            log_device_placement=self._log_device_placement,
            inter_op_parallelism_threads=self._num_cores,
            intra_op_parallelism_threads=self._num_cores,
            gpu_options=tf.GPUOptions(
                per_process_gpu_memory_fraction=self._gpu_memory_fraction))


class Estimator(ScikitLearnParameters, estimator_core.Estimator):
    """contrib.learn's Estimator: model_fn(features, labels[, mode][, params][, config]
    [, model_dir]) returning ModelFnOps or (predictions, loss, train_op); a scikit-learn
    estimator too (get_params, set_params), as TF 1.x's was."""

    params = None  # a plain attribute, as in TF 1.x (tf.estimator's is read-only)
    global_step_read_first = False  # made after the input_fn, as contrib.learn did

    def __init__(self, model_fn=None, model_dir=None, config=None, params=None,
                 feature_engineering_fn=None):
        if model_fn is not None:
            names = estimator_core.arg_names(model_fn)
            if params is not None and 'params' not in names:
                raise ValueError("Estimator's model_fn (%s) does not have a params argument, "
                                 "but params (%s) were passed to the Estimator's constructor."
                                 % (model_fn, params))
            if params is None and 'params' in names:
                tf.logging.warning("Estimator's model_fn (%s) includes params argument, but "
                                   "params are not passed to Estimator.", model_fn)
        super(Estimator, self).__init__(self._estimator_spec, model_dir, config)
        self._learn_model_fn = model_fn
        self.params = params
        self._feature_engineering_fn = feature_engineering_fn or (lambda f, l: (f, l))
        self._labels_signature = None  # the labels' (dtype, shape) fit or evaluate saw
        self._metrics = None           # evaluate()'s MetricSpecs while it builds its graph
        self._loss_metric_op = None    # the model_fn's 'loss' metric in that graph

    # ------------------------------------------------------------------ the three calls

    def fit(self, x=None, y=None, input_fn=None, steps=None, batch_size=None, monitors=None,
            max_steps=None):
        """Train on `x`, `y` (batches of `batch_size`, all of x without it) or input_fn."""
        if steps is not None and max_steps is not None:
            raise ValueError('Can not provide both steps and max_steps.')
        verify_input_args(x, y, input_fn, None, batch_size)
        if x is not None:
            SKCompat(self).fit(x, y, batch_size, steps, max_steps, monitors)
            return self
        self.train(input_fn, hooks=replace_monitors_with_hooks(monitors, self), steps=steps,
                   max_steps=max_steps)
        return self

    def partial_fit(self, x=None, y=None, input_fn=None, steps=1, batch_size=None,
                    monitors=None):
        return self.fit(x=x, y=y, input_fn=input_fn, steps=steps, batch_size=batch_size,
                        monitors=monitors)

    def evaluate(self, x=None, y=None, input_fn=None, feed_fn=None, batch_size=None,
                 steps=None, metrics=None, name=None, checkpoint_path=None, hooks=None,
                 log_progress=True):
        """The loss, the model_fn's and `metrics`' values and the global step, over one
        pass of `x`, `y` (or the input_fn, or `steps` batches of it)."""
        verify_input_args(x, y, input_fn, feed_fn, batch_size)
        if x is not None:
            return SKCompat(self).score(x, y, batch_size, steps, metrics, name)
        return self._evaluate(input_fn, feed_fn, steps, metrics, name, checkpoint_path, hooks)

    def predict(self, x=None, input_fn=None, batch_size=None, outputs=None, as_iterable=True,
                iterate_batches=False):
        """The predictions for `x` or the input_fn: an iterable of one example (or one
        batch) at a time, else arrays. An input without a feed or a queue is one batch."""
        verify_input_args(x, None, input_fn, None, batch_size)
        if x is not None and not as_iterable:
            return SKCompat(self).predict(x, batch_size)
        input_fn, feed_fn = input_and_feed_fn(x, None, input_fn, None, batch_size)
        return self._infer(input_fn, feed_fn, outputs, as_iterable, iterate_batches)

    def export_savedmodel(self, export_dir_base, serving_input_fn,
                          default_output_alternative_key=None, assets_extra=None,
                          as_text=False, checkpoint_path=None, graph_rewrite_specs=None,
                          strip_default_attrs=False):
        """A SavedModel of the INFER graph that `serving_input_fn` feeds: contrib's
        InputFnOps (its default inputs feed the signature) or a ServingInputReceiver."""
        if default_output_alternative_key is not None or graph_rewrite_specs is not None:
            raise ValueError('export_savedmodel(default_output_alternative_key=..., '
                             'graph_rewrite_specs=...) is not provided by tf1: the SavedModel '
                             "has the model_fn's signatures, for the serving graph")
        return super(Estimator, self).export_savedmodel(
            export_dir_base, as_serving_input_receiver(serving_input_fn), assets_extra,
            as_text, checkpoint_path, strip_default_attrs)

    # ------------------------------------------------------------------ the model_fn

    def _estimator_spec(self, features, labels, mode, config):
        """The model_fn tf.estimator.Estimator calls: the contrib one, as contrib called it."""
        return self._model_fn_ops(features, labels, mode, config).estimator_spec()

    def _get_predict_ops(self, features):
        """The INFER ModelFnOps for `features`, in the default graph (TF 1.x's name:
        tf.contrib.predictor calls it)."""
        return self._model_fn_ops(features, None, ModeKeys.INFER, self.config)

    def _model_fn_ops(self, features, labels, mode, config):
        """What the contrib model_fn returns, as ModelFnOps."""
        if mode == ModeKeys.INFER and self._labels_signature is not None:
            labels = _placeholders(self._labels_signature)  # as TF 1.x gave a fitted model
        elif labels is not None and mode != ModeKeys.INFER:
            self._labels_signature = _signature(labels)
        features, labels = self._feature_engineering_fn(features, labels)
        names = estimator_core.arg_names(self._learn_model_fn)
        available = {'mode': mode, 'params': self.params, 'config': config,
                     'model_dir': self.model_dir}
        results = self._learn_model_fn(features, labels, **{
            name: value for name, value in available.items() if name in names})
        if not isinstance(results, ModelFnOps):
            if not isinstance(results, (tuple, list)) or len(results) != 3:
                raise ValueError('Unrecognized value returned by model_fn, please return '
                                 'ModelFnOps.')
            results = ModelFnOps(mode=mode, predictions=results[0], loss=results[1],
                                 train_op=results[2])
        if mode == ModeKeys.EVAL and self._metrics:
            results.eval_metric_ops.update(  # custom metrics overwrite the model_fn's
                _metric_ops(self._metrics, features, labels, results.predictions))
        loss_metric = results.eval_metric_ops.get('loss')
        self._loss_metric_op = None if loss_metric is None else _value_and_update(loss_metric)
        return results

    def _loss_metric(self, spec):
        """The model_fn's own 'loss' metric (the heads' weighted average), else the mean."""
        return self._loss_metric_op or super(Estimator, self)._loss_metric(spec)

    # ------------------------------------------------------------------ evaluation, inference

    def _evaluate(self, input_fn, feed_fn, steps, metrics, name, checkpoint_path=None,
                  hooks=None):
        if metrics is not None and not isinstance(metrics, dict):
            raise ValueError('Metrics argument should be None or dict. Got %s.' % metrics)
        checkpoint_path = checkpoint_path or self._fitted_checkpoint()
        hooks = list(hooks or []) + ([tf.train.FeedFnHook(feed_fn)] if feed_fn else [])
        self._metrics = metrics
        try:
            return super(Estimator, self).evaluate(input_fn, steps=steps, hooks=hooks,
                                                   checkpoint_path=checkpoint_path, name=name)
        finally:
            self._metrics = None

    def _infer(self, input_fn, feed_fn, outputs, as_iterable, iterate_batches):
        """As TF 1.x did: the graph and its session are made now, and the predictions come
        from the session afterwards, with the caller's default graph back in place."""
        checkpoint_path = self._fitted_checkpoint()
        hooks = [tf.train.FeedFnHook(feed_fn)] if feed_fn else []
        with self._mode_graph(input_fn, ModeKeys.INFER, checkpoint_path) as (
                spec, _, input_hooks):
            if outputs and not isinstance(spec.predictions, dict):
                raise ValueError('outputs argument is not valid in case of non-dict '
                                 'predictions.')
            predictions = estimator_outputs.selected_predictions(spec.predictions, outputs)
            # Without a feed or a queue, TF 1.x took the input for a constant: one batch.
            constant = not feed_fn and not tf.get_collection(tf.GraphKeys.QUEUE_RUNNERS)
            session = self._restoring_session(spec, checkpoint_path, input_hooks + hooks)
        if not as_iterable:
            with session:
                if not session.should_stop():
                    return session.run(predictions)
            return None
        return _predictions(session, predictions, constant, iterate_batches)

    def _fitted_checkpoint(self):
        checkpoint = self.latest_checkpoint()
        if not checkpoint:
            raise NotFittedError("Couldn't find trained model at %s." % self.model_dir)
        return checkpoint


class SKCompat(object):
    """scikit-learn's fit/score/predict on NumPy arrays, in batches of 128."""

    def __init__(self, estimator):
        self._estimator = estimator

    def fit(self, x, y, batch_size=128, steps=None, max_steps=None, monitors=None):
        input_fn, feed_fn = input_and_feed_fn(x, y, None, None, batch_size, shuffle=True,
                                              epochs=None)
        self._estimator.fit(input_fn=input_fn, steps=steps, max_steps=max_steps,
                            monitors=[tf.train.FeedFnHook(feed_fn)] + list(monitors or []))
        return self

    def score(self, x, y, batch_size=128, steps=None, metrics=None, name=None):
        input_fn, feed_fn = input_and_feed_fn(x, y, None, None, batch_size, shuffle=False,
                                              epochs=1)
        return self._estimator._evaluate(input_fn, feed_fn, steps, metrics, name)

    def predict(self, x, batch_size=128, outputs=None):
        input_fn, feed_fn = input_and_feed_fn(x, None, None, None, batch_size, shuffle=False,
                                              epochs=1)
        results = list(self._estimator._infer(input_fn, feed_fn, outputs, as_iterable=True,
                                              iterate_batches=True))
        if not isinstance(results[0], dict):
            return np.concatenate(results, axis=0)
        return {key: np.concatenate([batch[key] for batch in results], axis=0)
                for key in results[0]}


def _value_and_update(metric):
    """(value, update_op): contrib's model_fns and MetricSpecs could give a value alone."""
    if isinstance(metric, (tuple, list)) and len(metric) == 2:
        return tuple(metric)
    return metric, tf.no_op()


def _predictions(session, predictions, constant, iterate_batches):
    """Yield each batch, or each example of it, until the input ends (one batch when the
    input is `constant`); the session closes with the generator."""
    with session:
        while not session.should_stop():
            batch = session.run(predictions)
            if iterate_batches:
                yield batch
            else:
                yield from estimator_outputs.examples(batch)
            if constant:
                return


def _metric_ops(metrics, features, labels, predictions):
    """TF 1.x's _make_metrics_ops, in sorted order (a stable graph): each MetricSpec's
    metric; or, deprecated since 2016 but still taken by TF 1.15, a bare metric function
    of (predictions, labels), under a name or under (name, prediction key)."""
    # Labels of one key are that tensor, for the bare functions.
    single_labels = (next(iter(labels.values()))
                     if isinstance(labels, dict) and len(labels) == 1 else labels)
    result = {}
    for name, metric in sorted(metrics.items(), key=lambda item: str(item[0])):
        if isinstance(metric, MetricSpec):
            result[name] = metric.create_metric_ops(features, labels, predictions)
            continue
        tf.logging.warning('Please specify metrics using MetricSpec. Using bare functions or '
                           '(key, fn) tuples is deprecated and support for it will be '
                           'removed on Oct 1, 2016.')
        if isinstance(name, tuple):
            if len(name) != 2:
                raise ValueError('Invalid metric for {}. It returned a tuple with len {}, '
                                 'expected 2.'.format(name, len(name)))
            if not isinstance(predictions, dict):
                raise ValueError('Metrics passed provide (name, prediction), but predictions '
                                 'are not dict. Metrics: %s, Predictions: %s.'
                                 % (metrics, predictions))
            name, key = name
            if key not in predictions:
                raise ValueError('Metric %r is of the prediction %r, which the model_fn does '
                                 'not give; its predictions are %s'
                                 % (name, key, sorted(predictions)))
            these_labels = (labels[key] if isinstance(labels, dict) and key in labels
                            else single_labels)
            result[name] = metric(predictions[key], these_labels)
        else:
            if isinstance(predictions, dict):
                raise ValueError('Metrics passed provide only name, no prediction, but '
                                 'predictions are dict. Metrics: %s, Labels: %s.'
                                 % (metrics, single_labels))
            result[name] = metric(predictions, single_labels)
    return result


def _signature(tensors):
    if isinstance(tensors, dict):
        return {key: _signature(value) for key, value in tensors.items()}
    return tensors.dtype, tensors.shape


def _placeholders(signature):
    if isinstance(signature, dict):
        return {key: _placeholders(value) for key, value in signature.items()}
    dtype, shape = signature
    return tf.placeholder(dtype, [None] + shape.as_list()[1:] if shape.rank else shape)

