"""tf.contrib.distributions' classes are plain Python objects, as TF 1.x's were, not TFP's
CompositeTensors: TF converts one by the function registered for its class (Edward's random
variables in tf.gradients and Keras layers), and the rest is TFP's, which they subclass."""
import pickle

import numpy as np
import pytest
import tensorflow.compat.v1 as tf
import tensorflow_probability as tfp
from tensorflow.python.framework import composite_tensor

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


def test_samples_and_log_probs_are_tfps():
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
    for mine, tfps in zip(ours, theirs):
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
