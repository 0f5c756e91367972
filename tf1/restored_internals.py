"""What TF 1.x code relied on inside TensorFlow's own classes and TF 2.x changed, put back
for the runner's process (api.enter_graph_mode). Each restores TF 1.x's behaviour where TF
2.21 differs and TF 1.x code depended on it: shapes, tensors and variables as TF 1.x's
classes had them, errors as TF 1.x raised them. Nothing is taken away that TF 2.x's API
offers; TF 2.x code in the same process sees these as TF 1.x code does."""
import functools
import operator

import numpy

from tensorflow.python.autograph.core import config as autograph_config
from tensorflow.python.client import _pywrap_tf_session
from tensorflow.python.data.ops import dataset_ops, optional_ops
from tensorflow.python.distribute import distribute_lib
from tensorflow.python.eager import context
from tensorflow.python.framework import ops, tensor as tensor_lib, tensor_shape, tensor_util
from tensorflow.python.ops import (
    data_flow_ops, gen_data_flow_ops, init_ops, math_ops, resource_variable_ops,
    variable_scope, variable_v1)
from tensorflow.python.platform import tf_logging


def install():
    # TF 1.14-1.15's name for a strategy's run (TF 2.2 renamed it): an alias, nothing else.
    if not hasattr(distribute_lib.StrategyV1, 'experimental_run_v2'):
        distribute_lib.StrategyV1.experimental_run_v2 = distribute_lib.StrategyV1.run
    # TF 1.15's names for an Optional's element_spec and empty (TF 2.0 renamed them).
    if not hasattr(optional_ops.Optional, 'value_structure'):
        optional_ops.Optional.value_structure = property(lambda self: self.element_spec)
        optional_ops.Optional.none_from_structure = staticmethod(optional_ops.Optional.empty)
    restore_operation_lists()
    _accept_integral_float_dimensions()
    _compare_graph_tensors_by_identity_directly()
    _restore_private_tensor_shape()
    _refuse_numpy_conversion_as_a_type_error_too()
    _regularization_losses_as_tensors()
    _resource_variables_as_tf1_variables()
    _in_place_operators_make_new_tensors()
    _initializer_dtype_errors_in_tf1s_words()
    _random_uniform_initializer_of_integers()
    _fifo_queues_on_the_device_in_scope()
    _leave_tf1_unconverted_by_autograph()
    _dataset_arguments_as_tf1_took_them()


def _leave_tf1_unconverted_by_autograph():
    """AutoGraph converts the functions a converted function calls, unless their module is
    on its list (TensorFlow, Keras, NumPy ... are). tf1's modules are TensorFlow's API to
    mapped code, so they join the list: TF 2.x's tf.map_fn converts its `fn` even in a
    graph, and a converted tf.layers.dense (which builds its layer from its `locals()`)
    passed AutoGraph's own locals on to the layer (TF-GAN's generators under map_fn)."""
    if not any(getattr(rule, '_prefix', None) == 'tf1'
               for rule in autograph_config.CONVERSION_RULES):
        autograph_config.CONVERSION_RULES += (autograph_config.DoNotConvert('tf1'),)


def _dataset_arguments_as_tf1_took_them():
    """Dataset.map's num_parallel_calls may be an int32 tensor, as TF 1.x's ParallelMapDataset
    took it (QANet's `tf.constant(n, tf.int32)`; TF 2.x's asks for int64), and prefetch's
    buffer size a NumPy integer (StyleGAN's; TF 2.x compares it with AUTOTUNE into a NumPy
    bool, which its op refuses; DatasetV1.prefetch calls DatasetV2's, so one wrapper serves
    both)."""
    if getattr(dataset_ops.DatasetV2.prefetch, 'takes_numpy_sizes', False):
        return
    for dataset_class in (dataset_ops.DatasetV1, dataset_ops.DatasetV2):
        for name in ('map', 'map_with_legacy_function'):
            if name in vars(dataset_class):
                setattr(dataset_class, name, _int64_parallel_calls(vars(dataset_class)[name]))
    dataset_ops.DatasetV2.prefetch = _python_int_buffer_size(dataset_ops.DatasetV2.prefetch)


def _int64_parallel_calls(map_):
    @functools.wraps(map_)
    def map(self, map_func, num_parallel_calls=None, *args, **kwargs):
        if tensor_util.is_tf_type(num_parallel_calls) and num_parallel_calls.dtype == 'int32':
            num_parallel_calls = math_ops.cast(num_parallel_calls, 'int64')
        return map_(self, map_func, num_parallel_calls, *args, **kwargs)
    return map


def _python_int_buffer_size(prefetch):
    @functools.wraps(prefetch)
    def wrapper(self, buffer_size, *args, **kwargs):
        if isinstance(buffer_size, numpy.integer):
            buffer_size = int(buffer_size)
        return prefetch(self, buffer_size, *args, **kwargs)
    wrapper.takes_numpy_sizes = True
    return wrapper


def restore_operation_lists():
    """tf.Operation's `_inputs` and `_outputs`: TF 1.x's private lists of an op's tensors,
    which graph-editing code read (openai's gradient checkpointing: `op._outputs[0]`); TF
    2.x keeps only the public ones."""
    for private, public in (('_inputs', 'inputs'), ('_outputs', 'outputs')):
        if not hasattr(ops.Operation, private):
            setattr(ops.Operation, private,
                    property(lambda op, public=public: list(getattr(op, public))))


def _accept_integral_float_dimensions():
    """A shape's dimension may be a whole float or a number's text, as TF 1.x's int(value)
    took it (Python 3's `/` in `[k, k, channels / groups, n]`: TensorLayer's GroupConv2d),
    or a bool, its int (StyleGAN's `[1, use_noise, res, res]`: TF 2.x keeps True, which a
    shape proto refuses); 16.5 stays refused."""
    if getattr(tensor_shape.Dimension.__init__, 'takes_whole_floats', False):
        return
    original = tensor_shape.Dimension.__init__

    def __init__(self, value):
        if value is True or value is False:
            value = int(value)
        try:  # every shape is built of these: TF 2.x's check first, the rest only if it fails
            original(self, value)
        except TypeError:
            if not (isinstance(value, (str, bytes))
                    or isinstance(value, float) and value.is_integer()):
                raise
            original(self, int(value))  # int('x') raises, as TF 1.x's did
    __init__.takes_whole_floats = True
    tensor_shape.Dimension.__init__ = __init__


def _compare_graph_tensors_by_identity_directly():
    """`tensor == other` in a TF 1.x graph is `tensor is other` (tensor equality is off),
    answered at once rather than through TF 2.x's dispatching operator, which costs a
    module import per call: TF 1.x libraries compared tensors by the million (TensorLayer
    deduplicates its layer lists pairwise)."""
    if getattr(tensor_lib.Tensor.__eq__, 'identity_fast_path', False):
        return
    dispatching_eq, dispatching_ne = tensor_lib.Tensor.__eq__, tensor_lib.Tensor.__ne__

    def __eq__(self, other):
        if tensor_lib.Tensor._USE_EQUALITY:
            return dispatching_eq(self, other)
        return self is other

    def __ne__(self, other):
        if tensor_lib.Tensor._USE_EQUALITY:
            return dispatching_ne(self, other)
        return self is not other
    __eq__.identity_fast_path = True
    tensor_lib.Tensor.__eq__, tensor_lib.Tensor.__ne__ = __eq__, __ne__


def _restore_private_tensor_shape():
    """A graph tensor's `_shape`: TF 1.x's deprecated name for its TensorShape (read-only,
    with a warning; TensorLayer's recurrent layers read `int(t._shape[-1])`). TF 2.x's C++
    tensor uses the name for its raw `(dims, unknown)` pair, which only `Tensor.shape` reads:
    graph tensors' `shape` reads that pair under its own name, and `_shape` is TF 1.15's."""
    symbolic = ops.SymbolicTensor
    if 'native_shape' in vars(symbolic):
        return
    symbolic.native_shape = _pywrap_tf_session.PyTensor._shape  # the C++ property

    def shape(self):
        if self._shape_val is None:  # TF 2.21's Tensor.shape, reading the renamed pair
            dims, unknown_shape = self.native_shape
            self._shape_val = (tensor_shape.unknown_shape() if unknown_shape
                               else tensor_shape.TensorShape(dims))
        return self._shape_val

    def private_shape(self):
        tf_logging.warning('Tensor._shape is private, use Tensor.shape instead. '
                           'Tensor._shape will eventually be removed.')
        return self.shape

    def refuse_assignment(self, value):
        raise ValueError('Tensor._shape cannot be assigned, use Tensor.set_shape instead.')
    symbolic.shape = property(shape, doc=tensor_lib.Tensor.shape.__doc__)
    symbolic._shape = property(private_shape, refuse_assignment)


class SymbolicTensorToNumPyError(NotImplementedError, TypeError):
    """TF 2.x's error for a graph tensor handed to NumPy, which TF 1.x code catches as the
    TypeError it saw with the NumPy of its day."""


def _refuse_numpy_conversion_as_a_type_error_too():
    """A graph tensor given to NumPy (`np.prod(shape_tensor)` inside `tf.constant(v,
    shape=tf.shape(x))`): NumPy 1.16-1.18, which TF 1.13-1.15 installed, swallowed the
    tensor's refusal and failed later with a TypeError, which TF 1.x code catches to fall
    back to tf.fill and the like (TensorLayer's tl.alphas); NumPy >= 1.20 passes the refusal
    on. It stays TF 2.x's NotImplementedError, and is a TypeError as well."""
    symbolic = ops.SymbolicTensor
    if '__array__' in vars(symbolic):
        return

    def __array__(self, dtype=None, copy=None):
        raise SymbolicTensorToNumPyError(
            f'Cannot convert a symbolic tf.Tensor ({self.name}) to a numpy array. This error '
            f'may indicate that you\'re trying to pass a Tensor to a NumPy call, which is '
            f'not supported.')
    symbolic.__array__ = __array__


def _regularization_losses_as_tensors():
    """get_variable(regularizer=...) in a graph: TF 1.x's plain loss tensor, made once
    under the variable's name scope, in REGULARIZATION_LOSSES. TF 2.x puts a stand-in
    there that builds the loss again at each use and is no Tensor to TF 1.x code (tflearn:
    ExponentialMovingAverage.apply over the losses). Eagerly, TF 2.x's stand-in."""
    lazy = variable_scope._LazyEvalTensor
    if getattr(lazy, 'tf1_in_graphs', False):
        return

    def regularization_loss(make_loss):
        return lazy(make_loss) if context.executing_eagerly() else make_loss()
    regularization_loss.tf1_in_graphs = True
    variable_scope._LazyEvalTensor = regularization_loss


def _resource_variables_as_tf1_variables():
    """Resource variables (get_variable(use_resource=True), tf.keras layers' weights) are
    tf.Variables again, and have TF 1.x's initialized_value(): in TF 1.x their class
    subclassed VariableV1; TF 2.x's subclasses Variable alone (isinstance(v, tf.Variable)
    was False: Sonnet's format_variables) and refuses initialized_value (Sonnet's
    VectorQuantizerEMA initialises its averages from it)."""
    resource = resource_variable_ops.BaseResourceVariable
    if not issubclass(resource, variable_v1.VariableV1):
        variable_v1.VariableV1.register(resource)  # an ABC: isinstance and issubclass
    if 'initialized_value' not in vars(resource):
        resource.initialized_value = variable_v1.VariableV1.initialized_value


# In-place operator: (its symbol, its operator, the method TF 1.x's warning suggested).
_IN_PLACE_OPERATORS = {'__iadd__': ('+', operator.add, 'assign_add'),
                       '__isub__': ('-', operator.sub, 'assign_sub'),
                       '__imul__': ('*', operator.mul, None),
                       '__idiv__': ('/', operator.truediv, None),
                       '__itruediv__': ('/', operator.truediv, None),
                       '__irealdiv__': ('/', operator.truediv, None),
                       '__ipow__': ('**', operator.pow, None)}


def _in_place_operators_make_new_tensors():
    """`v += x` on a variable is `v + x`, a new tensor, as TF 1.x's variables (reference
    and resource) made it, with TF 1.x's warning once: Keras 2's own examples summed a loss
    into `loss = K.variable(0.)` (deep_dream, neural_style_transfer). TF 2.x raises."""
    resource = resource_variable_ops.BaseResourceVariable
    for method, (symbol, binary, assign) in _IN_PLACE_OPERATORS.items():
        if getattr(vars(resource).get(method), 'in_tf1s_way', False):
            continue
        advice = ('Use variable.%s if you want assignment to the variable value or '
                  "'x = x %s y' if you want a new python Tensor object." % (assign, symbol)
                  if assign else '')

        def in_place(self, other, binary=binary, symbol=symbol, advice=advice):
            tf_logging.log_first_n(tf_logging.WARN, 'Variable %s= will be deprecated. %s'
                                   % (symbol, advice), 1)
            return binary(self, other)
        in_place.in_tf1s_way = True
        setattr(resource, method, in_place)


def _random_uniform_initializer_of_integers():
    """tf.random_uniform_initializer(maxval=10, dtype=tf.int32) draws integers from 0, as
    TF 1.x's did: its minval defaulted to the int 0, which any dtype takes, where TF 2.x's
    0.0 is refused for an integer dtype (learning_to_remember_rare_events' hash slots)."""
    original = init_ops.RandomUniform.__init__
    if getattr(original, 'minval_of_any_dtype', False):
        return

    @functools.wraps(original)
    def __init__(self, *args, **kwargs):
        original(self, *args, **kwargs)
        if self.dtype.is_integer and isinstance(self.minval, float) and self.minval == 0:
            self.minval = 0
    __init__.minval_of_any_dtype = True
    init_ops.RandomUniform.__init__ = __init__


def _fifo_queues_on_the_device_in_scope():
    """In a graph, a FIFOQueue is made where the graph's scope says, as TF 1.x made it: TF
    2.x pins it to the CPU and lifts it out of control dependencies, so a queue built under
    `tf.device('/gpu:0')` with soft placement (the old multi-GPU input pipelines: research/
    resnet's) ends up on another device than the reader of it, which the placer refuses."""
    original = data_flow_ops.FIFOQueue.__init__
    if getattr(original, 'in_tf1s_place', False):
        return

    @functools.wraps(original)
    def __init__(self, capacity, dtypes, shapes=None, names=None, shared_name=None,
                 name='fifo_queue'):
        if context.executing_eagerly():
            return original(self, capacity, dtypes, shapes, names, shared_name, name)
        dtypes = data_flow_ops._as_type_list(dtypes)
        shapes = data_flow_ops._as_shape_list(shapes, dtypes)
        names = data_flow_ops._as_name_list(names, dtypes)
        queue_ref = gen_data_flow_ops.fifo_queue_v2(
            component_types=dtypes, shapes=shapes, capacity=capacity,
            shared_name=data_flow_ops._shared_name(shared_name), name=name)
        data_flow_ops.QueueBase.__init__(self, dtypes, shapes, names, queue_ref)
    __init__.in_tf1s_place = True
    data_flow_ops.FIFOQueue.__init__ = __init__


def _initializer_dtype_errors_in_tf1s_words():
    """An initializer given a dtype it cannot make (truncated_normal of int32) says so in
    TF 1.x's words, which TF 1.x tests match (Sonnet's LinearTest)."""
    if getattr(init_ops._assert_float_dtype, 'in_tf1s_words', False):
        return

    def _assert_float_dtype(dtype):
        if not dtype.is_floating:
            raise ValueError('Expected floating point type, got %s.' % dtype)
        return dtype
    _assert_float_dtype.in_tf1s_words = True
    init_ops._assert_float_dtype = _assert_float_dtype
