"""model_pruning's helpers (TF 1.15's contrib/model_pruning/python/pruning_utils.py): a
weight's mask and threshold variables, the block expansions and pooling that block
sparsity uses, and assignments to (partitioned) variables."""
import numpy as np
import tensorflow.compat.v1 as tf


def weight_mask_variable(var, scope):
    """`scope`/mask: ones of `var`'s shape, not trained (0 where a weight is pruned)."""
    with tf.variable_scope(scope):
        return tf.get_variable('mask', var.get_shape(), initializer=tf.ones_initializer(),
                               trainable=False, dtype=var.dtype)


def weight_threshold_variable(var, scope):
    """`scope`/threshold: the magnitude below which `var`'s weights are pruned (0 first)."""
    with tf.variable_scope(scope):
        return tf.get_variable('threshold', [], initializer=tf.zeros_initializer(),
                               trainable=False, dtype=var.dtype)


def kronecker_product(mat1, mat2):
    """The Kronecker product of matrices of static shapes m x n and p x q: mp x nq."""
    m1, n1 = mat1.get_shape().as_list()
    m2, n2 = mat2.get_shape().as_list()
    product = tf.reshape(mat1, [m1, 1, n1, 1]) * tf.reshape(mat2, [1, m2, 1, n2])
    return tf.reshape(product, [m1 * m2, n1 * n2])


def expand_tensor(tensor, block_dims):
    """A 2-D tensor with each value repeated over a block of `block_dims` (its Kronecker
    product with ones): [[1, 2], [3, 4]] by [2, 2] is
    [[1, 1, 2, 2], [1, 1, 2, 2], [3, 3, 4, 4], [3, 3, 4, 4]]."""
    if tensor.get_shape().ndims != 2:
        raise ValueError('Input tensor must be rank 2')
    if len(block_dims) != 2:
        raise ValueError('block_dims must have 2 elements')
    block_height, block_width = block_dims
    expanded = tensor
    if block_height > 1:
        expanded = _repeat_rows(expanded, block_height)
    if block_width > 1:
        expanded = tf.transpose(_repeat_rows(tf.transpose(expanded), block_width))
    return expanded


def _repeat_rows(tensor, multiple):
    """Each row of a 2-D tensor `multiple` times over: the tensor tiled, scattered so that a
    row's copies are together."""
    rows, columns = tensor.shape.as_list()
    indices = np.array([[row * multiple + copy] for copy in range(multiple)
                        for row in range(rows)], np.int32)
    return tf.scatter_nd(tf.constant(indices), tf.tile(tensor, [multiple, 1]),
                         [rows * multiple, columns])


def factorized_pool(input_tensor, window_shape, pooling_type, strides, padding, name=None):
    """m x n pooling of a 2-D tensor as 1 x m pooling of its columns, then 1 x n of its
    rows (pooling TPUs could do)."""
    if input_tensor.get_shape().ndims != 2:
        raise ValueError('factorized_pool() accepts tensors of rank 2 only')
    height, width = input_tensor.get_shape()
    with tf.name_scope(name, 'factorized_pool'):
        aligned = tf.reshape(input_tensor, [1, 1, height, width],
                             name=input_tensor.op.name + '_aligned')
        pooled = tf.nn.pool(aligned, window_shape=[1, window_shape[0]],
                            pooling_type=pooling_type, strides=[1, strides[0]],
                            padding=padding)
        pooled = tf.nn.pool(tf.transpose(pooled, perm=[0, 1, 3, 2]),
                            window_shape=[1, window_shape[1]], pooling_type=pooling_type,
                            strides=[1, strides[1]], padding=padding)
    return tf.squeeze(tf.transpose(pooled, perm=[0, 1, 3, 2]), axis=[0, 1])


def determine_partitioned_axis(partitioned_variable):
    """The one axis along which `partitioned_variable` is split."""
    axis = 0
    whole = partitioned_variable.get_shape()
    for partition in partitioned_variable:
        smaller = np.less(partition.get_shape(), whole)
        if np.count_nonzero(smaller) != 1:
            raise ValueError('Number of partitioned axes %s not equal to 1'
                             % np.count_nonzero(smaller))
        axis = np.where(smaller)[0][0]
    return axis


def variable_assign(var, new_value):
    """`var` = new_value, named `<var>_assign`."""
    return tf.assign(var, new_value, name=var.op.name + '_assign')


def partitioned_variable_assign(partitioned_var, new_value):
    """Each partition of `partitioned_var` = its slice of new_value, grouped in one op."""
    axis = (0 if len(partitioned_var) == 1
            else determine_partitioned_axis(partitioned_var))
    sizes = [partition.get_shape()[axis] for partition in partitioned_var]
    values = tf.split(new_value, tf.constant(sizes, tf.int32), axis=axis)
    return tf.group(*[variable_assign(partition, value)
                      for partition, value in zip(partitioned_var, values)],
                    name=partitioned_var.name + '_group_assign')
