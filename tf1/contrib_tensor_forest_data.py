"""tf.contrib.tensor_forest's data_ops (TF 1.4-1.15): the features and labels a forest takes,
as one float32 matrix and the kinds of its columns."""
import numpy as np
import tensorflow.compat.v1 as tf


def dense_features(data, num_features):
    """(one float32 matrix, which of its columns are categorical, which were sparse): TF
    1.x's ParseDataTensorOrDict, a dict's columns in sorted key order. Sparse columns are
    made dense (a missing value reads 0, as TF 1.x's kernels read it); a dict's sparse float
    columns are left out, as TF 1.x left them."""
    if isinstance(data, dict):
        parts = []
        for key in sorted(data):
            if _is_sparse(data[key]) and data[key].dtype.is_floating:
                tf.logging.info('TensorForest does not support sparse continuous.')
            else:
                parts.append(data[key])
    else:
        parts = [data]
    columns, categorical, sparse = [], [], []
    for part in parts:
        is_sparse = _is_sparse(part)
        if is_sparse:
            width = tf.get_static_value(part.dense_shape)
            width = num_features if width is None else int(width[1])
            part = tf.sparse.to_dense(tf.sparse.reorder(part), default_value=(
                '' if part.dtype == tf.string else 0))
            part.set_shape([None, width])
        part = tf.convert_to_tensor(part)
        if part.shape.ndims == 1:
            part = tf.expand_dims(part, 1)
        width = part.shape.as_list()[1]
        if width is None:
            raise ValueError('tensor_forest: the features need a known number of columns, '
                             'got shape %s' % part.shape)
        categorical += [part.dtype.is_integer or part.dtype == tf.string] * width
        sparse += [is_sparse] * width
        if part.dtype == tf.string:
            part = tf.strings.to_hash_bucket_fast(part, 2 ** 24)
        columns.append(tf.cast(part, tf.float32))
    data = columns[0] if len(columns) == 1 else tf.concat(columns, 1)
    return data, Columns(np.array(categorical, bool), np.array(sparse, bool))


class Columns(object):
    """Which feature columns are categorical (split by equality) and which came sparse
    (a candidate split is proposed only on one an example has, as TF 1.x did)."""

    def __init__(self, categorical, sparse):
        self.categorical, self.sparse = categorical, sparse

    def __getitem__(self, bagged):
        return Columns(self.categorical[bagged], self.sparse[bagged])


def _is_sparse(tensor):
    return isinstance(tensor, (tf.SparseTensor, tf.SparseTensorValue))


def labels_matrix(labels):
    """TF 1.x's ParseLabelTensorOrDict: float32, a dict's columns in sorted key order."""
    if isinstance(labels, dict):
        labels = tf.concat([tf.reshape(labels[key], [-1, 1]) if labels[key].shape.ndims == 1
                            else labels[key] for key in sorted(labels)], 1)
    labels = tf.cast(labels, tf.float32)
    return tf.reshape(labels, [-1, 1]) if labels.shape.ndims == 1 else labels


def columns_or_dense(columns, data):
    """The columns' kinds: as the forest parsed them, else all dense and continuous."""
    if columns is not None:
        return columns
    none = np.zeros(data.shape.as_list()[1], bool)
    return Columns(none, none)


def check_classes(labels, num_classes):
    classes = labels[:, 0]
    bad = (classes < 0) | (classes >= num_classes) | (classes != np.floor(classes))
    if bad.any():
        raise ValueError('tensor_forest: label %r is not a class in [0, %d) (is '
                         'params.num_classes set correctly?)'
                         % (float(classes[bad][0]), num_classes))
