"""The arguments TF 1.x's cells took as Keras layers did: activations and initializers by
Keras's names ('tanh', 'glorot_uniform' ...), and the same in and out of a config
(get_config/from_config); unsupported ones refused in one line."""
import tensorflow.compat.v1 as tf

from tf1.layers.utils import snake_case


# Keras's names for activations that TF 1.x's cells accepted as strings.
_ACTIVATIONS = {'tanh': tf.tanh, 'sigmoid': tf.sigmoid, 'relu': tf.nn.relu, 'elu': tf.nn.elu,
                'selu': tf.nn.selu, 'softplus': tf.nn.softplus, 'softsign': tf.nn.softsign,
                'exponential': tf.exp, 'linear': tf.identity}


def unsupported_argument(cell_name, argument, value, instead):
    return NotImplementedError('%s(%s=%r) is not supported on TensorFlow 2 without Keras: %s'
                               % (cell_name, argument, value, instead))


def serialize_activation(activation):
    """An activation's name in a config: Keras's for the ones it names, else the
    function's own (which from_config then needs among custom objects)."""
    return next((name for name, function in _ACTIVATIONS.items() if function is activation),
                getattr(activation, '__name__', activation))


def cell_activation(cell_name, activation):
    if not activation:
        return tf.tanh
    if callable(activation):
        return activation
    if activation in _ACTIVATIONS:
        return _ACTIVATIONS[activation]
    raise unsupported_argument(cell_name, 'activation', activation,
                       'pass the function itself, e.g. activation=tf.nn.relu')


# The initializers TF 1.x's Keras named, with Keras's defaults (its random ones drew from
# ±0.05, not init_ops' [0, 1) and N(0, 1)); also as CamelCase ('GlorotUniform') and by
# Keras's aliases.
_KERAS_INITIALIZERS = {
    'zeros': tf.zeros_initializer, 'ones': tf.ones_initializer,
    'constant': tf.constant_initializer,
    'random_uniform': lambda: tf.random_uniform_initializer(-0.05, 0.05),
    'random_normal': lambda: tf.random_normal_initializer(0.0, 0.05),
    'truncated_normal': lambda: tf.truncated_normal_initializer(0.0, 0.05),
    'identity': tf.initializers.identity, 'orthogonal': tf.orthogonal_initializer,
    'variance_scaling': tf.variance_scaling_initializer,
    'glorot_uniform': tf.glorot_uniform_initializer,
    'glorot_normal': tf.glorot_normal_initializer,
    'he_uniform': tf.initializers.he_uniform, 'he_normal': tf.initializers.he_normal,
    'lecun_uniform': tf.initializers.lecun_uniform, 'lecun_normal': tf.initializers.lecun_normal}
_KERAS_ALIASES = {'zero': 'zeros', 'one': 'ones', 'uniform': 'random_uniform',
                  'normal': 'random_normal'}


def check_initializer(cell_name, argument, initializer):
    """The initializer, or the one a Keras name stands for ('glorot_uniform', 'ones' ...),
    as TF 1.x's cells, Keras layers, took them."""
    if isinstance(initializer, dict):  # from a config: {'class_name': ..., 'config': ...}
        return _deserialize_initializer(cell_name, argument, initializer)
    if isinstance(initializer, str):
        name = snake_case(initializer) if initializer[:1].isupper() else initializer
        name = _KERAS_ALIASES.get(name, name)
        if name not in _KERAS_INITIALIZERS:
            raise unsupported_argument(cell_name, argument, initializer,
                                       'name a Keras initializer (glorot_uniform, ones ...) '
                                       'or pass one, e.g. tf.glorot_uniform_initializer()')
        return _KERAS_INITIALIZERS[name]()
    return initializer


def serialize_initializer(initializer):
    """An initializer in a config, as Keras serialized TF 1.x's (init_ops classes):
    {'class_name': 'Constant', 'config': {'value': 0.5, 'dtype': 'float32'}}; None stays
    None."""
    if initializer is None:
        return None
    return {'class_name': type(initializer).__name__, 'config': initializer.get_config()}


def _deserialize_initializer(cell_name, argument, serialized):
    from tensorflow.python.ops import init_ops  # TF 1.x's initializer classes
    kind = getattr(init_ops, str(serialized.get('class_name')), None)
    if not (isinstance(kind, type) and issubclass(kind, init_ops.Initializer)):
        raise unsupported_argument(cell_name, argument, serialized,
                                   'serialize one of TF 1.x\'s initializers (init_ops)')
    return kind(**serialized.get('config', {}))
