"""tf.nn.softmax and tf.nn.log_softmax over tensors of any rank, as TF 1.x's kernels took
them. TF 2.21's oneDNN kernels (on by default on x86) refuse more than 5 dimensions at run
time ("Input dims must be <= 5": tensor2tensor's 2-D local attention is 6-D); a tensor of
higher static rank is normalised as a matrix of its rows instead, the same numbers."""
import tensorflow.compat.v1 as tf
from tensorflow.python.util import deprecation

MAX_RANK = 5  # what oneDNN's kernels take


def softmax(logits, axis=None, name=None, dim=None):
    return _any_rank(tf.nn.softmax, logits, axis, name, dim)


def log_softmax(logits, axis=None, name=None, dim=None):
    return _any_rank(tf.nn.log_softmax, logits, axis, name, dim)


def _any_rank(op, logits, axis, name, dim):
    axis = deprecation.deprecated_argument_lookup('axis', axis, 'dim', dim)
    logits = tf.convert_to_tensor(logits)
    rank = logits.shape.ndims
    if rank is None or rank <= MAX_RANK:
        return op(logits, axis=axis, name=name)
    axis = (-1 if axis is None else axis) % rank
    with tf.name_scope(name, op.__name__.title().replace('_', ''), [logits]) as scope:
        order = [d for d in range(rank) if d != axis] + [axis]  # the axis last
        moved = tf.transpose(logits, order) if axis != rank - 1 else logits
        rows = op(tf.reshape(moved, [-1, tf.shape(moved)[-1]]))
        result = tf.reshape(rows, tf.shape(moved))
        if axis != rank - 1:
            result = tf.transpose(result, [order.index(d) for d in range(rank)])
        result.set_shape(logits.shape)
        return tf.identity(result, name=scope)
