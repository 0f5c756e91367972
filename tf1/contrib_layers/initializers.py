"""contrib.layers' weight initializers."""
import math

import tensorflow.compat.v1 as tf


def variance_scaling_initializer(factor=2.0, mode='FAN_IN', uniform=False, seed=None,
                                 dtype=tf.float32):
    """Weights with variance factor / n, n the fan-in, fan-out or their mean (`mode`); the
    default is He et al.'s initialization for ReLU networks."""
    dtype = tf.as_dtype(dtype)
    if not dtype.is_floating:
        raise TypeError('Cannot create initializer for non-floating point type. (%s)'
                        % dtype.name)
    if mode not in ('FAN_IN', 'FAN_OUT', 'FAN_AVG'):
        raise TypeError("variance_scaling_initializer mode must be 'FAN_IN', 'FAN_OUT' or "
                        "'FAN_AVG', got %r" % (mode,))

    def initializer(shape, dtype=dtype, partition_info=None):
        if not tf.as_dtype(dtype).is_floating:
            raise TypeError('Cannot create initializer for non-floating point type. (%s)'
                            % tf.as_dtype(dtype).name)
        shape = [int(size) for size in shape]
        # Fan-in and fan-out of a matrix, or of a convolution kernel [..., in, out] whose
        # spatial dimensions multiply both.
        fan_in = float(shape[-2]) if len(shape) > 1 else float(shape[-1]) if shape else 1.0
        fan_out = float(shape[-1]) if shape else 1.0
        for size in shape[:-2]:
            fan_in *= size
            fan_out *= size
        n = {'FAN_IN': fan_in, 'FAN_OUT': fan_out, 'FAN_AVG': (fan_in + fan_out) / 2.0}[mode]
        if uniform:
            limit = math.sqrt(3.0 * factor / n)  # a uniform [-l, l] has variance l² / 3
            return tf.random_uniform(shape, -limit, limit, dtype, seed=seed)
        # A normal truncated at two standard deviations loses variance; 1.3 restores it.
        return tf.truncated_normal(shape, 0.0, math.sqrt(1.3 * factor / n), dtype, seed=seed)
    return initializer


def xavier_initializer(uniform=True, seed=None, dtype=tf.float32):
    """Glorot and Bengio's initialization: variance 1 / mean(fan-in, fan-out)."""
    return variance_scaling_initializer(1.0, 'FAN_AVG', uniform, seed, dtype)


xavier_initializer_conv2d = xavier_initializer
