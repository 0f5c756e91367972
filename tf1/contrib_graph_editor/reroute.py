"""Rerouting: moving the consumers of tensors onto other tensors (swapping or one way), for
lists of tensors or subgraph views' inputs and outputs; adding and removing control inputs.
Ported from TF 1.15's contrib/graph_editor/reroute.py."""
import tensorflow.compat.v1 as tf

from tf1.contrib_graph_editor import subgraph as _subgraph
from tf1.contrib_graph_editor import util as _util

__all__ = ['swap_ts', 'reroute_ts', 'swap_inputs', 'reroute_inputs', 'swap_outputs',
           'reroute_outputs', 'swap_ios', 'reroute_ios', 'remove_control_inputs',
           'add_control_inputs']


def _check_ts_compatibility(ts0, ts1):
    """Raises ValueError unless ts0 and ts1 pair tensors of compatible dtypes and shapes."""
    ts0 = _util.make_list_of_t(ts0)
    ts1 = _util.make_list_of_t(ts1)
    if len(ts0) != len(ts1):
        raise ValueError('ts0 and ts1 have different sizes: {} != {}'.format(
            len(ts0), len(ts1)))
    for t0, t1 in zip(ts0, ts1):
        dtype0, dtype1 = t0.dtype, t1.dtype
        if not dtype0.is_compatible_with(dtype1):
            raise ValueError('Dtypes {} and {} are not compatible.'.format(dtype0, dtype1))
        shape0, shape1 = t0.get_shape(), t1.get_shape()
        if not shape0.is_compatible_with(shape1):
            raise ValueError('Shapes {} and {} are not compatible.'.format(shape0, shape1))


class _RerouteMode(object):
    """swap: the ends of tensors a and b are swapped; a2b: the consumers of b consume a
    (b is left dangling); b2a: the reverse."""
    swap, a2b, b2a = range(3)

    @classmethod
    def check(cls, mode):
        """(a2b, b2a): the directions `mode` reroutes."""
        if mode == cls.swap:
            return True, True
        if mode == cls.b2a:
            return False, True
        if mode == cls.a2b:
            return True, False
        raise ValueError('Unknown _RerouteMode: {}'.format(mode))


def _reroute_t(t0, t1, consumers1, can_modify=None, cannot_modify=None):
    """Makes the ops of the set `consumers1` (those allowed) consume t0 where they consumed
    t1; returns how many inputs changed."""
    nb_update_inputs = 0
    if can_modify is not None:
        consumers1 &= can_modify
    if cannot_modify is not None:
        consumers1 -= cannot_modify
    consumers1_indices = {}
    for consumer1 in consumers1:
        consumers1_indices[consumer1] = [i for i, t in enumerate(consumer1.inputs)
                                         if t is t1]
    for consumer1 in consumers1:
        for i in consumers1_indices[consumer1]:
            consumer1._update_input(i, t0)  # pylint: disable=protected-access
            nb_update_inputs += 1
    return nb_update_inputs


def _reroute_ts(ts0, ts1, mode, can_modify=None, cannot_modify=None):
    """Reroutes the ends of each pair (t0, t1) of ts0 x ts1 as `mode` says (the start of a
    tensor, its op, never moves), only in the ops of `can_modify` and not in those of
    `cannot_modify`; returns how many inputs changed."""
    a2b, b2a = _RerouteMode.check(mode)
    ts0 = _util.make_list_of_t(ts0)
    ts1 = _util.make_list_of_t(ts1)
    _check_ts_compatibility(ts0, ts1)
    if cannot_modify is not None:
        cannot_modify = frozenset(_util.make_list_of_op(cannot_modify))
    if can_modify is not None:
        can_modify = frozenset(_util.make_list_of_op(can_modify))
    nb_update_inputs = 0
    # The consumers before any change: a tensor can appear in several pairs.
    precomputed_consumers = []
    for t0, t1 in zip(ts0, ts1):
        precomputed_consumers.append((set(t0.consumers()), set(t1.consumers())))
    for t0, t1, consumers in zip(ts0, ts1, precomputed_consumers):
        if t0 is t1:
            continue
        consumers0, consumers1 = consumers
        if a2b:
            nb_update_inputs += _reroute_t(t0, t1, consumers1, can_modify, cannot_modify)
        if b2a:
            nb_update_inputs += _reroute_t(t1, t0, consumers0, can_modify, cannot_modify)
    return nb_update_inputs


def swap_ts(ts0, ts1, can_modify=None, cannot_modify=None):
    """For each pair (t0, t1), the consumers of t0 consume t1 and those of t1 consume t0;
    returns how many inputs changed."""
    return _reroute_ts(ts0, ts1, _RerouteMode.swap, can_modify, cannot_modify)


def reroute_ts(ts0, ts1, can_modify=None, cannot_modify=None):
    """For each pair (t0, t1), the consumers of t1 consume t0 (t1 is left dangling);
    returns how many inputs changed."""
    return _reroute_ts(ts0, ts1, _RerouteMode.a2b, can_modify, cannot_modify)


def _reroute_sgv_remap(sgv0, sgv1, mode):
    """Remaps in place the inputs (and passthrough outputs) of the two views as
    _reroute_sgv_inputs rerouted them."""
    a2b, b2a = _RerouteMode.check(mode)
    if not isinstance(sgv0, _subgraph.SubGraphView):
        raise TypeError('Expected a SubGraphView, got {}'.format(type(sgv0)))
    if not isinstance(sgv1, _subgraph.SubGraphView):
        raise TypeError('Expected a SubGraphView, got {}'.format(type(sgv1)))
    _util.check_graphs(sgv0, sgv1)
    sgv0_ = sgv0.copy()
    sgv1_ = sgv1.copy()
    # pylint: disable=protected-access
    if a2b and b2a:
        (sgv0_._input_ts, sgv1_._input_ts) = (sgv1_._input_ts, sgv0_._input_ts)
        (sgv0_._passthrough_ts, sgv1_._passthrough_ts) = (sgv1_._passthrough_ts,
                                                          sgv0_._passthrough_ts)
    elif a2b:
        sgv1_._input_ts = sgv0_._input_ts[:]
        sgv1_._passthrough_ts = sgv0_._passthrough_ts[:]
    elif b2a:
        sgv0_._input_ts = sgv1_._input_ts[:]
        sgv0_._passthrough_ts = sgv1_._passthrough_ts[:]

    def update_passthrough_outputs(a, b):
        for i, t in enumerate(b._output_ts):
            if t in a._passthrough_ts:
                ii = a._input_ts.index(t)
                b._output_ts[i] = b._input_ts[ii]

    if a2b:
        update_passthrough_outputs(sgv0_, sgv1_)
    if b2a:
        update_passthrough_outputs(sgv1_, sgv0_)
    sgv0._assign_from(sgv0_)
    sgv1._assign_from(sgv1_)


def _reroute_sgv_inputs(sgv0, sgv1, mode):
    """Reroutes the inputs of two views (made by make_view); returns (sgv0, sgv1),
    also updated in place."""
    sgv0 = _subgraph.make_view(sgv0)
    sgv1 = _subgraph.make_view(sgv1)
    _util.check_graphs(sgv0, sgv1)
    can_modify = sgv0.ops + sgv1.ops
    # The consumers of the passthroughs are modified too.
    can_modify += _util.get_consuming_ops(sgv0.passthroughs)
    can_modify += _util.get_consuming_ops(sgv1.passthroughs)
    _reroute_ts(sgv0.inputs, sgv1.inputs, mode, can_modify=can_modify)
    _reroute_sgv_remap(sgv0, sgv1, mode)
    return sgv0, sgv1


def _reroute_sgv_outputs(sgv0, sgv1, mode):
    """Reroutes the outputs of two views (made by make_view); returns (sgv0, sgv1)."""
    sgv0 = _subgraph.make_view(sgv0)
    sgv1 = _subgraph.make_view(sgv1)
    _util.check_graphs(sgv0, sgv1)
    cannot_modify = sgv0.ops + sgv1.ops
    _reroute_ts(sgv0.outputs, sgv1.outputs, mode, cannot_modify=cannot_modify)
    return sgv0, sgv1


def _reroute_sgv(sgv0, sgv1, mode):
    """Reroutes both the outputs and the inputs of two views; returns (sgv0, sgv1)."""
    _reroute_sgv_outputs(sgv0, sgv1, mode)
    _reroute_sgv_inputs(sgv0, sgv1, mode)
    return sgv0, sgv1


def swap_inputs(sgv0, sgv1):
    """Swaps the inputs of sgv0 and sgv1; returns (sgv0, sgv1), updated in place."""
    return _reroute_sgv_inputs(sgv0, sgv1, _RerouteMode.swap)


def reroute_inputs(sgv0, sgv1):
    """sgv1's ops consume sgv0's inputs; returns (sgv0, sgv1), updated in place."""
    return _reroute_sgv_inputs(sgv0, sgv1, _RerouteMode.a2b)


def swap_outputs(sgv0, sgv1):
    """Swaps the consumers of the outputs of sgv0 and sgv1; returns (sgv0, sgv1)."""
    return _reroute_sgv_outputs(sgv0, sgv1, _RerouteMode.swap)


def reroute_outputs(sgv0, sgv1):
    """The consumers of sgv1's outputs consume sgv0's; returns (sgv0, sgv1)."""
    return _reroute_sgv_outputs(sgv0, sgv1, _RerouteMode.a2b)


def swap_ios(sgv0, sgv1):
    """Swaps both the inputs and the outputs of sgv0 and sgv1; returns (sgv0, sgv1)."""
    return _reroute_sgv(sgv0, sgv1, _RerouteMode.swap)


def reroute_ios(sgv0, sgv1):
    """Reroutes both the inputs and the outputs of sgv0 to sgv1; returns (sgv0, sgv1)."""
    return _reroute_sgv(sgv0, sgv1, _RerouteMode.a2b)


def remove_control_inputs(op, cops):
    """Removes the control inputs `cops` (ops) from op (ValueError if one is not)."""
    if not isinstance(op, tf.Operation):
        raise TypeError('Expected a tf.Operation, got: {}'.format(type(op)))
    cops = _util.make_list_of_op(cops, allow_graph=False)
    for cop in cops:
        if cop not in op.control_inputs:
            raise ValueError('{} is not a control_input of {}'.format(op.name, cop.name))
    control_inputs = [cop for cop in op.control_inputs if cop not in cops]
    # pylint: disable=protected-access
    op._remove_all_control_inputs()
    op._add_control_inputs(control_inputs)


def add_control_inputs(op, cops):
    """Adds the control inputs `cops` (ops) to op (ValueError if one already is)."""
    if not isinstance(op, tf.Operation):
        raise TypeError('Expected a tf.Operation, got: {}'.format(type(op)))
    cops = _util.make_list_of_op(cops, allow_graph=False)
    for cop in cops:
        if cop in op.control_inputs:
            raise ValueError('{} is already a control_input of {}'.format(cop.name, op.name))
    op._add_control_inputs(cops)  # pylint: disable=protected-access
