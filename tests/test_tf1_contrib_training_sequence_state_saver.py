"""tf1's tf.contrib.training sequence state saver (TF 1.15's SequenceQueueingStateSaver and
batch_sequences_with_states): examples of any length cut into segments of num_unroll
steps, batched across examples, each segment given the state its predecessor saved.
TF 1.15's own sequence_queueing_state_saver_test and batch_sequences_with_states_test
(20 tests) pass against it too (docs/tf1.md); these are this project's."""
import numpy as np
import pytest
import tensorflow.compat.v1 as tf

from tf1.api import tensorflow as tf1_api

tf.disable_v2_behavior()
pytestmark = pytest.mark.usefixtures('fresh_graph')  # conftest.py

training = tf1_api.contrib.training

LENGTHS = {b'a': 5, b'b': 3, b'c': 6, b'd': 1}  # steps per example


def examples():
    """The examples, over and over, `key` + its round's number as the key: steps 1, 2, ...
    of its length; its context, the length times 10. Never ending: when the input ends, the
    barrier's kernel, TF 1.x's, may close its queue of complete segments while a batch is
    being taken (and then not cancel it), which no test should depend on."""
    def rounds():
        for round_number in range(1000):
            for key, length in LENGTHS.items():
                yield (key + b'%d' % round_number, length,
                       np.arange(1, length + 1, dtype=np.float32)[:, None])

    dataset = tf.data.Dataset.from_generator(
        rounds, output_types=(tf.string, tf.int32, tf.float32),
        output_shapes=([], [], [None, 1]))
    return tf.data.make_one_shot_iterator(dataset).get_next()


def test_each_segment_gets_the_state_its_predecessor_saved_and_every_step_is_seen_once():
    key, length, steps = examples()
    tens = tf.cast(length, tf.float32) * 10
    # The same again as a SparseTensor sequence and context, which travel through the
    # barrier as handles and come back batched.
    batch = training.batch_sequences_with_states(
        input_key=key, input_sequences={'steps': steps, 'sparse': tf.sparse.from_dense(steps)},
        input_context={'tens': tens, 'sparse_tens': tf.sparse.from_dense(tens[None])},
        input_length=length,
        initial_states={'total': tf.zeros([1])}, num_unroll=2, batch_size=2, num_threads=1,
        capacity=8)
    total = batch.state('total')
    # The state is the running sum of the steps: each segment adds its own.
    save = batch.save_state('total', total + tf.reduce_sum(batch.sequences['steps'], 1))
    fetches = {'key': batch.key, 'next_key': batch.next_key, 'sequence': batch.sequence,
               'count': batch.sequence_count, 'length': batch.length,
               'total_length': batch.total_length, 'steps': batch.sequences['steps'],
               'tens': batch.context['tens'], 'total': total,
               'sparse': tf.sparse.to_dense(batch.sequences['sparse']),
               'sparse_tens': tf.sparse.to_dense(batch.context['sparse_tens'])}
    by_example = {}
    round_zero_segments = sum(-(-length // 2) for length in LENGTHS.values())
    with tf.Session() as sess:
        coord = tf.train.Coordinator()
        threads = tf.train.start_queue_runners(sess=sess, coord=coord)
        while sum(len(by_example.get(key + b'0', ())) for key in LENGTHS) < round_zero_segments:
            got, _ = sess.run([fetches, save])
            for values in zip(*got.values()):
                segment = dict(zip(got, values))
                by_example.setdefault(segment['key'].split(b':')[1], []).append(segment)
        coord.request_stop()
        coord.join(threads)

    for name, length in LENGTHS.items():
        example = sorted(by_example[name + b'0'], key=lambda segment: segment['sequence'])
        count = -(-length // 2)  # padded to a multiple of num_unroll
        assert [s['sequence'] for s in example] == list(range(count))
        steps = np.concatenate([s['steps'][:, 0] for s in example])
        np.testing.assert_array_equal(steps[:length], np.arange(1, length + 1))
        assert not steps[length:].any()  # the padding is zeros
        for index, segment in enumerate(example):
            key = name + b'0'
            assert segment['key'] == b'%05d_of_%05d:%s' % (index, count, key)
            assert segment['next_key'] == (b'%05d_of_%05d:%s' % (index + 1, count, key)
                                           if index + 1 < count else b'STOP:' + key)
            assert segment['count'] == count and segment['total_length'] == length
            assert segment['length'] == min(2, length - 2 * index)
            assert segment['tens'] == 10 * length
            np.testing.assert_array_equal(segment['sparse'], segment['steps'])
            assert segment['sparse_tens'].tolist() == [10 * length]
            assert segment['total'][0] == steps[:2 * index].sum()


def test_an_lstm_run_segment_by_segment_matches_one_run_over_the_whole_sequence():
    """static_state_saving_rnn over the saver's segments carries the LSTM's state across
    them: its outputs are those of one pass over the unsplit sequence."""
    sequence = np.random.RandomState(0).randn(6, 3).astype(np.float32)
    cell = tf1_api.nn.rnn_cell.LSTMCell(4, state_is_tuple=False,
                                        initializer=tf.constant_initializer(0.3))
    state_saver = training.SequenceQueueingStateSaver(
        batch_size=1, num_unroll=2, input_length=6, input_key='the only one',
        input_sequences={'x': sequence}, input_context={},
        initial_states={'lstm': tf.zeros([cell.state_size])})
    batch = state_saver.next_batch
    inputs = tf.unstack(batch.sequences['x'], axis=1)
    outputs, _ = tf1_api.nn.static_state_saving_rnn(cell, inputs, state_saver=batch,
                                                    state_name='lstm')
    whole, _ = tf.nn.static_rnn(cell, tf.unstack(sequence[None], axis=1), dtype=tf.float32)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(state_saver.prefetch_op)
        segments = [sess.run(outputs) for _ in range(3)]
        np.testing.assert_allclose(np.concatenate(segments), sess.run(whole), rtol=1e-5)


def test_what_it_refuses():
    sequences, states = {'x': tf.zeros([4, 1])}, {'s': tf.zeros([1])}
    with pytest.raises(ValueError, match='capacity 1 needs to be >= batch_size 2'):
        training.SequenceQueueingStateSaver(2, 2, 4, 'k', sequences, {}, states, capacity=1)
    with pytest.raises(ValueError, match='initial_states may not be empty'):
        training.SequenceQueueingStateSaver(2, 2, 4, 'k', sequences, {}, {})
    with pytest.raises(ValueError, match="state name may not have a colon: 'a:b'"):
        training.SequenceQueueingStateSaver(2, 2, 4, 'k', sequences, {}, {'a:b': [0.]})
    with pytest.raises(ValueError, match='Shape for sequence y is not fully defined'):
        training.SequenceQueueingStateSaver(
            2, 2, 4, 'k', {'y': tf.placeholder(tf.float32, [None, None])}, {}, states)
    with pytest.raises(TypeError, match='length dtype must be int32'):
        training.SequenceQueueingStateSaver(2, 2, 4.0, 'k', sequences, {}, states)
    batch = training.SequenceQueueingStateSaver(2, 2, 4, 'k', sequences, {}, states).next_batch
    with pytest.raises(KeyError, match='state was not declared: t'):
        batch.save_state('t', tf.zeros([2, 1]))
    module = training.python.training.sequence_queueing_state_saver
    assert module.batch_sequences_with_states is training.batch_sequences_with_states
