"""Training speed of the MNIST LSTM: static_rnn + BasicLSTMCell against the fast `lstm()`.

Both graphs are the same model (28 steps of 28 pixels -> LSTM 128 -> dense 10, Adam,
batch 128) on the same variables; they differ only in how the LSTM is computed. The two
are timed in alternating rounds, so that load from other processes hits both alike, and
the median of the rounds is reported.

    python bench/lstm_cell_speed.py [--rounds 7] [--steps 20]
"""
import argparse
import os
import sys
import time

import numpy as np
import tensorflow.compat.v1 as tf

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from graphs.lstm_cell import BasicLSTMCell, lstm  # noqa: E402

BATCH, STEPS, PIXELS, UNITS, CLASSES = 128, 28, 28, 128, 10


def static_rnn_lstm(images):
    outputs, _ = tf.nn.static_rnn(BasicLSTMCell(UNITS), tf.unstack(images, axis=1),
                                  dtype=tf.float32)
    return outputs[-1]


def fast_lstm(images):
    last_output, _ = lstm(images, UNITS)
    return last_output


def training_session(lstm_fn):
    """A session holding the model built with `lstm_fn`, and its train op."""
    graph = tf.Graph()
    with graph.as_default():
        images = tf.placeholder(tf.float32, [BATCH, STEPS, PIXELS], name='images')
        labels = tf.placeholder(tf.int64, [BATCH], name='labels')
        with tf.variable_scope('lstm'):
            features = lstm_fn(images)
        weights = tf.get_variable('softmax/weights', [UNITS, CLASSES])
        biases = tf.get_variable('softmax/biases', [CLASSES], initializer=tf.zeros_initializer())
        logits = tf.matmul(features, weights) + biases
        loss = tf.losses.sparse_softmax_cross_entropy(labels, logits)
        train_op = tf.train.AdamOptimizer(1e-3).minimize(loss)
        init = tf.global_variables_initializer()
    config = tf.ConfigProto(intra_op_parallelism_threads=2, inter_op_parallelism_threads=2)
    session = tf.Session(graph=graph, config=config)
    session.run(init)
    return session, train_op, {images: _batch_images(), labels: _batch_labels()}


def _batch_images():
    return np.random.RandomState(0).rand(BATCH, STEPS, PIXELS).astype(np.float32)


def _batch_labels():
    return np.random.RandomState(1).randint(0, CLASSES, BATCH)


def images_per_second(session, train_op, feed, steps):
    start = time.perf_counter()
    for _ in range(steps):
        session.run(train_op, feed)
    return steps * BATCH / (time.perf_counter() - start)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--rounds', type=int, default=7, help='timed rounds per model')
    parser.add_argument('--steps', type=int, default=20, help='training steps per round')
    parser.add_argument('--warmup', type=int, default=10, help='untimed steps per model')
    args = parser.parse_args()

    tf.disable_v2_behavior()
    models = {'static_rnn + BasicLSTMCell': training_session(static_rnn_lstm),
              'fast lstm()': training_session(fast_lstm)}
    speeds = {name: [] for name in models}
    for session, train_op, feed in models.values():
        images_per_second(session, train_op, feed, args.warmup)
    for _ in range(args.rounds):
        for name, (session, train_op, feed) in models.items():
            speeds[name].append(images_per_second(session, train_op, feed, args.steps))

    medians = {name: np.median(rates) for name, rates in speeds.items()}
    for name, median in medians.items():
        print('%-28s %7.0f images/s (median of %d rounds x %d steps)' % (
            name, median, args.rounds, args.steps))
    slow, fast = medians.values()
    print('speed-up: %.2fx' % (fast / slow))


if __name__ == '__main__':
    main()
