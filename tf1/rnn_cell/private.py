"""Private helpers of TF 1.x's cell modules that custom cells of their day imported and tf1's
own cells do not use: TF 1.0-1.1's _state_size_with_prefix and TF 1.3-1.5's _like_rnncell
(tensorflow/python/ops/rnn_cell_impl.py of those releases)."""
from tensorflow.python.framework import tensor_shape

from tf1.rnn_cell.base import assert_like_rnncell


def state_size_with_prefix(state_size, prefix=None):
    """`state_size` (an int or a TensorShape) as a list after `prefix` (a list): the shape
    of a state of that size, [batch_size] + [num_units]."""
    result = tensor_shape.as_shape(state_size).as_list()
    if prefix is not None:
        if not isinstance(prefix, list):
            raise TypeError('prefix of _state_size_with_prefix should be a list.')
        result = prefix + result
    return result


def like_rnncell(cell):
    """Whether `cell` quacks like an RNNCell: output_size, state_size, zero_state, callable."""
    try:
        assert_like_rnncell('cell', cell)
    except TypeError:
        return False
    return True
