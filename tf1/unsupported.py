"""The TF 1.x APIs tf1 does not provide, each with what to use instead.

An unsupported name raises UnsupportedApiError: one line naming the API (TF 1.x's, or TF
0.x's where TF 1.0 had already renamed it) and the way forward, instead of an AttributeError
from deep inside TensorFlow."""


class Unsupported(Exception):
    """Marks the errors below, so the runner can print them as one line."""


class UnsupportedApiError(Unsupported, AttributeError):
    """`tf.X` names a TF 1.x API tf1 does not provide. An AttributeError, so that
    `hasattr(tf, X)` and `getattr(tf, X, default)` behave."""


class UnsupportedModuleError(Unsupported, ModuleNotFoundError):
    """`import tensorflow.X` names a module tf1 does not provide. A ModuleNotFoundError, so
    that `try: from tensorflow.contrib import slim / except ImportError:` falls back."""


class UnsupportedUseError(Unsupported, ValueError):
    """A TF 1.x API used in a way tf1 cannot honour (a TPU asked for): one line on what
    to do instead."""


# TF 1.x name (without the 'tf.' prefix) -> what to use instead; TF_0_ADVICE's join it below.
ADVICE = {
    'contrib.slim': 'tf1 provides its common layers (docs/tf1.md), arg_scope, variables, '
                    'losses, metrics, learning, evaluation, model_analyzer, queues, '
                    'summaries, utils, data and nets; use tf.layers for other layers',
    'contrib.learn': 'tf1 provides its Estimator (ModelFnOps, MetricSpec, SKCompat, '
                     'RunConfig, monitors), the DNN and linear classifiers and regressors, '
                     'datasets (the MNIST loaders, datasets.base\'s CSV loaders and '
                     'maybe_download), preprocessing\'s VocabularyProcessor and '
                     'CategoricalProcessor, models\' linear and logistic regression, ops\' '
                     'embeddings and heads, '
                     'ModeKeys, Experiment, learn_runner.run, multi_class_head and '
                     'regression_head, io\'s numpy and pandas input functions and '
                     'queue-based readers; use tf.estimator for its '
                     'other models, '
                     'RunConfig to save and export',
    'contrib.rnn': 'tf1 provides TF 1.x\'s cells and all of contrib\'s (docs/tf1.md): use '
                   'LSTMCell or GRUCell',
    'contrib.factorization': 'tf1 provides its k-means (KMeans, KMeansClustering and the '
                             'distance and init constants), not GMM or WALS: use '
                             'scikit-learn',
    'contrib.boosted_trees': 'TensorFlow 2.21 has no kernels for boosted trees ops; train '
                             'boosted trees with scikit-learn or XGBoost',
    'contrib.eager': 'tf1 provides TF 1.x\'s tfe (docs/tf1.md) but not its execution '
                     'callbacks, which TensorFlow removed: use '
                     'tf.debugging.enable_check_numerics() for seterr and the nan/inf callbacks',
    'contrib.tpu': 'tf1 provides TPUEstimator(use_tpu=False), TPUEstimatorSpec, RunConfig, '
                   'TPUConfig and AsyncCheckpointSaverHook, as TF 1.x ran them without a '
                   'TPU; run TPU code with TensorFlow 2 itself',
    'contrib.distributions': 'tf1 provides it as TensorFlow Probability\'s distributions and '
                             'bijectors (with percentile, softplus_inverse, fill_triangular, '
                             'reduce_weighted_logsumexp); look for the rest in '
                             'tensorflow_probability (tfp.math, tfp.stats)',
    'contrib.training': 'tf1 provides its HParams, create_train_op, train, evaluate_once, '
                        'evaluate_repeatedly, their hooks and gradient helpers, '
                        'checkpoints_iterator, wait_for_new_checkpoint, bucketing, '
                        'sampling, resampling, the ps placement strategies, '
                        'FeedingQueueRunner and the sequence state saver; not Tuner, '
                        'the interface of Google\'s Vizier tuning service',
    'contrib.data': 'tf1 provides its Dataset, readers and Iterator, what '
                    'tf.data.experimental kept of it, and batch_and_drop_remainder, '
                    'padded_batch_and_drop_remainder, sliding_window_batch, '
                    'assert_element_shape, reduce_dataset and sloppy_interleave; use tf.data '
                    'for the rest',
    'contrib.summary': 'tf1 provides TF 1.x\'s tf.contrib.summary but not create_db_writer, '
                       'which TensorFlow removed: write to files with create_file_writer',
    'contrib.opt': 'tf1 provides AdamW, MomentumW, extend_with_decoupled_weight_decay, '
                   'LazyAdam, Nadam, AdaMax, AddSign, PowerSign, LARS, '
                   'MovingAverageOptimizer, MultitaskOptimizerWrapper, '
                   'clip_gradients_by_global_norm, ScipyOptimizerInterface, AdamGS, '
                   'LazyAdamGS, RegAdagrad and VariableClipping; not the distributed '
                   '(elastic or model averaging, AGN, stale-gradient, delay-compensated) or '
                   'matrix (GGT, Shampoo) optimizers: use tf.train\'s',
    'contrib.layers': 'tf1 provides its layers, initializers, regularizers, feature columns, '
                      'optimize_loss, adaptive_clipping_fn, rev_block and recompute_grad '
                      '(docs/tf1.md), not the masked fully_connected: write it with tf ops',
    'contrib.framework': 'tf1 provides its arg_scope, variable, checkpoint and nest functions '
                         '(docs/tf1.md); write the rest with tf ops',
    'contrib.metrics': 'tf1 provides every metric of TF 1.15\'s tf.contrib.metrics '
                       '(docs/tf1.md), not this: use tf.metrics',
    'contrib.losses': 'use tf.losses',
    'contrib.losses.metric_learning.cluster_loss': 'its clustering scores came from '
                                                   'scikit-learn; tf1 provides the other '
                                                   'metric-learning losses (docs/tf1.md)',
    'contrib.image': 'tf1 provides its transforms (rotate, translate, transform, '
                     'compose_transforms and the conversions to transforms), warps '
                     '(dense_image_warp, interpolate_spline, sparse_image_warp), the YIQ '
                     'adjustments, bipartite_match and connected_components, not the '
                     'random dot stereograms (contrib\'s own kernel)',
    'contrib.cudnn_rnn': 'its cuDNN layers had only GPU kernels in TF 1.x too; tf1 provides '
                         'CudnnCompatibleLSTMCell and CudnnCompatibleGRUCell, which compute '
                         'the same on a CPU and restore their checkpoints: run them with '
                         'tf.nn.dynamic_rnn',
    'contrib.checkpoint': 'tf1 provides Checkpointable, CheckpointableBase, List, Mapping, '
                          'NoDependency, PythonStateWrapper, CheckpointManager, list_objects, '
                          'object_metadata, capture_dependencies, UniqueNameTracker and '
                          'NumpyState, not split_dependency or dot_graph_from_checkpoint',
    'contrib.compiler': 'tf1 provides jit.experimental_jit_scope and xla.compile',
    # TF 1.15's other contrib modules: where each went.
    'contrib.all_reduce': 'use tf.distribute\'s cross-device ops',
    'contrib.bayesflow': 'tf1 provides its monte_carlo and special_math, and TF 1.0-1.4\'s '
                         'entropy, stochastic_tensor, stochastic_graph, '
                         'stochastic_gradient_estimators and variational_inference; the rest '
                         'moved to TensorFlow Probability (tfp.mcmc, tfp.vi)',
    'contrib.bigtable': 'use the Cloud Bigtable client (google-cloud-bigtable)',
    'contrib.cloud': 'read gs:// paths with tf.io.gfile; use the BigQuery client for '
                     'BigQuery',
    'contrib.constrained_optimization': 'it moved to the tensorflow_constrained_optimization '
                                        'package',
    'contrib.decision_trees': 'train decision trees with scikit-learn',
    'contrib.ffmpeg': 'decode WAV files with tf.audio.decode_wav, other formats with ffmpeg '
                      'outside TensorFlow',
    'contrib.fused_conv': 'use tf.nn.conv2d, tf.nn.bias_add and tf.nn.relu (oneDNN fuses them)',
    'contrib.hadoop': 'its datasets moved to the tensorflow-io package',
    'contrib.ignite': 'its datasets moved to the tensorflow-io package',
    'contrib.kafka': 'its datasets moved to the tensorflow-io package',
    'contrib.kinesis': 'its datasets moved to the tensorflow-io package',
    'contrib.libsvm': 'its datasets moved to the tensorflow-io package',
    'contrib.input_pipeline': 'use tf.data (TextLineDataset, Dataset.shuffle)',
    'contrib.kfac': 'it moved to the kfac package',
    'contrib.labeled_tensor': 'TensorFlow dropped it: keep track of the axes yourself',
    'contrib.linear_optimizer': 'train linear models with tf.estimator.LinearClassifier and a '
                                'tf.train optimizer',
    'contrib.memory_stats': 'use tf.config.experimental.get_memory_info on a GPU',
    'contrib.meta_graph_transform': 'optimise graphs with grappler (tf.config.optimizer)',
    'contrib.model_pruning': 'tf1 provides its pruning, masked layers and LSTM cells, '
                             'training loop and strip_pruning_vars; for the rest use the '
                             'TensorFlow Model Optimization Toolkit (tfmot.sparsity)',
    'contrib.mpi_collectives': 'use Horovod or tf.distribute.MultiWorkerMirroredStrategy',
    'contrib.nearest_neighbor': 'use scikit-learn\'s NearestNeighbors',
    'contrib.optimizer_v2': 'use tf.train\'s optimizers (the same algorithms and arguments)',
    'contrib.quantization': 'quantise with the TensorFlow Lite converter',
    'contrib.rate': 'count with tf.Variable and tf.metrics',
    'contrib.recurrent': 'use tf.nn.dynamic_rnn or tf.while_loop',
    'contrib.reduce_slice_ops': 'use tf.math\'s segment reductions (segment_sum ...)',
    'contrib.remote_fused_graph': 'TensorFlow removed remote fused graphs',
    'contrib.rpc': 'TensorFlow removed its RPC ops: call services outside the graph '
                   '(tf.py_func)',
    'contrib.session_bundle': 'export and load SavedModels (tf.saved_model), its successor '
                              'since TF 1.0',
    'contrib.specs': 'build the network with tf.layers or slim',
    'contrib.stat_summarizer': 'profile with tf.profiler',
    'contrib.tensorrt': 'TF-TRT needs an NVIDIA GPU: TensorFlow 2\'s '
                        'tf.experimental.tensorrt',
    'contrib.text': 'make skip-gram pairs with tf.keras.preprocessing.sequence.skipgrams',
    'contrib.timeseries': 'model time series with tf.keras or statsmodels',
    # Contrib modules of earlier TF 1.x releases, gone before TF 1.15.
    'contrib.coder': 'its range coder moved to the tensorflow-compression package',
    'contrib.imperative': 'TF 1.5\'s eager execution replaced it: tf1 provides '
                          'tf.contrib.eager and tf.enable_eager_execution',
    'contrib.nccl': 'NCCL\'s all-reduce ran on NVIDIA GPUs only: use '
                    'tf.distribute.MirroredStrategy (tf.distribute.NcclAllReduce)',
}

# TF 1.13-1.15 names outside contrib whose machinery TF 2.x removed (tests/test_tf1_api_names.py
# checks that these are the only ones of TF 1.15's API tf1 lacks).
_TPU_EMBEDDING = ('TPU embeddings need a TPU: run TPU code with TensorFlow 2 itself '
                  '(tf.tpu.experimental.embedding)')
_DATA_STATS = ('TensorFlow 2.21 removed tf.data\'s statistics ops: profile the input '
               'pipeline with tf.profiler')
_KERAS_SAVED_MODEL = ('save with model.save(path) and load with tf.keras.models.load_model, '
                      'or export the session\'s graph with tf.saved_model.simple_save')
ADVICE.update({
    **{'data.experimental.' + name: _DATA_STATS for name in (
        'StatsAggregator', 'StatsOptions', 'bytes_produced_stats', 'latency_stats')},
    'data.experimental.MapVectorizationOptions': 'TensorFlow 2.21 removed map '
                                                 'vectorization: leave the option out',
    'estimator.tpu.experimental': _TPU_EMBEDDING,
    **{'tpu.experimental.' + name: _TPU_EMBEDDING for name in (
        'AdagradParameters', 'AdamParameters', 'StochasticGradientDescentParameters')},
    'keras.experimental.LinearCosineDecay': 'use tf.train.linear_cosine_decay, the same '
                                            'schedule as a tensor of the global step',
    'keras.experimental.NoisyLinearCosineDecay': 'use tf.train.noisy_linear_cosine_decay, '
                                                 'the same schedule as a tensor of the '
                                                 'global step',
    'keras.experimental.PeepholeLSTMCell': 'use tf.nn.rnn_cell.LSTMCell(use_peepholes=True) '
                                           'with tf.nn.dynamic_rnn (TF 2.x\'s Keras dropped '
                                           'it)',
    'keras.experimental.export_saved_model': _KERAS_SAVED_MODEL,
    'keras.experimental.load_from_saved_model': _KERAS_SAVED_MODEL,
    'keras.experimental.terminate_keras_multiprocessing_pools': 'TF 2.x\'s Keras closes its '
                                                                'worker pools itself',
    'keras.mixed_precision.experimental': 'TF 2.x named it tf.keras.mixed_precision '
                                          '(set_global_policy, Policy, LossScaleOptimizer); '
                                          'for a TF 1.x graph use '
                                          'tf.train.experimental.'
                                          'enable_mixed_precision_graph_rewrite',
    'keras.utils.convert_all_kernels_in_model': 'TF 2.x\'s Keras dropped it (it converted '
                                                'Theano kernels): flip each convolution '
                                                'kernel with NumPy',
    'lite.experimental.nn': 'TF 2.x removed the OpHint annotations these cells carried for '
                            'the TF Lite converter: use tf.nn.rnn_cell.LSTMCell or '
                            'BasicRNNCell and tf.nn.dynamic_rnn, the same computation',
    'lite.experimental.get_potentially_supported_ops': 'TF 2.x removed it: the TF Lite '
                                                       'converter names the ops it cannot '
                                                       'convert',
})

# Names TF 1.0 had already renamed or dropped: scripts written for TF 0.x still use them.
TF_0_ADVICE = {
    'mul': 'use tf.multiply (renamed in TF 1.0)',
    'sub': 'use tf.subtract (renamed in TF 1.0)',
    'neg': 'use tf.negative (renamed in TF 1.0)',
    'select': 'use tf.where (renamed in TF 1.0)',
    'pack': 'use tf.stack (renamed in TF 1.0)',
    'unpack': 'use tf.unstack (renamed in TF 1.0)',
    'concat_v2': 'use tf.concat (renamed in TF 1.0)',
    'batch_matmul': 'use tf.matmul, which multiplies batches since TF 1.0',
    'merge_all_summaries': 'use tf.summary.merge_all (renamed in TF 1.0)',
    'merge_summary': 'use tf.summary.merge (renamed in TF 1.0)',
    'scalar_summary': 'use tf.summary.scalar (renamed in TF 1.0)',
    'histogram_summary': 'use tf.summary.histogram (renamed in TF 1.0)',
    'image_summary': 'use tf.summary.image (renamed in TF 1.0)',
    'audio_summary': 'use tf.summary.audio (renamed in TF 1.0)',
    'train.SummaryWriter': 'use tf.summary.FileWriter (renamed in TF 1.0)',
    'nn.seq2seq': 'use tf.contrib.legacy_seq2seq (renamed in TF 1.0)',
    # TF 1.0 moved them to tf.contrib.rnn; TF 1.2 brought them back under these names.
    'nn.rnn': 'use tf.nn.static_rnn (TF 1.0 and 1.1: tf.contrib.rnn.static_rnn)',
    'nn.bidirectional_rnn': 'use tf.nn.static_bidirectional_rnn (TF 1.0 and 1.1: '
                            'tf.contrib.rnn.static_bidirectional_rnn)',
    'models': 'TF 0.x\'s tensorflow.models left the package before TF 1.0: use tf.nn.rnn_cell '
              'for its rnn_cell, tf.contrib.legacy_seq2seq for its seq2seq, and '
              'tensorflow/models\' tutorials/rnn/ptb/reader.py for its PTB reader',
    'listdiff': 'use tf.setdiff1d (renamed in TF 1.0)',
    'inv': 'use tf.reciprocal (renamed in TF 1.0)',
    'complex_abs': 'use tf.abs (renamed in TF 1.0)',
    'image.per_image_whitening': 'use tf.image.per_image_standardization (renamed in TF 1.0)',
    'contrib.ctc': 'use tf.nn.ctc_loss, ctc_greedy_decoder and ctc_beam_search_decoder (TF '
                   '0.x\'s tf.contrib.ctc moved there)',
    # TF 0.x's batch_ forms of the linear algebra and FFT ops: the plain ones take batches.
    **{'batch_' + name: 'use tf.%s, which takes batches (TF 0.x\'s batch_%s)' % (name, name)
       for name in ('matrix_determinant', 'matrix_inverse', 'cholesky', 'matrix_diag',
                    'matrix_diag_part', 'matrix_band_part', 'matrix_set_diag', 'matrix_solve',
                    'matrix_triangular_solve', 'matrix_solve_ls', 'self_adjoint_eig', 'fft',
                    'ifft', 'fft2d', 'ifft2d', 'fft3d', 'ifft3d')},
}
ADVICE.update(TF_0_ADVICE)


def error(api, missing=None, module=False, package='tensorflow'):
    """The error for `tf.<api>` (an import of `tensorflow.<api>` when `module`), or for
    `keras.<api>` (package 'keras': standalone Keras code) or `tensorflow_estimator.<api>`."""
    if package == 'keras':
        message = ('keras.%s is not part of Keras 2\'s TF 1.x API (tf_keras), which tf1 gives '
                   'standalone Keras code; see "Running your TF 1.x code" in the README for '
                   'what is' % api)
        return (UnsupportedModuleError if module else UnsupportedApiError)(message)
    if package == 'tensorflow_estimator':
        message = ('tensorflow_estimator.%s is not part of what tf1 provides of TF 1.14-1.15\'s '
                   'tensorflow_estimator package (its estimator, python.estimator and '
                   'contrib.estimator, as tf.estimator and tf.contrib.estimator)' % api)
        return (UnsupportedModuleError if module else UnsupportedApiError)(message)
    parts = api.split('.')
    # The advice for the name itself, else for the closest namespace above it (tf.contrib.x's).
    names = [api] + ['.'.join(parts[:end]) for end in range(len(parts) - 1, 1, -1)]
    key = next((name for name in names if name in ADVICE), None)
    if key:
        message = 'tf.%s (%s) is not provided by tf1: %s' % (
            api, 'TF 0.x' if key in TF_0_ADVICE else 'TF 1.x', ADVICE[key])
    else:
        message = ('tf.%s is not part of the TF 1.x API that tf1 provides (%s); see "Running '
                   'your TF 1.x code" in the README for what is' % (api, missing or 'no such name'))
    return (UnsupportedModuleError if module else UnsupportedApiError)(message)
