"""NumPy as TF 1.x-era code used it (NumPy 1.11-1.18), for mapped code.

Today's NumPy removed names such code calls everywhere (`dtype=np.float`, `np.int`,
`np.infty`, `np.asscalar` ...), refuses the ragged lists NumPy 1 turned into object arrays
(`_outputs, _state = np.array(sess.run([outputs, state]))`), and, since NumPy 2's
promotion rules (NEP 50), `np.max(uint8_labels) + 1` is a uint8 that TensorFlow's random
ops refuse as a shape; `np.array(x, copy=False)` refuses what needs a copy, and meshgrid and
its kind return tuples, not lists; `np.issubdtype(x, np.float)` (float) answers False. So
`import numpy` in mapped code (tf1/importer.py) gives NumPy itself plus the removed names,
with the meaning they had then, and NumPy 1's rules for those calls; names NumPy still has
keep NumPy's meaning (`np.bool`, `np.long`). Everyone else in the process sees NumPy as it
is.
"""
import functools
import math
import warnings

import numpy
from tensorflow.python.ops import shape_util

from tf1.importer import ModuleView
from tf1.numpy1_types import REMOVED_IN_2


def _asscalar(a):
    """NumPy 1.16's np.asscalar (removed in 1.23)."""
    return a.item()


def _msort(a):
    """NumPy 1's np.msort: a copy sorted along the first axis."""
    b = numpy.array(a, subok=True, copy=True)
    b.sort(0)
    return b


def _asfarray(a, dtype=numpy.double):
    """NumPy 1's np.asfarray: an array of a floating type (double unless `dtype` is one)."""
    if not numpy.issubdtype(dtype, numpy.inexact):
        dtype = numpy.double
    return numpy.asarray(a, dtype=dtype)


def _issubclass_(arg1, arg2):
    try:
        return issubclass(arg1, arg2)
    except TypeError:
        return False


def _issubdtype(arg1, arg2):
    """NumPy 1.14-1.18's np.issubdtype (TF 1.15 required NumPy < 1.19): a second argument
    that is neither a NumPy scalar type nor a dtype (float, int, 'f4') stood for its
    type's parent, with a FutureWarning: issubdtype(np.float32, np.float) asked about
    np.floating, True (Edward's check_data relied on it). NumPy 1.19 (numpy#15773) asks
    about np.dtype(arg2).type, np.float64: False."""
    if not _issubclass_(arg1, numpy.generic):
        arg1 = numpy.dtype(arg1).type
    if not _issubclass_(arg2, numpy.generic):
        raw, arg2 = arg2, numpy.dtype(arg2).type
        if not isinstance(raw, numpy.dtype):
            mro = arg2.mro()
            abstract = mro[1] if len(mro) > 1 else mro[0]
            warnings.warn('Conversion of the second argument of issubdtype from `%s` to `%s` '
                          'is deprecated. In future, it will be treated as `%s == '
                          'np.dtype(%s).type`.' % (_type_repr(raw), _type_repr(abstract),
                                                   _type_repr(arg2), _type_repr(raw)),
                          FutureWarning, stacklevel=2)
            arg2 = abstract
    return issubclass(arg1, arg2)


def _type_repr(x):
    """How NumPy 1.14-1.18's issubdtype warning named a type: np.floating, float, 'f4'."""
    if not isinstance(x, type):
        return repr(x)
    return ('np.' if issubclass(x, numpy.generic) else '') + x.__name__


_NOT_EXPORTED = ('bool', 'int', 'float', 'complex', 'object', 'str', 'unicode', 'math')

REMOVED = {
    # Builtin aliases, removed in NumPy 1.24.
    'bool': bool, 'int': int, 'float': float, 'complex': complex, 'object': object,
    'str': str, 'unicode': str,
    'asscalar': _asscalar,   # removed in 1.23
    'rank': numpy.ndim,      # removed in 1.18
    # Removed in NumPy 2.0 (NEP 52).
    'float_': numpy.float64, 'complex_': numpy.complex128, 'cfloat': numpy.complex128,
    'singlecomplex': numpy.complex64, 'longfloat': numpy.longdouble,
    'longcomplex': numpy.clongdouble, 'clongfloat': numpy.clongdouble,
    'string_': numpy.bytes_, 'unicode_': numpy.str_, 'int0': numpy.intp,
    'uint0': numpy.uintp, 'bool8': numpy.bool_, 'object0': numpy.object_,
    'str0': numpy.str_, 'bytes0': numpy.bytes_, 'void0': numpy.void,
    'Inf': numpy.inf, 'Infinity': numpy.inf, 'infty': numpy.inf, 'PINF': numpy.inf,
    'NINF': -numpy.inf, 'PZERO': 0.0, 'NZERO': -0.0, 'NaN': numpy.nan, 'NAN': numpy.nan,
    'math': math,
    'round_': numpy.round, 'product': numpy.prod, 'cumproduct': numpy.cumprod,
    'alltrue': numpy.all, 'sometrue': numpy.any, 'mat': numpy.asmatrix, 'msort': _msort,
    'asfarray': _asfarray, 'issubclass_': _issubclass_,
    **REMOVED_IN_2,  # the type tables and helpers (tf1/numpy1_types.py)
}


def _ragged_as_objects(make_array):
    """np.array/asarray/asanyarray that, as NumPy 1 did, make an object array of a ragged
    list (NumPy 1.24 refuses it: "inhomogeneous shape") when no dtype was asked for."""
    @functools.wraps(make_array)
    def wrapper(*args, **kwargs):
        try:
            return make_array(*args, **kwargs)
        except ValueError as error:
            dtype = args[1] if len(args) > 1 else kwargs.get('dtype')
            if dtype is not None or 'inhomogeneous' not in str(error):
                raise
        if len(args) > 1:
            args = args[:1] + (object,) + args[2:]
        else:
            kwargs['dtype'] = object
        return make_array(*args, **kwargs)
    return wrapper


def _copy_if_needed(make_array):
    """np.array whose copy=False means, as in NumPy 1, "copy only if needed" (NumPy 2
    refuses an input that needs one: OpenAI baselines' replay buffer, np.array(3, copy=False))."""
    @functools.wraps(make_array)
    def wrapper(*args, **kwargs):
        if kwargs.get('copy', True) is False:
            kwargs['copy'] = None
        return make_array(*args, **kwargs)
    return wrapper


def _copy(make_array):
    """NumPy 1's np.copy, `np.array(a, order=order, subok=subok, copy=True)` with NumPy 1's
    array: a ragged list becomes an object array (NumPy 2's copy refuses it)."""
    @functools.wraps(numpy.copy)
    def copy(a, order='K', subok=False):
        return make_array(a, order=order, subok=subok, copy=True)
    return copy


def _as_list(returns_arrays):
    """A function whose arrays NumPy 2 returns as a tuple, returning NumPy 1's list (code
    appended to np.meshgrid's grids: Sonnet's spatial transformer tests)."""
    @functools.wraps(returns_arrays)
    def wrapper(*args, **kwargs):
        arrays = returns_arrays(*args, **kwargs)
        return list(arrays) if isinstance(arrays, tuple) else arrays
    return wrapper


# NumPy 1 returned these functions' several arrays as a list (NumPy 2: a tuple).
RETURNED_LISTS = ('meshgrid', 'broadcast_arrays', 'atleast_1d', 'atleast_2d', 'atleast_3d',
                  'gradient')


def _saving_ragged(save, ragged_asanyarray):
    """np.save/savez/savez_compressed that, as NumPy 1 did, save a ragged list given as an
    array (or as one of savez's arrays) as an object array."""
    def as_array(value):
        return ragged_asanyarray(value) if isinstance(value, (list, tuple)) else value

    @functools.wraps(save)
    def wrapper(file, *args, **kwargs):
        if save is numpy.save:
            args = (as_array(args[0]),) + args[1:] if args else args
            if 'arr' in kwargs:
                kwargs['arr'] = as_array(kwargs['arr'])
            return save(file, *args, **kwargs)
        return save(file, *[as_array(a) for a in args],
                    **{key: as_array(value) for key, value in kwargs.items()})
    return wrapper


# Names NumPy 2 removed from a submodule: np.lib.pad (NumPy 1's alias of np.pad).
REMOVED_FROM = {'lib': {'pad': numpy.pad}}


class NumPy1(ModuleView):
    """`numpy` as mapped code sees it: NumPy, plus REMOVED, the ragged-list rule (for
    making and copying arrays and for saving lists as arrays), np.array's copy=False, the
    lists NumPy 1 returned and NumPy 1.14-1.18's issubdtype."""

    def __init__(self):
        names = {name: value for name, value in REMOVED.items()
                 if name not in vars(numpy)}  # not its __getattr__: it warns
        for name in ('array', 'asarray', 'asanyarray'):
            names[name] = _ragged_as_objects(getattr(numpy, name))
        names['array'] = _copy_if_needed(names['array'])
        names['copy'] = _copy(names['array'])
        names['issubdtype'] = _issubdtype
        for name in RETURNED_LISTS:
            names[name] = _as_list(getattr(numpy, name))
        for name in ('save', 'savez', 'savez_compressed'):
            names[name] = _saving_ragged(getattr(numpy, name), names['asanyarray'])
        for name, removed in REMOVED_FROM.items():
            names[name] = ModuleView(getattr(numpy, name), removed)
        # `from numpy import *` as NumPy 1 had it: the removed names too, not the aliases
        # of builtins (nor the math module).
        names['__all__'] = list(numpy.__all__) + sorted(
            name for name in names if name in REMOVED and name not in _NOT_EXPORTED)
        super().__init__(numpy, names)


numpy1 = NumPy1()


_TENSORFLOW_SIZES = (numpy.int32, numpy.int64)  # the integer types a shape tensor may have


def _shape_tensor(shape, _tensorflow_shape_tensor=shape_util.shape_tensor):
    """TensorFlow's shape_tensor, with NumPy integer sizes taken as the Python ints NumPy 1's
    promotion made of them (np.max(uint8_labels) + 1 was an int64; it is a uint8 now,
    which a random op refuses as a shape)."""
    if isinstance(shape, (list, tuple)) and any(
            isinstance(size, numpy.integer) and not isinstance(size, _TENSORFLOW_SIZES)
            for size in shape):
        shape = [int(size) if isinstance(size, numpy.integer) else size for size in shape]
    return _tensorflow_shape_tensor(shape)


def install():
    """Random ops (tf.random_normal, tf.truncated_normal ...) take the shapes above."""
    shape_util.shape_tensor = _shape_tensor
