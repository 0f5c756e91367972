"""contrib.rnn's cells whose recurrence is elementwise or nearly so, as TF 1.15's
contrib/rnn/python/ops/rnn_cell.py had them: IndRNNCell, IndyGRUCell and IndyLSTMCell (Li et
al. 2018: each unit sees only its own last state, through a vector `kernel_u` instead of a
matrix), SRUCell (Lei et al. 2017: no matrix on the state at all), MinimalRNNCell (Chen et
al. 2018) and CFNCell (Laurent & von Brecht 2017). Variables made in `build` under TF 1.x's
names, in the cell's scope (`ind_rnn_cell`, `indy_gru_cell`, `sru_cell` ...)."""
import tensorflow.compat.v1 as tf

from tf1 import seeds
from tf1.rnn_cell.arguments import cell_activation, check_initializer
from tf1.rnn_cell.base import LayerRNNCell, OneVectorState, check_floating, input_depth
from tf1.rnn_cell.lstm import LSTMStateTuple

__all__ = ['IndRNNCell', 'IndyGRUCell', 'IndyLSTMCell', 'SRUCell', 'MinimalRNNCell', 'CFNCell']


class _OneVectorCell(OneVectorState, LayerRNNCell):
    """A layer cell of `num_units` with TF 1.x's activation and initializer arguments."""

    def __init__(self, num_units, activation=None, kernel_initializer=None,
                 bias_initializer=None, **kwargs):
        super(_OneVectorCell, self).__init__(**kwargs)
        name = type(self).__name__
        self._num_units = num_units
        self._activation = cell_activation(name, activation)
        self._kernel_initializer = check_initializer(name, 'kernel_initializer',
                                                     kernel_initializer)
        self._bias_initializer = check_initializer(name, 'bias_initializer', bias_initializer)

    def _recurrent_vector(self, name, size):
        """A [1, size] vector multiplying the last state elementwise, drawn from
        U(-1, 1) as TF 1.15 drew it."""
        return self.add_variable(name, [1, size], initializer=tf.random_uniform_initializer(
            minval=-1, maxval=1, dtype=self.dtype))


class IndRNNCell(_OneVectorCell):
    """output = new_state = activation(x W + u * state + b): `kernel_w`, `kernel_u`,
    `bias`."""

    def __init__(self, num_units, activation=None, reuse=None, name=None, dtype=None):
        super(IndRNNCell, self).__init__(num_units, activation, _reuse=reuse, name=name,
                                         dtype=dtype)

    def build(self, inputs_shape):
        self._kernel_w = self.add_variable('kernel_w', [input_depth(self, inputs_shape),
                                                        self._num_units])
        self._kernel_u = self._recurrent_vector('kernel_u', self._num_units)
        self._bias = self.add_variable('bias', [self._num_units],
                                       initializer=tf.zeros_initializer(dtype=self.dtype))

    def call(self, inputs, state):
        check_floating(inputs, state)
        output = self._activation(tf.nn.bias_add(
            tf.matmul(inputs, self._kernel_w) + state * self._kernel_u, self._bias))
        return output, output


class IndyGRUCell(_OneVectorCell):
    """GRUCell with the state's matrices replaced by vectors: reset and update gates
    from `gates/kernel_w`, `gates/kernel_u`, `gates/bias` (started at 1), the candidate
    from `candidate/kernel`, `candidate/kernel_u`, `candidate/bias`."""

    def __init__(self, num_units, activation=None, reuse=None, kernel_initializer=None,
                 bias_initializer=None, name=None, dtype=None):
        super(IndyGRUCell, self).__init__(num_units, activation, kernel_initializer,
                                          bias_initializer, _reuse=reuse, name=name,
                                          dtype=dtype)

    def build(self, inputs_shape):
        depth, units = input_depth(self, inputs_shape), self._num_units
        self._gate_kernel_w = self.add_variable('gates/kernel_w', [depth, 2 * units],
                                                initializer=self._kernel_initializer)
        self._gate_kernel_u = self._recurrent_vector('gates/kernel_u', 2 * units)
        self._gate_bias = self.add_variable(
            'gates/bias', [2 * units], initializer=self._bias_initializer or
            tf.constant_initializer(1.0, dtype=self.dtype))
        self._candidate_kernel_w = self.add_variable('candidate/kernel', [depth, units],
                                                     initializer=self._kernel_initializer)
        self._candidate_kernel_u = self._recurrent_vector('candidate/kernel_u', units)
        self._candidate_bias = self.add_variable(
            'candidate/bias', [units], initializer=self._bias_initializer or
            tf.zeros_initializer(dtype=self.dtype))

    def call(self, inputs, state):
        check_floating(inputs, state)
        gate_inputs = tf.nn.bias_add(tf.matmul(inputs, self._gate_kernel_w) +
                                     tf.tile(state, [1, 2]) * self._gate_kernel_u,
                                     self._gate_bias)
        reset, update = seeds.split(tf.sigmoid(gate_inputs), 2, axis=1)
        candidate = tf.nn.bias_add(tf.matmul(inputs, self._candidate_kernel_w) +
                                   reset * state * self._candidate_kernel_u,
                                   self._candidate_bias)
        new_h = update * state + (1 - update) * self._activation(candidate)
        return new_h, new_h


class IndyLSTMCell(_OneVectorCell):
    """BasicLSTMCell with the last output's matrix replaced by a vector: gates i, j, f, o
    from `kernel_w`, `kernel_u` and `bias`, `forget_bias` added to f."""

    def __init__(self, num_units, forget_bias=1.0, activation=None, reuse=None,
                 kernel_initializer=None, bias_initializer=None, name=None, dtype=None):
        super(IndyLSTMCell, self).__init__(num_units, activation, kernel_initializer,
                                           bias_initializer, _reuse=reuse, name=name,
                                           dtype=dtype)
        self._forget_bias = forget_bias

    @property
    def state_size(self):
        return LSTMStateTuple(self._num_units, self._num_units)

    def build(self, inputs_shape):
        units = self._num_units
        self._kernel_w = self.add_variable('kernel_w', [input_depth(self, inputs_shape),
                                                        4 * units],
                                           initializer=self._kernel_initializer)
        self._kernel_u = self._recurrent_vector('kernel_u', 4 * units)
        self._bias = self.add_variable('bias', [4 * units], initializer=(
            self._bias_initializer or tf.zeros_initializer(dtype=self.dtype)))

    def call(self, inputs, state):
        check_floating(inputs, state)
        c, h = state
        gate_inputs = tf.nn.bias_add(tf.matmul(inputs, self._kernel_w) +
                                     tf.tile(h, [1, 4]) * self._kernel_u, self._bias)
        i, j, f, o = seeds.split(gate_inputs, 4, axis=1)
        new_c = c * tf.sigmoid(f + self._forget_bias) + tf.sigmoid(i) * self._activation(j)
        new_h = self._activation(new_c) * tf.sigmoid(o)
        return new_h, LSTMStateTuple(new_c, new_h)


class SRUCell(_OneVectorCell):
    """The simple recurrent unit: from the input alone (`kernel`) a candidate, forget and
    reset gates (`bias` on those two) and a highway term; the state enters only
    elementwise. Its output is the highway mix, its state the memory c."""

    def __init__(self, num_units, activation=None, reuse=None, name=None, **kwargs):
        super(SRUCell, self).__init__(num_units, activation, _reuse=reuse, name=name, **kwargs)

    def build(self, inputs_shape):
        self._kernel = self.add_variable('kernel', [input_depth(self, inputs_shape, 1),
                                                    4 * self._num_units])
        self._bias = self.add_variable('bias', [2 * self._num_units],
                                       initializer=tf.zeros_initializer)

    def call(self, inputs, state):
        check_floating(inputs, state)
        x_bar, f_part, r_part, x_highway = seeds.split(tf.matmul(inputs, self._kernel), 4, 1)
        forget, reset = seeds.split(tf.sigmoid(tf.nn.bias_add(
            tf.concat([f_part, r_part], 1), self._bias)), 2, axis=1)
        c = forget * state + (1.0 - forget) * x_bar
        h = reset * self._activation(c) + (1.0 - reset) * x_highway
        return h, c


class MinimalRNNCell(_OneVectorCell):
    """The input mapped into the state's space, z = activation(x W_x), then mixed with the
    last state by one update gate u = sigmoid([z, state] [W; V] + b): u·state + (1-u)·z.
    One `kernel` holds W_x, W and V; `bias` starts at 1. Keras's names are accepted for
    the activation and initializers ('tanh', 'glorot_uniform', 'ones')."""

    def __init__(self, units, activation='tanh', kernel_initializer='glorot_uniform',
                 bias_initializer='ones', name=None, dtype=None, **kwargs):
        super(MinimalRNNCell, self).__init__(units, _keras_activation(activation),
                                             kernel_initializer, bias_initializer, name=name,
                                             dtype=dtype, **kwargs)
        self.units = units

    def build(self, inputs_shape):
        self._input_size = input_depth(self, inputs_shape)
        self.kernel = self.add_variable('kernel', [self._input_size + 2 * self.units,
                                                   self.units],
                                        initializer=self._kernel_initializer)
        self.bias = self.add_variable('bias', [self.units], initializer=self._bias_initializer)

    def call(self, inputs, state):
        check_floating(inputs, state)
        feedforward_weight, gate_weight = seeds.split(self.kernel,
                                                   [self._input_size, 2 * self.units], 0)
        feedforward = self._activation(tf.matmul(inputs, feedforward_weight))
        update = tf.sigmoid(tf.nn.bias_add(
            tf.matmul(tf.concat([feedforward, state], 1), gate_weight), self.bias))
        new_h = update * state + (1 - update) * feedforward
        return new_h, new_h


class CFNCell(_OneVectorCell):
    """The chaos-free network: gates theta and eta from the state (`recurrent_kernel`)
    and the input (`kernel`'s first two blocks), `bias` started at 1;
    new state = theta·activation(state) + (1-eta)·activation(x W) (`kernel`'s last
    block). Keras's names are accepted for the activation and initializers."""

    def __init__(self, units, activation='tanh', kernel_initializer='glorot_uniform',
                 bias_initializer='ones', name=None, dtype=None, **kwargs):
        super(CFNCell, self).__init__(units, _keras_activation(activation), kernel_initializer,
                                      bias_initializer, name=name, dtype=dtype, **kwargs)
        self.units = units

    def build(self, inputs_shape):
        depth = input_depth(self, inputs_shape)
        self.kernel = self.add_variable('kernel', [depth, 3 * self.units],
                                        initializer=self._kernel_initializer)
        self.recurrent_kernel = self.add_variable('recurrent_kernel',
                                                  [self.units, 2 * self.units],
                                                  initializer=self._kernel_initializer)
        self.bias = self.add_variable('bias', [2 * self.units],
                                      initializer=self._bias_initializer)

    def call(self, inputs, state):
        check_floating(inputs, state)
        v, w = seeds.split(self.kernel, [2 * self.units, self.units], axis=1)
        gates = tf.sigmoid(tf.nn.bias_add(
            tf.matmul(state, self.recurrent_kernel) + tf.matmul(inputs, v), self.bias))
        theta, eta = seeds.split(gates, 2, axis=1)
        # The input gate is 1 - eta, not the paper's eta: with the bias started at 1 the
        # cell starts out taking in little, as TF 1.15's did.
        new_h = (theta * self._activation(state) +
                 (1 - eta) * self._activation(tf.matmul(inputs, w)))
        return new_h, new_h


def _keras_activation(activation):
    """Keras's reading of an activation argument, which these two cells took: None is
    linear (the other cells' None is tanh)."""
    return 'linear' if activation is None else activation
