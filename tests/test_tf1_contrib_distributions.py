"""tf.contrib.distributions as `python -m tf1` gives it: TensorFlow Probability's
distributions and bijectors (the maintained home of the same classes), in graph mode under
tf.compat.v1, with TF 1.x's functions beside them (percentile, softplus_inverse) and a
one-line error for a name that is in neither."""
import numpy as np
import pytest
import tensorflow.compat.v1 as tf

from tf1 import unsupported
from tf1.api import tensorflow as tf1_api

tf.disable_v2_behavior()
ds = tf1_api.contrib.distributions


def run(*tensors):
    with tf.Session() as sess:
        return sess.run(list(tensors))


def test_the_distributions_score_as_their_formulas_say():
    with tf.Graph().as_default():
        x = tf.constant([[0.5, -1.0]])
        diag = ds.MultivariateNormalDiag(loc=[0.0, 1.0], scale_diag=[1.0, 2.0])
        q, p = ds.Normal(loc=1.0, scale=2.0), ds.Normal(loc=0.0, scale=1.0)
        bernoulli = ds.Bernoulli(logits=[0.0, 2.0])
        lognormal = ds.TransformedDistribution(distribution=p, bijector=ds.bijectors.Exp())
        log_prob, kl, coin, density = run(
            diag.log_prob(x), ds.kl_divergence(q, p), bernoulli.log_prob([1, 0]),
            lognormal.log_prob(2.0))
    expected = sum(-0.5 * ((v - m) / s) ** 2 - np.log(s * np.sqrt(2 * np.pi))
                   for v, m, s in ((0.5, 0.0, 1.0), (-1.0, 1.0, 2.0)))
    assert log_prob[0] == pytest.approx(expected, rel=1e-5)
    assert kl == pytest.approx(np.log(1 / 2) + (4 + 1) / 2 - 0.5, rel=1e-5)
    assert coin == pytest.approx([np.log(0.5), np.log(1 - 1 / (1 + np.exp(-2)))], rel=1e-5)
    assert density == pytest.approx(-np.log(2 * np.sqrt(2 * np.pi)) - np.log(2) ** 2 / 2,
                                     rel=1e-5)


def test_a_reparameterised_sample_trains_a_variational_posterior():
    # The VAE pattern of TF 1.x scripts: fit q = N(mu, sigma) to p = N(3, 0.5) by the KL.
    with tf.Graph().as_default():
        tf.set_random_seed(0)
        mu = tf.Variable(0.0)
        sigma = tf.nn.softplus(tf.Variable(0.0))
        q = ds.Normal(loc=mu, scale=sigma)
        loss = ds.kl_divergence(q, ds.Normal(loc=3.0, scale=0.5)) + 0 * q.sample()
        train = tf.train.AdamOptimizer(0.05).minimize(loss)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            for _ in range(600):
                sess.run(train)
            found = sess.run([mu, sigma])
    assert found == pytest.approx([3.0, 0.5], abs=0.05)


def test_tf1s_functions_beside_them_and_a_name_in_neither():
    with tf.Graph().as_default():
        median, inverse = run(ds.percentile(tf.constant([5.0, 1.0, 3.0, 2.0, 4.0]), 50.0),
                              ds.softplus_inverse(tf.nn.softplus(0.3)))
    assert median == 3.0 and inverse == pytest.approx(0.3, rel=1e-5)
    import tensorflow_probability as tfp
    assert issubclass(ds.Normal, tfp.distributions.Normal)  # tf1's plain subclass of it
    assert ds.bijectors.Exp is tfp.bijectors.Exp
    with pytest.raises(unsupported.UnsupportedApiError, match='matrix_diag_transform.*tfp'):
        ds.matrix_diag_transform


def test_the_modules_tf_1_0_to_1_2_code_imported_by_path():
    # google/seq2seq and TF 1.1's own seq2seq helpers: `from tensorflow.contrib.
    # distributions.python.ops import bernoulli, categorical`.
    ops = tf1_api.contrib.distributions.python.ops
    distributions = tf1_api.contrib.distributions
    assert ops.bernoulli.Bernoulli is distributions.Bernoulli
    assert ops.categorical.Categorical is distributions.Categorical
    assert ops.bijectors.Exp is distributions.bijectors.Exp
    with tf.Graph().as_default(), tf.Session() as sess:
        sample = ops.bernoulli.Bernoulli(probs=1.0, dtype=tf.bool).sample()
        assert sess.run(sample) == True  # noqa: E712 (a NumPy bool)


def test_only_tf1s_names_as_edward_built_its_random_variables_from_them():
    # TFP's newer classes (Empirical among them) shadowed Edward's own of the same name.
    names = dir(ds)
    assert 'Empirical' not in names and 'GaussianProcess' not in names
    assert {'Normal', 'Bernoulli', 'kl_divergence', 'NormalWithSoftplusScale'} <= set(names)
    # TF 1.15's 59 Distribution classes (itself included) but the 7 TFP dropped for good,
    # and TF 1.0's names of 10 that TF 1.1 renamed.
    assert sum(isinstance(getattr(ds, name), type) and issubclass(getattr(ds, name),
                                                                  ds.Distribution)
               for name in names) == 52 + 10
    with pytest.raises(unsupported.UnsupportedApiError, match='Empirical.*tensorflow_prob'):
        ds.Empirical


def test_the_softplus_classes_take_their_parameters_unconstrained():
    # TF 1.x VAEs: the encoder's raw output as the scale, softplus inside the distribution.
    softplus = lambda x: np.log1p(np.exp(x))  # noqa: E731
    with tf.Graph().as_default():
        normal = ds.NormalWithSoftplusScale(loc=[1.0, 2.0], scale=[-1.0, 0.5])
        mvn = ds.MultivariateNormalDiagWithSoftplusScale(loc=[0.0, 0.0], scale_diag=[0.0, 1.0])
        student = ds.StudentTWithAbsDfSoftplusScale(df=-3.7, loc=0.0, scale=0.0)
        gamma = ds.GammaWithSoftplusConcentrationRate(concentration=0.0, rate=1.0)
        inverse = ds.InverseGammaWithSoftplusConcentrationRate(concentration=[0.0, 1.0],
                                                               rate=1.0)
        coin = ds.BernoulliWithSigmoidProbs(logits=[0.0, 2.0])
        first = normal[:1]  # TFP slices it by remaking it from its parameters
        scale, diag, df, student_scale, rate, sliced, prob, concentration, inverse_rate, \
            inverse_first, heads, coin_last = run(
                normal.scale, mvn.stddev(), student.df, student.scale, gamma.rate, first.scale,
                normal.log_prob([1.0, 2.0]), inverse.concentration, inverse.rate,
                inverse[:1].concentration, coin.probs, coin[1:].probs)
    np.testing.assert_allclose(scale, softplus(np.array([-1.0, 0.5])), rtol=1e-6)
    np.testing.assert_allclose(diag, softplus(np.array([0.0, 1.0])), rtol=1e-6)
    assert df == 3.0 and student_scale == pytest.approx(np.log(2))
    assert rate == pytest.approx(softplus(1.0))
    np.testing.assert_allclose(sliced, softplus(np.array([-1.0])), rtol=1e-6)  # once only
    np.testing.assert_allclose(prob, -np.log(scale * np.sqrt(2 * np.pi)), rtol=1e-5)
    assert normal.name.startswith('NormalWithSoftplusScale')
    assert normal.parameters['scale'] == [-1.0, 0.5]
    # TF 1.x's InverseGamma called its scale `rate` (TFP's `scale`).
    np.testing.assert_allclose(concentration, softplus(np.array([0.0, 1.0])), rtol=1e-6)
    assert inverse_rate == pytest.approx(softplus(1.0)) and inverse.batch_shape == [2]
    np.testing.assert_allclose(inverse_first, [np.log(2)], rtol=1e-6)
    np.testing.assert_allclose(heads, 1 / (1 + np.exp([-0.0, -2.0])), rtol=1e-6)
    np.testing.assert_allclose(coin_last, heads[1:], rtol=1e-6)
    assert coin.batch_shape == [2] and coin.dtype == tf.int32


def test_tf_1_0s_names_build_the_same_distributions_as_tf_1_1s():
    """TF 1.0's arguments, parameters, methods, kl() and renamed classes (TF 1.1 renamed
    them all): the same numbers as the TF 1.1 names give."""
    with tf.Graph().as_default():
        old, new = ds.Normal(mu=1.0, sigma=2.0), ds.Normal(loc=1.0, scale=2.0)
        prior = ds.Normal(0.0, 1.0)
        coin = ds.Bernoulli(logits=[0.0, 2.0])
        pairs = [
            (old.log_pdf(0.5), new.log_prob(0.5)), (old.pdf(0.5), new.prob(0.5)),
            (old.std(), new.stddev()), (old.sigma, new.scale),
            (ds.kl(old, prior), ds.kl_divergence(new, prior)),
            (ds.Gamma(alpha=2.0, beta=3.0).log_pdf(1.0),
             ds.Gamma(concentration=2.0, rate=3.0).log_prob(1.0)),
            (ds.Beta(a=2.0, b=3.0).mean(), ds.Beta(2.0, 3.0).mean()),
            (ds.Uniform(a=1.0, b=3.0).mean(), 2.0),
            (ds.Exponential(lam=2.0).log_pmf(1.0), ds.Exponential(rate=2.0).log_prob(1.0)),
            (ds.Bernoulli(p=[0.5, 0.9]).pmf([1, 0]), ds.Bernoulli(probs=[0.5, 0.9]).prob([1, 0])),
            (coin.p, tf.sigmoid([0.0, 2.0])),  # TF 1.0's p, even when made from logits
            (ds.Binomial(n=4.0, p=0.5).mean(), 2.0),
            (ds.MultivariateNormalDiag(mu=[0.0, 1.0], diag_stdev=[1.0, 2.0]).log_pdf([0.5, 0.0]),
             ds.MultivariateNormalDiag([0.0, 1.0], [1.0, 2.0]).log_prob([0.5, 0.0])),
            (ds.MultivariateNormalFull(mu=[0.0, 0.0], sigma=[[4.0, 0.0], [0.0, 1.0]]).std(),
             [2.0, 1.0]),
            (ds.MultivariateNormalCholesky(mu=[1.0, 0.0], chol=[[2.0, 0.0], [0.0, 1.0]]).mu,
             [1.0, 0.0]),
            (ds.NormalWithSoftplusSigma(mu=0.0, sigma=0.0).sigma, np.log(2.0)),
            (ds.GammaWithSoftplusAlphaBeta(alpha=0.0, beta=0.0).beta, np.log(2.0)),
            (ds.InverseGammaWithSoftplusAlphaBeta(alpha=0.0, beta=0.0).beta, np.log(2.0)),
            (ds.BernoulliWithSigmoidP(p=[0.0, 2.0]).p, tf.sigmoid([0.0, 2.0])),
            (ds.InverseGamma(alpha=3.0, beta=2.0).mean(),
             ds.InverseGamma(concentration=3.0, rate=2.0).mean()),  # TF 1.1-1.15's `rate`
            # TF 1.0's dynamic shape, which TF 1.1 renamed batch_shape_tensor()
            (tf.cast(ds.Normal(mu=[0.0, 1.0], sigma=1.0).batch_shape(), tf.float32), [2.0])]
        got = run(*[tf.convert_to_tensor(a, tf.float32) for a, _ in pairs] +
                  [tf.convert_to_tensor(b, tf.float32) for _, b in pairs])
        assert old.get_batch_shape() == new.batch_shape and old.get_event_shape() == []
        assert coin.batch_shape == [2] and coin.event_shape.as_list() == []  # TF 1.1's static
        assert old.is_continuous and old.is_reparameterized
        assert not coin.is_continuous and not coin.is_reparameterized
        assert not ds.Poisson(lam=2.0).is_continuous  # over counts, whatever its dtype
    for index, (a, b) in enumerate(zip(got[:len(pairs)], got[len(pairs):])):
        np.testing.assert_allclose(a, b, rtol=1e-5, err_msg='pair %d' % index)
    with pytest.raises(TypeError, match="missing a required argument: 'concentration'"):
        ds.Gamma(mu=1.0, rate=1.0)  # a TF 1.0 name of another class is not taken


def test_distributions_over_probabilities_have_both_logits_and_probs():
    # TF 1.x computed the one not given (get_logits_and_probs); TFP's leave it None.
    with tf.Graph().as_default():
        coin, die = ds.Bernoulli(logits=[0.0, 2.0]), ds.Categorical(probs=[0.25, 0.75])
        counts = ds.Binomial(total_count=4.0, probs=0.2)
        heads, die_logits, counts_logits = run(coin.probs, die.logits, counts.logits)
        assert coin.logits is coin.logits  # computed once, at construction
    np.testing.assert_allclose(heads, 1 / (1 + np.exp([-0.0, -2.0])), rtol=1e-6)
    np.testing.assert_allclose(die_logits, np.log([0.25, 0.75]), rtol=1e-6)
    assert counts_logits == pytest.approx(np.log(0.2 / 0.8))


def test_param_shapes_name_one_parameterisation_by_the_names_the_class_takes():
    """What stochastic_variables makes a variable of each of: TF 1.x's answer (logits, not
    probs too; rate, not log_rate too), by TF 1.0's names for TF 1.0's classes."""
    expected = {ds.Bernoulli: ['logits'], ds.Gamma: ['concentration', 'rate'],
                ds.Poisson: ['rate'], ds.Normal: ['loc', 'scale'],
                ds.NormalWithSoftplusSigma: ['mu', 'sigma'],
                ds.GammaWithSoftplusAlphaBeta: ['alpha', 'beta'],
                ds.MultivariateNormalDiagWithSoftplusStDev: ['diag_stdev', 'mu']}
    for cls, names in expected.items():
        shapes = cls.param_static_shapes([3, 2])
        assert sorted(shapes) == names, cls.__name__
    assert ds.MultivariateNormalDiagWithSoftplusStDev.param_static_shapes([3, 2]) == {
        'mu': [3, 2], 'diag_stdev': [3, 2]}
    with tf.Graph().as_default():
        assert run(ds.NormalWithSoftplusSigma.param_shapes([4])['sigma']) == [[4]]
