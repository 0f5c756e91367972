"""TF 1.x's registry of dense-tensor-like types (tensorflow/python/framework/ops.py, removed
in TF 2.3): `ops.register_dense_tensor_like_type(cls)` declared a class that acts as a
tensor (a TPU ReplicatedVariable: mesh-tensorflow's tpu_variables registers its copy on
import; tf-big its Tensor), `ops.is_dense_tensor_like(x)` asked, and so did `tf.is_tensor`.
A registered class converts to a tensor by its own registered conversion function."""
from tensorflow.python.framework import tensor as tensor_lib
from tensorflow.python.ops import variables

# TF 1.x registered its Tensor and its variables.
_TENSOR_LIKE_TYPES = (tensor_lib.Tensor, variables.Variable)


def is_dense_tensor_like(t):
    """Whether `t` is a Tensor, a variable or an instance of a registered type."""
    return isinstance(t, _TENSOR_LIKE_TYPES)


def register_dense_tensor_like_type(tensor_type):
    """Registers `tensor_type`, which must have `name` and `dtype` properties, as
    implementing the tensor interface; TypeError otherwise."""
    for attribute in ('name', 'dtype'):
        if not isinstance(getattr(tensor_type, attribute, None), property):
            raise TypeError('Type %s does not define a `%s` property'
                            % (tensor_type.__name__, attribute))
    global _TENSOR_LIKE_TYPES
    _TENSOR_LIKE_TYPES = _TENSOR_LIKE_TYPES + (tensor_type,)
    if not hasattr(tensor_type, 'is_tensor_like'):
        # What TF 2.x's tf.is_tensor asks of a type that is not its own.
        tensor_type.is_tensor_like = lambda self: True
