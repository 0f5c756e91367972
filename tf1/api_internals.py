"""TensorFlow's internal modules as TF 1.x code imported them (`from tensorflow.python...
import ...`): where TF 2.x moved a module's TF 1.x names elsewhere, dropped their TF 1.x
arguments, or dropped the module, the namespace that holds them now, by the module's TF 1.x
name. tf1/api.py puts them in MOVED_MODULES; every other internal module is TensorFlow's
own. TF 1.x froze graphs with `graph_util.convert_variables_to_constants`, which TF 2.x's
graph_util lacks; it dropped tensorflow.tools.graph_transforms but not the tool."""
import tensorflow.compat.v1 as v1

from tf1 import api_contrib, gen_ops
from tf1 import flags as flags_module
from tf1.api_keras import KERAS, KerasLazy
from tf1.api_rnn import RNN_CELLS, RNN_PRIVATE
from tf1.namespace import Lazy, Namespace, OpsPackage

# The reductions, which took TF 1.0-1.12's keep_dims and reduction_indices in math_ops too.
REDUCTIONS = ('reduce_sum', 'reduce_mean', 'reduce_max', 'reduce_min', 'reduce_prod',
              'reduce_all', 'reduce_any', 'reduce_logsumexp', 'count_nonzero')

# TF 1.x's cell modules, where custom cells found their base class and _linear: tf1's cells
# (their other private helpers are TensorFlow's own).
RNN_CELL_IMPL = Namespace('python.ops.rnn_cell_impl', Lazy('tensorflow.python.ops.rnn_cell_impl'),
                          dict({name: Lazy('tf1.rnn_cell:' + name)
                                for name in RNN_CELLS + ('LayerRNNCell',)}, **RNN_PRIVATE))

# TF 1.x's own estimator package, whose modules scripts imported (`from
# tensorflow.python.estimator.model_fn import ModeKeys`); TF 2.x has none: each module is
# tf1's tf.estimator, its export and inputs modules theirs.
ESTIMATOR_MODULES = {'': 'tf1.estimator', 'estimator': 'tf1.estimator',
                     'model_fn': 'tf1.estimator', 'run_config': 'tf1.estimator_spec',
                     'training': 'tf1.estimator', 'export': 'tf1.estimator_export',
                     'export.export': 'tf1.estimator_export',
                     'export.export_output': 'tf1.estimator_export',
                     'export.export_lib': 'tf1.estimator_export',
                     'early_stopping': 'tf1.estimator_early_stopping',
                     'exporter': 'tf1.estimator_exporter',
                     'extenders': 'tf1.estimator_extenders',
                     'hooks': 'tf1.estimator_in_memory', 'hooks.hooks': 'tf1.estimator_in_memory',
                     # TF 1.13-1.15 kept copies of tf.train's hooks and contrib.testing's
                     # fake writer there
                     'hooks.basic_session_run_hooks':
                         'tensorflow.python.training.basic_session_run_hooks',
                     'hooks.session_run_hook': 'tensorflow.python.training.session_run_hook',
                     'hooks.fake_summary_writer': 'tf1.contrib_testing',
                     'mode_keys': 'tf1.estimator_spec', 'estimator_lib': 'tf1.estimator',
                     'inputs': 'tf1.estimator_inputs',
                     'inputs.numpy_io': 'tf1.estimator_inputs',
                     'inputs.pandas_io': 'tf1.estimator_inputs',
                     'inputs.queues': 'tf1.contrib_training_feeding',
                     'inputs.queues.feeding_queue_runner': 'tf1.contrib_training_feeding',
                     'inputs.queues.feeding_functions': 'tf1.estimator_feeding_functions',
                     'canned': 'tf1.estimator', 'canned.head': 'tf1.estimator_canned_head',
                     'canned.metric_keys': 'tf1.estimator_keys',
                     'canned.prediction_keys': 'tf1.estimator_keys',
                     'canned.parsing_utils': 'tf1.estimator_premade',
                     **{'canned.' + module: 'tf1.estimator_premade' for module in (
                         'baseline', 'dnn', 'dnn_linear_combined', 'linear')},
                     # TF 1.14-1.15's TPU estimator (disentanglement_lib imports it there):
                     # tf1's tf.contrib.tpu, whose TPUEstimator runs on the CPU
                     **{module: 'tf1.contrib_tpu' for module in (
                         'tpu', 'tpu.tpu_estimator', 'tpu.tpu_config')}}

# TF 1.x's tf.layers package by its path (the NMT tutorial's `from tensorflow.python.layers
# import core as layers_core`): tf1's tf.layers, not TF's internal Keras-based copy, so that
# its layers are what tf1's seq2seq and RNN cells take.
LAYERS_MODULES = {'': 'tf1.layers', 'layers': 'tf1.layers', 'base': 'tf1.layers.base',
                  'core': 'tf1.layers.core', 'convolutional': 'tf1.layers.convolutional',
                  'pooling': 'tf1.layers.pooling', 'normalization': 'tf1.layers.normalization',
                  'utils': 'tf1.layers.utils'}


def _package(path, modules):
    """{'tensorflow.PATH[.module]': its namespace}, each package holding its modules as
    attributes."""
    namespaces = {('tensorflow.%s.%s' % (path, child)).rstrip('.'):
                  Namespace(('%s.%s' % (path, child)).rstrip('.'), Lazy(module))
                  for child, module in modules.items()}
    for full_name, namespace in namespaces.items():
        parent, _, child = full_name.rpartition('.')
        if parent in namespaces:
            namespaces[parent]._provided[child] = namespace
    return namespaces



# TF 1.14-2.10's tensorflow.python.training.tracking, which TF 2.11 split between
# tensorflow.python.trackable and tensorflow.python.checkpoint (TF 1.15's own tests and the
# libraries of its time imported it).
TRACKING_MODULES = {'': 'tensorflow.python.trackable',
                    'base': 'tensorflow.python.trackable.base',
                    'tracking': 'tensorflow.python.trackable.autotrackable',
                    'util': 'tensorflow.python.checkpoint.checkpoint',
                    'data_structures': 'tensorflow.python.trackable.data_structures',
                    'graph_view': 'tensorflow.python.checkpoint.graph_view',
                    'layer_utils': 'tensorflow.python.trackable.layer_utils',
                    'python_state': 'tensorflow.python.trackable.python_state'}
_TRACKING = _package('python.training.tracking', TRACKING_MODULES)
# tracking.py also held the resource and asset classes, now modules of their own.
_TRACKING['tensorflow.python.training.tracking.tracking']._provided.update({
    'TrackableResource': Lazy('tensorflow.python.trackable.resource:TrackableResource'),
    'CapturableResource': Lazy('tensorflow.python.trackable.resource:CapturableResource'),
    'TrackableAsset': Lazy('tensorflow.python.trackable.asset:Asset'),
    'Asset': Lazy('tensorflow.python.trackable.asset:Asset')})


# tfdbg's modules, with TF 1.x's arguments in tf1/debug.py's names.
DEBUG_NAMES = {
    '': ('WatchOptions', 'watch_graph', 'watch_graph_with_blacklists',
         'DumpingDebugWrapperSession', 'GrpcDebugWrapperSession',
         'TensorBoardDebugWrapperSession', 'LocalCLIDebugWrapperSession', 'DumpingDebugHook',
         'GrpcDebugHook', 'TensorBoardDebugHook', 'LocalCLIDebugHook'),
    '.lib.debug_utils': ('watch_graph', 'watch_graph_with_blacklists'),
    '.wrappers.framework': ('WatchOptions',),
    '.wrappers.hooks': ('DumpingDebugHook', 'GrpcDebugHook', 'TensorBoardDebugHook',
                        'LocalCLIDebugHook'),
    '.wrappers.dumping_wrapper': ('DumpingDebugWrapperSession',),
    '.wrappers.grpc_wrapper': ('GrpcDebugWrapperSession', 'TensorBoardDebugWrapperSession'),
    '.wrappers.local_cli_wrapper': ('LocalCLIDebugWrapperSession',)}


def moved_modules():
    """{a TF 1.x internal module's name: the namespace with its TF 1.x names}."""
    moved = {'tensorflow.python.ops': OpsPackage(),
             'tensorflow.python.ops.rnn_cell_impl': RNN_CELL_IMPL,
             'tensorflow.python.ops.rnn_cell': RNN_CELL_IMPL,
             'tensorflow.python.framework.graph_util': v1.graph_util,
             'tensorflow.python.framework.op_def_registry': Namespace(
                 'python.framework.op_def_registry',
                 Lazy('tensorflow.python.framework.op_def_registry'), {
                     'get_registered_ops': Lazy('tf1.op_def_registry:get_registered_ops')}),
             # TF 2.x moved VariableV1 and RefVariable out of variables.py, and
             # its Variable drops TF 1.x's arguments (tf1/internal_variables.py).
             'tensorflow.python.ops.variables': Namespace(
                 'python.ops.variables', Lazy('tensorflow.python.ops.variables'), {
                     'Variable': Lazy('tf1.internal_variables:Variable'),
                     'VariableV1': v1.Variable,
                     'RefVariable': Lazy('tensorflow.python.ops.ref_variable:'
                                         'RefVariable'),
                     'is_variable_initialized': v1.is_variable_initialized}),
             # TF 2.x moved the tensor classes out of ops.py; TF 1.x code
             # tested `isinstance(x, ops.Tensor)`.
             'tensorflow.python.framework.ops': Namespace(
                 'python.framework.ops', Lazy('tensorflow.python.framework.ops'), {
                     'Tensor': Lazy('tensorflow.python.framework.tensor:Tensor'),
                     **{name: Lazy('tensorflow.python.framework.indexed_slices:'
                                   + name)
                        for name in ('IndexedSlices', 'IndexedSlicesValue',
                                     'convert_to_tensor_or_indexed_slices',
                                     'convert_n_to_tensor_or_indexed_slices')},
                     'register_tensor_conversion_function': Lazy(
                         'tensorflow.python.framework.tensor_conversion_registry:'
                         'register_tensor_conversion_function'),
                     **{name: Lazy('tf1.tensor_like:' + name) for name in (
                         'register_dense_tensor_like_type', 'is_dense_tensor_like')}}),
             'tensorflow.python.util.nest': api_contrib.NEST,
             # TF 1.x's run_in_graph_and_eager_modes took reset_test (TF 2.x: no).
             'tensorflow.python.framework.test_util': Namespace(
                 'python.framework.test_util', Lazy('tensorflow.python.framework.test_util'), {
                     'run_in_graph_and_eager_modes': Lazy(
                         'tf1.test_util:run_in_graph_and_eager_modes')}),
             # TF 1.x's defun, which TF 2.x dropped for tf.function (tfe.defun).
             'tensorflow.python.eager.function': Namespace(
                 'python.eager.function', Lazy('tensorflow.python.eager.function'), {
                     'defun': Lazy('tf1.contrib_eager:defun')}),
             # TF 1.14-1.15's eager profiler, which TF 2.2 replaced.
             'tensorflow.python.eager.profiler': Namespace(
                 'python.eager.profiler', Lazy('tf1.eager_profiler')),
             'tensorflow.python.platform.flags': flags_module.NAMESPACE,
             # TF 2.x moved these out of the ops modules TF 1.x code imported them
             # from (to while_loop.py, cond.py, array_ops_stack.py, TF 1.14's map_fn.py:
             # GAN metrics' Inception score) or dropped TF 1.0-1.12's keep_dims.
             **{'tensorflow.python.ops.' + module: Namespace(
                 'python.ops.' + module, Lazy('tensorflow.python.ops.' + module),
                 {name: getattr(v1, name) for name in names})
                for module, names in (
                    ('control_flow_ops', ('while_loop', 'cond', 'case', 'Assert')),
                    ('array_ops', ('stack', 'unstack')),
                    ('functional_ops', ('map_fn',)),
                    ('math_ops', REDUCTIONS))},
             # TF 1.x's variable_scope.variable (TensorLayer's optimizers), which
             # TF 2.x removed: a TF 1.x variable; and the resource-variable switches
             # (TF 1.15's tests'), which TF 2.x moved to resource_variables_toggle.
             'tensorflow.python.ops.variable_scope': Namespace(
                 'python.ops.variable_scope',
                 Lazy('tensorflow.python.ops.variable_scope'), {
                     'variable': v1.Variable,
                     'enable_resource_variables': v1.enable_resource_variables,
                     'disable_resource_variables': v1.disable_resource_variables,
                     'resource_variables_enabled': v1.resource_variables_enabled}),
             # TF 1.x's printout, which the TF 1.x guides show.
             'tensorflow.python.tools.inspect_checkpoint': Namespace(
                 'python.tools.inspect_checkpoint',
                 Lazy('tensorflow.python.tools.inspect_checkpoint'), {
                     'print_tensors_in_checkpoint_file': Lazy(
                         'tf1.inspect_checkpoint:print_tensors_in_checkpoint_file')}),
             # TF 1.x's import_to_tensorboard read a GraphDef file (TF 2.x: a SavedModel).
             'tensorflow.python.tools.import_pb_to_tensorboard': Namespace(
                 'python.tools.import_pb_to_tensorboard',
                 Lazy('tensorflow.python.tools.import_pb_to_tensorboard'), {
                     'import_to_tensorboard': Lazy(
                         'tf1.import_pb_to_tensorboard:import_to_tensorboard')}),
             # TF 1.x's freeze_graph took variable_names_blacklist (TF 2.4: denylist).
             'tensorflow.python.tools.freeze_graph': Namespace(
                 'python.tools.freeze_graph',
                 Lazy('tensorflow.python.tools.freeze_graph'), {
                     name: Lazy('tf1.freeze_graph:' + name)
                     for name in ('freeze_graph', 'freeze_graph_with_def_protos')}),
             # TF 1.x's SWIG events writer (EventsWriter(prefix), WriteEvent(an
             # Event proto), Flush, Close: OpenAI baselines' TensorBoard logger),
             # which TF 2.x moved, same methods, to _pywrap_events_writer; its
             # checkpoint reader (tf-faster-rcnn's training), moved, same methods, to
             # py_checkpoint_reader; its graph comparison, which now answers str.
             'tensorflow.python.pywrap_tensorflow': Namespace(
                 'python.pywrap_tensorflow',
                 Lazy('tensorflow.python.pywrap_tensorflow'), {
                     'EventsWriter': Lazy('tensorflow.python.client.'
                                          '_pywrap_events_writer:EventsWriter'),
                     **{name: Lazy('tensorflow.python.training.py_checkpoint_reader:'
                                   + name)
                        for name in ('NewCheckpointReader', 'CheckpointReader')},
                     'EqualGraphDefWrapper': Lazy(
                         'tf1.pywrap_tensorflow:EqualGraphDefWrapper')}),
             # TF 1.14-1.15's DenseFeatures (V1), which TF 2.x moved to Keras:
             # TF-Ranking 0.1's input layer.
             **{'tensorflow.python.feature_column.' + module: Namespace(
                 'python.feature_column.' + module,
                 Lazy('tensorflow.python.feature_column.' + module), {
                     'DenseFeatures': KerasLazy('tf_keras.src.feature_column.'
                                                'dense_features:DenseFeatures')})
                for module in ('feature_column_lib', 'feature_column_v2')},
             **{'tensorflow.python.feature_column.' + module: Namespace(
                 'python.feature_column.' + module,
                 KerasLazy('tf_keras.src.feature_column.' + module))
                for module in ('dense_features', 'dense_features_v2')},
             # TF 1.x's `from tensorflow.python.data import Dataset` (ML Crash
             # Course's code) was the v1 Dataset, with make_one_shot_iterator.
             'tensorflow.python.data': Namespace(
                 'python.data', Lazy('tensorflow.python.data'), {
                     name: getattr(v1.data, name) for name in (
                         'Dataset', 'Iterator', 'TFRecordDataset',
                         'TextLineDataset', 'FixedLengthRecordDataset')})}
    moved.update({'tensorflow.python.debug' + module: Namespace(
        'python.debug' + module, Lazy('tensorflow.python.debug' + module),
        {name: Lazy('tf1.debug:' + name) for name in names})
        for module, names in DEBUG_NAMES.items()})
    moved.update(_package('python.estimator', ESTIMATOR_MODULES))
    moved['tensorflow.python.keras'] = KERAS
    moved.update(_package('python.layers', LAYERS_MODULES))
    moved.update(_package('tools.graph_transforms', {'': 'tf1.graph_transforms'}))
    # TF 1.15's stubs for the TPU estimator's modules (mesh-tensorflow's transformer imports
    # them): tf1's tf.contrib.tpu, whose TPUEstimator runs on the CPU (use_tpu=False).
    moved.update({'tensorflow.python.tpu.' + module: Namespace('python.tpu.' + module,
                                                               Lazy('tf1.contrib_tpu'))
                  for module in ('tpu_config', 'tpu_estimator')})
    moved['tensorflow.python.tpu.async_checkpoint'] = Namespace(
        'python.tpu.async_checkpoint', Lazy('tf1.contrib_tpu_async_checkpoint'))
    moved.update(gen_ops.modules())  # TF 1.0-1.4's private op names (gen_nn_ops._relu_grad)
    moved.update(_TRACKING)
    return moved
