"""tf.contrib.rnn's projection and embedding wrappers, as TF 1.x's core_rnn_cell.py had
them: OutputProjectionWrapper (a dense layer on the cell's output: the time-series RNNs
of Hands-On ML), InputProjectionWrapper (on its input) and EmbeddingWrapper (symbol ids
looked up in an embedding first: the legacy_seq2seq models). Unlike the plain wrappers
(wrappers.py), each is a cell with its own scope, which the wrapped cell's scope opens
inside: `rnn/output_projection_wrapper/basic_rnn_cell/kernel`, then the wrapper's own
`rnn/output_projection_wrapper/kernel` and `bias`, made in that order as in TF 1.x."""
import math
import numbers

import tensorflow.compat.v1 as tf

from tf1.rnn_cell.base import RNNCell, assert_like_rnncell

__all__ = ['EmbeddingWrapper', 'InputProjectionWrapper', 'OutputProjectionWrapper']


class _CellAround(RNNCell):
    """A cell that calls `cell` inside its own scope, with the cell's state."""

    def __init__(self, cell, reuse=None):
        super(_CellAround, self).__init__(_reuse=reuse)
        assert_like_rnncell('cell', cell)
        self._cell = cell

    @property
    def state_size(self):
        return self._cell.state_size

    @property
    def output_size(self):
        return self._cell.output_size

    def zero_state(self, batch_size, dtype):
        with tf.name_scope(type(self).__name__ + 'ZeroState'):
            return self._cell.zero_state(batch_size, dtype)


class Linear:
    """TF 1.x's core_rnn_cell._Linear: the variables of concat(args) @ kernel + bias made
    now, in the current scope (`kernel` by kernel_initializer, else the scope's; `bias`,
    unless build_bias is False, by bias_initializer, else zeros), applied when called."""

    def __init__(self, args, output_size, build_bias, bias_initializer=None,
                 kernel_initializer=None):
        args = list(args) if isinstance(args, (list, tuple)) else [args]
        sizes = [tf.compat.dimension_value(a.get_shape().with_rank(2)[1]) for a in args]
        if None in sizes:
            raise ValueError('linear expects the size of every input to be known, got '
                             'shapes %s' % [a.get_shape() for a in args])
        dtype = args[0].dtype
        self._weights = tf.get_variable('kernel', [sum(sizes), output_size], dtype=dtype,
                                        initializer=kernel_initializer)
        self._biases = None
        if build_bias:
            with tf.variable_scope(tf.get_variable_scope()) as scope:
                scope.set_partitioner(None)  # a partitioner splits the kernel, not the bias
                self._biases = tf.get_variable(
                    'bias', [output_size], dtype=dtype,
                    initializer=bias_initializer or tf.constant_initializer(0.0, dtype=dtype))

    def __call__(self, args, add_bias=True):
        """The map of `args`; without the bias if add_bias is False (the layer-normalised
        cells, which made it all the same)."""
        args = list(args) if isinstance(args, (list, tuple)) else [args]
        product = tf.matmul(args[0] if len(args) == 1 else tf.concat(args, 1), self._weights)
        if self._biases is None or not add_bias:
            return product
        return tf.nn.bias_add(product, self._biases)


def linear(args, output_size, bias=True, bias_initializer=None, kernel_initializer=None,
           bias_start=None):
    """concat(args) @ kernel + bias (`args`: one [batch, n] tensor or a list of them), as
    TF 1.x's _linear made it (rnn_cell_impl's until TF 1.4, core_rnn_cell's after): the
    variables of `Linear` in the current scope; TF 1.2-1.3's `bias_start` is the bias's
    starting value (also as the fourth argument, where TF 1.2-1.3 took it).
    legacy_seq2seq's attention uses it too, as TF 1.x's did."""
    if isinstance(bias_initializer, numbers.Number):  # TF 1.2-1.3's linear(..., True, 1.0)
        bias_start, bias_initializer = bias_initializer, None
    if bias_start is not None and bias_initializer is None:
        bias_initializer = tf.constant_initializer(bias_start)
    return Linear(args, output_size, bias, bias_initializer, kernel_initializer)(args)


def _positive(wrapper, **sizes):
    for name, size in sizes.items():
        if size < 1:
            raise ValueError('%s: %s must be > 0, got %d' % (wrapper, name, size))


class OutputProjectionWrapper(_CellAround):
    """The cell, its output projected to `output_size` (then `activation`, if given)."""

    def __init__(self, cell, output_size, activation=None, reuse=None):
        super(OutputProjectionWrapper, self).__init__(cell, reuse=reuse)
        _positive('OutputProjectionWrapper', output_size=output_size)
        self._output_size = output_size
        self._activation = activation

    @property
    def output_size(self):
        return self._output_size

    def call(self, inputs, state):
        output, new_state = self._cell(inputs, state)
        projected = linear(output, self._output_size)
        if self._activation:
            projected = self._activation(projected)
        return projected, new_state


class InputProjectionWrapper(_CellAround):
    """The cell run on its input projected to `num_proj` (then `activation`, if given)."""

    def __init__(self, cell, num_proj, activation=None, input_size=None, reuse=None):
        super(InputProjectionWrapper, self).__init__(cell, reuse=reuse)
        _positive('InputProjectionWrapper', num_proj=num_proj)
        self._num_proj = num_proj
        self._activation = activation

    def call(self, inputs, state):
        projected = linear(inputs, self._num_proj)
        if self._activation:
            projected = self._activation(projected)
        return self._cell(projected, state)


class EmbeddingWrapper(_CellAround):
    """The cell run on the embeddings of its input ids ([batch] or [batch, 1] ints):
    `embedding` [embedding_classes, embedding_size], on the CPU, initialised by
    `initializer`, else the scope's, else uniformly in ±sqrt(3) (unit variance)."""

    def __init__(self, cell, embedding_classes, embedding_size, initializer=None,
                 reuse=None):
        super(EmbeddingWrapper, self).__init__(cell, reuse=reuse)
        _positive('EmbeddingWrapper', embedding_classes=embedding_classes,
                  embedding_size=embedding_size)
        self._embedding_classes = embedding_classes
        self._embedding_size = embedding_size
        self._initializer = initializer

    def call(self, inputs, state):
        with tf.device('/cpu:0'):
            initializer = (self._initializer or tf.get_variable_scope().initializer
                           or tf.random_uniform_initializer(-math.sqrt(3), math.sqrt(3)))
            dtype = tf.nest.flatten(state)[0].dtype
            embedding = tf.get_variable(
                'embedding', [self._embedding_classes, self._embedding_size],
                initializer=initializer, dtype=dtype)
            embedded = tf.nn.embedding_lookup(embedding, tf.reshape(inputs, [-1]))
            return self._cell(embedded, state)  # on the CPU too, as TF 1.2-1.15 ran it
