"""tf.contrib.kernel_methods (TF 1.4-1.15): explicit kernel mappings for linear models, as
TF 1.x's MNIST tutorial "Improving Linear Models Using Explicit Kernel Methods" used them:
RandomFourierFeatureMapper (Rahimi and Recht's random Fourier features, approximating a
Gaussian kernel), KernelLinearClassifier (contrib.learn's linear classifier over the
mapped columns) and sparse_multiclass_hinge_loss. Ported from TF 1.15's
contrib/kernel_methods/python."""
import abc
import math

import numpy as np
import tensorflow.compat.v1 as tf

from tf1.contrib_layers.feature_column import RealValuedColumn, real_valued_column
from tf1.contrib_learn_canned import _linear_model_fn
from tf1.contrib_learn_estimator import Estimator
from tf1.contrib_learn_head import classifier_head

__all__ = ['KernelLinearClassifier', 'RandomFourierFeatureMapper',
           'sparse_multiclass_hinge_loss']


class InvalidShapeError(Exception):
    """An input tensor a mapper cannot map (not [batch, input_dim])."""


class DenseKernelMapper(abc.ABC):
    """Maps a dense [batch, input_dim] tensor to [batch, output_dim] features."""

    @abc.abstractmethod
    def map(self, input_tensor):
        raise NotImplementedError('map is not implemented for {}.'.format(self))

    @property
    @abc.abstractmethod
    def name(self):
        """A name for the mapper."""

    @property
    @abc.abstractmethod
    def output_dim(self):
        """The number of features it maps to."""


class RandomFourierFeatureMapper(DenseKernelMapper):
    """x -> sqrt(2 / output_dim) cos(x Ω + b), Ω ~ N(0, 1/stddev²) and b ~ U[0, 2π) drawn
    from NumPy seeded with `seed`: a Gaussian (RBF) kernel of width `stddev`, approximated
    by inner products of the features."""

    def __init__(self, input_dim, output_dim, stddev=1.0, seed=1, name=None):
        self._input_dim = input_dim
        self._output_dim = output_dim
        self._stddev = stddev
        self._seed = seed
        self._name = name

    @property
    def name(self):
        return self._name or str(id(self))

    @property
    def input_dim(self):
        return self._input_dim

    @property
    def output_dim(self):
        return self._output_dim

    def map(self, input_tensor):
        shape = input_tensor.get_shape()
        if len(shape) != 2:
            raise InvalidShapeError('The shape of the tensor should be 2. Got %d instead.'
                                    % len(shape))
        features_dim = tf.dimension_value(shape[1])
        if features_dim != self._input_dim:
            raise InvalidShapeError('Invalid dimension: expected %d input features, got %s '
                                    'instead.' % (self._input_dim, features_dim))
        # NumPy's global generator, seeded as TF 1.x seeded it: the same Ω and b as a TF 1.x
        # run with this seed (and, as then, a reseeded np.random afterwards).
        np.random.seed(self._seed)
        omega = tf.constant(np.random.normal(scale=1.0 / self._stddev,
                                             size=[self._input_dim, self._output_dim]),
                            dtype=tf.float32)
        bias = tf.constant(np.random.uniform(low=0.0, high=2 * np.pi, size=[self._output_dim]),
                           dtype=tf.float32)
        return math.sqrt(2.0 / self._output_dim) * tf.cos(
            tf.add(tf.matmul(input_tensor, omega), bias))


class KernelLinearClassifier(Estimator):
    """contrib.learn's linear classifier over `feature_columns` plus, for each real-valued
    column in `kernel_mappers` ({column: [mapper, ...]}), its mapped features (a column
    `NAME_MAPPED`). Ftrl by default, as LinearClassifier."""

    def __init__(self, feature_columns=None, model_dir=None, n_classes=2,
                 weight_column_name=None, optimizer=None, kernel_mappers=None, config=None):
        if not feature_columns and not kernel_mappers:
            raise ValueError('You should set at least one of feature_columns, kernel_mappers.')
        if kernel_mappers is not None and not all(
                isinstance(mapper, DenseKernelMapper)
                for mappers in kernel_mappers.values() for mapper in mappers):
            raise ValueError('Invalid kernel mappers.')
        params = {'head': classifier_head(n_classes, weight_column_name),
                  'feature_columns': tuple(feature_columns or ()), 'optimizer': optimizer,
                  'gradient_clip_norm': None, 'kernel_mappers': kernel_mappers}
        super(KernelLinearClassifier, self).__init__(
            model_fn=_kernel_model_fn, model_dir=model_dir, config=config, params=params)

    def predict_classes(self, input_fn=None):
        """The predicted class of each example, one at a time."""
        return (prediction['classes'] for prediction in
                self.predict(input_fn=input_fn, outputs=['classes']))

    def predict_proba(self, input_fn=None):
        """Each example's class probabilities, one at a time."""
        return (prediction['probabilities'] for prediction in
                self.predict(input_fn=input_fn, outputs=['probabilities']))


def _kernel_model_fn(features, labels, mode, params):
    features, columns = _mapped_features_and_columns(
        features, params['feature_columns'], params['kernel_mappers'])
    return _linear_model_fn(features, labels, mode, dict(params, feature_columns=columns))


def _mapped_features_and_columns(features, feature_columns, kernel_mappers):
    """The features with each mapped column's features added (`NAME_MAPPED`: its mappers'
    outputs side by side), and the columns with the mapped ones."""
    if not kernel_mappers:
        return features, feature_columns
    features, columns = dict(features), set(feature_columns)
    for column, mappers in kernel_mappers.items():
        if not isinstance(column, RealValuedColumn):
            tf.logging.warning('Updates are currently supported on RealValuedColumns only. '
                               'Metadata for FeatureColumn {} will not be updated.'
                               .format(column.name))
            continue
        mapped_name = column.name + '_MAPPED'
        columns.add(real_valued_column(mapped_name, sum(m.output_dim for m in mappers)))
        features[mapped_name] = tf.concat([m.map(features[column.name]) for m in mappers], 1)
    return features, tuple(sorted(columns, key=lambda c: c.name))


def sparse_multiclass_hinge_loss(labels, logits, weights=1.0, scope=None,
                                 loss_collection=tf.GraphKeys.LOSSES,
                                 reduction=tf.losses.Reduction.SUM_BY_NONZERO_WEIGHTS):
    """The multi-class hinge loss (Crammer and Singer) of integer labels [batch] or
    [batch, 1] against logits [batch, num_classes]: max over classes of
    max(0, logit_j - logit_label + [j != label])."""
    with tf.name_scope(scope, 'sparse_multiclass_hinge_loss', (logits, labels)) as scope:
        if logits.get_shape().ndims != 2:
            raise ValueError('logits should have rank 2 ([batch_size, num_classes]). Given '
                             'rank is {}'.format(logits.get_shape().ndims))
        logits_shape = tf.shape(logits)
        batch_size, num_classes = logits_shape[0], logits_shape[1]
        logits = tf.cast(logits, tf.float32)
        if labels.dtype not in (tf.int32, tf.int64):
            raise ValueError('Invalid dtype for labels: {}. Acceptable dtypes: int32 and '
                             'int64'.format(labels.dtype))
        if labels.get_shape().ndims not in (1, 2):
            raise ValueError('labels should have rank 1 ([batch_size]) or 2 ([batch_size, '
                             '1]). Given rank is {}'.format(labels.get_shape().ndims))
        with tf.control_dependencies([tf.assert_less(labels, tf.cast(num_classes,
                                                                     labels.dtype))]):
            labels = tf.reshape(labels, shape=[-1])
        weights = tf.convert_to_tensor(weights)
        if weights.get_shape().ndims not in (0, 1, 2):
            raise ValueError('non-scalar weights should have rank 1 ([batch_size]) or 2 '
                             '([batch_size, 1]). Given rank is {}'.format(
                                 weights.get_shape().ndims))
        if weights.get_shape().ndims > 0:
            weights = tf.reshape(weights, shape=[-1])
            weights.get_shape().assert_is_compatible_with(labels.get_shape())
        example_indices = tf.reshape(tf.range(batch_size), shape=[batch_size, 1])
        indices = tf.concat([example_indices, tf.reshape(
            tf.cast(labels, example_indices.dtype), shape=[batch_size, 1])], axis=1)
        label_logits = tf.reshape(tf.gather_nd(params=logits, indices=indices),
                                  shape=[batch_size, 1])
        one_cold_labels = tf.one_hot(indices=labels, depth=num_classes, on_value=0.0,
                                     off_value=1.0)
        margin = tf.nn.relu(logits - label_logits + one_cold_labels)
        loss = tf.reduce_max(margin, axis=1)
        return tf.losses.compute_weighted_loss(loss, weights, scope, loss_collection,
                                               reduction=reduction)
