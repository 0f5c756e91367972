"""tf.contrib.kernel_methods (TF 1.4-1.15): random Fourier features approximate the Gaussian
kernel, the multi-class hinge loss is Crammer and Singer's, and KernelLinearClassifier
separates what a linear model cannot. (TF 1.15's own tests of the three modules pass too,
run by hand; TF 1.x's MNIST tutorial gives its documented 97%: docs/tf1.md.)"""
import numpy as np
import pytest
import tensorflow.compat.v1 as tf

from tf1.api import tensorflow as tf1_api

tf.disable_v2_behavior()
pytestmark = pytest.mark.usefixtures('fresh_graph')  # conftest.py
km = tf1_api.contrib.kernel_methods


def test_random_fourier_features_approximate_the_gaussian_kernel():
    rng = np.random.RandomState(0)
    points = rng.randn(6, 10).astype(np.float32)
    mapper = km.RandomFourierFeatureMapper(input_dim=10, output_dim=20000, stddev=3.0)
    features = mapper.map(tf.constant(points))
    with tf.Session() as session:
        mapped = session.run(features)
    distances = ((points[:, None] - points[None]) ** 2).sum(-1)
    np.testing.assert_allclose(mapped @ mapped.T, np.exp(-distances / (2 * 3.0 ** 2)),
                               atol=0.03)
    with pytest.raises(km.python.mappers.dense_kernel_mapper.InvalidShapeError,
                       match='expected 10 input features, got 3 instead'):
        mapper.map(tf.zeros([2, 3]))


def test_sparse_multiclass_hinge_loss_is_crammer_and_singers():
    logits = np.array([[1.0, 3.0, 0.5], [2.0, 0.0, 1.8], [0.0, 0.0, 5.0]], np.float32)
    labels = np.array([1, 0, 2])
    expected = [max(0.0, max(logits[i, j] - logits[i, labels[i]] + 1.0
                             for j in range(3) if j != labels[i])) for i in range(3)]
    loss = km.sparse_multiclass_hinge_loss(tf.constant(labels), tf.constant(logits))
    with tf.Session() as session:
        assert session.run(loss) == pytest.approx(np.mean(expected))
    with pytest.raises(ValueError, match='Invalid dtype for labels'):
        km.sparse_multiclass_hinge_loss(tf.constant([0.5]), tf.constant(logits[:1]))


def circles(count, seed):
    """Two classes a linear model cannot separate: inside or outside a circle."""
    points = np.random.RandomState(seed).uniform(-1, 1, (count, 2)).astype(np.float32)
    return points, ((points ** 2).sum(1) < 0.4).astype(np.int32)


def test_kernel_linear_classifier_separates_circles_a_linear_model_cannot(tmp_path):
    column = tf1_api.contrib.layers.real_valued_column('points', dimension=2)
    mapper = km.RandomFourierFeatureMapper(input_dim=2, output_dim=200, stddev=0.5)
    model = km.KernelLinearClassifier(
        n_classes=2, optimizer=tf.train.FtrlOptimizer(learning_rate=5.0),
        kernel_mappers={column: [mapper]}, model_dir=str(tmp_path))
    x, y = circles(400, seed=0)
    model.fit(input_fn=lambda: ({'points': tf.constant(x)}, tf.constant(y)), steps=100)
    test_x, test_y = circles(200, seed=1)
    test_input = lambda: ({'points': tf.constant(test_x)}, tf.constant(test_y))  # noqa: E731
    assert model.evaluate(input_fn=test_input, steps=1)['accuracy'] > 0.9
    predicted = np.array(list(model.predict_classes(input_fn=test_input)))
    assert (predicted == test_y).mean() > 0.9
    assert 'linear/points_MAPPED/weight' in [name for name, _ in
                                             tf.train.list_variables(str(tmp_path))]
    with pytest.raises(ValueError, match='at least one of feature_columns, kernel_mappers'):
        km.KernelLinearClassifier()
