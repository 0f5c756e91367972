"""tf1's contrib.training bucketing (bucket, bucket_by_sequence_length): every batch comes
from one bucket, holds every example of it once, is padded to its longest sequence, and
keep_input filters; TF 1.x's shapes and errors."""
import numpy as np
import pytest
import tensorflow.compat.v1 as tf

from tf1.api import tensorflow as tf1_api

tf.disable_v2_behavior()

training = tf1_api.contrib.training
pytestmark = pytest.mark.usefixtures('fresh_graph')  # conftest.py


def example_queue(values):
    """A queue of examples (v, [v] * v, three strings of v), filled before reading."""
    queue = tf.PaddingFIFOQueue(1000, [tf.int32, tf.int64, tf.string], [(), (None,), (3,)])
    value = tf.placeholder(tf.int32, ())
    sequence = tf.placeholder(tf.int64, (None,))
    strings = tf.placeholder(tf.string, (3,))
    enqueue = queue.enqueue((value, sequence, strings))
    feeds = [{value: v, sequence: [v] * v, strings: [str(v)] * 3} for v in values]
    return queue, enqueue, feeds


def run_batches(enqueue, feeds, fetches, count, queue):
    """`count` runs of `fetches` (all of them until the input runs out: count=None), the
    input queue filled and closed first."""
    with tf.Session() as session:
        for feed in feeds:
            session.run(enqueue, feed)
        session.run(queue.close())
        coord = tf.train.Coordinator()
        threads = tf.train.start_queue_runners(session, coord)
        results = []
        try:
            while count is None or len(results) < count:
                results.append(session.run(fetches))
        except tf.errors.OutOfRangeError:
            assert count is None
        finally:
            coord.request_stop()
            coord.join(threads)
        return results


def test_even_and_odd_buckets_batch_and_pad_separately():
    queue, enqueue, feeds = example_queue(range(16))
    value, sequence, strings = queue.dequeue()
    which, (values, sequences, texts) = training.bucket(
        [value, sequence, strings], which_bucket=value % 2, num_buckets=2, batch_size=8,
        num_threads=4, dynamic_pad=True)
    assert [t.shape.as_list() for t in (values, sequences, texts)] == [[8], [8, None], [8, 3]]
    batches = run_batches(enqueue, feeds, [which, values, sequences, texts], 2, queue)
    for bucket_id, got, padded, strs in batches:
        order = np.argsort(got)
        assert list(got[order]) == list(range(bucket_id, 16, 2))  # each once, this bucket
        assert padded.shape == (8, max(got))  # padded to the batch's longest
        for v, row, text in zip(got, padded, strs):
            assert list(row) == [v] * v + [0] * (padded.shape[1] - v)
            assert list(text) == [str(v).encode()] * 3
    assert sorted(b[0] for b in batches) == [0, 1]


def test_per_bucket_batch_sizes_and_keep_input():
    # Kept: the multiples of 3, four below 10 (bucket 0, batches of 2) and three above
    # (bucket 1, batches of 5: never full).
    queue, enqueue, feeds = example_queue(range(20))
    value, sequence, strings = queue.dequeue()
    which, (values, _) = training.bucket(
        [value, sequence], which_bucket=tf.cast(value >= 10, tf.int32), num_buckets=2,
        batch_size=[2, 5], keep_input=tf.equal(value % 3, 0), dynamic_pad=True)
    assert values.shape.as_list() == [None]  # the batch size differs by bucket
    batches = run_batches(enqueue, feeds, [which, values], 2, queue)
    assert [bucket_id for bucket_id, _ in batches] == [0, 0]
    assert [len(got) for _, got in batches] == [2, 2]
    assert sorted(np.concatenate([got for _, got in batches])) == [0, 3, 6, 9]


def test_bucket_by_sequence_length_groups_similar_lengths():
    queue, enqueue, feeds = example_queue([1, 3, 4, 5, 6, 10] * 8)
    value, sequence, strings = queue.dequeue()
    lengths, (sequences, texts) = training.bucket_by_sequence_length(
        value, [sequence, strings], batch_size=4, bucket_boundaries=[3, 5, 10],
        dynamic_pad=True, num_threads=2)
    assert lengths.shape.as_list() == [4] and sequences.shape.as_list() == [4, None]
    bounds = [-np.inf, 3, 5, 10, np.inf]
    for got, padded, _ in run_batches(enqueue, feeds, [lengths, sequences, texts], 10,
                                      queue):
        buckets = {np.searchsorted(bounds, v, side='right') for v in got}
        assert len(buckets) == 1, got  # one bucket per batch
        assert [int((row > 0).sum()) for row in padded] == list(got)


def test_smaller_final_batches_deliver_every_example_once():
    queue, enqueue, feeds = example_queue(range(23))
    value, sequence, _ = queue.dequeue()
    _, (values, _) = training.bucket([value, sequence], which_bucket=value % 3,
                                     num_buckets=3, batch_size=4, num_threads=3,
                                     dynamic_pad=True, allow_smaller_final_batch=True)
    batches = run_batches(enqueue, feeds, values, None, queue)
    assert sorted(np.concatenate(batches)) == list(range(23))
    assert all(len({v % 3 for v in batch}) == 1 for batch in batches)


def test_errors_are_tf_1_xs():
    value = tf.constant(3)
    with pytest.raises(ValueError, match='must have exactly num_buckets'):
        training.bucket([value], which_bucket=0, num_buckets=2, batch_size=4,
                        bucket_capacities=[3, 4, 5])
    with pytest.raises(ValueError, match='If batch_size is a list it must have num_buckets'):
        training.bucket([value], which_bucket=0, num_buckets=2, batch_size=[1, 2, 3])
    with pytest.raises(ValueError, match='sequential increasing lengths, but saw: 5 before 3'):
        training.bucket_by_sequence_length(value, [value], 2, bucket_boundaries=[5, 3])
    with pytest.raises(TypeError, match='bucket_boundaries must be a list or tuple'):
        training.bucket_by_sequence_length(value, [value], 2, bucket_boundaries=5)
    with pytest.raises(ValueError, match='bucket_boundaries must not be empty'):
        training.bucket_by_sequence_length(value, [value], 2, bucket_boundaries=[])
    assert tf1_api.contrib.training.python.training.bucket_ops.bucket is training.bucket
