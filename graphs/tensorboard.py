"""What a run writes for TensorBoard's dashboards beyond the scalars, images, histograms and
graph that its summary ops give (graphs/layers.py):

    eventlog/NAME/validation   PR curves per digit, at each evaluation     (pr_curves)
    eventlog/NAME/test         PR curves per digit; the confusion matrix and the most
                               confident mistakes, as pictures and as tables  (images, text)
                               and the embedding projector's files:          (projector)
                               projector.ckpt (the hidden features of the first test
                               images), metadata.tsv, sprite.png, projector_config.pbtxt
    eventlog/NAME              the run's record: its hyperparameters and final metrics
                               (hparams), its command, flags, host and TensorFlow (text)

Everything here is written with the plugins' protobuf builders through the v1
FileWriter, from NumPy values: the loop's evaluations, and the hidden features read from
a tensor the model already has. No op is added to the model's graph.

The HParams dashboard finds a run's metrics under its record's run name (NAME/test,
NAME/validation), so it wants TensorBoard started on eventlog/, the parent of every
model's directory: `./run.sh tensorboard`.
"""
import contextlib
import glob
import os
import socket

import numpy as np
import tensorflow.compat.v1 as tf
from tensorboard.plugins import projector
from tensorboard.plugins.hparams import api_pb2 as hparams_api
from tensorboard.plugins.hparams import summary as hparams_summary
from tensorboard.plugins.image import summary as image_summary
from tensorboard.plugins.pr_curve import summary as pr_curve_summary
from tensorboard.plugins.text import summary as text_summary

from graphs import contract, pictures
from graphs import model as model_lib
from graphs.contract import IMAGE_SIZE, NUM_CLASSES

PR_THRESHOLDS = 51          # points per curve: enough for a smooth curve, small on disk
PROJECTOR_IMAGES = 1000     # the first test images, shown in the projector
MISTAKES_SHOWN = 16         # the most confident mistakes, in a 4 × 4 grid
MISTAKE_ZOOM = 3
CONFUSION_CELL = 24         # pixels per cell of the 10 × 10 confusion matrix
# The confusion matrix's colours at full strength, from white at none.
CORRECT_INK, MISTAKE_INK = np.array([8, 48, 107]), np.array([165, 15, 21])

# The input of the output layer's matrix product: the last hidden features, whatever the
# model (for softmax regression, the pixels themselves). nn_layer names the product.
FEATURES_OP = contract.LOGITS_SCOPE + '/Wx_plus_b/MatMul'
EMBEDDING_VARIABLE = 'hidden_features'
PROJECTOR_CHECKPOINT = 'projector.ckpt'
PROJECTOR_METADATA, PROJECTOR_SPRITE = 'metadata.tsv', 'sprite.png'
RUNS = ('train', 'validation', 'test')  # log_dir's sub-runs, one summary writer each
EVENTS_FILES = 'events.out.tfevents.*'
# What a sub-run may hold besides events: the projector's checkpoint (and the `checkpoint`
# file naming it), metadata, sprite and config.
PROJECTOR_FILES = (PROJECTOR_CHECKPOINT + '.*', 'checkpoint', PROJECTOR_METADATA,
                   PROJECTOR_SPRITE, 'projector_config.pbtxt')


# ---------------------------------------------------------------------------- validation

def pr_curves(one_hot_labels, probabilities):
    """One PR curve per digit (that digit against the others), as a serialised Summary."""
    summary = tf.Summary()
    for digit in range(NUM_CLASSES):
        curve = pr_curve_summary.pb(
            'pr_curves/digit_%d' % digit, one_hot_labels[:, digit] > 0.5,
            probabilities[:, digit].astype(np.float32), num_thresholds=PR_THRESHOLDS,
            description='digit %d against the other nine, by its softmax probability'
                        % digit)
        summary.MergeFromString(curve.SerializeToString())
    return summary


# ---------------------------------------------------------------------------- test

def write_test_run(writer, step, sess, model, test_set, probabilities):
    """The test run's PR curves, confusion matrix, mistakes and projector files.
    `probabilities` [N, 10] are the model's on the whole of `test_set`."""
    labels = np.argmax(test_set.labels, 1)
    predictions = np.argmax(probabilities, 1)
    writer.add_summary(pr_curves(test_set.labels, probabilities), step)
    writer.add_summary(_confusion_summary(labels, predictions), step)
    writer.add_summary(_mistakes_summary(test_set.images, labels, predictions,
                                         probabilities), step)
    shown = min(PROJECTOR_IMAGES, test_set.num_examples)
    features = sess.run(model.images.graph.get_operation_by_name(FEATURES_OP).inputs[0],
                        {model.images: test_set.images[:shown]})
    _write_projector(writer.get_logdir(), features, test_set.images[:shown],
                     labels[:shown], predictions[:shown])


def _confusion_summary(labels, predictions):
    """The confusion matrix as a heat map (rows: true digit, columns: predicted) and its
    counts as a table. The diagonal is shaded by each digit's share read right; the
    mistakes, a few in a thousand, in another colour relative to the most frequent one:
    on the diagonal's scale they would not show."""
    counts = np.zeros((NUM_CLASSES, NUM_CLASSES), np.int64)
    np.add.at(counts, (labels, predictions), 1)
    shares = counts / np.maximum(counts.sum(1, keepdims=True), 1)
    diagonal = np.eye(NUM_CLASSES, dtype=bool)
    mistakes = np.where(diagonal, 0.0, shares)
    strength = np.where(diagonal, shares, mistakes / max(mistakes.max(), 1e-12))
    ink = np.where(diagonal[..., None], CORRECT_INK, MISTAKE_INK)
    colours = 255 - strength[..., None] * (255 - ink)
    picture = np.kron(colours, np.ones((CONFUSION_CELL, CONFUSION_CELL, 1)))
    header = '| true \\ predicted | %s |\n|%s' % (
        ' | '.join(str(d) for d in range(NUM_CLASSES)), ' --- |' * (NUM_CLASSES + 1))
    rows = ''.join('\n| **%d** | %s |' % (digit, ' | '.join(str(c) for c in counts[digit]))
                   for digit in range(NUM_CLASSES))
    return _with_text(
        _image_summary('confusion_matrix', np.round(picture),
                       'rows: the true digit, 0-9 from the top; columns: the predicted '
                       'digit, 0-9 from the left. Blue diagonal: the share of each digit '
                       'read right; red: the mistakes, the darkest the most frequent. '
                       'The counts are in the Text tab.'),
        'confusion_matrix/counts', header + rows)


def _mistakes_summary(images, labels, predictions, probabilities):
    """The test images the model got wrong with the highest confidence, in a grid, and
    a table of what each was and what the model said."""
    wrong = np.flatnonzero(predictions != labels)
    confidence = probabilities[wrong, predictions[wrong]]
    worst = wrong[np.argsort(-confidence, kind='stable')][:MISTAKES_SHOWN]
    if not len(worst):
        return _with_text(tf.Summary(), 'mistakes/most_confident', 'No mistakes.')
    descriptions = ['%d read as %d (%.0f%%)' % (labels[i], predictions[i],
                                                100 * probabilities[i, predictions[i]])
                    for i in worst]
    table = '| # | test image | true | predicted | confidence |\n| --- | --- | --- | --- | --- |'
    table += ''.join('\n| %d | %d | %d | %d | %.1f%% |' % (
        n + 1, i, labels[i], predictions[i], 100 * probabilities[i, predictions[i]])
        for n, i in enumerate(worst))
    columns = int(np.ceil(np.sqrt(MISTAKES_SHOWN)))
    picture = pictures.digit_grid(images[worst].reshape(-1, IMAGE_SIZE, IMAGE_SIZE),
                                  columns, MISTAKE_ZOOM, gap=2)
    return _with_text(
        _image_summary('mistakes/most_confident', picture,
                       'row by row, true read as predicted: ' + '; '.join(descriptions)),
        'mistakes/most_confident', table)


def _write_projector(log_dir, features, images, labels, predictions):
    """The embedding projector's files in `log_dir`: the features as a checkpointed
    variable, one metadata row per image, the sprite, and the config tying them up
    (relative paths, so the event logs can be moved). The features are stored in half
    precision: the checkpoint is the largest file the event logs ship with
    (scripts/ship_eventlog.py), and a picture of 1,000 points needs no more digits."""
    features = features.astype(np.float16)
    with tf.Graph().as_default():
        value = tf.placeholder(tf.float16, features.shape)
        embedding = tf.Variable(value, name=EMBEDDING_VARIABLE)
        saver = tf.train.Saver([embedding], save_relative_paths=True)
        with tf.Session() as sess:
            sess.run(embedding.initializer, {value: features})
            saver.save(sess, os.path.join(log_dir, PROJECTOR_CHECKPOINT),
                       write_meta_graph=False)
    with open(os.path.join(log_dir, PROJECTOR_METADATA), 'w') as f:
        f.write('label\tprediction\tcorrect\n')
        for label, prediction in zip(labels, predictions):
            f.write('%d\t%d\t%s\n' % (label, prediction,
                                      'yes' if label == prediction else 'no'))
    # The projector wants a square sprite: blank cells make up the last rows.
    columns = int(np.ceil(np.sqrt(len(images))))
    cells = np.zeros((columns * columns, IMAGE_SIZE, IMAGE_SIZE), np.float32)
    cells[:len(images)] = images.reshape(-1, IMAGE_SIZE, IMAGE_SIZE)
    pictures.write_png(os.path.join(log_dir, PROJECTOR_SPRITE),
                       pictures.digit_grid(cells, columns))
    config = projector.ProjectorConfig()
    embedding_info = config.embeddings.add()
    embedding_info.tensor_name = EMBEDDING_VARIABLE
    embedding_info.metadata_path = PROJECTOR_METADATA
    embedding_info.sprite.image_path = PROJECTOR_SPRITE
    embedding_info.sprite.single_image_dim.extend([IMAGE_SIZE, IMAGE_SIZE])
    projector.visualize_embeddings(log_dir, config)


# ---------------------------------------------------------------------------- the record

# The hyperparameters every run records, the same for every model, so that the HParams
# dashboard compares them all in one table. A model's own options (hidden units...) are
# one string, `model_options`.
HPARAMS = (
    ('model', hparams_api.DATA_TYPE_STRING),
    ('optimizer', hparams_api.DATA_TYPE_STRING),
    ('learning_rate', hparams_api.DATA_TYPE_FLOAT64),
    ('lr_schedule', hparams_api.DATA_TYPE_STRING),
    ('batch_size', hparams_api.DATA_TYPE_FLOAT64),
    ('max_steps', hparams_api.DATA_TYPE_FLOAT64),
    ('augment', hparams_api.DATA_TYPE_STRING),
    ('keep_prob', hparams_api.DATA_TYPE_FLOAT64),
    ('seed', hparams_api.DATA_TYPE_FLOAT64),
    ('precision', hparams_api.DATA_TYPE_STRING),
    ('model_options', hparams_api.DATA_TYPE_STRING),
)
# The final metrics: the last value of these scalars in the run's sub-runs.
METRICS = tuple((run, tag, '%s %s' % (run, label))
                for run in ('test', 'validation')
                for tag, label in ((model_lib.ACCURACY_TAG, 'accuracy'),
                                   (model_lib.LOSS_TAG, 'loss')))


def remove_logs(log_dir):
    """--fresh: the files training runs write into log_dir (the run record's events; in
    train/, validation/ and test/, their events and the projector's files), and those
    folders once empty. Nothing else: a log_dir may be shared, or hold the user's files."""
    for run in RUNS:
        directory = os.path.join(log_dir, run)
        _remove_files(directory, (EVENTS_FILES,) + PROJECTOR_FILES)
        with contextlib.suppress(OSError):  # only when empty
            os.rmdir(directory)
    _remove_files(log_dir, [EVENTS_FILES])


def _remove_files(directory, patterns):
    for pattern in patterns:
        for path in glob.glob(os.path.join(glob.escape(directory), pattern)):
            if os.path.isfile(path) or os.path.islink(path):
                os.remove(path)


def write_run_record(log_dir, flags, name, model_options, metadata):
    """The run's hyperparameters and final metrics (for HParams) and how it was run (for
    Text), in log_dir itself: the run above train/, validation/ and test/, which the
    metrics are read from. It replaces the record of an earlier run into the same log_dir.

    `model_options`: the script's (label, value) pairs; `metadata`: what model.json says."""
    _remove_files(log_dir, [EVENTS_FILES])
    values = {
        'model': name, 'optimizer': flags.optimizer, 'learning_rate': flags.learning_rate,
        'lr_schedule': flags.lr_schedule, 'batch_size': flags.batch_size,
        'max_steps': flags.max_steps, 'augment': ','.join(flags.augment) or 'none',
        'keep_prob': getattr(flags, 'keep_prob', 1.0), 'seed': flags.seed,
        'precision': flags.precision,
        'model_options': ', '.join('%s %s' % pair for pair in model_options) or '-',
    }
    experiment = hparams_summary.experiment_pb(
        [hparams_api.HParamInfo(name=hparam, type=kind) for hparam, kind in HPARAMS],
        [hparams_api.MetricInfo(name=hparams_api.MetricName(group=run, tag=tag),
                                display_name=label) for run, tag, label in METRICS])
    with tf.Graph().as_default():  # the v1 FileWriter refuses to open outside a graph
        writer = tf.summary.FileWriter(log_dir)
    step = metadata['global_step']
    for summary in (experiment, hparams_summary.session_start_pb(values),
                    hparams_summary.session_end_pb(hparams_api.STATUS_SUCCESS),
                    text_summary.pb('run/command', _run_text(metadata))):
        writer.add_summary(summary.SerializeToString(), step)
    writer.close()


def _run_text(metadata):
    """Markdown: the command, where and with what it ran, and every flag."""
    lines = ['`%s`' % metadata['command'], '',
             'host %s, TensorFlow %s, %s' % (socket.gethostname(),
                                             metadata['tensorflow_version'],
                                             metadata['date']),
             '', '| flag | value |', '| --- | --- |']
    lines += ['| --%s | %s |' % (flag, value)
              for flag, value in sorted(metadata['flags'].items())]
    return '\n'.join(lines)


# ---------------------------------------------------------------------------- helpers

def _image_summary(name, picture, description):
    """One picture (uint8, greyscale [H, W] or RGB [H, W, 3]) as an image summary that
    keeps its description (the v1 image field would drop it)."""
    if picture.ndim == 2:
        picture = picture[..., None]
    summary = image_summary.pb(name, picture[None].astype(np.uint8), description=description)
    return tf.Summary.FromString(summary.SerializeToString())


def _with_text(summary, tag, markdown):
    """`summary` with a text summary added (markdown, shown in the Text tab)."""
    summary.MergeFromString(text_summary.pb(tag, markdown).SerializeToString())
    return summary
