"""tf.contrib.learn.io, the input functions of TF 1.0's Estimators, as TF 1.0's "Getting
Started" wrote them:

    input_fn = tf.contrib.learn.io.numpy_input_fn({'x': x}, y, batch_size=4, num_epochs=1000)
    estimator.fit(input_fn=input_fn, steps=1000)

numpy_input_fn and pandas_input_fn are tf.estimator.inputs' (estimator_inputs.py), with
contrib's default of shuffling; the extract_pandas_* helpers turn a DataFrame into the arrays
contrib.learn's fit(x, y) took; the queue-based graph_io readers (read_batch_features ...)
are contrib_learn_graph_io.py's. Not provided: generator_input_fn and dask: a one-line
error."""
import numpy as np

from tf1 import contrib_learn_graph_io as graph_io
from tf1 import estimator_inputs
from tf1.contrib_learn_graph_io import (  # noqa: F401 (the namespace's names)
    queue_parsed_features, read_batch_examples, read_batch_features,
    read_batch_record_features, read_keyed_batch_examples,
    read_keyed_batch_examples_shared_queue, read_keyed_batch_features,
    read_keyed_batch_features_shared_queue)

try:
    import pandas  # optional, as for TF 1.x
    HAS_PANDAS = True
except ImportError:
    HAS_PANDAS = False
HAS_DASK = False

__all__ = ['numpy_input_fn', 'pandas_input_fn', 'extract_pandas_data', 'extract_pandas_labels',
           'extract_pandas_matrix', 'HAS_PANDAS', 'HAS_DASK'] + graph_io.__all__


def numpy_input_fn(x, y=None, batch_size=128, num_epochs=1, shuffle=True, queue_capacity=1000,
                   num_threads=1):
    """tf.estimator.inputs.numpy_input_fn, shuffling unless told not to."""
    return estimator_inputs.numpy_input_fn(x, y, batch_size, num_epochs, shuffle,
                                           queue_capacity, num_threads)


def pandas_input_fn(x, y=None, batch_size=128, num_epochs=1, shuffle=True, queue_capacity=1000,
                    num_threads=1, target_column='target'):
    """tf.estimator.inputs.pandas_input_fn, shuffling unless told not to."""
    return estimator_inputs.pandas_input_fn(x, y, batch_size, num_epochs, shuffle,
                                            queue_capacity, num_threads, target_column)


def extract_pandas_data(data):
    """A DataFrame's values as a float array (numbers and booleans only); anything else
    unchanged."""
    if not HAS_PANDAS or not isinstance(data, pandas.DataFrame):
        return data
    bad = [column for column in data if data[column].dtype.name not in _PANDAS_NUMERIC]
    if bad:
        raise ValueError('Data types for extracting pandas data must be int, float, or bool. '
                         'Found: ' + ', '.join(bad))
    return data.values.astype('float')


def extract_pandas_matrix(data):
    """A DataFrame's values as an array; anything else unchanged."""
    if not HAS_PANDAS or not isinstance(data, pandas.DataFrame):
        return data
    return data.values


def extract_pandas_labels(labels):
    """One column of labels (a DataFrame or Series) as a float array; anything else
    unchanged."""
    if not HAS_PANDAS or not isinstance(labels, (pandas.DataFrame, pandas.Series)):
        return labels
    if isinstance(labels, pandas.DataFrame) and len(labels.columns) > 1:
        raise ValueError('Only one column for labels is allowed.')
    dtypes = ([labels.dtype.name] if isinstance(labels, pandas.Series)
              else [labels[column].dtype.name for column in labels])
    if any(dtype not in _PANDAS_NUMERIC for dtype in dtypes):
        raise ValueError('Data types for extracting labels must be int, float, or bool.')
    return np.asarray(labels.values).astype('float')


_PANDAS_NUMERIC = {'int8', 'int16', 'int32', 'int64', 'uint8', 'uint16', 'uint32', 'uint64',
                   'float16', 'float32', 'float64', 'bool'}
