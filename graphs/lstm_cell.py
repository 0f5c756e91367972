"""A lean LSTM over a whole sequence, on the variables TF 1.x's BasicLSTMCell makes.

The cell itself, Keras-free like every TF 1.x recurrent cell, is tf1/rnn_cell.py's
BasicLSTMCell, re-exported here for the callers that compare against it: `static_rnn` or
`dynamic_rnn` over it makes `.../rnn/basic_lstm_cell/kernel` [depth + units, 4 * units]
and `.../bias` [4 * units], as TF 1.x did, so its checkpoints restore here and back.

`lstm()` computes the same function from the same variables in fewer ops (no concat of
input and state each step, the forget bias added to the bias once), and can split the
batch into independent chains that run side by side on two cores, as training graphs do.
Its figures, and every other way tried, are in bench/README.md.
"""
import tensorflow.compat.v1 as tf

from graphs import layers
from tf1.rnn_cell import BasicLSTMCell, LSTMStateTuple  # noqa: F401  (BasicLSTMCell: for callers)


def _lstm_variables(input_depth, num_units, dtype):
    """The kernel and bias in the current variable scope, made the way TF 1.x made them."""
    # No initializer for the kernel: get_variable then uses the enclosing scope's, or
    # glorot_uniform, exactly as TF 1.x's cell did.
    kernel = tf.get_variable('kernel', [input_depth + num_units, 4 * num_units], dtype)
    bias = tf.get_variable('bias', [4 * num_units], dtype, initializer=tf.zeros_initializer())
    return kernel, bias


def lstm(inputs, num_units, forget_bias=1.0, return_sequences=False, scope='rnn',
         chains=1):
    """An LSTM over a whole sequence: `static_rnn` with `BasicLSTMCell`, in fewer ops.

    inputs: a [batch, time, depth] tensor (time and depth known when the graph is built),
        or a list of [batch, depth] tensors, one per time step, as static_rnn takes.
    chains: split the batch into this many independent recurrences. Rows of a batch never
        interact in an LSTM, so the result is the same; but each step's ops are too small
        to gain from a second thread, while separate chains run side by side on the
        session's inter-op threads. Any batch size works, even one smaller than `chains`.
        The models pass layers.lstm_chains(): 2 in training graphs, 1 in serving graphs.
        One chain projects every step's inputs in one matmul; several chains each
        project their own rows step by step.
    Returns (output, final_state): output is the last step's h, [batch, num_units], or every
    step's, [batch, time, num_units], when return_sequences; final_state an LSTMStateTuple.

    The variables are `<current scope>/<scope>/basic_lstm_cell/{kernel,bias}`, the ones
    `static_rnn(BasicLSTMCell(num_units), ..., scope=scope)` makes, so a checkpoint from
    either restores into the other.
    """
    if isinstance(inputs, (list, tuple)):
        inputs = tf.stack(inputs, axis=1)
    depth = inputs.shape.as_list()[2]
    with tf.variable_scope(scope):
        with tf.variable_scope('basic_lstm_cell'):
            kernel, bias = _lstm_variables(depth, num_units, inputs.dtype)
        # TensorBoard's statistics of them, as every layer has (none in a serving graph);
        # scopes beside basic_lstm_cell/, whose `kernel` name the variable already takes.
        for name, variable in (('kernel', kernel), ('bias', bias)):
            with tf.name_scope(name):
                layers.variable_summaries(variable)
        input_kernel, recurrent_kernel = tf.split(kernel, [depth, num_units], axis=0)
        bias_with_forget = bias + _forget_shift(forget_bias, num_units)

        if chains == 1:
            # The fewest ops, which is what one image (a serving graph's usual batch) needs.
            gates_from_inputs = _projected_inputs(inputs, input_kernel, bias_with_forget)
            chain_results = [_recurrence(tf.unstack(gates_from_inputs), recurrent_kernel)]
        else:
            # Each chain takes its own rows of the inputs and projects them step by step,
            # so no [time, batch, 4 * units] tensor is written, split between the chains,
            # and joined again in the gradient: with two chains on two cores that memory
            # traffic cost more than the larger matmul saved.
            rows = tf.split(inputs, _chain_sizes(tf.shape(inputs)[0], chains), num=chains)
            chain_results = []
            for index, chain_rows in enumerate(rows):
                with tf.name_scope('chain%d' % index):
                    gates_from_inputs = [
                        tf.nn.bias_add(tf.matmul(step_inputs, input_kernel), bias_with_forget)
                        for step_inputs in tf.unstack(chain_rows, axis=1)]
                    chain_results.append(_recurrence(gates_from_inputs, recurrent_kernel))

    c = _whole_batch([c for _, c in chain_results])
    h = _whole_batch([outputs[-1] for outputs, _ in chain_results])
    if return_sequences:
        output = _whole_batch([tf.stack(outputs, axis=1) for outputs, _ in chain_results])
    else:
        output = h
    return output, LSTMStateTuple(c, h)


def _projected_inputs(inputs, input_kernel, bias):
    """The input half of every step's gates, [time, batch, 4 * units], in one matmul over
    [time * batch, depth], so that the unrolled loop holds only the recurrent matmul."""
    _, num_steps, depth = inputs.shape.as_list()
    time_major = tf.reshape(tf.transpose(inputs, [1, 0, 2]), [-1, depth])
    gates = tf.nn.bias_add(tf.matmul(time_major, input_kernel), bias)
    return tf.reshape(gates, [num_steps, -1, input_kernel.shape[1]])


def _chain_sizes(batch_size, chains):
    """Batch rows per chain, as even as possible (5 in 3: 2, 2, 1): a [chains] tensor
    for tf.split."""
    share, rest = batch_size // chains, batch_size % chains
    return tf.stack([share + tf.cast(chain < rest, tf.int32) for chain in range(chains)])


def _whole_batch(chain_parts):
    """The chains' pieces of one tensor joined back along the batch axis."""
    return chain_parts[0] if len(chain_parts) == 1 else tf.concat(chain_parts, 0)


def _recurrence(gates_from_inputs, recurrent_kernel):
    """Every step's h, and the last c, from the input half of each step's gates (a list
    of [batch, 4 * units] tensors): the part of the LSTM that must run step after step."""
    # The state starts at zero, so the first step needs no recurrent matmul.
    c, h = _lstm_step(gates_from_inputs[0], c=None)
    outputs = [h]
    for gates in gates_from_inputs[1:]:
        c, h = _lstm_step(gates + tf.matmul(h, recurrent_kernel), c)
        outputs.append(h)
    return outputs, c


def _forget_shift(forget_bias, num_units):
    """`forget_bias` in the f columns, zero elsewhere: added to the bias once, not every step."""
    return [0.0] * (2 * num_units) + [float(forget_bias)] * num_units + [0.0] * num_units


def _lstm_step(gates, c):
    """The new (c, h) from pre-activation gates (forget bias included); c=None means zero."""
    i, j, f, o = tf.split(gates, 4, axis=1)
    new_c = tf.sigmoid(i) * tf.tanh(j)
    if c is not None:
        new_c = c * tf.sigmoid(f) + new_c
    return new_c, tf.tanh(new_c) * tf.sigmoid(o)
