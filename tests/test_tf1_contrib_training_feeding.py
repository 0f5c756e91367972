"""tf1's tf.contrib.training.FeedingQueueRunner (TF 1.15's estimator/inputs/queues): Python
feed functions fill a queue in background threads; a spent feed closes it, a failing one
stops the Coordinator. The cases of TF 1.15's feeding_queue_runner_test, with the feed
functions written out (its enqueue_data helper was numpy_input_fn's, not contrib's)."""
import threading

import numpy as np
import pytest
import tensorflow.compat.v1 as tf

from tf1.api import MOVED_MODULES
from tf1.api import tensorflow as tf1_api

tf.disable_v2_behavior()
pytestmark = pytest.mark.usefixtures('fresh_graph')  # conftest.py

FeedingQueueRunner = tf1_api.contrib.training.FeedingQueueRunner


def array_queue(array, threads, order, capacity=100, rows=None):
    """A queue of (index, row) pairs of `array`, filled by `threads` threads that take the
    indices from `order` (an iterator, shared) and raise OutOfRangeError when it is spent;
    the dequeue op of batches of 3."""
    index = tf.placeholder(tf.int64, [])
    row = tf.placeholder(tf.int64, array.shape[1:])
    queue = tf.FIFOQueue(capacity, [tf.int64, tf.int64], shapes=[[], array.shape[1:]])
    lock = threading.Lock()

    def feed():
        with lock:
            i = next(order, None)
        if i is None:
            raise tf.errors.OutOfRangeError(None, None, 'the indices are spent')
        return {index: i, row: array[i]}

    enqueue = queue.enqueue([index, row])
    tf.train.add_queue_runner(FeedingQueueRunner(queue, [enqueue] * threads,
                                                 feed_fns=[feed] * threads))
    return queue.dequeue_many(3)


def test_one_thread_feeds_the_rows_in_order():
    array = np.arange(32).reshape([16, 2])
    batch = array_queue(array, 1, (i % 16 for i in range(300)))
    with tf.Session() as sess:
        coord = tf.train.Coordinator()
        threads = tf.train.start_queue_runners(sess=sess, coord=coord)
        for step in range(100):
            indices = [i % 16 for i in range(3 * step, 3 * step + 3)]
            got_indices, rows = sess.run(batch)
            np.testing.assert_array_equal(got_indices, indices)
            np.testing.assert_array_equal(rows, array[indices])
        coord.request_stop()
        coord.join(threads)


def test_eight_threads_keep_each_row_with_its_index_and_a_spent_feed_closes_the_queue():
    array = np.arange(256).reshape([128, 2])
    order = iter(np.random.RandomState(0).permutation(128))
    batch = array_queue(array, 8, order, capacity=16)
    seen = []
    with tf.Session() as sess:
        coord = tf.train.Coordinator()
        threads = tf.train.start_queue_runners(sess=sess, coord=coord)
        with pytest.raises(tf.errors.OutOfRangeError):  # closed once all eight are done
            while True:
                indices, rows = sess.run(batch)
                np.testing.assert_array_equal(rows, array[indices])
                seen.extend(indices)
        coord.request_stop()
        coord.join(threads)
    # 128 rows in batches of 3: the last 2 stay queued, as dequeue_many leaves them.
    assert len(seen) == 126 and len(set(seen)) == 126


def test_a_failing_feed_function_stops_the_coordinator_with_its_error():
    x = tf.placeholder(tf.float32, [])
    queue = tf.FIFOQueue(4, [tf.float32], shapes=[[]])

    def feed():
        raise ValueError('the feed is broken')

    tf.train.add_queue_runner(FeedingQueueRunner(queue, [queue.enqueue([x])],
                                                 feed_fns=[feed]))
    with tf.Session() as sess:
        coord = tf.train.Coordinator()
        threads = tf.train.start_queue_runners(sess=sess, coord=coord)
        with pytest.raises(ValueError, match='the feed is broken'):
            coord.join(threads)


def test_feed_fns_must_match_the_enqueue_ops_and_a_checkpoint_skips_the_runner(tmp_path):
    queue = tf.FIFOQueue(4, [tf.float32], shapes=[[]])
    enqueue = queue.enqueue([tf.constant(1.0)])
    with pytest.raises(ValueError, match='same length as enqueue_ops'):
        FeedingQueueRunner(queue, [enqueue], feed_fns=[dict, dict])
    runner = FeedingQueueRunner(queue, [enqueue])  # no feed functions: nothing fed
    with pytest.raises(NotImplementedError, match='serialization to proto'):
        runner.to_proto()
    # Saver writes a meta-graph with every checkpoint: as under TF 1.x, the runner, which
    # no proto can hold, is left out of it and the save succeeds.
    tf.train.add_queue_runner(runner)
    tf.Variable(1.0)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        tf.train.Saver().save(sess, str(tmp_path / 'model.ckpt'))
    assert (tmp_path / 'model.ckpt.meta').exists()


def test_its_module_paths():
    training_module = tf1_api.contrib.training.python.training.feeding_queue_runner
    estimator_module = MOVED_MODULES[
        'tensorflow.python.estimator.inputs.queues.feeding_queue_runner']
    assert training_module.FeedingQueueRunner is FeedingQueueRunner
    assert estimator_module._FeedingQueueRunner is FeedingQueueRunner
