"""Augmentation speed: images/s of each random distortion in graphs/augment.py and of its
default pipeline, on one core, against the training speed of each model.

    python bench/augment_speed.py [--batch_size 100] [--rounds 7] [--model_dir model]
    python bench/augment_speed.py --grid grid.png [--data_dir ../shared/mnist]

Each kind is timed applied to every image of a batch (probability 1), the default
pipeline (`augment.distort(images, rng)`) with the kinds' own probabilities, and what
--augment did before graphs/augment.py (imageops.random_affine) for reference. BLAS is
limited to one thread, and images/s are given both per second of this thread's CPU time
(one core's throughput, whatever else runs on the machine) and per second of wall time.

Training runs at the `images_per_second` recorded in model/NAME/model.json. Distorting
inline would make each batch cost 1/training + 1/augmentation seconds per image; the
background thread of augment.DistortedBatches hides that time where a core is free.

--grid writes a PNG of a few MNIST training digits under each distortion instead (rows:
the originals, then each kind of augment.KINDS, then three draws of the default
pipeline), to check by eye that they look like handwriting, not noise.
"""
import os

# One core: NumPy's matrix products would otherwise use every core through BLAS. Read by
# the BLAS library when NumPy loads it, hence before harness (which imports NumPy).
for variable in ('OPENBLAS_NUM_THREADS', 'OMP_NUM_THREADS', 'MKL_NUM_THREADS'):
    os.environ[variable] = '1'

import sys  # noqa: E402
import time  # noqa: E402

import harness  # noqa: E402  (puts the project on the path)

import numpy as np  # noqa: E402

from graphs import augment, imageops, input_data, pictures, records  # noqa: E402

CELL_ZOOM = 3        # grid pixels per image pixel
GRID_DIGITS = 12
TIMED_IMAGES = 10000  # batches are taken from these in turn


def images_for(flags, count):
    """`count` MNIST training images [count, 28, 28], or None when the data are not in
    --data_dir (a benchmark downloads nothing)."""
    if not all(os.path.exists(os.path.join(flags.data_dir, name))
               or os.path.exists(os.path.join(flags.data_dir, name[:-len('.gz')]))
               for name in input_data.MNIST_FILES):
        return None
    mnist = input_data.read_data_sets(flags.data_dir, validation_size=0)
    return mnist.train.images[:count].reshape(-1, 28, 28)


# ---------------------------------------------------------------------------- speed

def contenders():
    """{row name: function(images, rng)}: each kind alone on every image, the default
    pipeline, and the affine-only augmentation --augment used to apply."""
    functions = {kind: (lambda kind: lambda batch, rng: augment.distort(
        batch, rng, kinds=(kind,), probability=1.0))(kind) for kind in augment.KINDS}
    functions['default pipeline'] = augment.distort
    functions['imageops.random_affine (before)'] = imageops.random_affine
    return functions


def round_of(function, images, batch_size, round_s, rng):
    """A round for harness.interleaved: (images/s of CPU time, images/s of wall time)
    over as many batches as fill about `round_s`."""
    def run_round():
        batches, cpu, wall = 0, 0.0, 0.0
        while wall < round_s:
            start = batches * batch_size % (len(images) - batch_size + 1)
            batch = images[start:start + batch_size]
            cpu_started, wall_started = time.thread_time(), time.perf_counter()
            function(batch, rng)
            cpu += time.thread_time() - cpu_started
            wall += time.perf_counter() - wall_started
            batches += 1
        return batches * batch_size / max(cpu, 1e-9), batches * batch_size / wall
    return run_round


def speed_tables(flags, report, images, source):
    rng = np.random.RandomState(flags.seed)
    rounds = {name: round_of(function, images, flags.batch_size, flags.round_s, rng)
              for name, function in contenders().items()}
    for run_round in rounds.values():
        run_round()  # warm-up: caches, allocator
    results = harness.interleaved(rounds, flags.rounds)
    report.raw['rounds'] = results
    rates = {name: (harness.median([cpu for cpu, _ in values]),
                    harness.median([wall for _, wall in values]))
             for name, values in results.items()}
    report.table('Augmentation, images/s on one core (median of %d rounds, batch %d)'
                 % (flags.rounds, flags.batch_size),
                 ['distortion', 'images/s (CPU time)', 'images/s (wall time)',
                  'its probability in the default pipeline'],
                 [[name, cpu, wall, augment.PROBABILITY.get(name, '–')]
                  for name, (cpu, wall) in rates.items()],
                 notes=['Each kind alone on every image; the default pipeline applies each '
                        'kind to each image with the probability in the last column. Data: %s.'
                        % source,
                        'One thread, BLAS limited to one; CPU time is this thread\'s '
                        '(time.thread_time).'])
    pipeline = rates['default pipeline'][0]
    rows = []
    for name in flags.models:
        trained = records.read_metadata(os.path.join(flags.model_dir, name)).get(
            'images_per_second')
        if not trained:
            rows.append([name, 'no model.json', '', '', ''])
            continue
        inline = 1 / (1 / trained + 1 / pipeline)
        rows.append([name, float(trained), harness.ratio(pipeline, trained), inline,
                     '%.0f%%' % (100 * (1 - inline / trained))])
    report.table('Default pipeline against training speed',
                 ['model', 'training images/s (model.json)',
                  'augmentation ÷ training', 'training images/s if distorted inline',
                  'slower by'], rows,
                 notes=['Augmentation: the default pipeline\'s images/s of CPU time above. '
                        'Training: model/NAME/model.json\'s images_per_second, measured by '
                        'that model\'s training run (2 cores, and the machine was not always '
                        'quiet: see bench/README.md\'s time-to-accuracy table).',
                        'Inline: 1 / (1/training + 1/augmentation), one step after the other '
                        'on the same cores; augment.DistortedBatches overlaps the two instead.'])


# ---------------------------------------------------------------------------- grid

def grid_rows(images, seed):
    """[rows, digits, 28, 28]: the originals, each kind on every image, the pipeline ×3."""
    rows = [images]
    for kind in augment.KINDS:
        rows.append(augment.distort(images, np.random.RandomState(seed), kinds=(kind,),
                                    probability=1.0))
    for draw in range(3):
        rows.append(augment.distort(images, np.random.RandomState(seed + 1 + draw)))
    return np.stack(rows)


def main():
    parser = harness.parser(__doc__, quick=dict(rounds=2, round_s=0.1))
    parser.add_argument('--batch_size', type=int, default=100,
                        help='images per call, as the training scripts batch')
    parser.add_argument('--rounds', type=int, default=7, help='timed rounds per distortion')
    parser.add_argument('--round_s', type=float, default=1.0, help='seconds per round, about')
    parser.add_argument('--seed', type=int, default=0, help='seeds the distortions')
    parser.add_argument('--model_dir', default=os.path.join(harness.ROOT, 'model'),
                        help='holds NAME/model.json with each model\'s training images/s')
    parser.add_argument('--grid', metavar='PNG',
                        help='write a PNG grid of digits under each distortion and exit')
    flags = parser.parse_args()
    try:
        return run(flags)
    except (input_data.MnistDataError, OSError) as error:  # bad data; a grid not writable
        return 'error: %s' % error


def run(flags):
    if flags.grid:
        images = images_for(flags, GRID_DIGITS)
        if images is None:
            return 'no grid: it shows MNIST digits, and there are none in %s' % flags.data_dir
        rows = grid_rows(images, flags.seed)
        pictures.write_png(flags.grid, pictures.digit_grid(
            rows.reshape(-1, *rows.shape[2:]), rows.shape[1], CELL_ZOOM, gap=2))
        print('wrote %s: rows are the originals, %s, then the default pipeline ×3'
              % (flags.grid, ', '.join(augment.KINDS)))
        return 0
    images, source = images_for(flags, TIMED_IMAGES), 'MNIST training images'
    if images is None:  # the speed hardly depends on what the images show
        images = np.random.RandomState(0).rand(TIMED_IMAGES, 28, 28).astype(np.float32)
        source = 'uniform random images (no MNIST in %s)' % flags.data_dir
    if not 1 <= flags.batch_size <= len(images) or flags.rounds < 1:
        return ('error: --batch_size must be between 1 and %d, and --rounds at least 1'
                % len(images))
    report = harness.Report('augment_speed', flags)
    speed_tables(flags, report, images, source)
    report.finish()
    return 0


if __name__ == '__main__':
    sys.exit(main())
