"""tf.layers.InputSpec: what a layer expects of its inputs (rank, dtype, shape, the size of
some axes), checked at every call, as TF 1.15 (tensorflow/python/keras/engine/input_spec.py)
did, with its error messages. A layer sets `self.input_spec` (one spec, or one per input)."""

import tensorflow.compat.v1 as tf


class InputSpec(object):
    """The ndim, dtype and shape each input must have; None anywhere accepts anything.
    `allow_last_axis_squeeze` and `name` are tf.keras's, for a tf.keras layer given this
    spec (TF 1.x's tf.layers.InputSpec was tf.keras's class), which reads them; these
    layers' checks do not use them."""

    def __init__(self, dtype=None, shape=None, ndim=None, max_ndim=None, min_ndim=None,
                 axes=None, allow_last_axis_squeeze=False, name=None):
        self.allow_last_axis_squeeze, self.name = allow_last_axis_squeeze, name
        self.dtype = tf.as_dtype(dtype).name if dtype is not None else None
        self.shape = shape
        self.ndim = len(shape) if shape is not None else ndim
        self.max_ndim, self.min_ndim = max_ndim, min_ndim
        try:
            axes = axes or {}
            self.axes = {int(k): axes[k] for k in axes}
        except (ValueError, TypeError):
            raise TypeError('The keys in axes must be integers.')
        if self.axes and (self.ndim is not None or self.max_ndim is not None):
            max_dim = (self.ndim if self.ndim else self.max_ndim) - 1
            if max(self.axes) > max_dim:
                raise ValueError('Axis {} is greater than the maximum allowed value: {}'
                                 .format(max(self.axes), max_dim))

    def __repr__(self):
        spec = ['%s=%s' % (key, value) for key, value in self.get_config().items() if value]
        return 'InputSpec(%s)' % ', '.join(spec)

    def get_config(self):
        return {'dtype': self.dtype, 'shape': self.shape, 'ndim': self.ndim,
                'max_ndim': self.max_ndim, 'min_ndim': self.min_ndim, 'axes': self.axes}

    @classmethod
    def from_config(cls, config):
        return cls(**config)


def assert_input_compatibility(input_spec, inputs, layer_name):
    """A ValueError saying what differs when `inputs` do not meet `input_spec` (one spec, a
    structure of them, or None for no check)."""
    if not input_spec:
        return
    inputs, specs = tf.nest.flatten(inputs), tf.nest.flatten(input_spec)
    if len(inputs) != len(specs):
        raise ValueError('Layer %s expects %d inputs, but it received %d input tensors. '
                         'Inputs received: %s' % (layer_name, len(specs), len(inputs), inputs))
    for index, (x, spec) in enumerate(zip(inputs, specs)):
        if spec is not None:
            _check(spec, x, index, layer_name)


def _check(spec, x, index, layer_name):
    prefix = 'Input %d of layer %s is incompatible with the layer: ' % (index, layer_name)
    ndim = x.shape.ndims
    if ndim is None and (spec.ndim, spec.min_ndim, spec.max_ndim) != (None, None, None):
        raise ValueError(prefix + 'its rank is undefined, but the layer requires a defined '
                         'rank.')
    shape = x.shape.as_list() if ndim is not None else None
    if spec.ndim is not None and ndim != spec.ndim:
        raise ValueError(prefix + 'expected ndim=%s, found ndim=%s. Full shape received: %s'
                         % (spec.ndim, ndim, shape))
    if spec.max_ndim is not None and ndim > spec.max_ndim:
        raise ValueError(prefix + 'expected max_ndim=%s, found ndim=%s' % (spec.max_ndim, ndim))
    if spec.min_ndim is not None and ndim < spec.min_ndim:
        raise ValueError(prefix + ': expected min_ndim=%s, found ndim=%s. Full shape '
                         'received: %s' % (spec.min_ndim, ndim, shape))
    if spec.dtype is not None and x.dtype != spec.dtype:
        raise ValueError(prefix + 'expected dtype=%s, found dtype=%s' % (spec.dtype, x.dtype))
    if shape is None:
        return
    for axis, value in spec.axes.items():
        value = tf.compat.dimension_value(value)
        if value is not None and shape[axis] not in (value, None):
            raise ValueError(prefix + 'expected axis %d of input shape to have value %s but '
                             'received input with shape %s' % (axis, value, shape))
    if spec.shape is not None and any(
            expected is not None and got is not None and expected != got
            for expected, got in zip(spec.shape, shape)):
        raise ValueError('Input %d is incompatible with layer %s: expected shape=%s, found '
                         'shape=%s' % (index, layer_name, spec.shape, shape))
