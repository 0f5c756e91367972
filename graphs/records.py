"""What the project knows of its seven models without TensorFlow: their names, the test
accuracy each one's default training must reach, and model/NAME/model.json, the record of
how a shipped checkpoint was made (written by graphs/training.py; read by the predict
server, the benchmarks and scripts/model_table.py)."""
import hashlib
import json
import os
import re

# The targets for default flags, on the MNIST test set (10,000 images).
TARGETS = {'regression': 0.925, 'nn': 0.986, 'cnn': 0.996, 'lstm': 0.991, 'cnn_lstm': 0.995,
           'lenet5': 0.995, 'crnn': 0.995}

MODELS = tuple(TARGETS)  # in the order the README and the page list them
ENSEMBLE_TARGET = 0.997  # issue 16: the models combined (choose_ensemble.py)
ENSEMBLE = 'ensemble'    # the server's name for the models combined: no model can take it

# A model's name is its directory model_root/NAME, its root scope when the predict server
# merges every model into one graph, and part of URLs (/v1/models/NAME:predict).
MODEL_NAME = re.compile(r'[A-Za-z0-9][A-Za-z0-9_.-]*\Z')
MODEL_NAME_RULE = ("letters, digits, '_', '.' and '-', beginning with a letter or digit; "
                   "not %r" % ENSEMBLE)

METADATA_FILE = 'model.json'


def read_metadata(model_dir):
    """model_dir/model.json as a dict; {} when it is absent or unreadable."""
    return read_metadata_reporting(model_dir)[0]


def read_metadata_reporting(model_dir, checkpoint=None):
    """(model_dir/model.json as a dict, None), or ({}, one line saying why it could not
    be read, or why it is not the record of `checkpoint`, the prefix to be served). An
    absent file is ({}, None): a model need not have one."""
    path = os.path.join(model_dir, METADATA_FILE)
    try:
        with open(path) as f:
            metadata = json.load(f)
    except FileNotFoundError:
        return {}, None
    except (OSError, ValueError) as error:
        return {}, '%s is unreadable (%s)' % (path, str(error).splitlines()[0])
    if not isinstance(metadata, dict):
        return {}, '%s is unreadable (not a JSON object)' % path
    recorded = metadata.get('checkpoint')
    if checkpoint is not None and recorded not in (None, os.path.basename(checkpoint)):
        # A run stopped before its end: its periodic serving copies replaced the
        # checkpoint, but not the record of the last run that finished.
        return {}, '%s describes %s, not %s (a run that did not finish?)' % (
            path, recorded, os.path.basename(checkpoint))
    return metadata, None


def write_json_atomically(path, value, **dump_options):
    """`value` as JSON in `path`, replacing it whole: a reader (the predict server, a
    client of model.json) sees the old file or the new one, never half of either."""
    with open(path + '.tmp', 'w') as f:
        json.dump(value, f, indent=2, **dump_options)
        f.write('\n')
    os.replace(path + '.tmp', path)


def is_model_name(name):
    """Whether `name` can name a model (MODEL_NAME_RULE): one path component, never hidden,
    so that model_root/NAME never reaches outside model_root; a valid TensorFlow scope."""
    return bool(MODEL_NAME.match(name)) and name != ENSEMBLE


def step_in_name(checkpoint):
    """The -STEP a Saver puts at the end of a checkpoint's name (model.ckpt-STEP), or None."""
    suffix = checkpoint.rsplit('-', 1)[-1]
    return int(suffix) if suffix.isdigit() else None


def checkpoint_fingerprint(checkpoint):
    """A checksum of the checkpoint's .index file (16 hex digits), or None while it cannot
    be read. The index holds a CRC32C of every tensor's bytes (TensorFlow's BundleEntryProto),
    so checkpoints of other weights differ here even under the same name: a model retrained
    to the same step writes model.ckpt-STEP again."""
    try:
        with open(checkpoint + '.index', 'rb') as f:
            return hashlib.sha256(f.read()).hexdigest()[:16]
    except OSError:
        return None


def model_names(model_root):
    """Names of the model_root/NAME/ directories that hold a `checkpoint` entry, sorted.

    Whether that checkpoint can be restored is for the caller to find out (and report):
    a damaged one, a FIFO or a symlink loop under that name is listed, not hidden."""
    try:
        names = os.listdir(model_root)
    except OSError:
        return []
    return sorted(name for name in names
                  if os.path.lexists(os.path.join(model_root, name, 'checkpoint')))
