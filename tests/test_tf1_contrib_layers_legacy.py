"""tf1's contrib.layers options and layers that TF 1.15's own tests found missing: batch_norm
with zero_debias_moving_mean, batch_weights, renorm and adjustment (each route TF 1.x took),
TF 1.0's legacy_fully_connected, _inner_flatten, and the GDN layer, each against its
definition in NumPy; and `tensorflow.python.ops.variables.VariableV1`."""
import numpy as np
import pytest
import tensorflow.compat.v1 as tf

from tf1.api import tensorflow as tf1_api

tf.disable_v2_behavior()

RNG = np.random.RandomState(3)
IMAGES = RNG.rand(6, 3, 2, 4).astype(np.float32) * 2 + 1
layers = tf1_api.contrib.layers

pytestmark = pytest.mark.usefixtures('fresh_graph')  # conftest.py


def variable_values(session, prefix=''):
    return {v.op.name: value for v, value in zip(
        tf.global_variables(), session.run(tf.global_variables())) if v.op.name.startswith(prefix)}


@pytest.mark.parametrize('fused', [True, False])
def test_zero_debiased_moving_mean_is_the_batch_mean_after_one_update(fused):
    # Debiased, an exponential average of a constant is that constant from the first
    # update on; biased, it is (1 - decay) of it.
    outputs = layers.batch_norm(IMAGES, decay=0.9, zero_debias_moving_mean=True, fused=fused)
    plain = layers.batch_norm(IMAGES, decay=0.9, fused=fused, scope='plain')
    names = [v.op.name for v in tf.global_variables()]
    assert 'BatchNorm/BatchNorm/moving_mean/biased' in names
    assert 'BatchNorm/BatchNorm/moving_mean/local_step' in names
    # Model variables on the unfused route only, as TF 1.x made them.
    assert len(tf.model_variables()) == (3 if fused else 5) + 3
    with tf.Session() as session:
        session.run(tf.global_variables_initializer())
        session.run([outputs, plain] + tf.get_collection(tf.GraphKeys.UPDATE_OPS))
        values = variable_values(session)
    mean = IMAGES.mean(axis=(0, 1, 2))
    np.testing.assert_allclose(values['BatchNorm/moving_mean'], mean, rtol=1e-5)
    np.testing.assert_allclose(values['plain/moving_mean'], 0.1 * mean, rtol=1e-5)


def test_batch_weights_weigh_the_statistics():
    weights = np.array([1, 0, 2, 0, 1, 4], np.float32)
    outputs = layers.batch_norm(IMAGES, batch_weights=weights, decay=0.5, epsilon=1e-3)
    with tf.Session() as session:
        session.run(tf.global_variables_initializer())
        got, _ = session.run([outputs, tf.get_collection(tf.GraphKeys.UPDATE_OPS)])
        values = variable_values(session)
    w = weights.reshape(-1, 1, 1, 1) * np.ones_like(IMAGES)
    mean = (w * IMAGES).sum((0, 1, 2)) / w.sum((0, 1, 2))
    variance = (w * (IMAGES - mean) ** 2).sum((0, 1, 2)) / w.sum((0, 1, 2))
    np.testing.assert_allclose(got, (IMAGES - mean) / np.sqrt(variance + 1e-3), rtol=1e-4,
                               atol=1e-5)
    np.testing.assert_allclose(values['BatchNorm/moving_mean'], 0.5 * mean, rtol=1e-5)
    with pytest.raises(ValueError):  # one weight per example
        layers.batch_norm(IMAGES, batch_weights=weights[:4])


def test_renorm_and_adjustment_are_tf_layers_batch_normalization():
    clipping = {'rmax': 1.5, 'rmin': 0.5, 'dmax': 0.2}
    contrib = layers.batch_norm(IMAGES, decay=0.9, renorm=True, renorm_clipping=clipping,
                                renorm_decay=0.8, scale=True)
    core = tf1_api.layers.batch_normalization(IMAGES, momentum=0.9, renorm=True,
                                              renorm_clipping=clipping, renorm_momentum=0.8,
                                              epsilon=0.001, training=True, name='core')
    names = {v.op.name for v in tf.model_variables()}
    assert {'BatchNorm/gamma', 'BatchNorm/beta', 'BatchNorm/moving_mean',
            'BatchNorm/renorm_mean'} <= names
    adjusted = layers.batch_norm(IMAGES, adjustment=lambda shape: (
        tf.fill(shape[-1:], 2.0), tf.fill(shape[-1:], 0.5)), scope='adjusted')
    with tf.Session() as session:
        session.run(tf.global_variables_initializer())
        for _ in range(2):  # the renorm corrections move after the first step
            ours, theirs, moved = session.run(
                [contrib, core, adjusted] + [tf.get_collection(tf.GraphKeys.UPDATE_OPS)])[:3]
    np.testing.assert_allclose(ours, theirs, rtol=1e-5, atol=1e-6)
    plain = (IMAGES - IMAGES.mean((0, 1, 2))) / np.sqrt(IMAGES.var((0, 1, 2)) + 1e-3)
    np.testing.assert_allclose(moved, 2 * plain + 0.5, rtol=1e-4, atol=1e-5)
    with pytest.raises(ValueError, match='renorm is not supported with batch_weights, '
                                         'updates_collections or zero_debias_moving_mean'):
        layers.batch_norm(IMAGES, renorm=True, updates_collections=None, scope='again')


def test_legacy_fully_connected_is_tf_1_0s_layer(evaluate):
    x = RNG.randn(2, 3, 5).astype(np.float32)
    losses = []
    y = layers.legacy_relu(x, 4, weight_init=tf.constant_initializer(0.1),
                           bias_init=tf.constant_initializer(-0.2),
                           weight_regularizer=lambda w: losses.append(w) or tf.reduce_sum(w))
    linear = layers.legacy_linear(x[0], 2, bias_init=None, name='lin')
    names = sorted(v.op.name for v in tf.global_variables())
    assert names == ['fully_connected/bias', 'fully_connected/weights', 'lin/weights']
    assert [v.op.name for v in tf.get_collection(tf.GraphKeys.WEIGHTS)] == [
        'fully_connected/weights', 'lin/weights']
    assert tf.get_collection(tf.GraphKeys.ACTIVATIONS) == [y, linear]
    assert len(losses) == 1 and len(tf.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES)) == 1
    assert y.shape.as_list() == [2, 3, 4]
    got, _ = evaluate(y, linear)
    np.testing.assert_allclose(got, np.maximum(x @ np.full((5, 4), 0.1) - 0.2, 0), rtol=1e-5,
                               atol=1e-6)
    with pytest.raises(ValueError, match='rank of x must be at least 2 not: 1'):
        layers.legacy_fully_connected(tf.ones([3]), 2)


def test_inner_flatten_dense_and_sparse(evaluate):
    inner_flatten = tf1_api.contrib.layers.python.layers.layers._inner_flatten
    x = np.arange(2 * 3 * 4 * 5).reshape(2, 3, 4, 5)
    dense = inner_flatten(tf.constant(x), 3)
    assert dense.shape.as_list() == [2, 3, 20]
    sparse = inner_flatten(tf.SparseTensor([[0, 1, 2, 3]], [7], [2, 3, 4, 5]), 2)
    got, got_sparse = evaluate(dense, sparse)
    np.testing.assert_array_equal(got, x.reshape(2, 3, 20))
    assert list(got_sparse.dense_shape) == [2, 60] and got_sparse.indices.tolist() == [[0, 33]]


def test_gdn_divides_by_its_channel_pool():
    x = np.abs(RNG.randn(2, 3, 3, 4)).astype(np.float32) + 0.1
    outputs = layers.gdn(tf.constant(x))
    inverse = layers.gdn(tf.constant(x), inverse=True, name='igdn')
    assert sorted(v.op.name for v in tf.trainable_variables()) == [
        'gdn/reparam_beta', 'gdn/reparam_gamma', 'igdn/reparam_beta', 'igdn/reparam_gamma']
    graph = tf.get_default_graph()
    beta = graph.get_tensor_by_name('gdn/reparam_beta:0')
    bounded = graph.get_tensor_by_name('gdn/GDNLowerBound:0')
    # With beta below its bound, the gradient reaches it only where descending it would
    # raise beta (a negative gradient): channels 0 and 2 here, not 1 and 3.
    loss = tf.reduce_sum(outputs * [1.0, -1.0, 1.0, -1.0])
    through, = tf.gradients(loss, beta)
    above, = tf.gradients(loss, bounded)
    with tf.Session() as session:
        session.run(tf.global_variables_initializer())
        got, got_inverse = session.run([outputs, inverse])
        session.run(tf.assign(beta, tf.zeros([4])))
        got_through, got_above = session.run([through, above])
    pool = np.sqrt(1 + 0.1 * x ** 2)  # beta 1, gamma 0.1 · identity, to 2**-36
    np.testing.assert_allclose(got, x / pool, rtol=1e-5)
    np.testing.assert_allclose(got_inverse, x * pool, rtol=1e-5)
    assert list(np.sign(got_above)) == [-1, 1, -1, 1]
    np.testing.assert_array_equal(got_through, np.where(got_above < 0, got_above, 0))
    with pytest.raises(ValueError, match='Unsupported `data_format` for GDN layer: NHWC'):
        layers.gdn(tf.constant(x), data_format='NHWC')


def test_variables_module_keeps_tf_1_xs_names():
    variables = tf1_api.python.ops.variables
    v = variables.VariableV1(1.0)
    assert isinstance(v, tf.Variable) and variables.is_variable_initialized(v).dtype == tf.bool
