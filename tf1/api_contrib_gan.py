"""tf.contrib.gan: TF-GAN, which left contrib in TF 1.15 for the tensorflow-gan package, the
same API (gan_model, gan_loss, gan_train_ops, gan_train, losses, features, eval, estimator),
run on tf1's TF 1.x API (tf1/importer.py), with TF 1.14's functions where TF-GAN 2 dropped
them or changed their parameters (tf1/contrib_gan.py), also under TF 1.14's module paths
(tensorflow.contrib.gan.python.losses.python.losses_impl ...), each TF-GAN 2's module of
that name."""
import importlib

from tf1.namespace import Lazy, Namespace


class _TFGAN(Lazy):
    """A module of the tensorflow-gan package ('tensorflow_gan.python.train'), imported once
    tf1/contrib_gan.py has said it can be (tf1 answers its imports, the package is there)."""

    def load(self):
        importlib.import_module('tf1.contrib_gan')
        return importlib.import_module(self.target)


def _ported(*names):
    return {name: Lazy('tf1.contrib_gan:' + name) for name in names}


_EVAL = _ported(
    'get_graph_def_from_disk', 'get_graph_def_from_resource', 'get_graph_def_from_url_tarball',
    'preprocess_image', 'run_image_classifier', 'run_inception', 'INCEPTION_URL',
    'INCEPTION_FROZEN_GRAPH', 'INCEPTION_INPUT', 'INCEPTION_OUTPUT', 'INCEPTION_FINAL_POOL',
    'classifier_score', 'inception_score', 'frechet_classifier_distance',
    'frechet_inception_distance', 'frechet_classifier_distance_from_activations',
    'mean_only_frechet_classifier_distance_from_activations',
    'diagonal_only_frechet_classifier_distance_from_activations',
    'kernel_classifier_distance', 'kernel_classifier_distance_and_std',
    'kernel_inception_distance', 'kernel_inception_distance_and_std',
    'kernel_classifier_distance_from_activations',
    'kernel_classifier_distance_and_std_from_activations')
_SPECTRAL_NORMALIZATION = _ported(
    'compute_spectral_norm', 'spectral_normalize', 'spectral_norm_regularizer')
_TRAIN = _ported('gan_loss', 'gan_train')


def _both(*modules):
    """TF 1.14 split each of these modules in two, `module` and `module_impl`; TF-GAN 2's
    `module` holds both."""
    return {name + suffix: name for name in modules for suffix in ('', '_impl')}


def _modules(package, modules, provided=None):
    """TF 1.14's tensorflow.contrib.gan.python.`package`.python: its `modules` ({TF 1.14's
    name: TF-GAN 2's}), with TF 1.14's functions where `provided` ({TF 1.14's name: names})
    says."""
    provided = provided or {}
    return Namespace('contrib.gan.python.%s.python' % package, None, {
        name: Namespace('contrib.gan.python.%s.python.%s' % (package, name),
                        _TFGAN('tensorflow_gan.python.%s.%s' % (package, module)),
                        provided.get(name))
        for name, module in modules.items()})


def _package(name, provided, modules):
    """tf.contrib.gan's `name` (eval, features ...) at TF 1.14's module path,
    tensorflow.contrib.gan.python.`name`, and its modules below it."""
    return Namespace('contrib.gan.python.' + name, _TFGAN('tensorflow_gan.' + name),
                     dict(provided, python=modules))


_EVAL_MODULES = _modules(
    'eval', _both('classifier_metrics', 'eval_utils', 'sliced_wasserstein', 'summaries'),
    {'classifier_metrics': _EVAL, 'classifier_metrics_impl': _EVAL})
_FEATURES_MODULES = _modules(
    'features', _both('clip_weights', 'conditioning_utils', 'random_tensor_pool',
                      'spectral_normalization', 'virtual_batchnorm'),
    {'spectral_normalization': _SPECTRAL_NORMALIZATION,
     'spectral_normalization_impl': _SPECTRAL_NORMALIZATION})
_LOSSES_MODULES = _modules('losses', {
    'losses_impl': 'losses_impl', 'losses_wargs': 'losses_wargs',
    'tuple_losses': 'tuple_losses', 'tuple_losses_impl': 'tuple_losses'})
_ESTIMATOR_MODULES = _modules('estimator', _both(
    'gan_estimator', 'stargan_estimator', 'tpu_gan_estimator', 'latent_gan_estimator'))

GAN = Namespace('contrib.gan', _TFGAN('tensorflow_gan'), {
    'eval': Namespace('contrib.gan.eval', _TFGAN('tensorflow_gan.eval'), _EVAL),
    'features': Namespace('contrib.gan.features', _TFGAN('tensorflow_gan.features'),
                          _SPECTRAL_NORMALIZATION),
    **_TRAIN,
    'python': Namespace('contrib.gan.python', _TFGAN('tensorflow_gan.python'), {
        'namedtuples': _TFGAN('tensorflow_gan.python.namedtuples'),
        'train': Namespace('contrib.gan.python.train', _TFGAN('tensorflow_gan.python.train'),
                           _TRAIN),
        'eval': _package('eval', _EVAL, _EVAL_MODULES),
        'features': _package('features', _SPECTRAL_NORMALIZATION, _FEATURES_MODULES),
        'losses': _package('losses', {}, _LOSSES_MODULES),
        'estimator': _package('estimator', {}, _ESTIMATOR_MODULES)})})
