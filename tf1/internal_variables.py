"""tensorflow.python.ops.variables.Variable as TF 1.0-1.12 code used it: calling it makes a
TF 1.x variable (tf.compat.v1.Variable: `collections=`, `use_resource=` honoured), while
`isinstance(x, variables.Variable)` and its class attributes stay TensorFlow's. TF 2.x's
class would take `collections=[LOCAL_VARIABLES]` and drop it, so a streaming metric's
counters (SSD-Tensorflow's) would land among the global variables unnoticed."""
import tensorflow.compat.v1 as tf
from tensorflow.python.ops import variables


class _VariableClass(type):
    def __call__(cls, *args, **kwargs):
        return tf.Variable(*args, **kwargs)

    def __instancecheck__(cls, instance):
        return isinstance(instance, variables.Variable)

    def __subclasscheck__(cls, subclass):
        return issubclass(subclass, variables.Variable)

    def __getattr__(cls, name):  # Variable.SaveSliceInfo, Variable._OverloadAllOperators ...
        return getattr(variables.Variable, name)


class Variable(metaclass=_VariableClass):
    """A TF 1.x variable when called; TensorFlow's Variable class otherwise."""
