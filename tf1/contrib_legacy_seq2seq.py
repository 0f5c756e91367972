"""tf.contrib.legacy_seq2seq as TF 1.15 had it
(tensorflow/contrib/legacy_seq2seq/python/ops/seq2seq.py), the parts built on a plain
cell: rnn_decoder (which char-RNN scripts sample and train with), basic_rnn_seq2seq,
tied_rnn_seq2seq, the sequence losses over lists of time steps, and model_with_buckets.
Same scopes as TF 1.x, so their checkpoints restore. Not provided: the embedding_* and
attention models, which need contrib's EmbeddingWrapper and OutputProjectionWrapper."""
import copy

import tensorflow.compat.v1 as tf

__all__ = ['basic_rnn_seq2seq', 'model_with_buckets', 'rnn_decoder', 'sequence_loss',
           'sequence_loss_by_example', 'tied_rnn_seq2seq']


def rnn_decoder(decoder_inputs, initial_state, cell, loop_function=None, scope=None):
    """(outputs, final state) of `cell` run over `decoder_inputs` (a list of [batch,
    input] tensors) from `initial_state`. With `loop_function(prev_output, i)`, every
    input after the first is made from the previous output instead (sampling)."""
    with tf.variable_scope(scope or 'rnn_decoder'):
        state = initial_state
        outputs = []
        prev = None
        for i, inp in enumerate(decoder_inputs):
            if loop_function is not None and prev is not None:
                with tf.variable_scope('loop_function', reuse=True):
                    inp = loop_function(prev, i)
            if i > 0:
                tf.get_variable_scope().reuse_variables()
            output, state = cell(inp, state)
            outputs.append(output)
            if loop_function is not None:
                prev = output
    return outputs, state


def basic_rnn_seq2seq(encoder_inputs, decoder_inputs, cell, dtype=tf.float32, scope=None):
    """An encoder (a copy of `cell`, its own weights) over `encoder_inputs`, then
    rnn_decoder from its final state: (decoder outputs, final state)."""
    with tf.variable_scope(scope or 'basic_rnn_seq2seq'):
        encoder_cell = copy.deepcopy(cell)
        _, encoder_state = tf.nn.static_rnn(encoder_cell, encoder_inputs, dtype=dtype)
        return rnn_decoder(decoder_inputs, encoder_state, cell)


def tied_rnn_seq2seq(encoder_inputs, decoder_inputs, cell, loop_function=None,
                     dtype=tf.float32, scope=None):
    """basic_rnn_seq2seq with one set of weights for the encoder and the decoder."""
    with tf.variable_scope('combined_tied_rnn_seq2seq'):
        scope = scope or 'tied_rnn_seq2seq'
        _, encoder_state = tf.nn.static_rnn(cell, encoder_inputs, dtype=dtype, scope=scope)
        tf.get_variable_scope().reuse_variables()
        return rnn_decoder(decoder_inputs, encoder_state, cell, loop_function=loop_function,
                           scope=scope)


def sequence_loss_by_example(logits, targets, weights, average_across_timesteps=True,
                             softmax_loss_function=None, name=None):
    """[batch]: each sequence's cross-entropy, summed over its time steps (lists of
    [batch, classes] logits, [batch] targets and weights), each step times its weight;
    divided by the sequence's total weight when `average_across_timesteps`."""
    if len(targets) != len(logits) or len(weights) != len(logits):
        raise ValueError('Lengths of logits, weights, and targets must be the same '
                         '%d, %d, %d.' % (len(logits), len(weights), len(targets)))
    with tf.name_scope(name, 'sequence_loss_by_example', logits + targets + weights):
        log_perp_list = []
        for logit, target, weight in zip(logits, targets, weights):
            if softmax_loss_function is None:
                # TF 1.x reshaped: callers passed scalar targets as well as [batch] ones.
                crossent = tf.nn.sparse_softmax_cross_entropy_with_logits(
                    labels=tf.reshape(target, [-1]), logits=logit)
            else:
                crossent = softmax_loss_function(labels=target, logits=logit)
            log_perp_list.append(crossent * weight)
        log_perps = tf.add_n(log_perp_list)
        if average_across_timesteps:
            log_perps /= tf.add_n(weights) + 1e-12  # all-zero weights divide by ~0, not 0
    return log_perps


def sequence_loss(logits, targets, weights, average_across_timesteps=True,
                  average_across_batch=True, softmax_loss_function=None, name=None):
    """A scalar: sequence_loss_by_example summed over the batch, and divided by the batch
    size when `average_across_batch`."""
    with tf.name_scope(name, 'sequence_loss', logits + targets + weights):
        cost = tf.reduce_sum(sequence_loss_by_example(
            logits, targets, weights, average_across_timesteps=average_across_timesteps,
            softmax_loss_function=softmax_loss_function))
        if average_across_batch:
            return cost / tf.cast(tf.shape(targets[0])[0], cost.dtype)
        return cost


def model_with_buckets(encoder_inputs, decoder_inputs, targets, weights, buckets, seq2seq,
                       softmax_loss_function=None, per_example_loss=False, name=None):
    """(outputs, losses), one each per bucket (input length, output length): `seq2seq`
    built on each bucket's first time steps, all buckets sharing its variables."""
    if len(encoder_inputs) < buckets[-1][0]:
        raise ValueError('Length of encoder_inputs (%d) must be at least that of last '
                         'bucket (%d).' % (len(encoder_inputs), buckets[-1][0]))
    for what, values in (('targets', targets), ('weights', weights)):
        if len(values) < buckets[-1][1]:
            raise ValueError('Length of %s (%d) must be at least that of last bucket (%d).'
                             % (what, len(values), buckets[-1][1]))
    loss = sequence_loss_by_example if per_example_loss else sequence_loss
    losses, outputs = [], []
    with tf.name_scope(name, 'model_with_buckets',
                       encoder_inputs + decoder_inputs + targets + weights):
        for j, (input_length, output_length) in enumerate(buckets):
            with tf.variable_scope(tf.get_variable_scope(), reuse=True if j > 0 else None):
                bucket_outputs, _ = seq2seq(encoder_inputs[:input_length],
                                            decoder_inputs[:output_length])
                outputs.append(bucket_outputs)
                losses.append(loss(bucket_outputs, targets[:output_length],
                                   weights[:output_length],
                                   softmax_loss_function=softmax_loss_function))
    return outputs, losses
