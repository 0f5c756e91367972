"""BasicDecoder: an RNN cell stepped by a Helper, which says what each step reads and
when a sequence is finished (TF 1.15's contrib/seq2seq/python/ops/basic_decoder.py)."""
import collections

import tensorflow.compat.v1 as tf

from tf1.contrib_seq2seq.decoder import Decoder
from tf1.contrib_seq2seq.helper import Helper
from tf1.rnn_cell.base import assert_like_rnncell
from tf1.layers.base import Layer

__all__ = ['BasicDecoder', 'BasicDecoderOutput']


class BasicDecoderOutput(collections.namedtuple('BasicDecoderOutput',
                                                ('rnn_output', 'sample_id'))):
    """A step's output: the cell's (through the output layer, if any) and the sampled id."""


def rnn_output_size(cell, output_layer):
    """The size of `output_layer(cell's output)`, without the batch (the cell's own
    without an output layer)."""
    size = cell.output_size
    if output_layer is None:
        return size
    shapes = tf.nest.map_structure(lambda s: tf.TensorShape([None]).concatenate(s), size)
    return tf.nest.map_structure(lambda s: s[1:], output_layer.compute_output_shape(shapes))


class BasicDecoder(Decoder):
    """Each step runs `cell` on the helper's inputs, then `output_layer` (e.g. a
    tf.layers.Dense to the vocabulary's logits) on its output; the helper samples from
    that and gives the next inputs."""

    def __init__(self, cell, helper, initial_state, output_layer=None):
        assert_like_rnncell('cell', cell)
        if not isinstance(helper, Helper):
            raise TypeError('helper must be a Helper, received: %s' % type(helper))
        if output_layer is not None and not isinstance(output_layer, Layer):
            raise TypeError('output_layer must be a Layer, received: %s' % type(output_layer))
        self._cell = cell
        self._helper = helper
        self._initial_state = initial_state
        self._output_layer = output_layer

    @property
    def batch_size(self):
        return self._helper.batch_size

    def _rnn_output_size(self):
        return rnn_output_size(self._cell, self._output_layer)

    @property
    def output_size(self):
        return BasicDecoderOutput(rnn_output=self._rnn_output_size(),
                                  sample_id=self._helper.sample_ids_shape)

    @property
    def output_dtype(self):
        dtype = tf.nest.flatten(self._initial_state)[0].dtype
        return BasicDecoderOutput(
            tf.nest.map_structure(lambda _: dtype, self._rnn_output_size()),
            self._helper.sample_ids_dtype)

    def initialize(self, name=None):
        """(finished, first inputs, initial state)."""
        return self._helper.initialize() + (self._initial_state,)

    def step(self, time, inputs, state, name=None):
        """(BasicDecoderOutput, next state, next inputs, finished)."""
        with tf.name_scope(name, 'BasicDecoderStep', (time, inputs, state)):
            cell_outputs, cell_state = self._cell(inputs, state)
            if self._output_layer is not None:
                cell_outputs = self._output_layer(cell_outputs)
            sample_ids = self._helper.sample(time=time, outputs=cell_outputs,
                                             state=cell_state)
            finished, next_inputs, next_state = self._helper.next_inputs(
                time=time, outputs=cell_outputs, state=cell_state, sample_ids=sample_ids)
        return BasicDecoderOutput(cell_outputs, sample_ids), next_state, next_inputs, finished
