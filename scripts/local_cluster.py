"""Try distributed training on one machine: one ps task and two workers on 127.0.0.1.

    python scripts/local_cluster.py --model cnn                 # asynchronous
    python scripts/local_cluster.py --model cnn --sync          # SyncReplicasOptimizer
    python scripts/local_cluster.py --model nn -- --max_steps 2000 --data_dir ../shared/mnist

Everything after `--` goes to every train_MODEL.py process. Each process's output is
shown with its role in front. The launcher stops every process it started when the
workers are done, when one of them fails, on Ctrl-C and when it is itself terminated; it
exits non-zero on failure.
"""
import argparse
import os
import signal
import socket
import subprocess
import sys
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def free_ports(count):
    """Ports the OS says are free now on 127.0.0.1 (bound together, so all different)."""
    sockets = [socket.socket() for _ in range(count)]
    for s in sockets:
        s.bind(('127.0.0.1', 0))
    ports = [s.getsockname()[1] for s in sockets]
    for s in sockets:
        s.close()
    return ports


def start(role, command):
    """Start one task in its own process group, echoing its output prefixed by its role."""
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True, start_new_session=True)

    def echo():
        for line in process.stdout:
            print('[%s] %s' % (role, line.rstrip()), flush=True)
    threading.Thread(target=echo, daemon=True).start()
    return process


def stop(processes):
    """SIGTERM every task's process group, then SIGKILL what is still there after 5 s."""
    for process in processes:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
    deadline = time.time() + 5
    for process in processes:
        try:
            process.wait(timeout=max(deadline - time.time(), 0.1))
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--model', default='nn', help='trains with train_MODEL.py')
    parser.add_argument('--workers', type=int, default=2, help='number of worker tasks')
    parser.add_argument('--sync', action='store_true', help='synchronous replicas')
    parser.add_argument('--base_port', type=int, default=None,
                        help='the ps listens on this port and the workers on the next ones '
                             '(default: ports the OS says are free)')
    parser.add_argument('train_flags', nargs='*', help='flags for train_MODEL.py, after --')
    flags = parser.parse_args()
    script = os.path.join(ROOT, 'train_%s.py' % flags.model)
    if not os.path.exists(script):
        parser.error('no such model: %s' % script)
    if flags.workers < 1:
        parser.error('--workers must be at least 1')
    if flags.base_port is not None and not 0 < flags.base_port <= 65535 - flags.workers:
        parser.error('--base_port must leave room for %d ports below 65536' % (1 + flags.workers))

    # The tasks run in process groups of their own (so a Ctrl-C reaches only us and we
    # stop them in order); being terminated must stop them too.
    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, _interrupt)

    ports = (free_ports(1 + flags.workers) if flags.base_port is None
             else list(range(flags.base_port, flags.base_port + 1 + flags.workers)))
    hosts = ['--ps_hosts', '127.0.0.1:%d' % ports[0], '--worker_hosts',
             ','.join('127.0.0.1:%d' % p for p in ports[1:])]
    base = [sys.executable, script] + hosts + (['--sync_replicas'] if flags.sync else [])
    base += flags.train_flags
    started = time.time()
    ps = start('ps0', base + ['--job_name', 'ps', '--task_index', '0'])
    workers = [start('worker%d' % i, base + ['--job_name', 'worker', '--task_index', str(i)])
               for i in range(flags.workers)]
    interrupted = False
    try:
        while any(w.poll() is None for w in workers):
            if any(w.poll() not in (None, 0) for w in workers) or ps.poll() is not None:
                break  # a task failed: the run cannot finish
            time.sleep(0.2)
    except KeyboardInterrupt:
        interrupted = True
        print('interrupted: stopping the cluster', flush=True)
    finally:
        stop(workers + [ps])
    failed = interrupted or any(w.returncode != 0 for w in workers)
    print('cluster %s after %.1fs' % ('FAILED' if failed else 'done', time.time() - started),
          flush=True)
    sys.exit(1 if failed else 0)


if __name__ == '__main__':
    main()
