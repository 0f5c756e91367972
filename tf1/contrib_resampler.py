"""tf.contrib.resampler as TF 1.15 had it: bilinear sampling of images at arbitrary points,
the core of spatial transformer networks and optical-flow warping. TF 1.x ran it as its own
kernel; here it is the same interpolation in core ops, so gradients flow to both the
images and the sampling points as the kernel's did."""
import tensorflow.compat.v1 as tf

__all__ = ['resampler']


def resampler(data, warp, name='resampler'):
    """`data` [batch, height, width, channels] sampled at `warp` [batch, ..., 2] (x, y in
    pixels: x along the width): [batch, ..., channels]. The image is taken as zero
    outside itself, so a point fades to 0 within one pixel of the border and is 0 beyond."""
    with tf.name_scope(name, 'resampler', [data, warp]):
        data = tf.convert_to_tensor(data, name='data')
        warp = tf.convert_to_tensor(warp, name='warp')
        checks = _shape_checks(data, warp)
        if checks:  # shapes known only when run
            with tf.control_dependencies(checks):
                data, warp = tf.identity(data), tf.identity(warp)
        shape = tf.shape(data)
        batch, height, width = shape[0], shape[1], shape[2]
        points = tf.reshape(warp, [batch, -1, 2])
        x, y = points[..., 0], points[..., 1]
        fx, fy = tf.floor(x), tf.floor(y)
        dx, dy = fx + 1 - x, fy + 1 - y  # the weights of the floor corner
        batch_index = tf.tile(tf.range(batch)[:, None], [1, tf.shape(points)[1]])

        def corner(cx, cy, weight):
            """weight × the pixel at (cx, cy), zero where that is outside the image."""
            ix, iy = tf.cast(cx, tf.int32), tf.cast(cy, tf.int32)
            inside = (ix >= 0) & (ix < width) & (iy >= 0) & (iy < height)
            pixels = tf.gather_nd(data, tf.stack(
                [batch_index, tf.clip_by_value(iy, 0, height - 1),
                 tf.clip_by_value(ix, 0, width - 1)], -1))
            return pixels * tf.expand_dims(tf.where(inside, weight, tf.zeros_like(weight)), -1)

        sampled = (corner(fx, fy, dx * dy) + corner(fx + 1, fy + 1, (1 - dx) * (1 - dy)) +
                   corner(fx, fy + 1, dx * (1 - dy)) + corner(fx + 1, fy, (1 - dx) * dy))
        return tf.reshape(sampled, tf.concat([tf.shape(warp)[:-1], shape[3:]], 0))


def _shape_checks(data, warp):
    """TF 1.15's kernel's checks of the shapes, with its messages: a ValueError now where
    the shapes are known, otherwise ops that fail when run (InvalidArgumentError)."""
    data_shape, warp_shape = tf.shape(data), tf.shape(warp)
    data_dims, warp_dims = [None if x.shape.ndims is None else x.shape.as_list()
                            for x in (data, warp)]
    last = warp_dims[-1] if warp_dims else None
    rules = [  # (known to hold: True, False or None, the check at run time, the message)
        (None if data_dims is None else len(data_dims) == 4,
         lambda: tf.equal(tf.rank(data), 4),
         'Only bilinear interpolation is currently supported. The input data shape must be '
         '[batch_size, data_height, data_width, data_channels], but is: '),
        (None if warp_dims is None else len(warp_dims) >= 2,
         lambda: tf.greater_equal(tf.rank(warp), 2),
         'warp should be at least a matrix, got shape '),
        (None if last is None else last == 2, lambda: tf.equal(warp_shape[-1], 2),
         'Only bilinear interpolation is supported, warping coordinates must be 2D; warp '
         'shape last entry should be 2, but shape vector is: '),
        (None if not (data_dims and warp_dims) or None in (data_dims[0], warp_dims[0])
         else data_dims[0] == warp_dims[0],
         lambda: tf.equal(data_shape[0], warp_shape[0]),
         'Batch size of data and warp tensor must be the same, but input shapes are: ')]
    checks = []
    for holds, condition, message in rules:
        if holds is False:
            raise ValueError('%s%s, %s' % (message, data.shape, warp.shape))
        if holds is None:
            checks.append(tf.Assert(condition(), [message, data_shape, warp_shape]))
    return checks
