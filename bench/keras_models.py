"""The seven architectures of graphs/ written in Keras 3, layer for layer, for comparison.

Each takes the contract's flat [None, 784] input and returns logits; dropout sits where
graphs/ has it (nn, cnn). Initialisers are Keras' own: they change accuracy, not speed.
"""
import keras
from keras import layers

from graphs.contract import IMAGE_PIXELS, IMAGE_SIZE, NUM_CLASSES


def _image():
    return [layers.Reshape((IMAGE_SIZE, IMAGE_SIZE, 1))]


def _conv(channels, size, padding='same'):
    return layers.Conv2D(channels, size, padding=padding, activation='relu')


def _stack(*layer_lists):
    return [layer for layer_list in layer_lists for layer in layer_list]


def regression():
    return []


def nn():
    return [layers.Lambda(keras.ops.round), layers.Dense(500, activation='relu'),
            layers.Dropout(0.5)]


def cnn():
    return _stack(_image(), [
        _conv(32, 5), layers.MaxPooling2D(2, padding='same'),
        _conv(64, 5), layers.MaxPooling2D(2, padding='same'),
        layers.Flatten(), layers.Dense(1024, activation='relu'), layers.Dropout(0.5)])


def lstm():
    return [layers.Reshape((IMAGE_SIZE, IMAGE_SIZE)), layers.LSTM(128)]


def cnn_lstm():
    return _stack(_image(), [
        _conv(32, 5), layers.MaxPooling2D(2, padding='same'),
        _conv(64, 5), layers.MaxPooling2D(2, padding='same'),
        layers.Reshape((49, 64)), layers.Permute((2, 1)),  # 64 steps of 49 features
        layers.LSTM(128)])


def lenet5():
    return _stack(_image(), [
        layers.ZeroPadding2D(2),
        _conv(6, 5, 'valid'), layers.AveragePooling2D(2),
        _conv(16, 5, 'valid'), layers.AveragePooling2D(2),
        layers.Flatten(), layers.Dense(120, activation='relu'),
        layers.Dense(84, activation='relu')])


def crnn():
    return _stack(_image(), [
        _conv(32, 3), layers.MaxPooling2D(2),
        _conv(64, 3), layers.MaxPooling2D(2),
        _conv(128, 3), layers.MaxPooling2D((2, 1)),
        _conv(256, 3),
        layers.Reshape((21, 256)),
        layers.LSTM(128, return_sequences=True), layers.LSTM(128)])


def build(name):
    """The Keras model called `name`: [None, 784] pixels → [None, 10] logits."""
    hidden = globals()[name]()
    return keras.Sequential([keras.Input((IMAGE_PIXELS,))] + hidden + [layers.Dense(NUM_CLASSES)],
                            name=name)
