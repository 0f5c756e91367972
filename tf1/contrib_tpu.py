"""tf.contrib.tpu's Estimator as TF 1.x ran it without a TPU (`use_tpu=False`), the way
BERT's run_pretraining.py and run_classifier.py run on a CPU: TPUEstimator is then a
tf.estimator.Estimator whose input_fn and model_fn find the mode's batch size in
`params['batch_size']`, and TPUEstimatorSpec becomes an EstimatorSpec (eval_metrics'
metric_fn called on its tensors, scaffold_fn called, host_call run with every step).
RunConfig and TPUConfig take TF 1.x's arguments. Ported from TF 1.15's
contrib/tpu/python/tpu/tpu_estimator.py and tpu_config.py, the CPU paths only: on a TPU
(use_tpu=True) there is nothing to run it on here."""
import collections

import tensorflow.compat.v1 as tf

from tf1 import contrib_summary, estimator_core, estimator_spec, unsupported
from tf1.estimator_spec import ModeKeys

_BATCH_SIZE_KEY = 'batch_size'
_RESERVED_PARAMS_KEYS = [_BATCH_SIZE_KEY, 'context']


class InputPipelineConfig(object):
    """How TPU input pipelines were laid out (meaningless without a TPU)."""
    PER_SHARD_V1, PER_HOST_V1, PER_HOST_V2, BROADCAST, SLICED = 1, 2, 3, 4, 5


class TPUConfig(collections.namedtuple('TPUConfig', [
        'iterations_per_loop', 'num_shards', 'num_cores_per_replica',
        'per_host_input_for_training', 'tpu_job_name', 'initial_infeed_sleep_secs',
        'input_partition_dims', 'eval_training_input_configuration',
        'experimental_host_call_every_n_steps'])):
    """A TPU's loop and sharding settings, kept as given (a CPU run has no use for them)."""

    def __new__(cls, iterations_per_loop=2, num_shards=None, num_cores_per_replica=None,
                per_host_input_for_training=True, tpu_job_name=None,
                initial_infeed_sleep_secs=None, input_partition_dims=None,
                eval_training_input_configuration=InputPipelineConfig.PER_HOST_V1,
                experimental_host_call_every_n_steps=1):
        if iterations_per_loop < 1:
            raise ValueError('iterations_per_loop must be positive, got %r'
                             % iterations_per_loop)
        return super(TPUConfig, cls).__new__(
            cls, iterations_per_loop, num_shards, num_cores_per_replica,
            per_host_input_for_training, tpu_job_name, initial_infeed_sleep_secs,
            input_partition_dims, eval_training_input_configuration,
            experimental_host_call_every_n_steps)


class RunConfig(estimator_spec.RunConfig):
    """tf.estimator's RunConfig with a `tpu_config`, and the TPU's `master`, `cluster` and
    `evaluation_master` kept (unused without a TPU: the Estimator checks only TF_CONFIG's)."""

    _TPU_FIELDS = ('tpu_config', 'master', 'evaluation_master', 'cluster')

    def __init__(self, tpu_config=None, evaluation_master=None, master=None, cluster=None,
                 **kwargs):
        super(RunConfig, self).__init__(**kwargs)
        self.tpu_config = tpu_config or TPUConfig()
        self.cluster = cluster
        # As TF 1.x: a master given (even '') is taken, else the cluster resolver's, else
        # TF_CONFIG's; evaluation goes to the training master unless given, or unless
        # TF_CONFIG makes this an evaluator.
        if master is not None:
            if cluster is not None:
                raise ValueError('Both master and cluster are set.')
            self.master = master
        elif cluster:
            self.master = cluster.master()
        if evaluation_master is not None:
            self.evaluation_master = evaluation_master
        elif not self.evaluation_master and self.task_type != estimator_spec.TaskType.EVALUATOR:
            self.evaluation_master = self.master

    def replace(self, **changes):
        tpu_changes = {name: changes.pop(name) for name in self._TPU_FIELDS if name in changes}
        replaced = super(RunConfig, self).replace(**changes)
        for name, value in tpu_changes.items():
            setattr(replaced, name, value)
        return replaced


def _checked_host_call(name, host_call):
    """(fn, tensors): a callable and the list or dict of tensors it is called on."""
    if not isinstance(host_call, (tuple, list)):
        raise ValueError('{} should be tuple or list'.format(name))
    if len(host_call) != 2:
        raise ValueError('{} should have two elements.'.format(name))
    if not callable(host_call[0]):
        raise TypeError('{}[0] should be callable.'.format(name))
    if not isinstance(host_call[1], (tuple, list, dict)):
        raise ValueError('{}[1] should be tuple or list, or dict.'.format(name))
    return host_call


def _call_host(host_call):
    fn, tensors = host_call
    return fn(**tensors) if isinstance(tensors, dict) else fn(*tensors)


class _HostCallHook(tf.train.SessionRunHook):
    """Runs the host call's ops with every step, as TF 1.x's CPU path did
    (_OutfeedHostCallHook): tf.contrib.summary's writers, which host calls write through
    (minigo's training), started once the session is made and flushed at the end."""

    def __init__(self, ops):
        self._ops = ops

    def begin(self):
        self._init_ops = contrib_summary.summary_writer_initializer_op()
        self._finalize_ops = [contrib_summary.flush(writer=op.inputs[0])
                              for op in self._init_ops]

    def after_create_session(self, session, coord):
        session.run(self._init_ops)

    def before_run(self, run_context):
        return tf.train.SessionRunArgs(self._ops)

    def end(self, session):
        session.run(self._finalize_ops)


class TPUEstimatorSpec(collections.namedtuple('TPUEstimatorSpec', [
        'mode', 'predictions', 'loss', 'train_op', 'eval_metrics', 'export_outputs',
        'scaffold_fn', 'host_call', 'training_hooks', 'evaluation_hooks',
        'prediction_hooks'])):
    """What a TPUEstimator's model_fn returns: an EstimatorSpec whose metrics are
    `eval_metrics` = (metric_fn, tensors) and whose Scaffold comes from `scaffold_fn`."""

    def __new__(cls, mode, predictions=None, loss=None, train_op=None, eval_metrics=None,
                export_outputs=None, scaffold_fn=None, host_call=None, training_hooks=None,
                evaluation_hooks=None, prediction_hooks=None):
        for name, value in (('eval_metrics', eval_metrics), ('host_call', host_call)):
            if value is not None:
                _checked_host_call(name, value)
        hooks = [estimator_spec.checked_hooks(hooks or [])
                 for hooks in (training_hooks, evaluation_hooks, prediction_hooks)]
        return super(TPUEstimatorSpec, cls).__new__(
            cls, mode, predictions, loss, train_op, eval_metrics, export_outputs, scaffold_fn,
            host_call, *hooks)

    def as_estimator_spec(self):
        """The equivalent EstimatorSpec, as TF 1.x's CPU train and evaluation used it."""
        eval_metric_ops = None if self.eval_metrics is None else _call_host(self.eval_metrics)
        host_hooks = [] if self.host_call is None else [
            _HostCallHook(_call_host(self.host_call))]
        return estimator_spec.EstimatorSpec(
            mode=self.mode, predictions=self.predictions, loss=self.loss,
            train_op=self.train_op, eval_metric_ops=eval_metric_ops,
            export_outputs=self.export_outputs,
            scaffold=self.scaffold_fn() if self.scaffold_fn else None,
            training_hooks=list(self.training_hooks) + host_hooks,
            evaluation_hooks=list(self.evaluation_hooks) + host_hooks,
            prediction_hooks=self.prediction_hooks)


class TPUEstimator(estimator_core.Estimator):
    """An Estimator that TF 1.x also ran on TPUs; here with use_tpu=False only, as on any
    machine without one: `params['batch_size']` is train_batch_size in training,
    eval_batch_size in evaluation and predict_batch_size in prediction."""

    def __init__(self, model_fn=None, model_dir=None, config=None, params=None, use_tpu=True,
                 train_batch_size=None, eval_batch_size=None, predict_batch_size=None,
                 batch_axis=None, eval_on_tpu=True, export_to_tpu=True, export_to_cpu=True,
                 warm_start_from=None, embedding_config_spec=None,
                 export_saved_model_api_version=None):
        if use_tpu:
            raise unsupported.UnsupportedUseError(
                'TPUEstimator(use_tpu=True) runs on a TPU, which tf1 has none of: pass '
                'use_tpu=False to run it on this machine (BERT: --use_tpu=False)')
        if params is not None and any(key in params for key in _RESERVED_PARAMS_KEYS):
            raise ValueError('{} are reserved keys but existed in params {}.'.format(
                _RESERVED_PARAMS_KEYS, params))
        for name, size in (('train_batch_size', train_batch_size),
                           ('eval_batch_size', eval_batch_size),
                           ('predict_batch_size', predict_batch_size)):
            if size is not None and (not isinstance(size, int) or size <= 0):
                raise ValueError('`{}` must be a positive integer, got {}'.format(name, size))
        self._batch_sizes = {ModeKeys.TRAIN: train_batch_size, ModeKeys.EVAL: eval_batch_size,
                             ModeKeys.PREDICT: predict_batch_size}
        self._tpu_model_fn = model_fn
        super(TPUEstimator, self).__init__(self._cpu_model_fn, model_dir, config,
                                           params or {}, warm_start_from)
        # TF 1.x ran use_tpu=False sessions on the RunConfig's master (given, or a cluster
        # resolver's); tf1 runs them in this process, which it says rather than hides.
        master = self._config.master
        if master and master != self._config._cluster_settings['master']:
            tf.logging.warning('TPUEstimator: tf1 runs the sessions in this process, not on '
                               'the master %s that the RunConfig names', master)

    def _mode_params(self, mode):
        params = super(TPUEstimator, self)._mode_params(mode)
        if self._batch_sizes.get(mode) is not None:
            params[_BATCH_SIZE_KEY] = self._batch_sizes[mode]
        return params

    def _cpu_model_fn(self, features, labels, mode, config, params):
        """The model_fn with the arguments it takes; its TPUEstimatorSpec as an
        EstimatorSpec."""
        names = estimator_core.arg_names(self._tpu_model_fn)
        if labels is not None and 'labels' not in names:
            raise ValueError('model_fn does not take labels, but input_fn returns labels.')
        available = {'labels': labels, 'mode': mode, 'config': config, 'params': params}
        spec = self._tpu_model_fn(features=features, **{
            name: value for name, value in available.items() if name in names})
        return spec.as_estimator_spec() if isinstance(spec, TPUEstimatorSpec) else spec
