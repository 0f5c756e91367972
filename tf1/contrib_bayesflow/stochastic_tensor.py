"""tf.contrib.bayesflow.stochastic_tensor (TF 1.0-1.4): a distribution standing for a
tensor, its value a sample (SampleValue, the default) or its mean (MeanValue), chosen by
the `value_type` context it is made in. stochastic_graph.surrogate_loss adds, for each one
sampled without a reparameterisation, the score-function term that lets gradients reach
its parameters."""
import abc
import collections
import contextlib
import threading

import tensorflow.compat.v1 as tf
import tensorflow_probability as tfp

from tf1.contrib_bayesflow import stochastic_gradient_estimators as sge

STOCHASTIC_TENSOR_COLLECTION = '_stochastic_tensor_collection_'


def _reparameterized(dist):
    return dist.reparameterization_type == tfp.distributions.FULLY_REPARAMETERIZED


class BaseStochasticTensor(abc.ABC):
    """Tensor-like objects that emit stochastic values; each is in the graph's
    STOCHASTIC_TENSOR_COLLECTION, where surrogate_loss finds it."""

    def __init__(self):
        tf.add_to_collection(STOCHASTIC_TENSOR_COLLECTION, self)

    @property
    @abc.abstractmethod
    def name(self):
        pass

    @property
    @abc.abstractmethod
    def dtype(self):
        pass

    @property
    @abc.abstractmethod
    def graph(self):
        pass

    @abc.abstractmethod
    def value(self, name=None):
        pass

    @abc.abstractmethod
    def loss(self, sample_loss):
        """The term to add to the surrogate loss for `sample_loss` (already behind
        stop_gradient), or None."""

    @staticmethod
    def _tensor_conversion_function(v, dtype=None, name=None, as_ref=False):
        del name
        if dtype and not dtype.is_compatible_with(v.dtype):
            raise ValueError("Incompatible type conversion requested to type '%s' for "
                             "variable of type '%s'" % (dtype.name, v.dtype.name))
        if as_ref:
            raise ValueError('%s: Ref type is not supported.' % v)
        return v.value()


tf.register_tensor_conversion_function(BaseStochasticTensor,
                                       BaseStochasticTensor._tensor_conversion_function)


class _StochasticValueType:
    """What MeanValue and SampleValue share."""

    def pushed_above(self, unused_value_type):
        pass

    def popped_above(self, unused_value_type):
        pass

    def declare_inputs(self, unused_stochastic_tensor, unused_inputs_dict):
        pass

    @property
    def stop_gradient(self):
        """Whether values are wrapped in stop_gradient."""
        return self._stop_gradient


class MeanValue(_StochasticValueType):
    """The distribution's mean as the value."""

    def __init__(self, stop_gradient=False):
        self._stop_gradient = stop_gradient


class SampleValue(_StochasticValueType):
    """A sample of `shape` as the value (the default: one sample, the shape unchanged)."""

    def __init__(self, shape=(), stop_gradient=False):
        self._shape = shape
        self._stop_gradient = stop_gradient

    @property
    def shape(self):
        return self._shape


_STOCHASTIC_VALUE_STACK = collections.defaultdict(list)  # per thread


@contextlib.contextmanager
def value_type(dist_value_type):
    """The value type of the StochasticTensors made in this context."""
    if not isinstance(dist_value_type, _StochasticValueType):
        raise TypeError('dist_value_type must be a Distribution Value Type')
    stack = _STOCHASTIC_VALUE_STACK[threading.current_thread().ident]
    if stack:
        stack[-1].pushed_above(dist_value_type)
    stack.append(dist_value_type)
    yield
    stack.pop()
    if stack:
        stack[-1].popped_above(dist_value_type)


class NoValueTypeSetError(ValueError):
    pass


def get_current_value_type():
    thread_id = threading.current_thread().ident
    if not _STOCHASTIC_VALUE_STACK[thread_id]:
        raise NoValueTypeSetError(
            "No value type currently set for this thread (%s).  Did you forget to wrap "
            "'with stochastic_graph.value_type(...)'?" % thread_id)
    return _STOCHASTIC_VALUE_STACK[thread_id][-1]


class StochasticTensor(BaseStochasticTensor):
    """A BaseStochasticTensor backed by the distribution `dist`: its value, made once, is
    the value type's (`dist_value_type`, else the context's, else SampleValue()).
    `loss_fn(st, value, influenced_loss)` gives surrogate_loss its term where the value
    does not carry gradients to the parameters (a sample of a distribution that is not
    reparameterised): by default the score function."""

    def __init__(self, dist, name='StochasticTensor', dist_value_type=None,
                 loss_fn=sge.score_function):
        if not isinstance(dist, tfp.distributions.Distribution):
            raise TypeError('dist must be an instance of Distribution')
        if dist_value_type is None:
            try:
                self._value_type = get_current_value_type()
            except NoValueTypeSetError:
                self._value_type = SampleValue()
        else:
            with value_type(dist_value_type):  # value_type's checks
                self._value_type = get_current_value_type()
        if loss_fn is not None and not callable(loss_fn):
            raise TypeError('loss_fn must be callable')
        self._loss_fn = loss_fn
        with tf.name_scope(name) as scope:
            self._name = scope
            self._dist = dist
            self._value = self._create_value()
        super().__init__()

    @property
    def value_type(self):
        return self._value_type

    @property
    def distribution(self):
        return self._dist

    def _create_value(self):
        if isinstance(self._value_type, MeanValue):
            value_tensor = self._dist.mean()
        elif isinstance(self._value_type, SampleValue):
            value_tensor = self._dist.sample(self._value_type.shape)
        else:
            raise TypeError('Unrecognized Distribution Value Type: %s' % self._value_type)
        if self._value_type.stop_gradient:
            return tf.stop_gradient(value_tensor)
        if isinstance(self._value_type, MeanValue) or _reparameterized(self._dist):
            return value_tensor  # the pathwise derivative
        # The score function's, through surrogate_loss: no gradient leaks from the sampler.
        return tf.stop_gradient(value_tensor)

    @property
    def name(self):
        return self._name

    @property
    def graph(self):
        return self._value.graph

    @property
    def dtype(self):
        return self._dist.dtype

    def entropy(self, name='entropy'):
        return self._dist.entropy(name=name)

    def mean(self, name='mean'):
        return self._dist.mean(name=name)

    def value(self, name='value'):
        return self._value

    def loss(self, final_loss, name='Loss'):
        """The score-function term for `final_loss`, or None where no term is needed (no
        loss_fn, a reparameterised sample, a mean)."""
        if self._loss_fn is None:
            return None
        if _reparameterized(self._dist) and not self._value_type.stop_gradient:
            return None
        with tf.name_scope(self.name, values=[final_loss]):
            with tf.name_scope(name):
                if self._value_type.stop_gradient or isinstance(self._value_type,
                                                                SampleValue):
                    return self._loss_fn(self, self._value, final_loss)
                if isinstance(self._value_type, MeanValue):
                    return None  # a mean carries its own gradient
                raise TypeError('Unrecognized Distribution Value Type: %s'
                                % self._value_type)


class ObservedStochasticTensor(StochasticTensor):
    """A StochasticTensor whose value is observed: `value`, of a sample's shape (with
    leading sample dimensions allowed) and the distribution's dtype."""

    def __init__(self, dist, value, name=None):  # pylint: disable=super-init-not-called
        if not isinstance(dist, tfp.distributions.Distribution):
            raise TypeError('dist must be an instance of Distribution')
        with tf.name_scope(name, 'ObservedStochasticTensor', [value]) as scope:
            self._name = scope
            self._dist = dist
            dist_shape = dist.batch_shape.concatenate(dist.event_shape)
            value = tf.convert_to_tensor(value)
            value_shape = value.get_shape()
            if not value_shape.is_compatible_with(dist_shape):
                if value_shape.ndims < dist_shape.ndims:
                    raise ValueError(
                        'Rank of observed value (%d) must be >= rank of a sample from the '
                        'distribution (%d).' % (value_shape.ndims, dist_shape.ndims))
                sample_shape = value_shape[(value_shape.ndims - dist_shape.ndims):]
                if not sample_shape.is_compatible_with(dist_shape):
                    raise ValueError(
                        'Shape of observed value %s is incompatible with the shape of a '
                        'sample from the distribution %s.' % (value_shape, dist_shape))
            if value.dtype != dist.dtype:
                raise ValueError('Type of observed value (%s) does not match type of '
                                 'distribution (%s).' % (value.dtype, dist.dtype))
            self._value = tf.identity(value)
        BaseStochasticTensor.__init__(self)

    def loss(self, final_loss, name=None):
        return None
