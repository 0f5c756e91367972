"""The seven architectures of graphs/ written in PyTorch, layer for layer, for comparison.

Each takes the contract's flat [N, 784] input and returns logits. PyTorch is channels-
first, so where a graphs/ model reads a 7×7×64 map as 64 steps of 49 features the
channels are the steps here without a transpose, and the CRNN's 3×7 map is permuted to
21 steps of 256 channels; the layers and their sizes are the same.
"""
import torch
from torch import nn as tnn

from graphs.contract import IMAGE_PIXELS, IMAGE_SIZE, NUM_CLASSES


class Apply(tnn.Module):
    """A function as a layer (round, permute)."""

    def __init__(self, function):
        super().__init__()
        self.function = function

    def forward(self, x):
        return self.function(x)


class LSTM(tnn.Module):
    """nn.LSTM over [batch, time, features]: the last step's output, or every step's."""

    def __init__(self, input_size, units=128, return_sequences=False):
        super().__init__()
        self.lstm = tnn.LSTM(input_size, units, batch_first=True)
        self.return_sequences = return_sequences

    def forward(self, x):
        outputs, _ = self.lstm(x)
        return outputs if self.return_sequences else outputs[:, -1]


def _image():
    return [tnn.Unflatten(1, (1, IMAGE_SIZE, IMAGE_SIZE))]


def _conv(in_channels, out_channels, size, padding='same'):
    return [tnn.Conv2d(in_channels, out_channels, size, padding=padding), tnn.ReLU()]


def _dense(inputs, outputs):
    return [tnn.Linear(inputs, outputs), tnn.ReLU()]


def regression():
    return [], IMAGE_PIXELS


def nn():
    return [Apply(torch.round)] + _dense(IMAGE_PIXELS, 500) + [tnn.Dropout(0.5)], 500


def _conv_pool_blocks():
    return (_image() + _conv(1, 32, 5) + [tnn.MaxPool2d(2)] +
            _conv(32, 64, 5) + [tnn.MaxPool2d(2)])                  # [N, 64, 7, 7]


def cnn():
    return _conv_pool_blocks() + [tnn.Flatten()] + _dense(64 * 49, 1024) + [tnn.Dropout(0.5)], 1024


def lstm():
    return [tnn.Unflatten(1, (IMAGE_SIZE, IMAGE_SIZE)), LSTM(IMAGE_SIZE)], 128


def cnn_lstm():
    return _conv_pool_blocks() + [tnn.Flatten(2), LSTM(49)], 128   # 64 steps of 49


def lenet5():
    return (_image() + [tnn.ZeroPad2d(2)] +
            _conv(1, 6, 5, 'valid') + [tnn.AvgPool2d(2)] +
            _conv(6, 16, 5, 'valid') + [tnn.AvgPool2d(2)] +
            [tnn.Flatten()] + _dense(400, 120) + _dense(120, 84)), 84


def crnn():
    return (_image() +
            _conv(1, 32, 3) + [tnn.MaxPool2d(2)] +
            _conv(32, 64, 3) + [tnn.MaxPool2d(2)] +
            _conv(64, 128, 3) + [tnn.MaxPool2d((2, 1))] +
            _conv(128, 256, 3) +                                     # [N, 256, 3, 7]
            [tnn.Flatten(2), Apply(lambda x: x.transpose(1, 2)),     # [N, 21, 256]
             LSTM(256, return_sequences=True), LSTM(128)]), 128


def build(name):
    """The PyTorch model called `name`: [N, 784] pixels → [N, 10] logits."""
    hidden, width = globals()[name]()
    return tnn.Sequential(*hidden, tnn.Linear(width, NUM_CLASSES))
