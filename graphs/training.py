"""What every train_*.py script runs: `make_parser` for its flags, then `run`.

A run alone, and a run as one task of a cluster (graphs/cluster.py), are two separate
paths below; they share the graph, the loop (graphs/loop.py), the checkpoints
(graphs/checkpoints.py) and the final record.

Where things go, for a model called NAME: checkpoints in model/NAME/ (see
graphs/checkpoints.py), TensorBoard event logs in eventlog/NAME/{train,validation,test},
and the run's record for TensorBoard in eventlog/NAME itself (see graphs/tensorboard.py).
"""
import contextlib
import os
import random
import sys

import numpy as np
import tensorflow as tf2
import tensorflow.compat.v1 as tf

# The v1 API's deprecation notices are for TensorFlow's developers, not our users.
tf.get_logger().setLevel('ERROR')

from graphs import (checkpoints, cluster as cluster_lib, extra_data, input_data, layers,
                    loop, records, tensorboard)
from graphs import model as model_lib
from graphs.contract import IMAGE_SIZE
# The scripts' flags, reached through this module as every script imports it.
from graphs.flags import (FINE_TUNE_RATE_SCALE, lstm_intra_op_threads,  # noqa: F401
                          make_parser, positive_int, session_config)


def run(flags, name, features, hparams=()):
    """Train `features` (see graphs/model.py) as model NAME; exits with a one-line error
    on anything the user can fix. `hparams` are (label, value) pairs for the final line
    and for TensorBoard's HParams dashboard (graphs/tensorboard.py)."""
    print(flags.precision_note)
    try:
        if cluster_lib.requested(flags):
            _train_in_cluster(flags, name, features, hparams)
        else:
            _train_alone(flags, name, features, hparams)
    except (checkpoints.CheckpointError, input_data.MnistDataError,
            cluster_lib.ClusterError) as error:
        sys.exit('error: %s' % error)


# ---------------------------------------------------------------------------- alone

def _train_alone(flags, name, features, hparams):
    """One process: resumes from, and saves, its own checkpoints."""
    _choose_seed(flags)
    fine_tune_from = _prepare_fine_tune(flags) if flags.fine_tune else None
    if not flags.fresh:
        checkpoints.recover_state_file(flags.model_dir)
    finished = (None if fine_tune_from or flags.fresh
                else checkpoints.finished_checkpoint(flags.model_dir, flags.max_steps))
    # The data first: a run that cannot read it changes nothing on disk (--fresh included).
    mnist, extra_held_out = (None, None) if finished else _load_mnist(flags, flags.seed)
    if flags.fresh:
        checkpoints.clear_previous_run(flags.model_dir, flags.log_dir)
    checkpoints.make_directories(flags.model_dir, flags.log_dir)
    if finished:
        # Nothing to train: only the serving copy is rewritten, for a change in how
        # serving graphs are built to reach a model already trained.
        checkpoints.rewrite_serving_copy(features, flags.model_dir, finished)
        print('Already trained to step %d (--max_steps %d): serving checkpoint in %s '
              'rewritten; raise --max_steps to train further, or use --fresh to start '
              'over' % (checkpoints.checkpoint_step(finished), flags.max_steps,
                        flags.model_dir))
        return
    graph, training_graph, saver, _ = _build(flags, features)

    export = checkpoints.ServingExport(features, flags.model_dir)
    with (graph.as_default(), contextlib.closing(export),
          tf.Session(config=session_config(flags)) as sess,
          loop.summary_writers(flags.log_dir) as writers):
        if fine_tune_from:
            start_step = checkpoints.restore_serving_weights(sess, fine_tune_from)
            before = _fine_tune_scores(sess, training_graph.model, mnist, extra_held_out)
        else:
            start_step = checkpoints.restore_or_initialise(sess, saver, flags.model_dir,
                                                           flags.log_dir)
        _print_start(flags, name, graph, start_step)

        def save(step):
            checkpoints.save(sess, saver, export, flags.model_dir, step)

        result = loop.TrainingLoop(flags, training_graph, sess, sess, mnist, writers,
                                   save).run(start_step)
        if fine_tune_from:
            after = _fine_tune_scores(sess, training_graph.model, mnist, extra_held_out,
                                      result.test_accuracy)
            print('Fine-tuned: %s' % ', '.join('%s %.2f%% -> %.2f%%' % (
                what, 100 * before[what], 100 * after[what]) for what in before))
    _record(flags, name, result, hparams)


# ---------------------------------------------------------------------------- in a cluster

def _train_in_cluster(flags, name, features, hparams):
    """One task of a cluster. A ps task serves its variables until stopped. Workers train
    together on the ps tasks' variables through a MonitoredTrainingSession; the chief
    (worker 0) alone prepares the directories, initialises or restores, saves (through
    its session's hook), writes summaries, evaluates and records the model."""
    cluster = cluster_lib.Cluster(flags)
    if cluster.job_name == 'ps':
        cluster.serve_forever()
        return
    _choose_seed(flags)
    # Each worker draws its own batch order. The data first: a chief that cannot read it
    # changes nothing on disk.
    mnist, _ = _load_mnist(flags, batch_seed=flags.seed + cluster.task_index)
    if cluster.is_chief:
        if flags.fresh:
            checkpoints.clear_previous_run(flags.model_dir, flags.log_dir)
        checkpoints.make_directories(flags.model_dir, flags.log_dir)
        checkpoints.recover_state_file(flags.model_dir)
    graph, training_graph, saver, sync_hooks = _build(flags, features, cluster)

    config = cluster.session_config(session_config(flags))
    with graph.as_default(), contextlib.ExitStack() as chief_only:
        writers, checkpoint_dir, chief_hooks = None, None, []
        if cluster.is_chief:
            export = chief_only.enter_context(contextlib.closing(
                checkpoints.ServingExport(features, flags.model_dir)))
            writers = chief_only.enter_context(loop.summary_writers(flags.log_dir))
            checkpoint_dir = checkpoints.train_dir(flags.model_dir)
            chief_hooks = [tf.train.CheckpointSaverHook(
                checkpoint_dir, save_steps=flags.save_every, saver=saver,
                listeners=[checkpoints.ExportListener(export, flags.model_dir)])]
        print('Connecting to the ps tasks (%s): a worker waits here until they are up'
              % flags.ps_hosts, flush=True)
        try:
            if not cluster.is_chief:
                cluster.wait_for_chief(config)
            # Inside chief_only: the chief's session saves its last checkpoint, and so
            # writes the serving copy, as it closes.
            with (cluster.session(config, checkpoint_dir, saver, flags.max_steps,
                                  sync_hooks, chief_hooks) as sess,
                  tf.Session(cluster.server.target, config=config) as eval_sess):
                start_step = int(sess.run(training_graph.model.global_step))
                _print_start(flags, name, graph, start_step, cluster)
                result = loop.TrainingLoop(flags, training_graph, sess, eval_sess, mnist,
                                           writers).run(start_step)
        except cluster_lib.LOST_CLUSTER_ERRORS as error:
            raise cluster_lib.lost(error, checkpoints.train_dir(flags.model_dir)) from error
    if cluster.is_chief:
        _record(flags, name, result, hparams)
    else:
        print('Done: worker %d ran %d of the %d steps' % (
            cluster.task_index, result.local_steps, result.steps))


# ---------------------------------------------------------------------------- both paths

def _choose_seed(flags):
    """A random --seed when none was given (printed, so the run can be repeated)."""
    if flags.seed is None:
        flags.seed = random.SystemRandom().randrange(2 ** 31)
    if flags.deterministic:
        tf2.config.experimental.enable_op_determinism()  # not exported under compat.v1


def _load_mnist(flags, batch_seed):
    """(MNIST's splits, --extra_data's held-out part or None): see _with_extra_data."""
    print('Loading MNIST ...')
    mnist = input_data.read_data_sets(flags.data_dir, one_hot=True,
                                      validation_size=flags.validation_size, seed=batch_seed)
    print('MNIST: %d training, %d validation, %d test images' % (
        mnist.train.num_examples, mnist.validation.num_examples, mnist.test.num_examples))
    if not flags.extra_data:
        return mnist, None
    return _with_extra_data(flags, mnist, batch_seed)


def _with_extra_data(flags, mnist, batch_seed):
    """(MNIST with --extra_data's training part mixed into its training split, each image
    --extra_repeat times; its held-out part as a DataSet, never trained on:
    extra_data.HELD_OUT_EVERY)."""
    extra = extra_data.read_extra_data(flags.extra_data)
    images, labels = extra.part('train')
    held_out_images, held_out_labels = extra.part('held_out')
    held_out = input_data.DataSet(held_out_images, input_data.dense_to_one_hot(held_out_labels),
                                  one_hot=True)
    # The DataSet takes MNIST's own uint8 pixels, which the loaded floats are exactly /255.
    mnist_images = np.round(mnist.train.images * 255).astype(np.uint8)
    train = input_data.DataSet(
        np.concatenate([mnist_images.reshape(-1, IMAGE_SIZE, IMAGE_SIZE),
                        np.repeat(images, flags.extra_repeat, axis=0)]),
        np.concatenate([mnist.train.labels, np.repeat(
            input_data.dense_to_one_hot(labels), flags.extra_repeat, axis=0)]),
        one_hot=True, seed=batch_seed)
    print('Extra data: %d images from %s, each %d times an epoch (%d more held out, never '
          'trained on): %d training images' % (len(labels), flags.extra_data,
                                               flags.extra_repeat, held_out.num_examples,
                                               train.num_examples))
    return mnist._replace(train=train), held_out


def _prepare_fine_tune(flags):
    """--fine_tune STEPS: the serving checkpoint to start from. The run trains STEPS steps
    past its global step, at a constant FINE_TUNE_RATE_SCALE of --learning_rate (a cosine
    schedule would be at its end already)."""
    checkpoint = checkpoints.serving_checkpoint(flags.model_dir)
    flags.max_steps = checkpoints.checkpoint_step(checkpoint) + flags.fine_tune
    flags.learning_rate *= FINE_TUNE_RATE_SCALE
    flags.lr_schedule = 'constant'
    return checkpoint


def _fine_tune_scores(sess, model, mnist, extra_held_out, test_accuracy=None):
    """{what: accuracy} before or after fine-tuning: the test set (`test_accuracy` when the
    loop has just measured it), and --extra_data's held-out part (a DataSet, or None) when
    it has images."""
    if test_accuracy is None:
        test_accuracy = loop.evaluate(sess, model, mnist.test).accuracy
    scores = {'test accuracy': test_accuracy}
    if extra_held_out is not None and extra_held_out.num_examples:
        scores['held-out extra data (%d)' % extra_held_out.num_examples] = loop.evaluate(
            sess, model, extra_held_out).accuracy
    return scores


def _build(flags, features, cluster=None):
    """(graph, loop.TrainingGraph, Saver, session hooks): the model, its optimizer and
    summaries; in a cluster, with the variables on the ps tasks, and the hooks its
    optimizer needs (SyncReplicasOptimizer's with --sync_replicas)."""
    graph = tf.Graph()
    with graph.as_default(), (tf.device(cluster.device_setter()) if cluster
                              else contextlib.nullcontext()):
        tf.set_random_seed(flags.seed)
        model = model_lib.build(features)
        train_step, hooks = _train_step_op(model, flags, cluster)
        summaries = tf.summary.merge_all()
        saver = tf.train.Saver(max_to_keep=flags.max_to_keep, save_relative_paths=True)
    return graph, loop.TrainingGraph(model, train_step, summaries), saver, hooks


def _train_step_op(model, flags, cluster):
    """One training update; the op returns the global step after it. Also returns the
    session hooks the optimizer needs (SyncReplicasOptimizer's, in a cluster)."""
    with tf.name_scope('train'):
        learning_rate = tf.constant(flags.learning_rate, name='base_learning_rate')
        if flags.lr_schedule == 'cosine':
            learning_rate = tf.train.cosine_decay(learning_rate, model.global_step,
                                                  flags.max_steps)
        layers.scalar_summary('learning_rate', learning_rate)
        if flags.optimizer == 'adam':
            optimizer = tf.train.AdamOptimizer(learning_rate)
        else:
            optimizer = tf.train.GradientDescentOptimizer(learning_rate)
        hooks = []
        if cluster:
            optimizer, hooks = cluster.wrap_optimizer(optimizer)
        update = optimizer.minimize(model.cross_entropy, global_step=model.global_step)
        with tf.control_dependencies([update]):
            # Read after the update; in a cluster it may include other workers' steps too.
            return tf.identity(model.global_step, name='step'), hooks


def _print_start(flags, name, graph, start_step, cluster=None):
    parameters = sum(int(np.prod(v.shape.as_list()))
                     for v in graph.get_collection(tf.GraphKeys.TRAINABLE_VARIABLES))
    role = ''
    if cluster:
        role = ', worker %d of %d (%s%s)' % (
            cluster.task_index, cluster.num_workers,
            'synchronous' if cluster.sync_replicas else 'asynchronous',
            ', chief' if cluster.is_chief else '')
    print('Model %s: %s parameters, seed %d, training steps %d..%d, batch %d%s' % (
        name, format(parameters, ','), flags.seed, start_step, flags.max_steps,
        flags.batch_size, role))


def _record(flags, name, result, hparams):
    """model.json, the run's record for TensorBoard, and the final lines."""
    metadata = checkpoints.write_metadata(flags, name, result)
    tensorboard.write_run_record(flags.log_dir, flags, name, hparams, metadata)
    details = ''.join('  %s %s' % pair for pair in hparams)
    print('Done: steps %d  test accuracy %.2f%%  learning rate %g%s%s  total %.1fs' % (
        result.steps, result.test_accuracy * 100, flags.learning_rate,
        ' (cosine to 0)' if flags.lr_schedule == 'cosine' else '', details, result.seconds))
    print('Checkpoint: %s  (%s)  TensorBoard: tensorboard --logdir %s' % (
        os.path.join(flags.model_dir, metadata['checkpoint']),
        os.path.join(flags.model_dir, records.METADATA_FILE),
        os.path.dirname(os.path.normpath(flags.log_dir)) or '.'))
