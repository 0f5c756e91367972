"""The training loop every train_*.py script shares.

One implementation of: the TF1-style flags, loading MNIST, the optimiser, TensorBoard
summaries (train / validation / test runs, FULL_TRACE run metadata every 100 steps),
progress lines, resumable Saver checkpoints and the weights-only serving checkpoint.

Where things go, for a model called NAME:
    model/NAME/train/model.ckpt-STEP   full checkpoints (optimizer state included) that a
                                       re-run resumes from; git ignores them
    model/NAME/model.ckpt-STEP         weights + global step only, with an inference-only
                                       meta-graph: what clients and predict_server.py load
                                       through the tensor-name contract
    model/NAME/model.json              how that checkpoint was made
    eventlog/NAME/{train,validation,test}   one TensorBoard run per writer
"""
import argparse
import contextlib
import datetime
import glob
import json
import os
import random
import shutil
import sys
import tempfile
import time

import numpy as np
import tensorflow as tf2
import tensorflow.compat.v1 as tf

# The v1 API's deprecation notices are for TensorFlow's developers, not our users.
tf.get_logger().setLevel('ERROR')

from graphs import cluster as cluster_lib, input_data, layers, records
from graphs import model as model_lib

TRAIN_SUBDIR = 'train'
CHECKPOINT_BASENAME = 'model.ckpt'
EVAL_BATCH_SIZE = 1000
TRACE_EVERY = 100  # FULL_TRACE run metadata at steps 99, 199, ... as in the originals


class TrainingError(Exception):
    """A problem the user can fix (bad data, a checkpoint that cannot be resumed...)."""


# ---------------------------------------------------------------------------- flags

def positive_int(text):
    value = _parse(int, text)
    if value <= 0:
        raise argparse.ArgumentTypeError('must be a positive integer, got %s' % text)
    return value


def non_negative_int(text):
    value = _parse(int, text)
    if value < 0:
        raise argparse.ArgumentTypeError('must be 0 or more, got %s' % text)
    return value


def inter_op_thread_count(text):
    value = _parse(int, text)
    if value < -1:
        raise argparse.ArgumentTypeError(
            'must be -1 (the calling thread), 0 (TensorFlow chooses) or more, got %s' % text)
    return value


def positive_float(text):
    value = _parse(float, text)
    if not 0 < value < float('inf'):
        raise argparse.ArgumentTypeError('must be a positive number, got %s' % text)
    return value


def probability(text):
    value = _parse(float, text)
    if not 0 < value <= 1:
        raise argparse.ArgumentTypeError('must be in (0, 1], got %s' % text)
    return value


def _parse(kind, text):
    try:
        return kind(text)
    except ValueError:
        raise argparse.ArgumentTypeError('%r is not a valid %s' % (text, kind.__name__))


def make_parser(name, description, max_steps, batch_size, learning_rate, optimizer='adam',
                lr_schedule='constant', keep_prob=None, augment=False, intra_op_threads=None,
                inter_op_threads=2):
    """The flags every script shares, with that script's defaults.

    `keep_prob` is given only by models that have a dropout layer; it adds --keep_prob.
    `intra_op_threads` None means every core (see `lstm_intra_op_threads` for another).
    `inter_op_threads` -1 runs every op in the thread that calls session.run: for a
    graph that is one chain of tiny ops, where handing each op to a pool thread costs
    more than the op."""
    parser = _Parser(description=description,
                     formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    add = parser.add_argument
    add('--data_dir', default=None,
        help='directory with the four MNIST files (downloaded when missing); '
             'default $MNIST_DATA_DIR, else MNIST_data')
    add('--model_dir', default=os.path.join('model', name),
        help='checkpoints: serving copy here, full resumable ones in its train/ subdir')
    add('--log_dir', default=os.path.join('eventlog', name), help='TensorBoard event logs')
    add('--max_steps', type=positive_int, default=max_steps, help='train up to this global step')
    add('--batch_size', type=positive_int, default=batch_size, help='images per training step')
    add('--learning_rate', type=positive_float, default=learning_rate, help='initial learning rate')
    add('--optimizer', choices=('adam', 'sgd'), default=optimizer,
        help='Adam, or plain gradient descent as in the beginners tutorial')
    add('--lr_schedule', choices=('constant', 'cosine'), default=lr_schedule,
        help='cosine decays the learning rate to 0 at --max_steps')
    if keep_prob is not None:
        add('--keep_prob', type=probability, default=keep_prob,
            help='dropout keep probability while training (1.0 disables dropout)')
    add('--augment', action=argparse.BooleanOptionalAction, default=augment,
        help='randomly shift, rotate and scale each training image on the fly')
    add('--eval_every', type=positive_int, default=500,
        help='print progress and evaluate on the validation split every N steps')
    add('--summary_every', type=positive_int, default=50,
        help='write training summaries every N steps')
    add('--save_every', type=positive_int, default=1000, help='save a checkpoint every N steps')
    add('--max_to_keep', type=positive_int, default=5, help='full checkpoints kept in train/')
    add('--validation_size', type=non_negative_int, default=5000,
        help='training images held out for validation (the first N, as the classic loader)')
    add('--seed', type=non_negative_int, default=None,
        help='fixes initialisation and batch order (random, and printed, when omitted)')
    add('--deterministic', action='store_true',
        help='also make TensorFlow ops deterministic: identical weights run to run (slower)')
    add('--fresh', action='store_true',
        help="delete this model's checkpoints and logs and start from step 0")
    add('--intra_op_threads', type=non_negative_int,
        default=_cores() if intra_op_threads is None else intra_op_threads,
        help='threads inside one op (0 lets TensorFlow choose)')
    add('--inter_op_threads', type=inter_op_thread_count, default=inter_op_threads,
        help='ops run in parallel (2 measured 20-25%% faster than 1 for the LSTM on 2 cores); '
             '-1 runs every op in the calling thread')
    cluster_lib.add_flags(parser)
    return parser


def _cores():
    return os.cpu_count() or 2


def lstm_intra_op_threads(cores=None):
    """Threads inside one op for a graph that is mostly LSTM chains: the cores shared
    out between the chains (layers.TRAINING_LSTM_CHAINS), at least one each.

    The two chains already keep two cores busy; an op that also splits itself over a
    second thread makes the other chain's op wait. On 2 cores one thread per op trained
    the LSTM model 1.07-1.08x faster than two (bench/README.md, "The LSTM gap"). The
    CNN-LSTM and CRNN keep every core: their convolutions use them (0.84-0.88x with one)."""
    return max(1, (cores or _cores()) // layers.TRAINING_LSTM_CHAINS)


class _Parser(argparse.ArgumentParser):
    """Checks the flags that only make sense together (the cluster's) after parsing."""

    def parse_args(self, args=None, namespace=None):
        flags = super().parse_args(args, namespace)
        if cluster_lib.requested(flags):
            try:
                cluster_lib.check_flags(flags)
            except argparse.ArgumentTypeError as error:
                self.error(str(error))
        return flags


def session_config(flags):
    # A negative inter_op count runs the ops in the caller's thread only in a session on
    # the global thread pools, as here (not with use_per_session_threads).
    return tf.ConfigProto(intra_op_parallelism_threads=flags.intra_op_threads,
                          inter_op_parallelism_threads=flags.inter_op_threads)


# ---------------------------------------------------------------------------- main entry

def run(flags, name, features, hparams=()):
    """Train `features` (see graphs/model.py) as model NAME; exits with a one-line error
    on anything the user can fix. `hparams` are (label, value) pairs for the final line."""
    try:
        _train(flags, name, features, hparams)
    except (TrainingError, input_data.MnistDataError) as error:
        sys.exit('error: %s' % error)


def _train(flags, name, features, hparams):
    cluster = cluster_lib.Cluster(flags) if cluster_lib.requested(flags) else None
    if cluster and cluster.job_name == 'ps':
        cluster.serve_forever()
    is_chief = cluster is None or cluster.is_chief
    if flags.seed is None:
        flags.seed = random.SystemRandom().randrange(2 ** 31)
    if flags.deterministic:
        tf2.config.experimental.enable_op_determinism()  # not exported under compat.v1
    if flags.fresh and is_chief:
        _clear_previous_run(flags)
    if is_chief:
        _make_directories(flags)
    finished = _finished_checkpoint(flags) if cluster is None else None
    if finished:
        _refresh_serving_copy(flags, features, finished)
        return
    mnist = _load_mnist(flags, cluster)

    graph = tf.Graph()
    with graph.as_default(), (tf.device(cluster.device_setter()) if cluster
                              else contextlib.nullcontext()):
        tf.set_random_seed(flags.seed)
        model = model_lib.build(features)
        train_step, hooks = _train_step_op(model, flags, cluster)
        merged = tf.summary.merge_all()
        saver = tf.train.Saver(max_to_keep=flags.max_to_keep, save_relative_paths=True)
    export = ServingExport(features, flags.model_dir) if is_chief else None

    with graph.as_default():
        sess, eval_sess, start_step = _open_sessions(flags, cluster, model, saver, export,
                                                     hooks)
        print('Model %s: %s parameters, seed %d, training steps %d..%d, batch %d%s' % (
            name, format(_parameter_count(graph), ','), flags.seed, start_step,
            flags.max_steps, flags.batch_size, _role(cluster)))
        own_eval_session = (contextlib.closing(eval_sess) if eval_sess is not sess
                            else contextlib.nullcontext())
        with sess, own_eval_session:
            loop = _TrainingLoop(flags, sess, eval_sess, model, train_step, merged, saver,
                                 export, mnist, is_chief, saves=cluster is None)
            loop.run(start_step)
            if cluster:
                # Another worker's update may have been the one that ended the run, after
                # this worker's last: the step is the shared one, not the last seen here.
                loop.step = int(eval_sess.run(model.global_step))
            if is_chief:
                test_loss, test_accuracy = evaluate(eval_sess, model, mnist.test)
                loop.writers['test'].add_summary(_scalars(test_loss, test_accuracy),
                                                 loop.step)
    loop.close()  # after the session: a cluster's chief saves its last checkpoint on close

    if is_chief:
        metadata = _write_metadata(flags, name, loop, test_accuracy)
        _print_summary(flags, loop, test_accuracy, hparams, metadata)
    else:
        print('Done: worker %d ran %d of the %d steps' % (
            cluster.task_index, loop.local_steps, loop.step))


def _finished_checkpoint(flags):
    """The latest full checkpoint when it has reached --max_steps and model.json records
    it; else None. (A run killed after its last save but before writing model.json has
    not finished: it resumes, trains no step, and evaluates and records the model.)"""
    checkpoint = tf.train.latest_checkpoint(os.path.join(flags.model_dir, TRAIN_SUBDIR))
    if checkpoint is None:
        return None
    step = _checkpoint_step(checkpoint)
    recorded = records.read_metadata(flags.model_dir).get('global_step')
    return checkpoint if step >= flags.max_steps and recorded == step else None


def _refresh_serving_copy(flags, features, checkpoint):
    """A run that finds its model already trained: nothing to train, so rewrite only the
    serving checkpoint from the last full one (picking up any change to how serving
    graphs are built), keeping model.json, which describes the training that made it."""
    export = ServingExport(features, flags.model_dir)
    try:
        _check_shapes_match(checkpoint, export.graph)
        export.save(checkpoint)
    except (tf.errors.OpError, ValueError, OSError) as error:
        raise TrainingError('could not rewrite the serving checkpoint in %s from %s (%s)' % (
            flags.model_dir, checkpoint, _first_line(error)))
    finally:
        export.close()
    print('Already trained to step %d (--max_steps %d): serving checkpoint in %s rewritten; '
          'raise --max_steps to train further, or use --fresh to start over' % (
              _checkpoint_step(checkpoint), flags.max_steps, flags.model_dir))


def _checkpoint_step(checkpoint):
    """The global step in a checkpoint's name (model.ckpt-STEP)."""
    return int(checkpoint.rsplit('-', 1)[1])


def _first_line(error):
    """The line of an exception's message that says what went wrong, for a one-line error."""
    return str(error).strip().splitlines()[0]


def _load_mnist(flags, cluster):
    print('Loading MNIST ...')
    # Each worker draws its own batch order; one process alone draws by --seed.
    batch_seed = flags.seed + (cluster.task_index if cluster else 0)
    mnist = input_data.read_data_sets(flags.data_dir, one_hot=True,
                                      validation_size=flags.validation_size, seed=batch_seed)
    print('MNIST: %d training, %d validation, %d test images' % (
        mnist.train.num_examples, mnist.validation.num_examples, mnist.test.num_examples))
    return mnist


def _open_sessions(flags, cluster, model, saver, export, hooks):
    """(training session, evaluation session, global step to start from).

    Alone: one plain session, restored from the latest checkpoint or initialised. In a
    cluster: a MonitoredTrainingSession (the chief restores or initialises), and a plain
    session for evaluation, which the monitored one refuses once the last step asked it
    to stop; both see the same variables, on the ps tasks."""
    if cluster is None:
        sess = tf.Session(config=session_config(flags))
        return sess, sess, _restore_or_initialise(sess, saver, flags)
    config = cluster.session_config(session_config(flags))
    if not cluster.is_chief:
        cluster.wait_for_chief(config)
    sess = _cluster_session(cluster, flags, config, saver, export, hooks)
    return sess, tf.Session(cluster.server.target, config=config), int(
        sess.run(model.global_step))


def _print_summary(flags, loop, test_accuracy, hparams, metadata):
    details = ''.join('  %s %s' % pair for pair in hparams)
    print('Done: steps %d  test accuracy %.2f%%  learning rate %g%s  total %.1fs' % (
        loop.step, test_accuracy * 100, flags.learning_rate, details, loop.elapsed))
    print('Checkpoint: %s  (%s)  TensorBoard: tensorboard --logdir %s' % (
        os.path.join(flags.model_dir, metadata['checkpoint']),
        os.path.join(flags.model_dir, records.METADATA_FILE),
        os.path.dirname(os.path.normpath(flags.log_dir)) or '.'))


def _role(cluster):
    if cluster is None:
        return ''
    return ', worker %d of %d (%s%s)' % (
        cluster.task_index, cluster.num_workers,
        'synchronous' if cluster.sync_replicas else 'asynchronous',
        ', chief' if cluster.is_chief else '')


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


def _cluster_session(cluster, flags, config, saver, export, hooks):
    """The cluster's MonitoredTrainingSession; the chief saves checkpoints through a hook
    whose listener refreshes the serving copy after each save."""
    train_dir = os.path.join(flags.model_dir, TRAIN_SUBDIR)
    chief_hooks = []
    if cluster.is_chief:
        chief_hooks.append(tf.train.CheckpointSaverHook(
            train_dir, save_steps=flags.save_every, saver=saver,
            listeners=[_ExportListener(export, train_dir)]))
    return cluster.session(config, train_dir if cluster.is_chief else None, saver,
                           flags.max_steps, hooks, chief_hooks)


class _ExportListener(tf.train.CheckpointSaverListener):
    """Writes the serving checkpoint after each full checkpoint the chief saves."""

    def __init__(self, export, train_dir):
        self.export, self.train_dir = export, train_dir

    def after_save(self, session, global_step_value):
        self.export.save(tf.train.latest_checkpoint(self.train_dir))


def _parameter_count(graph):
    return sum(int(np.prod(v.shape.as_list()))
               for v in graph.get_collection(tf.GraphKeys.TRAINABLE_VARIABLES))


# ---------------------------------------------------------------------------- the loop

class _TrainingLoop:
    """Runs training steps from a start step to --max_steps, with the periodic work
    (summaries, run metadata, progress lines, checkpoints) around them.

    In a cluster the global step also moves with the other workers' updates, so periodic
    work is done when the step crosses a multiple of its period, and only the chief
    writes summaries, evaluates and (through its session's hook) saves."""

    def __init__(self, flags, sess, eval_sess, model, train_step, merged, saver, export,
                 mnist, is_chief=True, saves=True):
        self.flags, self.sess, self.eval_sess, self.model = flags, sess, eval_sess, model
        self.train_step, self.merged, self.saver, self.export = train_step, merged, saver, export
        self.mnist, self.is_chief, self.saves = mnist, is_chief, saves
        self.writers = {run: tf.summary.FileWriter(os.path.join(flags.log_dir, run))
                        for run in ('train', 'validation', 'test')} if is_chief else {}
        self.augment_rng = np.random.RandomState(flags.seed) if flags.augment else None
        self.keep_prob = getattr(flags, 'keep_prob', 1.0)
        self.step = 0
        self.local_steps = 0         # updates this process made
        self.elapsed = 0.0           # wall time of this run, evaluation included
        self.train_seconds = 0.0     # time spent in training steps only
        self.last_validation = None
        self.traced = None           # the step of the last FULL_TRACE

    def run(self, start_step):
        self.step = start_step
        started = time.time()
        if self.is_chief:
            self._mark_start(start_step)
        window_start, window_images = time.time(), 0
        try:
            while self.step < self.flags.max_steps and not self._should_stop():
                previous = self.step
                step_started = time.time()
                self._run_train_step()
                self.train_seconds += time.time() - step_started
                window_images += self.flags.batch_size
                finished = self.step >= self.flags.max_steps
                if finished or _crossed(previous, self.step, self.flags.eval_every):
                    rate = window_images / max(time.time() - window_start, 1e-9)
                    self._report_progress(rate)
                    window_start, window_images = time.time(), 0
                if self.saves and (finished or
                                   _crossed(previous, self.step, self.flags.save_every)):
                    self._save()
        except KeyboardInterrupt:
            if self.saves:
                self._save()
            self.close()
            sys.exit('interrupted at step %d; checkpoint saved, run again to resume' % self.step)
        self.elapsed = time.time() - started

    def _mark_start(self, start_step):
        if start_step == 0:
            self.writers['train'].add_graph(self.sess.graph)
        else:
            # Tells TensorBoard to drop events a crashed run wrote after this step.
            log = tf.SessionLog(status=tf.SessionLog.START)
            for writer in self.writers.values():
                writer.add_session_log(log, start_step)

    def _should_stop(self):
        return getattr(self.sess, 'should_stop', lambda: False)()

    def images_per_second(self):
        trained = self.local_steps * self.flags.batch_size
        return trained / self.train_seconds if self.train_seconds else 0.0

    def _run_train_step(self):
        images, labels = self.mnist.train.next_batch(self.flags.batch_size)
        if self.augment_rng is not None:
            from graphs import imageops  # only scripts run with --augment need it
            images = imageops.random_affine(images.reshape(-1, 28, 28), self.augment_rng)
            images = images.reshape(-1, 784)
        feed = model_lib.training_feed(self.model, images, labels, self.keep_prob)
        step = self.step  # the global step before this update, as the originals count
        # (Synchronous replicas can run several updates at one global step: trace once.)
        if self.is_chief and step % TRACE_EVERY == TRACE_EVERY - 1 and step != self.traced:
            self.traced = step
            options = tf.RunOptions(trace_level=tf.RunOptions.FULL_TRACE)
            metadata = tf.RunMetadata()
            summary, self.step = self.sess.run([self.merged, self.train_step], feed,
                                               options=options, run_metadata=metadata)
            self.writers['train'].add_run_metadata(metadata, 'step%03d' % step, step)
            self.writers['train'].add_summary(summary, step)
        elif self.is_chief and step % self.flags.summary_every == self.flags.summary_every - 1:
            summary, self.step = self.sess.run([self.merged, self.train_step], feed)
            self.writers['train'].add_summary(summary, step)
        else:
            self.step = self.sess.run(self.train_step, feed)
        self.step = int(self.step)
        self.local_steps += 1

    def _report_progress(self, images_per_second):
        quality = ''
        if self.is_chief:
            loss, accuracy = evaluate(self.eval_sess, self.model, self.mnist.validation)
            if accuracy is None:
                quality = 'no validation split  '
            else:
                self.writers['validation'].add_summary(_scalars(loss, accuracy), self.step)
                self.last_validation = accuracy
                quality = 'loss %.4f  validation accuracy %.2f%%  ' % (loss, accuracy * 100)
        remaining = max(self.flags.max_steps - self.step, 0)
        eta = remaining * self.flags.batch_size / max(images_per_second, 1e-9)
        print('step %d/%d  %s%.0f images/s  ETA %s' % (
            self.step, self.flags.max_steps, quality, images_per_second, _duration(eta)),
            flush=True)

    def _save(self):
        prefix = os.path.join(self.flags.model_dir, TRAIN_SUBDIR, CHECKPOINT_BASENAME)
        try:
            path = self.saver.save(self.sess, prefix, global_step=self.step)
            self.export.save(path)
        except (tf.errors.OpError, ValueError, OSError) as error:
            raise TrainingError('could not save the checkpoint for step %d in %s (%s); '
                                'the previous checkpoint is untouched' % (
                                    self.step, self.flags.model_dir, _first_line(error)))

    def close(self):
        for writer in self.writers.values():
            writer.close()
        if self.export:
            self.export.close()


def _crossed(previous, current, every):
    """True when going from step `previous` to `current` passed a multiple of `every`."""
    return current // every > previous // every


def evaluate(sess, model, dataset):
    """Mean cross entropy and accuracy over a whole split, in memory-friendly batches.
    Returns (None, None) for an empty split."""
    if dataset.num_examples == 0:
        return None, None
    total_loss = total_correct = 0.0
    for start in range(0, dataset.num_examples, EVAL_BATCH_SIZE):
        images = dataset.images[start:start + EVAL_BATCH_SIZE]
        labels = dataset.labels[start:start + EVAL_BATCH_SIZE]
        loss, accuracy = sess.run([model.cross_entropy, model.accuracy],
                                  {model.images: images, model.labels: labels})
        total_loss += loss * len(images)
        total_correct += accuracy * len(images)
    return total_loss / dataset.num_examples, total_correct / dataset.num_examples


def _scalars(loss, accuracy):
    """Evaluation figures as a Summary, under the tags the training run uses."""
    return tf.Summary(value=[tf.Summary.Value(tag=model_lib.LOSS_TAG, simple_value=loss),
                             tf.Summary.Value(tag=model_lib.ACCURACY_TAG,
                                              simple_value=accuracy)])


def _duration(seconds):
    seconds = int(round(seconds))
    return '%dm%02ds' % divmod(seconds, 60) if seconds >= 60 else '%ds' % seconds


# ---------------------------------------------------------------------------- checkpoints

class ServingExport:
    """The weights-only checkpoint in model/NAME/ that clients restore by tensor name.

    It lives in a graph of its own, built by the same code as the training graph but
    inside layers.inference_graph() and with no optimizer: no summaries, no dropout op,
    each LSTM in one chain, so its meta-graph holds only what inference needs. On
    each save it restores the model's variables (and the global step) from the full
    training checkpoint just written, saves them, and removes the previous copy.

    The order makes it safe to kill at any moment: weights, then meta-graph, then the
    `checkpoint` file that points clients at them, and only then the old copy goes. (A
    plain Saver.save points the `checkpoint` file at the new weights, and deletes the old
    ones, before it writes the new meta-graph.)"""

    def __init__(self, features, model_dir):
        self.model_dir = model_dir
        self.graph = tf.Graph()
        with self.graph.as_default(), layers.inference_graph():
            # Its variables are always restored, never initialised, but with
            # --deterministic TensorFlow refuses to build an unseeded random op at all.
            tf.set_random_seed(0)
            model_lib.build(features)
            self.saver = tf.train.Saver(save_relative_paths=True)
        self.sess = tf.Session(graph=self.graph)

    def save(self, training_checkpoint):
        # In its own graph: the Saver works in graph mode only, and exports the default
        # graph's meta-graph, whatever graph the caller has made the default.
        with self.graph.as_default():
            self.saver.restore(self.sess, training_checkpoint)
            step = _checkpoint_step(training_checkpoint)
            prefix = os.path.join(self.model_dir, CHECKPOINT_BASENAME)
            path = self.saver.save(self.sess, prefix, global_step=step,
                                   write_meta_graph=False, write_state=False)
            self.saver.export_meta_graph(path + '.meta', strip_default_attrs=True)
        _point_checkpoint_file_at(self.model_dir, os.path.basename(path))
        _remove_other_checkpoints(self.model_dir, keep=path)
        return path

    def close(self):
        self.sess.close()


def _point_checkpoint_file_at(directory, name):
    """Write `directory`/checkpoint (the file latest_checkpoint reads) naming checkpoint
    `name` relative to the directory, so that a clone elsewhere finds it too; atomically,
    so that a reader never sees half a file. (tf.train.update_checkpoint_state would
    write an absolute path for an absolute directory, and for a relative one take the
    name as relative to the working directory.)"""
    path = os.path.join(directory, 'checkpoint')
    with open(path + '.tmp', 'w') as f:
        f.write('model_checkpoint_path: "%s"\nall_model_checkpoint_paths: "%s"\n' % (name, name))
    os.replace(path + '.tmp', path)


def _remove_other_checkpoints(directory, keep):
    """Delete serving checkpoints other than `keep` (ones an earlier save left behind).
    Runs after the `checkpoint` file already points at `keep`."""
    for path in glob.glob(os.path.join(directory, CHECKPOINT_BASENAME + '-*')):
        if not path.startswith(keep + '.'):
            os.remove(path)


def _make_directories(flags):
    """Create the output directories and make sure they take files now, rather than
    finding out at the first checkpoint, minutes into training."""
    for directory in (os.path.join(flags.model_dir, TRAIN_SUBDIR), flags.model_dir,
                      flags.log_dir):
        try:
            os.makedirs(directory, exist_ok=True)
            with tempfile.TemporaryFile(dir=directory):
                pass
        except OSError as error:
            raise TrainingError('cannot write to %s (%s)' % (directory, error.strerror or error))


def _restore_or_initialise(sess, saver, flags):
    """Resume from the latest full checkpoint, or initialise; returns the global step."""
    train_dir = os.path.join(flags.model_dir, TRAIN_SUBDIR)
    checkpoint = tf.train.latest_checkpoint(train_dir)
    if checkpoint is None:
        sess.run(tf.global_variables_initializer())
        return 0
    try:
        _check_shapes_match(checkpoint, sess.graph)
        saver.restore(sess, checkpoint)
    except (tf.errors.OpError, ValueError) as error:
        raise TrainingError(
            'cannot resume from %s (%s); it was written by a different model or flags, or '
            'is damaged. Run again with --fresh to start over (this deletes %s and %s)' % (
                checkpoint, _first_line(error), flags.model_dir, flags.log_dir))
    step = int(sess.run(tf.train.get_global_step(sess.graph)))
    print('Resuming from %s at step %d' % (checkpoint, step))
    return step


def _check_shapes_match(checkpoint, graph):
    """Raise ValueError unless the checkpoint holds every variable of the graph with the
    same shape. (Saver.restore of a v1 variable would silently take a wrong shape.)"""
    saved = dict(tf.train.list_variables(checkpoint))
    for variable in graph.get_collection(tf.GraphKeys.GLOBAL_VARIABLES):
        name, shape = variable.op.name, variable.shape.as_list()
        if name not in saved:
            raise ValueError('it has no variable %s' % name)
        if saved[name] != shape:
            raise ValueError('%s has shape %s there but %s in this model' % (
                name, saved[name], shape))


def _clear_previous_run(flags):
    """--fresh: remove this model's checkpoints and event logs (and nothing else)."""
    doomed = glob.glob(os.path.join(flags.model_dir, CHECKPOINT_BASENAME + '*'))
    doomed += [os.path.join(flags.model_dir, name)
               for name in ('checkpoint', records.METADATA_FILE)]
    for path in doomed:
        if os.path.isfile(path):
            os.remove(path)
    for directory in (os.path.join(flags.model_dir, TRAIN_SUBDIR), flags.log_dir):
        shutil.rmtree(directory, ignore_errors=True)
    print('Fresh start: removed checkpoints in %s and logs in %s' % (
        flags.model_dir, flags.log_dir))


def _write_metadata(flags, name, loop, test_accuracy):
    """model/NAME/model.json: how the serving checkpoint was made (written atomically)."""
    metadata = {
        'model': name,
        'checkpoint': os.path.basename(tf.train.latest_checkpoint(flags.model_dir)),
        'global_step': loop.step,
        'test_accuracy': round(float(test_accuracy), 6),
        'validation_accuracy': (None if loop.last_validation is None
                                else round(float(loop.last_validation), 6)),
        'command': ' '.join(['python', os.path.basename(sys.argv[0])] + sys.argv[1:]),
        'flags': vars(flags),
        # A run that trained no step (it resumed a finished one) cannot know these.
        'training_seconds': round(loop.elapsed, 1) if loop.local_steps else None,
        'images_per_second': round(loop.images_per_second(), 1) if loop.local_steps else None,
        'date': datetime.datetime.now().astimezone().isoformat(timespec='seconds'),
        'tensorflow_version': tf.__version__,
    }
    path = os.path.join(flags.model_dir, records.METADATA_FILE)
    with open(path + '.tmp', 'w') as f:
        json.dump(metadata, f, indent=2, sort_keys=True)
        f.write('\n')
    os.replace(path + '.tmp', path)
    return metadata
