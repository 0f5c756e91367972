"""Keras API that TF 1.x's tf.keras and standalone Keras 2 had and tf_keras removed, put
back on tf_keras's own classes when mapped code first reaches Keras (tf1/api.py).

utils.HDF5Matrix: an HDF5 dataset read a slice at a time, as if it were the NumPy array
`fit(..., shuffle='batch')` and `predict` take.

Layer.apply: the deprecated alias of calling a layer, which TF 1.x's tf.keras layers still
had (tf.layers' have it too). Lambda's function may make variables, as in Keras 2.0-2.2
(Mask R-CNN's anchors). Model.uses_learning_phase. `model._losses = []`
empties the losses add_loss gave the model, as in Keras 2; `model.metrics_names.append(name)`
then `model.metrics_tensors.append(tensor)` makes the tensor a metric of the model. The
progress bar of fit_generator shows the loss and metrics only. tf.keras's wrappers
(Wrapper, TimeDistributed) take tf.layers' layers, as TF 1.x's did; so do Sequential and
functional models, as TF 1.4-1.13's did (tf1/layers/keras_functional.py), and a saved
model's loading gives one that custom_objects name as the Keras layer it is in models.

Model.save and save_model: HDF5 unless a save_format says otherwise, as TF 1.x wrote it.
Model.to_yaml and models.model_from_yaml, which tf_keras removed, with PyYAML installed.

A model's node 0 and a node's inbound layers as TF 1.x's Keras numbered and listed them:
tf1/keras_nodes.py.

Model.compile keeps keyword arguments it does not know, as TF 1.x's did (they are passed
to the session's K.function, which refuses them at fit): the TF 1.x guide's own
`compile(..., metric='accuracy')` then reaches model_to_estimator, as under TF 1.15.

Sequential.predict_classes and predict_proba: scripts of the time ended with
`model.predict_classes(x_test)`; TF 2.3 deprecated both and TF 2.6 removed them. They are
added to tf_keras's Sequential itself, so that a model from `load_model` has them too, and
only where it has no method of that name.

tf_keras's warnings that TF 1.x's Keras never printed are off: they advise leaving TF 1.x
(`Model.state_updates` in every v1 `fit`, HDF5 as "legacy" in `model.save('m.h5')`, a
custom initializer's serialization, ModelCheckpoint's `period`), as
the runner's other deprecation notices are (tf1/api.py, enter_graph_mode).

The logs callbacks get and History keeps, and what evaluate, train_on_batch and
test_on_batch return, are NumPy numbers, as in TF 1.x (tf_keras makes them Python floats).

K.categorical_crossentropy broadcasts the target against the output, as TF 1.x's did;
tf_keras refuses any other shape (tensorflow/models' Keras ResNets feed their synthetic
data's one label column to a softmax over the classes)."""
import collections
import functools
import inspect
import json
import logging
import warnings

import numpy as np
import tensorflow.compat.v1 as tf
from tf_keras.src import backend, callbacks, layers as keras_layers
from tf_keras.src.engine import base_layer, input_layer, sequential, training, training_v1
from tf_keras.src.layers import serialization as layer_serialization
from tf_keras.src.layers.core import lambda_layer
from tf_keras.src.layers.rnn import base_wrapper, time_distributed
from tf_keras.src.saving import saving_api

from tf1 import keras_backends
from tf1.layers import base as tf_layers_base, keras_functional

warnings.filterwarnings('ignore', message='`Model.state_updates` will be removed',
                        category=UserWarning)
warnings.filterwarnings('ignore', message='You are saving your model as an HDF5 file',
                        category=UserWarning)
# A custom initializer (subclassing TF 1.x's Initializer, as Keras 2 code did) saved in a
# model's config, and ModelCheckpoint's `period`, Keras 2's only way to save every N epochs.
warnings.filterwarnings('ignore', message=r'The `keras.initializers.serialize\(\)` API should '
                        'only be used for objects of type', category=UserWarning)
tf.get_logger().addFilter(
    lambda record: not record.getMessage().startswith('`period` argument is deprecated'))


def predict_proba(self, x, batch_size=32, verbose=0):
    """The model's outputs, which should be probabilities (a softmax or sigmoid output)."""
    probabilities = self.predict(x, batch_size=batch_size, verbose=verbose)
    if probabilities.min() < 0. or probabilities.max() > 1.:
        logging.warning('Network returning invalid probability values. The last layer might '
                        'not normalize predictions into probabilities (like softmax or '
                        'sigmoid would).')
    return probabilities


def predict_classes(self, x, batch_size=32, verbose=0):
    """Class indices: the argmax of a softmax output, or a sigmoid output above 0.5."""
    probabilities = self.predict(x, batch_size=batch_size, verbose=verbose)
    if probabilities.shape[-1] > 1:
        return probabilities.argmax(axis=-1)
    return (probabilities > 0.5).astype('int32')


for _name, _method in (('predict_proba', predict_proba), ('predict_classes', predict_classes)):
    if not hasattr(sequential.Sequential, _name):
        setattr(sequential.Sequential, _name, _method)


def apply(self, inputs, *args, **kwargs):
    """The layer called on `inputs`: TF 1.x's Layer.apply, its deprecated alias."""
    return self.__call__(inputs, *args, **kwargs)


if not hasattr(base_layer.Layer, 'apply'):
    base_layer.Layer.apply = apply


# TF 1.x's tf.layers classes were tf.keras's (tf.layers.Conv1D subclassed Keras's Conv1D),
# so tf.keras's wrappers took them: Tacotron-2's WaveNet wraps a tf.layers.Conv1D in its
# own tf.keras.layers.Wrapper, and TimeDistributed(tf.layers.Dense(3)) ran. These modules
# use their `Layer` only to check what they are given: tf1's tf.layers layers pass too.
base_wrapper.Layer = time_distributed.Layer = (base_layer.Layer, tf_layers_base.Layer)


def _adding_tf_layers_as_keras_layers(add):
    """Sequential.add takes a tf.layers layer as the Keras layer it is in Keras models
    (tf1/layers/keras_functional.py), as TF 1.4-1.13's took their tf.layers layers, Keras
    layers themselves; tf_keras would wrap it as a tf.Module, named module_wrapper."""
    @functools.wraps(add)
    def wrapper(self, layer):
        if isinstance(layer, tf_layers_base.Layer):
            layer = keras_functional.keras_layer_of(layer)
        return add(self, layer)
    wrapper.takes_tf_layers = True
    return wrapper


if not getattr(sequential.Sequential.add, 'takes_tf_layers', False):
    sequential.Sequential.add = _adding_tf_layers_as_keras_layers(sequential.Sequential.add)


def _deserializing_tf_layers_as_keras_layers(deserialize):
    """Keras's layer deserialization (a saved model's loading, Model.from_config) gives a
    tf.layers layer, which custom_objects may name, as the Keras layer it is in models."""
    @functools.wraps(deserialize)
    def wrapper(*args, **kwargs):
        layer = deserialize(*args, **kwargs)
        if isinstance(layer, tf_layers_base.Layer):
            layer = keras_functional.keras_layer_of(layer)
        return layer
    wrapper.takes_tf_layers = True
    return wrapper


if not getattr(layer_serialization.deserialize, 'takes_tf_layers', False):
    # Where models' loading and from_config (and wrappers') find it when they run; the
    # public tf.keras.layers.deserialize gives the tf.layers layer itself, which a script
    # may call or wrap, as TF 1.x's (a Keras layer then).
    layer_serialization.deserialize = keras_layers.deserialize = \
        _deserializing_tf_layers_as_keras_layers(layer_serialization.deserialize)


def _initialising_created_variables(self, created_variables, accessed_variables):
    """Keras 2.0-2.2's Lambda: its function may make variables (Mask R-CNN's anchors, a
    constant `tf.Variable`), which Keras's session initialises; they are not the layer's
    weights, so not trained. tf_keras refuses them."""
    for variable in created_variables:
        backend.track_variable(variable)


lambda_layer.Lambda._check_variables = _initialising_created_variables


def uses_learning_phase(self):
    """Keras 2's and TF 1.x's Model.uses_learning_phase: whether its outputs depend on the
    learning phase (a layer that takes `training`: dropout, batch normalization), so that
    a K.function of them is fed it."""
    def takes_training(layer):
        if isinstance(layer, lambda_layer.Lambda):  # its call takes it for the function
            return layer._fn_expects_training_arg
        return layer._expects_training_arg and not isinstance(
            layer, (input_layer.InputLayer, training.Model))
    return any(takes_training(layer) for layer in self._flatten_layers(include_self=False))


if not hasattr(training.Model, 'uses_learning_phase'):
    training.Model.uses_learning_phase = property(uses_learning_phase)


def _clearing_added_losses(setattr_):
    """Keras 2 code emptied a model's added losses by assignment, `model._losses = []` and
    `model._per_input_losses = {}`, before adding them again (Mask R-CNN's compile, at each
    train()). A functional tf_keras model keeps what add_loss added in layers it inserts:
    those are emptied, so that a second compile does not count each loss twice."""
    @functools.wraps(setattr_)
    def __setattr__(self, name, value):
        if (name in ('_losses', '_per_input_losses') and not value
                and getattr(self, '_is_graph_network', False)):
            for layer in self._flatten_layers():
                if isinstance(layer, base_layer.AddLoss) or layer is self:
                    del layer._losses[:]
            return
        setattr_(self, name, value)
    return __setattr__


training.Model.__setattr__ = _clearing_added_losses(training.Model.__setattr__)


class _MetricNames(list):
    """A compiled model's metrics_names, to which Keras 2 code appended the name of the
    tensor it then appended to metrics_tensors."""

    def __init__(self, model, names):
        super().__init__(names)
        self._model = model

    def append(self, name):
        super().append(name)
        self._model.__dict__.setdefault('_tf1_metric_names', []).append(name)


class _MetricTensors(list):
    """Keras 2's Model.metrics_tensors: a tensor appended is a metric of the model, under
    the name appended to metrics_names before it (add_metric's, averaged over the epoch as
    Keras 2's logs averaged it)."""

    def __init__(self, model):
        super().__init__()
        self._model = model

    def append(self, tensor):
        super().append(tensor)
        names = self._model.__dict__.get('_tf1_metric_names') or ['metric_%d' % len(self)]
        self._model.add_metric(tensor, name=names.pop(0), aggregation='mean')


_v1_metrics_names = training_v1.Model.metrics_names.fget
training_v1.Model.metrics_names = property(
    lambda self: _MetricNames(self, _v1_metrics_names(self)),
    doc=training_v1.Model.metrics_names.__doc__)
if not hasattr(training_v1.Model, 'metrics_tensors'):
    training_v1.Model.metrics_tensors = property(
        lambda self: _MetricTensors(self), doc=_MetricTensors.__doc__)


def _without_bookkeeping(update):
    """TF 1.x's and Keras 2's progress bar: the `batch` and `size` of a batch's logs, which
    tf_keras's v1 loops put there for the bar to count with, are not shown as metrics (a
    generator's fit_generator showed them)."""
    @functools.wraps(update)
    def updating(self, batch, logs=None):
        if self.use_steps and logs:
            logs = {key: value for key, value in logs.items() if key not in ('batch', 'size')}
        return update(self, batch, logs)
    return updating


callbacks.ProgbarLogger._batch_update_progbar = _without_bookkeeping(
    callbacks.ProgbarLogger._batch_update_progbar)


def _numpy_logs(process_logs):
    """The logs callbacks get, and History keeps, as NumPy numbers, as TF 1.x's Keras gave
    them (`history.history['loss'][-1].item()`: tensorflow/models' official Keras models);
    tf_keras turns them into Python floats. Each number is a NumPy float64, which is also a
    Python float (`json.dump(history.history, f)` works, as it did for TF 1.x's float64
    losses). Tensors (eager loops) are turned into values as before."""
    @functools.wraps(process_logs)
    def _process_logs(self, logs, is_batch_hook=False):
        if not logs or not isinstance(logs, dict) or any(
                tf.is_tensor(value) for value in tf.nest.flatten(logs)):
            return process_logs(self, logs, is_batch_hook)
        return {key: np.float64(value) if _is_real_number(value) else value
                for key, value in logs.items()}
    return _process_logs


def _is_real_number(value):
    return (isinstance(value, (float, np.floating, np.ndarray)) and np.ndim(value) == 0 and
            np.issubdtype(np.asarray(value).dtype, np.floating))


callbacks.CallbackList._process_logs = _numpy_logs(callbacks.CallbackList._process_logs)


def _numpy_results(method):
    """Eager Keras's numbers as TF 1.15's returned them (official's `eval_output[1].item()`;
    tf_keras returns Python floats): each the 0-d float32 array its loop made of a tensor
    (`tensor_util.constant_value`), but evaluate's loss, which its aggregator summed into a
    Python float, a NumPy float64. tf_keras's graph-mode loops return NumPy numbers
    already."""
    @functools.wraps(method)
    def numpy_results(self, *args, **kwargs):
        results = method(self, *args, **kwargs)
        if isinstance(results, dict):
            return {key: _as_array(value) for key, value in results.items()}
        values = [_as_array(value) for value in tf.nest.flatten(results)]
        if method.__name__ == 'evaluate' and _is_real_number(values[0]):
            values[0] = np.float64(values[0])
        return values if isinstance(results, list) else values[0]
    return numpy_results


def _as_array(value):
    return np.asarray(value, np.float32) if _is_real_number(value) else value


for _name in ('evaluate', 'train_on_batch', 'test_on_batch'):
    setattr(training.Model, _name, _numpy_results(getattr(training.Model, _name)))


# What tf_keras's v1 compile takes besides its parameters: the session's arguments and its
# own flags.
_COMPILE_OPTIONS = {'feed_dict', 'fetches', 'options', 'run_metadata', 'run_eagerly',
                    'experimental_run_tf_function', 'cloning', 'from_serialized'}


def _keeping_unknown_arguments(compile_):
    parameters = set(inspect.signature(compile_).parameters) | _COMPILE_OPTIONS

    @functools.wraps(compile_)
    def compile(self, *args, **kwargs):
        unknown = {key: kwargs.pop(key) for key in list(kwargs) if key not in parameters}
        compile_(self, *args, **kwargs)
        if unknown:  # K.function, built at fit, refuses them with TF 1.x's message
            self._function_kwargs = dict(self._function_kwargs, **unknown)
    return compile


training_v1.Model.compile = _keeping_unknown_arguments(training_v1.Model.compile)


def get_save_format(filepath, save_format, _tf_keras_get_save_format=saving_api.get_save_format):
    """TF 1.x's Keras saved HDF5 unless told otherwise, whatever the file's extension
    (`model.save('model.keras')` too, which tf_keras would write in its native format: one
    that reads variables eagerly, so not from a graph); load_model reads HDF5 by content."""
    if not save_format and not tf.executing_eagerly():
        return 'h5'
    return _tf_keras_get_save_format(filepath, save_format)


saving_api.get_save_format = get_save_format


def to_yaml(self, **kwargs):
    """The model's configuration as YAML, with PyYAML installed (TF 1.x's Keras needed it
    too); plain lists and mappings, which yaml.safe_load reads back."""
    yaml = _yaml()
    return yaml.safe_dump(json.loads(self.to_json()), **kwargs)


def model_from_yaml(yaml_string, custom_objects=None):
    """The model a to_yaml configuration describes (read with yaml.safe_load)."""
    from tf_keras.src.saving.legacy.model_config import model_from_json
    return model_from_json(json.dumps(_yaml().safe_load(yaml_string)),
                           custom_objects=custom_objects)


def _yaml():
    try:
        import yaml
    except ImportError:
        raise ImportError('Requires yaml module installed (`pip install pyyaml`).') from None
    return yaml


training.Model.to_yaml = to_yaml


def _broadcasting_target(crossentropy):
    @functools.wraps(crossentropy)
    def categorical_crossentropy(target, output, from_logits=False, axis=-1):
        target, output = tf.convert_to_tensor(target), tf.convert_to_tensor(output)
        if not target.shape.is_compatible_with(output.shape):
            target = tf.broadcast_to(target, tf.shape(output))
        return crossentropy(target, output, from_logits, axis)
    return categorical_crossentropy


keras_backends.replace('categorical_crossentropy',
                       _broadcasting_target(backend.categorical_crossentropy))


class HDF5Matrix(object):
    """Rows start..end of `dataset` in the HDF5 file `datapath`, each read when indexed and
    passed through `normalizer` if given. Files stay open, one h5py.File per path, shared
    by every matrix on it (`refs`)."""
    refs = collections.defaultdict(int)

    def __init__(self, datapath, dataset, start=0, end=None, normalizer=None):
        import h5py  # installed with TensorFlow
        if datapath not in self.refs:
            self.refs[datapath] = h5py.File(datapath, 'r')
        self.data = self.refs[datapath][dataset]
        self.start = start
        self.end = self.data.shape[0] if end is None else end
        self.normalizer = normalizer
        first = self.data[0:1] if normalizer is None else normalizer(self.data[0:1])
        self._base_shape, self._base_dtype = first.shape[1:], first.dtype

    def __len__(self):
        return self.end - self.start

    def __getitem__(self, key):
        """Rows by a slice, an index, or an array or list of increasing indices (h5py's
        rule), counted from `start`; IndexError past `end`."""
        if isinstance(key, slice):
            start = 0 if key.start is None else key.start
            stop = self.shape[0] if key.stop is None else key.stop
            if stop + self.start > self.end:
                raise IndexError
            index = slice(start + self.start, stop + self.start)
        elif isinstance(key, (int, np.integer)):
            if key + self.start >= self.end:
                raise IndexError
            index = key + self.start
        else:
            key = np.asarray(key)
            if np.max(key) + self.start >= self.end:
                raise IndexError
            index = (self.start + key).tolist()
        rows = self.data[index]
        return rows if self.normalizer is None else self.normalizer(rows)

    @property
    def shape(self):
        return (self.end - self.start,) + self._base_shape

    @property
    def dtype(self):
        return self._base_dtype

    @property
    def ndim(self):
        return self.data.ndim

    @property
    def size(self):
        return np.prod(self.shape)
