"""tf.contrib.lookup (TF 1.0-1.15): string-to-id tables in the graph, e.g. a classifier's
string labels made indices (`index_table_from_tensor(['<=50K', '>50K']).lookup(labels)`).
TensorFlow keeps them all in tensorflow/python/ops/lookup_ops.py; contrib's own older names
(string_to_index, index_to_string and the string_to_index_table_* functions) are its
deprecated shorthands, re-created below as TF 1.x defined them."""
from tensorflow.python.ops.lookup_ops import (
    FastHashSpec, HasherSpec, HashTable, IdTableWithHashBuckets,
    InitializableLookupTableBase, KeyValueTensorInitializer, LookupInterface,
    MutableHashTable, StrongHashSpec, TableInitializerBase, TextFileIdTableInitializer,
    TextFileIndex, TextFileInitializer, TextFileStringTableInitializer, index_table_from_file,
    index_table_from_tensor, index_to_string_table_from_file,
    index_to_string_table_from_tensor)
from tensorflow.python.ops.lookup_ops import DenseHashTable as MutableDenseHashTable

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
