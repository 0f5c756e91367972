"""TF 1.x's `tf.estimator.train_and_evaluate`, TrainSpec and EvalSpec, run locally.

One process trains; after each checkpoint the trainer saves (at most once every
`throttle_secs`), and once more at the end, the model is evaluated on that checkpoint -
TF 1.x's local (non-distributed) mode. After each evaluation the EvalSpec's exporters
(estimator_exporter.py) export the evaluated checkpoint to MODEL_DIR/export/NAME.
"""
import collections
import os

import tensorflow.compat.v1 as tf

from tf1.estimator_core import Estimator
from tf1.estimator_exporter import checked_exporters


class TrainSpec(collections.namedtuple('TrainSpec', [
        'input_fn', 'max_steps', 'hooks', 'saving_listeners'])):
    """The training half of train_and_evaluate."""

    def __new__(cls, input_fn, max_steps=None, hooks=None, saving_listeners=None):
        _check_input_fn(input_fn)
        if max_steps is not None and max_steps <= 0:
            raise ValueError('Must specify max_steps > 0, given: {}'.format(max_steps))
        return super(TrainSpec, cls).__new__(cls, input_fn, max_steps, tuple(hooks or ()),
                                             tuple(saving_listeners or ()))


class EvalSpec(collections.namedtuple('EvalSpec', [
        'input_fn', 'steps', 'name', 'hooks', 'exporters', 'start_delay_secs',
        'throttle_secs'])):
    """The evaluation half of train_and_evaluate (`start_delay_secs` matters only to
    distributed evaluators, which wait for the first checkpoint)."""

    def __new__(cls, input_fn, steps=100, name=None, hooks=None, exporters=None,
                start_delay_secs=120, throttle_secs=600):
        _check_input_fn(input_fn)
        if steps is not None and steps <= 0:
            raise ValueError('Must specify steps > 0, given: {}'.format(steps))
        if name is not None and not isinstance(name, str):
            raise TypeError('`name` must be string, given: {}'.format(name))
        if start_delay_secs < 0:
            raise ValueError('Must specify start_delay_secs >= 0, given: {}'.format(
                start_delay_secs))
        if throttle_secs < 0:
            raise ValueError('Must specify throttle_secs >= 0, given: {}'.format(throttle_secs))
        return super(EvalSpec, cls).__new__(cls, input_fn, steps, name, tuple(hooks or ()),
                                            checked_exporters(exporters), start_delay_secs,
                                            throttle_secs)


def _check_input_fn(input_fn):
    if not callable(input_fn):
        raise TypeError('`input_fn` must be callable, given: {}'.format(input_fn))


def train_and_evaluate(estimator, train_spec, eval_spec):
    """Train `estimator` as `train_spec` says, evaluating it as `eval_spec` says after new
    checkpoints. Returns the last evaluation's metrics and its exporters' results."""
    for value, kind in ((estimator, Estimator), (train_spec, TrainSpec), (eval_spec, EvalSpec)):
        if not isinstance(value, kind):
            raise TypeError('`%s` must have type `tf.estimator.%s`. Got: %s'
                            % (kind.__name__[0].lower() + kind.__name__[1:], kind.__name__,
                               type(value).__name__))
    config = estimator.config
    tf.logging.info('Start train and evaluate loop. The evaluate will happen after every '
                    'checkpoint. Checkpoint frequency is determined based on RunConfig '
                    'arguments: save_checkpoints_steps %s or save_checkpoints_secs %s.',
                    config.save_checkpoints_steps, config.save_checkpoints_secs)
    evaluator = _EvaluateAfterSave(estimator, eval_spec, train_spec.max_steps)
    estimator.train(train_spec.input_fn, hooks=list(train_spec.hooks),
                    max_steps=train_spec.max_steps,
                    saving_listeners=list(train_spec.saving_listeners) + [evaluator])
    return evaluator.metrics, evaluator.export_results


class _EvaluateAfterSave(tf.train.CheckpointSaverListener):
    """Evaluates each new checkpoint, skipping those saved within throttle_secs of the last
    evaluation, and always the final one."""

    def __init__(self, estimator, eval_spec, max_steps):
        self._estimator = estimator
        self._eval_spec = eval_spec
        self._max_steps = max_steps
        self.metrics, self.export_results = None, []

    def begin(self):
        self._timer = tf.train.SecondOrStepTimer(every_secs=self._eval_spec.throttle_secs)
        self._evaluated_checkpoint = None
        self._is_first_save = True

    def after_save(self, session, global_step_value):
        # The first save is the untrained model that training starts from.
        if self._is_first_save:
            self._is_first_save = False
        elif self._timer.should_trigger_for_step(global_step_value):
            self._evaluate(global_step_value)
        else:
            tf.logging.info('Skip the current checkpoint eval due to throttle secs (%s secs).',
                            self._eval_spec.throttle_secs)

    def end(self, session, global_step_value):
        if global_step_value != self._timer.last_triggered_step():
            self._evaluate(global_step_value)

    def _evaluate(self, global_step_value):
        self._timer.update_last_triggered_step(global_step_value)
        checkpoint = self._estimator.latest_checkpoint()
        if checkpoint == self._evaluated_checkpoint:
            tf.logging.info('No new checkpoint ready for evaluation; skipping this pass.')
            return
        self._evaluated_checkpoint = checkpoint
        spec = self._eval_spec
        self.metrics = self._estimator.evaluate(spec.input_fn, steps=spec.steps,
                                                hooks=list(spec.hooks), name=spec.name,
                                                checkpoint_path=checkpoint)
        # As in TF 1.x, the final export is the one at max_steps (never without max_steps).
        final = bool(self._max_steps) and self.metrics['global_step'] >= self._max_steps
        export_base = os.path.join(self._estimator.model_dir, 'export')
        self.export_results = [
            exporter.export(self._estimator, os.path.join(export_base, exporter.name),
                            checkpoint, self.metrics, final)
            for exporter in spec.exporters]
