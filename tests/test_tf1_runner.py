"""`python -m tf1 SCRIPT.py`: TF 1.x scripts run unchanged, as `python SCRIPT.py` ran them.

Every official TF 1.x MNIST tutorial (../shared/tf1_examples) is copied to a temporary
directory, its step count lowered there with the substitution its README gives, and run
through the runner on a small synthetic MNIST; the rest checks the runner's contract:
argv, __name__, __file__, exit status, tracebacks, scoping of the mapping, clear errors.
"""
import json
import os
import re
import shutil
import subprocess
import sys
import textwrap

import numpy as np
import pytest

from conftest import ROOT, write_mnist_dir

EXAMPLES = os.path.join(ROOT, '..', 'shared', 'tf1_examples')

# The README's substitution for each script (the rest of the file stays as published).
SUBSTITUTIONS = {
    'mnist_softmax.py': ('for _ in range(1000):', 'for _ in range(50):'),
    'mnist_deep.py': ('for i in range(20000):', 'for i in range(50):'),
    'mnist_with_summaries.py': ("'--max_steps', type=int, default=1000,",
                                "'--max_steps', type=int, default=50,"),
    'fully_connected_feed.py': ('default=2000,', 'default=50,'),
    'mnist_softmax_xla.py': ('train_loops = 1000', 'train_loops = 50'),
}


def tf1(args, cwd, mnist_dir=None, timeout=300, pythonpath=(), stdin=None):
    """Run `python -m tf1 ARGS` in `cwd` the way a user would (the project importable, and
    `pythonpath` after it on $PYTHONPATH), typing `stdin` if given."""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join((ROOT,) + tuple(pythonpath)))
    env.pop('MNIST_DATA_DIR', None)
    if mnist_dir:
        env['MNIST_DATA_DIR'] = mnist_dir
    return subprocess.run([sys.executable, '-m', 'tf1'] + list(args), cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=timeout, input=stdin)


@pytest.fixture(scope='module')
def tutorial_mnist(tmp_path_factory):
    """Synthetic MNIST big enough for the tutorials' defaults: 5,000 validation images
    and 500-image test batches."""
    return write_mnist_dir(str(tmp_path_factory.mktemp('mnist')), train_count=5600,
                           test_count=1000)


def lowered_copy(name, directory):
    """Copy the tutorial `name` into `directory` with its step count lowered."""
    source = os.path.join(EXAMPLES, name)
    if not os.path.exists(source):
        pytest.skip('../shared/tf1_examples is not on this machine')
    with open(source) as f:
        text = f.read()
    old, new = SUBSTITUTIONS[name]
    assert text.count(old) == 1, 'the README substitution no longer applies to ' + name
    path = os.path.join(directory, name)
    with open(path, 'w') as f:
        f.write(text.replace(old, new))
    if name == 'fully_connected_feed.py':  # it imports nothing from its directory, but
        shutil.copy(os.path.join(EXAMPLES, 'mnist.py'), directory)  # ships beside mnist.py
    return path


def run_tutorial(name, tmp_path, mnist_dir, *args):
    lowered_copy(name, str(tmp_path))
    result = tf1([name] + list(args), str(tmp_path), mnist_dir)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-3000:]
    return result.stdout


def test_mnist_softmax(tmp_path, tutorial_mnist):
    out = run_tutorial('mnist_softmax.py', tmp_path, tutorial_mnist)
    assert out.count('Extracting') == 4
    accuracy = float(out.strip().splitlines()[-1])  # the script prints a bare float
    assert accuracy > 0.8  # the synthetic digits are easy: 50 steps learn them


def test_mnist_deep(tmp_path, tutorial_mnist):
    out = run_tutorial('mnist_deep.py', tmp_path, tutorial_mnist)
    assert re.search(r'^step 0, training accuracy [\d.]+$', out, re.M)
    assert re.search(r'^test accuracy [\d.]+$', out, re.M)


def test_mnist_with_summaries(tmp_path, tutorial_mnist):
    log_dir = tmp_path / 'logs'
    out = run_tutorial('mnist_with_summaries.py', tmp_path, tutorial_mnist,
                       '--log_dir', str(log_dir))
    steps = re.findall(r'^Accuracy at step (\d+): ([\d.]+)$', out, re.M)
    assert [int(step) for step, _ in steps] == [0, 10, 20, 30, 40]
    for run in ('train', 'test'):  # the event files TensorBoard reads
        assert any(name.startswith('events.out.tfevents') for name in os.listdir(log_dir / run))


def test_fully_connected_feed(tmp_path, tutorial_mnist):
    log_dir = tmp_path / 'logs'
    out = run_tutorial('fully_connected_feed.py', tmp_path, tutorial_mnist,
                       '--log_dir', str(log_dir))
    assert re.search(r'^Step 0: loss = [\d.]+ \([\d.]+ sec\)$', out, re.M)
    evals = re.findall(r'^Num examples: (\d+)  Num correct: (\d+)  Precision @ 1: ([\d.]+)$',
                       out, re.M)
    assert [int(n) for n, _, _ in evals] == [600, 5000, 1000]  # train, validation, test
    assert os.path.exists(log_dir / 'model.ckpt-49.meta')  # its Saver's final checkpoint


def test_fully_connected_feed_fake_data(tmp_path):
    """--fake_data: read_data_sets(dir, True) and next_batch(n, True), positionally."""
    out = run_tutorial('fully_connected_feed.py', tmp_path, None, '--fake_data',
                       '--log_dir', str(tmp_path / 'logs'))
    assert 'Extracting' not in out  # nothing read
    assert re.search(r'^Num examples: 10000  Num correct: \d+', out, re.M)


def test_mnist_softmax_xla(tmp_path, tutorial_mnist):
    out = run_tutorial('mnist_softmax_xla.py', tmp_path, tutorial_mnist)
    assert 0.0 <= float(out.strip().splitlines()[-1]) <= 1.0
    assert os.path.exists(tmp_path / 'timeline.ctf.json')  # its Chrome trace


def test_the_script_sees_what_python_gives_a_script(tmp_path):
    (tmp_path / 'helper.py').write_text('import tensorflow as tf\nSESSION = tf.Session\n')
    (tmp_path / 'script.py').write_text(textwrap.dedent('''\
        import os, sys
        import numpy as np
        import tensorflow as tf
        import helper
        print('name', __name__)
        print('file', __file__)
        print('argv', sys.argv)
        print('path0', sys.path[0] == os.path.dirname(os.path.realpath(__file__)))
        print('tf1', tf.placeholder is not None and helper.SESSION is tf.Session)
        # numpy and other libraries keep TensorFlow 2's own module.
        print('real', type(sys.modules['tensorflow']).__name__, hasattr(sys.modules['tensorflow'], 'placeholder'))
        print('graph mode', not tf.executing_eagerly())
        sys.exit(3)
        '''))
    result = tf1(['script.py', '--flag', 'value', 'x y'], str(tmp_path))
    assert result.returncode == 3, result.stderr
    lines = dict(line.split(' ', 1) for line in result.stdout.splitlines())
    assert lines['name'] == '__main__'
    assert lines['file'] == 'script.py'
    assert lines['argv'] == "['script.py', '--flag', 'value', 'x y']"
    assert lines['path0'] == 'True'
    assert lines['tf1'] == 'True'
    assert lines['real'] == 'module False'
    assert lines['graph'] == 'mode True'


def test_tf_app_run_parses_flags_and_sets_the_exit_status(tmp_path):
    """Flags as TF 1.0-1.13 parsed them: log_dir and logtostderr are the script's, not
    absl.logging's (TF 1.14 and later died with DuplicateFlagError); NumPy defaults are
    taken, as TF 1.0-1.4 took them."""
    (tmp_path / 'app.py').write_text(textwrap.dedent('''\
        import numpy as np
        import tensorflow as tf
        flags = tf.app.flags
        flags.DEFINE_integer('steps', 5, 'how many')
        flags.DEFINE_integer('batch_size', np.power(2, 7), 'per step')
        flags.DEFINE_float('rate', default=np.float32(0.5), help='learning rate')
        flags.DEFINE_string('log_dir', '/tmp/logs', 'where the summaries go')
        tf.flags.DEFINE_boolean('logtostderr', False, 'say more')
        FLAGS = flags.FLAGS
        def main(argv):
            print('steps', FLAGS.steps, FLAGS.log_dir, FLAGS.logtostderr, 'rest', argv[1:])
            print('batch', FLAGS.batch_size, type(FLAGS.batch_size).__name__, FLAGS.rate)
            return 7
        if __name__ == '__main__':
            tf.app.run()
        '''))
    result = tf1(['app.py', '--steps', '9', '--log_dir=here', '--logtostderr', 'extra'],
                 str(tmp_path))
    assert result.returncode == 7, result.stderr
    assert "steps 9 here True rest ['extra']" in result.stdout
    assert 'batch 128 int 0.5' in result.stdout



def test_tf_app_run_logs_each_line_once_from_warn_as_tf1_0_to_1_13_did(tmp_path):
    """absl's app.run (TF 1.14 and later) added its own handler on the root logger at INFO:
    every tf.logging line twice, INFO lines included."""
    (tmp_path / 'quiet.py').write_text(textwrap.dedent('''\
        import tensorflow as tf
        def main(argv):
            tf.logging.warning('warned %s', argv[1:])
            tf.logging.info('below the default verbosity')
        tf.app.run()
        '''))
    (tmp_path / 'verbose.py').write_text(textwrap.dedent('''\
        import tensorflow as tf
        tf.logging.set_verbosity(tf.logging.INFO)
        def main(_):
            tf.logging.info('hello %d', 1)
        tf.app.run()
        '''))
    quiet = tf1(['quiet.py', 'a'], str(tmp_path))
    verbose = tf1(['verbose.py'], str(tmp_path))
    assert quiet.returncode == verbose.returncode == 0, quiet.stderr + verbose.stderr
    assert [line for line in quiet.stderr.splitlines() if 'warned' in line or 'below' in line] \
        == ["WARNING:tensorflow:warned ['a']"]
    assert [line for line in verbose.stderr.splitlines() if 'hello' in line] == [
        'INFO:tensorflow:hello 1']

def test_a_traceback_points_at_the_users_lines(tmp_path):
    (tmp_path / 'broken.py').write_text(textwrap.dedent('''\
        import tensorflow as tf
        def build():
            return tf.placeholder(tf.float32, [None, 3]) + tf.ones([4])
        build()
        '''))
    result = tf1(['broken.py'], str(tmp_path))
    assert result.returncode == 1
    assert result.stderr.count('Traceback (most recent call last)') == 1
    frames = re.findall(r'File "([^"]+)", line (\d+)', result.stderr)
    assert frames[:2] == [('broken.py', '4'), ('broken.py', '3')]
    assert 'tf1' + os.sep + 'runner.py' not in result.stderr
    assert result.stderr.strip().splitlines()[-1].startswith('ValueError')
    # Through tf.app.run: TensorFlow's own frames, as under TF 1.x, but not tf1's wrapper.
    (tmp_path / 'app_broken.py').write_text(textwrap.dedent('''\
        import tensorflow as tf
        def main(_):
            raise ValueError('from main')
        tf.app.run()
        '''))
    result = tf1(['app_broken.py'], str(tmp_path))
    frames = re.findall(r'File "([^"]+)", line (\d+)', result.stderr)
    assert frames[0] == ('app_broken.py', '4') and frames[-1] == ('app_broken.py', '3')
    assert not [name for name, _ in frames if name.endswith(os.path.join('tf1', 'app.py'))]
    assert result.stderr.strip().splitlines()[-1] == 'ValueError: from main'


def test_tf_tensor_is_the_class_of_graph_tensors_and_eagerly_of_every_tensor(tmp_path):
    # OpenAI baselines' U.function: `type(inpt) is tf.Tensor` for a placeholder.
    (tmp_path / 'graph.py').write_text(textwrap.dedent('''\
        import tensorflow as tf
        x = tf.placeholder(tf.float32, [None, 2])
        print(type(x) is tf.Tensor, isinstance(x * 2, tf.Tensor),
              isinstance(tf.Variable(1.0), tf.Tensor))
        '''))
    (tmp_path / 'eager.py').write_text(textwrap.dedent('''\
        import tensorflow as tf
        tf.enable_eager_execution()
        print(isinstance(tf.constant(1.0), tf.Tensor))
        '''))
    assert tf1(['graph.py'], str(tmp_path)).stdout.split() == ['True', 'True', 'False']
    assert tf1(['eager.py'], str(tmp_path)).stdout.split() == ['True']


def test_the_stacks_tensorflow_records_for_ops_start_at_the_script(tmp_path):
    (tmp_path / 'twice.py').write_text(textwrap.dedent('''\
        import tensorflow as tf
        w = tf.get_variable('w', [1])
        w = tf.get_variable('w', [1])
        '''))
    result = tf1(['twice.py'], str(tmp_path))
    assert result.returncode == 1
    assert result.stderr.rstrip().endswith(
        'Originally defined at:\n\n  File "twice.py", line 2, in <module>'), result.stderr
    assert 'tf1' + os.sep not in result.stderr and 'runpy' not in result.stderr


@pytest.mark.parametrize('line, expected', [
    ('import tensorflow as tf\ntf.contrib.timeseries.ARRegressor',
     'tf.contrib.timeseries (TF 1.x) is not provided'),
    ('from tensorflow.contrib import timeseries',
     'tf.contrib.timeseries (TF 1.x) is not provided'),
    ('import tensorflow.contrib.timeseries as ts',
     'tf.contrib.timeseries (TF 1.x) is not provided'),
    ('import tensorflow as tf\ntf.contrib.opt.GGTOptimizer',
     'tf.contrib.opt.GGTOptimizer (TF 1.x) is not provided by tf1: tf1 provides AdamW'),
    ('import tensorflow as tf\ntf.contrib.learn.DynamicRnnEstimator',
     'tf.contrib.learn.DynamicRnnEstimator (TF 1.x) is not provided by tf1: tf1 provides its '
     'Estimator'),
    ('import tensorflow.contrib.layers as layers\nlayers.scattered_embedding_column',
     'tf.contrib.layers.scattered_embedding_column (TF 1.x) is not provided by tf1: tf1 '
     'provides its layers'),
    ('import tensorflow as tf\ntf.mul(1, 2)',
     'tf.mul (TF 0.x) is not provided by tf1: use tf.multiply (renamed in TF 1.0)'),
    ('from tensorflow.models.rnn import rnn_cell',
     "TF 0.x's tensorflow.models left the package before TF 1.0: use tf.nn.rnn_cell"),
    ('import tensorflow as tf\ntf.concat(1, [tf.ones([1]), tf.ones([1])])',
     "tf.concat(concat_dim, values) is TF 0.x's order: TF 1.0 made it tf.concat(values, axis)"),
    ('import tensorflow as tf\ntf.no_such_api()', 'tf.no_such_api is not part of the TF 1.x API'),
])
def test_an_unsupported_api_is_one_clear_line(tmp_path, line, expected):
    (tmp_path / 'old.py').write_text('x = 1\n' + line + '\n')
    result = tf1(['old.py'], str(tmp_path))
    assert result.returncode == 1
    errors = [l for l in result.stderr.splitlines() if l.startswith('old.py:')]
    assert len(errors) == 1 and expected in errors[0], result.stderr
    assert re.match(r'old\.py:[23]: ', errors[0])
    assert 'Traceback' not in result.stderr


def test_unsupported_modules_can_be_probed_like_missing_ones(tmp_path):
    (tmp_path / 'probe.py').write_text(textwrap.dedent('''\
        import tensorflow as tf
        try:
            from tensorflow.contrib import timeseries
        except ImportError:
            print('no timeseries')
        print(hasattr(tf.contrib, 'timeseries'), hasattr(tf, 'placeholder'))
        # pydoc.locate tries candidate paths (Texar's activations): None for one that is not
        # there, as ImportError's `name` is the module asked for.
        import pydoc
        print(pydoc.locate('tensorflow.relu'), pydoc.locate('tensorflow.nn.relu') is tf.nn.relu)
        '''))
    result = tf1(['probe.py'], str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ['no', 'timeseries', 'False', 'True', 'None', 'True']


def test_tf1_names_of_tensorflow_internals_that_tf2_moved(tmp_path):
    """TF 1.x's freezing idiom imports graph_util from TensorFlow's internals, where TF 2.x
    no longer has convert_variables_to_constants; other internals stay TensorFlow's own."""
    (tmp_path / 'freeze.py').write_text(textwrap.dedent('''\
        import tensorflow as tf
        from tensorflow.python.framework import graph_util
        from tensorflow.python.framework.graph_util import convert_variables_to_constants
        import tensorflow.python.framework.graph_util as also_graph_util
        from tensorflow.python.framework import ops
        v = tf.Variable([3.0], name='v')
        out = tf.identity(v * 2.0, name='out')
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            frozen = graph_util.convert_variables_to_constants(sess, sess.graph_def, ['out'])
        with tf.Graph().as_default():
            tf.import_graph_def(frozen, name='')
            print(tf.Session().run('out:0'), sorted({n.op for n in frozen.node}))
        print(convert_variables_to_constants is also_graph_util.convert_variables_to_constants,
              ops.Graph is tf.Graph)
        '''))
    result = tf1(['freeze.py'], str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["[6.] ['Const', 'Identity', 'Mul']", 'True True']


def test_tf1s_graph_transform_tool_shrinks_a_frozen_graph(tmp_path):
    """TF 1.x's `from tensorflow.tools.graph_transforms import TransformGraph`, the last step
    of freezing a graph for serving; TF 2.x dropped the module, not the tool."""
    (tmp_path / 'shrink.py').write_text(textwrap.dedent('''\
        import tensorflow as tf
        from tensorflow.python.framework import graph_util
        from tensorflow.tools.graph_transforms import TransformGraph
        x = tf.placeholder(tf.float32, [None, 2], name='x')
        w = tf.Variable([[1.0], [2.0]], name='w')
        y = tf.identity(tf.matmul(x, w * 3.0), name='y')
        unused = tf.square(w, name='unused')
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            frozen = graph_util.convert_variables_to_constants(sess, sess.graph_def, ['y'])
        small = TransformGraph(frozen, ['x'], ['y'], ['strip_unused_nodes',
                                                      'fold_constants(ignore_errors=true)'])
        print(sorted(n.op for n in frozen.node), sorted(n.op for n in small.node))
        with tf.Graph().as_default():
            tf.import_graph_def(small, name='')
            print(tf.Session().run('y:0', {'x:0': [[1.0, 1.0]]}))
        try:
            TransformGraph(frozen, ['x'], ['y'], ['no_such_transform'])
        except tf.errors.InvalidArgumentError as error:
            print(error.message)
        '''))
    result = tf1(['shrink.py'], str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "['Const', 'Const', 'Identity', 'Identity', 'MatMul', 'Mul', 'Placeholder'] "
        "['Const', 'Identity', 'MatMul', 'Placeholder']",
        '[[9.]]', "Transform 'no_such_transform' not recognized."]


def test_tf1_0_to_1_4s_private_op_names_and_1_12s_reduction_arguments(tmp_path):
    """Guided backpropagation as Grad-CAM code of TF 1.0-1.4 wrote it: a gradient override
    returning `gen_nn_ops._relu_grad` (TF 1.5 on: `relu_grad`); math_ops' reductions with
    TF 1.0-1.12's keep_dims."""
    (tmp_path / 'guided.py').write_text(textwrap.dedent('''\
        import tensorflow as tf
        from tensorflow.python.framework import ops
        from tensorflow.python.ops import gen_nn_ops, math_ops

        @ops.RegisterGradient('GuidedRelu')
        def _guided_relu_grad(op, grad):
            return tf.where(0. < grad, gen_nn_ops._relu_grad(grad, op.outputs[0]),
                            tf.zeros_like(grad))

        x = tf.constant([[-1.0, 2.0, 3.0]])
        with tf.get_default_graph().gradient_override_map({'Relu': 'GuidedRelu'}):
            y = tf.nn.relu(x)
        loss = math_ops.reduce_sum(y * [1.0, -1.0, 1.0], keep_dims=True)
        print(tf.Session().run([tf.gradients(loss, x)[0], loss]))
        print(gen_nn_ops._relu_grad is gen_nn_ops.relu_grad)
        try:
            gen_nn_ops._no_such_op
        except AttributeError as error:
            print(error)
        '''))
    result = tf1(['guided.py'], str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        '[array([[0., 0., 1.]], dtype=float32), array([[1.]], dtype=float32)]', 'True',
        'tf.python.ops.gen_nn_ops._no_such_op is not part of the TF 1.x API that tf1 provides '
        '(no such name); see "Running your TF 1.x code" in the README for what is']


def test_tf1s_swig_wrappers_and_freeze_graphs_arguments(tmp_path):
    """OpenAI baselines' and stable-baselines' TensorBoard logger writes through TF 1.x's
    pywrap_tensorflow.EventsWriter, which TF 2.x moved to _pywrap_events_writer; its
    EqualGraphDefWrapper answered bytes (tensorflow/models' official tests decode it);
    tf-faster-rcnn reads checkpoints with its NewCheckpointReader (TF 2.x:
    py_checkpoint_reader). DeepSpeech's export passes freeze_graph TF 1.x's
    variable_names_blacklist (TF 2.4: denylist), as scripts pass its command line;
    inspect_checkpoint's command line prints as TF 1.x's did, and import_pb_to_tensorboard's
    reads the frozen graph file."""
    (tmp_path / 'log.py').write_text(textwrap.dedent('''\
        import glob
        import tensorflow as tf
        from tensorflow.python import pywrap_tensorflow
        from tensorflow.python.tools import freeze_graph
        from tensorflow.core.util import event_pb2
        from tensorflow.python.util import compat
        writer = pywrap_tensorflow.EventsWriter(compat.as_bytes('logs/events'))
        for step, value in ((1, 0.5), (2, 0.25)):
            summary = tf.Summary(value=[tf.Summary.Value(tag='loss', simple_value=value)])
            writer.WriteEvent(event_pb2.Event(wall_time=1.0, step=step, summary=summary))
            writer.Flush()
        try:
            writer.WriteEvent(summary)
        except TypeError:
            print('refuses a Summary')
        writer.Close()
        path, = glob.glob('logs/events.out.tfevents.*')
        print([(e.step, v.tag, v.simple_value) for e in tf.train.summary_iterator(path)
               for v in e.summary.value])
        graphs = []
        for value in (1.0, 2.0):
            with tf.Graph().as_default() as graph:
                tf.constant(value, name='a')
            graphs.append(graph.as_graph_def().SerializeToString())
        same = pywrap_tensorflow.EqualGraphDefWrapper(graphs[0], graphs[0])
        other = pywrap_tensorflow.EqualGraphDefWrapper(graphs[0], graphs[1])
        print(repr(same), type(other).__name__, b'a' in other)
        v = tf.Variable([1.0, 2.0], name='v')
        w = tf.Variable([3.0], name='w')
        tf.identity(v * w, name='out')
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            path = tf.train.Saver().save(sess, 'logs/model')
            tf.train.write_graph(sess.graph_def, 'logs', 'graph.pbtxt')
        reader = pywrap_tensorflow.NewCheckpointReader(path)
        print(sorted(reader.get_variable_to_shape_map().items()), reader.get_tensor('w'))
        try:
            pywrap_tensorflow.NewCheckpointReader('logs/missing')
        except tf.errors.NotFoundError:
            print('no such checkpoint')
        frozen = freeze_graph.freeze_graph_with_def_protos(
            tf.get_default_graph().as_graph_def(), None, path, 'out', '', '', '', True, '',
            variable_names_blacklist='w')
        print(sorted(node.name + ' ' + node.op for node in frozen.node if node.name in 'vw'))
        try:
            freeze_graph.freeze_graph_with_def_protos(
                None, None, path, 'out', '', '', '', True, '', variable_names_blacklist='w',
                variable_names_denylist='v')
        except TypeError as error:
            print(error)
        '''))
    (tmp_path / 'logs').mkdir()
    result = tf1(['log.py'], str(tmp_path))
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.splitlines() == [
        'refuses a Summary', "[(1, 'loss', 0.5), (2, 'loss', 0.25)]", "b'' bytes True",
        "[('v', [2]), ('w', [1])] [3.]", 'no such checkpoint', "['v Const', 'w VariableV2']",
        'freeze_graph_with_def_protos() got both variable_names_blacklist and '
        'variable_names_denylist']
    result = tf1(['-m', 'tensorflow.python.tools.freeze_graph', '--input_graph',
                  'logs/graph.pbtxt', '--input_checkpoint', 'logs/model', '--output_graph',
                  'frozen.pb', '--output_node_names', 'out', '--variable_names_blacklist', 'w'],
                 str(tmp_path))
    assert result.returncode == 0, result.stderr[-2000:]
    from tensorflow.core.framework import graph_pb2
    frozen = graph_pb2.GraphDef.FromString((tmp_path / 'frozen.pb').read_bytes())
    assert sorted(node.name + ' ' + node.op for node in frozen.node if node.name in 'vw') == [
        'v Const', 'w VariableV2']
    # inspect_checkpoint's command line prints TF 1.x's way, with TF 1.15's flags.
    result = tf1(['-m', 'tensorflow.python.tools.inspect_checkpoint', '--file_name',
                  'logs/model', '--all_tensor_names', '--tensor_name', 'w'], str(tmp_path))
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.splitlines() == [
        'tensor_name:  v', 'tensor_name:  w', '# Total number of params: 3']
    # import_pb_to_tensorboard's shows the frozen GraphDef file, as TF 1.x's did.
    from tensorflow.python.summary.summary_iterator import summary_iterator
    result = tf1(['-m', 'tensorflow.python.tools.import_pb_to_tensorboard', '--model_dir',
                  'frozen.pb', '--log_dir', 'frozen_log'], str(tmp_path))
    assert result.returncode == 0, result.stderr[-2000:]
    assert 'tensorboard --logdir=frozen_log' in result.stdout
    [events] = (tmp_path / 'frozen_log').iterdir()
    graph = [graph_pb2.GraphDef.FromString(event.graph_def)
             for event in summary_iterator(str(events)) if event.graph_def]
    assert {'import/out', 'import/w'} <= {node.name for node in graph[0].node}
    (tmp_path / 'graph.pbtxt.pb').write_text('node { name: "x" }')
    result = tf1(['-m', 'tensorflow.python.tools.import_pb_to_tensorboard', '--model_dir',
                  'graph.pbtxt.pb', '--log_dir', 'text_log'], str(tmp_path))
    assert result.returncode == 1 and result.stderr.strip().splitlines()[-1] == (
        'import_pb_to_tensorboard: cannot read graph.pbtxt.pb: not a binary GraphDef')


def test_mapped_modules_pickle_by_name_as_tf1s_modules_did(tmp_path):
    """cloudpickle pickles a script's function by value with its globals (`np`, `tf`), their
    modules by reference: stable-baselines' SubprocVecEnv. tf1's namespaces and NumPy 1's
    numpy unpickle as the same objects; in a plain `python`, as TF 1.x's API in graph mode
    (`import tf1.tensorflow`), and its own `import numpy` stays NumPy."""
    (tmp_path / 'dump.py').write_text(textwrap.dedent('''\
        import pickle
        import numpy as np
        import tensorflow as tf
        import keras
        modules = (tf, tf.contrib.rnn, tf.nn.rnn_cell, tf.keras.layers, keras.layers, np, np.lib)
        print(all(pickle.loads(pickle.dumps(m)) is m for m in modules))
        with open('modules.pkl', 'wb') as f:
            pickle.dump((tf.contrib.rnn, np), f)
        '''))
    result = tf1(['dump.py'], str(tmp_path))
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.split() == ['True']
    load = textwrap.dedent('''\
        import pickle
        import numpy
        import tensorflow
        rnn, np = pickle.load(open('modules.pkl', 'rb'))
        print(rnn.LSTMCell.__module__, np.float is float, hasattr(numpy, 'float'),
              tensorflow.executing_eagerly())
        ''')
    result = subprocess.run([sys.executable, '-c', load], cwd=str(tmp_path),
                            env=dict(os.environ, PYTHONPATH=ROOT), capture_output=True,
                            text=True, timeout=120)
    assert result.stdout.split() == ['tf1.rnn_cell.lstm', 'True', 'False', 'False'], (
        result.stderr[-2000:])


def test_nest_and_contrib_framework_helpers_by_their_tf1_names(tmp_path):
    """nest.is_sequence (TF 2.x renamed it is_nested), from TensorFlow's internals and from
    tf.contrib.framework, with the helpers contrib.framework took from TensorFlow; and
    contrib.legacy_seq2seq imported as TF 1.x scripts import it."""
    (tmp_path / 'nested.py').write_text(textwrap.dedent('''\
        import tensorflow as tf
        from tensorflow.python.util import nest
        from tensorflow.contrib.framework import nest as contrib_nest
        print(nest.is_sequence((1, [2])), contrib_nest.is_sequence(3),
              contrib_nest.flatten({'b': (1, 2), 'a': 0}))
        with tf.name_scope('outer'):
            print(tf.contrib.framework.get_name_scope())
        values = tf.contrib.framework.sort(tf.constant([3, 1, 2]), direction='DESCENDING')
        print(tf.Session().run(values), tf.contrib.framework.is_tensor(values))
        from tensorflow.contrib import legacy_seq2seq
        print(legacy_seq2seq.rnn_decoder.__module__, tf.contrib.legacy_seq2seq.sequence_loss)
        try:
            tf.nn.softmax_cross_entropy_with_logits(tf.ones([1, 2]), tf.ones([1, 2]))
        except ValueError as error:
            print(error)
        '''))
    result = tf1(['nested.py'], str(tmp_path))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[:3] == ['True False [0, 1, 2]', 'outer', '[3 2 1] True']
    assert lines[3].startswith('tf1.contrib_legacy_seq2seq <function sequence_loss')
    assert lines[4] == ('Only call `softmax_cross_entropy_with_logits` with named arguments '
                        '(labels=..., logits=..., ...)')


def test_a_graph_level_seed_draws_what_tf1_drew(tmp_path):
    """Stanford CS 20's lecture 5 (05_randomization.py) and Hands-On ML's notebooks (run
    under TF 1.4: extra_tensorflow_reproducibility, 14_recurrent_neural_networks) printed
    these values; TF 2.x's tf.compat.v1 derives op seeds from a graph-level seed another
    way, and builds fewer ops for tf.random_uniform's default range and an RNN's zero
    state, which moves every later op seed."""
    (tmp_path / 'seeds.py').write_text(textwrap.dedent('''\
        import tensorflow as tf
        c = tf.random_uniform([], -10, 10, seed=2)
        with tf.Session() as sess:
            print(sess.run(c), sess.run(c))   # >> 3.574932 -5.9731865
        c = tf.random_uniform([], -10, 10, seed=2)
        c = tf.random_uniform([], -10, 10, seed=2)
        d = tf.random_uniform([], -10, 10, seed=2)
        tf.set_random_seed(2)
        c = tf.random_uniform([], -10, 10)
        d = tf.random_uniform([], -10, 10)
        with tf.Session() as sess:
            print(sess.run(c), sess.run(d))   # >> 9.123926 -4.5340395
        tf.reset_default_graph()
        tf.set_random_seed(42)
        rnd = tf.random_uniform(shape=[])
        with tf.Session() as sess:
            print(rnd.eval(), rnd.eval())   # >> 0.63789964 0.8774011
        tf.reset_default_graph()
        tf.set_random_seed(42)
        X = tf.placeholder(tf.float32, [None, 2, 3])
        outs, _ = tf.nn.static_rnn(tf.nn.rnn_cell.BasicRNNCell(num_units=5),
                                   tf.unstack(tf.transpose(X, perm=[1, 0, 2])),
                                   dtype=tf.float32)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            print(sess.run(outs[0], feed_dict={X: [[[0, 1, 2], [9, 8, 7]]]}).tolist())
            # >> [[-0.45652324 -0.68064123  0.40938237  0.63104504 -0.45732826]]
        '''))
    result = tf1(['seeds.py'], str(tmp_path))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[:3] == ['3.574932 -5.9731865', '9.123926 -4.5340395', '0.63789964 0.8774011']
    # The same weights; the matmul's rounding may differ in the last bits.
    np.testing.assert_allclose(
        json.loads(lines[3]), [[-0.45652324, -0.68064123, 0.40938237, 0.63104504, -0.45732826]],
        atol=1e-6)


def test_tfrecords_written_and_read_as_tf1s_reading_data_examples_did(tmp_path):
    """convert_to_records.py's writing (ndarray.tostring(), removed in NumPy 2.3) and
    fully_connected_reader.py's reading (a filename queue and parse_single_example)."""
    (tmp_path / 'records.py').write_text(textwrap.dedent('''\
        import numpy as np
        import tensorflow as tf
        images = (np.arange(3 * 784) % 256).astype(np.uint8).reshape(3, 784)
        writer = tf.python_io.TFRecordWriter('digits.tfrecords')
        for index in range(3):
            example = tf.train.Example(features=tf.train.Features(feature={
                'label': tf.train.Feature(int64_list=tf.train.Int64List(value=[index])),
                'image_raw': tf.train.Feature(bytes_list=tf.train.BytesList(
                    value=[images[index].tostring()]))}))
            writer.write(example.SerializeToString())
        writer.close()
        queue = tf.train.string_input_producer(['digits.tfrecords'], num_epochs=1)
        _, serialized = tf.TFRecordReader().read(queue)
        features = tf.parse_single_example(serialized, features={
            'image_raw': tf.FixedLenFeature([], tf.string),
            'label': tf.FixedLenFeature([], tf.int64)})
        image = tf.decode_raw(features['image_raw'], tf.uint8)
        with tf.Session() as sess:
            sess.run(tf.local_variables_initializer())
            coord = tf.train.Coordinator()
            threads = tf.train.start_queue_runners(sess=sess, coord=coord)
            read = [sess.run([image, features['label']]) for _ in range(3)]
            coord.request_stop()
            coord.join(threads)
        print(all((pixels == images[label]).all() for pixels, label in read),
              sorted(label for _, label in read))
        '''))
    result = tf1(['records.py'], str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ['True [0, 1, 2]']


def test_runner_errors_are_one_line(tmp_path):
    result = tf1(['missing.py'], str(tmp_path))
    assert result.returncode == 2
    assert result.stderr.strip().splitlines()[-1].startswith("tf1: can't open file 'missing.py'")
    (tmp_path / 'bad.py').write_text('def f(:\n')
    result = tf1(['bad.py'], str(tmp_path))
    assert result.returncode == 1 and 'SyntaxError' in result.stderr
    assert 'Traceback' not in result.stderr


def test_the_one_line_alternatives(tmp_path):
    """`import tf1.tensorflow as tf` in an edited script, and tf1.install() in a notebook."""
    code = textwrap.dedent('''\
        import tf1.tensorflow as tf
        from tensorflow.examples.tutorials.mnist import input_data as real_or_not
        ''')
    (tmp_path / 'edited.py').write_text(
        'import tf1.tensorflow as tf\n'
        'print(tf.Session is tf.compat.v1.Session, hasattr(tf.contrib, "rnn"))\n')
    env = dict(os.environ, PYTHONPATH=ROOT)
    result = subprocess.run([sys.executable, 'edited.py'], cwd=str(tmp_path), env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.stdout.split() == ['True', 'True'], result.stderr
    notebook = ('import tf1; tf1.install()\n'
                'import tensorflow as tf\n'
                'from tensorflow.examples.tutorials.mnist import input_data\n'
                'print(tf.placeholder(tf.float32).graph is tf.get_default_graph(), '
                'input_data.read_data_sets.__code__.co_varnames[:2])\n')
    result = subprocess.run([sys.executable, '-c', notebook], cwd=str(tmp_path), env=env,
                            capture_output=True, text=True, timeout=120)
    assert "True ('train_dir', 'fake_data')" in result.stdout, result.stderr
    del code


# Classic scripts of the popular example collections, in miniature: each family of TF 1.x
# API that tf1 rebuilds, used the way those scripts use it, through the runner.
CLASSIC_SCRIPTS = {
    'lstm_contrib_rnn.py': '''
        import tensorflow as tf
        from tensorflow.contrib import rnn
        from tensorflow.examples.tutorials.mnist import input_data
        mnist = input_data.read_data_sets("/tmp/data/", one_hot=True)
        X = tf.placeholder("float", [None, 28, 28])
        Y = tf.placeholder("float", [None, 10])
        W = tf.Variable(tf.random_normal([32, 10]))
        b = tf.Variable(tf.random_normal([10]))
        x = tf.unstack(X, 28, 1)
        cell = rnn.BasicLSTMCell(32, forget_bias=1.0)
        outputs, states = rnn.static_rnn(cell, x, dtype=tf.float32)
        logits = tf.matmul(outputs[-1], W) + b
        loss = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(logits=logits, labels=Y))
        train = tf.train.AdamOptimizer(0.01).minimize(loss)
        correct = tf.equal(tf.argmax(logits, 1), tf.argmax(Y, 1))
        accuracy = tf.reduce_mean(tf.cast(correct, tf.float32))
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            for step in range(30):
                bx, by = mnist.train.next_batch(64)
                sess.run(train, feed_dict={X: bx.reshape((64, 28, 28)), Y: by})
            print("Testing Accuracy:", sess.run(accuracy, feed_dict={
                X: mnist.test.images.reshape((-1, 28, 28)), Y: mnist.test.labels}))
            print(sorted(v.name for v in tf.trainable_variables()))
        ''',
    'bidirectional_dynamic.py': '''
        import tensorflow as tf
        X = tf.placeholder(tf.float32, [None, 5, 3])
        lengths = tf.placeholder(tf.int32, [None])
        fw = tf.nn.rnn_cell.MultiRNNCell([tf.nn.rnn_cell.GRUCell(4), tf.nn.rnn_cell.LSTMCell(4, use_peepholes=True)])
        bw = tf.nn.rnn_cell.DropoutWrapper(tf.nn.rnn_cell.BasicRNNCell(4), output_keep_prob=1.0)
        (out_fw, out_bw), _ = tf.nn.bidirectional_dynamic_rnn(fw, bw, X, sequence_length=lengths, dtype=tf.float32)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            import numpy as np
            a, b = sess.run([out_fw, out_bw], {X: np.ones((2, 5, 3)), lengths: [5, 2]})
            print("shapes", a.shape, b.shape, "padded zero", float(abs(a[1, 2:]).sum()))
        ''',
    'layers_estimator.py': '''
        import numpy as np
        import tensorflow as tf
        tf.logging.set_verbosity(tf.logging.INFO)
        def cnn_model_fn(features, labels, mode):
            input_layer = tf.reshape(features["x"], [-1, 28, 28, 1])
            conv1 = tf.layers.conv2d(inputs=input_layer, filters=4, kernel_size=[5, 5], padding="same", activation=tf.nn.relu)
            pool1 = tf.layers.max_pooling2d(inputs=conv1, pool_size=[2, 2], strides=2)
            flat = tf.layers.flatten(pool1)
            dense = tf.layers.dense(inputs=flat, units=16, activation=tf.nn.relu)
            dropout = tf.layers.dropout(inputs=dense, rate=0.4, training=mode == tf.estimator.ModeKeys.TRAIN)
            logits = tf.layers.dense(inputs=dropout, units=10)
            predictions = {"classes": tf.argmax(input=logits, axis=1),
                           "probabilities": tf.nn.softmax(logits, name="softmax_tensor")}
            if mode == tf.estimator.ModeKeys.PREDICT:
                return tf.estimator.EstimatorSpec(mode=mode, predictions=predictions)
            loss = tf.losses.sparse_softmax_cross_entropy(labels=labels, logits=logits)
            if mode == tf.estimator.ModeKeys.TRAIN:
                optimizer = tf.train.GradientDescentOptimizer(learning_rate=0.1)
                train_op = optimizer.minimize(loss=loss, global_step=tf.train.get_global_step())
                return tf.estimator.EstimatorSpec(mode=mode, loss=loss, train_op=train_op)
            eval_metric_ops = {"accuracy": tf.metrics.accuracy(labels=labels, predictions=predictions["classes"])}
            return tf.estimator.EstimatorSpec(mode=mode, loss=loss, eval_metric_ops=eval_metric_ops)
        def main(unused_argv):
            mnist = tf.contrib.learn.datasets.load_dataset("mnist")
            train_data = mnist.train.images
            train_labels = np.asarray(mnist.train.labels, dtype=np.int32)
            classifier = tf.estimator.Estimator(model_fn=cnn_model_fn, model_dir="mnist_convnet_model")
            logging_hook = tf.train.LoggingTensorHook(tensors={"probabilities": "softmax_tensor"}, every_n_iter=50)
            train_input_fn = tf.estimator.inputs.numpy_input_fn(x={"x": train_data}, y=train_labels, batch_size=50, num_epochs=None, shuffle=True)
            classifier.train(input_fn=train_input_fn, steps=20, hooks=[logging_hook])
            eval_input_fn = tf.estimator.inputs.numpy_input_fn(x={"x": mnist.test.images}, y=np.asarray(mnist.test.labels, dtype=np.int32), num_epochs=1, shuffle=False)
            print(classifier.evaluate(input_fn=eval_input_fn))
            print(sorted(classifier.get_variable_names())[:4])
        if __name__ == "__main__":
            tf.app.run()
        ''',
    # TF 1.4's "Getting Started with TensorFlow" (premade_estimator's forerunner), its CSV
    # written here instead of downloaded: three well-separated flowers of 4 features.
    'iris_quickstart.py': '''
        import numpy as np
        import tensorflow as tf
        IRIS_TRAINING = "iris_training.csv"
        rng = np.random.RandomState(0)
        target = rng.randint(0, 3, 120)
        data = rng.randn(120, 4) * 0.3 + target[:, None] * 2.0
        with open(IRIS_TRAINING, "w") as f:
            f.write("120,4,setosa,versicolor,virginica\\n")
            for row, label in zip(data, target):
                f.write(",".join("%.2f" % v for v in row) + ",%d\\n" % label)
        def main():
            path = tf.contrib.learn.datasets.base.maybe_download(
                IRIS_TRAINING, ".", "http://download.tensorflow.org/data/iris_training.csv")
            training_set = tf.contrib.learn.datasets.base.load_csv_with_header(
                filename=path, target_dtype=np.int32, features_dtype=np.float32)
            feature_columns = [tf.feature_column.numeric_column("x", shape=[4])]
            # Seeded (the tutorial is not): 200 steps from an unlucky draw can leave a
            # class behind (0.675 once in CI).
            classifier = tf.estimator.DNNClassifier(feature_columns=feature_columns,
                hidden_units=[10, 20, 10], n_classes=3, model_dir="iris_model",
                config=tf.estimator.RunConfig(tf_random_seed=1))
            train_input_fn = tf.estimator.inputs.numpy_input_fn(
                x={"x": np.array(training_set.data)}, y=np.array(training_set.target),
                num_epochs=None, shuffle=True)
            classifier.train(input_fn=train_input_fn, steps=200)
            test_input_fn = tf.estimator.inputs.numpy_input_fn(
                x={"x": np.array(training_set.data)}, y=np.array(training_set.target),
                num_epochs=1, shuffle=False)
            accuracy_score = classifier.evaluate(input_fn=test_input_fn)["accuracy"]
            print("\\nTest Accuracy: {0:f}\\n".format(accuracy_score))
            print(training_set.data.shape, training_set.target[:5])
        if __name__ == "__main__":
            main()
        ''',
    # Hands-On ML (ch. 10 onwards) loads MNIST with Keras and trains a TF 1.x graph on it.
    'keras_loader.py': '''
        import numpy as np
        import tensorflow as tf
        (X_train, y_train), (X_test, y_test) = tf.keras.datasets.mnist.load_data()
        X_train = X_train.astype(np.float32).reshape(-1, 28*28) / 255.0
        X_test = X_test.astype(np.float32).reshape(-1, 28*28) / 255.0
        X = tf.placeholder(tf.float32, shape=(None, 28 * 28), name="X")
        y = tf.placeholder(tf.int64, shape=(None), name="y")
        logits = tf.layers.dense(X, 10, name="outputs")
        loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=logits))
        training_op = tf.train.GradientDescentOptimizer(0.5).minimize(loss)
        accuracy = tf.reduce_mean(tf.cast(tf.nn.in_top_k(logits, y, 1), tf.float32))
        with tf.Session() as sess:
            tf.global_variables_initializer().run()
            for start in range(0, 5000, 50):
                sess.run(training_op, {X: X_train[start:start+50], y: y_train[start:start+50]})
            print(X_train.shape, y_test.dtype, "accuracy", accuracy.eval({X: X_test, y: y_test}))
        ''',
    'slim_lenet.py': '''
        import tensorflow as tf
        import tensorflow.contrib.slim as slim
        from tensorflow.contrib.framework import arg_scope
        from tensorflow.examples.tutorials.mnist import input_data
        tf.logging.set_verbosity(tf.logging.INFO)
        mnist = input_data.read_data_sets("MNIST_data", one_hot=True)
        image, label = tf.train.slice_input_producer([mnist.train.images[:500], mnist.train.labels[:500]])
        images, labels = tf.train.batch([image, label], batch_size=50)
        with arg_scope([slim.conv2d, slim.fully_connected], weights_regularizer=slim.l2_regularizer(0.0005)):
            net = slim.conv2d(tf.reshape(images, [-1, 28, 28, 1]), 8, [5, 5], scope="conv1")
            net = slim.max_pool2d(net, [2, 2], scope="pool1")
            net = slim.flatten(net)
            net = slim.batch_norm(net, is_training=True)
            logits = slim.fully_connected(net, 10, activation_fn=None, scope="fc")
        slim.losses.softmax_cross_entropy(logits, labels)
        total_loss = slim.losses.get_total_loss()
        tf.summary.scalar("total_loss", total_loss)
        train_op = slim.learning.create_train_op(total_loss, tf.train.AdamOptimizer(1e-3))
        final = slim.learning.train(train_op, "logs", number_of_steps=30, log_every_n_steps=10)
        print("final loss %.3f" % final, tf.train.latest_checkpoint("logs"))
        print(sorted(v.op.name for v in slim.get_model_variables()))
        ''',
    'contrib_layers_projector.py': '''
        import os
        import tensorflow as tf
        from tensorflow.contrib.tensorboard.plugins import projector
        x = tf.placeholder(tf.float32, [None, 784])
        h = tf.contrib.layers.fully_connected(x, 8, weights_initializer=tf.contrib.layers.xavier_initializer(),
                                              weights_regularizer=tf.contrib.layers.l2_regularizer(0.1))
        embedding = tf.Variable(tf.zeros([3, 8]), name="embedding")
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            writer = tf.summary.FileWriter("logs", sess.graph)
            config = projector.ProjectorConfig()
            emb = config.embeddings.add()
            emb.tensor_name = embedding.name
            projector.visualize_embeddings(writer, config)
            tf.train.Saver().save(sess, os.path.join("logs", "model.ckpt"))
        print(sorted(v.name for v in tf.trainable_variables()), len(tf.losses.get_regularization_losses()))
        print(open(os.path.join("logs", "projector_config.pbtxt")).read().strip().replace(chr(10), " "))
        ''',
}


@pytest.mark.parametrize('name', sorted(CLASSIC_SCRIPTS))
def test_classic_script_families(tmp_path, tutorial_mnist, name):
    # load_dataset("mnist") reads MNIST-data/ in the current directory, as in TF 1.x.
    shutil.copytree(tutorial_mnist, tmp_path / 'MNIST-data')
    (tmp_path / name).write_text(textwrap.dedent(CLASSIC_SCRIPTS[name]))
    result = tf1([name], str(tmp_path), mnist_dir=None if name == 'layers_estimator.py'
                 else tutorial_mnist)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-3000:]
    out = result.stdout
    if name == 'lstm_contrib_rnn.py':
        assert "'rnn/basic_lstm_cell/kernel:0'" in out and "'rnn/basic_lstm_cell/bias:0'" in out
        assert float(re.search(r'Testing Accuracy: ([\d.]+)', out).group(1)) > 0.3
    elif name == 'bidirectional_dynamic.py':
        assert 'shapes (2, 5, 4) (2, 5, 4) padded zero 0.0' in out
    elif name == 'layers_estimator.py':
        assert re.search(r"'accuracy': [\d.]+", out) and "'global_step': 20" in out
        assert "['conv2d/bias', 'conv2d/kernel', 'dense/bias', 'dense/kernel']" in out
        assert 'loss = ' in result.stderr  # the Estimator's INFO log, as TF 1.x printed it
        assert os.path.exists(tmp_path / 'mnist_convnet_model' / 'checkpoint')
    elif name == 'iris_quickstart.py':
        assert float(re.search(r'Test Accuracy: ([\d.]+)', out).group(1)) > 0.9
        assert '(120, 4) [0 1 0 1 1]' in out
    elif name == 'keras_loader.py':
        assert '(5600, 784) uint8 accuracy' in out
        assert float(out.split('accuracy')[-1]) > 0.5
    elif name == 'slim_lenet.py':
        assert re.search(r'final loss [\d.]+ logs/model.ckpt-30', out)
        assert ("['BatchNorm/beta', 'BatchNorm/moving_mean', 'BatchNorm/moving_variance', "
                "'conv1/biases', 'conv1/weights', 'fc/biases', 'fc/weights']") in out
        assert 'global step 30: loss = ' in result.stderr  # slim's INFO log
    else:
        assert "['embedding:0', 'fully_connected/biases:0', 'fully_connected/weights:0'] 1" in out
        assert 'tensor_name: "embedding:0"' in out


def test_a_packages_module_runs_as_python_m_ran_it(tmp_path):
    """`python -m tf1 -m pkg.main ARGS`, as TF 1.x users ran packages such as nmt
    (`python -m nmt.nmt`): relative imports work, and the package's modules get TF 1.x."""
    package = tmp_path / 'pkg'
    package.mkdir()
    (package / '__init__.py').write_text('')
    (package / 'util.py').write_text(textwrap.dedent('''\
        import tensorflow as tf
        def doubled(x):
            return tf.constant(x) * 2
        '''))
    (package / 'main.py').write_text(textwrap.dedent('''\
        import sys
        import tensorflow as tf
        from . import util
        print('argv', sys.argv[1:], __name__, __package__)
        with tf.Session() as sess:
            print('value', sess.run(util.doubled(3.0)))
        if '--fail' in sys.argv:
            util.doubled(1.0) + tf.ones([2], tf.int32)
        '''))
    result = tf1(['-m', 'pkg.main', '--steps', '3', '-m'], str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert "argv ['--steps', '3', '-m'] __main__ pkg" in result.stdout
    assert 'value 6.0' in result.stdout
    failed = tf1(['-m', 'pkg.main', '--fail'], str(tmp_path))
    assert failed.returncode == 1
    frames = re.findall(r'File "([^"]+)", line (\d+)', failed.stderr)
    assert frames[0] == (str(package / 'main.py'), '8'), failed.stderr
    missing = tf1(['-m', 'pkg.nothing'], str(tmp_path))
    assert missing.returncode == 1 and 'tf1: No module named pkg.nothing' in missing.stderr
    # After a script's name, a -m is the script's own argument.
    (tmp_path / 'plain.py').write_text('import sys\nprint("argv", sys.argv[1:])\n')
    plain = tf1(['plain.py', '-m', 'pkg.main'], str(tmp_path))
    assert plain.returncode == 0 and "argv ['-m', 'pkg.main']" in plain.stdout, plain.stderr


def test_packages_on_pythonpath_get_tf1_but_pip_targets_keep_tensorflow(tmp_path):
    """tensorflow/models' README puts its root on $PYTHONPATH (`from official.mnist import
    dataset`): the user's code there gets TF 1.x's API; a directory pip installed packages
    into (--target, with *.dist-info) keeps the real TensorFlow, as libraries do. Code
    exec'd in a namespace of its own (a configuration file) sees what its executor sees."""
    models, target, scripts = tmp_path / 'models', tmp_path / 'target', tmp_path / 'scripts'
    for package in (models / 'official', target / 'library'):
        package.mkdir(parents=True)
        (package / '__init__.py').write_text(textwrap.dedent('''\
            import tensorflow as tf
            TF1 = hasattr(tf, "placeholder")
            def run(source):
                namespace = {"__name__": "config"}
                exec(source, namespace)
                return namespace["TF1"]
            '''))
    (models / 'official' / 'hooks.py').write_text(
        'import tensorflow as tf\nclass Hook(tf.train.SessionRunHook):\n    pass\n')
    (target / 'library-1.0.dist-info').mkdir()
    scripts.mkdir()
    (scripts / 'train.py').write_text(textwrap.dedent('''\
        import official, library
        from official.hooks import Hook
        print('official', official.TF1, 'library', library.TF1, Hook.__name__)
        config = 'import tensorflow as tf\\nTF1 = hasattr(tf, "placeholder")'
        namespace = {}
        exec(config, namespace)
        print('exec', namespace['TF1'], official.run(config), library.run(config))
        '''))
    result = tf1(['train.py'], str(scripts), pythonpath=(str(models), str(target)))
    assert result.returncode == 0, result.stderr[-2000:]
    assert 'official True library False Hook' in result.stdout
    assert 'exec True True False' in result.stdout


def installed_library(tmp_path, source):
    """tmp_path/target, holding `library` (of `source`) as an installed package: tf1 leaves
    it unmapped. The scripts go in tmp_path/scripts."""
    target = tmp_path / 'target'
    (target / 'library').mkdir(parents=True)
    (target / 'library-1.0.dist-info').mkdir()
    (target / 'library' / '__init__.py').write_text(source)
    (tmp_path / 'scripts').mkdir()
    return target


def test_an_installed_tf1_package_named_on_the_command_line_gets_tf1(tmp_path):
    """K-FAC 0.2 or TF-Privacy 0.2, pip-installed, were made for TF 1.14-1.15: named with
    --tf1_package, such a package gets TF 1.x's API, in processes multiprocessing spawns
    too; unnamed, the real TensorFlow, as every installed library."""
    target = installed_library(tmp_path, 'import tensorflow as tf\n'
                                         'TF1 = hasattr(tf, "placeholder")\n')
    (tmp_path / 'scripts' / 'uses.py').write_text(textwrap.dedent('''\
        import multiprocessing
        import library

        def child(queue):
            import library
            queue.put(library.TF1)

        if __name__ == '__main__':
            context = multiprocessing.get_context('spawn')
            queue = context.Queue()
            process = context.Process(target=child, args=(queue,))
            process.start()
            print('library', library.TF1, 'child', queue.get())
            process.join()
        '''))
    scripts = str(tmp_path / 'scripts')
    named = tf1(['--tf1_package', 'library', 'uses.py'], scripts, pythonpath=(str(target),))
    assert named.returncode == 0, named.stderr[-2000:]
    assert 'library True child True' in named.stdout
    unnamed = tf1(['uses.py'], scripts, pythonpath=(str(target),))
    assert 'library False child False' in unnamed.stdout, unnamed.stderr[-2000:]
    missing = tf1(['--tf1_package=nothing_by_this_name', 'uses.py'], scripts)
    assert missing.returncode == 2
    assert missing.stderr.strip().splitlines()[-1] == (
        "python -m tf1: error: --tf1_package: no installed package named "
        "'nothing_by_this_name'")
    own = tf1(['--tf1_package', 'tensorflow', 'uses.py'], scripts)
    assert own.returncode == 2 and own.stderr.strip().splitlines()[-1] == (
        "python -m tf1: error: --tf1_package: 'tensorflow' is TensorFlow's or Keras's own, "
        "which keeps the real TensorFlow")


def test_tfp_distributions_compute_probs_and_logits_as_tfp_0_8_did(tmp_path):
    """K-FAC 0.2's losses read `Categorical(logits=...).probs` and `Bernoulli(logits=...)
    .probs`, which TF 1.15's TFP (0.7, 0.8) computed and today's answers None."""
    (tmp_path / 'probs.py').write_text(textwrap.dedent('''\
        import numpy as np
        import tensorflow as tf
        import tensorflow_probability as tfp
        tfd = tfp.distributions
        logits = np.array([[1.0, 2.0, 3.0]], np.float32)
        categorical = tfd.Categorical(logits=logits)
        bernoulli = tfd.Bernoulli(probs=np.float32([0.2, 0.9]))
        relaxed = tfd.RelaxedOneHotCategorical(0.5, logits=logits)
        with tf.Session() as session:
            probs, logit, relaxed_probs, given = session.run(
                [categorical.probs, bernoulli.logits, relaxed.probs, categorical.logits])
        softmax = np.exp(logits) / np.exp(logits).sum()
        print('categorical', np.allclose(probs, softmax), np.allclose(given, logits))
        print('bernoulli', np.allclose(logit, np.log([0.2 / 0.8, 0.9 / 0.1])))
        print('relaxed', np.allclose(relaxed_probs, softmax))
        '''))
    result = tf1(['probs.py'], str(tmp_path))
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.split('\n')[:3] == [
        'categorical True True', 'bernoulli True', 'relaxed True'], result.stdout


def test_the_mock_backport_patches_the_scripts_tf1_as_unittest_mock_does(tmp_path):
    """deepmind/learning-to-learn: `mock.patch("tensorflow.get_variable", getter)` with the
    installed `mock` backport resolves "tensorflow" for the script that asks (as Python's
    own unittest.mock does): its TF 1.x API, whose get_variable is then patched."""
    target = tmp_path / 'target'
    (target / 'mock').mkdir(parents=True)
    (target / 'mock-3.0.5.dist-info').mkdir()
    (target / 'mock' / '__init__.py').write_text(textwrap.dedent('''\
        def _importer(target):  # mock 3.0.5's way: __import__ without globals
            components = target.split('.')
            thing = __import__(components.pop(0))
            for component in components:
                thing = getattr(thing, component)
            return thing
        '''))
    (tmp_path / 'scripts').mkdir()
    (tmp_path / 'scripts' / 'patched.py').write_text(textwrap.dedent('''\
        import unittest.mock
        import mock
        import tensorflow as tf
        print('backport', mock._importer('tensorflow') is tf)
        with unittest.mock.patch('tensorflow.get_variable', lambda *a, **k: 'patched'):
            print('stdlib', tf.get_variable('v', [1]))
        '''))
    result = tf1(['patched.py'], str(tmp_path / 'scripts'), pythonpath=(str(target),))
    assert result.returncode == 0, result.stderr[-2000:]
    assert 'backport True' in result.stdout and 'stdlib patched' in result.stdout


def test_an_installed_keras_add_on_shares_the_scripts_keras(tmp_path):
    """keras-retinanet's keras-resnet, pip-installed, subclasses Keras's layers: imported
    by the script, its `import keras` is the script's Keras 2 (one Keras per process, as
    under TF 1.x)."""
    target = installed_library(tmp_path, textwrap.dedent('''\
        import keras

        class Frozen(keras.layers.BatchNormalization):
            def call(self, inputs, training=None):
                return super().call(inputs, training=False)
        '''))
    (tmp_path / 'scripts' / 'addon.py').write_text(textwrap.dedent('''\
        import numpy as np
        import keras
        import library
        x = keras.layers.Input(shape=(3,))
        model = keras.models.Model(x, library.Frozen()(keras.layers.Dense(2)(x)))
        print('shared', library.keras is keras, model.predict(np.ones((4, 3))).shape)
        '''))
    result = tf1(['addon.py'], str(tmp_path / 'scripts'), pythonpath=(str(target),))
    assert result.returncode == 0, result.stderr[-2000:]
    assert 'shared True (4, 2)' in result.stdout


def test_collections_has_python_3_9s_abc_aliases_for_the_users_code_only(tmp_path):
    """GPflow 1.x (`isinstance(value, collections.Mapping)`) stops at import on Python 3.10+.
    The user's code gets Python 3.9's aliases of collections.abc's classes; an installed
    library keeps Python's collections, as it keeps NumPy."""
    target = installed_library(
        tmp_path, 'import collections\nALIASES = hasattr(collections, "Mapping")\n')
    (tmp_path / 'scripts' / 'aliases.py').write_text(textwrap.dedent('''\
        import collections, collections.abc, pickle
        from collections import Mapping, MutableSequence, OrderedDict
        import library
        print(isinstance({}, collections.Mapping), Mapping is collections.abc.Mapping,
              MutableSequence is collections.abc.MutableSequence, library.ALIASES)
        print(sorted(set(dir(collections)) & {'Buffer', 'ByteString', 'Callable', 'deque'}),
              'Mapping' in collections.__all__, collections.OrderedDict is OrderedDict,
              pickle.loads(pickle.dumps(collections)) is collections)
        '''))
    result = tf1(['aliases.py'], str(tmp_path / 'scripts'), pythonpath=(str(target),))
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.splitlines() == [
        'True True True False', "['ByteString', 'Callable', 'deque'] False True True"]


def test_inspect_has_python_3_10s_getargspec_for_the_users_code_only(tmp_path):
    """Sonnet 1 reads arguments with inspect.getargspec, which Python 3.11 removed."""
    target = installed_library(
        tmp_path, 'import inspect\nHAS_IT = hasattr(inspect, "getargspec")\n')
    (tmp_path / 'scripts' / 'spec.py').write_text(textwrap.dedent('''\
        import inspect, pickle
        from inspect import getargspec, signature
        import library
        def f(a, b=2, *rest, **options): pass
        def g(a, *, b): pass
        print(tuple(getargspec(f)), getargspec(f).keywords, library.HAS_IT,
              signature is inspect.signature, pickle.loads(pickle.dumps(inspect)) is inspect)
        try:
            inspect.getargspec(g)
        except ValueError as error:
            print(error)
        '''))
    result = tf1(['spec.py'], str(tmp_path / 'scripts'), pythonpath=(str(target),))
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.splitlines() == [
        "(['a', 'b'], 'rest', 'options', (2,)) options False True True",
        'Function has keyword-only parameters or annotations, use inspect.signature() API '
        'which can support them']


def test_spawn_and_forkserver_children_run_with_the_scripts_mapping(tmp_path):
    """Under TF 1.x a child process imported TF 1.x too: stable-baselines' SubprocVecEnv
    starts its workers with 'forkserver'. Children started with 'spawn' and 'forkserver'
    get the mapping (the script's module, run again as __mp_main__ there, included); their
    exit status and exceptions are multiprocessing's as ever."""
    (tmp_path / 'workers.py').write_text(textwrap.dedent('''\
        import multiprocessing as mp
        import sys
        import numpy as np
        import tensorflow as tf

        def report(queue):
            import numpy
            queue.put((hasattr(tf.contrib, 'rnn'), numpy is np, numpy.float is float))

        def fail(status):
            if status:
                sys.exit(status)
            raise ValueError('child failed')

        if __name__ == '__main__':
            for method in ('spawn', 'forkserver'):
                context = mp.get_context(method)
                queue = context.Queue()
                child = context.Process(target=report, args=(queue,))
                child.start()
                print(method, *queue.get())
                child.join()
                statuses = [child.exitcode]
                for status in (3, 0):
                    child = context.Process(target=fail, args=(status,))
                    child.start()
                    child.join()
                    statuses.append(child.exitcode)
                print(method, statuses)
        '''))
    result = tf1(['workers.py'], str(tmp_path))
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.splitlines() == ['spawn True True True', 'spawn [0, 3, 1]',
                                          'forkserver True True True', 'forkserver [0, 3, 1]']
    assert result.stderr.count('ValueError: child failed') == 2


def test_directories_a_script_puts_on_sys_path_hold_its_own_code(tmp_path):
    """`sys.path.insert(0, 'src')` (facenet's scripts, run from the repository's root),
    `sys.path.append(os.getcwd())` (text-detection-ctpn's ctpn/train_net.py, run from the
    root: the current directory, which python -m had put first, is not the script's): the
    modules there get TF 1.x's API like the script's own; a directory pip installed into
    keeps the real TensorFlow, also when added at run time or inside one of those."""
    for package in ('src/nets', 'target/library', 'lib', 'deps/vendored'):
        (tmp_path / package).mkdir(parents=True)
        (tmp_path / package / '__init__.py').write_text(
            'import tensorflow as tf\nTF1 = hasattr(tf, "placeholder")\n')
    (tmp_path / 'target' / 'library-1.0.dist-info').mkdir()
    (tmp_path / 'deps' / 'vendored-1.0.dist-info').mkdir()
    (tmp_path / 'tools').mkdir()
    (tmp_path / 'tools' / 'demo.py').write_text(textwrap.dedent('''\
        import os, sys
        sys.path.insert(0, 'src')
        sys.path.insert(0, 'target')
        sys.path.append(os.getcwd())
        import nets, library, lib, vendored
        print('nets', nets.TF1, 'library', library.TF1, 'lib', lib.TF1,
              'vendored', vendored.TF1)
        '''))
    result = tf1([os.path.join('tools', 'demo.py')], str(tmp_path),
                 pythonpath=[str(tmp_path / 'deps')])
    assert result.returncode == 0, result.stderr[-2000:]
    assert 'nets True library False lib True vendored False' in result.stdout


def test_python_P_keeps_sys_path_and_the_current_directory_inserted_is_the_scripts(
        tmp_path, monkeypatch):
    """Under `python -P` (PYTHONSAFEPATH) Python puts no directory first, so the runner
    overwrites no entry of sys.path (here the project's own, on $PYTHONPATH); and a script
    that inserts '' (the current directory, here not the script's) imports its own code
    from there, mapped."""
    (tmp_path / 'work').mkdir()
    (tmp_path / 'work' / '__init__.py').write_text(
        'import tensorflow as tf\nTF1 = hasattr(tf, "placeholder")\n')
    (tmp_path / 'tools').mkdir()
    (tmp_path / 'tools' / 'demo.py').write_text(textwrap.dedent('''\
        import os, sys
        script_directory = os.path.dirname(os.path.realpath(__file__))
        print('project', %r in sys.path, 'script', script_directory in sys.path)
        sys.path.insert(0, '')
        import work
        print('work', work.TF1)
        ''' % ROOT))
    monkeypatch.setenv('PYTHONSAFEPATH', '1')
    result = tf1([os.path.join('tools', 'demo.py')], str(tmp_path))
    assert result.returncode == 0, result.stderr[-2000:]
    assert 'project True script False\nwork True' in result.stdout


def test_tf1_0_flag_names_module_paths_and_logging_internals_work(tmp_path):
    """What 2017's Estimator trainers (cloud ML samples, learn_runner scripts) used: TF
    1.0-1.4's flag keywords, hparam's and the estimator's module paths (also TF 1.14-1.15's
    tensorflow_estimator package), tf.logging's `_logger` and its level constants in
    `__dict__`."""
    (tmp_path / 'trainer.py').write_text(textwrap.dedent('''\
        import logging
        import tensorflow as tf
        import tensorflow.python.estimator.model_fn as model_fn_lib
        from tensorflow.contrib.training.python.training import hparam
        from tensorflow.python.estimator.model_fn import ModeKeys as Modes
        from tensorflow.python.estimator.export import export
        tf.app.flags.DEFINE_string(flag_name='model_dir', default_value='./m', docstring='d')
        tf.app.flags.DEFINE_integer('steps', default_value=3, docstring='steps')
        tf.logging._logger.setLevel(logging.INFO)
        tf.logging.set_verbosity(tf.logging.__dict__['ERROR'])
        print(tf.app.flags.FLAGS.model_dir, tf.app.flags.FLAGS.steps, hparam.HParams(a=1).a,
              Modes.TRAIN, model_fn_lib.EstimatorSpec is tf.estimator.EstimatorSpec,
              export.ServingInputReceiver is tf.estimator.export.ServingInputReceiver,
              tf.logging._logger.name, tf.logging.__dict__['INFO'])
        import tensorflow_estimator
        import tensorflow_estimator.python.estimator.model_fn as estimator_model_fn
        from tensorflow_estimator.python.estimator.canned import head as head_lib
        from tensorflow_estimator.contrib.estimator.python.estimator import extenders
        from tensorflow.python.estimator.canned import dnn, linear
        from tensorflow_estimator.python.estimator.tpu import tpu_config, tpu_estimator
        print(tensorflow_estimator.estimator.Estimator is tf.estimator.Estimator,
              estimator_model_fn.EstimatorSpec is tf.estimator.EstimatorSpec,
              head_lib._regression_head is not None,
              extenders.add_metrics is tf.contrib.estimator.add_metrics,
              dnn.DNNClassifier is tf.estimator.DNNClassifier,
              linear.LinearRegressor is tf.estimator.LinearRegressor,
              tpu_estimator.TPUEstimatorSpec is tf.estimator.tpu.TPUEstimatorSpec,
              tpu_config.TPUConfig is tf.estimator.tpu.TPUConfig)
        from tensorflow_estimator.python.estimator import no_such_module
        '''))
    result = tf1(['trainer.py', '--steps', '5'], str(tmp_path))
    assert result.returncode == 1
    assert './m 5 1 train True True tensorflow 20\nTrue True True True True True True True' in (
        result.stdout)
    assert ('tensorflow_estimator.python.estimator.no_such_module is not part of what tf1 '
            'provides' in result.stderr)


def test_tf1_0s_parse_flags_and_flag_dict(tmp_path):
    """cnn-text-classification-tf's opening (TF 1.0-1.4): FLAGS._parse_flags(), then the
    settings printed from FLAGS.__flags, the script's flags only."""
    (tmp_path / 'train.py').write_text(textwrap.dedent('''\
        import tensorflow as tf
        tf.flags.DEFINE_integer("batch_size", 64, "Batch Size")
        tf.flags.DEFINE_boolean("allow_soft_placement", True, "Allow soft placement")
        FLAGS = tf.flags.FLAGS
        print(FLAGS._parse_flags())
        for attr, value in sorted(FLAGS.__flags.items()):
            print("{}={}".format(attr.upper(), value))
        FLAGS.batch_size = 8
        print(FLAGS.batch_size, 'batch_size' in FLAGS, FLAGS['batch_size'].default)
        '''))
    result = tf1(['train.py', '--batch_size', '32', 'extra'], str(tmp_path))
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.split('\n')[:4] == ["['extra']", 'ALLOW_SOFT_PLACEMENT=True',
                                              'BATCH_SIZE=32', '8 True 64']


def test_tf1_0s_flag_dict_sets_flags_and_flags_start_over(tmp_path):
    """TF 1.0-1.4 idioms: settings restored through FLAGS.__dict__['__flags'], and a
    script starting over with no flags (DCGAN forks, notebooks run twice): a new
    `_FlagValues()` and parser, flags defined again, parsed by tf.app.run from the
    command line into that FLAGS; a bad value is one line."""
    (tmp_path / 'again.py').write_text(textwrap.dedent('''\
        import argparse
        import tensorflow as tf
        tf.flags.DEFINE_integer("epoch", 25, "Epochs")
        FLAGS = tf.flags.FLAGS
        print(sorted(FLAGS.__dict__['__flags'].items()))
        FLAGS.__dict__['__flags']['epoch'] = 7
        print('set', FLAGS.epoch)
        tf.app.flags.FLAGS = tf.flags._FlagValues()
        tf.app.flags._global_parser = argparse.ArgumentParser()
        flags = tf.app.flags
        flags.DEFINE_integer("epoch", 1, "Epochs, again")
        flags.DEFINE_boolean("train", False, "Train")
        FLAGS = flags.FLAGS
        def main(argv):
            print('main', argv[1:], FLAGS.epoch, FLAGS.train, sorted(FLAGS.__flags.items()))
        tf.app.run()
        '''))
    result = tf1(['again.py', '--epoch', '3', '--train', 'rest'], str(tmp_path))
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.split('\n')[:3] == [
        "[('epoch', 3)]", 'set 7',
        "main ['rest'] 3 True [('epoch', 3), ('train', True)]"]
    result = tf1(['again.py', '--epoch=x'], str(tmp_path))  # read before tf.app.run
    assert result.returncode == 1
    assert 'Traceback' not in result.stderr
    assert result.stderr.strip().splitlines()[-1] == (
        "FATAL Flags parsing error: flag --epoch=x: invalid literal for int() with base 10: 'x'")
    result = tf1(['again.py', '--train=maybe'], str(tmp_path))  # read in main
    assert result.returncode == 1
    assert 'Traceback' not in result.stderr
    assert result.stderr.strip().splitlines()[-1].startswith(
        'FATAL Flags parsing error: flag --train=maybe: ')


def test_tf1_places_of_names_tf2_moved_and_numpy1s_ragged_saves(tmp_path):
    """What public scripts of 2016-2018 did that TF 2.x or NumPy 2 broke: while_loop from
    control_flow_ops (SeqGAN), stack from array_ops, map_fn from functional_ops (TF 1.0-1.13:
    the GAN metrics' Inception score), TF 1.14-2.10's training.tracking,
    variables.Variable taking TF 1.x's collections, the mnist package's modules as its
    attributes, np.save of a ragged list (NumPy 1 saved an
    object array), TF 1.14-1.15's eager profiler (tensorflow/models' official Keras
    models)."""
    (tmp_path / 'old.py').write_text(textwrap.dedent('''\
        import numpy as np
        import tensorflow as tf
        from tensorflow.python.ops import array_ops, control_flow_ops, functional_ops
        from tensorflow.python.ops import variables
        from tensorflow.python.training.tracking import tracking, util as trackable_utils
        from tensorflow.examples.tutorials import mnist
        i = control_flow_ops.while_loop(lambda i: i < 10, lambda i: i + 1, [tf.constant(0)])
        print(tf.Session().run(i), mnist.mnist.NUM_CLASSES,
              callable(mnist.input_data.read_data_sets))
        print(tf.Session().run(array_ops.stack([1, 2])).tolist() == [1, 2],
              trackable_utils.CheckpointV1 is tf.train.Checkpoint,
              isinstance(tf.train.Checkpoint(), tracking.AutoTrackable))
        squares = functional_ops.map_fn(tf.square, tf.constant([1.0, 2.0]), back_prop=False)
        print(tf.Session().run(squares).tolist(), functional_ops.scan is tf.scan)
        # TF 1.0-1.12's Variable: a metric's counter among the local variables
        count = variables.Variable(0, collections=[tf.GraphKeys.LOCAL_VARIABLES])
        print(tf.local_variables() == [count], isinstance(count, variables.Variable))
        np.save('ragged.npy', [np.zeros((10, 2, 3)), [1.0, 2.0], [3.0, 4.0]])
        print(len(np.load('ragged.npy', allow_pickle=True)))
        import os
        from tensorflow.python.eager import profiler
        profiler.start()
        tf.Session().run(squares)
        profiler.save('logs', profiler.stop())
        print(os.listdir('logs/plugins/profile')[0].startswith('20'))
        '''))
    result = tf1(['old.py'], str(tmp_path))
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.split() == ['10', '10', 'True', 'True', 'True', 'True',
                                     '[1.0,', '4.0]', 'True', 'True', 'True', '3', 'True']


def test_contrib_gan_is_tf_gan_on_the_tf1_api(tmp_path):
    """tf.contrib.gan, as TF 1.14 scripts used it: gan_model, a Wasserstein loss with
    gradient penalty, gan_train_ops and gan_train with sequential hooks, GANEstimator, an
    Estimator (the tensorflow-gan package, whose modules tf1 runs on TF 1.x's API),
    eval's frozen-classifier functions, the parameters TF-GAN 2 renamed or moved and the
    module paths, all TF 1.14's."""
    (tmp_path / 'gan.py').write_text(textwrap.dedent('''\
        import numpy as np
        import tensorflow as tf
        tfgan = tf.contrib.gan
        tf.set_random_seed(0)

        def generator_fn(noise, mode=None):
            net = tf.layers.dense(noise, 7 * 7 * 4, activation=tf.nn.relu)
            net = tf.reshape(net, [-1, 7, 7, 4])
            net = tf.layers.conv2d_transpose(net, 4, 4, strides=2, padding='same',
                                             activation=tf.nn.relu)
            return tf.layers.conv2d_transpose(net, 1, 4, strides=2, padding='same',
                                              activation=tf.tanh)

        def discriminator_fn(images, unused_conditioning, mode=None):
            net = tf.layers.conv2d(images, 4, 4, strides=2, padding='same',
                                   activation=tf.nn.leaky_relu)
            return tf.layers.dense(tf.layers.flatten(net), 1)

        images = tf.random_uniform([8, 28, 28, 1], -1, 1)
        gan_model = tfgan.gan_model(generator_fn, discriminator_fn, real_data=images,
                                    generator_inputs=tf.random_normal([8, 16]))
        gan_loss = tfgan.gan_loss(gan_model,
                                  generator_loss_fn=tfgan.losses.wasserstein_generator_loss,
                                  discriminator_loss_fn=tfgan.losses.wasserstein_discriminator_loss,
                                  gradient_penalty_weight=1.0)
        train_ops = tfgan.gan_train_ops(gan_model, gan_loss,
                                        generator_optimizer=tf.train.AdamOptimizer(1e-3, 0.5),
                                        discriminator_optimizer=tf.train.AdamOptimizer(1e-4, 0.5))
        hooks_fn = tfgan.get_sequential_train_hooks(tfgan.GANTrainSteps(1, 2))
        steps = tfgan.gan_train(train_ops, logdir='gan_log', get_hooks_fn=hooks_fn,
                                hooks=[tf.train.StopAtStepHook(num_steps=3)])
        print('gan_train', steps, tf.train.latest_checkpoint('gan_log').endswith('model.ckpt-3'))

        # GANEstimator: TF-GAN's Estimator, on tf1's tf.estimator.
        def input_fn():
            noise = np.random.RandomState(1).randn(16, 16).astype(np.float32)
            real = np.random.RandomState(2).uniform(-1, 1, (16, 28, 28, 1)).astype(np.float32)
            return tf.data.Dataset.from_tensor_slices((noise, real)).batch(8).repeat()

        estimator = tfgan.estimator.GANEstimator(
            model_dir='estimator_log', generator_fn=generator_fn, discriminator_fn=discriminator_fn,
            generator_loss_fn=tfgan.losses.minimax_generator_loss,
            discriminator_loss_fn=tfgan.losses.minimax_discriminator_loss,
            generator_optimizer=tf.train.AdamOptimizer(1e-3),
            discriminator_optimizer=tf.train.AdamOptimizer(1e-3))
        estimator.train(input_fn, max_steps=2)
        print('estimator', estimator.get_variable_value('global_step'),
              isinstance(estimator, tf.estimator.Estimator))

        # TF 1.14's frozen-classifier evaluation, which TF-GAN 2 dropped (the TFGAN MNIST
        # examples' mnist_score): a classifier frozen to disk, run on generated images.
        with tf.Graph().as_default() as classifier:
            x = tf.placeholder(tf.float32, [None, 28, 28, 1], name='inputs')
            tf.identity(tf.reduce_mean(x, [1, 2]) * [[1.0, -1.0]], name='logits')
        tf.train.write_graph(classifier.as_graph_def(), '.', 'classifier.pb', as_text=False)
        graph_def = tfgan.eval.get_graph_def_from_disk('classifier.pb')
        def classifier_fn(images):
            return tfgan.eval.run_image_classifier(images, graph_def, 'inputs:0', 'logits:0')
        logits = classifier_fn(tf.ones([2, 28, 28, 1]))
        score = tfgan.eval.classifier_score(tf.ones([4, 28, 28, 1]), classifier_fn)
        prepared = tfgan.eval.preprocess_image(tf.zeros([2, 10, 10, 3], tf.uint8))
        activations = tfgan.eval.run_inception(
            tf.ones([2, 28, 28, 1]), graph_def=graph_def, image_size=28, input_tensor='inputs:0',
            output_tensor=['logits:0'])
        # TF 1.14's parameters, which TF-GAN 2 renamed (real_images, num_classifier_batches,
        # real_activations ...) or put others before (spectral_normalize's name).
        import tensorflow_gan
        real, fake = tf.ones([4, 28, 28, 1]), tf.zeros([4, 28, 28, 1])
        act1 = tf.constant(np.random.RandomState(3).randn(6, 2), tf.float32)
        act2 = act1 * 2 + 1
        pairs = [(tfgan.eval.kernel_classifier_distance(
                      real_images=real, generated_images=fake, classifier_fn=classifier_fn,
                      num_classifier_batches=2),
                  tensorflow_gan.eval.kernel_classifier_distance(real, fake, classifier_fn, 2)),
                 (tfgan.eval.frechet_classifier_distance_from_activations(
                      real_activations=act1, generated_activations=act2),
                  tensorflow_gan.eval.frechet_classifier_distance_from_activations(act1, act2))]
        normalized = tfgan.features.spectral_normalize(tf.ones([3, 2]), 1, 'normalized')
        inception = tfgan.eval.frechet_inception_distance.keywords['classifier_fn']
        # TF 1.14's module paths, each TF-GAN 2's module of that name (with the above).
        from tensorflow.contrib.gan.python.losses.python import losses_impl
        from tensorflow.contrib.gan.python.train import RunTrainOpsHook
        from tensorflow.contrib.gan.python.eval.python import classifier_metrics_impl
        print('paths', losses_impl.wasserstein_generator_loss
              is tensorflow_gan.losses.wargs.wasserstein_generator_loss,
              RunTrainOpsHook is tfgan.RunTrainOpsHook,
              classifier_metrics_impl.classifier_score is tfgan.eval.classifier_score)
        try:  # the same argument by both its names
            tfgan.eval.classifier_score(images=real, input_tensor=real, classifier_fn=None)
        except TypeError as error:
            print('twice:', error)
        print('tf 1.14 arguments', normalized.op.name.startswith('normalized/'),
              inception.func is tfgan.eval.run_inception, inception.keywords)
        with tf.Session() as sess:
            print('classifier', sess.run(logits).tolist(), round(float(sess.run(score)), 3),
                  prepared.shape.as_list(), float(sess.run(prepared).max()),
                  sess.run(activations)[0].tolist())
            print('same', [np.allclose(*sess.run(pair)) for pair in pairs])
        '''))
    result = tf1(['gan.py'], str(tmp_path))
    assert result.returncode == 0, result.stderr[-2000:]
    assert 'gan_train 3 True\nestimator 2 True\n' in result.stdout
    assert ('classifier [[1.0, -1.0], [1.0, -1.0]] 1.0 [2, 299, 299, 3] -1.0 '
            '[[1.0, -1.0], [1.0, -1.0]]') in result.stdout
    assert "tf 1.14 arguments True True {'output_tensor': 'pool_3:0'}" in result.stdout
    assert 'same [True, True]' in result.stdout
    assert 'paths True True True' in result.stdout
    assert "twice: classifier_score() got multiple values for argument 'images'" in result.stdout


def test_contrib_module_paths(tmp_path):
    """contrib.layers', contrib.framework's, contrib.factorization's and
    contrib.distributions' modules by their TF 1.x paths, as slim's nets, CTR models, k-means
    and VAE scripts import them, and tf.layers' (the NMT tutorial's layers_core): the
    package's names there, its modules below it."""
    (tmp_path / 'paths.py').write_text(textwrap.dedent('''\
        import tensorflow as tf
        from tensorflow.contrib.layers.python.layers import batch_norm, initializers
        from tensorflow.contrib.layers.python.layers import layers as layers_lib
        from tensorflow.contrib.layers.python.layers import feature_column as fc
        import tensorflow.contrib.layers.python.layers.utils as utils
        from tensorflow.contrib.framework.python.ops import arg_scope, add_arg_scope
        from tensorflow.contrib.framework.python.ops import variables as variables_lib
        from tensorflow.python.layers import core as layers_core
        from tensorflow.python.data import Dataset
        from tensorflow.contrib.factorization.python.ops import clustering_ops
        from tensorflow.contrib.distributions import bijectors as tfb, Normal
        print(clustering_ops.KMeans is tf.contrib.factorization.KMeans,
              tfb.Exp is tf.contrib.distributions.bijectors.Exp,
              Normal is tf.contrib.distributions.Normal)
        print(layers_core.Dense is tf.layers.Dense, Dataset is tf.data.Dataset,
              batch_norm is tf.contrib.layers.batch_norm,
              initializers.xavier_initializer is tf.contrib.layers.xavier_initializer,
              layers_lib.fully_connected is tf.contrib.layers.fully_connected,
              fc.sparse_column_with_keys is tf.contrib.layers.sparse_column_with_keys,
              utils.collect_named_outputs is tf.contrib.layers.utils.collect_named_outputs,
              arg_scope is tf.contrib.framework.arg_scope,
              add_arg_scope is tf.contrib.framework.add_arg_scope,
              variables_lib.model_variable is tf.contrib.framework.model_variable)
        '''))
    result = tf1(['paths.py'], str(tmp_path))
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.split() == ['True'] * 13


def test_contrib_module_paths_tf_1_15s_own_tests_import(tmp_path):
    """Where TF 1.15's unit tests (and scripts after them) import contrib's modules from:
    the same functions as tf.contrib's namespaces."""
    (tmp_path / 'paths.py').write_text(textwrap.dedent('''\
        import tensorflow as tf
        from tensorflow.contrib.crf.python.ops import crf
        from tensorflow.contrib.opt.python.training import adamax, moving_average_optimizer
        from tensorflow.contrib.nn.python.ops import alpha_dropout
        from tensorflow.contrib.losses.python.losses import loss_ops
        from tensorflow.contrib.losses.python.metric_learning import metric_loss_ops
        from tensorflow.contrib.training.python.training import training, evaluation
        from tensorflow.contrib.integrate.python.ops import odes
        from tensorflow.contrib.metrics.python.ops import metric_ops
        from tensorflow.contrib.image.python.ops import image_ops
        from tensorflow.contrib.slim.python.slim import model_analyzer
        from tensorflow.contrib.legacy_seq2seq.python.ops import seq2seq
        from tensorflow.contrib.saved_model.python.saved_model import keras_saved_model
        from tensorflow.contrib.seq2seq.python.ops.attention_wrapper import _compute_attention
        # TF 1.x's tensorflow.python held framework.ops as `ops` (a star import's doing);
        # the ops package's modules stay importable from it.
        from tensorflow.python import ops
        from tensorflow.python.ops import math_ops
        c = tf.contrib
        print(crf.crf_log_likelihood is c.crf.crf_log_likelihood,
              adamax.AdaMaxOptimizer is c.opt.AdaMaxOptimizer,
              moving_average_optimizer.MovingAverageOptimizer is c.opt.MovingAverageOptimizer,
              alpha_dropout.alpha_dropout is c.nn.alpha_dropout,
              loss_ops.add_loss is c.losses.add_loss,
              metric_loss_ops.triplet_semihard_loss is
              c.losses.metric_learning.triplet_semihard_loss,
              training.create_train_op is evaluation.create_train_op is
              c.training.create_train_op,
              odes.odeint is c.integrate.odeint,
              metric_ops.streaming_mean is c.metrics.streaming_mean,
              image_ops.rotate is c.image.rotate,
              model_analyzer.analyze_vars is c.slim.model_analyzer.analyze_vars,
              seq2seq.embedding_attention_seq2seq is
              c.legacy_seq2seq.embedding_attention_seq2seq,
              keras_saved_model.save_keras_model is c.saved_model.save_keras_model,
              callable(_compute_attention), ops.Graph is tf.Graph,
              ops.get_default_graph is tf.get_default_graph, math_ops.add is not None)
        '''))
    result = tf1(['paths.py'], str(tmp_path))
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.split() == ['True'] * 17


def test_rnn_and_seq2seq_module_paths_and_the_private_linear(tmp_path):
    """The cell modules custom cells imported from (rnn_cell_impl, contrib.rnn's
    core_rnn_cell, rnn_cell, lstm_ops ...) and contrib.seq2seq's modules: tf1's cells and
    seq2seq there, and TF 1.x's private `_linear` making `kernel` and `bias`."""
    (tmp_path / 'cells.py').write_text(textwrap.dedent('''\
        import tensorflow as tf
        from tensorflow.python.ops.rnn_cell_impl import RNNCell, _linear
        from tensorflow.contrib.rnn.python.ops.core_rnn_cell import _Linear
        from tensorflow.contrib.rnn.python.ops import rnn_cell, lstm_ops
        from tensorflow.contrib.seq2seq.python.ops import attention_wrapper, helper
        print(RNNCell is tf.nn.rnn_cell.RNNCell,
              lstm_ops.LSTMBlockCell is tf.contrib.rnn.LSTMBlockCell,
              rnn_cell.LayerNormLSTMCell is tf.contrib.rnn.LayerNormLSTMCell,
              attention_wrapper.LuongAttention is tf.contrib.seq2seq.LuongAttention,
              helper.TrainingHelper is tf.contrib.seq2seq.TrainingHelper)
        x, h = tf.ones([2, 3]), tf.ones([2, 4])
        with tf.variable_scope('old'):
            y = _linear([x, h], 5, True, 1.0)  # TF 1.2-1.3's bias_start
        with tf.variable_scope('new'):
            z = _Linear([x, h], 5, build_bias=False)([x, h])
        print(sorted(v.op.name for v in tf.global_variables()))
        with tf.Session() as session:
            session.run(tf.global_variables_initializer())
            print(session.run(y - tf.matmul(tf.concat([x, h], 1),
                                            tf.global_variables()[0])).round(5).tolist()[0][0])
        # TF 1.0-1.1's, 1.3-1.5's and 1.4's private helpers
        from tensorflow.contrib.rnn.python.ops.core_rnn_cell_impl import (
            _state_size_with_prefix)
        from tensorflow.python.ops.rnn_cell_impl import _like_rnncell, _LayerRNNCell
        print(_state_size_with_prefix(4, prefix=[2]), _like_rnncell(tf.nn.rnn_cell.GRUCell(2)),
              _like_rnncell(object()), _LayerRNNCell is tf.contrib.rnn.LayerRNNCell)
        '''))
    result = tf1(['cells.py'], str(tmp_path))
    assert result.returncode == 0, result.stderr[-2000:]
    lines = result.stdout.splitlines()
    assert lines[0].split() == ['True'] * 5
    assert lines[1] == "['new/kernel', 'old/bias', 'old/kernel']"
    assert lines[2] == '1.0'  # the bias started at bias_start
    assert lines[3] == '[2, 4] True False True'


def test_is_built_with_cuda_answers_as_tf1s_packages_did(tmp_path):
    """True only where a GPU can be used (TF 1.x's CPU package said False), so a script's
    GPU branch is not taken on a CPU-only machine."""
    (tmp_path / 'gpus.py').write_text(textwrap.dedent('''\
        import tensorflow as tf
        from tensorflow.python.client import device_lib
        gpus = [d for d in device_lib.list_local_devices() if d.device_type == 'GPU']
        print('cuda', tf.test.is_built_with_cuda() == bool(gpus))
        '''))
    result = tf1(['gpus.py'], str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert 'cuda True' in result.stdout


def test_pydoc_locate_and_import_module_in_a_script_find_tf_1_x_names(tmp_path):
    # google/seq2seq makes its configurable classes with pydoc.locate(dotted name); other
    # configurable code names its modules for importlib.import_module.
    (tmp_path / 'locate.py').write_text(textwrap.dedent('''\
        import importlib
        import json
        from pydoc import locate
        print(locate('tensorflow.contrib.rnn.BasicLSTMCell').__module__)
        print(locate('tensorflow.placeholder') is not None)
        slim = importlib.import_module('tensorflow.contrib.slim')
        print(slim.conv2d is locate('tensorflow.contrib.layers.conv2d'),
              importlib.import_module('numpy').int is int,
              importlib.import_module('json') is json)
        try:
            importlib.import_module('tensorflow.contrib.nonexistent')
        except ImportError as error:
            print(type(error).__name__)
        '''))
    result = tf1(['locate.py'], str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ['tf1.rnn_cell.lstm', 'True', 'True', 'True', 'True',
                                     'UnsupportedModuleError']


def test_a_scripts_own_graphs_module_is_its_own(tmp_path):
    """A graphs.py beside the script (a common name) is what its `import graphs` gives, as
    under TF 1.x, not this project's graphs package, which tf1 keeps using for MNIST."""
    mnist_dir = write_mnist_dir(str(tmp_path / 'mnist'))
    (tmp_path / 'graphs.py').write_text('def build():\n    return "my graphs"\n')
    (tmp_path / 'train.py').write_text(textwrap.dedent('''\
        import graphs
        from tensorflow.examples.tutorials.mnist import input_data, mnist
        data = input_data.read_data_sets('MNIST_data', one_hot=True, validation_size=100)
        print(graphs.build(), mnist.IMAGE_PIXELS, data.test.num_examples)
        '''))
    for cwd in (str(tmp_path), ROOT):  # `python -m tf1` puts the current directory first
        result = tf1([str(tmp_path / 'train.py')], cwd, mnist_dir=mnist_dir)
        assert result.returncode == 0, result.stderr[-2000:]
        assert result.stdout.split('\n')[-2] == 'my graphs 784 200'
