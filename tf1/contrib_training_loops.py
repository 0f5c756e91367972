"""tf.contrib.training's training and evaluation loops (TF 1.15's training.py and
evaluation.py, ported), which slim.learning and slim.evaluation are built on:

    train_op = tf.contrib.training.create_train_op(loss, optimizer)
    tf.contrib.training.train(train_op, logdir, hooks=[tf.train.StopAtStepHook(1000)])
    tf.contrib.training.evaluate_repeatedly(logdir, eval_ops=update, hooks=[
        tf.contrib.training.StopAfterNEvalsHook(100)])

The train op returns the loss after running the update ops and applying the gradients;
train() runs it in a MonitoredTrainingSession (checkpoints and summaries in logdir) until
a hook stops it; the evaluations restore each checkpoint into a MonitoredSession and run
the eval ops until their hooks stop them."""
import time

import tensorflow.compat.v1 as tf
from tensorflow.python.ops.control_flow_ops import with_dependencies
from tensorflow.python.training import evaluation as tf_evaluation

from tf1.contrib_framework import variables
from tf1.contrib_layers import optimizers

__all__ = ['add_gradients_summaries', 'clip_gradient_norms', 'clip_gradient_norms_fn',
           'create_train_op', 'multiply_gradients', 'train', 'evaluate_once',
           'evaluate_repeatedly', 'get_or_create_eval_step', 'StopAfterNEvalsHook',
           'SummaryAtEndHook']

_USE_GLOBAL_STEP = 0

# TF 1.x's contrib.training took both from TensorFlow's own evaluation module, which
# TF 2.21 still ships: the eval_step local variable, and the hook that stops after
# num_evals runs of the evaluation ops (logging every tenth of them, or every one below 20).
get_or_create_eval_step = tf_evaluation._get_or_create_eval_step
StopAfterNEvalsHook = tf_evaluation._StopAfterNEvalsHook


def clip_gradient_norms(gradients_to_variables, max_norm):
    """Each gradient (dense or IndexedSlices) clipped to the norm `max_norm`."""
    clipped = []
    for grad, var in gradients_to_variables:
        if isinstance(grad, tf.IndexedSlices):
            grad = tf.IndexedSlices(tf.clip_by_norm(grad.values, max_norm), grad.indices,
                                    grad.dense_shape)
        elif grad is not None:
            grad = tf.clip_by_norm(grad, max_norm)
        clipped.append((grad, var))
    return clipped


def multiply_gradients(grads_and_vars, gradient_multipliers):
    """Each gradient scaled by its variable's (or its variable op name's) multiplier."""
    if not isinstance(grads_and_vars, list):
        raise ValueError('`grads_and_vars` must be a list.')
    if not gradient_multipliers:
        raise ValueError('`gradient_multipliers` is empty.')
    if not isinstance(gradient_multipliers, dict):
        raise ValueError('`gradient_multipliers` must be a dict.')
    return optimizers.scaled_gradients(grads_and_vars, gradient_multipliers,
                                       lambda var: var.op.name, refuse_none=True)


def _gradient_summaries(grads_and_vars, separator):
    summaries = []
    for grad, var in grads_and_vars:
        if grad is None:
            tf.logging.info('Var %s has no gradient', var.op.name)
            continue
        values = grad.values if isinstance(grad, tf.IndexedSlices) else grad
        summaries.append(tf.summary.histogram(var.op.name + separator + 'gradient', values))
        summaries.append(tf.summary.scalar(var.op.name + separator + 'gradient_norm',
                                           tf.global_norm([values])))
    return summaries


def clip_gradient_norms_fn(max_norm):
    """A transform_grads_fn clipping each gradient to the norm `max_norm`."""
    return lambda gradients_to_variables: clip_gradient_norms(gradients_to_variables,
                                                              max_norm)


def add_gradients_summaries(grads_and_vars):
    """A histogram of each gradient (VAR_gradient) and a scalar of its norm
    (VAR_gradient_norm); returns the summaries."""
    return _gradient_summaries(grads_and_vars, '_')


def create_train_op(total_loss, optimizer, global_step=_USE_GLOBAL_STEP, update_ops=None,
                    variables_to_train=None, transform_grads_fn=None, summarize_gradients=False,
                    gate_gradients=tf.train.Optimizer.GATE_OP, aggregation_method=None,
                    colocate_gradients_with_ops=False, check_numerics=True):
    """A tensor that, when run, runs the update ops (batch norm's moving averages), applies
    the gradients of `total_loss` (through transform_grads_fn, if given) and returns the
    loss (checked to be finite)."""
    if global_step is _USE_GLOBAL_STEP:
        global_step = variables.get_or_create_global_step()
    global_update_ops = set(tf.get_collection(tf.GraphKeys.UPDATE_OPS))
    update_ops = global_update_ops if update_ops is None else set(update_ops)
    if not global_update_ops.issubset(update_ops):
        tf.logging.warning('update_ops in create_train_op does not contain all the '
                           'update_ops in GraphKeys.UPDATE_OPS')
    if update_ops:  # the updates run before the loss is read
        with tf.control_dependencies(update_ops):
            barrier = tf.no_op(name='update_barrier')
        total_loss = with_dependencies([barrier], total_loss)
    if variables_to_train is None:
        variables_to_train = tf.trainable_variables()
    else:
        trainable = set(tf.trainable_variables())
        for var in variables_to_train:
            if not (var.trainable or var in trainable):
                raise ValueError('%s is not a trainable variable' % var.op.name)
    if not variables_to_train:
        raise ValueError('No variables to optimize.')

    grads = optimizer.compute_gradients(
        total_loss, variables_to_train, gate_gradients=gate_gradients,
        aggregation_method=aggregation_method,
        colocate_gradients_with_ops=colocate_gradients_with_ops)
    if transform_grads_fn:
        grads = transform_grads_fn(grads)
    if summarize_gradients:  # contrib.training's tags: VAR_gradient, VAR_gradient_norm
        with tf.name_scope('summarize_grads'):
            _gradient_summaries(grads, '_')
    grad_updates = optimizer.apply_gradients(grads, global_step=global_step)

    with tf.name_scope('train_op'):
        if check_numerics:
            total_loss = tf.check_numerics(total_loss, 'LossTensor is inf or nan')
        train_op = with_dependencies([grad_updates], total_loss)
    train_ops = tf.get_collection_ref(tf.GraphKeys.TRAIN_OP)
    if train_op not in train_ops:
        train_ops.append(train_op)
    return train_op


def train(train_op, logdir, master='', is_chief=True, scaffold=None, hooks=None,
          chief_only_hooks=None, save_checkpoint_secs=600, save_summaries_steps=100,
          config=None, max_wait_secs=7200, save_checkpoint_steps=None, summary_dir=None):
    """Runs `train_op` in a MonitoredTrainingSession writing to `logdir` until a hook
    stops it; returns the last loss."""
    if logdir is None and is_chief:
        if save_summaries_steps:
            raise ValueError('logdir cannot be None when save_summaries_steps is not None')
        if save_checkpoint_secs:
            raise ValueError('logdir cannot be None when save_checkpoint_secs is not None')
    with tf.train.MonitoredTrainingSession(
            master=master, is_chief=is_chief, checkpoint_dir=logdir, scaffold=scaffold,
            hooks=hooks, chief_only_hooks=chief_only_hooks,
            save_checkpoint_secs=save_checkpoint_secs,
            save_summaries_steps=save_summaries_steps, config=config,
            max_wait_secs=max_wait_secs, save_checkpoint_steps=save_checkpoint_steps,
            summary_dir=summary_dir) as session:
        loss = None
        while not session.should_stop():
            loss = session.run(train_op)
    return loss


class SummaryAtEndHook(tf.train.SessionRunHook):
    """Runs `summary_op` (all summaries by default) once the evaluation ends and writes it
    at the checkpoint's global step, to `log_dir` or `summary_writer`."""

    def __init__(self, log_dir=None, summary_writer=None, summary_op=None, feed_dict=None):
        if log_dir is None and summary_writer is None:
            raise ValueError('One of log_dir or summary_writer should be used.')
        self._log_dir = log_dir
        self._summary_writer = summary_writer
        self._summary_op = summary_op
        self._replace_summary_op = summary_op is None
        self._feed_dict = feed_dict
        self._global_step = None

    def begin(self):
        if self._replace_summary_op:
            self._summary_op = tf.summary.merge_all()
        self._global_step = tf.train.get_or_create_global_step()

    def after_create_session(self, session, coord):
        if self._summary_writer is None and self._log_dir:
            self._summary_writer = tf.summary.FileWriterCache.get(self._log_dir)

    def end(self, session):
        if self._summary_op is not None:
            global_step = tf.train.global_step(session, self._global_step)
            summary = session.run(self._summary_op, self._feed_dict)
            if self._summary_writer:
                self._summary_writer.add_summary(summary, global_step)
        if self._summary_writer:
            self._summary_writer.flush()


def evaluate_once(checkpoint_path, master='', scaffold=None, eval_ops=None, feed_dict=None,
                  final_ops=None, final_ops_feed_dict=None, hooks=None, config=None):
    """Restores `checkpoint_path`, runs `eval_ops` until the hooks stop it (a
    StopAfterNEvalsHook), and returns the final ops' values."""
    return _evaluate([checkpoint_path], master, scaffold, eval_ops, feed_dict, final_ops,
                     final_ops_feed_dict, list(hooks or []), config)


def evaluate_repeatedly(checkpoint_dir, master='', scaffold=None, eval_ops=None,
                        feed_dict=None, final_ops=None, final_ops_feed_dict=None,
                        eval_interval_secs=60, hooks=None, config=None,
                        max_number_of_evaluations=None, timeout=None, timeout_fn=None):
    """evaluate_once on each new checkpoint of `checkpoint_dir`, at most every
    `eval_interval_secs`, until `max_number_of_evaluations` or no new one for `timeout`
    seconds; returns the final ops' values of the last."""
    checkpoints = tf.train.checkpoints_iterator(
        checkpoint_dir, min_interval_secs=eval_interval_secs, timeout=timeout,
        timeout_fn=timeout_fn)
    return _evaluate(checkpoints, master, scaffold, eval_ops, feed_dict, final_ops,
                     final_ops_feed_dict, list(hooks or []), config, max_number_of_evaluations)


def _evaluate(checkpoints, master, scaffold, eval_ops, feed_dict, final_ops,
              final_ops_feed_dict, hooks, config, max_number_of_evaluations=None):
    """Runs `eval_ops` on each checkpoint path of `checkpoints` until the hooks stop it;
    returns the final ops' values of the last."""
    eval_step = get_or_create_eval_step()
    if eval_ops is not None:
        update_eval_step = tf.assign_add(eval_step, 1)
        for hook in hooks:
            if isinstance(hook, StopAfterNEvalsHook):
                hook._set_evals_completed_tensor(update_eval_step)
        if isinstance(eval_ops, dict):
            eval_ops = dict(eval_ops, update_eval_step=update_eval_step)
        elif isinstance(eval_ops, (tuple, list)):
            eval_ops = list(eval_ops) + [update_eval_step]
        else:
            eval_ops = [eval_ops, update_eval_step]
    final_ops_hook = tf.train.FinalOpsHook(final_ops, final_ops_feed_dict)
    hooks = hooks + [final_ops_hook]
    evaluations = 0
    for checkpoint_path in checkpoints:
        creator = tf.train.ChiefSessionCreator(scaffold=scaffold,
                                               checkpoint_filename_with_path=checkpoint_path,
                                               master=master, config=config)
        with tf.train.MonitoredSession(session_creator=creator, hooks=hooks) as session:
            tf.logging.info('Starting evaluation at ' + _now())
            if eval_ops is not None:
                while not session.should_stop():
                    session.run(eval_ops, feed_dict)
            tf.logging.info('Finished evaluation at ' + _now())
        evaluations += 1
        if max_number_of_evaluations is not None and evaluations >= max_number_of_evaluations:
            break
    return final_ops_hook.final_ops_values


def _now():
    return time.strftime('%Y-%m-%d-%H:%M:%S', time.gmtime())
