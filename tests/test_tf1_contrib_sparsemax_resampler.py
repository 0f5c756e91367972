"""tf1's ports of tf.contrib.sparsemax and tf.contrib.resampler (TF 1.15's): sparsemax and
its loss against their definitions in NumPy (Martins & Astudillo 2016) and TF 1.15's
handling of inf and NaN; the resampler against TF 1.15's kernel written out in NumPy,
points outside the image included, and its gradients against finite differences."""
import numpy as np
import pytest
import tensorflow.compat.v1 as tf

from tf1.api import tensorflow as tf1_api

tf.disable_v2_behavior()
pytestmark = pytest.mark.usefixtures('fresh_graph')  # conftest.py
RNG = np.random.RandomState(0)
sparsemax_ops = tf1_api.contrib.sparsemax


def numpy_sparsemax(z):
    """The projection onto the simplex, by sorting (the paper's Algorithm 1)."""
    out = np.zeros_like(z)
    for row, logits in enumerate(z):
        ordered = np.sort(logits)[::-1]
        k = np.arange(1, len(logits) + 1)
        support = k[1 + k * ordered > np.cumsum(ordered)].max()
        tau = (ordered[:support].sum() - 1) / support
        out[row] = np.maximum(logits - tau, 0)
    return out


def test_sparsemax_is_the_projection_onto_the_simplex(evaluate):
    logits = RNG.randn(6, 5) * 2
    probabilities, shifted = evaluate(sparsemax_ops.sparsemax(logits),
                                      sparsemax_ops.sparsemax(logits + 3.0))
    np.testing.assert_allclose(probabilities, numpy_sparsemax(logits), atol=1e-12)
    np.testing.assert_allclose(probabilities.sum(1), 1.0)
    assert (probabilities == 0).any()  # sparse, unlike softmax
    np.testing.assert_allclose(shifted, probabilities, atol=1e-12)  # only differences count


def test_sparsemax_of_invalid_rows_is_nan_as_tf_1_15s(evaluate):
    logits = np.array([[1.0, np.inf, 0.0], [1.0, np.nan, 0.0], [1.0, 2.0, -np.inf]])
    got, = evaluate(sparsemax_ops.sparsemax(logits))
    assert np.isnan(got[0]).all() and np.isnan(got[1]).all()
    np.testing.assert_allclose(got[2], [0.0, 1.0, 0.0])


def test_sparsemax_loss_is_its_formula_and_zero_at_a_confident_answer(evaluate):
    logits = RNG.randn(6, 5)
    labels = np.eye(5)[RNG.randint(0, 5, 6)]
    p = numpy_sparsemax(logits)
    support = np.where(p > 0, p * (logits - p / 2), 0)
    expected = (support + labels * (labels / 2 - logits)).sum(1)
    z = tf.constant(logits)
    loss = sparsemax_ops.sparsemax_loss(z, sparsemax_ops.sparsemax(z), labels)
    confident = tf.constant([[10.0, 0.0, 0.0], [0.0, -np.inf, 5.0]])
    confident_loss = sparsemax_ops.sparsemax_loss(
        confident, sparsemax_ops.sparsemax(confident), [[1.0, 0.0, 0.0], [0.0, 0.0, 1.0]])
    got, zero = evaluate(loss, confident_loss)
    np.testing.assert_allclose(got, expected, atol=1e-12)
    assert (got >= 0).all()
    np.testing.assert_array_equal(zero, [0.0, 0.0])


def test_sparsemax_gradients_match_finite_differences():
    logits = tf.constant(RNG.randn(3, 4))
    labels = np.eye(4)[[0, 2, 3]]
    loss = sparsemax_ops.sparsemax_loss(logits, sparsemax_ops.sparsemax(logits), labels)
    with tf.Session():
        error = tf.test.compute_gradient_error(logits, [3, 4], loss, [3])
    assert error < 1e-6


def numpy_resampler(data, warp):
    """TF 1.15's Resampler2D kernel, loop for loop."""
    batch, height, width, channels = data.shape
    points = warp.reshape(batch, -1, 2)
    out = np.zeros((batch, points.shape[1], channels))

    def pixel(b, x, y):
        return data[b, y, x] if 0 <= x < width and 0 <= y < height else 0.0
    for b in range(batch):
        for n, (x, y) in enumerate(points[b]):
            if not (-1 < x < width and -1 < y < height):
                continue
            fx, fy = int(np.floor(x)), int(np.floor(y))
            dx, dy = fx + 1 - x, fy + 1 - y
            out[b, n] = (dx * dy * pixel(b, fx, fy) + (1 - dx) * (1 - dy) * pixel(b, fx + 1, fy + 1)
                         + dx * (1 - dy) * pixel(b, fx, fy + 1)
                         + (1 - dx) * dy * pixel(b, fx + 1, fy))
    return out.reshape(warp.shape[:-1] + (channels,))


def test_resampler_is_tf_1_15s_kernel(evaluate):
    data = RNG.rand(2, 5, 7, 3)
    warp = np.concatenate([RNG.uniform(-2, 8, (2, 4, 6, 1)),
                           RNG.uniform(-2, 6, (2, 4, 6, 1))], -1)
    warp[0, 0, :3] = [[2.0, 3.0], [6.0, 4.0], [-0.5, 4.5]]  # on pixels; at a border
    got, = evaluate(tf1_api.contrib.resampler.resampler(data, warp))
    assert got.shape == (2, 4, 6, 3)
    np.testing.assert_allclose(got, numpy_resampler(data, warp), atol=1e-12)
    np.testing.assert_allclose(got[0, 0, 0], data[0, 3, 2])  # (x=2, y=3): row 3, column 2


def test_resampler_gradients_reach_the_image_and_the_points():
    data = tf.constant(RNG.rand(1, 4, 5, 2))
    warp = tf.constant(RNG.uniform(0.1, 3.4, (1, 6, 2)))  # inside, off the pixel grid
    out = tf1_api.contrib.resampler.resampler(data, warp)
    with tf.Session():
        errors = [tf.test.compute_gradient_error(x, shape, out, [1, 6, 2])
                  for x, shape in ((data, [1, 4, 5, 2]), (warp, [1, 6, 2]))]
    assert max(errors) < 1e-6


def test_resampler_checks_shapes_as_tf_1_15s_kernel_did():
    resampler = tf1_api.contrib.resampler.resampler
    images = np.zeros((2, 4, 4, 1))
    for warp, message in ((np.ones((1, 4, 2)), 'Batch size of data and warp tensor must be '
                           'the same'),
                          (np.ones((2, 4, 3)), 'warping coordinates must be 2D'),
                          (np.ones((2,)), 'warp should be at least a matrix')):
        with pytest.raises(ValueError, match=message):
            resampler(tf.constant(images), tf.constant(warp))
    with pytest.raises(ValueError, match='Only bilinear interpolation'):
        resampler(tf.zeros([2, 4, 4, 1, 1]), tf.ones([2, 3, 2]))
    # Shapes known only when run: the kernel's errors then.
    data, warp = tf.placeholder(tf.float64), tf.placeholder(tf.float64)
    sampled = resampler(data, warp)
    with tf.Session() as session:
        assert session.run(sampled, {data: images, warp: np.ones((2, 3, 2))}).shape == (2, 3, 1)
        with pytest.raises(tf.errors.InvalidArgumentError, match='Batch size of data'):
            session.run(sampled, {data: images, warp: np.ones((1, 3, 2))})
