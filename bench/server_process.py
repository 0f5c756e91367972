"""The predict server in a child process for the benchmarks, the request bodies they
send, and one POST /predict: shared by bench/serving.py and bench/load.py (a module of its
own, as bench/serving.py's name is also the project's serving/ package)."""
import http.client
import json
import socket
import subprocess
import sys
import tempfile
import time

import harness

HOST = '127.0.0.1'
SERVER_START_TIMEOUT_S = 300


def free_port():
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


class Server:
    """predict_server.py in a child process; `started` is when it was launched. `root`:
    the checkout whose predict_server.py runs (another commit's, to compare with)."""

    def __init__(self, model_dir, *flags, root=harness.ROOT):
        self.port = free_port()
        self.log = tempfile.TemporaryFile()  # its request log; a pipe nobody reads would fill
        self.started = time.perf_counter()
        self.process = subprocess.Popen(
            [sys.executable, 'predict_server.py', '--model_dir', model_dir, '--host', HOST,
             '--port', str(self.port)] + list(flags), cwd=root, stdout=self.log,
            stderr=self.log, env=harness.child_environment())

    def first_answer(self, body):
        """Seconds from launch to the first 200 answer to POST /predict with `body`."""
        while time.perf_counter() - self.started < SERVER_START_TIMEOUT_S:
            if self.process.poll() is not None:
                self.log.seek(0)
                raise RuntimeError('predict_server.py exited:\n' + self.log.read().decode())
            connection = http.client.HTTPConnection(HOST, self.port)
            try:
                if post(connection, body)[0] == 200:
                    return time.perf_counter() - self.started
            except OSError:  # not listening yet
                time.sleep(0.01)
            finally:
                connection.close()
        raise RuntimeError('predict_server.py did not answer in %d s' % SERVER_START_TIMEOUT_S)

    def get(self, path):
        connection = http.client.HTTPConnection(HOST, self.port)
        try:
            connection.request('GET', path)
            return json.loads(connection.getresponse().read())
        finally:
            connection.close()

    def stop(self):
        self.process.terminate()
        self.process.wait()
        self.log.seek(0)
        self.output = self.log.read().decode(errors='replace')
        self.log.close()

    def lines(self, prefix):
        """The lines of its output (after stop) that start with `prefix`."""
        return [line for line in self.output.splitlines() if line.startswith(prefix)]


def post(connection, body):
    """(status, answer bytes) of POST /predict on an open or new connection."""
    connection.request('POST', '/predict', body, {'Content-Type': 'application/json'})
    answer = connection.getresponse()
    return answer.status, answer.read()


def request_bodies(images, models=None, count=100):
    """JSON bodies of `count` digits: bare pixel arrays, or {"image", "models"} objects."""
    bodies = []
    for image in images[:count]:
        pixels = [round(float(v), 3) for v in image]
        payload = pixels if models is None else {'image': pixels, 'models': models}
        bodies.append(json.dumps(payload).encode())
    return bodies
