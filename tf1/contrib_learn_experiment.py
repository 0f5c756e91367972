"""tf.contrib.learn's Experiment and learn_runner (TF 1.1-1.15): training and evaluation
interleaved for an Estimator (tf.estimator's or contrib.learn's), run by schedule name.
Ported from TF 1.x's contrib/learn/python/learn/experiment.py and learn_runner.py, for one
machine (as tf1's RunConfig is: no cluster, so no parameter servers or workers).

    def experiment_fn(run_config, hparams):
        estimator = tf.estimator.Estimator(model_fn, config=run_config, params=hparams)
        return tf.contrib.learn.Experiment(estimator, train_input_fn, eval_input_fn,
                                           train_steps=2000, eval_steps=10)

    learn_runner.run(experiment_fn, run_config=tf.contrib.learn.RunConfig(model_dir=DIR),
                     schedule='train_and_evaluate', hparams=HParams(learning_rate=0.1))

`train_and_evaluate` trains `train_steps` steps, evaluating each new checkpoint on the way
(at most every `min_eval_frequency` steps, and `check_interval_secs`), then once at the
end, and exports with each ExportStrategy; it returns (eval results, export paths).
"""
import collections
import os
import time

import tensorflow.compat.v1 as tf

from tf1 import estimator_core
from tf1.contrib_learn_estimator import Estimator as ContribEstimator
from tf1.contrib_learn_estimator import RunConfig
from tf1.contrib_learn_monitors import ValidationMonitor, replace_monitors_with_hooks
from tf1.contrib_training import HParams
from tf1.estimator_exporter import keep_newest_exports


class ExportStrategy(collections.namedtuple('ExportStrategy',
                                            ['name', 'export_fn', 'strip_default_attrs'])):
    """A named way to export an Estimator: export_fn(estimator, export_path,
    checkpoint_path[, eval_result]) -> the export's path."""

    def __new__(cls, name, export_fn, strip_default_attrs=None):
        return super(ExportStrategy, cls).__new__(cls, name, export_fn, strip_default_attrs)

    def export(self, estimator, export_path, checkpoint_path=None, eval_result=None):
        if 'eval_result' in estimator_core.arg_names(self.export_fn):
            return self.export_fn(estimator, export_path, checkpoint_path,
                                  eval_result=eval_result)
        return self.export_fn(estimator, export_path, checkpoint_path)


def make_export_strategy(serving_input_fn, default_output_alternative_key=None,
                         assets_extra=None, as_text=False, exports_to_keep=5,
                         strip_default_attrs=None):
    """saved_model_export_utils.make_export_strategy: a SavedModel of the PREDICT graph fed
    by `serving_input_fn` (a serving input receiver) in EXPORT_PATH/TIMESTAMP, keeping the
    newest `exports_to_keep` (all if None)."""
    if default_output_alternative_key is not None:
        raise ValueError('default_output_alternative_key is for contrib.learn\'s own export '
                         'signatures, which tf1 does not write: name the outputs in the '
                         "model_fn's export_outputs instead")

    def export_fn(estimator, export_dir_base, checkpoint_path=None):
        path = estimator.export_savedmodel(export_dir_base, serving_input_fn,
                                           assets_extra=assets_extra, as_text=as_text,
                                           checkpoint_path=checkpoint_path,
                                           strip_default_attrs=bool(strip_default_attrs))
        if exports_to_keep is not None:
            keep_newest_exports(export_dir_base, exports_to_keep)
        return path
    return ExportStrategy('Servo', export_fn, strip_default_attrs)


class Experiment(object):
    """An Estimator with its training and evaluation inputs; its methods are the schedules
    learn_runner runs by name: train, evaluate, train_and_evaluate, local_run,
    continuous_eval, continuous_eval_on_train_data, continuous_train_and_eval, test."""

    def __init__(self, estimator, train_input_fn, eval_input_fn, eval_metrics=None,
                 train_steps=None, eval_steps=100, train_monitors=None, eval_hooks=None,
                 local_eval_frequency=None, eval_delay_secs=120,
                 continuous_eval_throttle_secs=60, min_eval_frequency=None,
                 delay_workers_by_global_step=False, export_strategies=None,
                 train_steps_per_iteration=None, checkpoint_and_export=False,
                 saving_listeners=None, check_interval_secs=5):
        if not isinstance(estimator, estimator_core.Estimator):
            raise ValueError('`estimator` must implement `tf.contrib.learn.Evaluable` or '
                             '`tf.estimator.Estimator`.')
        self._contrib = isinstance(estimator, ContribEstimator)
        if not self._contrib and eval_metrics is not None:
            raise ValueError('`eval_metrics` must be `None` with `tf.estimator.Estimator`. '
                             'Use `eval_metric_ops` in `tf.estimator.EstimatorSpec` instead.')
        if self._contrib and saving_listeners is not None:
            raise ValueError('`saving_listeners` must be `None` with '
                             '`tf.contrib.learn.Estimator`.')
        if checkpoint_and_export:
            raise ValueError('checkpoint_and_export=True (exports at each checkpoint) is not '
                             'provided: export_strategies export after the final evaluation')
        if train_steps_per_iteration is not None and \
                not isinstance(train_steps_per_iteration, int):
            raise ValueError('`train_steps_per_iteration` must be an integer.')
        self._estimator = estimator
        self._train_input_fn, self._eval_input_fn = train_input_fn, eval_input_fn
        self._eval_metrics = eval_metrics
        self._train_steps, self._eval_steps = train_steps, eval_steps
        self._train_monitors = list(train_monitors or [])
        self._eval_hooks = list(eval_hooks or [])
        self._local_eval_frequency = local_eval_frequency
        self._eval_delay_secs = eval_delay_secs
        self._continuous_eval_throttle_secs = continuous_eval_throttle_secs
        self._min_eval_frequency = 1 if min_eval_frequency is None else min_eval_frequency
        self._train_steps_per_iteration = train_steps_per_iteration
        self._saving_listeners = saving_listeners
        self._check_interval_secs = check_interval_secs
        self._export_strategies = self._checked_export_strategies(export_strategies)

    estimator = property(lambda self: self._estimator)
    eval_metrics = property(lambda self: self._eval_metrics)
    train_steps = property(lambda self: self._train_steps)
    eval_steps = property(lambda self: self._eval_steps)

    @staticmethod
    def _checked_export_strategies(values):
        if values is None:
            return ()
        values = [values] if isinstance(values, ExportStrategy) else list(values)
        for value in values:
            if not isinstance(value, ExportStrategy):
                raise ValueError('`export_strategies` must be an ExportStrategy, an iterable '
                                 'of ExportStrategy, or `None`, found %s.' % (value,))
        return tuple(values)

    def extend_train_hooks(self, additional_hooks):
        self._train_monitors.extend(additional_hooks)

    def reset_export_strategies(self, new_export_strategies=None):
        """Replace the export strategies; returns the old ones."""
        old = self._export_strategies
        self._export_strategies = self._checked_export_strategies(new_export_strategies)
        return old

    # ------------------------------------------------------------------ the schedules
    def train(self, delay_secs=None):
        """Train `train_steps` steps (for ever if None) after `delay_secs` (none here: one
        machine, so no worker waits for its turn); returns the estimator."""
        if delay_secs:
            tf.logging.info('Waiting %d secs before starting training.', delay_secs)
            time.sleep(delay_secs)
        return self._call_train(max_steps=self._train_steps, hooks=self._train_monitors)

    def evaluate(self, delay_secs=None, name=None):
        """Evaluate the newest checkpoint after `delay_secs` (default eval_delay_secs)."""
        self._wait(self._eval_delay_secs if delay_secs is None else delay_secs)
        return self._call_evaluate(self._eval_input_fn, self._eval_steps,
                                   name=name or 'one_pass', hooks=self._eval_hooks)

    def local_run(self):
        """TF 1.0's name for train_and_evaluate, evaluating every local_eval_frequency."""
        saved = self._min_eval_frequency
        self._min_eval_frequency = self._local_eval_frequency
        try:
            return self.train_and_evaluate()
        finally:
            self._min_eval_frequency = saved

    def train_and_evaluate(self):
        """Train, evaluating each new checkpoint every min_eval_frequency steps (0: only
        at the end), evaluate at the end and export; returns (eval results, exports)."""
        hooks = list(self._train_monitors)
        if self._min_eval_frequency:
            hooks.append(ValidationMonitor(
                input_fn=self._eval_input_fn, eval_steps=self._eval_steps,
                metrics=self._eval_metrics, every_n_steps=self._min_eval_frequency,
                check_interval_secs=self._check_interval_secs, hooks=self._eval_hooks))
        self._call_train(max_steps=self._train_steps, hooks=hooks)
        eval_result = self._call_evaluate(self._eval_input_fn, self._eval_steps,
                                          hooks=self._eval_hooks)
        return eval_result, self._maybe_export(eval_result)

    def continuous_train_and_eval(self, continuous_eval_predicate_fn=None):
        """Train train_steps_per_iteration steps (default train_steps / 10, else 1,000),
        evaluate, export, and again, until train_steps or the predicate says stop."""
        predicate = _standardized_predicate(continuous_eval_predicate_fn)
        steps = self._train_steps_per_iteration or (
            int(self._train_steps / 10) if self._train_steps is not None else 1000)
        eval_result = export_results = checkpoint = None
        while not predicate or predicate(eval_result,
                                         checkpoint if eval_result else None):
            if self._has_training_stopped(eval_result):
                tf.logging.info('Stop training model as max steps reached')
                break
            tf.logging.info('Training model for %s steps', steps)
            self._call_train(steps=steps, hooks=self._train_monitors)
            tf.logging.info('Evaluating model now.')
            checkpoint = tf.train.latest_checkpoint(self._estimator.model_dir)
            eval_result = self._call_evaluate(self._eval_input_fn, self._eval_steps,
                                              name='one_pass', checkpoint_path=checkpoint,
                                              hooks=self._eval_hooks)
            export_results = self._maybe_export(eval_result)
        return eval_result, export_results

    def continuous_eval(self, delay_secs=None, throttle_delay_secs=None,
                        evaluate_checkpoint_only_once=True, continuous_eval_predicate_fn=None,
                        name='continuous'):
        """Evaluate each new checkpoint (another process trains) until the global step
        reaches train_steps or the predicate says stop."""
        self._continuous_eval(self._eval_input_fn, name, delay_secs, throttle_delay_secs,
                              evaluate_checkpoint_only_once, continuous_eval_predicate_fn)

    def continuous_eval_on_train_data(self, delay_secs=None, throttle_delay_secs=None,
                                      continuous_eval_predicate_fn=None,
                                      name='continuous_on_train_data'):
        self._continuous_eval(self._train_input_fn, name, delay_secs, throttle_delay_secs,
                              True, continuous_eval_predicate_fn, export=False)

    def test(self):
        """One step of training, one of evaluation, and the exports: a smoke test."""
        self._call_train(steps=1, hooks=self._train_monitors)
        eval_result = self._call_evaluate(self._eval_input_fn, 1, name='one_pass')
        self._maybe_export(eval_result)
        return eval_result

    def run_std_server(self):
        raise ValueError('run_std_server is the parameter servers\' schedule; tf1 runs an '
                         'Experiment on one machine: use train_and_evaluate')

    # ---------------------------------------------------------------------- internals
    def _continuous_eval(self, input_fn, name, delay_secs, throttle_delay_secs,
                         evaluate_checkpoint_only_once, predicate_fn, export=True):
        predicate = _standardized_predicate(predicate_fn)
        self._wait(self._eval_delay_secs if delay_secs is None else delay_secs)
        if throttle_delay_secs is None:
            throttle_delay_secs = self._continuous_eval_throttle_secs
        previous_path = eval_result = None
        while not predicate or predicate(eval_result,
                                         previous_path if eval_result else None):
            if self._has_training_stopped(eval_result):
                tf.logging.info('Exiting continuous eval, global_step=%s >= train_step=%s',
                                eval_result[tf.GraphKeys.GLOBAL_STEP], self._train_steps)
                return
            start = time.time()
            latest_path = tf.train.latest_checkpoint(self._estimator.model_dir)
            if latest_path and not (evaluate_checkpoint_only_once and
                                    latest_path == previous_path):
                eval_result = self._call_evaluate(input_fn, self._eval_steps, name=name,
                                                  checkpoint_path=latest_path,
                                                  hooks=self._eval_hooks) or {}
                if export:
                    self._maybe_export(eval_result, checkpoint_path=latest_path)
                previous_path = latest_path
            else:
                eval_result = {}
            self._wait(throttle_delay_secs - (time.time() - start))

    def _has_training_stopped(self, eval_result):
        global_step = (eval_result or {}).get(tf.GraphKeys.GLOBAL_STEP)
        return bool(global_step and self._train_steps and global_step >= self._train_steps)

    def _maybe_export(self, eval_result, checkpoint_path=None):
        base = os.path.join(self._estimator.model_dir, 'export')
        return [strategy.export(self._estimator, os.path.join(base, strategy.name),
                                checkpoint_path=checkpoint_path, eval_result=eval_result)
                for strategy in self._export_strategies]

    @staticmethod
    def _wait(seconds):
        if seconds and seconds > 0:
            tf.logging.info('Waiting %f secs before starting eval.', seconds)
            time.sleep(seconds)

    def _call_train(self, steps=None, max_steps=None, hooks=None):
        hooks = replace_monitors_with_hooks(hooks, self._estimator)
        if self._contrib:
            return self._estimator.fit(input_fn=self._train_input_fn, steps=steps,
                                       max_steps=max_steps, monitors=hooks)
        return self._estimator.train(self._train_input_fn, steps=steps, max_steps=max_steps,
                                     hooks=hooks, saving_listeners=self._saving_listeners)

    def _call_evaluate(self, input_fn, steps, name=None, checkpoint_path=None, hooks=None):
        if self._contrib:
            return self._estimator.evaluate(input_fn=input_fn, steps=steps,
                                            metrics=self._eval_metrics, name=name,
                                            checkpoint_path=checkpoint_path, hooks=hooks)
        return self._estimator.evaluate(input_fn, steps=steps, name=name,
                                        checkpoint_path=checkpoint_path, hooks=hooks)


def _standardized_predicate(predicate_fn):
    """predicate(eval_results, checkpoint_path), from either of TF 1.x's signatures."""
    if predicate_fn is None:
        return None
    if not callable(predicate_fn):
        raise ValueError('`continuous_eval_predicate_fn` must be a callable, or None.')
    if 'checkpoint_path' in estimator_core.arg_names(predicate_fn):
        return lambda results, path: predicate_fn(results, checkpoint_path=path)
    return lambda results, path: predicate_fn(results)


# ---------------------------------------------------------------------- learn_runner
def run(experiment_fn, output_dir=None, schedule=None, run_config=None, hparams=None):
    """Make the Experiment with experiment_fn(run_config, hparams) (or TF 1.0's
    experiment_fn(output_dir)) and run its method named `schedule` (default
    'train_and_evaluate', one machine's); returns what that method returns."""
    if output_dir is not None and run_config is not None:
        raise ValueError('Cannot provide both `output_dir` and `run_config`')
    if output_dir is None and run_config is None:
        raise ValueError('Must set value for `output_dir` or `run_config`')
    if not callable(experiment_fn):
        raise TypeError('Experiment builder "%s" is not callable.' % experiment_fn)
    if run_config is not None:
        if not isinstance(run_config, RunConfig):
            raise ValueError('`run_config` must be `tf.contrib.learn.RunConfig` instance')
        if not run_config.model_dir:
            raise ValueError('Must specify a model directory `model_dir` in `run_config`.')
        if hparams is not None and not isinstance(hparams, HParams):
            raise ValueError('`hparams` must be `HParams` instance')
        experiment = experiment_fn(run_config, hparams)  # positionally, as TF 1.x called it
    else:
        if not output_dir:
            raise ValueError('Must specify an output directory')
        if hparams is not None:
            raise ValueError('Must set `hparams` as None for `experiment_fn` with '
                             '`output_dir`.')
        experiment = experiment_fn(output_dir=output_dir)
    if not isinstance(experiment, Experiment):
        raise TypeError('Experiment builder did not return an Experiment instance, got %s '
                        'instead.' % type(experiment))
    if run_config is not None and \
            experiment.estimator.model_dir != os.fspath(run_config.model_dir):
        raise RuntimeError('Pass `run_config` argument of the `experiment_fn` to the '
                           'Estimator in Experiment: it writes to %s, not to run_config\'s '
                           'model_dir %s' % (experiment.estimator.model_dir,
                                             run_config.model_dir))
    schedule = schedule or 'train_and_evaluate'
    task = getattr(experiment, schedule, None) if not schedule.startswith('_') else None
    if task is None:
        valid = sorted(name for name in dir(experiment)
                       if not name.startswith('_') and callable(getattr(experiment, name)))
        raise ValueError('Schedule references non-existent task %s (allowed: %s)'
                         % (schedule, ', '.join(valid)))
    if not callable(task):
        raise TypeError('Schedule references non-callable member %s' % schedule)
    return task()
