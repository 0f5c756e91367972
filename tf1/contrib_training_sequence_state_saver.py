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
two test files pass against it."""
import collections
import numbers

import tensorflow.compat.v1 as tf
from tensorflow.python.ops import control_flow_ops, data_flow_ops, sparse_ops

# The ops that keep SparseTensors in a map and hand out a string handle for each: how
# sparse sequences travel through the barrier, whose columns are dense.
_restore_sparse = sparse_ops._take_many_sparse_from_tensors_map
_store_sparse = sparse_ops._add_many_sparse_to_tensors_map

_SPARSE_CONTEXT_PREFIX_KEY = '_context_in_seq_'


def _is_sparse(value):
    return isinstance(value, (tf.SparseTensor, tf.SparseTensorValue))


def _check_names(kind, names):
    for name in names:
        if not isinstance(name, str):  # TF 1.x's wording, which differed by kind
            raise TypeError('%s must be %s: %s' % (
                kind, 'a string' if kind == 'state name' else 'string', name))
        if ':' in name:
            raise ValueError("%s may not have a colon: '%s'" % (kind, name))


def _check_multiple_of(value, multiple_of):
    """`value` (a scalar), once checked at run time to be a non-zero multiple."""
    with tf.control_dependencies([tf.Assert(
            tf.logical_and(tf.equal(tf.mod(value, multiple_of), 0), tf.not_equal(value, 0)),
            [tf.string_join(['Tensor %s should be a multiple of: ' % value.name,
                             tf.as_string(multiple_of), ', but saw value: ',
                             tf.as_string(value), '. Consider setting pad=True.'])])]):
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


def batch_sequences_with_states(input_key, input_sequences, input_context, input_length,
                                initial_states, num_unroll, batch_size, num_threads=3,
                                capacity=1000, allow_small_batch=True, pad=True,
                                make_keys_unique=False, make_keys_unique_seed=None,
                                name=None):
    """A NextQueuedSequenceBatch of one example's sequences (Tensors or SparseTensors,
    padded to a multiple of `num_unroll` unless pad=False) and context, filled by a
    QueueRunner of `num_threads` prefetch threads (tf.train.start_queue_runners)."""
    tensor_list = (list(input_sequences.values()) + list(input_context.values())
                   + list(initial_states.values()))
    with tf.name_scope(name, 'batch_sequences_with_states', tensor_list):
        if pad:
            length, input_sequences = _padding(input_sequences, num_unroll)
            input_length = input_length if input_length is not None else length
        elif input_sequences:
            input_sequences = {key: _checked_multiple_of_unroll(key, value, num_unroll)
                               for key, value in input_sequences.items()}
        _move_sparse_tensor_out_context(input_context, input_sequences, num_unroll)
        input_sequences, sparse_keys, sparse_ops_list = _deconstruct_sparse_tensor_seq(
            input_sequences)
        if make_keys_unique:
            input_key = tf.string_join([input_key, tf.as_string(tf.random_uniform(
                (), minval=0, maxval=100000000, dtype=tf.int32, seed=make_keys_unique_seed))])
        stateful_reader = SequenceQueueingStateSaver(
            batch_size, num_unroll, input_length=input_length, input_key=input_key,
            input_sequences=input_sequences, input_context=input_context,
            initial_states=initial_states, capacity=capacity,
            allow_small_batch=allow_small_batch)
        barrier = stateful_reader.barrier
        tf.summary.scalar('queue/%s/ready_segment_batches_' % barrier.name,
                          tf.cast(barrier.ready_size(), tf.float32))
        tf.train.add_queue_runner(tf.train.QueueRunner(
            stateful_reader, [stateful_reader.prefetch_op] * num_threads,
            queue_closed_exception_types=(tf.errors.OutOfRangeError,
                                          tf.errors.CancelledError)))
        batch = stateful_reader.next_batch
        _reconstruct_sparse_tensor_seq(batch.sequences, sparse_keys, sparse_ops_list,
                                       batch_size, num_unroll)
        _move_sparse_tensor_in_context(batch.context, batch.sequences)
        return batch


def _checked_multiple_of_unroll(key, value, num_unroll):
    """A sequence, checked at run time to be a non-zero multiple of num_unroll long."""
    if _is_sparse(value):
        kind, value_length = 'SparseTensor', value.dense_shape[0]
    else:
        if not isinstance(value, tf.Tensor):
            try:
                value = tf.convert_to_tensor(value)
            except TypeError:
                raise TypeError('Unsupported input_sequences expected Tensor or SparseTensor '
                                'values, got: %s for key %s' % (type(value), key))
        kind, value_length = 'Tensor', tf.shape(value)[0]
    with tf.control_dependencies([tf.Assert(
            tf.logical_and(tf.equal(value_length % num_unroll, 0),
                           tf.not_equal(value_length, 0)),
            [tf.string_join(['%s %s first dimension should be a multiple of: ' % (kind, key),
                             tf.as_string(num_unroll), ', but saw value: ',
                             tf.as_string(value_length), '. Consider setting pad=True.'])])]):
        if kind == 'Tensor':
            return tf.identity(value, name='multiple_of_checked')
        return tf.SparseTensor(indices=tf.identity(value.indices, name='multiple_of_checked'),
                               values=tf.identity(value.values, name='multiple_of_checked'),
                               dense_shape=tf.identity(value.dense_shape,
                                                       name='multiple_of_checked'))


def _padding(sequences, num_unroll):
    """(length, sequences padded with 0 or '' to a multiple of num_unroll); the length of
    the first dense sequence by name (all must match), else the longest sparse one's."""
    if not isinstance(num_unroll, numbers.Integral):
        raise ValueError('Unsupported num_unroll expected int, got: %s' % num_unroll)
    if not isinstance(sequences, dict):
        raise TypeError('Unsupported sequences expected dict, got: %s' % sequences)
    for key in sequences:
        if not isinstance(key, str):
            raise TypeError('Unsupported sequences key expected string, got: %s' % key)
    if not sequences:
        return 0, {}
    sequences = collections.OrderedDict(
        (key, value if _is_sparse(value) else tf.convert_to_tensor(value))
        for key, value in sorted(sequences.items()))
    lengths = [tf.shape(value)[0] for value in sequences.values()
               if isinstance(value, tf.Tensor)]
    if lengths:
        length = control_flow_ops.with_dependencies(
            [tf.Assert(tf.equal(other, lengths[0]), [tf.string_join(
                ['All sequence lengths must match, but received lengths: ',
                 tf.as_string(lengths)])]) for other in lengths], lengths[0])
    else:
        length = tf.reduce_max(tf.cast([value.dense_shape[0] for value in sequences.values()
                                        if isinstance(value, tf.SparseTensor)], tf.int32))
    unroll = tf.constant(num_unroll)
    padded_length = length + ((unroll - (length % unroll)) % unroll)
    padded = {}
    for key, value in sequences.items():
        if isinstance(value, tf.Tensor):
            padding_shape = tf.concat(([padded_length - tf.shape(value)[0]],
                                       tf.shape(value)[1:]), 0)
            dummy = tf.constant('' if value.dtype == tf.string else 0, dtype=value.dtype)
            padded[key] = tf.concat([value, tf.fill(dims=padding_shape, value=dummy)], 0)
        else:
            padded[key] = tf.SparseTensor(
                indices=value.indices, values=value.values,
                dense_shape=tf.concat([[tf.cast(padded_length, tf.int64)],
                                       value.dense_shape[1:]], 0))
    return length, padded


def _move_sparse_tensor_out_context(input_context, input_sequences, num_unroll):
    """Sparse context cannot go through the barrier as it is: each becomes a sequence that
    repeats it at the first step of every segment (in place, in both dicts)."""
    value_length = tf.constant(1)
    if input_sequences:
        sequence = list(input_sequences.values())[0]
        if isinstance(sequence, tf.Tensor):
            with tf.control_dependencies([sequence]):
                value_length = tf.shape(sequence)[0]
        else:
            value_length = sequence.dense_shape[0]
    value_length = tf.cast(value_length, dtype=tf.int64)

    def copied(sparse):
        n = tf.cast(value_length // num_unroll, dtype=tf.int32)
        values = tf.tile(sparse.values, tf.expand_dims(n, 0))
        shape = tf.concat([tf.expand_dims(value_length, 0), sparse.dense_shape], 0)
        # The indices n times, each time prefixed with its segment's first step.
        multiplied_indices = tf.tile(tf.expand_dims(sparse.indices, 0), tf.stack([n, 1, 1]))
        dim0 = tf.shape(sparse.indices)[0]
        dim1 = tf.shape(sparse.indices)[1]
        steps = tf.range(start=0, limit=value_length, delta=num_unroll)
        steps = tf.tile(tf.expand_dims(tf.expand_dims(steps, 1), 2), [1, dim0, 1])
        indices = tf.reshape(tf.concat([steps, multiplied_indices], 2), [dim0 * n, dim1 + 1])
        return tf.SparseTensor(indices=indices, values=values, dense_shape=shape)

    for key in sorted(k for k, v in input_context.items() if _is_sparse(v)):
        input_sequences[_SPARSE_CONTEXT_PREFIX_KEY + key] = copied(input_context.pop(key))


def _move_sparse_tensor_in_context(context, sequences):
    """The batch's sparse context back from its sequences, without the time dimension."""
    for key in sorted(k for k in sequences if k.startswith(_SPARSE_CONTEXT_PREFIX_KEY)):
        sparse = sequences.pop(key)
        sparse = tf.SparseTensor(  # only step 0 of the segment holds values
            sparse.indices, sparse.values,
            tf.concat([[sparse.dense_shape[0]], [1], sparse.dense_shape[2:]], 0))
        context[key[len(_SPARSE_CONTEXT_PREFIX_KEY):]] = tf.sparse_reshape(
            sparse, tf.concat([[sparse.dense_shape[0]], sparse.dense_shape[2:]], 0))


def _deconstruct_sparse_tensor_seq(input_sequence, shared_name=None):
    """(the sequences with each sparse one replaced by its map handles, the sparse keys,
    the ops that stored them)."""
    sparse_keys = sorted(k for k, v in input_sequence.items() if _is_sparse(v))
    if not sparse_keys:
        return input_sequence, None, sparse_keys
    transformed = dict(input_sequence)
    store_ops = []
    for key in sparse_keys:
        transformed[key] = _store_sparse(input_sequence[key], shared_name=shared_name)
        store_ops.append(transformed[key].op)
    return transformed, sparse_keys, store_ops


def _reconstruct_sparse_tensor_seq(sequence, sparse_keys, store_ops, batch_size, num_unroll):
    """The batch's sparse sequences from their handles, [batch_size, num_unroll, ...]
    (in place)."""
    if not sparse_keys:
        return
    num_unroll = tf.convert_to_tensor(num_unroll, dtype=tf.int64, name='num_unroll_int64')
    for key, store_op in zip(sparse_keys, store_ops):
        sparse = _restore_sparse(sparse_map_op=store_op,
                                 sparse_handles=tf.reshape(sequence[key], [-1]), rank=None)
        # The handles were [batch_size, num_unroll], taken flat: split the first index.
        batch_index = tf.cast(tf.floor(sparse.indices[:, 0] / num_unroll), tf.int64)
        time_index = tf.mod(sparse.indices[:, 0], num_unroll)
        indices = tf.concat([tf.expand_dims(batch_index, 1), tf.expand_dims(time_index, 1),
                             sparse.indices[:, 1:]], axis=1)
        dense_shape = tf.concat([[tf.cast(batch_size, dtype=tf.int64)], [num_unroll],
                                 sparse.dense_shape[1:]], axis=0)
        sequence[key] = tf.SparseTensor(indices=indices, values=sparse.values,
                                        dense_shape=dense_shape)
