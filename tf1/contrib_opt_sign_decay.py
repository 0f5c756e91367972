"""tf.contrib.opt's sign decays (tensorflow/contrib/opt/python/training/sign_decay.py of TF
1.15, ported): the `sign_decay_fn` that AddSign and PowerSign take, a function of the
global step from 1 down to 0 (Bello et al., 2017, "Neural Optimizer Search with RL").
TF 1.x exported them only from that module's path, where tf1 maps them too."""
import math

import tensorflow.compat.v1 as tf

__all__ = ['get_linear_decay_fn', 'get_cosine_decay_fn', 'get_restart_decay_fn']


def _required(global_step, decay):
    if global_step is None:
        raise ValueError('global_step is required for %s.' % decay)


def get_linear_decay_fn(decay_steps):
    """max(0, (decay_steps - global_step) / decay_steps)."""
    def linear_decay_fn(global_step):
        _required(global_step, 'linear_decay')
        global_step = tf.minimum(global_step, decay_steps)
        remaining_steps = tf.cast(decay_steps, tf.int32) - tf.cast(global_step, tf.int32)
        decayed = tf.cast(remaining_steps, tf.float32) / tf.cast(decay_steps, tf.float32)
        return tf.maximum(0.0, decayed)
    return linear_decay_fn


def get_cosine_decay_fn(decay_steps, num_periods=0.5, zero_after=None):
    """0.5 (1 + cos(2π num_periods · global_step / decay_steps)), the step capped at
    decay_steps (num_periods 0.5 ends at 0); 0 once that fraction reaches 2 zero_after."""
    def cosine_decay_fn(global_step):
        _required(global_step, 'cosine_decay')
        global_step = tf.minimum(global_step, decay_steps)
        completed_fraction = (tf.cast(global_step, tf.float32) /
                              tf.cast(decay_steps, tf.float32))
        fraction = 2.0 * num_periods * completed_fraction
        decayed = 0.5 * (1.0 + tf.cos(tf.constant(math.pi) * fraction))
        if zero_after is not None:
            decayed = tf.where(tf.greater_equal(fraction, 2 * zero_after), 0.0, decayed)
        return decayed
    return cosine_decay_fn


def get_restart_decay_fn(decay_steps, num_periods=1, zero_after=None):
    """0.5 (1 + cos(π ((num_periods · global_step) mod decay_steps) / decay_steps)): the
    cosine restarted num_periods times (SGDR, Loshchilov & Hutter, 2017); 0 once
    num_periods · global_step / decay_steps reaches zero_after."""
    def restart_decay_fn(global_step):
        _required(global_step, 'cosine_decay')  # TF 1.15's message, as it was
        global_step = tf.minimum(global_step, decay_steps)
        num = tf.mod(num_periods * tf.cast(global_step, tf.float32), decay_steps)
        fraction = num / tf.cast(decay_steps, tf.float32)
        decayed = 0.5 * (1.0 + tf.cos(tf.constant(math.pi) * fraction))
        if zero_after is not None:
            periods = (tf.cast(num_periods * global_step, tf.float32) /
                       tf.cast(decay_steps, tf.float32))
            decayed = tf.where(tf.greater_equal(periods, zero_after), 0.0, decayed)
        return decayed
    return restart_decay_fn
