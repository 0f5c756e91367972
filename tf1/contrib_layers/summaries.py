"""contrib.layers' summaries of activations and tensors."""
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
    """A scalar summary of a scalar tensor, a histogram of any other."""
    tag = tag or tensor.op.name
    if tensor.shape.ndims == 0:
        return tf.summary.scalar(tag, tensor)
    return tf.summary.histogram(tag, tensor)


def summarize_tensors(tensors, summarizer=summarize_tensor):
    return [summarizer(tensor) for tensor in tensors]
