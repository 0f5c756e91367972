"""tf1's tf.contrib.losses.metric_learning (TF 1.15's) held to each loss's definition
written out in NumPy with loops, as TF 1.x's own tests held them: pairwise distances,
the contrastive, triplet (semi-hard negatives), N-pairs (one label and label sets) and
lifted structured losses."""
import numpy as np
import pytest
import tensorflow.compat.v1 as tf

from tf1 import unsupported
from tf1.api import tensorflow as tf1_api

tf.disable_v2_behavior()
pytestmark = pytest.mark.usefixtures('fresh_graph')  # conftest.py

metric_learning = tf1_api.contrib.losses.metric_learning
RNG = np.random.RandomState(0)
EMBEDDINGS = RNG.rand(12, 4).astype(np.float32)
LABELS = RNG.randint(0, 4, 12)


def distances(x, squared):
    d = ((x[:, None, :] - x[None, :, :]) ** 2).sum(-1)
    return d if squared else np.sqrt(d)


def test_pairwise_distance_and_contrastive_loss(evaluate):
    squared, plain, contrastive = evaluate(
        metric_learning.pairwise_distance(EMBEDDINGS, squared=True),
        metric_learning.pairwise_distance(EMBEDDINGS),
        metric_learning.contrastive_loss(LABELS[:6] % 2, EMBEDDINGS[:6], EMBEDDINGS[6:],
                                         margin=0.5))
    np.testing.assert_allclose(squared, distances(EMBEDDINGS, True), atol=1e-5)
    np.testing.assert_allclose(plain, distances(EMBEDDINGS, False), atol=1e-3)
    assert (np.diag(plain) == 0).all()
    d = np.sqrt(((EMBEDDINGS[:6] - EMBEDDINGS[6:]) ** 2).sum(1))
    y = LABELS[:6] % 2
    expected = np.mean(y * d ** 2 + (1 - y) * np.maximum(0.5 - d, 0) ** 2)
    assert contrastive == pytest.approx(expected, rel=1e-5)


def test_triplet_semihard_loss(evaluate):
    margin = 1.0
    d = distances(EMBEDDINGS, True)
    loss, count = 0.0, 0
    for a in range(12):
        for p in range(12):
            if a == p or LABELS[a] != LABELS[p]:
                continue
            negatives = d[a][LABELS != LABELS[a]]
            farther = negatives[negatives > d[a, p]]
            negative = farther.min() if len(farther) else negatives.max()
            loss += max(margin + d[a, p] - negative, 0.0)
            count += 1
    got, = evaluate(metric_learning.triplet_semihard_loss(LABELS, EMBEDDINGS, margin))
    assert got == pytest.approx(loss / count, rel=1e-4)


def test_lifted_struct_loss(evaluate):
    margin = 1.0
    d = distances(EMBEDDINGS, False)
    loss, count = 0.0, 0
    for i in range(12):
        for j in range(12):
            if i == j or LABELS[i] != LABELS[j]:
                continue
            negatives = np.concatenate([margin - d[i][LABELS != LABELS[i]],
                                        margin - d[j][LABELS != LABELS[j]]])
            top = negatives.max()
            this = max(np.log(np.exp(negatives - top).sum()) + top + d[i, j], 0)
            loss += this ** 2
            count += 1
    got, = evaluate(metric_learning.lifted_struct_loss(LABELS, EMBEDDINGS, margin))
    assert got == pytest.approx(loss / count / 2.0, rel=1e-4)


def softmax_xent(logits, targets):
    logits = logits - logits.max(1, keepdims=True)
    log_probabilities = logits - np.log(np.exp(logits).sum(1, keepdims=True))
    return -(targets * log_probabilities).sum(1).mean()


def test_npairs_losses(evaluate):
    anchors, positives, labels = EMBEDDINGS[:6], EMBEDDINGS[6:], np.array([0, 1, 2, 0, 3, 4])
    sets = [[0], [1, 2], [2], [0, 3], [3], [4]]
    sparse = [tf.SparseTensor([[0, k] for k in labels_of], [1] * len(labels_of), [1, 5])
              for labels_of in sets]
    one, multi = evaluate(
        metric_learning.npairs_loss(labels, anchors, positives, reg_lambda=0.01),
        metric_learning.npairs_loss_multilabel(sparse, anchors, positives, reg_lambda=0.01))
    l2 = 0.25 * 0.01 * ((anchors ** 2).sum(1).mean() + (positives ** 2).sum(1).mean())
    same = (labels[:, None] == labels[None, :]).astype(np.float64)
    assert one == pytest.approx(l2 + softmax_xent(anchors @ positives.T,
                                                  same / same.sum(1, keepdims=True)), rel=1e-4)
    shared = np.array([[len(set(a) & set(b)) for b in sets] for a in sets], np.float64)
    assert multi == pytest.approx(l2 + softmax_xent(anchors @ positives.T,
                                                    shared / shared.sum(1, keepdims=True)),
                                  rel=1e-4)
    with pytest.raises(TypeError, match='sparse_labels must be a list of SparseTensors'):
        metric_learning.npairs_loss_multilabel([labels], anchors, positives)


def test_cluster_loss_is_one_clear_error():
    with pytest.raises(unsupported.UnsupportedApiError, match='cluster_loss.*scikit-learn'):
        metric_learning.cluster_loss
