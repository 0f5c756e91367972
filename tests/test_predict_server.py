"""predict_server.py against a real server process on 127.0.0.1, serving tiny models trained
for a few steps on the synthetic data set: start-up, the three endpoints, every kind of bad
input, CORS and concurrent requests."""
import gzip
import http.client
import json
import os
import shutil
import socket
import threading
import time

import numpy as np
import pytest

from conftest import run_script
from serving import api
from servers import batched_alike, call, start_predict_server, train_model

CLIENT_TIMEOUT_S = 1  # the server's --timeout here, so the slow-client test is quick


# ---------------------------------------------------------------------------- helpers

def raw_exchange(server, data, pause=0.0):
    """Send raw bytes, optionally wait, and return (status, JSON answer)."""
    with socket.create_connection(('127.0.0.1', server.port), timeout=30) as connection:
        connection.sendall(data)
        time.sleep(pause)
        received = b''
        while b'\r\n\r\n' not in received or not _complete(received):
            chunk = connection.recv(65536)
            if not chunk:
                break
            received += chunk
    head, _, body = received.partition(b'\r\n\r\n')
    return int(head.split()[1]), json.loads(body)


def _complete(response):
    head, _, body = response.partition(b'\r\n\r\n')
    for line in head.split(b'\r\n'):
        if line.lower().startswith(b'content-length:'):
            return len(body) >= int(line.split(b':')[1])
    return False


def digit_image(top=4, left=9):
    """A 0/1 '7' (bar and stem), 784 values; move it with top/left."""
    image = np.zeros((28, 28))
    image[top:top + 2, left:left + 11] = 1
    for row in range(top, top + 18):
        image[row, left + 10 - (row - top) // 3:left + 12 - (row - top) // 3] = 1
    return image.ravel()


def centre_of_mass(rows):
    image = np.asarray(rows)
    total = image.sum()
    return np.array([(image.sum(1) * np.arange(28)).sum() / total,
                     (image.sum(0) * np.arange(28)).sum() / total])


# ---------------------------------------------------------------------------- fixtures

@pytest.fixture(scope='session')
def served_models(tiny_mnist, tmp_path_factory):
    """model/{nn,regression} trained for 30 steps, and two broken copies of nn: one whose
    meta-graph is junk, one whose weights are cut short."""
    model_dir = tmp_path_factory.mktemp('served') / 'model'
    for name in ('regression', 'nn'):
        train_model(name, tiny_mnist, model_dir)
    for broken, pattern in (('junk_graph', '*.meta'), ('cut_weights', '*.data-*')):
        shutil.copytree(model_dir / 'nn', model_dir / broken)
        for path in (model_dir / broken).glob(pattern):
            path.write_bytes(path.read_bytes()[:100])
    # Names no model can have: a file manager's copy (not a scope) and the ensemble's.
    for misnamed in ('nn (1)', 'ensemble'):
        shutil.copytree(model_dir / 'nn', model_dir / misnamed)
    return model_dir


@pytest.fixture(scope='module')
def server(served_models):
    server = start_predict_server(served_models, '--timeout', str(CLIENT_TIMEOUT_S))
    yield server
    server.stop()


# ---------------------------------------------------------------------------- start-up

def test_start_up_reports_what_loaded_what_was_skipped_and_the_url(server):
    output = server.output
    assert 'Loaded nn ' in output and 'Loaded regression ' in output
    for broken in ('junk_graph', 'cut_weights'):
        assert len([line for line in server.lines if line.startswith('Skipped %s: ' % broken)
                    ]) == 1, output
    for misnamed in ('nn (1)', 'ensemble'):
        assert ("Skipped %s: %r is not a model name (letters, digits, '_', '.' and '-', "
                "beginning with a letter or digit; not 'ensemble'): rename its directory"
                % (misnamed, misnamed)) in server.lines, output
    assert 'Serving 2 models (nn, regression) at %s' % server.url in output
    assert 'start-up ' in output


def test_a_subset_a_missing_model_and_a_model_without_model_json(served_models, tmp_path):
    model_dir = tmp_path / 'model'
    shutil.copytree(served_models / 'regression', model_dir / 'plain')
    os.remove(model_dir / 'plain' / 'model.json')
    shutil.copytree(served_models / 'regression', model_dir / 'damaged')
    (model_dir / 'damaged' / 'model.json').write_text('{"test_accuracy": 0.5, junk')
    shutil.copytree(served_models / 'regression', model_dir / 'stale')
    stale = json.loads((model_dir / 'stale' / 'model.json').read_text())
    (model_dir / 'stale' / 'model.json').write_text(json.dumps(dict(
        stale, checkpoint='model.ckpt-5', test_accuracy=0.25)))  # an interrupted run's
    other = start_predict_server(model_dir, '--models', 'plain,ghost,damaged,stale',
                                 '--allow_origin', '*')
    try:
        assert 'Skipped ghost: no checkpoint' in other.output
        # A damaged model.json is said, not silently taken for an absent one.
        assert [line for line in other.lines if line.startswith('Loaded damaged ')][0].count(
            'test accuracy unknown (%s is unreadable (Expecting' % (
                model_dir / 'damaged' / 'model.json')) == 1, other.output
        assert 'test accuracy unknown (' not in ''.join(
            line for line in other.lines if line.startswith('Loaded plain '))
        # A record of another checkpoint is not put on this one's weights.
        assert ('test accuracy unknown (%s describes model.ckpt-5, not model.ckpt-30 (a run '
                'that did not finish?))' % (model_dir / 'stale' / 'model.json')) in [
            line for line in other.lines if line.startswith('Loaded stale ')][0], other.output
        status, headers, answer = call(other, 'GET', '/models',
                                       headers={'Origin': 'http://example.org'})
        assert status == 200
        # Without model.json the step comes from the checkpoint's global_step variable.
        assert [(m['name'], m['global_step'], m['test_accuracy'])
                for m in answer['models'] if m['name'] != 'ensemble'] == [
            ('plain', 30, None), ('damaged', 30, None), ('stale', 30, None)]
        assert headers['Access-Control-Allow-Origin'] == 'http://example.org'  # --allow_origin *
    finally:
        other.stop()


def test_no_loadable_model_is_a_clear_error(tmp_path):
    result = run_script('predict_server.py', '--model_dir', str(tmp_path), '--port', '0',
                        check=False, timeout=120)
    assert result.returncode != 0
    assert 'no loadable model in %s' % tmp_path in result.stderr


# ---------------------------------------------------------------------------- endpoints

def test_health(server):
    status, _, answer = call(server, 'GET', '/health')
    assert status == 200
    assert answer['status'] == 'ok' and answer['models'] == ['nn', 'regression']


def test_models_lists_test_accuracy_and_training_step(server):
    status, _, answer = call(server, 'GET', '/models')
    assert status == 200
    models = answer['models']
    # The two models, then their ensemble (tests/test_ensemble.py).
    assert [m['name'] for m in models] == ['nn', 'regression', 'ensemble']
    for model in models[:2]:
        assert model['global_step'] == 30
        assert 0 <= model['test_accuracy'] <= 1
        assert model['checkpoint'] == 'model.ckpt-30'


def test_predict_takes_the_original_pages_bare_array(server):
    status, headers, answer = call(server, 'POST', '/predict',
                                   body=json.dumps(digit_image().astype(int).tolist()).encode())
    assert status == 200 and headers['Content-Type'] == 'application/json'
    assert [m['name'] for m in answer['models']] == ['nn', 'regression', 'ensemble']
    for model in answer['models']:
        probabilities = np.array(model['probabilities'])
        assert probabilities.shape == (10,) and probabilities.sum() == pytest.approx(1, abs=1e-4)
        assert model['prediction'] == int(np.argmax(probabilities))
        assert model['milliseconds'] > 0
    assert answer['preprocessed'] is True and answer['max_value'] == 1
    assert answer['agree'] == (len({m['prediction'] for m in answer['models']}) == 1)
    assert np.array(answer['input']).shape == (28, 28)


def test_preprocessing_centres_an_off_centre_digit(server):
    image = digit_image(top=0, left=0)
    _, _, answer = call(server, 'POST', '/predict', {'image': image.tolist()})
    np.testing.assert_allclose(centre_of_mass(answer['input']), [14, 14], atol=0.3)
    _, _, raw = call(server, 'POST', '/predict', {'image': image.tolist(), 'preprocess': False})
    assert raw['preprocessed'] is False
    np.testing.assert_allclose(np.array(raw['input']).ravel(), image, atol=1e-4)


def test_0_to_255_is_detected_or_stated(server):
    image = digit_image()
    _, _, unit = call(server, 'POST', '/predict', {'image': image.tolist()})
    _, _, detected = call(server, 'POST', '/predict', {'image': (255 * image).tolist()})
    _, _, stated = call(server, 'POST', '/predict', {'image': image.tolist(), 'max_value': 255})
    assert detected['max_value'] == 255
    for a, b in zip(unit['models'], detected['models']):
        np.testing.assert_allclose(a['probabilities'], b['probabilities'], atol=1e-5)
    # Stated as 0..255, ones are nearly blank: a different image, a different answer.
    assert stated['max_value'] == 255 and np.max(stated['input']) == pytest.approx(1)


def test_a_speck_too_faint_for_a_grey_level_is_not_normalised_into_a_digit(server):
    # Scaled to full ink, a 1e-9 pixel became a blob filling the frame, answered as a digit.
    speck = [1e-9] + [0] * 783
    _, _, answer = call(server, 'POST', '/predict', {'image': speck})
    assert not np.any(answer['input'])
    image = digit_image()
    image[0] = 1e-9  # beside a digit it changes nothing
    _, _, with_speck = call(server, 'POST', '/predict', {'image': image.tolist()})
    _, _, without = call(server, 'POST', '/predict', {'image': digit_image().tolist()})
    assert with_speck['input'] == without['input']


def test_a_subset_of_models_and_28_rows_of_28(server):
    rows = digit_image().reshape(28, 28).tolist()
    status, _, answer = call(server, 'POST', '/predict',
                             {'image': rows, 'models': ['regression', 'regression']})
    assert status == 200
    assert [m['name'] for m in answer['models']] == ['regression']


def test_keep_alive_serves_many_requests_on_one_connection(server):
    connection = http.client.HTTPConnection('127.0.0.1', server.port, timeout=30)
    body = json.dumps(digit_image().tolist()).encode()
    for _ in range(5):
        connection.request('POST', '/predict', body=body)
        response = connection.getresponse()
        assert response.status == 200 and json.loads(response.read())['models']
    connection.close()


def outcome(answer):
    return [(m['name'], m['prediction'], m['probabilities']) for m in answer['models']]


def same_outcome(got, expected):
    """The same models and predictions, and probabilities but for their last digits."""
    return [(name, prediction) for name, prediction, _ in got] == [
        (name, prediction) for name, prediction, _ in expected] and all(
        batched_alike(a[2], b[2]) for a, b in zip(got, expected))


def test_concurrent_requests_get_their_own_answers(server):
    images = [digit_image(top, left) for top in (0, 5, 9) for left in (0, 8, 15)]
    expected = [outcome(call(server, 'POST', '/predict', {'image': im.tolist()})[2])
                for im in images]
    failures = []

    def client(offset):
        connection = http.client.HTTPConnection('127.0.0.1', server.port, timeout=60)
        for i in range(len(images)):
            index = (i + offset) % len(images)
            connection.request('POST', '/predict',
                               body=json.dumps({'image': images[index].tolist()}).encode())
            response = connection.getresponse()
            answer = json.loads(response.read())
            if response.status != 200 or not same_outcome(outcome(answer), expected[index]):
                failures.append((offset, index, response.status))
        connection.close()

    threads = [threading.Thread(target=client, args=(offset,)) for offset in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not failures


# ---------------------------------------------------------------------------- bad input

ZEROS = [0] * 784
BAD_REQUESTS = [
    # (name, method, path, body, status, words the error must contain)
    ('wrong length', 'POST', '/predict', json.dumps([0] * 783), 400,
     'expected 784 pixel values (28×28), got 783'),
    ('not a number', 'POST', '/predict', json.dumps(ZEROS[:5] + ['x'] + ZEROS[6:]), 400,
     'pixel 5 is "x", not a number'),
    ('a boolean', 'POST', '/predict', json.dumps([True] + ZEROS[1:]), 400,
     'pixel 0 is true, not a number'),
    ('null', 'POST', '/predict', json.dumps([None] + ZEROS[1:]), 400, 'pixel 0 is null'),
    ('NaN', 'POST', '/predict', '[NaN' + ',0' * 783 + ']', 400,
     'NaN is not a valid JSON number'),
    ('infinity', 'POST', '/predict', '[-Infinity' + ',0' * 783 + ']', 400,
     '-Infinity is not a valid JSON number'),
    ('overflowing to infinity', 'POST', '/predict', '[1e999' + ',0' * 783 + ']', 400,
     'must be finite'),
    ('an integer too big for a float', 'POST', '/predict', '[' + '9' * 400 + ',0' * 783 + ']',
     400, 'must lie in 0..255'),
    ('negative', 'POST', '/predict', json.dumps([-0.5] + ZEROS[1:]), 400,
     'must lie in 0..1, got -0.5..0'),
    ('above 255', 'POST', '/predict', json.dumps([300] + ZEROS[1:]), 400,
     'must lie in 0..255, got 0..300'),
    ('above the stated max_value', 'POST', '/predict',
     json.dumps({'image': [2] + ZEROS[1:], 'max_value': 1}), 400, 'must lie in 0..1'),
    ('a max_value that is neither 1 nor 255', 'POST', '/predict',
     json.dumps({'image': ZEROS, 'max_value': 100}), 400, '"max_value" must be 1 or 255'),
    ('malformed JSON', 'POST', '/predict', '[0, 1', 400, 'malformed JSON'),
    ('not UTF-8', 'POST', '/predict', b'\xff\xfe\xfa\x00[', 400, 'malformed JSON'),
    ('JSON of the wrong kind', 'POST', '/predict', '"seven"', 400,
     'expected a JSON array of 784 pixels or an object'),
    ('an empty body', 'POST', '/predict', '', 400, 'malformed JSON'),
    ('no image', 'POST', '/predict', '{}', 400, 'missing "image"'),
    ('an image that is not an array', 'POST', '/predict', '{"image": "7"}', 400,
     '"image" must be an array of 784 numbers'),
    ('an unknown field', 'POST', '/predict', json.dumps({'image': ZEROS, 'colour': 1}), 400,
     'unknown field(s) colour'),
    ('preprocess not a boolean', 'POST', '/predict',
     json.dumps({'image': ZEROS, 'preprocess': 'yes'}), 400, '"preprocess" must be true or false'),
    ('ragged rows', 'POST', '/predict', json.dumps([[0] * 28] * 27 + [[0] * 27]), 400,
     '28 values per row'),
    ('an empty model list', 'POST', '/predict', json.dumps({'image': ZEROS, 'models': []}), 400,
     '"models" must be a non-empty array'),
    ('an unknown model', 'POST', '/predict', json.dumps({'image': ZEROS, 'models': ['cnn']}),
     404, 'unknown model "cnn"; loaded: nn, regression'),
    ('an unknown path', 'GET', '/predictions', None, 404, 'unknown path "/predictions"'),
    ('GET on /predict', 'GET', '/predict', None, 405, 'GET /predict is not supported; use POST'),
    ('POST on /models', 'POST', '/models', '{}', 405, 'use GET'),
    ('DELETE on /health', 'DELETE', '/health', None, 405, 'DELETE /health is not supported'),
    ('a huge body', 'POST', '/predict', json.dumps([0.123456789] * 784 * 10), 413,
     'over the 65536-byte limit'),
]


def test_bodies_read_and_answers_write_as_the_json_module_would():
    """orjson reads and writes what it can, the json module the rest: the same values."""
    bodies = [b'[0, 1.5, -0.0, 1e-7, 255]', b'{"a": 1, "a": 2}', b'["\\ud800"]',
              b'[18446744073709551615]', b'[1e999]',
              json.dumps({'x': '\u00e9'}).encode('utf-16'),
              json.dumps([[0.25] * 784] * 20).encode()]
    for body in bodies:
        assert api.parse_json(body) == json.loads(body), body
        assert api.parse_json(body, fast=False) == json.loads(body), body  # TF Serving batches
    # Beyond 64 bits orjson reads an integer as the float it is closest to (as every pixel
    # becomes anyway), and json.loads an integer too long for any float.
    assert api.parse_json(b'[' + b'9' * 30 + b']') == [1e30]
    assert api.parse_json(b'[' + b'9' * 400 + b']') == [int('9' * 400)]
    answers = [{'p': [0.1, 1e-7, 0.0], 'ok': True, 'none': None}, {'error': 'name \ud800'},
               {1: 'a key that is not a string'}]
    for answer in answers:
        assert json.loads(api.encode_json(answer)) == json.loads(json.dumps(answer)), answer


@pytest.mark.parametrize('name, method, path, body, status, words', BAD_REQUESTS,
                         ids=[case[0] for case in BAD_REQUESTS])
def test_bad_requests_get_a_json_error_that_says_what_was_wrong(
        server, name, method, path, body, status, words):
    if isinstance(body, str):
        body = body.encode()
    got_status, headers, answer = call(server, method, path, body=body)
    assert got_status == status
    assert headers['Content-Type'] == 'application/json'
    assert words in answer['error']
    if status == 405:
        assert headers['Allow'] in ('GET', 'POST')


def test_a_body_over_the_limit_is_refused_from_its_content_length(server):
    # Up to 64 MiB the server reads and drops the body, so the client sees the 413 ...
    status, _, answer = call(server, 'POST', '/predict', body=b'[' + b'0,' * 500000 + b'0]')
    assert status == 413 and 'over the 65536-byte limit' in answer['error']
    # ... beyond that it answers from the header alone and hangs up.
    status, answer = raw_exchange(
        server, b'POST /predict HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 1000000000\r\n\r\n[0,')
    assert status == 413 and 'body of 1000000000 bytes' in answer['error']


def test_a_missing_content_length_is_411(server):
    status, answer = raw_exchange(server, b'POST /predict HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n')
    assert status == 411 and 'Content-Length' in answer['error']


def test_a_client_that_stops_sending_gets_408(server):
    status, answer = raw_exchange(
        server, b'POST /predict HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 3000\r\n\r\n[0, 0,',
        pause=CLIENT_TIMEOUT_S + 0.5)
    assert status == 408 and 'while reading the body' in answer['error']


def test_a_compressed_body_is_refused_as_such_and_options_says_what_is_allowed(server):
    body = gzip.compress(json.dumps([0] * 784).encode())
    status, headers, answer = call(server, 'POST', '/predict', body=body,
                                   headers={'Content-Encoding': 'gzip'})
    assert (status, answer) == (415, {'error': 'Content-Encoding gzip is not supported: send '
                                      'the body uncompressed'})
    assert 'Retry-After' not in headers
    status, headers, _ = call(server, 'OPTIONS', '/predict')  # no Origin: not a browser's
    assert status == 204 and headers['Allow'] == 'POST, OPTIONS'


def test_errors_found_by_http_server_itself_are_json_too(server):
    headers = b''.join(b'X-Header-%d: 1\r\n' % i for i in range(120))
    status, answer = raw_exchange(server, b'GET /health HTTP/1.1\r\n' + headers + b'\r\n')
    assert status == 431 and 'Too many headers' in answer['error']


def test_the_server_survives_all_of_it(server):
    assert call(server, 'GET', '/health')[0] == 200
    assert server.process.poll() is None
    assert not server.traceback


# ---------------------------------------------------------------------------- CORS

@pytest.mark.parametrize('origin', ['http://127.0.0.1:8000', 'http://localhost:8000'])
def test_the_local_page_may_call_the_api(server, origin):
    status, headers, _ = call(server, 'OPTIONS', '/predict', headers={
        'Origin': origin, 'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': 'content-type'})
    assert status == 204
    assert headers['Access-Control-Allow-Origin'] == origin
    assert 'POST' in headers['Access-Control-Allow-Methods']
    assert 'Content-Type' in headers['Access-Control-Allow-Headers']
    status, headers, _ = call(server, 'POST', '/predict', {'image': ZEROS},
                              headers={'Origin': origin})
    assert status == 200 and headers['Access-Control-Allow-Origin'] == origin


def test_other_origins_are_refused(server):
    status, _, answer = call(server, 'OPTIONS', '/predict', headers={
        'Origin': 'http://evil.example', 'Access-Control-Request-Method': 'POST'})
    assert status == 403 and '--allow_origin http://evil.example' in answer['error']
    _, headers, _ = call(server, 'GET', '/health', headers={'Origin': 'http://evil.example'})
    assert 'Access-Control-Allow-Origin' not in headers


# ---------------------------------------------------------------------------- the benchmark

def test_the_drawn_digits_benchmark_runs_end_to_end(server, tiny_mnist, tmp_path):
    run_script('bench/drawn_digits.py', '--url', server.url, '--data_dir', str(tiny_mnist),
               '--count', '4', '--results_dir', str(tmp_path))
    with open(tmp_path / 'drawn_digits.json') as f:
        report = json.load(f)
    assert set(report['accuracy']) == set(report['conditions']) >= {
        'mnist', 'off-centre', 'drawn', 'affine', 'elastic', 'slanted', 'blurred', 'low-res'}
    for by_model in report['accuracy'].values():
        assert set(by_model) == {'nn', 'regression', 'ensemble'}
        assert all(0 <= r['raw'] <= 1 and 0 <= r['preprocessed'] <= 1 for r in by_model.values())
    assert '| condition | nn | regression | ensemble |' in (tmp_path / 'drawn_digits.md').read_text()
    # The validation split is training's first 5,000 images: too few is one line, exit 2.
    refused = run_script('bench/drawn_digits.py', '--url', server.url, '--data_dir',
                         str(tiny_mnist), '--split', 'validation', check=False)
    assert refused.returncode == 2
    assert refused.stderr.strip().splitlines()[-1].startswith(
        'drawn_digits.py: error: --split validation: validation_size must be between 0 and')


@pytest.mark.parametrize('flags, message', [
    ('--timeout 0', 'argument --timeout: must be a positive number, got 0'),
    ('--port 70000', 'argument --port: must be a port number, 0 to 65535, got 70000'),
    ('--max_connections 0', 'argument --max_connections: must be a positive integer'),
    ('--max_batch_size -1', 'argument --max_batch_size: must be a positive integer'),
    ('--poll_seconds -1', 'argument --poll_seconds: must be 0 or more'),
    ('--feedback_per_minute -5', 'argument --feedback_per_minute: must be 0 or more'),
    ('--models nn,../secret', "argument --models: '../secret' is not a model name"),
    ('--allow_origin http://127.0.0.1:8000/',
     "argument --allow_origin: 'http://127.0.0.1:8000/' is not an origin"),
])
def test_bad_server_flags_are_one_line_before_anything_starts(flags, message, capsys):
    # (A zero --timeout used to start a server that dropped every request.)
    import predict_server
    with pytest.raises(SystemExit) as raised:
        predict_server.parse_args(flags.split())
    assert raised.value.code == 2
    lines = capsys.readouterr().err.splitlines()  # one: no usage block before it
    assert len(lines) == 1 and ': error: %s' % message in lines[0]
    assert lines[0].endswith('--help lists the flags)')


def test_server_flag_values_that_are_allowed():
    import predict_server
    flags = predict_server.parse_args(['--port', '0', '--allow_origin', 'null',
                                       '--allow_origin', 'https://digits.example',
                                       '--models', 'all', '--poll_seconds', '0'])
    assert flags.port == 0 and flags.models == [] and flags.poll_seconds == 0
    assert flags.allow_origin == ['null', 'https://digits.example']
    assert predict_server.parse_args(['--models', 'nn,cnn']).models == ['nn', 'cnn']


def test_auto_precision_says_why_for_measured_and_own_models(monkeypatch):
    from graphs import precision
    from serving import models as serving_models
    monkeypatch.setattr(precision, 'cpu_has_bf16', lambda cpuinfo: True)
    assert serving_models.serving_precision('cnn', 'auto')[0] == 'bf16'
    chosen, why = serving_models.serving_precision('lstm', 'auto')
    assert chosen == 'fp32' and 'measured this model no faster in bf16' in why
    # A model of the user's own (import_checkpoint.py) was never measured: no claim it was.
    chosen, why = serving_models.serving_precision('mine', 'auto')
    assert chosen == 'fp32' and 'not one of the seven models' in why
    assert serving_models.serving_precision('mine', 'bf16')[0] == 'bf16'


def test_flags_are_read_before_tensorflow_is_imported():
    # --help and a bad flag answer at once; importing TensorFlow takes seconds.
    result = run_script('-c', 'import sys, predict_server; predict_server.parse_args([]); '
                        'print("tensorflow" in sys.modules)', timeout=60)
    assert result.stdout.split() == ['False']
