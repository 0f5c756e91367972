"""The training loop: training steps from a start step to --max_steps, with the periodic
work around them (summaries, FULL_TRACE run metadata, progress lines, checkpoints), then
the test set. It returns what it measured; it reads nothing back from its caller.

TensorBoard gets one run per writer, in eventlog/NAME/{train,validation,test}; what the
validation and test runs hold beyond scalars is written by graphs/tensorboard.py.
"""
import collections
import contextlib
import os
import sys
import time

import numpy as np
import tensorflow.compat.v1 as tf

from graphs import augment, model as model_lib, tensorboard

EVAL_BATCH_SIZE = 1000
TRACE_EVERY = 100  # FULL_TRACE run metadata at steps 99, 199, ... as in the originals

# What the loop trains: the model's tensors, the op of one update (it returns the global
# step after it) and the merged training summaries.
TrainingGraph = collections.namedtuple('TrainingGraph', ['model', 'train_step', 'summaries'])

# What one run of the loop did. steps is the global step it ended at (in a cluster, every
# worker's updates count); local_steps the updates this process made; seconds the wall
# time, evaluation included; images_per_second counts training steps only. The
# accuracies are None where nothing was evaluated (no validation split; not the chief).
Result = collections.namedtuple('Result', [
    'steps', 'local_steps', 'seconds', 'images_per_second', 'validation_accuracy',
    'test_accuracy'])

# A split evaluated: mean cross entropy, accuracy, and the softmax of every image.
Evaluation = collections.namedtuple('Evaluation', ['loss', 'accuracy', 'probabilities'])


@contextlib.contextmanager
def summary_writers(log_dir):
    """One FileWriter per TensorBoard run, closed (flushed) when the run ends or is
    interrupted. After an error they are left as they are: flushing into a disk that has
    just refused a checkpoint would bury the one-line error under TensorFlow's own."""
    writers = {run: tf.summary.FileWriter(os.path.join(log_dir, run)) for run in tensorboard.RUNS}
    failed = False
    try:
        yield writers
    except Exception:
        failed = True
        raise
    finally:
        if not failed:
            for writer in writers.values():
                writer.close()


class TrainingLoop:
    """Runs training steps from a start step to --max_steps.

    sess trains; eval_sess evaluates (the same session alone; in a cluster a plain one,
    as the monitored session refuses to run once its last step asked it to stop).
    writers: the summary writers, or None in a cluster worker other than the chief,
    which only trains: it writes no summaries and evaluates nothing.
    save(step): writes the checkpoints, or None where the session saves them itself
    (a cluster's chief, through its session's hook).

    In a cluster the global step also moves with the other workers' updates, so periodic
    work is done when the step crosses a multiple of its period."""

    def __init__(self, flags, graph, sess, eval_sess, mnist, writers=None, save=None):
        self.flags, self.graph, self.sess, self.eval_sess = flags, graph, sess, eval_sess
        self.mnist, self.writers, self.save = mnist, writers, save
        self.keep_prob = getattr(flags, 'keep_prob', 1.0)
        self.step = 0
        self.local_steps = 0         # updates this process made
        self.train_seconds = 0.0     # time spent in training steps only
        self.last_validation = None
        self.traced = None           # the step of the last FULL_TRACE

    def run(self, start_step):
        """Train, then evaluate on the test set (the chief); returns a Result."""
        self.step = start_step
        started = time.time()
        if self.writers:
            self._mark_start(start_step)
        window_start, window_images = time.time(), 0
        batches = _training_batches(self.mnist.train, self.flags)
        try:
            while self.step < self.flags.max_steps and not self._should_stop():
                previous = self.step
                step_started = time.time()
                self._run_train_step(*next(batches))
                self.train_seconds += time.time() - step_started
                window_images += self.flags.batch_size
                finished = self.step >= self.flags.max_steps
                if finished or _crossed(previous, self.step, self.flags.eval_every):
                    rate = window_images / max(time.time() - window_start, 1e-9)
                    self._report_progress(rate)
                    window_start, window_images = time.time(), 0
                if self.save and (finished or
                                  _crossed(previous, self.step, self.flags.save_every)):
                    self.save(self.step)
        except KeyboardInterrupt:
            if self.save:
                self.save(self.step)
            sys.exit('interrupted at step %d; checkpoint saved, run again to resume' % self.step)
        finally:
            batches.close()
        seconds = time.time() - started

        # In a cluster another worker's update may have been the one that ended the run,
        # after this worker's last: the final step is the shared one, not the last seen here.
        self.step = int(self.eval_sess.run(self.graph.model.global_step))
        test_accuracy = None
        if self.writers:
            test = evaluate(self.eval_sess, self.graph.model, self.mnist.test)
            test_accuracy = test.accuracy
            self.writers['test'].add_summary(_scalars(test), self.step)
            tensorboard.write_test_run(self.writers['test'], self.step, self.eval_sess,
                                       self.graph.model, self.mnist.test, test.probabilities)
        images_per_second = (self.local_steps * self.flags.batch_size / self.train_seconds
                             if self.train_seconds else 0.0)
        return Result(self.step, self.local_steps, seconds, images_per_second,
                      self.last_validation, test_accuracy)

    def _mark_start(self, start_step):
        if start_step == 0:
            self.writers['train'].add_graph(self.sess.graph)
        else:
            # Tells TensorBoard to drop events a crashed run wrote after this step.
            log = tf.SessionLog(status=tf.SessionLog.START)
            for writer in self.writers.values():
                writer.add_session_log(log, start_step)

    def _should_stop(self):
        return getattr(self.sess, 'should_stop', lambda: False)()

    def _run_train_step(self, images, labels):
        feed = model_lib.training_feed(self.graph.model, images, labels, self.keep_prob)
        train_step, summaries = self.graph.train_step, self.graph.summaries
        step = self.step  # the global step before this update, as the originals count
        # (Synchronous replicas can run several updates at one global step: trace once.)
        if self.writers and step % TRACE_EVERY == TRACE_EVERY - 1 and step != self.traced:
            self.traced = step
            options = tf.RunOptions(trace_level=tf.RunOptions.FULL_TRACE)
            metadata = tf.RunMetadata()
            summary, self.step = self.sess.run([summaries, train_step], feed,
                                               options=options, run_metadata=metadata)
            self.writers['train'].add_run_metadata(metadata, 'step%03d' % step, step)
            self.writers['train'].add_summary(summary, step)
        elif self.writers and step % self.flags.summary_every == self.flags.summary_every - 1:
            summary, self.step = self.sess.run([summaries, train_step], feed)
            self.writers['train'].add_summary(summary, step)
        else:
            self.step = self.sess.run(train_step, feed)
        self.step = int(self.step)
        self.local_steps += 1

    def _report_progress(self, images_per_second):
        quality = ''
        if self.writers:
            validation = evaluate(self.eval_sess, self.graph.model, self.mnist.validation)
            if validation.accuracy is None:
                quality = 'no validation split  '
            else:
                writer = self.writers['validation']
                writer.add_summary(_scalars(validation), self.step)
                writer.add_summary(tensorboard.pr_curves(self.mnist.validation.labels,
                                                         validation.probabilities), self.step)
                self.last_validation = validation.accuracy
                quality = 'loss %.4f  validation accuracy %.2f%%  ' % (
                    validation.loss, validation.accuracy * 100)
        remaining = max(self.flags.max_steps - self.step, 0)
        eta = remaining * self.flags.batch_size / max(images_per_second, 1e-9)
        print('step %d/%d  %s%.0f images/s  ETA %s' % (
            self.step, self.flags.max_steps, quality, images_per_second, _duration(eta)),
            flush=True)


def _training_batches(dataset, flags):
    """An iterator of (images, labels) training batches with a close() method: the
    dataset's own, or with --augment, distorted in a background thread (the distortions
    draw from their own generator, seeded by --seed, so a seed still fixes every batch)."""
    if flags.augment:
        rng = np.random.RandomState(flags.seed)
        return augment.DistortedBatches(dataset, flags.batch_size, rng, flags.augment)
    return _PlainBatches(dataset, flags.batch_size)


class _PlainBatches:
    def __init__(self, dataset, batch_size):
        self.dataset, self.batch_size = dataset, batch_size

    def __next__(self):
        return self.dataset.next_batch(self.batch_size)

    def close(self):
        pass


def _crossed(previous, current, every):
    """True when going from step `previous` to `current` passed a multiple of `every`."""
    return current // every > previous // every


def evaluate(sess, model, dataset):
    """An Evaluation of a whole split, in memory-friendly batches; all None for an
    empty split."""
    if dataset.num_examples == 0:
        return Evaluation(None, None, None)
    total_loss = total_correct = 0.0
    probabilities = []
    for start in range(0, dataset.num_examples, EVAL_BATCH_SIZE):
        images = dataset.images[start:start + EVAL_BATCH_SIZE]
        labels = dataset.labels[start:start + EVAL_BATCH_SIZE]
        loss, accuracy, batch_probabilities = sess.run(
            [model.cross_entropy, model.accuracy, model.probabilities],
            {model.images: images, model.labels: labels})
        total_loss += loss * len(images)
        total_correct += accuracy * len(images)
        probabilities.append(batch_probabilities)
    return Evaluation(total_loss / dataset.num_examples,
                      total_correct / dataset.num_examples, np.concatenate(probabilities))


def _scalars(evaluation):
    """Evaluation figures as a Summary, under the tags the training run uses."""
    return tf.Summary(value=[
        tf.Summary.Value(tag=model_lib.LOSS_TAG, simple_value=evaluation.loss),
        tf.Summary.Value(tag=model_lib.ACCURACY_TAG, simple_value=evaluation.accuracy)])


def _duration(seconds):
    seconds = int(round(seconds))
    return '%dm%02ds' % divmod(seconds, 60) if seconds >= 60 else '%ds' % seconds
