"""tf.keras.initializers as TF 1.x had them: TensorFlow's own graph-mode initializers
(tf.glorot_normal_initializer and its kin; Keras's 0.05 defaults for the random ones), as
TF 1.15's keras/initializers.py defined them on init_ops. Under Keras 3 the same names
draw other numbers, so a seeded TF 1.x model (tensorflow/nmt's
`tf.keras.initializers.glorot_normal(seed=...)`) would start from other weights than it
did under TF 1.x."""
import tensorflow.compat.v1 as tf
from tensorflow.python.ops import init_ops

__all__ = ['Constant', 'Identity', 'Initializer', 'Ones', 'Orthogonal', 'RandomNormal',
           'RandomUniform', 'TruncatedNormal', 'VarianceScaling', 'Zeros', 'constant',
           'glorot_normal', 'glorot_uniform', 'he_normal', 'he_uniform', 'identity',
           'lecun_normal', 'lecun_uniform', 'normal', 'ones', 'orthogonal', 'random_normal',
           'random_uniform', 'truncated_normal', 'uniform', 'zeros']

Initializer = init_ops.Initializer
Constant = constant = init_ops.Constant
Identity = identity = init_ops.Identity
Ones = ones = init_ops.Ones
Orthogonal = orthogonal = init_ops.Orthogonal
VarianceScaling = init_ops.VarianceScaling
Zeros = zeros = init_ops.Zeros
glorot_normal = init_ops.GlorotNormal
glorot_uniform = init_ops.GlorotUniform


class RandomNormal(init_ops.RandomNormal):
    def __init__(self, mean=0.0, stddev=0.05, seed=None, dtype=tf.float32):
        super(RandomNormal, self).__init__(mean=mean, stddev=stddev, seed=seed, dtype=dtype)


class RandomUniform(init_ops.RandomUniform):
    def __init__(self, minval=-0.05, maxval=0.05, seed=None, dtype=tf.float32):
        super(RandomUniform, self).__init__(minval=minval, maxval=maxval, seed=seed,
                                            dtype=dtype)


class TruncatedNormal(init_ops.TruncatedNormal):
    def __init__(self, mean=0.0, stddev=0.05, seed=None, dtype=tf.float32):
        super(TruncatedNormal, self).__init__(mean=mean, stddev=stddev, seed=seed,
                                              dtype=dtype)


normal = random_normal = RandomNormal
uniform = random_uniform = RandomUniform
truncated_normal = TruncatedNormal


def lecun_normal(seed=None):
    return VarianceScaling(scale=1., mode='fan_in', distribution='truncated_normal', seed=seed)


def lecun_uniform(seed=None):
    return VarianceScaling(scale=1., mode='fan_in', distribution='uniform', seed=seed)


def he_normal(seed=None):
    return VarianceScaling(scale=2., mode='fan_in', distribution='truncated_normal', seed=seed)


def he_uniform(seed=None):
    return VarianceScaling(scale=2., mode='fan_in', distribution='uniform', seed=seed)
