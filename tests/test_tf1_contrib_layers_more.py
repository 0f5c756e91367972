"""tf1's contrib.layers beyond the MNIST basics (TF 1.15's): instance_norm and group_norm
against their definitions in NumPy, unit_norm, maxout, images_to_sequence and back, the
1-D and 3-D convolutions and pooling, `pool`; TF 1.x's scopes and variable names, and
TF 1.x's errors."""
import numpy as np
import pytest
import tensorflow.compat.v1 as tf

from tf1 import slim, unsupported
from tf1.api import tensorflow as tf1_api

tf.disable_v2_behavior()

RNG = np.random.RandomState(0)
IMAGES = RNG.rand(2, 5, 4, 6).astype(np.float32) * 3 + 1


pytestmark = pytest.mark.usefixtures('fresh_graph')  # conftest.py


def normalized(x, axes, epsilon):
    mean = x.mean(axis=axes, keepdims=True)
    return (x - mean) / np.sqrt(x.var(axis=axes, keepdims=True) + epsilon)


def test_instance_norm_normalizes_each_image_and_channel(evaluate):
    out = slim.instance_norm(IMAGES, param_initializers={'gamma': tf.constant_initializer(2.0)})
    nchw = slim.instance_norm(IMAGES.transpose(0, 3, 1, 2), data_format='NCHW', scale=False)
    assert [v.op.name for v in tf.model_variables()] == [
        'InstanceNorm/beta', 'InstanceNorm/gamma', 'InstanceNorm_1/beta']
    got, got_nchw = evaluate(out, nchw)
    np.testing.assert_allclose(got, 2 * normalized(IMAGES, (1, 2), 1e-6), atol=1e-5)
    np.testing.assert_allclose(got_nchw, normalized(IMAGES, (1, 2), 1e-6).transpose(0, 3, 1, 2),
                               atol=1e-5)
    with pytest.raises(ValueError, match='data_format has to be either NCHW or NHWC'):
        slim.instance_norm(IMAGES, data_format='NWC')


def test_group_norm_normalizes_each_group_of_channels(evaluate):
    out = slim.group_norm(IMAGES, groups=3)
    got, = evaluate(out)
    grouped = IMAGES.reshape(2, 5, 4, 3, 2)
    expected = normalized(grouped, (1, 2, 4), 1e-6).reshape(IMAGES.shape)
    np.testing.assert_allclose(got, expected, atol=1e-5)
    assert sorted(v.op.name for v in tf.model_variables()) == ['GroupNorm/beta',
                                                              'GroupNorm/gamma']
    with pytest.raises(ValueError, match='6 channels is not commensurate with 4 groups'):
        slim.group_norm(IMAGES, groups=4)
    with pytest.raises(ValueError, match='Invalid groups 8 for 6 channels'):
        slim.group_norm(IMAGES, groups=8)


def test_unit_norm_and_maxout(evaluate):
    x = tf.constant(IMAGES)
    unit, maximum = evaluate(slim.unit_norm(x, 3), slim.maxout(x, 3))
    np.testing.assert_allclose(unit, IMAGES / np.sqrt(1e-7 + (IMAGES ** 2).sum(3, keepdims=True)),
                               rtol=1e-5)
    np.testing.assert_array_equal(maximum, IMAGES.reshape(2, 5, 4, 3, 2).max(-1))
    with pytest.raises(ValueError, match=r'number of features\(6\) is not a multiple of '
                                         r'num_units\(4\)'):
        slim.maxout(x, 4)


def test_images_to_sequence_and_back():
    images = tf.placeholder(tf.float32, [None, 5, 4, 6])
    sequence = slim.images_to_sequence(images)
    assert sequence.shape.as_list() == [4, None, 6]
    back = slim.sequence_to_images(tf.reshape(sequence, [4, 10, 6]), 5)
    got_sequence, got_back = tf.Session().run([sequence, back], {images: IMAGES})
    # Step w holds column w of every image's every row, image by image.
    np.testing.assert_array_equal(got_sequence[1], IMAGES[:, :, 1, :].reshape(10, 6))
    np.testing.assert_array_equal(got_back, IMAGES)


def test_1d_and_3d_convolutions_and_pooling(evaluate):
    sequence = tf.constant(RNG.rand(2, 9, 3).astype(np.float32))
    volume = tf.constant(RNG.rand(1, 4, 6, 6, 2).astype(np.float32))
    conv1 = slim.conv1d(sequence, 5, 3, scope='c1')
    conv3 = slim.conv3d(volume, 4, [2, 3, 3], scope='c3')
    shapes = {v.op.name: v.shape.as_list() for v in tf.model_variables()}
    assert shapes == {'c1/weights': [3, 3, 5], 'c1/biases': [5],
                      'c3/weights': [2, 3, 3, 2, 4], 'c3/biases': [4]}
    assert conv1.shape.as_list() == [2, 9, 5] and conv3.shape.as_list() == [1, 4, 6, 6, 4]
    with pytest.raises(ValueError, match='Convolution expects input with rank 3'):
        slim.conv1d(volume, 4, 3)
    pooled_max = slim.max_pool3d(volume, 2)
    pooled_avg = slim.avg_pool3d(volume, [2, 3, 3], stride=[2, 3, 3])
    any_rank = slim.pool(sequence, 3, 'MAX', padding='SAME')
    assert pooled_max.op.name.startswith('MaxPool3D')
    got = evaluate(pooled_max, pooled_avg, any_rank,
                 tf.nn.max_pool3d(volume, [1, 2, 2, 2, 1], [1, 2, 2, 2, 1], 'VALID'),
                 tf.nn.avg_pool3d(volume, [1, 2, 3, 3, 1], [1, 2, 3, 3, 1], 'VALID'),
                 tf.nn.pool(sequence, [3], 'MAX', padding='SAME'))
    for ours, theirs in zip(got[:3], got[3:]):
        np.testing.assert_allclose(ours, theirs, rtol=1e-6)
    with pytest.raises(ValueError, match='data_format has to be either NCDHW or NDHWC'):
        slim.max_pool3d(volume, 2, data_format='NHWC')


def test_conv2d_and_conv3d_take_any_convolution_rank_as_tf_1_0_to_1_8_did(evaluate):
    """TF 1.0-1.8's convolution2d and convolution3d were convolution itself: a sequence
    through conv2d is a 1-D convolution (google/seq2seq, adversarial_crypto). TF 1.9-1.15
    refused it; a rank no convolution takes is still TF 1.15's error."""
    sequence = tf.constant(RNG.rand(2, 9, 3).astype(np.float32))
    images = tf.constant(RNG.rand(2, 5, 5, 3).astype(np.float32))
    conv = slim.conv2d(sequence, 5, 3, scope='seq')
    volume_conv = slim.conv3d(images, 4, 2, activation_fn=None, scope='img')
    weights = {v.op.name: v for v in tf.model_variables()}
    assert weights['seq/weights'].shape.as_list() == [3, 3, 5]
    assert weights['img/weights'].shape.as_list() == [2, 2, 3, 4]
    got = evaluate(conv, volume_conv, tf.nn.relu(
        tf.nn.conv1d(sequence, weights['seq/weights'], 1, 'SAME') + weights['seq/biases']),
        tf.nn.conv2d(images, weights['img/weights'], [1, 1, 1, 1], 'SAME')
        + weights['img/biases'])
    np.testing.assert_allclose(got[0], got[2], rtol=1e-5)
    np.testing.assert_allclose(got[1], got[3], rtol=1e-5)
    with pytest.raises(ValueError, match='Convolution expects input with rank 4, got 2'):
        slim.conv2d(tf.zeros([2, 3]), 4, 3)


def test_what_contrib_layers_had_beyond_these_is_one_clear_error():
    with pytest.raises(unsupported.UnsupportedApiError,
                       match='scattered_embedding_column.*masked fully_connected'):
        tf1_api.contrib.layers.scattered_embedding_column


def test_what_tf_1_15s_own_tests_found(evaluate):
    layers = tf1_api.contrib.layers
    # The transposed 3-D convolution, and the activation aliases of fully_connected.
    volume = layers.conv3d_transpose(tf.ones([2, 3, 4, 5, 2]), 4, 3, stride=2)
    assert volume.shape.as_list() == [2, 6, 8, 10, 4]
    assert 'Conv3d_transpose/weights:0' in [v.name for v in tf.global_variables()]
    assert np.all(evaluate(layers.relu6(tf.ones([1, 3]) * 100, 2,
                                        weights_initializer=tf.ones_initializer()))[0] == 6)
    # Summaries tagged <op>_summary; the seed of dropout; NumPy ints as sizes.
    act = tf.identity(tf.ones([2]), name='act')
    summary = tf.Summary.FromString(evaluate(layers.summarize_tensor(act))[0])
    assert summary.value[0].tag == 'act_summary'
    assert layers.utils.n_positive_integers(2, np.int64(3)) == (3, 3)
    with pytest.raises(ValueError, match='n must be a positive integer'):
        layers.utils.n_positive_integers('3', [1])
    first, second = (layers.dropout(tf.ones([50]), 0.5, seed=7, scope='d%d' % k)
                     for k in range(2))
    np.testing.assert_array_equal(*evaluate(first, second))
    # Half-precision batch norm keeps float32 statistics; layer norm stays finite.
    with tf.variable_scope('parts', partitioner=tf.fixed_size_partitioner(2)):
        half = layers.batch_norm(tf.ones([2, 2, 2, 4], tf.float16), is_training=True)
    assert half.dtype == tf.float16
    dtypes = {v.op.name: (v.dtype.base_dtype, v.shape.as_list()) for v in tf.global_variables()
              if v.op.name.startswith('parts/')}
    assert dtypes['parts/BatchNorm/moving_mean'] == (tf.float32, [4])  # never partitioned
    assert dtypes['parts/BatchNorm/beta/part_0'] == (tf.float32, [2])
    for options in ({'fused': False}, {'updates_collections': None}):  # contrib's own route
        with tf.variable_scope(None, 'unfused'):
            sequence = layers.batch_norm(tf.ones([2, 3, 4], tf.float16), is_training=True,
                                         **options)
        assert sequence.dtype == tf.float16
    flat = layers.layer_norm(tf.fill([2, 8], tf.constant(3.0, tf.float16)))
    assert np.isfinite(evaluate(flat)[0]).all()
    x = RNG.randn(3, 4)
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    np.testing.assert_allclose(evaluate(layers.poincare_normalize(tf.constant(x)))[0],
                               x * np.minimum((1 - 1e-5) / norms, 1), rtol=1e-6)
    # TF 1.x's layers.py held every layer; its path holds them all.
    assert layers.python.layers.layers.max_pool2d is layers.max_pool2d
