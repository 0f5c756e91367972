"""The members TF 1.x's tf.layers layers and RNN cells shared as Keras layers (from TF 1.4,
tf.layers' Layer and Keras's were one class hierarchy: Keras's subclassed tf.layers' until
TF 1.8, the other way round from TF 1.9; RNNCell subclassed tf.layers'): `apply`, their
scope's name, their parameter count, their input mask, and their place in Keras models.

A layer called on Keras tensors (a tf.keras.Input, another Keras layer's output) joins
the Keras model being built (tf1/layers/keras_functional.py); from then on `input`,
`output`, their shapes and masks, `get_input_at(i)` ... and the nodes are its Keras
layer's. A layer never called on Keras tensors has no node, as in TF 1.x, where called on
placeholders it made none: these raise TF 1.15's errors."""
import numpy as np
import tensorflow.compat.v1 as tf
from tensorflow.python.framework import func_graph

from tf1.layers.losses_updates import calling_keras_layer


def keras_tensors(inputs):
    """Whether the inputs are all Keras tensors, with the Keras history a model is built
    from (TF 1.x's base_layer_utils.have_all_keras_metadata)."""
    flat = tf.nest.flatten(inputs)
    return bool(flat) and all(hasattr(tensor, '_keras_history') for tensor in flat)


class NotConnected:
    """The Keras members of a layer with no node, as TF 1.15's Keras Layer answered them."""

    inbound_nodes = outbound_nodes = metrics = property(lambda self: [])  # none yet

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


def _as_shapes(input_shape):
    """`input_shape` as TensorShapes: one shape (a TensorShape, or a list or tuple of
    sizes), or a list, tuple or dict of them."""
    if isinstance(input_shape, tf.TensorShape) or (
            isinstance(input_shape, (list, tuple)) and
            all(size is None or isinstance(size, int) for size in input_shape)):
        return tf.TensorShape(input_shape)
    if isinstance(input_shape, dict):
        return {key: _as_shapes(value) for key, value in input_shape.items()}
    return type(input_shape)(_as_shapes(shape) for shape in input_shape)


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
    """Members of a layer or cell with a `name`, `_scope` (its variable scope, from its
    first call), `built`, `variables` and `_layer_metrics` (LossesAndUpdates). Of its
    Keras nodes it answers those of the Keras layer it is in Keras models, or, never
    called on Keras tensors, TF 1.15's errors."""

    _keras_layer = None  # made at a tf.layers layer's first call on Keras tensors
    # As TF 1.x's, unless a subclass says otherwise.
    activity_regularizer = input_spec = None
    # TF 1.x's Keras layers could declare themselves dynamic (eager only); these never.
    dynamic = False

    # Set by the Keras layer a tf.layers layer is in models, as TF 1.x's set it for its
    # legacy layers: Keras's optimizers update resource variables only.
    _use_resource_variables = False

    def _resource_variables_wanted(self):
        """Whether the variables it makes now are to be resource variables: it is in a
        Keras model, or called in a Keras layer's call (a cell in tf.keras's RNN, a layer
        a Keras layer holds), whose optimizers update those only."""
        return self._use_resource_variables or calling_keras_layer() is not None

    def apply(self, inputs, *args, **kwargs):
        """The layer called on `inputs`: TF 1.x's deprecated alias of calling it (a
        subclass's own __call__ included)."""
        return self.__call__(inputs, *args, **kwargs)

    @property
    def graph(self):
        """None, as TF 1.15's (deprecated: its layers no longer tracked their graph)."""
        if tf.executing_eagerly():
            raise RuntimeError('Layer.graph not supported when executing eagerly.')
        return None

    @property
    def scope_name(self):
        """Its variable scope's name, known from its first call."""
        if not self._scope:
            raise ValueError('No name available for layer scope because the layer "%s" has '
                             'not been used yet. The scope name is determined the first time '
                             'the layer instance is called. You must therefore call the layer '
                             'before querying `scope_name`.' % self.name)
        return self._scope.name

    def count_params(self):
        """How many numbers its variables hold (it must be built)."""
        if not self.built:
            raise ValueError('You tried to call `count_params` on %s, but the layer isn\'t '
                             'built. You can build it manually via: `%s.build('
                             'batch_input_shape)`.' % (self.name, self.name))
        return int(sum(np.prod(variable.shape.as_list()) for variable in self.variables))

    def compute_output_shape(self, input_shape):
        """TF 1.15's Keras default, for a class that gives none: executing eagerly, the
        shapes of a call on placeholders of `input_shape`, in a graph of its own, once the
        layer is built for it (its variables made eagerly); in a graph, or for a call that
        takes more than inputs (a cell's state), NotImplementedError."""
        if not tf.executing_eagerly():
            raise NotImplementedError(
                '%s gives no output shape in a graph, as TF 1.15\'s Keras layers: call it, '
                'or give its class compute_output_shape' % type(self).__name__)
        shapes = _as_shapes(input_shape)
        if hasattr(self, '_build_in_scope'):  # layers; a cell builds in its call
            self._build_in_scope(shapes)
        recorded = self._layer_updates, self._layer_losses, self._layer_metrics
        self._layer_updates, self._layer_losses, self._layer_metrics = [], [], []
        self._giving_to_keras = False
        try:
            with func_graph.FuncGraph('graph').as_default():
                inputs = tf.nest.map_structure(
                    lambda shape: tf.placeholder(self.dtype or tf.float32, shape), shapes)
                outputs = self(inputs)
        except TypeError:
            raise NotImplementedError(
                'We could not automatically infer the static shape of the layer\'s output. '
                'Please implement the `compute_output_shape` method on your layer (%s).'
                % type(self).__name__)
        finally:  # what the placeholder call added is not the layer's, nor Keras's
            self._layer_updates, self._layer_losses, self._layer_metrics = recorded
            del self._giving_to_keras
        return tf.nest.map_structure(lambda tensor: tensor.shape, outputs)

    def compute_output_signature(self, input_signature):
        """The outputs' TensorSpecs for inputs of `input_signature` (TensorSpecs), as TF
        1.15's Keras layers gave them: compute_output_shape's shapes, in the layer's dtype
        (without one, the first input's)."""
        def shape_of(spec):
            if not isinstance(spec, tf.TensorSpec):
                raise TypeError('Only TensorSpec signature types are supported, but saw '
                                'signature signature entry: {}.'.format(spec))
            return spec.shape
        input_shape = tf.nest.map_structure(shape_of, input_signature)
        output_shape = self.compute_output_shape(input_shape)
        dtype = self.dtype or tf.nest.flatten(input_signature)[0].dtype
        return tf.nest.map_structure(lambda shape: tf.TensorSpec(shape, dtype), output_shape)

    # TF 1.x's layers, Keras's, took no input mask unless their class said so (Dense,
    # Dropout, batch normalization); tf.keras's wrappers (TimeDistributed) ask the layer
    # they wrap for its output's mask.
    supports_masking = False

    def compute_mask(self, inputs, mask=None):
        """The mask of the outputs: none, or the input's where the layer supports masking."""
        if self.supports_masking:
            return mask
        if any(m is not None for m in tf.nest.flatten(mask)):
            raise TypeError('Layer %s does not support masking, but was passed an '
                            'input_mask: %s' % (self.name, mask))
        return None

    def keras_nodes(self):
        return self._keras_layer if self._keras_layer is not None else NotConnected(self.name)

    inbound_nodes = _from_keras_layer('inbound_nodes')
    outbound_nodes = _from_keras_layer('outbound_nodes')

    @property
    def metrics(self):
        """Its Keras metric objects (add_metric): its own, and its Keras layer's."""
        return self._layer_metrics + self.keras_nodes().metrics

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
