"""tf.keras.initializers as TF 1.x had them: TensorFlow's own graph-mode initializers
(tf.glorot_normal_initializer and its kin; Keras's 0.05 defaults for the random ones),
which TF 2.21 still ships for its legacy Keras. Under Keras 3 the same names draw other
numbers, so a seeded TF 1.x model (tensorflow/nmt's `tf.keras.initializers.glorot_normal(
seed=...)`) would start from other weights than it did under TF 1.x."""
from tensorflow.python.keras.initializers import initializers_v1
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
RandomNormal = normal = random_normal = initializers_v1.RandomNormal
RandomUniform = uniform = random_uniform = initializers_v1.RandomUniform
TruncatedNormal = truncated_normal = initializers_v1.TruncatedNormal
he_normal = initializers_v1.HeNormal
he_uniform = initializers_v1.HeUniform
lecun_normal = initializers_v1.LecunNormal
lecun_uniform = initializers_v1.LecunUniform
