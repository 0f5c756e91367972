"""tf1's RNN cells as TF 1.x's were Keras layers: get_config and from_config with TF 1.15's
keys (held to TF 2.21's copy of TF 1.x's cells, tensorflow.python.keras.layers.legacy_rnn,
as the oracle), the wrappers' cell and functions, a cell inside tf.keras's RNN saved to a
config and remade with the same answers, get_weights/set_weights on cells and tf.layers
layers, and the members TF 1.x's cells had as tf.layers layers."""
import numpy as np
import pytest
import tensorflow.compat.v1 as tf

from tf1.api import tensorflow as tf1_api

tf.disable_v2_behavior()

rnn_cell = tf1_api.nn.rnn_cell
pytestmark = pytest.mark.usefixtures('fresh_graph')  # conftest.py


@pytest.fixture(scope='module')
def legacy():
    """TF's own copy of TF 1.x's cells (Keras-based), whose configs ours must equal."""
    from tensorflow.python.keras.layers.legacy_rnn import rnn_cell_impl
    return rnn_cell_impl


@pytest.mark.parametrize('make', [
    lambda m: m.BasicRNNCell(7, activation='relu', dtype=tf.float32, name='r'),
    lambda m: m.GRUCell(5, kernel_initializer=tf.constant_initializer(0.5), name='g'),
    lambda m: m.BasicLSTMCell(4, forget_bias=0.5, state_is_tuple=False, name='b'),
    lambda m: m.LSTMCell(6, use_peepholes=True, cell_clip=3.0, num_proj=2,
                         initializer=tf.glorot_uniform_initializer(seed=3), name='l'),
])  # named: an unnamed Keras layer's name counts the layers made before it
def test_cell_configs_are_tf_1_xs_and_remake_the_cell(make, legacy):
    ours = make(rnn_cell)
    config = ours.get_config()
    assert config == make(legacy).get_config()
    remade = type(ours).from_config(config)
    assert type(remade) is type(ours) and remade.get_config() == config


def test_wrapper_configs_hold_the_cell_and_their_functions(legacy):
    cell = rnn_cell.LSTMCell(10, name='l')
    dropout = rnn_cell.DropoutWrapper(cell, input_keep_prob=0.5, seed=4,
                                      dropout_state_filter_visitor=lambda s: True)
    config = dropout.get_config()
    assert config['cell'] == {'class_name': 'LSTMCell', 'config': cell.get_config()}
    assert config['input_keep_prob'] == 0.5 and config['seed'] == 4
    assert config['dropout_fn_type'] == 'lambda'
    with pytest.raises(ValueError, match='cannot reconstruct the wrapped cell'):
        rnn_cell.DropoutWrapper.from_config(config)
    remade = rnn_cell.DropoutWrapper.from_config(dict(config, cell=cell))
    assert remade._dropout_state_filter(None) is True and remade._input_keep_prob == 0.5
    residual = rnn_cell.ResidualWrapper(cell, residual_fn=lambda i, o: i + i + o)
    remade = rnn_cell.ResidualWrapper.from_config(dict(residual.get_config(), cell=cell))
    assert remade._residual_fn(1, 2) == 4
    device = rnn_cell.DeviceWrapper(cell, '/cpu:0', name='d')
    assert device.get_config()['device'] == '/cpu:0'
    assert device.get_config() == legacy.DeviceWrapper(legacy.LSTMCell(10, name='l'), '/cpu:0',
                                                       name='d').get_config()
    # MultiRNNCell and contrib's cells had only the base config, as here.
    stacked = rnn_cell.MultiRNNCell([rnn_cell.GRUCell(2), rnn_cell.GRUCell(2)])
    assert set(stacked.get_config()) == {'name', 'trainable', 'dtype'}
    assert set(tf1_api.contrib.rnn.LSTMBlockCell(3).get_config()) == {'name', 'trainable',
                                                                      'dtype'}


def test_a_cell_in_keras_rnn_round_trips_through_its_config():
    keras = tf1_api.keras
    x = keras.Input((None, 5))
    layer = keras.layers.RNN(rnn_cell.LSTMCell(8, use_peepholes=True))
    model = keras.models.Model(x, layer(x))
    inputs = np.random.RandomState(0).rand(3, 4, 5).astype(np.float32)
    before, weights = model.predict(inputs), model.get_weights()
    remade = keras.layers.RNN.from_config(layer.get_config(),
                                          custom_objects={'LSTMCell': rnn_cell.LSTMCell})
    model = keras.models.Model(x, remade(x))
    model.set_weights(weights)
    np.testing.assert_allclose(model.predict(inputs), before, atol=1e-5)


def test_get_and_set_weights_of_cells_and_layers():
    cell = rnn_cell.BasicRNNCell(3)
    outputs, _ = cell(tf.ones([1, 2]), tf.zeros([1, 3]))
    dense = tf1_api.layers.Dense(2)
    dense(tf.ones([1, 4]))
    kernel = np.arange(15, dtype=np.float32).reshape(5, 3) / 10
    with tf.Session() as session:
        session.run(tf.global_variables_initializer())
        cell.set_weights([kernel, np.full(3, 0.5, np.float32)])
        got_kernel, got_bias = cell.get_weights()
        got = session.run(outputs)
        dense.set_weights([np.ones((4, 2)), np.zeros(2)])
        assert [w.tolist() for w in dense.get_weights()] == [[[1, 1]] * 4, [0, 0]]
        with pytest.raises(ValueError, match='was expecting 2 weights'):
            cell.set_weights([kernel])
        with pytest.raises(ValueError, match=r'Layer weight shape \(5, 3\) not compatible '
                                             r'with provided weight shape \(3, 5\)'):
            cell.set_weights([kernel.T, got_bias])
    np.testing.assert_array_equal(got_kernel, kernel)
    np.testing.assert_allclose(got, np.tanh(np.ones((1, 2)) @ kernel[:2] + 0.5), rtol=1e-6)


def test_cells_have_the_members_tf_1_xs_had_as_tf_layers_layers(legacy):
    """TF 1.x's RNNCell was a tf.layers Layer: scope_name, count_params, losses and updates
    (with add_loss and add_update, which a custom cell's call may use), apply, and its
    Keras members, as the oracle has them."""
    inputs = tf.placeholder(tf.float32, [None, 3])
    ours, theirs = rnn_cell.LSTMCell(4, name='ours'), legacy.LSTMCell(4, name='theirs')
    for cell in (ours, theirs):
        with pytest.raises(ValueError, match='has not been used yet'):
            cell.scope_name
        with pytest.raises(ValueError, match="isn't built"):
            cell.count_params()
        cell(inputs, cell.zero_state(2, tf.float32))
        assert cell.count_params() == (3 + 4) * 16 + 16
        assert (cell.losses, cell.updates, cell.get_updates_for(None)) == ([], [], [])
        assert (cell.graph, cell.dynamic, cell.activity_regularizer) == (None, False, None)
        assert cell.inbound_nodes == [] and cell.compute_mask(inputs) is None
        with pytest.raises(AttributeError, match='is not connected, no input to return'):
            cell.input
    assert (ours.scope_name, theirs.scope_name) == ('ours', 'theirs')

    class Counting(rnn_cell.BasicRNNCell):
        def call(self, inputs, state):
            calls = tf.get_variable('calls', [], initializer=tf.zeros_initializer(),
                                    trainable=False)
            self.add_update(tf.assign_add(calls, 1.))  # depends on no input
            self.add_update(tf.assign(calls, tf.reduce_sum(inputs)))  # on the inputs
            self.add_loss(tf.reduce_sum(state))
            return super().call(inputs, state)
    counting = Counting(2)
    counting.apply(inputs, tf.zeros([2, 2]))
    every, on_inputs = counting.updates
    assert counting.get_updates_for(None) == [every]
    assert counting.get_updates_for(inputs) == [on_inputs]
    assert set(tf.get_collection(tf.GraphKeys.UPDATE_OPS)) == {every, on_inputs}
    assert counting.losses == tf.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES)
    assert len(counting.losses) == 1 and counting.count_params() == (3 + 2) * 2 + 2 + 1

    class Regularized(rnn_cell.BasicRNNCell):
        def build(self, inputs_shape):
            self.scale = self.add_variable('scale', [2], regularizer=tf.reduce_sum,
                                           initializer=tf.ones_initializer())
            super().build(inputs_shape)
    regularized = Regularized(2, name='regularized')
    regularized(inputs, tf.zeros([2, 2]))
    regularized(inputs, tf.zeros([2, 2]))  # made once, as tf.layers' add_weight makes it
    [loss] = regularized.losses
    assert loss.name.startswith('regularized/scale/Regularizer/')
    assert loss in tf.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES)
    # Built inside dynamic_rnn's while loop, its loss is made outside it, as TF 1.x made
    # it: the training op can read it.
    looped = Regularized(2, name='looped')
    tf.nn.dynamic_rnn(looped, tf.zeros([2, 4, 3]), dtype=tf.float32)
    with tf.Session() as session:
        session.run(tf.global_variables_initializer())
        assert session.run(tf.add_n(looped.losses)) == 2.0


def test_private_names_subclasses_read_as_tf_1_x_s(legacy):
    """bi-att-flow's SwitchableDropoutWrapper calls the wrapped cell as `self._cell` (TF
    1.2-1.13's wrappers kept it there); subclasses of LSTMCell read `_state_size`."""
    class SwitchableDropoutWrapper(rnn_cell.DropoutWrapper):
        def __call__(self, inputs, state, scope=None):
            super().__call__(inputs, state, scope=scope)
            tf.get_variable_scope().reuse_variables()
            return self._cell(inputs, state, scope)

    cell = rnn_cell.BasicLSTMCell(4)
    wrapper = SwitchableDropoutWrapper(cell, input_keep_prob=0.8)
    assert wrapper._cell is cell
    outputs, _ = tf.nn.dynamic_rnn(wrapper, tf.zeros([2, 3, 5]), dtype=tf.float32)
    assert outputs.shape.as_list() == [2, 3, 4]
    for options in ({}, {'num_proj': 3}, {'state_is_tuple': False, 'num_proj': 3}):
        ours = rnn_cell.LSTMCell(4, **options)
        assert ours._state_size == legacy.LSTMCell(4, **options)._state_size == \
            ours.state_size


def test_a_cell_in_keras_rnn_makes_variables_keras_trains():
    """Made in a Keras layer's call, a cell's variables are resource variables, which
    Keras's optimizers update (reference variables made fit fail)."""
    x = np.random.RandomState(0).randn(8, 4, 3).astype(np.float32)
    cell = rnn_cell.GRUCell(2)
    with tf.Session().as_default() as session:
        inputs = tf1_api.keras.Input(shape=(4, 3))
        model = tf1_api.keras.Model(inputs, tf1_api.keras.layers.RNN(cell)(inputs))
        assert all(hasattr(variable, 'handle') for variable in cell.variables)
        model.compile(optimizer='sgd', loss='mse')
        session.run(tf.global_variables_initializer())
        before = session.run(cell.variables[0])
        model.fit(x, np.ones((8, 2), np.float32), verbose=0)
        assert not np.allclose(session.run(cell.variables[0]), before)
