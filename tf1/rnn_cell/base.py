"""The base RNNCell, and the simple cells: BasicRNNCell and GRUCell (with
contrib.rnn's GRUBlockCellV2); with the argument checks every cell shares."""
import contextlib
import functools

import tensorflow.compat.v1 as tf

from tf1 import seeds
from tf1.layers import keras_style
from tf1.layers.base import layer_variable
from tf1.layers.keras_members import KerasMembers
from tf1.layers.losses_updates import LossesAndUpdates
from tf1.layers.utils import (is_variable, set_weight_values, snake_case, track_for_keras,
                             weight_values)
from tf1.rnn_cell.arguments import (cell_activation, check_initializer, serialize_activation,
                                    serialize_initializer, unsupported_argument)
from tf1.rnn_cell.state_zeros import zero_state_tensors


class RNNCell(KerasMembers, LossesAndUpdates, tf.Module):
    """An RNN cell: subclass it, define `state_size`, `output_size` and
    `call(inputs, state)` returning (output, new_state), and call the cell as
    `cell(inputs, state)`.

    `build(inputs_shape)` runs once, before the first `call`, to make variables with
    `self.add_variable`; `call` may also make them with tf.get_variable. Either way they
    go in the cell's variable scope: `scope` if the first call names one, else a fresh
    `<name>` in the current scope (`name`, or the class name in snake case), or exactly
    `<name>` when the cell was made with reuse=True. Every later call reuses them.

    A tf.Module, as TF 1.x's cells (Keras layers) were trackable: a tf.keras.Model that
    holds one as an attribute lists its variables, and tf.train.Checkpoint saves them
    under their names in the cell's scope (`kernel`, `gates/kernel`). As TF 1.x's cells,
    tf.layers layers, it has their members: losses and updates (add_loss, add_update,
    get_losses_for ...), `scope_name`, count_params, `apply`.
    """

    _self_setattr_tracking = False  # lists stay lists; _remember_variable tracks variables
    # What tf.keras.layers.RNN asks to hand a one-tensor state as it is, not in a list.
    _is_tf_rnn_cell = True
    _cells_track_variables = False  # True: only inner cells make variables, and track them

    def __init_subclass__(cls, **kwargs):
        # A cell's build, called directly (`cell.build(shape)`, as Keras and TF 1.x's tests
        # do) rather than by the first call, leaves the cell built, as TF 1.x's did: its
        # first call then uses those variables instead of making them again.
        super().__init_subclass__(**kwargs)
        if 'build' in vars(cls):
            cls.build = _marks_built(vars(cls)['build'])

    def __init__(self, trainable=True, name=None, dtype=None, **kwargs):
        self._reuse = kwargs.pop('_reuse', None)  # how TF 1.x's own cells passed `reuse`
        if kwargs:
            argument, value = next(iter(kwargs.items()))
            raise unsupported_argument(type(self).__name__, argument, value,
                               'TF 1.x passed it to the Keras layer under its cells, and there '
                               'is none here; leave it out')
        # Not tf.Module.__init__: in a graph it opens a name scope of the cell's name.
        self.trainable = trainable
        self.name = self._base_name = name or snake_case(type(self).__name__)  # TF 1.x's both
        self._dtype = tf.as_dtype(dtype) if dtype is not None else None
        self._scope = None
        self._variables = []
        self.built = False
        self._start_losses_and_updates()
        # Made in tf.layers.experimental.keras_style_scope: no variable scope; its variables
        # (by name) made as Keras makes them (tf1/layers/keras_style.py).
        self._keras_style = keras_style.enabled()
        self._keras_variables = {}
        if self._keras_style:
            keras_style.check_no_scope('reuse', self._reuse)

    @property
    def dtype(self):
        """The variables' dtype: the one given, else the first inputs'."""
        return self._dtype

    @property
    def variables(self):
        """The variables the cell's calls made or reused (its inner cells' too), in the
        order they were first used."""
        return list(self._variables)

    @property
    def trainable_variables(self):
        """Those of `variables` that training updates."""
        return [variable for variable in self._variables if variable.trainable]

    @property
    def non_trainable_variables(self):
        return [variable for variable in self._variables if not variable.trainable]

    @property
    def name(self):
        """The cell's name: its variable scope's, unless the first call names one."""
        return self._name

    @name.setter
    def name(self, value):
        self._name = value

    # TF 1.x's cells were Keras layers, which call them weights too.
    weights = variables
    trainable_weights = trainable_variables
    non_trainable_weights = non_trainable_variables

    @property
    def state_size(self):
        raise NotImplementedError('Abstract method')

    @property
    def output_size(self):
        raise NotImplementedError('Abstract method')

    def build(self, inputs_shape):
        """Make the variables `call` needs; nothing by default."""
        # A statement, not just the docstring: AutoGraph (converting a tf.keras model's call
        # that calls the cell) fails on a body that is only a docstring.
        return

    def call(self, inputs, state):
        raise NotImplementedError('%s must define call(inputs, state)' % type(self).__name__)

    def __call__(self, inputs, state, scope=None):
        with self._call_scope(scope), self._recording_call(inputs):
            if not self.built:
                if self._dtype is None:
                    self._dtype = tf.nest.flatten(inputs)[0].dtype.base_dtype
                self.build(tf.nest.map_structure(lambda tensor: tensor.shape, inputs))
                self.built = True
            return self.call(inputs, state)

    @contextlib.contextmanager
    def _call_scope(self, scope):
        """Where a call makes its ops and variables: the cell's variable scope (`scope` at a
        first call) and its name scope; in Keras style a name scope of the cell's name, made
        unique, as Keras's layers open."""
        if self._keras_style:
            keras_style.check_no_scope('scope', scope)
            with tf.name_scope(self.name), self._entered_scope():
                yield
            return
        self._set_scope(scope)
        with self._entered_scope() as cell_scope, \
                tf.name_scope(cell_scope.original_name_scope):
            yield

    def zero_state(self, batch_size, dtype):
        """Zeros shaped like the state: [batch_size, size] for each size in `state_size`.

        Built op for op as TF 1.x's rnn_cell_impl built them (the shape concatenated from
        constants, or from the batch-size tensor): with only a graph-level seed, every
        random op after it takes its seed from the number of ops built so far, so fewer
        ops here would give a seeded script other weights than it had under TF 1.x."""
        with tf.name_scope(type(self).__name__ + 'ZeroState'):
            return zero_state_tensors(self.state_size, batch_size, dtype)

    def get_initial_state(self, inputs=None, batch_size=None, dtype=None):
        """zero_state for `inputs`' batch size and dtype (or those given), as Keras asks
        a cell for it (TF 1.x's cells had it)."""
        if inputs is not None:
            inputs = tf.convert_to_tensor(inputs, name='inputs')
            static_batch = tf.compat.dimension_value(inputs.shape[0])
            if batch_size is not None and static_batch != (
                    tf.get_static_value(batch_size) if tf.is_tensor(batch_size) else batch_size):
                raise ValueError('batch size from input tensor is different from the input '
                                 'param. Input tensor batch: %s, batch_size: %s'
                                 % (static_batch, batch_size))
            if dtype is not None and inputs.dtype != dtype:
                raise ValueError('dtype from input tensor is different from the input param. '
                                 'Input tensor dtype: %s, dtype: %s' % (inputs.dtype, dtype))
            batch_size = static_batch or tf.shape(inputs)[0]
            dtype = inputs.dtype
        if batch_size is None or dtype is None:
            raise ValueError('batch_size and dtype cannot be None while constructing initial '
                             'state: batch_size=%s, dtype=%s' % (batch_size, dtype))
        return self.zero_state(batch_size, dtype)

    def get_config(self):
        """What remakes the cell (`type(cell).from_config(config)`), as TF 1.x's cells, Keras
        layers, gave it: name, trainable and dtype here; each of TF's own cells adds its
        arguments (contrib's cells had none, as here)."""
        return {'name': self.name, 'trainable': self.trainable,
                'dtype': self._dtype.name if self._dtype is not None else None}

    @classmethod
    def from_config(cls, config, custom_objects=None):
        return cls(**config)

    def get_weights(self):
        return weight_values(self.weights)

    def set_weights(self, weights):
        set_weight_values(self.name, self.weights, weights)

    def add_variable(self, name, shape, dtype=None, initializer=None, regularizer=None,
                     trainable=None, **kwargs):
        """A variable in the cell's scope, in TF 1.x's add_weight's argument order; `kwargs`
        as tf.get_variable takes them (constraint, partitioner ...). `regularizer`'s loss is
        in `losses` and REGULARIZATION_LOSSES, made with the variable as tf.layers' add_weight
        makes it (executing eagerly: computed whenever `losses` is read)."""
        trainable = (True if trainable is None else trainable) and self.trainable
        kwargs['use_resource'] = kwargs.get('use_resource') or \
            self._resource_variables_wanted() or None
        losses = []
        with self._entered_scope():
            variable = layer_variable(name, shape, dtype or self.dtype or tf.float32,
                                      initializer, regularizer, trainable, losses=losses,
                                      **kwargs)
        self._layer_losses.extend((loss, False) for loss in losses)
        return variable

    add_weight = add_variable

    def _set_scope(self, scope):
        if self._scope is not None:
            return
        # default_name makes the name unique (lstm_cell_1 after lstm_cell) unless this cell
        # was made to reuse, which must find the variables under the plain name.
        if scope is not None or self._reuse:
            opened = tf.variable_scope(scope if scope is not None else self.name)
        else:
            opened = tf.variable_scope(None, default_name=self.name)
        with opened as captured:
            self._scope = captured

    def _entered_scope(self):
        """The cell's scope, reusing once built; before that, reusing if the cell was made
        with reuse=True, or as the scope around the first call did. In Keras style, the
        scope it is called in, its variables made as Keras makes them."""
        if self._keras_style:
            return self._keras_entered_scope()
        self._set_scope(None)
        return tf.variable_scope(self._scope, reuse=True if self.built else self._reuse,
                                 auxiliary_name_scope=False,
                                 custom_getter=self._remember_variable)

    @contextlib.contextmanager
    def _keras_entered_scope(self):
        with keras_style.cell_variables(self._keras_variables, self.name), \
                tf.variable_scope(tf.get_variable_scope(), auxiliary_name_scope=False,
                                  custom_getter=self._remember_variable):
            yield

    def _remember_variable(self, getter, *args, **kwargs):
        # Every tf.get_variable in the scope comes through here, an inner cell's included
        # (its scope opens inside this one), so `variables` misses none. A variable split
        # by num_unit_shards is listed by its parts, as TF 1.x listed it.
        variable = getter(*args, **kwargs)
        parts = [variable] if is_variable(variable) else list(variable)
        for part in parts:
            if all(part is not known for known in self._variables):
                self._variables.append(part)
                # Checkpointed under its name in the cell's scope: `kernel`, `gates/kernel`
                # (MultiRNNCell's cells checkpoint their own).
                name = part.name.rsplit(':', 1)[0]
                prefix = self._scope.name + '/' if self._scope is not None else ''
                if not self._cells_track_variables:
                    self._track_trackable(part, overwrite=True, name=name[len(prefix):]
                                          if name.startswith(prefix) else name)
                track_for_keras(part)  # a cell in tf.keras.layers.RNN
        return variable


def _marks_built(build):
    @functools.wraps(build)
    def build_and_mark(self, inputs_shape):
        build(self, inputs_shape)
        self.built = True
    return build_and_mark


class LayerRNNCell(RNNCell):
    """An RNNCell that makes all its variables in `build`, with `self.add_variable`, as
    TF 1.x's own cells do."""


def check_supported_dtype(cell):
    """TF 1.x's core cells (not contrib's) refused a dtype that is not floating or complex
    when they were made."""
    if cell.dtype is not None and not (cell.dtype.is_floating or cell.dtype.is_complex):
        raise ValueError('RNN cell only supports floating point inputs, but saw dtype: %s'
                         % cell.dtype.name)


class OneVectorState(RNNCell):
    """A cell whose state and output are both one vector of `_num_units`."""

    @property
    def state_size(self):
        return self._num_units

    @property
    def output_size(self):
        return self._num_units


class BasicRNNCell(OneVectorState, LayerRNNCell):
    """output = new_state = activation([inputs, state] . kernel + bias)."""

    def __init__(self, num_units, activation=None, reuse=None, name=None, dtype=None,
                 **kwargs):
        super(BasicRNNCell, self).__init__(_reuse=reuse, name=name, dtype=dtype, **kwargs)
        check_supported_dtype(self)
        self._num_units = num_units
        self._activation = cell_activation(type(self).__name__, activation)

    def build(self, inputs_shape):
        depth = input_depth(self, inputs_shape)
        self._kernel = self.add_variable('kernel', [depth + self._num_units, self._num_units])
        self._bias = self.add_variable('bias', [self._num_units],
                                       initializer=tf.zeros_initializer())

    def call(self, inputs, state):
        check_floating(inputs, state)
        gate_inputs = tf.nn.bias_add(tf.matmul(tf.concat([inputs, state], 1), self._kernel),
                                     self._bias)
        output = self._activation(gate_inputs)
        return output, output

    def get_config(self):
        return dict(super(BasicRNNCell, self).get_config(), num_units=self._num_units,
                    activation=serialize_activation(self._activation), reuse=self._reuse)


class GRUCell(OneVectorState, LayerRNNCell):
    """Gated recurrent unit (Cho et al., 2014): reset and update gates from one kernel
    (`gates/`), the candidate state from another (`candidate/`)."""

    def __init__(self, num_units, activation=None, reuse=None, kernel_initializer=None,
                 bias_initializer=None, name=None, dtype=None, **kwargs):
        super(GRUCell, self).__init__(_reuse=reuse, name=name, dtype=dtype, **kwargs)
        check_supported_dtype(self)
        self._num_units = num_units
        self._activation = cell_activation(type(self).__name__, activation)
        self._kernel_initializer = check_initializer(type(self).__name__, 'kernel_initializer',
                                                kernel_initializer)
        self._bias_initializer = check_initializer(type(self).__name__, 'bias_initializer',
                                              bias_initializer)

    def build(self, inputs_shape):
        rows = input_depth(self, inputs_shape) + self._num_units
        # The gate bias starts at one: gates start mostly open, the state carried through.
        self._gate_kernel = self.add_variable('gates/kernel', [rows, 2 * self._num_units],
                                              initializer=self._kernel_initializer)
        self._gate_bias = self.add_variable(
            'gates/bias', [2 * self._num_units],
            initializer=self._bias_initializer or tf.constant_initializer(1.0))
        self._candidate_kernel = self.add_variable('candidate/kernel', [rows, self._num_units],
                                                   initializer=self._kernel_initializer)
        self._candidate_bias = self.add_variable(
            'candidate/bias', [self._num_units],
            initializer=self._bias_initializer or tf.zeros_initializer())

    def call(self, inputs, state):
        check_floating(inputs, state)
        gate_inputs = tf.nn.bias_add(
            tf.matmul(tf.concat([inputs, state], 1), self._gate_kernel), self._gate_bias)
        reset, update = seeds.split(tf.sigmoid(gate_inputs), 2, axis=1)
        candidate = tf.nn.bias_add(
            tf.matmul(tf.concat([inputs, reset * state], 1), self._candidate_kernel),
            self._candidate_bias)
        new_h = update * state + (1 - update) * self._activation(candidate)
        return new_h, new_h

    def get_config(self):
        return dict(super(GRUCell, self).get_config(), num_units=self._num_units,
                    kernel_initializer=serialize_initializer(self._kernel_initializer),
                    bias_initializer=serialize_initializer(self._bias_initializer),
                    activation=serialize_activation(self._activation), reuse=self._reuse)


class GRUBlockCellV2(GRUCell):
    """`tf.contrib.rnn.GRUBlockCellV2`: TF 1.x ran it as one fused op; the function and the
    variables (`gru_cell/gates/...`, `gru_cell/candidate/...`) are GRUCell's."""

    def __init__(self, num_units=None, cell_size=None, reuse=None, name='gru_cell'):
        if (cell_size is None) == (num_units is None):
            raise ValueError('GRUBlockCellV2 takes exactly one of num_units and cell_size '
                             '(its old name)')
        super(GRUBlockCellV2, self).__init__(num_units or cell_size, reuse=reuse, name=name)

    get_config = RNNCell.get_config  # contrib's cells had only the base config


def shard_partitioner(shards):
    """TF 1.x's num_unit_shards and num_proj_shards: the variable split into that many
    pieces along its first axis (saved, and restored, as one variable)."""
    return tf.fixed_size_partitioner(shards) if shards is not None else None


def input_depth(cell, inputs_shape, axis=-1):
    """The inputs' depth, which sizes the kernel: inputs are [batch, depth] with the depth
    known when the graph is built. As in TF 1.x, a cell built on a longer shape takes its
    last dimension (SRUCell its second: `axis=1`)."""
    shape = tf.TensorShape(inputs_shape)
    if (shape.ndims is None or shape.ndims < 2 or
            tf.compat.dimension_value(shape[axis]) is None):
        raise ValueError('%s takes inputs of shape [batch, depth] with a known depth, got %s'
                         % (type(cell).__name__, shape))
    return tf.compat.dimension_value(shape[axis])


def check_floating(inputs, state):
    for tensor in tf.nest.flatten([inputs, state]):
        if not (tensor.dtype.is_floating or tensor.dtype.is_complex):
            raise ValueError('RNN cell only supports floating point inputs, but saw dtype: %s'
                             % tensor.dtype.name)


# What TF 1.x's tests matched assert_like_rnncell's error with.
ASSERT_LIKE_RNNCELL_ERROR_REGEXP = 'is not an RNNCell'


def assert_like_rnncell(cell_name, cell):
    """TypeError unless `cell` quacks like an RNNCell (TF 1.x's check of the same name):
    output_size, state_size, zero_state (or get_initial_state), and callable."""
    checks = [(hasattr(cell, 'output_size'), "'output_size' property is missing"),
              (hasattr(cell, 'state_size'), "'state_size' property is missing"),
              (hasattr(cell, 'zero_state') or hasattr(cell, 'get_initial_state'),
               "either 'zero_state' or 'get_initial_state' method is required"),
              (callable(cell), 'is not callable')]
    missing = [error for passed, error in checks if not passed]
    if missing:
        raise TypeError('The argument %r (%s) is not an RNNCell: %s.'
                        % (cell_name, cell, ', '.join(missing)))
