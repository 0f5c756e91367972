"""contrib.layers' encoders (TF 1.x's contrib/layers/python/layers/encoders.py): a learned
embedding of a sequence of word ids, `embed_sequence` (the seq2seq courses' encoders), and
the mean of the embeddings of a bag of words, `bow_encoder` (TF 1.x's text classification
examples), each with its `embeddings` a model variable under its scope."""
import tensorflow.compat.v1 as tf

from tf1.contrib_framework.variables import model_variable


def embed_sequence(ids, vocab_size=None, embed_dim=None, unique=False, initializer=None,
                   regularizer=None, trainable=True, scope=None, reuse=None):
    """ids [batch, time] -> embeddings [batch, time, embed_dim] from EmbedSequence/embeddings
    [vocab_size, embed_dim]; `unique` looks each distinct id up once."""
    if not (reuse or (vocab_size and embed_dim)):
        raise ValueError('Must specify vocab size and embedding dimension when not reusing. '
                         'Got vocab_size=%s and embed_dim=%s' % (vocab_size, embed_dim))
    with tf.variable_scope(scope, 'EmbedSequence', [ids], reuse=reuse):
        shape = [vocab_size, embed_dim]
        if reuse and vocab_size is None or embed_dim is None:  # TF 1.x's precedence
            shape = None
        embeddings = model_variable('embeddings', shape=shape, initializer=initializer,
                                    regularizer=regularizer, trainable=trainable)
        if unique:
            return _embedding_lookup_unique(embeddings, ids)
        return tf.nn.embedding_lookup(embeddings, ids)


def bow_encoder(ids, vocab_size, embed_dim, sparse_lookup=True, initializer=None,
                regularizer=None, trainable=True, scope=None, reuse=None):
    """ids [batch, words] (0 is padding when `sparse_lookup`) -> the mean of their
    embeddings [batch, embed_dim], from bow_encoder/embeddings [vocab_size, embed_dim]."""
    with tf.variable_scope(scope, 'bow_encoder', [ids], reuse=reuse):
        embeddings = model_variable('embeddings', shape=[vocab_size, embed_dim],
                                    initializer=initializer, regularizer=regularizer,
                                    trainable=trainable)
        if sparse_lookup:
            sparse_ids = ids if isinstance(ids, tf.SparseTensor) else _dense_to_sparse(ids)
            return tf.nn.safe_embedding_lookup_sparse([embeddings], sparse_ids,
                                                      combiner='mean', default_id=0)
        if isinstance(ids, tf.SparseTensor):
            raise TypeError('ids are expected to be dense Tensor, got: %s' % ids)
        return tf.reduce_mean(tf.nn.embedding_lookup(embeddings, ids), axis=1)


def _dense_to_sparse(dense):
    """The entries of `dense` other than its dtype's zero, as contrib's
    dense_to_sparse_tensor gave them."""
    dense = tf.convert_to_tensor(dense)
    indices = tf.where(tf.not_equal(dense, tf.zeros([], dense.dtype)))
    return tf.SparseTensor(indices, tf.gather_nd(dense, indices),
                           tf.shape(dense, out_type=tf.int64))


def _embedding_lookup_unique(params, ids):
    """embedding_lookup of each distinct id once, gathered back to ids' shape."""
    ids = tf.convert_to_tensor(ids)
    unique_ids, positions = tf.unique(tf.reshape(ids, [-1]))
    unique_embeddings = tf.nn.embedding_lookup(params, unique_ids)
    embeddings = tf.reshape(tf.gather(unique_embeddings, positions),
                            tf.concat([tf.shape(ids), tf.shape(unique_embeddings)[1:]], 0))
    embeddings.set_shape(ids.shape.concatenate(unique_embeddings.shape[1:]))
    return embeddings
