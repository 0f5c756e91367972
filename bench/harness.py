"""What every benchmark here shares: the quiet-machine gate, thread pinning, interleaved
timing reduced to medians, and the results tables.

A benchmark script does

    flags = harness.parser(__doc__).parse_args()
    report = harness.Report('train_speed', flags)      # waits for a quiet machine
    rates = harness.interleaved({'ours': ..., 'keras': ...}, rounds=flags.rounds)
    report.table('Training throughput', ['model', 'ours', 'keras'], rows)
    report.finish()                                     # bench/results/train_speed.{json,md}

and the Markdown it prints is what bench/README.md quotes.

Figures are only worth something on an otherwise idle machine, so `Report` first waits
for the 1-minute load average to drop below --max_load (or, as that figure can mislead on
a VM, for fewer than --max_busy cores to be busy over 10 s), and then records how many
cores *other* processes used while it measured (from /proc/stat, minus this process and the
children it was told about): a figure taken next to a training job says so itself. Rounds
of `interleaved` during which other processes used more than MAX_OTHERS_CORES are thrown
away and run again.
"""
import argparse
import collections
import contextlib
import datetime
import json
import logging
import math
import os
import platform
import sys
import time

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)  # for `graphs`

# Importing the graphs package also hides TensorFlow's C++ start-up chatter (see
# graphs/__init__.py), before any benchmark imports TensorFlow.
from graphs.records import MODELS  # noqa: E402  (needs ROOT on the path)

RESULTS_DIR = os.path.join(ROOT, 'bench', 'results')
DEFAULT_DATA_DIR = (os.environ.get('MNIST_DATA_DIR')
                    or os.path.join(ROOT, '..', 'shared', 'mnist'))
# Settings of the frameworks' thread pools that change the figures; recorded when set.
ENVIRONMENT = ('OMP_WAIT_POLICY', 'OMP_NUM_THREADS', 'GOMP_SPINCOUNT', 'TF_ENABLE_ONEDNN_OPTS')

# Each session's CPU device gets its own intra-op pool, sized by that session's
# ConfigProto. Without this, every session in the process shares one pool sized by
# whichever session or eager context came first, and `intra_op_parallelism_threads`
# set on a later session changes nothing. (Read once, before the first device exists.)
os.environ['TF_OVERRIDE_GLOBAL_THREADPOOL'] = '1'
logging.getLogger('tensorflow').setLevel(logging.ERROR)  # nor v1 deprecation notices


def child_environment():
    """The environment for processes a benchmark starts (the server, training runs): as
    a user would start them, without the override above."""
    return {name: value for name, value in os.environ.items()
            if name != 'TF_OVERRIDE_GLOBAL_THREADPOOL'}


# ---------------------------------------------------------------------------- flags

def parser(doc, tables=(), checkpoints=False, training_rounds=False, quick=None):
    """The flags every benchmark takes, and the optional ones several share:

    tables           --tables, choosing among these table names (all by default)
    checkpoints      --model_dir, with checkpoints to measure
    training_rounds  --rounds, --round_s, --warmup for trainers timed by `calibrated`
    quick            {flag: value} that --quick sets (the training rounds' are built in)

    Scripts add their own flags to the parser returned."""
    quick = dict(quick or {})
    parser = _Parser(description=doc.split('\n\n')[0],
                     formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    add = parser.add_argument
    add('--quick', action='store_true',
        help='a few tiny rounds: checks that everything runs, figures are noise')
    add('--threads', type=int, default=2,
        help='threads every framework may use (TF intra-op, torch.set_num_threads)')
    add('--max_load', type=float, default=0.7,
        help='measure once the 1-minute load average is below this ...')
    add('--max_busy', type=float, default=0.1,
        help='... or fewer cores than this were busy over 10 s')
    add('--max_wait', type=float, default=2400, help='give up waiting after this many seconds')
    add('--models', type=lambda text: text.split(','), default=list(MODELS),
        help='comma-separated subset of ' + ','.join(MODELS))
    add('--data_dir', default=DEFAULT_DATA_DIR, help='the four MNIST files')
    if tables:
        add('--tables', type=lambda text: text.split(','), default=list(tables),
            help='comma-separated subset of ' + ','.join(tables))
    if checkpoints:
        add('--model_dir', default=os.path.join(ROOT, 'model'),
            help='holds NAME/ checkpoints (missing ones are trained for 50 steps)')
    if training_rounds:
        add('--rounds', type=int, default=7, help='timed rounds per trainer')
        add('--round_s', type=float, default=1.5, help='seconds per round, about')
        add('--warmup', type=int, default=10, help='untimed steps per trainer')
        quick = dict(dict(rounds=2, round_s=0.1, warmup=2), **quick)
    parser.quick_values = quick
    return parser


class _Parser(argparse.ArgumentParser):
    """Applies the script's --quick values after parsing."""

    def parse_args(self, args=None, namespace=None):
        flags = super().parse_args(args, namespace)
        if flags.quick:
            for name, value in self.quick_values.items():
                setattr(flags, name, value)
        return flags


# ---------------------------------------------------------------------------- threads

def pin_tensorflow_threads(threads, inter_op=2):
    """Eager TensorFlow (Keras) gets `threads` intra-op threads. Call before any eager op.
    Graph-mode sessions take theirs from `session_config`."""
    import tensorflow as tf
    tf.config.threading.set_intra_op_parallelism_threads(threads)
    tf.config.threading.set_inter_op_parallelism_threads(inter_op)


def session_config(threads, inter_op=2, **options):
    """A ConfigProto with its own thread pools: without use_per_session_threads every
    session shares an inter-op pool sized by the first one made, and thread settings
    would not vary. inter_op -1 runs every op in the thread calling session.run, which
    TensorFlow does only for sessions *without* use_per_session_threads; such a session
    uses no inter-op pool, so it shares none."""
    import tensorflow.compat.v1 as tf
    return tf.ConfigProto(intra_op_parallelism_threads=threads,
                          inter_op_parallelism_threads=inter_op,
                          use_per_session_threads=inter_op >= 0, **options)


def pin_torch_threads(threads):
    import torch
    torch.set_num_threads(threads)


# ---------------------------------------------------------------------------- timing

# Rounds of `interleaved` during which other processes used more cores than this are
# run again (at most as many times as there are rounds): a job starting next to the
# benchmark must not decide its figures.
MAX_OTHERS_CORES = 0.25
ROUND_LOG = []  # (others' cores, kept) of every round run; Report.finish summarises it


def interleaved(contenders, rounds, children=()):
    """{name: [result of each round]}: calls every contender once per round, in turn, so
    that load from elsewhere and the machine's own drift hit all of them alike. A round
    during which other processes (not this one, nor the pids `children`: servers it
    measures) used over MAX_OTHERS_CORES is discarded and run again, up to `rounds`
    extra times; after that, rounds are kept whatever the load."""
    results = {name: [] for name in contenders}
    retries = rounds
    while len(next(iter(results.values()))) < rounds:
        cpu = CpuAccount()
        for pid in children:
            cpu.watch(pid)
        outcome = {name: run_round() for name, run_round in contenders.items()}
        others = cpu.others_cores()
        keep = others <= MAX_OTHERS_CORES or retries == 0
        ROUND_LOG.append((round(others, 2), keep))
        if keep:
            for name, value in outcome.items():
                results[name].append(value)
        else:
            retries -= 1
    return results


def calibrated(train, items_per_step, warmup_steps, round_s):
    """A round for `interleaved`: items/s over enough steps of `train` to last ~round_s.

    `train(steps)` runs that many steps and returns None, or its own timing in seconds
    when it knows better (Keras fit, which has set-up to leave out). It is warmed up
    first: graph optimisation, tracing and allocators settle in the first steps."""
    train(warmup_steps)
    probe_steps = 3
    steps = max(3, math.ceil(round_s * probe_steps / _train_seconds(train, probe_steps)))

    def run_round():
        return steps * items_per_step / _train_seconds(train, steps)
    return run_round


def _train_seconds(train, steps):
    started = time.perf_counter()
    own_timing = train(steps)
    return own_timing if own_timing is not None else time.perf_counter() - started


def timed(function, *args):
    """Seconds one call of function(*args) takes."""
    started = time.perf_counter()
    function(*args)
    return time.perf_counter() - started


def latencies(function, calls):
    """Seconds of each of `calls` consecutive calls."""
    return [timed(function) for _ in range(calls)]


@contextlib.contextmanager
def patched(module, name, value):
    """module.name is `value` inside the block: to build a graph from graphs/ with a
    proposed change, and measure it, without editing graphs/."""
    original = getattr(module, name)
    setattr(module, name, value)
    try:
        yield
    finally:
        setattr(module, name, original)


def aligned(array, alignment=64):
    """A copy of `array` whose data starts on an `alignment`-byte boundary. TensorFlow
    can feed such an array without copying it (bench/README.md, "Inference through the
    contract")."""
    buffer = np.empty(array.nbytes + alignment, np.uint8)
    offset = (-buffer.ctypes.data) % alignment
    copy = buffer[offset:offset + array.nbytes].view(array.dtype).reshape(array.shape)
    copy[...] = array
    return copy


def median(values):
    return float(np.median(values))


def percentile(values, q):
    return float(np.percentile(values, q))


def ratio(a, b):
    return a / b if b else float('nan')


def op_profile(session, fetches, feeds, calls):
    """(µs, count) per op type, summed over `calls` FULL_TRACE runs of `fetches`, each
    fed feeds() — as TensorBoard's trace shows them, after graph rewrites."""
    import tensorflow.compat.v1 as tf
    options = tf.RunOptions(trace_level=tf.RunOptions.FULL_TRACE)
    micros, counts = collections.Counter(), collections.Counter()
    for _ in range(calls):
        metadata = tf.RunMetadata()
        session.run(fetches, feeds(), options=options, run_metadata=metadata)
        for device in metadata.step_stats.dev_stats:
            for node in device.node_stats:
                kind = _op_type(node.timeline_label) or node.node_name
                micros[kind] += node.all_end_rel_micros
                counts[kind] += 1
    return micros, counts


def _op_type(timeline_label):
    """'name = _MklMatMul(a, b)' → '_MklMatMul'."""
    return timeline_label.split(' = ', 1)[1].split('(', 1)[0] if ' = ' in timeline_label else ''


# ---------------------------------------------------------------------------- load

def load_average():
    """The 1-minute load average."""
    with open('/proc/loadavg') as f:
        return float(f.read().split()[0])


def busy_cores(seconds):
    """Cores the whole machine kept busy over the next `seconds` (this process sleeps)."""
    start = _busy_jiffies()
    time.sleep(seconds)
    return (_busy_jiffies() - start) / os.sysconf('SC_CLK_TCK') / seconds


def wait_for_quiet(max_load, max_busy, max_wait, poll_s=30):
    """Block until the machine is quiet, or max_wait passes; returns (load average,
    busy cores, seconds waited).

    Quiet: a 1-minute load average below max_load, or under max_busy cores busy over a
    10 s sample. The second test is there because the load average can mislead: on the
    2-core VM these figures come from it read 3.4 while /proc/stat had both cores idle."""
    started = time.time()
    while True:
        load, busy = load_average(), busy_cores(10)
        if load < max_load or busy < max_busy or time.time() - started >= max_wait:
            return load, busy, time.time() - started
        print('load average %.2f, %.2f cores busy: waiting %d s ...' % (load, busy, poll_s),
              file=sys.stderr, flush=True)
        time.sleep(poll_s)


class CpuAccount:
    """Cores used by processes other than this one (and the children it is told about)
    between construction and `others_cores()`, from jiffies in /proc."""

    def __init__(self):
        self.children = {}  # pid -> its jiffies when watching began
        self.finished_children = 0  # jiffies of children no longer watched
        self.start_total = _busy_jiffies()
        self.start_own = _process_jiffies('self')
        self.started = time.time()

    def watch(self, pid):
        self.children[pid] = _process_jiffies(pid)

    def unwatch(self, pid):
        """Read a child's CPU time before it goes; call before stopping it."""
        self.finished_children += _process_jiffies(pid) - self.children.pop(pid)

    def others_cores(self):
        own = _process_jiffies('self') - self.start_own + self.finished_children
        own += sum(_process_jiffies(pid) - start for pid, start in self.children.items())
        busy = _busy_jiffies() - self.start_total
        seconds = max(time.time() - self.started, 1e-9)
        return max(busy - own, 0) / os.sysconf('SC_CLK_TCK') / seconds


def _busy_jiffies():
    with open('/proc/stat') as f:
        fields = [int(v) for v in f.readline().split()[1:]]
    idle = fields[3] + fields[4]  # idle + iowait
    return sum(fields[:8]) - idle


def _process_jiffies(pid):
    """utime + stime (+ waited-for children) of a process, threads included."""
    try:
        with open('/proc/%s/stat' % pid) as f:
            fields = f.read().rsplit(')', 1)[1].split()
    except OSError:
        return 0
    return sum(int(v) for v in fields[11:15])


def cpu_seconds(pid):
    """CPU seconds a process (all its threads) has used so far, from /proc."""
    return _process_jiffies(pid) / os.sysconf('SC_CLK_TCK')


# ---------------------------------------------------------------------------- checkpoints

def model_dirs(names, model_dir, data_dir):
    """A directory holding NAME/ with a serving checkpoint for every name, and the names
    that had to be trained for the occasion.

    Each NAME/ links to model_dir/NAME when that holds a checkpoint; the others are
    trained for 50 steps into a temporary directory (`train_NAME.py --max_steps 50`):
    as fast to run as a fully trained one, useless for accuracy."""
    import subprocess
    import tempfile
    import tensorflow.compat.v1 as tf
    parent = tempfile.mkdtemp(prefix='bench-models-')
    tiny = []
    for name in names:
        source = os.path.abspath(os.path.join(model_dir, name))
        if tf.train.latest_checkpoint(source) is None:
            source = os.path.join(parent, 'tiny', name)
            print('No checkpoint in %s/%s: training a 50-step one ...' % (model_dir, name),
                  file=sys.stderr, flush=True)
            subprocess.run([sys.executable, 'train_%s.py' % name, '--data_dir', data_dir,
                            '--model_dir', source, '--log_dir', source + '-log',
                            '--max_steps', '50', '--seed', '0'],
                           cwd=ROOT, check=True, stdout=subprocess.DEVNULL,
                           env=child_environment())
            tiny.append(name)
        os.symlink(source, os.path.join(parent, name))
    return parent, tiny


# ---------------------------------------------------------------------------- results

class Report:
    """Tables of one benchmark run, with the conditions they were measured under.
    Constructing it waits for the machine to be quiet, unless nothing is timed
    (needs_quiet=False) or the run is --quick."""

    def __init__(self, name, flags, needs_quiet=True):
        self.name, self.flags = name, flags
        self.tables = []
        self.raw = {}  # unreduced measurements, saved in the JSON only
        if flags.quick or not needs_quiet:
            self.load_before, self.busy_before, self.waited = load_average(), None, 0.0
        else:
            self.load_before, self.busy_before, self.waited = wait_for_quiet(
                flags.max_load, flags.max_busy, flags.max_wait)
        self.date = datetime.datetime.now().astimezone().isoformat(timespec='seconds')
        self.cpu = CpuAccount()

    def table(self, title, columns, rows, notes=()):
        """rows: lists of cells (str, int or float) in the order of `columns`."""
        self.tables.append({'title': title, 'columns': list(columns),
                            'rows': [list(row) for row in rows], 'notes': list(notes)})

    def finish(self):
        """Write bench/results/NAME.json and NAME.md, and print the Markdown."""
        self.conditions = {
            'command': ' '.join(['python'] + sys.argv),
            'date': self.date,
            'load_average_before': self.load_before,
            'busy_cores_before': self.busy_before,
            'waited_for_quiet_s': round(self.waited),
            'other_processes_cores': round(self.cpu.others_cores(), 2),
            'rounds_kept': sum(keep for _, keep in ROUND_LOG),
            'rounds_discarded_for_load': sum(not keep for _, keep in ROUND_LOG),
            'others_cores_in_kept_rounds_max': max(
                [others for others, keep in ROUND_LOG if keep], default=None),
            'threads': self.flags.threads,
            'quick': self.flags.quick,
            'machine': '%d cores, %s' % (os.cpu_count(), _cpu_model()),
            'versions': _versions(),
            'environment': {name: os.environ[name] for name in ENVIRONMENT
                            if name in os.environ},
        }
        os.makedirs(RESULTS_DIR, exist_ok=True)
        path = os.path.join(RESULTS_DIR, self.name)
        with open(path + '.json', 'w') as f:
            json.dump({'conditions': self.conditions, 'tables': self.tables, 'raw': self.raw},
                      f, indent=2)
            f.write('\n')
        markdown = self.markdown()
        with open(path + '.md', 'w') as f:
            f.write(markdown)
        print(markdown)

    def markdown(self):
        c = self.conditions
        environment = ''.join('; %s=%s' % item for item in c['environment'].items())
        busy = ('' if c['busy_cores_before'] is None
                else ', %.2f cores busy' % c['busy_cores_before'])
        rounds = ('' if not ROUND_LOG else '; %d rounds discarded as other processes used '
                  'over %.2f cores, kept rounds saw at most %.2f' % (
                      c['rounds_discarded_for_load'], MAX_OTHERS_CORES,
                      c['others_cores_in_kept_rounds_max']))
        lines = ['`%s` — %s; before: load average %.2f%s (waited %d s); other processes used '
                 '%.2f cores meanwhile%s; %d threads%s; %s; %s.%s' % (
                     c['command'], c['date'], c['load_average_before'], busy,
                     c['waited_for_quiet_s'], c['other_processes_cores'], rounds,
                     c['threads'], environment, c['machine'],
                     ', '.join('%s %s' % item for item in c['versions'].items()),
                     ' **--quick: smoke test, not a measurement.**' if c['quick'] else ''), '']
        for table in self.tables:
            lines += ['### ' + table['title'], '',
                      '| ' + ' | '.join(_cell(v) for v in table['columns']) + ' |',
                      '|' + '|'.join('---' for _ in table['columns']) + '|']
            lines += ['| ' + ' | '.join(_cell(v) for v in row) + ' |' for row in table['rows']]
            lines += [''] + ['- ' + note for note in table['notes']] + ['']
        return '\n'.join(lines).rstrip() + '\n'


def _cell(value):
    """A table cell as Markdown: large numbers with thousands separators, 3 significant
    digits below 100, pipes escaped."""
    if isinstance(value, str):
        return value.replace('|', '\\|')
    if isinstance(value, float):
        if value != value:
            return '–'
        if abs(value) >= 100:
            return format(round(value), ',')
        return '%.3g' % value if abs(value) < 10 else '%.1f' % value
    return str(value)


def _cpu_model():
    try:
        with open('/proc/cpuinfo') as f:
            return next(line.split(':', 1)[1].strip() for line in f
                        if line.startswith('model name'))
    except (OSError, StopIteration):
        return platform.processor() or 'unknown CPU'


def _versions():
    """Versions of the frameworks this process imported."""
    versions = {'python': platform.python_version()}
    for module in ('tensorflow', 'keras', 'torch', 'numpy'):
        if module in sys.modules:
            versions[module] = sys.modules[module].__version__
    return versions
