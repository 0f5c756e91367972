"""Keras 1's `merge([a, b], mode='concat')` and its Merge layer, which standalone Keras
2.0-2.1 still had (keras/legacy/layers.py, deprecated, removed in Keras 2.2): ported from
Keras 2.1.6 onto tf_keras's Layer, for the functional API on Keras tensors. Modes 'sum',
'mul', 'concat', 'ave', 'max', 'dot' and 'cos' (batch_dot over `dot_axes`), or a function
with `output_shape`. `keras.layers.merge` is both this function and the module of the merge
layers (`from keras.layers.merge import Concatenate`), as in Keras 2.0-2.1."""
import warnings

import tensorflow.compat.v1 as tf
from tf_keras.src import backend as K
from tf_keras.src.engine.base_layer import Layer
from tf_keras.src.utils.generic_utils import has_arg

from tf1.keras_legacy import batch_dot
from tf1.namespace import Namespace
from tf1.unsupported import UnsupportedApiError

_MODES = ('sum', 'mul', 'concat', 'ave', 'cos', 'dot', 'max')


class Merge(Layer):
    """Keras 1's merge of a list of tensors by `mode`."""

    def __init__(self, layers=None, mode='sum', concat_axis=-1, dot_axes=-1,
                 output_shape=None, output_mask=None, arguments=None, node_indices=None,
                 tensor_indices=None, name=None):
        warnings.warn('The `Merge` layer is deprecated and will be removed after 08/2017. '
                      'Use instead layers from `keras.layers.merge`, e.g. `add`, '
                      '`concatenate`, etc.', stacklevel=2)
        if layers:
            raise UnsupportedApiError(
                'keras.layers.Merge(layers=[...]) (Keras 1 merging models or layers in a '
                'Sequential) is not provided by tf1: merge their outputs with the functional '
                'API, merge([model_a.output, model_b.output], mode=...)')
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
        return None  # tf_keras infers it by calling the layer

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
        return dict(super().get_config(), mode=self.mode, concat_axis=self.concat_axis,
                    dot_axes=self.dot_axes)


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
