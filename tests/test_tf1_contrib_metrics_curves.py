"""tf1's contrib.metrics over thresholds, rates and curves (TF 1.15's, which tf.metrics
never had): streamed over several batches, each held to NumPy or scikit-learn on all the
data at once - confusion counts at thresholds, false positive and negative rates, curve
points, recall at a precision and precision at a recall, precision and recall at equal
thresholds, the exact AUC with and without confidence bounds, the histogram AUC; and the
thin ones over tf.metrics with contrib's argument order. (TF 1.15's own metric_ops_test,
431 cases, metric_ops_large_test and histogram_ops_test also pass against them under
`python -m tf1`.)"""
import numpy as np
import pytest
import tensorflow.compat.v1 as tf
from sklearn.metrics import roc_auc_score

from tf1 import contrib_metrics as metrics
from tf1.api import tensorflow as tf1_api

tf.disable_v2_behavior()
pytestmark = pytest.mark.usefixtures('fresh_graph')  # conftest.py

RNG = np.random.RandomState(0)
LABELS = RNG.randint(0, 2, 60).astype(np.int64)
# scores that lean towards the labels, with ties (two decimals)
SCORES = np.round(np.clip(0.35 * LABELS + 0.65 * RNG.rand(60), 0, 1), 2).astype(np.float32)
WEIGHTS = RNG.randint(0, 3, 60).astype(np.float32)
THRESHOLDS = [0.205, 0.505, 0.805]  # between the scores: no float32 ties


def streamed(make_metric, *arrays, batches=4):
    """The metric's value after its update ran on each of `batches` slices of `arrays`."""
    placeholders = [tf.placeholder(tf.as_dtype(a.dtype), [None] + list(a.shape[1:]))
                    for a in arrays]
    value, update = make_metric(*placeholders)
    with tf.Session() as session:
        session.run(tf.local_variables_initializer())
        for batch in zip(*[np.array_split(a, batches) for a in arrays]):
            feed = dict(zip(placeholders, batch))
            session.run(update, feed)
        # the last batch fed again: some values hang on its label checks, as in TF 1.x
        return session.run(value, feed)


def counts_at(thresholds, weights=None):
    """NumPy's weighted (tp, fn, tn, fp) at each threshold: above it is positive."""
    weights = np.ones_like(SCORES) if weights is None else weights
    positive = SCORES[None, :] > np.array(thresholds)[:, None]
    label = LABELS[None, :].astype(bool)
    return [((a & b) * weights).sum(1) for a, b in
            ((label, positive), (label, ~positive), (~label, ~positive), (~label, positive))]


def test_confusion_counts_and_error_rates_at_thresholds():
    tp, fn, tn, fp = counts_at(THRESHOLDS, WEIGHTS)
    for metric, expected in ((metrics.streaming_true_positives_at_thresholds, tp),
                             (metrics.streaming_false_negatives_at_thresholds, fn),
                             (metrics.streaming_true_negatives_at_thresholds, tn),
                             (metrics.streaming_false_positives_at_thresholds, fp)):
        got = streamed(lambda p, l, w: metric(p, l, THRESHOLDS, weights=w),
                       SCORES, LABELS, WEIGHTS)
        np.testing.assert_allclose(got, expected)
    got = streamed(lambda p, l: metrics.streaming_false_positive_rate_at_thresholds(
        p, l, THRESHOLDS), SCORES, LABELS)
    tp, fn, tn, fp = counts_at(THRESHOLDS)
    np.testing.assert_allclose(got, fp / (fp + tn), rtol=1e-5)
    got = streamed(lambda p, l: metrics.streaming_false_negative_rate_at_thresholds(
        p, l, THRESHOLDS), SCORES, LABELS)
    np.testing.assert_allclose(got, fn / (fn + tp), rtol=1e-5)
    # contrib's counts do not check the range of the predictions (tf.metrics' do)
    got = streamed(lambda p, l: metrics.streaming_true_positives_at_thresholds(
        p, l, [1.5]), SCORES * 2, LABELS)
    np.testing.assert_allclose(got, [((SCORES * 2 > 1.5) & (LABELS == 1)).sum()])


def test_false_positive_and_negative_rates_of_boolean_predictions():
    predictions = SCORES > 0.5
    truth = LABELS.astype(bool)
    fp, tn = (predictions & ~truth).sum(), (~predictions & ~truth).sum()
    fn, tp = (~predictions & truth).sum(), (predictions & truth).sum()
    assert streamed(metrics.streaming_false_positive_rate, predictions, LABELS) == (
        pytest.approx(fp / (fp + tn)))
    assert streamed(metrics.streaming_false_negative_rate, predictions, LABELS) == (
        pytest.approx(fn / (fn + tp)))
    # nothing seen: 0, not NaN
    assert streamed(metrics.streaming_false_positive_rate, predictions[:0], LABELS[:0],
                    batches=1) == 0


def test_curve_points_recall_at_precision_and_precision_at_recall():
    points = streamed(lambda l, p: metrics.streaming_curve_points(l, p, num_thresholds=5),
                      LABELS, SCORES)
    assert points.shape == (5, 2)
    tp, fn, tn, fp = counts_at([-1e-7, 0.25, 0.5, 0.75, 1 + 1e-7])
    np.testing.assert_allclose(points[:, 0], fp / (fp + tn + 1e-6), rtol=1e-5)  # ROC: FPR
    np.testing.assert_allclose(points[:, 1], (tp + 1e-6) / (tp + fn + 1e-6), rtol=1e-5)
    pr_points = streamed(lambda l, p: metrics.streaming_curve_points(
        l, p, num_thresholds=5, curve='PR'), LABELS, SCORES)
    np.testing.assert_allclose(pr_points[:, 0], points[:, 1], rtol=1e-6)  # recall
    np.testing.assert_allclose(pr_points[:, 1], (tp + 1e-6) / (tp + fp + 1e-6), rtol=1e-5)
    with pytest.raises(ValueError, match='curve must be either ROC or PR'):
        metrics.streaming_curve_points(tf.constant(LABELS), tf.constant(SCORES), curve='X')

    thresholds = [-1e-7] + [i / 9 for i in range(1, 9)] + [1 + 1e-7]
    tp, fn, tn, fp = counts_at(thresholds)
    precisions, recalls = tp / np.maximum(tp + fp, 1e-7), tp / (tp + fn)
    nearest = np.argmin(np.abs(precisions - 0.7))
    got = streamed(lambda l, p: metrics.recall_at_precision(l, p, 0.7, num_thresholds=10),
                   LABELS, SCORES)
    assert got == pytest.approx(recalls[nearest], rel=1e-5)
    # strict: the recall at the lowest precision not below 0.7 (0 if none)
    at_least = np.where(precisions >= 0.7)[0]
    strict = recalls[at_least[np.argmin(precisions[at_least])]] if len(at_least) else 0.0
    got = streamed(lambda l, p: metrics.recall_at_precision(l, p, 0.7, num_thresholds=10,
                                                            strict_mode=True), LABELS, SCORES)
    assert got == pytest.approx(strict, rel=1e-5)
    last_admissible = np.sum(recalls >= 0.6) - 1
    got = streamed(lambda l, p: metrics.precision_at_recall(l, p, 0.6, num_thresholds=10),
                   LABELS, SCORES)
    assert got == pytest.approx(precisions[last_admissible], rel=1e-5)
    with pytest.raises(ValueError, match='must be in the range'):
        metrics.recall_at_precision(tf.constant(LABELS), tf.constant(SCORES), 1.5)


def test_precision_recall_at_equal_thresholds():
    result = streamed(lambda l, p: metrics.precision_recall_at_equal_thresholds(
        l, p, num_thresholds=11), LABELS.astype(bool), SCORES)
    # a prediction counts as positive at each threshold up to its bucket's
    buckets = np.floor(SCORES * np.float32(10)).astype(int)
    tp = np.array([((buckets >= i) & (LABELS == 1)).sum() for i in range(11)])
    fp = np.array([((buckets >= i) & (LABELS == 0)).sum() for i in range(11)])
    np.testing.assert_allclose(result.tp, tp)
    np.testing.assert_allclose(result.fp, fp)
    np.testing.assert_allclose(result.precision, tp / np.maximum(tp + fp, 1e-7), rtol=1e-5)
    np.testing.assert_allclose(result.thresholds, np.linspace(0, 1, 11), atol=1e-6)


def test_exact_aucs_match_scikit_learn():
    expected = roc_auc_score(LABELS, SCORES)
    assert streamed(metrics.streaming_dynamic_auc, LABELS, SCORES) == pytest.approx(expected)
    weighted = roc_auc_score(LABELS, SCORES, sample_weight=WEIGHTS)
    assert streamed(lambda l, p, w: metrics.streaming_dynamic_auc(l, p, weights=w),
                    LABELS, SCORES, WEIGHTS) == pytest.approx(weighted)
    bounded = streamed(metrics.auc_with_confidence_intervals, LABELS, SCORES)
    assert bounded.auc == pytest.approx(expected, rel=1e-5)
    assert bounded.lower < bounded.auc < bounded.upper < 1
    histogram = streamed(lambda l, p: metrics.auc_using_histogram(l, p, [0.0, 1.0], nbins=100),
                         LABELS.astype(bool), SCORES)
    assert histogram == pytest.approx(expected, abs=0.01)  # ties in a bin count half
    # [N, 1] labels and scores too: TF 1.x's rank checks never ran
    columns = streamed(lambda l, p: metrics.auc_using_histogram(l, p, [0.0, 1.0], nbins=100),
                       LABELS.astype(bool)[:, None], SCORES[:, None])
    assert columns == pytest.approx(histogram)


def test_thin_metrics_are_tf_metrics_with_contribs_argument_order():
    got = streamed(lambda p, l: metrics.streaming_precision_at_thresholds(p, l, THRESHOLDS),
                   SCORES, LABELS)
    tp, fn, tn, fp = counts_at(THRESHOLDS)
    np.testing.assert_allclose(got, tp / (tp + fp), rtol=1e-5)
    got = streamed(lambda p, l: metrics.streaming_recall_at_thresholds(p, l, THRESHOLDS),
                   SCORES, LABELS)
    np.testing.assert_allclose(got, tp / (tp + fn), rtol=1e-5)
    normalizer = np.full(60, 2.0, np.float32)
    got = streamed(lambda p, l, n: metrics.streaming_mean_relative_error(p, l, n),
                   SCORES, LABELS.astype(np.float32), normalizer)
    assert got == pytest.approx(np.mean(np.abs(SCORES - LABELS) / 2), rel=1e-5)
    top = np.array([[1, 0], [0, 1], [2, 1]], np.int64)
    truth = np.array([[1], [0], [1]], np.int64)
    got = streamed(lambda t, l: metrics.sparse_recall_at_top_k(l, t), top, truth, batches=1)
    assert got == pytest.approx(1.0)  # each label among its row's two
    got = streamed(lambda t, l: metrics.streaming_sparse_precision_at_top_k(t, l), top, truth,
                   batches=1)
    assert got == pytest.approx(0.5)  # one right of two in each row
    sensitivity = streamed(lambda p, l: metrics.streaming_sensitivity_at_specificity(
        p, l, 0.5), SCORES, LABELS)
    assert 0 < sensitivity <= 1


def test_tf_1x_module_paths():
    python = tf1_api.contrib.metrics.python
    assert python.ops.histogram_ops.auc_using_histogram is metrics.auc_using_histogram
    assert python.ops.metric_ops.streaming_dynamic_auc is metrics.streaming_dynamic_auc
    assert python.metrics.classification.accuracy is metrics.accuracy
