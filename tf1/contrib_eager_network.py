"""tf.contrib.eager's Network and Sequential (TF 1.4-1.15): a tf.layers.Layer made of the
layers it tracks, and the checkpoint functions that save one network's variables under
names without its prefix. Ported from TF 1.15's contrib/eager/python/network.py.

The names are TF 1.x's, which checkpoints depend on: a network without a name is its class
name in snake case, made unique where it is first called (`neural_net`, `neural_net_1`);
each layer it tracks is named at track_layer, unique within the network (`dense`,
`dense_1` in the order tracked), so its variables are `neural_net/dense/kernel`. A
network tracked by another is named within that one (`outer/inner/dense/kernel`).
"""
import inspect
import os

import tensorflow.compat.v1 as tf

from tf1.layers.base import Layer
from tf1.layers.utils import snake_case
from tf1.rnn_cell.base import RNNCell


class Network(Layer):
    """A Layer composed of the Layers (and Networks) it tracks with `track_layer`; its
    `call` uses them, and its variables are theirs."""

    def __init__(self, name=None):
        if isinstance(name, tf.VariableScope):
            raise ValueError('VariableScopes are not valid Network names.')
        if name is not None and '/' in name:
            raise ValueError("Forward slashes ('/') are not allowed in Network names.")
        super(Network, self).__init__(name=name)
        self._explicit_name = name
        self._layers = []
        self._child_names = {}  # name -> layer, for names unique within this network
        self._deferred_restorations = []  # (map_func, {checkpoint name: value})

    def track_layer(self, layer):
        """Add `layer` (a tf.layers.Layer, an RNN cell or a Network) to this network and
        return it; before its first call, it is named uniquely within this network."""
        if not hasattr(self, '_layers'):
            raise RuntimeError('Need to call Network.__init__ before adding layers')
        if not isinstance(layer, (Layer, RNNCell)):
            raise TypeError('Network.track_layer() passed type %s, not a tf.layers.Layer'
                            % (type(layer),))
        if layer._scope is None and not any(layer is known for known in self._layers):
            name = _given_name(layer) or self._unique_child_name(_kind(layer))
            if self._child_names.get(name, layer) is not layer:
                raise ValueError("Attempt to add two Layers with the name '%s' to the same "
                                 "Network." % name)
            self._child_names[name] = layer
            _set_base_name(layer, name)
        self._layers.append(layer)
        return layer

    def _unique_child_name(self, base):
        name, number = base, 0
        while name in self._child_names:
            number += 1
            name = '%s_%d' % (base, number)
        return name

    @property
    def layers(self):
        return self._layers

    def get_layer(self, name=None, index=None):
        """A tracked layer, by name or by the order it was tracked in."""
        if index is not None:
            if name is not None:
                raise ValueError("Exactly one of 'index' or 'name' must be provided")
            if len(self._layers) <= index:
                raise ValueError('Was asked to retrieve layer at index %d but model only has '
                                 '%d layers.' % (index, len(self._layers)))
            return self._layers[index]
        if not name:
            raise ValueError('Provide either a layer name or layer index.')
        for layer in self._layers:
            if layer.name == name:
                return layer
        raise ValueError('No such layer: ' + name)

    # The variables, losses and updates are the tracked layers', in the order tracked.
    def _gathered(self, attribute):
        gathered = []
        for layer in self._layers:
            gathered += getattr(layer, attribute, [])  # an RNN cell has no losses
        return gathered

    variables = weights = property(lambda self: self._gathered('variables'))
    trainable_variables = trainable_weights = property(
        lambda self: self._gathered('trainable_variables'))
    non_trainable_variables = non_trainable_weights = property(
        lambda self: self._gathered('non_trainable_variables'))
    losses = property(lambda self: self._gathered('losses'))
    updates = property(lambda self: self._gathered('updates'))

    @property
    def trainable(self):
        return True

    @trainable.setter
    def trainable(self, value):
        if not value:
            raise AttributeError('cannot mark Network as not trainable')

    def add_variable(self, name, shape, dtype=None, initializer=None, regularizer=None,
                     trainable=True, constraint=None):
        raise RuntimeError('add_variable is not supported in a Network: make the variable '
                           'in a tf.layers.Layer and track that')

    add_weight = add_variable

    @property
    def name(self):
        """Its variable scope's last part once called, before that the name it was made
        with (or its class's): TF 1.x numbered networks from 0, as their scopes."""
        return self._scope.name.rpartition('/')[2] if self._scope else self._base_name

    @property
    def scope_name(self):
        if self._scope is None:
            raise ValueError('The network has no variable scope until it is first called.')
        return self._scope.name

    def __call__(self, inputs, *args, **kwargs):
        _open_scope(self)
        with tf.variable_scope(self._scope, auxiliary_name_scope=False,
                               custom_getter=self._restoring_getter) as scope, \
                tf.name_scope(scope.original_name_scope):
            # Each tracked layer's scope, under this one, with the name track_layer gave
            # it (unique here, so default_name keeps it as it is).
            for layer in self._layers:
                if isinstance(layer, Network):
                    _open_scope(layer)
                elif layer._scope is None:
                    with tf.variable_scope(None, default_name=layer.name) as captured:
                        layer._scope = captured
            self.built = True
            return self.call(inputs, *args, **kwargs)

    def _restoring_getter(self, getter, name, *args, **kwargs):
        """Variables made after restore_network_checkpoint start from the checkpoint's
        values, as TF 1.x restored them: on creation."""
        for map_func, values in reversed(self._deferred_restorations):
            checkpoint_name = map_func(name)
            if checkpoint_name in values:
                kwargs['initializer'] = values.pop(checkpoint_name)
                kwargs['shape'] = None
                variable = getter(name, *args, **kwargs)
                if not tf.executing_eagerly():
                    tf.get_default_session().run(variable.initializer)
                return variable
        return getter(name, *args, **kwargs)


class Sequential(Network):
    """A Network that applies its layers (or plain functions) in the order added."""

    def __init__(self, layers_funcs=None, name=None):
        super(Sequential, self).__init__(name=name)
        self._layers_funcs = []
        for layer_func in layers_funcs or ():
            self.add(layer_func)

    def add(self, layer_func):
        if isinstance(layer_func, (Layer, RNNCell)):
            call = layer_func.call
            self.track_layer(layer_func)
        elif callable(layer_func):
            call = layer_func
        else:
            raise TypeError("Sequential.add() takes only tf.layers.Layer objects or callables; "
                            "not '%s' of type '%s'." % (layer_func, type(layer_func)))
        takes_training = 'training' in inspect.signature(call).parameters
        self._layers_funcs.append((takes_training, layer_func))

    def call(self, inputs, training=None):
        for takes_training, layer_func in self._layers_funcs:
            if training is not None and takes_training:
                inputs = layer_func(inputs, training)
            else:
                inputs = layer_func(inputs)
        return inputs


def save_network_checkpoint(network, save_path, global_step=None, map_func=None):
    """Save `network`'s variables to `save_path` (a prefix, or a directory to save
    `<directory>/<network name>` in), named without the network's own prefix
    (`dense/kernel` for `my_net_1/dense/kernel`) unless `map_func` names them; the
    global step (the graph's, if None) suffixes the name. Returns the checkpoint's prefix."""
    if not network.built:
        raise ValueError('Attempt to save the Network before it was first called. This means '
                         'variables have not yet been created, so there is nothing to save.')
    if global_step is None:
        global_step = tf.train.get_global_step()
    if os.path.isdir(save_path):
        save_path = os.path.join(save_path, network.name.replace('/', '_'))
    named = _by_checkpoint_name(network, map_func)
    return tf.train.Saver(named).save(_session(), save_path, global_step=global_step,
                                      write_meta_graph=False)


def restore_network_checkpoint(network, save_path, map_func=None):
    """Restore `network`'s variables from `save_path` (what save_network_checkpoint
    returned, or its directory): those that exist now at once (in graph mode, in the default
    session), the others as the network creates them, starting from the checkpoint's values."""
    _open_scope(network)
    if os.path.isdir(save_path):
        save_path = os.path.join(save_path, network.name.replace('/', '_'))
    existing = _by_checkpoint_name(network, map_func)
    if existing:
        tf.train.Saver(existing).restore(_session(), save_path)
    later = {name: value for name, value in checkpoint_values(save_path).items()
             if name not in existing}
    if later:
        network._deferred_restorations.append(
            (map_func or _prefix_stripper(network.scope_name), later))


def checkpoint_values(save_path):
    """{name: NumPy value} of every variable in the checkpoint at `save_path`."""
    reader = tf.train.load_checkpoint(save_path)
    return {name: reader.get_tensor(name) for name, _ in tf.train.list_variables(save_path)}


def _by_checkpoint_name(network, map_func):
    """{checkpoint name: variable} for the network's variables; two variables under one
    name are an error, as in TF 1.x."""
    mapping = map_func or _prefix_stripper(network.scope_name)
    named = {}
    for variable in network.variables:
        name = mapping(variable.name.rsplit(':', 1)[0])
        if named.setdefault(name, variable) is not variable:
            advice = ('Try stripping less from the variable names' if map_func else
                      'Pass map_func=lambda name: name to keep full variable names')
            raise ValueError("Two variables of Network '%s' map to the checkpoint name '%s' "
                             "(%s and %s). %s." % (network.name, name, named[name].name,
                                                   variable.name, advice))
    return named


def _session():
    return None if tf.executing_eagerly() else tf.get_default_session()


def _open_scope(network):
    """The network's variable scope, made in the current one the first time: its explicit
    name as it is, else its class's name made unique there."""
    if network._scope is None:
        name = network._explicit_name
        opened = (tf.variable_scope(name, use_resource=True) if name else
                  tf.variable_scope(None, default_name=network._base_name, use_resource=True))
        with opened as captured:
            network._scope = captured


def _prefix_stripper(scope_name):
    prefix = scope_name + '/'

    def strip(name):
        return name[len(prefix):] if name.startswith(prefix) else name
    return strip


def _kind(layer):
    return layer._kind if isinstance(layer, Layer) else snake_case(type(layer).__name__)


def _given_name(layer):
    """The name a layer was made with, None for an anonymous one."""
    if isinstance(layer, Network):
        return layer._explicit_name
    if isinstance(layer, Layer):
        return None if layer._base_name == layer._kind else layer._base_name
    return None if layer.name == _kind(layer) else layer.name


def _set_base_name(layer, name):
    if isinstance(layer, Layer):
        layer._base_name = layer._name = name
    else:
        layer.name = name
