"""TF 1.13-1.15's tf.estimator.experimental logit_fns and make_stop_at_checkpoint_step_hook:
the DNN logit_fn reads DNNClassifier's checkpoint by its variable names and answers the
same logits; the linear one computes x.w + b with TF 1.x's two summaries; call_logit_fn
passes only what the logit_fn takes; the checkpoint-step hook stops a worker only once
the checkpoint has the step."""
import numpy as np
import pytest
import tensorflow.compat.v1 as tf

from tf1.api import tensorflow as tf1

tf.disable_v2_behavior()
experimental = tf1.estimator.experimental
TRAIN, PREDICT = tf1.estimator.ModeKeys.TRAIN, tf1.estimator.ModeKeys.PREDICT
X = np.array([[1.0, -2.0], [-0.5, 3.0], [2.0, 0.5]], np.float32)


def dnn_logit_fn(activation_fn=tf.nn.relu):
    return experimental.dnn_logit_fn_builder(
        units=3, hidden_units=[4], feature_columns=[tf.feature_column.numeric_column('x', [2])],
        activation_fn=activation_fn, dropout=None, input_layer_partitioner=None,
        batch_norm=False)


def test_dnn_logit_fn_reads_dnn_classifiers_checkpoint(tmp_path):
    column = tf.feature_column.numeric_column('x', [2])
    classifier = tf1.estimator.DNNClassifier([4], [column], model_dir=str(tmp_path),
                                             n_classes=3)
    input_fn = tf1.estimator.inputs.numpy_input_fn({'x': X}, np.array([0, 1, 2]),
                                                   batch_size=3, shuffle=False)
    classifier.train(input_fn, steps=2)
    expected = [p['logits'] for p in classifier.predict(
        tf1.estimator.inputs.numpy_input_fn({'x': X}, shuffle=False))]
    with tf.Graph().as_default():
        with tf.variable_scope('dnn'):
            logits = experimental.call_logit_fn(dnn_logit_fn(), {'x': tf.constant(X)},
                                                PREDICT, None, None)
        names = sorted(v.op.name for v in tf.global_variables())
        assert names == ['dnn/hiddenlayer_0/bias', 'dnn/hiddenlayer_0/kernel',
                         'dnn/logits/bias', 'dnn/logits/kernel']
        with tf.Session() as session:
            tf.train.Saver().restore(session, tf.train.latest_checkpoint(str(tmp_path)))
            np.testing.assert_allclose(session.run(logits), expected, rtol=1e-5)


def test_dnn_logit_fn_without_activation_is_linear_as_tf1s_dense():
    with tf.Graph().as_default():
        logits = dnn_logit_fn(activation_fn=None)({'x': tf.constant(X)}, TRAIN)
        with tf.Session() as session:
            session.run(tf.global_variables_initializer())
            values = session.run({v.op.name: v for v in tf.global_variables()})
            got = session.run(logits)
    w0, b0 = values['hiddenlayer_0/kernel'], values['hiddenlayer_0/bias']
    w1, b1 = values['logits/kernel'], values['logits/bias']
    np.testing.assert_allclose(got, (X @ w0 + b0) @ w1 + b1, rtol=1e-5, atol=1e-6)


def test_dnn_logit_fn_builder_wants_an_int():
    with pytest.raises(ValueError, match='units must be an int'):
        experimental.dnn_logit_fn_builder(3.0, [4], [], tf.nn.relu, None, None, False)


@pytest.mark.parametrize('units, summary_kind', [(1, 'scalar'), (2, 'histogram')])
def test_linear_logit_fn(units, summary_kind):
    with tf.Graph().as_default():
        logit_fn = tf1.contrib.estimator.linear_logit_fn_builder(
            units, [tf.feature_column.numeric_column('x', [2])])
        logits = logit_fn({'x': tf.constant(X)})
        weights, bias = tf.global_variables()
        assert [weights.op.name, bias.op.name] == ['linear_model/x/weights',
                                                   'linear_model/bias_weights']
        summaries = {op.name: op.type for op in tf.get_default_graph().get_operations()
                     if op.type in ('ScalarSummary', 'HistogramSummary')}
        assert summaries['bias'] == {'scalar': 'ScalarSummary',
                                     'histogram': 'HistogramSummary'}[summary_kind]
        zero_fraction = tf.get_default_graph().get_tensor_by_name(
            'zero_fraction/zero_fraction_or_nan:0')
        with tf.Session() as session:
            session.run(tf.global_variables_initializer())
            assert session.run(zero_fraction) == 1.0  # a linear model starts at zero
            values = np.arange(1, 2 * units + 1, dtype=np.float32).reshape(2, units)
            values[0, 0] = 0.0  # one zero weight of 2 * units
            session.run([weights.assign(values), bias.assign(np.full(units, 0.5))])
            np.testing.assert_allclose(session.run(logits), X @ values + 0.5, rtol=1e-6)
            assert session.run(zero_fraction) == pytest.approx(1 / (2 * units))


def test_call_logit_fn_passes_what_the_logit_fn_takes():
    seen = {}

    def logit_fn(features, params):
        seen.update(params=params)
        return {'a': features * 2.0}
    with tf.Graph().as_default():
        result = experimental.call_logit_fn(logit_fn, tf.constant(1.0), TRAIN, {'p': 1}, None)
        assert seen == {'params': {'p': 1}} and set(result) == {'a'}
        with pytest.raises(ValueError, match='logit_fn should return a Tensor or a dictionary'):
            experimental.call_logit_fn(lambda features: [features], tf.constant(1.0), TRAIN,
                                       None, None)


class _Estimator(object):
    def __init__(self, model_dir, is_chief):
        self.model_dir = model_dir
        self.config = type('Config', (), {'is_chief': is_chief})()


def test_stop_at_checkpoint_step_hook_on_the_chief_is_stop_at_step():
    hook = experimental.make_stop_at_checkpoint_step_hook(_Estimator('unused', True), 5)
    assert isinstance(hook, tf.train.StopAtStepHook)


def test_stop_at_checkpoint_step_hook_on_a_worker_waits_for_the_checkpoint(tmp_path):
    hook = tf1.contrib.estimator.make_stop_at_checkpoint_step_hook(
        _Estimator(str(tmp_path), False), 3, wait_after_file_check_secs=0)
    with tf.Graph().as_default():
        step = tf.train.get_or_create_global_step()
        increment = tf.assign_add(step, 1)
        saver = tf.train.Saver()
        with tf.train.SingularMonitoredSession(hooks=[hook]) as session:
            for _ in range(5):  # past step 3, but no checkpoint says so: no stop
                session.run(increment)
            assert not session.should_stop()
            saver.save(session.raw_session(), str(tmp_path / 'model.ckpt'), global_step=step)
            session.run(increment)
            assert session.should_stop()
    # A checkpoint already past the step does not stop a worker before last_step.
    early = tf1.contrib.estimator.make_stop_at_checkpoint_step_hook(
        _Estimator(str(tmp_path), False), 5, wait_after_file_check_secs=0)  # ckpt: step 5
    with tf.Graph().as_default():
        increment = tf.assign_add(tf.train.get_or_create_global_step(), 1)
        with tf.train.SingularMonitoredSession(hooks=[early]) as session:
            for _ in range(3):
                session.run(increment)
            assert not session.should_stop()
    with pytest.raises(ValueError, match='last_step must be specified'):
        experimental.make_stop_at_checkpoint_step_hook(_Estimator(str(tmp_path), False), None)


def test_dnn_logit_fn_without_hidden_layers_is_the_logits_layer_alone():
    # TF 1.15's builder took hidden_units=[] (no hidden layer).
    logit_fn = experimental.dnn_logit_fn_builder(
        2, [], [tf.feature_column.numeric_column('x', [2])], tf.nn.relu, None, None, False)
    with tf.Graph().as_default():
        logit_fn({'x': tf.constant(X)}, TRAIN)
        assert sorted(v.op.name for v in tf.global_variables()) == ['logits/bias',
                                                                    'logits/kernel']
