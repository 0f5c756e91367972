"""tf1's tf.contrib.legacy_seq2seq against TF 1.15's definitions: the decoder is
static_rnn from a given state under TF 1.x's scopes (so checkpoints restore), sampling
feeds outputs back, the losses are contrib's weighted cross-entropy written out in NumPy,
and buckets share one set of weights. TF 2.21 ships no legacy_seq2seq to compare with."""
import numpy as np
import pytest
import tensorflow.compat.v1 as tf

from tf1 import contrib_legacy_seq2seq as seq2seq
from tf1 import rnn_cell

tf.disable_v2_behavior()

RNG = np.random.RandomState(0)
BATCH, STEPS, DEPTH, UNITS = 3, 4, 5, 6
INPUTS = [RNG.randn(BATCH, DEPTH).astype(np.float32) for _ in range(STEPS)]


pytestmark = pytest.mark.usefixtures('fresh_graph')  # conftest.py


def test_rnn_decoder_is_static_rnn_from_the_given_state_in_tf1s_scope():
    cell = rnn_cell.GRUCell(UNITS)
    state = tf.constant(RNG.randn(BATCH, UNITS).astype(np.float32))
    outputs, final = seq2seq.rnn_decoder([tf.constant(x) for x in INPUTS], state, cell)
    with tf.variable_scope('rnn_decoder', reuse=True):
        expected, expected_final = tf.nn.static_rnn(cell, [tf.constant(x) for x in INPUTS],
                                                    initial_state=state)
    assert sorted(v.op.name for v in tf.global_variables()) == [
        'rnn_decoder/gru_cell/candidate/bias', 'rnn_decoder/gru_cell/candidate/kernel',
        'rnn_decoder/gru_cell/gates/bias', 'rnn_decoder/gru_cell/gates/kernel']
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        got, want = sess.run([outputs + [final], expected + [expected_final]])
    np.testing.assert_allclose(got, want, atol=1e-6)


def test_a_loop_function_feeds_each_output_back_as_the_next_input():
    cell = rnn_cell.BasicRNNCell(DEPTH)  # outputs the size of the inputs
    state = cell.zero_state(BATCH, tf.float32)
    seen = []

    def loop_function(prev, i):
        seen.append(i)
        return prev * 2.0

    first = tf.constant(INPUTS[0])
    outputs, _ = seq2seq.rnn_decoder([first] + [tf.constant(x) for x in INPUTS[1:]], state,
                                     cell, loop_function=loop_function)
    ignored, _ = seq2seq.rnn_decoder([first] + [tf.zeros([BATCH, DEPTH])] * (STEPS - 1),
                                     state, cell, loop_function=loop_function)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        got, same = sess.run([outputs, ignored])
        step = sess.run(cell(tf.constant(2.0 * got[0]), tf.constant(got[0]))[0])
    assert seen == [1, 2, 3] * 2
    np.testing.assert_allclose(got, same, atol=1e-6)  # inputs after the first: unused
    np.testing.assert_allclose(got[1], step, atol=1e-6)


def test_seq2seq_models_own_or_share_their_encoder_weights():
    inputs = [tf.constant(x) for x in INPUTS]
    seq2seq.basic_rnn_seq2seq(inputs, inputs, rnn_cell.GRUCell(UNITS))
    seq2seq.tied_rnn_seq2seq(inputs, inputs, rnn_cell.GRUCell(UNITS))
    kernels = sorted(v.op.name for v in tf.global_variables() if v.op.name.endswith('kernel'))
    assert kernels == [
        'basic_rnn_seq2seq/rnn/gru_cell/candidate/kernel',
        'basic_rnn_seq2seq/rnn/gru_cell/gates/kernel',
        'basic_rnn_seq2seq/rnn_decoder/gru_cell/candidate/kernel',
        'basic_rnn_seq2seq/rnn_decoder/gru_cell/gates/kernel',
        'combined_tied_rnn_seq2seq/tied_rnn_seq2seq/gru_cell/candidate/kernel',
        'combined_tied_rnn_seq2seq/tied_rnn_seq2seq/gru_cell/gates/kernel']


def test_sequence_losses_are_contribs_weighted_cross_entropy():
    logits = [RNG.randn(BATCH, 7).astype(np.float32) for _ in range(STEPS)]
    targets = [RNG.randint(0, 7, BATCH).astype(np.int32) for _ in range(STEPS)]
    weights = [np.array([1.0, 0.5, 0.0], np.float32) for _ in range(STEPS)]
    weights[0] = np.array([1.0, 1.0, 0.0], np.float32)  # the last sequence weighs nothing
    crossent = [np.log(np.exp(l).sum(1)) - l[np.arange(BATCH), t]
                for l, t in zip(logits, targets)]
    summed = sum(c * w for c, w in zip(crossent, weights))
    per_example = summed / (sum(weights) + 1e-12)
    as_tensors = [[tf.constant(v) for v in values] for values in (logits, targets, weights)]
    with tf.Session() as sess:
        got = sess.run([seq2seq.sequence_loss_by_example(*as_tensors),
                        seq2seq.sequence_loss_by_example(*as_tensors,
                                                         average_across_timesteps=False),
                        seq2seq.sequence_loss(*as_tensors),
                        seq2seq.sequence_loss(*as_tensors, average_across_batch=False)])
    np.testing.assert_allclose(got[0], per_example, rtol=1e-5)
    np.testing.assert_allclose(got[1], summed, rtol=1e-5)
    np.testing.assert_allclose(got[2], per_example.sum() / BATCH, rtol=1e-5)
    np.testing.assert_allclose(got[3], per_example.sum(), rtol=1e-5)
    with pytest.raises(ValueError, match='Lengths of logits, weights, and targets'):
        seq2seq.sequence_loss_by_example(as_tensors[0], as_tensors[1][:2], as_tensors[2])


def test_buckets_share_one_model():
    inputs = [tf.constant(x) for x in INPUTS]
    targets = [tf.zeros([BATCH], tf.int32)] * STEPS
    weights = [tf.ones([BATCH])] * STEPS

    def model(encoder_inputs, decoder_inputs):
        return seq2seq.basic_rnn_seq2seq(encoder_inputs, decoder_inputs,
                                         rnn_cell.BasicRNNCell(7))

    outputs, losses = seq2seq.model_with_buckets(inputs, inputs, targets, weights,
                                                 [(2, 2), (4, 4)], model)
    assert [len(o) for o in outputs] == [2, 4] and len(losses) == 2
    assert len(tf.trainable_variables()) == 4  # one encoder and one decoder: kernel, bias
    with pytest.raises(ValueError, match='Length of targets'):
        seq2seq.model_with_buckets(inputs, inputs, targets[:2], weights, [(4, 4)], model)


SYMBOLS = 6
IDS = [RNG.randint(0, SYMBOLS, BATCH).astype(np.int32) for _ in range(STEPS)]


def assert_chosen_at_run_time(outputs, feed_previous, greedy, given, greedy_from_go):
    """`outputs`, built with a feed_previous tensor, are the greedy decoder's when it is
    fed True and the given-inputs decoder's when False; greedy reads the "GO" input only."""
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for feed, expected in ((True, greedy), (False, given)):
            got, want = sess.run([outputs, expected], {feed_previous: feed})
            np.testing.assert_allclose(got, want, atol=1e-6)
        np.testing.assert_allclose(*sess.run([greedy, greedy_from_go]), atol=1e-6)
        assert not np.allclose(*sess.run([greedy, given]))


def test_embedding_seq2seq_has_tf1s_variables_and_decodes_greedily_when_asked():
    encoder_inputs = [tf.constant(i) for i in IDS]
    decoder_inputs = [tf.constant(i) for i in IDS[::-1]]
    feed_previous = tf.placeholder(tf.bool, [])
    outputs, state = seq2seq.embedding_rnn_seq2seq(
        encoder_inputs, decoder_inputs, rnn_cell.GRUCell(UNITS), SYMBOLS, SYMBOLS, DEPTH,
        feed_previous=feed_previous)
    names = sorted(v.op.name for v in tf.global_variables())
    assert names == sorted(
        ['embedding_rnn_seq2seq/rnn/embedding_wrapper/embedding',
         'embedding_rnn_seq2seq/embedding_rnn_decoder/embedding',
         'embedding_rnn_seq2seq/embedding_rnn_decoder/rnn_decoder/output_projection_wrapper/'
         'kernel',
         'embedding_rnn_seq2seq/embedding_rnn_decoder/rnn_decoder/output_projection_wrapper/'
         'bias'] +
        ['embedding_rnn_seq2seq/%s/gru_cell/%s/%s' % (where, part, kind)
         for where in ('rnn/embedding_wrapper',
                       'embedding_rnn_decoder/rnn_decoder/output_projection_wrapper')
         for part in ('gates', 'candidate') for kind in ('kernel', 'bias')])
    assert len(outputs) == STEPS and outputs[0].shape.as_list() == [BATCH, SYMBOLS]
    with tf.variable_scope('', reuse=True):  # the same model, feed_previous fixed
        greedy, _ = seq2seq.embedding_rnn_seq2seq(
            encoder_inputs, decoder_inputs, rnn_cell.GRUCell(UNITS), SYMBOLS, SYMBOLS,
            DEPTH, feed_previous=True)
        given, _ = seq2seq.embedding_rnn_seq2seq(
            encoder_inputs, decoder_inputs, rnn_cell.GRUCell(UNITS), SYMBOLS, SYMBOLS,
            DEPTH, feed_previous=False)
        only_go = decoder_inputs[:1] + [tf.zeros([BATCH], tf.int32)] * (STEPS - 1)
        greedy_from_go, _ = seq2seq.embedding_rnn_seq2seq(
            encoder_inputs, only_go, rnn_cell.GRUCell(UNITS), SYMBOLS, SYMBOLS, DEPTH,
            feed_previous=True)
    assert len(tf.global_variables()) == len(names)
    assert_chosen_at_run_time(outputs, feed_previous, greedy, given, greedy_from_go)


def test_embedding_tied_seq2seq_shares_one_embedding_and_one_cell():
    feed_previous = tf.placeholder(tf.bool, [])
    outputs, state = seq2seq.embedding_tied_rnn_seq2seq(
        [tf.constant(i) for i in IDS], [tf.constant(i) for i in IDS],
        rnn_cell.MultiRNNCell([rnn_cell.GRUCell(UNITS), rnn_cell.GRUCell(UNITS)]),
        SYMBOLS, DEPTH, num_decoder_symbols=4, feed_previous=feed_previous)
    assert isinstance(state, tuple) and len(state) == 2  # the cell's state structure
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        greedy, given = (sess.run(outputs, {feed_previous: feed}) for feed in (True, False))
    assert np.shape(greedy) == (STEPS, BATCH, 4) and not np.allclose(greedy, given)
    names = sorted(v.op.name for v in tf.global_variables())
    prefix = ('embedding_tied_rnn_seq2seq/combined_tied_rnn_seq2seq/tied_rnn_seq2seq/'
              'output_projection_wrapper/')
    assert names == sorted(
        ['embedding_tied_rnn_seq2seq/embedding', prefix + 'kernel', prefix + 'bias'] +
        [prefix + 'multi_rnn_cell/cell_%d/gru_cell/%s/%s' % (i, part, kind) for i in (0, 1)
         for part in ('gates', 'candidate') for kind in ('kernel', 'bias')])
    assert outputs[0].shape.as_list() == [BATCH, 4]


LENGTH, SIZE = 5, 4  # the attended states: [BATCH, LENGTH, SIZE]
STATES = RNG.randn(BATCH, LENGTH, SIZE).astype(np.float32)


def numpy_attention_decoder(values, inputs, state, heads, initial_state_attention):
    """TF 1.15's attention_decoder written out in NumPy for a BasicRNNCell, from the
    variables' values by name (relative to the decoder's scope)."""
    def dense(scope, *args):
        return np.concatenate(args, 1) @ values[scope + 'kernel'] + values[scope + 'bias']

    def softmax(x):
        e = np.exp(x - x.max(1, keepdims=True))
        return e / e.sum(1, keepdims=True)

    features = [STATES @ values['AttnW_%d' % a][0, 0] for a in range(heads)]

    def attention(query):
        reads = []
        for a in range(heads):
            y = dense('Attention_%d/' % a, query)
            weights = softmax((values['AttnV_%d' % a] * np.tanh(features[a] + y[:, None])).sum(2))
            reads.append((weights[:, :, None] * STATES).sum(1))
        return reads

    attns = attention(state) if initial_state_attention else [np.zeros((BATCH, SIZE))] * heads
    outputs = []
    for inp in inputs:
        x = dense('', inp, *attns)
        state = np.tanh(dense('basic_rnn_cell/', x, state))
        attns = attention(state)
        outputs.append(dense('AttnOutputProjection/', state, *attns))
    return outputs, state


@pytest.mark.parametrize('initial_state_attention', [False, True])
def test_attention_decoder_is_tf1s_function_with_tf1s_variables(initial_state_attention):
    heads = 2
    state = RNG.randn(BATCH, UNITS).astype(np.float32)
    outputs, final = seq2seq.attention_decoder(
        [tf.constant(x) for x in INPUTS], tf.constant(state), tf.constant(STATES),
        rnn_cell.BasicRNNCell(UNITS), output_size=7, num_heads=heads,
        initial_state_attention=initial_state_attention)
    attention = ['Attention_%d/%s' % (a, kind) for a in range(heads) for kind in ('kernel', 'bias')]
    created = (['AttnW_0', 'AttnV_0', 'AttnW_1', 'AttnV_1'] +
               (attention if initial_state_attention else []) +
               ['kernel', 'bias', 'basic_rnn_cell/kernel', 'basic_rnn_cell/bias'] +
               ([] if initial_state_attention else attention) +
               ['AttnOutputProjection/kernel', 'AttnOutputProjection/bias'])
    variables = tf.global_variables()
    assert [v.op.name for v in variables] == ['attention_decoder/' + n for n in created]
    assert variables[0].shape.as_list() == [1, 1, SIZE, SIZE]
    assert variables[created.index('kernel')].shape.as_list() == [DEPTH + heads * SIZE, DEPTH]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run([v.assign(v + 0.3 * RNG.randn(*v.shape.as_list()))  # non-zero biases
                  for v in variables])
        values = {v.op.name[len('attention_decoder/'):]: value
                  for v, value in zip(variables, sess.run(variables))}
        got, got_final = sess.run([outputs, final])
    want, want_final = numpy_attention_decoder(values, INPUTS, state, heads,
                                               initial_state_attention)
    np.testing.assert_allclose(got, want, rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(got_final, want_final, rtol=1e-4, atol=1e-5)


def test_attention_decoder_refuses_what_tf1_refused():
    inputs, state = [tf.constant(x) for x in INPUTS], tf.zeros([BATCH, UNITS])
    cell = rnn_cell.GRUCell(UNITS)
    with pytest.raises(ValueError, match='at least 1 input'):
        seq2seq.attention_decoder([], state, tf.constant(STATES), cell)
    with pytest.raises(ValueError, match='less than 1 heads'):
        seq2seq.attention_decoder(inputs, state, tf.constant(STATES), cell, num_heads=0)
    with pytest.raises(ValueError, match='Shape\\[2\\] of attention_states must be known'):
        seq2seq.attention_decoder(inputs, state, tf.placeholder(tf.float32, [None, 5, None]),
                                  cell)


def test_embedding_attention_seq2seq_has_tf1s_variables_and_decodes_greedily_when_asked():
    encoder_inputs = [tf.constant(i) for i in IDS]
    decoder_inputs = [tf.constant(i) for i in IDS[::-1]]
    feed_previous = tf.placeholder(tf.bool, [])

    def model(decoder_inputs, feed_previous):
        return seq2seq.embedding_attention_seq2seq(
            encoder_inputs, decoder_inputs,
            rnn_cell.MultiRNNCell([rnn_cell.GRUCell(UNITS) for _ in range(2)]), SYMBOLS,
            SYMBOLS, DEPTH, num_heads=2, feed_previous=feed_previous)

    outputs, state = model(decoder_inputs, feed_previous)
    assert isinstance(state, tuple) and len(state) == 2  # the encoder's state structure
    assert len(outputs) == STEPS and outputs[0].shape.as_list() == [BATCH, SYMBOLS]
    cells = ['multi_rnn_cell/cell_%d/gru_cell/%s/%s' % (i, part, kind) for i in (0, 1)
             for part in ('gates', 'candidate') for kind in ('kernel', 'bias')]
    decoder = 'embedding_attention_seq2seq/embedding_attention_decoder/'
    attention = decoder + 'attention_decoder/'
    assert [v.op.name for v in tf.global_variables()] == (
        ['embedding_attention_seq2seq/rnn/embedding_wrapper/embedding'] +
        ['embedding_attention_seq2seq/rnn/embedding_wrapper/' + c for c in cells] +
        [decoder + 'embedding'] +
        [attention + n for n in ('AttnW_0', 'AttnV_0', 'AttnW_1', 'AttnV_1', 'kernel', 'bias')] +
        [attention + 'output_projection_wrapper/' + c for c in cells] +
        [attention + 'output_projection_wrapper/' + k for k in ('kernel', 'bias')] +
        [attention + 'Attention_%d/%s' % (a, k) for a in (0, 1) for k in ('kernel', 'bias')] +
        [attention + 'AttnOutputProjection/' + k for k in ('kernel', 'bias')])
    count = len(tf.global_variables())
    with tf.variable_scope('', reuse=True):  # the same model, feed_previous fixed
        greedy, _ = model(decoder_inputs, True)
        given, _ = model(decoder_inputs, False)
        only_go = decoder_inputs[:1] + [tf.zeros([BATCH], tf.int32)] * (STEPS - 1)
        greedy_from_go, _ = model(only_go, True)
    assert len(tf.global_variables()) == count
    assert_chosen_at_run_time(outputs, feed_previous, greedy, given, greedy_from_go)


def test_the_translation_tutorials_model_learns_to_reverse_sequences():
    """TF 1.x's translate/seq2seq_model.py, small: buckets, an output projection with
    sampled softmax, attention; after training, greedy decoding reverses its input."""
    tf.set_random_seed(0)
    vocabulary, length, units, batch, go = 8, 5, 32, 64, 0
    encoder_inputs = [tf.placeholder(tf.int32, [None]) for _ in range(length)]
    decoder_inputs = [tf.placeholder(tf.int32, [None]) for _ in range(length + 1)]
    targets = decoder_inputs[1:]
    weights = [tf.ones([tf.shape(encoder_inputs[0])[0]])] * length
    w = tf.get_variable('proj_w', [units, vocabulary])
    b = tf.get_variable('proj_b', [vocabulary])

    def sampled_loss(labels, logits):
        return tf.nn.sampled_softmax_loss(tf.transpose(w), b, tf.reshape(labels, [-1, 1]),
                                          logits, 4, vocabulary)

    def model(encoder_inputs, decoder_inputs, feed_previous):
        return seq2seq.embedding_attention_seq2seq(
            encoder_inputs, decoder_inputs, rnn_cell.GRUCell(units), vocabulary, vocabulary,
            16, output_projection=(w, b), feed_previous=feed_previous)

    _, losses = seq2seq.model_with_buckets(
        encoder_inputs, decoder_inputs, targets, weights, [(length, length)],
        lambda x, y: model(x, y, False), softmax_loss_function=sampled_loss)
    train = tf.train.AdamOptimizer(0.01).minimize(losses[0])
    with tf.variable_scope(tf.get_variable_scope(), reuse=True):
        outputs, _ = model(encoder_inputs, decoder_inputs[:length], True)
    predictions = [tf.argmax(tf.matmul(o, w) + b, 1) for o in outputs]
    rng = np.random.RandomState(1)

    def feed(sequences):
        goes = np.full((len(sequences), 1), go)
        decoded = np.concatenate([goes, sequences[:, ::-1]], 1)
        return dict(list(zip(encoder_inputs, sequences.T)) + list(zip(decoder_inputs, decoded.T)))

    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for _ in range(1200):
            sess.run(train, feed(rng.randint(1, vocabulary, (batch, length))))
        test = rng.randint(1, vocabulary, (200, length))
        reversed_ = np.array(sess.run(predictions, feed(test))).T
    # 0.955-1.0 over seeds 0-3 with oneDNN on and off (the numerics, hence the trajectory,
    # differ between CPUs); copying the input instead of reversing it scores about 0.3.
    assert (reversed_ == test[:, ::-1]).mean() > 0.9


def test_one2many_has_one_encoder_and_a_decoder_per_task():
    encoder_inputs = [tf.constant(i) for i in IDS]
    decoders = {'copy': [tf.constant(i) for i in IDS], 'tag': [tf.constant(i) for i in IDS[:2]]}
    outputs, states = seq2seq.one2many_rnn_seq2seq(
        encoder_inputs, decoders, rnn_cell.GRUCell(UNITS),
        {name: rnn_cell.GRUCell(UNITS) for name in decoders}, SYMBOLS, {'copy': SYMBOLS, 'tag': 3},
        DEPTH, feed_previous=tf.constant(False))
    assert [len(outputs['copy']), len(outputs['tag'])] == [STEPS, 2]
    assert outputs['tag'][0].shape.as_list() == [BATCH, 3] and set(states) == set(decoders)
    names = [v.op.name for v in tf.global_variables()]
    assert 'one2many_rnn_seq2seq/rnn/embedding_wrapper/embedding' in names
    for name in decoders:
        prefix = 'one2many_rnn_seq2seq/one2many_decoder_%s/embedding_rnn_decoder/' % name
        assert prefix + 'embedding' in names
        assert prefix + 'rnn_decoder/output_projection_wrapper/kernel' in names
    with pytest.raises(ValueError, match='keys of dec_cells_dict'):
        seq2seq.one2many_rnn_seq2seq(encoder_inputs, decoders, rnn_cell.GRUCell(UNITS),
                                     {'copy': rnn_cell.GRUCell(UNITS)}, SYMBOLS,
                                     {'copy': SYMBOLS}, DEPTH)


def test_attention_decoder_runs_in_half_precision():
    """TF 1.15 cast the reads and the cell's output to the decoder's dtype and took the
    attention softmax in float32, so a float16 model builds and runs."""
    with tf.variable_scope('half', dtype=tf.float16):
        outputs, _ = seq2seq.attention_decoder(
            [tf.constant(x, tf.float16) for x in INPUTS], tf.zeros([BATCH, UNITS], tf.float16),
            tf.constant(STATES, tf.float16), rnn_cell.GRUCell(UNITS), dtype=tf.float16)
    assert outputs[0].dtype == tf.float16
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        assert np.isfinite(sess.run(outputs)).all()
