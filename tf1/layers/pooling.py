"""Max and average pooling over 1, 2 or 3 spatial dimensions."""

import tensorflow.compat.v1 as tf

from tf1.layers.base import Layer
from tf1.layers.utils import (check_data_format, check_padding, conv_output_length, int_tuple,
                              spatial_output_shape, spell_out_arguments, tf_data_format)


class _Pooling(Layer):
    """Max or average pooling over 1, 2 or 3 spatial dimensions."""

    _config_keys = ('pool_size', 'padding', 'strides', 'data_format')

    def __init__(self, rank, pool_type, pool_size, strides, padding='valid',
                 data_format='channels_last', name=None, **kwargs):
        super(_Pooling, self).__init__(name=name, **kwargs)
        if strides is None:
            raise ValueError('%s needs strides (TF 1.x had no default)'
                             % self._kind)
        self.rank, self.pool_type = rank, pool_type
        self.pool_size = int_tuple(self._kind, pool_size, rank, 'pool_size')
        self.strides = int_tuple(self._kind, strides, rank, 'strides')
        self.padding = check_padding(self._kind, padding)
        self.data_format = check_data_format(self._kind, data_format)

    def compute_output_shape(self, input_shape):
        return spatial_output_shape(input_shape, self.data_format, None, lambda i, size:
                                    conv_output_length(size, self.pool_size[i], self.padding,
                                                       self.strides[i]))

    def call(self, inputs):
        if inputs.shape.ndims != self.rank + 2:
            raise ValueError('%s needs inputs of rank %d, got shape %s'
                             % (self._kind, self.rank + 2, inputs.shape))
        pool_size, strides, rank = self.pool_size, self.strides, self.rank
        if rank == 1:  # pooled as images one pixel wide, as TF 1.x did
            width_axis = 2 if self.data_format == 'channels_last' else 3
            inputs = tf.expand_dims(inputs, width_axis)
            pool_size, strides, rank = pool_size + (1,), strides + (1,), 2
        # TF 1.x's 3-D pooling layers transposed channels_first inputs to channels_last and
        # back (the CPU kernels take NDHWC only), as here; 2-D pooling took NCHW as it is.
        transposed = rank == 3 and self.data_format == 'channels_first'
        if transposed:
            inputs = tf.transpose(inputs, (0, 2, 3, 4, 1))
        if self.data_format == 'channels_first' and not transposed:
            window, steps = (1, 1) + pool_size, (1, 1) + strides
        else:
            window, steps = (1,) + pool_size + (1,), (1,) + strides + (1,)
        pool = {('max', 2): tf.nn.max_pool, ('avg', 2): tf.nn.avg_pool,
                ('max', 3): tf.nn.max_pool3d, ('avg', 3): tf.nn.avg_pool3d}[self.pool_type, rank]
        outputs = pool(inputs, window, steps, self.padding.upper(),
                       data_format='NDHWC' if transposed
                       else tf_data_format(self.data_format, rank))
        if transposed:
            return tf.transpose(outputs, (0, 4, 1, 2, 3))
        return tf.squeeze(outputs, [width_axis]) if self.rank == 1 else outputs


class MaxPooling1D(_Pooling):
    def __init__(self, pool_size, strides, *args, **kwargs):
        super(MaxPooling1D, self).__init__(1, 'max', pool_size, strides, *args, **kwargs)


class MaxPooling2D(_Pooling):
    def __init__(self, pool_size, strides, *args, **kwargs):
        super(MaxPooling2D, self).__init__(2, 'max', pool_size, strides, *args, **kwargs)


class MaxPooling3D(_Pooling):
    def __init__(self, pool_size, strides, *args, **kwargs):
        super(MaxPooling3D, self).__init__(3, 'max', pool_size, strides, *args, **kwargs)


class AveragePooling1D(_Pooling):
    def __init__(self, pool_size, strides, *args, **kwargs):
        super(AveragePooling1D, self).__init__(1, 'avg', pool_size, strides, *args, **kwargs)


class AveragePooling2D(_Pooling):
    def __init__(self, pool_size, strides, *args, **kwargs):
        super(AveragePooling2D, self).__init__(2, 'avg', pool_size, strides, *args, **kwargs)


class AveragePooling3D(_Pooling):
    def __init__(self, pool_size, strides, *args, **kwargs):
        super(AveragePooling3D, self).__init__(3, 'avg', pool_size, strides, *args, **kwargs)



for _layer_class in (MaxPooling1D, MaxPooling2D, MaxPooling3D, AveragePooling1D,
                     AveragePooling2D, AveragePooling3D):
    spell_out_arguments(_layer_class, fixed=['rank', 'pool_type'])

def max_pooling1d(inputs, pool_size, strides, padding='valid', data_format='channels_last',
                  name=None):
    return MaxPooling1D(pool_size, strides, padding, data_format, name).apply(inputs)


def max_pooling2d(inputs, pool_size, strides, padding='valid', data_format='channels_last',
                  name=None):
    return MaxPooling2D(pool_size, strides, padding, data_format, name).apply(inputs)


def max_pooling3d(inputs, pool_size, strides, padding='valid', data_format='channels_last',
                  name=None):
    return MaxPooling3D(pool_size, strides, padding, data_format, name).apply(inputs)


def average_pooling1d(inputs, pool_size, strides, padding='valid',
                      data_format='channels_last', name=None):
    return AveragePooling1D(pool_size, strides, padding, data_format, name).apply(inputs)


def average_pooling2d(inputs, pool_size, strides, padding='valid',
                      data_format='channels_last', name=None):
    return AveragePooling2D(pool_size, strides, padding, data_format, name).apply(inputs)


def average_pooling3d(inputs, pool_size, strides, padding='valid',
                      data_format='channels_last', name=None):
    return AveragePooling3D(pool_size, strides, padding, data_format, name).apply(inputs)
