"""Keras 1's `merge([a, b], mode='concat')` and its Merge layer, which standalone Keras
2.0-2.1 still had (keras/legacy/layers.py, deprecated, removed in Keras 2.2): ported from
Keras 2.1.6 onto tf_keras's Layer. Modes 'sum', 'mul', 'concat', 'ave', 'max', 'dot' and
'cos' (batch_dot over `dot_axes`), or a function with `output_shape`. `keras.layers.merge`
is both this function and the module of the merge layers (`from keras.layers.merge import
Concatenate`), as in Keras 2.0-2.1.

Keras 1's way to build a model of several inputs was a Merge of whole models (or called
layers) as the first layer of a Sequential (Keras 1's babi_memnn.py):

    answer = Sequential()
    answer.add(Merge([response, question_encoder], mode='concat'))
    answer.add(LSTM(32))
    answer.fit([stories, questions, stories], answers)

`Merge(layers=[...])` merges the layers' outputs at once, and a Sequential whose first layer
it is takes its inputs from them, as Keras 2.1.6's Sequential.add did; such a Sequential's
config holds the merged models' configs (Keras 2.1's legacy_get_config), so `model.save`
and `load_model` round-trip it."""
import threading
import warnings

import tensorflow.compat.v1 as tf
from tf_keras.src import backend as K
from tf_keras.src.engine import sequential
from tf_keras.src.engine.base_layer import Layer
from tf_keras.src.layers import deserialize, serialize
from tf_keras.src.saving.object_registration import get_custom_objects
from tf_keras.src.utils import layer_utils
from tf_keras.src.utils.generic_utils import has_arg

from tf1.keras_legacy import batch_dot
from tf1.namespace import Namespace
from tf1.unsupported import UnsupportedApiError

_MODES = ('sum', 'mul', 'concat', 'ave', 'cos', 'dot', 'max')


class Merge(Layer):
    """Keras 1's merge, by `mode`, of a list of tensors (called on them) or of the
    outputs of `layers` (layers already called, or models)."""

    def __init__(self, layers=None, mode='sum', concat_axis=-1, dot_axes=-1,
                 output_shape=None, output_mask=None, arguments=None, node_indices=None,
                 tensor_indices=None, name=None):
        warnings.warn('The `Merge` layer is deprecated and will be removed after 08/2017. '
                      'Use instead layers from `keras.layers.merge`, e.g. `add`, '
                      '`concatenate`, etc.', stacklevel=2)
        if not callable(mode) and mode not in _MODES:
            raise ValueError('Invalid merge mode: ' + str(mode))
        super().__init__(name=name)
        self.mode = mode
        self.concat_axis = concat_axis
        self.dot_axes = dot_axes
        self._output_shape = output_shape
        self._output_mask = output_mask
        self.arguments = arguments or {}
        self.supports_masking = True
        if layers and (not isinstance(layers, (list, tuple)) or len(layers) < 2):
            raise TypeError('A Merge should only be applied to a list of layers with at '
                            'least 2 elements. Found: ' + str(layers))
        # The merged layers, kept for the config only: as attributes tracked by tf_keras
        # they would be this layer's sublayers, their weights saved twice.
        self._self_setattr_tracking = False
        self.layers = list(layers or [])
        self._self_setattr_tracking = True
        if layers:  # Keras 1: merge the layers' outputs now
            node_indices = node_indices or [0] * len(layers)
            tensor_indices = tensor_indices or [0] * len(layers)
            inputs = [tf.nest.flatten(layer.get_output_at(node))[tensor]
                      for layer, node, tensor in zip(layers, node_indices, tensor_indices)]
            self(inputs, mask=[getattr(x, '_keras_mask', None) for x in inputs])

    def build(self, input_shape):
        if not isinstance(input_shape, list) or len(input_shape) < 2:
            raise TypeError('A Merge should only be applied to a list of layers with at '
                            'least 2 elements. Found: ' + str(input_shape))
        shapes = [tuple(tf.TensorShape(shape).as_list()) for shape in input_shape]
        if self.mode in ('sum', 'mul', 'ave', 'cos', 'max') and len(set(shapes)) > 1:
            raise ValueError('Only layers of same output shape can be merged using %s mode. '
                             'Layer shapes: %s' % (self.mode, shapes))
        if self.mode in ('cos', 'dot'):
            if len(shapes) > 2:
                raise ValueError(self.mode + ' merge takes exactly 2 layers')
            n1, n2 = len(shapes[0]), len(shapes[1])
            if isinstance(self.dot_axes, int):
                self.dot_axes = ([self.dot_axes % n1, self.dot_axes % n2]
                                 if self.dot_axes < 0 else [self.dot_axes] * 2)
            if len(self.dot_axes) != 2 or not all(isinstance(a, int) for a in self.dot_axes):
                raise ValueError('Invalid format for dot_axes - should contain two ints.')
            if shapes[0][self.dot_axes[0]] != shapes[1][self.dot_axes[1]]:
                raise ValueError('Dimension incompatibility using dot mode: %s != %s. Layer '
                                 'shapes: %s, %s' % (shapes[0][self.dot_axes[0]],
                                                     shapes[1][self.dot_axes[1]], *shapes))
        elif self.mode == 'concat':
            reduced = set()
            for shape in shapes:
                shape = list(shape)
                del shape[self.concat_axis]
                reduced.add(tuple(shape))
            if len(reduced) > 1:
                raise ValueError('"concat" mode can only merge layers with matching output '
                                 'shapes except for the concat axis. Layer shapes: %s'
                                 % (shapes,))
        super().build(input_shape)

    def call(self, inputs, mask=None):
        if callable(self.mode):
            arguments = dict(self.arguments)
            if has_arg(self.mode, 'mask'):
                arguments['mask'] = mask
            return self.mode(inputs, **arguments)
        if self.mode in ('sum', 'ave'):
            total = inputs[0]
            for x in inputs[1:]:
                total = total + x
            return total / len(inputs) if self.mode == 'ave' else total
        if self.mode == 'concat':
            return K.concatenate(inputs, axis=self.concat_axis)
        if self.mode == 'mul':
            product = inputs[0]
            for x in inputs[1:]:
                product = product * x
            return product
        if self.mode == 'max':
            largest = inputs[0]
            for x in inputs[1:]:
                largest = K.maximum(largest, x)
            return largest
        l1, l2 = inputs
        if self.mode == 'dot':
            return batch_dot(l1, l2, self.dot_axes)
        denominator = K.sqrt(batch_dot(l1, l1, self.dot_axes) *
                             batch_dot(l2, l2, self.dot_axes))
        output = batch_dot(l1, l2, self.dot_axes) / K.maximum(denominator, K.epsilon())
        return K.expand_dims(output, 1)

    def compute_output_shape(self, input_shape):
        if callable(self.mode):
            if callable(self._output_shape):
                return self._output_shape(input_shape)
            if self._output_shape is not None:
                return (input_shape[0][0],) + tuple(self._output_shape)
            raise ValueError('The Merge layer %s has a callable `mode` argument, and we cannot '
                             'infer its output shape because no `output_shape` argument was '
                             'provided.' % self.name)
        shapes = [tuple(tf.TensorShape(shape).as_list()) for shape in input_shape]
        if self.mode in ('sum', 'mul', 'ave', 'max'):
            return shapes[0]
        if self.mode == 'concat':
            output_shape = list(shapes[0])
            for shape in shapes[1:]:
                if output_shape[self.concat_axis] is None or shape[self.concat_axis] is None:
                    output_shape[self.concat_axis] = None
                    break
                output_shape[self.concat_axis] += shape[self.concat_axis]
            return tuple(output_shape)
        shape1, shape2 = list(shapes[0]), list(shapes[1])  # 'dot' and 'cos'
        shape1.pop(self.dot_axes[0])
        shape2.pop(self.dot_axes[1])
        output_shape = shape1 + shape2[1:]
        return tuple(output_shape if len(output_shape) > 1 else output_shape + [1])

    def compute_mask(self, inputs, mask=None):
        if mask is None or all(m is None for m in mask) or self.mode in ('cos', 'dot'):
            return None
        if self.mode in ('sum', 'mul', 'ave', 'max'):
            masks = [K.expand_dims(m, 0) for m in mask if m is not None]
            return K.all(K.concatenate(masks, axis=0), axis=0, keepdims=False)
        if self.mode == 'concat':
            masks = []
            for input_i, mask_i in zip(inputs, mask):
                if mask_i is None:
                    masks.append(K.ones_like(input_i, dtype='bool'))
                elif K.ndim(mask_i) < K.ndim(input_i):
                    masks.append(K.expand_dims(mask_i))
                else:
                    masks.append(mask_i)
            return K.all(K.concatenate(masks, axis=self.concat_axis), axis=-1, keepdims=False)
        return self._output_mask(mask) if callable(self._output_mask) else self._output_mask

    def get_config(self):
        if callable(self.mode):
            raise UnsupportedApiError('tf1 saves a Merge layer of a named mode only, not of a '
                                      'function: save the weights instead')
        config = dict(super().get_config(), mode=self.mode, concat_axis=self.concat_axis,
                      dot_axes=self.dot_axes)
        if self.layers:
            config['layers'] = [serialize(layer) for layer in self.layers]
        return config

    @classmethod
    def from_config(cls, config):
        """The merged layers are made once per saved model: a model merged twice (Keras 1's
        babi_memnn merges its question encoder twice) is one model again."""
        config = dict(config)
        outermost = not hasattr(_loading, 'layers')
        if outermost:
            _loading.layers = {}
        try:
            config['layers'] = [_deserialize_once(layer) for layer in config.get('layers', [])]
        finally:
            if outermost:
                del _loading.layers
        config.pop('trainable', None), config.pop('dtype', None)
        return cls(**config)


_loading = threading.local()  # the layers a load_model has made, by name


def _deserialize_once(config):
    name = config['config'].get('name')
    if name not in _loading.layers:
        _loading.layers[name] = deserialize(config, use_legacy_format='module' not in config)
    return _loading.layers[name]


_tf_keras_add = sequential.Sequential.add
_tf_keras_get_config = sequential.Sequential.get_config


def _add(self, layer):
    """A Merge of layers as a Sequential's first layer gives it the merged layers' inputs,
    as Keras 2.1.6's Sequential.add did: its output is the Sequential's, its source inputs
    (each once, in the order the merge reaches them) the Sequential's inputs."""
    if not (isinstance(layer, Merge) and layer.layers and not self._self_tracked_trackables
            and not self.outputs):
        return _tf_keras_add(self, layer)
    self._self_setattr_tracking = False
    self._keras_1_merge = layer
    self._self_setattr_tracking = True
    self.outputs = tf.nest.flatten(layer.get_output_at(0))
    self.inputs = layer_utils.get_source_inputs(self.outputs[0])
    self._has_explicit_input_shape = True
    self._init_graph_network(self.inputs, self.outputs)
    self._graph_initialized = True
    self.built = True


def _get_config(self):
    """A Sequential that starts with a Merge of layers is configured as that Merge (the
    merged layers' configs in it) and the layers added after it, as Keras 2.1.6's
    legacy_get_config made it; tf_keras's would list every layer the merge reaches."""
    config = _tf_keras_get_config(self)
    merge = getattr(self, '_keras_1_merge', None)
    if merge is not None:
        merged = set(id(layer) for layer in _layers_before(merge))
        config['layers'] = [serialize(layer) for layer in self.layers
                            if layer is merge or id(layer) not in merged]
    return config


def _layers_before(layer):
    """Every layer whose output reaches `layer`'s first call."""
    found, seen, nodes = [], set(), list(layer._inbound_nodes[0].parent_nodes)
    while nodes:
        node = nodes.pop()
        if id(node) not in seen:
            seen.add(id(node))
            found.append(node.layer)
            nodes.extend(node.parent_nodes)
    return found


sequential.Sequential.add = _add
sequential.Sequential.get_config = _get_config
get_custom_objects()['Merge'] = Merge  # load_model finds Keras 2.1's saved Merge layers


def merge(inputs, mode='sum', concat_axis=-1, dot_axes=-1, output_shape=None,
          output_mask=None, arguments=None, name=None):
    """Keras 1's functional merge: a Merge layer called on `inputs`."""
    warnings.warn('The `merge` function is deprecated and will be removed after 08/2017. '
                  'Use instead layers from `keras.layers.merge`, e.g. `add`, `concatenate`, '
                  'etc.', stacklevel=3)  # the caller of keras.layers.merge(...)
    return Merge(mode=mode, concat_axis=concat_axis, dot_axes=dot_axes,
                 output_shape=output_shape, output_mask=output_mask, arguments=arguments,
                 name=name)(inputs)


class MergeModule(Namespace):
    """`keras.layers.merge`: the module of the merge layers, callable as Keras 1's merge."""

    def __call__(self, *args, **kwargs):
        return merge(*args, **kwargs)
