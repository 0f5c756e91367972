"""tf.contrib.feature_column (TF 1.10-1.15): sequence feature columns and the input layer
that turns them into an RNN's input, as TF 1.15's own sequence_feature_column_test checks
them (that file passes unchanged under `python -m tf1`; not shipped)."""
import numpy as np
import pytest
import tensorflow.compat.v1 as tf

from tf1.api import tensorflow as tf1_api

tf.disable_v2_behavior()
pytestmark = pytest.mark.usefixtures('fresh_graph')  # conftest.py
sfc = tf1_api.contrib.feature_column


def sparse(rows, dtype):
    """A batch of variable-length rows as the SparseTensor parse_example makes of them."""
    indices = [[r, c] for r, row in enumerate(rows) for c in range(len(row))]
    values = [v for row in rows for v in row]
    return tf.SparseTensor(indices, tf.constant(values, dtype),
                           [len(rows), max(len(row) for row in rows)])


def test_sequence_input_layer_concatenates_columns_by_name_with_the_lengths():
    # Two examples of 2 and 1 steps: a word id and two numbers at each step.
    features = {'words': sparse([[3, 1], [2]], tf.int64),
                'weights': sparse([[1., 2., 3., 4.], [5., 6.]], tf.float32)}
    words = sfc.sequence_categorical_column_with_identity('words', num_buckets=5)
    columns = [tf.feature_column.indicator_column(words),
               sfc.sequence_numeric_column('weights', shape=(2,))]
    inputs, lengths = sfc.sequence_input_layer(features, columns)
    context = sfc.concatenate_context_input(tf.constant([[7.], [8.]]), inputs)
    with tf.Session() as session:
        inputs, lengths, context = session.run([inputs, lengths, context])
    assert lengths.tolist() == [2, 1]
    # "weights" sorts before "words_indicator": its two numbers come first at each step.
    np.testing.assert_array_equal(inputs[0], [[1, 2, 0, 0, 0, 1, 0], [3, 4, 0, 1, 0, 0, 0]])
    np.testing.assert_array_equal(inputs[1], [[5, 6, 0, 0, 1, 0, 0], [0, 0, 0, 0, 0, 0, 0]])
    assert context.shape == (2, 2, 8) and (context[:, :, 7] == [[7, 7], [8, 8]]).all()


def test_an_rnn_trains_on_an_embedded_sequence_column():
    features = {'words': sparse([[3, 1, 4], [2, 2]], tf.int64)}
    words = sfc.sequence_categorical_column_with_vocabulary_list(
        'words', vocabulary_list=[1, 2, 3, 4], dtype=tf.int64)
    inputs, lengths = sfc.sequence_input_layer(
        features, [tf.feature_column.embedding_column(words, dimension=3)])
    cell = tf1_api.nn.rnn_cell.GRUCell(4)  # TF 1.x's cell, as a script gets it
    _, state = tf.nn.dynamic_rnn(cell, inputs, sequence_length=lengths, dtype=tf.float32)
    loss = tf.reduce_mean(tf.square(state - 0.5))
    train = tf.train.AdamOptimizer(0.1).minimize(loss)
    assert any('sequence_input_layer/words_embedding' in v.name
               for v in tf.trainable_variables())
    with tf.Session() as session:
        session.run([tf.global_variables_initializer(), tf.tables_initializer()])
        before = session.run(loss)
        for _ in range(30):
            session.run(train)
        assert session.run(loss) < before / 10


def test_a_column_that_is_not_a_sequence_is_refused_in_one_line():
    column = tf.feature_column.numeric_column('price')
    with pytest.raises(ValueError, match='All feature_columns must be of type '
                                         '_SequenceDenseColumn'):
        sfc.sequence_input_layer({'price': tf.ones([2, 1])}, [column])
    with pytest.raises(ValueError, match='dtype must be convertible to float'):
        sfc.sequence_numeric_column('name', dtype=tf.string)
