"""The base Layer: its variable scope, variable reuse, and the collections it feeds."""

import collections
import contextlib
import copy
import functools
import inspect
import sys
import weakref

import tensorflow.compat.v1 as tf
from tensorflow.python.ops.variables import PartitionedVariable
from tensorflow.python.trackable.base import Trackable

from tf1.layers import keras_style
from tf1.layers.keras_style import keras_style_scope, set_keras_style
from tf1.layers.input_spec import InputSpec, assert_input_compatibility
from tf1.layers.keras_members import KerasMembers, keras_tensors
from tf1.layers.losses_updates import LossesAndUpdates, calling_keras_layer
from tf1.layers.utils import (is_variable, set_weight_values, snake_case, track_for_keras,
                             weight_values)

# TF 1.x's base module had these
__all__ = ['Layer', 'InputSpec', 'keras_style_scope', 'set_keras_style']

# Per graph, how many unnamed layers of each kind were made: TF 1.x named them dense_1,
# dense_2 ... (Keras's names, counted from 1), while their variable scopes, made unique
# separately, are dense, dense_1 ...
_UNNAMED_LAYERS = weakref.WeakKeyDictionary()
# Per graph, the count tf1 last gave Keras's for each kind (_unique_unnamed).
_KERAS_COUNTS_WRITTEN = weakref.WeakKeyDictionary()


class Layer(KerasMembers, LossesAndUpdates, tf.Module):
    """What every layer shares: its variable scope, variable reuse, and the collections it
    feeds. A subclass creates its variables in build(input_shape) with add_weight() and
    computes its output in call(inputs, ...); it may set `input_spec` (tf.layers.InputSpec)
    for its inputs to be checked at each call.

    A tf.Module, as TF 1.x's layers (Keras layers) were trackable: a tf.keras.Model that
    holds one as an attribute lists its variables, and tf.train.Checkpoint saves them
    under their names in the layer (`kernel`, `bias`)."""

    # tf.Module would track every attribute, turning lists into its ListWrapper; only the
    # variables are tracked, by add_weight.
    _self_setattr_tracking = False

    def __init__(self, trainable=True, name=None, dtype=None, activity_regularizer=None,
                 _scope=None, _reuse=None, **kwargs):
        # Not tf.Module.__init__: in a graph it opens a name scope of the layer's name, and
        # TF 1.x's layers open theirs at the first call, unique then.
        self._batch_input_shape, self._initial_weights = _keras_arguments(**kwargs)
        self.trainable = trainable
        self.dtype = tf.as_dtype(dtype) if dtype is not None else None
        self.activity_regularizer = activity_regularizer
        self.input_spec = None
        self._kind = snake_case(type(self).__name__)  # dense, conv2d ...: for errors too
        self._base_name = name or self._kind
        self._name = name or _unique_unnamed(self._kind)
        self._reuse = _reuse
        self._scope = None
        # Made in tf.layers.experimental.keras_style_scope: no variable scope (tf1/layers/
        # keras_style.py).
        self._keras_style = keras_style.enabled()
        if self._keras_style:
            keras_style.check_no_scope('scope', _scope)
            keras_style.check_no_scope('reuse', _reuse)
        if _scope:  # the functional forms pass `name` here: that scope, never renamed
            with tf.variable_scope(_scope) as captured:
                self._scope = captured
        self.built = False
        self._layer_variables = []  # in the order made
        # Keras's names for them, which TF 1.x's subclasses read and extend (Texar's
        # layers of layers): trainable_weights and non_trainable_weights are these.
        self._trainable_weights, self._non_trainable_weights = [], []
        self._start_losses_and_updates()

    @property
    def variables(self):
        """The variables the layer made (or reused), in the order it made them."""
        return list(self._layer_variables)

    @property
    def trainable_variables(self):
        return list(self._trainable_weights)

    @property
    def non_trainable_variables(self):
        return list(self._non_trainable_weights)

    weights = variables
    trainable_weights = trainable_variables
    non_trainable_weights = non_trainable_variables

    def __call__(self, inputs, *args, **kwargs):
        # A Keras model being built joins it as a Keras layer; in a Keras layer's call (a
        # user's holding it) it is called, and gives that layer what it adds.
        if keras_tensors(inputs) and calling_keras_layer() is None:
            from tf1.layers import keras_functional
            return keras_functional.call_as_keras_layer(self, inputs, *args, **kwargs)
        return self.call_in_scope(inputs, *args, **kwargs)

    def call_in_scope(self, inputs, *args, **kwargs):
        """The call, in the layer's variable scope: build at the first, then call()."""
        scope = kwargs.pop('scope', None)  # TF 1.x's: the variable scope of a first call
        inputs = _as_tensors(inputs)
        if not self.built:
            self._take_first_inputs(inputs)
        with self._call_scope(scope) as scope, self._recording_call(inputs):
            if _takes_scope(getattr(self.call, '__func__', self.call)):
                kwargs['scope'] = scope
            if not self.built:
                self.build(tf.nest.map_structure(lambda tensor: tensor.shape, inputs))
                self._mark_built()
            assert_input_compatibility(self.input_spec, inputs, self.name)
            outputs = self.call(inputs, *args, **kwargs)
            if self.activity_regularizer is not None:
                for output in tf.nest.flatten(outputs):
                    self._add_activity_loss(output, inputs)
        return outputs

    def _take_first_inputs(self, inputs):
        """What a first call does before building: the layer takes the inputs' dtype (unless
        made with one), and its InputSpec checks them."""
        flat_inputs = tf.nest.flatten(inputs)
        if self.dtype is None and flat_inputs:
            self.dtype = tf.as_dtype(flat_inputs[0].dtype).base_dtype
        assert_input_compatibility(self.input_spec, inputs, self.name)

    def _build_in_scope(self, input_shape):
        """Builds the layer for inputs of `input_shape` where its first call would, if it
        is not built (TF 1.15's Keras's _maybe_build)."""
        if self.built:
            return
        if self.dtype is None:
            self.dtype = tf.float32
        with self._call_scope(None):
            self.build(input_shape)
            self._mark_built()

    def _mark_built(self):
        """The layer is built: its variables take the `weights` it was made with (Keras's
        argument), as TF 1.9-1.15's layers set them after their first build."""
        self.built = True
        if self._initial_weights is not None:
            weights, self._initial_weights = self._initial_weights, None
            self.set_weights(weights)

    @contextlib.contextmanager
    def _call_scope(self, scope):
        """Where a call makes its ops and variables: the layer's variable scope (`scope` at a
        first call), reused once the layer is built; in Keras style a name scope of the
        layer's name, made unique, as Keras's layers open."""
        if self._keras_style:
            keras_style.check_no_scope('scope', scope)
            with tf.name_scope(self._name):
                yield None
            return
        self._set_scope(scope)
        # A built layer called again shares its own variables.
        reuse = True if self.built else self._reuse
        with tf.variable_scope(self._scope, reuse=reuse, auxiliary_name_scope=False) as opened, \
                tf.name_scope(opened.original_name_scope):
            yield opened

    def _set_scope(self, scope=None):
        """The layer's variable scope, made at its first call or variable: `scope`, its name,
        or without one (or to be reused) the type's, made unique."""
        if self._scope is None:
            fixed_name = scope if scope is not None else (
                self._base_name if self._reuse else None)
            with tf.variable_scope(fixed_name, default_name=self._base_name) as captured:
                self._scope = captured

    @property
    def name(self):
        """The name it was made with; without one, its type's, numbered from 1 in its
        graph as TF 1.x's were (dense_1, dense_2 ...: its variable scope is dense, dense_1
        ...)."""
        return self._name

    def get_weights(self):
        """Its variables' values, as NumPy arrays (Keras's get_weights)."""
        return weight_values(self.variables)

    def set_weights(self, weights):
        """Loads NumPy values into its variables, in `variables`' order."""
        set_weight_values(self.name, self.variables, weights)

    # Keras's arguments' (_keras_arguments), for subclasses that skip Layer.__init__ too.
    _batch_input_shape = _initial_weights = None

    # The arguments get_config writes besides name, trainable and dtype, in Keras's order
    # for the class; none in a class that says none (it must have no arguments of its own
    # or write them itself, as TF 1.15's Keras required).
    _config_keys = ()

    def get_config(self):
        """Its arguments, as tf.keras's layer of its class writes them (TF 1.9-1.15's were
        Keras layers): from_config makes the layer again, and a tf.keras model holding it
        saves whole and loads as Keras's layers."""
        from tf1.layers import keras_config  # Keras is loaded only when needed
        if not self._config_keys and type(self).get_config is Layer.get_config:
            keras_config.check_arguments_written(self, Layer.__init__)
        return keras_config.layer_config(self, self._config_keys)

    @classmethod
    def from_config(cls, config):
        """The layer of `config` (get_config's), with new variables."""
        from tf1.layers import keras_config
        return cls(**keras_config.layer_arguments(config, cls._config_keys))

    def __deepcopy__(self, memo):
        # As TF 1.x: tensors and variables are shared, not copied; so is what tracks them
        # for checkpoints (tf.Module's `_self_...`), and the variable scope is copied.
        result = type(self).__new__(type(self))
        memo[id(self)] = result
        for key, value in self.__dict__.items():
            if key == '_keras_layer':  # the copy is in no Keras model
                continue
            if key == '_losses_given':  # ... and was called in no Keras layer's call
                value = weakref.WeakKeyDictionary()
            elif key == '_scope' or key.startswith('_self_') or key == '_layer_metrics':
                value = copy.copy(value)  # its metric objects (variables) shared too
            elif not any(tf.is_tensor(x) or is_variable(x) for x in tf.nest.flatten(value)):
                value = copy.deepcopy(value, memo)
            setattr(result, key, value)
        return result

    def build(self, input_shape):
        """Create the layer's variables (none by default); the layer is then built (a
        subclass's build says so, `self.built = True`, as TF 1.x's did)."""
        self.built = True

    def call(self, inputs):
        """The layer's computation; by default, as TF 1.x's, the inputs unchanged."""
        return inputs

    def add_weight(self, name, shape, dtype=None, initializer=None, regularizer=None,
                   trainable=None, constraint=None, use_resource=None,
                   synchronization=tf.VariableSynchronization.AUTO,
                   aggregation=tf.VariableAggregation.NONE, partitioner=None):
        """A variable of the layer, in its variable scope (made now if the layer has not
        been called yet), reused when the layer is built or made to reuse; its
        regularizer's loss goes to `losses` and REGULARIZATION_LOSSES."""
        if synchronization == tf.VariableSynchronization.ON_READ:
            if trainable:
                raise ValueError(
                    'Synchronization value can be set to VariableSynchronization.ON_READ '
                    'only for non-trainable variables. You have specified trainable=True '
                    'and synchronization=VariableSynchronization.ON_READ.')
            trainable = False
        elif trainable is None:
            trainable = True
        trainable = trainable and self.trainable
        losses = []
        dtype = tf.as_dtype(dtype or self.dtype or tf.float32)
        if self._keras_style:  # under the current name scope; as Keras, no partitioner
            variable = keras_style.make_variable(
                name, shape, dtype, initializer, trainable, constraint, use_resource,
                synchronization, aggregation, owner=self.name)
            if regularizer is not None:
                keras_style.regularize(variable, regularizer, losses)
        else:
            self._set_scope()
            with tf.variable_scope(self._scope, reuse=self.built or self._reuse,
                                   auxiliary_name_scope=False):
                variable = layer_variable(
                    name, shape, dtype, initializer, regularizer,
                    trainable, constraint, losses, partitioner=partitioner,
                    use_resource=use_resource or self._resource_variables_wanted() or None,
                    synchronization=synchronization,
                    aggregation=aggregation)
        parts = list(variable) if isinstance(variable, PartitionedVariable) else [variable]
        self._layer_losses.extend((loss, False) for loss in losses)
        self._layer_variables.append(variable)
        # A custom getter may return a tensor (spectral normalisation's normalised kernel):
        # used, not tracked, as TF 1.15's _add_variable_with_custom_getter left it.
        if isinstance(variable, Trackable):  # a partitioned variable's parts are not
            self._track_trackable(variable, name=name, overwrite=True)
        for part in parts:
            if is_variable(part):
                track_for_keras(part)  # a layer inside a tf.keras model
        (self._trainable_weights if trainable else self._non_trainable_weights).append(variable)
        return variable

    add_variable = add_weight

    def _add_activity_loss(self, outputs, inputs):
        # Divided by the batch size, as TF 1.x's last releases did, so that the penalty's
        # strength does not depend on it.
        with tf.name_scope('ActivityRegularizer'):
            loss = self.activity_regularizer(outputs)
            batch_size = tf.cast(tf.shape(outputs)[0], loss.dtype)
            loss = loss / batch_size
        self.add_loss(loss, inputs=inputs)


def layer_variable(name, shape, dtype, initializer=None, regularizer=None, trainable=True,
                   constraint=None, losses=None, **options):
    """tf.get_variable (with its `options`: partitioner, use_resource ...), with
    `regularizer` applied as tf.layers applied it: once, to a variable this call creates
    (to each part of a partitioned one), its loss named <variable>/Regularizer/... and put
    in REGULARIZATION_LOSSES and in `losses` (tf.get_variable's own regularizer argument
    would rebuild the loss at every use)."""
    existing = tf.global_variables() if regularizer is not None else []
    variable = tf.get_variable(name, shape, dtype, initializer=initializer,
                               trainable=trainable, constraint=constraint, **options)
    parts = list(variable) if isinstance(variable, PartitionedVariable) else [variable]
    if regularizer is not None and not any(part is old for part in parts for old in existing):
        for part in parts:
            keras_style.regularize(part, regularizer, losses, name)
    return variable


@functools.lru_cache(maxsize=None)
def _takes_scope(call):
    """Whether a layer's call takes TF 1.x's `scope` argument: asked once per function, not
    at every call."""
    return 'scope' in inspect.signature(call).parameters


def _unique_unnamed(kind):
    """kind_1, kind_2 ... per graph. Once Keras is loaded, never a name Keras's unnamed
    layers took or will take next (Keras numbers its own by a count of its own: the next
    number from 0, or after standalone Keras's import the last one, from 1): after Keras's
    dense and dense_1 a tf.layers Dense is dense_3, and Keras's next dense_4, so one model
    never holds two of a name (TF 1.9-1.13 shared one count, and could)."""
    graph = tf.get_default_graph()
    counts = _UNNAMED_LAYERS.setdefault(graph, collections.Counter())
    keras_backend = sys.modules.get('tf_keras.src.backend')
    if keras_backend is not None:
        keras_counts, key = keras_backend.get_default_graph_uid_map(), ('', kind)
        written = _KERAS_COUNTS_WRITTEN.setdefault(graph, collections.Counter())
        if keras_counts[key] != written[kind]:  # Keras named one since: past its count
            counts[kind] = max(counts[kind], keras_counts[key])
        keras_counts[key] = written[kind] = counts[kind] + 2  # Keras's next: past ours
    counts[kind] += 1
    return '%s_%d' % (kind, counts[kind])


def _keras_arguments(input_shape=None, batch_input_shape=None, batch_size=None,
                     weights=None, dynamic=False, autocast=False, **kwargs):
    """Keras's arguments, which TF 1.x's layers took (Keras layers from TF 1.9; TF 1.4-1.8
    took input_shape and batch_size): the batch input shape a Sequential's first layer
    gives its model (None if not given), and the initial `weights`, set once the layer is
    built. A dynamic layer (eager only) and autocasting, which TF 1.15's tf.layers turned
    off, are refused, as is any other keyword argument."""
    if kwargs:
        raise TypeError('Keyword argument not understood: %r (a tf.layers layer takes its '
                        'arguments, and Keras\'s input_shape, batch_input_shape, batch_size, '
                        'weights and Dense\'s input_dim)' % next(iter(kwargs)))
    if dynamic or autocast:
        raise ValueError('A tf.layers layer is never %s (TF 1.x\'s were not): make it with '
                         'the default' % ('dynamic' if dynamic else 'autocast'))
    if batch_input_shape is not None:
        batch_input_shape = tuple(batch_input_shape)
    elif input_shape is not None:
        batch_input_shape = (batch_size,) + tuple(input_shape)
    return batch_input_shape, weights


def _as_tensors(inputs):
    """The inputs as the layer gets them: a tensor, or a structure of tensors (a list, a
    dict) when they are one, its other leaves converted; anything else (an array, a list
    of numbers) as one tensor, as TF 1.x's layers took it."""
    leaves = tf.nest.flatten(inputs)
    if tf.nest.is_nested(inputs) and any(tf.is_tensor(x) or is_variable(x) for x in leaves):
        return tf.nest.map_structure(tf.convert_to_tensor, inputs)
    return tf.convert_to_tensor(inputs)


def apply_functional(layer_class, arguments, **call_arguments):
    """What each functional layer of TF 1.x does (`tf.layers.conv2d(inputs, ...)` for
    `Conv2D`): build the layer from the function's own arguments (its `locals()`), passed on
    by name, with `name` also naming its variable scope and `reuse` reusing that scope, and
    apply it to `inputs` (with `call_arguments`, e.g. batch normalisation's `training`)."""
    arguments = dict(arguments)
    inputs, reuse = arguments.pop('inputs'), arguments.pop('reuse')
    for key in call_arguments:
        del arguments[key]
    layer = layer_class(_scope=arguments['name'], _reuse=reuse, **arguments)
    return layer.apply(inputs, **call_arguments)
