"""The graph editor's helpers: lists of ops and tensors, graph checks, control outputs,
placeholders and scope names. Ported from TF 1.15's contrib/graph_editor/util.py."""
import collections.abc
import re

import tensorflow.compat.v1 as tf
from tensorflow.python.framework import ops as tf_ops

__all__ = ['make_list_of_op', 'get_tensors', 'make_list_of_t', 'get_generating_ops',
           'get_consuming_ops', 'ControlOutputs', 'placeholder_name',
           'make_placeholder_from_tensor', 'make_placeholder_from_dtype_and_shape']

# The placeholders the graph editor makes are named "geph_*" (Graph-Editor PlaceHolder).
_DEFAULT_PLACEHOLDER_PREFIX = 'geph'


def concatenate_unique(la, lb):
    """Appends to the list `la` the elements of `lb` not in it yet, in order; returns `la`."""
    la_set = set(la)
    for l in lb:
        if l not in la_set:
            la.append(l)
            la_set.add(l)
    return la


class ListView(object):
    """Immutable list wrapper (as tf.Operation's inputs were)."""

    def __init__(self, list_):
        if not isinstance(list_, list):
            raise TypeError('Expected a list, got: {}.'.format(type(list_)))
        self._list = list_

    def __iter__(self):
        return iter(self._list)

    def __len__(self):
        return len(self._list)

    def __bool__(self):
        return bool(self._list)

    def __getitem__(self, i):
        return self._list[i]

    def __add__(self, other):
        if not isinstance(other, list):
            other = list(other)
        return list(self) + other


def is_iterable(obj):
    """Whether obj is iterable (a tf.Tensor, iterable in TF 2.x, counts as not)."""
    if isinstance(obj, tf.Tensor):
        return False
    try:
        _ = iter(obj)
    except Exception:  # pylint: disable=broad-except
        return False
    return True


def flatten_tree(tree, leaves=None):
    """The leaves of a nested structure of iterables (dicts: their values), in a list."""
    if leaves is None:
        leaves = []
    if isinstance(tree, dict):
        for child in tree.values():
            flatten_tree(child, leaves)
    elif is_iterable(tree):
        for child in tree:
            flatten_tree(child, leaves)
    else:
        leaves.append(tree)
    return leaves


def transform_tree(tree, fn, iterable_type=tuple):
    """`tree` with `fn` applied to each leaf, its containers rebuilt with their own types
    (namedtuples and dicts included); other iterables become `iterable_type`."""
    if not is_iterable(tree):
        return fn(tree)
    if isinstance(tree, dict):
        res = tree.__new__(type(tree))
        res.__init__((k, transform_tree(child, fn)) for k, child in tree.items())
        return res
    if isinstance(tree, tuple):
        if hasattr(tree, '_asdict'):  # a namedtuple
            return tree.__new__(type(tree), **transform_tree(tree._asdict(), fn))
        return tree.__new__(type(tree), (transform_tree(child, fn) for child in tree))
    if isinstance(tree, collections.abc.Sequence):
        res = tree.__new__(type(tree))
        res.__init__(transform_tree(child, fn) for child in tree)
        return res
    return iterable_type(transform_tree(child, fn) for child in tree)


def check_graphs(*args):
    """Raises ValueError unless all of `args` (with a .graph) belong to the same graph."""
    graph = None
    for i, sgv in enumerate(args):
        if graph is None and sgv.graph is not None:
            graph = sgv.graph
        elif sgv.graph is not None and sgv.graph is not graph:
            raise ValueError('Argument[{}]: Wrong graph!'.format(i))


def get_unique_graph(tops, check_types=None, none_if_empty=False):
    """The one graph of all the ops/tensors in `tops` (or `tops` itself if a tf.Graph);
    TypeError for an element not of `check_types`, ValueError for several graphs."""
    if isinstance(tops, tf.Graph):
        return tops
    if not is_iterable(tops):
        raise TypeError('{} is not iterable'.format(type(tops)))
    if check_types is None:
        check_types = (tf.Operation, tf.Tensor)
    elif not is_iterable(check_types):
        check_types = (check_types,)
    g = None
    for op in tops:
        if not isinstance(op, check_types):
            raise TypeError('Expected a type in ({}), got: {}'.format(
                ', '.join([str(t) for t in check_types]), type(op)))
        if g is None:
            g = op.graph
        elif g is not op.graph:
            raise ValueError('Operation {} does not belong to given graph'.format(op))
    if g is None and not none_if_empty:
        raise ValueError("Can't find the unique graph of an empty list")
    return g


def make_list_of_op(ops, check_graph=True, allow_graph=True, ignore_ts=False):
    """A new list of the tf.Operation in `ops` (an op, an iterable or a tf.Graph)."""
    if isinstance(ops, tf.Graph):
        if allow_graph:
            return ops.get_operations()
        raise TypeError('allow_graph is False: cannot convert a tf.Graph.')
    if not is_iterable(ops):
        ops = [ops]
    if not ops:
        return []
    if check_graph:
        check_types = None if ignore_ts else tf.Operation
        get_unique_graph(ops, check_types=check_types)
    return [op for op in ops if isinstance(op, tf.Operation)]


def get_tensors(graph):
    """All the tensors which are an output of an op of `graph`."""
    if not isinstance(graph, tf.Graph):
        raise TypeError('Expected a graph, got: {}'.format(type(graph)))
    ts = []
    for op in graph.get_operations():
        ts += op.outputs
    return ts


def make_list_of_t(ts, check_graph=True, allow_graph=True, ignore_ops=False):
    """A new list of the tf.Tensor in `ts` (a tensor, an iterable or a tf.Graph)."""
    if isinstance(ts, tf.Graph):
        if allow_graph:
            return get_tensors(ts)
        raise TypeError('allow_graph is False: cannot convert a tf.Graph.')
    if not is_iterable(ts):
        ts = [ts]
    if not ts:
        return []
    if check_graph:
        check_types = None if ignore_ops else tf.Tensor
        get_unique_graph(ts, check_types=check_types)
    return [t for t in ts if isinstance(t, tf.Tensor)]


def get_generating_ops(ts):
    """The ops generating the tensors in `ts`."""
    ts = make_list_of_t(ts, allow_graph=False)
    return [t.op for t in ts]


def get_consuming_ops(ts):
    """The ops consuming the tensors in `ts`, each once."""
    ts = make_list_of_t(ts, allow_graph=False)
    ops = []
    for t in ts:
        for op in t.consumers():
            if op not in ops:
                ops.append(op)
    return ops


class ControlOutputs(object):
    """The control outputs of the ops of a graph: for each op, the ops that have it as a
    control input."""

    def __init__(self, graph):
        if not isinstance(graph, tf.Graph):
            raise TypeError('Expected a tf.Graph, got: {}'.format(type(graph)))
        self._control_outputs = {}
        self._graph = graph
        self._version = None
        self._build()

    def update(self):
        """Rebuilds the control outputs if the graph has changed."""
        if self._version != self._graph.version:
            self._build()
        return self

    def _build(self):
        self._control_outputs.clear()
        for op in self._graph.get_operations():
            for control_input in op.control_inputs:
                if control_input not in self._control_outputs:
                    self._control_outputs[control_input] = []
                if op not in self._control_outputs[control_input]:
                    self._control_outputs[control_input].append(op)
        self._version = self._graph.version

    def get_all(self):
        return self._control_outputs

    def get(self, op):
        """The control outputs of op."""
        if op in self._control_outputs:
            return self._control_outputs[op]
        return ()

    @property
    def graph(self):
        return self._graph


def scope_finalize(scope):
    if scope and scope[-1] != '/':
        scope += '/'
    return scope


def scope_dirname(scope):
    slash = scope.rfind('/')
    if slash == -1:
        return ''
    return scope[:slash + 1]


def scope_basename(scope):
    slash = scope.rfind('/')
    if slash == -1:
        return scope
    return scope[slash + 1:]


def placeholder_name(t=None, scope=None, prefix=_DEFAULT_PLACEHOLDER_PREFIX):
    """A graph editor placeholder's name: `prefix`__OP_INDEX for tensor `t`, in the scope
    of `t` (`scope` None) or in `scope` ("" the root)."""
    if scope is not None:
        scope = scope_finalize(scope)
    if t is None:
        return '{}{}'.format('' if scope is None else scope, prefix)
    if not isinstance(t, tf.Tensor):
        raise TypeError('Expected a tf.Tenfor, got: {}'.format(type(t)))
    op_dirname = scope_dirname(t.op.name)
    op_basename = scope_basename(t.op.name)
    if scope is None:
        scope = op_dirname
    if op_basename.startswith('{}__'.format(prefix)):
        ph_name = op_basename
    else:
        ph_name = '{}__{}_{}'.format(prefix, op_basename, t.value_index)
    return scope + ph_name


def make_placeholder_from_tensor(t, scope=None, prefix=_DEFAULT_PLACEHOLDER_PREFIX):
    """A placeholder of the dtype and shape of `t`, named by placeholder_name (in the
    default graph)."""
    return tf.placeholder(dtype=t.dtype, shape=t.get_shape(),
                          name=placeholder_name(t, scope=scope, prefix=prefix))


def make_placeholder_from_dtype_and_shape(dtype, shape=None, scope=None,
                                          prefix=_DEFAULT_PLACEHOLDER_PREFIX):
    """A placeholder of `dtype` and `shape`, named by placeholder_name (no tensor)."""
    return tf.placeholder(dtype=dtype, shape=shape,
                          name=placeholder_name(scope=scope, prefix=prefix))


_INTERNAL_VARIABLE_RE = re.compile(r'^__\w+__$')


def get_predefined_collection_names():
    """All the predefined collection names (tf.GraphKeys')."""
    return [getattr(tf_ops.GraphKeys, key) for key in dir(tf_ops.GraphKeys)
            if not _INTERNAL_VARIABLE_RE.match(key)]


def find_corresponding_elem(target, dst_graph, dst_scope='', src_scope=''):
    """The op/tensor of `dst_graph` named as `target` is, `src_scope` replaced by
    `dst_scope`."""
    src_name = target.name
    if src_scope:
        src_scope = scope_finalize(src_scope)
        # TF 1.15 called src_name.startswidth here: an AttributeError whenever a
        # src_scope was given.
        if not src_name.startswith(src_scope):
            raise ValueError('{} does not start with {}'.format(src_name, src_scope))
        src_name = src_name[len(src_scope):]
    dst_name = src_name
    if dst_scope:
        dst_name = scope_finalize(dst_scope) + dst_name
    if isinstance(target, tf.Tensor):
        return dst_graph.get_tensor_by_name(dst_name)
    if isinstance(target, tf.Operation):
        return dst_graph.get_operation_by_name(dst_name)
    raise TypeError('Expected tf.Tensor or tf.Operation, got: {}'.format(type(target)))


def find_corresponding(targets, dst_graph, dst_scope='', src_scope=''):
    """find_corresponding_elem of each leaf of the nested structure `targets`."""
    def func(top):
        return find_corresponding_elem(top, dst_graph, dst_scope, src_scope)
    return transform_tree(targets, func)
