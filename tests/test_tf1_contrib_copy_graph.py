"""tf1's tf.contrib.copy_graph: TF 1.15's own tests (a variable copied twice, y = ax + b
copied and evaluated), and what they left out: scopes, control inputs, collections,
resource variables, errors."""
import pytest
import tensorflow.compat.v1 as tf

from tf1.api import tensorflow as tf1_api

tf.disable_v2_behavior()
copy_elements = tf1_api.contrib.copy_graph.python.util.copy_elements


def test_tf_1_15s_variable_copy():
    graph1, graph2 = tf.Graph(), tf.Graph()
    with graph1.as_default():
        some_var = tf.Variable(2)
        session1 = tf.Session()
        session1.run(tf.global_variables_initializer())
    copy1 = copy_elements.copy_variable_to_graph(some_var, graph2)
    copy2 = copy_elements.copy_variable_to_graph(some_var, graph2, 'test_scope')
    with graph2.as_default():
        session2 = tf.Session()
        session2.run(tf.global_variables_initializer())
    assert isinstance(copy1, tf.Variable) and isinstance(copy2, tf.Variable)
    assert some_var.eval(session=session1) == copy1.eval(session=session2) == \
        copy2.eval(session=session2) == 2
    assert copy2.op.name == 'test_scope/Variable' and copy2 in graph2.get_collection(
        tf.GraphKeys.TRAINABLE_VARIABLES)


@pytest.mark.parametrize('use_resource', [False, True])
def test_an_expression_copied_with_what_it_needs(use_resource):
    """TF 1.15's y = ax + b, and under a scope, with a control input and a collection."""
    graph1, graph2 = tf.Graph(), tf.Graph()
    with graph1.as_default():
        x = tf.placeholder('float')
        a = tf.get_variable('a', initializer=3.0, use_resource=use_resource)
        ax = tf.multiply(x, a)
        check, total = tf.identity(ax, name='check'), tf.add(ax, tf.constant(4.0))
        with tf.control_dependencies([check]):
            y = tf.identity(total, name='y')
        tf.add_to_collection('outputs', y)
        session1 = tf.Session()
        session1.run(tf.global_variables_initializer())
    copies = {}
    for scope in ('', 'copy'):
        a1 = copy_elements.copy_variable_to_graph(a, graph2, scope)
        copies[scope] = copy_elements.copy_op_to_graph(y, graph2, [a1], scope)
    with graph2.as_default():
        session2 = tf.Session()
        session2.run(tf.global_variables_initializer())
    for scope, y1 in copies.items():
        x1 = copy_elements.get_copied_op(x, graph2, scope)
        assert y1.eval({x1: 5}, session=session2) == y.eval({x: 5}, session=session1) == 19
    assert copies['copy'].name == 'copy/y:0'
    assert [op.name for op in copies['copy'].op.control_inputs] == ['copy/check']
    assert graph2.get_collection('copy/outputs') == [copies['copy']]
    assert copy_elements.copy_op_to_graph(y, graph2, [], 'copy') is copies['copy']  # found


def test_what_cannot_be_copied():
    with tf.Graph().as_default():
        with pytest.raises(TypeError, match='is not a Variable'):
            copy_elements.copy_variable_to_graph(tf.constant(1.0), tf.Graph())
        with pytest.raises(TypeError, match='Could not copy instance: 3'):
            copy_elements.copy_op_to_graph(_Named(), tf.Graph(), [])


class _Named:
    name = 'three'
    graph = tf.Graph()

    def __str__(self):
        return '3'
