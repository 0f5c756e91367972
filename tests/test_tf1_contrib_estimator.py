"""tf.contrib.estimator (TF 1.5-1.15) and its parts that moved to tf.estimator: the heads
(losses and metrics worked out again in numpy from the predictions), the estimators taking
a head, add_metrics, forward_features, clip_gradients_by_norm, replicate_model_fn, and the
early-stopping hooks reading the eval directory."""
import os

import numpy as np
import pytest
import tensorflow.compat.v1 as tf

from tf1 import contrib_estimator, estimator
from tf1.api import tensorflow as tf1_api

tf.disable_v2_behavior()
fc = tf.feature_column
X_COLUMNS = [fc.numeric_column('x', shape=[4])]


def data(count=120, seed=0):
    rng = np.random.RandomState(seed)
    x = rng.rand(count, 4).astype(np.float32)
    return x, x[:, :3].argmax(axis=1).astype(np.int64)


def inputs(x, labels=None, epochs=None, batch_size=20, **extra):
    return estimator.inputs.numpy_input_fn(dict(x=x, **extra), labels, batch_size=batch_size,
                                           num_epochs=epochs, shuffle=epochs is None)


def linear_model_fn(head, learning_rate=0.3):
    """A model_fn ending as TF 1.x's head documentation shows."""
    def model_fn(features, labels, mode):
        weights = tf.get_variable('w', [4, head.logits_dimension],
                                  initializer=tf.zeros_initializer())
        logits = tf.matmul(features['x'], weights)
        return head.create_estimator_spec(
            features, mode, logits, labels,
            optimizer=tf.train.GradientDescentOptimizer(learning_rate))
    return model_fn


def results_and_predictions(model, x, labels):
    results = model.evaluate(inputs(x, labels, epochs=1, batch_size=len(x)))
    return results, list(model.predict(inputs(x, epochs=1)))


# ---------------------------------------------------------------------------- heads

def test_named_multi_class_head_averages_and_suffixes_its_metrics(tmp_path):
    x, y = data()
    head = contrib_estimator.multi_class_head(3, name='digit')
    model = estimator.Estimator(linear_model_fn(head), str(tmp_path))
    model.train(inputs(x, y), steps=30)
    results, answers = results_and_predictions(model, x, y)
    assert set(results) == {'accuracy/digit', 'average_loss/digit', 'loss', 'global_step'}
    probabilities = np.array([answer['probabilities'] for answer in answers])
    example_loss = -np.log(probabilities[np.arange(len(y)), y])
    # contrib's default reduction: the batch mean (tf.estimator's premade sum).
    assert results['loss'] == pytest.approx(example_loss.mean(), rel=1e-5)
    assert results['accuracy/digit'] == pytest.approx(np.mean(probabilities.argmax(1) == y))


def test_binary_head_thresholds(tmp_path):
    x, y = data()
    y = (y == 0).astype(np.int64)
    head = contrib_estimator.binary_classification_head(thresholds=[0.3, 0.7])
    model = estimator.Estimator(linear_model_fn(head), str(tmp_path))
    model.train(inputs(x, y), steps=20)
    results, answers = results_and_predictions(model, x, y)
    logistic = np.array([answer['logistic'][0] for answer in answers])
    for threshold in (0.3, 0.7):
        positive = logistic >= threshold
        assert results['accuracy/positive_threshold_%g' % threshold] == pytest.approx(
            np.mean(positive == y))
        # No positive answer: precision 0, as TF 1.x's precision_at_thresholds said.
        assert results['precision/positive_threshold_%g' % threshold] == pytest.approx(
            y[positive].mean() if positive.any() else 0, rel=1e-5)
        assert results['recall/positive_threshold_%g' % threshold] == pytest.approx(
            positive[y == 1].mean(), rel=1e-5)


def test_regression_heads_links_and_losses(tmp_path):
    x, _ = data()
    counts = np.random.RandomState(1).poisson(np.exp(2 * x[:, :1])).astype(np.float32)
    model = estimator.Estimator(
        linear_model_fn(contrib_estimator.poisson_regression_head(), 0.05),
        str(tmp_path / 'poisson'))
    model.train(inputs(x, counts), steps=30)
    results, answers = results_and_predictions(model, x, counts)
    logits = np.array([answer['logits'][0] for answer in answers])
    np.testing.assert_allclose([answer['predictions'][0] for answer in answers],
                               np.exp(logits), rtol=1e-5)
    target = counts[:, 0]
    stirling = target * np.log(np.maximum(target, 1)) - target + 0.5 * np.log(
        2 * np.pi * np.maximum(target, 1))
    full = np.exp(logits) - target * logits + np.where(target > 1, stirling, 0)
    assert results['average_loss'] == pytest.approx(full.mean(), rel=1e-4)
    # A user's loss_fn and inverse link.
    head = contrib_estimator.regression_head(
        loss_fn=lambda labels, logits: tf.abs(labels - logits), inverse_link_fn=tf.tanh)
    model = estimator.Estimator(linear_model_fn(head), str(tmp_path / 'custom'))
    target = x[:, :1] * 0.5
    model.train(inputs(x, target), steps=20)
    results, answers = results_and_predictions(model, x, target)
    logits = np.array([answer['logits'][0] for answer in answers])
    assert results['average_loss'] == pytest.approx(np.abs(target[:, 0] - logits).mean(),
                                                    rel=1e-5)
    np.testing.assert_allclose([answer['predictions'][0] for answer in answers],
                               np.tanh(logits), rtol=1e-5)


def test_multi_label_head_takes_multi_hot_sparse_ids_and_names(tmp_path):
    x, _ = data()
    multi_hot = (x[:, :3] > 0.5).astype(np.int64)
    head = contrib_estimator.multi_label_head(3, thresholds=[0.5],
                                              classes_for_class_based_metrics=[1])
    model = estimator.Estimator(linear_model_fn(head), str(tmp_path / 'dense'))
    model.train(inputs(x, multi_hot), steps=30)
    results, answers = results_and_predictions(model, x, multi_hot)
    assert {'auc', 'auc_precision_recall', 'average_loss', 'probability_mean/class1',
            'auc/class1', 'accuracy/positive_threshold_0.5'} <= set(results)
    p = np.array([answer['probabilities'] for answer in answers])
    cross_entropy = -(multi_hot * np.log(p) + (1 - multi_hot) * np.log(1 - p))
    assert results['average_loss'] == pytest.approx(cross_entropy.mean(axis=1).mean(),
                                                    rel=1e-5)
    assert results['probability_mean/class1'] == pytest.approx(p[:, 1].mean(), rel=1e-5)
    # The same labels as a SparseTensor of class names.
    named = contrib_estimator.multi_label_head(3, label_vocabulary=['a', 'b', 'c'])
    names = np.array(['a', 'b', 'c'])

    def sparse_input():
        indices = np.argwhere(multi_hot)
        labels = tf.SparseTensor(indices, names[indices[:, 1]], [len(x), 3])
        return {'x': tf.constant(x)}, labels

    model = estimator.Estimator(linear_model_fn(named), str(tmp_path / 'sparse'))
    model.train(sparse_input, steps=30)
    dense_results = model.evaluate(inputs(x, multi_hot, epochs=1, batch_size=len(x)))
    assert model.evaluate(sparse_input, steps=1)['average_loss'] == pytest.approx(
        dense_results['average_loss'], rel=1e-6)


def test_head_regularization_and_train_op_rules(tmp_path):
    head = contrib_estimator.regression_head()
    features, labels = {'x': tf.ones([2, 4])}, tf.ones([2, 1])
    logits = tf.ones([2, 1]) * 3
    with pytest.raises(ValueError, match='train_op_fn and optimizer cannot both be None'):
        head.create_estimator_spec(features, estimator.ModeKeys.TRAIN, logits, labels)
    spec = head.create_estimator_spec(features, estimator.ModeKeys.EVAL, logits, labels,
                                      regularization_losses=[tf.constant(0.5)])
    with tf.Session() as session:
        session.run(tf.local_variables_initializer())
        session.run({key: update for key, (_, update) in spec.eval_metric_ops.items()})
        values = session.run({key: value for key, (value, _) in spec.eval_metric_ops.items()})
        loss = session.run(spec.loss)
    assert loss == pytest.approx(4 + 0.5)
    assert values['regularization_loss'] == pytest.approx(0.5)
    assert values['average_loss'] == pytest.approx(4)


@pytest.mark.parametrize('make, message', [
    (lambda: contrib_estimator.multi_class_head(2), 'n_classes must be > 2'),
    (lambda: contrib_estimator.binary_classification_head(thresholds=[1.5]),
     r'thresholds not in \(0, 1\)'),
    (lambda: contrib_estimator.multi_label_head(3, classes_for_class_based_metrics=['b']),
     'label_vocabulary must be provided'),
    (lambda: contrib_estimator.regression_head(loss_fn=lambda y, z: y),
     r"loss_fn must contain argument: labels. Given arguments: \('y', 'z'\)"),
    (lambda: contrib_estimator.regression_head(loss_reduction='none'),
     'Invalid loss_reduction'),
    (lambda: estimator.DNNEstimator('head', [4], X_COLUMNS), 'head must be a head'),
    (lambda: contrib_estimator.add_metrics(None, lambda labels, weights: {}),
     r"not expected args: \['weights'\]"),
    (lambda: contrib_estimator.replicate_model_fn(len, devices=['/gpu:0', '/gpu:1']),
     'over 2 devices is not provided'),
    (lambda: tf1_api.contrib.estimator.SavedModelEstimator,
     r'tf.contrib.estimator.SavedModelEstimator \(TF 1.x\) is not provided'),
    (lambda: contrib_estimator.RNNClassifier([], num_units=[4], rnn_cell_fn=len),
     'num_units and cell_type must not be specified when using rnn_cell_fn'),
    (lambda: contrib_estimator.RNNEstimator(contrib_estimator.regression_head(), [],
                                            num_units=[4], return_sequences=True),
     'Provided head must be a `_SequentialHead` object .* tf1 provides none'),
    (lambda: tf1_api.estimator.experimental.RNNClassifier,
     r'tf.estimator.experimental.RNNClassifier \(TF 1.x\) is not provided'),
    (lambda: estimator.experimental.InMemoryEvaluatorHook(None, len, every_n_iter=0),
     'invalid every_n_iter=0'),
])
def test_errors(make, message):
    with pytest.raises((ValueError, TypeError, AttributeError), match=message):
        make()


def test_labels_outside_the_heads_range_stop_the_step(tmp_path):
    x, _ = data()
    model = estimator.Estimator(linear_model_fn(contrib_estimator.logistic_regression_head()),
                                str(tmp_path))
    with pytest.raises(tf.errors.InvalidArgumentError, match=r'Labels must be in range \[0, 1\]'):
        model.train(inputs(x, np.full((len(x), 1), 1.5, np.float32)), steps=1)


# ---------------------------------------------------------------------------- estimators

@pytest.mark.parametrize('make', [
    lambda head, d, c: estimator.DNNEstimator(head, [8], X_COLUMNS, d, config=c),
    lambda head, d, c: tf1_api.contrib.estimator.LinearEstimator(head, X_COLUMNS, d, config=c),
    lambda head, d, c: estimator.DNNLinearCombinedEstimator(
        head, d, X_COLUMNS, dnn_feature_columns=X_COLUMNS, dnn_hidden_units=[8], config=c),
])
def test_estimators_on_a_head_learn(make, tmp_path):
    x, y = data()
    # Seeded: unseeded, the DNN's accuracy after 200 steps once came out at 0.79.
    model = make(contrib_estimator.multi_class_head(3), str(tmp_path),
                 estimator.RunConfig(tf_random_seed=1))
    model.train(inputs(x, y), steps=200)
    assert model.evaluate(inputs(x, y, epochs=1))['accuracy'] > 0.8  # 0.95-0.97 seeded


def test_baseline_estimator_learns_the_prior(tmp_path):
    x, _ = data()
    labels = np.array([0, 0, 0, 1, 1, 2] * 20)  # priors 1/2, 1/3, 1/6
    model = tf1_api.estimator.BaselineEstimator(
        contrib_estimator.multi_class_head(3), str(tmp_path), optimizer=lambda: (
            tf.train.GradientDescentOptimizer(1.0)))
    model.train(inputs(x, labels, batch_size=len(x)), steps=300)  # each batch: all of them
    assert tf.train.list_variables(str(tmp_path))[0][0] == 'baseline/bias'
    prediction = next(iter(model.predict(inputs(x[:1], epochs=1))))
    np.testing.assert_allclose(prediction['probabilities'], [1 / 2, 1 / 3, 1 / 6], atol=0.03)
    with pytest.raises(TypeError, match='head must be a head'):
        tf1_api.estimator.BaselineEstimator('head')


# ---------------------------------------------------------------------------- extenders

def test_add_metrics_and_forward_features(tmp_path):
    x, y = data()
    model = estimator.LinearClassifier(X_COLUMNS, str(tmp_path / 'model'), n_classes=3)
    model.train(inputs(x, y), steps=10)

    def top_class_mean(labels, predictions, features):
        return {'accuracy': tf.metrics.mean(tf.cast(predictions['class_ids'], tf.float32)),
                'x_mean': tf.metrics.mean(features['x'])}
    extended = estimator.add_metrics(model, top_class_mean)
    results = extended.evaluate(inputs(x, y, epochs=1))
    answers = list(model.predict(inputs(x, epochs=1)))
    assert results['x_mean'] == pytest.approx(x.mean(), rel=1e-5)
    # A metric of the same name replaces the estimator's own, as in TF 1.x.
    assert results['accuracy'] == pytest.approx(np.mean([a['class_ids'][0] for a in answers]))
    assert 'average_loss' in results
    keyed = contrib_estimator.forward_features(model, 'key')
    key = np.arange(len(x)) * 7
    forwarded = list(keyed.predict(inputs(x, epochs=1, key=key)))
    assert [answer['key'] for answer in forwarded] == list(key)
    receiver = estimator.export.build_raw_serving_input_receiver_fn(
        {'x': tf.placeholder(tf.float32, [None, 4]), 'key': tf.placeholder(tf.int64, [None])})
    export_dir = keyed.export_saved_model(str(tmp_path / 'export'), receiver)
    with tf.Graph().as_default(), tf.Session() as session:
        signatures = tf.saved_model.loader.load(session, ['serve'], export_dir).signature_def
        assert 'key' in signatures['predict'].outputs
    # Features an input_fn gives as plain lists are forwarded too (TF 1.x converted them).
    listed = contrib_estimator.forward_features(model, ['key'])
    answer = next(listed.predict(lambda: {'x': x[:2].tolist(), 'key': [[101], [102]]}))
    assert list(answer['key']) == [101]


def test_clip_gradients_by_norm_bounds_each_step(tmp_path):
    x, y = data()

    def model_fn(features, labels, mode):
        weights = tf.get_variable('w', [4, 3], initializer=tf.zeros_initializer())
        loss = tf.losses.sparse_softmax_cross_entropy(labels, features['x'] @ weights * 100)
        optimizer = contrib_estimator.clip_gradients_by_norm(
            tf.train.GradientDescentOptimizer(1.0), clip_norm=0.01)
        return estimator.EstimatorSpec(mode, loss=loss, train_op=optimizer.minimize(
            loss, global_step=tf.train.get_global_step()))
    model = estimator.Estimator(model_fn, str(tmp_path))
    model.train(inputs(x, y), steps=1)
    assert np.linalg.norm(model.get_variable_value('w')) == pytest.approx(0.01, rel=1e-4)


def test_replicate_model_fn_runs_one_tower(tmp_path):
    x, y = data()

    def model_fn(features, labels, mode, params):
        head = contrib_estimator.multi_class_head(3)
        logits = tf.matmul(features['x'], tf.get_variable('w', [4, 3]))
        return head.create_estimator_spec(features, mode, logits, labels,
                                          optimizer=contrib_estimator.TowerOptimizer(
                                              tf.train.AdamOptimizer(params['rate'])))
    model = estimator.Estimator(contrib_estimator.replicate_model_fn(model_fn),
                                str(tmp_path), params={'rate': 0.1})
    model.train(inputs(x, y), steps=100)
    assert model.evaluate(inputs(x, y, epochs=1))['accuracy'] > 0.8
    assert 'w/Adam' in model.get_variable_names()


# ---------------------------------------------------------------------------- early stopping

def write_evaluations(eval_dir, evaluations):
    writer = tf.summary.FileWriter(eval_dir)
    for step, metrics in evaluations.items():
        writer.add_summary(tf.Summary(value=[tf.Summary.Value(tag=key, simple_value=value)
                                             for key, value in metrics.items()]), step)
    writer.close()


@pytest.mark.parametrize('make_hook, evaluations, stops', [
    (lambda m: estimator.experimental.stop_if_no_decrease_hook(
        m, 'loss', 20, run_every_secs=None, run_every_steps=1),
     {10: 1.0, 20: 0.5, 30: 0.6, 40: 0.7}, True),     # 40 - 20 >= 20 steps without a decrease
    (lambda m: estimator.experimental.stop_if_no_decrease_hook(
        m, 'loss', 30, run_every_secs=None, run_every_steps=1),
     {10: 1.0, 20: 0.5, 30: 0.6, 40: 0.7}, False),
    (lambda m: contrib_estimator.stop_if_lower_hook(
        m, 'loss', 0.55, min_steps=25, run_every_secs=None, run_every_steps=1),
     {10: 1.0, 20: 0.5, 30: 0.6, 40: 0.7}, False),    # 0.5 is before min_steps
    (lambda m: estimator.experimental.stop_if_higher_hook(
        m, 'loss', 0.65, run_every_secs=None, run_every_steps=1),
     {10: 1.0, 20: 0.5}, True),
])
def test_early_stopping_hooks_read_the_eval_directory(make_hook, evaluations, stops, tmp_path):
    x, y = data()
    model = estimator.LinearClassifier(X_COLUMNS, str(tmp_path), n_classes=3)
    write_evaluations(model.eval_dir(), {step: {'loss': loss}
                                         for step, loss in evaluations.items()})
    assert contrib_estimator.read_eval_metrics(model.eval_dir()) == {
        step: {'loss': pytest.approx(loss)} for step, loss in evaluations.items()}
    model.train(inputs(x, y), steps=5, hooks=[make_hook(model)])
    assert model.get_variable_value('global_step') == (1 if stops else 5)
    assert model.get_variable_value('signal_early_stopping/STOP') == stops


def test_make_early_stopping_hook_checks_its_arguments(tmp_path):
    model = estimator.LinearClassifier(X_COLUMNS, str(tmp_path))
    with pytest.raises(ValueError, match='Only one of `run_every_secs` and `run_every_steps`'):
        estimator.experimental.make_early_stopping_hook(model, bool, 60, 10)
    with pytest.raises(TypeError, match='`estimator` must have type'):
        estimator.experimental.make_early_stopping_hook(None, bool)
    assert not os.path.exists(model.eval_dir())


def test_in_memory_evaluator_feeds_early_stopping_without_checkpoints(tmp_path):
    # TF 1.13's idiom: evaluate every few steps from the training session's variables
    # (checkpoints come every 600 s by default: only at the start and the end here), and
    # stop once the accuracy is high enough.
    x, y = data()
    model = estimator.LinearClassifier(X_COLUMNS, str(tmp_path), n_classes=3)
    evaluator = estimator.experimental.InMemoryEvaluatorHook(
        model, inputs(x, y, epochs=1), every_n_iter=10)
    stopper = estimator.experimental.stop_if_higher_hook(
        model, 'accuracy', 0.75, run_every_secs=None, run_every_steps=1)
    model.train(inputs(x, y), steps=500, hooks=[evaluator, stopper])
    evaluations = contrib_estimator.read_eval_metrics(model.eval_dir())
    assert list(evaluations)[0] == 0  # before training, then every 10 steps
    assert all(step % 10 == 0 for step in list(evaluations)[:-1])
    stopped_at = model.get_variable_value('global_step')
    assert stopped_at < 500
    # The in-memory evaluations are the model's: the last one, of the final variables,
    # equals evaluate() of the checkpoint training ends with.
    last = evaluations[stopped_at]
    assert last['accuracy'] > 0.75
    assert model.evaluate(inputs(x, y, epochs=1))['accuracy'] == pytest.approx(last['accuracy'])



def test_head_prediction_tensors_have_tf1_15s_names():
    """Freezing scripts name a head's outputs (TF 1.15: a binary head's class ids are
    head/predictions/ExpandDims:0, a multi-class head's ExpandDims_2:0)."""
    names = {}
    for make, width in ((contrib_estimator.binary_classification_head, 1),
                        (lambda: contrib_estimator.multi_class_head(3), 3)):
        with tf.Graph().as_default():
            logits = tf.placeholder(tf.float32, [None, width])
            spec = make().create_estimator_spec({}, estimator.ModeKeys.PREDICT, logits)
            names[width] = {key: value.name for key, value in spec.predictions.items()}
            probabilities = spec.predictions['probabilities']
            with tf.Session() as session:
                got = session.run(probabilities, {logits: np.zeros([2, width]) + 0.5})
            np.testing.assert_allclose(got.sum(axis=1), 1.0, rtol=1e-6)
    assert names[1]['class_ids'] == 'head/predictions/ExpandDims:0'
    assert names[1]['logistic'] == 'head/predictions/logistic:0'
    assert names[3]['class_ids'] == 'head/predictions/ExpandDims_2:0'
    for width in (1, 3):
        assert names[width]['probabilities'] == 'head/predictions/probabilities:0'
        assert names[width]['classes'] == 'head/predictions/str_classes:0'
        assert names[width]['all_class_ids'] == 'head/predictions/Tile:0'


def test_heads_take_an_unknown_last_dimension_and_check_it_when_run():
    # Labels from padded_batch(padded_shapes=[None]) and reshaped logits are (?, ?): TF 1.x
    # checked their last dimension when the graph ran, not when it was built.
    head = contrib_estimator.binary_classification_head()
    with tf.Graph().as_default():
        logits = tf.placeholder(tf.float32, [None, None])
        labels = tf.placeholder(tf.int64, [None, None])
        loss = head.create_loss({}, estimator.ModeKeys.TRAIN, logits, labels).training_loss
        with tf.Session() as session:
            value = session.run(loss, {logits: [[0.0], [0.0]], labels: [[0], [1]]})
            assert value == pytest.approx(np.log(2), rel=1e-5)  # contrib: mean over batch
            with pytest.raises(tf.errors.InvalidArgumentError, match='labels shape must be'):
                session.run(loss, {logits: [[0.0], [0.0]], labels: [[0, 1], [1, 0]]})
            with pytest.raises(tf.errors.InvalidArgumentError, match='logits shape must be'):
                session.run(loss, {logits: [[0.0, 1.0], [0.0, 1.0]], labels: [[0], [1]]})


def test_heads_take_logits_and_labels_of_any_rank():
    # TF 1.x's heads: logits [D0, D1, ... DN, dimension], labels the same or without the
    # last axis (one prediction per time step, say).
    logits_value = np.array([[[0.5], [1.0]], [[2.0], [-1.0]]], np.float32)  # [2, 2, 1]
    labels_value = np.array([[1.0, 0.0], [2.0, 1.0]], np.float32)           # [2, 2]
    with tf.Graph().as_default():
        logits = tf.constant(logits_value)
        head = contrib_estimator.regression_head()
        loss = head.create_loss({}, estimator.ModeKeys.EVAL, logits,
                                tf.constant(labels_value)).training_loss
        classes = contrib_estimator.multi_class_head(3).create_loss(
            {}, estimator.ModeKeys.EVAL, tf.zeros([2, 2, 3]), tf.constant([[0, 1], [2, 0]]))
        with tf.Session() as session:
            expected = np.mean((logits_value[..., 0] - labels_value) ** 2)
            assert session.run(loss) == pytest.approx(expected, rel=1e-6)
            assert session.run(classes.training_loss) == pytest.approx(np.log(3), rel=1e-6)
        with pytest.raises(ValueError, match='Mismatched label shape'):
            head.create_loss({}, estimator.ModeKeys.EVAL, logits, tf.zeros([2, 2, 3]))


def test_multi_label_head_takes_logits_of_any_rank():
    # TF 1.15's multi_label_head sliced each class on the last axis, so that logits
    # [D0, ... DN, n_classes] had their per-class metrics too.
    rng = np.random.RandomState(0)
    logits_value = rng.randn(2, 4, 3).astype(np.float32)
    labels_value = (rng.rand(2, 4, 3) > 0.5).astype(np.int64)
    head = contrib_estimator.multi_label_head(3, classes_for_class_based_metrics=[1])
    with tf.Graph().as_default():
        spec = head.create_estimator_spec({}, estimator.ModeKeys.EVAL,
                                          tf.constant(logits_value), tf.constant(labels_value))
        with tf.Session() as session:
            session.run(tf.local_variables_initializer())
            session.run({key: update for key, (_, update) in spec.eval_metric_ops.items()})
            results = session.run({key: value for key, (value, _) in
                                   spec.eval_metric_ops.items()})
            loss = session.run(spec.loss)
    p = 1 / (1 + np.exp(-logits_value))
    cross_entropy = -(labels_value * np.log(p) + (1 - labels_value) * np.log(1 - p))
    assert loss == pytest.approx(cross_entropy.mean(axis=-1).mean(), rel=1e-5)
    assert results['average_loss'] == pytest.approx(loss, rel=1e-5)
    assert results['probability_mean/class1'] == pytest.approx(p[..., 1].mean(), rel=1e-5)
