"""The layers' Keras configs. TF 1.9-1.15's tf.layers layers were Keras layers and had
Keras's: get_config() gives what tf.keras's layer of the same class and arguments gives, so
a Keras model holding them saves whole (Model.save, to_json) and loads back as Keras's
layers of those classes, as in TF 1.9-1.13; from_config(config) makes the layer again."""
import inspect
import warnings

from tensorflow.python.ops import init_ops
from tf_keras.src import activations, constraints, initializers, regularizers

from tf1.layers.utils import _KERAS_ACTIVATIONS

# Keras's module for each kind of argument, known by the end of its name: it writes them
# (serialize) and reads them back (get).
_KINDS = (('_initializer', initializers), ('_regularizer', regularizers),
          ('_constraint', constraints))


def layer_config(layer, keys):
    """`layer`'s Keras config: name, trainable, a Sequential's first layer's
    batch_input_shape, dtype, and the attributes named `keys`, each written as Keras writes
    an argument of that name (objects by their Keras names and configs, functions by their
    names; no activation as 'linear', Keras's name for it)."""
    config = {'name': layer.name, 'trainable': layer.trainable}
    if layer._batch_input_shape is not None:
        config['batch_input_shape'] = layer._batch_input_shape
    config['dtype'] = layer.dtype.name if layer.dtype is not None else None
    config.update((key, _serialized(key, getattr(layer, key))) for key in keys)
    return config


def check_arguments_written(layer, base_init):
    """TF 1.15's check for a class that writes no arguments of its own (Keras's default
    get_config): its __init__ must take none but name, trainable and dtype (by position or
    keyword), unless it is the base's own, `base_init`."""
    init = type(layer).__init__
    if init is base_init:
        return
    extra = [name for name, parameter in inspect.signature(init).parameters.items()
             if parameter.kind == parameter.POSITIONAL_OR_KEYWORD
             and name not in ('self', 'name', 'trainable', 'dtype', 'dynamic')]
    if extra:
        raise NotImplementedError(
            'Layers with arguments in `__init__` must override `get_config`: %s takes %s'
            % (type(layer).__name__, ', '.join(extra)))


def layer_arguments(config, keys):
    """The layer's arguments from its Keras `config`: of `keys` (its class's), the
    initializers, regularizers and constraints read back as Keras reads them (the layers
    read activations); the rest as they are."""
    return {key: _deserialized(key, value) if key in keys else value
            for key, value in config.items()}


def _serialized(key, value):
    if key == 'activation':
        name = next((name for name, function in _KERAS_ACTIVATIONS.items()
                     if function is value), None)
        return name or activations.serialize(value or activations.linear)
    module = _module_of(key)
    if module is None or value is None:
        return value
    with warnings.catch_warnings():
        if isinstance(value, init_ops.Initializer):
            # TF 1.x's Keras initializers were these classes (tf.truncated_normal_initializer
            # ...); Keras writes them as its own of their names, which is right.
            warnings.filterwarnings('ignore', 'The `keras.initializers.serialize', UserWarning)
        return module.serialize(value)


def _deserialized(key, value):
    module = _module_of(key)
    return value if module is None or value is None else module.get(value)


def _module_of(key):
    return next((module for suffix, module in _KINDS if key.endswith(suffix)), None)
