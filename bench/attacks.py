"""Attacks on the predict server, each with a polite client measured meanwhile: what
tests/test_attacks.py asserts (briefly, on tiny models) and what the README's Reliability
table quotes (this command, on the shipped models).

    python bench/attacks.py [--model_dir model] [--attacks slow_readers,...] [--seconds 10]

Every attack runs against its own `python predict_server.py` on 127.0.0.1 (loopback only)
and prints one line: the attack, then the polite client's share of 200 answers and its
latency, then the attack's own figures. The polite client sends POST /predict (all models)
on a fresh connection every POLITE_INTERVAL_S, one at a time.

Attacks (the issue's numbering):
  none          0  no attack: the polite client's normal latency, for reference
  busy_core     0  no requests, a process spinning on one core: the share of an attack's
                   effect that is only its process taking a core of this machine
  slow_readers  1  CONNECTIONS connections pipeline requests naming a 60 KB unknown model
                   and never read the answers
  framing       2  ambiguous framings, each with a request smuggled in its body (a probe:
                   no polite client)
  big_headers   3  CONNECTIONS connections each send 99 headers of 65,000 bytes, again and
                   again
  big_batches   4  16 connections each send 8 MB TF Serving batches, again and again
  empty_lists   4  16 connections each send 8 MB of {"instances": [[],[],...]}
  slow_bodies   4  12 connections declare 8 MB batch bodies and send a byte a second; the
                   polite client sends a 392 KB batch (50 images) instead of /predict
  refused_body  4  a 20 MB batch sent whole by http.client: its 413, or a broken pipe (probe)
  overflow      5  a TF Serving batch of 3e38s, whose scores overflow (probe)
  signals       7  SIGINT, then (a new server) SIGTERM, while 18 clients send requests:
                   what the requests sent before it got, the exit status and its time
  hammer        8  CONNECTIONS - 1 keep-alive clients (and the polite one) send POST /predict
                   as fast as they can: requests that got no answer at all
  hosts         8  GET /health naming another Host (DNS rebinding), and this one (probe)
  export_race   8  two `python export_savedmodel.py --model nn` started 0.1 s apart into one
                   export directory: exit statuses and versions (probe; no server)
  damaged       5, 6  a model root of copies of --model_dir/nn, each damaged one way (see
                   DAMAGES) and one with NaN in its model.json: what start-up skips and
                   says, what GET /models answers (probe; its own server)
The server's memory (VmRSS) is sampled throughout: before, peak and after.
"""
import argparse
import collections
import http.client
import json
import glob
import multiprocessing
import os
import queue
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

HOST = '127.0.0.1'
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
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

    def __init__(self, port, path='/predict', body=PREDICT_BODY):
        super().__init__(daemon=True)
        self.port, self.path, self.body = port, path, body
        self.statuses, self.latencies = [], []
        self.errors = collections.Counter()  # the start of each error, or the exception
        self.stopping = threading.Event()

    def run(self):
        while not self.stopping.is_set():
            started = time.perf_counter()
            connection = http.client.HTTPConnection(HOST, self.port, timeout=POLITE_TIMEOUT_S)
            try:
                connection.request('POST', self.path, self.body,
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


def rss_mb(pid):
    """The process's resident memory (VmRSS), in MB."""
    with open('/proc/%d/status' % pid) as f:
        for line in f:
            if line.startswith('VmRSS:'):
                return int(line.split()[1]) / 1024
    return float('nan')


class MemoryWatch(threading.Thread):
    """Samples a process's VmRSS every 20 ms until stopped: before, peak, after."""

    def __init__(self, pid):
        super().__init__(daemon=True)
        self.pid, self.samples = pid, [rss_mb(pid)]
        self.stopping = threading.Event()
        self.start()

    def run(self):
        while not self.stopping.wait(0.02):
            self.samples.append(rss_mb(self.pid))

    def stop(self):
        self.stopping.set()
        self.join()
        return {'rss_before_mb': round(self.samples[0]), 'rss_peak_mb': round(max(self.samples)),
                'rss_after_mb': round(rss_mb(self.pid))}


def in_threads(target, count):
    """target(index) for index in range(count), each in a thread; returns when all have."""
    threads = [threading.Thread(target=target, args=(index,), daemon=True)
               for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def under_attack(port, attack, seconds, pid=None, polite=None, **options):
    """Run `attack(port, stop_event, **options)` in a process of its own while a polite client
    measures (and, given the server's pid, its memory is watched); returns {'polite':
    summary, 'attack': what the attack returned, 'memory': before/peak/after}. `polite`:
    (path, body) instead of POST /predict. The attack's dozens of threads would hold this
    process's interpreter lock most of the time: in their own process they cost the polite
    client only what they cost the server's machine, as a real attacker's would."""
    processes = multiprocessing.get_context('spawn')
    stopping, results = processes.Event(), processes.Queue()
    attacker = processes.Process(target=attack_process,
                                 args=(attack, port, stopping, results, options), daemon=True)
    attacker.start()
    memory = MemoryWatch(pid) if pid else None
    time.sleep(min(1.0, seconds / 4))  # the attack takes hold first
    polite = Polite(port, *(polite or ()))
    polite.start()
    time.sleep(seconds)
    polite.stop()
    stopping.set()
    try:
        outcome = results.get(timeout=30)
    except queue.Empty:
        outcome = {'error': 'the attack did not stop within 30 s'}
    attacker.join(5)
    if attacker.is_alive():
        attacker.terminate()
    time.sleep(0.5)  # what is freed once the attack stops
    return {'polite': polite.summary(), 'attack': outcome,
            'memory': memory.stop() if memory else {}}


def attack_process(attack, port, stopping, results, options):
    """The attacking process: the attack's figures, put on `results` when it stops."""
    results.put(attack(port, stopping, **options))


def exchange(port, data, timeout=10):
    """Everything the server sends back to raw request bytes, sent then end-of-file."""
    received = b''
    with socket.create_connection((HOST, port), timeout=timeout) as sock:
        try:
            sock.sendall(data)
            sock.shutdown(socket.SHUT_WR)
            while True:
                chunk = sock.recv(1 << 16)
                if not chunk:
                    break
                received += chunk
        except OSError:  # reset: what came before it still counts
            pass
    return received


def statuses(answers):
    """The status of each answer in a byte stream of them."""
    return [int(status) for status in re.findall(rb'HTTP/1\.1 (\d{3}) ', answers)]


# ---------------------------------------------------------------------------- 0. no attack

def no_attack(port, stopping):
    """Nothing: the polite client alone, whose latency is what the others' is compared with."""
    stopping.wait()
    return {}


def busy_core(port, stopping):
    """No requests, one core kept busy: what the slow readers' process costs the polite
    client by taking a core of the machine the server shares with it (a remote attacker's
    would not), without a byte sent to the server."""
    spins = 0
    while not stopping.is_set():
        spins += 1
    return {'spins': spins}


# ---------------------------------------------------------------------------- 1. slow readers

def slow_readers(port, stopping, connections=CONNECTIONS, name_bytes=60000, pipelined=50):
    """Connections that pipeline requests naming a 60 KB model (once answered with a 404
    quoting it; now a 414, the line being over 8 KB), never reading a byte; each
    reconnects when the server hangs up on it."""
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
    in_threads(reader_that_never_reads, connections)
    return {'connections': connections, 'requests_sent': sum(sent),
            'reconnects': sum(reconnects)}


# ---------------------------------------------------------------------------- 2. framing

SMUGGLED = b'GET /models HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n'
# Header lines that leave where the body ends (or whether there is one) open to reading;
# LENGTH stands for the smuggled request's length. Each is sent after a GET line.
LENGTH = b'%d' % len(SMUGGLED)
FRAMINGS = collections.OrderedDict([
    ('two lengths', [b'Content-Length: 0', b'Content-Length: ' + LENGTH]),
    ('two equal lengths', [b'Content-Length: ' + LENGTH] * 2),
    ('space before the colon', [b'Content-Length : ' + LENGTH]),
    ('tab before the colon', [b'Content-Length\t: ' + LENGTH]),
    ('a line without a colon', [b'X-No-Colon', b'Content-Length: ' + LENGTH]),
    ('a NUL before the length', [b'X-Nul: \x00', b'Content-Length: ' + LENGTH]),
    ('a folded length', [b'X-Folded: a', b' Content-Length: ' + LENGTH]),
    ('a body on a GET', [b'Content-Length: ' + LENGTH]),
])


def framing(port):
    """Each of FRAMINGS once on a fresh connection: {name: statuses of the answers}; the
    only right one is [400], and the smuggled GET /models never answered."""
    results = collections.OrderedDict()
    for name, lines in FRAMINGS.items():
        head = b'\r\n'.join([b'GET /health HTTP/1.1', b'Host: 127.0.0.1'] + lines)
        answers = exchange(port, head + b'\r\n\r\n' + SMUGGLED)
        results[name] = statuses(answers) + (['smuggled answered'] if b'"models":[{' in answers
                                             else [])
    return results


# ---------------------------------------------------------------------------- 3. headers

def big_headers(port, stopping, connections=CONNECTIONS, count=99, size=65000):
    """Connections each sending `count` headers of `size` bytes, then reading the answer;
    again and again."""
    head = (b'GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n'
            + b''.join(b'X-Big-%d: %s\r\n' % (i, b'h' * size) for i in range(count)) + b'\r\n')
    answered = collections.Counter()

    def sender():
        while not stopping.is_set():
            answered[tuple(statuses(exchange(port, head))) or 'none'] += 1
    in_threads(lambda index: sender(), connections)
    return {'connections': connections, 'request_mb': round(len(head) / 2 ** 20, 1),
            'answers': {str(key): value for key, value in answered.items()}}


# ---------------------------------------------------------------------------- 4. batches

BATCH_PATH = '/v1/models/nn:predict'


def batch_body(images, digits=8):
    """{"instances": [...]} of `images` copies of DIGIT, each value written with `digits`
    decimals (0.12345678: an 8 MB body holds about 900 images)."""
    image = b'[' + b','.join(b'%.*f' % (digits, value * 0.987654321) for value in DIGIT) + b']'
    return b'{"instances":[' + b','.join([image] * images) + b']}'


def senders(port, stopping, connections, body, path=BATCH_PATH):
    """`connections` threads each POSTing `body` to `path` on a fresh connection, again and
    again: {status or exception: count}."""
    answered = collections.Counter()

    def sender():
        while not stopping.is_set():
            connection = http.client.HTTPConnection(HOST, port, timeout=POLITE_TIMEOUT_S)
            try:
                connection.request('POST', path, body)
                response = connection.getresponse()
                response.read()
                answered[response.status] += 1
            except (OSError, http.client.HTTPException) as error:
                answered[type(error).__name__] += 1
            finally:
                connection.close()
    in_threads(lambda index: sender(), connections)
    return {'connections': connections, 'body_mb': round(len(body) / 2 ** 20, 1),
            'answers': {str(key): value for key, value in answered.items()}}


def big_batches(port, stopping, connections=16, megabytes=8):
    """Batches of as many images as `megabytes` holds."""
    per_image = len(batch_body(2)) - len(batch_body(1))
    images = (megabytes * 2 ** 20 - len(batch_body(1))) // per_image + 1
    return senders(port, stopping, connections, batch_body(images))


def empty_lists(port, stopping, connections=16, megabytes=8):
    lists = b','.join([b'[]'] * ((megabytes * 2 ** 20 - 16) // 3))  # just under the limit
    return senders(port, stopping, connections, b'{"instances":[' + lists + b']}')


def slow_bodies(port, stopping, connections=12, megabytes=8):
    """Connections that declare a large batch body and send a byte a second of it;
    each reconnects when the server hangs up on it."""
    head = (b'POST %s HTTP/1.1\r\nHost: %s\r\nContent-Length: %d\r\n\r\n'
            % (BATCH_PATH.encode(), HOST.encode(), megabytes << 20))
    hung_up = [0]

    def trickler():
        while not stopping.is_set():
            try:
                with socket.create_connection((HOST, port), timeout=5) as sock:
                    sock.sendall(head)
                    while not stopping.wait(1.0):
                        sock.sendall(b'[')
            except OSError:
                hung_up[0] += 1
    in_threads(lambda index: trickler(), connections)
    return {'connections': connections, 'hung_up': hung_up[0]}


def refused_body(port, megabytes=20):
    """A batch over the 8 MB limit sent whole, as http.client sends it, before reading."""
    connection = http.client.HTTPConnection(HOST, port, timeout=POLITE_TIMEOUT_S)
    try:
        connection.request('POST', BATCH_PATH, b'[' * (megabytes << 20))
        response = connection.getresponse()
        return {'status': response.status, 'error': json.loads(response.read())['error']}
    except (OSError, http.client.HTTPException) as error:
        return {'status': None, 'error': type(error).__name__}
    finally:
        connection.close()


# ---------------------------------------------------------------------------- 5. strict JSON

def overflow(port):
    """A batch whose values overflow float32 arithmetic: its status and error."""
    body = json.dumps({'instances': [[3e38] * len(DIGIT)]}).encode()
    connection = http.client.HTTPConnection(HOST, port, timeout=POLITE_TIMEOUT_S)
    try:
        connection.request('POST', BATCH_PATH, body)
        response = connection.getresponse()
        return {'status': response.status, 'answer': response.read().decode()[:200]}
    finally:
        connection.close()


# ---------------------------------------------------------------------------- 6. damaged models

def fifo(path):
    os.remove(path)
    os.mkfifo(path)


def write(path, data):
    os.remove(path)
    with open(path, 'wb') as f:
        f.write(data)


def symlink_loop(path):
    os.remove(path)
    os.symlink(os.path.basename(path), path)


def first_shard(directory):
    return sorted(glob.glob(os.path.join(directory, '*.data-*')))[0]


# name → damage(model directory), done to a copy of a good model.
DAMAGES = collections.OrderedDict([
    ('empty_checkpoint', lambda d: write(os.path.join(d, 'checkpoint'), b'')),
    ('garbage_checkpoint', lambda d: write(os.path.join(d, 'checkpoint'),
                                           bytes(range(256)) * 4)),
    ('latin1_checkpoint', lambda d: write(os.path.join(d, 'checkpoint'),
                                          b'model_checkpoint_path: "caf\xe9"\n')),
    ('missing_step', lambda d: write(os.path.join(d, 'checkpoint'),
                                     b'model_checkpoint_path: "model.ckpt-999999"\n')),
    ('looping_checkpoint', lambda d: symlink_loop(os.path.join(d, 'checkpoint'))),
    ('fifo_data', lambda d: fifo(first_shard(d))),
    ('fifo_model_json', lambda d: fifo(os.path.join(d, 'model.json'))),
])
NAN_METADATA = 'nan_metadata'  # served: its model.json says NaN


def damaged_models(good_model, root):
    """root/good (a copy of `good_model`), root/NAME damaged for each of DAMAGES, and
    root/nan_metadata whose model.json holds NaN and Infinity."""
    for name in ['good', NAN_METADATA] + list(DAMAGES):
        shutil.copytree(good_model, os.path.join(root, name), symlinks=True)
        if name in DAMAGES:
            DAMAGES[name](os.path.join(root, name))
    with open(os.path.join(root, NAN_METADATA, 'model.json'), 'w') as f:
        f.write('{"test_accuracy": NaN, "global_step": Infinity, "date": [NaN]}')


# ---------------------------------------------------------------------------- 7. signals

def signal_under_load(process, port, signum, clients=18, before_s=1.5):
    """`clients` threads each sending POST /predict on fresh connections; after `before_s`
    the server `process` (a Popen) gets `signum`. Returns what the requests begun before the
    signal got, what those begun after got, the exit status and seconds to exit."""
    stopping = threading.Event()
    outcomes = []  # (started, status or exception name)

    def client(index):
        while not stopping.is_set():
            started = time.monotonic()
            connection = http.client.HTTPConnection(HOST, port, timeout=POLITE_TIMEOUT_S)
            try:
                connection.request('POST', '/predict', PREDICT_BODY)
                response = connection.getresponse()
                response.read()
                outcomes.append((started, response.status))
            except (OSError, http.client.HTTPException) as error:
                outcomes.append((started, type(error).__name__))
                if isinstance(error, ConnectionRefusedError):
                    return  # the server has stopped accepting
            finally:
                connection.close()
    threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(clients)]
    for thread in threads:
        thread.start()
    time.sleep(before_s)
    signalled = time.monotonic()
    process.send_signal(signum)
    try:
        status = process.wait(timeout=60)
    except Exception:  # subprocess.TimeoutExpired
        status = None
    exited_s = time.monotonic() - signalled
    stopping.set()
    for thread in threads:
        thread.join(POLITE_TIMEOUT_S)
    # Begun well before the signal: in flight, owed an answer. After it: refused or reset.
    before = collections.Counter(str(got) for started, got in outcomes
                                 if started < signalled - 0.05)
    after = collections.Counter(str(got) for started, got in outcomes if started >= signalled)
    return {'signal': signal.Signals(signum).name, 'exit_status': status,
            'exit_s': round(exited_s, 2), 'begun_before': dict(before),
            'begun_after': dict(after)}


# ---------------------------------------------------------------------------- 8. smaller

def hammer(port, stopping, connections=CONNECTIONS - 1):
    """Keep-alive clients sending POST /predict back to back (with the polite client, as
    many as the server's limit): {status or error: count}; an error is a request that got
    no answer."""
    outcomes = collections.Counter()

    def client(index):
        connection = http.client.HTTPConnection(HOST, port, timeout=POLITE_TIMEOUT_S)
        while not stopping.is_set():
            try:
                connection.request('POST', '/predict', PREDICT_BODY)
                response = connection.getresponse()
                response.read()
                outcomes[response.status] += 1
                if response.getheader('Connection') == 'close':
                    connection.close()  # http.client reconnects on the next request
            except (OSError, http.client.HTTPException) as error:
                outcomes[type(error).__name__] += 1
                connection.close()
        connection.close()
    in_threads(client, connections)
    return {'connections': connections,
            'answers': {str(key): value for key, value in outcomes.items()}}


def hosts(port):
    """The status of GET /health for each Host a request may name."""
    results = collections.OrderedDict()
    for host in ('evil.example', 'evil.example:%d' % port, '127.0.0.1:%d' % port,
                 'localhost:%d' % port, '[::1]:%d' % port):
        answer = exchange(port, b'GET /health HTTP/1.1\r\nHost: %s\r\n\r\n' % host.encode())
        results[host] = statuses(answer)[0]
    return results


def export_race(model_dir, export_root, delay_s=0.1):
    """Two exports of model_dir into export_root/NAME started `delay_s` apart: each one's
    exit status and last line, and the versions written."""
    command = [sys.executable, os.path.join(ROOT, 'export_savedmodel.py'), '--model',
               os.path.basename(model_dir), '--model_root', os.path.dirname(model_dir),
               '--export_root', export_root]
    runs = []
    for _ in range(2):
        runs.append(subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT, text=True))
        time.sleep(delay_s)
    results = []
    for run in runs:
        output, _ = run.communicate(timeout=300)
        results.append((run.returncode, (output.strip().splitlines() or [''])[-1][-120:]))
    exported = os.path.join(export_root, os.path.basename(model_dir))
    return {'runs': results, 'versions': sorted(name for name in os.listdir(exported)
                                                if not name.startswith('.'))}


# Under load: run while a polite client measures. Probes: function(port), run alone.
ATTACKS = collections.OrderedDict([
    ('none', no_attack), ('busy_core', busy_core), ('slow_readers', slow_readers),
    ('big_headers', big_headers), ('big_batches', big_batches), ('empty_lists', empty_lists),
    ('slow_bodies', slow_bodies), ('hammer', hammer)])
# The polite client of an attack, when not POST /predict: (path, body).
POLITE = {'slow_bodies': (BATCH_PATH, batch_body(50, digits=7))}
PROBES = collections.OrderedDict([('framing', framing), ('refused_body', refused_body),
                                  ('overflow', overflow), ('hosts', hosts)])


# ---------------------------------------------------------------------------- main

def describe(name, result):
    polite = result['polite']
    return ('%-14s polite: %5.1f%% 200 of %d (statuses %s), p50 %.1f ms, p99 %.1f ms; '
            'memory %s; attack: %s' % (
                name, 100 * polite['ok_share'], polite['requests'], polite['statuses'],
                polite['p50_ms'], polite['p99_ms'], json.dumps(result['memory']),
                json.dumps(result['attack'], sort_keys=True)))


def damaged_start(model_dir, Server):
    """Start-up on damaged_models(model_dir/nn): seconds to the first answer, the lines
    that say what was skipped, and GET /models."""
    with tempfile.TemporaryDirectory() as root:
        damaged_models(os.path.join(model_dir, 'nn'), root)
        server = Server(root)
        try:
            seconds = server.first_answer(PREDICT_BODY)
            models = server.get('/models')
        finally:
            server.stop()  # closes its log: read it first
        return {'startup_s': round(seconds, 1), 'skipped': server.lines('Skipped'),
                'models': [(m['name'], m['test_accuracy'], m['global_step'])
                           for m in models['models']]}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0],
                                     formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    parser.add_argument('--model_dir', default='model', help='the models the server serves')
    names = list(ATTACKS) + list(PROBES) + ['signals', 'damaged', 'export_race']
    parser.add_argument('--attacks', default=','.join(names),
                        help='comma-separated, from: %s' % ', '.join(names))
    parser.add_argument('--seconds', type=float, default=10, help='polite client time per attack')
    flags = parser.parse_args()
    unknown = [name for name in flags.attacks.split(',') if name not in names]
    if unknown:
        parser.error('unknown attack %s; choose from %s' % (unknown[0], ', '.join(names)))
    from server_process import Server  # starts predict_server.py as the benchmarks do
    for name in flags.attacks.split(','):
        if name == 'export_race':
            with tempfile.TemporaryDirectory() as export_root:
                print('%-14s %s' % (name, json.dumps(export_race(
                    os.path.join(flags.model_dir, 'nn'), export_root))), flush=True)
            continue
        if name == 'damaged':
            print('%-14s %s' % (name, json.dumps(damaged_start(flags.model_dir, Server))))
            continue
        if name == 'signals':
            for signum in (signal.SIGINT, signal.SIGTERM):
                server = Server(flags.model_dir)
                server.first_answer(PREDICT_BODY)
                result = signal_under_load(server.process, server.port, signum)
                server.stop()
                result['tracebacks'] = len(server.lines('Traceback'))
                print('%-14s %s' % (name, json.dumps(result)), flush=True)
            continue
        server = Server(flags.model_dir)
        try:
            server.first_answer(PREDICT_BODY)
            if name in PROBES:
                print('%-14s %s' % (name, json.dumps(PROBES[name](server.port))), flush=True)
            else:
                print(describe(name, under_attack(server.port, ATTACKS[name], flags.seconds,
                                                  pid=server.process.pid,
                                                  polite=POLITE.get(name))), flush=True)
        finally:
            server.stop()


if __name__ == '__main__':
    sys.exit(main())
