"""What Keras 2 add-on libraries relied on in standalone Keras 2.2 (keras-contrib's CRF,
SReLU, optimizers and applications), under `python -m tf1`: a node's tensors, shapes and
masks as lists, `_keras_shape` on every Keras tensor, Keras 2.2's backend functions, the
Optimizer base class custom optimizers subclassed, TFOptimizer, layer_utils' and
conv_utils' kernel conversions, variables kept as attributes that are not weights, layer
configs holding Keras objects, a scalar metric on an output masked per sample, Keras 2.2's
helpers and ConvRNN2D."""
import numpy as np
import pytest
import tensorflow.compat.v1 as tf

from conftest import standalone_keras as keras

tf.disable_v2_behavior()



def test_a_nodes_tensors_shapes_and_masks_are_keras_2s_lists():
    layers = keras('keras.layers')
    with tf.Graph().as_default():
        words = layers.Input(shape=(5,), dtype='int32')
        embedded = layers.Embedding(10, 4, mask_zero=True)(words)
        dense = layers.Dense(2)
        dense(embedded)
        node = dense._inbound_nodes[0]
        assert node.input_tensors[0] is embedded  # [0] of a tensor would be its first row
        assert node.input_shapes == [(None, 5, 4)] and node.output_shapes == [(None, 5, 2)]
        assert node.input_masks == [embedded._keras_mask] and node.input_masks[0] is not None
        assert len(node.output_masks) == 1 and node.arguments == {}
        assert node.node_indices == [0] and node.tensor_indices == [0]
        # The layer's own shapes are still the shape of its one input and output.
        assert dense.input_shape == (None, 5, 4) and dense.output_shape == (None, 5, 2)
        assert dense.get_input_at(0) is embedded


def test_every_keras_tensor_has_its_keras_shape_and_other_tensors_none():
    layers = keras('keras.layers')
    with tf.Graph().as_default():
        image = layers.Input(shape=(8, 8, 3))
        conv = layers.Conv2D(4, 3, padding='same')(image)
        assert image._keras_shape == (None, 8, 8, 3) and conv._keras_shape == (None, 8, 8, 4)
        assert not hasattr(tf.zeros((2, 2)), '_keras_shape')  # not a Keras tensor


def test_a_variable_kept_as_an_attribute_is_not_a_weight():
    """Keras 2's layers had only the weights add_weight made or the layer declared:
    keras-contrib's CosineConvolution2D keeps `self.kernel_norm = K.variable(...)` beside
    them, and its tests set two weights. tf_keras's own layers keep their tracking."""
    layers, models, K = keras('keras.layers'), keras('keras.models'), keras('keras.backend')

    class Scaled(layers.Layer):
        def build(self, input_shape):
            self.w = self.add_weight(name='w', shape=(input_shape[-1],), initializer='ones')
            self.helper = K.variable(np.full((input_shape[-1],), 3.))  # not a weight
            self.b = self.add_weight(name='b', shape=(1,), initializer='zeros',
                                     trainable=False)
            self.w = self.w  # rebinding a weight keeps it
            super().build(input_shape)

        def call(self, x):
            return x * self.w * self.helper + self.b

    with tf.Graph().as_default(), tf.Session().as_default():
        x = layers.Input((3,))
        layer = Scaled()
        model = models.Model(x, layer(x))
        assert [w.name for w in layer.trainable_weights] == ['scaled_1/w:0']
        assert [w.name for w in layer.non_trainable_weights] == ['scaled_1/b:0']
        model.set_weights([np.full(3, 2., 'float32'), np.ones(1, 'float32')])
        np.testing.assert_allclose(model.predict(np.ones((1, 3))), [[7., 7., 7.]])
        model.compile('sgd', 'mse')
        model.train_on_batch(np.ones((4, 3)), np.zeros((4, 3)))
        np.testing.assert_allclose(K.get_value(layer.helper), [3., 3., 3.])  # not trained


def test_a_layer_config_holding_keras_objects_is_rebuilt():
    """keras-contrib's SReLU returns its initializers themselves from get_config; Keras 2.2
    rebuilt the layer from them, and from the configs its JSON held."""
    layers, models, K = keras('keras.layers'), keras('keras.models'), keras('keras.backend')
    initializers, regularizers, constraints = (keras('keras.initializers'),
                                               keras('keras.regularizers'),
                                               keras('keras.constraints'))

    class Scale(layers.Layer):
        def __init__(self, initializer='zeros', regularizer=None, constraint=None, **kwargs):
            super().__init__(**kwargs)
            self.initializer = initializers.get(initializer)
            self.regularizer = regularizers.get(regularizer)
            self.constraint = constraints.get(constraint)

        def build(self, input_shape):
            self.w = self.add_weight(name='w', shape=(input_shape[-1],),
                                     initializer=self.initializer,
                                     regularizer=self.regularizer, constraint=self.constraint)
            super().build(input_shape)

        def call(self, x):
            return x * self.w

        def get_config(self):  # the objects, not their configs
            return dict(super().get_config(), initializer=self.initializer,
                        regularizer=self.regularizer, constraint=self.constraint)

    with tf.Graph().as_default(), tf.Session().as_default():
        x = layers.Input((3,))
        model = models.Model(x, Scale(initializers.Constant(2.), regularizers.l2(0.5),
                                      constraints.max_norm(4.))(x))
        for rebuilt in (models.Model.from_config(model.get_config(), {'Scale': Scale}),
                        models.model_from_json(model.to_json(), {'Scale': Scale})):
            scale = rebuilt.layers[-1]
            assert isinstance(scale.initializer, initializers.Constant)
            assert scale.regularizer.get_config()['l2'] == 0.5
            assert scale.constraint.get_config()['max_value'] == 4.
            np.testing.assert_allclose(rebuilt.predict(np.ones((1, 3))), [[2., 2., 2.]])
            np.testing.assert_allclose(K.get_value(rebuilt.losses[0]), 0.5 * 12, rtol=1e-6)


def test_a_scalar_metric_on_an_output_masked_per_sample():
    """keras-contrib's CRF in its join mode masks its output per sample (any step unmasked)
    and its accuracies give one number for the batch; Keras 2.2 weighted that number by the
    mask, so the metric was the number."""
    layers, models, K = keras('keras.layers'), keras('keras.models'), keras('keras.backend')

    class AnyStepMask(layers.Layer):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.supports_masking = True

        def call(self, x, mask=None):
            return x

        def compute_mask(self, x, mask=None):
            return K.any(mask, axis=1)

    def per_sample_loss(y_true, y_pred):
        return K.mean(K.square(y_true - y_pred), axis=[1, 2])

    def mean_error(y_true, y_pred):  # one number for the batch
        return K.mean(K.abs(y_true - y_pred))

    x = np.array([[1, 2, 0], [3, 0, 0], [1, 1, 1], [2, 2, 0]])
    y = np.random.RandomState(0).rand(4, 3, 2).astype('float32')
    with tf.Graph().as_default(), tf.Session().as_default():
        model = models.Sequential([layers.Embedding(5, 4, mask_zero=True, input_length=3),
                                   layers.Dense(2), AnyStepMask()])
        model.compile('sgd', per_sample_loss, metrics=[mean_error])
        loss, error = model.evaluate(x, y, batch_size=4, verbose=0)
        np.testing.assert_allclose(error, np.abs(y - model.predict(x)).mean(), rtol=1e-5)
        model.fit(x, y, batch_size=2, epochs=1, verbose=0)


def test_relu_clips_at_a_tensor_and_keras_2_2s_other_backend_functions():
    K = keras('keras.backend')
    with tf.Graph().as_default(), tf.Session() as session:
        x = tf.constant([-1., 0.5, 1., 3.])
        ceiling = tf.constant([1., 1., 1., 2.])
        clipped, leaky = session.run([K.relu(x, 0., ceiling), K.relu(x, tf.constant(0.1), 2.)])
        variable = K.variable(np.arange(8.).reshape(2, 4))
        session.run(variable.initializer)
        sliced = session.run(K.slice(variable, [0, 2], [-1, 2]))
    np.testing.assert_allclose(clipped, [0., 0.5, 1., 2.])
    np.testing.assert_allclose(leaky, [-0.1, 0.5, 1., 2.])
    np.testing.assert_array_equal(sliced, [[2., 3.], [6., 7.]])
    assert K.is_tensor(x) and not K.is_tensor(np.zeros(2))
    assert K.get_variable_shape(variable) == (2, 4)


def test_a_keras_2_custom_optimizer_trains():
    K, models, layers, optimizers = (keras('keras.backend'), keras('keras.models'),
                                     keras('keras.layers'), keras('keras.optimizers'))

    class PlainSGD(optimizers.Optimizer):
        def __init__(self, lr=0.1, **kwargs):
            super(PlainSGD, self).__init__(**kwargs)
            with K.name_scope(self.__class__.__name__):
                self.iterations = K.variable(0, dtype='int64', name='iterations')
                self.lr = K.variable(lr, name='lr')

        def get_updates(self, loss, params):
            grads = self.get_gradients(loss, params)
            self.updates = [K.update_add(self.iterations, 1)]
            self.weights = [self.iterations]
            for p, g in zip(params, grads):
                self.updates.append(K.update(p, p - self.lr * g))
            return self.updates

    x = np.random.RandomState(0).randn(64, 3).astype(np.float32)
    with tf.Graph().as_default(), tf.Session().as_default():
        model = models.Sequential([layers.Dense(1, input_shape=(3,))])
        model.compile(loss='mse', optimizer=PlainSGD(lr=0.1, clipnorm=10.))
        losses = model.fit(x, x.sum(axis=1, keepdims=True), epochs=3, verbose=0)
        assert losses.history['loss'][-1] < losses.history['loss'][0] / 2
        assert K.get_value(model.optimizer.iterations) == 3 * 2  # batches of 32
        # Keras 2.2's own optimizers are Optimizers too; a tf.train one is wrapped.
        assert isinstance(optimizers.Adam(), optimizers.Optimizer)
        assert not isinstance(optimizers.Adam(), PlainSGD)
        model.compile(loss='mse', optimizer=tf.train.GradientDescentOptimizer(0.1))
        assert isinstance(model.optimizer, optimizers.TFOptimizer)


def test_kernels_convert_between_theano_and_tensorflow():
    models, layers = keras('keras.models'), keras('keras.layers')
    conv_utils, layer_utils = keras('keras.utils.conv_utils'), keras('keras.utils.layer_utils')
    kernel = np.arange(2 * 3 * 1 * 2.).reshape(2, 3, 1, 2)
    flipped = conv_utils.convert_kernel(kernel)
    np.testing.assert_array_equal(flipped, kernel[::-1, ::-1])
    with pytest.raises(ValueError, match='Invalid kernel shape'):
        conv_utils.convert_kernel(np.zeros((2, 2)))
    with tf.Graph().as_default(), tf.Session().as_default():
        model = models.Sequential([layers.Conv2D(2, (2, 3), input_shape=(4, 4, 1)),
                                   layers.Flatten(), layers.Dense(1)])
        before = model.layers[0].get_weights()[0]
        layer_utils.convert_all_kernels_in_model(model)
        np.testing.assert_array_equal(model.layers[0].get_weights()[0], before[::-1, ::-1])
        assert layer_utils.count_params(model.trainable_weights) == model.count_params()


def test_keras_2_2s_helpers_custom_layers_and_optimizers_imported(tmp_path):
    generic_utils, conv_utils = (keras('keras.utils.generic_utils'),
                                 keras('keras.utils.conv_utils'))
    assert generic_utils.transpose_shape((16, 128, 128, 32), 'channels_first', (1, 2)) == (
        16, 32, 128, 128)
    assert generic_utils.transpose_shape([128, 128, 32], 'channels_first', (0, 1)) == [
        32, 128, 128]
    assert generic_utils.unpack_singleton([5]) == 5 and generic_utils.to_list(3) == [3]
    assert generic_utils.has_arg(lambda x, mask=None: x, 'mask')
    assert generic_utils.func_load(generic_utils.func_dump(lambda x: x + 1))(1) == 2
    assert generic_utils.is_all_none([None, None])
    assert len(generic_utils.object_list_uid([1, 2]).split(', ')) == 2
    # Keras 2.0-2.1's four arguments, and 2.2's output_padding.
    assert conv_utils.deconv_length(14, 2, 3, 'valid') == 29
    assert conv_utils.deconv_length(14, 2, 3, 'same', None) == 28
    assert conv_utils.deconv_length(14, 2, 3, 'same', 1) == 28
    K, optimizers = keras('keras.backend'), keras('keras.optimizers')
    assert keras('keras.engine.saving').load_model is keras('keras.models').load_model
    assert (keras('keras.utils.training_utils').multi_gpu_model is
            keras('keras.utils').multi_gpu_model)  # Keras 2.0.9-2.1's path
    with tf.Graph().as_default(), tf.Session() as session:
        g = tf.constant([3., 4.])
        np.testing.assert_allclose(session.run(optimizers.clip_norm(g, 1., tf.norm(g))),
                                   [0.6, 0.8], rtol=1e-6)
        x = K.placeholder((None, 2))
        assert isinstance(K.function([x], [x * 2]), K.tensorflow_backend.Function)
    # keras.datasets.cifar reads a batch of the CIFAR archives' pickles.
    import pickle
    with open(tmp_path / 'data_batch_1', 'wb') as batch:
        pickle.dump({b'data': np.arange(2 * 3072, dtype=np.uint8).reshape(2, 3072),
                     b'labels': [3, 7]}, batch)
    data, labels = keras('keras.datasets.cifar').load_batch(str(tmp_path / 'data_batch_1'))
    assert data.shape == (2, 3, 32, 32) and labels == [3, 7]


def test_conv_rnn_2d_runs_a_conv_lstm_2d_cell_as_conv_lstm_2d_does():
    """Keras 2.2's ConvRNN2D and ConvLSTM2DCell (custom ConvGRU2D layers subclassed them)."""
    layers, models = keras('keras.layers'), keras('keras.models')
    x = np.random.RandomState(0).rand(2, 3, 6, 6, 1).astype('float32')
    with tf.Graph().as_default(), tf.Session().as_default():
        inputs = layers.Input((3, 6, 6, 1))
        cell = layers.ConvLSTM2DCell(4, (3, 3), padding='same')
        ours = models.Model(inputs, layers.ConvRNN2D(cell, return_sequences=True)(inputs))
        theirs = models.Model(inputs, layers.ConvLSTM2D(4, (3, 3), padding='same',
                                                        return_sequences=True)(inputs))
        theirs.set_weights(ours.get_weights())
        np.testing.assert_allclose(ours.predict(x), theirs.predict(x), rtol=1e-5, atol=1e-6)
        assert ours.output_shape == (None, 3, 6, 6, 4)
        again = models.model_from_json(ours.to_json())
        again.set_weights(ours.get_weights())
        np.testing.assert_allclose(again.predict(x), ours.predict(x), rtol=1e-6)


def test_keras_test_utils_check_layers_as_keras_2_2s_did():
    """keras.utils.test_utils, which add-ons' and custom layers' tests imported."""
    test_utils, layers, K = (keras('keras.utils.test_utils'), keras('keras.layers'),
                             keras('keras.backend'))
    (x_train, y_train), (x_test, _) = test_utils.get_test_data(
        num_train=20, num_test=5, input_shape=(3,), num_classes=4)
    assert x_train.shape == (20, 3) and x_test.shape == (5, 3) and set(y_train) <= set(range(4))
    with tf.Graph().as_default(), tf.Session().as_default():
        output = test_utils.layer_test(layers.Dense, kwargs={'units': 2, 'use_bias': False,
                                                             'kernel_initializer': 'ones'},
                                       input_data=np.ones((4, 3), 'float32'),
                                       expected_output=np.full((4, 2), 3.))
        assert output.shape == (4, 2)
        test_utils.layer_test(layers.Dropout, kwargs={'rate': 0.5}, input_shape=(2, 5))
        with pytest.raises(AssertionError):
            test_utils.layer_test(layers.Dense, kwargs={'units': 2}, input_shape=(2, 3),
                                  expected_output=np.full((2, 2), 1e6))

    @test_utils.keras_test
    def a_test():
        return K.get_session().graph
    graph = a_test()
    assert K.get_session().graph is not graph  # a fresh session after the test


def test_binary_crossentropy_is_keras_2_2s_through_clipped_logits():
    """keras-contrib's jaccard_loss example records Keras 2.2's binary cross-entropy of
    saturated probabilities, [0.02634021 0.57564634 12.53243446]; compile's loss by name and
    the metric are the same function."""
    losses, metrics, K = keras('keras.losses'), keras('keras.metrics'), keras('keras.backend')
    layers, models = keras('keras.layers'), keras('keras.models')
    y_true = np.array([[0, 0, 1, 0], [0, 0, 1, 0], [0, 0, 1., 0.]], 'float32')
    y_pred = np.array([[0, 0, 0.9, 0], [0, 0, 0.1, 0], [1, 1, 0.1, 1.]], 'float32')
    with tf.Graph().as_default(), tf.Session() as session:
        values = session.run(losses.binary_crossentropy(y_true, y_pred))
        np.testing.assert_allclose(values, [0.02634021, 0.57564634, 12.53243446], rtol=1e-5)
        assert metrics.binary_crossentropy is losses.binary_crossentropy
        assert keras('keras.objectives').binary_crossentropy is losses.binary_crossentropy
        np.testing.assert_allclose(session.run(K.binary_crossentropy(y_true, y_pred))[2],
                                   [15.942385, 15.942385, 2.3025851, 15.942385], rtol=1e-5)
    with tf.Graph().as_default(), tf.Session().as_default():
        x = layers.Input((4,))
        model = models.Model(x, layers.Activation('linear')(x))
        model.compile('sgd', 'binary_crossentropy', metrics=['binary_crossentropy'])
        loss, metric = model.evaluate(y_pred, y_true, verbose=0)
        np.testing.assert_allclose([loss, metric], [values.mean()] * 2, rtol=1e-5)
