"""tf.contrib.gan: TF-GAN, the tensorflow-gan package it left contrib for (TF 1.15), with the
same API. Its modules, made for TF 1.14-1.15, need TF 1.x's API (GANEstimator subclasses
tf.estimator's Estimator): tf1/importer.py gives it to them, which only `python -m tf1` sets
up; `import tf1.tensorflow as tf` in code of your own cannot."""
from tf1 import importer, unsupported

if not importer.installed():
    raise unsupported.UnsupportedUseError(
        'tf.contrib.gan (TF-GAN) runs only under `python -m tf1`, which gives its modules '
        "TF 1.x's API; without it, use TF-GAN on TensorFlow 2: import tensorflow_gan")

import tensorflow_gan  # noqa: E402 (only once its imports are answered by tf1)

__all__ = ['tensorflow_gan']  # tf.contrib.gan (tf1/api_contrib.py)
