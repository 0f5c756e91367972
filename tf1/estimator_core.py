"""TF 1.x's tf.estimator.Estimator, rebuilt on tensorflow.compat.v1.

An Estimator owns a model_fn and a model_dir. Every call builds a fresh graph: the
input_fn makes the batches, the model_fn makes an EstimatorSpec for the mode, and a
MonitoredSession runs it. Training resumes from the newest checkpoint in model_dir and
writes checkpoints and TensorBoard summaries there, evaluation restores the newest
checkpoint and writes its metrics to model_dir/eval, prediction restores it and yields
the predictions one example at a time - all as TF 1.x's Estimator did, without Keras.
"""
import contextlib
import copy
import functools
import inspect
import os
import tempfile
import time

import tensorflow as tf2
import tensorflow.compat.v1 as tf
from tensorflow.python.saved_model import path_helpers
from tensorflow.python.training import training_util

from tf1 import estimator_cluster
from tf1 import estimator_export as export
from tf1.estimator_outputs import examples, selected_predictions, write_eval_summary
from tf1.estimator_private import EstimatorPrivateNames
from tf1.estimator_spec import (EstimatorSpec, ModeKeys, RunConfig, WarmStartSettings,
                                checked_hooks)

_MODEL_FN_ARGS = {'features', 'labels', 'mode', 'params', 'config', 'self'}


# The Estimator's own check of the hooks it is given (EstimatorSpec's words differ).
_HOOKS_MESSAGE = 'Hooks must be a SessionRunHook'

# ---------------------------------------------------------------------------- Estimator

class Estimator(EstimatorPrivateNames):
    """Trains, evaluates and predicts with the model that `model_fn` builds."""

    global_step_read_first = True  # before the input_fn, as tf.estimator did

    def __init__(self, model_fn, model_dir=None, config=None, params=None,
                 warm_start_from=None):
        if not callable(model_fn):
            raise ValueError('model_fn must be provided to Estimator.')
        _check_model_fn_args(model_fn, params)
        config = config_with_model_dir(config, model_dir)
        session_config = config.session_config or tf.ConfigProto(allow_soft_placement=True)
        self._config = config.replace(session_config=session_config)
        tf.logging.info('Using config: %s', self._config)
        self._model_fn = model_fn
        self._params = copy.deepcopy(params or {})
        self._warm_start_settings = _warm_start_settings(warm_start_from)

    model_dir = property(lambda self: self._config.model_dir)
    config = property(lambda self: copy.deepcopy(self._config))
    params = property(lambda self: copy.deepcopy(self._params))

    @property
    def model_fn(self):
        """model_fn(features, labels, mode, config) -> EstimatorSpec, as the Estimator calls it."""
        return self._call_model_fn

    def latest_checkpoint(self):
        return tf.train.latest_checkpoint(self.model_dir)

    def get_variable_names(self):
        self._require_checkpoint()
        return [name for name, _ in tf.train.list_variables(self.model_dir)]

    def get_variable_value(self, name):
        self._require_checkpoint()
        return tf.train.load_variable(self.model_dir, name)

    def eval_dir(self, name=None):
        return os.path.join(self.model_dir, 'eval_' + name if name else 'eval')

    def train(self, input_fn, hooks=None, steps=None, max_steps=None, saving_listeners=None):
        """Train until the input ends, `steps` more steps, or global step `max_steps`."""
        estimator_cluster.check_local(self._config._cluster_settings, 'train')
        if steps is not None and max_steps is not None:
            raise ValueError('Can not provide both steps and max_steps.')
        if steps is not None and steps <= 0:
            raise ValueError('Must specify steps > 0, given: {}'.format(steps))
        if max_steps is not None and max_steps <= 0:
            raise ValueError('Must specify max_steps > 0, given: {}'.format(max_steps))
        if max_steps is not None and max_steps <= saved_global_step(self.model_dir):
            tf.logging.info('Skipping training since max_steps has already saved.')
            return self
        hooks = checked_hooks(hooks, _HOOKS_MESSAGE)
        if steps is not None or max_steps is not None:
            hooks.append(tf.train.StopAtStepHook(steps, max_steps))
        for listener in saving_listeners or []:
            if not isinstance(listener, tf.train.CheckpointSaverListener):
                raise TypeError('saving_listeners must be a list of CheckpointSaverListener, '
                                'given: {}'.format(listener))
        with self._mode_graph(input_fn, ModeKeys.TRAIN, self.latest_checkpoint(),
                              self._config.device_fn) as (spec, global_step, input_hooks):
            loss = self._train_with_spec(spec, global_step, input_hooks + hooks,
                                         list(saving_listeners or []))
        tf.logging.info('Loss for final step: %s.', loss)
        return self

    def _train_with_spec(self, spec, global_step, hooks, saving_listeners):
        config = self._config
        # TensorBoard shows a 'loss' curve whether or not the model_fn made one.
        if not any(summary.op.name == 'loss'
                   for summary in tf.get_collection(tf.GraphKeys.SUMMARIES)):
            tf.summary.scalar('loss', spec.loss)
        tf.add_to_collection(tf.GraphKeys.LOSSES, spec.loss)
        hooks = hooks + [tf.train.NanTensorHook(spec.loss)]
        if config.log_step_count_steps is not None:
            hooks.append(tf.train.LoggingTensorHook({'loss': spec.loss, 'step': global_step},
                                                    every_n_iter=config.log_step_count_steps))
        hooks += spec.training_hooks
        if not (spec.scaffold.saver or tf.get_collection(tf.GraphKeys.SAVERS)):
            tf.add_to_collection(tf.GraphKeys.SAVERS, tf.train.Saver(
                sharded=True, max_to_keep=config.keep_checkpoint_max,
                keep_checkpoint_every_n_hours=config.keep_checkpoint_every_n_hours,
                defer_build=True, save_relative_paths=True))
        chief_hooks = list(spec.training_chief_hooks)
        saver_hooks = [hook for hook in hooks + chief_hooks
                       if isinstance(hook, tf.train.CheckpointSaverHook)]
        if not saver_hooks and (config.save_checkpoints_secs or config.save_checkpoints_steps):
            saver_hooks = [tf.train.CheckpointSaverHook(
                self.model_dir, save_secs=config.save_checkpoints_secs,
                save_steps=config.save_checkpoints_steps, scaffold=spec.scaffold,
                save_graph_def=config.checkpoint_save_graph_def)]
            chief_hooks += saver_hooks
        if saving_listeners and not saver_hooks:
            raise ValueError('There should be a CheckpointSaverHook to use saving_listeners. '
                             'Please set one of the RunConfig.save_checkpoints_steps or '
                             'RunConfig.save_checkpoints_secs.')
        for listener in saving_listeners:
            if listener not in saver_hooks[0]._listeners:  # TF 1.x attached them the same way
                saver_hooks[0]._listeners.append(listener)
        with tf.train.MonitoredTrainingSession(
                checkpoint_dir=self.model_dir, scaffold=spec.scaffold, hooks=hooks,
                chief_only_hooks=chief_hooks, save_checkpoint_secs=0,  # saver_hooks save
                save_summaries_steps=config.save_summary_steps, config=config.session_config,
                log_step_count_steps=config.log_step_count_steps,
                max_wait_secs=config.session_creation_timeout_secs,
                save_graph_def=config.checkpoint_save_graph_def) as session:
            loss, steps_run = None, 0
            while not session.should_stop():
                _, loss = session.run([spec.train_op, spec.loss])
                steps_run += 1
        if steps_run == 0:
            tf.logging.warning('Training with estimator made no steps. '
                               'Perhaps input is empty or misspecified.')
        return loss

    def evaluate(self, input_fn, steps=None, hooks=None, checkpoint_path=None, name=None):
        """Metrics of the newest (or given) checkpoint over the input, or `steps` batches:
        a dict with 'loss', 'global_step' and every eval_metric_ops value."""
        estimator_cluster.check_local(self._config._cluster_settings, 'evaluate')
        return self._evaluate_variables(input_fn, steps, hooks, name,
                                        self._checkpoint_to_restore(checkpoint_path, 'evaluate'))

    def _evaluate_variables(self, input_fn, steps=None, hooks=None, name=None,
                            checkpoint_path=None, variable_values=None):
        """evaluate() of a checkpoint, or of `variable_values` ({variable name: value}, a
        training session's: tf.estimator.experimental.InMemoryEvaluatorHook's way)."""
        hooks = checked_hooks(hooks, _HOOKS_MESSAGE)
        if steps is not None and steps <= 0:
            raise ValueError('Must specify steps > 0, given: {}'.format(steps))
        with self._mode_graph(input_fn, ModeKeys.EVAL, checkpoint_path) as (
                spec, global_step, input_hooks):
            for reserved, quoted in (('loss', '"loss"'), ('global_step', '`global_step`')):
                if reserved in spec.eval_metric_ops:  # quoted as TF 1.x's messages did
                    raise ValueError('Metric with name %s is not allowed, because Estimator '
                                     'already defines a default metric with the same name.'
                                     % quoted)
            metrics = dict(spec.eval_metric_ops, loss=self._loss_metric(spec))
            update_op = tf.group(*[metrics[key][1] for key in sorted(metrics)])
            values = {key: value for key, (value, _) in metrics.items()}
            values['global_step'] = global_step
            final_values = tf.train.FinalOpsHook(values)
            tf.logging.info('Starting evaluation at %s', time.strftime('%Y-%m-%dT%H:%M:%SZ',
                                                                       time.gmtime()))
            with self._restoring_session(spec, checkpoint_path, input_hooks + hooks +
                                         spec.evaluation_hooks + [final_values],
                                         variable_values) as session:
                batches = 0
                while not session.should_stop() and (steps is None or batches < steps):
                    session.run(update_op)
                    batches += 1
            tf.logging.info('Finished evaluation at %s', time.strftime('%Y-%m-%d-%H:%M:%S'))
            results = final_values.final_ops_values
            write_eval_summary(self.eval_dir(name), results, checkpoint_path)
        return results

    def _loss_metric(self, spec):
        """evaluate()'s 'loss': the mean of the batches' losses."""
        return tf.metrics.mean(spec.loss)

    def predict(self, input_fn, predict_keys=None, hooks=None, checkpoint_path=None,
                yield_single_examples=True):
        """Yield the predictions of the newest (or given) checkpoint until the input ends:
        one per example (a dict when the model_fn's predictions are a dict), or per batch."""
        estimator_cluster.check_local(self._config._cluster_settings, 'predict')
        hooks = checked_hooks(hooks, _HOOKS_MESSAGE)
        checkpoint_path = self._checkpoint_to_restore(checkpoint_path, 'predict')
        with self._mode_graph(input_fn, ModeKeys.PREDICT, checkpoint_path,
                              warn_endless_input=True) as (
                spec, _, input_hooks):
            predictions = selected_predictions(spec.predictions, predict_keys)
            with self._restoring_session(spec, checkpoint_path,
                                         input_hooks + hooks + spec.prediction_hooks) as session:
                while not session.should_stop():
                    batch = session.run(predictions)
                    if yield_single_examples:
                        yield from examples(batch)
                    else:
                        yield batch

    def export_saved_model(self, export_dir_base, serving_input_receiver_fn, assets_extra=None,
                           as_text=False, checkpoint_path=None,
                           experimental_mode=ModeKeys.PREDICT):
        """Save the `experimental_mode` graph (PREDICT: the serving graph) fed by the
        receiver fn, with the newest (or given) checkpoint, as a SavedModel in
        EXPORT_DIR_BASE/TIMESTAMP; return that path."""
        if not serving_input_receiver_fn:
            raise ValueError('An input_receiver_fn must be defined.')
        return self.experimental_export_all_saved_models(
            export_dir_base, {experimental_mode: serving_input_receiver_fn}, assets_extra,
            as_text, checkpoint_path)

    def experimental_export_all_saved_models(self, export_dir_base, input_receiver_fn_map,
                                             assets_extra=None, as_text=False,
                                             checkpoint_path=None):
        """One SavedModel with a meta graph per mode of input_receiver_fn_map ({ModeKeys.X:
        input_receiver_fn}: TRAIN and EVAL take a SupervisedInputReceiver), sharing one set
        of variables; return its path."""
        return export.export_all_saved_models(self, export_dir_base, input_receiver_fn_map,
                                              assets_extra, as_text, checkpoint_path,
                                              strip_default_attrs=True)

    def export_savedmodel(self, export_dir_base, serving_input_receiver_fn, assets_extra=None,
                          as_text=False, checkpoint_path=None, strip_default_attrs=False):
        """TF 1.x's older name for export_saved_model (the serving graph only)."""
        if not serving_input_receiver_fn:
            raise ValueError('An input_receiver_fn must be defined.')
        return export.export_all_saved_models(
            self, export_dir_base, {ModeKeys.PREDICT: serving_input_receiver_fn},
            assets_extra, as_text, checkpoint_path, strip_default_attrs)

    # ------------------------------------------------------------------------ internals

    def _require_checkpoint(self):
        if not self.latest_checkpoint():
            raise ValueError('Could not find trained model in model_dir: {}.'.format(
                self.model_dir))

    def _checkpoint_to_restore(self, checkpoint_path, verb):
        checkpoint_path = checkpoint_path or self.latest_checkpoint()
        if not checkpoint_path:
            tf.logging.info('Could not find trained model in model_dir: %s, running '
                            'initialization to %s.', self.model_dir, verb)
        return checkpoint_path

    @contextlib.contextmanager
    def _mode_graph(self, input_fn, mode, checkpoint_path, device_fn=None,
                    warn_endless_input=False):
        """A fresh default graph holding the global step, the input and the model_fn's
        EstimatorSpec for `mode`; yields (spec, global step, the input's hooks). Without a
        checkpoint to restore, warm_start_from's variables are taken, as TF 1.x did. With
        `warn_endless_input` (predict's), an input that never ends is warned about."""
        with tf.Graph().as_default() as graph, graph.device(device_fn):
            tf.set_random_seed(self._config.tf_random_seed)
            global_step = self._create_and_assert_global_step(graph)
            # The global step's read, which the step hooks fetch, made where TF 1.x made it.
            if mode == ModeKeys.TRAIN and self.global_step_read_first:
                training_util._get_or_create_global_step_read(graph)
            features, labels, input_hooks = self._call_input_fn(input_fn, mode)
            if mode == ModeKeys.TRAIN:
                training_util._get_or_create_global_step_read(graph)
            if mode == ModeKeys.PREDICT:
                labels = None  # predict input_fns may return labels; they go unused
            if warn_endless_input and not _reads_a_dataset_or_queue(features, graph):
                tf.logging.warning('Input graph does not use tf.data.Dataset or contain a '
                                   'QueueRunner. That means predict yields forever. This is '
                                   'probably a mistake.')
            spec = self._call_model_fn(features, labels, mode, self._config)
            if self._warm_start_settings and not checkpoint_path:
                tf.logging.info('Warm-starting with WarmStartSettings: %s',
                                self._warm_start_settings)
                tf.train.warm_start(*self._warm_start_settings)
            yield spec, global_step, input_hooks

    def _restoring_session(self, spec, checkpoint_path, hooks, variable_values=None):
        """A MonitoredSession that restores `checkpoint_path`, or initializes without one
        (then loads `variable_values` by variable name, if given)."""
        scaffold = spec.scaffold
        if variable_values is not None:
            def load_values(scaffold, session):
                for variable in tf.global_variables():
                    if variable.op.name in variable_values:
                        variable.load(variable_values[variable.op.name], session)
            scaffold = tf.train.Scaffold(init_fn=load_values, copy_from_scaffold=scaffold)
        return tf.train.MonitoredSession(
            session_creator=tf.train.ChiefSessionCreator(
                scaffold=scaffold, checkpoint_filename_with_path=checkpoint_path,
                config=self._config.session_config),
            hooks=hooks)

    def _call_input_fn(self, input_fn, mode):
        """(features, labels, hooks) from input_fn, which returns (features, labels),
        features alone, or a tf.data.Dataset of either."""
        available = {'mode': mode, 'params': self._mode_params(mode), 'config': self.config}
        arguments = {name: available[name] for name in arg_names(input_fn)
                     if name in available}
        with tf.device('/cpu:0'):
            result = input_fn(**arguments)
        hooks = []
        if isinstance(result, tf2.data.Dataset):
            iterator = tf.data.make_initializable_iterator(result)
            hooks.append(_IteratorInitializerHook(iterator))
            result = iterator.get_next()
        if isinstance(result, (list, tuple)):
            if len(result) != 2:
                raise ValueError('input_fn should return (features, labels) as a len 2 tuple.')
            return result[0], result[1], hooks
        return result, None, hooks

    def _mode_params(self, mode):
        """The params the input_fn and model_fn get in `mode`: the Estimator's (TPUEstimator
        adds the mode's batch size)."""
        return self.params

    def _call_model_fn(self, features, labels, mode, config):
        names = arg_names(self._model_fn)
        arguments = {}
        if 'labels' in names:
            arguments['labels'] = labels
        elif labels is not None:
            raise ValueError('model_fn does not take labels, but input_fn returns labels.')
        for name, value in (('mode', mode), ('params', self._mode_params(mode)),
                            ('config', config)):
            if name in names:
                arguments[name] = value
        tf.logging.info('Calling model_fn.')
        spec = self._model_fn(features=features, **arguments)
        tf.logging.info('Done calling model_fn.')
        if not isinstance(spec, EstimatorSpec):
            raise ValueError('model_fn should return an EstimatorSpec.')
        return spec


class _IteratorInitializerHook(tf.train.SessionRunHook):
    """Starts a Dataset's iterator when the session is created (and re-created)."""

    def __init__(self, iterator):
        self._iterator = iterator

    def begin(self):
        self._initializer = self._iterator.initializer

    def after_create_session(self, session, coord):
        session.run(self._initializer)


def arg_names(fn):
    """The names `fn` can be called with, as TF 1.x's fn_args saw them: no *args or
    **kwargs, no `self` of a bound method, nothing a functools.partial already fixed."""
    if isinstance(fn, functools.partial):
        names = arg_names(fn.func)[len(fn.args):]
        return [name for name in names if name not in (fn.keywords or {})]
    parameters = inspect.signature(fn).parameters.values()
    return [p.name for p in parameters if p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)]


def _check_model_fn_args(model_fn, params):
    names = set(arg_names(model_fn))
    label = getattr(model_fn, '__name__', model_fn)
    if 'features' not in names:
        raise ValueError('model_fn (%s) must include features argument.' % label)
    if params is not None and 'params' not in names:
        raise ValueError('model_fn (%s) does not include params argument, but params (%s) is '
                         'passed to Estimator.' % (label, params))
    if params is None and 'params' in names:
        tf.logging.warning("Estimator's model_fn (%s) includes params argument, but params "
                           "are not passed to Estimator.", label)
    unexpected = names - _MODEL_FN_ARGS
    if unexpected:
        raise ValueError('model_fn (%s) has following not expected args: %s'
                         % (label, sorted(unexpected)))


def config_with_model_dir(config, model_dir):
    """`config` (a RunConfig; a default one when None) with the model_dir an Estimator
    uses: `model_dir` or config's (they must agree), else a new temporary directory."""
    if config is None:
        tf.logging.info('Using default config.')
        config = RunConfig()
    if not isinstance(config, RunConfig):
        raise ValueError('config must be an instance of `RunConfig`, but provided %s.'
                         % config)
    model_dir = None if model_dir is None else os.fspath(model_dir)
    if model_dir and config.model_dir and model_dir != config.model_dir:
        raise ValueError("`model_dir` are set both in constructor and `RunConfig`, but with "
                         "different values. In constructor: '%s', in `RunConfig`: '%s'"
                         % (model_dir, config.model_dir))
    model_dir = model_dir or config.model_dir
    if not model_dir:
        model_dir = tempfile.mkdtemp()
        tf.logging.warning('Using temporary folder as model directory: %s', model_dir)
    return config.replace(model_dir=model_dir)


def _reads_a_dataset_or_queue(features, graph):
    """Whether the input ends: its features are a dataset's next element (TF 1.x looked at
    them alone) or the graph has queue runners."""
    return (any(isinstance(value, tf.Tensor) and value.op.type.startswith('IteratorGetNext')
                for value in tf.nest.flatten(features))
            or bool(graph.get_collection(tf.GraphKeys.QUEUE_RUNNERS)))


def _warm_start_settings(warm_start_from):
    """WarmStartSettings from a checkpoint (or its directory) or an exported SavedModel,
    whose variables/ is a checkpoint, as TF 1.x took them."""
    if warm_start_from is None or isinstance(warm_start_from, WarmStartSettings):
        return warm_start_from
    if isinstance(warm_start_from, (str, bytes, os.PathLike)):
        path = os.fsdecode(warm_start_from)
        variables = path_helpers.get_variables_path(path)
        if tf.gfile.Exists(variables + '.index'):
            tf.logging.info('Warm-starting from a SavedModel')
            return WarmStartSettings(variables)
        return WarmStartSettings(path)
    raise ValueError('warm_start_from must be a string or a WarmStartSettings, instead got '
                     '{}'.format(type(warm_start_from).__name__))


def saved_global_step(model_dir):
    """The global step of model_dir's newest checkpoint; 0 without one (or without a step)."""
    checkpoint = tf.train.latest_checkpoint(model_dir)
    try:
        return tf.train.load_variable(checkpoint, tf.GraphKeys.GLOBAL_STEP) if checkpoint else 0
    except tf.errors.NotFoundError:
        return 0
