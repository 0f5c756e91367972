"""Keras 2.2.4's backend and utility functions that tf_keras dropped or changed, for
standalone Keras code (`keras.backend`, `keras.utils`), ported from Keras 2.2.4: relu taking
a tensor as max_value (keras-contrib's SReLU clips at a weight), slice, is_tensor,
get_variable_shape, and the Theano/TensorFlow kernel conversion of layer_utils and
conv_utils."""
import numpy as np
import tensorflow.compat.v1 as tf
from tf_keras.src import backend as K


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
