"""contrib.layers' oldest layer, kept in TF 1.x for code written before fully_connected
took scopes: legacy_fully_connected (and legacy_relu, legacy_linear), with TF 1.0's
argument names, variables `weights` and `bias`, and its collections; and the helper
_inner_flatten, which flattened the innermost dimensions of a dense or sparse tensor."""
import functools
import numbers

import tensorflow.compat.v1 as tf

from tf1.contrib_framework.arg_scope import add_arg_scope
from tf1.contrib_layers import utils
from tf1.contrib_layers.initializers import xavier_initializer
from tf1.layers.base import layer_variable


def legacy_fully_connected(x, num_output_units, activation_fn=None,
                           weight_init=xavier_initializer(),
                           bias_init=tf.zeros_initializer(), name=None,
                           weight_collections=(tf.GraphKeys.WEIGHTS,),
                           bias_collections=(tf.GraphKeys.BIASES,),
                           output_collections=(tf.GraphKeys.ACTIVATIONS,), trainable=True,
                           weight_regularizer=None, bias_regularizer=None):
    """activation_fn(x · weights + bias) in variable scope `name` (default
    fully_connected): inputs of rank > 2 are multiplied along their last dimension, the
    others kept. bias_init=None leaves the bias out. The variables go to their
    collections (and GLOBAL_VARIABLES), the output to output_collections and
    ACTIVATIONS."""
    with tf.variable_scope(name, 'fully_connected', [x]):
        x = tf.convert_to_tensor(x)
        dims = x.shape.dims
        if dims is None:
            raise ValueError('dims of x must be known but is None')
        if len(dims) < 2:
            raise ValueError('rank of x must be at least 2 not: %d' % len(dims))
        num_input_units = tf.dimension_value(dims[-1])
        if num_input_units is None:
            raise ValueError('last dimension of x must be known but is None')
        dtype = x.dtype.base_dtype
        # layer_variable applies the regularizer once, as TF 1.x's get_variable did.
        weights = layer_variable('weights', [num_input_units, num_output_units], dtype,
                                 weight_init, weight_regularizer, trainable,
                                 collections=_with_globals(weight_collections))
        flat = x if len(dims) <= 2 else tf.reshape(x, [-1, num_input_units])
        y = tf.matmul(flat, weights)
        if bias_init is not None:
            bias = layer_variable('bias', [num_output_units], dtype, bias_init,
                                  bias_regularizer, trainable,
                                  collections=_with_globals(bias_collections))
            y = tf.nn.bias_add(y, bias)
        if len(dims) > 2:  # back to the inputs' leading dimensions
            out_shape = tf.unstack(tf.shape(x))
            out_shape[-1] = num_output_units
            y = tf.reshape(y, tf.stack(out_shape))
            y.set_shape(x.shape.as_list()[:-1] + [num_output_units])
        if activation_fn is not None:
            y = activation_fn(y)
        tf.add_to_collections(list(output_collections or []) + [tf.GraphKeys.ACTIVATIONS], y)
        return y


legacy_relu = functools.partial(legacy_fully_connected, activation_fn=tf.nn.relu)
legacy_linear = functools.partial(legacy_fully_connected, activation_fn=None)


def _with_globals(collections):
    """TF 1.x always added the variables to GLOBAL_VARIABLES besides the given ones."""
    return list(set(list(collections or []) + [tf.GraphKeys.GLOBAL_VARIABLES]))


@add_arg_scope
def _inner_flatten(inputs, new_rank, output_collections=None, scope=None):
    """`inputs` (a Tensor or SparseTensor) with its innermost dimensions flattened into
    one, so that it has rank `new_rank`: [1, 2, 3, 4, 5, 6] at rank 4 is [1, 2, 3, 120].
    Fails when the graph runs if inputs have a lower rank."""
    with tf.name_scope(scope, 'InnerFlatten', [inputs, new_rank]) as sc:
        if isinstance(inputs, tf.SparseTensor):
            flattened = _sparse_inner_flatten(inputs, new_rank)
        else:
            flattened = _dense_inner_flatten(tf.convert_to_tensor(inputs), new_rank)
    return utils.collect_named_outputs(output_collections, sc, flattened)


def _sparse_inner_flatten(inputs, new_rank):
    inputs_rank = inputs.dense_shape.shape.as_list()[0]
    if inputs_rank < new_rank:
        raise ValueError('Inputs has rank less than new_rank. {} must have rank at least {}. '
                         'Received rank {}, shape {}'.format(inputs, new_rank, inputs_rank,
                                                             inputs.get_shape()))
    outer_dimensions = inputs.dense_shape[:new_rank - 1]
    inner_dimensions = inputs.dense_shape[new_rank - 1:]
    new_shape = tf.concat((outer_dimensions, [tf.reduce_prod(inner_dimensions)]), 0)
    return tf.sparse_reshape(inputs, new_shape)


def _dense_inner_flatten(inputs, new_rank):
    rank_assertion = tf.assert_rank_at_least(inputs, new_rank,
                                             message='inputs has rank less than new_rank')
    with tf.control_dependencies([rank_assertion]):
        outer_dimensions = tf.strided_slice(tf.shape(inputs), [0], [new_rank - 1])
        reshaped = tf.reshape(inputs, tf.concat((outer_dimensions, [-1]), 0))
    # With a Python rank and a known rank of the inputs, the static shape too.
    if isinstance(new_rank, numbers.Integral) and inputs.shape.dims is not None:
        static_shape = inputs.shape.as_list()
        inner = static_shape[new_rank - 1:]
        flattened = None if None in inner else functools.reduce(lambda a, b: a * b, inner, 1)
        reshaped.set_shape(static_shape[:new_rank - 1] + [flattened])
    return reshaped
