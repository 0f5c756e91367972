"""tf.layers layers' Keras configs. TF 1.x's tf.layers layers were Keras layers: get_config
gave what Keras's layer of the class gave for those arguments, from_config made the layer
again, and a tf.keras model holding them saved whole (test_tf1_layers_in_keras.py). Keras's
own layers (tf_keras) are the oracle: built from our config they write the same values."""
import json
import logging

import numpy as np
import pytest
import tensorflow.compat.v1 as tf
import tf_keras

from tf1.api import tensorflow as tf1_api

tf.disable_v2_behavior()
pytestmark = pytest.mark.usefixtures('fresh_graph')  # conftest.py
layers = tf1_api.layers

# Each class, made with arguments other than its defaults, and the shape it is called on.
LAYERS = {
    'Dense': (lambda: layers.Dense(3, 'tanh', False, tf.glorot_normal_initializer(seed=1),
                                   kernel_regularizer=tf1_api.keras.regularizers.l2(0.5),
                                   name='fc'), [2, 4]),
    'Dropout': (lambda: layers.Dropout(0.25, noise_shape=[2, 1], seed=7), [2, 4]),
    'Flatten': (lambda: layers.Flatten(), [2, 3, 4]),
    'Conv1D': (lambda: layers.Conv1D(2, 3, 2, 'same', dilation_rate=1), [2, 8, 3]),
    'Conv2D': (lambda: layers.Conv2D(2, (3, 1), padding='SAME', data_format='channels_first',
                                     dilation_rate=2, activation=tf.nn.relu), [2, 3, 8, 8]),
    'Conv3D': (lambda: layers.Conv3D(2, 2, use_bias=False), [2, 4, 4, 4, 3]),
    'Conv2DTranspose': (lambda: layers.Conv2DTranspose(2, 3, 2), [2, 4, 4, 3]),
    'Conv3DTranspose': (lambda: layers.Conv3DTranspose(2, 3, (2, 1, 1)), [2, 4, 4, 4, 3]),
    'SeparableConv1D': (lambda: layers.SeparableConv1D(2, 3, depth_multiplier=2), [2, 8, 3]),
    'SeparableConv2D': (lambda: layers.SeparableConv2D(
        2, 3, padding='same', pointwise_initializer=tf.ones_initializer()), [2, 8, 8, 3]),
    'MaxPooling1D': (lambda: layers.MaxPooling1D(2, 1), [2, 8, 3]),
    'MaxPooling2D': (lambda: layers.MaxPooling2D(2, 2, 'same'), [2, 5, 5, 3]),
    'MaxPooling3D': (lambda: layers.MaxPooling3D(2, 2), [2, 4, 4, 4, 3]),
    'AveragePooling1D': (lambda: layers.AveragePooling1D(3, 2), [2, 8, 3]),
    'AveragePooling2D': (lambda: layers.AveragePooling2D((2, 1), 1), [2, 4, 4, 3]),
    'AveragePooling3D': (lambda: layers.AveragePooling3D(2, 2), [2, 4, 4, 4, 3]),
    'BatchNormalization': (lambda: layers.BatchNormalization(
        axis=1, momentum=0.9, center=False, gamma_regularizer=tf1_api.keras.regularizers.l1(
            0.1), renorm=True, renorm_clipping={'rmax': 3.0}), [2, 3, 4]),
}
# The keys TF 1.15's Keras wrote for each class (tensorflow/python/keras/layers/*.py).
BASE = {'name', 'trainable', 'dtype'}
WEIGHTED = {'activation', 'use_bias', 'kernel_initializer', 'bias_initializer',
            'kernel_regularizer', 'bias_regularizer', 'activity_regularizer',
            'kernel_constraint', 'bias_constraint'}
CONV = BASE | WEIGHTED | {'filters', 'kernel_size', 'strides', 'padding', 'data_format',
                          'dilation_rate'}
SEPARABLE = CONV | {'depth_multiplier', 'depthwise_initializer', 'pointwise_initializer',
                    'depthwise_regularizer', 'pointwise_regularizer', 'depthwise_constraint',
                    'pointwise_constraint'}
POOLING = BASE | {'pool_size', 'padding', 'strides', 'data_format'}
TF_1_15_KEYS = {
    'Dense': BASE | WEIGHTED | {'units'}, 'Dropout': BASE | {'rate', 'noise_shape', 'seed'},
    'Flatten': BASE | {'data_format'}, 'Conv1D': CONV, 'Conv2D': CONV, 'Conv3D': CONV,
    'Conv2DTranspose': CONV | {'output_padding'},
    'Conv3DTranspose': CONV - {'dilation_rate'} | {'output_padding'},
    'SeparableConv1D': SEPARABLE, 'SeparableConv2D': SEPARABLE,
    **{kind + 'Pooling%dD' % rank: POOLING for kind in ('Max', 'Average') for rank in (1, 2, 3)},
    'BatchNormalization': BASE | {
        'axis', 'momentum', 'epsilon', 'center', 'scale', 'beta_initializer',
        'gamma_initializer', 'moving_mean_initializer', 'moving_variance_initializer',
        'beta_regularizer', 'gamma_regularizer', 'beta_constraint', 'gamma_constraint',
        'renorm', 'renorm_clipping', 'renorm_momentum'},  # renorm's: when set, as here
}
# What tf1 leaves out, documented (docs/tf1.md): arguments tf.layers' classes do not take,
# which TF 1.15's Keras wrote at their defaults (the separable convolutions' unused kernel
# initializer, regularizer and constraint; the transposed convolutions' output padding and
# Conv2DTranspose's dilation). Keras reads them back as those defaults.
NOT_WRITTEN = {
    'Conv2DTranspose': {'dilation_rate', 'output_padding'},
    'Conv3DTranspose': {'output_padding'},
    'SeparableConv1D': {'kernel_initializer', 'kernel_regularizer', 'kernel_constraint'},
    'SeparableConv2D': {'kernel_initializer', 'kernel_regularizer', 'kernel_constraint'},
}
# What tf_keras's layers write that TF 1.15's did not: grouped convolutions.
GROUPED = {'Conv1D', 'Conv2D', 'Conv3D', 'Conv2DTranspose', 'Conv3DTranspose',
           'SeparableConv1D', 'SeparableConv2D'}


def made(name):
    make, shape = LAYERS[name]
    layer = make()
    layer(tf.zeros(shape))
    return layer


@pytest.mark.parametrize('name', sorted(LAYERS))
def test_its_config_is_keras_s_and_makes_the_layer_again(name):
    layer = made(name)
    config = layer.get_config()
    assert set(config) == TF_1_15_KEYS[name] - NOT_WRITTEN.get(name, set())
    assert config['name'] == layer.name and config['dtype'] == 'float32'
    as_json = json.loads(json.dumps(config))  # it is JSON
    keras_layer = getattr(tf_keras.layers, name).from_config(as_json)
    keras_config = keras_layer.get_config()
    if 'renorm_clipping' in keras_config:  # Keras tracks the dict it was given
        keras_config['renorm_clipping'] = dict(keras_config['renorm_clipping'])
    keras_config = json.loads(json.dumps(keras_config))
    assert set(keras_config) - set(config) == (
        NOT_WRITTEN.get(name, set()) | ({'groups'} if name in GROUPED else set()))
    assert {key: keras_config[key] for key in config} == as_json
    again = type(layer).from_config(config)
    assert type(again) is type(layer) and again.get_config() == config
    again(tf.zeros(LAYERS[name][1]))  # the same variables, new ones
    assert [v.shape.as_list() for v in again.variables] == [
        v.shape.as_list() for v in layer.variables]


def test_arguments_are_written_as_keras_writes_them():
    dense = layers.Dense(2, kernel_initializer=tf.truncated_normal_initializer(stddev=0.5))
    config = dense.get_config()
    assert config['activation'] == 'linear'  # no activation, as Keras's linear
    assert config['dtype'] is None  # not yet called: its dtype is its inputs'
    assert config['kernel_initializer'] == {
        'class_name': 'TruncatedNormal', 'config': {'mean': 0.0, 'stddev': 0.5, 'seed': None,
                                                    'dtype': 'float32'}}
    again = layers.Dense.from_config(config)
    assert again.kernel_initializer.get_config()['stddev'] == 0.5  # read back as an object
    assert layers.Dense(2, activation='relu').get_config()['activation'] == 'relu'
    assert layers.Conv2D(2, 3, padding='SAME').get_config()['padding'] == 'same'


def test_batch_normalization_writes_tensorflow_s_options_only_when_set():
    plain = layers.BatchNormalization().get_config()
    assert not {'renorm', 'renorm_clipping', 'virtual_batch_size', 'fused'} & set(plain)
    ghost = layers.BatchNormalization(axis=-1, virtual_batch_size=2)
    ghost(tf.zeros([4, 3]))
    config = ghost.get_config()
    assert config['virtual_batch_size'] == 2
    assert config['axis'] == -1  # as given: build shifted self.axis for the ghost batches
    again = layers.BatchNormalization.from_config(config)
    again(tf.zeros([4, 3]))
    assert again.gamma.shape.as_list() == ghost.gamma.shape.as_list()
    records, logger = [], tf.get_logger()  # TensorFlow's logger, whatever others set on it
    handler, level = logging.Handler(), logger.level
    handler.emit = records.append
    logger.addHandler(handler)
    logger.setLevel(logging.WARNING)
    try:
        config = layers.BatchNormalization(adjustment=lambda shape: (1., 0.)).get_config()
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
    assert 'adjustment' not in config
    assert any('cannot be serialized' in record.getMessage() for record in records)


def test_a_subclass_with_arguments_must_write_its_own():
    class Scale(layers.Layer):
        def __init__(self, factor, **kwargs):
            super().__init__(**kwargs)
            self.factor = factor

    class NoArguments(layers.Layer):
        pass

    class WideDense(layers.Dense):  # its parent's config, as Keras's subclasses had
        def __init__(self, units, width=2, **kwargs):
            super().__init__(units * width, **kwargs)

    with pytest.raises(NotImplementedError, match=r'^Layers with arguments in `__init__` '
                                                  r'must override `get_config`: Scale takes '
                                                  r'factor$'):
        Scale(2.).get_config()
    assert NoArguments(name='same').get_config() == {'name': 'same', 'trainable': True,
                                                     'dtype': None}
    assert NoArguments.from_config({'name': 'same', 'trainable': False,
                                    'dtype': 'float16'}).dtype == tf.float16
    assert WideDense(3).get_config()['units'] == 6

    class Written(Scale):  # Keras's way: its own keys over its parent's
        def get_config(self):
            return dict(super().get_config(), factor=self.factor)

    assert Written(2., name='w').get_config() == {'name': 'w', 'trainable': True,
                                                  'dtype': None, 'factor': 2.}
    assert Written.from_config(Written(3.).get_config()).factor == 3.
    # contrib.model_pruning's were base Layers with arguments in TF 1.15, no config.
    with pytest.raises(NotImplementedError, match='MaskedConv2D takes filters, kernel_size'):
        tf1_api.contrib.model_pruning.MaskedConv2D(2, 3).get_config()


def test_a_config_keras_wrote_makes_a_convolution_at_keras_s_defaults():
    assert layers.Conv2D.from_config(tf_keras.layers.Conv2D(2, 3).get_config()).filters == 2
    assert layers.SeparableConv2D.from_config(
        tf_keras.layers.SeparableConv2D(2, 3).get_config()).filters == 2
    written = tf_keras.layers.Conv2DTranspose(2, 3, strides=2).get_config()
    layer = layers.Conv2DTranspose.from_config(written)
    assert layer.strides == (2, 2) and layer.filters == 2
    with pytest.raises(ValueError, match=r"^Conv2DTranspose: tf.layers' takes no "
                                         r"dilation_rate; only Keras's default 1 is read "
                                         r"\(got 2\)$"):
        layers.Conv2DTranspose.from_config(dict(written, dilation_rate=2))
    with pytest.raises(ValueError, match=r"output_padding; only Keras's default None is "
                                         r"read \(got 1\)$"):
        layers.Conv3DTranspose.from_config(dict(
            tf_keras.layers.Conv3DTranspose(2, 3, 2).get_config(), output_padding=1))


def test_an_activation_of_keras_s_other_names_is_written_and_read_back():
    layer = layers.Dense(2, activation=tf.nn.relu6)
    assert layer.get_config()['activation'] == 'relu6'
    activation = layers.Dense.from_config(layer.get_config()).activation
    assert (activation.__module__, activation.__name__) == (
        'tensorflow.python.ops.nn_ops', 'relu6')  # TensorFlow's relu6, by Keras's name
    for name in ('relu7', 'ReLU', 'serialize'):  # not Keras's layer classes or helpers
        with pytest.raises(ValueError, match='^dense: Unknown activation function:%s ' % name):
            layers.Dense(2, activation=name)


def test_a_tf_layers_layer_s_weights_load_into_keras_s_layer_of_its_config():
    layer = made('Conv2D')
    keras_layer = tf_keras.layers.Conv2D.from_config(layer.get_config())
    with tf.Session() as session:
        session.run(tf.global_variables_initializer())
        inputs = np.random.RandomState(0).randn(*LAYERS['Conv2D'][1]).astype(np.float32)
        keras_outputs = keras_layer(tf.constant(inputs))
        session.run(tf.variables_initializer(keras_layer.weights))
        keras_layer.set_weights(layer.get_weights())
        ours = session.run(layer(tf.constant(inputs)))
        np.testing.assert_allclose(session.run(keras_outputs), ours, rtol=1e-5, atol=1e-5)
