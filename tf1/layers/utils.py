"""What the layers share: TF 1.x's smart_cond, and the checks that turn a bad argument
into one clear error (tf1/contrib_layers and tf1/rnn_cell use them too)."""

import numbers
import re

import numpy as np
import tensorflow.compat.v1 as tf
from tensorflow.python.ops import variables


def smart_cond(pred, true_fn, false_fn):
    """TF 1.x's smart_cond: the branch `pred` picks when it is known while the graph is
    built (a Python bool, a constant), a tf.cond when it is known only at run time."""
    value = static_value(pred)
    if value is None:
        return tf.cond(pred, true_fn, false_fn)
    return true_fn() if value else false_fn()


def static_value(pred):
    """True or False when `pred` (a Python bool, or a bool tensor) is known while the graph
    is built, None when only at run time."""
    if not tf.is_tensor(pred):
        # As TF 1.x: anything equal to True or False (1, 0, numpy's bools) will do.
        if isinstance(pred, (bool, np.bool_)) or is_int(pred) and pred in (0, 1):
            return bool(pred)
        raise TypeError('training must be a Python bool or a bool tensor, got %r' % (pred,))
    value = tf.get_static_value(pred)
    return None if value is None else bool(value)


def refuse_unsupported(layer, **options):
    """A clear error for the options of TF 1.x that these layers do not provide."""
    for option, value in sorted(options.items()):
        if value not in (None, False):
            raise ValueError('%s: %s=%r is not supported by tf1 (TF 1.x option left out)'
                             % (layer, option, value))


def bias_and_activation(outputs, bias, activation, data_format):
    if bias is not None:
        outputs = tf.nn.bias_add(outputs, bias, data_format=data_format)
    return activation(outputs) if activation is not None else outputs


def is_variable(value):
    """Whether `value` is a variable, a reference one (TF 1.x's default) or a resource one
    (eager execution, use_resource=True): tf.compat.v1.Variable is only the former."""
    return isinstance(value, variables.Variable)


def snake_case(class_name):
    """TF 1.x's default names for layers and cells, made from the class name: Dense → dense,
    MaxPooling2D → max_pooling2d, LSTMCell → lstm_cell; a private class (_Name) gets
    `private_name`, as a scope name cannot start with '_'."""
    words = re.sub('(.)([A-Z][a-z0-9]+)', r'\1_\2', class_name)
    name = re.sub('([a-z])([A-Z])', r'\1_\2', words).lower()
    return 'private' + name if name.startswith('_') else name


def positive_int(layer, value, name):
    if not is_int(value) or value <= 0:
        raise ValueError('%s: %s must be a positive int, got %r' % (layer, name, value))
    return int(value)


def int_tuple(layer, value, n, name):
    """An int, or n ints, as a tuple of n ints."""
    values = (value,) * n if is_int(value) else tuple(value) if is_sequence(value) else ()
    if len(values) != n or not all(is_int(v) and v > 0 for v in values):
        raise ValueError('%s: %s must be a positive int or %d positive ints, got %r'
                         % (layer, name, n, value))
    return tuple(int(v) for v in values)


def is_int(value):
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def is_sequence(value):
    return isinstance(value, (list, tuple))


def check_padding(layer, value):
    padding = value.lower() if isinstance(value, str) else value
    if padding not in ('valid', 'same'):
        raise ValueError("%s: padding must be 'valid' or 'same' (any case), got %r"
                         % (layer, value))
    return padding


def check_data_format(layer, value):
    data_format = value.lower() if isinstance(value, str) else value
    if data_format not in ('channels_last', 'channels_first'):
        raise ValueError("%s: data_format must be 'channels_last' or 'channels_first', got "
                         "%r" % (layer, value))
    return data_format


def tf_data_format(data_format, rank):
    """'channels_last' → NWC, NHWC, NDHWC; 'channels_first' → NCW, NCHW, NCDHW."""
    spatial = 'DHW'[-rank:]
    return 'NC' + spatial if data_format == 'channels_first' else 'N' + spatial + 'C'


def check_activation(layer, activation):
    if activation is not None and not callable(activation):
        raise TypeError('%s: activation must be a function such as tf.nn.relu, or None; got '
                        '%r' % (layer, activation))
    return activation
