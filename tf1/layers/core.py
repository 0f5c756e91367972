"""Dense, Dropout and Flatten."""

import numbers

import numpy as np
import tensorflow.compat.v1 as tf

from tf1 import seeds
from tf1.layers.base import Layer, apply_functional
from tf1.layers.utils import (bias_and_activation, check_activation, check_data_format,
                              positive_int, smart_cond, training_or_learning_phase)


class Dense(Layer):
    """activation(inputs · kernel + bias), over the last axis of inputs of any rank."""

    supports_masking = True  # TF 1.9-1.15's, from Keras's: a mask passes through
    _config_keys = ('units', 'activation', 'use_bias', 'kernel_initializer',
                    'bias_initializer', 'kernel_regularizer', 'bias_regularizer',
                    'activity_regularizer', 'kernel_constraint', 'bias_constraint')

    def __init__(self, units, activation=None, use_bias=True, kernel_initializer=None,
                 bias_initializer=tf.zeros_initializer(), kernel_regularizer=None,
                 bias_regularizer=None, activity_regularizer=None, kernel_constraint=None,
                 bias_constraint=None, trainable=True, name=None, **kwargs):
        if 'input_shape' not in kwargs and 'input_dim' in kwargs:  # Keras's, TF 1.x's too
            kwargs['input_shape'] = (kwargs.pop('input_dim'),)
        super(Dense, self).__init__(trainable=trainable, name=name,
                                    activity_regularizer=activity_regularizer, **kwargs)
        self.units = positive_int(self._kind, units, 'units')
        self.activation = check_activation(self._kind, activation)
        self.use_bias = use_bias
        self.kernel_initializer, self.bias_initializer = kernel_initializer, bias_initializer
        self.kernel_regularizer, self.bias_regularizer = kernel_regularizer, bias_regularizer
        self.kernel_constraint, self.bias_constraint = kernel_constraint, bias_constraint

    def build(self, input_shape):
        input_shape = tf.TensorShape(input_shape)
        if input_shape.ndims is None or input_shape.ndims < 2:
            raise ValueError('%s needs inputs of rank 2 or more, got shape %s'
                             % (self._kind, input_shape))
        input_dim = input_shape.as_list()[-1]
        if input_dim is None:
            raise ValueError('%s needs the last dimension of its inputs defined, got '
                             'shape %s' % (self._kind, input_shape))
        self.kernel = self.add_weight('kernel', [input_dim, self.units],
                                      initializer=self.kernel_initializer,
                                      regularizer=self.kernel_regularizer,
                                      constraint=self.kernel_constraint)
        self.bias = None
        if self.use_bias:
            self.bias = self.add_weight('bias', [self.units], initializer=self.bias_initializer,
                                        regularizer=self.bias_regularizer,
                                        constraint=self.bias_constraint)
        self.built = True

    def compute_output_shape(self, input_shape):
        """The outputs' shape for inputs of `input_shape` (contrib.seq2seq's decoders
        ask an output layer for it)."""
        input_shape = tf.TensorShape(input_shape).with_rank_at_least(2)
        if tf.compat.dimension_value(input_shape[-1]) is None:
            raise ValueError('The innermost dimension of input_shape must be defined, but '
                             'saw: %s' % input_shape)
        return input_shape[:-1].concatenate(self.units)

    def call(self, inputs):
        return self._call_with(inputs, self.kernel)

    def _call_with(self, inputs, kernel):
        """The layer's output with `kernel` (model_pruning's masked layers give theirs)."""
        rank = inputs.shape.ndims
        if rank > 2:  # every position of every example, through the same kernel
            outputs = seeds.tensordot(inputs, kernel, [[rank - 1], [0]])
            outputs.set_shape(inputs.shape[:-1].concatenate([self.units]))
        else:
            outputs = tf.matmul(inputs, kernel)
        return bias_and_activation(outputs, self.bias, self.activation, 'NHWC')


class Dropout(Layer):
    """Zeroes each unit with probability `rate` and scales the rest by 1 / (1 - rate), when
    training (a Python bool or a bool tensor); passes the inputs through otherwise."""

    supports_masking = True  # TF 1.9-1.15's, from Keras's: a mask passes through
    _config_keys = ('rate', 'noise_shape', 'seed')

    def __init__(self, rate=0.5, noise_shape=None, seed=None, name=None, **kwargs):
        super(Dropout, self).__init__(name=name, **kwargs)
        if isinstance(rate, numbers.Real) and not 0 <= rate < 1:
            raise ValueError('%s: rate must be in [0, 1), got %r' % (self._kind, rate))
        self.rate, self.noise_shape, self.seed = rate, noise_shape, seed

    def compute_output_shape(self, input_shape):
        return tf.TensorShape(input_shape)

    def call(self, inputs, training=False):
        def dropped():
            return tf.nn.dropout(inputs, rate=self.rate, noise_shape=self._noise_shape(inputs),
                                 seed=self.seed)
        return smart_cond(training_or_learning_phase(training), dropped,
                          lambda: tf.identity(inputs))

    def _noise_shape(self, inputs):
        """noise_shape with its None entries taken from the inputs' shape at run time."""
        if self.noise_shape is None:
            return None
        dynamic_shape = tf.shape(inputs)
        return tf.stack([dynamic_shape[i] if size is None else size
                         for i, size in enumerate(self.noise_shape)])


class Flatten(Layer):
    """[batch, d1, d2, ...] → [batch, d1 · d2 · ...], in channels-last order."""

    _config_keys = ('data_format',)

    def __init__(self, data_format='channels_last', name=None, **kwargs):
        super(Flatten, self).__init__(name=name, **kwargs)
        self.data_format = check_data_format(self._kind, data_format)

    def compute_output_shape(self, input_shape):
        """[batch, product of the other dimensions (None unless all are known)]."""
        dims = tf.TensorShape(input_shape).as_list()
        rest = dims[1:]
        return tf.TensorShape(dims[:1] + [
            int(np.prod(rest)) if None not in rest else None])

    def call(self, inputs):
        shape = inputs.shape
        if shape.ndims is None:
            raise ValueError('%s needs inputs of known rank' % self._kind)
        if shape.ndims == 1:
            return tf.expand_dims(inputs, 1)
        if self.data_format == 'channels_first' and shape.ndims > 2:
            inputs = tf.transpose(inputs, [0] + list(range(2, shape.ndims)) + [1])
        # A target shape that keeps as much as is known of the output's static shape.
        dims = shape.as_list()
        if None not in dims[1:]:
            target_shape = [-1, shape[1:].num_elements()]
        elif dims[0] is not None:
            target_shape = [dims[0], -1]
        else:
            target_shape = [tf.shape(inputs)[0], -1]
        return tf.reshape(inputs, target_shape)


def dense(inputs, units, activation=None, use_bias=True, kernel_initializer=None,
          bias_initializer=tf.zeros_initializer(), kernel_regularizer=None,
          bias_regularizer=None, activity_regularizer=None, kernel_constraint=None,
          bias_constraint=None, trainable=True, name=None, reuse=None):
    return apply_functional(Dense, locals())


def dropout(inputs, rate=0.5, noise_shape=None, seed=None, training=False, name=None):
    return Dropout(rate, noise_shape, seed, name).apply(inputs, training=training)


def flatten(inputs, name=None, data_format='channels_last'):
    return Flatten(data_format, name).apply(inputs)
