"""tensorflow.python.tools.import_pb_to_tensorboard as TF 1.x had it: `import_to_tensorboard`
showed a GraphDef file (`frozen.pb`, what freeze_graph writes) in TensorBoard; TF 2.x's reads
a SavedModel directory instead, and took the file for a missing SavedModel. A directory is
still read as TF 2.x reads it (`tag_set`, default 'serve'). Its command line, `python -m tf1
-m tensorflow.python.tools.import_pb_to_tensorboard --model_dir frozen.pb --log_dir logs`,
runs this module's."""
import argparse
import sys

from absl import app
from google.protobuf import message

from tensorflow.core.framework import graph_pb2
from tensorflow.python.framework import errors_impl
from tensorflow.python.framework import importer
from tensorflow.python.framework import ops
from tensorflow.python.platform import gfile
from tensorflow.python.summary import summary
from tensorflow.python.tools import saved_model_utils

from tf1.project import messages


def import_to_tensorboard(model_dir, log_dir, tag_set='serve'):
    """Writes the graph of `model_dir` (a binary GraphDef file, or a SavedModel directory)
    to `log_dir` for TensorBoard's Graphs dashboard; closed, so it is there on return."""
    _write(_imported(_read(model_dir, tag_set)), log_dir)


def _read(model_dir, tag_set):
    if gfile.IsDirectory(model_dir):
        return saved_model_utils.get_meta_graph_def(model_dir, tag_set).graph_def
    with gfile.GFile(model_dir, 'rb') as f:
        return graph_pb2.GraphDef.FromString(f.read())


def _imported(graph_def):
    with ops.Graph().as_default() as graph:
        importer.import_graph_def(graph_def)
    return graph


def _write(graph, log_dir):
    pb_visual_writer = summary.FileWriter(log_dir)
    pb_visual_writer.add_graph(graph)
    pb_visual_writer.close()
    print('Model Imported. Visualize by running: tensorboard --logdir={}'.format(log_dir))


def _parser():
    """TF 1.15's flags, and TF 2.x's --tag_set for a SavedModel directory."""
    parser = argparse.ArgumentParser()
    parser.add_argument('--model_dir', type=str, default='', required=True,
                        help="The location of the protobuf ('pb') model to visualize, or a "
                             "SavedModel's directory.")
    parser.add_argument('--log_dir', type=str, default='', required=True,
                        help='The location for the Tensorboard log to begin visualization '
                             'from.')
    parser.add_argument('--tag_set', type=str, default='serve',
                        help="A SavedModel's tag-set to load, separated by ','.")
    return parser


def _main(flags):
    """The command line's: a model it cannot read or import, or a log directory it cannot
    write, is one line naming which, not a traceback."""
    try:
        graph_def = _read(flags.model_dir, flags.tag_set)
    except message.DecodeError:
        sys.exit('import_pb_to_tensorboard: cannot read %s: not a binary GraphDef%s' % (
            flags.model_dir, " (a SavedModel's: give its directory)"
            if flags.model_dir.endswith('saved_model.pb') else ''))
    except (errors_impl.OpError, OSError, RuntimeError) as error:
        sys.exit('import_pb_to_tensorboard: cannot read %s: %s' % (flags.model_dir,
                                                                  messages.one_line(error)))
    try:
        graph = _imported(graph_def)
    except (errors_impl.OpError, ValueError) as error:
        sys.exit('import_pb_to_tensorboard: cannot import %s: %s' % (flags.model_dir,
                                                                    messages.one_line(error)))
    try:
        _write(graph, flags.log_dir)
    except (errors_impl.OpError, OSError) as error:
        sys.exit('import_pb_to_tensorboard: cannot write %s: %s' % (flags.log_dir,
                                                                   messages.one_line(error)))


if __name__ == '__main__':
    FLAGS, unparsed = _parser().parse_known_args()
    app.run(main=lambda unused_argv: _main(FLAGS), argv=[sys.argv[0]] + unparsed)
