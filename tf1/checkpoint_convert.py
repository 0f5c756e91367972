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
the same gate order in every version: only the names move, except that a TF 0.x
LSTMCell's weight shards (W_0, W_1 ...) are joined into the one kernel TF 1.x saves for
its partitioned kernel. Optimizer slots move with
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

# Where TF 1.0 and 1.1's _linear made `weights` and `biases`.
ATTENTION = r'(attention_decoder(?:/Attention_\d+|/AttnOutputProjection)?)'
LINEAR_SCOPES = r'((?:%s)(?:/gates|/candidate|/projection)?|%s|%s)' % (
    '|'.join(CELLS[:4]), '|'.join(('output_projection_wrapper', 'input_projection_wrapper',
                                   'lstm_block_wrapper', 'layer_norm_basic_lstm_cell')),
    ATTENTION[1:-1])

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
    (r'LSTMCell/B(?=/|$)', 'lstm_cell/bias'),
    (r'LSTMCell/W_([FIO])_diag(?=/|$)', 'lstm_cell/w_{lower}_diag'),
    # TF 0.x: legacy_seq2seq's attention_decoder, its three linear maps.
    (ATTENTION + r'/Linear/Matrix(?=/|$)', r'\2/kernel'),
    (ATTENTION + r'/Linear/Bias(?=/|$)', r'\2/bias'),
    # TF 1.0 and 1.1: _linear's weights and biases, renamed kernel and bias in TF 1.2 (in
    # the cells, contrib's wrappers and the attention decoder, as TF 1.2's own tool did).
    (LINEAR_SCOPES + r'/weights(?=/|$)', r'\2/kernel'),
    (LINEAR_SCOPES + r'/biases(?=/|$)', r'\2/bias'),
]

# TF 0.x's loops opened RNN/ (rnn(), dynamic_rnn()) and BiRNN/FW, BiRNN/BW (or BiRNN_FW,
# BiRNN_BW); renamed only in a TF 0.x name, where a cell follows (a TF 1.0 script may have
# named its own scope RNN).
LOOP_SCOPES = [
    (r'RNN/' + _BEFORE_A_CELL, 'rnn/'),
    (r'BiRNN(?:/|_)FW/' + _BEFORE_A_CELL, 'bidirectional_rnn/fw/'),
    (r'BiRNN(?:/|_)BW/' + _BEFORE_A_CELL, 'bidirectional_rnn/bw/'),
]
_TF0_CELL = re.compile(r'(^|/)(MultiRNNCell|BasicLSTMCell|LSTMCell|GRUCell|BasicRNNCell)/')

# A TF 0.x LSTMCell kept its weights in shards (num_unit_shards, num_proj_shards): W_0, W_1
# ... and W_P_0 ... (one shard: W_0 alone). TF 1.x saves a partitioned kernel as one array,
# so the shards become its rows, in order.
SHARDS = [(re.compile(r'(^|/)LSTMCell/W_(\d+)(?=/|$)'), r'\1lstm_cell/kernel'),
          (re.compile(r'(^|/)LSTMCell/W_P_(\d+)(?=/|$)'), r'\1lstm_cell/projection/kernel')]


def _compiled(pattern, replacement):
    """(the pattern anchored at a component's start, its re.sub replacement)."""
    if '{lower}' in replacement:
        def replace(match):
            return match.group(1) + replacement.format(lower=match.group(2).lower())
        return re.compile(r'(^|/)' + pattern), replace
    return re.compile(r'(^|/)' + pattern), r'\1' + replacement


RENAMES = [_compiled(pattern, replacement) for pattern, replacement in RENAMES]
LOOP_SCOPES = [_compiled(pattern, replacement) for pattern, replacement in LOOP_SCOPES]


def new_name(name):
    """(`name` as TF 1.2+ names it, the index of the shard it is, or None)."""
    tf0 = bool(_TF0_CELL.search(name))
    shard = None
    for pattern, replacement in SHARDS:
        match = pattern.search(name)
        if match:
            shard = int(match.group(2))
            name = pattern.sub(replacement, name)
    for pattern, replacement in RENAMES + (LOOP_SCOPES if tf0 else []):
        name = pattern.sub(replacement, name)
    return name, shard


def renamed(names):
    """{new name: [the old names it is made of, in row order]}: one each, but a TF 0.x
    LSTMCell's shards; ValueError if two names that are not shards would meet."""
    groups = {}
    for old in names:
        new, shard = new_name(old)
        groups.setdefault(new, []).append((shard, old))
    for new, parts in groups.items():
        if len(parts) > 1 and any(shard is None for shard, _ in parts):
            raise ValueError('%s would all be named %s'
                             % (' and '.join(sorted(old for _, old in parts)), new))
    return {new: [old for _, old in sorted(parts)] for new, parts in groups.items()}


def convert(source, target, dry_run=False):
    """Writes SOURCE's variables, renamed, to TARGET (not when `dry_run`); returns
    {old name: new name} of those renamed."""
    import numpy as np
    import tensorflow.compat.v1 as tf
    from tf1.project import own_module
    checkpoint_prefix = own_module('importing').checkpoint_prefix

    source = checkpoint_prefix(source)
    if os.path.abspath(target) == os.path.abspath(source):
        raise ValueError('TARGET must differ from SOURCE (%s): the source is kept' % source)
    reader = tf.train.NewCheckpointReader(source)
    dtypes = reader.get_variable_to_dtype_map()
    groups = renamed(list(dtypes))
    if not dry_run:
        os.makedirs(os.path.dirname(os.path.abspath(target)), exist_ok=True)
        with tf.Graph().as_default():
            names = sorted(groups)
            values = [tf.placeholder(dtypes[groups[name][0]]) for name in names]
            save = tf.raw_ops.SaveV2(prefix=target, tensor_names=names,
                                     shape_and_slices=[''] * len(names), tensors=values)
            with tf.Session() as sess:
                sess.run(save, {value: np.concatenate([reader.get_tensor(old)
                                                       for old in groups[name]])
                                if len(groups[name]) > 1 else reader.get_tensor(groups[name][0])
                                for value, name in zip(values, names)})
        # The state file Saver.save writes, so tf.train.latest_checkpoint(dir) finds it.
        with open(os.path.join(os.path.dirname(os.path.abspath(target)), 'checkpoint'),
                  'w') as state:
            state.write('model_checkpoint_path: "%s"\nall_model_checkpoint_paths: "%s"\n'
                        % ((os.path.basename(target),) * 2))
    return {old: new for new, olds in groups.items() for old in olds if old != new}


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
    from tf1.project import own_module
    ImportFailure = own_module('importing').ImportFailure
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
