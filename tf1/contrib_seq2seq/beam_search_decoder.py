"""Beam search for the decoders (TF 1.15's contrib/seq2seq/python/ops/
beam_search_decoder.py): BeamSearchDecoder keeps the `beam_width` likeliest partial
sequences of each batch entry, with GNMT's length and coverage penalties
(arXiv:1609.08144), its beams read out whole at the end by beam_search_ops.gather_tree.
tile_batch and gather_tree are beam_search_ops.py's; contrib.seq2seq exported them from
here, and so does this module."""
import collections

import numpy as np
import tensorflow.compat.v1 as tf

from tf1.contrib_seq2seq.attention_wrapper import AttentionWrapperState
from tf1.contrib_seq2seq.basic_decoder import rnn_output_size
from tf1.contrib_seq2seq.beam_search_ops import (check_ndims, gather_tree, gather_tree_from_array,
                                                 maybe_tensor_gather_helper,
                                                 tensor_gather_helper, tile_batch)
from tf1.contrib_seq2seq.decoder import Decoder
from tf1.contrib_seq2seq.helper import embedding_fn
from tf1.layers.base import Layer
from tf1.rnn_cell.base import assert_like_rnncell

__all__ = ['BeamSearchDecoder', 'BeamSearchDecoderOutput', 'BeamSearchDecoderState',
           'FinalBeamSearchDecoderOutput', 'gather_tree', 'tile_batch']


class BeamSearchDecoderState(collections.namedtuple(
        'BeamSearchDecoderState', ('cell_state', 'log_probs', 'finished', 'lengths',
                                   'accumulated_attention_probs'))):
    pass


class BeamSearchDecoderOutput(collections.namedtuple(
        'BeamSearchDecoderOutput', ('scores', 'predicted_ids', 'parent_ids'))):
    pass


class FinalBeamSearchDecoderOutput(collections.namedtuple(
        'FinalBeamDecoderOutput', ['predicted_ids', 'beam_search_decoder_output'])):
    """predicted_ids [batch, time, beam_width], best beam first; and each step's output."""


class BeamSearchDecoder(Decoder):
    """Decodes `beam_width` hypotheses per batch entry: each step scores every beam's
    continuations (log-probabilities of `output_layer(cell output)`, divided by the
    length penalty, plus the coverage penalty), keeps the best `beam_width`, and feeds
    back their embeddings. `initial_state` and an AttentionWrapper's memory must be
    tiled with tile_batch (batch_size * beam_width rows)."""

    def __init__(self, cell, embedding, start_tokens, end_token, initial_state, beam_width,
                 output_layer=None, length_penalty_weight=0.0, coverage_penalty_weight=0.0,
                 reorder_tensor_arrays=True):
        assert_like_rnncell('cell', cell)
        if output_layer is not None and not isinstance(output_layer, Layer):
            raise TypeError('output_layer must be a Layer, received: %s' % type(output_layer))
        self._cell = cell
        self._output_layer = output_layer
        self._reorder_tensor_arrays = reorder_tensor_arrays
        self._beam_width = beam_width
        self._length_penalty_weight = length_penalty_weight
        self._coverage_penalty_weight = coverage_penalty_weight
        self._embedding_fn = embedding_fn(embedding)
        self._start_tokens = tf.convert_to_tensor(start_tokens, dtype=tf.int32,
                                                  name='start_tokens')
        if self._start_tokens.get_shape().ndims != 1:
            raise ValueError('start_tokens must be a vector')
        self._end_token = tf.convert_to_tensor(end_token, dtype=tf.int32, name='end_token')
        if self._end_token.get_shape().ndims != 0:
            raise ValueError('end_token must be a scalar')
        self._batch_size = tf.size(start_tokens)
        self._initial_cell_state = tf.nest.map_structure(
            self._maybe_split_batch_beams, initial_state, self._cell.state_size)
        self._start_tokens = tf.tile(tf.expand_dims(self._start_tokens, 1),
                                     [1, self._beam_width])
        self._start_inputs = self._embedding_fn(self._start_tokens)
        self._finished = tf.one_hot(tf.zeros([self._batch_size], dtype=tf.int32),
                                    depth=self._beam_width, on_value=False, off_value=True,
                                    dtype=tf.bool)

    @property
    def batch_size(self):
        return self._batch_size

    def _rnn_output_size(self):
        return rnn_output_size(self._cell, self._output_layer)

    @property
    def tracks_own_finished(self):
        """True: beams are reordered each step, their finished flags with them."""
        return True

    @property
    def output_size(self):
        return BeamSearchDecoderOutput(scores=tf.TensorShape([self._beam_width]),
                                       predicted_ids=tf.TensorShape([self._beam_width]),
                                       parent_ids=tf.TensorShape([self._beam_width]))

    @property
    def output_dtype(self):
        dtype = tf.nest.flatten(self._initial_cell_state)[0].dtype
        return BeamSearchDecoderOutput(
            scores=tf.nest.map_structure(lambda _: dtype, self._rnn_output_size()),
            predicted_ids=tf.int32, parent_ids=tf.int32)

    def initialize(self, name=None):
        """(finished, start inputs, initial BeamSearchDecoderState): only the first beam
        of each entry is live (log-probability 0, the others -inf)."""
        dtype = tf.nest.flatten(self._initial_cell_state)[0].dtype
        log_probs = tf.one_hot(tf.zeros([self._batch_size], dtype=tf.int32),
                               depth=self._beam_width,
                               on_value=tf.convert_to_tensor(0.0, dtype=dtype),
                               off_value=tf.convert_to_tensor(-np.inf, dtype=dtype),
                               dtype=dtype)
        init_attention_probs = get_attention_probs(self._initial_cell_state,
                                                   self._coverage_penalty_weight)
        initial_state = BeamSearchDecoderState(
            cell_state=self._initial_cell_state, log_probs=log_probs,
            finished=self._finished,
            lengths=tf.zeros([self._batch_size, self._beam_width], dtype=tf.int64),
            accumulated_attention_probs=(() if init_attention_probs is None
                                         else init_attention_probs))
        return self._finished, self._start_inputs, initial_state

    def finalize(self, outputs, final_state, sequence_lengths):
        """(FinalBeamSearchDecoderOutput with each beam's ids read back whole, the final
        state, TensorArrays in it reordered along the beams)."""
        max_sequence_lengths = tf.cast(tf.reduce_max(final_state.lengths, axis=1), tf.int32)
        predicted_ids = gather_tree(outputs.predicted_ids, outputs.parent_ids,
                                    max_sequence_lengths=max_sequence_lengths,
                                    end_token=self._end_token)
        if self._reorder_tensor_arrays:
            final_state = final_state._replace(cell_state=tf.nest.map_structure(
                lambda t: self._maybe_sort_array_beams(t, outputs.parent_ids,
                                                       final_state.lengths),
                final_state.cell_state))
        return FinalBeamSearchDecoderOutput(beam_search_decoder_output=outputs,
                                            predicted_ids=predicted_ids), final_state

    def _merge_batch_beams(self, t, s=None):
        """[batch, beam_width, s...] → [batch * beam_width, s...]."""
        s = tf.TensorShape(tf.get_static_value(s) if isinstance(s, tf.Tensor) else s)
        static_batch_size = tf.get_static_value(self._batch_size)
        reshaped = tf.reshape(t, tf.concat(([self._batch_size * self._beam_width],
                                            tf.shape(t)[2:]), 0))
        reshaped.set_shape(tf.TensorShape([None if static_batch_size is None else
                                           static_batch_size * self._beam_width]
                                          ).concatenate(s))
        return reshaped

    def _split_batch_beams(self, t, s=None):
        """[batch * beam_width, s...] → [batch, beam_width, s...]."""
        s = tf.TensorShape(tf.get_static_value(s) if isinstance(s, tf.Tensor) else s)
        reshaped = tf.reshape(t, tf.concat(([self._batch_size, self._beam_width],
                                            tf.shape(t)[1:]), 0))
        expected = tf.TensorShape([tf.get_static_value(self._batch_size),
                                   self._beam_width]).concatenate(s)
        if not reshaped.shape.is_compatible_with(expected):
            raise ValueError('Unexpected behavior when reshaping between beam width and '
                             'batch size.  The reshaped tensor has shape: %s.  We expected it '
                             'to have shape (batch_size, beam_width, depth) == %s.  Perhaps '
                             'you forgot to create a zero_state with '
                             'batch_size=encoder_batch_size * beam_width?'
                             % (reshaped.shape, expected))
        reshaped.set_shape(expected)
        return reshaped

    def _maybe_split_batch_beams(self, t, s):
        if isinstance(t, tf.TensorArray):
            return t
        check_ndims(t)
        return self._split_batch_beams(t, s) if t.shape.ndims >= 1 else t

    def _maybe_merge_batch_beams(self, t, s):
        if isinstance(t, tf.TensorArray):
            return t
        check_ndims(t)
        return self._merge_batch_beams(t, s) if t.shape.ndims >= 2 else t

    def _maybe_sort_array_beams(self, t, parent_ids, sequence_length):
        """A TensorArray in the cell state (an attention history), stacked and reordered
        along the beams; anything else as it is."""
        if not isinstance(t, tf.TensorArray):
            return t
        if t.element_shape.ndims is None or t.element_shape.ndims < 1:
            tf.logging.warn('The TensorArray %s in the cell state is not amenable to sorting '
                            'based on the beam search result. For a TensorArray to be sorted, '
                            'its elements shape must be defined and have at least a rank of 1, '
                            'but saw shape: %s' % (t.handle.name, t.element_shape))
            return t
        batch_size = tf.get_static_value(self._batch_size)
        shape = t.element_shape
        if (batch_size is not None and tf.compat.dimension_value(shape[0]) is not None and
                (shape[0] != batch_size * self._beam_width or
                 (shape.ndims >= 2 and tf.compat.dimension_value(shape[1]) is not None and
                  (shape[0] != batch_size or shape[1] != self._beam_width)))):
            tf.logging.warn('TensorArray reordering expects elements to be reshapable to %s '
                            'which is incompatible with the current shape %s. Consider '
                            'setting reorder_tensor_arrays to False to disable TensorArray '
                            'reordering during the beam search.'
                            % (tf.TensorShape([batch_size, self._beam_width, None]), shape))
            return t
        t = t.stack()
        with tf.control_dependencies([self._check_batch_beam(t)]):
            return gather_tree_from_array(t, parent_ids, sequence_length)

    def _check_batch_beam(self, t):
        shape = tf.shape(t)
        batch_beams = self._batch_size * self._beam_width
        if t.shape.ndims == 2:
            condition = tf.equal(shape[1], batch_beams)
        else:
            condition = tf.logical_or(tf.equal(shape[1], batch_beams), tf.logical_and(
                tf.equal(shape[1], self._batch_size), tf.equal(shape[2], self._beam_width)))
        return tf.Assert(condition, [
            'TensorArray reordering expects elements to be reshapable to [batch_size, '
            'beam_size, -1] which is incompatible with the dynamic shape of %s elements. '
            'Consider setting reorder_tensor_arrays to False to disable TensorArray '
            'reordering during the beam search.' % t.name])

    def step(self, time, inputs, state, name=None):
        """(BeamSearchDecoderOutput, next state, next inputs, finished)."""
        with tf.name_scope(name, 'BeamSearchDecoderStep', (time, inputs, state)):
            inputs = tf.nest.map_structure(
                lambda inp: self._merge_batch_beams(inp, s=inp.shape[2:]), inputs)
            cell_state = tf.nest.map_structure(self._maybe_merge_batch_beams,
                                               state.cell_state, self._cell.state_size)
            cell_outputs, next_cell_state = self._cell(inputs, cell_state)
            cell_outputs = tf.nest.map_structure(
                lambda out: self._split_batch_beams(out, out.shape[1:]), cell_outputs)
            next_cell_state = tf.nest.map_structure(
                self._maybe_split_batch_beams, next_cell_state, self._cell.state_size)
            if self._output_layer is not None:
                cell_outputs = self._output_layer(cell_outputs)
            output, next_state = _beam_search_step(
                time=time, logits=cell_outputs, next_cell_state=next_cell_state,
                beam_state=state, batch_size=self._batch_size, beam_width=self._beam_width,
                end_token=self._end_token, length_penalty_weight=self._length_penalty_weight,
                coverage_penalty_weight=self._coverage_penalty_weight)
            finished = next_state.finished
            next_inputs = tf.cond(tf.reduce_all(finished), lambda: self._start_inputs,
                                  lambda: self._embedding_fn(output.predicted_ids))
        return output, next_state, next_inputs, finished


def _beam_search_step(time, logits, next_cell_state, beam_state, batch_size, beam_width,
                      end_token, length_penalty_weight, coverage_penalty_weight):
    """One step: every live beam's continuations scored, the best `beam_width` of each
    batch entry kept (at the first step only the first beam is live), with their
    parents' states, lengths and finished flags."""
    static_batch_size = tf.get_static_value(batch_size)
    prediction_lengths = beam_state.lengths
    previously_finished = beam_state.finished
    not_finished = tf.logical_not(previously_finished)

    # Log-probabilities of every continuation, [batch, beam_width, vocabulary]; a
    # finished beam can only go on with the end token, at no cost.
    step_log_probs = _mask_probs(tf.nn.log_softmax(logits), end_token, previously_finished)
    total_probs = tf.expand_dims(beam_state.log_probs, 2) + step_log_probs

    vocab_size = tf.compat.dimension_value(logits.shape[-1]) or tf.shape(logits)[-1]
    lengths_to_add = tf.one_hot(indices=tf.fill([batch_size, beam_width], end_token),
                                depth=vocab_size, on_value=tf.constant(0, tf.int64),
                                off_value=tf.constant(1, tf.int64), dtype=tf.int64)
    lengths_to_add *= tf.expand_dims(tf.cast(not_finished, tf.int64), 2)
    new_prediction_lengths = lengths_to_add + tf.expand_dims(prediction_lengths, 2)

    accumulated_attention_probs = None
    attention_probs = get_attention_probs(next_cell_state, coverage_penalty_weight)
    if attention_probs is not None:
        attention_probs *= tf.expand_dims(tf.cast(not_finished, tf.float32), 2)
        accumulated_attention_probs = beam_state.accumulated_attention_probs + attention_probs

    scores = _get_scores(log_probs=total_probs, sequence_lengths=new_prediction_lengths,
                         length_penalty_weight=length_penalty_weight,
                         coverage_penalty_weight=coverage_penalty_weight,
                         finished=previously_finished,
                         accumulated_attention_probs=accumulated_attention_probs)
    time = tf.convert_to_tensor(time, name='time')
    scores_flat = tf.reshape(scores, [batch_size, -1])
    next_beam_size = tf.convert_to_tensor(beam_width, dtype=tf.int32, name='beam_width')
    next_beam_scores, word_indices = tf.nn.top_k(scores_flat, k=next_beam_size)
    next_beam_scores.set_shape([static_batch_size, beam_width])
    word_indices.set_shape([static_batch_size, beam_width])

    next_beam_probs = tensor_gather_helper(
        gather_indices=word_indices, gather_from=total_probs, batch_size=batch_size,
        range_size=beam_width * vocab_size, gather_shape=[-1], name='next_beam_probs')
    next_word_ids = tf.cast(tf.mod(word_indices, vocab_size, name='next_beam_word_ids'),
                            tf.int32)
    next_beam_ids = tf.cast(word_indices // vocab_size, tf.int32, name='next_beam_parent_ids')

    previously_finished = tensor_gather_helper(
        gather_indices=next_beam_ids, gather_from=previously_finished,
        batch_size=batch_size, range_size=beam_width, gather_shape=[-1])
    next_finished = tf.logical_or(previously_finished, tf.equal(next_word_ids, end_token),
                                  name='next_beam_finished')
    # A beam's length grows by one until it has finished (the end token counts).
    next_prediction_len = tensor_gather_helper(
        gather_indices=next_beam_ids, gather_from=beam_state.lengths,
        batch_size=batch_size, range_size=beam_width, gather_shape=[-1])
    next_prediction_len += tf.cast(tf.logical_not(previously_finished), tf.int64)
    next_accumulated_attention_probs = ()
    if accumulated_attention_probs is not None:
        next_accumulated_attention_probs = tensor_gather_helper(
            gather_indices=next_beam_ids, gather_from=accumulated_attention_probs,
            batch_size=batch_size, range_size=beam_width,
            gather_shape=[batch_size * beam_width, -1],
            name='next_accumulated_attention_probs')
    next_cell_state = tf.nest.map_structure(
        lambda gather_from: maybe_tensor_gather_helper(
            gather_indices=next_beam_ids, gather_from=gather_from, batch_size=batch_size,
            range_size=beam_width, gather_shape=[batch_size * beam_width, -1]),
        next_cell_state)
    next_state = BeamSearchDecoderState(
        cell_state=next_cell_state, log_probs=next_beam_probs, lengths=next_prediction_len,
        finished=next_finished, accumulated_attention_probs=next_accumulated_attention_probs)
    output = BeamSearchDecoderOutput(scores=next_beam_scores, predicted_ids=next_word_ids,
                                     parent_ids=next_beam_ids)
    return output, next_state


def get_attention_probs(next_cell_state, coverage_penalty_weight):
    """The alignments of the AttentionWrapper(s) in the state ([batch, beam_width,
    memory time], averaged over mechanisms and layers), when the coverage penalty is on."""
    if coverage_penalty_weight == 0.0:
        return None
    probs_per_attn_layer = []
    if isinstance(next_cell_state, AttentionWrapperState):
        probs_per_attn_layer = [attention_probs_from_attn_state(next_cell_state)]
    elif isinstance(next_cell_state, tuple):
        probs_per_attn_layer = [attention_probs_from_attn_state(state)
                                for state in next_cell_state
                                if isinstance(state, AttentionWrapperState)]
    if not probs_per_attn_layer:
        raise ValueError('coverage_penalty_weight must be 0.0 if no cell is attentional.')
    return _mean_of(probs_per_attn_layer)


def attention_probs_from_attn_state(attention_state):
    """An AttentionWrapperState's alignments, averaged over its mechanisms."""
    alignments = attention_state.alignments
    return _mean_of(alignments) if isinstance(alignments, tuple) else alignments


def _mean_of(probabilities):
    if len(probabilities) == 1:
        return probabilities[0]
    return tf.reduce_mean(tf.concat([tf.expand_dims(p, -1) for p in probabilities], -1), -1)


def _get_scores(log_probs, sequence_lengths, length_penalty_weight, coverage_penalty_weight,
                finished, accumulated_attention_probs):
    """log_probs / length penalty, plus (for finished beams) the weighted coverage
    penalty: the sum over the memory of log(min(attention received, 1))."""
    length_penalty_ = tf.cast(_length_penalty(sequence_lengths=sequence_lengths,
                                              penalty_factor=length_penalty_weight),
                              dtype=log_probs.dtype)
    scores = log_probs / length_penalty_
    coverage_penalty_weight = tf.convert_to_tensor(coverage_penalty_weight,
                                                   name='coverage_penalty_weight')
    if coverage_penalty_weight.shape.ndims != 0:
        raise ValueError('coverage_penalty_weight should be a scalar, but saw shape: %s'
                         % coverage_penalty_weight.shape)
    if tf.get_static_value(coverage_penalty_weight) == 0.0:
        return scores
    if accumulated_attention_probs is None:
        raise ValueError('accumulated_attention_probs can be None only if coverage penalty '
                         'is disabled.')
    # Memory steps never attended (past a source's length) count as fully covered.
    accumulated_attention_probs = tf.where(tf.equal(accumulated_attention_probs, 0.0),
                                           tf.ones_like(accumulated_attention_probs),
                                           accumulated_attention_probs)
    coverage_penalty = tf.reduce_sum(
        tf.log(tf.minimum(accumulated_attention_probs, 1.0)), 2)
    coverage_penalty *= tf.cast(finished, tf.float32)
    return scores + tf.expand_dims(coverage_penalty * coverage_penalty_weight, 2)


def _length_penalty(sequence_lengths, penalty_factor):
    """((5 + length) / 6) ** penalty_factor (arXiv:1609.08144), or 1.0 when it is 0."""
    penalty_factor = tf.convert_to_tensor(penalty_factor, name='penalty_factor')
    penalty_factor.set_shape(())
    static_penalty = tf.get_static_value(penalty_factor)
    if static_penalty is not None and static_penalty == 0:
        return 1.0
    return tf.div((5. + tf.cast(sequence_lengths, tf.float32)) ** penalty_factor,
                  (5. + 1.) ** penalty_factor)


def _mask_probs(probs, eos_token, finished):
    """`probs` [batch, beam_width, vocabulary] with each finished beam's row all on the
    end token (0, and the dtype's lowest value elsewhere)."""
    vocab_size = tf.shape(probs)[2]
    finished_row = tf.one_hot(eos_token, vocab_size, dtype=probs.dtype,
                              on_value=tf.convert_to_tensor(0., dtype=probs.dtype),
                              off_value=probs.dtype.min)
    finished_probs = tf.tile(tf.reshape(finished_row, [1, 1, -1]),
                             tf.concat([tf.shape(finished), [1]], 0))
    finished_mask = tf.tile(tf.expand_dims(finished, 2), [1, 1, vocab_size])
    return tf.where(finished_mask, finished_probs, probs)
