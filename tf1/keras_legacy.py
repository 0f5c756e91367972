"""What standalone Keras 2.0-2.2 had and Keras 2's TF 1.x API (tf_keras) changed or dropped.

The backend: tensorflow_backend's _get_available_gpus; batch_dot as Keras 2.2 (and TF
1.x's tf.keras) computed it; and Keras 2.0 renamed
image_dim_ordering ('th': channels first, as Theano; 'tf': channels last) to
image_data_format and kept the old names, which scripts of the time still call
(`K.set_image_dim_ordering('th')` before a Conv2D on [N, 1, 28, 28] images).

The optimizers: tf.keras gave Adagrad, Adadelta, Adamax and Nadam other default learning
rates than standalone Keras (Adadelta 0.001 against 1.0), and Adagrad's accumulators start
at 0.1 instead of 0, so Keras 2.2's examples (mnist_cnn.py's `Adadelta()`) would learn far
slower. These take Keras 2.2.4's signatures and defaults, on tf_keras's optimizers, whose
updates are the same; `lr` (Keras 2.2) and `learning_rate` (2.3) both name the rate. Once
standalone Keras is imported, they also answer the names `compile` takes ('adadelta'): Keras
looks its custom objects up first (behave_as_standalone_keras)."""
import functools
import inspect

import tensorflow.compat.v1 as tf
from tensorflow.python.client import device_lib
from tensorflow.python.ops import variables
from tf_keras.api._v1.keras import (backend, constraints, initializers, optimizers,
                                    regularizers, utils)
from tf_keras.src import backend as keras_backend
from tf_keras.src.engine import (base_layer, base_layer_utils, base_layer_v1, functional, training,
                                 training_generator_v1)
from tf_keras.src.metrics import base_metric
from tf_keras.src.optimizers import optimizer_v1
from tf_keras.src.saving.legacy import serialization
from tf_keras.src.utils import data_utils
from tf_keras.src.utils.generic_utils import has_arg

from tf1 import keras_legacy_losses

_DATA_FORMATS = {'th': 'channels_first', 'tf': 'channels_last'}


def image_dim_ordering():
    """'th' or 'tf': the image data format under its Keras 1 name."""
    return 'th' if backend.image_data_format() == 'channels_first' else 'tf'


def batch_dot(x, y, axes=None):
    """Keras 2.0-2.2's batch_dot, which TF 1.x's tf.keras had too: the lower-rank input
    padded with trailing 1s, any axis but the last taken as a transposed matrix product,
    the padding squeezed out (a capsule network's `batch_dot(c, u, [2, 2])` of (B, 10, 10)
    and (B, 10, 10, 16) is (B, 10, 16)). tf_keras's, Keras 2.3's, multiplies along the
    axes it is given and refuses axis 0."""
    if isinstance(axes, int):
        axes = (axes, axes)
    x_ndim, y_ndim = backend.ndim(x), backend.ndim(y)
    if axes is None:
        axes = [x_ndim - 1, y_ndim - 2]
    if any(isinstance(a, (list, tuple)) for a in axes):
        raise ValueError('Multiple target dimensions are not supported. Expected: None, int, '
                         '(int, int), Provided: ' + str(axes))
    diff = abs(x_ndim - y_ndim)
    if x_ndim > y_ndim:
        y = tf.reshape(y, tf.concat([tf.shape(y), [1] * diff], axis=0))
    elif y_ndim > x_ndim:
        x = tf.reshape(x, tf.concat([tf.shape(x), [1] * diff], axis=0))
    if backend.ndim(x) == 2 and backend.ndim(y) == 2:
        if axes[0] == axes[1]:
            out = tf.reduce_sum(tf.multiply(x, y), axes[0])
        else:
            out = tf.reduce_sum(tf.multiply(tf.transpose(x, [1, 0]), y), axes[1])
    else:
        out = tf.matmul(x, y, adjoint_a=None if axes[0] == backend.ndim(x) - 1 else True,
                        adjoint_b=True if axes[1] == backend.ndim(y) - 1 else None)
    if diff:
        idx = x_ndim + y_ndim - 3 if x_ndim > y_ndim else x_ndim - 1
        out = tf.squeeze(out, list(range(idx, idx + diff)))
    return backend.expand_dims(out, 1) if backend.ndim(out) == 1 else out


def _get_available_gpus():
    """The GPUs TensorFlow sees, by device name (Keras 2.2's tensorflow_backend helper,
    which scripts called to choose multi_gpu_model or CuDNNLSTM)."""
    return [device.name for device in device_lib.list_local_devices()
            if device.device_type == 'GPU']


def set_image_dim_ordering(dim_ordering):
    if dim_ordering not in _DATA_FORMATS:
        raise ValueError("Unknown dim_ordering: %r (expected 'tf' or 'th')" % (dim_ordering,))
    backend.set_image_data_format(_DATA_FORMATS[dim_ordering])


class _OptimizerBaseClass(type):
    """Keras 2.2's SGD, Adam ... were Optimizer's subclasses; here they are tf_keras's
    (held to Keras 2.2's formulas above), so `isinstance(Adam(), Optimizer)` is answered for
    them too. Only Optimizer itself answers so: its subclasses are what they are."""

    def __instancecheck__(cls, instance):
        return super().__instancecheck__(instance) or (
            cls is Optimizer and isinstance(instance, optimizers.Optimizer))


class Optimizer(optimizer_v1.Optimizer, metaclass=_OptimizerBaseClass):
    """Keras 2.2's base class of optimizers, which custom ones subclassed (AdamW, Yogi,
    keras-contrib's): `__init__(**kwargs)` takes clipnorm and clipvalue, the subclass makes
    its variables with K.variable and writes `get_updates(loss, params)` from
    `get_gradients`; Keras's training calls it (tf_keras's Keras 2 optimizer, unchanged)."""


TFOptimizer = optimizer_v1.TFOptimizer  # what compile() wraps a tf.train optimizer in


class SGD(optimizers.SGD):
    def __init__(self, lr=0.01, momentum=0., decay=0., nesterov=False, **kwargs):
        super().__init__(kwargs.pop('learning_rate', lr), momentum, nesterov, decay=decay,
                         **kwargs)


class RMSprop(optimizers.RMSprop):
    def __init__(self, lr=0.001, rho=0.9, epsilon=None, decay=0., **kwargs):
        super().__init__(kwargs.pop('learning_rate', lr), rho, epsilon=epsilon, decay=decay,
                         **kwargs)


class Adagrad(optimizers.Adagrad):
    def __init__(self, lr=0.01, epsilon=None, decay=0., **kwargs):
        kwargs.setdefault('initial_accumulator_value', 0.0)
        super().__init__(kwargs.pop('learning_rate', lr), epsilon=epsilon, decay=decay,
                         **kwargs)

    @classmethod
    def from_config(cls, config, custom_objects=None):
        # compile('adagrad') and Keras 2.2's saved configs have no initial value: theirs, 0.
        config = dict(config, initial_accumulator_value=config.get('initial_accumulator_value',
                                                                   0.0))
        return super().from_config(config, custom_objects)


class Adadelta(optimizers.Adadelta):
    def __init__(self, lr=1.0, rho=0.95, epsilon=None, decay=0., **kwargs):
        super().__init__(kwargs.pop('learning_rate', lr), rho, epsilon, decay=decay, **kwargs)


class Adam(optimizers.Adam):
    def __init__(self, lr=0.001, beta_1=0.9, beta_2=0.999, epsilon=None, decay=0.,
                 amsgrad=False, **kwargs):
        super().__init__(kwargs.pop('learning_rate', lr), beta_1, beta_2, epsilon, amsgrad,
                         decay=decay, **kwargs)


class Adamax(optimizers.Adamax):
    def __init__(self, lr=0.002, beta_1=0.9, beta_2=0.999, epsilon=None, decay=0., **kwargs):
        super().__init__(kwargs.pop('learning_rate', lr), beta_1, beta_2, epsilon,
                         decay=decay, **kwargs)


class Nadam(optimizers.Nadam):
    def __init__(self, lr=0.002, beta_1=0.9, beta_2=0.999, epsilon=None, **kwargs):
        kwargs.pop('schedule_decay', None)  # Keras 2.2's momentum schedule: tf_keras's own
        super().__init__(kwargs.pop('learning_rate', lr), beta_1, beta_2, epsilon, **kwargs)


# Keras 2.2's module-level aliases: keras.optimizers.adam(...).
sgd, rmsprop, adagrad, adadelta, adam, adamax, nadam = (SGD, RMSprop, Adagrad, Adadelta, Adam,
                                                        Adamax, Nadam)


def behave_as_standalone_keras():
    """For the rest of the process, once mapped code imports standalone Keras:
    - `compile(optimizer='adadelta')` and a saved model's optimizer build these classes,
      and `compile(loss='binary_crossentropy')` takes Keras 2.2's (tf1/keras_legacy_losses.py);
    - `K.get_session()` (which Keras calls before it runs anything) initializes every
      uninitialized global variable of the graph, as Keras 2.2's did, not only Keras's own:
      code of the time built tf.Variables beside a Keras model and left them to it (Keras
      2.2.4's TensorBoard callback does, for its projector embeddings);
    - and returns one session for the whole process, as Keras 2.2's did (a module global;
      tf_keras keeps one per thread): a model whose weights were loaded in the main
      thread predicts with them in a web server's request thread (a session of its own
      would start from fresh initial values), and the worker processes fit_generator
      forks from a thread (`use_multiprocessing=True`) inherit the session alive, where
      tf_keras's, the main thread's, was deleted in the child, which can wait forever on
      locks the parent held at the fork (Mask R-CNN's training hung so);
    - unnamed layers are named from 1 and custom initializers get the dtype's name, as
      below, and a layer's `name`, trainable_weights and non_trainable_weights may be set
      (Keras 2's were settable); a variable a custom layer keeps as an attribute is not a
      weight, and its config may hold Keras objects; a metric giving one number for the
      batch may be weighted per sample;
    - fit_generator calls on_train_begin before its workers pull a batch, and save_weights
      writes HDF5 whatever the name, as below;
    - a node's tensors and shapes are lists (tf1/keras_nodes.py)."""
    utils.get_custom_objects().update({
        optimizer.__name__.lower(): optimizer
        for optimizer in (SGD, RMSprop, Adagrad, Adadelta, Adam, Adamax, Nadam)},
        binary_crossentropy=keras_legacy_losses.binary_crossentropy)
    keras_variables = keras_backend._get_variables

    def every_global_variable(graph):
        with graph.as_default():
            return set(keras_variables(graph)) | set(tf.global_variables())

    keras_backend._get_variables = every_global_variable
    keras_backend._SESSION = _ProcessSession()
    base_layer_utils.make_variable = _dtype_names_for_custom_initializers(
        base_layer_utils.make_variable)
    for layer_class in (base_layer.Layer, base_layer_v1.Layer, functional.Functional):
        layer_class._init_set_name = _counting_names_from_one(layer_class._init_set_name)
    for layer_class in (base_layer.Layer, base_layer_v1.Layer):
        layer_class.name = property(layer_class.name.fget, _set_name, None,
                                    layer_class.name.__doc__)
    for weights in ('trainable_weights', 'non_trainable_weights'):
        getter = getattr(base_layer.Layer, weights)
        setattr(base_layer.Layer, weights,
                property(getter.fget, _weights_setter('_' + weights), None, getter.__doc__))
    for layer_class in (base_layer.Layer, base_layer_v1.Layer):
        layer_class.__setattr__ = _variables_kept_as_attributes(layer_class.__setattr__)
    serialization.class_and_config_for_serialized_keras_object = _config_objects_rebuilt(
        serialization.class_and_config_for_serialized_keras_object)
    base_metric.Reduce.update_state = _scalars_weighted_per_sample(
        base_metric.Reduce.update_state)
    training_generator_v1._make_enqueued_generator = _enqueuer_started_at_the_first_batch
    training.Model.save_weights = _hdf5_whatever_the_name(training.Model.save_weights)
    from tf1 import keras_nodes
    keras_nodes.keras_2_node_lists()


def _hdf5_whatever_the_name(save_weights):
    """Model.save_weights writing HDF5 whatever the file is called, as Keras 2.0-2.2 did (it
    knew no other format: keras-rl's agents save 'weights.h5f'); tf_keras writes a TF
    checkpoint unless the name ends in .h5 or .keras. save_format='tf' still asks for one."""
    @functools.wraps(save_weights)
    def wrapper(self, filepath, overwrite=True, save_format=None, **kwargs):
        return save_weights(self, filepath, overwrite=overwrite, save_format=save_format or 'h5',
                            **kwargs)
    return wrapper


def _enqueuer_started_at_the_first_batch(generator, workers=1, use_multiprocessing=False,
                                         max_queue_size=10, shuffle=False):
    """fit_generator's workers start pulling from the generator when the first batch is
    asked for, after the callbacks' on_train_begin, as Keras 2.0-2.2 started them (tf_keras
    starts them before: Keras 1's image_ocr generator is a callback that sets itself up in
    on_train_begin, and failed)."""
    if workers <= 0:
        return _make_enqueued_generator(generator, workers, use_multiprocessing,
                                        max_queue_size, shuffle)
    if isinstance(generator, data_utils.Sequence):
        enqueuer = data_utils.OrderedEnqueuer(generator, use_multiprocessing=use_multiprocessing,
                                              shuffle=shuffle)
    else:
        enqueuer = data_utils.GeneratorEnqueuer(generator,
                                                use_multiprocessing=use_multiprocessing)

    def batches():
        enqueuer.start(workers=workers, max_queue_size=max_queue_size)
        yield from enqueuer.get()
    return batches(), enqueuer


_make_enqueued_generator = training_generator_v1._make_enqueued_generator


def _weights_setter(attribute):
    """`self.trainable_weights = [self.W, self.b]` in a custom layer's build, as Keras 1's
    layers declared the variables they made (Keras 2.0-2.2 kept the setter): the list, as
    it is, becomes the layer's."""
    def set_weights(self, weights):
        _set_untracked(self, attribute, list(weights))
    return set_weights


def _set_untracked(layer, name, value):
    """`layer.name = value` as a plain attribute, past tf_keras's tracking (which makes the
    variables it finds weights of the layer)."""
    tracking = getattr(layer, '_self_setattr_tracking', True)
    layer._self_setattr_tracking = False
    setattr(layer, name, value)
    layer._self_setattr_tracking = tracking


def _variables_kept_as_attributes(setattr_):
    """A variable a custom layer keeps as an attribute (`self.kernel_norm = K.variable(...)`,
    keras-contrib's CosineConvolution2D) is a plain attribute, not one of its weights, as in
    Keras 2.0-2.3, whose layers had only what add_weight made or the layer declared:
    tf_keras's tracking, TF 1.x's tf.keras's, makes it one, so get_weights, set_weights and
    the optimizer would see one more. tf_keras's own layers keep their behaviour. (Variables
    in a list kept as an attribute are still tracked, as weights.)"""
    @functools.wraps(setattr_)
    def __setattr__(self, name, value):
        if (isinstance(value, variables.Variable) and not hasattr(type(self), name) and
                getattr(self, '_self_setattr_tracking', True) and
                not type(self).__module__.startswith(('tf_keras.', 'tensorflow.'))):
            return _set_untracked(self, name, value)
        return setattr_(self, name, value)
    return __setattr__


def _config_objects_rebuilt(class_and_config):
    """A custom layer's config may hold Keras objects rather than their configs, which Keras
    2.2 passed back to the layer as they were (keras-contrib's SReLU returns its
    initializers); tf_keras saves them as configs and, rebuilding the layer, looks them up
    among the layers only ("Unknown config_item: 'Zeros'"). Here also among the
    initializers, regularizers and constraints, as the object's own kind rebuilt it."""
    @functools.wraps(class_and_config)
    def class_and_config_for_serialized_keras_object(config, module_objects=None,
                                                    custom_objects=None, *args, **kwargs):
        layer_config = config.get('config') if isinstance(config, dict) else None
        for key, item in (layer_config.items() if isinstance(layer_config, dict) else ()):
            if key != 'name' and isinstance(item, dict) and '__passive_serialization__' in item:
                layer_config[key] = _config_object(item, module_objects, custom_objects)
        return class_and_config(config, module_objects, custom_objects, *args, **kwargs)
    return class_and_config_for_serialized_keras_object


def _config_object(item, module_objects, custom_objects):
    try:
        return serialization.deserialize_keras_object(item, module_objects, custom_objects,
                                                      'config_item')
    except ValueError as unknown:
        for kind in (initializers, regularizers, constraints):
            try:
                return kind.deserialize(item, custom_objects)
            except ValueError:
                continue
        raise unknown


def _scalars_weighted_per_sample(update_state):
    """A metric function giving one number for the batch (keras-contrib's CRF accuracies)
    on an output whose mask or sample weights are one per sample: Keras 2.2 multiplied the
    number by them, so its mean was the number; tf_keras squeezes the weights to the
    number's rank and fails ("Can not squeeze dim[0], expected a dimension of 1")."""
    @functools.wraps(update_state)
    def weighted_update_state(self, values, sample_weight=None):
        if (isinstance(values, tf.Tensor) and values.shape.rank == 0 and
                isinstance(sample_weight, tf.Tensor) and sample_weight.shape.rank == 1):
            values = values * tf.ones_like(sample_weight, values.dtype)
        return update_state(self, values, sample_weight)
    return weighted_update_state


def _set_name(self, name):
    """`self.name = name` in a custom layer's __init__, as Keras 2's layers had a plain
    `name` attribute (tf_keras's is read-only): the layer's name and its name scope."""
    self._name = name


def _dtype_names_for_custom_initializers(make_variable):
    """A custom initializer is called with the dtype's name ('float32'), as Keras 2.3 called
    it (Keras 2.0-2.2 passed none): tf_keras passes a tf.DType, which NumPy does not take,
    and initializers of the time built their values with NumPy (keras-retinanet's
    PriorProbability: `np.ones(shape, dtype=dtype)`). A function without a `dtype`
    argument is called with the shape alone, as Keras 2.0-2.2 called every initializer, or
    with the weight's name too where it takes one, as Keras 1 called `init(shape, name=)`;
    Keras 1's returned the variable itself (`keras.initializations`), whose initial value
    becomes the weight's."""
    @functools.wraps(make_variable)
    def making_variable(name, shape=None, dtype=tf.float32, initializer=None, **kwargs):
        if callable(initializer) and not inspect.isclass(initializer) and not type(
                initializer).__module__.startswith(('tf_keras.', 'tensorflow.', 'keras.')):
            custom, weight_name = initializer, name

            def initializer(shape, dtype=None, **kwargs):
                if has_arg(custom, 'dtype', accept_all=True):
                    return custom(shape, dtype=tf.as_dtype(dtype).name if dtype else dtype,
                                  **kwargs)
                if has_arg(custom, 'name'):
                    return _initial_value(custom(shape, name=weight_name))
                return _initial_value(custom(shape))  # as Keras 2.2 called `initializer(shape)`
        return make_variable(name, shape=shape, dtype=dtype, initializer=initializer, **kwargs)
    return making_variable


def _initial_value(value):
    """A Keras 1 initialization's variable as the initial value of the weight it was made
    for, the variable itself dropped from the graph's collections: the weight is the one
    variable, as in Keras 1."""
    if not isinstance(value, variables.Variable):  # a reference or resource variable
        return value
    for key in (tf.GraphKeys.GLOBAL_VARIABLES, tf.GraphKeys.TRAINABLE_VARIABLES):
        collection = value.graph.get_collection_ref(key)
        collection[:] = [variable for variable in collection if variable is not value]
    keras_backend._GRAPH_VARIABLES[value.graph].discard(value)
    return value.initial_value


def _counting_names_from_one(init_set_name):
    """Unnamed layers and models named as Keras 2.0-2.2 named them, counted from 1
    (`conv2d_1`, `sequential_1` ...; tf_keras: `conv2d`, `conv2d_1` ...): the weight files
    it saved load by those names (`load_weights(by_name=True)`: keras-yolo3's pretrained
    weights), and its TF checkpoints by their variables' names."""
    @functools.wraps(init_set_name)
    def _init_set_name(self, name, zero_based=True):
        init_set_name(self, name, zero_based=False)
    return _init_set_name


class _ProcessSession:
    """Where tf_keras's backend keeps its session (`.session`): one for every thread."""
    session = None
