"""Keras 2.0's base class of recurrent layers, `keras.layers.recurrent.Recurrent` (Keras
2.1-2.2 kept it in keras/legacy/layers.py), and Keras 2.0's `_time_distributed_dense`,
ported from Keras 2.0.8 onto tf_keras's Layer.

Custom recurrent layers of the time subclassed it: they define `build` (their weights and
`self.states = [None, ...]`), `step(inputs, states)` returning (output, new states), and
optionally get_initial_state, get_constants and preprocess_input; Recurrent runs the steps
with K.rnn (masks, go_backwards, unroll, stateful layers, initial states given as tensors,
return_state). The Bahdanau attention decoder of datalogue/keras-attention, copied into
many tutorials, is one. tf_keras's RNN takes a cell instead, so such a layer needs this."""
import numpy as np

from tf_keras.src import backend as K
from tf_keras.src.engine.base_layer import Layer
from tf_keras.src.engine.input_spec import InputSpec


def _time_distributed_dense(x, w, b=None, dropout=None, input_dim=None, output_dim=None,
                            timesteps=None, training=None):
    """`y . w + b` for every temporal slice y of x (with the same dropout mask at every
    step where `dropout` is given), as Keras 2.0's recurrent layers computed their inputs'
    projections."""
    if not input_dim:
        input_dim = K.shape(x)[2]
    if not timesteps:
        timesteps = K.shape(x)[1]
    if not output_dim:
        output_dim = K.shape(w)[1]
    if dropout is not None and 0. < dropout < 1.:
        ones = K.ones_like(K.reshape(x[:, 0, :], (-1, input_dim)))
        dropout_matrix = K.dropout(ones, dropout)
        expanded_dropout_matrix = K.repeat(dropout_matrix, timesteps)
        x = K.in_train_phase(x * expanded_dropout_matrix, x, training=training)
    # The time and batch dimensions collapsed into one, then split again.
    x = K.dot(K.reshape(x, (-1, input_dim)), w)
    if b is not None:
        x = K.bias_add(x, b)
    x = K.reshape(x, K.stack([-1, timesteps, output_dim]))
    x.set_shape([None, None, output_dim])
    return x


class Recurrent(Layer):
    """Abstract base class for recurrent layers (Keras 2.0): subclasses define `units`,
    `build` (which sets `self.states`, one None per state) and `step`."""

    def __init__(self, return_sequences=False, return_state=False, go_backwards=False,
                 stateful=False, unroll=False, implementation=0, **kwargs):
        super().__init__(**kwargs)
        self.return_sequences = return_sequences
        self.return_state = return_state
        self.go_backwards = go_backwards
        self.stateful = stateful
        self.unroll = unroll
        self.implementation = implementation
        self.supports_masking = True
        self.input_spec = [InputSpec(ndim=3)]
        self.state_spec = None
        self.dropout = 0
        self.recurrent_dropout = 0

    # The states are a plain list, as Keras 2.0 kept them: tf_keras would track the
    # variables of a stateful layer put there as the layer's weights.
    @property
    def states(self):
        return self.__dict__.get('_legacy_states', [])

    @states.setter
    def states(self, states):
        self.__dict__['_legacy_states'] = list(states)

    def compute_output_shape(self, input_shape):
        if isinstance(input_shape, list):
            input_shape = input_shape[0]
        input_shape = tuple(input_shape)
        if self.return_sequences:
            output_shape = (input_shape[0], input_shape[1], self.units)
        else:
            output_shape = (input_shape[0], self.units)
        if self.return_state:
            return [output_shape] + [(input_shape[0], self.units) for _ in self.states]
        return output_shape

    def compute_mask(self, inputs, mask):
        if isinstance(mask, list):
            mask = mask[0]
        output_mask = mask if self.return_sequences else None
        if self.return_state:
            return [output_mask] + [None for _ in self.states]
        return output_mask

    def step(self, inputs, states):
        raise NotImplementedError

    def get_constants(self, inputs, training=None):
        return []

    def get_initial_state(self, inputs):
        """Zeros of shape (samples, units), one per state."""
        initial_state = K.zeros_like(inputs)  # (samples, timesteps, input_dim)
        initial_state = K.sum(initial_state, axis=(1, 2))  # (samples,)
        initial_state = K.expand_dims(initial_state)  # (samples, 1)
        initial_state = K.tile(initial_state, [1, self.units])  # (samples, units)
        return [initial_state for _ in range(len(self.states))]

    def preprocess_input(self, inputs, training=None):
        return inputs

    def __call__(self, inputs, initial_state=None, **kwargs):
        # Initial states given as Keras tensors are inputs of the layer's node (so the
        # model reaches them); as other tensors, arguments of call.
        if isinstance(inputs, (list, tuple)) and len(inputs) > 1 and initial_state is None:
            initial_state = inputs[1:]
            inputs = inputs[0]
        if initial_state is None:
            return super().__call__(inputs, **kwargs)
        if not isinstance(initial_state, (list, tuple)):
            initial_state = [initial_state]
        is_keras_tensor = hasattr(initial_state[0], '_keras_history')
        if any(hasattr(tensor, '_keras_history') != is_keras_tensor
               for tensor in initial_state):
            raise ValueError('The initial state of an RNN layer cannot be specified with a '
                             'mix of Keras tensors and non-Keras tensors')
        if not is_keras_tensor:
            kwargs['initial_state'] = initial_state
            return super().__call__(inputs, **kwargs)
        input_spec = self.input_spec
        state_spec = self.state_spec
        input_spec = input_spec if isinstance(input_spec, list) else [input_spec]
        state_spec = state_spec if isinstance(state_spec, list) else [state_spec]
        self.input_spec = input_spec + state_spec
        try:
            return super().__call__([inputs] + list(initial_state), **kwargs)
        finally:
            self.input_spec = input_spec

    def call(self, inputs, mask=None, training=None, initial_state=None):
        if isinstance(inputs, list):
            initial_state = inputs[1:]
            inputs = inputs[0]
        elif initial_state is not None:
            pass
        elif self.stateful:
            initial_state = self.states
        else:
            initial_state = self.get_initial_state(inputs)
        if isinstance(mask, list):
            mask = mask[0]
        if len(initial_state) != len(self.states):
            raise ValueError('Layer has %d states but was passed %d initial states.'
                             % (len(self.states), len(initial_state)))
        timesteps = K.int_shape(inputs)[1]
        if self.unroll and timesteps in [None, 1]:
            raise ValueError('Cannot unroll a RNN if the time dimension is undefined or '
                             'equal to 1: give the first layer an `input_shape` (an '
                             'Embedding its `input_length`), or the Input its `shape`.')
        constants = self.get_constants(inputs, training=None)
        preprocessed_input = self.preprocess_input(inputs, training=None)
        last_output, outputs, states = K.rnn(self.step, preprocessed_input, initial_state,
                                             go_backwards=self.go_backwards, mask=mask,
                                             constants=constants, unroll=self.unroll,
                                             input_length=timesteps)
        if self.stateful:
            self.add_update([K.update(self.states[i], states[i])
                             for i in range(len(states))])
        output = outputs if self.return_sequences else last_output
        if self.return_state:
            return [output] + (list(states) if isinstance(states, (list, tuple))
                               else [states])
        return output

    def reset_states(self, states=None):
        if not self.stateful:
            raise AttributeError('Layer must be stateful.')
        batch_size = self.input_spec[0].shape[0]
        if not batch_size:
            raise ValueError('If a RNN is stateful, it needs to know its batch size: give '
                             'the first layer a `batch_input_shape`, or the Input its '
                             '`batch_shape`.')
        if self.states[0] is None:
            self.states = [K.zeros((batch_size, self.units)) for _ in self.states]
        elif states is None:
            for state in self.states:
                K.set_value(state, np.zeros((batch_size, self.units)))
        else:
            states = states if isinstance(states, (list, tuple)) else [states]
            if len(states) != len(self.states):
                raise ValueError('Layer %s expects %d states, but it received %d state '
                                 'values.' % (self.name, len(self.states), len(states)))
            for index, (value, state) in enumerate(zip(states, self.states)):
                if value.shape != (batch_size, self.units):
                    raise ValueError('State %d is incompatible with layer %s: expected '
                                     'shape=%s, found shape=%s' % (
                                         index, self.name, (batch_size, self.units),
                                         value.shape))
                K.set_value(state, value)

    def get_config(self):
        return dict(super().get_config(), return_sequences=self.return_sequences,
                    return_state=self.return_state, go_backwards=self.go_backwards,
                    stateful=self.stateful, unroll=self.unroll,
                    implementation=self.implementation)
