"""tf1's tf.contrib.periodic_resample against TF 1.15's own tests' expected answers and a
NumPy transcription of its kernel's indexing, with its gradient, shapes and errors."""
import numpy as np
import pytest
import tensorflow.compat.v1 as tf

from tf1.api import tensorflow as tf1_api

tf.disable_v2_behavior()
periodic_resample = tf1_api.contrib.periodic_resample.periodic_resample


def kernel_reference(values, desired):
    """TF 1.15's kernel, element by element (its InputIndexer)."""
    q = desired.index(None)
    inputs = values.shape
    sizes = list(desired)
    sizes[q] = values.size // int(np.prod([s for i, s in enumerate(desired) if i != q]))
    growth = [-(-sizes[i] // inputs[i]) for i in range(len(sizes))]
    cumulative = np.cumprod([1] + growth[:-1])
    output = np.empty(sizes, values.dtype)
    for index in np.ndindex(*sizes):
        source = [index[i] // growth[i] for i in range(len(sizes))]
        carriage = sum(cumulative[i] * (index[i] % growth[i])
                       for i in range(len(sizes)) if i != q)
        source[q] = carriage * sizes[q] + index[q]
        output[index] = values[tuple(source)]
    return output


def run(tensor, feed=None):
    with tf.Session() as sess:
        return sess.run(tensor, feed)


@pytest.mark.parametrize('shape, desired, expected', [
    ((3, 4), [6, None], np.arange(12).reshape(6, 2)),
    ((3, 4), [5, None], np.arange(12).reshape(6, 2)[:-1]),  # truncated
    ((2, 2, 4), [4, 4, None], [[[0], [2], [4], [6]], [[1], [3], [5], [7]],
                               [[8], [10], [12], [14]], [[9], [11], [13], [15]]]),
    ((2, 2, 2, 8), [4, 4, 4, None], None),
    ((1, 3, 2, 9), [1, 9, 6, None], None),
    ((3, 3, 4), [6, 4, None], None)])  # not whole multiples: some elements left out
def test_tf_1_15s_answers_and_its_kernels_indexing(shape, desired, expected):
    values = np.arange(int(np.prod(shape))).reshape(shape)
    reference = kernel_reference(values, desired)
    if expected is not None:
        np.testing.assert_array_equal(reference, expected)  # the transcription, checked
    with tf.Graph().as_default():
        static = periodic_resample(values, desired)
        x = tf.placeholder(tf.int64, [None] * len(shape))
        dynamic = periodic_resample(x, desired)
        assert static.shape.as_list() == list(reference.shape)
        assert dynamic.shape.as_list() == [None if s is None else s for s in desired]
        np.testing.assert_array_equal(run(static), reference)
        np.testing.assert_array_equal(run(dynamic, {x: values}), reference)


def test_the_gradient_and_the_errors():
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, (2, 2, 4))
        output = periodic_resample(x, [4, 4, None])
        with tf.Session():
            error = tf.test.compute_gradient_error(x, (2, 2, 4), output, (4, 4, 1))
        assert error < 1e-4
        with pytest.raises(ValueError, match='Dimension 3 input tensor has size 4, desired '
                                             'shape has size 1'):
            periodic_resample(np.zeros([1, 2, 2, 4]), [None, 4, 4, 1])
        with pytest.raises(ValueError, match='4, to be the same as the length of the desired '
                                             'shape, 3'):
            periodic_resample(np.zeros([1, 2, 2, 4]), [None, 4, 4])
        with pytest.raises(ValueError, match="adjustable dimension, 0, isn't greater than zero"):
            periodic_resample(np.zeros([2, 3, 5]), [None, 7, 9])
        unknown = tf.placeholder(tf.float32, [1, None])
        too_small = periodic_resample(unknown, [None, 2])
        with pytest.raises(tf.errors.InvalidArgumentError, match='Dimension 1 input tensor'):
            run(too_small, {unknown: np.zeros([1, 3])})
