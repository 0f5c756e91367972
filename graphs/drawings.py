"""MNIST digits redrawn the way people draw them on our page, in NumPy only: binary ink
(the grid has no grey), strokes thinner or thicker than a pen's, any size, a slant, and
anywhere in the frame. Shared by bench/drawn_digits.py, which measures every model on such
drawings, and choose_ensemble.py, which weighs the models on them.

Unlike graphs/augment.py's distortions, which imitate writers for training, these imitate
the page's users, for measuring: every drawing is binarised, as the grid draws it."""
import numpy as np

from graphs import imageops

STROKE_PIXELS = (-1.0, 2.0)    # thinner by up to 1 pixel, thicker by up to 2
SCALE = (0.45, 1.3)            # from under half the size to filling the frame
SLANT_DEGREES = 10.0


def binarise(image):
    """The grid page has no grey levels: a cell is inked or not."""
    return (image >= 0.5).astype(np.float32)


def place(image, scale, rng, position='anywhere', rotation_degrees=0.0):
    """Scale (and rotate) a digit, then move it to a random place where it still fits in
    the frame: 'anywhere' inside it, or 'edge', pushed against a random side or corner."""
    image = imageops.transform(image, scale, rotation_degrees)
    ink = np.argwhere(image >= imageops.INK_THRESHOLD)
    if len(ink) == 0:
        return image
    low = -ink.min(axis=0)                                # the shifts that keep it inside
    high = imageops.IMAGE_SIZE - 1 - ink.max(axis=0)
    if position == 'edge':
        shift = np.where(rng.rand(2) < 0.5, low, high).astype(np.float64)
        shift[rng.randint(2)] *= rng.rand() < 0.5         # one side, or a corner
    else:
        shift = rng.uniform(low, high)
    return imageops.transform(image, shift=shift)


def drawn_like_people(image, rng):
    """One 28×28 digit redrawn with everything at once, in random amounts: stroke width,
    size, slant and place."""
    image = imageops.adjust_strokes(binarise(image), rng.uniform(*STROKE_PIXELS))
    image = place(binarise(image), rng.uniform(*SCALE), rng,
                  rotation_degrees=rng.uniform(-SLANT_DEGREES, SLANT_DEGREES))
    return binarise(image)


def as_served(images, seed):
    """What the server feeds its models for each of `images` ([N, 784] or [N, 28, 28])
    drawn like people and sent with preprocessing on (its default): float32 [N, 784]. The
    same `seed` draws the same drawings."""
    rng = np.random.RandomState(seed)
    images = np.asarray(images).reshape(-1, imageops.IMAGE_SIZE, imageops.IMAGE_SIZE)
    return np.stack([imageops.normalise_digit(drawn_like_people(image, rng))
                     for image in images]).reshape(len(images), -1)
