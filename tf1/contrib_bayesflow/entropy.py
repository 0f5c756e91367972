"""tf.contrib.bayesflow.entropy (TF 1.0-1.4): Monte Carlo estimates of the ELBO, Shannon
entropy and Renyi divergence of a distribution q (samples `z`, or `n` new ones):

    q = tf.contrib.distributions.Normal(mu=tf.Variable(0.), sigma=tf.Variable(1.))
    loss = -entropy.elbo_ratio(log_p, q, n=10)  # log_p: the unnormalised log density"""
import math

import tensorflow.compat.v1 as tf

from tf1.contrib_bayesflow import monte_carlo
from tf1.contrib_bayesflow.monte_carlo import _get_samples, _logspace_mean, _sample_mean
from tf1.contrib_bayesflow.variational_inference import ELBOForms, _analytic


def elbo_ratio(log_p, q, z=None, n=None, seed=None, form=None, name='elbo_ratio'):
    """E_q[log p(Z) - log q(Z)]: q's entropy (analytic where known, by `form`) plus the
    sample mean of `log_p`, a callable."""
    form = ELBOForms.default if form is None else form
    with tf.name_scope(name, values=[n, z]):
        z = _get_samples(q, z, n, seed)
        return entropy_shannon(q, z=z, form=form) + _sample_mean(log_p(z))


def entropy_shannon(p, z=None, n=None, seed=None, form=None, name='entropy_shannon'):
    """H[p] = -E_p[log p(Z)]: analytic where known (ELBOForms.default or
    analytic_entropy), else by the samples (ELBOForms.sample)."""
    form = ELBOForms.default if form is None else form
    if n is not None and form == ELBOForms.analytic_entropy:
        raise ValueError('If form == ELBOForms.analytic_entropy, n must be None.')
    with tf.name_scope(name, values=[n, z]):
        if form not in {ELBOForms.default, ELBOForms.analytic_entropy, ELBOForms.sample}:
            raise ValueError('ELBOForm not handled by this function: %s' % form)
        entropy = _analytic(form, ELBOForms.analytic_entropy, p.entropy,
                            'Using analytic entropy(p:%s)', p)
        if entropy is None:
            tf.logging.info('Using sampled entropy(p:%s)', p)
            entropy = -1. * monte_carlo.expectation(p.log_prob, p, z=z, n=n, seed=seed)
        return entropy


def renyi_ratio(log_p, q, alpha, z=None, n=None, seed=None, name='renyi_ratio'):
    """log E_q[(p(Z) / q(Z))^(1 - alpha)] / (1 - alpha): the ELBO as alpha -> 1, log p's
    normaliser as alpha -> 0; computed in log-space."""
    with tf.name_scope(name, values=[alpha, n, z]):
        z = _get_samples(q, z, n, seed)
        log_values = (1. - alpha) * (log_p(z) - q.log_prob(z))
        return _logspace_mean(log_values) / (1. - alpha)


def renyi_alpha(step, decay_time, alpha_min, alpha_max=0.99999, name='renyi_alpha'):
    """An alpha for renyi_ratio that decays from `alpha_max` at step 0 to `alpha_min` at
    `decay_time`, exponentially in the step."""
    with tf.name_scope(name, values=[step, decay_time, alpha_min, alpha_max]):
        alpha_min = tf.convert_to_tensor(alpha_min, name='alpha_min')
        dtype = alpha_min.dtype
        alpha_max = tf.convert_to_tensor(alpha_max, dtype=dtype, name='alpha_max')
        decay_time = tf.cast(decay_time, dtype)
        step = tf.cast(step, dtype)
        checks = [
            tf.assert_rank(step, 0, message='step must be scalar'),
            tf.assert_rank(decay_time, 0, message='decay_time must be scalar'),
            tf.assert_rank(alpha_min, 0, message='alpha_min must be scalar'),
            tf.assert_rank(alpha_max, 0, message='alpha_max must be scalar'),
            tf.assert_non_negative(step, message='step must be non-negative'),
            tf.assert_positive(decay_time, message='decay_time must be positive')]
        with tf.control_dependencies(checks):
            theta = (tf.exp(step / decay_time) - 1.) / (math.e - 1.)
            theta = tf.minimum(tf.maximum(theta, 0.), 1.)
            return alpha_max * (1. - theta) + alpha_min * theta
