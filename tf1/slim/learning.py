"""slim.learning: a train op that returns the loss, and the training loop that runs it
under a tf.train.Supervisor (checkpoints and summaries to `logdir`, resumed from there),
as TF 1.15's tensorflow/contrib/slim/python/slim/learning.py had them."""
import os
import time

import tensorflow.compat.v1 as tf
from tensorflow.python.client import timeline
from tensorflow.python.ops.control_flow_ops import with_dependencies

from tf1.contrib_framework import variables
from tf1.contrib_layers import optimizers

__all__ = ['add_gradients_summaries', 'clip_gradient_norms', 'create_train_op',
           'multiply_gradients', 'train', 'train_step']

_USE_DEFAULT = 0
_USE_GLOBAL_STEP = 0


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


def add_gradients_summaries(grads_and_vars):
    """A histogram of each gradient (VAR/gradient) and a scalar of its norm
    (VAR/gradient_norm); returns the summaries."""
    return _gradient_summaries(grads_and_vars, '/')


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


def create_train_op(total_loss, optimizer, global_step=_USE_GLOBAL_STEP, update_ops=None,
                    variables_to_train=None, clip_gradient_norm=0, summarize_gradients=False,
                    gate_gradients=tf.train.Optimizer.GATE_OP, aggregation_method=None,
                    colocate_gradients_with_ops=False, gradient_multipliers=None,
                    check_numerics=True):
    """A tensor that, when run, runs the update ops (batch norm's moving averages), applies
    the gradients of `total_loss` and returns the loss (checked to be finite)."""
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
    if gradient_multipliers:
        with tf.name_scope('multiply_grads'):
            grads = multiply_gradients(grads, gradient_multipliers)
    if clip_gradient_norm > 0:
        with tf.name_scope('clip_grads'):
            grads = clip_gradient_norms(grads, clip_gradient_norm)
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
