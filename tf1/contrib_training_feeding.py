"""contrib.training's FeedingQueueRunner (TF 1.x's estimator/inputs/queues): a QueueRunner
whose threads run their enqueue op with a feed_dict that a Python function makes each
time, so that NumPy arrays, pandas frames or any generator fill a queue in the background.

Ported from TF 1.15: a feed function that raises OutOfRangeError (its data is spent) closes
the queue as a closed queue does, once every thread is done (so does any of
`queue_closed_exception_types`, as TF 2.x's QueueRunner has it; TF 1.15 fixed those two);
any other error stops the Coordinator, or is kept in `exceptions_raised` without one."""
import threading

import tensorflow.compat.v1 as tf
from tensorflow.python.platform import tf_logging as logging


class FeedingQueueRunner(tf.train.QueueRunner):
    """A QueueRunner that feeds each enqueue op what its feed function returns."""

    def __init__(self, queue=None, enqueue_ops=None, close_op=None, cancel_op=None,
                 feed_fns=None, queue_closed_exception_types=None):
        super().__init__(queue, enqueue_ops, close_op, cancel_op,
                         queue_closed_exception_types=queue_closed_exception_types or (
                             tf.errors.OutOfRangeError, tf.errors.CancelledError))
        if feed_fns is None:
            feed_fns = [None] * len(self._enqueue_ops)
        elif len(feed_fns) != len(self._enqueue_ops):
            raise ValueError('If feed_fns is not None, it must have the same length as '
                             'enqueue_ops.')
        self._feed_fns = list(feed_fns)

    def create_threads(self, sess, coord=None, daemon=False, start=False):
        """One thread per enqueue op (none if this session's are still running), and one
        that cancels the queue when `coord` asks to stop."""
        with self._lock:
            if self._runs_per_session.get(sess, 0) > 0:
                return []
            self._runs_per_session[sess] = len(self._enqueue_ops)
            self._exceptions_raised = []
        threads = [threading.Thread(target=self._feed, args=(sess, op, feed_fn, coord),
                                    name='FeedingQueueRunnerThread-%s-%s' % (self.name, op.name))
                   for op, feed_fn in zip(self._enqueue_ops, self._feed_fns)]
        if coord:
            threads.append(threading.Thread(target=self._close_on_stop,
                                            args=(sess, self._cancel_op, coord)))
        for thread in threads:
            if coord:
                coord.register_thread(thread)
            if daemon:
                thread.daemon = True
            if start:
                thread.start()
        return threads

    def _feed(self, sess, enqueue_op, feed_fn, coord):
        """Run `enqueue_op` fed by `feed_fn` until the queue closes or `coord` stops; the
        last thread to see the queue closed closes it for the readers."""
        finished = False
        try:
            while not (coord and coord.should_stop()):
                try:
                    sess.run(enqueue_op, feed_dict=None if feed_fn is None else feed_fn())
                except self._queue_closed_exception_types:
                    finished = True
                    self._thread_done(sess, close_queue=True)
                    return
        except Exception as error:  # the feed function's or the session's: reported
            if coord:
                coord.request_stop(error)
            else:
                logging.error('Exception in QueueRunner: %s', error)
                with self._lock:
                    self._exceptions_raised.append(error)
                raise
        finally:
            if not finished:
                self._thread_done(sess, close_queue=False)

    def _thread_done(self, sess, close_queue):
        with self._lock:
            self._runs_per_session[sess] -= 1
            if close_queue and self._runs_per_session[sess] == 0:
                try:
                    sess.run(self._close_op)
                except Exception as error:  # a closed session: nothing left to close
                    logging.vlog(1, 'Ignored exception: %s', error)

    def _init_from_proto(self, queue_runner_def, import_scope=None):
        raise NotImplementedError('%s does not support initialization from proto.'
                                  % type(self).__name__)

    def to_proto(self, export_scope=None):
        raise NotImplementedError('%s does not support serialization to proto.'
                                  % type(self).__name__)


_FeedingQueueRunner = FeedingQueueRunner  # its name in tensorflow.python.estimator.inputs
