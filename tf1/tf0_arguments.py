"""TF 0.x's argument orders, which TF 1.0 changed, refused in one line that gives the TF 1.x
call. Code of the first tutorials' era passed them positionally: TF 1.x's own errors did not
say why (`tf.concat(1, [a, b])`: "Shape (2, 2, 2) must have rank 0"), and TF 0.x's booleans
for tf.reverse TF 2.x takes for axes (True as 1), reversing others than meant."""
import numbers

import numpy as np
import tensorflow.compat.v1 as tf

from tf1 import op_names, seeds
from tf1.unsupported import UnsupportedUseError


def _is_int(value):
    return isinstance(value, numbers.Integral) and not isinstance(value, (bool, np.bool_))


def concat(values, axis, name='concat'):
    if _is_int(values) and isinstance(axis, (list, tuple)):
        raise UnsupportedUseError('tf.concat(concat_dim, values) is TF 0.x\'s order: TF 1.0 '
                                  'made it tf.concat(values, axis)')
    return op_names.concat(values, axis, name=name)


def split(value, num_or_size_splits, axis=0, num=None, name='split'):
    if _is_int(value) and not (_is_int(axis) or isinstance(axis, (list, tuple))):
        raise UnsupportedUseError('tf.split(split_dim, num_split, value) is TF 0.x\'s order: '
                                  'TF 1.0 made it tf.split(value, num_or_size_splits, axis)')
    return seeds.split(value, num_or_size_splits, axis=axis, num=num, name=name)


def reverse(tensor, axis, name=None):
    if isinstance(axis, (list, tuple, np.ndarray)) and len(axis) and all(
            isinstance(flag, (bool, np.bool_)) for flag in axis):
        raise UnsupportedUseError(
            'tf.reverse takes the axes to reverse since TF 1.0 (%s for TF 0.x\'s %s)'
            % ([i for i, flag in enumerate(axis) if flag], [bool(flag) for flag in axis]))
    return tf.reverse(tensor, axis, name=name)
