"""tf.contrib.copy_graph (TF 1.0-1.15), ported from TF 1.15: copy variables and, with
everything they need, ops from one graph to another, under a scope; find a copied op.

TF 1.15 built the copies with tf.Operation's constructor, which TF 2.x changed; here
each op is created in the other graph from its type, inputs, attributes and device, under
exactly its old name (scope-prefixed)."""
import tensorflow.compat.v1 as tf
from tensorflow.python.ops import resource_variable_ops, variables as variables_lib

__all__ = ['copy_op_to_graph', 'copy_variable_to_graph', 'get_copied_op']


def _scoped(name, scope):
    return '%s/%s' % (scope, name) if scope != '' else name


def _collections_holding(element, scope, unscoped=()):
    """The collections of its graph that hold `element`, moved under `scope` but for
    those in `unscoped`."""
    graph = element.graph
    return [name if scope == '' or name in unscoped else '%s/%s' % (scope, name)
            for name in graph.get_all_collection_keys()
            if element in graph.get_collection(name)]


def copy_variable_to_graph(org_instance, to_graph, scope=''):
    """A copy of the variable `org_instance` in `to_graph`, under `scope`, in the same
    collections (global and trainable ones as they are, the rest under `scope`),
    initialised to the value its initializer gives; a resource variable's copy is one."""
    if not isinstance(org_instance, variables_lib.Variable):
        raise TypeError('%s is not a Variable' % str(org_instance))
    new_name = _scoped(org_instance.name[:org_instance.name.index(':')], scope)
    collections = _collections_holding(
        org_instance, scope, (tf.GraphKeys.GLOBAL_VARIABLES, tf.GraphKeys.TRAINABLE_VARIABLES))
    trainable = org_instance in org_instance.graph.get_collection(
        tf.GraphKeys.TRAINABLE_VARIABLES)
    with org_instance.graph.as_default(), tf.Session() as session:
        init_value = session.run(org_instance.initial_value)
    with to_graph.as_default():
        return tf.Variable(init_value, trainable, name=new_name, collections=collections,
                           validate_shape=False, use_resource=isinstance(
                               org_instance, resource_variable_ops.BaseResourceVariable))


def copy_op_to_graph(org_instance, to_graph, variables, scope=''):
    """A copy in `to_graph`, under `scope`, of the op or tensor `org_instance` and of what
    it needs (copied once; found again by name), the tensors of `variables` (copies made
    by copy_variable_to_graph) standing for their originals."""
    new_name = _scoped(org_instance.name, scope)
    copied_variables = {x.name: x for x in variables}
    if new_name in copied_variables:
        return to_graph.get_tensor_by_name(copied_variables[new_name].name)
    try:
        return to_graph.as_graph_element(new_name, allow_tensor=True, allow_operation=True)
    except (KeyError, ValueError):
        pass
    collections = _collections_holding(org_instance, scope)
    if isinstance(org_instance, tf.Tensor):  # an output of its op: copy the op
        op = org_instance.op
        new_op = copy_op_to_graph(op, to_graph, variables, scope)
        new_tensor = new_op.outputs[op.outputs.index(org_instance)]
        for collection in collections:
            to_graph.add_to_collection(collection, new_tensor)
        return new_tensor
    if not isinstance(org_instance, tf.Operation):
        raise TypeError('Could not copy instance: %s' % str(org_instance))
    op = org_instance
    new_original_op = (copy_op_to_graph(op._original_op, to_graph, variables, scope)
                       if op._original_op is not None else None)
    new_control_inputs = [copy_op_to_graph(x, to_graph, variables, scope)
                          for x in op.control_inputs]
    new_inputs = [copy_op_to_graph(x, to_graph, variables, scope) for x in op.inputs]
    with to_graph.as_default(), tf.name_scope(None), tf.control_dependencies(None):
        new_op = to_graph._create_op_internal(
            op.type, new_inputs, dtypes=list(op._output_types), input_types=list(
                op._input_types), name=new_name, attrs=dict(op.node_def.attr),
            op_def=op.op_def, compute_device=False)
    new_op._add_control_inputs(new_control_inputs)
    new_op._original_op = new_original_op
    new_op._set_device(op.device)
    for device_function in to_graph._device_functions_outer_to_inner:
        new_op._set_device(device_function(new_op))
    return new_op


def get_copied_op(org_instance, graph, scope=''):
    """The copy in `graph`, under `scope`, of the op or tensor `org_instance`."""
    return graph.as_graph_element(_scoped(org_instance.name, scope), allow_tensor=True,
                                  allow_operation=True)
