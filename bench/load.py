"""Load: many clients at once on predict_server.py, every request for all seven models.

    python bench/load.py [--clients 16] [--requests 1000] [--model_dir model] [--quick]

Starts `python predict_server.py` on 127.0.0.1 (a free port) serving every model (those
missing from --model_dir are trained for 50 steps first; speed does not depend on
training), then --clients threads of this process each send --requests POST /predict on
one keep-alive connection, all at once, after --warmup untimed ones. The bodies are
--digits real MNIST test digits (bare arrays of 784 values in 0..1, so the server also
normalises each one, its default), taken in turn.

Every answer is checked: status 200, and each model's digit the same as a lone request
for that body got before the load began. Anything else, or a failed connection, is an
error; there must be none (the exit status is 1 otherwise).

Reports throughput, latency percentiles (request sent to answer read, in the client) and
errors, with the load average before and after; writes bench/results/load.{json,md}.
Before measuring it waits for the 1-minute load average to drop below --max_load
(polling every 30 s, at most --max_wait s), and otherwise measures anyway and says so.
"""
import http.client
import json
import os
import sys
import threading
import time

import harness  # first: puts the project on the path, quietens TensorFlow's C++ logs

from graphs import input_data
# One way to start the server, to write its request bodies and to ask it.
from server_process import HOST, SERVER_START_TIMEOUT_S, Server, post, request_bodies

CLIENT_TIMEOUT_S = 60


def test_digits(data_dir, count):
    """The first `count` test digits as JSON bodies, and their labels. Read from the IDX
    files directly: nothing is ever downloaded."""
    paths = [os.path.join(data_dir, name) for name in ('t10k-images-idx3-ubyte.gz',
                                                       't10k-labels-idx1-ubyte.gz')]
    missing = [path for path in paths if not os.path.exists(path)]
    if missing:
        sys.exit('error: %s not found (set --data_dir or MNIST_DATA_DIR)' % missing[0])
    images = input_data.read_images(paths[0])[:count].reshape(count, 784) / 255.0
    labels = input_data.read_labels(paths[1])[:count]
    return request_bodies(images, count=count), [int(label) for label in labels]


# ---------------------------------------------------------------------------- clients

def predictions(answer):
    """{model: digit} of a parsed /predict answer."""
    return {model['name']: model['prediction'] for model in answer['models']}


class Client(threading.Thread):
    """One keep-alive connection sending `requests` bodies, in turn from `offset`; records
    each latency, the server's own milliseconds, and every error."""

    def __init__(self, port, bodies, expected, offset, warmup, requests, barrier):
        super().__init__(daemon=True)
        self.port, self.bodies, self.expected = port, bodies, expected
        self.offset, self.warmup, self.requests, self.barrier = offset, warmup, requests, barrier
        self.latencies, self.server_ms, self.errors = [], [], []

    def run(self):
        connection = http.client.HTTPConnection(HOST, self.port, timeout=CLIENT_TIMEOUT_S)
        try:
            for index in range(self.warmup):
                self.request(connection, index, timed=False)
            self.barrier.wait()
            for index in range(self.requests):
                self.request(connection, index, timed=True)
        except threading.BrokenBarrierError:
            self.errors.append('another client failed before the start')
        finally:
            connection.close()

    def request(self, connection, index, timed):
        which = (self.offset + index) % len(self.bodies)
        started = time.perf_counter()
        try:
            status, answer = post(connection, self.bodies[which])
        except (OSError, http.client.HTTPException) as error:
            self.errors.append('connection: %r' % error)
            connection.close()  # http.client opens a new one on the next request
            return
        if timed:
            self.latencies.append(time.perf_counter() - started)
        if status != 200:
            self.errors.append('status %d: %r' % (status, answer[:200]))
        else:
            try:
                parsed = json.loads(answer)
                answered = predictions(parsed)
                if answered != self.expected[which]:
                    self.errors.append('digit %d: answered %s, alone %s' % (
                        which, answered, self.expected[which]))
                elif timed:
                    self.server_ms.append(parsed['milliseconds'])
            except (ValueError, KeyError, TypeError) as error:
                self.errors.append('answer: %r' % error)


def lone_answers(server, bodies):
    """{model: digit} for each body, asked alone: what every answer under load must match."""
    expected = []
    for body in bodies:
        connection = http.client.HTTPConnection(HOST, server.port, timeout=CLIENT_TIMEOUT_S)
        status, answer = post(connection, body)
        connection.close()
        if status != 200:
            raise RuntimeError('POST /predict answered %d: %r' % (status, answer[:200]))
        expected.append(predictions(json.loads(answer)))
    return expected


def run_load(server, bodies, expected, flags):
    barrier = threading.Barrier(flags.clients + 1)
    clients = [Client(server.port, bodies, expected, offset * 7, flags.warmup, flags.requests,
                      barrier) for offset in range(flags.clients)]
    for client in clients:
        client.start()
    try:
        barrier.wait(timeout=SERVER_START_TIMEOUT_S)
    except threading.BrokenBarrierError:
        pass
    started = time.perf_counter()
    for client in clients:
        client.join()
    seconds = time.perf_counter() - started
    return clients, seconds


# ---------------------------------------------------------------------------- main

def main():
    parser = harness.parser(__doc__, checkpoints=True,
                            quick=dict(clients=4, requests=20, warmup=2))
    parser.set_defaults(max_wait=1800)  # at most half an hour of waiting for quiet
    parser.add_argument('--clients', type=int, default=16, help='concurrent clients')
    parser.add_argument('--requests', type=int, default=1000, help='timed requests per client')
    parser.add_argument('--warmup', type=int, default=10, help='untimed requests per client')
    parser.add_argument('--digits', type=int, default=32, help='distinct test digits sent')
    flags = parser.parse_args()

    bodies, labels = test_digits(flags.data_dir, flags.digits)
    parent, tiny = harness.model_dirs(flags.models, flags.model_dir, flags.data_dir)
    report = harness.Report('load', flags)  # waits for a quiet machine
    server = Server(parent)
    report.cpu.watch(server.process.pid)
    try:
        server.first_answer(bodies[0])  # up and answering
        models = [model['name'] for model in server.get('/models')['models']]
        expected = lone_answers(server, bodies)
        clients, seconds = run_load(server, bodies, expected, flags)
        load_after = harness.load_average()
        report.cpu.unwatch(server.process.pid)
    finally:
        server.stop()

    latencies = [t for client in clients for t in client.latencies]
    server_ms = [t for client in clients for t in client.server_ms]
    errors = [error for client in clients for error in client.errors]
    total = flags.clients * flags.requests
    correct = sum(answered[name] == label for answered, label in zip(expected, labels)
                  for name in models) / (len(bodies) * len(models))
    report.raw.update({'latencies_s': latencies, 'errors': errors[:100],
                       'load_average_after': load_after, 'tiny_checkpoints': tiny})
    row = [flags.clients, total, len(latencies), round(seconds, 1), len(latencies) / seconds]
    row += [harness.percentile(latencies, q) * 1000 if latencies else float('nan')
            for q in (50, 95, 99, 100)]
    row += [len(errors)]
    report.table(
        'POST /predict, all %d models, %d clients × %d requests, keep-alive' % (
            len(models), flags.clients, flags.requests),
        ['clients', 'requests', 'answered', 'seconds', 'requests/s', 'p50 ms', 'p95 ms',
         'p99 ms', 'max ms', 'errors'], [row],
        notes=['Models: %s%s.' % (', '.join(models), ' (%s: 50-step checkpoints)' %
                                  ', '.join(tiny) if tiny else ''),
               'Bodies: the first %d MNIST test digits, bare arrays of 784 values (server-side '
               'normalisation on); the models agree with the labels on %.0f%% of them.' % (
                   len(bodies), 100 * correct),
               'Latency = request sent to answer read, in the client; the server itself '
               'reports a median of %.1f ms per request (p95 %.1f ms) for all models.' % (
                   harness.median(server_ms), harness.percentile(server_ms, 95))
               if server_ms else 'No answer was timed.',
               'Clients are threads of the benchmark process, on the same cores as the '
               'server. 1-minute load average %.2f before, %.2f after.' % (
                   report.load_before, load_after)])
    report.finish()
    if errors:
        print('%d errors, the first: %s' % (len(errors), errors[:5]), file=sys.stderr)
        sys.exit(1)


if __name__ == '__main__':
    main()
