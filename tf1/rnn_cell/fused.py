"""contrib.rnn's fused RNNs (TF 1.15's lstm_ops.py and fused_rnn_cell.py, ported) and its
first GRUBlockCell. A fused cell runs a whole time-major sequence [time, batch, depth] in
one call, `cell(inputs, initial_state=None, dtype=None, sequence_length=None)` ->
(outputs [time, batch, units], final state); LSTMBlockFusedCell runs TensorFlow's
BlockLSTM kernel, which TensorFlow still ships with its gradient. Inputs may also be a
list of [batch, depth] tensors, as static_rnn takes them; the outputs are then a list."""
import tensorflow.compat.v1 as tf
from tensorflow.python.ops import rnn_grad  # noqa: F401 (registers BlockLSTM's gradient)

from tf1.rnn_cell.base import GRUCell, LayerRNNCell, RNNCell, input_depth
from tf1.rnn_cell.lstm import LSTMStateTuple


class FusedRNNCell(object):
    """What a fused cell is: callable on a whole sequence."""

    def __call__(self, inputs, initial_state=None, dtype=None, sequence_length=None,
                 scope=None):
        raise NotImplementedError('%s must define __call__' % type(self).__name__)


class LSTMBlockWrapper(LayerRNNCell, FusedRNNCell):
    """What TF 1.x's fused LSTMs share: a subclass gives `num_units` and `_call_cell(inputs,
    initial_cell_state, initial_output, dtype, sequence_length)` -> (cell states, outputs)
    over the whole sequence; this class makes the initial state, masks the outputs past
    each sequence's length and returns the final state at its end."""

    @property
    def num_units(self):
        raise NotImplementedError('%s must define num_units' % type(self).__name__)

    def _call_cell(self, inputs, initial_cell_state, initial_output, dtype, sequence_length):
        raise NotImplementedError('%s must define _call_cell' % type(self).__name__)

    def __call__(self, inputs, initial_state=None, dtype=None, sequence_length=None,
                 scope=None):
        is_list = isinstance(inputs, list)
        if is_list:
            inputs = tf.stack(inputs)
        inputs_shape = inputs.get_shape().with_rank(3)
        if not inputs_shape[2]:
            raise ValueError('Expecting inputs_shape[2] to be set: %s' % inputs_shape)
        with self._call_scope(scope):
            if not self.built:
                self._dtype = self._dtype or inputs.dtype.base_dtype
                self.build(inputs_shape[1:])
                self.built = True
            outputs, final_state = self._run(inputs, initial_state, dtype, sequence_length)
        return (tf.unstack(outputs) if is_list else outputs), final_state

    def _run(self, inputs, initial_state, dtype, sequence_length):
        time_len = tf.dimension_value(inputs.shape[0]) or tf.shape(inputs)[0]
        batch_size = tf.dimension_value(inputs.shape[1]) or tf.shape(inputs)[1]
        if initial_state is None:
            if dtype is None:
                raise ValueError('Either initial_state or dtype needs to be specified')
            z = tf.zeros(tf.stack([batch_size, self.num_units]), dtype=dtype)
            initial_state = z, z
        elif len(initial_state) != 2:
            raise ValueError('Expecting initial_state to be a tuple with length 2 or None')
        dtype = dtype or initial_state[0].dtype
        if sequence_length is not None:
            sequence_length = tf.convert_to_tensor(sequence_length)
        initial_cell_state, initial_output = initial_state
        cell_states, outputs = self._call_cell(inputs, initial_cell_state, initial_output,
                                               dtype, sequence_length)
        if sequence_length is None:
            return outputs, LSTMStateTuple(cell_states[-1], outputs[-1])
        # Zeros past each sequence's end; its final state the one at its last step.
        mask = tf.transpose(tf.sequence_mask(sequence_length, time_len, dtype=dtype), [1, 0])
        outputs *= tf.tile(tf.expand_dims(mask, [-1]), [1, 1, self.num_units])
        ends = tf.stack([tf.cast(sequence_length, tf.int32), tf.range(batch_size)], axis=1)
        final = [tf.gather_nd(tf.concat([tf.expand_dims(start, [0]), states], 0), ends)
                 for start, states in ((initial_cell_state, cell_states),
                                       (initial_output, outputs))]
        return outputs, LSTMStateTuple(*final)


class LSTMBlockFusedCell(LSTMBlockWrapper):
    """The LSTM over a whole sequence in one BlockLSTM op: LSTMCell's function (gates i, j,
    f, o; forget_bias added to f; `cell_clip`, peepholes) with TF 1.x's variables
    `lstm_fused_cell/kernel` [depth + units, 4 units], `bias` and `w_*_diag`. Past a
    sequence's length the outputs are zeros and its final state is the one at its end."""

    def __init__(self, num_units, forget_bias=1.0, cell_clip=None, use_peephole=False,
                 reuse=None, dtype=None, name='lstm_fused_cell'):
        super(LSTMBlockFusedCell, self).__init__(_reuse=reuse, name=name, dtype=dtype)
        self._num_units = num_units
        self._forget_bias = forget_bias
        self._cell_clip = cell_clip if cell_clip is not None else -1
        self._use_peephole = use_peephole

    num_units = property(lambda self: self._num_units)
    state_size = property(lambda self: LSTMStateTuple(self._num_units, self._num_units))
    output_size = property(lambda self: self._num_units)

    def build(self, inputs_shape):
        self._kernel = self.add_variable(
            'kernel', [input_depth(self, inputs_shape) + self._num_units, 4 * self._num_units])
        self._bias = self.add_variable('bias', [4 * self._num_units],
                                       initializer=tf.constant_initializer(0.0))
        if self._use_peephole:
            self._w_i_diag, self._w_f_diag, self._w_o_diag = (
                self.add_variable(name, [self._num_units])
                for name in ('w_i_diag', 'w_f_diag', 'w_o_diag'))

    def _call_cell(self, inputs, initial_cell_state, initial_output, dtype, sequence_length):
        time_len = tf.dimension_value(inputs.shape[0]) or tf.shape(inputs)[0]
        max_seq_len = tf.cast(time_len if sequence_length is None else
                              tf.reduce_max(sequence_length), tf.int64)
        if self._use_peephole:
            wci, wcf, wco = self._w_i_diag, self._w_f_diag, self._w_o_diag
        else:
            wci = wcf = wco = tf.zeros([self._num_units], dtype=dtype)
        _, cell_states, _, _, _, _, outputs = tf.raw_ops.BlockLSTM(
            seq_len_max=max_seq_len, x=inputs, cs_prev=initial_cell_state,
            h_prev=initial_output, w=self._kernel, wci=wci, wcf=wcf, wco=wco, b=self._bias,
            forget_bias=self._forget_bias, cell_clip=self._cell_clip,
            use_peephole=self._use_peephole)
        return cell_states, outputs


class TimeReversedFusedRNN(FusedRNNCell):
    """A fused cell run backwards in time (each sequence within its length): the backward
    half of a bidirectional fused LSTM. Outputs come back in the inputs' order."""

    def __init__(self, cell):
        self._cell = cell

    @staticmethod
    def _reverse(t, lengths):
        if isinstance(t, list):
            if lengths is None:
                return list(reversed(t))
            return tf.unstack(tf.reverse_sequence(tf.stack(t), lengths, 0, 1))
        if lengths is None:
            return tf.reverse(t, [0])
        return tf.reverse_sequence(t, lengths, 0, 1)

    def __call__(self, inputs, initial_state=None, dtype=None, sequence_length=None,
                 scope=None):
        inputs = self._reverse(inputs, sequence_length)
        outputs, state = self._cell(inputs, initial_state=initial_state, dtype=dtype,
                                    sequence_length=sequence_length, scope=scope)
        return self._reverse(outputs, sequence_length), state


class FusedRNNCellAdaptor(FusedRNNCell):
    """Any RNNCell called as a fused cell: static_rnn over the steps, or dynamic_rnn
    (time-major) when use_dynamic_rnn."""

    def __init__(self, cell, use_dynamic_rnn=False):
        self._cell = cell
        self._use_dynamic_rnn = use_dynamic_rnn

    def __call__(self, inputs, initial_state=None, dtype=None, sequence_length=None,
                 scope=None):
        is_list = isinstance(inputs, list)
        if self._use_dynamic_rnn:
            outputs, state = tf.nn.dynamic_rnn(
                self._cell, tf.stack(inputs) if is_list else inputs,
                sequence_length=sequence_length, initial_state=initial_state, dtype=dtype,
                time_major=True, scope=scope)
            return (tf.unstack(outputs) if is_list else outputs), state
        outputs, state = tf.nn.static_rnn(
            self._cell, inputs if is_list else tf.unstack(inputs), initial_state=initial_state,
            dtype=dtype, sequence_length=sequence_length, scope=scope)
        return (outputs if is_list else tf.stack(outputs)), state


class GRUBlockCell(GRUCell):
    """contrib.rnn's first GRUBlockCell (TF 1.3-1.15): GRUCell's function with its own
    variables, `gru_cell/w_ru` [depth + units, 2 units], `b_ru` (started at 1), `w_c`,
    `b_c`. (GRUBlockCellV2 took GRUCell's names.)"""

    def __init__(self, num_units=None, reuse=None, name='gru_cell', cell_size=None):
        if (cell_size is None) == (num_units is None):
            raise ValueError('GRUBlockCell takes exactly one of num_units and cell_size '
                             '(its old name)')
        super(GRUBlockCell, self).__init__(num_units or cell_size, reuse=reuse, name=name)

    get_config = RNNCell.get_config  # contrib's cells had only the base config

    def build(self, inputs_shape):
        rows = input_depth(self, inputs_shape) + self._num_units
        self._gate_kernel = self.add_variable('w_ru', [rows, 2 * self._num_units])
        self._gate_bias = self.add_variable('b_ru', [2 * self._num_units],
                                            initializer=tf.constant_initializer(1.0))
        self._candidate_kernel = self.add_variable('w_c', [rows, self._num_units])
        self._candidate_bias = self.add_variable('b_c', [self._num_units],
                                                 initializer=tf.constant_initializer(0.0))
