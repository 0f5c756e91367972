"""tf1's last contrib.layers functions (TF 1.15's): spatial_softmax against its definition in
NumPy, conv2d_in_plane against a per-channel 2-D convolution, dense_to_sparse,
scale_gradient's forward and backward values, embedding_lookup_unique against
embedding_lookup, contrib.framework's zero_initializer; TF 1.x's scopes and variable names."""
import numpy as np
import pytest
import tensorflow.compat.v1 as tf

from tf1.api import tensorflow as tf1_api

tf.disable_v2_behavior()
pytestmark = pytest.mark.usefixtures('fresh_graph')  # conftest.py

RNG = np.random.RandomState(0)
layers = tf1_api.contrib.layers


def softmax(x):
    e = np.exp(x - x.max(-1, keepdims=True))
    return e / e.sum(-1, keepdims=True)


def test_spatial_softmax_is_the_expected_position_of_each_channel(evaluate):
    features = RNG.randn(2, 3, 5, 4).astype(np.float32)  # NHWC: height 3, width 5
    keypoints = layers.spatial_softmax(features, temperature=0.5)
    nchw = layers.spatial_softmax(features.transpose(0, 3, 1, 2), temperature=0.5,
                                  data_format='NCHW')
    assert [v.op.name for v in tf.model_variables()] == [
        'spatial_softmax/temperature', 'spatial_softmax_1/temperature']
    got, got_nchw = evaluate(keypoints, nchw)
    rows, cols = np.meshgrid(np.linspace(-1, 1, 3), np.linspace(-1, 1, 5), indexing='ij')
    expected = np.zeros((2, 8))
    for b in range(2):
        for c in range(4):
            attention = softmax(features[b, :, :, c].ravel() / 0.5)
            expected[b, 2 * c] = attention @ rows.ravel()      # x: the row coordinate
            expected[b, 2 * c + 1] = attention @ cols.ravel()  # y: the column coordinate
    np.testing.assert_allclose(got, expected, atol=1e-5)
    np.testing.assert_allclose(got_nchw, expected, atol=1e-5)
    assert keypoints.shape.as_list() == [2, 8]
    with pytest.raises(ValueError, match='either NCHW or NHWC'):
        layers.spatial_softmax(features, data_format='HWC')


def test_conv2d_in_plane_convolves_every_channel_with_one_kernel(evaluate):
    images = RNG.randn(2, 6, 5, 3).astype(np.float32)
    kernel = np.array([[1.], [-1.]], np.float32)  # vertical image gradient, as TF 1.x's doc
    gradients = layers.conv2d_in_plane(
        images, kernel_size=[2, 1], activation_fn=None, padding='VALID',
        weights_initializer=tf.constant_initializer(kernel))
    assert [v.op.name for v in tf.model_variables()] == ['ConvInPlane/weights',
                                                        'ConvInPlane/biases']
    assert tf.model_variables()[0].shape.as_list() == [2, 1, 1, 1]
    got, = evaluate(gradients)
    np.testing.assert_allclose(got, images[:, :-1] - images[:, 1:], atol=1e-6)


def test_dense_to_sparse_keeps_all_but_the_end_token(evaluate):
    labels = np.array([[3, 1, 4, 0, 0], [5, 0, 9, 2, 6]], np.int32)
    sparse = layers.dense_to_sparse(labels, eos_token=0)
    got, = evaluate(sparse)
    np.testing.assert_array_equal(got.indices, np.argwhere(labels != 0))
    np.testing.assert_array_equal(got.values, labels[labels != 0])
    np.testing.assert_array_equal(got.dense_shape, [2, 5])


def test_scale_gradient_is_the_identity_with_a_scaled_gradient(evaluate):
    x = tf.constant([1.0, -2.0, 3.0])
    y = layers.scale_gradient(x, -0.5)  # a gradient reversal, halved
    gradient, = tf.gradients(tf.reduce_sum(y * y), x)
    got, grad = evaluate(y, gradient)
    np.testing.assert_array_equal(got, [1.0, -2.0, 3.0])
    np.testing.assert_allclose(grad, -0.5 * 2 * np.array([1.0, -2.0, 3.0]))


def test_embedding_lookup_unique_is_embedding_lookup(evaluate):
    params = RNG.randn(7, 3).astype(np.float32)
    ids = np.array([[1, 4, 1], [6, 4, 4]], np.int64)
    embedded = tf1_api.contrib.layers.embedding_lookup_unique(tf.constant(params), ids)
    assert embedded.shape.as_list() == [2, 3, 3]
    got, = evaluate(embedded)
    np.testing.assert_array_equal(got, params[ids])


@pytest.mark.parametrize('use_resource', [False, True])
def test_contrib_framework_zero_initializer_zeroes_an_uninitialised_variable(use_resource):
    variable = tf.Variable(tf.ones([2, 3]), use_resource=use_resource)
    zero = tf1_api.contrib.framework.zero_initializer(variable)
    with tf.Session() as session:
        session.run(zero)
        np.testing.assert_array_equal(session.run(variable), np.zeros((2, 3)))
        # an initialised variable is refused, as TF 1.x's op did, and kept
        session.run(variable.initializer)
        with pytest.raises(tf.errors.InvalidArgumentError, match='input is already initialized'):
            session.run(zero)
        np.testing.assert_array_equal(session.run(variable), np.ones((2, 3)))
