"""Standalone Keras 2.0-2.2's weight-file functions, which code called to load weights by
layer name into some of a model's layers (Mask R-CNN's load_weights): keras.engine.saving
(Keras 2.2) and keras.engine.topology (Keras 2.0-2.1) took a list of layers; tf_keras's
take a model."""
from tf_keras.src.saving.legacy import hdf5_format


class _Layers:
    """A list of layers as tf_keras's functions read a model: its layers, and no weights
    of its own."""

    def __init__(self, layers):
        self.layers = list(layers)
        self._trainable_weights, self._non_trainable_weights = [], []

    def _flatten_layers(self, include_self=True, recursive=True):
        return iter(self.layers)


def _as_model(layers):
    return layers if hasattr(layers, 'layers') else _Layers(layers)


def load_weights_from_hdf5_group(f, layers, reshape=False):
    """The weights saved in HDF5 group `f`, layer by layer in order, into `layers`.
    (`reshape`, Keras 2's conversion of Theano-era kernels, is not done.)"""
    hdf5_format.load_weights_from_hdf5_group(f, _as_model(layers))


def load_weights_from_hdf5_group_by_name(f, layers, skip_mismatch=False, reshape=False):
    """The weights saved in `f` into the layers of `layers` of the same names (those the
    file lacks are left as they are)."""
    hdf5_format.load_weights_from_hdf5_group_by_name(f, _as_model(layers), skip_mismatch)


def save_weights_to_hdf5_group(f, layers):
    """The weights of `layers` into HDF5 group `f`, as Model.save_weights writes them."""
    hdf5_format.save_weights_to_hdf5_group(f, _as_model(layers))
