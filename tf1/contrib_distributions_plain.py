"""tf.contrib.distributions' classes as plain Python objects, as TF 1.x's were: each a
subclass of TensorFlow Probability's class of the name (so `isinstance`, TFP's KL
registrations, which it looks up along the class's MRO, and its methods all hold) that
TensorFlow does not take for a CompositeTensor.

TFP's distributions are CompositeTensors, which TF 2.x unpacks into their parameters where
TF 1.x converted a Distribution to a Tensor by the function registered for its class
(`tf.register_tensor_conversion_function`): Edward's random variables, each a subclass of a
contrib distribution, are refused by `tf.gradients` ("not supported as a gradient source")
and by Keras layers, which flatten their arguments' composites."""
import functools

import tensorflow_probability as tfp
from tensorflow.python.framework import composite_tensor
from tensorflow_probability.python.distributions import distribution as tfp_distribution

from tf1 import contrib_distributions_tf10 as tf10
from tf1.contrib_distributions_algorithms import TF1_ALGORITHMS
from tf1.api_contrib import CONTRIB_DISTRIBUTIONS_NAMES

tfd = tfp.distributions


class _Absent:
    """An attribute that a base class defines and instances of this class lack."""

    def __set_name__(self, owner, name):
        self._name = name

    def __get__(self, instance, owner=None):
        raise AttributeError(self._name)


class NotComposite:
    """Marks a class (this first among its bases) whose instances TensorFlow does not take
    for CompositeTensors, whatever its other bases. It hides the attributes composites have,
    which TensorFlow reads wherever they are: `tf.function` traces an argument by its
    `__tf_tracing_type__`, which asks `_type_spec`, which TFP refuses to a subclass."""
    _type_spec = _Absent()
    _shape_invariant_to_type_spec = _Absent()
    _consumers = _Absent()
    _convert_variables_to_tensors = _Absent()
    __tf_tracing_type__ = None  # how a protocol's method is removed (typing.Protocol)


def _subclasshook(cls, subclass):
    # CompositeTensor is an ABC: Python (`isinstance`) and TensorFlow's C++ nest ask it
    # through ABCMeta, which takes a `False` from the hook before looking at the MRO. Only
    # its answer for marked classes changes: its subclasses (TFP's Normal ...) inherit the
    # hook and answer by the MRO, as do all for unmarked classes.
    if cls is composite_tensor.CompositeTensor and issubclass(subclass, NotComposite):
        return False
    return NotImplemented


# Before any class is marked, so that no ABC cache holds one as a CompositeTensor.
composite_tensor.CompositeTensor.__subclasshook__ = classmethod(_subclasshook)


@functools.cache
def _plain_metaclass(metaclass):
    """TFP's metaclass `metaclass` without its last step, which makes each new class (a
    user's subclass too) an auto_composite_tensor with a TypeSpec: only the step all
    Distributions take (their public methods' docstrings, `parameters` recorded)."""
    def __new__(mcs, name, bases, attrs):
        return tfp_distribution._DistributionMeta.__new__(mcs, name, bases, attrs)
    return type('Plain' + metaclass.__name__, (metaclass,), {'__new__': __new__})


def _computing_logits_and_probs(init):
    """TF 1.x's __init__ of a distribution over probabilities: TFP's, then both its logits
    and its probs, whichever was given, as TF 1.x computed them (`get_logits_and_probs`);
    TFP's have the one given, and None for the other."""
    def __init__(self, *args, **kwargs):
        init(self, *args, **kwargs)
        self._tf1_logits, self._tf1_probs = self.logits_parameter(), self.probs_parameter()
    return __init__


def _given_or_computed(tfp_class, name):
    given = getattr(tfp_class, name).fget

    def value(self):
        computed = getattr(self, '_tf1_' + name, None)  # None while TFP's __init__ runs
        return given(self) if computed is None else computed
    return property(value, doc='TF 1.x\'s `%s`, given or computed from the other.' % name)


def _plain(tfp_class):
    """The subclass of TFP's `tfp_class` under its name, in this module (pickled by name),
    with TF 1.0's names too (tf1/contrib_distributions_tf10.py), TF 1.x's samples and
    moments (tf1/contrib_distributions_algorithms.py), and, over probabilities, both its
    logits and its probs."""
    metaclass = _plain_metaclass(type(tfp_class))
    attributes = dict(tf10.names(tfp_class), **TF1_ALGORITHMS.get(tfp_class.__name__, {}))
    if hasattr(tfp_class, 'logits_parameter') and hasattr(tfp_class, 'probs_parameter'):
        attributes.update(
            __init__=_computing_logits_and_probs(attributes.get('__init__', tfp_class.__init__)),
            logits=_given_or_computed(tfp_class, 'logits'),
            probs=_given_or_computed(tfp_class, 'probs'))
    return metaclass(tfp_class.__name__, (NotComposite, tfp_class), {
        '__module__': __name__, '__qualname__': tfp_class.__name__,
        '__doc__': tfp_class.__doc__, **attributes})


def _as_tf1(value):
    """TFP's `value`, or tf1's plain subclass where TFP made it a CompositeTensor (not
    Autoregressive, the abstract Distribution, kl_divergence ...)."""
    if isinstance(value, type) and issubclass(value, composite_tensor.CompositeTensor):
        return _plain(value)
    return value


# tf.contrib.distributions' names from TFP's distributions (tf1/api_contrib.py).
globals().update({name: _as_tf1(getattr(tfd, name))
                  for name in CONTRIB_DISTRIBUTIONS_NAMES[__name__]})
