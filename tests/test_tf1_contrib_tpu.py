"""tf1's tf.contrib.tpu as TF 1.x ran it without a TPU (TPUEstimator(use_tpu=False), BERT's
way on a CPU): each mode's batch size in params, TPUEstimatorSpec's eval_metrics (list or
dict of tensors), scaffold_fn and host_call, RunConfig/TPUConfig, and the errors."""
import threading

import numpy as np
import pytest
import tensorflow.compat.v1 as tf

from tf1 import unsupported
from tf1.api import tensorflow as tf1_api
from tf1.namespace import MOVED_MODULES

tf.disable_v2_behavior()

tpu = tf1_api.contrib.tpu
seen = {}


def input_fn(params, repeat=True):
    seen.setdefault('input', []).append(params['batch_size'])
    x = np.linspace(-1, 1, 64, dtype=np.float32)[:, None]
    dataset = tf.data.Dataset.from_tensor_slices(({'x': x}, 3 * x))
    return (dataset.repeat() if repeat else dataset).batch(params['batch_size'],
                                                           drop_remainder=True)


def model_fn(features, labels, mode, params):
    seen.setdefault('model', []).append((mode, params['batch_size']))
    w = tf.get_variable('w', [1, 1], initializer=tf.zeros_initializer())
    predictions = tf.matmul(features['x'], w)
    if mode == tf1_api.estimator.ModeKeys.PREDICT:
        return tpu.TPUEstimatorSpec(mode, predictions={'y': predictions})
    loss = tf.losses.mean_squared_error(labels, predictions)
    steps = tf.get_variable('host_steps', [], tf.int64, tf.zeros_initializer(),
                            trainable=False)

    def host_call(global_step):
        # minigo's: scalars through a tf.contrib.summary writer, which the hook starts.
        summary = tf1_api.contrib.summary
        with summary.create_file_writer(seen['host_logs']).as_default(), \
                summary.always_record_summaries():
            summary.scalar('host_step', global_step[0], step=global_step[0])
        return [tf.assign_add(steps, tf.reduce_sum(tf.ones_like(global_step)))] + (
            summary.all_summary_ops())

    def metric_fn(labels, predictions):
        return {'mse': tf.metrics.mean_squared_error(labels, predictions)}
    train_op = tf.train.GradientDescentOptimizer(0.5).minimize(
        loss, tf.train.get_global_step())
    return tpu.TPUEstimatorSpec(
        mode, loss=loss, train_op=train_op,
        eval_metrics=(metric_fn, {'labels': labels, 'predictions': predictions}),
        host_call=(host_call, [tf.reshape(tf.train.get_global_step(), [1])]),
        scaffold_fn=scaffold_fn)


def scaffold_fn():
    seen['scaffolds'] = seen.get('scaffolds', 0) + 1  # BERT restores its checkpoint here
    return tf.train.Scaffold()


def test_tpu_estimator_on_a_cpu(tmp_path):
    config = tpu.RunConfig(model_dir=str(tmp_path), save_checkpoints_steps=50,
                           tpu_config=tpu.TPUConfig(iterations_per_loop=10, num_shards=8))
    assert config.replace(keep_checkpoint_max=2).tpu_config.num_shards == 8
    estimator = tpu.TPUEstimator(model_fn=model_fn, config=config, use_tpu=False,
                                 train_batch_size=16, eval_batch_size=8, predict_batch_size=4)
    seen['host_logs'] = str(tmp_path / 'host')
    estimator.train(input_fn, max_steps=40)
    assert tf.train.load_variable(str(tmp_path), 'host_steps') == 40  # a host call per step
    events = tf.gfile.Glob(str(tmp_path / 'host' / 'events.*'))
    assert len(events) == 1 and sum(value.tag == 'host_step' for event in
                                    tf.train.summary_iterator(events[0])
                                    for value in event.summary.value) == 40
    assert abs(tf.train.load_variable(str(tmp_path), 'w')[0, 0] - 3) < 1e-2
    metrics = estimator.evaluate(input_fn, steps=2)
    assert metrics['mse'] < 1e-4 and metrics['global_step'] == 40
    predictions = list(estimator.predict(lambda params: input_fn(params, repeat=False),
                                         yield_single_examples=False))
    assert len(predictions) == 16
    assert predictions[0]['y'].shape == (4, 1)  # the predict batch size
    assert seen['input'][:3] == [16, 8, 4]
    assert [size for _, size in seen['model'][:3]] == [16, 8, 4]
    assert seen['scaffolds'] == 2  # training and evaluation


def test_what_a_cpu_cannot_do_is_one_clear_error():
    with pytest.raises(unsupported.UnsupportedUseError, match='use_tpu=False'):
        tpu.TPUEstimator(model_fn=model_fn, train_batch_size=8)
    with pytest.raises(ValueError, match=r"\['batch_size', 'context'\] are reserved keys"):
        tpu.TPUEstimator(model_fn=model_fn, use_tpu=False, params={'batch_size': 3})
    with pytest.raises(ValueError, match='eval_metrics should have two elements'):
        tpu.TPUEstimatorSpec('eval', loss=tf.constant(1.0), eval_metrics=(lambda: {},))


def test_tf_estimator_tpu_is_the_same_module():
    """TF 1.13-1.15 also exported TPUEstimator and its kin as tf.estimator.tpu (TF-GAN's
    TPU estimator subclasses it from there)."""
    for name in ('TPUEstimator', 'TPUEstimatorSpec', 'RunConfig', 'TPUConfig',
                 'InputPipelineConfig'):
        assert getattr(tf1_api.estimator.tpu, name) is getattr(tpu, name)


def test_a_tpu_cluster_resolver_for_no_cloud_tpu_trains_on_the_cpu(tmp_path):
    # tensorflow/tpu's mnist_tpu.py with --tpu='' --use_tpu=False: TF 1.x resolved nothing
    # for '' and the session master stayed local.
    resolver_class = tf1_api.contrib.cluster_resolver.TPUClusterResolver
    assert tf1_api.distribute.cluster_resolver.TPUClusterResolver is resolver_class
    local = resolver_class(tpu='')
    assert (local.master(), local.get_master(), local.cluster_spec(), local.get_job_name(),
            local.environment) == ('', '', None, None, 'google')
    assert local.num_accelerators() == {'TPU': 0}
    config = tpu.RunConfig(cluster=local, model_dir=str(tmp_path))
    assert config.master == '' and config.cluster is local
    estimator = tpu.TPUEstimator(model_fn=model_fn, config=config, use_tpu=False,
                                 train_batch_size=16)
    seen['host_logs'] = str(tmp_path / 'host')
    estimator.train(input_fn, max_steps=3)
    assert tf.train.load_variable(str(tmp_path), 'global_step') == 3
    with pytest.raises(ValueError, match='Both master and cluster are set'):
        tpu.RunConfig(cluster=local, master='')


def test_a_tpu_cluster_resolver_given_an_address_passes_it_on():
    remote = tf1_api.contrib.cluster_resolver.TPUClusterResolver(
        ['grpc://10.1.2.3:8470'], coordinator_name='coordinator',
        coordinator_address='10.1.2.4:8470')
    assert remote.master() == 'grpc://10.1.2.3:8470' and remote.environment == ''
    assert remote.cluster_spec().as_dict() == {'worker': ['10.1.2.3:8470'],
                                               'coordinator': ['10.1.2.4:8470']}
    assert tpu.RunConfig(cluster=remote).master == 'grpc://10.1.2.3:8470'
    borg = tf1_api.contrib.cluster_resolver.TPUClusterResolver('/bns/cell/tpu,/bns/cell/two')
    assert borg.master() == '/bns/cell/tpu' and borg.cluster_spec() is None
    with pytest.raises(ValueError, match='At least one TPU must be specified'):
        tf1_api.contrib.cluster_resolver.TPUClusterResolver([])
    with pytest.raises(NotImplementedError, match='multiple TPUs'):
        tf1_api.contrib.cluster_resolver.TPUClusterResolver(['', 'local'])


def test_a_tpu_cluster_resolver_reads_tpu_name_and_bytes_as_tf1_did(monkeypatch):
    resolver_class = tf1_api.contrib.cluster_resolver.TPUClusterResolver
    monkeypatch.setenv('TPU_NAME', 'grpc://10.1.2.3:8470')
    assert resolver_class().master() == 'grpc://10.1.2.3:8470'
    assert resolver_class(b'').master() == ''
    local = resolver_class('')
    with local:  # TensorFlow 2.21's own members work on it too
        assert local.tpu_hardware_feature is None


def test_a_tpu_estimator_says_it_runs_here_not_on_a_remote_master(tmp_path, monkeypatch):
    warned = []
    monkeypatch.setattr(tf.logging, 'warning', lambda message, *args: warned.append(
        message % args))
    remote = tf1_api.contrib.cluster_resolver.TPUClusterResolver('grpc://10.1.2.3:8470')
    tpu.TPUEstimator(model_fn=model_fn, use_tpu=False, train_batch_size=8,
                     config=tpu.RunConfig(cluster=remote, model_dir=str(tmp_path)))
    assert warned == ['TPUEstimator: tf1 runs the sessions in this process, not on the '
                      'master grpc://10.1.2.3:8470 that the RunConfig names']


def test_async_checkpoint_saver_hook_saves_on_a_thread_and_at_the_end(tmp_path):
    # tensorflow/tpu's resnet_main.py imports it at its top (--use_async_checkpointing).
    hook_class = tf1_api.contrib.tpu.AsyncCheckpointSaverHook
    assert tf1_api.contrib.tpu.python.tpu.async_checkpoint.AsyncCheckpointSaverHook is (
        hook_class)
    assert MOVED_MODULES['tensorflow.python.tpu.async_checkpoint'].AsyncCheckpointSaverHook is (
        hook_class)  # TF 1.15's own path
    saved = []  # (step, the thread that saved it)
    first_save_may_finish = threading.Event()

    class Listener(tf.train.CheckpointSaverListener):
        def after_save(self, session, global_step_value):
            saved.append((global_step_value, threading.current_thread()))

    class HeldSaver(tf.train.Saver):
        """Its first save waits until the test lets it finish: the saves due meanwhile
        (steps 2 and 4) find it still writing and are skipped, as TF 1.x's hook did."""
        def save(self, *args, **kwargs):
            if not saved:
                assert first_save_may_finish.wait(30)
            return super(HeldSaver, self).save(*args, **kwargs)

    with tf.Graph().as_default():
        step = tf.train.get_or_create_global_step()
        increment = tf.assign_add(step, 1)
        hook = hook_class(str(tmp_path), save_steps=2, saver=HeldSaver(),
                          listeners=[Listener()])
        with tf.train.MonitoredSession(hooks=[hook]) as session:
            for _ in range(5):
                session.run(increment)  # training goes on while step 0 is being saved
            assert saved == []
            first_save_may_finish.set()
    assert [value for value, _ in saved] == [0, 5]  # 2 and 4 skipped; the last one, always
    assert saved[0][1] is not threading.main_thread()  # written on a thread of its own
    assert saved[1][1] is threading.main_thread()  # the last one before the session ends
    assert tf.train.latest_checkpoint(str(tmp_path)).endswith('model.ckpt-5')
    assert (tmp_path / 'graph.pbtxt').exists()
    tf.summary.FileWriterCache.get(str(tmp_path)).flush()
    events = tf.gfile.Glob(str(tmp_path / 'events.*'))
    assert any(event.HasField('meta_graph_def') for event in
               tf.train.summary_iterator(events[0]))
    with pytest.raises(ValueError, match='both saver and scaffold'):
        hook_class(str(tmp_path), save_steps=1, saver=object(), scaffold=object())


def test_tpu_function_and_tpu_ops_import_without_a_tpu():
    # tensorflow/tpu's efficientnet utils import both at the top, and sum across replicas
    # only when the TPU context has more than 8 shards.
    tpu_ops = tf1_api.contrib.tpu.python.ops.tpu_ops
    tpu_function = tf1_api.contrib.tpu.python.tpu.tpu_function
    assert tpu_function.get_tpu_context().number_of_shards is None
    assert callable(tpu_ops.cross_replica_sum)


def test_tensorflow_s_own_tpu_modules_by_contrib_s_paths():
    """A vendored TF 1.12-1.13 TPUEstimator (transformer-xl's, XLNet's) imports these at its
    top: TF 1.15's contrib modules were TensorFlow's own, as the 1.12-1.13 protos are now.
    The estimator's own (error_handling, tpu_context) stay one-line errors."""
    tpu = tf1_api.contrib.tpu.python.tpu
    assert tpu.tpu_feed.InfeedQueue.__module__ == 'tensorflow.python.tpu.tpu_feed'
    assert callable(tpu.training_loop.repeat) and tpu.topology.Topology
    assert tf1_api.contrib.tpu.proto.compilation_result_pb2.CompilationResultProto
    with pytest.raises(unsupported.UnsupportedApiError, match="error_handling"):
        tpu.error_handling

