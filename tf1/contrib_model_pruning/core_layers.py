"""model_pruning's layers (TF 1.15's contrib/model_pruning/python/layers/core_layers.py):
tf.layers' Conv2D and Dense whose kernel is multiplied by a mask before use, each with
its `mask` and `threshold` variables beside the kernel, all in the collections that
pruning.Pruning updates."""
import tensorflow.compat.v1 as tf

from tf1 import layers

MASK_COLLECTION = 'masks'
THRESHOLD_COLLECTION = 'thresholds'
MASKED_WEIGHT_COLLECTION = 'masked_weights'
WEIGHT_COLLECTION = 'kernel'
# 'weights' in the name, so that contrib.quantize quantises the masked kernel.
MASKED_WEIGHT_NAME = 'weights/masked_weight'


def _add_mask(layer):
    """The built layer's mask and threshold variables, its masked kernel, and the
    collections."""
    layer.built = False  # so that add_weight makes them (it reuses a built layer's)
    layer.mask = layer.add_weight('mask', layer.kernel.shape, initializer=tf.ones_initializer(),
                                  trainable=False)
    layer.threshold = layer.add_weight('threshold', [], initializer=tf.zeros_initializer(),
                                       trainable=False)
    layer.built = True
    layer.masked_kernel = tf.multiply(layer.mask, layer.kernel, MASKED_WEIGHT_NAME)
    for collection, value in ((MASK_COLLECTION, layer.mask),
                              (MASKED_WEIGHT_COLLECTION, layer.masked_kernel),
                              (THRESHOLD_COLLECTION, layer.threshold),
                              (WEIGHT_COLLECTION, layer.kernel)):
        tf.add_to_collection(collection, value)


class MaskedConv2D(layers.Conv2D):
    """A 2-D convolution by its kernel times its mask."""

    def build(self, input_shape):
        super().build(input_shape)
        _add_mask(self)

    def call(self, inputs):
        return self._convolve(inputs, self.masked_kernel)


class MaskedFullyConnected(layers.Dense):
    """A fully connected layer by its kernel times its mask."""

    def build(self, input_shape):
        super().build(input_shape)
        _add_mask(self)

    def call(self, inputs):
        return self._multiply(inputs, self.masked_kernel)
