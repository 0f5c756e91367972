"""The TF 1.x API that `import tensorflow as tf` gives mapped code.

It is TensorFlow's own `tf.compat.v1` (graph mode, placeholders, sessions, tf.app, tf.gfile,
tf.logging, tf.train, tf.summary ...) with what TF 2.x removed or broke put back:
tf.contrib (rnn, layers, framework, losses, metrics, slim, seq2seq, legacy_seq2seq,
learn's datasets and text preprocessing, training's HParams, data, the TensorBoard
projector), tf.examples.tutorials.mnist, tf.layers, tf.nn.rnn_cell and tf.estimator, all
written without Keras. A name neither provides raises one line saying what to use instead
(tf1/unsupported.py).
"""
import functools
import logging
import operator
import re
import sys

import tensorflow.compat.v1 as v1
from tensorflow.python.util import deprecation

from tf1 import api_contrib, api_contrib_tpu, api_internals
from tf1 import contrib_learn_graph_actions as graph_actions
from tf1 import contrib_learn_graph_io as graph_io
from tf1 import flags as flags_module
from tf1 import restored_internals, seeds, unsupported
from tf1.api_keras import CONTRIB_KERAS, KERAS, keras_namespace
from tf1.api_rnn import (CONTRIB_RNN_CELLS, CONTRIB_RNN_FUNCTIONS, RNN_CELLS, RNN_FUNCTIONS,
                         RNN_PRIVATE)
from tf1.namespace import (MOVED_MODULES, ByExecutionMode, Lazy, Namespace, internal_view,
                          module_path)


# tf.nn's losses that refuse positional labels and logits, as TF 1.x's did (tf1/nn_losses.py).
NAMED_ARGUMENT_LOSSES = ('softmax_cross_entropy_with_logits',
                         'sparse_softmax_cross_entropy_with_logits',
                         'sigmoid_cross_entropy_with_logits')

# tf.logging: the level constants in its __dict__ too (`tf.logging.__dict__['INFO']`, as
# TF 1.x's module had them), and `_logger`, the 'tensorflow' logger TF 1.x's kept there.
LOGGING = Namespace('logging', v1.logging, {'_logger': logging.getLogger('tensorflow')})
LOGGING.__dict__.update({level: getattr(v1.logging, level)
                         for level in ('DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL')})

# contrib.learn's heads for model_fns (TF 1.1-1.15) and the names of their outputs.
LEARN_HEADS = ('Head', 'ProblemType', 'PredictionKey', 'MetricKey', 'multi_class_head',
               'regression_head', 'no_op_train_fn', 'binary_svm_head', 'poisson_regression_head',
               'multi_label_head', 'multi_head', 'loss_only_head')
# contrib.learn's modules of deprecated aliases of tf.train's sessions and hooks.
LEARN_TRAIN_ALIASES = {
    'monitored_session': ('Scaffold', 'SessionCreator', 'ChiefSessionCreator',
                          'WorkerSessionCreator', 'MonitoredSession'),
    'session_run_hook': ('SessionRunHook', 'SessionRunArgs', 'SessionRunContext',
                         'SessionRunValues'),
    'basic_session_run_hooks': ('LoggingTensorHook', 'StopAtStepHook', 'CheckpointSaverHook',
                                'StepCounterHook', 'NanLossDuringTrainingError',
                                'NanTensorHook', 'SummarySaverHook')}

class Version(str):
    """A version string that compares with another version string as versions: TF 1.4-1.9's
    scripts assert `tf.__version__ >= '1.4.0'`, which their TF held and '1.15.5' as text
    does not ('1.1' < '1.4'). Otherwise the text (startswith, split, ==, LooseVersion)."""

    def __lt__(self, other):
        return _versions_compared(self, other, operator.lt)

    def __le__(self, other):
        return _versions_compared(self, other, operator.le)

    def __gt__(self, other):
        return _versions_compared(self, other, operator.gt)

    def __ge__(self, other):
        return _versions_compared(self, other, operator.ge)

    __hash__ = str.__hash__


def _versions_compared(version, other, compare):
    if not isinstance(other, str):
        return NotImplemented
    return compare(_version_key(version), _version_key(other))


def _version_key(text):
    """'1.15.5' -> (1, 15, 5); '1.4.0-rc1' -> (1, 4, 0): the leading numbers of each part."""
    numbers = []
    for part in text.split('.'):
        digits = re.match(r'\d*', part).group()
        if not digits:
            break
        numbers.append(int(digits))
    return tuple(numbers)


# What mapped code's tf.__version__ says (below): TF 1.x's last release.
TF1_VERSION = Version('1.15.5')


def _build():
    """The `tensorflow` namespace of TF 1.x, as tf1 provides it."""
    def from_rnn_cell(names):
        return {name: Lazy('tf1.rnn_cell:' + name) for name in names}

    nn = Namespace('nn', v1.nn, dict(
        from_rnn_cell(RNN_FUNCTIONS),
        **{name: Lazy('tf1.nn_losses:' + name) for name in NAMED_ARGUMENT_LOSSES},
        **{name: Lazy('tf1.softmax:' + name) for name in ('softmax', 'log_softmax')},
        rnn_cell=Namespace('nn.rnn_cell', None, from_rnn_cell(RNN_CELLS))))

    mnist_loader = 'tf1.examples.tutorials.mnist.input_data'
    learn_datasets = Namespace('contrib.learn.datasets', None, {
        'mnist': Lazy(mnist_loader),
        **{name: Lazy('tf1.contrib_learn_datasets:' + name)
           for name in ('load_dataset', 'load_iris')},
        'base': Namespace('contrib.learn.datasets.base', Lazy('tf1.contrib_learn_datasets'))})
    # contrib.learn's Estimator, under its names and its modules' (model_fn_lib.ModelFnOps).
    estimator, canned = 'tf1.contrib_learn_estimator', 'tf1.contrib_learn_canned'
    metric_spec = Namespace('contrib.learn.metric_spec', Lazy('tf1.contrib_learn_metric_spec'))
    estimators = Namespace('contrib.learn.estimators', Lazy(estimator), dict(
        {module: Namespace('contrib.learn.estimators.' + module, Lazy(estimator))
         for module in ('estimator', 'model_fn', 'run_config')},
        **{module: Namespace('contrib.learn.estimators.' + module,
                             Lazy('tf1.contrib_learn_head'))
           for module in ('head', 'prediction_key', 'metric_key', 'constants')},
        **{module: Namespace('contrib.learn.estimators.' + module, Lazy(canned))
           for module in ('dnn', 'linear', 'dnn_linear_combined')},
        random_forest=Lazy('tf1.contrib_tensor_forest_estimator'),  # TF 0.10-0.12's
        _sklearn=Namespace('contrib.learn.estimators._sklearn',
                           Lazy('tf1.contrib_learn_sklearn'))))
    learn = Namespace('contrib.learn', None, dict(
        {name: Lazy(estimator + ':' + name)
         for name in ('Estimator', 'ModelFnOps', 'NotFittedError', 'RunConfig', 'SKCompat')},
        **{name: Lazy(canned + ':' + name)
           for name in ('DNNClassifier', 'DNNRegressor', 'LinearClassifier', 'LinearRegressor',
                        'DNNLinearCombinedClassifier', 'DNNLinearCombinedRegressor',
                        'infer_real_valued_columns_from_input',
                        'infer_real_valued_columns_from_input_fn')},
        **{name: Lazy('tf1.contrib_learn_graph_io:' + name) for name in graph_io.__all__},
        **{name: Lazy('tf1.contrib_learn_graph_actions:' + name)
           for name in graph_actions.__all__},
        graph_actions=Namespace('contrib.learn.graph_actions',
                                Lazy('tf1.contrib_learn_graph_actions')),
        **{name: Lazy('tf1.contrib_learn_head:' + name) for name in LEARN_HEADS},
        **{name: Lazy('tf1.contrib_learn_experiment:' + name)
           for name in ('Experiment', 'ExportStrategy')},
        experiment=Namespace('contrib.learn.experiment', Lazy('tf1.contrib_learn_experiment')),
        learn_runner=Namespace('contrib.learn.learn_runner', None, {
            'run': Lazy('tf1.contrib_learn_experiment:run')}),
        utils=Namespace('contrib.learn.utils', Lazy('tf1.contrib_learn_input_fn_utils'), {
            'saved_model_export_utils': Namespace(
                'contrib.learn.utils.saved_model_export_utils', None, {
                    'make_export_strategy':
                        Lazy('tf1.contrib_learn_experiment:make_export_strategy')}),
            'input_fn_utils': Namespace('contrib.learn.utils.input_fn_utils',
                                        Lazy('tf1.contrib_learn_input_fn_utils'))}),
        InputFnOps=Lazy('tf1.contrib_learn_input_fn_utils:InputFnOps'),
        ModeKeys=Lazy('tf1.contrib_learn:ModeKeys'),
        MetricSpec=Lazy('tf1.contrib_learn_metric_spec:MetricSpec'),
        metric_spec=metric_spec, estimators=estimators, datasets=learn_datasets,
        io=Namespace('contrib.learn.io', Lazy('tf1.contrib_learn_io')),
        learn_io=Namespace('contrib.learn.learn_io', Lazy('tf1.contrib_learn_io'), {
            'graph_io': Lazy('tf1.contrib_learn_graph_io'),
            'numpy_io': Lazy('tf1.contrib_learn_io'), 'pandas_io': Lazy('tf1.contrib_learn_io')}),
        monitors=Namespace('contrib.learn.monitors', Lazy('tf1.contrib_learn_monitors')),
        preprocessing=Namespace('contrib.learn.preprocessing',
                                Lazy('tf1.contrib_learn_preprocessing')),
        models=Namespace('contrib.learn.models', Lazy('tf1.contrib_learn_models')),
        ops=Namespace('contrib.learn.ops', Lazy('tf1.contrib_learn_ops')),
        # TF 1.0-1.15's deprecated aliases of tf.train's sessions and hooks, by their
        # modules (deepmind/learning-to-learn's `from tensorflow.contrib.learn.python.learn
        # import monitored_session`).
        **{module: Namespace('contrib.learn.' + module, None,
                             {name: getattr(v1.train, name) for name in names})
           for module, names in LEARN_TRAIN_ALIASES.items()},
        summary_writer_cache=Namespace('contrib.learn.summary_writer_cache', None, {
            'SummaryWriterCache': v1.summary.FileWriterCache,
            'clear_summary_writers': v1.summary.FileWriterCache.clear,
            'get_summary_writer': v1.summary.FileWriterCache.get})))
    # tensorflow.contrib.learn.python.learn.datasets.mnist: where TF 1.x kept the loader.
    learn._provided['python'] = Namespace('contrib.learn.python', None, {'learn': learn})
    contrib = Namespace('contrib', None, {
        'rnn': Namespace('contrib.rnn', None, dict(from_rnn_cell(
            RNN_CELLS + CONTRIB_RNN_CELLS + RNN_FUNCTIONS[:2] + CONTRIB_RNN_FUNCTIONS),
            static_state_saving_rnn=v1.nn.static_state_saving_rnn,
            transpose_batch_time=Lazy('tensorflow.python.ops.rnn:_transpose_batch_time'),
            best_effort_input_batch_size=Lazy(
                'tensorflow.python.ops.rnn:_best_effort_input_batch_size'),
            python=module_path('contrib.rnn.python.ops', 'tf1.rnn_cell', (
                'core_rnn_cell', 'core_rnn_cell_impl', 'rnn_cell', 'rnn', 'lstm_ops', 'gru_ops',
                'fused_rnn_cell', 'core_rnn'),  # TF 1.0-1.1's static_rnn was core_rnn's
                RNN_PRIVATE))),
        'layers': Namespace('contrib.layers', Lazy('tf1.contrib_layers'), dict(
            api_contrib.CONTRIB_LAYERS_SUBMODULES, python=api_contrib.CONTRIB_LAYERS_PYTHON)),
        'keras': CONTRIB_KERAS,
        'framework': api_contrib.CONTRIB_FRAMEWORK,
        'learn': learn,
        'distributions': api_contrib.CONTRIB_DISTRIBUTIONS,
        'estimator': Namespace('contrib.estimator', Lazy('tf1.contrib_estimator'), {
            'python': module_path('contrib.estimator.python.estimator', 'tf1.contrib_estimator', (
                'boosted_trees', 'dnn_with_layer_annotations', 'export', 'exporter',
                'extenders', 'head', 'logit_fns', 'multi_head', 'replicate_model_fn', 'rnn',
                'saved_model_estimator'), {})}),
        'training': api_contrib.CONTRIB_TRAINING,
        'eager': api_contrib.EAGER,
        'summary': Namespace('contrib.summary', Lazy('tf1.contrib_summary'),
                             {'summary': Lazy('tf1.contrib_summary')}),
        'signal': Namespace('contrib.signal', v1.signal),  # moved there by TF 1.13, unchanged
        'lookup': Namespace('contrib.lookup', Lazy('tf1.contrib_lookup')),
        'data': api_contrib.CONTRIB_DATA_NAMESPACE,
        **api_contrib.PORTED_AND_MOVED,
        'tensorboard': Namespace('contrib.tensorboard', None, {
            'plugins': Namespace('contrib.tensorboard.plugins', None, {
                'projector': Lazy('tf1.projector')})}),
    })

    flags = flags_module.NAMESPACE  # tf.flags, which is tf.app.flags too
    root = Namespace('', v1, {
        'flags': flags,
        'app': Namespace('app', v1.app, {'flags': flags, 'run': Lazy('tf1.app:run')}),
        'logging': LOGGING,
        'get_seed': Lazy('tf1.seeds:get_seed'),
        'enable_eager_execution': Lazy('tf1.eager:enable_eager_execution'),
        'random_uniform': Lazy('tf1.seeds:random_uniform'),
        'random_gamma': Lazy('tf1.seeds:random_gamma'),
        **{name: Lazy('tf1.tf0_arguments:' + name) for name in ('concat', 'split', 'reverse')},
        'tensordot': Lazy('tf1.seeds:tensordot'),
        'pad': Lazy('tf1.pad:pad'),
        # In a graph, the class of graph tensors (TF 1.x's tf.Tensor was their very class;
        # TF 2.x's is their base class); eagerly, the base of every tensor.
        'Tensor': ByExecutionMode(graph=Lazy('tensorflow.python.framework.ops:SymbolicTensor'),
                                  eager=Lazy('tensorflow.python.framework.tensor:Tensor')),
        'random': Namespace('random', v1.random, {'get_seed': Lazy('tf1.seeds:get_seed'),
                                                  'uniform': Lazy('tf1.seeds:random_uniform'),
                                                  'gamma': Lazy('tf1.seeds:random_gamma')}),
        'contrib': contrib,
        'nn': nn,
        'layers': Namespace('layers', Lazy('tf1.layers'), {
            'experimental': Namespace('layers.experimental', None, {
                name: Lazy('tf1.layers.keras_style:' + name)
                for name in ('keras_style_scope', 'set_keras_style')})}),
        # tf.keras is TF 1.x's graph-mode Keras (Keras 2's TF 1.x API, from the tf_keras
        # package: Keras 3 builds no TF 1.x graphs); its MNIST loader reads --mnist_dir.
        'keras': KERAS,
        # tf.estimator.tpu (TF 1.13-1.15's home of TPUEstimator): tf1's tf.contrib.tpu.
        'estimator': Namespace('estimator', Lazy('tf1.estimator'), {
            'tpu': Namespace('estimator.tpu', Lazy('tf1.contrib_tpu'))}),
        'distribute': Namespace('distribute', v1.distribute, {
            'cluster_resolver': api_contrib_tpu.CLUSTER_RESOLVER}),
        'train': Namespace('train', v1.train, {
            'Int64List': Lazy('tf1.example_protos:Int64List')}),
        'examples': Lazy('tf1.examples'),
        'test': Namespace('test', v1.test, {
            'is_built_with_cuda': Lazy('tf1.test_util:is_built_with_cuda')}),
        'data': Namespace('data', v1.data, {
            'experimental': Namespace('data.experimental', v1.data.experimental, {
                'CheckpointInputPipelineHook': Lazy(
                    'tf1.data_checkpoint_hook:CheckpointInputPipelineHook')})}),
        'VERSION': TF1_VERSION,
        'version': Namespace('version', v1.version, {'VERSION': TF1_VERSION}),
        'config': Namespace('config', v1.config, {
            'experimental_list_devices': Lazy('tf1.config:experimental_list_devices')}),
    })
    # tf.compat.v1 is this same API (scripts migrated half-way import it); tf.compat.v2 and
    # the rest of tf.compat are TensorFlow's own.
    root._provided['compat'] = Namespace('compat', v1.compat, {'v1': root})
    # TF 1.x's last release: TF 1.x code branches on the version to reach the API it was
    # written for (TF-Privacy 0.2's `LooseVersion(tf.__version__) < '2.0.0'`), which tf1
    # is. TensorFlow's own stays at `tensorflow.__version__` outside the mapping.
    root.__version__ = TF1_VERSION
    return root


tensorflow = _build()


def enter_graph_mode():
    """TF 1.x's execution model for the whole process: graphs and sessions, reference
    variables, v1 control flow (tf.disable_v2_behavior), random ops seeded as TF 1.x
    seeded them (tf1/seeds.py).

    TF 2.x's deprecation notices ("calling dropout with keep_prob is deprecated", "use
    tf.cast instead" ...) are advice for leaving TF 1.x, printed at graph-building time
    in every run; TF 1.x did not print them for these APIs, so they are turned off.
    What TF 1.x code relied on inside TensorFlow's classes is put back
    (tf1/restored_internals.py)."""
    deprecation._PRINT_DEPRECATION_WARNINGS = False
    v1.disable_v2_behavior()
    seeds.install()
    restored_internals.install()


# Modules that are real files in tf1/, imported as such so that `import
# tensorflow.examples.tutorials.mnist.input_data` loads every package on the way.
PACKAGES = {'examples': 'tf1.examples'}

# TensorFlow's internals (from tensorflow.python.client import timeline), imported as they are.
REAL_PACKAGES = ('python', 'core', 'tools', 'compiler', 'lite', 'tsl', 'dtensor')

# Internal modules whose TF 1.x names TF 2.x moved elsewhere, or dropped (tf1/api_internals.py).
MOVED_MODULES.update(api_internals.moved_modules())
# TF 1.x's tf.pywrap_tensorflow is that module (tf.pywrap_tensorflow.NewCheckpointReader).
tensorflow._provided['pywrap_tensorflow'] = MOVED_MODULES['tensorflow.python.pywrap_tensorflow']


def import_tensorflow(name, fromlist, real_import):
    """What `import <name>` (fromlist empty) or `from <name> import <fromlist>` gives mapped
    code, for `name` 'tensorflow' or 'tensorflow.X.Y'."""
    path = name.split('.')[1:]
    if path[:2] == ['python', 'keras']:
        # TF 1.x's Keras by its internal path (`from tensorflow.python.keras.layers import
        # Dense`): tf.keras; what tf.keras lacks (testing_utils ...), TensorFlow's own.
        try:
            namespace = _import_from(tensorflow, ['keras'] + path[2:], fromlist)
        except ImportError:
            namespace = real_import(name, None, None, fromlist, 0)
        return namespace if fromlist else tensorflow
    if path and path[0] in REAL_PACKAGES:
        if name in MOVED_MODULES:  # TF 2.x has none by that name (python.estimator ...)
            for part in fromlist or ():
                if part != '*':
                    _attribute(MOVED_MODULES[name], part, path + [part])
            return MOVED_MODULES[name] if fromlist else tensorflow
        module = real_import(name, None, None, fromlist, 0)
        return internal_view(module) if fromlist else tensorflow
    if path and path[0] in PACKAGES:
        real_name = '.'.join([PACKAGES[path[0]]] + path[1:])
        try:
            module = real_import(real_name, None, None, fromlist, 0)
        except ModuleNotFoundError:
            raise unsupported.error('.'.join(path), module=True) from None
        return sys.modules[real_name] if fromlist else tensorflow
    return _import_from(tensorflow, path, fromlist)


def import_estimator(name, fromlist):
    """What `import tensorflow_estimator...` gives mapped code: TF 1.14-1.15 kept tf.estimator
    in that package, `tensorflow_estimator.python.estimator.X` being tf1's
    `tensorflow.python.estimator.X`, `tensorflow_estimator.estimator` tf.estimator and
    `tensorflow_estimator.contrib.estimator` tf.contrib.estimator. A name tf1 lacks is named
    as the import spelled it."""
    try:
        return _import_from(_estimator_package(), name.split('.')[1:], fromlist)
    except unsupported.Unsupported as error:
        # Failed in tf1's tensorflow namespaces (tensorflow.python.estimator ...), whose
        # error names the path as `tensorflow.` + the path the import spelled.
        missing = getattr(error, 'name', None) or ''
        if not missing.startswith('tensorflow.'):
            raise
        raise unsupported.error(missing[len('tensorflow.'):], module=True,
                                package='tensorflow_estimator') from None


@functools.lru_cache(maxsize=None)
def _estimator_package():
    """tensorflow_estimator's namespace, made at its first import."""
    return Namespace('', None, {
        'estimator': tensorflow.estimator,
        'python': Namespace('python', None, {
            'estimator': MOVED_MODULES['tensorflow.python.estimator']},
            package='tensorflow_estimator'),
        'contrib': Namespace('contrib', None, {'estimator': tensorflow.contrib.estimator},
                             package='tensorflow_estimator')},
        package='tensorflow_estimator')


def import_keras(name, fromlist):
    """What `import keras...` gives mapped code: standalone Keras 2 as TF 1.x-era code
    had it, on Keras 2's TF 1.x API (Keras 3 builds no TF 1.x graphs)."""
    global _standalone_keras
    if _standalone_keras is None:
        _standalone_keras = keras_namespace('keras')
        from tf1 import keras_legacy, keras_legacy_interfaces, keras_shapes
        keras_legacy.behave_as_standalone_keras()
        keras_shapes.install()
        keras_legacy_interfaces.install(_standalone_keras.layers)
    return _import_from(_standalone_keras, name.split('.')[1:], fromlist)


_standalone_keras = None


def _import_from(root, path, fromlist):
    namespace = root
    for depth, part in enumerate(path):
        namespace = _attribute(namespace, part, path[:depth + 1])
    for part in fromlist or ():
        if part != '*':
            _attribute(namespace, part, path + [part])
    return namespace if fromlist else root


def _attribute(namespace, name, api_path):
    """getattr, with tf1's error as an ImportError (an import is what failed), naming the
    path the import spelled (a standalone Keras module may be folded into another), its
    `name` the module asked for, as Python's (pydoc.locate, trying candidate paths, goes
    on to the next only on its own path's)."""
    package = getattr(namespace, '_package', 'tensorflow')
    try:
        return getattr(namespace, name)
    except unsupported.Unsupported as tf1_error:
        if package == 'keras':
            error = unsupported.error('.'.join(api_path), module=True, package=package)
        else:
            error = unsupported.UnsupportedModuleError(str(tf1_error))
    except AttributeError:
        error = unsupported.error('.'.join(api_path), module=True, package=package)
    error.name = '.'.join([package] + list(api_path))
    raise error from None
