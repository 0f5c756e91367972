"""tf.enable_eager_execution as TF 1.5-1.15 had it, wherever the script calls it.

TF 2.21 makes the eager context earlier than TF 1.x did: absl's `app.run` (and so
`tf.app.run`, `tf.test.main`) first runs an init callback of TensorFlow's distribution
tests that lists the GPUs, which creates the context while the process is in graph mode.
A context remembers the mode it was created in as the bottom of its context-switch stack,
and TF 2.21's enable_eager_execution leaves that stack empty. Code that looks past a
function graph to the mode outside it (`executing_eagerly_outside_functions`, which
tf.keras asks inside its own graph) then finds graph mode, and tf.keras's Input comes back
a graph tensor no Model accepts. TF 1.x made the context at enable_eager_execution, with
the options given there, in eager mode; a context TensorFlow made but never started is
given those options and that start here. TF 1.15's enable_eager_execution_internal
otherwise, ported: options that conflict with a context already started raise its
ValueError (TF 2.21's message names an attribute its Context no longer has: an
AttributeError)."""

from tensorflow.core.protobuf import config_pb2
from tensorflow.python.eager import context
from tensorflow.python.framework import ops


def enable_eager_execution(config=None, device_policy=None, execution_mode=None):
    """TF 1.15's tf.enable_eager_execution: a no-op once eager execution is on."""
    if context.default_execution_mode != context.EAGER_MODE:
        enable_eager_execution_internal(config, device_policy, execution_mode)


def enable_eager_execution_internal(config=None, device_policy=None, execution_mode=None,
                                    server_def=None):
    """TF 1.15's enable_eager_execution_internal (tfe.enable_remote_eager_execution)."""
    _check_options(config, device_policy, execution_mode)
    if context.default_execution_mode == context.GRAPH_MODE:
        if ops._default_graph_stack._global_default_graph is not None:
            raise ValueError('tf.enable_eager_execution must be called at program startup.')
    context.default_execution_mode = context.EAGER_MODE
    with context._context_lock:
        made = context.context_safe()
        if made is None:
            context._set_context_locked(context.Context(
                config=config, device_policy=device_policy, execution_mode=execution_mode,
                server_def=server_def))
        elif made._context_handle is None and not made.context_switches.stack:
            # Made by TensorFlow in graph mode (absl's app.run), never started: it takes
            # the options TF 1.x would have made it with.
            _give_options(made, config, device_policy, execution_mode, server_def)
        else:
            _refuse_changed_options(made, config, device_policy, execution_mode)
        if made is not None:
            made._thread_local_data.is_eager = True
            if not made.context_switches.stack:
                # Per thread, as a context made in eager mode starts every thread's stack.
                made._context_switches = context._ContextSwitchStack(eager=True)
    context.context = context.context_safe


def _check_options(config, device_policy, execution_mode):
    if config is not None and not isinstance(config, config_pb2.ConfigProto):
        raise TypeError('config must be a tf.ConfigProto, but got %s' % type(config))
    if device_policy not in (None, context.DEVICE_PLACEMENT_EXPLICIT,
                             context.DEVICE_PLACEMENT_WARN, context.DEVICE_PLACEMENT_SILENT,
                             context.DEVICE_PLACEMENT_SILENT_FOR_INT32):
        raise ValueError('device_policy must be one of None, DEVICE_PLACEMENT_*')
    if execution_mode not in (None, context.SYNC, context.ASYNC):
        raise ValueError('execution_mode must be one of None, SYNC, ASYNC')


def _give_options(made, config, device_policy, execution_mode, server_def):
    if config is not None:
        made._config = config
        made._import_config()  # its devices (device_count ...), as a new context reads them
    made.device_policy = device_policy
    made.execution_mode = execution_mode
    if server_def is not None:
        made._server_def = server_def


def _refuse_changed_options(made, config, device_policy, execution_mode):
    if ((config is not None and config is not made._config)
            or (device_policy is not None and device_policy != made.device_policy)
            or (execution_mode is not None and execution_mode != made.execution_mode)):
        raise ValueError(
            'Trying to change the options of an active eager execution. Context config: '
            '%s, specified config: %s. Context device policy: %s, specified device policy: '
            '%s. Context execution mode: %s,  specified execution mode %s.'
            % (made._config, config, made.device_policy, device_policy,
               made.execution_mode, execution_mode))
