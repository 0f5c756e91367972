"""slim.evaluation: run evaluation ops over a checkpoint, once or for every new checkpoint
of a training run, and write the summaries at the end, as TF 1.15's
tensorflow/contrib/slim/python/slim/evaluation.py did (on contrib.training's evaluation
loop, ported here onto tf.train.MonitoredSession):

    accuracy, update = slim.metrics.streaming_accuracy(predictions, labels)
    tf.summary.scalar('accuracy', accuracy)
    slim.evaluation.evaluation_loop('', 'train_dir', 'eval_dir', num_evals=100,
                                    eval_op=update, eval_interval_secs=60)
"""
import time

import tensorflow.compat.v1 as tf
from tensorflow.python.training import evaluation as tf_evaluation

__all__ = ['evaluate_once', 'evaluation_loop', 'get_or_create_eval_step',
           'StopAfterNEvalsHook', 'SummaryAtEndHook', 'checkpoints_iterator']

_USE_DEFAULT = 0

checkpoints_iterator = tf.train.checkpoints_iterator  # TensorFlow's own


# TF 1.x's contrib.training took both from TensorFlow's own evaluation module, which
# TF 2.21 still ships: the eval_step local variable, and the hook that stops after
# num_evals runs of the evaluation ops (logging every tenth of them, or every one below 20).
get_or_create_eval_step = tf_evaluation._get_or_create_eval_step
StopAfterNEvalsHook = tf_evaluation._StopAfterNEvalsHook


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


def evaluate_once(master, checkpoint_path, logdir, num_evals=1, initial_op=None,
                  initial_op_feed_dict=None, eval_op=None, eval_op_feed_dict=None,
                  final_op=None, final_op_feed_dict=None, summary_op=_USE_DEFAULT,
                  summary_op_feed_dict=None, variables_to_restore=None, session_config=None,
                  hooks=None):
    """Restores `checkpoint_path` (its `variables_to_restore`, all by default), runs
    `initial_op`, then `eval_op` `num_evals` times, writes `summary_op` to `logdir` and
    returns the value of `final_op`."""
    hooks = _hooks(num_evals, logdir, summary_op, summary_op_feed_dict, hooks)
    return _evaluate([checkpoint_path], master, _scaffold(initial_op, initial_op_feed_dict,
                                                          variables_to_restore),
                     eval_op, eval_op_feed_dict, final_op, final_op_feed_dict, hooks,
                     session_config)


def evaluation_loop(master, checkpoint_dir, logdir, num_evals=1, initial_op=None,
                    initial_op_feed_dict=None, init_fn=None, eval_op=None,
                    eval_op_feed_dict=None, final_op=None, final_op_feed_dict=None,
                    summary_op=_USE_DEFAULT, summary_op_feed_dict=None,
                    variables_to_restore=None, eval_interval_secs=60,
                    max_number_of_evaluations=None, session_config=None, timeout=None,
                    timeout_fn=None, hooks=None):
    """evaluate_once on each new checkpoint of `checkpoint_dir`, at most every
    `eval_interval_secs`, until `max_number_of_evaluations` or no new checkpoint for
    `timeout` seconds. Returns the last value of `final_op`."""
    hooks = _hooks(num_evals, logdir, summary_op, summary_op_feed_dict, hooks)
    checkpoints = tf.train.checkpoints_iterator(checkpoint_dir,
                                                min_interval_secs=eval_interval_secs,
                                                timeout=timeout, timeout_fn=timeout_fn)
    scaffold = _scaffold(initial_op, initial_op_feed_dict, variables_to_restore, init_fn)
    return _evaluate(checkpoints, master, scaffold, eval_op, eval_op_feed_dict, final_op,
                     final_op_feed_dict, hooks, session_config, max_number_of_evaluations)


def _hooks(num_evals, logdir, summary_op, summary_op_feed_dict, hooks):
    if summary_op == _USE_DEFAULT:
        summary_op = tf.summary.merge_all()
    all_hooks = [StopAfterNEvalsHook(num_evals)]
    if summary_op is not None:
        all_hooks.append(SummaryAtEndHook(log_dir=logdir, summary_op=summary_op,
                                          feed_dict=summary_op_feed_dict))
    return all_hooks + list(hooks or [])


def _scaffold(initial_op, initial_op_feed_dict, variables_to_restore, init_fn=None):
    saver = tf.train.Saver(variables_to_restore) if variables_to_restore is not None else None
    return tf.train.Scaffold(init_op=initial_op, init_feed_dict=initial_op_feed_dict,
                             init_fn=init_fn, saver=saver)


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
