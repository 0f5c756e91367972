"""Every member TF 1.15's classes had in the modules tf1 makes itself (tf.layers,
tf.nn.rnn_cell, tf.estimator: tests/tf1_api_members.txt, from TensorFlow's v1 API goldens by
scripts/tf1_api_names.py) is there on tf1's (NOT_PROVIDED would list any tf1 leaves
out). Layers and cells are made and called as a script makes them, RunConfigs made;
the other classes are looked at as they are (their members are methods and properties)."""
import inspect
import os

import pytest
import tensorflow.compat.v1 as tf

from test_tf1_api_names import NOT_PROVIDED as CLASSES_NOT_PROVIDED, lookup
from tf1.api import tensorflow as tf1_api
from tf1.unsupported import UnsupportedApiError

tf.disable_v2_behavior()
pytestmark = pytest.mark.usefixtures('fresh_graph')  # conftest.py

MEMBERS = os.path.join(os.path.dirname(__file__), 'tf1_api_members.txt')
layers, rnn_cell = tf1_api.layers, tf1_api.nn.rnn_cell

NOT_PROVIDED = {}  # none now: a member tf1 leaves out is listed here, with why


class OneStep(rnn_cell.RNNCell):
    """The least RNNCell: its state is its inputs."""
    state_size = output_size = 3

    def call(self, inputs, state):
        return inputs, inputs


def called(layer, *shape):
    layer(tf.zeros(shape))
    return layer


def stepped(cell):
    cell(tf.zeros([2, 3]), cell.zero_state(2, tf.float32))
    return cell


MAKE = {
    'layers.Layer': lambda: called(layers.Layer(), 2, 3),
    'layers.Dense': lambda: called(layers.Dense(2), 2, 3),
    'layers.Dropout': lambda: called(layers.Dropout(), 2, 3),
    'layers.Flatten': lambda: called(layers.Flatten(), 2, 3, 4),
    'layers.InputSpec': lambda: layers.InputSpec(ndim=2),
    **{'layers.' + name: (lambda name=name, rank=rank: called(
        getattr(layers, name)(*([2, 1] if 'Conv' in name else [1, 1])), 2, *[4] * rank, 3))
       for rank in (1, 2, 3)
       for name in ('Conv%dD' % rank, 'MaxPooling%dD' % rank, 'AveragePooling%dD' % rank)},
    'layers.Conv2DTranspose': lambda: called(layers.Conv2DTranspose(2, 1), 2, 4, 4, 3),
    'layers.Conv3DTranspose': lambda: called(layers.Conv3DTranspose(2, 1), 2, 4, 4, 4, 3),
    'layers.SeparableConv1D': lambda: called(layers.SeparableConv1D(2, 1), 2, 4, 3),
    'layers.SeparableConv2D': lambda: called(layers.SeparableConv2D(2, 1), 2, 4, 4, 3),
    'layers.BatchNormalization': lambda: called(layers.BatchNormalization(), 2, 4, 3),
    'nn.rnn_cell.RNNCell': lambda: stepped(OneStep()),
    **{'nn.rnn_cell.' + name: (lambda name=name: stepped(getattr(rnn_cell, name)(2)))
       for name in ('BasicLSTMCell', 'BasicRNNCell', 'GRUCell', 'LSTMCell')},
    'nn.rnn_cell.MultiRNNCell': lambda: stepped(rnn_cell.MultiRNNCell(
        [rnn_cell.GRUCell(2), rnn_cell.GRUCell(2)])),
    'nn.rnn_cell.DropoutWrapper': lambda: stepped(rnn_cell.DropoutWrapper(
        rnn_cell.GRUCell(2), output_keep_prob=0.5)),
    'nn.rnn_cell.ResidualWrapper': lambda: stepped(rnn_cell.ResidualWrapper(
        rnn_cell.GRUCell(3))),
    'nn.rnn_cell.DeviceWrapper': lambda: stepped(rnn_cell.DeviceWrapper(
        rnn_cell.GRUCell(2), '/cpu:0')),
    'nn.rnn_cell.LSTMStateTuple': lambda: rnn_cell.LSTMStateTuple(tf.zeros([2, 2]),
                                                                  tf.zeros([2, 2])),
    # Their settings are the instance's.
    'estimator.RunConfig': tf1_api.estimator.RunConfig,
    'estimator.tpu.RunConfig': tf1_api.estimator.tpu.RunConfig,
}


def classes():
    with open(MEMBERS) as lines:
        for line in lines:
            dotted, *members = line.split()
            yield dotted, members


@pytest.mark.parametrize('dotted, members', list(classes()), ids=lambda x: str(x)[:40])
def test_every_tf_1_15_member_is_there(dotted, members):
    path = dotted.split('.')[1:]
    try:
        kind = lookup(path[:-1], path[-1])
    except UnsupportedApiError:  # a class tf1 does not provide: test_tf1_api_names's list
        assert 'tf.' + '.'.join(path) in CLASSES_NOT_PROVIDED
        return
    make = MAKE.get('.'.join(path))
    instance = make() if make else kind
    assert isinstance(instance, kind) or instance is kind
    # Looked up, not read: `output` of a layer in no Keras model raises, as TF 1.15's did.
    missing = set()
    for member in members:
        try:
            inspect.getattr_static(instance, member)
        except AttributeError:
            missing.add(member)
    assert missing == NOT_PROVIDED.get(dotted, set()), sorted(
        missing ^ NOT_PROVIDED.get(dotted, set()))
