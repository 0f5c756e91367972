"""What a training run leaves on disk, for a model called NAME, and how it is written:

    model/NAME/train/model.ckpt-STEP   full checkpoints (optimizer state included) that a
                                       re-run resumes from; git ignores them
    model/NAME/model.ckpt-STEP         weights + global step only, with an inference-only
                                       meta-graph: what clients and predict_server.py load
                                       through the tensor-name contract (ServingExport)
    model/NAME/model.json              how that checkpoint was made (write_metadata)

Every file a reader may be looking at is replaced atomically, so a run can be killed at
any moment and leave the previous checkpoint usable.
"""
import contextlib
import datetime
import glob
import os
import sys
import tempfile

import tensorflow.compat.v1 as tf

from graphs import model as model_lib, records, tensorboard
from graphs.messages import one_line

TRAIN_SUBDIR = 'train'
CHECKPOINT_BASENAME = 'model.ckpt'


class CheckpointError(Exception):
    """A problem with the model's files the user can fix (a directory that takes no
    files, a checkpoint that cannot be resumed...)."""


def train_dir(model_dir):
    """Where the full, resumable checkpoints live."""
    return os.path.join(model_dir, TRAIN_SUBDIR)


def checkpoint_step(checkpoint):
    """The global step in a checkpoint's name (model.ckpt-STEP)."""
    return int(checkpoint.rsplit('-', 1)[1])


# ---------------------------------------------------------------------------- directories

def make_directories(model_dir, log_dir):
    """Create the output directories and make sure they take files now, rather than
    finding out at the first checkpoint, minutes into training."""
    for directory in (train_dir(model_dir), model_dir, log_dir):
        try:
            os.makedirs(directory, exist_ok=True)
            with tempfile.TemporaryFile(dir=directory):
                pass
        except OSError as error:
            raise CheckpointError('cannot write to %s (%s)' % (
                directory, error.strerror or error))


def clear_previous_run(model_dir, log_dir):
    """--fresh: remove this model's checkpoints (serving and full), model.json and event
    logs, and nothing else: either directory may hold the user's own files."""
    for directory in (model_dir, train_dir(model_dir)):
        doomed = glob.glob(os.path.join(glob.escape(directory), CHECKPOINT_BASENAME + '*'))
        doomed += [os.path.join(directory, name) for name in ('checkpoint', 'checkpoint.tmp')]
        for path in doomed:
            if os.path.isfile(path):
                os.remove(path)
    metadata = os.path.join(model_dir, records.METADATA_FILE)
    if os.path.isfile(metadata):
        os.remove(metadata)
    with contextlib.suppress(OSError):  # only when empty
        os.rmdir(train_dir(model_dir))
    tensorboard.remove_logs(log_dir)
    print('Fresh start: removed checkpoints in %s and logs in %s' % (model_dir, log_dir))


# ---------------------------------------------------------------------------- resuming

def recover_state_file(model_dir):
    """When train/checkpoint is missing or damaged (or names files that are gone) while
    full checkpoints lie beside it, write it again naming them, newest last, and say so:
    a lost state file must not restart training from step 0 and replace the trained model.
    Every reader (latest_checkpoint, a cluster's MonitoredTrainingSession) then finds them."""
    directory = train_dir(model_dir)
    found = full_checkpoints(model_dir)
    if not found or tf.train.latest_checkpoint(directory) is not None:
        return
    names = [os.path.basename(prefix) for prefix in found]
    _write_checkpoint_state(directory, names)
    print('%s was missing or damaged: written again, naming the %d checkpoints beside it '
          '(newest %s)' % (os.path.join(directory, 'checkpoint'), len(names), names[-1]))


def full_checkpoints(model_dir):
    """Every full checkpoint in train/ with an index file, oldest step first."""
    indexes = glob.glob(os.path.join(glob.escape(train_dir(model_dir)),
                                     CHECKPOINT_BASENAME + '-*.index'))
    prefixes = [index[:-len('.index')] for index in indexes]
    return sorted((prefix for prefix in prefixes if prefix.rsplit('-', 1)[1].isdigit()),
                  key=checkpoint_step)


def finished_checkpoint(model_dir, max_steps):
    """The latest full checkpoint when it has reached `max_steps` and model.json records
    it; else None. (A run killed after its last save but before writing model.json has
    not finished: it resumes, trains no step, and evaluates and records the model.)"""
    checkpoint = tf.train.latest_checkpoint(train_dir(model_dir))
    if checkpoint is None:
        return None
    step = checkpoint_step(checkpoint)
    recorded = records.read_metadata(model_dir).get('global_step')
    return checkpoint if step >= max_steps and recorded == step else None


def restore_or_initialise(sess, saver, model_dir, log_dir):
    """Resume from the latest full checkpoint, or initialise; returns the global step.
    The saver takes over the checkpoints the state file lists, so --max_to_keep counts
    them (a new Saver knows only those it writes, and would leave the others behind for
    good), as TF 1.x's SessionManager did."""
    checkpoint = tf.train.latest_checkpoint(train_dir(model_dir))
    if checkpoint is None:
        sess.run(tf.global_variables_initializer())
        return 0
    try:
        check_shapes_match(checkpoint, sess.graph)
        saver.restore(sess, checkpoint)
    except (tf.errors.OpError, ValueError) as error:
        raise CheckpointError(
            'cannot resume from %s (%s); it was written by a different model or flags, or '
            'is damaged. Run again with --fresh to start over (this deletes the checkpoints '
            'in %s and the event logs in %s)' % (
                checkpoint, one_line(error), model_dir, log_dir))
    saver.recover_last_checkpoints(
        tf.train.get_checkpoint_state(train_dir(model_dir)).all_model_checkpoint_paths)
    step = int(sess.run(tf.train.get_global_step(sess.graph)))
    print('Resuming from %s at step %d' % (checkpoint, step))
    return step


def serving_checkpoint(model_dir):
    """The serving checkpoint clients load from model_dir (--fine_tune starts from it)."""
    checkpoint = tf.train.latest_checkpoint(model_dir)
    if checkpoint is None:
        raise CheckpointError('no serving checkpoint in %s to fine-tune; train the model '
                              'first' % model_dir)
    return checkpoint


def restore_serving_weights(sess, checkpoint):
    """--fine_tune: every variable initialised, then those the serving `checkpoint` holds
    (the model's weights and the global step) restored from it, so the optimizer starts
    afresh; returns the global step."""
    graph = sess.graph
    saved = dict(tf.train.list_variables(checkpoint))
    weights = [variable for variable in graph.get_collection(tf.GraphKeys.GLOBAL_VARIABLES)
               if variable.op.name in saved]
    try:
        check_shapes_match(checkpoint, graph, tf.GraphKeys.TRAINABLE_VARIABLES)
        sess.run(tf.global_variables_initializer())
        tf.train.Saver(weights).restore(sess, checkpoint)
    except (tf.errors.OpError, ValueError) as error:
        raise CheckpointError('cannot fine-tune from %s (%s); it was written by a different '
                              'model or flags' % (checkpoint, one_line(error)))
    step = int(sess.run(tf.train.get_global_step(graph)))
    print('Fine-tuning from %s at step %d, with a fresh optimizer' % (checkpoint, step))
    return step


def check_shapes_match(checkpoint, graph, collection=tf.GraphKeys.GLOBAL_VARIABLES):
    """Raise ValueError unless the checkpoint holds every variable of the graph (of its
    `collection`) with the same shape. (Saver.restore of a v1 variable would silently
    take a wrong shape.)"""
    saved = dict(tf.train.list_variables(checkpoint))
    for variable in graph.get_collection(collection):
        name, shape = variable.op.name, variable.shape.as_list()
        if name not in saved:
            raise ValueError('it has no variable %s' % name)
        if saved[name] != shape:
            raise ValueError('%s has shape %s there but %s in this model' % (
                name, saved[name], shape))


# ---------------------------------------------------------------------------- saving

def save(sess, saver, export, model_dir, step):
    """The full checkpoint of `step`, then the serving copy made from it."""
    prefix = os.path.join(train_dir(model_dir), CHECKPOINT_BASENAME)
    try:
        export.save(saver.save(sess, prefix, global_step=step))
    except (tf.errors.OpError, ValueError, OSError) as error:
        raise CheckpointError('could not save the checkpoint for step %d in %s (%s); '
                              'the previous checkpoint is untouched' % (
                                  step, model_dir, one_line(error)))


def rewrite_serving_copy(features, model_dir, checkpoint):
    """Rewrite only the serving checkpoint from the full one `checkpoint` (picking up any
    change to how serving graphs are built), keeping model.json, which describes the
    training that made it."""
    export = ServingExport(features, model_dir)
    try:
        check_shapes_match(checkpoint, export.graph)
        export.save(checkpoint)
    except (tf.errors.OpError, ValueError, OSError) as error:
        raise CheckpointError('could not rewrite the serving checkpoint in %s from %s (%s)' % (
            model_dir, checkpoint, one_line(error)))
    finally:
        export.close()


class ServingExport:
    """The weights-only checkpoint in model/NAME/ that clients restore by tensor name.

    It lives in a graph of its own, built by the same code as the training graph but as
    the serving graph (model.build(serving=True)) and with no optimizer: no summaries, no
    dropout op, each LSTM in one chain, so its meta-graph holds only what inference needs. On
    each save it restores the model's variables (and the global step) from the full
    training checkpoint just written, saves them, and removes the previous copy.

    The order makes it safe to kill at any moment: weights, then meta-graph, then the
    `checkpoint` file that points clients at them, and only then the old copy goes. (A
    plain Saver.save points the `checkpoint` file at the new weights, and deletes the old
    ones, before it writes the new meta-graph.)"""

    def __init__(self, features, model_dir):
        self.model_dir = model_dir
        self.graph = tf.Graph()
        with self.graph.as_default():
            # Its variables are always restored, never initialised, but with
            # --deterministic TensorFlow refuses to build an unseeded random op at all.
            tf.set_random_seed(0)
            model_lib.build(features, serving=True)
            self.saver = tf.train.Saver(save_relative_paths=True)
        self.sess = tf.Session(graph=self.graph)

    def save(self, training_checkpoint):
        # In its own graph: the Saver works in graph mode only, and exports the default
        # graph's meta-graph, whatever graph the caller has made the default.
        with self.graph.as_default():
            self.saver.restore(self.sess, training_checkpoint)
            path = write_serving_checkpoint(self.sess, self.saver, self.model_dir,
                                            checkpoint_step(training_checkpoint))
        _remove_other_checkpoints(self.model_dir, keep=path)
        return path

    def close(self):
        self.sess.close()


def write_serving_checkpoint(sess, saver, directory, step):
    """Save the default graph's variables as directory/model.ckpt-STEP, then its
    meta-graph, then the `checkpoint` file naming them: in that order, so a client never
    finds a checkpoint file pointing at a half-written model. Returns the prefix."""
    path = saver.save(sess, os.path.join(directory, CHECKPOINT_BASENAME), global_step=step,
                      write_meta_graph=False, write_state=False)
    saver.export_meta_graph(path + '.meta', strip_default_attrs=True)
    _write_checkpoint_state(directory, [os.path.basename(path)])
    return path


class ExportListener(tf.train.CheckpointSaverListener):
    """Writes the serving checkpoint after each full checkpoint a session hook saves
    (a cluster's chief saves through its MonitoredTrainingSession's hook)."""

    def __init__(self, export, model_dir):
        self.export, self.train_dir = export, train_dir(model_dir)

    def after_save(self, session, global_step_value):
        self.export.save(tf.train.latest_checkpoint(self.train_dir))


def _write_checkpoint_state(directory, names):
    """Write `directory`/checkpoint (the file latest_checkpoint reads) naming the
    checkpoints `names`, the last the latest, relative to the directory, so that a clone
    elsewhere finds them too; atomically, so that a reader never sees half a file.
    (tf.train.update_checkpoint_state would write absolute paths for an absolute
    directory, and for a relative one take the names as relative to the working
    directory.)"""
    path = os.path.join(directory, 'checkpoint')
    with open(path + '.tmp', 'w') as f:
        f.write('model_checkpoint_path: "%s"\n' % names[-1])
        f.writelines('all_model_checkpoint_paths: "%s"\n' % name for name in names)
    os.replace(path + '.tmp', path)


def _remove_other_checkpoints(directory, keep):
    """Delete serving checkpoints other than `keep` (ones an earlier save left behind).
    Runs after the `checkpoint` file already points at `keep`."""
    for path in glob.glob(os.path.join(directory, CHECKPOINT_BASENAME + '-*')):
        if not path.startswith(keep + '.'):
            os.remove(path)


# ---------------------------------------------------------------------------- model.json

def write_metadata(flags, name, result):
    """model/NAME/model.json: how the serving checkpoint was made (written atomically).
    `result` is the training loop's Result; returns the dict written."""
    trained = result.local_steps > 0  # a run that resumed a finished one cannot time it
    metadata = {
        'model': name,
        'checkpoint': os.path.basename(tf.train.latest_checkpoint(flags.model_dir)),
        'global_step': result.steps,
        'test_accuracy': round(float(result.test_accuracy), 6),
        'validation_accuracy': (None if result.validation_accuracy is None
                                else round(float(result.validation_accuracy), 6)),
        'command': ' '.join(['python', os.path.basename(sys.argv[0])] + sys.argv[1:]),
        'flags': vars(flags),
        'precision': flags.precision,
        'training_seconds': round(result.seconds, 1) if trained else None,
        'images_per_second': round(result.images_per_second, 1) if trained else None,
        'date': datetime.datetime.now().astimezone().isoformat(timespec='seconds'),
        'tensorflow_version': tf.__version__,
    }
    records.write_json_atomically(os.path.join(flags.model_dir, records.METADATA_FILE),
                                  metadata, sort_keys=True)
    return metadata
