"""Hot reload against a real server process: a model's checkpoint replaced again and
again while clients keep sending requests, a broken checkpoint, a model directory added
and removed (serving/reload.py)."""
import http.client
import json
import os
import shutil
import threading
import time

import numpy as np
import pytest

from servers import batched_alike, call, start_predict_server, train_model

POLL_SECONDS = 0.2
CLIENTS = 4
SWAPS = 10
# Two versions of nn: the checkpoint's step is the version.
STEPS = (30, 40)
IMAGES = np.random.RandomState(0).rand(2, 784).round(4).tolist()


@pytest.fixture(scope='module')
def versions(tiny_mnist, tmp_path_factory):
    """{step: model/nn directory trained for that many steps}."""
    directories = {}
    for steps in STEPS:
        root = tmp_path_factory.mktemp('nn%d' % steps) / 'model'
        train_model('nn', tiny_mnist, root, steps=steps)
        directories[steps] = root / 'nn'
    return directories


@pytest.fixture
def served(versions, tmp_path):
    model_dir = tmp_path / 'model'
    shutil.copytree(versions[STEPS[0]], model_dir / 'nn')
    server = start_predict_server(model_dir, '--poll_seconds', str(POLL_SECONDS))
    yield server, model_dir
    server.stop()


def install(source, directory):
    """Copy a checkpoint's files into `directory`, then point its `checkpoint` file at
    them in one step, as a Saver does: the files first, the state file last."""
    os.makedirs(directory, exist_ok=True)
    for path in source.iterdir():
        if path.name != 'checkpoint' and path.is_file():
            shutil.copy(path, directory / path.name)
    prefix = next(source.glob('*.index')).name[:-len('.index')]
    point_at(directory, prefix)


def point_at(directory, prefix):
    (directory / 'checkpoint.new').write_text('model_checkpoint_path: "%s"\n' % prefix)
    os.replace(directory / 'checkpoint.new', directory / 'checkpoint')


def served_version(server, name='nn'):
    status, _, answer = call(server, 'GET', '/v1/models/%s' % name)
    if status != 200:
        return None
    return [v['version'] for v in answer['model_version_status'] if v['state'] == 'AVAILABLE']


def close(a, b):
    """The same TF Serving answer but for the scores' last digits."""
    return batched_alike(a['predictions'], b['predictions'])


def wait_for(condition, timeout=60):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError('timed out waiting for the reload')


def test_replaced_checkpoints_are_swapped_in_under_load(served, versions):
    server, model_dir = served
    answers, failures, stop = [], [], threading.Event()

    def client():
        connection = http.client.HTTPConnection('127.0.0.1', server.port, timeout=30)
        body = json.dumps({'instances': IMAGES})
        while not stop.is_set():
            try:
                connection.request('POST', '/v1/models/nn:predict', body=body)
                response = connection.getresponse()
                text = response.read()
            except (OSError, http.client.HTTPException) as error:
                failures.append(repr(error))
                connection.close()
                continue
            if response.status != 200:
                failures.append(text)
            answers.append(text)
        connection.close()

    threads = [threading.Thread(target=client) for _ in range(CLIENTS)]
    for thread in threads:
        thread.start()
    by_version = {}  # version → its answer, asked for by version once it is served
    try:
        for swap in range(SWAPS + 1):
            step = STEPS[swap % 2]
            if swap:
                install(versions[step], model_dir / 'nn')
            wait_for(lambda: served_version(server) == [str(step)])
            # From the moment it is listed, the new version answers, by number or not.
            status, _, by_number = call(server, 'POST', '/v1/models/nn/versions/%d:predict'
                                        % step, {'instances': IMAGES})
            _, _, latest = call(server, 'POST', '/v1/models/nn:predict', {'instances': IMAGES})
            assert status == 200 and close(by_number, latest)
            assert close(by_version.setdefault(step, latest), latest)
            time.sleep(0.3)  # requests on this version, too
    finally:
        stop.set()
        for thread in threads:
            thread.join()
    assert failures == []
    # Every answer comes whole from one version: only the two versions' answers occur.
    assert len(answers) > 50
    assert not close(by_version[STEPS[0]], by_version[STEPS[1]])
    whose = [[step for step, answer in by_version.items() if close(json.loads(text), answer)]
             for text in answers]
    assert all(len(steps) == 1 for steps in whose)
    assert {steps[0] for steps in whose} == set(STEPS)
    assert server.output.count('Reloaded nn: version') == SWAPS
    # The version swapped out is listed as TF Serving lists it: END, after the one served.
    status, _, answer = call(server, 'GET', '/v1/models/nn')
    assert status == 200 and [(v['version'], v['state']) for v in answer[
        'model_version_status']] == [(str(STEPS[SWAPS % 2]), 'AVAILABLE'),
                                     (str(STEPS[(SWAPS + 1) % 2]), 'END')]


def test_a_broken_checkpoint_is_reported_and_the_version_keeps_serving(served, versions):
    server, model_dir = served
    point_at(model_dir / 'nn', 'model.ckpt-99')  # files that are not there
    wait_for(lambda: 'Reload of nn failed' in server.output)
    assert served_version(server) == [str(STEPS[0])]
    assert call(server, 'POST', '/v1/models/nn:predict', {'instances': IMAGES})[0] == 200
    [line] = [line for line in server.output.splitlines() if 'Reload of nn failed' in line]
    assert 'model.ckpt-99' in line and 'still serving version %d' % STEPS[0] in line
    # TF Serving lists a version that failed to load, with its error.
    statuses = call(server, 'GET', '/v1/models/nn')[2]['model_version_status']
    assert [(s['version'], s['state'], s['status']['error_code']) for s in statuses] == [
        (str(STEPS[0]), 'AVAILABLE', 'OK'), ('99', 'END', 'UNKNOWN')]
    assert 'model.ckpt-99' in statuses[1]['status']['error_message']
    # Reported once, not at every poll; the next good checkpoint is loaded.
    install(versions[STEPS[1]], model_dir / 'nn')
    wait_for(lambda: served_version(server) == [str(STEPS[1])])
    assert server.output.count('Reload of nn failed') == 1
    assert '99' not in [s['version'] for s in call(server, 'GET', '/v1/models/nn')[2][
        'model_version_status']]  # a version loaded since: the failure is past
    metrics = call_text(server, '/monitoring/prometheus/metrics')
    assert 'predict_server_model_reload_failures_total{model="nn"} 1.0' in metrics
    assert 'predict_server_model_reloads_total{model="nn"} 1.0' in metrics


def test_a_checkpoint_mended_in_place_is_loaded(served, versions):
    """A copy that wrote `checkpoint` before its .data file was whole fails to load;
    once the file is whole the same checkpoint is tried again and served."""
    server, model_dir = served
    source = versions[STEPS[1]]
    [data] = source.glob('*.data-*')
    for path in source.iterdir():
        if path.name != 'checkpoint' and path.is_file():
            shutil.copy(path, model_dir / 'nn' / path.name)
    (model_dir / 'nn' / data.name).write_bytes(data.read_bytes()[:100])  # copied in part
    point_at(model_dir / 'nn', data.name.split('.data-')[0])
    wait_for(lambda: 'Reload of nn failed' in server.output)
    assert served_version(server) == [str(STEPS[0])]
    shutil.copy(data, model_dir / 'nn' / data.name)
    wait_for(lambda: served_version(server) == [str(STEPS[1])])
    assert server.output.count('Reload of nn failed') == 1


def test_a_checkpoint_rewritten_under_the_same_name_is_loaded(served, versions, tiny_mnist,
                                                              tmp_path):
    """A model retrained to the same step writes model.ckpt-STEP again: the same name and
    version, other weights. They are served once whole; the version number stays the step."""
    server, model_dir = served
    def answer():
        return call(server, 'POST', '/v1/models/nn:predict', {'instances': IMAGES})[2]
    before = answer()
    retrained = tmp_path / 'retrained' / 'model'
    train_model('nn', tiny_mnist, retrained, steps=STEPS[0], seed=2)
    [index] = (retrained / 'nn').glob('*.index')
    assert index.name == next(versions[STEPS[0]].glob('*.index')).name  # the same name
    install(retrained / 'nn', model_dir / 'nn')
    wait_for(lambda: not close(before, answer()))  # the new weights answer
    assert 'Reloaded nn: version %d → %d (model.ckpt-%d, rewritten' % (
        (STEPS[0],) * 3) in server.output
    assert served_version(server) == [str(STEPS[0])]
    time.sleep(5 * POLL_SECONDS)
    assert server.output.count('Reloaded nn') == 1  # once, not on every poll


def test_model_directories_added_and_removed(served, versions):
    server, model_dir = served
    install(versions[STEPS[1]], model_dir / 'twin')
    wait_for(lambda: served_version(server, 'twin') == [str(STEPS[1])])
    assert [m['name'] for m in call(server, 'GET', '/models')[2]['models']] == [
        'nn', 'twin', 'ensemble']  # two models: their ensemble too
    os.remove(model_dir / 'twin' / 'checkpoint')
    wait_for(lambda: served_version(server, 'twin') == [])  # none AVAILABLE
    assert call(server, 'GET', '/health')[2]['models'] == ['nn']
    assert [m['name'] for m in call(server, 'GET', '/models')[2]['models']] == ['nn']
    assert 'Unloaded twin' in server.output
    status, _, answer = call(server, 'GET', '/v1/models/twin')  # its version has ended
    assert status == 200 and answer['model_version_status'][0]['state'] == 'END'


def call_text(server, path):
    connection = http.client.HTTPConnection('127.0.0.1', server.port, timeout=30)
    try:
        connection.request('GET', path)
        return connection.getresponse().read().decode()
    finally:
        connection.close()
