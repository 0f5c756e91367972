"""Graph editing on subgraph views: detaching their inputs/outputs (onto new placeholders),
connecting one to another, bypassing one. Ported from TF 1.15's
contrib/graph_editor/edit.py."""
import tensorflow.compat.v1 as tf

from tf1.contrib_graph_editor import reroute, select, subgraph, util

__all__ = ['detach_control_inputs', 'detach_control_outputs', 'detach_inputs',
           'detach_outputs', 'detach', 'connect', 'bypass']


def detach_control_inputs(sgv):
    """Removes the control inputs of the ops of `sgv` (made by make_view) coming from
    outside it."""
    sgv = subgraph.make_view(sgv)
    for op in sgv.ops:
        cops = [cop for cop in op.control_inputs if cop not in sgv.ops]
        reroute.remove_control_inputs(op, cops)


def detach_control_outputs(sgv, control_outputs):
    """Removes the ops of `sgv` from the control inputs of the ops outside it
    (`control_outputs`: a util.ControlOutputs)."""
    if not isinstance(control_outputs, util.ControlOutputs):
        raise TypeError('Expected a util.ControlOutputs, got: {}'.format(
            type(control_outputs)))
    control_outputs.update()
    sgv = subgraph.make_view(sgv)
    for op in sgv.ops:
        for cop in control_outputs.get(op):
            if cop not in sgv.ops:
                reroute.remove_control_inputs(cop, op)


def detach_inputs(sgv, control_inputs=False):
    """Makes the ops of `sgv` consume new placeholders instead of its inputs (and drops
    their outside control inputs if `control_inputs`); returns (sgv, the placeholders)."""
    sgv = subgraph.make_view(sgv)
    with sgv.graph.as_default():
        input_placeholders = [
            tf.placeholder(dtype=input_t.dtype, name=util.placeholder_name(input_t))
            for input_t in sgv.inputs]
    reroute.swap_inputs(sgv, input_placeholders)
    if control_inputs:
        detach_control_inputs(sgv)
    return sgv, input_placeholders


def detach_outputs(sgv, control_outputs=None):
    """Makes the consumers of the outputs of `sgv` consume new placeholders instead (and
    drops its outside control outputs if `control_outputs`, a util.ControlOutputs, is
    given); returns (the view of the outputs that had consumers, the placeholders)."""
    sgv = subgraph.make_view(sgv)
    sgv_ = sgv.remap_outputs([output_id for output_id, output_t in enumerate(sgv.outputs)
                              if output_t.consumers()])
    consumers_sgv = subgraph.SubGraphView(sgv_.consumers())
    consumers_sgv = consumers_sgv.remap_inputs(
        [input_id for input_id, input_t in enumerate(consumers_sgv.inputs)
         if input_t in sgv_.outputs])
    with sgv_.graph.as_default():
        output_placeholders = [util.make_placeholder_from_tensor(input_t)
                               for input_t in consumers_sgv.inputs]
    reroute.swap_outputs(sgv_, output_placeholders)
    if control_outputs is not None:
        detach_control_outputs(sgv_, control_outputs)
    return sgv_, output_placeholders


def detach(sgv, control_inputs=False, control_outputs=None, control_ios=None):
    """detach_inputs then detach_outputs (control ones as select.check_cios says);
    returns (sgv, input placeholders, output placeholders)."""
    control_inputs, control_outputs = select.check_cios(control_inputs, control_outputs,
                                                        control_ios)
    _, detached_inputs = detach_inputs(sgv, control_inputs)
    _, detached_outputs = detach_outputs(sgv, control_outputs)
    return sgv, detached_inputs, detached_outputs


def connect(sgv0, sgv1, disconnect_first=False):
    """Makes the ops of sgv1 consume the outputs of sgv0 instead of their inputs (after
    detaching sgv0's outputs if `disconnect_first`); returns (sgv0, sgv1)."""
    sgv0 = subgraph.make_view(sgv0)
    sgv1 = subgraph.make_view(sgv1)
    util.check_graphs(sgv0, sgv1)
    if disconnect_first:
        detach_outputs(sgv0)
    sgv0_outputs = subgraph.SubGraphView(passthrough_ts=sgv0.outputs)
    reroute.reroute_inputs(sgv0_outputs, sgv1)
    return sgv0, sgv1


def bypass(sgv):
    """Makes the consumers of the outputs of `sgv` consume its inputs instead, its ops
    then consuming placeholders; returns (sgv, the placeholders)."""
    sgv = subgraph.make_view(sgv)
    sgv_inputs = list(sgv.inputs)
    sgv, detached_inputs = detach_inputs(sgv)
    reroute.reroute_ts(sgv_inputs, sgv.outputs)
    return sgv, detached_inputs
