"""Make the event logs small enough to ship in git: every run's event files under
eventlog/ rewritten, in place, as one event file per run that holds every record of
the old ones but the per-step values thinned away, so that all of eventlog/ fits the
budget.

    python scripts/ship_eventlog.py [eventlog] [--budget_mb 25] [--check]

Kept whole: every scalar, the graph, text, hparams, session logs, and every file beside
the event files (the projector's checkpoint, metadata, sprite and config). Thinned, tag
by tag, to evenly spaced steps, the first and the last among them: histograms, images,
audio and PR curves to at most as many steps as TensorBoard shows of them by default
(more would only be sampled away) and fewer if the budget needs; FULL_TRACE run
metadata to at most RUN_METADATA_STEPS steps per run. The budget counts every file
under eventlog/, as a clone has them on disk.

A run is replaced only once every run has been read and every new file written: a
damaged event file anywhere is one line on stderr and leaves every file as it was.
Running it again on what it wrote changes nothing. --check changes nothing either: it
reports, and exits 1 when the logs are not ready to ship.
"""
import argparse
import collections
import filecmp
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from graphs.messages import one_line  # noqa: E402  (also quiets TensorFlow's C++ logs)

import tensorflow.compat.v1 as tf  # noqa: E402
from google.protobuf.message import DecodeError  # noqa: E402
from tensorboard.backend.event_processing import data_ingester  # noqa: E402

tf.get_logger().setLevel('ERROR')  # the v1 record iterator's deprecation notice

EVENT_FILE_PREFIX = 'events.out.tfevents.'
TEMP_NAME = '.ship_eventlog.tmp'  # no 'tfevents' in it: TensorBoard never reads it
MB = 1e6
# How many steps of each thinned kind TensorBoard keeps per tag unless told otherwise.
SHOWN_STEPS = {kind: steps for kind, steps
               in data_ingester.DEFAULT_TENSOR_SIZE_GUIDANCE.items() if kind != 'scalars'}
RUN_METADATA = 'run_metadata'
RUN_METADATA_STEPS = 3   # a few traces: the Graphs tab colours nodes by one at a time
# Traces of the large RNN graphs are megabytes each: more than one is kept only while
# every thinned tag still keeps this many steps.
USEFUL_STEPS = 10
MIN_STEPS = 2            # the first and the last step of every thinned tag


class ShipError(Exception):
    """What stops the logs from being shipped; nothing has been changed."""


# ---------------------------------------------------------------------------- reading

# One event as read, with what its size would be for any choice of values kept.
# series: the thinned series the whole event belongs to (a trace), else None;
# values: (series or None, bytes of the value in the summary) per summary value.
Record = collections.namedtuple('Record', ['event', 'series', 'values', 'base_bytes'])


class Run:
    """One directory of event files: its records in the order TensorBoard reads them."""

    def __init__(self, path, names):
        self.path, self.names = path, names
        self.records, self.steps = [], collections.defaultdict(set)
        self.first_metadata = {}  # tag -> the SummaryMetadata that says its plugin
        kinds = {}                # tag -> plugin, from the first value that names it
        for name in names:
            for event in _read_events(os.path.join(path, name)):
                if event.HasField('file_version') and self.records:
                    continue  # one version record heads the merged file
                self.records.append(self._record(event, kinds))

    def _record(self, event, kinds):
        base_bytes = event.ByteSize()
        if event.HasField('tagged_run_metadata'):
            series = (self.path, RUN_METADATA)
            self.steps[series].add(event.step)
            return Record(event, series, [], base_bytes)
        values = []
        if event.summary.value:
            base_bytes -= _field_bytes(event.summary.ByteSize())
            for value in event.summary.value:
                plugin = value.metadata.plugin_data.plugin_name
                if plugin and value.tag not in kinds:
                    kinds[value.tag] = plugin
                    self.first_metadata[value.tag] = value.metadata
                kind = _kind(value, kinds)
                series = (self.path, kind, value.tag) if kind in SHOWN_STEPS else None
                if series:
                    self.steps[series].add(event.step)
                values.append((series, _field_bytes(value.ByteSize())))
        return Record(event, None, values, base_bytes)

    def kept_events(self, kept):
        """The run's events with what `kept` (series -> steps) leaves of them. A thinned
        tensor summary keeps its plugin's metadata on its first value kept."""
        given_metadata = set()
        for record in self.records:
            event = record.event
            if record.series:
                if event.step in kept[record.series]:
                    yield event
                continue
            if not record.values:
                yield event
                continue
            values = [value for value, (series, _) in zip(event.summary.value, record.values)
                      if series is None or event.step in kept[series]]
            if not values:
                continue
            if len(values) < len(record.values):
                event = tf.Event.FromString(event.SerializeToString())
                del event.summary.value[:]
                event.summary.value.extend(values)
            for value in event.summary.value:
                if value.tag in given_metadata or value.tag not in self.first_metadata:
                    continue
                given_metadata.add(value.tag)
                if not value.HasField('metadata'):
                    value.metadata.CopyFrom(self.first_metadata[value.tag])
            yield event

    def bytes_kept(self, kept):
        """The size of the run's event file with what `kept` leaves of it."""
        total = 0
        for record in self.records:
            if record.series:
                total += _record_bytes(record.base_bytes) * (
                    record.event.step in kept[record.series])
            elif not record.values:
                total += _record_bytes(record.base_bytes)
            else:
                summary = sum(size for series, size in record.values
                              if series is None or record.event.step in kept[series])
                if summary:
                    total += _record_bytes(record.base_bytes + _field_bytes(summary))
        return total


def _read_events(path):
    try:
        for data in tf.io.tf_record_iterator(path):
            yield tf.Event.FromString(data)
    except (tf.errors.OpError, OSError, DecodeError) as error:
        raise ShipError('%s: damaged event file (%s)' % (path, one_line(error))) from None


def _kind(value, kinds):
    """The plugin that shows a summary value: the v1 fields say it, tensors' metadata."""
    field = value.WhichOneof('value')
    if field == 'simple_value':
        return 'scalars'
    if field in ('histo', 'image', 'audio'):
        return {'histo': 'histograms', 'image': 'images', 'audio': 'audio'}[field]
    return kinds.get(value.tag, field)


def _varint_bytes(number):
    return max(1, (number.bit_length() + 6) // 7)


def _field_bytes(length):
    """A length-delimited protobuf field of `length` bytes with a one-byte key."""
    return 1 + _varint_bytes(length) + length


def _record_bytes(length):
    """A TFRecord of `length` bytes: its length and two CRCs around it."""
    return 8 + 4 + length + 4


def find_runs(log_root):
    """Every directory under log_root that holds event files, with their names in the
    order TensorBoard reads them; and the total size of the other files."""
    runs, other_bytes = [], 0
    for path, directories, names in os.walk(log_root):
        directories.sort()
        events = sorted(name for name in names if name.startswith(EVENT_FILE_PREFIX))
        other_bytes += sum(os.path.getsize(os.path.join(path, name)) for name in names
                           if name not in events and name != TEMP_NAME)
        if events:
            runs.append(Run(path, events))
    return runs, other_bytes


# ---------------------------------------------------------------------------- thinning

def evenly_spaced(steps, count):
    """`count` of the sorted `steps`, evenly spaced, the first and the last among them
    (one: the last); all of them when there are no more."""
    if count >= len(steps):
        return set(steps)
    if count == 1:
        return {steps[-1]}
    return {steps[round(i * (len(steps) - 1) / (count - 1))] for i in range(count)}


def kept_steps(runs, per_tag, traces):
    """series -> the steps kept: at most `per_tag` per thinned tag (and no more than
    TensorBoard shows of its kind), `traces` per run's run metadata."""
    kept = {}
    for run in runs:
        for series, steps in run.steps.items():
            kind = series[1]
            limit = traces if kind == RUN_METADATA else min(per_tag, SHOWN_STEPS[kind])
            kept[series] = evenly_spaced(sorted(steps), limit)
    return kept


def plan(runs, other_bytes, budget):
    """The steps to keep of each series (kept_steps) for all to fit `budget` bytes: the
    most traces (up to RUN_METADATA_STEPS) that leave every thinned tag USEFUL_STEPS,
    else one, and then the most steps per tag."""
    most = max([len(steps) for run in runs for steps in run.steps.values()] + [MIN_STEPS])

    def total(per_tag, traces):
        kept = kept_steps(runs, per_tag, traces)
        return other_bytes + sum(run.bytes_kept(kept) for run in runs)

    for traces in range(RUN_METADATA_STEPS, 0, -1):
        if total(MIN_STEPS, traces) > budget:
            continue
        low, high = MIN_STEPS, most  # total(low) fits; find the most that does
        while low < high:
            middle = (low + high + 1) // 2
            low, high = (middle, high) if total(middle, traces) <= budget else (low, middle - 1)
        if low >= min(USEFUL_STEPS, most) or traces == 1:
            return kept_steps(runs, low, traces)
    raise ShipError('the event logs cannot fit %.1f MB even with %d steps per thinned tag '
                    'and one trace per run: %.1f MB are files beside the event files'
                    % (budget / MB, MIN_STEPS, other_bytes / MB))


# ---------------------------------------------------------------------------- writing

def write_temporary(run, kept):
    """The run's new event file, beside the old ones under TEMP_NAME; its path."""
    path = os.path.join(run.path, TEMP_NAME)
    with tf.io.TFRecordWriter(path) as writer:
        for event in run.kept_events(kept):
            writer.write(event.SerializeToString())
    with open(path, 'rb+') as f:
        os.fsync(f.fileno())
    return path


def unchanged(run, temporary):
    return len(run.names) == 1 and filecmp.cmp(
        temporary, os.path.join(run.path, run.names[0]), shallow=False)


def replace(run, temporary):
    """The new file takes the place (and name) of the first old one; the others go."""
    os.replace(temporary, os.path.join(run.path, run.names[0]))
    for name in run.names[1:]:
        os.remove(os.path.join(run.path, name))


def directory_bytes(log_root):
    """Bytes of every file under log_root, per top-level entry ('.' for files in it)."""
    sizes = collections.Counter()
    for path, _, names in os.walk(log_root):
        top = os.path.relpath(path, log_root).split(os.sep)[0]
        sizes[top] += sum(os.path.getsize(os.path.join(path, name)) for name in names
                          if name != TEMP_NAME)
    return sizes


def ship(log_root, budget, check=False):
    """Thin and rewrite the runs under log_root (or with check, only say what would
    change); returns the lines of the report and whether anything (would have) changed."""
    if not os.path.isdir(log_root):
        raise ShipError('%s: no such directory' % log_root)
    try:
        before = directory_bytes(log_root)
        runs, other_bytes = find_runs(log_root)
    except OSError as error:
        raise ShipError(one_line(error)) from None
    kept = plan(runs, other_bytes, budget)
    temporaries = []
    try:
        try:
            for run in runs:
                temporaries.append(write_temporary(run, kept))
            changed = [(run, temporary) for run, temporary in zip(runs, temporaries)
                       if not unchanged(run, temporary)]
            after_total = other_bytes + sum(os.path.getsize(t) for t in temporaries)
        except OSError as error:
            raise ShipError(one_line(error)) from None
        if after_total > budget:
            raise ShipError('the rewritten event logs take %.2f MB, over the budget of '
                            '%.2f MB' % (after_total / MB, budget / MB))
        if not check:
            for run, temporary in changed:
                replace(run, temporary)
    finally:
        for temporary in temporaries:
            if os.path.exists(temporary):
                os.remove(temporary)
    after = directory_bytes(log_root) if not check else None
    lines = ['%-24s %8.2f MB%s' % (os.path.join(log_root, top), before[top] / MB,
                                   '' if after is None else ' -> %.2f MB' % (after[top] / MB))
             for top in sorted(before) if top != '.' or before[top]]
    verb = 'would change' if check else 'changed'
    lines.append('%-24s %8.2f MB -> %.2f MB (budget %.2f MB); %d of %d runs %s' % (
        'total', sum(before.values()) / MB, after_total / MB, budget / MB, len(changed),
        len(runs), verb))
    lines.append('kept: every scalar, the graph, text, hparams and the files beside the '
                 'event files; at most, per tag: ' + ', '.join(
                     '%d step%s of %s' % (steps, 's'[:steps > 1],
                                          kind.replace(RUN_METADATA, 'run metadata'))
                     for kind, steps in sorted(most_kept(kept).items())))
    return lines, bool(changed)


def most_kept(kept):
    """kind -> the most steps kept of one of its series."""
    most = collections.Counter()
    for series, steps in kept.items():
        most[series[1]] = max(most[series[1]], len(steps))
    return most


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('log_root', nargs='?', default='eventlog',
                        help='the directory of every model\'s event logs')
    parser.add_argument('--budget_mb', type=float, default=25.0,
                        help='the most all of log_root may take, in MB (10^6 bytes)')
    parser.add_argument('--check', action='store_true',
                        help='change nothing; exit 1 if the logs are not ready to ship')
    flags = parser.parse_args()
    try:
        lines, changed = ship(flags.log_root, flags.budget_mb * MB, flags.check)
    except ShipError as error:
        sys.exit('ship_eventlog: %s; nothing was changed' % error)
    print('\n'.join(lines))
    if flags.check and changed:
        sys.exit('ship_eventlog: %s is not ready to ship: run scripts/ship_eventlog.py %s'
                 % (flags.log_root, flags.log_root))


if __name__ == '__main__':
    main()
