"""TF 1.x's AsyncCheckpointSaverHook (tensorflow/python/tpu/async_checkpoint.py, TF 1.12-1.15;
also tf.contrib.tpu's): a CheckpointSaverHook that writes each checkpoint on a thread of
its own while training goes on. A plain SessionRunHook, no TPU needed: tensorflow/tpu's
models import it at their top (resnet_main's --use_async_checkpointing). Ported from TF
1.15: a checkpoint still being written when the next is due makes the hook skip that one;
the last step's is written before the session ends."""
import os
import threading
import time

import tensorflow.compat.v1 as tf
from tensorflow.core.util.event_pb2 import SessionLog
from tensorflow.python.framework import meta_graph
from tensorflow.python.training import training_util


class AsyncCheckpointSaverHook(tf.train.CheckpointSaverHook):
    """Saves checkpoints every N steps or seconds, each on a background thread."""

    def __init__(self, checkpoint_dir, save_secs=None, save_steps=None, saver=None,
                 checkpoint_basename='model.ckpt', scaffold=None, listeners=None):
        tf.logging.info('Create AsyncCheckpointSaverHook.')
        if saver is not None and scaffold is not None:
            raise ValueError('You cannot provide both saver and scaffold.')
        self._saver, self._scaffold = saver, scaffold
        self._checkpoint_dir = checkpoint_dir
        self._save_path = os.path.join(checkpoint_dir, checkpoint_basename)
        # SecondOrStepTimer refuses neither or both of save_secs and save_steps.
        self._timer = tf.train.SecondOrStepTimer(every_secs=save_secs, every_steps=save_steps)
        self._listeners = listeners or []
        self._steps_per_run = 1  # CheckpointSaverHook's _set_steps_per_run sets it
        self._summary_writer = self._global_step_tensor = None
        self._save_thread = self._write_graph_thread = None
        self._last_checkpoint_step = None

    def begin(self):
        self._summary_writer = tf.summary.FileWriterCache.get(self._checkpoint_dir)
        self._global_step_tensor = training_util._get_or_create_global_step_read()
        if self._global_step_tensor is None:
            raise RuntimeError('Global step should be created to use CheckpointSaverHook.')
        for listener in self._listeners:
            listener.begin()

    def after_create_session(self, session, coord):
        global_step = session.run(self._global_step_tensor)
        # The graph is final by now (other hooks may add ops in begin): written on a thread
        # too, with the meta graph the summary writer gets.
        graph = tf.get_default_graph()
        graph_def = graph.as_graph_def(add_shapes=True)
        self._write_graph_thread = threading.Thread(target=tf.train.write_graph, args=(
            graph_def, self._checkpoint_dir, 'graph.pbtxt'))
        self._write_graph_thread.start()
        self._summary_writer.add_graph(graph)
        self._summary_writer.add_meta_graph(meta_graph.create_meta_graph_def(
            graph_def=graph_def, saver_def=self._get_saver().saver_def))
        self._save(session, global_step)  # the state at the step training starts from
        self._timer.update_last_triggered_step(global_step)

    def before_run(self, run_context):
        return tf.train.SessionRunArgs(self._global_step_tensor)

    def after_run(self, run_context, run_values):
        global_step = run_context.session.run(self._global_step_tensor)
        if self._timer.should_trigger_for_step(global_step):
            self._timer.update_last_triggered_step(global_step)
            tf.logging.info('Triggering checkpoint. %s', global_step)
            self._save(run_context.session, global_step)

    def end(self, session):
        for thread, what in ((self._save_thread, 'checkpoints'),
                             (self._write_graph_thread, 'write_graph')):
            if thread:
                tf.logging.info('Waiting for any pending %s to finish.', what)
                thread.join()
        last_step = session.run(self._global_step_tensor)
        if self._last_checkpoint_step != last_step:
            self._save(session, last_step, asynchronous=False)
        for listener in self._listeners:
            listener.end(session, last_step)

    def _save(self, session, step, asynchronous=True):
        def save():
            tf.logging.info('Saving checkpoints for %d into %s.', step, self._save_path)
            start = time.time()
            for listener in self._listeners:
                listener.before_save(session, step)
            self._get_saver().save(session, self._save_path, global_step=step)
            self._summary_writer.add_session_log(
                SessionLog(status=SessionLog.CHECKPOINT, checkpoint_path=self._save_path),
                step)
            for listener in self._listeners:
                listener.after_save(session, step)
            tf.logging.info('Checkpoint actual writing time: (%.3f sec)', time.time() - start)
            tf.logging.info('Checkpoint finished for %d into %s.', step, self._save_path)

        if not asynchronous:
            self._last_checkpoint_step = step
            save()
            return
        if self._save_thread is not None:
            self._save_thread.join(timeout=0.1)
            if self._save_thread.is_alive():
                tf.logging.info('Saver thread still in progress, skipping checkpoint.')
                return
        self._last_checkpoint_step = step
        self._save_thread = threading.Thread(target=save)
        self._save_thread.start()

    def _get_saver(self):
        if self._saver is not None:
            return self._saver
        if self._scaffold is not None:
            return self._scaffold.saver
        savers = tf.get_collection(tf.GraphKeys.SAVERS)
        if not savers:
            raise RuntimeError('No items in collection {}. Please add a saver to the '
                               'collection or provide a saver or scaffold.'
                               .format(tf.GraphKeys.SAVERS))
        if len(savers) > 1:
            raise RuntimeError('More than one item in collection {}. Please indicate which '
                               'one to use by passing it to the constructor.'
                               .format(tf.GraphKeys.SAVERS))
        self._saver = savers[0]
        return self._saver
