"""Whether the predict server should turn oneDNN on where TensorFlow leaves it off: the
served models in one graph and session call, exactly as the server runs them
(serving/merged.py), with TF_ENABLE_ONEDNN_OPTS=0 and =1, and how far the answers move on
the MNIST test set.

    python bench/onednn_serving.py [--quick] [--model_dir model] [--rounds 5] [--seconds 1.5]

TensorFlow reads TF_ENABLE_ONEDNN_OPTS once, when it is imported, so each setting is a
worker process of its own (this script with --worker), both loaded before timing starts;
rounds alternate between them (bench/harness.interleaved). On CPUs with AVX512-VNNI,
AVX512-BF16 or AMX TensorFlow turns oneDNN on by default, and both workers differ only in
the environment variable they were given.
"""
import argparse
import contextlib
import os
import subprocess
import sys
import tempfile
import time

import harness  # first: puts the project on the path, quietens TensorFlow's C++ logs

import numpy as np

BATCH_SIZES = (1, 4, 8, 32)
SETTINGS = ('0', '1')  # TF_ENABLE_ONEDNN_OPTS


def worker(flags):
    """Loads the models, answers the test set, then times one batch size per line read
    from stdin (`BATCH SECONDS`), printing the mean milliseconds of a call. TensorFlow is
    imported here, in the worker, under the setting its environment was given."""
    from graphs import input_data
    from serving import models as serving_models
    serving_models.use_graph_mode()
    from serving.merged import MergedModels
    from serving.runner import usable_cores

    with contextlib.redirect_stdout(sys.stderr):  # stdout answers the parent
        models = serving_models.load_models(flags.model_dir, flags.models)
        merged = MergedModels(models, usable_cores())
    names = list(models)
    test = input_data.read_data_sets(flags.data_dir, validation_size=0).test
    images = test.images[:flags.test_images]
    answers = {name: [] for name in names}
    for start in range(0, len(images), 500):
        for name, (probabilities, _) in merged.run(names, images[start:start + 500]).items():
            answers[name].append(probabilities)
    np.savez(flags.worker, **{name: np.concatenate(parts) for name, parts in answers.items()})
    print('ready', flush=True)
    for line in sys.stdin:
        batch, seconds = int(line.split()[0]), float(line.split()[1])
        x = images[:batch]
        for _ in range(3):
            merged.run(names, x)
        calls, started = 0, time.perf_counter()
        while time.perf_counter() - started < seconds:
            merged.run(names, x)
            calls += 1
        print(1000 * (time.perf_counter() - started) / calls, flush=True)


def main():
    parser = harness.parser(__doc__, checkpoints=True,
                            quick=dict(rounds=1, seconds=0.2, test_images=1000))
    parser.add_argument('--rounds', type=int, default=5, help='timed rounds per setting')
    parser.add_argument('--seconds', type=float, default=1.5, help='timed calls per batch size')
    parser.add_argument('--test_images', type=int, default=10000,
                        help='test images the answers are compared on')
    parser.add_argument('--worker', help=argparse.SUPPRESS)  # the path its answers go to
    flags = parser.parse_args()
    if flags.worker:
        return worker(flags)

    parent, tiny = harness.model_dirs(flags.models, flags.model_dir, flags.data_dir)
    report = harness.Report('onednn_serving', flags)
    with tempfile.TemporaryDirectory() as scratch:
        measure(flags, parent, tiny, report, scratch)
    report.finish()


def measure(flags, parent, tiny, report, scratch):
    """Start a worker per setting, time them in turn, and put both tables in `report`."""
    workers = {}
    for setting in SETTINGS:
        environment = dict(harness.child_environment(), TF_ENABLE_ONEDNN_OPTS=setting)
        answers = os.path.join(scratch, 'answers-%s.npz' % setting)
        command = [sys.executable, __file__, '--worker', answers, '--model_dir', parent,
                   '--models', ','.join(flags.models), '--data_dir', flags.data_dir,
                   '--test_images', str(flags.test_images)]
        workers[setting] = (subprocess.Popen(command, stdin=subprocess.PIPE,
                                             stdout=subprocess.PIPE, text=True,
                                             env=environment, stderr=subprocess.DEVNULL),
                            answers)
    for process, _ in workers.values():
        if process.stdout.readline().strip() != 'ready':
            sys.exit('error: a worker failed to load the models')

    def round_of(setting):
        process = workers[setting][0]

        def run_round():
            times = {}
            for batch in BATCH_SIZES:
                process.stdin.write('%d %g\n' % (batch, flags.seconds))
                process.stdin.flush()
                times[batch] = float(process.stdout.readline())
            return times
        return run_round
    rounds = harness.interleaved({setting: round_of(setting) for setting in SETTINGS},
                                 flags.rounds, [p.pid for p, _ in workers.values()])
    for process, _ in workers.values():
        process.stdin.close()
        process.wait()

    ms = {setting: {batch: harness.median([r[batch] for r in rounds[setting]])
                    for batch in BATCH_SIZES} for setting in SETTINGS}
    report.table('All %d models in one session call (as served), ms per call'
                 % len(flags.models),
                 ['images per call', 'oneDNN off', 'oneDNN on', 'off ÷ on'],
                 [[batch, ms['0'][batch], ms['1'][batch], ms['0'][batch] / ms['1'][batch]]
                  for batch in BATCH_SIZES],
                 notes=['Median over %d rounds, settings in turn.%s' % (
                     flags.rounds, ' 50-step checkpoints: %s.' % ', '.join(tiny) if tiny else '')])
    off, on = (np.load(workers[setting][1]) for setting in SETTINGS)
    report.table('Answers on %d test digits, oneDNN on against off' % flags.test_images,
                 ['model', 'largest probability change', 'digits answered differently'],
                 [[name, float(np.abs(off[name] - on[name]).max()),
                   int((off[name].argmax(1) != on[name].argmax(1)).sum())]
                  for name in off.files])


if __name__ == '__main__':
    main()
