"""The attacks of issue 21 against a real server process on 127.0.0.1, each briefly: the
attack code is bench/attacks.py's, which prints the same figures at full size."""
import json
import os
import socket
import sys

import pytest

from conftest import ROOT
from servers import call, start_predict_server, train_model

sys.path.append(os.path.join(ROOT, 'bench'))  # appended: bench/serving.py is not `serving`
import attacks  # noqa: E402

CAP = 16  # the servers' --max_connections here: the attacks fill it with fewer threads
TIMEOUT_S = 3


@pytest.fixture(scope='module')
def attack_models(tiny_mnist, tmp_path_factory):
    model_dir = tmp_path_factory.mktemp('attacks') / 'model'
    for name in ('nn', 'regression'):
        train_model(name, tiny_mnist, model_dir)
    return model_dir


@pytest.fixture(scope='module')
def server(attack_models):
    server = start_predict_server(attack_models, '--timeout', str(TIMEOUT_S),
                                  '--max_connections', str(CAP))
    yield server
    server.stop()


def exchange(port, data, timeout=10):
    """Everything the server sends back to raw request bytes, until it hangs up."""
    received = b''
    with socket.create_connection(('127.0.0.1', port), timeout=timeout) as sock:
        sock.sendall(data)
        sock.shutdown(socket.SHUT_WR)
        while True:
            chunk = sock.recv(1 << 16)
            if not chunk:
                return received
            received += chunk


def head_and_body(answer):
    head, _, body = answer.partition(b'\r\n\r\n')
    return int(head.split()[1]), json.loads(body)


# ---------------------------------------------------------------------------- 1. slow readers

def test_an_error_quotes_at_most_a_little_of_what_the_client_sent(server):
    status, headers, answer = call(server, 'POST', '/v1/models/%s:predict' % ('x' * 60000), {})
    assert status == 404 and len(json.dumps(answer)) < 300, answer
    status, _, answer = call(server, 'GET', '/' + 'y' * 60000)
    assert status == 404 and len(json.dumps(answer)) < 300, answer


def test_clients_that_never_read_their_answers_do_not_keep_others_out(server):
    result = attacks.under_attack(server.port, attacks.slow_readers, seconds=4,
                                  connections=CAP)
    polite = result['polite']
    assert polite['ok_share'] >= 0.95, result
    assert polite['p99_ms'] < 1000, result
    assert result['attack']['requests_sent'] > 0
    assert call(server, 'GET', '/health')[0] == 200
