"""The names of tf1's recurrent API (all of them tf1/rnn_cell/'s), which tf1/api.py places in
tf.nn, tf.contrib.rnn and their TF 1.x module paths, and tf1/api_internals.py in
rnn_cell_impl."""
from tf1.namespace import Lazy

# TF 1.x's tf.nn.rnn_cell, the cells contrib.rnn added, and the recurrent loops (tf.nn has
# all four, tf.contrib.rnn the two static ones and its stacked bidirectional ones): all in
# tf1/rnn_cell/.
RNN_CELLS = ('RNNCell', 'BasicRNNCell', 'GRUCell', 'LSTMCell', 'BasicLSTMCell', 'LSTMStateTuple',
             'MultiRNNCell', 'DropoutWrapper', 'ResidualWrapper', 'DeviceWrapper')
CONTRIB_RNN_CELLS = ('LayerRNNCell', 'LSTMBlockCell', 'GRUBlockCellV2', 'OutputProjectionWrapper',
                     'InputProjectionWrapper', 'EmbeddingWrapper', 'LayerNormBasicLSTMCell',
                     'NASCell', 'UGRNNCell', 'IntersectionRNNCell', 'GRUBlockCell',
                     'LSTMBlockFusedCell', 'LSTMBlockWrapper', 'TimeReversedFusedRNN',
                     'FusedRNNCellAdaptor', 'FusedRNNCell', 'ConvLSTMCell', 'Conv1DLSTMCell',
                     'Conv2DLSTMCell', 'Conv3DLSTMCell', 'AttentionCellWrapper', 'HighwayWrapper',
                     'CompiledWrapper', 'CoupledInputForgetGateLSTMCell', 'LayerNormLSTMCell',
                     'WeightNormLSTMCell', 'GLSTMCell', 'PhasedLSTMCell', 'IndRNNCell',
                     'IndyGRUCell', 'IndyLSTMCell', 'SRUCell', 'MinimalRNNCell', 'CFNCell',
                     'TimeFreqLSTMCell', 'GridLSTMCell', 'BidirectionalGridLSTMCell', 'NTMCell')
# The private helpers of TF 1.x's cell modules that custom cells imported.
RNN_PRIVATE = {'_linear': Lazy('tf1.rnn_cell.projection:linear'),
               '_Linear': Lazy('tf1.rnn_cell.projection:Linear'),
               '_LayerRNNCell': Lazy('tf1.rnn_cell:LayerRNNCell'),  # TF 1.4's name for it
               **{'_' + name: Lazy('tf1.rnn_cell.private:' + name)
                  for name in ('state_size_with_prefix', 'like_rnncell')},
               'assert_like_rnncell': Lazy('tf1.rnn_cell.base:assert_like_rnncell'),
               'ASSERT_LIKE_RNNCELL_ERROR_REGEXP': Lazy(
                   'tf1.rnn_cell.base:ASSERT_LIKE_RNNCELL_ERROR_REGEXP')}
RNN_FUNCTIONS = ('static_rnn', 'static_bidirectional_rnn', 'dynamic_rnn',
                 'bidirectional_dynamic_rnn')
CONTRIB_RNN_FUNCTIONS = ('stack_bidirectional_rnn', 'stack_bidirectional_dynamic_rnn')
