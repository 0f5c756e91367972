"""Serving models restored through the tensor-name contract alone (latest_checkpoint,
import_meta_graph, get_tensor_by_name): no model-building code is imported. Each model's
variables are frozen into constants and its graph finalised, so a request can only feed
and fetch what is already there. A model runs in bf16 where bench/bf16_inference.py found
it faster and as accurate (graphs/precision.py's SERVING_BF16, --precision auto) and the CPU
has bfloat16 instructions, in fp32 everywhere else. With serving/merged.py, the only
modules of the package that import TensorFlow."""
import contextlib
import glob
import os
import stat
import time

os.environ.setdefault('TF_CPP_MIN_LOG_LEVEL', '2')  # no C++ start-up chatter

import numpy as np
import tensorflow.compat.v1 as tf
from tensorflow.core.framework import types_pb2
from tensorflow.core.protobuf import config_pb2

from graphs import contract, precision, records
from graphs.messages import one_line

tf.get_logger().setLevel('ERROR')  # the v1 API's deprecation notices are not for users

GLOBAL_STEP_VARIABLE = 'global_step'
OUTPUTS = (contract.PROBABILITIES, contract.PREDICTION)


class ModelLoadError(Exception):
    """A model directory that cannot be served; the message says why, in one line.
    `checkpoint`: the prefix its state file names, when it names one."""

    def __init__(self, message, checkpoint=None):
        super().__init__(message)
        self.checkpoint = checkpoint


@contextlib.contextmanager
def explained(what):
    """Re-raise any error inside as ModelLoadError('what (the line that says why)')."""
    try:
        yield
    except Exception as error:
        raise ModelLoadError('%s (%s)' % (what, one_line(error))) from error


class Model:
    """One restored model: its frozen graph (`graph_def`, bf16-rewritten when `precision`
    is bf16), a session on it, a callable that feeds the contract's input and fetches its
    probabilities and prediction, and what model.json says about it. The server answers
    from the merged graph of all its models (serving/merged.py); this session is how a
    model that fails on a blank image is found, and skipped alone, while it loads, and
    what choose_ensemble.py and the benchmarks run a model with."""

    def __init__(self, name, directory, config, precision_name='fp32'):
        if not records.is_model_name(name):  # e.g. `nn (1)`, a file manager's copy
            raise ModelLoadError('%r is not a model name (%s): rename its directory' % (
                name, records.MODEL_NAME_RULE))
        self.name = name
        self.precision = precision_name
        self.checkpoint = checked_checkpoint(directory)
        # Taken before the restore: weights written after it differ from it, and the
        # reloader, which compares it with the file's, loads them in turn.
        self.fingerprint = records.checkpoint_fingerprint(self.checkpoint)
        started = time.time()
        self.graph_def = frozen_graph_def(self.checkpoint)
        if precision_name == 'bf16':
            with explained('cannot rewrite it for bf16'):
                self.graph_def = precision.bf16_graph_def(self.graph_def, output_ops())
        self.graph = tf.Graph()
        with self.graph.as_default():
            tf.import_graph_def(self.graph_def, name='')
        self.session = tf.Session(graph=self.graph, config=config)
        try:
            # The contract's tensors are there: frozen_graph checked them.
            fetches = [self.graph.get_tensor_by_name(tensor) for tensor in OUTPUTS]
            feed = self.graph.get_tensor_by_name(contract.INPUT)
            # What /metadata describes: each contract tensor's dtype and shape.
            self.tensor_specs = {tensor.name: tensor_spec(tensor) for tensor in [feed] + fetches}
            self._run = fast_callable(self.session, feed, fetches)
            self.graph.finalize()  # from here on no request can add an op
            with explained('fails on a blank image'):
                warm_up(self.predict)
        except ModelLoadError:
            self.session.close()
            raise
        self.metadata, self.metadata_problem = records.read_metadata_reporting(
            directory, self.checkpoint)
        self.global_step = self.metadata.get('global_step')
        if self.global_step is None:
            self.global_step = read_global_step(self.checkpoint)
        self.version = checkpoint_version(self.checkpoint)
        self.load_seconds = time.time() - started

    @property
    def test_accuracy(self):
        return self.metadata.get('test_accuracy')

    def accuracy_text(self):
        """Its test accuracy for the log: '99.63%', or 'unknown' and why if model.json
        was there but could not be read."""
        if isinstance(self.test_accuracy, (int, float)):
            return '%.2f%%' % (100 * self.test_accuracy)
        return 'unknown' + (' (%s)' % self.metadata_problem if self.metadata_problem else '')

    def predict(self, images):
        """Probabilities [N, 10] and predicted digits [N] for images [N, 784]."""
        return self._run(images)

    def describe(self):
        return {'name': self.name, 'test_accuracy': self.test_accuracy,
                'global_step': self.global_step, 'version': self.version,
                'checkpoint': os.path.basename(self.checkpoint),
                'trained': self.metadata.get('date'), 'precision': self.precision,
                'load_seconds': round(self.load_seconds, 3)}

    def close(self):
        self.session.close()


def fast_callable(session, feed, fetches):
    """A function of images [N, 784] running `session` once, feeding them to the tensor
    `feed`, returning the values of the tensors `fetches` as a list. TensorFlow's own
    callable (CallableOptions): Session.run, and make_callable with a feed_list, which
    calls it, would parse the feeds and fetches again in Python on every call."""
    run = session._make_callable_from_options(config_pb2.CallableOptions(
        feed=[feed.name], fetch=[tensor.name for tensor in fetches]))
    return lambda images: run(np.asarray(images, np.float32))


def checked_checkpoint(directory):
    """The checkpoint prefix that directory/checkpoint names, once every file a restore
    will open (that one, the prefix's .index, .meta and .data shards, model.json) has been
    found to be a regular file: nothing else is ever opened (a FIFO would block start-up,
    a device never end). ModelLoadError names the file and what is wrong."""
    state_file = os.path.join(directory, 'checkpoint')
    if not os.path.lexists(state_file):
        raise ModelLoadError('no checkpoint in %s' % directory)
    require_regular_file(state_file)
    with explained('unreadable %s' % state_file):
        state = tf.train.get_checkpoint_state(directory)
    if state is None:  # it logs why, and returns None, on a parse error
        raise ModelLoadError('%s is not a checkpoint state file (damaged?)' % state_file)
    prefix = state.model_checkpoint_path  # a relative one already joined to `directory`
    try:
        for suffix in ('.index', '.meta'):
            require_regular_file(prefix + suffix)
        shards = glob.glob(glob.escape(prefix) + '.data-*')
        if not shards:
            raise ModelLoadError('its .data files are missing')
        for shard in shards:
            require_regular_file(shard)
    except ModelLoadError as error:
        raise ModelLoadError('%s names %s, but %s' % (
            state_file, os.path.basename(prefix), error), prefix) from error
    metadata = os.path.join(directory, records.METADATA_FILE)
    if os.path.lexists(metadata):
        require_regular_file(metadata)
    return prefix


def require_regular_file(path):
    """ModelLoadError unless `path` is (a symlink to) a regular file."""
    try:
        mode = os.stat(path).st_mode
    except OSError as error:  # missing, a symlink loop, unreadable directory
        raise ModelLoadError('%s: %s' % (path, error.strerror or error)) from error
    if not stat.S_ISREG(mode):
        kind = ('a FIFO' if stat.S_ISFIFO(mode) else 'a directory' if stat.S_ISDIR(mode)
                else 'a device or socket')
        raise ModelLoadError('%s is %s, not a regular file' % (path, kind))


def output_ops():
    """The names of the ops behind the contract's outputs."""
    return [tensor.split(':')[0] for tensor in OUTPUTS]


def frozen_graph_def(checkpoint):
    """The checkpoint's meta-graph with its variables replaced by their restored values:
    a session then reads weights from constants instead of variables (bench/inference.py
    measures the difference). Only what the contract's outputs need is kept; names are
    unchanged."""
    name = os.path.basename(checkpoint)
    graph = tf.Graph()
    # session_config(), though this session only restores: the process's first session
    # sizes the pool every later session's ops share (below).
    with graph.as_default(), tf.Session(graph=graph, config=session_config()) as session:
        with explained('unreadable meta-graph %s.meta' % name):
            saver = tf.train.import_meta_graph(checkpoint + '.meta', clear_devices=True)
        with explained('cannot restore the weights of %s' % name):
            saver.restore(session, checkpoint)
        with explained('not the tensor-name contract'):
            for tensor in (contract.INPUT,) + OUTPUTS:
                graph.get_tensor_by_name(tensor)
        with explained('cannot freeze the variables of %s' % name):
            return tf.graph_util.convert_variables_to_constants(
                session, graph.as_graph_def(), output_ops())


def warm_up(predict, runs=3):
    """Run a blank image through `predict` a few times: the first run optimises the graph,
    the next ones settle oneDNN's caches."""
    blank = np.zeros((1, contract.IMAGE_PIXELS), np.float32)
    for _ in range(runs):
        predict(blank)


def read_global_step(checkpoint):
    """The global_step variable's value, read from the checkpoint file itself."""
    try:
        return int(tf.train.load_variable(checkpoint, GLOBAL_STEP_VARIABLE))
    except (ValueError, TypeError, tf.errors.OpError):
        return None


def checkpoint_version(checkpoint):
    """The checkpoint's version, as TF Serving numbers them: its global step (the variable,
    else the -STEP a Saver puts in the name); 1 when it has neither."""
    step = read_global_step(checkpoint)
    if step is None:
        step = records.step_in_name(checkpoint)
    return 1 if step is None else step


def tensor_spec(tensor):
    """(dtype as TF Serving names it, e.g. DT_FLOAT; dims, None where any size goes, or
    None for an unknown rank)."""
    dims = None if tensor.shape.rank is None else tensor.shape.as_list()
    return types_pb2.DataType.Name(tensor.dtype.as_datatype_enum), dims


def use_graph_mode():
    """TensorFlow 1.x behaviour for this process. Called by the command, not on import:
    loading works either way (every graph is built inside its own tf.Graph), and
    benchmarks import this module next to eager Keras."""
    tf.disable_v2_behavior()


def session_config():
    """A batch of one image is far too small to share among threads, so each op runs on
    one thread, in the request's own thread (a negative inter-op count means exactly
    that). Concurrent requests therefore run in parallel without queuing on a pool.

    TensorFlow gives every session of a process the same intra-op pool, sized by the
    FIRST session's intra_op_parallelism_threads: the first session of a serving process
    must have this config. Left to its default (a thread per core), that pool's threads
    spun beside the thread running the graph: twice the CPU time for the seven models at
    batch 1 (bench/README.md, "Serving speed")."""
    return tf.ConfigProto(intra_op_parallelism_threads=1, inter_op_parallelism_threads=-1)


def serving_precision(name, requested):
    """(precision, one line saying why) `name` is served in for --precision `requested`."""
    return precision.resolve(
        requested, name in precision.SERVING_BF16,
        gains=precision.SERVING_GAINS if name in records.MODELS else precision.UNMEASURED)


def load_models(model_dir, names, requested='fp32'):
    """Restore each named model, in the precision --precision `requested` gives it (one
    line each says which and why); a missing or broken one is reported in one line and
    skipped. Returns {name: Model} in the order given."""
    config = session_config()
    models = {}
    for name in names:
        directory = os.path.join(model_dir, name)
        chosen, note = serving_precision(name, requested)
        try:
            model = Model(name, directory, config, chosen)
        except ModelLoadError as error:
            print('Skipped %s: %s' % (name, error), flush=True)
            continue
        print('Loaded %-10s step %-7s test accuracy %-8s (%s, %.2f s). %s' % (
            name, model.global_step, model.accuracy_text(), os.path.basename(model.checkpoint),
            model.load_seconds, note), flush=True)
        models[name] = model
    return models
