"""How far bfloat16 training can go on this CPU: each model's training arithmetic against
the fastest matrix multiply the CPU does, beside our bf16 trainer, Keras's and PyTorch's.

    python bench/bf16_ceiling.py [--quick] [--models cnn,cnn_lstm,crnn] [--gemm 2048]

Issue 16 asks our bf16 training to run 1.5× as fast as the faster of Keras and PyTorch in
bf16. All three hand their convolutions and matmuls to the same kind of kernels (oneDNN;
PyTorch's CPU build also uses it), so how fast a side can go is bounded by how fast the CPU
multiplies matrices. This script measures that bound and where each trainer stands:

  GEMM peak        GFLOP/s of one large square matmul (--gemm), bfloat16 through grappler's
                   rewrite as our training runs it, and float32; best of the rounds: no
                   real training step multiplies matrices faster than this
  training GFLOP   per image: the model's forward multiply-adds (every MatMul, Conv2D and
                   BatchMatMul of graphs/model.build at the training batch size, counted by
                   TensorFlow's registered `flops` statistics) × 3, the usual count for a
                   forward and a backward pass (gradients for inputs and for weights)
  trainers         images/s of ours, Keras fit and PyTorch in bf16, as bench/train_speed.py
                   times them (interleaved rounds, median), and what that is in GFLOP/s and
                   as a share of the bf16 GEMM peak
  1.5× needs       1.5 × the faster of Keras and PyTorch, in images/s and as a share of
                   the bf16 GEMM peak: above 100% is out of reach of any trainer on this CPU
  profile          where our bf16 training step spends its time, by op type (FULL_TRACE,
                   after grappler's rewrites): the top op types of each model
"""
import time

import harness  # first: puts the project on the path, quietens TensorFlow's C++ logs

import numpy as np
import tensorflow.compat.v1 as tf
from tensorflow.python.framework import ops

import torch_models
import train_speed
from graphs import input_data
from graphs import model as model_lib
from graphs import precision

TARGET = 1.5
PROFILE_TOP = 8  # op types per model in the profile table
MULTIPLY_OPS = ('MatMul', 'Conv2D', 'BatchMatMul', 'BatchMatMulV2', 'BatchMatMulV3')


def forward_flops_per_image(name, batch_size):
    """Multiply-add FLOPs of one image's forward pass, from a graph whose batch size is
    fixed so that every shape, and so every op's registered `flops`, is known."""
    graph = tf.Graph()
    with graph.as_default():
        images = model_lib.build(train_speed.model_features(name)).images
        meta_graph = tf.train.export_meta_graph()
    fixed = tf.Graph()
    with fixed.as_default():
        batch = tf.placeholder(tf.float32, [batch_size] + images.shape.as_list()[1:])
        tf.train.import_meta_graph(meta_graph, input_map={images.name: batch})
        total = sum(ops.get_stats_for_node_def(fixed, op.node_def, 'flops').value
                    for op in fixed.get_operations() if op.type in MULTIPLY_OPS)
    return total / batch_size


def gemm_gflops(size, threads, bf16, calls):
    """Best GFLOP/s of a size³ float32 matmul between two variables, with grappler's
    bfloat16 rewrite (our training's) when bf16."""
    graph = tf.Graph()
    with graph.as_default():
        rng = np.random.RandomState(0)
        a = tf.Variable(rng.randn(size, size).astype(np.float32))
        b = tf.Variable(rng.randn(size, size).astype(np.float32))
        product = tf.reduce_sum(tf.matmul(a, b))  # fetching a scalar copies nothing back
        config = harness.session_config(threads)
        if bf16:
            config = precision.apply(config, 'bf16')
        session = tf.Session(graph=graph, config=config)
        session.run(tf.global_variables_initializer())
    session.run(product)
    best = float('inf')
    for _ in range(calls):
        started = time.perf_counter()
        session.run(product)
        best = min(best, time.perf_counter() - started)
    session.close()
    return 2 * size ** 3 / best / 1e9


def trainers(name, mnist, flags):
    """{trainer: [images/s per round]}: the three bf16 trainers of bench/train_speed.py."""
    recipe, features = train_speed.RECIPES[name], train_speed.model_features(name)
    config = bf16_config(recipe, flags.threads)
    builders = {
        'ours, bf16': lambda: train_speed.feed_dict_trainer(features, recipe, mnist, config),
        'Keras fit, bf16': lambda: train_speed.keras_trainer(name, recipe, mnist,
                                                             'mixed_bfloat16'),
        'PyTorch, bf16': lambda: train_speed.torch_trainer(torch_models.build(name), recipe,
                                                           mnist, bf16=True),
    }
    rounds = {trainer: harness.calibrated(build(), recipe.batch_size, flags.warmup,
                                          flags.round_s)
              for trainer, build in builders.items()}
    return harness.interleaved(rounds, flags.rounds)


def bf16_config(recipe, threads):
    """Our bf16 trainer's session config: the training script's threads, the rewrite on."""
    intra_op = recipe.intra_op(threads) if recipe.intra_op else threads
    return precision.apply(harness.session_config(intra_op, recipe.inter_op), 'bf16')


def profile_steps(flags):
    """Traced training steps per model in the profile table."""
    return 3 if flags.quick else 10


def profile_rows(name, mnist, flags):
    """[model, op type, ops per step, ms per step, share] of our bf16 training step's most
    costly op types, summed over traced steps (ops overlap on the inter-op threads)."""
    recipe = train_speed.RECIPES[name]
    graph, model, train_op = train_speed.build_training_graph(
        train_speed.model_features(name), recipe)
    session = tf.Session(graph=graph, config=bf16_config(recipe, flags.threads))
    with graph.as_default():
        session.run(tf.global_variables_initializer())

    def feeds():
        images, labels = mnist.train.next_batch(recipe.batch_size)
        return model_lib.training_feed(model, images, labels, recipe.keep_prob)
    steps = profile_steps(flags)
    for _ in range(flags.warmup):
        session.run(train_op, feeds())
    micros, counts = harness.op_profile(session, train_op, feeds, steps)
    session.close()
    total = sum(micros.values())
    return [[name, kind, '%g' % (counts[kind] / steps), micros[kind] / steps / 1000,
             '%.0f%%' % (100 * micros[kind] / total)]
            for kind, _ in micros.most_common(PROFILE_TOP)]


def main():
    parser = harness.parser(__doc__, training_rounds=True, quick=dict(gemm=512, gemm_calls=2))
    parser.set_defaults(models=['cnn', 'cnn_lstm', 'crnn'])
    parser.add_argument('--gemm', type=int, default=2048, help='the square matmul\'s size')
    parser.add_argument('--gemm_calls', type=int, default=20, help='matmuls timed (best kept)')
    flags = parser.parse_args()
    if not precision.cpu_has_bf16():
        raise SystemExit('bf16_ceiling: this CPU has no native bfloat16 instructions (%s)'
                         % ', '.join(precision.BF16_CPU_FLAGS))
    harness.pin_tensorflow_threads(flags.threads)
    harness.pin_torch_threads(flags.threads)
    mnist = input_data.read_data_sets(flags.data_dir, one_hot=True, seed=0)
    report = harness.Report('bf16_ceiling', flags)

    peaks = harness.interleaved({
        'bf16': lambda: gemm_gflops(flags.gemm, flags.threads, True, flags.gemm_calls),
        'fp32': lambda: gemm_gflops(flags.gemm, flags.threads, False, flags.gemm_calls)},
        flags.rounds)
    peak = {kind: max(values) for kind, values in peaks.items()}
    report.table('GEMM peak, GFLOP/s (best of %d rounds)' % flags.rounds,
                 ['matmul', 'bf16 (grappler rewrite)', 'fp32', 'bf16 ÷ fp32'],
                 [['%d³' % flags.gemm, peak['bf16'], peak['fp32'],
                   '%.2f×' % harness.ratio(peak['bf16'], peak['fp32'])]],
                 notes=['%d intra-op threads; one float32 matmul between two variables, '
                        'its result summed in the graph.' % flags.threads])

    rows = []
    for name in flags.models:
        batch_size = train_speed.RECIPES[name].batch_size
        gflop = 3 * forward_flops_per_image(name, batch_size) / 1e9
        rates = {trainer: harness.median(values)
                 for trainer, values in trainers(name, mnist, flags).items()}
        needed = TARGET * max(rates['Keras fit, bf16'], rates['PyTorch, bf16'])
        share = lambda images_per_s: '%.0f%%' % (100 * images_per_s * gflop / peak['bf16'])
        row = [name, batch_size, gflop * 1000]
        for trainer in ('ours, bf16', 'Keras fit, bf16', 'PyTorch, bf16'):
            row += [rates[trainer], share(rates[trainer])]
        rows.append(row + [needed, share(needed)])
        print(name, {t: round(r) for t, r in rates.items()}, flush=True)
    report.table('bf16 training against the bf16 GEMM peak (median of %d rounds)'
                 % flags.rounds,
                 ['model', 'batch', 'training MFLOP per image',
                  'ours, images/s', 'ours, share of peak', 'Keras, images/s',
                  'Keras, share of peak', 'PyTorch, images/s', 'PyTorch, share of peak',
                  '%.1f× the faster other, images/s' % TARGET, 'its share of peak'], rows,
                 notes=['Training MFLOP: 3 × the forward pass\'s MatMul, Conv2D and '
                        'BatchMatMul FLOPs (TensorFlow\'s registered statistics); '
                        'elementwise work, casts and the optimiser not counted.',
                        'Share of peak: images/s × training FLOP ÷ the bf16 GEMM peak above.'])

    report.table('Where our bf16 training step goes, by op type (top %d per model)'
                 % PROFILE_TOP, ['model', 'op type', 'ops per step', 'ms per step (sum)',
                                 'share of all op time'],
                 [row for name in flags.models for row in profile_rows(name, mnist, flags)],
                 notes=['FULL_TRACE of %d steps after the warm-up, op types as TensorBoard\'s '
                        'trace shows them after grappler\'s rewrites; ops overlap on the '
                        'inter-op threads, so the sum exceeds a step\'s wall time.'
                        % profile_steps(flags)])
    report.finish()


if __name__ == '__main__':
    main()
