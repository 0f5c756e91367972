"""contrib.training's batch_sequences_with_states (TF 1.x's, beside its state saver in
sequence_queueing_state_saver.py): one example's sequences, padded to a multiple of
num_unroll, and its context into a SequenceQueueingStateSaver fed by a QueueRunner.
SparseTensor sequences and context travel through the saver's barrier as handles to a map of
SparseTensors and are rebuilt, batched, on the other side. Ported from TF 1.15."""
import collections
import numbers

import tensorflow.compat.v1 as tf
from tensorflow.python.ops import control_flow_ops, sparse_ops

from tf1.contrib_training_sequence_state_saver import (SequenceQueueingStateSaver,
                                                       assert_multiple_of)

# The ops that keep SparseTensors in a map and hand out a string handle for each: how
# sparse sequences travel through the barrier, whose columns are dense.
_restore_sparse = sparse_ops._take_many_sparse_from_tensors_map
_store_sparse = sparse_ops._add_many_sparse_to_tensors_map

_SPARSE_CONTEXT_PREFIX_KEY = '_context_in_seq_'


def _is_sparse(value):
    return isinstance(value, (tf.SparseTensor, tf.SparseTensorValue))


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
    with tf.control_dependencies([assert_multiple_of(
            value_length, num_unroll, '%s %s first dimension' % (kind, key))]):
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
