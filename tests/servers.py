"""Helpers for tests that run servers: a script in a child process whose output is
drained by a thread, tiny trained models, and one-request HTTP calls."""
import atexit
import http.client
import json
import os
import queue
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time

import numpy as np

from conftest import ROOT, train

SERVER_START_TIMEOUT_S = 120
TENSORBOARD_LOAD_TIMEOUT_S = 120


class ServerProcess:
    """predict_server.py (or any script that prints a URL when ready) in a child process;
    a thread drains its output so the pipe can never fill up and block it."""

    def __init__(self, args, ready_prefix='Serving'):
        self.process = subprocess.Popen([sys.executable, '-u'] + list(args), cwd=ROOT,
                                        stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                        text=True)
        self.lines = []
        self._lines = queue.Queue()
        threading.Thread(target=self._drain, daemon=True).start()
        self.url = self._wait_for(ready_prefix)
        self.port = int(self.url.rsplit(':', 1)[1])

    def _drain(self):
        for line in self.process.stdout:
            self.lines.append(line.rstrip())
            self._lines.put(line)
        self._lines.put(None)

    def _wait_for(self, prefix):
        deadline = time.time() + SERVER_START_TIMEOUT_S
        while time.time() < deadline:
            try:
                line = self._lines.get(timeout=1)
            except queue.Empty:
                continue
            if line is None:
                break
            if line.startswith(prefix):
                return re.search(r'http://[\w.\-]+:\d+', line).group(0)
        self.stop()
        raise AssertionError('%s did not start:\n%s' % (self.process.args, self.output))

    @property
    def output(self):
        return '\n'.join(self.lines)

    @property
    def traceback(self):
        """Whether a Python traceback was printed. Its header line, not the bare word: the
        server logs request lines, and a fuzzed request may say 'Traceback'."""
        return any(line.startswith('Traceback (most recent call last)') for line in self.lines)

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def start_predict_server(model_dir, *flags):
    """predict_server.py for model_dir; it keeps no feedback (nothing is written into the
    checkout's user_data/) unless `flags` give a --feedback_dir."""
    return ServerProcess([os.path.join(ROOT, 'predict_server.py'), '--port', '0',
                          '--model_dir', str(model_dir), '--feedback_dir', ''] + list(flags))


def start_tensorboard(log_dir):
    """The installed `tensorboard` command serving log_dir on 127.0.0.1, a free port."""
    command = shutil.which('tensorboard', path=os.path.dirname(sys.executable))
    return ServerProcess([command, '--logdir', str(log_dir), '--host', '127.0.0.1',
                          '--port', '0'], ready_prefix='TensorBoard')


def poll(server, path, ready, payload=None):
    """The JSON answer of GET (or POST with `payload`) `path` once `ready(answer)` holds:
    TensorBoard answers at once but loads the event files in the background."""
    deadline = time.time() + TENSORBOARD_LOAD_TIMEOUT_S
    while True:
        status, _, answer = call(server, 'POST' if payload else 'GET', path, payload,
                                 headers={'Content-Type': 'application/json'})
        if status == 200 and ready(answer):
            return answer
        if time.time() > deadline:
            raise AssertionError('%s never got ready: %s %r' % (path, status, answer))
        time.sleep(1)


def batched_alike(a, b):
    """Whether two answers' probabilities (any nesting of lists) are the same but for their
    last digits: a request batched with others may run other kernels than it would alone
    (docs/serving.md, Batching); its predictions are compared exactly by the caller."""
    return np.allclose(a, b, rtol=0, atol=1e-5)


# (name, data_dir, steps) → a directory holding model/NAME and eventlog/NAME, trained once
# per test session: the runs are seeded, so a copy is what another run would write.
_TRAINED = {}


def train_model(name, data_dir, model_root, steps=30, seed=1):
    """NAME trained by conftest.train for `steps` from `seed`, in model_root/NAME; model_root
    must be a directory called `model`, whose parent then also gets the event logs. Each
    model is trained once per test session and copied: tests may change their copy."""
    model_root = str(model_root)
    assert os.path.basename(model_root) == 'model', model_root
    key = (name, str(data_dir), steps, seed)
    if key not in _TRAINED:
        trained = tempfile.mkdtemp(prefix='trained-%s-%d-' % (name, steps))
        atexit.register(shutil.rmtree, trained, ignore_errors=True)
        train('train_%s.py' % name, str(data_dir), trained,
              '--max_steps', str(steps), '--eval_every', str(steps), '--seed', str(seed))
        _TRAINED[key] = trained
    for kind, target in (('model', model_root),
                         ('eventlog', os.path.join(os.path.dirname(model_root), 'eventlog'))):
        shutil.copytree(os.path.join(_TRAINED[key], kind, name), os.path.join(target, name))


def train_models(data_dir, tmp_path_factory, label, names=('nn', 'regression')):
    """A fresh `model` directory (in a temporary directory named after `label`) holding
    each of `names` trained by train_model."""
    model_root = tmp_path_factory.mktemp(label) / 'model'
    for name in names:
        train_model(name, data_dir, model_root)
    return model_root


def call(server, method, path, payload=None, body=None, headers=None):
    """(status, headers, decoded JSON answer) of one request on a fresh connection."""
    if payload is not None:
        body = json.dumps(payload).encode()
    connection = http.client.HTTPConnection('127.0.0.1', server.port, timeout=30)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        answer = response.read()
        return response.status, dict(response.getheaders()), json.loads(answer) if answer else None
    finally:
        connection.close()
