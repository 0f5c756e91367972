"""Ways of selecting ops and tensors in a graph: by name (regular expressions), by scope,
by forward/backward walks, by boundary. Ported from TF 1.15's contrib/graph_editor/select.py.
"""
import re

import tensorflow.compat.v1 as tf
from tensorflow.python.ops import op_selector
from tensorflow.python.util import deprecation

from tf1.contrib_graph_editor import util

__all__ = ['can_be_regex', 'make_regex', 'filter_ts', 'filter_ts_from_regex', 'filter_ops',
           'filter_ops_from_regex', 'get_name_scope_ops', 'check_cios', 'get_ops_ios',
           'compute_boundary_ts', 'get_within_boundary_ops', 'get_forward_walk_ops',
           'get_backward_walk_ops', 'get_walks_intersection_ops', 'get_walks_union_ops',
           'select_ops', 'select_ts', 'select_ops_and_ts']

_RE_TYPE = type(re.compile(''))


def can_be_regex(obj):
    """Whether obj can be turned into a regular expression."""
    return isinstance(obj, (str, _RE_TYPE))


def make_regex(obj):
    """A compiled regular expression from a string (or the compiled one as it is)."""
    if not can_be_regex(obj):
        raise ValueError('Expected a string or a regex, got: {}'.format(type(obj)))
    if isinstance(obj, str):
        return re.compile(obj)
    return obj


def _get_input_ts(ops):
    """The unique input tensors of the ops in `ops`."""
    ops = util.make_list_of_op(ops)
    ts = []
    ts_set = set()
    for op in ops:
        for t in op.inputs:
            if t not in ts_set:
                ts.append(t)
                ts_set.add(t)
    return ts


def _get_output_ts(ops):
    """The output tensors of the ops in `ops`."""
    ops = util.make_list_of_op(ops)
    ts = []
    for op in ops:
        ts += op.outputs
    return ts


def filter_ts(ops, positive_filter):
    """The input and output tensors of `ops` passing `positive_filter` (True: all)."""
    ops = util.make_list_of_op(ops)
    ts = _get_input_ts(ops)
    util.concatenate_unique(ts, _get_output_ts(ops))
    if positive_filter is not True:
        ts = [t for t in ts if positive_filter(t)]
    return ts


def filter_ts_from_regex(ops, regex):
    r"""The tensors of `ops` whose name `regex` matches ("^foo(/.*)?:\d+$": scope foo's)."""
    ops = util.make_list_of_op(ops)
    regex_obj = make_regex(regex)
    return filter_ts(ops, positive_filter=lambda op: regex_obj.search(op.name))


def filter_ops(ops, positive_filter):
    """The ops of `ops` passing `positive_filter` (True: all)."""
    ops = util.make_list_of_op(ops)
    if positive_filter is not True:
        ops = [op for op in ops if positive_filter(op)]
    return ops


def filter_ops_from_regex(ops, regex):
    """The ops of `ops` whose name `regex` matches ("^foo(/.*)?$": scope foo's)."""
    ops = util.make_list_of_op(ops)
    regex_obj = make_regex(regex)
    return filter_ops(ops, lambda op: regex_obj.search(op.name))


def get_name_scope_ops(ops, scope):
    """The ops of `ops` under the name scope `scope`."""
    if scope and scope[-1] == '/':
        scope = scope[:-1]
    return filter_ops_from_regex(ops, '^{}(/.*)?$'.format(scope))


def check_cios(control_inputs=False, control_outputs=None, control_ios=None):
    """(control_inputs, control_outputs) checked and updated: `control_ios`, a
    util.ControlOutputs, stands for control_inputs=True and control_outputs=control_ios."""
    if control_ios is not None:
        if not isinstance(control_ios, util.ControlOutputs):
            raise TypeError('Expected a util.ControlOutputs, got: {}'.format(
                type(control_ios)))
        if control_outputs is not None:
            raise ValueError('control_outputs should be None when using control_ios.')
        control_inputs = True
        control_outputs = control_ios
    elif control_outputs is not None:
        if not isinstance(control_outputs, util.ControlOutputs):
            raise TypeError('Expected a util.ControlOutputs, got: {}'.format(
                type(control_outputs)))
    if control_outputs is not None:
        control_outputs.update()
    return control_inputs, control_outputs


def get_ops_ios(ops, control_inputs=False, control_outputs=None, control_ios=None):
    """The ops connected to an op of `ops` (its inputs' and its outputs' ops, and those of
    its control inputs/outputs if enabled)."""
    control_inputs, control_outputs = check_cios(control_inputs, control_outputs,
                                                 control_ios)
    ops = util.make_list_of_op(ops)
    res = []
    for op in ops:
        util.concatenate_unique(res, [t.op for t in op.inputs])
        for t in op.outputs:
            util.concatenate_unique(res, t.consumers())
        if control_outputs is not None:
            util.concatenate_unique(res, control_outputs.get(op))
        if control_inputs:
            util.concatenate_unique(res, op.control_inputs)
    return res


def compute_boundary_ts(ops):
    """(outside_input_ts, outside_output_ts, inside_ts) of `ops`: the tensors coming from
    outside, those going outside, and those between two ops of `ops` (a tensor consumed
    both inside and outside is in the last two)."""
    ops = util.make_list_of_op(ops)
    input_ts = _get_input_ts(ops)
    output_ts = _get_output_ts(ops)
    output_ts_set = frozenset(output_ts)
    ops_set = frozenset(ops)

    inside_ts = []
    only_inside_ts = []
    for t in input_ts:
        if t not in output_ts_set:
            continue
        inside_ts.append(t)
        if frozenset(t.consumers()) - ops_set:
            continue  # also an output
        only_inside_ts.append(t)

    inside_ts_set = frozenset(inside_ts)
    only_inside_ts_set = frozenset(only_inside_ts)
    outside_output_ts = [t for t in output_ts if t not in only_inside_ts_set]
    outside_input_ts = [t for t in input_ts if t not in inside_ts_set]
    return outside_input_ts, outside_output_ts, inside_ts


def get_within_boundary_ops(ops, seed_ops, boundary_ops=(), inclusive=True,
                            control_inputs=False, control_outputs=None, control_ios=None):
    """The ops of `ops` reached from `seed_ops` (in any direction) without crossing
    `boundary_ops` (included if `inclusive`)."""
    control_inputs, control_outputs = check_cios(control_inputs, control_outputs,
                                                 control_ios)
    ops = util.make_list_of_op(ops)
    seed_ops = util.make_list_of_op(seed_ops, allow_graph=False)
    boundary_ops = set(util.make_list_of_op(boundary_ops))
    res = set(seed_ops)
    if boundary_ops & res:
        raise ValueError('Boundary is intersecting with the seeds.')
    wave = set(seed_ops)
    while wave:
        new_wave = set()
        ops_io = get_ops_ios(wave, control_inputs, control_outputs)
        for op in ops_io:
            if op in res:
                continue
            if op in boundary_ops:
                if inclusive:
                    res.add(op)
            else:
                new_wave.add(op)
        res.update(new_wave)
        wave = new_wave
    return [op for op in ops if op in res]


def get_forward_walk_ops(seed_ops, inclusive=True, within_ops=None, within_ops_fn=None,
                         stop_at_ts=(), control_outputs=None):
    """The ops reached walking forward from `seed_ops` (tensors: their consumers),
    within `within_ops` / `within_ops_fn`, not past `stop_at_ts`."""
    _, control_outputs = check_cios(False, control_outputs)
    if not util.is_iterable(seed_ops):
        seed_ops = [seed_ops]
    if not seed_ops:
        return []
    if isinstance(seed_ops[0], tf.Tensor):
        ts = util.make_list_of_t(seed_ops, allow_graph=False)
        seed_ops = util.get_consuming_ops(ts)
    else:
        seed_ops = util.make_list_of_op(seed_ops, allow_graph=False)

    seed_ops = frozenset(seed_ops)
    stop_at_ts = frozenset(util.make_list_of_t(stop_at_ts))
    if within_ops:
        within_ops = util.make_list_of_op(within_ops, allow_graph=False)
        within_ops = frozenset(within_ops)
        seed_ops &= within_ops

    def is_within(op):
        return ((within_ops is None or op in within_ops)
                and (within_ops_fn is None or within_ops_fn(op)))

    result = list(seed_ops)
    wave = set(seed_ops)
    while wave:
        new_wave = set()
        for op in wave:
            for new_t in op.outputs:
                if new_t in stop_at_ts:
                    continue
                for new_op in new_t.consumers():
                    if new_op not in result and is_within(new_op):
                        new_wave.add(new_op)
            if control_outputs is not None:
                for new_op in control_outputs.get(op):
                    if new_op not in result and is_within(new_op):
                        new_wave.add(new_op)
        util.concatenate_unique(result, new_wave)
        wave = new_wave
    if not inclusive:
        result = [op for op in result if op not in seed_ops]
    return result


@deprecation.deprecated(
    '2019-06-06', 'Please use tensorflow.python.ops.op_selector.get_backward_walk_ops.',
    warn_once=True)
def get_backward_walk_ops(seed_ops, inclusive=True, within_ops=None, within_ops_fn=None,
                          stop_at_ts=(), control_inputs=False):
    """The ops reached walking backward from `seed_ops` (tensors: their ops), within
    `within_ops` / `within_ops_fn`, not past `stop_at_ts`."""
    return op_selector.get_backward_walk_ops(
        seed_ops, inclusive=inclusive, within_ops=within_ops, within_ops_fn=within_ops_fn,
        stop_at_ts=stop_at_ts, control_inputs=control_inputs)


def _walks(forward_seed_ops, backward_seed_ops, forward_inclusive, backward_inclusive,
           within_ops, within_ops_fn, control_inputs, control_outputs, control_ios):
    """(forward walk ops, backward walk ops) of the two functions below."""
    control_inputs, control_outputs = check_cios(control_inputs, control_outputs,
                                                 control_ios)
    forward_ops = get_forward_walk_ops(
        forward_seed_ops, inclusive=forward_inclusive, within_ops=within_ops,
        within_ops_fn=within_ops_fn, control_outputs=control_outputs)
    backward_ops = get_backward_walk_ops(
        backward_seed_ops, inclusive=backward_inclusive, within_ops=within_ops,
        within_ops_fn=within_ops_fn, control_inputs=control_inputs)
    return forward_ops, backward_ops


def get_walks_intersection_ops(forward_seed_ops, backward_seed_ops, forward_inclusive=True,
                               backward_inclusive=True, within_ops=None, within_ops_fn=None,
                               control_inputs=False, control_outputs=None,
                               control_ios=None):
    """The ops both of a forward walk from `forward_seed_ops` and of a backward walk from
    `backward_seed_ops` (in the forward walk's order)."""
    forward_ops, backward_ops = _walks(
        forward_seed_ops, backward_seed_ops, forward_inclusive, backward_inclusive,
        within_ops, within_ops_fn, control_inputs, control_outputs, control_ios)
    return [op for op in forward_ops if op in backward_ops]


def get_walks_union_ops(forward_seed_ops, backward_seed_ops, forward_inclusive=True,
                        backward_inclusive=True, within_ops=None, within_ops_fn=None,
                        control_inputs=False, control_outputs=None, control_ios=None):
    """The ops of a forward walk from `forward_seed_ops` then those of a backward walk from
    `backward_seed_ops`."""
    forward_ops, backward_ops = _walks(
        forward_seed_ops, backward_seed_ops, forward_inclusive, backward_inclusive,
        within_ops, within_ops_fn, control_inputs, control_outputs, control_ios)
    return util.concatenate_unique(forward_ops, backward_ops)


def _select_kwargs(kwargs, kind, other):
    """(graph, positive_filter, restrict_<kind>_regex) from select_<kind>'s kwargs."""
    graph = None
    positive_filter = None
    restrict_regex = False
    for k, v in kwargs.items():
        if k == 'graph':
            graph = v
            if graph is not None and not isinstance(graph, tf.Graph):
                raise TypeError('Expected a tf.Graph, got: {}'.format(type(graph)))
        elif k == 'positive_filter':
            positive_filter = v
        elif k == 'restrict_{}_regex'.format(kind):
            restrict_regex = v
        elif k != 'restrict_{}_regex'.format(other):
            raise ValueError('Wrong keywords argument: {}.'.format(k))
    return graph, positive_filter, restrict_regex


def _select(args, kwargs, kind, other, filter_from_regex, make_list):
    graph, positive_filter, restrict_regex = _select_kwargs(kwargs, kind, other)
    selected = []
    for arg in args:
        if can_be_regex(arg):
            if graph is None:
                raise ValueError("Use the keyword argument 'graph' to use regex.")
            regex = make_regex(arg)
            if regex.pattern.startswith('(?#{})'.format(other)):
                continue
            if restrict_regex and not regex.pattern.startswith('(?#{})'.format(kind)):
                continue
            for elem in filter_from_regex(graph, regex):
                if elem not in selected:
                    if positive_filter is None or positive_filter(elem):
                        selected.append(elem)
        else:
            elems = make_list(arg)
            if positive_filter is not None:
                elems = [elem for elem in elems if positive_filter(elem)]
            selected += [elem for elem in elems if elem not in selected]
    return selected


def select_ops(*args, **kwargs):
    """The ops named by `args`: regular expressions (needing the keyword graph=; those
    starting with "(?#ts)" are skipped, and all but "(?#ops)" ones if
    restrict_ops_regex=True) or (lists of) ops, tensors being ignored; kept if
    positive_filter(op), when given."""
    return _select(args, kwargs, 'ops', 'ts', filter_ops_from_regex,
                   lambda arg: util.make_list_of_op(arg, ignore_ts=True))


def select_ts(*args, **kwargs):
    """The tensors named by `args`, as select_ops' ops ("(?#ops)" regular expressions
    skipped, all but "(?#ts)" ones if restrict_ts_regex=True)."""
    return _select(args, kwargs, 'ts', 'ops', filter_ts_from_regex,
                   lambda arg: util.make_list_of_t(arg, ignore_ops=True))


def select_ops_and_ts(*args, **kwargs):
    """(select_ops(*args), select_ts(*args)); regular expressions for tensors start with
    "(?#ts)", e.g. "(?#ts)^foo/.*"."""
    ops = select_ops(*args, restrict_ops_regex=False, **kwargs)
    ts = select_ts(*args, restrict_ts_regex=True, **kwargs)
    return ops, ts
