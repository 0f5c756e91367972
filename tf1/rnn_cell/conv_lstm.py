"""contrib.rnn's convolutional LSTM (Shi et al. 2015; TF 1.15's ConvLSTMCell and its 1-, 2-
and 3-D forms, ported): the LSTM's matrix products replaced by SAME convolutions, so the
state is a feature map the shape of the input's (minus its channels). Its variables are
TF 1.x's, `conv_2d_lstm_cell/kernel` [*kernel_shape, in + out channels, 4 out] and
`biases`, made on the first call."""
import tensorflow.compat.v1 as tf

from tf1 import seeds
from tf1.rnn_cell.base import RNNCell
from tf1.rnn_cell.lstm import LSTMStateTuple


class ConvLSTMCell(RNNCell):
    """A convolutional LSTM over inputs [batch, *input_shape]; with skip_connection the
    output is the new hidden state with the input concatenated to it."""

    def __init__(self, conv_ndims, input_shape, output_channels, kernel_shape, use_bias=True,
                 skip_connection=False, forget_bias=1.0, initializers=None,
                 name='conv_lstm_cell'):
        super(ConvLSTMCell, self).__init__(name=name)
        if conv_ndims != len(input_shape) - 1:
            raise ValueError('Invalid input_shape {} for conv_ndims={}.'.format(
                input_shape, conv_ndims))
        self._conv_ndims = conv_ndims
        self._input_shape = list(input_shape)
        self._output_channels = output_channels
        self._kernel_shape = list(kernel_shape)
        self._use_bias = use_bias
        self._forget_bias = forget_bias
        self._skip_connection = skip_connection
        total_output_channels = output_channels + (
            self._input_shape[-1] if skip_connection else 0)
        state_size = tf.TensorShape(self._input_shape[:-1] + [output_channels])
        self._state_size = LSTMStateTuple(state_size, state_size)
        self._output_size = tf.TensorShape(self._input_shape[:-1] + [total_output_channels])

    state_size = property(lambda self: self._state_size)
    output_size = property(lambda self: self._output_size)

    def call(self, inputs, state):
        cell, hidden = state
        new_hidden = _conv([inputs, hidden], self._kernel_shape, 4 * self._output_channels,
                           self._use_bias)
        input_gate, new_input, forget_gate, output_gate = seeds.split(
            value=new_hidden, num_or_size_splits=4, axis=self._conv_ndims + 1)
        new_cell = tf.sigmoid(forget_gate + self._forget_bias) * cell
        new_cell += tf.sigmoid(input_gate) * tf.tanh(new_input)
        output = tf.tanh(new_cell) * tf.sigmoid(output_gate)
        if self._skip_connection:
            output = tf.concat([output, inputs], axis=-1)
        return output, LSTMStateTuple(new_cell, output)


class Conv1DLSTMCell(ConvLSTMCell):
    def __init__(self, name='conv_1d_lstm_cell', **kwargs):
        super(Conv1DLSTMCell, self).__init__(conv_ndims=1, name=name, **kwargs)


class Conv2DLSTMCell(ConvLSTMCell):
    def __init__(self, name='conv_2d_lstm_cell', **kwargs):
        super(Conv2DLSTMCell, self).__init__(conv_ndims=2, name=name, **kwargs)


class Conv3DLSTMCell(ConvLSTMCell):
    def __init__(self, name='conv_3d_lstm_cell', **kwargs):
        super(Conv3DLSTMCell, self).__init__(conv_ndims=3, name=name, **kwargs)


def _conv(args, filter_size, num_features, bias, bias_start=0.0):
    """A SAME, stride-1 convolution of `args` (3-, 4- or 5-D, concatenated on their
    channels) to num_features channels, plus `biases`."""
    shapes = [arg.get_shape().as_list() for arg in args]
    for shape in shapes:
        if len(shape) not in (3, 4, 5):
            raise ValueError('Conv Linear expects 3D, 4D or 5D arguments: %s' % str(shapes))
        if len(shape) != len(shapes[0]):
            raise ValueError('Conv Linear expects all args to be of same Dimension: %s'
                             % str(shapes))
    rank, dtype = len(shapes[0]), args[0].dtype
    conv_op, strides = {3: (tf.nn.conv1d, 1), 4: (tf.nn.conv2d, [1] * 4),
                        5: (tf.nn.conv3d, [1] * 5)}[rank]
    kernel = tf.get_variable(
        'kernel', filter_size + [sum(shape[-1] for shape in shapes), num_features], dtype=dtype)
    inputs = args[0] if len(args) == 1 else tf.concat(axis=rank - 1, values=args)
    res = conv_op(inputs, kernel, strides, padding='SAME')
    if not bias:
        return res
    return res + tf.get_variable('biases', [num_features], dtype=dtype,
                                 initializer=tf.constant_initializer(bias_start, dtype=dtype))
