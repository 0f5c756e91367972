"""tf1's tf.contrib.image.connected_components (TF 1.6-1.15) against scipy.ndimage.label and
a NumPy flood fill: ids 1..n across the batch in the row-major order of each component's first
pixel, pixels of one non-zero value joined above, below, left and right; any dtype; shapes
known or fed; TF 1.x's error for other ranks."""
import collections

import numpy as np
import pytest
import tensorflow.compat.v1 as tf
from scipy import ndimage

from tf1.api import tensorflow as tf1_api

tf.disable_v2_behavior()

image_ops = tf1_api.contrib.image


def flood_fill(images):
    """NumPy's reference for [N, H, W] images of any values: a breadth-first fill from each
    unlabelled non-zero pixel in row-major order, over neighbours of the same value."""
    labels, zero = np.zeros(images.shape, np.int64), np.zeros((), images.dtype)
    next_id = 0
    for start in np.ndindex(*images.shape):
        if images[start] == zero or labels[start]:
            continue
        next_id += 1
        labels[start], queue = next_id, collections.deque([start])
        while queue:
            n, row, col = queue.popleft()
            for near in ((n, row - 1, col), (n, row + 1, col),
                         (n, row, col - 1), (n, row, col + 1)):
                if (0 <= near[1] < images.shape[1] and 0 <= near[2] < images.shape[2]
                        and not labels[near] and images[near] == images[n, row, col]):
                    labels[near] = next_id
                    queue.append(near)
    return labels


def run(tensor, feed=None):
    with tf.Session() as session:
        return session.run(tensor, feed)


def test_random_batches_match_scipy_with_ids_running_on_across_images():
    images = np.random.RandomState(42).randint(0, 2, size=(4, 30, 40)).astype(bool)
    expected, offset = [], 0
    for image in images:
        labels, count = ndimage.label(image)
        expected.append(np.where(labels > 0, labels + offset, 0))
        offset += count
    with tf.Graph().as_default():
        components = run(image_ops.connected_components(images))
    assert components.dtype == np.int32  # as TF 1.x's renumbering made them
    np.testing.assert_array_equal(components, expected)
    np.testing.assert_array_equal(components, flood_fill(images))


def test_pixels_join_only_their_own_value():
    images = np.random.RandomState(1).randint(0, 4, size=(3, 12, 9)).astype(np.int32)
    with tf.Graph().as_default():
        np.testing.assert_array_equal(run(image_ops.connected_components(images)),
                                      flood_fill(images))
        # strings too, '' being zero
        words = np.array(['', 'a', 'b'])[images % 3]
        np.testing.assert_array_equal(run(image_ops.connected_components(words)),
                                      flood_fill(images % 3))


def test_a_long_winding_component_is_one():
    """A serpent: full even rows joined at alternate ends, so the labels spread along a path
    of half the image's pixels."""
    serpent = np.zeros((21, 21), bool)
    serpent[::2] = True
    serpent[1::4, -1] = serpent[3::4, 0] = True
    with tf.Graph().as_default():
        components = run(image_ops.connected_components(serpent))
    assert components.shape == (21, 21)  # a 2-D image gives 2-D ids
    np.testing.assert_array_equal(components, serpent.astype(np.int64))
    serpent[10, 5] = False  # cut in two
    with tf.Graph().as_default():
        np.testing.assert_array_equal(run(image_ops.connected_components(serpent)),
                                      ndimage.label(serpent)[0])


def test_fed_shapes_zeros_and_ones():
    with tf.Graph().as_default():
        images = tf.placeholder(tf.float32, [None, None, None])
        components = image_ops.connected_components(images)
        np.testing.assert_array_equal(run(components, {images: np.zeros((2, 3, 4))}), 0)
        np.testing.assert_array_equal(run(components, {images: np.ones((3, 2, 5))}),
                                      np.tile(np.arange(1, 4)[:, None, None], [1, 2, 5]))
        assert tf.gradients(tf.reduce_sum(tf.cast(components, tf.float32)), images) == [None]


def test_other_ranks_are_tf1s_type_error():
    with tf.Graph().as_default():
        with pytest.raises(TypeError, match=r'images should have rank 2 \(HW\) or 3 \(NHW\)'):
            image_ops.connected_components(np.ones([4], bool))


def test_at_its_module_path():
    from tf1 import api
    ops_module = api.tensorflow.contrib.image.python.ops.image_ops
    assert ops_module.connected_components is image_ops.connected_components
