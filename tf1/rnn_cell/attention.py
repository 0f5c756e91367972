"""contrib.rnn's AttentionCellWrapper (TF 1.15's, ported; Cheng et al. 2016, "Long
Short-Term Memory-Networks for Machine Reading"): the wrapped cell attends over its own
last `attn_length` outputs. Its variables are TF 1.x's, in its scope
(`attention_cell_wrapper/`): the input projection `kernel`/`bias`, the wrapped cell's,
`attention/attn_w`, `attn_v`, `kernel`, `bias`, and `attn_output_projection/`."""
import tensorflow.compat.v1 as tf

from tf1.rnn_cell.base import RNNCell
from tf1.rnn_cell.projection import _CellAround, linear


class AttentionCellWrapper(_CellAround):
    """`cell` with attention over a window of its last attn_length outputs; its state is
    (cell's state, attention [attn_size], the window [attn_size * attn_length])."""

    def __init__(self, cell, attn_length, attn_size=None, attn_vec_size=None, input_size=None,
                 state_is_tuple=True, reuse=None):
        super(AttentionCellWrapper, self).__init__(cell, reuse=reuse)
        if tf.nest.is_nested(cell.state_size) and not state_is_tuple:
            raise ValueError('Cell returns tuple of states, but the flag state_is_tuple is '
                             'not set. State size is: %s' % str(cell.state_size))
        if attn_length <= 0:
            raise ValueError('attn_length should be greater than zero, got %s'
                             % str(attn_length))
        if not state_is_tuple:
            tf.logging.warn('%s: Using a concatenated state is slower and will soon be '
                            'deprecated.  Use state_is_tuple=True.', self)
        self._attn_size = attn_size if attn_size is not None else cell.output_size
        self._attn_vec_size = attn_vec_size if attn_vec_size is not None else self._attn_size
        self._state_is_tuple = state_is_tuple
        self._input_size = input_size
        self._attn_length = attn_length

    @property
    def state_size(self):
        size = (self._cell.state_size, self._attn_size, self._attn_size * self._attn_length)
        return size if self._state_is_tuple else sum(list(size))

    @property
    def output_size(self):
        return self._attn_size

    def zero_state(self, batch_size, dtype):
        return RNNCell.zero_state(self, batch_size, dtype)  # the whole state: zeros

    def call(self, inputs, state):
        if self._state_is_tuple:
            state, attns, attn_states = state
        else:
            states, cell_size = state, self._cell.state_size
            state = tf.slice(states, [0, 0], [-1, cell_size])
            attns = tf.slice(states, [0, cell_size], [-1, self._attn_size])
            attn_states = tf.slice(states, [0, cell_size + self._attn_size],
                                   [-1, self._attn_size * self._attn_length])
        attn_states = tf.reshape(attn_states, [-1, self._attn_length, self._attn_size])
        input_size = self._input_size or inputs.get_shape().as_list()[1]
        inputs = linear([inputs, attns], input_size)
        cell_output, new_state = self._cell(inputs, state)
        new_state_cat = (tf.concat(tf.nest.flatten(new_state), 1) if self._state_is_tuple
                         else new_state)
        new_attns, new_attn_states = self._attention(new_state_cat, attn_states)
        with tf.variable_scope('attn_output_projection'):
            output = linear([cell_output, new_attns], self._attn_size)
        new_attn_states = tf.reshape(tf.concat([new_attn_states, tf.expand_dims(output, 1)], 1),
                                     [-1, self._attn_length * self._attn_size])
        new_state = (new_state, new_attns, new_attn_states)
        if not self._state_is_tuple:
            new_state = tf.concat(list(new_state), 1)
        return output, new_state

    def _attention(self, query, attn_states):
        """(the attention-weighted sum of the window, the window less its oldest entry)."""
        with tf.variable_scope('attention'):
            k = tf.get_variable('attn_w', [1, 1, self._attn_size, self._attn_vec_size])
            v = tf.get_variable('attn_v', [self._attn_vec_size])
            hidden = tf.reshape(attn_states, [-1, self._attn_length, 1, self._attn_size])
            hidden_features = tf.nn.conv2d(hidden, k, [1, 1, 1, 1], 'SAME')
            y = tf.reshape(linear(query, self._attn_vec_size), [-1, 1, 1, self._attn_vec_size])
            s = tf.reduce_sum(v * tf.tanh(hidden_features + y), [2, 3])
            a = tf.nn.softmax(s)
            d = tf.reduce_sum(tf.reshape(a, [-1, self._attn_length, 1, 1]) * hidden, [1, 2])
            new_attns = tf.reshape(d, [-1, self._attn_size])
            new_attn_states = tf.slice(attn_states, [0, 1, 0], [-1, -1, -1])
            return new_attns, new_attn_states
