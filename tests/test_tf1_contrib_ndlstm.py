"""tf1's tf.contrib.ndlstm against its computation written out in NumPy: LSTMs along the
rows and columns of images, reductions to sequences and vectors, and the helpers."""
import numpy as np
import pytest
import tensorflow.compat.v1 as tf

from tf1.api import tensorflow as tf1_api

tf.disable_v2_behavior()
ndlstm = tf1_api.contrib.ndlstm
lstm1d, lstm2d, misc = ndlstm.python.lstm1d, ndlstm.python.lstm2d, ndlstm.python.misc


def sigmoid(x):
    return 1. / (1. + np.exp(-x))


def lstm_reference(kernel, bias, inputs, reverse=False):
    """BasicLSTMCell (forget bias 1) over a (length, batch, depth) sequence."""
    units = bias.shape[0] // 4
    c = h = np.zeros((inputs.shape[1], units), np.float32)
    outputs = []
    for x in (inputs[::-1] if reverse else inputs):
        i, j, f, o = np.split(np.concatenate([x, h], 1) @ kernel + bias, 4, axis=1)
        c = c * sigmoid(f + 1.) + sigmoid(i) * np.tanh(j)
        h = np.tanh(c) * sigmoid(o)
        outputs.append(h)
    return np.stack(outputs[::-1] if reverse else outputs)


def rows_reference(values, images, scope):
    """horizontal_lstm: each row of each image, left to right and right to left."""
    n, height, width, depth = images.shape
    sequence = images.transpose(2, 0, 1, 3).reshape(width, n * height, depth)
    lr = lstm_reference(values[scope + 'lr/SeqLstm/rnn/basic_lstm_cell/kernel:0'],
                        values[scope + 'lr/SeqLstm/rnn/basic_lstm_cell/bias:0'], sequence)
    rl = lstm_reference(values[scope + 'rl/SeqLstm/rnn/basic_lstm_cell/kernel:0'],
                        values[scope + 'rl/SeqLstm/rnn/basic_lstm_cell/bias:0'], sequence,
                        reverse=True)
    both = np.concatenate([lr, rl], 2)
    return both.reshape(width, n, height, -1).transpose(1, 2, 0, 3)


def evaluate(tensors):
    with tf.Session() as session:
        session.run(tf.global_variables_initializer())
        return session.run(tensors), session.run({v.name: v for v in tf.global_variables()})


def test_horizontal_and_separable_lstms_are_lstms_along_rows_then_columns():
    images = np.random.RandomState(0).randn(2, 3, 4, 2).astype(np.float32)
    with tf.Graph().as_default():
        rows = lstm2d.horizontal_lstm(tf.constant(images), 5)
        both = lstm2d.separable_lstm(tf.constant(images), 3, nhidden=4)
        (got_rows, got_both), values = evaluate([rows, both])
    assert got_rows.shape == (2, 3, 4, 5) and got_both.shape == (2, 3, 4, 3)
    # TF 1.x's names: dynamic_rnn's `rnn` scope inside ndlstm's
    assert values['HorizontalLstm/lr/SeqLstm/rnn/basic_lstm_cell/kernel:0'].shape == (4, 8)
    assert values['HorizontalLstm/rl/SeqLstm/rnn/basic_lstm_cell/kernel:0'].shape == (5, 12)
    np.testing.assert_allclose(got_rows, rows_reference(values, images, 'HorizontalLstm/'),
                               rtol=1e-5, atol=1e-6)
    hidden = rows_reference(values, images, 'SeparableLstm/HorizontalLstm/')
    columns = rows_reference(values, hidden.transpose(0, 2, 1, 3),
                             'SeparableLstm/vertical/HorizontalLstm/').transpose(0, 2, 1, 3)
    np.testing.assert_allclose(got_both, columns, rtol=1e-5, atol=1e-6)


def test_dynamic_and_unrolled_lstms_both_ways():
    sequence = np.random.RandomState(1).randn(5, 2, 3).astype(np.float32)
    scopes = {'dynamic': 'dynamic/rnn/basic_lstm_cell/', 'unrolled': 'unrolled/basic_lstm_cell/'}
    with tf.Graph().as_default():
        outputs = {(kind, reverse): lstm1d.ndlstm_base(
            tf.constant(sequence), 4, scope='%s_%d' % (kind, reverse), reverse=reverse,
            dynamic=kind == 'dynamic') for kind in scopes for reverse in (False, True)}
        final = lstm1d.sequence_to_final(tf.constant(sequence), 4, reverse=True)
        (got, got_final), values = evaluate([outputs, final])
    for (kind, reverse), output in got.items():
        scope = scopes[kind].replace(kind, '%s_%d' % (kind, reverse))
        expected = lstm_reference(values[scope + 'kernel:0'], values[scope + 'bias:0'],
                                  sequence, reverse)
        np.testing.assert_allclose(output, expected, rtol=1e-5, atol=1e-6)
    last = lstm_reference(values['SequenceToFinal/basic_lstm_cell/kernel:0'],
                          values['SequenceToFinal/basic_lstm_cell/bias:0'], sequence[::-1])[-1]
    np.testing.assert_allclose(got_final, last, rtol=1e-5, atol=1e-6)


def test_reductions_to_sequences_and_vectors():
    images = np.random.RandomState(2).randn(2, 3, 4, 2).astype(np.float32)
    with tf.Graph().as_default():
        sequence = lstm2d.reduce_to_sequence(tf.constant(images), 5)
        final = lstm2d.reduce_to_final(tf.constant(images), 3, nhidden=4)
        (got_sequence, got_final), values = evaluate([sequence, final])
    columns = images.transpose(1, 0, 2, 3).reshape(3, 8, 2)  # down each column
    down = lstm_reference(values['ReduceToSequence/SequenceToFinal/basic_lstm_cell/kernel:0'],
                          values['ReduceToSequence/SequenceToFinal/basic_lstm_cell/bias:0'],
                          columns)[-1]
    np.testing.assert_allclose(got_sequence, down.reshape(2, 4, 5), rtol=1e-5, atol=1e-6)
    scope = 'ReduceToFinal/reduce%d/SequenceToFinal/basic_lstm_cell/'
    hidden = lstm_reference(values[scope % 1 + 'kernel:0'], values[scope % 1 + 'bias:0'],
                            columns)[-1].reshape(2, 4, 4).transpose(1, 0, 2)
    across = lstm_reference(values[scope % 2 + 'kernel:0'], values[scope % 2 + 'bias:0'],
                            hidden)[-1]
    np.testing.assert_allclose(got_final, across, rtol=1e-5, atol=1e-6)


def test_blocks_sequences_and_softmax():
    images = np.arange(2 * 3 * 5, dtype=np.float32).reshape(1, 3, 5, 2)
    sequence = np.random.RandomState(3).randn(4, 2, 3).astype(np.float32)
    with tf.Graph().as_default():
        blocks = lstm2d.get_blocks(tf.constant(images), [2, 2])
        as_sequence = lstm2d.images_to_sequence(tf.constant(images))
        round_trip = lstm2d.sequence_to_images(as_sequence, 1)
        softmax = lstm1d.sequence_softmax(tf.constant(sequence), 6)
        assert [v.op.name for v in tf.model_variables()] == [
            'SequenceSoftmax/weights', 'SequenceSoftmax/biases']
        (got_blocks, got_round_trip, got_softmax), values = evaluate(
            [blocks, round_trip, softmax])
    padded = np.zeros((1, 4, 6, 2), np.float32)
    padded[:, :3, :5] = images  # zeros below and to the right, to whole 2x2 blocks
    expected = padded.reshape(1, 2, 2, 3, 2, 2).transpose(0, 1, 3, 4, 5, 2).reshape(1, 2, 3, 8)
    np.testing.assert_array_equal(got_blocks, expected)
    np.testing.assert_array_equal(got_round_trip, images)
    logits = sequence @ values['SequenceSoftmax/weights:0'] + values['SequenceSoftmax/biases:0']
    expected = np.exp(logits) / np.exp(logits).sum(-1, keepdims=True)
    np.testing.assert_allclose(got_softmax, expected, rtol=1e-5)
    with tf.Graph().as_default():  # blocks of a separable LSTM: 3x5 images of 2x2 blocks
        assert lstm2d.separable_lstm(tf.constant(images), 3, kernel_size=[2, 2]).shape == \
            (1, 2, 3, 3)


def test_the_helpers_and_the_module_paths():
    images = np.random.RandomState(4).rand(2, 3, 4, 2).astype(np.float32)
    with tf.Graph().as_default(), tf.Session() as session:
        vectors, pooled, planes, mask = session.run([
            misc.pixels_as_vector(tf.constant(images)), misc.pool_as_vector(tf.constant(images)),
            misc.one_hot_planes(tf.constant([2, 0]), 3),
            misc.one_hot_mask(tf.constant([[[1], [0]], [[2], [1]]]), 3)])
        with pytest.raises(ValueError, match=r'takes a \(height, width, 1\) label image, not '
                                             r'one of shape \[2, 2\]'):
            misc.one_hot_mask(tf.constant([[1, 0], [2, 1]]), 3)
    np.testing.assert_array_equal(vectors, images.reshape(2, 24))
    np.testing.assert_allclose(pooled, images.mean((1, 2)), rtol=1e-6)
    np.testing.assert_array_equal(planes, np.eye(3)[[2, 0]].reshape(2, 1, 1, 3))
    np.testing.assert_array_equal(mask, np.eye(3)[[[1, 0], [2, 1]]])
    assert ndlstm.lstm2d.horizontal_lstm is lstm2d.horizontal_lstm  # TF 1.3+'s package
    assert ndlstm.python.separable_lstm is lstm2d.separable_lstm  # python/'s star imports
    assert ndlstm.python.sequence_softmax is lstm1d.sequence_softmax
