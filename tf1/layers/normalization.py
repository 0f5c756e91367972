"""Batch normalization."""

import tensorflow.compat.v1 as tf
from tensorflow.python.training import moving_averages

from tf1.layers import normalization_options as options
from tf1.layers.normalization_options import assign_moving_average, cast
from tf1.layers.base import Layer, apply_functional
from tf1.layers.utils import smart_cond, static_value, training_or_learning_phase


class BatchNormalization(Layer):
    """Normalizes each feature (the `axis` dimension) by the batch's mean and variance when
    training, by their moving averages otherwise; then scales by gamma and shifts by beta."""

    supports_masking = True  # TF 1.9-1.15's, from Keras's: a mask passes through
    _config_keys = ('axis', 'momentum', 'epsilon', 'center', 'scale', 'beta_initializer',
                    'gamma_initializer', 'moving_mean_initializer',
                    'moving_variance_initializer', 'beta_regularizer', 'gamma_regularizer',
                    'beta_constraint', 'gamma_constraint')

    def __init__(self, axis=-1, momentum=0.99, epsilon=1e-3, center=True, scale=True,
                 beta_initializer=tf.zeros_initializer(),
                 gamma_initializer=tf.ones_initializer(),
                 moving_mean_initializer=tf.zeros_initializer(),
                 moving_variance_initializer=tf.ones_initializer(), beta_regularizer=None,
                 gamma_regularizer=None, beta_constraint=None, gamma_constraint=None,
                 renorm=False, renorm_clipping=None, renorm_momentum=0.99, fused=None,
                 trainable=True, virtual_batch_size=None, adjustment=None, name=None,
                 **kwargs):
        super(BatchNormalization, self).__init__(trainable=trainable, name=name, **kwargs)
        self.axis = list(axis) if isinstance(axis, (list, tuple)) else [axis]
        self._axis_given = axis  # build rewrites self.axis
        # Batch renormalization (Ioffe, 2017), ghost batches (Hoffer et al., 2017) and an
        # adjustment of the normalized values, as TF 1.15 had them (normalization_options.py).
        self.renorm, self.virtual_batch_size, self.adjustment = (
            renorm, virtual_batch_size, adjustment)
        if renorm:
            renorm_clipping = renorm_clipping or {}
            if set(renorm_clipping) - {'rmax', 'rmin', 'dmax'}:
                raise ValueError('renorm_clipping %s contains keys not in %s'
                                 % (renorm_clipping, ['rmax', 'rmin', 'dmax']))
            self.renorm_clipping, self.renorm_momentum = renorm_clipping, renorm_momentum
        self.momentum, self.epsilon = momentum, epsilon
        self.center, self.scale, self.fused = center, scale, fused
        self.beta_initializer, self.gamma_initializer = beta_initializer, gamma_initializer
        self.moving_mean_initializer = moving_mean_initializer
        self.moving_variance_initializer = moving_variance_initializer
        self.beta_regularizer, self.gamma_regularizer = beta_regularizer, gamma_regularizer
        self.beta_constraint, self.gamma_constraint = beta_constraint, gamma_constraint
        # TF 1.x's switch, for its tests: False makes the fused kernel's moving variance
        # the biased one, as the other path's.
        self._bessels_correction_test_only = True

    def get_config(self):
        config = super(BatchNormalization, self).get_config()
        # The axis as given, which makes the layer again: build rewrites self.axis, shifted
        # by one for ghost batches (TF 1.15's Keras wrote that one).
        config['axis'] = self._axis_given
        # As Keras, TensorFlow's own options only when set, for external Keras to read.
        if self.renorm:
            config.update(renorm=True, renorm_clipping=self.renorm_clipping,
                          renorm_momentum=self.renorm_momentum)
        if self.virtual_batch_size is not None:
            config['virtual_batch_size'] = self.virtual_batch_size
        if self.adjustment is not None:
            tf.logging.warning(
                'The `adjustment` function of this `BatchNormalization` layer cannot be '
                'serialized and has been omitted from the layer config. It will not be '
                'included when re-creating the layer from the saved config.')
        return config

    def build(self, input_shape):
        input_shape = tf.TensorShape(input_shape)
        ndims = input_shape.ndims
        if not ndims:
            raise ValueError('%s needs inputs of known rank, got shape %s'
                             % (self._kind, input_shape))
        if not all(isinstance(a, int) and -ndims <= a < ndims for a in self.axis):
            raise ValueError('%s: axis %s is not an axis of inputs of rank %d'
                             % (self._kind, self.axis, ndims))
        if len(set(a % ndims for a in self.axis)) != len(self.axis):
            raise ValueError('Duplicate axis: %s' % self.axis)
        self.axis = sorted(set(a % ndims for a in self.axis))
        dims = input_shape.as_list()
        if any(dims[a] is None for a in self.axis):
            raise ValueError('%s needs the normalized axis of its inputs defined, got '
                             'shape %s' % (self._kind, input_shape))
        if self.virtual_batch_size is not None:
            if self.virtual_batch_size <= 0:
                raise ValueError('virtual_batch_size must be a positive integer that divides '
                                 'the true batch size of the input Tensor')
            if 0 in self.axis:
                raise ValueError('When using virtual_batch_size, the batch dimension must be '
                                 '0 and thus axis cannot include 0')
            if self.adjustment is not None:
                raise ValueError('When using virtual_batch_size, adjustment cannot be '
                                 'specified')
        # TF 1.x's choice: the fused kernel whenever it applies (images, channels on
        # axis 1 or 3, none of renorm, virtual batches or adjustment), unless fused=False.
        self.fused = (self.fused is not False and ndims == 4 and self.axis in ([1], [3]) and
                      not self.renorm and self.virtual_batch_size is None and
                      self.adjustment is None)
        if len(self.axis) == 1 and self.virtual_batch_size is None:
            param_shape = [dims[self.axis[0]]]
        else:
            param_shape = [dims[a] if a in self.axis else 1 for a in range(ndims)]
            if self.virtual_batch_size is not None:  # the ghost batches' own axis, 1
                param_shape.insert(1, 1)
                self.axis = [a + 1 for a in self.axis]
        # Half-precision inputs keep their statistics in float32, as TF 1.x did.
        param_dtype = tf.float32 if self.dtype in (tf.float16, tf.bfloat16) else self.dtype
        self.gamma = self.beta = None
        if self.scale:
            self.gamma = self.add_weight('gamma', param_shape, param_dtype,
                                         self.gamma_initializer, self.gamma_regularizer,
                                         constraint=self.gamma_constraint)
        if self.center:
            self.beta = self.add_weight('beta', param_shape, param_dtype,
                                        self.beta_initializer, self.beta_regularizer,
                                        constraint=self.beta_constraint)
        # The statistics are never partitioned, whatever the scope's partitioner (TF 1.x's
        # canned DNNs set one): checkpoints name them .../moving_mean, not .../part_0.
        partitioner = self._scope.partitioner if self._scope else None
        if partitioner:
            self._scope.set_partitioner(None)
        try:
            self.moving_mean = self.add_weight('moving_mean', param_shape, param_dtype,
                                               self.moving_mean_initializer, trainable=False)
            self.moving_variance = self.add_weight('moving_variance', param_shape, param_dtype,
                                                   self.moving_variance_initializer,
                                                   trainable=False)
            if self.renorm:
                options.add_renorm_variables(self, param_shape, param_dtype)
        finally:
            if partitioner:
                self._scope.set_partitioner(partitioner)
        self.built = True

    def compute_output_shape(self, input_shape):
        return tf.TensorShape(input_shape)

    def call(self, inputs, training=False):
        training = training_or_learning_phase(training)
        if self.renorm or self.virtual_batch_size is not None or self.adjustment is not None:
            return options.call(self, inputs, training)
        outputs, updates = normalize_batch(
            inputs, self.axis, self.gamma, self.beta, self.moving_mean, self.moving_variance,
            self.momentum, self.epsilon, training, self.fused,
            self._bessels_correction_test_only)
        self.add_update(updates)
        return outputs


def batch_normalization(inputs, axis=-1, momentum=0.99, epsilon=1e-3, center=True, scale=True,
                        beta_initializer=tf.zeros_initializer(),
                        gamma_initializer=tf.ones_initializer(),
                        moving_mean_initializer=tf.zeros_initializer(),
                        moving_variance_initializer=tf.ones_initializer(),
                        beta_regularizer=None, gamma_regularizer=None, beta_constraint=None,
                        gamma_constraint=None, training=False, trainable=True, name=None,
                        reuse=None, renorm=False, renorm_clipping=None, renorm_momentum=0.99,
                        fused=None, virtual_batch_size=None, adjustment=None):
    return apply_functional(BatchNormalization, locals(), training=training)


batch_norm = batch_normalization  # TF 1.x's module had both names


def normalize_batch(inputs, axis, gamma, beta, moving_mean, moving_variance, momentum,
                    epsilon, training, fused, unbiased_fused_variance=True,
                    batch_weights=None, zero_debias_mean=False):
    """Batch normalization over every axis of `inputs` but those in `axis`.

    Returns the outputs and the two ops that move the moving mean and variance toward the
    batch's (none when training is a constant False). `fused` uses the one-kernel op,
    which TF 1.x chose for images; it differs from the other path in one TF 1.x detail
    kept here: its batch variance, which feeds the moving variance, is the unbiased one
    (divided by n - 1), unless `unbiased_fused_variance` is False.

    contrib.layers.batch_norm's options: `batch_weights` (one frequency weight per
    example, broadcastable to the inputs; not fused) weigh the batch statistics, and
    `zero_debias_mean` moves the moving mean as TF's assign_moving_average(zero_debias=
    True) does, with its `biased` and `local_step` variables (Adam's bias correction)."""
    training_value = static_value(training)
    if fused:
        data_format = 'NCHW' if axis == [1] else 'NHWC'
        channels, dtype = moving_mean.shape, moving_mean.dtype.base_dtype
        scale = gamma if gamma is not None else tf.ones(channels, dtype)
        offset = beta if beta is not None else tf.zeros(channels, dtype)

        def batch_statistics():
            return tf.nn.fused_batch_norm(inputs, scale, offset, epsilon=epsilon,
                                          data_format=data_format)

        def moving_statistics():
            return tf.nn.fused_batch_norm(inputs, scale, offset, moving_mean, moving_variance,
                                          epsilon=epsilon, is_training=False,
                                          data_format=data_format)
        outputs, mean, variance = smart_cond(training, batch_statistics, moving_statistics)
        if not unbiased_fused_variance:
            sample_size = tf.cast(tf.size(inputs) / tf.size(variance), variance.dtype)
            variance *= (sample_size - 1) / sample_size
    else:
        ndims = inputs.shape.ndims
        reduction_axes = [i for i in range(ndims) if i not in axis]
        if training_value is False:
            mean, variance = moving_mean, moving_variance
        else:
            # Statistics in the variables' dtype (float32 for half-precision inputs).
            statistics_of = cast(inputs, moving_mean.dtype.base_dtype)
            if batch_weights is None:
                batch_mean, batch_variance = tf.nn.moments(statistics_of, reduction_axes,
                                                           keep_dims=len(axis) > 1)
            else:
                batch_mean, batch_variance = tf.nn.weighted_moments(
                    statistics_of, reduction_axes,
                    cast(batch_weights, moving_mean.dtype.base_dtype),
                    keep_dims=len(axis) > 1)
            mean = smart_cond(training, lambda: batch_mean,
                              lambda: tf.convert_to_tensor(moving_mean))
            variance = smart_cond(training, lambda: batch_variance,
                                  lambda: tf.convert_to_tensor(moving_variance))

        def broadcast(parameter):
            # 1-D statistics line up with the last axis only; another single axis needs a
            # shape like [1, C, 1, 1].
            if parameter is None or len(axis) > 1 or axis == [ndims - 1]:
                return parameter
            shape = [1] * ndims
            shape[axis[0]] = -1
            return tf.reshape(parameter, shape)
        dtype = inputs.dtype.base_dtype
        outputs = tf.nn.batch_normalization(
            inputs, broadcast(cast(mean, dtype)), broadcast(cast(variance, dtype)),
            broadcast(cast(beta, dtype)), broadcast(cast(gamma, dtype)), epsilon)
        outputs.set_shape(inputs.shape)
    if training_value is False:
        return outputs, []

    def update(variable, value, zero_debias=False):
        def move():
            if zero_debias:
                return moving_averages.assign_moving_average(variable, value, momentum,
                                                             zero_debias=True)
            return assign_moving_average(variable, value, momentum)
        return smart_cond(training, move, lambda: tf.identity(variable))
    return outputs, [update(moving_mean, mean, zero_debias_mean),
                     update(moving_variance, variance)]
