"""contrib.rnn's cells from architecture papers, as TF 1.15's contrib/rnn/python/ops/
rnn_cell.py had them: NASCell (the cell Neural Architecture Search found, Zoph & Le 2017;
tensorflow/nmt's `--unit_type=nas`), UGRNNCell and IntersectionRNNCell (Collins et al.
2017), with TF 1.x's variable names, in the cell's scope (`nas_cell`,
`ugrnn_cell`, `intersection_rnn_cell`)."""
import tensorflow.compat.v1 as tf

from tf1 import seeds
from tf1.rnn_cell.base import LayerRNNCell, OneVectorState, input_depth
from tf1.rnn_cell.lstm import LSTMStateTuple
from tf1.rnn_cell.projection import linear

__all__ = ['IntersectionRNNCell', 'NASCell', 'UGRNNCell']


class NASCell(LayerRNNCell):
    """Eight branches of the input and of the last output (`kernel`, `recurrent_kernel`,
    optional `bias`) combined in the searched pattern into a new memory and output, the
    output projected to `num_proj` (`projection_weights`) if asked. Variables made in
    `build`, as TF 1.15 made them (TF 1.9 and before: in `call`, and `use_biases`)."""

    def __init__(self, num_units, num_proj=None, use_bias=False, reuse=None,
                 use_biases=None, **kwargs):
        super(NASCell, self).__init__(_reuse=reuse, **kwargs)
        self._num_units = num_units
        self._num_proj = num_proj
        self._use_bias = use_bias if use_biases is None else use_biases
        self._state_size = LSTMStateTuple(num_units, num_proj or num_units)
        self._output_size = num_proj or num_units

    @property
    def state_size(self):
        return self._state_size

    @property
    def output_size(self):
        return self._output_size

    def build(self, inputs_shape):
        input_size = input_depth(self, inputs_shape)
        num_proj = self._num_units if self._num_proj is None else self._num_proj
        # recurrent_kernel multiplies the last output, kernel the inputs.
        self._recurrent_kernel = self.add_variable('recurrent_kernel',
                                                   [num_proj, 8 * self._num_units])
        self._kernel = self.add_variable('kernel', [input_size, 8 * self._num_units])
        if self._use_bias:
            self._bias = self.add_variable('bias', shape=[8 * self._num_units],
                                           initializer=tf.zeros_initializer)
        if self._num_proj is not None:
            self._concat_w_proj = self.add_variable('projection_weights',
                                                    [self._num_units, self._num_proj])

    def call(self, inputs, state):
        sigmoid, tanh, relu = tf.sigmoid, tf.tanh, tf.nn.relu
        c_prev, m_prev = state
        m_matrix = tf.matmul(m_prev, self._recurrent_kernel)
        inputs_matrix = tf.matmul(inputs, self._kernel)
        if self._use_bias:
            m_matrix = tf.nn.bias_add(m_matrix, self._bias)
        m = seeds.split(axis=1, num_or_size_splits=8, value=m_matrix)
        x = seeds.split(axis=1, num_or_size_splits=8, value=inputs_matrix)
        # The searched cell, layer by layer.
        layer1 = [sigmoid(x[0] + m[0]), relu(x[1] + m[1]), sigmoid(x[2] + m[2]),
                  relu(x[3] * m[3]), tanh(x[4] + m[4]), sigmoid(x[5] + m[5]),
                  tanh(x[6] + m[6]), sigmoid(x[7] + m[7])]
        l2_0 = tanh(layer1[0] * layer1[1])
        l2_1 = tanh(layer1[2] + layer1[3])
        l2_2 = tanh(layer1[4] * layer1[5])
        l2_3 = sigmoid(layer1[6] + layer1[7])
        l2_0 = tanh(l2_0 + c_prev)  # the memory goes in here
        new_c = l2_0 * l2_1
        new_m = tanh(new_c * tanh(l2_2 + l2_3))
        if self._num_proj is not None:
            new_m = tf.matmul(new_m, self._concat_w_proj)
        return new_m, LSTMStateTuple(new_c, new_m)


class _GatedCell(OneVectorState):
    """Collins et al.'s cells: `num_units` of state and output, gates opened by
    `forget_bias`, weights drawn by `initializer` (else the scope's)."""

    def __init__(self, num_units, initializer, forget_bias, reuse):
        super(_GatedCell, self).__init__(_reuse=reuse)
        self._num_units = num_units
        self._initializer = initializer
        self._forget_bias = forget_bias


class UGRNNCell(_GatedCell):
    """One update gate g between the last state and a new candidate c: g·state + (1-g)·c,
    both from one linear map (`kernel`, `bias`) of the input and state."""

    def __init__(self, num_units, initializer=None, forget_bias=1.0, activation=tf.tanh,
                 reuse=None):
        super(UGRNNCell, self).__init__(num_units, initializer, forget_bias, reuse)
        self._activation = activation

    def call(self, inputs, state):
        input_depth(self, inputs.shape)
        with tf.variable_scope(tf.get_variable_scope(), initializer=self._initializer):
            rnn_matrix = linear(tf.concat([inputs, state], 1), 2 * self._num_units)
            g_act, c_act = seeds.split(axis=1, num_or_size_splits=2, value=rnn_matrix)
            c = self._activation(c_act)
            g = tf.sigmoid(g_act + self._forget_bias)
            new_state = g * state + (1.0 - g) * c
        return new_state, new_state


class IntersectionRNNCell(_GatedCell):
    """Gates through time (the state) and through depth (the output, which keeps the
    input's size: the first layer of a stack projects its input to `num_units` with
    `num_in_proj`, in `in_projection/`)."""

    def __init__(self, num_units, num_in_proj=None, initializer=None, forget_bias=1.0,
                 y_activation=tf.nn.relu, reuse=None):
        super(IntersectionRNNCell, self).__init__(num_units, initializer, forget_bias, reuse)
        self._num_input_proj = num_in_proj
        self._y_activation = y_activation

    def call(self, inputs, state):
        input_size = input_depth(self, inputs.shape)
        with tf.variable_scope(tf.get_variable_scope(), initializer=self._initializer):
            if input_size != self._num_units:
                if not self._num_input_proj:
                    raise ValueError('Must have input size == output size for Intersection '
                                     'RNN. To fix, num_in_proj should be set to num_units '
                                     'at cell init.')
                with tf.variable_scope('in_projection'):
                    inputs = linear(inputs, self._num_units)
            n = self._num_units
            rnn_matrix = linear(tf.concat([inputs, state], 1), 4 * n)
            gh_act, h_act, gy_act, y_act = (rnn_matrix[:, i * n:(i + 1) * n] for i in range(4))
            h = tf.tanh(h_act)
            y = self._y_activation(y_act)
            gh = tf.sigmoid(gh_act + self._forget_bias)
            gy = tf.sigmoid(gy_act + self._forget_bias)
            new_state = gh * state + (1.0 - gh) * h  # through time
            new_y = gy * inputs + (1.0 - gy) * y  # through depth
        return new_y, new_state
