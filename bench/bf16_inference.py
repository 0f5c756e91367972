"""Whether the predict server should run a model in bfloat16: batch-1 latency and
1,000-image throughput of each shipped model served as the server serves it (frozen graph,
a callable, one thread per op: serving/models.py), with grappler's bf16 rewrite off and on
(graphs/precision.py), and how far the bf16 answers move on the full MNIST test set.

    python bench/bf16_inference.py [--quick] [--model_dir model] [--calls 200] [--rounds 5]

A model would be served in bf16 only where both hold: faster at batch 1 (what the page
asks for) and test accuracy within 0.05 points of fp32's.
"""
import harness  # first: puts the project on the path, quietens TensorFlow's C++ logs

import numpy as np

from graphs import input_data
from serving import models as serving_models

MAX_ACCURACY_CHANGE = 0.0005  # 0.05 points


def main():
    parser = harness.parser(__doc__, checkpoints=True,
                            quick=dict(calls=5, rounds=2, test_images=1000))
    parser.add_argument('--calls', type=int, default=200, help='batch-1 calls per round')
    parser.add_argument('--rounds', type=int, default=5, help='timed rounds')
    parser.add_argument('--test_images', type=int, default=10000,
                        help='test images the accuracies are measured on')
    flags = parser.parse_args()
    serving_models.use_graph_mode()
    test = input_data.read_data_sets(flags.data_dir, validation_size=0).test
    images, labels = test.images[:flags.test_images], test.labels[:flags.test_images]
    report = harness.Report('bf16_inference', flags)
    model_root, tiny = harness.model_dirs(flags.models, flags.model_dir, flags.data_dir)

    rows = []
    for name in flags.models:
        # Each precision exactly as the server serves it (bf16: the rewritten frozen graph).
        served = {precision_name: serving_models.Model(
                      name, '%s/%s' % (model_root, name), serving_models.session_config(),
                      precision_name)
                  for precision_name in ('fp32', 'bf16')}
        one = images[:1]
        batch = images[:1000]
        timings = harness.interleaved({
            '%s %s' % (p, kind): (lambda m=m, x=x, n=n: harness.median(
                harness.latencies(lambda: m.predict(x), n)))
            for p, m in served.items()
            for kind, x, n in (('one', one, flags.calls), ('batch', batch, 2))},
            flags.rounds)
        seconds = {key: harness.median(values) for key, values in timings.items()}
        answers = {p: np.concatenate([m.predict(images[i:i + 1000])[1]
                                      for i in range(0, len(images), 1000)])
                   for p, m in served.items()}
        accuracy = {p: float(np.mean(answers[p] == labels)) for p in answers}
        change = accuracy['bf16'] - accuracy['fp32']
        faster = seconds['bf16 one'] < seconds['fp32 one']
        verdict = 'bf16' if faster and abs(change) <= MAX_ACCURACY_CHANGE else 'fp32'
        rows.append([name + (' (50-step)' if name in tiny else ''),
                     seconds['fp32 one'] * 1e3, seconds['bf16 one'] * 1e3,
                     harness.ratio(seconds['fp32 one'], seconds['bf16 one']),
                     1000 / seconds['fp32 batch'], 1000 / seconds['bf16 batch'],
                     '%.2f%%' % (100 * accuracy['fp32']), '%.2f%%' % (100 * accuracy['bf16']),
                     '%.2f%%' % (100 * float(np.mean(answers['bf16'] != answers['fp32']))),
                     verdict])
        for model in served.values():
            model.close()
    report.table('Serving in bf16 against fp32', [
        'model', 'fp32 ms (1 image)', 'bf16 ms (1 image)', 'bf16 speed-up (1 image)',
        'fp32 images/s (1,000)', 'bf16 images/s (1,000)', 'fp32 test accuracy',
        'bf16 test accuracy', 'answers that differ', 'serve in'], rows, notes=[
        'Each model as serving/models.py serves it: frozen graph, a callable, one thread '
        'per op; bf16 is grappler\'s auto_mixed_precision_onednn_bfloat16 rewrite applied '
        'to the same frozen graph (graphs/precision.bf16_graph_def). Latency: median '
        'over %d rounds of %d calls; accuracy on the '
        'first %d test images.' % (flags.rounds, flags.calls, len(images)),
        '"serve in": bf16 only where it is faster for one image and within 0.05 points '
        'of fp32\'s accuracy.'])
    report.finish()


if __name__ == '__main__':
    main()
