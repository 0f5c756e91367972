"""predict.py, the contract-only client, on what users hand it: the server's request
bodies, 0..255 pixels, and inputs it cannot use (a picture, nothing, NaN, a damaged
checkpoint), each refused in one line. Runs the shipped model/nn in fresh processes."""
import json
import os
import shutil

import numpy as np
import pytest

from conftest import ROOT, run_script

MODEL = os.path.join(ROOT, 'model', 'nn')


def predict(input_path, model_dir=MODEL):
    """(exit status, [answers], the last line of stderr) of predict.py on `input_path`."""
    result = run_script('predict.py', '--model_dir', str(model_dir), '--input',
                        str(input_path), check=False)
    answers = [json.loads(line) for line in result.stdout.splitlines()]
    errors = result.stderr.strip().splitlines()
    return result.returncode, answers, errors[-1] if errors else ''


def bar_image():
    image = np.zeros((28, 28))
    image[4:24, 13:15] = 1  # a one
    return image.ravel()


@pytest.fixture(scope='module')
def reference(tmp_path_factory):
    """The answer for bar_image() sent as 784 numbers in 0..1."""
    path = tmp_path_factory.mktemp('predict') / 'one.json'
    path.write_text(json.dumps(bar_image().tolist()))
    status, [answer], _ = predict(path)
    assert status == 0
    return answer


@pytest.mark.parametrize('how', ['server body', 'instances', '0..255', 'uint8 npy'])
def test_other_shapes_and_scales_of_the_same_image_get_the_same_answer(
        how, reference, tmp_path):
    image = bar_image()
    path = tmp_path / ('image.npy' if how == 'uint8 npy' else 'image.json')
    if how == 'uint8 npy':
        np.save(path, (255 * image).astype(np.uint8)[None])
    else:
        payload = {'server body': {'image': image.tolist()},
                   'instances': {'instances': [image.tolist()]},
                   '0..255': (255 * image).tolist()}[how]
        path.write_text(json.dumps(payload))
    status, [answer], _ = predict(path)
    assert status == 0
    assert answer['prediction'] == reference['prediction']
    np.testing.assert_allclose(answer['probabilities'], reference['probabilities'], atol=1e-6)


@pytest.mark.parametrize('name, content, message', [
    ('digit.png', b'\x89PNG\r\n\x1a\n\0\0\0\rIHDR', 'is a PNG picture: give the pixels'),
    ('digit.jpg', b'\xff\xd8\xff\xe0\0\x10JFIF', 'is a JPEG picture: give the pixels'),
    ('junk.bin', b'\xff\xfe\0junk', 'is not JSON'),
    ('empty.json', b'[]', 'expected 784 values per image, got 0 values'),
    ('short.json', b'[0.5, 1]', 'expected 784 values per image, got 2 values'),
    ('object.json', b'{"pixels": [1]}', 'expected 784 numbers per image'),
    ('nan.json', json.dumps([float('nan')] * 784).encode(), 'must be finite numbers'),
    ('huge.json', json.dumps([1e39] * 784).encode(), 'in 0..1 or 0..255'),
    ('negative.json', json.dumps([-1] * 784).encode(), 'in 0..1 or 0..255'),
])
def test_inputs_it_cannot_use_are_one_line(name, content, message, tmp_path):
    (tmp_path / name).write_bytes(content)
    status, answers, last = predict(tmp_path / name)
    assert status == 1 and not answers
    assert last.startswith('error: ') and message in last, last


def test_a_damaged_checkpoint_is_said_to_be(tmp_path):
    damaged = tmp_path / 'nn'
    shutil.copytree(MODEL, damaged)
    for data in damaged.glob('*.data-*'):
        data.write_bytes(data.read_bytes()[:1000])
    (tmp_path / 'one.json').write_text(json.dumps(bar_image().tolist()))
    status, answers, last = predict(tmp_path / 'one.json', damaged)
    assert status == 1 and not answers
    assert last.endswith('is the checkpoint damaged?') and 'cannot restore' in last, last
