"""TF 1.x Keras's node numbering and inbound layers (tf1/keras_nodes.py): a model built
from its inputs is its own node 0, so get_input_at(0) is its input before any call and its
first call is node 1; a node's inbound layers are a list. cleverhans' KerasModelWrapper
relies on both."""
import numpy as np
import pytest
import tensorflow.compat.v1 as tf

from conftest import standalone_keras as keras
from tf1.api import tensorflow as tf1_api

tf.disable_v2_behavior()



def mlp():
    keras_ = keras('keras')
    return keras_.models.Sequential([
        keras_.layers.Dense(20, name='l1', input_shape=(100,)),
        keras_.layers.Dense(10, name='l2'),
        keras_.layers.Activation('softmax', name='softmax')])


def test_a_model_is_its_own_node_0_and_its_calls_come_after():
    with tf.Graph().as_default():
        model = mlp()
        assert model.get_input_at(0) is model.input and model.get_output_at(0) is model.output
        assert model.get_input_shape_at(0) == (None, 100)
        assert model.get_output_shape_at(0) == (None, 10)
        keras_ = keras('keras')
        x = keras_.Input((100,))
        y = model(x)
        assert model.get_input_at(1) is x and model.get_output_at(1) is y  # its first call
        assert model.get_input_at(0) is model.input  # still its own
        # cleverhans' KerasModelWrapper.fprop: every layer's output from the model's input,
        # called on a placeholder.
        x = tf.placeholder(tf.float32, [None, 100], name='x')
        y = model(x)
        every_layer = keras_.models.Model(model.get_input_at(0),
                                          [layer.output for layer in model.layers])
        outputs = every_layer(x)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            ones = np.ones([2, 100], np.float32)
            probabilities, last = sess.run([y, outputs[-1]], {x: ones})
        np.testing.assert_allclose(probabilities, last, rtol=1e-6)


def test_a_layer_keeps_tensorflows_numbering_and_a_functional_model_several_inputs():
    keras_ = tf1_api.keras
    with tf.Graph().as_default():
        a, b = keras_.Input((3,), name='a'), keras_.Input((4,), name='b')
        merged = keras_.layers.concatenate([a, b])
        model = keras_.Model([a, b], keras_.layers.Dense(2)(merged))
        assert model.get_input_at(0) == [a, b]
        assert model.get_input_shape_at(0) == [(None, 3), (None, 4)]
        dense = model.layers[-1]
        assert dense.get_input_at(0) is merged  # a layer's node 0 is its first call
        with pytest.raises(RuntimeError, match='has never been called'):
            keras_.layers.Dense(5).get_input_at(0)  # a layer never called has no node 0


def test_inbound_layers_are_a_list_that_answers_as_its_one_layer():
    with tf.Graph().as_default():
        model = mlp()
        node = model.get_layer('softmax')._inbound_nodes[0]
        assert isinstance(node.inbound_layers, list)
        assert node.inbound_layers[0] is model.get_layer('l2')  # Keras 2.0-2.3
        assert node.inbound_layers.name == 'l2'  # TF 1.14-1.15's tf.keras: the layer
        keras_ = keras('keras')
        a, b = keras_.Input((3,)), keras_.Input((3,))
        added = keras_.layers.Add()
        added([a, b])
        assert [layer.name for layer in added._inbound_nodes[0].inbound_layers] == [
            a._keras_history[0].name, b._keras_history[0].name]
        # A model's summary walks the nodes' inbound layers.
        lines = []
        model.summary(print_fn=lines.append)
        assert any(line.startswith(' l2 (Dense)') for line in lines)
