"""tf.contrib.image's geometric transforms (TF 1.4-1.15, ported from contrib/image/python/
ops/image_ops.py): rotate, translate and any projective transform of a batch of images,
the way MNIST scripts augmented their digits (`tf.contrib.image.rotate(images, angles)`).

TF 1.x ran them with contrib's own ImageProjectiveTransformV2 kernel; TensorFlow's core
kept that kernel under the same name (with a fill mode, whose default, CONSTANT, is
contrib's zeros) and its gradient, and the two conversions between flat transforms and
matrices, which are used here as they are. bipartite_match, whose kernel was contrib's,
is core ops here, the same greedy matching. The warps (dense_image_warp,
interpolate_spline, sparse_image_warp) are tf1/contrib_image_warp.py's, the YIQ colour
adjustments tf1/contrib_image_distort.py's, connected_components
tf1/contrib_image_segmentation.py's (core ops again). Not provided: the random dot
stereograms (their kernel was contrib's only)."""
import tensorflow.compat.v1 as tf
from tensorflow.python.ops import gen_image_ops
from tf1.contrib_image_distort import (  # noqa: F401 (tf.contrib.image's names)
    adjust_hsv_in_yiq, random_hsv_in_yiq)
from tf1.contrib_image_segmentation import connected_components  # noqa: F401
from tf1.contrib_image_warp import (  # noqa: F401
    dense_image_warp, interpolate_spline, sparse_image_warp)
from tensorflow.python.ops.image_ops import (  # noqa: F401 (tf.contrib.image's names)
    flat_transforms_to_matrices, matrices_to_flat_transforms)

_IMAGE_DTYPES = {tf.uint8, tf.int32, tf.int64, tf.float16, tf.float32, tf.float64}


def _as_batch(images):
    """(images as NHWC, a function giving a batch back the rank `images` had)."""
    if images.dtype.base_dtype not in _IMAGE_DTYPES:
        raise TypeError('Invalid dtype %s.' % images.dtype)
    rank = images.get_shape().ndims
    if rank is None:
        raise TypeError('image_or_images rank must be statically known')
    if rank == 2:
        return images[None, :, :, None], lambda output: output[0, :, :, 0]
    if rank == 3:
        return images[None, :, :, :], lambda output: output[0, :, :, :]
    if rank == 4:
        return images, lambda output: output
    raise TypeError('Images should have rank between 2 and 4.')


def rotate(images, angles, interpolation='NEAREST', name=None):
    """Image(s) (HW, HWC or NHWC) rotated counterclockwise about their centre by `angles`
    radians (one for all, or one per image); the corners left empty are zeros."""
    with tf.name_scope(name, 'rotate'):
        images, restore = _as_batch(tf.convert_to_tensor(images))
        image_height = tf.cast(tf.shape(images)[1], tf.float32)[None]
        image_width = tf.cast(tf.shape(images)[2], tf.float32)[None]
        return restore(transform(
            images, angles_to_projective_transforms(angles, image_height, image_width),
            interpolation=interpolation))


def translate(images, translations, interpolation='NEAREST', name=None):
    """Image(s) moved by [dx, dy] (one for all, or one per image); zeros fill in."""
    with tf.name_scope(name, 'translate'):
        return transform(images, translations_to_projective_transforms(translations),
                         interpolation=interpolation)


def angles_to_projective_transforms(angles, image_height, image_width, name=None):
    """The [N, 8] transforms rotating images of this size about their centres."""
    with tf.name_scope(name, 'angles_to_projective_transforms'):
        angle_or_angles = tf.convert_to_tensor(angles, name='angles', dtype=tf.float32)
        if len(angle_or_angles.get_shape()) == 0:
            angles = angle_or_angles[None]
        elif len(angle_or_angles.get_shape()) == 1:
            angles = angle_or_angles
        else:
            raise TypeError('Angles should have rank 0 or 1.')
        # The output point (x, y) samples the input at the point rotated back about the
        # centre ((width - 1) / 2, (height - 1) / 2).
        x_offset = ((image_width - 1) - (tf.cos(angles) * (image_width - 1)
                                         - tf.sin(angles) * (image_height - 1))) / 2.0
        y_offset = ((image_height - 1) - (tf.sin(angles) * (image_width - 1)
                                          + tf.cos(angles) * (image_height - 1))) / 2.0
        num_angles = tf.shape(angles)[0]
        return tf.concat([tf.cos(angles)[:, None], -tf.sin(angles)[:, None],
                          x_offset[:, None], tf.sin(angles)[:, None],
                          tf.cos(angles)[:, None], y_offset[:, None],
                          tf.zeros((num_angles, 2), tf.float32)], axis=1)


def translations_to_projective_transforms(translations, name=None):
    """The [N, 8] transforms moving images by [dx, dy] (a vector, or one row per image)."""
    with tf.name_scope(name, 'translations_to_projective_transforms'):
        translation_or_translations = tf.convert_to_tensor(
            translations, name='translations', dtype=tf.float32)
        rank = translation_or_translations.get_shape().ndims
        if rank is None:
            raise TypeError('translation_or_translations rank must be statically known')
        if rank == 1:
            translations = translation_or_translations[None]
        elif rank == 2:
            translations = translation_or_translations
        else:
            raise TypeError('Translations should have rank 1 or 2.')
        num_translations = tf.shape(translations)[0]
        ones = tf.ones((num_translations, 1), tf.float32)
        zeros = tf.zeros((num_translations, 1), tf.float32)
        # [[1 0 -dx] [0 1 -dy] [0 0 1]], the last row implicit.
        return tf.concat([ones, zeros, -translations[:, 0, None],
                          zeros, ones, -translations[:, 1, None],
                          tf.zeros((num_translations, 2), tf.float32)], axis=1)


def transform(images, transforms, interpolation='NEAREST', output_shape=None, name=None):
    """Image(s) through projective transform(s): a row [a0, a1, a2, b0, b1, b2, c0, c1]
    maps each OUTPUT point (x, y) to the input point ((a0 x + a1 y + a2) / k,
    (b0 x + b1 y + b2) / k), k = c0 x + c1 y + 1; points outside the input are zeros.
    `output_shape`: [height, width], the input's by default. No gradient reaches the
    transforms."""
    with tf.name_scope(name, 'transform'):
        images, restore = _as_batch(tf.convert_to_tensor(images, name='images'))
        transform_or_transforms = tf.convert_to_tensor(transforms, name='transforms',
                                                       dtype=tf.float32)
        if output_shape is None:
            output_shape = tf.shape(images)[1:3]
            if not tf.executing_eagerly():
                known = tf.get_static_value(output_shape)
                if known is not None:
                    output_shape = known
        output_shape = tf.convert_to_tensor(output_shape, tf.int32, name='output_shape')
        if not output_shape.get_shape().is_compatible_with([2]):
            raise ValueError('output_shape must be a 1-D Tensor of 2 elements: new_height, '
                             'new_width')
        rank = transform_or_transforms.get_shape().ndims
        if rank == 1:
            transforms = transform_or_transforms[None]
        elif rank is None:
            raise TypeError('transform_or_transforms rank must be statically known')
        elif rank == 2:
            transforms = transform_or_transforms
        else:
            raise TypeError('Transforms should have rank 1 or 2.')
        return restore(gen_image_ops.image_projective_transform_v2(
            images, output_shape=output_shape, transforms=transforms,
            interpolation=interpolation.upper()))


def compose_transforms(*transforms):
    """One transform doing each of `transforms` (length 8 or [N, 8], all alike) in turn."""
    assert transforms, 'transforms cannot be empty'
    with tf.name_scope('compose_transforms'):
        composed = flat_transforms_to_matrices(transforms[0])
        for each in transforms[1:]:
            composed = tf.matmul(composed, flat_transforms_to_matrices(each))
        return matrices_to_flat_transforms(composed)


def bipartite_match(distance_mat, num_valid_rows, top_k=-1, name='bipartite_match'):
    """Greedy matching of rows to columns, as contrib's BipartiteMatch kernel did
    (object detection's BipartiteMatcher): again and again the smallest distance whose row
    and column are both unmatched, among the first `num_valid_rows` rows (all, if negative),
    until `top_k` pairs (all possible, if <= 0). Returns (row_to_col_match_indices [rows],
    col_to_row_match_indices [columns]), int32, -1 for unmatched. Of equal distances the
    first in row-major order is taken."""
    with tf.name_scope(name):
        distances = tf.convert_to_tensor(distance_mat, tf.float32)
        if distances.get_shape().ndims not in (None, 2):
            raise ValueError('distance_mat should be 2-dimensional, but got %s'
                             % distances.get_shape())
        rows, columns = tf.unstack(tf.shape(distances), num=2)
        num_valid_rows = tf.cast(num_valid_rows, tf.float32)  # the kernel's input: a float
        valid_rows = tf.where(num_valid_rows >= 0, tf.cast(num_valid_rows + 0.1, tf.int32), rows)
        with tf.control_dependencies([tf.assert_less_equal(
                valid_rows, rows, message='There should be at least num_valid_rows rows in '
                                          'distance_mat')]):
            matches = tf.minimum(valid_rows, columns)
        if top_k > 0:
            matches = tf.minimum(matches, top_k)
        is_valid_row = tf.range(rows) < valid_rows

        def match_one(_, row_to_col, col_to_row):
            free = (is_valid_row[:, None] & tf.equal(row_to_col, -1)[:, None]
                    & tf.equal(col_to_row, -1)[None, :])
            candidates = tf.reshape(tf.where(free, distances, tf.fill(tf.shape(distances),
                                                                     float('inf'))), [-1])
            best = tf.argmin(candidates, output_type=tf.int32)
            # A free pair at an infinite distance is still a pair, as the kernel had it.
            best = tf.where(tf.is_inf(candidates[best]),
                            tf.argmax(tf.reshape(tf.cast(free, tf.int32), [-1]),
                                      output_type=tf.int32), best)
            row, column = best // columns, best % columns
            return (_ + 1,
                    tf.tensor_scatter_nd_update(row_to_col, [[row]], [column]),
                    tf.tensor_scatter_nd_update(col_to_row, [[column]], [row]))

        _, row_to_col, col_to_row = tf.while_loop(
            lambda done, *_: done < matches, match_one,
            (tf.constant(0), -tf.ones([rows], tf.int32), -tf.ones([columns], tf.int32)),
            back_prop=False)
        return row_to_col, col_to_row
