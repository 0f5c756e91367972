"""What the predict server's models cost per image at the batch sizes that batching forms:
CPU milliseconds of one call of every model (one merged graph, as the server runs them:
serving/merged.py) and of each model alone, at each --batches size, in the precision the
server picks (--precision auto).

    python bench/batch_cost.py [--quick] [--model_dir model] [--batches 1,2,4,8,16]
                               [--calls 200] [--rounds 3]

CPU time, not wall time: the process's user + system seconds over the calls (the session
has the server's --cores pool of 2 threads), so the figure is what a request takes from
the cores it shares with the HTTP side and, in bench/serving_speed.py, with its clients.
"""
import time

import harness  # first: puts the project on the path, quietens TensorFlow's C++ logs

from graphs import input_data
from serving import models as serving_models
from serving.merged import MergedModels
from serving.runner import usable_cores


def cpu_ms_per_call(merged, names, images, calls):
    merged.run(names, images)
    before = time.process_time()  # every thread of the process, to the nanosecond
    for _ in range(calls):
        merged.run(names, images)
    return (time.process_time() - before) / calls * 1000


def main():
    parser = harness.parser(__doc__, checkpoints=True, quick=dict(calls=10, rounds=1))
    parser.add_argument('--batches', default='1,2,4,8,16', help='batch sizes, comma separated')
    parser.add_argument('--calls', type=int, default=200, help='calls per batch size and round')
    parser.add_argument('--rounds', type=int, default=3, help='rounds (median kept)')
    flags = parser.parse_args()
    batches = [int(size) for size in flags.batches.split(',')]
    serving_models.use_graph_mode()
    images = input_data.read_data_sets(flags.data_dir, validation_size=0).test.images
    report = harness.Report('batch_cost', flags)
    model_root, tiny = harness.model_dirs(flags.models, flags.model_dir, flags.data_dir)
    models = serving_models.load_models(model_root, flags.models, 'auto')
    merged = MergedModels(models, usable_cores())
    sets = [('all %d, one call' % len(models), list(models))] + [
        (name + (' (50-step)' if name in tiny else ''), [name]) for name in models]
    cost = {}
    for label, names in sets:
        timings = harness.interleaved({
            size: (lambda names=names, size=size: cpu_ms_per_call(
                merged, names, images[:size], flags.calls)) for size in batches},
            flags.rounds)
        cost[label] = {size: harness.median(values) for size, values in timings.items()}
    rows = [[label, models[names[0]].precision if len(names) == 1 else '–']
            + [cost[label][size] / size for size in batches]
            for label, names in sets]
    report.table('CPU ms per image, by batch size', ['models', 'precision'] + [
        'batch %d' % size for size in batches], rows, notes=[
        'One call of serving/merged.MergedModels (a pool of %d threads, one per op) on '
        'that many test digits; CPU ms of the process per call ÷ images, median over %d '
        'rounds of %d calls.' % (usable_cores(), flags.rounds, flags.calls)])
    report.finish()


if __name__ == '__main__':
    main()
