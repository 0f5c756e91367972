"""tf.contrib.legacy_seq2seq as TF 1.15 had it
(tensorflow/contrib/legacy_seq2seq/python/ops/seq2seq.py), all but attention:
rnn_decoder (which char-RNN scripts sample and train with), basic_rnn_seq2seq,
tied_rnn_seq2seq, the embedding models (on tf1/rnn_cell's EmbeddingWrapper and
OutputProjectionWrapper), the sequence losses over lists of time steps, and
model_with_buckets. Same scopes as TF 1.x, so their checkpoints restore. Not provided:
attention_decoder and the embedding_attention models, one2many_rnn_seq2seq."""
import copy

import tensorflow.compat.v1 as tf

from tf1.rnn_cell import EmbeddingWrapper, OutputProjectionWrapper

__all__ = ['basic_rnn_seq2seq', 'embedding_rnn_decoder', 'embedding_rnn_seq2seq',
           'embedding_tied_rnn_seq2seq', 'model_with_buckets', 'rnn_decoder',
           'sequence_loss', 'sequence_loss_by_example', 'tied_rnn_seq2seq']


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


def _extract_argmax_and_embed(embedding, output_projection=None, update_embedding=True):
    """A loop_function feeding back the embedding of the previous output's likeliest
    symbol (after `output_projection` (W, B), if any); with update_embedding=False, no
    gradient reaches the embedding through it."""
    def loop_function(prev, _):
        if output_projection is not None:
            prev = tf.nn.xw_plus_b(prev, output_projection[0], output_projection[1])
        embedded = tf.nn.embedding_lookup(embedding, tf.argmax(prev, 1))
        return embedded if update_embedding else tf.stop_gradient(embedded)
    return loop_function


def _checked_projection(output_projection, num_symbols, dtype):
    """TF 1.x's check of an output projection (W [output, num_symbols], B [num_symbols])."""
    weights = tf.convert_to_tensor(output_projection[0], dtype=dtype)
    weights.get_shape().assert_is_compatible_with([None, num_symbols])
    biases = tf.convert_to_tensor(output_projection[1], dtype=dtype)
    biases.get_shape().assert_is_compatible_with([num_symbols])


def _decoded_either_way(decoder, feed_previous, num_outputs, state_structure):
    """(outputs, state) of `decoder(feed_previous: bool)`, chosen by the boolean tensor
    `feed_previous` at run time: both decoders are built, sharing their variables, and
    tf.cond picks one (TF 1.x's way of training and sampling with one graph).
    `state_structure()` gives a value shaped like the state, made after the cond."""
    def flat(feed):
        with tf.variable_scope(tf.get_variable_scope(), reuse=None if feed else True):
            outputs, state = decoder(feed)
        return outputs + tf.nest.flatten(state)
    outputs_and_state = tf.cond(feed_previous, lambda: flat(True), lambda: flat(False))
    state = outputs_and_state[num_outputs:]
    structure = state_structure()
    state = (tf.nest.pack_sequence_as(structure, state) if tf.nest.is_nested(structure)
             else state[0])
    return outputs_and_state[:num_outputs], state


def embedding_rnn_decoder(decoder_inputs, initial_state, cell, num_symbols, embedding_size,
                          output_projection=None, feed_previous=False,
                          update_embedding_for_previous=True, scope=None):
    """rnn_decoder over the embeddings ([num_symbols, embedding_size]) of the symbol ids
    in `decoder_inputs`; with feed_previous, a greedy decoder: each input after the first
    ("GO") is the embedding of the previous output's likeliest symbol."""
    with tf.variable_scope(scope or 'embedding_rnn_decoder') as scope:
        if output_projection is not None:
            _checked_projection(output_projection, num_symbols, scope.dtype)
        embedding = tf.get_variable('embedding', [num_symbols, embedding_size])
        loop_function = _extract_argmax_and_embed(
            embedding, output_projection, update_embedding_for_previous
        ) if feed_previous else None
        embedded = (tf.nn.embedding_lookup(embedding, i) for i in decoder_inputs)
        return rnn_decoder(embedded, initial_state, cell, loop_function=loop_function)


def embedding_rnn_seq2seq(encoder_inputs, decoder_inputs, cell, num_encoder_symbols,
                          num_decoder_symbols, embedding_size, output_projection=None,
                          feed_previous=False, dtype=None, scope=None):
    """An encoder (a copy of `cell` in an EmbeddingWrapper) over the symbol ids of
    `encoder_inputs`, then embedding_rnn_decoder from its final state, its outputs
    projected to `num_decoder_symbols` logits unless an `output_projection` is given.
    `feed_previous` may be a boolean tensor (both decoders built, chosen at run time)."""
    with tf.variable_scope(scope or 'embedding_rnn_seq2seq') as scope:
        if dtype is not None:
            scope.set_dtype(dtype)
        else:
            dtype = scope.dtype
        encoder_cell = EmbeddingWrapper(copy.deepcopy(cell),
                                        embedding_classes=num_encoder_symbols,
                                        embedding_size=embedding_size)
        _, encoder_state = tf.nn.static_rnn(encoder_cell, encoder_inputs, dtype=dtype)
        if output_projection is None:
            cell = OutputProjectionWrapper(cell, num_decoder_symbols)

        def decoder(feed, update_embedding_for_previous=True):
            return embedding_rnn_decoder(
                decoder_inputs, encoder_state, cell, num_decoder_symbols, embedding_size,
                output_projection=output_projection, feed_previous=feed,
                update_embedding_for_previous=update_embedding_for_previous)

        if isinstance(feed_previous, bool):
            return decoder(feed_previous)
        return _decoded_either_way(lambda feed: decoder(feed, False), feed_previous,
                                   len(decoder_inputs), lambda: encoder_state)


def embedding_tied_rnn_seq2seq(encoder_inputs, decoder_inputs, cell, num_symbols,
                               embedding_size, num_decoder_symbols=None,
                               output_projection=None, feed_previous=False, dtype=None,
                               scope=None):
    """tied_rnn_seq2seq over embeddings from one table ([num_symbols, embedding_size])
    for the encoder's and the decoder's ids; outputs over `num_decoder_symbols` (else
    `num_symbols`) unless an `output_projection` is given."""
    with tf.variable_scope(scope or 'embedding_tied_rnn_seq2seq', dtype=dtype) as scope:
        dtype = scope.dtype
        if output_projection is not None:
            _checked_projection(output_projection, num_symbols, dtype)
        embedding = tf.get_variable('embedding', [num_symbols, embedding_size], dtype=dtype)
        embedded_encoder_inputs = [tf.nn.embedding_lookup(embedding, x)
                                   for x in encoder_inputs]
        embedded_decoder_inputs = [tf.nn.embedding_lookup(embedding, x)
                                   for x in decoder_inputs]
        if output_projection is None:
            cell = OutputProjectionWrapper(cell, num_decoder_symbols or num_symbols)

        def decoder(feed, update_embedding=True):
            loop_function = _extract_argmax_and_embed(
                embedding, output_projection, update_embedding) if feed else None
            return tied_rnn_seq2seq(embedded_encoder_inputs, embedded_decoder_inputs, cell,
                                    loop_function=loop_function, dtype=dtype)

        if isinstance(feed_previous, bool):
            return decoder(feed_previous)

        def zero_state():  # the state's structure, as TF 1.x found it
            batch_size = (tf.compat.dimension_value(encoder_inputs[0].get_shape()[0])
                          or tf.shape(encoder_inputs[0])[0])
            return cell.zero_state(batch_size, dtype)

        return _decoded_either_way(lambda feed: decoder(feed, False), feed_previous,
                                   len(decoder_inputs), zero_state)


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
