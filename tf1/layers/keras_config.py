"""The layers' Keras configs. TF 1.x's tf.layers layers were Keras layers and had Keras's:
get_config() gives what tf.keras's layer of the same class and arguments gives, so a Keras
model holding them saves whole (Model.save to HDF5, to_json) and loads back as Keras's
layers of those classes, as in TF 1.4-1.13; from_config(config) makes the layer again."""
import inspect
import warnings

from tensorflow.python.ops import init_ops
from tf_keras.src import activations, constraints, initializers, regularizers

from tf1.layers.utils import KERAS_ACTIVATIONS

# Keras's module for each kind of argument, known by the end of its name: it writes them
# (serialize) and reads them back (get).
_KINDS = (('_initializer', initializers), ('_regularizer', regularizers),
          ('_constraint', constraints))
# The base Layer's arguments: its config writes name, trainable and dtype; the rest are
# the subclasses' to write (activity_regularizer) or not arguments of the layer's own.
_BASE_ARGUMENTS = {'self', 'trainable', 'name', 'dtype', 'activity_regularizer', '_scope',
                   '_reuse'}


def layer_config(layer, keys):
    """`layer`'s Keras config: name, trainable, dtype, and the attributes named `keys`,
    each written as Keras writes an argument of that name (functions and objects by their
    Keras names and configs; no activation as 'linear', Keras's name for it)."""
    if keys is None:  # a class that did not say which: only a layer of no arguments has one
        extra = [name for name, parameter in
                 inspect.signature(type(layer).__init__).parameters.items()
                 if name not in _BASE_ARGUMENTS and parameter.kind not in (
                     parameter.VAR_POSITIONAL, parameter.VAR_KEYWORD)]
        if extra:
            raise NotImplementedError(
                'Layers with arguments in `__init__` must override `get_config`: %s takes '
                '%s' % (type(layer).__name__, ', '.join(extra)))
        keys = ()
    config = {'name': layer.name, 'trainable': layer.trainable}
    if layer._batch_input_shape is not None:  # a Sequential's first layer's, as Keras's
        config['batch_input_shape'] = layer._batch_input_shape
    config['dtype'] = layer.dtype.name if layer.dtype is not None else None
    config.update((key, _serialized(key, getattr(layer, key))) for key in keys)
    return config


def layer_arguments(config):
    """The layer's arguments from its Keras `config`: initializers, regularizers and
    constraints read back as Keras reads them (activations are read by the layers)."""
    return {key: _deserialized(key, value) for key, value in config.items()}


def _serialized(key, value):
    if key == 'activation':  # the layers' own for Keras's names, by those names
        name = next((name for name, function in KERAS_ACTIVATIONS.items()
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
