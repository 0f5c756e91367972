"""Inference through the tensor-name contract: single-image latency and 1,000-image
throughput of every model, the ways of calling a restored session, and Keras and PyTorch.

    python bench/inference.py [--quick] [--model_dir model] [--calls 300] [--rounds 5]

Our side is what any client of the contract does, as predict.py: latest_checkpoint,
import_meta_graph + restore into a session of its own, feed `input/inputData:0` and fetch
`output/probabilities:0`. Models missing from --model_dir are trained for 50 steps
into a temporary directory first (speed does not depend on training).

Tables:
  ways      one image, each way of calling the restored graph: sess.run fed a float64
            array (converted on every call) → a preallocated float32 array → a callable
            from make_callable → a 64-byte-aligned array → RunOptions passed → session
            threads → the single-threaded executor → graph optimisations off → XLA →
            variables frozen into constants
  compare   ours (restored, variables frozen, a callable, intra --threads, inter 1) against
            Keras 3 (the model called inside a tf.function, not predict(), whose
            per-call overhead would swamp the model) and PyTorch (eval, inference_mode): one image (median
            latency) and one call on 1,000 images (images/s)
  profile   where one single-image call of the CNN (else the first of --models) spends
            its time, by op type

Calls alternate between contenders in rounds of --calls calls; latencies are pooled
over --rounds rounds and their median (and 90th percentile) reported. Every side uses
--threads threads.
"""
import collections
import os

os.environ.setdefault('TF_XLA_FLAGS', '--tf_xla_cpu_global_jit')  # for the XLA row only

import harness  # first: puts the project on the path, quietens TensorFlow's C++ logs

import numpy as np
import tensorflow as tf2
import tensorflow.compat.v1 as tf
import torch

import keras_models
import torch_models
from graphs import input_data
from graphs.contract import IMAGE_PIXELS, INPUT, PROBABILITIES
from serving.models import frozen_graph

THROUGHPUT_BATCH = 1000


# ---------------------------------------------------------------------------- ours

def restore(model_dir, config):
    """A session holding the latest checkpoint of model_dir, restored by the contract."""
    checkpoint = tf.train.latest_checkpoint(model_dir)
    graph = tf.Graph()
    with graph.as_default():
        saver = tf.train.import_meta_graph(checkpoint + '.meta', clear_devices=True)
        session = tf.Session(graph=graph, config=config)
        saver.restore(session, checkpoint)
    return session


def frozen(model_dir, config):
    """A session on model_dir's latest checkpoint as predict_server.py serves it: restored
    through the contract, variables frozen into constants."""
    checkpoint = tf.train.latest_checkpoint(model_dir)
    return tf.Session(graph=frozen_graph(checkpoint), config=config)


def config(threads, inter_op=2, grappler=True, xla=False, single_threaded_executor=False):
    proto = harness.session_config(threads, inter_op)
    if single_threaded_executor:
        # Runs every op in the calling thread, in order, with less bookkeeping per op than
        # the default executor; it refuses graphs with control flow, and ours have none.
        proto.experimental.executor_type = 'SINGLE_THREADED_EXECUTOR'
    if not grappler:
        proto.graph_options.rewrite_options.disable_meta_optimizer = True
        proto.graph_options.optimizer_options.opt_level = tf.OptimizerOptions.L0
    if xla:
        proto.graph_options.optimizer_options.global_jit_level = tf.OptimizerOptions.ON_1
    return proto


def sess_run(session, image, options=None):
    """predict(): Session.run fetching the probabilities, feeding `image` as given."""
    probabilities = session.graph.get_tensor_by_name(PROBABILITIES)
    images = session.graph.get_tensor_by_name(INPUT)
    kwargs = {}
    if options is not None:
        kwargs = dict(options=options, run_metadata=tf.RunMetadata())
    return lambda: session.run(probabilities, {images: image}, **kwargs)


def make_callable(session, image=None):
    """predict(): a callable made once by Session.make_callable, fed `image`; without
    an image, the callable itself, to be fed any."""
    run = session.make_callable(session.graph.get_tensor_by_name(PROBABILITIES),
                                feed_list=[session.graph.get_tensor_by_name(INPUT)])
    return run if image is None else lambda: run(image)


def ways(model_dir, image, threads):
    """{way: predict()} for one model; each way changes one thing from the row above."""
    as_float64 = image.astype(np.float64)  # what np.array(json list) gives
    default = config(threads)
    plain = restore(model_dir, default)
    server = restore(model_dir, config(1, inter_op=-1))
    return collections.OrderedDict([
        ('sess.run, fed a float64 array', sess_run(plain, as_float64)),
        ('sess.run, fed a preallocated float32 array', sess_run(plain, image)),
        ('make_callable(fetch, feed_list)', make_callable(plain, image)),
        ('make_callable, fed a 64-byte-aligned array', make_callable(plain,
                                                                      harness.aligned(image))),
        ('sess.run, float32, RunOptions() and RunMetadata passed', sess_run(
            plain, image, tf.RunOptions(trace_level=tf.RunOptions.NO_TRACE))),
        ('make_callable, intra 1, inter -1', make_callable(server, image)),
        ('make_callable, intra %d, inter -1' % threads, make_callable(
            restore(model_dir, config(threads, inter_op=-1)), image)),
        ('make_callable, intra %d, inter 1' % threads, make_callable(
            restore(model_dir, config(threads, inter_op=1)), image)),
        ('make_callable, intra %d, single-threaded executor' % threads, make_callable(
            restore(model_dir, config(threads, inter_op=-1, single_threaded_executor=True)),
            image)),
        ('make_callable, intra 1, inter -1, grappler off', make_callable(
            restore(model_dir, config(1, inter_op=-1, grappler=False)), image)),
        ('make_callable, intra 1, inter -1, XLA auto-clustering', make_callable(
            restore(model_dir, config(1, inter_op=-1, xla=True)), image)),
        ('make_callable, intra 1, inter -1, variables frozen (predict_server.py)',
         make_callable(frozen(model_dir, config(1, inter_op=-1)), image)),
    ])


# ---------------------------------------------------------------------------- others

def keras_predict(name):
    """predict(images): the Keras model called inside a tf.function, one trace for all
    batch sizes."""
    model = keras_models.build(name)
    call = tf2.function(lambda images: model(images, training=False),
                        input_signature=[tf2.TensorSpec([None, IMAGE_PIXELS], tf2.float32)])
    return lambda images: call(images).numpy()


def torch_predict(name):
    torch.manual_seed(0)
    model = torch_models.build(name).eval()

    def predict(images):
        with torch.inference_mode():
            return torch.softmax(model(torch.from_numpy(images)), 1).numpy()
    return predict


# ---------------------------------------------------------------------------- tables

def latency_rounds(predictors, flags, calls=None):
    """{name: [seconds per call]} pooled over interleaved rounds, after a warm-up."""
    for predict in predictors.values():
        for _ in range(flags.warmup):
            predict()
    calls = calls or flags.calls
    rounds = harness.interleaved({name: lambda predict=predict: harness.latencies(
        predict, calls) for name, predict in predictors.items()}, flags.rounds)
    return {name: [t for round_ in times for t in round_] for name, times in rounds.items()}


def ways_table(report, models, image, batch, flags):
    columns, per_way = [], collections.OrderedDict()
    for name, model_dir in models.items():
        times = latency_rounds(ways(model_dir, image, flags.threads), flags)
        report.raw['ways_' + name] = {way: harness.median(t) for way, t in times.items()}
        columns.append(name)
        for way, t in times.items():
            per_way.setdefault(way, []).append(harness.median(t) * 1000)
        print('ways', name, flush=True)
    rows = [[way] + values for way, values in per_way.items()]
    report.table('One image through the contract: median ms per call, each way of calling',
                 ['way of calling the restored session'] + columns, rows,
                 notes=['Rows run interleaved per model, %d calls × %d rounds each; rows '
                        'without a thread setting use intra %d, inter 2.' % (
                            flags.calls, flags.rounds, flags.threads)])


def compare_table(report, models, image, batch, flags):
    rows = []
    for name, model_dir in models.items():
        # One inter-op thread: a single image's graph is a chain of ops, none of which
        # can run beside another, so a second inter-op thread only spins next to the
        # first on a core the kernels need (the ways table shows it). The server,
        # answering concurrent requests, runs the ops in the calling thread instead.
        ours = make_callable(frozen(model_dir, config(flags.threads, inter_op=1)))
        others = {'ours': ours, 'Keras': keras_predict(name), 'PyTorch': torch_predict(name)}
        single = latency_rounds({side: lambda p=p: p(image) for side, p in others.items()}, flags)
        thousand = latency_rounds({side: lambda p=p: p(batch) for side, p in others.items()},
                                  flags, calls=max(3, flags.calls // 30))
        report.raw['compare_' + name] = {'single': single, 'thousand': thousand}
        ms = {side: harness.median(t) * 1000 for side, t in single.items()}
        p90 = {side: harness.percentile(t, 90) * 1000 for side, t in single.items()}
        rate = {side: len(batch) / harness.median(t) for side, t in thousand.items()}
        rows.append([name, ms['ours'], p90['ours'], ms['Keras'], ms['PyTorch'],
                     '%.2f×' % (ms['PyTorch'] / ms['ours']),
                     rate['ours'], rate['Keras'], rate['PyTorch'],
                     '%.2f×' % (rate['ours'] / max(rate['Keras'], rate['PyTorch']))])
        print('compare', name, flush=True)
    report.table('Ours (frozen, make_callable, intra %d, inter 1) against Keras and PyTorch' % (
        flags.threads),
                 ['model', 'ours 1 image ms', 'ours p90 ms', 'Keras ms', 'PyTorch ms',
                  'PyTorch ÷ ours time', 'ours 1,000 img/s', 'Keras img/s', 'PyTorch img/s',
                  'ours ÷ faster other'], rows,
                 notes=['Keras: tf.function(model(x, training=False)), eager TF with %d '
                        'intra-op threads; PyTorch: eval() + inference_mode, '
                        'set_num_threads(%d). Both have untrained weights (speed only).' % (
                            flags.threads, flags.threads),
                        'All three are fed the same 64-byte-aligned float32 arrays.'])


def profile_table(report, models, image, batch, flags):
    """Op times of single-image calls of the CNN (else the first of --models), by op type."""
    name = 'cnn' if 'cnn' in models else next(iter(models))
    session = restore(models[name], config(1, inter_op=-1))
    probabilities = session.graph.get_tensor_by_name(PROBABILITIES)
    feed = {session.graph.get_tensor_by_name(INPUT): image}
    calls = 20 if flags.quick else 200
    harness.op_profile(session, probabilities, lambda: feed, flags.warmup)
    micros, counts = harness.op_profile(session, probabilities, lambda: feed, calls)
    total = sum(micros.values())
    rows = [[kind, counts[kind] / calls, micros[kind] / calls, '%.0f%%' % (
        100 * micros[kind] / total)] for kind, _ in micros.most_common(14)]
    report.table('Where a single-image %s call goes (intra 1, inter -1; %d traced calls)' % (
        name, calls),
                 ['op type', 'ops per call', 'µs per call (sum)', 'share'], rows,
                 notes=['Sum of op times %.0f µs per call; the rest of the wall time is '
                        'Session.run itself.' % (total / calls)])


# The comparison runs first, in a fresh process: run after the ways table, the same
# frozen CNN session answered one image more slowly, for a cause not found
# (bench/README.md, "Inference through the contract").
TABLES = collections.OrderedDict([('compare', compare_table), ('ways', ways_table),
                                  ('profile', profile_table)])


def main():
    parser = harness.parser(__doc__, tables=TABLES, checkpoints=True,
                            quick=dict(calls=20, rounds=2, warmup=3))
    parser.add_argument('--calls', type=int, default=300, help='calls per round')
    parser.add_argument('--rounds', type=int, default=5, help='interleaved rounds')
    parser.add_argument('--warmup', type=int, default=20, help='untimed calls per contender')
    flags = parser.parse_args()

    harness.pin_tensorflow_threads(flags.threads)
    harness.pin_torch_threads(flags.threads)
    mnist = input_data.read_data_sets(flags.data_dir, one_hot=True, seed=0)
    parent, tiny = harness.model_dirs(flags.models, flags.model_dir, flags.data_dir)
    models = collections.OrderedDict((name, os.path.join(parent, name)) for name in flags.models)
    image = np.array(mnist.validation.images[:1])                      # float32 [1, 784]
    batch = harness.aligned(mnist.validation.images[:THROUGHPUT_BATCH])

    report = harness.Report('inference', flags)
    report.raw['tiny_checkpoints'] = tiny
    for name in flags.tables:
        TABLES[name](report, models, image, batch, flags)
    report.finish()


if __name__ == '__main__':
    main()
