"""What the project knows of its seven models without TensorFlow: their names, the test
accuracy each one's default training must reach, and model/NAME/model.json, the record of
how a shipped checkpoint was made (written by graphs/training.py; read by the predict
server, the benchmarks and scripts/model_table.py)."""
import json
import os

# The targets for default flags, on the MNIST test set (10,000 images).
TARGETS = {'regression': 0.925, 'nn': 0.986, 'cnn': 0.996, 'lstm': 0.991, 'cnn_lstm': 0.995,
           'lenet5': 0.995, 'crnn': 0.995}

MODELS = tuple(TARGETS)  # in the order the README and the page list them
ENSEMBLE_TARGET = 0.997  # issue 16: the models combined (choose_ensemble.py)

METADATA_FILE = 'model.json'


def read_metadata(model_dir):
    """model_dir/model.json as a dict; {} when it is absent or unreadable."""
    try:
        with open(os.path.join(model_dir, METADATA_FILE)) as f:
            metadata = json.load(f)
    except (OSError, ValueError):
        return {}
    return metadata if isinstance(metadata, dict) else {}


def write_json_atomically(path, value, **dump_options):
    """`value` as JSON in `path`, replacing it whole: a reader (the predict server, a
    client of model.json) sees the old file or the new one, never half of either."""
    with open(path + '.tmp', 'w') as f:
        json.dump(value, f, indent=2, **dump_options)
        f.write('\n')
    os.replace(path + '.tmp', path)


def is_plain_name(name):
    """Whether `name` can be a model's directory name: one path component, not hidden, so
    that model_root/NAME never reaches outside model_root."""
    return bool(name) and os.path.basename(name) == name and not name.startswith('.')


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
