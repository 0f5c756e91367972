"""Distributed training the TF 1.x way, as the official mnist_replica.py did it.

Parameter servers (ps) hold the variables; workers each run the whole training loop on
their own batches and send their updates to the ps tasks over gRPC. Worker 0 is the
chief: it initialises or restores the variables, writes the checkpoints to model/NAME/
and the summaries to eventlog/NAME/. With --sync_replicas the updates of
--replicas_to_aggregate workers are averaged into one step (SyncReplicasOptimizer);
otherwise every worker applies its own updates as they come (asynchronous training).

    python train_cnn.py --job_name ps     --task_index 0 --ps_hosts H:P --worker_hosts H:P,H:P
    python train_cnn.py --job_name worker --task_index 0 --ps_hosts H:P --worker_hosts H:P,H:P
    python train_cnn.py --job_name worker --task_index 1 ...

scripts/local_cluster.py starts one ps and two workers on 127.0.0.1 for trying it out.
"""
import argparse
import os
import sys
import threading
import time

import tensorflow.compat.v1 as tf

from graphs.messages import one_line

# The chief waits this long for the other workers when it stops. TF's default of 120 s
# makes every synchronous run end with two idle minutes.
STOP_GRACE_PERIOD_SECS = 5


def add_flags(parser):
    group = parser.add_argument_group('distributed training (all empty: train locally)')
    group.add_argument('--ps_hosts', default='', help='comma-separated host:port of ps tasks')
    group.add_argument('--worker_hosts', default='',
                       help='comma-separated host:port of worker tasks')
    group.add_argument('--job_name', choices=('ps', 'worker'), default=None,
                       help='this process is a parameter server or a worker')
    group.add_argument('--task_index', type=int, default=0, help="this task's index in its job")
    group.add_argument('--sync_replicas', action='store_true',
                       help='aggregate the workers\' gradients into one synchronous update')
    group.add_argument('--replicas_to_aggregate', type=int, default=None,
                       help='updates aggregated per step with --sync_replicas '
                            '(default: the number of workers)')
    group.add_argument('--cluster_timeout', type=float, default=120.0, metavar='SECONDS',
                       help='a worker that finishes no step for this long (a ps task gone; '
                            'with --sync_replicas, also the other workers) stops with one '
                            'line; restarting the tasks resumes from the last checkpoint')


class ClusterError(Exception):
    """A task that cannot take its place in the cluster; the message says why."""


def requested(flags):
    return bool(flags.job_name or flags.ps_hosts or flags.worker_hosts)


def check_flags(flags):
    """Raise argparse.ArgumentTypeError for an incomplete or inconsistent cluster."""
    ps_hosts, worker_hosts = _hosts(flags.ps_hosts), _hosts(flags.worker_hosts)
    if not (flags.job_name and ps_hosts and worker_hosts):
        raise argparse.ArgumentTypeError(
            'distributed training needs --job_name, --ps_hosts and --worker_hosts together')
    tasks = len(ps_hosts) if flags.job_name == 'ps' else len(worker_hosts)
    if not 0 <= flags.task_index < tasks:
        raise argparse.ArgumentTypeError('--task_index %d is out of range: the %s job has %d '
                                         'task(s)' % (flags.task_index, flags.job_name, tasks))
    if not flags.cluster_timeout > 0:
        raise argparse.ArgumentTypeError('--cluster_timeout must be a positive number of '
                                         'seconds')
    aggregate = flags.replicas_to_aggregate
    if aggregate is not None and not (flags.sync_replicas and aggregate > 0):
        raise argparse.ArgumentTypeError(
            '--replicas_to_aggregate needs --sync_replicas and a positive value')
    for host in ps_hosts + worker_hosts:
        name, _, port = host.rpartition(':')
        if not (name and port.isdigit()):
            raise argparse.ArgumentTypeError('%r is not host:port' % host)
    repeated = sorted({host for host in ps_hosts + worker_hosts
                       if (ps_hosts + worker_hosts).count(host) > 1})
    if repeated:  # two tasks cannot listen on one address: one would wait for ever
        raise argparse.ArgumentTypeError('%s is given to more than one task: each task '
                                         'needs its own host:port' % repeated[0])


def _hosts(text):
    return [host for host in text.split(',') if host]


class Cluster:
    """This process's place in the cluster: its gRPC server and what follows from it."""

    def __init__(self, flags):
        self.spec = tf.train.ClusterSpec({'ps': _hosts(flags.ps_hosts),
                                          'worker': _hosts(flags.worker_hosts)})
        self.job_name, self.task_index = flags.job_name, flags.task_index
        address = self.spec.task_address(self.job_name, self.task_index)
        try:
            self.server = tf.train.Server(self.spec, job_name=self.job_name,
                                          task_index=self.task_index)
        except tf.errors.OpError as error:  # TF's message does not name the address
            raise ClusterError('%s task %d cannot listen on %s (%s): is the port in use?' % (
                self.job_name, self.task_index, address, one_line(error))) from error
        self.num_workers = self.spec.num_tasks('worker')
        self.is_chief = self.job_name == 'worker' and self.task_index == 0
        self.sync_replicas = flags.sync_replicas
        self.timeout = flags.cluster_timeout
        self.replicas_to_aggregate = flags.replicas_to_aggregate or self.num_workers

    def serve_forever(self):
        """A ps task only holds variables: it serves until its process is stopped."""
        print('ps task %d serving %s' % (self.task_index, self.server.target), flush=True)
        self.server.join()

    def device_setter(self):
        """Variables on the ps tasks (round-robin), every other op on this worker."""
        return tf.train.replica_device_setter(
            worker_device='/job:worker/task:%d' % self.task_index, cluster=self.spec)

    def wrap_optimizer(self, optimizer):
        """SyncReplicasOptimizer with --sync_replicas; returns (optimizer, session hooks)."""
        if not self.sync_replicas:
            return optimizer, []
        optimizer = tf.train.SyncReplicasOptimizer(
            optimizer, replicas_to_aggregate=self.replicas_to_aggregate,
            total_num_replicas=self.num_workers, name='sync_replicas')
        return optimizer, [optimizer.make_session_run_hook(self.is_chief)]

    def session_config(self, config):
        """Talk only to the ps tasks and to this worker (not to the other workers)."""
        config.device_filters.extend(['/job:ps', '/job:worker/task:%d' % self.task_index])
        return config

    def wait_for_chief(self, config):
        """Non-chief workers: wait until the chief has initialised or restored the
        variables, checking twice a second. (MonitoredTrainingSession checks too, but
        every 30 s, which can leave a worker idle for a whole short run.)"""
        # Global variables only: local ones (SyncReplicasOptimizer's local step) are each
        # worker's own to initialise.
        not_ready = tf.report_uninitialized_variables(tf.global_variables())
        with tf.Session(self.server.target, config=config) as sess:
            while len(sess.run(not_ready)):
                time.sleep(0.5)

    def session(self, config, checkpoint_dir, saver, max_steps, hooks, chief_only_hooks):
        """A MonitoredTrainingSession: the chief initialises or restores from
        `checkpoint_dir`, the others wait for it; all stop at `max_steps`."""
        _hide_cancelled_queue_runners()
        return tf.train.MonitoredTrainingSession(
            master=self.server.target, is_chief=self.is_chief,
            checkpoint_dir=checkpoint_dir, scaffold=tf.train.Scaffold(saver=saver),
            hooks=[tf.train.StopAtStepHook(last_step=max_steps),
                   StallWatchdogHook(self.timeout, checkpoint_dir or 'the chief\'s model_dir')]
            + hooks,
            chief_only_hooks=chief_only_hooks, config=config,
            save_checkpoint_steps=None, save_checkpoint_secs=None,
            save_summaries_steps=None, save_summaries_secs=None, log_step_count_steps=None,
            stop_grace_period_secs=STOP_GRACE_PERIOD_SECS)


class StallWatchdogHook(tf.train.SessionRunHook):
    """Ends the process with one line when no step has finished for `seconds`. A worker
    whose ps task is gone would wait for ever, silent: the MonitoredSession takes the
    failed step for a preemption and closes its session to make a new one, and that
    close waits on the dead task without end (no op timeout covers it)."""

    def __init__(self, seconds, checkpoint_dir):
        self.seconds, self.checkpoint_dir = seconds, checkpoint_dir
        self.last_step = None
        self.stopped = threading.Event()

    def after_create_session(self, session, coord):
        if self.last_step is None:  # the first session: from here on steps are due
            self.last_step = time.monotonic()
            threading.Thread(target=self._watch, name='stall-watchdog', daemon=True).start()

    def after_run(self, run_context, run_values):
        self.last_step = time.monotonic()

    def end(self, session):
        self.stopped.set()

    def _watch(self):
        while not self.stopped.wait(1.0):
            if time.monotonic() - self.last_step > self.seconds:
                print('error: no training step for %g s (--cluster_timeout): a ps task is '
                      'gone, or another worker; restart all the tasks: training resumes from '
                      'the last checkpoint in %s' % (self.seconds, self.checkpoint_dir),
                      file=sys.stderr, flush=True)
                os._exit(1)  # the main thread is inside TensorFlow, and never returns


# What a worker gets when the tasks it talks to are gone or were restarted.
LOST_CLUSTER_ERRORS = (tf.errors.UnavailableError, tf.errors.AbortedError,
                       tf.errors.DeadlineExceededError)


def lost(error, model_dir):
    """The ClusterError for one of LOST_CLUSTER_ERRORS."""
    return ClusterError('lost the cluster (%s): restart all its tasks; training resumes '
                        'from the last checkpoint in %s' % (one_line(error), model_dir))


def _hide_cancelled_queue_runners():
    """SyncReplicasOptimizer feeds its token queue from a queue-runner thread, which the
    chief's session cancels when training ends; TensorFlow lets that expected
    CancelledError escape the thread as a traceback. Show every other thread error."""
    show = threading.excepthook

    def hook(args):
        if not (issubclass(args.exc_type, tf.errors.CancelledError)
                and args.thread is not None and args.thread.name.startswith('QueueRunner')):
            show(args)
    threading.excepthook = hook
