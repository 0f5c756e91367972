"""Serve every trained model to the web page: a plain `http.server` backend.

    python predict_server.py [--host 127.0.0.1] [--port 8888] [--model_dir model]
                             [--models nn,cnn] [--allow_origin http://127.0.0.1:8000]

At start-up each model/NAME/ that holds a checkpoint is restored once, into a graph and
session of its own, through the tensor-name contract alone (latest_checkpoint,
import_meta_graph, get_tensor_by_name): no model-building code is imported. Its variables
are then frozen into constants and the graph finalised, so a request can only feed and
fetch what is already there. While the server has cores to spare, a request's models
run in two lanes on two cores (see ModelRunner).

    POST /predict   784 pixels, ink = high, as a bare JSON array (the original grid page's
                    body) or {"image": [...], "models": [...], "preprocess": true,
                    "max_value": 1 | 255}. Values are 0..1, or 0..255 when max_value says so
                    or any value is above 1. The drawing is normalised the way MNIST's digits
                    were (graphs/imageops.normalise_digit) unless "preprocess" is false.
                    Answers each model's digit, ten probabilities and milliseconds, plus the
                    28×28 image the models were fed.
    GET /models     the loaded models, with their test accuracy and training step
    GET /health     liveness: {"status": "ok", ...}

    POST /v1/models/NAME:predict   TensorFlow Serving's REST API, for clients written
    GET  /v1/models/NAME           against it: {"instances": [[784], ...]} or {"inputs":
                    ...}, signatures serving_default and predict_images as
                    export_savedmodel.py writes them; a batch is one session run, fed
                    as sent (no preprocessing), answered as TF Serving would.

Every error is JSON, {"error": "what was wrong"}, with a 4xx status; nothing a client sends
can stop the server or earn a 5xx. The defaults are safe to leave running: it listens on
127.0.0.1 only, lets only the local page's origin read its answers (CORS), serves no files,
caps request bodies (64 KB, 8 MB for TF Serving batches, at most 4 batches read at once),
gives a client --timeout seconds to send a request's line and headers and as long again for
its body however it trickles them (slow-loris), and keeps at most --max_connections open:
at the limit the connection that has waited longest for its request is dropped to make
room, or when every connection is busy computing the newcomer gets a JSON 429.
"""
import time

STARTED = time.time()  # before TensorFlow's import: start-up time is what users wait for

import argparse
import collections
import concurrent.futures
import contextlib
import io
import json
import os
import re
import socket
import sys
import threading
import traceback
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

os.environ.setdefault('TF_CPP_MIN_LOG_LEVEL', '2')  # no C++ start-up chatter

import numpy as np
import tensorflow.compat.v1 as tf

from graphs import imageops, records

tf.get_logger().setLevel('ERROR')  # the v1 API's deprecation notices are not for users

IMAGE_PIXELS = 784
INPUT_TENSOR = 'input/inputData:0'
PROBABILITIES_TENSOR = 'output/probabilities:0'
PREDICTION_TENSOR = 'output/prediction:0'
GLOBAL_STEP_VARIABLE = 'global_step'

DEFAULT_ORIGINS = ('http://127.0.0.1:8000', 'http://localhost:8000')
# 784 numbers written with full float precision are about 16 KB; anything much larger is
# not a drawing.
MAX_BODY_BYTES = 64 * 1024
# TF Serving's REST API takes batches of images: room for a few hundred of them.
MAX_BATCH_BODY_BYTES = 8 * 1024 * 1024
MAX_BATCH_INSTANCES = 1000
# A refused body up to this size is read and dropped, so that a client still sending it
# reads our 413 rather than a reset connection; a larger one just gets the connection closed.
MAX_DISCARD_BYTES = 16 * 1024 * 1024
# Batch bodies (over MAX_BODY_BYTES) read and parsed at once: each can cost ~100 MB of
# Python objects, so many of them together would be a way to exhaust memory.
BATCH_SLOTS = 4
# Connections open at once; each holds a thread. At the limit the one waiting longest for
# its request is dropped (slow-loris clients are always the ones waiting longest).
DEFAULT_MAX_CONNECTIONS = 64
# Connections refused with a 429 are closed this long after, at most this many kept.
REFUSED_LINGER_S = 0.5
REFUSED_LINGER_MAX = 256
REQUEST_FIELDS = ('image', 'models', 'preprocess', 'max_value')
TF_SERVING_PATH = re.compile(r'/v1/models/(?P<name>[^/:]+)(?::(?P<verb>[a-z]+))?')


class RequestError(Exception):
    """A client mistake: answered with `status` and {"error": message}."""

    def __init__(self, status, message):
        super().__init__(message)
        self.status = status


# ---------------------------------------------------------------------------- models

class ModelLoadError(Exception):
    """A model directory that cannot be served; the message says why, in one line."""


@contextlib.contextmanager
def explained(what):
    """Re-raise any error inside as ModelLoadError('what (the gist of the error)')."""
    try:
        yield
    except Exception as error:
        raise ModelLoadError('%s (%s)' % (what, gist(error))) from error


def gist(error):
    """One line of an exception's message: TensorFlow's errors end with the cause (after
    a graph trace), Python's begin with it."""
    lines = [line.strip() for line in str(getattr(error, 'message', error)).splitlines()
             if line.strip() and not line.strip().startswith('[[')]
    if not lines:
        return type(error).__name__
    return lines[-1] if isinstance(error, tf.errors.OpError) else lines[0]


class Model:
    """One restored model: a session on its frozen graph, a callable that feeds the
    contract's input and fetches its probabilities and prediction, and what model.json
    says about it."""

    def __init__(self, name, directory, config):
        self.name = name
        self.checkpoint = tf.train.latest_checkpoint(directory)
        if self.checkpoint is None:
            raise ModelLoadError('no checkpoint in %s' % directory)
        started = time.time()
        self.graph = _frozen_graph(self.checkpoint)
        self.session = tf.Session(graph=self.graph, config=config)
        try:
            # The contract's tensors are there: _frozen_graph checked them.
            fetches = [self.graph.get_tensor_by_name(PROBABILITIES_TENSOR),
                       self.graph.get_tensor_by_name(PREDICTION_TENSOR)]
            feed = self.graph.get_tensor_by_name(INPUT_TENSOR)
            # A callable skips Session.run's per-call parsing of fetches and feeds.
            self._run = self.session.make_callable(fetches, feed_list=[feed])
            self.graph.finalize()  # from here on no request can add an op
            with explained('fails on a blank image'):
                self.seconds_per_image = _warm_up(self.predict)
        except ModelLoadError:
            self.session.close()
            raise
        self.metadata = records.read_metadata(directory)
        self.global_step = self.metadata.get('global_step')
        if self.global_step is None:
            self.global_step = _read_global_step(self.checkpoint)
        self.load_seconds = time.time() - started

    @property
    def test_accuracy(self):
        return self.metadata.get('test_accuracy')

    def predict(self, images):
        """Probabilities [N, 10] and predicted digits [N] for images [N, 784]."""
        return self._run(images)

    def describe(self):
        return {'name': self.name, 'test_accuracy': self.test_accuracy,
                'global_step': self.global_step,
                'checkpoint': os.path.basename(self.checkpoint),
                'trained': self.metadata.get('date'),
                'load_seconds': round(self.load_seconds, 3)}

    def close(self):
        self.session.close()


def _frozen_graph(checkpoint):
    """The checkpoint's meta-graph with its variables replaced by their restored values:
    a session then reads weights from constants instead of variables (0.167 → 0.118 ms
    per image for the nn model, bench/inference.py). Only what the contract's outputs
    need is kept; names are unchanged."""
    name = os.path.basename(checkpoint)
    graph = tf.Graph()
    with graph.as_default(), tf.Session(graph=graph) as session:
        with explained('unreadable meta-graph %s.meta' % name):
            saver = tf.train.import_meta_graph(checkpoint + '.meta', clear_devices=True)
        with explained('cannot restore the weights of %s' % name):
            saver.restore(session, checkpoint)
        with explained('not the tensor-name contract'):
            for tensor in (INPUT_TENSOR, PROBABILITIES_TENSOR, PREDICTION_TENSOR):
                graph.get_tensor_by_name(tensor)
        with explained('cannot freeze the variables of %s' % name):
            frozen = tf.graph_util.convert_variables_to_constants(
                session, graph.as_graph_def(),
                [tensor.split(':')[0] for tensor in (PROBABILITIES_TENSOR, PREDICTION_TENSOR)])
    graph = tf.Graph()
    with graph.as_default():
        tf.import_graph_def(frozen, name='')
    return graph


def _warm_up(predict, runs=5):
    """Run a blank image through `predict` a few times (the first run optimises the graph);
    returns the median seconds of the runs after the first."""
    blank = np.zeros((1, IMAGE_PIXELS), np.float32)
    seconds = []
    for _ in range(runs + 1):
        started = time.perf_counter()
        predict(blank)
        seconds.append(time.perf_counter() - started)
    return float(np.median(seconds[1:]))


def _read_global_step(checkpoint):
    """The global_step variable's value, read from the checkpoint file itself."""
    try:
        return int(tf.train.load_variable(checkpoint, GLOBAL_STEP_VARIABLE))
    except (ValueError, TypeError, tf.errors.OpError):
        return None


def session_config():
    """A batch of one image is far too small to share among threads, so each op runs on
    one thread, in the request's own thread (a negative inter-op count means exactly
    that). Concurrent requests therefore run in parallel without queuing on a pool."""
    return tf.ConfigProto(intra_op_parallelism_threads=1, inter_op_parallelism_threads=-1)


def find_model_names(model_dir):
    """Names of the model/NAME/ directories that hold a checkpoint, sorted."""
    if not os.path.isdir(model_dir):
        return []
    return sorted(name for name in os.listdir(model_dir)
                  if tf.train.latest_checkpoint(os.path.join(model_dir, name)))


def load_models(model_dir, names):
    """Restore each named model; a missing or broken one is reported in one line and
    skipped. Returns {name: Model} in the order given."""
    config = session_config()
    models = {}
    for name in names:
        directory = os.path.join(model_dir, name)
        try:
            model = Model(name, directory, config)
        except ModelLoadError as error:
            print('Skipped %s: %s' % (name, error), flush=True)
            continue
        accuracy = ('%.2f%%' % (100 * model.test_accuracy)
                    if isinstance(model.test_accuracy, (int, float)) else 'unknown')
        print('Loaded %-10s step %-7s test accuracy %-8s (%s, %.2f s)' % (
            name, model.global_step, accuracy, os.path.basename(model.checkpoint),
            model.load_seconds), flush=True)
        models[name] = model
    return models


# ---------------------------------------------------------------------------- requests

def parse_json(body):
    try:
        return json.loads(body, parse_constant=_reject_constant)
    except (ValueError, RecursionError) as error:  # JSONDecodeError and UnicodeDecodeError
        raise RequestError(HTTPStatus.BAD_REQUEST, 'malformed JSON: %s' % error)


def _reject_constant(name):
    raise RequestError(HTTPStatus.BAD_REQUEST,
                       '%s is not a valid JSON number; pixels must be finite numbers' % name)


def parse_predict_request(payload, model_names):
    """(image [784] float32 in 0..1, model names, preprocess flag, max_value) from a
    decoded /predict body; raises RequestError saying what is wrong."""
    if isinstance(payload, list):
        payload = {'image': payload}
    elif not isinstance(payload, dict):
        raise RequestError(HTTPStatus.BAD_REQUEST, 'expected a JSON array of 784 pixels or '
                           'an object {"image": [...], "models": [...], "preprocess": true}')
    unknown = sorted(set(payload) - set(REQUEST_FIELDS))
    if unknown:
        raise RequestError(HTTPStatus.BAD_REQUEST, 'unknown field(s) %s; expected %s' % (
            ', '.join(unknown), ', '.join(REQUEST_FIELDS)))
    if 'image' not in payload:
        raise RequestError(HTTPStatus.BAD_REQUEST, 'missing "image": 784 pixel values')
    preprocess = payload.get('preprocess', True)
    if not isinstance(preprocess, bool):
        raise RequestError(HTTPStatus.BAD_REQUEST, '"preprocess" must be true or false')
    pixels, max_value = parse_pixels(payload['image'], payload.get('max_value'))
    names = parse_model_names(payload.get('models'), model_names)
    return pixels, names, preprocess, max_value


def parse_pixels(values, max_value=None):
    """784 numbers (flat, or 28 rows of 28) → float32 [784] in 0..1, and the scale used:
    `max_value` 1 or 255, or when omitted 255 if any value is above 1, else 1."""
    if not isinstance(values, list):
        raise RequestError(HTTPStatus.BAD_REQUEST, '"image" must be an array of 784 numbers')
    if len(values) == imageops.IMAGE_SIZE and all(isinstance(row, list) for row in values):
        if any(len(row) != imageops.IMAGE_SIZE for row in values):
            raise RequestError(HTTPStatus.BAD_REQUEST, 'a 28×28 image needs 28 values per row')
        values = [value for row in values for value in row]
    if len(values) != IMAGE_PIXELS:
        raise RequestError(HTTPStatus.BAD_REQUEST,
                           'expected 784 pixel values (28×28), got %d' % len(values))
    if not set(map(type, values)) <= {int, float}:  # exact types: a bool is not a pixel
        index = next(i for i, value in enumerate(values) if type(value) not in (int, float))
        raise RequestError(HTTPStatus.BAD_REQUEST, 'pixel %d is %s, not a number' % (
            index, json.dumps(values[index])[:40]))
    try:
        pixels = np.array(values, dtype=np.float64)
    except OverflowError:  # an integer too large for a float
        raise RequestError(HTTPStatus.BAD_REQUEST, 'pixel values must lie in 0..255')
    if not np.isfinite(pixels).all():  # 1e999 parses as inf
        raise RequestError(HTTPStatus.BAD_REQUEST, 'pixel values must be finite numbers')
    if max_value is None:
        max_value = 255 if pixels.max() > 1 else 1
    elif type(max_value) not in (int, float) or max_value not in (1, 255):
        raise RequestError(HTTPStatus.BAD_REQUEST, '"max_value" must be 1 or 255')
    if pixels.min() < 0 or pixels.max() > max_value:
        raise RequestError(HTTPStatus.BAD_REQUEST, 'pixel values must lie in 0..%g, got %g..%g'
                           % (max_value, pixels.min(), pixels.max()))
    return (pixels / max_value).astype(np.float32), int(max_value)


def parse_model_names(requested, model_names):
    """The requested model names (all loaded ones when None), duplicates dropped."""
    if requested is None:
        return list(model_names)
    if (not isinstance(requested, list) or not requested
            or not all(isinstance(name, str) for name in requested)):
        raise RequestError(HTTPStatus.BAD_REQUEST,
                           '"models" must be a non-empty array of model names')
    unknown = [name for name in requested if name not in model_names]
    if unknown:
        raise RequestError(HTTPStatus.NOT_FOUND, 'unknown model %s; loaded: %s' % (
            json.dumps(unknown[0]), ', '.join(model_names)))
    return list(dict.fromkeys(requested))


def usable_cores():
    """Cores this process may run on (a container or taskset may allow fewer than the
    machine has)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


class ModelRunner:
    """Runs the models a request asks for, timing each.

    While the server has cores to spare (on 2 cores: while this is the only request
    running), a request's models are split into two lanes of about equal cost, one run
    by a helper thread, so that two cores work on it (TensorFlow releases the GIL inside
    a session run): all seven models answer in about two thirds of the time. Otherwise
    every core is busy already and a split would only add hand-overs, so the request
    runs its models one after the other in its own thread."""

    def __init__(self, models, cores=None):
        self.models = models
        # Costliest first, for _lanes: each model's cost was measured once, at warm-up.
        self._by_cost = sorted(models, key=lambda name: -models[name].seconds_per_image)
        self.cores = cores or usable_cores()
        self.helper = concurrent.futures.ThreadPoolExecutor(
            max_workers=max(self.cores // 2, 1), thread_name_prefix='lane')
        self._lock = threading.Lock()
        self._running = 0

    def run(self, names, batch):
        """{name: (probabilities [N, 10], predictions [N], seconds)} for images `batch`."""
        with self._lock:
            self._running += 1
            split = len(names) > 1 and 2 * self._running <= self.cores
        try:
            return self._in_two_lanes(names, batch) if split else self._lane(names, batch)
        finally:
            with self._lock:
                self._running -= 1

    def _in_two_lanes(self, names, batch):
        first, second = self._lanes(names)
        try:
            helped = self.helper.submit(self._lane, second, batch)
        except RuntimeError:  # shut down while this request was under way
            return self._lane(names, batch)
        try:
            results = self._lane(first, batch)
        except Exception:
            concurrent.futures.wait([helped])  # leave no work behind for a failed request
            raise
        results.update(helped.result())
        return results

    def _lane(self, names, batch):
        results = {}
        for name in names:
            started = time.perf_counter()
            probabilities, predictions = self.models[name].predict(batch)
            results[name] = probabilities, predictions, time.perf_counter() - started
        return results

    def _lanes(self, names):
        """Two lists of names with about equal total cost (greedy, costliest first)."""
        lanes, costs = ([], []), [0.0, 0.0]
        for name in [name for name in self._by_cost if name in names]:
            lighter = costs.index(min(costs))
            lanes[lighter].append(name)
            costs[lighter] += self.models[name].seconds_per_image
        return lanes

    def close(self):
        self.helper.shutdown()


def predict(runner, pixels, names, preprocess):
    """Run the named models on one image; the /predict answer (without max_value)."""
    started = time.perf_counter()
    image = imageops.normalise_digit(pixels) if preprocess else pixels.reshape(28, 28)
    outcomes = runner.run(names, image.reshape(1, IMAGE_PIXELS))
    results = []
    for name in names:  # in the order asked for
        probabilities, predictions, seconds = outcomes[name]
        results.append({
            'name': name,
            'prediction': int(predictions[0]),
            'probabilities': [round(float(p), 6) for p in probabilities[0]],
            'milliseconds': round(1000 * seconds, 3),
        })
    return {
        'models': results,
        'agree': len({result['prediction'] for result in results}) == 1,
        'preprocessed': preprocess,
        'input': np.round(image, 3).tolist(),
        'milliseconds': round(1000 * (time.perf_counter() - started), 3),
    }


# ---------------------------------------------------------------------------- TF Serving

# The signatures export_savedmodel.py writes, as {name: outputs}: a client written for
# TensorFlow Serving gets the same JSON from us as from TF Serving serving our export.
SIGNATURES = {'serving_default': ('scores',), 'predict_images': ('scores', 'classes')}
INPUT_NAME = 'images'


def find_model(models, name):
    if name not in models:
        raise RequestError(HTTPStatus.NOT_FOUND, 'Servable not found for request: Latest(%s); '
                           'loaded: %s' % (name, ', '.join(models)))
    return models[name]


def parse_tf_serving_request(payload):
    """TF Serving's predict request → (images [N, 784] float32, signature name, row format).

    Row format: {"signature_name": ..., "instances": [image, ...]}, an image being 784
    numbers or {"images": [784 numbers]}. Columnar: {"inputs": [images]} or
    {"inputs": {"images": [images]}}. Pixels are fed as they are: no preprocessing, as a
    SavedModel would be fed."""
    if not isinstance(payload, dict):
        raise RequestError(HTTPStatus.BAD_REQUEST, 'JSON Value: body must be an object with '
                           '"instances" or "inputs"')
    signature = payload.get('signature_name', 'serving_default')
    if not isinstance(signature, str) or signature not in SIGNATURES:
        raise RequestError(HTTPStatus.BAD_REQUEST, 'Serving signature name: "%s" not found in '
                           'signature def; available: %s' % (signature, ', '.join(SIGNATURES)))
    if ('instances' in payload) == ('inputs' in payload):
        raise RequestError(HTTPStatus.BAD_REQUEST,
                           'the request needs exactly one of "instances" or "inputs"')
    row_format = 'instances' in payload
    images = payload['instances'] if row_format else payload['inputs']
    if row_format and isinstance(images, list):
        images = [image[INPUT_NAME] if isinstance(image, dict) and set(image) == {INPUT_NAME}
                  else image for image in images]
    elif isinstance(images, dict):
        if set(images) != {INPUT_NAME}:
            raise RequestError(HTTPStatus.BAD_REQUEST, '"inputs" must name only "%s"'
                               % INPUT_NAME)
        images = images[INPUT_NAME]
    return _image_batch(images), signature, row_format


def _image_batch(images):
    if (not isinstance(images, list) or not images
            or not all(isinstance(image, list) for image in images)):
        raise RequestError(HTTPStatus.BAD_REQUEST, 'expected a non-empty list of images, '
                           'each 784 numbers')
    if len(images) > MAX_BATCH_INSTANCES:
        raise RequestError(HTTPStatus.BAD_REQUEST, '%d images is over the limit of %d per '
                           'request' % (len(images), MAX_BATCH_INSTANCES))
    for index, image in enumerate(images):
        if len(image) != IMAGE_PIXELS or not set(map(type, image)) <= {int, float}:
            raise RequestError(HTTPStatus.BAD_REQUEST, 'image %d: expected 784 numbers' % index)
    try:
        batch = np.array(images, dtype=np.float32)
    except OverflowError:  # an integer too large for a float
        batch = None
    if batch is None or not np.isfinite(batch).all():  # 1e999 parses as inf
        raise RequestError(HTTPStatus.BAD_REQUEST, 'pixel values must be finite numbers')
    return batch


def tf_serving_answer(signature, row_format, scores, classes):
    """TF Serving's JSON: one output → bare values, several → objects keyed by output."""
    outputs = {'scores': scores.tolist(), 'classes': classes.tolist()}
    names = SIGNATURES[signature]
    if row_format:
        if len(names) == 1:
            return {'predictions': outputs[names[0]]}
        return {'predictions': [dict(zip(names, row))
                                for row in zip(*(outputs[name] for name in names))]}
    if len(names) == 1:
        return {'outputs': outputs[names[0]]}
    return {'outputs': {name: outputs[name] for name in names}}


# ---------------------------------------------------------------------------- HTTP

# What a connection is doing, for the connection limit: the first three are waiting for
# the client and may be dropped to make room; a busy one is computing or answering.
WAITING_NEW, WAITING_HEAD, WAITING_BODY, BUSY, DROPPED = 'new', 'head', 'body', 'busy', 'dropped'
WAITING = (WAITING_NEW, WAITING_HEAD, WAITING_BODY)


class DeadlineReader(io.RawIOBase):
    """The socket's input with a deadline for a whole request head or body, on top of the
    per-read timeout: a client that sends one byte every second never trips a per-read
    timeout, but it cannot get past the deadline."""

    def __init__(self, sock, timeout):
        self.sock, self.timeout = sock, timeout
        self.deadline = None  # time.monotonic() by which the current read must be done

    def readable(self):
        return True

    def readinto(self, buffer):
        timeout = self.timeout
        if self.deadline is not None:
            remaining = self.deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError('the client took too long to send its request')
            timeout = remaining if timeout is None else min(timeout, remaining)
        self.sock.settimeout(timeout)
        try:
            return self.sock.recv_into(buffer)
        finally:
            self.sock.settimeout(self.timeout)  # what writing the answer is allowed


class PredictServer(ThreadingHTTPServer):
    """A thread per connection, at most `max_connections` of them; the models are
    read-only after start-up and a session's run is thread-safe, so requests share them
    without locks."""
    daemon_threads = True
    request_queue_size = 128  # the default 5 drops connections a burst of clients opens

    def __init__(self, address, models, allowed_origins, client_timeout,
                 max_connections=DEFAULT_MAX_CONNECTIONS):
        self.models = models
        self.runner = ModelRunner(models)
        self.allowed_origins = allowed_origins
        self.client_timeout = client_timeout
        self.max_connections = max_connections
        self.started = time.time()
        self.batch_slots = threading.BoundedSemaphore(BATCH_SLOTS)
        self._lock = threading.Lock()
        self._connections = {}  # socket → [phase, time.monotonic() it began]
        self._refused = collections.deque()  # (time, socket) answered 429, to be closed
        super().__init__(address, PredictHandler)

    # -- the connection limit

    def process_request(self, request, client_address):
        with self._lock:
            open_ = [entry for entry in self._connections.values() if entry[0] != DROPPED]
            if len(open_) >= self.max_connections and not self._drop_longest_waiting():
                refuse = True
            else:
                refuse = False
                self._connections[request] = [WAITING_NEW, time.monotonic()]
        if refuse:
            self.refuse(request)
        else:
            super().process_request(request, client_address)

    def _drop_longest_waiting(self):
        """Shut the connection that has waited longest for its client (its thread then
        reads end-of-file and ends); False when every one is busy. Holds the lock."""
        waiting = [(entry[1], sock) for sock, entry in self._connections.items()
                   if entry[0] in WAITING]
        if not waiting:
            return False
        _, sock = min(waiting, key=lambda item: item[0])
        self._connections[sock][0] = DROPPED
        try:
            sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        return True

    def set_phase(self, sock, phase):
        with self._lock:
            entry = self._connections.get(sock)
            if entry is not None and entry[0] != DROPPED:
                entry[0], entry[1] = phase, time.monotonic()

    def connection_count(self):
        with self._lock:
            return sum(1 for entry in self._connections.values() if entry[0] != DROPPED)

    def refuse(self, request):
        """Every connection is busy: answer 429 straight from the accepting thread, without
        reading the request, and hang up. The socket is closed a little later, once its
        request has arrived and been dropped: closing with unread data would reset the
        connection, and the client would lose the answer."""
        body = json.dumps({'error': 'too many connections: all %d are busy; try again '
                           'shortly' % self.max_connections}).encode()
        answer = (b'HTTP/1.1 429 Too Many Requests\r\nContent-Type: application/json\r\n'
                  b'Content-Length: %d\r\nRetry-After: 1\r\nConnection: close\r\n\r\n'
                  % len(body)) + body
        try:
            request.setblocking(False)
            request.send(answer)
            request.shutdown(socket.SHUT_WR)
        except OSError:
            pass
        self._refused.append((time.monotonic(), request))
        while len(self._refused) > REFUSED_LINGER_MAX:
            self._close_refused(self._refused.popleft()[1])

    def service_actions(self):
        """Between accepts (at least every half second): close refused connections."""
        now = time.monotonic()
        while self._refused and now - self._refused[0][0] > REFUSED_LINGER_S:
            self._close_refused(self._refused.popleft()[1])

    @staticmethod
    def _close_refused(request):
        with contextlib.suppress(OSError):
            for _ in range(16):  # drop what the client sent, up to 1 MB
                if not request.recv(1 << 16):
                    break
        request.close()

    def server_close(self):
        super().server_close()
        self.runner.close()
        while self._refused:
            self._refused.popleft()[1].close()

    def shutdown_request(self, request):
        with self._lock:
            self._connections.pop(request, None)
        super().shutdown_request(request)

    def handle_error(self, request, client_address):
        error = sys.exc_info()[1]
        if isinstance(error, OSError):  # a client that hangs up is not worth a traceback
            print('%s: connection error: %s' % (client_address[0], error), file=sys.stderr)
        else:  # a bug outside dispatch's reach: say where
            print('%s: unexpected error:\n%s' % (client_address[0], traceback.format_exc()),
                  file=sys.stderr)


class PredictHandler(BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'  # keep-alive: the page and the benchmark reuse connections
    # Errors in a request line so bad that its version is unknown are answered with a status
    # line and headers (the base class's 'HTTP/0.9' default would send a bare body).
    default_request_version = 'HTTP/1.0'
    server_version = 'predict_server/1.0'
    disable_nagle_algorithm = True  # headers and body go out at once, not after a delayed ACK

    def setup(self):
        self.timeout = self.server.client_timeout  # a client silent this long is dropped
        super().setup()
        self.rfile.close()  # replaced by a reader that also keeps the request's deadline
        self.reader = DeadlineReader(self.connection, self.timeout)
        self.rfile = io.BufferedReader(self.reader)
        self.body_consumed = True

    def waiting_for(self, phase):
        """The client now has --timeout seconds to send the next part of its request."""
        self.server.set_phase(self.connection, phase)
        self.reader.deadline = time.monotonic() + self.timeout

    def busy(self):
        self.server.set_phase(self.connection, BUSY)
        self.reader.deadline = None

    def __getattr__(self, name):
        # Any method at all goes through dispatch (the base class would answer a method it
        # has no do_METHOD for with 501): an unknown one is a JSON 404 or 405.
        if name.startswith('do_'):
            return self.dispatch
        raise AttributeError(name)

    def routes(self, path):
        """{method: handler} for a path, or None. TF Serving's paths carry the model name
        (`/v1/models/NAME` and `/v1/models/NAME:predict`); it is bound into the handler."""
        fixed = {'/predict': {'POST': self.post_predict},
                 '/models': {'GET': self.get_models},
                 '/health': {'GET': self.get_health}}
        if path in fixed:
            return fixed[path]
        match = TF_SERVING_PATH.fullmatch(path)
        if match is None:
            return None
        name, verb = match.group('name'), match.group('verb')
        if verb == 'predict':
            return {'POST': lambda: self.post_tf_serving_predict(name)}
        if verb is None:
            return {'GET': lambda: self.get_tf_serving_status(name)}
        return None

    def request_path(self):
        """The path of the request target, in origin form (/health) or absolute form
        (http://host/health); the query is ignored. Never decoded: no file is served, so
        there is nothing for ../ or %2e%2e to reach."""
        try:
            return urlsplit(self.path).path
        except ValueError:  # e.g. http://[::1/ (an unclosed IPv6 address)
            return self.path.split('?', 1)[0]

    # -- the endpoints

    def post_predict(self):
        models = self.server.models
        payload = parse_json(self.read_body())
        pixels, names, preprocess, max_value = parse_predict_request(payload, list(models))
        answer = predict(self.server.runner, pixels, names, preprocess)
        answer['max_value'] = max_value
        self.send_json(HTTPStatus.OK, answer)

    def get_models(self):
        self.send_json(HTTPStatus.OK, {
            'models': [model.describe() for model in self.server.models.values()],
            'preprocess_default': True})

    def get_health(self):
        self.send_json(HTTPStatus.OK, {
            'status': 'ok', 'models': list(self.server.models),
            'uptime_seconds': round(time.time() - self.server.started, 1)})

    def post_tf_serving_predict(self, name):
        find_model(self.server.models, name)
        with self.batch_slot():
            payload = parse_json(self.read_body(MAX_BATCH_BODY_BYTES))
            images, signature, row_format = parse_tf_serving_request(payload)
            del payload
            # The whole batch in one session run, counted as a running request.
            scores, classes, _ = self.server.runner.run([name], images)[name]
        self.send_json(HTTPStatus.OK, tf_serving_answer(signature, row_format, scores, classes))

    def get_tf_serving_status(self, name):
        model = find_model(self.server.models, name)
        self.send_json(HTTPStatus.OK, {'model_version_status': [{
            'version': str(model.global_step or 1), 'state': 'AVAILABLE',
            'status': {'error_code': 'OK', 'error_message': ''}}]})

    @contextlib.contextmanager
    def batch_slot(self):
        """One of BATCH_SLOTS for a body over MAX_BODY_BYTES; small ones need none, nor do
        those over MAX_BATCH_BODY_BYTES (refused unread)."""
        length = self.content_length()
        if length is None or not MAX_BODY_BYTES < length <= MAX_BATCH_BODY_BYTES:
            yield
            return
        if not self.server.batch_slots.acquire(timeout=self.timeout):
            raise RequestError(HTTPStatus.TOO_MANY_REQUESTS, '%d large batches are being '
                               'read already; try again shortly' % BATCH_SLOTS)
        try:
            yield
        finally:
            self.server.batch_slots.release()

    # -- reading a request

    def parse_request(self):
        if not super().parse_request():
            return False
        version = self.request_version.split('/', 1)[1].split('.')
        if len(self.requestline.split()) == 2 or not version[0].lstrip('0'):
            self.send_error(HTTPStatus.BAD_REQUEST, 'HTTP/0.x requests are not supported; '
                            'send "METHOD /path HTTP/1.1"')
            return False
        self.busy()
        return True

    def handle_one_request(self):
        self.waiting_for(WAITING_HEAD)
        try:
            super().handle_one_request()
        except TimeoutError:  # the base class guards only parts of it
            self.log_error('request timed out')
            self.close_connection = True

    def content_length(self):
        """The body's length from Content-Length: None when absent; RequestError when it
        is not one plain decimal number (or several disagreeing ones)."""
        values = self.headers.get_all('Content-Length') or []
        if not values:
            return None
        values = {value.strip() for value in values}
        if len(values) != 1 or not re.fullmatch(r'[0-9]{1,18}', next(iter(values))):
            self.close_connection = True
            raise RequestError(HTTPStatus.BAD_REQUEST, 'invalid Content-Length')
        return int(values.pop())

    def read_body(self, limit=MAX_BODY_BYTES):
        if self.headers.get('Transfer-Encoding') is not None:
            self.close_connection = True
            raise RequestError(HTTPStatus.LENGTH_REQUIRED, 'chunked bodies (any '
                               'Transfer-Encoding) are not supported; send Content-Length')
        length = self.content_length()
        if length is None:
            self.close_connection = True  # whatever follows cannot be told from a body
            raise RequestError(HTTPStatus.LENGTH_REQUIRED, 'a Content-Length header is required')
        if length > limit:
            self.discard_body(length)
            raise RequestError(HTTPStatus.REQUEST_ENTITY_TOO_LARGE,
                               'body of %d bytes is over the %d-byte limit' % (length, limit))
        self.waiting_for(WAITING_BODY)
        try:
            body = self.rfile.read(length)
        except TimeoutError:
            self.close_connection = True
            raise RequestError(HTTPStatus.REQUEST_TIMEOUT, 'timed out after %g s while '
                               'reading the body' % self.timeout)
        finally:
            self.busy()
        self.body_consumed = True
        if len(body) < length:
            self.close_connection = True
            raise RequestError(HTTPStatus.BAD_REQUEST, 'body ended after %d of %d bytes' % (
                len(body), length))
        return body

    def discard_body(self, length):
        if length <= MAX_DISCARD_BYTES:
            self.waiting_for(WAITING_BODY)
            try:
                while length > 0:
                    chunk = self.rfile.read(min(length, 1 << 16))
                    if not chunk:
                        break
                    length -= len(chunk)
            except (TimeoutError, ConnectionError):
                pass
            finally:
                self.busy()
        # Unread bytes would be taken for the next request.
        self.close_connection = self.close_connection or length > 0
        self.body_consumed = True

    def drain_body(self):
        """Read and drop the body of a request answered without it (an error, or a GET
        with a body), so the connection can go on; a large or unknown one closes it."""
        try:
            length = self.content_length()
        except RequestError:
            length = None
        if (length is None or length > MAX_BODY_BYTES
                or self.headers.get('Transfer-Encoding') is not None):
            self.close_connection = True
            self.body_consumed = True
        else:
            self.discard_body(length)

    def has_body(self):
        headers = getattr(self, 'headers', None)
        return headers is not None and (headers.get('Transfer-Encoding') is not None or
                                        (headers.get('Content-Length') or '0').strip() != '0')

    # -- dispatch: every method goes through here, so a wrong one is a JSON 404 or 405

    def dispatch(self):
        self.body_consumed = not self.has_body()
        try:
            path = self.request_path()
            methods = self.routes(path)
            if methods is None:
                raise RequestError(HTTPStatus.NOT_FOUND, 'unknown path %s; try POST /predict, '
                                   'GET /models, GET /health or POST /v1/models/NAME:predict'
                                   % json.dumps(path))
            if self.command == 'OPTIONS':
                self.answer_preflight(methods)
                return
            handler = methods.get(self.command)
            if handler is None:
                raise RequestError(HTTPStatus.METHOD_NOT_ALLOWED, '%s %s is not supported; use '
                                   '%s' % (self.command, path, ' or '.join(methods)))
            handler()
        except RequestError as error:
            self.send_json(error.status, {'error': str(error)})
        except OSError as error:  # the socket failed: the client went, or was dropped
            self.log_error('connection lost: %s', error)
            self.close_connection = True
        except Exception as error:  # a bug, or TensorFlow failing: say so, keep serving
            # Last resort, out of any client's reach: tests/test_fuzz_server.py sends the
            # server every kind of bad request and fails on any 5xx.
            self.log_error('%s', traceback.format_exc())
            self.close_connection = True
            self.send_json(HTTPStatus.INTERNAL_SERVER_ERROR,
                           {'error': 'internal error: %s' % gist(error)})

    # -- answers

    def send_json(self, status, payload):
        body = json.dumps(payload, separators=(',', ':')).encode()
        if self.request_version == 'HTTP/0.9':  # e.g. "GET / HTTP/0.9": answer with headers
            self.request_version = 'HTTP/1.0'
        if not self.body_consumed:  # a body we did not read would be taken for a request
            self.drain_body()
        self.send_response(status)
        self.send_header('Content-Type', 'application/json')
        self.send_header('Content-Length', str(len(body)))
        if status == HTTPStatus.METHOD_NOT_ALLOWED:
            methods = self.routes(self.request_path()) if self.command else None
            if methods:
                self.send_header('Allow', ', '.join(methods))
        self.send_cors_headers()
        if self.close_connection:
            self.send_header('Connection', 'close')
        self.end_headers()
        if self.command != 'HEAD':
            self.wfile.write(body)

    def send_error(self, code, message=None, explain=None):
        # The base class answers its own errors (a malformed request line, oversized
        # headers) with HTML; ours are JSON like every other answer, and never a 5xx.
        self.close_connection = True
        self.body_consumed = True  # the connection closes: nothing to drain
        if code == HTTPStatus.HTTP_VERSION_NOT_SUPPORTED:
            code, message = HTTPStatus.BAD_REQUEST, '%s; use HTTP/1.1' % message
        elif code >= 500:
            code = HTTPStatus.BAD_REQUEST
        self.send_json(code, {'error': message or HTTPStatus(code).phrase})

    def allowed_origin(self):
        """The Origin header when it may read our answers, else None."""
        origin = self.headers.get('Origin') if getattr(self, 'headers', None) else None
        if not origin or not re.fullmatch(r'[!-~]+', origin):  # one printable ASCII word
            return None
        allowed = self.server.allowed_origins
        return origin if '*' in allowed or origin in allowed else None

    def send_cors_headers(self):
        origin = self.allowed_origin()
        if origin:
            self.send_header('Access-Control-Allow-Origin', origin)
        self.send_header('Vary', 'Origin')

    def answer_preflight(self, methods):
        origin = self.headers.get('Origin')
        if origin and self.allowed_origin() is None:
            raise RequestError(HTTPStatus.FORBIDDEN, 'origin %s is not allowed; start the server '
                               'with --allow_origin %s' % (origin, origin))
        self.send_response(HTTPStatus.NO_CONTENT)
        self.send_header('Access-Control-Allow-Methods', ', '.join(list(methods) + ['OPTIONS']))
        self.send_header('Access-Control-Allow-Headers', 'Content-Type')
        self.send_header('Access-Control-Max-Age', '600')
        self.send_header('Content-Length', '0')
        self.send_cors_headers()
        if not self.body_consumed:
            self.drain_body()
        if self.close_connection:
            self.send_header('Connection', 'close')
        self.end_headers()


# ---------------------------------------------------------------------------- main

def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0],
                                     formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    parser.add_argument('--host', default='127.0.0.1', help='address to listen on')
    parser.add_argument('--port', type=int, default=8888, help='port (0: any free port)')
    parser.add_argument('--model_dir', default='model', help='holds one NAME/ dir per model')
    parser.add_argument('--models', type=lambda text: [n for n in text.split(',') if n],
                        default=None, help='comma-separated subset to serve (default: all)')
    parser.add_argument('--allow_origin', action='append', default=None,
                        help='page origin allowed to call the API (repeatable, or *); '
                             'default: %s' % ' and '.join(DEFAULT_ORIGINS))
    parser.add_argument('--timeout', type=float, default=10,
                        help="seconds a client has to send a request's line and headers, and "
                             'again its body; also how long a keep-alive connection may idle')
    parser.add_argument('--max_connections', type=int, default=DEFAULT_MAX_CONNECTIONS,
                        help='connections open at once (a thread each); at the limit the one '
                             'waiting longest for its request is dropped')
    return parser.parse_args(argv)


def main(argv=None):
    flags = parse_args(argv)
    # Here, not on import: the loading code below works either way (every graph is built
    # inside its own tf.Graph), and benchmarks import it next to eager Keras.
    tf.disable_v2_behavior()
    names = flags.models or find_model_names(flags.model_dir)
    models = load_models(flags.model_dir, names)
    if not models:
        sys.exit('error: no loadable model in %s/ (looked for %s); train one first, e.g. '
                 'python train_nn.py' % (flags.model_dir, ', '.join(names) or 'NAME/checkpoint'))
    try:
        server = PredictServer((flags.host, flags.port), models,
                               tuple(flags.allow_origin or DEFAULT_ORIGINS), flags.timeout,
                               max(1, flags.max_connections))
    except OSError as error:
        sys.exit('error: cannot listen on %s:%d: %s' % (flags.host, flags.port,
                                                         error.strerror or error))
    host, port = server.server_address[:2]
    print('Serving %d model%s (%s) at http://%s:%d  (start-up %.1f s; POST /predict, '
          'GET /models, GET /health, /v1/models/NAME:predict; Ctrl-C stops)' % (
              len(models), '' if len(models) == 1 else 's', ', '.join(models), host, port,
              time.time() - STARTED), flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        print('Stopped.')
    finally:
        server.server_close()
        for model in models.values():
            model.close()


if __name__ == '__main__':
    main()
