"""tf1/layers' base Layer as TF 1.x's layers behaved, the behaviours that TF 1.15's own
tensorflow/python/layers/*_test.py check (run unchanged under `python -m tf1`, those files
found them missing): losses and updates (with the inputs they depend on), names, variables
made before the first call, InputSpec, count_params, structured inputs, and the helpers of
tensorflow.python.layers.utils. Where TF 2.21 still ships the TF 1.x code
(tensorflow.python.keras.legacy_tf_layers), it is the oracle."""
import copy
import inspect
import textwrap
import warnings

import numpy as np
import pytest
import tensorflow.compat.v1 as tf

from test_tf1_runner import tf1
from tf1 import layers
from tf1.api import tensorflow as tf1_api
from tf1.layers import normalization, utils

tf.disable_v2_behavior()

pytestmark = pytest.mark.usefixtures('fresh_graph')


def legacy_core():
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        from tensorflow.python.keras.legacy_tf_layers import core
    return core


def regularizer(x):
    return tf.reduce_sum(x) * 1e-3


@pytest.mark.parametrize('make', [
    lambda: layers.Dense(2, kernel_regularizer=regularizer, bias_regularizer=regularizer),
    lambda: layers.Conv2D(2, 3, kernel_regularizer=regularizer, bias_regularizer=regularizer),
    lambda: layers.SeparableConv2D(2, 3, depthwise_regularizer=regularizer,
                                   pointwise_regularizer=regularizer),
    lambda: layers.BatchNormalization(gamma_regularizer=regularizer,
                                      beta_regularizer=regularizer),
])
def test_weight_regularization_losses_are_the_layers_losses(make):
    layer = make()
    inputs = tf.ones([1, 5, 5, 3]) if not isinstance(layer, layers.Dense) else tf.ones([1, 3])
    layer.apply(inputs)
    collected = tf.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES)
    assert len(collected) == 2 and all(a is b for a, b in zip(layer.losses, collected))
    assert layer.get_losses_for(None) == layer.losses  # they depend on no inputs


def test_unnamed_layers_are_numbered_from_1_their_scopes_from_0():
    core = legacy_core()
    for module in (layers, core):
        with tf.Graph().as_default():
            named = module.Dense(2, name='my_dense')
            first, second = module.Dense(2), module.Dense(2)
            first.apply(tf.ones([1, 2]))
            second.apply(tf.ones([1, 2]))
            assert (named.name, first.name, second.name) == ('my_dense', 'dense_1', 'dense_2')
            assert [v.name for v in tf.global_variables()] == [
                'dense/kernel:0', 'dense/bias:0', 'dense_1/kernel:0', 'dense_1/bias:0']


def test_a_variable_made_before_the_first_call_is_in_the_layers_scope():
    with tf.name_scope('outer'):
        layer = layers.Layer(name='my_layer')
        variable = layer.add_variable('my_var', [2, 2], initializer=tf.zeros_initializer())
    assert variable.name == 'my_layer/my_var:0'
    assert layer.variables == [variable] == layer.trainable_variables
    assert layer.apply(tf.constant(3)) is not None  # the base layer's call: the inputs


def test_add_weight_options():
    layer = layers.Layer(name='my_layer')
    with pytest.raises(ValueError, match='ON_READ only for non-trainable variables'):
        layer.add_variable('v', [2], synchronization=tf.VariableSynchronization.ON_READ,
                           trainable=True)
    on_read = layer.add_variable('r', [2], synchronization=tf.VariableSynchronization.ON_READ)
    assert on_read not in tf.trainable_variables()
    # A partitioned variable's regularizer: one loss per part, once.
    for reuse in (False, True):
        with tf.variable_scope(tf.get_variable_scope(), reuse=reuse,
                               partitioner=tf.fixed_size_partitioner(3)):
            layers.Layer(name='parts').add_variable('w', [4, 4], regularizer=regularizer)
    assert len(tf.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES)) == 3


class Counting(layers.Layer):
    """TF 1.15's test layer: one update and loss made in build, one in each call."""

    def build(self, input_shape):
        self.a = self.add_variable('a', (), tf.float32, trainable=False)
        self.add_update(tf.assign_add(self.a, 1.0, name='b_update'))
        self.add_loss(self.a)
        self.built = True

    def call(self, inputs):
        self.add_update(tf.assign_add(self.a, inputs, name='a_update'), inputs=True)
        self.add_loss(inputs, inputs=True)
        return inputs + 1


def test_updates_and_losses_for_the_inputs_they_depend_on():
    layer = Counting()
    inputs = tf.placeholder(tf.float32, (), 'inputs')
    intermediate = inputs + 1
    outputs = layer.apply(intermediate)
    for got in (layer.get_updates_for, layer.get_losses_for):
        assert [len(got(x)) for x in (None, [inputs], [intermediate], [outputs])] == [1, 1, 1, 0]
    other = tf.placeholder(tf.float32, (), 'other')
    layer.apply(other)
    assert len(layer.updates) == len(layer.losses) == 3
    assert len(layer.get_updates_for([other])) == len(layer.get_losses_for([other])) == 1
    assert len(tf.get_collection(tf.GraphKeys.UPDATE_OPS)) == 3
    # The activity regularizer's loss depends on the inputs of its call.
    active = layers.Layer(activity_regularizer=tf.reduce_sum)
    x = tf.placeholder(tf.float32)
    active.apply(x)
    assert len(active.get_losses_for(x)) == 1 and active.get_losses_for(None) == []


def test_input_spec_is_checked_at_each_call():
    layer = layers.Layer(name='checked')
    layer.input_spec = layers.InputSpec(ndim=2, dtype='float32', axes={-1: 3})
    layer.apply(tf.ones([4, 3]))
    for bad, message in ((tf.ones([4]), 'expected ndim=2, found ndim=1'),
                         (tf.ones([4, 3], tf.float64), 'expected dtype=float32'),
                         (tf.ones([4, 2]), 'expected axis -1 of input shape to have value 3')):
        with pytest.raises(ValueError, match='Input 0 of layer checked is incompatible.*'
                           + message):
            layer.apply(bad)
    with pytest.raises(ValueError, match='greater than the maximum allowed value'):
        layers.InputSpec(ndim=2, axes={2: 1})


def test_count_params_structured_inputs_dtype_and_deepcopy():
    dense = layers.Dense(16)
    with pytest.raises(ValueError, match="isn't built"):
        dense.count_params()
    dense.build((None, 4))
    assert dense.built and dense.count_params() == 16 * 4 + 16

    class DictLayer(layers.Layer):
        def call(self, inputs):
            return {'l' + key: value for key, value in inputs.items()}
    result = DictLayer().apply({'abel': tf.constant(3), 'ogits': tf.constant(4.0)})
    assert sorted(result) == ['label', 'logits']
    first_wins = layers.Layer()
    first_wins.apply([tf.constant(1.0), tf.constant(1.0, tf.float64)])
    assert first_wins.dtype == tf.float32

    layer = layers.Layer(name='copied')
    layer.apply(tf.ones([2]))
    clone = copy.deepcopy(layer)
    assert (clone.name, clone._scope.name) == (layer.name, layer._scope.name)


def test_kernel_and_pool_sizes_may_be_a_shapes_dimensions():
    images = tf.ones([2, 7, 9, 3])
    window = images.get_shape()[1:3]
    assert layers.conv2d(images, 4, window, padding='same').shape.as_list() == [2, 7, 9, 4]
    assert layers.max_pooling2d(images, window, 1, padding='same').shape[1:3] == [7, 9]
    with pytest.raises(ValueError, match='The channel dimension of the inputs should be '
                       'defined. Found `None`.'):
        layers.conv2d(tf.placeholder(tf.float32, [5, 7, 9, None]), 32, 3)
    assert layers.Flatten().compute_output_shape((1, 2, 3, 2)).as_list() == [1, 12]
    assert layers.Flatten().compute_output_shape((None, 3, None)).as_list() == [None, None]


def test_batch_norms_fused_and_plain_paths_agree_without_bessels_correction(evaluate):
    images = tf.constant(np.random.RandomState(0).rand(2, 4, 5, 3), tf.float32)
    variances = []
    for fused in (True, False):
        layer = layers.BatchNormalization(fused=fused, name='fused' if fused else 'plain')
        layer._bessels_correction_test_only = False
        layer.apply(images, training=True)
        variances.append(layer.moving_variance)
    with tf.control_dependencies(tf.get_collection(tf.GraphKeys.UPDATE_OPS)):
        after = [tf.identity(variance) for variance in variances]
    fused, plain = evaluate(*after)
    np.testing.assert_allclose(fused, plain, rtol=1e-5)
    assert normalization.batch_norm is normalization.batch_normalization
    with pytest.raises(ValueError, match='Duplicate axis'):
        layers.batch_normalization(tf.ones([2, 3, 4, 5, 6]), axis=[1, 2, 1])


def test_the_layers_utils_module_of_tf_1_15():
    assert utils.normalize_tuple((2, 3), 2, 'strides') == (2, 3)
    assert utils.normalize_tuple(2, 3, 'strides') == (2, 2, 2)
    with pytest.raises(ValueError, match='must be a tuple of 2 integers'):
        utils.normalize_tuple((2, 'a'), 2, 'strides')
    assert utils.convert_data_format('channels_first', 4) == 'NCHW'
    assert utils.normalize_padding('SAME') == 'same'
    assert [utils.conv_output_length(4, 2, padding, 1) for padding in
            ('same', 'valid', 'full')] == [4, 3, 5]
    assert utils.conv_output_length(None, 2, 'same', 1) is None
    assert [utils.conv_input_length(3, 2, padding, 1) for padding in
            ('same', 'valid', 'full')] == [2, 4, 2]
    assert [utils.deconv_output_length(4, 2, padding, 2) for padding in
            ('same', 'valid', 'full')] == [8, 8, 6]
    assert utils.constant_value(tf.constant(True)) and utils.constant_value(1) is True
    assert utils.constant_value(tf.placeholder(tf.bool)) is None
    with pytest.raises(TypeError):
        utils.constant_value(5)
    first, second = tf.placeholder(tf.float32), tf.placeholder(tf.float32)
    total = first + second
    product = second * 2
    assert utils.get_reachable_from_inputs([first]) == {first, total}
    assert utils.get_reachable_from_inputs([second]) == {second, total, product}


def test_executing_eagerly_updates_run_and_losses_follow_the_weights():
    from tensorflow.python.eager import context
    with context.eager_mode():
        norm = layers.BatchNormalization()
        norm(tf.ones((4, 3)) * tf.range(4.0)[:, None], training=True)
        np.testing.assert_allclose(norm.moving_mean.numpy(), 0.015)  # updated, not kept
        assert norm.updates == []
        dense = layers.Dense(2, kernel_regularizer=tf.nn.l2_loss,
                             activity_regularizer=tf.reduce_sum)
        dense(tf.ones((1, 3)))
        dense(tf.ones((1, 3)))
        assert len(dense.losses) == 2  # the weights' and the last call's activity loss
        dense.kernel.assign(tf.zeros_like(dense.kernel))
        assert float(dense.losses[0]) == 0.0


def test_batch_renormalization_is_tf_1_15s(evaluate):
    # TF 1.15's testRenorm, written out in NumPy: the correction r, d against the renorm
    # averages, clipped; the moving statistics from the batch's.
    shape, epsilon, momentum, renorm_momentum = (4, 3), 1e-3, 0.9, 0.8
    rmax, rmin, dmax = 1.1, 0.9, 0.1
    xt = tf.placeholder(tf.float32, shape)
    layer = layers.BatchNormalization(
        axis=1, epsilon=epsilon, momentum=momentum, renorm=True,
        renorm_clipping={'rmax': rmax, 'rmin': rmin, 'dmax': dmax},
        renorm_momentum=renorm_momentum, gamma_initializer=tf.constant_initializer(2.0),
        beta_initializer=tf.constant_initializer(3.0))
    training = tf.placeholder(tf.bool)
    out = layer.apply(xt, training=training)
    assert [v.op.name.split('/')[-1] for v in layer.variables][-3:] == [
        'moving_stddev', 'renorm_mean', 'renorm_stddev']
    update = tf.get_collection(tf.GraphKeys.UPDATE_OPS)
    renorm_mean, renorm_stddev, moving_mean, moving_stddev = 0.0, 1.0, 0.0, 1.0
    with tf.Session() as session:
        session.run(tf.global_variables_initializer())
        for _ in range(3):
            x = np.random.RandomState(_).random_sample(shape)
            mean, stddev = x.mean(0), np.sqrt(x.var(0) + epsilon)
            r = np.clip(stddev / renorm_stddev, rmin, rmax)
            d = np.clip((mean - renorm_mean) / renorm_stddev, -dmax, dmax)
            y_train = ((x - mean) / stddev * r + d) * 2.0 + 3.0
            moving_mean += (mean - moving_mean) * (1 - momentum)
            moving_stddev += (stddev - moving_stddev) * (1 - momentum)
            renorm_mean += (mean - renorm_mean) * (1 - renorm_momentum)
            renorm_stddev += (stddev - renorm_stddev) * (1 - renorm_momentum)
            y_test = (x - moving_mean) / moving_stddev * 2.0 + 3.0
            got, _ = session.run([out, update], {xt: x, training: True})
            np.testing.assert_allclose(got, y_train, rtol=1e-5, atol=1e-5)
            np.testing.assert_allclose(session.run(out, {xt: x, training: False}), y_test,
                                       rtol=1e-5, atol=1e-5)


def test_ghost_batches_and_adjustment(evaluate):
    x = np.random.RandomState(0).randn(6, 4).astype(np.float32)
    ghost = layers.batch_normalization(tf.constant(x), virtual_batch_size=3, training=True,
                                       epsilon=0.0, name='ghost')
    parts = x.reshape(3, 2, 4)  # as TF 1.x reshaped it: ghost batch j is rows j, j + 2, j + 4
    expected = ((parts - parts.mean(0)) / parts.std(0)).reshape(6, 4)
    adjusted = layers.batch_normalization(
        tf.constant(x), training=True, epsilon=0.0, name='adjusted',
        adjustment=lambda shape: (tf.fill([4], 2.0), tf.fill([4], 1.0)))
    got, got_adjusted = evaluate(ghost, adjusted)
    np.testing.assert_allclose(got, expected, rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(got_adjusted, (x - x.mean(0)) / x.std(0) * 2 + 1, rtol=1e-4,
                               atol=1e-5)
    with pytest.raises(ValueError, match='axis cannot include 0'):
        layers.batch_normalization(tf.constant(x), axis=0, virtual_batch_size=3)


def test_a_first_calls_scope_names_the_layers_variable_scope():
    layer = layers.Dense(2)
    layer(tf.ones([1, 3]), scope='my_scope')
    layer(tf.ones([1, 3]), scope='ignored')  # as TF 1.x: only the first call's counts
    assert [v.name for v in tf.global_variables()] == ['my_scope/kernel:0', 'my_scope/bias:0']
    assert layer.scope_name == 'my_scope'


def test_sizes_may_be_a_shapes_dimension_objects():
    # TF 1.x's shapes gave Dimension objects, and scripts passed them on as sizes
    # (facenet's inception_resnet_v1: slim.conv2d(mixed, net.get_shape()[3], 1)).
    inputs = tf.zeros([1, 8, 8, 3])
    depth = inputs.get_shape()[3]
    assert isinstance(depth, tf.Dimension)
    assert layers.conv2d(inputs, depth, inputs.get_shape()[1] // 4).shape.as_list() == [
        1, 7, 7, 3]
    assert layers.dense(tf.zeros([1, 4]), depth).shape.as_list() == [1, 3]
    with pytest.raises(ValueError, match='units must be a positive int, got None'):
        layers.Dense(tf.Dimension(None))


def legacy(module):
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        from tensorflow.python.keras import legacy_tf_layers
        __import__('tensorflow.python.keras.legacy_tf_layers.' + module)
    return getattr(legacy_tf_layers, module)


SHAPED = [('convolutional', 'Conv1D', (4, 3), {}, [2, 10, 6]),
          ('convolutional', 'Conv2D', (3, 3), {'strides': 2, 'padding': 'same'}, [2, 9, 9, 4]),
          ('convolutional', 'Conv2D', (3, 3), {'dilation_rate': 2}, [2, 9, 9, 4]),
          ('convolutional', 'Conv2D', (3, 3), {'data_format': 'channels_first'},
           [2, 4, 9, 9]),
          ('convolutional', 'Conv3D', (2, 2), {}, [2, 4, 4, 4, 3]),
          ('convolutional', 'Conv2DTranspose', (3, 3), {'strides': 2}, [2, 5, 5, 4]),
          ('convolutional', 'Conv3DTranspose', (3, 2), {'strides': 2, 'padding': 'same'},
           [2, 3, 3, 3, 4]),
          ('convolutional', 'SeparableConv1D', (5, 3), {'strides': 2}, [2, 11, 4]),
          ('convolutional', 'SeparableConv2D', (5, 3), {}, [2, 7, 7, 4]),
          ('pooling', 'MaxPooling1D', (2, 2), {}, [2, 9, 3]),
          ('pooling', 'MaxPooling2D', (3, 2), {'padding': 'same'}, [2, 9, 8, 4]),
          ('pooling', 'MaxPooling3D', (2, 2), {}, [2, 4, 4, 4, 3]),
          ('pooling', 'AveragePooling1D', (2, 2), {'data_format': 'channels_first'},
           [2, 4, 9]),
          ('pooling', 'AveragePooling2D', (2, 1), {}, [2, 5, 5, 3]),
          ('pooling', 'AveragePooling3D', (2, 2), {}, [2, 4, 4, 4, 3]),
          ('core', 'Dropout', (0.5,), {}, [2, 6]),
          ('core', 'Dense', (5,), {}, [2, 3, 6])]


@pytest.mark.parametrize('module, name, args, kwargs, shape', SHAPED)
def test_layers_spell_out_their_arguments_and_give_their_output_shapes(module, name, args,
                                                                        kwargs, shape):
    """TF 1.x's classes named every argument (code checks them by getfullargspec: Texar)
    and computed their output shapes, as TF 2.21's copy of them (the oracle) does."""
    ours, theirs = getattr(layers, name), getattr(legacy(module), name)
    assert (inspect.getfullargspec(ours.__init__).args
            == inspect.getfullargspec(theirs.__init__).args)
    layer = ours(*args, **kwargs)
    output = layer.apply(tf.zeros(shape))
    for known in (shape, [None] + shape[1:]):
        assert (layer.compute_output_shape(tf.TensorShape(known)).as_list()
                == theirs(*args, **kwargs).compute_output_shape(tf.TensorShape(known)).as_list())
    assert layer.compute_output_shape(shape).as_list() == output.shape.as_list()
    assert layers.BatchNormalization().compute_output_shape([None, 6]).as_list() == [None, 6]


def test_a_training_of_none_is_the_keras_learning_phase():
    """As TF 1.x's layers (Keras layers) took it: False unless fed or set."""
    x = tf.ones([200, 3])
    dropped = layers.Dropout(0.5)(x, training=None)
    also = layers.dropout(x, 0.5, training=None)
    normalized = layers.BatchNormalization()(x * 3.0, training=None)
    import tf_keras
    phase = tf_keras.backend.learning_phase()
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        assert sess.run(dropped).min() == 1.0 and sess.run(also).min() == 1.0
        np.testing.assert_allclose(sess.run(normalized), 3.0 / np.sqrt(1 + 1e-3), rtol=1e-5)
        training = sess.run(dropped, {phase: True})
        assert (training == 0).any() and (training == 2).any()  # dropped, kept and scaled
        assert np.abs(sess.run(normalized, {phase: True})).max() < 1e-3  # the batch's own


def test_keras_weight_lists_that_tf_1_x_subclasses_read_and_extend():
    """Texar's layers of layers gather their sublayers' `_trainable_weights`."""
    dense = layers.Dense(3)
    dense(tf.zeros([1, 4]))
    norm = layers.BatchNormalization()
    norm(tf.zeros([1, 3]), training=True)
    assert [v.op.name for v in dense._trainable_weights] == ['dense/kernel', 'dense/bias']
    assert dense._non_trainable_weights == []
    assert [v.op.name for v in norm._non_trainable_weights] == [
        'batch_normalization/moving_mean', 'batch_normalization/moving_variance']

    class Parallel(layers.Layer):
        def __init__(self, sublayers):
            super(Parallel, self).__init__()
            self._sublayers = sublayers

        def build(self, input_shape):
            for sublayer in self._sublayers:
                self._trainable_weights.extend(sublayer._trainable_weights)
            self.built = True

    parallel = Parallel([dense])
    parallel(tf.zeros([1, 4]))
    assert parallel.trainable_variables == dense.trainable_variables


def test_a_tf_keras_layer_checks_its_inputs_against_a_tf_layers_input_spec():
    """TF 1.x's tf.layers.InputSpec was tf.keras's: Tacotron-2's WaveNet gives its
    tf.keras wrappers one."""
    from tf1.api import tensorflow as tf1_api

    class Doubling(tf1_api.keras.layers.Layer):
        def build(self, input_shape):
            self.input_spec = layers.InputSpec(shape=tf.TensorShape(input_shape).as_list())
            super(Doubling, self).build(input_shape)

        def call(self, x):
            return x * 2.0

    doubling, x = Doubling(), tf.ones([2, 3])
    doubling(x)
    assert doubling(x).shape.as_list() == [2, 3]  # checked against the spec this time
    with pytest.raises(ValueError, match='expected shape=\\(2, 3\\)|incompatible'):
        doubling(tf.ones([2, 4]))


def test_a_regularized_weight_made_in_a_function_executing_eagerly(tmp_path):
    """TF 1.15's base_test.testAddWeight: under eager execution, a weight added inside a
    tf.function has its regularization in `losses` (its loss made in the function's graph,
    not lifted out of it)."""
    (tmp_path / 'weights.py').write_text(textwrap.dedent('''
        import tensorflow as tf
        tf.enable_eager_execution()
        layer = tf.layers.Layer(name='my_layer')
        layer.add_variable('reg_var', [2, 2], initializer=tf.ones_initializer(),
                           regularizer=lambda x: tf.reduce_sum(x) * 1e-3)
        added = []

        @tf.function
        def add_weight():
            if not added:
                layer.add_variable('reg_var_from_function', [2, 2],
                                   initializer=tf.zeros_initializer(),
                                   regularizer=lambda x: tf.reduce_sum(x) * 1e-3)
                added.append(True)
        add_weight()
        print(len(layer.losses), round(float(layer.losses[0]), 6))
        '''))
    result = tf1(['weights.py'], str(tmp_path))
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.split()[-2:] == ['2', '0.004']


class WatchedDense(layers.Dense):
    """A Dense that reports its outputs' mean as a metric, as TF 1.13-1.15's layers could."""

    def call(self, inputs):
        outputs = super().call(inputs)
        self.add_metric(tf.reduce_mean(outputs), name='mean_out', aggregation='mean')
        return outputs


def test_add_metric_keeps_keras_metric_objects_as_tf_1_15s():
    import tf_keras
    layer = WatchedDense(2, name='watched')
    layer(tf.ones([4, 3]))
    layer(tf.ones([2, 3]))  # the metric of that name takes the second call's value too
    (metric,) = layer.metrics
    assert isinstance(metric, tf_keras.metrics.Mean) and metric.name == 'mean_out'
    assert [v.name for v in metric.variables] == ['watched/total:0', 'watched/count:0']
    counted = tf_keras.metrics.Sum(name='seen')
    layer.add_metric(counted(tf.ones([2])))  # a metric object's result: that object
    assert layer.metrics[1] is counted
    for arguments, message in [
            (dict(value=tf.ones([]), name='m', aggregation='sum'), 'only `mean`'),
            (dict(value=tf.ones([]), aggregation='mean'), 'provide a name'),
            (dict(value=tf.ones([]), name='m'), 'not the output of a `tf.keras.metrics')]:
        with pytest.raises(ValueError, match=message):
            layer.add_metric(**arguments)
    assert len(layer.metrics) == 2
    assert copy.deepcopy(layer).metrics[0] is metric  # shared, as its variables are


def test_add_metric_executing_eagerly_accumulates_in_one_metric(tmp_path):
    (tmp_path / 'metric.py').write_text(textwrap.dedent('''
        import tensorflow as tf
        tf.enable_eager_execution()

        class Watched(tf.layers.Dense):
            def call(self, inputs):
                outputs = super(Watched, self).call(inputs)
                self.add_metric(tf.reduce_mean(outputs), name='m', aggregation='mean')
                return outputs

        layer = Watched(2, kernel_initializer=tf.ones_initializer())
        layer(tf.ones([2, 3]))
        layer(tf.ones([2, 3]) * 3)
        print(len(layer.metrics), float(layer.metrics[0].result()))  # mean of 3 and 9
        '''))
    result = tf1(['metric.py'], str(tmp_path))
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.split()[-2:] == ['1', '6.0']


def test_compute_output_signature_as_tf_1_15s():
    dense = layers.Dense(3)
    spec = dense.compute_output_signature(tf.TensorSpec([None, 4], tf.float64))
    assert spec == tf.TensorSpec([None, 3], tf.float64)  # no dtype yet: the input's
    dense(tf.zeros([2, 4]))
    assert dense.compute_output_signature(tf.TensorSpec([5, 4], tf.float64)) == \
        tf.TensorSpec([5, 3], tf.float32)  # the layer's own
    with pytest.raises(TypeError, match='^Only TensorSpec signature types are supported'):
        dense.compute_output_signature(tf.zeros([2, 4]))
    with pytest.raises(NotImplementedError, match='^Layer gives no output shape in a graph'):
        layers.Layer().compute_output_signature(tf.TensorSpec([2], tf.float32))


def test_compute_output_shape_of_a_class_that_gives_none_as_tf_1_15s(tmp_path):
    """TF 1.15's Keras default: executing eagerly, built for the shape, then called on
    placeholders in a graph of its own (what that call adds is not the layer's); in a graph,
    or for a cell (its call takes a state), NotImplementedError."""
    (tmp_path / 'shapes.py').write_text(textwrap.dedent('''
        import tensorflow as tf
        tf.enable_eager_execution()

        class Project(tf.layers.Layer):
            def build(self, input_shape):
                self.w = self.add_variable('w', [int(input_shape[-1]), 5])
                self.built = True

            def call(self, inputs):
                self.add_loss(tf.reduce_sum(inputs))
                return tf.matmul(inputs, self.w)

        layer = Project()
        print(layer.compute_output_shape((None, 3)).as_list(), layer.variables[0].name,
              len(layer.losses))
        print(layer.compute_output_signature(tf.TensorSpec([2, 3])).shape.as_list())
        try:
            tf.nn.rnn_cell.GRUCell(3).compute_output_shape((None, 3))
        except NotImplementedError as error:
            print(str(error).split('.')[0])
        '''))
    result = tf1(['shapes.py'], str(tmp_path))
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.splitlines()[-3:] == [
        "[None, 5] project/w:0 0", '[2, 5]',
        "We could not automatically infer the static shape of the layer's output"]
    with pytest.raises(NotImplementedError, match='^GRUCell gives no output shape in a graph'):
        tf1_api.nn.rnn_cell.GRUCell(3).compute_output_shape((None, 3))

