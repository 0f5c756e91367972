"""contrib.layers' layers of feature columns (TF 1.x's contrib/layers/python/layers/
feature_column_ops.py), for the columns of feature_column.py: a DNN's input and a linear
model, with contrib's variables and names.

    input_from_feature_columns          [batch, width]: embeddings (`COLUMN/weights`),
                                        one-hot and real values, side by side
    weighted_sum_from_feature_columns   the linear model: `COLUMN/weights` per sparse
                                        column, `COLUMN/weight` per real-valued one,
                                        `bias_weight`
    parse_feature_columns_from_examples the columns' features from tf.Examples
    transform_features                  each column's transformed value

Columns are taken in contrib's order (by their TF 1.x class name, then name), which fixes
where each sits in a DNN's input and so the layout of its first layer's weights.
"""
import tensorflow.compat.v1 as tf
from tensorflow.python.feature_column import feature_column as fc_v1
from tensorflow.python.feature_column import feature_column_v2 as core

from tf1 import contrib_framework
from tf1.contrib_layers.feature_column import contrib_kind_of, create_feature_spec_for_parsing


def check_feature_columns(feature_columns):
    """TF 1.x's checks of a layer's columns: an iterable of them (not a dict), none twice
    (a contrib column's key was its whole configuration, as its repr here)."""
    if isinstance(feature_columns, dict):
        raise ValueError('Expected feature_columns to be iterable, found dict.')
    seen_keys = set()
    for column in feature_columns:
        key = repr(column)
        if key in seen_keys:
            raise ValueError('Duplicate feature column key found for column: {}. This usually '
                             'means that the column is almost identical to another column, '
                             'and one must be discarded.'.format(column.name))
        seen_keys.add(key)


def input_from_feature_columns(columns_to_tensors, feature_columns, weight_collections=None,
                               trainable=True, scope=None):
    """The DNN input layer: each column's dense value for the batch, concatenated."""
    check_feature_columns(feature_columns)
    with tf.variable_scope(scope, default_name='input_from_feature_columns',
                           values=tuple(columns_to_tensors.values())):
        builder = fc_v1._LazyBuilder(columns_to_tensors)
        outputs = []
        for column in contrib_order(feature_columns):
            with tf.variable_scope(None, default_name=column.name):
                outputs.append(_dnn_input(column, builder, weight_collections, trainable,
                                          columns_to_tensors.get(column)))
        return tf.concat(outputs, axis=1)


def weighted_sum_from_feature_columns(columns_to_tensors, feature_columns, num_outputs,
                                      weight_collections=None, trainable=True, scope=None):
    """The linear model: (predictions, {column: [its variable]}, bias)."""
    check_feature_columns(feature_columns)
    with tf.variable_scope(scope, default_name='weighted_sum_from_feature_columns',
                           values=tuple(columns_to_tensors.values())):
        builder = fc_v1._LazyBuilder(columns_to_tensors)
        outputs, column_to_variable = [], {}
        for column in contrib_order(feature_columns):
            with tf.variable_scope(None, default_name=column.name):
                if isinstance(column, core.CategoricalColumn):
                    ids = column._get_sparse_tensors(builder, trainable=trainable)
                    weights = _variable('weights', [column._num_buckets, num_outputs],
                                        tf.zeros_initializer(), trainable, weight_collections)
                    predictions = tf.nn.safe_embedding_lookup_sparse(
                        weights, ids.id_tensor, ids.weight_tensor,
                        combiner=getattr(column, 'contrib_combiner', None) or 'sum')
                else:
                    dense = _flat(column, builder, trainable)
                    weights = _variable('weight', [dense.shape[1], num_outputs],
                                        tf.zeros_initializer(), trainable, weight_collections)
                    predictions = tf.matmul(dense, weights, name='matmul')
            outputs.append(tf.reshape(predictions, [-1, num_outputs]))
            column_to_variable[column] = [weights]
        bias = _variable('bias_weight', [num_outputs], tf.zeros_initializer(), trainable,
                         weight_collections)
        return tf.nn.bias_add(tf.add_n(outputs), bias), column_to_variable, bias


def parse_feature_columns_from_examples(serialized, feature_columns, name=None,
                                        example_names=None):
    """The columns' features parsed from a batch of serialized tf.Examples, and, keyed by
    the column, each column's transformed value (bucket ids, looked-up ids ...)."""
    check_feature_columns(feature_columns)
    parsed = tf.parse_example(serialized, create_feature_spec_for_parsing(feature_columns),
                              name=name, example_names=example_names)
    parsed.update(transform_features(parsed, feature_columns))
    return parsed


def transform_features(features, feature_columns):
    """{column: its transformed value} for each of `feature_columns`, from `features`: a
    real-valued column's (normalised) values, a sparse column's ids, a bucketized
    column's bucket ids, a weighted column's (ids, weights) ..."""
    check_feature_columns(feature_columns)
    builder = fc_v1._LazyBuilder(features)
    return {column: builder.get(column) for column in sorted(set(feature_columns),
                                                             key=lambda c: c.name)}


def contrib_order(feature_columns):
    """The columns (once each) sorted as contrib sorted them: by their TF 1.x repr."""
    return sorted(set(feature_columns), key=_contrib_key)


def _contrib_key(column):
    kind = contrib_kind_of(column) or type(column).__name__
    inner = getattr(column, 'categorical_column', None) or getattr(column, 'source_column',
                                                                   None)
    return (kind,) + (_contrib_key(inner) if inner is not None else (column.name,))


def _dnn_input(column, builder, weight_collections, trainable, given=None):
    """The column's part of a DNN's input; `given`: the column's ids (or values) where
    the features hold them under the column itself, as TF 1.x's layers took them."""
    if isinstance(column, core.EmbeddingColumn):
        ids = (fc_v1._CategoricalColumn.IdWeightPair(given, None) if given is not None else
               column.categorical_column._get_sparse_tensors(builder, trainable=trainable))
        shape = [column.categorical_column._num_buckets, column.dimension]
        shared_name = getattr(column, 'shared_embedding_name', None)
        if shared_name:
            embeddings = _shared_embeddings(shared_name, shape, column, trainable,
                                            weight_collections)
        else:
            embeddings = _variable('weights', shape, column.initializer,
                                   trainable and column.trainable, weight_collections)
        if column.ckpt_to_load_from is not None:  # the embeddings start from a checkpoint's
            tf.train.init_from_checkpoint(column.ckpt_to_load_from,
                                          {column.tensor_name_in_ckpt: embeddings})
        return tf.nn.safe_embedding_lookup_sparse(embeddings, ids.id_tensor, ids.weight_tensor,
                                                  combiner=column.combiner,
                                                  max_norm=column.max_norm)
    if isinstance(column, core.DenseColumn):
        return _flat(column, builder, trainable)
    raise ValueError('Column {} is not supported in DNN. Please use embedding_column or '
                     'one_hot_column. column: {}'.format(column.name, column))


def _shared_embeddings(shared_name, shape, column, trainable, weight_collections):
    """The embedding matrix shared columns look up: made (named `shared_name`, in the
    first such column's scope) by the first, found in its graph collection by the
    others, as TF 1.x's contrib layers did."""
    collection = tf.get_default_graph().get_collection_ref(
        'SHARED_EMBEDDING_COLLECTION_' + shared_name.upper())
    if not collection:
        collection.append(_variable(shared_name, shape, column.initializer,
                                    trainable and column.trainable, weight_collections))
    elif len(collection) > 1:
        raise ValueError('Collection %s can only contain one (partitioned) variable.'
                         % ('SHARED_EMBEDDING_COLLECTION_' + shared_name.upper()))
    elif collection[0].get_shape() != shape:
        raise ValueError('The embedding variable with name {} already exists, but its shape '
                         'does not match required embedding shape here. Please make sure to '
                         'use different shared_embedding_name for different shared '
                         'embeddings.'.format(shared_name))
    return collection[0]


def _flat(column, builder, trainable):
    """A dense column's tensor as [batch, width], its width the column's (a weighted
    one-hot tensor's own shape does not know it)."""
    tensor = column._get_dense_tensor(builder, trainable=trainable)
    return tf.reshape(tensor, [-1, column._variable_shape.num_elements()])


def _variable(name, shape, initializer, trainable, collections):
    return contrib_framework.model_variable(name, shape, initializer=initializer,
                                            trainable=trainable, collections=collections)
