"""AttentionWrapper, the cell that attends to an encoder's outputs at every step, and its
state (TF 1.15's contrib/seq2seq/python/ops/attention_wrapper.py, its TF 1.x classes).
The mechanisms it attends with are attention_mechanisms.py's. Variables as TF 1.x named
them: `attention_wrapper/<the wrapped cell>/...`, the mechanisms' query variables, and
`attention_wrapper/attention_layer/kernel`."""
import collections

import tensorflow.compat.v1 as tf

from tf1.contrib_seq2seq.attention_mechanisms import AttentionMechanism
from tf1.layers.core import Dense
from tf1.rnn_cell.base import RNNCell, assert_like_rnncell
from tf1.rnn_cell.state_zeros import zeros

__all__ = ['AttentionWrapper', 'AttentionWrapperState']


class AttentionWrapperState(collections.namedtuple(
        'AttentionWrapperState', ('cell_state', 'attention', 'time', 'alignments',
                                  'alignment_history', 'attention_state'))):
    """AttentionWrapper's state: the wrapped cell's, the last attention, the step, the
    last alignments, their history (TensorArrays, when kept) and the mechanisms' state."""

    def clone(self, **kwargs):
        """This state with the given fields replaced, each the shape of the one it
        replaces: `cell.zero_state(...).clone(cell_state=encoder_state)`."""
        def with_same_shape(old, new):
            """`new`, checked to have `old`'s shape: now where both are known, when the
            graph runs where one is not (contrib's tensor_util.with_same_shape) - the
            usual mistake, an encoder state not tiled for beam search, is caught."""
            if not (isinstance(old, tf.Tensor) and isinstance(new, tf.Tensor)):
                return new
            if not old.shape.is_compatible_with(new.shape):
                raise ValueError('The shape of the AttentionWrapperState is expected to be '
                                 'same as the one to clone. self.shape: %s, input.shape: %s'
                                 % (old.shape, new.shape))
            if old.shape.is_fully_defined() and new.shape.is_fully_defined():
                return new
            same = tf.reduce_all(tf.equal(tf.shape(old), tf.shape(new)))
            with tf.control_dependencies([tf.Assert(same, [
                    'Wrong shape for %s [expected] [actual].' % new.name, tf.shape(old),
                    tf.shape(new)])]):
                checked = tf.identity(new)
            checked.set_shape(old.shape.merge_with(new.shape))
            return checked

        return tf.nest.map_structure(with_same_shape, self,
                                     super(AttentionWrapperState, self)._replace(**kwargs))


def _compute_attention(attention_mechanism, cell_output, attention_state, attention_layer):
    """(attention, alignments, next attention state) of one mechanism for the cell's
    output: the context (the values weighted by the alignments), through the attention
    layer with the cell's output, if there is one."""
    alignments, next_attention_state = attention_mechanism(cell_output,
                                                           state=attention_state)
    context = tf.squeeze(tf.matmul(tf.expand_dims(alignments, 1),
                                   attention_mechanism.values), [1])
    if attention_layer is not None:
        attention = attention_layer(tf.concat([cell_output, context], 1))
    else:
        attention = context
    return attention, alignments, next_attention_state


class AttentionWrapper(RNNCell):
    """`cell` with attention: each step runs the cell on its input joined with the last
    attention (`cell_input_fn`), scores the cell's output against each mechanism's
    memory, and outputs the new attention (`output_attention`, Luong's way) or the cell's
    output (Bahdanau's). With `attention_layer_size`, the attention is a projection of
    the cell's output and the context; without, the context itself."""

    def __init__(self, cell, attention_mechanism, attention_layer_size=None,
                 alignment_history=False, cell_input_fn=None, output_attention=True,
                 initial_cell_state=None, name=None, attention_layer=None,
                 attention_fn=None, dtype=None):
        super(AttentionWrapper, self).__init__(name=name, dtype=dtype)
        assert_like_rnncell('cell', cell)
        self._is_multi = isinstance(attention_mechanism, (list, tuple))
        attention_mechanisms = (tuple(attention_mechanism) if self._is_multi
                                else (attention_mechanism,))
        for mechanism in attention_mechanisms:
            if not isinstance(mechanism, AttentionMechanism):
                raise TypeError('attention_mechanism must be an AttentionMechanism or list of '
                                'multiple AttentionMechanism instances, saw type: %s'
                                % type(mechanism).__name__)
        if cell_input_fn is None:
            cell_input_fn = lambda inputs, attention: tf.concat([inputs, attention], -1)
        elif not callable(cell_input_fn):
            raise TypeError('cell_input_fn must be callable, saw type: %s'
                            % type(cell_input_fn).__name__)
        if attention_layer_size is not None and attention_layer is not None:
            raise ValueError('Only one of attention_layer_size and attention_layer should '
                             'be set')
        if attention_layer_size is not None:
            sizes = tuple(attention_layer_size if isinstance(attention_layer_size,
                                                             (list, tuple))
                          else (attention_layer_size,))
            if len(sizes) != len(attention_mechanisms):
                raise ValueError('If provided, attention_layer_size must contain exactly one '
                                 'integer per attention_mechanism, saw: %d vs %d'
                                 % (len(sizes), len(attention_mechanisms)))
            self._attention_layers = tuple(
                Dense(size, name='attention_layer', use_bias=False, dtype=mechanism.dtype)
                for size, mechanism in zip(sizes, attention_mechanisms))
            self._attention_layer_size = sum(sizes)
        elif attention_layer is not None:
            self._attention_layers = tuple(attention_layer if isinstance(
                attention_layer, (list, tuple)) else (attention_layer,))
            if len(self._attention_layers) != len(attention_mechanisms):
                raise ValueError('If provided, attention_layer must contain exactly one layer '
                                 'per attention_mechanism, saw: %d vs %d'
                                 % (len(self._attention_layers), len(attention_mechanisms)))
            self._attention_layer_size = sum(
                tf.compat.dimension_value(layer.compute_output_shape(
                    [None, cell.output_size +
                     tf.compat.dimension_value(mechanism.values.shape[-1])])[-1])
                for layer, mechanism in zip(self._attention_layers, attention_mechanisms))
        else:
            self._attention_layers = None
            self._attention_layer_size = sum(
                tf.compat.dimension_value(mechanism.values.shape[-1])
                for mechanism in attention_mechanisms)
        self._attention_fn = attention_fn or _compute_attention
        self._cell = cell
        self._attention_mechanisms = attention_mechanisms
        self._cell_input_fn = cell_input_fn
        self._output_attention = output_attention
        self._alignment_history = alignment_history
        with tf.name_scope(name, 'AttentionWrapperInit'):
            self._initial_cell_state = None
            if initial_cell_state is not None:
                last = tf.nest.flatten(initial_cell_state)[-1]
                state_batch_size = (tf.compat.dimension_value(last.shape[0])
                                    or tf.shape(last)[0])
                with tf.control_dependencies(self._batch_size_checks(
                        state_batch_size,
                        'When constructing AttentionWrapper %s: Non-matching batch sizes '
                        'between the memory (encoder output) and initial_cell_state.  Are you '
                        'using the BeamSearchDecoder?  You may need to tile your initial '
                        'state via the tf.contrib.seq2seq.tile_batch function with argument '
                        'multiple=beam_width.' % self.name)):
                    self._initial_cell_state = tf.nest.map_structure(
                        lambda s: tf.identity(s, name='check_initial_cell_state'),
                        initial_cell_state)

    def _batch_size_checks(self, batch_size, error_message):
        return [tf.assert_equal(batch_size, mechanism.batch_size, message=error_message)
                for mechanism in self._attention_mechanisms]

    def _item_or_tuple(self, seq):
        """A tuple when the mechanisms were given as a list, else the one item."""
        items = tuple(seq)
        return items if self._is_multi else items[0]

    @property
    def output_size(self):
        return self._attention_layer_size if self._output_attention else self._cell.output_size

    @property
    def state_size(self):
        return AttentionWrapperState(
            cell_state=self._cell.state_size, time=tf.TensorShape([]),
            attention=self._attention_layer_size,
            alignments=self._item_or_tuple(
                a.alignments_size for a in self._attention_mechanisms),
            attention_state=self._item_or_tuple(
                a.state_size for a in self._attention_mechanisms),
            alignment_history=self._item_or_tuple(
                a.alignments_size if self._alignment_history else ()
                for a in self._attention_mechanisms))

    def zero_state(self, batch_size, dtype):
        """The first state: the cell's zero (or `initial_cell_state`), zero attention and
        alignments, empty histories. `batch_size` must be the memory's."""
        with tf.name_scope(type(self).__name__ + 'ZeroState', values=[batch_size]):
            if self._initial_cell_state is not None:
                cell_state = self._initial_cell_state
            elif hasattr(self._cell, 'zero_state'):
                cell_state = self._cell.zero_state(batch_size, dtype)
            else:
                cell_state = self._cell.get_initial_state(batch_size=batch_size, dtype=dtype)
            with tf.control_dependencies(self._batch_size_checks(
                    batch_size, 'When calling zero_state of AttentionWrapper %s: '
                    'Non-matching batch sizes between the memory (encoder output) and the '
                    'requested batch size.  Are you using the BeamSearchDecoder?  If so, make '
                    'sure your encoder output has been tiled to beam_width via '
                    'tf.contrib.seq2seq.tile_batch, and the batch_size= argument passed to '
                    'zero_state is batch_size * beam_width.' % self.name)):
                cell_state = tf.nest.map_structure(
                    lambda s: tf.identity(s, name='checked_cell_state'), cell_state)
            initial_alignments = [mechanism.initial_alignments(batch_size, dtype)
                                  for mechanism in self._attention_mechanisms]
            return AttentionWrapperState(
                cell_state=cell_state, time=tf.zeros([], dtype=tf.int32),
                attention=zeros(self._attention_layer_size, batch_size, dtype),
                alignments=self._item_or_tuple(initial_alignments),
                attention_state=self._item_or_tuple(
                    mechanism.initial_state(batch_size, dtype)
                    for mechanism in self._attention_mechanisms),
                alignment_history=self._item_or_tuple(
                    tf.TensorArray(dtype, size=0, dynamic_size=True,
                                   element_shape=alignment.shape)
                    if self._alignment_history else () for alignment in initial_alignments))

    def call(self, inputs, state):
        if not isinstance(state, AttentionWrapperState):
            raise TypeError('Expected state to be instance of AttentionWrapperState. '
                            'Received type %s instead.' % type(state))
        cell_inputs = self._cell_input_fn(inputs, state.attention)
        cell_output, next_cell_state = self._cell(cell_inputs, state.cell_state)
        cell_batch_size = (tf.compat.dimension_value(cell_output.shape[0])
                           or tf.shape(cell_output)[0])
        with tf.control_dependencies(self._batch_size_checks(
                cell_batch_size, 'When applying AttentionWrapper %s: Non-matching batch '
                'sizes between the memory (encoder output) and the query (decoder output).  '
                'Are you using the BeamSearchDecoder?  You may need to tile your memory '
                'input via the tf.contrib.seq2seq.tile_batch function with argument '
                'multiple=beam_width.' % self.name)):
            cell_output = tf.identity(cell_output, name='checked_cell_output')
        previous_attention_state = (state.attention_state if self._is_multi
                                    else [state.attention_state])
        previous_alignment_history = (state.alignment_history if self._is_multi
                                      else [state.alignment_history])
        alignments, attentions, attention_states, histories = [], [], [], []
        for i, mechanism in enumerate(self._attention_mechanisms):
            attention, alignment, next_attention_state = self._attention_fn(
                mechanism, cell_output, previous_attention_state[i],
                self._attention_layers[i] if self._attention_layers else None)
            histories.append(previous_alignment_history[i].write(state.time, alignment)
                             if self._alignment_history else ())
            attention_states.append(next_attention_state)
            alignments.append(alignment)
            attentions.append(attention)
        attention = tf.concat(attentions, 1)
        next_state = AttentionWrapperState(
            time=state.time + 1, cell_state=next_cell_state, attention=attention,
            attention_state=self._item_or_tuple(attention_states),
            alignments=self._item_or_tuple(alignments),
            alignment_history=self._item_or_tuple(histories))
        return (attention if self._output_attention else cell_output), next_state
