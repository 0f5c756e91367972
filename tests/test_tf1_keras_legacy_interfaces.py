"""Keras 1's API under standalone `import keras`, as Keras 2.0-2.2 converted it
(keras/legacy/interfaces.py): each converted layer is configured exactly as its Keras 2 call
would be, with Keras 2's warning; Model(input=, output=) and the generator methods' Keras 1
arguments; a Keras 1.2-style MNIST script runs unchanged. tf.keras converts nothing, as TF
1.x's did not."""
import textwrap
import warnings

import numpy as np
import pytest
import tensorflow.compat.v1 as tf

from conftest import standalone_keras as keras, write_mnist_dir
from test_tf1_runner import tf1
from tf1.api import tensorflow as tf1_api

tf.disable_v2_behavior()



def config(layer):
    values = layer.get_config()
    values.pop('name')
    return values


@pytest.mark.parametrize('keras_1, keras_2', [
    (lambda L, R: L.Convolution2D(8, 3, 3, border_mode='same', subsample=(2, 2),
                                  dim_ordering='th', init='he_normal',
                                  W_regularizer=R.l2(0.01), bias=False),
     lambda L, R: L.Conv2D(8, (3, 3), padding='same', strides=(2, 2),
                           data_format='channels_first', kernel_initializer='he_normal',
                           kernel_regularizer=R.l2(0.01), use_bias=False)),
    (lambda L, R: L.Convolution2D(4, nb_row=5, nb_col=2),
     lambda L, R: L.Conv2D(4, (5, 2))),
    (lambda L, R: L.Convolution1D(nb_filter=4, filter_length=3, subsample_length=2),
     lambda L, R: L.Conv1D(4, 3, strides=2)),
    (lambda L, R: L.Convolution3D(2, 3, 3, 3, border_mode='same'),
     lambda L, R: L.Conv3D(2, (3, 3, 3), padding='same')),
    (lambda L, R: L.Deconvolution2D(3, 2, 2, (None, 8, 8, 3), subsample=(2, 2)),
     lambda L, R: L.Conv2DTranspose(3, (2, 2), strides=(2, 2))),
    (lambda L, R: L.Dense(output_dim=10, init='uniform', b_constraint=None),
     lambda L, R: L.Dense(10, kernel_initializer='uniform')),
    (lambda L, R: L.Dropout(p=0.3), lambda L, R: L.Dropout(0.3)),
    (lambda L, R: L.LSTM(output_dim=8, inner_activation='sigmoid', dropout_W=0.1,
                         forget_bias_init='one', consume_less='gpu'),
     lambda L, R: L.LSTM(8, recurrent_activation='sigmoid', dropout=0.1,
                         unit_forget_bias=True, implementation=2)),
    (lambda L, R: L.ConvLSTM2D(nb_filter=4, nb_row=3, nb_col=3, border_mode='same',
                               inner_init='orthogonal', forget_bias_init='one',
                               dropout_U=0.1, return_sequences=True),
     lambda L, R: L.ConvLSTM2D(4, (3, 3), padding='same', recurrent_initializer='orthogonal',
                               unit_forget_bias=True, recurrent_dropout=0.1,
                               return_sequences=True)),
    (lambda L, R: L.MaxPooling2D(pool_size=(3, 3), border_mode='same', dim_ordering='tf'),
     lambda L, R: L.MaxPooling2D((3, 3), padding='same', data_format='channels_last')),
    (lambda L, R: L.BatchNormalization(mode=0, beta_init='zeros', gamma_init='ones'),
     lambda L, R: L.BatchNormalization(beta_initializer='zeros', gamma_initializer='ones')),
    (lambda L, R: L.Embedding(100, 8, init='uniform', dropout=0.2),
     lambda L, R: L.Embedding(100, 8, embeddings_initializer='uniform')),
    (lambda L, R: L.GaussianNoise(sigma=0.5), lambda L, R: L.GaussianNoise(0.5)),
    (lambda L, R: L.ZeroPadding2D((1, 2), dim_ordering='th'),
     lambda L, R: L.ZeroPadding2D((1, 2), data_format='channels_first')),
])
def test_keras_1_layers_are_configured_as_their_keras_2_calls(keras_1, keras_2):
    layers, regularizers = keras('keras.layers'), keras('keras.regularizers')
    with pytest.warns(UserWarning, match='to the Keras 2 API'):
        old = keras_1(layers, regularizers)
    with warnings.catch_warnings():
        warnings.simplefilter('error')  # a Keras 2 call is taken without a word
        new = keras_2(layers, regularizers)
    assert type(old) is type(new) and config(old) == config(new)


def test_converted_layers_are_keras_layers_and_tf_keras_converts_nothing():
    layers = keras('keras.layers')
    conv = layers.Conv2D(4, 3)
    assert isinstance(conv, tf1_api.keras.layers.Conv2D) and type(conv).__name__ == 'Conv2D'
    assert layers.Convolution2D is layers.Conv2D
    with pytest.raises(TypeError, match='Keyword argument not understood'):
        tf1_api.keras.layers.Conv2D(4, 3, border_mode='same')  # TF 1.x's tf.keras: neither


def test_a_keras_1_custom_layers_add_weight_takes_the_shape_first():
    """Keras 1's `self.add_weight((rows, cols), initializer=..., name=...)`: Keras 2.0-2.2
    took the shape first, and then the name, without a word."""
    engine, models, K = keras('keras.engine.topology'), keras('keras.models'), keras(
        'keras.backend')

    class Affine(engine.Layer):
        def build(self, input_shape):
            self.W = self.add_weight((input_shape[1], 2), 'W', initializer='uniform')
            self.b = self.add_weight((2,), initializer='one', name='b')
            self.built = True

        def call(self, x, mask=None):
            return K.dot(x, self.W) + self.b

    with tf.Graph().as_default(), tf.Session().as_default():
        model = models.Sequential()
        with warnings.catch_warnings():
            warnings.simplefilter('error')
            model.add(Affine(input_shape=(3,)))
        assert [(w.name, tuple(w.shape.as_list())) for w in model.weights] == [
            ('affine_1/W:0', (3, 2)), ('affine_1/b:0', (2,))]
        x = np.arange(6.).reshape(2, 3)
        W, b = model.get_weights()
        np.testing.assert_allclose(model.predict(x), x @ W + b, rtol=1e-6)


def test_keras_1_initializations_make_the_weights_they_return():
    """Keras 1's `keras.initializations`: functions returning the weight variable, called by
    Keras 1 layers as `init(shape, name=)` and wrapped by scripts in lambdas (Keras 1.2.2's
    mnist_irnn); the weight starts at the variable's value and is the only variable made."""
    initializations, models, layers, engine, K = (
        keras('keras.initializations'), keras('keras.models'), keras('keras.layers'),
        keras('keras.engine.topology'), keras('keras.backend'))

    class Keras1Dense(engine.Layer):  # a Keras 1 custom layer, as written in 2016
        def __init__(self, output_dim, init='glorot_uniform', **kwargs):
            self.output_dim, self.init = output_dim, initializations.get(init)
            super().__init__(**kwargs)

        def build(self, input_shape):
            self.W = self.init((input_shape[1], self.output_dim), name=self.name + '_W')
            self.trainable_weights = [self.W]

        def call(self, x, mask=None):
            return K.dot(x, self.W)

        def compute_output_shape(self, input_shape):
            return (input_shape[0], self.output_dim)

    with tf.Graph().as_default(), tf.Session().as_default():
        model = models.Sequential([
            layers.SimpleRNN(output_dim=400, input_shape=(3, 200),
                             init=lambda shape, name: initializations.normal(
                                 shape, scale=0.01, name=name),
                             inner_init=lambda shape, name: initializations.identity(
                                 shape, scale=0.5, name=name)),
            Keras1Dense(300, init='uniform'), layers.Dense(2, init=initializations.zero)])
        kernel, recurrent_kernel, bias, W, zeros, _ = model.get_weights()
        # No variable besides the weights.
        assert {v.name for v in tf.global_variables()} == {w.name for w in model.weights}
        assert abs(kernel.std() - 0.01) < 0.001 and abs(kernel.mean()) < 0.001
        np.testing.assert_array_equal(recurrent_kernel, 0.5 * np.eye(400))
        assert W.shape == (400, 300) and 0.045 < np.abs(W).max() <= 0.05
        assert not zeros.any() and not bias.any()
        # Theano's kernel layout: fans of (out, in, rows, cols).
        kernel = initializations.glorot_uniform((4, 3, 5, 5), dim_ordering='th')
        np.testing.assert_allclose(np.abs(kernel.initial_value.eval()).max(),
                                   np.sqrt(6 / (3 * 25 + 4 * 25)), rtol=0.1)
    with pytest.raises(ValueError, match='Invalid initialization: glorot'):
        initializations.get('glorot')


def test_keras_1_backend_names_and_slice_X():
    """Keras 1's K.random_normal(std=) and K.random_uniform(low=, high=), and keras.engine
    .training.slice_X (Keras 2.0-2.1's _slice_arrays)."""
    K, training = keras('keras.backend'), keras('keras.engine.training')
    with tf.Graph().as_default(), tf.Session() as session:
        normal, uniform = session.run([
            K.random_normal(shape=(10000,), mean=1., std=0.5, seed=1),
            K.random_uniform((10000,), low=-3., high=-2., seed=1)])
    assert abs(normal.mean() - 1) < 0.05 and abs(normal.std() - 0.5) < 0.05
    assert -3 <= uniform.min() < -2.99 and -2.01 < uniform.max() < -2
    x, y = np.arange(10).reshape(5, 2), np.arange(5)
    np.testing.assert_array_equal(training.slice_X(x, 1, 3), x[1:3])
    a, b = training._slice_arrays([x, y], np.array([4, 0]))
    np.testing.assert_array_equal(a, x[[4, 0]])
    np.testing.assert_array_equal(b, y[[4, 0]])


@pytest.mark.parametrize('make, error, message', [
    (lambda L: L.Dense(units=10, output_dim=5), TypeError, 'Stick to the latter!'),
    (lambda L: L.Conv2D(8, 3, 2, padding='same'), ValueError,
     'passing both `kernel_size` and `strides`'),
    (lambda L: L.BatchNormalization(mode=1), TypeError, '`mode=1` and `mode=2` are no longer'),
    (lambda L: L.Dropout(0.1, None, 1, 2), TypeError, 'can accept only 3 positional'),
])
def test_keras_1_arguments_keras_2_refused(make, error, message):
    with pytest.raises(error, match=message):
        make(keras('keras.layers'))


KERAS_1_SCRIPT = '''
    import numpy as np
    from keras.datasets import mnist
    from keras.models import Sequential, Model
    from keras.layers import Dense, Dropout, Activation, Flatten, Input
    from keras.layers import Convolution2D, MaxPooling2D
    from keras.utils import np_utils

    (X_train, y_train), (X_test, y_test) = mnist.load_data()
    X_train = X_train.reshape(-1, 28, 28, 1).astype('float32') / 255
    X_test = X_test.reshape(-1, 28, 28, 1).astype('float32') / 255
    Y_train = np_utils.to_categorical(y_train, 10)
    Y_test = np_utils.to_categorical(y_test, 10)

    model = Sequential()
    model.add(Convolution2D(16, 3, 3, border_mode='valid', input_shape=(28, 28, 1)))
    model.add(Activation('relu'))
    model.add(MaxPooling2D(pool_size=(2, 2)))
    model.add(Dropout(p=0.25))
    model.add(Flatten())
    model.add(Dense(output_dim=64, init='glorot_uniform'))
    model.add(Activation('relu'))
    model.add(Dense(10))
    model.add(Activation('softmax'))
    model.compile(loss='categorical_crossentropy', optimizer='adadelta', metrics=['accuracy'])
    model.fit(X_train, Y_train, batch_size=64, nb_epoch=2, verbose=0,
              validation_data=(X_test, Y_test))
    print('Test accuracy:', model.evaluate(X_test, Y_test, verbose=0)[1])

    def batches():
        while True:
            for start in range(0, len(X_train), 100):
                yield X_train[start:start + 100], Y_train[start:start + 100]
    inputs = Input(shape=(28, 28, 1))
    functional = Model(input=inputs, output=model(inputs))
    functional.compile(loss='categorical_crossentropy', optimizer='sgd')
    history = functional.fit_generator(batches(), samples_per_epoch=500, nb_epoch=2,
                                       validation_data=batches(), nb_val_samples=3,
                                       max_q_size=4, pickle_safe=False)
    print('generator epochs:', len(history.history['loss']))
'''


def test_a_keras_1_mnist_script_runs_unchanged(tmp_path):
    mnist = write_mnist_dir(str(tmp_path / 'mnist'), train_count=2000, test_count=400)
    (tmp_path / 'keras1.py').write_text(textwrap.dedent(KERAS_1_SCRIPT))
    result = tf1(['keras1.py'], cwd=str(tmp_path), mnist_dir=mnist)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-3000:]
    accuracy = float(result.stdout.split('Test accuracy:')[1].split()[0])
    assert accuracy > 0.8
    assert 'generator epochs: 2' in result.stdout
    # Keras 2's warnings, at the script's lines.
    assert ("keras1.py:16: UserWarning: Update your `Conv2D` call to the Keras 2 API: "
            "`Conv2D(16, (3, 3), input_shape=(28, 28, 1), padding='valid')`") in result.stderr
    assert 'Update your `Model` call to the Keras 2 API' in result.stderr
    assert 'Update your `fit_generator` call to the Keras 2 API' in result.stderr
    assert 'is deprecated' not in result.stderr  # no TF 2 advice Keras 2.2 never gave
