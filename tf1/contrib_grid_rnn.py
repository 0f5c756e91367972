"""tf.contrib.grid_rnn (TF 1.0-1.15), ported from TF 1.15: Grid RNN cells (Kalchbrenner et
al. 2015, arxiv.org/abs/1507.01526), an N-dimensional grid of recurrent cells, LSTMs by
default, with priority, non-recurrent, input and output dimensions and weights tied
across dimensions if asked; and the 1-, 2- and 3-D LSTM, GRU and basic RNN grids.

As TF 1.15: the variables are, under the cell's class name (`Grid2LSTMCell/`) or the
call's scope, `project_m_0`, `project_c_0` (the input's projections),
`recurrent/cell_<i>/<cell>/...` (`recurrent/` when tied) and
`non_recurrent/cell_<i>/fully_connected/...`. A non-recurrent dimension's weights start
from the variable scope's initializer, else Xavier's (TF 1.15 handed the uncalled Xavier
factory to tf.get_variable, which failed there)."""
import collections
import functools

import tensorflow.compat.v1 as tf

from tf1.contrib_layers.initializers import xavier_initializer
from tf1.contrib_layers.layers import fully_connected
from tf1.rnn_cell import BasicLSTMCell, BasicRNNCell, GRUCell, LSTMCell, RNNCell

__all__ = ['GridRNNCell', 'Grid1BasicRNNCell', 'Grid2BasicRNNCell', 'Grid1BasicLSTMCell',
           'Grid2BasicLSTMCell', 'Grid1LSTMCell', 'Grid2LSTMCell', 'Grid3LSTMCell',
           'Grid2GRUCell']


class GridRNNCell(RNNCell):
    """A grid of recurrent cells over `num_dims` dimensions, `num_units` in each: inputs
    are projected into the input dimensions, the non-priority dimensions are computed
    first, then the priority ones from their outputs; the state holds each recurrent
    dimension's cell state, the output each output dimension's."""

    def __init__(self, num_units, num_dims=1, input_dims=None, output_dims=None,
                 priority_dims=None, non_recurrent_dims=None, tied=False, cell_fn=None,
                 non_recurrent_fn=None, state_is_tuple=True, output_is_tuple=True):
        super().__init__()
        if not state_is_tuple:
            tf.logging.warning('%s: Using a concatenated state is slower and will soon be '
                               'deprecated.  Use state_is_tuple=True.', self)
        if not output_is_tuple:
            tf.logging.warning('%s: Using a concatenated output is slower and will soon be '
                               'deprecated.  Use output_is_tuple=True.', self)
        if num_dims < 1:
            raise ValueError('dims must be >= 1: {}'.format(num_dims))
        self._config = _parse_rnn_config(num_dims, input_dims, output_dims, priority_dims,
                                         non_recurrent_dims, non_recurrent_fn or tf.nn.relu,
                                         tied, num_units)
        self._state_is_tuple = state_is_tuple
        self._output_is_tuple = output_is_tuple
        if cell_fn is None:
            my_cell_fn = functools.partial(LSTMCell, num_units=num_units,
                                           state_is_tuple=state_is_tuple)
        else:
            my_cell_fn = functools.partial(cell_fn, num_units)
        # Tied: one cell, so one set of weights, for every dimension.
        self._cells = [my_cell_fn()] * num_dims if tied else [my_cell_fn()
                                                               for _ in range(num_dims)]
        if not isinstance(self._cells[0], RNNCell):
            raise TypeError('cell_fn must return an RNNCell instance, saw: %s'
                            % type(self._cells[0]))
        if output_is_tuple:
            self._output_size = tuple(self._cells[0].output_size for _ in self._config.outputs)
        else:
            self._output_size = self._cells[0].output_size * len(self._config.outputs)
        if state_is_tuple:
            self._state_size = tuple(self._cells[0].state_size
                                     for _ in self._config.recurrents)
        else:
            self._state_size = self._cell_state_size() * len(self._config.recurrents)

    @property
    def output_size(self):
        return self._output_size

    @property
    def state_size(self):
        return self._state_size

    def __call__(self, inputs, state, scope=None):
        """One step of the grid: (output, new state), in `scope` (else `GridRNNCell`)."""
        conf = self._config
        dtype = inputs.dtype
        c_prev, m_prev, cell_output_size = self._extract_states(state)
        new_output = [None] * conf.num_dims
        new_state = [None] * conf.num_dims
        with tf.variable_scope(scope or type(self).__name__):
            self._project_input(inputs, c_prev, m_prev, cell_output_size > 0)
            _propagate(conf.non_priority, conf, self._cells, c_prev, m_prev, new_output,
                       new_state, True)
            _propagate(conf.priority, conf, self._cells, c_prev, m_prev, new_output,
                       new_state, False)
            output_tensors = [new_output[i] for i in conf.outputs]
            if self._output_is_tuple:
                output = tuple(output_tensors)
            elif output_tensors:
                output = tf.concat(output_tensors, 1)
            else:
                output = tf.zeros([0, 0], dtype)
            if self._state_is_tuple:
                states = tuple(new_state[i] for i in conf.recurrents)
            else:  # each state concatenated, then all of them
                state_tensors = [x for i in conf.recurrents for x in new_state[i]]
                states = (tf.concat(state_tensors, 1) if state_tensors
                          else tf.zeros([0, 0], dtype))
        return output, states

    def _extract_states(self, state):
        """Each recurrent dimension's cell value (c, the paper's m) and previous output
        (m, the paper's h) from the state; an LSTM's state has both (cell_output_size >
        0), a GRU's or basic RNN's only the output."""
        conf = self._config
        c_prev = [None] * conf.num_dims
        m_prev = [None] * conf.num_dims
        total_cell_state_size = self._cell_state_size()
        cell_output_size = total_cell_state_size - conf.num_units
        if self._state_is_tuple:
            if len(conf.recurrents) != len(state):
                raise ValueError('Expected state as a tuple of {} '
                                 'element'.format(len(conf.recurrents)))
            for recurrent_dim, recurrent_state in zip(conf.recurrents, state):
                if cell_output_size > 0:
                    c_prev[recurrent_dim], m_prev[recurrent_dim] = recurrent_state
                else:
                    m_prev[recurrent_dim] = recurrent_state
        else:
            for recurrent_dim, start_idx in zip(
                    conf.recurrents, range(0, self.state_size, total_cell_state_size)):
                if cell_output_size > 0:
                    c_prev[recurrent_dim] = tf.slice(state, [0, start_idx],
                                                     [-1, conf.num_units])
                    m_prev[recurrent_dim] = tf.slice(
                        state, [0, start_idx + conf.num_units], [-1, cell_output_size])
                else:
                    m_prev[recurrent_dim] = tf.slice(state, [0, start_idx],
                                                     [-1, conf.num_units])
        return c_prev, m_prev, cell_output_size

    def _project_input(self, inputs, c_prev, m_prev, with_c):
        """The input dimensions' previous output (and cell value) are the inputs projected,
        one part of the inputs for each input dimension."""
        conf = self._config
        if (inputs is None or not conf.inputs
                or not tf.dimension_value(inputs.shape.with_rank(2)[1]) > 0):
            return
        if isinstance(inputs, tuple):
            if len(conf.inputs) != len(inputs):
                raise ValueError('Expect inputs as a tuple of {} '
                                 'tensors'.format(len(conf.inputs)))
            input_splits = inputs
        else:
            input_splits = tf.split(value=inputs, num_or_size_splits=len(conf.inputs), axis=1)
        input_sz = tf.dimension_value(input_splits[0].shape.with_rank(2)[1])
        for i, j in enumerate(conf.inputs):
            input_project_m = tf.get_variable('project_m_{}'.format(j),
                                              [input_sz, conf.num_units], dtype=inputs.dtype)
            m_prev[j] = tf.matmul(input_splits[i], input_project_m)
            if with_c:
                input_project_c = tf.get_variable(
                    'project_c_{}'.format(j), [input_sz, conf.num_units], dtype=inputs.dtype)
                c_prev[j] = tf.matmul(input_splits[i], input_project_c)

    def _cell_state_size(self):
        """The size of one inner cell's whole state."""
        state_sizes = self._cells[0].state_size
        return sum(state_sizes) if isinstance(state_sizes, tuple) else state_sizes


class Grid1BasicRNNCell(GridRNNCell):
    """A 1-D grid of BasicRNNCells."""

    def __init__(self, num_units, state_is_tuple=True, output_is_tuple=True):
        super().__init__(num_units=num_units, num_dims=1, input_dims=0, output_dims=0,
                         priority_dims=0, tied=False,
                         cell_fn=lambda n: BasicRNNCell(num_units=n),
                         state_is_tuple=state_is_tuple, output_is_tuple=output_is_tuple)


class Grid1BasicLSTMCell(GridRNNCell):
    """A 1-D grid of BasicLSTMCells."""

    def __init__(self, num_units, forget_bias=1, state_is_tuple=True, output_is_tuple=True):
        super().__init__(num_units=num_units, num_dims=1, input_dims=0, output_dims=0,
                         priority_dims=0, tied=False,
                         cell_fn=lambda n: BasicLSTMCell(num_units=n, forget_bias=forget_bias),
                         state_is_tuple=state_is_tuple, output_is_tuple=output_is_tuple)


class Grid1LSTMCell(GridRNNCell):
    """A 1-D grid of LSTMCells (forget bias, peepholes)."""

    def __init__(self, num_units, use_peepholes=False, forget_bias=1.0, state_is_tuple=True,
                 output_is_tuple=True):
        super().__init__(num_units=num_units, num_dims=1, input_dims=0, output_dims=0,
                         priority_dims=0, cell_fn=_lstm_cell_fn(use_peepholes, forget_bias),
                         state_is_tuple=state_is_tuple, output_is_tuple=output_is_tuple)


class _GridWithInputAndOutputInFirstDimension(GridRNNCell):
    """The 2-D and 3-D grids: input and output in the first dimension, which is
    non-recurrent where a `non_recurrent_fn` is given."""

    def __init__(self, num_units, num_dims, cell_fn, tied, non_recurrent_fn, state_is_tuple,
                 output_is_tuple):
        super().__init__(num_units=num_units, num_dims=num_dims, input_dims=0, output_dims=0,
                         priority_dims=0, tied=tied,
                         non_recurrent_dims=None if non_recurrent_fn is None else 0,
                         cell_fn=cell_fn, non_recurrent_fn=non_recurrent_fn,
                         state_is_tuple=state_is_tuple, output_is_tuple=output_is_tuple)


class Grid2BasicRNNCell(_GridWithInputAndOutputInFirstDimension):
    """A 2-D grid of BasicRNNCells."""

    def __init__(self, num_units, tied=False, non_recurrent_fn=None, state_is_tuple=True,
                 output_is_tuple=True):
        super().__init__(num_units, 2, lambda n: BasicRNNCell(num_units=n), tied,
                         non_recurrent_fn, state_is_tuple, output_is_tuple)


class Grid2BasicLSTMCell(_GridWithInputAndOutputInFirstDimension):
    """A 2-D grid of BasicLSTMCells."""

    def __init__(self, num_units, tied=False, non_recurrent_fn=None, forget_bias=1,
                 state_is_tuple=True, output_is_tuple=True):
        super().__init__(num_units, 2,
                         lambda n: BasicLSTMCell(num_units=n, forget_bias=forget_bias), tied,
                         non_recurrent_fn, state_is_tuple, output_is_tuple)


class Grid2LSTMCell(_GridWithInputAndOutputInFirstDimension):
    """A 2-D grid of LSTMCells (forget bias, peepholes)."""

    def __init__(self, num_units, tied=False, non_recurrent_fn=None, use_peepholes=False,
                 forget_bias=1.0, state_is_tuple=True, output_is_tuple=True):
        super().__init__(num_units, 2, _lstm_cell_fn(use_peepholes, forget_bias), tied,
                         non_recurrent_fn, state_is_tuple, output_is_tuple)


class Grid3LSTMCell(_GridWithInputAndOutputInFirstDimension):
    """A 3-D grid of LSTMCells (forget bias, peepholes)."""

    def __init__(self, num_units, tied=False, non_recurrent_fn=None, use_peepholes=False,
                 forget_bias=1.0, state_is_tuple=True, output_is_tuple=True):
        super().__init__(num_units, 3, _lstm_cell_fn(use_peepholes, forget_bias), tied,
                         non_recurrent_fn, state_is_tuple, output_is_tuple)


class Grid2GRUCell(_GridWithInputAndOutputInFirstDimension):
    """A 2-D grid of GRUCells."""

    def __init__(self, num_units, tied=False, non_recurrent_fn=None, state_is_tuple=True,
                 output_is_tuple=True):
        super().__init__(num_units, 2, lambda n: GRUCell(num_units=n), tied, non_recurrent_fn,
                         state_is_tuple, output_is_tuple)


def _lstm_cell_fn(use_peepholes, forget_bias):
    return lambda n: LSTMCell(num_units=n, forget_bias=forget_bias, use_peepholes=use_peepholes)


_GridRNNDimension = collections.namedtuple('_GridRNNDimension', [
    'idx', 'is_input', 'is_output', 'is_priority', 'non_recurrent_fn'])

_GridRNNConfig = collections.namedtuple('_GridRNNConfig', [
    'num_dims', 'dims', 'inputs', 'outputs', 'recurrents', 'priority', 'non_priority', 'tied',
    'num_units'])


def _parse_rnn_config(num_dims, ls_input_dims, ls_output_dims, ls_priority_dims,
                      ls_non_recurrent_dims, non_recurrent_fn, tied, num_units):
    def check_dim_list(ls):
        if ls is None:
            ls = []
        if not isinstance(ls, (list, tuple)):
            ls = [ls]
        ls = sorted(set(ls))
        if any(d < 0 or d >= num_dims for d in ls):
            raise ValueError('Invalid dims: {}. Must be in [0, {})'.format(ls, num_dims))
        return ls

    input_dims = check_dim_list(ls_input_dims)
    output_dims = check_dim_list(ls_output_dims)
    priority_dims = check_dim_list(ls_priority_dims)
    non_recurrent_dims = check_dim_list(ls_non_recurrent_dims)
    rnn_dims = [_GridRNNDimension(idx=i, is_input=i in input_dims, is_output=i in output_dims,
                                  is_priority=i in priority_dims,
                                  non_recurrent_fn=non_recurrent_fn
                                  if i in non_recurrent_dims else None)
                for i in range(num_dims)]
    return _GridRNNConfig(
        num_dims=num_dims, dims=rnn_dims, inputs=input_dims, outputs=output_dims,
        recurrents=[x for x in range(num_dims) if x not in non_recurrent_dims],
        priority=priority_dims,
        non_priority=[x for x in range(num_dims) if x not in priority_dims],
        tied=tied, num_units=num_units)


def _propagate(dim_indices, conf, cells, c_prev, m_prev, new_output, new_state, first_call):
    """Computes the dimensions in dim_indices. Each cell's inputs are the outputs of the
    other dimensions H_0 ... H_{N-2} (new where computed already) concatenated; its state
    is the last dimension's output H_{N-1} (with its cell value for an LSTM)."""
    if not dim_indices:
        return
    if conf.num_dims > 1:
        ls_cell_inputs = [m_prev[d.idx] if new_output[d.idx] is None else new_output[d.idx]
                          for d in conf.dims[:-1]]
        cell_inputs = tf.concat(ls_cell_inputs, 1)
    else:
        cell_inputs = tf.zeros([m_prev[0].get_shape().as_list()[0], 0], m_prev[0].dtype)
    last_dim_output = new_output[-1] if new_output[-1] is not None else m_prev[-1]
    for i in dim_indices:
        d = conf.dims[i]
        if d.non_recurrent_fn:
            linear_args = (tf.concat([cell_inputs, last_dim_output], 1) if conf.num_dims > 1
                           else last_dim_output)
            with tf.variable_scope('non_recurrent' if conf.tied
                                   else 'non_recurrent/cell_{}'.format(i)):
                if conf.tied and not (first_call and i == dim_indices[0]):
                    tf.get_variable_scope().reuse_variables()
                new_output[d.idx] = fully_connected(
                    linear_args, num_outputs=conf.num_units, activation_fn=d.non_recurrent_fn,
                    weights_initializer=(tf.get_variable_scope().initializer
                                         or xavier_initializer()),
                    weights_regularizer=tf.get_variable_scope().regularizer)
        else:
            # A GRU's or basic RNN's state is its previous output alone.
            cell_state = (last_dim_output if c_prev[i] is None
                          else (c_prev[i], last_dim_output))
            with tf.variable_scope('recurrent' if conf.tied
                                   else 'recurrent/cell_{}'.format(i)):
                if conf.tied and not (first_call and i == dim_indices[0]):
                    tf.get_variable_scope().reuse_variables()
                new_output[d.idx], new_state[d.idx] = cells[i](cell_inputs, cell_state)
