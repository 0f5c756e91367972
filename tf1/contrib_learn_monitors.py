"""tf.contrib.learn.monitors, the callbacks TF 1.0-1.3's `fit(monitors=[...])` took before
SessionRunHooks replaced them: ValidationMonitor (evaluation of each new checkpoint while
training, with early stopping), PrintTensor, LoggingTrainable, CaptureVariable, NanLoss,
StopAtStep and their bases, BaseMonitor and EveryN. Ported from TF 1.x's
contrib/learn/python/learn/monitors.py, with its adapter that runs monitors as one
SessionRunHook (replace_monitors_with_hooks). Its savers and exporters are not ported: the
Estimator saves checkpoints and summaries itself (RunConfig).
"""
import copy
import inspect
import time

import numpy as np
import tensorflow.compat.v1 as tf


class BaseMonitor(object):
    """Callbacks around each training step: step_begin returns tensors to fetch,
    step_end sees them and may return True to stop, post_step may run the session."""

    def __init__(self):
        self._begun = False
        self._current_epoch = None
        self._current_step = None
        self._max_steps = None
        self._estimator = None

    @property
    def run_on_all_workers(self):
        return False

    def set_estimator(self, estimator):
        if estimator is None:
            raise ValueError('Missing estimator.')
        self._estimator = estimator

    def begin(self, max_steps=None):
        if self._begun:
            raise ValueError('begin called twice without end.')
        self._max_steps = max_steps
        self._begun = True

    def end(self, session=None):
        if not self._begun:
            raise ValueError('end called without begin.')
        self._max_steps = None
        self._begun = False

    def epoch_begin(self, epoch):
        if self._current_epoch is not None:
            raise ValueError('epoch_begin called twice without epoch_end.')
        if epoch < 0:
            raise ValueError('Invalid epoch %s.' % epoch)
        self._current_epoch = epoch

    def epoch_end(self, epoch):
        if self._current_epoch != epoch:
            raise ValueError('epoch_end expected %s but got %s.' % (self._current_epoch, epoch))
        self._current_epoch = None

    def step_begin(self, step):
        if step < 0 or (self._max_steps is not None and step > self._max_steps):
            raise ValueError('Invalid step %s.' % step)
        self._current_step = step
        return []

    def step_end(self, step, output):
        if self._current_step != step:
            raise ValueError('step_end expected %s but got %s.' % (self._current_step, step))
        self._current_step = None
        return False

    def post_step(self, step, session):
        pass


class EveryN(BaseMonitor):
    """Calls every_n_step_begin/_end/every_n_post_step on the first `first_n_steps` steps
    and then at most every `every_n_steps` steps (and after the last step)."""

    def __init__(self, every_n_steps=100, first_n_steps=1):
        super(EveryN, self).__init__()
        self._every_n_steps = every_n_steps
        self._first_n_steps = first_n_steps
        self._last_successful_step = None
        self._last_active_step = 0
        self._every_n_step_begin_called = False

    def every_n_step_begin(self, step):
        return []

    def every_n_step_end(self, step, outputs):
        return False

    def every_n_post_step(self, step, session):
        pass

    def step_begin(self, step):
        super(EveryN, self).step_begin(step)
        if (step <= self._first_n_steps or
                step >= self._every_n_steps + self._last_active_step or
                step == self._max_steps):
            self._every_n_step_begin_called = True
            return self.every_n_step_begin(step)
        self._every_n_step_begin_called = False
        return []

    def step_end(self, step, output):
        super(EveryN, self).step_end(step, output)
        if self._every_n_step_begin_called:
            return self.every_n_step_end(step, output)
        return False

    def post_step(self, step, session):
        super(EveryN, self).post_step(step, session)
        if self._every_n_step_begin_called:
            self.every_n_post_step(step, session)
            self._last_active_step = step
        self._last_successful_step = step

    def end(self, session=None):
        super(EveryN, self).end(session=session)
        if self._last_successful_step != self._last_active_step:
            self.every_n_post_step(self._last_successful_step, session)


class StopAtStep(BaseMonitor):
    """Stops after `num_steps` steps, or after step `last_step`."""

    def __init__(self, num_steps=None, last_step=None):
        super(StopAtStep, self).__init__()
        if num_steps is None and last_step is None:
            raise ValueError('One of num_steps or last_step must be specified.')
        if num_steps is not None and last_step is not None:
            raise ValueError('Only one of num_steps or last_step can be specified.')
        self._num_steps = num_steps
        self._last_step = last_step

    @property
    def run_on_all_workers(self):
        return True

    def step_begin(self, step):
        super(StopAtStep, self).step_begin(step)
        if self._last_step is None:
            self._last_step = step + self._num_steps - 1
        return []

    def step_end(self, step, output):
        super(StopAtStep, self).step_end(step, output)
        return step >= self._last_step


class PrintTensor(EveryN):
    """Logs the given tensors (a dict of tag to name, or names) every N steps."""

    def __init__(self, tensor_names, every_n=100, first_n=1):
        super(PrintTensor, self).__init__(every_n, first_n)
        if not isinstance(tensor_names, dict):
            tensor_names = {item: item for item in tensor_names}
        self._tensor_names = tensor_names

    def every_n_step_begin(self, step):
        return list(self._tensor_names.values())

    def every_n_step_end(self, step, outputs):
        _log_values('Step %d: %s', step, self._tensor_names, outputs)
        return False


class LoggingTrainable(EveryN):
    """Logs the values of the trainable variables (matching `scope`) every N steps."""

    def __init__(self, scope=None, every_n=100, first_n=1):
        super(LoggingTrainable, self).__init__(every_n, first_n)
        self._scope = scope

    def every_n_step_begin(self, step):
        trainables = tf.get_collection(tf.GraphKeys.TRAINABLE_VARIABLES, scope=self._scope)
        self._names = {variable.name: variable.value().name for variable in trainables}
        return list(self._names.values())

    def every_n_step_end(self, step, outputs):
        _log_values('Logging Trainable: Step %d: %s', step, self._names, outputs)
        return False


class CaptureVariable(EveryN):
    """The values of one tensor (`var_name` with its ':0'), by step, in `values`."""

    def __init__(self, var_name, every_n=100, first_n=1):
        super(CaptureVariable, self).__init__(every_n, first_n)
        self._var_name = var_name
        self._var_values = {}

    @property
    def values(self):
        return self._var_values

    def every_n_step_begin(self, step):
        return [self._var_name]

    def every_n_step_end(self, step, outputs):
        self._var_values[step] = _extract_output(outputs, self._var_name)
        return False


class NanLossDuringTrainingError(RuntimeError):
    def __str__(self):
        return 'NaN loss during training.'


class NanLoss(EveryN):
    """Stops (raising NanLossDuringTrainingError, or quietly) when the loss is NaN."""

    def __init__(self, loss_tensor, every_n_steps=100, fail_on_nan_loss=True):
        super(NanLoss, self).__init__(every_n_steps=every_n_steps)
        self._loss_tensor = loss_tensor
        self._fail_on_nan_loss = fail_on_nan_loss

    def every_n_step_begin(self, step):
        return [self._loss_tensor]

    def every_n_step_end(self, step, outputs):
        if not np.isnan(_extract_output(outputs, self._loss_tensor)):
            return False
        if self._fail_on_nan_loss:
            tf.logging.error('Model diverged with loss = NaN.')
            raise NanLossDuringTrainingError
        tf.logging.warning('Model diverged with loss = NaN.')
        return True


class ValidationMonitor(EveryN):
    """Evaluates each new checkpoint (at most every N steps and `check_interval_secs`)
    on `x`/`y` or `input_fn`, logs it, and stops training when `early_stopping_metric`
    has not improved for `early_stopping_rounds` steps."""

    def __init__(self, x=None, y=None, input_fn=None, batch_size=None, eval_steps=None,
                 every_n_steps=100, metrics=None, hooks=None, early_stopping_rounds=None,
                 early_stopping_metric='loss', early_stopping_metric_minimize=True,
                 name=None, check_interval_secs=5):
        super(ValidationMonitor, self).__init__(every_n_steps=every_n_steps, first_n_steps=-1)
        if x is None and input_fn is None:
            raise ValueError('Either x or input_fn should be provided.')
        self.x, self.y, self.input_fn, self.batch_size = x, y, input_fn, batch_size
        self.eval_steps, self.metrics, self.hooks, self.name = eval_steps, metrics, hooks, name
        self.early_stopping_rounds = early_stopping_rounds
        self.early_stopping_metric = early_stopping_metric
        self.early_stopping_metric_minimize = early_stopping_metric_minimize
        self._best_value_step = self._best_value = self._best_metrics = None
        self._early_stopped = False
        self._latest_path = self._latest_path_step = self._last_checkpoint_check_time = None
        self._check_interval_secs = check_interval_secs

    early_stopped = property(lambda self: self._early_stopped)
    best_step = property(lambda self: self._best_value_step)
    best_value = property(lambda self: self._best_value)
    best_metrics = property(lambda self: self._best_metrics)

    def every_n_step_end(self, step, outputs):
        if self._estimator is None:
            raise ValueError('Missing call to set_estimator.')
        now = time.time()
        if (self._check_interval_secs is not None and
                self._last_checkpoint_check_time is not None and
                now - self._last_checkpoint_check_time <= self._check_interval_secs):
            return False
        self._last_checkpoint_check_time = now
        latest_path = tf.train.latest_checkpoint(self._estimator.model_dir)
        if latest_path is None or latest_path == self._latest_path:
            return False  # nothing saved yet, or nothing new to evaluate
        self._latest_path, self._latest_path_step = latest_path, step
        if hasattr(self._estimator, 'fit'):  # contrib.learn's: x, y and metrics too
            outputs = self._estimator.evaluate(
                x=self.x, y=self.y, input_fn=self.input_fn, batch_size=self.batch_size,
                steps=self.eval_steps, metrics=self.metrics, hooks=self.hooks, name=self.name)
        else:  # tf.estimator's (an Experiment's, say), as TF 1.x called it
            if any(value is not None for value in (self.x, self.y, self.batch_size,
                                                   self.metrics)):
                raise ValueError('tf.estimator.Estimator does not support following argument: '
                                 'x, y, batch_size, metrics')
            outputs = self._estimator.evaluate(input_fn=self.input_fn, steps=self.eval_steps,
                                               hooks=self.hooks, name=self.name)
        tf.logging.info('Validation (step %d): %s', step,
                        ', '.join('%s = %s' % item for item in outputs.items()))
        if self.early_stopping_rounds is None:
            return False
        if self.early_stopping_metric not in outputs:
            raise ValueError('Metric %s missing from outputs %s.'
                             % (self.early_stopping_metric, set(outputs)))
        value = outputs[self.early_stopping_metric]
        if (self._best_value is None or
                (value < self._best_value if self.early_stopping_metric_minimize
                 else value > self._best_value)):
            self._best_value, self._best_value_step = value, step
            self._best_metrics = copy.deepcopy(outputs)
        if step - self._best_value_step >= self.early_stopping_rounds:
            tf.logging.info('Stopping. Best step: %s with %s = %s.', self._best_value_step,
                            self.early_stopping_metric, self._best_value)
            self._early_stopped = True
            return True
        return False


class RunHookAdapterForMonitors(tf.train.SessionRunHook):
    """Monitors run as one SessionRunHook, each step numbered by the global step."""

    def __init__(self, monitors):
        self._monitors = monitors

    def begin(self):
        self._last_step = None
        self._global_step_tensor = tf.train.get_global_step()
        for monitor in self._monitors:
            monitor.begin(max_steps=None)

    def before_run(self, run_context):
        if self._last_step is None:
            self._last_step = run_context.session.run(self._global_step_tensor) + 1
        request = {self._global_step_tensor: self._global_step_tensor}
        fetches = []
        for monitor in self._monitors:
            requested = monitor.step_begin(self._last_step)
            if requested:
                if not isinstance(requested, list):
                    raise ValueError('Monitor.step_begin should return a list.')
                fetches.extend(requested)
        if fetches:
            request['monitors'] = {fetch: _as_graph_element(fetch) for fetch in fetches}
        return tf.train.SessionRunArgs(request)

    def after_run(self, run_context, run_values):
        results = run_values.results.get('monitors', {})
        for monitor in self._monitors:
            if monitor.step_end(self._last_step, results):
                run_context.request_stop()
        for monitor in self._monitors:
            monitor.post_step(self._last_step, run_context.session)
        self._last_step = run_values.results[self._global_step_tensor] + 1

    def end(self, session):
        self._last_step = None
        for monitor in self._monitors:
            if 'session' in inspect.signature(monitor.end).parameters:
                monitor.end(session=session)
            else:
                monitor.end()


def replace_monitors_with_hooks(monitors_or_hooks, estimator):
    """The hooks among `monitors_or_hooks`, and the monitors, given `estimator`, as one."""
    monitors_or_hooks = list(monitors_or_hooks or [])
    hooks = [m for m in monitors_or_hooks if isinstance(m, tf.train.SessionRunHook)]
    monitors = [m for m in monitors_or_hooks if not isinstance(m, tf.train.SessionRunHook)]
    for monitor in monitors:
        if not isinstance(monitor, BaseMonitor):
            raise ValueError('monitors must be SessionRunHooks or tf.contrib.learn.monitors '
                             '(BaseMonitor), got %r' % (monitor,))
        monitor.set_estimator(estimator)
    if monitors:
        hooks.append(RunHookAdapterForMonitors(monitors))
    return hooks


def _log_values(message, step, names, outputs):
    """Log `tag = value` for each tag of `names` (tag -> tensor name) that was fetched."""
    tf.logging.info(message, step, ', '.join(
        '%s = %s' % (tag, _extract_output(outputs, name))
        for tag, name in names.items() if name in outputs))


def _extract_output(outputs, request):
    return outputs[request] if request in outputs else outputs[request.name]


def _as_graph_element(fetch):
    """A tensor or op of the default graph, or the one a name (':0' implied) gives."""
    graph = tf.get_default_graph()
    if not isinstance(fetch, str):
        if getattr(fetch, 'graph', None) is not graph:
            raise ValueError('Passed %s should have graph attribute that is equal to current '
                             'graph %s.' % (fetch, graph))
        return fetch
    if ':' in fetch:
        return graph.as_graph_element(fetch)
    element = graph.as_graph_element(fetch + ':0')
    try:
        graph.as_graph_element(fetch + ':1')
    except (KeyError, ValueError):
        return element
    raise ValueError('Name %s is ambiguous, as this `Operation` has multiple outputs '
                     '(at least 2).' % fetch)
