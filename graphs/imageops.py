"""Geometry of 28×28 digit images, in NumPy only (no TensorFlow, so the predict server and
the benchmark stay light).

Everything is built on one bilinear resampler, `warp`:

- `normalise_digit`  MNIST's own normalisation for free-hand drawings: crop to the ink,
                     scale to fit a 20×20 box keeping the aspect ratio, and place the result
                     in 28×28 with its centre of mass at the centre. A model trained on MNIST
                     only ever saw digits normalised like this, which is why an off-centre,
                     small or large drawing fails without it.
- `random_affine`    random rotation, scaling and shift, for training with --augment.
- `transform`        one given rotation/scale/shift (what the benchmark uses to imitate
                     the way people draw).
- `adjust_strokes`   thicken or thin the strokes by a (fractional) number of pixels.

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
    count, height, width = images.shape
    source = (np.asarray(matrices, np.float32) @ _pixel_grid(height, width)
              + np.asarray(offsets, np.float32)[:, :, None])                  # [N, 2, H*W]
    # Zero borders (one pixel before, two after) and clipping the positions onto them make
    # every tap a valid index, and any tap outside the image reads background.
    padded = np.zeros((count, height + 3, width + 3), np.float32)
    padded[:, 1:height + 1, 1:width + 1] = images
    rows = np.clip(source[:, 0], -1, height) + 1
    cols = np.clip(source[:, 1], -1, width) + 1
    top, left = np.floor(rows), np.floor(cols)
    down, right = rows - top, cols - left
    stride = width + 3
    flat = padded.ravel()
    index = (top.astype(np.intp) * stride + left.astype(np.intp)
             + (np.arange(count) * padded[0].size)[:, None])
    out = ((1 - down) * ((1 - right) * flat[index] + right * flat[index + 1]) +
           down * ((1 - right) * flat[index + stride] + right * flat[index + stride + 1]))
    return out.reshape(count, height, width)


@functools.lru_cache(maxsize=None)
def _pixel_grid(height, width):
    """(row, column) of every pixel, [2, H*W], in row-major order."""
    rows, cols = np.mgrid[0:height, 0:width]
    return np.stack([rows.ravel(), cols.ravel()]).astype(np.float32)


def transform(image, scale=1.0, rotation_degrees=0.0, shift=(0.0, 0.0)):
    """Scale and rotate `image` [H, W] about its centre, then move it by `shift` pixels."""
    return _affine(np.asarray(image)[None], np.array([scale]), np.array([rotation_degrees]),
                   np.array([shift], np.float64))[0]


def random_affine(images, rng, max_rotation_degrees=15.0, scale_range=(0.85, 1.1),
                  max_shift=2.0):
    """Rotate, scale and shift each image of [N, 28, 28] by its own random amounts (training
    augmentation). The defaults stay within what MNIST's own writers vary by."""
    count = len(images)
    scales = rng.uniform(scale_range[0], scale_range[1], count)
    rotations = rng.uniform(-max_rotation_degrees, max_rotation_degrees, count)
    shifts = rng.uniform(-max_shift, max_shift, (count, 2))
    return _affine(images, scales, rotations, shifts)


def _affine(images, scales, rotations_degrees, shifts):
    """Per-image scale and rotation about the image centre, then shift. `warp` needs the
    inverse map (output pixel → source position), so that is what is built here."""
    images = np.asarray(images, np.float32)
    centre = (np.array(images.shape[1:], np.float64) - 1) / 2
    angles = np.radians(rotations_degrees)
    cos, sin = np.cos(angles) / scales, np.sin(angles) / scales
    inverse = np.stack([np.stack([cos, sin], -1), np.stack([-sin, cos], -1)], -2)  # [N, 2, 2]
    offsets = centre - np.einsum('nij,nj->ni', inverse, centre + shifts)
    return warp(images, inverse, offsets)


def adjust_strokes(image, pixels):
    """Thicken (pixels > 0) or thin (pixels < 0) the strokes of `image` [H, W] by about
    `pixels` in width: a grey-level dilation or erosion with a disk of radius |pixels| / 2."""
    if pixels == 0:
        return np.asarray(image, np.float32).copy()
    radius = abs(pixels) / 2.0
    count = len(_DISK_DIRECTIONS)
    shifted = warp(np.repeat(np.asarray(image, np.float32)[None], count, axis=0),
                   np.tile(np.eye(2), (count, 1, 1)), radius * _DISK_DIRECTIONS)
    if pixels > 0:
        return np.maximum(image, shifted.max(axis=0))
    return np.minimum(image, shifted.min(axis=0))


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
