"""tf.layers.experimental.keras_style_scope and set_keras_style (TF 1.15): tf.layers layers
and RNN cells made while Keras style is on manage their variables as Keras layers do.

Such a layer or cell has no variable scope: it may not be given `scope` or `reuse`. Each
one makes its own variables (tf.Variable, not tf.get_variable), named under the name scope
they are made in (`model_1/lstm_cell/kernel`), and uses them at every later call. So two
models built of TF 1.x cells, or two instances of one tf.keras.Model class, never share or
clash over variables, which is what TF 1.x added the scope for.
"""
import contextlib
import functools

import tensorflow.compat.v1 as tf
from tensorflow.python.framework import ops

_KERAS_STYLE = [False]  # on inside keras_style_scope, or for good after set_keras_style
# True while a Keras-style cell runs: its getter (the outermost one) makes the variables.
_CELL_GETTER_ACTIVE = [False]


@contextlib.contextmanager
def keras_style_scope():
    """Layers and RNN cells made inside use Keras-style variable management."""
    previous = _KERAS_STYLE[0]
    _KERAS_STYLE[0] = True
    try:
        yield
    finally:
        _KERAS_STYLE[0] = previous


def set_keras_style():
    """Every layer and RNN cell made from now on uses Keras-style variable management (it
    cannot be unset, as in TF 1.x)."""
    _KERAS_STYLE[0] = True


def enabled():
    return _KERAS_STYLE[0]


def check_no_scope(argument, value):
    """TF 1.x's error for `scope` or `reuse` given to a Keras-style layer or cell."""
    if value is not None:
        raise ValueError('%s argument not allowed when keras style layers are enabled, but '
                         'saw: %s' % (argument, value))


def make_variable(name, shape, dtype, initializer=None, trainable=True, constraint=None,
                  use_resource=None, synchronization=tf.VariableSynchronization.AUTO,
                  aggregation=tf.VariableAggregation.NONE, owner=None):
    """A new variable as Keras's add_weight makes one: `name` under the current name scope
    (made unique by the graph), Glorot-uniform or zeros by default, a resource variable
    unless use_resource=False."""
    dtype = tf.as_dtype(dtype)
    if initializer is None:
        if dtype.is_floating:
            initializer = tf.glorot_uniform_initializer()
        elif dtype.is_integer or dtype.is_unsigned or dtype.is_bool:
            initializer = tf.zeros_initializer()
        else:
            raise ValueError('An initializer for variable %s of type %s is required for '
                             'layer %s' % (name, dtype.base_dtype, owner))
    if isinstance(initializer, type):
        initializer = initializer()
    if callable(initializer):
        initial_value = lambda: initializer(shape, dtype=dtype)  # noqa: E731
        value_dtype, value_shape = dtype.base_dtype, tf.TensorShape(shape)
    else:  # a value (a tensor, an array) given as the initializer
        initial_value, value_dtype, value_shape = initializer, None, None
    return tf.Variable(initial_value, name=name, trainable=trainable, dtype=value_dtype,
                       constraint=constraint, shape=value_shape,
                       use_resource=True if use_resource is None else use_resource,
                       synchronization=synchronization, aggregation=aggregation)


def regularize(variable, regularizer, losses=None, name=None):
    """A weight regularizer's loss for a new variable, put in REGULARIZATION_LOSSES (and
    `losses`) and named `<name>/Regularizer/...`: `name` as tf.layers named it, by default
    the variable's whole name, as Keras did. Made outside any while loop or cond (as TF
    1.x's tf.get_variable made a regularizer's loss outside them), so that a variable first
    made inside a loop (a cell's, under dynamic_rnn) has a loss the training op can read; in
    the same graph (a tf.function's, too). Executing eagerly, the loss kept in `losses` is
    the regularizer applied whenever the layer's `losses` are read, to the variable's value
    then, as TF 1.x's layers did."""
    if tf.executing_eagerly() and losses is not None:
        losses.append(functools.partial(regularizer, variable))
        return
    with tf.control_dependencies(None), \
            tf.name_scope((name or variable.name.split(':')[0]) + '/Regularizer'):
        loss = regularizer(variable)
    if loss is not None:
        tf.add_to_collection(tf.GraphKeys.REGULARIZATION_LOSSES, loss)
        if losses is not None:
            losses.append(loss)


@contextlib.contextmanager
def cell_variables(store, owner):
    """While a Keras-style cell runs, each tf.get_variable in it (its build's, its call's,
    its inner cells', layer normalisation's) makes a Keras-style variable the first time and
    gives it back at later calls: `store` (the outermost such cell's dict) keeps them by
    their names relative to the variable scope the cell was called in, and they are named
    so under the name scope of its call (`multi_rnn_cell/cell_0/kernel`; tf.get_variable
    makes its variables outside any name scope)."""
    if _CELL_GETTER_ACTIVE[0]:  # an inner cell: the outermost cell's getter serves it
        yield
        return
    prefix = tf.get_variable_scope().name
    prefix = prefix + '/' if prefix else ''
    name_scope = ops.get_name_scope()

    def keras_getter(unused_getter, name, shape=None, dtype=tf.float32, initializer=None,
                     regularizer=None, trainable=None, constraint=None, use_resource=None,
                     synchronization=tf.VariableSynchronization.AUTO,
                     aggregation=tf.VariableAggregation.NONE, **unused_options):
        key = name[len(prefix):] if name.startswith(prefix) else name
        if key not in store:
            with tf.name_scope(name_scope + '/' if name_scope else None):
                store[key] = variable = make_variable(
                    key, shape, dtype or tf.float32, initializer,
                    True if trainable is None else trainable, constraint, use_resource,
                    synchronization, aggregation, owner=owner)
                if regularizer is not None and not tf.executing_eagerly():
                    regularize(variable, regularizer)
        return store[key]

    _CELL_GETTER_ACTIVE[0] = True
    try:
        with tf.variable_scope(tf.get_variable_scope(), custom_getter=keras_getter,
                               auxiliary_name_scope=False):
            yield
    finally:
        _CELL_GETTER_ACTIVE[0] = False
