"""scripts/ship_eventlog.py on the event logs of a short training run that was resumed
once (so its runs have two event files each): one file per run, every scalar kept,
histograms and images thinned to fit the budget, and what TensorBoard serves from the
result; a second run changes nothing; a damaged event file changes nothing either."""
import glob
import http.client
import os
import shutil

import pytest
import tensorflow.compat.v1 as tf

from conftest import ROOT, run_script, train
from servers import poll, start_tensorboard

SCRIPT = os.path.join(ROOT, 'scripts', 'ship_eventlog.py')
SUMMARY_EVERY = 10
STEPS = 200
HISTOGRAM_STEPS = STEPS // SUMMARY_EVERY
# Of the logs' size before: they must lose histograms and images, not yet a trace. At the
# tighter one, the traces give way to histograms first: only the last is kept.
BUDGET_SHARE, TIGHT_SHARE = 0.85, 0.7


@pytest.fixture(scope='module')
def original(tiny_mnist, tmp_path_factory):
    """eventlog/ of train_nn.py run to step 150, then resumed to 200 (traces at 99 and
    199), summaries every 10 steps."""
    out = str(tmp_path_factory.mktemp('ship'))
    for steps in ('150', str(STEPS)):
        train('train_nn.py', tiny_mnist, out, '--max_steps', steps, '--seed', '1',
              '--hidden_units', '16', '--summary_every', str(SUMMARY_EVERY),
              '--eval_every', '25')
    return os.path.join(out, 'eventlog')


@pytest.fixture(scope='module')
def shipped(original, tmp_path_factory):
    """A copy of the logs shipped within BUDGET_SHARE of their size: (path, budget in
    bytes, the tool's report)."""
    logs = str(tmp_path_factory.mktemp('shipped') / 'eventlog')
    shutil.copytree(original, logs)
    budget = BUDGET_SHARE * tree_bytes(original)
    report = run_script(SCRIPT, logs, '--budget_mb', str(budget / 1e6)).stdout
    return logs, budget, report


def tree_bytes(root):
    return sum(os.path.getsize(path) for path in files(root))


def files(root):
    return sorted(os.path.join(path, name) for path, _, names in os.walk(root)
                  for name in names)


def snapshot(root):
    """Every file's bytes and modification time."""
    return {os.path.relpath(path, root): (open(path, 'rb').read(), os.stat(path).st_mtime_ns)
            for path in files(root)}


def events(run_dir):
    found = []
    for path in sorted(glob.glob(os.path.join(run_dir, 'events.out.tfevents.*'))):
        found.extend(tf.train.summary_iterator(path))
    return found


def values(run_dir, field):
    """(tag, step) -> the value of every summary value whose `field` is set."""
    return {(value.tag, event.step): getattr(value, field)
            for event in events(run_dir) for value in event.summary.value
            if value.HasField(field)}


def steps_by_tag(run_dir, field):
    steps = {}
    for tag, step in values(run_dir, field):
        steps.setdefault(tag, set()).add(step)
    return steps


def test_the_resumed_run_has_two_event_files_per_run_before(original):
    for run in ('train', 'validation', 'test'):
        assert len(glob.glob(os.path.join(original, 'nn', run, 'events.*'))) == 2


def test_each_run_is_one_file_within_the_budget_and_every_scalar_is_kept(original, shipped):
    logs, budget, report = shipped
    assert tree_bytes(logs) <= budget
    for run in ('', 'train', 'validation', 'test'):
        run_dir = os.path.join(logs, 'nn', run)
        assert len(glob.glob(os.path.join(run_dir, 'events.*'))) == 1, run
        assert values(run_dir, 'simple_value') == values(
            os.path.join(original, 'nn', run), 'simple_value'), run
    train_steps = {step for tag, step in values(os.path.join(logs, 'nn', 'train'),
                                                'simple_value')}
    assert len(train_steps) == HISTOGRAM_STEPS
    assert 'total' in report and 'steps of histograms' in report, report


def test_histograms_and_images_keep_evenly_spaced_steps_first_and_last(shipped):
    logs, _, report = shipped
    histograms = steps_by_tag(os.path.join(logs, 'nn', 'train'), 'histo')
    kept = {len(steps) for steps in histograms.values()}
    assert len(kept) == 1 and 2 <= min(kept) < HISTOGRAM_STEPS, kept
    assert '%d steps of histograms' % min(kept) in report, report
    for steps in histograms.values():
        steps = sorted(steps)
        assert steps[0] == SUMMARY_EVERY - 1 and steps[-1] == STEPS - 1
        gaps = {b - a for a, b in zip(steps, steps[1:])}
        assert max(gaps) - min(gaps) <= SUMMARY_EVERY, steps
    images = steps_by_tag(os.path.join(logs, 'nn', 'train'), 'image')
    assert images and all(len(steps) <= min(kept) for steps in images.values())


def test_the_graph_records_and_projector_files_are_kept_whole(original, shipped):
    logs = shipped[0]
    before, after = events(os.path.join(original, 'nn', 'train')), events(
        os.path.join(logs, 'nn', 'train'))
    assert [e.graph_def for e in after if e.graph_def] == [
        e.graph_def for e in before if e.graph_def]
    traces = [e.tagged_run_metadata.tag for e in after if e.HasField('tagged_run_metadata')]
    assert traces == ['step099', 'step199']  # under the limit of a few
    assert [e.session_log.status for e in after if e.HasField('session_log')] == [
        tf.SessionLog.START]  # where the resumed run began
    record = [e.SerializeToString() for e in events(os.path.join(original, 'nn'))]
    assert [e.SerializeToString() for e in events(os.path.join(logs, 'nn'))] == record
    for name in ('checkpoint', 'metadata.tsv', 'sprite.png', 'projector_config.pbtxt',
                 'projector.ckpt.index', 'projector.ckpt.data-00000-of-00001'):
        assert open(os.path.join(logs, 'nn', 'test', name), 'rb').read() == open(
            os.path.join(original, 'nn', 'test', name), 'rb').read(), name


def test_shipping_again_changes_nothing(shipped):
    logs, budget, _ = shipped
    before = snapshot(logs)
    result = run_script(SCRIPT, logs, '--budget_mb', str(budget / 1e6))
    assert '0 of 4 runs changed' in result.stdout, result.stdout
    assert run_script(SCRIPT, logs, '--budget_mb', str(budget / 1e6), '--check')
    assert snapshot(logs) == before


def test_tensorboard_serves_the_shipped_logs(shipped):
    logs = shipped[0]
    server = start_tensorboard(logs)
    try:
        scalars = poll(server, '/data/plugin/scalars/scalars?run=nn/train'
                       '&tag=loss/cross_entropy', bool)
        assert len(scalars) == HISTOGRAM_STEPS
        histograms = poll(server, '/data/plugin/histograms/histograms?run=nn/train'
                          '&tag=layerHidden1/activations', bool)
        assert 2 <= len(histograms) < HISTOGRAM_STEPS
        graphs = poll(server, '/data/plugin/graphs/info', lambda info: 'nn/train' in info)
        assert graphs['nn/train']['run_graph']
        assert set(graphs['nn/train']['tags']) == {'step099', 'step199'}
        curves = poll(server, '/data/plugin/pr_curves/tags', lambda tags: 'nn/test' in tags)
        assert len(curves['nn/validation']) == 10
        experiment = poll(server, '/data/plugin/hparams/experiment',
                          lambda answer: answer.get('hparamInfos'), {'experimentName': ''})
        assert {info['displayName'] for info in experiment['metricInfos']} == {
            'test accuracy', 'test loss', 'validation accuracy', 'validation loss'}
        info = poll(server, '/data/plugin/projector/info?run=nn/test', bool)
        assert info['embeddings'][0]['tensorShape'] == [200, 16]
        # The features, stored in half precision, come out as float32 for the page.
        connection = http.client.HTTPConnection('127.0.0.1', server.port, timeout=30)
        connection.request('GET', '/data/plugin/projector/tensor?run=nn/test'
                                  '&name=hidden_features')
        response = connection.getresponse()
        assert response.status == 200 and len(response.read()) == 200 * 16 * 4
    finally:
        server.stop()


@pytest.mark.parametrize('damage', ['flipped byte', 'cut short'])
def test_a_damaged_event_file_is_one_line_and_changes_nothing(original, tmp_path, damage):
    logs = str(tmp_path / 'eventlog')
    shutil.copytree(original, logs)
    damaged = sorted(glob.glob(os.path.join(logs, 'nn', 'train', 'events.*')))[-1]
    data = bytearray(open(damaged, 'rb').read())
    if damage == 'flipped byte':
        data[len(data) // 2] ^= 0xFF
    else:
        data = data[:len(data) - 100]
    open(damaged, 'wb').write(data)
    before = snapshot(logs)
    result = run_script(SCRIPT, logs, check=False)
    assert result.returncode == 1
    message = result.stderr.strip().splitlines()[-1]
    assert message.startswith('ship_eventlog: %s: damaged event file' % damaged), message
    assert message.endswith('nothing was changed'), message
    assert snapshot(logs) == before


def test_a_tighter_budget_keeps_one_trace_and_check_changes_nothing(original):
    before = snapshot(original)
    budget = TIGHT_SHARE * tree_bytes(original)
    result = run_script(SCRIPT, original, '--budget_mb', str(budget / 1e6), '--check',
                        check=False)
    assert result.returncode == 1
    assert 'not ready to ship' in result.stderr.strip().splitlines()[-1], result.stderr
    assert '3 of 4 runs would change' in result.stdout, result.stdout
    assert '1 step of run metadata' in result.stdout, result.stdout
    assert snapshot(original) == before


def test_logs_that_cannot_fit_are_refused_and_left_alone(original, tmp_path):
    logs = str(tmp_path / 'eventlog')
    shutil.copytree(original, logs)
    before = snapshot(logs)
    result = run_script(SCRIPT, logs, '--budget_mb', '0.01', check=False)
    assert result.returncode == 1
    assert 'cannot fit 0.0 MB' in result.stderr.strip().splitlines()[-1], result.stderr
    assert snapshot(logs) == before
