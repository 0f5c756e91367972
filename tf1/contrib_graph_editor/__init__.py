"""tf.contrib.graph_editor as TF 1.15 had it: views on parts of a graph (subgraph.py), ways
of selecting their ops and tensors (select.py), rerouting tensors between consumers
(reroute.py), detaching and connecting subgraphs (edit.py), copying them with their inputs
replaced (transform.py) and helpers (util.py). Like TF 1.x's, it edits graphs in place
through tf.Operation's private methods. Ported from TF 1.15's contrib/graph_editor/__init__.py.
"""
from tf1.contrib_graph_editor import edit, reroute, select, subgraph, transform, util
from tf1.contrib_graph_editor.edit import (bypass, connect, detach, detach_control_inputs,
                                           detach_control_outputs, detach_inputs, detach_outputs)
from tf1.contrib_graph_editor.reroute import (add_control_inputs, remove_control_inputs,
                                              reroute_inputs, reroute_ios, reroute_outputs,
                                              reroute_ts, swap_inputs, swap_ios, swap_outputs,
                                              swap_ts)
from tf1.contrib_graph_editor.select import (can_be_regex, check_cios, compute_boundary_ts,
                                             filter_ops, filter_ops_from_regex, filter_ts,
                                             filter_ts_from_regex, get_backward_walk_ops,
                                             get_forward_walk_ops, get_name_scope_ops, get_ops_ios,
                                             get_walks_intersection_ops, get_walks_union_ops,
                                             get_within_boundary_ops, make_regex, select_ops,
                                             select_ops_and_ts, select_ts)
from tf1.contrib_graph_editor.subgraph import (SubGraphView, make_view, make_view_from_scope)
from tf1.contrib_graph_editor.transform import (Transformer, TransformerInfo,
                                                assign_renamed_collections_handler, copy,
                                                copy_op_handler, copy_with_input_replacements,
                                                graph_replace, keep_t_if_possible_handler,
                                                replace_t_with_placeholder_handler,
                                                transform_op_if_inside_handler)
from tf1.contrib_graph_editor.util import (ControlOutputs, get_consuming_ops, get_generating_ops,
                                           get_tensors, make_list_of_op, make_list_of_t,
                                           make_placeholder_from_dtype_and_shape,
                                           make_placeholder_from_tensor, placeholder_name)

# TF 1.15's aliases.
ph = util.make_placeholder_from_dtype_and_shape
sgv = make_view
sgv_scope = make_view_from_scope

__all__ = ['ControlOutputs', 'SubGraphView', 'Transformer', 'TransformerInfo',
           'add_control_inputs', 'assign_renamed_collections_handler', 'bypass', 'can_be_regex',
           'check_cios', 'compute_boundary_ts', 'connect', 'copy', 'copy_op_handler',
           'copy_with_input_replacements', 'detach', 'detach_control_inputs',
           'detach_control_outputs', 'detach_inputs', 'detach_outputs', 'edit', 'filter_ops',
           'filter_ops_from_regex', 'filter_ts', 'filter_ts_from_regex', 'get_backward_walk_ops',
           'get_consuming_ops', 'get_forward_walk_ops', 'get_generating_ops', 'get_name_scope_ops',
           'get_ops_ios', 'get_tensors', 'get_walks_intersection_ops', 'get_walks_union_ops',
           'get_within_boundary_ops', 'graph_replace', 'keep_t_if_possible_handler',
           'make_list_of_op', 'make_list_of_t', 'make_placeholder_from_dtype_and_shape',
           'make_placeholder_from_tensor', 'make_regex', 'make_view', 'make_view_from_scope', 'ph',
           'placeholder_name', 'remove_control_inputs', 'replace_t_with_placeholder_handler',
           'reroute', 'reroute_inputs', 'reroute_ios', 'reroute_outputs', 'reroute_ts', 'select',
           'select_ops', 'select_ops_and_ts', 'select_ts', 'sgv', 'sgv_scope', 'subgraph',
           'swap_inputs', 'swap_ios', 'swap_outputs', 'swap_ts', 'transform',
           'transform_op_if_inside_handler', 'util']
