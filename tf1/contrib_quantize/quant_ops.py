"""tf.contrib.quantize's fake-quantisation layers (TF 1.15's contrib/quantize/python/
quant_ops.py): each keeps its range in variables `min` and `max` (per channel or one) and
passes its input through FakeQuantWithMinMaxVars, which rounds it to 2^num_bits levels of
that range forwards and lets the gradient through inside it. In training the range follows
each batch: its last value (weights) or its moving average (activations)."""
import tensorflow.compat.v1 as tf
from tensorflow.python.training import moving_averages


def FixedQuantize(inputs, init_min=-6.0, init_max=6.0, scope=None):
    """`inputs` fake-quantised to the fixed range [init_min, init_max]."""
    with tf.name_scope(scope, 'FixedQuantize', values=[inputs]):
        return tf.quantization.fake_quant_with_min_max_args(inputs, min=init_min, max=init_max)


def LastValueQuantize(inputs, per_channel=False, init_min=-6.0, init_max=6.0,
                      vars_collection=None, name_prefix='LastValueQuant', reuse=None,
                      is_training=True, num_bits=8, narrow_range=False, symmetric=False):
    """`inputs` fake-quantised to the range of the last batch seen (in training; the
    variables' range otherwise)."""
    return _quantize(inputs, tf.assign, ('AssignMinLast', 'AssignMaxLast'), per_channel,
                     init_min, init_max, vars_collection, name_prefix, reuse, is_training,
                     num_bits, narrow_range, symmetric)


def MovingAvgQuantize(inputs, per_channel=False, init_min=-6.0, init_max=6.0, ema_decay=0.999,
                      vars_collection=tf.GraphKeys.MOVING_AVERAGE_VARIABLES,
                      name_prefix='MovingAvgQuantize', reuse=None, is_training=True,
                      num_bits=8, narrow_range=False, symmetric=False):
    """`inputs` fake-quantised to the exponential moving average of the batches' ranges
    (in training; the variables' range otherwise)."""
    def assign(variable, value, name):
        return moving_averages.assign_moving_average(variable, value, ema_decay, name=name)
    return _quantize(inputs, assign, ('AssignMinEma', 'AssignMaxEma'), per_channel,
                     init_min, init_max, vars_collection, name_prefix, reuse, is_training,
                     num_bits, narrow_range, symmetric)


def _quantize(inputs, assign, assign_names, per_channel, init_min, init_max,
              vars_collection, name_prefix, reuse, is_training, num_bits, narrow_range,
              symmetric):
    with tf.variable_scope(None, default_name=name_prefix, values=[inputs],
                           reuse=reuse) as scope:
        scope.set_partitioner(None)
        rank = inputs.get_shape().ndims
        if per_channel and rank not in (1, 2, 4):
            raise ValueError('Expected 1D, 2D or 4D input, was: %s in scope: %s'
                             % (inputs.get_shape(), name_prefix))
        shape = [inputs.get_shape()[-1]] if per_channel else []
        collections = [vars_collection] if vars_collection else []
        min_var = _model_variable('min', shape, init_min, collections)
        max_var = _model_variable('max', shape, init_max, collections)
        if is_training:
            batch_min, batch_max = _batch_range(inputs, per_channel, rank)
            range_min, range_max = _range_holding_zero(batch_min, batch_max, num_bits,
                                                       narrow_range, symmetric)
            min_var = assign(min_var, range_min, name=assign_names[0])
            max_var = assign(max_var, range_max, name=assign_names[1])
        if per_channel:
            return tf.quantization.fake_quant_with_min_max_vars_per_channel(
                inputs, min_var, max_var, num_bits=num_bits, narrow_range=narrow_range)
        return tf.quantization.fake_quant_with_min_max_vars(
            inputs, min_var, max_var, num_bits=num_bits, narrow_range=narrow_range)


def _model_variable(name, shape, value, collections):
    return tf.get_variable(name, shape=shape, initializer=tf.constant_initializer(value),
                           collections=collections + [tf.GraphKeys.GLOBAL_VARIABLES],
                           trainable=False, aggregation=tf.VariableAggregation.MEAN)


def _batch_range(inputs, per_channel, rank):
    """The batch's minimum and maximum: over all of it, or per channel (the last axis)."""
    if per_channel and rank == 1:
        return inputs, inputs
    axis = list(range(rank - 1)) if per_channel else None
    return (tf.reduce_min(inputs, axis=axis, name='BatchMin'),
            tf.reduce_max(inputs, axis=axis, name='BatchMax'))


def _range_holding_zero(batch_min, batch_max, num_bits, narrow_range, symmetric):
    """The range to quantise to: TensorFlow Lite needs 0.0 in it; a symmetric one is as
    wide on both sides (one level more below zero in two's complement, unless narrow)."""
    if not symmetric:
        return tf.minimum(batch_min, 0.0), tf.maximum(batch_max, 0.0)
    ratio = -1 if narrow_range else -((1 << num_bits) - 2) / (1 << num_bits)
    return (tf.minimum(batch_min, batch_max / ratio),
            tf.maximum(batch_max, batch_min * ratio))
