"""contrib.training's bucketing (TF 1.x's bucket_ops.py): examples put into queues by
bucket (by their sequence length, for bucket_by_sequence_length), each bucket batched on
its own, so that a batch holds sequences of similar lengths and pads little.

Queue-based, as in TF 1.x: every bucket is a queue, and a top queue takes whole batches
from them; the queue runners start with tf.train.start_queue_runners or a Supervisor."""
import functools

import numpy as np
import tensorflow.compat.v1 as tf
from tensorflow.python.framework import indexed_slices
# TF's own input helpers, which TF 1.x's bucketing shared with tf.train.batch.
from tensorflow.python.training import input as input_lib

from tf1.layers.utils import smart_cond


def bucket(tensors, which_bucket, batch_size, num_buckets, num_threads=1, capacity=32,
           bucket_capacities=None, shapes=None, dynamic_pad=False,
           allow_smaller_final_batch=False, keep_input=True, shared_name=None, name=None):
    """(bucket, batch): batches of `tensors` (a list or dict, one example) put into bucket
    `which_bucket` (an int32 scalar in [0, num_buckets)); each batch comes from one
    bucket, which `bucket` says. `batch_size` may differ by bucket (a list), and so may
    the capacities. keep_input=False drops the example."""
    batch_size_per_bucket = isinstance(batch_size, (list, tuple))
    if batch_size_per_bucket and len(batch_size) != num_buckets:
        raise ValueError('If batch_size is a list it must have num_buckets elements')
    batch_sizes = list(batch_size) if batch_size_per_bucket else [batch_size] * num_buckets
    bucket_capacities = bucket_capacities or [capacity] * num_buckets
    if len(bucket_capacities) != num_buckets:
        raise ValueError('The list bucket_capacities (%s) must have exactly num_buckets (%d) '
                         'elements.' % (str(bucket_capacities), num_buckets))
    tensor_list = input_lib._as_tensor_list(tensors)
    with tf.name_scope(name, 'bucket', tensor_list) as name:
        tensor_list = indexed_slices.convert_n_to_tensor_or_indexed_slices(tensor_list)
        if not tensor_list:
            raise ValueError('Expected at least one tensor in bucket().')
        keep_input = input_lib._validate_keep_input(keep_input, enqueue_many=False)
        tensor_list, sparse_info = input_lib._store_sparse_tensors(
            tensor_list, enqueue_many=False, keep_input=keep_input)
        # A batch size known while the graph is built gives the batches a static size.
        static_batch_size = None
        for i, size in enumerate(batch_sizes):
            size = tf.convert_to_tensor(size, dtype=tf.int32, name='batch_size')
            static_batch_size = tf.get_static_value(size)
            batch_sizes[i] = static_batch_size if static_batch_size is not None else size
        types = input_lib._dtypes([tensor_list])
        shapes = input_lib._shapes([tensor_list], shapes, enqueue_many=False)
        which_bucket = tf.convert_to_tensor(which_bucket, dtype=tf.int32, name='which_bucket')
        queue_class = input_lib._which_queue(dynamic_pad)
        bucket_queues = [
            queue_class(capacity=bucket_capacities[i], dtypes=types, shapes=shapes,
                        shared_name=None if shared_name is None else '%s_%d' % (shared_name, i),
                        name='bucket_queue_%d' % i)
            for i in range(num_buckets)]
        batch_dimension = (None if allow_smaller_final_batch or batch_size_per_bucket
                           else static_batch_size)
        # A padding queue on top whatever the buckets are: with smaller final batches its
        # shapes start with None, which a plain FIFOQueue refuses.
        top_queue = tf.PaddingFIFOQueue(
            capacity=capacity, dtypes=[tf.int32] + types,
            shapes=[tf.TensorShape([])] + [tf.TensorShape([batch_dimension]).concatenate(s)
                                           for s in bucket_queues[0].shapes],
            shared_name=shared_name, name='top_queue')

        def enqueue_which():
            return tf.group(*[tf.cond(tf.equal(which_bucket, i),
                                      functools.partial(queue.enqueue, tensor_list), tf.no_op)
                              for i, queue in enumerate(bucket_queues)],
                            name='group_enqueues')

        maybe_enqueue = smart_cond(keep_input, enqueue_which, tf.no_op)
        enqueues_to_top = []
        for i, (queue, size) in enumerate(zip(bucket_queues, batch_sizes)):
            dequeue = queue.dequeue_up_to if allow_smaller_final_batch else queue.dequeue_many
            batch = dequeue(size, name='read_bucket_%d' % i)
            enqueues_to_top.append(top_queue.enqueue(
                [tf.constant(i)] + (list(batch) if isinstance(batch, (list, tuple))
                                    else [batch]),
                name='enqueue_from_bucket_%d' % i))
        # Each runner closes the queues it fills once its inputs run out: the examples'
        # runner the buckets, and the buckets' runner, when every bucket has been emptied
        # into batches, the top queue; so no example is lost when the input ends.
        closed = (tf.errors.OutOfRangeError, tf.errors.CancelledError)
        tf.train.add_queue_runner(tf.train.QueueRunner(
            bucket_queues[0], enqueues_to_top, close_op=top_queue.close(),
            cancel_op=top_queue.close(cancel_pending_enqueues=True),
            queue_closed_exception_types=closed))
        tf.train.add_queue_runner(tf.train.QueueRunner(
            top_queue, [maybe_enqueue] * num_threads,
            close_op=tf.group(*[queue.close() for queue in bucket_queues]),
            cancel_op=tf.group(*[queue.close(cancel_pending_enqueues=True)
                                 for queue in bucket_queues]),
            queue_closed_exception_types=closed))
        top_size = tf.cast(top_queue.size(), tf.float32)
        for queue in bucket_queues:
            tf.summary.scalar('bucket/%s/size' % queue.name, top_size)
        tf.summary.scalar('bucket/%s/fraction_of_%d_full' % (top_queue.name, capacity),
                          top_size * (1. / capacity))
        dequeued = top_queue.dequeue(name='dequeue_top')
        restored = input_lib._restore_sparse_tensors(dequeued[1:], sparse_info)
        return dequeued[0], input_lib._as_original_type(tensors, restored)


def bucket_by_sequence_length(input_length, tensors, batch_size, bucket_boundaries,
                              num_threads=1, capacity=32, bucket_capacities=None,
                              shapes=None, dynamic_pad=False,
                              allow_smaller_final_batch=False, keep_input=True,
                              shared_name=None, name=None):
    """(lengths, batch): bucket() with the bucket chosen by `input_length` (an int32
    scalar) against the increasing `bucket_boundaries`: length < b[0], b[0] <= length <
    b[1], ..., b[-1] <= length; `lengths` are the batch's input lengths."""
    tensor_list = input_lib._as_tensor_list(tensors)
    if not isinstance(bucket_boundaries, (list, tuple)):
        raise TypeError('bucket_boundaries must be a list or tuple, but received: %s'
                        % bucket_boundaries)
    if not bucket_boundaries:
        raise ValueError('bucket_boundaries must not be empty')
    for start, end in zip(bucket_boundaries[:-1], bucket_boundaries[1:]):
        if not isinstance(start, int) or not isinstance(end, int):
            raise TypeError('bucket boundaries must be integers, but saw: %s and %s'
                            % (start, end))
        if start >= end:
            raise ValueError('Buckets must contain sequential increasing lengths, but saw: '
                             '%d before %d' % (start, end))
    with tf.name_scope(name, 'bucket_by_sequence_length', [input_length] + tensor_list):
        input_length = tf.convert_to_tensor(input_length, dtype=tf.int32, name='input_length')
        # The bucket whose [min, max) holds the length: [-inf, b0), [b0, b1) ... [bN, inf).
        buckets_min = [np.iinfo(np.int32).min] + list(bucket_boundaries)
        buckets_max = list(bucket_boundaries) + [np.iinfo(np.int32).max]
        inside = tf.logical_and(tf.less_equal(buckets_min, input_length),
                                tf.less(input_length, buckets_max))
        which_bucket = tf.cast(tf.reduce_min(tf.where(inside)), tf.int32)
        if shapes is not None:
            shapes = [tf.TensorShape([])] + shapes
        _, dequeued = bucket(
            tensors=[input_length] + tensor_list, which_bucket=which_bucket,
            batch_size=batch_size, num_buckets=len(bucket_boundaries) + 1,
            num_threads=num_threads, capacity=capacity, bucket_capacities=bucket_capacities,
            shapes=shapes, dynamic_pad=dynamic_pad,
            allow_smaller_final_batch=allow_smaller_final_batch, keep_input=keep_input,
            shared_name=shared_name)
        return dequeued[0], input_lib._as_original_type(tensors, dequeued[1:])
