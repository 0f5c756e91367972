"""`tensorflow.examples.tutorials.mnist.input_data`, with TF 1.x's signatures.

The loading itself is graphs/input_data.py (validated files, mirrors, checksums, atomic
writes); this module adds what a TF 1.x script expects around it:

- $MNIST_DATA_DIR (or `python -m tf1 --mnist_dir DIR`) wins over the directory the script
  names (/tmp/tensorflow/mnist/input_data, /tmp/data/, MNIST_data/ ...), so a machine
  without internet reads its local copy instead of downloading; the directory named is
  made all the same, as TF 1.x's download made it;
- an 'Extracting <file>' line per file read, as TF 1.x printed;
- TF 1.x's `DataSet` (TF 1.4-1.15's shuffling, below), `dense_to_one_hot`,
  `extract_images` and `extract_labels`.
"""
import os

import numpy as np
from tensorflow.python.framework import random_seed

from tf1.project import contract, input_data

NUM_CLASSES = contract.NUM_CLASSES

Datasets = input_data.Datasets


class DataSet(input_data.DataSet):
    """A split as TF 1.4-1.15's DataSet shuffled it: with NumPy's global generator, which
    each DataSet re-seeds when made (from the graph-level seed, tf.set_random_seed; from
    nowhere without one, as TF 1.x did), reordering `images` and `labels` in place. So a
    seeded script draws the batches it drew under TF 1.x, and prints its outputs."""

    def __init__(self, images, labels, fake_data=False, one_hot=False, dtype=np.float32,
                 reshape=True, seed=None):
        seed1, seed2 = random_seed.get_seed(seed)
        np.random.seed(seed1 if seed is None else seed2)
        super(DataSet, self).__init__(images, labels, fake_data=fake_data, one_hot=one_hot,
                                      dtype=dtype, reshape=reshape, seed=seed)

    def next_batch(self, batch_size, fake_data=False, shuffle=True):
        if fake_data:
            return super(DataSet, self).next_batch(batch_size, fake_data=True)
        self._check_batch_size(batch_size)
        start = self._index_in_epoch
        if self._epochs_completed == 0 and start == 0 and shuffle:
            self._shuffle()
        if start + batch_size <= self._num_examples:
            end = self._index_in_epoch = start + batch_size
            return self._images[start:end], self._labels[start:end]
        self._epochs_completed += 1
        rest_images, rest_labels = self._images[start:], self._labels[start:]
        if shuffle:
            self._shuffle()
        self._index_in_epoch = end = batch_size - len(rest_images)
        return (np.concatenate((rest_images, self._images[:end]), axis=0),
                np.concatenate((rest_labels, self._labels[:end]), axis=0))

    def _shuffle(self):
        order = np.arange(self._num_examples)
        np.random.shuffle(order)
        self._images = self._images[order]
        self._labels = self._labels[order]
DEFAULT_SOURCE_URL = input_data.DEFAULT_SOURCE_URLS[0]


def read_data_sets(train_dir, fake_data=False, one_hot=False, dtype=np.float32, reshape=True,
                   validation_size=5000, seed=None, source_url=DEFAULT_SOURCE_URL):
    if fake_data:
        return input_data.read_data_sets(train_dir, fake_data=True, one_hot=one_hot,
                                         dtype=dtype, seed=seed, data_set_class=DataSet)
    if os.environ.get('MNIST_DATA_DIR'):
        # TF 1.x's download made the script's directory; scripts save next to it (TF's
        # eager MNIST example: /tmp/tensorflow/mnist/checkpoints), so it is made here too.
        try:
            os.makedirs(train_dir, exist_ok=True)
        except OSError:
            pass  # the local copy is read all the same
        train_dir = os.environ['MNIST_DATA_DIR']
    if source_url == DEFAULT_SOURCE_URL:
        source_url = None  # the script did not choose: every mirror we know may serve it
    try:
        data_sets = input_data.read_data_sets(train_dir, one_hot=one_hot, dtype=dtype,
                                              reshape=reshape, validation_size=validation_size,
                                              seed=seed, source_url=source_url,
                                              data_set_class=DataSet)
    except input_data.MnistDataError as error:
        if 'MNIST_DATA_DIR' in os.environ:
            raise
        raise input_data.MnistDataError(
            '%s; to read a local copy instead, set MNIST_DATA_DIR=DIR or run '
            'python -m tf1 --mnist_dir DIR' % error) from None
    for name in input_data.MNIST_FILES:  # as TF 1.x printed each file it read
        print('Extracting', os.path.join(train_dir, name))
    return data_sets


def load_mnist(train_dir='MNIST-data'):
    """contrib.learn.datasets.mnist's shortcut (TF 1.x's kernel-methods tutorial uses it)."""
    return read_data_sets(train_dir)


def dense_to_one_hot(labels_dense, num_classes=NUM_CLASSES):
    """Class indices [N] -> one-hot [N, num_classes] float (TF 1.x's helper)."""
    labels_dense = np.asarray(labels_dense)
    one_hot = np.zeros((len(labels_dense), num_classes))
    one_hot[np.arange(len(labels_dense)), labels_dense.ravel()] = 1
    return one_hot


def extract_images(f):
    """uint8 [N, 28, 28, 1] from an open gzip IDX image file (TF 1.x's helper)."""
    print('Extracting', f.name)
    return input_data.read_images(f.name)[..., np.newaxis]


def extract_labels(f, one_hot=False, num_classes=NUM_CLASSES):
    """uint8 [N] (or one-hot) from an open gzip IDX label file (TF 1.x's helper)."""
    print('Extracting', f.name)
    labels = input_data.read_labels(f.name)
    return dense_to_one_hot(labels, num_classes) if one_hot else labels
