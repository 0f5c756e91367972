"""Training precision: float32, or bfloat16 arithmetic where the CPU has it.

bf16 here is grappler's `auto_mixed_precision_onednn_bfloat16` rewrite: the session runs
the model's matmuls and convolutions in bfloat16 on CPUs with native bfloat16 instructions
(AVX512-BF16, AMX-BF16), while every variable, gradient update and checkpoint stays
float32, so the contract, the saved files and every client are unchanged. It pays off for
models dominated by convolutions; on small matmul chains (the LSTM's) the casts cost
more than they save, so each script says whether its model gains (`bf16_gains`), and
--precision auto uses bf16 only there (figures: bench/README.md).
"""
from tensorflow.core.protobuf import rewriter_config_pb2

CHOICES = ('auto', 'fp32', 'bf16')
BF16_CPU_FLAGS = ('avx512_bf16', 'amx_bf16')


def cpu_has_bf16(cpuinfo='/proc/cpuinfo'):
    """Whether the CPU announces a native bfloat16 instruction set (Linux's cpuinfo)."""
    try:
        with open(cpuinfo) as f:
            flags = {word for line in f if line.startswith('flags') for word in line.split()}
    except OSError:
        return False
    return any(flag in flags for flag in BF16_CPU_FLAGS)


def resolve(requested, model_gains, cpuinfo='/proc/cpuinfo'):
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
                        'bfloat16 instructions and this model trains faster with them)')
    return 'fp32', ('Precision: fp32 (auto: this model trains no faster in bf16; '
                    '--precision bf16 forces it)')


def apply(config, precision):
    """Turn the bf16 rewrite on in a session ConfigProto when `precision` is 'bf16'."""
    if precision == 'bf16':
        config.graph_options.rewrite_options.auto_mixed_precision_onednn_bfloat16 = (
            rewriter_config_pb2.RewriterConfig.ON)
    return config
