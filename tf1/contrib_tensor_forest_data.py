"""tf.contrib.tensor_forest's data_ops (TF 1.4-1.15): the features and labels a forest takes,
as one float32 matrix and the kinds of its columns; and the module's public functions as
TF 1.15 had them (ParseDataTensorOrDict ..., which tflearn's forests and k-means call;
`contrib.tensor_forest.python.ops.data_ops`)."""
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
        columns.append(tf.cast(CastToFloat(part), tf.float32))  # float64 too
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


# ---------------------------------------------------------------------------- TF 1.15's API

DATA_FLOAT, DATA_CATEGORICAL = 0, 1
DTYPE_TO_FTYPE = {tf.string: DATA_CATEGORICAL, tf.int32: DATA_CATEGORICAL,
                  tf.int64: DATA_CATEGORICAL, tf.float32: DATA_FLOAT, tf.float64: DATA_FLOAT}


def CastToFloat(tensor):
    """Floats as they are, integers cast, strings hashed to a float (as this forest reads
    them; TF 1.x's own reinterpret_string_to_float kernel is gone)."""
    if tensor.dtype == tf.string:
        return tf.cast(tf.strings.to_hash_bucket_fast(tensor, 2 ** 24), tf.float32)
    return tf.cast(tensor, tf.float32) if tensor.dtype.is_integer else tensor


class DataColumn(object):
    def __init__(self):
        self.name, self.original_type, self.size = '', '', 0

    def SerializeToString(self):
        return 'name: {0} original_type: {1} size: {2}'.format(
            self.name, self.original_type, self.size)


class DataColumnCollection(object):
    """DataColumns, as a proto's repeated field."""

    def __init__(self):
        self.cols = []

    def add(self):
        self.cols.append(DataColumn())
        return self.cols[-1]

    def size(self):
        return len(self.cols)

    def SerializeToString(self):
        return ''.join('{%s}' % column.SerializeToString() for column in self.cols)


class TensorForestDataSpec(object):
    def __init__(self):
        self.sparse, self.dense = DataColumnCollection(), DataColumnCollection()
        self.dense_features_size = 0

    def SerializeToString(self):
        return 'dense_features_size: %d dense: [%s] sparse: [%s]' % (
            self.dense_features_size, self.dense.SerializeToString(),
            self.sparse.SerializeToString())


def GetColumnName(column_key, col_num):
    if isinstance(column_key, str):
        return column_key
    return getattr(column_key, 'column_name', str(col_num))


def ParseDataTensorOrDict(data):
    """(dense float32 features or None, sparse features or None, TensorForestDataSpec) of
    a tensor, a SparseTensor or a dict of them (its columns in sorted key order)."""
    spec = TensorForestDataSpec()
    if isinstance(data, tf.SparseTensor):
        _add_column(spec.sparse, 'sparse_features', DTYPE_TO_FTYPE[data.dtype], -1)
        return None, data, spec
    if not isinstance(data, dict):
        data = tf.convert_to_tensor(data)
        spec.dense_features_size = data.shape.as_list()[1]
        _add_column(spec.dense, 'dense_features', DTYPE_TO_FTYPE[data.dtype],
                    spec.dense_features_size)
        return data, None, spec
    dense, sparse = [], []
    for key in sorted(data):
        column = data[key]
        if isinstance(column, tf.SparseTensor):
            if column.dtype == tf.float32:
                tf.logging.info('TensorForest does not support sparse continuous.')
                continue
            if not sparse:
                _add_column(spec.sparse, 'all_sparse', DATA_CATEGORICAL, -1)
            sparse.append(tf.SparseTensor(column.indices, CastToFloat(column.values),
                                          column.dense_shape))
        else:
            size = 1 if column.shape.ndims == 1 else column.shape.as_list()[1]
            _add_column(spec.dense, GetColumnName(key, len(dense)),
                        DTYPE_TO_FTYPE[column.dtype], size)
            spec.dense_features_size += size
            dense.append(CastToFloat(column))
    tf.logging.info(spec.SerializeToString())
    return (tf.concat(dense, 1) if dense else None,
            tf.sparse.concat(1, sparse) if sparse else None, spec)


def _add_column(collection, name, original_type, size):
    column = collection.add()
    column.name, column.original_type, column.size = name, original_type, size


def ParseLabelTensorOrDict(labels):
    """Labels as float32, a dict's columns in sorted key order, sparse ones made dense
    (missing: -1)."""
    def dense(label):
        if isinstance(label, tf.SparseTensor):
            return tf.sparse.to_dense(label, default_value=-1)
        return label
    if isinstance(labels, dict):
        return tf.cast(tf.concat([dense(labels[key]) for key in sorted(labels)], 1),
                       tf.float32)
    return tf.cast(dense(labels), tf.float32)
