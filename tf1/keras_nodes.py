"""The nodes of TF 1.x-era Keras's layer graph, put back on tf_keras's classes when mapped
code first reaches Keras (tf1/api_keras.py's KerasLazy imports this module).

A model's node 0 is its own: in Keras 2.0-2.3 and TF 1.x's tf.keras, a model built from
its inputs (a functional Model, or a Sequential given an input shape) made a node linking
its inputs to its outputs (Network._init_graph_network), so `model.get_input_at(0)` was
the model's input tensor before it was ever called, and its first call made node 1.
tf_keras makes no such node: node 0 is its first call, and before one get_input_at(0)
raises "has never been called". cleverhans' KerasModelWrapper rebuilds a model from
`model.get_input_at(0)`. Here a graph network's node 0 is its own inputs and outputs
again, and node k its k-th call (tf_keras's node k - 1), for get_input_at,
get_output_at, their shapes and masks.

A node's inbound layers are a list: Keras 2.0-2.3 always made one (`node.inbound_layers[0]`
is the layer feeding a one-input layer: cleverhans finds the logits layer that way), where
tf_keras gives the layer itself when there is one. TF 1.14-1.15's own tf.keras gave the
layer itself too, so a list of one layer also answers as that layer (`.name`)."""
import tensorflow.compat.v1 as tf
from tf_keras.src import backend
from tf_keras.src.engine import base_layer, base_layer_v1, functional, node as node_module
from tf_keras.src.utils import generic_utils

_tf_keras_node_attribute = base_layer.Layer._get_node_attribute_at_index
_tf_keras_inbound_layers = node_module.Node.inbound_layers


def _get_node_attribute_at_index(self, node_index, attr, attr_name):
    if not getattr(self, '_is_graph_network', False):
        return _tf_keras_node_attribute(self, node_index, attr, attr_name)
    if node_index > 0:  # its calls, after its own node
        return _tf_keras_node_attribute(self, node_index - 1, attr, attr_name)
    tensors = tf.nest.flatten(self._nested_inputs if attr.startswith('input')
                              else self._nested_outputs)
    if attr.endswith('_shapes'):
        values = [backend.int_shape(tensor) for tensor in tensors]
    elif attr.endswith('_tensors'):
        values = tensors
    else:  # no other attribute is asked for by index (tf_keras's base_layer)
        return _tf_keras_node_attribute(self, node_index, attr, attr_name)
    return values[0] if len(values) == 1 else values


class LayerList(list):
    """Inbound layers, a list as Keras 2.0-2.3 made them; with one layer, also that layer
    (its attributes), as TF 1.14-1.15's tf.keras gave it."""

    def __getattr__(self, name):
        if len(self) == 1:
            return getattr(self[0], name)
        raise AttributeError('%r object has no attribute %r' % (type(self).__name__, name))


def inbound_layers(self):
    layers = _tf_keras_inbound_layers.fget(self)
    return LayerList(layers if isinstance(layers, list) else [layers])


def _masks(tensors):
    return [getattr(tensor, '_keras_mask', None) for tensor in tf.nest.flatten(tensors)]


# What Keras 2.0-2.3's Node also held (keras-contrib's CRF loss reads its input masks): each
# input's and output's mask, and where each input came from (its layer's node and tensor),
# and the call's keyword arguments.
_KERAS_2_NODE_ATTRIBUTES = {
    'input_masks': lambda node: _masks(node.input_tensors),
    'output_masks': lambda node: _masks(node.output_tensors),
    'node_indices': lambda node: [t._keras_history.node_index for t in node.keras_inputs],
    'tensor_indices': lambda node: [t._keras_history.tensor_index for t in node.keras_inputs],
    'arguments': lambda node: dict(node.call_kwargs),
}


def _listed(node_property):
    """Keras 2's to_list of the property: a list as it is, anything else in a list of one."""
    return property(lambda node: generic_utils.to_list(node_property.fget(node)),
                    doc=node_property.__doc__)


def _unlisted(layer_property):
    def fget(layer):
        value = layer_property.fget(layer)
        return value[0] if isinstance(value, list) and len(value) == 1 else value
    return property(fget, layer_property.fset, None, layer_property.__doc__)


def keras_2_node_lists():
    """A node's input_tensors, output_tensors, input_shapes and output_shapes are lists, as
    Keras 2.0-2.3 made them (keras-contrib's CRF loss takes `input_tensors[0]`; tf_keras and
    TF 1.14-1.15's tf.keras gave a one-input layer's tensor itself, of which [0] is its
    first row), and a layer's input_shape and output_shape the one shape of a list of one,
    as Keras 2's were. For standalone Keras (tf1/keras_legacy.py installs it)."""
    for name in ('input_tensors', 'output_tensors', 'input_shapes', 'output_shapes'):
        setattr(node_module.Node, name, _listed(getattr(node_module.Node, name)))
    for layer_class in (base_layer.Layer, base_layer_v1.Layer):
        for name in ('input_shape', 'output_shape'):
            setattr(layer_class, name, _unlisted(getattr(layer_class, name)))


functional.Functional._get_node_attribute_at_index = _get_node_attribute_at_index
node_module.Node.inbound_layers = property(inbound_layers, doc=inbound_layers.__doc__)
for _name, _value in _KERAS_2_NODE_ATTRIBUTES.items():
    setattr(node_module.Node, _name, property(_value))
