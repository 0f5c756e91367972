"""A tf.layers layer called on Keras tensors (a tf.keras.Input, another Keras layer's
output) joins the Keras model being built, as TF 1.4-1.13's did, being Keras layers (TF
1.14-1.15 refused them in models with a TypeError): the model lists it, holds its variables
as weights, and fit trains them. Without this the layer's ops would join the model as
Keras's wrapped TensorFlow ops, and its variables as no weights: fit would train nothing.

It joins through a Keras layer made for it, of its name, which Keras calls as any of its
layers and which calls it; Keras finds its variables through that layer's attribute
`layer`, as its wrappers (TimeDistributed) find a wrapped layer's. The model's
`get_layer(name)` is that Keras layer; it answers for the tf.layers layer's own members
too (`kernel`, `units`)."""
import functools
import inspect

import tensorflow.compat.v1 as tf
from tf_keras.src.engine import base_layer


class KerasLayer(base_layer.Layer):
    """The Keras layer a tf.layers layer is in Keras models."""

    def __init__(self, layer):
        super().__init__(name=layer.name, trainable=layer.trainable, dtype=layer.dtype)
        self.layer = layer
        self.supports_masking = layer.supports_masking
        # Keras's optimizers update resource variables only, so its variables are those
        # (made at its first call, which is this one unless it was called before).
        layer._use_resource_variables = True
        # Keras passes `training` and `mask` only where the layer's call takes them.
        parameters = inspect.signature(layer.call).parameters
        takes_any = any(p.kind is p.VAR_KEYWORD for p in parameters.values())
        self._call_spec.expects_training_arg = takes_any or 'training' in parameters
        self._call_spec.expects_mask_arg = takes_any or 'mask' in parameters

    def call(self, inputs, *args, **kwargs):
        return self.layer.call_in_scope(inputs, *args, **kwargs)

    def _name_scope(self):
        # Keras names a call's ops under this. The layer's are under its variable scope
        # ('dense/BiasAdd'), as TF 1.x's tf.layers layers named them in Keras models too;
        # in Keras style (no variable scope) the layer opens its name scope itself.
        if self.layer._keras_style:
            current = tf.get_default_graph().get_name_scope()
            return current + '/' if current else ''
        self.layer._set_scope()
        return self.layer._scope.original_name_scope

    def compute_mask(self, inputs, mask=None):
        return self.layer.compute_mask(inputs, mask)

    def compute_output_shape(self, input_shape):
        return self.layer.compute_output_shape(input_shape)

    def get_config(self):
        # What Model.save writes to rebuild the layer: tf.layers layers have no config.
        raise NotImplementedError(
            'tf.layers layer %r has no Keras config, so a model holding it cannot be saved '
            'whole: save its weights (model.save_weights, tf.train.Saver), or use '
            'tf.keras.layers.%s' % (self.name, type(self.layer).__name__))

    def __getattr__(self, name):
        # Only for what Keras's layer lacks: the tf.layers layer's own members.
        if name == 'layer' or name.startswith('_'):
            raise AttributeError(name)
        return getattr(self.layer, name)


@functools.lru_cache(maxsize=None)
def _keras_layer_class(layer_class):
    """KerasLayer, named as `layer_class`: a model's summary shows a tf.layers Dense as
    Dense, as TF 1.x's did."""
    return type(layer_class.__name__, (KerasLayer,), {'__module__': __name__})


def keras_layer_of(layer):
    """The Keras layer tf.layers `layer` is in Keras models, made at the first need."""
    if layer._keras_layer is None:
        layer._keras_layer = _keras_layer_class(type(layer))(layer)
    return layer._keras_layer


def call_as_keras_layer(layer, inputs, *args, **kwargs):
    """Calls tf.layers `layer` on Keras tensors as the Keras layer it is in Keras models."""
    return keras_layer_of(layer)(inputs, *args, **kwargs)
