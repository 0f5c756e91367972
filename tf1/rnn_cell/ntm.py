"""contrib.rnn's NTMCell, the Neural Turing Machine (Graves et al. 2014) with an RNN
controller, as TF 1.15's contrib/rnn/python/ops/rnn_cell.py had it (Collier & Beel 2018's
implementation): the controller reads the input and the last read vectors, its output
sets each head's addressing (content, interpolation, shift, sharpening), the read heads
read the memory and the write heads erase and add to it. Variables in `build`, under TF
1.15's names in the cell's scope (`ntm_cell/parameters_kernel`, `memory`,
`initial_read_vector_0` ...; the controller's inside, `ntm_cell/lstm_cell/kernel`), with
TF 1.15's initializers, and the ops built in TF 1.15's order, so a seeded graph draws
its weights."""
import collections
import math

import tensorflow.compat.v1 as tf

from tf1 import seeds
from tf1.rnn_cell.base import LayerRNNCell, assert_like_rnncell

__all__ = ['NTMCell', 'NTMControllerState']

NTMControllerState = collections.namedtuple(
    'NTMControllerState', ('controller_state', 'read_vector_list', 'w_list', 'M', 'time'))


def _linear_initializer(input_size):
    return tf.truncated_normal_initializer(stddev=1.0 / math.sqrt(input_size))


def _batch(tensor):
    return tf.compat.dimension_value(tensor.shape[0]) or tf.shape(tensor)[0]


def _expand(x, dim, n):
    """`n` copies of `x` stacked on a new axis `dim` (TF 1.15 concatenated them, which
    needs `n` a Python int, the static batch size)."""
    return tf.concat([tf.expand_dims(x, dim) for _ in range(n)], axis=dim)


class NTMCell(LayerRNNCell):
    """A Neural Turing Machine: `controller` (an RNNCell) with `read_head_num` read and
    `write_head_num` write heads on a memory of `memory_size` vectors of
    `memory_vector_dim`. Each head takes `memory_vector_dim + 2 * shift_range + 4`
    parameters (key, key strength, gate, shift weights, sharpening) from one linear map of
    the controller's output, clipped to ±`clip_value`, and each write head an erase and
    an add vector. The output, the controller's output and the read vectors mapped to
    `output_dim` (the input's depth if None), is clipped too.

    The state is an NTMControllerState: the controller's state, the read vectors, every
    head's address weights, the memory and the step count `time`. At time 0 (zero_state's
    Python 0) the read vectors, weights and memory come from learned starts
    (`initial_read_vector_<i>`, `initial_address_weights_<i>`, `memory`)."""

    def __init__(self, controller, memory_size, memory_vector_dim, read_head_num,
                 write_head_num, shift_range=1, output_dim=None, clip_value=20,
                 dtype=tf.float32, name=None):
        super(NTMCell, self).__init__(dtype=dtype, name=name)
        assert_like_rnncell('NTM RNN controller cell', controller)
        self.controller = controller
        self.memory_size = memory_size
        self.memory_vector_dim = memory_vector_dim
        self.read_head_num = read_head_num
        self.write_head_num = write_head_num
        self.clip_value = clip_value
        self.output_dim = output_dim
        self.shift_range = shift_range
        self.num_parameters_per_head = memory_vector_dim + 2 * shift_range + 4
        self.num_heads = read_head_num + write_head_num
        self.total_parameter_num = (self.num_parameters_per_head * self.num_heads +
                                    memory_vector_dim * 2 * write_head_num)

    @property
    def state_size(self):
        return NTMControllerState(
            controller_state=self.controller.state_size,
            read_vector_list=[self.memory_vector_dim] * self.read_head_num,
            w_list=[self.memory_size] * self.num_heads,
            M=tf.TensorShape([self.memory_size * self.memory_vector_dim]),
            time=tf.TensorShape([]))

    @property
    def output_size(self):
        """output_dim: None until the first call when it is the input's depth, as in
        TF 1.15."""
        return self.output_dim

    def build(self, inputs_shape):
        if self.output_dim is None:
            depth = tf.compat.dimension_value(tf.TensorShape(inputs_shape)[1])
            if depth is None:
                raise ValueError('Expected inputs.shape[-1] to be known, saw shape: %s'
                                 % inputs_shape)
            self.output_dim = depth
        controller_size = self.controller.output_size
        read_size = controller_size + self.memory_vector_dim * self.read_head_num
        zeros = tf.constant_initializer(0.0)
        self._params_kernel = self.add_variable(
            'parameters_kernel', [controller_size, self.total_parameter_num],
            initializer=_linear_initializer(controller_size))
        self._params_bias = self.add_variable('parameters_bias', [self.total_parameter_num],
                                              initializer=zeros)
        self._output_kernel = self.add_variable('output_kernel', [read_size, self.output_dim],
                                                initializer=_linear_initializer(read_size))
        self._output_bias = self.add_variable('output_bias', [self.output_dim],
                                              initializer=zeros)
        self._init_read_vectors = [
            self.add_variable('initial_read_vector_%d' % i, [1, self.memory_vector_dim],
                              initializer=tf.glorot_uniform_initializer())
            for i in range(self.read_head_num)]
        self._init_address_weights = [
            self.add_variable('initial_address_weights_%d' % i, [1, self.memory_size],
                              initializer=tf.glorot_uniform_initializer())
            for i in range(self.num_heads)]
        self._M = self.add_variable('memory', [self.memory_size, self.memory_vector_dim],
                                    initializer=tf.constant_initializer(1e-6))

    def call(self, x, prev_state):
        prev_read_vector_list = self._at_start(
            prev_state, lambda: self._initial(tf.tanh, self._init_read_vectors, x),
            lambda: prev_state.read_vector_list)
        if self.read_head_num == 1:  # cond hands back a one-tensor list as the tensor
            prev_read_vector_list = [prev_read_vector_list]
        controller_input = tf.concat([x] + prev_read_vector_list, axis=1)
        controller_output, controller_state = self.controller(controller_input,
                                                              prev_state.controller_state)
        parameters = tf.nn.bias_add(tf.matmul(controller_output, self._params_kernel),
                                    self._params_bias)
        parameters = tf.clip_by_value(parameters, -self.clip_value, self.clip_value)
        heads_end = self.num_parameters_per_head * self.num_heads
        head_parameter_list = seeds.split(parameters[:, :heads_end], self.num_heads, axis=1)
        erase_add_list = seeds.split(parameters[:, heads_end:], 2 * self.write_head_num,
                                     axis=1)
        prev_w_list = self._at_start(
            prev_state, lambda: self._initial(tf.nn.softmax, self._init_address_weights, x),
            lambda: prev_state.w_list)
        if self.num_heads == 1:
            prev_w_list = [prev_w_list]
        prev_M = self._at_start(prev_state, lambda: _expand(self._M, 0, _batch(x)),
                                lambda: prev_state.M)
        w_list = [self._head_weights(head_parameter, prev_M, prev_w)
                  for head_parameter, prev_w in zip(head_parameter_list, prev_w_list)]
        read_vector_list = [tf.reduce_sum(tf.expand_dims(w, axis=2) * prev_M, axis=1)
                            for w in w_list[:self.read_head_num]]
        M = self._write(prev_M, w_list[self.read_head_num:], erase_add_list)
        output = tf.nn.bias_add(tf.matmul(tf.concat([controller_output] + read_vector_list,
                                                    axis=1), self._output_kernel),
                                self._output_bias)
        output = tf.clip_by_value(output, -self.clip_value, self.clip_value)
        return output, NTMControllerState(
            controller_state=controller_state, read_vector_list=read_vector_list,
            w_list=w_list, M=M, time=prev_state.time + 1)

    @staticmethod
    def _at_start(prev_state, initial, later):
        """`initial()` at time 0, else `later()`: a tf.cond, as TF 1.15 built it."""
        return tf.cond(tf.equal(prev_state.time, 0), initial, later)

    @staticmethod
    def _initial(activation, starts, x):
        """The learned starts (each [1, size]), activated and repeated for the batch."""
        return [_expand(activation(tf.squeeze(tf.matmul(tf.ones([1, 1]), start))), 0,
                        _batch(x))
                for start in starts]

    def _head_weights(self, head_parameter, prev_M, prev_w):
        """A head's address weights from its parameters: key, key strength, gate, shift
        weights and sharpening, in that order."""
        dim = self.memory_vector_dim
        k = tf.tanh(head_parameter[:, 0:dim])
        beta = tf.nn.softplus(head_parameter[:, dim])
        g = tf.sigmoid(head_parameter[:, dim + 1])
        s = tf.nn.softmax(head_parameter[:, dim + 2:dim + 2 + (self.shift_range * 2 + 1)])
        gamma = tf.nn.softplus(head_parameter[:, -1]) + 1
        return self._addressing(k, beta, g, s, gamma, prev_M, prev_w)

    def _write(self, M, write_w_list, erase_add_list):
        """The memory after each write head erases, then adds (Sec. 3.2)."""
        for i, write_w in enumerate(write_w_list):
            w = tf.expand_dims(write_w, axis=2)
            erase_vector = tf.expand_dims(tf.sigmoid(erase_add_list[i * 2]), axis=1)
            add_vector = tf.expand_dims(tf.tanh(erase_add_list[i * 2 + 1]), axis=1)
            erase_M = tf.ones_like(M) - tf.matmul(w, erase_vector)
            M = M * erase_M + tf.matmul(w, add_vector)
        return M

    def _addressing(self, k, beta, g, s, gamma, prev_M, prev_w):
        """Sec. 3.3: weights by content (cosine similarity to the key, sharpened by beta),
        interpolated with the last weights by g, shifted circularly by s, sharpened by
        gamma."""
        k = tf.expand_dims(k, axis=2)
        inner_product = tf.matmul(prev_M, k)
        k_norm = tf.sqrt(tf.reduce_sum(tf.square(k), axis=1, keepdims=True))
        M_norm = tf.sqrt(tf.reduce_sum(tf.square(prev_M), axis=2, keepdims=True))
        K = tf.squeeze(inner_product / (M_norm * k_norm + 1e-8))  # eq (6)
        K_amplified = tf.exp(tf.expand_dims(beta, axis=1) * K)
        w_c = K_amplified / tf.reduce_sum(K_amplified, axis=1, keepdims=True)  # eq (5)
        g = tf.expand_dims(g, axis=1)
        w_g = g * w_c + (1 - g) * prev_w  # eq (7)
        s_matrix = self._shift_matrix(s)
        w_ = tf.reduce_sum(tf.expand_dims(w_g, axis=1) * s_matrix, axis=2)  # eq (8)
        w_sharpen = tf.pow(w_, tf.expand_dims(gamma, axis=1))
        return w_sharpen / tf.reduce_sum(w_sharpen, axis=1, keepdims=True)  # eq (9)

    def _shift_matrix(self, s):
        """[batch, memory_size, memory_size]: row i the shift weights, padded with zeros
        to the memory's size, turned to read location i - shift (a circular convolution
        as a product)."""
        size, shift = self.memory_size, self.shift_range
        s = tf.concat([s[:, :shift + 1], tf.zeros([_batch(s), size - (shift * 2 + 1)]),
                       s[:, -shift:]], axis=1)
        t = tf.concat([tf.reverse(s, axis=[1]), tf.reverse(s, axis=[1])], axis=1)
        return tf.stack([t[:, size - i - 1:size * 2 - i - 1] for i in range(size)], axis=1)

    def zero_state(self, batch_size, dtype):
        """Zeros (float32 but the controller's, in `dtype`, as in TF 1.15) and time 0,
        which makes the first step start from the learned starts."""
        read_vector_list = [tf.zeros([batch_size, self.memory_vector_dim])
                            for _ in range(self.read_head_num)]
        w_list = [tf.zeros([batch_size, self.memory_size]) for _ in range(self.num_heads)]
        controller_init_state = self.controller.zero_state(batch_size, dtype)
        M = tf.zeros([batch_size, self.memory_size, self.memory_vector_dim])
        return NTMControllerState(controller_state=controller_init_state,
                                  read_vector_list=read_vector_list, w_list=w_list, M=M,
                                  time=0)
