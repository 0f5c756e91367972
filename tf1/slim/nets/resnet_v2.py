"""slim.nets.resnet_v2 as TF 1.15 had it: the pre-activation ResNets (He et al. 2016), batch
norm and ReLU before each convolution, 50 to 200 layers deep, under the variable names of
the published slim checkpoints (`resnet_v2_50/block1/unit_1/bottleneck_v2/preact/beta` ...,
`resnet_v2_50/postnorm/gamma`).

    with slim.arg_scope(resnet_v2.resnet_arg_scope()):
        net, end_points = resnet_v2.resnet_v2_50(images, 1001, is_training=False)
"""
import functools

import tensorflow.compat.v1 as tf

from tf1.contrib_framework.arg_scope import add_arg_scope
from tf1.contrib_layers import batch_norm, conv2d, utils
from tf1.slim.nets import resnet_utils

resnet_arg_scope = resnet_utils.resnet_arg_scope


@add_arg_scope
def bottleneck(inputs, depth, depth_bottleneck, stride, rate=1, outputs_collections=None,
               scope=None):
    """shortcut + conv3(conv2(conv1(preact))), preact = relu(batch_norm(inputs)): the
    convolutions as v1's, conv3 and the shortcut's without batch norm or ReLU; the
    shortcut the inputs subsampled, or a 1×1 convolution of preact where the depth
    changes."""
    with tf.variable_scope(scope, 'bottleneck_v2', [inputs]) as sc:
        depth_in = utils.last_dimension(inputs.get_shape(), min_rank=4)
        preact = batch_norm(inputs, activation_fn=tf.nn.relu, scope='preact')
        if depth == depth_in:
            shortcut = resnet_utils.subsample(inputs, stride, 'shortcut')
        else:
            shortcut = conv2d(preact, depth, [1, 1], stride=stride, normalizer_fn=None,
                              activation_fn=None, scope='shortcut')
        residual = conv2d(preact, depth_bottleneck, [1, 1], stride=1, scope='conv1')
        residual = resnet_utils.conv2d_same(residual, depth_bottleneck, 3, stride, rate=rate,
                                            scope='conv2')
        residual = conv2d(residual, depth, [1, 1], stride=1, normalizer_fn=None,
                          activation_fn=None, scope='conv3')
        output = shortcut + residual
        return utils.collect_named_outputs(outputs_collections, sc.name, output)


def resnet_v2(inputs, blocks, num_classes=None, is_training=True, global_pool=True,
              output_stride=None, include_root_block=True, reuse=None, scope=None):
    """A v2 ResNet of `blocks` (resnet_utils.resnet says what it adds around them).
    Returns (net, end_points) as resnet_v1 does."""
    return resnet_utils.resnet(inputs, blocks, bottleneck, num_classes, is_training,
                               global_pool, output_stride, include_root_block, reuse, scope,
                               'resnet_v2', preactivation=True)


resnet_v2.default_image_size = 224
resnet_v2_block = functools.partial(resnet_utils.resnet_block, bottleneck)


resnet_v2_50 = resnet_utils.network_of_depth(resnet_v2, resnet_v2_block, 50)
resnet_v2_101 = resnet_utils.network_of_depth(resnet_v2, resnet_v2_block, 101)
resnet_v2_152 = resnet_utils.network_of_depth(resnet_v2, resnet_v2_block, 152)
resnet_v2_200 = resnet_utils.network_of_depth(resnet_v2, resnet_v2_block, 200)
