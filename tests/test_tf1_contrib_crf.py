"""tf1's tf.contrib.crf (TF 1.15's) held to brute force in NumPy: every tag sequence of a
few short sentences scored, the log partition function summed over all of them, the best
one found by trying each; sequences of different lengths in one padded batch, of one
step, and of none. A small BiLSTM-free tagger then learns its tags through
crf_log_likelihood."""
import itertools

import numpy as np
import pytest
import tensorflow.compat.v1 as tf

from tf1.api import tensorflow as tf1_api

tf.disable_v2_behavior()

crf = tf1_api.contrib.crf
NUM_TAGS = 3
RNG = np.random.RandomState(0)
TRANSITIONS = RNG.randn(NUM_TAGS, NUM_TAGS).astype(np.float32)


pytestmark = pytest.mark.usefixtures('fresh_graph')  # conftest.py


def score(unary, tags):
    return (sum(unary[t, tag] for t, tag in enumerate(tags))
            + sum(TRANSITIONS[a, b] for a, b in zip(tags, tags[1:])))


def brute_force(unary, length):
    """(log partition, best tags, best score) over every tag sequence of `length`."""
    sequences = list(itertools.product(range(NUM_TAGS), repeat=length))
    scores = np.array([score(unary[:length], tags) for tags in sequences])
    best = int(np.argmax(scores))
    return np.log(np.exp(scores).sum()), list(sequences[best]), scores[best]


@pytest.mark.parametrize('max_len, lengths', [(4, [4, 2, 3]), (1, [1, 1, 0])])
def test_scores_log_norm_likelihood_and_decoding_are_brute_forces(max_len, lengths,
                                                                 evaluate):
    unary = RNG.randn(len(lengths), max_len, NUM_TAGS).astype(np.float32)
    tags = RNG.randint(0, NUM_TAGS, (len(lengths), max_len)).astype(np.int32)
    inputs, tag_ids = tf.constant(unary), tf.constant(tags)
    lengths_t, transitions = tf.constant(lengths), tf.constant(TRANSITIONS)
    scores, log_norm, (likelihood, _), (decoded, best) = evaluate(
        crf.crf_sequence_score(inputs, tag_ids, lengths_t, transitions),
        crf.crf_log_norm(inputs, lengths_t, transitions),
        crf.crf_log_likelihood(inputs, tag_ids, lengths_t, transitions),
        crf.crf_decode(inputs, transitions, lengths_t))
    for i, length in enumerate(lengths):
        if length == 0:  # TF 1.x's masking: an empty sequence scores and normalises to 0
            assert scores[i] == 0 and log_norm[i] == 0
            continue
        expected_norm, expected_tags, expected_best = brute_force(unary[i], length)
        assert scores[i] == pytest.approx(score(unary[i, :length], tags[i, :length]), abs=1e-5)
        assert log_norm[i] == pytest.approx(expected_norm, abs=1e-5)
        assert likelihood[i] == pytest.approx(scores[i] - expected_norm, abs=1e-5)
        assert list(decoded[i, :length]) == expected_tags
        assert best[i] == pytest.approx(expected_best, abs=1e-5)
        viterbi, viterbi_score = crf.viterbi_decode(unary[i, :length], TRANSITIONS)
        assert viterbi == expected_tags and viterbi_score == pytest.approx(expected_best,
                                                                           abs=1e-5)


def test_multitag_score_sums_every_allowed_sequence(evaluate):
    unary = RNG.randn(1, 3, NUM_TAGS).astype(np.float32)
    bitmap = np.array([[[1, 1, 0], [0, 1, 0], [1, 0, 1]]], bool)
    got, = evaluate(crf.crf_multitag_sequence_score(tf.constant(unary), tf.constant(bitmap),
                                               tf.constant([3]), tf.constant(TRANSITIONS)))
    allowed = [tags for tags in itertools.product(range(NUM_TAGS), repeat=3)
               if all(bitmap[0, t, tag] for t, tag in enumerate(tags))]
    expected = np.log(sum(np.exp(score(unary[0], tags)) for tags in allowed))
    assert got[0] == pytest.approx(expected, abs=1e-5)


def test_a_tagger_learns_its_tags_through_the_log_likelihood():
    # Tag = the word's id modulo 3, except that tag 2 never follows tag 2 (it becomes 0):
    # a rule only the transitions can learn.
    words = RNG.randint(0, 9, (64, 6))
    tags = words % 3
    for t in range(1, 6):
        tags[:, t] = np.where((tags[:, t] == 2) & (tags[:, t - 1] == 2), 0, tags[:, t])
    tf.set_random_seed(0)
    embedding = tf.get_variable('embedding', [9, NUM_TAGS])
    unary = tf.nn.embedding_lookup(embedding, tf.constant(words))
    lengths = tf.fill([64], 6)
    log_likelihood, transitions = crf.crf_log_likelihood(unary, tf.constant(tags), lengths)
    assert transitions.op.name == 'transitions'
    train = tf.train.AdamOptimizer(0.1).minimize(-tf.reduce_mean(log_likelihood))
    decoded, _ = crf.crf_decode(unary, transitions, lengths)
    with tf.Session() as session:
        session.run(tf.global_variables_initializer())
        for _ in range(300):
            session.run(train)
        # Unary scores alone (transitions fixed at 0) reach 93.5% here: above 97%, the
        # 2-after-2 rule was learned.
        assert (session.run(decoded) == tags).mean() > 0.97
