"""tf.contrib.distributions' `...WithSoftplus...` classes, which TensorFlow Probability
(where tf1/api_contrib.py takes the rest of tf.contrib.distributions from) since removed.

The softplus classes take their parameters unconstrained and pass them through softplus
(or a floored absolute value, for degrees of freedom), as TF 1.x's did: a VAE's encoder
outputs a scale directly. Each records its own parameters, as TFP's classes of the kind
did before TFP dropped them, so that TFP's copies and slices of it take them through
softplus once, not twice. Each is a plain Python object, as the rest of
tf.contrib.distributions (tf1/contrib_distributions_plain.py)."""
import tensorflow.compat.v1 as tf
import tensorflow_probability as tfp

from tf1 import contrib_distributions_plain as tfd  # tf.contrib.distributions' own classes
from tf1 import contrib_distributions_tf10 as tf10


def _constrained(self, base, parameters, **given):
    """base.__init__ on `given` (constrained already) under TF 1.x's name scope; then the
    parameters as given, unconstrained: TFP's copies and slices of the distribution remake
    it from them."""
    with tf.name_scope(parameters['name']) as scope:
        base.__init__(self, validate_args=parameters['validate_args'],
                      allow_nan_stats=parameters['allow_nan_stats'], name=scope, **given)
    self._parameters = parameters
    self._as_base = lambda: base(validate_args=parameters['validate_args'],
                                 allow_nan_stats=parameters['allow_nan_stats'], name=scope,
                                 **given)


class _TakesUnconstrained:
    """What the softplus classes share beyond their parameters."""

    def __getitem__(self, slices):
        # TFP slices a distribution's public parameters, which are constrained here, and
        # remakes it from them: as its TFP class, which takes them as they are (TF 1.x's
        # distributions had no slicing).
        return self._as_base()[slices]


def _unconstrained(base, *names, recorded=None):
    """The classmethod `_parameter_properties` of a subclass of TFP's `base` that takes
    `names` unconstrained: base's, without the constraining bijector for those (TFP
    slices, copies and batch-shapes a distribution by them). `recorded`, where the subclass
    records other parameters than base: base's name -> the subclass's, for each it records."""
    def _parameter_properties(cls, dtype, num_classes=None):
        properties = {
            name: tfp.util.ParameterProperties(event_ndims=value.event_ndims)
            if name in names else value
            for name, value in base._parameter_properties(dtype, num_classes).items()}
        if recorded is None:
            return properties
        return {own: properties[theirs] for theirs, own in recorded.items()}
    return classmethod(_parameter_properties)


def _whole(df):  # degrees of freedom: TF 1.x's floor(|df|)
    return tf.floor(tf.abs(df))


class NormalWithSoftplusScale(_TakesUnconstrained, tfd.Normal):
    _parameter_properties = _unconstrained(tfd.Normal, 'scale')

    def __init__(self, loc, scale, validate_args=False, allow_nan_stats=True,
                 name='NormalWithSoftplusScale'):
        _constrained(self, tfd.Normal, dict(locals()), loc=loc, scale=tf.nn.softplus(scale))


class LaplaceWithSoftplusScale(_TakesUnconstrained, tfd.Laplace):
    _parameter_properties = _unconstrained(tfd.Laplace, 'scale')

    def __init__(self, loc, scale, validate_args=False, allow_nan_stats=True,
                 name='LaplaceWithSoftplusScale'):
        _constrained(self, tfd.Laplace, dict(locals()), loc=loc, scale=tf.nn.softplus(scale))


class ExponentialWithSoftplusRate(_TakesUnconstrained, tfd.Exponential):
    _parameter_properties = _unconstrained(tfd.Exponential, 'rate')

    def __init__(self, rate, validate_args=False, allow_nan_stats=True,
                 name='ExponentialWithSoftplusRate'):
        _constrained(self, tfd.Exponential, dict(locals()), rate=tf.nn.softplus(rate))


class GammaWithSoftplusConcentrationRate(_TakesUnconstrained, tfd.Gamma):
    _parameter_properties = _unconstrained(tfd.Gamma, 'concentration', 'rate')

    def __init__(self, concentration, rate, validate_args=False, allow_nan_stats=True,
                 name='GammaWithSoftplusConcentrationRate'):
        _constrained(self, tfd.Gamma, dict(locals()),
                     concentration=tf.nn.softplus(concentration), rate=tf.nn.softplus(rate))


class BetaWithSoftplusConcentration(_TakesUnconstrained, tfd.Beta):
    _parameter_properties = _unconstrained(tfd.Beta, 'concentration1', 'concentration0')

    def __init__(self, concentration1, concentration0, validate_args=False,
                 allow_nan_stats=True, name='BetaWithSoftplusConcentration'):
        _constrained(self, tfd.Beta, dict(locals()),
                     concentration1=tf.nn.softplus(concentration1),
                     concentration0=tf.nn.softplus(concentration0))


class InverseGammaWithSoftplusConcentrationRate(_TakesUnconstrained, tfd.InverseGamma):
    # TF 1.x's InverseGamma named its scale `rate`.
    _parameter_properties = _unconstrained(tfd.InverseGamma, 'concentration', 'scale', recorded={
        'concentration': 'concentration', 'scale': 'rate'})

    def __init__(self, concentration, rate, validate_args=False, allow_nan_stats=True,
                 name='InverseGammaWithSoftplusConcentrationRate'):
        _constrained(self, tfd.InverseGamma, dict(locals()),
                     concentration=tf.nn.softplus(concentration), scale=tf.nn.softplus(rate))


class BernoulliWithSigmoidProbs(_TakesUnconstrained, tfd.Bernoulli):
    # TF 1.x's: Bernoulli(probs=sigmoid(logits)), recording its logits only.
    _parameter_properties = _unconstrained(tfd.Bernoulli, recorded={'logits': 'logits'})

    def __init__(self, logits=None, dtype=tf.int32, validate_args=False, allow_nan_stats=True,
                 name='BernoulliWithSigmoidProbs'):
        _constrained(self, tfd.Bernoulli, dict(locals()), dtype=dtype,
                     probs=tf.nn.sigmoid(logits, name='sigmoid_probs'))


class Chi2WithAbsDf(_TakesUnconstrained, tfd.Chi2):
    _parameter_properties = _unconstrained(tfd.Chi2, 'df')

    def __init__(self, df, validate_args=False, allow_nan_stats=True, name='Chi2WithAbsDf'):
        _constrained(self, tfd.Chi2, dict(locals()), df=_whole(df))


class StudentTWithAbsDfSoftplusScale(_TakesUnconstrained, tfd.StudentT):
    _parameter_properties = _unconstrained(tfd.StudentT, 'df', 'scale')

    def __init__(self, df, loc, scale, validate_args=False, allow_nan_stats=True,
                 name='StudentTWithAbsDfSoftplusScale'):
        _constrained(self, tfd.StudentT, dict(locals()), df=_whole(df), loc=loc,
                     scale=tf.nn.softplus(scale))


class MultivariateNormalDiagWithSoftplusScale(_TakesUnconstrained, tfd.MultivariateNormalDiag):
    _parameter_properties = _unconstrained(tfd.MultivariateNormalDiag, 'scale_diag')

    def __init__(self, loc, scale_diag, validate_args=False, allow_nan_stats=True,
                 name='MultivariateNormalDiagWithSoftplusScale'):
        _constrained(self, tfd.MultivariateNormalDiag, dict(locals()), loc=loc,
                     scale_diag=tf.nn.softplus(scale_diag))


# TF 1.0's names of the classes TF 1.1 renamed, taking TF 1.0's arguments
# (tf1/contrib_distributions_tf10.py).
NormalWithSoftplusSigma = tf10.renamed('NormalWithSoftplusSigma', NormalWithSoftplusScale,
                                       __name__, mu='loc', sigma='scale')
StudentTWithAbsDfSoftplusSigma = tf10.renamed('StudentTWithAbsDfSoftplusSigma',
                                              StudentTWithAbsDfSoftplusScale, __name__,
                                              mu='loc', sigma='scale')
BetaWithSoftplusAB = tf10.renamed('BetaWithSoftplusAB', BetaWithSoftplusConcentration,
                                  __name__, a='concentration1', b='concentration0')
GammaWithSoftplusAlphaBeta = tf10.renamed('GammaWithSoftplusAlphaBeta',
                                          GammaWithSoftplusConcentrationRate, __name__,
                                          alpha='concentration', beta='rate')
InverseGammaWithSoftplusAlphaBeta = tf10.renamed('InverseGammaWithSoftplusAlphaBeta',
                                                 InverseGammaWithSoftplusConcentrationRate,
                                                 __name__, alpha='concentration', beta='rate')
BernoulliWithSigmoidP = tf10.renamed('BernoulliWithSigmoidP', BernoulliWithSigmoidProbs,
                                     __name__, p='logits')
ExponentialWithSoftplusLam = tf10.renamed('ExponentialWithSoftplusLam',
                                          ExponentialWithSoftplusRate, __name__, lam='rate')
MultivariateNormalDiagWithSoftplusStDev = tf10.renamed(
    'MultivariateNormalDiagWithSoftplusStDev', MultivariateNormalDiagWithSoftplusScale,
    __name__, mu='loc', diag_stdev='scale_diag')
# TF 1.1 made both MultivariateNormalTriL; TF 1.2 added MultivariateNormalFullCovariance.
MultivariateNormalCholesky = tf10.renamed('MultivariateNormalCholesky',
                                          tfd.MultivariateNormalTriL, __name__,
                                          mu='loc', chol='scale_tril')
MultivariateNormalFull = tf10.renamed('MultivariateNormalFull',
                                      tfd.MultivariateNormalFullCovariance, __name__,
                                      mu='loc', sigma='covariance_matrix')
