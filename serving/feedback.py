"""The feedback store: the drawings people label on the page (POST /feedback), kept as a
data set in MNIST's own IDX format in --feedback_dir, named and read by
graphs/extra_data.py (so `train_*.py --extra_data DIR` and any IDX reader take it):

    feedback-images-idx3-ubyte    the 28×28 the models saw, normalised the way MNIST's
                                  digits were, 0..255 (ink high), as MNIST's own files
    feedback-labels-idx1-ubyte    the digit each one really is
    feedback-drawings-idx3-ubyte  the drawing as it was sent, 0..255, before
                                  normalisation: a better normalisation can be tried later

Durable: a record is in all three files whole, or in none of them, wherever the process
is killed (kill -9) or the machine stops. An append writes the record's bytes past the
committed ones in each file and fsyncs them, then raises the three headers' counts and
fsyncs again; the set's records are those all three headers count. Before each append,
and when the server starts, what an interrupted append left past them (at most one
record's bytes, some counts raised) is cut off: that record was never answered as kept.
Committed bytes are never written again, and a set this store could not have left (its
counts further apart, a file missing beside others holding records) is refused, not
repaired.

Appends are serialised by a lock within the process and an flock on the directory between
processes (two servers may share one). The set is capped at max_bytes. The directory and
files are made by the first append: a server that is never sent feedback writes nothing.
TensorFlow-free."""
import contextlib
import fcntl
import os
import struct
import threading

import numpy as np

from graphs.contract import NUM_CLASSES
from graphs.extra_data import (KINDS, committed_count, file_name, header, header_size,
                               read_count, read_set)
from graphs.input_data import MnistDataError

PREFIX = 'feedback'
RECORD_KINDS = ('images', 'drawings', 'labels')
RECORD_BYTES = sum(KINDS[kind][1] for kind in RECORD_KINDS)


def set_bytes(count):
    """The three files' size together when they hold `count` records."""
    return sum(header_size(kind) for kind in RECORD_KINDS) + count * RECORD_BYTES


class StoreError(Exception):
    """The directory holds what this store cannot have left, or cannot be written."""


class StoreFull(Exception):
    """Another record would take the set past its cap."""


class FeedbackStore:

    def __init__(self, directory, max_bytes):
        """Opens the set in `directory` if there is one, cutting off what an interrupted
        append left (`self.recovered` says what, or is None); StoreError when it holds
        something else."""
        self.directory = directory
        self.max_records = max(0, (max_bytes - set_bytes(0)) // RECORD_BYTES)
        self.paths = {kind: os.path.join(directory, file_name(PREFIX, kind))
                      for kind in RECORD_KINDS}
        self._lock = threading.Lock()
        self.recovered = None
        if any(os.path.exists(path) for path in self.paths.values()):
            with self._exclusive(), self._files() as files:
                self.recovered = self._recover(files)[1]

    def append(self, image, drawing, label):
        """Keep one record (image, drawing: uint8 [28, 28]; label 0..9) and return how many
        the set holds now. StoreFull at the cap; StoreError when the disk fails."""
        record = {'images': image.tobytes(), 'drawings': drawing.tobytes(),
                  'labels': bytes([label])}
        with self._exclusive(), self._files() as files:
            count, _ = self._recover(files)
            if count >= self.max_records:
                raise StoreFull('the feedback store is full: it holds %d drawings (%d bytes, '
                                'the cap); no more are kept' % (count, set_bytes(count)))
            for kind, fd in files.items():
                write_at(fd, record[kind], header_size(kind) + count * KINDS[kind][1])
            for fd in files.values():
                os.fsync(fd)
            for fd in files.values():  # the commit: every header counts the record
                write_at(fd, struct.pack('>I', count + 1), 4)
            for fd in files.values():
                os.fsync(fd)
        return count + 1

    def summary(self):
        """{"total": records, "counts": [records of each digit], "max_records": cap} of
        the committed records. Read under the locks: an append raises the three headers'
        counts one after another, and a reader between them, or slow enough to span two
        appends of another process, would see counts that are not one set."""
        if not all(os.path.exists(path) for path in self.paths.values()):
            labels = np.zeros(0, np.uint8)
        else:
            with self._exclusive():
                labels = read_set(self.directory, PREFIX, ('labels',))['labels']
        return {'total': len(labels), 'max_records': self.max_records,
                'counts': np.bincount(labels, minlength=NUM_CLASSES).tolist()}

    # -- under the locks

    @contextlib.contextmanager
    def _exclusive(self):
        """This process's lock, then the directory's flock (released by closing it); an
        OSError or unreadable file within is a StoreError."""
        with self._lock:
            try:
                os.makedirs(self.directory, exist_ok=True)
                directory = os.open(self.directory, os.O_RDONLY)
                try:
                    fcntl.flock(directory, fcntl.LOCK_EX)
                    yield
                finally:
                    os.close(directory)
            except MnistDataError as error:
                raise StoreError(str(error)) from None
            except OSError as error:
                raise StoreError('feedback store %s: %s' % (
                    self.directory, error.strerror or error)) from None

    @contextlib.contextmanager
    def _files(self):
        """{kind: fd} of the three files, made empty when absent, if that loses nothing:
        a file missing beside others that count records is refused."""
        absent = [kind for kind, path in self.paths.items() if not os.path.exists(path)]
        if absent:
            holding = [path for kind, path in self.paths.items()
                       if kind not in absent and read_count(path, kind) > 0]
            if holding:
                raise StoreError('%s is missing beside %s, which holds drawings; put it back '
                                 '(nothing is written meanwhile)' % (self.paths[absent[0]],
                                                                     holding[0]))
            for kind in absent:
                create_file(self.paths[kind], header(kind, 0))
            sync_directory(self.directory)
        files = {kind: os.open(path, os.O_RDWR) for kind, path in self.paths.items()}
        try:
            yield files
        finally:
            for fd in files.values():
                os.close(fd)

    def _recover(self, files):
        """(committed records, what was cut off or None): the bytes and counts an
        interrupted append left past the committed records are removed."""
        counts = {kind: read_count(self.paths[kind], kind) for kind in RECORD_KINDS}
        count = committed_count({self.paths[kind]: counts[kind] for kind in counts},
                                os.path.join(self.directory, PREFIX + '-*'))
        cut = 0
        for kind, fd in files.items():
            committed = header_size(kind) + count * KINDS[kind][1]
            length = os.fstat(fd).st_size
            if not committed <= length <= committed + KINDS[kind][1]:
                raise StoreError('%s: %d bytes where its %d records take %d: not left by an '
                                 'interrupted append; move the set aside' % (
                                     self.paths[kind], length, count, committed))
            if length > committed:
                os.ftruncate(fd, committed)
                cut += length - committed
            if counts[kind] != count:
                write_at(fd, struct.pack('>I', count), 4)
        if not cut and len(set(counts.values())) == 1:
            return count, None
        for fd in files.values():
            os.fsync(fd)
        return count, 'cut off an unfinished record (%d bytes) past the %d kept' % (cut, count)


def write_at(fd, data, offset):
    """All of `data` at `offset` (a write may take only part of it)."""
    view = memoryview(data)
    while view:
        written = os.pwrite(fd, view, offset)
        view, offset = view[written:], offset + written


def create_file(path, data):
    """A new file holding `data`, whole or not at all: written under a temporary name,
    then linked to `path`, which it never replaces."""
    temporary = os.path.join(os.path.dirname(path), '.%s.new' % os.path.basename(path))
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    try:
        write_at(fd, data, 0)
        os.fsync(fd)
    finally:
        os.close(fd)
    try:
        os.link(temporary, path)
    finally:
        os.remove(temporary)


def sync_directory(directory):
    """Make the directory's new names durable too."""
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def to_bytes(image):
    """A float image in 0..1 as uint8 0..255, MNIST's pixel format."""
    return np.round(np.clip(image, 0, 1) * 255).astype(np.uint8)
