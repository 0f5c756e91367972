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


def add_mask(layer, kernel):
    """(mask, threshold, masked kernel) of the built `layer`'s `kernel`: the mask and
    threshold variables made beside it, and all of them in the collections (once: a cell
    reused at every step of an RNN builds once)."""
    layer.built = False  # so that add_weight makes them (it reuses a built layer's)
    mask = layer.add_weight('mask', kernel.get_shape(), initializer=tf.ones_initializer(),
                            trainable=False)
    threshold = layer.add_weight('threshold', [], initializer=tf.zeros_initializer(),
                                 trainable=False)
    layer.built = True
    masked_kernel = tf.multiply(mask, kernel, MASKED_WEIGHT_NAME)
    if mask not in tf.get_collection_ref(MASK_COLLECTION):
        for collection, value in ((MASK_COLLECTION, mask),
                                  (MASKED_WEIGHT_COLLECTION, masked_kernel),
                                  (THRESHOLD_COLLECTION, threshold),
                                  (WEIGHT_COLLECTION, kernel)):
            tf.add_to_collection(collection, value)
    return mask, threshold, masked_kernel


class _MaskedKernel:
    """A tf.layers layer computing with its kernel times its mask."""

    # TF 1.15's were base Layers with arguments and no get_config: it raised.
    _config_keys = ()

    def build(self, input_shape):
        super().build(input_shape)
        self.mask, self.threshold, self.masked_kernel = add_mask(self, self.kernel)

    def call(self, inputs):
        return self._call_with(inputs, self.masked_kernel)


class MaskedConv2D(_MaskedKernel, layers.Conv2D):
    """A 2-D convolution by its kernel times its mask."""


class MaskedFullyConnected(_MaskedKernel, layers.Dense):
    """A fully connected layer by its kernel times its mask."""

    supports_masking = False  # TF 1.15's was a base Layer, not Keras's Dense
