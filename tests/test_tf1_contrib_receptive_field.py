"""tf1's tf.contrib.receptive_field against TF 1.15's own tests (receptive_field_test.py and
parse_layer_parameters_test.py: the same slim networks, the same answers), then on the
graphs TF 2.x builds where TF 1.15's code built others (tf.keras's resource variables,
FusedBatchNormV3, dropout's SelectV2), a network deeper than Python's recursion limit and
a graph with a tf.while_loop."""
import numpy as np
import pytest
import tensorflow.compat.v1 as tf

from tf1.api import tensorflow as tf1_api

tf.disable_v2_behavior()
contrib = tf1_api.contrib
slim = contrib.slim
receptive_field = contrib.receptive_field.receptive_field_api
util = contrib.receptive_field.python.util


def network(build, resolution=None):
    """The graph `build(image)` makes on a [1, resolution, resolution, 1] placeholder."""
    graph = tf.Graph()
    with graph.as_default():
        build(tf.placeholder(tf.float32, (None, resolution, resolution, 1),
                             name='input_image'))
    return graph


def pad(x, top_left, bottom_right=0, name=None):
    return tf.pad(x, [[0, 0], [top_left, bottom_right], [top_left, bottom_right], [0, 0]],
                  name=name)


def conv(x, kernel, stride, scope, padding='VALID'):
    return slim.conv2d(x, 1, kernel, stride=stride, scope=scope, padding=padding)


# TF 1.15's create_test_network_1 ... _9.
def aligned(x):
    tf.nn.relu(conv(x, [1, 1], 4, 'L1') + conv(conv(pad(x, 1), [3, 3], 2, 'L2'),
                                               [1, 1], 2, 'L3'), name='output')


def aligned_pooling(x):
    l3 = slim.max_pool2d(slim.max_pool2d(pad(x, 1), [3, 3], stride=2, scope='L2',
                                         padding='VALID'),
                         [1, 1], stride=2, scope='L3', padding='VALID')
    tf.nn.relu(conv(x, [1, 1], 4, 'L1') + l3, name='output')


def misaligned(x):
    tf.nn.relu(conv(pad(x, 2, 1), [5, 5], 2, 'L1') +
               conv(conv(x, [3, 3], 1, 'L2'), [3, 3], 1, 'L3'), name='output')


def same_padding(x):
    tf.nn.relu(conv(x, [1, 1], 4, 'L1') +
               conv(conv(x, [3, 3], 2, 'L2', 'SAME'), [1, 1], 2, 'L3'), name='output')


def non_square(x):
    tf.nn.relu(conv(conv(x, [3, 5], 2, 'L1'), [3, 1], 2, 'L2'), name='output')


def with_dropout(x):
    right = conv(conv(pad(x, 1), [3, 3], 2, 'L2'), [1, 1], 2, 'L3')
    tf.nn.relu(conv(x, [1, 1], 4, 'L1') + slim.dropout(right), name='output')


def with_control_dependency(x):
    l1 = conv(x, [1, 1], 4, 'L1')
    l1_shape = tf.shape(l1)
    assert_op = tf.Assert(tf.equal(l1_shape[1], 2), [l1_shape], summarize=4)
    l3 = conv(conv(pad(x, 1), [3, 3], 2, 'L2'), [1, 1], 2, 'L3')
    with tf.control_dependencies([assert_op]):
        tf.nn.relu(l1 + l3, name='output')


def intermediate_add(x, padding='VALID'):
    if padding == 'VALID':
        right = conv(conv(pad(x, 1), [3, 3], 2, 'L2'), [1, 1], 2, 'L3')
    else:
        right = conv(conv(x, [3, 3], 2, 'L2', padding), [1, 1], 2, 'L3', padding)
    l4 = tf.nn.relu(conv(x, [1, 1], 4, 'L1', padding) + right)
    l6 = (conv(pad(l4, 1), [3, 3], 2, 'L6') if padding == 'VALID' else
          conv(l4, [3, 3], 2, 'L6', padding))
    tf.nn.relu(conv(l4, [1, 1], 2, 'L5', padding) + l6, name='output')


@pytest.mark.parametrize('build, resolution, options, expected', [
    (aligned, None, {}, (3, 3, 4, 4, 1, 1)),
    (aligned_pooling, None, {}, (3, 3, 4, 4, 1, 1)),
    (same_padding, None, {}, (3, 3, 4, 4, None, None)),
    (same_padding, None, {'input_resolution': [9, 9]}, (3, 3, 4, 4, 1, 1)),
    (non_square, None, {}, (5, 7, 4, 4, 0, 0)),
    (with_dropout, None, {'stop_propagation': ['Dropout/dropout_1/random_uniform']},
     (3, 3, 4, 4, 1, 1)),
    (with_control_dependency, 8, {}, (3, 3, 4, 4, 1, 1)),
    (intermediate_add, None, {}, (11, 11, 8, 8, 5, 5)),
    (lambda x: intermediate_add(x, 'SAME'), None, {'input_resolution': [17, 17]},
     (11, 11, 8, 8, 5, 5)),
])
def test_tf_1_15s_networks_have_its_receptive_fields(build, resolution, options, expected):
    graph = network(build, resolution)
    answer = receptive_field.compute_receptive_field_from_graph_def(
        graph.as_graph_def(), 'input_image', 'output', **options)
    assert tuple(answer) == expected
    # A Graph, tensors and tensors' names do as well as a GraphDef and op names.
    again = receptive_field.compute_receptive_field_from_graph_def(
        graph, graph.get_tensor_by_name('input_image:0'), 'output:0', **options)
    assert tuple(again) == expected


@pytest.mark.parametrize('build, resolution', [(misaligned, None), (same_padding, 8)])
def test_misaligned_networks_are_refused(build, resolution):
    with pytest.raises(ValueError, match='Graph is not aligned'):
        receptive_field.compute_receptive_field_from_graph_def(
            network(build), 'input_image', 'output',
            input_resolution=None if resolution is None else [resolution] * 2)


def test_missing_nodes_are_refused():
    graph = network(aligned)
    with pytest.raises(ValueError, match='Output node was not found'):
        receptive_field.compute_receptive_field_from_graph_def(graph, 'input_image', 'L3')
    with pytest.raises(ValueError, match='Input node was not found'):
        receptive_field.compute_receptive_field_from_graph_def(
            graph, 'input_image', 'output', stop_propagation=['input_image'])
    with pytest.raises(ValueError, match="Unknown layer for operation 'input_image'"):
        receptive_field.compute_receptive_field_from_graph_def(graph, 'other', 'output')


def test_coordinates_round_trip():
    field = receptive_field.compute_receptive_field_from_graph_def(
        network(aligned), 'input_image', 'output')
    x = np.random.RandomState(0).randint(0, 100, (50, 2))
    np.testing.assert_array_equal(
        field.compute_input_center_coordinates(field.compute_feature_coordinates(x)), x)
    assert field.compute_input_center_coordinates([[0, 0]]).tolist() == [[0, 0]]
    assert field.compute_input_center_coordinates([[1]], axis=[1]).tolist() == [[4]]
    with pytest.raises(ValueError, match='does not match dimensionality of `axis`'):
        field.compute_feature_coordinates([[1, 2, 3]])


def layer_parameters_network(resolution, frozen):
    """TF 1.15's parse_layer_parameters_test network, its variables constants if frozen."""
    def build(x):
        l1 = conv(x, [1, 1], 4, 'L1')
        l2 = conv(pad(x, 1, name='L2_pad'), [3, 3], 2, 'L2')
        l3 = slim.max_pool2d(l2, [3, 3], stride=2, scope='L3', padding='SAME')
        l4 = tf.nn.relu(l1 + l3, name='L4_relu')
        tf.add(conv(l4, [1, 1], 2, 'L5', 'SAME'), conv(l4, [3, 3], 2, 'L6', 'SAME'),
               name='L7_add')

    graph = network(build, resolution)
    graph_def = graph.as_graph_def()
    if frozen:
        with tf.Session(graph=graph) as session:
            session.run(tf.variables_initializer(graph.get_collection('variables')))
            graph_def = tf.graph_util.convert_variables_to_constants(session, graph_def,
                                                                     ['L7_add'])
    return util.graph_compute_order.parse_graph_nodes(graph_def)


@pytest.mark.parametrize('net, resolution, expected', [
    # TF 1.15's RECEPTIVE_FIELD_TABLE.md (rf_benchmark.py on TF-Slim's networks): end point,
    # then (size, effective stride, effective padding), the same along both axes.
    ('vgg_16', None, {'vgg_16/conv3/conv3_2': (32, 4, 14), 'vgg_16/pool5': (212, 32, 90)}),
    ('alexnet_v2', 224, {'alexnet_v2/conv2': (51, 8, 16), 'alexnet_v2/pool5': (195, 32, 64)}),
    ('resnet_v1_50', None, {'resnet_v1_50/block4': (483, 32, None)}),
    ('resnet_v1_50', 224, {'resnet_v1_50/block2': (99, 16, 47),
                           'resnet_v1_50/block4': (483, 32, 239)}),
])
def test_tf_slims_networks_have_tf_1_15s_tabled_fields(net, resolution, expected):
    nets = slim.nets
    module = {'vgg_16': nets.vgg, 'alexnet_v2': nets.alexnet}
    graph = tf.Graph()
    with graph.as_default():
        images = tf.placeholder(tf.float32, (1, resolution, resolution, 3), name='input_image')
        if net == 'resnet_v1_50':  # with its batch norms (FusedBatchNormV3)
            with slim.arg_scope(nets.resnet_v1.resnet_arg_scope()):
                _, end_points = nets.resnet_v1.resnet_v1_50(
                    images, num_classes=None, is_training=False, global_pool=False)
        else:
            _, end_points = getattr(module[net], net)(images, num_classes=10,
                                                      is_training=False)
    for end_point, (size, stride, padding) in expected.items():
        field = receptive_field.compute_receptive_field_from_graph_def(
            graph, 'input_image', end_points[end_point],
            input_resolution=None if resolution is None else [resolution] * 2)
        assert tuple(field) == (size, size, stride, stride, padding, padding), end_point


@pytest.mark.parametrize('resolution', [None, 224])
@pytest.mark.parametrize('frozen', [False, True])
def test_layer_parameters_are_tf_1_15s(resolution, frozen):
    nodes = layer_parameters_network(resolution, frozen)
    params = util.parse_layer_parameters.get_layer_params

    def layer(name, size=None):
        return params(nodes[name], nodes, input_resolution=size)

    assert layer('L1/Conv2D') == (1, 1, 4, 4, 0, 0, 0, 0)
    assert layer('L2_pad') == (1, 1, 1, 1, 1, 1, 1, 1)
    assert layer('L2/Conv2D') == (3, 3, 2, 2, 0, 0, 0, 0)
    for name in ('L3/MaxPool', 'L6/Conv2D'):
        assert layer(name) == (3, 3, 2, 2, None, None, None, None)
        assert layer(name, [4, 4]) == (3, 3, 2, 2, 0, 0, 1, 1)
        assert layer(name, [5, 5]) == (3, 3, 2, 2, 1, 1, 2, 2)
    assert layer('L4_relu') == (1, 1, 1, 1, 0, 0, 0, 0)
    assert layer('L5/Conv2D') == (1, 1, 2, 2, 0, 0, 0, 0)
    assert layer('L7_add') == (1, 1, 1, 1, 0, 0, 0, 0)
    softmax = tf.NodeDef(name='L8_softmax', op='Softmax')
    with pytest.raises(ValueError, match="Unknown layer for operation 'L8_softmax': Softmax"):
        params(softmax, nodes)
    assert params(softmax, nodes, force=True) == (None,) * 8


def test_compute_order_gives_feature_map_sizes():
    graph = network(intermediate_add)
    info, _ = util.graph_compute_order.get_compute_order(
        graph.as_graph_def(), input_node_name='input_image', input_node_size=[17, 17])
    assert info['input_image'].order == 0 and info['input_image'].output_size == [17, 17]
    assert info['L2/Conv2D'].input_size == [18, 18]  # after the pad
    assert info['L2/Conv2D'].output_size == [8, 8]
    assert info['L3/Conv2D'].output_size == [4, 4] and info['L1/Conv2D'].output_size == [5, 5]
    assert info['output'].order > info['L5/Conv2D'].order > info['L1/Conv2D'].order


def test_tf_keras_layers_batch_norm_and_dropout_of_tf_2():
    """What TF 2.x builds from TF 1.x's code: tf.keras's kernels are resource variables
    read by ReadVariableOp, fused batch norms FusedBatchNormV3, dropout a SelectV2."""
    def build(x):
        keras = tf1_api.keras.layers
        y = keras.Conv2D(1, 3, strides=2, name='K1')(pad(x, 1))
        y = slim.batch_norm(y, is_training=True)
        y = slim.dropout(tf.nn.relu(y), is_training=True)
        tf.identity(keras.DepthwiseConv2D(3, strides=2, name='K2')(y), name='output')

    field = receptive_field.compute_receptive_field_from_graph_def(
        network(build), 'input_image', 'output',
        stop_propagation=['Dropout/dropout_1/random_uniform'])
    assert tuple(field) == (7, 7, 4, 4, 1, 1)


def test_max_pool_v2_reads_its_window_from_its_inputs():
    def build(x):
        pooled = tf.raw_ops.MaxPoolV2(input=x, ksize=[1, 3, 5, 1], strides=[1, 2, 4, 1],
                                      padding='VALID', name='pool')
        tf.identity(pooled, name='output')

    field = receptive_field.compute_receptive_field_from_graph_def(
        network(build), 'input_image', 'output')
    assert tuple(field) == (5, 3, 4, 2, 0, 0)


def test_deeper_than_the_recursion_limit_and_with_a_loop():
    def build(x):
        y = conv(x, [3, 3], 2, 'L1')
        for _ in range(1500):  # TF 1.15's recursion stopped at Python's limit (1000)
            y = tf.nn.relu(y)
        tf.while_loop(lambda i: i < 3, lambda i: i + 1, [tf.constant(0)])
        tf.identity(conv(y, [3, 3], 2, 'L2'), name='output')

    field = receptive_field.compute_receptive_field_from_graph_def(
        network(build), 'input_image', 'output')
    assert tuple(field) == (7, 7, 4, 4, 0, 0)


def test_tf_1_xs_module_paths():
    assert contrib.receptive_field.compute_receptive_field_from_graph_def is (
        receptive_field.compute_receptive_field_from_graph_def)
    assert util.receptive_field.ReceptiveField is receptive_field.ReceptiveField
    assert util.graph_compute_order.get_compute_order is receptive_field.get_compute_order
