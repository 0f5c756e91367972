"""tf.contrib.estimator's RNNClassifier and RNNEstimator (TF 1.10-1.15) over
tf.contrib.feature_column's sequence columns: they learn a sequence task, keep TF 1.15's
variable names, and take a context column, a cell type or a cell function."""
import numpy as np
import pytest
import tensorflow.compat.v1 as tf

from tf1 import contrib_estimator, rnn_cell
from tf1.api import tensorflow as tf1_api

tf.disable_v2_behavior()
sfc = tf1_api.contrib.feature_column


def sequences(count=200, seed=0):
    """Sequences of 2-6 tokens (ids 0-9); the class: whether token 7 occurs."""
    rng = np.random.RandomState(seed)
    rows = [rng.randint(0, 10, rng.randint(2, 7)).tolist() for _ in range(count)]
    return rows, np.array([[int(7 in row)] for row in rows])


def input_fn(rows, labels, epochs=None):
    def make():
        dataset = tf.data.Dataset.from_generator(
            lambda: ((np.array(row, np.int64), label, np.float32(len(row)))
                     for row, label in zip(rows, labels)),
            (tf.int64, tf.int64, tf.float32), ([None], [1], []))
        dataset = dataset.repeat(epochs).padded_batch(20, ([None], [1], []),
                                                      (np.int64(-1), np.int64(0), 0.0))
        tokens, label, length = tf.data.make_one_shot_iterator(dataset).get_next()
        # As parse_example gives a sequence: a SparseTensor of each row's ids.
        tokens = tf1_api.contrib.layers.dense_to_sparse(tokens, eos_token=-1)
        return {'tokens': tokens, 'length': tf.expand_dims(length, 1)}, label
    return make


def token_columns():
    tokens = sfc.sequence_categorical_column_with_identity('tokens', num_buckets=10)
    return [tf.feature_column.embedding_column(tokens, dimension=4)]


def test_rnn_classifier_learns_whether_a_token_occurs(tmp_path):
    rows, labels = sequences()
    model = contrib_estimator.RNNClassifier(
        token_columns(), context_feature_columns=[tf.feature_column.numeric_column('length')],
        num_units=[16], cell_type='gru', optimizer='Adam', model_dir=str(tmp_path))
    model.train(input_fn(rows, labels), steps=300)
    results = model.evaluate(input_fn(*sequences(100, seed=1), epochs=1))
    assert results['accuracy'] > 0.9, results
    names = {name for name, _ in tf.train.list_variables(str(tmp_path))}
    assert {'rnn/rnn/gru_cell/gates/kernel', 'rnn/logits/dense/kernel',
            'rnn/sequence_input_layer/sequence_input_layer/tokens_embedding/embedding_weights'
            } <= names  # TF 1.15's names
    predictions = list(model.predict(input_fn(rows[:3], labels[:3], epochs=1)))
    assert [int(p['class_ids'][0]) for p in predictions] == labels[:3, 0].tolist()


@pytest.mark.parametrize('cells', [
    dict(num_units=[8, 8], cell_type='lstm'),
    dict(rnn_cell_fn=lambda mode: rnn_cell.BasicRNNCell(8)),
])
def test_rnn_estimator_on_a_head_takes_a_cell_type_or_a_cell_function(cells, tmp_path):
    rows, labels = sequences(60)
    model = contrib_estimator.RNNEstimator(contrib_estimator.regression_head(),
                                           token_columns(), model_dir=str(tmp_path), **cells)
    model.train(input_fn(rows, labels.astype(np.float32)), steps=5)
    assert np.isfinite(model.evaluate(input_fn(rows, labels, epochs=1))['loss'])
