"""tf1.estimator: TF 1.x's tf.estimator on TF 2.21, checked on tiny data.

A softmax-regression model_fn (tf.compat.v1 ops only) trains, checkpoints, resumes,
evaluates and predicts; the figures it reports are checked against numpy worked out from
the checkpointed weights. numpy_input_fn's batching, the model_fn signatures, the
EstimatorSpec checks, train_and_evaluate and the shape of the TF 1.x tutorial cnn_mnist.py
are covered too (the premade estimators: test_tf1_estimator_premade.py)."""
import functools
import glob
import os

import numpy as np
import pytest
import tensorflow.compat.v1 as tf

from conftest import synthetic_digits
from tf1 import estimator

tf.disable_v2_behavior()

FEATURES, CLASSES = 4, 3


def separable_data(count=60, seed=0):
    """Points whose class is the index of their largest coordinate among the first three."""
    rng = np.random.RandomState(seed)
    x = rng.rand(count, FEATURES).astype(np.float32)
    return x, x[:, :CLASSES].argmax(axis=1).astype(np.int32)


def softmax_model_fn(features, labels, mode, params):
    """Softmax regression in the style of TF 1.x's custom-Estimator guide."""
    weights = tf.get_variable('weights', [FEATURES, CLASSES],
                              initializer=tf.zeros_initializer())
    bias = tf.get_variable('bias', [CLASSES], initializer=tf.zeros_initializer())
    logits = tf.matmul(features['x'], weights) + bias
    predictions = {'classes': tf.argmax(logits, axis=1),
                   'probabilities': tf.nn.softmax(logits, name='softmax_tensor')}
    if mode == estimator.ModeKeys.PREDICT:
        return estimator.EstimatorSpec(mode=mode, predictions=predictions)
    loss = tf.losses.sparse_softmax_cross_entropy(labels=labels, logits=logits)
    if mode == estimator.ModeKeys.TRAIN:
        optimizer = tf.train.GradientDescentOptimizer(params['learning_rate'])
        train_op = optimizer.minimize(loss, global_step=tf.train.get_global_step())
        return estimator.EstimatorSpec(mode=mode, loss=loss, train_op=train_op)
    accuracy = tf.metrics.accuracy(labels=labels, predictions=predictions['classes'])
    return estimator.EstimatorSpec(mode=mode, loss=loss, eval_metric_ops={'accuracy': accuracy})


def make_estimator(model_dir, **config):
    config.setdefault('log_step_count_steps', 2)
    config.setdefault('save_summary_steps', 2)
    return estimator.Estimator(softmax_model_fn, model_dir=str(model_dir),
                               params={'learning_rate': 0.5},
                               config=estimator.RunConfig(**config))


def train_input(x, y, batch_size=10):
    return estimator.inputs.numpy_input_fn({'x': x}, y, batch_size=batch_size,
                                           num_epochs=None, shuffle=True)


def eval_input(x, y=None, batch_size=20):
    return estimator.inputs.numpy_input_fn({'x': x}, y, batch_size=batch_size, num_epochs=1,
                                           shuffle=False)


def summary_values(directory):
    """{tag: {step: value}} of the scalar summaries in `directory`'s event files."""
    values = {}
    for path in glob.glob(os.path.join(directory, 'events.out.tfevents.*')):
        for event in tf.train.summary_iterator(path):
            for value in event.summary.value:
                if value.HasField('simple_value'):
                    values.setdefault(value.tag, {})[event.step] = value.simple_value
    return values


@pytest.fixture(scope='module')
def trained(tmp_path_factory):
    """An Estimator trained 30 steps, and its data."""
    x, y = separable_data()
    model = make_estimator(tmp_path_factory.mktemp('trained'))
    model.train(train_input(x, y), steps=30)
    return model, x, y


def numpy_logits(model, x):
    return x @ model.get_variable_value('weights') + model.get_variable_value('bias')


# ---------------------------------------------------------------------------- training

def test_train_checkpoints_resumes_and_stops_at_max_steps(tmp_path, tf_log):
    x, y = separable_data()
    model = make_estimator(tmp_path, save_checkpoints_steps=4)
    assert model.train(train_input(x, y), steps=5) is model
    assert model.latest_checkpoint() == str(tmp_path / 'model.ckpt-5')
    assert os.path.exists(str(tmp_path / 'model.ckpt-4.index'))
    assert model.get_variable_value('global_step') == 5
    assert sorted(model.get_variable_names()) == ['bias', 'global_step', 'weights']

    # A second call resumes from the checkpoint; steps count on, max_steps is absolute.
    make_estimator(tmp_path).train(train_input(x, y), steps=3)
    assert model.get_variable_value('global_step') == 8
    model.train(train_input(x, y), max_steps=8)
    assert 'Skipping training since max_steps has already saved.' in tf_log
    model.train(train_input(x, y), max_steps=10)
    assert model.get_variable_value('global_step') == 10

    assert any(line.startswith('loss = ') and line.endswith(', step = 1') for line in tf_log)
    summaries = summary_values(str(tmp_path))
    assert {'loss', 'global_step/sec'} <= set(summaries)
    assert all(np.isfinite(value) for value in summaries['loss'].values())


def test_train_stops_at_the_end_of_finite_input(tmp_path):
    x, y = separable_data(count=25)
    model = make_estimator(tmp_path)
    model.train(estimator.inputs.numpy_input_fn({'x': x}, y, batch_size=10, num_epochs=2,
                                                shuffle=True))
    assert model.get_variable_value('global_step') == 5  # 50 examples: 10, 10, 10, 10, 10


def test_train_accepts_an_input_fn_returning_a_dataset(tmp_path):
    x, y = separable_data(count=30)

    def input_fn():
        return tf.data.Dataset.from_tensor_slices(({'x': x}, y)).batch(8)

    model = make_estimator(tmp_path)
    model.train(input_fn)
    assert model.get_variable_value('global_step') == 4  # 8 + 8 + 8 + 6
    assert model.evaluate(input_fn)['global_step'] == 4


def test_train_argument_errors(tmp_path):
    model = make_estimator(tmp_path)
    x, y = separable_data()
    for kwargs, message in ((dict(steps=1, max_steps=2), 'Can not provide both'),
                            (dict(steps=0), 'Must specify steps > 0'),
                            (dict(hooks=['not a hook']), 'SessionRunHook'),
                            (dict(steps=1, saving_listeners=[1]), 'CheckpointSaverListener')):
        with pytest.raises((ValueError, TypeError), match=message):
            model.train(train_input(x, y), **kwargs)


# ---------------------------------------------------------------------------- evaluate

def test_evaluate_matches_numpy_and_writes_eval_summaries(trained):
    model, x, y = trained
    results = model.evaluate(eval_input(x, y))
    assert sorted(results) == ['accuracy', 'global_step', 'loss']
    assert results['global_step'] == 30
    logits = numpy_logits(model, x)
    assert results['accuracy'] == pytest.approx(np.mean(logits.argmax(axis=1) == y))
    shifted = logits - logits.max(axis=1, keepdims=True)
    log_probabilities = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    # Equal batches of 20: the mean of the batch losses is the mean loss.
    assert results['loss'] == pytest.approx(-log_probabilities[np.arange(len(y)), y].mean(),
                                            rel=1e-5)
    assert results['accuracy'] > 0.5  # it learned: chance is 1/3

    eval_summaries = summary_values(model.eval_dir())
    assert eval_summaries['accuracy'][30] == pytest.approx(results['accuracy'])
    assert eval_summaries['loss'][30] == pytest.approx(results['loss'])

    named = model.evaluate(eval_input(x, y), steps=1, name='first_batch')
    assert model.eval_dir('first_batch') == os.path.join(model.model_dir, 'eval_first_batch')
    assert summary_values(model.eval_dir('first_batch'))['accuracy'][30] == pytest.approx(
        np.mean(logits[:20].argmax(axis=1) == y[:20]))
    assert named['global_step'] == 30


def test_evaluate_without_a_checkpoint_uses_initial_values(tmp_path):
    x, y = separable_data(count=20)
    results = make_estimator(tmp_path).evaluate(eval_input(x, y))
    assert results['global_step'] == 0
    assert results['loss'] == pytest.approx(np.log(CLASSES), rel=1e-5)  # all-zero weights


def test_evaluate_refuses_a_metric_named_loss(tmp_path):
    def model_fn(features, labels, mode):
        loss = tf.reduce_mean(features['x'])
        return estimator.EstimatorSpec(mode, loss=loss,
                                       eval_metric_ops={'loss': tf.metrics.mean(loss)})

    x, y = separable_data(count=20)
    with pytest.raises(ValueError, match='Metric with name "loss" is not allowed'):
        estimator.Estimator(model_fn, str(tmp_path)).evaluate(eval_input(x, y))


# ---------------------------------------------------------------------------- predict

def test_predict_yields_one_dict_per_example(trained):
    model, x, _ = trained
    predictions = list(model.predict(eval_input(x[:25], batch_size=10)))
    assert len(predictions) == 25
    assert sorted(predictions[0]) == ['classes', 'probabilities']
    expected = numpy_logits(model, x[:25]).argmax(axis=1)
    assert [p['classes'] for p in predictions] == list(expected)
    assert all(p['probabilities'].shape == (CLASSES,) for p in predictions)

    only_classes = list(model.predict(eval_input(x[:5]), predict_keys=['classes']))
    assert [sorted(p) for p in only_classes] == [['classes']] * 5
    batches = list(model.predict(eval_input(x[:25], batch_size=10),
                                 yield_single_examples=False))
    assert [len(batch['classes']) for batch in batches] == [10, 10, 5]
    with pytest.raises(ValueError, match='Expected to run at least one output'):
        next(model.predict(eval_input(x[:5]), predict_keys=['missing']))


def test_predict_with_tensor_predictions_yields_rows(tmp_path):
    def model_fn(features, mode):
        return estimator.EstimatorSpec(mode, predictions=features * 2.0)

    values = np.arange(6, dtype=np.float32).reshape(3, 2)
    model = estimator.Estimator(model_fn, str(tmp_path))
    rows = list(model.predict(estimator.inputs.numpy_input_fn(values, shuffle=False)))
    np.testing.assert_array_equal(np.stack(rows), values * 2)


def test_warm_start_from_another_model_dir(trained, tmp_path):
    model, x, _ = trained
    warm = estimator.Estimator(softmax_model_fn, str(tmp_path), params={'learning_rate': 0.5},
                               warm_start_from=model.model_dir)
    warm_classes = [p['classes'] for p in warm.predict(eval_input(x))]
    assert warm_classes == list(numpy_logits(model, x).argmax(axis=1))
    # From an exported SavedModel (its variables/ is a checkpoint), its path as bytes too.
    image = tf.placeholder(tf.float32, [None, FEATURES], name='image')
    export_dir = model.export_saved_model(
        str(tmp_path / 'export'), estimator.export.build_raw_serving_input_receiver_fn(
            {'x': image}))
    from_export = estimator.Estimator(softmax_model_fn, str(tmp_path / 'from_export'),
                                      params={'learning_rate': 0.5}, warm_start_from=export_dir)
    assert [p['classes'] for p in from_export.predict(eval_input(x))] == warm_classes


# ---------------------------------------------------------------------------- numpy_input_fn

def batches_of(input_fn, limit=100):
    """Everything input_fn yields (at most `limit` batches) in a plain session."""
    with tf.Graph().as_default():
        batch = input_fn()
        with tf.Session() as session:
            results = []
            try:
                while len(results) < limit:
                    results.append(session.run(batch))
            except tf.errors.OutOfRangeError:
                pass
    return results


def test_numpy_input_fn_streams_epochs_and_keeps_the_last_partial_batch():
    x = np.arange(5)
    batches = batches_of(estimator.inputs.numpy_input_fn({'x': x}, x * 10, batch_size=2,
                                                         num_epochs=2, shuffle=False))
    assert [list(features['x']) for features, _ in batches] == [
        [0, 1], [2, 3], [4, 0], [1, 2], [3, 4]]
    assert [list(labels) for _, labels in batches] == [
        [0, 10], [20, 30], [40, 0], [10, 20], [30, 40]]
    # no epoch: the first batch is already the end, as in TF 1.x
    assert batches_of(estimator.inputs.numpy_input_fn(x, num_epochs=0, shuffle=False)) == []


def test_numpy_input_fn_shuffles_each_epoch_completely():
    x = np.arange(10)
    batches = batches_of(estimator.inputs.numpy_input_fn(x, batch_size=4, num_epochs=1,
                                                         shuffle=True))
    assert [len(batch) for batch in batches] == [4, 4, 2]  # an array x: features alone
    assert sorted(np.concatenate(batches)) == list(range(10))


def test_numpy_input_fn_repeats_forever_without_num_epochs():
    batches = batches_of(estimator.inputs.numpy_input_fn(np.arange(3), batch_size=2,
                                                         num_epochs=None, shuffle=False),
                         limit=7)
    assert len(batches) == 7 and all(len(batch) == 2 for batch in batches)


def test_numpy_input_fn_shuffle_follows_the_graph_seed():
    def order(seed):
        with tf.Graph().as_default():
            tf.set_random_seed(seed)
            batch = estimator.inputs.numpy_input_fn(np.arange(20), batch_size=20,
                                                    shuffle=True)()
            with tf.Session() as session:
                return list(session.run(batch))

    assert order(1) == order(1) != list(range(20))


def test_numpy_input_fn_dict_labels_and_dtypes():
    x = {'pixels': np.ones((4, 3), np.float32), 'ids': np.arange(4, dtype=np.int64)}
    y = {'label': np.arange(4, dtype=np.int32)}
    features, labels = batches_of(estimator.inputs.numpy_input_fn(x, y, batch_size=4,
                                                                  shuffle=False))[0]
    assert features['pixels'].shape == (4, 3) and features['ids'].dtype == np.int64
    assert labels['label'].dtype == np.int32


def test_pandas_input_fn_feeds_one_feature_per_column():
    pandas = pytest.importorskip('pandas')
    frame = pandas.DataFrame({'a': [1.0, 2.0, 3.0], 'b': [4, 5, 6]})
    features, labels = batches_of(estimator.inputs.pandas_input_fn(
        frame, pandas.Series([7, 8, 9]), batch_size=3, shuffle=False))[0]
    assert list(features['a']) == [1.0, 2.0, 3.0] and list(labels) == [7, 8, 9]


def test_pandas_input_fn_takes_a_data_frame_of_labels_on_the_same_index():
    pandas = pytest.importorskip('pandas')
    frame = pandas.DataFrame({'a': [1.0, 2.0, 3.0], 'b': [4, 5, 6]}, index=[10, 11, 12])
    labels = pandas.DataFrame({'a': [7, 8, 9], 'c': [0, 1, 0]}, index=[10, 11, 12])
    features, targets = batches_of(estimator.inputs.pandas_input_fn(
        frame, labels, batch_size=3, shuffle=False))[0]
    assert sorted(features) == ['a', 'b'] and list(features['a']) == [1.0, 2.0, 3.0]
    assert sorted(targets) == ['a', 'c'] and list(targets['a']) == [7, 8, 9]
    with pytest.raises(ValueError, match='Index for x and y are mismatched: x has 3 rows '
                       r'\(10, 11, 12\), y has 3 rows \(0, 1, 2\)'):
        estimator.inputs.pandas_input_fn(frame, pandas.Series([7, 8, 9]), shuffle=False)
    with pytest.raises(TypeError, match='target_column must be a string type'):
        estimator.inputs.pandas_input_fn(frame, shuffle=False, target_column=['t'])
    # a DataFrame of an array: its columns are named 0, 1 ...
    numbered = pandas.DataFrame(np.arange(6.0).reshape(3, 2))
    features, targets = batches_of(estimator.inputs.pandas_input_fn(
        numbered, pandas.Series([7, 8, 9]), batch_size=3, shuffle=False))[0]
    assert sorted(features) == [0, 1] and list(features[1]) == [1.0, 3.0, 5.0]
    assert list(targets) == [7, 8, 9]


@pytest.mark.parametrize('x, y, kwargs, error, message', [
    (np.arange(3), None, dict(), ValueError, 'shuffle must be provided'),
    (np.arange(3), None, dict(shuffle='yes'), ValueError, 'shuffle must be provided'),
    (np.arange(3), np.arange(4), dict(shuffle=False), ValueError, 'mismatched'),
    ({}, None, dict(shuffle=False), ValueError, 'x cannot be an empty dict'),
    ([1, 2], None, dict(shuffle=False), TypeError, 'x must be a dict or array; got list'),
    ({'a': np.arange(2)}, {'a': np.arange(2)}, dict(shuffle=False), ValueError, 'duplicate'),
    (np.arange(3), None, dict(shuffle=False, batch_size=0), ValueError, 'batch_size'),
    (np.arange(3), None, dict(shuffle=False, num_epochs=-1), ValueError, 'num_epochs'),
])
def test_numpy_input_fn_errors(x, y, kwargs, error, message):
    with pytest.raises(error, match=message) as raised:
        with tf.Graph().as_default():
            estimator.inputs.numpy_input_fn(x, y, **kwargs)()
    assert '\n' not in str(raised.value)


# ---------------------------------------------------------------------------- model_fn

class _MethodModel(object):
    def model_fn(self, features, labels, mode, config):
        assert isinstance(config, estimator.RunConfig)
        return constant_spec(features, labels, mode)


def constant_spec(features, labels, mode, params=None):
    """An EstimatorSpec whose loss is params['offset'] (0 without params)."""
    step = tf.train.get_global_step()
    loss = tf.reduce_mean(features) * 0 + (params or {}).get('offset', 0.0)
    with tf.control_dependencies([loss]):  # no step counted once the input has ended
        train_op = tf.assign_add(step, 1)
    return estimator.EstimatorSpec(mode, predictions=features, loss=loss, train_op=train_op)


@pytest.mark.parametrize('model_fn, params, expected_loss', [
    (lambda features, labels, mode: constant_spec(features, labels, mode), None, 0.0),
    (lambda features, labels: constant_spec(features, labels, 'train'), None, 0.0),
    (lambda features, labels, mode, params, config:
     constant_spec(features, labels, mode, params), {'offset': 2.0}, 2.0),
    (functools.partial(constant_spec, params={'offset': 3.0}), None, 3.0),
    (_MethodModel().model_fn, None, 0.0),
])
def test_model_fn_signatures(model_fn, params, expected_loss, tmp_path):
    model = estimator.Estimator(model_fn, str(tmp_path), params=params)
    model.train(estimator.inputs.numpy_input_fn(np.ones(4, np.float32), np.zeros(4),
                                                batch_size=2, shuffle=False))
    assert model.get_variable_value('global_step') == 2
    results = model.evaluate(estimator.inputs.numpy_input_fn(
        np.ones(2, np.float32), np.zeros(2), shuffle=False))
    assert results['loss'] == expected_loss


def test_params_reach_the_model_fn_as_a_copy(tmp_path):
    seen = []

    def model_fn(features, labels, mode, params):
        seen.append(params)
        params['changed'] = True
        return constant_spec(features, labels, mode)

    params = {'hidden': [3]}
    model = estimator.Estimator(model_fn, str(tmp_path), params=params)
    model.train(estimator.inputs.numpy_input_fn(np.ones(2, np.float32), np.zeros(2),
                                                shuffle=False))
    assert seen == [{'hidden': [3], 'changed': True}]
    assert model.params == params == {'hidden': [3]}


@pytest.mark.parametrize('model_fn, params, message', [
    (lambda inputs, labels: None, None, 'must include features argument'),
    (lambda features, labels, mode: None, {'a': 1}, 'does not include params argument'),
    (lambda features, labels, extra: None, None, r"not expected args: \['extra'\]"),
    ('not callable', None, 'model_fn must be provided'),
])
def test_model_fn_argument_errors(model_fn, params, message):
    with pytest.raises(ValueError, match=message):
        estimator.Estimator(model_fn, params=params)


def test_model_fn_without_labels_refuses_labelled_input(tmp_path):
    model = estimator.Estimator(lambda features, mode: constant_spec(features, None, mode),
                                str(tmp_path))
    with pytest.raises(ValueError, match='model_fn does not take labels'):
        model.train(estimator.inputs.numpy_input_fn(np.ones(2), np.zeros(2), shuffle=False))


def test_model_fn_must_return_an_estimator_spec(tmp_path):
    model = estimator.Estimator(lambda features, labels: {'loss': 1}, str(tmp_path))
    with pytest.raises(ValueError, match='model_fn should return an EstimatorSpec.'):
        model.train(estimator.inputs.numpy_input_fn(np.ones(2), np.zeros(2), shuffle=False))


# ---------------------------------------------------------------------------- EstimatorSpec

def test_estimator_spec_validation():
    train, evaluate, predict = (estimator.ModeKeys.TRAIN, estimator.ModeKeys.EVAL,
                                estimator.ModeKeys.PREDICT)
    assert (train, evaluate, predict) == ('train', 'eval', 'infer')
    with tf.Graph().as_default():
        loss = tf.constant(1.0)
        train_op = tf.no_op()
        cases = [
            (dict(mode=train, loss=loss), ValueError, 'Missing train_op.'),
            (dict(mode=train, train_op=train_op), ValueError, 'Missing loss.'),
            (dict(mode=evaluate), ValueError, 'Missing loss.'),
            (dict(mode=predict), ValueError, 'Missing predictions.'),
            (dict(mode=evaluate, loss=tf.ones([2])), ValueError, 'Loss must be scalar'),
            (dict(mode=evaluate, loss=1.0), TypeError, 'loss must be Tensor'),
            (dict(mode=predict, predictions={'p': 1}), TypeError, r'predictions\[p\] must be'),
            (dict(mode=evaluate, loss=loss, eval_metric_ops={'m': loss}), TypeError,
             r'\(metric_value, update_op\) tuples'),
            (dict(mode=train, loss=loss, train_op=train_op, training_hooks=[1]), TypeError,
             'All hooks must be SessionRunHook instances'),
            (dict(mode=train, loss=loss, train_op=train_op, scaffold='s'), TypeError,
             'scaffold must be tf.train.Scaffold'),
            (dict(mode=predict, predictions=loss, export_outputs=estimator.export.PredictOutput(
                {'p': loss})), TypeError, '`export_outputs` must be dict'),
            (dict(mode=predict, predictions=loss, export_outputs={'p': loss}), TypeError,
             'Values in `export_outputs` must be ExportOutput objects'),
            (dict(mode=predict, predictions=loss, export_outputs={
                'a': estimator.export.RegressionOutput(tf.ones([1])),
                'b': estimator.export.RegressionOutput(tf.ones([1]))}), ValueError,
             'none of them are specified as the default'),
        ]
        for kwargs, error, message in cases:
            with pytest.raises(error, match=message) as raised:
                estimator.EstimatorSpec(**kwargs)
            assert '\n' not in str(raised.value)
        spec = estimator.EstimatorSpec(train, loss=tf.ones([1]), train_op=train_op)
        assert spec.loss.shape == () and spec.predictions == {} and spec.training_hooks == []
        assert isinstance(spec.scaffold, tf.train.Scaffold)
        # _replace checks again, and keeps the mode.
        with pytest.raises(ValueError, match='Loss must be scalar'):
            spec._replace(loss=tf.ones([2]))
        with pytest.raises(ValueError, match='mode of EstimatorSpec cannot be changed'):
            spec._replace(mode=evaluate)
        # A prediction spec gets its default signature (a single head's is also it).
        single = estimator.EstimatorSpec(predict, predictions={'p': loss}, export_outputs={
            'head': estimator.export.RegressionOutput(tf.ones([1]))})
        assert single.export_outputs['serving_default'] is single.export_outputs['head']
        default = estimator.EstimatorSpec(predict, predictions={'p': loss})
        assert list(default.export_outputs['serving_default'].outputs) == ['p']
    with tf.Graph().as_default():
        with pytest.raises(ValueError, match='must be from the default graph'):
            estimator.EstimatorSpec(evaluate, loss=loss)


# ---------------------------------------------------------------------------- RunConfig

def test_run_config_and_model_dir(tmp_path, tf_log):
    config = estimator.RunConfig()
    assert (config.save_checkpoints_secs, config.save_checkpoints_steps) == (600, None)
    assert (config.keep_checkpoint_max, config.log_step_count_steps,
            config.save_summary_steps) == (5, 100, 100)
    stepped = config.replace(save_checkpoints_steps=50)
    assert (stepped.save_checkpoints_secs, stepped.save_checkpoints_steps) == (None, 50)
    with pytest.raises(ValueError, match='cannot be both set'):
        estimator.RunConfig(save_checkpoints_steps=1, save_checkpoints_secs=1)
    with pytest.raises(ValueError, match='train_distribute'):
        estimator.RunConfig(train_distribute=object())
    # TF 1.x's checks of each value, in the constructor and in replace.
    for bad, message in ((dict(model_dir=''), 'model_dir should be non-empty'),
                         (dict(save_summary_steps=-1), 'save_summary_steps should be >= 0'),
                         (dict(session_config={}), 'session_config must be instance of '
                                                   'ConfigProto'),
                         (dict(keep_checkpoint_every_n_hours=0), 'should be > 0, got 0'),
                         (dict(tf_random_seed=1.0), 'tf_random_seed must be integer'),
                         (dict(device_fn=lambda x, y: 0), 'exactly one argument "op"'),
                         (dict(save_summary_steps='100'), "should be >= 0, got '100'")):
        for make in (estimator.RunConfig, config.replace):
            with pytest.raises(ValueError, match=message):
                make(**bad)
    assert estimator.RunConfig(device_fn=lambda op, **options: '/cpu:0',
                               tf_random_seed=np.int64(3))
    # One replica (MirroredStrategy() on a CPU, TF 1.x's distribution guide): as without it.
    with tf.Graph().as_default():
        strategy = tf.distribute.MirroredStrategy()
        one_replica = estimator.RunConfig(train_distribute=strategy, eval_distribute=strategy)
        assert one_replica.replace(keep_checkpoint_max=2).train_distribute is strategy

    from_config = estimator.Estimator(constant_spec,
                                      config=estimator.RunConfig(model_dir=str(tmp_path)))
    assert from_config.model_dir == str(tmp_path) == from_config.config.model_dir
    with pytest.raises(ValueError, match='are set both in constructor and `RunConfig`'):
        estimator.Estimator(constant_spec, 'elsewhere',
                            config=estimator.RunConfig(model_dir=str(tmp_path)))
    temporary = estimator.Estimator(constant_spec)
    assert os.path.isdir(temporary.model_dir)
    assert ('Using temporary folder as model directory: %s' % temporary.model_dir) in tf_log
    os.rmdir(temporary.model_dir)
    with pytest.raises(ValueError, match='Could not find trained model in model_dir'):
        from_config.get_variable_value('global_step')


def test_subclasses_read_and_override_tf1s_private_names(tmp_path):
    """adanet 0.8's Estimator and TF 1.x-era custom Estimators read `self._model_dir` and
    `self._session_config`, and could make the global step their way."""
    class StartingAt100(estimator.Estimator):
        def _create_global_step(self, graph):
            return tf.get_variable(
                'global_step', [], tf.int64, initializer=tf.constant_initializer(100),
                trainable=False,
                collections=[tf.GraphKeys.GLOBAL_VARIABLES, tf.GraphKeys.GLOBAL_STEP])

    model = StartingAt100(softmax_model_fn, str(tmp_path), params={'learning_rate': 0.5})
    assert model._model_dir == str(tmp_path) and model._device_fn is None
    assert model._session_config.allow_soft_placement
    x, y = separable_data()
    model.train(train_input(x, y), steps=2)
    assert model.get_variable_value('global_step') == 102


def test_names_not_recreated_say_so():
    with pytest.raises(AttributeError, match=r'tf.estimator.MultiClassHead \(TF 1.x\) is not '
                                             "provided by tf1.*contrib.estimator's head"):
        estimator.MultiClassHead
    # Through the TF 1.x namespace too: its one line, not "no such name".
    from tf1.api import tensorflow
    with pytest.raises(AttributeError, match='BoostedTreesClassifier .* scikit-learn'):
        tensorflow.estimator.BoostedTreesClassifier
    with pytest.raises(AttributeError, match="has no attribute 'Nonsense'"):
        estimator.Nonsense
    assert estimator.LoggingTensorHook is tf.train.LoggingTensorHook
    assert estimator.StopAtStepHook is tf.train.StopAtStepHook


# ---------------------------------------------------------------------------- export

def test_export_saved_model_serves_the_predictions(trained, tmp_path):
    model, x, _ = trained
    image = tf.placeholder(tf.float32, [None, FEATURES], name='image')
    receiver_fn = estimator.export.build_raw_serving_input_receiver_fn({'x': image})
    export_dir = model.export_savedmodel(str(tmp_path), receiver_fn)
    assert os.path.dirname(export_dir) == str(tmp_path).encode()
    with tf.Graph().as_default(), tf.Session() as session:
        meta_graph = tf.saved_model.loader.load(session, ['serve'], export_dir)
        signature = meta_graph.signature_def['serving_default']
        assert sorted(signature.outputs) == ['classes', 'probabilities']
        classes = session.run(signature.outputs['classes'].name,
                              {signature.inputs['x'].name: x})
    np.testing.assert_array_equal(classes, numpy_logits(model, x).argmax(axis=1))


def test_export_serves_the_spec_export_outputs(trained, tmp_path):
    model, x, _ = trained

    def model_fn(features, labels, mode, params):
        """The trained model, declaring one output as the official TF 1.x MNIST did."""
        predictions = softmax_model_fn(features, labels, mode, params).predictions
        outputs = {'classify': estimator.export.PredictOutput({'digit': predictions['classes']})}
        return estimator.EstimatorSpec(mode, predictions=predictions, export_outputs=outputs)

    image = tf.placeholder(tf.float32, [None, FEATURES])
    receiver_fn = estimator.export.build_raw_serving_input_receiver_fn({'x': image})
    export_dir = estimator.Estimator(model_fn, model.model_dir, params=model.params
                                     ).export_saved_model(str(tmp_path), receiver_fn)
    with tf.Graph().as_default(), tf.Session() as session:
        signatures = tf.saved_model.loader.load(session, ['serve'], export_dir).signature_def
        assert sorted(signatures) == ['classify', 'serving_default']
        digit = signatures['serving_default'].outputs['digit'].name
        classes = session.run(digit, {signatures['classify'].inputs['x'].name: x})
    np.testing.assert_array_equal(classes, numpy_logits(model, x).argmax(axis=1))


def test_export_needs_a_checkpoint(tmp_path):
    receiver_fn = estimator.export.build_raw_serving_input_receiver_fn(
        {'x': tf.placeholder(tf.float32, [None, FEATURES])})
    with pytest.raises(ValueError, match="Couldn't find trained model at"):
        make_estimator(tmp_path / 'model').export_saved_model(str(tmp_path), receiver_fn)
    # (TRAIN and EVAL graphs export too: test_tf1_estimator_export_modes.py)


# ---------------------------------------------------------------------------- train_and_evaluate

def test_train_and_evaluate_evaluates_new_checkpoints(tmp_path, tf_log):
    x, y = separable_data()
    model = make_estimator(tmp_path, save_checkpoints_steps=5)
    metrics, exports = estimator.train_and_evaluate(
        model, estimator.TrainSpec(train_input(x, y), max_steps=12),
        estimator.EvalSpec(eval_input(x, y), steps=None, throttle_secs=0))
    assert exports == [] and metrics['global_step'] == 12
    accuracy_by_step = summary_values(model.eval_dir())['accuracy']
    assert sorted(accuracy_by_step) == [5, 10, 12]  # each new checkpoint, and the last
    assert accuracy_by_step[12] == pytest.approx(metrics['accuracy'])


@pytest.mark.parametrize('make_spec, message', [
    (lambda: estimator.TrainSpec('input'), '`input_fn` must be callable'),
    (lambda: estimator.TrainSpec(len, max_steps=0), 'Must specify max_steps > 0'),
    (lambda: estimator.EvalSpec(len, steps=0), 'Must specify steps > 0'),
    (lambda: estimator.EvalSpec(len, throttle_secs=-1), 'throttle_secs >= 0'),
    (lambda: estimator.EvalSpec(len, exporters=[object()]), '`exporters` must be an Exporter'),
    (lambda: estimator.train_and_evaluate(None, None, None), '`estimator` must have type'),
])
def test_train_and_evaluate_errors(make_spec, message):
    with pytest.raises((TypeError, ValueError), match=message):
        make_spec()


# ---------------------------------------------------------------------------- cnn_mnist.py

def cnn_model_fn(features, labels, mode):
    """TF 1.x's tutorials/layers/cnn_mnist.py model, with tf.compat.v1 ops for tf.layers
    and fewer filters and units so that it trains in seconds."""
    def dense(inputs, units, name, activation=None):
        with tf.variable_scope(name):
            kernel = tf.get_variable('kernel', [inputs.shape[1], units],
                                     initializer=tf.glorot_uniform_initializer())
            outputs = tf.matmul(inputs, kernel) + tf.get_variable(
                'bias', [units], initializer=tf.zeros_initializer())
            return activation(outputs) if activation else outputs

    def conv_pool(inputs, filters, name):
        with tf.variable_scope(name):
            kernel = tf.get_variable('kernel', [5, 5, inputs.shape[3], filters],
                                     initializer=tf.glorot_uniform_initializer())
            conv = tf.nn.relu(tf.nn.conv2d(inputs, kernel, [1, 1, 1, 1], 'SAME'))
            return tf.nn.max_pool(conv, [1, 2, 2, 1], [1, 2, 2, 1], 'VALID')

    input_layer = tf.reshape(features['x'], [-1, 28, 28, 1])
    pool2 = conv_pool(conv_pool(input_layer, 4, 'conv1'), 8, 'conv2')
    pool2_flat = tf.reshape(pool2, [-1, 7 * 7 * 8])
    dense_layer = dense(pool2_flat, 32, 'dense', tf.nn.relu)
    dropout = tf.nn.dropout(dense_layer, rate=0.4 if mode == estimator.ModeKeys.TRAIN else 0.0)
    logits = dense(dropout, 10, 'logits')
    predictions = {
        'classes': tf.argmax(input=logits, axis=1),
        'probabilities': tf.nn.softmax(logits, name='softmax_tensor'),
    }
    if mode == estimator.ModeKeys.PREDICT:
        return estimator.EstimatorSpec(mode=mode, predictions=predictions)
    loss = tf.losses.sparse_softmax_cross_entropy(labels=labels, logits=logits)
    if mode == estimator.ModeKeys.TRAIN:
        optimizer = tf.train.GradientDescentOptimizer(learning_rate=0.1)
        train_op = optimizer.minimize(loss=loss, global_step=tf.train.get_global_step())
        return estimator.EstimatorSpec(mode=mode, loss=loss, train_op=train_op)
    eval_metric_ops = {'accuracy': tf.metrics.accuracy(labels=labels,
                                                       predictions=predictions['classes'])}
    return estimator.EstimatorSpec(mode=mode, loss=loss, eval_metric_ops=eval_metric_ops)


def test_cnn_mnist_tutorial_shape(tmp_path, tf_log):
    images, labels = synthetic_digits(300)
    train_data = images[:200].reshape(-1, 784).astype(np.float32) / 255
    train_labels = labels[:200].astype(np.int32)
    eval_data = images[200:].reshape(-1, 784).astype(np.float32) / 255
    eval_labels = labels[200:].astype(np.int32)

    mnist_classifier = estimator.Estimator(model_fn=cnn_model_fn,
                                           model_dir=str(tmp_path / 'mnist_convnet_model'))
    tensors_to_log = {'probabilities': 'softmax_tensor'}
    logging_hook = tf.train.LoggingTensorHook(tensors=tensors_to_log, every_n_iter=50)
    train_input_fn = estimator.inputs.numpy_input_fn(
        x={'x': train_data}, y=train_labels, batch_size=20, num_epochs=None, shuffle=True)
    mnist_classifier.train(input_fn=train_input_fn, steps=120, hooks=[logging_hook])
    eval_input_fn = estimator.inputs.numpy_input_fn(
        x={'x': eval_data}, y=eval_labels, num_epochs=1, shuffle=False)
    eval_results = mnist_classifier.evaluate(input_fn=eval_input_fn)

    assert eval_results['global_step'] == 120
    assert eval_results['accuracy'] > 0.8  # the synthetic digits are easy to tell apart
    assert sum(line.startswith('probabilities = [[') for line in tf_log) == 3  # 1, 51, 101
    assert 'Loss for final step: ' in ' '.join(tf_log)


# ---------------------------------------------------------------------------- real MNIST

def mnist_softmax_model_fn(features, labels, mode):
    """mnist_softmax.py's model as a model_fn: 784 -> 10 softmax, gradient descent 0.5."""
    weights = tf.get_variable('weights', [784, 10], initializer=tf.zeros_initializer())
    bias = tf.get_variable('bias', [10], initializer=tf.zeros_initializer())
    logits = tf.matmul(features['x'], weights) + bias
    loss = tf.losses.sparse_softmax_cross_entropy(labels=labels, logits=logits)
    train_op = tf.train.GradientDescentOptimizer(0.5).minimize(
        loss, global_step=tf.train.get_global_step())
    accuracy = tf.metrics.accuracy(labels=labels, predictions=tf.argmax(logits, axis=1))
    return estimator.EstimatorSpec(mode, loss=loss, train_op=train_op,
                                   eval_metric_ops={'accuracy': accuracy})


@pytest.mark.slow
def test_real_mnist_softmax_estimator_reaches_the_tutorial_accuracy(real_mnist, tmp_path):
    """1,000 steps of 100 images, as mnist_softmax.py: "about 92%" on the test set."""
    from graphs import input_data
    mnist = input_data.read_data_sets(real_mnist)
    # A graph seed fixes numpy_input_fn's shuffling, so the run is repeatable.
    classifier = estimator.Estimator(mnist_softmax_model_fn, str(tmp_path),
                                     config=estimator.RunConfig(tf_random_seed=2))
    classifier.train(estimator.inputs.numpy_input_fn(
        {'x': mnist.train.images}, mnist.train.labels.astype(np.int32), batch_size=100,
        num_epochs=None, shuffle=True), steps=1000)
    results = classifier.evaluate(estimator.inputs.numpy_input_fn(
        {'x': mnist.test.images}, mnist.test.labels.astype(np.int32), shuffle=False))
    print('test accuracy %.4f' % results['accuracy'])
    assert results['accuracy'] >= 0.915


def test_keras_metric_objects_as_eval_metric_ops(tmp_path):
    """TF 1.13-1.15's EstimatorSpec took Keras metrics whose update_state a model_fn called:
    their result and update, their variables local ones."""
    from tf1.api import tensorflow as tf1_api
    keras_metrics = tf1_api.keras.metrics

    def model_fn(features, labels, mode):
        weight = tf.get_variable('w', [], initializer=tf.zeros_initializer())
        loss = tf.reduce_mean(tf.square(features['x'] - weight))
        mean, accuracy = keras_metrics.Mean(), keras_metrics.Accuracy()
        mean.update_state(features['x'])
        accuracy.update_state(labels, tf.ones_like(labels))
        train = tf.train.GradientDescentOptimizer(0.1).minimize(
            loss, tf.train.get_global_step())
        return estimator.EstimatorSpec(mode, loss=loss, train_op=train,
                                       eval_metric_ops={'mean': mean, 'accuracy': accuracy})

    x = {'x': np.arange(8, dtype=np.float32)}
    y = np.array([1, 1, 0, 1, 0, 1, 1, 1], np.float32)
    model = estimator.Estimator(model_fn, str(tmp_path))
    model.train(estimator.inputs.numpy_input_fn(x, y, batch_size=4, shuffle=False))
    results = model.evaluate(estimator.inputs.numpy_input_fn(x, y, batch_size=4,
                                                             shuffle=False))
    assert results['mean'] == pytest.approx(3.5)  # over both batches, not the last
    assert results['accuracy'] == pytest.approx(0.75)
    with tf.Graph().as_default():
        with pytest.raises(ValueError, match='Please call update_state'):
            estimator.EstimatorSpec(estimator.ModeKeys.EVAL, loss=tf.constant(1.0),
                                    eval_metric_ops={'mean': keras_metrics.Mean()})
        mean = keras_metrics.Mean()
        mean.update_state(tf.ones([3]))
        estimator.EstimatorSpec(estimator.ModeKeys.EVAL, loss=tf.constant(1.0),
                                eval_metric_ops={'mean': mean})
        # Local variables (initialised, not checkpointed), as TF 1.x made them.
        for collection in (tf.GraphKeys.LOCAL_VARIABLES, tf.GraphKeys.METRIC_VARIABLES):
            assert set(mean.variables) <= set(tf.get_collection(collection))


def test_evaluation_writes_summary_metrics_and_skips_structures(tmp_path, tf_log):
    """TF 1.x's eval summaries: a serialized Summary as a metric's value (tf.summary.image
    in eval_metric_ops) gives its values as KEY/0, KEY/1 ...; a structure of tensors is
    returned but not written; predicting from an input that never ends is warned about."""
    def model_fn(features, labels, mode):
        images = tf.zeros([2, 3, 3, 1])
        loss = tf.reduce_mean(features)
        step = tf.assign_add(tf.train.get_global_step(), 1)
        metrics = {'pictures': (tf.summary.image('picture', images), tf.no_op()),
                   'nested': (((tf.constant(2.0), tf.constant(1)), tf.constant(3.0)),
                              tf.no_op())}
        return estimator.EstimatorSpec(mode, predictions=features, loss=loss, train_op=step,
                                       eval_metric_ops=metrics)

    def constant_input():
        return tf.ones([2, 1]), tf.ones([2, 1])

    model = estimator.Estimator(model_fn, str(tmp_path))
    model.train(constant_input, steps=1)
    results = model.evaluate(constant_input, steps=1)
    ((two, one), three) = results['nested']
    assert (two, one, three) == (2.0, 1, 3.0)
    tags = set()
    for event_file in glob.glob(os.path.join(model.eval_dir(), 'events.*')):
        for event in tf.train.summary_iterator(event_file):
            tags.update(value.tag for value in event.summary.value)
    assert {'pictures/0', 'pictures/1', 'loss'} <= tags and 'nested' not in tags
    assert any(line.startswith('Skipping summary for nested') for line in tf_log)
    next(model.predict(lambda: tf.ones([2, 1])))
    assert any(line.startswith('Input graph does not use tf.data.Dataset or contain a '
                               'QueueRunner') for line in tf_log)
    with pytest.raises(TypeError, match='Hooks must be a SessionRunHook, given: 3'):
        model.evaluate(constant_input, steps=1, hooks=[3])
