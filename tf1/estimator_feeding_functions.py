"""TF 1.x's feeding functions (tensorflow/python/estimator/inputs/queues/
feeding_functions.py), which its numpy_input_fn and pandas_input_fn filled their queues
with, and which scripts that copied numpy_io.py (to feed several heads' targets, say) call:
`_enqueue_data` builds a queue, a FeedingQueueRunner and feed functions that cut a NumPy
array, an OrderedDict of arrays, a pandas DataFrame or a generator of dicts into batches.

Ported from TF 1.12-1.15 (tf1's own numpy_input_fn feeds through tf.data instead); the
private names are TF 1.x's, since they are what such scripts import."""
import collections
import itertools
import random
import types

import numpy as np
import tensorflow.compat.v1 as tf
from tensorflow.python.platform import tf_logging as logging

from tf1.contrib_training_feeding import _FeedingQueueRunner

try:
    import pandas as pd
    HAS_PANDAS = True
except ImportError:
    HAS_PANDAS = False


def _fill_array(arr, seq, fillvalue=0):
    """Fills the padded array `arr` with the nested lists `seq`, `fillvalue` past their
    ends."""
    if arr.ndim == 1:
        try:
            length = len(seq)
        except TypeError:
            length = 0
        arr[:length] = seq
        arr[length:] = fillvalue
    else:
        for subarr, subseq in itertools.zip_longest(arr, seq, fillvalue=()):
            _fill_array(subarr, subseq, fillvalue)


def _pad_if_needed(batch_key_item, fillvalue=0):
    """The batch `batch_key_item` (samples alike but for their last dimension) as one array,
    each sample padded with `fillvalue` to the longest."""
    shapes = [seq.shape[:-1] if len(seq.shape) > 0 else -1 for seq in batch_key_item]
    if not all(shapes[0] == x for x in shapes):
        raise ValueError('Array shapes must match.')
    last_length = [seq.shape[-1] if len(seq.shape) > 0 else 0 for seq in batch_key_item]
    if all(x == last_length[0] for x in last_length):
        return batch_key_item
    result_batch = np.zeros(
        shape=[len(batch_key_item)] + list(shapes[0]) + [max(last_length)],
        dtype=batch_key_item[0].dtype)
    _fill_array(result_batch, batch_key_item, fillvalue)
    return result_batch


def _get_integer_indices_for_next_batch(batch_indices_start, batch_size, epoch_end,
                                        array_length, current_epoch, total_epochs):
    """The next batch's row numbers and the epoch count after it; the last epoch's last
    batch stops at `epoch_end` (so it may be short). OutOfRangeError once `total_epochs`
    (None: never) are done."""
    if total_epochs is not None and current_epoch >= total_epochs:
        raise tf.errors.OutOfRangeError(None, None,
                                        'Already emitted %s epochs.' % current_epoch)
    batch_indices = [j % array_length
                     for j in range(batch_indices_start, batch_indices_start + batch_size)]
    epoch_end_indices = [i for i, x in enumerate(batch_indices) if x == epoch_end]
    current_epoch += len(epoch_end_indices)
    if total_epochs is None or current_epoch < total_epochs:
        return batch_indices, current_epoch
    final_epoch_end_inclusive = epoch_end_indices[-(current_epoch - total_epochs + 1)]
    return batch_indices[:final_epoch_end_inclusive + 1], total_epochs


class _RowsFeedFn(object):
    """What the three feed functions of in-memory rows share: a cursor over `length` rows
    from a start (random with `random_start`), batch after batch, for `num_epochs`."""

    def __init__(self, length, batch_size, random_start, seed, num_epochs):
        self._max = length
        self._batch_size = batch_size
        self._num_epochs = num_epochs
        self._epoch = 0
        random.seed(seed)
        self._trav = random.randrange(self._max) if random_start else 0
        self._epoch_end = (self._trav - 1) % self._max

    def _next_indices(self):
        integer_indexes, self._epoch = _get_integer_indices_for_next_batch(
            batch_indices_start=self._trav, batch_size=self._batch_size,
            epoch_end=self._epoch_end, array_length=self._max, current_epoch=self._epoch,
            total_epochs=self._num_epochs)
        self._trav = (integer_indexes[-1] + 1) % self._max
        return integer_indexes


class _ArrayFeedFn(_RowsFeedFn):
    """Feed dictionaries from a NumPy array: row numbers, rows."""

    def __init__(self, placeholders, array, batch_size, random_start=False, seed=None,
                 num_epochs=None):
        if len(placeholders) != 2:
            raise ValueError('_array_feed_fn expects 2 placeholders; got {}.'.format(
                len(placeholders)))
        super().__init__(len(array), batch_size, random_start, seed, num_epochs)
        self._placeholders = placeholders
        self._array = array

    def __call__(self):
        integer_indexes = self._next_indices()
        return {self._placeholders[0]: integer_indexes,
                self._placeholders[1]: self._array[integer_indexes]}


class _OrderedDictNumpyFeedFn(_RowsFeedFn):
    """Feed dictionaries from an OrderedDict of NumPy arrays: row numbers, each array's
    rows."""

    def __init__(self, placeholders, ordered_dict_of_arrays, batch_size, random_start=False,
                 seed=None, num_epochs=None):
        if len(placeholders) != len(ordered_dict_of_arrays) + 1:
            raise ValueError('Expected {} placeholders; got {}.'.format(
                len(ordered_dict_of_arrays) + 1, len(placeholders)))
        length = len(next(iter(ordered_dict_of_arrays.values())))
        if any(len(v) != length for v in ordered_dict_of_arrays.values()):
            raise ValueError('Array lengths must match.')
        super().__init__(length, batch_size, random_start, seed, num_epochs)
        self._index_placeholder = placeholders[0]
        self._col_placeholders = placeholders[1:]
        self._ordered_dict_of_arrays = ordered_dict_of_arrays

    def __call__(self):
        integer_indexes = self._next_indices()
        feed_dict = {self._index_placeholder: integer_indexes}
        cols = [column[integer_indexes] for column in self._ordered_dict_of_arrays.values()]
        feed_dict.update(dict(zip(self._col_placeholders, cols)))
        return feed_dict


class _PandasFeedFn(_RowsFeedFn):
    """Feed dictionaries from a pandas DataFrame: its index, each column's values."""

    def __init__(self, placeholders, dataframe, batch_size, random_start=False, seed=None,
                 num_epochs=None):
        if len(placeholders) != len(dataframe.columns) + 1:
            raise ValueError('Expected {} placeholders; got {}.'.format(
                len(dataframe.columns) + 1, len(placeholders)))
        super().__init__(len(dataframe), batch_size, random_start, seed, num_epochs)
        self._index_placeholder = placeholders[0]
        self._col_placeholders = placeholders[1:]
        self._dataframe = dataframe

    def __call__(self):
        result = self._dataframe.iloc[self._next_indices()]
        feed_dict = dict(zip(self._col_placeholders,
                             [result[col].values for col in result.columns]))
        feed_dict[self._index_placeholder] = result.index.values
        return feed_dict


class _GeneratorFeedFn(object):
    """Feed dictionaries from a generator function's dicts of arrays, one placeholder per
    key (in sorted order), `batch_size` dicts at a time, padded with `pad_value` unless
    None; the generator is called again for each epoch."""

    def __init__(self, placeholders, generator, batch_size, random_start=False, seed=None,
                 num_epochs=None, pad_value=None):
        first_sample = next(generator())
        if len(placeholders) != len(first_sample):
            raise ValueError('Expected {} placeholders; got {}.'.format(
                len(first_sample), len(placeholders)))
        self._keys = sorted(first_sample.keys())
        self._col_placeholders = placeholders
        self._generator_function = generator
        self._iterator = generator()
        self._batch_size = batch_size
        self._num_epochs = num_epochs
        self._epoch = 0
        self._pad_value = pad_value
        random.seed(seed)

    def __call__(self):
        if self._num_epochs and self._epoch >= self._num_epochs:
            raise tf.errors.OutOfRangeError(None, None,
                                            'Already emitted %s epochs.' % self._epoch)
        list_dict = {}
        list_dict_size = 0
        while list_dict_size < self._batch_size:
            try:
                data_row = next(self._iterator)
            except StopIteration:
                self._epoch += 1
                self._iterator = self._generator_function()
                data_row = next(self._iterator)
            for index, key in enumerate(self._keys):
                if key not in data_row.keys():
                    raise KeyError('key mismatch between dicts emitted by GenFun '
                                   'Expected {} keys; got {}'.format(self._keys, data_row.keys()))
                list_dict.setdefault(self._col_placeholders[index], []).append(data_row[key])
                # TF 1.x counted each key's value, so one enqueue holds batch_size /
                # len(keys) dicts (rounded up); kept: what is dequeued is the same.
                list_dict_size += 1
        if self._pad_value is not None:
            return {key: np.asarray(_pad_if_needed(item, self._pad_value))
                    for key, item in list_dict.items()}
        return {key: np.asarray(item) for key, item in list_dict.items()}


def _enqueue_data(data, capacity, shuffle=False, min_after_dequeue=None, num_threads=1,
                  seed=None, name='enqueue_input', enqueue_size=1, num_epochs=None,
                  pad_value=None):
    """A queue filled, by a FeedingQueueRunner in the QUEUE_RUNNERS collection, with the rows
    of `data`: a NumPy array or an OrderedDict of them (each row after its row number), a
    pandas DataFrame (after its index) or a generator function of dicts of arrays; shuffled
    (a RandomShuffleQueue keeping `min_after_dequeue`, default capacity / 4) or in order,
    padded with `pad_value` (generators only), `enqueue_size` rows per enqueue, for
    `num_epochs` (None: forever) per thread."""
    with tf.name_scope(name):
        if isinstance(data, np.ndarray):
            dtypes = [tf.int64, tf.as_dtype(data.dtype)]
            queue_shapes = [(), data.shape[1:]]
            get_feed_fn = _ArrayFeedFn
        elif isinstance(data, collections.OrderedDict):
            dtypes = [tf.int64] + [tf.as_dtype(col.dtype) for col in data.values()]
            queue_shapes = [()] + [col.shape[1:] for col in data.values()]
            get_feed_fn = _OrderedDictNumpyFeedFn
        elif isinstance(data, types.FunctionType):
            first = next(data())
            first_values = [first[key] for key in sorted(first.keys())]
            dtypes = [tf.as_dtype(col.dtype) for col in first_values]
            queue_shapes = [col.shape for col in first_values]
            get_feed_fn = _GeneratorFeedFn
        elif HAS_PANDAS and isinstance(data, pd.DataFrame):
            dtypes = [tf.as_dtype(dt) for dt in [data.index.dtype] + list(data.dtypes)]
            queue_shapes = [() for _ in dtypes]
            get_feed_fn = _PandasFeedFn
        else:
            raise TypeError('data must be either a numpy array or pandas DataFrame if pandas '
                            'is installed; got {}'.format(type(data).__name__))

        pad_data = pad_value is not None
        if pad_data and get_feed_fn is not _GeneratorFeedFn:
            raise NotImplementedError('padding is only available with generator usage')
        if shuffle and pad_data:
            raise NotImplementedError(
                'padding and shuffling data at the same time is not implemented')
        _warn_about_threads(shuffle, num_threads, num_epochs)

        if shuffle:
            min_after_dequeue = int(capacity / 4 if min_after_dequeue is None
                                    else min_after_dequeue)
            queue = tf.RandomShuffleQueue(capacity, min_after_dequeue, dtypes=dtypes,
                                          shapes=queue_shapes, seed=seed)
        elif pad_data:
            min_after_dequeue = 0  # for the summary's name
            queue_shapes = [tuple(list(x[:-1]) + [None]) if len(x) > 0 else x
                            for x in queue_shapes]
            queue = tf.PaddingFIFOQueue(capacity, dtypes=dtypes, shapes=queue_shapes)
        else:
            min_after_dequeue = 0  # for the summary's name
            queue = tf.FIFOQueue(capacity, dtypes=dtypes, shapes=queue_shapes)

        enqueue_ops = []
        feed_fns = []
        for i in range(num_threads):
            placeholders = [tf.placeholder(t) for t in dtypes]
            enqueue_ops.append(queue.enqueue_many(placeholders))
            seed_i = None if seed is None else (i + 1) * seed
            padding = {'pad_value': pad_value} if pad_data else {}
            feed_fns.append(get_feed_fn(placeholders, data, enqueue_size, random_start=shuffle,
                                        seed=seed_i, num_epochs=num_epochs, **padding))
        tf.train.add_queue_runner(
            _FeedingQueueRunner(queue=queue, enqueue_ops=enqueue_ops, feed_fns=feed_fns))

        full = (tf.cast(tf.maximum(0, queue.size() - min_after_dequeue), tf.float32)
                * (1. / (capacity - min_after_dequeue)))
        tf.summary.scalar('queue/%sfraction_over_%d_of_%d_full' % (
            queue.name, min_after_dequeue, capacity - min_after_dequeue), full)
        return queue


def _warn_about_threads(shuffle, num_threads, num_epochs):
    """TF 1.x's warnings where several feeding threads do not do what one might think."""
    if num_threads > 1 and num_epochs is not None:
        logging.warning(
            'enqueue_data was called with num_epochs and num_threads > 1. num_epochs is '
            'applied per thread, so this will produce more epochs than you probably intend. '
            'If you want to limit epochs, use one thread.')
    if shuffle and num_threads > 1 and num_epochs is not None:
        logging.warning(
            'enqueue_data was called with shuffle=True, num_threads > 1, and num_epochs. '
            'This will create multiple threads, all reading the array/dataframe in order '
            'adding to the same shuffling queue; the results will likely not be '
            'sufficiently shuffled.')
    if not shuffle and num_threads > 1:
        logging.warning(
            'enqueue_data was called with shuffle=False and num_threads > 1. This will '
            'create multiple threads, all reading the array/dataframe in order. If you want '
            'examples read in order, use one thread; if you want multiple threads, enable '
            'shuffling.')
