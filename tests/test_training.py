"""The shared training loop, through the core models' scripts (regression, nn):
checkpoints and metadata, TensorBoard event files, resume, --fresh, reproducibility,
clear errors, and accuracy on the real data. (Every model's architecture and its
tensor-name contract are tested in test_models.py.)"""
import glob
import json
import os
import re
import sys

import numpy as np
import pytest
import tensorflow.compat.v1 as tf

from conftest import ROOT, run_script, train, write_idx
from graphs import augment, training

tf.disable_v2_behavior()

@pytest.fixture(scope='module')
def trained(tiny_mnist, tmp_path_factory):
    """Both core models trained 120 steps on the tiny data set (enough for a trace at 99)."""
    out = str(tmp_path_factory.mktemp('runs'))
    return {name: train('train_%s.py' % name, tiny_mnist, out, '--max_steps', '120',
                        '--seed', '1')
            for name in ('regression', 'nn')}, out


@pytest.mark.parametrize('name', ['regression', 'nn'])
def test_training_writes_checkpoint_metadata_and_logs(trained, name):
    (stdout, model_dir), out = trained[0][name], trained[1]
    assert 'step 50/120' in stdout and 'step 120/120' in stdout
    assert 'validation accuracy' in stdout and 'images/s' in stdout and 'ETA' in stdout
    assert 'Done: steps 120  test accuracy' in stdout
    # The serving checkpoint (weights only) and the full, resumable one.
    assert tf.train.latest_checkpoint(model_dir).endswith('model.ckpt-120')
    for suffix in ('.index', '.meta', '.data-00000-of-00001'):
        assert os.path.exists(os.path.join(model_dir, 'model.ckpt-120' + suffix))
    assert tf.train.latest_checkpoint(os.path.join(model_dir, 'train')).endswith('-120')
    serving = dict(tf.train.list_variables(os.path.join(model_dir, 'model.ckpt-120')))
    full = dict(tf.train.list_variables(os.path.join(model_dir, 'train', 'model.ckpt-120')))
    assert not any('Adam' in v for v in serving) and 'global_step' in serving
    assert set(serving) <= set(full)
    if name == 'nn':  # trained with Adam: its slots are in the full checkpoint only
        assert any('Adam' in v for v in full)
    metadata = json.load(open(os.path.join(model_dir, 'model.json')))
    assert metadata['model'] == name and metadata['global_step'] == 120
    assert 0.9 <= metadata['test_accuracy'] <= 1.0  # the tiny data set is easy
    assert metadata['tensorflow_version'] == tf.__version__
    assert metadata['flags']['seed'] == 1 and metadata['command'].startswith('python train_')
    for run in ('train', 'validation', 'test'):
        assert os.listdir(os.path.join(out, 'eventlog', name, run))


def read_events(directory):
    """All events of a TensorBoard run directory (the test run also holds the embedding
    projector's files)."""
    events = []
    for name in sorted(n for n in os.listdir(directory) if n.startswith('events.out.')):
        events.extend(tf.train.summary_iterator(os.path.join(directory, name)))
    return events


def test_event_files_hold_expected_tags(trained):
    out = trained[1]
    train_events = read_events(os.path.join(out, 'eventlog', 'nn', 'train'))
    tags = {v.tag for e in train_events for v in e.summary.value}
    for tag in ('loss/cross_entropy', 'accuracy/rate', 'dropout/dropout_keep_probability',
                'train/learning_rate', 'layerHidden1/weights/summaries/mean',
                'layerHidden1/weights/summaries/stddev', 'layerHidden1/weights/summaries/max',
                'layerHidden1/weights/summaries/min',
                'layerHidden1/weights/summaries/histogram',
                'layerHidden1/biases/summaries/histogram',
                'layerHidden1/Wx_plus_b/pre_activations', 'layerHidden1/activations',
                'layerOutput/activations', 'input/input/image/0'):
        assert tag in tags, tag
    assert not any(tag.endswith('_1') for tag in tags), sorted(tags)
    assert any(e.graph_def for e in train_events)
    assert [e.tagged_run_metadata.tag for e in train_events
            if e.HasField('tagged_run_metadata')] == ['step099']
    histograms = [v for e in train_events for v in e.summary.value if v.HasField('histo')]
    assert histograms and all(v.histo.num > 0 for v in histograms)

    for run, steps in (('validation', {50, 100, 120}), ('test', {120})):
        events = read_events(os.path.join(out, 'eventlog', 'nn', run))
        accuracy = {e.step: v.simple_value for e in events for v in e.summary.value
                    if v.tag == 'accuracy/rate'}
        assert set(accuracy) == steps and all(0 <= a <= 1 for a in accuracy.values())


def test_resume_continues_at_saved_step_with_optimizer_state(tiny_mnist, tmp_path):
    out = str(tmp_path)
    train('train_nn.py', tiny_mnist, out, '--max_steps', '60', '--hidden_units', '32')
    stdout, model_dir = train('train_nn.py', tiny_mnist, out, '--max_steps', '90',
                              '--hidden_units', '32')
    assert 'Resuming from' in stdout and 'at step 60' in stdout
    assert 'training steps 60..90' in stdout and 'Done: steps 90' in stdout
    # Adam's beta1 power starts at 0.9 and is multiplied by 0.9 at each update: it is
    # 0.9 ** (90 + 1) only if the optimizer state survived the restart.
    reader = tf.train.load_checkpoint(tf.train.latest_checkpoint(os.path.join(model_dir, 'train')))
    assert reader.get_tensor('global_step') == 90
    np.testing.assert_allclose(reader.get_tensor('train/beta1_power'), 0.9 ** 91, rtol=1e-5)
    # Only the newest serving checkpoint is kept.
    assert sorted(f for f in os.listdir(model_dir) if f.startswith('model.ckpt')) == [
        'model.ckpt-90.data-00000-of-00001', 'model.ckpt-90.index', 'model.ckpt-90.meta']

    # --fresh removes what training wrote, and nothing of the user's beside it.
    log_dir = os.path.join(out, 'eventlog', 'nn')
    own = [os.path.join(model_dir, 'notes.txt'), os.path.join(model_dir, 'train', 'mine.txt'),
           os.path.join(log_dir, 'thesis.tex'), os.path.join(log_dir, 'other', 'events.out.x'),
           os.path.join(log_dir, 'test', 'plot.png')]
    for path in own:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        open(path, 'w').write('precious')
    stdout, _ = train('train_nn.py', tiny_mnist, out, '--max_steps', '30',
                      '--hidden_units', '32', '--fresh')
    assert 'Fresh start' in stdout and 'Resuming' not in stdout
    assert 'training steps 0..30' in stdout
    assert tf.train.latest_checkpoint(model_dir).endswith('model.ckpt-30')
    assert all(open(path).read() == 'precious' for path in own)
    assert sorted(glob.glob(os.path.join(model_dir, 'train', 'model.ckpt-*.index'))) == [
        os.path.join(model_dir, 'train', 'model.ckpt-30.index')]
    # One run's events per writer: the old run's were removed.
    for run in ('', 'train', 'validation', 'test'):
        events = glob.glob(os.path.join(log_dir, run, 'events.out.tfevents.*'))
        assert len(events) == 1, (run, events)


def test_a_finished_model_only_gets_its_serving_checkpoint_rewritten(tiny_mnist, tmp_path):
    out = str(tmp_path)
    _, model_dir = train('train_nn.py', tiny_mnist, out, '--max_steps', '30',
                         '--hidden_units', '32')
    metadata = open(os.path.join(model_dir, 'model.json')).read()
    serving = os.path.join(model_dir, 'model.ckpt-30.meta')
    os.remove(serving)  # as if an older version had written it differently
    stdout, _ = train('train_nn.py', tiny_mnist, out, '--max_steps', '30',
                      '--hidden_units', '32')
    assert 'Already trained to step 30' in stdout and 'Done:' not in stdout
    assert os.path.isfile(serving)
    assert open(os.path.join(model_dir, 'model.json')).read() == metadata
    assert tf.train.latest_checkpoint(model_dir).endswith('model.ckpt-30')

    # Killed after its last save but before model.json was written: the next run trains
    # no step but evaluates and records the model, with the times it cannot know unset.
    os.remove(os.path.join(model_dir, 'model.json'))
    stdout, _ = train('train_nn.py', tiny_mnist, out, '--max_steps', '30',
                      '--hidden_units', '32')
    assert 'Resuming from' in stdout and 'Done: steps 30' in stdout
    recorded = json.load(open(os.path.join(model_dir, 'model.json')))
    assert recorded['global_step'] == 30 and 0 <= recorded['test_accuracy'] <= 1
    assert recorded['training_seconds'] is None and recorded['images_per_second'] is None
    assert '| nn |' in run_script('scripts/model_table.py', '--model_dir',
                                  os.path.dirname(model_dir)).stdout


def test_unreadable_data_changes_nothing_on_disk(tiny_mnist, tmp_path):
    # Even with --fresh: the old model stays when the new run cannot read its data.
    out = str(tmp_path)
    _, model_dir = train('train_nn.py', tiny_mnist, out, '--max_steps', '20',
                         '--hidden_units', '32')
    open(os.path.join(out, 'notes.txt'), 'w').write('not MNIST')
    before = sorted(os.walk(out))
    result = run_script('train_nn.py', '--data_dir', os.path.join(out, 'notes.txt'),
                        '--model_dir', model_dir, '--log_dir', os.path.join(out, 'log2'),
                        '--max_steps', '40', '--fresh', check=False)
    assert result.returncode == 1 and 'Traceback' not in result.stderr
    assert result.stderr.strip().splitlines()[-1].endswith('notes.txt is not a directory: '
                                                           "give the directory that holds (or "
                                                           "will hold) MNIST's four files")
    assert sorted(os.walk(out)) == before


def test_resume_refuses_a_checkpoint_of_another_shape(tiny_mnist, tmp_path):
    out = str(tmp_path)
    train('train_nn.py', tiny_mnist, out, '--max_steps', '20', '--hidden_units', '32')
    result = run_script('train_nn.py', '--data_dir', tiny_mnist, '--model_dir',
                        os.path.join(out, 'model', 'nn'), '--log_dir',
                        os.path.join(out, 'eventlog', 'nn'), '--validation_size', '100',
                        '--max_steps', '40', '--hidden_units', '64', check=False)
    assert result.returncode == 1
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith('error: cannot resume from') and '--fresh' in last
    assert '[784, 32]' in last and '[784, 64]' in last
    assert tf.train.latest_checkpoint(os.path.join(out, 'model', 'nn')).endswith('-20')


def test_deterministic_runs_give_identical_weights(tiny_mnist, tmp_path):
    weights = []
    for run in ('a', 'b'):
        _, model_dir = train('train_nn.py', tiny_mnist, str(tmp_path / run), '--max_steps',
                             '40', '--hidden_units', '32', '--seed', '7', '--deterministic')
        reader = tf.train.load_checkpoint(tf.train.latest_checkpoint(model_dir))
        weights.append(reader.get_tensor('layerHidden1/weights/weights'))
    np.testing.assert_array_equal(weights[0], weights[1])


def test_running_ops_in_the_calling_thread_trains_the_same_weights(tiny_mnist, tmp_path):
    """--inter_op_threads -1 (regression's default) only changes which thread runs each op."""
    weights = []
    for inter_op in ('-1', '2'):
        _, model_dir = train('train_regression.py', tiny_mnist, str(tmp_path / inter_op),
                             '--max_steps', '30', '--seed', '7', '--deterministic',
                             '--inter_op_threads', inter_op)
        reader = tf.train.load_checkpoint(tf.train.latest_checkpoint(model_dir))
        weights.append(reader.get_tensor('layerOutput/weights/weights'))
    np.testing.assert_array_equal(weights[0], weights[1])
    assert np.abs(weights[0]).max() > 0


def test_the_lstm_script_shares_the_cores_between_its_chains():
    from graphs import layers
    assert layers.TRAINING_LSTM_CHAINS == 2
    assert [training.lstm_intra_op_threads(cores) for cores in (1, 2, 3, 8)] == [1, 1, 1, 4]
    stdout = run_script('train_lstm.py', '--help', timeout=60).stdout
    expected = training.lstm_intra_op_threads()
    assert re.search(r'--intra_op_threads INTRA_OP_THREADS\s+threads inside one op .*'
                     r'\(default: %d\)' % expected, ' '.join(stdout.split()))


@pytest.mark.parametrize('flag, value, message', [
    ('--max_steps', '0', 'must be a positive integer'),
    ('--batch_size', 'ten', "'ten' is not a valid int"),
    ('--learning_rate', '-1', 'must be a positive number'),
    ('--keep_prob', '1.5', 'must be in (0, 1]'),
    ('--optimizer', 'rmsprop', 'invalid choice'),
    ('--inter_op_threads', '-2', 'must be -1 (the calling thread), 0'),
    ('--augment', 'affine,wobble', "unknown distortion 'wobble'"),
    ('--fine_tune', '0', 'must be a positive integer'),
    ('--fresh --fine_tune', '5', 'not with --fresh or in a cluster'),
])
def test_bad_flag_values_give_a_clear_error(flag, value, message, monkeypatch, capsys):
    # In this process (a child would spend seconds importing TensorFlow for each): the
    # script's main() exits as it does on the command line.
    import train_nn
    monkeypatch.setattr(sys, 'argv', ['train_nn.py'] + flag.split() + [value])
    with pytest.raises(SystemExit) as raised:
        train_nn.main()
    stderr = capsys.readouterr().err
    assert raised.value.code == 2
    assert message in stderr and flag.split()[-1] in stderr


def test_a_bad_flag_value_is_an_error_on_the_command_line():
    result = run_script('train_nn.py', '--max_steps', '0', check=False, timeout=60)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines()[-1] == (
        'train_nn.py: error: argument --max_steps: must be a positive integer, got 0 '
        '(train_nn.py --help lists the flags)')
    assert 'usage:' not in result.stderr  # one line, not argparse's usage block first


def test_augment_flag_names_distortions_in_a_fixed_order():
    parser = training.make_parser('x', 'x', max_steps=1, batch_size=1, learning_rate=1.0,
                                  augment='elastic')
    assert parser.parse_args([]).augment == ('elastic',)
    assert parser.parse_args(['--augment']).augment == augment.KINDS
    assert parser.parse_args(['--augment', 'all']).augment == augment.KINDS
    assert parser.parse_args(['--augment', 'blur, affine']).augment == ('affine', 'blur')
    assert parser.parse_args(['--augment', 'none']).augment == ()
    assert parser.parse_args(['--no-augment']).augment == ()


def test_a_fine_tune_logs_beside_the_first_run_unless_told_where():
    # It used to write into eventlog/NAME, replacing the shipped run's HParams file.
    parser = training.make_parser('nn', 'x', max_steps=1, batch_size=1, learning_rate=1.0)
    assert parser.parse_args([]).log_dir == os.path.join('eventlog', 'nn')
    assert parser.parse_args(['--fine_tune', '5']).log_dir == os.path.join(
        'eventlog', 'nn', 'fine_tune')
    assert parser.parse_args(['--fine_tune', '5', '--log_dir', os.path.join(
        'eventlog', 'nn')]).log_dir == os.path.join('eventlog', 'nn')


def test_help_documents_the_flags():
    stdout = run_script('train_nn.py', '--help', timeout=60).stdout
    for flag in ('--data_dir', '--model_dir', '--log_dir', '--max_steps', '--batch_size',
                 '--learning_rate', '--eval_every', '--seed', '--fresh', '--deterministic',
                 '--hidden_units', '--keep_prob', '--augment', '--extra_data',
                 '--extra_repeat', '--fine_tune'):
        assert flag in stdout


def test_bad_data_gives_a_one_line_error(tiny_mnist, tmp_path):
    broken = tmp_path / 'broken'
    broken.mkdir()
    for name in os.listdir(tiny_mnist):
        (broken / name).write_bytes(open(os.path.join(tiny_mnist, name), 'rb').read())
    write_idx(str(broken / 't10k-labels-idx1-ubyte.gz'), np.zeros(150, np.uint8))
    result = run_script('train_regression.py', '--data_dir', str(broken), '--model_dir',
                        str(tmp_path / 'm'), '--log_dir', str(tmp_path / 'e'), check=False)
    assert result.returncode == 1
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith('error: ') and 't10k' in last
    assert 'Traceback' not in result.stderr


@pytest.mark.slow
def test_real_mnist_accuracy_after_a_short_run(real_mnist, tmp_path):
    """Short runs on the real data: regression ≥ 91.5%, nn ≥ 97.5% on the test set."""
    targets = {'regression': (0.915, ['--max_steps', '1000']),
               'nn': (0.975, ['--max_steps', '5000', '--keep_prob', '0.75',
                              '--batch_size', '100', '--eval_every', '1000'])}
    for name, (target, flags) in targets.items():
        run_script('train_%s.py' % name, '--data_dir', real_mnist, '--model_dir',
                   str(tmp_path / name), '--log_dir', str(tmp_path / 'log' / name), '--seed',
                   '1', *flags, timeout=600)
        accuracy = json.load(open(str(tmp_path / name / 'model.json')))['test_accuracy']
        assert accuracy >= target, (name, accuracy)


def test_augment_trains_on_distorted_images(tiny_mnist, tmp_path):
    stdout, model_dir = train('train_regression.py', tiny_mnist, str(tmp_path),
                              '--max_steps', '60', '--augment', 'shear,affine', '--seed', '2')
    assert 'Done: steps 60' in stdout
    metadata = json.load(open(os.path.join(model_dir, 'model.json')))
    assert metadata['flags']['augment'] == ['affine', 'shear']  # in graphs/augment.KINDS' order
    # The bars of the synthetic digits survive small shifts and rotations: still learnable.
    assert metadata['test_accuracy'] > 0.5


def test_checkpoint_files_name_checkpoints_relative_to_their_directory(tiny_mnist, tmp_path):
    """A clone elsewhere must find the shipped checkpoints: no path outside model/NAME."""
    run_script(os.path.join(ROOT, 'train_regression.py'), '--data_dir', tiny_mnist,
               '--model_dir', 'model/regression', '--log_dir', 'eventlog/regression',
               '--max_steps', '10', '--validation_size', '100', cwd=str(tmp_path))
    for directory in ('model/regression', 'model/regression/train'):
        text = (tmp_path / directory / 'checkpoint').read_text()
        assert 'model_checkpoint_path: "model.ckpt-10"' in text, text
        assert '/' not in text.replace('model.ckpt-10', '')


def test_fine_tuning_on_a_feedback_set_starts_from_the_serving_weights(tiny_mnist, tmp_path):
    from contract_client import answer
    from conftest import synthetic_digits
    from serving.feedback import FeedbackStore

    out, feedback_dir = str(tmp_path), str(tmp_path / 'user_data')
    _, model_dir = train('train_nn.py', tiny_mnist, out, '--max_steps', '40',
                         '--hidden_units', '32')
    images, labels = synthetic_digits(30, seed=5)  # kept as the server keeps drawings
    store = FeedbackStore(feedback_dir, 1 << 20)
    for image, label in zip(images, labels):
        store.append(image, image, int(label))
    stdout, _ = train('train_nn.py', tiny_mnist, out, '--hidden_units', '32',
                      '--fine_tune', '20', '--extra_data', feedback_dir, '--extra_repeat', '3')
    assert 'Fine-tuning from' in stdout and 'at step 40, with a fresh optimizer' in stdout
    assert 'training steps 40..60' in stdout
    assert 'Extra data: 24 images' in stdout and '(6 more held out' in stdout
    assert '572 training images' in stdout  # 500 of MNIST's, 24 extra 3 times
    assert re.search(r'Fine-tuned: test accuracy [\d.]+% -> [\d.]+%, held-out extra data '
                     r'\(6\) [\d.]+% -> [\d.]+%', stdout), stdout
    # A fresh optimizer: Adam's beta1 power is 0.9 ** (20 + 1), not 0.9 ** (60 + 1).
    reader = tf.train.load_checkpoint(tf.train.latest_checkpoint(os.path.join(model_dir,
                                                                              'train')))
    assert reader.get_tensor('global_step') == 60
    np.testing.assert_allclose(reader.get_tensor('train/beta1_power'), 0.9 ** 21, rtol=1e-5)
    # The serving copy a running server reloads: a new step, restored by the contract.
    assert tf.train.latest_checkpoint(model_dir).endswith('model.ckpt-60')
    served = answer(model_dir, images.reshape(-1, 784) / 255.0)
    assert len(served['prediction']) == 30
    recorded = json.load(open(os.path.join(model_dir, 'model.json')))
    assert recorded['flags']['fine_tune'] == 20 and recorded['flags']['extra_data'] == feedback_dir
    assert recorded['flags']['learning_rate'] == pytest.approx(1e-4)


def test_extra_data_and_fine_tune_mistakes_are_one_line_errors(tiny_mnist, tmp_path):
    common = ('train_nn.py', '--data_dir', tiny_mnist, '--model_dir', str(tmp_path / 'm'),
              '--log_dir', str(tmp_path / 'e'), '--max_steps', '5', '--validation_size', '100')
    for extra, message in ((('--extra_data', str(tmp_path)), 'no extra data: expected IDX'),
                           (('--fine_tune', '5'), 'no serving checkpoint in')):
        result = run_script(*common + extra, check=False)
        assert result.returncode == 1 and 'Traceback' not in result.stderr
        assert result.stderr.strip().splitlines()[-1].startswith('error: ')
        assert message in result.stderr
