"""tf1's TF 1.x feeding functions (tensorflow.python.estimator.inputs.queues.
feeding_functions), which scripts that copied numpy_io.py call: `_enqueue_data` fills a
queue from arrays, an OrderedDict of them or a generator, in order or shuffled, padded or
not, through a FeedingQueueRunner, and a pandas DataFrame; TF 1.x's numpy_io helpers beside
it. (TF 1.12's own feeding_functions_test and feeding_queue_runner_test also pass against
it under `python -m tf1`.)"""
import collections

import numpy as np
import pytest
import tensorflow.compat.v1 as tf

from tf1.api import MOVED_MODULES

tf.disable_v2_behavior()
pytestmark = pytest.mark.usefixtures('fresh_graph')  # conftest.py

ff = MOVED_MODULES['tensorflow.python.estimator.inputs.queues.feeding_functions']
numpy_io = MOVED_MODULES['tensorflow.python.estimator.inputs.numpy_io']


def drain(tensors):
    """Every batch `tensors` give until the input ends, the queue runners started."""
    batches = []
    with tf.Session() as session:
        session.run(tf.local_variables_initializer())
        coord = tf.train.Coordinator()
        threads = tf.train.start_queue_runners(session, coord=coord)
        try:
            while True:
                batches.append(session.run(tensors))
        except tf.errors.OutOfRangeError:
            pass
        coord.request_stop()
        coord.join(threads)
    return batches


def test_an_ordered_dict_of_arrays_is_queued_in_order_with_row_numbers_for_its_epochs():
    data = collections.OrderedDict([('a', np.arange(5) * 1.0), ('b', np.arange(10, 15))])
    queue = ff._enqueue_data(data, capacity=10, enqueue_size=2, num_epochs=2)
    batches = drain(queue.dequeue_up_to(4))
    rows = np.concatenate([batch[0] for batch in batches])
    assert rows.tolist() == [0, 1, 2, 3, 4] * 2
    assert np.concatenate([batch[1] for batch in batches]).tolist() == [0., 1., 2., 3., 4.] * 2
    assert np.concatenate([batch[2] for batch in batches]).tolist() == list(range(10, 15)) * 2
    # the feeding runner is in the collection start_queue_runners reads, with a summary
    runners = tf.get_collection(tf.GraphKeys.QUEUE_RUNNERS)
    assert [type(runner).__name__ for runner in runners] == ['FeedingQueueRunner']
    assert any('fraction_over_0_of_10_full' in op.name
               for op in tf.get_default_graph().get_operations())


def test_shuffled_array_rows_each_come_once_per_epoch():
    array = np.arange(20).reshape(10, 2)
    queue = ff._enqueue_data(array, capacity=8, shuffle=True, seed=3, enqueue_size=3,
                             num_epochs=1)
    indices, rows = (np.concatenate(part) for part in zip(*drain(queue.dequeue_up_to(4))))
    assert sorted(indices.tolist()) == list(range(10))
    assert (rows == array[indices]).all()  # each row with its row number


def test_a_data_frame_is_queued_with_its_index():
    pandas = pytest.importorskip('pandas')
    frame = pandas.DataFrame({'a': [1.0, 2.0, 3.0], 'b': [4, 5, 6]}, index=[7, 8, 9])
    queue = ff._enqueue_data(frame, capacity=10, enqueue_size=2, num_epochs=1)
    index, a, b = (np.concatenate(part) for part in zip(*drain(queue.dequeue_up_to(2))))
    assert index.tolist() == [7, 8, 9] and a.tolist() == [1., 2., 3.] and b.tolist() == [4, 5, 6]


def test_a_generator_is_padded_to_the_longest_sequence_of_each_dequeue():
    def sequences():
        for length in (1, 3, 2):
            yield {'tokens': np.arange(1, length + 1), 'length': np.array(length)}

    queue = ff._enqueue_data(sequences, capacity=10, enqueue_size=2, num_epochs=1,
                             pad_value=0)
    batches = drain(queue.dequeue_up_to(3))
    lengths, tokens = batches[0]  # the keys in sorted order
    assert lengths.tolist() == [1, 3, 2]
    assert tokens.tolist() == [[1, 0, 0], [1, 2, 3], [1, 2, 0]]


def test_the_last_epoch_ends_with_a_short_batch():
    # a random start at row 3 of 5: its epoch ends at row 2
    assert ff._get_integer_indices_for_next_batch(3, 4, 2, 5, 0, 1) == ([3, 4, 0, 1], 0)
    assert ff._get_integer_indices_for_next_batch(2, 4, 2, 5, 0, 1) == ([2], 1)
    with pytest.raises(tf.errors.OutOfRangeError, match='Already emitted 1 epochs'):
        ff._get_integer_indices_for_next_batch(3, 4, 2, 5, 1, 1)
    assert ff._get_integer_indices_for_next_batch(0, 12, 4, 5, 0, None)[1] == 2  # forever


@pytest.mark.parametrize('data, kwargs, error, message', [
    ([1, 2, 3], {}, TypeError, 'data must be either a numpy array or pandas DataFrame'),
    (np.arange(3), dict(pad_value=0), NotImplementedError, 'only available with generator'),
    (lambda: iter([{'a': np.arange(2)}]), dict(pad_value=0, shuffle=True),
     NotImplementedError, 'padding and shuffling'),
])
def test_refusals_are_tf_1x_s_in_one_line(data, kwargs, error, message):
    with pytest.raises(error, match=message) as raised:
        ff._enqueue_data(data, capacity=4, **kwargs)
    assert '\n' not in str(raised.value)


def test_numpy_io_helpers_are_tf_1x_s():
    ordered = numpy_io._validate_and_convert_features({'b': np.arange(2), 'a': np.arange(2)})
    assert list(ordered) == ['a', 'b']
    assert list(numpy_io._validate_and_convert_features(np.arange(2))) == ['__direct_np_input__']
    with pytest.raises(ValueError, match='x cannot be an empty dict'):
        numpy_io._validate_and_convert_features({})
    assert numpy_io._get_unique_target_key({'__target_key__': 1}) == '__target_key___n'
    # numpy_input_fn keeps an array y apart from a feature of the same name
    x = {'__target_key__': np.arange(3)}
    features, labels = drain(numpy_io.numpy_input_fn(x, np.arange(3) * 10, batch_size=3,
                                                     shuffle=False)())[0]
    assert features['__target_key__'].tolist() == [0, 1, 2]
    assert labels.tolist() == [0, 10, 20]
