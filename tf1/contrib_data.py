"""tf.contrib.data of TF 1.2-1.15: its Dataset, readers and Iterator (TF 1.2-1.3, before
TF 1.4 moved them to tf.data), and its transformations that TF 2.x renamed or dropped (TF
1.15's contrib/data/python/ops). The rest of tf.contrib.data is tf.data.experimental,
where TF moved it (group_by_window, bucket_by_sequence_length, shuffle_and_repeat,
map_and_batch, parallel_interleave, ...).

    dataset = tf.contrib.data.TextLineDataset(filenames)
    dataset = dataset.map(parse_line, num_threads=4, output_buffer_size=1000)  # TF 1.2
    iterator = dataset.shuffle(1000).batch(32).make_initializable_iterator()
"""
import numpy as np
import tensorflow.compat.v1 as tf
from tensorflow.python.data.ops import dataset_ops
from tensorflow.python.data.util import nest  # tf.data's: a list is one tensor, not a tuple

__all__ = ['Dataset', 'FixedLengthRecordDataset', 'Iterator', 'TFRecordDataset',
           'TextLineDataset', 'assert_element_shape', 'batch_and_drop_remainder',
           'padded_batch_and_drop_remainder', 'reduce_dataset', 'sliding_window_batch',
           'sloppy_interleave']

Iterator = tf.data.Iterator


class Dataset(dataset_ops.DatasetV1Adapter):
    """tf.contrib.data.Dataset: tf.data's Dataset whose transformations return contrib
    Datasets, whose `map` takes TF 1.2's `num_threads` and `output_buffer_size`, and
    which keeps the methods TF 1.4 turned into functions for `apply`.

    TF 1.2-1.3 built a dataset's ops only when an iterator was made, so a dataset defined
    at a script's top level served an Estimator's input_fn, whose graph is another. Each
    contrib Dataset remembers how it was made (`recipe`), and is made again when it is
    used in a graph other than its own."""

    def __init__(self, dataset, recipe=None):
        # tf.compat.v1's datasets wrap a TF 2 one; wrap that one, not the wrapper.
        super(Dataset, self).__init__(getattr(dataset, '_dataset', dataset))
        self._recipe = recipe
        self._copy = None  # this dataset made in the graph that used it last

    def map(self, map_func, num_threads=None, output_buffer_size=None,
            num_parallel_calls=None):
        """map_func over the elements, `num_threads` (or `num_parallel_calls`) at a time;
        `output_buffer_size` elements prefetched, as TF 1.2's map buffered them."""
        mapped = _made(dataset_ops.DatasetV1.map, self, _traced_as_is(map_func),
                       num_parallel_calls=num_parallel_calls or num_threads)
        return mapped if output_buffer_size is None else mapped.prefetch(output_buffer_size)

    def dense_to_sparse_batch(self, batch_size, row_shape):
        return self.apply(tf.data.experimental.dense_to_sparse_batch(batch_size, row_shape))

    # What iterators and transformations read: this dataset as made in the current graph.
    _variant_tensor = property(lambda self: self._here()._variant_tensor_attr)
    _graph = property(lambda self: self._here()._graph_attr)

    def _inputs(self):
        return self._here()._dataset._inputs()

    def _here(self):
        graph = tf.get_default_graph()
        if self._graph_attr is graph or self._recipe is None:
            return self
        # Only the copy for the graph used last is kept: a top-level dataset keeps at
        # most that one of the graphs it served (an Estimator makes one per call) alive.
        if self._copy is None or self._copy._graph_attr is not graph:
            function, args, kwargs = self._recipe
            self._copy = _made(function, *_here(args), **_here(kwargs))
        return self._copy


def _made(function, *args, **kwargs):
    """function(*args, **kwargs) as a contrib Dataset that remembers how it was made."""
    return Dataset(function(*args, **kwargs), recipe=(function, args, kwargs))


def _here(structure):
    """`structure` with each contrib Dataset in it as made in the current graph."""
    return tf.nest.map_structure(
        lambda value: value._here() if isinstance(value, Dataset) else value, structure)


def _returning_contrib_dataset(method):
    """`method`, its result a contrib Dataset and its functions traced as they are: TF
    1.2-1.4's datasets had no AutoGraph (which warns about lambdas it cannot parse)."""
    def transformation(*args, **kwargs):
        args = [_traced_as_is(value) for value in args]
        kwargs = {key: _traced_as_is(value) for key, value in kwargs.items()}
        return _made(method, *args, **kwargs)
    transformation.__name__, transformation.__doc__ = method.__name__, method.__doc__
    return transformation


def _traced_as_is(value):
    if callable(value) and not isinstance(value, (tf.data.Dataset, type)):
        return tf.autograph.experimental.do_not_convert(value)
    return value


# Every transformation returns a contrib Dataset, so that TF 1.2's `map` arguments work
# anywhere in a chain; the constructors make contrib Datasets too.
for _name in ('apply', 'batch', 'cache', 'concatenate', 'enumerate', 'filter', 'flat_map',
              'group_by_window', 'ignore_errors', 'interleave', 'padded_batch', 'prefetch',
              'repeat', 'shard', 'shuffle', 'skip', 'take', 'unbatch'):
    setattr(Dataset, _name, _returning_contrib_dataset(getattr(dataset_ops.DatasetV1, _name)))
for _name in ('from_generator', 'from_sparse_tensor_slices', 'from_tensor_slices',
              'from_tensors', 'list_files', 'range', 'zip'):
    setattr(Dataset, _name, staticmethod(_returning_contrib_dataset(
        getattr(dataset_ops.DatasetV1, _name))))


def TextLineDataset(filenames, compression_type=None, buffer_size=None):  # noqa: N802
    """The lines of text files, as a contrib Dataset."""
    return _made(tf.data.TextLineDataset, filenames, compression_type, buffer_size)


def TFRecordDataset(filenames, compression_type=None, buffer_size=None):  # noqa: N802
    """The records of TFRecord files, as a contrib Dataset."""
    return _made(tf.data.TFRecordDataset, filenames, compression_type, buffer_size)


def FixedLengthRecordDataset(filenames, record_bytes, header_bytes=None,  # noqa: N802
                             footer_bytes=None, buffer_size=None):
    """The fixed-length records of binary files, as a contrib Dataset."""
    return _made(tf.data.FixedLengthRecordDataset, filenames, record_bytes, header_bytes,
                 footer_bytes, buffer_size)


def batch_and_drop_remainder(batch_size):
    """A transformation for Dataset.apply: batches of exactly `batch_size`."""
    return lambda dataset: dataset.batch(batch_size, drop_remainder=True)


def padded_batch_and_drop_remainder(batch_size, padded_shapes, padding_values=None):
    """A transformation for Dataset.apply: padded batches of exactly `batch_size`."""
    return lambda dataset: dataset.padded_batch(batch_size, padded_shapes, padding_values,
                                                drop_remainder=True)


def sloppy_interleave(map_func, cycle_length, block_length=1):
    """parallel_interleave that may take elements out of order."""
    return tf.data.experimental.parallel_interleave(map_func, cycle_length, block_length,
                                                    sloppy=True)


def sliding_window_batch(window_size, stride=None, window_shift=None, window_stride=1):
    """A transformation for Dataset.apply: each window of `window_size` elements, every
    `window_stride`-th, as a batch, the windows `window_shift` (TF 1.9's `stride`) apart;
    a last window that is not full is dropped. Built as TF 1.15's deprecation notice said
    (Dataset.window, each window batched)."""
    if stride is not None and window_shift is not None:
        raise ValueError('Cannot specify both `stride` and `window_shift`')
    # each may be a tensor (a placeholder fed at the iterator's initialisation)
    shift = window_shift if window_shift is not None else stride if stride is not None else 1

    def apply(dataset):
        windows = dataset.window(window_size, shift, window_stride, drop_remainder=True)
        return windows.flat_map(lambda *window: tf.data.Dataset.zip(nest.map_structure(
            lambda part: part.batch(window_size), window if len(window) > 1 else window[0])))
    return apply


def assert_element_shape(expected_shapes):
    """A transformation for Dataset.apply: the elements' shapes merged with
    `expected_shapes` (a structure of TensorShapes like the elements'; an unknown
    dimension is not checked), each checked when the element is read."""
    def check(*elements):
        element = elements if len(elements) > 1 else elements[0]
        tensors = nest.flatten(element)
        shapes = nest.flatten_up_to(element, expected_shapes)
        return nest.pack_sequence_as(element, [
            tf.ensure_shape(tensor, shape) if tf.TensorShape(shape).ndims is not None
            else tensor for tensor, shape in zip(tensors, shapes)])
    return lambda dataset: dataset.map(check)


def reduce_dataset(dataset, reducer):
    """`dataset` reduced by a tf.data.experimental.Reducer (its init_func and reduce_func:
    TF 1.15's did not apply the finalize_func)."""
    if not isinstance(dataset, dataset_ops.DatasetV2):
        raise TypeError('`dataset` must be a `tf.data.Dataset` object.')
    return dataset.reduce(reducer.init_func(np.int64(0)), reducer.reduce_func)
