"""What the quantization rewrite's steps share (TF 1.15's contrib/quantize/python/common.py,
input_to_ops.py): the step counter its delays read, rerouting a tensor's consumers, and
finding an op's consumers."""
import re

import tensorflow.compat.v1 as tf

from tf1.contrib_graph_editor import reroute

# Ops of the backward pass and of summaries: never part of a layer to rewrite.
SKIPPED_PREFIXES = ('gradients/', 'RMSProp/', 'Adagrad/', 'Const_', 'HistogramSummary',
                    'ScalarSummary')

# The names of the ops of an unfused batch norm (tf.nn.batch_normalization inside a
# `BatchNorm` scope): the group's prefix.
_UNFUSED_BATCH_NORM = re.compile(r'^(.*)BatchNorm/batchnorm')


def unfused_batch_norm_groups(graph):
    """The scopes of the graph's unfused batch norms, in graph order, each once."""
    groups = {}
    for op in graph.get_operations():
        match = _UNFUSED_BATCH_NORM.search(op.name)
        if match and not match.group(1).startswith(SKIPPED_PREFIXES):
            groups[match.group(1)] = True
    return list(groups)


def CreateOrGetQuantizationStep():
    """The number of times the rewritten graph has run: a variable `fake_quantization_step`
    incremented at each read (quant_delay and freeze_bn_delay compare it), one per graph."""
    graph = tf.get_default_graph()
    try:
        return graph.get_tensor_by_name('fake_quantization_step/Identity:0')
    except KeyError:
        with graph.name_scope(None):
            step = tf.get_variable(
                'fake_quantization_step', shape=[], dtype=tf.int64,
                initializer=tf.zeros_initializer(), trainable=False,
                collections=[tf.GraphKeys.GLOBAL_VARIABLES],
                aggregation=tf.VariableAggregation.ONLY_FIRST_REPLICA)
            with graph.name_scope(step.op.name + '/'):
                # An identity, so that ref and resource variables give the same name.
                return tf.identity(tf.assign_add(step, 1))


def DropStringPrefix(string, prefix):
    """`string` without `prefix`, where it starts with it."""
    return string[len(prefix):] if string.startswith(prefix) else string


def RerouteTensor(new, old, can_modify=None):
    """Make the consumers of tensor `old` (those in `can_modify`, if given) read `new`
    instead; the number of inputs changed (graph_editor's reroute_ts of one pair)."""
    return reroute.reroute_ts([new], [old], can_modify=can_modify)


class InputToOps:
    """The ops that consume each op's outputs, as the graph was when this was made (the
    rewrite adds consumers that must not be rerouted)."""

    def __init__(self, graph):
        self._consumers = {}
        for op in graph.get_operations():
            if not op.name.startswith(SKIPPED_PREFIXES):
                for tensor in op.inputs:
                    self._consumers.setdefault(tensor.op.name, set()).add(op)

    def ConsumerOperations(self, producer_op):
        """The set of ops that consumed `producer_op`'s outputs."""
        return set(self._consumers.get(producer_op.name, ()))
