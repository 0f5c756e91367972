"""tf.contrib.learn.io's queue-based readers (TF 1.0-1.15, ported from contrib/learn/python/
learn/learn_io/graph_io.py): files matching a pattern, read by a reader class
(tf.TFRecordReader ...), optionally parsed, batched (shuffled or in order) by queue runners;
the `features` variants parse tf.Examples and queue the parsed tensors.

    read_batch_examples, read_keyed_batch_examples(_shared_queue)
    read_batch_features, read_keyed_batch_features(_shared_queue), read_batch_record_features
    queue_parsed_features

The `_shared_queue` variants named their file queue for workers of a cluster to share (a
contrib op TensorFlow no longer ships); in one process they read as the others do."""
import tensorflow.compat.v1 as tf
from tensorflow.python.framework import smart_cond
from tensorflow.python.platform import gfile  # looked up at each call, as TF 1.x did

__all__ = ['queue_parsed_features', 'read_batch_examples', 'read_batch_features',
           'read_batch_record_features', 'read_keyed_batch_examples',
           'read_keyed_batch_examples_shared_queue', 'read_keyed_batch_features',
           'read_keyed_batch_features_shared_queue']

KEY_FEATURE_NAME = '__key__'


def read_batch_examples(file_pattern, batch_size, reader, randomize_input=True,
                        num_epochs=None, queue_capacity=10000, num_threads=1,
                        read_batch_size=1, parse_fn=None, name=None, seed=None):
    """A batch of records (parsed by `parse_fn` if given) from the matching files."""
    _, examples = read_keyed_batch_examples(
        file_pattern=file_pattern, batch_size=batch_size, reader=reader,
        randomize_input=randomize_input, num_epochs=num_epochs, queue_capacity=queue_capacity,
        num_threads=num_threads, read_batch_size=read_batch_size, parse_fn=parse_fn, name=name,
        seed=seed)
    return examples


def read_keyed_batch_examples(file_pattern, batch_size, reader, randomize_input=True,
                              num_epochs=None, queue_capacity=10000, num_threads=1,
                              read_batch_size=1, parse_fn=None, name=None, seed=None):
    """(keys, records): each record with its key ('file:record number')."""
    return _read_keyed_batch_examples_helper(
        file_pattern, batch_size, reader, randomize_input=randomize_input,
        num_epochs=num_epochs, queue_capacity=queue_capacity, num_threads=num_threads,
        read_batch_size=read_batch_size, parse_fn=parse_fn, name=name, seed=seed)


def read_keyed_batch_examples_shared_queue(file_pattern, batch_size, reader,
                                           randomize_input=True, num_epochs=None,
                                           queue_capacity=10000, num_threads=1,
                                           read_batch_size=1, parse_fn=None, name=None,
                                           seed=None):
    """read_keyed_batch_examples, its file names taken in turn by every worker that
    builds the same graph on one server."""
    return _read_keyed_batch_examples_helper(
        file_pattern, batch_size, reader, randomize_input=randomize_input,
        num_epochs=num_epochs, queue_capacity=queue_capacity, num_threads=num_threads,
        read_batch_size=read_batch_size, parse_fn=parse_fn, setup_shared_queue=True,
        name=name, seed=seed)


def _get_file_names(file_pattern, randomize_input):
    if isinstance(file_pattern, list):
        if not file_pattern:
            raise ValueError('No files given to dequeue_examples.')
        file_names = [name for entry in file_pattern for name in gfile.Glob(entry)]
    else:
        file_names = list(gfile.Glob(file_pattern))
    if not file_names:
        raise ValueError('No files match %s.' % file_pattern)
    return file_names if randomize_input else sorted(file_names)


def _seek_next(file_names, shuffle, num_epochs, seed):
    """The next file name each time it runs, epoch after epoch (each epoch in its own
    shuffled order), then OutOfRange after `num_epochs` (contrib's seek_next op). Its
    position is a local variable, which a server keeps by name across sessions: workers
    building the same graph there take the files in turn."""
    count = len(file_names)
    position = tf.Variable(tf.constant(0, tf.int64), trainable=False, name='position',
                           collections=[tf.GraphKeys.LOCAL_VARIABLES])
    if num_epochs:
        taken = tf.count_up_to(position, count * num_epochs)
    else:
        taken = tf.assign_add(position, 1) - 1
    epoch, index = taken // count, taken % count
    if shuffle:
        order = tf.argsort(tf.random.stateless_uniform(
            [count], seed=tf.stack([tf.constant(seed or 0, tf.int64), epoch])))
        index = tf.gather(order, index)
    return tf.gather(tf.constant(file_names, name='input'), index)


def _get_examples(file_name_queue, reader, num_threads, read_batch_size, filter_fn,
                  parse_fn):
    """One (keys, records) per reading thread, filtered and parsed."""
    with tf.name_scope('read'):
        example_list = []
        for _ in range(num_threads):
            keys, examples_proto = smart_cond.smart_cond(
                read_batch_size > 1,
                lambda: tuple(reader().read_up_to(file_name_queue, read_batch_size)),
                lambda: tuple(reader().read(file_name_queue)))
            if filter_fn:
                mask = filter_fn(keys, examples_proto)
                keys = tf.boolean_mask(keys, mask)
                examples_proto = tf.boolean_mask(examples_proto, mask)
            if parse_fn:
                parsed_examples = parse_fn(examples_proto)
                if isinstance(parsed_examples, dict):
                    parsed_examples[KEY_FEATURE_NAME] = keys
                    example_list.append(parsed_examples)
                else:
                    example_list.append((keys, parsed_examples))
            else:
                example_list.append((keys, examples_proto))
        return example_list


def _read_keyed_batch_examples_helper(file_pattern, batch_size, reader, randomize_input=True,
                                      num_epochs=None, queue_capacity=10000, num_threads=1,
                                      read_batch_size=1, filter_fn=None, parse_fn=None,
                                      setup_shared_queue=False, name=None, seed=None):
    file_names = _get_file_names(file_pattern, randomize_input)
    if not queue_capacity or queue_capacity <= 0:
        raise ValueError('Invalid queue_capacity %s.' % queue_capacity)
    if batch_size is None or (not isinstance(batch_size, tf.Tensor) and (
            batch_size <= 0 or batch_size >= queue_capacity)):
        raise ValueError('Invalid batch_size %s, with queue_capacity %s.'
                         % (batch_size, queue_capacity))
    if read_batch_size is None or (not isinstance(read_batch_size, tf.Tensor) and
                                   read_batch_size <= 0):
        raise ValueError('Invalid read_batch_size %s.' % read_batch_size)
    if not num_threads or num_threads <= 0:
        raise ValueError('Invalid num_threads %s.' % num_threads)
    if num_epochs is not None and num_epochs <= 0:
        raise ValueError('Invalid num_epochs %s.' % num_epochs)

    with tf.name_scope(name, 'read_batch_examples', [file_pattern]) as scope:
        with tf.name_scope('file_name_queue') as file_name_queue_scope:
            if setup_shared_queue:
                file_name_queue = tf.FIFOQueue(capacity=1, dtypes=[tf.string], shapes=[[]])
                enqueue_op = file_name_queue.enqueue(
                    _seek_next(file_names, randomize_input, num_epochs, seed))
                tf.train.add_queue_runner(tf.train.QueueRunner(file_name_queue,
                                                               [enqueue_op]))
            else:
                file_name_queue = tf.train.string_input_producer(
                    tf.constant(file_names, name='input'), shuffle=randomize_input,
                    num_epochs=num_epochs, name=file_name_queue_scope, seed=seed)
        example_list = _get_examples(file_name_queue, reader, num_threads, read_batch_size,
                                     filter_fn, parse_fn)
        enqueue_many = read_batch_size > 1
        # A finite number of epochs ends in a smaller batch rather than dropping it.
        allow_smaller_final_batch = num_epochs is not None
        if randomize_input:
            if isinstance(batch_size, tf.Tensor):
                min_after_dequeue = int(queue_capacity * 0.4)
            else:
                min_after_dequeue = max(queue_capacity - (3 * batch_size), batch_size)
            queued = tf.train.shuffle_batch_join(
                example_list, batch_size, capacity=queue_capacity,
                min_after_dequeue=min_after_dequeue, enqueue_many=enqueue_many, name=scope,
                allow_smaller_final_batch=allow_smaller_final_batch, seed=seed)
        else:
            queued = tf.train.batch_join(
                example_list, batch_size, capacity=queue_capacity, enqueue_many=enqueue_many,
                name=scope, allow_smaller_final_batch=allow_smaller_final_batch)
        if parse_fn and isinstance(queued, dict):
            queued_keys = queued.pop(KEY_FEATURE_NAME)
            return queued_keys, queued
        return queued


def read_keyed_batch_features(file_pattern, batch_size, features, reader,
                              randomize_input=True, num_epochs=None, queue_capacity=10000,
                              reader_num_threads=1, feature_queue_capacity=100,
                              num_enqueue_threads=2, parse_fn=None, name=None,
                              read_batch_size=None):
    """(keys, {feature: tensor}): batches of tf.Examples parsed by the `features` spec."""
    with tf.name_scope(name, 'read_batch_features', [file_pattern]) as scope:
        if read_batch_size is None:
            read_batch_size = batch_size
        keys, examples = read_keyed_batch_examples(
            file_pattern, batch_size, reader, randomize_input=randomize_input,
            num_epochs=num_epochs, queue_capacity=queue_capacity,
            num_threads=reader_num_threads, read_batch_size=read_batch_size,
            parse_fn=parse_fn, name=scope)
        feature_map = tf.parse_example(examples, features)
        return queue_parsed_features(feature_map, keys=keys,
                                     feature_queue_capacity=feature_queue_capacity,
                                     num_enqueue_threads=num_enqueue_threads, name=scope)


def read_keyed_batch_features_shared_queue(file_pattern, batch_size, features, reader,
                                           randomize_input=True, num_epochs=None,
                                           queue_capacity=10000, reader_num_threads=1,
                                           feature_queue_capacity=100, num_queue_runners=2,
                                           parse_fn=None, name=None):
    """read_keyed_batch_features, its file names shared as in
    read_keyed_batch_examples_shared_queue."""
    with tf.name_scope(name, 'read_batch_features', [file_pattern]) as scope:
        keys, examples = read_keyed_batch_examples_shared_queue(
            file_pattern, batch_size, reader, randomize_input=randomize_input,
            num_epochs=num_epochs, queue_capacity=queue_capacity,
            num_threads=reader_num_threads, read_batch_size=batch_size, parse_fn=parse_fn,
            name=scope)
        feature_map = tf.parse_example(examples, features)
        return queue_parsed_features(feature_map, keys=keys,
                                     feature_queue_capacity=feature_queue_capacity,
                                     num_enqueue_threads=num_queue_runners, name=scope)


def queue_parsed_features(parsed_features, keys=None, feature_queue_capacity=100,
                          num_enqueue_threads=2, name=None):
    """(keys, features) through one more FIFO queue, filled by `num_enqueue_threads` queue
    runners (sparse features as their three parts)."""
    args = list(parsed_features.values())
    if keys is not None:
        args += [keys]
    with tf.name_scope(name, 'queue_parsed_features', args):
        tensors_to_enqueue, tensors_mapping = [], []
        for key in sorted(parsed_features.keys()):
            tensor = parsed_features[key]
            is_sparse = isinstance(tensor, tf.SparseTensor)
            tensors_mapping.append((key, is_sparse))
            tensors_to_enqueue.extend([tensor.indices, tensor.values, tensor.dense_shape]
                                      if is_sparse else [tensor])
        if keys is not None:
            tensors_to_enqueue.append(keys)
        input_queue = tf.FIFOQueue(feature_queue_capacity,
                                   [x.dtype for x in tensors_to_enqueue])
        tf.summary.scalar('queue/parsed_features/%s/fraction_of_%d_full'
                          % (input_queue.name, feature_queue_capacity),
                          tf.cast(input_queue.size(), tf.float32) *
                          (1. / feature_queue_capacity))
        enqueue_ops = [input_queue.enqueue(tensors_to_enqueue)
                       for _ in range(num_enqueue_threads)]
        tf.train.add_queue_runner(tf.train.QueueRunner(
            input_queue, enqueue_ops,
            queue_closed_exception_types=(tf.errors.OutOfRangeError,
                                          tf.errors.CancelledError)))
        dequeued_tensors = input_queue.dequeue()
        if not isinstance(dequeued_tensors, list):
            dequeued_tensors = [dequeued_tensors]
        for dequeued, enqueued in zip(dequeued_tensors, tensors_to_enqueue):
            dequeued.set_shape(enqueued.get_shape())
        dequeued_parsed_features, index = {}, 0
        for key, is_sparse in tensors_mapping:
            if is_sparse:
                dequeued_parsed_features[key] = tf.SparseTensor(*dequeued_tensors[index:index + 3])
                index += 3
            else:
                dequeued_parsed_features[key] = dequeued_tensors[index]
                index += 1
        dequeued_keys = dequeued_tensors[-1] if keys is not None else None
        return dequeued_keys, dequeued_parsed_features


def read_batch_features(file_pattern, batch_size, features, reader, randomize_input=True,
                        num_epochs=None, queue_capacity=10000, feature_queue_capacity=100,
                        reader_num_threads=1, num_enqueue_threads=2, parse_fn=None, name=None,
                        read_batch_size=None):
    """{feature: tensor}: batches of tf.Examples parsed by the `features` spec."""
    _, features = read_keyed_batch_features(
        file_pattern, batch_size, features, reader, randomize_input=randomize_input,
        num_epochs=num_epochs, queue_capacity=queue_capacity,
        reader_num_threads=reader_num_threads, feature_queue_capacity=feature_queue_capacity,
        num_enqueue_threads=num_enqueue_threads, read_batch_size=read_batch_size,
        parse_fn=parse_fn, name=name)
    return features


def read_batch_record_features(file_pattern, batch_size, features, randomize_input=True,
                               num_epochs=None, queue_capacity=10000, reader_num_threads=1,
                               name='dequeue_record_examples'):
    """read_batch_features of TFRecord files."""
    return read_batch_features(
        file_pattern=file_pattern, batch_size=batch_size, features=features,
        reader=tf.TFRecordReader, randomize_input=randomize_input, num_epochs=num_epochs,
        queue_capacity=queue_capacity, reader_num_threads=reader_num_threads, name=name)
