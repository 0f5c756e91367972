"""Keras 2.2.4's backend and utility functions that tf_keras dropped or changed, for
standalone Keras code (`keras.backend`, `keras.utils`), ported from Keras 2.2.4: relu taking
a tensor as max_value (keras-contrib's SReLU clips at a weight), slice, is_tensor,
get_variable_shape, and the Theano/TensorFlow kernel conversion of layer_utils and
conv_utils; Keras 2.2's helpers of optimizers, conv_utils and generic_utils that custom
layers and optimizers imported (clip_norm, deconv_length, unpack_singleton, object_list_uid,
transpose_shape); and Keras 1.2.2's names that Keras 2.0 renamed, which Keras 1 scripts
pass: random_normal's `std=`, random_uniform's `low=` and `high=`."""
import numpy as np
import tensorflow.compat.v1 as tf
from tf_keras.src import backend as K
from tf_keras.src.utils import conv_utils, generic_utils


def relu(x, alpha=0., max_value=None, threshold=0.):
    """Keras 2.2.4's relu: max_value and alpha may be tensors (tf_keras makes max_value a
    constant, refusing a tensor)."""
    if alpha != 0.:
        if max_value is None and threshold == 0.:
            return tf.nn.leaky_relu(x, alpha=alpha)
        negative_part = tf.nn.relu(-x + threshold) if threshold != 0. else tf.nn.relu(-x)
    clip_max = max_value is not None
    if threshold != 0:
        x = x * tf.cast(tf.greater(x, threshold), K.floatx())
    elif max_value == 6:
        x = tf.nn.relu6(x)
        clip_max = False
    else:
        x = tf.nn.relu(x)
    if clip_max:
        max_value = tf.convert_to_tensor(max_value, x.dtype.base_dtype)
        x = tf.clip_by_value(x, tf.convert_to_tensor(0., x.dtype.base_dtype), max_value)
    if alpha != 0.:
        x -= tf.convert_to_tensor(alpha, x.dtype.base_dtype) * negative_part
    return x


def random_normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None, std=None):
    """Keras 2's random_normal; Keras 1 named the deviation `std` (its VAE examples'
    `K.random_normal(shape=(batch_size, latent_dim), mean=0., std=epsilon_std)`)."""
    return K.random_normal(shape, mean, stddev if std is None else std, dtype, seed)


def random_uniform(shape, minval=0.0, maxval=1.0, dtype=None, seed=None, low=None,
                   high=None):
    """Keras 2's random_uniform; Keras 1 named the bounds `low` and `high`."""
    return K.random_uniform(shape, minval if low is None else low,
                            maxval if high is None else high, dtype, seed)


def slice_X(arrays, start=None, stop=None):
    """Keras 1's keras.engine.training.slice_X, Keras 2.0-2.1's `_slice_arrays`: an array
    or each of a list of arrays sliced from start to stop, or taken at the indices `start`
    (Keras 1.2.2's addition_rnn splits its validation data so)."""
    if arrays is None:
        return [None]
    if hasattr(start, 'shape'):  # HDF5 datasets take lists of indices only
        start = start.tolist()
    index = start if hasattr(start, '__len__') else np.s_[start:stop]
    if isinstance(arrays, list):
        return [None if array is None else array[index] for array in arrays]
    return arrays[index]


def slice(x, start, size):  # noqa: A001 (Keras's name)
    return tf.slice(x, start, size)


def is_tensor(x):
    return tf.is_tensor(x)


def get_variable_shape(x):
    return K.int_shape(x)


def convert_kernel(kernel):
    """A NumPy convolution kernel flipped along its spatial axes, between Theano's and
    TensorFlow's conventions (its own inverse)."""
    kernel = np.asarray(kernel)
    if not 3 <= kernel.ndim <= 5:
        raise ValueError('Invalid kernel shape:', kernel.shape)
    return np.copy(kernel[(np.s_[::-1],) * (kernel.ndim - 2) + (np.s_[:], np.s_[:])])


def convert_all_kernels_in_model(model):
    """Every Conv1D, Conv2D, Conv3D and Conv2DTranspose kernel of the model converted by
    convert_kernel, in place."""
    conv_classes = {'Conv1D', 'Conv2D', 'Conv3D', 'Conv2DTranspose'}
    K.batch_set_value([(layer.kernel, convert_kernel(K.get_value(layer.kernel)))
                       for layer in model.layers if layer.__class__.__name__ in conv_classes])


def clip_norm(g, c, n):
    """keras.optimizers' helper of Keras 2.0-2.2's custom optimizers: the gradient g scaled
    by c / n where its norm n reaches c."""
    if c <= 0:
        return g
    clipped = tf.cond(n >= c, lambda: tf.scalar_mul(c / n, g), lambda: g)
    if isinstance(g, tf.Tensor):
        clipped.set_shape(g.shape)
    return clipped


def deconv_length(dim_size, stride_size, kernel_size, padding, output_padding=None,
                  dilation=1):
    """conv_utils' output length of a transposed convolution, in Keras 2.0-2.2's argument
    order (Keras 2.2 added output_padding and dilation; tf_keras renamed it
    deconv_output_length)."""
    return conv_utils.deconv_output_length(dim_size, kernel_size, padding, output_padding,
                                           stride_size, dilation)


def unpack_singleton(x):
    return x[0] if len(x) == 1 else x


def object_list_uid(object_list):
    return ', '.join(str(abs(id(x))) for x in generic_utils.to_list(object_list))


def transpose_shape(shape, target_format, spatial_axes):
    """A channels-last shape in target_format (Keras 2.2's generic_utils)."""
    if target_format == 'channels_first':
        new_values = (tuple(shape[:spatial_axes[0]]) + (shape[-1],) +
                      tuple(shape[x] for x in spatial_axes))
        return list(new_values) if isinstance(shape, list) else new_values
    if target_format == 'channels_last':
        return shape
    raise ValueError('The `data_format` argument must be one of "channels_first", '
                     '"channels_last". Received: ' + str(target_format))
