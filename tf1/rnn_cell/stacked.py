"""tf.contrib.rnn's stacked bidirectional RNNs, as TF 1.x's contrib/rnn/python/ops/rnn.py
built them (Graves et al. 2013): layer i is a bidirectional RNN in the variable scope
`stack_bidirectional_rnn/cell_i`, fed the depth-concatenated forward and backward outputs
of layer i - 1. Same variable names as TF 1.x, so checkpoints move both ways."""
import tensorflow.compat.v1 as tf

__all__ = ['stack_bidirectional_dynamic_rnn', 'stack_bidirectional_rnn']


def _check_layers(cells_fw, cells_bw, initial_states_fw, initial_states_bw):
    """TF 1.x's errors for cells and initial states that do not pair up, one per layer."""
    if not cells_fw:
        raise ValueError('Must specify at least one fw cell for BidirectionalRNN.')
    if not cells_bw:
        raise ValueError('Must specify at least one bw cell for BidirectionalRNN.')
    if not isinstance(cells_fw, list):
        raise ValueError('cells_fw must be a list of RNNCells (one per layer).')
    if not isinstance(cells_bw, list):
        raise ValueError('cells_bw must be a list of RNNCells (one per layer).')
    if len(cells_fw) != len(cells_bw):
        raise ValueError('Forward and Backward cells must have the same depth.')
    for direction, states in (('fw', initial_states_fw), ('bw', initial_states_bw)):
        if states is not None and (not isinstance(states, list)
                                   or len(states) != len(cells_fw)):
            raise ValueError('initial_states_%s must be a list of state tensors (one per '
                             'layer).' % direction)


def _stack(cells_fw, cells_bw, inputs, initial_states_fw, initial_states_bw, scope,
           bidirectional_layer):
    """Runs `bidirectional_layer(cell_fw, cell_bw, inputs, initial_fw, initial_bw,
    cell_scope)` -> (outputs, state_fw, state_bw) for each layer in its scope, each on the
    outputs of the one before: (the last outputs, forward states, backward states)."""
    _check_layers(cells_fw, cells_bw, initial_states_fw, initial_states_bw)
    states_fw, states_bw = [], []
    with tf.variable_scope(scope or 'stack_bidirectional_rnn'):
        for i, (cell_fw, cell_bw) in enumerate(zip(cells_fw, cells_bw)):
            with tf.variable_scope('cell_%d' % i) as cell_scope:
                inputs, state_fw, state_bw = bidirectional_layer(
                    cell_fw, cell_bw, inputs,
                    initial_states_fw[i] if initial_states_fw else None,
                    initial_states_bw[i] if initial_states_bw else None, cell_scope)
            states_fw.append(state_fw)
            states_bw.append(state_bw)
    return inputs, tuple(states_fw), tuple(states_bw)


def stack_bidirectional_rnn(cells_fw, cells_bw, inputs, initial_states_fw=None,
                            initial_states_bw=None, dtype=None, sequence_length=None,
                            scope=None):
    """(outputs: a list of T [batch, fw + bw depth] tensors, the forward states one per
    layer, the backward states one per layer), over `inputs`, a list of T tensors."""
    def layer(cell_fw, cell_bw, inputs, initial_fw, initial_bw, cell_scope):
        return tf.nn.static_bidirectional_rnn(
            cell_fw, cell_bw, inputs, initial_state_fw=initial_fw,
            initial_state_bw=initial_bw, sequence_length=sequence_length, dtype=dtype,
            scope=cell_scope)
    return _stack(cells_fw, cells_bw, inputs, initial_states_fw, initial_states_bw, scope,
                  layer)


def stack_bidirectional_dynamic_rnn(cells_fw, cells_bw, inputs, initial_states_fw=None,
                                    initial_states_bw=None, dtype=None,
                                    sequence_length=None, parallel_iterations=None,
                                    time_major=False, scope=None, swap_memory=False):
    """(outputs: [batch, time, fw + bw depth] — [time, batch, ...] when `time_major` —, the
    forward states one per layer, the backward states one per layer)."""
    def layer(cell_fw, cell_bw, inputs, initial_fw, initial_bw, unused_cell_scope):
        # In TF 1.x's default scope, bidirectional_rnn/, under the layer's scope.
        outputs, (state_fw, state_bw) = tf.nn.bidirectional_dynamic_rnn(
            cell_fw, cell_bw, inputs, initial_state_fw=initial_fw,
            initial_state_bw=initial_bw, sequence_length=sequence_length,
            parallel_iterations=parallel_iterations, dtype=dtype, time_major=time_major,
            swap_memory=swap_memory)
        return tf.concat(outputs, 2), state_fw, state_bw  # depth is last either way
    return _stack(cells_fw, cells_bw, inputs, initial_states_fw, initial_states_bw, scope,
                  layer)
