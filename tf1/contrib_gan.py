"""tf.contrib.gan: TF-GAN, the tensorflow-gan package it left contrib for (TF 1.15), with the
same API. Its modules, made for TF 1.14-1.15, need TF 1.x's API (GANEstimator subclasses
tf.estimator's Estimator): tf1/importer.py gives it to them, which only `python -m tf1` sets
up (or tf1.install()); `import tf1.tensorflow as tf` alone cannot.

TF-GAN 2 dropped what TF 1.14's tf.contrib.gan.eval ran frozen classifiers with (the
TFGAN MNIST examples score their samples with a frozen MNIST classifier): ported below, with
its `run_inception` on a frozen Inception graph and the tensor names that go with it."""
import os
import sys
import tarfile
import urllib.request

import tensorflow.compat.v1 as tf
from tensorflow.python.platform import resource_loader

from tf1 import importer, unsupported
from tf1.contrib_layers.layers import flatten

if not importer.installed():
    raise unsupported.UnsupportedUseError(
        'tf.contrib.gan (TF-GAN) runs only where tf1 answers its imports (`python -m tf1`, '
        "or tf1.install()), giving its modules TF 1.x's API; without that, use TF-GAN on "
        'TensorFlow 2: import tensorflow_gan')
try:
    import tensorflow_gan  # only once its imports are answered by tf1
except ModuleNotFoundError as error:
    if error.name != 'tensorflow_gan':
        raise
    raise unsupported.UnsupportedUseError(
        'tf.contrib.gan is the tensorflow-gan package, which is not installed: '
        'pip install tensorflow-gan') from None

gan_eval = tensorflow_gan.eval  # tf.contrib.gan.eval, with TF 1.14's names below

INCEPTION_URL = 'http://download.tensorflow.org/models/frozen_inception_v1_2015_12_05.tar.gz'
INCEPTION_FROZEN_GRAPH = 'inceptionv1_for_inception_score.pb'
INCEPTION_INPUT = 'Mul:0'
INCEPTION_OUTPUT = 'logits:0'
INCEPTION_FINAL_POOL = 'pool_3:0'


def get_graph_def_from_disk(filename):
    """A GraphDef read from a file."""
    with tf.gfile.GFile(filename, 'rb') as f:
        return tf.GraphDef.FromString(f.read())


def get_graph_def_from_resource(filename):
    """A GraphDef read from a data file of a Python package (TF 1.x's resource loader)."""
    return tf.GraphDef.FromString(resource_loader.load_resource(filename))


def get_graph_def_from_url_tarball(url, filename, tar_filename=None):
    """The GraphDef `filename` in the .tar.gz at `url`, downloaded to `tar_filename`
    unless it is there already (None: downloaded each time)."""
    if not (tar_filename and os.path.exists(tar_filename)):
        def progress(count, block_size, total_size):
            sys.stdout.write('\r>> Downloading %s %.1f%%' % (
                url, float(count * block_size) / float(total_size) * 100.0))
            sys.stdout.flush()

        tar_filename, _ = urllib.request.urlretrieve(url, tar_filename, progress)
    with tarfile.open(tar_filename, 'r:gz') as tar:
        return tf.GraphDef.FromString(tar.extractfile(filename).read())


def preprocess_image(images, height=299, width=299, scope=None):
    """Images in [0, 255] (3-D or 4-D) as the frozen Inception wants them: resized
    bilinearly to height x width, in [-1, 1]."""
    is_single = images.shape.ndims == 3
    with tf.name_scope(scope, 'preprocess', [images, height, width]):
        if not images.dtype.is_floating:
            images = tf.cast(images, tf.float32)
        if is_single:
            images = tf.expand_dims(images, axis=0)
        resized = (tf.image.resize_bilinear(images, [height, width]) - 128.0) / 128.0
        return tf.squeeze(resized, axis=0) if is_single else resized


def run_image_classifier(tensor, graph_def, input_tensor, output_tensor,
                         scope='RunClassifier'):
    """The frozen classifier `graph_def` imported with `tensor` as its `input_tensor`: its
    `output_tensor` (a name), or a list of them (a list of names)."""
    is_singleton = isinstance(output_tensor, str)
    outputs = tf.import_graph_def(graph_def, {input_tensor: tensor},
                                  [output_tensor] if is_singleton else output_tensor,
                                  name=scope)
    return outputs[0] if is_singleton else outputs


def _default_graph_def_fn():
    return get_graph_def_from_url_tarball(INCEPTION_URL, INCEPTION_FROZEN_GRAPH,
                                          os.path.basename(INCEPTION_URL))


def run_inception(images, graph_def=None, default_graph_def_fn=_default_graph_def_fn,
                  image_size=299, input_tensor=INCEPTION_INPUT,
                  output_tensor=INCEPTION_OUTPUT):
    """Images ([batch, image_size, image_size, channels], in [-1, 1]) through the frozen
    Inception (`graph_def`, else downloaded): `output_tensor`'s activations, flattened to
    [batch, features] (TF 1.14's rank test compared a tensor with 2, so it always did)."""
    images = tf.convert_to_tensor(images)
    images.shape.with_rank(4)
    images.shape.assert_is_compatible_with([None, image_size, image_size, None])
    if graph_def is None:
        if default_graph_def_fn is None:
            raise ValueError('If `graph_def` is `None`, must provide `default_graph_def_fn`.')
        graph_def = default_graph_def_fn()
    activations = run_image_classifier(images, graph_def, input_tensor, output_tensor)
    if isinstance(activations, list):
        return [flatten(activation) for activation in activations]
    return flatten(activations)

