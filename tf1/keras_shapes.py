"""Keras 2's `_keras_shape`, for standalone Keras (tf1/api.py installs it on the first
`import keras`).

Standalone Keras 2.0-2.3 gave each output of a layer called on Keras tensors the shape the
layer declares, `compute_output_shape` of its inputs' such shapes, as `_keras_shape`;
`K.int_shape` answered it before the graph's static shape, and a layer was built for it.
Code of the time relied on it where TensorFlow cannot know a dimension: Mask R-CNN's ROI
layers declare their number of boxes, its heads read it with `K.int_shape(x)[1]`, and its
TimeDistributed layers split the batch from the boxes by it. tf_keras reads the graph's
static shape only.

Here, as in Keras 2: a layer's output gets `_keras_shape` where the layer is a user's own
with `compute_output_shape` or a Lambda given `output_shape` (keras-yolo3's loss, a
scalar declared (1,)), or where an input's `_keras_shape` says more than the graph
does (then also through tf_keras's layers; a Lambda without `output_shape` is run on
placeholders of those shapes in a scratch graph, as Keras 2 ran it). A layer that cannot
say (no `compute_output_shape`, or it fails) leaves the graph's static shape, where Keras
2 assumed the input's. Every other Keras tensor's `_keras_shape` is its static shape (WideResNet
and NASNet read `x._keras_shape` of any layer's output). TF 1.x's own tf.keras had no
`_keras_shape`: only after standalone Keras is imported."""
import tensorflow.compat.v1 as tf
from tensorflow.python.framework import ops
from tf_keras.src import backend
from tf_keras.src.engine import base_layer
from tf_keras.src.layers.core import lambda_layer
from tf_keras.src.utils import tf_utils

from tf1 import keras_backends

_static_int_shape = backend.int_shape


def int_shape(x):
    """Keras 2's K.int_shape: the Keras shape a layer declared for `x`, else its static
    shape (None where its rank is unknown)."""
    if hasattr(x, '_keras_shape'):
        return x._keras_shape
    return _static_int_shape(x)


def _as_tuple(shape):
    """A declared shape as Keras 2 kept it: a tuple of ints and Nones (None: unknown rank)."""
    if shape is None:
        return None
    shape = tf.TensorShape(shape)
    return tuple(shape.as_list()) if shape.rank is not None else None


def _says_more(x):
    """Whether `x` carries a Keras shape other than its static shape."""
    return hasattr(x, '_keras_shape') and x._keras_shape != _static_int_shape(x)


def _declares_shape(layer):
    """Whether the layer says its output's shape: a user's class with its own
    compute_output_shape, or a Lambda given `output_shape`."""
    if isinstance(layer, lambda_layer.Lambda):
        return layer._output_shape is not None
    method = getattr(type(layer), 'compute_output_shape', None)
    return method is not None and not method.__module__.startswith('tf_keras.')


def _lambda_shapes(layer, input_shapes, inputs):
    """A Lambda without output_shape, run on placeholders of its inputs' Keras shapes in a
    scratch graph (Keras 2 ran it on placeholders in the model's)."""
    with tf.Graph().as_default():
        placeholders = [tf.placeholder(x.dtype, shape) for x, shape in zip(inputs, input_shapes)]
        outputs = layer.function(placeholders if len(placeholders) > 1 else placeholders[0],
                                 **layer.arguments)
        return [_static_int_shape(y) for y in tf.nest.flatten(outputs)]


def _declared_shapes(layer, inputs, outputs):
    """The Keras shapes of the layer's outputs, or None where the graph's static shapes
    stand."""
    if not (_declares_shape(layer) or any(_says_more(x) for x in inputs)):
        return None
    input_shapes = [int_shape(x) for x in inputs]
    if not input_shapes or any(shape is None for shape in input_shapes):
        return None  # Keras 2 declared nothing for an input of unknown rank
    try:
        if isinstance(layer, lambda_layer.Lambda) and layer._output_shape is None:
            return _lambda_shapes(layer, input_shapes, inputs)
        declared = layer.compute_output_shape(
            input_shapes if len(input_shapes) > 1 else input_shapes[0])
        if declared is None:  # tf_keras's way of saying the layer cannot say
            return None
        if len(outputs) == 1:
            return [_as_tuple(declared)]
        return [_as_tuple(shape) for shape in declared]
    except Exception:  # the layer cannot say: the graph's static shapes stand
        return None


def _set_connectivity_metadata(self, args, kwargs, outputs):
    outputs = _connect(self, args, kwargs, outputs)
    inputs, flat_outputs = tf.nest.flatten(args[0]), tf.nest.flatten(outputs)
    declared = _declared_shapes(self, inputs, flat_outputs)
    if declared is not None and len(declared) == len(flat_outputs):
        for output, shape in zip(flat_outputs, declared):
            output._keras_shape = shape
    return outputs


def _get_shapes(tensors):
    """The shapes a layer is built for: its inputs' Keras shapes, as Keras 2 built it."""
    return tf.nest.map_structure(
        lambda x: (tf.TensorShape(x._keras_shape) if _says_more(x) else x.shape)
        if hasattr(x, 'shape') else None, tensors)


_connect = base_layer.Layer._set_connectivity_metadata
_installed = False


def install():
    """Keras 2's `_keras_shape` for the rest of the process."""
    global _installed
    if _installed:
        return
    _installed = True
    base_layer.Layer._set_connectivity_metadata = _set_connectivity_metadata
    tf_utils.get_shapes = _get_shapes
    keras_backends.replace('int_shape', int_shape)
    ops.SymbolicTensor._keras_shape = property(_keras_shape, _declare_keras_shape)


def _keras_shape(x):
    """Keras 2's `x._keras_shape` of a Keras tensor (an Input, a layer's output): the shape
    its layer declared, else its static shape. Other tensors have none, as in Keras 2 (code
    told Keras tensors apart by it)."""
    if '_declared_keras_shape' in x.__dict__:
        return x.__dict__['_declared_keras_shape']
    if not hasattr(x, '_keras_history'):
        raise AttributeError("'%s' object has no attribute '_keras_shape'" % type(x).__name__)
    return _static_int_shape(x)


def _declare_keras_shape(x, shape):
    x.__dict__['_declared_keras_shape'] = shape
