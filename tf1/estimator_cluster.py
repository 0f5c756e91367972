"""Where a tf.estimator process sits in a cluster: TF 1.x's reading of TF_CONFIG.

TF 1.x's RunConfig read the TF_CONFIG environment variable, a JSON object such as

    {"cluster": {"chief": ["host0:2222"], "ps": ["host1:2222"], "worker": ["host2:2222"]},
     "task": {"type": "worker", "index": 0}}

and set cluster_spec, task_type, task_id, master, evaluation_master, num_ps_replicas,
num_worker_replicas, global_id_in_cluster, is_chief and service from it, with the same
checks and messages (tensorflow_estimator 1.15's run_config.py), which `settings` repeats.
Scripts read these properties to decide what a process does (only the chief exports,
say), and cloud trainers set TF_CONFIG even for one machine.

This tf.estimator trains in one process: a TF_CONFIG naming a session master (a cluster of
more than one task) is read as TF 1.x read it, and training under it is refused in one
line (`check_local`), instead of training alone where the script expects a cluster.
"""
import json
import os

import tensorflow.compat.v1 as tf

LOCAL_MASTER = ''


class TaskType(object):
    """The roles of TF 1.x's TF_CONFIG clusters (run_config.TaskType)."""
    MASTER = 'master'
    PS = 'ps'
    WORKER = 'worker'
    CHIEF = 'chief'
    EVALUATOR = 'evaluator'


MASTER, PS, WORKER, CHIEF, EVALUATOR = (TaskType.MASTER, TaskType.PS, TaskType.WORKER,
                                        TaskType.CHIEF, TaskType.EVALUATOR)


def tf_config(environ=os.environ):
    """The TF_CONFIG environment variable as a dict ({} when unset); a one-line error when
    it is not a JSON object."""
    text = environ.get('TF_CONFIG', '')
    if not text.strip():
        return {}
    try:
        value = json.loads(text)
    except ValueError as error:
        raise ValueError('TF_CONFIG is not JSON (%s): %.80r' % (error, text))
    if not isinstance(value, dict):
        raise ValueError('TF_CONFIG must be a JSON object with "cluster" and "task", got '
                         '%.80r' % text)
    return value


def model_dir(config, model_dir):
    """RunConfig's model_dir: the one given, or TF_CONFIG's; both must agree."""
    if model_dir == '':
        raise ValueError('model_dir should be non-empty.')
    from_config = config.get('model_dir')
    if from_config == '':
        raise ValueError('model_dir in TF_CONFIG should be non-empty.')
    if from_config:
        if model_dir and from_config != model_dir:
            raise ValueError('`model_dir` provided in RunConfig construct, if set, must have '
                             'the same value as the model_dir in TF_CONFIG. model_dir: %s, '
                             'TF_CONFIG["model_dir"]: %s' % (model_dir, from_config))
        tf.logging.info('Using model_dir in TF_CONFIG: %s', from_config)
    return model_dir or from_config


def settings(config):
    """{property: value} of the cluster properties TF 1.x's RunConfig set from `config`
    (TF_CONFIG as a dict)."""
    service = config.get('service')
    if service is not None and not isinstance(service, dict):
        raise TypeError('If "service" is set in TF_CONFIG, it must be a dict. Given %s'
                        % type(service))
    cluster = _cluster_spec(config.get('cluster', {}))
    task = config.get('task', {})
    if not isinstance(task, dict):
        raise ValueError('"task" in TF_CONFIG must be an object with "type" and "index", '
                         'got %r' % (task,))
    if not cluster:
        return _local(config, task, service)
    chief = MASTER if MASTER in cluster.jobs else CHIEF
    if chief == MASTER and CHIEF in cluster.jobs:
        raise ValueError('If `master` node exists in `cluster`, job `chief` is not supported.')
    task_type, task_id = _task(cluster, task, chief)
    found = dict(service=service, task_type=task_type, task_id=task_id,
                 is_chief=task_type == chief,
                 evaluation_master=(config.get('eval_session_master', LOCAL_MASTER)
                                    if task_type == EVALUATOR else LOCAL_MASTER))
    if task_type == EVALUATOR:
        if chief == MASTER:
            raise ValueError('If `master` node exists in `cluster`, task_type `evaluator` '
                             'is not supported.')
        # An evaluator is not part of the training cluster.
        return dict(found, cluster_spec=tf.train.ClusterSpec({}), master=LOCAL_MASTER,
                    num_ps_replicas=0, num_worker_replicas=0, global_id_in_cluster=None)
    jobs = cluster.as_dict()
    return dict(found, cluster_spec=cluster,
                master=_session_master(cluster, task_type, task_id, config),
                num_ps_replicas=len(jobs.get(PS, [])),
                num_worker_replicas=len(jobs.get(WORKER, [])) + len(jobs.get(chief, [])),
                global_id_in_cluster=_global_id(cluster, task_type, task_id, chief))


def default_session_config(cluster_spec, task_type, task_id):
    """TF 1.x's session_config for a task of a cluster, when none is given: each task
    talks to the ps and its own job only (device filters); None outside a cluster."""
    filters = {MASTER: ['/job:ps', '/job:master'], CHIEF: ['/job:ps', '/job:chief'],
               WORKER: ['/job:ps', '/job:worker/task:%d' % task_id],
               PS: ['/job:ps', '/job:worker', '/job:chief', '/job:master']}.get(task_type)
    if not cluster_spec or filters is None:
        return None
    from tensorflow.core.protobuf import rewriter_config_pb2
    rewrite = rewriter_config_pb2.RewriterConfig(
        meta_optimizer_iterations=rewriter_config_pb2.RewriterConfig.ONE)
    return tf.ConfigProto(allow_soft_placement=True, device_filters=filters,
                          graph_options=tf.GraphOptions(rewrite_options=rewrite))


def check_local(settings, doing):
    """A one-line error where TF_CONFIG's `settings` put this process in a cluster whose
    work it cannot do alone: training as an evaluator's or a ps's task, or on a session
    master elsewhere (one task of a larger cluster, TF_CONFIG's session_master); or
    predicting there."""
    task = '%s:%s' % (settings['task_type'], settings['task_id'])
    if doing == 'train' and settings['task_type'] in (EVALUATOR, PS):
        raise ValueError('cannot train as TF_CONFIG\'s %s task: this tf.estimator runs in '
                         'one process; unset TF_CONFIG to train here' % task)
    master = settings['evaluation_master' if doing == 'evaluate' else 'master']
    if master:
        raise ValueError('cannot %s on TensorFlow master %r (TF_CONFIG, task %s): this '
                         'tf.estimator runs in one process; unset TF_CONFIG, or describe a '
                         'one-task cluster' % (doing, master, task))


def _cluster_spec(cluster):
    try:
        return tf.train.ClusterSpec(cluster)
    except (TypeError, ValueError) as error:
        raise ValueError('"cluster" in TF_CONFIG is not a cluster (%s): %r'
                         % (' '.join(str(error).split()), cluster))


def _local(config, task, service):
    """No cluster: one process, the chief, as worker 0."""
    task_type = task.get('type', WORKER)
    task_id = _index(task.get('index', 0))
    if task_type != WORKER:
        raise ValueError('If "cluster" is not set in TF_CONFIG, task type must be WORKER.')
    if task_id != 0:
        raise ValueError('If "cluster" is not set in TF_CONFIG, task index must be 0.')
    return dict(service=service, cluster_spec=tf.train.ClusterSpec({}), task_type=task_type,
                task_id=task_id, is_chief=True, global_id_in_cluster=0,
                master=config.get('session_master', LOCAL_MASTER),
                evaluation_master=config.get('eval_session_master', LOCAL_MASTER),
                num_ps_replicas=0, num_worker_replicas=1)


def _index(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        raise ValueError('The task index in TF_CONFIG must be an integer, got %r' % (value,))


def _task(cluster, task, chief):
    """(task type, task id) of TF_CONFIG's "task", checked against the cluster."""
    if chief not in cluster.jobs:
        raise ValueError('If "cluster" is set in TF_CONFIG, it must have one "%s" node.'
                         % chief)
    if len(cluster.job_tasks(chief)) > 1:
        raise ValueError('The "cluster" in TF_CONFIG must have only one "%s" node.' % chief)
    task_type, task_id = task.get('type'), task.get('index')
    if not task_type:
        raise ValueError('If "cluster" is set in TF_CONFIG, task type must be set.')
    if task_id is None:
        raise ValueError('If "cluster" is set in TF_CONFIG, task index must be set.')
    task_id = _index(task_id)
    if task_id < 0:
        raise ValueError('Task index must be non-negative number.')
    if task_type == EVALUATOR:
        return task_type, task_id
    if task_type not in cluster.jobs:
        raise ValueError('%s is not a valid task_type in the cluster_spec: %s (from the '
                         'TF_CONFIG environment variable)' % (task_type, cluster.as_dict()))
    if not task_id < len(cluster.job_tasks(task_type)):
        raise ValueError('%d is not a valid task_id for task_type %s in the cluster_spec: %s '
                         '(from the TF_CONFIG environment variable)'
                         % (task_id, task_type, cluster.as_dict()))
    return task_type, task_id


def _session_master(cluster, task_type, task_id, config):
    """TF_CONFIG's session_master; '' (local) for a one-task cluster; else the task's
    own address, as between-graph replication ran."""
    if 'session_master' in config:
        return config['session_master']
    jobs = cluster.jobs
    if len(jobs) == 1 and len(cluster.job_tasks(jobs[0])) == 1:
        return LOCAL_MASTER
    return 'grpc://' + cluster.job_tasks(task_type)[task_id]


def _global_id(cluster, task_type, task_id, chief):
    """The chief first (0), then the other jobs alphabetically, the ps last."""
    order = [chief] + [job for job in sorted(cluster.jobs) if job not in (chief, PS)]
    if PS in cluster.jobs:
        order.append(PS)
    first = 0
    for job in order:
        if job == task_type:
            return first + task_id
        first += len(cluster.job_tasks(job))
