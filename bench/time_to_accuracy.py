"""Time to accuracy: how long each model's default training takes to reach its target
validation accuracy — read from the records of a training run, not re-trained.

    python bench/time_to_accuracy.py [--model_dir model] [--log_dir eventlog]

For model NAME it reads model/NAME/model.json (how the run was made, its training time
and test accuracy) and the validation events in eventlog/NAME/validation (tag
`accuracy/rate`, one every --eval_every steps). The run is the one that wrote the newest
validation event file; a run opens its train/, validation/ and test/ writers together,
so its files are those whose names' timestamps lie within a few seconds of that one's,
and its start is the earliest event in them: when the writers opened, after MNIST was
loaded and the graph built. Time to target = wall time of the first validation event at
or above the target, minus that start: training and its periodic validation passes included.

The figure is meaningful for the default schedule only (`python train_NAME.py --data_dir
../shared/mnist`); any other command is shown in the table. Validation accuracy is the
criterion; the test accuracy is reported, never used to choose anything.
"""
import glob
import os

import harness  # first: puts the project on the path, quietens TensorFlow's C++ logs

import tensorflow.compat.v1 as tf

from graphs import model as model_lib, records

DEFAULT_COMMAND = 'python train_%s.py --data_dir ../shared/mnist'


def events(path):
    """(wall_time, step, {tag: value}) of every event in one event file."""
    for event in tf.train.summary_iterator(path):
        values = {v.tag: v.simple_value for v in event.summary.value}
        yield event.wall_time, event.step, values


SAME_RUN_S = 10  # the three writers of one run open within this many seconds


def opened_at(path):
    """The creation time in an event file's name: events.out.tfevents.TIME.HOST..."""
    return int(os.path.basename(path).split('.')[3])


def training_run(log_dir):
    """(start wall time, [(wall_time, step, accuracy)]) of the newest training run."""
    validation_files = glob.glob(os.path.join(log_dir, 'validation', 'events.*'))
    if not validation_files:
        return None, []
    newest = max(map(opened_at, validation_files))
    run_files = [path for path in glob.glob(os.path.join(log_dir, '*', 'events.*'))
                 if abs(opened_at(path) - newest) <= SAME_RUN_S]
    # A file's first event is written when it opens; the train file holds megabytes of
    # histograms and traces after it, which need not be read.
    start = min(next(events(path))[0] for path in run_files)
    curve = [(wall_time, step, values[model_lib.ACCURACY_TAG])
             for path in run_files if os.path.dirname(path).endswith('validation')
             for wall_time, step, values in events(path) if model_lib.ACCURACY_TAG in values]
    return start, sorted(curve)


def model_row(name, flags):
    target = records.TARGETS[name]
    metadata = records.read_metadata(os.path.join(flags.model_dir, name))
    if not metadata:
        return [name, '%.1f%%' % (100 * target)] + ['not trained yet'] + [''] * 6
    start, curve = training_run(os.path.join(flags.log_dir, name))
    reached = next(((wall_time, step) for wall_time, step, accuracy in curve
                    if accuracy >= target), None)
    best = max(curve, key=lambda point: point[2], default=None)
    command = metadata.get('command', '?').replace(' --fresh', '')  # --fresh only deletes
    return [name, '%.1f%%' % (100 * target),
            'step %d' % reached[1] if reached else 'not reached',
            reached[0] - start if reached else float('nan'),
            _number(metadata.get('training_seconds')),
            '%.2f%% (step %d)' % (100 * best[2], best[1]) if best else '–',
            '%.2f%%' % (100 * metadata['test_accuracy']),
            _number(metadata.get('images_per_second')),
            'default' if command == DEFAULT_COMMAND % name else '`%s`' % command]


def _number(value):
    """A figure from model.json, or NaN where it is absent or unknown (null)."""
    return float('nan') if value is None else float(value)


def main():
    parser = harness.parser(__doc__)
    parser.add_argument('--model_dir', default=os.path.join(harness.ROOT, 'model'))
    parser.add_argument('--log_dir', default=os.path.join(harness.ROOT, 'eventlog'))
    flags = parser.parse_args()
    report = harness.Report('time_to_accuracy', flags, needs_quiet=False)  # reads files only
    rows = [model_row(name, flags) for name in flags.models]
    report.table('Time to target validation accuracy, default training (from the run\'s records)',
                 ['model', 'target', 'first reached', 'seconds to target', 'training seconds',
                  'best validation', 'test accuracy', 'training images/s', 'command'], rows,
                 notes=['Seconds from the run\'s summary writers opening to the first '
                        'validation event at or above the target; validation is evaluated '
                        'every 500 steps by default, so this is an upper bound by up to 500 '
                        'steps. Training seconds, test accuracy and images/s are model.json\'s.'])
    report.finish()


if __name__ == '__main__':
    main()
