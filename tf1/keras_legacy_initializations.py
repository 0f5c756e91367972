"""Keras 1's `keras.initializations` (ported from Keras 1.2.2), which Keras 2.0 renamed to
`keras.initializers` and made classes: functions `init(shape, name=None, ...)` returning
the weight variable itself, which Keras 1 layers called in their build and scripts wrapped
in lambdas (`SimpleRNN(init=lambda shape, name: normal(shape, scale=0.001, name=name))`,
Keras 1.2.2's mnist_irnn). A layer given one uses the variable's initial value
(tf1/keras_legacy.py), so the weight starts as Keras 1's did."""
import numpy as np
from tf_keras.src import backend as K
from tf_keras.src.saving.object_registration import get_custom_objects


def get_fans(shape, dim_ordering='th'):
    if len(shape) == 2:
        fan_in, fan_out = shape[0], shape[1]
    elif len(shape) in (4, 5):
        # Convolution kernels: Theano's (depth, input_depth, ...), TensorFlow's (...,
        # input_depth, depth).
        if dim_ordering == 'th':
            receptive_field_size = np.prod(shape[2:])
            fan_in, fan_out = shape[1] * receptive_field_size, shape[0] * receptive_field_size
        elif dim_ordering == 'tf':
            receptive_field_size = np.prod(shape[:2])
            fan_in, fan_out = shape[-2] * receptive_field_size, shape[-1] * receptive_field_size
        else:
            raise ValueError('Invalid dim_ordering: ' + dim_ordering)
    else:
        fan_in = fan_out = np.sqrt(np.prod(shape))
    return fan_in, fan_out


def uniform(shape, scale=0.05, name=None, dim_ordering='th'):
    return K.random_uniform_variable(shape, -scale, scale, name=name)


def normal(shape, scale=0.05, name=None, dim_ordering='th'):
    return K.random_normal_variable(shape, 0.0, scale, name=name)


def lecun_uniform(shape, name=None, dim_ordering='th'):
    fan_in, _ = get_fans(shape, dim_ordering=dim_ordering)
    return uniform(shape, np.sqrt(3. / fan_in), name=name)


def glorot_normal(shape, name=None, dim_ordering='th'):
    fan_in, fan_out = get_fans(shape, dim_ordering=dim_ordering)
    return normal(shape, np.sqrt(2. / (fan_in + fan_out)), name=name)


def glorot_uniform(shape, name=None, dim_ordering='th'):
    fan_in, fan_out = get_fans(shape, dim_ordering=dim_ordering)
    return uniform(shape, np.sqrt(6. / (fan_in + fan_out)), name=name)


def he_normal(shape, name=None, dim_ordering='th'):
    fan_in, _ = get_fans(shape, dim_ordering=dim_ordering)
    return normal(shape, np.sqrt(2. / fan_in), name=name)


def he_uniform(shape, name=None, dim_ordering='th'):
    fan_in, _ = get_fans(shape, dim_ordering=dim_ordering)
    return uniform(shape, np.sqrt(6. / fan_in), name=name)


def orthogonal(shape, scale=1.1, name=None, dim_ordering='th'):
    """Saxe et al.'s orthogonal matrix, from NumPy's generator as Keras 1 drew it."""
    flat_shape = (shape[0], np.prod(shape[1:]))
    a = np.random.normal(0.0, 1.0, flat_shape)
    u, _, v = np.linalg.svd(a, full_matrices=False)
    q = (u if u.shape == flat_shape else v).reshape(shape)
    return K.variable(scale * q[:shape[0], :shape[1]], name=name)


def identity(shape, scale=1, name=None, dim_ordering='th'):
    if len(shape) != 2 or shape[0] != shape[1]:
        raise ValueError('Identity matrix initialization can only be used '
                         'for 2D square matrices.')
    return K.variable(scale * np.identity(shape[0]), name=name)


def zero(shape, name=None, dim_ordering='th'):
    return K.zeros(shape, name=name)


def one(shape, name=None, dim_ordering='th'):
    return K.ones(shape, name=name)


def get(identifier, **kwargs):
    """An initialization by name (a custom object's first), a dict's `name` called with the
    rest, or the callable given, as Keras 1.2.2's get_from_module found it."""
    if isinstance(identifier, str):
        found = get_custom_objects().get(identifier) or _INITIALIZATIONS.get(identifier)
        if not found:
            raise ValueError('Invalid initialization: ' + identifier)
        return found
    if isinstance(identifier, dict):
        config = dict(identifier)
        found = _INITIALIZATIONS.get(config.pop('name', None))
        if not found:
            raise ValueError('Invalid initialization: ' + str(identifier))
        return found(**config)
    return identifier


_INITIALIZATIONS = {function.__name__: function for function in (
    uniform, normal, lecun_uniform, glorot_normal, glorot_uniform, he_normal, he_uniform,
    orthogonal, identity, zero, one)}
