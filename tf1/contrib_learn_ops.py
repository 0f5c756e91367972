"""tf.contrib.learn.ops as TF 1.x had it (contrib/learn/python/learn/ops/embeddings_ops.py,
losses_ops.py and seq2seq_ops.py): the skflow-era building blocks of model functions, an
embedding per category, the two (predictions, loss) heads that tf.contrib.learn.models end
in, and skflow's sequence-to-sequence pieces (inputs as step lists, a decoder with its
training and sampling sub-graphs, a classifier over the steps)."""
import tensorflow.compat.v1 as tf

from tf1 import rnn_cell

__all__ = ['categorical_variable', 'embedding_lookup', 'mean_squared_error_regressor',
           'softmax_classifier', 'sequence_classifier', 'seq2seq_inputs', 'rnn_decoder',
           'rnn_seq2seq']


def embedding_lookup(params, ids, name='embedding_lookup'):
    """The rows of `params` for `ids` of any shape: ids' shape + [embedding size]."""
    with tf.name_scope(name, 'embedding_lookup', [params, ids]):
        params = tf.convert_to_tensor(params)
        ids = tf.convert_to_tensor(ids)
        shape = tf.shape(ids)
        flat = tf.nn.embedding_lookup(params, tf.reshape(ids, tf.reduce_prod(shape,
                                                                           keepdims=True)))
        embeddings = tf.reshape(flat, tf.concat([shape, [-1]], 0))
        embeddings.set_shape(ids.get_shape().concatenate(params.get_shape()[-1:]))
        return embeddings


def categorical_variable(tensor_in, n_classes, embedding_size, name):
    """Category ids embedded by a learned [n_classes, embedding_size] table
    (`<name>/<name>_embeddings`)."""
    with tf.variable_scope(name):
        embeddings = tf.get_variable(name + '_embeddings', [n_classes, embedding_size])
        return embedding_lookup(embeddings, tensor_in)


def mean_squared_error_regressor(tensor_in, labels, weights, biases, name=None):
    """(predictions, mean squared error) of tensor_in @ weights + biases; one-column
    predictions squeezed to match 1-D labels."""
    with tf.name_scope(name, 'mean_squared_error_regressor', [tensor_in, labels]):
        predictions = tf.nn.xw_plus_b(tensor_in, weights, biases)
        if len(labels.get_shape()) == 1 and len(predictions.get_shape()) == 2:
            predictions = tf.squeeze(predictions, axis=[1])
        return predictions, tf.losses.mean_squared_error(labels, predictions)


def softmax_classifier(tensor_in, labels, weights, biases, class_weight=None, name=None):
    """(softmax probabilities, cross-entropy against one-hot labels) of tensor_in @ weights
    + biases, the logits scaled by class_weight if given."""
    with tf.name_scope(name, 'softmax_classifier', [tensor_in, labels]):
        logits = tf.nn.xw_plus_b(tensor_in, weights, biases)
        if class_weight is not None:
            logits = tf.multiply(logits, class_weight)
        return tf.nn.softmax(logits), tf.losses.softmax_cross_entropy(labels, logits)


def sequence_classifier(decoding, labels, sampling_decoding=None, name=None):
    """(softmax predictions [batch, steps, classes], summed cross-entropy) of a list of
    logits per step against one-hot labels; the predictions from `sampling_decoding`'s
    logits if given (ones that do not depend on the labels)."""
    with tf.name_scope(name, 'sequence_classifier', [decoding, labels]):
        xents = [tf.nn.softmax_cross_entropy_with_logits(
            labels=labels[i], logits=logits, name='sequence_loss/xent_raw%d' % i)
            for i, logits in enumerate(decoding)]
        predictions = [tf.nn.softmax(logits) for logits in (sampling_decoding or decoding)]
        loss = tf.reduce_sum(tf.add_n(xents, name='sequence_loss/xent'), name='sequence_loss')
        return tf.stack(predictions, axis=1), loss


def seq2seq_inputs(x, y, input_length, output_length, sentinel=None, name=None):
    """x [batch, in steps, depth] and y [batch, out steps, depth] as step lists: (encoder
    inputs, decoder inputs = sentinel + y, decoder targets = y + sentinel); the sentinel is
    zeros shaped as one step of y unless given. The lengths are not used, as in TF 1.x."""
    with tf.name_scope(name, 'seq2seq_inputs', [x, y]):
        in_x = tf.unstack(x, axis=1)
        y = tf.unstack(y, axis=1)
        if sentinel is None:  # TF 1.x's `not sentinel` refused a tensor
            # y is not fed when sampling: the batch size comes from x
            sentinel = tf.zeros(tf.stack([tf.shape(x)[0], y[0].get_shape()[1]]))
            sentinel.set_shape(y[0].get_shape())
        return in_x, [sentinel] + y, y + [sentinel]


def rnn_decoder(decoder_inputs, initial_state, cell, scope=None):
    """The cell unrolled over decoder_inputs (training) and, sharing its variables, over
    its own outputs after the first step (sampling): (outputs, states, sampling_outputs,
    sampling_states), each state list starting with initial_state."""
    with tf.variable_scope(scope or 'dnn_decoder'):
        states, sampling_states = [initial_state], [initial_state]
        outputs, sampling_outputs = [], []
        with tf.name_scope('training', values=[decoder_inputs, initial_state]):
            for i, inputs in enumerate(decoder_inputs):
                if i > 0:
                    tf.get_variable_scope().reuse_variables()
                output, state = cell(inputs, states[-1])
                outputs.append(output)
                states.append(state)
        with tf.name_scope('sampling', values=[initial_state]):
            for i in range(len(decoder_inputs)):
                if i == 0:  # TF 1.x's: the training step's output, and its first state
                    sampling_outputs.append(outputs[i])
                    sampling_states.append(states[i])
                else:
                    output, state = cell(sampling_outputs[-1], sampling_states[-1])
                    sampling_outputs.append(output)
                    sampling_states.append(state)
    return outputs, states, sampling_outputs, sampling_states


def rnn_seq2seq(encoder_inputs, decoder_inputs, encoder_cell, decoder_cell=None,
                dtype=tf.float32, scope=None):
    """encoder_cell over encoder_inputs (static_rnn), then rnn_decoder from its last state
    with decoder_cell (encoder_cell if None)."""
    with tf.variable_scope(scope or 'rnn_seq2seq'):
        _, encoding = rnn_cell.static_rnn(encoder_cell, encoder_inputs, dtype=dtype)
        return rnn_decoder(decoder_inputs, encoding, decoder_cell or encoder_cell)
