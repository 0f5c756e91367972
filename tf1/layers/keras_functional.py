"""A tf.layers layer called on Keras tensors (a tf.keras.Input, another Keras layer's
output) joins the Keras model being built, as in TF 1.4-1.13, where tf.layers' and Keras's
layers were one class hierarchy (TF 1.14-1.15 refused them in models with a TypeError):
the model lists it, holds its variables as weights, fit trains them and runs its updates
(batch normalization's moving averages), and its losses (regularization) join the model's.
Without this the layer's ops would join the model as Keras's wrapped TensorFlow ops, and
its variables as no weights: fit would train nothing.

It joins through a Keras layer made for it, of its name, which Keras calls as any of its
layers and which calls it; Keras finds its variables through that layer's attribute
`layer`, as its wrappers (TimeDistributed) find a wrapped layer's. The model's
`get_layer(name)` is that Keras layer; it answers for the tf.layers layer's own members
too (`kernel`, `units`). In a graph and executing eagerly (TF 1.9-1.13's did; TF 1.5-1.8
refused it eagerly): Keras builds its Keras layer outside the function it traces the call
in, and the layer makes its variables there."""
import functools

import tensorflow.compat.v1 as tf
from tf_keras.src.engine import base_layer
from tf_keras.src.utils import layer_utils, tf_inspect


class KerasLayer(base_layer.Layer):
    """The Keras layer a tf.layers layer is in Keras models."""

    layer_class = None  # the tf.layers layer's class (_keras_layer_class)

    def __init__(self, layer):
        super().__init__(name=layer.name, trainable=layer.trainable, dtype=layer.dtype)
        self.layer = layer
        self.supports_masking = layer.supports_masking
        if layer._batch_input_shape is not None:  # a Sequential's first layer: its input
            self._batch_input_shape = layer._batch_input_shape
        # Keras's optimizers update resource variables only: the layer makes those.
        layer._use_resource_variables = True
        # Keras reads `training` and `mask` off the layer's own call (passed by position
        # too), and passes them only where it takes them.
        self._call_spec = layer_utils.CallFunctionSpec(
            tf_inspect.getfullargspec(layer.call), self._call_context_args)

    def _maybe_build(self, inputs):
        if not self.layer.built:  # its dtype is the inputs', its InputSpec checks them
            self.layer._take_first_inputs(inputs)
        super()._maybe_build(inputs)

    def build(self, input_shape):
        # Keras builds here, outside any function it traces the call in (init_scope): the
        # layer's variables are made where its first call would make them.
        self.layer._build_in_scope(input_shape)
        super().build(input_shape)

    def call(self, inputs, *args, **kwargs):
        # Called in this call, the layer gives it its updates, losses and metrics, which
        # fit runs and adds (LossesAndUpdates._recording_call).
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

    def _trackable_children(self, save_type='checkpoint', **kwargs):
        # Checkpointed as TF 1.x's Keras checkpointed the layer, its variables its own
        # (`layer_with_weights-0/kernel`: keys take the shortest path). The path through
        # `layer` stays, by which a checkpoint restored before the layer is built reaches
        # its variables when they are made.
        children = super()._trackable_children(save_type, **kwargs)
        children.update(self.layer._trackable_children(save_type, **kwargs))
        return children

    def get_config(self):
        # Keras's layer of its class writes the same (TF 1.9-1.13's were Keras layers): a
        # model saved whole loads as Keras's layers. Frozen in the model (`trainable`
        # set on this layer), it is written frozen.
        return dict(self.layer.get_config(), trainable=self.trainable)

    @classmethod
    def from_config(cls, config):
        # A copy of the model (tf.keras.models.clone_model) holds new tf.layers layers.
        return keras_layer_of(cls.layer_class.from_config(config))

    def __getattr__(self, name):
        # Only for what Keras's layer has not: the tf.layers layer's own members. Keras's
        # own (`input` of a layer in no model) raise Keras's error again.
        if hasattr(type(self), name):
            return object.__getattribute__(self, name)
        if name == 'layer' or name.startswith('_'):
            raise AttributeError(name)
        return getattr(self.layer, name)


@functools.lru_cache(maxsize=None)
def _keras_layer_class(layer_class):
    """KerasLayer, named as `layer_class`: a model's summary shows a tf.layers Dense as
    Dense, as TF 1.x's did."""
    return type(layer_class.__name__, (KerasLayer,),
                {'__module__': __name__, 'layer_class': layer_class})


def keras_layer_of(layer):
    """The Keras layer tf.layers `layer` is in Keras models, made at the first need."""
    if layer._keras_layer is None:
        if any(not hasattr(variable, 'handle') for variable in layer.variables):
            raise ValueError(
                'tf.layers layer %r was built before joining a tf.keras model, with '
                'variables Keras\'s optimizers cannot train: call it first on Keras tensors '
                '(or build it in a tf.variable_scope with use_resource=True)' % layer.name)
        layer._keras_layer = _keras_layer_class(type(layer))(layer)
    return layer._keras_layer


def call_as_keras_layer(layer, inputs, *args, **kwargs):
    """Calls tf.layers `layer` on Keras tensors as the Keras layer it is in Keras models;
    a first call's `scope` names its variable scope, as without Keras."""
    if not layer._keras_style:
        layer._set_scope(kwargs.pop('scope', None))
    return keras_layer_of(layer)(inputs, *args, **kwargs)
