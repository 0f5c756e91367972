"""The hardened HTTP server: a thread per connection on http.server, every answer JSON.

Nothing a client sends can stop the server or earn a 5xx. Bodies are capped (64 KB, 8 MB for TF
Serving batches, which together may hold BATCH_MEMORY_BYTES and are counted as they arrive,
before they are parsed), request lines (8 KB) and header blocks too, and ambiguous framing is
refused (serving/framing.py). A client has --timeout seconds to send a request's line and
headers, as long again for its body however it trickles them (slow-loris; past either deadline,
a JSON 408 and the connection closes), and as long to take each answer; errors quote at most a
little of what the client sent. At most max_connections are open. At the limit a newcomer gets
the place of a connection that has answered for the last time, else of the one that has waited
longest among those idle, trickling a request or not reading their answers (hung up on), or else
of the one that has sent the most while it has a request waiting (a request not yet begun is
answered 429, one under way is answered; either way the connection then closes); when every
connection is computing a lone request the newcomer gets a JSON 429. A client that pipelines
requests and leaves the answers unread gets no more of them read. Only the allowed origins may
read answers (serving/cors.py); no file is ever served."""
import collections
import contextlib
import io
import json
import socket
import sys
import time
import threading
import traceback
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

from graphs.messages import one_line
from serving import api, framing
from serving.api import RequestError
from serving.connections import (
    BUSY, CLOSING, DROP, DROPPED, EVICTED, LEAVING, UNREAD_INPUT, WAITING, WAITING_HEAD,
    AnswerFlow, DeadlineReader, MemoryBudget, Slot, discard_input, queued_bytes,
    room_for_newcomer, send_busy_answer)
from serving.framing import host_name, host_names, is_ip_address
from serving.bodies import BATCH_MEMORY_BYTES, MAX_BODY_BYTES, BodyReader
from serving.cors import Cors
from serving.ensemble import Ensembles
from serving.metrics import INVALID_ROUTE, Metrics
from serving.routes import Endpoints, metric_labels
from serving.runner import DEFAULT_MAX_BATCH_SIZE, ModelRunner

DEFAULT_ORIGINS = ('http://127.0.0.1:8000', 'http://localhost:8000')
# Connections open at once; each holds a thread (connections.Slot.making_room says which
# make room for a newcomer at the limit).
DEFAULT_MAX_CONNECTIONS = 64
# On stopping, a connection waiting this long with no request under way is hung up on; one
# opened just before gets its request read and answered.
IDLE_AT_STOP_S = 0.2
# Connections refused with a 429 are closed this long after, at most this many kept.
REFUSED_LINGER_S = 0.5
REFUSED_LINGER_MAX = 256
BODY_METHODS = ('POST', 'PUT', 'PATCH')  # a body on any other method is refused
# A longer request line is answered 414 (nginx's limit too; the base class allows 64 KB):
# every target served here is under 100 bytes, and a long one costs the server its reading
# on every request a client pipelines.
MAX_REQUEST_LINE = 8 * 1024


class PredictServer(ThreadingHTTPServer):
    """A thread per connection, at most `max_connections` of them; the models are
    read-only after start-up and a session's run is thread-safe, so requests share them
    without locks."""
    daemon_threads = True
    request_queue_size = 128  # the default 5 drops connections a burst of clients opens
    feedback = feedback_rate = None  # POST /feedback's store and rate limit, when kept

    def __init__(self, address, models, allowed_origins, client_timeout,
                 max_connections=DEFAULT_MAX_CONNECTIONS, allowed_hosts=(), model_dir=None,
                 max_batch_size=DEFAULT_MAX_BATCH_SIZE):
        self.allowed_hosts = host_names(address[0], allowed_hosts)
        self.metrics = Metrics(models)
        self.runner = ModelRunner(models, max_batch_size=max_batch_size,
                                  observe_batch=self.metrics.ran_batch)
        self.ensembles = Ensembles(model_dir)  # model_dir/ensemble.json: its weights
        # By name (serving/reload.py): version loading, versions retired, last failure.
        self.loading, self.retired, self.failed = {}, {}, {}
        self.allowed_origins = allowed_origins
        self.client_timeout = client_timeout
        self.max_connections = max_connections
        self.started = time.time()
        self.stopping = False  # set by finish_requests
        self.batch_memory = MemoryBudget(BATCH_MEMORY_BYTES)
        self._lock = threading.Lock()
        self._connections = {}  # socket → Slot
        self._refused = collections.deque()  # (time, socket) answered 429, to be closed
        super().__init__(address, PredictHandler)

    @property
    def models(self):
        """{name: Model} loaded now; replaced whole by publish, never changed."""
        return self.runner.models

    @property
    def served(self):
        """What requests are answered from: the models and, when two or more are loaded,
        their ensemble (serving/ensemble.py); a request takes it once."""
        return self.ensembles.served(self.runner.models)

    def publish(self, models):
        """Serve `models` from now on; requests under way finish on those they began with."""
        self.runner.models = models
        self.metrics.loaded(models)

    # -- the connection limit

    def process_request(self, request, client_address):
        with self._lock:
            if self._open_count() >= self.max_connections and not self._make_room():
                refuse = True
            else:
                refuse = False
                self._connections[request] = Slot()
        if refuse:
            self.refuse(request)
        else:
            super().process_request(request, client_address)

    def _make_room(self):
        """Make room for a newcomer, holding the lock (connections.room_for_newcomer says
        whom): hang up on a connection, or evict it (it closes after its next answer: a 429
        for a request not yet begun); False when every connection is computing."""
        choice = room_for_newcomer(self._connections, time.monotonic())
        if choice is None:
            return False
        sock, way = choice
        if way == DROP:
            self._connections[sock].phase = DROPPED
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)  # its thread reads end-of-file, or fails to write
        else:
            self._connections[sock].phase = EVICTED  # see end_answer and parse_request
        return True

    def slot(self, sock):
        with self._lock:
            return self._connections.get(sock) or Slot()  # dropped already: a stand-in

    def set_phase(self, sock, phase):
        with self._lock:
            slot = self._connections.get(sock)
            if slot is not None and slot.phase not in LEAVING:
                slot.enter(phase)

    def _open_count(self):
        return sum(1 for slot in self._connections.values() if slot.phase not in LEAVING)

    def connection_count(self):
        with self._lock:
            return self._open_count()

    def refuse(self, request):
        """Every connection is busy: answer 429 straight from the accepting thread, without
        reading the request, and hang up. The socket is closed a little later, once its
        request has arrived and been dropped: closing with unread data would reset the
        connection, and the client would lose the answer."""
        send_busy_answer(request, self.max_connections)
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

    def finish_requests(self, grace):
        """After serve_forever has returned: stop accepting (the system refuses newcomers)
        once the connections already queued are taken, then let the requests under way
        finish, for at most `grace` seconds. Every answer from now on closes its connection,
        and connections idle for IDLE_AT_STOP_S are hung up on. Returns how many
        connections are still open."""
        self.stopping = True
        # Clients whose connections the system completed are owed an answer: take them
        # from the queue before closing it (the close would reset them).
        # (No more than the queue holds: clients that keep connecting would keep it full.)
        self.socket.settimeout(0)
        with contextlib.suppress(OSError):  # BlockingIOError: the queue is empty
            for _ in range(self.request_queue_size):
                self.process_request(*self.get_request())
        self.socket.close()
        deadline = time.monotonic() + grace
        while True:
            with self._lock:
                now = time.monotonic()
                for sock, slot in self._connections.items():
                    idle = (slot.phase == CLOSING or slot.phase in WAITING
                            and slot.request_begun is None and now - slot.since > IDLE_AT_STOP_S
                            and not queued_bytes(sock, UNREAD_INPUT))
                    if idle:
                        slot.phase = DROPPED
                        with contextlib.suppress(OSError):
                            sock.shutdown(socket.SHUT_RDWR)
                still_open = len(self._connections)
            if not still_open or now > deadline:
                return still_open
            time.sleep(0.02)

    def server_close(self):
        super().server_close()
        self.runner.close()
        while self._refused:
            self._refused.popleft()[1].close()

    def shutdown_request(self, request):
        """Close a connection its thread is done with: the answers are out, so say so
        (end-of-file) and read what the client still sends before closing, unless it was
        dropped (nothing is owed to it)."""
        with self._lock:
            slot = self._connections.get(request)
            if slot is not None and slot.phase not in LEAVING:
                slot.enter(CLOSING)
        if slot is not None and slot.phase != DROPPED:
            with contextlib.suppress(OSError):
                request.shutdown(socket.SHUT_WR)
                discard_input(request, slot.discard_limit, self.client_timeout)
        with self._lock:
            self._connections.pop(request, None)
        self.close_request(request)

    def handle_error(self, request, client_address):
        error = sys.exc_info()[1]
        if isinstance(error, OSError):  # a client that hangs up is not worth a traceback
            print('%s: connection error: %s' % (client_address[0], error), file=sys.stderr)
        else:  # a bug outside dispatch's reach: say where
            print('%s: unexpected error:\n%s' % (client_address[0], traceback.format_exc()),
                  file=sys.stderr)


class PredictHandler(Endpoints, BodyReader, Cors, AnswerFlow, BaseHTTPRequestHandler):
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
        self.slot = self.server.slot(self.connection)
        self.reader = DeadlineReader(self.connection, self.timeout, self.slot)
        self.rfile = io.BufferedReader(self.reader)
        self.body_consumed = True

    def waiting_for(self, phase):
        """The client now has --timeout seconds to send the next part of its request."""
        self.server.set_phase(self.connection, phase)
        self.reader.deadline = time.monotonic() + self.timeout

    def busy(self):
        self.server.set_phase(self.connection, BUSY)
        self.reader.deadline = None

    def log_request(self, code='-', size='-'):
        # As the base class logs a request, but with its line cut short: a line can be
        # 8 KB, and a flood of them would write gigabytes of log.
        self.log_message('"%s" %s %s', api.clipped(self.requestline, 200),
                         getattr(code, 'value', code), size)

    def request_path(self):
        """The path of the request target, in origin form (/health) or absolute form
        (http://host/health); the query is ignored. Never decoded: no file is served, so
        there is nothing for ../ or %2e%2e to reach."""
        try:
            return urlsplit(self.path).path
        except ValueError:  # e.g. http://[::1/ (an unclosed IPv6 address)
            return self.path.split('?', 1)[0]

    # -- reading a request

    def parse_request(self):
        head = framing.HeadReader(self.rfile)
        self.rfile = head  # while the base class reads the header lines
        try:
            parsed = super().parse_request()
        except framing.HeadTooLarge as error:
            self.send_error(HTTPStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, str(error))
            return False
        finally:
            self.rfile = head.rfile
        if not parsed:
            return False
        version = self.request_version.split('/', 1)[1].split('.')
        if len(self.requestline.split()) == 2 or not version[0].lstrip('0'):
            self.send_error(HTTPStatus.BAD_REQUEST, 'HTTP/0.x requests are not supported; '
                            'send "METHOD /path HTTP/1.1"')
            return False
        problem = framing.ambiguity(head.lines)
        if problem is None and self.command not in BODY_METHODS and self.has_body():
            problem = '%s requests take no body' % api.clipped(self.command)
        if problem:
            self.send_error(HTTPStatus.BAD_REQUEST, 'ambiguous request: %s' % problem)
            return False
        host = self.headers.get('Host')
        if host is not None and not self.is_our_host(host_name(host)):
            self.send_error(HTTPStatus.MISDIRECTED_REQUEST, 'Host %s is not this server; '
                            'start it with --allowed_hosts NAME to accept a name'
                            % json.dumps(api.clipped(host)))
            return False
        if self.slot.phase == EVICTED:
            self.send_error(HTTPStatus.TOO_MANY_REQUESTS, 'too many connections: this one was '
                            'closed to make room for another; try again shortly')
            return False
        self.busy()
        return True

    def handle_one_request(self):
        # As the base class's, but with a request line of at most MAX_REQUEST_LINE bytes,
        # and every method, known or not, going through dispatch (the base class would
        # answer one it has no do_METHOD for with a 501): an unknown one is a JSON 404 or 405.
        if not self.answers_taken():
            self.log_error('the client does not read its answers; closing')
            self.close_connection = True
            return
        self.slot.new_request()
        self.waiting_for(WAITING_HEAD)
        # Counted as invalid unless dispatch finds its route; no Retry-After unless said.
        self.metric_route, self.metric_model, self.dispatched, self.retry_after = (
            INVALID_ROUTE, '', None, None)
        # parse_request sets them; until then, an answer is to no request (and no HEAD).
        self.requestline = self.request_version = self.command = ''
        try:
            self.raw_requestline = self.rfile.readline(MAX_REQUEST_LINE + 1)
            if len(self.raw_requestline) > MAX_REQUEST_LINE:
                self.send_error(HTTPStatus.REQUEST_URI_TOO_LONG,
                                'request line over %d bytes' % MAX_REQUEST_LINE)
            elif not self.raw_requestline:  # the client is done
                self.close_connection = True
            elif self.parse_request():
                self.dispatch()
                self.wfile.flush()
        except TimeoutError:
            self.log_error('request timed out')
            self.close_connection = True
            # A 408 to a client that began a request and stalled in its line or headers (an
            # idle keep-alive connection is closed without a word, as HTTP has it).
            if self.slot.phase == WAITING_HEAD and self.slot.request_begun is not None:
                with contextlib.suppress(OSError):  # gone, or not taking answers either
                    self.send_error(HTTPStatus.REQUEST_TIMEOUT, 'timed out after %g s while '
                                    'reading the request line and headers' % self.timeout)

    def is_our_host(self, name):
        """Whether a request for Host `name` is meant for this server (see host_names).
        No Host header at all is accepted: browsers always send one."""
        names, any_ip = self.server.allowed_hosts
        return name in names or any_ip and is_ip_address(name)

    # -- dispatch: every method goes through here, so a wrong one is a JSON 404 or 405

    def dispatch(self):
        self.body_consumed = not self.has_body()
        self.dispatched = time.perf_counter()
        try:
            path = self.request_path()
            self.metric_route, self.metric_model = metric_labels(path, self.server.served)
            methods = self.routes(path)
            if methods is None:
                raise RequestError(HTTPStatus.NOT_FOUND, 'unknown path %s; try POST /predict, '
                                   'GET /models, GET /health or POST /v1/models/NAME:predict'
                                   % json.dumps(api.clipped(path)))
            if self.command == 'OPTIONS':
                self.answer_preflight(methods)
                return
            handler = methods.get(self.command)
            if handler is None:
                raise RequestError(HTTPStatus.METHOD_NOT_ALLOWED, '%s %s is not supported; use '
                                   '%s' % (api.clipped(self.command), api.clipped(path),
                                          ' or '.join(methods)))
            handler()
        except RequestError as error:
            self.retry_after = error.retry_after
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
                           {'error': 'internal error: %s' % one_line(error)})

    # -- answers

    def send_json(self, status, payload):
        self.send_answer(status, api.encode_json(payload), 'application/json')

    def send_answer(self, status, body, content_type):
        if self.request_version == 'HTTP/0.9':  # e.g. "GET / HTTP/0.9": answer with headers
            self.request_version = 'HTTP/1.0'
        if not self.body_consumed:  # a body we did not read would be taken for a request
            self.drain_body()
        self.send_response(status)
        self.send_header('Content-Type', content_type)
        self.send_header('Content-Length', str(len(body)))
        methods = (status == HTTPStatus.METHOD_NOT_ALLOWED and self.command
                   and self.routes(self.request_path()))
        if methods:
            self.send_header('Allow', ', '.join(methods))
        if self.retry_after is not None:
            self.send_header('Retry-After', '%.0f' % (self.retry_after + 0.5))
        self.send_cors_headers()
        self.end_answer(status, body)

    def end_answer(self, status, body=b''):
        """The headers' end, and the body: the connection closes after it when the client
        must send no more, the server is stopping, or the connection was evicted to make
        room while this request was under way (its client, told so, sends its next request
        on a new connection rather than into one about to be hung up on). Counted in the
        metrics before it is written, so that a client holding the answer finds it counted."""
        self.close_connection = (self.close_connection or self.server.stopping
                                 or self.slot.phase == EVICTED)
        if self.close_connection:
            self.send_header('Connection', 'close')
        self.server.metrics.answered(self.metric_route, self.metric_model, status,
                                     self.dispatched)
        with self.writing():
            self.end_headers()
            if body and self.command != 'HEAD':
                self.wfile.write(body)

    def send_error(self, code, message=None, explain=None):
        # The base class answers its own errors (a malformed request line, oversized
        # headers) with HTML; ours are JSON like every other answer, and never a 5xx.
        self.close_connection = True
        self.body_consumed = True  # the connection closes: nothing to drain
        if code in (HTTPStatus.REQUEST_URI_TOO_LONG, HTTPStatus.REQUEST_HEADER_FIELDS_TOO_LARGE):
            # No body is being sent, only more of an oversized head: the close reads
            # little of it (a header block can be megabytes).
            self.slot.discard_limit = MAX_BODY_BYTES
        if code == HTTPStatus.HTTP_VERSION_NOT_SUPPORTED:
            code, message = HTTPStatus.BAD_REQUEST, '%s; use HTTP/1.1' % message
        elif code >= 500:
            code = HTTPStatus.BAD_REQUEST
        # Its messages quote the request line, up to 8 KB of it.
        self.send_json(code, {'error': api.clipped(message or HTTPStatus(code).phrase, 200)})
