"""tf.contrib.bayesflow.variational_inference (TF 1.0-1.4): the evidence lower bound of a model
whose latent variables are StochasticTensors, with priors given or registered:

    log p(x) >= ELBO = E_q[log p(x|Z)] - KL(q || p)    (analytic KL, where registered)
                     = E_q[log p(x|Z) p(Z)] + H[q]      (analytic entropy)
                     = E_q[log p(x|Z) p(Z) - log q(Z)]  (by the sample)

(Hoffman et al., Stochastic Variational Inference, https://arxiv.org/abs/1206.7051, 2.2).
The KL is TF 1.1-1.4's kl_divergence, which lets a NaN through (TF 1.0's kl() refused it)."""
import tensorflow.compat.v1 as tf
import tensorflow_probability as tfp

from tf1.contrib_bayesflow import stochastic_graph as sg
from tf1.contrib_bayesflow import stochastic_tensor as st

VI_PRIORS = '__vi_priors__'


def register_prior(variational, prior):
    """Give the StochasticTensor `variational`, q(Z), the Distribution `prior`, p(Z), for
    elbo to find."""
    if not isinstance(variational, st.StochasticTensor):
        raise TypeError('variational must be a StochasticTensor')
    if not isinstance(prior, tfp.distributions.Distribution):
        raise TypeError('prior must be a Distribution')
    tf.add_to_collection(VI_PRIORS, (variational, prior))


class _ELBOForm:
    pass


class ELBOForms:
    """How elbo computes each term: `default` tries analytic KL, then analytic entropy,
    then the sample."""
    default, analytic_kl, analytic_entropy, sample = (_ELBOForm() for _ in range(4))

    @staticmethod
    def check_form(form):
        if form not in {ELBOForms.default, ELBOForms.analytic_kl,
                        ELBOForms.analytic_entropy, ELBOForms.sample}:
            raise TypeError('form must be an ELBOForms constant')


def _analytic(form, analytic_form, compute, message, *args):
    """compute() (logging `message`) where `form` allows the analytic term (ELBOForms.default
    or `analytic_form`); None where it does not, or where TFP knows no analytic term and
    `form` does not demand one."""
    if form not in {ELBOForms.default, analytic_form}:
        return None
    try:
        value = compute()
    except NotImplementedError:
        if form == analytic_form:
            raise
        return None
    tf.logging.info(message, *args)
    return value


def elbo(log_likelihood, variational_with_prior=None, keep_batch_dim=True, form=None,
         name='ELBO'):
    """The ELBO of `log_likelihood`, log p(x|Z), a Tensor of its type and shape:
    `variational_with_prior` maps each StochasticTensor q(z) to its prior p(z) (by
    default those upstream of the likelihood, with their registered priors);
    `keep_batch_dim=False` sums the KL or entropy terms over the batch (a Bayesian
    network's weights)."""
    form = ELBOForms.default if form is None else form
    with tf.name_scope(name):
        model = tf.convert_to_tensor(log_likelihood)
        variational_with_prior = _find_variational_and_priors(model, variational_with_prior)
        return _elbo(form, log_likelihood, None, variational_with_prior, keep_batch_dim)


def elbo_with_log_joint(log_joint, variational=None, keep_batch_dim=True, form=None,
                        name='ELBO'):
    """The ELBO of a model that computed the joint, `log_joint` log p(x, Z), with the
    StochasticTensors `variational` (by default those upstream of it); no analytic KL."""
    form = ELBOForms.default if form is None else form
    if form == ELBOForms.analytic_kl:
        raise ValueError('ELBOForms.analytic_kl is not available when using '
                         'elbo_with_log_joint. Use elbo or a different form.')
    with tf.name_scope(name):
        model = tf.convert_to_tensor(log_joint)
        variational_with_prior = None
        if variational is not None:
            variational_with_prior = dict.fromkeys(variational)
        variational_with_prior = _find_variational_and_priors(
            model, variational_with_prior, require_prior=False)
        return _elbo(form, None, log_joint, variational_with_prior, keep_batch_dim)


def _elbo(form, log_likelihood, log_joint, variational_with_prior, keep_batch_dim):
    """The ELBO's terms, each by the first form that `form` allows and that is known."""
    ELBOForms.check_form(form)

    def _reduce(val):
        return val if keep_batch_dim else tf.reduce_sum(val)

    kl_terms, entropy_terms, prior_terms = [], [], []
    for qz, p in variational_with_prior.items():
        q, z = qz.distribution, qz.value()
        divergence = None
        if log_joint is None:
            divergence = _analytic(form, ELBOForms.analytic_kl,
                                   lambda: tfp.distributions.kl_divergence(q, p),
                                   'Using analytic KL between q:%s, p:%s', q, p)
        if divergence is not None:
            kl_terms.append(-1. * _reduce(divergence))
            continue
        entropy = _analytic(form, ELBOForms.analytic_entropy, q.entropy,
                            'Using analytic entropy for q:%s', q)
        if entropy is None and form in {ELBOForms.default, ELBOForms.sample}:
            entropy = -q.log_prob(z)
        if entropy is not None:
            entropy_terms.append(_reduce(entropy))
            if log_likelihood is not None:
                prior_terms.append(_reduce(p.log_prob(z)))
    first_term = log_joint if log_joint is not None else log_likelihood
    return sum([first_term] + kl_terms + entropy_terms + prior_terms)


def _find_variational_and_priors(model, variational_with_prior, require_prior=True):
    """The StochasticTensors upstream of `model`, each with its registered prior, where
    `variational_with_prior` is not given; checked either way."""
    if variational_with_prior is None:
        upstreams = list(sg._upstream_stochastic_nodes([model])[model])
        if not upstreams:
            raise ValueError('No upstream stochastic nodes found for tensor: %s' % model)
        prior_map = dict(tf.get_collection(VI_PRIORS))
        variational_with_prior = {}
        for q in upstreams:
            if require_prior and prior_map.get(q) is None:
                raise ValueError('No prior specified for StochasticTensor: %s' % q.name)
            variational_with_prior[q] = prior_map.get(q)
    if not all(isinstance(q, st.StochasticTensor) for q in variational_with_prior):
        raise TypeError('variationals must be StochasticTensors')
    if not all(p is None or isinstance(p, tfp.distributions.Distribution)
               for p in variational_with_prior.values()):
        raise TypeError('priors must be Distribution objects')
    return variational_with_prior
