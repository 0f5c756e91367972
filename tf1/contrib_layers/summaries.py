"""contrib.layers' summaries of activations and tensors."""
import functools
import re

import tensorflow.compat.v1 as tf


def summarize_activation(op):
    """A histogram of the activation `op`; for ReLUs also the fraction of units below zero
    before it (and for ReLU6 of those above six)."""
    name = op.op.name
    if op.op.type in ('Relu', 'Softplus', 'Relu6'):
        preactivation = op.op.inputs[0]
        below_zero = tf.less(preactivation, tf.cast(0.0, preactivation.dtype))
        tf.summary.scalar(name + '/zeros', tf.reduce_mean(tf.cast(below_zero, tf.float32)))
        if op.op.type == 'Relu6':
            above_six = tf.greater(preactivation, tf.cast(6.0, preactivation.dtype))
            tf.summary.scalar(name + '/sixes', tf.reduce_mean(tf.cast(above_six, tf.float32)))
    return tf.summary.histogram(name + '/activation', op)


def summarize_tensor(tensor, tag=None):
    """A scalar summary of a scalar tensor, a histogram of any other; none (None) for
    strings and bools, which neither summary takes."""
    if tensor.dtype.base_dtype in (tf.string, tf.bool):
        return None
    tag = tag or '%s_summary' % tensor.op.name
    if tensor.shape.ndims == 0:
        return tf.summary.scalar(tag, tensor)
    return tf.summary.histogram(tag, tensor)


def summarize_tensors(tensors, summarizer=summarize_tensor):
    return [summarizer(tensor) for tensor in tensors]


def summarize_collection(collection, name_filter=None, summarizer=summarize_tensor):
    """Summaries of the tensors in a graph collection whose op names match the regular
    expression `name_filter` (from their start, as re.match), or of all of them."""
    tensors = [tensor for tensor in tf.get_collection(collection)
               if name_filter is None or re.match(name_filter, tensor.op.name)]
    return summarize_tensors(tensors, summarizer)


summarize_variables = functools.partial(summarize_collection, tf.GraphKeys.GLOBAL_VARIABLES)
summarize_weights = functools.partial(summarize_collection, tf.GraphKeys.WEIGHTS)
summarize_biases = functools.partial(summarize_collection, tf.GraphKeys.BIASES)


def summarize_activations(name_filter=None, summarizer=summarize_activation):
    """summarize_activation for each tensor in the ACTIVATIONS collection (where layers put
    their outputs when given outputs_collections=tf.GraphKeys.ACTIVATIONS)."""
    return summarize_collection(tf.GraphKeys.ACTIVATIONS, name_filter, summarizer)
