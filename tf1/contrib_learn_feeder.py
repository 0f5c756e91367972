"""How tf.contrib.learn's Estimator took NumPy arrays: `fit(x=images, y=labels,
batch_size=100)`. Ported from TF 1.x's learn_io/data_feeder.py (DataFeeder) and
estimator.py (_get_input_fn): the input_fn makes two placeholders, `input` and `output`,
and a feed function fills them with the next batch of a permutation drawn by
RandomState(42) (a new one each epoch), so a TF 1.x script trains on the batches it
trained on then. Its iterators, pandas and Dask inputs are not ported.
"""
import numpy as np
import tensorflow.compat.v1 as tf

from tf1.unsupported import UnsupportedApiError


def input_and_feed_fn(x, y, input_fn, feed_fn, batch_size, shuffle=False, epochs=1):
    """(input_fn, feed_fn): the ones given, or those of a DataFeeder over `x` and `y`."""
    verify_input_args(x, y, input_fn, feed_fn, batch_size)
    if input_fn is not None:
        return input_fn, feed_fn
    feeder = DataFeeder(x, y, batch_size, shuffle=shuffle, epochs=epochs)
    return feeder.input_builder, feeder.feed_dict_fn()


def verify_input_args(x, y, input_fn, feed_fn, batch_size):
    """Either `x` (and `y`) or `input_fn`, with TF 1.x's errors."""
    if input_fn is None:
        if x is None:
            raise ValueError('Either x or input_fn must be provided.')
        if tf.is_tensor(x) or y is not None and tf.is_tensor(y):
            raise ValueError('Inputs cannot be tensors. Please provide input_fn.')
        if feed_fn is not None:
            raise ValueError('Can not provide both feed_fn and x or y.')
    else:
        if x is not None or y is not None:
            raise ValueError('Can not provide both input_fn and x or y.')
        if batch_size is not None:
            raise ValueError('Can not provide both input_fn and batch_size.')


def _as_array(data, name):
    if hasattr(data, '__next__'):
        raise UnsupportedApiError(
            'tf.contrib.learn with an iterator as %s (TF 1.x) is not provided by tf1: pass '
            'a NumPy array (or a dict of them), or an input_fn' % name)
    array = np.asarray(data)
    if array.ndim == 0:
        raise ValueError('%s must be an array of examples, got a scalar: %r' % (name, data))
    return array


class DataFeeder(object):
    """Batches of `x` (an array or a dict of arrays) and `y` (the same, or None) for the
    placeholders input_builder() makes; a batch of None is the whole of `x`."""

    def __init__(self, x, y, batch_size=None, shuffle=True, epochs=None):
        self._x = ({key: _as_array(value, 'x') for key, value in x.items()}
                   if isinstance(x, dict) else _as_array(x, 'x'))
        self._y = (None if y is None else
                   {key: _as_array(value, 'y') for key, value in y.items()}
                   if isinstance(y, dict) else _as_array(y, 'y'))
        counts = {len(array) for array in _values(self._x) + _values(self._y)}
        if len(counts) != 1:
            raise ValueError('x and y must have as many examples each, got %s'
                             % sorted(counts))
        self._count = counts.pop()
        if batch_size is None:
            batch_size = self._count
        elif batch_size <= 0:
            raise ValueError('Invalid batch_size %d.' % batch_size)
        self.batch_size = batch_size
        for array in _values(self._x) + _values(self._y):
            if array.dtype == np.float64:
                tf.logging.warning('float64 is not supported by many models, consider '
                                   'casting to float32.')
        self._shuffle = shuffle
        self.max_epochs = epochs
        self.random_state = np.random.RandomState(42)
        self.indices = (self.random_state.permutation(self._count) if shuffle
                        else np.arange(self._count))
        self.offset = 0
        self.epoch = 0

    def input_builder(self):
        """The placeholders: (`input`, `output`), or dicts of `input_KEY`, `output_KEY`."""
        self._input = _placeholders(self._x, 'input', _input_shape)
        self._output = _placeholders(self._y, 'output', _output_shape)
        return self._input, self._output

    def feed_dict_fn(self):
        """A function giving the next batch's feed dict; StopIteration after `epochs`."""
        def feed_dict():
            if self.max_epochs is not None and self.epoch + 1 > self.max_epochs:
                raise StopIteration
            end = min(self._count, self.offset + self.batch_size)
            indices = self.indices[self.offset:end]
            self.offset += self.batch_size
            if self.offset >= self._count:
                self.indices = (self.random_state.permutation(self._count) if self._shuffle
                                else np.arange(self._count))
                self.offset = 0
                self.epoch += 1
            feed = _feed(self._input, self._x, indices, _input_shape)
            if self._output is not None:
                feed.update(_feed(self._output, self._y, indices, _output_shape))
            return feed
        return feed_dict


def _values(data):
    if data is None:
        return []
    return list(data.values()) if isinstance(data, dict) else [data]


def _input_shape(array):
    """One example of `x`: a vector of one for 1-D data."""
    return list(array.shape[1:]) if array.ndim > 1 else [1]


def _output_shape(array):
    """One label: a scalar for [n] or [n, 1] labels."""
    shape = list(array.shape[1:])
    return shape[1:] if shape and shape[0] == 1 else shape


def _placeholders(data, name, example_shape):
    if data is None:
        return None
    if isinstance(data, dict):
        return {key: tf.placeholder(tf.as_dtype(array.dtype), [None] + example_shape(array),
                                    name=name + '_' + key) for key, array in data.items()}
    return tf.placeholder(tf.as_dtype(data.dtype), [None] + example_shape(data), name=name)


def _feed(placeholders, data, indices, example_shape):
    if isinstance(data, dict):
        return {placeholders[key].name: data[key][indices].reshape(
            [len(indices)] + example_shape(data[key])) for key in data}
    return {placeholders.name: data[indices].reshape([len(indices)] + example_shape(data))}
