"""Keras 1's layers and Keras 2.0's base classes that standalone Keras 2.0-2.1 still had
and tf_keras dropped, under `python -m tf1`: Keras 1's merge() and Merge (of tensors, and of
whole models as a Sequential's first layer, babi_memnn's model), MaxoutDense, Highway and
the atrous convolutions, and Keras 2.0's Recurrent base class of custom recurrent layers,
each against its computation written out in NumPy."""
import numpy as np
import pytest
import tensorflow.compat.v1 as tf

from conftest import standalone_keras as keras

tf.disable_v2_behavior()



def test_keras_1s_merge_function_as_keras_2_0_to_2_1_had_it():
    layers, models = keras('keras.layers'), keras('keras.models')
    with tf.Graph().as_default(), tf.Session().as_default():
        a, b = layers.Input(shape=(4,)), layers.Input(shape=(4,))
        outputs = [layers.merge([a, b], mode=mode, dot_axes=1) for mode in ('dot', 'cos')]
        outputs += [layers.merge([a, b], mode=mode) for mode in ('concat', 'ave')]
        model = models.Model([a, b], outputs)
        dot, cos, concat, ave = model.predict([np.array([[1., 2., 3., 4.]]), np.ones((1, 4))])
        with pytest.raises(ValueError, match='Invalid merge mode: xor'):
            layers.merge([a, b], mode='xor')
    assert dot.ravel().tolist() == [10.0] and cos.ravel() == pytest.approx(10 / 30 ** .5 / 2)
    assert concat.shape == (1, 8) and ave.ravel().tolist() == [1.0, 1.5, 2.0, 2.5]
    assert layers.merge.Concatenate is layers.Concatenate   # still the module of merge layers
    with tf.Graph().as_default(), tf.Session().as_default():
        # Keras 2.1's batch_dot: axis 0 of [batch, n, 1] vectors is their dot product
        # (adventuresinML's keras_word2vec: merge([target, context], mode='cos', dot_axes=0)).
        a, b = layers.Input(shape=(4, 1)), layers.Input(shape=(4, 1))
        model = models.Model([a, b], layers.merge([a, b], mode='dot', dot_axes=0))
        out = model.predict([np.array([[[1.], [2.], [3.], [4.]]]), np.ones((1, 4, 1))])
    assert out.shape == (1, 1, 1) and out.ravel().tolist() == [10.0]


def test_keras_1s_merge_of_models_starts_a_sequential_of_their_inputs(tmp_path):
    """Keras 1's babi_memnn: Sequential models merged, a merged model merged again, and an
    encoder merged twice; Keras 2.1's Sequential took every merged model's inputs, once."""
    layers, models = keras('keras.layers'), keras('keras.models')
    rng = np.random.RandomState(0)
    x, q = rng.randn(64, 3), rng.randn(64, 2)
    with tf.Graph().as_default(), tf.Session().as_default():
        story, question = models.Sequential(), models.Sequential()
        story.add(layers.Dense(2, input_dim=3))
        question.add(layers.Dense(2, input_dim=2))
        match = models.Sequential()
        match.add(layers.Merge([story, question], mode='mul'))
        answer = models.Sequential()
        answer.add(layers.Merge([match, question], mode='concat', concat_axis=-1))
        answer.add(layers.Dense(1))
        assert [tensor.name for tensor in answer.inputs] == [
            story.inputs[0].name, question.inputs[0].name]
        assert answer.output_shape == (None, 1) and match.output_shape == (None, 2)
        # The answer is the merges computed out by hand.
        (ws, bs), (wq, bq), (wa, ba) = (layer.get_weights() for layer in (
            story.layers[0], question.layers[0], answer.layers[-1]))
        s, t = x @ ws + bs, q @ wq + bq
        expected = np.concatenate([s * t, t], axis=-1) @ wa + ba
        np.testing.assert_allclose(answer.predict([x, q]), expected, rtol=1e-5, atol=1e-5)
        answer.compile(optimizer='sgd', loss='mse')
        y = x[:, :1] * q[:, :1]
        before = answer.evaluate([x, q], y, verbose=0)
        answer.fit([x, q], y, epochs=20, verbose=0)
        assert answer.evaluate([x, q], y, verbose=0) < before
        trained = answer.predict([x, q])
        # Saved as Keras 2.1 configured it: the Merge (with its models), then what follows.
        config = answer.get_config()['layers']
        assert [layer['class_name'] for layer in config] == ['Merge', 'Dense']
        assert [layer['class_name'] for layer in config[0]['config']['layers']] == [
            'Sequential', 'Sequential']
        answer.save(str(tmp_path / 'answer.h5'))
    with tf.Graph().as_default(), tf.Session().as_default():
        again = models.load_model(str(tmp_path / 'answer.h5'))
        assert len(again.inputs) == 2  # the question encoder is made once
        np.testing.assert_allclose(again.predict([x, q]), trained, rtol=1e-6)
        with pytest.raises(TypeError, match='at least 2 elements'):
            layers.Merge([story], mode='sum')
        with pytest.raises(RuntimeError, match='has never been called'):
            layers.Merge([models.Sequential(), models.Sequential()], mode='sum')


def test_keras_2_0_to_2_1s_deprecated_keras_1_layers(tmp_path):
    """MaxoutDense, Highway and AtrousConvolution1D/2D, as Keras 2.1.6's legacy layers
    computed them, with Keras 2.1's weight names; saved and loaded."""
    layers, models = keras('keras.layers'), keras('keras.models')
    x = np.random.RandomState(0).randn(6, 4).astype(np.float32)
    with tf.Graph().as_default(), tf.Session().as_default():
        model = models.Sequential()
        model.add(layers.MaxoutDense(5, nb_feature=3, input_dim=4))
        model.add(layers.Highway(activation='relu'))
        assert [w.name for w in model.weights] == [
            'maxout_dense_1/W:0', 'maxout_dense_1/b:0', 'highway_1/W:0',
            'highway_1/W_carry:0', 'highway_1/b:0', 'highway_1/b_carry:0']
        w, b, hw, hw_carry, hb, hb_carry = [np.random.RandomState(i).randn(*v.shape)
                                            for i, v in enumerate(model.get_weights())]
        model.set_weights([w, b, hw, hw_carry, hb, hb_carry])
        maxout = (np.einsum('bi,fio->bfo', x, w) + b).max(axis=1)
        gate = 1 / (1 + np.exp(-(maxout @ hw_carry + hb_carry)))
        expected = np.maximum(maxout @ hw + hb, 0) * gate + (1 - gate) * maxout
        np.testing.assert_allclose(model.predict(x), expected, rtol=1e-4, atol=1e-4)
        model.compile(optimizer='sgd', loss='mse')
        model.save(str(tmp_path / 'legacy.h5'))
        again = models.load_model(str(tmp_path / 'legacy.h5'))
        np.testing.assert_allclose(again.predict(x), expected, rtol=1e-4, atol=1e-4)
        # Keras 1's atrous convolutions: Conv2D/Conv1D with atrous_rate as dilation_rate,
        # converted from Keras 1's arguments as Convolution2D is.
        conv2d = layers.AtrousConvolution2D(4, 3, 3, atrous_rate=(2, 2), border_mode='same')
        conv1d = layers.AtrousConvolution1D(2, 3, atrous_rate=3)
        assert (conv2d.kernel_size, conv2d.dilation_rate, conv2d.padding) == (
            (3, 3), (2, 2), 'same')
        assert (conv1d.kernel_size, conv1d.dilation_rate) == ((3,), (3,))


def _keras_2_0_recurrent_layer():
    """A recurrent layer as Keras 2.0-era code wrote one (datalogue/keras-attention's
    AttentionDecoder's pattern): Recurrent's subclass with build, step and its own name."""
    layers, K = keras('keras.layers'), keras('keras.backend')

    class ElmanRNN(layers.recurrent.Recurrent):
        def __init__(self, units, name='elman', **kwargs):
            self.units = units
            super(ElmanRNN, self).__init__(**kwargs)
            self.name = name  # a plain attribute in Keras 2

        def build(self, input_shape):
            if isinstance(input_shape, list):  # with its initial states
                input_shape = input_shape[0]
            self.input_spec = [layers.InputSpec(shape=input_shape)]
            self.states = [None]
            self.kernel = self.add_weight(shape=(input_shape[-1], self.units),
                                          name='kernel', initializer='glorot_uniform')
            self.recurrent = self.add_weight(shape=(self.units, self.units),
                                             name='recurrent', initializer='orthogonal')
            if self.stateful:
                self.reset_states()
            self.built = True

        def preprocess_input(self, inputs, training=None):
            return layers.recurrent._time_distributed_dense(inputs, self.kernel,
                                                            output_dim=self.units)

        def step(self, x, states):
            output = K.tanh(x + K.dot(states[0], self.recurrent))
            return output, [output]

    return ElmanRNN


def _elman(x, kernel, recurrent, h):
    steps = []
    for t in range(x.shape[1]):
        h = np.tanh(x[:, t] @ kernel + h @ recurrent)
        steps.append(h)
    return np.stack(steps, axis=1), h


def test_keras_2_0s_recurrent_base_class_runs_custom_recurrent_layers():
    layers, models = keras('keras.layers'), keras('keras.models')
    elman = _keras_2_0_recurrent_layer()
    x = np.random.RandomState(0).randn(4, 5, 3).astype(np.float32)
    with tf.Graph().as_default(), tf.Session().as_default():
        inputs = layers.Input(shape=(5, 3))
        states = layers.Input(shape=(2,))
        layer = elman(2, return_sequences=True, name='my_rnn')
        sequence = layer(inputs)
        last, state = elman(2, return_state=True)(inputs, initial_state=[states])
        model = models.Model([inputs, states], [sequence, last, state])
        assert layer.name == 'my_rnn' and layer.weights[0].name == 'my_rnn/kernel:0'
        assert model.output_shape == [(None, 5, 2), (None, 2), (None, 2)]
        h0 = np.random.RandomState(1).randn(4, 2).astype(np.float32)
        got_sequence, got_last, got_state = model.predict([x, h0])
        kernel, recurrent = layer.get_weights()
        np.testing.assert_allclose(got_sequence, _elman(x, kernel, recurrent, 0 * h0)[0],
                                   rtol=1e-5, atol=1e-5)
        kernel, recurrent = model.layers[-1].get_weights()
        expected_last = _elman(x, kernel, recurrent, h0)[1]
        np.testing.assert_allclose(got_last, expected_last, rtol=1e-5, atol=1e-5)
        np.testing.assert_allclose(got_state, expected_last, rtol=1e-5, atol=1e-5)
        # Trained by Keras, masked by an Embedding's mask_zero.
        words = layers.Input(shape=(None,))
        embedded = layers.Embedding(6, 3, mask_zero=True)(words)
        classifier = models.Model(words, layers.Dense(1)(elman(4)(embedded)))
        classifier.compile(optimizer='adam', loss='mse')
        ids = np.random.RandomState(2).randint(1, 6, (32, 5))
        padded = np.concatenate([ids[:, :3], np.zeros((32, 2), int)], axis=1)
        before = classifier.evaluate(ids, ids[:, :1] / 5., verbose=0)
        classifier.fit(ids, ids[:, :1] / 5., epochs=30, verbose=0)
        assert classifier.evaluate(ids, ids[:, :1] / 5., verbose=0) < before
        np.testing.assert_allclose(classifier.predict(padded),
                                   classifier.predict(ids[:, :3]), rtol=1e-5, atol=1e-5)


def test_keras_2_0s_stateful_recurrent_layers_carry_their_state():
    models = keras('keras.models')
    elman = _keras_2_0_recurrent_layer()
    x = np.random.RandomState(0).randn(2, 3, 3).astype(np.float32)
    with tf.Graph().as_default(), tf.Session().as_default():
        model = models.Sequential()
        model.add(elman(2, stateful=True, batch_input_shape=(2, 3, 3)))
        kernel, recurrent = model.get_weights()
        first, second = model.predict(x, batch_size=2), model.predict(x, batch_size=2)
        _, h = _elman(x, kernel, recurrent, np.zeros((2, 2)))
        np.testing.assert_allclose(first, h, rtol=1e-5, atol=1e-5)
        np.testing.assert_allclose(second, _elman(x, kernel, recurrent, h)[1],
                                   rtol=1e-5, atol=1e-5)
        model.reset_states()
        np.testing.assert_allclose(model.predict(x, batch_size=2), first, rtol=1e-5,
                                   atol=1e-5)
        with pytest.raises(ValueError, match='expects 1 states, but it received 2'):
            model.layers[0].reset_states([np.zeros((2, 2))] * 2)
        with pytest.raises(AttributeError, match='Layer must be stateful'):
            elman(2).reset_states()


def test_a_custom_layer_declares_its_weights_as_keras_1_layers_did():
    """Keras 1's custom layers made their variables with K.variable and declared them:
    `self.trainable_weights = [...]` (Keras 2.0-2.2 kept the setters); and set their name."""
    engine, models, K = (keras('keras.engine.topology'), keras('keras.models'),
                         keras('keras.backend'))

    class AttentionPooling(engine.Layer):
        def build(self, input_shape):
            self.W = K.variable(np.ones((input_shape[-1], 1)), name='{}_W'.format(self.name))
            self.scale = K.variable(2.0, name='{}_scale'.format(self.name))
            self.trainable_weights = [self.W]
            self.non_trainable_weights = [self.scale]
            self.built = True

        def call(self, x, mask=None):
            scores = K.exp(K.dot(x, self.W))
            return self.scale * K.sum(x * scores / K.sum(scores, axis=1, keepdims=True),
                                      axis=1)

        def compute_output_shape(self, input_shape):
            return (input_shape[0], input_shape[-1])

    x = np.random.RandomState(0).rand(16, 4, 3)
    with tf.Graph().as_default(), tf.Session().as_default():
        model = models.Sequential()
        model.add(AttentionPooling(input_shape=(4, 3)))
        layer = model.layers[0]
        assert [w.name for w in layer.trainable_weights] == [  # built in the layer's scope
            'attention_pooling_1/attention_pooling_1_W:0']
        assert [w.name for w in model.non_trainable_weights] == [
            'attention_pooling_1/attention_pooling_1_scale:0']
        model.compile(optimizer='sgd', loss='mse')
        model.fit(x, x[:, 0], epochs=2, verbose=0)
        W, = K.batch_get_value([layer.W])
        assert not np.allclose(W, 1) and K.get_value(layer.scale) == 2.0
