"""tf.contrib.bayesflow.stochastic_variables (TF 1.0-1.4): a variable scope's custom getter
that makes a "variable" a StochasticTensor, a sample of a distribution whose parameters are
the variables, as Bayes-by-backprop weights were written then:

    with tf.variable_scope('layer', custom_getter=sv.make_stochastic_variable_getter(
            dist_cls=tf.contrib.distributions.NormalWithSoftplusSigma)):
        w = tf.get_variable('w', [784, 10])  # a sample; variables w_mu and w_sigma"""
import functools

from tf1.contrib_bayesflow import stochastic_tensor as st
from tf1.contrib_bayesflow import variational_inference as vi


def get_stochastic_variable(getter, name, shape=None, dist_cls=None, dist_kwargs=None,
                            param_initializers=None, prior=None, **kwargs):
    """A StochasticTensor of `dist_cls` with samples of `shape`, each parameter of it a
    variable `<name>_<parameter>` made by `getter` (the variable scope's own).

    `dist_cls` takes its parameters unconstrained (NormalWithSoftplusSigma ...); its
    `param_static_shapes(shape)` gives the parameters and their shapes. A parameter is
    initialized by its entry in `param_initializers` (a callable, or a value, which gives
    the variable its shape), else by `kwargs['initializer']` (every such parameter: TF
    1.0-1.4 handed it to the first one only, by set order), else by the getter's default.
    `prior`: a Distribution, or a callable `(TensorShape, dtype) -> Distribution`, which
    is registered as the sample's prior for variational_inference.elbo."""
    param_initializers = param_initializers or {}
    param_shapes = dist_cls.param_static_shapes(shape) if shape is not None else {}
    default_initializer = kwargs.pop('initializer', None)
    params = {}
    for param_name in sorted(set(param_shapes) | set(param_initializers)):
        initializer = param_initializers.get(param_name, default_initializer)
        given_value = initializer is not None and not callable(initializer)
        params[param_name] = getter(
            name + '_' + param_name, shape=None if given_value else param_shapes.get(param_name),
            initializer=initializer, **kwargs)

    sample = st.StochasticTensor(dist_cls(**dict(dist_kwargs or {}, **params)))
    if prior is not None:
        if callable(prior):
            value = sample.value()
            value.get_shape().assert_is_fully_defined()
            prior = prior(value.get_shape(), value.dtype)
        vi.register_prior(sample, prior)
    return sample


def make_stochastic_variable_getter(dist_cls, dist_kwargs=None, param_initializers=None,
                                    prior=None):
    """get_stochastic_variable with the distribution's arguments given: a custom_getter."""
    return functools.partial(get_stochastic_variable, dist_cls=dist_cls,
                             dist_kwargs=dist_kwargs, param_initializers=param_initializers,
                             prior=prior)
