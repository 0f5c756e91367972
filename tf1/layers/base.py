"""The base Layer: its variable scope, variable reuse, and the collections it feeds."""

import tensorflow.compat.v1 as tf

from tf1.layers.utils import snake_case


class Layer(tf.Module):
    """What every layer shares: its variable scope, variable reuse, and the collections it
    feeds. A subclass creates its variables in build(input_shape) with add_weight() and
    computes its output in call(inputs, ...).

    A tf.Module, as TF 1.x's layers (Keras layers) were trackable: a tf.keras.Model that
    holds one as an attribute lists its variables, and tf.train.Checkpoint saves them
    under their names in the layer (`kernel`, `bias`)."""

    # tf.Module would track every attribute, turning lists into its ListWrapper; only the
    # variables are tracked, by add_weight.
    _self_setattr_tracking = False

    def __init__(self, trainable=True, name=None, dtype=None, activity_regularizer=None,
                 _scope=None, _reuse=None):
        # Not tf.Module.__init__: in a graph it opens a name scope of the layer's name, and
        # TF 1.x's layers open theirs at the first call, unique then.
        self.trainable = trainable
        self.dtype = tf.as_dtype(dtype) if dtype is not None else None
        self.activity_regularizer = activity_regularizer
        self._kind = snake_case(type(self).__name__)  # dense, conv2d ...: for errors too
        self._base_name = name or self._kind
        self._reuse = _reuse
        self._scope = None
        if _scope:  # the functional forms pass `name` here: that scope, never renamed
            with tf.variable_scope(_scope) as captured:
                self._scope = captured
        self.built = False
        self._layer_variables, self._layer_trainable_variables = [], []
        self._layer_updates, self._layer_losses = [], []

    @property
    def variables(self):
        """The variables the layer made (or reused), in the order it made them."""
        return list(self._layer_variables)

    @property
    def trainable_variables(self):
        return list(self._layer_trainable_variables)

    @property
    def non_trainable_variables(self):
        return [variable for variable in self._layer_variables if not any(
            variable is trainable for trainable in self._layer_trainable_variables)]

    weights = variables
    trainable_weights = trainable_variables
    non_trainable_weights = non_trainable_variables

    @property
    def updates(self):
        """The ops that update the layer's state (batch normalization's moving averages)."""
        return list(self._layer_updates)

    @property
    def losses(self):
        """The layer's activity-regularization losses."""
        return list(self._layer_losses)

    def __call__(self, inputs, *args, **kwargs):
        inputs = tf.convert_to_tensor(inputs)
        if self.dtype is None:
            self.dtype = inputs.dtype.base_dtype
        if self._scope is None:
            # Reusing needs a fixed name; otherwise the type's name, made unique.
            fixed_name = self._base_name if self._reuse else None
            with tf.variable_scope(fixed_name, default_name=self._base_name) as captured:
                self._scope = captured
        # A built layer called again shares its own variables.
        reuse = True if self.built else self._reuse
        with tf.variable_scope(self._scope, reuse=reuse, auxiliary_name_scope=False) as scope, \
                tf.name_scope(scope.original_name_scope):
            if not self.built:
                self.build(inputs.shape)
                self.built = True
            outputs = self.call(inputs, *args, **kwargs)
            if self.activity_regularizer is not None:
                self._add_activity_loss(outputs)
        _add_new_to_collection(tf.GraphKeys.UPDATE_OPS, self.updates)
        return outputs

    apply = __call__

    @property
    def name(self):
        """Its variable scope's last part once called, before that the name it was made
        with (or its type's)."""
        return self._scope.name.rpartition('/')[2] if self._scope else self._base_name

    def build(self, input_shape):
        """Create the layer's variables (none by default)."""

    def call(self, inputs):
        raise NotImplementedError('a tf.layers.Layer subclass must define call(inputs)')

    def add_weight(self, name, shape, dtype=None, initializer=None, regularizer=None,
                   trainable=True, constraint=None):
        variable = layer_variable(name, shape, dtype or self.dtype, initializer, regularizer,
                                  trainable and self.trainable, constraint)
        self._layer_variables.append(variable)
        self._track_trackable(variable, name=name, overwrite=True)
        if trainable and self.trainable:
            self._layer_trainable_variables.append(variable)
        return variable

    add_variable = add_weight

    def _add_activity_loss(self, outputs):
        # Divided by the batch size, as TF 1.x's last releases did, so that the penalty's
        # strength does not depend on it.
        with tf.name_scope('ActivityRegularizer'):
            loss = self.activity_regularizer(outputs)
            batch_size = tf.cast(tf.shape(outputs)[0], loss.dtype)
            loss = loss / batch_size
        self._layer_losses.append(loss)
        tf.add_to_collection(tf.GraphKeys.REGULARIZATION_LOSSES, loss)


def layer_variable(name, shape, dtype, initializer=None, regularizer=None, trainable=True,
                   constraint=None):
    """tf.get_variable, with `regularizer` applied as tf.layers applied it: once, to a
    variable this call creates, its loss named <variable>/Regularizer/... and put in
    REGULARIZATION_LOSSES (tf.get_variable's own regularizer argument would rebuild the
    loss at every use)."""
    existing = tf.global_variables()
    variable = tf.get_variable(name, shape, dtype, initializer=initializer,
                               trainable=trainable, constraint=constraint)
    if regularizer is not None and not any(variable is old for old in existing):
        with tf.name_scope(name + '/Regularizer'):
            loss = regularizer(variable)
        if loss is not None:
            tf.add_to_collection(tf.GraphKeys.REGULARIZATION_LOSSES, loss)
    return variable


def _add_new_to_collection(name, values):
    collection = tf.get_collection_ref(name)
    for value in values:
        if not any(value is present for present in collection):
            collection.append(value)


def apply_functional(layer_class, arguments, **call_arguments):
    """What each functional layer of TF 1.x does (`tf.layers.conv2d(inputs, ...)` for
    `Conv2D`): build the layer from the function's own arguments (its `locals()`), passed on
    by name, with `name` also naming its variable scope and `reuse` reusing that scope, and
    apply it to `inputs` (with `call_arguments`, e.g. batch normalisation's `training`)."""
    arguments = dict(arguments)
    inputs, reuse = arguments.pop('inputs'), arguments.pop('reuse')
    for key in call_arguments:
        del arguments[key]
    layer = layer_class(_scope=arguments['name'], _reuse=reuse, **arguments)
    return layer.apply(inputs, **call_arguments)
