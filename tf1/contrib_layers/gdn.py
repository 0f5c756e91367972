"""Generalized divisive normalization (Ballé, Laparra and Simoncelli 2016), the activation
of their learned image compression: contrib.layers' GDN layer and gdn function,

    y[i] = x[i] / sqrt(beta[i] + sum_j(gamma[j, i] * x[j]^2))

over the channels at each position (inverse=True multiplies instead: IGDN). beta and gamma
are kept as the square roots `reparam_beta` and `reparam_gamma`, bounded from below by a
maximum whose gradient still lets a variable at the bound rise (op GDNLowerBound, as TF
1.x registered it), so that training slows near zero without getting stuck there."""
import tensorflow.compat.v1 as tf

from tf1.layers.base import Layer
from tf1.layers.input_spec import InputSpec


def _lower_bound_grad(op, grad):
    """Passes the gradient where the input is above the bound, or where following it
    would raise the input; none to the bound."""
    inputs, bound = op.inputs
    pass_through = tf.logical_or(inputs >= bound, grad < 0)
    return [tf.cast(pass_through, grad.dtype) * grad, None]


tf.RegisterGradient('GDNLowerBound')(_lower_bound_grad)


class GDN(Layer):
    """The GDN layer on inputs of rank 3 to 5, channels last or first; beta starts at 1 and
    gamma at gamma_init times the identity, each at least its bound (beta_min for beta)."""

    def __init__(self, inverse=False, beta_min=1e-6, gamma_init=.1, reparam_offset=2 ** -18,
                 data_format='channels_last', activity_regularizer=None, trainable=True,
                 name=None, **kwargs):
        super(GDN, self).__init__(trainable=trainable, name=name,
                                  activity_regularizer=activity_regularizer, **kwargs)
        self.inverse = inverse
        self._beta_min = beta_min
        self._gamma_init = gamma_init
        self._reparam_offset = reparam_offset
        self.data_format = data_format
        self._channel_axis()  # an unknown data_format fails here, not at the first call
        self.input_spec = InputSpec(min_ndim=3, max_ndim=5)

    def _channel_axis(self):
        try:
            return {'channels_first': 1, 'channels_last': -1}[self.data_format]
        except KeyError:
            raise ValueError('Unsupported `data_format` for GDN layer: {}.'.format(
                self.data_format))

    @staticmethod
    def _lower_bound(inputs, bound, name=None):
        """tf.maximum(inputs, bound), with GDNLowerBound's gradient."""
        with tf.name_scope(name, 'GDNLowerBound', [inputs, bound]) as scope:
            inputs = tf.convert_to_tensor(inputs, name='inputs')
            bound = tf.convert_to_tensor(bound, name='bound')
            with tf.get_default_graph().gradient_override_map({'Maximum': 'GDNLowerBound'}):
                return tf.maximum(inputs, bound, name=scope)

    def build(self, input_shape):
        channel_axis = self._channel_axis()
        input_shape = tf.TensorShape(input_shape)
        num_channels = tf.dimension_value(input_shape[channel_axis])
        if num_channels is None:
            raise ValueError('The channel dimension of the inputs to `GDN` must be defined.')
        self._input_rank = input_shape.ndims
        self.input_spec = InputSpec(ndim=input_shape.ndims, axes={channel_axis: num_channels})

        # The variables hold square roots, offset by a pedestal so that a value of 0
        # still has a gradient.
        pedestal = tf.constant(self._reparam_offset ** 2, dtype=self.dtype)
        beta_bound = tf.constant((self._beta_min + self._reparam_offset ** 2) ** .5,
                                 dtype=self.dtype)
        gamma_bound = tf.constant(self._reparam_offset, dtype=self.dtype)

        def beta_initializer(shape, dtype=None, partition_info=None):
            return tf.sqrt(tf.ones(shape, dtype=dtype) + pedestal)

        def gamma_initializer(shape, dtype=None, partition_info=None):
            eye = tf.eye(shape[0], dtype=dtype)
            return tf.sqrt(self._gamma_init * eye + pedestal)

        beta = self.add_variable('reparam_beta', shape=[num_channels],
                                 initializer=beta_initializer, dtype=self.dtype,
                                 trainable=True)
        self.beta = tf.square(self._lower_bound(beta, beta_bound)) - pedestal
        gamma = self.add_variable('reparam_gamma', shape=[num_channels, num_channels],
                                  initializer=gamma_initializer, dtype=self.dtype,
                                  trainable=True)
        self.gamma = tf.square(self._lower_bound(gamma, gamma_bound)) - pedestal
        self.built = True

    def call(self, inputs):
        inputs = tf.convert_to_tensor(inputs, dtype=self.dtype)
        ndim = self._input_rank
        # gamma as a 1×…×1 convolution kernel over the squared inputs: the pool at each
        # position mixes only that position's channels.
        gamma = tf.reshape(self.gamma, (ndim - 2) * [1] + self.gamma.shape.as_list())
        if self.data_format == 'channels_first':
            norm_pool = tf.nn.convolution(tf.square(inputs), gamma, 'VALID',
                                          data_format='NC' + 'DHW'[-(ndim - 2):])
            if ndim == 3:
                norm_pool = tf.expand_dims(norm_pool, 2)
                norm_pool = tf.nn.bias_add(norm_pool, self.beta, data_format='NCHW')
                norm_pool = tf.squeeze(norm_pool, [2])
            elif ndim == 5:
                shape = tf.shape(norm_pool)
                norm_pool = tf.reshape(norm_pool, tf.concat([shape[:3], [-1]], 0))
                norm_pool = tf.nn.bias_add(norm_pool, self.beta, data_format='NCHW')
                norm_pool = tf.reshape(norm_pool, shape)
            else:
                norm_pool = tf.nn.bias_add(norm_pool, self.beta, data_format='NCHW')
        else:
            norm_pool = tf.nn.convolution(tf.square(inputs), gamma, 'VALID')
            norm_pool = tf.nn.bias_add(norm_pool, self.beta, data_format='NHWC')
        norm_pool = tf.sqrt(norm_pool)
        outputs = inputs * norm_pool if self.inverse else inputs / norm_pool
        outputs.set_shape(inputs.shape)
        return outputs

    def compute_output_shape(self, input_shape):
        input_shape = tf.TensorShape(input_shape)
        if not 3 <= input_shape.ndims <= 5:
            raise ValueError('`input_shape` must be of rank 3 to 5, inclusive.')
        if tf.dimension_value(input_shape[self._channel_axis()]) is None:
            raise ValueError('The channel dimension of `input_shape` must be defined.')
        return input_shape


def gdn(inputs, inverse=False, beta_min=1e-6, gamma_init=.1, reparam_offset=2 ** -18,
        data_format='channels_last', activity_regularizer=None, trainable=True, name=None,
        reuse=None):
    """The GDN layer applied to `inputs`, its variables in scope `name` (default gdn)."""
    layer = GDN(inverse=inverse, beta_min=beta_min, gamma_init=gamma_init,
                reparam_offset=reparam_offset, data_format=data_format,
                activity_regularizer=activity_regularizer, trainable=trainable, name=name,
                dtype=inputs.dtype.base_dtype, _scope=name, _reuse=reuse)
    return layer.apply(inputs)
