"""tf.layers' layers in tf.keras models, as TF 1.4-1.13 had them: tf.layers' and Keras's
layers were one class hierarchy, so a tf.layers layer called on a tf.keras.Input, or given
to a Sequential, joined the model, which listed it, held its variables as weights, trained
them in fit, ran its updates and added its losses. (TF 1.14-1.15 refused them with a
TypeError; without this tf1 built the model from the layer's ops and trained none of its
variables.) Its Keras members (input, output, their shapes, nodes) are its Keras layer's,
and before it is in a model TF 1.15's errors."""
import textwrap

import numpy as np
import pytest
import tensorflow.compat.v1 as tf

from test_tf1_runner import tf1

from tf1.api import tensorflow as tf1_api

tf.disable_v2_behavior()

X = np.random.RandomState(0).randn(16, 3).astype(np.float32)
Y = np.random.RandomState(1).randn(16, 2).astype(np.float32)


def test_a_tf_layers_layer_joins_a_functional_model_and_fit_trains_it(tmp_path):
    keras = tf1_api.keras
    with tf.Graph().as_default(), tf.Session().as_default() as session:
        inputs = keras.Input(shape=(3,))
        fc = tf1_api.layers.Dense(2, name='fc')
        outputs = fc(inputs)
        model = keras.Model(inputs, outputs)
        # Named and placed as without Keras: the checkpoint and tensor-name contract.
        assert outputs.name == 'fc/BiasAdd:0'
        assert [v.name for v in model.trainable_weights] == ['fc/kernel:0', 'fc/bias:0']
        assert model.count_params() == 8
        assert [type(layer).__name__ for layer in model.layers] == ['InputLayer', 'Dense']
        in_model = model.get_layer('fc')
        assert in_model.kernel is fc.kernel and in_model.units == 2  # the layer's own
        assert fc.input is inputs and fc.output is outputs
        assert fc.input_shape == (None, 3) and fc.output_shape == (None, 2)
        assert len(fc.inbound_nodes) == 1 and fc.get_output_at(0) is outputs
        model.compile(optimizer='sgd', loss='mse')
        session.run(tf.global_variables_initializer())
        kernel, bias = fc.get_weights()
        np.testing.assert_allclose(model.predict(X), X @ kernel + bias, rtol=1e-5, atol=1e-6)
        model.fit(X, Y, epochs=2, verbose=0)
        assert not np.allclose(fc.get_weights()[0], kernel)  # Keras's optimizer trained it
        model.save_weights(str(tmp_path / 'weights.h5'))  # by the layer's name, as Keras's
        trained = fc.get_weights()[0]
        session.run(tf.global_variables_initializer())
        model.load_weights(str(tmp_path / 'weights.h5'))
        np.testing.assert_array_equal(fc.get_weights()[0], trained)
        # An object checkpoint keys its variables as the layer's own, as TF 1.x's Keras did.
        model.save_weights(str(tmp_path / 'ckpt'), save_format='tf')
        assert {'layer_with_weights-0/kernel/.ATTRIBUTES/VARIABLE_VALUE',
                'layer_with_weights-0/bias/.ATTRIBUTES/VARIABLE_VALUE'} <= {
                    name for name, _ in tf.train.list_variables(str(tmp_path / 'ckpt'))}
        session.run(tf.global_variables_initializer())
        model.load_weights(str(tmp_path / 'ckpt')).assert_consumed().run_restore_ops()
        np.testing.assert_array_equal(fc.get_weights()[0], trained)
        # Called again on other Keras tensors, it shares its variables: a second node.
        other = keras.Input(shape=(3,))
        again = fc(other)
        assert len(fc.variables) == 2 and fc.get_output_at(1) is again
        assert fc.output is outputs  # node 0's, as TF 1.15's Keras answered


def test_a_sequential_of_tf_layers_layers_trains_them():
    keras = tf1_api.keras
    with tf.Graph().as_default(), tf.Session().as_default() as session:
        hidden = tf1_api.layers.Dense(4, activation=tf.nn.relu, name='hidden')
        model = keras.Sequential([keras.layers.InputLayer(input_shape=(3,)), hidden,
                                  tf1_api.layers.Dropout(0.5), tf1_api.layers.Dense(2)])
        assert [layer.name for layer in model.layers] == ['hidden', 'dropout_1', 'dense_1']
        assert model.count_params() == 16 + 10
        assert hidden.output.name == 'hidden/Relu:0'
        model.compile(optimizer='sgd', loss='mse')
        session.run(tf.global_variables_initializer())
        (k1, b1), (k2, b2) = hidden.get_weights(), model.layers[2].get_weights()
        expected = np.maximum(X @ k1 + b1, 0) @ k2 + b2  # no dropout in predict
        np.testing.assert_allclose(model.predict(X), expected, rtol=1e-5, atol=1e-6)
        model.fit(X, Y, epochs=2, verbose=0)
        assert not np.allclose(hidden.get_weights()[0], k1)


def test_a_layer_in_no_keras_model_has_no_node_as_in_tf_1_15():
    with tf.Graph().as_default():
        dense = tf1_api.layers.Dense(2)
        outputs = dense(tf.placeholder(tf.float32, [None, 3]))
        assert outputs.name == 'dense/BiasAdd:0'  # no Keras in the way
        assert dense.inbound_nodes == [] and dense.metrics == []
        assert dense.graph is None and dense.dynamic is False
        with pytest.raises(AttributeError, match='Layer dense_1 is not connected, no input'):
            dense.input
        with pytest.raises(AttributeError, match='Layer dense_1 has no inbound nodes'):
            dense.output
        with pytest.raises(AttributeError, match='no defined output shape'):
            dense.output_shape
        with pytest.raises(RuntimeError, match='never been called and thus has no defined '
                                               'input shape'):
            dense.get_input_shape_at(0)


def test_its_updates_and_losses_are_the_models_in_fit():
    """Batch normalization's moving averages run in fit; weight and activity
    regularization join the model's loss."""
    keras = tf1_api.keras
    with tf.Graph().as_default(), tf.Session().as_default() as session:
        inputs = keras.Input(shape=(3,))
        norm = tf1_api.layers.BatchNormalization(name='norm')
        fc = tf1_api.layers.Dense(2, kernel_regularizer=lambda w: tf.reduce_sum(w * w),
                                  activity_regularizer=lambda a: tf.reduce_sum(a * a),
                                  name='fc')
        model = keras.Model(inputs, fc(norm(inputs, training=True)))
        assert len(model.updates) == 2 and len(model.losses) == 2
        assert set(model.get_losses_for(None)) == {fc.losses[0]}  # the weights'
        model.compile(optimizer='sgd', loss='mse')
        session.run(tf.global_variables_initializer())
        model.fit(X + 5., Y, epochs=1, batch_size=16, verbose=0)
        moving_mean = session.run(norm.moving_mean)
        np.testing.assert_allclose(moving_mean, 0.01 * (X + 5.).mean(axis=0), rtol=1e-4)


def test_names_masks_scopes_and_what_it_refuses():
    keras = tf1_api.keras
    with tf.Graph().as_default(), tf.Session().as_default():
        # Unnamed, with Keras's unnamed layers in either order: never two of a name.
        inputs = keras.Input(shape=(4,))
        hidden = tf1_api.layers.Dense(3)(inputs)
        hidden = keras.layers.Dense(3)(keras.layers.Dense(3)(hidden))
        model = keras.Model(inputs, tf1_api.layers.Dense(2)(hidden))
        names = [layer.name for layer in model.layers[1:]]
        assert len(set(names)) == 4 and all(name.startswith('dense') for name in names)
        # A Keras mask passes through Dense, as Keras's Dense passed it.
        words = keras.Input(shape=(5,))
        embedded = keras.layers.Embedding(10, 4, mask_zero=True)(words)
        assert tf1_api.layers.Dense(2)(embedded)._keras_mask is not None
        # A first call's scope names its variables, as without Keras.
        tf1_api.layers.Dense(2)(inputs, scope='head')
        assert 'head/kernel:0' in [v.name for v in tf.global_variables()]
        # Keras's own members raise as Keras's do, for a layer in no model yet.
        waiting = keras.Sequential([tf1_api.layers.Dense(2)]).layers[0]
        assert not hasattr(waiting, 'input')
        built = tf1_api.layers.Dense(2, name='built')
        built(tf.placeholder(tf.float32, [None, 4]))
        with pytest.raises(ValueError, match="'built' was built before joining a tf.keras "
                                             "model"):
            built(inputs)
    with tf.Graph().as_default():  # Keras loaded, tf.layers alone: numbered as ever
        assert [tf1_api.layers.Dense(2).name for _ in range(3)] == [
            'dense_1', 'dense_2', 'dense_3']


def test_a_checkpoint_restored_before_the_layer_is_built_gives_its_variables(tmp_path):
    keras = tf1_api.keras
    with tf.Graph().as_default(), tf.Session().as_default() as session:
        saved = keras.Sequential([keras.layers.InputLayer(input_shape=(3,)),
                                  tf1_api.layers.Dense(2, name='fc')])
        session.run(tf.global_variables_initializer())
        kernel = saved.layers[0].get_weights()[0]
        saved.save_weights(str(tmp_path / 'ckpt'), save_format='tf')
    with tf.Graph().as_default(), tf.Session().as_default() as session:
        fc = tf1_api.layers.Dense(2, name='fc')
        model = keras.Sequential([fc])  # no input shape: built at its first call
        status = model.load_weights(str(tmp_path / 'ckpt'))
        model(keras.Input(shape=(3,)))
        status.assert_consumed().run_restore_ops()
        np.testing.assert_array_equal(fc.get_weights()[0], kernel)


def test_apply_calls_a_wrappers_own_call():
    with tf.Graph().as_default():
        cell = tf1_api.nn.rnn_cell.DropoutWrapper(tf1_api.nn.rnn_cell.GRUCell(2),
                                                  output_keep_prob=0.5)
        output, _ = cell.apply(tf.zeros([1, 3]), cell.zero_state(1, tf.float32))
        assert output.shape.as_list() == [1, 2] and 'dropout' in output.name


def test_a_model_holding_them_saves_whole_and_loads_as_keras_layers(tmp_path):
    """Model.save writes their Keras configs (test_tf1_layers_config.py), in each format:
    the model loads back, in a new graph, as Keras's layers of their classes and names, as
    TF 1.9-1.13's did; its weights and answers are the saved model's. A frozen layer is
    written frozen. A copy (clone_model) holds new tf.layers layers."""
    keras = tf1_api.keras
    with tf.Graph().as_default(), tf.Session().as_default() as session:
        inputs = keras.Input(shape=(3,))
        hidden = tf1_api.layers.Dense(4, activation=tf.nn.relu, name='fc')(inputs)
        normalized = tf1_api.layers.BatchNormalization(name='bn')(hidden)
        model = keras.Model(inputs, tf1_api.layers.Dense(2, name='out')(normalized))
        model.compile(optimizer='sgd', loss='mse')
        session.run(tf.global_variables_initializer())
        model.fit(X, Y, epochs=2, verbose=0)  # the moving averages move too
        expected = model.predict(X)
        model.get_layer('out').trainable = False
        for name in ('model.h5', 'model.keras', 'saved_model'):
            model.save(str(tmp_path / name))
        as_json = model.to_json()
        clone = keras.models.clone_model(model)
        assert [type(layer).__name__ for layer in clone.layers[1:]] == [
            'Dense', 'BatchNormalization', 'Dense']
        assert isinstance(clone.layers[1].layer, tf1_api.layers.Dense)
        assert clone.layers[1].layer is not model.layers[1].layer
        assert clone.layers[1].activation is tf.nn.relu or \
            clone.layers[1].activation.__name__ == 'relu'
        assert len(clone.weights) == 8 and clone.weights[0].name == 'fc_1/kernel:0'
    for name in ('model.h5', 'model.keras', 'saved_model'):
        with tf.Graph().as_default(), tf.Session().as_default():
            loaded = keras.models.load_model(str(tmp_path / name))
            assert [(type(layer).__module__.split('.')[0], layer.name)
                    for layer in loaded.layers[1:]] == [
                        ('tf_keras', 'fc'), ('tf_keras', 'bn'), ('tf_keras', 'out')]
            assert [layer.trainable for layer in loaded.layers[1:]] == [True, True, False]
            assert [weight.name for weight in loaded.layers[2].weights] == [
                'bn/gamma:0', 'bn/beta:0', 'bn/moving_mean:0', 'bn/moving_variance:0']
            np.testing.assert_allclose(loaded.predict(X), expected, rtol=1e-5, atol=1e-6)
    with tf.Graph().as_default():
        rebuilt = keras.models.model_from_json(as_json)
        assert [type(layer).__name__ for layer in rebuilt.layers[1:]] == [
            'Dense', 'BatchNormalization', 'Dense']
        assert rebuilt.layers[1].get_config()['units'] == 4
        assert rebuilt.layers[1].activation.__name__ == 'relu'


def test_custom_objects_may_load_them_as_tf_layers_layers(tmp_path):
    """Loading with custom_objects that name a tf.layers class (a subclass saved under its
    own name) gives that class's layer, in the model as its Keras layer; so does a copy of a
    Sequential."""
    keras = tf1_api.keras

    class Wide(tf1_api.layers.Dense):
        pass

    with tf.Graph().as_default(), tf.Session().as_default() as session:
        inputs = keras.Input(shape=(3,))
        model = keras.Model(inputs, Wide(2, activation=tf.nn.relu6, name='wide')(inputs))
        session.run(tf.global_variables_initializer())
        expected = model.predict(X)
        model.save(str(tmp_path / 'model.h5'))
        sequential = keras.Sequential([keras.layers.InputLayer(input_shape=(3,)),
                                       tf1_api.layers.Dense(4), tf1_api.layers.Dense(2)])
        copy = keras.models.clone_model(sequential)
        assert [type(layer.layer) for layer in copy.layers] == [tf1_api.layers.Dense] * 2
        assert copy.count_params() == sequential.count_params()
    with tf.Graph().as_default(), tf.Session().as_default():
        loaded = keras.models.load_model(str(tmp_path / 'model.h5'),
                                         custom_objects={'Wide': Wide})
        assert type(loaded.layers[1].layer) is Wide
        rebuilt = keras.Model.from_config(loaded.get_config(), custom_objects={'Wide': Wide})
        assert type(rebuilt.layers[1].layer) is Wide
        np.testing.assert_allclose(loaded.predict(X), expected, rtol=1e-5, atol=1e-6)


def test_a_sequential_s_first_layer_may_give_its_input_shape():
    """Keras's input_shape (batch_input_shape, batch_size; Dense's input_dim), which TF
    1.4-1.13's tf.layers took as Keras layers: a Sequential's first layer gives the model
    its input. Other keyword arguments are refused in one line, as Keras refused them."""
    keras = tf1_api.keras
    with tf.Graph().as_default(), tf.Session().as_default() as session:
        model = keras.Sequential([tf1_api.layers.Dense(4, tf.nn.relu, input_shape=(3,)),
                                  tf1_api.layers.Dense(2)])
        assert model.inputs[0].shape.as_list() == [None, 3] and model.count_params() == 26
        assert model.layers[0].get_config()['batch_input_shape'] == (None, 3)
        model.compile(optimizer='sgd', loss='mse')
        session.run(tf.global_variables_initializer())
        model.fit(X, Y, epochs=1, verbose=0)
        assert keras.Sequential([tf1_api.layers.Dense(2, input_dim=3)]).inputs[0].shape \
            .as_list() == [None, 3]
        assert keras.Sequential([tf1_api.layers.Dense(2, input_shape=(3,), batch_size=8)]) \
            .inputs[0].shape.as_list() == [8, 3]
        fixed = tf1_api.layers.Dense(2, batch_input_shape=(5, 3))
        assert fixed.get_config()['batch_input_shape'] == (5, 3)
        assert tf1_api.layers.Dense.from_config(fixed.get_config())._batch_input_shape == (5, 3)
    with pytest.raises(TypeError, match=r"^Keyword argument not understood: 'input_dims' "):
        tf1_api.layers.Dense(2, input_dims=3)
    with pytest.raises(ValueError, match='^A tf.layers layer is never dynamic'):
        tf1_api.layers.Dense(2, dynamic=True)


def test_keras_s_weights_argument_gives_the_first_values():
    """Keras's `weights=`, which TF 1.9-1.15's layers took: once built, the layer's
    variables take them, in the session Keras uses (TF 1.x's Keras's set_weights)."""
    kernel, bias = np.arange(6, dtype=np.float32).reshape(3, 2), np.ones(2, np.float32)
    with tf.Graph().as_default(), tf.Session().as_default() as session:
        dense = tf1_api.layers.Dense(2, weights=[kernel, bias])
        outputs = dense(tf.constant(X))
        np.testing.assert_allclose(session.run(outputs), X @ kernel + bias, rtol=1e-5)
        model = tf1_api.keras.Sequential([tf1_api.layers.Dense(2, input_shape=(3,),
                                                               weights=[kernel, bias])])
        np.testing.assert_allclose(model.predict(X), X @ kernel + bias, rtol=1e-5)
        with pytest.raises(ValueError, match='with a weight list of length 1, but the layer '
                                             'was expecting 2 weights'):
            tf1_api.layers.Dense(2, weights=[kernel])(tf.constant(X))


def test_its_metrics_are_the_models_in_fit_and_evaluate():
    from test_tf1_layers_base import WatchedDense
    keras = tf1_api.keras
    with tf.Graph().as_default(), tf.Session().as_default() as session:
        inputs = keras.Input(shape=(3,))
        watched = WatchedDense(2, name='watched')
        model = keras.Model(inputs, watched(inputs))
        model.compile(optimizer='sgd', loss='mse')
        session.run(tf.global_variables_initializer())
        history = model.fit(X, Y, epochs=2, verbose=0)
        assert len(history.history['mean_out']) == 2
        assert model.metrics_names == ['loss', 'mean_out']
        assert [metric.name for metric in watched.metrics] == ['mean_out']
        _, mean_out = model.evaluate(X, Y, batch_size=16, verbose=0)
        np.testing.assert_allclose(mean_out, model.predict(X).mean(), rtol=1e-5)


def test_inside_a_keras_layer_it_gives_that_layer_its_losses_updates_and_metrics():
    """A Keras layer of the user's holding tf.layers layers calls them in its own call:
    their regularization, batch normalization's updates and metrics are that layer's, so
    the model's, as TF 1.15's Keras gathered a layer's layers'. Their variables, Keras
    tracks as the holder's, and fit trains them."""
    from test_tf1_layers_base import WatchedDense
    keras = tf1_api.keras

    class Block(keras.layers.Layer):
        def __init__(self):
            super().__init__()
            self.inner = WatchedDense(2, kernel_regularizer=tf.keras.regularizers.l2(0.1),
                                      name='inner')
            self.norm = tf1_api.layers.BatchNormalization(name='norm')

        def call(self, inputs, training=None):
            return self.norm(self.inner(inputs), training=training)

    with tf.Graph().as_default(), tf.Session().as_default() as session:
        inputs = keras.Input(shape=(3,))
        block = Block()
        model = keras.Model(inputs, block(inputs))
        assert len(model.losses) == 1 and len(block.updates) == 2
        assert [v.name for v in model.trainable_weights] == [
            'inner/kernel:0', 'inner/bias:0', 'norm/gamma:0', 'norm/beta:0']
        model.compile(optimizer='sgd', loss='mse')
        session.run(tf.global_variables_initializer())
        kernel, moving_mean = session.run([block.inner.kernel, block.norm.moving_mean])
        history = model.fit(X, Y, epochs=1, verbose=0).history
        assert 'mean_out' in history
        assert not np.allclose(session.run(block.inner.kernel), kernel)
        assert not np.allclose(session.run(block.norm.moving_mean), moving_mean)



def test_executing_eagerly_they_join_and_train_too(tmp_path):
    """TF 1.9-1.13's did: Keras builds the layer outside the function it traces the call
    in, where its variables are made. fit trains them and moves batch normalization's
    averages; the regularization is the model's; a saved model loads."""
    (tmp_path / 'eager.py').write_text(textwrap.dedent('''
        import numpy as np
        import tensorflow as tf
        tf.enable_eager_execution()
        x = np.random.RandomState(0).randn(32, 3).astype(np.float32)
        y = np.random.RandomState(1).randn(32, 2).astype(np.float32)
        inputs = tf.keras.Input(shape=(3,))
        fc = tf.layers.Dense(4, tf.nn.relu, kernel_regularizer=tf.keras.regularizers.l2(0.1),
                             name='fc')
        bn = tf.layers.BatchNormalization(name='bn')
        outputs = tf.layers.Dense(2, name='out')(tf.layers.Dropout(0.5)(bn(fc(inputs))))
        model = tf.keras.Model(inputs, outputs)
        kernel, moving_mean = fc.kernel.numpy(), bn.moving_mean.numpy()
        model.compile(optimizer='sgd', loss='mse')
        model.fit(x, y, epochs=2, verbose=0)
        predictions = model.predict(x)
        model.save('model.h5')
        loaded = tf.keras.models.load_model('model.h5')
        print(len(model.weights), model.weights[0].name, len(model.losses),
              not np.allclose(kernel, fc.kernel.numpy()),
              not np.allclose(moving_mean, bn.moving_mean.numpy()),
              np.allclose(model.predict(x), predictions),
              np.allclose(loaded.predict(x), predictions, atol=1e-5))
        '''))
    result = tf1(['eager.py'], str(tmp_path))
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.split()[-7:] == ['8', 'fc/kernel:0', '1', 'True', 'True', 'True',
                                          'True']

