"""contrib.ndlstm's LSTM layers for sequences (length, batch_size, depth), ported from TF
1.x: the base case of its multidimensional LSTMs, one BasicLSTMCell run forward or
backward with its state concatenated (state_is_tuple=False), as TF 1.x ran it."""
import tensorflow.compat.v1 as tf

from tf1.contrib_framework.variables import model_variable
from tf1.rnn_cell import BasicLSTMCell

__all__ = ['ndlstm_base_unrolled', 'ndlstm_base_dynamic', 'ndlstm_base', 'sequence_to_final',
           'sequence_softmax']


def _shape(tensor):
    """The static shape as a list (ndlstm needs its dimensions known)."""
    return tensor.get_shape().as_list()


def _run_unrolled(inputs, noutput, reverse):
    """A BasicLSTMCell run step by step over the sequence, in the current variable scope:
    its outputs in the sequence's order."""
    length, batch_size, _ = _shape(inputs)
    lstm_cell = BasicLSTMCell(noutput, state_is_tuple=False)
    state = tf.zeros([batch_size, lstm_cell.state_size])
    outputs = []
    inputs_u = tf.unstack(inputs)
    for i in (reversed(range(length)) if reverse else range(length)):
        if outputs:
            tf.get_variable_scope().reuse_variables()
        output, state = lstm_cell(inputs_u[i], state)
        outputs.append(output)
    return outputs[::-1] if reverse else outputs


def ndlstm_base_unrolled(inputs, noutput, scope=None, reverse=False):
    """Run an LSTM over a (length, batch_size, ninput) sequence, forward or backward,
    statically unrolled; returns (length, batch_size, noutput)."""
    with tf.variable_scope(scope, 'SeqLstmUnrolled', [inputs]):
        return tf.stack(_run_unrolled(inputs, noutput, reverse))


def ndlstm_base_dynamic(inputs, noutput, scope=None, reverse=False):
    """Run an LSTM over a (length, batch_size, ninput) sequence, forward or backward,
    with dynamic_rnn; returns (length, batch_size, noutput). The length and batch size
    must be known, as in TF 1.x."""
    with tf.variable_scope(scope, 'SeqLstm', [inputs]):
        _, batch_size, _ = _shape(inputs)
        lstm_cell = BasicLSTMCell(noutput, state_is_tuple=False)
        state = tf.zeros([batch_size, lstm_cell.state_size])
        sequence_length = int(inputs.get_shape()[0])
        sequence_lengths = tf.cast(tf.fill([batch_size], sequence_length), tf.int64)
        if reverse:
            inputs = tf.reverse(inputs, [0])
        outputs, _ = tf.nn.dynamic_rnn(lstm_cell, inputs, sequence_lengths, state,
                                       time_major=True)
        if reverse:
            outputs = tf.reverse(outputs, [0])
        return outputs


def ndlstm_base(inputs, noutput, scope=None, reverse=False, dynamic=True):
    """A 1-D LSTM, forward or backward: the base case of the multidimensional ones."""
    if dynamic:
        return ndlstm_base_dynamic(inputs, noutput, scope=scope, reverse=reverse)
    return ndlstm_base_unrolled(inputs, noutput, scope=scope, reverse=reverse)


def sequence_to_final(inputs, noutput, scope=None, name=None, reverse=False):
    """Run an LSTM across all the steps of a (length, batch_size, depth) sequence; returns
    only its last output, (batch_size, noutput)."""
    with tf.variable_scope(scope, 'SequenceToFinal', [inputs]):
        _, batch_size, _ = _shape(inputs)
        outputs = _run_unrolled(inputs, noutput, reverse)
        last = outputs[0] if reverse else outputs[-1]  # the step run last
        return tf.reshape(last, [batch_size, noutput], name=name)


def sequence_softmax(inputs, noutput, scope=None, name=None, linear_name=None):
    """A softmax layer over every step of a (length, batch_size, depth) sequence; returns
    (length, batch_size, noutput)."""
    length, _, ninputs = _shape(inputs)
    inputs_u = tf.unstack(inputs)
    output_u = []
    with tf.variable_scope(scope, 'SequenceSoftmax', [inputs]):
        initial_w = tf.truncated_normal([0 + ninputs, noutput], stddev=0.1)
        initial_b = tf.constant(0.1, shape=[noutput])
        w = model_variable('weights', initializer=initial_w)
        b = model_variable('biases', initializer=initial_b)
        for i in range(length):
            with tf.variable_scope(scope, 'SequenceSoftmaxStep', [inputs_u[i]]):
                linear = tf.nn.xw_plus_b(inputs_u[i], w, b, name=linear_name)
                output_u += [tf.nn.softmax(linear)]
        return tf.stack(output_u, name=name)
