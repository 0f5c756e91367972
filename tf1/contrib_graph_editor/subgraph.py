"""SubGraphView, a view on part of a tf.Graph: its ops, and the tensors coming in (inputs)
and going out (outputs). Ported from TF 1.15's contrib/graph_editor/subgraph.py."""
import copy
import io

import tensorflow.compat.v1 as tf

from tf1.contrib_graph_editor import select, util

__all__ = ['SubGraphView', 'make_view', 'make_view_from_scope']


def _finalize_index(index_or_t, ts):
    """index as is, or the index of the tensor in `ts`."""
    if isinstance(index_or_t, int):
        return index_or_t
    return ts.index(index_or_t)


def _finalize_indices(list_of_index_or_t, ts):
    return [_finalize_index(index_or_t, ts) for index_or_t in list_of_index_or_t]


def _check_within_range(mapping, n, repetition):
    """Raises ValueError if an index of `mapping` is out of [0, n[, or repeated while
    `repetition` is False."""
    for i in mapping:
        if not 0 <= i < n:
            raise ValueError('Out of [0, {}[ range: {}'.format(n, i))
    if not repetition and len(set(mapping)) != len(mapping):
        raise ValueError('Found repetition in mapping: {}'.format(mapping))


class SubGraphView(object):
    """A view on part of a tf.Graph, seen as a function of its input tensors returning its
    output tensors, computed by its ops.

    Its inputs are the tensors from outside consumed by its ops, then the passthrough
    tensors (connected to none of its ops: both an input and an output); its outputs are
    the tensors of its ops consumed outside, then the passthrough ones. Inputs and outputs
    can be remapped (reordered, dropped; outputs repeated) without touching the graph. A
    view is meant to be short-lived and used as immutable: the methods return new views,
    except that the graph-editing functions update in place the views they are given.
    """

    def __init__(self, inside_ops=(), passthrough_ts=()):
        """The view of the ops `inside_ops`, plus the tensors of `passthrough_ts` which
        are connected to none of them."""
        inside_ops = util.make_list_of_op(inside_ops)
        passthrough_ts = util.make_list_of_t(passthrough_ts)
        ops_and_ts = inside_ops + passthrough_ts
        if ops_and_ts:
            self._graph = util.get_unique_graph(ops_and_ts)
            self._ops = inside_ops
            inputs, outputs, insides = select.compute_boundary_ts(inside_ops)
            # The tensors connected to an op are silently left out of the passthroughs.
            all_tensors = frozenset(inputs + outputs + list(insides))
            self._passthrough_ts = [t for t in passthrough_ts if t not in all_tensors]
            self._input_ts = inputs + self._passthrough_ts
            self._output_ts = outputs + self._passthrough_ts
        else:
            self._graph = None
            self._passthrough_ts = []
            self._input_ts = []
            self._output_ts = []
            self._ops = []

    def __copy__(self):
        """Another view of the same ops and tensors (the graph is not copied)."""
        cls = self.__class__
        result = cls.__new__(cls)
        for k, v in self.__dict__.items():
            if k == '_graph':
                setattr(result, k, v)
            else:
                setattr(result, k, list(v))
        return result

    def _assign_from(self, other):
        """Makes this view identical to the SubGraphView `other`."""
        if not isinstance(other, SubGraphView):
            raise TypeError('Expected SubGraphView, got: {}'.format(type(other)))
        # pylint: disable=protected-access
        self._graph = other._graph
        self._ops = list(other._ops)
        self._passthrough_ts = list(other._passthrough_ts)
        self._input_ts = list(other._input_ts)
        self._output_ts = list(other._output_ts)

    def copy(self):
        """Another view of the same ops and tensors (the graph is not copied)."""
        return copy.copy(self)

    def _remap_default(self, remove_input_map=True, remove_output_map=True):
        """Resets in place the inputs and/or outputs to the default ones."""
        if not remove_input_map and not remove_output_map:
            return
        inputs, outputs, _ = select.compute_boundary_ts(self._ops)
        if remove_input_map:
            self._input_ts = list(inputs) + self._passthrough_ts
        if remove_output_map:
            self._output_ts = list(outputs) + self._passthrough_ts

    def remap_default(self, remove_input_map=True, remove_output_map=True):
        """A new view with the inputs and/or outputs reset to the default ones."""
        res = self.copy()
        res._remap_default(remove_input_map, remove_output_map)
        return res

    def _remap_inputs(self, new_input_indices):
        new_input_indices = _finalize_indices(new_input_indices, self._input_ts)
        _check_within_range(new_input_indices, len(self._input_ts), repetition=False)
        self._input_ts = [self._input_ts[i] for i in new_input_indices]

    def _remap_outputs(self, new_output_indices):
        new_output_indices = _finalize_indices(new_output_indices, self._output_ts)
        _check_within_range(new_output_indices, len(self._output_ts), repetition=True)
        self._output_ts = [self._output_ts[i] for i in new_output_indices]

    def _remap_outputs_make_unique(self):
        output_ts = list(self._output_ts)
        self._output_ts = []
        util.concatenate_unique(self._output_ts, output_ts)

    def _remap_outputs_to_consumers(self):
        self._remap_outputs_make_unique()
        output_ts = list(self._output_ts)
        self._output_ts = []
        for t in output_ts:
            self._output_ts += [t] * len(t.consumers())

    def remap_outputs_make_unique(self):
        """A new view whose outputs each appear once."""
        res = copy.copy(self)
        res._remap_outputs_make_unique()
        return res

    def remap_outputs_to_consumers(self):
        """A new view whose outputs each appear once per consumer."""
        res = copy.copy(self)
        res._remap_outputs_to_consumers()
        return res

    def _remove_unused_ops(self, control_inputs=True):
        ops = select.get_walks_union_ops(self.connected_inputs, self.connected_outputs,
                                         within_ops=self._ops, control_inputs=control_inputs)
        self._ops = [op for op in self._ops if op in ops]

    def remove_unused_ops(self, control_inputs=True):
        """A new view without the ops connected to none of the inputs or outputs."""
        res = copy.copy(self)
        res._remove_unused_ops(control_inputs)
        return res

    def remap_inputs(self, new_input_indices):
        """A new view whose inputs are those at `new_input_indices` (indices or tensors,
        without repetition): [2, 0] of [t0, t1, t2] gives [t2, t0]."""
        res = self.copy()
        res._remap_inputs(new_input_indices)
        return res

    def remap_outputs(self, new_output_indices):
        """A new view whose outputs are those at `new_output_indices` (indices or tensors,
        repetitions allowed): [1, 1, 0] of [t0, t1, t2] gives [t1, t1, t0]."""
        res = copy.copy(self)
        res._remap_outputs(new_output_indices)
        return res

    def remap(self, new_input_indices=None, new_output_indices=None):
        """A new view with both remap_inputs and remap_outputs applied (None: unchanged)."""
        res = copy.copy(self)
        if new_input_indices is not None:
            res._remap_inputs(new_input_indices)
        if new_output_indices is not None:
            res._remap_outputs(new_output_indices)
        return res

    def find_op_by_name(self, op_name):
        """The op of this view named op_name (ValueError if none)."""
        res = [op for op in self._ops if op.name == op_name]
        if not res:
            raise ValueError('{} not in subgraph.'.format(op_name))
        if len(res) > 1:
            raise AssertionError('More than 1 op named: {}!'.format(op_name))
        return res[0]

    def __str__(self):
        if not self:
            return 'SubGraphView: empty'

        def tensor_name(t):
            if t in self._passthrough_ts:
                return '{} *'.format(t.name)
            return t.name

        def print_list(name, iterable, get_name):
            if iterable:
                print('** {}[{}]:'.format(name, len(iterable)), file=res)
                print('\n'.join(['  {}'.format(get_name(elem)) for elem in iterable]),
                      file=res)
            else:
                print('** {}: empty'.format(name), file=res)

        res = io.StringIO()
        print('SubGraphView (graphid={}):'.format(id(self.graph)), file=res)
        print_list('ops', self._ops, lambda op: op.name)
        print_list('inputs', self._input_ts, tensor_name)
        print_list('outputs', self._output_ts, tensor_name)
        return res.getvalue()

    @property
    def graph(self):
        """The underlying tf.Graph."""
        return self._graph

    @property
    def ops(self):
        """The ops of this view."""
        return self._ops

    @property
    def inputs(self):
        """The input tensors of this view."""
        return util.ListView(self._input_ts)

    @property
    def connected_inputs(self):
        """The input tensors which are not passthroughs."""
        return [t for t in self._input_ts if t not in self._passthrough_ts]

    @property
    def outputs(self):
        """The output tensors of this view."""
        return util.ListView(self._output_ts)

    @property
    def connected_outputs(self):
        """The output tensors which are not passthroughs."""
        return [t for t in self._output_ts if t not in self._passthrough_ts]

    @property
    def passthroughs(self):
        """The passthrough tensors, going straight from input to output."""
        return util.ListView(self._passthrough_ts)

    def __bool__(self):
        return self._graph is not None

    def op(self, op_id):
        """The op at index op_id."""
        return self._ops[op_id]

    def is_passthrough(self, t):
        """Whether t is a passthrough tensor."""
        return t in self._passthrough_ts

    def __enter__(self):
        """`with ge.make_view(...) as sgv:` keeps a view short-lived."""
        return self

    def __exit__(self, exc_type, exc_value, traceback):
        pass

    def input_index(self, t):
        """The index of t in self.inputs (ValueError if not there)."""
        try:
            return self._input_ts.index(t)
        except ValueError:
            # TF 1.15's message named self.name, which a view has not: an AttributeError.
            raise ValueError("Can't find {} in inputs of subgraph.".format(t.name)) from None

    def output_index(self, t):
        """The index of t in self.outputs (ValueError if not there)."""
        try:
            return self._output_ts.index(t)
        except ValueError:
            raise ValueError("Can't find {} in outputs of subgraph.".format(t.name)) from None

    def consumers(self):
        """The ops outside this view consuming one of its outputs."""
        ops_set = frozenset(self._ops)
        res = []
        for output in self._output_ts:
            consumers = [op for op in output.consumers() if op not in ops_set]
            util.concatenate_unique(res, consumers)
        return res


def _check_graph(sgv, graph):
    """sgv, checked to be a SubGraphView of `graph` (when neither is None/empty)."""
    if not isinstance(sgv, SubGraphView):
        raise TypeError('Expected a SubGraphView, got: {}'.format(type(sgv)))
    if graph is None or not sgv.graph:
        return sgv
    if not isinstance(graph, tf.Graph):
        raise TypeError('Expected a tf.Graph, got: {}'.format(type(graph)))
    if sgv.graph is not graph:
        raise ValueError('Graph mismatch.')
    return sgv


def make_view(*args, **kwargs):
    """A SubGraphView of the ops and (passthrough) tensors select_ops_and_ts(*args,
    **kwargs) selects (a SubGraphView alone: itself); graph= checks their graph."""
    graph = kwargs['graph'] if 'graph' in kwargs else None
    if len(args) == 1 and isinstance(args[0], SubGraphView):
        return _check_graph(args[0], graph)
    ops, ts = select.select_ops_and_ts(*args, **kwargs)
    sgv = SubGraphView(ops, ts)
    return _check_graph(sgv, graph)


def make_view_from_scope(scope, graph):
    """A SubGraphView of the ops of `graph` under the name scope `scope`."""
    ops = select.get_name_scope_ops(graph, scope)
    return SubGraphView(ops)
