"""Training and checkpoints under faults: kill -9 at random moments, damaged checkpoint
files, meta-graphs that break the contract, a read-only model directory and a full disk.
Nothing may leave a model that cannot be restored, and every failure says what to do."""
import contextlib
import hashlib
import os
import random
import signal
import subprocess
import sys
import time

import numpy as np
import pytest
import tensorflow.compat.v1 as tf

from conftest import ROOT, run_script
from graphs import contract
from graphs.contract import IMAGE_PIXELS
from servers import start_predict_server, train_model

tf.disable_v2_behavior()

KILL_TRIALS = int(os.environ.get('KILL_TRIALS', '5'))


def train_args(data_dir, out, *extra):
    return ['train_nn.py', '--data_dir', data_dir, '--model_dir', os.path.join(out, 'nn'),
            '--log_dir', os.path.join(out, 'log'), '--validation_size', '100',
            '--batch_size', '50', '--hidden_units', '64', '--eval_every', '50'] + list(extra)


def assert_restorable(model_dir, serving):
    """The `checkpoint` file points at complete files, which restore (through the contract
    for the serving copy); returns the step."""
    state = tf.train.get_checkpoint_state(model_dir)
    assert state is not None, 'no checkpoint state in %s' % model_dir
    prefix = os.path.join(model_dir, state.model_checkpoint_path)
    needed = ['.index', '.data-00000-of-00001'] + (['.meta'] if serving else [])
    for suffix in needed:
        assert os.path.exists(prefix + suffix), 'state points at missing %s' % (prefix + suffix)
    if serving:
        with tf.Graph().as_default(), tf.Session() as sess:
            tf.train.import_meta_graph(prefix + '.meta').restore(sess, prefix)
            logits = sess.run(contract.LOGITS,
                              {contract.INPUT: np.zeros((1, IMAGE_PIXELS), np.float32)})
            assert np.isfinite(logits).all()
    return int(tf.train.load_variable(prefix, 'global_step'))


def test_kill_9_at_random_moments_never_loses_a_checkpoint(tiny_mnist, tmp_path):
    out = str(tmp_path)
    model_dir = os.path.join(out, 'nn')
    rng = random.Random(0)
    survived = 0
    for trial in range(KILL_TRIALS):
        process = subprocess.Popen(
            [sys.executable] + train_args(tiny_mnist, out, '--max_steps', '1000000',
                                          '--save_every', '7'),
            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        # Kill once it has saved at least once, at a random moment of its saving cycle.
        deadline = time.time() + 60
        while not os.path.exists(os.path.join(model_dir, 'checkpoint')):
            assert time.time() < deadline and process.poll() is None, 'never saved'
            time.sleep(0.05)
        time.sleep(rng.uniform(0, 1.5))
        process.send_signal(signal.SIGKILL)
        process.wait()

        serving_step = assert_restorable(model_dir, serving=True)
        training_step = assert_restorable(os.path.join(model_dir, 'train'), serving=False)
        # Killed between the two saves, the serving copy is one save behind.
        assert training_step - serving_step in (0, 7)
        result = run_script(*train_args(tiny_mnist, out, '--max_steps',
                                        str(training_step + 3), '--save_every', '7'))
        assert 'Resuming from' in result.stdout
        assert 'at step %d' % training_step in result.stdout
        assert assert_restorable(model_dir, serving=True) == training_step + 3
        survived += 1
    print('kill -9 trials survived: %d of %d' % (survived, KILL_TRIALS))


def fingerprint(directory):
    return {name: hashlib.md5(open(os.path.join(directory, name), 'rb').read()).hexdigest()
            for name in sorted(os.listdir(directory))
            if os.path.isfile(os.path.join(directory, name))}


@pytest.mark.parametrize('damage', ['index', 'data'])
def test_a_damaged_checkpoint_is_refused_and_left_alone(damage, tiny_mnist, tmp_path):
    out = str(tmp_path)
    run_script(*train_args(tiny_mnist, out, '--max_steps', '20'))
    train_dir = os.path.join(out, 'nn', 'train')
    path = os.path.join(train_dir, 'model.ckpt-20.' + ('index' if damage == 'index'
                                                       else 'data-00000-of-00001'))
    data = open(path, 'rb').read()
    open(path, 'wb').write(data[:len(data) // 2] if damage == 'data' else b'garbage' * 10)
    before = fingerprint(train_dir), fingerprint(os.path.join(out, 'nn'))

    result = run_script(*train_args(tiny_mnist, out, '--max_steps', '40'), check=False)
    assert result.returncode == 1
    message = result.stderr.strip().splitlines()[-1]
    assert message.startswith('error: cannot resume from') and 'model.ckpt-20' in message
    assert '--fresh' in message and 'Traceback' not in result.stderr
    assert (fingerprint(train_dir), fingerprint(os.path.join(out, 'nn'))) == before

    result = run_script(*train_args(tiny_mnist, out, '--max_steps', '10', '--fresh'))
    assert 'Done: steps 10' in result.stdout


@pytest.mark.parametrize('damage', ['missing', 'garbage'])
def test_a_lost_state_file_is_written_again_and_training_resumes(damage, tiny_mnist, tmp_path):
    # Only train/checkpoint, the small file naming the checkpoints, is lost: training must
    # resume from the newest checkpoint beside it, not start over and replace the model.
    out = str(tmp_path)
    run_script(*train_args(tiny_mnist, out, '--max_steps', '30', '--save_every', '10',
                           '--max_to_keep', '2'))
    train_dir = os.path.join(out, 'nn', 'train')
    state_file = os.path.join(train_dir, 'checkpoint')
    if damage == 'missing':
        os.remove(state_file)
    else:
        open(state_file, 'w').write('garbage {{{')

    result = run_script(*train_args(tiny_mnist, out, '--max_steps', '50', '--save_every',
                                    '10', '--max_to_keep', '2'))
    assert 'was missing or damaged: written again, naming the 2 checkpoints' in result.stdout
    assert 'Resuming from' in result.stdout and 'at step 30' in result.stdout
    assert assert_restorable(os.path.join(out, 'nn'), serving=True) == 50
    # The checkpoints found count towards --max_to_keep like the run's own.
    assert sorted(name for name in os.listdir(train_dir) if name.endswith('.index')) == [
        'model.ckpt-40.index', 'model.ckpt-50.index']


def test_predict_server_skips_models_that_break_the_contract(tiny_mnist, tmp_path):
    """A meta-graph without a contract tensor, and a damaged .index file: each is skipped
    with one line naming what is wrong, and the good model is served."""
    model_root = tmp_path / 'model'
    train_model('nn', tiny_mnist, model_root)
    # A model built by other code: it has inputData but no output/prediction.
    foreign = model_root / 'foreign'
    foreign.mkdir()
    with tf.Graph().as_default(), tf.Session() as sess:
        with tf.name_scope('input'):
            images = tf.placeholder(tf.float32, [None, 784], name='inputData')
        weights = tf.Variable(tf.zeros([784, 10]), name='weights')
        tf.nn.softmax(tf.matmul(images, weights), name='output/probabilities')
        sess.run(tf.global_variables_initializer())
        tf.train.Saver().save(sess, str(foreign / 'model.ckpt'), global_step=1)
    damaged = model_root / 'damaged_index'
    damaged.mkdir()
    for path in (model_root / 'nn').iterdir():
        if path.is_file():
            (damaged / path.name).write_bytes(path.read_bytes())
    for path in damaged.glob('*.index'):
        path.write_bytes(b'\x00' * 64)

    server = start_predict_server(model_root)
    try:
        lines = server.output.splitlines()
        skipped = [line for line in lines if line.startswith('Skipped')]
        assert any(line.startswith('Skipped foreign: not the tensor-name contract')
                   for line in skipped), lines
        assert any(line.startswith('Skipped damaged_index: ') for line in skipped), lines
        assert all(len(line) < 300 for line in skipped)
        assert 'Serving 1 model (nn)' in server.output
    finally:
        server.stop()


# ---------------------------------------------------------------------------- disks

@contextlib.contextmanager
def small_disk(path, megabytes):
    """A tmpfs of the given size mounted at `path` (needs root; skips otherwise)."""
    os.makedirs(path, exist_ok=True)
    mounted = subprocess.run(['mount', '-t', 'tmpfs', '-o', 'size=%dm' % megabytes, 'tmpfs',
                              path], capture_output=True)
    if mounted.returncode != 0:
        pytest.skip('cannot mount a tmpfs here (needs root): %s' % mounted.stderr.decode())
    try:
        yield path
    finally:
        subprocess.run(['umount', '-l', path])


def test_a_read_only_model_dir_is_refused_before_training(tiny_mnist, tmp_path):
    with small_disk(str(tmp_path / 'disk'), 16) as disk:
        run_script(*train_args(tiny_mnist, disk, '--max_steps', '20'))
        before = fingerprint(os.path.join(disk, 'nn'))
        subprocess.run(['mount', '-o', 'remount,ro', disk], check=True)
        result = run_script(*train_args(tiny_mnist, disk, '--max_steps', '40'), check=False)
        assert result.returncode == 1
        message = result.stderr.strip().splitlines()[-1]
        assert message.startswith('error: cannot write to') and 'Read-only' in message
        assert fingerprint(os.path.join(disk, 'nn')) == before
        assert assert_restorable(os.path.join(disk, 'nn'), serving=True) == 20


def test_a_full_disk_during_save_is_reported_and_the_last_checkpoint_kept(tiny_mnist,
                                                                         tmp_path):
    with small_disk(str(tmp_path / 'disk'), 16) as disk:
        run_script(*train_args(tiny_mnist, disk, '--max_steps', '20'))
        filler = os.path.join(disk, 'filler')
        subprocess.run(['dd', 'if=/dev/zero', 'of=' + filler, 'bs=64k'], capture_output=True)
        result = run_script(*train_args(tiny_mnist, disk, '--max_steps', '40'), check=False)
        assert result.returncode == 1
        message = result.stderr.strip().splitlines()[-1]
        assert message.startswith('error: could not save the checkpoint for step 40')
        assert 'previous checkpoint is untouched' in message and 'Traceback' not in result.stderr
        os.remove(filler)
        assert assert_restorable(os.path.join(disk, 'nn'), serving=True) == 20
        assert assert_restorable(os.path.join(disk, 'nn', 'train'), serving=False) == 20
        result = run_script(*train_args(tiny_mnist, disk, '--max_steps', '30'))
        assert 'at step 20' in result.stdout and 'Done: steps 30' in result.stdout
