"""tf.contrib.distributions' TF 1.0 names, which TF 1.1 renamed to the ones TensorFlow
Probability keeps, given back on tf1's classes (tf1/contrib_distributions_plain.py and
the renamed classes of tf1/contrib_distributions.py), so that TF 1.0 code runs as written:

    z = tf.contrib.distributions.Normal(mu=mean, sigma=stddev)
    loss = -tf.reduce_sum(z.log_pdf(x)) + tf.contrib.distributions.kl(z, prior)

Each class takes its TF 1.0 arguments by name (`mu=`, `sigma=`, `p=` ...; positional ones
kept their order) and has its parameters under their TF 1.0 names too (`z.sigma`), and
every class has TF 1.0's method names (`pdf`, `log_pdf`, `pmf`, `log_pmf`, `std`,
`get_batch_shape`, `get_event_shape`), its `is_continuous` and `is_reparameterized`, and
its shapes called as TF 1.0's methods (`batch_shape()`, the dynamic shape, as a Tensor).
Read from the TF 1.0.0 and 1.1.0 packages' code."""
import tensorflow_probability as tfp
from tensorflow.python.framework import tensor_shape

# TF 1.0's argument (and parameter) names -> TF 1.1's, for the classes that shared them.
_RENAMES = [
    (('Normal', 'StudentT'), {'mu': 'loc', 'sigma': 'scale'}),
    (('Bernoulli', 'Categorical'), {'p': 'probs'}),
    (('Binomial', 'Multinomial'), {'n': 'total_count', 'p': 'probs'}),
    (('Exponential', 'Poisson'), {'lam': 'rate'}),
    (('Beta',), {'a': 'concentration1', 'b': 'concentration0'}),
    (('Gamma',), {'alpha': 'concentration', 'beta': 'rate'}),
    # TF 1.1-1.15 named InverseGamma's scale `rate`; TFP renamed it.
    (('InverseGamma',), {'alpha': 'concentration', 'beta': 'scale', 'rate': 'scale'}),
    (('Dirichlet',), {'alpha': 'concentration'}),
    (('DirichletMultinomial',), {'n': 'total_count', 'alpha': 'concentration'}),
    (('Uniform',), {'a': 'low', 'b': 'high'}),
    (('QuantizedDistribution',), {'lower_cutoff': 'low', 'upper_cutoff': 'high'}),
    (('MultivariateNormalDiag',), {'mu': 'loc', 'diag_stdev': 'scale_diag'})]
ARGUMENTS = {name: renames for names, renames in _RENAMES for name in names}

# Distribution's methods TF 1.1 renamed.
METHODS = {'pdf': 'prob', 'log_pdf': 'log_prob', 'pmf': 'prob', 'log_pmf': 'log_prob',
           'std': 'stddev'}

# TF 1.0's distributions over counts or categories (`is_continuous=False`), whatever their
# dtype (Poisson's and Binomial's are float), and TFP's newer ones of the kind.
DISCRETE = {'Bernoulli', 'Binomial', 'Categorical', 'DirichletMultinomial', 'Geometric',
            'Multinomial', 'NegativeBinomial', 'OneHotCategorical', 'Poisson',
            'PoissonLogNormalQuadratureCompound', 'QuantizedDistribution'}


class CallableShape(tensor_shape.TensorShape):
    """A distribution's static shape (TF 1.1's `batch_shape` property) that TF 1.0 code
    calls as TF 1.0's method of the name, for the dynamic shape: `batch_shape()` is
    `batch_shape_tensor()`."""

    def __init__(self, static, dynamic):
        super().__init__(static)
        self._dynamic = dynamic

    def __call__(self, name=None):
        return self._dynamic() if name is None else self._dynamic(name=name)


def _shape(tfp_class, name):
    static = getattr(tfp_class, name).fget
    return property(lambda self: CallableShape(static(self), getattr(self, name + '_tensor')),
                    doc=getattr(tfp_class, name).__doc__)


def _is_continuous(self):
    """TF 1.0's: whether the distribution is over a continuum (not counts or categories)."""
    if hasattr(self, 'components'):  # Mixture: TF 1.0 required its components to agree
        return self.components[0].is_continuous
    if hasattr(self, 'distribution'):  # TransformedDistribution, Independent ...
        return self.distribution.is_continuous
    return not any(cls.__name__ in DISCRETE for cls in type(self).__mro__)


def _is_reparameterized(self):
    """TF 1.0's: whether samples are differentiable in the parameters (TF 1.1's
    reparameterization_type FULLY_REPARAMETERIZED)."""
    return self.reparameterization_type == tfp.distributions.FULLY_REPARAMETERIZED


def _alias(old, new):
    def method(self, *args, **kwargs):
        return getattr(self, new)(*args, **kwargs)
    method.__name__ = method.__qualname__ = old
    method.__doc__ = 'TF 1.0\'s name for `%s`.' % new
    return method


def _parameter(cls, new):
    if hasattr(cls, new + '_parameter'):  # probs, logits: whichever was given, or derived
        value = lambda self: getattr(self, new + '_parameter')()  # noqa: E731
    elif hasattr(cls, new):
        value = lambda self: getattr(self, new)  # noqa: E731
    else:  # kept only among the parameters (MultivariateNormalTriL's scale_tril)
        value = lambda self: self.parameters[new]  # noqa: E731
    return property(value, doc='TF 1.0\'s name for `%s`.' % new)


def _renaming_init(base, renames):
    def __init__(self, *args, **kwargs):
        base.__init__(self, *args, **{renames.get(key, key): value
                                      for key, value in kwargs.items()})
    return __init__


def _renamed_parameters(cls, renames):
    return {old: _parameter(cls, new) for old, new in renames.items() if not hasattr(cls, old)}


def names(tfp_class):
    """The attributes a subclass of TFP's `tfp_class` needs for TF 1.0's names: an __init__
    that renames TF 1.0's arguments, the parameters by their TF 1.0 names, the methods."""
    renames = ARGUMENTS.get(tfp_class.__name__, {})
    attributes = {old: _alias(old, new) for old, new in METHODS.items()}
    attributes.update(get_batch_shape=lambda self: self.batch_shape,
                      get_event_shape=lambda self: self.event_shape,
                      batch_shape=_shape(tfp_class, 'batch_shape'),
                      event_shape=_shape(tfp_class, 'event_shape'),
                      is_continuous=property(_is_continuous),
                      is_reparameterized=property(_is_reparameterized),
                      param_shapes=_param_shapes(tfp_class, {}),
                      **_renamed_parameters(tfp_class, renames))
    if renames:
        attributes['__init__'] = _renaming_init(tfp_class, renames)
    return attributes


# TFP's second parameterisations, which TF 1.x's param_shapes left out: name -> the first.
_ALTERNATIVES = {'probs': 'logits', 'log_rate': 'rate'}


def _param_shapes(cls, renames):
    old_names = {new: old for old, new in renames.items()}
    shapes = cls.param_shapes.__func__

    def param_shapes(subclass, sample_shape, name='DistributionParamShapes'):
        """The shapes of the parameters the class takes for samples of `sample_shape`, as
        TF 1.x gave them (stochastic_variables makes a variable of each): by the names
        the class takes, one parameterisation only (logits, not probs too)."""
        given = shapes(subclass, sample_shape, name)
        return {old_names.get(key, key): shape for key, shape in given.items()
                if _ALTERNATIVES.get(key) not in given}
    return classmethod(param_shapes)


def renamed(name, cls, module, **renames):
    """TF 1.0's class `name`, which TF 1.1 renamed `cls`: `cls` taking TF 1.0's arguments
    (`renames`: TF 1.0's name -> TF 1.1's) and having its parameters by them."""
    return type(cls)(name, (cls,), {
        '__module__': module, '__qualname__': name, '__doc__': cls.__doc__,
        '__init__': _renaming_init(cls, renames), **_renamed_parameters(cls, renames),
        'param_shapes': _param_shapes(cls, renames)})


def kl(dist_a, dist_b, allow_nan=False, name=None):
    """TF 1.0's KL(dist_a || dist_b): kl_divergence, refusing a NaN in the result unless
    `allow_nan`, as TF 1.0 did by default."""
    return tfp.distributions.kl_divergence(dist_a, dist_b, allow_nan_stats=allow_nan, name=name)
