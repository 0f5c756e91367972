"""Shared fixtures: tiny IDX data sets written by the tests themselves, and the real MNIST.

The real data set is used only where a test needs true accuracy figures; it is found at
$MNIST_DATA_DIR (CI points this at ../shared/mnist) and tests that need it skip cleanly
when it is absent.
"""
import gzip
import os
import struct
import subprocess
import sys

import numpy as np
import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)

from graphs.contract import IMAGE_SIZE  # noqa: E402  (needs ROOT on the path)

MNIST_FILES = ('train-images-idx3-ubyte.gz', 'train-labels-idx1-ubyte.gz',
               't10k-images-idx3-ubyte.gz', 't10k-labels-idx1-ubyte.gz')


def idx_bytes(array):
    """Serialise a uint8 array in the IDX format (magic 2051 for images, 2049 for labels)."""
    array = np.asarray(array, dtype=np.uint8)
    magic = 2051 if array.ndim == 3 else 2049
    header = struct.pack('>I', magic) + b''.join(struct.pack('>I', d) for d in array.shape)
    return header + array.tobytes()


def write_idx(path, array):
    """Write `array` as an IDX file, gzip-compressed when `path` ends in .gz."""
    data = idx_bytes(array)
    opener = gzip.open if path.endswith('.gz') else open
    with opener(path, 'wb') as f:
        f.write(data)
    return path


def synthetic_digits(count, seed=0):
    """Images a model can learn in a few steps: class k is a bright bar at row 3 + 2k,
    with a little noise, so tests can check that training really does learn."""
    rng = np.random.RandomState(seed)
    labels = rng.randint(0, 10, size=count).astype(np.uint8)
    images = (rng.rand(count, IMAGE_SIZE, IMAGE_SIZE) * 40).astype(np.uint8)
    for i, label in enumerate(labels):
        row = 3 + 2 * int(label)
        images[i, row:row + 2, 4:24] = 255
    return images, labels


def write_mnist_dir(directory, train_count=600, test_count=200, gz=True, seed=0):
    """Write the four MNIST files of a small synthetic data set into `directory`."""
    os.makedirs(directory, exist_ok=True)
    train_images, train_labels = synthetic_digits(train_count, seed)
    test_images, test_labels = synthetic_digits(test_count, seed + 1)
    arrays = (train_images, train_labels, test_images, test_labels)
    for name, array in zip(MNIST_FILES, arrays):
        write_idx(os.path.join(directory, name if gz else name[:-3]), array)
    return directory


@pytest.fixture(scope='session')
def tiny_mnist(tmp_path_factory):
    """A directory holding a small synthetic MNIST (600 train, 200 test images)."""
    return write_mnist_dir(str(tmp_path_factory.mktemp('tiny_mnist')))


@pytest.fixture(scope='session')
def real_mnist():
    """The complete real MNIST, or a clean skip when it is not on this machine."""
    directory = os.environ.get('MNIST_DATA_DIR', os.path.join(ROOT, '..', 'shared', 'mnist'))
    if not all(os.path.exists(os.path.join(directory, name)) for name in MNIST_FILES):
        pytest.skip('real MNIST not found at %s (set MNIST_DATA_DIR)' % directory)
    return directory


def standalone_keras(name, *fromlist):
    """What `from <name> import <fromlist>` (or `import <name>`) gives standalone Keras code
    under `python -m tf1`."""
    from tf1 import api
    return api.import_keras(name, list(fromlist) or ['__name__'])


def run_script(*args, timeout=300, cwd=ROOT, check=True):
    """Run a project script in a fresh Python process; return the CompletedProcess."""
    result = subprocess.run([sys.executable] + list(args), cwd=cwd, capture_output=True,
                            text=True, timeout=timeout)
    if check and result.returncode != 0:
        raise AssertionError('%s failed (exit %d):\n%s\n%s' % (
            ' '.join(args), result.returncode, result.stdout[-3000:], result.stderr[-3000:]))
    return result


def train(script, data_dir, out, *extra):
    """Train with `script` (e.g. 'train_nn.py') on `data_dir` for a test: small validation
    split and batch, outputs under `out`/model/NAME and `out`/eventlog/NAME.
    Returns (stdout, model_dir)."""
    name = script[len('train_'):-len('.py')]
    model_dir, log_dir = os.path.join(out, 'model', name), os.path.join(out, 'eventlog', name)
    result = run_script(script, '--data_dir', data_dir, '--model_dir', model_dir,
                        '--log_dir', log_dir, '--validation_size', '100', '--batch_size', '50',
                        '--eval_every', '50', *extra)
    return result.stdout, model_dir


@pytest.fixture
def tf_log():
    """The lines TensorFlow logs at INFO while a test runs."""
    import logging
    import tensorflow.compat.v1 as tf
    records = []
    handler = logging.Handler()
    handler.emit = lambda record: records.append(record.getMessage())
    logger, verbosity = tf.get_logger(), tf.logging.get_verbosity()
    logger.addHandler(handler)
    tf.logging.set_verbosity(tf.logging.INFO)
    yield records
    logger.removeHandler(handler)
    tf.logging.set_verbosity(verbosity)


@pytest.fixture
def fresh_graph():
    """A new default graph for the test: TF 1.x graph mode, nothing left from others."""
    import tensorflow.compat.v1 as tf
    with tf.Graph().as_default():
        yield


@pytest.fixture
def evaluate():
    """evaluate(*tensors): their values, from a session of the default graph whose
    variables were initialised first."""
    import tensorflow.compat.v1 as tf

    def run(*tensors):
        with tf.Session() as session:
            session.run(tf.global_variables_initializer())
            return session.run(list(tensors))
    return run
