"""tf.contrib's namespaces that TensorFlow moved into its core, reached under their TF 1.x
names: contrib.autograph (tf.autograph since TF 1.13) converting Python control flow into
a TF 1.x graph, and contrib.cluster_resolver (tf.distribute.cluster_resolver)."""
import json

import numpy as np
import pytest
import tensorflow.compat.v1 as tf

from tf1.api import tensorflow as tf1_api

tf.disable_v2_behavior()
pytestmark = pytest.mark.usefixtures('fresh_graph')  # conftest.py
autograph = tf1_api.contrib.autograph


def test_contrib_autograph_turns_python_loops_and_branches_into_graph_ops():
    def total(n):
        result = 0
        for i in tf.range(n):
            result += i
        return result

    @autograph.convert()
    def doubled_if_positive(x):
        if x > 0:
            x = x * 2
        return x

    loop = autograph.to_graph(total)(tf.constant(5))
    branch = doubled_if_positive(tf.placeholder(tf.int32, []))
    loop_ops = {'While', 'StatelessWhile', 'LoopCond'}  # control flow v2 or v1's
    assert any(op.type in loop_ops for op in tf.get_default_graph().get_operations())
    with tf.Session() as session:
        assert session.run(loop) == 10
        assert [session.run(branch, {'Placeholder:0': x}) for x in (3, -3)] == [6, -3]
    assert 'def tf__total' in autograph.to_code(total)
    assert autograph.set_loop_options is not None and autograph.do_not_convert is not None


def test_contrib_cluster_resolver_reads_tf_config(monkeypatch):
    monkeypatch.setenv('TF_CONFIG', json.dumps({
        'cluster': {'worker': ['host1:2222', 'host2:2222']},
        'task': {'type': 'worker', 'index': 1}}))
    resolver = tf1_api.contrib.cluster_resolver.TFConfigClusterResolver()
    assert resolver.cluster_spec().as_dict() == {'worker': ['host1:2222', 'host2:2222']}
    assert (resolver.task_type, resolver.task_id) == ('worker', 1)


def test_what_tf_1_x_code_found_by_walking_its_namespaces():
    import inspect
    from tf1.api import tensorflow as tf1_api
    # google/seq2seq collected the cells by iterating tf.contrib.rnn's __dict__.
    cells = [value for value in list(tf1_api.contrib.rnn.__dict__.values())
             if inspect.isclass(value) and issubclass(value, tf1_api.contrib.rnn.RNNCell)]
    assert {'LSTMCell', 'GRUCell', 'MultiRNNCell', 'NTMCell'} <= {c.__name__ for c in cells}
    assert 'relu' in vars(tf1_api.nn)
    # Zehaos/MobileNet's slim.initializers and slim.init_ops (TF 1.x's star import).
    slim = tf1_api.contrib.slim
    assert callable(slim.initializers.xavier_initializer) and slim.init_ops.zeros_initializer
    # google/seq2seq's hooks ask the RunConfig where the process sits.
    for config in (tf1_api.estimator.RunConfig(), tf1_api.contrib.learn.RunConfig(num_cores=3)):
        assert config.is_chief and config.task_id == 0 and config.num_ps_replicas == 0
        assert config.cluster_spec.as_dict() == {} and config.master == ''
    tf_config = tf1_api.contrib.learn.RunConfig(num_cores=3).tf_config
    assert tf_config.intra_op_parallelism_threads == 3


def test_contrib_tfprof_counts_the_parameters(tmp_path):
    from tf1.api import tensorflow as tf1_api
    analyzer = tf1_api.contrib.tfprof.model_analyzer
    with tf.Graph().as_default() as graph:
        tf.get_variable('w', [10, 30])
        tf.get_variable('b', [30])
        options = dict(analyzer.TRAINABLE_VARS_PARAMS_STAT_OPTIONS,
                       output='file:outfile=%s' % (tmp_path / 'params.txt'))
        stats = analyzer.print_model_analysis(graph, tfprof_options=options)
    assert stats.total_parameters == 330
    assert 'w (10x30, 300/300 params)' in (tmp_path / 'params.txt').read_text()


def test_contrib_tfprof_profile_context_traces_profiles_and_dumps_chosen_steps(tmp_path):
    """TF 1.x's ProfileContext: Session.run counted inside it, chosen steps traced, profiled
    by command and dumped; disabled (DeepLab's train.py without --profile_logdir), it does
    nothing."""
    ProfileContext = tf1_api.contrib.tfprof.ProfileContext
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, [20, 30])
        total = tf.reduce_sum(tf.matmul(x, tf.ones([30, 40])))
        feed = {x: np.ones([20, 30])}
        with ProfileContext(str(tmp_path / 'profiles'), trace_steps=[1, 2],
                            dump_steps=[2]) as context:
            options = tf.profiler.ProfileOptionBuilder.time_and_memory()
            context.add_auto_profiling('op', options, [2])
            with tf.Session() as session:
                values = [session.run(total, feed) for _ in range(4)]
        profiles = context.get_profiles('op')
        with ProfileContext(None, enabled=False) as nothing, tf.Session() as session:
            assert session.run(total, feed) == 24000 and nothing.profiler is None
    assert values == [24000] * 4 and list(profiles) == [2]
    assert 'MatMul' in {node.name for node in profiles[2].children}
    assert (tmp_path / 'profiles' / 'profile_2').stat().st_size > 0
    assert not hasattr(tf.Session, '_profiler_run_internal') or (
        tf.Session._profiler_run_internal is None)  # Session.run put back
    with pytest.raises(ValueError, match='Must have a directory for profile'):
        ProfileContext('')


def test_contrib_checkpoint_hooks_proto_batching_and_xla_where_tf_2_keeps_them(tmp_path):
    contrib = tf1_api.contrib
    checkpoint = contrib.checkpoint
    root = checkpoint.Checkpointable()
    root.layers = checkpoint.List([tf.Variable(1.0, name='first')])
    root.cache = checkpoint.NoDependency({'not': 'saved'})
    assert isinstance(root, checkpoint.CheckpointableBase)
    with tf.Session() as session:
        session.run(tf.global_variables_initializer())
        saver = tf.train.Checkpoint(root=root)
        path = saver.save(str(tmp_path / 'ckpt'), session=session)
    names = [node.attributes[0].full_name
             for node in checkpoint.object_metadata(path).nodes if node.attributes]
    assert names == ['save_counter', 'first']  # the List's variable, not the NoDependency's
    assert contrib.hooks.ProfilerHook is tf.train.ProfilerHook
    # Its own classes (tf1/contrib_checkpoint.py), saved in graph mode and restored.
    state, tracker = checkpoint.NumpyState(), checkpoint.UniqueNameTracker()
    state.weights = np.arange(4.0)
    with tf.Graph().as_default():
        variables = [tracker.track(tf.Variable(float(i)), 'v') for i in range(2)]
        saver = tf.train.Checkpoint(state=state, tracker=tracker)
        with tf.Session() as session:
            session.run(tf.global_variables_initializer())
            path = saver.save(str(tmp_path / 'state'), session=session)
            state.weights = np.zeros(4)
            session.run(variables[1].assign(7.0))
            saver.restore(path).run_restore_ops(session)
            assert state.weights.tolist() == [0.0, 1.0, 2.0, 3.0]
            assert session.run(variables) == [0.0, 1.0]
    assert {'tracker/v/.ATTRIBUTES/VARIABLE_VALUE', 'tracker/v_1/.ATTRIBUTES/VARIABLE_VALUE',
            'state/weights/.ATTRIBUTES/py_state'} <= {
                name for name, _ in tf.train.list_variables(path)}
    with pytest.raises(NotImplementedError, match='which is not a NumPy array'):
        state.label = 'text'
    assert contrib.proto.decode_proto is tf.io.decode_proto
    assert contrib.batching.batch_function is tf.nondifferentiable_batch_function
    assert contrib.compiler.xla.compile is tf.xla.experimental.compile


@pytest.mark.parametrize('name, advice', [
    ('model_pruning.prune_low_magnitude', 'TensorFlow Model Optimization Toolkit'),
    ('bayesflow.hmc', 'TensorFlow Probability'),
    ('checkpoint.split_dependency', 'not split_dependency'),
    ('memory_stats.BytesInUse', 'get_memory_info'),
    ('session_bundle', 'SavedModels'),
    ('kfac.PeriodicInvCovUpdateKfacOpt', 'kfac package'),
    ('nccl.all_sum', 'MirroredStrategy'),  # earlier releases' contrib modules
    ('coder', 'tensorflow-compression'),
    ('timeseries.ARRegressor', 'statsmodels'),
    ('imperative', 'tf.contrib.eager'),
])
def test_other_contrib_modules_say_where_they_went(name, advice):
    from tf1 import unsupported
    module, _, attribute = name.partition('.')
    with pytest.raises(unsupported.UnsupportedApiError,
                       match=r'tf\.contrib\.%s(\.%s)? \(TF 1\.x\) is not provided by tf1: '
                             r'.*%s' % (module, attribute, advice)):
        namespace = getattr(tf1_api.contrib, module)
        getattr(namespace, attribute)


@pytest.mark.parametrize('module, advice', [('cloud', 'gs:// paths'),
                                            ('bigtable', 'google-cloud-bigtable')])
def test_cloud_modules_import_and_refuse_a_name_where_it_is_used(module, advice):
    """minigo's input pipeline imports contrib.cloud on every path, for Bigtable."""
    from tf1 import unsupported
    namespace = getattr(tf1_api.contrib, module)
    with pytest.raises(unsupported.UnsupportedApiError,
                       match=r'tf\.contrib\.%s\.BigtableClient \(TF 1\.x\) is not provided by '
                             r'tf1: .*%s' % (module, advice)):
        namespace.BigtableClient


def test_contrib_metrics_set_operations_are_tf_sets():
    """contrib.metrics' set ops (SSD-Tensorflow imports its module set_ops)."""
    metrics = tf1_api.contrib.metrics
    set_ops = metrics.python.ops.set_ops
    assert set_ops.set_difference is metrics.set_difference is tf.sets.set_difference
    a, b = tf.constant([[1, 2, 3]]), tf.constant([[3, 4]])
    with tf.Session() as session:
        assert session.run(tf.sparse.to_dense(set_ops.set_union(a, b))).tolist() == [
            [1, 2, 3, 4]]
        assert session.run(metrics.set_size(metrics.set_intersection(a, b))).tolist() == [1]


def test_contrib_gan_outside_the_runner_is_one_clear_error():
    """TF-GAN's modules run on TF 1.x's API only where python -m tf1 answers their imports
    (tests/test_tf1_runner.py trains with it); `import tf1.tensorflow`, as here, cannot."""
    from tf1 import unsupported
    with pytest.raises(unsupported.UnsupportedUseError,
                       match=r'tf\.contrib\.gan \(TF-GAN\) runs only where tf1 answers'):
        tf1_api.contrib.gan.gan_model
