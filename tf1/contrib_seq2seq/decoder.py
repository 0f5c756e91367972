"""The decoder interface and dynamic_decode, the tf.while_loop that runs a decoder until
every sequence of the batch is finished (TF 1.15's contrib/seq2seq/python/ops/decoder.py)."""
import abc

import tensorflow.compat.v1 as tf
from tensorflow.python.ops import control_flow_util
from tensorflow.python.ops.rnn import _transpose_batch_time

from tf1.rnn_cell.state_zeros import zeros

__all__ = ['Decoder', 'dynamic_decode']


class Decoder(abc.ABC):
    """What dynamic_decode runs: initialize() once, step() at each time, finalize() at the
    end. `inputs` and `state` are (structures of) tensors or TensorArrays; `finished` is a
    bool tensor [batch]; `outputs` is a structure like BasicDecoderOutput."""

    @property
    def batch_size(self):
        """The batch size of the inputs."""
        raise NotImplementedError

    @property
    def output_size(self):
        """A (structure of) int or TensorShape: each output's size, without the batch."""
        raise NotImplementedError

    @property
    def output_dtype(self):
        """A (structure of) dtype, like output_size."""
        raise NotImplementedError

    @abc.abstractmethod
    def initialize(self, name=None):
        """(finished, initial inputs, initial state)."""

    @abc.abstractmethod
    def step(self, time, inputs, state, name=None):
        """(outputs, next state, next inputs, finished) of one step."""

    def finalize(self, outputs, final_state, sequence_lengths):
        """(final outputs, final state) from all steps' outputs; optional."""
        raise NotImplementedError

    @property
    def tracks_own_finished(self):
        """True when step()'s `finished` already includes the earlier steps' (a decoder
        that reorders the batch between steps, as beam search does)."""
        return False


def dynamic_decode(decoder, output_time_major=False, impute_finished=False,
                   maximum_iterations=None, parallel_iterations=32, swap_memory=False,
                   scope=None):
    """Runs `decoder` until every sequence is finished, or for `maximum_iterations` steps:
    (final outputs [batch, time, ...] (time-major with output_time_major), final state,
    each sequence's length). With impute_finished, a finished sequence's outputs are
    zeros and its state is copied through (right final states; no gradient past its
    end)."""
    if not isinstance(decoder, Decoder):
        raise TypeError('Expected decoder to be type Decoder, but saw: %s' % type(decoder))

    with tf.variable_scope(scope, 'decoder') as varscope:
        context = tf.get_default_graph()._get_control_flow_context()  # as TF 1.x read it
        is_xla = control_flow_util.GetContainingXLAContext(context) is not None
        in_while_loop = control_flow_util.GetContainingWhileContext(context) is not None
        # Read each variable once per step, not once per use inside the loop; not when the
        # decoder itself runs inside a loop (a training loop would read stale weights).
        if not in_while_loop and varscope.caching_device is None:
            varscope.set_caching_device(lambda op: op.device)

        if maximum_iterations is not None:
            maximum_iterations = tf.convert_to_tensor(maximum_iterations, dtype=tf.int32,
                                                      name='maximum_iterations')
            if maximum_iterations.get_shape().ndims != 0:
                raise ValueError('maximum_iterations must be a scalar')

        initial_finished, initial_inputs, initial_state = decoder.initialize()
        zero_outputs = tf.nest.map_structure(
            lambda size, dtype: zeros(size, decoder.batch_size, dtype),
            decoder.output_size, decoder.output_dtype)
        if is_xla and maximum_iterations is None:
            raise ValueError('maximum_iterations is required for XLA compilation.')
        if maximum_iterations is not None:
            initial_finished = tf.logical_or(initial_finished, 0 >= maximum_iterations)
        initial_sequence_lengths = tf.zeros_like(initial_finished, dtype=tf.int32)
        initial_time = tf.constant(0, dtype=tf.int32)

        def element_shape(size):
            if not isinstance(size, tf.TensorShape) or size.ndims == 0:
                return tf.TensorShape(None)
            batch_size = tf.get_static_value(
                tf.convert_to_tensor(decoder.batch_size, name='batch_size'))
            return tf.TensorShape([batch_size]).concatenate(size)

        dynamic_size = maximum_iterations is None or not is_xla
        initial_outputs_ta = tf.nest.map_structure(
            lambda size, dtype: tf.TensorArray(
                dtype=dtype, size=0 if dynamic_size else maximum_iterations,
                dynamic_size=dynamic_size, element_shape=element_shape(size)),
            decoder.output_size, decoder.output_dtype)

        def condition(time, outputs_ta, state, inputs, finished, sequence_lengths):
            return tf.logical_not(tf.reduce_all(finished))

        def body(time, outputs_ta, state, inputs, finished, sequence_lengths):
            next_outputs, decoder_state, next_inputs, decoder_finished = decoder.step(
                time, inputs, state)
            if decoder.tracks_own_finished:
                next_finished = decoder_finished
            else:
                next_finished = tf.logical_or(decoder_finished, finished)
            next_sequence_lengths = tf.where(
                tf.logical_not(finished), tf.fill(tf.shape(sequence_lengths), time + 1),
                sequence_lengths)
            tf.nest.assert_same_structure(state, decoder_state)
            tf.nest.assert_same_structure(outputs_ta, next_outputs)
            tf.nest.assert_same_structure(inputs, next_inputs)

            if impute_finished:  # zeros past a sequence's end; its state copied through
                emit = tf.nest.map_structure(lambda out, zero: tf.where(finished, zero, out),
                                             next_outputs, zero_outputs)

                def copied_through(new, current):
                    if isinstance(current, tf.TensorArray):
                        return new
                    new.set_shape(current.shape)
                    return new if new.shape.ndims == 0 else tf.where(finished, current, new)

                next_state = tf.nest.map_structure(copied_through, decoder_state, state)
            else:
                emit, next_state = next_outputs, decoder_state
            outputs_ta = tf.nest.map_structure(lambda ta, out: ta.write(time, out),
                                               outputs_ta, emit)
            return (time + 1, outputs_ta, next_state, next_inputs, next_finished,
                    next_sequence_lengths)

        result = tf.while_loop(
            condition, body,
            loop_vars=(initial_time, initial_outputs_ta, initial_state, initial_inputs,
                       initial_finished, initial_sequence_lengths),
            parallel_iterations=parallel_iterations, maximum_iterations=maximum_iterations,
            swap_memory=swap_memory)
        final_state, final_sequence_lengths = result[2], result[5]
        final_outputs = tf.nest.map_structure(lambda ta: ta.stack(), result[1])
        try:
            final_outputs, final_state = decoder.finalize(final_outputs, final_state,
                                                          final_sequence_lengths)
        except NotImplementedError:
            pass
        if not output_time_major:
            final_outputs = tf.nest.map_structure(_transpose_batch_time, final_outputs)
    return final_outputs, final_state, final_sequence_lengths
