"""predict_server.py under fire: Hypothesis generates FUZZ_REQUESTS (default 10,000) hostile
requests, sends them over raw sockets, several connections at once, to a real server process
on 127.0.0.1, and checks every answer: never a 5xx, every rejection a 4xx with a JSON body
{"error": "..."}, never a file's content, and afterwards the server is up, answers a valid
/predict exactly as before, and its memory (VmRSS) has not grown without bound.

The categories: random bytes; truncated and oversized bodies; deeply nested and huge JSON;
wrong types anywhere in /predict and TF Serving bodies; NaN and Infinity literals; extreme
finite numbers; wrong lengths and shapes; unicode in names, fields, paths, headers and body
encodings; bad headers (lengths, transfer encodings, folding, NUL, 101 of them); lines over
64 KB; wrong methods, paths (traversal included) and HTTP versions; requests trickled in
pieces, cut off or abandoned (slow-loris style); pipelined requests; and valid requests
among them all, whose answers are checked too.

Then the hardening on its own: path traversal, protocol errors the base class would answer
with 5xx or without a status line, slow-loris clients against the per-request deadline and
the connection limit, and the defaults (127.0.0.1, local origins only, capped bodies).

    FUZZ_REQUESTS=2000 pytest tests/test_fuzz_server.py -s   # fewer; -s prints the summary
    FUZZ_SEED=123 ...                                        # replay one run's requests

The summary (requests by category, statuses, RSS before and after, runtime) is printed and
written to test-artifacts/fuzz_server.json.
"""
import collections
import concurrent.futures
from http.client import HTTPConnection
import json
import math
import os
import re
import selectors
import socket
import threading
import time

import numpy as np
import pytest
from hypothesis import HealthCheck, Phase, given, seed, settings, strategies as st

from conftest import ROOT
from servers import call, start_predict_server, train_model
from serving import http as serving_http
from serving.connections import WAITING_BODY

FUZZ_REQUESTS = int(os.environ.get('FUZZ_REQUESTS', '10000'))
FUZZ_SEED = os.environ.get('FUZZ_SEED')
BATCH = 50  # requests per Hypothesis example, sent over PARALLEL connections at once
PARALLEL = 8
WARM_UP = 1000  # requests before the "before" RSS reading: allocators settle first
RSS_GROWTH_LIMIT_MB = 100
SERVER_TIMEOUT_S = 2  # the server's --timeout: nothing here should ever wait for it
CLIENT_TIMEOUT_S = 15  # a whole exchange; far more than any answer takes
ARTIFACT = os.path.join(ROOT, 'test-artifacts', 'fuzz_server.json')
ALL_MODELS = ['nn', 'regression']
# What a /predict that names no models is answered for: the models, then their ensemble.
SERVED = ALL_MODELS + ['ensemble']
PASSWD_MARK = b'root:'  # the first line of /etc/passwd, were it ever served


# ---------------------------------------------------------------------------- the server

@pytest.fixture(scope='module')
def fuzz_models(tiny_mnist, tmp_path_factory):
    model_dir = tmp_path_factory.mktemp('fuzz') / 'model'
    for name in ALL_MODELS:
        train_model(name, tiny_mnist, model_dir)
    return model_dir


@pytest.fixture(scope='module')
def server(fuzz_models, tmp_path_factory):
    server = start_predict_server(fuzz_models, '--timeout', str(SERVER_TIMEOUT_S),
                                  '--feedback_dir', str(tmp_path_factory.mktemp('feedback')),
                                  '--feedback_per_minute', '0')
    yield server
    server.stop()


def rss_mb(pid):
    with open('/proc/%d/status' % pid) as f:
        kilobytes = int(re.search(r'VmRSS:\s+(\d+) kB', f.read()).group(1))
    return kilobytes / 1024


# ---------------------------------------------------------------------------- requests

class Request:
    """Raw bytes to send (in chunks, `pause` s apart) and what the answers may be.

    allowed    statuses the first final answer may have (None: any under 500)
    answers    'one' exactly one final answer, 'some' at least one, 'any' perhaps none,
               or an int: exactly that many
    half_close shut our sending side when done (the server reads end-of-file); False
               abandons the connection mid-request, and nothing is checked
    may_reset  the server may stop reading and close while bytes are unread, and the
               kernel's reset then loses its answer (a line or header over 64 KB)
    predict    each 200 answer must be a /predict answer for these models
    """

    def __init__(self, category, data, allowed=None, answers='one', chunks=None, pause=0.0,
                 half_close=True, may_reset=False, predict=None, head=False):
        self.category, self.data = category, data
        self.allowed = None if allowed is None else frozenset(allowed)
        self.answers, self.half_close, self.may_reset = answers, half_close, may_reset
        self.chunks = chunks or [data]
        self.pause, self.predict, self.head = pause, predict, head

    def __repr__(self):
        data = self.data if len(self.data) <= 300 else self.data[:300] + b'...'
        return '<%s %d bytes: %r>' % (self.category, len(self.data), data)


def http(method, target, body=b'', headers=(), version='HTTP/1.1', length=True):
    """A request's bytes: the request line, Host, the given header lines and Content-Length
    (unless length is False or a string to use instead), then the body."""
    lines = [(b'%s %s %s' % (_bytes(method), _bytes(target), _bytes(version))).rstrip(),
             b'Host: 127.0.0.1']
    lines += [_bytes(header) for header in headers]
    if length is True:
        lines.append(b'Content-Length: %d' % len(body))
    elif length:
        lines.append(b'Content-Length: ' + _bytes(length))
    return b'\r\n'.join(lines) + b'\r\n\r\n' + _bytes(body)


def _bytes(text):
    return text if isinstance(text, bytes) else text.encode('utf-8')


def dumps(payload):
    return json.dumps(payload, separators=(',', ':')).encode()


def post_predict(payload, **options):
    body = payload if isinstance(payload, bytes) else dumps(payload)
    return http('POST', '/predict', body, **options)


def digit(seed_value):
    """A random stroke image, 784 floats in 0..1: a few thick random segments."""
    rng = np.random.RandomState(seed_value)
    image = np.zeros((28, 28))
    for _ in range(rng.randint(1, 4)):
        (r0, c0), (r1, c1) = rng.randint(2, 26, size=(2, 2))
        for t in np.linspace(0, 1, 30):
            r, c = int(r0 + t * (r1 - r0)), int(c0 + t * (c1 - c0))
            image[max(r - 1, 0):r + 2, max(c - 1, 0):c + 2] = rng.uniform(0.5, 1)
    return image.ravel()


ZEROS = [0] * 784
ZEROS_BODY = dumps(ZEROS)

seeds = st.integers(0, 2 ** 31 - 1)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-2 ** 70, 2 ** 70)
    | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=6)
    | st.dictionaries(st.text(max_size=10), children, max_size=6),
    max_leaves=25)
pixel_formats = st.sampled_from(['unit', 'int255', 'float255', 'binary', 'rows'])


@st.composite
def valid_image(draw):
    """(image as sent, max_value to state or None): a digit in one of the formats."""
    image = digit(draw(seeds))
    form = draw(pixel_formats)
    if form == 'int255':
        return [int(v) for v in np.round(image * 255)], draw(st.sampled_from([None, 255]))
    if form == 'float255':
        return [round(float(v), 2) for v in image * 255], draw(st.sampled_from([None, 255]))
    if form == 'binary':
        return [int(v > 0) for v in image], draw(st.sampled_from([None, 1]))
    if form == 'rows':
        return np.round(image, 3).reshape(28, 28).tolist(), None
    return [round(float(v), 3) for v in image], draw(st.sampled_from([None, 1]))


@st.composite
def valid_requests(draw):
    kind = draw(st.sampled_from(['predict', 'predict', 'predict', 'bare', 'health', 'models',
                                 'tf_predict', 'tf_status', 'preflight', 'feedback']))
    if kind in ('predict', 'bare'):
        image, max_value = draw(valid_image())
        if kind == 'bare':
            return Request('valid', post_predict(image), {200}, predict=SERVED)
        payload = {'image': image}
        models = draw(st.none() | st.lists(st.sampled_from(SERVED), min_size=1,
                                           max_size=3))
        if models is not None:
            payload['models'] = models
        if max_value is not None:
            payload['max_value'] = max_value
        if draw(st.booleans()):
            payload['preprocess'] = draw(st.booleans())
        return Request('valid', post_predict(payload), {200},
                       predict=list(dict.fromkeys(models or SERVED)))
    if kind == 'tf_predict':
        count = draw(st.integers(1, 4))
        images = [np.round(digit(draw(seeds)), 3).tolist() for _ in range(count)]
        payload = draw(st.sampled_from([{'instances': images}, {'inputs': images},
                                        {'signature_name': 'predict_images',
                                         'instances': [{'images': i} for i in images]}]))
        return Request('valid', http('POST', '/v1/models/nn:predict', dumps(payload)), {200})
    if kind == 'preflight':
        return Request('valid', http('OPTIONS', '/predict', headers=[
            'Origin: http://127.0.0.1:8000', 'Access-Control-Request-Method: POST']), {204})
    if kind == 'feedback':
        image, max_value = draw(valid_image())
        payload = {'image': image, 'label': draw(st.integers(0, 9))}
        if max_value is not None:
            payload['max_value'] = max_value
        return Request('valid', http('POST', '/feedback', dumps(payload)), {200})
    path = {'health': '/health', 'models': '/models', 'tf_status': '/v1/models/regression'}[kind]
    return Request('valid', http('GET', path, length=False), {200})


@st.composite
def random_bytes(draw):
    prefix = draw(st.sampled_from([b'', b'', b'POST /predict HTTP/1.1\r\n',
                                   b'GET /health HTTP/1.1\r\n', b'POST /predict HTTP/1.1\r\n'
                                   b'Content-Length: 100\r\n\r\n']))
    data = prefix + draw(st.binary(max_size=3000))
    return Request('random_bytes', data, answers='any')


@st.composite
def truncated_bodies(draw):
    image, _ = draw(valid_image())
    body = dumps(image)
    cut = draw(st.integers(0, len(body) - 1))
    path = draw(st.sampled_from(['/predict', '/v1/models/nn:predict']))
    data = http('POST', path, body, length=str(len(body)))[:-len(body) or None] + body[:cut]
    return Request('truncated_body', data, {400})


@st.composite
def oversized_bodies(draw):
    path, limit = draw(st.sampled_from([('/predict', 64 * 1024),
                                        ('/v1/models/nn:predict', 8 * 1024 * 1024)]))
    claimed = draw(st.integers(limit + 1, 10 ** 15))
    if draw(st.booleans()) and path == '/predict':  # really send it: up to 3× the limit
        claimed = draw(st.integers(limit + 1, 3 * limit))
        body = b'[' + b'0,' * ((claimed - 2) // 2) + b'0]'
        return Request('oversized_body', http('POST', path, body), {413})
    sent = b'[0,0,0,' * draw(st.integers(0, 500))  # a start of it, then end-of-file
    return Request('oversized_body', http('POST', path, length=str(claimed)) + sent, {413})


@st.composite
def deep_json(draw):
    depth = draw(st.integers(2, 32000))
    opener, closer = draw(st.sampled_from([(b'[', b']'), (b'{"a":', b'}'),
                                           (b'{"image":', b'}'), (b'[{"x":', b'}]')]))
    body = opener * depth + draw(st.sampled_from([b'0', b'', b'[]', b'null']))
    if draw(st.booleans()):
        body += closer * depth
    body = body[:64 * 1024]
    path = draw(st.sampled_from(['/predict', '/v1/models/nn:predict']))
    return Request('deep_json', http('POST', path, body), {400, 413})


@st.composite
def huge_json(draw):
    size = draw(st.integers(1000, 64 * 1024 - 100))
    kind = draw(st.sampled_from(['digits', 'string', 'strings', 'keys', 'floats', 'exponent']))
    if kind == 'digits':  # one integer literal of thousands of digits
        body = b'[' + b'9' * (size - 2) + b']'
    elif kind == 'string':
        body = b'"' + b'x' * (size - 2) + b'"'
    elif kind == 'strings':
        body = dumps(['%0*d' % (max(1, size // 800), i) for i in range(784)])
    elif kind == 'keys':
        body = dumps({'k%d' % i: i for i in range(size // 12)})
    elif kind == 'floats':
        body = b'[' + b','.join(b'0.' + b'1' * (size // 800) for _ in range(784)) + b']'
    else:
        body = b'[' + b','.join([b'1e%d' % draw(st.integers(-400, 400))] * 784) + b']'
    body = body[:64 * 1024]
    # A float of a thousand ones is 0.111..., a valid pixel: that one may be answered 200.
    allowed = {200, 400} if kind in ('floats', 'exponent') else {400}
    return Request('huge_json', post_predict(body), allowed, predict=SERVED)


@st.composite
def wrong_types(draw):
    value = draw(json_values)
    kind = draw(st.sampled_from(['bare', 'image', 'field', 'pixel', 'tf_instances',
                                 'tf_signature', 'tf_inputs', 'feedback']))
    if kind == 'bare':
        return Request('wrong_types', post_predict(dumps(value)), {400, 404})
    if kind == 'feedback':  # a wrong label, or a wrong image
        payload = draw(st.sampled_from([{'image': digit(0).round(3).tolist(), 'label': value},
                                        {'image': value, 'label': 3}]))
        allowed = {200, 400} if type(value) is int and 0 <= value <= 9 else {400}
        return Request('wrong_types', http('POST', '/feedback', dumps(payload)), allowed)
    if kind == 'image':
        return Request('wrong_types', post_predict({'image': value}), {400})
    if kind == 'field':
        field = draw(st.sampled_from(['models', 'preprocess', 'max_value']))
        return Request('wrong_types', post_predict({'image': ZEROS, field: value}),
                       {200, 400, 404}, predict=SERVED if field != 'models' else None)
    if kind == 'pixel':
        image = [round(float(v), 3) for v in digit(draw(seeds))]
        image[draw(st.integers(0, 783))] = value
        return Request('wrong_types', post_predict(image), {200, 400}, predict=SERVED)
    if kind == 'tf_signature':
        payload = {'signature_name': value, 'instances': [ZEROS]}
    elif kind == 'tf_inputs':
        payload = {'inputs': value}
    else:
        payload = {'instances': [ZEROS, value] if draw(st.booleans()) else value}
    return Request('wrong_types', http('POST', '/v1/models/nn:predict', dumps(payload)),
                   {200, 400})


@st.composite
def nan_infinity(draw):
    literal = draw(st.sampled_from([b'NaN', b'Infinity', b'-Infinity', b'1e999', b'-1e999',
                                    b'nan', b'inf', b'1e309']))
    values = [b'%g' % round(float(v), 3) for v in digit(draw(seeds))]
    place = draw(st.sampled_from(['pixel', 'max_value', 'tf']))
    if place == 'pixel':
        values[draw(st.integers(0, 783))] = literal
        return Request('nan_infinity', post_predict(b'[' + b','.join(values) + b']'), {400})
    if place == 'max_value':
        body = b'{"image":[' + b','.join(values) + b'],"max_value":' + literal + b'}'
        return Request('nan_infinity', post_predict(body), {400})
    values[draw(st.integers(0, 783))] = literal
    body = b'{"instances":[[' + b','.join(values) + b']]}'
    return Request('nan_infinity', http('POST', '/v1/models/nn:predict', body), {400})


EXTREMES = [3.4e38, -3.4e38, 1e38, 1e-45, 5e-324, -0.0, 1e300, -1e300, 2 ** 63, -2 ** 63,
            10 ** 30, 1e-300, 255.0000001, 1.0000001, 256]


@st.composite
def extreme_values(draw):
    """Finite numbers at the edges of float32 and float64, in a digit or everywhere."""
    value = draw(st.sampled_from(EXTREMES) | st.floats(allow_nan=False, allow_infinity=False))
    image = [round(float(v), 3) for v in digit(draw(seeds))]
    if draw(st.booleans()):
        image = [value] * 784
    else:
        for index in draw(st.lists(st.integers(0, 783), min_size=1, max_size=20)):
            image[index] = value
    if draw(st.booleans()):
        return Request('extreme_values', post_predict(image), {200, 400}, predict=SERVED)
    return Request('extreme_values', http('POST', '/v1/models/nn:predict',
                                          dumps({'instances': [image]})), {200, 400})


@st.composite
def wrong_lengths(draw):
    length = draw(st.integers(0, 2000).filter(lambda n: n != 784))
    kind = draw(st.sampled_from(['flat', 'object', 'rows', 'row', 'tf']))
    if kind == 'flat':
        return Request('wrong_length', post_predict([0.5] * length), {400, 413})
    if kind == 'object':
        return Request('wrong_length', post_predict({'image': [1] * length}), {400, 413})
    if kind == 'rows':
        rows = draw(st.integers(0, 60).filter(lambda n: n != 28))
        return Request('wrong_length', post_predict([[0] * 28] * rows), {400})
    if kind == 'row':
        rows = [[0] * 28 for _ in range(28)]
        rows[draw(st.integers(0, 27))] = [0] * draw(st.integers(0, 80).filter(lambda n: n != 28))
        return Request('wrong_length', post_predict(rows), {400})
    return Request('wrong_length', http('POST', '/v1/models/nn:predict',
                                        dumps({'instances': [[0] * length]})), {400})


@st.composite
def unicode_requests(draw):
    text = draw(st.text(min_size=1, max_size=40))
    kind = draw(st.sampled_from(['model', 'field', 'pixel', 'encoding', 'surrogate', 'path',
                                 'header', 'tf_model', 'not_utf8']))
    if kind == 'model':
        return Request('unicode', post_predict({'image': ZEROS, 'models': [text]}),
                       {200, 404}, predict=[text])
    if kind == 'field':
        return Request('unicode', post_predict({'image': ZEROS, text: True}), {200, 400},
                       predict=SERVED)
    if kind == 'pixel':
        image = list(ZEROS)
        image[draw(st.integers(0, 783))] = text
        return Request('unicode', post_predict(image), {400})
    if kind == 'encoding':  # json.loads reads UTF-16 and UTF-32 too
        encoding = draw(st.sampled_from(['utf-8-sig', 'utf-16', 'utf-16-le', 'utf-16-be',
                                         'utf-32', 'utf-32-be']))
        body = json.dumps({'image': ZEROS, 'models': ['nn']}).encode(encoding)
        return Request('unicode', post_predict(body), {200, 400}, predict=['nn'])
    if kind == 'surrogate':
        body = b'{"image":"\\ud800' + text.encode('utf-8', 'surrogatepass') + b'"}'
        return Request('unicode', post_predict(body), {400})
    if kind == 'path':
        path = '/' + text.replace(' ', '%20')
        return Request('unicode', http('GET', path, length=False),
                       {200, 405} if path.split('?')[0].split('#')[0] in ROUTE_PATHS
                       else {400, 404})
    if kind == 'header':
        value = text.encode('utf-8', 'surrogatepass').replace(b'\r', b'').replace(b'\n', b'')
        control = re.search(rb'[\x00-\x08\x0a-\x1f\x7f]', value)  # refused: ambiguous
        return Request('unicode', post_predict(ZEROS_BODY, headers=[b'X-Text: ' + value,
                                                                    b'Origin: ' + value]),
                       {400} if control else {200}, predict=SERVED)
    if kind == 'tf_model':
        # Without / : ? # the name stays the name (a ? would start a query, leaving a
        # POST on /v1/models/NAME, the GET-only status: a 405).
        name = re.sub(r'[/:?# ]', '', text) or 'x'
        return Request('unicode', http('POST', '/v1/models/%s:predict' % name,
                                       dumps({'instances': [ZEROS]})), {200, 400, 404})
    return Request('unicode', post_predict(b'[\xff\xfe\x80' + text.encode('utf-16') + b']'),
                   {400})


HEADER_CASES = [
    # (name, header lines, Content-Length (True: the right one), allowed statuses)
    ('length not a number', [], 'abc', {400}),
    ('negative length', [], '-1', {400}),
    ('signed length', [], '+%d' % len(ZEROS_BODY), {400}),
    ('length with underscore', [], '1_569', {400}),
    ('hex length', [], '0x621', {400}),
    ('huge length', [], '9' * 30, {400}),
    ('superscript digit length', [], b'\xb2', {400}),
    ('spaced length', [], '  %d  ' % len(ZEROS_BODY), {200}),
    ('two equal lengths', ['Content-Length: %d' % len(ZEROS_BODY)], True, {400}),
    ('two different lengths', ['Content-Length: 5'], True, {400}),
    ('chunked', ['Transfer-Encoding: chunked'], False, {411}),
    ('chunked and a length', ['Transfer-Encoding: chunked'], True, {411}),
    ('gzip transfer encoding', ['Transfer-Encoding: gzip'], True, {411}),
    ('gzip content', ['Content-Encoding: gzip'], True, {415}),  # was a "malformed JSON"
    ('identity content', ['Content-Encoding: Identity'], True, {200}),
    ('no length', [], False, {411}),
    ('a line without a colon', ['NoColonHere'], True, {200, 400, 411}),
    ('a name with a space', ['Content Type: x'], True, {200, 400, 411}),
    ('folded line', ['X-Folded: a', '  continued'], True, {200, 400, 411}),
    ('NUL in a value', [b'X-Nul: a\x00b'], True, {400}),
    ('control characters', [b'X-Ctl: \x01\x02\x7f\x1b[31m'], True, {400}),
    ('latin-1 bytes', [b'X-Latin: \xff\xfe\xe9'], True, {200}),
    ('odd name', ['(@)<>: 1'], True, {200, 400, 411}),
    ('100 headers', ['X-H-%d: 1' % i for i in range(97)], True, {200}),
    ('101 headers', ['X-H-%d: 1' % i for i in range(101)], True, {431}),
    ('expect 100-continue', ['Expect: 100-continue'], True, {200}),
    ('expect something else', ['Expect: tea'], True, {200}),
    ('connection close', ['Connection: close'], True, {200}),
    ('connection garbage', ['Connection: \x01zz'], True, {400}),
    ('text/plain', ['Content-Type: text/plain'], True, {200}),
    ('another host', ['Host: evil.example'], True, {400}),
    ('empty host', ['Host:'], True, {400}),
    ('a foreign origin', ['Origin: http://evil.example'], True, {200}),
    ('an origin with a folded injection', [b'Origin: http://127.0.0.1:8000',
                                           b' X-Injected: 1'], True, {400}),
    ('many cookies', ['Cookie: c%d=%s' % (i, 'v' * 100) for i in range(50)], True, {200}),
]


@st.composite
def bad_headers(draw):
    name, headers, length, allowed = draw(st.sampled_from(HEADER_CASES))
    body = ZEROS_BODY
    if name.startswith('chunked') and length is False:
        body = b'%x\r\n%s\r\n0\r\n\r\n' % (len(ZEROS_BODY), ZEROS_BODY)
    data = http('POST', '/predict', body, headers=headers, length=length)
    return Request('bad_headers', data, allowed, predict=SERVED)


@st.composite
def long_lines(draw):
    """Over the line limits (8 KB for the request line, 16 KB for the headers): 414 or 431,
    the server may stop reading."""
    kind = draw(st.sampled_from(['target', 'header']))
    size = draw(st.integers((8 if kind == 'target' else 16) * 1024 + 1, 70000))
    if kind == 'target':
        return Request('long_line', b'GET /' + b'a' * size + b' HTTP/1.1\r\n\r\n', {414},
                       may_reset=True)
    return Request('long_line', b'GET /health HTTP/1.1\r\nX-Long: ' + b'a' * size +
                   b'\r\n\r\n', {431}, may_reset=True)


METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS', 'TRACE', 'CONNECT',
           'PROPFIND', 'get', 'post', 'BREW', 'do_GET', '__init__', 'GET\x00', '\xff']
TRAVERSALS = ['/../../etc/passwd', '/%2e%2e/%2e%2e/etc/passwd', '//etc/passwd',
              '/..%2f..%2fetc%2fpasswd', '/predict/../../../../etc/passwd',
              '/static/..%5c..%5cetc%5cpasswd', 'http://127.0.0.1/../../etc/passwd',
              'file:///etc/passwd', 'http://127.0.0.1//etc/passwd', '/etc/passwd',
              '/./predict_server.py', '/predict_server.py', '/model/nn/checkpoint',
              '/web/index.html', '/index.html', '/', '*', '..', '\\..\\..\\etc\\passwd',
              '/%00', '/v1/models/..%2f..%2fetc%2fpasswd', '/v1/models/../../etc/passwd',
              'http://[::1/predict', 'http://[/health', '/?', '/#']
PATHS = ['/predict', '/models', '/health', '/v1/models/nn', '/v1/models/nn:predict',
         '/v1/models/ghost:predict', '/v1/models/nn:classify', '/predict?x=1', '/health#f',
         '/HEALTH', '/health/', 'http://127.0.0.1:8888/health'] + TRAVERSALS
VERSIONS = ['HTTP/1.1'] * 8 + ['HTTP/1.0', 'HTTP/0.9', 'HTTP/2.0', 'HTTP/3', 'HTTP/1.1.1',
                               'http/1.1', 'HTTPS/1.1', '', 'HTTP/1.1 extra', 'HTTP/01.01',
                               'HTTP/1.12345678901', 'HTTP/0.5', 'HTTP/9.9']
ROUTE_PATHS = {'/predict', '/models', '/health', '/feedback', '/v1/models/nn', '/v1/models/nn:predict'}
ROUTE_WORDS = ('predict', 'models', 'health')


@st.composite
def methods_and_paths(draw):
    method = draw(st.sampled_from(METHODS) | st.text(
        st.characters(min_codepoint=33, max_codepoint=126), min_size=1, max_size=12))
    target = draw(st.sampled_from(PATHS) | st.text(
        st.characters(min_codepoint=33, max_codepoint=0x2fff), min_size=1, max_size=30))
    version = draw(st.sampled_from(VERSIONS))
    body = draw(st.sampled_from([b'', ZEROS_BODY]))
    data = http(method, target, body, version=version)
    allowed = None  # any status under 500, and never a file
    if version == 'HTTP/1.1' and not any(word in target for word in ROUTE_WORDS):
        allowed = {400, 404}  # no file, no other resource, whatever the method
    return Request('method_path', data, allowed, head=method == 'HEAD')


@st.composite
def partial_requests(draw):
    """Slow-loris style: a request trickled in pieces; finished, or cut off then end-of-file
    (any answer, perhaps none), or abandoned mid-way."""
    request = draw(valid_requests())
    data = request.data
    cuts = sorted(draw(st.lists(st.integers(1, len(data) - 1), min_size=1, max_size=5,
                                unique=True)))
    chunks = [data[a:b] for a, b in zip([0] + cuts, cuts + [len(data)])]
    pause = draw(st.sampled_from([0.0, 0.001, 0.005, 0.02]))
    ending = draw(st.sampled_from(['complete', 'complete', 'cut', 'abandon']))
    if ending == 'complete':
        return Request('partial', data, request.allowed, chunks=chunks, pause=pause,
                       predict=request.predict)
    keep = draw(st.integers(1, len(chunks) - 1)) if len(chunks) > 1 else 1
    if ending == 'cut':
        return Request('partial', b''.join(chunks[:keep]), answers='any', chunks=chunks[:keep],
                       pause=pause)
    return Request('partial', b''.join(chunks[:keep]), chunks=chunks[:keep], pause=pause,
                   half_close=False)


@st.composite
def pipelined(draw):
    requests = draw(st.lists(valid_requests() | wrong_lengths() | nan_infinity(),
                             min_size=2, max_size=4))
    data = b''.join(request.data for request in requests)
    all_valid = all(request.category == 'valid' for request in requests)
    # Some rejections close the connection (a body cut short, say): what follows is unread.
    return Request('pipelined', data, None, answers=len(requests) if all_valid else 'some',
                   predict=None)


REQUESTS = st.one_of(valid_requests(), random_bytes(), truncated_bodies(), oversized_bodies(),
                     deep_json(), huge_json(), wrong_types(), nan_infinity(), extreme_values(),
                     wrong_lengths(), unicode_requests(), bad_headers(), long_lines(),
                     methods_and_paths(), partial_requests(), pipelined())


# ---------------------------------------------------------------------------- exchanges

def exchange(port, request):
    """(bytes received, 'reset' if the connection was reset, else None)."""
    received = bytearray()
    with socket.create_connection(('127.0.0.1', port), timeout=CLIENT_TIMEOUT_S) as sock:
        try:
            for index, chunk in enumerate(request.chunks):
                if index and request.pause:
                    time.sleep(request.pause)
                sock.sendall(chunk)
            if not request.half_close:
                return bytes(received), None
            sock.shutdown(socket.SHUT_WR)
            deadline = time.monotonic() + CLIENT_TIMEOUT_S
            while time.monotonic() < deadline:
                data = sock.recv(1 << 16)
                if not data:
                    return bytes(received), None
                received += data
            return bytes(received), 'no end of the answer in %d s' % CLIENT_TIMEOUT_S
        except socket.timeout:
            return bytes(received), 'timed out'
        except OSError:  # reset, broken pipe, not connected
            return bytes(received), 'reset'


def parse_answers(data, head=False):
    """[(status, {header: value}, body)] of the answers in a byte stream; raises
    AssertionError on anything that is not a well-formed answer."""
    answers = []
    while data:
        head_end = data.find(b'\r\n\r\n')
        assert head_end >= 0, 'an answer cut off in its head: %r' % data[:300]
        lines = data[:head_end].decode('latin-1').split('\r\n')
        match = re.fullmatch(r'HTTP/1\.1 (\d{3}) .*', lines[0])
        assert match, 'not a status line: %r' % lines[0]
        status = int(match.group(1))
        headers = {}
        for line in lines[1:]:
            name, _, value = line.partition(':')
            headers[name.strip().lower()] = value.strip()
        data = data[head_end + 4:]
        if 100 <= status < 200:
            continue
        # An answer to HEAD has no body, unless the request was too broken to be known
        # for a HEAD: then what follows is not the next answer.
        no_body = head and not answers and (not data or data.startswith(b'HTTP/1.1 '))
        length = 0 if no_body else int(headers['content-length'])
        assert len(data) >= length, 'an answer cut off in its body'
        answers.append((status, headers, data[:length]))
        data = data[length:]
    return answers


def strict_json(body):
    def refuse(constant):
        raise ValueError('%s in an answer' % constant)
    return json.loads(body, parse_constant=refuse)


def check(request, data, problem):
    """What is wrong with the answers to `request`, or None."""
    if not request.half_close:
        return None
    if problem and problem != 'reset':
        return problem
    try:
        answers = parse_answers(data, request.head)
    except (AssertionError, KeyError, ValueError) as error:
        return 'malformed answer (%s)' % error
    if problem == 'reset' and not answers and (request.may_reset or request.answers == 'any'):
        return None
    expected = request.answers
    if expected == 'one' and len(answers) != 1 or expected == 'some' and not answers or (
            isinstance(expected, int) and len(answers) != expected):
        return '%d answers, expected %s%s' % (len(answers), expected,
                                              ' (connection reset)' if problem else '')
    for index, (status, headers, body) in enumerate(answers):
        if status >= 500:
            return 'a %d: %r' % (status, body[:200])
        if PASSWD_MARK in body:
            return 'a file was served: %r' % body[:200]
        if index == 0 and request.allowed is not None and status not in request.allowed:
            return 'status %d, expected %s: %r' % (status, sorted(request.allowed), body[:200])
        if request.head and index == 0 or status == 204:
            continue
        if headers.get('content-type') != 'application/json':
            return 'status %d without a JSON Content-Type' % status
        try:
            answer = strict_json(body)  # every answer: no NaN or Infinity
        except ValueError as error:
            return 'status %d, not JSON (%s): %r' % (status, error, body[:200])
        if status >= 400:
            if (not isinstance(answer, dict) or list(answer) != ['error']
                    or not isinstance(answer['error'], str) or not answer['error']):
                return 'a %d without {"error": "..."}: %r' % (status, body[:200])
        elif status == 200 and index == 0 and request.predict:
            wrong = wrong_predict_answer(answer, request.predict)
            if wrong:
                return wrong
    if answers and 'access-control-allow-origin' in answers[0][1] and (
            answers[0][1]['access-control-allow-origin'] != 'http://127.0.0.1:8000'):
        return 'CORS granted to %r' % answers[0][1]['access-control-allow-origin']
    if any('x-injected' in headers for _, headers, _ in answers):
        return 'a header was injected'
    return None


def wrong_predict_answer(answer, models):
    if [m['name'] for m in answer.get('models', [])] != models:
        return 'answered for %s, asked %s' % ([m.get('name') for m in answer['models']], models)
    for model in answer['models']:
        probabilities = model['probabilities']
        if len(probabilities) != 10 or abs(sum(probabilities) - 1) > 1e-3:
            return 'probabilities %s' % probabilities
        if probabilities[model['prediction']] != max(probabilities):
            return 'prediction %s is not the likeliest' % model['prediction']
    if np.array(answer['input']).shape != (28, 28):
        return 'input of shape %s' % (np.array(answer['input']).shape,)
    return None


class Fuzzer:
    """Sends batches, counts what it sent and saw, keeps the first failures."""

    def __init__(self, port):
        self.port = port
        self.pool = concurrent.futures.ThreadPoolExecutor(PARALLEL)
        self.sent = collections.Counter()
        self.statuses = collections.Counter()
        self.failures = []
        self.total = 0

    def send(self, batch):
        results = self.pool.map(lambda request: exchange(self.port, request), batch)
        for request, (data, problem) in zip(batch, results):
            self.total += 1
            self.sent[request.category] += 1
            self.count_statuses(data, problem, request)
            try:
                failure = check(request, data, problem)
            except Exception as error:  # a bug here: report it, not a 60-request batch
                failure = 'check failed: %r' % error
            if failure:
                self.failures.append('%s: %r' % (failure, request))

    def count_statuses(self, data, problem, request):
        if not request.half_close:
            self.statuses['abandoned'] += 1
            return
        found = re.findall(rb'HTTP/1\.1 (\d{3}) ', data)
        for status in found:
            self.statuses[status.decode()] += 1
        if problem == 'reset':
            self.statuses['reset'] += 1
        if not found:
            self.statuses['no answer'] += 1


# ---------------------------------------------------------------------------- the fuzz test

def reference_answer(server):
    image = [round(float(v), 3) for v in digit(7)]
    status, _, answer = call(server, 'POST', '/predict', {'image': image})
    assert status == 200
    return [(m['name'], m['prediction'], m['probabilities']) for m in answer['models']]


def test_thousands_of_hostile_requests_get_4xx_json_and_the_server_stays_well(server):
    pid = server.process.pid
    expected = reference_answer(server)
    fuzzer = Fuzzer(server.port)
    examples = math.ceil(FUZZ_REQUESTS / BATCH)
    rss = {'start': rss_mb(pid)}
    started = time.perf_counter()

    @settings(max_examples=examples, deadline=None, database=None, phases=[Phase.generate],
              suppress_health_check=list(HealthCheck), print_blob=False)
    @given(st.lists(REQUESTS, min_size=BATCH, max_size=BATCH))
    def fuzz(batch):
        if fuzzer.total >= FUZZ_REQUESTS or len(fuzzer.failures) > 20:
            return
        fuzzer.send(batch)
        if 'after_warm_up' not in rss and fuzzer.total >= min(WARM_UP, FUZZ_REQUESTS // 2):
            rss['after_warm_up'] = rss_mb(pid)

    if FUZZ_SEED:
        fuzz = seed(int(FUZZ_SEED))(fuzz)
    try:
        fuzz()
    finally:
        fuzzer.pool.shutdown()
    seconds = time.perf_counter() - started
    rss['end'] = rss_mb(pid)

    summary = {'requests': fuzzer.total, 'seconds': round(seconds, 1),
               'requests_per_second': round(fuzzer.total / seconds),
               'parallel_connections': PARALLEL, 'by_category': dict(sorted(fuzzer.sent.items())),
               'statuses': dict(sorted(fuzzer.statuses.items())),
               'rss_mb': {key: round(value, 1) for key, value in rss.items()},
               'failures': len(fuzzer.failures)}
    os.makedirs(os.path.dirname(ARTIFACT), exist_ok=True)
    with open(ARTIFACT, 'w') as f:
        json.dump(summary, f, indent=2)
        f.write('\n')
    print('\nfuzz: %(requests)d requests in %(seconds)s s (%(requests_per_second)d/s, '
          '%(parallel_connections)d connections); by category %(by_category)s; statuses '
          '%(statuses)s; server RSS MB %(rss_mb)s' % summary)

    assert not fuzzer.failures, '%d failures, the first:\n%s' % (
        len(fuzzer.failures), '\n'.join(fuzzer.failures[:10]))
    assert fuzzer.total >= FUZZ_REQUESTS
    assert server.process.poll() is None
    assert call(server, 'GET', '/health')[0] == 200
    assert reference_answer(server) == expected
    assert rss['end'] - rss['after_warm_up'] < RSS_GROWTH_LIMIT_MB, rss
    assert not server.traceback, server.output[-3000:]


# ---------------------------------------------------------------------------- hardening

def raw(port, data, head=False):
    """The answers to raw request bytes, sent then end-of-file."""
    received, problem = exchange(port, Request('raw', data, answers='any'))
    assert problem is None, problem
    return parse_answers(received, head)


@pytest.mark.parametrize('target', TRAVERSALS)
@pytest.mark.parametrize('method', ['GET', 'POST'])
def test_no_file_is_ever_served(server, method, target):
    answers = raw(server.port, http(method, target, length=method == 'POST'))
    assert len(answers) == 1
    status, headers, body = answers[0]
    # POST on /v1/models/NAME (a model's status, read with GET) is a 405.
    assert status == 404 or method == 'POST' and status == 405
    assert headers['content-type'] == 'application/json'
    assert list(json.loads(body)) == ['error'] and PASSWD_MARK not in body


@pytest.mark.parametrize('request_bytes, status, words', [
    # The base class answers these with 501 and 505, or with a bare body for HTTP/0.9.
    (b'BREW /health HTTP/1.1\r\n\r\n', 405, 'BREW /health is not supported; use GET'),
    (b'BREW /coffee HTTP/1.1\r\n\r\n', 404, 'unknown path "/coffee"'),
    (b'GET /health HTTP/2.0\r\n\r\n', 400, 'Invalid HTTP version (2.0); use HTTP/1.1'),
    (b'GET /health HTTP/0.9\r\n\r\n', 400, 'HTTP/0.x requests are not supported'),
    (b'GET /health\r\n\r\n', 400, 'HTTP/0.x requests are not supported'),
    (b'GET /health HTTP/1.x\r\n\r\n', 400, 'Bad request version'),
    # urlsplit raises on an unclosed IPv6 host: once a 500.
    (b'GET http://[::1/health HTTP/1.1\r\n\r\n', 404, 'unknown path'),
    # An unhashable signature name: once a 500.
    (http('POST', '/v1/models/nn:predict', dumps({'signature_name': [], 'instances': [ZEROS]})),
     400, 'not found in signature def'),
    (http('POST', '/predict', ZEROS_BODY, length='1_569'), 400, 'invalid Content-Length'),
    (http('POST', '/predict', ZEROS_BODY, headers=['Content-Length: 3']), 400,
     'more than one Content-Length header'),
])
def test_protocol_errors_are_4xx_json_with_a_status_line(server, request_bytes, status, words):
    answers = raw(server.port, request_bytes)
    assert len(answers) == 1
    got_status, headers, body = answers[0]
    assert got_status == status and headers['content-type'] == 'application/json'
    assert words in json.loads(body)['error']


def test_a_body_the_server_does_not_read_is_never_taken_for_a_request(server):
    smuggled = http('GET', '/models', length=False)
    # A body on a GET is refused, and the connection closed: it is never read as a request.
    answers = raw(server.port, http('GET', '/health', smuggled) + http('GET', '/health'))
    assert [(status, headers['connection']) for status, headers, _ in answers] == [
        (400, 'close')]
    assert all(b'"models":[{' not in body for _, _, body in answers)
    # The unread body of a refused POST is drained: the next request is the real one.
    answers = raw(server.port, http('POST', '/models', smuggled) + http('GET', '/health'))
    assert [status for status, _, _ in answers] == [405, 200]
    assert all(b'"models":[{' not in body for _, _, body in answers)
    # Too big to drain (over 64 KB): answered, and hung up on before the rest is read.
    answers = raw(server.port, http('POST', '/nowhere', length='70000') + smuggled)
    assert [(status, headers['connection']) for status, headers, _ in answers] == [
        (404, 'close')]


def test_defaults_listen_on_loopback_let_only_the_local_page_in_and_cap_bodies(server):
    import predict_server
    flags = predict_server.parse_args([])
    assert flags.host == '127.0.0.1' and flags.allow_origin is None
    assert set(serving_http.DEFAULT_ORIGINS) == {'http://127.0.0.1:8000',
                                                 'http://localhost:8000'}
    assert serving_http.MAX_BODY_BYTES == 64 * 1024 and flags.timeout == 10
    assert flags.max_connections == serving_http.DEFAULT_MAX_CONNECTIONS == 64
    assert server.url.startswith('http://127.0.0.1:')  # started without --host
    _, headers, _ = call(server, 'GET', '/health', headers={'Origin': 'http://localhost:9999'})
    assert 'Access-Control-Allow-Origin' not in headers


# ---------------------------------------------------------------------------- slow clients

SLOW_TIMEOUT_S = 3
SLOW_CAP = 16


@pytest.fixture(scope='module')
def capped_server(fuzz_models):
    server = start_predict_server(fuzz_models, '--timeout', str(SLOW_TIMEOUT_S),
                                  '--max_connections', str(SLOW_CAP))
    yield server
    server.stop()


class SlowLoris:
    """`count` connections, each sending one byte of a never-ending request head every
    `interval` s, from one thread, for at most `seconds`; records when each was closed."""

    HEAD = b'GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n' + b'X-Slow: ' + b'a' * 10000

    def __init__(self, port, count, interval, seconds):
        self.socks = [socket.create_connection(('127.0.0.1', port), timeout=5)
                      for _ in range(count)]
        self.interval, self.seconds = interval, seconds
        self.closed_after = {}  # index → seconds from the start until the server hung up
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.started = time.monotonic()
        self.thread.start()

    def _run(self):
        selector = selectors.DefaultSelector()
        for index, sock in enumerate(self.socks):
            sock.setblocking(False)
            selector.register(sock, selectors.EVENT_READ, index)
        position = 0
        while time.monotonic() - self.started < self.seconds:
            for index, sock in enumerate(self.socks):
                if index not in self.closed_after:
                    try:
                        sock.send(self.HEAD[position:position + 1])
                    except OSError:
                        self.closed_after[index] = time.monotonic() - self.started
            position += 1
            tick = time.monotonic() + self.interval
            while time.monotonic() < tick:
                for key, _ in selector.select(max(0.0, tick - time.monotonic())):
                    index = key.data
                    try:
                        data = key.fileobj.recv(4096)
                    except OSError:
                        data = b''
                    if not data and index not in self.closed_after:
                        self.closed_after[index] = time.monotonic() - self.started
                        selector.unregister(key.fileobj)
                    elif not data:
                        selector.unregister(key.fileobj)
            if len(self.closed_after) == len(self.socks):
                break
        selector.close()

    def stop(self):
        self.thread.join(timeout=self.seconds + 5)
        for sock in self.socks:
            sock.close()


def timed_requests(server, seconds, interval=0.1):
    """(latencies, statuses) of alternating GET /health and POST /predict, one after the
    other, for `seconds`."""
    latencies, statuses = [], []
    body = dumps([round(float(v), 3) for v in digit(3)])
    finish = time.monotonic() + seconds
    while time.monotonic() < finish:
        started = time.monotonic()
        if len(statuses) % 2:
            status = call(server, 'POST', '/predict', body=body)[0]
        else:
            status = call(server, 'GET', '/health')[0]
        latencies.append(time.monotonic() - started)
        statuses.append(status)
        time.sleep(interval)
    return latencies, statuses


def test_one_slow_loris_is_cut_off_at_the_deadline(capped_server):
    # A byte every 0.3 s never trips a per-read timeout; the request's deadline stops it.
    loris = SlowLoris(capped_server.port, 1, interval=0.3, seconds=SLOW_TIMEOUT_S + 5)
    loris.stop()
    assert SLOW_TIMEOUT_S - 0.5 < loris.closed_after.get(0, 1e9) < SLOW_TIMEOUT_S + 1.5


def stalled_answer(port, sent):
    """(seconds until the server ended the connection, its answers) for a request that
    stops after `sent` and never goes on."""
    with socket.create_connection(('127.0.0.1', port), timeout=4 * SLOW_TIMEOUT_S) as sock:
        started = time.monotonic()
        sock.sendall(sent)
        received = b''
        while True:
            data = sock.recv(4096)
            if not data:
                return time.monotonic() - started, parse_answers(received)
            received += data


@pytest.mark.parametrize('sent, words', [
    (b'POST /predict HTTP/1.1\r\nHost: 127.0.0.1\r\nCont', 'the request line and headers'),
    (b'POST /pred', 'the request line and headers'),
    (b'POST /predict HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 3000\r\n\r\n[0.1',
     'the body'),
])
def test_a_stalled_request_gets_a_408_at_its_deadline(capped_server, sent, words):
    # Once: the body's 408 is not held back to read, for as long again, what never comes.
    seconds, answers = stalled_answer(capped_server.port, sent)
    assert [status for status, _, _ in answers] == [408]
    assert json.loads(answers[0][2]) == {
        'error': 'timed out after %g s while reading %s' % (SLOW_TIMEOUT_S, words)}
    assert SLOW_TIMEOUT_S - 0.5 < seconds < SLOW_TIMEOUT_S + 1.5
    assert call(capped_server, 'GET', '/health')[0] == 200


def test_an_idle_connection_is_closed_without_an_answer(capped_server):
    # Between requests, no request was made: nothing is owed (HTTP keep-alive).
    seconds, answers = stalled_answer(capped_server.port, b'')
    assert answers == [] and seconds < SLOW_TIMEOUT_S + 1.5


def test_slow_loris_clients_beyond_the_connection_limit_do_not_block_others(capped_server):
    # Three times as many trickling connections as the server keeps: the longest-waiting
    # ones are dropped as others arrive, and normal requests are answered at once.
    loris = SlowLoris(capped_server.port, 3 * SLOW_CAP, interval=0.3,
                      seconds=SLOW_TIMEOUT_S + 4)
    try:
        time.sleep(1)
        latencies, statuses = timed_requests(capped_server, seconds=4)
    finally:
        loris.stop()
    assert statuses and set(statuses) == {200}, statuses
    assert max(latencies) < 1.0, latencies
    # Every slow connection was dropped: to make room, or at its deadline.
    assert len(loris.closed_after) == 3 * SLOW_CAP
    assert max(loris.closed_after.values()) < SLOW_TIMEOUT_S + 2.5
    assert call(capped_server, 'GET', '/health')[0] == 200


def test_when_every_connection_is_busy_a_newcomer_gets_a_json_429():
    # In-process, with a model that takes a second: the only way to keep connections busy.

    class SlowModel:
        version = 1  # its checkpoint's step, for the metrics' versions loaded

        def predict(self, images):
            time.sleep(1.5)
            return np.full((1, 10), 0.1), np.zeros(1, np.int64)

    httpd = serving_http.PredictServer(('127.0.0.1', 0), {'slow': SlowModel()},
                                       serving_http.DEFAULT_ORIGINS, 5, max_connections=2)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    port = httpd.server_address[1]
    try:
        results = []

        def slow_request():
            connection = HTTPConnection('127.0.0.1', port, timeout=10)
            connection.request('POST', '/predict', body=ZEROS_BODY)
            results.append(connection.getresponse().status)
            connection.close()

        busy = [threading.Thread(target=slow_request) for _ in range(2)]
        for client in busy:
            client.start()
        time.sleep(0.5)
        assert httpd.connection_count() == 2
        answers = raw(port, http('GET', '/health'))
        assert [(status, json.loads(body)['error'][:20]) for status, _, body in answers] == [
            (429, 'too many connections')]
        for client in busy:
            client.join(timeout=10)
        assert results == [200, 200]
        # Waiting connections, unlike busy ones, make room: an idle one is dropped.
        idle = [socket.create_connection(('127.0.0.1', port)) for _ in range(2)]
        time.sleep(0.7)  # idle: nothing of a request for over half a second
        assert [status for status, _, _ in raw(port, http('GET', '/health'))] == [200]
        idle[0].settimeout(5)
        assert idle[0].recv(1) == b''  # the longest-waiting one was hung up on
        for sock in idle:
            sock.close()
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_a_connection_evicted_while_its_request_arrives_is_answered_and_told_to_close():
    # A keep-alive client must not send its next request into a connection about to be
    # hung up on: the answer to the request under way says Connection: close.

    class InstantModel:
        version = 1

        def predict(self, images):
            return np.full((len(images), 10), 0.1), np.zeros(len(images), np.int64)

    httpd = serving_http.PredictServer(('127.0.0.1', 0), {'instant': InstantModel()},
                                       serving_http.DEFAULT_ORIGINS, 5, max_connections=1)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    port = httpd.server_address[1]
    try:
        with socket.create_connection(('127.0.0.1', port), timeout=10) as arriving:
            request = http('POST', '/predict', ZEROS_BODY)
            arriving.sendall(request[:-100])
            deadline = time.monotonic() + 10
            while not any(slot.phase == WAITING_BODY  # its head read, its body arriving
                          for slot in list(httpd._connections.values())):
                assert time.monotonic() < deadline, 'the server never read the head'
                time.sleep(0.01)
            newcomer = HTTPConnection('127.0.0.1', port, timeout=10)
            newcomer.request('GET', '/health')
            assert newcomer.getresponse().status == 200  # room was made: by eviction
            newcomer.close()
            arriving.sendall(request[-100:])
            received = b''
            while True:  # the server closes after its answer
                chunk = arriving.recv(1 << 16)
                if not chunk:
                    break
                received += chunk
        head = received.split(b'\r\n\r\n', 1)[0]
        assert head.startswith(b'HTTP/1.1 200') and b'\r\nConnection: close' in head, head
    finally:
        httpd.shutdown()
        httpd.server_close()
