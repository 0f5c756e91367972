"""Tests of graphs/input_data.py: reading, validating, batching and downloading MNIST."""
import functools
import gzip
import hashlib
import http.server
import os
import shutil
import socket
import subprocess
import sys
import threading

import numpy as np
import pytest

from conftest import MNIST_FILES, ROOT, idx_bytes, run_script, synthetic_digits, write_idx, \
    write_mnist_dir
from graphs import input_data
from graphs.input_data import DataSet, MnistDataError, read_data_sets

TRAIN_IMAGES, TRAIN_LABELS, TEST_IMAGES, TEST_LABELS = MNIST_FILES


# --- reading good files ---------------------------------------------------------------------

def test_reads_gz_files_as_float32_in_unit_range(tiny_mnist):
    mnist = read_data_sets(tiny_mnist, validation_size=100)
    images, labels = synthetic_digits(600, seed=0)
    test_images, test_labels = synthetic_digits(200, seed=1)

    assert (mnist.train.num_examples, mnist.validation.num_examples,
            mnist.test.num_examples) == (500, 100, 200)
    assert mnist.train.images.shape == (500, 784) and mnist.train.images.dtype == np.float32
    assert mnist.train.labels.shape == (500,) and mnist.train.labels.dtype == np.uint8
    assert mnist.train.images.min() == 0.0 and mnist.train.images.max() == 1.0
    np.testing.assert_allclose(mnist.train.images, images[100:].reshape(500, 784) / 255.0,
                               rtol=1e-6)
    np.testing.assert_array_equal(mnist.train.labels, labels[100:])
    np.testing.assert_array_equal(mnist.test.labels, test_labels)
    np.testing.assert_allclose(mnist.test.images, test_images.reshape(200, 784) / 255.0,
                               rtol=1e-6)


def test_reads_decompressed_files(tmp_path):
    gz = read_data_sets(write_mnist_dir(str(tmp_path / 'gz'), 60, 20), validation_size=10)
    raw = read_data_sets(write_mnist_dir(str(tmp_path / 'raw'), 60, 20, gz=False),
                         validation_size=10)
    for split in ('train', 'validation', 'test'):
        np.testing.assert_array_equal(getattr(raw, split).images, getattr(gz, split).images)
        np.testing.assert_array_equal(getattr(raw, split).labels, getattr(gz, split).labels)


def test_prefers_the_gz_file_when_both_exist(tmp_path):
    directory = write_mnist_dir(str(tmp_path), 60, 20, seed=0)
    write_mnist_dir(str(tmp_path), 30, 10, gz=False, seed=5)
    mnist = read_data_sets(directory, validation_size=0)
    np.testing.assert_array_equal(mnist.train.labels, synthetic_digits(60, seed=0)[1])


def test_uint8_keeps_raw_pixels(tiny_mnist):
    mnist = read_data_sets(tiny_mnist, dtype=np.uint8, validation_size=100)
    assert mnist.train.images.dtype == np.uint8
    np.testing.assert_array_equal(mnist.train.images,
                                  synthetic_digits(600, seed=0)[0][100:].reshape(500, 784))
    mnist.train.images[0, 0] = 7  # the caller owns writable arrays, not views of the file


def test_reshape_false_gives_image_tensors(tiny_mnist):
    mnist = read_data_sets(tiny_mnist, reshape=False, validation_size=100)
    assert mnist.train.images.shape == (500, 28, 28, 1)
    assert mnist.test.images.shape == (200, 28, 28, 1)
    assert mnist.train.next_batch(8)[0].shape == (8, 28, 28, 1)


def test_one_hot_labels(tiny_mnist):
    mnist = read_data_sets(tiny_mnist, one_hot=True, validation_size=100)
    labels = synthetic_digits(600, seed=0)[1]
    for split, expected in ((mnist.train, labels[100:]), (mnist.validation, labels[:100])):
        assert split.labels.shape == (len(expected), 10) and split.labels.dtype == np.float32
        np.testing.assert_array_equal(split.labels.sum(axis=1), 1.0)
        np.testing.assert_array_equal(split.labels.argmax(axis=1), expected)


def test_validation_is_the_first_training_images(tiny_mnist):
    images, labels = synthetic_digits(600, seed=0)
    mnist = read_data_sets(tiny_mnist, dtype=np.uint8, validation_size=250)
    np.testing.assert_array_equal(mnist.validation.images, images[:250].reshape(250, 784))
    np.testing.assert_array_equal(mnist.validation.labels, labels[:250])
    np.testing.assert_array_equal(mnist.train.labels, labels[250:])

    assert read_data_sets(tiny_mnist, validation_size=0).validation.num_examples == 0
    assert read_data_sets(tiny_mnist, validation_size=600).train.num_examples == 0


@pytest.mark.parametrize('validation_size', [-1, 601, 5000])
def test_validation_size_out_of_range_is_a_clear_error(tiny_mnist, validation_size):
    with pytest.raises(ValueError, match='validation_size must be between 0 and 600'):
        read_data_sets(tiny_mnist, validation_size=validation_size)


@pytest.mark.parametrize('dtype', [np.float64, np.int32, 'float16', None])
def test_other_dtypes_are_rejected(tiny_mnist, dtype):
    with pytest.raises(TypeError, match='expected uint8 or float32'):
        read_data_sets(tiny_mnist, dtype=dtype, validation_size=100)


def test_accepts_a_tensorflow_style_dtype(tiny_mnist):
    class FakeTfDType(object):  # what tf.uint8 offers, without importing TensorFlow
        as_numpy_dtype = np.uint8

    mnist = read_data_sets(tiny_mnist, dtype=FakeTfDType(), validation_size=100)
    assert mnist.train.images.dtype == np.uint8


def test_default_data_dir_comes_from_the_environment(tiny_mnist, monkeypatch):
    monkeypatch.delenv('MNIST_DATA_DIR', raising=False)
    assert input_data.default_data_dir() == 'MNIST_data'
    monkeypatch.setenv('MNIST_DATA_DIR', tiny_mnist)
    assert input_data.default_data_dir() == tiny_mnist
    assert read_data_sets(validation_size=100).test.num_examples == 200


def test_cli_prints_split_sizes(tiny_mnist):
    result = run_script('-m', 'graphs.input_data', '--data_dir', tiny_mnist,
                        '--validation_size', '100', timeout=60)
    assert 'train 500, validation 100, test 200' in result.stdout


# --- next_batch -----------------------------------------------------------------------------

def numbered_data_set(count, seed=None):
    """A DataSet whose example i has label i and every pixel equal to i."""
    ids = np.arange(count, dtype=np.uint8)
    images = np.repeat(ids, 28 * 28).reshape(count, 28, 28)
    return DataSet(images, ids, dtype=np.uint8, seed=seed)


def take_batches(data_set, batch_size, count, shuffle=True):
    labels = []
    for _ in range(count):
        images, batch_labels = data_set.next_batch(batch_size, shuffle=shuffle)
        assert len(batch_labels) == batch_size
        np.testing.assert_array_equal(images[:, 0], batch_labels)  # images match labels
        labels.append(batch_labels)
    return np.concatenate(labels)


def test_every_example_once_per_epoch_across_stitched_batches():
    data_set = numbered_data_set(10, seed=0)
    seen = take_batches(data_set, batch_size=3, count=3)
    assert data_set.epochs_completed == 0
    seen = np.concatenate([seen, take_batches(data_set, batch_size=3, count=7)])  # 30 examples
    # As in the classic loader, an epoch counts as completed when the next batch crosses it.
    assert data_set.epochs_completed == 2
    for epoch in seen.reshape(3, 10):
        assert sorted(epoch) == list(range(10))
    data_set.next_batch(3)
    assert data_set.epochs_completed == 3


def test_shuffles_first_epoch_and_reshuffles_each_epoch():
    epochs = take_batches(numbered_data_set(100, seed=0), batch_size=50, count=6).reshape(3, 100)
    assert list(epochs[0]) != list(range(100))
    assert list(epochs[0]) != list(epochs[1]) and list(epochs[1]) != list(epochs[2])
    for epoch in epochs:
        assert sorted(epoch) == list(range(100))


def test_seed_makes_batch_order_reproducible():
    first = take_batches(numbered_data_set(50, seed=7), batch_size=7, count=20)
    again = take_batches(numbered_data_set(50, seed=7), batch_size=7, count=20)
    other = take_batches(numbered_data_set(50, seed=8), batch_size=7, count=20)
    np.testing.assert_array_equal(first, again)
    assert list(first) != list(other)


def test_seed_also_fixes_batches_of_read_data_sets(tiny_mnist):
    first = read_data_sets(tiny_mnist, validation_size=100, seed=3).train.next_batch(64)
    again = read_data_sets(tiny_mnist, validation_size=100, seed=3).train.next_batch(64)
    np.testing.assert_array_equal(first[0], again[0])
    np.testing.assert_array_equal(first[1], again[1])


def test_without_shuffle_batches_follow_file_order_and_wrap():
    seen = take_batches(numbered_data_set(10), batch_size=4, count=3, shuffle=False)
    assert list(seen) == list(range(10)) + [0, 1]


def test_shuffling_does_not_reorder_the_stored_arrays():
    data_set = numbered_data_set(10, seed=0)
    take_batches(data_set, batch_size=4, count=5)
    assert list(data_set.labels) == list(range(10))


@pytest.mark.parametrize('batch_size', [0, -1, 11])
def test_batch_size_must_fit_the_data_set(batch_size):
    with pytest.raises(ValueError, match='batch_size must be between 1 and 10'):
        numbered_data_set(10).next_batch(batch_size)


def test_data_set_rejects_mismatched_images_and_labels():
    with pytest.raises(ValueError, match='5 images but 4 labels'):
        DataSet(np.zeros((5, 28, 28), np.uint8), np.zeros(4, np.uint8))


# --- malformed files ------------------------------------------------------------------------

def good_arrays(name):
    images, labels = synthetic_digits(20, seed=0)
    return images if 'images' in name else labels


def corrupt(name, transform):
    """A writer that stores `transform(idx bytes of the good array)` as `name`."""
    def write(path):
        with gzip.open(path, 'wb') as f:
            f.write(transform(idx_bytes(good_arrays(name))))
    return write


def write_raw_bytes(data):
    def write(path):
        with open(path, 'wb') as f:
            f.write(data)
    return write


def with_magic(magic):
    return lambda data: magic.to_bytes(4, 'big') + data[4:]


def gzip_cut_short(path):
    data = gzip.compress(idx_bytes(good_arrays(path)))
    write_raw_bytes(data[:len(data) // 2])(path)


BAD_FILES = {
    'truncated images': (TEST_IMAGES, corrupt(TEST_IMAGES, lambda d: d[:-28 * 28 * 3]),
                         'truncated: header says 20 images but the file holds 17'),
    'truncated labels': (TRAIN_LABELS, corrupt(TRAIN_LABELS, lambda d: d[:-2]),
                         'truncated: header says 20 labels but the file holds 18'),
    'truncated header': (TRAIN_IMAGES, corrupt(TRAIN_IMAGES, lambda d: d[:10]),
                         'truncated: 10 bytes, shorter than the 16-byte IDX header'),
    'trailing bytes': (TEST_LABELS, corrupt(TEST_LABELS, lambda d: d + b'junk'),
                       '4 trailing bytes after the 20 labels'),
    'wrong magic': (TRAIN_IMAGES, corrupt(TRAIN_IMAGES, with_magic(0x12345678)),
                    'bad magic number 305419896 (expected 2051)'),
    'labels file as images': (TRAIN_IMAGES, corrupt(TRAIN_LABELS, lambda d: d + bytes(8)),
                              'bad magic number 2049 (expected 2051): has 1 dimensions'),
    'two-dimensional labels': (TEST_LABELS, corrupt(TEST_LABELS, with_magic(2050)),
                               'bad magic number 2050 (expected 2049): has 2 dimensions'),
    'wrong image size': (TEST_IMAGES, lambda path: write_idx(path, np.zeros((20, 32, 32))),
                         'images are 32x32, expected 28x28'),
    'not gzip': (TRAIN_LABELS, write_raw_bytes(idx_bytes(good_arrays(TRAIN_LABELS))),
                 'not a valid gzip file'),
    'gzip cut short': (TRAIN_IMAGES, gzip_cut_short, 'not a valid gzip file'),
    'label out of range': (TEST_LABELS, lambda path: write_idx(path, [3] * 7 + [10] + [1] * 12),
                           'label 10 at index 7 is out of range 0..9'),
    'count mismatch': (TRAIN_LABELS, lambda path: write_idx(path, good_arrays(path)[:19]),
                       'holds 19 labels but'),
}


@pytest.mark.parametrize('case', sorted(BAD_FILES))
def test_malformed_file_gives_one_line_error_naming_it(tmp_path, case):
    name, write_bad_file, expected = BAD_FILES[case]
    directory = write_mnist_dir(str(tmp_path), 20, 20)
    write_bad_file(os.path.join(directory, name))
    with pytest.raises(MnistDataError) as error:
        read_data_sets(directory, validation_size=5)
    message = str(error.value)
    assert isinstance(error.value, ValueError)
    assert '\n' not in message
    assert message.startswith(os.path.join(directory, name) + ':')
    assert expected in message


def test_a_file_for_the_directory_or_a_directory_for_a_file_is_named(tiny_mnist, tmp_path):
    # Not "MNIST is missing ... could not be downloaded", which sends the user looking
    # for a network problem.
    not_a_dir = tmp_path / 'README.md'
    not_a_dir.write_text('notes')
    with pytest.raises(MnistDataError, match=r'README.md is not a directory: give the '):
        read_data_sets(str(not_a_dir))
    data_dir = tmp_path / 'data'
    shutil.copytree(tiny_mnist, data_dir)
    os.remove(data_dir / MNIST_FILES[1])
    os.mkdir(data_dir / MNIST_FILES[1])
    with pytest.raises(MnistDataError, match=r'%s is not a file' % MNIST_FILES[1]):
        read_data_sets(str(data_dir))


def test_malformed_decompressed_file_is_named_without_gz(tmp_path):
    directory = write_mnist_dir(str(tmp_path), 20, 20, gz=False)
    path = os.path.join(directory, TEST_LABELS[:-3])
    with open(path, 'ab') as f:
        f.write(b'x')
    with pytest.raises(MnistDataError, match='^%s: 1 trailing bytes' % path):
        read_data_sets(directory, validation_size=5)


# --- downloading ----------------------------------------------------------------------------

class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture
def serve(monkeypatch):
    """serve(directory) -> the base URL of an HTTP server on 127.0.0.1 serving `directory`."""
    monkeypatch.setenv('no_proxy', '*')  # never send these requests through a proxy
    servers = []

    def start(directory):
        server = http.server.ThreadingHTTPServer(
            ('127.0.0.1', 0), functools.partial(QuietHandler, directory=directory))
        threading.Thread(target=server.serve_forever, kwargs={'poll_interval': 0.05},
                         daemon=True).start()
        servers.append(server)
        return 'http://127.0.0.1:%d/' % server.server_address[1]

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


@pytest.fixture
def mirror(tmp_path, monkeypatch):
    """A directory of good MNIST files whose md5s become the expected ones."""
    directory = write_mnist_dir(str(tmp_path / 'mirror'), 60, 20)
    monkeypatch.setattr(input_data, 'EXPECTED_MD5', {name: md5_of(os.path.join(directory, name))
                                                     for name in MNIST_FILES})
    return directory


def md5_of(path):
    with open(path, 'rb') as f:
        return hashlib.md5(f.read()).hexdigest()


def closed_port_url():
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return 'http://127.0.0.1:%d/' % s.getsockname()[1]


def test_downloads_missing_files(tmp_path, mirror, serve, capsys):
    target = str(tmp_path / 'data')
    mnist = read_data_sets(target, validation_size=10, source_url=[serve(mirror)])
    assert mnist.train.num_examples == 50 and mnist.test.num_examples == 20
    assert sorted(os.listdir(target)) == sorted(MNIST_FILES)
    for name in MNIST_FILES:
        assert md5_of(os.path.join(target, name)) == input_data.EXPECTED_MD5[name]
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 4 and all(line.startswith('Downloaded ') for line in lines)


def test_mirrors_come_from_the_environment(tmp_path, mirror, serve, monkeypatch):
    monkeypatch.setenv('MNIST_SOURCE_URLS', closed_port_url() + ', ' + serve(mirror))
    mnist = read_data_sets(str(tmp_path / 'data'), validation_size=10)
    assert mnist.test.num_examples == 20


def test_only_missing_files_are_downloaded_and_local_ones_judged_by_content(tmp_path, mirror,
                                                                              serve):
    target = str(tmp_path / 'data')
    os.makedirs(target)
    # Same content as the mirror's but decompressed, so its bytes match no md5: still used.
    write_idx(os.path.join(target, TRAIN_LABELS[:-3]), synthetic_digits(60, seed=0)[1])
    read_data_sets(target, validation_size=10, source_url=[serve(mirror)])
    assert sorted(os.listdir(target)) == sorted([TRAIN_IMAGES, TRAIN_LABELS[:-3],
                                                 TEST_IMAGES, TEST_LABELS])


def test_corrupt_download_is_rejected_and_next_mirror_used(tmp_path, mirror, serve, capsys):
    bad_mirror = str(tmp_path / 'bad')
    shutil.copytree(mirror, bad_mirror)
    with open(os.path.join(bad_mirror, TRAIN_IMAGES), 'r+b') as f:
        f.seek(100)
        f.write(b'corrupted')
    os.remove(os.path.join(bad_mirror, TEST_LABELS))  # a 404 on the first mirror
    target = str(tmp_path / 'data')
    mnist = read_data_sets(target, validation_size=10, dtype=np.uint8,
                           source_url=[serve(bad_mirror), serve(mirror)])
    np.testing.assert_array_equal(mnist.validation.images,
                                  synthetic_digits(60, seed=0)[0][:10].reshape(10, 784))
    assert md5_of(os.path.join(target, TRAIN_IMAGES)) == md5_of(os.path.join(mirror,
                                                                              TRAIN_IMAGES))
    assert sorted(os.listdir(target)) == sorted(MNIST_FILES)
    out = capsys.readouterr().out
    assert 'Downloaded %s' % TRAIN_IMAGES in out and 'Downloaded %s' % TEST_LABELS in out


def test_all_mirrors_failing_is_a_clear_error(tmp_path, mirror, serve):
    bad_mirror = str(tmp_path / 'bad')
    os.makedirs(bad_mirror)
    with open(os.path.join(bad_mirror, TRAIN_IMAGES), 'wb') as f:
        f.write(b'not the file')
    urls = [serve(bad_mirror), closed_port_url()]
    target = str(tmp_path / 'data')
    with pytest.raises(MnistDataError) as error:
        read_data_sets(target, validation_size=10, source_url=urls)
    message = str(error.value)
    assert all(name in message for name in MNIST_FILES)
    assert os.path.abspath(target) in message
    assert urls[0] + TRAIN_IMAGES + ' (md5 ' in message
    assert urls[1] + TRAIN_IMAGES + ' (' in message
    assert '\n' not in message
    assert not os.path.exists(target) or os.listdir(target) == []  # nothing partial left


def test_cli_reports_errors_on_stderr(tmp_path):
    env = dict(os.environ, MNIST_SOURCE_URLS=closed_port_url(), no_proxy='*')
    result = subprocess.run([sys.executable, '-m', 'graphs.input_data',
                             '--data_dir', str(tmp_path / 'none')],
                            cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert result.stderr.startswith('error: MNIST is missing and could not be downloaded')
    assert len(result.stderr.splitlines()) == 1


# --- the real data set ----------------------------------------------------------------------

def test_real_mnist(real_mnist):
    mnist = read_data_sets(real_mnist)
    assert (mnist.train.num_examples, mnist.validation.num_examples,
            mnist.test.num_examples) == (55000, 5000, 10000)
    assert mnist.train.images.shape == (55000, 784) and mnist.train.images.dtype == np.float32
    assert mnist.train.images.min() == 0.0 and mnist.train.images.max() == 1.0
    assert 0.1 < mnist.train.images.mean() < 0.15  # mostly background
    # The classic validation split is the first 5,000 training images, in file order.
    assert list(mnist.validation.labels[:10]) == [5, 0, 4, 1, 9, 2, 1, 3, 1, 4]
    assert list(mnist.test.labels[:10]) == [7, 2, 1, 0, 4, 1, 4, 9, 5, 9]
    for split, per_class in ((mnist.train, 5500), (mnist.test, 1000)):
        counts = np.bincount(split.labels, minlength=10)
        assert len(counts) == 10 and counts.sum() == split.num_examples
        assert counts.min() > 0.8 * per_class and counts.max() < 1.25 * per_class


def test_signatures_are_tf1s_with_fake_data_second():
    """TF 1.x scripts pass fake_data positionally: read_data_sets(dir, FLAGS.fake_data)
    and next_batch(n, FLAGS.fake_data)."""
    import inspect
    positional = [name for name, p in inspect.signature(read_data_sets).parameters.items()
                  if p.kind == p.POSITIONAL_OR_KEYWORD]  # then keyword-only: data_set_class
    assert positional == [
        'train_dir', 'fake_data', 'one_hot', 'dtype', 'reshape', 'validation_size', 'seed',
        'source_url']
    assert list(inspect.signature(DataSet.next_batch).parameters) == [
        'self', 'batch_size', 'fake_data', 'shuffle']
    assert list(inspect.signature(DataSet).parameters)[:4] == [
        'images', 'labels', 'fake_data', 'one_hot']


@pytest.mark.parametrize('one_hot', [False, True])
def test_fake_data_is_what_tf1_returned(tmp_path, one_hot):
    mnist = read_data_sets(str(tmp_path / 'nothing_here'), True, one_hot=one_hot)
    assert not os.path.exists(tmp_path / 'nothing_here')  # nothing read, nothing downloaded
    for split in mnist:
        assert split.num_examples == 10000 and len(split.images) == 0
    images, labels = mnist.train.next_batch(3, True)
    assert images == [[1] * 784] * 3
    assert labels == ([[1] + [0] * 9] * 3 if one_hot else [0, 0, 0])


def test_a_positional_fake_data_on_real_files_reads_them(tiny_mnist):
    mnist = read_data_sets(tiny_mnist, False, True, validation_size=100)  # dir, fake, one_hot
    assert mnist.train.labels.shape[1] == 10
    images, _ = mnist.train.next_batch(5, False, False)  # (batch_size, fake_data, shuffle)
    np.testing.assert_array_equal(images, mnist.train.images[:5])
