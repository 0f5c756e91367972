"""tf1's tf.contrib.graph_editor (TF 1.15's, tf1/contrib_graph_editor/) editing real graphs:
walks and filters find the ops they should, subgraph views see their boundaries, copies
compute with their replaced inputs, rerouting and detaching rewire consumers (values read
back in sessions), a while loop and a cond survive a copy into another graph, and a
gradient-checkpointing recomputation gives tf.gradients' gradients."""
import numpy as np
import pytest
import tensorflow.compat.v1 as tf

from tf1 import contrib_graph_editor as ge

tf.disable_v2_behavior()

pytestmark = pytest.mark.usefixtures('fresh_graph')  # conftest.py


def small_graph():
    """a, b -> foo/c = a + b; foo/bar/e = c * d, foo/bar/f = e - a (after c, a control
    dependency)."""
    a = tf.constant([1., 2.], name='a')
    b = tf.constant([3., 4.], name='b')
    with tf.name_scope('foo'):
        c = tf.add(a, b, name='c')
        d = tf.constant([5., 6.], name='d')
        with tf.name_scope('bar'):
            e = tf.multiply(c, d, name='e')
            with tf.control_dependencies([c.op]):
                f = tf.subtract(e, a, name='f')
    return a, b, c, d, e, f


def names(ops_or_ts):
    return sorted(x.name for x in ops_or_ts)


def test_walks_and_filters_select_the_ops_around_a_tensor():
    a, b, c, d, e, f = small_graph()
    graph = tf.get_default_graph()
    assert names(ge.get_forward_walk_ops([a.op])) == ['a', 'foo/bar/e', 'foo/bar/f', 'foo/c']
    # Seeded with a tensor: its consumers are the seeds.
    assert names(ge.get_forward_walk_ops(a, inclusive=False)) == ['foo/bar/e']
    assert names(ge.get_forward_walk_ops([a.op], stop_at_ts=[c])) == ['a', 'foo/bar/f',
                                                                       'foo/c']
    assert names(ge.get_backward_walk_ops([f.op], stop_at_ts=[e])) == ['a', 'foo/bar/f']
    assert names(ge.get_backward_walk_ops([f.op], control_inputs=True, stop_at_ts=[e])) == [
        'a', 'b', 'foo/bar/f', 'foo/c']
    assert names(ge.get_walks_intersection_ops([b.op], [f.op])) == ['b', 'foo/bar/e',
                                                                     'foo/bar/f', 'foo/c']
    assert ge.get_forward_walk_ops([c.op], inclusive=False) == [e.op, f.op]
    # f depends on c also by a control dependency, followed when asked for.
    assert ge.get_forward_walk_ops([c.op], stop_at_ts=[c]) == [c.op]
    control_outputs = ge.util.ControlOutputs(graph)
    assert ge.get_forward_walk_ops([c.op], stop_at_ts=[c],
                                   control_outputs=control_outputs) == [c.op, f.op]
    assert names(ge.get_within_boundary_ops(graph, [e.op], boundary_ops=[c.op, d.op],
                                            inclusive=False)) == ['a', 'foo/bar/e',
                                                                  'foo/bar/f']
    assert control_outputs.get(c.op) == [f.op] and control_outputs.get(f.op) == ()

    assert names(ge.get_name_scope_ops(graph, 'foo/bar/')) == ['foo/bar/e', 'foo/bar/f']
    assert names(ge.filter_ops(graph, lambda op: op.type == 'Const')) == ['a', 'b', 'foo/d']
    assert names(ge.filter_ts_from_regex(graph, r'^foo/.*:0$')) == [
        'foo/bar/e:0', 'foo/bar/f:0', 'foo/c:0', 'foo/d:0']
    ops, ts = ge.select_ops_and_ts('^foo/bar/', '(?#ts)^a:', graph=graph)
    assert names(ops) == ['foo/bar/e', 'foo/bar/f'] and ts == [a]
    with pytest.raises(ValueError, match="keyword argument 'graph'"):
        ge.select_ops('^foo')
    inputs, outputs, inside = ge.compute_boundary_ts([c.op, e.op])
    assert inputs == [a, b, d] and outputs == [e] and inside == [c]  # c only feeds e


def test_subgraph_view_has_the_boundary_tensors_and_remaps_them():
    a, b, c, d, e, f = small_graph()
    view = ge.sgv(c.op, e.op)
    assert list(view.inputs) == [a, b, d] and list(view.outputs) == [e]
    assert view.connected_inputs == [a, b, d] and not view.passthroughs
    assert view.consumers() == [f.op] and view.find_op_by_name('foo/c') is c.op
    remapped = view.remap([d, 0], [0, 0])
    assert list(remapped.inputs) == [d, a] and list(remapped.outputs) == [e, e]
    assert list(view.inputs) == [a, b, d]  # a view is never changed by its methods
    with pytest.raises(ValueError, match='repetition'):
        view.remap_inputs([0, 0])
    scope_view = ge.sgv_scope('foo/bar', tf.get_default_graph())
    assert names(scope_view.ops) == ['foo/bar/e', 'foo/bar/f']
    assert list(scope_view.inputs) == [c, d, a] and list(scope_view.outputs) == [f]
    passthrough = ge.sgv(e.op, a)
    assert list(passthrough.inputs) == [c, d, a] and passthrough.is_passthrough(a)
    assert 'foo/bar/e:0' in str(view) and str(ge.sgv()) == 'SubGraphView: empty'


def test_copies_compute_with_their_replaced_inputs(evaluate):
    a, b, c, d, e, f = small_graph()
    ten = tf.constant([10., 20.], name='ten')
    copied, info = ge.copy_with_input_replacements(ge.sgv(c.op, e.op), {a: ten},
                                                   dst_scope='copied')
    e_copy = info.transformed(e)
    assert e_copy.name == 'copied/foo/bar/e:0' and info.original(e_copy) is e
    assert list(copied.outputs) == [e_copy] and info.transformed(c).op.inputs[0] is ten

    a_new = tf.constant([-1., 0.5], name='a_new')
    replaced = ge.graph_replace({'f': f, 'e': [e]}, {a: a_new})
    assert replaced['f'].name != f.name and replaced['f'].op.control_inputs
    (e_v, f_v, e_copy_v, replaced_f, (replaced_e,)) = evaluate(
        e, f, e_copy, replaced['f'], replaced['e'])
    np.testing.assert_allclose(e_v, [20., 36.])
    np.testing.assert_allclose(f_v, [19., 34.])
    np.testing.assert_allclose(e_copy_v, [65., 144.])
    np.testing.assert_allclose(replaced_e, [10., 27.])
    np.testing.assert_allclose(replaced_f, [11., 26.5])
    with pytest.raises(ValueError, match='not connected'):
        ge.graph_replace(b, {d: a_new})


def test_reroute_and_swap_move_the_consumers(evaluate):
    a = tf.constant(2., name='a')
    b = tf.constant(3., name='b')
    x = tf.multiply(a, 10., name='x')
    y = tf.multiply(b, 100., name='y')
    z = tf.add(a, b, name='z')
    assert ge.swap_ts([a], [b], cannot_modify=[z.op]) == 2
    assert list(x.op.inputs)[0] is b and list(y.op.inputs)[0] is a
    assert evaluate(x, y, z) == [30., 200., 5.]
    assert ge.reroute_ts([b], [a], can_modify=[y.op, z.op]) == 2
    assert evaluate(x, y, z) == [30., 300., 6.]
    assert not a.consumers() and set(b.consumers()) == {x.op, y.op, z.op}
    with pytest.raises(ValueError, match='not compatible'):
        ge.reroute_ts([tf.constant([1., 2.])], [a])


def test_detach_connect_bypass_and_control_inputs(evaluate):
    a, b, c, d, e, f = small_graph()
    view, (ph_a, ph_b) = ge.detach_inputs(ge.sgv(c.op))
    assert ph_a.op.type == 'Placeholder' and ph_a.name == 'geph__a_0:0'
    assert list(view.inputs) == [ph_a, ph_b] and a.consumers() == [f.op]
    with tf.Session() as session:
        assert list(session.run(e, {ph_a: [1., 1.], ph_b: [0., 1.]})) == [5., 12.]
    # The input of c that is left in its view is connected to b's output.
    ge.connect(ge.sgv(b.op), ge.sgv(c.op).remap_inputs([0]))
    assert list(c.op.inputs) == [b, ph_b]
    with tf.Session() as session:
        assert list(session.run(e, {ph_b: [0., 1.]})) == [15., 30.]
    ge.remove_control_inputs(f.op, [c.op])
    assert not f.op.control_inputs
    ge.add_control_inputs(f.op, [d.op])
    assert f.op.control_inputs == [d.op]
    with pytest.raises(ValueError, match='already a control_input'):
        ge.add_control_inputs(f.op, d.op)

    g = tf.negative(tf.square(d, name='sq'), name='neg')
    h = tf.identity(g, name='h')
    _, (ph_d,) = ge.bypass(ge.sgv(g.op.inputs[0].op, g.op))
    assert ph_d.name == 'foo/geph__d_0:0' and list(g.op.inputs[0].op.inputs) == [ph_d]
    assert list(h.op.inputs) == [d] and list(evaluate(h)[0]) == [5., 6.]


def test_copy_into_another_graph_keeps_while_loops_and_conds_running():
    graph = tf.Graph()
    with graph.as_default():
        limit = tf.placeholder(tf.int32, [], name='limit')
        choice = tf.placeholder(tf.bool, [], name='choice')
        _, total = tf.while_loop(lambda i, s: i <= limit, lambda i, s: (i + 1, s + i),
                                 [tf.constant(1), tf.constant(0)])
        result = tf.cond(choice, lambda: total * 2, lambda: total - 1)
    copied = tf.Graph()
    _, info = ge.copy(graph, dst_graph=copied, dst_scope='imported')
    copies = {info.transformed(op) for op in graph.get_operations()}
    assert {op.name for op in copies} == {'imported/' + op.name for op in graph.get_operations()}
    # The cond's Switch ops were made after the ops consuming them: while copying, those
    # consumed stand-in placeholders, left unconsumed once the Switch ops were copied.
    stand_ins = set(copied.get_operations()) - copies
    assert stand_ins and all(op.name.startswith('imported/geph_tmp__Switch')
                             and not op.outputs[0].consumers() for op in stand_ins)
    with copied.as_default(), tf.Session() as session:
        feeds = (info.transformed(limit), info.transformed(choice))
        assert session.run(info.transformed(result), dict(zip(feeds, (10, True)))) == 110
        assert session.run(info.transformed(result), dict(zip(feeds, (4, False)))) == 9


def test_gradient_checkpointing_recomputation_gives_the_same_gradients(evaluate):
    """openai's memory_saving_gradients' method with one checkpoint: the forward ops are
    copied, the copies above the checkpoint consume a stop_gradient of it, and the
    gradients come from the copies, the checkpoint's gradient seeding the lower part."""
    rng = np.random.RandomState(0)
    x = tf.constant(rng.randn(16, 8).astype(np.float32))
    h, params = x, []
    for i in range(6):
        with tf.variable_scope('layer%d' % i):
            w = tf.get_variable('w', [8, 8], initializer=tf.random_normal_initializer(0, .5))
            bias = tf.get_variable('b', [8], initializer=tf.random_normal_initializer())
            h = tf.tanh(tf.matmul(h, w) + bias)
            params += [w, bias]
        if i == 2:
            checkpoint = h
    loss = tf.reduce_sum(tf.square(h))
    expected = tf.gradients(loss, params)

    fwd_ops = ge.get_forward_walk_ops([p.value().op for p in params], inclusive=False,
                                      within_ops=ge.get_backward_walk_ops([loss.op]))
    top_ops = [op for op in ge.get_backward_walk_ops([loss.op], stop_at_ts=[checkpoint])
               if op in fwd_ops and op is not checkpoint.op]
    bottom_ops = [op for op in ge.get_backward_walk_ops([checkpoint.op]) if op in fwd_ops]
    checkpoint_sg = tf.stop_gradient(checkpoint)
    _, top = ge.copy_with_input_replacements(ge.sgv(top_ops), {}, dst_scope='top')
    copied = top.transformed(top_ops)
    assert ge.reroute_ts([checkpoint_sg], [checkpoint], can_modify=copied) == 1
    top_grads = tf.gradients(top.transformed(loss), [checkpoint_sg] + params[6:])
    _, bottom = ge.copy_with_input_replacements(ge.sgv(bottom_ops), {}, dst_scope='bottom')
    bottom_grads = tf.gradients(bottom.transformed(checkpoint), params[:6],
                                grad_ys=top_grads[0])
    got = bottom_grads + top_grads[1:]

    # Only copies feed the gradients: the forward pass is reached only through the
    # stop_gradient of the checkpoint.
    reached = set(ge.get_backward_walk_ops([g.op for g in got], stop_at_ts=[checkpoint]))
    assert checkpoint_sg.op in reached and not reached & set(fwd_ops)
    values = evaluate(*(expected + got))
    for expected_v, got_v in zip(values[:len(params)], values[len(params):]):
        np.testing.assert_allclose(got_v, expected_v, rtol=1e-5, atol=1e-6)


def test_scripts_reach_it_as_tf_contrib_graph_editor_with_tf1s_op_internals():
    """`import tensorflow.contrib.graph_editor as ge`; openai's gradient checkpointing also
    reads ops' private `_inputs` and `_outputs`, which TF 1.x had and the runner restores."""
    from tf1 import api, restored_internals
    assert api.tensorflow.contrib.graph_editor.sgv is ge.make_view
    restored_internals.restore_operation_lists()  # as the runner does
    a = tf.constant(1.0)
    b = tf.identity(a)
    assert b.op._inputs == [a] and b.op._outputs == [b]
