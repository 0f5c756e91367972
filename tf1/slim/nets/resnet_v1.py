"""slim.nets.resnet_v1 as TF 1.15 had it: the original ResNets (He et al. 2015) of
bottleneck units with batch norm after each convolution, 50 to 200 layers deep, under the
variable names of the published slim checkpoints
(`resnet_v1_50/block1/unit_1/bottleneck_v1/conv1/weights` ...).

    with slim.arg_scope(resnet_v1.resnet_arg_scope()):
        net, end_points = resnet_v1.resnet_v1_50(images, 1000, is_training=False)
"""
import functools

import tensorflow.compat.v1 as tf

from tf1.contrib_framework.arg_scope import add_arg_scope
from tf1.contrib_layers import conv2d, utils
from tf1.slim.nets import resnet_utils

resnet_arg_scope = resnet_utils.resnet_arg_scope


@add_arg_scope
def bottleneck(inputs, depth, depth_bottleneck, stride, rate=1, outputs_collections=None,
               scope=None):
    """relu(shortcut + conv3(conv2(conv1(inputs)))): 1×1 to depth_bottleneck, 3×3 of
    `stride` (dilated by `rate`), 1×1 to depth without ReLU; the shortcut the inputs
    subsampled, or a 1×1 convolution where the depth changes."""
    with tf.variable_scope(scope, 'bottleneck_v1', [inputs]) as sc:
        depth_in = utils.last_dimension(inputs.get_shape(), min_rank=4)
        if depth == depth_in:
            shortcut = resnet_utils.subsample(inputs, stride, 'shortcut')
        else:
            shortcut = conv2d(inputs, depth, [1, 1], stride=stride, activation_fn=None,
                              scope='shortcut')
        residual = conv2d(inputs, depth_bottleneck, [1, 1], stride=1, scope='conv1')
        residual = resnet_utils.conv2d_same(residual, depth_bottleneck, 3, stride, rate=rate,
                                            scope='conv2')
        residual = conv2d(residual, depth, [1, 1], stride=1, activation_fn=None,
                          scope='conv3')
        output = tf.nn.relu(shortcut + residual)
        return utils.collect_named_outputs(outputs_collections, sc.name, output)


def resnet_v1(inputs, blocks, num_classes=None, is_training=True, global_pool=True,
              output_stride=None, include_root_block=True, reuse=None, scope=None):
    """A v1 ResNet of `blocks` (resnet_utils.resnet says what it adds around them).
    Returns (net, end_points): the logits [batch, 1, 1, num_classes] (with global_pool),
    or the last block's features when num_classes is None."""
    return resnet_utils.resnet(inputs, blocks, bottleneck, num_classes, is_training,
                               global_pool, output_stride, include_root_block, reuse, scope,
                               'resnet_v1', preactivation=False)


resnet_v1.default_image_size = 224
resnet_v1_block = functools.partial(resnet_utils.resnet_block, bottleneck)


resnet_v1_50 = resnet_utils.network_of_depth(resnet_v1, resnet_v1_block, 50)
resnet_v1_101 = resnet_utils.network_of_depth(resnet_v1, resnet_v1_block, 101)
resnet_v1_152 = resnet_utils.network_of_depth(resnet_v1, resnet_v1_block, 152)
resnet_v1_200 = resnet_utils.network_of_depth(resnet_v1, resnet_v1_block, 200)
