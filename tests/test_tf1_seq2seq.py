"""tf1's tf.contrib.seq2seq decoders against TF 1.15's definitions: BasicDecoder with a
TrainingHelper is the cell run over the given inputs (dynamic_rnn, then the output
layer); greedy decoding feeds back the embedding of each step's argmax until the end
token; the sampling helpers are the same loop with ids drawn instead; dynamic_decode
stops at each sequence's end and copies finished states through when asked."""
import numpy as np
import pytest
import tensorflow.compat.v1 as tf

from tf1 import contrib_seq2seq as seq2seq
from tf1 import layers, rnn_cell

tf.disable_v2_behavior()

RNG = np.random.RandomState(0)
BATCH, TIME, DEPTH, UNITS, VOCABULARY = 3, 5, 4, 6, 7
INPUTS = RNG.randn(BATCH, TIME, DEPTH).astype(np.float32)
LENGTHS = np.array([5, 2, 3], np.int32)


pytestmark = pytest.mark.usefixtures('fresh_graph')  # conftest.py


def run(fetches, feed=None):
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        return sess.run(fetches, feed)


@pytest.mark.parametrize('impute_finished', [False, True])
def test_training_decoder_is_the_cell_over_the_given_inputs(impute_finished):
    cell = rnn_cell.BasicLSTMCell(UNITS)
    initial_state = cell.zero_state(BATCH, tf.float32)
    helper = seq2seq.TrainingHelper(tf.constant(INPUTS), LENGTHS)
    decoder = seq2seq.BasicDecoder(cell, helper, initial_state,
                                   output_layer=layers.Dense(VOCABULARY))
    outputs, state, lengths = seq2seq.dynamic_decode(decoder, impute_finished=impute_finished)
    assert [v.op.name for v in tf.global_variables()] == [
        'decoder/basic_lstm_cell/kernel', 'decoder/basic_lstm_cell/bias',
        'decoder/dense/kernel', 'decoder/dense/bias']
    assert outputs.rnn_output.shape.as_list() == [BATCH, None, VOCABULARY]
    assert outputs.sample_id.dtype == tf.int32
    with tf.variable_scope('decoder', reuse=True):
        expected, expected_state = tf.nn.dynamic_rnn(cell, tf.constant(INPUTS), LENGTHS,
                                                     initial_state=initial_state)
        expected_logits = layers.dense(expected, VOCABULARY, name='dense', reuse=True)
    got, want, got_state, want_state, got_lengths = run(
        [outputs, expected_logits, state, expected_state, lengths])
    assert got.rnn_output.shape == (BATCH, TIME, VOCABULARY)  # the longest sequence's steps
    np.testing.assert_array_equal(got_lengths, LENGTHS)
    np.testing.assert_array_equal(got.sample_id, got.rnn_output.argmax(-1))
    for i, length in enumerate(LENGTHS):
        np.testing.assert_allclose(got.rnn_output[i, :length], want[i, :length], atol=1e-5)
        if impute_finished:  # zeros after the end, and the state at the end
            assert not got.rnn_output[i, length:].any()
    if impute_finished:
        np.testing.assert_allclose(got_state, want_state, atol=1e-5)


def embedded(ids, embedding):
    return tf.nn.embedding_lookup(embedding, ids)


def test_greedy_decoding_feeds_back_each_argmax_until_the_end_token():
    embedding = tf.constant(RNG.randn(VOCABULARY, DEPTH).astype(np.float32))
    cell = rnn_cell.GRUCell(UNITS)
    output_layer = layers.Dense(VOCABULARY, name='logits')
    start = tf.constant([1, 2, 3])
    decoder = seq2seq.BasicDecoder(
        cell, seq2seq.GreedyEmbeddingHelper(embedding, start, end_token=0),
        cell.zero_state(BATCH, tf.float32), output_layer)
    outputs, _, lengths = seq2seq.dynamic_decode(decoder, maximum_iterations=8)
    # The same loop unrolled: each step's argmax, embedded, is the next input.
    with tf.variable_scope('decoder', reuse=True):
        inputs, state, steps = embedded(start, embedding), cell.zero_state(BATCH, tf.float32), []
        for _ in range(8):
            output, state = cell(inputs, state)
            ids = tf.cast(tf.argmax(output_layer(output), -1), tf.int32)
            steps.append(ids)
            inputs = embedded(ids, embedding)
    got, got_lengths, unrolled = run([outputs.sample_id, lengths, tf.stack(steps, 1)])
    for i, length in enumerate(got_lengths):
        ended = np.flatnonzero(unrolled[i] == 0)
        assert length == (ended[0] + 1 if ended.size else 8)  # the end token counts
        np.testing.assert_array_equal(got[i, :length], unrolled[i, :length])


def test_sampling_helpers_draw_from_the_outputs():
    # Seeded weights: unseeded, two logits of an example were at times so close that even
    # a 1e-4 temperature sampled the second.
    tf.set_random_seed(3)
    embedding = tf.constant(np.random.RandomState(5).randn(VOCABULARY, DEPTH).astype(
        np.float32))
    cell = rnn_cell.BasicRNNCell(UNITS)
    start = tf.fill([200], 1)

    def decode(helper):
        decoder = seq2seq.BasicDecoder(cell, helper, cell.zero_state(200, tf.float32),
                                       layers.Dense(VOCABULARY, name='logits'))
        with tf.variable_scope('', reuse=tf.AUTO_REUSE):
            return seq2seq.dynamic_decode(decoder, maximum_iterations=4,
                                          scope='decoder')[0].sample_id

    greedy = decode(seq2seq.GreedyEmbeddingHelper(embedding, start, -1))
    cold = decode(seq2seq.SampleEmbeddingHelper(embedding, start, -1,
                                                softmax_temperature=1e-4, seed=1))
    hot = decode(seq2seq.SampleEmbeddingHelper(embedding, start, -1, seed=1))
    greedy, cold, hot = run([greedy, cold, hot])
    np.testing.assert_array_equal(cold, greedy)  # a near-zero temperature is the argmax
    assert len(np.unique(hot[:, 0])) > 1  # the first step's 200 draws differ


def test_scheduled_sampling_never_sampling_is_training():
    ids = RNG.randint(0, VOCABULARY, (BATCH, TIME))
    embedding = tf.constant(RNG.randn(VOCABULARY, DEPTH).astype(np.float32))
    inputs = embedded(tf.constant(ids), embedding)
    cell = rnn_cell.GRUCell(UNITS)

    def decode(helper):
        decoder = seq2seq.BasicDecoder(cell, helper, cell.zero_state(BATCH, tf.float32),
                                       layers.Dense(VOCABULARY, name='logits'))
        with tf.variable_scope('', reuse=tf.AUTO_REUSE):
            return seq2seq.dynamic_decode(decoder, scope='decoder')[0]

    training = decode(seq2seq.TrainingHelper(inputs, LENGTHS))
    never = decode(seq2seq.ScheduledEmbeddingTrainingHelper(inputs, LENGTHS, embedding, 0.0))
    always = decode(seq2seq.ScheduledEmbeddingTrainingHelper(inputs, LENGTHS, embedding, 1.0,
                                                             seed=3))
    outputs_never = decode(seq2seq.ScheduledOutputTrainingHelper(
        inputs, LENGTHS, 0.0, next_inputs_fn=lambda o: o[:, :DEPTH]))
    training, never, always, outputs_never = run([training, never, always, outputs_never])
    np.testing.assert_allclose(never.rnn_output, training.rnn_output, atol=1e-6)
    np.testing.assert_allclose(outputs_never.rnn_output, training.rnn_output, atol=1e-6)
    assert (never.sample_id == -1).all() and (always.sample_id >= 0).all()
    assert not np.allclose(always.rnn_output[:, 1:], training.rnn_output[:, 1:])


def test_inference_helper_feeds_back_continuous_outputs():
    cell = rnn_cell.BasicRNNCell(DEPTH)  # its outputs are its next inputs
    start = tf.constant(INPUTS[:, 0])
    helper = seq2seq.InferenceHelper(
        sample_fn=lambda outputs: outputs, sample_shape=[DEPTH], sample_dtype=tf.float32,
        start_inputs=start, end_fn=lambda ids: tf.reduce_all(ids > 2.0, axis=1))
    decoder = seq2seq.BasicDecoder(cell, helper, cell.zero_state(BATCH, tf.float32))
    outputs, _, lengths = seq2seq.dynamic_decode(decoder, maximum_iterations=3,
                                                 output_time_major=True)
    with tf.variable_scope('decoder', reuse=True):
        state, unrolled = cell.zero_state(BATCH, tf.float32), []
        inputs = start
        for _ in range(3):
            inputs, state = cell(inputs, state)
            unrolled.append(inputs)
    got, got_lengths, want = run([outputs, lengths, tf.stack(unrolled)])
    np.testing.assert_allclose(got.sample_id, want, atol=1e-6)  # time major
    np.testing.assert_array_equal(got_lengths, [3, 3, 3])  # tanh never exceeds 2


def test_mistakes_are_refused_as_tf1_refused_them():
    cell = rnn_cell.GRUCell(UNITS)
    helper = seq2seq.TrainingHelper(tf.constant(INPUTS), LENGTHS)
    with pytest.raises(TypeError, match='Expected decoder to be type Decoder'):
        seq2seq.dynamic_decode(cell)
    with pytest.raises(TypeError, match="not an RNNCell: 'output_size' property is missing"):
        seq2seq.BasicDecoder(tf.tanh, helper, None)
    with pytest.raises(TypeError, match='output_layer must be a Layer'):
        seq2seq.BasicDecoder(cell, helper, cell.zero_state(BATCH, tf.float32), tf.identity)
    with pytest.raises(ValueError, match='maximum_iterations must be a scalar'):
        seq2seq.dynamic_decode(seq2seq.BasicDecoder(cell, helper,
                                                    cell.zero_state(BATCH, tf.float32)),
                               maximum_iterations=[3])
    with pytest.raises(ValueError, match='sequence_length to be a vector'):
        seq2seq.TrainingHelper(tf.constant(INPUTS), 5)
    with pytest.raises(ValueError, match='batch_size accessed before initialize'):
        seq2seq.CustomHelper(None, None, None).batch_size


def test_a_seq2seq_model_learns_to_copy():
    """The TF 1.x NMT tutorial's shape, small: an encoder dynamic_rnn, a TrainingHelper
    decoder trained with sequence_loss, and a greedy decoder sharing its weights."""
    vocabulary, length, units, go, end = 6, 4, 32, 0, 1
    tf.set_random_seed(0)
    source = tf.placeholder(tf.int32, [None, length])
    batch = tf.shape(source)[0]
    embedding = tf.get_variable('embedding', [vocabulary, 16])
    _, encoder_state = tf.nn.dynamic_rnn(rnn_cell.GRUCell(units),
                                         embedded(source, embedding), dtype=tf.float32,
                                         scope='encoder')
    decoder_inputs = tf.concat([tf.fill([batch, 1], go), source], 1)
    targets = tf.concat([source, tf.fill([batch, 1], end)], 1)
    cell, projection = rnn_cell.GRUCell(units), layers.Dense(vocabulary, name='projection')
    helper = seq2seq.TrainingHelper(embedded(decoder_inputs, embedding),
                                    tf.fill([batch], length + 1))
    train_outputs, _, _ = seq2seq.dynamic_decode(
        seq2seq.BasicDecoder(cell, helper, encoder_state, projection))
    loss = seq2seq.sequence_loss(train_outputs.rnn_output, targets,
                                 tf.ones([batch, length + 1]))
    train = tf.train.AdamOptimizer(0.01).minimize(loss)
    with tf.variable_scope('', reuse=True):
        greedy = seq2seq.GreedyEmbeddingHelper(embedding, tf.fill([batch], go), end)
        outputs, _, lengths = seq2seq.dynamic_decode(
            seq2seq.BasicDecoder(cell, greedy, encoder_state, projection),
            maximum_iterations=2 * length)
    rng = np.random.RandomState(1)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for _ in range(300):
            sess.run(train, {source: rng.randint(2, vocabulary, (64, length))})
        test = rng.randint(2, vocabulary, (200, length))
        ids, got_lengths = sess.run([outputs.sample_id, lengths], {source: test})
    assert (got_lengths == length + 1).mean() > 0.9  # copied, then the end token
    assert (ids[:, :length] == test).mean() > 0.95


MEMORY_TIME, MEMORY_DEPTH = 6, 5
MEMORY = RNG.randn(BATCH, MEMORY_TIME, MEMORY_DEPTH).astype(np.float32)
MEMORY_LENGTHS = np.array([6, 3, 4], np.int32)


def softmax(x):
    e = np.exp(x - x.max(-1, keepdims=True))
    return e / e.sum(-1, keepdims=True)


def numpy_attention_decoder(values, kind, steps, attention_size):
    """TF 1.15's AttentionWrapper around a BasicRNNCell, Bahdanau's normalised or Luong's
    scaled mechanism, an attention layer, masked memory, written out in NumPy from the
    variables' values by name."""
    mask = np.arange(MEMORY_TIME)[None] < MEMORY_LENGTHS[:, None]
    memory = MEMORY * mask[:, :, None]
    keys = memory @ values['memory_layer/kernel']
    cell = 'decoder/attention_wrapper/basic_rnn_cell/'
    mechanism = 'decoder/attention_wrapper/%s_attention/' % kind
    state = np.zeros((BATCH, UNITS))
    attention = np.zeros((BATCH, attention_size))
    outputs, history = [], []
    for t in range(steps):
        x = np.concatenate([INPUTS[:, t], attention], 1)
        state = np.tanh(np.concatenate([x, state], 1) @ values[cell + 'kernel'] +
                        values[cell + 'bias'])
        if kind == 'bahdanau':
            v = values[mechanism + 'attention_v']
            normed_v = values[mechanism + 'attention_g'] * v / np.sqrt((v ** 2).sum())
            query = state @ values[mechanism + 'query_layer/kernel']
            score = (normed_v * np.tanh(keys + query[:, None] +
                                        values[mechanism + 'attention_b'])).sum(2)
        else:
            score = values[mechanism + 'attention_g'] * np.einsum('bu,btu->bt', state, keys)
        alignments = softmax(np.where(mask, score, -np.inf))
        context = np.einsum('bt,btd->bd', alignments, memory)
        attention = np.concatenate([state, context], 1) @ values[
            'decoder/attention_wrapper/attention_layer/kernel']
        outputs.append(attention)
        history.append(alignments)
    return np.stack(outputs, 1), np.stack(history), state


@pytest.mark.parametrize('kind', ['bahdanau', 'luong'])
def test_attention_wrapper_is_tf1s_function_with_tf1s_variables(kind):
    if kind == 'bahdanau':
        mechanism = seq2seq.BahdanauAttention(8, tf.constant(MEMORY), MEMORY_LENGTHS,
                                              normalize=True)
        parameters = ['query_layer/kernel', 'attention_v', 'attention_g', 'attention_b']
    else:
        mechanism = seq2seq.LuongAttention(UNITS, tf.constant(MEMORY), MEMORY_LENGTHS,
                                           scale=True)
        parameters = ['attention_g']
    cell = seq2seq.AttentionWrapper(rnn_cell.BasicRNNCell(UNITS), mechanism,
                                    attention_layer_size=3, alignment_history=True)
    assert cell.output_size == 3
    helper = seq2seq.TrainingHelper(tf.constant(INPUTS), [TIME] * BATCH)
    outputs, state, _ = seq2seq.dynamic_decode(
        seq2seq.BasicDecoder(cell, helper, cell.zero_state(BATCH, tf.float32)))
    variables = tf.global_variables()
    assert [v.op.name for v in variables] == (
        ['memory_layer/kernel', 'decoder/attention_wrapper/basic_rnn_cell/kernel',
         'decoder/attention_wrapper/basic_rnn_cell/bias'] +
        ['decoder/attention_wrapper/%s_attention/%s' % (kind, p) for p in parameters] +
        ['decoder/attention_wrapper/attention_layer/kernel'])
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run([v.assign(v + 0.3 * RNG.randn(*v.shape.as_list())) for v in variables])
        values = dict(zip([v.op.name for v in variables], sess.run(variables)))
        got, history, final_cell_state = sess.run(
            [outputs.rnn_output, state.alignment_history.stack(), state.cell_state])
    want, want_history, want_state = numpy_attention_decoder(values, kind, TIME, 3)
    np.testing.assert_allclose(got, want, rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(history, want_history, rtol=1e-4, atol=1e-6)
    np.testing.assert_allclose(final_cell_state, want_state, rtol=1e-4, atol=1e-5)
    assert not history[:, 1, 3:].any()  # nothing past the second memory's 3 steps


def test_two_mechanisms_and_a_state_cloned_from_the_encoder():
    memory = tf.constant(MEMORY)
    mechanisms = [seq2seq.LuongAttention(UNITS, memory),
                  seq2seq.BahdanauAttention(4, memory, MEMORY_LENGTHS)]
    cell = seq2seq.AttentionWrapper(rnn_cell.GRUCell(UNITS), mechanisms,
                                    output_attention=False)
    assert cell.output_size == UNITS  # the cell's output (Bahdanau's way)
    assert cell.state_size.attention == 2 * MEMORY_DEPTH  # the two contexts, joined
    encoder_state = tf.constant(RNG.randn(BATCH, UNITS).astype(np.float32))
    initial = cell.zero_state(BATCH, tf.float32).clone(cell_state=encoder_state)
    output, state = cell(tf.constant(INPUTS[:, 0]), initial)
    assert isinstance(state.alignments, tuple) and len(state.alignments) == 2
    memory_kernels = [v.op.name for v in tf.global_variables() if 'memory_layer' in v.op.name]
    assert memory_kernels == ['memory_layer/kernel', 'memory_layer_1/kernel']
    got_output, alignments = run([output, state.alignments])
    assert got_output.shape == (BATCH, UNITS)
    for each in alignments:
        np.testing.assert_allclose(each.sum(1), 1, rtol=1e-5)
    with pytest.raises(ValueError, match='expected to be same as the one to clone'):
        cell.zero_state(BATCH, tf.float32).clone(cell_state=tf.zeros([BATCH, UNITS + 1]))
    with pytest.raises(TypeError, match='must be an AttentionMechanism'):
        seq2seq.AttentionWrapper(rnn_cell.GRUCell(UNITS), memory)
    # A batch known only when the graph runs is checked then (beam search's usual
    # mistake: an encoder state not tiled).
    untiled = tf.placeholder(tf.float32, [None, UNITS])
    cloned = cell.zero_state(BATCH, tf.float32).clone(cell_state=untiled)
    with tf.Session() as sess, pytest.raises(tf.errors.InvalidArgumentError,
                                             match='Wrong shape for'):
        sess.run(cloned.cell_state, {untiled: np.zeros((BATCH - 1, UNITS))})


def test_hardmax_is_one_hot_at_the_largest():
    logits = RNG.randn(4, 5).astype(np.float32)
    np.testing.assert_array_equal(run(seq2seq.hardmax(tf.constant(logits))),
                                  np.eye(5)[logits.argmax(1)])


def test_an_attention_model_learns_to_reverse():
    """The TF 1.x NMT tutorial's model, small: a bidirectional-free encoder, Luong
    attention over its outputs, a TrainingHelper decoder, a greedy one sharing it."""
    vocabulary, length, units, go, end = 8, 6, 32, 0, 1
    tf.set_random_seed(0)
    source = tf.placeholder(tf.int32, [None, length])
    batch = tf.shape(source)[0]
    embedding = tf.get_variable('embedding', [vocabulary, 16])
    encoder_outputs, encoder_state = tf.nn.dynamic_rnn(
        rnn_cell.GRUCell(units), embedded(source, embedding), dtype=tf.float32,
        scope='encoder')
    targets = tf.concat([tf.reverse(source, [1]), tf.fill([batch, 1], end)], 1)
    decoder_inputs = tf.concat([tf.fill([batch, 1], go), targets[:, :-1]], 1)
    mechanism = seq2seq.LuongAttention(units, encoder_outputs)
    cell = seq2seq.AttentionWrapper(rnn_cell.GRUCell(units), mechanism,
                                    attention_layer_size=units)
    projection = layers.Dense(vocabulary, name='projection')

    def decoder(helper):
        initial = cell.zero_state(batch, tf.float32).clone(cell_state=encoder_state)
        return seq2seq.BasicDecoder(cell, helper, initial, projection)

    train_outputs, _, _ = seq2seq.dynamic_decode(decoder(seq2seq.TrainingHelper(
        embedded(decoder_inputs, embedding), tf.fill([batch], length + 1))))
    loss = seq2seq.sequence_loss(train_outputs.rnn_output, targets,
                                 tf.ones([batch, length + 1]))
    train = tf.train.AdamOptimizer(0.01).minimize(loss)
    with tf.variable_scope('', reuse=True):
        outputs, _, _ = seq2seq.dynamic_decode(
            decoder(seq2seq.GreedyEmbeddingHelper(embedding, tf.fill([batch], go), end)),
            maximum_iterations=2 * length)
    rng = np.random.RandomState(1)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for _ in range(400):
            sess.run(train, {source: rng.randint(2, vocabulary, (64, length))})
        test = rng.randint(2, vocabulary, (200, length))
        ids = sess.run(outputs.sample_id, {source: test})
    assert ids.shape[1] >= length and (ids[:, :length] == test[:, ::-1]).mean() > 0.95


# ---------------------------------------------------------------------------- beam search

def numpy_gather_tree(step_ids, parent_ids, max_lengths, end_token):
    """TF 1.x's GatherTree kernel (beam_search_ops.cc), loop for loop."""
    time, batch, beams = step_ids.shape
    out = np.full_like(step_ids, end_token)
    for b in range(batch):
        length = max_lengths[b]
        for k in range(beams):
            if length == 0:
                continue
            out[length - 1, b, k] = step_ids[length - 1, b, k]
            parent = parent_ids[length - 1, b, k]
            for level in range(length - 2, -1, -1):
                out[level, b, k] = step_ids[level, b, parent]
                parent = parent_ids[level, b, parent]
            finished = False
            for t in range(length):
                if finished:
                    out[t, b, k] = end_token
                elif out[t, b, k] == end_token:
                    finished = True
    return out


def test_gather_tree_is_tf1s_kernel():
    rng = np.random.RandomState(3)
    step_ids = rng.randint(0, 6, (7, 4, 3)).astype(np.int32)
    parent_ids = rng.randint(0, 3, (7, 4, 3)).astype(np.int32)
    lengths = np.array([7, 4, 0, 1], np.int32)
    got = run(seq2seq.gather_tree(step_ids, parent_ids, lengths, end_token=5))
    np.testing.assert_array_equal(got, numpy_gather_tree(step_ids, parent_ids, lengths, 5))


def test_tile_batch_repeats_each_entry_in_a_row():
    state = (tf.constant([[1., 2.], [3., 4.]]), tf.constant([5, 6]))
    tiled = run(seq2seq.tile_batch(state, 3))
    np.testing.assert_array_equal(tiled[0], [[1, 2]] * 3 + [[3, 4]] * 3)
    np.testing.assert_array_equal(tiled[1], [5, 5, 5, 6, 6, 6])


class BigramCell(rnn_cell.RNNCell):
    """Logits that depend on the last id only (the input, one-hot): beam search over a
    Markov chain, which NumPy can follow step by step."""

    def __init__(self, transitions):
        super(BigramCell, self).__init__()
        self._transitions = transitions

    @property
    def state_size(self):
        return 1

    @property
    def output_size(self):
        return self._transitions.shape[0]

    def call(self, inputs, state):
        return tf.matmul(inputs, tf.constant(self._transitions)), state


def numpy_beam_search(log_softmax, start, beams, end, steps):
    """TF 1.15's _beam_search_step for a bigram model, length penalty 0."""
    vocabulary = log_softmax.shape[0]
    log_probs = np.array([0.0] + [-np.inf] * (beams - 1))
    finished = np.array([False] + [True] * (beams - 1))
    lengths = np.zeros(beams, np.int64)
    last = np.full(beams, start)
    outputs = []
    for _ in range(steps):
        step = log_softmax[last].copy()
        step[finished] = np.finfo(np.float32).min
        step[finished, end] = 0.0
        total = (log_probs[:, None] + step).reshape(-1).astype(np.float32)
        order = np.argsort(-total, kind='stable')[:beams]
        parents, words = order // vocabulary, order % vocabulary
        outputs.append((total[order], words, parents))
        lengths = lengths[parents] + ~finished[parents]
        finished = finished[parents] | (words == end)
        log_probs, last = total[order], words
        if finished.all():
            break
    return [np.array(x) for x in zip(*outputs)], lengths


def test_beam_search_is_tf1s_search():
    vocabulary, beams, end, start = 6, 3, 0, 2
    rng = np.random.RandomState(5)
    transitions = rng.randn(vocabulary, vocabulary).astype(np.float32) * 2
    cell = BigramCell(transitions)
    decoder = seq2seq.BeamSearchDecoder(
        cell, np.eye(vocabulary, dtype=np.float32), tf.fill([1], start), end,
        cell.zero_state(beams, tf.float32), beams)
    outputs, state, _ = seq2seq.dynamic_decode(decoder, maximum_iterations=8,
                                               output_time_major=True)
    got, lengths = run([outputs, state.lengths])
    shifted = transitions - transitions.max(1, keepdims=True)
    log_softmax = shifted - np.log(np.exp(shifted).sum(1, keepdims=True))
    (scores, words, parents), want_lengths = numpy_beam_search(log_softmax, start, beams,
                                                               end, 8)
    steps = len(scores)
    step_outputs = got.beam_search_decoder_output
    np.testing.assert_allclose(step_outputs.scores[:steps, 0], scores, rtol=1e-5)
    np.testing.assert_array_equal(step_outputs.predicted_ids[:steps, 0], words)
    np.testing.assert_array_equal(step_outputs.parent_ids[:steps, 0], parents)
    np.testing.assert_array_equal(lengths[0], want_lengths)
    np.testing.assert_array_equal(got.predicted_ids, numpy_gather_tree(
        step_outputs.predicted_ids, step_outputs.parent_ids, [lengths.max()], end))


def test_beam_search_carries_each_beams_own_state():
    """An attention model, tiled for the beams: each final beam's log-probability is the
    one its own ids get when fed back to the model (teacher forcing), so every step ran
    from its parent's state; the attention history is reordered as TF 1.x reordered it."""
    vocabulary, beams, go, end, units = 7, 4, 1, 0, 8
    rng = np.random.RandomState(6)
    embedding = tf.constant(rng.randn(vocabulary, DEPTH).astype(np.float32))
    # Sources of any length, as in the NMT tutorial (TF 1.x reorders the attention
    # history along the beams only when its elements' shape allows it).
    memory = tf.placeholder_with_default(MEMORY, [BATCH, None, MEMORY_DEPTH])
    cell = seq2seq.AttentionWrapper(
        rnn_cell.GRUCell(units), seq2seq.BahdanauAttention(units, seq2seq.tile_batch(
            memory, beams), seq2seq.tile_batch(MEMORY_LENGTHS, beams)),
        attention_layer_size=units, alignment_history=True)
    projection = layers.Dense(vocabulary, name='projection')

    def beam_search(reorder_tensor_arrays):
        decoder = seq2seq.BeamSearchDecoder(
            cell, embedding, tf.fill([BATCH], go), end,
            cell.zero_state(BATCH * beams, tf.float32), beams, output_layer=projection,
            reorder_tensor_arrays=reorder_tensor_arrays)
        return seq2seq.dynamic_decode(decoder, maximum_iterations=6, scope='decoder')[:2]

    outputs, state = beam_search(True)
    with tf.variable_scope('', reuse=True):
        _, raw_state = beam_search(False)  # the same search, its history as written
        ids = tf.placeholder(tf.int32, [BATCH * beams, None])  # and the model reading ids
        inputs = tf.nn.embedding_lookup(embedding, tf.concat(
            [tf.fill([BATCH * beams, 1], go), ids[:, :-1]], 1))
        forced = seq2seq.BasicDecoder(cell, seq2seq.TrainingHelper(
            inputs, tf.fill([BATCH * beams], tf.shape(ids)[1])),
            cell.zero_state(BATCH * beams, tf.float32), projection)
        forced_outputs, forced_state, _ = seq2seq.dynamic_decode(forced, scope='decoder')
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        got, parents, log_probs, lengths, history, raw = sess.run(
            [outputs.predicted_ids, outputs.beam_search_decoder_output.parent_ids,
             state.log_probs, state.lengths, state.cell_state.alignment_history,
             raw_state.cell_state.alignment_history.stack()])
        sequences = got.transpose(0, 2, 1).reshape(BATCH * beams, -1)  # [batch*beam, time]
        forced_logits, forced_alignments = sess.run(
            [forced_outputs.rnn_output, forced_state.alignment_history.stack()],
            {ids: sequences})
    shifted = forced_logits - forced_logits.max(-1, keepdims=True)
    log_softmax = shifted - np.log(np.exp(shifted).sum(-1, keepdims=True))
    steps = got.shape[1]
    # Where each final beam was at each step (gather_tree on beam ids, as TF 1.x did).
    path = numpy_gather_tree(np.tile(np.arange(beams), (steps, BATCH, 1)),
                             parents.transpose(1, 0, 2), lengths.max(1), beams + 1)
    raw = raw.reshape(steps, BATCH, beams, -1)
    for row, (sequence, length) in enumerate(zip(sequences, lengths.reshape(-1))):
        b, k = divmod(row, beams)
        want = sum(log_softmax[row, t, sequence[t]] for t in range(length))
        np.testing.assert_allclose(log_probs[b, k], want, rtol=1e-4, atol=1e-4)
        for t in range(length):
            # The history as written holds each hypothesis's own alignments: at step t,
            # those of the beam it extended (its place at step t - 1).
            parent = path[t - 1, b, k] if t else 0
            np.testing.assert_allclose(raw[t, b, parent], forced_alignments[t, row],
                                       rtol=1e-4, atol=1e-6)
            # TF 1.x's reordering reads it at the beam's place at step t itself.
            np.testing.assert_array_equal(history[t, row], raw[t, b, path[t, b, k]])
    assert (np.diff(log_probs, axis=1) <= 1e-6).all()  # best beam first


# ---------------------------------------------------------------------------- monotonic attention

def numpy_monotonic_attention(p, previous):
    """The recurrence of Raffel et al. (2017): q[i] = (1 - p[i-1]) q[i-1] + previous[i],
    attention[i] = p[i] q[i]."""
    attention = np.zeros_like(p)
    for b in range(p.shape[0]):
        q = 0.0
        for i in range(p.shape[1]):
            q = (1 - p[b, i - 1]) * q + previous[b, i] if i else previous[b, 0]
            attention[b, i] = p[b, i] * q
    return attention


def test_monotonic_attention_modes_are_the_recurrence():
    rng = np.random.RandomState(8)
    p = rng.uniform(0.1, 0.9, (3, 7)).astype(np.float32)
    previous = softmax(rng.randn(3, 7)).astype(np.float32)
    want = numpy_monotonic_attention(p, previous)
    chosen = (rng.rand(3, 7) > 0.6).astype(np.float32)
    start = np.eye(7, dtype=np.float32)[[0, 2, 4]]
    recursive, parallel, hard, cumprod = run([
        seq2seq.monotonic_attention(p, previous, 'recursive'),
        seq2seq.monotonic_attention(p, previous, 'parallel'),
        seq2seq.monotonic_attention(chosen, start, 'hard'),
        seq2seq.safe_cumprod(p, axis=1, exclusive=True)])
    np.testing.assert_allclose(recursive, want, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(parallel, want, rtol=1e-4, atol=1e-6)
    np.testing.assert_allclose(cumprod, np.cumprod(np.concatenate(
        [np.ones((3, 1)), p[:, :-1]], 1), 1), rtol=1e-5)
    np.testing.assert_allclose(hard, numpy_monotonic_attention(chosen, start), atol=0)
    assert set(hard.sum(1)) <= {0.0, 1.0}  # one position at most: the first chosen one
    with pytest.raises(ValueError, match="mode must be 'recursive', 'parallel', or 'hard'"):
        seq2seq.monotonic_attention(p, previous, 'soft')


@pytest.mark.parametrize('kind', ['bahdanau', 'luong'])
def test_monotonic_mechanisms_score_then_choose_monotonically(kind):
    memory = tf.constant(MEMORY)
    if kind == 'bahdanau':
        mechanism = seq2seq.BahdanauMonotonicAttention(4, memory, MEMORY_LENGTHS,
                                                       score_bias_init=-1.0)
    else:
        mechanism = seq2seq.LuongMonotonicAttention(UNITS, memory, scale=True,
                                                    score_bias_init=-1.0, mode='recursive')
    cell = seq2seq.AttentionWrapper(rnn_cell.GRUCell(UNITS), mechanism)
    state = cell.zero_state(BATCH, tf.float32)
    _, next_state = cell(tf.constant(INPUTS[:, 0]), state)
    names = [v.op.name for v in tf.global_variables()]
    scope = 'attention_wrapper/%s_monotonic_attention/' % kind
    assert scope + 'attention_score_bias' in names
    score_bias = [v for v in tf.global_variables() if v.op.name.endswith('score_bias')][0]
    initial, alignments, bias = run([state.alignments, next_state.alignments, score_bias])
    np.testing.assert_array_equal(initial, np.eye(MEMORY_TIME)[[0] * BATCH])  # the start
    assert bias == -1.0
    assert (alignments >= 0).all() and (alignments.sum(1) <= 1 + 1e-6).all()
    if kind == 'bahdanau':  # nothing past each memory's length
        assert not alignments[1, 3:].any() and not alignments[2, 4:].any()


def test_samplers_draw_with_tf1s_ops():
    """TF 1.15's helpers sampled with their own bernoulli_sample and categorical_sample
    (tf.random_uniform < p; tf.multinomial), not tf.distributions: the same draws for the
    same seeds."""
    from tf1.contrib_seq2seq.helper import bernoulli_sample, categorical_sample
    logits = RNG.randn(BATCH, VOCABULARY).astype(np.float32)

    def seeded(build):
        with tf.Graph().as_default():
            tf.set_random_seed(1)
            return run(build())

    ids = seeded(lambda: categorical_sample(logits=logits, seed=5))
    want_ids = seeded(lambda: tf.reshape(tf.multinomial(logits, 1, seed=5), [-1]))
    np.testing.assert_array_equal(ids, want_ids)
    coins = seeded(lambda: bernoulli_sample(probs=0.3, dtype=tf.bool, sample_shape=50, seed=5))
    want_coins = seeded(lambda: tf.random_uniform([50], seed=5) < 0.3)
    np.testing.assert_array_equal(coins, want_coins)
    assert ids.shape == (BATCH,) and 0 < coins.sum() < 50


def test_the_decoder_modules_private_helpers_are_tf1s():
    """OpenSeq2Seq's Tacotron helper took decoder._transpose_batch_time; TF 1.15's
    decoder.py re-exported it and _zero_state_tensors from rnn and rnn_cell_impl."""
    from tf1.api import tensorflow as tf1_api
    decoder = tf1_api.contrib.seq2seq.python.ops.decoder
    with tf.Graph().as_default():
        assert decoder._transpose_batch_time(tf.zeros([2, 3, 4])).shape.as_list() == [3, 2, 4]
        zeros = decoder._zero_state_tensors((5, [6, 7]), 2, tf.float32)
        assert [z.shape.as_list() for z in tf.nest.flatten(zeros)] == [[2, 5], [2, 6], [2, 7]]
    assert decoder.dynamic_decode is seq2seq.dynamic_decode  # the rest: the package's


def test_sequence_loss_class_is_sequence_loss_summed_by_default():
    """TF 1.13-1.15's SequenceLoss (loss.py, not the package) calls sequence_loss with
    (y_true, y_pred, sample_weight) = (targets, logits, weights), summing by default; the
    helper module's samplers are at their TF 1.x path too."""
    from tf1.api import tensorflow as tf1_api
    ops = tf1_api.contrib.seq2seq.python.ops
    logits = tf.constant(RNG.randn(BATCH, TIME, VOCABULARY).astype(np.float32))
    targets = tf.constant(RNG.randint(0, VOCABULARY, (BATCH, TIME)).astype(np.int32))
    weights = tf.constant((RNG.rand(BATCH, TIME) > 0.3).astype(np.float32))
    summed = ops.loss.SequenceLoss()(targets, logits, weights)
    per_step = ops.loss.SequenceLoss(average_across_batch=True, sum_over_batch=False,
                                     sum_over_timesteps=False)
    rebuilt = ops.loss.SequenceLoss.from_config(per_step.get_config())
    got = run([summed, rebuilt(targets, logits, weights),
               seq2seq.sequence_loss(logits, targets, weights, average_across_timesteps=False,
                                     sum_over_timesteps=True, average_across_batch=False,
                                     sum_over_batch=True),
               seq2seq.sequence_loss(logits, targets, weights, average_across_timesteps=False)])
    np.testing.assert_allclose(got[0], got[2], rtol=1e-6)
    np.testing.assert_allclose(got[1], got[3], rtol=1e-6)
    assert got[1].shape == (TIME,)
    with pytest.raises(ValueError, match='SequenceLoss needs sample_weight'):
        per_step(targets, logits)
    assert ops.helper.categorical_sample.__module__ == 'tf1.contrib_seq2seq.helper'
    assert ops.helper.bernoulli_sample.__module__ == 'tf1.contrib_seq2seq.helper'
