"""tf.contrib.image's colour adjustments in YIQ space (TF 1.15's distort_image_ops.py):
a hue rotation and saturation and value scales of RGB images, fixed or drawn at random, as
image-augmentation pipelines used them. TF 1.x ran contrib's AdjustHsvInYiq kernel; here
the same 3x3 matrix (RGB to YIQ, the HSV change, back to RGB) is applied to each pixel with
core ops."""
import numpy as np
import tensorflow.compat.v1 as tf

# The kernel's matrices (Wikipedia's YIQ; the inverse as the kernel wrote it out).
_RGB_TO_YIQ = np.array([[0.299, 0.587, 0.114],
                        [0.596, -0.274, -0.322],
                        [0.211, -0.523, 0.312]], np.float32)
_YIQ_TO_RGB = np.array([[1, 0.95617069, 0.62143257],
                        [1, -0.2726886, -0.64681324],
                        [1, -1.103744, 1.70062309]], np.float32)


def _adjust_hsv_in_yiq_rgb(images, delta_h, scale_s, scale_v):
    """float32 RGB `images` (last dimension 3) with their hue rotated by `delta_h`
    radians and their saturation and value scaled, in YIQ space."""
    if images.shape.ndims is not None and images.shape.ndims < 3:
        raise ValueError('Shape must be at least rank 3 but is rank %d' % images.shape.ndims)
    # TF 1.x's kernel checked the channels when run; a known count is checked now
    if images.shape[-1:].is_fully_defined():
        if images.shape[-1] != 3:
            raise ValueError('input must have 3 channels but instead has %d channels.'
                             % images.shape[-1])
    else:
        channels = tf.shape(images)[-1]
        with tf.control_dependencies([tf.Assert(tf.equal(channels, 3), [
                'input must have 3 channels but instead has', channels, 'channels.'])]):
            images = tf.identity(images)
    delta_h, scale_s, scale_v = (tf.cast(value, tf.float32)
                                 for value in (delta_h, scale_s, scale_v))
    for name, value in (('delta_h', delta_h), ('scale_s', scale_s), ('scale_v', scale_v)):
        if value.shape.ndims not in (None, 0):
            raise ValueError('%s must be scalar: %s' % (name, value.shape))
    vsu = scale_v * scale_s * tf.cos(delta_h)
    vsw = scale_v * scale_s * tf.sin(delta_h)
    zero = tf.zeros_like(vsu)
    hsv_transform = tf.stack([tf.stack([scale_v, zero, zero]),
                              tf.stack([zero, vsu, -vsw]),
                              tf.stack([zero, vsw, vsu])])
    matrix = tf.matmul(tf.matmul(_YIQ_TO_RGB, hsv_transform), _RGB_TO_YIQ)
    # each pixel's output channel q: sum over p of matrix[q, p] * input channel p
    return tf.tensordot(images, tf.transpose(matrix), axes=[[-1], [0]])


def adjust_hsv_in_yiq(image, delta_hue=0, scale_saturation=1, scale_value=1, name=None):
    """RGB `image`(s) with the hue rotated by `delta_hue` radians and the saturation and
    value scaled, in YIQ space; in the image's own dtype."""
    with tf.name_scope(name, 'adjust_hsv_in_yiq', [image]):
        image = tf.convert_to_tensor(image, name='image')
        orig_dtype = image.dtype
        flt_image = tf.image.convert_image_dtype(image, tf.float32)
        rgb_altered = _adjust_hsv_in_yiq_rgb(flt_image, delta_hue, scale_saturation,
                                             scale_value)
        return tf.image.convert_image_dtype(rgb_altered, orig_dtype)


def random_hsv_in_yiq(image, max_delta_hue=0, lower_saturation=1, upper_saturation=1,
                      lower_value=1, upper_value=1, seed=None):
    """adjust_hsv_in_yiq by a hue in [-max_delta_hue, max_delta_hue] and scales in
    [lower, upper], each drawn uniformly (fixed where its range is one value)."""
    if max_delta_hue < 0:
        raise ValueError('max_delta must be non-negative.')
    if lower_saturation < 0:
        raise ValueError('lower_saturation must be non-negative.')
    if lower_value < 0:
        raise ValueError('lower_value must be non-negative.')
    if lower_saturation > upper_saturation:
        raise ValueError('lower_saturation must be < upper_saturation.')
    if lower_value > upper_value:
        raise ValueError('lower_value must be < upper_value.')

    def drawn(lower, upper):
        return lower if lower == upper else tf.random_uniform([], lower, upper, seed=seed)

    return adjust_hsv_in_yiq(image, drawn(-max_delta_hue, max_delta_hue),
                             drawn(lower_saturation, upper_saturation),
                             drawn(lower_value, upper_value))
