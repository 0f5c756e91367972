"""What TF 1.x code relied on inside TensorFlow's classes, put back for the runner's process
(tf1/restored_internals.py): shape dimensions given as whole floats, text or bools,
datasets' int32 parallel calls and NumPy prefetch sizes, graph tensors compared by identity
without TF 2.x's dispatch, variable_scope.variable, `Tensor._shape`, NumPy's refusal of a
graph tensor as a TypeError, regularization losses as tensors, resource variables as TF
1.x's tf.Variables (`v += x` a new tensor), and initializers' dtype errors in TF 1.x's
words; and internal modules TF 1.x code imported: feature columns' DenseFeatures, nest's
errors in TF 1.x's words, import_pb_to_tensorboard reading a graph file, op_def_registry's
list of every op; TF 1.15's names of an Optional's structure and of an empty one."""
import numpy as np
import pytest
import tensorflow.compat.v1 as tf

from tf1 import restored_internals
from tf1.api import MOVED_MODULES

tf.disable_v2_behavior()
pytestmark = pytest.mark.usefixtures('fresh_graph')  # conftest.py
restored_internals.install()


def test_dimensions_may_be_whole_floats_numbers_as_text_or_bools():
    # Python 3's `/` in TF 1.x-era shapes (TensorLayer's GroupConv2d: channels / n_group).
    assert tf.get_variable('w', shape=[3, 3, 32 / 2, 8]).shape.as_list() == [3, 3, 16, 8]
    # StyleGAN's noise inputs, [1, use_noise, res, res], as TF 1.x's int(value) made them.
    noise = tf.get_variable('noise', shape=[1, True, 4, 4])
    assert noise.shape.as_list() == [1, 1, 4, 4] and type(noise.shape.as_list()[1]) is int
    assert tf.placeholder(tf.float32, [None, 784.0]).shape.as_list() == [None, 784]
    assert tf.TensorShape([b'2', '4']).as_list() == [2, 4]
    with pytest.raises(TypeError, match='Dimension value must be integer'):
        tf.TensorShape([16.5])
    with pytest.raises(ValueError):
        tf.TensorShape(['four'])


def test_datasets_take_the_argument_types_tf1_took():
    # QANet's int32 num_parallel_calls (TF 1.x's ParallelMapDataset took int32), StyleGAN's
    # NumPy prefetch size.
    dataset = tf.data.Dataset.range(3).map(lambda x: x * 2,
                                           num_parallel_calls=tf.constant(2, tf.int32))
    element = tf.data.make_one_shot_iterator(dataset.prefetch(np.int64(2))).get_next()
    with tf.Session() as session:
        assert [session.run(element) for _ in range(3)] == [0, 2, 4]


def test_graph_tensors_compare_by_identity():
    a, b = tf.constant(1.0), tf.constant(1.0)
    assert a == a and a != b and not (a == b) and (a == None) is False  # noqa: E711
    tensors = [a, b, a]
    tensors.remove(b)
    assert tensors == [a, a] and len({a, b}) == 2


def test_variable_scope_variable_is_tf1s():
    variable_scope = MOVED_MODULES['tensorflow.python.ops.variable_scope']
    beta = variable_scope.variable(0.9, name='beta1_power', trainable=False,
                                   collections=[tf.GraphKeys.LOCAL_VARIABLES])
    assert tf.local_variables() == [beta] and tf.global_variables() == []
    assert variable_scope.variable_scope is tf.variable_scope  # the rest: TensorFlow's


def test_private_shape_is_tf1s_tensor_shape():
    # TensorLayer 1.11's recurrent test: int(net.outputs._shape[-1]).
    x = tf.placeholder(tf.float32, [None, 490])
    assert x._shape == x.shape and int(x._shape[-1]) == 490
    assert tf.placeholder(tf.float32)._shape.ndims is None
    x.set_shape([7, None])  # TF 2.x's own shape, still kept by the C++ tensor
    assert x.shape.as_list() == x._shape.as_list() == [7, 490]
    assert tf.reshape(x, [-1, 70]).shape.as_list() == [49, 70]
    with pytest.raises(ValueError, match='use Tensor.set_shape instead'):
        x._shape = tf.TensorShape([7, 490])


def test_numpy_refuses_a_graph_tensor_with_a_type_error_too():
    # TensorLayer's tl.alphas: try tf.constant(v, shape=<tensor>), on TypeError tf.fill.
    x = tf.placeholder(tf.float32, [None, 3])
    with pytest.raises(TypeError, match=r'symbolic tf.Tensor \(Shape:0\)') as refused:
        tf.constant(0.5, shape=tf.shape(x))
    assert isinstance(refused.value, NotImplementedError)  # still TF 2.x's error
    with pytest.raises(NotImplementedError):
        np.asarray(x)


def test_regularization_losses_are_tf1s_tensors():
    # tflearn: ExponentialMovingAverage over REGULARIZATION_LOSSES for every regularized model.
    with tf.variable_scope('layer'):
        w = tf.get_variable('w', [3], initializer=tf.ones_initializer(),
                            regularizer=tf.nn.l2_loss)
    with tf.variable_scope('layer', reuse=True):
        assert tf.get_variable('w', [3], regularizer=tf.nn.l2_loss) is w  # not again
    [loss] = tf.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES)
    assert isinstance(loss, tf.Tensor) and loss.op.name == 'layer/w/Regularizer/L2Loss'
    average = tf.train.ExponentialMovingAverage(0.9)
    update = average.apply([loss])
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(update)  # TF 2.x's stand-in had no ref(): apply() failed
        assert sess.run(loss) == 1.5 and sess.run(average.average(loss)) > 0
    assert len(tf.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES)) == 1  # made once


def test_resource_variables_are_tf1_variables():
    # Sonnet 1: format_variables (isinstance), VectorQuantizerEMA (initialized_value).
    w = tf.get_variable('w', [2, 3], initializer=tf.ones_initializer(), use_resource=True)
    assert isinstance(w, tf.Variable) and issubclass(type(w), tf.Variable)
    average = tf.get_variable('average', initializer=w.initialized_value(), use_resource=True)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        assert sess.run(average).tolist() == [[1.0] * 3] * 2


def test_in_place_operators_on_a_variable_make_new_tensors():
    """Keras 2's examples summed a loss into `loss = K.variable(0.)` (deep_dream)."""
    loss = tf.get_variable('loss', initializer=1.0, use_resource=True)
    variable = loss
    loss += 2.0
    loss *= 4.0
    loss -= 1.0
    loss /= 2.0
    loss **= 2.0
    assert isinstance(loss, tf.Tensor)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        assert sess.run(loss) == 30.25 and sess.run(variable) == 1.0  # not assigned
    # (TF 1.x's warning, "Variable += will be deprecated", is logged once per process.)


def test_an_initializer_refuses_an_integer_dtype_in_tf1s_words():
    with pytest.raises(ValueError, match=r"^Expected floating point type, got <dtype: 'int32'>"):
        tf.truncated_normal_initializer(stddev=0.1, dtype=tf.int32)


def test_a_random_uniform_initializer_of_integers_starts_at_0_as_in_tf1():
    # learning_to_remember_rare_events' hash slots: maxval alone, an integer dtype.
    with tf.Graph().as_default():
        slots = tf.get_variable('slots', [50, 4], tf.int32, trainable=False,
                                initializer=tf.random_uniform_initializer(maxval=3,
                                                                          dtype=tf.int32))
        halves = tf.random_uniform_initializer(maxval=0.5)([1000])
        with tf.Session() as session:
            session.run(tf.global_variables_initializer())
            slots, halves = session.run([slots, halves])
    assert slots.dtype == np.int32 and set(slots.ravel()) == {0, 1, 2}
    assert 0 <= halves.min() and halves.max() < 0.5


def test_a_queue_is_made_on_the_device_in_scope_as_in_tf1():
    # research/resnet's input pipeline under tf.device('/gpu:0'), with soft placement: the
    # queue and its reader on one device, which soft placement then moves to the CPU here.
    with tf.Graph().as_default():
        with tf.device('/gpu:0'):
            queue = tf.FIFOQueue(4, [tf.int32], shapes=[[]])
            enqueue = queue.enqueue_many([[1, 2, 3]])
            taken = queue.dequeue()
        assert queue.queue_ref.op.device == '/device:GPU:0'
        with tf.Session(config=tf.ConfigProto(allow_soft_placement=True)) as session:
            session.run(enqueue)
            assert [session.run(taken) for _ in range(3)] == [1, 2, 3]


def test_feature_columns_dense_features_is_where_tf_1_14_and_1_15_had_it():
    """TF-Ranking 0.1 builds its input layer with feature_column_lib.DenseFeatures, which
    TF 2.x moved to Keras."""
    library = MOVED_MODULES['tensorflow.python.feature_column.feature_column_lib']
    dense_features = MOVED_MODULES['tensorflow.python.feature_column.dense_features']
    assert library.DenseFeatures is dense_features.DenseFeatures  # TF 1.15's V1 layer
    assert MOVED_MODULES['tensorflow.python.feature_column.feature_column_v2'].DenseFeatures \
        is library.DenseFeatures  # TF 1.14's place
    columns = [library.numeric_column('x'), library.numeric_column('y', shape=[2])]
    assert library.is_feature_column_v2(columns)  # the rest: TensorFlow's
    layer = library.DenseFeatures(feature_columns=columns, name='encoding_layer')
    out = layer({'x': tf.constant([[1.0], [2.0]]), 'y': tf.constant([[3.0, 4.0], [5.0, 6.0]])})
    with tf.Session() as sess:
        np.testing.assert_array_equal(sess.run(out), [[1, 3, 4], [2, 5, 6]])


@pytest.mark.parametrize('structure, flat, error, words', [
    (['hello', 'world'], 'bad_sequence', TypeError, 'flat_sequence must be a sequence'),
    ('bad_structure', ['hello', 'world'], ValueError,
     r'Structure is a scalar but len\(flat_sequence\) == 2 > 1'),
    (['hello', 'world'], ['and', 'goodbye', 'again'], ValueError,
     'Could not pack sequence. Structure had 2 elements, but flat_sequence had 3 elements.'),
])
def test_nest_refuses_what_it_cannot_pack_in_tf1s_words(structure, flat, error, words):
    nest = MOVED_MODULES['tensorflow.python.util.nest']  # tf.contrib.framework.nest too
    with pytest.raises(error, match=words):
        nest.pack_sequence_as(structure, flat)
    assert nest.pack_sequence_as({'b': [0, 0], 'a': 0}, [1, 2, 3]) == {'a': 1, 'b': [2, 3]}
    assert nest.pack_sequence_as('scalar', [7]) == 7


def test_dense_tensor_like_types_register_as_tf1s_ops_py_had_them():
    """mesh-tensorflow's TPU ReplicatedVariable registers itself on import (TF 1.x's ops.py,
    removed in TF 2.3); tf.is_tensor then takes it for a tensor, as TF 1.x's did."""
    ops = MOVED_MODULES['tensorflow.python.framework.ops']

    class Replicated:
        name = property(lambda self: 'replicated')
        dtype = property(lambda self: tf.float32)

    class Nameless:
        dtype = property(lambda self: tf.float32)

    with tf.Graph().as_default():
        assert ops.is_dense_tensor_like(tf.constant(1.0))
        assert not ops.is_dense_tensor_like(Replicated()) and not tf.is_tensor(Replicated())
        ops.register_dense_tensor_like_type(Replicated)
        assert ops.is_dense_tensor_like(Replicated()) and tf.is_tensor(Replicated())
    with pytest.raises(TypeError, match='Type Nameless does not define a `name` property'):
        ops.register_dense_tensor_like_type(Nameless)


def test_the_tpu_estimators_module_paths_are_tf1s_contrib_tpu():
    """TF 1.15's stubs tensorflow.python.tpu.tpu_config and tpu_estimator (mesh-tensorflow's
    transformer imports both) and contrib.tpu's modules (tensor2tensor's mtf_model), tf1's
    tf.contrib.tpu."""
    from tf1.api import tensorflow as tf1_api
    tpu = tf1_api.contrib.tpu
    for config, estimator in ((MOVED_MODULES['tensorflow.python.tpu.tpu_config'],
                               MOVED_MODULES['tensorflow.python.tpu.tpu_estimator']),
                              (tpu.python.tpu.tpu_config, tpu.python.tpu.tpu_estimator)):
        assert config.RunConfig is tpu.RunConfig and config.TPUConfig is tpu.TPUConfig
        assert estimator.TPUEstimator is tpu.TPUEstimator
        assert estimator.TPUEstimatorSpec is tpu.TPUEstimatorSpec


def test_training_ops_is_gen_training_ops_as_tf1s_re_export():
    """tensor2tensor's multistep Adam applies `training_ops.apply_adam`."""
    from tensorflow.python.ops import gen_training_ops
    training_ops = MOVED_MODULES['tensorflow.python.training.training_ops']
    assert training_ops.apply_adam is gen_training_ops.apply_adam


def test_import_to_tensorboard_reads_a_graph_file_as_tf1s_and_a_saved_model_as_tf2s(tmp_path):
    """TF 1.x's import_pb_to_tensorboard read a GraphDef file (a frozen model); TF 2.x's reads
    a SavedModel directory, which it still does."""
    tools = MOVED_MODULES['tensorflow.python.tools.import_pb_to_tensorboard']
    x = tf.placeholder(tf.float32, [None, 2], name='x')
    y = tf.identity(x * 2.0, name='y')
    tf.train.write_graph(tf.get_default_graph(), str(tmp_path), 'model.pb', as_text=False)
    with tf.Session() as session:
        tf.saved_model.simple_save(session, str(tmp_path / 'saved'), {'x': x}, {'y': y})
    for model, log in (('model.pb', 'from_file'), ('saved', 'from_saved_model')):
        tools.import_to_tensorboard(str(tmp_path / model), str(tmp_path / log))
        [events] = (tmp_path / log).iterdir()
        [graph] = [tf.GraphDef.FromString(event.graph_def)
                   for event in tf.train.summary_iterator(str(events)) if event.graph_def]
        assert {'import/x', 'import/y'} <= {node.name for node in graph.node}


def test_import_pb_to_tensorboards_command_line_names_what_it_could_not_use(tmp_path):
    """A model it cannot read or import, or a log directory it cannot write: one line each,
    naming which."""
    from tf1 import import_pb_to_tensorboard as tool
    broken = tf.GraphDef()
    broken.node.add(name='y', op='Identity', input=['missing'])
    (tmp_path / 'broken.pb').write_bytes(broken.SerializeToString())
    (tmp_path / 'model.pb').write_bytes(tf.GraphDef().SerializeToString())
    (tmp_path / 'saved_model.pb').write_text('text')
    (tmp_path / 'a_file').write_text('')
    for model, log, expected in (
            ('broken.pb', 'log', "cannot import broken.pb: Node 'y': Unknown input node"),
            ('model.pb', 'a_file', 'cannot write a_file: '),
            ('saved_model.pb', 'log', "cannot read saved_model.pb: not a binary GraphDef (a "
                                      "SavedModel's: give its directory)")):
        flags = tool._parser().parse_args(['--model_dir', str(tmp_path / model),
                                           '--log_dir', str(tmp_path / log)])
        with pytest.raises(SystemExit) as stop:
            tool._main(flags)
        assert str(stop.value).replace(str(tmp_path) + '/', '').startswith(
            'import_pb_to_tensorboard: ' + expected), stop.value


def test_op_def_registry_lists_every_registered_op():
    # K-FAC 0.2's graph patterns list the op names at import.
    registry = MOVED_MODULES['tensorflow.python.framework.op_def_registry']
    ops = registry.get_registered_ops()
    assert len(ops) > 1000 and {'MatMul', 'Conv2D', 'Unpack', 'VariableV2'} <= set(ops)
    assert ops['MatMul'] == registry.get('MatMul')  # TensorFlow's own lookup, still there


def test_an_optional_has_tf_1_15s_value_structure_and_none_from_structure():
    optional = tf.data.experimental.Optional.from_value((tf.constant(1), tf.constant([2.])))
    assert optional.value_structure == optional.element_spec
    empty = tf.data.experimental.Optional.none_from_structure(optional.value_structure)
    with tf.Session() as session:
        assert session.run([optional.has_value(), empty.has_value()]) == [True, False]
