"""TensorFlow 1.x code as it is, on today's TensorFlow.

    python -m tf1 SCRIPT.py [ARGS]     run a TF 1.x script unchanged
    import tf1.tensorflow as tf        the same API in a script or notebook you edit
    import tf1; tf1.install()          or keep `import tensorflow as tf` in a notebook:
                                       it maps __main__ and the current directory

Inside mapped code `tensorflow` is TF 1.x's API: tf.compat.v1 in graph mode, plus the
parts TF 2.x dropped (tf.contrib.rnn/layers/slim, tf.layers, tf.nn.rnn_cell, tf.estimator,
tensorflow.examples.tutorials.mnist), rebuilt without Keras. Everything else in the
process keeps the real TensorFlow.
"""
import os


def install(*directories):
    """Map `import tensorflow` to TF 1.x's API in __main__ (a notebook's cells, a script)
    and in modules under `directories` (default: the current directory)."""
    from tf1 import importer
    importer.install(directories or (os.getcwd(),))
