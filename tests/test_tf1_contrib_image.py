"""tf1's tf.contrib.image transforms (TF 1.15's image_ops.py) against NumPy: rotations
of a quarter turn are np.rot90, any angle samples where TF 1.x's kernel sampled (the
nearest input pixel of each output pixel rotated back about the centre), translations
shift with zeros coming in, composition, shapes, gradients and TF 1.x's errors."""
import numpy as np
import pytest
import tensorflow.compat.v1 as tf

from tf1 import unsupported
from tf1.api import tensorflow as tf1_api

tf.disable_v2_behavior()

image_ops = tf1_api.contrib.image


def digits(count=4, seed=0):
    """Random 28×28 'digits': a blob of ink somewhere off-centre."""
    rng = np.random.RandomState(seed)
    images = np.zeros((count, 28, 28, 1), np.float32)
    for image in images:
        row, col = rng.randint(4, 20, 2)
        image[row:row + 6, col:col + 3, 0] = rng.rand(6, 3)
    return images


def run(tensor, feed=None):
    with tf.Session() as session:
        return session.run(tensor, feed)


def nearest_rotation(image, angle):
    """NumPy's rotation by `angle` (counterclockwise) as the kernel computes it."""
    height, width = image.shape
    out = np.zeros_like(image)
    cos, sin = np.cos(angle), np.sin(angle)
    x_offset = ((width - 1) - (cos * (width - 1) - sin * (height - 1))) / 2
    y_offset = ((height - 1) - (sin * (width - 1) + cos * (height - 1))) / 2
    for y in range(height):
        for x in range(width):
            # C's round(): halves away from zero.
            in_x = np.round(cos * x - sin * y + x_offset + 1e-9 * np.sign(x_offset))
            in_y = np.round(sin * x + cos * y + y_offset + 1e-9 * np.sign(y_offset))
            if 0 <= in_x < width and 0 <= in_y < height:
                out[y, x] = image[int(in_y), int(in_x)]
    return out


def test_rotate_as_tf1_rotated():
    images = digits()
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, [None, 28, 28, 1])
        quarter = image_ops.rotate(x, np.pi / 2)
        angles = np.array([0.3, -0.7, 1.2, 3.0], np.float32)
        each = image_ops.rotate(x, angles)
        quarter, each = run([quarter, each], {x: images})
    np.testing.assert_array_equal(quarter, np.rot90(images, 1, axes=(1, 2)))
    for image, angle, rotated in zip(images, angles, each):
        expected = nearest_rotation(image[:, :, 0], np.float32(angle))
        assert (rotated[:, :, 0] != expected).mean() < 0.01  # float rounding at halves


def test_translate_and_compose():
    images = digits()
    with tf.Graph().as_default():
        right = image_ops.translate(images, [3, 0])
        per_image = image_ops.translate(images, [[0, 2], [0, -2], [1, 1], [-1, 0]])
        composed = image_ops.transform(images, image_ops.compose_transforms(
            image_ops.translations_to_projective_transforms([3, 0]),
            image_ops.translations_to_projective_transforms([0, 2])))
        right, per_image, composed = run([right, per_image, composed])
    expected = np.zeros_like(images)
    expected[:, :, 3:] = images[:, :, :-3]
    np.testing.assert_array_equal(right, expected)
    np.testing.assert_array_equal(per_image[0, 2:], images[0, :-2])
    np.testing.assert_array_equal(per_image[1, :-2], images[1, 2:])
    expected[:] = 0
    expected[:, 2:, 3:] = images[:, :-2, :-3]
    np.testing.assert_array_equal(composed, expected)


def test_ranks_dtypes_output_shape_and_interpolation():
    image = digits(1)[0]
    with tf.Graph().as_default():
        hw = image_ops.rotate(image[:, :, 0], np.pi)
        hwc = image_ops.rotate(image.astype(np.uint8), np.pi)
        bigger = image_ops.transform(image, [1, 0, 0, 0, 1, 0, 0, 0], output_shape=[30, 32])
        bilinear = image_ops.translate(image, [0.5, 0], interpolation='BILINEAR')
        assert hw.shape.as_list() == [28, 28] and hwc.dtype == tf.uint8
        hw, bigger, bilinear = run([hw, bigger, bilinear])
    np.testing.assert_array_equal(hw, image[::-1, ::-1, 0])
    assert bigger.shape == (30, 32, 1)
    np.testing.assert_array_equal(bigger[:28, :28], image)
    # Half a pixel to the right: each pixel the mean of itself and its left neighbour.
    np.testing.assert_allclose(bilinear[:, 1:], (image[:, 1:] + image[:, :-1]) / 2,
                               atol=1e-6)
    with pytest.raises(TypeError, match='Invalid dtype'):
        image_ops.rotate(image.astype(bool), 1.0)
    with pytest.raises(TypeError, match='Images should have rank between 2 and 4'):
        image_ops.rotate(np.zeros((1, 1, 2, 2, 1), np.float32), 1.0)
    with pytest.raises(TypeError, match='Angles should have rank 0 or 1'):
        image_ops.rotate(image, [[1.0]])
    with pytest.raises(ValueError, match='output_shape must be a 1-D Tensor of 2 elements'):
        image_ops.transform(image, [1, 0, 0, 0, 1, 0, 0, 0], output_shape=[1, 2, 3])


def test_gradients_reach_the_images_not_the_angles():
    with tf.Graph().as_default():
        x = tf.constant(digits(1))
        angle = tf.constant(0.4)
        loss = tf.reduce_sum(image_ops.rotate(x, angle, interpolation='BILINEAR') ** 2)
        image_gradient, angle_gradient = tf.gradients(loss, [x, angle])
        assert angle_gradient is None  # as in TF 1.x: not through the transforms
        assert np.abs(run(image_gradient)).sum() > 0


def test_what_contrib_image_had_beyond_the_transforms_is_one_clear_error():
    with pytest.raises(unsupported.UnsupportedApiError,
                       match='not the random dot stereograms'):
        image_ops.single_image_random_dot_stereograms


def greedy_matches(distances, num_valid_rows, top_k):
    """NumPy's reference: contrib's BipartiteMatch kernel, pair by pair."""
    rows, columns = distances.shape
    valid = rows if num_valid_rows < 0 else int(num_valid_rows + 0.1)
    limit = valid * columns if top_k <= 0 else top_k
    row_to_col, col_to_row, made = -np.ones(rows, int), -np.ones(columns, int), 0
    for flat in np.argsort(distances[:valid].ravel(), kind='stable'):
        row, column = divmod(flat, columns)
        if row_to_col[row] == -1 and col_to_row[column] == -1 and made < limit:
            row_to_col[row], col_to_row[column], made = column, row, made + 1
    return row_to_col, col_to_row


def test_bipartite_match_is_the_kernels_greedy_matching():
    rng = np.random.RandomState(3)
    cases = [(2, 3, -1, -1), (5, 4, 3, -1), (4, 7, -1, 2), (6, 6, 6.0, -1), (3, 1, -1, -1)]
    with tf.Graph().as_default():
        matrices = [rng.rand(rows, columns).astype(np.float32)
                    for rows, columns, _, _ in cases]
        fed = tf.placeholder(tf.float32, [None, None])  # shapes known only when run
        matched = [image_ops.bipartite_match(fed, valid, top_k=k)
                   for (_, _, valid, k) in cases]
        with tf.Session() as sess:
            got = [sess.run(match, {fed: matrix}) for match, matrix in zip(matched, matrices)]
            # TF 1.15's answer for object detection's negated similarities
            detection = sess.run(image_ops.bipartite_match(
                [[0.5, 0.8, 0.0], [0.15, 0.2, 0.3]], num_valid_rows=2))
    for (rows, columns, valid, k), matrix, (row_to_col, col_to_row) in zip(cases, matrices, got):
        expected = greedy_matches(matrix, valid, k)
        np.testing.assert_array_equal(row_to_col, expected[0])
        np.testing.assert_array_equal(col_to_row, expected[1])
    assert detection[0].tolist() == [2, 0] and detection[1].tolist() == [1, -1, 0]
    with pytest.raises(ValueError, match='should be 2-dimensional'):
        image_ops.bipartite_match([1.0, 2.0], -1)


def test_yiq_adjustments_rotate_the_hue_and_scale_saturation_and_value():
    rgb = np.random.RandomState(1).rand(2, 4, 5, 3).astype(np.float32)
    to_yiq = np.array([[0.299, 0.587, 0.114], [0.596, -0.274, -0.322],
                       [0.211, -0.523, 0.312]])
    yiq = rgb @ to_yiq.T
    full_turn, half_value, grey, rotated = run([
        image_ops.adjust_hsv_in_yiq(rgb, delta_hue=2 * np.pi),
        image_ops.adjust_hsv_in_yiq(rgb, scale_value=0.5),
        image_ops.adjust_hsv_in_yiq(rgb, scale_saturation=0.0),
        image_ops.adjust_hsv_in_yiq(rgb, delta_hue=0.7)])
    np.testing.assert_allclose(full_turn, rgb, atol=1e-5)
    np.testing.assert_allclose(half_value, rgb * 0.5, atol=1e-5)
    # no saturation: each pixel's luma Y in all three channels
    np.testing.assert_allclose(grey, np.repeat(yiq[..., :1], 3, axis=-1), atol=1e-4)
    # a hue change rotates (I, Q) and keeps Y
    new_yiq = rotated @ to_yiq.T
    c, s = np.cos(0.7), np.sin(0.7)
    np.testing.assert_allclose(new_yiq[..., 0], yiq[..., 0], atol=1e-4)
    np.testing.assert_allclose(new_yiq[..., 1], c * yiq[..., 1] - s * yiq[..., 2], atol=1e-4)
    # uint8 in, uint8 out; random draws within their ranges
    as_bytes = run(image_ops.adjust_hsv_in_yiq((rgb * 255).astype(np.uint8)))
    assert as_bytes.dtype == np.uint8
    darker = run(image_ops.random_hsv_in_yiq(rgb, lower_value=0.2, upper_value=0.4, seed=3))
    ratio = darker.sum() / rgb.sum()
    assert 0.2 <= ratio <= 0.4
    with pytest.raises(ValueError, match='Shape must be at least rank 3'):
        image_ops.adjust_hsv_in_yiq(np.ones((2, 3), np.float32))
    with pytest.raises(ValueError, match='input must have 3 channels but instead has 4'):
        image_ops.adjust_hsv_in_yiq(np.ones((2, 2, 4), np.float32))
    with pytest.raises(ValueError, match='delta_h must be scalar'):
        image_ops.adjust_hsv_in_yiq(rgb, delta_hue=[0.1])
    with pytest.raises(ValueError, match='lower_value must be < upper_value'):
        image_ops.random_hsv_in_yiq(rgb, lower_value=0.5, upper_value=0.4)
