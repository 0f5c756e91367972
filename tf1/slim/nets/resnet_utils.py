"""slim.nets.resnet_utils as TF 1.15 had it: what ResNets v1 and v2 are built from. A
network is a list of Blocks, each a scope, a unit function and one dict of arguments per
unit (`depth`, `depth_bottleneck`, `stride`); stack_blocks_dense stacks them in scopes
`<block>/unit_<k>` and can keep the features denser than the nominal stride (atrous
convolution from `output_stride` on), for segmentation and detection.

Each block subsamples in its last unit, not its first: the same results as the paper's
arrangement, with less memory."""
import collections

import tensorflow.compat.v1 as tf

from tf1.contrib_framework.arg_scope import add_arg_scope, arg_scope
from tf1.contrib_layers import (batch_norm, conv2d, l2_regularizer, max_pool2d, softmax,
                                utils, variance_scaling_initializer)


class Block(collections.namedtuple('Block', ['scope', 'unit_fn', 'args'])):
    """One ResNet block: its scope, the unit function, and one dict of keyword arguments
    per unit."""


def subsample(inputs, factor, scope=None):
    """Every `factor`-th pixel (a 1×1 max pooling of that stride); the inputs if 1."""
    if factor == 1:
        return inputs
    return max_pool2d(inputs, [1, 1], stride=factor, scope=scope)


def conv2d_same(inputs, num_outputs, kernel_size, stride, rate=1, scope=None):
    """A 'SAME' convolution whose output does not depend on whether the input's size is
    even: with stride > 1 the input is zero-padded explicitly, then convolved 'VALID', so
    it equals a stride-1 convolution subsampled."""
    if stride == 1:
        return conv2d(inputs, num_outputs, kernel_size, stride=1, rate=rate, padding='SAME',
                      scope=scope)
    kernel_size_effective = kernel_size + (kernel_size - 1) * (rate - 1)
    pad_total = kernel_size_effective - 1
    pad_beg = pad_total // 2
    pad_end = pad_total - pad_beg
    inputs = tf.pad(inputs, [[0, 0], [pad_beg, pad_end], [pad_beg, pad_end], [0, 0]])
    return conv2d(inputs, num_outputs, kernel_size, stride=stride, rate=rate,
                  padding='VALID', scope=scope)


@add_arg_scope
def stack_blocks_dense(net, blocks, output_stride=None, outputs_collections=None):
    """The blocks applied in turn. Once the units' strides have multiplied up to
    `output_stride`, the later units run at stride 1 with their convolutions dilated by
    the strides skipped, so the output keeps that resolution."""
    current_stride = 1  # of the activations so far
    rate = 1  # the dilation the next units need
    for block in blocks:
        with tf.variable_scope(block.scope, 'block', [net]) as sc:
            for i, unit in enumerate(block.args):
                if output_stride is not None and current_stride > output_stride:
                    raise ValueError('The target output_stride cannot be reached.')
                with tf.variable_scope('unit_%d' % (i + 1), values=[net]):
                    if output_stride is not None and current_stride == output_stride:
                        net = block.unit_fn(net, rate=rate, **dict(unit, stride=1))
                        rate *= unit.get('stride', 1)
                    else:
                        net = block.unit_fn(net, rate=1, **unit)
                        current_stride *= unit.get('stride', 1)
            net = utils.collect_named_outputs(outputs_collections, sc.name, net)
    if output_stride is not None and current_stride != output_stride:
        raise ValueError('The target output_stride cannot be reached.')
    return net


def resnet_arg_scope(weight_decay=0.0001, batch_norm_decay=0.997, batch_norm_epsilon=1e-5,
                     batch_norm_scale=True):
    """Convolutions with L2 weight decay, He initialisation, batch norm (these settings,
    its updates in UPDATE_OPS) then ReLU; SAME max pooling (pool1 aligned for dense
    prediction, as fb.resnet.torch; the paper's code pads it VALID). Training or inference
    mode is the network's is_training argument, not this scope's, as in TF 1.x."""
    batch_norm_params = {'decay': batch_norm_decay,
                         'epsilon': batch_norm_epsilon, 'scale': batch_norm_scale,
                         'updates_collections': tf.GraphKeys.UPDATE_OPS}
    with arg_scope([conv2d], weights_regularizer=l2_regularizer(weight_decay),
                   weights_initializer=variance_scaling_initializer(),
                   activation_fn=tf.nn.relu, normalizer_fn=batch_norm,
                   normalizer_params=batch_norm_params):
        with arg_scope([batch_norm], **batch_norm_params):
            with arg_scope([max_pool2d], padding='SAME') as arg_sc:
                return arg_sc


def resnet_block(unit_fn, scope, base_depth, num_units, stride):
    """A block of bottleneck units `unit_fn` of `base_depth` (4 × that out), the last of
    stride `stride`."""
    unit = {'depth': base_depth * 4, 'depth_bottleneck': base_depth, 'stride': 1}
    return Block(scope, unit_fn, [unit] * (num_units - 1) + [dict(unit, stride=stride)])


# Units per block of the depths the papers define.
DEPTHS = {50: (3, 4, 6, 3), 101: (3, 4, 23, 3), 152: (3, 8, 36, 3), 200: (3, 24, 36, 3)}


def standard_blocks(block_fn, depth):
    """The four blocks of a ResNet of `depth` layers: 64, 128, 256, 512 bottleneck
    channels, strides 2, 2, 2, 1."""
    return [block_fn('block%d' % (k + 1), base_depth=64 * 2 ** k, num_units=units,
                     stride=2 if k < 3 else 1)
            for k, units in enumerate(DEPTHS[depth])]


def network_of_depth(generator, block_fn, depth):
    """`<generator>_<depth>` (resnet_v1_50 ...): the generator on the standard blocks of
    that depth, in a scope of that name."""
    name = '%s_%d' % (generator.__name__, depth)

    def network(inputs, num_classes=None, is_training=True, global_pool=True,
                output_stride=None, reuse=None, scope=name):
        return generator(inputs, standard_blocks(block_fn, depth), num_classes, is_training,
                         global_pool, output_stride, include_root_block=True, reuse=reuse,
                         scope=scope)
    network.__name__ = name
    network.__doc__ = 'ResNet-%d of %s; see %s() for the arguments.' % (
        depth, generator.__name__, generator.__name__)
    network.default_image_size = 224
    return network


def resnet(inputs, blocks, unit_fn, num_classes, is_training, global_pool, output_stride,
           include_root_block, reuse, scope, default_scope, preactivation):
    """ResNet v1 or v2 (`preactivation`) around `blocks`: the root (a 7×7 stride-2
    convolution `conv1`, without batch norm or ReLU in v2, whose units begin with them,
    and a 3×3 stride-2 max pool `pool1`), the blocks, v2's closing batch norm and ReLU
    (`postnorm`), global average pooling (`pool5`), and the logits as a 1×1 convolution
    (`logits`) with their softmax in end point `predictions` when num_classes is given.
    is_training sets every batch norm's mode (batch or moving statistics)."""
    with tf.variable_scope(scope, default_scope, [inputs], reuse=reuse) as sc:
        end_points_collection = sc.original_name_scope + '_end_points'
        with arg_scope([conv2d, unit_fn, stack_blocks_dense],
                       outputs_collections=end_points_collection), \
                arg_scope([batch_norm], is_training=is_training):
            net = inputs
            if include_root_block:
                if output_stride is not None:
                    if output_stride % 4 != 0:
                        raise ValueError('The output_stride needs to be a multiple of 4.')
                    output_stride //= 4
                with arg_scope([conv2d], **({'activation_fn': None, 'normalizer_fn': None}
                                            if preactivation else {})):
                    net = conv2d_same(net, 64, 7, stride=2, scope='conv1')
                net = max_pool2d(net, [3, 3], stride=2, scope='pool1')
            net = stack_blocks_dense(net, blocks, output_stride)
            if preactivation:
                net = batch_norm(net, activation_fn=tf.nn.relu, scope='postnorm')
            if global_pool:
                net = tf.reduce_mean(net, [1, 2], name='pool5', keepdims=True)
            if num_classes is not None:
                net = conv2d(net, num_classes, [1, 1], activation_fn=None, normalizer_fn=None,
                             scope='logits')
            end_points = utils.convert_collection_to_dict(end_points_collection)
            if num_classes is not None:
                end_points['predictions'] = softmax(net, scope='predictions')
            return net, end_points
