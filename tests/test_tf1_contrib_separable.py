"""tf1's contrib.layers.separable_convolution2d and bias_add (TF 1.15's): TF 1.x's
variable names (a MobileNet checkpoint's `Conv2d_1_depthwise/depthwise_weights`), shapes
and collections, arg_scope, and outputs equal to tf.nn's separable and depthwise
convolutions on the same variables."""
import numpy as np
import pytest
import tensorflow.compat.v1 as tf

from tf1 import slim

tf.disable_v2_behavior()

IMAGES = np.random.RandomState(0).rand(2, 9, 9, 3).astype(np.float32)


pytestmark = pytest.mark.usefixtures('fresh_graph')  # conftest.py


def test_separable_convolution_is_depthwise_then_pointwise(evaluate):
    images = tf.constant(IMAGES)
    out = slim.separable_conv2d(images, 5, [3, 3], depth_multiplier=2, stride=2,
                                biases_initializer=tf.constant_initializer(0.1),
                                activation_fn=None, scope='sep')
    names = {v.op.name: v.shape.as_list() for v in tf.model_variables()}
    assert names == {'sep/depthwise_weights': [3, 3, 3, 2],
                     'sep/pointwise_weights': [1, 1, 6, 5], 'sep/biases': [5]}
    assert {v.op.name for v in tf.trainable_variables()} == set(names)
    depthwise, pointwise, biases = [tf.global_variables()[i] for i in range(3)]
    expected = tf.nn.separable_conv2d(images, depthwise, pointwise, [1, 2, 2, 1],
                                      'SAME') + biases
    got, want = evaluate(out, expected)
    assert got.shape == (2, 5, 5, 5)
    np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)


def test_without_num_outputs_it_is_the_depthwise_convolution_alone(evaluate):
    images = tf.constant(IMAGES)
    with slim.arg_scope([slim.separable_conv2d], depth_multiplier=2, padding='VALID'):
        out = slim.separable_conv2d(images, None, 3, activation_fn=tf.nn.relu,
                                    biases_initializer=tf.constant_initializer(-0.2))
    names = [v.op.name for v in tf.model_variables()]
    assert names == ['SeparableConv2d/depthwise_weights', 'SeparableConv2d/biases']
    depthwise, biases = tf.model_variables()
    expected = tf.nn.relu(tf.nn.depthwise_conv2d(images, depthwise, [1, 1, 1, 1], 'VALID')
                          + biases)
    got, want = evaluate(out, expected)
    assert got.shape == (2, 7, 7, 6)
    np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)


def test_a_normalizer_replaces_the_biases_and_collections_are_kept():
    out = slim.separable_conv2d(tf.constant(IMAGES), 4, 3, normalizer_fn=slim.batch_norm,
                                variables_collections={'weights': ['my_weights']},
                                outputs_collections='ends', scope='block')
    assert not [v for v in tf.global_variables() if 'biases' in v.op.name]
    assert [v.op.name for v in tf.get_collection('my_weights')] == [
        'block/depthwise_weights', 'block/pointwise_weights']
    assert tf.get_collection('ends')[0] is out
    with pytest.raises(ValueError, match='data_format has to be either NCHW or NHWC'):
        slim.separable_conv2d(tf.constant(IMAGES), 4, 3, data_format='NWC')


def test_bias_add_adds_one_bias_per_channel(evaluate):
    images = tf.constant(IMAGES)
    out = slim.bias_add(images, activation_fn=tf.nn.relu,
                        initializer=tf.constant_initializer([0.5, -1.0, 0.0]))
    assert [v.op.name for v in tf.model_variables()] == ['BiasAdd/biases']
    got, = evaluate(out)
    np.testing.assert_allclose(got, np.maximum(IMAGES + [0.5, -1.0, 0.0], 0), rtol=1e-6)
    with pytest.raises(ValueError, match='NCHW only supports 4D Tensor'):
        slim.bias_add(tf.zeros([2, 3]), data_format='NCHW')
    with pytest.raises(ValueError, match='`C` dimension must be known'):
        slim.bias_add(tf.placeholder(tf.float32, [None, None]))
