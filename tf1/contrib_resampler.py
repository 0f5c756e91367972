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
