"""Export a trained model as a versioned SavedModel for TensorFlow Serving.

    python export_savedmodel.py --model cnn                # model/cnn → export/cnn/<version>
    python export_savedmodel.py --all                      # every model in model/

Like TensorFlow Serving's own mnist_saved_model.py, it writes the `serve` tag with the
signature `predict_images` (input `images` float32 [None, 784] → outputs `scores`
[None, 10] softmax and `classes` [None] int64) and `serving_default` (the same input →
`scores` alone), the one REST clients get when they name no signature: with a single
output TF Serving answers `{"predictions": [[10 scores], ...]}`. The graph comes from the
checkpoint's
meta-graph, by the tensor-name contract alone, so any model exports the same way.

Versions are integers (TF Serving serves the highest): the default is one more than the
highest already in the export directory. The export is written to a temporary directory
and renamed into place, so a half-written version is never served; exports into the same
directory take turns (a lock on the directory), so two at once get two versions.
"""
import argparse
import contextlib
import fcntl
import os
import shutil
import sys

import graphs  # noqa: F401  (quietens TensorFlow's C++ logging before it loads)
import tensorflow.compat.v1 as tf

from graphs import contract, flag_types
from graphs.messages import one_line
from graphs.records import MODEL_NAME_RULE, is_model_name, model_names

# The v1 API's deprecation notices (SavedModelBuilder's) are for TensorFlow's developers.
tf.get_logger().setLevel('ERROR')
tf.disable_v2_behavior()

SIGNATURE_NAME = 'predict_images'


def next_version(export_dir):
    versions = [int(name) for name in os.listdir(export_dir) if name.isdigit()] \
        if os.path.isdir(export_dir) else []
    return max(versions, default=0) + 1


@contextlib.contextmanager
def export_lock(export_dir):
    """Held while a version is numbered, written and renamed into place: a second export
    into the same directory waits for the first, then takes the next number. The lock is
    on the directory itself, so nothing is added to what TF Serving reads there."""
    os.makedirs(export_dir, exist_ok=True)
    directory = os.open(export_dir, os.O_RDONLY)
    try:
        fcntl.flock(directory, fcntl.LOCK_EX)  # released when closed
        yield
    finally:
        os.close(directory)


def export(model_dir, export_dir, version=None):
    """Export the latest checkpoint of `model_dir` to `export_dir`/<version>; returns it.
    A failed export leaves nothing behind: no half-written version, and no export_dir it
    made (an empty one would be a model with no version to TF Serving)."""
    checkpoint = tf.train.latest_checkpoint(model_dir)
    if checkpoint is None:
        raise ValueError('no checkpoint in %s' % model_dir)
    made_export_dir = not os.path.isdir(export_dir)
    try:
        with export_lock(export_dir):
            return write_version(checkpoint, export_dir, version)
    except BaseException:
        if made_export_dir:
            with contextlib.suppress(OSError):  # only while still empty
                os.rmdir(export_dir)
        raise


def write_version(checkpoint, export_dir, version):
    """Write the checkpoint as export_dir/<version> (the next number when None)."""
    version = version or next_version(export_dir)
    target = os.path.join(export_dir, str(version))
    if os.path.exists(target):
        raise ValueError('%s already exists; choose another --version' % target)
    staging = os.path.join(export_dir, '.%d.tmp' % version)
    shutil.rmtree(staging, ignore_errors=True)
    try:
        build_saved_model(checkpoint, staging)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    os.replace(staging, target)
    return target


def build_saved_model(checkpoint, directory):
    """The checkpoint's inference graph and weights as a SavedModel in `directory`."""
    with tf.Graph().as_default() as graph, tf.Session() as sess:
        saver = tf.train.import_meta_graph(checkpoint + '.meta', clear_devices=True)
        saver.restore(sess, checkpoint)
        images = {'images': graph.get_tensor_by_name(contract.INPUT)}
        scores = {'scores': graph.get_tensor_by_name(contract.PROBABILITIES)}
        classes = {'classes': graph.get_tensor_by_name(contract.PREDICTION)}
        predict = tf.saved_model.signature_def_utils.predict_signature_def
        builder = tf.saved_model.builder.SavedModelBuilder(directory)
        builder.add_meta_graph_and_variables(
            sess, [tf.saved_model.tag_constants.SERVING],
            signature_def_map={
                SIGNATURE_NAME: predict(inputs=images, outputs={**scores, **classes}),
                tf.saved_model.signature_constants.DEFAULT_SERVING_SIGNATURE_DEF_KEY:
                    predict(inputs=images, outputs=scores)},
            strip_default_attrs=True)
        builder.save()


def main():
    parser = flag_types.ArgumentParser(description=__doc__,
                                       formatter_class=argparse.RawDescriptionHelpFormatter)
    which = parser.add_mutually_exclusive_group(required=True)
    which.add_argument('--model', help='model name: exports MODEL_ROOT/NAME')
    which.add_argument('--all', action='store_true', help='export every model found')
    parser.add_argument('--model_root', default='model', help='where the models live')
    parser.add_argument('--export_root', default='export', help='writes EXPORT_ROOT/NAME/<v>')
    parser.add_argument('--version', type=int, default=None,
                        help='version number (default: one more than the highest there)')
    flags = parser.parse_args()
    if flags.version is not None and flags.version <= 0:
        parser.error('--version must be a positive integer')

    if flags.model:
        if not is_model_name(flags.model):
            parser.error('--model %r must be a model name (a directory in --model_root: %s)'
                         % (flags.model, MODEL_NAME_RULE))
        names = [flags.model]
    elif os.path.isdir(flags.model_root):
        names = model_names(flags.model_root)
    else:
        sys.exit('error: %s is not a directory' % flags.model_root)
    if not names:
        sys.exit('error: no trained model in %s' % flags.model_root)
    failures = 0
    for name in names:
        try:
            target = export(os.path.join(flags.model_root, name),
                            os.path.join(flags.export_root, name), flags.version)
            print('%s: exported to %s' % (name, target))
        except (OSError, ValueError, tf.errors.OpError) as error:
            print('%s: error: %s' % (name, one_line(error)), file=sys.stderr)
            failures += 1
    sys.exit(1 if failures else 0)


if __name__ == '__main__':
    main()
