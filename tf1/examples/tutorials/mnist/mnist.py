"""`tensorflow.examples.tutorials.mnist.mnist`: the model library of TF 1.x's
fully_connected_feed.py, with its names, scopes and variables.

Two ReLU hidden layers and a linear softmax layer, built in three steps the tutorial
teaches separately:

    logits = inference(images, hidden1_units, hidden2_units)   # the forward pass
    loss_op = loss(logits, labels)                             # what to minimise
    train_op = training(loss_op, learning_rate)                # how
    correct_count = evaluation(logits, labels)                 # how often it is right

Variables are hidden1/weights, hidden1/biases, hidden2/..., softmax_linear/... and
global_step, so checkpoints written by the TF 1.x tutorial restore here.
"""
import math

import tensorflow.compat.v1 as tf

from tf1.project import contract

IMAGE_PIXELS, IMAGE_SIZE, NUM_CLASSES = (contract.IMAGE_PIXELS, contract.IMAGE_SIZE,
                                         contract.NUM_CLASSES)  # TF 1.x's module had them


def _layer(inputs, input_units, units, scope, activation):
    """weights [input_units, units] ~ truncated normal (stddev 1/sqrt(fan-in)), zero biases."""
    with tf.name_scope(scope):
        weights = tf.Variable(
            tf.truncated_normal([input_units, units], stddev=1.0 / math.sqrt(float(input_units))),
            name='weights')
        biases = tf.Variable(tf.zeros([units]), name='biases')
        return activation(tf.matmul(inputs, weights) + biases)


def inference(images, hidden1_units, hidden2_units):
    """Logits [batch, NUM_CLASSES] of images [batch, IMAGE_PIXELS]."""
    hidden1 = _layer(images, IMAGE_PIXELS, hidden1_units, 'hidden1', tf.nn.relu)
    hidden2 = _layer(hidden1, hidden1_units, hidden2_units, 'hidden2', tf.nn.relu)
    return _layer(hidden2, hidden2_units, NUM_CLASSES, 'softmax_linear', tf.identity)


def loss(logits, labels):
    """Mean softmax cross entropy of logits against integer labels [batch]."""
    labels = tf.to_int64(labels)
    return tf.losses.sparse_softmax_cross_entropy(labels=labels, logits=logits)


def training(loss, learning_rate):
    """A gradient descent step on `loss` that counts itself in the `global_step` variable,
    with the loss as a TensorBoard scalar."""
    tf.summary.scalar('loss', loss)
    optimizer = tf.train.GradientDescentOptimizer(learning_rate)
    global_step = tf.Variable(0, name='global_step', trainable=False)
    return optimizer.minimize(loss, global_step=global_step)


def evaluation(logits, labels):
    """The number of examples whose top logit is the true label (int32 scalar)."""
    correct = tf.nn.in_top_k(logits, labels, 1)
    return tf.reduce_sum(tf.cast(correct, tf.int32))
