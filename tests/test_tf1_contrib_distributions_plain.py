"""tf.contrib.distributions' classes are plain Python objects, as TF 1.x's were, not TFP's
CompositeTensors: TF converts one by the function registered for its class (Edward's random
variables in tf.gradients and Keras layers), and the rest is TFP's, which they subclass."""
import pickle

import numpy as np
import pytest
import tensorflow.compat.v1 as tf
import tensorflow_probability as tfp
from tensorflow.python.framework import composite_tensor
from tensorflow.python.ops.distributions.util import gen_new_seed

from tf1.api import tensorflow as tf1_api

tf.disable_v2_behavior()
ds = tf1_api.contrib.distributions
tfd = tfp.distributions


def run(*tensors):
    with tf.Session() as sess:
        return sess.run(list(tensors))


class RandomVariable(ds.Normal):
    """Edward 1.3.5's idiom: a pass-through __init__ and a tensor conversion to a sample."""

    def __init__(self, *args, **kwargs):
        super(RandomVariable, self).__init__(*args, **kwargs)
        self._value = self.sample()


tf1_api.register_tensor_conversion_function(
    RandomVariable, lambda v, dtype=None, name=None, as_ref=False: v._value)


def test_a_registered_conversion_feeds_gradients_and_keras_layers():
    # TF 1.x's results; TFP's composite was refused by both ("not supported as a gradient
    # source", "*args and **kwargs are not supported").
    with tf.Graph().as_default():
        x = RandomVariable(loc=0.0, scale=1.0)
        y = tf1_api.convert_to_tensor(x) * 2.0
        gradient, = tf1_api.gradients(y, x)
        activated = tf1_api.keras.layers.Activation('tanh')(x)
        assert isinstance(gradient, tf.Tensor) and isinstance(activated, tf.Tensor)
        value, gradient, activated = run(x._value, gradient, activated)
    assert gradient == 2.0 and activated == pytest.approx(np.tanh(value))


def test_no_class_is_a_composite_tensor_but_tfps_own_stay_so():
    classes = [getattr(ds, name) for name in dir(ds)]
    classes = [c for c in classes if isinstance(c, type) and issubclass(c, ds.Distribution)]
    assert len(classes) == 52 + 10 and RandomVariable not in classes  # with TF 1.0's names
    assert not any(issubclass(c, composite_tensor.CompositeTensor)
                   for c in classes + [RandomVariable])
    with tf.Graph().as_default():
        normal = ds.Normal(loc=[0.0, 1.0], scale=1.0)
        assert tf.nest.flatten(normal, expand_composites=True) == [normal]
        assert isinstance(tfd.Normal(loc=0.0, scale=1.0), composite_tensor.CompositeTensor)
        # tf.function takes it as a Python object, not by the TypeSpec TFP's class has.
        log_prob, = run(tf.function(lambda d: d.log_prob(0.0))(normal))
    np.testing.assert_allclose(log_prob, [-0.5 * np.log(2 * np.pi), -0.5 - 0.5 * np.log(
        2 * np.pi)], rtol=1e-6)


def test_they_are_tfps_classes_for_isinstance_and_pickle_by_name():
    with tf.Graph().as_default():
        normal, mvn = ds.Normal(0.0, 1.0), ds.MultivariateNormalDiag(loc=[0.0, 0.0])
        x = RandomVariable(loc=0.0, scale=1.0)
    assert isinstance(normal, ds.Normal) and isinstance(normal, tfd.Normal)
    assert isinstance(x, ds.Distribution) and isinstance(x, tfd.Normal)
    assert isinstance(mvn, ds.Distribution) and isinstance(mvn, tfd.MultivariateNormalDiag)
    assert ds.Normal.__name__ == 'Normal' and ds.Distribution is tfd.Distribution
    assert pickle.loads(pickle.dumps(ds.Normal)) is ds.Normal
    assert ds.python.ops.normal.Normal is ds.Normal  # TF 1.0-1.2's module paths alike


def test_log_probs_are_tfps_and_samples_where_tf1_drew_as_tfp():
    """Samples too, for the distributions TFP draws as TF 1.x drew them (Normal, Categorical,
    a TransformedDistribution of a Normal); tf1's Bernoulli, multivariate normal and Mixture
    draw TF 1.x's (below), of the same shapes."""
    with tf.Graph().as_default():
        made = []
        for family in (ds, tfd):
            normal = family.Normal(loc=[0.0, 1.0], scale=[1.0, 2.0])
            made.append([
                normal,
                family.Bernoulli(logits=[0.0, 2.0]),
                family.Categorical(logits=[0.0, 1.0, -1.0]),
                family.MultivariateNormalDiag(loc=[0.0, 1.0], scale_diag=[1.0, 2.0]),
                family.TransformedDistribution(distribution=normal,
                                               bijector=tfp.bijectors.Exp()),
                family.Mixture(cat=family.Categorical(probs=[0.3, 0.7]),
                               components=[family.Normal(0.0, 1.0),
                                           family.Normal(2.0, 0.5)])])
        assert not any(isinstance(d, composite_tensor.CompositeTensor) for d in made[0])
        points = ([0.5, -1.0], [1, 0], 2, [[0.5, -1.0]], [0.5, 2.0], 0.7)
        ours, theirs = (run(*[t for d, x in zip(family, points)
                              for t in (d.sample(4, seed=7), d.log_prob(x))])
                        for family in made)
    drawn_as_tf1 = {2, 6, 10}  # Bernoulli's, MultivariateNormalDiag's and Mixture's
    for index, (mine, tfps) in enumerate(zip(ours, theirs)):
        assert np.shape(mine) == np.shape(tfps)
        if index not in drawn_as_tf1:
            np.testing.assert_allclose(mine, tfps, rtol=1e-6)


def test_kl_divergence_between_them_and_one_registered_for_them():
    class Point(ds.Deterministic):
        pass

    @ds.RegisterKL(Point, ds.Normal)
    def _kl_point_normal(point, normal, name=None):
        return -normal.log_prob(point.loc)

    with tf.Graph().as_default():
        q, p = ds.Normal(loc=1.0, scale=2.0), ds.Normal(loc=0.0, scale=1.0)
        kl, point_kl = run(ds.kl_divergence(q, p), ds.kl_divergence(Point(loc=1.0), p))
    assert kl == pytest.approx(np.log(1 / 2) + (4 + 1) / 2 - 0.5, rel=1e-5)
    assert point_kl == pytest.approx(0.5 + np.log(np.sqrt(2 * np.pi)), rel=1e-5)


def test_a_subclass_copies_and_slices_as_itself():
    with tf.Graph().as_default():
        x = RandomVariable(loc=[0.0, 1.0], scale=[1.0, 2.0])
        first, copied = x[:1], x.copy(loc=[5.0, 6.0])
        assert type(first) is RandomVariable and type(copied) is RandomVariable
        scale, loc = run(first.scale, copied.loc)
    assert scale.tolist() == [1.0] and loc.tolist() == [5.0, 6.0]


def test_seeded_samples_of_tf1s_core_distributions_are_tf1s():
    """TensorFlow still ships TF 1.x's own distributions (tf.compat.v1.distributions, TF
    1.x's tf.distributions): the oracle for the ten whose samples TFP draws otherwise."""
    tf1x = tf.distributions
    parameters = {
        'Bernoulli': dict(logits=[0.3, -0.6]), 'Gamma': dict(concentration=[2., 3.], rate=[1., 2.]),
        'Beta': dict(concentration1=[2., 3.], concentration0=[1., 2.]),
        'Dirichlet': dict(concentration=[1., 2., 3.]),
        'DirichletMultinomial': dict(total_count=5., concentration=[1., 2., 3.]),
        'Exponential': dict(rate=[1., 2.]), 'Laplace': dict(loc=[0., 1.], scale=[1., 2.]),
        'Multinomial': dict(total_count=5., probs=[0.2, 0.3, 0.5]),
        'StudentT': dict(df=[3., 4.], loc=[0., 1.], scale=[1., 2.]),
        'Uniform': dict(low=[0., 1.], high=[1., 3.])}
    with tf.Graph().as_default():
        tf.set_random_seed(1)
        ours, theirs = ([getattr(family, name)(**kwargs).sample([2, 3], seed=7)
                         for name, kwargs in parameters.items()] for family in (ds, tf1x))
        ours, theirs = run(*ours), run(*theirs)
    for name, mine, tf1s in zip(parameters, ours, theirs):
        assert mine.shape == tf1s.shape, name
        np.testing.assert_allclose(mine, tf1s, rtol=1e-6, err_msg=name)


@pytest.mark.parametrize('use_static_graph', [False, True])
def test_a_seeded_mixture_draws_tf1s_samples(use_static_graph):
    """TF 1.15's Mixture: the categories drawn with the seed, each component with a seed
    made from the one before; by default as often as its category came up, its k-th draw
    (of that batch member) going to the category's k-th place, row by row; with
    use_static_graph, n draws of each, the category's picked in every place. TF 1.x's own
    Categorical and Normal (tf.compat.v1.distributions) are the oracle."""
    probs, locs = [[0.3, 0.7], [0.5, 0.5]], ([0., 0.], [2., 5.])
    with tf.Graph().as_default():
        mixture = ds.Mixture(cat=ds.Categorical(probs=probs),
                             components=[ds.Normal(loc, 1.) for loc in locs],
                             use_static_graph=use_static_graph)
        categories = tf.distributions.Categorical(probs=probs).sample(6, seed=7)
        seeds = [gen_new_seed(7, 'mixture')]
        seeds.append(gen_new_seed(seeds[0], 'mixture'))
        counts = tf.bincount(categories, minlength=2)
        draws = [tf.distributions.Normal(loc, 1.).sample(6 if use_static_graph else count,
                                                         seed=seed)
                 for loc, count, seed in zip(locs, tf.unstack(counts, num=2), seeds)]
        drawn, categories, draws, event_size = run(mixture.sample(6, seed=7), categories, draws,
                                                   mixture.cat.event_size)
    assert event_size == 2  # TF 1.x's Categorical.event_size
    assert mixture.copy().parameters['use_static_graph'] is use_static_graph
    with pytest.raises(ValueError, match=r'cat.num_classes != len\(components\): 2 vs. 1'):
        ds.Mixture(ds.Categorical(probs=[0.5, 0.5]), [ds.Normal(0., 1.)])  # TF 1.15's check
    with pytest.raises(TypeError, match='cat must be a Categorical distribution'):
        ds.Mixture(None, [ds.Normal(0., 1.)])
    assert drawn.shape == (6, 2) and set(np.unique(categories)) == {0, 1}
    taken = [0, 0]
    for place, member in np.ndindex(6, 2):
        category = categories[place, member]
        row = place if use_static_graph else taken[category]
        taken[category] += 1
        assert drawn[place, member] == draws[category][row, member]


def test_seeded_samples_of_contribs_own_distributions_are_tf1s():
    """Each against TF 1.15's algorithm written out (contrib/distributions' _sample_n) with
    the same seeds."""
    tiny = np.finfo(np.float32).tiny

    def uniform(shape, low=tiny):
        return tf.random_uniform(shape, minval=low, maxval=1., seed=7)

    def logistic(loc, scale, shape):
        u = uniform(shape)
        return (tf.log(u) - tf.log1p(-u)) * scale + loc

    with tf.Graph().as_default():
        tf.set_random_seed(1)
        logits = tf.constant([[0.1, -0.4, 0.7], [1.0, 0.0, -1.0]])
        tril = tf.constant([[2., 0., 0.], [0.5, 1., 0.], [0.1, 0.2, 3.]])
        cases = {
            'RelaxedOneHotCategorical': (
                ds.RelaxedOneHotCategorical(0.5, logits=logits),
                tf.reshape(tf.nn.softmax((-tf.log(-tf.log(uniform([8, 3]))) + tf.reshape(
                    logits * tf.ones([4, 2, 3]), [8, 3])) / 0.5), [4, 2, 3])),
            'RelaxedOneHotCategorical given probs': (
                ds.RelaxedOneHotCategorical(0.5, probs=[0.2, 0.8]),
                tf.reshape(tf.nn.softmax((-tf.log(-tf.log(uniform([4, 2]))) + tf.log(
                    [[0.2, 0.8]])) / 0.5), [4, 2])),
            'RelaxedBernoulli': (ds.RelaxedBernoulli(0.5, logits=[0.3, -1.0]),
                                 tf.sigmoid(logistic(tf.constant([0.6, -2.0]), 2.0, [4, 2]))),
            'Logistic': (ds.Logistic(loc=[0., 1.], scale=[1., 2.]),
                         logistic(tf.constant([0., 1.]), tf.constant([1., 2.]), [4, 2])),
            'Poisson': (ds.Poisson(rate=[1., 4.]),
                        tf.random_poisson(tf.constant([1., 4.]), [4], seed=7)),
            'NegativeBinomial': (ds.NegativeBinomial(total_count=3., logits=[0.5, -1.]),
                                 tf.random_poisson(tf.random_gamma(
                                     [4], alpha=3., beta=tf.exp([-0.5, 1.]), seed=7), [],
                                     seed=gen_new_seed(7, 'negative_binom'))),
            'Geometric': (ds.Geometric(probs=[0.2, 0.7]), tf.floor(
                tf.log(uniform([4, 2])) / tf.log1p(-tf.constant([0.2, 0.7])))),
            'InverseGamma': (ds.InverseGamma(concentration=[2., 3.], scale=[1., 2.]), 1. / (
                tf.random_gamma([4], alpha=[2., 3.], beta=[1., 2.], seed=7))),
            'Chi2': (ds.Chi2(df=[2., 5.]),
                     tf.random_gamma([4], alpha=[1., 2.5], beta=0.5, seed=7)),
            'HalfNormal': (ds.HalfNormal(scale=[1., 2.]),
                           tf.abs(tf.random_normal([4, 2], seed=7) * [1., 2.])),
            'Cauchy': (ds.Cauchy(loc=[0., 1.], scale=[1., 2.]), [0., 1.] + tf.constant(
                [1., 2.]) * tf.tan(np.pi * (uniform([4, 2], 0.) - 0.5))),
            'OneHotCategorical': (ds.OneHotCategorical(logits=logits), tf.reshape(tf.one_hot(
                tf.transpose(tf.multinomial(logits, 4, seed=7)), 3), [4, 2, 3])),
            'MultivariateNormalTriL': (
                ds.MultivariateNormalTriL(loc=[[1., 2., 3.], [4., 5., 6.]], scale_tril=tril),
                [[1., 2., 3.], [4., 5., 6.]] + tf.einsum(
                    'ij,nbj->nbi', tril, tf.random_normal([4, 2, 3], seed=7))),
        }
        ours, theirs = (run(*[case[which] if which else case[0].sample(4, seed=7)
                              for case in cases.values()]) for which in (0, 1))
    for name, mine, tf1s in zip(cases, ours, theirs):
        assert mine.shape == tf1s.shape, name
        np.testing.assert_allclose(mine, tf1s, rtol=1e-5, atol=1e-6, err_msg=name)


def test_multivariate_normals_moments_have_tf1s_shapes():
    # TF 1.x's are the scale's; TFP broadcasts them to the loc's batch shape.
    loc = [[1., 2., 3.], [4., 5., 6.]]
    covariance = np.array([[2., 0.5, 0.], [0.5, 1., 0.], [0., 0., 3.]], np.float32)
    with tf.Graph().as_default():
        full = ds.MultivariateNormalFullCovariance(loc=loc, covariance_matrix=covariance)
        diag = ds.MultivariateNormalDiag(loc=loc, scale_diag=[1., 2., 3.])
        values = run(full.mean(), full.covariance(), full.variance(), full.stddev(),
                     diag.covariance(), diag.variance(), diag.stddev())
    np.testing.assert_allclose(values[0], loc)
    np.testing.assert_allclose(values[1], covariance, rtol=1e-5)
    np.testing.assert_allclose(values[2], np.diag(covariance), rtol=1e-5)
    np.testing.assert_allclose(values[3], np.sqrt(np.diag(covariance)), rtol=1e-5)
    np.testing.assert_allclose(values[4], np.diag([1., 4., 9.]))
    np.testing.assert_allclose(values[5], [1., 4., 9.])
    np.testing.assert_allclose(values[6], [1., 2., 3.])
