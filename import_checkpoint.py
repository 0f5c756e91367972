"""Import a checkpoint that other TensorFlow 1.x code wrote as model/NAME/, a model like
the ones train_*.py write: predict_server.py, the drawing page, predict.py,
export_savedmodel.py and any client of the tensor-name contract use it unchanged.

With the meta-graph its Saver wrote next to it (PREFIX.meta), name the source's input and
logits (or probabilities) tensors, and give a value to each placeholder the logits need
that has no default:

    python import_checkpoint.py --checkpoint ~/mine/model.ckpt-2000 --name mine \\
        --input_tensor x:0 --logits_tensor logits:0 --feed keep_prob:0=1.0

Our input, [None, 784] float32, is reshaped to the source's ([None, 784], [None, 28, 28],
[None, 28, 28, 1]...; a fixed batch size in its placeholder is lifted where the graph
allows) and cast to its float type. Only the ops and variables the logits need are kept.
With --probabilities_tensor, log(probabilities) serves as the logits: the contract's
softmax of them gives the source's probabilities back.

With variables only (an app that rebuilds its graph in code), or to rebuild the graph
anyway, name the architecture: one of ours, sized with the flag its train_NAME.py has.
The checkpoint's variables are matched to ours by name (identical, or under another
scope), else by shape where each shape is unique; optimizer slots are ignored:

    python import_checkpoint.py --checkpoint ~/webapp/ckpt/ --name webapp \\
        --architecture nn --hidden_units 128

--checkpoint takes a prefix (.../model.ckpt-2000) or a directory with a `checkpoint`
file. model/NAME/ gets a weights-only model.ckpt-STEP, its inference-only meta-graph and
model.json (where it came from, and the test accuracy with --data_dir), written to a
temporary directory and renamed into place; an existing model/NAME/ is replaced only
with --force. Any failure is one line on stderr, exit status 2, and nothing written.
"""
import argparse
import datetime
import json
import os
import shutil
import sys

import graphs  # noqa: F401  (quietens TensorFlow's C++ logging before it loads)
import numpy as np
import tensorflow.compat.v1 as tf

from graphs import checkpoints, contract, importing, input_data, loop, records
from graphs import flags as flags_lib
from graphs.messages import one_line

tf.get_logger().setLevel('ERROR')

EXIT_FAILURE = 2


class _Parser(argparse.ArgumentParser):
    """Bad flags are one line on stderr too, like every other failure."""

    def error(self, message):
        fail(message)


def make_parser():
    parser = _Parser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add = parser.add_argument
    add('--checkpoint', required=True,
        help='checkpoint prefix (V2, or a V1 file), one of its files, or a directory with '
             'a `checkpoint` file')
    add('--name', required=True, help='writes MODEL_DIR/NAME/')
    add('--model_dir', default='model', help='where the models live')
    add('--force', action='store_true', help='replace an existing MODEL_DIR/NAME/')
    add('--data_dir', default=None,
        help='MNIST directory: record the imported model\'s test accuracy in model.json')
    source = parser.add_argument_group('the source\'s own graph (PREFIX.meta)')
    source.add_argument('--input_tensor', help='its image input, e.g. x:0')
    output = source.add_mutually_exclusive_group()
    output.add_argument('--logits_tensor', help='its logits, [None, 10], e.g. logits:0')
    output.add_argument('--probabilities_tensor',
                        help='its softmax, [None, 10], when the graph has no logits')
    source.add_argument('--feed', action='append', default=[], metavar='NAME:0=VALUE',
                        help='a value for a placeholder the logits need (true/false for a '
                             'bool, else a number or JSON list); repeatable')
    ours = parser.add_argument_group('one of our architectures, rebuilt in code')
    ours.add_argument('--architecture', choices=records.MODELS)
    ours.add_argument('--hidden_units', type=flags_lib.positive_int,
                      help='nn: units in the hidden layer (default as train_nn.py)')
    ours.add_argument('--num_units', type=flags_lib.positive_int,
                      help='lstm, cnn_lstm, crnn: LSTM units (default as their train_*.py)')
    return parser


def fail(message):
    print('error: %s' % message, file=sys.stderr)
    sys.exit(EXIT_FAILURE)


def main():
    flags = make_parser().parse_args()
    try:
        feeds = check_flags(flags)
        target = os.path.join(flags.model_dir, flags.name)
        if os.path.exists(target) and not flags.force:
            raise importing.ImportFailure('%s already exists; --force replaces it' % target)
        prefix = importing.checkpoint_prefix(flags.checkpoint)
        imported, record, step = build(flags, prefix, feeds)
        metadata = write_model(flags, imported, prefix, record, step, target)
    except (importing.ImportFailure, input_data.MnistDataError, tf.errors.OpError,
            OSError, ValueError) as error:
        fail(one_line(error))
    accuracy = metadata['test_accuracy']
    print('Imported %s as %s: step %d, %d variables%s' % (
        prefix, target, metadata['global_step'], len(imported.sources),
        '' if accuracy is None else ', test accuracy %.2f%%' % (100 * accuracy)))


def check_flags(flags):
    """Raise ImportFailure for flags that cannot go together; returns the --feed values
    as {tensor name: text of its value}."""
    if not records.is_model_name(flags.name):
        raise importing.ImportFailure('--name %r is not a model name (%s)' % (
            flags.name, records.MODEL_NAME_RULE))
    feeds = {}
    for text in flags.feed:
        name, equals, value = text.partition('=')
        if not (name and equals and value):
            raise importing.ImportFailure('--feed %r: expected NAME:0=VALUE' % text)
        feeds[name] = value
    meta_graph_flags = [flag for flag in ('input_tensor', 'logits_tensor', 'probabilities_tensor')
                        if getattr(flags, flag)] + (['feed'] if feeds else [])
    if flags.architecture:
        if meta_graph_flags:
            raise importing.ImportFailure('--architecture rebuilds the graph: --%s is for '
                                          'the source\'s own graph' % meta_graph_flags[0])
        allowed = importing.SIZE_FLAGS.get(flags.architecture, ())
        for flag in ('hidden_units', 'num_units'):
            if getattr(flags, flag) is not None and flag not in allowed:
                raise importing.ImportFailure('--%s does not size %s' % (
                    flag, flags.architecture))
    elif not (flags.input_tensor and (flags.logits_tensor or flags.probabilities_tensor)):
        raise importing.ImportFailure('give --input_tensor and --logits_tensor (or '
                                      '--probabilities_tensor), or --architecture')
    return feeds


def build(flags, prefix, feeds):
    """(importing.Imported, what model.json records about the source, its global step)."""
    shapes = importing.saved_shapes(prefix)
    record = {'source_checkpoint': os.path.abspath(prefix)}
    if flags.architecture:
        sizes = {flag: getattr(flags, flag) for flag in importing.SIZE_FLAGS.get(
            flags.architecture, ()) if getattr(flags, flag) is not None}
        imported = importing.from_architecture(flags.architecture, sizes, shapes)
        record.update(mode='architecture', architecture=flags.architecture, sizes=sizes)
    else:
        if not os.path.isfile(prefix + '.meta'):
            raise importing.ImportFailure(
                '%s has no meta-graph (%s.meta): name the graph it belongs to with '
                '--architecture (one of %s)' % (prefix, prefix, ', '.join(records.MODELS)))
        output = flags.logits_tensor or flags.probabilities_tensor
        imported = importing.from_meta_graph(prefix, flags.input_tensor, output,
                                             flags.probabilities_tensor is not None,
                                             feeds)
        record.update(mode='meta-graph', tensors={
            'input': flags.input_tensor,
            'probabilities' if flags.probabilities_tensor else 'logits': output,
            'feeds': feeds})
    for name, variable in imported.sources.items():
        if name not in shapes:
            raise importing.ImportFailure('the checkpoint lacks %s, which the graph needs' % name)
        if shapes[name] != variable.shape.as_list():
            raise importing.ImportFailure('the checkpoint\'s %s has shape %s; the graph\'s %s' % (
                name, shapes[name], variable.shape.as_list()))
    record['variables'] = {name: variable.op.name
                           for name, variable in sorted(imported.sources.items())}
    return imported, record, importing.global_step(prefix, shapes)


def write_model(flags, imported, prefix, record, step, target):
    """Restore, check and save the model into a temporary directory beside `target`, then
    rename it into place. Returns its model.json."""
    os.makedirs(flags.model_dir, exist_ok=True)
    staging = _sibling(target, 'importing')
    os.mkdir(staging)
    try:
        with imported.graph.as_default(), tf.Session() as sess:
            importing.restore(sess, prefix, imported.sources)
            imported.model.global_step.load(step, sess)
            check_predicts(sess, imported.model)
            accuracy = test_accuracy(sess, imported.model, flags.data_dir)
            saver = tf.train.Saver(save_relative_paths=True)
            path = checkpoints.write_serving_checkpoint(sess, saver, staging, step)
        metadata = {
            'model': flags.name,
            'checkpoint': os.path.basename(path),
            'global_step': step,
            'test_accuracy': accuracy,
            'validation_accuracy': None,
            'command': ' '.join(['python', os.path.basename(sys.argv[0])] + sys.argv[1:]),
            'flags': vars(flags),
            'imported': record,
            # Nothing was trained here.
            'training_seconds': None,
            'images_per_second': None,
            'date': datetime.datetime.now().astimezone().isoformat(timespec='seconds'),
            'tensorflow_version': tf.__version__,
        }
        with open(os.path.join(staging, records.METADATA_FILE), 'w') as f:
            json.dump(metadata, f, indent=2, sort_keys=True)
            f.write('\n')
        replace_directory(staging, target, flags.force)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return metadata


def check_predicts(sess, model):
    """Classify blank batches of one and two images: a graph that only works for its own
    batch size, or fails at run time, is caught here rather than by the server."""
    for count in (1, 2):
        try:
            probabilities = sess.run(model.probabilities,
                                     {model.images: np.zeros((count, contract.IMAGE_PIXELS))})
        except tf.errors.OpError as error:
            raise importing.ImportFailure('the imported graph fails on a batch of %d '
                                          'image(s) (%s)' % (count, one_line(error)))
        if probabilities.shape != (count, contract.NUM_CLASSES):
            raise importing.ImportFailure(
                'the imported graph gives probabilities of shape %s for %d image(s)' % (
                    list(probabilities.shape), count))


def test_accuracy(sess, model, data_dir):
    """Accuracy on the MNIST test set in `data_dir`, or None without one."""
    if data_dir is None:
        return None
    mnist = input_data.read_data_sets(data_dir, one_hot=True, validation_size=0)
    accuracy = loop.evaluate(sess, model, mnist.test).accuracy
    return round(float(accuracy), 6)


def replace_directory(staging, target, force):
    """Rename `staging` to `target`; with `force`, an existing `target` goes only once the
    new one is in place."""
    if not os.path.exists(target):
        os.rename(staging, target)
        return
    if not force:
        raise importing.ImportFailure('%s already exists; --force replaces it' % target)
    old = _sibling(target, 'replaced')
    os.rename(target, old)
    os.rename(staging, target)
    shutil.rmtree(old, ignore_errors=True)


def _sibling(target, purpose):
    """A fresh hidden path next to `target`: on the same file system, so that renames
    between them are atomic."""
    path = os.path.join(os.path.dirname(target),
                        '.%s.%s-%d' % (os.path.basename(target), purpose, os.getpid()))
    shutil.rmtree(path, ignore_errors=True)  # left by a killed run that had our pid
    return path


if __name__ == '__main__':
    main()
