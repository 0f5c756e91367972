"""tf.contrib.layers' encoders (tf1/contrib_layers/encoders.py): embed_sequence and
bow_encoder, their variables as TF 1.x named them and their outputs against NumPy."""
import numpy as np
import pytest
import tensorflow.compat.v1 as tf

from tf1 import contrib_layers

tf.disable_v2_behavior()

IDS = np.array([[1, 4, 4, 0], [2, 0, 0, 0]], np.int64)  # 0 pads the second sequence


def run(*tensors):
    with tf.Session() as session:
        session.run(tf.global_variables_initializer())
        return session.run(list(tensors))


def test_embed_sequence_looks_up_each_id():
    with tf.Graph().as_default():
        embedded = contrib_layers.embed_sequence(IDS, vocab_size=5, embed_dim=3)
        unique = contrib_layers.embed_sequence(IDS, unique=True, scope='EmbedSequence',
                                               reuse=True)
        (embeddings,) = tf.get_collection(tf.GraphKeys.MODEL_VARIABLES)
        assert embeddings.op.name == 'EmbedSequence/embeddings'
        assert embedded.shape.as_list() == unique.shape.as_list() == [2, 4, 3]
        embedded, unique, table = run(embedded, unique, embeddings)
    np.testing.assert_allclose(embedded, table[IDS])
    np.testing.assert_allclose(unique, table[IDS])
    with pytest.raises(ValueError, match='Must specify vocab size and embedding dimension'):
        contrib_layers.embed_sequence(IDS)


def test_bow_encoder_averages_the_words_without_the_padding():
    with tf.Graph().as_default():
        sparse = contrib_layers.bow_encoder(IDS, vocab_size=5, embed_dim=3)
        dense = contrib_layers.bow_encoder(IDS, 5, 3, sparse_lookup=False, scope='dense')
        names = [v.op.name for v in tf.get_collection(tf.GraphKeys.MODEL_VARIABLES)]
        assert names == ['bow_encoder/embeddings', 'dense/embeddings']
        sparse, dense, (table, dense_table) = run(
            sparse, dense, tf.get_collection(tf.GraphKeys.MODEL_VARIABLES))
    np.testing.assert_allclose(sparse, [table[[1, 4, 4]].mean(axis=0), table[2]], rtol=1e-6)
    np.testing.assert_allclose(dense, dense_table[IDS].mean(axis=1), rtol=1e-6)
