"""tf1's contrib.metrics statistics (TF 1.15's): streamed over several batches, each held to
NumPy (or scikit-learn's definition written out) on all the data at once - covariance and
Pearson correlation (weighted too), mean cosine distance, the best F1 over thresholds,
Cohen's kappa, count, streaming_concat growing its array; and contrib's aliases."""
import numpy as np
import pytest
import tensorflow.compat.v1 as tf

from tf1 import contrib_metrics as metrics

tf.disable_v2_behavior()
pytestmark = pytest.mark.usefixtures('fresh_graph')  # conftest.py

RNG = np.random.RandomState(0)
BATCHES = 4


def streamed(make_metric, *arrays):
    """The metric's value after its update ran on each of BATCHES slices of `arrays`."""
    placeholders = [tf.placeholder(tf.as_dtype(a.dtype), [None] + list(a.shape[1:]))
                    for a in arrays]
    value, update = make_metric(*placeholders)
    with tf.Session() as session:
        session.run(tf.local_variables_initializer())
        for batch in zip(*[np.array_split(a, BATCHES) for a in arrays]):
            session.run(update, dict(zip(placeholders, batch)))
        return session.run(value)


def test_covariance_and_pearson_correlation():
    x = RNG.randn(40).astype(np.float32)
    y = (0.6 * x + RNG.randn(40)).astype(np.float32)
    w = RNG.randint(0, 3, 40).astype(np.float32)
    assert streamed(metrics.streaming_covariance, x, y) == pytest.approx(np.cov(x, y)[0, 1],
                                                                         rel=1e-4)
    weighted = streamed(lambda a, b, c: metrics.streaming_covariance(a, b, weights=c), x, y, w)
    assert weighted == pytest.approx(np.cov(x, y, fweights=w.astype(int))[0, 1], rel=1e-4)
    assert streamed(metrics.streaming_pearson_correlation, x, y) == pytest.approx(
        np.corrcoef(x, y)[0, 1], rel=1e-4)


def test_mean_cosine_distance_and_count():
    a = RNG.randn(12, 3).astype(np.float32)
    b = RNG.randn(12, 3).astype(np.float32)
    a /= np.linalg.norm(a, axis=1, keepdims=True)
    b /= np.linalg.norm(b, axis=1, keepdims=True)
    got = streamed(lambda p, l: metrics.streaming_mean_cosine_distance(p, l, dim=1), a, b)
    assert got == pytest.approx(1 - (a * b).sum(1).mean(), rel=1e-5)
    assert streamed(metrics.count, a) == 36


def test_best_f1_over_thresholds():
    labels = RNG.randint(0, 2, 60).astype(bool)
    scores = np.clip(labels * 0.3 + RNG.rand(60) * 0.7, 0, 1).astype(np.float32)
    best = 0.0
    for threshold in [(i + 1) / 99 for i in range(98)]:
        predicted = scores > threshold
        tp = (predicted & labels).sum()
        precision = tp / max(predicted.sum(), 1)
        recall = tp / labels.sum()
        if precision + recall:
            best = max(best, 2 * precision * recall / (precision + recall))
    got = streamed(lambda l, p: metrics.f1_score(l, p, num_thresholds=100), labels, scores)
    assert got == pytest.approx(best, abs=1e-4)


def test_cohen_kappa():
    truth = RNG.randint(0, 3, 50).astype(np.int64)
    guess = np.where(RNG.rand(50) < 0.7, truth, RNG.randint(0, 3, 50)).astype(np.int64)
    table = np.zeros((3, 3))
    np.add.at(table, (truth, guess), 1)
    chance = (table.sum(0) * table.sum(1)).sum() / 50
    expected = (np.trace(table) - chance) / (50 - chance)
    got = streamed(lambda l, p: metrics.cohen_kappa(l, p, 3), truth, guess)
    assert got == pytest.approx(expected, rel=1e-6)
    with pytest.raises(ValueError, match='`num_classes` must be >= 2'):
        metrics.cohen_kappa(tf.constant([0]), tf.constant([0]), 1)


def test_streaming_concat_keeps_every_batch():
    values = RNG.randn(23, 2, 3).astype(np.float32)
    np.testing.assert_array_equal(streamed(metrics.streaming_concat, values), values)
    columns = tf.placeholder(tf.float32, [2, None, 3])
    value, update = metrics.streaming_concat(columns, axis=1)
    with tf.Session() as session:
        session.run(tf.local_variables_initializer())
        for part in np.array_split(values.transpose(1, 0, 2), 3, axis=1):
            session.run(update, {columns: part})
        np.testing.assert_array_equal(session.run(value), values.transpose(1, 0, 2))
    capped = streamed(lambda v: metrics.streaming_concat(v, max_size=10), values)
    np.testing.assert_array_equal(capped, values[:10])
    with pytest.raises(ValueError, match='statically known size'):
        metrics.streaming_concat(tf.placeholder(tf.float32, [None, None]))


def test_contribs_aliases():
    assert metrics.confusion_matrix is tf.confusion_matrix
    got = streamed(lambda p, l: metrics.streaming_sparse_precision_at_k(p, l, k=1),
                   np.eye(4, dtype=np.float32)[[0, 1, 2, 3]], np.array([0, 1, 3, 3], np.int64))
    assert got == pytest.approx(0.75)
