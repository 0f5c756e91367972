"""slim.learning: a train op that returns the loss, and the training loop that runs it
under a tf.train.Supervisor (checkpoints and summaries to `logdir`, resumed from there),
as TF 1.15's tensorflow/contrib/slim/python/slim/learning.py had them."""
import os
import time

import tensorflow.compat.v1 as tf
from tensorflow.python.client import timeline

from tf1 import contrib_training_loops as training
from tf1.contrib_framework import variables
from tf1.contrib_training_loops import (_gradient_summaries, clip_gradient_norms,
                                        multiply_gradients)

__all__ = ['add_gradients_summaries', 'clip_gradient_norms', 'create_train_op',
           'multiply_gradients', 'train', 'train_step']

_USE_DEFAULT = 0
_USE_GLOBAL_STEP = 0


def add_gradients_summaries(grads_and_vars):
    """A histogram of each gradient (VAR/gradient) and a scalar of its norm
    (VAR/gradient_norm); returns the summaries."""
    return _gradient_summaries(grads_and_vars, '/')


def create_train_op(total_loss, optimizer, global_step=_USE_GLOBAL_STEP, update_ops=None,
                    variables_to_train=None, clip_gradient_norm=0, summarize_gradients=False,
                    gate_gradients=tf.train.Optimizer.GATE_OP, aggregation_method=None,
                    colocate_gradients_with_ops=False, gradient_multipliers=None,
                    check_numerics=True):
    """contrib.training's create_train_op, the gradients multiplied by
    `gradient_multipliers` and clipped to `clip_gradient_norm` first."""
    def transform_grads_fn(grads):
        if gradient_multipliers:
            with tf.name_scope('multiply_grads'):
                grads = multiply_gradients(grads, gradient_multipliers)
        if clip_gradient_norm > 0:
            with tf.name_scope('clip_grads'):
                grads = clip_gradient_norms(grads, clip_gradient_norm)
        return grads
    return training.create_train_op(
        total_loss, optimizer, global_step=global_step, update_ops=update_ops,
        variables_to_train=variables_to_train, transform_grads_fn=transform_grads_fn,
        summarize_gradients=summarize_gradients, gate_gradients=gate_gradients,
        aggregation_method=aggregation_method,
        colocate_gradients_with_ops=colocate_gradients_with_ops,
        check_numerics=check_numerics)


def train_step(sess, train_op, global_step, train_step_kwargs):
    """One step: runs `train_op`, logs the loss every `should_log`, writes a Chrome trace
    every `should_trace`. Returns (total loss, whether to stop)."""
    start_time = time.time()
    options = run_metadata = None
    if 'should_trace' in train_step_kwargs:
        if 'logdir' not in train_step_kwargs:
            raise ValueError('logdir must be present in train_step_kwargs when should_trace '
                             'is present')
        if sess.run(train_step_kwargs['should_trace']):
            options = tf.RunOptions(trace_level=tf.RunOptions.FULL_TRACE)
            run_metadata = tf.RunMetadata()
    total_loss, np_global_step = sess.run([train_op, global_step], options=options,
                                          run_metadata=run_metadata)
    time_elapsed = time.time() - start_time
    if run_metadata is not None:
        trace = timeline.Timeline(run_metadata.step_stats).generate_chrome_trace_format()
        path = os.path.join(train_step_kwargs['logdir'], 'tf_trace-%d.json' % np_global_step)
        tf.logging.info('Writing trace to %s', path)
        tf.gfile.GFile(path, 'w').write(trace)
        if 'summary_writer' in train_step_kwargs:
            train_step_kwargs['summary_writer'].add_run_metadata(
                run_metadata, 'run_metadata-%d' % np_global_step)
    if 'should_log' in train_step_kwargs and sess.run(train_step_kwargs['should_log']):
        tf.logging.info('global step %d: loss = %.4f (%.3f sec/step)', np_global_step,
                        total_loss, time_elapsed)
    should_stop = ('should_stop' in train_step_kwargs
                   and sess.run(train_step_kwargs['should_stop']))
    return total_loss, should_stop


def train(train_op, logdir, train_step_fn=train_step, train_step_kwargs=_USE_DEFAULT,
          log_every_n_steps=1, graph=None, master='', is_chief=True, global_step=None,
          number_of_steps=None, init_op=_USE_DEFAULT, init_feed_dict=None,
          local_init_op=_USE_DEFAULT, init_fn=None, ready_op=_USE_DEFAULT,
          summary_op=_USE_DEFAULT, save_summaries_secs=600, summary_writer=_USE_DEFAULT,
          startup_delay_steps=0, saver=None, save_interval_secs=600, sync_optimizer=None,
          session_config=None, session_wrapper=None, trace_every_n_steps=None,
          ignore_live_threads=False):
    """Runs `train_op` until `number_of_steps` (global steps; forever without it) under a
    tf.train.Supervisor: variables restored from `logdir`'s latest checkpoint, else
    initialised (then `init_fn(sess)`, e.g. assign_from_checkpoint_fn); summaries every
    `save_summaries_secs`, checkpoints every `save_interval_secs` and at the end. Returns
    the last loss."""
    if train_op is None:
        raise ValueError('train_op cannot be None.')
    if logdir is None:
        if summary_op != _USE_DEFAULT:
            raise ValueError('Cannot provide summary_op because logdir=None')
        if saver is not None:
            raise ValueError('Cannot provide saver because logdir=None')
        if trace_every_n_steps is not None:
            raise ValueError('Cannot provide trace_every_n_steps because logdir=None')
    if sync_optimizer:  # a SyncReplicasOptimizer, or a list of them
        raise ValueError('sync_optimizer is not supported by tf1: train on one worker, or '
                         'use tf.train.MonitoredTrainingSession with SyncReplicasOptimizer')
    if number_of_steps is not None and number_of_steps <= 0:
        raise ValueError('`number_of_steps` must be either None or a positive number.')

    graph = graph or tf.get_default_graph()
    with graph.as_default():
        if global_step is None:
            global_step = variables.get_or_create_global_step()
        saver = saver or tf.train.Saver()
        with tf.name_scope('init_ops'):
            if init_op == _USE_DEFAULT:
                init_op = tf.global_variables_initializer()
            if ready_op == _USE_DEFAULT:
                ready_op = tf.report_uninitialized_variables()
            if local_init_op == _USE_DEFAULT:
                local_init_op = tf.group(tf.local_variables_initializer(),
                                         tf.tables_initializer())
        if summary_op == _USE_DEFAULT:
            summary_op = tf.summary.merge_all()
        if summary_writer == _USE_DEFAULT:
            summary_writer = tf.train.Supervisor.USE_DEFAULT
        if train_step_kwargs == _USE_DEFAULT:
            with tf.name_scope('train_step'):
                train_step_kwargs = {
                    'should_stop': (tf.greater_equal(global_step, number_of_steps)
                                    if number_of_steps else tf.constant(False))}
                if log_every_n_steps > 0:
                    train_step_kwargs['should_log'] = tf.equal(
                        tf.mod(global_step, log_every_n_steps), 0)
                if is_chief and trace_every_n_steps is not None:
                    train_step_kwargs['should_trace'] = tf.equal(
                        tf.mod(global_step, trace_every_n_steps), 0)
                    train_step_kwargs['logdir'] = logdir

    sv = tf.train.Supervisor(
        graph=graph, is_chief=is_chief, logdir=logdir, init_op=init_op,
        init_feed_dict=init_feed_dict, local_init_op=local_init_op, ready_op=ready_op,
        summary_op=summary_op, summary_writer=summary_writer, global_step=global_step,
        saver=saver, save_summaries_secs=save_summaries_secs,
        save_model_secs=save_interval_secs, init_fn=init_fn)
    if summary_writer is not None:
        train_step_kwargs['summary_writer'] = sv.summary_writer

    total_loss = None
    should_retry = True
    while should_retry:
        try:
            should_retry = False
            with sv.managed_session(master, start_standard_services=False,
                                    config=session_config) as sess:
                tf.logging.info('Starting Session.')
                if session_wrapper is not None:
                    tf.logging.info('Wrapping session with wrapper function: %s',
                                    session_wrapper)
                    sess = session_wrapper(sess)
                if is_chief:
                    if logdir:
                        sv.start_standard_services(sess)
                elif startup_delay_steps > 0:
                    _wait_for_step(sess, global_step, min(startup_delay_steps,
                                                          number_of_steps or startup_delay_steps))
                threads = sv.start_queue_runners(sess)
                tf.logging.info('Starting Queues.')
                try:
                    while not sv.should_stop():
                        total_loss, should_stop = train_step_fn(sess, train_op, global_step,
                                                                train_step_kwargs)
                        if should_stop:
                            tf.logging.info('Stopping Training.')
                            sv.request_stop()
                            break
                except tf.errors.OutOfRangeError as error:
                    # The input's epochs ran out (tf.train.limit_epochs, a finite queue).
                    tf.logging.info('Caught OutOfRangeError. Stopping Training. %s', error)
                if logdir and sv.is_chief:
                    tf.logging.info('Finished training! Saving model to disk.')
                    sv.saver.save(sess, sv.save_path, global_step=sv.global_step)
                    # The summary writer is closed as managed_session ends (closing it
                    # here too would warn of a write to a closed writer).
                    sv.stop(threads, close_summary_writer=False,
                            ignore_live_threads=ignore_live_threads)
        except tf.errors.AbortedError:
            # A restart of one of the distributed servers: try again.
            tf.logging.info('Retrying training!')
            should_retry = True
    return total_loss


def _wait_for_step(sess, global_step, step):
    while tf.train.global_step(sess, global_step) < step:
        time.sleep(1.0)
