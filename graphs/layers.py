"""Building blocks shared by every model, written as in the classic TensorFlow tutorials
(mnist_with_summaries.py, mnist_deep.py): explicit scopes, TensorBoard summaries for every
weight, bias, pre-activation and activation.

Every model is built twice from the same code, so the two graphs cannot drift apart: the
training graph, and the graph of the weights-only serving checkpoint that clients load,
which `model.build(features, serving=True)` builds inside `inference_graph()`. Only three
things differ, all for speed: the inference graph has no summary ops, no dropout op (its
keep probability is always 1) and runs each LSTM as one chain (the models pass
`lstm_chains()` to lstm_cell.lstm)."""
import contextlib

import numpy as np
import tensorflow.compat.v1 as tf

from graphs.contract import IMAGE_SIZE

_building_inference_graph = False

# Independent recurrences an LSTM's batch is split into in training graphs: each step's
# ops are too small to use a second core, but two chains of them run side by side on two
# (measured for every LSTM model in bench/README.md, "The LSTM gap"). A serving graph
# mostly sees one image, which cannot be split, so it keeps one chain.
TRAINING_LSTM_CHAINS = 2


@contextlib.contextmanager
def inference_graph():
    """Build the serving graph: no summaries, no dropout, one LSTM chain. Entered by
    model.build(serving=True), the one place that chooses which graph is built."""
    global _building_inference_graph
    previous, _building_inference_graph = _building_inference_graph, True
    try:
        yield
    finally:
        _building_inference_graph = previous


def lstm_chains():
    """How many chains an LSTM's batch is split into in the graph being built; the model
    modules pass it to lstm_cell.lstm(chains=...)."""
    return 1 if _building_inference_graph else TRAINING_LSTM_CHAINS


def scalar_summary(name, tensor):
    if not _building_inference_graph:
        tf.summary.scalar(name, tensor)


def histogram_summary(name, tensor):
    if not _building_inference_graph:
        tf.summary.histogram(name, tensor)


def image_summary(name, images, max_outputs=10):
    if not _building_inference_graph:
        tf.summary.image(name, images, max_outputs)


def variable_summaries(var):
    """Mean, stddev, max, min and a histogram of a tensor, as mnist_with_summaries.py has.

    They sit in a `summaries` scope so that no tag collides with the variable's own name
    (TensorBoard would otherwise show `weights_1`)."""
    if _building_inference_graph:
        return
    with tf.name_scope('summaries'):
        # Op names are unique regardless of case, so the reductions get names of their
        # own: an op called 'Mean' would push the 'mean' summary's tag to 'mean_1'.
        mean = tf.reduce_mean(var, name='mean_value')
        variance = tf.reduce_mean(tf.square(var - mean), name='variance')
        stddev = tf.sqrt(variance, name='stddev_value')
        tf.summary.scalar('mean', mean)
        tf.summary.scalar('stddev', stddev)
        tf.summary.scalar('max', tf.reduce_max(var, name='max_value'))
        tf.summary.scalar('min', tf.reduce_min(var, name='min_value'))
        tf.summary.histogram('histogram', var)


def weight_variable(shape, stddev=0.1):
    """Weights from a truncated normal, to break symmetry (as in the tutorials).

    stddev='glorot' scales it to the layer's fan-in and fan-out instead, as Keras does by
    default: the originals written in Keras (LeNet-5, the CRNN) train with that."""
    if stddev == 'glorot':
        receptive_field = int(np.prod(shape[:-2])) if len(shape) > 2 else 1
        fan_in, fan_out = shape[-2] * receptive_field, shape[-1] * receptive_field
        stddev = np.sqrt(2.0 / (fan_in + fan_out))
    return tf.Variable(tf.truncated_normal(shape, stddev=stddev), name='weights')


def bias_variable(shape, value=0.1):
    """A slightly positive bias, so ReLU units start alive (as in the tutorials)."""
    return tf.Variable(tf.constant(value, shape=shape), name='biases')


def nn_layer(input_tensor, output_dim, layer_name, act=tf.nn.relu, stddev=0.1, bias=0.1):
    """A fully connected layer: act(input · W + b), with summaries for each piece."""
    input_dim = int(input_tensor.shape[-1])
    with tf.name_scope(layer_name):
        with tf.name_scope('weights'):
            weights = weight_variable([input_dim, output_dim], stddev)
            variable_summaries(weights)
        with tf.name_scope('biases'):
            biases = bias_variable([output_dim], bias)
            variable_summaries(biases)
        with tf.name_scope('Wx_plus_b'):
            preactivate = tf.matmul(input_tensor, weights) + biases
            histogram_summary('pre_activations', preactivate)
        activations = act(preactivate, name='activation')
        histogram_summary('activations', activations)
        return activations


def conv_layer(input_tensor, kernel_size, output_channels, layer_name, padding='SAME',
               act=tf.nn.relu, stddev=0.1, bias=0.1):
    """A stride-1 convolution with its bias and activation, summarised like nn_layer."""
    input_channels = int(input_tensor.shape[-1])
    with tf.name_scope(layer_name):
        with tf.name_scope('weights'):
            weights = weight_variable([kernel_size, kernel_size, input_channels,
                                       output_channels], stddev)
            variable_summaries(weights)
        with tf.name_scope('biases'):
            biases = bias_variable([output_channels], bias)
            variable_summaries(biases)
        with tf.name_scope('conv_plus_b'):
            preactivate = tf.nn.conv2d(input_tensor, weights, strides=[1, 1, 1, 1],
                                       padding=padding) + biases
            histogram_summary('pre_activations', preactivate)
        activations = act(preactivate, name='activation')
        histogram_summary('activations', activations)
        return activations


def max_pool(x, size=(2, 2), padding='SAME', name='pool'):
    """Max pooling with stride equal to the window (2×2 halves each side)."""
    window = [1, size[0], size[1], 1]
    return tf.nn.max_pool(x, ksize=window, strides=window, padding=padding, name=name)


def avg_pool(x, size=(2, 2), name='pool'):
    """Average pooling with stride equal to the window, as LeNet-5's subsampling."""
    window = [1, size[0], size[1], 1]
    return tf.nn.avg_pool(x, ksize=window, strides=window, padding='SAME', name=name)


def dropout(x, keep_prob):
    """Dropout inside the contract's `dropout` scope, driven by `dropout/keep_prob`.

    Left out of inference graphs: there keep_prob is 1, yet tf.nn.dropout would still draw
    a random mask on every call, time a single image's answer pays for nothing (measured
    in bench/README.md, "Inference through the contract")."""
    if _building_inference_graph:
        return x
    with tf.name_scope('dropout/'):
        return tf.nn.dropout(x, rate=1.0 - keep_prob)


def as_image_batch(images):
    """[None, 784] → [None, 28, 28, 1], the layout convolutions want."""
    return tf.reshape(images, [-1, IMAGE_SIZE, IMAGE_SIZE, 1])
