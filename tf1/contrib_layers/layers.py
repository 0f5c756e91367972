"""contrib.layers' layers, on tf1/layers with contrib's names and defaults; each takes its
defaults from the arg_scopes in force (tf1/contrib_framework/arg_scope.py), as in TF 1.x."""
import functools
import numbers

import numpy as np
import tensorflow.compat.v1 as tf

from tf1 import layers
from tf1.contrib_framework.arg_scope import add_arg_scope
from tf1.contrib_framework.variables import model_variable
from tf1.contrib_layers import utils
from tf1.contrib_layers.initializers import xavier_initializer
from tf1.layers.base import layer_variable

DATA_FORMAT_NHWC = 'NHWC'
DATA_FORMAT_NCHW = 'NCHW'
DATA_FORMAT_NDHWC = 'NDHWC'
DATA_FORMAT_NCDHW = 'NCDHW'


@add_arg_scope
def fully_connected(inputs, num_outputs, activation_fn=tf.nn.relu, normalizer_fn=None,
                    normalizer_params=None, weights_initializer=xavier_initializer(),
                    weights_regularizer=None, biases_initializer=tf.zeros_initializer(),
                    biases_regularizer=None, reuse=None, variables_collections=None,
                    outputs_collections=None, trainable=True, scope=None):
    """activation_fn(normalizer_fn(inputs · weights) or inputs · weights + biases)."""
    if not isinstance(num_outputs, numbers.Integral):
        raise ValueError('num_outputs must be an int, got %r' % (num_outputs,))
    return _weighted_layer(
        lambda inputs, **options: layers.Dense(num_outputs, **options), 'fully_connected',
        inputs, activation_fn, normalizer_fn, normalizer_params, weights_initializer,
        weights_regularizer, biases_initializer, biases_regularizer, reuse,
        variables_collections, outputs_collections, trainable, scope)


linear = functools.partial(fully_connected, activation_fn=None)


relu = functools.partial(fully_connected, activation_fn=tf.nn.relu)
relu6 = functools.partial(fully_connected, activation_fn=tf.nn.relu6)
elu = functools.partial(fully_connected, activation_fn=tf.nn.elu)


@add_arg_scope
def convolution(inputs, num_outputs, kernel_size, stride=1, padding='SAME', data_format=None,
                rate=1, activation_fn=tf.nn.relu, normalizer_fn=None, normalizer_params=None,
                weights_initializer=xavier_initializer(), weights_regularizer=None,
                biases_initializer=tf.zeros_initializer(), biases_regularizer=None, reuse=None,
                variables_collections=None, outputs_collections=None, trainable=True,
                scope=None, conv_dims=None):
    """A 1-, 2- or 3-D convolution (from the inputs' rank), then normalizer_fn or biases,
    then activation_fn; `rate` is the dilation."""
    if data_format not in (None, 'NWC', 'NCW', 'NHWC', 'NCHW', 'NDHWC', 'NCDHW'):
        raise ValueError('data_format must be None, NWC, NCW, NHWC, NCHW, NDHWC or NCDHW, '
                         'got %r' % (data_format,))

    def make_layer(inputs, **options):
        rank = inputs.shape.ndims
        if conv_dims is not None and rank != conv_dims + 2:
            raise ValueError('Convolution expects input with rank %d, got %d (convolution%dd, '
                             'inputs of shape %s)' % (conv_dims + 2, rank if rank is not None
                                                      else -1, conv_dims, inputs.shape))
        if rank not in (3, 4, 5):
            raise ValueError('convolution needs inputs of rank 3, 4 or 5, got shape %s'
                             % inputs.shape)
        layer_class = {3: layers.Conv1D, 4: layers.Conv2D, 5: layers.Conv3D}[rank]
        return layer_class(num_outputs, kernel_size, stride, padding, _channels(data_format),
                           rate, **options)
    return _weighted_layer(
        make_layer, 'Conv', inputs, activation_fn, normalizer_fn, normalizer_params,
        weights_initializer, weights_regularizer, biases_initializer, biases_regularizer,
        reuse, variables_collections, outputs_collections, trainable, scope)


@add_arg_scope
def convolution2d(inputs, num_outputs, kernel_size, *args, **kwargs):
    """convolution() of images (rank-4 inputs; rank 3 or 5 too, as TF 1.0-1.8 took them).
    A function of its own, as in TF 1.x, whose name repeat() and stack() give their layers'
    scopes (convolution2d_1 ...)."""
    # Past convolution's own arg_scope, as TF 1.x's convolution2d, which gave it every
    # argument, was.
    return convolution.__wrapped__(inputs, num_outputs, kernel_size, *args,
                                   conv_dims=_any_convolution_rank(inputs, 2), **kwargs)


conv2d = convolution2d


@add_arg_scope
def convolution1d(inputs, num_outputs, kernel_size, *args, **kwargs):
    """convolution() of sequences (rank-3 inputs, NWC or NCW)."""
    return convolution.__wrapped__(inputs, num_outputs, kernel_size, *args, conv_dims=1,
                                   **kwargs)


@add_arg_scope
def convolution3d(inputs, num_outputs, kernel_size, *args, **kwargs):
    """convolution() of volumes (rank-5 inputs, NDHWC or NCDHW; rank 3 or 4 too, as TF
    1.0-1.8 took them)."""
    return convolution.__wrapped__(inputs, num_outputs, kernel_size, *args,
                                   conv_dims=_any_convolution_rank(inputs, 3), **kwargs)


def _any_convolution_rank(inputs, conv_dims):
    """conv_dims for convolution2d and convolution3d: none for inputs of any rank
    convolution takes (3, 4, 5), as TF 1.0-1.8's were convolution itself (TF 1.9-1.15's
    refused other ranks than their own: code written for 1.8 and before ran conv2d on
    sequences); else theirs, whose error names the rank they expect."""
    rank = tf.TensorShape(np.shape(inputs)).ndims  # a tensor's own shape, or a list's
    return None if rank in (3, 4, 5) else conv_dims


conv1d, conv3d = convolution1d, convolution3d


@add_arg_scope
def dropout(inputs, keep_prob=0.5, noise_shape=None, is_training=True,
            outputs_collections=None, scope=None, seed=None):
    """Keeps each unit with probability keep_prob (a float or a tensor), scaled by
    1 / keep_prob, when is_training; passes the inputs through otherwise."""
    with _layer_scope(scope, 'Dropout', inputs, None) as sc:
        inputs = tf.convert_to_tensor(inputs)
        layer = layers.Dropout(1 - keep_prob, noise_shape, seed=seed, name=sc.name, _scope=sc)
        outputs = layer.apply(inputs, training=is_training)
        return utils.collect_named_outputs(outputs_collections, sc.name, outputs)


@add_arg_scope
def flatten(inputs, outputs_collections=None, scope=None):
    """[batch, d1, d2, ...] → [batch, d1 · d2 · ...]."""
    with tf.name_scope(scope, 'Flatten', [inputs]) as sc:
        inputs = tf.convert_to_tensor(inputs)
        return utils.collect_named_outputs(outputs_collections, sc, layers.flatten(inputs))


def repeat(inputs, repetitions, layer, *args, **kwargs):
    """`layer` applied `repetitions` times, each output the next one's input, with the same
    other arguments; the layers' scopes are <scope>/<scope>_1, <scope>/<scope>_2 ... (without
    `scope`: Repeat/<layer's name>_1 ...)."""
    return _chain('Repeat', 'repeat', inputs, layer, [args] * repetitions, kwargs)


def stack(inputs, layer, stack_args, **kwargs):
    """`layer` applied once per entry of stack_args (its arguments after the inputs: one
    value or a tuple), each output the next one's input: stack(x, fully_connected,
    [32, 64]) is two layers, of 32 and 64 units. Scopes as in repeat(), under Stack."""
    if not isinstance(stack_args, (list, tuple)):
        raise ValueError('stack_args need to be a list or tuple')
    layer_args = [args if isinstance(args, (list, tuple)) else [args] for args in stack_args]
    return _chain('Stack', 'stack', inputs, layer, layer_args, kwargs)


def _chain(default_scope, fallback_name, inputs, layer, layer_args, kwargs):
    """repeat() and stack(): layer(outputs, *layer_args[i], scope=<name>_<i + 1>) in turn."""
    kwargs = dict(kwargs)
    scope = kwargs.pop('scope', None)
    with tf.variable_scope(scope, default_scope, [inputs]):
        outputs = tf.convert_to_tensor(inputs)
        if scope is None:  # the layer function's name; a partial's function's name
            scope = getattr(layer, '__name__', None) or getattr(
                getattr(layer, 'func', None), '__name__', None) or fallback_name
        for i, args in enumerate(layer_args):
            kwargs['scope'] = '%s_%d' % (scope, i + 1)
            outputs = layer(outputs, *args, **kwargs)
        return outputs


@add_arg_scope
def layer_norm(inputs, center=True, scale=True, activation_fn=None, reuse=None,
               variables_collections=None, outputs_collections=None, trainable=True,
               begin_norm_axis=1, begin_params_axis=-1, scope=None):
    """Normalizes each example over axes begin_norm_axis.. (by default all but the batch
    axis) by its own mean and variance, then scales by gamma and shifts by beta, which
    have the shape of the axes from begin_params_axis on."""
    with _layer_scope(scope, 'LayerNorm', inputs, reuse) as sc:
        inputs = tf.convert_to_tensor(inputs)
        rank = inputs.shape.ndims
        if rank is None:
            raise ValueError('Inputs %s has undefined rank. (layer_norm)' % inputs.name)
        if begin_norm_axis < 0:
            begin_norm_axis += rank
        if not 0 <= begin_norm_axis < rank or begin_params_axis >= rank:
            raise ValueError('begin_params_axis (%d) and begin_norm_axis (%d) must be < '
                             'rank(inputs) (%d) (layer_norm)'
                             % (begin_params_axis, begin_norm_axis, rank))
        params_shape = inputs.shape[begin_params_axis:]
        if not params_shape.is_fully_defined():
            raise ValueError('Inputs %s: shape(inputs)[%s:] is not fully defined: %s '
                             '(layer_norm)' % (inputs.name, begin_params_axis, inputs.shape))
        parameters = {}
        for name, wanted, initializer in (('beta', center, tf.zeros_initializer()),
                                          ('gamma', scale, tf.ones_initializer())):
            if wanted:
                parameters[name] = layer_variable(
                    name, params_shape, inputs.dtype.base_dtype, initializer,
                    trainable=trainable)
                _add_to_collections(parameters[name], variables_collections, name)
        mean, variance = tf.nn.moments(inputs, list(range(begin_norm_axis, rank)),
                                       keep_dims=True)
        epsilon = 1e-3 if inputs.dtype == tf.float16 else 1e-12  # 1e-12 is 0 in float16
        outputs = tf.nn.batch_normalization(inputs, mean, variance, parameters.get('beta'),
                                            parameters.get('gamma'), variance_epsilon=epsilon)
        outputs.set_shape(inputs.shape)
        if activation_fn is not None:
            outputs = activation_fn(outputs)
        return utils.collect_named_outputs(outputs_collections, sc.name, outputs)


@add_arg_scope
def one_hot_encoding(labels, num_classes, on_value=1.0, off_value=0.0,
                     outputs_collections=None, scope=None):
    """tf.one_hot of int labels, as [batch, num_classes] floats."""
    with tf.name_scope(scope, 'OneHotEncoding', [labels, num_classes]) as sc:
        labels = tf.convert_to_tensor(labels)
        if labels.dtype == tf.int32:
            labels = tf.cast(labels, tf.int64)
        outputs = tf.one_hot(labels, num_classes, on_value=on_value, off_value=off_value)
        return utils.collect_named_outputs(outputs_collections, sc, outputs)


@add_arg_scope
def softmax(logits, scope=None):
    """The softmax over the last dimension of logits of any rank >= 2 (slim nets'
    default prediction_fn); the last dimension must be known."""
    with tf.variable_scope(scope, 'softmax', [logits]):
        logits = tf.convert_to_tensor(logits)
        if (logits.shape.ndims is None or logits.shape.ndims < 2 or
                tf.compat.dimension_value(logits.shape[-1]) is None):
            raise ValueError('softmax needs logits of rank 2 or more with a known last '
                             'dimension, got shape %s' % logits.shape)
        predictions = tf.reshape(tf.nn.softmax(tf.reshape(logits, [-1, logits.shape[-1]])),
                                 tf.shape(logits))
        predictions.set_shape(logits.shape)
        return predictions


@add_arg_scope
def maxout(inputs, num_units, axis=-1, scope=None):
    """The maximum over each of `num_units` groups of the features along `axis` (Goodfellow
    et al. 2013); the groups are consecutive features."""
    with tf.variable_scope(scope, 'MaxOut', [inputs]):
        inputs = tf.convert_to_tensor(inputs)
        shape = inputs.get_shape().as_list()
        num_channels = shape[axis]
        if num_channels % num_units:
            raise ValueError('number of features({}) is not a multiple of num_units({})'
                             .format(num_channels, num_units))
        shape[axis] = num_units
        shape += [num_channels // num_units]
        shape = [tf.shape(inputs)[i] if size is None else size for i, size in enumerate(shape)]
        return tf.reduce_max(tf.reshape(inputs, shape), -1, keepdims=False)


@add_arg_scope
def bias_add(inputs, activation_fn=None, initializer=tf.zeros_initializer(), regularizer=None,
             reuse=None, variables_collections=None, outputs_collections=None, trainable=True,
             data_format=DATA_FORMAT_NHWC, scope=None):
    """inputs + `biases` (one per channel: the last axis, or axis 1 for NCHW), then
    activation_fn."""
    _check_image_format(data_format)
    with tf.variable_scope(scope, 'BiasAdd', [inputs], reuse=reuse) as sc:
        inputs = tf.convert_to_tensor(inputs)
        rank = inputs.shape.ndims
        if rank is None:
            raise ValueError('Dims of shape must be known but is None')
        if rank != 4 and data_format == DATA_FORMAT_NCHW:
            raise ValueError('Data format NCHW only supports 4D Tensor')
        num_features = tf.dimension_value(inputs.shape[1 if data_format == DATA_FORMAT_NCHW
                                                       else -1])
        if num_features is None:
            raise ValueError('`C` dimension must be known but is None')
        biases = model_variable(
            'biases', shape=[num_features], dtype=inputs.dtype.base_dtype,
            initializer=initializer, regularizer=regularizer, trainable=trainable,
            collections=utils.get_variable_collections(variables_collections, 'biases'))
        outputs = tf.nn.bias_add(inputs, biases, data_format=data_format)
        if activation_fn is not None:
            outputs = activation_fn(outputs)
        return utils.collect_named_outputs(outputs_collections, sc.name, outputs)


# tf.layers' variable names -> contrib.layers'.
CONTRIB_NAMES = {'kernel': 'weights', 'bias': 'biases', 'depthwise_kernel': 'depthwise_weights',
                 'pointwise_kernel': 'pointwise_weights'}


def _model_variable(getter, name, shape=None, dtype=None, initializer=None,
                    regularizer=None, trainable=True, collections=None, caching_device=None,
                    partitioner=None, use_resource=None,
                    synchronization=tf.VariableSynchronization.AUTO,
                    aggregation=tf.VariableAggregation.NONE, **_):
    """contrib.layers' variables: named weights and biases (tf.layers' kernel and bias;
    CONTRIB_NAMES), made by slim's model_variable as TF 1.x made them, so in
    MODEL_VARIABLES as well as GLOBAL_VARIABLES, and on the device (and with the other
    defaults) an arg_scope of model_variable gives: model_deploy puts a clone's weights on
    the CPU or the parameter servers that way."""
    scope, _, short_name = name.rpartition('/')
    short_name = CONTRIB_NAMES.get(short_name, short_name)
    name = scope + '/' + short_name if scope else short_name
    return model_variable(name, shape=shape, dtype=dtype, initializer=initializer,
                          regularizer=regularizer, trainable=trainable, collections=collections,
                          caching_device=caching_device, partitioner=partitioner,
                          custom_getter=getter, use_resource=use_resource,
                          synchronization=synchronization, aggregation=aggregation)


def _layer_scope(scope, default_name, inputs, reuse):
    return tf.variable_scope(scope, default_name, [inputs], reuse=reuse,
                             custom_getter=_model_variable)


def _weighted_layer(make_layer, default_scope, inputs, activation_fn, normalizer_fn,
                    normalizer_params, weights_initializer, weights_regularizer,
                    biases_initializer, biases_regularizer, reuse, variables_collections,
                    outputs_collections, trainable, scope):
    """fully_connected and the convolutions: the tf.layers layer that make_layer(inputs,
    **options) returns, in contrib's scope and with contrib's variables, then the
    normalizer or the biases, then the activation."""
    with _layer_scope(scope, default_scope, inputs, reuse) as sc:
        inputs = tf.convert_to_tensor(inputs)
        layer = make_layer(
            inputs, use_bias=normalizer_fn is None and biases_initializer is not None,
            kernel_initializer=weights_initializer, bias_initializer=biases_initializer,
            kernel_regularizer=weights_regularizer, bias_regularizer=biases_regularizer,
            trainable=trainable, name=sc.name, dtype=inputs.dtype.base_dtype,
            _scope=sc, _reuse=reuse)
        outputs = layer.apply(inputs)
        _add_to_collections(layer.kernel, variables_collections, 'weights')
        if layer.bias is not None:
            _add_to_collections(layer.bias, variables_collections, 'biases')
        if normalizer_fn is not None:
            outputs = normalizer_fn(outputs, **(normalizer_params or {}))
        if activation_fn is not None:
            outputs = activation_fn(outputs)
        return utils.collect_named_outputs(outputs_collections, sc.name, outputs)


def _add_to_collections(variable, variables_collections, key):
    """variables_collections: collection names for every variable, or a dict of them by
    variable kind ('weights', 'biases', 'beta', 'moving_mean' ...)."""
    for collection in utils.get_variable_collections(variables_collections, key) or ():
        if not any(variable is present for present in tf.get_collection(collection)):
            tf.add_to_collection(collection, variable)


def _channels(data_format):
    """contrib's data formats (NHWC, NCHW ...) as tf.layers'."""
    return 'channels_first' if data_format and data_format.startswith('NC') else 'channels_last'


def _check_image_format(data_format):
    if data_format not in (DATA_FORMAT_NHWC, DATA_FORMAT_NCHW):
        raise ValueError('data_format has to be either NCHW or NHWC. (got %r)' % (data_format,))
