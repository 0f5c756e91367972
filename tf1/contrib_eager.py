"""tf.contrib.eager (`import tensorflow.contrib.eager as tfe`), TF 1.5-1.15's eager API.

A script enables eager execution first (`tf.enable_eager_execution()` or
`tfe.enable_eager_execution()`), before it builds any graph, as TF 1.x required; then ops
run as they are called, and this module is what TF 1.x's tfe had: implicit_gradients and
the other gradient functions (TensorFlow's own, kept in its backprop module), Variable,
Iterator over a tf.data.Dataset, Saver (tf.train.Saver's checkpoints, no session),
restore_variables_on_create, metrics (tf1/contrib_eager_metrics.py), Network and
Sequential (tf1/contrib_eager_network.py), Checkpoint, defun, py_func, num_gpus ...
The execution callbacks (seterr, errstate, add_execution_callback, the nan/inf callbacks)
are not provided: TensorFlow removed them (one line saying so, tf1/unsupported.py).
"""
import contextlib
import functools
import inspect
import threading
import types
import weakref

import tensorflow.compat.v1 as tf
from tensorflow.core.function.capture import capture_container
from tensorflow.core.function.polymorphism import function_cache
from tensorflow.python.checkpoint.checkpoint import CheckpointV1 as Checkpoint
from tensorflow.python.data.ops import iterator_ops
from tensorflow.python.eager import backprop, context
from tensorflow.python.eager.polymorphic_function import (
    autograph_util, function_type_utils, tracing_compilation)
from tensorflow.python.eager.context import (
    ASYNC, DEVICE_PLACEMENT_EXPLICIT, DEVICE_PLACEMENT_SILENT, DEVICE_PLACEMENT_WARN, SYNC,
    async_clear_error, async_wait, execution_mode, executing_eagerly, num_gpus,
    set_execution_mode, set_server_def)
from tensorflow.python.eager.remote import connect_to_remote_host
from tensorflow.python.framework.ops import eager_run as run
from tensorflow.python.framework.tensor_spec import TensorSpec
from tensorflow.python.framework.test_util import (
    run_all_in_graph_and_eager_modes as run_all_tests_in_graph_and_eager_modes,
    run_in_graph_and_eager_modes as run_test_in_graph_and_eager_modes)
from tensorflow.python.ops import resource_variable_ops, script_ops, template
from tensorflow.python.ops.custom_gradient import custom_gradient
from tensorflow.python.ops.resource_variable_ops import ResourceVariable as Variable
from tensorflow.python.ops.variable_scope import EagerVariableStore
from tensorflow.python.trackable.autotrackable import AutoTrackable as Checkpointable

from tf1 import contrib_eager_metrics as metrics
from tf1.contrib_eager_network import (
    Network, Sequential, checkpoint_values, restore_network_checkpoint,
    save_network_checkpoint)
from tf1.eager import (
    enable_eager_execution, enable_eager_execution_internal as enable_remote_eager_execution)

implicit_gradients = backprop.implicit_grad
implicit_value_and_gradients = backprop.implicit_val_and_grad
gradients_function = backprop.gradients_function
value_and_gradients_function = backprop.val_and_grad_function
make_vjp = backprop.make_vjp
GradientTape = backprop.GradientTape
in_eager_mode = executing_eagerly
py_func = script_ops.eager_py_func
make_template = template.make_template_internal
function = tf.function

__all__ = [  # TF 1.15's tfe, and TF 1.5's in_graph_mode
    'metrics', 'list_devices', 'num_gpus', 'py_func', 'defun', 'function', 'make_template',
    'implicit_gradients', 'implicit_value_and_gradients', 'gradients_function',
    'value_and_gradients_function', 'make_vjp', 'GradientTape', 'run',
    'enable_eager_execution', 'enable_remote_eager_execution', 'custom_gradient',
    'Iterator', 'Saver', 'restore_variables_on_create', 'Variable', 'get_optimizer_variables',
    'EagerVariableStore', 'Network', 'Sequential', 'save_network_checkpoint',
    'restore_network_checkpoint', 'Checkpoint', 'Checkpointable', 'executing_eagerly',
    'in_eager_mode', 'in_graph_mode', 'set_execution_mode', 'execution_mode', 'async_wait',
    'async_clear_error', 'set_server_def', 'run_test_in_graph_and_eager_modes',
    'run_all_tests_in_graph_and_eager_modes', 'TensorSpec', 'connect_to_remote_host',
    'DEVICE_PLACEMENT_EXPLICIT', 'DEVICE_PLACEMENT_WARN', 'DEVICE_PLACEMENT_SILENT', 'SYNC',
    'ASYNC']


def in_graph_mode():
    """TF 1.5-1.6's opposite of in_eager_mode."""
    return not executing_eagerly()


def defun(func=None, input_signature=None, autograph=False,
          experimental_autograph_options=None, experimental_relax_shapes=False):
    """TF 1.x's defun: `func` compiled to a graph function on each new input signature,
    Python control flow traced as it is (no AutoGraph) unless asked; TF 1.15's
    `experimental_relax_shapes` traces once for inputs of shapes that differ only in size."""
    if func is None:
        return lambda inner: defun(inner, input_signature, autograph,
                                   experimental_autograph_options, experimental_relax_shapes)
    return Defun(func, input_signature, autograph, experimental_autograph_options,
                 experimental_relax_shapes)


class Defun:
    """A function traced once per input signature, as TF 1.x's defun traced it: variables
    it creates are made outside it (in init_scope, by the variables themselves), in the
    graph or eagerly. tf.function, what TensorFlow kept of it, traces a function that
    creates variables twice (the second time to check it creates none), so its Python side
    effects ran twice (Sonnet 1's DefunTest counts its module's calls)."""

    def __init__(self, func, input_signature=None, autograph=False, autograph_options=None,
                 relax_shapes=False):
        self.python_function = func
        self.input_signature = input_signature
        # the same options for the Defun of each instance a method is bound to
        self._settings = (autograph, autograph_options, relax_shapes)
        traced = (autograph_util.py_func_from_autograph(func, autograph_options) if autograph
                  else func)
        function_type, defaults = function_type_utils.make_function_type(func, input_signature)
        self._options = tracing_compilation.TracingOptions(
            traced, getattr(func, '__name__', 'function'), polymorphic_type=function_type,
            default_values=defaults, autograph=autograph, autograph_options=autograph_options,
            reduce_retracing=relax_shapes, function_cache=function_cache.FunctionCache(),
            function_captures=capture_container.FunctionCaptures(), lock=threading.RLock())
        self._bound = weakref.WeakKeyDictionary()  # a method's Defun per instance
        functools.update_wrapper(self, func)

    def __call__(self, *args, **kwargs):
        """The traced function on these inputs, the arguments left out taking the function's
        defaults (`call(inputs, training=None, mask=None)` called without `mask`)."""
        bound = function_type_utils.canonicalize_function_inputs(
            args, kwargs, self._options.polymorphic_type, self._options.default_values)
        return tracing_compilation.call_function(bound.args, bound.kwargs, self._options)

    def get_concrete_function(self, *args, **kwargs):
        return tracing_compilation.trace_function(args, kwargs, self._options)

    def __get__(self, instance, owner=None):
        """As a method: the function bound to `instance`, traced once per instance and
        signature. The traces are cached by instance, held weakly as TF 1.x's did, so that
        the cache keeps no instance alive; what this returns holds it for the call."""
        if instance is None:
            return self
        try:
            traced = self._bound[instance]
        except KeyError:
            weak = weakref.ref(instance)

            def method(*args, **kwargs):
                return self.python_function(weak(), *args, **kwargs)
            method.__name__ = self.__name__
            method.__signature__ = inspect.signature(
                types.MethodType(self.python_function, instance))
            traced = self._bound[instance] = Defun(method, self.input_signature,
                                                   *self._settings)
        except TypeError:  # unhashable, or no weak reference to it: traced at each lookup
            return Defun(types.MethodType(self.python_function, instance),
                         self.input_signature, *self._settings)
        return BoundDefun(traced, instance)


class BoundDefun:
    """A method's Defun with its instance, kept alive while this is (`Model().call(x)`)."""

    def __init__(self, traced, instance):
        self._traced, self._instance = traced, instance

    def __call__(self, *args, **kwargs):
        return self._traced(*args, **kwargs)

    def __getattr__(self, name):  # get_concrete_function, python_function ...
        return getattr(self._traced, name)


def list_devices():
    """The names of the devices eager ops can run on (TF 1.x's context.list_devices: the
    context initialised first, so graph-mode scripts counting their GPUs can ask too)."""
    context.ensure_initialized()
    return context.context().devices()


class Iterator(iterator_ops.OwnedIterator):
    """An iterator over a tf.data.Dataset's elements, as tensors, when eager execution is
    enabled: `for x in tfe.Iterator(dataset)`, or `iterator.next()`."""

    def __init__(self, dataset):
        if not executing_eagerly():
            raise RuntimeError('tfe.Iterator can only be used when eager execution is '
                               'enabled; in a graph, use dataset.make_one_shot_iterator() or '
                               'make_initializable_iterator()')
        super(Iterator, self).__init__(dataset)


class Saver(object):
    """tf.train.Saver for eager execution: the same checkpoints, and no session."""

    def __init__(self, var_list):
        if not executing_eagerly():
            raise RuntimeError('tfe.Saver can only be used when eager execution is enabled. '
                               'Use tf.train.Saver when building graphs.')
        self._saver = tf.train.Saver(var_list=var_list)

    def save(self, file_prefix, global_step=None):
        """Write the variables to `file_prefix` (`-<global_step>` appended when given);
        returns the checkpoint's prefix, for restore()."""
        with tf.device('/device:CPU:0'):
            return self._saver.save(None, file_prefix, write_meta_graph=False,
                                    global_step=global_step)

    def restore(self, file_prefix):
        """Read the variables back from `file_prefix`."""
        with tf.device('/device:CPU:0'):
            self._saver.restore(None, file_prefix)


@contextlib.contextmanager
def restore_variables_on_create(save_path, map_func=None):
    """Within it, each variable created starts from the checkpoint's value of its name
    (`map_func(name)` if given); a name the checkpoint lacks raises NotFoundError. A
    `save_path` of None (no checkpoint yet) changes nothing."""
    if not executing_eagerly():
        raise ValueError('Currently, restore_variables_on_create can only be used with eager '
                         'execution enabled.')
    if not save_path:
        yield
        return
    if map_func is not None and not callable(map_func):
        raise ValueError('map_func must be callable.')
    values = checkpoint_values(save_path)
    variable_class = resource_variable_ops.ResourceVariable
    original_init = variable_class._init_from_args

    def init_from_checkpoint(variable, *args, **kwargs):
        original_init(variable, *args, **kwargs)
        name = map_func(variable._shared_name) if map_func else variable._shared_name
        if name not in values:
            raise tf.errors.NotFoundError(None, None, '%s not found in checkpoint' % name)
        if values[name] is not None:
            variable.assign(values[name])
            values[name] = None  # a second variable of the name keeps its initial value
    variable_class._init_from_args = init_from_checkpoint
    try:
        yield
    finally:
        variable_class._init_from_args = original_init


def get_optimizer_variables(optimizer):
    """The variables `optimizer` (a tf.train.Optimizer) made: optimizer.variables()."""
    return optimizer.variables()
