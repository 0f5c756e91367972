"""Standalone Keras's `keras.utils.test_utils`, which the tests of Keras 2 add-ons and
custom layers imported (ported from Keras 2.2.4; keras_test from 2.1.6, which 2.2.3
removed): get_test_data, layer_test (a layer built, run, serialized and rebuilt in a
functional model) and the keras_test decorator (a fresh session after each test)."""
import functools

import numpy as np
from numpy.testing import assert_allclose
from tf_keras.src import backend as K
from tf_keras.src.utils import tf_utils
from tf_keras.src.utils.generic_utils import has_arg
from tf_keras.api._v1.keras import Input, Model


def get_test_data(num_train=1000, num_test=500, input_shape=(10,), output_shape=(2,),
                  classification=True, num_classes=2):
    """Training and test data from NumPy's global generator: classes drawn around their
    index (labels of shape (samples,)), or regression targets near each input's mean."""
    samples = num_train + num_test
    if classification:
        y = np.random.randint(0, num_classes, size=(samples,))
        X = np.zeros((samples,) + input_shape, dtype=np.float32)
        for i in range(samples):
            X[i] = np.random.normal(loc=y[i], scale=0.7, size=input_shape)
    else:
        y_loc = np.random.random((samples,))
        X = np.zeros((samples,) + input_shape, dtype=np.float32)
        y = np.zeros((samples,) + output_shape, dtype=np.float32)
        for i in range(samples):
            X[i] = np.random.normal(loc=y_loc[i], scale=0.7, size=input_shape)
            y[i] = np.random.normal(loc=y_loc[i], scale=0.7, size=output_shape)
    return (X[:num_train], y[:num_train]), (X[num_train:], y[num_train:])


def layer_test(layer_cls, kwargs={}, input_shape=None, input_dtype=None,  # noqa: B006
               input_data=None, expected_output=None, expected_output_dtype=None,
               fixed_batch_size=False):
    """Checks a layer of one input and one output: its weights set back, its output's shape
    and dtype as it declares them (and the values, given expected_output), a model of it
    rebuilt from its config computing the same, a training step where it has a training
    mode. Returns its output."""
    if input_data is None:
        assert input_shape
        input_dtype = input_dtype or K.floatx()
        input_data_shape = [np.random.randint(1, 4) if e is None else e for e in input_shape]
        input_data = (10 * np.random.random(input_data_shape)).astype(input_dtype)
    else:
        input_shape = input_data.shape if input_shape is None else input_shape
        input_dtype = input_data.dtype if input_dtype is None else input_dtype
    expected_output_dtype = expected_output_dtype or input_dtype

    layer = layer_cls(**kwargs)
    weights = layer.get_weights()
    layer.set_weights(weights)
    # Legacy layers took their initial weights as an argument.
    if has_arg(layer_cls.__init__, 'weights') and len(weights):
        kwargs['weights'] = weights
        layer = layer_cls(**kwargs)
    # A TensorShape from tf_keras's layers, a tuple as Keras 2 declared it.
    expected_output_shape = tf_utils.convert_shapes(layer.compute_output_shape(input_shape))

    if fixed_batch_size:
        x = Input(batch_shape=input_shape, dtype=input_dtype)
    else:
        x = Input(shape=input_shape[1:], dtype=input_dtype)
    y = layer(x)
    assert K.dtype(y) == expected_output_dtype
    model = Model(x, y)

    actual_output = model.predict(input_data)
    for expected_dim, actual_dim in zip(expected_output_shape, actual_output.shape):
        if expected_dim is not None:
            assert expected_dim == actual_dim
    if expected_output is not None:
        assert_allclose(actual_output, expected_output, rtol=1e-3)
    # Serialization, and weights set at the model's level.
    recovered_model = model.__class__.from_config(model.get_config())
    if model.weights:
        recovered_model.set_weights(model.get_weights())
        assert_allclose(recovered_model.predict(input_data), actual_output, rtol=1e-3)
    # A layer that behaves otherwise in training.
    if has_arg(layer.call, 'training'):
        model.compile('rmsprop', 'mse')
        model.train_on_batch(input_data, actual_output)

    layer_config = layer.get_config()
    layer_config['batch_input_shape'] = input_shape
    layer.__class__.from_config(layer_config)
    return actual_output


def keras_test(func):
    """The test, then a fresh Keras session and graph (Keras 2.0-2.2.2)."""
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        output = func(*args, **kwargs)
        K.clear_session()
        return output
    return wrapper

