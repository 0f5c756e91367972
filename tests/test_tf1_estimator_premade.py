"""tf1.estimator's premade estimators, heads and exporters, checked against TF 1.x's rules
on tiny data: each estimator learns; the variables keep TF 1.x's names; the metrics,
weights, label vocabularies and losses are what TF 1.x's heads computed (worked out again
in numpy from the predictions); SavedModels answer the classify and regress signatures;
train_and_evaluate's exporters export when TF 1.x's did."""
import itertools
import os
import time

import numpy as np
import pytest
import tensorflow.compat.v1 as tf

from tf1 import estimator

tf.disable_v2_behavior()
fc = tf.feature_column
FEATURES = 4


def separable_data(count=90, seed=0):
    """Points whose class is the index of their largest coordinate among the first three."""
    rng = np.random.RandomState(seed)
    x = rng.rand(count, FEATURES).astype(np.float32)
    return x, x[:, :3].argmax(axis=1).astype(np.int64)


def census_like(count=240, seed=0):
    """Ages, educations and weights, the label a function of an age bracket and education:
    what a linear model of crossed columns and a DNN of embeddings both can learn."""
    rng = np.random.RandomState(seed)
    age = rng.uniform(18, 70, count).astype(np.float32)
    education = rng.choice(['hs', 'ba', 'phd'], count)
    label = ((age > 40) ^ (education == 'phd')).astype(np.int64)
    weight = rng.uniform(0.5, 2, count).astype(np.float32)
    return {'age': age, 'education': education, 'weight': weight}, label


def census_columns():
    age = fc.numeric_column('age')
    education = fc.categorical_column_with_vocabulary_list('education', ['hs', 'ba', 'phd'])
    bracket = fc.bucketized_column(age, [30, 40, 50])
    wide = [bracket, education, fc.crossed_column([bracket, 'education'], 50)]
    deep = [fc.embedding_column(education, 3), age]
    return wide, deep


def inputs(features, labels=None, epochs=None, batch_size=30):
    return estimator.inputs.numpy_input_fn(features, labels, batch_size=batch_size,
                                           num_epochs=epochs, shuffle=epochs is None)


def predictions(model, features):
    return list(model.predict(inputs(features, epochs=1)))


X_COLUMNS = [fc.numeric_column('x', shape=[FEATURES])]


# ---------------------------------------------------------------------------- learning

@pytest.mark.parametrize('make, n_classes', [
    (lambda d, n: estimator.DNNClassifier([16], X_COLUMNS, d, n_classes=n, optimizer='Adam',
                                          dropout=0.1), 3),
    (lambda d, n: estimator.DNNClassifier([8, 8], X_COLUMNS, d, n_classes=n), 2),
    (lambda d, n: estimator.LinearClassifier(X_COLUMNS, d, n_classes=n), 3),
    (lambda d, n: estimator.DNNLinearCombinedClassifier(
        d, X_COLUMNS, dnn_feature_columns=X_COLUMNS, dnn_hidden_units=[8], n_classes=n), 3),
    (lambda d, n: estimator.DNNClassifier([8], X_COLUMNS, d, n_classes=n,
                                          optimizer=lambda: tf.train.AdamOptimizer(0.05)), 3),
])
def test_classifiers_learn(make, n_classes, tmp_path):
    x, y = separable_data()
    y = y % n_classes
    classifier = make(str(tmp_path), n_classes)
    classifier.train(inputs({'x': x}, y), steps=150)
    results = classifier.evaluate(inputs({'x': x}, y, epochs=1))
    assert results['global_step'] == 150
    assert results['accuracy'] > 0.8
    prediction = predictions(classifier, {'x': x})[0]
    assert prediction['probabilities'].shape == (n_classes,)
    assert prediction['classes'][0] == str(prediction['class_ids'][0]).encode()
    assert list(prediction['all_class_ids']) == list(range(n_classes))


@pytest.mark.parametrize('make', [
    lambda d: estimator.DNNRegressor([16], X_COLUMNS, d, optimizer='Adam'),
    lambda d: estimator.LinearRegressor(X_COLUMNS, d),
    lambda d: estimator.DNNLinearCombinedRegressor(d, X_COLUMNS, dnn_feature_columns=X_COLUMNS,
                                                   dnn_hidden_units=[8]),
])
def test_regressors_learn_a_linear_function(make, tmp_path):
    x, _ = separable_data()
    y = x @ np.array([1., -2., 0.5, 0.], np.float32) + 1
    regressor = make(str(tmp_path))
    regressor.train(inputs({'x': x}, y), steps=300)
    results = regressor.evaluate(inputs({'x': x}, y, epochs=1))
    assert results['average_loss'] < 0.1 * y.var()
    values = np.array([p['predictions'][0] for p in predictions(regressor, {'x': x})])
    assert np.mean((values - y) ** 2) == pytest.approx(results['average_loss'], rel=1e-4)


def test_baselines_learn_the_prior_and_the_mean(tmp_path):
    x, y = separable_data()
    classifier = estimator.BaselineClassifier(str(tmp_path / 'c'), n_classes=3,
                                              optimizer=lambda: tf.train.AdamOptimizer(0.1))
    classifier.train(inputs({'x': x}, y), steps=200)
    probabilities = predictions(classifier, {'x': x[:2]})
    np.testing.assert_allclose(probabilities[0]['probabilities'], np.bincount(y) / len(y),
                               atol=0.03)
    np.testing.assert_array_equal(probabilities[0]['probabilities'],
                                  probabilities[1]['probabilities'])
    regressor = estimator.BaselineRegressor(str(tmp_path / 'r'),
                                            optimizer=lambda: tf.train.AdamOptimizer(0.1))
    target = x[:, 0] * 4 + 3
    regressor.train(inputs({'x': x}, target), steps=300)
    assert [name for name in regressor.get_variable_names()
            if 'Adam' not in name and 'power' not in name] == ['baseline/bias', 'global_step']
    assert regressor.get_variable_value('baseline/bias')[0] == pytest.approx(target.mean(),
                                                                             abs=0.1)


# ---------------------------------------------------------------------------- wide & deep

def test_wide_and_deep_keeps_tf1_names_and_trains_each_part_by_its_optimizer(tmp_path):
    features, label = census_like()
    wide, deep = census_columns()
    model = estimator.DNNLinearCombinedClassifier(
        str(tmp_path), linear_feature_columns=wide, dnn_feature_columns=deep,
        dnn_hidden_units=[8, 4])
    model.train(inputs(features, label), steps=200)
    names = set(model.get_variable_names())
    assert {'dnn/hiddenlayer_0/kernel', 'dnn/hiddenlayer_1/bias', 'dnn/logits/kernel',
            'dnn/input_from_feature_columns/input_layer/education_embedding/embedding_weights',
            'linear/linear_model/age_bucketized/weights',
            'linear/linear_model/age_bucketized_X_education/weights',
            'linear/linear_model/education/weights', 'linear/linear_model/bias_weights',
            'global_step'} <= names
    # The DNN by Adagrad, the linear part by Ftrl (two slots): TF 1.x's defaults.
    assert 'dnn/logits/kernel/Adagrad' in names and 'dnn/logits/kernel/Ftrl' not in names
    assert 'linear/linear_model/bias_weights/Ftrl_1' in names
    assert not any(name.startswith('linear/') and 'Adagrad' in name for name in names)
    assert model.get_variable_value('global_step') == 200  # counted once per step
    assert model.evaluate(inputs(features, label, epochs=1))['accuracy'] > 0.9


def test_label_vocabulary_and_weight_column(tmp_path):
    features, label = census_like()
    # Half the examples carry the wrong label but weigh nothing: the model must ignore them.
    wrong = np.arange(len(label)) % 2 == 1
    names = np.array(['<=50K', '>50K'])[np.where(wrong, 1 - label, label)]
    features['weight'] = np.where(wrong, 0., 1.).astype(np.float32)
    wide, deep = census_columns()
    model = estimator.DNNLinearCombinedClassifier(
        str(tmp_path), wide, dnn_feature_columns=deep, dnn_hidden_units=[8],
        label_vocabulary=['<=50K', '>50K'], weight_column='weight')
    model.train(inputs(features, names), steps=300)
    answers = predictions(model, features)
    classes = np.array([answer['classes'][0].decode() for answer in answers])
    right = ~wrong
    assert np.mean(classes[right] == names[right]) > 0.9
    assert list(answers[0]['all_classes']) == [b'<=50K', b'>50K']
    # Weighted metrics: the zero-weight examples count for nothing.
    results = model.evaluate(inputs(features, names, epochs=1))
    assert results['accuracy'] == pytest.approx(np.mean(classes[right] == names[right]),
                                                abs=1e-6)
    assert results['label/mean'] == pytest.approx(np.mean(label[right]), abs=1e-6)
    with pytest.raises(tf.errors.InvalidArgumentError):  # a label outside the vocabulary
        model.evaluate(inputs(features, np.full(len(label), 'unknown'), epochs=1))


def test_binary_metrics_are_tf1s_and_match_numpy(tmp_path):
    x, y = separable_data()
    y = (y == 0).astype(np.int64)
    model = estimator.LinearClassifier(X_COLUMNS, str(tmp_path))
    model.train(inputs({'x': x}, y), steps=60)
    results = model.evaluate(inputs({'x': x}, y, epochs=1, batch_size=len(y)))
    assert set(results) == {'accuracy', 'accuracy_baseline', 'auc', 'auc_precision_recall',
                            'average_loss', 'label/mean', 'loss', 'precision',
                            'prediction/mean', 'recall', 'global_step'}
    logistic = np.array([p['logistic'][0] for p in predictions(model, {'x': x})])
    chosen = logistic > 0.5
    example_loss = -(y * np.log(logistic) + (1 - y) * np.log(1 - logistic))
    assert results['average_loss'] == pytest.approx(example_loss.mean(), rel=1e-4)
    assert results['loss'] == pytest.approx(example_loss.sum(), rel=1e-4)  # SUM reduction
    assert results['accuracy'] == pytest.approx(np.mean(chosen == y))
    assert results['precision'] == pytest.approx(np.mean(y[chosen]))
    assert results['recall'] == pytest.approx(np.mean(chosen[y == 1]))
    assert results['label/mean'] == pytest.approx(y.mean())
    assert results['accuracy_baseline'] == pytest.approx(max(y.mean(), 1 - y.mean()))
    assert results['prediction/mean'] == pytest.approx(logistic.mean(), rel=1e-5)


def test_multiclass_and_regression_metrics_are_tf1s(tmp_path):
    x, y = separable_data()
    classifier = estimator.DNNClassifier([4], X_COLUMNS, str(tmp_path / 'c'), n_classes=3)
    classifier.train(inputs({'x': x}, y), steps=5)
    assert set(classifier.evaluate(inputs({'x': x}, y, epochs=1))) == {
        'accuracy', 'average_loss', 'loss', 'global_step'}
    regressor = estimator.LinearRegressor(X_COLUMNS, str(tmp_path / 'r'), label_dimension=2)
    regressor.train(inputs({'x': x}, np.stack([x[:, 0], x[:, 1]], axis=1)), steps=5)
    results = regressor.evaluate(inputs({'x': x}, np.stack([x[:, 0], x[:, 1]], axis=1),
                                        epochs=1))
    assert set(results) == {'average_loss', 'label/mean', 'prediction/mean', 'loss',
                            'global_step'}
    assert predictions(regressor, {'x': x})[0]['predictions'].shape == (2,)


def summary_tags(model_dir):
    tags = set()
    for path in tf.gfile.Glob(os.path.join(str(model_dir), 'events.out.tfevents.*')):
        for event in tf.train.summary_iterator(path):
            tags.update(value.tag for value in event.summary.value)
    return tags


def test_training_summaries_are_loss_and_average_loss(tmp_path):
    x, y = separable_data()
    model = estimator.DNNClassifier([4], X_COLUMNS, str(tmp_path), n_classes=3,
                                    config=estimator.RunConfig(save_summary_steps=5))
    model.train(inputs({'x': x}, y), steps=10)
    # TF 1.x's tags, 'dnn' twice (its own tests expect dnn/dnn/hiddenlayer_0/...).
    assert {'loss', 'average_loss', 'dnn/dnn/hiddenlayer_0/fraction_of_zero_values',
            'dnn/dnn/hiddenlayer_0/activation', 'dnn/dnn/logits/activation'} <= summary_tags(
                tmp_path)


def test_a_linear_models_summaries_are_its_bias_and_fraction_of_zero_weights(tmp_path):
    x, y = separable_data()
    model = estimator.LinearClassifier(X_COLUMNS, str(tmp_path), n_classes=3)
    model.train(inputs({'x': x}, y), steps=2)
    assert summary_tags(tmp_path) == {'loss', 'average_loss', 'linear/bias',
                                      'linear/fraction_of_zero_weights'}  # TF 1.15's


def test_batch_norm_layers_update_their_moving_averages(tmp_path):
    x, y = separable_data()
    model = estimator.DNNClassifier([8], X_COLUMNS, str(tmp_path), n_classes=3,
                                    batch_norm=True)
    model.train(inputs({'x': x}, y), steps=20)
    names = model.get_variable_names()
    assert {'dnn/hiddenlayer_0/batchnorm_0/gamma', 'dnn/hiddenlayer_0/batchnorm_0/beta',
            'dnn/hiddenlayer_0/batchnorm_0/moving_variance'} <= set(names)
    moving_mean = model.get_variable_value('dnn/hiddenlayer_0/batchnorm_0/moving_mean')
    # Momentum 0.999, as TF 1.x: 20 steps move the mean 1 - 0.999**20 of the way (ReLUs >= 0).
    assert 0 < moving_mean.max() < (1 - 0.999 ** 20) * 10


@pytest.mark.parametrize('make, prefix', [
    (lambda: estimator.DNNClassifier([4], X_COLUMNS), 'dnn/'),
    (lambda: estimator.LinearClassifier(X_COLUMNS), 'linear/'),
    (lambda: estimator.DNNLinearCombinedClassifier(
        linear_feature_columns=X_COLUMNS, dnn_feature_columns=X_COLUMNS,
        dnn_hidden_units=[4]), ''),
])
def test_loss_tensors_have_tf1s_names(make, prefix):
    # TF 1.x's official wide_deep logs these by name (`dnn/head/truediv`: the average loss).
    x, y = separable_data(count=8)
    model = make()
    with tf.Graph().as_default() as graph:
        tf.train.create_global_step()
        spec = model.model_fn({'x': tf.constant(x)}, tf.constant(y % 2),
                              estimator.ModeKeys.TRAIN, model.config)
        assert graph.get_tensor_by_name(prefix + 'head/weighted_loss/Sum:0') is spec.loss
        average = graph.get_tensor_by_name(prefix + 'head/truediv:0')
        with tf.Session() as session:
            session.run(tf.global_variables_initializer())
            loss, average = session.run([spec.loss, average])
    assert average == pytest.approx(loss / len(x))


def test_binary_labels_may_be_bool_or_float(tmp_path):
    # TF 1.x cast a binary head's labels to float (official/wide_deep passes bools): the
    # same model trains from int, bool and float labels.
    x, y = separable_data()
    results = []
    for labels in ((y == 0).astype(np.int64), y == 0, (y == 0).astype(np.float32)):
        model = estimator.LinearClassifier(X_COLUMNS, str(tmp_path / labels.dtype.name))
        model.train(estimator.inputs.numpy_input_fn({'x': x}, labels, batch_size=30,
                                                    num_epochs=None, shuffle=False), steps=30)
        results.append(model.evaluate(inputs({'x': x}, labels, epochs=1)))
    assert results[0]['accuracy'] > 0.7
    assert results[1] == results[0] and results[2] == results[0]


# ---------------------------------------------------------------------------- export

def test_exported_classifier_answers_classify_and_predict(tmp_path):
    features, label = census_like()
    wide, deep = census_columns()
    model = estimator.DNNLinearCombinedClassifier(
        str(tmp_path / 'model'), wide, dnn_feature_columns=deep, dnn_hidden_units=[4],
        label_vocabulary=['no', 'yes'])
    model.train(inputs(features, np.array(['no', 'yes'])[label]), steps=20)
    spec = fc.make_parse_example_spec(wide + deep)
    export_dir = model.export_saved_model(
        str(tmp_path / 'export'),
        estimator.export.build_parsing_serving_input_receiver_fn(spec))
    examples = [tf.train.Example(features=tf.train.Features(feature={
        'age': tf.train.Feature(float_list=tf.train.FloatList(value=[features['age'][i]])),
        'education': tf.train.Feature(bytes_list=tf.train.BytesList(
            value=[features['education'][i].encode()]))})).SerializeToString()
        for i in range(3)]
    expected = predictions(model, {key: value[:3] for key, value in features.items()})
    with tf.Graph().as_default(), tf.Session() as session:
        signatures = tf.saved_model.loader.load(session, ['serve'], export_dir).signature_def
        assert sorted(signatures) == ['classification', 'predict', 'regression',
                                      'serving_default']
        classify = signatures['serving_default']
        assert classify.method_name == 'tensorflow/serving/classify'
        scores, classes = session.run(
            [classify.outputs['scores'].name, classify.outputs['classes'].name],
            {classify.inputs['inputs'].name: examples})
    np.testing.assert_allclose(scores, [e['probabilities'] for e in expected], rtol=1e-5)
    assert classes.tolist() == [[b'no', b'yes']] * 3


# ---------------------------------------------------------------------------- exporters

def exporter_run(model_dir, exporters, max_steps=12, every=4):
    x, y = separable_data()
    model = estimator.LinearClassifier(X_COLUMNS, str(model_dir), n_classes=3,
                                       config=estimator.RunConfig(
                                           save_checkpoints_steps=every))
    receiver = estimator.export.build_raw_serving_input_receiver_fn(
        {'x': tf.placeholder(tf.float32, [None, FEATURES])})
    made = [make(receiver) for make in exporters]
    metrics, results = estimator.train_and_evaluate(
        model, estimator.TrainSpec(inputs({'x': x}, y), max_steps=max_steps),
        estimator.EvalSpec(inputs({'x': x}, y, epochs=1), steps=None, exporters=made,
                           throttle_secs=0))
    return metrics, results


def exports(model_dir, name):
    directory = os.path.join(str(model_dir), 'export', name)
    return sorted(os.listdir(directory)) if os.path.isdir(directory) else []


def one_second_per_call(monkeypatch):
    """time.time a second later at each call: exports need a new second each (TIMESTAMP)."""
    calls, real = itertools.count(), time.time
    monkeypatch.setattr('time.time', lambda: real() + next(calls))


def test_latest_and_final_exporters(tmp_path, monkeypatch):
    one_second_per_call(monkeypatch)
    metrics, results = exporter_run(tmp_path, [
        lambda receiver: estimator.LatestExporter('latest', receiver, exports_to_keep=2),
        lambda receiver: estimator.FinalExporter('final', receiver)])
    assert metrics['global_step'] == 12
    assert len(exports(tmp_path, 'latest')) == 2  # evaluations at 4, 8, 12: newest two
    assert len(exports(tmp_path, 'final')) == 1   # at max_steps only
    latest, final = results
    assert os.path.basename(latest) == exports(tmp_path, 'latest')[-1].encode()
    assert os.path.basename(final) == exports(tmp_path, 'final')[0].encode()


def test_best_exporter_exports_improvements(tmp_path, monkeypatch):
    one_second_per_call(monkeypatch)
    exporter_run(tmp_path, [lambda receiver: estimator.BestExporter(
        serving_input_receiver_fn=receiver)], max_steps=8)
    first = exports(tmp_path, 'best_exporter')
    assert 1 <= len(first) <= 2  # the first evaluation, then each smaller loss
    # A new job on the same model_dir reads the best results from the eval event files
    # (compare_fn judges them), exports its first evaluation, as TF 1.x did, then only
    # those compare_fn prefers: here none.
    judged = []
    exporter_run(tmp_path, [lambda receiver: estimator.BestExporter(
        serving_input_receiver_fn=receiver,
        compare_fn=lambda best_eval_result, current_eval_result: judged.append(
            current_eval_result.get('global_step')) or False)], max_steps=20)
    assert len(exports(tmp_path, 'best_exporter')) == len(first) + 1
    assert judged[-2:] == [16, 20]


# ---------------------------------------------------------------------------- errors

@pytest.mark.parametrize('make, error, message', [
    (lambda: estimator.DNNClassifier([4], X_COLUMNS, n_classes=1), ValueError,
     'n_classes must be > 1'),
    (lambda: estimator.LinearClassifier(X_COLUMNS, n_classes=3, label_vocabulary=['a', 'b']),
     ValueError, 'label_vocabulary has 2 entries for n_classes=3'),
    (lambda: estimator.LinearRegressor([]), ValueError, 'feature_columns must be a non-empty'),
    (lambda: estimator.DNNRegressor([4], X_COLUMNS, label_dimension=0), ValueError,
     'Invalid label_dimension'),
    (lambda: estimator.DNNLinearCombinedClassifier(), ValueError,
     'Either linear_feature_columns or dnn_feature_columns'),
    (lambda: estimator.DNNLinearCombinedRegressor(dnn_feature_columns=X_COLUMNS), ValueError,
     'dnn_hidden_units must be defined'),
    (lambda: estimator.LatestExporter('a', None, exports_to_keep=0), ValueError,
     'must be a positive number'),
    (lambda: estimator.BestExporter(compare_fn=lambda a, b: True), ValueError,
     'must take exactly the arguments best_eval_result and current_eval_result'),
    (lambda: estimator.EvalSpec(len, exporters=[estimator.FinalExporter('x', None)] * 2),
     ValueError, '`exporters` must have unique names'),
    (lambda: estimator.EvalSpec(len, exporters=estimator.FinalExporter('', None)),
     ValueError, 'non-empty string name'),
])
def test_argument_errors(make, error, message):
    with pytest.raises(error, match=message):
        make()


def test_training_errors(tmp_path):
    x, y = separable_data()
    with pytest.raises(ValueError, match='Labels dtype should be string if there is a '
                                         'vocabulary'):
        estimator.LinearClassifier(X_COLUMNS, str(tmp_path / 'a'), label_vocabulary=['a', 'b']
                                   ).train(inputs({'x': x}, y % 2), steps=1)
    with pytest.raises(ValueError, match='Mismatched label shape'):
        estimator.LinearRegressor(X_COLUMNS, str(tmp_path / 'b'), label_dimension=2
                                  ).train(inputs({'x': x}, x[:, 0]), steps=1)
    with pytest.raises(tf.errors.InvalidArgumentError, match='Labels must be <= n_classes'):
        estimator.LinearClassifier(X_COLUMNS, str(tmp_path / 'c')
                                   ).train(inputs({'x': x}, y), steps=1)


def test_parse_example_specs():
    columns = [fc.numeric_column('age'),
               fc.categorical_column_with_vocabulary_list('education', ['hs', 'ba'])]
    spec = estimator.classifier_parse_example_spec(columns, 'label', weight_column='weight')
    assert spec['label'] == tf.FixedLenFeature((1,), tf.int64)
    assert spec['weight'] == tf.FixedLenFeature((1,), tf.float32)
    assert spec['education'] == tf.VarLenFeature(tf.string)
    spec = estimator.regressor_parse_example_spec(columns, 'price', label_dimension=2)
    assert spec['price'] == tf.FixedLenFeature((2,), tf.float32)
    with pytest.raises(ValueError, match='label should not be used as feature'):
        estimator.classifier_parse_example_spec(columns, 'age')
