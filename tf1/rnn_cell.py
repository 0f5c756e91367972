"""TF 1.x's recurrent cells (`tf.nn.rnn_cell`, and their kin in `tf.contrib.rnn`) without Keras.

TensorFlow 2.21 ships with Keras 3, and every class under `tf.compat.v1.nn.rnn_cell` now
raises "not available with Keras 3": TF 1.x built its cells on Keras 2 layers. This module
rebuilds them from plain TensorFlow ops and variable scopes, so TF 1.x code runs as written:

    cells = [tf.nn.rnn_cell.LSTMCell(64) for _ in range(2)]
    outputs, state = tf.nn.dynamic_rnn(tf.nn.rnn_cell.MultiRNNCell(cells), inputs,
                                       sequence_length=lengths, dtype=tf.float32)

Every cell makes the variables TF 1.x made (same names, shapes, dtypes and initialisers,
e.g. `rnn/multi_rnn_cell/cell_0/lstm_cell/kernel`) and computes the same function from
them, so a checkpoint written by TF 1.x restores here and the other way round. A cell's
variables live in its own variable scope, fixed on its first call the way TF 1.x fixed it
(a second cell of a kind in one scope gets `lstm_cell_1`), and later calls of the same cell
reuse them.

The loops that run the cells (`static_rnn`, `dynamic_rnn` and their bidirectional forms)
are TensorFlow's own, still in `tf.compat.v1.nn`: they only need an object with
`state_size`, `output_size`, `zero_state` and `__call__`.

An argument TF 1.x took and this module cannot honour raises a one-line error that names
it and says what to do instead.
"""
import collections
import hashlib
import numbers
import re

import tensorflow.compat.v1 as tf
# map_structure_up_to and get_traverse_shallow_structure, which DropoutWrapper walks states
# with, are not in the public tf.nest.
from tensorflow.python.util import nest

__all__ = [
    'RNNCell', 'LayerRNNCell', 'BasicRNNCell', 'GRUCell', 'LSTMCell', 'BasicLSTMCell',
    'LSTMStateTuple', 'MultiRNNCell', 'DropoutWrapper', 'ResidualWrapper', 'DeviceWrapper',
    'LSTMBlockCell', 'GRUBlockCellV2',
    'static_rnn', 'static_bidirectional_rnn', 'dynamic_rnn', 'bidirectional_dynamic_rnn',
]

# TensorFlow's own loops: they work with any object shaped like a cell.
static_rnn = tf.nn.static_rnn
static_bidirectional_rnn = tf.nn.static_bidirectional_rnn
dynamic_rnn = tf.nn.dynamic_rnn
bidirectional_dynamic_rnn = tf.nn.bidirectional_dynamic_rnn


class LSTMStateTuple(collections.namedtuple('LSTMStateTuple', ('c', 'h'))):
    """The LSTM state: `c` the cell's memory, `h` its output (the order TF 1.x used)."""
    __slots__ = ()

    @property
    def dtype(self):
        c, h = self
        if c.dtype != h.dtype:
            raise TypeError('Inconsistent internal state: %s vs %s' % (c.dtype, h.dtype))
        return c.dtype


class RNNCell(object):
    """An RNN cell: subclass it, define `state_size`, `output_size` and
    `call(inputs, state)` returning (output, new_state), and call the cell as
    `cell(inputs, state)`.

    `build(inputs_shape)` runs once, before the first `call`, to make variables with
    `self.add_variable`; `call` may also make them with tf.get_variable. Either way they
    go in the cell's variable scope: `scope` if the first call names one, else a fresh
    `<name>` in the current scope (`name`, or the class name in snake case), or exactly
    `<name>` when the cell was made with reuse=True. Every later call reuses them.
    """

    def __init__(self, trainable=True, name=None, dtype=None, **kwargs):
        self._reuse = kwargs.pop('_reuse', None)  # how TF 1.x's own cells passed `reuse`
        if kwargs:
            argument, value = next(iter(kwargs.items()))
            raise _unsupported(type(self).__name__, argument, value,
                               'TF 1.x passed it to the Keras layer under its cells, and there '
                               'is none here; leave it out')
        self.trainable = trainable
        self.name = name or _snake_case(type(self).__name__)
        self._dtype = tf.as_dtype(dtype) if dtype is not None else None
        self._scope = None
        self._variables = []
        self.built = False

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

    # TF 1.x's cells were Keras layers, which call them weights too.
    weights = variables
    trainable_weights = trainable_variables

    @property
    def state_size(self):
        raise NotImplementedError('Abstract method')

    @property
    def output_size(self):
        raise NotImplementedError('Abstract method')

    def build(self, inputs_shape):
        """Make the variables `call` needs; nothing by default."""

    def call(self, inputs, state):
        raise NotImplementedError('%s must define call(inputs, state)' % type(self).__name__)

    def __call__(self, inputs, state, scope=None):
        self._set_scope(scope)
        with self._entered_scope() as cell_scope:
            with tf.name_scope(cell_scope.original_name_scope):
                if not self.built:
                    if self._dtype is None:
                        self._dtype = tf.nest.flatten(inputs)[0].dtype.base_dtype
                    self.build(tf.nest.map_structure(lambda tensor: tensor.shape, inputs))
                    self.built = True
                return self.call(inputs, state)

    def zero_state(self, batch_size, dtype):
        """Zeros shaped like the state: [batch_size, size] for each size in `state_size`."""
        def zeros(size):
            return tf.zeros([batch_size] + tf.TensorShape(size).as_list(), dtype)
        with tf.name_scope(type(self).__name__ + 'ZeroState'):
            return tf.nest.map_structure(zeros, self.state_size)

    def add_variable(self, name, shape, dtype=None, initializer=None, trainable=True,
                     **kwargs):
        """A variable in the cell's scope; `kwargs` as tf.get_variable takes them
        (regularizer, partitioner, constraint, ...)."""
        with self._entered_scope():
            return tf.get_variable(name, shape, dtype or self.dtype or tf.float32, initializer,
                                   trainable=trainable and self.trainable, **kwargs)

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
        with reuse=True, or as the scope around the first call did."""
        self._set_scope(None)
        return tf.variable_scope(self._scope, reuse=True if self.built else self._reuse,
                                 auxiliary_name_scope=False,
                                 custom_getter=self._remember_variable)

    def _remember_variable(self, getter, *args, **kwargs):
        # Every tf.get_variable in the scope comes through here, an inner cell's included
        # (its scope opens inside this one), so `variables` misses none. A variable split
        # by num_unit_shards is listed by its parts, as TF 1.x listed it.
        variable = getter(*args, **kwargs)
        parts = [variable] if isinstance(variable, tf.Variable) else list(variable)
        for part in parts:
            if all(part is not known for known in self._variables):
                self._variables.append(part)
        return variable


class LayerRNNCell(RNNCell):
    """An RNNCell that makes all its variables in `build`, with `self.add_variable`, as
    TF 1.x's own cells do."""


class BasicRNNCell(LayerRNNCell):
    """output = new_state = activation([inputs, state] . kernel + bias)."""

    def __init__(self, num_units, activation=None, reuse=None, name=None, dtype=None,
                 **kwargs):
        super(BasicRNNCell, self).__init__(_reuse=reuse, name=name, dtype=dtype, **kwargs)
        self._num_units = num_units
        self._activation = _activation(type(self).__name__, activation)

    @property
    def state_size(self):
        return self._num_units

    @property
    def output_size(self):
        return self._num_units

    def build(self, inputs_shape):
        depth = _input_depth(self, inputs_shape)
        self._kernel = self.add_variable('kernel', [depth + self._num_units, self._num_units])
        self._bias = self.add_variable('bias', [self._num_units],
                                       initializer=tf.zeros_initializer())

    def call(self, inputs, state):
        _check_floating(inputs, state)
        gate_inputs = tf.nn.bias_add(tf.matmul(tf.concat([inputs, state], 1), self._kernel),
                                     self._bias)
        output = self._activation(gate_inputs)
        return output, output


class GRUCell(LayerRNNCell):
    """Gated recurrent unit (Cho et al., 2014): reset and update gates from one kernel
    (`gates/`), the candidate state from another (`candidate/`)."""

    def __init__(self, num_units, activation=None, reuse=None, kernel_initializer=None,
                 bias_initializer=None, name=None, dtype=None, **kwargs):
        super(GRUCell, self).__init__(_reuse=reuse, name=name, dtype=dtype, **kwargs)
        self._num_units = num_units
        self._activation = _activation(type(self).__name__, activation)
        self._kernel_initializer = _initializer(type(self).__name__, 'kernel_initializer',
                                                kernel_initializer)
        self._bias_initializer = _initializer(type(self).__name__, 'bias_initializer',
                                              bias_initializer)

    @property
    def state_size(self):
        return self._num_units

    @property
    def output_size(self):
        return self._num_units

    def build(self, inputs_shape):
        rows = _input_depth(self, inputs_shape) + self._num_units
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
        _check_floating(inputs, state)
        gate_inputs = tf.nn.bias_add(
            tf.matmul(tf.concat([inputs, state], 1), self._gate_kernel), self._gate_bias)
        reset, update = tf.split(tf.sigmoid(gate_inputs), 2, axis=1)
        candidate = tf.nn.bias_add(
            tf.matmul(tf.concat([inputs, reset * state], 1), self._candidate_kernel),
            self._candidate_bias)
        new_h = update * state + (1 - update) * self._activation(candidate)
        return new_h, new_h


class LSTMCell(LayerRNNCell):
    """Long short-term memory, with TF 1.x's options: peepholes (Sak et al., 2014), cell
    clipping, and a projection of the output to `num_proj` units.

    Gates are packed (i, j, f, o) along the kernel's columns; `forget_bias` is added to f
    before its sigmoid so that, at the start of training, the cell keeps its memory.
    """

    def __init__(self, num_units, use_peepholes=False, cell_clip=None, initializer=None,
                 num_proj=None, proj_clip=None, num_unit_shards=None, num_proj_shards=None,
                 forget_bias=1.0, state_is_tuple=True, activation=None, reuse=None,
                 name=None, dtype=None, **kwargs):
        super(LSTMCell, self).__init__(_reuse=reuse, name=name, dtype=dtype, **kwargs)
        self._num_units = num_units
        self._use_peepholes = use_peepholes
        self._cell_clip = cell_clip
        self._initializer = _initializer(type(self).__name__, 'initializer', initializer)
        self._num_proj = num_proj
        self._proj_clip = proj_clip
        self._num_unit_shards = num_unit_shards
        self._num_proj_shards = num_proj_shards
        self._forget_bias = forget_bias
        self._state_is_tuple = state_is_tuple
        self._activation = _activation(type(self).__name__, activation)
        self._output_size = num_proj or num_units

    @property
    def state_size(self):
        if self._state_is_tuple:
            return LSTMStateTuple(self._num_units, self._output_size)
        return self._num_units + self._output_size

    @property
    def output_size(self):
        return self._output_size

    def build(self, inputs_shape):
        depth = _input_depth(self, inputs_shape)
        units = self._num_units
        self._kernel = self.add_variable('kernel', [depth + self._output_size, 4 * units],
                                         initializer=self._initializer,
                                         partitioner=_partitioner(self._num_unit_shards))
        self._bias = self.add_variable('bias', [4 * units], initializer=tf.zeros_initializer())
        if self._use_peepholes:
            self._w_f_diag = self.add_variable('w_f_diag', [units], initializer=self._initializer)
            self._w_i_diag = self.add_variable('w_i_diag', [units], initializer=self._initializer)
            self._w_o_diag = self.add_variable('w_o_diag', [units], initializer=self._initializer)
        if self._num_proj is not None:
            self._proj_kernel = self.add_variable(
                'projection/kernel', [units, self._num_proj], initializer=self._initializer,
                partitioner=_partitioner(self._num_proj_shards))

    def call(self, inputs, state):
        _check_floating(inputs, state)
        if self._state_is_tuple:
            c_prev, m_prev = state
        else:
            c_prev = tf.slice(state, [0, 0], [-1, self._num_units])
            m_prev = tf.slice(state, [0, self._num_units], [-1, self._output_size])

        lstm_matrix = tf.nn.bias_add(
            tf.matmul(tf.concat([inputs, m_prev], 1), self._kernel), self._bias)
        i, j, f, o = tf.split(lstm_matrix, 4, axis=1)
        if self._use_peepholes:
            c = (tf.sigmoid(f + self._forget_bias + self._w_f_diag * c_prev) * c_prev +
                 tf.sigmoid(i + self._w_i_diag * c_prev) * self._activation(j))
        else:
            c = tf.sigmoid(f + self._forget_bias) * c_prev + tf.sigmoid(i) * self._activation(j)
        if self._cell_clip is not None:
            c = tf.clip_by_value(c, -self._cell_clip, self._cell_clip)
        if self._use_peepholes:
            m = tf.sigmoid(o + self._w_o_diag * c) * self._activation(c)
        else:
            m = tf.sigmoid(o) * self._activation(c)

        if self._num_proj is not None:
            m = tf.matmul(m, self._proj_kernel)
            if self._proj_clip is not None:
                m = tf.clip_by_value(m, -self._proj_clip, self._proj_clip)

        new_state = LSTMStateTuple(c, m) if self._state_is_tuple else tf.concat([c, m], 1)
        return m, new_state


class BasicLSTMCell(LSTMCell):
    """The LSTM without peepholes, clipping or projection: TF 1.x's baseline cell, whose
    variables are `basic_lstm_cell/kernel` [depth + units, 4 * units] and `.../bias`."""

    def __init__(self, num_units, forget_bias=1.0, state_is_tuple=True, activation=None,
                 reuse=None, name=None, dtype=None, **kwargs):
        super(BasicLSTMCell, self).__init__(
            num_units, forget_bias=forget_bias, state_is_tuple=state_is_tuple,
            activation=activation, reuse=reuse, name=name, dtype=dtype, **kwargs)


class LSTMBlockCell(LSTMCell):
    """`tf.contrib.rnn.LSTMBlockCell`: TF 1.x ran it as one fused op; the function and the
    variables (`lstm_cell/kernel`, `lstm_cell/bias`, the `w_*_diag` peepholes) are
    LSTMCell's, so checkpoints move freely between the two. A cell_clip of zero or less
    means no clipping, as it did there."""

    def __init__(self, num_units, forget_bias=1.0, cell_clip=None, use_peephole=False,
                 dtype=None, reuse=None, name='lstm_cell'):
        super(LSTMBlockCell, self).__init__(
            num_units, use_peepholes=use_peephole,
            cell_clip=cell_clip if cell_clip is not None and cell_clip > 0 else None,
            forget_bias=forget_bias, reuse=reuse, name=name, dtype=dtype)


class GRUBlockCellV2(GRUCell):
    """`tf.contrib.rnn.GRUBlockCellV2`: TF 1.x ran it as one fused op; the function and the
    variables (`gru_cell/gates/...`, `gru_cell/candidate/...`) are GRUCell's."""

    def __init__(self, num_units=None, cell_size=None, reuse=None, name='gru_cell'):
        if (cell_size is None) == (num_units is None):
            raise ValueError('GRUBlockCellV2 takes exactly one of num_units and cell_size '
                             '(its old name)')
        super(GRUBlockCellV2, self).__init__(num_units or cell_size, reuse=reuse, name=name)


class MultiRNNCell(RNNCell):
    """Cells stacked in order, each one's output the next one's input; cell k's variables
    are under `multi_rnn_cell/cell_k/`."""

    def __init__(self, cells, state_is_tuple=True):
        super(MultiRNNCell, self).__init__()
        if not cells:
            raise ValueError('MultiRNNCell needs at least one cell')
        if not tf.nest.is_nested(cells):
            raise TypeError('MultiRNNCell takes a list or tuple of cells, got %s' % (cells,))
        if not state_is_tuple and any(tf.nest.is_nested(cell.state_size) for cell in cells):
            raise ValueError('MultiRNNCell(state_is_tuple=False) cannot join cells whose '
                             'states are tuples: make them with state_is_tuple=False too')
        self._cells = cells
        self._state_is_tuple = state_is_tuple

    @property
    def state_size(self):
        if self._state_is_tuple:
            return tuple(cell.state_size for cell in self._cells)
        return sum(cell.state_size for cell in self._cells)

    @property
    def output_size(self):
        return self._cells[-1].output_size

    def zero_state(self, batch_size, dtype):
        with tf.name_scope(type(self).__name__ + 'ZeroState'):
            if self._state_is_tuple:
                return tuple(cell.zero_state(batch_size, dtype) for cell in self._cells)
            return super(MultiRNNCell, self).zero_state(batch_size, dtype)

    def call(self, inputs, state):
        if self._state_is_tuple and not tf.nest.is_nested(state):
            raise ValueError('MultiRNNCell expected a tuple of %d states, got %s'
                             % (len(self._cells), state))
        start = 0
        layer_input = inputs
        new_states = []
        for index, cell in enumerate(self._cells):
            with tf.variable_scope('cell_%d' % index):
                if self._state_is_tuple:
                    cell_state = state[index]
                else:
                    cell_state = tf.slice(state, [0, start], [-1, cell.state_size])
                    start += cell.state_size
                layer_input, new_state = cell(layer_input, cell_state)
                new_states.append(new_state)
        if self._state_is_tuple:
            return layer_input, tuple(new_states)
        return layer_input, tf.concat(new_states, 1)


class _Wrapper(RNNCell):
    """A cell around another, with its state and output. It opens no scope of its own, as
    TF 1.x's wrappers did not, so the wrapped cell's variables keep their names."""

    def __init__(self, cell, **kwargs):
        super(_Wrapper, self).__init__(**kwargs)
        if not (callable(cell) and all(hasattr(cell, attribute) for attribute in
                                       ('state_size', 'output_size', 'zero_state'))):
            raise TypeError('%s wraps an RNNCell (state_size, output_size, zero_state, '
                            '__call__), got %r' % (type(self).__name__, cell))
        self.cell = cell
        # The wrapped cell's variables are the wrapper's: the same list, not a copy.
        self._variables = getattr(cell, '_variables', self._variables)

    @property
    def wrapped_cell(self):
        return self.cell

    @property
    def state_size(self):
        return self.cell.state_size

    @property
    def output_size(self):
        return self.cell.output_size

    def zero_state(self, batch_size, dtype):
        with tf.name_scope(type(self).__name__ + 'ZeroState'):
            return self.cell.zero_state(batch_size, dtype)


class DropoutWrapper(_Wrapper):
    """Dropout on a cell's inputs, outputs and new state (never on an LSTM's memory c,
    unless `dropout_state_filter_visitor` says otherwise). Keep probabilities may be
    tensors. With `seed`, each dropout takes its own op seed derived from it, as in TF 1.x,
    so a graph with the same graph seed drops the same units.

    variational_recurrent=True uses one mask for every time step of a run (Gal and
    Ghahramani, 2016), drawn once per session run; it needs `dtype`, and `input_size` when
    inputs are dropped.
    """

    def __init__(self, cell, input_keep_prob=1.0, output_keep_prob=1.0, state_keep_prob=1.0,
                 variational_recurrent=False, input_size=None, dtype=None, seed=None,
                 dropout_state_filter_visitor=None, **kwargs):
        super(DropoutWrapper, self).__init__(cell, dtype=dtype, **kwargs)
        if dropout_state_filter_visitor is not None and not callable(
                dropout_state_filter_visitor):
            raise TypeError('DropoutWrapper: dropout_state_filter_visitor must be callable')
        self._dropout_state_filter = (dropout_state_filter_visitor or
                                      _default_dropout_state_filter)
        self._input_keep_prob = _keep_probability('input_keep_prob', input_keep_prob)
        self._state_keep_prob = _keep_probability('state_keep_prob', state_keep_prob)
        self._output_keep_prob = _keep_probability('output_keep_prob', output_keep_prob)
        self._variational_recurrent = variational_recurrent
        self._seed = seed
        self._recurrent_input_noise = None
        self._recurrent_state_noise = None
        self._recurrent_output_noise = None
        if variational_recurrent:
            if dtype is None:
                raise ValueError('DropoutWrapper(variational_recurrent=True) needs dtype=')

            def noise(salt):
                # One row, shared by the whole batch and every step.
                return lambda index, size: tf.random_uniform(
                    [1] + tf.TensorShape(size).as_list(), seed=self._op_seed(salt, index),
                    dtype=dtype)

            if _should_drop(self._input_keep_prob):
                if input_size is None:
                    raise ValueError('DropoutWrapper(variational_recurrent=True) with '
                                     'input_keep_prob < 1 needs input_size=')
                self._recurrent_input_noise = _enumerated_map_up_to(
                    input_size, noise('input'), input_size)
            self._recurrent_state_noise = _enumerated_map_up_to(
                cell.state_size, noise('state'), cell.state_size)
            self._recurrent_output_noise = _enumerated_map_up_to(
                cell.output_size, noise('output'), cell.output_size)

    def __call__(self, inputs, state, scope=None):
        if _should_drop(self._input_keep_prob):
            inputs = self._dropout(inputs, 'input', self._recurrent_input_noise,
                                   self._input_keep_prob)
        output, new_state = self.cell(inputs, state, scope=scope)
        if _should_drop(self._state_keep_prob):
            which = nest.get_traverse_shallow_structure(self._dropout_state_filter, new_state)
            new_state = self._dropout(new_state, 'state', self._recurrent_state_noise,
                                      self._state_keep_prob, which)
        if _should_drop(self._output_keep_prob):
            output = self._dropout(output, 'output', self._recurrent_output_noise,
                                   self._output_keep_prob)
        return output, new_state

    def _dropout(self, values, salt, recurrent_noise, keep_prob, which=None):
        """Dropout on each tensor of `values` that `which` (a structure of booleans over
        it, or `values` itself for all of them) selects."""
        def dropout(index, selected, value, noise=None):
            if isinstance(selected, bool) and not selected:
                return value
            if noise is None:
                return tf.nn.dropout(value, rate=1. - keep_prob,
                                     seed=self._op_seed(salt, index))
            # keep_prob + uniform [0, 1) floors to 1 with probability keep_prob.
            dropped = tf.divide(value, keep_prob) * tf.floor(keep_prob + noise)
            dropped.set_shape(value.get_shape())
            return dropped
        which = values if which is None else which
        structures = [which, values] + ([recurrent_noise] if self._variational_recurrent else [])
        return _enumerated_map_up_to(which, dropout, *structures)

    def _op_seed(self, salt, index):
        if self._seed is None:
            return None
        text = '%s%s_%d' % (self._seed, salt, index)
        return int(hashlib.md5(text.encode('utf-8')).hexdigest()[:8], 16) & 0x7FFFFFFF


class ResidualWrapper(_Wrapper):
    """The cell's output plus its input: `residual_fn(inputs, outputs)`, by default their
    sum (shapes must match)."""

    def __init__(self, cell, residual_fn=None, **kwargs):
        super(ResidualWrapper, self).__init__(cell, **kwargs)
        self._residual_fn = residual_fn or _add_inputs

    def __call__(self, inputs, state, scope=None):
        outputs, new_state = self.cell(inputs, state, scope=scope)
        return self._residual_fn(inputs, outputs), new_state


class DeviceWrapper(_Wrapper):
    """The cell, its zero state included, placed on `device`."""

    def __init__(self, cell, device, **kwargs):
        super(DeviceWrapper, self).__init__(cell, **kwargs)
        self._device = device

    def zero_state(self, batch_size, dtype):
        with tf.device(self._device):
            return super(DeviceWrapper, self).zero_state(batch_size, dtype)

    def __call__(self, inputs, state, scope=None):
        with tf.device(self._device):
            return self.cell(inputs, state, scope=scope)


# Keras's names for activations that TF 1.x's cells accepted as strings.
_ACTIVATIONS = {'tanh': tf.tanh, 'sigmoid': tf.sigmoid, 'relu': tf.nn.relu, 'elu': tf.nn.elu,
                'selu': tf.nn.selu, 'softplus': tf.nn.softplus, 'softsign': tf.nn.softsign,
                'exponential': tf.exp, 'linear': tf.identity}


def _unsupported(cell_name, argument, value, instead):
    return NotImplementedError('%s(%s=%r) is not supported on TensorFlow 2 without Keras: %s'
                               % (cell_name, argument, value, instead))


def _activation(cell_name, activation):
    if not activation:
        return tf.tanh
    if callable(activation):
        return activation
    if activation in _ACTIVATIONS:
        return _ACTIVATIONS[activation]
    raise _unsupported(cell_name, 'activation', activation,
                       'pass the function itself, e.g. activation=tf.nn.relu')


def _initializer(cell_name, argument, initializer):
    if isinstance(initializer, str):
        raise _unsupported(cell_name, argument, initializer,
                           'pass an initializer object, e.g. tf.glorot_uniform_initializer()')
    return initializer


def _partitioner(shards):
    """TF 1.x's num_unit_shards and num_proj_shards: the variable split into that many
    pieces along its first axis (saved, and restored, as one variable)."""
    return tf.fixed_size_partitioner(shards) if shards is not None else None


def _snake_case(class_name):
    """A cell's default name, made from its class name as TF 1.x did: LSTMCell -> lstm_cell."""
    words = re.sub('(.)([A-Z][a-z0-9]+)', r'\1_\2', class_name)
    name = re.sub('([a-z])([A-Z])', r'\1_\2', words).lower()
    return 'private' + name if name.startswith('_') else name


def _input_depth(cell, inputs_shape):
    """The inputs' depth, which sizes the kernel: inputs must be [batch, depth] with the
    depth known when the graph is built."""
    shape = tf.TensorShape(inputs_shape)
    if shape.ndims != 2 or tf.compat.dimension_value(shape[1]) is None:
        raise ValueError('%s takes inputs of shape [batch, depth] with a known depth, got %s'
                         % (type(cell).__name__, shape))
    return tf.compat.dimension_value(shape[1])


def _check_floating(inputs, state):
    for tensor in tf.nest.flatten([inputs, state]):
        if not (tensor.dtype.is_floating or tensor.dtype.is_complex):
            raise ValueError('RNN cell only supports floating point inputs, but saw dtype: %s'
                             % tensor.dtype.name)


def _keep_probability(argument, value):
    """A keep probability known when the graph is built, as a float; else the tensor."""
    constant = tf.get_static_value(value)
    if constant is None:
        return value
    if not 0 <= constant <= 1:
        raise ValueError('DropoutWrapper: %s must be between 0 and 1, got %s'
                         % (argument, constant))
    return float(constant)


def _should_drop(keep_prob):
    return not isinstance(keep_prob, float) or keep_prob < 1


def _default_dropout_state_filter(substate):
    # An LSTM's memory c is never dropped, only its output h; a TensorArray cannot be.
    if isinstance(substate, LSTMStateTuple):
        return LSTMStateTuple(c=False, h=True)
    return not isinstance(substate, tf.TensorArray)


def _enumerated_map_up_to(shallow_structure, map_fn, *structures):
    """nest.map_structure_up_to, with each call also given its position: the dropout
    seeds are numbered that way."""
    count = [0]

    def numbered(*values):
        count[0] += 1
        return map_fn(count[0] - 1, *values)
    return nest.map_structure_up_to(shallow_structure, numbered, *structures)


def _add_inputs(inputs, outputs):
    tf.nest.assert_same_structure(inputs, outputs)
    tf.nest.map_structure(lambda i, o: i.get_shape().assert_is_compatible_with(o.get_shape()),
                          inputs, outputs)
    return tf.nest.map_structure(lambda i, o: i + o, inputs, outputs)
