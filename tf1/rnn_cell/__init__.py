"""TF 1.x's recurrent cells (`tf.nn.rnn_cell`, and their kin in `tf.contrib.rnn`) without Keras.

TensorFlow 2.21 ships with Keras 3, and every class under `tf.compat.v1.nn.rnn_cell` now
raises "not available with Keras 3": TF 1.x built its cells on Keras 2 layers. This module
rebuilds them from plain TensorFlow ops and variable scopes, so TF 1.x code runs as written:

    cells = [tf.nn.rnn_cell.LSTMCell(64) for _ in range(2)]
    outputs, state = tf.nn.dynamic_rnn(tf.nn.rnn_cell.MultiRNNCell(cells), inputs,
                                       sequence_length=lengths, dtype=tf.float32)

Every cell makes the variables TF 1.x made (same names, shapes, dtypes and initialisers,
e.g. `rnn/multi_rnn_cell/cell_0/lstm_cell/kernel`) and computes the same function from
them, so a checkpoint written by TF 1.x restores here and the other way round. A cell's
variables live in its own variable scope, fixed on its first call the way TF 1.x fixed it
(a second cell of a kind in one scope gets `lstm_cell_1`), and later calls of the same cell
reuse them.

The loops that run the cells (`static_rnn`, `dynamic_rnn` and their bidirectional forms)
are TensorFlow's own, still in `tf.compat.v1.nn`: they only need an object with
`state_size`, `output_size`, `zero_state` and `__call__`.

An argument TF 1.x took and these cells cannot honour raises a one-line error that names
it and says what to do instead.

base.py holds RNNCell and the simple cells (BasicRNNCell, GRUCell), lstm.py the LSTM
cells and their state, wrappers.py MultiRNNCell and the wrappers (dropout, residual,
device), as TF 1.x's rnn_cell_impl.py had them; projection.py contrib.rnn's projection
and embedding wrappers; contrib_cells.py its NAS, UGRNN and Intersection cells; stacked.py
its stacked bidirectional RNNs; fused.py its fused RNNs and first GRUBlockCell; conv_lstm.py
its convolutional LSTMs; attention.py its AttentionCellWrapper; contrib_lstm.py its LSTM
variants (coupled gates, layer and weight normalisation, groups, phased); elementwise.py its
independently recurrent and SRU, MinimalRNN and CFN cells; grid_lstm.py its time-frequency
and grid LSTMs; ntm.py its Neural Turing Machine; cudnn.py contrib.cudnn_rnn's CPU cells;
arguments.py the activations and initializers the cells take by name; state_zeros.py
the zero states, op for op as TF 1.x made them.
"""
import tensorflow.compat.v1 as tf

from tf1.rnn_cell.base import BasicRNNCell, GRUBlockCellV2, GRUCell, LayerRNNCell, RNNCell
from tf1.rnn_cell.contrib_cells import IntersectionRNNCell, NASCell, UGRNNCell
from tf1.rnn_cell.contrib_lstm import (CoupledInputForgetGateLSTMCell, GLSTMCell,
                                       LayerNormLSTMCell, PhasedLSTMCell, WeightNormLSTMCell)
from tf1.rnn_cell.attention import AttentionCellWrapper
from tf1.rnn_cell.conv_lstm import Conv1DLSTMCell, Conv2DLSTMCell, Conv3DLSTMCell, ConvLSTMCell
from tf1.rnn_cell.cudnn import CudnnCompatibleGRUCell, CudnnCompatibleLSTMCell
from tf1.rnn_cell.elementwise import (CFNCell, IndRNNCell, IndyGRUCell, IndyLSTMCell,
                                      MinimalRNNCell, SRUCell)
from tf1.rnn_cell.fused import (FusedRNNCell, FusedRNNCellAdaptor, GRUBlockCell,
                                LSTMBlockFusedCell, LSTMBlockWrapper, TimeReversedFusedRNN)
from tf1.rnn_cell.grid_lstm import BidirectionalGridLSTMCell, GridLSTMCell, TimeFreqLSTMCell
from tf1.rnn_cell.lstm import (BasicLSTMCell, LayerNormBasicLSTMCell, LSTMBlockCell, LSTMCell,
                               LSTMStateTuple)
from tf1.rnn_cell.ntm import NTMCell, NTMControllerState
from tf1.rnn_cell.projection import (EmbeddingWrapper, InputProjectionWrapper,
                                     OutputProjectionWrapper)
from tf1.rnn_cell.stacked import stack_bidirectional_dynamic_rnn, stack_bidirectional_rnn
from tf1.rnn_cell.wrappers import (CompiledWrapper, DeviceWrapper, DropoutWrapper, HighwayWrapper,
                                   MultiRNNCell, ResidualWrapper)

__all__ = [
    'RNNCell', 'LayerRNNCell', 'BasicRNNCell', 'GRUCell', 'LSTMCell', 'BasicLSTMCell',
    'LSTMStateTuple', 'MultiRNNCell', 'DropoutWrapper', 'ResidualWrapper', 'DeviceWrapper',
    'LSTMBlockCell', 'GRUBlockCellV2', 'OutputProjectionWrapper', 'InputProjectionWrapper',
    'EmbeddingWrapper', 'LayerNormBasicLSTMCell', 'NASCell', 'UGRNNCell', 'IntersectionRNNCell',
    'GRUBlockCell', 'LSTMBlockFusedCell', 'LSTMBlockWrapper', 'TimeReversedFusedRNN',
    'FusedRNNCellAdaptor', 'FusedRNNCell',
    'ConvLSTMCell', 'Conv1DLSTMCell', 'Conv2DLSTMCell', 'Conv3DLSTMCell',
    'AttentionCellWrapper', 'HighwayWrapper', 'CompiledWrapper', 'CudnnCompatibleLSTMCell',
    'CudnnCompatibleGRUCell', 'CoupledInputForgetGateLSTMCell', 'LayerNormLSTMCell',
    'WeightNormLSTMCell', 'GLSTMCell', 'PhasedLSTMCell', 'IndRNNCell', 'IndyGRUCell',
    'IndyLSTMCell', 'SRUCell', 'MinimalRNNCell', 'CFNCell', 'TimeFreqLSTMCell', 'GridLSTMCell',
    'BidirectionalGridLSTMCell', 'NTMCell', 'NTMControllerState',
    'static_rnn', 'static_bidirectional_rnn', 'dynamic_rnn', 'bidirectional_dynamic_rnn',
    'stack_bidirectional_rnn', 'stack_bidirectional_dynamic_rnn',
]

# TensorFlow's own loops: they work with any object shaped like a cell.
static_rnn = tf.nn.static_rnn
static_bidirectional_rnn = tf.nn.static_bidirectional_rnn
dynamic_rnn = tf.nn.dynamic_rnn
bidirectional_dynamic_rnn = tf.nn.bidirectional_dynamic_rnn
