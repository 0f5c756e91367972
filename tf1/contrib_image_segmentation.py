"""tf.contrib.image.connected_components (TF 1.6-1.15): labels the connected components of a
batch of images, as `scipy.ndimage.label` does one image.

TF 1.x ran contrib's ImageConnectedComponents kernel (a union-find), which TensorFlow's core
did not keep. Here the same labels come from core ops: every pixel starts with its own flat
index, then takes the smallest label among its neighbours of the same value, and jumps to
the label of the pixel its label names, until nothing changes. A component ends labelled
with the index of its first pixel in row-major order, and TF 1.x's renaming to 1..n follows."""
import tensorflow.compat.v1 as tf


def _first_pixel_labels(images):
    """[N, H, W] int64: 1 + the flat index of the first pixel (row-major, across the batch)
    of each pixel's component, 0 for the zero pixels. A component is a 4-connected set of
    pixels of one non-zero value."""
    shape = tf.shape(images, out_type=tf.int64)
    size = tf.reduce_prod(shape)
    foreground = tf.not_equal(images, tf.zeros_like(images))
    # The label a zero pixel carries while labels spread: larger than any pixel's.
    unset = tf.fill(shape, size + 1)
    # Whether each pixel is joined to the one below it and to the one to its right.
    joined_down = foreground[:, 1:, :] & tf.equal(images[:, :-1, :], images[:, 1:, :])
    joined_right = foreground[:, :, 1:] & tf.equal(images[:, :, :-1], images[:, :, 1:])

    def smallest_neighbour(labels):
        """Each pixel's smallest label among itself and its joined neighbours."""
        below = tf.where(joined_down, labels[:, 1:, :], unset[:, 1:, :])
        above = tf.where(joined_down, labels[:, :-1, :], unset[:, 1:, :])
        right = tf.where(joined_right, labels[:, :, 1:], unset[:, :, 1:])
        left = tf.where(joined_right, labels[:, :, :-1], unset[:, :, 1:])
        return tf.reduce_min(tf.stack([
            labels,
            tf.concat([below, unset[:, :1, :]], axis=1),
            tf.concat([unset[:, :1, :], above], axis=1),
            tf.concat([right, unset[:, :, :1]], axis=2),
            tf.concat([unset[:, :, :1], left], axis=2)]), axis=0)

    def jump(labels):
        """Each pixel takes the label of the pixel its label names: never larger, as every
        label names a pixel of the same component."""
        flat = tf.reshape(labels, [-1])
        named = tf.gather(flat, tf.where(tf.reshape(foreground, [-1]), flat - 1,
                                         tf.zeros_like(flat)))
        return tf.where(foreground, tf.reshape(named, shape), unset)

    def spread(labels, _):
        new_labels = jump(jump(smallest_neighbour(labels)))
        return new_labels, tf.reduce_any(tf.not_equal(new_labels, labels))

    start = tf.where(foreground, tf.reshape(tf.range(1, size + 1), shape), unset)
    labels, _ = tf.while_loop(lambda _, changed: changed, spread, (start, tf.constant(True)),
                              back_prop=False)
    return tf.where(foreground, labels, tf.zeros_like(labels))


def connected_components(images):
    """Labels the connected components in a batch of images, as TF 1.x's: a component is a
    set of adjacent pixels (above, below, left, right) of one non-zero value; components
    across all images have consecutive ids 1..n, in the row-major order of their first
    pixels (image, row, column); zero pixels are 0. `images`: [H, W] or [N, H, W] of any
    dtype (bool, numbers, strings; zero is False, 0 or ''). Returns int32 ids of its
    shape."""
    with tf.name_scope('connected_components'):
        image_or_images = tf.convert_to_tensor(images, name='images')
        rank = image_or_images.get_shape().ndims
        if rank not in (2, 3):
            raise TypeError('images should have rank 2 (HW) or 3 (NHW). Static shape is %s'
                            % image_or_images.get_shape())
        images = image_or_images[None, :, :] if rank == 2 else image_or_images
        labels = _first_pixel_labels(images)
        # Renumber 1..n in the order the labels first appear, which is their first pixels'.
        unique_labels, position = tf.unique(tf.reshape(labels, [-1]))
        is_component = tf.not_equal(unique_labels, 0)
        # int32, as TF 1.x's renumbering (tf.range) made them
        new_ids = tf.where(is_component, tf.cumsum(tf.cast(is_component, tf.int32)),
                           tf.zeros_like(unique_labels, tf.int32))
        components = tf.reshape(tf.gather(new_ids, position), tf.shape(images))
        return components[0, :, :] if rank == 2 else components
