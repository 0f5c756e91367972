"""Batch norms folded into the convolution or fully connected layer before them (TF 1.15's
contrib/quantize/python/fold_batch_norms.py), so that what is quantised is the weights the
layer will have at inference: conv(x, w) then batch norm becomes

    conv(x, w * gamma / sqrt(variance + epsilon)) + (beta - mean * gamma / sqrt(...))

In training the batch's statistics are used, with TF 1.15's corrections that let the
weights be scaled by the moving variance (which changes slowly) and, from
`freeze_batch_norm_delay` steps on, the moving statistics alone.

Fused batch norms (FusedBatchNorm, FusedBatchNormV3: what tf.layers, slim and
tf.contrib.layers build by default) are folded. Unfused ones (`fused=False`), which TF
1.15 found by the op names of its own version, are refused in one line."""
import tensorflow.compat.v1 as tf
from tensorflow.core.framework import attr_value_pb2
from tensorflow.python.framework import smart_cond

from tf1 import unsupported
from tf1.contrib_quantize import common
from tf1.contrib_quantize import graph_matcher as gm


def FoldBatchNorms(graph, is_training, freeze_batch_norm_delay=None):
    """Fold every batch norm after a Conv2D, DepthwiseConv2dNative or MatMul in `graph`
    into it, in place (nothing changed if one is unfused, which is refused)."""
    unfused = common.unfused_batch_norm_groups(graph)
    if unfused:
        raise unsupported.UnsupportedUseError(
            'tf.contrib.quantize: tf1 folds fused batch norms only, and %sBatchNorm is '
            'unfused: build it with fused=True (or None)' % unfused[0])
    for match in _fused_batch_norms(graph):
        _fold(graph, match, is_training, freeze_batch_norm_delay)


class _Match:
    """The tensors of one layer and its batch norm that folding needs."""

    def __init__(self, **tensors):
        self.__dict__.update(tensors)


def _pattern():
    """A layer followed by a fused batch norm (TF 1.15's pattern), its parts by name."""
    layer = gm.OpTypePattern('Conv2D|DepthwiseConv2dNative|MatMul', name='layer',
                             inputs=[gm.OpTypePattern('*', name='input'),
                                     gm.OpTypePattern('*', name='weight')])
    batch_to_space = gm.OpTypePattern('BatchToSpaceND', name='batch_to_space',
                                      inputs=[layer, '*', '*'])  # atrous convolutions
    layer_output = gm.OneofPattern([
        gm.OpTypePattern('Identity', inputs=[gm.OneofPattern([batch_to_space, layer])]),
        layer, batch_to_space])
    matmul_reshape = gm.OpTypePattern('Reshape', inputs=[layer_output, '*'])
    batch_norm = gm.OpTypePattern(
        'FusedBatchNorm|FusedBatchNormV3', name='batch_norm',
        inputs=[gm.OneofPattern([matmul_reshape, layer_output]),
                gm.OpTypePattern('*', name='gamma'), gm.OpTypePattern('*', name='beta'),
                gm.OpTypePattern('*', name='mean'), gm.OpTypePattern('*', name='variance')])
    # A MatMul's batch norm runs on it reshaped to 4-D, and is reshaped back.
    output_reshape = gm.OpTypePattern('Reshape', name='output_reshape',
                                      inputs=[batch_norm, '*'])
    return gm.OneofPattern([output_reshape, batch_norm])


def _moving_average_updates(graph):
    """(the moving statistic, the update's decay) for each batch statistic an
    assign_moving_average reads, `(moving - batch) * decay`, by the batch tensor."""
    batch = gm.OpTypePattern('*', name='batch')
    update = gm.OpTypePattern('Mul', inputs=[
        gm.OpTypePattern('Sub', inputs=[gm.OpTypePattern('*', name='moving'), batch]),
        gm.OpTypePattern('*', name='decay')])
    return {match.get_tensor('batch'): (match.get_tensor('moving'), match.get_tensor('decay'))
            for match in gm.GraphMatcher(update).match_graph(graph)}


def _fused_batch_norms(graph):
    """A _Match for each layer followed by a fused batch norm whose output is used."""
    updates = _moving_average_updates(graph)
    matches, layers = [], set()
    for result in gm.GraphMatcher(_pattern()).match_graph(graph):
        layer = result.get_op('layer')
        match = _match(result, updates)
        if match is not None and layer not in layers:
            layers.add(layer)
            matches.append(match)
    return matches


def _match(result, updates):
    layer, batch_norm = result.get_op('layer'), result.get_op('batch_norm')
    output = batch_norm.outputs[0]
    if layer.type == 'MatMul':
        if result.get_op('output_reshape') is None:
            return None  # matched again with the reshape back to 2-D
        output = result.get_op('output_reshape').outputs[0]
    if not output.consumers():
        return None  # a dangling batch norm
    match = _Match(layer=layer, batch_norm=batch_norm, output=output,
                   input=result.get_tensor('input'), weight=result.get_tensor('weight'),
                   gamma=result.get_tensor('gamma'), beta=result.get_tensor('beta'),
                   batch_to_space=result.get_op('batch_to_space'),
                   epsilon=batch_norm.get_attr('epsilon'))
    if not batch_norm.get_attr('is_training'):
        match.mean, match.variance = result.get_tensor('mean'), result.get_tensor('variance')
        return match
    # In training the batch norm's outputs 1 and 2 are the batch's mean and variance, whose
    # gradients FusedBatchNormGrad does not give: the fold reads them, so give them.
    batch_norm._set_attr('_gradient_op_type', attr_value_pb2.AttrValue(
        s=b'FoldFusedBatchNormGrad'))  # pylint: disable=protected-access
    match.mean = batch_norm.outputs[1]
    scope = batch_norm.name.rpartition('/')[0]
    with tf.get_default_graph().name_scope(scope + '/' if scope else None):
        # The variance output has Bessel's correction (for the moving average); the batch
        # was normalised by the biased one.
        n = tf.cast(tf.size(result.get_tensor('layer')) / tf.size(match.mean), tf.float32)
        match.variance = tf.multiply(batch_norm.outputs[2], (n - 1) / n,
                                     name='Undo_Bessel_Correction')
    match.moving_mean, match.mean_decay = updates.get(batch_norm.outputs[1], (None, None))
    match.moving_variance, match.variance_decay = updates.get(batch_norm.outputs[2],
                                                              (None, None))
    return match


def _fold(graph, match, is_training, freeze_batch_norm_delay):
    scope = match.layer.name.rpartition('/')[0]
    scope = scope + '/' if scope else ''
    with graph.as_default(), graph.name_scope(scope or None):
        with graph.name_scope(scope + 'BatchNorm_Fold/'):
            multiplier = match.gamma * tf.rsqrt(match.variance + match.epsilon)
            bias = tf.subtract(match.beta, match.mean * multiplier, name='bias')
            correction_scale = correction_recip = correction_offset = None
            if is_training:
                if match.moving_mean is None or match.moving_variance is None:
                    raise ValueError('Folding batch norms failed: no moving average '
                                     'updates of %s found' % match.batch_norm.name)
                correction_scale, correction_recip, correction_offset = _corrections(
                    match, freeze_batch_norm_delay)
            if match.layer.type == 'DepthwiseConv2dNative':
                # Depthwise weights are [h, w, in, multiplier]: scale their last two axes.
                shape = match.weight.get_shape().as_list()[2:]
                multiplier = tf.reshape(multiplier, shape, name='scale_reshape')
                if correction_scale is not None:
                    correction_scale = tf.reshape(correction_scale, shape,
                                                  name='correction_reshape')
        weights = match.weight
        if correction_scale is not None:
            weights = tf.multiply(correction_scale, weights, name='correction_mult')
        layer = _clone_layer(match, tf.multiply(weights, multiplier, name='mul_fold'))
        if correction_recip is not None:
            layer = tf.multiply(correction_recip, layer, name='post_conv_mul')
            layer = tf.add(layer, correction_offset, 'correction_add')
        folded = tf.add(layer, bias, name='add_fold')
        if common.RerouteTensor(folded, match.output) == 0:
            raise ValueError('Folding batch norms failed, %s had no outputs.'
                             % match.output.name)


def _corrections(match, freeze_batch_norm_delay):
    """TF 1.15's corrections (scale, its reciprocal, offset): the weights are scaled by
    the moving statistics and the layer's output corrected back to the batch's, until
    the moving statistics are frozen, from `freeze_batch_norm_delay` steps on, and used
    alone (their update's decay then 0)."""
    with tf.get_default_graph().name_scope('batch_norm_correction'):
        recip_sigma_moving = tf.rsqrt(match.moving_variance + match.epsilon)
        recip_sigma = tf.rsqrt(match.variance + match.epsilon)
        scale = tf.identity(tf.divide(recip_sigma_moving, recip_sigma, name='scale_compute'),
                            name='correction_scale')
        recip = tf.reciprocal(scale, name='reciprocal_compute')
        offset = tf.multiply(match.gamma, match.mean * recip_sigma -
                             match.moving_mean * recip_sigma_moving, name='offset_compute')
        frozen = False
        if freeze_batch_norm_delay is not None:
            frozen = tf.greater_equal(common.CreateOrGetQuantizationStep(),
                                      freeze_batch_norm_delay, name='use_moving_average')
        for decay, name in ((match.mean_decay, 'freeze_moving_mean'),
                            (match.variance_decay, 'freeze_moving_var')):
            consumers = list(decay.consumers())
            frozen_decay = smart_cond.smart_cond(frozen, lambda: 0.0, lambda: decay, name=name)
            common.RerouteTensor(frozen_decay, decay, can_modify=consumers)
        recip = smart_cond.smart_cond(frozen, lambda: tf.ones(scale.shape), lambda: recip,
                                      name='correction_recip')
        offset = smart_cond.smart_cond(frozen, lambda: offset, lambda: tf.zeros(offset.shape),
                                       name='correction_offset')
    return scale, recip, offset


def _clone_layer(match, weights):
    """The layer op again, on its input and the folded `weights`."""
    layer, name = match.layer, match.layer.name.split('/')[-1] + '_Fold'
    if layer.type == 'Conv2D':
        return tf.nn.conv2d(match.input, weights, strides=layer.get_attr('strides'),
                            padding=layer.get_attr('padding'),
                            data_format=layer.get_attr('data_format').decode(),
                            dilations=layer.get_attr('dilations'), name=name)
    if layer.type == 'MatMul':
        return tf.matmul(match.input, weights, transpose_a=layer.get_attr('transpose_a'),
                         transpose_b=layer.get_attr('transpose_b'), name=name)
    # DepthwiseConv2dNative: an atrous one's input is already SpaceToBatchND's, whose
    # BatchToSpaceND follows it again.
    conv = tf.nn.depthwise_conv2d(match.input, weights, strides=layer.get_attr('strides'),
                                  padding=layer.get_attr('padding'), name=name)
    if match.batch_to_space is not None:
        batch_to_space = match.batch_to_space
        conv = tf.batch_to_space_nd(conv, batch_to_space.inputs[1], batch_to_space.inputs[2],
                                    name=batch_to_space.name.split('/')[-1] + '_Fold')
    return conv


@tf.RegisterGradient('FoldFusedBatchNormGrad')
def _fold_fused_batch_norm_grad(op, unused_grad_y, grad_mean, grad_var, *unused):
    """The gradient of a training batch norm's batch mean and variance outputs (the
    folded layer reads them; its output 0 is no longer used)."""
    x = op.inputs[0]
    n = tf.cast(tf.size(x) / tf.size(grad_mean), tf.float32)
    dmean_dx = grad_mean / n
    dvar_dx = 2 * grad_var * (x - op.outputs[1]) / (n - 1)
    return (dmean_dx + dvar_dx), None, None, None, None
