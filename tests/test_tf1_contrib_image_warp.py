"""tf1's tf.contrib.image warps (TF 1.15's dense_image_warp.py, interpolate_spline.py,
sparse_image_warp.py) against NumPy: a flow moves pixels as its formula says, bilinearly
between them and clamped at the border; the spline passes through its points and is
exact on affine functions; a sparse warp carries each source control point's pixel to
its destination."""
import numpy as np
import pytest
import tensorflow.compat.v1 as tf

from tf1.api import tensorflow as tf1_api

tf.disable_v2_behavior()

image_ops = tf1_api.contrib.image


def run(*tensors):
    with tf.Session() as sess:
        return sess.run(list(tensors))


def bilinear(image, y, x):
    """NumPy's reference: image[y, x] (HWC) from its 4 neighbours, the border beyond."""
    height, width = image.shape[:2]
    y0 = int(min(max(np.floor(y), 0), height - 2))
    x0 = int(min(max(np.floor(x), 0), width - 2))
    a = min(max(y - y0, 0.0), 1.0)
    b = min(max(x - x0, 0.0), 1.0)
    top = (1 - b) * image[y0, x0] + b * image[y0, x0 + 1]
    bottom = (1 - b) * image[y0 + 1, x0] + b * image[y0 + 1, x0 + 1]
    return (1 - a) * top + a * bottom


def test_a_dense_flow_reads_each_pixel_from_where_it_points_bilinearly():
    rng = np.random.RandomState(0)
    images = rng.rand(2, 5, 6, 3).astype(np.float32)
    flow = (rng.rand(2, 5, 6, 2) * 6 - 3).astype(np.float32)  # some beyond the border
    with tf.Graph().as_default():
        warped, still, shifted = run(
            image_ops.dense_image_warp(images, flow),
            image_ops.dense_image_warp(images, np.zeros_like(flow)),
            image_ops.dense_image_warp(images, np.ones_like(flow)))
    expected = np.array([[[bilinear(images[b], j - flow[b, j, i, 0], i - flow[b, j, i, 1])
                           for i in range(6)] for j in range(5)] for b in range(2)])
    np.testing.assert_allclose(warped, expected, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(still, images, atol=1e-6)
    # A flow of one pixel down and right: output[j, i] is image[j - 1, i - 1].
    np.testing.assert_allclose(shifted[:, 1:, 1:], images[:, :-1, :-1], rtol=1e-6)
    # float64 (and half) images and flows, as TF 1.15's test warps them
    with tf.Graph().as_default():
        doubles, = run(image_ops.dense_image_warp(images.astype(np.float64),
                                                  flow.astype(np.float64)))
        halves, = run(image_ops.dense_image_warp(images, flow.astype(np.float16)))
    np.testing.assert_allclose(doubles, expected, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(halves, expected, atol=2e-2)


def test_the_spline_passes_through_its_points_and_is_exact_on_affine_functions():
    rng = np.random.RandomState(1)
    centres = rng.rand(2, 7, 2).astype(np.float64) * 10
    queries = rng.rand(2, 20, 2).astype(np.float64) * 10
    values = rng.rand(2, 7, 3)
    affine = lambda p: p @ np.array([[1.0, -2.0], [0.5, 3.0]]) + [4.0, -1.0]  # noqa: E731
    with tf.Graph().as_default():
        fits = [image_ops.interpolate_spline(centres, values, centres, order)
                for order in (1, 2, 3, 4)]
        affine_fit = image_ops.interpolate_spline(centres, affine(centres), queries, 2)
        smoothed = image_ops.interpolate_spline(centres, values, centres, 2,
                                                regularization_weight=0.1)
        values_tensor = tf.constant(values)
        gradient = tf.gradients(tf.reduce_sum(
            image_ops.interpolate_spline(centres, values_tensor, queries, 2)), values_tensor)
        *fitted, affine_values, smoothed_values, gradient_values = run(
            *fits, affine_fit, smoothed, gradient[0])
    for order, fit in zip((1, 2, 3, 4), fitted):
        np.testing.assert_allclose(fit, values, atol=1e-6, err_msg='order %d' % order)
    np.testing.assert_allclose(affine_values, affine(queries), atol=1e-6)
    assert 1e-4 < np.abs(smoothed_values - values).max() < 1.0  # near, not through
    assert np.abs(gradient_values).sum() > 0  # differentiable in its values


def test_a_sparse_warp_carries_the_source_pixels_to_their_destinations():
    image = np.zeros((1, 12, 12, 1), np.float32)
    image[0, 3, 4, 0] = 1.0  # one bright pixel, moved 3 down and 2 right
    # The others stay put (an affine term needs 3 points not on one line, as in TF 1.x).
    source = np.array([[[3.0, 4.0], [8.0, 8.0], [2.0, 10.0]]], np.float32)
    dest = np.array([[[6.0, 6.0], [8.0, 8.0], [2.0, 10.0]]], np.float32)
    with tf.Graph().as_default():
        (warped, flow), (pinned, pinned_flow), (still, _) = run(
            image_ops.sparse_image_warp(image, source, dest),
            image_ops.sparse_image_warp(image, source, dest, num_boundary_points=2),
            image_ops.sparse_image_warp(image, source, source))
    assert warped[0, 6, 6, 0] == pytest.approx(1.0, abs=1e-4)
    np.testing.assert_allclose(flow[0, 6, 6], [3.0, 2.0], atol=1e-4)
    np.testing.assert_allclose(flow[0, 8, 8], [0.0, 0.0], atol=1e-4)
    assert warped.shape == (1, 12, 12, 1) and flow.shape == (1, 12, 12, 2)
    assert pinned[0, 6, 6, 0] == pytest.approx(1.0, abs=1e-4)
    np.testing.assert_allclose(pinned_flow[0, [0, 0, 11, 11], [0, 11, 0, 11]], 0.0,
                               atol=1e-4)  # the corners stay where they are
    np.testing.assert_allclose(still, image, atol=1e-5)


def test_tf_1_x_module_paths_and_errors():
    ops = image_ops.python.ops
    assert ops.dense_image_warp.dense_image_warp is image_ops.dense_image_warp
    assert ops.sparse_image_warp.sparse_image_warp is image_ops.sparse_image_warp
    assert ops.interpolate_spline.interpolate_spline is image_ops.interpolate_spline
    with tf.Graph().as_default():
        with pytest.raises(ValueError, match='statically-inferrable'):
            image_ops.interpolate_spline(tf.placeholder(tf.float32, [1, 3, None]),
                                         np.zeros((1, 3, 1), np.float32),
                                         np.zeros((1, 2, 2), np.float32), 2)
        with pytest.raises(ValueError, match='Grid must be 4 dimensional'):
            image_ops.python.ops.dense_image_warp._interpolate_bilinear(
                np.zeros((3, 3, 1), np.float32), np.zeros((1, 2, 2), np.float32))
