"""The tensor-name contract, built in one place for every model.

A model module supplies only `features(images, keep_prob)`: the representation its
output layer reads. Everything a client looks up by name — the input placeholders, the
keep probability, the output layer's logits, the softmax, the prediction, the loss and
the accuracy — is made here, so no model can get a name wrong:

    input/inputData:0            float32 [None, 784]   ink = 1, background = 0
    input/inputLabel:0           float32 [None, 10]    one-hot
    dropout/keep_prob:0          float32 []            placeholder_with_default(1.0)
    layerOutput/activation:0     float32 [None, 10]    logits
    output/probabilities:0       float32 [None, 10]    softmax
    output/prediction:0          int64   [None]        argmax
    accuracy/accuracy/rate:0     float32 []            accuracy on the fed batch
    loss/total/cross_entropy:0   float32 []            mean softmax cross entropy
"""
import collections
import contextlib

import tensorflow.compat.v1 as tf

from graphs import contract, layers
from graphs.contract import IMAGE_PIXELS, NUM_CLASSES

# TensorBoard tags of the two scalars that training and evaluation both report, so the
# train, validation and test runs draw on the same charts.
LOSS_TAG = 'loss/cross_entropy'
ACCURACY_TAG = 'accuracy/rate'

Model = collections.namedtuple('Model', [
    'images', 'labels', 'keep_prob', 'logits', 'probabilities', 'prediction',
    'cross_entropy', 'accuracy', 'global_step'])


def build(features, serving=False):
    """Build a model around `features(images, keep_prob) -> [None, D] tensor`.

    serving: build the inference graph of the serving checkpoint instead of the training
    graph (no summaries, no dropout op, each LSTM in one chain: see graphs/layers.py)."""
    def output_layer(images, keep_prob):
        return layers.nn_layer(features(images, keep_prob), NUM_CLASSES,
                               contract.LOGITS_SCOPE, act=tf.identity)
    with layers.inference_graph() if serving else contextlib.nullcontext():
        return build_around_logits(output_layer)


def build_around_logits(logits_of):
    """Build the contract around `logits_of(images, keep_prob) -> [None, 10] tensor`,
    which must name its result layerOutput/activation (build's output layer does; the
    checkpoint importer wraps a graph written elsewhere)."""
    with tf.name_scope(contract.INPUT_SCOPE):
        images = tf.placeholder(tf.float32, [None, IMAGE_PIXELS], name=contract.INPUT_OP)
        labels = tf.placeholder(tf.float32, [None, NUM_CLASSES], name=contract.LABEL_OP)
        layers.image_summary('input', layers.as_image_batch(images))

    with tf.name_scope(contract.KEEP_PROB_SCOPE):
        # A default of 1.0 means clients that only predict can ignore dropout entirely.
        keep_prob = tf.placeholder_with_default(1.0, [], name=contract.KEEP_PROB_OP)
        layers.scalar_summary('dropout_keep_probability', keep_prob)

    logits = logits_of(images, keep_prob)

    with tf.name_scope(contract.OUTPUT_SCOPE):
        probabilities = tf.nn.softmax(logits, name=contract.PROBABILITIES_OP)
        prediction = tf.argmax(logits, 1, name=contract.PREDICTION_OP)

    with tf.name_scope('loss'):
        diff = tf.nn.softmax_cross_entropy_with_logits_v2(labels=labels, logits=logits)
        with tf.name_scope('total'):
            cross_entropy = tf.reduce_mean(diff, name='cross_entropy')
        layers.scalar_summary('cross_entropy', cross_entropy)

    with tf.name_scope('accuracy'):
        with tf.name_scope('correct_prediction'):
            correct_prediction = tf.equal(prediction, tf.argmax(labels, 1))
        with tf.name_scope('accuracy'):
            accuracy = tf.reduce_mean(tf.cast(correct_prediction, tf.float32), name='rate')
        # Named 'rate', not 'accuracy': the inner scope already took that name, and a
        # second one would be tagged 'accuracy_1' in TensorBoard.
        layers.scalar_summary('rate', accuracy)

    global_step = tf.train.get_or_create_global_step()
    return Model(images, labels, keep_prob, logits, probabilities, prediction,
                 cross_entropy, accuracy, global_step)


def training_feed(model, images, labels, keep_prob=1.0):
    """The feed_dict of one training step.

    keep_prob is fed only below 1.0: its placeholder already defaults to 1.0, and a third
    feed is not free: softmax regression, whose step is little more than the cost of a
    session call, shows it (bench/train_speed.py's "keep_prob = 1.0 fed too" column,
    in bench/README.md)."""
    feed = {model.images: images, model.labels: labels}
    if keep_prob < 1.0:
        feed[model.keep_prob] = keep_prob
    return feed
