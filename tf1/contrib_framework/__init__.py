"""tf.contrib.framework as TF 1.x had it, the parts that model code uses: arg_scope and the
variable functions (which slim re-exported), and the checkpoint helpers that TensorFlow
itself still has."""
import tensorflow.compat.v1 as tf

from tf1.contrib_framework.arg_scope import (add_arg_scope, arg_scope, arg_scope_func_key,
                                             arg_scoped_arguments, current_arg_scope,
                                             has_arg_scope)
from tf1.contrib_framework.variables import (
    VariableDeviceChooser, add_model_variable, assert_global_step, assert_or_get_global_step,
    assign_from_checkpoint, assign_from_checkpoint_fn, assign_from_values,
    assign_from_values_fn, create_global_step, get_global_step, get_local_variables,
    get_model_variables, get_or_create_global_step, get_trainable_variables,
    get_unique_variable, get_variables, get_variables_by_name, get_variables_by_suffix,
    get_variables_to_restore, local_variable, model_variable, variable)

# contrib.framework's checkpoint utilities, which moved to tf.train.
init_from_checkpoint = tf.train.init_from_checkpoint
list_variables = tf.train.list_variables
load_checkpoint = tf.train.load_checkpoint
load_variable = tf.train.load_variable

__all__ = [
    'add_arg_scope', 'arg_scope', 'arg_scope_func_key', 'arg_scoped_arguments',
    'current_arg_scope',
    'has_arg_scope', 'VariableDeviceChooser', 'add_model_variable', 'assert_global_step',
    'assert_or_get_global_step', 'assign_from_checkpoint', 'assign_from_checkpoint_fn',
    'assign_from_values', 'assign_from_values_fn', 'create_global_step', 'get_global_step',
    'get_local_variables', 'get_model_variables', 'get_or_create_global_step',
    'get_trainable_variables', 'get_unique_variable', 'get_variables',
    'get_variables_by_name', 'get_variables_by_suffix', 'get_variables_to_restore',
    'local_variable', 'model_variable', 'variable', 'init_from_checkpoint', 'list_variables',
    'load_checkpoint', 'load_variable',
]
