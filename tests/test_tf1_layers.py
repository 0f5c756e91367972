"""tf1/layers and tf1/contrib_layers: TF 1.x's tf.layers and tf.contrib.layers
without Keras.

The oracle is TensorFlow's own TF 1.x layers code, still shipped in TF 2.21 as
tensorflow.python.keras.legacy_tf_layers (core, convolutional, pooling: they run in graph
mode). Each graph is built twice, once with the oracle and once with tf1.layers; the
variables, their collections and the output names must be the same, and with the
oracle's weights copied in, so must the outputs. Batch normalization is no longer
shipped in any form that runs, so it is checked against the formulas, numpy-side; so is
tf.contrib.layers, which TF 2.21 no longer has.
"""
import collections
import functools
import types
import warnings

import numpy as np
import pytest
import tensorflow.compat.v1 as tf

from conftest import synthetic_digits
from tf1 import contrib_layers
from tf1 import layers, restored_internals

tf.disable_v2_behavior()

RNG = np.random.RandomState(0)
VECTORS = RNG.randn(4, 8).astype(np.float32)
SEQUENCES = RNG.randn(4, 10, 3).astype(np.float32)
IMAGES = RNG.randn(4, 9, 9, 2).astype(np.float32)
VOLUMES = RNG.randn(2, 5, 5, 5, 2).astype(np.float32)
COLLECTIONS = (tf.GraphKeys.GLOBAL_VARIABLES, tf.GraphKeys.TRAINABLE_VARIABLES,
               tf.GraphKeys.MODEL_VARIABLES, tf.GraphKeys.REGULARIZATION_LOSSES,
               tf.GraphKeys.UPDATE_OPS)


@pytest.fixture(scope='module')
def oracle():
    """TF 1.x's own tf.layers functions, as TF 2.21 still ships them."""
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        from tensorflow.python.keras.legacy_tf_layers import convolutional, core, pooling
    return types.SimpleNamespace(
        dense=core.dense, dropout=core.dropout, flatten=core.flatten,
        conv1d=convolutional.conv1d, conv2d=convolutional.conv2d, conv3d=convolutional.conv3d,
        conv2d_transpose=convolutional.conv2d_transpose,
        conv3d_transpose=convolutional.conv3d_transpose,
        separable_conv1d=convolutional.separable_conv1d,
        separable_conv2d=convolutional.separable_conv2d,
        max_pooling1d=pooling.max_pooling1d, max_pooling2d=pooling.max_pooling2d,
        max_pooling3d=pooling.max_pooling3d, average_pooling1d=pooling.average_pooling1d,
        average_pooling2d=pooling.average_pooling2d,
        average_pooling3d=pooling.average_pooling3d)


Built = collections.namedtuple('Built', 'outputs output_names values collections')


def build_and_run(model, api, values=None):
    """Build model(api) in a graph of its own, set its variables to `values` (by name) if
    given, and run its outputs (and regularization losses)."""
    with tf.Graph().as_default() as graph, warnings.catch_warnings():
        warnings.simplefilter('ignore')  # the oracle's deprecation notices
        tf.set_random_seed(1)
        outputs = list(model(api)) + tf.losses.get_regularization_losses()
        with tf.Session() as session:
            session.run(tf.global_variables_initializer())
            for variable in tf.global_variables() if values is not None else ():
                variable.load(values[variable.name], session)
            results = session.run(outputs)
            variable_values = {v.name: session.run(v) for v in tf.global_variables()}
        names = {key: [item.name for item in graph.get_collection(key)] for key in COLLECTIONS}
        return Built(results, [t.name for t in outputs], variable_values, names)


def assert_same_as_oracle(model, oracle, ours=layers):
    """model(oracle) and model(ours) build the same variables and outputs."""
    expected = build_and_run(model, oracle)
    actual = build_and_run(model, ours, values=expected.values)
    assert actual.collections == expected.collections
    assert actual.output_names == expected.output_names
    for got, want in zip(actual.outputs, expected.outputs):
        np.testing.assert_allclose(got, want, rtol=1e-6, atol=1e-6)


# tf.layers, against TF 1.x's own code

def dense_naming_and_reuse(api):
    x = tf.constant(VECTORS)
    yield api.dense(x, 3)
    yield api.dense(x, 3)  # dense_1
    yield api.dense(x, 5, activation=tf.nn.relu, name='fc1')
    yield api.dense(x, 5, activation=tf.nn.relu, name='fc1', reuse=True)
    with tf.variable_scope('model'):
        yield api.dense(x, 4)
    with tf.variable_scope('model', reuse=True):
        yield api.dense(x, 4)
    with tf.variable_scope('auto', reuse=tf.AUTO_REUSE):
        yield api.dense(x, 2, name='shared')
        yield api.dense(x, 2, name='shared')
    yield api.dense(x, 2, use_bias=False, trainable=False)
    yield api.dense(tf.constant(SEQUENCES), 6, name='per_step')  # rank 3: tensordot


def dense_regularizers(api):
    x = tf.constant(VECTORS)
    yield api.dense(x, 3, kernel_regularizer=contrib_layers.l2_regularizer(0.1),
                    bias_regularizer=contrib_layers.l1_regularizer(0.2),
                    bias_initializer=tf.constant_initializer(0.5),
                    activity_regularizer=contrib_layers.l2_regularizer(0.3))
    with tf.variable_scope('reused'):
        yield api.dense(x, 3, kernel_regularizer=contrib_layers.l2_regularizer(0.1), name='r')
    with tf.variable_scope('reused', reuse=True):  # no second loss for the shared kernel
        yield api.dense(x, 3, kernel_regularizer=contrib_layers.l2_regularizer(0.1), name='r')


def convolutions(api):
    images = tf.constant(IMAGES)
    yield api.conv2d(images, 4, 3)
    yield api.conv2d(images, 4, [3, 2], strides=2, padding='SAME', activation=tf.nn.relu,
                     bias_initializer=tf.constant_initializer(0.1))
    yield api.conv2d(images, 3, 3, padding='same', dilation_rate=2, use_bias=False)
    yield api.conv1d(tf.constant(SEQUENCES), 5, 3, strides=2, padding='same')
    yield api.conv3d(tf.constant(VOLUMES), 2, 3)
    with tf.variable_scope('tied'):
        yield api.conv2d(images, 4, 3, name='c')
    with tf.variable_scope('tied', reuse=True):
        yield api.conv2d(images, 4, 3, name='c')


def separable_convolutions(api):
    images = tf.constant(IMAGES)
    yield api.separable_conv2d(images, 4, 3)
    yield api.separable_conv2d(images, 3, [3, 2], strides=2, padding='same', depth_multiplier=2,
                               activation=tf.nn.relu)
    yield api.separable_conv2d(images, 3, 3, dilation_rate=2, use_bias=False,
                               pointwise_regularizer=contrib_layers.l2_regularizer(0.1))
    yield api.separable_conv1d(tf.constant(SEQUENCES), 4, 3, strides=2, depth_multiplier=3)
    yield api.separable_conv1d(tf.constant(SEQUENCES), 4, 2, padding='same', dilation_rate=2)


def transposed_convolutions(api):
    images = tf.constant(IMAGES)
    yield api.conv2d_transpose(images, 3, 3)
    yield api.conv2d_transpose(images, 3, [2, 3], strides=2, padding='same',
                               activation=tf.nn.sigmoid)
    yield api.conv2d_transpose(images, 2, 3, strides=(2, 1))
    yield api.conv2d_transpose(tf.placeholder_with_default(IMAGES, [None, None, None, 2]), 2, 3,
                               strides=2)
    yield api.conv3d_transpose(tf.constant(VOLUMES), 2, 3, strides=(2, 1, 2), padding='same')


def pooling_and_flatten(api):
    images, sequences = tf.constant(IMAGES), tf.constant(SEQUENCES)
    yield api.max_pooling2d(images, 2, 2)
    yield api.max_pooling2d(images, [3, 2], [2, 1], padding='SAME')
    yield api.average_pooling2d(images, 2, 2, padding='same')
    yield api.max_pooling1d(sequences, 2, 2)
    yield api.average_pooling1d(sequences, 3, 1, padding='same')
    yield api.max_pooling3d(tf.constant(VOLUMES), 2, 2)
    yield api.average_pooling3d(tf.constant(VOLUMES), [3, 2, 2], 1, padding='same')
    # channels_first volumes: transposed around the pooling, on any CPU, as TF 1.x did
    volumes = tf.transpose(tf.constant(VOLUMES), [0, 4, 1, 2, 3])
    yield api.max_pooling3d(volumes, 2, 2, data_format='channels_first')
    yield api.average_pooling3d(volumes, 2, 1, padding='same', data_format='channels_first')
    yield api.flatten(images)
    yield api.flatten(tf.transpose(images, [0, 3, 1, 2]), data_format='channels_first')
    yield api.flatten(tf.placeholder_with_default(IMAGES, [None, None, None, 2]))


def channels_first(api):
    """The NCHW layouts, which a CPU runs only with oneDNN's kernels (see
    cpu_runs_nchw)."""
    images = tf.transpose(tf.constant(IMAGES), [0, 3, 1, 2])
    yield api.conv2d(images, 3, 2, data_format='channels_first')
    yield api.separable_conv2d(images, 3, 2, data_format='channels_first')
    yield api.conv2d_transpose(images, 3, 2, strides=2, data_format='channels_first')
    yield api.max_pooling2d(images, 2, 2, data_format='channels_first')


@functools.lru_cache(None)
def cpu_runs_nchw():
    """Whether TensorFlow can run a channels-first convolution here. Its own kernels take
    NHWC only; oneDNN's take both, and TensorFlow turns oneDNN on by default only on some
    CPUs (Intel's with AVX512-VNNI and newer; TF_ENABLE_ONEDNN_OPTS=1 forces it). TF 1.x
    was the same: NCHW was for GPUs."""
    with tf.Graph().as_default(), tf.Session() as session:
        convolution = tf.nn.conv2d(tf.zeros([1, 1, 4, 4]), tf.zeros([2, 2, 1, 1]),
                                   [1, 1, 1, 1], 'VALID', data_format='NCHW')
        try:
            session.run(convolution)
            return True
        except tf.errors.UnimplementedError:
            return False


def dropout_not_training(api):
    x = tf.constant(VECTORS)
    yield api.dropout(x, 0.4)
    yield api.dropout(x, 0.4, training=False, name='off')
    yield api.dropout(x, 0.4, training=tf.placeholder_with_default(False, []))
    yield api.dropout(x, 0.4, training=np.bool_(False))


@pytest.mark.parametrize('model', [dense_naming_and_reuse, dense_regularizers, convolutions,
                                   separable_convolutions, transposed_convolutions,
                                   pooling_and_flatten, dropout_not_training])
def test_same_variables_names_and_outputs_as_tf1(model, oracle):
    assert_same_as_oracle(model, oracle)


def test_channels_first_layers_same_as_tf1(oracle):
    if not cpu_runs_nchw():
        pytest.skip('no NCHW convolution on this CPU: TensorFlow has not turned oneDNN on '
                    'here (TF_ENABLE_ONEDNN_OPTS=1 would)')
    assert_same_as_oracle(channels_first, oracle)


def test_dense_naming_follows_tf1():
    built = build_and_run(dense_naming_and_reuse, layers)
    assert built.collections[tf.GraphKeys.GLOBAL_VARIABLES] == [
        'dense/kernel:0', 'dense/bias:0', 'dense_1/kernel:0', 'dense_1/bias:0',
        'fc1/kernel:0', 'fc1/bias:0', 'model/dense/kernel:0', 'model/dense/bias:0',
        'auto/shared/kernel:0', 'auto/shared/bias:0', 'dense_2/kernel:0',
        'per_step/kernel:0', 'per_step/bias:0']
    assert 'dense_2/kernel:0' not in built.collections[tf.GraphKeys.TRAINABLE_VARIABLES]
    assert built.output_names[:4] == ['dense/BiasAdd:0', 'dense_1/BiasAdd:0', 'fc1/Relu:0',
                                      'fc1_1/Relu:0']


def test_regularization_losses_have_tf1_values():
    built = build_and_run(dense_regularizers, layers)
    kernel, bias = built.values['dense/kernel:0'], built.values['dense/bias:0']
    output = built.outputs[0]
    losses = built.outputs[3:]
    assert built.output_names[3:5] == ['dense/kernel/Regularizer/l2_regularizer:0',
                                       'dense/bias/Regularizer/l1_regularizer:0']
    np.testing.assert_allclose(losses[0], 0.1 * np.sum(kernel ** 2) / 2, rtol=1e-5)
    np.testing.assert_allclose(losses[1], 0.2 * np.sum(np.abs(bias)), rtol=1e-5)
    # The activity penalty is divided by the batch size, as in TF 1.x's last releases.
    np.testing.assert_allclose(losses[2], 0.3 * np.sum(output ** 2) / 2 / len(output),
                               rtol=1e-5)
    assert len(losses) == 4  # the reused layer's kernel counted once


def test_a_name_used_twice_needs_reuse():
    with tf.Graph().as_default():
        x = tf.constant(VECTORS)
        layers.dense(x, 3, name='fc')
        with pytest.raises(ValueError, match='fc/kernel already exists'):
            layers.dense(x, 3, name='fc')


def test_an_enclosing_scope_initializer_applies_to_kernels():
    with tf.Graph().as_default():
        with tf.variable_scope('scope', initializer=tf.constant_initializer(0.5)):
            layers.dense(tf.constant(VECTORS), 2)
        with tf.Session() as session:
            session.run(tf.global_variables_initializer())
            kernel, bias = session.run(tf.global_variables())
    assert np.all(kernel == 0.5) and np.all(bias == 0.0)  # bias_initializer is explicit


def test_layer_objects_share_their_variables():
    with tf.Graph().as_default():
        layer = layers.Dense(3, name='shared')
        first, second = layer(tf.constant(VECTORS)), layer.apply(tf.constant(VECTORS))
        assert [v.name for v in tf.global_variables()] == ['shared/kernel:0', 'shared/bias:0']
        assert layer.variables == [layer.kernel, layer.bias] == layer.trainable_variables
        with tf.Session() as session:
            session.run(tf.global_variables_initializer())
            np.testing.assert_array_equal(*session.run([first, second]))


def test_a_layer_subclass_is_named_and_scoped_as_in_tf1():
    """Scripts subclass tf.layers.Layer: build() adds weights, call() uses them."""
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        from tensorflow.python.keras.legacy_tf_layers import base

    def model(layer_base):
        class ScaleAndShift(layer_base):
            def build(self, input_shape):
                self.scale = self.add_weight('scale', [input_shape[-1]],
                                             initializer=tf.constant_initializer(2.0))
                self.shift = self.add_weight('shift', [], trainable=False,
                                             initializer=tf.ones_initializer())

            def call(self, inputs, negate=False):
                outputs = inputs * self.scale + self.shift
                return -outputs if negate else outputs
        x = tf.constant(VECTORS)
        layer = ScaleAndShift()
        return [layer(x), layer(x, True), ScaleAndShift(name='other')(x)]

    assert_same_as_oracle(model, base.Layer, layers.Layer)


# Dropout

def test_dropout_scales_the_kept_units_and_drops_about_rate():
    with tf.Graph().as_default():
        ones = tf.ones([200, 500])
        training = tf.placeholder(tf.bool, [])
        dropped = layers.dropout(ones, rate=0.3, training=training, seed=1)
        kept_whole_rows = layers.dropout(ones, rate=0.5, noise_shape=[None, 1], training=True)
        with tf.Session() as session:
            values = session.run(dropped, {training: True})
            np.testing.assert_array_equal(session.run(dropped, {training: False}), 1.0)
            rows = session.run(kept_whole_rows)
    assert set(np.unique(values)) == {0.0, np.float32(1 / 0.7)}
    assert abs(np.mean(values == 0) - 0.3) < 0.01
    assert all(len(set(row)) == 1 for row in rows)


# Batch normalization, against its formulas

def run_batch_norm(inputs, layer_kwargs, steps, training_feed=True):
    """Build tf.layers.batch_normalization(training=<placeholder>) on `inputs`, run the
    output and UPDATE_OPS `steps` times feeding training_feed; return the last output,
    the variables' values and the graph's collections."""
    with tf.Graph().as_default() as graph:
        training = tf.placeholder(tf.bool, [])
        outputs = layers.batch_normalization(tf.constant(inputs), training=training,
                                             **layer_kwargs)
        updates = tf.get_collection(tf.GraphKeys.UPDATE_OPS)
        with tf.Session() as session:
            session.run(tf.global_variables_initializer())
            for _ in range(steps):
                result, _ = session.run([outputs, updates], {training: training_feed})
            values = {v.op.name: session.run(v) for v in tf.global_variables()}
        names = {key: [v.op.name for v in graph.get_collection(key)] for key in COLLECTIONS}
    return result, values, names


@pytest.mark.parametrize('inputs, axis, ddof', [
    (VECTORS, -1, 0),                          # moments: the biased batch variance
    (IMAGES, -1, 1),                           # TF 1.x's fused kernel: the unbiased one
    (np.transpose(IMAGES, [0, 3, 1, 2]), 1, 1),  # fused, channels first
    (SEQUENCES, 1, 0),                         # moments over axes 0 and 2
])
def test_batch_norm_training_normalizes_and_moves_the_averages(inputs, axis, ddof):
    outputs, values, names = run_batch_norm(inputs, {'axis': axis, 'momentum': 0.9}, steps=2)
    assert names[tf.GraphKeys.GLOBAL_VARIABLES] == [
        'batch_normalization/gamma', 'batch_normalization/beta',
        'batch_normalization/moving_mean', 'batch_normalization/moving_variance']
    assert names[tf.GraphKeys.TRAINABLE_VARIABLES] == names[tf.GraphKeys.GLOBAL_VARIABLES][:2]
    assert len(names[tf.GraphKeys.UPDATE_OPS]) == 2
    channels_last = np.moveaxis(inputs, axis, -1).reshape(-1, inputs.shape[axis])
    mean, variance = channels_last.mean(0), channels_last.var(0)
    expected = (np.moveaxis(inputs, axis, -1) - mean) / np.sqrt(variance + 1e-3)
    np.testing.assert_allclose(outputs, np.moveaxis(expected, -1, axis), atol=1e-5)
    # Two steps from 0 and 1 with momentum 0.9: 0.19 of the way to the batch's values.
    np.testing.assert_allclose(values['batch_normalization/moving_mean'], 0.19 * mean,
                               atol=1e-6)
    np.testing.assert_allclose(values['batch_normalization/moving_variance'],
                               0.81 + 0.19 * channels_last.var(0, ddof=ddof), rtol=1e-5)


@pytest.mark.parametrize('inputs', [VECTORS, IMAGES])
def test_batch_norm_inference_uses_the_moving_averages_and_keeps_them(inputs):
    kwargs = {'moving_mean_initializer': tf.constant_initializer(0.5),
              'moving_variance_initializer': tf.constant_initializer(4.0),
              'gamma_initializer': tf.constant_initializer(2.0),
              'beta_initializer': tf.constant_initializer(-1.0)}
    outputs, values, _ = run_batch_norm(inputs, kwargs, steps=2, training_feed=False)
    np.testing.assert_allclose(outputs, 2.0 * (inputs - 0.5) / np.sqrt(4.0 + 1e-3) - 1.0,
                               rtol=1e-5, atol=1e-5)
    assert np.all(values['batch_normalization/moving_mean'] == 0.5)
    assert np.all(values['batch_normalization/moving_variance'] == 4.0)


def test_batch_norm_update_ops_only_when_training_may_be_true():
    with tf.Graph().as_default():
        x = tf.constant(IMAGES)
        layers.batch_normalization(x, training=False)
        assert tf.get_collection(tf.GraphKeys.UPDATE_OPS) == []
        layers.batch_normalization(x, training=True, name='bn', center=False, scale=False)
        assert len(tf.get_collection(tf.GraphKeys.UPDATE_OPS)) == 2
        layers.batch_normalization(x, training=False, name='bn', reuse=True, center=False,
                                   scale=False)
        assert [v.op.name for v in tf.global_variables()][-2:] == [
            'bn/moving_mean', 'bn/moving_variance']
        assert len(tf.global_variables()) == 6  # shared: none created by the last layer


# tf.contrib.layers

def contrib_model(inputs, training):
    images = tf.reshape(inputs, [-1, 9, 9, 2])
    hidden = contrib_layers.conv2d(images, 4, [3, 3])
    hidden = contrib_layers.max_pool2d(hidden, [2, 2])
    hidden = contrib_layers.flatten(hidden)
    hidden = contrib_layers.fully_connected(
        hidden, 6, weights_regularizer=contrib_layers.l2_regularizer(0.01))
    hidden = contrib_layers.dropout(hidden, keep_prob=0.5, is_training=training)
    return contrib_layers.fully_connected(hidden, 3, activation_fn=None, scope='logits')


def test_contrib_layers_names_defaults_and_outputs():
    with tf.Graph().as_default():
        inputs = tf.constant(IMAGES)
        logits = contrib_model(inputs, training=False)
        assert [v.op.name for v in tf.model_variables()] == [
            'Conv/weights', 'Conv/biases', 'fully_connected/weights', 'fully_connected/biases',
            'logits/weights', 'logits/biases']
        assert tf.trainable_variables() == tf.global_variables() == tf.model_variables()
        assert [t.op.name for t in tf.losses.get_regularization_losses()] == [
            'fully_connected/kernel/Regularizer/l2_regularizer']
        # The same network in plain ops, with the same variables: ReLUs, SAME padding,
        # 2×2 pooling with stride 2, no dropout when not training.
        conv_w, conv_b, fc_w, fc_b, logits_w, logits_b = tf.global_variables()
        hidden = tf.nn.relu(tf.nn.conv2d(inputs, conv_w, 1, 'SAME') + conv_b)
        hidden = tf.reshape(tf.nn.max_pool(hidden, 2, 2, 'VALID'), [4, -1])
        expected = tf.matmul(tf.nn.relu(tf.matmul(hidden, fc_w) + fc_b), logits_w) + logits_b
        with tf.Session() as session:
            session.run(tf.global_variables_initializer())
            got, want, penalty, weights = session.run(
                [logits, expected, tf.losses.get_regularization_loss(), fc_w])
    np.testing.assert_allclose(got, want, rtol=1e-6, atol=1e-6)
    np.testing.assert_allclose(penalty, 0.01 * np.sum(weights ** 2) / 2, rtol=1e-5)


def test_contrib_scope_reuse_and_collections():
    with tf.Graph().as_default():
        x = tf.constant(VECTORS)
        first = contrib_layers.fully_connected(x, 3, scope='fc', variables_collections=['mine'],
                                               outputs_collections='outputs')
        second = contrib_layers.fully_connected(x, 3, scope='fc', reuse=True)
        contrib_layers.fully_connected(x, 3)
        contrib_layers.fully_connected(x, 3)
        assert [v.op.name for v in tf.global_variables()] == [
            'fc/weights', 'fc/biases', 'fully_connected/weights', 'fully_connected/biases',
            'fully_connected_1/weights', 'fully_connected_1/biases']
        assert [v.op.name for v in tf.get_collection('mine')] == ['fc/weights', 'fc/biases']
        assert tf.get_collection('outputs') == [first] and first.aliases == ['fc']
        with tf.Session() as session:
            session.run(tf.global_variables_initializer())
            np.testing.assert_array_equal(*session.run([first, second]))


def test_contrib_default_initializer_is_xavier_uniform():
    with tf.Graph().as_default():
        contrib_layers.fully_connected(tf.zeros([1, 300]), 200)
        contrib_layers.conv2d(tf.zeros([1, 8, 8, 16]), 32, 5)
        with tf.Session() as session:
            session.run(tf.global_variables_initializer())
            dense, conv = session.run([v for v in tf.global_variables()
                                       if v.op.name.endswith('weights')])
    for weights, fan_in, fan_out in ((dense, 300, 200), (conv, 5 * 5 * 16, 5 * 5 * 32)):
        limit = np.sqrt(6.0 / (fan_in + fan_out))
        # The bound as float32 holds it: a draw next to it rounds to it (unseeded: it did).
        assert np.abs(weights).max() <= np.float32(limit)
        assert abs(weights.std() - limit / np.sqrt(3)) < 0.05 * limit


def test_contrib_dropout_with_a_keep_prob_placeholder():
    with tf.Graph().as_default():
        keep_prob = tf.placeholder(tf.float32, [])
        dropped = contrib_layers.dropout(tf.ones([100, 100]), keep_prob)
        with tf.Session() as session:
            np.testing.assert_array_equal(session.run(dropped, {keep_prob: 1.0}), 1.0)
            values = session.run(dropped, {keep_prob: 0.25})
    assert set(np.unique(values)) == {0.0, 4.0}
    assert abs(np.mean(values == 0) - 0.75) < 0.03


@pytest.mark.parametrize('updates_collections', [tf.GraphKeys.UPDATE_OPS, None])
def test_contrib_batch_norm_as_normalizer(updates_collections):
    """fully_connected(normalizer_fn=batch_norm): no biases; TF 1.x's 2-D route: fused
    (the unbiased batch variance feeds the moving variance), decay 0.999, no gamma."""
    with tf.Graph().as_default():
        training = tf.placeholder(tf.bool, [])
        normalizer_params = {'is_training': training, 'updates_collections': updates_collections}
        outputs = contrib_layers.fully_connected(
            tf.constant(VECTORS), 5, activation_fn=None, normalizer_fn=contrib_layers.batch_norm,
            normalizer_params=normalizer_params)
        assert [v.op.name for v in tf.global_variables()] == [
            'fully_connected/weights', 'fully_connected/BatchNorm/beta',
            'fully_connected/BatchNorm/moving_mean', 'fully_connected/BatchNorm/moving_variance']
        assert len(tf.get_collection(tf.GraphKeys.UPDATE_OPS)) == (2 if updates_collections
                                                                   else 0)
        with tf.Session() as session:
            session.run(tf.global_variables_initializer())
            weights = session.run(tf.global_variables()[0])
            session.run([outputs, tf.get_collection(tf.GraphKeys.UPDATE_OPS)], {training: True})
            moving_mean, moving_variance = session.run(tf.global_variables()[2:])
            inference = session.run(outputs, {training: False})
    preactivation = VECTORS @ weights
    np.testing.assert_allclose(moving_mean, 0.001 * preactivation.mean(0), atol=1e-6)
    np.testing.assert_allclose(moving_variance, 0.999 + 0.001 * preactivation.var(0, ddof=1),
                               rtol=1e-6)
    np.testing.assert_allclose(inference, (preactivation - moving_mean)
                               / np.sqrt(moving_variance + 0.001), rtol=1e-4, atol=1e-5)


def test_contrib_batch_norm_on_images_takes_the_tf_layers_route():
    with tf.Graph().as_default():
        contrib_layers.batch_norm(tf.constant(IMAGES), scale=True,
                                  param_regularizers={'gamma': contrib_layers.l2_regularizer(1.0)})
        assert [v.op.name for v in tf.global_variables()] == [
            'BatchNorm/gamma', 'BatchNorm/beta', 'BatchNorm/moving_mean',
            'BatchNorm/moving_variance']
        assert tf.model_variables() == tf.global_variables()
        assert len(tf.losses.get_regularization_losses()) == 1
        assert len(tf.get_collection(tf.GraphKeys.UPDATE_OPS)) == 2


def test_contrib_layer_norm_and_one_hot_encoding():
    with tf.Graph().as_default():
        normalized = contrib_layers.layer_norm(tf.constant(IMAGES))
        per_position = contrib_layers.layer_norm(tf.constant(SEQUENCES), begin_norm_axis=-1,
                                                 center=False, scope='ln')
        one_hot = contrib_layers.one_hot_encoding(tf.constant([0, 2]), 3)
        assert [v.op.name for v in tf.model_variables()] == [
            'LayerNorm/beta', 'LayerNorm/gamma', 'ln/gamma']
        assert tf.model_variables()[1].shape.as_list() == [2]
        with tf.Session() as session:
            session.run(tf.global_variables_initializer())
            normalized, per_position, one_hot = session.run(
                [normalized, per_position, one_hot])
    examples = IMAGES.reshape(4, -1)
    expected = (examples - examples.mean(1, keepdims=True)) / examples.std(1, keepdims=True)
    np.testing.assert_allclose(normalized.reshape(4, -1), expected, rtol=1e-4, atol=1e-5)
    expected = ((SEQUENCES - SEQUENCES.mean(-1, keepdims=True))
                / SEQUENCES.std(-1, keepdims=True))
    np.testing.assert_allclose(per_position, expected, rtol=1e-4, atol=1e-5)
    np.testing.assert_array_equal(one_hot, [[1, 0, 0], [0, 0, 1]])


def test_contrib_regularizers_and_initializers():
    with tf.Graph().as_default():
        weights = tf.constant([[1.0, -2.0], [3.0, -4.0]])
        l2 = contrib_layers.l2_regularizer(0.5)(weights)
        both = contrib_layers.sum_regularizer([contrib_layers.l1_regularizer(0.1),
                                               contrib_layers.l2_regularizer(0.5), None])(weights)
        applied = contrib_layers.apply_regularization(contrib_layers.l1_regularizer(1.0),
                                                      [weights, -weights])
        assert l2.op.name == 'l2_regularizer'
        assert tf.losses.get_regularization_losses() == [applied]
        assert contrib_layers.l2_regularizer(0.0)(weights) is None
        normal = contrib_layers.variance_scaling_initializer(seed=3)([400, 300])
        uniform = contrib_layers.xavier_initializer(seed=3)([400, 300])
        with tf.Session() as session:
            assert session.run([l2, both, applied]) == pytest.approx([7.5, 8.5, 20.0])
            normal, uniform = session.run([normal, uniform])
    assert abs(normal.std() - np.sqrt(2.0 / 400)) < 0.05 * np.sqrt(2.0 / 400)
    assert np.abs(uniform).max() <= np.sqrt(6.0 / 700)


def test_contrib_summaries():
    with tf.Graph().as_default():
        preactivation = tf.constant([[-1.0, 2.0, -3.0, 4.0]])
        relu = tf.nn.relu(preactivation, name='hidden')
        contrib_layers.summarize_activation(relu)
        contrib_layers.summarize_tensors([tf.reduce_sum(relu, name='total'), preactivation])
        with tf.Session() as session:
            summary = tf.Summary.FromString(session.run(tf.summary.merge_all()))
    values = {value.tag: value for value in summary.value}
    # A tensor's tag, as TF 1.15's: its op's name + '_summary'.
    assert sorted(values)[1:] == ['hidden/activation', 'hidden/zeros', 'total_summary']
    assert values['hidden/zeros'].simple_value == 0.5
    assert values['hidden/activation'].HasField('histo')
    assert values['total_summary'].simple_value == 6.0
    assert values[sorted(values)[0]].HasField('histo')  # the non-scalar tensor's


def test_contrib_summarize_collections():
    """summarize_activations summarizes what layers put in ACTIVATIONS, filtered by op name
    from its start; summarize_variables every global variable but those no summary takes."""
    with tf.Graph().as_default():
        inputs = tf.constant(VECTORS)
        for scope in ('fc1', 'fc2'):
            contrib_layers.fully_connected(inputs, 3, scope=scope,
                                           outputs_collections=tf.GraphKeys.ACTIVATIONS)
        tf.Variable(True, name='flag')
        assert contrib_layers.summarize_activations(name_filter='nothing') == []
        activations = contrib_layers.summarize_activations(name_filter='fc2')
        variables = contrib_layers.summarize_variables()
        assert len(activations) == 1  # the histogram; the ReLU's zeros only join SUMMARIES
        assert len(variables) == 5 and variables[-1] is None  # the bool variable: none
        with tf.Session() as session:
            session.run(tf.global_variables_initializer())
            summary = tf.Summary.FromString(session.run(tf.summary.merge_all()))
    assert sorted(value.tag for value in summary.value) == [
        'fc1/biases_summary', 'fc1/weights_summary', 'fc2/Relu/activation', 'fc2/Relu/zeros',
        'fc2/biases_summary', 'fc2/weights_summary']


def test_contrib_repeat_and_stack():
    """TF 1.x's scopes: <scope>/<scope>_1 ..., or Repeat/Stack with the layer function's
    name (a partial's function's) when no scope is given."""
    with tf.Graph().as_default():
        inputs = tf.constant(VECTORS)
        repeated = contrib_layers.repeat(inputs, 2, contrib_layers.fully_connected, 8,
                                         scope='fc')
        stacked = contrib_layers.stack(inputs, contrib_layers.linear, [5, (6,)])
        images = contrib_layers.repeat(tf.constant(IMAGES), 2, contrib_layers.conv2d, 3, [3, 3])
        with pytest.raises(ValueError, match='stack_args need to be a list or tuple'):
            contrib_layers.stack(inputs, contrib_layers.linear, 5)
        shapes = {v.op.name: v.shape.as_list() for v in tf.global_variables()}
        with tf.Session() as session:
            session.run(tf.global_variables_initializer())
            values = session.run({name: name + ':0' for name in shapes})
            repeated, stacked = session.run([repeated, stacked])
    assert shapes == {
        'fc/fc_1/weights': [8, 8], 'fc/fc_1/biases': [8],
        'fc/fc_2/weights': [8, 8], 'fc/fc_2/biases': [8],
        'Stack/fully_connected_1/weights': [8, 5], 'Stack/fully_connected_1/biases': [5],
        'Stack/fully_connected_2/weights': [5, 6], 'Stack/fully_connected_2/biases': [6],
        'Repeat/convolution2d_1/weights': [3, 3, 2, 3], 'Repeat/convolution2d_1/biases': [3],
        'Repeat/convolution2d_2/weights': [3, 3, 3, 3], 'Repeat/convolution2d_2/biases': [3]}
    assert images.shape.as_list() == [4, 9, 9, 3]

    def dense(x, prefix, relu):
        outputs = x @ values[prefix + '/weights'] + values[prefix + '/biases']
        return np.maximum(outputs, 0) if relu else outputs
    np.testing.assert_allclose(
        repeated, dense(dense(VECTORS, 'fc/fc_1', True), 'fc/fc_2', True), rtol=1e-5,
        atol=1e-6)  # float32 rounding: a near-zero value once differed by 5e-9
    np.testing.assert_allclose(
        stacked, dense(dense(VECTORS, 'Stack/fully_connected_1', False),
                       'Stack/fully_connected_2', False), rtol=1e-5, atol=1e-6)


# A TF 1.x-style network: trains, and its checkpoint restores into a rebuilt graph

def digit_classifier(images, training):
    """A small CNN in the style of TF 1.x's layers tutorial, with batch norm and dropout."""
    hidden = tf.reshape(images, [-1, 28, 28, 1])
    hidden = layers.conv2d(hidden, 8, [5, 5], padding='same', activation=tf.nn.relu)
    hidden = layers.max_pooling2d(hidden, pool_size=[2, 2], strides=2)
    hidden = layers.batch_normalization(hidden, momentum=0.9, training=training)
    hidden = layers.dense(layers.flatten(hidden), 32, activation=tf.nn.relu)
    hidden = layers.dropout(hidden, rate=0.2, training=training)
    return layers.dense(hidden, 10, name='logits')


def test_a_tf1_style_network_trains_and_restores(tmp_path):
    train_images, train_labels = synthetic_digits(500, seed=0)
    test_images, test_labels = synthetic_digits(200, seed=1)
    flat = lambda images: images.reshape(len(images), -1).astype(np.float32) / 255.0
    checkpoint = str(tmp_path / 'model.ckpt')
    with tf.Graph().as_default():
        tf.set_random_seed(0)
        images, labels = tf.placeholder(tf.float32, [None, 784]), tf.placeholder(tf.int64, [None])
        training = tf.placeholder_with_default(False, [])
        logits = digit_classifier(images, training)
        loss = tf.losses.sparse_softmax_cross_entropy(labels, logits)
        with tf.control_dependencies(tf.get_collection(tf.GraphKeys.UPDATE_OPS)):
            train_op = tf.train.AdamOptimizer(0.01).minimize(loss)
        with tf.Session() as session:
            session.run(tf.global_variables_initializer())
            for step in range(60):
                batch = slice(step * 50 % 500, step * 50 % 500 + 50)
                session.run(train_op, {images: flat(train_images[batch]),
                                       labels: train_labels[batch], training: True})
            predictions = session.run(logits, {images: flat(test_images)})
            tf.train.Saver().save(session, checkpoint)
    assert np.mean(predictions.argmax(1) == test_labels) > 0.9
    with tf.Graph().as_default():
        images = tf.placeholder(tf.float32, [None, 784])
        logits = digit_classifier(images, False)
        with tf.Session() as session:
            tf.train.Saver().restore(session, checkpoint)
            np.testing.assert_allclose(session.run(logits, {images: flat(test_images)}),
                                       predictions, rtol=1e-5, atol=1e-5)


# Bad arguments: one clear line each

@pytest.mark.parametrize('call, message', [
    (lambda x, images: layers.conv2d(images, 4, 3, padding='full'),
     "conv2d: padding must be 'valid'"),
    (lambda x, images: layers.conv2d(images, 4, (3,)), 'kernel_size must be a positive int'),
    (lambda x, images: layers.conv2d(images, 4, 3, data_format='NHWC'),
     "data_format must be 'channels_last'"),
    (lambda x, images: layers.conv2d(x, 4, 3), 'conv2d needs inputs of rank 4'),
    (lambda x, images: layers.max_pooling2d(images, 2, None), 'needs strides'),
    (lambda x, images: layers.dense(x, 0), 'units must be a positive int'),
    (lambda x, images: layers.dense(tf.placeholder(tf.float32, [None, None]), 3),
     'last dimension of its inputs defined'),
    (lambda x, images: layers.dense(x, 3, activation='relu2'),
     'dense: Unknown activation function:relu2'),
    (lambda x, images: layers.dense(x, 3, activation=3), 'activation must be a function'),
    (lambda x, images: layers.dropout(x, 1.5), 'dropout: rate must be in [0, 1)'),
    (lambda x, images: layers.dropout(x, training='yes'), 'training must be a Python bool'),
    (lambda x, images: layers.batch_normalization(x, renorm=True, renorm_clipping={'r': 1}),
     'contains keys not in'),
    (lambda x, images: layers.batch_normalization(x, axis=3), 'axis [3] is not an axis'),
    (lambda x, images: contrib_layers.fully_connected(x, 2.5), 'num_outputs must be an int'),
    (lambda x, images: contrib_layers.conv2d(x, 4, 3), 'Convolution expects input with rank 4'),
    (lambda x, images: contrib_layers.max_pool2d(images, 2, data_format='NWHC'),
     'data_format has to be either NCHW or NHWC'),
    (lambda x, images: contrib_layers.layer_norm(x, begin_norm_axis=2), 'must be < rank'),
    (lambda x, images: contrib_layers.l2_regularizer(1), 'scale must be a float'),
    (lambda x, images: contrib_layers.l1_regularizer(-0.1), 'scale must not be negative'),
    (lambda x, images: contrib_layers.variance_scaling_initializer(mode='fan_in'), 'mode must'),
])
def test_bad_arguments_give_one_clear_line(call, message):
    with tf.Graph().as_default():
        with pytest.raises((ValueError, TypeError)) as error:
            call(tf.constant(VECTORS), tf.constant(IMAGES))
    assert message in str(error.value)
    assert len(str(error.value).splitlines()) == 1


def test_a_custom_getter_may_return_a_tensor_which_the_layer_uses():
    """Spectral normalisation (TF-GAN's SN-GAN getter) returns the normalised kernel, a
    tensor: the layer uses it, untracked, as TF 1.15's layers did."""
    def halved(getter, name, *args, **kwargs):
        variable = getter(name, *args, **kwargs)
        return variable * 0.5 if name.endswith(('kernel', 'weights')) else variable

    with tf.Graph().as_default():
        x = tf.ones([2, 4])
        with tf.variable_scope('sn', custom_getter=halved):
            dense = layers.Dense(3, kernel_initializer=tf.ones_initializer())
            y = dense(x)
            z = contrib_layers.fully_connected(x, 3, weights_initializer=tf.ones_initializer())
        assert isinstance(dense.kernel, tf.Tensor)
        assert len(tf.trainable_variables()) == 4  # the real kernels and biases
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            np.testing.assert_allclose(sess.run([y, z]), np.full([2, 2, 3], 2.0))


def test_functional_layers_work_in_functions_autograph_converts():
    """TF 2.x's tf.map_fn converts its fn with AutoGraph even in a graph; tf1's functional
    layers (built from their locals()) are left unconverted, as TensorFlow's own are."""
    restored_internals.install()  # as the runner does
    with tf.Graph().as_default():
        out = tf.map_fn(lambda x: layers.dense(x, 3, name='d', reuse=tf.AUTO_REUSE),
                        tf.zeros([2, 1, 4]), back_prop=False)
        assert out.shape.as_list() == [2, 1, 3]
        assert [v.name for v in tf.global_variables()] == ['d/kernel:0', 'd/bias:0']


@pytest.mark.parametrize('training', [False, True])
def test_batch_norm_statistics_are_never_partitioned(training):
    # TF 1.x's BatchNormalization turned the scope's partitioner off for the moving
    # statistics (the canned DNNs set one): checkpoints name them .../moving_mean.
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, [None, 4])
        partitioner = tf.min_max_variable_partitioner(max_partitions=2, min_slice_size=1)
        with tf.variable_scope('dnn', partitioner=partitioner) as scope:
            net = layers.batch_normalization(layers.dense(x, 8), training=training)
        assert scope.partitioner is partitioner  # given back afterwards
        names = {v.op.name for v in tf.global_variables()}
        assert {'dnn/batch_normalization/moving_mean',
                'dnn/batch_normalization/moving_variance',
                'dnn/batch_normalization/gamma/part_0'} <= names
        with tf.Session() as session:
            session.run(tf.global_variables_initializer())
            assert session.run(net, {x: np.ones((2, 4), np.float32)}).shape == (2, 8)


def test_activations_by_keras_name_as_tf1_15s_keras_layers_took_them():
    # TF 1.x's tf.layers were Keras layers: activation='relu' was Keras's relu
    # (tensorflow/tpu's mnist_tpu.py builds its model so).
    x_value = np.linspace(-3, 3, 24, dtype=np.float32).reshape(2, 3, 4)
    expected = {
        'relu': np.maximum(x_value, 0), 'tanh': np.tanh(x_value), 'linear': x_value,
        'sigmoid': 1 / (1 + np.exp(-x_value)), 'exponential': np.exp(x_value),
        'hard_sigmoid': np.clip(0.2 * x_value + 0.5, 0, 1),
        'softplus': np.log1p(np.exp(x_value)), 'softsign': x_value / (1 + np.abs(x_value)),
        'elu': np.where(x_value > 0, x_value, np.expm1(x_value)),
        'softmax': np.exp(x_value) / np.exp(x_value).sum(axis=-1, keepdims=True),
    }
    identity = tf.constant_initializer(np.eye(4, dtype=np.float32))
    with tf.Graph().as_default():
        x = tf.constant(x_value)
        outputs = {name: layers.dense(x, 4, activation=name, kernel_initializer=identity,
                                      name=name)
                   for name in expected}
        images = tf.placeholder(tf.float32, [None, 8, 8, 1])
        conv = layers.Conv2D(filters=4, kernel_size=3, padding='same', activation='relu')
        assert conv.activation is tf.nn.relu
        assert conv(images).op.type == 'Relu'
        with tf.Session() as session:
            session.run(tf.global_variables_initializer())
            for name, value in session.run(outputs).items():
                np.testing.assert_allclose(value, expected[name], rtol=1e-5, atol=1e-6,
                                           err_msg=name)
