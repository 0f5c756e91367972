"""Cells made of cells: MultiRNNCell (stacked), and the wrappers that add dropout, a
residual connection, a device, highway gates or XLA compilation to a cell."""
import hashlib

import tensorflow.compat.v1 as tf
from tensorflow.python.framework import op_def_registry
from tensorflow.python.trackable.base import Trackable
# map_structure_up_to and get_traverse_shallow_structure, which DropoutWrapper walks states
# with, are not in the public tf.nest.
from tensorflow.python.util import nest

from tf1 import seeds
from tf1.rnn_cell.base import RNNCell
from tf1.rnn_cell.state_zeros import shape_concat
from tf1.rnn_cell.lstm import LSTMStateTuple


class MultiRNNCell(RNNCell):
    """Cells stacked in order, each one's output the next one's input; cell k's variables
    are under `multi_rnn_cell/cell_k/`."""

    _cells_track_variables = True

    def __init__(self, cells, state_is_tuple=True):
        super(MultiRNNCell, self).__init__()
        if not cells:
            raise ValueError('MultiRNNCell needs at least one cell')
        if not tf.nest.is_nested(cells):
            raise TypeError('MultiRNNCell takes a list or tuple of cells, got %s' % (cells,))
        if not state_is_tuple and any(tf.nest.is_nested(cell.state_size) for cell in cells):
            raise ValueError('MultiRNNCell(state_is_tuple=False) cannot join cells whose '
                             'states are tuples: make them with state_is_tuple=False too')
        if len(set(id(cell) for cell in cells)) < len(cells):
            # TF 1.x's warning: `[cell] * n` makes n layers of one set of weights.
            tf.logging.log_first_n(tf.logging.WARN, 'At least two cells provided to '
                                   'MultiRNNCell are the same object and will share weights.',
                                   1)
        self._cells = cells
        self._state_is_tuple = state_is_tuple
        for k, cell in enumerate(cells):  # checkpointed as TF 1.x's: cell-0/kernel ...
            _track_cell(self, cell, 'cell-%d' % k)

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
            raise ValueError('Expected state to be a tuple of length %d, but received: %s'
                             % (len(self._cells), state))
        start = 0
        layer_input = inputs
        new_states = []
        first_depths = {}  # id(cell) -> (layer, depth of its inputs there)
        for index, cell in enumerate(self._cells):
            _check_shared_cell(first_depths, cell, index, layer_input)
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


def _check_shared_cell(first_depths, cell, index, layer_input):
    """A cell object at two layers (`[cell] * n`) shares its weights, as since TF 1.2: one
    clear error where its layers' inputs differ in depth (a TF 1.0 script's idiom, which
    gave each layer its own weights), rather than a matmul's."""
    if tf.nest.is_nested(layer_input):
        return  # a layer's output may be a tuple, which TF 1.x passed on as it was
    depth = tf.compat.dimension_value(layer_input.shape[-1])
    first = first_depths.setdefault(id(cell), (index, depth))
    if first[0] != index and None not in (first[1], depth) and first[1] != depth:
        raise ValueError(
            'MultiRNNCell: layers %d and %d are the same %s object, so they share its weights '
            '(TF 1.2 on), but their inputs have depths %d and %d. Give each layer its own '
            'cell, as TF 1.0 did for [cell] * num_layers: MultiRNNCell([%s(...) for _ in '
            'range(num_layers)])' % (first[0], index, type(cell).__name__, first[1], depth,
                                     type(cell).__name__))


def _track_cell(outer, cell, name):
    """`cell` a checkpoint dependency of `outer` named `name` (its variables under it),
    when it is trackable (a custom cell may not be)."""
    if isinstance(cell, Trackable):
        outer._track_trackable(cell, name=name, overwrite=True)


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
        _track_cell(self, cell, 'cell')  # checkpointed as TF 1.x's: cell/kernel ...
        # The wrapped cell's variables are the wrapper's: the same list, not a copy.
        self._variables = getattr(cell, '_variables', self._variables)

    @property
    def wrapped_cell(self):
        return self.cell

    @property
    def _cell(self):
        """TF 1.2-1.13's name for the wrapped cell, which subclasses of the wrappers call
        (bi-att-flow's SwitchableDropoutWrapper)."""
        return self.cell

    @_cell.setter
    def _cell(self, cell):
        self.cell = cell

    @property
    def state_size(self):
        return self.cell.state_size

    @property
    def output_size(self):
        return self.cell.output_size

    def zero_state(self, batch_size, dtype):
        with tf.name_scope(type(self).__name__ + 'ZeroState'):
            return self.cell.zero_state(batch_size, dtype)

    def get_config(self):
        """The wrapped cell's class name and config under 'cell', as TF 1.x's wrappers
        gave them; from_config needs the cell itself there (TF 1.x's wrappers could not
        remake it either)."""
        return dict(super(_Wrapper, self).get_config(), cell={
            'class_name': type(self.cell).__name__, 'config': self.cell.get_config()})

    # Config keys that hold a function (_function_config), by the argument they give back.
    _config_functions = {}

    @classmethod
    def from_config(cls, config, custom_objects=None):
        config = dict(config)
        cell = config.pop('cell')
        if isinstance(cell, dict):
            raise ValueError('RNNCellWrapper cannot reconstruct the wrapped cell. Please '
                             'overwrite the cell in the config with a RNNCell instance.')
        for key, argument in cls._config_functions.items():
            if key in config:
                function = _config_function(config, key, custom_objects)
                del config[key]
                config[argument] = function
        return cls(cell, **config)


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
        # As TF 1.x, a tensor of each keep probability, made here: three ops that the
        # graph-level seed of every later random op counts.
        with tf.name_scope('DropoutWrapperInit'):
            input_keep_prob, state_keep_prob, output_keep_prob = (
                tf.convert_to_tensor(prob)
                for prob in (input_keep_prob, state_keep_prob, output_keep_prob))
        self._input_keep_prob = _keep_probability('input_keep_prob', input_keep_prob)
        self._state_keep_prob = _keep_probability('state_keep_prob', state_keep_prob)
        self._output_keep_prob = _keep_probability('output_keep_prob', output_keep_prob)
        self._variational_recurrent = variational_recurrent
        self._seed = seed
        self._input_size = input_size
        self._recurrent_input_noise = None
        self._recurrent_state_noise = None
        self._recurrent_output_noise = None
        if variational_recurrent:
            if dtype is None:
                raise ValueError('DropoutWrapper(variational_recurrent=True) needs dtype=')

            def noise(salt):
                # One row, shared by the whole batch and every step.
                return lambda index, size: seeds.random_uniform(
                    shape_concat([1], size), seed=self._op_seed(salt, index), dtype=dtype)

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

    _config_functions = {'dropout_fn': 'dropout_state_filter_visitor'}

    def get_config(self):
        config = dict(super(DropoutWrapper, self).get_config(),
                      input_keep_prob=self._input_keep_prob,
                      output_keep_prob=self._output_keep_prob,
                      state_keep_prob=self._state_keep_prob,
                      variational_recurrent=self._variational_recurrent,
                      input_size=self._input_size, seed=self._seed)
        if self._dropout_state_filter is not _default_dropout_state_filter:
            config.update(_function_config('dropout_fn', self._dropout_state_filter))
        return config

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
        self._residual_fn = residual_fn

    def __call__(self, inputs, state, scope=None):
        outputs, new_state = self.cell(inputs, state, scope=scope)
        return (self._residual_fn or _add_inputs)(inputs, outputs), new_state

    _config_functions = {'residual_fn': 'residual_fn'}

    def get_config(self):
        config = super(ResidualWrapper, self).get_config()
        if self._residual_fn is not None:
            config.update(_function_config('residual_fn', self._residual_fn))
        return config



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

    def get_config(self):
        return dict(super(DeviceWrapper, self).get_config(), device=self._device)


class HighwayWrapper(_Wrapper):
    """The cell's output mixed with its input by learned gates (Srivastava et al. 2015):
    input * carry + output * transform, transform = 1 - carry unless uncoupled. Its
    variables (`carry_w`, `carry_b` started at carry_bias_init, `transform_w`,
    `transform_b`) go in the scope the wrapper is called in, as in TF 1.15."""

    def __init__(self, cell, couple_carry_transform_gates=True, carry_bias_init=1.0):
        super(HighwayWrapper, self).__init__(cell)
        self._couple_carry_transform_gates = couple_carry_transform_gates
        self._carry_bias_init = carry_bias_init

    def _highway(self, inp, out):
        input_size = tf.compat.dimension_value(inp.get_shape().with_rank(2)[1])
        carry = tf.sigmoid(tf.nn.xw_plus_b(inp, tf.get_variable('carry_w', [input_size,
                                                                            input_size]),
                                           tf.get_variable('carry_b', [input_size],
                                                           initializer=tf.constant_initializer(
                                                               self._carry_bias_init))))
        if self._couple_carry_transform_gates:
            transform = 1 - carry
        else:
            transform = tf.sigmoid(tf.nn.xw_plus_b(
                inp, tf.get_variable('transform_w', [input_size, input_size]),
                tf.get_variable('transform_b', [input_size],
                                initializer=tf.constant_initializer(-self._carry_bias_init))))
        return inp * carry + out * transform

    def __call__(self, inputs, state, scope=None):
        outputs, new_state = self.cell(inputs, state, scope=scope)
        tf.nest.assert_same_structure(inputs, outputs)
        tf.nest.map_structure(
            lambda inp, out: inp.get_shape().assert_is_compatible_with(out.get_shape()),
            inputs, outputs)
        return tf.nest.map_structure(self._highway, inputs, outputs), new_state


class CompiledWrapper(_Wrapper):
    """The cell's step compiled by XLA (an experimental jit scope around it): its
    stateless ops only, unless compile_stateful, as in TF 1.15."""

    def __init__(self, cell, compile_stateful=False):
        super(CompiledWrapper, self).__init__(cell)
        self._compile_stateful = compile_stateful

    def __call__(self, inputs, state, scope=None):
        compile_ops = True if self._compile_stateful else _stateless
        with tf.xla.experimental.jit_scope(compile_ops=compile_ops):
            return self.cell(inputs, state, scope=scope)


def _stateless(node_def):
    return not op_def_registry.get(node_def.op).is_stateful


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


def _function_config(key, function):
    """A wrapper's function in its config, as TF 1.x's wrappers serialized it (with TF's own
    Keras helpers: a Python function's code, its type and module, under key, key_type and
    key_module)."""
    from tensorflow.python.keras.layers.legacy_rnn import rnn_cell_wrapper_impl
    dumped, kind, module = rnn_cell_wrapper_impl._serialize_function_to_config(function)
    return {key: dumped, key + '_type': kind, key + '_module': module}


def _config_function(config, key, custom_objects):
    """The function _function_config put in `config` (taking its type and module out)."""
    from tensorflow.python.keras.layers.legacy_rnn import rnn_cell_wrapper_impl
    return rnn_cell_wrapper_impl._parse_config_to_function(
        config, custom_objects, key, key + '_type', key + '_module')


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
