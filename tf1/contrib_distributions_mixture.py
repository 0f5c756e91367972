"""tf.contrib.distributions.Mixture as TF 1.8-1.15 had it: its `use_static_graph` argument
(TFP's Mixture has none) and its samples, ported from TF 1.15's contrib/distributions
mixture.py, so that a Mixture sampled with a seed draws TF 1.x's numbers (TFP splits the
seed into stateless ones). tf1/contrib_distributions_algorithms.py puts them on tf1's class.

TF 1.x drew the categories with the seed, then each component with a seed made from the
one before (`gen_new_seed(seed, "mixture")`): by default n draws of each component for
the samples of its category only, stitched back in place (dynamic_partition and
dynamic_stitch); with use_static_graph, n draws of every component, masked by the
categories' one-hot, so the graph's shapes are static."""
import numpy as np
import tensorflow.compat.v1 as tf
from tensorflow.python.ops.distributions import util as distribution_util_tf1
from tensorflow_probability import distributions as tfd
from tensorflow_probability.python.internal import distribution_util


def _init(self, cat, components, validate_args=False, allow_nan_stats=True,
          use_static_graph=False, name='Mixture'):
    parameters = dict(locals())
    del parameters['self']
    _check_arguments(cat, components)
    tfd.Mixture.__init__(self, cat, components, validate_args=validate_args,
                         allow_nan_stats=allow_nan_stats, name=name)
    self._use_static_graph = use_static_graph
    self._parameters = parameters  # TF 1.x's, use_static_graph too (copy() keeps it)


def _check_arguments(cat, components):
    """TF 1.15's checks of a Mixture's arguments, with its errors."""
    if not isinstance(cat, tfd.Categorical):
        raise TypeError('cat must be a Categorical distribution, but saw: %s' % cat)
    if not components:
        raise ValueError('components must be a non-empty list or tuple')
    if not isinstance(components, (list, tuple)):
        raise TypeError('components must be a list or tuple, but saw: %s' % components)
    if not all(isinstance(c, tfd.Distribution) for c in components):
        raise TypeError('all entries in components must be Distribution instances but saw: '
                        '%s' % components)
    if not all(c.dtype == components[0].dtype for c in components):
        raise TypeError('All components must have the same dtype, but saw dtypes: %s'
                        % [(c.name, c.dtype) for c in components])
    event_shape, batch_shape = components[0].event_shape, cat.batch_shape
    for component in components:
        event_shape = event_shape.merge_with(component.event_shape)
        batch_shape = batch_shape.merge_with(component.batch_shape)
    if event_shape.ndims is None:
        raise ValueError('Expected to know rank(event_shape) from components, but none of '
                         'the components provide a static number of ndims')
    num_components = tf.get_static_value(cat._num_categories())
    if num_components is None:
        raise ValueError('Could not infer number of classes from cat and unable to compare '
                         'this value to the number of components passed in.')
    if int(num_components) != len(components):
        raise ValueError('cat.num_classes != len(components): %d vs. %d'
                         % (num_components, len(components)))


def _sample_n(self, n, seed=None):
    # validate_args' batch-shape assertions are TFP's own (they run first, TF 1.x's words
    # aside), so TF 1.15's are not built again here.
    return (_sample_static(self, n, seed) if self._use_static_graph
            else _sample_partitioned(self, n, seed))


def _sample_static(self, n, seed):
    """Every component drawn n times, the categories' one-hot picking one per sample."""
    cat_samples = self.cat.sample(n, seed=seed)
    samples = []
    for component in self.components:
        seed = distribution_util_tf1.gen_new_seed(seed, 'mixture')
        samples.append(component.sample(n, seed=seed))
    event_ndims = self.event_shape.ndims
    x = tf.stack(samples, -event_ndims - 1)  # [n, B, k, E]
    mask = tf.one_hot(cat_samples, depth=self.num_components,
                      on_value=np.ones([], x.dtype.as_numpy_dtype),
                      off_value=np.zeros([], x.dtype.as_numpy_dtype))  # [n, B, k]
    mask = distribution_util.pad_mixture_dimensions(mask, self, self.cat, event_ndims)
    return tf.reduce_sum(x * mask, axis=-1 - event_ndims)  # [n, B, E]


def _sample_partitioned(self, n, seed):
    """Each component drawn as often as its category was, its draws stitched back in place."""
    static_n = tf.get_static_value(tf.convert_to_tensor(n, name='n'))
    n = int(static_n) if static_n is not None else n
    cat_samples = self.cat.sample(n, seed=seed)
    static_samples_shape = cat_samples.shape
    if static_samples_shape.is_fully_defined():
        samples_shape = static_samples_shape.as_list()
        samples_size = static_samples_shape.num_elements()
    else:
        samples_shape, samples_size = tf.shape(cat_samples), tf.size(cat_samples)
    if self.batch_shape.is_fully_defined():
        batch_size = self.batch_shape.num_elements()
    else:
        batch_size = tf.reduce_prod(self.batch_shape_tensor())
    if self.event_shape.is_fully_defined():
        event_shape = np.array(self.event_shape.as_list(), dtype=np.int32)
    else:
        event_shape = self.event_shape_tensor()
    # Where each sample goes back to, and which batch member it is, split by category.
    samples_indices = tf.dynamic_partition(
        tf.reshape(tf.range(0, samples_size), samples_shape), cat_samples,
        self.num_components)
    batch_indices = tf.dynamic_partition(
        tf.reshape(tf.tile(tf.range(0, batch_size), [n]), samples_shape), cat_samples,
        self.num_components)
    samples_class = []
    for c, component in enumerate(self.components):
        n_class = tf.size(samples_indices[c])
        seed = distribution_util_tf1.gen_new_seed(seed, 'mixture')
        drawn = component.sample(n_class, seed=seed)
        # Draw s of batch member b is row batch_size * s + b of the draws, flattened.
        lookup = batch_size * tf.range(n_class) + batch_indices[c]
        drawn = tf.reshape(drawn, tf.concat([[n_class * batch_size], event_shape], 0))
        samples_class.append(tf.gather(drawn, lookup, name='samples_class_c_gather'))
    stitched = tf.dynamic_stitch(indices=samples_indices, data=samples_class)
    samples = tf.reshape(stitched, tf.concat([samples_shape, self.event_shape_tensor()], 0))
    samples.set_shape(tf.TensorShape(static_samples_shape).concatenate(self.event_shape))
    return samples


MIXTURE = {'__init__': _init, '_sample_n': _sample_n,
           '_parameter_properties': tfd.Mixture._parameter_properties}
