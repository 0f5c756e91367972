"""contrib.layers' functions that make no weights, as TF 1.15 had them: dense_to_sparse
(CTC labels from padded ones), scale_gradient (the identity, its gradient scaled: the
gradient reversal of domain-adversarial training) and embedding_lookup_unique (each
distinct id looked up once)."""
import tensorflow.compat.v1 as tf

from tf1.contrib_framework.arg_scope import add_arg_scope
from tf1.contrib_layers import utils


@add_arg_scope
def dense_to_sparse(tensor, eos_token=0, outputs_collections=None, scope=None):
    """The entries of `tensor` other than `eos_token`, as a SparseTensor of its shape."""
    with tf.variable_scope(scope, 'dense_to_sparse', [tensor]) as sc:
        tensor = tf.convert_to_tensor(tensor)
        indices = tf.where(tf.not_equal(tensor, tf.constant(eos_token, tensor.dtype)))
        outputs = tf.SparseTensor(indices, tf.gather_nd(tensor, indices),
                                  tf.shape(tensor, out_type=tf.int64))
        return utils.collect_named_outputs(outputs_collections, sc.name, outputs)


def scale_gradient(inputs, gradient_multiplier):
    """`inputs` unchanged going forward; the gradient flowing back through it multiplied by
    `gradient_multiplier` (a float or a scalar tensor; -1 reverses it)."""
    inputs = tf.convert_to_tensor(inputs)
    multiplier = tf.convert_to_tensor(gradient_multiplier, dtype=inputs.dtype)

    @tf.custom_gradient
    def identity(x):
        return tf.identity(x), lambda grad: grad * multiplier
    return identity(inputs)


def embedding_lookup_unique(params, ids, partition_strategy='mod', name=None):
    """tf.nn.embedding_lookup of `ids` of any shape, each distinct id gathered once (the
    rows are then copied to where they repeat): [ids' shape] + [the embedding's]."""
    with tf.name_scope(name, 'EmbeddingLookupUnique', [params, ids]):
        ids = tf.convert_to_tensor(ids)
        shape = tf.shape(ids)
        unique_ids, positions = tf.unique(tf.reshape(ids, tf.reduce_prod(shape, keepdims=True)))
        unique_embeddings = tf.nn.embedding_lookup(params, unique_ids, partition_strategy)
        embeddings = tf.reshape(tf.gather(unique_embeddings, positions),
                                tf.concat([shape, tf.shape(unique_embeddings)[1:]], 0))
        embeddings.set_shape(ids.get_shape().concatenate(unique_embeddings.get_shape()[1:]))
        return embeddings
