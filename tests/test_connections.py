"""Whom the connection limit takes room from (serving/connections.py), on real sockets."""
import socket

import pytest

from serving.connections import (
    BUSY, CLOSING, DROP, DROPPED, EVICT, EVICTED, KEEP_ALIVE_GRACE_S, WAITING_HEAD, Slot,
    room_for_newcomer)

NOW = 1000.0


@pytest.fixture
def sockets():
    """Server-side ends of connected socket pairs, made on demand; the client ends send."""
    pairs = []

    def make(sent=b''):
        server_end, client_end = socket.socketpair()
        client_end.sendall(sent)
        pairs.append((server_end, client_end))
        return server_end
    yield make
    for pair in pairs:
        for end in pair:
            end.close()


def slot(phase, waited_s, requests=1):
    made = Slot()
    made.phase, made.since, made.requests = phase, NOW - waited_s, requests
    return made


def test_a_connection_that_has_answered_goes_before_a_longer_idle_keep_alive_one(sockets):
    # The keep-alive client may only have been starved of the CPU: its next request would
    # be lost, while the closing connection's client already has its answer.
    idle, closing = sockets(), sockets()
    connections = {idle: slot(WAITING_HEAD, KEEP_ALIVE_GRACE_S + 5),
                   closing: slot(CLOSING, 0.01)}
    assert room_for_newcomer(connections, NOW) == (closing, DROP)


def test_among_idle_connections_the_longest_waiting_is_hung_up_on(sockets):
    longest, shorter, recent = sockets(), sockets(), sockets()
    connections = {shorter: slot(WAITING_HEAD, KEEP_ALIVE_GRACE_S + 1),
                   longest: slot(WAITING_HEAD, KEEP_ALIVE_GRACE_S + 3),
                   recent: slot(WAITING_HEAD, KEEP_ALIVE_GRACE_S / 2)}
    assert room_for_newcomer(connections, NOW) == (longest, DROP)


def test_a_keep_alive_connection_within_its_grace_is_not_hung_up_on(sockets):
    computing, between_requests = sockets(), sockets()
    connections = {computing: slot(BUSY, 3.0),
                   between_requests: slot(WAITING_HEAD, KEEP_ALIVE_GRACE_S / 2)}
    assert room_for_newcomer(connections, NOW) is None


def test_with_requests_waiting_the_client_that_sent_most_is_evicted(sockets):
    little, most = sockets(b'POST / HTTP/1.1\r\n'), sockets(b'x' * 5000)
    connections = {little: slot(WAITING_HEAD, 0.01), most: slot(WAITING_HEAD, 0.01)}
    assert room_for_newcomer(connections, NOW) == (most, EVICT)


def test_connections_already_leaving_are_not_chosen_again(sockets):
    dropped, evicted = sockets(), sockets(b'GET / HTTP/1.1\r\n')
    connections = {dropped: slot(DROPPED, 60.0), evicted: slot(EVICTED, 60.0)}
    assert room_for_newcomer(connections, NOW) is None
