"""Serving: start-up time, and latency and throughput of POST /predict on predict_server.py
against the original app's way of restoring the model on every request.

    python bench/serving.py [--quick] [--model_dir model] [--requests 400] [--starts 5]

The server runs as `python predict_server.py --model_dir DIR --port PORT` on 127.0.0.1
with all seven models (those missing from --model_dir are trained for 50 steps into a
temporary directory first; speed does not depend on training). Clients are threads of
this process using http.client; bodies are validation digits as bare JSON arrays of 784
pixels, so the server also normalises each drawing (its default, preprocess on).

Tables:
  startup   seconds from starting `python predict_server.py` to the first answered
            POST /predict, over --starts cold starts; with the time `import tensorflow`
            alone takes and each model's restore time as GET /models reports it
  latency   p50/p95/p99 latency and requests/s of POST /predict for all seven models,
            with 1 and 8 concurrent clients, on keep-alive connections and on a fresh
            connection per request; and one model per request, for each model
  reference the same work done the original app's way, timed in this process: for every
            request and model, a new graph and session, import_meta_graph, restore,
            one run, close. Interleaved with keep-alive single-client requests to the
            server, round by round, and compared at the median.
  pieces    inside one request for all models, timed in this process with the server's
            own functions: parsing, normalising, the models each in its own session one
            after the other and all in one graph (the server's way)
"""
import collections
import http.client
import json
import os
import subprocess
import sys
import threading
import time

import harness  # first: puts the project on the path, quietens TensorFlow's C++ logs

import numpy as np
import tensorflow.compat.v1 as tf

from graphs import imageops, input_data, precision
from graphs.contract import INPUT, PROBABILITIES
from server_process import HOST, Server, post, request_bodies


# ---------------------------------------------------------------------------- clients

def client_latencies(port, bodies, requests, keep_alive):
    """Seconds of each of `requests` consecutive requests from one client."""
    connection = http.client.HTTPConnection(HOST, port)
    times = []
    for index in range(requests):
        if not keep_alive:
            connection.close()  # http.client reconnects on the next request
        started = time.perf_counter()
        status, answer = post(connection, bodies[index % len(bodies)])
        times.append(time.perf_counter() - started)
        if status != 200:
            raise RuntimeError('POST /predict answered %d: %s' % (status, answer[:200]))
    connection.close()
    return times


def load(port, bodies, clients, requests, keep_alive):
    """(all latencies, requests/s) of `clients` threads sending `requests` each at once."""
    results = [None] * clients
    barrier = threading.Barrier(clients + 1)

    def client(index):
        barrier.wait()
        results[index] = client_latencies(port, bodies[index:] + bodies[:index], requests,
                                          keep_alive)
    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    barrier.wait()
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - started
    if any(result is None for result in results):
        raise RuntimeError('a client failed')
    return [t for result in results for t in result], clients * requests / seconds


# ---------------------------------------------------------------------------- reference

def restore_and_run(model_dir, image):
    """The original app's request: new graph and session, import, restore, run, close."""
    checkpoint = tf.train.latest_checkpoint(model_dir)
    graph = tf.Graph()
    with graph.as_default(), tf.Session(graph=graph) as session:
        saver = tf.train.import_meta_graph(checkpoint + '.meta', clear_devices=True)
        saver.restore(session, checkpoint)
        return session.run(PROBABILITIES, {INPUT: image})


def reference_request(model_dirs, image):
    """{model: seconds} of one reference request for every model."""
    return {name: harness.timed(restore_and_run, model_dir, image)
            for name, model_dir in model_dirs.items()}


# ---------------------------------------------------------------------------- tables

def pieces_table(report, parent, names, images, flags):
    """Where a POST /predict for all models spends its time, timed in this process with
    the serving/ package's own functions; its models in one lane and in two."""
    from serving import api, models as serving_models  # the server's own loading
    from serving.runner import ModelRunner
    models = serving_models.load_models(parent, names, flags.precision)
    body = request_bodies(images, count=1)[0]
    payload = api.parse_json(body)
    pixels, _, _, _ = api.parse_predict_request(payload, names)
    batch = imageops.normalise_digit(pixels).reshape(1, -1)
    runner = ModelRunner(models)  # as the server runs them: one graph, one call
    answer = api.predict(runner, pixels, names, True, models)
    pieces = collections.OrderedDict([
        ('parse_json(body)', lambda: api.parse_json(body)),
        ('parse_predict_request(payload)', lambda: api.parse_predict_request(payload, names)),
        ('imageops.normalise_digit(pixels)', lambda: imageops.normalise_digit(pixels)),
        ('the %d models, each its own session, one after the other' % len(names),
         lambda: [model.predict(batch) for model in models.values()]),
        ('the %d models in one graph, one session call (ModelRunner)' % len(names),
         lambda: runner.run(names, batch)),
        ('predict(): normalise, models in one call, answer', lambda: (
            api.predict(runner, pixels, names, True, models))),
        ('json.dumps(answer) as send_json does', lambda: json.dumps(answer,
                                                                   separators=(',', ':'))),
    ])
    for piece in pieces.values():
        for _ in range(flags.warmup):
            piece()
    rounds = harness.interleaved({name: lambda piece=piece: harness.latencies(
        piece, flags.requests // 4) for name, piece in pieces.items()}, flags.rounds)
    runner.close()
    for model in models.values():
        model.close()
    rows = [[name, harness.median([t for r in times for t in r]) * 1000,
             harness.percentile([t for r in times for t in r], 95) * 1000]
            for name, times in rounds.items()]
    report.table('Inside one POST /predict for all models, timed in-process (predict_server.py\'s '
                 'functions and sessions)', ['piece', 'median ms', 'p95 ms'], rows,
                 notes=['Models as the server loads them (frozen graphs, --precision %s). Own '
                        'sessions: intra 1, inter -1; one graph: serving/merged.py, its ops on '
                        'a pool of as many threads as cores.' % flags.precision])


def startup_table(report, parent, names, bodies, flags):
    import_tensorflow = [sys.executable, '-c', 'import tensorflow.compat.v1']
    import_times = [harness.timed(lambda: subprocess.run(import_tensorflow,
                                                         env=harness.child_environment()))
                    for _ in range(flags.starts)]
    starts, loads = [], collections.defaultdict(list)
    for _ in range(flags.starts):
        server = Server(parent, '--precision', flags.precision)
        report.cpu.watch(server.process.pid)
        starts.append(server.first_answer(bodies[0]))
        for model in server.get('/models')['models']:
            if 'members' not in model:  # the ensemble loads nothing of its own
                loads[model['name']].append(model['load_seconds'])
        report.cpu.unwatch(server.process.pid)
        server.stop()
    report.raw['startup'] = {'seconds': starts, 'import_tensorflow': import_times,
                             'load_seconds': loads}
    rows = [['`python predict_server.py` → first answered POST /predict (all models)',
             harness.median(starts), min(starts), max(starts)],
            ['`python -c "import tensorflow.compat.v1"` alone', harness.median(import_times),
             min(import_times), max(import_times)]]
    rows += [['restore, freeze and warm-up of %s (GET /models load_seconds)' % name,
              harness.median(loads[name]), min(loads[name]), max(loads[name])] for name in names]
    report.table('Start-up, seconds (%d cold starts)' % flags.starts,
                 ['what', 'median s', 'min s', 'max s'], rows)


def latency_table(report, server, names, images, flags):
    all_bodies = request_bodies(images)
    scenarios = [('all %d models, 1 client, keep-alive' % len(names), all_bodies, 1, True),
                 ('all %d models, 8 clients, keep-alive' % len(names), all_bodies, 8, True),
                 ('all %d models, 1 client, new connection per request' % len(names),
                  all_bodies, 1, False),
                 ('all %d models, 8 clients, new connection per request' % len(names),
                  all_bodies, 8, False)]
    scenarios += [('%s only, 1 client, keep-alive' % name, request_bodies(images, [name]), 1, True)
                  for name in names]
    rows = []
    for title, bodies, clients, keep_alive in scenarios:
        load(server.port, bodies, clients, flags.warmup, keep_alive)
        times, rate = load(server.port, bodies, clients, max(1, flags.requests // clients),
                           keep_alive)
        report.raw[title] = times
        rows.append([title, len(times)] + [harness.percentile(times, q) * 1000
                                           for q in (50, 95, 99)] + [rate])
        print(title, flush=True)
    report.table('POST /predict on predict_server.py (loopback, http.client)',
                 ['requests', 'count', 'p50 ms', 'p95 ms', 'p99 ms', 'requests/s'], rows,
                 notes=['Latency = request sent to answer read, in the client. The clients '
                        'run in the benchmark process on the same 2 cores as the server.'])


def reference_table(report, server, model_dirs, images, flags):
    names = list(model_dirs)
    bodies = request_bodies(images)
    single = {name: request_bodies(images, [name]) for name in names}
    ours = collections.defaultdict(list)
    reference = collections.defaultdict(list)
    image = np.array(images[:1])
    restore_and_run(model_dirs[names[0]], image)  # warm: first session, first import
    for _ in range(flags.reference_rounds):
        ours['all'] += load(server.port, bodies, 1, flags.requests // 10, True)[0]
        for name in names:
            ours[name] += load(server.port, single[name], 1, flags.requests // 20, True)[0]
        request = reference_request(model_dirs, image)
        reference['all'].append(sum(request.values()))
        for name, seconds in request.items():
            reference[name].append(seconds)
    report.raw['reference'] = reference
    rows = []
    for key in ['all'] + names:
        ours_ms = harness.median(ours[key]) * 1000
        reference_ms = harness.median(reference[key]) * 1000
        rows.append(['all %d models' % len(names) if key == 'all' else key, ours_ms,
                     reference_ms, '%.0f×' % (reference_ms / ours_ms)])
    report.table('Against restoring on every request (the original app), median ms',
                 ['request for', 'predict_server.py p50 ms', 'restore per request p50 ms',
                  'speed-up'], rows,
                 notes=['Reference: in this process, per request and model: tf.Graph, '
                        'tf.Session(), import_meta_graph, restore, one run, close — no HTTP, '
                        'no JSON, which only flatters it. %d rounds, each one reference '
                        'request and %d + %d×%d server requests.' % (
                            flags.reference_rounds, flags.requests // 10, len(names),
                            flags.requests // 20)])


TABLES = ('startup', 'latency', 'reference', 'pieces')


def main():
    parser = harness.parser(__doc__, tables=TABLES, checkpoints=True, quick=dict(
        requests=40, warmup=3, starts=1, reference_rounds=1, rounds=2))
    parser.add_argument('--requests', type=int, default=400, help='timed requests per scenario')
    parser.add_argument('--warmup', type=int, default=20, help='untimed requests per client')
    parser.add_argument('--starts', type=int, default=5, help='cold starts for the start-up table')
    parser.add_argument('--reference_rounds', type=int, default=7,
                        help='reference requests (each for every model)')
    parser.add_argument('--rounds', type=int, default=5, help='rounds of the pieces table')
    parser.add_argument('--precision', default='auto', choices=precision.CHOICES,
                        help="the servers' --precision, and the pieces table's models'")
    flags = parser.parse_args()

    mnist = input_data.read_data_sets(flags.data_dir, one_hot=True, seed=0)
    images = mnist.validation.images
    parent, tiny = harness.model_dirs(flags.models, flags.model_dir, flags.data_dir)
    model_dirs = collections.OrderedDict((n, os.path.join(parent, n)) for n in flags.models)

    report = harness.Report('serving', flags)
    report.raw['tiny_checkpoints'] = tiny
    if 'startup' in flags.tables:
        startup_table(report, parent, flags.models, request_bodies(images, count=1), flags)
    if 'latency' in flags.tables or 'reference' in flags.tables:
        server = Server(parent, '--precision', flags.precision)
        report.cpu.watch(server.process.pid)
        try:
            server.first_answer(request_bodies(images, count=1)[0])
            if 'latency' in flags.tables:
                latency_table(report, server, flags.models, images, flags)
            if 'reference' in flags.tables:
                reference_table(report, server, model_dirs, images, flags)
        finally:
            report.cpu.unwatch(server.process.pid)
            server.stop()
    if 'pieces' in flags.tables:
        pieces_table(report, parent, flags.models, images, flags)
    report.finish()


if __name__ == '__main__':
    main()
