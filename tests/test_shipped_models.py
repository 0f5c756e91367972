"""The checkpoints committed under model/: every one restores in a fresh process through
the tensor-name contract alone and scores the test accuracy its model.json records
(± 0.05 points) on the real MNIST test set; all of model/ stays within 40 MB and holds
only what serving needs, with model/ensemble.json chosen for exactly these checkpoints."""
import json
import os

import numpy as np
import pytest

from conftest import ROOT, run_script
from graphs import contract, ensemble, records
from graphs.records import MODELS

MODEL_ROOT = os.path.join(ROOT, 'model')

# Imports no project code: numpy, TensorFlow and the contract's names, written in.
CONTRACT_EVALUATOR = r'''
import json, sys
import numpy as np
import tensorflow.compat.v1 as tf
tf.disable_v2_behavior()
model_dir, images, labels = sys.argv[1], np.load(sys.argv[2]), np.load(sys.argv[3])
checkpoint = tf.train.latest_checkpoint(model_dir)
with tf.Session() as sess:
    tf.train.import_meta_graph(checkpoint + '.meta').restore(sess, checkpoint)
    graph = sess.graph
    prediction = np.concatenate([sess.run(%(PREDICTION)r, {%(INPUT)r: images[i:i + 1000]})
                                 for i in range(0, len(images), 1000)])
print(json.dumps({'accuracy': float(np.mean(prediction == labels))}))
''' % {'PREDICTION': contract.PREDICTION, 'INPUT': contract.INPUT}


def committed_files():
    """Files under model/ that git tracks (what a fresh clone gets)."""
    import subprocess
    listing = subprocess.run(['git', 'ls-files', 'model'], cwd=ROOT, capture_output=True,
                             text=True, check=True).stdout.split()
    return [os.path.join(ROOT, path) for path in listing]


def test_every_model_is_shipped_and_model_dir_is_small():
    files = committed_files()
    names = {os.path.relpath(path, MODEL_ROOT).split(os.sep)[0] for path in files}
    assert names == set(MODELS) | {ensemble.RECORD_FILE}
    files.remove(os.path.join(MODEL_ROOT, ensemble.RECORD_FILE))
    assert sum(os.path.getsize(path) for path in files) <= 40 * 1024 * 1024
    for path in files:  # weights only: one checkpoint each, no training state
        name = os.path.basename(path)
        assert name in ('checkpoint', 'model.json') or name.startswith('model.ckpt-'), path
        assert os.sep + 'train' + os.sep not in os.path.relpath(path, MODEL_ROOT)


@pytest.mark.parametrize('name', MODELS)
def test_metadata_says_how_the_model_was_made(name):
    metadata = json.load(open(os.path.join(MODEL_ROOT, name, 'model.json')))
    for key in ('command', 'flags', 'global_step', 'test_accuracy', 'training_seconds',
                'date', 'tensorflow_version', 'images_per_second', 'precision'):
        assert key in metadata, key
    assert metadata['command'].startswith('python train_%s.py' % name)
    assert metadata['checkpoint'].endswith('-%d' % metadata['global_step'])


def test_the_ensemble_was_chosen_for_the_shipped_checkpoints():
    # After retraining, `python choose_ensemble.py` (./run.sh train runs it) rewrites it.
    record, reason = ensemble.read_record(os.path.join(MODEL_ROOT, ensemble.RECORD_FILE))
    assert reason is None
    shipped = {}
    for name in MODELS:
        metadata = json.load(open(os.path.join(MODEL_ROOT, name, 'model.json')))
        shipped[name] = (metadata['global_step'], metadata['checkpoint'],
                         records.checkpoint_fingerprint(os.path.join(
                             MODEL_ROOT, name, metadata['checkpoint'])))
    weights, reason = ensemble.record_weights(record, shipped)
    assert reason is None and record['command'].startswith('python choose_ensemble.py')
    assert {member['name']: (member['version'], member['checkpoint'], member['fingerprint'])
            for member in record['members']} == shipped  # every model, weighed or not
    assert record['validation_size'] == 5000 and 0 < record['test_accuracy'] <= 1


def test_the_readme_table_is_the_shipped_records():
    # README: "Printed by `python scripts/model_table.py`" (every model and the ensemble).
    rows = run_script('scripts/model_table.py').stdout.splitlines()
    assert [row.split(' | ')[0] for row in rows] == ['| %s' % name for name in MODELS] + [
        '| ensemble']
    readme = open(os.path.join(ROOT, 'README.md')).read()
    for row in rows:
        assert row in readme, row


@pytest.fixture(scope='module')
def test_set(real_mnist, tmp_path_factory):
    from graphs import input_data
    mnist = input_data.read_data_sets(real_mnist, validation_size=0)
    directory = tmp_path_factory.mktemp('test_set')
    np.save(str(directory / 'images.npy'), mnist.test.images)
    np.save(str(directory / 'labels.npy'), mnist.test.labels.astype(np.int64))
    return directory


@pytest.mark.slow
@pytest.mark.parametrize('name', MODELS)
def test_shipped_checkpoint_scores_its_recorded_accuracy(name, test_set, tmp_path):
    recorded = json.load(open(os.path.join(MODEL_ROOT, name, 'model.json')))['test_accuracy']
    evaluator = tmp_path / 'evaluate.py'
    evaluator.write_text(CONTRACT_EVALUATOR)
    result = run_script(str(evaluator), os.path.join(MODEL_ROOT, name),
                        str(test_set / 'images.npy'), str(test_set / 'labels.npy'))
    accuracy = json.loads(result.stdout.splitlines()[-1])['accuracy']
    assert abs(accuracy - recorded) <= 0.0005, (name, accuracy, recorded)
