"""tf.contrib.learn's Estimator (tf1/contrib_learn_*.py): TF 1.0-1.3's way of training
on NumPy arrays, checked on tiny data against NumPy worked out from the checkpoint, and
TF 1.1's layers tutorial (cnn_mnist.py, in its shape) run through `python -m tf1`."""
import logging
import textwrap

import numpy as np
import pytest
import tensorflow.compat.v1 as tf

from conftest import write_mnist_dir
from test_tf1_estimator import CLASSES, FEATURES, separable_data
from test_tf1_runner import tf1
from tf1 import contrib_learn_canned as canned
from tf1 import contrib_learn_estimator as learn
from tf1 import contrib_learn_monitors as monitors
from tf1.contrib_layers import real_valued_column
from tf1.contrib_learn import ModeKeys
from tf1.contrib_learn_feeder import DataFeeder, input_and_feed_fn
from tf1.contrib_learn_metric_spec import MetricSpec
from tf1.unsupported import UnsupportedApiError

tf.disable_v2_behavior()

def softmax_model_fn(features, labels):
    """TF 1.0's oldest contrib.learn signature: (features, labels) -> (predictions, loss,
    train_op), with the labels' placeholder in inference once fitted."""
    weights = tf.get_variable('weights', [FEATURES, CLASSES],
                              initializer=tf.zeros_initializer())
    bias = tf.get_variable('bias', [CLASSES], initializer=tf.zeros_initializer())
    logits = tf.matmul(features, weights) + bias
    loss = tf.losses.sparse_softmax_cross_entropy(labels=labels, logits=logits)
    train_op = tf.train.GradientDescentOptimizer(0.5).minimize(
        loss, global_step=tf.train.get_global_step())
    return {'classes': tf.argmax(logits, axis=1), 'logits': logits}, loss, train_op


def numpy_logits(estimator, x):
    return (x @ estimator.get_variable_value('weights') +
            estimator.get_variable_value('bias'))


def make_estimator(model_dir, model_fn=softmax_model_fn, **kwargs):
    # a graph seed: the heads' random initial weights the same in every run
    config = learn.RunConfig(save_checkpoints_steps=5, log_step_count_steps=5, tf_random_seed=1)
    return learn.Estimator(model_fn=model_fn, model_dir=str(model_dir), config=config,
                           **kwargs)


# ---------------------------------------------------------------------------- DataFeeder

def test_batches_follow_tf1s_permutations_and_epochs():
    x = np.arange(10, dtype=np.float32)  # 1-D: one feature per example
    y = np.arange(10, dtype=np.int64).reshape(10, 1)  # [n, 1] labels: one per example
    feeder = DataFeeder(x, y, batch_size=4, shuffle=True, epochs=2)
    with tf.Graph().as_default():
        inputs, outputs = feeder.input_builder()
        assert inputs.shape.as_list() == [None, 1] and outputs.shape.as_list() == [None]
        assert inputs.name == 'input:0' and outputs.name == 'output:0'
        feed = feeder.feed_dict_fn()
        random_state = np.random.RandomState(42)
        first, second = random_state.permutation(10), random_state.permutation(10)
        batches = [feed() for _ in range(6)]
        with pytest.raises(StopIteration):
            feed()
    expected = [first[0:4], first[4:8], first[8:10], second[0:4], second[4:8], second[8:10]]
    for batch, indices in zip(batches, expected):
        assert batch['input:0'].tolist() == [[float(i)] for i in indices]
        assert batch['output:0'].tolist() == indices.tolist()


def test_a_dict_of_features_and_the_whole_set_as_one_batch():
    x = {'a': np.zeros((5, 2), np.float32), 'b': np.ones((5, 3), np.float32)}
    feeder = DataFeeder(x, None, batch_size=None, shuffle=False, epochs=1)
    with tf.Graph().as_default():
        inputs, outputs = feeder.input_builder()
        assert outputs is None and inputs['b'].name == 'input_b:0'
        batch = feeder.feed_dict_fn()()
    assert batch['input_a:0'].shape == (5, 2) and batch['input_b:0'].shape == (5, 3)


@pytest.mark.parametrize('arguments, message', [
    (dict(x=None, y=None, input_fn=None, feed_fn=None, batch_size=None), 'Either x or input_fn'),
    (dict(x=np.zeros(2), y=None, input_fn=lambda: 0, feed_fn=None, batch_size=None),
     'both input_fn and x'),
    (dict(x=None, y=None, input_fn=lambda: 0, feed_fn=None, batch_size=8),
     'both input_fn and batch_size'),
    (dict(x=np.zeros(2), y=None, input_fn=None, feed_fn=None, batch_size=0),
     'Invalid batch_size 0'),
    (dict(x=np.zeros((3, 2)), y=np.zeros(2), input_fn=None, feed_fn=None, batch_size=1),
     r'as many examples each, got \[2, 3\]'),
])
def test_input_errors_are_tf1s(arguments, message):
    with pytest.raises(ValueError, match=message):
        input_and_feed_fn(**arguments)


def test_an_iterator_as_x_is_one_line_on_what_to_pass():
    with pytest.raises(UnsupportedApiError, match='iterator as x .* pass a NumPy array'):
        input_and_feed_fn(iter([np.zeros(2)]), None, None, None, 1)


# ---------------------------------------------------------------------------- MetricSpec

def test_metric_spec_calls_metric_functions_by_tf1s_rules(caplog):
    with tf.Graph().as_default():
        labels = tf.constant([1, 2, 0])
        predictions = {'classes': tf.constant([1, 2, 2]), 'other': tf.constant([0, 0, 0])}
        named = MetricSpec(tf.metrics.accuracy, prediction_key='classes')
        value, update = named.create_metric_ops({}, labels, predictions)

        def contrib_style(predictions, targets):  # TF 0.x's streaming metrics' names
            return tf.reduce_mean(tf.cast(tf.equal(predictions, targets), tf.float32))
        with caplog.at_level(logging.WARNING, logger='tensorflow'):  # graphs sets ERROR
            positional = MetricSpec(contrib_style, prediction_key='classes')
        assert 'Canonical arg labels missing' in caplog.text
        mean = positional.create_metric_ops({}, {'only': labels}, predictions)
        with tf.Session() as session:
            session.run(tf.local_variables_initializer())
            session.run(update)
            assert session.run([value, mean]) == pytest.approx([2 / 3, 2 / 3])
        with pytest.raises(ValueError, match='single element dict'):
            MetricSpec(tf.metrics.accuracy).create_metric_ops({}, labels, predictions)
        with pytest.raises(KeyError, match="Key 'nope' missing"):
            MetricSpec(tf.metrics.accuracy, 'nope').create_metric_ops({}, labels, predictions)
        with pytest.raises(ValueError, match='missing from <lambda>'):
            MetricSpec(lambda predictions: predictions, label_key='y')


# ---------------------------------------------------------------------------- Estimator

def test_fit_evaluate_predict_on_numpy_arrays(tmp_path):
    x, y = separable_data()
    estimator = make_estimator(tmp_path)
    with pytest.raises(learn.NotFittedError, match="Couldn't find trained model"):
        estimator.evaluate(x=x, y=y)
    assert estimator.fit(x=x, y=y, batch_size=10, steps=20) is estimator
    assert tf.train.latest_checkpoint(str(tmp_path)).endswith('model.ckpt-20')

    logits = numpy_logits(estimator, x)
    metrics = {'accuracy': learn.MetricSpec(tf.metrics.accuracy, prediction_key='classes')}
    results = estimator.evaluate(x=x, y=y, metrics=metrics)
    assert results['global_step'] == 20
    assert results['accuracy'] == pytest.approx(np.mean(logits.argmax(axis=1) == y))
    shifted = logits - logits.max(axis=1, keepdims=True)
    log_softmax = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    # The mean of per-batch (128: one batch here) losses.
    assert results['loss'] == pytest.approx(-log_softmax[np.arange(len(y)), y].mean(), 1e-5)
    assert results['accuracy'] > 0.8

    predictions = list(estimator.predict(x=x))  # one dict per example
    assert [p['classes'] for p in predictions] == logits.argmax(axis=1).tolist()
    assert [set(p) for p in estimator.predict(x=x, outputs=['classes'])] == [{'classes'}] * 60
    arrays = estimator.predict(x=x, as_iterable=False)
    assert arrays['classes'].tolist() == logits.argmax(axis=1).tolist()
    assert arrays['logits'] == pytest.approx(logits, abs=1e-5)
    # Inference got the labels' placeholder because this Estimator was fitted: a fresh one
    # (a new process, as it were) passes labels=None, which this model_fn cannot take.
    with pytest.raises(ValueError, match='labels'):
        make_estimator(tmp_path).predict(x=x[:3], as_iterable=False)


def test_sk_compat_and_an_input_fn_with_model_fn_ops(tmp_path):
    x, y = separable_data()

    def model_fn(features, labels, mode, params):
        predictions, loss, train_op = softmax_model_fn(features['x'], labels)
        if mode == ModeKeys.INFER:
            return learn.ModelFnOps(mode, predictions=predictions['classes'])
        eval_metric_ops = {'accuracy': tf.metrics.accuracy(labels, predictions['classes'])}
        return learn.ModelFnOps(mode, predictions['classes'], loss, train_op,
                                eval_metric_ops=eval_metric_ops)

    estimator = learn.SKCompat(make_estimator(tmp_path, model_fn, params={'unused': 1}))
    with pytest.raises(ValueError, match='params'):
        make_estimator(tmp_path, softmax_model_fn, params={'unused': 1})
    features = {'x': x}
    estimator.fit(features, y, batch_size=10, steps=10)
    scores = estimator.score(features, y)
    classes = estimator.predict(features, batch_size=7)  # eight batches, concatenated
    assert classes.shape == (60,) and scores['accuracy'] == pytest.approx(np.mean(classes == y))

    def input_fn():
        return {'x': tf.constant(x)}, tf.constant(y)
    inner = estimator._estimator
    inner.fit(input_fn=input_fn, steps=5)
    assert inner.evaluate(input_fn=input_fn, steps=1)['global_step'] == 15
    # An input without a feed or a queue is one batch, as TF 1.x took it.
    assert len(list(inner.predict(input_fn=input_fn))) == 60


def test_a_model_fn_ending_in_a_public_head_trains_evaluates_and_predicts(tmp_path):
    """TF 1.1-1.4's custom contrib.learn model_fn: head.create_model_fn_ops."""
    from tf1 import contrib_learn_head as heads
    x, y = separable_data()
    head = heads.multi_class_head(CLASSES, label_name='label')

    def model_fn(features, labels, mode):
        return head.create_model_fn_ops(
            features, mode, labels, logits_input=features['x'],
            train_op_fn=lambda loss: tf.train.AdamOptimizer(0.1).minimize(
                loss, tf.train.get_global_step()))
    estimator = make_estimator(tmp_path, model_fn)

    def input_fn():
        return {'x': tf.constant(x)}, {'label': tf.constant(y)}
    estimator.fit(input_fn=input_fn, steps=60)
    metrics = estimator.evaluate(input_fn=input_fn, steps=1)
    assert metrics['accuracy'] > 0.9 and metrics['global_step'] == 60
    prediction = next(iter(estimator.predict(input_fn=input_fn)))
    assert set(prediction) == {heads.PredictionKey.LOGITS, heads.PredictionKey.PROBABILITIES,
                               heads.PredictionKey.CLASSES}
    assert 'head/logits/weights' in [name for name, _ in
                                     tf.train.list_variables(str(tmp_path))]
    with pytest.raises(UnsupportedApiError, match='does not take enable_centered_bias'):
        heads.multi_class_head(3, enable_centered_bias=True)
    with pytest.raises(UnsupportedApiError, match='binary_svm_head'):
        heads.binary_svm_head()
    with pytest.raises(ValueError, match='Neither logits nor logits_input'):
        head.create_model_fn_ops({}, ModeKeys.INFER)


def test_model_fn_errors_are_tf1s(tmp_path):
    x, y = separable_data()
    with pytest.raises(ValueError, match='Missing train_op'):
        make_estimator(tmp_path, lambda features, labels, mode: learn.ModelFnOps(
            mode, predictions=features, loss=tf.reduce_sum(features))).fit(x=x, y=y, steps=1)
    with pytest.raises(ValueError, match='Unrecognized value returned by model_fn'):
        make_estimator(tmp_path, lambda features, labels: 1).fit(x=x, y=y, steps=1)
    with pytest.raises(ValueError, match='monitors must be SessionRunHooks or tf.contrib'):
        make_estimator(tmp_path).fit(x=x, y=y, steps=1, monitors=[object()])
    with pytest.raises(ValueError, match='both steps and max_steps'):
        make_estimator(tmp_path).fit(x=x, y=y, steps=1, max_steps=2)


@pytest.fixture(scope='module')
def mnist_dir(tmp_path_factory):
    """Synthetic MNIST with more than load_dataset's 5,000 validation images."""
    return write_mnist_dir(str(tmp_path_factory.mktemp('mnist')), train_count=5600,
                           test_count=500)


def test_a_tf1_1_layers_tutorial_script_runs_unchanged(tmp_path, mnist_dir):
    """TF 1.1's cnn_mnist.py in its shape: learn.Estimator, model_fn_lib.ModelFnOps,
    fit(x=, y=, batch_size=, steps=, monitors=[LoggingTensorHook]), MetricSpec."""
    (tmp_path / 'cnn_mnist.py').write_text(textwrap.dedent('''\
        import numpy as np
        import tensorflow as tf
        from tensorflow.contrib import learn
        from tensorflow.contrib.learn.python.learn.estimators import model_fn as model_fn_lib

        def cnn_model_fn(features, labels, mode):
            input_layer = tf.reshape(features, [-1, 28, 28, 1])
            conv = tf.layers.conv2d(input_layer, 8, [5, 5], padding="same", activation=tf.nn.relu)
            pool = tf.layers.max_pooling2d(inputs=conv, pool_size=[2, 2], strides=2)
            dense = tf.layers.dense(tf.reshape(pool, [-1, 14 * 14 * 8]), 32, tf.nn.relu)
            dropout = tf.layers.dropout(dense, rate=0.4, training=mode == learn.ModeKeys.TRAIN)
            logits = tf.layers.dense(inputs=dropout, units=10)
            loss = train_op = None
            if mode != learn.ModeKeys.INFER:
                onehot_labels = tf.one_hot(indices=tf.cast(labels, tf.int32), depth=10)
                loss = tf.losses.softmax_cross_entropy(onehot_labels=onehot_labels, logits=logits)
            if mode == learn.ModeKeys.TRAIN:
                train_op = tf.contrib.layers.optimize_loss(
                    loss=loss, global_step=tf.contrib.framework.get_global_step(),
                    learning_rate=0.01, optimizer="Adam")
            predictions = {"classes": tf.argmax(input=logits, axis=1),
                           "probabilities": tf.nn.softmax(logits, name="softmax_tensor")}
            return model_fn_lib.ModelFnOps(mode=mode, predictions=predictions, loss=loss,
                                           train_op=train_op)

        def main(unused_argv):
            mnist = learn.datasets.load_dataset("mnist")
            train_labels = np.asarray(mnist.train.labels, dtype=np.int32)
            eval_labels = np.asarray(mnist.test.labels, dtype=np.int32)
            classifier = learn.Estimator(model_fn=cnn_model_fn, model_dir="model")
            hook = tf.train.LoggingTensorHook({"probabilities": "softmax_tensor"}, every_n_iter=50)
            classifier.fit(x=mnist.train.images, y=train_labels, batch_size=50, steps=60,
                           monitors=[hook])
            metrics = {"accuracy": learn.MetricSpec(metric_fn=tf.metrics.accuracy,
                                                    prediction_key="classes")}
            print(classifier.evaluate(x=mnist.test.images, y=eval_labels, metrics=metrics))
            predicted = classifier.predict(x=mnist.test.images[:8], as_iterable=False)
            print("agree", np.mean(predicted["classes"] == eval_labels[:8]))

        if __name__ == "__main__":
            tf.app.run()
        '''))
    result = tf1(['cnn_mnist.py'], str(tmp_path), mnist_dir)
    assert result.returncode == 0, result.stderr[-3000:]
    line = [line for line in result.stdout.splitlines() if line.startswith('{')][-1]
    results = eval(line, {'float32': np.float32})
    assert results['global_step'] == 60 and results['accuracy'] > 0.9, line
    assert float(result.stdout.split('agree ')[1].split()[0]) >= 0.75
    assert (tmp_path / 'model' / 'model.ckpt-60.index').exists()



def test_predicting_leaves_the_callers_graph_and_metrics_take_tf1s_forms(tmp_path, tf_log):
    x, y = separable_data()
    estimator = make_estimator(tmp_path)
    estimator.fit(x=x, y=y, batch_size=10, steps=5)
    with tf.Graph().as_default() as graph:
        predictions = estimator.predict(x=x)
        next(predictions)  # half consumed: the script's graph is still the default
        assert tf.get_default_graph() is graph
        predictions.close()
    # Fed, its input ends: not tf.estimator's "predict yields forever" warning.
    assert not any('yields forever' in line for line in tf_log)

    def mean_match(predictions, labels):  # a value alone, no update op
        return tf.reduce_mean(tf.cast(tf.equal(predictions, tf.cast(labels, tf.int64)),
                                      tf.float32))
    metrics = {'accuracy': MetricSpec(tf.metrics.accuracy, 'classes', label_key='y'),
               'match': MetricSpec(mean_match, 'classes', label_key='y')}
    named = learn.Estimator(model_fn=lambda features, labels: softmax_model_fn(
        features, labels['y']), model_dir=str(tmp_path))
    # One-key dict labels, from NumPy and from an input_fn (a value alone is read after the
    # last batch, without a feed: TF 1.x's evaluation needed an input_fn for it too).
    assert named.evaluate(x=x, y={'y': y}, metrics={'accuracy': metrics['accuracy']})[
        'accuracy'] > 0.5
    results = named.evaluate(input_fn=lambda: (tf.constant(x), {'y': tf.constant(y)}),
                             steps=1, metrics=metrics)
    assert results['accuracy'] == pytest.approx(results['match'])
    # TF 1.x's deprecated forms, which TF 1.15 still took: a bare metric function under
    # (name, prediction key), given the one-key labels' tensor, and errors for the others.
    def accuracy(predictions, labels):
        return tf.metrics.accuracy(labels, predictions)
    bare = named.evaluate(input_fn=lambda: (tf.constant(x), {'y': tf.constant(y)}), steps=1,
                          metrics={('bare', 'classes'): accuracy, 'match': metrics['match']})
    assert bare['bare'] == pytest.approx(results['accuracy'])
    with pytest.raises(ValueError, match='Metrics passed provide only name, no prediction, '
                                         'but predictions are dict'):
        named.evaluate(x=x, y={'y': y}, metrics={'bare': accuracy})
    with pytest.raises(ValueError, match='It returned a tuple with len 3, expected 2'):
        named.evaluate(x=x, y={'y': y}, metrics={('a', 'b', 'c'): accuracy})
    with pytest.raises(ValueError, match="'bare' is of the prediction 'nope', which the "
                                         "model_fn does not give"):
        named.evaluate(x=x, y={'y': y}, metrics={('bare', 'nope'): accuracy})


def test_the_global_step_read_follows_the_input_as_in_contrib_learn(tmp_path):
    x, y = separable_data()
    order = {}

    def input_fn():
        order['input'] = len(tf.get_default_graph().get_operations())
        return tf.constant(x), tf.constant(y)

    def model_fn(features, labels):
        names = [op.name for op in tf.get_default_graph().get_operations()]
        order['read'] = names.index('global_step/add')
        return softmax_model_fn(features, labels)
    make_estimator(tmp_path, model_fn).fit(input_fn=input_fn, steps=1)
    assert order['read'] > order['input']

# ---------------------------------------------------------------------------- canned

def test_infer_real_valued_columns_from_input():
    (column,) = canned.infer_real_valued_columns_from_input(np.zeros((5, 28, 28), np.float32))
    assert column.key == '' and column.shape == (784,) and column.dtype == tf.float32
    columns = canned.infer_real_valued_columns_from_input(
        {'b': np.zeros((5, 2), np.float64), 'a': np.zeros(5, np.int64)})
    assert [(c.key, c.shape, c.dtype) for c in columns] == [('a', (1,), tf.int64),
                                                           ('b', (2,), tf.float64)]


def test_dnn_classifier_as_tf1_built_and_trained_it(tmp_path):
    x, y = separable_data()
    classifier = canned.DNNClassifier(
        hidden_units=[8], feature_columns=canned.infer_real_valued_columns_from_input(x),
        n_classes=CLASSES, model_dir=str(tmp_path),
        optimizer=tf.train.GradientDescentOptimizer(0.5))
    classifier.fit(x=x, y=y, batch_size=10, steps=40)
    names = set(classifier.get_variable_names())
    assert {'dnn/hiddenlayer_0/weights', 'dnn/hiddenlayer_0/biases', 'dnn/logits/weights',
            'dnn/logits/biases', 'global_step'} <= names

    def value(name):
        return classifier.get_variable_value(name)
    hidden = np.maximum(x @ value('dnn/hiddenlayer_0/weights') +
                        value('dnn/hiddenlayer_0/biases'), 0)
    logits = hidden @ value('dnn/logits/weights') + value('dnn/logits/biases')
    results = classifier.evaluate(x=x, y=y)
    assert set(results) == {'accuracy', 'loss', 'global_step'}
    assert results['accuracy'] == pytest.approx(np.mean(logits.argmax(axis=1) == y))
    assert list(classifier.predict(x=x)) == logits.argmax(axis=1).tolist()  # the classes
    assert classifier.predict_classes(x=x, as_iterable=False).shape == (60,)
    probabilities = np.array(list(classifier.predict_proba(x=x[:4])))
    softmax = np.exp(logits[:4]) / np.exp(logits[:4]).sum(axis=1, keepdims=True)
    assert probabilities == pytest.approx(softmax, abs=1e-5)


def test_a_classifier_is_a_scikit_learn_estimator_as_in_tf1(tmp_path):
    """TF 1.x's examples/learn iris_with_pipeline.py: a Pipeline ending in a DNNClassifier,
    its steps set through `DNNclassifier__steps`; get_params and set_params as TF 1.x's."""
    pipeline_module = pytest.importorskip('sklearn.pipeline')
    from sklearn.preprocessing import StandardScaler
    x, y = separable_data(count=90)
    classifier = canned.DNNClassifier(
        hidden_units=[8], feature_columns=canned.infer_real_valued_columns_from_input(x),
        n_classes=CLASSES, model_dir=str(tmp_path))
    params = classifier.get_params()
    assert list(params) == ['params'] and params['params'] is classifier.params
    assert classifier.set_params(**params) is classifier  # what GridSearchCV's clone does
    with pytest.raises(ValueError, match='Invalid parameter hidden_layers for estimator '
                                         'DNNClassifier'):
        classifier.set_params(hidden_layers=[4])
    pipeline = pipeline_module.Pipeline([('scaler', StandardScaler()),
                                         ('DNNclassifier', classifier)])
    pipeline.fit(x, y, DNNclassifier__steps=200)
    assert classifier.get_variable_value('global_step') == 200
    assert np.mean(np.array(list(pipeline.predict(x))) == y) > 0.8


def test_linear_classifier_two_classes_and_the_regressors(tmp_path):
    x, y = separable_data()
    binary = (y == 0).astype(np.int64)
    columns = [real_valued_column('', dimension=FEATURES)]
    classifier = canned.LinearClassifier(columns, model_dir=str(tmp_path / 'linear'))
    results = classifier.fit(x=x, y=binary, batch_size=20, steps=30).evaluate(x=x, y=binary)
    assert results['labels/actual_label_mean'] == pytest.approx(binary.mean())
    assert {'auc', 'accuracy', 'precision/positive_threshold_0.500000_mean'} <= set(results)
    logistic = np.array(list(classifier.predict_proba(x=x)))[:, 1]
    assert results['accuracy'] == pytest.approx(np.mean((logistic > 0.5) == binary))
    # contrib's columns, contrib's names (the column "" of a NumPy x: linear//weight).
    weight, bias = (classifier.get_variable_value(name)
                    for name in ('linear//weight', 'linear/bias_weight'))
    logits = x @ weight[:, 0] + bias[0]
    assert logistic == pytest.approx(1 / (1 + np.exp(-logits)), abs=1e-5)

    target = x @ np.array([1.0, -2.0, 0.5, 3.0], np.float32)
    regressor = canned.LinearRegressor(columns, model_dir=str(tmp_path / 'regressor'),
                                       optimizer=tf.train.GradientDescentOptimizer(0.1))
    regressor.fit(x=x, y=target, steps=200)
    scores = regressor.predict_scores(x=x, as_iterable=False)
    assert scores.shape == (60,)
    mse = regressor.evaluate(x=x, y=target)['loss']
    assert mse == pytest.approx(np.mean((scores - target) ** 2), rel=1e-4) and mse < 0.5
    # With a weight column, evaluation's loss is the weighted average, as TF 1.x's was.
    weights = np.linspace(0.1, 2.0, 60).astype(np.float32)
    weighted = canned.LinearRegressor(columns, model_dir=str(tmp_path / 'weighted'),
                                      weight_column_name='w')
    features = {'': x, 'w': weights}
    weighted.fit(x=features, y=target, steps=3)
    scores = weighted.predict_scores(x=features, as_iterable=False)
    expected = np.sum(weights * (scores - target) ** 2) / np.sum(weights)
    assert weighted.evaluate(x=features, y=target)['loss'] == pytest.approx(expected, rel=1e-4)
    dnn = canned.DNNRegressor([4], columns, model_dir=str(tmp_path / 'dnn_regressor'))
    assert len(list(dnn.fit(x=x, y=target, steps=5).predict(x=x))) == 60


@pytest.mark.parametrize('make, message', [
    (lambda: canned.DNNClassifier([4], [], enable_centered_bias=True),
     r'DNNClassifier\(enable_centered_bias=...\) is not provided by tf1'),
    (lambda: canned.LinearClassifier([], n_classes=1), 'n_classes must be > 1'),
    (lambda: real_valued_column('x', dimension=None), 'variable-length'),
])
def test_canned_errors_are_one_line(make, message):
    with pytest.raises(ValueError, match=message):
        make()


# ---------------------------------------------------------------------------- monitors

def test_validation_monitor_stops_early_and_others_report(tmp_path, caplog):
    x, y = separable_data()
    estimator = make_estimator(tmp_path)  # a checkpoint every 5 steps
    # The global step only grows: stop once 10 steps have passed without a smaller one.
    validation = monitors.ValidationMonitor(
        x=x, y=y, every_n_steps=5, early_stopping_rounds=10, check_interval_secs=None,
        early_stopping_metric='global_step', early_stopping_metric_minimize=True)
    capture = monitors.CaptureVariable('bias:0', every_n=10)
    with caplog.at_level(logging.INFO, logger='tensorflow'):
        estimator.fit(x=x, y=y, batch_size=10, steps=200,
                      monitors=[validation, capture, monitors.PrintTensor(
                          {'loss': 'sparse_softmax_cross_entropy_loss/value'}, every_n=10)])
    # Evaluated at steps 5, 10 and 15 (each one's new checkpoint); never better than the
    # first, so stopped at step 15.
    assert validation.early_stopped and validation.best_step == 5
    assert validation.best_metrics['global_step'] == 5
    assert estimator.get_variable_value('global_step') == 15
    assert 'Validation (step 10): ' in caplog.text and 'Step 11: loss = ' in caplog.text
    assert sorted(capture.values) == [1, 11] and capture.values[1].shape == (CLASSES,)

    stop = monitors.StopAtStep(num_steps=3)
    estimator.fit(x=x, y=y, batch_size=10, steps=50, monitors=[stop])
    assert estimator.get_variable_value('global_step') == 18
    with pytest.raises(ValueError, match='Either x or input_fn'):
        monitors.ValidationMonitor()


def test_tf_1_0_getting_started_with_contrib_learn_io(tmp_path):
    # TF 1.0's "Getting Started with TensorFlow", as published; its documented result is
    # {'global_step': 1000, 'loss': 1.9650059e-11}.
    from tf1.api import tensorflow as tf1_api
    learn = tf1_api.contrib.learn
    features = [tf1_api.contrib.layers.real_valued_column('x', dimension=1)]
    estimator = learn.LinearRegressor(feature_columns=features, model_dir=str(tmp_path))
    x, y = np.array([1., 2., 3., 4.]), np.array([0., -1., -2., -3.])
    input_fn = learn.io.numpy_input_fn({'x': x}, y, batch_size=4, num_epochs=1000)
    estimator.fit(input_fn=input_fn, steps=1000)
    result = estimator.evaluate(input_fn=input_fn)
    assert result['global_step'] == 1000 and result['loss'] < 1e-9
    assert learn.io.extract_pandas_data(x) is x  # not a DataFrame: unchanged


@pytest.mark.parametrize('module, name', [
    ('monitored_session', 'MonitoredSession'), ('monitored_session', 'Scaffold'),
    ('session_run_hook', 'SessionRunArgs'), ('basic_session_run_hooks', 'StopAtStepHook'),
    ('summary_writer_cache', 'SummaryWriterCache'),
    ('summary_writer_cache', 'get_summary_writer')])
def test_contrib_learns_aliases_of_tf_train_by_their_modules(module, name):
    """deepmind/learning-to-learn: `from tensorflow.contrib.learn.python.learn import
    monitored_session as ms`, then `ms.MonitoredSession(...)`."""
    from tf1 import api
    # As the import statement asks for it (`from ... import monitored_session as ms`).
    package = api.import_tensorflow('tensorflow.contrib.learn.python.learn', (module,),
                                    __import__)
    aliases = getattr(package, module)
    expected = {'SummaryWriterCache': tf.summary.FileWriterCache,
                'get_summary_writer': tf.summary.FileWriterCache.get}.get(name) or getattr(
                    tf.train, name)
    assert getattr(aliases, name) is expected
