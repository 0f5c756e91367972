"""contrib.training's strategies for placing variables on parameter servers (TF 1.x's
device_setter.py), for tf.train.replica_device_setter(ps_strategy=...): a random task by a
hash of the op's name, or the least-loaded task so far by a load function such as
byte_size_load_fn."""
import hashlib

import numpy as np
import tensorflow.compat.v1 as tf

__all__ = ['RandomStrategy', 'GreedyLoadBalancingStrategy', 'byte_size_load_fn']


class RandomStrategy(object):
    """The ps task an MD5 hash of the op's name (and `seed`) picks: the same on every run."""

    def __init__(self, num_ps_tasks, seed=0):
        self._num_tasks = num_ps_tasks
        self._seed = seed

    def __call__(self, op):
        key = ('%s_%d' % (op.name, self._seed)).encode('utf-8')
        return int(int(hashlib.md5(key).hexdigest(), 16) % self._num_tasks)


class GreedyLoadBalancingStrategy(object):
    """The ps task with the least load so far, load_fn(op) added to it: sensitive to the
    order in which variables are made, as in TF 1.x."""

    def __init__(self, num_tasks, load_fn):
        self._num_tasks = num_tasks
        self._load_fn = load_fn
        self._ps_loads = np.zeros(num_tasks)

    def __call__(self, op):
        task = np.argmin(self._ps_loads)
        self._ps_loads[task] += self._load_fn(op)
        return task


def byte_size_load_fn(op):
    """The bytes of a one-output op's output, typically a variable's value (for a resource
    variable, the value its handle holds)."""
    if len(op.outputs) != 1:
        raise ValueError('Op %s must have a single output' % op)
    output = op.outputs[0]
    if output.dtype == tf.resource:  # VarHandleOp: the variable's dtype and shape attrs
        dtype, shape = tf.as_dtype(op.get_attr('dtype')), tf.TensorShape(op.get_attr('shape'))
    else:
        dtype, shape = output.dtype, output.get_shape()
        if not shape.is_fully_defined():
            # A scalar Variable op's output shape is unknown while it is being placed.
            shape = tf.TensorShape(op.get_attr('shape'))
    shape.assert_is_fully_defined()
    return shape.num_elements() * dtype.size
