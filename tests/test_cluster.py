"""Distributed training on a real 1-ps/2-worker cluster on loopback ports, asynchronous
and synchronous, each task a separate process started by scripts/local_cluster.py."""
import json
import os
import re
import socket
import subprocess
import sys
import time

import pytest

from conftest import MNIST_FILES, ROOT, run_script
from graphs.contract import IMAGE_PIXELS


def processes_mentioning(text):
    result = subprocess.run(['pgrep', '-f', text], capture_output=True, text=True)
    return result.stdout.split()


@pytest.mark.parametrize('mode', ['async', 'sync'])
def test_one_ps_two_workers_train_and_save_a_restorable_model(mode, tiny_mnist, tmp_path):
    model_dir = str(tmp_path / 'model' / 'nn')
    launcher = ['scripts/local_cluster.py', '--model', 'nn'] + (['--sync'] if mode == 'sync'
                                                                 else [])
    result = run_script(*launcher, '--', '--data_dir', tiny_mnist, '--model_dir', model_dir,
                        '--log_dir', str(tmp_path / 'eventlog' / 'nn'), '--max_steps', '400',
                        '--eval_every', '100', '--validation_size', '100', '--batch_size', '20',
                        '--hidden_units', '32', timeout=240)
    out = result.stdout
    assert re.search(r'cluster done after [\d.]+s', out)
    assert '(%s, chief)' % ('synchronous' if mode == 'sync' else 'asynchronous') in out
    # Asynchronous workers may step past the last step together: 400 or a little more.
    final_step = int(re.search(r'\[worker0\] Done: steps (\d+)  test accuracy', out).group(1))
    assert 400 <= final_step <= 402
    # Both workers advanced the shared global step.
    worker1 = int(re.search(r'\[worker1\] Done: worker 1 ran (\d+) of the \d+ steps', out)
                  .group(1))
    assert worker1 > 0
    assert 'Traceback' not in out
    # The chief's checkpoint restores through the contract alone.
    images = tmp_path / 'image.json'
    images.write_text(json.dumps([0.0] * IMAGE_PIXELS))
    prediction = json.loads(run_script('predict.py', '--model_dir', model_dir, '--input',
                                       str(images)).stdout.splitlines()[0])
    assert len(prediction['probabilities']) == 10
    assert json.load(open(os.path.join(model_dir, 'model.json')))['global_step'] == final_step
    # No task is left running.
    assert processes_mentioning(model_dir) == []


def test_a_failing_worker_stops_the_whole_cluster(tmp_path):
    broken = tmp_path / 'broken-data'
    broken.mkdir()
    for name in MNIST_FILES:  # garbage: every worker fails to load it, the ps does not
        (broken / name).write_bytes(b'not an IDX file')
    base_port = free_ports(1)[0]  # the next two are free too, as a rule
    result = run_script('scripts/local_cluster.py', '--model', 'regression', '--base_port',
                        str(base_port), '--', '--data_dir', str(broken), '--max_steps', '10',
                        '--model_dir', str(tmp_path / 'model'), check=False, timeout=120)
    assert result.returncode == 1
    assert 'cluster FAILED' in result.stdout and 'error: ' in result.stdout
    assert 'ps task 0 serving grpc://127.0.0.1:%d' % base_port in result.stdout
    assert processes_mentioning(str(broken)) == []


def test_incomplete_cluster_flags_are_refused():
    result = run_script('train_nn.py', '--job_name', 'worker', '--ps_hosts', '127.0.0.1:1',
                        check=False, timeout=60)
    assert result.returncode == 2
    assert 'needs --job_name, --ps_hosts and --worker_hosts together' in result.stderr


def test_terminating_the_launcher_stops_every_task(tiny_mnist, tmp_path):
    model_dir = str(tmp_path / 'model' / 'nn')
    launcher = subprocess.Popen(
        [sys.executable, 'scripts/local_cluster.py', '--model', 'nn', '--', '--data_dir',
         tiny_mnist, '--model_dir', model_dir, '--max_steps', '100000'],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    deadline = time.time() + 60
    while len(processes_mentioning(model_dir)) < 4 and time.time() < deadline:
        time.sleep(0.5)
    assert len(processes_mentioning(model_dir)) == 4  # the launcher, a ps and two workers
    launcher.terminate()
    output = launcher.communicate(timeout=60)[0]
    assert launcher.returncode == 1 and 'stopping the cluster' in output
    assert processes_mentioning(model_dir) == []


def free_ports(count):
    sockets = [socket.socket() for _ in range(count)]
    try:
        for sock in sockets:
            sock.bind(('127.0.0.1', 0))
        return [sock.getsockname()[1] for sock in sockets]
    finally:
        for sock in sockets:
            sock.close()


def test_a_worker_that_loses_its_ps_stops_with_one_line(tiny_mnist, tmp_path):
    """It waited for ever, silent: the MonitoredSession's recovery closes its session,
    and that close waits on the dead ps without end."""
    ps_port, worker_port = free_ports(2)
    common = [sys.executable, 'train_nn.py', '--ps_hosts', '127.0.0.1:%d' % ps_port,
              '--worker_hosts', '127.0.0.1:%d' % worker_port, '--data_dir', tiny_mnist,
              '--model_dir', str(tmp_path / 'm'), '--log_dir', str(tmp_path / 'e'),
              '--max_steps', '1000000', '--eval_every', '50', '--validation_size', '100',
              '--batch_size', '20', '--hidden_units', '8', '--cluster_timeout', '3']
    ps = subprocess.Popen(common + ['--job_name', 'ps'], cwd=ROOT,
                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    worker = subprocess.Popen(common + ['--job_name', 'worker'], cwd=ROOT,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        for line in worker.stdout:  # training is under way
            if line.startswith('step 100/'):
                break
        ps.kill()
        _, stderr = worker.communicate(timeout=120)
    finally:
        ps.kill()
        worker.kill()
    assert worker.returncode == 1
    assert stderr.strip().splitlines()[-1] == (
        'error: no training step for 3 s (--cluster_timeout): a ps task is gone, or another '
        'worker; restart all the tasks: training resumes from the last checkpoint in %s'
        % (tmp_path / 'm' / 'train'))


def test_a_taken_port_and_a_repeated_address_are_one_line(tmp_path):
    ps_port, worker_port = free_ports(2)
    with socket.socket() as taken:
        taken.bind(('127.0.0.1', ps_port))
        taken.listen()
        result = run_script('train_nn.py', '--job_name', 'ps', '--ps_hosts',
                            '127.0.0.1:%d' % ps_port, '--worker_hosts',
                            '127.0.0.1:%d' % worker_port, check=False, timeout=60)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines()[-1].startswith(
        'error: ps task 0 cannot listen on 127.0.0.1:%d (' % ps_port)
    result = run_script('train_nn.py', '--job_name', 'worker', '--ps_hosts',
                        '127.0.0.1:%d' % ps_port, '--worker_hosts',
                        '127.0.0.1:%d,127.0.0.1:%d' % (ps_port, worker_port),
                        check=False, timeout=60)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines()[-1] == (
        'train_nn.py: error: 127.0.0.1:%d is given to more than one task: each task needs '
        'its own host:port (train_nn.py --help lists the flags)' % ps_port)
