"""tf.contrib.bayesflow.monte_carlo (TF 1.0-1.15): Monte Carlo estimates of expectations,
directly or by importance sampling (in log-space, where f(z) p(z) / q(z) spans many orders
of magnitude). TF 1.4 changed `expectation`'s arguments from a distribution to its samples;
both are taken, told apart by the second argument."""
import tensorflow.compat.v1 as tf
import tensorflow_probability as tfp


def expectation(f, samples=None, *args, p=None, **kwargs):
    """E_p[f(X)] by the mean of f over samples: TF 1.4-1.15's
    `expectation(f, samples, log_prob=None, use_reparametrization=True, axis=0,
    keep_dims=False, name=None)`, whose gradient, with `use_reparametrization=False`, is
    the score function's through `log_prob`; or TF 1.0-1.3's
    `expectation(f, p, z=None, n=None, seed=None, name='expectation')`, over the samples `z`
    of the distribution `p` or `n` new ones."""
    if p is not None or isinstance(samples, tfp.distributions.Distribution):
        return _expectation_of_distribution(f, samples if p is None else p, *args, **kwargs)
    return _expectation_of_samples(f, samples, *args, **kwargs)


def _expectation_of_distribution(f, p, z=None, n=None, seed=None, name='expectation'):
    with tf.name_scope(name, values=[n, z]):
        return _sample_mean(f(_get_samples(p, z, n, seed)))


def _expectation_of_samples(f, samples, log_prob=None, use_reparametrization=True, axis=0,
                            keep_dims=False, name=None):
    with tf.name_scope(name, 'expectation', [samples]):
        if not callable(f):
            raise ValueError('`f` must be a callable function.')
        if use_reparametrization:
            return tf.reduce_mean(f(samples), axis=axis, keepdims=keep_dims)
        if not callable(log_prob):
            raise ValueError('`log_prob` must be a callable function.')
        x = tf.stop_gradient(samples)
        logpx = log_prob(x)
        fx = f(x)  # once: f may have side effects
        # h - stop(h) is exactly zero (IEEE 754), and its gradient is h's: f(x)'s gradient
        # gains f(x) grad log p(x), the score function's term.
        fx += tf.stop_gradient(fx) * (logpx - tf.stop_gradient(logpx))
        return tf.reduce_mean(fx, axis=axis, keepdims=keep_dims)


def expectation_importance_sampler(f, log_p, sampling_dist_q, z=None, n=None, seed=None,
                                   name='expectation_importance_sampler'):
    """E_p[f(Z)] = E_q[f(Z) p(Z) / q(Z)] over the samples `z` of `sampling_dist_q` (or `n`
    new ones), p given by `log_p`; f's positive and negative parts each in log-space."""
    q = sampling_dist_q
    with tf.name_scope(name, values=[z, n]):
        z = _get_samples(q, z, n, seed)
        log_p_z = log_p(z)
        q_log_prob_z = q.log_prob(z)

        def _importance_sampler_positive_f(log_f_z):
            return _logspace_mean(log_f_z + log_p_z - q_log_prob_z)

        # E_p[f] = E_p[max(0, f) + 1] - E_p[max(0, -f) + 1]: no logarithm of zero, no bias.
        f_z = f(z)
        log_f_plus_integral = _importance_sampler_positive_f(tf.log(tf.nn.relu(f_z) + 1.))
        log_f_minus_integral = _importance_sampler_positive_f(tf.log(tf.nn.relu(-f_z) + 1.))
    return tf.exp(log_f_plus_integral) - tf.exp(log_f_minus_integral)


def expectation_importance_sampler_logspace(log_f, log_p, sampling_dist_q, z=None, n=None,
                                            seed=None,
                                            name='expectation_importance_sampler_logspace'):
    """log E_p[f(Z)] for a positive f given by `log_f`, by importance sampling from
    `sampling_dist_q`, in log-space."""
    q = sampling_dist_q
    with tf.name_scope(name, values=[z, n]):
        z = _get_samples(q, z, n, seed)
        return _logspace_mean(log_f(z) + log_p(z) - q.log_prob(z))


def _logspace_mean(log_values):
    """log(mean(values)) over the samples (axis 0), around their maximum."""
    center = tf.stop_gradient(tf.reduce_max(log_values, axis=[0]))  # cancels out
    return tf.log(_sample_mean(tf.exp(log_values - center))) + center


def _sample_mean(values):
    return tf.reduce_mean(values, axis=[0])


def _get_samples(dist, z, n, seed):
    with tf.name_scope('get_samples', values=[z, n]):
        if (n is None) == (z is None):
            raise ValueError('Must specify exactly one of arguments "n" and "z".  Found: '
                             'n = %s, z = %s' % (n, z))
        if n is not None:
            return dist.sample(n, seed=seed)
        return tf.convert_to_tensor(z, name='z')
