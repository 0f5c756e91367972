"""Reading a request's body: Content-Length only (no chunked bodies), within a limit and
the client's deadline; TF Serving batches piece by piece, each piece's memory claimed from
the server's batch budget first. A mixin of serving/http.py's PredictHandler."""
import contextlib
import ctypes
import re
from http import HTTPStatus

from serving.api import RequestError, clipped
from serving.connections import WAITING_BODY

# 784 numbers written with full float precision are about 16 KB; anything much larger is
# not a drawing.
MAX_BODY_BYTES = 64 * 1024
# TF Serving's REST API takes batches of images: room for a few hundred of them.
MAX_BATCH_BODY_BYTES = 8 * 1024 * 1024
# Memory that TF Serving batches in flight may hold together: their bodies as they arrive
# (a bytearray, which grows by up to an eighth more), then what parsing builds (the body
# decoded to a str; for each value a float object, its list slot, its float32 copy, with
# room to spare). A batch waits for its share once its body has arrived, and is answered
# 429 when it cannot have it in time.
BATCH_MEMORY_BYTES = 128 * 1024 * 1024
PARSE_BYTES_PER_VALUE = 40
# How long a batch whose body has arrived may wait for memory to parse it.
BATCH_MEMORY_WAIT_S = 2
# A batch that held this much gives the freed memory back to the system when it is done:
# glibc keeps what threads free in per-thread arenas, so without it the server stays at
# its peak after a burst of large batches. (Elsewhere than glibc, nothing is done.)
TRIM_AFTER_BYTES = 4 * 1024 * 1024
try:
    _malloc_trim = ctypes.CDLL(None).malloc_trim
except (AttributeError, OSError, TypeError):  # not glibc
    _malloc_trim = None


class BodyReader:
    """Body reading for a PredictHandler (its waiting_for and busy keep the deadline)."""

    @contextlib.contextmanager
    def batch_memory(self):
        """claim(count, timeout=0) takes `count` bytes of the server's batch memory for
        this request, or raises a 429 (and closes the connection); all is given back at
        the end of the block."""
        budget, claimed = self.server.batch_memory, [0]

        def claim(count, timeout=0.0):
            if not budget.take(count, timeout):
                self.close_connection = True
                raise RequestError(HTTPStatus.TOO_MANY_REQUESTS, 'the server is holding %d MB '
                                   'of batches already; try again shortly'
                                   % (budget.total >> 20))
            claimed[0] += count
        try:
            yield claim
        finally:
            budget.give(claimed[0])
            if claimed[0] >= TRIM_AFTER_BYTES and _malloc_trim is not None:
                _malloc_trim(0)

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

    def read_body(self, limit=MAX_BODY_BYTES, claim=None, size=None):
        """The request's body, up to `limit` bytes; read piece by piece when given `claim`
        (from batch_memory) and `size` (an api.BatchSize), see read_batch."""
        if self.headers.get('Transfer-Encoding') is not None:
            self.close_connection = True
            raise RequestError(HTTPStatus.LENGTH_REQUIRED, 'chunked bodies (any '
                               'Transfer-Encoding) are not supported; send Content-Length')
        encoding = self.headers.get('Content-Encoding', 'identity').strip().lower()
        if encoding != 'identity':  # gzip would be read as malformed JSON
            raise RequestError(HTTPStatus.UNSUPPORTED_MEDIA_TYPE, 'Content-Encoding %s is not '
                               'supported: send the body uncompressed' % clipped(encoding))
        length = self.content_length()
        if length is None:
            self.close_connection = True  # whatever follows cannot be told from a body
            raise RequestError(HTTPStatus.LENGTH_REQUIRED, 'a Content-Length header is required')
        if length > limit:  # answered at once; the connection's close reads the rest
            self.close_connection = self.body_consumed = True
            raise RequestError(HTTPStatus.REQUEST_ENTITY_TOO_LARGE,
                               'body of %d bytes is over the %d-byte limit' % (length, limit))
        self.waiting_for(WAITING_BODY)
        try:
            body = (self.rfile.read(length) if claim is None
                    else self.read_batch(length, claim, size))
        except TimeoutError:  # the connection closes: the answer does not wait for the rest
            self.close_connection = self.body_consumed = True
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

    def read_batch(self, length, claim, size):
        """A batch body, read a piece at a time: each piece's memory claimed before it is
        read (a client trickling a large body holds only what it has sent), and counted by
        `size`, which refuses a body with more than a batch holds before the rest is read."""
        body = bytearray()
        while len(body) < length:
            piece_length = min(length - len(body), 1 << 16)
            claim(piece_length + piece_length // 8)
            piece = self.rfile.read(piece_length)
            if not piece:
                break
            size.add(piece)
            body += piece
        return body

    def drain_body(self):
        """Read and drop the small body of a request answered without it (an error), so
        the connection can go on; a large or unknown one closes it (and the close reads
        it: MAX_DISCARD_BYTES)."""
        try:
            length = self.content_length()
        except RequestError:
            length = None
        self.body_consumed = True
        if (length is None or length > MAX_BODY_BYTES
                or self.headers.get('Transfer-Encoding') is not None):
            self.close_connection = True
            return
        self.waiting_for(WAITING_BODY)
        try:
            length -= len(self.rfile.read(length))
        except (TimeoutError, ConnectionError):
            pass
        finally:
            self.busy()
        # Unread bytes would be taken for the next request.
        self.close_connection = self.close_connection or length > 0

    def has_body(self):
        headers = getattr(self, 'headers', None)
        return headers is not None and (headers.get('Transfer-Encoding') is not None or
                                        (headers.get('Content-Length') or '0').strip() != '0')
