"""tf1.estimator's RunConfig reads TF_CONFIG as TF 1.x's did (tensorflow_estimator 1.15's
run_config.py and its docstring's examples), and training refuses a cluster it cannot run
in one process, in one line."""
import json

import numpy as np
import pytest
import tensorflow.compat.v1 as tf

from tf1 import estimator

tf.disable_v2_behavior()

CLUSTER = {'chief': ['host0:2222'], 'ps': ['host1:2222', 'host2:2222'],
           'worker': ['host3:2222', 'host4:2222', 'host5:2222']}


def run_config(monkeypatch, tf_config, **kwargs):
    text = tf_config if isinstance(tf_config, str) else json.dumps(tf_config)
    monkeypatch.setenv('TF_CONFIG', text)
    return estimator.RunConfig(**kwargs)


def test_without_tf_config_one_local_chief(monkeypatch):
    monkeypatch.delenv('TF_CONFIG', raising=False)
    config = estimator.RunConfig()
    assert (config.master, config.evaluation_master, config.task_type, config.task_id) == (
        '', '', 'worker', 0)
    assert config.is_chief and config.cluster_spec.as_dict() == {}
    assert (config.num_ps_replicas, config.num_worker_replicas,
            config.global_id_in_cluster, config.service) == (0, 1, 0, None)


def test_worker_of_a_cluster(monkeypatch):
    config = run_config(monkeypatch, {'cluster': CLUSTER, 'task': {'type': 'worker',
                                                                   'index': 1}})
    # TF 1.15's docstring example (its `master` with the grpc:// scheme, as the code made it).
    assert config.master == 'grpc://host4:2222'
    assert (config.task_type, config.task_id) == ('worker', 1)
    assert (config.num_ps_replicas, config.num_worker_replicas) == (2, 4)
    assert config.cluster_spec.as_dict() == CLUSTER and not config.is_chief
    # chief 0, workers 1-3, ps last: 4, 5
    assert config.global_id_in_cluster == 2


def test_chief_ps_and_evaluator(monkeypatch):
    chief = run_config(monkeypatch, {'cluster': CLUSTER, 'task': {'type': 'chief',
                                                                  'index': 0}})
    assert chief.is_chief and chief.master == 'grpc://host0:2222'
    assert chief.global_id_in_cluster == 0
    ps = run_config(monkeypatch, {'cluster': CLUSTER, 'task': {'type': 'ps', 'index': 1}})
    assert ps.global_id_in_cluster == 5 and not ps.is_chief
    evaluator = run_config(monkeypatch, {'cluster': CLUSTER, 'task': {'type': 'evaluator',
                                                                      'index': 0}})
    assert (evaluator.master, evaluator.evaluation_master) == ('', '')
    assert (evaluator.num_ps_replicas, evaluator.num_worker_replicas) == (0, 0)
    assert evaluator.cluster_spec.as_dict() == {} and not evaluator.is_chief
    assert evaluator.global_id_in_cluster is None


def test_legacy_master_cluster_and_one_task(monkeypatch):
    legacy = {'master': ['host0:2222'], 'ps': ['host1:2222'], 'worker': ['host2:2222']}
    master = run_config(monkeypatch, {'cluster': legacy, 'task': {'type': 'master',
                                                                  'index': 0},
                                      'environment': 'cloud'})
    assert master.is_chief and master.num_worker_replicas == 2
    assert master.master == 'grpc://host0:2222'
    # A cloud trainer's one-machine TF_CONFIG: a local session, and training runs.
    alone = run_config(monkeypatch, {'cluster': {'master': ['localhost:2222']},
                                     'task': {'type': 'master', 'index': 0}})
    assert alone.master == '' and alone.is_chief and alone.num_worker_replicas == 1
    session_master = run_config(monkeypatch, {'session_master': 'grpc://elsewhere:1',
                                              'eval_session_master': 'grpc://else:2'})
    assert session_master.master == 'grpc://elsewhere:1'
    assert session_master.evaluation_master == 'grpc://else:2'


def test_model_dir_and_service(monkeypatch, tmp_path):
    config = run_config(monkeypatch, {'model_dir': str(tmp_path), 'service': {'a': 1}})
    assert config.model_dir == str(tmp_path) and config.service == {'a': 1}
    assert run_config(monkeypatch, {'model_dir': str(tmp_path)},
                      model_dir=str(tmp_path)).model_dir == str(tmp_path)
    with pytest.raises(ValueError, match='must have the same value as the model_dir in '
                                         'TF_CONFIG'):
        run_config(monkeypatch, {'model_dir': str(tmp_path)}, model_dir='elsewhere')
    with pytest.raises(ValueError, match='model_dir in TF_CONFIG should be non-empty'):
        run_config(monkeypatch, {'model_dir': ''})


@pytest.mark.parametrize('tf_config, error, message', [
    ('{not json', ValueError, 'TF_CONFIG is not JSON'),
    ('[1, 2]', ValueError, 'must be a JSON object'),
    ({'service': 'x'}, TypeError, 'it must be a dict'),
    ({'task': {'type': 'ps'}}, ValueError, 'task type must be WORKER'),
    ({'task': {'index': 1}}, ValueError, 'task index must be 0'),
    ({'task': {'index': 'one'}}, ValueError, 'must be an integer'),
    ({'cluster': {'worker': ['h:1']}, 'task': {'type': 'worker', 'index': 0}}, ValueError,
     'must have one "chief" node'),
    ({'cluster': {'chief': ['h:1', 'h:2']}, 'task': {'type': 'chief', 'index': 0}},
     ValueError, 'must have only one "chief" node'),
    ({'cluster': CLUSTER, 'task': {'index': 0}}, ValueError, 'task type must be set'),
    ({'cluster': CLUSTER, 'task': {'type': 'worker'}}, ValueError, 'task index must be set'),
    ({'cluster': CLUSTER, 'task': {'type': 'worker', 'index': -1}}, ValueError,
     'must be non-negative'),
    ({'cluster': CLUSTER, 'task': {'type': 'trainer', 'index': 0}}, ValueError,
     'trainer is not a valid task_type'),
    ({'cluster': CLUSTER, 'task': {'type': 'worker', 'index': 3}}, ValueError,
     '3 is not a valid task_id for task_type worker'),
    ({'cluster': {'master': ['h:1'], 'chief': ['h:2']}, 'task': {'type': 'master',
                                                                 'index': 0}},
     ValueError, 'job `chief` is not supported'),
    ({'cluster': {'master': ['h:1']}, 'task': {'type': 'evaluator', 'index': 0}}, ValueError,
     '`evaluator` is not supported'),
    ({'cluster': {'chief': 'h:1'}, 'task': {'type': 'chief', 'index': 0}}, ValueError,
     'is not a cluster'),
])
def test_tf1_checks_in_one_line(monkeypatch, tf_config, error, message):
    with pytest.raises(error, match=message) as raised:
        run_config(monkeypatch, tf_config)
    assert '\n' not in str(raised.value)


def linear_model_fn(features, labels, mode):
    weights = tf.get_variable('w', [2, 1], initializer=tf.zeros_initializer())
    prediction = tf.matmul(features['x'], weights)
    if mode == estimator.ModeKeys.PREDICT:
        return estimator.EstimatorSpec(mode, predictions={'y': prediction})
    loss = tf.losses.mean_squared_error(labels, prediction)
    train_op = tf.train.GradientDescentOptimizer(0.1).minimize(
        loss, global_step=tf.train.get_global_step())
    return estimator.EstimatorSpec(mode, loss=loss, train_op=train_op)


def input_fn():
    x = np.ones((4, 2), np.float32)
    return estimator.inputs.numpy_input_fn({'x': x}, np.ones((4, 1), np.float32),
                                           batch_size=4, num_epochs=1, shuffle=False)()


@pytest.mark.parametrize('task, refused', [
    ({'type': 'worker', 'index': 0}, "cannot train on TensorFlow master 'grpc://host3:2222'"),
    ({'type': 'evaluator', 'index': 0}, "cannot train as TF_CONFIG's evaluator:0 task"),
])
def test_training_in_a_cluster_is_refused(monkeypatch, tmp_path, task, refused):
    config = run_config(monkeypatch, {'cluster': CLUSTER, 'task': task},
                        model_dir=str(tmp_path))
    model = estimator.Estimator(linear_model_fn, config=config)
    with pytest.raises(ValueError, match=refused) as raised:
        model.train(input_fn)
    assert '\n' not in str(raised.value)
    assert not tf.train.latest_checkpoint(str(tmp_path))  # nothing trained alone


def test_one_task_cluster_trains_and_evaluates(monkeypatch, tmp_path):
    config = run_config(monkeypatch, {'cluster': {'chief': ['localhost:2222']},
                                      'task': {'type': 'chief', 'index': 0}},
                        model_dir=str(tmp_path))
    model = estimator.Estimator(linear_model_fn, config=config)
    model.train(input_fn)
    assert model.evaluate(input_fn)['global_step'] == 1
    remote_eval = run_config(monkeypatch, {'eval_session_master': 'grpc://else:2'},
                             model_dir=str(tmp_path))
    with pytest.raises(ValueError, match="cannot evaluate on TensorFlow master"):
        estimator.Estimator(linear_model_fn, config=remote_eval).evaluate(input_fn)


@pytest.mark.parametrize('task, filters', [
    ({'type': 'chief', 'index': 0}, ['/job:ps', '/job:chief']),
    ({'type': 'worker', 'index': 2}, ['/job:ps', '/job:worker/task:2']),
    ({'type': 'ps', 'index': 0}, ['/job:ps', '/job:worker', '/job:chief', '/job:master']),
    ({'type': 'evaluator', 'index': 0}, None),
])
def test_a_cluster_tasks_default_session_config(monkeypatch, task, filters):
    config = run_config(monkeypatch, {'cluster': CLUSTER, 'task': task})
    if filters is None:
        assert config.session_config is None
    else:
        assert list(config.session_config.device_filters) == filters
        assert config.session_config.allow_soft_placement
    given = tf.ConfigProto(log_device_placement=True)
    assert run_config(monkeypatch, {'cluster': CLUSTER, 'task': task},
                      session_config=given).session_config is given


def test_distributed_arguments_kept_and_checked(monkeypatch):
    monkeypatch.delenv('TF_CONFIG', raising=False)
    config = estimator.RunConfig(protocol='grpc', experimental_max_worker_delay_secs=30)
    assert (config.protocol, config.experimental_max_worker_delay_secs) == ('grpc', 30)
    assert config.replace(protocol='grpc+verbs').protocol == 'grpc+verbs'
    with pytest.raises(ValueError, match='protocol should be grpc or grpc\\+verbs'):
        estimator.RunConfig(protocol='http')
    with pytest.raises(ValueError, match='must be an integer if set'):
        estimator.RunConfig(experimental_max_worker_delay_secs=1.5)
    with pytest.raises(ValueError, match='Replacing master is not supported. Allowed '
                                         'properties are'):
        config.replace(master='grpc://x:1')


def test_replace_keeps_the_cluster_read_at_construction(monkeypatch, tmp_path):
    config = run_config(monkeypatch, {'cluster': CLUSTER, 'task': {'type': 'worker',
                                                                   'index': 1},
                                      'model_dir': str(tmp_path)})
    monkeypatch.setenv('TF_CONFIG', '{}')  # changed later: the copy keeps what was read
    replaced = config.replace(model_dir=str(tmp_path / 'other'), session_config=None)
    assert replaced.model_dir == str(tmp_path / 'other')  # TF 1.x's replace allowed it
    assert (replaced.master, replaced.task_id, replaced.num_ps_replicas) == (
        'grpc://host4:2222', 1, 2)
    assert replaced.session_config is None  # not the cluster default again


def test_legacy_master_cluster_ids_and_a_malformed_task(monkeypatch):
    legacy = {'master': ['h0:1'], 'ps': ['h1:1'], 'worker': ['h2:1', 'h3:1']}
    worker = run_config(monkeypatch, {'cluster': legacy, 'task': {'type': 'worker',
                                                                  'index': 1}})
    assert worker.global_id_in_cluster == 2 and not worker.is_chief  # master 0, workers 1-2
    with pytest.raises(ValueError, match='"task" in TF_CONFIG must be an object'):
        run_config(monkeypatch, {'task': 'worker'})


def test_ps_and_remote_prediction_are_refused(monkeypatch, tmp_path):
    ps = run_config(monkeypatch, {'cluster': CLUSTER, 'task': {'type': 'ps', 'index': 0}},
                    model_dir=str(tmp_path))
    with pytest.raises(ValueError, match="cannot train as TF_CONFIG's ps:0 task"):
        estimator.Estimator(linear_model_fn, config=ps).train(input_fn)
    alone = run_config(monkeypatch, {}, model_dir=str(tmp_path))
    estimator.Estimator(linear_model_fn, config=alone).train(input_fn)
    remote = run_config(monkeypatch, {'session_master': 'grpc://elsewhere:1'},
                        model_dir=str(tmp_path))
    with pytest.raises(ValueError, match="cannot predict on TensorFlow master "
                                         "'grpc://elsewhere:1'"):
        next(estimator.Estimator(linear_model_fn, config=remote).predict(input_fn))


def test_tpu_run_config_masters(monkeypatch, tmp_path):
    from tf1 import contrib_tpu
    monkeypatch.setenv('TF_CONFIG', json.dumps({'session_master': 'grpc://from-config:1'}))
    assert contrib_tpu.RunConfig().master == 'grpc://from-config:1'  # TF_CONFIG's, as TF 1.x
    monkeypatch.delenv('TF_CONFIG')
    config = contrib_tpu.RunConfig(master='grpc://tpu:8470', model_dir=str(tmp_path))
    assert (config.master, config.evaluation_master) == ('grpc://tpu:8470', 'grpc://tpu:8470')
    # Kept through the Estimator's replace, and unused without a TPU: training runs here.
    model = estimator.Estimator(linear_model_fn, config=config)
    assert model.config.master == 'grpc://tpu:8470'
    model.train(input_fn)
    assert model.config.replace(evaluation_master='grpc://e:1').master == 'grpc://tpu:8470'
