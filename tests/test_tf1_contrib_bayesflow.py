"""tf1's tf.contrib.bayesflow of TF 1.0-1.4 (ported from TF 1.0): StochasticTensors'
values by their value type, surrogate_loss's score-function terms, the ELBO's three forms
against their formulas, and the VAE and REINFORCE of that time training."""
import numpy as np
import pytest
import tensorflow.compat.v1 as tf

from tf1.api import tensorflow as tf1_api

tf.disable_v2_behavior()
bayesflow = tf1_api.contrib.bayesflow
st, sg, vi = (bayesflow.stochastic_tensor, bayesflow.stochastic_graph,
              bayesflow.variational_inference)
ds = tf1_api.contrib.distributions


def test_the_value_type_chooses_a_sample_or_the_mean_and_where_gradients_flow():
    with tf.Graph().as_default():
        tf.set_random_seed(0)
        mu = tf.Variable([1.0, 2.0])
        logits = tf.Variable([0.0, 1.0])
        normal = ds.Normal(mu=mu, sigma=[0.1, 0.1])
        one = st.StochasticTensor(normal)  # SampleValue() by default
        with st.value_type(st.SampleValue(4)):
            four = st.StochasticTensor(normal)
            choice = st.StochasticTensor(ds.Categorical(logits=logits))
        with st.value_type(st.MeanValue(stop_gradient=True)):
            mean = st.StochasticTensor(normal)
        assert one.value().shape == [2] and four.value().shape == [4, 2]
        assert tf.gradients(tf.reduce_sum(one), mu)[0] is not None  # reparameterised
        assert tf.gradients(tf.reduce_sum(mean), mu)[0] is None  # stop_gradient asked
        assert tf.gradients(tf.reduce_sum(tf.cast(choice, tf.float32)), logits)[0] is None
        assert isinstance(four.value_type, st.SampleValue) and four.distribution is normal
        assert len(tf.get_collection(st.STOCHASTIC_TENSOR_COLLECTION)) == 4
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            sample, mean_value = sess.run([tf.identity(four), tf.convert_to_tensor(mean)])
    np.testing.assert_allclose(mean_value, [1.0, 2.0])
    assert np.abs(sample - [1.0, 2.0]).max() < 1.0 and sample.std(axis=0).min() > 0
    with pytest.raises(TypeError, match='Distribution Value Type'):
        with st.value_type('sample'):
            pass
    with pytest.raises(TypeError, match='instance of Distribution'):
        st.StochasticTensor(tf.zeros([2]))


def test_surrogate_loss_adds_the_score_function_of_each_sample_that_is_not_reparameterised():
    with tf.Graph().as_default():
        logits = tf.constant([0.2, -0.4, 1.0])
        with st.value_type(st.SampleValue(5)):
            choice = st.StochasticTensor(ds.Categorical(logits=logits))
        loss = tf.cast(choice.value(), tf.float32) ** 2
        plain = tf.constant([1.0, 2.0, 3.0, 4.0, 5.0])  # downstream of no stochastic tensor
        surrogate = sg.surrogate_loss([loss])
        with tf.Session() as sess:
            picked, loss_value, surrogate_value = sess.run([choice.value(), loss, surrogate])
            assert sess.run(sg.surrogate_loss([plain])).tolist() == [1, 2, 3, 4, 5]
    log_probs = np.log(np.exp([0.2, -0.4, 1.0]) / np.exp([0.2, -0.4, 1.0]).sum())
    np.testing.assert_allclose(surrogate_value, loss_value + log_probs[picked] * loss_value,
                               rtol=1e-5)
    with pytest.raises(ValueError, match='dimensionality 1 or greater'):
        sg.surrogate_loss([tf.constant(1.0)])


def test_the_elbo_by_analytic_kl_by_entropy_and_by_the_sample():
    with tf.Graph().as_default():
        log_likelihood = tf.constant([-3.0, -4.0])
        q = ds.Normal(mu=[0.5, -0.5], sigma=[0.8, 1.2])
        with st.value_type(st.MeanValue()):
            z = st.StochasticTensor(q)  # z = q's mean: every form is exact to compute
        prior = ds.Normal(mu=0.0, sigma=1.0)
        laplace = ds.Laplace(loc=0.0, scale=1.0)  # no KL(Normal || Laplace) is registered
        by_kl = vi.elbo(log_likelihood, {z: prior})
        by_sample = vi.elbo(log_likelihood, {z: prior}, form=vi.ELBOForms.sample)
        by_entropy = vi.elbo(log_likelihood, {z: laplace})
        summed = vi.elbo(log_likelihood, {z: prior}, keep_batch_dim=False)
        joint = vi.elbo_with_log_joint(log_likelihood, [z], form=vi.ELBOForms.sample)
        vi.register_prior(z, prior)
        registered = vi.elbo(log_likelihood + tf.reduce_sum(z.value()) * 0)
        got = tf.Session().run([by_kl, by_sample, by_entropy, summed, joint, registered])
    mu, sigma, x = np.array([0.5, -0.5]), np.array([0.8, 1.2]), np.array([0.5, -0.5])
    kl = np.log(1 / sigma) + (sigma ** 2 + mu ** 2) / 2 - 0.5
    log_q = -np.log(sigma * np.sqrt(2 * np.pi)) - (x - mu) ** 2 / (2 * sigma ** 2)
    log_p = -np.log(np.sqrt(2 * np.pi)) - x ** 2 / 2
    entropy = 0.5 * np.log(2 * np.pi * np.e * sigma ** 2)
    ll = np.array([-3.0, -4.0])
    np.testing.assert_allclose(got[0], ll - kl, rtol=1e-5)
    np.testing.assert_allclose(got[1], ll + log_p - log_q, rtol=1e-5)
    np.testing.assert_allclose(got[2], ll + entropy + (-np.log(2) - np.abs(x)), rtol=1e-5)
    np.testing.assert_allclose(got[3], ll - kl.sum(), rtol=1e-5)
    np.testing.assert_allclose(got[4], ll - log_q, rtol=1e-5)
    np.testing.assert_allclose(got[5], ll - kl, rtol=1e-5)
    with tf.Graph().as_default():
        orphan = st.StochasticTensor(ds.Normal(0.0, 1.0))
        with pytest.raises(ValueError, match='No prior specified'):
            vi.elbo(orphan.value() * 2.0)
        with pytest.raises(ValueError, match='analytic_kl is not available'):
            vi.elbo_with_log_joint(orphan.value(), form=vi.ELBOForms.analytic_kl)
        with pytest.raises(ValueError, match='does not match type'):
            st.ObservedStochasticTensor(ds.Normal(0.0, 1.0), tf.constant(1, tf.int32))


def test_a_tf_1_0_vae_and_reinforce_train():
    data = (np.random.RandomState(0).rand(64, 4) > 0.5).astype(np.float32)
    with tf.Graph().as_default():
        tf.set_random_seed(1)
        x = tf.placeholder(tf.float32, [None, 4])
        hidden = tf1_api.layers.dense(x, 4)
        with st.value_type(st.SampleValue()):
            q_z = st.StochasticTensor(ds.MultivariateNormalDiag(
                mu=hidden[:, :2], diag_stdev=tf.nn.softplus(hidden[:, 2:])))
        p_x = ds.Bernoulli(logits=tf1_api.layers.dense(q_z, 4))
        vi.register_prior(q_z, ds.MultivariateNormalDiag(mu=tf.zeros([2]),
                                                         diag_stdev=tf.ones([2])))
        elbo = tf.reduce_mean(vi.elbo(tf.reduce_sum(p_x.log_pdf(x), 1)))
        train_vae = tf.train.AdamOptimizer(0.02).minimize(-elbo)
        logits = tf.Variable([0.0, 0.0])
        with st.value_type(st.SampleValue(16)):
            choice = st.StochasticTensor(ds.Categorical(logits=logits))
        loss = tf.cast(tf.not_equal(choice.value(), 1), tf.float32)  # 0 for choosing 1
        train_choice = tf.train.GradientDescentOptimizer(0.5).minimize(
            tf.reduce_mean(sg.surrogate_loss([loss])))
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            first = np.mean([sess.run(elbo, {x: data}) for _ in range(10)])
            for _ in range(150):
                sess.run([train_vae, train_choice], {x: data})
            last = np.mean([sess.run(elbo, {x: data}) for _ in range(10)])
            chose_one = sess.run(tf.nn.softmax(logits))[1]
    assert last > first + 0.5
    assert chose_one > 0.9  # from 0.5, by the score function alone


def test_stochastic_variables_are_samples_of_distributions_whose_parameters_are_variables():
    sv = bayesflow.stochastic_variables
    with tf.Graph().as_default():
        # TF 1.0's docstring example: the sigma variable 0.5, so the scale softplus(0.5).
        half = lambda shape, dtype, partition_info=None: tf.constant(0.5, dtype, shape)  # noqa
        with tf.variable_scope('my_scope', custom_getter=sv.make_stochastic_variable_getter(
                dist_cls=ds.NormalWithSoftplusSigma, param_initializers={'sigma': half},
                prior=lambda shape, dtype: ds.Normal(tf.zeros(shape, dtype), 1.0))):
            v = tf1_api.get_variable('my_var', (10, 20))
        # TF 1.1's names; the scope's initializer for every parameter without its own, a
        # value (not an initializer) giving its variable its shape.
        with tf.variable_scope('other', initializer=tf.constant_initializer(0.25),
                               custom_getter=sv.make_stochastic_variable_getter(
                                   dist_cls=ds.NormalWithSoftplusScale,
                                   param_initializers={'loc': np.ones([3], np.float32)})):
            w = tf1_api.get_variable('w', [3])
        names = {var.op.name: var.shape.as_list() for var in tf.global_variables()}
        elbo = vi.elbo(v.value() * 0.0)  # the registered prior's KL only
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            mu, sample, elbo_value, w_scale, w_loc = sess.run(
                [v.distribution.loc, v.value(), elbo, w.distribution.scale,
                 w.distribution.loc])
    assert isinstance(v, st.StochasticTensor) and sample.shape == (10, 20)
    assert names == {'my_scope/my_var_mu': [10, 20], 'my_scope/my_var_sigma': [10, 20],
                     'other/w_loc': [3], 'other/w_scale': [3]}
    sigma = np.log1p(np.exp(0.5))
    kl = np.log(1 / sigma) + (sigma ** 2 + mu ** 2) / 2 - 0.5
    np.testing.assert_allclose(elbo_value, -kl, rtol=1e-5)
    np.testing.assert_allclose(w_scale, np.log1p(np.exp(0.25)), rtol=1e-6)
    np.testing.assert_allclose(w_loc, [1, 1, 1])


def test_a_bayes_by_backprop_weight_learns_its_posterior():
    sv = bayesflow.stochastic_variables
    x = np.linspace(-1, 1, 64, dtype=np.float32)[:, None]
    with tf.Graph().as_default():
        tf.set_random_seed(0)
        prior = ds.Normal(mu=0.0, sigma=10.0)
        with tf.variable_scope('bayes', initializer=tf.zeros_initializer(),
                               custom_getter=sv.make_stochastic_variable_getter(
                                   dist_cls=ds.NormalWithSoftplusSigma, prior=prior)):
            weight = tf1_api.get_variable('weight', [1, 1])
        y = tf.matmul(x, weight)
        log_likelihood = tf.reduce_sum(ds.Normal(mu=y, sigma=0.1).log_pdf(2.0 * x))
        loss = -tf.reduce_sum(vi.elbo(log_likelihood, keep_batch_dim=False))
        train = tf.train.AdamOptimizer(0.1).minimize(loss)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            for _ in range(400):
                sess.run(train)
            mean, scale = sess.run([weight.distribution.loc, weight.distribution.scale])
    # The posterior of y = w x + N(0, 0.1) over these 64 points: mean 2, scale 0.021, which
    # the scale (from softplus(0) = 0.69) approaches slowly.
    assert abs(mean.item() - 2.0) < 0.1
    assert 0.021 < scale.item() < 0.1


def test_tf_1_x_module_paths_and_what_moved():
    ops = bayesflow.python.ops
    assert ops.stochastic_tensor.StochasticTensor is st.StochasticTensor
    assert ops.variational_inference.elbo is vi.elbo
    assert ops.stochastic_variables.get_stochastic_variable is (
        bayesflow.stochastic_variables.get_stochastic_variable)
    assert bayesflow.stochastic_gradient_estimators.score_function is (
        st.StochasticTensor.__init__.__defaults__[-1])
    with tf.Graph().as_default():
        assert tf.Session().run(bayesflow.special_math.ndtr(0.0)) == 0.5
    with pytest.raises(Exception, match='hmc.*TensorFlow Probability'):
        bayesflow.hmc


def test_monte_carlo_expectations_of_tf_1_0_and_tf_1_15_and_by_importance_sampling():
    mc = bayesflow.monte_carlo
    with tf.Graph().as_default():
        tf.set_random_seed(0)
        loc = tf.constant(1.0)
        p = ds.Normal(loc=loc, scale=1.0)
        samples = p.sample(20000)
        square = lambda x: x ** 2  # noqa: E731  E[x^2] = loc^2 + 1, its gradient 2 loc
        by_samples = mc.expectation(square, samples)
        by_score = mc.expectation(square, samples, log_prob=p.log_prob,
                                  use_reparametrization=False)
        tf_1_0 = mc.expectation(square, p, n=20000)  # TF 1.0-1.3: the distribution
        tf_1_0_named = mc.expectation(square, p=p, z=samples)
        q = ds.Normal(loc=0.0, scale=2.0)
        importance = mc.expectation_importance_sampler(lambda z: z, p.log_prob, q, n=20000)
        log_space = mc.expectation_importance_sampler_logspace(lambda z: z, p.log_prob, q,
                                                               n=20000)  # log E[exp z]
        gradients = tf.gradients(by_samples, loc) + tf.gradients(by_score, loc)
        got = tf.Session().run([by_samples, by_score, tf_1_0, tf_1_0_named, importance,
                                log_space] + gradients)
    np.testing.assert_allclose(got[:4], 2.0, rtol=0.05)
    assert got[0] == pytest.approx(got[1], rel=1e-6)  # the same value; gradients differ
    assert got[4] == pytest.approx(1.0, abs=0.1) and got[5] == pytest.approx(1.5, abs=0.15)
    assert got[6] == pytest.approx(2.0, rel=0.05) and got[7] == pytest.approx(2.0, rel=0.25)
    with pytest.raises(ValueError, match='exactly one of arguments "n" and "z"'):
        mc.expectation(square, p)


def test_entropy_elbo_and_renyi_estimates():
    entropy = bayesflow.entropy
    with tf.Graph().as_default():
        tf.set_random_seed(0)
        q = ds.Normal(mu=0.0, sigma=2.0)
        log_p = ds.Normal(mu=0.0, sigma=1.0).log_prob
        samples = q.sample(20000)
        analytic = entropy.entropy_shannon(q)
        sampled = entropy.entropy_shannon(q, z=samples, form=vi.ELBOForms.sample)
        elbo = entropy.elbo_ratio(log_p, q, z=samples)
        renyi = entropy.renyi_ratio(log_p, q, alpha=0.999, z=samples)
        alphas = [entropy.renyi_alpha(step, 10, 0.1) for step in (0, 10, 20)]
        got = tf.Session().run([analytic, sampled, elbo, renyi] + alphas)
    h_q = 0.5 * np.log(2 * np.pi * np.e * 4)
    kl = np.log(1 / 2) + (4 + 0) / 2 - 0.5  # KL(q || p) for sigmas 2 and 1
    assert got[0] == pytest.approx(h_q, rel=1e-6)
    assert got[1] == pytest.approx(h_q, rel=0.02)
    assert got[2] == pytest.approx(-kl, abs=0.05)  # log p is normalised: ELBO = -KL
    assert got[3] == pytest.approx(-kl, abs=0.05)  # alpha -> 1: the ELBO
    np.testing.assert_allclose(got[4:], [0.99999, 0.1, 0.1], rtol=1e-5)
    with pytest.raises(ValueError, match='n must be None'):
        entropy.entropy_shannon(q, n=3, form=vi.ELBOForms.analytic_entropy)
