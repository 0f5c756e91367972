"""`tensorflow.examples.tutorials.mnist.input_data`, with TF 1.x's signatures.

The loading itself is graphs/input_data.py (validated files, mirrors, checksums, atomic
writes); this module adds what a TF 1.x script expects around it:

- $MNIST_DATA_DIR (or `python -m tf1 --mnist_dir DIR`) wins over the directory the script
  names (/tmp/tensorflow/mnist/input_data, /tmp/data/, MNIST_data/ ...), so a machine
  without internet reads its local copy instead of downloading;
- an 'Extracting <file>' line per file, as TF 1.x printed;
- TF 1.x's `DataSet`, `dense_to_one_hot`, `extract_images`, `extract_labels`, and
  `load_dataset('mnist')` (tf.contrib.learn.datasets).
"""
import os

import numpy as np

from graphs import input_data
from graphs.contract import NUM_CLASSES

DataSet = input_data.DataSet
Datasets = input_data.Datasets
DEFAULT_SOURCE_URL = input_data.DEFAULT_SOURCE_URLS[0]


def read_data_sets(train_dir, fake_data=False, one_hot=False, dtype=np.float32, reshape=True,
                   validation_size=5000, seed=None, source_url=DEFAULT_SOURCE_URL):
    if fake_data:
        return input_data.read_data_sets(train_dir, fake_data=True, one_hot=one_hot,
                                         dtype=dtype, seed=seed)
    train_dir = os.environ.get('MNIST_DATA_DIR') or train_dir
    if source_url == DEFAULT_SOURCE_URL:
        source_url = None  # the script did not choose: every mirror we know may serve it
    for name in input_data.MNIST_FILES:
        print('Extracting', os.path.join(train_dir, name))
    return input_data.read_data_sets(train_dir, one_hot=one_hot, dtype=dtype, reshape=reshape,
                                     validation_size=validation_size, seed=seed,
                                     source_url=source_url)


def load_dataset(name):
    """tf.contrib.learn.datasets.load_dataset('mnist'): MNIST from 'MNIST-data', as TF 1.x."""
    if name != 'mnist':
        raise ValueError('load_dataset: tf1 provides only "mnist", not %r' % (name,))
    return read_data_sets('MNIST-data')


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
