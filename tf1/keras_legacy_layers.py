"""Keras 1's layers that standalone Keras 2.0-2.1 still had, deprecated (keras/legacy/
layers.py, removed in Keras 2.2), ported from Keras 2.1.6 onto tf_keras's Layer: MaxoutDense,
Highway, and AtrousConvolution1D/2D (Conv1D/Conv2D with `dilation_rate`). Their weights are
named as Keras 2.1 named them (`W`, `b`, `W_carry`, `b_carry`), so its weight files load."""
import warnings

from tf_keras.src import activations, constraints, initializers, regularizers
from tf_keras.src import backend as K
from tf_keras.src.engine.base_layer import Layer
from tf_keras.src.engine.input_spec import InputSpec
from tf_keras.src.saving.object_registration import get_custom_objects


class _LegacyDense(Layer):
    """What MaxoutDense and Highway shared in Keras 1: their arguments, a 2-D input, the
    initial `weights` given to the constructor."""

    def __init__(self, init='glorot_uniform', weights=None, W_regularizer=None,
                 b_regularizer=None, activity_regularizer=None, W_constraint=None,
                 b_constraint=None, bias=True, input_dim=None, **kwargs):
        warnings.warn('The `%s` layer is deprecated and will be removed after 06/2017.'
                      % type(self).__name__, stacklevel=3)
        self.init = initializers.get(init)
        self.W_regularizer = regularizers.get(W_regularizer)
        self.b_regularizer = regularizers.get(b_regularizer)
        self.W_constraint = constraints.get(W_constraint)
        self.b_constraint = constraints.get(b_constraint)
        self.bias = bias
        self.initial_weights = weights
        self.input_dim = input_dim
        if self.input_dim:
            kwargs['input_shape'] = (self.input_dim,)
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        self.input_spec = InputSpec(ndim=2)

    def _weight(self, name, shape, initializer, regularizer=None, constraint=None):
        return self.add_weight(name=name, shape=shape, initializer=initializer,
                               regularizer=regularizer, constraint=constraint)

    def _set_initial_weights(self):
        if self.initial_weights is not None:
            self.set_weights(self.initial_weights)
            del self.initial_weights

    def get_config(self):
        config = {'init': initializers.serialize(self.init),
                  'W_regularizer': regularizers.serialize(self.W_regularizer),
                  'b_regularizer': regularizers.serialize(self.b_regularizer),
                  'activity_regularizer': regularizers.serialize(self.activity_regularizer),
                  'W_constraint': constraints.serialize(self.W_constraint),
                  'b_constraint': constraints.serialize(self.b_constraint),
                  'bias': self.bias, 'input_dim': self.input_dim}
        return dict(super().get_config(), **config)


class MaxoutDense(_LegacyDense):
    """The element-wise maximum of `nb_feature` linear Dense(output_dim) maps (Maxout
    Networks, Goodfellow et al. 2013). Linear: add an Activation after it if you want one."""

    def __init__(self, output_dim, nb_feature=4, **kwargs):
        self.output_dim = output_dim
        self.nb_feature = nb_feature
        super().__init__(**kwargs)

    def build(self, input_shape):
        input_dim = input_shape[1]
        self.input_spec = InputSpec(dtype=K.floatx(), shape=(None, input_dim))
        self.W = self._weight('W', (self.nb_feature, input_dim, self.output_dim), self.init,
                              self.W_regularizer, self.W_constraint)
        self.b = (self._weight('b', (self.nb_feature, self.output_dim), 'zeros',
                               self.b_regularizer, self.b_constraint)
                  if self.bias else None)
        self._set_initial_weights()
        self.built = True

    def compute_output_shape(self, input_shape):
        return (input_shape[0], self.output_dim)

    def call(self, x):
        output = K.dot(x, self.W)  # [batch, nb_feature, output_dim]
        if self.bias:
            output += self.b
        return K.max(output, axis=1)

    def get_config(self):
        return dict(super().get_config(), output_dim=self.output_dim,
                    nb_feature=self.nb_feature)


class Highway(_LegacyDense):
    """A densely connected highway layer (Highway Networks, Srivastava et al. 2015): a
    transform gate T = sigmoid(x W_carry + b_carry) mixes activation(x W + b) with x."""

    def __init__(self, init='glorot_uniform', activation=None, **kwargs):
        if 'transform_bias' in kwargs:
            kwargs.pop('transform_bias')
            warnings.warn('`transform_bias` argument is deprecated and has been removed.',
                          stacklevel=2)
        self.activation = activations.get(activation)
        super().__init__(init=init, **kwargs)

    def build(self, input_shape):
        input_dim = input_shape[1]
        self.input_spec = InputSpec(dtype=K.floatx(), shape=(None, input_dim))
        self.W = self._weight('W', (input_dim, input_dim), self.init, self.W_regularizer,
                              self.W_constraint)
        self.W_carry = self._weight('W_carry', (input_dim, input_dim), self.init)
        self.b_carry = None
        if self.bias:
            self.b = self._weight('b', (input_dim,), 'zeros', self.b_regularizer,
                                  self.b_constraint)
            self.b_carry = self._weight('b_carry', (input_dim,), 'ones')
        self._set_initial_weights()
        self.built = True

    def call(self, x):
        y = K.dot(x, self.W_carry)
        if self.bias:
            y += self.b_carry
        transform_weight = activations.sigmoid(y)
        y = K.dot(x, self.W)
        if self.bias:
            y += self.b
        return self.activation(y) * transform_weight + (1 - transform_weight) * x

    def get_config(self):
        return dict(super().get_config(), activation=activations.serialize(self.activation))


def _atrous(conv_name, layers):
    def atrous(*args, **kwargs):
        kwargs['dilation_rate'] = kwargs.pop('atrous_rate', 1)
        warnings.warn('The `Atrous%s` layer  has been deprecated. Use instead the `%s` '
                      'layer with the `dilation_rate` argument.'
                      % (conv_name.replace('Conv', 'Convolution'), conv_name), stacklevel=2)
        return layers[conv_name](*args, **kwargs)
    atrous.__name__ = 'Atrous' + conv_name.replace('Conv', 'Convolution')
    atrous.__doc__ = '%s with `atrous_rate` as its dilation_rate (Keras 1).' % conv_name
    return atrous


def legacy_layers(layers):
    """The layers, for standalone Keras's `keras.layers` whose Keras 1-converting layers
    are `layers` (AtrousConvolution2D(32, 3, 3, atrous_rate=(2, 2)) converts as
    Convolution2D does)."""
    return {'MaxoutDense': MaxoutDense, 'Highway': Highway,
            'AtrousConvolution1D': _atrous('Conv1D', layers),
            'AtrousConvolution2D': _atrous('Conv2D', layers)}


get_custom_objects().update(MaxoutDense=MaxoutDense, Highway=Highway)  # for load_model
