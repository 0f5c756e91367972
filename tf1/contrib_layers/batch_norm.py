"""contrib.layers' batch_norm: batch normalization with moving averages of the batch
statistics, by the route TF 1.x took for the options given (contrib's own fused code,
tf.layers' BatchNormalization, or contrib's unfused code; batch_norm's docstring)."""
import contextlib

import tensorflow.compat.v1 as tf

from tf1 import layers
from tf1.contrib_framework.arg_scope import add_arg_scope
from tf1.contrib_layers import utils
from tf1.contrib_layers.layers import (DATA_FORMAT_NCHW, DATA_FORMAT_NHWC, _add_to_collections,
                                       _check_image_format, _layer_scope)
from tf1.layers.base import layer_variable
from tf1.layers.normalization import normalize_batch


@add_arg_scope
def batch_norm(inputs, decay=0.999, center=True, scale=False, epsilon=0.001,
               activation_fn=None, param_initializers=None, param_regularizers=None,
               updates_collections=tf.GraphKeys.UPDATE_OPS, is_training=True, reuse=None,
               variables_collections=None, outputs_collections=None, trainable=True,
               batch_weights=None, fused=None, data_format=DATA_FORMAT_NHWC,
               zero_debias_moving_mean=False, scope=None, renorm=False, renorm_clipping=None,
               renorm_decay=0.99, adjustment=None):
    """Batch normalization over every axis but the channels (the last one, or the second
    for NCHW). The moving-average updates go to `updates_collections`, or run with every
    use of the output when it is None.

    TF 1.x took one of three routes, which differ in details kept here:
    - contrib's own fused code for 2-D inputs, zero_debias_moving_mean or other updates
      collections (when fused is not False and there are no batch_weights, renorm or
      adjustment): 2-D inputs reshaped to images, beta created before gamma, no
      param_regularizers;
    - tf.layers.batch_normalization otherwise, the only route with renorm and adjustment;
    - with batch_weights (or fused=False where the layer could not be used), contrib's
      unfused code: weighted moments, beta before gamma, no param_regularizers."""
    _check_image_format(data_format)
    inputs = tf.convert_to_tensor(inputs)
    original_inputs, rank = inputs, inputs.shape.ndims
    if rank is None:
        raise ValueError('Inputs %s has undefined rank. (batch_norm)' % inputs.name)
    default_updates = updates_collections == tf.GraphKeys.UPDATE_OPS
    fused = (fused is not False and batch_weights is None and not renorm and
             adjustment is None and rank in (2, 4))
    through_layer = (default_updates and batch_weights is None and not zero_debias_moving_mean
                     and not (fused and rank == 2))
    if renorm and not through_layer:
        raise ValueError('renorm is not supported with batch_weights, updates_collections or '
                         'zero_debias_moving_mean')
    if through_layer and (renorm or adjustment is not None):
        return _renorm_batch_norm(inputs, decay, center, scale, epsilon, activation_fn,
                                  param_initializers, param_regularizers, is_training, reuse,
                                  variables_collections, outputs_collections, trainable,
                                  data_format, scope, renorm, renorm_clipping, renorm_decay,
                                  adjustment)
    if batch_weights is not None:  # one per example, broadcast over the other axes
        batch_weights = tf.convert_to_tensor(batch_weights)
        inputs.shape[0:1].assert_is_compatible_with(batch_weights.shape)
        batch_weights = tf.reshape(batch_weights, [-1] + [1] * (rank - 1))
    channels = inputs.shape.as_list()[1 if data_format == DATA_FORMAT_NCHW else -1]
    if channels is None:
        raise ValueError('Inputs %s has undefined channels dimension %s. (batch_norm)'
                         % (inputs.name, inputs.shape))
    with _layer_scope(scope, 'BatchNorm', inputs, reuse) as sc:
        if fused and rank == 2:  # as a batch of 1×1 images
            inputs = tf.reshape(inputs, [-1, channels, 1, 1] if data_format == DATA_FORMAT_NCHW
                                else [-1, 1, 1, channels])
        axis = 1 if data_format == DATA_FORMAT_NCHW else inputs.shape.ndims - 1
        initializers = param_initializers or {}
        regularizers = (param_regularizers or {}) if through_layer else {}
        defaults = {'beta': tf.zeros_initializer(), 'gamma': tf.ones_initializer(),
                    'moving_mean': tf.zeros_initializer(),
                    'moving_variance': tf.ones_initializer()}
        wanted = {'beta': center, 'gamma': scale, 'moving_mean': True, 'moving_variance': True}
        order = ('gamma', 'beta') if through_layer else ('beta', 'gamma')
        variables = {}
        # Half-precision inputs keep float32 parameters and statistics (but on contrib's
        # own unfused route), and the moving statistics are never partitioned, as in TF 1.x.
        dtype = inputs.dtype.base_dtype
        param_dtype = (tf.float32 if dtype in (tf.float16, tf.bfloat16) and
                       (through_layer or fused) else dtype)
        for name in order + ('moving_mean', 'moving_variance'):
            if wanted[name]:
                moving = name.startswith('moving_')
                with _scope_options(partitioner=None) if moving else contextlib.nullcontext():
                    variables[name] = layer_variable(
                        name, [channels], param_dtype, initializers.get(name, defaults[name]),
                        regularizers.get(name), trainable=trainable and not moving)
        # assign_moving_average's zero-debiasing variables (moving_mean/biased and
        # local_step) are model variables on the unfused route only, as in TF 1.x.
        with _scope_options(custom_getter=None) if fused else contextlib.nullcontext():
            outputs, updates = normalize_batch(
                inputs, [axis], variables.get('gamma'), variables.get('beta'),
                variables['moving_mean'], variables['moving_variance'], decay, epsilon,
                is_training, fused, batch_weights=batch_weights,
                zero_debias_mean=zero_debias_moving_mean)
        if updates_collections is None:  # the updates run whenever the output is computed
            with tf.control_dependencies(updates):
                outputs = tf.identity(outputs)
        else:
            for update in updates:
                tf.add_to_collections(updates_collections, update)
        if rank == 2 and fused:
            outputs = tf.reshape(outputs, tf.shape(original_inputs))
            outputs.set_shape(original_inputs.shape)
        for name, variable in variables.items():
            _add_to_collections(variable, variables_collections, name)
        if activation_fn is not None:
            outputs = activation_fn(outputs)
        return utils.collect_named_outputs(outputs_collections, sc.name, outputs)


def _renorm_batch_norm(inputs, decay, center, scale, epsilon, activation_fn,
                       param_initializers, param_regularizers, is_training, reuse,
                       variables_collections, outputs_collections, trainable, data_format,
                       scope, renorm, renorm_clipping, renorm_decay, adjustment):
    """batch_norm with batch renormalization or an adjustment: TF 1.x handed these to
    tf.layers' BatchNormalization (renorm_decay is its renorm_momentum), in contrib's
    scope and with contrib's model variables."""
    initializers, regularizers = param_initializers or {}, param_regularizers or {}
    with _layer_scope(scope, 'BatchNorm', inputs, reuse) as sc:
        layer = layers.BatchNormalization(
            axis=1 if data_format == DATA_FORMAT_NCHW else -1, momentum=decay,
            epsilon=epsilon, center=center, scale=scale,
            beta_initializer=initializers.get('beta', tf.zeros_initializer()),
            gamma_initializer=initializers.get('gamma', tf.ones_initializer()),
            moving_mean_initializer=initializers.get('moving_mean', tf.zeros_initializer()),
            moving_variance_initializer=initializers.get('moving_variance',
                                                         tf.ones_initializer()),
            beta_regularizer=regularizers.get('beta'),
            gamma_regularizer=regularizers.get('gamma'), trainable=trainable, renorm=renorm,
            renorm_clipping=renorm_clipping, renorm_momentum=renorm_decay,
            adjustment=adjustment, name=sc.name, _scope=sc, _reuse=reuse)
        outputs = layer.apply(inputs, training=is_training)
        for name in ('moving_mean', 'moving_variance', 'beta', 'gamma'):
            if getattr(layer, name, None) is not None:
                _add_to_collections(getattr(layer, name), variables_collections, name)
        if activation_fn is not None:
            outputs = activation_fn(outputs)
        return utils.collect_named_outputs(outputs_collections, sc.name, outputs)



@contextlib.contextmanager
def _scope_options(**options):
    """The current variable scope with `options` (partitioner=..., custom_getter=...) for
    the block, restored after, as TF 1.x's code did with set_partitioner."""
    scope = tf.get_variable_scope()
    saved = {name: getattr(scope, name) for name in options}
    try:
        for name, value in options.items():
            getattr(scope, 'set_' + name)(value)
        yield
    finally:
        for name, value in saved.items():
            getattr(scope, 'set_' + name)(value)
