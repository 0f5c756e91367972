"""`python -m tf1 SCRIPT.py`: TF 1.x scripts run unchanged, as `python SCRIPT.py` ran them.

Every official TF 1.x MNIST tutorial (../shared/tf1_examples) is copied to a temporary
directory, its step count lowered there with the substitution its README gives, and run
through the runner on a small synthetic MNIST; the rest checks the runner's contract:
argv, __name__, __file__, exit status, tracebacks, scoping of the mapping, clear errors.
"""
import os
import re
import shutil
import subprocess
import sys
import textwrap

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


def tf1(args, cwd, mnist_dir=None, timeout=300):
    """Run `python -m tf1 ARGS` in `cwd` the way a user would (the project importable)."""
    env = dict(os.environ, PYTHONPATH=ROOT)
    env.pop('MNIST_DATA_DIR', None)
    if mnist_dir:
        env['MNIST_DATA_DIR'] = mnist_dir
    return subprocess.run([sys.executable, '-m', 'tf1'] + list(args), cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=timeout)


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
    (tmp_path / 'app.py').write_text(textwrap.dedent('''\
        import tensorflow as tf
        flags = tf.app.flags
        flags.DEFINE_integer('steps', 5, 'how many')
        FLAGS = flags.FLAGS
        def main(argv):
            print('steps', FLAGS.steps, 'rest', argv[1:])
            return 7
        if __name__ == '__main__':
            tf.app.run()
        '''))
    result = tf1(['app.py', '--steps', '9', 'extra'], str(tmp_path))
    assert result.returncode == 7, result.stderr
    assert "steps 9 rest ['extra']" in result.stdout


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


@pytest.mark.parametrize('line, expected', [
    ('import tensorflow as tf\ntf.contrib.slim.fully_connected', 'tf.contrib.slim (TF 1.x) is not provided'),
    ('from tensorflow.contrib import slim', 'tf.contrib.slim (TF 1.x) is not provided'),
    ('import tensorflow.contrib.slim as slim', 'tf.contrib.slim (TF 1.x) is not provided'),
    ('import tensorflow as tf\ntf.mul(1, 2)', 'use tf.multiply (renamed in TF 1.0)'),
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
            from tensorflow.contrib import slim
        except ImportError:
            print('no slim')
        print(hasattr(tf.contrib, 'slim'), hasattr(tf, 'placeholder'))
        '''))
    result = tf1(['probe.py'], str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ['no', 'slim', 'False', 'True']


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
