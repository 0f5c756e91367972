"""slim.evaluation: run evaluation ops over a checkpoint, once or for every new checkpoint
of a training run, and write the summaries at the end, as TF 1.15's
tensorflow/contrib/slim/python/slim/evaluation.py did (on contrib.training's evaluation
loop, ported here onto tf.train.MonitoredSession):

    accuracy, update = slim.metrics.streaming_accuracy(predictions, labels)
    tf.summary.scalar('accuracy', accuracy)
    slim.evaluation.evaluation_loop('', 'train_dir', 'eval_dir', num_evals=100,
                                    eval_op=update, eval_interval_secs=60)
"""
import tensorflow.compat.v1 as tf

from tf1.contrib_training_loops import (StopAfterNEvalsHook, SummaryAtEndHook,  # noqa: F401
                                        _evaluate, get_or_create_eval_step)

__all__ = ['evaluate_once', 'evaluation_loop', 'get_or_create_eval_step',
           'StopAfterNEvalsHook', 'SummaryAtEndHook', 'checkpoints_iterator']

_USE_DEFAULT = 0

checkpoints_iterator = tf.train.checkpoints_iterator  # TensorFlow's own

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
