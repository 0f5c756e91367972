"""Batching concurrent requests, as TF Serving's batching does (its max_batch_size), but
with no batch timeout: a request never waits for others to arrive, only for the run
under way.

One thread at a time runs the models, the leader. A request arriving while none runs
leads: it runs at once, in its own thread (no hand-over: a lone client pays nothing for
batching). Requests arriving meanwhile queue; when the run ends, the leader takes every
queued request for the same set of models, up to max_batch_size images, and runs them
as one batch, until its own request is answered; it then wakes the oldest request still
queued to lead the next batches. So under load each run takes all the images that
arrived during the last one, and a request waits at most for the run under way and its
own. A request of max_batch_size images or more (a TF Serving batch) is a batch of its
own, run at once in its own thread, beside the batches: it never holds up small ones.

A batch's models and images are one call of its group (serving/merged.py): every model
any request in it asked for, on every image; each request gets its own rows of the
models it asked for. A run that fails fails every request of its batch, and nothing
else. Each run that succeeds is reported to `observe(names, size)` (the Prometheus
batch-size histogram): what a session call ran, not what each request sent."""
import threading
import time

import numpy as np


class Request:
    """One caller's images and the models it wants, and, once run, its outcome."""

    def __init__(self, group, names, images):
        self.group, self.names, self.images = group, names, images
        self.woken = threading.Event()  # answered, or this thread leads now
        self.outcome = None  # {name: (probabilities, predictions, seconds)}
        self.error = None

    @property
    def answered(self):
        return self.outcome is not None or self.error is not None

    def answer(self):
        if self.error is not None:
            raise self.error
        return self.outcome


class Batcher:

    def __init__(self, max_batch_size, observe=None):
        self.max_batch_size = max_batch_size
        self.observe = observe or (lambda names, size: None)
        self._lock = threading.Lock()
        self._queued = []  # Requests not taken into a batch yet, oldest first
        self._leading = False  # a thread is running batches

    def run(self, group, names, images):
        """{name: (probabilities [N, 10], predictions [N], seconds)} of `names` for images
        [N, 784], run by `group` (group.run(names, images) → {name: (probabilities,
        predictions)}); seconds is the run's own wall time, shared by every model and
        request in it."""
        request = Request(group, names, images)
        if len(images) >= self.max_batch_size:
            run_batch([request], self.observe)
            return request.answer()
        with self._lock:
            self._queued.append(request)
            leads, self._leading = not self._leading, True
        if not leads:
            request.woken.wait()
            if request.answered:
                return request.answer()
        try:  # this thread leads
            while not request.answered:
                run_batch(self._next_batch(), self.observe)
        finally:
            with self._lock:
                if self._queued:
                    self._queued[0].woken.set()  # leads next
                else:
                    self._leading = False
        return request.answer()

    def _next_batch(self):
        """The oldest queued request and those after it for the same models, within
        max_batch_size images; taken off the queue."""
        with self._lock:
            first = self._queued[0]
            batch, size = [], 0
            for request in self._queued:
                if request.group is first.group and (
                        not batch or size + len(request.images) <= self.max_batch_size):
                    batch.append(request)
                    size += len(request.images)
            self._queued = [request for request in self._queued if request not in batch]
        return batch


def run_batch(batch, observe):
    """Run the requests of `batch` (one group) as one call; answer each, and wake those
    waiting; observe(names, number of images) once it has run."""
    names = list(dict.fromkeys(name for request in batch for name in request.names))
    images = (batch[0].images if len(batch) == 1
              else np.concatenate([request.images for request in batch]))
    started = time.perf_counter()
    try:
        outcomes = batch[0].group.run(names, images)
    except Exception as error:
        for request in batch:
            request.error = error
    else:
        seconds = time.perf_counter() - started
        row = 0
        for request in batch:
            rows = slice(row, row + len(request.images))
            row = rows.stop
            request.outcome = {name: (outcomes[name][0][rows], outcomes[name][1][rows],
                                      seconds) for name in request.names}
        observe(names, len(images))
    for request in batch:
        request.woken.set()
