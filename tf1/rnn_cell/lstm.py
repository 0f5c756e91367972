"""The LSTM cells: LSTMCell, BasicLSTMCell, contrib.rnn's LSTMBlockCell and
LayerNormBasicLSTMCell, and their state."""
import collections

import tensorflow.compat.v1 as tf

from tf1 import seeds
from tf1.rnn_cell.arguments import (cell_activation, check_initializer, serialize_activation,
                                    serialize_initializer)
from tf1.rnn_cell.base import (LayerRNNCell, RNNCell, check_floating, check_supported_dtype,
                               input_depth, shard_partitioner)


class LSTMStateTuple(collections.namedtuple('LSTMStateTuple', ('c', 'h'))):
    """The LSTM state: `c` the cell's memory, `h` its output (the order TF 1.x used)."""
    __slots__ = ()

    @property
    def dtype(self):
        c, h = self
        if c.dtype != h.dtype:
            raise TypeError('Inconsistent internal state: %s vs %s' % (c.dtype, h.dtype))
        return c.dtype


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
        check_supported_dtype(self)
        self._num_units = num_units
        self._use_peepholes = use_peepholes
        self._cell_clip = cell_clip
        self._initializer = check_initializer(type(self).__name__, 'initializer', initializer)
        self._num_proj = num_proj
        self._proj_clip = proj_clip
        self._num_unit_shards = num_unit_shards
        self._num_proj_shards = num_proj_shards
        self._forget_bias = forget_bias
        self._state_is_tuple = state_is_tuple
        self._activation = cell_activation(type(self).__name__, activation)
        self._output_size = num_proj or num_units
        # Kept, as TF 1.x's LSTMCell kept it (subclasses read `_state_size`).
        self._state_size = (LSTMStateTuple(num_units, self._output_size) if state_is_tuple
                            else num_units + self._output_size)

    @property
    def state_size(self):
        return self._state_size

    @property
    def output_size(self):
        return self._output_size

    def build(self, inputs_shape):
        depth = input_depth(self, inputs_shape)
        units = self._num_units
        self._kernel = self.add_variable('kernel', [depth + self._output_size, 4 * units],
                                         initializer=self._initializer,
                                         partitioner=shard_partitioner(self._num_unit_shards))
        self._bias = self.add_variable('bias', [4 * units], initializer=tf.zeros_initializer())
        if self._use_peepholes:
            self._w_f_diag = self.add_variable('w_f_diag', [units], initializer=self._initializer)
            self._w_i_diag = self.add_variable('w_i_diag', [units], initializer=self._initializer)
            self._w_o_diag = self.add_variable('w_o_diag', [units], initializer=self._initializer)
        if self._num_proj is not None:
            self._proj_kernel = self.add_variable(
                'projection/kernel', [units, self._num_proj], initializer=self._initializer,
                partitioner=shard_partitioner(self._num_proj_shards))

    def call(self, inputs, state):
        return self._step(inputs, state, self._kernel)

    def _step(self, inputs, state, kernel):
        """One step with `kernel` (model_pruning's masked cells give theirs)."""
        check_floating(inputs, state)
        axis = self._split_axis()
        c_prev, m_prev = state if self._state_is_tuple else self._split_state(state, axis)

        lstm_matrix = tf.nn.bias_add(
            tf.matmul(tf.concat([inputs, m_prev], 1), kernel), self._bias)
        i, j, f, o = seeds.split(lstm_matrix, 4, axis=axis)
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

    # How TF 1.x's two LSTM cells split their state and gates: the ops each built, in
    # their order, which graph-level seeds count (tf1/seeds.py).

    def _split_axis(self):
        """1: each split makes its own axis constant, as in TF 1.x's LSTMCell."""
        return 1

    def _split_state(self, state, unused_axis):
        """(c, m) from the concatenated state, sliced as TF 1.x's LSTMCell sliced it."""
        return (tf.slice(state, [0, 0], [-1, self._num_units]),
                tf.slice(state, [0, self._num_units], [-1, self._output_size]))


    def get_config(self):
        return dict(super(LSTMCell, self).get_config(), num_units=self._num_units,
                    use_peepholes=self._use_peepholes, cell_clip=self._cell_clip,
                    initializer=serialize_initializer(self._initializer),
                    num_proj=self._num_proj, proj_clip=self._proj_clip,
                    num_unit_shards=self._num_unit_shards,
                    num_proj_shards=self._num_proj_shards, forget_bias=self._forget_bias,
                    state_is_tuple=self._state_is_tuple,
                    activation=serialize_activation(self._activation), reuse=self._reuse)


class BasicLSTMCell(LSTMCell):
    """The LSTM without peepholes, clipping or projection: TF 1.x's baseline cell, whose
    variables are `basic_lstm_cell/kernel` [depth + units, 4 * units] and `.../bias`."""

    def __init__(self, num_units, forget_bias=1.0, state_is_tuple=True, activation=None,
                 reuse=None, name=None, dtype=None, **kwargs):
        super(BasicLSTMCell, self).__init__(
            num_units, forget_bias=forget_bias, state_is_tuple=state_is_tuple,
            activation=activation, reuse=reuse, name=name, dtype=dtype, **kwargs)

    def get_config(self):
        # RNNCell's, not LSTMCell's: the arguments of BasicLSTMCell only.
        return dict(RNNCell.get_config(self), num_units=self._num_units,
                    forget_bias=self._forget_bias, state_is_tuple=self._state_is_tuple,
                    activation=serialize_activation(self._activation), reuse=self._reuse)

    def _split_axis(self):
        """One axis constant for both splits, made first, as in TF 1.x's BasicLSTMCell."""
        return tf.constant(1, dtype=tf.int32)

    def _split_state(self, state, axis):
        """(c, h): the concatenated state split in two halves, as TF 1.x's BasicLSTMCell
        split it."""
        return tuple(seeds.split(state, 2, axis=axis))


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

    get_config = RNNCell.get_config  # contrib's cells had only the base config


class LayerNormBasicLSTMCell(RNNCell):
    """`tf.contrib.rnn.LayerNormBasicLSTMCell` (Ba et al., 2016) as TF 1.15 had it: the
    basic LSTM with each gate's pre-activation and the new memory layer-normalised
    (`input/`, `transform/`, `forget/`, `output/`, `state/`, each a `gamma` started at
    `norm_gain` and a `beta` at `norm_shift`), the kernel's bias left out then, and
    recurrent dropout (Semeniuta et al., 2016) on the candidate when dropout_keep_prob < 1.
    Its variables are made in `call`, as TF 1.x made them.
    """

    def __init__(self, num_units, forget_bias=1.0, input_size=None, activation=tf.tanh,
                 layer_norm=True, norm_gain=1.0, norm_shift=0.0, dropout_keep_prob=1.0,
                 dropout_prob_seed=None, reuse=None):
        super(LayerNormBasicLSTMCell, self).__init__(_reuse=reuse)
        self._num_units = num_units
        self._activation = activation
        self._forget_bias = forget_bias
        self._keep_prob = dropout_keep_prob
        self._seed = dropout_prob_seed
        self._layer_norm = layer_norm
        self._norm_gain = norm_gain
        self._norm_shift = norm_shift

    @property
    def state_size(self):
        return LSTMStateTuple(self._num_units, self._num_units)

    @property
    def output_size(self):
        return self._num_units

    def _norm(self, inputs, scope):
        return layer_norm_in(scope, inputs, self._norm_gain, self._norm_shift)

    def call(self, inputs, state):
        check_floating(inputs, state)
        c, h = state
        args = tf.concat([inputs, h], 1)
        out_size = 4 * self._num_units
        concat = tf.matmul(args, tf.get_variable('kernel', [args.get_shape()[-1], out_size],
                                                 dtype=args.dtype))
        if not self._layer_norm:
            concat = tf.nn.bias_add(concat, tf.get_variable('bias', [out_size],
                                                            dtype=args.dtype))
        i, j, f, o = seeds.split(value=concat, num_or_size_splits=4, axis=1)
        if self._layer_norm:
            i, j, f, o = (self._norm(gate, scope) for gate, scope in
                          ((i, 'input'), (j, 'transform'), (f, 'forget'), (o, 'output')))
        g = self._activation(j)
        if not isinstance(self._keep_prob, float) or self._keep_prob < 1:
            g = tf.nn.dropout(g, rate=1 - self._keep_prob, seed=self._seed)
        new_c = c * tf.sigmoid(f + self._forget_bias) + tf.sigmoid(i) * g
        if self._layer_norm:
            new_c = self._norm(new_c, 'state')
        new_h = self._activation(new_c) * tf.sigmoid(o)
        return new_h, LSTMStateTuple(new_c, new_h)


def layer_norm_in(scope, inputs, gain, shift):
    """Layer normalisation in `scope`, as contrib.rnn's layer-normalised cells did it: the
    `gamma` and `beta` made first with the cell's starting values (`gain`, `shift`), then
    used by contrib.layers.layer_norm."""
    from tf1.contrib_layers import layer_norm
    shape = inputs.get_shape()[-1:]
    with tf.variable_scope(scope):
        tf.get_variable('gamma', shape=shape, dtype=inputs.dtype,
                        initializer=tf.constant_initializer(gain))
        tf.get_variable('beta', shape=shape, dtype=inputs.dtype,
                        initializer=tf.constant_initializer(shift))
    return layer_norm(inputs, reuse=True, scope=scope)
