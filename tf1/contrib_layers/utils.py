"""tf.contrib.layers' utils (slim.utils), as TF 1.15 had them
(contrib/layers/python/layers/utils.py): the end-points idiom of TF-Slim nets (each
layer's output collected under its scope's name, `convert_collection_to_dict` to read
them back), and the small helpers layer code imports from it."""
import collections

import tensorflow.compat.v1 as tf

from tf1.layers.utils import is_int, is_variable

__all__ = ['append_tensor_alias', 'collect_named_outputs', 'constant_value',
           'convert_collection_to_dict', 'first_dimension', 'gather_tensors_aliases',
           'get_tensor_aliases', 'get_variable_collections', 'last_dimension', 'smart_cond',
           'static_cond', 'two_element_tuple']


def append_tensor_alias(tensor, alias):
    """`tensor`, also known by `alias` (a scope name; its ending '/' dropped)."""
    alias = alias[:-1] if alias.endswith('/') else alias
    if hasattr(tensor, 'aliases'):
        tensor.aliases.append(alias)
    else:
        tensor.aliases = [alias]
    return tensor


def collect_named_outputs(collections_, alias, outputs):
    """`outputs`, added to each of `collections_` under `alias` (if any are given)."""
    if collections_:
        append_tensor_alias(outputs, alias)
        tf.add_to_collections(collections_, outputs)
    return outputs


def get_tensor_aliases(tensor):
    """The names `tensor` was collected under; else its op's name (its own, if not :0)."""
    if hasattr(tensor, 'aliases'):
        return tensor.aliases
    return [tensor.op.name] if tensor.name.endswith(':0') else [tensor.name]


def gather_tensors_aliases(tensors):
    return [alias for tensor in tensors for alias in get_tensor_aliases(tensor)]


def convert_collection_to_dict(collection, clear_collection=False):
    """{alias: tensor} of a collection, in its order: a slim net's end points."""
    output = collections.OrderedDict((alias, tensor)
                                     for tensor in tf.get_collection(collection)
                                     for alias in get_tensor_aliases(tensor))
    if clear_collection:
        tf.get_default_graph().clear_collection(collection)
    return output


def constant_value(value_or_tensor_or_var, dtype=None):
    """The value known when the graph is built: the value itself, a constant tensor's
    value, or None (a variable, or a tensor computed at run time)."""
    if value_or_tensor_or_var is None:
        raise ValueError('value_or_tensor_or_var cannot be None')
    value = value_or_tensor_or_var
    if isinstance(value, tf.Tensor) or is_variable(value):
        if dtype and value.dtype != dtype:
            raise ValueError('It has the wrong type %s instead of %s' % (value.dtype, dtype))
        value = None if is_variable(value) else tf.get_static_value(value)
    return value


def static_cond(pred, fn1, fn2):
    """fn1() if pred else fn2(), decided now."""
    if not callable(fn1):
        raise TypeError('fn1 must be callable.')
    if not callable(fn2):
        raise TypeError('fn2 must be callable.')
    return fn1() if pred else fn2()


def smart_cond(pred, fn1, fn2, name=None):
    """static_cond when `pred` is known now, else tf.cond."""
    pred_value = constant_value(pred)
    if pred_value is not None:
        return static_cond(pred_value, fn1, fn2)
    return tf.cond(pred, fn1, fn2, name=name)


def get_variable_collections(variables_collections, name):
    """The collections for variable kind `name`: from a dict by kind, or the list itself."""
    if isinstance(variables_collections, dict):
        return variables_collections.get(name, None)
    return variables_collections


def _get_dimension(shape, dim, min_rank=1):
    dims = shape.dims
    if dims is None:
        raise ValueError('dims of shape must be known but is None')
    if len(dims) < min_rank:
        raise ValueError('rank of shape must be at least %d not: %d' % (min_rank, len(dims)))
    value = tf.compat.dimension_value(dims[dim])
    if value is None:
        raise ValueError('dimension %d of shape must be known but is None: %s' % (dim, shape))
    return value


def last_dimension(shape, min_rank=1):
    """The last dimension of a TensorShape, which must be known."""
    return _get_dimension(shape, -1, min_rank=min_rank)


def first_dimension(shape, min_rank=1):
    """The first dimension of a TensorShape, which must be known."""
    return _get_dimension(shape, 0, min_rank=1)


def two_element_tuple(int_or_tuple):
    """(h, w) from one int, a pair, or a TensorShape of two dimensions."""
    if isinstance(int_or_tuple, (list, tuple)):
        if len(int_or_tuple) != 2:
            raise ValueError('Must be a list with 2 elements: %s' % (int_or_tuple,))
        return int(int_or_tuple[0]), int(int_or_tuple[1])
    if isinstance(int_or_tuple, int):
        return int(int_or_tuple), int(int_or_tuple)
    if isinstance(int_or_tuple, tf.TensorShape) and len(int_or_tuple) == 2:
        return int_or_tuple[0], int_or_tuple[1]
    raise ValueError('Must be an int, a list with 2 elements or a TensorShape of length 2')


def n_positive_integers(n, value):
    """`value` (one int, n of them, or a TensorShape of rank n) as a tuple of n positive
    ints."""
    if not is_int(n) or n < 1:
        raise ValueError('n must be a positive integer')
    if isinstance(value, tf.TensorShape):
        value = value.as_list()
    values = tuple(value) if isinstance(value, (list, tuple)) else (value,) * n
    # As TF 1.15: anything int() takes whole (NumPy's ints too).
    if len(values) != n or not all(is_int(v) and v > 0 for v in values):
        raise ValueError('Expected a sequence of %d positive integers, but received: %r'
                         % (n, value))
    return tuple(int(v) for v in values)
