"""tf.train.Int64List as TF 1.x's protobuf 3 made it: bools taken as 1 and 0 (the TF 1.x
tf_records tutorial's `_int64_feature(True)`), which today's protobuf refuses. It builds
the same message class, which isinstance and its class attributes (FromString ...) see."""
import numpy as np
from tensorflow.core.example import feature_pb2


class _Int64ListType(type):
    def __instancecheck__(cls, instance):
        return isinstance(instance, feature_pb2.Int64List)

    def __getattr__(cls, name):
        return getattr(feature_pb2.Int64List, name)


class Int64List(metaclass=_Int64ListType):
    """Int64List(value=[...]): the tf.train.Int64List message, bools as integers."""

    def __new__(cls, value=(), **kwargs):
        if isinstance(value, np.ndarray):
            value = value.astype(np.int64) if value.dtype == np.bool_ else value
        else:
            value = [int(v) if isinstance(v, (bool, np.bool_)) else v for v in value]
        return feature_pb2.Int64List(value=value, **kwargs)
