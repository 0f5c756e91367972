"""Transformer, which copies a subgraph op by op into a graph (the same or another) under a
new scope, through replaceable handlers; copy, copy_with_input_replacements and
graph_replace built on it. Ported from TF 1.15's contrib/graph_editor/transform.py."""
import copy as _copy
import functools
import io

import tensorflow.compat.v1 as tf
from tensorflow.python.platform import tf_logging as logging

from tf1.contrib_graph_editor import reroute, select, subgraph, util

__all__ = ['replace_t_with_placeholder_handler', 'keep_t_if_possible_handler',
           'assign_renamed_collections_handler', 'transform_op_if_inside_handler',
           'copy_op_handler', 'Transformer', 'TransformerInfo', 'copy',
           'copy_with_input_replacements', 'graph_replace']


def replace_t_with_placeholder_handler(info, t):
    """A placeholder like t in the destination graph and scope (for a subgraph input)."""
    with info.graph_.as_default():
        t_ = util.make_placeholder_from_tensor(t, scope=info.scope_)
    return t_


def keep_t_if_possible_handler(info, t):
    """t itself when copying within its graph, else a placeholder (for hidden inputs)."""
    if info.graph is info.graph_:
        return t
    return replace_t_with_placeholder_handler(info, t)


def assign_renamed_collections_handler(info, elem, elem_):
    """Adds elem_ to the collections of elem: tf.GraphKeys' under their name, the others
    renamed into the destination scope."""
    known_collection_names = util.get_predefined_collection_names()
    for name, collection in info.collections.items():
        if elem not in collection:
            continue
        if name in known_collection_names:
            transformed_name = name
        else:
            transformed_name = info.new_name(name)
        info.graph_.add_to_collection(transformed_name, elem_)


def transform_op_if_inside_handler(info, op, keep_if_possible=True):
    """The copy of op if it is in the subgraph, else op itself when copying within its
    graph and `keep_if_possible`, else None (for original ops and control inputs)."""
    if op in info.sgv.ops:
        return info.transformed_ops[op]
    if keep_if_possible and info.graph is info.graph_:
        return op
    return None


def copy_op_handler(info, op, new_inputs, copy_shape=False, nodedef_fn=None):
    """(copy of op, its outputs): op's NodeDef, renamed into the destination scope (and
    passed through `nodedef_fn` if given), made an op of the destination graph consuming
    `new_inputs`; `copy_shape` also copies the static shapes of the outputs."""
    # new_inputs was once a boolean argument: fail loudly for callers of that version.
    if isinstance(new_inputs, bool):
        raise TypeError('the `new_inputs` argument must be an iterable.')
    # pylint: disable=protected-access
    node_def_ = _copy.deepcopy(op.node_def)
    name_ = info.new_name(op.name)
    name_ = info.graph_.unique_name(name_)
    node_def_.name = name_
    if nodedef_fn is not None:
        node_def_ = nodedef_fn(node_def_)
    # TF 2.x's Operation no longer builds from a NodeDef: from_node_def does. The original
    # op is set now (some ops need one) and remapped once every op is copied.
    op_ = tf.Operation.from_node_def(
        node_def_, info.graph_, inputs=list(new_inputs), output_types=op._output_types[:],
        control_inputs=[], input_types=op._input_types[:], original_op=op._original_op,
        op_def=_copy.deepcopy(op.op_def))
    if copy_shape:
        for t, t_ in zip(op.outputs, op_.outputs):
            t_.set_shape(t.get_shape())
    return op_, op_.outputs


class TransformerInfo(object):
    """The result of a transform: the mapping between the original ops/tensors and their
    copies, both ways."""

    def __init__(self, info):
        """From a Transformer's _TmpInfo."""
        self._graph = info.graph
        self._scope = info.scope
        self._graph_ = info.graph_
        self._scope_ = info.scope_
        self._transformed_ops = info.transformed_ops
        self._transformed_ts = info.transformed_ts

    def _get_transformed_map(self, top):
        if isinstance(top, tf.Operation):
            return self._transformed_ops
        if isinstance(top, tf.Tensor):
            return self._transformed_ts
        raise TypeError('Expected a tf.Tensor or a tf.Operation, got a {}'.format(type(top)))

    def _transformed_elem(self, original_top, missing_fn=None):
        """The copy of original_top (None, or missing_fn(original_top), if none)."""
        transformed_map = self._get_transformed_map(original_top)
        if original_top not in transformed_map:
            return None if missing_fn is None else missing_fn(original_top)
        return transformed_map[original_top]

    def _original_elem(self, transformed_top, missing_fn=None):
        """The original of transformed_top (None, or missing_fn(transformed_top), if
        none)."""
        transformed_map = self._get_transformed_map(transformed_top)
        for original, transformed in transformed_map.items():
            if transformed == transformed_top:
                return original
        return None if missing_fn is None else missing_fn(transformed_top)

    def transformed(self, original, missing_fn=None):
        """The copies of the ops/tensors of `original`, in a structure like it."""
        transformed_elem = functools.partial(self._transformed_elem, missing_fn=missing_fn)
        return util.transform_tree(original, transformed_elem)

    def original(self, transformed, missing_fn=None):
        """The originals of the ops/tensors of `transformed`, in a structure like it."""
        original_elem = functools.partial(self._original_elem, missing_fn=missing_fn)
        return util.transform_tree(transformed, original_elem)

    def __str__(self):
        res = io.StringIO()
        print('Transform result info:', file=res)
        if self._graph == self._graph_:
            in_place_str = '' if self._scope_ else ' IN-PLACE'
            print('  Within graph[{}]{}'.format(id(self._graph), in_place_str), file=res)
        else:
            print('  graph[{}] => graph[{}]'.format(id(self._graph), id(self._graph_)),
                  file=res)
        if self._scope:
            print('  Relative to source scope: {}'.format(self._scope), file=res)
        if self._scope_:
            print('  Scope destination: {}'.format(self._scope_), file=res)
        print('Operations mapping:', file=res)
        for op, op_ in self._transformed_ops.items():
            print('  {} => {}'.format(op.name, op_.name), file=res)
        return res.getvalue()


class _TmpInfo(object):
    """What one call of a Transformer knows, handed to its handlers."""

    def __init__(self, sgv, dst_graph, dst_scope, src_scope):
        self.sgv = sgv
        self.sgv_inputs_set = frozenset(sgv.inputs)
        self.ops = frozenset(sgv.ops)
        self.control_outputs = util.ControlOutputs(sgv.graph)
        self.graph = sgv.graph
        self.scope = src_scope
        self.graph_ = dst_graph
        self.scope_ = dst_scope
        self.transformed_ops = {}
        self.transformed_ts = {}
        self.collections = dict((key, self.graph.get_collection(key))
                                for key in self.graph.get_all_collection_keys())
        self.cyclic_ops = []
        self.transform_original_op_handler = transform_op_if_inside_handler
        # Ops are copied in their creation order, which cycles (while loops) break: an
        # input not copied yet is stood in for by a temporary tensor, recorded here as
        # (tensor, stand-in, consumer) and replaced in a second pass (_finalize_cycles).
        self.tmp_cyclic_ts = []

    def new_name(self, name):
        """`name` moved from the source scope to the destination scope."""
        scope = self.scope
        if not name.startswith(scope):
            raise ValueError('{} does not belong to source scope: {}.'.format(name, scope))
        rel_name = name[len(scope):]
        return self.scope_ + rel_name


class Transformer(object):
    """Transforms a subgraph into another one: by default a copy whose inputs are
    placeholders. Its handlers change that: transform_op_handler (copy_op_handler),
    transform_control_input_handler, assign_collections_handler,
    transform_external_input_handler (inputs: placeholders),
    transform_external_hidden_input_handler (kept within a graph) and
    transform_original_op_handler."""

    def __init__(self):
        self.transform_op_handler = copy_op_handler
        self.transform_control_input_handler = transform_op_if_inside_handler
        self.assign_collections_handler = assign_renamed_collections_handler
        self.transform_external_input_handler = replace_t_with_placeholder_handler
        self.transform_external_hidden_input_handler = keep_t_if_possible_handler
        self.transform_original_op_handler = transform_op_if_inside_handler

    def __call__(self, sgv, dst_graph, dst_scope, src_scope='', reuse_dst_scope=False):
        """Transforms `sgv` into `dst_graph`, names moving from `src_scope` to `dst_scope`
        (made unique unless `reuse_dst_scope`); returns (the transformed subgraph view, a
        TransformerInfo)."""
        sgv = subgraph.make_view(sgv)
        if not isinstance(dst_graph, tf.Graph):
            raise TypeError('Expected a tf.Graph, got: {}'.format(type(dst_graph)))
        src_scope = util.scope_finalize(src_scope)
        dst_scope = util.scope_finalize(dst_scope)
        if dst_scope and not reuse_dst_scope:
            dst_scope = util.scope_finalize(dst_graph.unique_name(dst_scope[:-1]))
        info = _TmpInfo(sgv, dst_graph, dst_scope, src_scope)
        self._copy_ops(info)
        self._finalize_cycles(info)
        self._connect_control_inputs(info)
        res_info = TransformerInfo(info)
        sgv_ = self._transform_sgv(info, sgv)
        return sgv_, res_info

    def _copy_ops(self, info):
        """Copies the ops without their control inputs."""
        sorted_ops = sorted(info.sgv.ops, key=lambda op: op._id)  # pylint: disable=protected-access
        for op in sorted_ops:
            new_inputs = [self._transformed_t(info, t, op) for t in op.inputs]
            op_, op_outputs_ = self.transform_op_handler(info, op, new_inputs)
            if op is op_:
                raise ValueError('In-place transformation not allowed.')
            info.transformed_ops[op] = op_
            self.assign_collections_handler(info, op, op_)
            for op_output, op_output_ in zip(op.outputs, op_outputs_):
                info.transformed_ts[op_output] = op_output_
                self.assign_collections_handler(info, op_output, op_output_)

    def _finalize_cycles(self, info):
        """Replaces the stand-ins of the cycles' tensors by their copies."""
        for t, tmp_t_, consumer_op in info.tmp_cyclic_ts:
            if t not in info.transformed_ts:
                raise ValueError('The tensor {} should be transformed by now.'.format(t.name))
            if consumer_op not in info.transformed_ops:
                raise ValueError('The op {} should be transformed by now.'.format(
                    consumer_op.name))
            t_ = info.transformed_ts[t]
            consumer_op_ = info.transformed_ops[consumer_op]
            t_index_ = list(consumer_op_.inputs).index(tmp_t_)
            consumer_op_._update_input(t_index_, t_)  # pylint: disable=protected-access

    def _connect_control_inputs(self, info):
        """Sets the original ops and the control inputs of the copies."""
        for op in info.sgv.ops:
            logging.debug('Connecting control inputs of op: %s', op.name)
            op_ = info.transformed_ops[op]
            # pylint: disable=protected-access
            if op._original_op:
                original_op = self.transform_original_op_handler(info, op._original_op)
                if original_op is None:
                    logging.debug('Could not find original op for: %s', op_.name)
                else:
                    op_._original_op = original_op
            control_inputs_ = [self.transform_control_input_handler(info, ci)
                               for ci in op.control_inputs]
            control_inputs_ = [ci for ci in control_inputs_ if ci is not None]
            reroute.add_control_inputs(op_, control_inputs_)

    def _transform_sgv(self, info, sgv):
        """The view of the copies, its inputs and outputs in the order of sgv's."""
        ops_ = list(info.transformed_ops.values())
        sgv_ = subgraph.SubGraphView(ops_)
        sgv_inputs_ = sgv_.inputs
        sgv_outputs_ = sgv_.outputs

        def index_map(boundary, boundary_, index):
            # For each tensor of sgv's boundary whose copy is on sgv_'s: the copy's index.
            copies = [info.transformed_ts.get(t) for t in boundary]
            return [index(t_) for t_ in copies if t_ is not None and t_ in boundary_]

        return sgv_.remap(index_map(sgv.inputs, sgv_inputs_, sgv_.input_index),
                          index_map(sgv.outputs, sgv_outputs_, sgv_.output_index))

    def _transformed_t(self, info, t, consumer_op):
        """The transformed tensor of `t`, an input of consumer_op."""
        if t in info.transformed_ts:
            return info.transformed_ts[t]
        if t in info.sgv_inputs_set:
            return self.transform_external_input_handler(info, t)
        if t.op not in info.ops:  # a hidden input of the subgraph
            return self.transform_external_hidden_input_handler(info, t)
        # Inside the subgraph but not copied yet: a cycle. An existing tensor stands in
        # for it (a Merge's first input, an Enter's input), else a new placeholder.
        logging.debug('Cyclic tensor: t.name = %s', t.name)
        if consumer_op.type == 'Merge':
            first_input = consumer_op.inputs[0]
            tmp_t_ = self._transformed_t(info, first_input, consumer_op)
        elif t.op.type == 'Enter':
            enter_input = t.op.inputs[0]
            tmp_t_ = self._transformed_t(info, enter_input, consumer_op)
        else:
            with info.graph_.as_default():
                tmp_t_ = util.make_placeholder_from_tensor(t, scope=info.scope_,
                                                           prefix='geph_tmp')
            logging.debug('Created temporary placeholder: %s.', tmp_t_.name)
        info.tmp_cyclic_ts.append((t, tmp_t_, consumer_op))
        return tmp_t_


def copy(sgv, dst_graph=None, dst_scope='', src_scope='', reuse_dst_scope=False):
    """Copies the subgraph `sgv` (made by make_view) into `dst_graph` (default: its own),
    its inputs replaced by placeholders; returns (the copy's view, a TransformerInfo)."""
    sgv, dst_graph = _view_and_graph(sgv, dst_graph)
    copier = Transformer()
    return copier(sgv, dst_graph, dst_scope, src_scope, reuse_dst_scope=reuse_dst_scope)


def _view_and_graph(sgv, dst_graph):
    """The subgraph view of `sgv`, and the graph to copy it into (default: its own)."""
    sgv = subgraph.make_view(sgv)
    if dst_graph is None:
        dst_graph = sgv.graph
    if not isinstance(dst_graph, tf.Graph):
        raise TypeError('Expected a tf.Graph, got: {}'.format(type(dst_graph)))
    return sgv, dst_graph


def copy_with_input_replacements(sgv, replacement_ts, dst_graph=None, dst_scope='',
                                 src_scope='', reuse_dst_scope=False):
    """Copies `sgv` as copy does, its inputs found in the dict `replacement_ts` replaced
    by their values (the others kept if possible); returns (view, TransformerInfo)."""
    sgv, dst_graph = _view_and_graph(sgv, dst_graph)
    copier = Transformer()

    def replace_t_with_replacement_handler(info, t):
        if t in replacement_ts:
            return replacement_ts[t]
        return keep_t_if_possible_handler(info, t)
    copier.transform_external_input_handler = replace_t_with_replacement_handler
    return copier(sgv, dst_graph, dst_scope, src_scope, reuse_dst_scope=reuse_dst_scope)


def _add_control_flow_ops(ops, control_ios):
    """Adds to the list `ops` the rest of the while loops it has ops of, so that a copy of
    them is a valid graph."""
    control_flow_contexts = set()
    for op in ops:
        cfc = op._control_flow_context  # pylint: disable=protected-access
        if cfc:
            control_flow_contexts.add(cfc)
    new_ops = []
    for cfc in control_flow_contexts:
        if cfc.IsWhileContext():
            new_ops += select.get_walks_intersection_ops(
                [enter_t.op for enter_t in cfc.loop_enters],
                [exit_t.op for exit_t in cfc.loop_exits], control_ios=control_ios)
    new_ops_set = set(new_ops)
    ops_set = frozenset(ops)
    for op in new_ops_set:
        if op not in ops_set:
            ops.append(op)


def graph_replace(target_ts, replacement_ts, dst_scope='', src_scope='',
                  reuse_dst_scope=False):
    """Copies of the tensors of `target_ts` (a nested structure, given back alike) computed
    from the replacement tensors of the dict `replacement_ts` (those not depending on them:
    themselves); ValueError if they are not connected."""
    flatten_target_ts = util.flatten_tree(target_ts)
    # The walks follow the control dependencies too.
    graph = util.get_unique_graph(flatten_target_ts, check_types=(tf.Tensor))
    control_ios = util.ControlOutputs(graph)
    ops = select.get_walks_intersection_ops(list(replacement_ts), flatten_target_ts,
                                            control_ios=control_ios)
    if not ops:
        raise ValueError('Targets and replacements are not connected!')
    _add_control_flow_ops(ops, control_ios)
    _, info = copy_with_input_replacements(ops, replacement_ts, None, dst_scope, src_scope,
                                           reuse_dst_scope)
    return info.transformed(target_ts, lambda original_t: original_t)
