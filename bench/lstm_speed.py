"""Why PyTorch trains the MNIST LSTM faster than our graph, and what closes the gap
without changing the checkpoint (`lstm/rnn/basic_lstm_cell/kernel` [156, 512], `/bias`).

    python bench/lstm_speed.py [--quick] [--rounds 7] [--round_s 1.5]
                               [--tables ways,threads,batch,models,profile]

Every TensorFlow row trains the real LSTM model of graphs/lstm.py — the contract of
graphs/model.py, Adam 1e-3, feed_dict batches of MNIST — and differs only in how the
LSTM inside is computed (or how the session is configured). Each is checked to create
exactly the variables graphs/lstm.py creates, so any of them restores today's
checkpoints. Rows of a table run interleaved in one process, each after a warm-up; the
median of --rounds rounds is reported, with its ratio to our graphs.lstm_cell.lstm() and
to PyTorch's nn.LSTM.

Tables:
  ways      ways to compute the same LSTM: static_rnn / dynamic_rnn over BasicLSTMCell,
            lstm() and variants of it (matmul layout, fused gate activations, each
            step's gate ops XLA-compiled, the batch run as independent chains, before
            and after each chain projected its own inputs), the raw
            LSTMBlockCell op per step and the BlockLSTM op; PyTorch's fused nn.LSTM and
            the same per-step loop as lstm() written in PyTorch
  threads   lstm() under different session thread settings
  batch     lstm() and PyTorch's nn.LSTM at batch 64 to 512
  models    every model that calls lstm_cell.lstm (lstm, cnn_lstm, crnn) with its LSTMs in
            1 chain and in 2, the best change found, which training graphs now use
  profile   where one training step of lstm() spends its time, by op type (FULL_TRACE)
"""
import collections
import contextlib
import functools

import harness  # first: puts the project on the path, quietens TensorFlow's C++ logs

import numpy as np
import tensorflow.compat.v1 as tf
import torch
from tensorflow.python.framework import ops

import torch_models
import train_speed
from graphs import contract, input_data, layers, lstm, lstm_cell
from graphs import model as graphs_model

UNITS, STEPS, PIXELS = lstm.DEFAULT_UNITS, lstm.TIME_STEPS, lstm.NUM_FEATURES
RECIPE = train_speed.RECIPES['lstm']
EXPECTED_VARIABLES = {'lstm/rnn/basic_lstm_cell/kernel': [PIXELS + UNITS, 4 * UNITS],
                      'lstm/rnn/basic_lstm_cell/bias': [4 * UNITS]}
BASELINE, TORCH_FUSED = 'lstm(), 1 chain (graphs/lstm_cell.py)', 'PyTorch nn.LSTM'


# ---------------------------------------------------------------------------- TF variants
# Each is `features(images, keep_prob)` for graphs/model.build: rows → LSTM → last output.

def with_lstm(compute):
    """features() that reshapes the images to rows and runs `compute(rows)` in the
    `lstm` variable scope, as graphs/lstm.py does."""
    def features(images, keep_prob):
        rows = tf.reshape(images, [-1, STEPS, PIXELS])
        with tf.variable_scope('lstm'):
            return compute(rows)
    return features


def static_rnn(rows):
    cell = lstm_cell.BasicLSTMCell(UNITS)
    outputs, _ = tf.nn.static_rnn(cell, tf.unstack(rows, axis=1), dtype=tf.float32)
    return outputs[-1]


def dynamic_rnn(rows, swap_memory=False):
    cell = lstm_cell.BasicLSTMCell(UNITS)
    outputs, _ = tf.nn.dynamic_rnn(cell, rows, dtype=tf.float32, swap_memory=swap_memory)
    return outputs[:, -1]


def project_lstm(rows, chains=1):
    return lstm_cell.lstm(rows, UNITS, chains=chains)[0]


def lstm_variant(rows, transposed_recurrent=False, gates='split', xla_steps=False):
    """lstm()'s computation with one change:

    transposed_recurrent  h · (W_hᵀ)ᵀ: W_h transposed once per training step and the
                          step's matmul told transpose_b, so the backward's dgates · W_hᵀ
                          reads a row-major matrix
    gates='sigmoid_all'   one sigmoid over all four gates (j's quarter wasted) instead of
                          three over split quarters
    gates='permuted'      the kernel's columns gathered once per training step into
                          [i, f, o | j] order: one sigmoid over a contiguous 3/4, one tanh
    xla_steps             each step's gate ops (not its matmul) in an XLA jit_scope of
                          their own, forward and gradient compiled separately: fused
                          elementwise kernels, as PyTorch's LSTM has
    """
    depth = PIXELS
    with tf.variable_scope('rnn/basic_lstm_cell'):
        kernel, bias = lstm_variables(depth)
    bias = bias + lstm_cell._forget_shift(1.0, UNITS)
    if gates == 'permuted':
        order = np.concatenate([np.arange(0, UNITS), np.arange(2 * UNITS, 4 * UNITS),
                                np.arange(UNITS, 2 * UNITS)])
        kernel, bias = tf.gather(kernel, order, axis=1), tf.gather(bias, order)
    input_kernel, recurrent_kernel = tf.split(kernel, [depth, UNITS], axis=0)
    if transposed_recurrent:
        recurrent_kernel = tf.transpose(recurrent_kernel)

    c = h = None
    for step_gates in tf.unstack(lstm_cell._projected_inputs(rows, input_kernel, bias)):
        if h is not None:
            step_gates += tf.matmul(h, recurrent_kernel, transpose_b=transposed_recurrent)
        with (tf.xla.experimental.jit_scope(separate_compiled_gradients=True) if xla_steps
              else contextlib.nullcontext()):
            i, j, f, o = activated_gates(step_gates, gates)
            c = i * j if c is None else c * f + i * j
            h = tf.tanh(c) * o
    return h


def activated_gates(gates, layout):
    """sigmoid(i), tanh(j), sigmoid(f), sigmoid(o) from pre-activation gates."""
    if layout == 'split':
        i, j, f, o = tf.split(gates, 4, axis=1)
        return tf.sigmoid(i), tf.tanh(j), tf.sigmoid(f), tf.sigmoid(o)
    if layout == 'sigmoid_all':
        i, _, f, o = tf.split(tf.sigmoid(gates), 4, axis=1)
        return i, tf.tanh(gates[:, UNITS:2 * UNITS]), f, o
    i, f, o = tf.split(tf.sigmoid(gates[:, :3 * UNITS]), 3, axis=1)  # permuted
    return i, tf.tanh(gates[:, 3 * UNITS:]), f, o


def lstm_variables(depth):
    """kernel and bias as graphs/lstm_cell.py creates them (glorot_uniform, zeros)."""
    return lstm_cell._lstm_variables(depth, UNITS, tf.float32)


def projected_then_split(rows, chains=2):
    """lstm(chains=2) as it was until 2026-11-21: the input half of every step's gates
    projected in one matmul for the whole batch, then that [time, batch, 4 * units]
    tensor split between the chains (now each chain projects its own rows step by step)."""
    with tf.variable_scope('rnn/basic_lstm_cell'):
        kernel, bias = lstm_variables(PIXELS)
    input_kernel, recurrent_kernel = tf.split(kernel, [PIXELS, UNITS], axis=0)
    from_inputs = lstm_cell._projected_inputs(rows, input_kernel,
                                   bias + lstm_cell._forget_shift(1.0, UNITS))
    parts = tf.split(from_inputs, lstm_cell._chain_sizes(tf.shape(rows)[0], chains),
                     num=chains, axis=1)
    return tf.concat([lstm_cell._recurrence(tf.unstack(part), recurrent_kernel)[0][-1]
                      for part in parts], 0)


def block_cell_lstm(rows):
    """tf.raw_ops.LSTMBlockCell once per step: the gate matmul and every elementwise op of a
    step in one kernel. Its gate order is BasicLSTMCell's (i, j, f, o), so it takes the
    kernel as is. (TF 2 ships the op but no gradient for it; ours is registered below.)"""
    with tf.variable_scope('rnn/basic_lstm_cell'):
        kernel, bias = lstm_variables(PIXELS)
    no_peephole = tf.zeros([UNITS])
    c = h = tf.zeros(tf.stack([tf.shape(rows)[0], UNITS]))
    for x in tf.unstack(rows, axis=1):
        _, c, _, _, _, _, h = tf.raw_ops.LSTMBlockCell(
            x=x, cs_prev=c, h_prev=h, w=kernel, wci=no_peephole, wcf=no_peephole,
            wco=no_peephole, b=bias, forget_bias=1.0, cell_clip=-1.0, use_peephole=False)
    return h


def block_lstm(rows):
    """tf.raw_ops.BlockLSTM: the whole sequence in one op (and one gradient op)."""
    with tf.variable_scope('rnn/basic_lstm_cell'):
        kernel, bias = lstm_variables(PIXELS)
    zeros = tf.zeros(tf.stack([tf.shape(rows)[0], UNITS]))
    no_peephole = tf.zeros([UNITS])
    outputs = tf.raw_ops.BlockLSTM(
        seq_len_max=tf.constant(STEPS, tf.int64), x=tf.transpose(rows, [1, 0, 2]),
        cs_prev=zeros, h_prev=zeros, w=kernel, wci=no_peephole, wcf=no_peephole,
        wco=no_peephole, b=bias, forget_bias=1.0, cell_clip=-1.0, use_peephole=False)
    return outputs.h[-1]


@ops.RegisterGradient('LSTMBlockCell')
def _lstm_block_cell_grad(op, *grads):
    """TF 1.x's gradient of LSTMBlockCell (tf.contrib.rnn), which TF 2 no longer registers:
    the fused LSTMBlockCellGrad op for the gates, then matmuls for inputs and weights."""
    x, cs_prev, h_prev, w, wci, wcf, wco, b = op.inputs
    i, cs, f, o, ci, co, _ = op.outputs
    cs_grad, h_grad = grads[1], grads[6]
    cs_grad = tf.zeros_like(cs) if cs_grad is None else cs_grad
    h_grad = tf.zeros_like(cs) if h_grad is None else h_grad
    cs_prev_grad, gates_grad, wci_grad, wcf_grad, wco_grad = tf.raw_ops.LSTMBlockCellGrad(
        x=x, cs_prev=cs_prev, h_prev=h_prev, w=w, wci=wci, wcf=wcf, wco=wco, b=b, i=i, cs=cs,
        f=f, o=o, ci=ci, co=co, cs_grad=cs_grad, h_grad=h_grad,
        use_peephole=op.get_attr('use_peephole'))
    depth = x.shape[1]
    xh_grad = tf.matmul(gates_grad, w, transpose_b=True)
    w_grad = tf.matmul(tf.concat([x, h_prev], 1), gates_grad, transpose_a=True)
    return (xh_grad[:, :depth], cs_prev_grad, xh_grad[:, depth:], w_grad,
            wci_grad, wcf_grad, wco_grad, tf.reduce_sum(gates_grad, 0))


# name: (compute, session thread settings other than the table's default)
TF_WAYS = collections.OrderedDict([
    ('static_rnn + BasicLSTMCell (the original)', (static_rnn, {})),
    ('dynamic_rnn + BasicLSTMCell (tf.while_loop)', (dynamic_rnn, {})),
    ('dynamic_rnn, swap_memory=True', (functools.partial(dynamic_rnn, swap_memory=True), {})),
    (BASELINE, (project_lstm, {})),
    ('lstm(), recurrent matmul on pre-transposed W_h', (functools.partial(
        lstm_variant, transposed_recurrent=True), {})),
    ('lstm(), one sigmoid over all 4 gates', (functools.partial(
        lstm_variant, gates='sigmoid_all'), {})),
    ('lstm(), kernel permuted to [i,f,o|j], one sigmoid', (functools.partial(
        lstm_variant, gates='permuted'), {})),
    ('lstm(), each step\'s gate ops XLA-compiled (jit_scope)', (functools.partial(
        lstm_variant, xla_steps=True), {})),
    ('raw LSTMBlockCell op per step', (block_cell_lstm, {})),
    ('raw BlockLSTM op (whole sequence)', (block_lstm, {})),
    ('lstm(chains=2): batch in 2 independent chains', (functools.partial(
        project_lstm, chains=2), {})),
    ('lstm(chains=2) until 2026-11-21: one projection, its gates split', (
        projected_then_split, {})),
    ('lstm(chains=2), intra-op 1 thread', (functools.partial(project_lstm, chains=2),
                                           {'threads': 1})),
    ('lstm(chains=4), intra-op 1 thread', (functools.partial(project_lstm, chains=4),
                                           {'threads': 1})),
])


def checked_trainer(compute, recipe, mnist, config):
    """feed_dict trainer of the LSTM model computed by `compute`, after checking that it
    makes exactly the checkpoint variables of graphs/lstm.py."""
    features = with_lstm(compute)
    graph, _, _ = train_speed.build_training_graph(features, recipe)
    made = {v.op.name: v.shape.as_list() for v in graph.get_collection('trainable_variables')
            if v.op.name.startswith('lstm/')}
    if made != EXPECTED_VARIABLES:
        raise AssertionError('%s makes %s, not the checkpoint layout' % (compute, made))
    return train_speed.feed_dict_trainer(features, recipe, mnist, config)


def logits(compute, images, weights=None):
    """(logits of the LSTM model computed by `compute` on `images`, its weights); the
    weights are those given, by variable name, else fresh ones."""
    graph = tf.Graph()
    with graph.as_default():
        tf.set_random_seed(1)
        model = graphs_model.build(with_lstm(compute))
        session = tf.Session(graph=graph)
        session.run(tf.global_variables_initializer())
        variables = graph.get_collection('trainable_variables')
        if weights:
            for variable in variables:
                variable.load(weights[variable.op.name], session)
        values = session.run([model.logits, variables], {model.images: images})
    session.close()
    return values[0], {v.op.name: value for v, value in zip(variables, values[1])}


def difference(compute, images, expected, weights):
    """Largest |logit difference| between `compute` on `weights` and the `expected`
    logits (lstm()'s on the same weights)."""
    return float(np.abs(logits(compute, images, weights)[0] - expected).max())


# ---------------------------------------------------------------------------- PyTorch

class TorchUnrolledLSTM(torch.nn.Module):
    """lstm()'s computation in PyTorch: one input matmul for all steps, then per step a
    recurrent matmul and the gate ops — to tell the framework's per-op cost from the gain
    of nn.LSTM's fused kernel."""

    def __init__(self):
        super().__init__()
        self.input_kernel = torch.nn.Linear(PIXELS, 4 * UNITS)
        with torch.no_grad():
            self.input_kernel.bias[2 * UNITS:3 * UNITS] += 1.0  # the forget bias, folded in
        self.recurrent_kernel = torch.nn.Linear(UNITS, 4 * UNITS, bias=False)
        self.output = torch.nn.Linear(UNITS, 10)

    def forward(self, images):
        rows = images.view(-1, STEPS, PIXELS).transpose(0, 1)
        from_inputs = self.input_kernel(rows)
        c = h = None
        for gates in from_inputs:
            if h is not None:
                gates = gates + self.recurrent_kernel(h)
            i, j, f, o = gates.chunk(4, 1)
            new_c = torch.sigmoid(i) * torch.tanh(j)
            c = new_c if c is None else c * torch.sigmoid(f) + new_c
            h = torch.tanh(c) * torch.sigmoid(o)
        return self.output(h)


def torch_ways(recipe, mnist):
    torch.manual_seed(0)
    return {TORCH_FUSED: lambda: train_speed.torch_trainer(torch_models.build('lstm'), recipe,
                                                           mnist),
            "PyTorch, lstm()'s per-step loop": lambda: train_speed.torch_trainer(
                TorchUnrolledLSTM(), recipe, mnist)}


# ---------------------------------------------------------------------------- tables

def compare(builders, batch_size, flags):
    """{row: median images/s} of trainers built by `builders` {row: () -> train}."""
    rounds = {name: harness.calibrated(build(), batch_size, flags.warmup, flags.round_s)
              for name, build in builders.items()}
    rates = harness.interleaved(rounds, flags.rounds)
    return {name: harness.median(values) for name, values in rates.items()}, rates


def ways_table(report, mnist, flags):
    builders = collections.OrderedDict()
    for name, (compute, settings) in TF_WAYS.items():
        config = harness.session_config(**dict(dict(threads=flags.threads), **settings))
        builders[name] = functools.partial(checked_trainer, compute, RECIPE, mnist, config)
    builders.update(torch_ways(RECIPE, mnist))
    medians, rates = compare(builders, RECIPE.batch_size, flags)
    report.raw['ways'] = rates
    reference = mnist.validation.images[:7]  # an odd batch, for the chains
    expected, weights = logits(project_lstm, reference)
    rows = [[name, medians[name], '%.2f×' % (medians[name] / medians[BASELINE]),
             '%.2f×' % (medians[name] / medians[TORCH_FUSED]),
             '%.0e' % difference(TF_WAYS[name][0], reference, expected, weights)
             if name in TF_WAYS else '–']
            for name in builders]
    report.table('Ways to compute the same LSTM, training images/s (batch %d, median of %d '
                 'rounds)' % (RECIPE.batch_size, flags.rounds),
                 ['computation', 'images/s', '÷ lstm()', '÷ nn.LSTM',
                  'max |Δ logits| vs lstm(), same weights'], rows,
                 notes=['TensorFlow rows: %d intra-op, 2 inter-op threads; PyTorch: '
                        'set_num_threads(%d).' % (flags.threads, flags.threads)])


SESSION_SETTINGS = collections.OrderedDict([
    ('intra 2, inter 2 (training default on 2 cores)', dict(threads=2, inter_op=2)),
    ('intra 2, inter 1', dict(threads=2, inter_op=1)),
    ('intra 2, inter 4', dict(threads=2, inter_op=4)),
    ('intra 2, inter -1 (caller\'s thread)', dict(threads=2, inter_op=-1)),
    ('intra 1, inter 2', dict(threads=1, inter_op=2)),
    ('intra 1, inter 1', dict(threads=1, inter_op=1)),
])


def threads_table(report, mnist, flags):
    builders = collections.OrderedDict(
        (name, functools.partial(checked_trainer, project_lstm, RECIPE, mnist,
                                 harness.session_config(**settings)))
        for name, settings in SESSION_SETTINGS.items())
    medians, rates = compare(builders, RECIPE.batch_size, flags)
    report.raw['threads'] = rates
    first = next(iter(medians.values()))
    rows = [[name, medians[name], '%.2f×' % (medians[name] / first)] for name in builders]
    report.table('lstm() under different session thread settings, training images/s',
                 ['ConfigProto threads', 'images/s', '÷ first row'], rows)


def batch_table(report, mnist, flags):
    rows = []
    for batch_size in flags.batch_sizes:
        recipe = RECIPE._replace(batch_size=batch_size)
        config = harness.session_config(flags.threads)
        builders = {BASELINE: functools.partial(checked_trainer, project_lstm, recipe, mnist,
                                                config),
                    TORCH_FUSED: torch_ways(recipe, mnist)[TORCH_FUSED]}
        medians, rates = compare(builders, batch_size, flags)
        report.raw['batch_%d' % batch_size] = rates
        rows.append([batch_size, medians[BASELINE], medians[TORCH_FUSED],
                     '%.2f×' % (medians[BASELINE] / medians[TORCH_FUSED])])
    report.table('Batch size: lstm() against nn.LSTM, training images/s',
                 ['batch', 'lstm()', 'nn.LSTM', 'lstm() ÷ nn.LSTM'], rows)


def with_chains(name, chains):
    """Model NAME's features as its training graph builds them, but with every
    lstm_cell.lstm call in `chains` chains."""
    def features(images, keep_prob):
        with harness.patched(layers, 'TRAINING_LSTM_CHAINS', chains):
            return train_speed.model_features(name)(images, keep_prob)
    return features


def variables_of(features, recipe):
    graph, _, _ = train_speed.build_training_graph(features, recipe)
    return {v.op.name: v.shape.as_list() for v in graph.get_collection('trainable_variables')}


def models_table(report, mnist, flags):
    """Every model that calls lstm_cell.lstm, its LSTMs in 1 chain and in 2 (what training
    graphs use, layers.TRAINING_LSTM_CHAINS)."""
    rows = []
    for name in ('lstm', 'cnn_lstm', 'crnn'):
        recipe = train_speed.RECIPES[name]
        if variables_of(with_chains(name, 1), recipe) != variables_of(with_chains(name, 2),
                                                                        recipe):
            raise AssertionError('chains changed the variables of ' + name)

        def ours(chains, threads=flags.threads):
            return functools.partial(train_speed.feed_dict_trainer, with_chains(name, chains),
                                     recipe, mnist, harness.session_config(threads))
        builders = collections.OrderedDict([
            ('1 chain', ours(1)),
            ('2 chains', ours(2)),
            ('2 chains, intra 1', ours(2, threads=1)),
            ('PyTorch', lambda: train_speed.torch_trainer(torch_models.build(name), recipe,
                                                          mnist)),
        ])
        medians, rates = compare(builders, recipe.batch_size, flags)
        report.raw['models_' + name] = rates
        rows.append([name] + list(medians.values()) + [
            '%.2f×' % (medians['2 chains'] / medians['1 chain']),
            '%.2f×' % (medians['2 chains'] / medians['PyTorch'])])
        print('models', name, flush=True)
    report.table('Every model with an LSTM, in 1 chain and in 2 (the training graphs\' '
                 'default): training images/s',
                 ['model', '1 chain (intra %d, inter 2)' % flags.threads,
                  '2 chains (intra %d, inter 2)' % flags.threads, '2 chains (intra 1, inter 2)',
                  'PyTorch', '2 chains ÷ 1 chain', '2 chains ÷ PyTorch'], rows,
                 notes=['Same variables (checked); graphs/NAME.py built with '
                        'layers.TRAINING_LSTM_CHAINS set to 1 or 2.'])


def profile_table(report, mnist, flags):
    """Sum of op times per op type over traced training steps of lstm(), per step."""
    graph, _, train_op = train_speed.build_training_graph(with_lstm(project_lstm), RECIPE)
    session = tf.Session(graph=graph, config=harness.session_config(flags.threads))
    with graph.as_default():
        session.run(tf.global_variables_initializer())

    def feeds():
        return dict(zip((contract.INPUT, contract.LABELS),
                        mnist.train.next_batch(RECIPE.batch_size)))
    steps = 3 if flags.quick else 20
    untraced = harness.median(harness.latencies(lambda: session.run(train_op, feeds()),
                                                flags.warmup + steps)[flags.warmup:])
    micros, counts = harness.op_profile(session, train_op, feeds, steps)
    total = sum(micros.values())
    rows = [[kind, counts[kind] / steps, micros[kind] / steps / 1000, '%.0f%%' % (
        100 * micros[kind] / total)] for kind, _ in micros.most_common(12)]
    report.table('Where a training step of lstm() goes (batch %d, %d traced steps)' % (
        RECIPE.batch_size, steps), ['op type', 'ops per step', 'ms per step (sum)', 'share'],
                 rows, notes=['Sum of all op times %.1f ms per step; an untraced step takes '
                              '%.1f ms of wall time (ops overlap on 2 inter-op threads).' % (
                                  total / steps / 1000, untraced * 1000)])


TABLES = collections.OrderedDict([('ways', ways_table), ('threads', threads_table),
                                  ('batch', batch_table), ('models', models_table),
                                  ('profile', profile_table)])


def main():
    parser = harness.parser(__doc__, tables=TABLES, training_rounds=True)
    parser.add_argument('--batch_sizes', type=lambda t: [int(v) for v in t.split(',')],
                        default=[64, 128, 256, 512], help='for the batch table')
    flags = parser.parse_args()

    harness.pin_torch_threads(flags.threads)
    mnist = input_data.read_data_sets(flags.data_dir, one_hot=True, seed=0)
    report = harness.Report('lstm_speed', flags)
    for name in flags.tables:
        TABLES[name](report, mnist, flags)
    report.finish()


if __name__ == '__main__':
    main()
