"""tf.contrib.feature_column (TF 1.10-1.15): feature columns for sequences, and the input
layer that turns them into an RNN's [batch, time, depth] input. Ported from TF 1.15's
contrib/feature_column/python/feature_column/sequence_feature_column.py, on the TF 1.x
feature-column machinery TF 2.21 still ships (tensorflow.python.feature_column)."""
import collections

import tensorflow.compat.v1 as tf
# TF 1.x's feature columns (_LazyBuilder, _SequenceDenseColumn ...), which the public
# tf.feature_column no longer exposes.
from tensorflow.python.feature_column import feature_column as fc
from tensorflow.python.feature_column import utils as fc_utils

__all__ = ['sequence_input_layer', 'concatenate_context_input',
           'sequence_categorical_column_with_identity',
           'sequence_categorical_column_with_hash_bucket',
           'sequence_categorical_column_with_vocabulary_file',
           'sequence_categorical_column_with_vocabulary_list', 'sequence_numeric_column']


def sequence_input_layer(features, feature_columns, weight_collections=None, trainable=True):
    """(input_layer [batch, T, D], sequence_length [batch]) for sequence dense columns
    (sequence_numeric_column, or an embedding or indicator column of a sequence categorical
    column), their outputs concatenated in the order of their names. All must have the same
    sequence lengths."""
    feature_columns = fc._normalize_feature_columns(feature_columns)
    for column in feature_columns:
        if not isinstance(column, fc._SequenceDenseColumn):
            raise ValueError('All feature_columns must be of type _SequenceDenseColumn. You '
                             'can wrap a sequence_categorical_column with an embedding_column '
                             'or indicator_column. Given (type {}): {}'.format(type(column),
                                                                               column))
    with tf.variable_scope(None, default_name='sequence_input_layer',
                           values=features.values()):
        builder = fc._LazyBuilder(features)
        outputs, lengths, ordered = [], [], []
        for column in sorted(feature_columns, key=lambda c: c.name):
            ordered.append(column)
            with tf.variable_scope(None, default_name=column._var_scope_name):
                dense, length = column._get_sequence_dense_tensor(
                    builder, weight_collections=weight_collections, trainable=trainable)
                # Each step's values flattened: a 3-D tensor.
                shape = tf.shape(dense)
                outputs.append(tf.reshape(dense, [shape[0], shape[1],
                                                  column._variable_shape.num_elements()]))
                lengths.append(length)
        fc._verify_static_batch_size_equality(outputs, ordered)
        fc._verify_static_batch_size_equality(lengths, ordered)
        return tf.concat(outputs, -1), _assert_all_equal_and_return(lengths)


def concatenate_context_input(context_input, sequence_input):
    """`context_input` [batch, d1] repeated at every step of `sequence_input` [batch, T, d0]
    and appended to it: [batch, T, d0 + d1]."""
    checks = [
        tf.assert_rank(sequence_input, 3, message='sequence_input must have rank 3',
                       data=[tf.shape(sequence_input)]),
        tf.assert_type(sequence_input, tf.float32,
                       message='sequence_input must have dtype float32; got {}.'.format(
                           sequence_input.dtype)),
        tf.assert_rank(context_input, 2, message='context_input must have rank 2',
                       data=[tf.shape(context_input)]),
        tf.assert_type(context_input, tf.float32,
                       message='context_input must have dtype float32; got {}.'.format(
                           context_input.dtype))]
    with tf.control_dependencies(checks):
        padded_length = tf.shape(sequence_input)[1]
        tiled = tf.tile(tf.expand_dims(context_input, 1),
                        tf.concat([[1], [padded_length], [1]], 0))
    return tf.concat([sequence_input, tiled], 2)


def sequence_categorical_column_with_identity(key, num_buckets, default_value=None):
    """Sequences of integer ids in [0, num_buckets)."""
    return fc._SequenceCategoricalColumn(fc._categorical_column_with_identity(
        key=key, num_buckets=num_buckets, default_value=default_value))


def sequence_categorical_column_with_hash_bucket(key, hash_bucket_size, dtype=tf.string):
    """Sequences of terms whose ids are their hashes' buckets."""
    return fc._SequenceCategoricalColumn(fc._categorical_column_with_hash_bucket(
        key=key, hash_bucket_size=hash_bucket_size, dtype=dtype))


def sequence_categorical_column_with_vocabulary_file(
        key, vocabulary_file, vocabulary_size=None, num_oov_buckets=0, default_value=None,
        dtype=tf.string):
    """Sequences of terms whose ids are their lines in a vocabulary file."""
    return fc._SequenceCategoricalColumn(fc._categorical_column_with_vocabulary_file(
        key=key, vocabulary_file=vocabulary_file, vocabulary_size=vocabulary_size,
        num_oov_buckets=num_oov_buckets, default_value=default_value, dtype=dtype))


def sequence_categorical_column_with_vocabulary_list(
        key, vocabulary_list, dtype=None, default_value=-1, num_oov_buckets=0):
    """Sequences of terms whose ids are their places in a vocabulary list."""
    return fc._SequenceCategoricalColumn(fc._categorical_column_with_vocabulary_list(
        key=key, vocabulary_list=vocabulary_list, dtype=dtype, default_value=default_value,
        num_oov_buckets=num_oov_buckets))


def sequence_numeric_column(key, shape=(1,), default_value=0., dtype=tf.float32,
                            normalizer_fn=None):
    """Sequences of numbers, `shape` of them at each step."""
    shape = fc._check_shape(shape=shape, key=key)
    if not (dtype.is_integer or dtype.is_floating):
        raise ValueError('dtype must be convertible to float. dtype: {}, key: {}'.format(
            dtype, key))
    if normalizer_fn is not None and not callable(normalizer_fn):
        raise TypeError('normalizer_fn must be a callable. Given: {}'.format(normalizer_fn))
    return _SequenceNumericColumn(key, shape=shape, default_value=default_value, dtype=dtype,
                                  normalizer_fn=normalizer_fn)


def _assert_all_equal_and_return(tensors, name=None):
    """The first tensor, once all are checked equal to it."""
    with tf.name_scope(name, 'assert_all_equal', values=tensors):
        if len(tensors) == 1:
            return tensors[0]
        with tf.control_dependencies([tf.assert_equal(tensors[0], t) for t in tensors[1:]]):
            return tf.identity(tensors[0])


class _SequenceNumericColumn(
        fc._SequenceDenseColumn,
        collections.namedtuple('_SequenceNumericColumn',
                               ['key', 'shape', 'default_value', 'dtype', 'normalizer_fn'])):
    """Sequences of numeric data, parsed as a VarLenFeature."""

    @property
    def name(self):
        return self.key

    @property
    def _parse_example_spec(self):
        return {self.key: tf.VarLenFeature(self.dtype)}

    def _transform_feature(self, inputs):
        input_tensor = inputs.get(self.key)
        if self.normalizer_fn is not None:
            input_tensor = self.normalizer_fn(input_tensor)
        return input_tensor

    @property
    def _variable_shape(self):
        return tf.TensorShape(self.shape)

    def _get_sequence_dense_tensor(self, inputs, weight_collections=None, trainable=None):
        # No variables: weight_collections and trainable do not apply.
        sparse = inputs.get(self)
        dense = tf.sparse_tensor_to_dense(sparse, default_value=self.default_value)
        # [batch_size, T, variable_shape]
        dense = tf.reshape(dense, tf.concat(
            [tf.shape(dense)[:1], [-1], self._variable_shape], axis=0))
        # 2-D values are grouped into steps of num_elements; 3-D ones already are.
        num_elements = self._variable_shape.num_elements() if sparse.shape.ndims == 2 else 1
        length = fc_utils.sequence_length_from_sparse_tensor(sparse,
                                                            num_elements=num_elements)
        return fc._SequenceDenseColumn.TensorSequenceLengthPair(dense_tensor=dense,
                                                                sequence_length=length)
