"""tf.contrib.learn.datasets.base as TF 1.x had it
(tensorflow/contrib/learn/python/learn/datasets/base.py): the CSV loaders of the TF 1.x
Estimator quickstarts (`load_csv_with_header` on iris_training.csv), `maybe_download` and
the Dataset tuples, `load_iris` (tf1/data/iris.csv: the 150 rows contrib shipped, Fisher's
data as UCI gave it, before scikit-learn corrected two rows) and `load_dataset`. Downloads
go through graphs/input_data.py's fetch (a timeout, one clear error) and land whole or not
at all. Not provided: the Boston housing and DBpedia sets."""
import collections
import csv
import os
import random
import time

import numpy as np
import tensorflow.compat.v1 as tf

from tf1.project import input_data
from tf1.unsupported import UnsupportedApiError

__all__ = ['Dataset', 'Datasets', 'load_csv_with_header', 'load_csv_without_header',
           'load_dataset', 'load_iris', 'maybe_download', 'retry', 'shrink_csv',
           'split_into_train_and_test', 'urlretrieve_with_retry']

IRIS_CSV = os.path.join(os.path.dirname(__file__), 'data', 'iris.csv')

Dataset = collections.namedtuple('Dataset', ['data', 'target'])
Datasets = input_data.Datasets  # (train, validation, test), as read_data_sets returns


def load_dataset(name, size='small', test_with_fake_data=False):
    """tf.contrib.learn.datasets.load_dataset: 'mnist' (read_data_sets('MNIST-data')) or
    'iris' (load_iris())."""
    if name == 'mnist':
        from tf1.examples.tutorials.mnist import input_data as mnist
        return mnist.read_data_sets('MNIST-data')
    if name == 'iris':
        return load_iris()
    if name in ('boston', 'dbpedia'):
        raise UnsupportedApiError(
            "tf.contrib.learn.datasets.load_dataset(%r) (TF 1.x) is not provided by tf1: it "
            "provides 'mnist' and 'iris'; load the data with load_csv_with_header" % name)
    raise ValueError('Name of dataset is not found: %s' % name)


def load_iris(data_path=None):
    """Iris as TF 1.x's contrib shipped it: Dataset(data float [150, 4], target int [150])."""
    return load_csv_with_header(data_path or IRIS_CSV, target_dtype=int, features_dtype=float)


def load_csv_with_header(filename, target_dtype, features_dtype, target_column=-1):
    """Dataset(data [n_samples, n_features], target [n_samples]) from a CSV file whose
    header row starts with n_samples and n_features (iris_training.csv's '120,4,...')."""
    with tf.gfile.Open(filename) as csv_file:
        rows = csv.reader(csv_file)
        header = next(rows)
        n_samples, n_features = int(header[0]), int(header[1])
        data = np.zeros((n_samples, n_features), dtype=features_dtype)
        target = np.zeros((n_samples,), dtype=target_dtype)
        for i, row in enumerate(rows):
            target[i] = np.asarray(row.pop(target_column), dtype=target_dtype)
            data[i] = np.asarray(row, dtype=features_dtype)
    return Dataset(data=data, target=target)


def load_csv_without_header(filename, target_dtype, features_dtype, target_column=-1):
    """Dataset(data, target) from a CSV file of rows only."""
    data, target = [], []
    with tf.gfile.Open(filename) as csv_file:
        for row in csv.reader(csv_file):
            target.append(row.pop(target_column))
            data.append(np.asarray(row, dtype=features_dtype))
    return Dataset(data=np.array(data), target=np.array(target, dtype=target_dtype))


def shrink_csv(filename, ratio):
    """Writes every `ratio`-th row of `filename` to its '_small.' twin."""
    with tf.gfile.Open(filename.replace('.', '_small.'), 'w') as small_file:
        writer = csv.writer(small_file)
        with tf.gfile.Open(filename) as csv_file:
            for i, row in enumerate(csv.reader(csv_file)):
                if i % ratio == 0:
                    writer.writerow(row)


def split_into_train_and_test(dataset, test_ratio=0.3, shuffle=False):
    """(train, test) Datasets: the first 1 - test_ratio of the rows (shuffled first if
    asked) and the rest."""
    if not 0 <= test_ratio <= 1:
        raise ValueError('The test_ratio value is out of bounds: %s' % test_ratio)
    train_size = int(dataset.data.shape[0] * (1. - test_ratio))
    data, target = dataset.data[:], dataset.target[:]
    if shuffle:
        order = np.random.permutation(range(data.shape[0]))
        data, target = data[order], target[order]
    return (Dataset(data=data[:train_size], target=target[:train_size]),
            Dataset(data=data[train_size:], target=target[train_size:]))


def retry(initial_delay, max_delay, factor=2.0, jitter=0.25, is_retriable=None):
    """A decorator retrying a function while `is_retriable(error)`, waiting `initial_delay`
    seconds, then `factor` times longer each time up to `max_delay` (each wait randomised
    by ±`jitter`); then one last call. Without `is_retriable`, every error is retried at
    once."""
    if factor < 1:
        raise ValueError('factor must be >= 1; was %f' % (factor,))
    if jitter >= 1:
        raise ValueError('jitter must be < 1; was %f' % (jitter,))

    def delays():
        delay = initial_delay
        while delay <= max_delay:
            yield delay * random.uniform(1 - jitter, 1 + jitter)
            delay *= factor

    def wrap(function):
        def retried(*args, **kwargs):
            for delay in delays():
                try:
                    return function(*args, **kwargs)
                except Exception as error:  # noqa: BLE001 (TF 1.x's contract: any error)
                    if is_retriable is None:
                        continue
                    if not is_retriable(error):
                        raise
                    time.sleep(delay)
            return function(*args, **kwargs)
        return retried
    return wrap


def _timed_out(error):
    return isinstance(error, OSError) and 'timed out' in str(error)


@retry(initial_delay=1.0, max_delay=16.0, is_retriable=_timed_out)
def urlretrieve_with_retry(url, filename):
    """Downloads `url` to `filename` (whole or not at all), trying again after 1, 2, 4, 8
    and 16 s when it times out, as TF 1.x did; an OSError says why it failed."""
    input_data.write_atomically(filename, input_data.fetch(url))


def maybe_download(filename, work_directory, source_url):
    """The path of `filename` in `work_directory`, downloaded from `source_url` first if
    it is not there."""
    tf.gfile.MakeDirs(work_directory)
    filepath = os.path.join(work_directory, filename)
    if not tf.gfile.Exists(filepath):
        try:
            urlretrieve_with_retry(source_url, filepath)
        except OSError as error:
            raise OSError('maybe_download: cannot download %s to %s: %s'
                          % (source_url, filepath, error)) from None
        print('Successfully downloaded', filename, os.path.getsize(filepath), 'bytes.')
    return filepath
