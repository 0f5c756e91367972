"""contrib.rnn's LSTM variants, as TF 1.15's contrib/rnn/python/ops/rnn_cell.py had them:
CoupledInputForgetGateLSTMCell (Greff et al. 2015), LayerNormLSTMCell (Ba et al. 2016),
WeightNormLSTMCell (Salimans & Kingma 2016), GLSTMCell (Kuchaiev & Ginsburg 2017) and
PhasedLSTMCell (Neil et al. 2016). Each makes its variables in `call`, in the cell's scope,
under TF 1.x's names (`W_0`, `B`, `W_F_diag` for the coupled cell; `kernel`, `bias`,
`w_f_diag`, `projection/kernel` and the like for the others), so checkpoints move both
ways; the gates are in TF 1.x's order."""
import tensorflow.compat.v1 as tf

from tf1 import seeds
from tf1.rnn_cell.arguments import cell_activation
from tf1.rnn_cell.base import RNNCell, check_floating
from tf1.rnn_cell.lstm import LSTMStateTuple, layer_norm_in
from tf1.rnn_cell.projection import Linear, linear

__all__ = ['CoupledInputForgetGateLSTMCell', 'LayerNormLSTMCell', 'WeightNormLSTMCell',
           'GLSTMCell', 'PhasedLSTMCell']


class _LSTMVariant(RNNCell):
    """What the variants share: an LSTMStateTuple of (num_units, num_proj or num_units)
    and an output of the projection's size, if any."""

    def __init__(self, num_units, num_proj=None, reuse=None):
        super(_LSTMVariant, self).__init__(_reuse=reuse)
        self._num_units = num_units
        self._num_proj = num_proj

    @property
    def state_size(self):
        return LSTMStateTuple(self._num_units, self._num_proj or self._num_units)

    @property
    def output_size(self):
        return self._num_proj or self._num_units


def _depth(tensor):
    depth = tf.compat.dimension_value(tensor.get_shape().with_rank(2)[1])
    if depth is None:
        raise ValueError('Could not infer input size from inputs.get_shape()[-1]')
    return depth


def _sharded(name, shape, dtype, shards):
    """TF 1.x's sharded matrix: `shards` variables `name_0` ... split along the rows (the
    first shards a row larger when they do not divide evenly), concatenated."""
    if shards > shape[0]:
        raise ValueError('Too many shards: shape=%s, num_shards=%d' % (shape, shards))
    size, extra = divmod(shape[0], shards)
    pieces = [tf.get_variable('%s_%d' % (name, i), [size + (i < extra)] + shape[1:], dtype)
              for i in range(shards)]
    return pieces[0] if shards == 1 else tf.concat(pieces, 0, name=name + '/concat')


class CoupledInputForgetGateLSTMCell(_LSTMVariant):
    """An LSTM whose input gate is one minus its forget gate: three gate blocks (new input
    j, forget f, output o) from one matrix `W_<shard>` and bias `B`. `initializer` is
    accepted and, as in TF 1.15, not used: the variables take the scope's initializer.
    With `layer_norm` the blocks and the new memory are normalised (`transform/`,
    `forget/`, `output/`, `state/`) and `B` is left out."""

    def __init__(self, num_units, use_peepholes=False, initializer=None, num_proj=None,
                 proj_clip=None, num_unit_shards=1, num_proj_shards=1, forget_bias=1.0,
                 state_is_tuple=True, activation=tf.tanh, reuse=None, layer_norm=False,
                 norm_gain=1.0, norm_shift=0.0):
        super(CoupledInputForgetGateLSTMCell, self).__init__(num_units, num_proj, reuse)
        self._use_peepholes = use_peepholes
        self._proj_clip = proj_clip
        self._shards = (num_unit_shards, num_proj_shards)
        self._forget_bias = forget_bias
        self._state_is_tuple = state_is_tuple
        self._activation = cell_activation(type(self).__name__, activation)
        self._layer_norm = layer_norm
        self._norm = (norm_gain, norm_shift)

    @property
    def state_size(self):
        size = super(CoupledInputForgetGateLSTMCell, self).state_size
        return size if self._state_is_tuple else sum(size)

    def call(self, inputs, state):
        check_floating(inputs, state)
        num_proj = self._num_proj or self._num_units
        if self._state_is_tuple:
            c_prev, m_prev = state
        else:
            c_prev, m_prev = state[:, :self._num_units], state[:, self._num_units:]
        dtype = inputs.dtype
        weights = _sharded('W', [_depth(inputs) + num_proj, 3 * self._num_units], dtype,
                           self._shards[0])
        bias = tf.get_variable('B', [3 * self._num_units], dtype,
                               initializer=tf.zeros_initializer())
        lstm_matrix = tf.matmul(tf.concat([inputs, m_prev], 1), weights)
        if not self._layer_norm:
            lstm_matrix = tf.nn.bias_add(lstm_matrix, bias)
        j, f, o = seeds.split(lstm_matrix, 3, axis=1)
        if self._layer_norm:
            j, f, o = (layer_norm_in(scope, gate, *self._norm) for gate, scope in
                       ((j, 'transform'), (f, 'forget'), (o, 'output')))
        if self._use_peepholes:
            w_f_diag = tf.get_variable('W_F_diag', [self._num_units], dtype)
            w_o_diag = tf.get_variable('W_O_diag', [self._num_units], dtype)
            f += w_f_diag * c_prev
        forget = tf.sigmoid(f + self._forget_bias)
        c = forget * c_prev + (1 - forget) * self._activation(j)
        if self._layer_norm:
            c = layer_norm_in('state', c, *self._norm)
        m = tf.sigmoid(o + w_o_diag * c if self._use_peepholes else o) * self._activation(c)
        if self._num_proj is not None:
            m = tf.matmul(m, _sharded('W_P', [self._num_units, self._num_proj], dtype,
                                      self._shards[1]))
            if self._proj_clip is not None:
                m = tf.clip_by_value(m, -self._proj_clip, self._proj_clip)
        new_state = LSTMStateTuple(c, m) if self._state_is_tuple else tf.concat([c, m], 1)
        return m, new_state


class _PeepholeLSTM(_LSTMVariant):
    """LSTMCell's function (gates i, j, f, o; optional peepholes `w_f_diag`, `w_i_diag`,
    `w_o_diag`, cell and projection clipping) around a subclass's `_gates` and
    `_project`, with `initializer` the scope's initializer for its variables."""

    def __init__(self, num_units, use_peepholes, cell_clip, initializer, num_proj, proj_clip,
                 forget_bias, activation, reuse):
        super(_PeepholeLSTM, self).__init__(num_units, num_proj, reuse)
        self._use_peepholes = use_peepholes
        self._cell_clip = cell_clip
        self._initializer = initializer
        self._proj_clip = proj_clip
        self._forget_bias = forget_bias
        self._activation = cell_activation(type(self).__name__, activation)

    def _lstm(self, i, j, f, o, c_prev):
        if self._use_peepholes:
            w_f_diag, w_i_diag, w_o_diag = (
                tf.get_variable(name, [self._num_units], c_prev.dtype)
                for name in ('w_f_diag', 'w_i_diag', 'w_o_diag'))
            f += w_f_diag * c_prev
            i += w_i_diag * c_prev
        c = tf.sigmoid(f + self._forget_bias) * c_prev + tf.sigmoid(i) * self._activation(j)
        c = self._normalised_state(c)
        if self._cell_clip is not None:
            c = tf.clip_by_value(c, -self._cell_clip, self._cell_clip)
        m = tf.sigmoid(o + w_o_diag * c if self._use_peepholes else o) * self._activation(c)
        if self._num_proj is not None:
            with tf.variable_scope('projection'):
                m = self._project(m)
            if self._proj_clip is not None:
                m = tf.clip_by_value(m, -self._proj_clip, self._proj_clip)
        return m, LSTMStateTuple(c, m)

    def _normalised_state(self, c):
        return c


class LayerNormLSTMCell(_PeepholeLSTM):
    """LSTMCell with layer normalisation before each nonlinearity: the four gate blocks
    (`input/`, `transform/`, `forget/`, `output/`, each a `gamma` and a `beta`) and the
    new memory (`state/`); `bias` is still made then, but not added, as in TF 1.15."""

    def __init__(self, num_units, use_peepholes=False, cell_clip=None, initializer=None,
                 num_proj=None, proj_clip=None, forget_bias=1.0, activation=None,
                 layer_norm=False, norm_gain=1.0, norm_shift=0.0, reuse=None):
        super(LayerNormLSTMCell, self).__init__(num_units, use_peepholes, cell_clip,
                                                initializer, num_proj, proj_clip, forget_bias,
                                                activation, reuse)
        self._layer_norm = layer_norm
        self._norm = (norm_gain, norm_shift)

    def call(self, inputs, state):
        check_floating(inputs, state)
        c_prev, m_prev = state
        with tf.variable_scope(tf.get_variable_scope(), initializer=self._initializer):
            # The bias is made, and in checkpoints, even when layer norm leaves it out.
            gates = Linear([inputs, m_prev], 4 * self._num_units, build_bias=True)(
                [inputs, m_prev], add_bias=not self._layer_norm)
            i, j, f, o = seeds.split(gates, 4, axis=1)
            if self._layer_norm:
                i, j, f, o = (layer_norm_in(scope, gate, *self._norm) for gate, scope in
                              ((i, 'input'), (j, 'transform'), (f, 'forget'), (o, 'output')))
            return self._lstm(i, j, f, o, c_prev)

    def _normalised_state(self, c):
        return layer_norm_in('state', c, *self._norm) if self._layer_norm else c

    def _project(self, m):
        return linear(m, self._num_proj, bias=False)


class WeightNormLSTMCell(_PeepholeLSTM):
    """LSTMCell with weight normalisation: each input's rows of the kernel (the inputs',
    then the last output's) scaled column by column to unit length and by a learned gain
    (`norm_0`, `norm_1`; the projection's `projection/norm_0`). Its variables are in a
    `wn_lstm_cell` scope inside the cell's, as in TF 1.15; norm=False is LSTMCell."""

    def __init__(self, num_units, norm=True, use_peepholes=False, cell_clip=None,
                 initializer=None, num_proj=None, proj_clip=None, forget_bias=1,
                 activation=None, reuse=None):
        super(WeightNormLSTMCell, self).__init__(num_units, use_peepholes, cell_clip,
                                                 initializer, num_proj, proj_clip, forget_bias,
                                                 activation, reuse)
        self._weight_norm = norm

    def _linear(self, args, output_size, bias):
        sizes = [_depth(arg) for arg in args]
        dtype = args[0].dtype
        kernel = tf.get_variable('kernel', [sum(sizes), output_size], dtype)
        if self._weight_norm:
            parts = seeds.split(kernel, sizes, axis=0)
            kernel = tf.concat([tf.nn.l2_normalize(part, axis=0) *
                                tf.get_variable('norm_%d' % i, [output_size], dtype)
                                for i, part in enumerate(parts)], axis=0)
        product = tf.matmul(tf.concat(args, 1) if len(args) > 1 else args[0], kernel)
        if not bias:
            return product
        return tf.nn.bias_add(product, tf.get_variable(
            'bias', [output_size], dtype, initializer=tf.zeros_initializer()))

    def call(self, inputs, state):
        check_floating(inputs, state)
        c_prev, m_prev = state
        with tf.variable_scope('wn_lstm_cell', initializer=self._initializer):
            gates = self._linear([inputs, m_prev], 4 * self._num_units, bias=True)
            return self._lstm(*seeds.split(gates, 4, axis=1), c_prev)

    def _project(self, m):
        return self._linear([m], self._num_proj, bias=False)


class GLSTMCell(_LSTMVariant):
    """The group LSTM: the input and the last output split into `number_of_groups` equal
    parts, each group's gates from its own matrix (`group<k>/kernel`, no bias), then one
    bias per gate (`bias_i`, `bias_j`, `bias_f`, `bias_o`) over all groups; the output
    projected (`projection/kernel`) when num_proj is given."""

    def __init__(self, num_units, initializer=None, num_proj=None, number_of_groups=1,
                 forget_bias=1.0, activation=tf.tanh, reuse=None):
        super(GLSTMCell, self).__init__(num_units, num_proj, reuse)
        self._initializer = initializer
        self._groups = number_of_groups
        self._forget_bias = forget_bias
        self._activation = cell_activation(type(self).__name__, activation)
        if num_units % number_of_groups:
            raise ValueError('num_units must be divisible by number_of_groups')
        if num_proj and num_proj % number_of_groups:
            raise ValueError('num_proj must be divisible by number_of_groups')

    def call(self, inputs, state):
        check_floating(inputs, state)
        c_prev, m_prev = state
        depth = tf.compat.dimension_value(inputs.shape[1])
        if depth is None:
            raise ValueError('input size must be statically known')
        if depth % self._groups:
            raise ValueError('input size (%d) must be divisible by number_of_groups (%d)'
                             % (depth, self._groups))
        group_units = self._num_units // self._groups
        with tf.variable_scope(tf.get_variable_scope(), initializer=self._initializer):
            blocks = []  # each group's [i, j, f, o]
            for k, (x_k, m_k) in enumerate(zip(seeds.split(inputs, self._groups, 1),
                                               seeds.split(m_prev, self._groups, 1))):
                with tf.variable_scope('group%d' % k):
                    blocks.append(seeds.split(linear([x_k, m_k], 4 * group_units, bias=False),
                                           4, 1))
            i, j, f, o = (tf.nn.bias_add(tf.concat(parts, 1), tf.get_variable(
                'bias_' + gate, [self._num_units], inputs.dtype,
                initializer=tf.zeros_initializer()))
                for gate, parts in zip('ijfo', zip(*blocks)))
        c = tf.sigmoid(f + self._forget_bias) * c_prev + tf.sigmoid(i) * tf.tanh(j)
        m = tf.sigmoid(o) * self._activation(c)
        if self._num_proj is not None:
            with tf.variable_scope('projection'):
                m = linear(m, self._num_proj, bias=False)
        return m, LSTMStateTuple(c, m)


class PhasedLSTMCell(_LSTMVariant):
    """The phased LSTM: an LSTM (`mask_gates/`, `new_input/`, `output_gate/`, each a
    `kernel` and a `bias`) whose memory and output change only while each unit's time gate
    is open, for `ratio_on` of its `period` starting at its `phase` (and leak a little
    while closed). Inputs are a pair (time [batch, 1], features [batch, depth])."""

    def __init__(self, num_units, use_peepholes=False, leak=0.001, ratio_on=0.1,
                 trainable_ratio_on=True, period_init_min=1.0, period_init_max=1000.0,
                 reuse=None):
        super(PhasedLSTMCell, self).__init__(num_units, reuse=reuse)
        self._use_peepholes = use_peepholes
        self._leak = leak
        self._ratio_on = ratio_on
        self._trainable_ratio_on = trainable_ratio_on
        self._period_range = (period_init_min, period_init_max)

    def call(self, inputs, state):
        c_prev, h_prev = state
        time, x = inputs
        with tf.variable_scope('mask_gates'):
            input_gate, forget_gate = seeds.split(tf.sigmoid(linear(
                [x, h_prev] + ([c_prev] if self._use_peepholes else []),
                2 * self._num_units)), 2, axis=1)
        with tf.variable_scope('new_input'):
            new_input = tf.tanh(linear([x, h_prev], self._num_units))
        new_c = c_prev * forget_gate + input_gate * new_input
        with tf.variable_scope('output_gate'):
            output_gate = tf.sigmoid(linear(
                [x, h_prev] + ([new_c] if self._use_peepholes else []), self._num_units))
        new_h = tf.tanh(new_c) * output_gate

        # Periods drawn log-uniformly between the two bounds, phases uniformly within them.
        low, high = self._period_range
        period = tf.get_variable('period', [self._num_units], initializer=(
            lambda shape, dtype=tf.float32, partition_info=None: tf.exp(
                tf.random_uniform(shape, tf.log(low), tf.log(high), dtype))))
        phase = tf.get_variable('phase', [self._num_units],
                                initializer=tf.random_uniform_initializer(
                                    0., period.initial_value))
        ratio_on = tf.get_variable('ratio_on', [self._num_units],
                                   initializer=tf.constant_initializer(self._ratio_on),
                                   trainable=self._trainable_ratio_on)
        cycle_ratio = self._cycle_ratio(time, phase, period)
        k_up = 2 * cycle_ratio / ratio_on
        k = tf.where(cycle_ratio < ratio_on, 2 - k_up, self._leak * cycle_ratio)
        k = tf.where(cycle_ratio < 0.5 * ratio_on, k_up, k)
        new_c = k * new_c + (1 - k) * c_prev
        new_h = k * new_h + (1 - k) * h_prev
        return new_h, LSTMStateTuple(new_c, new_h)

    @staticmethod
    def _cycle_ratio(time, phase, period):
        """Where in its cycle each unit is, in [0, 1), computed in the time's dtype (float64
        keeps long times exact); the modulo passes the time's gradient through."""
        phase, period = tf.cast(phase, time.dtype), tf.cast(period, time.dtype)
        shifted = time - phase
        modulo = tf.stop_gradient(tf.mod(shifted, period) - shifted) + shifted
        return tf.cast(modulo / period, tf.float32)
