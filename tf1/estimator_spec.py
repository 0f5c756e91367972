"""The values a tf.estimator user builds: ModeKeys, EstimatorSpec, RunConfig and
WarmStartSettings, with TF 1.x's defaults and TF 1.x's checks of their arguments."""
import collections
import copy
import inspect
import numbers
import os

import tensorflow.compat.v1 as tf
from tensorflow.python.saved_model.model_utils import export_utils
from tensorflow.python.util import function_utils

from tf1 import estimator_cluster
from tf1.layers.utils import is_variable

TaskType = estimator_cluster.TaskType  # run_config.TaskType, beside RunConfig as in TF 1.x
USE_DEFAULT = object()  # RunConfig: "not given", so the checkpoint default can apply


class ModeKeys(object):
    """The three things a model_fn is asked to build."""
    TRAIN = 'train'
    EVAL = 'eval'
    PREDICT = 'infer'


# ---------------------------------------------------------------------------- specs

class EstimatorSpec(collections.namedtuple('EstimatorSpec', [
        'mode', 'predictions', 'loss', 'train_op', 'eval_metric_ops', 'export_outputs',
        'training_chief_hooks', 'training_hooks', 'scaffold', 'evaluation_hooks',
        'prediction_hooks'])):
    """What a model_fn returns: the ops of one mode, checked as TF 1.x checked them."""

    def __new__(cls, mode, predictions=None, loss=None, train_op=None, eval_metric_ops=None,
                export_outputs=None, training_chief_hooks=None, training_hooks=None,
                scaffold=None, evaluation_hooks=None, prediction_hooks=None):
        if train_op is None and mode == ModeKeys.TRAIN:
            raise ValueError('Missing train_op.')
        if loss is None and mode in (ModeKeys.TRAIN, ModeKeys.EVAL):
            raise ValueError('Missing loss.')
        if predictions is None and mode == ModeKeys.PREDICT:
            raise ValueError('Missing predictions.')
        if is_variable(train_op):
            train_op = train_op.op
        if train_op is not None:
            _check_graph_element(train_op, 'train_op', (tf.Operation, tf.Tensor))
        if loss is not None:
            _check_graph_element(loss, 'loss')
            if loss.shape.num_elements() not in (None, 1):
                raise ValueError('Loss must be scalar, given: {}'.format(loss))
            if not loss.shape.is_compatible_with([]):
                loss = tf.reshape(loss, [])  # shape [1] is accepted as a scalar
        if isinstance(predictions, dict):
            for key, value in predictions.items():
                _check_graph_element(value, 'predictions[{}]'.format(key))
        elif predictions is not None:
            _check_graph_element(predictions, 'predictions')
        scaffold = tf.train.Scaffold() if scaffold is None else scaffold
        if not isinstance(scaffold, tf.train.Scaffold):
            raise TypeError('scaffold must be tf.train.Scaffold. Given: {}'.format(scaffold))
        if mode == ModeKeys.PREDICT:  # checked, and the default signature added if missing
            export_outputs = export_utils.get_export_outputs(export_outputs, predictions)
        return super(EstimatorSpec, cls).__new__(
            cls, mode, {} if predictions is None else predictions, loss, train_op,
            _checked_metric_ops(eval_metric_ops), export_outputs,
            checked_hooks(training_chief_hooks), checked_hooks(training_hooks), scaffold,
            checked_hooks(evaluation_hooks), checked_hooks(prediction_hooks))

    def _replace(self, **changes):
        """A new spec with `changes`, checked again as a new one is; its mode stays."""
        if 'mode' in changes and changes['mode'] != self.mode:
            raise ValueError('mode of EstimatorSpec cannot be changed.')
        return EstimatorSpec(**dict(self._asdict(), **changes))


def _check_graph_element(value, what, kinds=(tf.Tensor,)):
    if not isinstance(value, kinds):
        raise TypeError('{} must be {}, given: {}'.format(
            what, ' or '.join(kind.__name__ for kind in kinds), value))
    if value.graph is not tf.get_default_graph():
        raise ValueError('{} "{}" must be from the default graph: build it inside model_fn'
                         .format(what, value.name))


def _checked_metric_ops(eval_metric_ops):
    """eval_metric_ops as a dict of (value, update_op) pairs such as tf.metrics.* return; a
    Keras metric whose update_state was called (TF 1.13-1.15) becomes (its result, its
    update), its variables local ones, as TF 1.x made them."""
    if eval_metric_ops is None:
        return {}
    if not isinstance(eval_metric_ops, dict):
        raise TypeError('eval_metric_ops must be a dict, given: {}'.format(eval_metric_ops))
    checked = {}
    for key, pair in eval_metric_ops.items():
        if _is_keras_metric(pair):
            if not pair.updates:
                raise ValueError('Please call update_state(...) on the "{}" metric'.format(
                    pair.name))
            for variable in pair.variables:
                for collection in (tf.GraphKeys.LOCAL_VARIABLES, tf.GraphKeys.METRIC_VARIABLES):
                    if variable not in tf.get_collection(collection):
                        tf.add_to_collection(collection, variable)
            pair = (pair.result(), pair.updates[0])
        if not isinstance(pair, tuple) or len(pair) != 2:
            raise TypeError('Values of eval_metric_ops must be (metric_value, update_op) '
                            'tuples, given: {} for key: {}'.format(pair, key))
        for element in tf.nest.flatten(pair):  # a value may be a structure of tensors
            _check_graph_element(element, 'eval_metric_ops[{}]'.format(key),
                                 (tf.Operation, tf.Tensor))
        checked[key] = pair
    return checked


def _is_keras_metric(value):
    """A Keras metric object (tf.keras's, or standalone Keras's) of any Keras version."""
    return all(hasattr(value, name) for name in ('update_state', 'result', 'variables',
                                                 'updates'))


def checked_hooks(hooks, message='All hooks must be SessionRunHook instances'):
    """`hooks` as a list, every one a SessionRunHook (else TypeError: `message`, and the
    hook: TF 1.x's words differ for EstimatorSpec's hooks and the Estimator's)."""
    hooks = list(hooks or [])
    for hook in hooks:
        if not isinstance(hook, tf.train.SessionRunHook):
            raise TypeError('{}, given: {}'.format(message, hook))
    return hooks


class WarmStartSettings(collections.namedtuple('WarmStartSettings', [
        'ckpt_to_initialize_from', 'vars_to_warm_start', 'var_name_to_vocab_info',
        'var_name_to_prev_var_name'])):
    """Which variables a new model takes from another model's checkpoint."""

    def __new__(cls, ckpt_to_initialize_from, vars_to_warm_start='.*',
                var_name_to_vocab_info=None, var_name_to_prev_var_name=None):
        return super(WarmStartSettings, cls).__new__(
            cls, ckpt_to_initialize_from, vars_to_warm_start, var_name_to_vocab_info,
            var_name_to_prev_var_name)


# ---------------------------------------------------------------------------- config

class RunConfig(object):
    """Where and how often an Estimator saves: checkpoints, summaries, log lines."""

    def __init__(self, model_dir=None, tf_random_seed=None, save_summary_steps=100,
                 save_checkpoints_steps=USE_DEFAULT, save_checkpoints_secs=USE_DEFAULT,
                 session_config=None, keep_checkpoint_max=5,
                 keep_checkpoint_every_n_hours=10000, log_step_count_steps=100,
                 train_distribute=None, device_fn=None, protocol=None, eval_distribute=None,
                 experimental_distribute=None, experimental_max_worker_delay_secs=None,
                 session_creation_timeout_secs=7200, checkpoint_save_graph_def=True):
        if experimental_distribute is not None:
            raise ValueError('RunConfig(experimental_distribute=...) is for distributed '
                             'training, which this tf.estimator does not do: leave it unset')
        # A strategy of one replica (MirroredStrategy() on a CPU, as TF 1.x's distribution
        # guide used it) trains as without one; more replicas this tf.estimator does not do.
        for name, strategy in (('train_distribute', train_distribute),
                               ('eval_distribute', eval_distribute)):
            if strategy is not None and getattr(strategy, 'num_replicas_in_sync', 0) != 1:
                raise ValueError('RunConfig(%s=...) with %s replicas: this tf.estimator trains '
                                 'on one device; leave it unset'
                                 % (name, getattr(strategy, 'num_replicas_in_sync', '?')))
        self.train_distribute, self.eval_distribute = train_distribute, eval_distribute
        # Neither interval given: every 10 minutes. One given: the other is off.
        if save_checkpoints_steps is USE_DEFAULT and save_checkpoints_secs is USE_DEFAULT:
            save_checkpoints_steps, save_checkpoints_secs = None, 600
        if save_checkpoints_steps is USE_DEFAULT:
            save_checkpoints_steps = None
        if save_checkpoints_secs is USE_DEFAULT:
            save_checkpoints_secs = None
        if save_checkpoints_steps is not None and save_checkpoints_secs is not None:
            raise ValueError('`save_checkpoints_steps` and `save_checkpoints_secs` cannot be '
                             'both set.')
        # TF_CONFIG is read when a config is made; replace() checks a copy again but keeps
        # its cluster settings, as TF 1.x's replace did.
        constructing = '_cluster_settings' not in vars(self)
        model_dir = None if model_dir is None else os.fspath(model_dir)
        if constructing:
            cluster_config = estimator_cluster.tf_config()
            if cluster_config:
                tf.logging.info('TF_CONFIG environment variable: %s', cluster_config)
            model_dir = estimator_cluster.model_dir(cluster_config, model_dir)
        self.model_dir = model_dir
        self.tf_random_seed = tf_random_seed
        self.save_summary_steps = save_summary_steps
        self.save_checkpoints_steps = save_checkpoints_steps
        self.save_checkpoints_secs = save_checkpoints_secs
        self.session_config = session_config
        self.keep_checkpoint_max = keep_checkpoint_max
        self.keep_checkpoint_every_n_hours = keep_checkpoint_every_n_hours
        self.log_step_count_steps = log_step_count_steps
        self.device_fn = device_fn
        self.session_creation_timeout_secs = session_creation_timeout_secs
        self.checkpoint_save_graph_def = checkpoint_save_graph_def
        # A cluster's settings, kept and checked as TF 1.x did; a process that trains in a
        # cluster is refused when it trains (estimator_cluster.check_local).
        self.protocol = protocol
        self.experimental_max_worker_delay_secs = experimental_max_worker_delay_secs
        self._validate()
        if constructing:
            # Where this process sits in a cluster (is_chief, master, task_type ...), as TF
            # 1.x read it from TF_CONFIG, with its default session_config for a cluster's
            # task. The Estimator checks the settings (a subclass may change `master`).
            self._cluster_settings = estimator_cluster.settings(cluster_config)
            vars(self).update(self._cluster_settings)
            if self.session_config is None:
                self.session_config = estimator_cluster.default_session_config(
                    self.cluster_spec, self.task_type, self.task_id)

    def _validate(self):
        """TF 1.x's checks of the values set (replace's too), each a one-line ValueError."""
        checks = (
            ('model_dir', lambda path: path, 'model_dir should be non-empty'),
            ('save_summary_steps', lambda steps: steps >= 0, 'save_summary_steps should be >= 0'),
            ('save_checkpoints_steps', lambda steps: steps >= 0,
             'save_checkpoints_steps should be >= 0'),
            ('save_checkpoints_secs', lambda secs: secs >= 0,
             'save_checkpoints_secs should be >= 0'),
            ('session_config', lambda config: isinstance(config, tf.ConfigProto),
             'session_config must be instance of ConfigProto'),
            ('keep_checkpoint_max', lambda count: count >= 0,
             'keep_checkpoint_max should be >= 0'),
            ('keep_checkpoint_every_n_hours', lambda hours: hours > 0,
             'keep_checkpoint_every_n_hours should be > 0'),
            ('log_step_count_steps', lambda steps: steps > 0,
             'log_step_count_steps should be > 0'),
            ('tf_random_seed', lambda seed: isinstance(seed, numbers.Integral),
             'tf_random_seed must be integer.'),
            ('session_creation_timeout_secs', lambda secs: secs > 0,
             'session_creation_timeout_secs should be > 0'),
            ('device_fn', lambda device_fn: callable(device_fn) and set(
                function_utils.fn_args(device_fn)) == {'op'},
             'device_fn must be callable with exactly one argument "op".'),
            ('protocol', lambda protocol: protocol in ('grpc', 'grpc+verbs'),
             'protocol should be grpc or grpc+verbs'),
            ('experimental_max_worker_delay_secs', lambda secs: isinstance(
                secs, numbers.Integral), 'experimental_max_worker_delay_secs must be an '
             'integer if set.'))
        for name, valid, message in checks:
            value = getattr(self, name)
            try:
                is_valid = value is None or valid(value)
            except (TypeError, ValueError):  # a string for a number, a signature unreadable
                is_valid = False
            if not is_valid:
                raise ValueError('%s, got %r' % (message.rstrip('.'), value))

    def replace(self, **changes):
        """A copy with `changes`; setting one checkpoint interval clears the other."""
        if 'save_checkpoints_steps' in changes and 'save_checkpoints_secs' not in changes:
            changes['save_checkpoints_secs'] = None
        if 'save_checkpoints_secs' in changes and 'save_checkpoints_steps' not in changes:
            changes['save_checkpoints_steps'] = None
        # The base RunConfig's arguments; a subclass keeps its own attributes (the copy's).
        arguments = {name: value for name, value in vars(self).items()
                     if name in _RUN_CONFIG_ARGUMENTS}
        for name in sorted(set(changes) - set(arguments)):
            raise ValueError('Replacing %s is not supported. Allowed properties are %s.'
                             % (name, sorted(arguments)))
        arguments.update(changes)
        # Of this config's class (contrib.learn's RunConfig stays one), checked again.
        replaced = copy.copy(self)
        RunConfig.__init__(replaced, **arguments)
        return replaced

    def __repr__(self):
        # One line, even with a session_config (whose text format spans several).
        return 'RunConfig(%s)' % ', '.join(
            '%s=%s' % (name, ' '.join(repr(value).split()) if name != 'session_config'
                       else '<%s>' % ' '.join(str(value).split()))
            for name, value in sorted(vars(self).items()))


_RUN_CONFIG_ARGUMENTS = set(inspect.signature(RunConfig.__init__).parameters) - {'self'}
