"""SavedModel export for TensorFlow Serving: the signatures TF Serving's example has, and
the same probabilities from the SavedModel (eager TF2) as from the checkpoint (contract)."""
import json
import os
import shutil
import subprocess
import sys

import numpy as np
import pytest

from conftest import run_script, train
from graphs.contract import IMAGE_PIXELS

EAGER_CLIENT = r'''
import json, sys
import numpy as np
import tensorflow as tf   # TF2, eager: no compat.v1, no project code
loaded = tf.saved_model.load(sys.argv[1])
images = tf.constant(np.load(sys.argv[2]))
out = {name: {key: value.numpy().tolist() for key, value in
              loaded.signatures[name](images=images).items()}
       for name in ('predict_images', 'serving_default')}
print(json.dumps(out))
'''


@pytest.fixture(scope='module')
def exported(tiny_mnist, tmp_path_factory):
    out = str(tmp_path_factory.mktemp('export'))
    train('train_nn.py', tiny_mnist, out, '--max_steps', '30', '--hidden_units', '64')
    for _ in range(2):
        run_script('export_savedmodel.py', '--model', 'nn', '--model_root',
                   os.path.join(out, 'model'), '--export_root', os.path.join(out, 'export'))
    return out


def test_versions_are_numbered_and_complete(exported):
    versions = sorted(os.listdir(os.path.join(exported, 'export', 'nn')))
    assert versions == ['1', '2']
    for version in versions:
        path = os.path.join(exported, 'export', 'nn', version)
        assert os.path.exists(os.path.join(path, 'saved_model.pb'))
        assert os.listdir(os.path.join(path, 'variables'))


def test_saved_model_cli_lists_the_serving_signatures(exported):
    cli = os.path.join(os.path.dirname(sys.executable), 'saved_model_cli')
    result = subprocess.run([cli, 'show', '--all', '--dir',
                             os.path.join(exported, 'export', 'nn', '1')],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    text = result.stdout
    assert "signature_def['predict_images']" in text
    assert "signature_def['serving_default']" in text
    assert "inputs['images']" in text and "outputs['scores']" in text
    assert "outputs['classes']" in text and 'shape: (-1, %d)' % IMAGE_PIXELS in text


def test_eager_saved_model_matches_checkpoint_through_contract(exported, tmp_path):
    images = np.random.RandomState(1).rand(6, IMAGE_PIXELS).astype(np.float32)
    np.save(str(tmp_path / 'images.npy'), images)
    client = tmp_path / 'eager_client.py'
    client.write_text(EAGER_CLIENT)
    saved = json.loads(run_script(str(client), os.path.join(exported, 'export', 'nn', '2'),
                                  str(tmp_path / 'images.npy')).stdout.splitlines()[-1])
    contract = [json.loads(line) for line in run_script(
        'predict.py', '--model_dir', os.path.join(exported, 'model', 'nn'),
        '--input', str(tmp_path / 'images.npy')).stdout.splitlines()]
    expected = np.array([c['probabilities'] for c in contract])
    for signature in ('predict_images', 'serving_default'):
        np.testing.assert_allclose(saved[signature]['scores'], expected, atol=1e-6)
    assert saved['predict_images']['classes'] == [c['prediction'] for c in contract]
    assert set(saved['serving_default']) == {'scores'}


def test_missing_checkpoint_is_a_clear_error(tmp_path):
    result = run_script('export_savedmodel.py', '--model', 'nn', '--model_root',
                        str(tmp_path), '--export_root', str(tmp_path / 'export'), check=False)
    assert result.returncode == 1
    assert 'nn: error: no checkpoint in' in result.stderr


def test_a_damaged_checkpoint_is_one_line_and_leaves_no_export(exported, tmp_path):
    model_root = tmp_path / 'model'
    shutil.copytree(os.path.join(exported, 'model', 'nn'), model_root / 'nn')
    data = next((model_root / 'nn').glob('model.ckpt-*.data-*'))
    damaged = bytearray(data.read_bytes())
    damaged[len(damaged) // 2] ^= 0xff
    data.write_bytes(bytes(damaged))
    result = run_script('export_savedmodel.py', '--model', 'nn', '--model_root',
                        str(model_root), '--export_root', str(tmp_path / 'export'), check=False)
    assert result.returncode == 1
    # One line (after TensorFlow's start-up lines, printed before Python can quieten them),
    # not the restore op's log lines and a traceback.
    message = result.stderr.strip().splitlines()[-1]
    assert message.startswith('nn: error: ') and 'Checksum does not match' in message
    for noise in ('DATA_LOSS', 'RestoreV2', 'Traceback'):
        assert noise not in result.stderr
    assert not (tmp_path / 'export').exists() or os.listdir(tmp_path / 'export') == []


def test_a_path_is_not_a_model_name(tmp_path):
    # model_root/NAME must stay inside model_root, and the export inside export_root.
    result = run_script('export_savedmodel.py', '--model', '../model/nn', '--export_root',
                        str(tmp_path / 'export'), check=False)
    assert result.returncode == 2 and "--model '../model/nn' must be a model name" in result.stderr
    assert not (tmp_path / 'export').exists()
