"""contrib.training's sequence state saver (TF 1.x's sequence_queueing_state_saver.py):
truncated backpropagation through time over long, variable-length sequences.

Each example (a key, its sequences, its context) is cut into segments of `num_unroll` steps;
minibatches take one segment from each of `batch_size` examples, with the example's state
(an RNN's, say) as the previous segment left it, through `save_state`, or its initial
state for a first segment. A `Barrier` holds the segments: a segment is complete, and can
be taken, once the state of the segment before it has been saved. A FIFOQueue of tokens,
one per example in flight, bounds how many examples are in it (`capacity`).

Ported from TF 1.15: the same ops (a few built in another order, so some op names'
suffixes differ), barrier columns, keys ("00000_of_00003:key"), checks and messages; its
two test files pass against it. batch_sequences_with_states, which pads an example and feeds
it in: tf1/contrib_training_sequence_batching.py."""
import collections

import tensorflow.compat.v1 as tf
from tensorflow.python.ops import data_flow_ops

def _check_names(kind, names):
    for name in names:
        if not isinstance(name, str):  # TF 1.x's wording, which differed by kind
            raise TypeError('%s must be %s: %s' % (
                kind, 'a string' if kind == 'state name' else 'string', name))
        if ':' in name:
            raise ValueError("%s may not have a colon: '%s'" % (kind, name))


def assert_multiple_of(value, multiple_of, what):
    """The op asserting at run time that `value` (a scalar) is a non-zero multiple of
    `multiple_of`; its message starts with `what`."""
    return tf.Assert(
        tf.logical_and(tf.equal(tf.mod(value, multiple_of), 0), tf.not_equal(value, 0)),
        [tf.string_join([what + ' should be a multiple of: ', tf.as_string(multiple_of),
                         ', but saw value: ', tf.as_string(value),
                         '. Consider setting pad=True.'])])


def _check_multiple_of(value, multiple_of):
    """`value` (a scalar), once checked at run time to be a non-zero multiple."""
    with tf.control_dependencies([assert_multiple_of(value, multiple_of,
                                                     'Tensor %s' % value.name)]):
        return tf.identity(value, name='multiple_of_checked')


def _check_rank(value, expected_rank):
    """`value`, checked at run time to have rank `expected_rank`, and given it."""
    with tf.control_dependencies([tf.Assert(
            tf.equal(expected_rank, tf.rank(value)),
            [tf.string_join(['Rank of tensor %s should be: ' % value.name,
                             tf.as_string(expected_rank), ', shape received:']),
             tf.shape(value)])]):
        new_value = tf.identity(value, name='rank_checked')
    if isinstance(expected_rank, tf.Tensor):
        known = tf.get_static_value(expected_rank)
        if known is not None:
            expected_rank = int(known)
    if not isinstance(expected_rank, tf.Tensor):
        try:
            new_value.set_shape(new_value.shape.with_rank(expected_rank))
        except ValueError as error:
            raise ValueError('Rank check failed for %s: %s' % (value.name, error))
    return new_value


def _check_shape(value, expected_shape):
    """`value`, checked at run time to have shape `expected_shape`, and given it."""
    if isinstance(expected_shape, tf.TensorShape):
        expected_shape = expected_shape.as_list()
    if isinstance(expected_shape, tf.Tensor):
        known = tf.get_static_value(expected_shape)
        if known is not None:
            expected_shape = [int(d) for d in known]
    value = _check_rank(value, tf.size(expected_shape) if isinstance(expected_shape, tf.Tensor)
                        else len(expected_shape))
    with tf.control_dependencies([tf.Assert(
            tf.reduce_all(tf.equal(expected_shape, tf.shape(value))),
            [tf.string_join(['Shape of tensor %s should be: ' % value.name,
                             tf.as_string(expected_shape), ', shape received: ',
                             tf.as_string(tf.shape(value))])])]):
        new_value = tf.identity(value, name='shape_checked')
    if not isinstance(expected_shape, tf.Tensor):
        try:
            new_value.set_shape(new_value.shape.merge_with(expected_shape))
        except ValueError as error:
            raise ValueError('Shape check failed for %s: %s' % (value.name, error))
    return new_value


def _check_dimensions(value, dimensions, expected_sizes, debug_prefix):
    """`value`, checked to have `expected_sizes` (ints or scalar tensors) along
    `dimensions`: statically where it can, and at run time."""
    if not isinstance(dimensions, (list, tuple)):
        raise TypeError('dimensions must be a list or tuple')
    if len(set(dimensions)) != len(dimensions):
        raise ValueError('dimensions are not unique: %s' % dimensions)
    if not isinstance(value, tf.Tensor):
        raise TypeError('value is not a Tensor: %s' % value)
    if not isinstance(expected_sizes, tf.Tensor):
        if len(dimensions) != len(expected_sizes):
            raise ValueError('len(dimensions) != len(expected_sizes): %d vs. %d'
                             % (len(dimensions), len(expected_sizes)))
        if value.shape.ndims is not None:
            if value.shape.ndims <= max(dimensions):
                raise ValueError('%s: rank of input is not greater than max(dimensions): '
                                 '%d vs. %d' % (debug_prefix, value.shape.ndims,
                                                max(dimensions)))
            value_dims = value.shape.as_list()
            for dimension, size in zip(dimensions, expected_sizes):
                if not isinstance(size, tf.Tensor):
                    value_dims[dimension] = size
            try:
                value.set_shape(value.shape.merge_with(value_dims))
            except ValueError as error:
                raise ValueError('Dimensions check failed for %s: %s' % (debug_prefix, error))
    with tf.control_dependencies([tf.Assert(
            tf.equal(expected_size, tf.shape(value)[dimension]),
            [tf.string_join(['Dimension %d of tensor labeled %s should be: '
                             % (dimension, debug_prefix), tf.as_string(expected_size),
                             ', shape received: ', tf.as_string(tf.shape(value))])])
            for dimension, expected_size in zip(dimensions, expected_sizes)]):
        return tf.identity(value, name='dims_checked_%s' % debug_prefix)


def _sorted_by_name(values):
    return collections.OrderedDict(sorted(values.items(), key=lambda item: item[0]))


class _SequenceInputWrapper:
    """One example's length, key, sequences and context, as tensors, their names checked."""

    def __init__(self, length, key, sequences, context):
        self.length = tf.convert_to_tensor(length, name='length')
        self.key = tf.convert_to_tensor(key, name='key')
        if not isinstance(sequences, dict):
            raise TypeError('sequences must be a dict')
        if not isinstance(context, dict):
            raise TypeError('context must be a dict')
        if not sequences:
            raise ValueError('must have at least one sequence tensor')
        _check_names('sequence key', sequences)
        _check_names('context key', context)
        self.sequences = {k: tf.convert_to_tensor(v, name='sequence_%s' % k)
                          for k, v in sequences.items()}
        self.context = {k: tf.convert_to_tensor(v, name='context_%s' % k)
                        for k, v in context.items()}


def _prepare_sequence_inputs(inputs, states):
    """An example's tensors (a _SequenceInputWrapper), checked (fully defined shapes but
    the sequences' first dimension, a scalar int32 length, a scalar string key), each dict
    sorted by name."""
    states = {k: tf.convert_to_tensor(v, name='state_%s' % k) for k, v in states.items()}
    for label, values, start in (('state', states, 0), ('context', inputs.context, 0),
                                 ('sequence', inputs.sequences, 1)):
        for name, value in values.items():
            if not value.shape[start:].is_fully_defined():
                raise ValueError('Shape for %s %s is not fully defined %s: %s' % (
                    label, name, '(ignoring first dimension)' if start else '', value.shape))
    length = _check_rank(inputs.length, 0)
    key = _check_rank(inputs.key, 0)
    if length.dtype != tf.int32:
        raise TypeError('length dtype must be int32, but received: %s' % length.dtype)
    if key.dtype != tf.string:
        raise TypeError('key dtype must be string, but received: %s' % key.dtype)
    return (length, key, _sorted_by_name(states), _sorted_by_name(inputs.sequences),
            _sorted_by_name(inputs.context))


def _received(name, doc):
    """A property of a batch: its state saver's `_received_NAME` tensor (or dict)."""
    return property(lambda batch: getattr(batch._state_saver, '_received_' + name), doc=doc)


class NextQueuedSequenceBatch:
    """One minibatch of segments taken from a SequenceQueueingStateSaver, with their states
    (`state`) and the op that saves the next ones (`save_state`), which must run on every
    step: a segment cannot be taken before its predecessor's state is saved."""

    def __init__(self, state_saver):
        self._state_saver = state_saver

    total_length = _received('total_length',
                             'The examples\' lengths before they were cut, int32 [batch].')
    length = _received('length', 'The segments\' lengths: num_unroll, less in the last ones.')
    batch_size = _received('batch_size',
                           'This batch\'s size (smaller at the end with allow_small_batch).')
    insertion_index = _received('indices', 'int64 [batch]: when each example was inserted.')
    key = _received('keys', '"%05d_of_%05d:%s" % (sequence, sequence_count, key) for each.')
    next_key = _received('next_key', 'The next segment\'s key, or "STOP:key" after the last.')
    sequence = _received('sequence', 'int32 [batch]: each segment\'s index in its example.')
    sequence_count = _received('sequence_count',
                               'int32 [batch]: how many segments each example has.')
    context = _received('context', '{name: [batch, ...]}: the examples\' context, copied.')
    sequences = _received('sequences', '{name: [batch, num_unroll, ...]}: the segments.')

    def state(self, state_name):
        """The batch's state `state_name`: [batch_size, ...] (KeyError if undeclared)."""
        return self._state_saver._received_states[state_name]

    def save_state(self, state_name, value, name=None):
        """The op that saves `value` ([batch_size, ...]) as the state of each segment's
        successor; nothing for an example's last segment."""
        saver = self._state_saver
        if state_name not in saver._received_states:
            raise KeyError('state was not declared: %s' % state_name)
        with tf.name_scope(name, 'InputQueueingStateSaver_SaveState', values=[value]):
            # Barriers and queues have CPU kernels only; so must their bookkeeping.
            with tf.colocate_with(saver._capacity_queue.queue_ref):
                indices_where_not_done = tf.reshape(
                    tf.where_v2(tf.logical_not(saver._sequence_is_done)), [-1])
                keeping_next_key = tf.gather(saver._received_next_key, indices_where_not_done)
                value = _check_shape(tf.identity(value, name='convert_%s' % state_name),
                                     tf.shape(saver._received_states[state_name]))
                keeping_state = tf.gather(value, indices_where_not_done)
                return saver._barrier.insert_many(
                    saver._get_barrier_index('state', state_name), keeping_next_key,
                    keeping_state, name='BarrierInsertState_%s' % state_name)


class SequenceQueueingStateSaver:
    """Cuts each example into segments of `num_unroll` steps and batches them, keeping
    each example's states from one segment to the next. Run `prefetch_op` (in a
    QueueRunner's threads) to insert one example; read `next_batch`."""

    def __init__(self, batch_size, num_unroll, input_length, input_key, input_sequences,
                 input_context, initial_states, capacity=None, allow_small_batch=False,
                 name=None):
        if capacity is not None and isinstance(batch_size, tf.Tensor):
            with tf.control_dependencies([tf.assert_greater_equal(
                    tf.cast(capacity, tf.int64), tf.cast(batch_size, tf.int64),
                    message='capacity needs to be >= batch_size.')]):
                input_key = tf.identity(input_key)
        elif capacity is not None and capacity < batch_size:
            raise ValueError('capacity %d needs to be >= batch_size %d' % (capacity,
                                                                         batch_size))
        # The barrier cannot be bounded (a long example has many segments in it, and an
        # unknown number): a queue of one token per example in flight bounds them instead;
        # inserting an example blocks while it is full.
        self._capacity_queue = tf.FIFOQueue(capacity=capacity, dtypes=[tf.int32],
                                            shapes=[[]])
        with tf.colocate_with(self._capacity_queue.queue_ref):
            if not isinstance(initial_states, dict):
                raise TypeError('initial_states must be a dictionary')
            if not initial_states:
                raise ValueError('initial_states may not be empty: at least one state '
                                 'variable is required to properly enqueue split sequences '
                                 'to run in separate iterations')
            _check_names('state name', initial_states)
            op_vars = ([input_length, input_key] + list(input_sequences.values())
                       + list(input_context.values()))
            with tf.name_scope(name, 'InputQueueingStateSaver', op_vars) as scope:
                self._batch_size = batch_size
                self._num_unroll = num_unroll
                self._name = scope
                inputs = _SequenceInputWrapper(input_length, input_key, input_sequences,
                                               input_context)
                (self._length, self._key, self._sorted_states, self._sorted_sequences,
                 self._sorted_context) = _prepare_sequence_inputs(inputs, initial_states)
                self._padded_length = _check_multiple_of(tf.identity(
                    tf.shape(next(iter(self._sorted_sequences.values())))[0],
                    name='padded_length'), self._num_unroll)
                self._sorted_sequences = collections.OrderedDict(
                    (k, _check_dimensions(v, [0], [self._padded_length],
                                          debug_prefix='sorted_sequences_%s' % k))
                    for k, v in self._sorted_sequences.items())
                self._store_index_maps()
                with tf.control_dependencies([tf.Assert(
                        tf.less_equal(self._length, self._padded_length),
                        ['Input length should be <= than length from sequences:',
                         self._length, ' vs. ', self._padded_length])]):
                    self._length = tf.identity(self._length)
                self._create_barrier()
                self._scope = scope
            self._allow_small_batch = allow_small_batch
            self._prefetch_op = None
            self._next_batch = None

    name = property(lambda self: self._name)
    barrier = property(lambda self: self._barrier)
    batch_size = property(lambda self: self._batch_size)
    num_unroll = property(lambda self: self._num_unroll)

    @property
    def prefetch_op(self):
        """The op that inserts one example (made on first use)."""
        if not self._prefetch_op:
            with tf.name_scope(None), tf.name_scope(self._scope,
                                                    values=[self._barrier.barrier_ref]):
                self._create_prefetch_op()
        return self._prefetch_op

    @property
    def next_batch(self):
        """The NextQueuedSequenceBatch (made on first use, after the prefetch op)."""
        self.prefetch_op  # made first, as TF 1.x did
        if not self._next_batch:
            with tf.name_scope(None), tf.name_scope(self._scope,
                                                    values=[self._barrier.barrier_ref]):
                self._prepare_barrier_reads()
        return self._next_batch

    def close(self, cancel_pending_enqueues=False, name=None):
        """The op closing the barrier and the capacity queue: no new examples; those in
        flight still finish (in smaller batches with allow_small_batch)."""
        with tf.name_scope(name, 'SQSSClose', [self._prefetch_op]) as name:
            return tf.group(self.barrier.close(cancel_pending_enqueues, 'BarrierClose'),
                            self._capacity_queue.close(cancel_pending_enqueues, 'FIFOClose'),
                            name=name)

    # The barrier's columns: five of bookkeeping, then the sequences, the context and the
    # states, each sorted by name.
    def _store_index_maps(self):
        names = (['__length', '__total_length', '__next_key', '__sequence',
                  '__sequence_count']
                 + ['__sequence__%s' % k for k in self._sorted_sequences]
                 + ['__context__%s' % k for k in self._sorted_context]
                 + ['__state__%s' % k for k in self._sorted_states])
        self._name_to_index = {name: index for index, name in enumerate(names)}

    def _get_barrier_index(self, index_type, name):
        assert index_type in ('sequence', 'context', 'state')
        return self._name_to_index['__%s__%s' % (index_type, name)]

    def _create_barrier(self):
        columns = (list(self._sorted_sequences.values()) + list(self._sorted_context.values())
                   + list(self._sorted_states.values()))
        types = [tf.int32, tf.int32, tf.string, tf.int32, tf.int32] + [
            column.dtype for column in columns]
        shapes = ([()] * 5
                  + [[self._num_unroll] + v.shape.as_list()[1:]
                     for v in self._sorted_sequences.values()]
                  + [v.shape.as_list() for v in self._sorted_context.values()]
                  + [v.shape.as_list() for v in self._sorted_states.values()])
        self._barrier = data_flow_ops.Barrier(types=types, shapes=shapes)

    def _create_prefetch_op(self):
        """The ops inserting one example: its segments, each with its key, the next
        segment's key, its index and count, its length and the context, and the initial
        states for its first segment only, after a token in the capacity queue."""
        index = self._name_to_index
        sequence_count = tf.div(self._padded_length, self._num_unroll)
        ones = tf.ones(tf.expand_dims(sequence_count, 0), dtype=tf.int32)
        sequence = tf.range(sequence_count)
        # Every segment is num_unroll long but the last, which may be shorter, and those
        # after the example's length, of length 0.
        expanded_length = tf.minimum(self._num_unroll, tf.maximum(
            0, self._length - self._num_unroll * sequence))
        current_keys = tf.string_join(
            [tf.as_string(sequence, width=5, fill='0'), '_of_',
             tf.as_string(sequence_count, width=5, fill='0'), ':', self._key],
            name='StringJoinCurrentKeys')
        next_keys = tf.concat(
            [tf.slice(current_keys, [1], [-1]),
             tf.expand_dims(tf.string_join(['STOP:', self._key], name='StringJoinStop'), 0)],
            0, name='concat_next_keys')
        reshaped_sequences = collections.OrderedDict(
            (k, _check_dimensions(
                tf.reshape(v, tf.concat([tf.expand_dims(sequence_count, 0),
                                         tf.expand_dims(self._num_unroll, 0),
                                         v.shape.as_list()[1:]], 0,
                                        name='concat_sequences_%s' % k),
                           name='reshape_sequences_%s' % k),
                [0, 1] + list(range(2, v.shape.ndims + 1)),
                [sequence_count, self._num_unroll] + v.shape.as_list()[1:],
                debug_prefix='reshaped_sequences_%s' % k))
            for k, v in self._sorted_sequences.items())
        expanded_context = collections.OrderedDict(
            (k, _check_dimensions(
                tf.tile(tf.expand_dims(v, 0),
                        tf.concat([tf.expand_dims(sequence_count, 0), [1] * v.shape.ndims], 0,
                                  name='concat_context_%s' % k),
                        name='tile_context_%s' % k),
                [0] + list(range(1, v.shape.ndims + 1)), [sequence_count] + v.shape.as_list(),
                debug_prefix='expanded_context_%s' % k))
            for k, v in self._sorted_context.items())

        insert = self._barrier.insert_many
        insert_sequence = insert(index['__sequence'], current_keys, sequence,
                                 name='BarrierInsertSequence')
        inserts = [
            insert(index['__sequence_count'], current_keys, sequence_count * ones,
                   name='BarrierInsertSequenceCount'),
            insert(index['__next_key'], current_keys, next_keys, name='BarrierInsertNextKey'),
            insert(index['__length'], current_keys, expanded_length,
                   name='BarrierInsertLength'),
            insert(index['__total_length'], current_keys, self._length * ones,
                   name='BarrierInsertTotalLength')]
        token = self._capacity_queue.enqueue((21051976,))  # its value is never read
        # The initial states after the sequence indices, so that the barrier has all the
        # segments before any of them is complete, and gives them one insertion index.
        with tf.control_dependencies([insert_sequence, token]):
            initial_states = [
                insert(self._get_barrier_index('state', name), tf.stack([current_keys[0]]),
                       tf.stack([value]), name='BarrierInitialInsertState_%s' % name)
                for name, value in self._sorted_states.items()]
        context = [insert(self._get_barrier_index('context', name), current_keys, value,
                          name='BarrierInsertContext_%s' % name)
                   for name, value in expanded_context.items()]
        sequences = [insert(self._get_barrier_index('sequence', name), current_keys, value,
                            name='BarrierInsertSequences_%s' % name)
                     for name, value in reshaped_sequences.items()]
        self._prefetch_op = tf.group(*([token, insert_sequence] + inserts + initial_states
                                       + context + sequences),
                                     name='StateSaverPrefetchGroup')

    def _prepare_barrier_reads(self):
        """The ops taking a batch of complete segments; an example whose last segment is
        taken gives back its capacity token."""
        index = self._name_to_index
        indices, keys, values = self._barrier.take_many(
            self._batch_size, self._allow_small_batch, name='BarrierTakeMany')
        self._received_indices = indices
        self._received_keys = keys
        self._received_sequence = values[index['__sequence']]
        self._received_sequence_count = values[index['__sequence_count']]
        self._received_next_key = values[index['__next_key']]
        self._received_length = values[index['__length']]
        self._received_total_length = values[index['__total_length']]
        self._received_context = collections.OrderedDict(
            (name, values[self._get_barrier_index('context', name)])
            for name in self._sorted_context)
        self._received_sequences = collections.OrderedDict(
            (name, values[self._get_barrier_index('sequence', name)])
            for name in self._sorted_sequences)
        self._received_batch_size = tf.squeeze(tf.shape(self._received_length))
        self._sequence_is_done = (self._received_sequence + 1
                                  >= self._received_sequence_count)
        finished = tf.reduce_sum(tf.cast(self._sequence_is_done, tf.int32))
        dequeue_tokens = self._capacity_queue.dequeue_many(finished)
        # Tied to the states, which every step reads: the tokens are surely given back.
        with tf.control_dependencies([dequeue_tokens]):
            self._received_states = collections.OrderedDict(
                (name, tf.identity(values[self._get_barrier_index('state', name)]))
                for name in self._sorted_states)
        self._next_batch = NextQueuedSequenceBatch(self)
