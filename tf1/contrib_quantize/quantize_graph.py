"""tf.contrib.quantize's API (TF 1.15's contrib/quantize/python/quantize_graph.py):
rewrite a graph in place for quantisation-aware training, then its eval graph for export
to TensorFlow Lite's integer kernels:

    logits = build_model(images, is_training=True)
    tf.contrib.quantize.create_training_graph(quant_delay=2000000)
    train_op = optimizer.minimize(loss)  # after the rewrite: gradients see the rounding
    ...
    logits = build_model(images, is_training=False)  # in a new graph
    tf.contrib.quantize.create_eval_graph()  # then freeze and convert

Batch norms are folded into the layers before them, then fake quantisation is inserted."""
import tensorflow.compat.v1 as tf

from tf1.contrib_quantize import fold_batch_norms
from tf1.contrib_quantize import quantize

# The ops that apply gradients: the rewrite must come before them (TF 1.15's list).
_TRAINING_OPS = frozenset(
    [prefix + 'Apply' + name for prefix in ('', 'Resource') for name in (
        'Adagrad', 'AdagradDA', 'Adam', 'AddSign', 'CenteredRMSProp', 'Ftrl', 'FtrlV2',
        'GradientDescent', 'Momentum', 'PowerSign', 'ProximalAdagrad',
        'ProximalGradientDescent', 'RMSProp')] +
    ['ResourceApplyAdadelta'] +
    [prefix + 'SparseApply' + name for prefix in ('', 'Resource') for name in (
        'Adadelta', 'Adagrad', 'AdagradDA', 'CenteredRMSProp', 'Ftrl', 'FtrlV2', 'Momentum',
        'ProximalAdagrad', 'ProximalGradientDescent', 'RMSProp')])


def _create_graph(input_graph=None, is_training=True, weight_bits=8, activation_bits=8,
                  symmetric=False, quant_delay=None, freeze_bn_delay=None, scope=None):
    graph = tf.get_default_graph() if input_graph is None else input_graph
    training_ops = {op.type for op in graph.get_operations()} & _TRAINING_OPS
    if training_ops:
        raise ValueError('Training op found in graph, exiting %s' % training_ops)
    with graph.as_default():
        fold_batch_norms.FoldBatchNorms(graph, freeze_batch_norm_delay=freeze_bn_delay,
                                        is_training=is_training)
        quantize.Quantize(graph, is_training, quant_delay=quant_delay,
                          weight_bits=weight_bits, activation_bits=activation_bits,
                          symmetric=symmetric, scope=scope)


def create_training_graph(input_graph=None, quant_delay=0):
    """Rewrite the training graph `input_graph` (the default graph) in place, before its
    gradients are made; quantisation acts from step `quant_delay` on (0: fine-tuning a
    trained float model, as recommended)."""
    _create_graph(input_graph=input_graph, is_training=True, quant_delay=quant_delay)


def create_eval_graph(input_graph=None):
    """Rewrite the eval graph `input_graph` (the default graph) in place: the ranges the
    training learnt, read from the same variables."""
    _create_graph(input_graph=input_graph, is_training=False)


def experimental_create_training_graph(input_graph=None, weight_bits=8, activation_bits=8,
                                       symmetric=False, quant_delay=0, freeze_bn_delay=None,
                                       scope=None):
    """create_training_graph with the bits, symmetric ranges, the step from which batch
    norms use their moving statistics, and the scope to rewrite (ops outside are left)."""
    _create_graph(input_graph=input_graph, is_training=True, weight_bits=weight_bits,
                  activation_bits=activation_bits, symmetric=symmetric,
                  quant_delay=quant_delay, freeze_bn_delay=freeze_bn_delay, scope=scope)


def experimental_create_eval_graph(input_graph=None, weight_bits=8, activation_bits=8,
                                   symmetric=False, quant_delay=None, scope=None):
    """create_eval_graph with the options of experimental_create_training_graph."""
    _create_graph(input_graph=input_graph, is_training=False, weight_bits=weight_bits,
                  activation_bits=activation_bits, symmetric=symmetric,
                  quant_delay=quant_delay, scope=scope)
