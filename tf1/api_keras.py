"""tf.keras and standalone `import keras` as TF 1.x-era code had them: Keras 2's TF 1.x API
from the tf_keras package, with the module names and pieces standalone Keras 2.0-2.3 had
(tf1/api.py puts KERAS at tf.keras and makes the standalone namespace on the first `import
keras`)."""
import importlib
import importlib.metadata

from tf1.namespace import MOVED_MODULES, Lazy, Namespace

# TF 1.x's tf.keras, and standalone Keras 2 (on its TensorFlow backend) in TF 1.x-era code:
# Keras 2's TF 1.x API (layers on placeholders, Model.fit in a session, backend.get_session,
# TF 1.x's initializers and optimizers), which Keras 3 dropped; the tf_keras package keeps
# it, released with each TensorFlow. Its MNIST loader reads --mnist_dir.
TF_KERAS = 'tf_keras.api._v1.keras'

# Standalone Keras 2.0-2.3's modules that tf.keras folded into their package, by package:
# `from keras.layers.core import Dense`, `keras.utils.np_utils.to_categorical`.
KERAS_FOLDED_MODULES = {
    'layers': ('core', 'convolutional', 'pooling', 'recurrent', 'normalization', 'embeddings',
               'merge', 'advanced_activations', 'noise', 'wrappers', 'local',
               'convolutional_recurrent', 'cudnn_recurrent'),
    'utils': ('np_utils', 'generic_utils', 'data_utils', 'vis_utils', 'io_utils',
              'layer_utils'),
    'backend': ('tensorflow_backend', 'common'),
    # keras.engine.topology held Layer, Input, InputSpec; keras.engine.training Model.
    'engine': ('topology', 'training', 'base_layer', 'input_layer', 'network', 'sequential'),
}


class KerasLazy(Lazy):
    """A part of tf_keras, loaded with the API TF 1.x's Keras had and tf_keras removed
    (tf1/keras_restored.py) and TF 1.x's node numbering (tf1/keras_nodes.py)."""

    def load(self):
        importlib.import_module('tf1.keras_restored')
        importlib.import_module('tf1.keras_nodes')
        return super().load()


# TF 1.x's keras/backend.py helpers that libraries called by its internal path (`from
# tensorflow.python.keras import backend`: K-FAC's Keras optimizer tracks its variables so
# that Keras's session initialises them) and the public module never had; tf_keras's.
BACKEND_HELPERS = ('track_variable', 'track_tf_optimizer', 'get_graph', 'unique_object_name',
                   'get_default_graph_uid_map', 'is_placeholder', '_get_variables',
                   '_initialize_variables', '_get_session', 'get_default_session_config',
                   'symbolic_learning_phase', 'global_learning_phase_is_set',
                   'eager_learning_phase_scope', '_has_nchw_support', '_to_tensor',
                   '_preprocess_conv2d_input', '_preprocess_padding', 'identity', 'logsumexp',
                   'local_conv', 'separable_conv1d', 'conv3d_transpose', 'is_tpu_strategy',
                   'configure_and_create_distributed_session', '_is_symbolic_tensor')


class InternalModule(Lazy):
    """A TensorFlow module as TF 1.x code imports it: tf1's namespace of its TF 1.x names
    where TF 2.x moved them (tf1/api_internals.py), else TensorFlow's module."""

    def load(self):
        return MOVED_MODULES.get(self.target) or super().load()


# What Keras 2.0-2.2's TensorFlow backend imported or defined at module level, and code
# reached through it (keras-yolo3's loss: `K.control_flow_ops.while_loop`): TensorFlow's
# internal modules as TF 1.x had them (tf1/api_internals.py), NumPy as mapped code has it,
# Python's builtins saved before the backend's own all/any/sum.
TENSORFLOW_BACKEND_GLOBALS = {
    **{name: InternalModule('tensorflow.python.' + path)
       for name, path in (('tf_ops', 'framework.ops'),
                          ('control_flow_ops', 'ops.control_flow_ops'),
                          ('functional_ops', 'ops.functional_ops'),
                          ('tensor_array_ops', 'ops.tensor_array_ops'),
                          ('ctc', 'ops.ctc_ops'),
                          ('moving_averages', 'training.moving_averages'),
                          ('device_lib', 'client.device_lib'))},
    'config_pb2': Lazy('tensorflow.core.protobuf.config_pb2'),
    'np': Lazy('tf1.numpy1:numpy1'),
    'py_all': all, 'py_any': any, 'py_sum': sum, 'py_slice': slice}

# Standalone Keras's optimizers, with Keras 2.2's signatures and defaults (tf1/keras_legacy.py).
KERAS_2_OPTIMIZERS = ('SGD', 'RMSprop', 'Adagrad', 'Adadelta', 'Adam', 'Adamax', 'Nadam')


def keras_namespace(package):
    """Keras 2's TF 1.x API as `tf.keras` (package 'tensorflow') or as standalone Keras
    (package 'keras'), with standalone Keras's module names too."""
    prefix = 'keras' if package == 'tensorflow' else ''

    def namespace(path, fallback, provided=None):
        full_path = '.'.join(part for part in (prefix, path) if part)
        return Namespace(full_path, KerasLazy(fallback), provided, package)

    def module(path, provided=None):
        return namespace(path, '.'.join(part for part in (TF_KERAS, path) if part), provided)

    # Keras 2.0-2.1 kept the weight-file functions in engine.topology, Keras 2.2 in
    # engine.saving (tf1/keras_saving.py).
    weight_files = {name: KerasLazy('tf1.keras_saving:' + name) for name in (
        'load_weights_from_hdf5_group', 'load_weights_from_hdf5_group_by_name',
        'save_weights_to_hdf5_group')}
    engine = namespace('engine', TF_KERAS + '.layers', dict(
        weight_files,
        Model=KerasLazy(TF_KERAS + '.models:Model'),
        Network=KerasLazy(TF_KERAS + '.models:Model'),
        Sequential=KerasLazy(TF_KERAS + '.models:Sequential'),
        Node=KerasLazy('tf_keras.src.engine.node:Node'),
        get_source_inputs=KerasLazy(TF_KERAS + '.utils:get_source_inputs'),
        saving=namespace('engine.saving', 'tf_keras.src.saving.legacy.hdf5_format',
                         weight_files)))
    backend = module('backend', dict(
        {name: Lazy('tf1.keras_legacy:' + name) for name in
         ('image_dim_ordering', 'set_image_dim_ordering', '_get_available_gpus', 'batch_dot')},
        **{name: KerasLazy('tf_keras.src.backend:' + name) for name in BACKEND_HELPERS},
        normalize_data_format=KerasLazy('tf_keras.src.utils.conv_utils:normalize_data_format')))
    # The base class of merge layers, which custom ones subclassed (WGAN-GP's weighted
    # average); the conv arithmetic custom layers used.
    layers = module('layers', {
        '_Merge': KerasLazy('tf_keras.src.layers.merging.base_merge:_Merge')})
    utils = module('utils', {
        'conv_utils': namespace('utils.conv_utils', 'tf_keras.src.utils.conv_utils'),
        'HDF5Matrix': Lazy('tf1.keras_restored:HDF5Matrix'),
        'multi_gpu_model': KerasLazy('tf1.keras_multi_gpu:multi_gpu_model'),
        'multi_gpu_utils': KerasLazy('tf1.keras_multi_gpu'),
        'print_summary': KerasLazy('tf_keras.src.utils.layer_utils:print_summary')})
    # TF 1.x's tf.keras and Keras 2 had the scikit-learn wrappers; tf_keras has none.
    wrappers = Namespace('.'.join(part for part in (prefix, 'wrappers') if part), None,
                         {'scikit_learn': Lazy('tf1.keras_scikit_learn')}, package)
    models = module('models', {'model_from_yaml': KerasLazy('tf1.keras_restored:model_from_yaml')})
    packages = {'layers': layers, 'utils': utils, 'backend': backend, 'engine': engine,
                'wrappers': wrappers, 'models': models}
    for name, folded in KERAS_FOLDED_MODULES.items():
        packages[name]._provided.update({child: packages[name] for child in folded})
    if package == 'keras':  # Keras 2.0-2.1 still had Keras 1's merge() and Merge
        from tf1.keras_legacy_merge import Merge, MergeModule
        layers._provided.update(Merge=Merge, merge=MergeModule('layers.merge', layers))
        # Keras 2.2's backend and utility functions that tf_keras dropped or changed.
        legacy = 'tf1.keras_legacy_backend:'
        backend._provided.update({name: Lazy(legacy + name) for name in (
            'relu', 'slice', 'is_tensor', 'get_variable_shape', 'random_normal',
            'random_uniform')})
        utils._provided.update(
            {name: Lazy(legacy + name) for name in (
                'convert_all_kernels_in_model', 'unpack_singleton', 'object_list_uid',
                'transpose_shape')},
            validate_file=KerasLazy('tf_keras.src.utils.data_utils:validate_file'),
            ask_to_proceed_with_overwrite=KerasLazy(
                'tf_keras.src.utils.io_utils:ask_to_proceed_with_overwrite'),
            training_utils=namespace('utils.training_utils', 'tf1.keras_multi_gpu'),
            test_utils=namespace('utils.test_utils', 'tf1.keras_test_utils'),
            **{name: KerasLazy('tf_keras.src.utils.generic_utils:' + name) for name in (
                'slice_arrays', 'has_arg', 'to_list', 'func_dump', 'func_load',
                'is_all_none')},
            **{name: KerasLazy('tf_keras.src.utils.layer_utils:' + name)
               for name in ('count_params', 'convert_dense_weights_data_format')})
        # keras.engine.training's slice_X (Keras 1), _slice_arrays (2.0-2.1).
        engine._provided.update(slice_X=Lazy(legacy + 'slice_X'),
                                _slice_arrays=Lazy(legacy + 'slice_X'))
        utils._provided['conv_utils']._provided.update(
            {name: Lazy(legacy + name) for name in ('convert_kernel', 'deconv_length')})
        # K.function's class; keras.engine.saving's model functions (Keras 2.2).
        backend._provided['Function'] = KerasLazy('tf_keras.src.backend:GraphExecutionFunction')
        engine._provided['saving']._provided.update(
            model_from_yaml=KerasLazy('tf1.keras_restored:model_from_yaml'),
            **{name: KerasLazy(TF_KERAS + '.models:' + name) for name in (
                'save_model', 'load_model', 'model_from_config', 'model_from_json')})
        # Keras 2.0's base class of custom recurrent layers, and its helper they imported.
        layers._provided.update({name: KerasLazy('tf1.keras_legacy_recurrent:' + name)
                                 for name in ('Recurrent', '_time_distributed_dense')})
        layers._provided.update({name: KerasLazy('tf1.keras_conv_rnn:' + name)
                                 for name in ('ConvRNN2D', 'ConvLSTM2DCell')})
        # Module-level names code reached through: each layers module's `from .. import
        # backend as K` (`keras.layers.core.K.set_learning_phase(0)`), and the `tf` of the
        # TensorFlow backend's `import *` (`hasattr(keras.backend, 'tf')` tells that backend).
        layers._provided['K'] = backend
        backend._provided['tf'] = Lazy('tf1.api:tensorflow')
        backend._provided.update(TENSORFLOW_BACKEND_GLOBALS)
    mnist = module('datasets.mnist', {'load_data': Lazy('tf1.keras_datasets:load_data')})
    root = module('', dict(packages, objectives=module('losses'),  # Keras 1's name
                           datasets=module('datasets', {'mnist': mnist})))
    if package == 'tensorflow':  # tf.keras's Estimator bridge (TF 1.4-1.15)
        root._provided['estimator'] = module('estimator', {
            'model_to_estimator': Lazy('tf1.keras_estimator:model_to_estimator')})
        # TF 1.11-1.15's modules of tf.keras's optimizers, by their internal path
        # (tensorflow/models' official Keras models: `from tensorflow.python.keras.
        # optimizer_v2 import gradient_descent`): tf_keras's, the same classes.
        legacy = 'tf_keras.src.optimizers.'
        root._provided['optimizer_v2'] = namespace('optimizer_v2', legacy + 'legacy', dict(
            {name: KerasLazy(legacy + 'legacy.' + name) for name in (
                'adadelta', 'adagrad', 'adam', 'adamax', 'ftrl', 'gradient_descent', 'nadam',
                'optimizer_v2', 'rmsprop')},
            learning_rate_schedule=KerasLazy(legacy + 'schedules.learning_rate_schedule'),
            legacy_learning_rate_decay=KerasLazy(legacy + 'legacy_learning_rate_decay'),
            utils=KerasLazy(legacy + 'utils')))
    if package == 'keras':  # Keras 2.2's optimizer signatures and defaults
        root._provided['optimizers'] = module('optimizers', {
            name: Lazy('tf1.keras_legacy:' + name) for name in
            KERAS_2_OPTIMIZERS + tuple(name.lower() for name in KERAS_2_OPTIMIZERS) +
            ('Optimizer', 'TFOptimizer')})
        root._provided['optimizers']._provided['clip_norm'] = Lazy(
            'tf1.keras_legacy_backend:clip_norm')
        # The CIFAR datasets' batch reader, which scripts reading their own copy called.
        root._provided['datasets']._provided['cifar'] = namespace(
            'datasets.cifar', 'tf_keras.src.datasets.cifar')
        # Keras 2.0-2.2's binary cross-entropy, through clipped logits.
        bce = 'tf1.keras_legacy_losses:'
        backend._provided['binary_crossentropy'] = Lazy(bce + 'backend_binary_crossentropy')
        losses = module('losses', {'binary_crossentropy': Lazy(bce + 'binary_crossentropy')})
        root._provided.update(losses=losses, objectives=losses, metrics=module(
            'metrics', {'binary_crossentropy': Lazy(bce + 'binary_crossentropy')}))
        # Keras 1's initialization functions, which Keras 2.0 renamed to initializers.
        root._provided['initializations'] = Lazy('tf1.keras_legacy_initializations')
    root.__version__ = importlib.metadata.version('tf_keras')
    return root


KERAS = keras_namespace('tensorflow')

# tf.contrib.keras, TF 1.2-1.3's name for tf.keras, and its module paths then: TF 1.2's
# implementation (tensorflow.contrib.keras.python.keras) and TF 1.3's API
# (tensorflow.contrib.keras.api.keras), both tf.keras.
CONTRIB_KERAS = Namespace('contrib.keras', KERAS, {
    'python': Namespace('contrib.keras.python', None, {'keras': KERAS}),
    'api': Namespace('contrib.keras.api', None, {'keras': KERAS})})
