"""NumPy 1's functions that NumPy 2.0 removed (NEP 52) and TF 1.x-era libraries still call:
the scalar-type tables and helpers (`np.sctypes`, tensorpack's dataflow checks; find_common_type,
maximum_sctype, obj2sctype, sctype2char, issubsctype, cast) and small utilities (safe_eval,
byte_bounds, DataSource, compare_chararrays, format_parser, fastCopyAndTranspose, recfromcsv,
recfromtxt, disp, deprecate), as NumPy 1.26 defined them. tf1/numpy1.py adds them to the
`numpy` that mapped code imports."""
import ast
import functools
import sys
import warnings

import numpy

sctypes = {
    'int': [numpy.int8, numpy.int16, numpy.int32, numpy.int64],
    'uint': [numpy.uint8, numpy.uint16, numpy.uint32, numpy.uint64],
    'float': [numpy.float16, numpy.float32, numpy.float64, numpy.longdouble],
    'complex': [numpy.complex64, numpy.complex128, numpy.clongdouble],
    'others': [bool, object, bytes, str, numpy.void],
}
_KIND_NAMES = {'b': 'others', 'i': 'int', 'u': 'uint', 'f': 'float', 'c': 'complex'}
# find_common_type's order of kinds, and the types it tries, smallest first.
_KINDS = ['b', 'u', 'i', 'f', 'c', 'S', 'U', 'V', 'O', 'M', 'm']
_TEST_TYPES = '?' + numpy.typecodes['AllInteger'][:-2] + numpy.typecodes['AllFloat'] + 'O'


def obj2sctype(rep, default=None):
    """The scalar type of `rep` (a type, an array, anything np.dtype takes), else default."""
    if isinstance(rep, type) and issubclass(rep, numpy.generic):
        return rep
    if isinstance(rep, numpy.ndarray):
        return rep.dtype.type
    try:
        return numpy.dtype(rep).type
    except Exception:
        return default


def maximum_sctype(t):
    """The largest scalar type of the same kind as `t` (np.float32 -> np.longdouble)."""
    scalar_type = obj2sctype(t)
    if scalar_type is None:
        return t
    base = _KIND_NAMES.get(numpy.dtype(scalar_type).kind)
    return sctypes[base][-1] if base and base != 'others' else scalar_type


def sctype2char(sctype):
    """The character code of a scalar type ('d' for np.float64)."""
    scalar_type = obj2sctype(sctype)
    if scalar_type is None:
        raise ValueError('unrecognized type')
    if scalar_type not in numpy.sctypeDict.values():
        raise KeyError(scalar_type)
    return numpy.dtype(scalar_type).char


def issubsctype(arg1, arg2):
    """Whether the scalar type of arg1 is a subclass of arg2's."""
    return issubclass(obj2sctype(arg1), obj2sctype(arg2))


def find_common_type(array_types, scalar_types):
    """The type arrays of `array_types` and scalars of `scalar_types` combine to, by NumPy
    1's rule: the scalars count only when they are of a higher kind than the arrays."""
    array_types = [numpy.dtype(x) for x in array_types]
    scalar_types = [numpy.dtype(x) for x in scalar_types]
    max_array, max_scalar = _can_coerce_all(array_types), _can_coerce_all(scalar_types)
    if max_array is None:
        return max_scalar
    if max_scalar is None:
        return max_array
    try:
        index_array, index_scalar = _KINDS.index(max_array.kind), _KINDS.index(max_scalar.kind)
    except ValueError:
        return None
    if index_scalar > index_array:
        if max_scalar > max_array:
            return max_scalar
        try:
            start = _TEST_TYPES.index(max_scalar.char)
        except ValueError:
            return None
        return _can_coerce_all([max_scalar, max_array], start=start)
    return max_array


def _can_coerce_all(dtypes, start=0):
    if not dtypes:
        return None
    if len(dtypes) == 1:
        return dtypes[0]
    for code in _TEST_TYPES[start:]:
        candidate = numpy.dtype(code)
        if all(candidate >= x for x in dtypes):
            return candidate
    return None


# np.cast[np.float32](x): x as an array of that type.
cast = {scalar_type: functools.partial(lambda x, k: numpy.asarray(x).astype(k),
                                       k=scalar_type)
        for scalar_type in set(numpy.sctypeDict.values())}


def safe_eval(source):
    """A Python literal read from text, nothing else evaluated."""
    return ast.literal_eval(source)


def fastCopyAndTranspose(a):  # noqa: N802 (NumPy's name)
    return numpy.asarray(a).T.copy()


def recfromtxt(fname, **kwargs):
    """genfromtxt's table as a record array (a masked one with usemask=True)."""
    kwargs.setdefault('dtype', None)
    output = numpy.genfromtxt(fname, **kwargs)
    if kwargs.get('usemask', False):
        from numpy.ma.mrecords import MaskedRecords
        return output.view(MaskedRecords)
    return output.view(numpy.recarray)


def recfromcsv(fname, **kwargs):
    """A CSV file with a header row as a record array, field names in lower case."""
    kwargs.setdefault('case_sensitive', 'lower')
    kwargs.setdefault('names', True)
    kwargs.setdefault('delimiter', ',')
    return recfromtxt(fname, **kwargs)


def disp(mesg, device=None, linefeed=True):
    """Writes `mesg` to device (stdout), with a newline unless linefeed=False."""
    device = device or sys.stdout
    device.write('%s\n' % mesg if linefeed else '%s' % mesg)
    device.flush()


def deprecate(*args, **kwargs):
    """A function wrapped to warn, when called, that it is deprecated (NumPy 1's decorator:
    `deprecate(func)`, or `deprecate(message=...)` to decorate)."""
    message = kwargs.get('message')

    def decorate(function):
        old_name = kwargs.get('old_name') or function.__name__
        new_name = kwargs.get('new_name')
        text = '`%s` is deprecated' % old_name + (
            ', use `%s` instead!' % new_name if new_name else '!')

        @functools.wraps(function)
        def warning(*call_args, **call_kwargs):
            warnings.warn(text + ('\n' + message if message else ''), DeprecationWarning,
                          stacklevel=2)
            return function(*call_args, **call_kwargs)
        return warning
    return decorate(args[0]) if args else decorate


REMOVED_IN_2 = {
    'sctypes': sctypes, 'obj2sctype': obj2sctype, 'maximum_sctype': maximum_sctype,
    'sctype2char': sctype2char, 'issubsctype': issubsctype,
    'find_common_type': find_common_type, 'cast': cast, 'safe_eval': safe_eval,
    'fastCopyAndTranspose': fastCopyAndTranspose, 'recfromtxt': recfromtxt,
    'recfromcsv': recfromcsv, 'disp': disp, 'deprecate': deprecate,
    'byte_bounds': numpy.lib.array_utils.byte_bounds,
    'DataSource': numpy.lib.npyio.DataSource,
    'compare_chararrays': numpy.char.compare_chararrays,
    'format_parser': numpy.rec.format_parser,
}
