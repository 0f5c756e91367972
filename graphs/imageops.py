"""Geometry of 28×28 digit images, in NumPy only (no TensorFlow, so the predict server and
the benchmark stay light).

Everything is built on one bilinear resampler, `resample` (of which `warp` is the
affine case):

- `normalise_digit`  MNIST's own normalisation for free-hand drawings: crop to the ink,
                     scale to fit a 20×20 box keeping the aspect ratio, and place the result
                     in 28×28 with its centre of mass at the centre. A model trained on MNIST
                     only ever saw digits normalised like this, which is why an off-centre,
                     small or large drawing fails without it.
- `random_affine`    random rotation, scaling and shift, for training with --augment
                     (graphs/augment.py composes `random_affine_map` with its other
                     random distortions into one resampling).
- `transform`        one given rotation/scale/shift (what the benchmark uses to imitate
                     the way people draw).
- `adjust_strokes`   thicken or thin the strokes by a (fractional) number of pixels, of
                     one image or of each image of a batch by its own amount.

Images are float arrays with ink = 1 and background = 0. Coordinates are (row, column)
in pixel-index units: the centre of the top-left pixel is (0, 0).
"""
import functools

import numpy as np

from graphs.contract import IMAGE_SIZE
# MNIST's digits were scaled to fit 20×20 and centred by centre of mass in 28×28; over the
# test set the mean centre of mass is at (13.99, 14.01) with 0.29 px spread, so 14.0.
DIGIT_BOX = 20.0
DIGIT_CENTRE = 14.0
# Pixels at least this bright (after scaling the brightest to 1) count as ink for the
# bounding box; fainter ones are anti-aliasing or noise.
INK_THRESHOLD = 0.1
# Directions used to grow or shrink strokes: 16 points on a circle approximate a disk.
_DISK_DIRECTIONS = np.stack([np.sin(np.linspace(0, 2 * np.pi, 16, endpoint=False)),
                             np.cos(np.linspace(0, 2 * np.pi, 16, endpoint=False))], axis=1)


def warp(images, matrices, offsets):
    """Bilinear resampling of a batch: out[n, r, c] = images[n] sampled at
    matrices[n] @ (r, c) + offsets[n]; whatever falls outside the image is background.

    images [N, H, W]; matrices [N, 2, 2]; offsets [N, 2]. Returns float32 [N, H, W]."""
    images = np.asarray(images, np.float32)
    positions = (np.asarray(matrices, np.float32) @ pixel_grid(*images.shape[1:])
                 + np.asarray(offsets, np.float32)[:, :, None])
    return resample(images, positions)


def resample(images, positions):
    """The one bilinear resampler: out[n, r, c] = images[n] sampled at the (row, column)
    positions[n, :, r * W + c]; whatever falls outside the image is background.

    images [N, H, W]; positions [N, 2, H*W]. Returns float32 [N, H, W]."""
    images = np.asarray(images, np.float32)
    count, height, width = images.shape
    # Zero borders (one pixel before, two after) and clipping the positions onto them make
    # every tap a valid index, and any tap outside the image reads background.
    padded = np.zeros((count, height + 3, width + 3), np.float32)
    padded[:, 1:height + 1, 1:width + 1] = images
    rows = np.clip(positions[:, 0], -1, height) + 1
    cols = np.clip(positions[:, 1], -1, width) + 1
    top, left = np.floor(rows), np.floor(cols)
    down, right = rows - top, cols - left
    stride = width + 3
    flat = padded.ravel()
    # int32 indices where they reach: the index arithmetic is a large part of the cost.
    index_type = np.int32 if padded.size < 2 ** 31 else np.intp
    index = (top.astype(index_type) * stride + left.astype(index_type)
             + (np.arange(count, dtype=index_type) * padded[0].size)[:, None])
    out = ((1 - down) * ((1 - right) * flat[index] + right * flat[index + 1]) +
           down * ((1 - right) * flat[index + stride] + right * flat[index + stride + 1]))
    return out.reshape(count, height, width)


@functools.lru_cache(maxsize=None)
def pixel_grid(height, width):
    """(row, column) of every pixel, [2, H*W] float32 in row-major order (read-only)."""
    rows, cols = np.mgrid[0:height, 0:width]
    grid = np.stack([rows.ravel(), cols.ravel()]).astype(np.float32)
    grid.setflags(write=False)  # shared by every caller through the cache
    return grid


def transform(image, scale=1.0, rotation_degrees=0.0, shift=(0.0, 0.0)):
    """Scale and rotate `image` [H, W] about its centre, then move it by `shift` pixels."""
    image = np.asarray(image, np.float32)
    return warp(image[None], *affine_map(image.shape, np.array([scale]),
                                         np.array([rotation_degrees]),
                                         np.array([shift], np.float64)))[0]


def random_affine(images, rng, **ranges):
    """Rotate, scale and shift each image of [N, 28, 28] by its own random amounts, drawn
    by `random_affine_map` (which documents `ranges`)."""
    return warp(images, *random_affine_map(len(images), rng, **ranges))


def random_affine_map(count, rng, max_rotation_degrees=15.0, scale_range=(0.85, 1.1),
                      max_shift=2.0):
    """`affine_map` of `count` random rotations, scales and shifts of 28×28 images (training
    augmentation). The defaults stay within what MNIST's own writers vary by."""
    scales = rng.uniform(scale_range[0], scale_range[1], count)
    rotations = rng.uniform(-max_rotation_degrees, max_rotation_degrees, count)
    shifts = rng.uniform(-max_shift, max_shift, (count, 2))
    return affine_map((IMAGE_SIZE, IMAGE_SIZE), scales, rotations, shifts)


def affine_map(shape, scales, rotations_degrees, shifts):
    """(matrices [N, 2, 2], offsets [N, 2]) for `warp` that scale and rotate images of
    `shape` (H, W) about their centre, then shift them. `warp` needs the inverse map
    (output pixel → source position), so that is what is built here."""
    centre = (np.array(shape, np.float64) - 1) / 2
    angles = np.radians(rotations_degrees)
    cos, sin = np.cos(angles) / scales, np.sin(angles) / scales
    inverse = np.stack([np.stack([cos, sin], -1), np.stack([-sin, cos], -1)], -2)  # [N, 2, 2]
    offsets = centre - np.einsum('nij,nj->ni', inverse, centre + shifts)
    return inverse, offsets


def adjust_strokes(images, pixels):
    """Thicken (pixels > 0) or thin (pixels < 0) strokes by about `pixels` in width: a
    grey-level dilation or erosion with a disk of radius |pixels| / 2, i.e. the maximum
    (minimum) of the image and of copies of it moved by that radius in 16 directions.

    `images` [H, W] with one `pixels`, or [N, H, W] with one each ([N], or one for all).
    Returns float32 of the same shape."""
    images = np.asarray(images, np.float32)
    batch = images.reshape((-1,) + images.shape[-2:])
    count, height, width = batch.shape
    pixels = np.broadcast_to(np.asarray(pixels, np.float32), (count,))
    reach = int(np.ceil(np.abs(pixels).max(initial=0) / 2))
    if reach == 0:
        return images.copy()
    # A copy moved by less than `reach` pixels and sampled bilinearly, as `warp` would, is
    # a weighted sum of the copies moved by whole pixels (a, b) within reach, weighted by
    # bilinear_weight(a - move_row) * bilinear_weight(b - move_col). Moving by whole
    # pixels is slicing, so all 16 moved copies of every image come from one batched
    # product, not 16 warps.
    # The weights in float64: a sample that falls exactly halfway between ink and
    # background (at 45°, sin² = 1/2) then reads 0.5, not a float32 rounding either side.
    steps = np.arange(-reach, reach + 1)
    moves = (np.abs(pixels.astype(np.float64)) / 2)[:, None, None] * _DISK_DIRECTIONS
    weights = (bilinear_weight(steps - moves[..., 0, None])[..., :, None]
               * bilinear_weight(steps - moves[..., 1, None])[..., None, :])  # [N, 16, S, S]
    padded = np.pad(batch, ((0, 0), (reach, reach), (reach, reach)))
    whole_moves = np.stack([padded[:, reach + a:reach + a + height, reach + b:reach + b + width]
                            for a in range(-reach, reach + 1)
                            for b in range(-reach, reach + 1)], axis=1)   # [N, S*S, H, W]
    moved = (weights.reshape(count, len(_DISK_DIRECTIONS), -1).astype(np.float32)
             @ whole_moves.reshape(count, len(steps) ** 2, -1))            # [N, 16, H*W]
    moved = moved.reshape(count, -1, height, width)
    thicker = (pixels > 0)[:, None, None]
    out = np.where(thicker, np.maximum(batch, moved.max(axis=1)),
                   np.minimum(batch, moved.min(axis=1)))
    return out.reshape(images.shape)


def bilinear_weight(distance):
    """Bilinear interpolation's weight, along one axis, of a pixel `distance` pixels away
    from the point sampled: 1 - |distance| within one pixel, else 0."""
    return np.maximum(0, 1 - np.abs(distance))


def normalise_digit(image):
    """MNIST's normalisation of a 28×28 drawing (any array of 784 values in [0, 1]):
    brightest pixel scaled to 1, ink cropped to its bounding box, scaled so the longer side
    is 20 pixels, and placed with its centre of mass at (14, 14). Returns float32 [28, 28];
    a blank image comes back unchanged."""
    image = np.asarray(image, np.float32).reshape(IMAGE_SIZE, IMAGE_SIZE)
    peak = image.max()
    if peak <= 0:
        return image.copy()
    image = image / peak
    ink = image >= INK_THRESHOLD
    rows, cols = np.flatnonzero(ink.any(axis=1)), np.flatnonzero(ink.any(axis=0))
    extent = max(rows[-1] - rows[0], cols[-1] - cols[0]) + 1
    inverse_scale = extent / DIGIT_BOX
    offset = centre_of_mass(image) - inverse_scale * DIGIT_CENTRE
    return warp(image[None], inverse_scale * np.eye(2)[None], offset[None])[0]


def centre_of_mass(image):
    """(row, column) of the intensity-weighted centre of `image` [H, W]."""
    total = image.sum()
    rows = (image.sum(axis=1) * np.arange(image.shape[0])).sum() / total
    cols = (image.sum(axis=0) * np.arange(image.shape[1])).sum() / total
    return np.array([rows, cols])
