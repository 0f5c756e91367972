"""contrib.layers' feature columns (TF 1.0-1.3's wide & deep tutorial, contrib.learn's
canned estimators): each is tf.feature_column's column of the same meaning (TF 1.x's own
contrib columns became them), marked as contrib's so that contrib's layers
(feature_column_ops.py) build and name their variables as TF 1.x did:

    real_valued_column              numeric_column (a NumPy `x` is the feature "")
    sparse_column_with_keys         categorical_column_with_vocabulary_list
    sparse_column_with_hash_bucket  categorical_column_with_hash_bucket
    sparse_column_with_vocabulary_file, sparse_column_with_integerized_feature (ids modulo
    bucket_size, as contrib took them), weighted_sparse_column, bucketized_column,
    crossed_column, embedding_column, one_hot_column

A sparse column's `combiner` (how contrib's linear layer adds an example's several
values: 'sum', 'mean' or 'sqrtn') is the column's `contrib_combiner`; isinstance() against
contrib's classes (`feature_column._SparseColumn`, `_RealValuedColumn` ...) tells the kinds.
"""
import collections
import math

import tensorflow.compat.v1 as tf
from tensorflow.python.feature_column import feature_column_v2 as core

fc = tf.feature_column

# A sparse column's vocabulary, as contrib's lookup_config field gave it.
_SparseIdLookupConfig = collections.namedtuple(
    '_SparseIdLookupConfig',
    ['vocabulary_file', 'keys', 'num_oov_buckets', 'vocab_size', 'default_value'],
    defaults=(None, None, 0, None, -1))


class _ContribFields(object):
    """contrib's columns were namedtuples whose fields scripts read (column.dimension,
    .bucket_size, .sparse_id_column ...): each here from tf.feature_column's own field of
    the same meaning, where that column has no field of the name. Immutable, as theirs."""
    __slots__ = ()

    def __setattr__(self, name, value):
        raise AttributeError("can't set attribute %r of a feature column" % name)

    @property
    def column_name(self):
        return self.key

    @property
    def dimension(self):  # a real-valued column's width
        return self.shape[0]

    @property
    def config(self):
        return self.parse_example_spec

    @property
    def bucket_size(self):
        return self.num_buckets

    @property
    def sparse_id_column(self):
        return self.categorical_column

    @property
    def weight_column_name(self):
        return self.weight_feature_key

    @property
    def columns(self):
        return self.keys

    @property
    def normalizer(self):
        return self.normalizer_fn

    @property
    def lookup_config(self):
        return _SparseIdLookupConfig(
            getattr(self, 'vocabulary_file', None), getattr(self, 'vocabulary_list', None),
            getattr(self, 'num_oov_buckets', 0), getattr(self, 'vocabulary_size', None),
            getattr(self, 'default_value', -1))


class RealValuedColumn(core.NumericColumn, _ContribFields):
    """A numeric column made by contrib's real_valued_column."""
    __slots__ = ()


class _IntegerizedColumn(core.IdentityCategoricalColumn):
    """contrib's integerized sparse column: an id is the value modulo bucket_size."""

    def _transform_input_tensor(self, input_tensor):
        values = tf.mod(tf.cast(input_tensor.values, tf.int64), self.number_buckets)
        return tf.SparseTensor(input_tensor.indices, values, input_tensor.dense_shape)


class _ContribClass(type):
    """isinstance() against contrib's column classes (`_SparseColumn` ...), which scripts
    checked columns with: true for the columns made as that kind."""

    def __instancecheck__(cls, instance):
        return contrib_kind_of(instance) in cls.kinds


def contrib_kind_of(column):
    """A contrib column's TF 1.x class name ('_SparseColumnKeys' ...), or None."""
    return getattr(column, 'contrib_kind', None) or (
        '_RealValuedColumn' if isinstance(column, RealValuedColumn) else None)


_SPARSE = ('_SparseColumnKeys', '_SparseColumnHashed', '_SparseColumnIntegerized',
           '_SparseColumnVocabulary')
_FeatureColumn = _ContribClass('_FeatureColumn', (), {'kinds': _SPARSE + (
    '_RealValuedColumn', '_WeightedSparseColumn', '_BucketizedColumn', '_CrossedColumn',
    '_EmbeddingColumn', '_OneHotColumn')})
_SparseColumn = _ContribClass('_SparseColumn', (), {'kinds': _SPARSE})
_RealValuedColumn = _ContribClass('_RealValuedColumn', (), {'kinds': ('_RealValuedColumn',)})
_WeightedSparseColumn, _BucketizedColumn, _CrossedColumn, _EmbeddingColumn, _OneHotColumn = (
    _ContribClass(kind, (), {'kinds': (kind,)}) for kind in (
        '_WeightedSparseColumn', '_BucketizedColumn', '_CrossedColumn', '_EmbeddingColumn',
        '_OneHotColumn'))

_CONTRIB_CLASSES = {}


def is_contrib(column):
    return contrib_kind_of(column) is not None


def _contrib(column, kind, combiner=None, shared=None):
    """`column`, marked as contrib's `kind` of column (its class name in TF 1.x); an
    embedding column `shared` names the matrix it shares (and is named `<ids>_shared_
    embedding`, as in TF 1.x)."""
    base = type(column)
    if base in _CONTRIB_CLASSES.values():  # a contrib column marked again
        base = base.__bases__[0]
    key = (base, shared is not None)
    if key not in _CONTRIB_CLASSES:  # its own fields first, then contrib's names for them
        members = {'name': property(_shared_embedding_name)} if shared else {}
        _CONTRIB_CLASSES[key] = type('Contrib' + ('Shared' if shared else '') + base.__name__,
                                     (base, _ContribFields), members)
    marked = _CONTRIB_CLASSES[key]._make(column)
    object.__setattr__(marked, 'contrib_kind', kind)
    object.__setattr__(marked, 'contrib_combiner', combiner)
    object.__setattr__(marked, 'shared_embedding_name', shared)
    return marked


def _shared_embedding_name(column):
    return '{}_shared_embedding'.format(column.categorical_column.name)


def _check_combiner(combiner):
    if combiner not in ('sum', 'mean', 'sqrtn'):
        raise ValueError('Combiner must be one of "mean", "sqrtn" or "sum", got %r'
                         % (combiner,))
    return combiner


def real_valued_column(column_name, dimension=1, default_value=None, dtype=tf.float32,
                       normalizer=None):
    """A dense column of `dimension` floats (or ints) read from features[column_name]."""
    if dimension is None:
        raise ValueError('real_valued_column(dimension=None), a variable-length column, is '
                         'not provided by tf1: give its dimension')
    if not (isinstance(dimension, int) and dimension >= 1):
        raise TypeError('dimension must be an integer >= 1. Given: %r' % (dimension,))
    column = fc.numeric_column(column_name, shape=(dimension,), default_value=default_value,
                               dtype=dtype, normalizer_fn=normalizer)
    return RealValuedColumn(*column)


def sparse_column_with_keys(column_name, keys, default_value=-1, combiner='sum',
                            dtype=tf.string):
    """Ids from a list of keys; other values get `default_value` (-1: no id)."""
    return _contrib(fc.categorical_column_with_vocabulary_list(
        column_name, tuple(keys), dtype=dtype, default_value=default_value),
        '_SparseColumnKeys', _check_combiner(combiner))


def sparse_column_with_hash_bucket(column_name, hash_bucket_size, combiner='sum',
                                   dtype=tf.string, hash_keys=None):
    """Ids by hashing the values into `hash_bucket_size` buckets."""
    if hash_keys is not None:
        raise ValueError('sparse_column_with_hash_bucket(hash_keys=...) is not provided by '
                         'tf1: leave it unset')
    return _contrib(fc.categorical_column_with_hash_bucket(column_name, hash_bucket_size,
                                                           dtype=dtype),
                    '_SparseColumnHashed', _check_combiner(combiner))


def sparse_column_with_integerized_feature(column_name, bucket_size, combiner='sum',
                                           dtype=tf.int64):
    """Integer values as ids, modulo `bucket_size`."""
    if not dtype.is_integer:
        raise ValueError('dtype must be an integer. dtype: {}, column_name: {}'.format(
            dtype, column_name))
    column = _IntegerizedColumn(column_name, bucket_size, None)
    return _contrib(column, '_SparseColumnIntegerized', _check_combiner(combiner))


def sparse_column_with_vocabulary_file(column_name, vocabulary_file, num_oov_buckets=0,
                                       vocab_size=None, default_value=-1, combiner='sum',
                                       dtype=tf.string):
    """Ids from a vocabulary file, one key per line."""
    return _contrib(fc.categorical_column_with_vocabulary_file(
        column_name, vocabulary_file, vocab_size, num_oov_buckets,
        None if num_oov_buckets else default_value, dtype),
        '_SparseColumnVocabulary', _check_combiner(combiner))


def weighted_sparse_column(sparse_id_column, weight_column_name, dtype=tf.float32):
    """A sparse column whose ids are weighted by the feature `weight_column_name`."""
    return _contrib(fc.weighted_categorical_column(sparse_id_column, weight_column_name,
                                                   dtype),
                    '_WeightedSparseColumn', getattr(sparse_id_column, 'contrib_combiner', 'sum'))


def bucketized_column(source_column, boundaries):
    """A real-valued column's values as bucket ids (one weight each in a linear model,
    a one-hot input to a DNN). Repeated boundaries are dropped, as contrib allowed them."""
    if not isinstance(source_column, _RealValuedColumn):
        raise TypeError('source_column must be an instance of _RealValuedColumn. '
                        'source_column: {}'.format(source_column))
    if not isinstance(boundaries, (list, tuple)) or not boundaries:
        raise ValueError('boundaries must be a non-empty list or tuple. boundaries: {}'
                         .format(boundaries))
    distinct = []
    for low, high in zip(boundaries[:-1], boundaries[1:]):
        if low > high:
            raise ValueError('boundaries must be a sorted list. boundaries: {}'
                             .format(boundaries))
        if low < high:
            distinct.append(low)
    distinct.append(boundaries[-1])
    return _contrib(fc.bucketized_column(source_column, distinct), '_BucketizedColumn',
                    'sum')


def crossed_column(columns, hash_bucket_size, combiner='sum', ckpt_to_load_from=None,
                   tensor_name_in_ckpt=None, hash_key=None):
    """The crosses of sparse (or bucketized) columns' values, hashed into buckets."""
    if ckpt_to_load_from is not None or tensor_name_in_ckpt is not None:
        raise ValueError('crossed_column(ckpt_to_load_from=...) is not provided by tf1: warm '
                         'start with tf.train.init_from_checkpoint')
    # contrib crossed hashed columns by their ids, which tf.feature_column refuses to.
    column = core.CrossedColumn(tuple(columns), hash_bucket_size, hash_key)
    return _contrib(column, '_CrossedColumn', _check_combiner(combiner))


def embedding_column(sparse_id_column, dimension, combiner='mean', initializer=None,
                     ckpt_to_load_from=None, tensor_name_in_ckpt=None, max_norm=None,
                     trainable=True):
    """A sparse column's ids as `dimension`-wide learnt vectors, for a DNN; initialized as
    contrib did, truncated normal of stddev 1/sqrt(number of ids) (tf.feature_column's
    takes 1/sqrt(dimension))."""
    if initializer is None:
        initializer = tf.truncated_normal_initializer(
            stddev=1.0 / math.sqrt(sparse_id_column._num_buckets))
    return _contrib(fc.embedding_column(sparse_id_column, dimension, _check_combiner(combiner),
                                        initializer, ckpt_to_load_from, tensor_name_in_ckpt,
                                        max_norm, trainable),
                    '_EmbeddingColumn')


def shared_embedding_columns(sparse_id_columns, dimension, combiner='mean',
                             shared_embedding_name=None, initializer=None,
                             ckpt_to_load_from=None, tensor_name_in_ckpt=None, max_norm=None,
                             trainable=True):
    """Embedding columns of several sparse columns that share one embedding matrix, the
    variable `shared_embedding_name` (by default the sorted column names joined, as
    `a_b_shared_embedding`), sized by the first column's ids; one column alone is a plain
    embedding column, which takes the name if given."""
    if not isinstance(sparse_id_columns, (list, tuple)):
        raise TypeError('sparse_id_columns must be a non-string sequence (ex: list or tuple) '
                        'instead of type {}.'.format(type(sparse_id_columns)))
    if not sparse_id_columns:
        raise ValueError('The input sparse_id_columns should have at least one element.')
    for column in sparse_id_columns:
        if not isinstance(column, (_SparseColumn, _WeightedSparseColumn)):
            raise TypeError('Elements of sparse_id_columns must be _SparseColumn or '
                            '_WeightedSparseColumn, but {} is not.'.format(column))
    if len(sparse_id_columns) > 1:
        sizes = {column._num_buckets for column in sparse_id_columns}
        dtypes = {_ids_column(column).dtype for column in sparse_id_columns}
        if len(sizes) > 1 or len(dtypes) > 1:
            raise ValueError('The input sparse id columns are not compatible.')
        if not shared_embedding_name:
            # Sparse columns first, then weighted ones, each by name: the same name
            # whatever order the columns come in.
            ordered = (sorted((c for c in sparse_id_columns if isinstance(c, _SparseColumn)),
                              key=lambda c: c.name) +
                       sorted((c for c in sparse_id_columns
                               if isinstance(c, _WeightedSparseColumn)), key=lambda c: c.name))
            shared_embedding_name = '_'.join(column.name for column in ordered[:3])
            if len(ordered) > 3:
                shared_embedding_name += '_plus_{}_others'.format(len(ordered) - 3)
            shared_embedding_name += '_shared_embedding'
    columns = []
    for column in sparse_id_columns:
        embedded = embedding_column(column, dimension, combiner, initializer,
                                    ckpt_to_load_from, tensor_name_in_ckpt, max_norm,
                                    trainable)
        if shared_embedding_name:
            embedded = _contrib(embedded, '_EmbeddingColumn', shared=shared_embedding_name)
        columns.append(embedded)
    return tuple(columns) if len(columns) > 1 else columns


def _ids_column(column):
    return getattr(column, 'categorical_column', column)


def one_hot_column(sparse_id_column):
    """A sparse column's ids as one-hot (multi-hot) vectors, for a DNN."""
    return _contrib(fc.indicator_column(sparse_id_column), '_OneHotColumn')


def create_feature_spec_for_parsing(feature_columns):
    """The tf.parse_example spec of the columns' features."""
    return fc.make_parse_example_spec(list(feature_columns))


def infer_real_valued_columns(features):
    """A real-valued column for each feature (a tensor is the feature ""), of the width
    of one example flattened, as TF 1.x inferred them."""
    if not isinstance(features, dict):
        return [_column('', features)]
    return [_column(key, value) for key, value in sorted(features.items())]


def _column(name, tensor):
    dtype = tf.as_dtype(tensor.dtype)
    if not (dtype.is_floating or dtype.is_integer):
        raise ValueError('Non-float and non-integer types are not supported: %s in feature '
                         '%r' % (dtype.name, name))
    dimension = tensor.shape[1:].num_elements()
    if dimension is None:
        raise ValueError('The shape of feature %r is not fully known beyond the batch: %s'
                         % (name, tensor.shape))
    return real_valued_column(name, dimension=dimension, dtype=dtype)
