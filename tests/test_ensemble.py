"""The ensemble: graphs/ensemble.py's maths and record, the runner combining its members,
choose_ensemble.py, and the `ensemble` entry a real server answers on /predict, GET
/models and TF Serving's route, with and without a matching model/ensemble.json."""
import json
import os
import time

import numpy as np
import pytest

from conftest import run_script
from graphs import ensemble, records
from servers import call, start_predict_server, train_model
from serving.ensemble import Ensembles
from serving.runner import ModelRunner

IMAGES = np.random.RandomState(0).rand(3, 784).round(3)


def softmax(logits):
    exp = np.exp(logits - logits.max(axis=1, keepdims=True))
    return exp / exp.sum(axis=1, keepdims=True)


def members(count, images, seed=0, right=None, labels=None):
    """`count` members' probabilities on `images` images; with labels, member i puts
    most weight on the true digit for a fraction right[i] of the images, else on the
    next digit."""
    rng = np.random.RandomState(seed)
    result = []
    for index in range(count):
        logits = rng.randn(images, 10)
        if labels is not None:
            hits = rng.rand(images) < right[index]
            favoured = np.where(hits, labels, (labels + 1) % 10)
            logits[np.arange(images), favoured] += 4
        result.append(softmax(logits))
    return result


# ---------------------------------------------------------------------------- the maths

def test_combine_is_the_weighted_mean_of_the_probabilities():
    probabilities = members(3, 5)
    combined = ensemble.combine(probabilities, [1, 2, 1])
    expected = (probabilities[0] + 2 * probabilities[1] + probabilities[2]) / 4
    np.testing.assert_allclose(combined, expected, atol=1e-7)
    np.testing.assert_allclose(combined.sum(axis=1), 1, atol=1e-6)
    np.testing.assert_allclose(ensemble.combine(probabilities, ensemble.equal_weights(3)),
                               sum(probabilities) / 3, atol=1e-7)


def test_greedy_selection_leaves_out_a_member_that_only_hurts():
    labels = np.random.RandomState(1).randint(0, 10, 2000)
    good, also_good, bad = members(3, 2000, right=(0.95, 0.9, 0.05), labels=labels)
    weights = ensemble.greedy_weights([good, also_good, bad], labels)
    assert weights.sum() == pytest.approx(1) and weights[2] == 0 and weights[0] > 0
    chosen = ensemble.combine([good, also_good, bad], weights)
    for single in (good, also_good, ensemble.combine([good, also_good, bad], [1, 1, 1])):
        assert ensemble.log_loss(chosen, labels) <= ensemble.log_loss(single, labels)


def test_weights_are_chosen_only_when_they_beat_the_mean_beyond_noise():
    labels = np.random.RandomState(2).randint(0, 10, 2000)
    # Two copies of a bad member drag the mean down: weights that leave them out win.
    good, bad = members(2, 2000, right=(0.97, 0.1), labels=labels, seed=3)
    method, weights, evidence, reason = ensemble.choose([good, bad, bad], labels)
    assert method == 'weighted' and reason.startswith('weighted: ')
    assert evidence['z'] > ensemble.SIGNIFICANCE_Z and evidence['better'] > evidence['worse']
    np.testing.assert_allclose(weights, evidence['weighted'])
    assert weights[0] > weights[1] + weights[2]
    # Members alike: nothing to gain over the mean, which is kept.
    alike = members(3, 2000, right=(0.9, 0.9, 0.9), labels=labels, seed=4)
    method, weights, evidence, reason = ensemble.choose(alike, labels)
    assert method == 'mean' and 'noise' in reason
    np.testing.assert_allclose(weights, 1 / 3)


def test_a_digit_and_its_drawing_share_a_fold():
    """choose_ensemble.py weighs the validation images and their drawings together: with
    `folds` pairing each image with its copy, out-of-fold weights never see either, so two
    copies of a split give the same weights and twice the evidence of one."""
    labels = np.random.RandomState(5).randint(0, 10, 1000)
    once = members(3, 1000, right=(0.95, 0.6, 0.6), labels=labels, seed=6)
    twice = [np.concatenate([p, p]) for p in once]
    _, weights, evidence, _ = ensemble.choose(once, labels)
    _, paired_weights, paired, _ = ensemble.choose(twice, np.tile(labels, 2),
                                                   folds=np.tile(np.arange(1000) % 2, 2))
    np.testing.assert_allclose(paired_weights, weights)
    assert (paired['better'], paired['worse']) == (2 * evidence['better'], 2 * evidence['worse'])


# ---------------------------------------------------------------------------- the record

# {name: (version, checkpoint, the fingerprint of its weights)}
LOADED = {'nn': (30, 'model.ckpt-30', 'a1'), 'regression': (30, 'model.ckpt-30', 'b2')}


def record_for(loaded, weights, method='weighted', **fields):
    return dict({'method': method, 'test_accuracy': 0.5, 'validation_accuracy': 0.6,
                 'members': [{'name': name, 'version': version, 'checkpoint': checkpoint,
                              'fingerprint': fingerprint, 'weight': weights[name]}
                             for name, (version, checkpoint, fingerprint) in loaded.items()]},
                **fields)


@pytest.mark.parametrize('change, reason', [
    (lambda r: r['members'][0].update(version=40), 'nn version 40 (model.ckpt-30); loaded: '
                                                   'version 30'),
    # Retrained to the same step: the same version and name, other weights.
    (lambda r: r['members'][0].update(fingerprint='c3'),
     'other weights of nn model.ckpt-30 (fingerprint c3, loaded a1): run choose_ensemble.py'),
    (lambda r: r['members'][0].pop('fingerprint'), 'it records no fingerprint'),
    (lambda r: r['members'].append(dict(r['members'][0])), 'lists a member twice'),
    (lambda r: r['members'].append({'name': 'cnn', 'version': 5, 'checkpoint': 'model.ckpt-5',
                                    'weight': 2}), 'measured with cnn, which is not loaded'),
    (lambda r: r['members'][1].update(weight=-1), 'weights must be non-negative'),
    (lambda r: r['members'][1].update(weight='1'), 'weights must be non-negative'),
    (lambda r: r.update(members={'nn': 1}), 'has no list of members'),
    (lambda r: r.update(method='median'), '"method" must be one of mean, weighted'),
])
def test_a_record_of_other_models_or_versions_gives_no_weights(change, reason):
    record = record_for(LOADED, {'nn': 1, 'regression': 3})
    assert ensemble.record_weights(record, LOADED) == ({'nn': 1, 'regression': 3}, None)
    change(record)
    weights, why = ensemble.record_weights(record, LOADED)
    assert weights is None and reason in why


def test_a_record_still_fits_when_only_models_it_gave_no_weight_change():
    """The combination measured is the one served: a model of weight 0 retrained,
    removed or one added (weight 0 again) does not change it."""
    record = record_for(LOADED, {'nn': 1, 'regression': 0})
    loaded = dict(LOADED, regression=(40, 'model.ckpt-40', 'c3'), cnn=(5, 'model.ckpt-5', 'd4'))
    assert ensemble.record_weights(record, loaded) == (
        {'nn': 1, 'regression': 0, 'cnn': 0}, None)
    del loaded['regression']
    assert ensemble.record_weights(record, loaded) == ({'nn': 1, 'cnn': 0}, None)


def test_an_unusable_record_file_says_why(tmp_path):
    path = str(tmp_path / ensemble.RECORD_FILE)
    assert 'choose_ensemble.py writes it' in ensemble.read_record(path)[1]
    for content, words in (('{"method": ', 'unreadable'), ('[1, 2]', 'not a JSON object')):
        with open(path, 'w') as f:
            f.write(content)
        assert words in ensemble.read_record(path)[1]
    os.remove(path)
    os.mkfifo(path)  # opening it would block
    assert 'not a regular file' in ensemble.read_record(path)[1]


# ---------------------------------------------------------------------------- the runner

class FakeModel:
    """Answers fixed probabilities for every image; counts its runs."""

    def __init__(self, probabilities, version=30, fingerprint='a1'):
        self.probabilities = np.asarray(probabilities, np.float32)
        self.version, self.checkpoint = version, '/models/x/model.ckpt-%d' % version
        self.fingerprint = fingerprint
        self.precision, self.runs = 'fp32', 0

    def predict(self, images):
        self.runs += 1
        batch = np.tile(self.probabilities, (len(images), 1))
        return batch, batch.argmax(axis=1)


def fake_models():
    return {'nn': FakeModel(np.eye(10)[3] * 0.6 + 0.04),
            'regression': FakeModel(np.eye(10)[5] * 0.9 + 0.01)}


def test_the_runner_runs_each_member_once_and_combines_their_answers(tmp_path):
    models = fake_models()
    served = Ensembles(str(tmp_path)).served(models)
    assert list(served) == ['nn', 'regression', 'ensemble']
    runner = ModelRunner(models, cores=2)
    try:
        results = runner.run(['nn', 'ensemble', 'regression'], np.zeros((2, 784)), served)
    finally:
        runner.close()
    assert [model.runs for model in models.values()] == [1, 1]
    assert list(results) == ['nn', 'ensemble', 'regression']
    probabilities, predictions, seconds = results['ensemble']
    np.testing.assert_allclose(probabilities, (results['nn'][0] + results['regression'][0]) / 2,
                               atol=1e-7)
    assert list(predictions) == [5, 5]
    assert seconds == max(results['nn'][2], results['regression'][2])  # one run's


def test_the_ensemble_follows_the_model_set_and_its_record(tmp_path):
    ensembles = Ensembles(str(tmp_path))
    models = fake_models()
    first = ensembles.served(models)['ensemble']
    assert ensembles.served(models)['ensemble'] is first  # made once per set ...
    assert first.method == 'mean' and first.test_accuracy is None
    assert 'choose_ensemble.py writes it' in first.reason
    record = record_for({name: (30, 'model.ckpt-30', 'a1') for name in models},
                        {'nn': 0.0, 'regression': 1.0})
    (tmp_path / ensemble.RECORD_FILE).write_text(json.dumps(record))
    assert ensembles.served(models)['ensemble'] is first  # a request never reads the file
    ensembles.refresh(models)  # the reloader's poll does
    weighted = ensembles.served(models)['ensemble']  # ... and per record written
    assert (weighted.method, weighted.reason, weighted.test_accuracy) == ('weighted', None, 0.5)
    assert weighted.members == ['regression'] and weighted.version != first.version
    assert weighted.describe()['weights'] == {'nn': 0.0, 'regression': 1.0}
    reloaded = dict(models, nn=FakeModel(models['nn'].probabilities, version=40))
    kept = ensembles.served(reloaded)['ensemble']  # a new set, but nn has weight 0
    assert (kept.method, kept.test_accuracy, kept.weights) == (
        'weighted', 0.5, {'nn': 0.0, 'regression': 1.0})
    reloaded = dict(models, regression=FakeModel(models['regression'].probabilities,
                                                  version=40))
    fallback = ensembles.served(reloaded)['ensemble']  # the record no longer fits
    assert fallback.method == 'mean' and fallback.test_accuracy is None
    assert 'regression version 30' in fallback.reason
    rewritten = dict(models, regression=FakeModel(models['regression'].probabilities,
                                                   fingerprint='c3'))
    other_weights = ensembles.served(rewritten)['ensemble']  # same step, retrained
    assert other_weights.method == 'mean' and 'other weights of regression' in other_weights.reason
    assert other_weights.version != first.version  # the same mean of other weights
    assert 'ensemble' not in ensembles.served({'nn': models['nn']})  # one model: none


# ---------------------------------------------------------------------------- the server

@pytest.fixture(scope='module')
def served(tiny_mnist, tmp_path_factory):
    """(a server, its model directory) of nn and regression, trained for a few steps."""
    model_dir = tmp_path_factory.mktemp('ensemble') / 'model'
    for name in ('nn', 'regression'):
        train_model(name, tiny_mnist, model_dir)
    server = start_predict_server(model_dir, '--poll_seconds', '0.2')
    yield server, model_dir
    server.stop()


@pytest.fixture(scope='module')
def server(served):
    return served[0]


@pytest.fixture(scope='module')
def model_dir(served):
    return served[1]


@pytest.fixture
def record(server, model_dir):
    """Writes model/ensemble.json and waits for the server to read it (on its next poll);
    removed after."""
    path = model_dir / ensemble.RECORD_FILE

    def write(content):
        before = listed(server)['ensemble']
        path.write_text(content if isinstance(content, str) else json.dumps(content))
        assert changed(server, before)
    yield write
    if path.exists():
        path.unlink()


def answers(server, names=('nn', 'regression', 'ensemble')):
    """{name: probabilities} from /predict and from TF Serving's route, for IMAGES."""
    status, _, predicted = call(server, 'POST', '/predict', {'image': IMAGES[0].tolist()})
    assert status == 200
    on_predict = {m['name']: np.array(m['probabilities']) for m in predicted['models']}
    assert list(on_predict) == list(names)
    on_tf_serving = {}
    for name in names:
        status, _, answer = call(server, 'POST', '/v1/models/%s:predict' % name, {
            'signature_name': 'predict_images', 'instances': IMAGES.tolist()})
        assert status == 200
        on_tf_serving[name] = np.array([row['scores'] for row in answer['predictions']])
        assert [row['classes'] for row in answer['predictions']] == list(
            on_tf_serving[name].argmax(axis=1))
    return on_predict, on_tf_serving, predicted


def said(server, words, timeout=10):
    """Whether the server's log has `words` (its lines arrive through a thread)."""
    deadline = time.time() + timeout
    while words not in server.output and time.time() < deadline:
        time.sleep(0.05)
    return words in server.output


def changed(server, before, timeout=10):
    """Whether GET /models' ensemble entry changes from `before` within `timeout` s."""
    deadline = time.time() + timeout
    while listed(server)['ensemble'] == before and time.time() < deadline:
        time.sleep(0.05)
    return listed(server)['ensemble'] != before


def listed(server):
    status, _, answer = call(server, 'GET', '/models')
    assert status == 200
    return {model['name']: model for model in answer['models']}


def test_without_a_record_the_ensemble_is_the_plain_mean(server):
    on_predict, on_tf_serving, predicted = answers(server)
    for probabilities in (on_predict, on_tf_serving):
        np.testing.assert_allclose(probabilities['ensemble'],
                                   (probabilities['nn'] + probabilities['regression']) / 2,
                                   atol=2e-6)
    entry = predicted['models'][-1]
    assert entry['members'] == ['nn', 'regression']
    assert entry['prediction'] == int(np.argmax(entry['probabilities']))
    ensemble_entry = listed(server)['ensemble']
    assert (ensemble_entry['method'], ensemble_entry['test_accuracy']) == ('mean', None)
    assert 'no ' in ensemble_entry['reason'] and 'ensemble.json' in ensemble_entry['reason']
    assert said(server, 'Ensemble: mean of nn, regression (no ')  # at start-up


def test_a_matching_record_gives_its_weights_everywhere(server, model_dir, record):
    models = listed(server)
    loaded = {name: (models[name]['version'], models[name]['checkpoint'],
                     records.checkpoint_fingerprint(str(model_dir / name / models[name][
                         'checkpoint']))) for name in ('nn', 'regression')}
    record(record_for(loaded, {'nn': 0.25, 'regression': 0.75}, test_accuracy=0.875))
    entry = listed(server)['ensemble']
    assert (entry['method'], entry['test_accuracy'], entry['reason']) == ('weighted', 0.875, None)
    on_predict, on_tf_serving, _ = answers(server)
    for probabilities in (on_predict, on_tf_serving):
        np.testing.assert_allclose(
            probabilities['ensemble'],
            0.25 * probabilities['nn'] + 0.75 * probabilities['regression'], atol=2e-6)
    status, _, state = call(server, 'GET', '/v1/models/ensemble')
    assert status == 200 and state['model_version_status'][0]['version'] == str(entry['version'])
    status, _, metadata = call(server, 'GET', '/v1/models/ensemble/metadata')
    assert status == 200 and metadata['model_spec']['name'] == 'ensemble'
    outputs = metadata['metadata']['signature_def']['signature_def']['predict_images']['outputs']
    assert outputs['scores']['dtype'] == 'DT_FLOAT' and outputs['classes']['dtype'] == 'DT_INT64'
    # Another version named: the ensemble falls back to the mean and says why.
    record(record_for(dict(loaded, nn=(loaded['nn'][0] + 1,) + loaded['nn'][1:]),
                      {'nn': 0.25, 'regression': 0.75}))
    entry = listed(server)['ensemble']
    assert (entry['method'], entry['test_accuracy']) == ('mean', None)
    assert 'nn version %d' % (loaded['nn'][0] + 1) in entry['reason']
    assert said(server, 'Ensemble: weighted mean of nn, regression (ensemble.json, test '
                        'accuracy 0.875)')


def test_bad_requests_and_a_broken_record_are_answered_and_survived(server, record):
    record('{"method": "weighted", "members": [')
    entry = listed(server)['ensemble']
    assert entry['method'] == 'mean' and 'unreadable' in entry['reason']
    status, _, answer = call(server, 'POST', '/predict',
                             {'image': IMAGES[0].tolist(), 'models': ['ensemble']})
    assert status == 200 and [m['name'] for m in answer['models']] == ['ensemble']
    for method, path, payload, status, words in (
            ('POST', '/predict', {'image': IMAGES[0].tolist(), 'models': ['ensemble', 'cnn']},
             404, 'unknown model "cnn"; loaded: nn, regression, ensemble'),
            ('POST', '/v1/models/ensemble/versions/1:predict', {'instances': [[0] * 784]},
             404, 'Specific(ensemble, 1)'),
            ('POST', '/v1/models/ensemble:predict', {'instances': [[0] * 783]}, 400,
             'image 0: expected 784 numbers'),
            ('POST', '/v1/models/ensemble:predict', {'instances': [[3e38] * 784]}, 400,
             'the input overflowed')):
        got, _, answer = call(server, method, path, payload)
        assert (got, words in answer['error']) == (status, True), answer
    assert call(server, 'GET', '/health')[0] == 200 and not server.traceback


# ---------------------------------------------------------------------------- the tool

def test_choose_ensemble_writes_a_record_the_server_then_uses(server, model_dir, tiny_mnist,
                                                                record):
    before = listed(server)['ensemble']
    result = run_script('choose_ensemble.py', '--model_dir', str(model_dir), '--data_dir',
                        str(tiny_mnist), '--validation_size', '100')
    assert 'Wrote %s' % (model_dir / ensemble.RECORD_FILE) in result.stdout
    written = json.loads((model_dir / ensemble.RECORD_FILE).read_text())
    assert written['method'] in ensemble.METHODS and written['validation_size'] == 100
    assert written['chosen_on'] == ['validation', 'drawn_validation']
    assert [m['name'] for m in written['members']] == ['nn', 'regression']
    assert set(written['candidates']) == set(ensemble.METHODS)
    chosen = written['candidates'][written['method']]
    for measured in ('validation', 'test', 'drawn_validation', 'drawn_test'):
        key = measured + '_accuracy'
        assert written[key] == chosen[key] and 0 <= written[key] <= 1
        assert all(0 <= member[key] <= 1 for member in written['members'])
    assert {m['name']: m['weight'] for m in written['members']} == chosen['weights']
    assert written['command'].startswith('python choose_ensemble.py')
    assert changed(server, before)  # read on the server's next poll
    entry = listed(server)['ensemble']
    assert (entry['method'], entry['reason'], entry['test_accuracy'],
            entry['drawn_test_accuracy']) == (written['method'], None, written['test_accuracy'],
                                              written['drawn_test_accuracy'])
    # Without drawings: chosen on the validation images alone, and no drawn figures.
    run_script('choose_ensemble.py', '--model_dir', str(model_dir), '--data_dir',
               str(tiny_mnist), '--validation_size', '100', '--no-drawings')
    written = json.loads((model_dir / ensemble.RECORD_FILE).read_text())
    assert written['chosen_on'] == ['validation'] and 'drawn_test_accuracy' not in written


def test_choose_ensemble_refuses_what_it_cannot_judge(model_dir, tiny_mnist):
    too_few = run_script('choose_ensemble.py', '--model_dir', str(model_dir), '--models', 'nn',
                         '--data_dir', str(tiny_mnist), check=False)
    assert too_few.returncode != 0 and 'needs two models or more; loaded 1' in too_few.stderr
    # The models trained with 100 images held out: 200 would include images they learnt.
    overlap = run_script('choose_ensemble.py', '--model_dir', str(model_dir), '--data_dir',
                         str(tiny_mnist), '--validation_size', '200', check=False)
    assert overlap.returncode != 0 and 'held out only the first 100' in overlap.stderr
