"""tf1's tf.contrib.nn (TF 1.15's): alpha dropout keeps a standard normal input's mean and
variance, the scaled softplus, the sampled sparse softmax loss against
tf.nn.sampled_softmax_loss on the same samples, the rank-resampled loss, TF 0.x's flipped
cross-entropies, conv1d_transpose and nth_element."""
import numpy as np
import pytest
import tensorflow.compat.v1 as tf

from tf1.api import tensorflow as tf1_api

tf.disable_v2_behavior()
pytestmark = pytest.mark.usefixtures('fresh_graph')  # conftest.py

contrib_nn = tf1_api.contrib.nn
RNG = np.random.RandomState(0)


def test_alpha_dropout_keeps_mean_and_variance(evaluate):
    x = tf.constant(RNG.randn(200000).astype(np.float32))
    dropped, = evaluate(contrib_nn.alpha_dropout(x, 0.8, seed=1))
    assert abs(dropped.mean()) < 0.01 and abs(dropped.std() - 1) < 0.01
    alpha = -1.7580993408473766  # a dropped unit: SELU's saturation, mapped as the rest
    a = (0.8 + 0.8 * 0.2 * alpha ** 2) ** -0.5
    assert np.isclose(dropped, 0.8 * a * alpha).mean() == pytest.approx(0.2, abs=0.01)
    assert contrib_nn.alpha_dropout(x, 1.0) is x
    with pytest.raises(ValueError, match=r'keep_prob must be a scalar tensor or a float in the '
                                         r'range \(0, 1\], got 1.5'):
        contrib_nn.alpha_dropout(x, 1.5)


def test_scaled_softplus_flipped_losses_and_moved_ops(evaluate):
    x = RNG.randn(4, 3).astype(np.float32)
    labels = np.eye(3, dtype=np.float32)[[0, 2, 1, 1]]
    got = evaluate(
        contrib_nn.scaled_softplus(x, 0.5, clip=0.8),
        contrib_nn.deprecated_flipped_softmax_cross_entropy_with_logits(x, labels),
        tf.nn.softmax_cross_entropy_with_logits_v2(labels=labels, logits=x),
        contrib_nn.deprecated_flipped_sparse_softmax_cross_entropy_with_logits(
            x, np.array([0, 2, 1, 1])),
        contrib_nn.nth_element(x, 1),
        contrib_nn.conv1d_transpose(tf.ones([1, 4, 2]), tf.ones([3, 5, 2]), [1, 8, 5], 2))
    np.testing.assert_allclose(got[0], np.minimum(0.5 * np.log1p(np.exp(x / 0.5)), 0.8),
                               rtol=1e-6)
    np.testing.assert_allclose(got[1], got[2], rtol=1e-6)
    np.testing.assert_allclose(got[3], got[2], rtol=1e-6)
    np.testing.assert_array_equal(got[4], np.sort(x, axis=1)[:, 1])
    assert got[5].shape == (1, 8, 5)


def test_sampled_sparse_softmax_loss_is_the_sampled_softmax_of_one_label(evaluate):
    weights = tf.constant(RNG.randn(50, 8).astype(np.float32))
    biases = tf.constant(RNG.randn(50).astype(np.float32))
    inputs = tf.constant(RNG.randn(6, 8).astype(np.float32))
    labels = tf.constant(RNG.randint(0, 50, (6, 1)), tf.int64)
    samples = tf.nn.log_uniform_candidate_sampler(labels, 1, 10, True, 50, seed=3)
    ours, theirs = evaluate(
        contrib_nn.sampled_sparse_softmax_loss(weights, biases, labels, inputs, 10, 50,
                                               sampled_values=samples),
        tf.nn.sampled_softmax_loss(weights, biases, labels, inputs, 10, 50,
                                   sampled_values=samples))
    np.testing.assert_allclose(ours, theirs, rtol=1e-5)
    resampled, = evaluate(contrib_nn.rank_sampled_softmax_loss(
        weights, biases, labels, inputs, 10, 4, 50, 1, samples, 1.0, True, 'div'))
    assert resampled.shape == (6,) and np.isfinite(resampled).all()
    with pytest.raises(ValueError, match=r'num_resampled \(10\) must be less than num_sampled'):
        contrib_nn.rank_sampled_softmax_loss(weights, biases, labels, inputs, 10, 10, 50, 1,
                                             samples, 1.0, True, 'div')
