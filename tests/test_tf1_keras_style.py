"""tf.layers.experimental.keras_style_scope (TF 1.15): tf.layers layers and RNN cells made
in it manage their variables as Keras layers do, so that two models built of TF 1.x cells
never share or clash over variables. TF 2.21 still ships TF 1.x's Keras-based tf.layers
(tensorflow.python.keras.legacy_tf_layers), the oracle for the layers' names."""
import warnings

import numpy as np
import pytest
import tensorflow.compat.v1 as tf
import tf_keras

from tf1 import layers
from tf1 import rnn_cell
from tf1.api import tensorflow as tf1_api
from tf1.layers import base
from tf1.layers.keras_style import keras_style_scope

tf.disable_v2_behavior()

pytestmark = pytest.mark.usefixtures('fresh_graph')


def legacy_layers():
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        from tensorflow.python.keras.legacy_tf_layers import base as legacy_base, core
    return legacy_base.keras_style_scope, core


def names(variables):
    return [variable.name for variable in variables]


def test_it_is_where_tf_1_15_had_it():
    experimental = tf1_api.layers.experimental
    assert experimental.keras_style_scope is keras_style_scope is base.keras_style_scope
    assert experimental.set_keras_style is base.set_keras_style


def test_layers_are_named_as_tf_1_15s_keras_style_layers():
    def build(scope, module):
        with tf.Graph().as_default():
            with scope():
                first = module.Dense(2, kernel_regularizer=lambda w: tf.reduce_sum(w))
                second = module.Dense(2, name='fc')
            with tf.name_scope('outer'):
                outputs = [second(first(tf.ones([1, 3]))), first(tf.ones([1, 3]))]
            losses = tf.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES)
            return (names(tf.global_variables()), [first.name, second.name],
                    [t.name for t in outputs], [loss.name for loss in losses], first.losses)

    ours = build(keras_style_scope, layers)
    assert ours[:4] == build(*legacy_layers())[:4]
    assert ours[0] == ['outer/dense_1/kernel:0', 'outer/dense_1/bias:0',
                       'outer/fc/kernel:0', 'outer/fc/bias:0']
    assert len(ours[4]) == 1  # the regularizer's loss is the layer's too


def test_two_models_of_one_class_make_their_own_variables():
    def model(inputs):
        return layers.Dense(1, name='out')(layers.Dense(4, name='hidden')(inputs))

    inputs = tf.ones([2, 3])
    with keras_style_scope():
        with tf.name_scope('model_1'):
            first = model(inputs)
        with tf.name_scope('model_2'):
            second = model(inputs)
    assert len(tf.trainable_variables()) == 8
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        assert not np.allclose(*sess.run([first, second]))  # each its own weights
    # Outside the scope, layers are TF 1.x's again: a second `out` reuses or fails.
    layers.dense(inputs, 1, name='out')
    with pytest.raises(ValueError, match='already exists'):
        layers.dense(inputs, 1, name='out')


def test_a_layer_called_again_uses_its_variables():
    with keras_style_scope():
        layer = layers.Dense(2)
    layer(tf.ones([1, 3]))
    layer(tf.zeros([1, 3]))
    assert names(tf.global_variables()) == ['dense_1/kernel:0', 'dense_1/bias:0']


def test_scope_and_reuse_are_refused_in_keras_style():
    with keras_style_scope():
        with pytest.raises(ValueError, match='scope argument not allowed when keras style '
                                             'layers are enabled, but saw: s'):
            layers.Dense(2, _scope='s')
        with pytest.raises(ValueError, match='reuse argument not allowed'):
            layers.Dense(2, _reuse=True)
        with pytest.raises(ValueError, match='reuse argument not allowed'):
            rnn_cell.LSTMCell(2, reuse=True)
        layer, cell = layers.Dense(2), rnn_cell.GRUCell(2)
    with pytest.raises(ValueError, match='scope argument not allowed'):
        layer(tf.ones([1, 3]), scope='s')
    with pytest.raises(ValueError, match='scope argument not allowed'):
        cell(tf.ones([1, 3]), cell.zero_state(1, tf.float32), scope='s')


class StackedModel(tf_keras.Model):
    """TF 1.15's example of the scope: TF 1.x cells inside a tf.keras model."""

    def __init__(self, name):
        super(StackedModel, self).__init__(name=name)
        self.rnn = rnn_cell.MultiRNNCell([rnn_cell.LSTMCell(4) for _ in range(2)])

    def call(self, inputs):
        return self.rnn(inputs, self.rnn.get_initial_state(inputs))[0]


def test_cells_in_two_keras_models_make_their_own_variables():
    inputs = tf.ones((2, 3))
    with keras_style_scope():
        model_1, model_2 = StackedModel('model_1'), StackedModel('model_2')
    model_1(inputs)
    model_2(inputs)  # TF 1.x cells without the scope: "Variable ... already exists"
    assert names(model_1.rnn.variables) == [
        'model_1/multi_rnn_cell/cell_0/kernel:0', 'model_1/multi_rnn_cell/cell_0/bias:0',
        'model_1/multi_rnn_cell/cell_1/kernel:0', 'model_1/multi_rnn_cell/cell_1/bias:0']
    assert all('model_2/' in name for name in names(model_2.rnn.variables))
    assert names(model_1.weights) == names(model_1.rnn.variables)
    assert len(tf.trainable_variables()) == 8


def test_a_cell_in_dynamic_rnn_trains_on_its_own_variables():
    # Layer normalisation makes variables with tf.get_variable inside the cell's call, in
    # scopes of its own (input/gamma ...): they are Keras-style too, one set per cell.
    with keras_style_scope():
        cell = rnn_cell.LayerNormBasicLSTMCell(4)
    inputs = tf.random_normal([3, 5, 2], seed=1)
    outputs, _ = tf.nn.dynamic_rnn(cell, inputs, dtype=tf.float32)
    outputs_again, _ = tf.nn.dynamic_rnn(cell, inputs, dtype=tf.float32, scope='again')
    assert len(cell.variables) == len(tf.trainable_variables()) == 11  # once, not twice
    assert all(name.startswith('rnn/while/layer_norm_basic_lstm_cell/')
               for name in names(cell.variables))
    loss = tf.reduce_mean(tf.square(outputs - 0.5))
    train = tf.train.AdamOptimizer(0.05).minimize(loss)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        np.testing.assert_allclose(*sess.run([outputs, outputs_again]))
        before = sess.run(loss)
        for _ in range(20):
            sess.run(train)
        assert sess.run(loss) < before
