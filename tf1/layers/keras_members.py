"""The members TF 1.x's tf.layers layers had as Keras layers (tf.layers.Layer subclassed
tf.keras's Layer from TF 1.4 on) beyond tf.layers' own: their place in Keras models.

A layer called on Keras tensors (a tf.keras.Input, another Keras layer's output) joins
the Keras model being built (tf1/layers/keras_functional.py); from then on `input`,
`output`, their shapes and masks, `get_input_at(i)` ... and the nodes are its Keras
layer's. A layer never called on Keras tensors has no node, as in TF 1.x, where called on
placeholders it made none: these raise TF 1.15's errors."""
import tensorflow.compat.v1 as tf


def keras_tensors(inputs):
    """Whether the inputs are all Keras tensors, with the Keras history a model is built
    from (TF 1.x's base_layer_utils.have_all_keras_metadata)."""
    flat = tf.nest.flatten(inputs)
    return bool(flat) and all(hasattr(tensor, '_keras_history') for tensor in flat)


class NotConnected:
    """The Keras members of a layer with no node, as TF 1.15's Keras Layer answered them."""

    inbound_nodes = outbound_nodes = metrics = property(lambda self: [])

    def __init__(self, name):
        self.name = name

    @property
    def input(self):
        raise AttributeError('Layer %s is not connected, no input to return.' % self.name)

    @property
    def output(self):
        raise AttributeError('Layer %s has no inbound nodes.' % self.name)

    input_mask = input
    output_mask = output

    @property
    def input_shape(self):
        raise AttributeError('The layer has never been called and thus has no defined '
                             'input shape.')

    @property
    def output_shape(self):
        raise AttributeError('The layer has never been called and thus has no defined '
                             'output shape.')

    def _never_called(self, what):
        raise RuntimeError('The layer has never been called and thus has no defined %s.'
                           % what)

    def get_input_at(self, node_index):
        self._never_called('input')

    def get_output_at(self, node_index):
        self._never_called('output')

    def get_input_shape_at(self, node_index):
        self._never_called('input shape')

    def get_output_shape_at(self, node_index):
        self._never_called('output shape')

    get_input_mask_at = get_input_at
    get_output_mask_at = get_output_at


def _from_keras_layer(name):
    return property(lambda self: getattr(self.keras_nodes(), name),
                    doc="Its Keras layer's `%s` (TF 1.x's Keras Layer's)." % name)


def _node_method(name):
    def method(self, node_index):
        return getattr(self.keras_nodes(), name)(node_index)
    method.__name__ = name
    method.__doc__ = "Its Keras layer's `%s(node_index)` (TF 1.x's Keras Layer's)." % name
    return method


class KerasMembers:
    """What a tf.layers Layer answers of its Keras nodes: those of the Keras layer it is in
    Keras models, or, never called on Keras tensors, TF 1.15's errors."""

    _keras_layer = None  # made at its first call on Keras tensors

    def keras_nodes(self):
        return self._keras_layer if self._keras_layer is not None else NotConnected(self.name)

    inbound_nodes = _from_keras_layer('inbound_nodes')
    outbound_nodes = _from_keras_layer('outbound_nodes')
    metrics = _from_keras_layer('metrics')
    input = _from_keras_layer('input')
    output = _from_keras_layer('output')
    input_shape = _from_keras_layer('input_shape')
    output_shape = _from_keras_layer('output_shape')
    input_mask = _from_keras_layer('input_mask')
    output_mask = _from_keras_layer('output_mask')
    get_input_at = _node_method('get_input_at')
    get_output_at = _node_method('get_output_at')
    get_input_shape_at = _node_method('get_input_shape_at')
    get_output_shape_at = _node_method('get_output_shape_at')
    get_input_mask_at = _node_method('get_input_mask_at')
    get_output_mask_at = _node_method('get_output_mask_at')
