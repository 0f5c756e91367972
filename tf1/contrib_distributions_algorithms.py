"""tf.contrib.distributions' samples as TF 1.x drew them, so that a script seeding them
(`sample(n, seed=7)`) draws the numbers it drew under TF 1.x (tf1/seeds.py does the same
for the random ops themselves), and the multivariate normals' moments of TF 1.x's shapes.
With only a graph-level seed the numbers differ: TF 1.x derived the op's seed from the
number of ops built before it, and TFP's `sample` builds other ops around these.

TensorFlow Probability draws most of its samples otherwise: its own gamma sampler, uniform
variates of other shapes and ranges. TF 1.x's own algorithms are put on tf1's classes
(tf1/contrib_distributions_plain.py), written against TFP's attributes:
- the ten of TF 1.x's core distributions whose samples TFP draws otherwise are TensorFlow's
  own TF 1.x code, which TF 2.21 still ships (tensorflow/python/ops/distributions); Normal
  and Categorical TFP draws as TF 1.x did;
- contrib's own ones and the multivariate normals are ported from TF 1.15's
  contrib/distributions (TFP broadcasts the multivariate normals' variance, stddev and
  covariance to the loc's batch shape; TF 1.x's had the scale's), Mixture in
  tf1/contrib_distributions_mixture.py."""
import numpy as np
import tensorflow.compat.v1 as tf
from tensorflow.python.ops.distributions import (
    bernoulli, beta, dirichlet, dirichlet_multinomial, exponential, gamma, laplace, multinomial,
    student_t, uniform)
from tensorflow.python.ops.distributions import util as distribution_util_tf1
from tensorflow_probability.python.internal import distribution_util
from tensorflow_probability.python.internal import prefer_static as ps

from tf1.contrib_distributions_mixture import MIXTURE


def _tf1_core(module, name):
    return {'_sample_n': getattr(module, name)._sample_n}


def _tiny(dtype):
    """The smallest positive normal number, so that a uniform variate is never 0."""
    return np.finfo(dtype.as_numpy_dtype).tiny


def _batch_shape(distribution, n):
    return tf.concat([[n], distribution.batch_shape_tensor()], 0)


def _poisson(self, n, seed=None):
    return tf.random_poisson(self.rate_parameter(), [n], dtype=self.dtype, seed=seed)


def _negative_binomial(self, n, seed=None):
    rate = tf.random_gamma(shape=[n], alpha=self.total_count, beta=tf.exp(-self.logits),
                           dtype=self.dtype, seed=seed)
    return tf.random_poisson(rate, shape=[], dtype=self.dtype,
                             seed=distribution_util_tf1.gen_new_seed(seed, 'negative_binom'))


def _geometric(self, n, seed=None):
    probs = tf.convert_to_tensor(self.probs)
    sampled = tf.random_uniform(tf.concat([[n], tf.shape(probs)], 0), minval=_tiny(self.dtype),
                                maxval=1., seed=seed, dtype=self.dtype)
    return tf.floor(tf.log(sampled) / tf.log1p(-probs))


def _inverse_gamma(self, n, seed=None):
    return 1. / tf.random_gamma(shape=[n], alpha=self.concentration, beta=self.scale,
                                dtype=self.dtype, seed=seed)


def _chi2(self, n, seed=None):
    # TF 1.x's Chi2 was a Gamma(df / 2, 1 / 2).
    return tf.random_gamma(shape=[n], alpha=0.5 * tf.convert_to_tensor(self.df), beta=0.5,
                           dtype=self.dtype, seed=seed)


def _half_normal(self, n, seed=None):
    sampled = tf.random_normal(shape=_batch_shape(self, n), mean=0., stddev=1.,
                               dtype=self.dtype, seed=seed)
    return tf.abs(sampled * self.scale)


def _cauchy(self, n, seed=None):
    probs = tf.random_uniform(shape=_batch_shape(self, n), minval=0., maxval=1.,
                              dtype=self.dtype, seed=seed)
    return self.loc + self.scale * tf.tan(np.pi * (probs - 0.5))


def _logistic_sample(loc, scale, shape, dtype, seed):
    uniform_sample = tf.random_uniform(shape=shape, minval=_tiny(dtype), maxval=1.,
                                       dtype=dtype, seed=seed)
    return (tf.log(uniform_sample) - tf.log1p(-1. * uniform_sample)) * scale + loc


def _logistic(self, n, seed=None):
    return _logistic_sample(self.loc, self.scale, _batch_shape(self, n), self.dtype, seed)


def _relaxed_bernoulli(self, n, seed=None):
    # TF 1.x's: the sigmoid of a Logistic(logits / temperature, 1 / temperature).
    temperature = tf.convert_to_tensor(self.temperature)
    logits = self.logits
    return tf.sigmoid(_logistic_sample(logits / temperature, 1. / temperature,
                                       _batch_shape(self, n), self.dtype, seed))


def _one_hot_categorical(self, n, seed=None):
    logits = tf.convert_to_tensor(self.logits)
    sample_shape = tf.concat([[n], tf.shape(logits)], 0)
    event_size = tf.shape(logits)[-1]
    samples = tf.transpose(tf.multinomial(tf.reshape(logits, [-1, event_size]), n, seed=seed))
    return tf.reshape(tf.one_hot(samples, event_size, dtype=self.dtype), sample_shape)


def _exp_relaxed_one_hot_categorical(self, n, seed=None):
    logits = self.logits_parameter()  # TFP's own base distribution may have been given probs
    event_size = tf.shape(logits)[-1]
    sample_shape = tf.concat([[n], tf.shape(logits)], 0)
    logits_2d = tf.reshape(logits * tf.ones(sample_shape, dtype=self.dtype), [-1, event_size])
    uniform_sample = tf.random_uniform(shape=tf.shape(logits_2d), minval=_tiny(self.dtype),
                                       maxval=1., dtype=self.dtype, seed=seed)
    gumbel = -tf.log(-tf.log(uniform_sample))
    # TF 1.x's reshaped the temperature to [-1, 1], which divides as this does wherever
    # that broadcast (a scalar temperature; one per batch member when n is 1).
    temperature = tf.convert_to_tensor(self.temperature)
    temperature_2d = tf.reshape(
        temperature * tf.ones(tf.concat([[n], tf.shape(logits)[:-1]], 0), self.dtype), [-1, 1])
    return tf.reshape(tf.nn.log_softmax((gumbel + logits_2d) / temperature_2d), sample_shape)


def _multivariate_normal(self, n, seed=None):
    # TF 1.x's: a standard Normal's draws of shape [n] + batch + event (made by one
    # random_normal of their number), then the affine map, TFP's bijector as TF 1.x's.
    shape = tf.concat([[n], self.batch_shape_tensor(), self.event_shape_tensor()], 0)
    return tf.reshape(tf.random_normal([tf.reduce_prod(shape)], dtype=self.dtype, seed=seed),
                      shape)


def _transformed(draw):
    """TFP's TransformedDistribution samples in `_call_sample_n` (TF 1.x's in `_sample_n`):
    its `_call_sample_n`, with `draw(self, n, seed)` giving the base distribution's n
    draws, then the bijector's forward map, left last for TFP's bijector cache."""
    def _call_sample_n(self, sample_shape, seed, **kwargs):
        sample_shape = ps.convert_to_shape_tensor(ps.cast(sample_shape, tf.int32))
        sample_shape, n = self._expand_sample_shape_to_vector(sample_shape, 'sample_shape')
        drawn = draw(self, n, seed() if callable(seed) else seed)
        drawn = tf.reshape(drawn, ps.concat([sample_shape, ps.shape(drawn)[1:]], 0))
        return self.bijector.forward(self._set_sample_static_shape(drawn, sample_shape))
    return _call_sample_n


def _linear_operator_moment(moment):
    """TF 1.x's MultivariateNormalLinearOperator's variance, stddev or covariance (the
    scale's alone: TFP broadcasts it to the loc's batch shape too)."""
    def value(self):
        scale = self.scale
        if distribution_util.is_diagonal_scale(scale):
            variance = tf.square(scale.diag_part())
            return {'covariance': tf.matrix_diag(variance), 'variance': variance,
                    'stddev': tf.abs(scale.diag_part())}[moment]
        if moment == 'covariance':
            return scale.matmul(scale.to_dense(), adjoint_arg=True)
        if isinstance(scale, tf.linalg.LinearOperatorLowRankUpdate) and scale.is_self_adjoint:
            variance = tf.matrix_diag_part(scale.matmul(scale.to_dense()))
        else:
            variance = tf.matrix_diag_part(scale.matmul(scale.to_dense(), adjoint_arg=True))
        return variance if moment == 'variance' else tf.sqrt(variance)
    return value


MULTIVARIATE_NORMAL = {
    '_call_sample_n': _transformed(_multivariate_normal),
    **{'_' + moment: _linear_operator_moment(moment)
       for moment in ('covariance', 'variance', 'stddev')}}

# Attributes of tf1's class of each name.
TF1_ALGORITHMS = {
    **{name: _tf1_core(module, name) for module, name in (
        (bernoulli, 'Bernoulli'), (dirichlet, 'Dirichlet'),
        (dirichlet_multinomial, 'DirichletMultinomial'), (exponential, 'Exponential'),
        (gamma, 'Gamma'), (laplace, 'Laplace'), (multinomial, 'Multinomial'),
        (student_t, 'StudentT'))},
    'Beta': dict(_tf1_core(beta, 'Beta'), total_concentration=property(
        lambda self: self.concentration1 + self.concentration0,
        doc="TF 1.x's Beta's sum of its concentrations.")),
    'Uniform': _tf1_core(uniform, 'Uniform'),  # its `range()` is TFP's, as TF 1.x's
    'Categorical': {'event_size': property(
        lambda self: tf.convert_to_tensor(self._num_categories(), tf.int32, name='event_size'),
        doc="TF 1.x's Categorical's number of classes, a scalar int32 tensor.")},
    'Poisson': {'_sample_n': _poisson},
    'NegativeBinomial': {'_sample_n': _negative_binomial},
    'Geometric': {'_sample_n': _geometric},
    'InverseGamma': {'_sample_n': _inverse_gamma},
    'Chi2': {'_sample_n': _chi2},
    'HalfNormal': {'_sample_n': _half_normal},
    'Cauchy': {'_sample_n': _cauchy},
    'Logistic': {'_sample_n': _logistic},
    'RelaxedBernoulli': {'_sample_n': _relaxed_bernoulli},
    'OneHotCategorical': {'_sample_n': _one_hot_categorical},
    'ExpRelaxedOneHotCategorical': {'_sample_n': _exp_relaxed_one_hot_categorical},
    'RelaxedOneHotCategorical': {'_call_sample_n': _transformed(
        lambda self, n, seed: _exp_relaxed_one_hot_categorical(self.distribution, n, seed))},
    'Mixture': MIXTURE,  # its use_static_graph too
    **{name: MULTIVARIATE_NORMAL for name in (
        'MultivariateNormalDiag', 'MultivariateNormalDiagPlusLowRank',
        'MultivariateNormalFullCovariance', 'MultivariateNormalTriL')},
}
