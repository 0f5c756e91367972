"""tf.contrib.gan: TF-GAN, the tensorflow-gan package it left contrib for (TF 1.15), with the
same API. Its modules, made for TF 1.14-1.15, need TF 1.x's API (GANEstimator subclasses
tf.estimator's Estimator): tf1/importer.py gives it to them, which only `python -m tf1` sets
up (or tf1.install()); `import tf1.tensorflow as tf` alone cannot.

TF-GAN 2 dropped what TF 1.14's tf.contrib.gan.eval ran frozen classifiers with (the
TFGAN MNIST examples score their samples with a frozen MNIST classifier): ported below, with
its `run_inception` on a frozen Inception graph and the tensor names that go with it, and
its inception_score and distances, which ran that graph (TF-GAN 2's load Inception from
TF-Hub). TF-GAN 2 also renamed some parameters and put new ones between TF 1.14's: the
functions concerned take TF 1.14's arguments here, by name and by position."""
import functools
import inspect
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


def _tf114_arguments(function, names, renamed=None):
    """TF-GAN 2's `function` called with TF 1.14's arguments: `names` are its TF 1.14
    parameters in order, `renamed` maps those TF-GAN 2 renamed to their new names. TF-GAN 2's
    own names are taken too."""
    renamed = renamed or {}
    new_parameters = inspect.signature(function).parameters

    def call(*args, **kwargs):
        if len(args) > len(names):
            raise TypeError('%s() takes at most %d positional arguments (%d given)' % (
                function.__name__, len(names), len(args)))
        for name, value in zip(names, args):
            if name in kwargs:
                raise TypeError("%s() got multiple values for argument '%s'" % (
                    function.__name__, name))
            kwargs[name] = value
        for name, new_name in renamed.items():  # by position or name, and by its new name
            if name in kwargs and new_name in kwargs:
                raise TypeError("%s() got multiple values for argument '%s'" % (
                    function.__name__, name))
        return function(**{renamed.get(name, name): value for name, value in kwargs.items()})

    call.__name__ = call.__qualname__ = function.__name__
    call.__doc__ = "TF 1.14's arguments (%s) for TF-GAN 2's:\n\n%s" % (
        ', '.join(names), function.__doc__)
    call.__signature__ = inspect.Signature([
        inspect.Parameter(name, inspect.Parameter.POSITIONAL_OR_KEYWORD,
                          default=new_parameters[renamed.get(name, name)].default)
        for name in names])
    return call


_IMAGES = {'real_images': 'input_tensor1', 'generated_images': 'input_tensor2'}
_ACTIVATIONS = {'real_activations': 'activations1', 'generated_activations': 'activations2'}
_KERNEL = ('max_block_size', 'dtype')
_eval = tensorflow_gan.eval

classifier_score = _tf114_arguments(
    _eval.classifier_score, ('images', 'classifier_fn', 'num_batches'),
    {'images': 'input_tensor'})
frechet_classifier_distance = _tf114_arguments(
    _eval.frechet_classifier_distance, tuple(_IMAGES) + ('classifier_fn', 'num_batches'),
    _IMAGES)
kernel_classifier_distance, kernel_classifier_distance_and_std = (
    _tf114_arguments(function, tuple(_IMAGES) + ('classifier_fn', 'num_classifier_batches')
                     + _KERNEL, dict(_IMAGES, num_classifier_batches='num_batches'))
    for function in (_eval.kernel_classifier_distance,
                     _eval.kernel_classifier_distance_and_std))
(frechet_classifier_distance_from_activations,
 mean_only_frechet_classifier_distance_from_activations,
 diagonal_only_frechet_classifier_distance_from_activations) = (
    _tf114_arguments(function, tuple(_ACTIVATIONS), _ACTIVATIONS)
    for function in (_eval.frechet_classifier_distance_from_activations,
                     _eval.mean_only_frechet_classifier_distance_from_activations,
                     _eval.diagonal_only_frechet_classifier_distance_from_activations))
(kernel_classifier_distance_from_activations,
 kernel_classifier_distance_and_std_from_activations) = (
    _tf114_arguments(function, tuple(_ACTIVATIONS) + _KERNEL, _ACTIVATIONS)
    for function in (_eval.kernel_classifier_distance_from_activations,
                     _eval.kernel_classifier_distance_and_std_from_activations))

# TF 1.14's: the classifier functions above on the frozen Inception graph (logits for the
# score, the final pool's activations for the distances)
inception_score = functools.partial(
    classifier_score,
    classifier_fn=functools.partial(run_inception, output_tensor=INCEPTION_OUTPUT))
frechet_inception_distance, kernel_inception_distance, kernel_inception_distance_and_std = (
    functools.partial(
        function,
        classifier_fn=functools.partial(run_inception, output_tensor=INCEPTION_FINAL_POOL))
    for function in (frechet_classifier_distance, kernel_classifier_distance,
                     kernel_classifier_distance_and_std))

# TF-GAN 2 put `training` (and `equality_constrained`) before TF 1.14's last parameter
compute_spectral_norm = _tf114_arguments(
    tensorflow_gan.features.compute_spectral_norm,
    ('w_tensor', 'power_iteration_rounds', 'name'))
spectral_normalize = _tf114_arguments(
    tensorflow_gan.features.spectral_normalize, ('w', 'power_iteration_rounds', 'name'))
spectral_norm_regularizer = _tf114_arguments(
    tensorflow_gan.features.spectral_norm_regularizer,
    ('scale', 'power_iteration_rounds', 'scope'))
# ... and `reduction`, `max_wait_secs` before gan_loss's and gan_train's last
gan_loss = _tf114_arguments(tensorflow_gan.gan_loss, (
    'model', 'generator_loss_fn', 'discriminator_loss_fn', 'gradient_penalty_weight',
    'gradient_penalty_epsilon', 'gradient_penalty_target', 'gradient_penalty_one_sided',
    'mutual_information_penalty_weight', 'aux_cond_generator_weight',
    'aux_cond_discriminator_weight', 'tensor_pool_fn', 'add_summaries'))
gan_train = _tf114_arguments(tensorflow_gan.gan_train, (
    'train_ops', 'logdir', 'get_hooks_fn', 'master', 'is_chief', 'scaffold', 'hooks',
    'chief_only_hooks', 'save_checkpoint_secs', 'save_summaries_steps', 'config'))
