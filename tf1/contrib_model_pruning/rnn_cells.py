"""model_pruning's LSTM cells (TF 1.15's contrib/model_pruning/python/layers/rnn_cells.py):
BasicLSTMCell and LSTMCell whose gate kernel is multiplied by a mask at each step, with
`mask` and `threshold` beside `kernel` (the projection is not masked)."""
from tf1.contrib_model_pruning import core_layers
from tf1.rnn_cell import lstm


class _MaskedKernel:
    """An LSTM cell stepping with its kernel times its mask."""

    def build(self, inputs_shape):
        super().build(inputs_shape)
        self._mask, self._threshold, self._masked_kernel = core_layers.add_mask(
            self, self._kernel)

    def call(self, inputs, state):
        return self._step(inputs, state, self._masked_kernel)


class MaskedBasicLSTMCell(_MaskedKernel, lstm.BasicLSTMCell):
    """BasicLSTMCell with a masked kernel."""


class MaskedLSTMCell(_MaskedKernel, lstm.LSTMCell):
    """LSTMCell with a masked kernel (not the projection's)."""
