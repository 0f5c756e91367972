"""Training precision: float32, or bfloat16 arithmetic where the CPU has it.

bf16 here is grappler's `auto_mixed_precision_onednn_bfloat16` rewrite: the session runs
the model's matmuls and convolutions in bfloat16 on CPUs with native bfloat16 instructions
(AVX512-BF16, AMX-BF16), while every variable, gradient update and checkpoint stays
float32, so the contract, the saved files and every client are unchanged. It pays off for
models dominated by convolutions; on small matmul chains (the LSTM's) the casts cost
more than they save, so each script says whether its model gains (`bf16_gains`), and
--precision auto uses bf16 only there (figures: bench/README.md). The predict server
serves a model in bf16 on the same terms (serving/models.py), with the rewrite applied
once to the model's frozen graph (`bf16_graph_def`), so that it can run beside fp32 models
in one graph.

TensorFlow is imported only where it is used: the predict server reads its flags (and
answers --help, or a bad flag) before it imports TensorFlow.
"""
CHOICES = ('auto', 'fp32', 'bf16')
BF16_CPU_FLAGS = ('avx512_bf16', 'amx_bf16')
# Why --precision auto chose as it did for a model, when the CPU has bf16: (it gains,
# it does not). Serving passes its own.
TRAINING_GAINS = ('this model trains faster with them', 'this model trains no faster in bf16')
# The models `--precision auto` serves in bf16: those bench/bf16_inference.py measured
# faster at batch 1 in bf16, with test accuracy within 0.05 points of fp32's
# (bench/README.md, "Serving in bf16").
SERVING_BF16 = ('nn', 'cnn', 'lenet5')
SERVING_GAINS = ('bench/bf16_inference.py measured this model faster in bf16, with test '
                 'accuracy within 0.05 points of fp32\'s',
                 'bench/bf16_inference.py measured this model no faster in bf16, or less '
                 'accurate')
# A model of its own (import_checkpoint.py): nothing measured says bf16 suits it.
UNMEASURED = (None, 'not one of the seven models bench/bf16_inference.py measured')


def cpu_has_bf16(cpuinfo='/proc/cpuinfo'):
    """Whether the CPU announces a native bfloat16 instruction set (Linux's cpuinfo)."""
    try:
        with open(cpuinfo) as f:
            flags = {word for line in f if line.startswith('flags') for word in line.split()}
    except OSError:
        return False
    return any(flag in flags for flag in BF16_CPU_FLAGS)


def resolve(requested, model_gains, cpuinfo='/proc/cpuinfo', gains=TRAINING_GAINS):
    """(precision, one line saying why) for --precision `requested`: 'fp32' or 'bf16'."""
    if requested == 'fp32':
        return 'fp32', 'Precision: fp32 (--precision fp32)'
    if not cpu_has_bf16(cpuinfo):
        return 'fp32', ('Precision: fp32 (this CPU has no native bfloat16 instructions: '
                        'none of %s in %s)' % (', '.join(BF16_CPU_FLAGS), cpuinfo))
    if requested == 'bf16':
        return 'bf16', 'Precision: bf16 compute, float32 variables (--precision bf16)'
    if model_gains:
        return 'bf16', ('Precision: bf16 compute, float32 variables (auto: this CPU has '
                        'bfloat16 instructions and %s)' % gains[0])
    return 'fp32', 'Precision: fp32 (auto: %s; --precision bf16 forces it)' % gains[1]


def apply(config, precision):
    """Turn the bf16 rewrite on in a session ConfigProto when `precision` is 'bf16'."""
    if precision == 'bf16':
        from tensorflow.core.protobuf import rewriter_config_pb2
        config.graph_options.rewrite_options.auto_mixed_precision_onednn_bfloat16 = (
            rewriter_config_pb2.RewriterConfig.ON)
    return config


def bf16_graph_def(graph_def, outputs):
    """`graph_def` as a session with the bf16 rewrite on would run it: grappler's
    auto_mixed_precision_onednn_bfloat16 pass alone, applied once, keeping what the op
    names `outputs` need. Imported into any graph and run by a session without the
    rewrite, it computes in bf16, beside whatever else that graph holds."""
    import tensorflow.compat.v1 as tf
    from tensorflow.core.protobuf import rewriter_config_pb2
    from tensorflow.python.grappler import tf_optimizer
    graph = tf.Graph()
    with graph.as_default():
        tf.import_graph_def(graph_def, name='')
        for name in outputs:  # what grappler must keep: the 'train_op' collection
            graph.add_to_collection('train_op', graph.get_operation_by_name(name))
        meta_graph = tf.train.export_meta_graph(graph=graph)
    config = tf.ConfigProto()
    rewrites = config.graph_options.rewrite_options
    rewrites.optimizers.append('auto_mixed_precision_onednn_bfloat16')  # this pass only
    rewrites.min_graph_nodes = -1  # however small the graph
    rewrites.meta_optimizer_iterations = rewriter_config_pb2.RewriterConfig.ONE
    return tf_optimizer.OptimizeGraph(config, meta_graph)
