"""python -m tf1.checkpoint_convert SOURCE TARGET [--dry_run]

Renames the recurrent-cell variables of a checkpoint written by TF 0.x or TF 1.0/1.1 to
the names TF 1.2 and later (and tf1/rnn_cell) give them, so that code building the same
model today restores it:

    rnnlm/MultiRNNCell/Cell0/BasicLSTMCell/Linear/Matrix    (TF 0.x)
    rnnlm/multi_rnn_cell/cell_0/basic_lstm_cell/weights     (TF 1.0, 1.1)
    rnnlm/multi_rnn_cell/cell_0/basic_lstm_cell/kernel      (TF 1.2 and later)

TF 1.x shipped a tool for the second step only (contrib/rnn/python/tools/
checkpoint_convert.py); this one does both, and renames the loops' default scopes of TF
0.x (`RNN/`, `BiRNN/FW/`) where a cell follows them. The weights are the same arrays in
the same gate order in every version: only the names move. Optimizer slots move with
their variable (`.../Matrix/Adam` -> `.../kernel/Adam`); every other variable is copied
as it is. SOURCE: a checkpoint prefix, one of its files or its directory, V1 or V2.
TARGET: a V2 checkpoint prefix; its directory's `checkpoint` file is pointed at it.
"""
import argparse
import os
import re
import sys

# Before TensorFlow is imported (see tf1/__main__.py).
os.environ.setdefault('TF_CPP_MIN_LOG_LEVEL', '2')

CELLS = ('basic_lstm_cell', 'lstm_cell', 'gru_cell', 'basic_rnn_cell', 'multi_rnn_cell')
_BEFORE_A_CELL = r'(?=(?:%s)/)' % '|'.join(CELLS)

# (pattern, replacement), applied in this order to every variable name. Components are
# matched whole: a pattern starts at the name's start or after a '/'. In a replacement,
# {lower} is the pattern's first group in lower case.
RENAMES = [
    # TF 0.x: cells scoped by their class name, their weights made by rnn_cell._linear.
    (r'MultiRNNCell/Cell(\d+)/', r'multi_rnn_cell/cell_\2/'),
    (r'BasicLSTMCell/Linear/Matrix(?=/|$)', 'basic_lstm_cell/kernel'),
    (r'BasicLSTMCell/Linear/Bias(?=/|$)', 'basic_lstm_cell/bias'),
    (r'BasicRNNCell/Linear/Matrix(?=/|$)', 'basic_rnn_cell/kernel'),
    (r'BasicRNNCell/Linear/Bias(?=/|$)', 'basic_rnn_cell/bias'),
    (r'GRUCell/(Gates|Candidate)/Linear/Matrix(?=/|$)', 'gru_cell/{lower}/kernel'),
    (r'GRUCell/(Gates|Candidate)/Linear/Bias(?=/|$)', 'gru_cell/{lower}/bias'),
    (r'LSTMCell/W_(\d+)(?=/|$)', r'lstm_cell/kernel/part_\2'),  # W_0 alone: new_name
    (r'LSTMCell/B(?=/|$)', 'lstm_cell/bias'),
    (r'LSTMCell/W_([FIO])_diag(?=/|$)', 'lstm_cell/w_{lower}_diag'),
    (r'LSTMCell/W_P_0(?=/|$)', 'lstm_cell/projection/kernel'),
    # TF 0.x's loops: rnn()/dynamic_rnn() in RNN/, bidirectional_rnn() in BiRNN/FW, BW.
    (r'RNN/' + _BEFORE_A_CELL, 'rnn/'),
    (r'BiRNN(?:/|_)FW/' + _BEFORE_A_CELL, 'bidirectional_rnn/fw/'),
    (r'BiRNN(?:/|_)BW/' + _BEFORE_A_CELL, 'bidirectional_rnn/bw/'),
    # TF 1.0 and 1.1: _linear's weights and biases, renamed kernel and bias in TF 1.2.
    (r'((?:%s)(?:/gates|/candidate|/projection)?)/weights(?=/|$)' % '|'.join(CELLS[:4]),
     r'\2/kernel'),
    (r'((?:%s)(?:/gates|/candidate|/projection)?)/biases(?=/|$)' % '|'.join(CELLS[:4]),
     r'\2/bias'),
]


def _compiled(pattern, replacement):
    """(the pattern anchored at a component's start, its re.sub replacement)."""
    if '{lower}' in replacement:
        def replace(match):
            return match.group(1) + replacement.format(lower=match.group(2).lower())
        return re.compile(r'(^|/)' + pattern), replace
    return re.compile(r'(^|/)' + pattern), r'\1' + replacement


RENAMES = [_compiled(pattern, replacement) for pattern, replacement in RENAMES]


# A TF 0.x LSTMCell's weight in one piece (num_unit_shards=1) is W_0, with no W_1.
_LSTM_WEIGHT_0 = re.compile(r'(^|/)LSTMCell/W_0(?=/|$)')


def new_name(name, names):
    """`name` as TF 1.2+ names it; `names` (all the checkpoint's) tells a sharded TF 0.x
    LSTMCell weight (W_0, W_1 ...: kernel/part_0, part_1 ...) from a whole one."""
    if _LSTM_WEIGHT_0.sub(r'\1LSTMCell/W_1', name) not in names:
        name = _LSTM_WEIGHT_0.sub(r'\1lstm_cell/kernel', name)
    for pattern, replacement in RENAMES:
        name = pattern.sub(replacement, name)
    return name


def renamed(names):
    """{old name: new name} for every name; ValueError if two would share a new name."""
    mapping = {name: new_name(name, names) for name in names}
    taken = {}
    for old, new in sorted(mapping.items()):
        if new in taken:
            raise ValueError('%s and %s would both be named %s' % (taken[new], old, new))
        taken[new] = old
    return mapping


def convert(source, target, dry_run=False):
    """Writes SOURCE's variables, renamed, to TARGET (not when `dry_run`); returns
    {old name: new name} of those renamed."""
    import tensorflow.compat.v1 as tf
    from graphs.importing import checkpoint_prefix

    source = checkpoint_prefix(source)
    if os.path.abspath(target) == os.path.abspath(source):
        raise ValueError('TARGET must differ from SOURCE (%s): the source is kept' % source)
    reader = tf.train.NewCheckpointReader(source)
    dtypes = reader.get_variable_to_dtype_map()
    mapping = renamed(list(dtypes))
    if not dry_run:
        os.makedirs(os.path.dirname(os.path.abspath(target)), exist_ok=True)
        with tf.Graph().as_default():
            names = sorted(mapping)
            values = [tf.placeholder(dtypes[name]) for name in names]
            save = tf.raw_ops.SaveV2(prefix=target, tensor_names=[mapping[n] for n in names],
                                     shape_and_slices=[''] * len(names), tensors=values)
            with tf.Session() as sess:
                sess.run(save, {value: reader.get_tensor(name)
                                for value, name in zip(values, names)})
        # The state file Saver.save writes, so tf.train.latest_checkpoint(dir) finds it.
        with open(os.path.join(os.path.dirname(os.path.abspath(target)), 'checkpoint'),
                  'w') as state:
            state.write('model_checkpoint_path: "%s"\nall_model_checkpoint_paths: "%s"\n'
                        % ((os.path.basename(target),) * 2))
    return {old: new for old, new in mapping.items() if old != new}


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog='python -m tf1.checkpoint_convert',
        description='Rename the RNN cell variables of a TF 0.x or TF 1.0/1.1 checkpoint to '
                    'the names TF 1.2 and later use.')
    parser.add_argument('source', help='the old checkpoint (prefix, file or directory)')
    parser.add_argument('target', help='the prefix of the checkpoint to write')
    parser.add_argument('--dry_run', action='store_true',
                        help='print the renames only; write nothing')
    flags = parser.parse_args(argv)
    from graphs.importing import ImportFailure
    try:
        changes = convert(flags.source, flags.target, flags.dry_run)
    except (ImportFailure, ValueError, OSError) as error:
        print('error: %s' % error, file=sys.stderr)
        return 1
    for old, new in sorted(changes.items()):
        print('Converted: %s --> %s' % (old, new))
    print('%s %d name(s)%s' % ('Would rename' if flags.dry_run else 'Renamed', len(changes),
                              '' if flags.dry_run else '; wrote %s' % flags.target))
    return 0


if __name__ == '__main__':
    sys.exit(main())
