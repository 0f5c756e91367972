"""tf.contrib.crf (TF 1.15's contrib/crf/python/ops/crf.py, ported): a linear-chain CRF over
a batch of sequences of unary scores (a BiLSTM-CRF tagger's layer). Training:

    log_likelihood, transition_params = tf.contrib.crf.crf_log_likelihood(
        unary_scores, gold_tags, sequence_lengths)  # makes the `transitions` variable
    loss = tf.reduce_mean(-log_likelihood)

decoding in the graph (crf_decode) or in NumPy (viterbi_decode). The forward algorithm and
the Viterbi passes are RNN cells run by tf.nn.dynamic_rnn, as in TF 1.x."""
import numpy as np
import tensorflow.compat.v1 as tf
from tensorflow.python.framework import smart_cond

from tf1.rnn_cell.base import RNNCell

__all__ = ['crf_sequence_score', 'crf_log_norm', 'crf_log_likelihood', 'crf_unary_score',
           'crf_binary_score', 'CrfForwardRnnCell', 'viterbi_decode', 'crf_decode',
           'CrfDecodeForwardRnnCell', 'CrfDecodeBackwardRnnCell',
           'crf_multitag_sequence_score']


def _one_step(inputs, single_seq_fn, multi_seq_fn):
    """single_seq_fn() for sequences of one step (statically known where it can be),
    else multi_seq_fn()."""
    max_seq_len = tf.dimension_value(inputs.shape[1]) or tf.shape(inputs)[1]
    return smart_cond.smart_cond(tf.equal(max_seq_len, 1), single_seq_fn, multi_seq_fn)


def crf_sequence_score(inputs, tag_indices, sequence_lengths, transition_params):
    """[batch] unnormalized scores of the tag sequences `tag_indices` [batch, max_seq_len]
    under unary scores `inputs` [batch, max_seq_len, num_tags] and `transition_params`."""
    def _single_seq_fn():
        batch_size = tf.shape(inputs, out_type=tag_indices.dtype)[0]
        example_inds = tf.reshape(tf.range(batch_size, dtype=tag_indices.dtype), [-1, 1])
        sequence_scores = tf.gather_nd(tf.squeeze(inputs, [1]),
                                       tf.concat([example_inds, tag_indices], axis=1))
        return tf.where(tf.less_equal(sequence_lengths, 0), tf.zeros_like(sequence_scores),
                        sequence_scores)

    def _multi_seq_fn():
        return (crf_unary_score(tag_indices, sequence_lengths, inputs)
                + crf_binary_score(tag_indices, sequence_lengths, transition_params))
    return _one_step(inputs, _single_seq_fn, _multi_seq_fn)


def crf_multitag_sequence_score(inputs, tag_bitmap, sequence_lengths, transition_params):
    """[batch] log-sum-exp of the scores of every tag sequence `tag_bitmap` [batch,
    max_seq_len, num_tags] allows (one-hot: crf_sequence_score)."""
    def filtered_inputs():
        return tf.where(tag_bitmap, inputs, tf.fill(tf.shape(inputs), float('-inf')))
    return _one_step(
        inputs, lambda: tf.reduce_logsumexp(filtered_inputs(), axis=[1, 2], keepdims=False),
        lambda: crf_log_norm(filtered_inputs(), sequence_lengths, transition_params))


def crf_log_norm(inputs, sequence_lengths, transition_params):
    """[batch] log partition functions: log-sum-exp over every tag sequence (the forward
    algorithm); 0 for sequences of length 0."""
    first_input = tf.squeeze(tf.slice(inputs, [0, 0, 0], [-1, 1, -1]), [1])

    def masked(log_norm):
        return tf.where(tf.less_equal(sequence_lengths, 0), tf.zeros_like(log_norm), log_norm)

    def _multi_seq_fn():
        rest_of_input = tf.slice(inputs, [0, 1, 0], [-1, -1, -1])
        sequence_lengths_less_one = tf.maximum(
            tf.constant(0, dtype=sequence_lengths.dtype), sequence_lengths - 1)
        _, alphas = tf.nn.dynamic_rnn(
            cell=CrfForwardRnnCell(transition_params), inputs=rest_of_input,
            sequence_length=sequence_lengths_less_one, initial_state=first_input,
            dtype=tf.float32)
        return masked(tf.reduce_logsumexp(alphas, [1]))
    return _one_step(inputs, lambda: masked(tf.reduce_logsumexp(first_input, [1])),
                     _multi_seq_fn)


def crf_log_likelihood(inputs, tag_indices, sequence_lengths, transition_params=None):
    """([batch] log-likelihoods of the tag sequences, the transition matrix): a
    `transitions` [num_tags, num_tags] variable is made when none is given."""
    num_tags = tf.dimension_value(inputs.shape[2])
    if transition_params is None:
        transition_params = tf.get_variable('transitions', [num_tags, num_tags])
    sequence_scores = crf_sequence_score(inputs, tag_indices, sequence_lengths,
                                         transition_params)
    log_norm = crf_log_norm(inputs, sequence_lengths, transition_params)
    return sequence_scores - log_norm, transition_params


def crf_unary_score(tag_indices, sequence_lengths, inputs):
    """[batch] sums of each sequence's unary scores of its tags, within its length."""
    batch_size, max_seq_len, num_tags = [tf.shape(inputs)[i] for i in range(3)]
    flattened_inputs = tf.reshape(inputs, [-1])
    offsets = tf.expand_dims(tf.range(batch_size) * max_seq_len * num_tags, 1)
    offsets += tf.expand_dims(tf.range(max_seq_len) * num_tags, 0)
    if tag_indices.dtype == tf.int64:  # int32 or int64, as the tags are
        offsets = tf.cast(offsets, tf.int64)
    flattened_tag_indices = tf.reshape(offsets + tag_indices, [-1])
    unary_scores = tf.reshape(tf.gather(flattened_inputs, flattened_tag_indices),
                              [batch_size, max_seq_len])
    masks = tf.sequence_mask(sequence_lengths, maxlen=tf.shape(tag_indices)[1],
                             dtype=tf.float32)
    return tf.reduce_sum(unary_scores * masks, 1)


def crf_binary_score(tag_indices, sequence_lengths, transition_params):
    """[batch] sums of each sequence's transition scores, within its length."""
    num_tags = transition_params.get_shape()[0]
    num_transitions = tf.shape(tag_indices)[1] - 1
    # Each transition's start and end tags, as one index into the flattened matrix.
    start_tag_indices = tf.slice(tag_indices, [0, 0], [-1, num_transitions])
    end_tag_indices = tf.slice(tag_indices, [0, 1], [-1, num_transitions])
    flattened_transition_indices = start_tag_indices * num_tags + end_tag_indices
    binary_scores = tf.gather(tf.reshape(transition_params, [-1]),
                              flattened_transition_indices)
    masks = tf.sequence_mask(sequence_lengths, maxlen=tf.shape(tag_indices)[1],
                             dtype=tf.float32)
    truncated_masks = tf.slice(masks, [0, 1], [-1, -1])
    return tf.reduce_sum(binary_scores * truncated_masks, 1)


class _TransitionCell(RNNCell):
    """A cell over num_tags-wide states with the transitions broadcast over the batch."""

    def __init__(self, transition_params):  # no variables: RNNCell's scope is not needed
        self._transition_params = tf.expand_dims(transition_params, 0)
        self._num_tags = tf.dimension_value(transition_params.shape[0])

    state_size = property(lambda self: self._num_tags)
    output_size = property(lambda self: self._num_tags)


class CrfForwardRnnCell(_TransitionCell):
    """The forward algorithm's alphas in log space (both output and state)."""

    def __call__(self, inputs, state, scope=None):
        # [B, O, 1] + [1, O, O]: each previous alpha times each transition, in log space.
        transition_scores = tf.expand_dims(state, 2) + self._transition_params
        new_alphas = inputs + tf.reduce_logsumexp(transition_scores, [1])
        return new_alphas, new_alphas


def viterbi_decode(score, transition_params):
    """(the highest-scoring tag sequence as a list of ints, its score) of one sequence's
    unary scores [seq_len, num_tags], in NumPy."""
    trellis = np.zeros_like(score)
    backpointers = np.zeros_like(score, dtype=np.int32)
    trellis[0] = score[0]
    for t in range(1, score.shape[0]):
        v = np.expand_dims(trellis[t - 1], 1) + transition_params
        trellis[t] = score[t] + np.max(v, 0)
        backpointers[t] = np.argmax(v, 0)
    viterbi = [np.argmax(trellis[-1])]
    for bp in reversed(backpointers[1:]):
        viterbi.append(bp[viterbi[-1]])
    viterbi.reverse()
    return viterbi, np.max(trellis[-1])


class CrfDecodeForwardRnnCell(_TransitionCell):
    """Viterbi's forward pass: outputs the backpointers [B, O], keeps the best scores."""

    def __call__(self, inputs, state, scope=None):
        transition_scores = tf.expand_dims(state, 2) + self._transition_params  # [B, O, O]
        new_state = inputs + tf.reduce_max(transition_scores, [1])             # [B, O]
        backpointers = tf.cast(tf.argmax(transition_scores, 1), dtype=tf.int32)
        return backpointers, new_state


class CrfDecodeBackwardRnnCell(RNNCell):
    """Viterbi's backward pass: follows the backpointers from the last best tag."""

    def __init__(self, num_tags):
        self._num_tags = num_tags

    state_size = property(lambda self: 1)
    output_size = property(lambda self: 1)

    def __call__(self, inputs, state, scope=None):
        state = tf.squeeze(state, axis=[1])                                   # [B]
        indices = tf.stack([tf.range(tf.shape(inputs)[0]), state], axis=1)    # [B, 2]
        new_tags = tf.expand_dims(tf.gather_nd(inputs, indices), axis=-1)     # [B, 1]
        return new_tags, new_tags


def crf_decode(potentials, transition_params, sequence_length):
    """(the highest-scoring tags [batch, max_seq_len] int32, their scores [batch]) of
    unary scores `potentials` [batch, max_seq_len, num_tags], in the graph."""
    def _single_seq_fn():
        squeezed_potentials = tf.squeeze(potentials, [1])
        decode_tags = tf.expand_dims(tf.argmax(squeezed_potentials, axis=1), 1)
        return (tf.cast(decode_tags, dtype=tf.int32),
                tf.reduce_max(squeezed_potentials, axis=1))

    def _multi_seq_fn():
        num_tags = tf.dimension_value(potentials.shape[2])
        # Forward: the last scores and each step's backpointers.
        initial_state = tf.squeeze(tf.slice(potentials, [0, 0, 0], [-1, 1, -1]), axis=[1])
        inputs = tf.slice(potentials, [0, 1, 0], [-1, -1, -1])               # [B, T-1, O]
        sequence_length_less_one = tf.maximum(
            tf.constant(0, dtype=sequence_length.dtype), sequence_length - 1)
        backpointers, last_score = tf.nn.dynamic_rnn(
            CrfDecodeForwardRnnCell(transition_params), inputs=inputs,
            sequence_length=sequence_length_less_one, initial_state=initial_state,
            time_major=False, dtype=tf.int32)
        backpointers = tf.reverse_sequence(backpointers, sequence_length_less_one, seq_axis=1)
        # Backward: the tags, from the best last one.
        initial_state = tf.expand_dims(
            tf.cast(tf.argmax(last_score, axis=1), dtype=tf.int32), axis=-1)  # [B, 1]
        decode_tags, _ = tf.nn.dynamic_rnn(
            CrfDecodeBackwardRnnCell(num_tags), inputs=backpointers,
            sequence_length=sequence_length_less_one, initial_state=initial_state,
            time_major=False, dtype=tf.int32)
        decode_tags = tf.concat([initial_state, tf.squeeze(decode_tags, axis=[2])], axis=1)
        decode_tags = tf.reverse_sequence(decode_tags, sequence_length, seq_axis=1)
        return decode_tags, tf.reduce_max(last_score, axis=1)
    return _one_step(potentials, _single_seq_fn, _multi_seq_fn)
