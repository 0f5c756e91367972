"""The connection limit's view of each connection, and the socket-level pieces under it.

A Slot records what a connection is doing (its phase) and how its current request is
arriving, so that at the limit the server can tell whom it may hang up on (idle, trickling
a request, not reading its answers) and whom it must answer first (a request is waiting).
DeadlineReader gives a whole request head or body a deadline; MemoryBudget caps the bytes
that requests in flight hold together; queued_bytes reads the kernel's socket queues;
send_busy_answer refuses a newcomer when every connection is computing."""
import contextlib
import fcntl
import io
import json
import socket
import struct
import termios
import threading
import time

# A connection is closed only once what its client still sends has been read and dropped
# (up to this much, for at most --timeout): closing with unread input resets the
# connection, and a client still sending a refused body would lose our 413 or 429.
MAX_DISCARD_BYTES = 64 * 1024 * 1024

# What a connection is doing, for the connection limit. The client has the next move in
# the first three (its request) and in WRITING (reading our answer); a BUSY one computes.
# A DROPPED one was hung up on; an EVICTED one answers its next request with 429 and closes.
# CLOSING has answered for the last time and reads what the client still sends.
WAITING_NEW, WAITING_HEAD, WAITING_BODY, WRITING, BUSY, CLOSING, DROPPED, EVICTED = (
    'new', 'head', 'body', 'writing', 'busy', 'closing', 'dropped', 'evicted')
WAITING = (WAITING_NEW, WAITING_HEAD, WAITING_BODY)
LEAVING = (DROPPED, EVICTED)
# How a connection may make room for a newcomer at the limit: hung up on at once (nothing
# its client is owed is lost), or evicted (its request is answered, with a 429).
DROP, EVICT = 'drop', 'evict'
# A connection counts as idle once it has sent nothing of a request for the grace period
# (a keep-alive client sends its next request at once: dropping it in between would lose
# that request); one sending its request at less than this many bytes a second, once it
# has been arriving for the grace period, is trickling it (slow-loris). Either may be
# dropped. A request sent whole is parsed long before the grace is up.
MIN_SEND_BYTES_PER_S = 1024
GRACE_S = 0.5
# Between two requests of a keep-alive connection the grace is longer: its client may be
# busy with the last answer, and a request it sends into a connection just hung up on is
# lost.
KEEP_ALIVE_GRACE_S = 2.0
# A connection writing an answer for this long, with bytes of it still in the kernel's
# queue, has a client that is not reading: it may be dropped too.
STALLED_WRITE_S = 0.5
# Before reading a connection's next request, what it has not yet taken of our answers must
# fall below this: a client that pipelines requests and never reads the answers gets no
# more of them computed.
MAX_UNREAD_ANSWER_BYTES = 64 * 1024


def queued_bytes(sock, which):
    """Bytes in a socket's kernel queue: termios.FIONREAD, received and not yet read;
    termios.TIOCOUTQ (Linux's SIOCOUTQ), sent and not yet taken by the client. 0 where the
    system cannot tell."""
    if which is None:
        return 0
    try:
        return struct.unpack('i', fcntl.ioctl(sock.fileno(), which, b'\0' * 4))[0]
    except (OSError, ValueError):  # closed meanwhile
        return 0


UNREAD_INPUT, UNTAKEN_OUTPUT = termios.FIONREAD, getattr(termios, 'TIOCOUTQ', None)


def discard_input(sock, limit, seconds):
    """Read and drop what arrives on `sock` until end-of-file, `limit` bytes or `seconds`;
    returns how many bytes are left of `limit`."""
    deadline = time.monotonic() + seconds
    while limit > 0:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            break
        sock.settimeout(remaining)
        try:
            chunk = sock.recv(min(limit, 1 << 16))
        except (TimeoutError, OSError):
            break
        if not chunk:
            break
        limit -= len(chunk)
    return limit


def send_busy_answer(sock, max_connections):
    """A JSON 429 saying every connection is busy, sent without waiting (a full buffer
    loses it), then end-of-file: the server hangs up without reading the request."""
    body = json.dumps({'error': 'too many connections: all %d are busy; try again '
                       'shortly' % max_connections}).encode()
    answer = (b'HTTP/1.1 429 Too Many Requests\r\nContent-Type: application/json\r\n'
              b'Content-Length: %d\r\nRetry-After: 1\r\nConnection: close\r\n\r\n'
              % len(body)) + body
    try:
        sock.setblocking(False)
        sock.send(answer)
        sock.shutdown(socket.SHUT_WR)
    except OSError:
        pass


class Slot:
    """One open connection, as the connection limit sees it: its phase and since when,
    when the current request's first byte came and how many have come (written by the
    connection's own thread, read by the accepting one)."""

    def __init__(self):
        self.phase, self.since = WAITING_NEW, time.monotonic()
        self.request_begun, self.request_bytes, self.received = None, 0, 0
        self.requests = 0  # begun on this connection
        self.discard_limit = MAX_DISCARD_BYTES  # what its close reads at most

    def enter(self, phase):
        self.phase, self.since = phase, time.monotonic()

    def new_request(self):
        self.request_begun, self.request_bytes = None, 0

    def arrived(self, count):
        if self.request_begun is None:
            self.request_begun = time.monotonic()
            self.requests += 1
        self.request_bytes += count
        self.received += count

    def making_room(self, sock, now):
        """DROP when hanging up loses nothing its client is owed (idle, not reading our
        answers, or trickling its request); EVICT when its client has sent bytes of a
        request, which must be answered; None while it computes a request with no other
        waiting behind it."""
        if self.phase == CLOSING:
            return DROP
        if self.phase == WRITING and now - self.since > STALLED_WRITE_S and queued_bytes(
                sock, UNTAKEN_OUTPUT):  # the client's not taking them, not our thread slow
            return DROP
        waiting_input = queued_bytes(sock, UNREAD_INPUT) > 0
        if self.phase not in WAITING:  # computing or answering: pipelined requests behind?
            return EVICT if waiting_input else None
        if self.request_begun is None:
            grace = KEEP_ALIVE_GRACE_S if self.requests else GRACE_S
            return EVICT if waiting_input else DROP if now - self.since > grace else None
        arriving = now - self.request_begun
        if arriving > GRACE_S and self.request_bytes < MIN_SEND_BYTES_PER_S * arriving:
            return DROP
        return EVICT


def room_for_newcomer(connections, now):
    """At the limit, which of `connections` ({socket: Slot}) makes room for a newcomer, and
    how: (socket, DROP) for one that has answered for the last time (its client is owed
    nothing more), else for the one that has waited longest among those that may be hung
    up on; (socket, EVICT) for the one whose client has sent the most while a request of
    it waits; None when every connection is computing. A connection that has answered is
    taken first because its client has what it came for: an idle keep-alive client whose
    process was starved of the CPU for the grace period would lose the request it sends
    next."""
    drop, evict = [], []
    for sock, slot in connections.items():
        way = None if slot.phase in LEAVING else slot.making_room(sock, now)
        if way == DROP:
            drop.append((slot.phase != CLOSING, slot.since, sock))
        elif way == EVICT:  # the client that has sent the most, counting what waits
            evict.append((-slot.received - queued_bytes(sock, UNREAD_INPUT), sock))
    if drop:
        return min(drop, key=lambda item: item[:2])[-1], DROP
    if evict:
        return min(evict, key=lambda item: item[0])[-1], EVICT
    return None


class MemoryBudget:
    """Bytes that requests in flight may hold together: taken before use, given back after."""

    def __init__(self, total):
        self.total = self.free = total
        self._changed = threading.Condition()

    def take(self, count, timeout=0.0):
        """Whether `count` bytes could be had within `timeout` seconds (then they are)."""
        with self._changed:
            if not self._changed.wait_for(lambda: self.free >= count, timeout):
                return False
            self.free -= count
            return True

    def give(self, count):
        with self._changed:
            self.free += count
            self._changed.notify_all()


class DeadlineReader(io.RawIOBase):
    """The socket's input with a deadline for a whole request head or body, on top of the
    per-read timeout: a client that sends one byte every second never trips a per-read
    timeout, but it cannot get past the deadline. Tells `slot` what arrives."""

    def __init__(self, sock, timeout, slot):
        self.sock, self.timeout, self.slot = sock, timeout, slot
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
            if self.slot.phase == EVICTED and self.slot.request_begun is None:
                self.sock.settimeout(0)  # between requests: take what has come, if any
            count = self.sock.recv_into(buffer)
        except BlockingIOError:
            raise TimeoutError('evicted to make room, with no request under way')
        finally:
            self.sock.settimeout(self.timeout)  # what writing the answer is allowed
        self.slot.arrived(count)
        return count


class AnswerFlow:
    """The handler's side of writing answers (a mixin of serving.http's PredictHandler):
    a client that does not take its answers holds no slot and gets no more read."""

    def answers_taken(self):
        """Whether the client has taken (nearly) all of our answers so far, waiting for it
        up to --timeout while it may be dropped to make room: a client that sends requests
        and never reads the answers gets no more of them read and computed."""
        if queued_bytes(self.connection, UNTAKEN_OUTPUT) <= MAX_UNREAD_ANSWER_BYTES:
            return True
        self.server.set_phase(self.connection, WRITING)
        deadline = time.monotonic() + self.timeout
        while time.monotonic() < deadline and self.slot.phase not in LEAVING:
            time.sleep(0.01)
            if queued_bytes(self.connection, UNTAKEN_OUTPUT) <= MAX_UNREAD_ANSWER_BYTES:
                return True
        return False

    @contextlib.contextmanager
    def writing(self):
        """An answer being written: the client's move, so a stalled one may be dropped
        (the socket's timeout, --timeout, bounds the write in any case)."""
        self.server.set_phase(self.connection, WRITING)
        try:
            yield
        finally:
            self.server.set_phase(self.connection, BUSY)
