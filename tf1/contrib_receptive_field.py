"""tf.contrib.receptive_field (TF 1.5-1.15), ported from TF 1.15: the receptive field of a
fully-convolutional network, read from its GraphDef (kernel sizes, strides and paddings of
Conv2D, DepthwiseConv2dNative, MaxPool, AvgPool and Pad; element-wise ops pass it on).

compute_receptive_field_from_graph_def walks the graph from the output back to the input
in reverse topological order (get_compute_order), so where branches meet it keeps the
largest field and checks that the branches are aligned (the same effective stride and
centre); `input_resolution` settles SAME paddings that depend on the input's size.

Beyond TF 1.15, for the graphs TF 2.x builds from the same code: a resource variable's
kernel (tf.keras's layers read it with ReadVariableOp, where TF 1.15 refused any kernel
not read through `/read`), FusedBatchNormV2/V3 (TF 1.15 listed only FusedBatchNorm) and
SelectV2 (dropout's mask, a Mul in TF 1.x); the topological order is computed without
recursion, so networks deeper than Python's recursion limit work; nodes may be given as
tensors' names ('output:0')."""
import collections
import math

import numpy as np
import tensorflow.compat.v1 as tf

__all__ = ['compute_receptive_field_from_graph_def', 'ReceptiveField', 'get_compute_order',
           'get_layer_params', 'parse_graph_nodes']

# Operations that leave the receptive field as it is (TF 1.15's list, then TF 2.x's names
# for what TF 1.15's code built).
_UNCHANGED_RF_LAYER_OPS = [
    'Add', 'AddV2', 'BiasAdd', 'Cast', 'Ceil', 'ConcatV2', 'Const', 'Floor',
    'FusedBatchNorm', 'Identity', 'Log', 'Mul', 'Pow', 'RealDiv', 'Relu', 'Relu6', 'Round',
    'Rsqrt', 'Softplus', 'Sub', 'VariableV2', 'LRN', 'GreaterEqual',
    'FusedBatchNormV2', 'FusedBatchNormV3', 'SelectV2', 'ReadVariableOp', 'VarHandleOp']

_VALID_PADDING = ['VALID', b'VALID']
_SAME_PADDING = ['SAME', b'SAME']


# --- parse_layer_parameters: each op's kernel size, stride and padding ------------------

def _window(node, name_to_node, attr):
    """A pooling or convolution node's `strides` or `ksize` ([batch, height, width,
    channels]): its attribute, or MaxPoolV2's constant input of that name."""
    if node.op != 'MaxPoolV2':
        return node.attr[attr].list.i
    input_name = node.input[2 if attr == 'strides' else 1]
    if not input_name.endswith('/' + attr):
        raise ValueError("%s name does not end with '/%s'"
                         % ('Strides' if attr == 'strides' else 'Kernel size', attr))
    return tf.make_ndarray(name_to_node[input_name].attr['value'].tensor)


def _stride_size(node, name_to_node):
    """(stride_x, stride_y) of a convolution or pooling node."""
    strides = _window(node, name_to_node, 'strides')
    return strides[2], strides[1]


def _conv_kernel_size(node, name_to_node):
    """(kernel_size_x, kernel_size_y) of a convolution, from the shape of the variable or
    constant its weights are read from (through `/read`, TF 1.x's, a resource variable's
    ReadVariableOp, or their Identity in a frozen graph)."""
    weights_node = name_to_node[node.input[1].split(':')[0]]
    while weights_node.op in ('Identity', 'ReadVariableOp'):
        weights_node = name_to_node[weights_node.input[0].split(':')[0]]
    if weights_node.op in ('VariableV2', 'VarHandleOp'):
        shape_dim = weights_node.attr['shape'].shape.dim
    elif weights_node.op == 'Const':
        shape_dim = weights_node.attr['value'].tensor.tensor_shape.dim
    else:
        raise ValueError('Weight layer {} is not of type VariableV2 or Const: {}'.format(
            weights_node.name, weights_node.op))
    if len(shape_dim) != 4:
        raise ValueError('Weight layer {} does not have rank 4. Instead, it has: {}'.format(
            weights_node.name, len(shape_dim)))
    return shape_dim[1].size, shape_dim[0].size


def _padding_size_conv_pool(node, kernel_size, stride, input_resolution=None):
    """(total_padding, padding at the left or top) of a convolution or pooling node along
    one axis; SAME padding depends on the input's size, unknown where it is None and the
    kernel and stride do not settle it."""
    padding_attr = node.attr['padding'].s
    if padding_attr in _VALID_PADDING:
        return 0, 0
    if padding_attr not in _SAME_PADDING:
        raise ValueError('Invalid padding operation %s' % padding_attr)
    if input_resolution is None:
        if kernel_size == 1:
            return 0, 0
        if stride == 1:
            total_padding = kernel_size - 1
            return total_padding, int(math.floor(float(total_padding) / 2))
        if stride == 2 and kernel_size % 2 == 0:
            # The left/top padding is certain, the total is not.
            return None, int(math.floor((float(kernel_size) - 1) / 2))
        tf.logging.warning(
            'Padding depends on input size, which means that the effective padding may be '
            'different depending on the input image dimensionality. In this case, alignment '
            'check will be skipped. If you know the input resolution, please set it.')
        return None, None
    if input_resolution % stride == 0:
        total_padding = int(max(float(kernel_size - stride), 0.0))
    else:
        total_padding = int(max(float(kernel_size - (input_resolution % stride)), 0.0))
    return total_padding, int(math.floor(float(total_padding) / 2))


def _pool_kernel_size(node, name_to_node):
    """(kernel_size_x, kernel_size_y) of a pooling node."""
    ksize = _window(node, name_to_node, 'ksize')
    if ksize[0] != 1:
        raise ValueError('pool ksize for first dim is not 1')
    if ksize[3] != 1:
        raise ValueError('pool ksize for last dim is not 1')
    return ksize[2], ksize[1]


def _padding_size_pad_layer(node, name_to_node):
    """(total_padding_x, padding_x, total_padding_y, padding_y) of a Pad node."""
    paddings_layer_name = node.input[1]
    if not paddings_layer_name.endswith('/paddings'):
        raise ValueError("Padding layer name does not end with '/paddings'")
    paddings_node = name_to_node[paddings_layer_name]
    if paddings_node.op != 'Const':
        raise ValueError('Padding op is not Const')
    t = tf.make_ndarray(paddings_node.attr['value'].tensor)
    if (t[0][0] != 0) or (t[0][1] != 0):
        raise ValueError('padding is not zero for first tensor dim')
    if (t[3][0] != 0) or (t[3][1] != 0):
        raise ValueError('padding is not zero for last tensor dim')
    return t[2][0] + t[2][1], t[2][0], t[1][0] + t[1][1], t[1][0]


def get_layer_params(node, name_to_node, input_resolution=None, force=False):
    """The receptive-field parameters of a node: (kernel_size_x, kernel_size_y, stride_x,
    stride_y, padding_x, padding_y, total_padding_x, total_padding_y), paddings None where
    SAME padding depends on an unknown input resolution ([height, width]). An op that is
    not a convolution, pooling, Pad or element-wise op raises ValueError, or with `force`
    gives None for each."""
    def conv_or_pool_paddings(kernel_size_x, kernel_size_y, stride_x, stride_y):
        height, width = input_resolution if input_resolution is not None else (None, None)
        total_padding_x, padding_x = _padding_size_conv_pool(node, kernel_size_x, stride_x,
                                                             width)
        total_padding_y, padding_y = _padding_size_conv_pool(node, kernel_size_y, stride_y,
                                                             height)
        return (kernel_size_x, kernel_size_y, stride_x, stride_y, padding_x, padding_y,
                total_padding_x, total_padding_y)

    if node.op in ('Conv2D', 'DepthwiseConv2dNative'):
        return conv_or_pool_paddings(*_conv_kernel_size(node, name_to_node),
                                     *_stride_size(node, name_to_node))
    if node.op in ('MaxPool', 'MaxPoolV2', 'AvgPool'):
        return conv_or_pool_paddings(*_pool_kernel_size(node, name_to_node),
                                     *_stride_size(node, name_to_node))
    if node.op == 'Pad':
        total_padding_x, padding_x, total_padding_y, padding_y = (
            _padding_size_pad_layer(node, name_to_node))
        return 1, 1, 1, 1, padding_x, padding_y, total_padding_x, total_padding_y
    if node.op in _UNCHANGED_RF_LAYER_OPS:
        return 1, 1, 1, 1, 0, 0, 0, 0
    if force:
        return (None,) * 8
    raise ValueError("Unknown layer for operation '%s': %s" % (node.name, node.op))


# --- graph_compute_order: the topological order and each node's feature-map size -------

def parse_graph_nodes(graph_def):
    """{node name: NodeDef} of a GraphDef."""
    return {node_def.name: node_def for node_def in graph_def.node}


_node_info = collections.namedtuple('NodeInfo',
                                    field_names=['order', 'node', 'input_size', 'output_size'])


def _compute_output_resolution(input_spatial_resolution, kernel_size, stride,
                               total_padding):
    """One axis' output size, or None where any argument is None."""
    if None in (input_spatial_resolution, kernel_size, stride, total_padding):
        return None
    return int(math.ceil((input_spatial_resolution + total_padding - kernel_size + 1) /
                         stride))


def _data_inputs(node_def):
    """The names of the nodes feeding `node_def`'s data inputs ('^' marks a control one)."""
    return [name.split(':')[0] for name in node_def.input if not name.startswith('^')]


def _compute_node(name_to_node, node_def, node_info, input_node_name, input_node_size):
    """The NodeInfo of a node whose inputs' are known: one more than its deepest input's
    order, and the feature-map size its first input (the feature map) gives it."""
    if node_def.name == input_node_name:
        return _node_info(0, node_def, None, input_node_size)
    parents = [node_info[name] for name in _data_inputs(node_def) if name in node_info]
    order = max([parent.order + 1 for parent in parents], default=0)
    input_size = parents[0].output_size if parents else None
    output_size = None
    if input_size is not None:
        kernel_size_x, kernel_size_y, stride_x, stride_y, _, _, total_x, total_y = (
            get_layer_params(node_def, name_to_node, input_size, force=True))
        output_size = [_compute_output_resolution(input_size[0], kernel_size_x, stride_x,
                                                  total_x),
                       _compute_output_resolution(input_size[1], kernel_size_y, stride_y,
                                                  total_y)]
    return _node_info(order, node_def, input_size, output_size)


def get_compute_order(graph_def, input_node_name='', input_node_size=None):
    """(node_info, name_to_node): each node's NodeInfo (order: its topological order;
    node: its NodeDef; input_size and output_size: its feature map's [height, width] where
    `input_node_size` is given for `input_node_name`, else None), and parse_graph_nodes'
    dict."""
    name_to_node = parse_graph_nodes(graph_def)
    node_info = collections.defaultdict(_node_info)

    def inputs_of(name):  # the input node's own inputs do not matter
        return iter([] if name == input_node_name else _data_inputs(name_to_node[name]))

    # Depth first from each node, as TF 1.15's recursion, but with a stack of its own:
    # networks deeper than Python's recursion limit work, and a loop's back edge (a
    # tf.while_loop's NextIteration) is left out where TF 1.15 recursed forever.
    for each in graph_def.node:
        if each.name in node_info:
            continue
        path, frames = {each.name}, [(each.name, inputs_of(each.name))]
        while frames:
            name, inputs = frames[-1]
            parent = next((parent for parent in inputs
                           if parent not in node_info and parent not in path), None)
            if parent is not None:
                path.add(parent)
                frames.append((parent, inputs_of(parent)))
                continue
            frames.pop()
            path.discard(name)
            node_info[name] = _compute_node(name_to_node, name_to_node[name], node_info,
                                            input_node_name, input_node_size)
    return node_info, name_to_node


# --- receptive_field: the network's receptive field ------------------------------------

class ReceptiveField:
    """Receptive field of a convolutional neural network: its size, effective stride and
    effective padding along each axis (x, y)."""

    def __init__(self, size, stride, padding):
        self.size = np.asarray(size)
        self.stride = np.asarray(stride)
        self.padding = np.asarray(padding)

    def compute_input_center_coordinates(self, y, axis=None):
        """The centres, at the network's input, of the receptive fields of the features at
        coordinates `y` (shape (..., d), d the number of axes)."""
        axis = list(range(self.size.size) if axis is None else axis)
        y = np.asarray(y)
        if y.shape[-1] != len(axis):
            raise ValueError('Dimensionality of the feature coordinates `y` (%d) does not '
                             'match dimensionality of `axis` (%d)' % (y.shape[-1], len(axis)))
        return -self.padding[axis] + y * self.stride[axis] + (self.size[axis] - 1) / 2

    def compute_feature_coordinates(self, x, axis=None):
        """The coordinates of the features whose receptive fields are centred at `x`."""
        axis = list(range(self.size.size) if axis is None else axis)
        x = np.asarray(x)
        if x.shape[-1] != len(axis):
            raise ValueError('Dimensionality of the input center coordinates `x` (%d) does '
                             'not match dimensionality of `axis` (%d)'
                             % (x.shape[-1], len(axis)))
        return (x + self.padding[axis] + (1 - self.size[axis]) / 2) / self.stride[axis]

    def __iter__(self):
        return iter(np.concatenate([self.size, self.stride, self.padding]))


class _Field:
    """One axis' receptive field at a node: size, effective stride and effective padding
    (None where a SAME padding is unknown)."""

    def __init__(self, size, stride, padding):
        self.size, self.stride, self.padding = size, stride, padding

    def at_input(self, kernel_size, stride, padding, undefined_padding):
        """The field at the input of a layer of these parameters."""
        return _Field(stride * self.size + kernel_size - stride, stride * self.stride,
                      None if undefined_padding else stride * self.padding + padding)

    def centre_shift(self):
        return (self.size - 1) / 2 - self.padding


def _name(node):
    """An op's name, from its name, the op, a tensor or a tensor's name ('output:0')."""
    return (node if isinstance(node, str) else node.name).split(':')[0]


def compute_receptive_field_from_graph_def(graph_def, input_node, output_node,
                                           stop_propagation=None, input_resolution=None):
    """The ReceptiveField of `output_node` at `input_node` (each a name or a tensor) of a
    Graph or GraphDef; iterating it gives (size_x, size_y, stride_x, stride_y, padding_x,
    padding_y). The propagation stops at inputs whose names start with any of
    `stop_propagation`; `input_resolution` ([height, width]) settles SAME paddings that
    depend on the input's size. ValueError where the branches are not aligned (different
    effective strides or centres), or either node is not in the graph."""
    if isinstance(graph_def, tf.Graph):
        graph_def = graph_def.as_graph_def()
    input_node, output_node = _name(input_node), _name(output_node)
    stop_propagation = stop_propagation or []
    node_info, name_to_node = get_compute_order(graph_def, input_node_name=input_node,
                                                input_node_size=input_resolution)
    fields = {output_node: (_Field(1, 1, 0), _Field(1, 1, 0))}
    found_output_node = False
    undefined_padding = False
    for _, (_, node, _, _) in sorted(node_info.items(), key=lambda item: -item[1].order):
        if not node:
            continue
        if node.name == input_node:
            break
        found_output_node = found_output_node or node.name == output_node
        if not found_output_node or node.name not in fields:
            continue  # not on a path from the input to the output
        kernel_x, kernel_y, stride_x, stride_y, padding_x, padding_y, _, _ = (
            get_layer_params(node, name_to_node, node_info[node.name].input_size))
        if padding_x is None or padding_y is None:
            undefined_padding = True
        field_x, field_y = fields[node.name]
        inputs = (field_x.at_input(kernel_x, stride_x, padding_x, undefined_padding),
                  field_y.at_input(kernel_y, stride_y, padding_y, undefined_padding))
        for input_name in node.input:
            if any(input_name.startswith(stop) for stop in stop_propagation):
                continue
            if input_name.startswith('^'):  # a control dependency
                continue
            input_name = input_name.split(':')[0]
            if input_name not in fields:
                fields[input_name] = inputs
                continue
            # Reached again by another path: the paths must be aligned.
            known = fields[input_name]
            if not undefined_padding:
                for axis, direction in enumerate(('horizontal', 'vertical')):
                    if known[axis].stride != inputs[axis].stride:
                        raise ValueError('Graph is not aligned since effective stride from '
                                         'different paths is different in %s direction'
                                         % direction)
                    if known[axis].centre_shift() != inputs[axis].centre_shift():
                        raise ValueError('Graph is not aligned since center shift from '
                                         'different paths is different in %s direction'
                                         % direction)
            # Keep the path of the larger field, for each direction.
            fields[input_name] = tuple(new if known_axis.size < new.size else known_axis
                                       for known_axis, new in zip(known, inputs))
    if not found_output_node:
        raise ValueError('Output node was not found')
    if input_node not in fields:
        raise ValueError('Input node was not found')
    field_x, field_y = fields[input_node]
    return ReceptiveField((field_x.size, field_y.size), (field_x.stride, field_y.stride),
                          (field_x.padding, field_y.padding))
