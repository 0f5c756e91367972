"""tf.contrib.framework's (and slim's) variable functions, as TF 1.15 had them
(tensorflow/contrib/framework/python/ops/variables.py): creating variables inside
arg_scopes, finding them by scope, name or suffix, and restoring some of them from a
checkpoint. The global-step functions are TensorFlow's own (tf.train has them)."""
import functools
import re

import tensorflow.compat.v1 as tf

from tf1.contrib_framework.arg_scope import add_arg_scope

# TF's own, which contrib.framework re-exported.
assert_global_step = tf.train.assert_global_step
create_global_step = tf.train.create_global_step
get_global_step = tf.train.get_global_step
get_or_create_global_step = tf.train.get_or_create_global_step

__all__ = ['add_model_variable', 'assert_global_step', 'assert_or_get_global_step',
           'assign_from_checkpoint', 'assign_from_checkpoint_fn', 'assign_from_values',
           'assign_from_values_fn', 'create_global_step', 'filter_variables',
           'get_global_step', 'get_or_create_global_step', 'get_local_variables',
           'get_model_variables', 'get_trainable_variables', 'get_unique_variable',
           'get_variable_full_name', 'get_variables_by_name', 'get_variables_by_suffix',
           'get_variables_to_restore', 'get_variables', 'global_variable', 'local_variable',
           'model_variable', 'variable', 'VariableDeviceChooser']


def assert_or_get_global_step(graph=None, global_step_tensor=None):
    """`global_step_tensor` checked, or the graph's global step (None if it has none)."""
    if global_step_tensor is None:
        return get_global_step(graph)
    assert_global_step(global_step_tensor)
    return global_step_tensor


def _untrained_variable(collection, initial_value, validate_shape, name, use_resource):
    return tf.Variable(initial_value, trainable=False, collections=[collection],
                       validate_shape=validate_shape, name=name, use_resource=use_resource)


@add_arg_scope
def local_variable(initial_value, validate_shape=True, name=None, use_resource=None):
    """A variable in LOCAL_VARIABLES only (not saved, initialised by
    tf.local_variables_initializer)."""
    return _untrained_variable(tf.GraphKeys.LOCAL_VARIABLES, initial_value, validate_shape,
                               name, use_resource)


@add_arg_scope
def global_variable(initial_value, validate_shape=True, name=None, use_resource=None):
    """A variable in GLOBAL_VARIABLES only: saved, but not trained."""
    return _untrained_variable(tf.GraphKeys.GLOBAL_VARIABLES, initial_value, validate_shape,
                               name, use_resource)


@add_arg_scope
def variable(name, shape=None, dtype=None, initializer=None, regularizer=None,
             trainable=True, collections=None, caching_device=None, device=None,
             partitioner=None, custom_getter=None, use_resource=None,
             synchronization=tf.VariableSynchronization.AUTO,
             aggregation=tf.VariableAggregation.NONE):
    """tf.get_variable in the collections given (GLOBAL_VARIABLES when None), on `device`
    when given; a `custom_getter` is called as get_variable is, with `reuse`."""
    collections = list(set(collections if collections is not None
                           else [tf.GraphKeys.GLOBAL_VARIABLES]))
    getter = tf.get_variable
    if custom_getter is not None:
        getter = functools.partial(custom_getter, reuse=tf.get_variable_scope().reuse)
    with tf.device(device or ''):
        return getter(name, shape=shape, dtype=dtype, initializer=initializer,
                      regularizer=regularizer, trainable=trainable, collections=collections,
                      caching_device=caching_device, partitioner=partitioner,
                      use_resource=use_resource, synchronization=synchronization,
                      aggregation=aggregation)


@add_arg_scope
def model_variable(name, shape=None, dtype=tf.float32, initializer=None, regularizer=None,
                   trainable=True, collections=None, caching_device=None, device=None,
                   partitioner=None, custom_getter=None, use_resource=None,
                   synchronization=tf.VariableSynchronization.AUTO,
                   aggregation=tf.VariableAggregation.NONE):
    """variable(), also in MODEL_VARIABLES: what get_model_variables() finds and slim's
    models save."""
    collections = list(collections or []) + [tf.GraphKeys.GLOBAL_VARIABLES,
                                              tf.GraphKeys.MODEL_VARIABLES]
    return variable(name, shape=shape, dtype=dtype, initializer=initializer,
                    regularizer=regularizer, trainable=trainable, collections=collections,
                    caching_device=caching_device, device=device, partitioner=partitioner,
                    custom_getter=custom_getter, use_resource=use_resource,
                    synchronization=synchronization, aggregation=aggregation)


def add_model_variable(var):
    """Adds `var` to MODEL_VARIABLES (once)."""
    if var not in tf.get_collection(tf.GraphKeys.MODEL_VARIABLES):
        tf.add_to_collection(tf.GraphKeys.MODEL_VARIABLES, var)


def get_variables(scope=None, suffix=None, collection=tf.GraphKeys.GLOBAL_VARIABLES):
    """The variables of `collection` whose names match `scope` (a regular expression from
    the start of the name) and end with `suffix`."""
    if isinstance(scope, tf.VariableScope):
        scope = scope.name
    if suffix is not None:
        if ':' not in suffix:
            suffix += ':'
        scope = (scope or '') + '.*' + suffix
    return tf.get_collection(collection, scope)


def get_model_variables(scope=None, suffix=None):
    return get_variables(scope, suffix, tf.GraphKeys.MODEL_VARIABLES)


def get_local_variables(scope=None, suffix=None):
    return get_variables(scope, suffix, tf.GraphKeys.LOCAL_VARIABLES)


def get_trainable_variables(scope=None, suffix=None):
    return get_variables(scope, suffix, tf.GraphKeys.TRAINABLE_VARIABLES)


def get_variables_to_restore(include=None, exclude=None):
    """The global variables under the scopes of `include` (all without it) and not under
    those of `exclude`: what a fine-tuning script restores from a checkpoint."""
    for name, scopes in (('include', include), ('exclude', exclude)):
        if scopes is not None and not isinstance(scopes, (list, tuple)):
            raise TypeError('%s is provided but is not a list or a tuple.' % name)
    if include is None:
        included = get_variables()
    else:
        included = [v for scope in include for v in get_variables(scope)]
    excluded = {v for scope in exclude or () for v in get_variables(scope)}
    return [v for v in included if v not in excluded]


def get_variables_by_suffix(suffix, scope=None):
    return get_variables(scope=scope, suffix=suffix)


def get_variables_by_name(given_name, scope=None):
    """The variables named `given_name` in any scope ('weights' finds conv1/weights ...)."""
    return get_variables(scope=scope, suffix='/' + given_name + ':|^' + given_name + ':')


def get_unique_variable(var_op_name):
    """The variable whose op is named exactly `var_op_name`."""
    candidates = get_variables(scope=var_op_name)
    if not candidates:
        raise ValueError("Couldn't find variable %s" % var_op_name)
    for candidate in candidates:
        if candidate.op.name == var_op_name:
            return candidate
    raise ValueError('Variable %s does not uniquely identify a variable' % var_op_name)


def _placeholder_assign(var, value):
    """An assign op of `var` from a placeholder, and the feed giving it `value`: the value
    is fed, not stored in the graph."""
    placeholder = tf.placeholder(var.dtype.base_dtype, var.get_shape(),
                                 name='placeholder/' + var.op.name)
    return var.assign(placeholder), {placeholder: value.reshape(var.get_shape())}


def assign_from_values(var_names_to_values):
    """(an op assigning each named variable its value, the feed_dict to run it with)."""
    assign_ops, feed_dict = [], {}
    for var_name, value in var_names_to_values.items():
        candidates = tf.get_collection(tf.GraphKeys.GLOBAL_VARIABLES, var_name)
        exact = [v for v in candidates if v.op.name == var_name]
        if not candidates:
            raise ValueError("Variable %s wasn't found" % var_name)
        if len(candidates) > 1 and not exact:
            raise ValueError("Variable %s doesn't uniquely identify a variable" % var_name)
        op, feed = _placeholder_assign((exact or candidates)[0], value)
        assign_ops.append(op)
        feed_dict.update(feed)
    return tf.group(*assign_ops), feed_dict


def assign_from_values_fn(var_names_to_values):
    """A function of a session that runs assign_from_values' op."""
    assign_op, feed_dict = assign_from_values(var_names_to_values)
    return lambda session: session.run(assign_op, feed_dict)


def zero_initializer(ref, use_locking=True, name='zero_initializer'):
    """An op that sets variable `ref` to zeros without reading it, so an uninitialised one
    can be started this way; one already initialised is refused, as TF 1.x's op did."""
    uninitialized = tf.Assert(tf.logical_not(tf.is_variable_initialized(ref)),
                              ['input is already initialized'])
    with tf.control_dependencies([uninitialized]):
        return tf.assign(ref, tf.zeros(ref.shape, ref.dtype.base_dtype),
                         use_locking=use_locking, name=name)


def get_variable_full_name(var):
    """The name `var` has in a checkpoint: its op's name, or for one part of a partitioned
    variable the whole variable's name (every part has the same)."""
    if var._save_slice_info:
        return var._save_slice_info.full_name
    return var.op.name


def _grouped_by_checkpoint_name(var_list):
    """{name in the checkpoint: [variables restored from it]}, from a list of variables
    (the parts of a partitioned one share a name) or a dict whose values are variables or
    lists of them."""
    if isinstance(var_list, (tuple, list)):
        grouped = {}
        for var in var_list:
            grouped.setdefault(get_variable_full_name(var), []).append(var)
        return grouped
    return {name: list(value) if isinstance(value, (tuple, list)) else [value]
            for name, value in var_list.items()}


def assign_from_checkpoint(model_path, var_list, ignore_missing_vars=False):
    """(an op assigning `var_list` their values in the checkpoint `model_path`, the
    feed_dict to run it with). `var_list`: variables (partitioned ones too), or {name in
    the checkpoint: a variable or a list of them}."""
    reader = tf.train.NewCheckpointReader(model_path)
    assign_ops, feed_dict = [], {}
    for name, variables in _grouped_by_checkpoint_name(var_list).items():
        if not reader.has_tensor(name):
            if ignore_missing_vars:
                tf.logging.warning('Checkpoint is missing variable [%s]', name)
                continue
            raise ValueError('Checkpoint is missing variable [%s]' % name)
        value = reader.get_tensor(name)
        for var in variables:
            slice_info = var._save_slice_info
            if slice_info:  # one part of a partitioned variable: its slice of the whole
                value_of_var = value[tuple(slice(start, start + size) for start, size
                                           in zip(slice_info.var_offset,
                                                  slice_info.var_shape))]
            elif var.get_shape() != value.shape:
                raise ValueError('Total size of new array must be unchanged for %s '
                                 'lh_shape: [%s], rh_shape: [%s]'
                                 % (name, value.shape, var.get_shape()))
            else:
                value_of_var = value
            op, feed = _placeholder_assign(var, value_of_var)
            assign_ops.append(op)
            feed_dict.update(feed)
    return tf.group(*assign_ops), feed_dict


def assign_from_checkpoint_fn(model_path, var_list, ignore_missing_vars=False,
                              reshape_variables=False):
    """A function of a session that restores `var_list` from `model_path` with a Saver
    (slim.learning.train's init_fn, for fine-tuning)."""
    if not var_list:
        raise ValueError('var_list cannot be empty')
    if ignore_missing_vars:
        reader = tf.train.NewCheckpointReader(model_path)
        if not isinstance(var_list, dict):
            var_list = {var.op.name: var for var in var_list}
        available = {}
        for name, var in var_list.items():
            if reader.has_tensor(name):
                available[name] = var
            else:
                tf.logging.warning('Variable %s missing in checkpoint %s', name, model_path)
        var_list = available
    if not var_list:
        tf.logging.warning('No Variables to restore')
        return None
    saver = tf.train.Saver(var_list, reshape=reshape_variables)
    return lambda session: saver.restore(session, model_path)


class VariableDeviceChooser:
    """A device function placing variables round-robin on `num_tasks` ps tasks (or on the
    one device given)."""

    def __init__(self, num_tasks=0, job_name='ps', device_type='CPU', device_index=0,
                 replica=None):
        self._job_name = job_name
        self._device_type = device_type
        self._device_index = device_index
        self._replica = replica
        self._num_tasks = num_tasks
        self._next_task_id = 0

    def __call__(self, op):
        spec = tf.DeviceSpec(replica=self._replica, device_type=self._device_type,
                             device_index=self._device_index)
        if self._num_tasks > 0:
            spec = spec.replace(job=self._job_name, task=self._next_task_id)
            self._next_task_id = (self._next_task_id + 1) % self._num_tasks
        return spec.to_string()


def filter_variables(var_list, include_patterns=None, exclude_patterns=None,
                     reg_search=True):
    """The variables of `var_list` whose names match one of `include_patterns` (all when
    None) and none of `exclude_patterns`: regular expressions found anywhere in the name
    (`reg_search`), or matched from its start."""
    matches = re.search if reg_search else re.match

    def matching(var, patterns):
        return any(matches(pattern, var.name) for pattern in patterns)

    return [var for var in var_list
            if (include_patterns is None or matching(var, include_patterns))
            and not (exclude_patterns and matching(var, exclude_patterns))]
