"""What the layers share: TF 1.x's smart_cond, and the checks that turn a bad argument
into one clear error (tf1/contrib_layers and tf1/rnn_cell use them too); and, as
`tensorflow.python.layers.utils`, the rest of that TF 1.x module's functions (convolution
lengths, its argument normalisers, constant_value, get_reachable_from_inputs)."""

import inspect
import numbers
import re
import sys

import numpy as np
import tensorflow.compat.v1 as tf
from tensorflow.python.ops import variables
from tensorflow.python.util import object_identity


def spell_out_arguments(subclass, fixed):
    """Give `subclass.__init__`, which takes its leading arguments and passes the others on
    as *args and **kwargs, the signature of all it takes: its own, then its base's but
    `fixed` (those it passes itself), as TF 1.x's classes spelled theirs out. Code checks
    a layer's arguments by inspect.getfullargspec (Texar's get_layer)."""
    own = [parameter for parameter in inspect.signature(subclass.__init__).parameters.values()
           if parameter.kind is parameter.POSITIONAL_OR_KEYWORD]
    taken = {parameter.name for parameter in own} | set(fixed)
    base = inspect.signature(subclass.__mro__[1].__init__).parameters.values()
    subclass.__init__.__signature__ = inspect.Signature(
        own + [parameter for parameter in base if parameter.name not in taken])


def smart_cond(pred, true_fn, false_fn):
    """TF 1.x's smart_cond: the branch `pred` picks when it is known while the graph is
    built (a Python bool, a constant), a tf.cond when it is known only at run time."""
    value = static_value(pred)
    if value is None:
        return tf.cond(pred, true_fn, false_fn)
    return true_fn() if value else false_fn()


def training_or_learning_phase(training):
    """A layer's `training`; None is Keras's learning phase, as TF 1.x's layers (Keras
    layers) took it: False unless fed or set (`tf.keras.backend.set_learning_phase`)."""
    if training is not None:
        return training
    import tf_keras  # the Keras of a TF 1.x script's tf.keras, only where asked
    return tf_keras.backend.learning_phase()


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


def track_for_keras(variable):
    """Makes `variable` known to Keras, when Keras is in use, for its session to initialise
    (a layer or cell inside a tf.keras model), as TF 1.x's Keras-based layers and cells
    were known to it."""
    keras_backend = sys.modules.get('tf_keras.src.backend')
    if keras_backend is not None:
        keras_backend.track_variable(variable)


def weight_values(variables):
    """get_weights() of a layer or cell with these variables: their values as NumPy
    arrays, read in Keras's session (the default session when there is one), as TF 1.x's
    Keras layers read them."""
    from tf_keras.src import backend  # Keras 2 (tf1's tf.keras), whose v1 API has get_session
    return backend.get_session().run(list(variables))


def set_weight_values(name, variables, values):
    """set_weights(values) of layer `name` with these variables, checked as TF 1.x's
    Keras layers checked them."""
    from tf_keras.src import backend
    variables, values = list(variables), [np.asarray(value) for value in values]
    if len(variables) != len(values):
        raise ValueError('You called `set_weights(weights)` on layer "%s" with a weight list '
                         'of length %d, but the layer was expecting %d weights. Provided '
                         'weights: %s...' % (name, len(values), len(variables),
                                             str(values)[:50]))
    for variable, value in zip(variables, values):
        if variable.shape.as_list() != list(value.shape):
            raise ValueError('Layer weight shape %s not compatible with provided weight '
                             'shape %s' % (tuple(variable.shape.as_list()), value.shape))
    session = backend.get_session()
    for variable, value in zip(variables, values):
        variable.load(value, session)


def snake_case(class_name):
    """TF 1.x's default names for layers and cells, made from the class name: Dense → dense,
    MaxPooling2D → max_pooling2d, LSTMCell → lstm_cell; a private class (_Name) gets
    `private_name`, as a scope name cannot start with '_'."""
    words = re.sub('(.)([A-Z][a-z0-9]+)', r'\1_\2', class_name)
    name = re.sub('([a-z])([A-Z])', r'\1_\2', words).lower()
    return 'private' + name if name.startswith('_') else name


def positive_int(layer, value, name):
    """`value` as an int, which must be positive; a TensorShape's Dimension or a whole
    float too, as TF 1.x scripts passed them (`slim.conv2d(net, net.get_shape()[3], 1)`,
    Python 3's `/`)."""
    if isinstance(value, tf.Dimension):
        value = value.value
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if not is_int(value) or value <= 0:
        raise ValueError('%s: %s must be a positive int, got %r' % (layer, name, value))
    return int(value)


def int_tuple(layer, value, n, name):
    """An int, or n ints (a TensorShape's dimensions too), as a tuple of n ints."""
    if isinstance(value, tf.TensorShape) and value.ndims is not None:
        value = value.as_list()
    if is_sequence(value):
        value = [tf.compat.dimension_value(v) for v in value]
    value = tf.compat.dimension_value(value)
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


def _keras_softmax(x, axis=-1):
    """Keras's softmax as TF 1.15 had it: nn.softmax for a matrix; for a higher rank, exp
    over its sum along `axis`, written out."""
    if x.shape.ndims == 2:
        return tf.nn.softmax(x)
    if x.shape.ndims is not None and x.shape.ndims < 2:
        raise ValueError('Cannot apply softmax to a tensor that is 1D. Received input: %s'
                         % (x,))
    e = tf.exp(x - tf.reduce_max(x, axis=axis, keepdims=True))
    return e / tf.reduce_sum(e, axis=axis, keepdims=True)


def _keras_hard_sigmoid(x):
    return tf.clip_by_value(x * 0.2 + 0.5, 0., 1.)


def _keras_linear(x):
    return x


# TF 1.x's tf.layers were Keras layers, whose activations.get also took these names
# (tf.keras.activations of TF 1.15); the functions are the ops Keras called.
_KERAS_ACTIVATIONS = {
    'elu': tf.nn.elu, 'exponential': tf.exp, 'hard_sigmoid': _keras_hard_sigmoid,
    'linear': _keras_linear, 'relu': tf.nn.relu, 'selu': tf.nn.selu, 'sigmoid': tf.nn.sigmoid,
    'softmax': _keras_softmax, 'softplus': tf.nn.softplus, 'softsign': tf.nn.softsign,
    'tanh': tf.nn.tanh,
}


def check_activation(layer, activation):
    """The layer's activation function: the one given, None, or Keras's of that name."""
    if isinstance(activation, str):
        if activation in _KERAS_ACTIVATIONS:
            return _KERAS_ACTIVATIONS[activation]
        # Keras's other functions, and custom objects in scope (a saved model's loading);
        # not its layer classes or helpers, which its lookup finds by name too.
        from tf_keras.src import activations
        try:
            function = activations.get(activation)
        except ValueError:
            function = None
        if not inspect.isfunction(function) or function.__name__ in ('get', 'serialize',
                                                                     'deserialize'):
            raise ValueError('%s: Unknown activation function:%s (Keras names: %s)'
                             % (layer, activation, ', '.join(sorted(_KERAS_ACTIVATIONS))))
        return function
    if activation is not None and not callable(activation):
        raise TypeError('%s: activation must be a function such as tf.nn.relu, its Keras '
                        'name, or None; got %r' % (layer, activation))
    return activation


def reachable_from(inputs, targets=None):
    """The set of tensors, ops and variables downstream of `inputs` in their graph (inputs
    included), through op outputs and control dependencies; it stops early once every
    one of `targets` is reached. TF 1.x's Keras's (keras/utils/tf_utils.py), for layers'
    updates and losses."""
    inputs = tf.nest.flatten(inputs)
    reachable = object_identity.ObjectIdentitySet(inputs)
    remaining = object_identity.ObjectIdentitySet(tf.nest.flatten(targets or []))
    queue = list(inputs)
    while queue:
        x = queue.pop()
        if isinstance(x, tf.Operation):
            outputs = list(x.outputs) + list(x._control_outputs)
        elif is_variable(x):
            outputs = [x.op] if not tf.executing_eagerly() else []
        elif tf.is_tensor(x):
            outputs = x.consumers() if hasattr(x, 'consumers') else []
        else:
            raise TypeError('Expected Operation, Variable, or Tensor, got ' + str(x))
        for y in outputs:
            if y not in reachable:
                reachable.add(y)
                remaining.discard(y)
                queue.insert(0, y)
        if targets and not remaining:
            break
    return reachable


# TF 1.15's tensorflow/python/layers/utils.py, for code that imports it by that path.

def get_reachable_from_inputs(inputs, targets=None):
    """The set of tensors downstream of `inputs` (tensors or variables), inputs included."""
    return set(x for x in reachable_from(inputs, targets) if not isinstance(x, tf.Operation))


def convert_data_format(data_format, ndim):
    """'channels_last' or 'channels_first' and a rank of 3 to 5 → NWC ... NCDHW."""
    if data_format not in ('channels_last', 'channels_first'):
        raise ValueError('Invalid data_format:', data_format)
    if ndim not in (3, 4, 5):
        raise ValueError('Input rank not supported:', ndim)
    return tf_data_format(data_format, ndim - 2)


def normalize_tuple(value, n, name):
    """An int, or an iterable of n ints, as a tuple of n."""
    if isinstance(value, int):
        return (value,) * n
    message = 'The `%s` argument must be a tuple of %d integers. Received: %s' % (
        name, n, value)
    try:
        value_tuple = tuple(value)
    except TypeError:
        raise ValueError(message)
    if len(value_tuple) != n:
        raise ValueError(message)
    for single_value in value_tuple:
        try:
            int(single_value)
        except (ValueError, TypeError):
            raise ValueError('%s including element %s of type %s'
                             % (message, single_value, type(single_value)))
    return value_tuple


def normalize_data_format(value):
    data_format = value.lower()
    if data_format not in {'channels_first', 'channels_last'}:
        raise ValueError('The `data_format` argument must be one of "channels_first", '
                         '"channels_last". Received: ' + str(value))
    return data_format


def normalize_padding(value):
    padding = value.lower()
    if padding not in {'valid', 'same'}:
        raise ValueError('The `padding` argument must be one of "valid", "same". '
                         'Received: ' + str(padding))
    return padding


def spatial_output_shape(input_shape, data_format, channels, length):
    """A convolution's or pooling's output shape: the batch, `length(i, size)` of each
    spatial axis i, and `channels` (None: the input's), first or last by data_format."""
    dims = tf.TensorShape(input_shape).as_list()
    if data_format == 'channels_first':
        spatial, kept = dims[2:], dims[1]
    else:
        spatial, kept = dims[1:-1], dims[-1]
    lengths = [length(i, size) for i, size in enumerate(spatial)]
    channels = kept if channels is None else channels
    if data_format == 'channels_first':
        return tf.TensorShape(dims[:1] + [channels] + lengths)
    return tf.TensorShape(dims[:1] + lengths + [channels])


def conv_output_length(input_length, filter_size, padding, stride, dilation=1):
    """A convolution's output length ('same', 'valid' or 'full' padding); None for None."""
    if input_length is None:
        return None
    assert padding in {'same', 'valid', 'full'}
    dilated_filter_size = filter_size + (filter_size - 1) * (dilation - 1)
    output_length = {'same': input_length,
                     'valid': input_length - dilated_filter_size + 1,
                     'full': input_length + dilated_filter_size - 1}[padding]
    return (output_length + stride - 1) // stride


def conv_input_length(output_length, filter_size, padding, stride):
    """The input length a convolution maps to `output_length`; None for None."""
    if output_length is None:
        return None
    assert padding in {'same', 'valid', 'full'}
    pad = {'same': filter_size // 2, 'valid': 0, 'full': filter_size - 1}[padding]
    return (output_length - 1) * stride - 2 * pad + filter_size


def deconv_output_length(input_length, filter_size, padding, stride):
    """A transposed convolution's output length; None for None."""
    if input_length is None:
        return None
    input_length *= stride
    if padding == 'valid':
        input_length += max(filter_size - stride, 0)
    elif padding == 'full':
        input_length -= (stride + filter_size - 2)
    return input_length


def constant_value(pred):
    """The value of a tensor known while the graph is built (else None), a bool for a bool
    or 0 or 1, None for a variable."""
    if is_variable(pred):
        return None
    if tf.is_tensor(pred):
        return tf.get_static_value(pred)
    if isinstance(pred, bool):
        return pred
    if pred in {0, 1}:
        return bool(pred)
    raise TypeError('`pred` must be a Tensor, a Variable, or a Python bool.')
