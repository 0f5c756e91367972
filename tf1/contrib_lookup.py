"""tf.contrib.lookup (TF 1.0-1.15): string-to-id tables in the graph, e.g. a classifier's
string labels made indices (`index_table_from_tensor(['<=50K', '>50K']).lookup(labels)`).
TensorFlow keeps them all in tensorflow/python/ops/lookup_ops.py; contrib's own older names
(string_to_index, index_to_string and the string_to_index_table_* functions) are its
deprecated shorthands, re-created below as TF 1.x defined them."""
import tensorflow.compat.v1 as tf
from tensorflow.python.ops.lookup_ops import (
    FastHashSpec, HasherSpec, IdTableWithHashBuckets,
    InitializableLookupTableBase, KeyValueTensorInitializer, LookupInterface,
    MutableHashTable, StrongHashSpec, TableInitializerBase, TextFileIdTableInitializer,
    TextFileIndex, TextFileInitializer, TextFileStringTableInitializer, index_table_from_file,
    index_to_string_table_from_file)
from tensorflow.python.ops import lookup_ops
from tensorflow.python.ops.lookup_ops import DenseHashTable as MutableDenseHashTable


class HashTable(lookup_ops.HashTable):
    """TF 1.x's immutable table, with its `shared_name`: tables of one name share one
    resource (across sessions of a server, and between graph nodes), as TF 1.x's did."""

    def __init__(self, initializer, default_value, shared_name=None, name=None):
        self._requested_shared_name = shared_name
        super(HashTable, self).__init__(initializer, default_value, name=name)

    def _create_resource(self):
        if self._requested_shared_name:  # else TensorFlow's own unique name
            self._shared_name = self._requested_shared_name
        return super(HashTable, self)._create_resource()


def index_table_from_tensor(mapping, num_oov_buckets=0, default_value=-1,
                            hasher_spec=FastHashSpec, dtype=tf.string, name=None):
    """A table from each string of `mapping` (contrib's name for TensorFlow's
    vocabulary_list) to its index; others to `default_value`, or hashed into
    `num_oov_buckets` extra ids."""
    if mapping is None:
        raise ValueError('mapping must be specified.')
    return lookup_ops.index_table_from_tensor(
        vocabulary_list=mapping, num_oov_buckets=num_oov_buckets,
        default_value=default_value, hasher_spec=hasher_spec,
        dtype=dtype, name=name)


def index_to_string_table_from_tensor(mapping, default_value='UNK', name=None):
    """A table from each index to the string of `mapping` there, `default_value` out of
    range."""
    if mapping is None:
        raise ValueError('mapping must be specified.')
    return lookup_ops.index_to_string_table_from_tensor(
        vocabulary_list=mapping, default_value=default_value, name=name)


# TF 1.0's names for the index tables.
string_to_index_table_from_file = index_table_from_file
string_to_index_table_from_tensor = index_table_from_tensor


def string_to_index(tensor, mapping, default_value=-1, name=None):
    """The index of each string of `tensor` in `mapping` (a 1-D string tensor),
    `default_value` for those not in it."""
    table = index_table_from_tensor(mapping=mapping, default_value=default_value, name=name)
    return table.lookup(tensor)


def index_to_string(tensor, mapping, default_value='UNK', name=None):
    """The string of `mapping` at each index of `tensor`, `default_value` out of range."""
    table = index_to_string_table_from_tensor(mapping=mapping, default_value=default_value,
                                              name=name)
    return table.lookup(tensor)


__all__ = ['FastHashSpec', 'HasherSpec', 'HashTable', 'IdTableWithHashBuckets',
           'InitializableLookupTableBase', 'KeyValueTensorInitializer', 'LookupInterface',
           'MutableDenseHashTable', 'MutableHashTable', 'StrongHashSpec',
           'TableInitializerBase', 'TextFileIdTableInitializer', 'TextFileIndex',
           'TextFileInitializer', 'TextFileStringTableInitializer', 'index_table_from_file',
           'index_table_from_tensor', 'index_to_string', 'index_to_string_table_from_file',
           'index_to_string_table_from_tensor', 'string_to_index',
           'string_to_index_table_from_file', 'string_to_index_table_from_tensor']
