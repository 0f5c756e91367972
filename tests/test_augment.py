"""graphs/augment.py: random training distortions, each checked for doing what it says,
and the background thread that prepares distorted batches."""
import struct
import threading
import zlib

import numpy as np
import pytest

from conftest import run_script
from graphs import augment, imageops, input_data
from test_imageops import drawn_digit


def digits():
    """A batch of '[' shapes of several sizes, places and stroke widths, ink exactly 0/1."""
    return np.stack([drawn_digit(top, left, height, width, stroke)
                     for top, left, height, width, stroke in
                     [(4, 8, 20, 12, 3), (2, 3, 18, 10, 2), (5, 10, 16, 9, 4),
                      (6, 6, 19, 14, 2), (3, 9, 21, 11, 3), (4, 7, 17, 13, 2)]] * 5)


def ink(images):
    return images.sum(axis=(-2, -1))


def max_gradient(images):
    """The steepest step between neighbouring pixels, of each image."""
    return np.maximum(np.abs(np.diff(images, axis=-1)).max(axis=(-2, -1)),
                      np.abs(np.diff(images, axis=-2)).max(axis=(-2, -1)))


def vertical_bar():
    image = np.zeros((28, 28), np.float32)
    image[4:24, 13:15] = 1
    return image


def centre_column(rows):
    return imageops.centre_of_mass(rows)[1]


EVERY_CHOICE = [(kind,) for kind in augment.KINDS] + [augment.KINDS]


@pytest.mark.parametrize('kinds', EVERY_CHOICE)
@pytest.mark.parametrize('shape', [(30, 28, 28), (30, 784)])
def test_distort_keeps_shape_dtype_and_range(kinds, shape):
    images = digits().astype(np.float64).reshape(shape)  # float64 in: float32 out
    out = augment.distort(images, np.random.RandomState(0), kinds, probability=1.0)
    assert out.shape == shape and out.dtype == np.float32
    assert out.min() >= 0 and out.max() <= 1
    assert not np.allclose(out, images, atol=1e-3), kinds  # it did something


@pytest.mark.parametrize('kinds', EVERY_CHOICE)
def test_distort_is_reproducible_under_a_seed(kinds):
    images = digits()
    first = augment.distort(images, np.random.RandomState(3), kinds)
    again = augment.distort(images, np.random.RandomState(3), kinds)
    other = augment.distort(images, np.random.RandomState(4), kinds)
    np.testing.assert_array_equal(first, again)
    assert not np.array_equal(first, other)


def test_distort_leaves_its_input_and_unchosen_images_alone():
    images = digits()
    kept = images.copy()
    out = augment.distort(images, np.random.RandomState(0), probability=0.0)
    np.testing.assert_array_equal(out, images)
    augment.distort(images, np.random.RandomState(0), probability=1.0)
    np.testing.assert_array_equal(images, kept)


def test_distort_applies_each_kind_with_its_probability():
    images = np.repeat(digits()[:1], 2000, axis=0)
    for kind in augment.KINDS:
        out = augment.distort(images, np.random.RandomState(1), kinds=(kind,))
        changed = np.abs(out - images).max(axis=(1, 2)) > 1e-4
        assert changed.mean() == pytest.approx(augment.PROBABILITY[kind], abs=0.05), kind


def test_distort_refuses_unknown_kinds_and_shapes_in_one_line():
    rng = np.random.RandomState(0)
    with pytest.raises(ValueError, match="unknown distortion 'wobble'; the kinds are affine"):
        augment.distort(digits(), rng, kinds=('elastic', 'wobble'))
    with pytest.raises(ValueError, match=r'\[N, 28, 28\] or \[N, 784\]; got shape \(3, 27, 27\)'):
        augment.distort(np.zeros((3, 27, 27)), rng)
    with pytest.raises(ValueError, match=r'values in \[0, 1\], not uint8 pixels'):
        augment.distort(np.zeros((3, 784), np.uint8), rng)


def test_strokes_thicken_and_thin_each_image_by_its_own_amount():
    images = digits()
    widths = np.tile([2.0, -1.0, 1.0, -0.5, 0.0, 1.5], 5)
    out = imageops.adjust_strokes(images, widths)
    grown, shrunk, same = widths > 0, widths < 0, widths == 0
    assert np.all(ink(out[grown]) > 1.15 * ink(images[grown]))
    assert np.all(ink(out[shrunk]) < 0.9 * ink(images[shrunk]))
    np.testing.assert_array_equal(out[same], images[same])
    # One image at a time, and by its definition (the extreme of the image and of 16
    # copies moved by |width| / 2 through the resampler), gives the same.
    for image, width, adjusted in zip(images[:6], widths[:6], out[:6]):
        np.testing.assert_allclose(imageops.adjust_strokes(image, width), adjusted, atol=1e-5)
        directions = np.stack([np.sin(np.linspace(0, 2 * np.pi, 16, endpoint=False)),
                               np.cos(np.linspace(0, 2 * np.pi, 16, endpoint=False))], axis=1)
        moved = imageops.warp(np.repeat(image[None], 16, axis=0), np.tile(np.eye(2), (16, 1, 1)),
                              abs(width) / 2 * directions)
        extreme = np.maximum(image, moved.max(0)) if width > 0 else np.minimum(image, moved.min(0))
        np.testing.assert_allclose(adjusted, extreme, atol=1e-5)


def test_distort_strokes_make_some_digits_bolder_and_some_finer():
    images = digits()
    out = augment.distort(images, np.random.RandomState(0), ('strokes',), probability=1.0)
    ratio = ink(out) / ink(images)
    assert (ratio > 1.1).sum() >= 5 and (ratio < 0.95).sum() >= 5
    assert ratio.max() < 2.5 and ratio.min() > 0.3


def test_elastic_field_is_smooth_and_bounded():
    alpha, sigma = 34.0, 4.0
    field = augment.elastic_displacements(200, np.random.RandomState(0), alpha, sigma)
    assert field.shape == (200, 2, 28, 28)
    # Bounded: each component is alpha times a weighted mean of values in [-1, 1].
    assert np.abs(field).max() <= alpha
    # Its spread away from the borders is that of a smoothed uniform field:
    # alpha * std(uniform(-1, 1)) * sqrt(sum of the squared 2-D Gaussian weights).
    expected = alpha * (1 / np.sqrt(3)) / (2 * np.sqrt(np.pi) * sigma)
    assert field[:, :, 8:20, 8:20].std() == pytest.approx(expected, rel=0.15)
    # Smooth: neighbouring displacements differ far less than independent ones do.
    neighbours = np.abs(np.diff(field, axis=3)).mean()
    independent = np.abs(field[:100] - field[100:]).mean()
    assert neighbours < 0.2 * independent


def test_elastic_distortion_moves_ink_without_losing_it():
    images = digits()
    out = augment.distort(images, np.random.RandomState(0), ('elastic',), probability=1.0)
    assert np.all(np.abs(out - images).max(axis=(1, 2)) > 0.5)      # strokes moved
    np.testing.assert_allclose(ink(out), ink(images), rtol=0.35)     # not torn apart
    moved = [imageops.centre_of_mass(o) - imageops.centre_of_mass(i)
             for o, i in zip(out, images)]
    assert np.abs(moved).max() < 4  # a wobble, not a shift across the frame


def test_geometric_kinds_compose_into_one_resampling_in_order():
    # On a linear ramp, bilinear resampling is exact away from the borders, so one
    # resampling through the composed map must equal an affine warp followed by a shear
    # warp, with the amounts drawn as distort draws them (kinds' choices first).
    rows, cols = np.mgrid[0:28, 0:28]
    ramps = np.repeat((0.1 + 0.015 * rows + 0.01 * cols)[None], 8, axis=0).astype(np.float32)
    out = augment.distort(ramps, np.random.RandomState(2), ('affine', 'shear'), 1.0)
    draws = np.random.RandomState(2)
    draws.rand(8), draws.rand(8)
    affine = imageops.random_affine_map(8, draws)
    shear = augment.shear_map(draws.uniform(-augment.MAX_SLANT, augment.MAX_SLANT, 8))
    expected = imageops.warp(imageops.warp(ramps, *affine), *shear)
    # distort sets each image's brightest pixel to 1: the same up to a factor per image.
    ratio = out[:, 10:18, 10:18] / expected[:, 10:18, 10:18]
    np.testing.assert_allclose(ratio, ratio[:, :1, :1] * np.ones_like(ratio), rtol=1e-4)
    swapped = imageops.warp(imageops.warp(ramps, *shear), *affine)
    assert not np.allclose(out[:, 10:18, 10:18] / swapped[:, 10:18, 10:18],
                           ratio[:, :1, :1], rtol=1e-2)


@pytest.mark.parametrize('slant', [0.3, -0.2])
def test_shear_moves_the_top_sideways_relative_to_the_bottom(slant):
    bar = vertical_bar()
    sheared = imageops.warp(bar[None], *augment.shear_map([slant]))[0]
    lean = centre_column(sheared[4:9]) - centre_column(sheared[19:24])
    # Rows 6 and 21 (the bands' centres) are 15 rows apart; positive leans to the right.
    assert lean == pytest.approx(slant * 15, abs=0.3)
    assert ink(sheared) == pytest.approx(ink(bar), rel=0.02)


def test_distort_shear_slants_both_ways_within_max_slant():
    bars = np.repeat(vertical_bar()[None], 40, axis=0)
    out = augment.distort(bars, np.random.RandomState(0), ('shear',), probability=1.0)
    leans = np.array([centre_column(o[4:9]) - centre_column(o[19:24]) for o in out])
    assert (leans > 0.5).any() and (leans < -0.5).any()
    assert np.abs(leans).max() <= augment.MAX_SLANT * 15 + 0.3


def test_blur_lowers_the_steepest_edge_and_keeps_the_ink():
    images = digits()
    for sigma in augment.BLUR_SIGMA:
        blurred = augment.gaussian_blur(images, np.full(len(images), sigma))
        assert np.all(max_gradient(blurred) < 0.9 * max_gradient(images))
        np.testing.assert_allclose(ink(blurred), ink(images), rtol=0.01)
    softer = augment.gaussian_blur(images, np.full(len(images), 2 * augment.BLUR_SIGMA[1]))
    assert np.all(max_gradient(softer) < max_gradient(blurred))
    out = augment.distort(images, np.random.RandomState(0), ('blur',), probability=1.0)
    assert np.all(max_gradient(out) < max_gradient(images))
    assert np.all(out.max(axis=(1, 2)) == 1)  # brightest pixel back at 1, as MNIST's


def test_lower_resolution_loses_detail_and_keeps_the_ink():
    images = digits()
    np.testing.assert_allclose(augment.lower_resolution(images, np.full(len(images), 28)),
                               images, atol=1e-6)  # 28 pixels across: nothing lost
    coarser = [augment.lower_resolution(images, np.full(len(images), size))
               for size in (augment.LOWRES_SIZE[1], augment.LOWRES_SIZE[0])]
    for out in coarser:  # area means keep the ink; scaling back up, nearly
        np.testing.assert_allclose(ink(out), ink(images), rtol=0.05)
    # Fewer pixels across, softer edges: detail is what a coarse capture loses.
    assert np.all(max_gradient(coarser[1]) < max_gradient(coarser[0]))
    assert np.all(max_gradient(coarser[0]) < max_gradient(images))


def test_binary_lower_resolution_inks_whole_cells_and_never_erases_a_digit():
    images = digits()
    every = np.ones(len(images), bool)
    # 28 cells across: each pixel a cell, inked where it was at least half ink.
    cells = augment.lower_resolution(images, np.full(len(images), 28), binary=every)
    np.testing.assert_allclose(cells, images >= 0.5, atol=1e-6)
    # 14 cells across, scaled back up: a blocky digit of whole cells, in [0, 1] with its
    # inked cells at full ink, and unlike the grey capture (binary off).
    blocky = augment.lower_resolution(images, np.full(len(images), 14), binary=every)
    grey = augment.lower_resolution(images, np.full(len(images), 14))
    assert blocky.min() >= 0 and blocky.max() <= 1 + 1e-6
    assert np.all(blocky.max(axis=(1, 2)) > 0.99)
    assert np.all(np.abs(blocky - grey).max(axis=(1, 2)) > 0.2)
    # A faint digit (no cell half inked) keeps its grey levels instead of vanishing.
    faint = 0.4 * images
    np.testing.assert_allclose(
        augment.lower_resolution(faint, np.full(len(images), 14), binary=every),
        augment.lower_resolution(faint, np.full(len(images), 14)), atol=1e-6)


def small_train_set(seed):
    images = (np.random.RandomState(0).rand(250, 28, 28) > 0.8).astype(np.uint8) * 255
    return input_data.DataSet(images, np.arange(250) % 10, seed=seed)


def test_distorted_batches_are_the_plain_loops_batches():
    plain_data, plain_rng = small_train_set(5), np.random.RandomState(9)
    expected = []
    for _ in range(7):  # more than an epoch of 250
        images, labels = plain_data.next_batch(40)
        expected.append((augment.distort(images, plain_rng), labels))
    with augment.DistortedBatches(small_train_set(5), 40, np.random.RandomState(9)) as batches:
        for want, got in zip(expected, batches):
            np.testing.assert_array_equal(got[0], want[0])
            np.testing.assert_array_equal(got[1], want[1])  # labels pass through unchanged
            assert got[0].shape == (40, 784) and got[0].dtype == np.float32


def test_distorted_batches_stop_cleanly():
    before = threading.active_count()
    batches = augment.DistortedBatches(small_train_set(1), 50, np.random.RandomState(0),
                                       kinds=('strokes',), prefetch=1)
    next(batches)
    batches.close()
    batches.close()  # twice is fine
    assert threading.active_count() == before
    with pytest.raises(StopIteration):
        next(batches)
    assert list(batches) == []


def test_distorted_batches_report_errors_in_the_consumer():
    with pytest.raises(ValueError, match='unknown distortion'):
        augment.DistortedBatches(small_train_set(1), 50, np.random.RandomState(0),
                                 kinds=('smudge',))
    batches = augment.DistortedBatches(small_train_set(1), 1000, np.random.RandomState(0))
    with pytest.raises(ValueError, match='batch_size must be between 1 and 250'):
        next(batches)
    with pytest.raises(StopIteration):
        next(batches)


def test_the_benchmark_draws_a_png_grid_of_every_distortion(tiny_mnist, tmp_path):
    path = tmp_path / 'grid.png'
    run_script('bench/augment_speed.py', '--grid', str(path), '--data_dir', tiny_mnist)
    data = path.read_bytes()
    assert data[:8] == b'\x89PNG\r\n\x1a\n'
    chunks, position = {}, 8
    while position < len(data):
        length, = struct.unpack('>I', data[position:position + 4])
        kind, body = data[position + 4:position + 8], data[position + 8:position + 8 + length]
        crc, = struct.unpack('>I', data[position + 8 + length:position + 12 + length])
        assert crc == zlib.crc32(kind + body)
        chunks[kind], position = body, position + 12 + length
    width, height, depth, colour = struct.unpack('>IIBB', chunks[b'IHDR'][:10])
    rows = 1 + len(augment.KINDS) + 3  # originals, each kind, the pipeline three times
    assert (depth, colour) == (8, 0)  # 8-bit greyscale
    assert (width, height) == (12 * (28 * 3 + 2) + 2, rows * (28 * 3 + 2) + 2)
    pixels = np.frombuffer(zlib.decompress(chunks[b'IDAT']), np.uint8).reshape(height, -1)
    assert not pixels[:, 0].any()  # every scanline unfiltered
    assert pixels[:, 1:].min() < 50 and pixels[:, 1:].max() == 255  # dark ink on white


def test_the_benchmark_grid_needs_mnist(tmp_path):
    result = run_script('bench/augment_speed.py', '--grid', str(tmp_path / 'grid.png'),
                        '--data_dir', str(tmp_path), check=False)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines()[-1].startswith('no grid: it shows MNIST digits')
    assert not (tmp_path / 'grid.png').exists()
