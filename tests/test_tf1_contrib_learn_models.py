"""tf1's tf.contrib.learn.models, .ops, preprocessing.CategoricalProcessor and
estimators._sklearn (TF 1.15's skflow-era pieces): the regressions' predictions and losses
against NumPy on their own variables, categorical_variable's embeddings, the processor's ids,
as the ilblackdragon/tf_examples Titanic scripts use them, the seq2seq ops, and _sklearn's
NumPy stand-ins for scikit-learn."""
import numpy as np
import pytest
import tensorflow.compat.v1 as tf

from tf1.api import tensorflow as tf1_api

tf.disable_v2_behavior()
pytestmark = pytest.mark.usefixtures('fresh_graph')  # conftest.py
learn = tf1_api.contrib.learn
RNG = np.random.RandomState(0)


def test_logistic_and_linear_regression_are_their_formulas(evaluate):
    x = RNG.rand(8, 3).astype(np.float32)
    classes = np.array([0, 1, 2, 1, 0, 2, 1, 0])
    probabilities, cross_entropy = learn.models.logistic_regression(
        tf.constant(x), tf.one_hot(classes, 3), init_mean=0.0, init_stddev=0.5)
    targets = RNG.rand(8).astype(np.float32)
    predictions, squared = learn.models.linear_regression(tf.constant(x), tf.constant(targets))
    assert [v.op.name for v in tf.global_variables()] == [
        'logistic_regression/weights', 'logistic_regression/bias', 'linear_regression/weights',
        'linear_regression/bias']
    assert len(tf.get_collection(tf.GraphKeys.SUMMARIES)) == 8  # x, y, weights, bias each
    got = evaluate(probabilities, cross_entropy, predictions, squared, *tf.global_variables())
    p, ce, prediction, mse, w1, b1, w2, b2 = got
    logits = x @ w1 + b1
    softmax = np.exp(logits) / np.exp(logits).sum(1, keepdims=True)
    np.testing.assert_allclose(p, softmax, rtol=1e-5)
    np.testing.assert_allclose(ce, -np.log(softmax[range(8), classes]).mean(), rtol=1e-5)
    np.testing.assert_allclose(prediction, (x @ w2 + b2)[:, 0], rtol=1e-5)  # squeezed
    np.testing.assert_allclose(mse, ((prediction - targets) ** 2).mean(), rtol=1e-5)


def test_categorical_variable_embeds_each_id(evaluate):
    ids = np.array([[2], [0], [2]])
    embedded = learn.ops.categorical_variable(tf.constant(ids), 3, embedding_size=4,
                                              name='embarked')
    table = tf.global_variables()[0]
    assert table.op.name == 'embarked/embarked_embeddings'
    assert embedded.shape.as_list() == [3, 1, 4]
    got, values = evaluate(embedded, table)
    np.testing.assert_array_equal(got[:, 0], values[ids[:, 0]])


def test_categorical_processor_numbers_each_columns_categories():
    rows = [['S', 'male'], ['C', 'female'], ['S', float('nan')], ['Q', 'male']]
    processor = learn.preprocessing.CategoricalProcessor()
    ids = np.array(list(processor.fit_transform(rows)))
    np.testing.assert_array_equal(ids, [[1, 1], [2, 2], [1, 0], [3, 1]])  # NaN: unknown, 0
    assert ids.dtype == np.int64
    unseen = np.array(list(processor.transform([['X', 'female']])))
    np.testing.assert_array_equal(unseen, [[0, 2]])  # frozen after fit: new categories are 0
    shared = learn.preprocessing.CategoricalProcessor(share=True)
    np.testing.assert_array_equal(list(shared.fit_transform([['a', 'b'], ['b', 'c']])),
                                  [[1, 2], [2, 3]])
    rare = learn.preprocessing.CategoricalProcessor(min_frequency=1)
    np.testing.assert_array_equal(list(rare.fit_transform([['a'], ['a'], ['b']])),
                                  [[1], [1], [0]])  # seen once: trimmed away


def test_seq2seq_ops_are_skflows_step_lists_and_decoder(evaluate):
    x = RNG.rand(2, 3, 4).astype(np.float32)
    y = RNG.rand(2, 2, 5).astype(np.float32)
    in_x, in_y, out_y = learn.ops.seq2seq_inputs(tf.constant(x), tf.constant(y), 3, 2)
    # A sentinel given as a tensor (TF 1.x's `not sentinel` refused one).
    go = learn.ops.seq2seq_inputs(tf.constant(x), tf.constant(y), 3, 2,
                                  sentinel=tf.fill([2, 5], -1.0))[1][0]
    assert (len(in_x), len(in_y), len(out_y)) == (3, 3, 3)
    encoder_cell, decoder_cell = tf1_api.nn.rnn_cell.GRUCell(5), tf1_api.nn.rnn_cell.GRUCell(5)
    outputs, states, sampled, sampled_states = learn.ops.rnn_seq2seq(in_x, in_y, encoder_cell,
                                                                     decoder_cell)
    assert len(outputs) == len(sampled) == 3 and len(states) == len(sampled_states) == 4
    got_x, got_in, got_out, outs, samples, encoding, got_go = evaluate(
        in_x, in_y, out_y, outputs, sampled, states[0], go)
    np.testing.assert_array_equal(got_go, np.full([2, 5], -1.0))
    np.testing.assert_array_equal(got_x, x.swapaxes(0, 1))
    np.testing.assert_array_equal(got_in, [np.zeros((2, 5))] + list(y.swapaxes(0, 1)))
    np.testing.assert_array_equal(got_out, list(y.swapaxes(0, 1)) + [np.zeros((2, 5))])
    # Sampling starts from the training step's output, then feeds back its own.
    np.testing.assert_array_equal(samples[0], outs[0])
    assert not np.allclose(samples[1], outs[1])
    assert encoding.shape == (2, 5)
    assert sorted({v.op.name.split('/')[1] for v in tf.global_variables()}) == [
        'dnn_decoder', 'rnn']  # the decoder's scope inside rnn_seq2seq's, the encoder's

    logits = [tf.constant(RNG.randn(2, 3).astype(np.float32)) for _ in range(2)]
    labels = [tf.one_hot([0, 2], 3), tf.one_hot([1, 1], 3)]
    predictions, loss = learn.ops.sequence_classifier(logits, labels)
    got_predictions, got_loss, raw = evaluate(predictions, loss, logits)
    raw = np.stack(raw, axis=1)
    softmax = np.exp(raw) / np.exp(raw).sum(-1, keepdims=True)
    np.testing.assert_allclose(got_predictions, softmax, rtol=1e-5)
    chosen = softmax[[0, 1, 0, 1], [0, 0, 1, 1], [0, 2, 1, 1]]
    np.testing.assert_allclose(got_loss, -np.log(chosen).sum(), rtol=1e-5)


def test_sklearn_module_is_tf1s_stand_ins():
    sklearn = learn.python.learn.estimators._sklearn
    assert sklearn.accuracy_score(np.array([1, 0, 2]), np.array([1, 1, 2])) == pytest.approx(2 / 3)
    # [N, 1] predictions against [N] labels: squeezed, not broadcast to [N, N]
    assert sklearn.mean_squared_error(np.array([1.0, 0.0]), np.array([[0.0], [0.0]])) == 0.5
    x, y = np.arange(20).reshape(10, 2), np.arange(10)
    x_train, x_test, y_train, y_test = sklearn.train_test_split(x, y, test_size=0.3,
                                                                random_state=3)
    assert (len(x_train), len(x_test)) == (7, 3)
    np.testing.assert_array_equal(x_train[:, 0] // 2, y_train)  # rows kept together
    np.testing.assert_array_equal(np.sort(np.concatenate([y_train, y_test])), y)
    again = sklearn.train_test_split(x, y, test_size=0.3, random_state=3)
    np.testing.assert_array_equal(again[2], y_train)  # np.random seeded, as TF 1.x did
    assert sklearn.NotFittedError is learn.NotFittedError and sklearn.log_loss is None
    assert len(sklearn.train_test_split(x, test_size=0.5, stratify=y)[0]) == 5  # ignored

    class Model(sklearn.BaseEstimator, sklearn.ClassifierMixin):
        def __init__(self, depth=2):
            self.depth = depth

    model = Model().set_params(depth=5)
    assert model.get_params() == {'depth': 5} and repr(model) == 'Model(depth=5)'
    with pytest.raises(ValueError, match='Invalid parameter width for estimator Model'):
        model.set_params(width=1)
