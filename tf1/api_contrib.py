"""tf.contrib's namespaces that tf1/api.py's `tf.contrib` takes whole: the modules tf1 ports
(losses, metrics, factorization's k-means, tensor_forest, saved_model, seq2seq,
legacy_seq2seq, predictor, image, crf, nn, deprecated, cudnn_rnn's cells, sparsemax,
resampler, integrate, mixed_precision, slim, training's loops; opt, gan and tpu have files
of their own, api_contrib_opt.py, api_contrib_gan.py and api_contrib_tpu.py), also under
the module paths TF 1.x's own tests import, and the contrib names of what TensorFlow moved elsewhere
(compiler.jit, stateless, linalg, autograph, cluster_resolver, staging, lite, util,
distribute), and the namespaces tf.contrib's framework, eager, data and distributions are
built from."""
import tensorflow.compat.v1 as v1
from tensorflow.python.util import nest

from tf1.api_contrib_gan import GAN
from tf1.api_contrib_opt import CONTRIB_OPT
from tf1.api_contrib_tpu import CLUSTER_RESOLVER, CONTRIB_TPU
from tf1.namespace import Lazy, Namespace, module_path

# tf.contrib.data's Dataset, readers and Iterator (TF 1.2-1.3) and the transformations TF 2.x
# renamed or dropped; the rest of it is tf.data.experimental, where TF moved it.
CONTRIB_DATA = ('Dataset', 'FixedLengthRecordDataset', 'Iterator', 'TFRecordDataset',
                'TextLineDataset', 'assert_element_shape', 'batch_and_drop_remainder',
                'padded_batch_and_drop_remainder', 'reduce_dataset', 'sliding_window_batch',
                'sloppy_interleave')


def _contrib_data(path):
    return Namespace(path, v1.data.experimental, dict(
        {name: Lazy('tf1.contrib_data:' + name) for name in CONTRIB_DATA},
        CheckpointInputPipelineHook=Lazy('tf1.data_checkpoint_hook:'
                                         'CheckpointInputPipelineHook')))


# ... also under its modules' paths (`from tensorflow.contrib.data.python.ops import
# sliding`), each the whole of it, as TF 1.x's package re-exported them all.
CONTRIB_DATA_NAMESPACE = _contrib_data('contrib.data')
CONTRIB_DATA_NAMESPACE._provided['python'] = Namespace('contrib.data.python', None, {
    'ops': Namespace('contrib.data.python.ops', None, {
        module: _contrib_data('contrib.data.python.ops.' + module) for module in (
            'batching', 'counter', 'enumerate_ops', 'error_ops', 'get_single_element',
            'grouping', 'interleave_ops', 'iterator_ops', 'parsing_ops', 'prefetching_ops',
            'random_ops', 'readers', 'resampling', 'scan_ops', 'shuffle_ops', 'sliding',
            'threadpool', 'unique', 'writers')})})

# tf.contrib.distributions: TF 1.15's names (its `_allowed_symbols`), each TensorFlow
# Probability's, where the same classes live on (functions in tfp.math, tfp.stats), by the
# module that has them, and the softplus classes TFP dropped (tf1/contrib_distributions.py).
# Only TF 1.x's names: code built classes from `dir(tf.contrib.distributions)` (Edward makes
# a random variable of each Distribution), which TFP's hundred-odd newer ones would shadow
# (TFP's `Empirical(samples)` for Edward's `Empirical(params)`). The rest of TF 1.15's
# (ConditionalDistribution, the Vector* distributions, VectorDiffeomixture,
# WishartCholesky/Full, the quadrature schemes, moving_mean_variance, tridiag,
# matrix_diag_transform) are gone from TFP: one line each.
# TFP's distributions through tf1/contrib_distributions_plain.py: those TFP made
# CompositeTensors as plain Python objects, as TF 1.x's were.
CONTRIB_DISTRIBUTIONS_NAMES = {
    'tf1.contrib_distributions_plain': (
        'Autoregressive', 'BatchReshape', 'Bernoulli', 'Beta', 'Binomial', 'Categorical',
        'Cauchy', 'Chi2', 'Deterministic', 'Dirichlet', 'DirichletMultinomial',
        'Distribution', 'ExpRelaxedOneHotCategorical', 'Exponential', 'FULLY_REPARAMETERIZED',
        'Gamma', 'Geometric', 'HalfNormal', 'Independent', 'InverseGamma', 'Kumaraswamy',
        'Laplace', 'Logistic', 'Mixture', 'MixtureSameFamily', 'Multinomial',
        'MultivariateNormalDiag', 'MultivariateNormalDiagPlusLowRank',
        'MultivariateNormalFullCovariance', 'MultivariateNormalTriL', 'NOT_REPARAMETERIZED',
        'NegativeBinomial', 'Normal', 'OneHotCategorical', 'Poisson',
        'PoissonLogNormalQuadratureCompound', 'QuantizedDistribution', 'RegisterKL',
        'RelaxedBernoulli', 'RelaxedOneHotCategorical', 'ReparameterizationType',
        'SinhArcsinh', 'StudentT', 'TransformedDistribution', 'Uniform', 'VectorDeterministic',
        'kl_divergence', 'normal_conjugates_known_scale_posterior',
        'normal_conjugates_known_scale_predictive'),
    'tensorflow_probability.python.math': (
        'fill_triangular', 'fill_triangular_inverse', 'reduce_weighted_logsumexp',
        'softplus_inverse'),
    'tensorflow_probability.python.stats': (
        'assign_log_moving_mean_exp', 'assign_moving_mean_variance', 'auto_correlation',
        'percentile'),
    'tensorflow_probability.python.util': ('SeedStream',),
    'tf1.contrib_distributions': (
        'BernoulliWithSigmoidProbs', 'BetaWithSoftplusConcentration', 'Chi2WithAbsDf',
        'ExponentialWithSoftplusRate', 'GammaWithSoftplusConcentrationRate',
        'InverseGammaWithSoftplusConcentrationRate', 'LaplaceWithSoftplusScale',
        'MultivariateNormalDiagWithSoftplusScale', 'NormalWithSoftplusScale',
        'StudentTWithAbsDfSoftplusScale',
        # TF 1.0's names for some of them and for two multivariate normals
        'NormalWithSoftplusSigma', 'StudentTWithAbsDfSoftplusSigma', 'BetaWithSoftplusAB',
        'GammaWithSoftplusAlphaBeta', 'ExponentialWithSoftplusLam',
        'InverseGammaWithSoftplusAlphaBeta', 'BernoulliWithSigmoidP',
        'MultivariateNormalDiagWithSoftplusStDev', 'MultivariateNormalCholesky',
        'MultivariateNormalFull'),
    'tf1.contrib_distributions_tf10': ('kl',),  # TF 1.0's kl_divergence
}
CONTRIB_DISTRIBUTIONS = Namespace('contrib.distributions', None, dict(
    bijectors=Namespace('contrib.distributions.bijectors',
                        Lazy('tensorflow_probability:bijectors')),
    **{name: Lazy('%s:%s' % (module, name))
       for module, names in CONTRIB_DISTRIBUTIONS_NAMES.items() for name in names}))
# Its modules, which scripts imported by path (TF 1.0-1.2's `from tensorflow.contrib.
# distributions.python.ops import bernoulli`: google/seq2seq, TF 1.1's seq2seq helpers):
# each all of TensorFlow Probability's distributions, with tf.contrib.distributions' classes.
CONTRIB_DISTRIBUTIONS._provided['python'] = module_path(
    'contrib.distributions.python.ops', 'tensorflow_probability:distributions', (
        'bernoulli', 'beta', 'binomial', 'categorical', 'cauchy', 'chi2', 'deterministic',
        'dirichlet', 'dirichlet_multinomial', 'distribution', 'exponential', 'gamma',
        'geometric', 'gumbel', 'half_normal', 'independent', 'inverse_gamma',
        'kullback_leibler', 'laplace', 'logistic', 'mixture', 'mixture_same_family',
        'multinomial', 'mvn_diag', 'mvn_full_covariance', 'mvn_tril', 'negative_binomial',
        'normal', 'onehot_categorical', 'poisson', 'relaxed_bernoulli',
        'relaxed_onehot_categorical', 'student_t', 'transformed_distribution', 'uniform',
        'wishart'), private={name: CONTRIB_DISTRIBUTIONS._provided[name] for name in
                             CONTRIB_DISTRIBUTIONS_NAMES['tf1.contrib_distributions_plain']})
CONTRIB_DISTRIBUTIONS._provided['python'].ops._provided['bijectors'] = (
    CONTRIB_DISTRIBUTIONS.bijectors)

# TF 1.x's nest (tf.contrib.framework.nest, tensorflow.python.util.nest): TF 2.x's, which
# renamed is_sequence to is_nested.
NEST = Namespace('python.util.nest', nest, {'is_sequence': nest.is_nested,
                                            'pack_sequence_as': Lazy('tf1.nest:pack_sequence_as')})

# contrib.layers' modules, which scripts import by path (`from
# tensorflow.contrib.layers.python.layers import initializers`).
CONTRIB_LAYERS_MODULES = ('encoders', 'feature_column', 'feature_column_ops', 'initializers',
                          'optimizers', 'regularizers', 'rev_block_lib', 'summaries', 'utils')
# The package there: those modules below it, and layers.py and embedding_ops.py whole (tf1
# spreads what they held over the package: batch_norm.py, pooling.py ...).
CONTRIB_LAYERS_PYTHON = module_path('contrib.layers.python.layers', 'tf1.contrib_layers',
                                    CONTRIB_LAYERS_MODULES, whole=('layers', 'embedding_ops'))
# The same modules are the package's attributes (`tf.contrib.layers.layers.max_pool2d`), and
# slim's, which star-imported the package (`slim.layers.conv2d`: tensorpack's examples).
CONTRIB_LAYERS_SUBMODULES = CONTRIB_LAYERS_PYTHON._provided['layers']._provided


# tf.contrib.eager, also as TF 1.4's `from tensorflow.contrib.eager.python import tfe`.
EAGER = Namespace('contrib.eager', Lazy('tf1.contrib_eager'), {
    'metrics': Namespace('contrib.eager.metrics', Lazy('tf1.contrib_eager_metrics'))})
EAGER._provided['python'] = Namespace('contrib.eager.python', None, {
    'tfe': EAGER, 'metrics': EAGER.metrics, 'network': Lazy('tf1.contrib_eager_network'),
    'saver': Lazy('tf1.contrib_eager'), 'datasets': Lazy('tf1.contrib_eager')})


# tf.contrib.framework, and its modules where TF 1.x kept them: python.ops (`arg_scope`
# there is the function, as TF 1.x's package star-imported it) and python.framework.
_FRAMEWORK_PYTHON = module_path('contrib.framework.python.ops', 'tf1.contrib_framework',
                                ('variables', 'audio_ops'),
                                whole=('ops', 'checkpoint_ops', 'sort_ops'))
_FRAMEWORK_PYTHON._provided['framework'] = Namespace(
    'contrib.framework.python.framework', Lazy('tf1.contrib_framework'),
    {'tensor_util': Lazy('tf1.contrib_framework.tensor_util'),
     'checkpoint_utils': Lazy('tf1.contrib_framework')})
CONTRIB_FRAMEWORK = Namespace('contrib.framework', Lazy('tf1.contrib_framework'),
                              {'nest': NEST, 'python': _FRAMEWORK_PYTHON})

# tf.contrib.training, also under its module's path (`from
# tensorflow.contrib.training.python.training import hparam`, cloud ML samples' idiom).
CONTRIB_TRAINING = Namespace('contrib.training', Lazy('tf1.contrib_training'), {
    **{name: Lazy('tf1.contrib_training_loops:' + name) for name in (
        'add_gradients_summaries', 'clip_gradient_norms', 'clip_gradient_norms_fn',
        'create_train_op', 'multiply_gradients', 'train', 'evaluate_once',
        'evaluate_repeatedly', 'get_or_create_eval_step', 'StopAfterNEvalsHook',
        'SummaryAtEndHook')},
    **{name: Lazy('tf1.contrib_training_bucket:' + name)
       for name in ('bucket', 'bucket_by_sequence_length')},
    **{name: Lazy('tf1.contrib_training_sampling:' + name)
       for name in ('rejection_sample', 'stratified_sample', 'resample_at_rate',
                    'weighted_resample')},
    **{name: Lazy('tf1.contrib_training_device_setter:' + name)
       for name in ('RandomStrategy', 'GreedyLoadBalancingStrategy', 'byte_size_load_fn')},
    'FeedingQueueRunner': Lazy('tf1.contrib_training_feeding:FeedingQueueRunner'),
    **{name: Lazy('tf1.contrib_training_sequence_state_saver:' + name)
       for name in ('NextQueuedSequenceBatch', 'SequenceQueueingStateSaver')},
    'batch_sequences_with_states': Lazy(
        'tf1.contrib_training_sequence_batching:batch_sequences_with_states'),

    'python': Namespace('contrib.training.python', None, {
        'training': Namespace('contrib.training.python.training', None, {
            'bucket_ops': Lazy('tf1.contrib_training_bucket'),
            'sampling_ops': Lazy('tf1.contrib_training_sampling'),
            'resample': Lazy('tf1.contrib_training_sampling'),
            'device_setter': Lazy('tf1.contrib_training_device_setter'),
            'feeding_queue_runner': Lazy('tf1.contrib_training_feeding'),
            # TF 1.x's one module, whose own tests call its padding and sparse helpers.
            'sequence_queueing_state_saver': Namespace(
                'contrib.training.python.training.sequence_queueing_state_saver',
                Lazy('tf1.contrib_training_sequence_state_saver'), {
                    name: Lazy('tf1.contrib_training_sequence_batching:' + name) for name in (
                        'batch_sequences_with_states', '_padding',
                        '_deconstruct_sparse_tensor_seq', '_reconstruct_sparse_tensor_seq')}),
            'hparam': Namespace('contrib.training.python.training.hparam',
                                Lazy('tf1.contrib_training')),
            'hparam_pb2': Lazy('tf1.hparam_pb2'),  # hparam.proto's generated module
            'training': Lazy('tf1.contrib_training_loops'),
            'evaluation': Namespace(
                'contrib.training.python.training.evaluation',
                Lazy('tf1.contrib_training_loops'),
                {name: Lazy('tf1.contrib_training:' + name)
                 for name in ('checkpoints_iterator', 'wait_for_new_checkpoint')})})})})

# contrib.kernel_methods' modules (python/kernel_estimators.py, python/mappers/...), each
# all of tf1's one module.
_KERNEL_METHODS_PYTHON = module_path('contrib.kernel_methods.python',
                                     'tf1.contrib_kernel_methods',
                                     ('kernel_estimators', 'losses'), {})
_KERNEL_METHODS_PYTHON._provided['mappers'] = module_path(
    'contrib.kernel_methods.python.mappers', 'tf1.contrib_kernel_methods',
    ('dense_kernel_mapper', 'random_fourier_features'), {})._provided['mappers']

# contrib.metrics' modules by their TF 1.x paths (its tests'): ops.metric_ops (with the
# private helpers those tests call), ops.set_ops, ops.histogram_ops, metrics.classification.
_METRICS_PYTHON = module_path('contrib.metrics.python.ops', 'tf1.contrib_metrics',
                              ('metric_ops', 'set_ops', 'histogram_ops'), {
                                  '_strict_1d_cumsum':
                                      Lazy('tf1.contrib_metrics_auc:_strict_1d_cumsum'),
                                  '_next_array_size':
                                      Lazy('tf1.contrib_metrics_statistics:_next_array_size')})
_METRICS_PYTHON._provided['metrics'] = module_path(
    'contrib.metrics.python.metrics', 'tf1.contrib_metrics', ('classification',),
    {})._provided['metrics']

PORTED_AND_MOVED = {
    'gan': GAN,
    'losses': Namespace('contrib.losses', Lazy('tf1.contrib_losses'), {
        'metric_learning': Namespace('contrib.losses.metric_learning',
                                     Lazy('tf1.contrib_metric_learning')),
        'python': Namespace('contrib.losses.python', None, {
            'losses': Namespace('contrib.losses.python.losses', Lazy('tf1.contrib_losses'),
                                {'loss_ops': Lazy('tf1.contrib_losses')}),
            'metric_learning': Namespace(
                'contrib.losses.python.metric_learning', Lazy('tf1.contrib_metric_learning'),
                {'metric_loss_ops': Lazy('tf1.contrib_metric_learning')})})}),
    'metrics': Namespace('contrib.metrics', Lazy('tf1.contrib_metrics'), {
        'python': _METRICS_PYTHON}),
    # Its k-means graph, also as the module scripts imported it from (clustering_ops);
    # its estimators, GMM and WALS are gone.
    'factorization': Namespace('contrib.factorization', Lazy('tf1.contrib_factorization'), {
        'python': Namespace('contrib.factorization.python', None, {
            'ops': Namespace('contrib.factorization.python.ops', None, {
                'clustering_ops': Lazy('tf1.contrib_factorization'),
                'kmeans': Lazy('tf1.contrib_factorization')})})}),
    # The strategies, which TF 1.14 moved to tf.distribute (contrib's MirroredStrategy also
    # took num_gpus).
    'distribute': Namespace('contrib.distribute', v1.distribute, {
        'MirroredStrategy': Lazy('tf1.contrib_distribute:MirroredStrategy'),
        'DistributionStrategy': v1.distribute.Strategy,
        'DistributionStrategyExtended': v1.distribute.StrategyExtended,
        'CollectiveAllReduceStrategy': v1.distribute.experimental.MultiWorkerMirroredStrategy,
        'ParameterServerStrategy': v1.distribute.experimental.ParameterServerStrategy,
        'TPUStrategy': v1.distribute.experimental.TPUStrategy,
        'ReductionToOneDeviceCrossDeviceOps': v1.distribute.ReductionToOneDevice,
        'get_distribution_strategy': v1.distribute.get_strategy,
        'has_distribution_strategy': v1.distribute.has_strategy}),
    # Keras models as SavedModels (TF 1.12-1.15's save_keras_model, load_keras_model).
    'saved_model': Namespace('contrib.saved_model', Lazy('tf1.contrib_saved_model'), {
        'python': module_path('contrib.saved_model.python.saved_model',
                              'tf1.contrib_saved_model', ('keras_saved_model',), {})}),
    # Random forests grown online (TF 1.4-1.15), under the module paths scripts used.
    'tensor_forest': Namespace('contrib.tensor_forest', None, dict(
        python=Namespace('contrib.tensor_forest.python', None, {
            'tensor_forest': Lazy('tf1.contrib_tensor_forest'),
            'ops': Namespace('contrib.tensor_forest.python.ops', None, {
                'data_ops': Lazy('tf1.contrib_tensor_forest_data')})}),
        client=Namespace('contrib.tensor_forest.client', None, {
            'random_forest': Lazy('tf1.contrib_tensor_forest_estimator'),
            'eval_metrics': Lazy('tf1.contrib_tensor_forest_metrics')}),
        tensor_forest=Lazy('tf1.contrib_tensor_forest'),
        random_forest=Lazy('tf1.contrib_tensor_forest_estimator'),
        eval_metrics=Lazy('tf1.contrib_tensor_forest_metrics'))),
    'seq2seq': Namespace('contrib.seq2seq', Lazy('tf1.contrib_seq2seq'), {
        'python': module_path('contrib.seq2seq.python.ops', 'tf1.contrib_seq2seq', (
            'attention_wrapper', 'basic_decoder', 'beam_search_decoder', 'decoder', 'helper',
            'loss'), {  # each module is the package plus these private or module-only
                # names: decoder.py's re-exports, which TF 1.x code imported from it,
                '_transpose_batch_time': Lazy('tensorflow.python.ops.rnn:_transpose_batch_time'),
                '_zero_state_tensors': Lazy('tf1.rnn_cell.state_zeros:zero_state_tensors'),
                # helper.py's samplers and loss.py's Keras-style loss (TF 1.13-1.15)
                **{name: Lazy('tf1.contrib_seq2seq.helper:' + name)
                   for name in ('bernoulli_sample', 'categorical_sample')},
                'SequenceLoss': Lazy('tf1.contrib_seq2seq.loss:SequenceLoss'),
                # attention_wrapper.py's step (pointer-generator decoders build on it)
                '_compute_attention': Lazy(
                    'tf1.contrib_seq2seq.attention_wrapper:_compute_attention')})}),
    'legacy_seq2seq': Namespace('contrib.legacy_seq2seq', Lazy('tf1.contrib_legacy_seq2seq'), {
        'python': module_path('contrib.legacy_seq2seq.python.ops',
                              'tf1.contrib_legacy_seq2seq', ('seq2seq',), {})}),
    'tfprof': Namespace('contrib.tfprof', None, {
        'ProfileContext': Lazy('tf1.contrib_tfprof_context:ProfileContext'),
        **{module: Namespace('contrib.tfprof.' + module, Lazy('tf1.contrib_tfprof'))
           for module in ('model_analyzer', 'tfprof_logger')}}),
    'predictor': Namespace('contrib.predictor', Lazy('tf1.contrib_predictor'), {
        module: Lazy('tf1.contrib_predictor') for module in (
            'predictor', 'predictor_factories', 'saved_model_predictor',
            'core_estimator_predictor', 'contrib_estimator_predictor')}),
    # Each also under its modules' paths, as TF 1.x's own tests and many scripts import
    # them (`from tensorflow.contrib.crf.python.ops import crf`).
    'testing': Namespace('contrib.testing', Lazy('tf1.contrib_testing'), {
        'python': module_path('contrib.testing.python.framework', 'tf1.contrib_testing',
                              ('fake_summary_writer', 'util_test'), {})}),
    'image': Namespace('contrib.image', Lazy('tf1.contrib_image'), {
        'python': module_path('contrib.image.python.ops', 'tf1.contrib_image', (
            'image_ops', 'dense_image_warp', 'interpolate_spline', 'sparse_image_warp',
            'distort_image_ops'), {
                # which code that wanted a bilinear lookup imported
                '_interpolate_bilinear': Lazy('tf1.contrib_image_warp:_interpolate_bilinear')})}),
    'bayesflow': Namespace('contrib.bayesflow', Lazy('tf1.contrib_bayesflow'), {
        'python': module_path('contrib.bayesflow.python.ops', 'tf1.contrib_bayesflow', (
            'entropy', 'monte_carlo', 'stochastic_gradient_estimators', 'stochastic_graph',
            'stochastic_tensor', 'stochastic_variables', 'variational_inference'))}),
    'model_pruning': Namespace('contrib.model_pruning', Lazy('tf1.contrib_model_pruning'), {
        'python': Namespace('contrib.model_pruning.python', None, {
            **{module: Lazy('tf1.contrib_model_pruning.' + module)
               for module in ('pruning', 'pruning_utils', 'learning',
                              'strip_pruning_vars_lib')},
            'strip_pruning_vars': Lazy('tf1.contrib_model_pruning.strip_pruning_vars_lib'),
            'layers': Namespace('contrib.model_pruning.python.layers', None, {
                module: Lazy('tf1.contrib_model_pruning.' + module)
                for module in ('layers', 'core_layers', 'rnn_cells')})})}),
    'quantize': Namespace('contrib.quantize', Lazy('tf1.contrib_quantize'), {
        'python': module_path('contrib.quantize.python', 'tf1.contrib_quantize', (
            'common', 'fold_batch_norms', 'graph_matcher', 'input_to_ops', 'quant_ops',
            'quantize', 'quantize_graph'))}),
    'copy_graph': Namespace('contrib.copy_graph', Lazy('tf1.contrib_copy_graph'), {
        'python': module_path('contrib.copy_graph.python.util', 'tf1.contrib_copy_graph', (),
                              {}, whole=('copy_elements',))}),
    'solvers': Namespace('contrib.solvers', Lazy('tf1.contrib_solvers'), {
        'python': module_path('contrib.solvers.python.ops', 'tf1.contrib_solvers', (), {},
                              whole=('lanczos', 'least_squares', 'linear_equations', 'util'))}),
    'receptive_field': Namespace('contrib.receptive_field',
                                 Lazy('tf1.contrib_receptive_field'), {
        'receptive_field_api': Lazy('tf1.contrib_receptive_field'),
        'python': module_path('contrib.receptive_field.python.util',
                              'tf1.contrib_receptive_field', (), {},
                              whole=('receptive_field', 'graph_compute_order',
                                     'parse_layer_parameters'))}),
    'grid_rnn': Namespace('contrib.grid_rnn', Lazy('tf1.contrib_grid_rnn'), {
        'python': module_path('contrib.grid_rnn.python.ops', 'tf1.contrib_grid_rnn', (), {},
                              whole=('grid_rnn_cell',))}),
    'ndlstm': Namespace('contrib.ndlstm', Lazy('tf1.contrib_ndlstm'), {
        'python': Namespace('contrib.ndlstm.python', Lazy('tf1.contrib_ndlstm'), {
            module: Lazy('tf1.contrib_ndlstm.' + module)
            for module in ('lstm1d', 'lstm2d', 'misc')})}),
    'periodic_resample': Namespace('contrib.periodic_resample',
                                   Lazy('tf1.contrib_periodic_resample'), {
        'python': module_path('contrib.periodic_resample.python.ops',
                              'tf1.contrib_periodic_resample', (), {},
                              whole=('periodic_resample_op',))}),
    'crf': Namespace('contrib.crf', Lazy('tf1.contrib_crf'), {
        'python': module_path('contrib.crf.python.ops', 'tf1.contrib_crf', ('crf',), {})}),
    'nn': Namespace('contrib.nn', Lazy('tf1.contrib_nn'), {
        'python': module_path('contrib.nn.python.ops', 'tf1.contrib_nn', (
            'alpha_dropout', 'cross_entropy', 'sampling_ops', 'scaled_softplus'), {})}),
    'tpu': CONTRIB_TPU,
    'deprecated': Namespace('contrib.deprecated', Lazy('tf1.contrib_deprecated')),
    'cudnn_rnn': Namespace('contrib.cudnn_rnn', Lazy('tf1.rnn_cell.cudnn'), {
        'python': Namespace('contrib.cudnn_rnn.python', None, {
            'ops': Namespace('contrib.cudnn_rnn.python.ops', None, {
                'cudnn_rnn_ops': Namespace('contrib.cudnn_rnn.python.ops.cudnn_rnn_ops',
                                           Lazy('tf1.rnn_cell.cudnn'))}),
            # Imported at module level by code that uses the layers only on a GPU
            # (Magenta's music_vae): the import works, the layers are refused when used.
            'layers': Namespace('contrib.cudnn_rnn.python.layers', None, {
                'cudnn_rnn': Namespace('contrib.cudnn_rnn.python.layers.cudnn_rnn',
                                       Lazy('tf1.rnn_cell.cudnn'))})})}),
    'sparsemax': Namespace('contrib.sparsemax', Lazy('tf1.contrib_sparsemax')),
    'resampler': Namespace('contrib.resampler', Lazy('tf1.contrib_resampler')),
    'integrate': Namespace('contrib.integrate', Lazy('tf1.contrib_integrate'), {
        'python': module_path('contrib.integrate.python.ops', 'tf1.contrib_integrate',
                              ('odes',), {})}),
    'mixed_precision': Namespace('contrib.mixed_precision', Lazy('tf1.contrib_mixed_precision'), {
        'python': module_path('contrib.mixed_precision.python', 'tf1.contrib_mixed_precision',
                              (), whole=('loss_scale_manager', 'loss_scale_optimizer'))}),
    'slim': Namespace('contrib.slim', Lazy('tf1.slim'), {
        'python': module_path('contrib.slim.python.slim', 'tf1.slim',
                              ('evaluation', 'learning', 'model_analyzer', 'nets', 'queues',
                               'summaries', 'data')),
        # slim's own summaries module came after the star import, and replaced layers'.
        **{name: module for name, module in CONTRIB_LAYERS_SUBMODULES.items()
           if name != 'summaries'}}),
    # What TF 1.x code imported for optional cloud features (minigo's input pipeline
    # imports contrib.cloud on every path, for Bigtable): importable, each name refused in
    # one line where it is used.
    **{name: Namespace('contrib.' + name, None) for name in ('bigtable', 'cloud')},
    # Moved out of contrib unchanged: TF 1.15's contrib names for them.
    'compiler': Namespace('contrib.compiler', None, {
        'jit': Namespace('contrib.compiler.jit', None, {
            'experimental_jit_scope': v1.xla.experimental.jit_scope}),
        'xla': Namespace('contrib.compiler.xla', None, {
            'compile': v1.xla.experimental.compile})}),
    # Object-based checkpoints' tools (TF 1.11-1.15), where TF 2.x keeps them; its own two
    # classes ported (tf1/contrib_checkpoint.py).
    'checkpoint': Namespace('contrib.checkpoint', None, {
        'Checkpointable': Lazy('tensorflow.python.trackable.autotrackable:AutoTrackable'),
        'CheckpointableBase': Lazy('tensorflow.python.trackable.base:Trackable'),
        'CheckpointableObjectGraph': Lazy('tensorflow.core.protobuf.trackable_object_graph_pb2:'
                                          'TrackableObjectGraph'),
        'CheckpointManager': v1.train.CheckpointManager,
        'PythonStateWrapper': Lazy('tensorflow.python.trackable.python_state:PythonState'),
        **{name: Lazy('tensorflow.python.trackable.data_structures:' + name)
           for name in ('List', 'Mapping', 'NoDependency')},
        **{name: Lazy('tensorflow.python.checkpoint.checkpoint:' + name)
           for name in ('capture_dependencies', 'list_objects', 'object_metadata')},
        **{name: Lazy('tf1.contrib_checkpoint:' + name)
           for name in ('UniqueNameTracker', 'NumpyState')}}),
    'hooks': Namespace('contrib.hooks', None, {'ProfilerHook': v1.train.ProfilerHook}),
    'graph_editor': Namespace('contrib.graph_editor', Lazy('tf1.contrib_graph_editor')),
    'kernel_methods': Namespace('contrib.kernel_methods', Lazy('tf1.contrib_kernel_methods'), {
        'python': _KERNEL_METHODS_PYTHON}),
    'feature_column': Namespace('contrib.feature_column', Lazy('tf1.contrib_feature_column'), {
        'python': module_path('contrib.feature_column.python.feature_column',
                              'tf1.contrib_feature_column', ('sequence_feature_column',), {})}),
    'proto': Namespace('contrib.proto', None, {
        name: getattr(v1.io, name) for name in ('decode_proto', 'encode_proto')}),
    'batching': Namespace('contrib.batching', None, {
        'batch_function': v1.nondifferentiable_batch_function}),
    'stateless': Namespace('contrib.stateless', None, dict(
        {'stateless_random_' + name: getattr(v1.random, 'stateless_' + name)
         for name in ('uniform', 'normal')},
        **{name: getattr(v1.random, name)
           for name in ('stateless_truncated_normal', 'stateless_multinomial')})),
    'linalg': Namespace('contrib.linalg', v1.linalg),
    # AutoGraph (TF 1.12's contrib.autograph), tf.autograph since TF 1.13.
    'autograph': Namespace('contrib.autograph', v1.autograph, {
        'convert': Lazy('tensorflow.python.autograph.impl.api:convert'),
        'do_not_convert': v1.autograph.experimental.do_not_convert,
        'Feature': v1.autograph.experimental.Feature,
        **{name: Lazy('tensorflow.python.autograph.lang.directives:' + name)
           for name in ('set_element_type', 'set_loop_options')},
        **{name: Lazy('tensorflow.python.autograph.lang.special_functions:' + name)
           for name in ('stack', 'tensor_list')}}),
    'cluster_resolver': CLUSTER_RESOLVER,
    'staging': Namespace('contrib.staging', None, {
        'StagingArea': Lazy('tensorflow.python.ops.data_flow_ops:StagingArea')}),
    'opt': CONTRIB_OPT,
    # TensorFlow Lite under its TF 1.9-1.13 name; TocoConverter, toco_convert and the
    # Interpreter are still tf.compat.v1.lite's.
    'lite': Namespace('contrib.lite', v1.lite),
    'util': Namespace('contrib.util', None, {
        'make_tensor_proto': v1.make_tensor_proto, 'make_ndarray': v1.make_ndarray,
        'constant_value': Lazy('tensorflow.python.framework.tensor_util:constant_value'),
        **{name: Lazy('tensorflow.python.framework.meta_graph:' + name)
           for name in ('ops_used_by_graph_def', 'stripped_op_list_for_graph')},
        # A custom op library by its absolute path, as TF 1.x's contrib loader took it.
        'loader': Namespace('contrib.util.loader', None,
                            {'load_op_library': v1.load_op_library})}),
}
