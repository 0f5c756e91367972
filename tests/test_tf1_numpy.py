"""`import numpy` in mapped code: NumPy with the names and rules TF 1.x-era code relied on
(tf1/numpy1.py); the rest of the process keeps NumPy as it is."""
import textwrap
import types
import warnings

import numpy
import pytest
import tensorflow.compat.v1 as tf

from test_tf1_runner import tf1
from tf1 import numpy1
from tf1.importer import ModuleView
from tf1.numpy1 import numpy1 as np1


def test_removed_names_mean_what_they_meant_under_numpy_1():
    assert np1.float is float and np1.int is int and np1.object is object
    assert np1.zeros(2, dtype=np1.float).dtype == numpy.float64
    assert np1.float_ is numpy.float64 and np1.string_ is numpy.bytes_
    assert np1.infty == np1.Inf == numpy.inf and np1.NINF == -numpy.inf
    assert numpy.isnan(np1.NaN)
    assert np1.asscalar(numpy.array([7])) == 7 and type(np1.asscalar(numpy.int32(7))) is int
    assert np1.product([2, 3, 4]) == 24 and list(np1.cumproduct([2, 3])) == [2, 6]
    assert np1.alltrue([True, True]) and not np1.sometrue([False, False])
    assert np1.rank(numpy.zeros((2, 3))) == 2
    assert np1.msort(numpy.array([[3, 1], [1, 2]])).tolist() == [[1, 1], [3, 2]]
    assert np1.asfarray([1, 2]).dtype == numpy.float64
    assert np1.asfarray([1, 2], dtype=numpy.int8).dtype == numpy.float64
    assert np1.asfarray([1, 2], dtype=numpy.float32).dtype == numpy.float32
    assert np1.issubclass_(numpy.float64, numpy.floating) and not np1.issubclass_(1, int)
    with pytest.warns(PendingDeprecationWarning):  # as NumPy 1.15+ warned of matrix
        assert isinstance(np1.mat([[1, 2]]), numpy.matrix)


def test_numpy_2s_removed_type_tables_and_helpers_as_numpy_1_had_them(tmp_path):
    # tensorpack's dataflow checks iterate np.sctypes' values.
    assert sorted(np1.sctypes) == ['complex', 'float', 'int', 'others', 'uint']
    assert numpy.float32 in np1.sctypes['float'] and bool in np1.sctypes['others']
    # NumPy 1's rule: scalars of the arrays' kind do not upcast them; a higher kind does.
    assert np1.find_common_type([numpy.float32], [numpy.int64, numpy.float64]) == numpy.float32
    assert np1.find_common_type([numpy.int8], [numpy.float64]) == numpy.float64
    assert np1.find_common_type([numpy.float32], [complex]) == numpy.complex128
    assert np1.find_common_type([], []) is None
    assert np1.maximum_sctype(numpy.int8) is numpy.int64
    assert np1.obj2sctype(numpy.zeros(2, numpy.uint8)) is numpy.uint8
    assert np1.obj2sctype('not a type') is None and np1.sctype2char(numpy.float64) == 'd'
    assert np1.issubsctype(numpy.float32, numpy.floating)
    assert np1.cast[numpy.float32]([1, 2]).dtype == numpy.float32
    assert np1.safe_eval('{"a": [1, 2]}') == {'a': [1, 2]}
    with pytest.raises(ValueError):
        np1.safe_eval('__import__("os")')
    (tmp_path / 'table.csv').write_text('Name,Size\nab,1\ncd,2\n')
    table = np1.recfromcsv(str(tmp_path / 'table.csv'), encoding='utf-8')
    assert table.dtype.names == ('name', 'size') and table['size'].tolist() == [1, 2]
    with pytest.warns(DeprecationWarning, match='`old` is deprecated, use `new` instead!'):
        assert np1.deprecate(lambda: 3, old_name='old', new_name='new')() == 3


def test_names_removed_from_a_submodule():
    padded = np1.lib.pad(numpy.ones((1, 2)), 1, 'constant')  # NumPy 1's alias of np.pad
    assert padded.shape == (3, 4) and padded.sum() == 2
    assert np1.lib.stride_tricks is numpy.lib.stride_tricks


def test_names_numpy_still_has_are_numpys():
    assert np1.bool is numpy.bool and np1.long is numpy.long
    assert np1.ndarray is numpy.ndarray and np1.random is numpy.random
    assert np1.__version__ == numpy.__version__ and np1.__file__ == numpy.__file__
    assert {'float', 'asscalar', 'ndarray', 'linalg'} <= set(dir(np1))
    with pytest.raises(AttributeError):
        np1.no_such_name


# NumPy 1.14-1.18's issubdtype (numerictypes.py): a second argument that is neither a
# scalar type nor a dtype stands for mro(np.dtype(arg2).type)[1], with a FutureWarning.
# float -> np.floating, int -> np.signedinteger, complex -> np.complexfloating, bool and
# object -> np.generic, str -> str and bytes -> bytes (np.str_'s and np.bytes_'s bases),
# 'float32' -> np.floating.
ISSUBDTYPE_CONVERTED = [
    (numpy.float32, float, True), (numpy.dtype('float64'), float, True),
    (numpy.float16, np1.float, True), (numpy.int64, float, False),
    (numpy.int32, int, True), (numpy.dtype('int8'), np1.int, True), (numpy.uint8, int, False),
    (numpy.float32, int, False), (numpy.complex64, complex, True),
    (numpy.float32, complex, False),
    (numpy.float32, bool, True), (numpy.int32, object, True), (numpy.str_, str, True),
    ('S3', bytes, True), (numpy.float32, str, False), (numpy.float64, 'float32', True),
    (numpy.int8, 'i8', True), (numpy.int8, 'f8', False)]
# A scalar type or a dtype was taken as it is, without a warning.
ISSUBDTYPE_AS_IS = [
    (numpy.float32, numpy.floating, True), (numpy.float32, numpy.dtype('float64'), False),
    (numpy.float64, numpy.float32, False), (int, numpy.signedinteger, True),
    ('f4', numpy.dtype('f4'), True), (numpy.uint8, numpy.integer, True)]


@pytest.mark.parametrize('arg1, arg2, expected', ISSUBDTYPE_CONVERTED)
def test_issubdtype_reads_a_python_type_as_numpy_1_14_to_1_18_did(arg1, arg2, expected):
    with pytest.warns(FutureWarning, match='Conversion of the second argument of issubdtype'):
        assert np1.issubdtype(arg1, arg2) is expected


@pytest.mark.parametrize('arg1, arg2, expected', ISSUBDTYPE_AS_IS)
def test_issubdtype_of_numpy_types_and_dtypes_is_unchanged(arg1, arg2, expected):
    with warnings.catch_warnings():
        warnings.simplefilter('error')
        assert np1.issubdtype(arg1, arg2) is expected is numpy.issubdtype(arg1, arg2)


def test_issubdtype_warns_in_numpy_1s_words_and_numpy_keeps_its_own_rule():
    with pytest.warns(FutureWarning) as record:
        np1.issubdtype(numpy.float32, float)
    assert str(record[0].message) == (
        'Conversion of the second argument of issubdtype from `float` to `np.floating` is '
        'deprecated. In future, it will be treated as `np.float64 == np.dtype(float).type`.')
    assert record[0].filename == __file__  # the caller's line, as NumPy's stacklevel=2
    assert numpy.issubdtype(numpy.float32, float) is False  # libraries: NumPy >= 1.20's


def test_ragged_lists_become_object_arrays_as_in_numpy_1():
    ragged = np1.array([[1, 2], [3]])
    assert ragged.dtype == object and ragged.shape == (2,) and ragged[0] == [1, 2]
    assert np1.asarray([[1], [2, 3]]).dtype == object
    assert np1.asanyarray([[1], [2, 3]]).dtype == object
    assert np1.array(object=[[1], [2, 3]]).dtype == object  # NumPy's keyword
    # A LSTM's outputs beside its state tuples: sess.run([outputs, state]).
    outputs, state = numpy.zeros((5, 28, 8)), ((numpy.zeros((5, 8)),) * 2,) * 2
    got_outputs, got_state = np1.array([outputs, state])
    assert got_outputs.shape == (5, 28, 8) and np1.asarray(got_state).shape == (2, 2, 5, 8)
    assert np1.array([[1, 2], [3, 4]]).dtype == numpy.int64  # rectangular: as NumPy has it
    copied = np1.copy([[1, 2], [3]])  # NumPy 1's copy: np.array(a, copy=True)
    assert copied.dtype == object and copied.shape == (2,)
    assert np1.copy(numpy.ones((2, 2)), order='F').flags.f_contiguous


@pytest.mark.parametrize('call', [
    lambda: np1.array([[1, 2], [3]], dtype=numpy.float32),  # a dtype asked for: refused
    lambda: np1.array([[1, 2], [3]], numpy.float32),
    lambda: np1.array([numpy.zeros((2, 3)), numpy.zeros((2, 4))]),  # NumPy 1 refused it too
    lambda: np1.array(['x'], dtype=numpy.int32),  # not about raggedness
])
def test_other_value_errors_are_numpys(call):
    with pytest.raises(ValueError):
        call()


def test_what_mapped_code_sets_on_a_view_it_sets_on_the_module(monkeypatch):
    """One NumPy under TF 1.x: `np.X = ...` reached every library. Setting the view's own
    meaning back (a monkeypatch undone) puts the module's back."""
    module = types.ModuleType('module')
    module.f = 'module f'
    view = ModuleView(module, {'f': 'view f', 'removed': 'view removed'})
    view.flag = 5
    assert module.flag == view.flag == 5
    del view.flag
    assert not hasattr(module, 'flag') and not hasattr(view, 'flag')
    monkeypatch.setattr(view, 'f', 'patched')
    monkeypatch.setattr(view, 'removed', 'patched')
    assert module.f == view.f == module.removed == view.removed == 'patched'
    monkeypatch.undo()
    assert (module.f, view.f, view.removed) == ('module f', 'view f', 'view removed')
    assert not hasattr(module, 'removed')
    view.f = view.f  # what mapped code sees already: the module keeps its own
    assert module.f == 'module f'
    view.removed = 'view removed'  # a shim for libraries (np.float = float)
    assert module.removed == view.removed == 'view removed'
    assert not {'_module', '_own', '_replaced'} & set(dir(view))


def test_copy_false_copies_only_if_needed_as_in_numpy_1():
    # OpenAI baselines' replay buffer: np.array(obs, copy=False) on ints and lists.
    assert np1.array(3, copy=False).tolist() == 3
    assert np1.array([1, 2], numpy.float32, copy=False).dtype == numpy.float32
    shared = numpy.arange(3)
    assert np1.array(shared, copy=False) is shared  # no copy when none is needed
    assert np1.array(shared) is not shared
    with pytest.raises(ValueError):  # NumPy itself, for everyone else
        numpy.array(3, copy=False)


def test_functions_that_returned_lists_return_lists():
    grid = np1.meshgrid(numpy.arange(2), numpy.arange(3), indexing='ij')
    grid.append(numpy.ones_like(grid[0]))  # Sonnet's spatial transformer test
    assert len(grid) == 3
    assert isinstance(np1.broadcast_arrays(numpy.ones(2), numpy.ones(2)), list)
    assert isinstance(np1.atleast_2d(1, 2), list) and np1.atleast_1d(1).shape == (1,)
    assert isinstance(np1.gradient(numpy.ones((3, 3))), list)
    assert isinstance(np1.gradient(numpy.ones(3)), numpy.ndarray)  # one array: as before


def test_random_ops_take_numpy_integer_sizes_as_numpy_1_made_them():
    """np.max(uint8 labels) + 1 is a uint8 under NumPy 2 (an int64 under NumPy 1)."""
    size = numpy.max(numpy.array([3, 9], numpy.uint8)) + 1
    assert size.dtype == numpy.uint8
    with tf.Graph().as_default():
        shape = numpy1._shape_tensor([size, numpy.int16(2)])
        assert shape.dtype == tf.int32
        assert tf.Session().run(shape).tolist() == [10, 2]
        assert tf.Session().run(numpy1._shape_tensor([size])).tolist() == [10]


def test_mapped_code_sees_numpy_1_and_libraries_see_numpy(tmp_path):
    (tmp_path / 'helper.py').write_text(textwrap.dedent('''\
        import numpy
        import numpy.linalg
        SEES = hasattr(numpy, 'float') and numpy.linalg.norm([3, 4]) == 5
        '''))
    (tmp_path / 'script.py').write_text(textwrap.dedent('''\
        import sys
        import warnings
        warnings.simplefilter('error')  # no FutureWarning on the way
        import numpy as np
        from numpy import asscalar, infty, linalg
        import tensorflow as tf
        import helper
        print('names', np.zeros(2, dtype=np.float).dtype, np.int(3.7), asscalar(np.array([5])), infty)
        print('helper', helper.SEES)
        print('library', hasattr(sys.modules['numpy'], 'asscalar'))  # what libraries get
        print('ragged', np.array([[1, 2], [3]]).dtype)
        labels = np.array([3, 9], np.uint8)
        weights = tf.Variable(tf.truncated_normal([np.max(labels) + 1], stddev=0.1))
        print('shape', weights.shape)
        '''))
    result = tf1(['script.py'], str(tmp_path))
    assert result.returncode == 0, result.stderr
    lines = dict(line.split(' ', 1) for line in result.stdout.splitlines())
    assert lines == {'names': 'float64 3 5 inf', 'helper': 'True', 'library': 'False',
                     'ragged': 'object', 'shape': '(10,)'}


def test_star_import_and_the_other_names_numpy_2_removed(tmp_path):
    (tmp_path / 'star.py').write_text(textwrap.dedent('''\
        import numpy as np
        from numpy import *
        print('star', float_ is np.float64, asscalar(np.array([3])), isnan(NaN), float is np.float)
        print('names', np.isnan(np.NAN), np.math.factorial(4))
        '''))
    result = tf1(['star.py'], str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert 'star True 3 True True' in result.stdout and 'names True 24' in result.stdout
    assert 'float' not in np1.__all__ and {'float_', 'asscalar', 'NaN'} <= set(np1.__all__)
