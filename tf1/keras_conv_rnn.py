"""Keras 2.2's two-dimensional convolutional recurrent classes, which tf_keras made of any
rank and left out of its API: `keras.layers.ConvRNN2D(cell)`, the layer custom convolutional
cells run in (the ConvGRU2D layers of the time subclassed it), and `ConvLSTM2DCell`, the
cell of ConvLSTM2D. Each is tf_keras's class at rank 2, with Keras 2.2's signature."""
from tf_keras.src.layers.rnn.base_conv_lstm import ConvLSTMCell
from tf_keras.src.layers.rnn.base_conv_rnn import ConvRNN
from tf_keras.src.saving.object_registration import get_custom_objects


class ConvRNN2D(ConvRNN):
    def __init__(self, cell, return_sequences=False, return_state=False, go_backwards=False,
                 stateful=False, unroll=False, **kwargs):
        super().__init__(2, cell, return_sequences, return_state, go_backwards, stateful,
                         unroll, **kwargs)

    @classmethod
    def from_config(cls, config, custom_objects=None):
        layer = super().from_config(config, custom_objects)
        # RNN's from_config counts no constants as 0, which ConvRNN's build takes for a
        # count (a tf_keras bug its own ConvLSTM2D, rebuilt otherwise, never meets).
        layer._num_constants = layer._num_constants or None
        return layer


class ConvLSTM2DCell(ConvLSTMCell):
    def __init__(self, filters, kernel_size, **kwargs):
        super().__init__(2, filters, kernel_size, **kwargs)


get_custom_objects().update(ConvRNN2D=ConvRNN2D, ConvLSTM2DCell=ConvLSTM2DCell)  # load_model
