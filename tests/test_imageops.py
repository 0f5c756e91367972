"""graphs/imageops.py: the resampler, MNIST-style normalisation of drawings, augmentation."""
import numpy as np
import pytest

from graphs import drawings, imageops


def drawn_digit(top=4, left=8, height=20, width=12, stroke=3):
    """A '[' shape: its mass sits left of its bounding box's centre, so centring by mass
    is not centring the box, and it is taller than wide, so the aspect ratio matters."""
    image = np.zeros((28, 28), np.float32)
    image[top:top + height, left:left + stroke] = 1
    image[top:top + stroke, left:left + width] = 1
    image[top + height - stroke:top + height, left:left + width] = 1
    return image


def ink_box(image, threshold=0.5):
    """(height, width) of the pixels at or above `threshold`."""
    rows, cols = np.nonzero(image >= threshold)
    return rows.max() - rows.min() + 1, cols.max() - cols.min() + 1


def test_warp_with_the_identity_returns_the_image():
    images = np.random.RandomState(0).rand(3, 28, 28).astype(np.float32)
    out = imageops.warp(images, np.tile(np.eye(2), (3, 1, 1)), np.zeros((3, 2)))
    np.testing.assert_allclose(out, images, atol=1e-6)


def test_transform_moves_the_centre_of_mass_by_the_shift():
    digit = drawn_digit()
    moved = imageops.transform(digit, shift=(2.5, -3.0))
    np.testing.assert_allclose(imageops.centre_of_mass(moved) - imageops.centre_of_mass(digit),
                               [2.5, -3.0], atol=1e-3)
    assert moved.sum() == pytest.approx(digit.sum(), rel=1e-4)


@pytest.mark.parametrize('top, left, height, width', [
    (4, 8, 20, 12),    # already MNIST-sized
    (0, 0, 12, 7),     # small, in the top-left corner
    (14, 15, 14, 10),  # bottom-right, cut short
    (1, 2, 27, 20),    # larger than MNIST's 20-pixel box
])
def test_normalise_digit_centres_by_mass_and_fits_20_pixels(top, left, height, width):
    digit = drawn_digit(top, left, height, width, stroke=2)
    normalised = imageops.normalise_digit(digit)
    assert normalised.shape == (28, 28) and normalised.dtype == np.float32
    np.testing.assert_allclose(imageops.centre_of_mass(normalised), [14, 14], atol=0.1)
    box_height, box_width = ink_box(normalised)
    assert 19 <= box_height <= 21  # the longer side
    assert box_width == pytest.approx(box_height * width / height, abs=1.5)  # aspect kept


def test_normalise_digit_undoes_shifting_and_scaling():
    digit = imageops.normalise_digit(drawn_digit())
    for scale, shift in ((1.0, (-5, 6)), (0.5, (7, -8)), (1.25, (1, 0))):
        redrawn = imageops.transform(digit, scale=scale, shift=shift)
        restored = imageops.normalise_digit(redrawn)
        np.testing.assert_allclose(imageops.centre_of_mass(restored), [14, 14], atol=0.1)
        # Halving loses detail that doubling cannot bring back, hence 0.85, not 1.
        assert np.corrcoef(restored.ravel(), digit.ravel())[0, 1] > 0.85, (scale, shift)


def test_normalise_digit_scales_faint_ink_to_full_brightness():
    normalised = imageops.normalise_digit(0.4 * drawn_digit())
    assert normalised.max() == pytest.approx(1.0)
    assert normalised.min() >= 0


def test_normalise_digit_leaves_a_blank_image_blank():
    assert not imageops.normalise_digit(np.zeros(784)).any()


def test_random_affine_is_seeded_and_keeps_digits_in_range():
    images = np.stack([drawn_digit(), drawn_digit(2, 3, 18, 10)])
    first = imageops.random_affine(images, np.random.RandomState(7))
    second = imageops.random_affine(images, np.random.RandomState(7))
    np.testing.assert_array_equal(first, second)
    assert first.shape == images.shape
    assert first.min() >= 0 and first.max() <= 1
    assert not np.allclose(first, images)
    # Scaling is at most ±15%, so the ink changes by at most (1.15)² (and a little clipping).
    ratio = first.sum(axis=(1, 2)) / images.sum(axis=(1, 2))
    assert np.all((ratio > 0.65) & (ratio < 1.3))


def test_adjust_strokes_thickens_and_thins():
    digit = drawn_digit(stroke=3)
    thicker, thinner = imageops.adjust_strokes(digit, 2.0), imageops.adjust_strokes(digit, -1.0)
    assert thicker.sum() > 1.4 * digit.sum()
    assert thinner.sum() < 0.8 * digit.sum()
    assert np.all(thicker >= digit) and np.all(thinner <= digit)


def pieces(image):
    """How many 8-connected pieces the ink of a binary image makes."""
    unseen, count = {tuple(cell) for cell in np.argwhere(image >= 0.5)}, 0
    while unseen:
        count += 1
        stack = [unseen.pop()]
        while stack:
            row, col = stack.pop()
            for cell in [(row + dr, col + dc) for dr in (-1, 0, 1) for dc in (-1, 0, 1)]:
                if cell in unseen:
                    unseen.remove(cell)
                    stack.append(cell)
    return count


@pytest.mark.parametrize('scale', [0.45, 0.5, 0.7, 1.0, 1.3])
def test_a_drawing_placed_at_any_size_and_slant_keeps_its_strokes_whole(scale):
    # A '7' of 1-pixel strokes: resampling it at half size loses pixels of the diagonal.
    seven = np.zeros((28, 28), np.float32)
    seven[5, 7:21] = 1
    seven[np.arange(6, 24), np.linspace(20, 10, 18).round().astype(int)] = 1
    rng = np.random.RandomState(0)
    for rotation in (-10.0, 0.0, 7.0):
        for position in ('anywhere', 'edge'):
            placed = drawings.place(seven, scale, rng, position, rotation)
            assert set(np.unique(placed)) == {0.0, 1.0} and pieces(placed) == 1
            assert abs(max(ink_box(placed)) - 19 * scale) <= 2.5  # the 7 is 19 pixels tall
            if position == 'edge':
                rows, cols = np.nonzero(placed)
                assert {rows.min(), cols.min()} & {0} or {rows.max(), cols.max()} & {27}


def test_drawings_are_binary_inside_the_frame_and_served_normalised():
    digits = np.stack([drawn_digit(), drawn_digit(top=2, left=3, height=16, width=16)])
    rng = np.random.RandomState(0)
    drawn = [drawings.drawn_like_people(digit, rng) for digit in digits for _ in range(20)]
    for image in drawn:
        assert set(np.unique(image)) <= {0.0, 1.0} and image.sum() > 0  # grid cells, inked
    sizes = [max(ink_box(image)) for image in drawn]
    assert min(sizes) < 12 and max(sizes) > 20  # from under half the size to the frame
    # The server's view of them: each drawing through normalise_digit, the same for a seed.
    served = drawings.as_served(digits, seed=1)
    rng = np.random.RandomState(1)
    expected = [imageops.normalise_digit(drawings.drawn_like_people(d, rng)) for d in digits]
    assert served.shape == (2, 784) and served.dtype == np.float32
    np.testing.assert_array_equal(served, np.reshape(expected, (2, 784)))
    assert 19 <= max(ink_box(served[0].reshape(28, 28))) <= 21  # MNIST's 20-pixel box
