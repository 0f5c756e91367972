"""tf.keras.datasets.mnist.load_data() for TF 1.x scripts. Keras's loader downloads
mnist.npz from Google's storage; with $MNIST_DATA_DIR set (or
`python -m tf1 --mnist_dir DIR`) the same arrays come from the MNIST files there
(graphs/input_data.py; mnist.npz holds the official files' images and labels in their
order), as every read_data_sets() call reads them. Without it, Keras's own loader runs."""
import os

from tf1.project import input_data, messages


def load_data(path='mnist.npz'):
    """((x_train, y_train), (x_test, y_test)): uint8 [60000, 28, 28] and [60000], then the
    10,000 test digits."""
    directory = os.environ.get('MNIST_DATA_DIR')
    if directory:
        return input_data.load_arrays(directory)
    from tf_keras.api._v1.keras.datasets import mnist
    try:
        return mnist.load_data(path)
    except Exception as error:  # Keras raises a bare Exception when its download fails
        raise input_data.MnistDataError(
            'tf.keras.datasets.mnist.load_data() could not load mnist.npz (%s); to read '
            'a local copy of MNIST instead, set MNIST_DATA_DIR=DIR or run python -m tf1 '
            '--mnist_dir DIR' % messages.one_line(error)) from None
