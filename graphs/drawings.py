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
    """A binary drawing scaled (and rotated) about the frame's centre, then moved to a
    random place where it still fits in the frame: 'anywhere' inside it, or 'edge', pushed
    against a random side or corner. Drawn as the grid page inks a drag: every cell the
    strokes pass over, so a stroke stays whole at any size. (Resampling the image and
    binarising it again broke a thin stroke into pieces, which the page never does.)"""
    cells = ink_cells(image, scale, rotation_degrees)
    placed = np.zeros((imageops.IMAGE_SIZE, imageops.IMAGE_SIZE), np.float32)
    if len(cells) == 0:
        return placed
    low = -cells.min(axis=0)                              # the shifts that keep it inside
    high = imageops.IMAGE_SIZE - 1 - cells.max(axis=0)
    if position == 'edge':
        shift = np.where(rng.rand(2) < 0.5, low, high)
        shift[rng.randint(2)] *= rng.rand() < 0.5         # one side, or a corner
    else:
        shift = np.round(rng.uniform(low, high)).astype(int)
    cells = cells + shift
    inside = np.all((cells >= 0) & (cells < imageops.IMAGE_SIZE), axis=1)  # all, if it fits
    placed[cells[inside, 0], cells[inside, 1]] = 1
    return placed


def ink_cells(image, scale, rotation_degrees):
    """The distinct (row, column) cells, [K, 2] int, that the inked pixels of `image`
    land on once scaled and rotated about the frame's centre. Each pixel is sampled at
    enough points that neighbouring points land at most one cell apart along each axis:
    pixels that touch land on cells that touch, and none is lost."""
    angle = np.radians(rotation_degrees)
    cos, sin = np.cos(angle), np.sin(angle)
    per_pixel = max(1, int(np.ceil(scale * (abs(cos) + abs(sin)))))  # points per axis
    offsets = (np.arange(per_pixel) + 0.5) / per_pixel - 0.5
    within = np.stack(np.meshgrid(offsets, offsets, indexing='ij'), -1).reshape(-1, 2)
    points = (np.argwhere(binarise(image) > 0)[:, None, :] + within).reshape(-1, 2)
    centre = (imageops.IMAGE_SIZE - 1) / 2
    mapped = (points - centre) @ (scale * np.array([[cos, sin], [-sin, cos]])) + centre
    return np.unique(np.round(mapped).astype(int), axis=0)


def drawn_like_people(image, rng):
    """One 28×28 digit redrawn with everything at once, in random amounts: stroke width,
    size, slant and place."""
    image = imageops.adjust_strokes(binarise(image), rng.uniform(*STROKE_PIXELS))
    return place(binarise(image), rng.uniform(*SCALE), rng,
                 rotation_degrees=rng.uniform(-SLANT_DEGREES, SLANT_DEGREES))


def as_served(images, seed):
    """What the server feeds its models for each of `images` ([N, 784] or [N, 28, 28])
    drawn like people and sent with preprocessing on (its default): float32 [N, 784]. The
    same `seed` draws the same drawings."""
    rng = np.random.RandomState(seed)
    images = np.asarray(images).reshape(-1, imageops.IMAGE_SIZE, imageops.IMAGE_SIZE)
    return np.stack([imageops.normalise_digit(drawn_like_people(image, rng))
                     for image in images]).reshape(len(images), -1)
