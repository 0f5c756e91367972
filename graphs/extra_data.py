"""Extra labelled digits beside MNIST, for training (--extra_data) and measuring: IDX files
named like MNIST's own, PREFIX-images-idx3-ubyte and PREFIX-labels-idx1-ubyte, such as
the drawings people correct on the page. The predict server's feedback store
(serving/feedback.py) writes them as feedback-*, with feedback-drawings-idx3-ubyte beside
them: each drawing as it was sent, before normalisation. NumPy and the standard library
only; every problem is an input_data.MnistDataError naming the file.

A set that is being appended to is read up to its committed records: those counted by
the header of every one of its files. The store writes a record's bytes first and the
counts last, so a reader needs no lock and never sees half a record; an interrupted
append leaves at most one record (and part of another) past the counts, which the store
removes when it next opens the set, and which no reader ever takes."""
import collections
import os
import struct

import numpy as np

from graphs.contract import IMAGE_PIXELS, IMAGE_SIZE
from graphs.input_data import (IMAGES_MAGIC, LABELS_MAGIC, MnistDataError, checked_labels,
                               parse_idx)

# kind → (IDX magic number, bytes per record); images and labels make a set, drawings
# (the feedback store's) go with them when present.
KINDS = {'images': (IMAGES_MAGIC, IMAGE_PIXELS), 'drawings': (IMAGES_MAGIC, IMAGE_PIXELS),
         'labels': (LABELS_MAGIC, 1)}
REQUIRED_KINDS = ('images', 'labels')
# One record in HELD_OUT_EVERY (the last of every five, by its place in its set) is held
# out: --extra_data never trains on it, so models fine-tuned on a set can be measured on
# it (bench/feedback_digits.py). By place, so that the records already kept stay on their
# side of the split however many more arrive.
HELD_OUT_EVERY = 5


def file_name(prefix, kind):
    """MNIST's naming: feedback-images-idx3-ubyte, feedback-labels-idx1-ubyte."""
    return '%s-%s-idx%d-ubyte' % (prefix, kind, KINDS[kind][0] & 0xff)


def header_size(kind):
    """Bytes of an IDX header: the magic number and one 4-byte size per dimension."""
    return 4 * (1 + (KINDS[kind][0] & 0xff))


def header(kind, count):
    """The IDX header of `count` records of `kind` (28×28 for images and drawings)."""
    magic = KINDS[kind][0]
    return struct.pack('>%dI' % (1 + (magic & 0xff)), magic, count, *(
        (IMAGE_SIZE, IMAGE_SIZE) if magic == IMAGES_MAGIC else ()))


def read_count(path, kind):
    """The record count in the header of `path`, after checking the header is that of
    `kind` (magic number, 28×28)."""
    try:
        with open(path, 'rb') as f:
            head = f.read(header_size(kind))
    except OSError as error:
        raise MnistDataError('%s: cannot read: %s' % (path, error.strerror or error)) from None
    if len(head) < header_size(kind):
        raise MnistDataError('%s: truncated: %d bytes, shorter than the %d-byte IDX header'
                             % (path, len(head), header_size(kind)))
    parse_idx(path, head, KINDS[kind][0], kind, count=0)  # the header alone
    return struct.unpack('>I', head[4:8])[0]


def committed_count(counts, where):
    """The records every file of a set counts: the least of their header `counts`
    ({path: count}). An interrupted append leaves them at most one apart; further apart,
    the files were not written together (MnistDataError)."""
    least = min(counts.values())
    if max(counts.values()) > least + 1:
        raise MnistDataError('%s: its files announce %s records: not one set (an interrupted '
                             'append leaves them at most one apart)' % (where, ', '.join(
                                 '%d in %s' % (count, os.path.basename(path))
                                 for path, count in sorted(counts.items()))))
    return least


def set_paths(directory, prefix):
    """{kind: path} of the files of set `prefix` in `directory` that exist."""
    paths = {kind: os.path.join(directory, file_name(prefix, kind)) for kind in KINDS}
    return {kind: path for kind, path in paths.items() if os.path.exists(path)}


def read_set(directory, prefix, kinds=REQUIRED_KINDS):
    """{kind: uint8 array} of set `prefix`'s committed records: images and drawings
    [N, 28, 28], labels [N]."""
    paths = set_paths(directory, prefix)
    missing = [file_name(prefix, kind) for kind in REQUIRED_KINDS + tuple(kinds)
               if kind not in paths]
    if missing:
        raise MnistDataError('%s: no %s' % (directory, ' or '.join(sorted(set(missing)))))
    count = committed_count({path: read_count(path, kind) for kind, path in paths.items()},
                            os.path.join(directory, prefix + '-*'))
    arrays = {}
    for kind in kinds:
        size = header_size(kind) + count * KINDS[kind][1]
        with open(paths[kind], 'rb') as f:
            data = f.read(size)
        arrays[kind] = parse_idx(paths[kind], data, KINDS[kind][0], kind, count)
    if 'labels' in arrays:
        checked_labels(paths['labels'], arrays['labels'])
    return arrays


def set_prefixes(directory):
    """The sets in `directory`: prefixes P with both P-images-idx3-ubyte and
    P-labels-idx1-ubyte, sorted."""
    try:
        names = set(os.listdir(directory))
    except OSError as error:
        raise MnistDataError('%s: cannot list: %s' % (directory, error.strerror or error))
    suffix = file_name('', 'images')
    return sorted(name[:-len(suffix)] for name in names if name.endswith(suffix)
                  and file_name(name[:-len(suffix)], 'labels') in names)


class ExtraData(collections.namedtuple('ExtraData', 'images labels held_out')):
    """images uint8 [N, 28, 28], labels uint8 [N], and held_out bool [N]: the records
    --extra_data never trains on (HELD_OUT_EVERY)."""

    def part(self, name):
        """(images, labels) of 'all' the records, the 'train' part or the 'held_out' one."""
        keep = {'all': slice(None), 'train': ~self.held_out, 'held_out': self.held_out}[name]
        return self.images[keep], self.labels[keep]


def read_extra_data(directory, kind='images'):
    """ExtraData of every set in `directory`, in prefix order; the images are the sets'
    `kind` ('drawings': the feedback store's drawings as sent). MnistDataError when it
    holds no set."""
    prefixes = set_prefixes(directory)
    if not prefixes:
        raise MnistDataError('%s: no extra data: expected IDX files named like MNIST\'s, '
                             'e.g. %s and %s' % (directory, file_name('feedback', 'images'),
                                                 file_name('feedback', 'labels')))
    sets = [read_set(directory, prefix, (kind, 'labels')) for prefix in prefixes]
    return ExtraData(
        np.concatenate([arrays[kind] for arrays in sets]),
        np.concatenate([arrays['labels'] for arrays in sets]),
        np.concatenate([np.arange(len(arrays['labels'])) % HELD_OUT_EVERY == HELD_OUT_EVERY - 1
                        for arrays in sets]))
