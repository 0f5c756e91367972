"""tf.contrib.eager.metrics (TF 1.5-1.15): metric objects that accumulate over batches,
eagerly or in a graph. Ported from TF 1.15's contrib/eager/python/metrics_impl.py.

    accuracy = tfe.metrics.Accuracy()
    for images, labels in batches:
        accuracy(labels, tf.argmax(model(images), axis=1, output_type=tf.int64))
    print(accuracy.result())

Each metric's variables (`accuracy/numer`, `accuracy/denom` ...; float64 by default) are
made on its first call. In a graph the call returns one op that does every update
(`call` runs as a tf.function, which orders its updates), and `init_variables()` the op
that resets them; eagerly the call updates at once and `init_variables()` resets. They
are local variables (METRIC_VARIABLES too), global with `use_global_variables=True`.
`result()` also writes a scalar summary under the metric's name when a tf.contrib.summary
writer records.
"""
import re

import tensorflow.compat.v1 as tf
from tensorflow.python.framework import smart_cond
from tensorflow.python.ops import summary_ops_v2
from tensorflow.python.trackable import base as trackable

_NOT_IN_A_SCOPE_NAME = re.compile('[^A-Za-z0-9.]')


class Metric(trackable.Trackable):
    """A metric's state over an evaluation. Subclasses define build() (variables, made with
    add_variable), call() (their updates) and result()."""

    def __init__(self, name=None, use_global_variables=False):
        self._built = False
        self._vars = []
        self._initial_values = {}
        self._use_global_variables = use_global_variables
        name = name or type(self).__name__
        scope_name = _NOT_IN_A_SCOPE_NAME.sub('_', name)
        # The scope now, so that the name is unique where the metric was made (accuracy_1).
        with tf.variable_scope(scope_name, use_resource=True, reuse=False) as scope:
            suffix = scope.name[scope.name.rfind(scope_name) + len(scope_name):]
            self._name = name + suffix
            self._scope = scope
        # build() called directly, as TF 1.x's docs allowed, leaves the metric built too:
        # its first call then uses those variables instead of making them again.
        build = self.build

        def build_and_mark(*args, **kwargs):
            build(*args, **kwargs)
            self._built = True
        self.build = build_and_mark
        if tf.executing_eagerly():
            self._construction_scope = tf.init_scope
        else:
            # One graph function for call: __call__ returns one op doing all its updates.
            self._construction_scope = tf.get_default_graph().as_default
            self.call = tf.function(self.call, autograph=False)

    def __call__(self, *args, **kwargs):
        """Update the metric with a batch: returns call's result (an op's output in a
        graph, to run for the update)."""
        if not self._built:
            with tf.variable_scope(self._scope), self._construction_scope():
                self.build(*args, **kwargs)
        return self.call(*args, **kwargs)

    @property
    def name(self):
        return self._name

    @property
    def variables(self):
        return self._vars

    def init_variables(self):
        """Reset the variables to their initial values: eagerly at once, in a graph the op
        that does it."""
        if tf.executing_eagerly():
            for variable in self._vars:
                variable.assign(self._initial_values[variable])
            return None
        return tf.group([variable.initializer for variable in self._vars])

    def build(self, *args, **kwargs):
        raise NotImplementedError('Metrics must define a build() member function')

    def call(self, *args, **kwargs):
        raise NotImplementedError('Metrics must define a call() member function')

    def result(self):
        raise NotImplementedError('Metrics must define a result() member function')

    def value(self):
        """The result: in a graph the tensor, eagerly the function that computes it."""
        return self.result if tf.executing_eagerly() else self.result()

    def aggregate(self, metrics):
        """Add in the variables of `metrics`, of this metric's type."""
        for metric in metrics:
            if type(self) is not type(metric):
                raise TypeError("All metrics must be the same type, '%s' != '%s'."
                                % (type(self), type(metric)))
        for i, variable in enumerate(self._vars):
            if any(metric._vars[i].name != variable.name for metric in metrics):
                raise ValueError('All metrics must have variables in the same order.')
            variable.assign_add(tf.add_n([metric._vars[i] for metric in metrics]))

    def add_variable(self, name, shape=None, dtype=None, initializer=None):
        """A variable of the metric, for build() only: not trainable, local (or global)."""
        if self._built:
            raise RuntimeError("Can't call add_variable() except in build().")
        collections = None
        if not tf.executing_eagerly():
            collections = [tf.GraphKeys.GLOBAL_VARIABLES if self._use_global_variables
                           else tf.GraphKeys.LOCAL_VARIABLES, tf.GraphKeys.METRIC_VARIABLES]
        variable = self._add_variable_with_custom_getter(
            name=name, shape=shape, dtype=dtype, initializer=initializer, trainable=False,
            collections=collections, use_resource=True, getter=tf.get_variable,
            overwrite=True)
        self._vars.append(variable)
        if tf.executing_eagerly():
            self._initial_values[variable] = variable.value()
        return variable


class Mean(Metric):
    """The (weighted) mean of the values given."""

    def __init__(self, name=None, dtype=tf.float64, use_global_variables=False):
        super(Mean, self).__init__(name=name, use_global_variables=use_global_variables)
        self.dtype = dtype

    def build(self, *args, **kwargs):
        del args, kwargs  # the same variables whatever a subclass's call takes
        self.numer = self.add_variable('numer', (), self.dtype, tf.zeros_initializer)
        self.denom = self.add_variable('denom', (), self.dtype, tf.zeros_initializer)

    def call(self, values, weights=None):
        if weights is None:
            self.denom.assign_add(tf.cast(tf.identity(tf.size(values)), self.dtype))
            values = tf.reduce_sum(values)
            self.numer.assign_add(tf.cast(values, self.dtype))
            return values
        weights = tf.cast(weights, self.dtype)
        self.denom.assign_add(tf.reduce_sum(weights))
        values = tf.cast(values, self.dtype) * weights
        self.numer.assign_add(tf.reduce_sum(values))
        return values, weights

    def result(self, write_summary=True):
        """numer / denom; written as a scalar summary too if `write_summary` (a bool or a
        bool tensor) and a summary writer records."""
        if not tf.is_tensor(write_summary):
            write_summary = tf.convert_to_tensor(write_summary)
        mean = self.numer / self.denom

        def write():
            summary_ops_v2.scalar(name=self.name, tensor=mean)
            return mean
        smart_cond.smart_cond(write_summary, write, lambda: mean, name='')
        return mean


class _Matches(Mean):
    """The mean of the examples where a label matches its prediction; a subclass says
    what `matches` are."""

    def _matches(self, labels, predictions):
        raise NotImplementedError

    def _check_shapes(self, labels, predictions):
        tf.assert_equal(tf.shape(labels), tf.shape(predictions),
                        message='Shapes of labels and predictions are unequal')

    def call(self, labels, predictions, weights=None):
        self._check_shapes(labels, predictions)
        labels, predictions = self._compared(labels, predictions)
        super(_Matches, self).call(tf.cast(tf.equal(labels, predictions), self.dtype),
                                   weights=weights)
        if weights is None:
            return labels, predictions
        return labels, predictions, weights


class Accuracy(_Matches):
    """How often `predictions` equal `labels` (both the same shape and type)."""

    def __init__(self, name=None, dtype=tf.float64):
        super(Accuracy, self).__init__(name=name, dtype=dtype)

    def _compared(self, labels, predictions):
        return labels, predictions


class CategoricalAccuracy(_Matches):
    """How often the argmax of `predictions` (logits or probabilities) is that of the
    one-hot `labels`."""

    def __init__(self, name=None, dtype=tf.float64):
        super(CategoricalAccuracy, self).__init__(name=name, dtype=dtype)

    def _compared(self, labels, predictions):
        return tf.argmax(labels, axis=-1), tf.argmax(predictions, axis=-1)


class BinaryAccuracy(_Matches):
    """How often `predictions` above `threshold` (0.5 for probabilities, 0 for logits)
    match the 0/1 `labels`."""

    def __init__(self, threshold, name=None, dtype=tf.float64):
        super(BinaryAccuracy, self).__init__(name=name, dtype=dtype)
        self.threshold = threshold

    def _compared(self, labels, predictions):
        return tf.cast(labels, tf.bool), tf.convert_to_tensor(predictions) > self.threshold


class SparseAccuracy(_Matches):
    """How often the argmax of `predictions` (one more axis, of the classes) is the
    integer label."""

    def __init__(self, name=None, dtype=tf.float64):
        super(SparseAccuracy, self).__init__(name=name, dtype=dtype)

    def _check_shapes(self, labels, predictions):
        tf.assert_equal(tf.shape(labels), tf.shape(predictions)[0],
                        message='First axis of labels and predictions is unequal')

    def _compared(self, labels, predictions):
        return tf.cast(labels, tf.int64), tf.argmax(predictions, axis=-1)
