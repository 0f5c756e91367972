"""contrib.layers' real-valued feature columns, which TF 1.0-1.3's contrib.learn canned
estimators took (`real_valued_column("", dimension=784)` for a NumPy `x`, whose features
arrive under the key ""). TF 1.x's own contrib columns became tf.feature_column's; these
are tf.feature_column.numeric_column, marked as contrib's so that the linear models name
their variables as TF 1.x did for contrib columns (`tf1/contrib_learn_canned.py`).
contrib's sparse, bucketized and embedding columns are not re-created: tf.feature_column
has each of them."""
import tensorflow.compat.v1 as tf
from tensorflow.python.feature_column import feature_column_v2


class RealValuedColumn(feature_column_v2.NumericColumn):
    """A numeric column made by contrib's real_valued_column."""
    __slots__ = ()


def real_valued_column(column_name, dimension=1, default_value=None, dtype=tf.float32,
                       normalizer=None):
    """A dense column of `dimension` floats (or ints) read from features[column_name]."""
    if dimension is None:
        raise ValueError('real_valued_column(dimension=None), a variable-length column, is '
                         'not provided by tf1: give its dimension')
    if not (isinstance(dimension, int) and dimension >= 1):
        raise TypeError('dimension must be an integer >= 1. Given: %r' % (dimension,))
    column = tf.feature_column.numeric_column(column_name, shape=(dimension,),
                                              default_value=default_value, dtype=dtype,
                                              normalizer_fn=normalizer)
    return RealValuedColumn(*column)


def infer_real_valued_columns(features):
    """A real-valued column for each feature (a tensor is the feature ""), of the width
    of one example flattened, as TF 1.x inferred them."""
    if not isinstance(features, dict):
        return [_column('', features)]
    return [_column(key, value) for key, value in sorted(features.items())]


def _column(name, tensor):
    dtype = tf.as_dtype(tensor.dtype)
    if not (dtype.is_floating or dtype.is_integer):
        raise ValueError('Non-float and non-integer types are not supported: %s in feature '
                         '%r' % (dtype.name, name))
    dimension = tensor.shape[1:].num_elements()
    if dimension is None:
        raise ValueError('The shape of feature %r is not fully known beyond the batch: %s'
                         % (name, tensor.shape))
    return real_valued_column(name, dimension=dimension, dtype=dtype)
