"""MNIST loader with the classic `tensorflow.examples.tutorials.mnist.input_data` API, for TF 2.x.

TensorFlow 2.x no longer ships the tutorials' loader, so this is a stand-alone replacement
built on NumPy and the standard library only (it never imports TensorFlow):

    from graphs import input_data
    mnist = input_data.read_data_sets('MNIST_data', one_hot=True)
    batch_xs, batch_ys = mnist.train.next_batch(100)
    mnist.test.images, mnist.test.labels

It reads the four original IDX files (gzip-compressed, or already decompressed under the same
names without `.gz`) and downloads the missing ones from a list of mirrors. How it differs from
the classic loader:

- Every file is validated (magic number, dimensions, 28x28 size, counts against the real length,
  gzip integrity, label range, images/labels pairing); any problem raises MnistDataError with a
  one-line message naming the file, instead of a NumPy or gzip traceback.
- Downloads try several mirrors, verify the official md5 and are written atomically. A file that
  is already present is judged by its content, not its md5, so a re-compressed copy is fine.
- `train_dir` defaults to $MNIST_DATA_DIR, else `MNIST_data`; mirrors can be set with
  $MNIST_SOURCE_URLS (comma-separated) or `source_url` (one base URL, as in the classic
  loader, or a list of them).
- Each DataSet shuffles with its own RandomState, so `seed` makes the batch order reproducible
  without touching NumPy's global random state. Shuffling permutes an index, not the data, so
  `images` and `labels` keep the file's order (the classic loader reordered them in place).
- One-hot labels are float32; dense labels are uint8. `dtype` is float32 (pixels / 255, in
  [0, 1]) or uint8 (raw 0..255). `fake_data=True` gives what the classic loader gave: empty
  splits that report 10,000 examples and serve batches of all-ones images labelled 0.

Run `python -m graphs.input_data [--data_dir DIR]` to fetch the data and print the split sizes.
"""
import argparse
import collections
import gzip
import hashlib
import os
import struct
import sys
import tempfile
import zlib

import numpy as np

from graphs.contract import IMAGE_PIXELS, IMAGE_SIZE, NUM_CLASSES

MNIST_FILES = ('train-images-idx3-ubyte.gz', 'train-labels-idx1-ubyte.gz',
               't10k-images-idx3-ubyte.gz', 't10k-labels-idx1-ubyte.gz')

# md5 of the official .gz files; only fresh downloads are checked against it.
EXPECTED_MD5 = {
    'train-images-idx3-ubyte.gz': 'f68b3c2dcbeaaa9fbdd348bbdeb94873',
    'train-labels-idx1-ubyte.gz': 'd53e105ee54ea40749a09fcbcd1e9432',
    't10k-images-idx3-ubyte.gz': '9fb629c4189551a2d022fa330f9573f3',
    't10k-labels-idx1-ubyte.gz': 'ec29112dd5afa0611ce80d1b7f02629c',
}

DEFAULT_SOURCE_URLS = ('https://storage.googleapis.com/cvdf-datasets/mnist/',
                       'https://ossci-datasets.s3.amazonaws.com/mnist/',
                       'http://yann.lecun.com/exdb/mnist/')
DOWNLOAD_TIMEOUT_S = 30

IMAGES_MAGIC = 2051  # IDX: unsigned bytes (0x08), 3 dimensions (count, rows, columns)
LABELS_MAGIC = 2049  # IDX: unsigned bytes (0x08), 1 dimension (count)

Datasets = collections.namedtuple('Datasets', ['train', 'validation', 'test'])

# The number of examples a fake_data DataSet reports, as the classic loader did.
FAKE_EXAMPLES = 10000


class MnistDataError(ValueError):
    """An MNIST file is missing, unreadable or malformed; the message names the file."""


def default_data_dir():
    """Where the data lives when no directory is given: $MNIST_DATA_DIR, else MNIST_data."""
    return os.environ.get('MNIST_DATA_DIR') or 'MNIST_data'


def _image_dtype(dtype):
    """float32 or uint8 as a NumPy dtype; a TensorFlow DType is accepted too."""
    try:
        # tf.float32 and friends carry their NumPy twin; this avoids importing TensorFlow.
        numpy_dtype = np.dtype(getattr(dtype, 'as_numpy_dtype', dtype))
    except (TypeError, ValueError):
        numpy_dtype = None
    if numpy_dtype not in (np.float32, np.uint8):
        raise TypeError('Invalid image dtype %r, expected uint8 or float32' % (dtype,))
    return numpy_dtype


class DataSet(object):
    """Images and labels of one split, served in shuffled mini-batches by next_batch()."""

    def __init__(self, images, labels, fake_data=False, one_hot=False, dtype=np.float32,
                 reshape=True, seed=None):
        """`images`: uint8 [N, 28, 28] (or [N, 28, 28, 1], [N, 784]); `labels`: [N] or [N, 10].

        Images become float32 in [0, 1] or stay uint8, shaped [N, 784] when `reshape` is
        true, else [N, 28, 28, 1]. `seed` fixes the shuffling order (None: random).
        The classic loader's parameter order, `fake_data` and `one_hot` included: with
        `fake_data` the data are ignored and next_batch(n, fake_data=True) serves n fake
        examples, one-hot labelled when `one_hot`.
        """
        dtype = _image_dtype(dtype)
        self.one_hot = one_hot
        if fake_data:
            images, labels = np.zeros((0, IMAGE_SIZE, IMAGE_SIZE), np.uint8), np.zeros(0, np.uint8)
        images, labels = np.asarray(images), np.asarray(labels)
        if len(images) != len(labels):
            raise ValueError('%d images but %d labels' % (len(images), len(labels)))
        shape = (-1, IMAGE_PIXELS) if reshape else (-1, IMAGE_SIZE, IMAGE_SIZE, 1)
        images = images.reshape(shape)
        if dtype == np.float32:
            images = images.astype(np.float32)
            images *= 1.0 / 255.0  # in place: no second full-size float copy
        else:
            images = images.copy()  # own, writable memory, not a view of the file's bytes
        self._images = images
        self._labels = labels.copy()  # writable, unlike a view of the file's bytes
        self._num_examples = len(images)
        if fake_data:
            self._num_examples = FAKE_EXAMPLES  # what the classic loader reported
        self._rng = np.random.RandomState(seed)
        self._order = np.arange(self._num_examples)  # example indices in batch order
        self._epochs_completed = 0
        self._index_in_epoch = 0

    @property
    def images(self):
        return self._images

    @property
    def labels(self):
        return self._labels

    @property
    def num_examples(self):
        return self._num_examples

    @property
    def epochs_completed(self):
        return self._epochs_completed

    def next_batch(self, batch_size, fake_data=False, shuffle=True):
        """Return the next `batch_size` examples as (images, labels).

        Every example is seen once per epoch. The order is shuffled before the first batch and
        again at each new epoch; a batch that crosses the end of an epoch is the rest of that
        epoch followed by the start of the next. `fake_data` (second, as in the classic
        loader) returns lists of all-ones images labelled 0, as the classic loader did.
        """
        if fake_data:
            fake_label = [1] + [0] * (NUM_CLASSES - 1) if self.one_hot else 0
            return ([[1] * IMAGE_SIZE * IMAGE_SIZE for _ in range(batch_size)],
                    [fake_label for _ in range(batch_size)])
        self._check_batch_size(batch_size)
        start = self._index_in_epoch
        if self._epochs_completed == 0 and start == 0 and shuffle:
            self._order = self._rng.permutation(self._num_examples)
        if start + batch_size <= self._num_examples:
            self._index_in_epoch = start + batch_size
            return self._take(self._order[start:self._index_in_epoch])
        self._epochs_completed += 1
        rest = self._order[start:]
        if shuffle:
            self._order = self._rng.permutation(self._num_examples)
        self._index_in_epoch = batch_size - len(rest)
        return self._take(np.concatenate([rest, self._order[:self._index_in_epoch]]))

    def _check_batch_size(self, batch_size):
        if not 0 < batch_size <= self._num_examples:
            raise ValueError('batch_size must be between 1 and %d (the number of examples), got %r'
                             % (self._num_examples, batch_size))

    def _take(self, indices):
        return self._images[indices], self._labels[indices]


def _read_bytes(path):
    """The file's content, decompressed when its name ends in .gz."""
    try:
        if not path.endswith('.gz'):
            with open(path, 'rb') as f:
                return f.read()
        with gzip.open(path, 'rb') as f:
            return f.read()
    except (gzip.BadGzipFile, EOFError, zlib.error) as e:
        raise MnistDataError('%s: not a valid gzip file (%s)' % (path, e)) from None
    except OSError as e:
        raise MnistDataError('%s: cannot read: %s' % (path, e.strerror or e)) from None


def parse_idx(path, data, magic, item_name, count=None):
    """Check an IDX file's header against its length; return its body as a uint8 array:
    every record the header announces, or only the first `count` (a set being appended
    to, graphs/extra_data.py: more bytes may follow them)."""
    ndim = magic & 0xff
    header_size = 4 * (1 + ndim)
    if len(data) < header_size:
        raise MnistDataError('%s: truncated: %d bytes, shorter than the %d-byte IDX header'
                             % (path, len(data), header_size))
    found_magic, = struct.unpack('>I', data[:4])
    if found_magic != magic:
        if found_magic >> 8 == magic >> 8:  # right element type, wrong number of dimensions
            problem = 'has %d dimensions, expected %d' % (found_magic & 0xff, ndim)
        else:
            problem = 'is not an MNIST %s file' % item_name[:-1]
        raise MnistDataError('%s: bad magic number %d (expected %d): %s'
                             % (path, found_magic, magic, problem))
    shape = struct.unpack('>%dI' % ndim, data[4:header_size])
    if ndim == 3 and shape[1:] != (IMAGE_SIZE, IMAGE_SIZE):
        raise MnistDataError('%s: %s are %s, expected %dx%d' % (
            path, item_name, 'x'.join(map(str, shape[1:])), IMAGE_SIZE, IMAGE_SIZE))
    whole, count = count is None, shape[0] if count is None else count
    item_size = int(np.prod(shape[1:]))
    body_size = len(data) - header_size
    if body_size < count * item_size:
        raise MnistDataError('%s: truncated: header says %d %s but the file holds %d'
                             % (path, count, item_name, body_size // item_size))
    if whole and body_size > count * item_size:
        raise MnistDataError('%s: %d trailing bytes after the %d %s the header announces'
                             % (path, body_size - count * item_size, count, item_name))
    return np.frombuffer(data, np.uint8, count=count * item_size,
                         offset=header_size).reshape((count,) + shape[1:])


def read_images(path):
    """uint8 images [N, 28, 28] from an IDX image file (.gz or not)."""
    return parse_idx(path, _read_bytes(path), IMAGES_MAGIC, 'images')


def read_labels(path):
    """uint8 labels [N], each 0..9, from an IDX label file (.gz or not)."""
    return checked_labels(path, parse_idx(path, _read_bytes(path), LABELS_MAGIC, 'labels'))


def checked_labels(path, labels):
    """`labels` when each is 0..9, else MnistDataError naming the first one out of range."""
    if len(labels) and labels.max() >= NUM_CLASSES:
        index = int(np.argmax(labels >= NUM_CLASSES))
        raise MnistDataError('%s: label %d at index %d is out of range 0..%d'
                             % (path, labels[index], index, NUM_CLASSES - 1))
    return labels


def _read_pair(images_path, labels_path):
    images, labels = read_images(images_path), read_labels(labels_path)
    if len(images) != len(labels):
        raise MnistDataError('%s: holds %d labels but %s holds %d images'
                             % (labels_path, len(labels), images_path, len(images)))
    return images, labels


def dense_to_one_hot(labels):
    one_hot = np.zeros((len(labels), NUM_CLASSES), dtype=np.float32)
    one_hot[np.arange(len(labels)), labels] = 1.0
    return one_hot


def _source_urls(source_urls):
    """The mirrors to try: the argument (one URL or a list), else $MNIST_SOURCE_URLS, else
    the defaults."""
    if source_urls is None:
        source_urls = os.environ.get('MNIST_SOURCE_URLS', '').split(',')
        source_urls = [url.strip() for url in source_urls if url.strip()] or DEFAULT_SOURCE_URLS
    elif isinstance(source_urls, str):
        source_urls = [source_urls]
    return list(source_urls)


def fetch(url):
    """The bytes at `url`; any failure is an OSError whose message says why."""
    # Imported here: urllib.request costs more to import than the rest of this module, and
    # most runs find the files already on disk.
    import http.client
    import urllib.error
    import urllib.request
    try:
        with urllib.request.urlopen(url, timeout=DOWNLOAD_TIMEOUT_S) as response:
            return response.read()
    except urllib.error.HTTPError as e:
        raise OSError('HTTP %d %s' % (e.code, e.reason)) from None
    except urllib.error.URLError as e:  # the real cause (refused, unknown host) is in .reason
        raise OSError(str(e.reason)) from None
    except (OSError, ValueError, http.client.HTTPException) as e:
        raise OSError(str(e) or type(e).__name__) from None


def write_atomically(path, data):
    """Write `data` to `path` so that the name never holds a partial file."""
    directory, name = os.path.split(path)
    fd, temp_path = tempfile.mkstemp(prefix='.' + name + '.', suffix='.part', dir=directory)
    try:
        with os.fdopen(fd, 'wb') as f:
            f.write(data)
        os.replace(temp_path, path)
    except BaseException:
        os.remove(temp_path)
        raise


def _download(name, directory, source_urls):
    """Fetch `name` from the first mirror that serves the official bytes; return its path."""
    path = os.path.join(directory, name)
    failures = []
    for base_url in source_urls:
        url = base_url.rstrip('/') + '/' + name
        try:
            data = fetch(url)
        except OSError as e:
            failures.append('%s (%s)' % (url, e))
            continue
        md5 = hashlib.md5(data).hexdigest()
        if md5 != EXPECTED_MD5[name]:
            failures.append('%s (md5 %s, expected %s)' % (url, md5, EXPECTED_MD5[name]))
            continue
        try:
            os.makedirs(directory, exist_ok=True)
            write_atomically(path, data)
        except OSError as e:
            raise MnistDataError('%s: cannot write: %s' % (path, e.strerror or e)) from None
        print('Downloaded %s (%d bytes) from %s' % (name, len(data), base_url))
        return path
    raise MnistDataError(
        'MNIST is missing and could not be downloaded: put %s into %s (mirrors tried: %s)'
        % (', '.join(MNIST_FILES), os.path.abspath(directory), '; '.join(failures) or 'none'))


def _local_or_download(name, directory, source_urls):
    """The path of `name` (or of its decompressed twin) in `directory`, downloading if absent."""
    for path in (os.path.join(directory, name), os.path.join(directory, name[:-len('.gz')])):
        if os.path.isfile(path):
            return path
        if os.path.exists(path):
            raise MnistDataError('%s is not a file (MNIST\'s %s)' % (path, name))
    return _download(name, directory, source_urls)


def load_arrays(directory, source_urls=None):
    """((train images, train labels), (test images, test labels)) of MNIST in `directory`,
    uint8 [N, 28, 28] and [N] in the files' order, downloading missing files."""
    if os.path.exists(directory) and not os.path.isdir(directory):
        raise MnistDataError('%s is not a directory: give the directory that holds (or will '
                             'hold) MNIST\'s four files' % directory)
    source_urls = _source_urls(source_urls)
    paths = [_local_or_download(name, directory, source_urls) for name in MNIST_FILES]
    return _read_pair(paths[0], paths[1]), _read_pair(paths[2], paths[3])


def read_data_sets(train_dir=None, fake_data=False, one_hot=False, dtype=np.float32,
                   reshape=True, validation_size=5000, seed=None, source_url=None, *,
                   data_set_class=DataSet):
    """Datasets(train, validation, test) of MNIST in `train_dir`, downloading missing files.

    The classic loader's signature, parameter for parameter (scripts pass `fake_data`
    positionally). The validation split is the first `validation_size` training images, as
    in the classic loader. `fake_data` reads nothing: see DataSet. `data_set_class` makes
    the three splits (tf1's has TF 1.x's shuffling).
    """
    dtype = _image_dtype(dtype)  # fail before any download
    if fake_data:
        def fake():
            return data_set_class([], [], fake_data=True, one_hot=one_hot, dtype=dtype,
                                  seed=seed)
        return Datasets(train=fake(), validation=fake(), test=fake())
    train_dir = default_data_dir() if train_dir is None else train_dir
    (train_images, train_labels), (test_images, test_labels) = load_arrays(train_dir,
                                                                           source_url)
    if not 0 <= validation_size <= len(train_images):
        raise ValueError('validation_size must be between 0 and %d (the number of training '
                         'images), got %r' % (len(train_images), validation_size))
    if one_hot:
        train_labels, test_labels = dense_to_one_hot(train_labels), dense_to_one_hot(test_labels)

    def data_set(images, labels):
        return data_set_class(images, labels, one_hot=one_hot, dtype=dtype, reshape=reshape,
                              seed=seed)

    return Datasets(train=data_set(train_images[validation_size:], train_labels[validation_size:]),
                    validation=data_set(train_images[:validation_size],
                                        train_labels[:validation_size]),
                    test=data_set(test_images, test_labels))


def main(argv=None):
    parser = argparse.ArgumentParser(description='Load MNIST (downloading it if needed) and '
                                                 'print the split sizes.')
    parser.add_argument('--data_dir', default=None,
                        help='where the MNIST files are (default: $MNIST_DATA_DIR or MNIST_data)')
    parser.add_argument('--validation_size', type=int, default=5000,
                        help='training images held out for validation (default: 5000)')
    args = parser.parse_args(argv)
    data_dir = default_data_dir() if args.data_dir is None else args.data_dir
    try:
        mnist = read_data_sets(data_dir, validation_size=args.validation_size)
    except ValueError as e:  # MnistDataError, or a validation_size too large for the data
        print('error: %s' % e, file=sys.stderr)
        return 2
    print('MNIST in %s: train %d, validation %d, test %d' % (
        data_dir, mnist.train.num_examples, mnist.validation.num_examples,
        mnist.test.num_examples))
    return 0


if __name__ == '__main__':
    sys.exit(main())
