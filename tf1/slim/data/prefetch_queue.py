"""prefetch_queue: a queue that a queue runner keeps filled with `tensors` (typically the
batches of tf.train.batch), so that the training step dequeues an assembled batch instead
of waiting for one; its fill level is summarised as `fraction_of_<capacity>_full`."""
import tensorflow.compat.v1 as tf


def prefetch_queue(tensors, capacity=8, num_threads=1, dynamic_pad=False, shared_name=None,
                   name=None):
    """The queue (dequeue() gives tensors like `tensors`, a list or a dict); num_threads
    threads enqueue; dynamic_pad allows dimensions unknown until run time."""
    if isinstance(tensors, dict):  # by sorted name, the same order on every run
        names = sorted(tensors)
        tensor_list = [tensors[name_] for name_ in names]
    else:
        names, tensor_list = None, tensors
    with tf.name_scope(name, 'prefetch_queue', tensor_list):
        queue_class = tf.PaddingFIFOQueue if dynamic_pad else tf.FIFOQueue
        queue = queue_class(capacity=capacity, dtypes=[t.dtype for t in tensor_list],
                            shapes=[t.get_shape() for t in tensor_list], names=names,
                            shared_name=shared_name)
        enqueue_op = queue.enqueue(tensors)
        tf.train.add_queue_runner(tf.train.QueueRunner(queue, [enqueue_op] * num_threads))
        tf.summary.scalar('fraction_of_%d_full' % capacity,
                          tf.cast(queue.size(), tf.float32) * (1. / capacity))
        return queue
