"""POST /feedback and its store: the IDX files any reader takes, every record whole or
absent after a real kill -9 (of a process appending, and of the server mid-stream), eight
concurrent clients each kept exactly once, the rate limit, the cap, the origin rule and
every bad input a 4xx with a JSON error."""
import http.client
import json
import os
import random
import re
import signal
import struct
import subprocess
import sys
import threading
import time

import numpy as np
import pytest

from conftest import ROOT, run_script
from graphs import extra_data, input_data
from servers import call, start_predict_server, train_model
from serving import feedback_routes
from serving.api import RequestError
from serving.feedback import PREFIX, FeedbackStore, StoreError, StoreFull, set_bytes

IMAGES, LABELS, DRAWINGS = (extra_data.file_name(PREFIX, kind)
                            for kind in ('images', 'labels', 'drawings'))


def record(number):
    """(image, drawing, label) of record `number`: its bytes say which it is, so a half or
    mixed-up record shows."""
    image = np.full((28, 28), number % 251, np.uint8)
    drawing = np.full((28, 28), (7 * number + 3) % 251, np.uint8)
    return image, drawing, number % 10


def drawing_for(client, number):
    """A non-blank 0..255 drawing whose first two pixels name (client, number)."""
    pixels = np.zeros(784, int)
    pixels[0], pixels[1] = client + 1, number + 1
    pixels[28 * 10 + 8:28 * 10 + 20] = 255  # a bar of ink
    return pixels.tolist()


def strict_load(directory):
    """Images, labels and drawings through input_data's strict reader (no trailing bytes,
    counts that match the files), with matching counts."""
    images = input_data.read_images(os.path.join(directory, IMAGES))
    labels = input_data.read_labels(os.path.join(directory, LABELS))
    drawings = input_data.read_images(os.path.join(directory, DRAWINGS))
    assert len(images) == len(labels) == len(drawings)
    return images, labels, drawings


# ---------------------------------------------------------------------------- the store

def test_the_store_writes_idx_files_any_reader_takes_and_nothing_before(tmp_path):
    directory = str(tmp_path / 'user_data')
    store = FeedbackStore(directory, 1 << 20)
    assert not os.path.exists(directory)  # nothing written until the first drawing
    assert store.summary() == {'total': 0, 'counts': [0] * 10, 'max_records': store.max_records}
    for number in range(12):
        assert store.append(*record(number)) == number + 1
    images, labels, drawings = strict_load(directory)
    assert [int(image[0, 0]) for image in images] == [number % 251 for number in range(12)]
    assert labels.tolist() == [number % 10 for number in range(12)]
    assert int(drawings[5, 0, 0]) == 38
    assert store.summary()['counts'] == [2, 2] + [1] * 8
    extra_images, extra_labels = extra_data.read_extra_data(directory).part('all')
    assert np.array_equal(extra_images, images) and np.array_equal(extra_labels, labels)
    with open(os.path.join(directory, IMAGES), 'rb') as f:  # MNIST's own header
        assert struct.unpack('>4I', f.read(16)) == (2051, 12, 28, 28)


def test_an_interrupted_append_is_cut_off_and_a_foreign_set_refused(tmp_path):
    directory = str(tmp_path)
    store = FeedbackStore(directory, 1 << 20)
    for number in range(3):
        store.append(*record(number))
    # What a kill between the writes can leave: part of a record, one header raised.
    with open(os.path.join(directory, IMAGES), 'ab') as f:
        f.write(bytes(300))
    with open(os.path.join(directory, LABELS), 'r+b') as f:
        f.seek(4)
        f.write(struct.pack('>I', 4))
        f.seek(0, 2)
        f.write(b'\x07')
    assert len(extra_data.read_extra_data(directory).labels) == 3  # readers never see it
    reopened = FeedbackStore(directory, 1 << 20)
    assert 'cut off an unfinished record' in reopened.recovered
    assert len(strict_load(directory)[0]) == 3
    assert reopened.append(*record(3)) == 4
    assert [int(image[0, 0]) for image in strict_load(directory)[0]] == [0, 1, 2, 3]
    # Counts two apart are no interrupted append of ours: refused, nothing touched.
    with open(os.path.join(directory, LABELS), 'r+b') as f:
        f.seek(4)
        f.write(struct.pack('>I', 6))
    before = {name: (tmp_path / name).read_bytes() for name in (IMAGES, LABELS, DRAWINGS)}
    with pytest.raises(StoreError, match='not one set'):
        FeedbackStore(directory, 1 << 20)
    assert before == {name: (tmp_path / name).read_bytes() for name in before}


def test_a_file_missing_beside_records_is_refused_and_the_cap_holds(tmp_path):
    store = FeedbackStore(str(tmp_path), set_bytes(2))
    assert store.max_records == 2
    store.append(*record(0))
    store.append(*record(1))
    with pytest.raises(StoreFull, match='full'):
        store.append(*record(2))
    assert os.path.getsize(tmp_path / IMAGES) == 16 + 2 * 784
    os.remove(tmp_path / DRAWINGS)
    with pytest.raises(StoreError, match='missing beside'):
        store.append(*record(2))
    assert not (tmp_path / DRAWINGS).exists()


APPENDER = '''
import sys
sys.path.insert(0, %r)
from serving.feedback import FeedbackStore
from test_feedback import record
store = FeedbackStore(sys.argv[1], 1 << 30)
while True:
    count = store.summary()['total']
    print(store.append(*record(count)), flush=True)
'''


def test_kill_9_of_a_process_appending_never_leaves_half_a_record(tmp_path):
    """A real SIGKILL at a random moment of a stream of appends, a dozen times over the same
    set: every acknowledged record is there, whole, with matching counts, after each."""
    directory = str(tmp_path / 'store')
    rng = random.Random(0)
    acknowledged = 0
    for trial in range(12):
        child = subprocess.Popen(
            [sys.executable, '-c', APPENDER % ROOT, directory],
            cwd=os.path.join(ROOT, 'tests'), stdout=subprocess.PIPE, text=True)
        first = child.stdout.readline()  # appending from here on
        assert first.strip(), 'the appender did not start'
        time.sleep(rng.uniform(0, 0.3))
        child.send_signal(signal.SIGKILL)
        printed = [first] + child.stdout.read().split()
        child.wait()
        acknowledged = max([acknowledged] + [int(line) for line in printed if line.strip()])
        committed = len(extra_data.read_set(directory, PREFIX, ('labels',))['labels'])
        assert acknowledged <= committed <= acknowledged + 1, trial  # at most one in flight
        FeedbackStore(directory, 1 << 30)  # what the next start does: cut off the rest
        images, labels, drawings = strict_load(directory)
        assert len(images) == committed
        for number in range(committed):
            image, drawing, label = record(number)
            assert (np.array_equal(images[number], image) and labels[number] == label
                    and np.array_equal(drawings[number], drawing)), (trial, number)
        acknowledged = committed
    assert acknowledged > 12


def test_two_processes_appending_to_one_set_take_turns(tmp_path):
    """Two servers may share a directory: the flock makes their appends take turns."""
    writer = APPENDER.replace('while True:', 'for _ in range(40):')
    children = [subprocess.Popen([sys.executable, '-c', writer % ROOT, str(tmp_path)],
                                 cwd=os.path.join(ROOT, 'tests'), stdout=subprocess.PIPE,
                                 text=True) for _ in range(2)]
    answers = sorted(int(line) for child in children for line in child.communicate()[0].split())
    assert [child.returncode for child in children] == [0, 0]
    assert answers == list(range(1, 81))  # each append saw every other one before it
    assert len(strict_load(str(tmp_path))[0]) == 80


def test_a_summary_never_sees_another_process_appending(tmp_path, monkeypatch):
    """An append raises the three headers' counts one after another: a summary read while
    another process appends twice would see counts two apart (CI saw it under load). The
    summary holds the directory's flock, so the appends wait for it."""
    reader, writer = (FeedbackStore(str(tmp_path), 1 << 30) for _ in range(2))
    writer.append(*record(0))
    appending = threading.Thread(target=lambda: [writer.append(*record(n)) for n in (1, 2)])
    real_read_count = extra_data.read_count

    def read_count_while_another_appends(path, kind):
        count = real_read_count(path, kind)
        if not appending.is_alive() and appending.ident is None:
            appending.start()  # between this file's header and the next ones'
            appending.join(timeout=1.0)
        return count

    monkeypatch.setattr(extra_data, 'read_count', read_count_while_another_appends)
    assert reader.summary()['total'] == 1
    appending.join()
    assert reader.summary()['total'] == 3


# ---------------------------------------------------------------------------- the rules

def test_the_rate_limit_is_per_client_and_refills():
    now = [0.0]
    limit = feedback_routes.RateLimit(3, clock=lambda: now[0])
    assert [limit.wait('a') for _ in range(3)] == [0, 0, 0]
    assert limit.wait('a') == pytest.approx(20)  # one more every 60 / 3 s
    assert limit.wait('b') == 0
    now[0] += 20
    assert limit.wait('a') == 0 and limit.wait('a') > 0
    assert feedback_routes.RateLimit(0).wait('a') == 0


@pytest.mark.parametrize('payload, message', [
    ([0] * 784, 'expected an object'),
    ({'image': [0] * 783 + [1]}, 'missing "label"'),
    ({'label': 3}, 'missing "image"'),
    ({'image': [1] * 784, 'label': 10}, 'integer 0..9'),
    ({'image': [1] * 784, 'label': True}, 'integer 0..9'),
    ({'image': [1] * 784, 'label': '3'}, 'integer 0..9'),
    ({'image': [1] * 784, 'label': 3.0}, 'integer 0..9'),
    ({'image': [0] * 784, 'label': 3}, 'blank'),
    ({'image': [1e-9] + [0] * 783, 'label': 3}, 'blank'),  # no ink once kept as bytes
    ({'image': [0.5] * 784, 'label': 3}, 'ink covers 100% of it'),  # a uniform field
    ({'image': [0.2] * 600 + [0] * 184, 'label': 3}, 'ink covers 77% of it'),
    ({'image': [1] * 700, 'label': 3}, 'expected 784'),
    ({'image': [300] * 784, 'label': 3}, '0..255'),
    ({'image': [1] * 784, 'label': 3, 'models': ['nn']}, 'unknown field'),
])
def test_every_bad_feedback_is_refused_with_a_reason(payload, message):
    with pytest.raises(RequestError, match=message) as raised:
        feedback_routes.parse_feedback_request(payload)
    assert raised.value.status == 400


# ---------------------------------------------------------------------------- the server

@pytest.fixture(scope='module')
def model_dir(tiny_mnist, tmp_path_factory):
    model_dir = tmp_path_factory.mktemp('feedback') / 'model'
    train_model('nn', tiny_mnist, model_dir)
    return model_dir


@pytest.fixture(scope='module')
def server(model_dir, tmp_path_factory):
    directory = tmp_path_factory.mktemp('served_feedback')
    server = start_predict_server(model_dir, '--feedback_dir', str(directory),
                                  '--feedback_per_minute', '0')
    server.feedback_dir = str(directory)
    yield server
    server.stop()


def post(server, image, label, **headers):
    return call(server, 'POST', '/feedback', {'image': image, 'label': label, 'max_value': 255},
                headers=headers)


def test_a_drawing_is_kept_normalised_and_as_sent(server):
    image = drawing_for(0, 0)
    status, headers, answer = post(server, image, 4, Origin='http://127.0.0.1:8000')
    assert status == 200, answer
    assert headers['Access-Control-Allow-Origin'] == 'http://127.0.0.1:8000'
    assert answer['kept'] == {'label': 4, 'record': 0} and answer['counts'][4] == 1
    images, labels, drawings = strict_load(server.feedback_dir)
    assert labels.tolist() == [4] and drawings[0].ravel().tolist() == image
    _, _, predicted = call(server, 'POST', '/predict', {'image': image, 'max_value': 255})
    seen = np.round(np.array(predicted['input']) * 255)  # what the models were fed
    assert np.abs(images[0].astype(int) - seen).max() <= 1
    assert call(server, 'GET', '/feedback')[2]['total'] == 1


def test_bad_feedback_and_foreign_origins_get_a_json_4xx_and_keep_nothing(server):
    before = call(server, 'GET', '/feedback')[2]['total']
    for body, status in ((b'{"image": [1,', 400), (b'{"image": [], "label": 1}', 400),
                         (json.dumps({'image': [0] * 784, 'label': 1}).encode(), 400)):
        code, _, answer = call(server, 'POST', '/feedback', body=body)
        assert code == status and answer['error']
    code, headers, answer = post(server, drawing_for(0, 1), 1, Origin='http://evil.example')
    assert code == 403 and '--allow_origin http://evil.example' in answer['error']
    assert 'Access-Control-Allow-Origin' not in headers
    code, headers, _ = call(server, 'OPTIONS', '/feedback', headers={
        'Origin': 'http://localhost:8000', 'Access-Control-Request-Method': 'POST'})
    assert code == 204 and 'POST' in headers['Access-Control-Allow-Methods']
    assert call(server, 'PUT', '/feedback', body=b'{}')[0] == 405
    assert call(server, 'GET', '/feedback')[2]['total'] == before


def test_eight_concurrent_clients_are_each_kept_exactly_once(server):
    before = call(server, 'GET', '/feedback')[2]['total']
    statuses = []

    def client(number):
        for n in range(10):
            statuses.append(post(server, drawing_for(number, n), n)[0])
    threads = [threading.Thread(target=client, args=(number,)) for number in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [200] * 80
    _, labels, drawings = strict_load(server.feedback_dir)
    assert len(labels) == before + 80
    kept = [(int(d.ravel()[0]) - 1, int(d.ravel()[1]) - 1) for d in drawings[before:]]
    assert sorted(kept) == [(c, n) for c in range(8) for n in range(10)]
    assert all(labels[before + i] == n for i, (_, n) in enumerate(kept))


def test_the_feedback_benchmark_scores_every_model_on_the_kept_drawings(server, model_dir,
                                                                        tmp_path):
    for number in range(5):  # a held-out one at least, however the tests before went
        assert post(server, drawing_for(9, number), number)[0] == 200
    result = run_script('bench/feedback_digits.py', '--url', server.url, '--data',
                        server.feedback_dir, '--model_dir', str(model_dir), '--results_dir',
                        str(tmp_path))
    kept = len(strict_load(server.feedback_dir)[1])
    assert '| model | held out (%d) | all (%d) |' % (kept // 5, kept) in result.stdout
    report = json.load(open(tmp_path / 'feedback_digits.json'))
    assert report['drawings'] == kept and set(report['accuracy']) == {'nn'}
    nn = report['accuracy']['nn']
    assert 0 <= nn['held_out'] <= 1 and 0 <= nn['all'] <= 1  # not trained on them
    assert nn['trained_on_extra_data'] is None


def test_the_rate_limit_and_the_cap_answer_429_and_409(model_dir, tmp_path):
    cap_mb = set_bytes(3) / 2 ** 20
    limited = start_predict_server(model_dir, '--feedback_dir', str(tmp_path),
                                   '--feedback_per_minute', '4', '--feedback_max_mb', str(cap_mb))
    try:
        codes = [post(limited, drawing_for(0, n), 1)[0] for n in range(5)]
        assert codes == [200, 200, 200, 409, 429]
        _, headers, answer = post(limited, drawing_for(0, 9), 1)
        assert 'at most 4 a minute' in answer['error']
        # The wait, as the message says it, in the header clients and proxies read.
        wait = int(re.search(r'try again in (\d+) s', answer['error']).group(1))
        assert int(headers['Retry-After']) == wait
        assert call(limited, 'GET', '/feedback')[2]['total'] == 3
    finally:
        limited.stop()
    assert len(strict_load(str(tmp_path))[0]) == 3


def stream(server, acknowledged, stop):
    """Post drawings one after another on one connection until it fails; each one the
    server answered 200 is appended to `acknowledged`."""
    connection = http.client.HTTPConnection('127.0.0.1', server.port, timeout=10)
    try:
        while not stop.is_set():
            number = len(acknowledged)
            body = json.dumps({'image': drawing_for(number // 250, number % 250),
                               'label': number % 10, 'max_value': 255})
            connection.request('POST', '/feedback', body=body)
            response = connection.getresponse()
            response.read()
            assert response.status == 200
            acknowledged.append(number)
    except (OSError, http.client.HTTPException):
        pass  # the server was killed
    finally:
        connection.close()


def test_kill_9_of_the_server_mid_stream_loses_no_acknowledged_drawing(model_dir, tmp_path):
    """Three times: the server is killed (SIGKILL) while a client streams drawings to it,
    then started again on the same directory. Every drawing it answered 200 for is on disk
    whole, in order, with matching counts; at most the one in flight is there too."""
    directory = str(tmp_path)
    rng = random.Random(1)
    acknowledged = []
    for trial in range(3):
        server = start_predict_server(model_dir, '--feedback_dir', directory,
                                      '--feedback_per_minute', '0')
        kept_before = len(acknowledged)
        stop = threading.Event()
        thread = threading.Thread(target=stream, args=(server, acknowledged, stop))
        thread.start()
        time.sleep(rng.uniform(0.5, 1.5))
        server.process.kill()
        server.process.wait()
        stop.set()
        thread.join()
        assert len(acknowledged) > kept_before, server.output
        committed = len(extra_data.read_set(directory, PREFIX, ('labels',))['labels'])
        assert len(acknowledged) <= committed <= len(acknowledged) + 1
        if committed > len(acknowledged):  # kept, but killed before it answered
            acknowledged.append(len(acknowledged))
    FeedbackStore(directory, 1 << 30)  # what the next start does
    _, labels, drawings = strict_load(directory)
    assert labels.tolist() == [number % 10 for number in acknowledged]
    assert [tuple(d.ravel()[:2]) for d in drawings] == [
        (number // 250 + 1, number % 250 + 1) for number in acknowledged]


def test_a_feedback_dir_holding_something_else_stops_the_start_with_one_line(model_dir,
                                                                             tmp_path):
    (tmp_path / IMAGES).write_bytes(struct.pack('>4I', 2051, 0, 28, 28))
    (tmp_path / LABELS).write_bytes(b'not an IDX file')
    result = run_script('predict_server.py', '--port', '0', '--model_dir', str(model_dir),
                        '--feedback_dir', str(tmp_path), check=False, timeout=120)
    assert result.returncode == 1 and 'Traceback' not in result.stderr
    assert result.stderr.strip().splitlines()[-1].startswith('error: ')
    assert 'bad magic number' in result.stderr and LABELS in result.stderr
    assert (tmp_path / LABELS).read_bytes() == b'not an IDX file'  # left as it was
