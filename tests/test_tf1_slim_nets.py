"""tf.contrib.slim.nets (tf1/slim/nets): AlexNet, OverFeat, VGG, ResNets v1/v2 and Inception
v1-v3 as TF 1.15 had them. Held to TF 1.15's own test expectations (conv2d_same's values,
end-point names and shapes, atrous dense features equal to subsampled ones), to the
parameter counts of Keras's implementations of the same architectures (Inception v3 to
Keras's logits and VGG 16 to its features, on the same weights), and to the variable names
of the published checkpoints; reached through `import tensorflow as tf` the way TF 1.x code
reaches them."""
import numpy as np
import pytest
import tensorflow.compat.v1 as tf

from tf1.api import tensorflow as tf1_api

tf.disable_v2_behavior()
pytestmark = pytest.mark.usefixtures('fresh_graph')  # conftest.py

slim = tf1_api.contrib.slim
nets = slim.nets
resnet_utils, resnet_v1, resnet_v2 = nets.resnet_utils, nets.resnet_v1, nets.resnet_v2


def grid_input(batch, height, width, channels):
    """TF 1.15's create_test_input: pixel (i, j) = i + j in every channel."""
    values = np.add.outer(np.arange(height), np.arange(width)).astype(np.float32)
    return tf.constant(np.tile(values[None, :, :, None], [batch, 1, 1, channels]))


def parameters(prefix):
    return sum(v.shape.num_elements() for v in tf.global_variables()
               if v.op.name.startswith(prefix + '/'))


def test_subsample_and_conv2d_same_give_tf_1_15s_values(evaluate):
    nine = tf.reshape(tf.range(9.0), [1, 3, 3, 1])
    sixteen = tf.reshape(tf.range(16.0), [1, 4, 4, 1])
    x4, x5 = grid_input(1, 4, 4, 1), grid_input(1, 5, 5, 1)
    kernel = tf.reshape(grid_input(1, 3, 3, 1), [3, 3, 1, 1])
    tf.get_variable('Conv/weights', initializer=kernel)
    tf.get_variable('Conv/biases', initializer=tf.zeros([1]))
    tf.get_variable_scope().reuse_variables()
    same_even = resnet_utils.conv2d_same(x4, 1, 3, stride=2, scope='Conv')
    strided_even = slim.conv2d(x4, 1, [3, 3], stride=2, scope='Conv')
    same_odd = resnet_utils.conv2d_same(x5, 1, 3, stride=2, scope='Conv')
    got = evaluate(resnet_utils.subsample(nine, 2), resnet_utils.subsample(sixteen, 2),
                   same_even, strided_even, same_odd)
    np.testing.assert_array_equal(got[0].ravel(), [0, 2, 6, 8])
    np.testing.assert_array_equal(got[1].ravel(), [0, 2, 8, 10])
    # Padded explicitly, an even input gives the stride-1 convolution subsampled, where a
    # plain strided SAME convolution does not.
    np.testing.assert_allclose(got[2].ravel(), [14, 43, 43, 84])
    np.testing.assert_allclose(got[3].ravel(), [48, 37, 37, 22])
    np.testing.assert_allclose(got[4].ravel(), [14, 43, 34, 43, 84, 55, 34, 55, 30])


def tiny_blocks(block):
    return [block('block1', base_depth=1, num_units=2, stride=2),
            block('block2', base_depth=2, num_units=2, stride=2),
            block('block3', base_depth=4, num_units=2, stride=2),
            block('block4', base_depth=8, num_units=2, stride=1)]


@pytest.mark.parametrize('version', [resnet_v1, resnet_v2])
def test_atrous_features_are_the_nominal_ones_subsampled(version):
    block = getattr(version, version.__name__.rsplit('.', 1)[1] + '_block')
    for output_stride in (1, 2, 4, 8, None):
        with tf.Graph().as_default():
            tf.set_random_seed(0)
            # Odd and even sides; values of both signs, so that ReLUs do not zero it all.
            inputs = tf.constant(np.random.RandomState(0).randn(1, 30, 31, 3), tf.float32)
            with slim.arg_scope(resnet_utils.resnet_arg_scope()), \
                    slim.arg_scope([slim.batch_norm], is_training=False):
                dense = resnet_utils.stack_blocks_dense(inputs, tiny_blocks(block),
                                                        output_stride)
                dense = resnet_utils.subsample(dense, 8 // (output_stride or 8))
                tf.get_variable_scope().reuse_variables()
                nominal = resnet_utils.stack_blocks_dense(inputs, tiny_blocks(block))
            with tf.Session() as session:
                session.run(tf.global_variables_initializer())
                got, expected = session.run([dense, nominal])
        assert np.abs(expected).max() > 1
        np.testing.assert_allclose(got, expected, atol=1e-4, rtol=1e-4)


def small_resnet(version, inputs, **options):
    """TF 1.15's shallow, thin test ResNet."""
    name = version.__name__.rsplit('.', 1)[1]
    block = getattr(version, name + '_block')
    blocks = [block('block1', base_depth=1, num_units=3, stride=2),
              block('block2', base_depth=2, num_units=3, stride=2),
              block('block3', base_depth=4, num_units=3, stride=2),
              block('block4', base_depth=8, num_units=2, stride=1)]
    with slim.arg_scope(resnet_utils.resnet_arg_scope()):
        return getattr(version, name)(inputs, blocks, scope='resnet', **options)


@pytest.mark.parametrize('version', [resnet_v1, resnet_v2])
@pytest.mark.parametrize('size, options, shapes', [
    (224, dict(num_classes=10), [28, 14, 7, 7]),
    (321, dict(num_classes=10, global_pool=False), [41, 21, 11, 11]),
    (128, dict(num_classes=10, global_pool=False, include_root_block=False), [64, 32, 16, 16]),
    (321, dict(num_classes=10, global_pool=False, output_stride=8), [41, 41, 41, 41]),
])
def test_block_end_points_have_tf_1_15s_shapes(version, size, options, shapes):
    logits, end_points = small_resnet(version, grid_input(2, size, size, 3), **options)
    for k, (side, depth) in enumerate(zip(shapes, (4, 8, 16, 32)), 1):
        assert end_points['resnet/block%d' % k].shape.as_list() == [2, side, side, depth]
    assert logits.op.name.startswith('resnet/logits')
    if options.get('global_pool', True):
        assert end_points['predictions'].shape.as_list() == [2, 1, 1, 10]


def test_resnet_v1_units_end_points_and_errors():
    _, end_points = small_resnet(resnet_v1, grid_input(2, 64, 64, 3))
    assert [name for name in end_points if name.startswith('resnet/block1/unit_1')] == [
        'resnet/block1/unit_1/bottleneck_v1/shortcut',
        'resnet/block1/unit_1/bottleneck_v1/conv1', 'resnet/block1/unit_1/bottleneck_v1/conv2',
        'resnet/block1/unit_1/bottleneck_v1/conv3', 'resnet/block1/unit_1/bottleneck_v1']
    for output_stride, error in ((6, 'multiple of 4'), (64, 'cannot be reached')):
        with tf.Graph().as_default(), pytest.raises(ValueError, match=error):
            small_resnet(resnet_v1, grid_input(1, 64, 64, 3), output_stride=output_stride)


@pytest.mark.parametrize('version', [resnet_v1, resnet_v2])
@pytest.mark.parametrize('is_training', [True, False])
def test_is_training_sets_every_batch_norms_mode(version, is_training):
    # The network's argument decides, as in TF 1.15: its arg_scope has no mode of its own.
    with slim.arg_scope(version.resnet_arg_scope()):
        small_resnet(version, grid_input(2, 64, 64, 3), is_training=is_training)
    modes = {op.get_attr('is_training') for op in tf.get_default_graph().get_operations()
             if op.type.startswith('FusedBatchNorm')}
    assert modes == {is_training}
    assert bool(tf.get_collection(tf.GraphKeys.UPDATE_OPS)) == is_training


def test_the_full_networks_are_keras_architectures_under_slim_names():
    images = tf.placeholder(tf.float32, [1, 224, 224, 3])
    with slim.arg_scope(resnet_v1.resnet_arg_scope()):
        logits, _ = resnet_v1.resnet_v1_50(images, 1000, is_training=False)
    with slim.arg_scope(resnet_v2.resnet_arg_scope()):
        resnet_v2.resnet_v2_50(images, 1000, is_training=False)
    with slim.arg_scope(nets.vgg.vgg_arg_scope()):
        vgg_logits, vgg_end_points = nets.vgg.vgg_16(images)
    assert logits.shape.as_list() == [1, 1, 1, 1000]
    # keras.applications' counts: ResNet50V2 25,613,800 and VGG16 138,357,544 exactly;
    # ResNet50 25,636,712, whose 53 convolutions have biases (26,560) where slim's
    # batch-normalised ones have none.
    assert parameters('resnet_v2_50') == 25613800
    assert parameters('vgg_16') == 138357544
    assert parameters('resnet_v1_50') == 25636712 - 26560
    names = {v.op.name for v in tf.global_variables()}
    assert {'resnet_v1_50/conv1/weights', 'resnet_v1_50/conv1/BatchNorm/moving_variance',
            'resnet_v1_50/block4/unit_3/bottleneck_v1/conv3/BatchNorm/gamma',
            'resnet_v1_50/logits/biases', 'resnet_v2_50/postnorm/beta',
            'resnet_v2_50/block1/unit_1/bottleneck_v2/preact/gamma',
            'resnet_v2_50/block1/unit_1/bottleneck_v2/shortcut/biases',
            'vgg_16/conv5/conv5_3/weights', 'vgg_16/fc8/biases'} <= names
    assert vgg_logits.op.name == 'vgg_16/fc8/squeezed'
    assert list(vgg_end_points)[:3] == ['vgg_16/conv1/conv1_1', 'vgg_16/conv1/conv1_2',
                                        'vgg_16/pool1']


@pytest.mark.parametrize('net, size, expected', [
    ('vgg.vgg_a', 256, [1, 2, 2, 7]), ('vgg.vgg_19', 256, [1, 2, 2, 7]),
    ('alexnet.alexnet_v2', (300, 400), [1, 4, 7, 7]), ('overfeat.overfeat', (281, 281),
                                                       [1, 2, 2, 7])])
def test_classic_nets_run_fully_convolutionally(net, size, expected):
    module, function = net.split('.')
    height, width = size if isinstance(size, tuple) else (size, size)
    images = tf.random_uniform([1, height, width, 3], seed=1)
    scope = getattr(getattr(nets, module), module + '_arg_scope' if module != 'alexnet'
                    else 'alexnet_v2_arg_scope')
    with slim.arg_scope(scope()):
        logits, _ = getattr(getattr(nets, module), function)(images, 7, spatial_squeeze=False,
                                                             is_training=False)
    assert logits.shape.as_list() == expected


def test_alexnet_computes_and_its_dropout_follows_is_training():
    images = tf.constant(np.random.RandomState(1).rand(2, 224, 224, 3).astype(np.float32))
    with slim.arg_scope(nets.alexnet.alexnet_v2_arg_scope()):
        train, _ = nets.alexnet.alexnet_v2(images, 5)
        test, end_points = nets.alexnet.alexnet_v2(images, 5, is_training=False, scope='a',
                                                  dropout_keep_prob=0.5)
    assert set(end_points) == {'a/conv%d' % k for k in range(1, 6)} | {
        'a/pool1', 'a/pool2', 'a/pool5', 'a/fc6', 'a/fc7', 'a/fc8'}
    with tf.Session() as session:
        session.run(tf.global_variables_initializer())
        first, second = session.run(test), session.run(test)
        assert np.isfinite(first).all() and first.shape == (2, 5)
        np.testing.assert_array_equal(first, second)  # no dropout when not training
        assert not np.array_equal(session.run(train), session.run(train))  # dropout


def test_contrib_paths_and_what_is_not_provided():
    from tf1.unsupported import Unsupported
    python_path = tf1_api.contrib.slim.python.slim.nets
    assert python_path.resnet_v1.resnet_v1_101 is resnet_v1.resnet_v1_101
    assert python_path.inception_v3.inception_v3 is nets.inception.inception_v3
    # TF 1.15's own slim tests import its siblings from there too.
    assert tf1_api.contrib.slim.python.slim.model_analyzer.analyze_vars is \
        slim.model_analyzer.analyze_vars
    data_path = tf1_api.contrib.slim.python.slim.data
    assert data_path.prefetch_queue.prefetch_queue is slim.prefetch_queue.prefetch_queue
    with pytest.raises(Unsupported, match='tf.contrib.slim.nets.mobilenet_v1 .*not provided'):
        slim.nets.mobilenet_v1


INCEPTION_V3_SHAPES = {  # TF 1.15's, for 299 × 299 images
    'Conv2d_1a_3x3': [149, 32], 'Conv2d_2a_3x3': [147, 32], 'Conv2d_2b_3x3': [147, 64],
    'MaxPool_3a_3x3': [73, 64], 'Conv2d_3b_1x1': [73, 80], 'Conv2d_4a_3x3': [71, 192],
    'MaxPool_5a_3x3': [35, 192], 'Mixed_5b': [35, 256], 'Mixed_5c': [35, 288],
    'Mixed_5d': [35, 288], 'Mixed_6a': [17, 768], 'Mixed_6b': [17, 768], 'Mixed_6c': [17, 768],
    'Mixed_6d': [17, 768], 'Mixed_6e': [17, 768], 'Mixed_7a': [8, 1280], 'Mixed_7b': [8, 2048],
    'Mixed_7c': [8, 2048]}


def test_inception_v3_is_keras_inception_v3_under_slim_names():
    inception = nets.inception
    images = tf.placeholder(tf.float32, [2, 299, 299, 3])
    with slim.arg_scope(inception.inception_v3_arg_scope()):
        logits, end_points = inception.inception_v3(images, 1000, is_training=False)
    assert logits.op.name == 'InceptionV3/Logits/SpatialSqueeze'
    for name, (side, depth) in INCEPTION_V3_SHAPES.items():
        assert end_points[name].shape.as_list() == [2, side, side, depth], name
    assert end_points['AuxLogits'].shape.as_list() == [2, 1000]
    assert end_points['Predictions'].op.name == 'InceptionV3/Predictions/Reshape_1' or \
        end_points['Predictions'].shape.as_list() == [2, 1000]
    # keras.applications.InceptionV3: 23,851,784 parameters, no auxiliary classifier.
    auxiliary = parameters('InceptionV3/AuxLogits')
    assert parameters('InceptionV3') - auxiliary == 23851784
    names = {v.op.name for v in tf.global_variables()}
    assert {'InceptionV3/Mixed_5c/Branch_1/Conv_1_0c_5x5/weights',  # TF 1.x's odd names
            'InceptionV3/Mixed_7b/Branch_1/Conv2d_0b_3x1/weights',
            'InceptionV3/Mixed_7c/Branch_1/Conv2d_0c_3x1/weights',
            'InceptionV3/Mixed_6a/Branch_1/Conv2d_1a_1x1/BatchNorm/moving_mean',
            'InceptionV3/AuxLogits/Conv2d_2a_5x5/weights',
            'InceptionV3/Logits/Conv2d_1c_1x1/biases'} <= names
    # Mean and variance of each batch-normalised convolution: Keras's 94, and 2 in AuxLogits.
    assert len(tf.get_collection('moving_vars')) == 2 * (94 + 2)


def test_inception_v3_base_stops_at_an_end_point_and_scales_its_depth():
    inception = nets.inception
    images = tf.placeholder(tf.float32, [1, 150, 150, 3])
    net, end_points = inception.inception_v3_base(images, final_endpoint='Mixed_6a',
                                                  depth_multiplier=0.5, scope='half')
    assert list(end_points)[-1] == 'Mixed_6a' and 'Mixed_6b' not in end_points
    assert net.shape.as_list() == [1, 7, 7, 384]  # 768 / 2 channels; 150 pixels: 7 × 7
    with slim.arg_scope(inception.inception_v3_arg_scope()):
        small, _ = inception.inception_v3(tf.placeholder(tf.float32, [1, 150, 150, 3]), 10)
    assert small.shape.as_list() == [1, 10]  # the pooling kernels shrink to the feature map
    scopes = {op.name.rsplit('/', 1)[0] for op in small.graph.get_operations()}
    assert {'InceptionV3/Logits/AvgPool_1a_3x3', 'InceptionV3/AuxLogits/Conv2d_2a_1x1'} <= scopes
    with pytest.raises(ValueError, match='Unknown final endpoint'):
        inception.inception_v3_base(images, final_endpoint='Mixed_8z', scope='x')
    with pytest.raises(ValueError, match='depth_multiplier'):
        inception.inception_v3_base(images, depth_multiplier=0, scope='y')


KERAS_INCEPTION_V3 = '''
import sys
import numpy as np
import keras
model = keras.applications.InceptionV3(weights=None, classifier_activation=None)
rng = np.random.RandomState(0)
for layer in model.layers:  # batch-norm statistics that matter, so copying each one counts
    if isinstance(layer, keras.layers.BatchNormalization):
        beta, mean, variance = layer.get_weights()
        layer.set_weights([rng.uniform(-0.1, 0.1, beta.shape), rng.uniform(-0.1, 0.1, mean.shape),
                           rng.uniform(0.8, 1.2, variance.shape)])
def created(kind):  # in the order the layers were made: conv2d, conv2d_1, conv2d_2 ...
    layers = [layer for layer in model.layers if isinstance(layer, kind)]
    return sorted(layers, key=lambda l: int(l.name.rsplit('_', 1)[1])
                  if l.name[-1].isdigit() else 0)
image = rng.rand(1, 299, 299, 3).astype(np.float32)
kernel, bias = model.layers[-1].get_weights()
np.savez(sys.argv[1], image=image, logits=model.predict(image, verbose=0), kernel=kernel, bias=bias,
         **{'conv_%d' % i: l.get_weights()[0] for i, l in enumerate(created(keras.layers.Conv2D))},
         **{'bn_%d_%d' % (i, j): w for i, l in enumerate(created(keras.layers.BatchNormalization))
            for j, w in enumerate(l.get_weights())})
'''


def test_inception_v3_computes_what_keras_inception_v3_computes(tmp_path):
    """Keras's InceptionV3 (in a process of its own: Keras 3 runs eagerly), its weights
    copied into ours convolution by convolution in the order both make them: the same
    logits."""
    import subprocess
    import sys
    keras_side = tmp_path / 'keras.npz'
    subprocess.run([sys.executable, '-c', KERAS_INCEPTION_V3, str(keras_side)], check=True,
                   capture_output=True)
    keras = np.load(keras_side)
    with slim.arg_scope(nets.inception.inception_v3_arg_scope()):
        logits, _ = nets.inception.inception_v3(tf.constant(keras['image']), 1000,
                                                is_training=False)
    trunk = [v for v in tf.global_variables() if '/AuxLogits/' not in v.op.name]
    convolutions = [v for v in trunk if v.op.name.endswith('/weights')][:-1]  # not the logits
    statistics = [[v for v in trunk if v.op.name.endswith('BatchNorm/' + name)]
                  for name in ('beta', 'moving_mean', 'moving_variance')]
    assert len(convolutions) == len(statistics[0]) == 94
    copies = [v.assign(keras['conv_%d' % i]) for i, v in enumerate(convolutions)]
    copies += [v.assign(keras['bn_%d_%d' % (i, j)])
               for j, variables in enumerate(statistics) for i, v in enumerate(variables)]
    logits_weights, logits_biases = (
        next(v for v in trunk if v.op.name == 'InceptionV3/Logits/Conv2d_1c_1x1/' + name)
        for name in ('weights', 'biases'))  # Keras's Dense, as a 1×1 convolution
    copies += [logits_weights.assign(keras['kernel'][None, None]),
               logits_biases.assign(keras['bias'])]
    with tf.Session() as session:
        session.run(tf.global_variables_initializer())
        session.run(copies)
        got = session.run(logits)
    np.testing.assert_allclose(got, keras['logits'], atol=1e-5)


KERAS_VGG16_CONVOLUTIONS = '''
import sys
import numpy as np
import keras
model = keras.applications.VGG16(weights=None, include_top=False, input_shape=(224, 224, 3))
image = np.random.RandomState(0).rand(1, 224, 224, 3).astype(np.float32)
weights = [w for layer in model.layers for w in layer.get_weights()]
np.savez(sys.argv[1], image=image, pool5=model.predict(image, verbose=0),
         **{'w_%d' % i: w for i, w in enumerate(weights)})
'''


def test_vgg_16_convolutions_compute_what_keras_vgg16_computes(tmp_path):
    """Keras's VGG16 without its classifier, its kernels and biases copied into ours in
    order: the same pool5 features."""
    import subprocess
    import sys
    keras_side = tmp_path / 'keras.npz'
    subprocess.run([sys.executable, '-c', KERAS_VGG16_CONVOLUTIONS, str(keras_side)],
                   check=True, capture_output=True)
    keras = np.load(keras_side)
    with slim.arg_scope(nets.vgg.vgg_arg_scope()):
        _, end_points = nets.vgg.vgg_16(tf.constant(keras['image']), is_training=False)
    convolutions = [v for v in tf.global_variables() if '/conv' in v.op.name]
    assert len(convolutions) == 26  # 13 convolutions: weights and biases
    with tf.Session() as session:
        session.run([v.assign(keras['w_%d' % i]) for i, v in enumerate(convolutions)])
        got = session.run(end_points['vgg_16/pool5'])
    assert (keras['pool5'] > 0).mean() > 0.05  # features, not a map of zeros
    np.testing.assert_allclose(got, keras['pool5'], rtol=1e-4, atol=1e-4)


@pytest.mark.parametrize('version, scope, count', [('v1', 'InceptionV1', 5607184),
                                                   ('v2', 'InceptionV2', 10173112),
                                                   ('v3', 'InceptionV3', 21802784)])
def test_inception_bases_have_tf_1_15s_parameter_counts(version, scope, count):
    """TF 1.15's testModelHasExpectedNumberOfParameters: the model variables of the base
    under its arg_scope."""
    inception = nets.inception
    with slim.arg_scope(getattr(inception, 'inception_%s_arg_scope' % version)()):
        getattr(inception, 'inception_%s_base' % version)(
            tf.placeholder(tf.float32, [5, 224, 224, 3]))
    assert sum(v.shape.num_elements() for v in slim.get_model_variables()) == count
    assert slim.get_model_variables()[0].op.name.startswith(scope + '/')


def test_inception_v1_has_tf_1_15s_end_points_and_names():
    inception = nets.inception
    with slim.arg_scope(inception.inception_v1_arg_scope()):
        logits, end_points = inception.inception_v1(tf.placeholder(tf.float32, [5, 224, 224, 3]),
                                                    1001, is_training=False)
    depths = {'Mixed_3b': 256, 'Mixed_3c': 480, 'Mixed_4b': 512, 'Mixed_4c': 512,
              'Mixed_4d': 512, 'Mixed_4e': 528, 'Mixed_4f': 832, 'Mixed_5b': 832,
              'Mixed_5c': 1024}
    sides = {'3': 28, '4': 14, '5': 7}
    for name, depth in depths.items():
        assert end_points[name].shape.as_list() == [5, sides[name[6]], sides[name[6]], depth]
    assert logits.shape.as_list() == [5, 1001]
    names = {v.op.name for v in tf.global_variables()}
    assert {'InceptionV1/Mixed_5b/Branch_2/Conv2d_0a_3x3/weights',  # TF 1.x's odd name
            'InceptionV1/Mixed_5c/Branch_2/Conv2d_0b_3x3/weights',
            'InceptionV1/Logits/Conv2d_0c_1x1/biases'} <= names
    with tf.Graph().as_default():
        net, points = inception.inception_v1_base(tf.placeholder(tf.float32, [1, 224, 224, 3]),
                                                  final_endpoint='MaxPool_4a_3x3')
        assert list(points)[-1] == 'MaxPool_4a_3x3' and net.shape.as_list() == [1, 14, 14, 480]


@pytest.mark.parametrize('multiplier', [0.5, 2.0])
def test_inception_v2_scales_its_depth_and_shrinks_its_pooling(multiplier):
    """TF 1.15's depth-multiplier and half-size-image tests of Inception v2."""
    inception = nets.inception
    images = tf.placeholder(tf.float32, [5, 224, 224, 3])
    _, plain = inception.inception_v2(images, 10)
    _, scaled = inception.inception_v2(images, 10, depth_multiplier=multiplier, scope='scaled')
    for key in [key for key in plain if key.startswith(('Mixed', 'Conv'))]:
        assert scaled[key].shape.as_list()[3] == multiplier * plain[key].shape.as_list()[3], key
    logits, small = inception.inception_v2(tf.placeholder(tf.float32, [5, 112, 112, 3]), 10,
                                           scope='small')
    assert small['Mixed_5c'].shape.as_list() == [5, 4, 4, 1024]
    assert logits.shape.as_list() == [5, 10]
    assert any(v.op.name == 'InceptionV2/Conv2d_1a_7x7/depthwise_weights'
               for v in tf.global_variables())
