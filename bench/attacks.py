"""Attacks on the predict server, each with a polite client measured meanwhile: what
tests/test_attacks.py asserts (briefly, on tiny models) and what the README's Reliability
table quotes (this command, on the shipped models).

    python bench/attacks.py [--model_dir model] [--attacks slow_readers,...] [--seconds 10]

Every attack runs against its own `python predict_server.py` on 127.0.0.1 (loopback only)
and prints one line: the attack, then the polite client's share of 200 answers and its
latency, then the attack's own figures. The polite client sends POST /predict (all models)
on a fresh connection every POLITE_INTERVAL_S, one at a time.

Attacks (the issue's numbering):
  slow_readers  1  CONNECTIONS connections pipeline requests naming a 60 KB unknown model
                   and never read the answers
"""
import argparse
import collections
import http.client
import json
import os
import socket
import sys
import threading
import time

HOST = '127.0.0.1'
POLITE_INTERVAL_S = 0.02
POLITE_TIMEOUT_S = 30
CONNECTIONS = 64  # the server's default connection limit
# A digit-shaped body for POST /predict: a bar and a stem, 784 values in 0..1.
DIGIT = [1.0 if (4 <= row <= 5 and 9 <= col <= 20) or (row > 5 and col == 19 - row // 3)
         else 0.0 for row in range(28) for col in range(28)]
PREDICT_BODY = json.dumps(DIGIT).encode()


# ---------------------------------------------------------------------------- the polite client

class Polite(threading.Thread):
    """POST /predict on a fresh connection every POLITE_INTERVAL_S until stopped; records
    each answer's status (0: no answer at all) and latency."""

    def __init__(self, port):
        super().__init__(daemon=True)
        self.port, self.statuses, self.latencies = port, [], []
        self.errors = collections.Counter()  # the start of each error, or the exception
        self.stopping = threading.Event()

    def run(self):
        while not self.stopping.is_set():
            started = time.perf_counter()
            connection = http.client.HTTPConnection(HOST, self.port, timeout=POLITE_TIMEOUT_S)
            try:
                connection.request('POST', '/predict', PREDICT_BODY,
                                   {'Content-Type': 'application/json'})
                response = connection.getresponse()
                answer = response.read()
                status = response.status
                if status != 200:
                    self.errors[json.loads(answer).get('error', '')[:40]] += 1
            except (OSError, http.client.HTTPException, ValueError) as error:
                status = 0
                self.errors[type(error).__name__] += 1
            finally:
                connection.close()
            self.latencies.append(time.perf_counter() - started)
            self.statuses.append(status)
            self.stopping.wait(POLITE_INTERVAL_S)

    def stop(self):
        self.stopping.set()
        self.join(POLITE_TIMEOUT_S + 5)

    def summary(self):
        latencies = sorted(self.latencies) or [float('nan')]
        count = max(len(self.statuses), 1)
        return {'requests': len(self.statuses),
                'ok_share': self.statuses.count(200) / count,
                'statuses': dict(collections.Counter(self.statuses)),
                'errors': dict(self.errors),
                'p50_ms': 1000 * latencies[len(latencies) // 2],
                'p99_ms': 1000 * latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))]}


def under_attack(port, attack, seconds, **options):
    """Run `attack(port, stop_event, **options)` in threads of its own while a polite client
    measures; returns {'polite': summary, 'attack': what the attack returned}."""
    stopping = threading.Event()
    outcome = {}
    attacker = threading.Thread(target=lambda: outcome.update(attack(port, stopping, **options)),
                                daemon=True)
    attacker.start()
    time.sleep(min(1.0, seconds / 4))  # the attack takes hold first
    polite = Polite(port)
    polite.start()
    time.sleep(seconds)
    polite.stop()
    stopping.set()
    attacker.join(30)
    return {'polite': polite.summary(), 'attack': outcome}


# ---------------------------------------------------------------------------- 1. slow readers

def slow_readers(port, stopping, connections=CONNECTIONS, name_bytes=60000, pipelined=50):
    """Connections that pipeline requests whose 404 would once have quoted a 60 KB model
    name, never reading a byte; each reconnects when the server hangs up on it."""
    request = (b'POST /v1/models/%s:predict HTTP/1.1\r\nHost: %s\r\nContent-Length: 2\r\n\r\n{}'
               % (b'x' * name_bytes, HOST.encode()))
    sent, reconnects = [0] * connections, [0] * connections

    def reader_that_never_reads(index):
        while not stopping.is_set():
            try:
                with socket.create_connection((HOST, port), timeout=1) as sock:
                    while not stopping.is_set():
                        sock.sendall(request * pipelined)
                        sent[index] += pipelined
            except OSError:  # hung up on, or the send timed out on full buffers
                reconnects[index] += 1
                stopping.wait(0.01)
    threads = [threading.Thread(target=reader_that_never_reads, args=(i,), daemon=True)
               for i in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return {'connections': connections, 'requests_sent': sum(sent),
            'reconnects': sum(reconnects)}


ATTACKS = collections.OrderedDict([
    ('slow_readers', (slow_readers, '64 connections pipeline requests naming a 60 KB model, '
                                    'never reading')),
])


# ---------------------------------------------------------------------------- main

def describe(name, result):
    polite = result['polite']
    return '%-14s polite: %5.1f%% 200 of %d (statuses %s), p50 %.1f ms, p99 %.1f ms; attack: %s' % (
        name, 100 * polite['ok_share'], polite['requests'], polite['statuses'],
        polite['p50_ms'], polite['p99_ms'], json.dumps(result['attack'], sort_keys=True))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0],
                                     formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    parser.add_argument('--model_dir', default='model', help='the models the server serves')
    parser.add_argument('--attacks', default=','.join(ATTACKS),
                        help='comma-separated, from: %s' % ', '.join(ATTACKS))
    parser.add_argument('--seconds', type=float, default=10, help='polite client time per attack')
    flags = parser.parse_args()
    unknown = [name for name in flags.attacks.split(',') if name not in ATTACKS]
    if unknown:
        parser.error('unknown attack %s; choose from %s' % (unknown[0], ', '.join(ATTACKS)))
    from server_process import Server  # starts predict_server.py as the benchmarks do
    for name in flags.attacks.split(','):
        attack, _ = ATTACKS[name]
        server = Server(flags.model_dir)
        try:
            server.first_answer(PREDICT_BODY)
            print(describe(name, under_attack(server.port, attack, flags.seconds)), flush=True)
        finally:
            server.stop()


if __name__ == '__main__':
    sys.exit(main())
