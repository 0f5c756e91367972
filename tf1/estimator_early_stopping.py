"""TF 1.x's early stopping (tensorflow_estimator's early_stopping.py; TF 1.10-1.12 as
tf.contrib.estimator.*, TF 1.13-1.15 as tf.estimator.experimental.*): training hooks
that read the evaluations in the model's eval directory and stop training when a metric
crosses a threshold or stops improving.

    hook = tf.estimator.experimental.stop_if_no_decrease_hook(estimator, 'loss', 1000)
    tf.estimator.train_and_evaluate(estimator, TrainSpec(..., hooks=[hook]), eval_spec)

The stop is also written to a variable, `signal_early_stopping/STOP`, as TF 1.x did for
its workers. With them, TF 1.13-1.15's make_stop_at_checkpoint_step_hook: a stop at a
step, which a worker other than the chief takes only once the chief's checkpoint of that
step is written.
"""
import collections
import operator
import os
import time

import tensorflow.compat.v1 as tf
from tensorflow.python.training import training_util

from tf1 import estimator_core
from tf1.estimator_core import Estimator


def read_eval_metrics(eval_dir):
    """{global step: {metric: value}} from the event files in `eval_dir`, by step."""
    results = collections.defaultdict(dict)
    if tf.gfile.Exists(eval_dir):
        for path in tf.gfile.Glob(os.path.join(eval_dir, '*.tfevents.*')):
            try:
                for event in tf.train.summary_iterator(path):
                    values = {value.tag: value.simple_value for value in event.summary.value
                              if value.HasField('simple_value')}
                    if values:
                        results[event.step].update(values)
            except tf.errors.DataLossError as error:
                tf.logging.warning('Skipping rest of the file due to encountering data '
                                   'corruption error; file path: %s; original error raised '
                                   'by `tf.train.summary_iterator`: %s', path, error)
    return collections.OrderedDict(sorted(results.items()))


def make_early_stopping_hook(estimator, should_stop_fn, run_every_secs=60,
                             run_every_steps=None):
    """A hook that calls should_stop_fn() every `run_every_secs` (or steps) and stops
    training when it returns True."""
    if not isinstance(estimator, Estimator):
        raise TypeError('`estimator` must have type `tf.estimator.Estimator`. Got: {}'.format(
            type(estimator)))
    if run_every_secs is not None and run_every_steps is not None:
        raise ValueError('Only one of `run_every_secs` and `run_every_steps` must be set.')
    return _StopOnPredicateHook(should_stop_fn, run_every_secs, run_every_steps)


def stop_if_higher_hook(estimator, metric_name, threshold, eval_dir=None, min_steps=0,
                        run_every_secs=60, run_every_steps=None):
    """Stop once an evaluation's `metric_name` is above `threshold`."""
    return _threshold_hook(estimator, metric_name, threshold, True, eval_dir, min_steps,
                           run_every_secs, run_every_steps)


def stop_if_lower_hook(estimator, metric_name, threshold, eval_dir=None, min_steps=0,
                       run_every_secs=60, run_every_steps=None):
    """Stop once an evaluation's `metric_name` is below `threshold`."""
    return _threshold_hook(estimator, metric_name, threshold, False, eval_dir, min_steps,
                           run_every_secs, run_every_steps)


def stop_if_no_increase_hook(estimator, metric_name, max_steps_without_increase,
                             eval_dir=None, min_steps=0, run_every_secs=60,
                             run_every_steps=None):
    """Stop when `metric_name`'s best evaluation is `max_steps_without_increase` steps
    behind the latest."""
    return _no_improvement_hook(estimator, metric_name, max_steps_without_increase, True,
                                eval_dir, min_steps, run_every_secs, run_every_steps)


def stop_if_no_decrease_hook(estimator, metric_name, max_steps_without_decrease,
                             eval_dir=None, min_steps=0, run_every_secs=60,
                             run_every_steps=None):
    """Stop when `metric_name`'s lowest evaluation is `max_steps_without_decrease` steps
    behind the latest."""
    return _no_improvement_hook(estimator, metric_name, max_steps_without_decrease, False,
                                eval_dir, min_steps, run_every_secs, run_every_steps)


def _threshold_hook(estimator, metric_name, threshold, higher_is_better, eval_dir,
                    min_steps, run_every_secs, run_every_steps):
    eval_dir = estimator.eval_dir() if eval_dir is None else eval_dir
    better = operator.gt if higher_is_better else operator.lt

    def crossed():
        for step, metrics in read_eval_metrics(eval_dir).items():
            if step >= min_steps and better(metrics[metric_name], threshold):
                tf.logging.info('At step %s, metric "%s" has value %s which is %s the '
                                'configured threshold (%s) for early stopping.', step,
                                metric_name, metrics[metric_name],
                                'greater than' if higher_is_better else 'less than', threshold)
                return True
        return False
    return make_early_stopping_hook(estimator, crossed, run_every_secs, run_every_steps)


def _no_improvement_hook(estimator, metric_name, max_steps, higher_is_better, eval_dir,
                         min_steps, run_every_secs, run_every_steps):
    eval_dir = estimator.eval_dir() if eval_dir is None else eval_dir
    better = operator.gt if higher_is_better else operator.lt

    def stalled():
        best_value = best_step = None
        for step, metrics in read_eval_metrics(eval_dir).items():
            if step < min_steps:
                continue
            if best_value is None or better(metrics[metric_name], best_value):
                best_value, best_step = metrics[metric_name], step
            if step - best_step >= max_steps:
                tf.logging.info('No %s in metric "%s" for %s steps, which is greater than or '
                                'equal to max steps (%s) configured for early stopping.',
                                'increase' if higher_is_better else 'decrease', metric_name,
                                step - best_step, max_steps)
                return True
        return False
    return make_early_stopping_hook(estimator, stalled, run_every_secs, run_every_steps)


class _StopOnPredicateHook(tf.train.SessionRunHook):
    """Requests a stop (and sets signal_early_stopping/STOP) when should_stop_fn() says."""

    def __init__(self, should_stop_fn, run_every_secs, run_every_steps):
        if not callable(should_stop_fn):
            raise TypeError('`should_stop_fn` must be callable.')
        self._should_stop_fn = should_stop_fn
        self._timer = tf.train.SecondOrStepTimer(every_secs=run_every_secs,
                                                 every_steps=run_every_steps)

    def begin(self):
        self._global_step = tf.train.get_global_step()
        with tf.variable_scope('signal_early_stopping', values=[], reuse=tf.AUTO_REUSE):
            stop = tf.get_variable('STOP', shape=[], dtype=tf.bool,
                                   initializer=tf.constant_initializer(False),
                                   collections=[tf.GraphKeys.GLOBAL_VARIABLES],
                                   trainable=False)
        self._stop_op = tf.assign(stop, True)

    def before_run(self, run_context):
        return tf.train.SessionRunArgs(self._global_step)

    def after_run(self, run_context, run_values):
        global_step = run_values.results
        if self._timer.should_trigger_for_step(global_step):
            self._timer.update_last_triggered_step(global_step)
            if self._should_stop_fn():
                tf.logging.info('Requesting early stopping at global step %d', global_step)
                run_context.session.run(self._stop_op)
                run_context.request_stop()


def make_stop_at_checkpoint_step_hook(estimator, last_step, wait_after_file_check_secs=30):
    """Stop at `last_step`: on the chief, tf.train.StopAtStepHook; on another worker, once
    the newest checkpoint in the model's directory has reached it."""
    if estimator.config.is_chief:
        return tf.train.StopAtStepHook(last_step=last_step)
    return _StopAtCheckpointStepHook(estimator.model_dir, last_step,
                                     wait_after_file_check_secs)


class _StopAtCheckpointStepHook(tf.train.SessionRunHook):
    """Requests a stop once training is past `last_step` and the newest checkpoint in
    `model_dir` is too; until then it waits `wait_after_file_check_secs` after each look at
    the checkpoint, as many workers reading it at once would load the file system."""

    def __init__(self, model_dir, last_step, wait_after_file_check_secs=30):
        if last_step is None:
            raise ValueError('last_step must be specified.')
        if model_dir is None:
            raise ValueError('model_dir must be specified.')
        self._model_dir, self._last_step = model_dir, last_step
        self._wait_after_file_check_secs = wait_after_file_check_secs

    def begin(self):
        self._global_step = training_util._get_or_create_global_step_read()
        if self._global_step is None:
            raise RuntimeError('Global step should be created to use '
                               'StopAtCheckpointStepHook.')

    def before_run(self, run_context):
        return tf.train.SessionRunArgs(self._global_step)

    def after_run(self, run_context, run_values):
        if run_values.results + 1 >= self._last_step:
            if _load_global_step_from_checkpoint_dir(self._model_dir) >= self._last_step:
                run_context.request_stop()
            else:
                time.sleep(self._wait_after_file_check_secs)


def _load_global_step_from_checkpoint_dir(checkpoint_dir):
    """The newest checkpoint's global step; 0 where there is none to read, whatever the
    reason (no model_dir yet, as TF 1.x's bare except took it). TF 1.x's private helper,
    also by its name in tf.estimator: tensorflow/tpu's models resume with it."""
    try:
        return estimator_core.saved_global_step(checkpoint_dir)
    except Exception:  # noqa: BLE001 (TF 1.x's: any failure means "start from 0")
        return 0
