"""contrib.rnn's time-frequency LSTMs for speech, as TF 1.15's contrib/rnn/python/ops/
rnn_cell.py had them: TimeFreqLSTMCell, GridLSTMCell and BidirectionalGridLSTMCell (Sainath
& Li 2016; Kalchbrenner et al. 2016). Each input frame is cut into windows of
`feature_size` features, `frequency_skip` apart, and an LSTM runs across the windows (in
frequency) inside the step, while each window keeps its own state through time.

The variables are TF 1.15's, made in `call` in the cell's scope: `W_<shard>`, `B` and
`W_F_diag` ... for the time-frequency cell; per frequency block `W_f_<block>_<shard>`,
`B_f_<block>`, `W_t_<block>_<shard>`, `B_t_<block>` and `W_I_diag_freqf_<block>` ... for
the grid cells (the bidirectional one's under `fwd/` and `bwd/`), so checkpoints move both
ways. `initializer` is accepted and, as in TF 1.15, not used: the weights take the scope's
initializer. What TF 1.15 declared, and did, is kept where it looks odd: the
time-frequency cell's `state_size` and `output_size` are one window's, and a grid cell
with a concatenated state reads every block's state from the first block's columns."""
import collections

import tensorflow.compat.v1 as tf

from tf1 import seeds
from tf1.rnn_cell.base import RNNCell
from tf1.rnn_cell.contrib_lstm import _sharded

__all__ = ['TimeFreqLSTMCell', 'GridLSTMCell', 'BidirectionalGridLSTMCell']


def _input_size(inputs):
    size = tf.compat.dimension_value(inputs.get_shape().with_rank(2)[-1])
    if size is None:
        raise ValueError('Cannot infer input_size from static shape inference.')
    return size


def _window_count(size, feature_size, frequency_skip):
    """How many windows of `feature_size`, `frequency_skip` apart, fit in `size` features
    (TF 1.x truncated the true quotient)."""
    return int((size - feature_size) / frequency_skip) + 1


def _windows(inputs, start, count, feature_size, frequency_skip):
    return [tf.slice(inputs, [0, start + k * frequency_skip], [-1, feature_size])
            for k in range(count)]


def _gate(pre_activation, diagonals, c_freq, c_time):
    """sigmoid of a gate, with peepholes onto the frequency and the time LSTM's memories
    when `diagonals` (their two weight vectors) are given."""
    if diagonals is not None:
        pre_activation = (pre_activation + diagonals[0] * c_freq + diagonals[1] * c_time)
    return tf.sigmoid(pre_activation)


def _clipped(c, cell_clip):
    return c if cell_clip is None else tf.clip_by_value(c, -cell_clip, cell_clip)


def _state_tuple(type_name, prefixes):
    """The namedtuple TF 1.15 gave a grid cell's state: `<prefix>_c`, `<prefix>_m` for
    each prefix (`state_f00_b00`: frequency 0 of block 0)."""
    return collections.namedtuple(type_name, ['%s_%s' % (prefix, part)
                                              for prefix in prefixes for part in 'cm'])


class TimeFreqLSTMCell(RNNCell):
    """An LSTM across the frequency windows of each input: window k's gates see the window,
    its own last output through time and window k-1's new output (zeros for the first),
    with one weight matrix `W` and bias `B` for all windows, optional peepholes
    (`W_F_diag`, `W_I_diag`, `W_O_diag`) and cell clipping. The state is every window's
    [c, m], concatenated, and the output every window's m; `state_size` and `output_size`
    are one window's, as TF 1.15 declared them, so build the state yourself (a zero state
    of `2 * num_units * windows` columns)."""

    def __init__(self, num_units, use_peepholes=False, cell_clip=None, initializer=None,
                 num_unit_shards=1, forget_bias=1.0, feature_size=None, frequency_skip=1,
                 reuse=None):
        super(TimeFreqLSTMCell, self).__init__(_reuse=reuse)
        self._num_units = num_units
        self._use_peepholes = use_peepholes
        self._cell_clip = cell_clip
        self._initializer = initializer  # unused, as in TF 1.15
        self._num_unit_shards = num_unit_shards
        self._forget_bias = forget_bias
        self._feature_size = feature_size
        self._frequency_skip = frequency_skip

    @property
    def state_size(self):
        return 2 * self._num_units

    @property
    def output_size(self):
        return self._num_units

    def call(self, inputs, state):
        n = self._num_units
        windows = self._make_tf_features(inputs)
        dtype = inputs.dtype
        weights = _sharded('W', [windows[0].get_shape().as_list()[1] + 2 * n, 4 * n], dtype,
                           self._num_unit_shards)
        bias = tf.get_variable('B', [4 * n], dtype, initializer=tf.zeros_initializer())
        diagonals = ([tf.get_variable(name, [n], dtype)
                      for name in ('W_F_diag', 'W_I_diag', 'W_O_diag')]
                     if self._use_peepholes else None)
        # The first window's neighbour in frequency: zeros of the static batch size, which
        # TF 1.15 needed known.
        m_prev_freq = tf.zeros([tf.compat.dimension_value(inputs.shape[0]) or
                                inputs.get_shape()[0], n], dtype)
        for k, window in enumerate(windows):
            c_prev = tf.slice(state, [0, 2 * k * n], [-1, n])
            m_prev = tf.slice(state, [0, (2 * k + 1) * n], [-1, n])
            lstm_matrix = tf.nn.bias_add(
                tf.matmul(tf.concat([window, m_prev, m_prev_freq], 1), weights), bias)
            c, m = self._lstm(seeds.split(lstm_matrix, 4, axis=1), c_prev, diagonals)
            m_prev_freq = m
            # Grown window by window, as TF 1.15 concatenated them (its op count).
            if k == 0:
                state_out, m_out = tf.concat([c, m], 1), m
            else:
                state_out = tf.concat([state_out, c, m], 1)
                m_out = tf.concat([m_out, m], 1)
        return m_out, state_out

    def _lstm(self, gates, c_prev, diagonals):
        i, j, f, o = gates
        if diagonals is not None:
            w_f_diag, w_i_diag, w_o_diag = diagonals
            c = (tf.sigmoid(f + self._forget_bias + w_f_diag * c_prev) * c_prev +
                 tf.sigmoid(i + w_i_diag * c_prev) * tf.tanh(j))
        else:
            c = tf.sigmoid(f + self._forget_bias) * c_prev + tf.sigmoid(i) * tf.tanh(j)
        c = _clipped(c, self._cell_clip)
        if diagonals is not None:
            return c, tf.sigmoid(o + w_o_diag * c) * tf.tanh(c)
        return c, tf.sigmoid(o) * tf.tanh(c)

    def _make_tf_features(self, input_feat):
        """The input's windows in frequency, each [batch, feature_size]."""
        count = _window_count(_input_size(input_feat), self._feature_size,
                              self._frequency_skip)
        return _windows(input_feat, 0, count, self._feature_size, self._frequency_skip)


class GridLSTMCell(RNNCell):
    """Two LSTMs on a grid over each input's frequency windows: the frequency LSTM
    (`W_f_<block>`, `B_f_<block>`) carries its memory from window to window within the
    step, the time LSTM (`W_t_<block>`, `B_t_<block>`, or the frequency LSTM's weights
    with share_time_frequency_weights) carries each window's memory to the next step.
    Both see the window, the window's last time output and the previous window's
    frequency output. The windows come in `num_frequency_blocks` blocks (the features
    from `start_freqindex_list[b]` to `end_freqindex_list[b]`, or one block of the whole
    input), each with its own weights. Peepholes look at both memories
    (`W_I_diag_freqf_<block>` onto the frequency memory, `..._freqt_...` onto the time
    memory; `..._time?_...` for the time LSTM); with couple_input_forget_gates the forget
    gate is one minus the input gate, and there are three gate blocks (i, j, o), not four
    (i, j, f, o).

    The output is every window's [time output, frequency output]; the state every
    window's time [c, m], a GridLSTMStateTuple (`state_f00_b00_c`, `state_f00_b00_m`, ...)
    or, with state_is_tuple=False, concatenated."""

    def __init__(self, num_units, use_peepholes=False, share_time_frequency_weights=False,
                 cell_clip=None, initializer=None, num_unit_shards=1, forget_bias=1.0,
                 feature_size=None, frequency_skip=None, num_frequency_blocks=None,
                 start_freqindex_list=None, end_freqindex_list=None,
                 couple_input_forget_gates=False, state_is_tuple=True, reuse=None):
        super(GridLSTMCell, self).__init__(_reuse=reuse)
        if not state_is_tuple:
            tf.logging.warn('%s: Using a concatenated state is slower and will soon be '
                            'deprecated.  Use state_is_tuple=True.', self)
        self._num_units = num_units
        self._use_peepholes = use_peepholes
        self._share_time_frequency_weights = share_time_frequency_weights
        self._couple_input_forget_gates = couple_input_forget_gates
        self._state_is_tuple = state_is_tuple
        self._cell_clip = cell_clip
        self._initializer = initializer  # unused, as in TF 1.15
        self._num_unit_shards = num_unit_shards
        self._forget_bias = forget_bias
        self._feature_size = feature_size
        self._frequency_skip = frequency_skip
        self._start_freqindex_list = start_freqindex_list
        self._end_freqindex_list = end_freqindex_list
        self._num_frequency_blocks = num_frequency_blocks
        if num_frequency_blocks is None:
            raise ValueError('Must specify num_frequency_blocks')
        self._total_blocks = sum(int(count) for count in num_frequency_blocks)
        if state_is_tuple:
            self._state_tuple_type = _state_tuple('GridLSTMStateTuple', self._prefixes('state'))
            self._state_size = self._state_tuple_type(*[num_units] * (2 * self._total_blocks))
        else:
            self._state_tuple_type = None
            self._state_size = num_units * self._total_blocks * 2
        self._output_size = num_units * self._total_blocks * 2

    def _prefixes(self, state_prefix):
        return ['%s_f%02d_b%02d' % (state_prefix, freq_index, block)
                for block, count in enumerate(self._num_frequency_blocks)
                for freq_index in range(count)]

    @property
    def output_size(self):
        return self._output_size

    @property
    def state_size(self):
        return self._state_size

    @property
    def state_tuple_type(self):
        return self._state_tuple_type

    def call(self, inputs, state):
        batch_size = tf.compat.dimension_value(inputs.shape[0]) or tf.shape(inputs)[0]
        m_out, state_out = self._blocks(self._make_tf_features(inputs), state, batch_size,
                                        'state', self._state_is_tuple)
        if self._state_is_tuple:
            state_out = self._state_tuple_type(*state_out)
        else:
            state_out = tf.concat(state_out, 1)
        return tf.concat(m_out, 1), state_out

    def _blocks(self, freq_inputs, state, batch_size, state_prefix, state_is_tuple,
                reverse=False):
        """Every block's outputs and states, in lists; `reverse` runs each block's
        windows last to first (the bidirectional cell's backward pass)."""
        m_out, state_out = [], []
        for block, windows in enumerate(freq_inputs):
            m, new_state = self._compute(windows[::-1] if reverse else windows, block, state,
                                         batch_size, state_prefix, state_is_tuple)
            m_out.extend(m)
            state_out.extend(new_state)
        return m_out, state_out

    def _compute(self, freq_inputs, block, state, batch_size, state_prefix='state',
                 state_is_tuple=True):
        """One block's step: its windows in frequency order, each through the frequency and
        the time LSTM; ([m_time, m_freq] per window, [c_time, m_time] per window)."""
        n = self._num_units
        dtype = freq_inputs[0].dtype
        freq_weights, time_weights, freq_diagonals, time_diagonals = self._block_variables(
            block, freq_inputs[0].get_shape().as_list()[1], dtype)
        m_prev_freq = tf.zeros([batch_size, n], dtype)
        c_prev_freq = tf.zeros([batch_size, n], dtype)
        m_out, state_out = [], []
        for freq_index, window in enumerate(freq_inputs):
            if state_is_tuple:
                prefix = '%s_f%02d_b%02d' % (state_prefix, freq_index, block)
                c_prev_time = getattr(state, prefix + '_c')
                m_prev_time = getattr(state, prefix + '_m')
            else:  # the first block's columns, whatever the block, as in TF 1.15
                c_prev_time = tf.slice(state, [0, 2 * freq_index * n], [-1, n])
                m_prev_time = tf.slice(state, [0, (2 * freq_index + 1) * n], [-1, n])
            cell_inputs = tf.concat([window, m_prev_time, m_prev_freq], 1)
            freq_gates = self._gates(cell_inputs, freq_weights)
            time_gates = (freq_gates if time_weights is None
                          else self._gates(cell_inputs, time_weights))
            c_freq = self._memory(freq_gates, c_prev_freq, freq_diagonals, c_prev_freq,
                                  c_prev_time)
            c_time = self._memory(time_gates, c_prev_time, time_diagonals, c_prev_freq,
                                  c_prev_time)
            m_freq = self._output(freq_gates, c_freq, freq_diagonals, c_freq, c_time)
            m_time = self._output(time_gates, c_time, time_diagonals, c_freq, c_time)
            m_prev_freq, c_prev_freq = m_freq, c_freq
            state_out.extend([c_time, m_time])
            m_out.extend([m_time, m_freq])
        return m_out, state_out

    def _block_variables(self, block, input_size, dtype):
        """A block's (frequency weights, time weights or None when shared, frequency
        peepholes, time peepholes), made in TF 1.15's order."""
        num_gates = 3 if self._couple_input_forget_gates else 4
        shape = [input_size + 2 * self._num_units, num_gates * self._num_units]

        def weights(kind):
            return (_sharded('W_%s_%d' % (kind, block), shape, dtype, self._num_unit_shards),
                    tf.get_variable('B_%s_%d' % (kind, block), shape[1:], dtype,
                                    initializer=tf.zeros_initializer()))

        freq_weights = weights('f')
        time_weights = None if self._share_time_frequency_weights else weights('t')
        freq_diagonals = time_diagonals = None
        if self._use_peepholes:
            freq_diagonals = self._diagonals('freq', block, dtype)
            time_diagonals = (freq_diagonals if self._share_time_frequency_weights
                              else self._diagonals('time', block, dtype))
        return freq_weights, time_weights, freq_diagonals, time_diagonals

    def _diagonals(self, lstm, block, dtype):
        """{gate: (weights onto the frequency memory, onto the time memory)} of one LSTM's
        peepholes (`lstm` 'freq' or 'time'); no forget gate's when it is coupled."""
        gates = 'IO' if self._couple_input_forget_gates else 'FIO'
        return {gate: tuple(tf.get_variable('W_%s_diag_%s%s_%d' % (gate, lstm, memory, block),
                                            [self._num_units], dtype) for memory in 'ft')
                for gate in gates}

    def _gates(self, cell_inputs, weights):
        """The pre-activations {i, j, f, o} (f None when coupled) of one LSTM."""
        matrix = tf.nn.bias_add(tf.matmul(cell_inputs, weights[0]), weights[1])
        if self._couple_input_forget_gates:
            i, j, o = seeds.split(matrix, 3, axis=1)
            return {'i': i, 'j': j, 'f': None, 'o': o}
        return dict(zip('ijfo', seeds.split(matrix, 4, axis=1)))

    def _memory(self, gates, c_prev, diagonals, c_prev_freq, c_prev_time):
        """One LSTM's new memory from its own last memory `c_prev`."""
        diagonals = diagonals or {}
        input_gate = _gate(gates['i'], diagonals.get('I'), c_prev_freq, c_prev_time)
        if self._couple_input_forget_gates:
            forget_gate = 1.0 - input_gate
        else:
            forget_gate = _gate(gates['f'] + self._forget_bias, diagonals.get('F'),
                                c_prev_freq, c_prev_time)
        return _clipped(forget_gate * c_prev + input_gate * tf.tanh(gates['j']),
                        self._cell_clip)

    @staticmethod
    def _output(gates, c, diagonals, c_freq, c_time):
        return _gate(gates['o'], (diagonals or {}).get('O'), c_freq, c_time) * tf.tanh(c)

    def _make_tf_features(self, input_feat, slice_offset=0):
        """Each block's windows, each [batch, feature_size]. A `slice_offset` (the
        bidirectional cell's backward pass) shifts them: right, over zeros padded at the
        end, when positive; when negative, zeros padded at the front take its place."""
        input_size = _input_size(input_feat)
        inputs = input_feat
        if slice_offset > 0:
            inputs = tf.pad(input_feat, tf.constant([0, 0, 0, slice_offset], shape=[2, 2],
                                                    dtype=tf.int32), 'CONSTANT')
        elif slice_offset < 0:
            inputs = tf.pad(input_feat, tf.constant([0, 0, -slice_offset, 0], shape=[2, 2],
                                                    dtype=tf.int32), 'CONSTANT')
            slice_offset = 0
        if not self._start_freqindex_list:
            if len(self._num_frequency_blocks) != 1:
                raise ValueError('Length of num_frequency_blocks is not 1, but instead is %d'
                                 % len(self._num_frequency_blocks))
            return [self._block_windows(inputs, 0, input_size, slice_offset)]
        starts, ends = self._start_freqindex_list, self._end_freqindex_list
        # TF 1.15 passed the numbers as the error's further arguments, unformatted.
        if len(starts) != len(ends):
            raise ValueError('Length of start and end freqindex_list does not match %d %d',
                             len(starts), len(ends))
        if len(self._num_frequency_blocks) != len(starts):
            raise ValueError('Length of num_frequency_blocks is not equal to '
                             'start_freqindex_list %d %d', len(self._num_frequency_blocks),
                             len(starts))
        return [self._block_windows(inputs, block, end - start, start + slice_offset)
                for block, (start, end) in enumerate(zip(starts, ends))]

    def _block_windows(self, inputs, block, size, start):
        count = _window_count(size, self._feature_size, self._frequency_skip)
        if count != self._num_frequency_blocks[block]:
            raise ValueError('Invalid num_frequency_blocks, requires %d but gets %d, please '
                             'check the input size and filter config are correct.'
                             % (self._num_frequency_blocks[block], count))
        return _windows(inputs, start, count, self._feature_size, self._frequency_skip)


class BidirectionalGridLSTMCell(GridLSTMCell):
    """GridLSTMCell run both ways in frequency (with other weights, under `fwd/` and
    `bwd/`), its time direction unchanged, so it still runs online. The backward pass
    reads each block's windows last to first, shifted by `backward_slice_offset`; the
    output is the forward then the backward outputs, the state a
    BidirectionalGridLSTMStateTuple (`fwd_state_f00_b00_c` ..., then `bwd_state_...`)."""

    def __init__(self, num_units, use_peepholes=False, share_time_frequency_weights=False,
                 cell_clip=None, initializer=None, num_unit_shards=1, forget_bias=1.0,
                 feature_size=None, frequency_skip=None, num_frequency_blocks=None,
                 start_freqindex_list=None, end_freqindex_list=None,
                 couple_input_forget_gates=False, backward_slice_offset=0, reuse=None):
        super(BidirectionalGridLSTMCell, self).__init__(
            num_units, use_peepholes, share_time_frequency_weights, cell_clip, initializer,
            num_unit_shards, forget_bias, feature_size, frequency_skip, num_frequency_blocks,
            start_freqindex_list, end_freqindex_list, couple_input_forget_gates, True, reuse)
        self._backward_slice_offset = int(backward_slice_offset)
        self._state_tuple_type = _state_tuple(
            'BidirectionalGridLSTMStateTuple',
            self._prefixes('fwd_state') + self._prefixes('bwd_state'))
        self._state_size = self._state_tuple_type(*[num_units] * (4 * self._total_blocks))
        self._output_size = 2 * num_units * self._total_blocks * 2

    def call(self, inputs, state):
        batch_size = tf.compat.dimension_value(inputs.shape[0]) or tf.shape(inputs)[0]
        fwd_inputs = self._make_tf_features(inputs)
        bwd_inputs = (self._make_tf_features(inputs, self._backward_slice_offset)
                      if self._backward_slice_offset else fwd_inputs)
        with tf.variable_scope('fwd'):
            fwd_m, fwd_state = self._blocks(fwd_inputs, state, batch_size, 'fwd_state', True)
        with tf.variable_scope('bwd'):
            bwd_m, bwd_state = self._blocks(bwd_inputs, state, batch_size, 'bwd_state', True,
                                            reverse=True)
        state_out = self._state_tuple_type(*(fwd_state + bwd_state))
        return tf.concat(fwd_m + bwd_m, 1), state_out
