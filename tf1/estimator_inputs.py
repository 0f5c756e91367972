"""TF 1.x's `tf.estimator.inputs`: input functions that feed in-memory arrays to an Estimator.

TF 1.x fed the arrays through a queue filled by Python threads. Here a tf.data generator
does the same job: the arrays stay in Python (nothing is baked into the graph, so the
meta-graph saved with every checkpoint stays small) and the semantics are TF 1.x's:
epochs follow one another as one stream of examples cut into batches, the last partial
batch is kept when `num_epochs` is set, and `num_epochs=None` repeats forever. One
difference: shuffle=True puts each epoch in a fresh random order, where TF 1.x's
RandomShuffleQueue drew at random from the `queue_capacity` examples queued so far.
"""
import collections

import numpy as np
import tensorflow.compat.v1 as tf

_DIRECT_INPUT_KEY = '__direct_np_input__'  # an array `x` travels under this key
_TARGET_KEY = '__target_key__'             # an array `y` travels under this key (or
                                           # this with '_n's, if a feature has it)


def numpy_input_fn(x, y=None, batch_size=128, num_epochs=1, shuffle=None,
                   queue_capacity=1000, num_threads=1):
    """An input_fn returning (features, labels) batches of `x` (a dict of arrays, or an
    array) and `y` (an array, a dict of arrays, or None: then only the features)."""
    if not isinstance(shuffle, bool):
        raise ValueError('shuffle must be provided and explicitly set as boolean (it is '
                         'recommended to set it as True for training); got {}'.format(shuffle))
    if not (isinstance(batch_size, int) and batch_size > 0):
        raise ValueError('batch_size must be a positive integer; got {}'.format(batch_size))
    if num_epochs is not None and not (isinstance(num_epochs, int) and num_epochs >= 0):
        raise ValueError('num_epochs must be a non-negative integer or None (forever); '
                         'got {}'.format(num_epochs))
    # queue_capacity and num_threads tuned TF 1.x's feeding queue; the generator needs
    # neither, and the order of the examples never depended on them when shuffle=False.
    del queue_capacity, num_threads

    def input_fn():
        arrays, feature_keys, target_keys = _named_arrays(x, y)
        # The graph-level seed (RunConfig.tf_random_seed) makes shuffling repeatable, as
        # TF 1.x's RandomShuffleQueue did.
        seed = tf.get_default_graph().seed

        def batches():
            for indices in _batch_indices(len(next(iter(arrays.values()))), batch_size,
                                          num_epochs, shuffle, seed):
                yield {key: array[indices] for key, array in arrays.items()}

        signature = {key: tf.TensorSpec((None,) + array.shape[1:], _tensor_dtype(array))
                     for key, array in arrays.items()}
        # prefetch: the next batch is cut while the model trains on this one, as TF 1.x's
        # queue was filled by background threads.
        dataset = tf.data.Dataset.from_generator(batches, output_signature=signature).prefetch(1)
        batch = tf.data.make_one_shot_iterator(dataset).get_next()
        features = (batch[_DIRECT_INPUT_KEY] if feature_keys == [_DIRECT_INPUT_KEY]
                    else {key: batch[key] for key in feature_keys})
        if target_keys is None:
            return features
        if not isinstance(y, dict):
            return features, batch[target_keys[0]]
        return features, {key: batch[key] for key in target_keys}

    return input_fn


def pandas_input_fn(x, y=None, batch_size=128, num_epochs=1, shuffle=None,
                    queue_capacity=1000, num_threads=1, target_column='target'):
    """numpy_input_fn for a pandas DataFrame `x` (one feature per column) and a Series `y`
    (the labels; `target_column` only must not be one of x's columns, as in TF 1.x) or a
    DataFrame `y` (a dict of labels, one per column; its names may be x's too), whose index
    must be x's."""
    try:
        import pandas as pd
    except ImportError:
        raise TypeError('pandas_input_fn should not be called without pandas installed') from None
    if not isinstance(shuffle, bool):
        raise ValueError('shuffle must be provided and explicitly set as boolean (it is '
                         'recommended to set it as True for training); got {}'.format(shuffle))
    if not isinstance(target_column, str):
        raise TypeError('target_column must be a string type')
    # In flight, each column under a key of its own ('x0', 'y0' ...): the names may be of
    # any type (a DataFrame of an array has 0, 1 ...) and y's may repeat x's.
    features = {'x%d' % i: column for i, column in enumerate(x.columns)}
    arrays = {key: x[column].values for key, column in features.items()}
    labels = None  # {key: y's column} for a DataFrame y, the key of a Series y's values
    if y is not None:
        if target_column in x:
            raise ValueError('Cannot use name %s for target column: DataFrame already has a '
                             'column with that name: %s' % (target_column, list(x.columns)))
        if not np.array_equal(x.index, y.index):
            raise ValueError('Index for x and y are mismatched: x has %s, y has %s' % (
                _index_summary(x.index), _index_summary(y.index)))
        if isinstance(y, pd.DataFrame):
            labels = {'y%d' % i: column for i, column in enumerate(y.columns)}
            arrays.update((key, y[column].values) for key, column in labels.items())
        else:
            labels = 'y'
            arrays[labels] = y.values
    batches = numpy_input_fn(arrays, None, batch_size, num_epochs, shuffle, queue_capacity,
                             num_threads)

    def input_fn():
        batch = batches()
        named = {column: batch[key] for key, column in features.items()}
        if labels is None:
            return named
        if isinstance(labels, dict):
            return named, {column: batch[key] for key, column in labels.items()}
        return named, batch[labels]

    return input_fn


def _index_summary(index):
    """A pandas index in a few words: its length and first labels."""
    return '%d rows (%s%s)' % (len(index), ', '.join(map(str, index[:3])),
                               ', ...' if len(index) > 3 else '')


def _named_arrays(x, y):
    """One ordered dict of every array (features first, then targets), with the keys of
    the features and of the targets (None when there is no `y`), checked as TF 1.x did."""
    arrays = _validate_and_convert_features(x)
    feature_keys = list(arrays)
    if y is None:
        target_keys = None
    elif isinstance(y, dict):
        if not y:
            raise ValueError('y cannot be empty dict, use None instead.')
        duplicates = set(feature_keys) & set(y)
        if duplicates:
            raise ValueError('{} duplicate keys are found in both x and y: {}'.format(
                len(duplicates), duplicates))
        target_keys = sorted(y)
        arrays.update((key, y[key]) for key in target_keys)
    else:
        target_keys = [_get_unique_target_key(arrays)]
        arrays[target_keys[0]] = y
    arrays = collections.OrderedDict((key, np.asarray(value)) for key, value in arrays.items())
    if len(set(array.shape[0] for array in arrays.values())) != 1:
        raise ValueError('Length of tensors in x and y is mismatched. All elements in x and y '
                         'must have the same length. Shapes: {}'.format(
                             {key: array.shape for key, array in arrays.items()}))
    return arrays, feature_keys, target_keys


def _validate_and_convert_features(x):
    """`x` (a dict of arrays, or one array) as an OrderedDict of its features in sorted
    order, checked; the name is TF 1.x's, which scripts that copied numpy_io.py import."""
    if isinstance(x, dict):
        if not x:
            raise ValueError('x cannot be an empty dict')
        return collections.OrderedDict(sorted(x.items()))
    if isinstance(x, np.ndarray):
        if x.size == 0:
            raise ValueError('x cannot be an empty array')
        return collections.OrderedDict([(_DIRECT_INPUT_KEY, x)])
    raise TypeError('x must be a dict or array; got {}'.format(type(x).__name__))


def _get_unique_target_key(features):
    """A key not in `features` to carry an array `y` beside them (TF 1.x's name)."""
    target_key = _TARGET_KEY
    while target_key in features:
        target_key += '_n'
    return target_key


def _tensor_dtype(array):
    """The TensorFlow dtype of `array`'s elements: text of any kind becomes tf.string."""
    return tf.string if array.dtype.kind in 'SUO' else tf.as_dtype(array.dtype)


def _batch_indices(count, batch_size, num_epochs, shuffle, seed):
    """Index arrays of one batch each: epoch after epoch of `count` examples (each epoch
    in a fresh random order when shuffling) as one stream, cut every `batch_size`."""
    rng = np.random.RandomState(seed)
    pending = np.zeros(0, dtype=np.int64)
    epoch = 0
    while num_epochs is None or epoch < num_epochs:
        order = rng.permutation(count) if shuffle else np.arange(count)
        pending = np.concatenate([pending, order])
        epoch += 1
        while len(pending) >= batch_size:
            yield pending[:batch_size]
            pending = pending[batch_size:]
    if len(pending):
        yield pending
