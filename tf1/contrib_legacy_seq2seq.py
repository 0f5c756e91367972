"""tf.contrib.legacy_seq2seq as TF 1.15 had it
(tensorflow/contrib/legacy_seq2seq/python/ops/seq2seq.py): rnn_decoder (which char-RNN
scripts sample and train with), basic_rnn_seq2seq, tied_rnn_seq2seq, the embedding models
(on tf1/rnn_cell's EmbeddingWrapper and OutputProjectionWrapper), attention_decoder and
the embedding attention models of TF 1.x's translation tutorial, one2many_rnn_seq2seq,
the sequence losses over lists of time steps, and model_with_buckets. Same scopes, and
variables made in the same order, as TF 1.x, so their checkpoints restore."""
import copy

import tensorflow.compat.v1 as tf

from tf1.rnn_cell import EmbeddingWrapper, OutputProjectionWrapper, RNNCell
from tf1.rnn_cell.projection import linear

__all__ = ['attention_decoder', 'basic_rnn_seq2seq', 'embedding_attention_decoder',
           'embedding_attention_seq2seq', 'embedding_rnn_decoder', 'embedding_rnn_seq2seq',
           'embedding_tied_rnn_seq2seq', 'model_with_buckets', 'one2many_rnn_seq2seq',
           'rnn_decoder', 'sequence_loss', 'sequence_loss_by_example', 'tied_rnn_seq2seq']


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


def _decoded(decoder, feed_previous, num_outputs, state_structure):
    """`decoder(feed, update_embedding)` as the seq2seq models ran it: for a Python bool,
    once, the fed-back embeddings trained too; for a boolean tensor, both ways, chosen at
    run time (_decoded_either_way), the embeddings trained through the given inputs only."""
    if isinstance(feed_previous, bool):
        return decoder(feed_previous, True)
    return _decoded_either_way(lambda feed: decoder(feed, False), feed_previous, num_outputs,
                               state_structure)


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

        def decoder(feed, update_embedding_for_previous):
            return embedding_rnn_decoder(
                decoder_inputs, encoder_state, cell, num_decoder_symbols, embedding_size,
                output_projection=output_projection, feed_previous=feed,
                update_embedding_for_previous=update_embedding_for_previous)

        return _decoded(decoder, feed_previous, len(decoder_inputs), lambda: encoder_state)


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

        def decoder(feed, update_embedding):
            loop_function = _extract_argmax_and_embed(
                embedding, output_projection, update_embedding) if feed else None
            return tied_rnn_seq2seq(embedded_encoder_inputs, embedded_decoder_inputs, cell,
                                    loop_function=loop_function, dtype=dtype)

        def zero_state():  # the state's structure, as TF 1.x found it
            batch_size = (tf.compat.dimension_value(encoder_inputs[0].get_shape()[0])
                          or tf.shape(encoder_inputs[0])[0])
            return cell.zero_state(batch_size, dtype)

        return _decoded(decoder, feed_previous, len(decoder_inputs), zero_state)


def attention_decoder(decoder_inputs, initial_state, attention_states, cell, output_size=None,
                      num_heads=1, loop_function=None, dtype=None, scope=None,
                      initial_state_attention=False):
    """rnn_decoder that reads `attention_states` ([batch, length, size], e.g. the encoder's
    outputs) at every step, as in arXiv:1412.7449. Each step runs the cell on its input
    joined with the previous step's reads (zeros at first, unless
    `initial_state_attention`); each of `num_heads` heads then reads the states weighted
    by softmax(v · tanh(W h + U state)); the output is a projection of the cell's output
    joined with those reads, of `output_size` (else the cell's). (outputs, final state)."""
    if not decoder_inputs:
        raise ValueError('Must provide at least 1 input to attention decoder.')
    if num_heads < 1:
        raise ValueError('With less than 1 heads, use a non-attention decoder.')
    if tf.compat.dimension_value(attention_states.get_shape()[2]) is None:
        raise ValueError('Shape[2] of attention_states must be known: %s'
                         % attention_states.get_shape())
    if output_size is None:
        output_size = cell.output_size

    with tf.variable_scope(scope or 'attention_decoder', dtype=dtype) as scope:
        dtype = scope.dtype
        batch_size = tf.shape(decoder_inputs[0])[0]
        attn_length = (tf.compat.dimension_value(attention_states.get_shape()[1])
                       or tf.shape(attention_states)[1])
        attn_size = tf.compat.dimension_value(attention_states.get_shape()[2])

        # W h for every state at once: a 1x1 convolution over [batch, length, 1, size].
        hidden = tf.reshape(attention_states, [-1, attn_length, 1, attn_size])
        hidden_features, v = [], []
        for head in range(num_heads):
            k = tf.get_variable('AttnW_%d' % head, [1, 1, attn_size, attn_size])
            hidden_features.append(tf.nn.conv2d(hidden, k, [1, 1, 1, 1], 'SAME'))
            v.append(tf.get_variable('AttnV_%d' % head, [attn_size]))

        def attention(query):
            """Each head's read of the states, given the query (a state, flattened)."""
            if tf.nest.is_nested(query):
                query = tf.concat(tf.nest.flatten(query), 1)
            reads = []
            for head in range(num_heads):
                with tf.variable_scope('Attention_%d' % head):
                    y = tf.reshape(linear(query, attn_size), [-1, 1, 1, attn_size])
                    y = tf.cast(y, dtype)
                    scores = tf.reduce_sum(v[head] * tf.tanh(hidden_features[head] + y),
                                           [2, 3])
                    # The softmax in float32, whatever the model's dtype (TF 1.15).
                    weights = tf.cast(tf.nn.softmax(tf.cast(scores, tf.float32)), dtype)
                    read = tf.reduce_sum(
                        tf.reshape(weights, [-1, attn_length, 1, 1]) * hidden, [1, 2])
                    reads.append(tf.reshape(read, [-1, attn_size]))
            return reads

        outputs = []
        prev = None
        batch_attn_size = tf.stack([batch_size, attn_size])
        attns = [tf.zeros(batch_attn_size, dtype=dtype) for _ in range(num_heads)]
        for a in attns:
            a.set_shape([None, attn_size])
        if initial_state_attention:
            attns = attention(initial_state)
        state = initial_state
        for i, inp in enumerate(decoder_inputs):
            if i > 0:
                tf.get_variable_scope().reuse_variables()
            if loop_function is not None and prev is not None:
                with tf.variable_scope('loop_function', reuse=True):
                    inp = loop_function(prev, i)
            input_size = tf.compat.dimension_value(inp.get_shape().with_rank(2)[1])
            if input_size is None:
                raise ValueError('Could not infer input size from input: %s' % inp.name)
            x = linear([tf.cast(e, dtype) for e in [inp] + attns], input_size)
            cell_output, state = cell(x, state)
            if i == 0 and initial_state_attention:  # its variables exist already
                with tf.variable_scope(tf.get_variable_scope(), reuse=True):
                    attns = attention(state)
            else:
                attns = attention(state)
            with tf.variable_scope('AttnOutputProjection'):
                output = linear([tf.cast(cell_output, dtype)] + attns, output_size)
            if loop_function is not None:
                prev = output
            outputs.append(output)
    return outputs, state


def embedding_attention_decoder(decoder_inputs, initial_state, attention_states, cell,
                                num_symbols, embedding_size, num_heads=1, output_size=None,
                                output_projection=None, feed_previous=False,
                                update_embedding_for_previous=True, dtype=None, scope=None,
                                initial_state_attention=False):
    """attention_decoder over the embeddings ([num_symbols, embedding_size]) of the
    symbol ids in `decoder_inputs`; with feed_previous, greedy as embedding_rnn_decoder."""
    if output_size is None:
        output_size = cell.output_size
    if output_projection is not None:
        biases = tf.convert_to_tensor(output_projection[1], dtype=dtype)
        biases.get_shape().assert_is_compatible_with([num_symbols])
    with tf.variable_scope(scope or 'embedding_attention_decoder', dtype=dtype):
        embedding = tf.get_variable('embedding', [num_symbols, embedding_size])
        loop_function = _extract_argmax_and_embed(
            embedding, output_projection, update_embedding_for_previous
        ) if feed_previous else None
        embedded = [tf.nn.embedding_lookup(embedding, i) for i in decoder_inputs]
        return attention_decoder(embedded, initial_state, attention_states, cell,
                                 output_size=output_size, num_heads=num_heads,
                                 loop_function=loop_function,
                                 initial_state_attention=initial_state_attention)


def embedding_attention_seq2seq(encoder_inputs, decoder_inputs, cell, num_encoder_symbols,
                                num_decoder_symbols, embedding_size, encoder_cell=None,
                                num_heads=1, output_projection=None, feed_previous=False,
                                dtype=None, scope=None, initial_state_attention=False):
    """The TF 1.x translation tutorial's model: an encoder (`encoder_cell`, else a copy of
    `cell`, in an EmbeddingWrapper) over the symbol ids of `encoder_inputs`, then
    embedding_attention_decoder from its final state, attending to its outputs; outputs
    projected to `num_decoder_symbols` logits unless an `output_projection` is given.
    `feed_previous` may be a boolean tensor (both decoders built, chosen at run time)."""
    with tf.variable_scope(scope or 'embedding_attention_seq2seq', dtype=dtype) as scope:
        dtype = scope.dtype
        if encoder_cell is None:
            encoder_cell = copy.deepcopy(cell)
        encoder_cell = EmbeddingWrapper(encoder_cell,
                                        embedding_classes=num_encoder_symbols,
                                        embedding_size=embedding_size)
        encoder_outputs, encoder_state = tf.nn.static_rnn(encoder_cell, encoder_inputs,
                                                          dtype=dtype)
        # The encoder's outputs, [batch, length, size]: what the decoder attends to.
        top_states = [tf.reshape(e, [-1, 1, cell.output_size]) for e in encoder_outputs]
        attention_states = tf.concat(top_states, 1)

        output_size = None
        if output_projection is None:
            cell = OutputProjectionWrapper(cell, num_decoder_symbols)
            output_size = num_decoder_symbols

        def decoder(feed, update_embedding_for_previous):
            return embedding_attention_decoder(
                decoder_inputs, encoder_state, attention_states, cell, num_decoder_symbols,
                embedding_size, num_heads=num_heads, output_size=output_size,
                output_projection=output_projection, feed_previous=feed,
                update_embedding_for_previous=update_embedding_for_previous,
                initial_state_attention=initial_state_attention)

        return _decoded(decoder, feed_previous, len(decoder_inputs), lambda: encoder_state)


def one2many_rnn_seq2seq(encoder_inputs, decoder_inputs_dict, enc_cell, dec_cells_dict,
                         num_encoder_symbols, num_decoder_symbols_dict, embedding_size,
                         feed_previous=False, dtype=None, scope=None):
    """One encoder (`enc_cell` in an EmbeddingWrapper), several decoders (multi-task,
    arXiv:1511.06114): for each name in `decoder_inputs_dict`, embedding_rnn_decoder with
    `dec_cells_dict[name]` projected to `num_decoder_symbols_dict[name]` logits, in its
    own scope `one2many_decoder_NAME`. ({name: outputs}, {name: final state})."""
    if not isinstance(enc_cell, RNNCell):
        raise TypeError('enc_cell is not an RNNCell: %s' % type(enc_cell))
    if set(dec_cells_dict) != set(decoder_inputs_dict):
        raise ValueError('keys of dec_cells_dict != keys of decoder_inputs_dict')
    for dec_cell in dec_cells_dict.values():
        if not isinstance(dec_cell, RNNCell):
            raise TypeError('dec_cell is not an RNNCell: %s' % type(dec_cell))
    outputs_dict, state_dict = {}, {}
    with tf.variable_scope(scope or 'one2many_rnn_seq2seq', dtype=dtype) as scope:
        dtype = scope.dtype
        enc_cell = EmbeddingWrapper(enc_cell, embedding_classes=num_encoder_symbols,
                                    embedding_size=embedding_size)
        _, encoder_state = tf.nn.static_rnn(enc_cell, encoder_inputs, dtype=dtype)
        for name, decoder_inputs in decoder_inputs_dict.items():
            num_decoder_symbols = num_decoder_symbols_dict[name]
            with tf.variable_scope('one2many_decoder_' + str(name)):
                dec_cell = OutputProjectionWrapper(dec_cells_dict[name], num_decoder_symbols)

                def decoder(feed, dec_cell=dec_cell, decoder_inputs=decoder_inputs,
                            num_decoder_symbols=num_decoder_symbols):
                    return embedding_rnn_decoder(decoder_inputs, encoder_state, dec_cell,
                                                 num_decoder_symbols, embedding_size,
                                                 feed_previous=feed)

                if isinstance(feed_previous, bool):
                    outputs, state = decoder(feed_previous)
                else:
                    outputs, state = _decoded_either_way(
                        decoder, feed_previous, len(decoder_inputs), lambda: encoder_state)
            outputs_dict[name] = outputs
            state_dict[name] = state
    return outputs_dict, state_dict


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
