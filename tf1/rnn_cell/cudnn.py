"""tf.contrib.cudnn_rnn's CPU cells, as TF 1.15's contrib/cudnn_rnn/python/ops/
cudnn_rnn_ops.py had them: the cells that run, on any device, the function CudnnLSTM and
CudnnGRU computed on a GPU, so that a model trained there is served from its checkpoint on
a CPU (CudnnLSTM's saveable writes its weights under these cells' names, e.g.
`rnn/multi_rnn_cell/cell_0/cudnn_compatible_lstm_cell/kernel`).

The cuDNN layers themselves (CudnnLSTM, CudnnGRU, CudnnRNNTanh, CudnnRNNRelu) had only GPU
kernels in TF 1.x too; tf1 explains that in one line (tf1/unsupported.py). The module
is also at its TF 1.x path, `tensorflow.contrib.cudnn_rnn.python.ops.cudnn_rnn_ops`."""
import tensorflow.compat.v1 as tf

from tf1 import seeds
from tf1.rnn_cell.base import GRUCell, check_floating, input_depth
from tf1.rnn_cell.lstm import LSTMBlockCell

__all__ = ['CudnnCompatibleLSTMCell', 'CudnnCompatibleGRUCell']

# cudnn_rnn_ops.py's constants, which code imported (OpenSeq2Seq's encoders, at import,
# whether or not it would build a cuDNN layer).
CUDNN_RNN_UNIDIRECTION = 'unidirectional'
CUDNN_RNN_BIDIRECTION = 'bidirectional'
CUDNN_LSTM = 'lstm'
CUDNN_GRU = 'gru'
CUDNN_RNN_RELU = 'rnn_relu'
CUDNN_RNN_TANH = 'rnn_tanh'
CUDNN_LSTM_PARAMS_PER_LAYER = 8  # half for the cell's input, half for its state
CUDNN_GRU_PARAMS_PER_LAYER = 6
CUDNN_RNN_TANH_PARAMS_PER_LAYER = 2
CUDNN_RNN_RELU_PARAMS_PER_LAYER = 2
CUDNN_INPUT_LINEAR_MODE = 'linear_input'
CUDNN_INPUT_SKIP_MODE = 'skip_input'
CUDNN_INPUT_AUTO_MODE = 'auto_select'


class CudnnCompatibleLSTMCell(LSTMBlockCell):
    """LSTMBlockCell as cuDNN computes it: no forget bias added (cuDNN learns it in the
    bias), no peepholes, no clipping; variables in `cudnn_compatible_lstm_cell/`."""

    def __init__(self, num_units, reuse=None):
        super(CudnnCompatibleLSTMCell, self).__init__(
            num_units, forget_bias=0, cell_clip=None, use_peephole=False, reuse=reuse,
            name='cudnn_compatible_lstm_cell')


class CudnnCompatibleGRUCell(GRUCell):
    """The GRU as cuDNN computes it, which differs from GRUCell's in the candidate: the
    reset gate scales the projected last state, which has a bias of its own,

        candidate = tanh(x W_h + b_Wh + r * (h R_h + b_Rh))

    where GRUCell computes tanh([x, r * h] W + b). Variables: `gates/kernel` and
    `gates/bias` as GRUCell's, then `candidate/input_projection/` and
    `candidate/hidden_projection/` (a `kernel` and a `bias` each)."""

    def __init__(self, num_units, reuse=None, kernel_initializer=None):
        super(CudnnCompatibleGRUCell, self).__init__(
            num_units, activation=None, reuse=reuse, kernel_initializer=kernel_initializer)

    def build(self, inputs_shape):
        depth = input_depth(self, inputs_shape)
        units = self._num_units

        def variable(name, shape, default_initializer):
            return self.add_variable(
                name, shape, initializer=(self._kernel_initializer if name.endswith('kernel')
                                          else self._bias_initializer or default_initializer))
        # The gate bias starts at one, as GRUCell's: gates start mostly open.
        self._gate_kernel = variable('gates/kernel', [depth + units, 2 * units], None)
        self._gate_bias = variable('gates/bias', [2 * units], tf.constant_initializer(1.0))
        self._input_kernel = variable('candidate/input_projection/kernel', [depth, units], None)
        self._hidden_kernel = variable('candidate/hidden_projection/kernel', [units, units],
                                       None)
        self._input_bias = variable('candidate/input_projection/bias', [units],
                                    tf.zeros_initializer())
        self._hidden_bias = variable('candidate/hidden_projection/bias', [units],
                                     tf.zeros_initializer())

    def call(self, inputs, state):
        check_floating(inputs, state)
        gate_inputs = tf.nn.bias_add(
            tf.matmul(tf.concat([inputs, state], 1), self._gate_kernel), self._gate_bias)
        reset, update = seeds.split(tf.sigmoid(gate_inputs), 2, axis=1)
        candidate = tf.nn.bias_add(tf.matmul(inputs, self._input_kernel), self._input_bias)
        candidate += reset * tf.nn.bias_add(tf.matmul(state, self._hidden_kernel),
                                            self._hidden_bias)
        new_h = (1 - update) * self._activation(candidate) + update * state
        return new_h, new_h
