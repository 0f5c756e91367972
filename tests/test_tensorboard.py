"""What a run writes for TensorBoard (graphs/tensorboard.py), checked on disk and through
a real TensorBoard server: every dashboard the run feeds answers over TensorBoard's HTTP
data API with data for the run. And the same of the event logs shipped in eventlog/,
which must also be those of the shipped checkpoints, and ready to ship
(scripts/ship_eventlog.py)."""
import glob
import math
import os
import struct

import pytest
import tensorflow.compat.v1 as tf

from conftest import ROOT, run_script, train
from graphs import records
from servers import poll, start_tensorboard

RUNS = ('nn', 'nn/train', 'nn/validation', 'nn/test')
SHIPPED = os.path.join(ROOT, 'eventlog')


@pytest.fixture(scope='module')
def logs(tiny_mnist, tmp_path_factory):
    """eventlog/ of train_nn.py run 120 steps (a trace at 99) with a learning rate so
    small, on undistorted images, that the model gets some of the easy tiny data set right
    and still makes mistakes."""
    out = str(tmp_path_factory.mktemp('tensorboard'))
    train('train_nn.py', tiny_mnist, out, '--max_steps', '120', '--seed', '1',
          '--hidden_units', '32', '--learning_rate', '1e-5', '--no-augment')
    return os.path.join(out, 'eventlog')


@pytest.fixture(scope='module')
def tensorboard(logs):
    server = start_tensorboard(logs)
    yield server
    server.stop()


def test_the_test_run_holds_the_projector_files(logs):
    test_run = os.path.join(logs, 'nn', 'test')
    rows = open(os.path.join(test_run, 'metadata.tsv')).read().splitlines()
    assert rows[0] == 'label\tprediction\tcorrect'
    assert len(rows) == 1 + 200  # every image of the tiny test set (fewer than 1,000)
    assert {row.split('\t')[2] for row in rows[1:]} == {'yes', 'no'}
    assert all(row.split('\t')[2] == ('yes' if row.split('\t')[0] == row.split('\t')[1]
                                      else 'no') for row in rows[1:])
    sprite = open(os.path.join(test_run, 'sprite.png'), 'rb').read()
    width, height = struct.unpack('>II', sprite[16:24])
    assert width == height == math.ceil(math.sqrt(200)) * 28
    features = dict(tf.train.list_variables(tf.train.latest_checkpoint(test_run)))
    assert features == {'hidden_features': [200, 32]}  # nn's hidden layer, 32 units
    # The training and validation runs have no checkpoint the projector could pick up.
    for run in ('train', 'validation'):
        assert tf.train.latest_checkpoint(os.path.join(logs, 'nn', run)) is None


def test_tensorboard_serves_every_dashboard_of_the_run(tensorboard):
    listing = poll(tensorboard, '/data/plugins_listing',
                   lambda plugins: plugins['projector']['enabled'])
    for plugin in ('scalars', 'images', 'histograms', 'distributions', 'graphs',
                   'projector', 'pr_curves', 'hparams', 'text'):
        assert listing[plugin]['enabled'], plugin
    poll(tensorboard, '/data/runs', lambda runs: set(RUNS) <= set(runs))

    scalars = poll(tensorboard, '/data/plugin/scalars/tags', lambda tags: 'nn/test' in tags)
    for run in ('nn/train', 'nn/validation', 'nn/test'):
        assert 'accuracy/rate' in scalars[run] and 'loss/cross_entropy' in scalars[run]

    images = poll(tensorboard, '/data/plugin/images/tags', lambda tags: 'nn/test' in tags)
    assert 'input/input/image/0' in images['nn/train']
    assert set(images['nn/test']) == {'confusion_matrix/image_summary',
                                      'mistakes/most_confident/image_summary'}
    assert ' read as ' in images['nn/test']['mistakes/most_confident/image_summary'][
        'description']

    histograms = poll(tensorboard, '/data/plugin/histograms/tags',
                      lambda tags: 'nn/train' in tags)
    assert 'layerHidden1/activations' in histograms['nn/train']

    graphs = poll(tensorboard, '/data/plugin/graphs/info', lambda info: 'nn/train' in info)
    assert graphs['nn/train']['run_graph'] and 'step099' in graphs['nn/train']['tags']

    assert poll(tensorboard, '/data/plugin/projector/runs', bool) == ['nn/test']
    config = poll(tensorboard, '/data/plugin/projector/info?run=nn/test', bool)
    assert config['embeddings'][0]['tensorName'] == 'hidden_features'
    assert config['embeddings'][0]['tensorShape'] == [200, 32]

    curves = poll(tensorboard, '/data/plugin/pr_curves/tags',
                  lambda tags: {'nn/validation', 'nn/test'} <= set(tags))
    for run in ('nn/validation', 'nn/test'):
        assert set(curves[run]) == {'pr_curves/digit_%d/pr_curves' % d for d in range(10)}

    texts = poll(tensorboard, '/data/plugin/text/tags', lambda tags: 'nn' in tags)
    assert texts['nn'] == ['run/command/text_summary']
    assert set(texts['nn/test']) == {'confusion_matrix/counts/text_summary',
                                     'mistakes/most_confident/text_summary'}
    command = poll(tensorboard, '/data/plugin/text/text?run=nn&tag=run/command/text_summary',
                   bool)
    assert 'train_nn.py' in command[0]['text'] and '--hidden_units' in command[0]['text']


def test_the_hparams_dashboard_has_the_run_with_its_final_metrics(tensorboard):
    experiment = poll(tensorboard, '/data/plugin/hparams/experiment',
                      lambda answer: answer.get('hparamInfos'), {'experimentName': ''})
    assert {info['name'] for info in experiment['hparamInfos']} == {
        'model', 'optimizer', 'learning_rate', 'lr_schedule', 'batch_size', 'max_steps',
        'augment', 'keep_prob', 'seed', 'precision', 'model_options'}
    assert {info['displayName'] for info in experiment['metricInfos']} == {
        'test accuracy', 'test loss', 'validation accuracy', 'validation loss'}
    request = {'experimentName': '', 'allowedStatuses': ['STATUS_SUCCESS'],
               'colParams': [{'hparam': info['name']} for info in experiment['hparamInfos']]
               + [{'metric': info['name']} for info in experiment['metricInfos']],
               'startIndex': 0, 'sliceSize': 10}
    groups = poll(tensorboard, '/data/plugin/hparams/session_groups',
                  lambda answer: answer.get('sessionGroups'), request)['sessionGroups']
    assert len(groups) == 1
    session = groups[0]['sessions'][0]
    assert session['name'] == 'nn'
    assert groups[0]['hparams']['model'] == 'nn'
    assert groups[0]['hparams']['learning_rate'] == 1e-5
    assert groups[0]['hparams']['model_options'] == 'hidden units 32, dropout keep 0.5'
    metrics = {(value['name']['group'], value['name']['tag']): value['value']
               for value in session['metricValues']}
    assert set(metrics) == {(run, tag) for run in ('test', 'validation')
                            for tag in ('accuracy/rate', 'loss/cross_entropy')}
    assert all(0 <= metrics[run, 'accuracy/rate'] <= 1 for run in ('test', 'validation'))


def test_a_rerun_replaces_the_record_of_the_last(tiny_mnist, tmp_path):
    out = str(tmp_path)
    for steps in ('20', '30'):
        train('train_nn.py', tiny_mnist, out, '--max_steps', steps, '--hidden_units', '8')
    record = os.path.join(out, 'eventlog', 'nn')
    event_files = [name for name in os.listdir(record) if name.startswith('events.')]
    assert len(event_files) == 1
    steps = {event.step for event in tf.train.summary_iterator(
        os.path.join(record, event_files[0])) if event.summary.value}
    assert steps == {30}


# ---------------------------------------------------------------------------- eventlog/

@pytest.fixture(scope='module')
def shipped():
    """A TensorBoard on the event logs in eventlog/; a clean skip while there are none."""
    if not glob.glob(os.path.join(SHIPPED, '*', 'events.out.tfevents.*')):
        pytest.skip('no event logs in eventlog/ (./run.sh train writes them)')
    server = start_tensorboard(SHIPPED)
    yield server
    server.stop()


def test_the_shipped_event_logs_are_every_model_s_and_ready_to_ship(shipped):
    assert sorted(os.listdir(SHIPPED)) == sorted(records.MODELS)
    run_script(os.path.join('scripts', 'ship_eventlog.py'), SHIPPED, '--check')


@pytest.mark.parametrize('name', records.MODELS)
def test_the_shipped_event_logs_are_those_of_the_shipped_checkpoint(shipped, name):
    """The run's record was written at the step of the checkpoint in model/NAME."""
    metadata = records.read_metadata(os.path.join(ROOT, 'model', name))
    steps = {event.step for path in glob.glob(os.path.join(SHIPPED, name, 'events.*'))
             for event in tf.train.summary_iterator(path) if event.summary.value}
    assert steps == {metadata['global_step']}


def test_tensorboard_serves_every_dashboard_of_every_shipped_model(shipped):
    names = records.MODELS
    runs = ['%s/%s' % (name, run) for name in names for run in ('train', 'validation', 'test')]
    poll(shipped, '/data/runs', lambda answer: set(runs) | set(names) <= set(answer))
    for plugin, kinds in (('scalars', ('train', 'validation', 'test')),
                          ('histograms', ('train',)), ('images', ('train', 'test')),
                          ('pr_curves', ('validation', 'test')), ('text', ('test',))):
        wanted = ['%s/%s' % (name, kind) for name in names for kind in kinds]
        tags = poll(shipped, '/data/plugin/%s/tags' % plugin,
                    lambda answer: set(wanted) <= set(answer))
        assert all(tags[run] for run in wanted), plugin
    graphs = poll(shipped, '/data/plugin/graphs/info', bool)
    for name in names:
        assert graphs[name + '/train']['run_graph'] and graphs[name + '/train']['tags'], name
    assert sorted(poll(shipped, '/data/plugin/projector/runs', bool)) == sorted(
        name + '/test' for name in names)
    experiment = poll(shipped, '/data/plugin/hparams/experiment',
                      lambda answer: answer.get('hparamInfos'), {'experimentName': ''})
    request = {'experimentName': '', 'allowedStatuses': ['STATUS_SUCCESS'],
               'colParams': [{'hparam': info['name']} for info in experiment['hparamInfos']],
               'startIndex': 0, 'sliceSize': 100}
    groups = poll(shipped, '/data/plugin/hparams/session_groups',
                  lambda answer: answer.get('sessionGroups'), request)['sessionGroups']
    assert sorted(group['hparams']['model'] for group in groups) == sorted(names)
