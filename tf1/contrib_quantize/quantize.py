"""Fake quantisation inserted into a graph (TF 1.15's contrib/quantize/python/quantize.py):
after the weights of each Conv2D, DepthwiseConv2dNative and MatMul layer (`weights_quant`,
the last batch's range), after its activation (`act_quant`, a moving average of the
ranges), around a bypass (residual) Add (`conv_quant`, `add_quant`) and after one that
follows the activation (`post_activation_bypass_quant`), and after the other Adds and Muls
of quantised tensors (`activation_<type>_quant`): where TensorFlow Lite's integer kernels
will round, so that training learns weights that survive the rounding."""
import re

import tensorflow.compat.v1 as tf

from tf1.contrib_quantize import common
from tf1.contrib_quantize import graph_matcher as gm
from tf1.contrib_quantize import quant_ops

_QUANTIZABLE_TYPES = 'Conv2D|MatMul|DepthwiseConv2dNative'
_ACTIVATION_TYPES = {'Relu', 'Relu6', 'Identity'}
_RELU_TYPES = {'Relu', 'Relu6'}
# For the other Adds and Muls: which follow fake quantisation, through which ops.
_INTERMEDIATE_TYPES = {'Add', 'AddV2', 'Mul'}
_PASS_THROUGH_TYPES = {'Reshape', 'Identity', 'BatchToSpaceND', 'SpaceToBatchND', 'MaxPool',
                       'Max'}
_FAKE_QUANT_TYPES = {'FakeQuantWithMinMaxVars', 'FakeQuantWithMinMaxArgs',
                     'FakeQuantWithMinMaxVarsPerChannel'}


def Quantize(graph, is_training, weight_bits=8, activation_bits=8, symmetric=False,
             ema_decay=0.999, quant_delay=None, vars_collection=tf.GraphKeys.GLOBAL_VARIABLES,
             scope=None):
    """Insert fake quantisation into `graph` in place (only where the ops are in `scope`,
    if given). `quant_delay`: the number of steps before it acts (the tensors pass through
    unchanged until then)."""
    if scope and not scope.endswith('/'):
        scope += '/'
    consumers_of = common.InputToOps(graph).ConsumerOperations
    insert = _Inserter(is_training, ema_decay, quant_delay, vars_collection, symmetric)
    quantized = set()
    for layer in _layers_to_quantize(graph):
        context = _context(layer.layer_op.name)
        if layer.weight_tensor is not None:
            insert(context, 'weights_quant', layer.weight_tensor.op,
                   consumers_of(layer.weight_tensor.op), moving_avg=False, narrow_range=True,
                   bits=weight_bits, consumer_scope=scope)
        add_context = _context(context) if layer.bypass_op is not None else context
        if layer.activation_op is not None:
            insert(add_context, 'act_quant', layer.activation_op,
                   consumers_of(layer.activation_op), bits=activation_bits, init_min=0.0,
                   producer_scope=scope)
            quantized.add(layer.activation_op)
        if layer.bypass_op is not None:
            insert(context, 'conv_quant', layer.bias_add_op, consumers_of(layer.bias_add_op),
                   bits=activation_bits, producer_scope=scope, consumer_scope=scope)
            quantized.add(layer.bias_add_op)
            # An activation after the Add is fused into it by TensorFlow Lite: nothing to
            # round between them.
            consumers = consumers_of(layer.bypass_op)
            if any(op.type in _ACTIVATION_TYPES for op in consumers):
                tf.logging.info('Skipping %s, because its followed by an activation.',
                                layer.bypass_op.name)
            else:
                insert(add_context, 'add_quant', layer.bypass_op, consumers,
                       bits=activation_bits, producer_scope=scope, consumer_scope=scope)
                quantized.add(layer.bypass_op)
        if layer.post_activation_bypass_op is not None:
            consumers = consumers_of(layer.post_activation_bypass_op)
            if any(op.type in _RELU_TYPES for op in consumers):
                tf.logging.info('Skipping %s, because its followed by an activation.',
                                layer.post_activation_bypass_op.name)
            else:
                insert(_context(layer.post_activation_bypass_op.name),
                       'post_activation_bypass_quant', layer.post_activation_bypass_op,
                       consumers, bits=activation_bits, producer_scope=scope)
                quantized.add(layer.post_activation_bypass_op)
    _quantize_other_adds_and_muls(graph, quantized, insert, activation_bits, scope)


def _quantize_other_adds_and_muls(graph, quantized, insert, bits, scope):
    consumers_of = common.InputToOps(graph).ConsumerOperations
    for op in graph.get_operations():
        if _follows_quantization(op, quantized):
            tf.logging.info('Inserting fake quant op activation_%s_quant after %s',
                            op.type, op.name)
            insert(op.name, 'activation_%s_quant' % op.type, op, consumers_of(op), bits=bits,
                   producer_scope=scope)


def _follows_quantization(op, quantized):
    """Whether `op` is an Add or Mul not yet quantised, not followed by a Relu alone, of
    an input that is fake-quantised (through pass-through ops and other such Adds)."""
    if op in quantized or op.type not in _INTERMEDIATE_TYPES:
        return False
    if len(op.outputs) == 1 and len(op.outputs[0].consumers()) == 1:
        if op.outputs[0].consumers()[0].type in _RELU_TYPES:
            tf.logging.info('Skipping quant after %s', op.name)
            return False
    for tensor in op.inputs:
        source = tensor.op
        while source.type in _PASS_THROUGH_TYPES:
            source = source.inputs[0].op
        if (source.type == 'FakeQuantWithMinMaxVars'
                or source.name.find('delayed_quant/Merge') > 0):
            return True
        if source.type in _INTERMEDIATE_TYPES and any(
                _follows_quantization(upstream.op, quantized) for upstream in source.inputs):
            return True
    return False


class _LayerMatch:
    """A matched layer: its op, weights, activation, and bypasses and bias where found."""

    def __init__(self, layer_op, weight_tensor, activation_op, bypass_op=None,
                 post_activation_bypass_op=None, bias_add_op=None):
        self.layer_op, self.weight_tensor = layer_op, weight_tensor
        self.activation_op, self.bypass_op = activation_op, bypass_op
        self.post_activation_bypass_op = post_activation_bypass_op
        self.bias_add_op = bias_add_op


def _layers_to_quantize(graph):
    """Each quantisable layer once, matched as its largest form: TF 1.15's patterns,

        weights (a variable's read, a partitioned one's concat, a resource read, or a
        folded Mul) -> layer -> [BatchToSpaceND] -> [the fold's correction] ->
        [bias add | folded bias] -> [bypass Add] -> activation -> [post-activation Add]

    tried from the largest (a post-activation bypass) to the smallest (a separable
    convolution's depthwise layer, straight into the pointwise one)."""
    variable = gm.OpTypePattern('Variable|VariableV2')
    partition_identity = gm.OpTypePattern('Identity', inputs=[variable])
    partition_concat = gm.OpTypePattern('ConcatV2', inputs=[partition_identity, '*', '*'])
    weight_identity = gm.OpTypePattern('Identity', name='weight_identity', inputs=[
        gm.OneofPattern([partition_identity, partition_concat, variable])])
    weight_resource = gm.OpTypePattern('ReadVariableOp', name='weight_resource')
    folded_weight = gm.OpTypePattern('Mul', name='folded_weight')
    layer = gm.OpTypePattern(_QUANTIZABLE_TYPES, name='layer', ordered_inputs=False, inputs=[
        gm.OpTypePattern('*'),
        gm.OneofPattern([weight_identity, weight_resource, folded_weight])])
    batch_to_space = gm.OpTypePattern('BatchToSpaceND', inputs=[layer, '*', '*'])
    layer_output = gm.OneofPattern([batch_to_space, layer])
    separable = gm.OpTypePattern(_QUANTIZABLE_TYPES, inputs=[
        gm.OneofPattern([layer_output]), gm.OpTypePattern('*')], ordered_inputs=False)
    folded_bias_mul = gm.OpTypePattern('Mul', inputs=['*', layer_output],
                                       ordered_inputs=False)
    correction = gm.OpTypePattern('Add|AddV2', inputs=[folded_bias_mul, '*'],
                                  ordered_inputs=False)
    folded_bias_add = gm.OpTypePattern('Add|AddV2', name='folded_bias_add',
                                       inputs=[correction, '*'], ordered_inputs=False)
    batch_norm_identity = gm.OpTypePattern('Identity', inputs=[folded_bias_add])
    bias_add = gm.OpTypePattern('Add|AddV2|BiasAdd', name='bias_add',
                                inputs=[layer_output, '*'], ordered_inputs=False)
    bypass = gm.OpTypePattern('Add|AddV2', name='bypass', ordered_inputs=False, inputs=[
        gm.OneofPattern([bias_add, folded_bias_add, batch_norm_identity]), '*'])
    activation = gm.OpTypePattern('|'.join(sorted(_ACTIVATION_TYPES)), name='activation',
                                  inputs=[gm.OneofPattern([bias_add, folded_bias_add,
                                                           batch_norm_identity, bypass,
                                                           layer])])
    post_activation_bypass = gm.OpTypePattern('Add|AddV2', name='post_activation_bypass',
                                              inputs=['*', activation], ordered_inputs=False)

    def first(get, names):
        return next((get(name) for name in names if get(name) is not None), None)

    def weights(result, names=('weight_identity', 'weight_resource', 'folded_weight')):
        return first(result.get_tensor, names)

    def bias(result):
        return first(result.get_op, ('bias_add', 'folded_bias_add'))

    layers, seen = [], set()

    def add(result, make):
        op = result.get_op('layer')
        if op not in seen:
            match = make(result)
            if match is not None:
                seen.add(op)
                layers.append(match)

    for result in gm.GraphMatcher(post_activation_bypass).match_graph(graph):
        add(result, lambda r: _LayerMatch(
            r.get_op('layer'), weights(r), r.get_op('activation'), r.get_op('bypass'),
            r.get_op('post_activation_bypass'), bias(r)))
    for result in gm.GraphMatcher(activation).match_graph(graph):
        add(result, lambda r: None if _feeds_fused_batch_norm(r.get_op('activation')) else
            _LayerMatch(r.get_op('layer'), weights(r), r.get_op('activation'),
                        r.get_op('bypass'), None, bias(r)))
    # A last layer without an activation: its bias add's output is what is quantised.
    for result in gm.GraphMatcher(gm.OneofPattern([bias_add, folded_bias_add])).match_graph(
            graph):
        add(result, lambda r: _LayerMatch(r.get_op('layer'), weights(r), bias(r)))
    for result in gm.GraphMatcher(separable).match_graph(graph):
        add(result, lambda r: _LayerMatch(
            r.get_op('layer'), weights(r, ('weight_identity', 'weight_resource')),
            r.get_op('layer')))
    return layers


def _feeds_fused_batch_norm(activation_op):
    """conv -> Identity -> fused batch norm: after folding, the part that estimates the
    batch's statistics, not to be quantised."""
    if activation_op.type != 'Identity' or len(activation_op.outputs) != 1:
        return False
    consumers = activation_op.outputs[0].consumers()
    if len(consumers) == 1 and consumers[0].type in ('FusedBatchNorm', 'FusedBatchNormV3'):
        tf.logging.info('Skipping quantizing %s, because it is the output of a conv/fc '
                        'followed by a identity, feeding a fused batch norm.',
                        activation_op.name)
        return True
    return False


class _Inserter:
    """Inserts one fake quantisation between a producer op and its consumers."""

    def __init__(self, is_training, ema_decay, quant_delay, vars_collection, symmetric):
        self._is_training, self._ema_decay = is_training, ema_decay
        self._quant_delay, self._vars_collection = quant_delay, vars_collection
        self._symmetric = symmetric

    def __call__(self, context, name, producer, consumers, moving_avg=True, init_min=-6.0,
                 init_max=6.0, bits=8, narrow_range=False, producer_scope=None,
                 consumer_scope=None):
        if producer_scope and not producer.name.startswith(producer_scope):
            tf.logging.info('_InsertQuantOp ignores context="%s" name="%s" because producer '
                            '"%s" is not in scope "%s"', context, name, producer.name,
                            producer_scope)
            return
        if consumer_scope:
            outside = [op for op in consumers if not op.name.startswith(consumer_scope)]
            if outside:
                tf.logging.info('_InsertQuantOp context="%s" name="%s" ignores consumer '
                                '"%s" because it is not in scope "%s"', context, name,
                                outside[0].name, consumer_scope)
                return
        name_prefix = context + '/' + name if context else name
        name_scope = tf.get_default_graph().get_name_scope()
        if name_scope:  # TPU's replicated loops: not their scope twice
            name_prefix = common.DropStringPrefix(name_prefix, name_scope + '/')
        inputs = producer.outputs[0]
        if _followed_by_fake_quant(inputs):  # bypasses can be matched twice
            return
        quantize = quant_ops.MovingAvgQuantize if moving_avg else quant_ops.LastValueQuantize
        options = dict(ema_decay=self._ema_decay) if moving_avg else {}
        quant = quantize(inputs, init_min=init_min, init_max=init_max,
                         is_training=self._is_training, num_bits=bits,
                         symmetric=self._symmetric, narrow_range=narrow_range,
                         vars_collection=self._vars_collection, name_prefix=name_prefix,
                         **options)
        if self._quant_delay and self._quant_delay > 0:
            activate = tf.greater_equal(common.CreateOrGetQuantizationStep(),
                                        self._quant_delay, name=name_prefix + '/activate_quant')
            quant = tf.cond(activate, lambda: quant, lambda: inputs,
                            name=name_prefix + '/delayed_quant')
        if consumers:
            # An op can read the producer twice: at least one input per consumer.
            if common.RerouteTensor(quant, inputs, can_modify=consumers) < len(consumers):
                raise ValueError('No inputs quantized for ops: [%s]'
                                 % ', '.join(op.name for op in consumers))


def _followed_by_fake_quant(tensor):
    """Whether a fake quantisation already reads `tensor` (through Reshapes, Identities)."""
    consumers = list(tensor.consumers())
    while consumers:
        op = consumers.pop()
        if op.type in _FAKE_QUANT_TYPES:
            return True
        if op.type in ('Reshape', 'Identity'):
            for output in op.outputs:
                consumers.extend(output.consumers())
    return False


def _context(name):
    """The scope `name` is in ('' at the top)."""
    match = re.search(r'^(.*)/([^/]+)', name)
    return match.group(1) if match else ''
