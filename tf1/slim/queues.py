"""slim.queues: a context that runs the graph's queue runners, as TF 1.x's
tensorflow/contrib/slim/python/slim/queues.py did (for evaluating or predicting outside
slim.learning.train's Supervisor, which starts them itself)."""
import contextlib
import threading

import tensorflow.compat.v1 as tf

__all__ = ['NestedQueueRunnerError', 'QueueRunners']

# One QueueRunners context at a time in the process, as in TF 1.x.
_queue_runner_lock = threading.Lock()


class NestedQueueRunnerError(Exception):
    pass


@contextlib.contextmanager
def QueueRunners(session):
    """Starts every QUEUE_RUNNERS runner of the default graph in `session`; on leaving,
    asks them to stop and waits for them (closing the session if they do not stop)."""
    if not _queue_runner_lock.acquire(False):
        raise NestedQueueRunnerError('QueueRunners cannot be nested')
    coord = tf.train.Coordinator()
    threads = []
    for runner in tf.get_collection(tf.GraphKeys.QUEUE_RUNNERS):
        threads.extend(runner.create_threads(session, coord=coord, daemon=True, start=True))
    try:
        yield
    finally:
        coord.request_stop()
        try:
            coord.join(threads, stop_grace_period_secs=120)
        except RuntimeError:
            session.close()
        _queue_runner_lock.release()
