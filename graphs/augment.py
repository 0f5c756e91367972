"""Random distortions of training digits that imitate how people write, for --augment.

MNIST's writers were students and census employees with pens on paper; the people who
draw on our page differ from them in slant, wobble, stroke width and sharpness. Each
distortion below imitates one of those, with amounts a writer could plausibly produce
(checked by eye with `python bench/augment_speed.py --grid grid.png`):

  kind      what it imitates                   default amount                 probability
  affine    size, tilt and place               imageops.random_affine_map's   0.5
                                               (±15°, ×0.85-1.1, ±2 pixels)
  elastic   a hand's wobble (Simard et al.,    a uniform(-1, 1) field per     0.5
            ICDAR 2003)                        pixel, smoothed by a Gaussian
                                               of sigma ELASTIC_SIGMA, times
                                               ELASTIC_ALPHA
  strokes   pen width                          STROKE_PIXELS wider/narrower   0.5
  shear     slant                              tan(angle) in ±MAX_SLANT       0.5
  blur      a soft pen, a blurred capture      Gaussian sigma in BLUR_SIGMA   0.3
  lowres    a small drawing that the server    captured at LOWRES_SIZE pixels 0.2
            scales up, a coarse canvas         across, scaled back up

One entry point, `distort(images, rng)`, applies each kind to each image independently
with its probability: first the geometric kinds (affine, shear, elastic), composed into
one source position per output pixel and resampled once by imageops.resample, so a digit
is interpolated once however many of them it gets; then strokes, blur and lowres; and
last, every distorted image's brightest pixel is set back to 1, as MNIST's are.
`DistortedBatches` runs it in a background thread so that the next batch is distorted
while the current one trains.

Everything is vectorised NumPy on a batch [N, 28, 28] (or [N, 784]), drawn from the
`numpy.random.RandomState` passed in, so a seed reproduces every batch.
"""
import queue
import threading

import numpy as np

from graphs import imageops
from graphs.contract import IMAGE_SIZE

KINDS = ('affine', 'elastic', 'strokes', 'shear', 'blur', 'lowres')
PROBABILITY = {'affine': 0.5, 'elastic': 0.5, 'strokes': 0.5, 'shear': 0.5, 'blur': 0.3,
               'lowres': 0.2}

# Simard et al.'s values for MNIST. Every displacement is at most ELASTIC_ALPHA pixels
# along each axis (the smoothed field is a weighted mean of values in [-1, 1]); typical
# ones are far smaller: away from the borders their standard deviation is
# ELASTIC_ALPHA / sqrt(3) / (2 * sqrt(pi) * ELASTIC_SIGMA) pixels.
ELASTIC_ALPHA = 34.0
ELASTIC_SIGMA = 4.0
STROKE_PIXELS = (-1.0, 2.0)   # thinner by up to 1 pixel, thicker by up to 2
MAX_SLANT = 0.3               # horizontal shift per row: about ±17° of slant
BLUR_SIGMA = (0.5, 0.9)       # pixels
LOWRES_SIZE = (14, 20)        # pixels across, both included: down to half
LOWRES_BINARY = 0.5           # the share of low-res images drawn in binary cells


def distort(images, rng, kinds=KINDS, probability=None):
    """Each image of `images` ([N, 28, 28] or [N, 784], values in [0, 1]) distorted by
    each of `kinds` with that kind's PROBABILITY (or with `probability`, one for every
    kind, when given), amounts drawn from `rng`. Returns float32 in [0, 1], same shape.
    Labels are not needed: no distortion changes which digit an image shows."""
    check_kinds(kinds)
    if np.issubdtype(np.asarray(images).dtype, np.integer):
        raise ValueError('distort takes images with values in [0, 1], not %s pixels'
                         % np.asarray(images).dtype)
    images = np.asarray(images, np.float32)
    if images.ndim < 2 or np.prod(images.shape[1:]) != IMAGE_SIZE * IMAGE_SIZE:
        raise ValueError('distort takes a batch of 28x28 images, [N, 28, 28] or [N, 784]; '
                         'got shape %s' % (images.shape,))
    batch = images.reshape(-1, IMAGE_SIZE, IMAGE_SIZE)
    # Which images get which kinds, drawn first and in KINDS' order: reproducible.
    chosen = {kind: rng.rand(len(batch)) < (PROBABILITY[kind] if probability is None
                                             else probability)
              for kind in KINDS if kind in kinds}
    none = np.zeros(len(batch), bool)
    out = _distort_geometry(batch, rng, chosen.get('affine', none),
                            chosen.get('shear', none), chosen.get('elastic', none))
    strokes = chosen.get('strokes', none)
    if strokes.any():
        out[strokes] = imageops.adjust_strokes(out[strokes],
                                               rng.uniform(*STROKE_PIXELS, strokes.sum()))
    blur = chosen.get('blur', none)
    if blur.any():
        out[blur] = gaussian_blur(out[blur], rng.uniform(*BLUR_SIGMA, blur.sum()))
    lowres = chosen.get('lowres', none)
    if lowres.any():
        out[lowres] = lower_resolution(out[lowres], rng.randint(
            LOWRES_SIZE[0], LOWRES_SIZE[1] + 1, lowres.sum()),
            binary=rng.rand(lowres.sum()) < LOWRES_BINARY)
    # Thinning, blurring and coarse pixels fade the ink, resampling a little. MNIST's
    # digits, and the drawings the server normalises (imageops.normalise_digit), have
    # their brightest pixel at 1: so do the distorted ones. Every step only averages or
    # takes extremes of pixels, so the result stays in [0, 1].
    touched = np.any([none] + list(chosen.values()), axis=0)
    peaks = out[touched].max(axis=(1, 2), keepdims=True)
    out[touched] /= np.where(peaks > 0, peaks, 1)
    return out.reshape(images.shape)


def check_kinds(kinds):
    """Raise a one-line ValueError naming the first of `kinds` that is not in KINDS."""
    unknown = [kind for kind in kinds if kind not in KINDS]
    if unknown:
        raise ValueError('unknown distortion %r; the kinds are %s'
                         % (unknown[0], ', '.join(KINDS)))


def _distort_geometry(images, rng, affine, shear, elastic):
    """The images with their chosen affine, shear and elastic maps composed and applied
    in one resampling (a copy of the rest). For an output pixel p, the image after an
    affine A, then a shear S, then an elastic field d, reads the original at
    A(S(p + d(p))), each map taken as output → source position."""
    out = images.copy()
    moved = affine | shear | elastic
    if not moved.any():
        return out
    count = moved.sum()
    matrices = np.tile(np.eye(2, dtype=np.float32), (count, 1, 1))
    offsets = np.zeros((count, 2), np.float32)
    displacements = np.zeros((count, 2, IMAGE_SIZE * IMAGE_SIZE), np.float32)
    if affine.any():
        matrices[affine[moved]], offsets[affine[moved]] = imageops.random_affine_map(
            affine.sum(), rng)
    if shear.any():
        shear_matrices, shear_offsets = shear_map(rng.uniform(-MAX_SLANT, MAX_SLANT,
                                                              shear.sum()))
        selected = shear[moved]
        offsets[selected] += np.einsum('nij,nj->ni', matrices[selected], shear_offsets)
        matrices[selected] = matrices[selected] @ shear_matrices
    if elastic.any():
        displacements[elastic[moved]] = elastic_displacements(
            elastic.sum(), rng).reshape(-1, 2, IMAGE_SIZE * IMAGE_SIZE)
    grid = imageops.pixel_grid(IMAGE_SIZE, IMAGE_SIZE)
    positions = matrices @ (grid + displacements) + offsets[:, :, None]
    out[moved] = imageops.resample(images[moved], positions)
    return out


def shear_map(slants):
    """(matrices [N, 2, 2], offsets [N, 2]) for imageops.warp that slant each image about
    its centre row: row r moves right by slants[n] * (centre - r) pixels, so a positive
    slant leans the top of the digit to the right, as in right-leaning handwriting."""
    slants = np.asarray(slants, np.float32)
    centre = (IMAGE_SIZE - 1) / 2
    matrices = np.tile(np.eye(2, dtype=np.float32), (len(slants), 1, 1))
    matrices[:, 1, 0] = slants          # source column = column + slant * (row - centre)
    offsets = np.stack([np.zeros_like(slants), -slants * centre], axis=1)
    return matrices, offsets


def elastic_displacements(count, rng, alpha=ELASTIC_ALPHA, sigma=ELASTIC_SIGMA):
    """Simard et al.'s random displacement fields, [count, 2, 28, 28] (row, column) in
    pixels: uniform(-1, 1) at every pixel, smoothed by a Gaussian of `sigma`, times
    `alpha`. Smoothing is what makes it a wobble rather than noise."""
    # Uniform(-1, 1) in 256 steps, drawn as random bytes: far cheaper than drawing floats,
    # and the smoothing averages hundreds of them, so the steps leave no trace.
    random_bytes = np.frombuffer(rng.bytes(count * 2 * IMAGE_SIZE * IMAGE_SIZE), np.uint8)
    field = ((random_bytes.astype(np.float32) + 0.5) / 128 - 1).reshape(
        count, 2, IMAGE_SIZE, IMAGE_SIZE)
    smoothing = _gaussian_matrices(np.array([sigma]))[0]
    return alpha * (smoothing @ field @ smoothing)


def gaussian_blur(images, sigmas):
    """Each image of [N, 28, 28] blurred by a Gaussian of its own sigma ([N] pixels)."""
    return _filter_rows_and_columns(images, _gaussian_matrices(sigmas))


def lower_resolution(images, sizes, binary=None):
    """Each image of [N, 28, 28] captured at sizes[n] × sizes[n] pixels (each coarse pixel
    the mean of the area it covers) and scaled back up to 28 × 28 bilinearly. Where
    binary[n] (default: none), the coarse pixels are inked or not (mean ≥ 0.5), as a
    digit drawn small on the page's grid of binary cells is before the server scales it
    up; an image that loses all its ink that way keeps its grey levels."""
    sizes = np.asarray(sizes, np.float32)[:, None, None]
    fine = np.arange(IMAGE_SIZE, dtype=np.float32)
    coarse = fine[:, None]                     # rows: coarse pixels (those < size exist)
    width = IMAGE_SIZE / sizes                 # of a coarse pixel, in fine pixels
    overlap = np.clip(np.minimum(fine + 1, (coarse + 1) * width)
                      - np.maximum(fine, coarse * width), 0, None)
    exists = coarse < sizes
    down = np.where(exists, overlap / width, 0)                      # [N, coarse, fine]
    captured = _filter_rows_and_columns(images, down)                # [N, coarse, coarse]
    if binary is not None:
        cells = (captured >= 0.5).astype(np.float32)
        keep = np.asarray(binary, bool) & cells.any(axis=(1, 2))
        captured[keep] = cells[keep]
    # Back up: each fine pixel's centre, in coarse pixel units, read bilinearly; at the
    # borders from the nearest coarse pixels, so the edges do not fade.
    centres = np.clip((fine + 0.5) / width - 0.5, 0, sizes - 1)      # [N, 1, fine]
    up = np.where(exists, imageops.bilinear_weight(centres - coarse), 0)
    return _filter_rows_and_columns(captured, up.transpose(0, 2, 1))


def _filter_rows_and_columns(images, matrices):
    """matrices[n] @ images[n] @ matrices[n].T: a linear filter applied to each column of
    each image, then to each row."""
    return matrices @ np.asarray(images, np.float32) @ matrices.transpose(0, 2, 1)


def _gaussian_matrices(sigmas):
    """[len(sigmas), 28, 28] symmetric matrices whose product with a column (or row) of
    pixels is its Gaussian blur; beyond the image is background. The kernel sums to 1 over
    every offset an image can have, so blurring keeps the ink of strokes inside the frame."""
    sigmas = np.asarray(sigmas, np.float32)[:, None, None]
    indices = np.arange(IMAGE_SIZE, dtype=np.float32)
    kernels = np.exp(-(indices[:, None] - indices[None, :]) ** 2 / (2 * sigmas ** 2))
    every_offset = np.arange(1 - IMAGE_SIZE, IMAGE_SIZE, dtype=np.float32)
    totals = np.exp(-every_offset ** 2 / (2 * sigmas ** 2)).sum(axis=-1, keepdims=True)
    return kernels / totals


class DistortedBatches:
    """`dataset.next_batch(batch_size)` with its images distorted, prepared in a background
    thread so that the next batch is ready when the training step asks for it:

        with augment.DistortedBatches(mnist.train, 100, rng) as batches:
            images, labels = next(batches)   # as often as wanted: the data repeat by epochs

    It yields exactly the batches of the plain loop
    `images, labels = dataset.next_batch(batch_size); images = distort(images, rng, kinds)`,
    in the same order; while it runs, `dataset` and `rng` are its own. NumPy and a
    TensorFlow session both release the GIL in their heavy work, so the two can run at
    once where a core is free.
    An error in the thread (a batch size larger than the data) is raised by next()."""

    def __init__(self, dataset, batch_size, rng, kinds=KINDS, prefetch=2):
        check_kinds(kinds)  # here, not in the thread
        self._batches = queue.Queue(maxsize=prefetch)
        self._stopping = threading.Event()
        self._closed = False
        self._thread = threading.Thread(target=self._produce, daemon=True,
                                        args=(dataset, batch_size, rng, kinds),
                                        name='distorted-batches')
        self._thread.start()

    def _produce(self, dataset, batch_size, rng, kinds):
        try:
            while not self._stopping.is_set():
                images, labels = dataset.next_batch(batch_size)
                self._batches.put((distort(images, rng, kinds), labels))
        except Exception as error:  # handed to the consumer, which raises it in next()
            self._batches.put(error)

    def __iter__(self):
        return self

    def __next__(self):
        if self._closed:
            raise StopIteration
        batch = self._batches.get()
        if isinstance(batch, Exception):
            self.close()
            raise batch
        return batch

    def close(self):
        """Stop the thread and wait for it; next() then raises StopIteration."""
        self._closed = True
        self._stopping.set()
        # Taking batches off the queue frees a thread blocked in put(); it then sees the
        # stop flag.
        while self._thread.is_alive():
            try:
                self._batches.get(timeout=0.05)
            except queue.Empty:
                pass
        self._thread.join()

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()
