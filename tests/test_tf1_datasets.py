"""tf1's dataset loaders, offline: tf.contrib.learn.datasets.base (TF 1.x's CSV loaders,
split and maybe_download, tensorflow/contrib/learn/python/learn/datasets/base.py) and
tf.keras.datasets.mnist.load_data reading $MNIST_DATA_DIR, and MNIST's DataSet shuffling as
TF 1.x's did."""
import numpy as np
import pytest
import tensorflow.compat.v1 as tf

from conftest import write_mnist_dir
from graphs import input_data
from tf1 import contrib_learn_datasets as base
from tf1 import keras_datasets
from tf1.examples.tutorials.mnist import input_data as tf1_input_data


def test_csv_with_and_without_header(tmp_path):
    rows = ['5.1,3.5,1.4,0', '6.4,3.2,4.5,1', '6.3,3.3,6.0,2']
    (tmp_path / 'with.csv').write_text('3,3,setosa,versicolor,virginica\n' + '\n'.join(rows))
    (tmp_path / 'without.csv').write_text('\n'.join(rows) + '\n')
    with_header = base.load_csv_with_header(str(tmp_path / 'with.csv'), np.int32,
                                            np.float32)
    without_header = base.load_csv_without_header(str(tmp_path / 'without.csv'),
                                                  np.float32, np.float32, target_column=0)
    np.testing.assert_array_equal(with_header.target, [0, 1, 2])
    np.testing.assert_allclose(with_header.data[1], [6.4, 3.2, 4.5])
    assert with_header.data.dtype == np.float32 and with_header.target.dtype == np.int32
    np.testing.assert_allclose(without_header.target, [5.1, 6.4, 6.3])  # column 0
    np.testing.assert_allclose(without_header.data[2], [3.3, 6.0, 2.0])


def test_split_into_train_and_test_keeps_the_order_unless_shuffled():
    dataset = base.Dataset(data=np.arange(20).reshape(10, 2), target=np.arange(10))
    train, test = base.split_into_train_and_test(dataset, test_ratio=0.3)
    np.testing.assert_array_equal(train.target, np.arange(7))
    np.testing.assert_array_equal(test.data[:, 0], [14, 16, 18])
    train, test = base.split_into_train_and_test(dataset, test_ratio=0.3, shuffle=True)
    assert sorted(np.concatenate([train.target, test.target])) == list(range(10))
    with pytest.raises(ValueError, match='out of bounds'):
        base.split_into_train_and_test(dataset, test_ratio=1.5)


def test_maybe_download_keeps_a_file_that_is_there_and_fails_in_one_line(tmp_path):
    (tmp_path / 'here.csv').write_text('1,2\n')
    unreachable = 'http://127.0.0.1:9/iris_training.csv'  # the discard port: refused
    assert base.maybe_download('here.csv', str(tmp_path), unreachable) == str(
        tmp_path / 'here.csv')
    with pytest.raises(OSError, match=r'maybe_download: cannot download '
                                      r'http://127.0.0.1:9/iris_training.csv to .*gone.csv'):
        base.maybe_download('gone.csv', str(tmp_path / 'new'), unreachable)
    assert not (tmp_path / 'new' / 'gone.csv').exists()


def test_retry_retries_what_it_is_told_to_and_raises_the_rest():
    calls = []

    @base.retry(initial_delay=0.0, max_delay=0.0, is_retriable=lambda e: 'again' in str(e))
    def flaky(error):
        calls.append(error)
        if len(calls) < 2:
            raise OSError(error)
        return len(calls)

    assert flaky('again') == 2
    calls.clear()
    with pytest.raises(OSError, match='broken'):
        flaky('broken')
    assert len(calls) == 1
    with pytest.raises(ValueError, match='factor must be >= 1'):
        base.retry(1.0, 2.0, factor=0.5)


def test_keras_mnist_reads_the_mnist_dir_in_the_files_order(tmp_path, monkeypatch):
    directory = write_mnist_dir(str(tmp_path), train_count=30, test_count=10)
    monkeypatch.setenv('MNIST_DATA_DIR', directory)
    (x_train, y_train), (x_test, y_test) = keras_datasets.load_data()
    expected = input_data.read_data_sets(directory, validation_size=0, dtype=np.uint8,
                                         reshape=False)
    assert x_train.shape == (30, 28, 28) and x_train.dtype == np.uint8
    np.testing.assert_array_equal(x_train, expected.train.images[..., 0])
    np.testing.assert_array_equal(y_test, expected.test.labels)


def test_keras_mnist_without_a_copy_says_how_to_point_at_one(monkeypatch):
    from tf_keras.api._v1 import keras

    def offline(path):
        raise Exception('URL fetch failure on https://storage.googleapis.com/mnist.npz')

    monkeypatch.delenv('MNIST_DATA_DIR', raising=False)
    monkeypatch.setattr(keras.datasets.mnist, 'load_data', offline)
    with pytest.raises(input_data.MnistDataError, match=r'could not load mnist.npz '
                       r'\(URL fetch failure.*set MNIST_DATA_DIR=DIR'):
        keras_datasets.load_data()


def test_mnist_data_sets_shuffle_as_tf1_4_to_1_15_did(tmp_path, monkeypatch):
    """TF 1.x's DataSet re-seeded NumPy's global generator from the graph-level seed and
    shuffled `images` and `labels` in place with it: a seeded script's batches."""
    monkeypatch.setenv('MNIST_DATA_DIR', write_mnist_dir(str(tmp_path), train_count=120,
                                                         test_count=10))
    with tf.Graph().as_default():
        tf.set_random_seed(42)
        np.random.seed(7)  # a script's own seed, which read_data_sets replaces
        named = tmp_path / 'tensorflow' / 'mnist' / 'input_data'
        train = tf1_input_data.read_data_sets(str(named), validation_size=20).train
    # The local copy is read, and the directory the script named is made, empty, as TF
    # 1.x's download made it (scripts save beside it).
    assert named.is_dir() and not list(named.iterdir())
    images, labels = train.images.copy(), train.labels.copy()
    expected = np.random.RandomState(42)
    first = np.arange(100)
    expected.shuffle(first)
    batch_images, batch_labels = train.next_batch(30)
    np.testing.assert_array_equal(batch_labels, labels[first[:30]])
    np.testing.assert_array_equal(batch_images, images[first[:30]])
    np.testing.assert_array_equal(train.labels, labels[first])  # reordered in place
    for _ in range(2):
        train.next_batch(30)
    second = np.arange(100)
    expected.shuffle(second)
    crossing_labels = train.next_batch(30)[1]  # 10 of epoch 1, then 20 of epoch 2
    np.testing.assert_array_equal(crossing_labels[:10], labels[first[90:]])
    np.testing.assert_array_equal(crossing_labels[10:], labels[first][second[:20]])
    assert train.epochs_completed == 1


def test_load_dataset_gives_iris_as_contrib_shipped_it():
    iris = base.load_dataset('iris')
    assert iris.data.shape == (150, 4) and iris.target.shape == (150,)
    assert np.bincount(iris.target).tolist() == [50, 50, 50]
    # Fisher's rows 35 and 38 as UCI gave them (scikit-learn corrected both in 2018).
    assert iris.data[34].tolist() == iris.data[37].tolist() == [4.9, 3.1, 1.5, 0.1]
    assert base.load_iris().data.sum() == pytest.approx(iris.data.sum())
    with pytest.raises(AttributeError, match=r"load_dataset\('boston'\) .* provides 'mnist'"):
        base.load_dataset('boston')
    with pytest.raises(ValueError, match='Name of dataset is not found: nope'):
        base.load_dataset('nope')
