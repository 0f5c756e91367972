"""tf.contrib.framework as TF 1.x had it, the parts that model code uses: arg_scope and the
variable functions (which slim re-exported), and the helpers it took from TensorFlow
itself, which TensorFlow still has (its `nest` is in tf1/api.py, with TF 1.x's names)."""
import tensorflow.compat.v1 as tf
from tensorflow.python.framework import ops, smart_cond as smart_cond_lib, tensor_spec
from tensorflow.python.ops import critical_section_ops, data_flow_ops, init_ops
from tensorflow.python.training import checkpoint_ops
from tensorflow.python.util import deprecation

from tf1.contrib_framework.arg_scope import (add_arg_scope, arg_scope, arg_scope_func_key,
                                             arg_scoped_arguments, current_arg_scope,
                                             has_arg_scope)
from tf1.contrib_framework.variables import (
    VariableDeviceChooser, add_model_variable, assert_global_step, assert_or_get_global_step,
    assign_from_checkpoint, assign_from_checkpoint_fn, assign_from_values,
    assign_from_values_fn, create_global_step, filter_variables, get_global_step,
    get_local_variables, get_model_variables, get_or_create_global_step,
    get_trainable_variables, get_unique_variable, get_variable_full_name, get_variables,
    get_variables_by_name, get_variables_by_suffix, get_variables_to_restore,
    global_variable, local_variable, model_variable, variable, zero_initializer)

from tf1.contrib_framework.tensor_util import (assert_scalar_int, reduce_sum_n,
                                               remove_squeezable_dimensions, with_same_shape,
                                               with_shape)

# contrib.framework's checkpoint utilities, which moved to tf.train.
init_from_checkpoint = tf.train.init_from_checkpoint
list_variables = tf.train.list_variables
load_checkpoint = tf.train.load_checkpoint
load_variable = tf.train.load_variable
# Its initializers from a checkpoint with remapped vocabularies, which TF moved to (private)
# checkpoint_ops.
load_and_remap_matrix_initializer = checkpoint_ops._load_and_remap_matrix_initializer
load_embedding_initializer = checkpoint_ops._load_embedding_initializer


def load_linear_multiclass_bias_initializer(ckpt_path, bias_tensor_name, new_class_vocab_size,
                                            old_class_vocab_file, new_class_vocab_file,
                                            num_class_oov_buckets=0, initializer=None,
                                            max_rows_in_memory=-1):
    """A linear model's class biases from a checkpoint, remapped to a new class
    vocabulary; new classes start at `initializer` (zeros)."""
    return load_and_remap_matrix_initializer(
        ckpt_path=ckpt_path, old_tensor_name=bias_tensor_name,
        new_row_vocab_size=new_class_vocab_size, new_col_vocab_size=1,
        old_row_vocab_file=old_class_vocab_file, new_row_vocab_file=new_class_vocab_file,
        num_row_oov_buckets=num_class_oov_buckets, num_col_oov_buckets=0,
        initializer=initializer or tf.zeros_initializer(),
        max_rows_in_memory=max_rows_in_memory)


def load_variable_slot_initializer(ckpt_path, old_tensor_name, primary_partition_info,
                                   new_row_vocab_size, new_col_vocab_size,
                                   old_row_vocab_file=None, new_row_vocab_file=None,
                                   old_col_vocab_file=None, new_col_vocab_file=None,
                                   num_row_oov_buckets=0, num_col_oov_buckets=0,
                                   initializer=None, max_rows_in_memory=-1):
    """load_and_remap_matrix_initializer for an optimizer's slot variable: partitioned as
    its primary variable (`primary_partition_info`), whatever partition it is asked for."""
    initializer_fn = load_and_remap_matrix_initializer(
        ckpt_path=ckpt_path, old_tensor_name=old_tensor_name,
        new_row_vocab_size=new_row_vocab_size, new_col_vocab_size=new_col_vocab_size,
        old_row_vocab_file=old_row_vocab_file, new_row_vocab_file=new_row_vocab_file,
        old_col_vocab_file=old_col_vocab_file, new_col_vocab_file=new_col_vocab_file,
        num_row_oov_buckets=num_row_oov_buckets, num_col_oov_buckets=num_col_oov_buckets,
        initializer=initializer, max_rows_in_memory=max_rows_in_memory)

    def _initializer(shape, dtype=tf.float32, partition_info=None):
        return initializer_fn(shape, dtype, partition_info=primary_partition_info)
    return _initializer

# What contrib.framework re-exported of TensorFlow's own (slim did not: not in __all__).
argsort = tf.argsort
assert_same_float_dtype = tf.assert_same_float_dtype
assert_scalar = tf.assert_scalar
convert_to_tensor_or_sparse_tensor = tf.convert_to_tensor_or_sparse_tensor
deprecated = deprecation.deprecated
deprecated_arg_values = deprecation.deprecated_arg_values
deprecated_args = deprecation.deprecated_args
is_non_decreasing = tf.is_non_decreasing
is_numeric_tensor = tf.is_numeric_tensor
is_strictly_increasing = tf.is_strictly_increasing
is_tensor = tf.is_tensor
get_name_scope = ops.get_name_scope
get_graph_from_inputs = ops._get_graph_from_inputs
CriticalSection = critical_section_ops.CriticalSection
prepend_name_scope = ops.prepend_name_scope
py_func = tf.py_func
smart_case = smart_cond_lib.smart_case
smart_cond = smart_cond_lib.smart_cond
smart_constant_value = smart_cond_lib.smart_constant_value
sort = tf.sort
strip_name_scope = ops.strip_name_scope
TensorSpec = tensor_spec.TensorSpec
BoundedTensorSpec = tensor_spec.BoundedTensorSpec
RecordInput = data_flow_ops.RecordInput
convolutional_delta_orthogonal = init_ops.convolutional_delta_orthogonal
convolutional_orthogonal_1d = init_ops.convolutional_orthogonal_1d
convolutional_orthogonal_2d = init_ops.convolutional_orthogonal_2d
convolutional_orthogonal_3d = init_ops.convolutional_orthogonal_3d


def get_placeholders(graph):
    """The outputs of `graph`'s placeholders."""
    if not isinstance(graph, tf.Graph):
        raise TypeError('Input graph needs to be a Graph: %s' % graph)
    return [op.outputs[0] for op in graph.get_operations() if op.type == 'Placeholder']



__all__ = [
    'add_arg_scope', 'arg_scope', 'arg_scope_func_key', 'arg_scoped_arguments',
    'current_arg_scope',
    'has_arg_scope', 'VariableDeviceChooser', 'add_model_variable', 'assert_global_step',
    'assert_or_get_global_step', 'assign_from_checkpoint', 'assign_from_checkpoint_fn',
    'assign_from_values', 'assign_from_values_fn', 'create_global_step', 'filter_variables',
    'get_global_step', 'get_variable_full_name', 'global_variable',
    'get_local_variables', 'get_model_variables', 'get_or_create_global_step',
    'get_trainable_variables', 'get_unique_variable', 'get_variables',
    'get_variables_by_name', 'get_variables_by_suffix', 'get_variables_to_restore',
    'local_variable', 'model_variable', 'variable', 'init_from_checkpoint', 'list_variables',
    'load_checkpoint', 'load_variable', 'zero_initializer',
]
