"""contrib.framework's tensor checks (TF 1.x's contrib/framework/python/framework/
tensor_util.py): reduce_sum_n, remove_squeezable_dimensions, with_shape, with_same_shape and
assert_scalar_int, which TF 2.x dropped with contrib."""
import numpy as np
import tensorflow.compat.v1 as tf


def reduce_sum_n(tensors, name=None):
    """The sum of every element of every tensor in `tensors` (one scalar)."""
    if not tensors:
        raise ValueError('No tensors provided.')
    with tf.name_scope(name, 'reduce_sum_n', tensors) as name_scope:
        sums = [tf.reduce_sum(t, name='%s/sum' % t.op.name) for t in tensors]
        return sums[0] if len(sums) == 1 else tf.add_n(sums, name=name_scope)


def remove_squeezable_dimensions(predictions, labels, name=None):
    """(predictions, labels), the last dimension of one squeezed where its rank exceeds
    the other's by one (tf.confusion_matrix.remove_squeezable_dimensions takes them the
    other way round)."""
    with tf.name_scope(name, 'remove_squeezable_dimensions', [predictions, labels]):
        predictions = tf.convert_to_tensor(predictions)
        labels = tf.convert_to_tensor(labels)
        predictions_rank, labels_rank = predictions.shape.ndims, labels.shape.ndims
        if labels_rank is not None and predictions_rank is not None:  # known now
            if predictions_rank - labels_rank == -1:
                labels = tf.squeeze(labels, [-1])
            elif predictions_rank - labels_rank == 1:
                predictions = tf.squeeze(predictions, [-1])
            return predictions, labels
        rank_diff = tf.rank(predictions) - tf.rank(labels)  # known when the graph runs
        if predictions_rank is None or predictions.shape.dims[-1].is_compatible_with(1):
            predictions = tf.cond(tf.equal(1, rank_diff),
                                  lambda: tf.squeeze(predictions, [-1]), lambda: predictions)
        if labels_rank is None or labels.shape.dims[-1].is_compatible_with(1):
            labels = tf.cond(tf.equal(-1, rank_diff),
                             lambda: tf.squeeze(labels, [-1]), lambda: labels)
        return predictions, labels


def with_same_shape(expected_tensor, tensor):
    """`tensor`, asserted to have `expected_tensor`'s shape (see with_shape)."""
    with tf.name_scope('%s/' % tensor.op.name, values=[expected_tensor, tensor]):
        shape = expected_tensor.get_shape()
        expected_shape = (shape.as_list() if shape.is_fully_defined()
                          else tf.shape(expected_tensor, name='expected_shape'))
        return with_shape(expected_shape, tensor)


def with_shape(expected_shape, tensor):
    """`tensor`, checked to have `expected_shape` (a list of ints, or an int32 tensor):
    now when both are known (ValueError), else by an assert that runs with it, its static
    shape then set."""
    if isinstance(tensor, tf.SparseTensor):
        raise ValueError('SparseTensor not supported.')
    if tf.is_tensor(expected_shape) and expected_shape.dtype.base_dtype != tf.int32:
        raise ValueError('Invalid dtype %s for shape %s expected of tensor %s.'
                         % (expected_shape.dtype, expected_shape, tensor.name))
    if isinstance(expected_shape, (list, tuple)):
        as_array = np.asarray(expected_shape)
        expected_shape = (np.asarray([], dtype=np.int32) if not expected_shape else
                          as_array.astype(np.int32) if as_array.dtype == np.int64 else as_array)
    if isinstance(expected_shape, np.ndarray):
        if expected_shape.ndim > 1:
            raise ValueError('Invalid rank %s for shape %s expected of tensor %s.'
                             % (expected_shape.ndim, expected_shape, tensor.name))
        if expected_shape.dtype != np.int32:
            raise ValueError('Invalid dtype %s for shape %s expected of tensor %s.'
                             % (expected_shape.dtype, expected_shape, tensor.name))
    actual_shape = tensor.get_shape()
    if not actual_shape.is_fully_defined() or tf.is_tensor(expected_shape):
        with tf.name_scope('%s/' % tensor.op.name, values=[tensor]):
            if not tf.is_tensor(expected_shape) and len(expected_shape) < 1:
                return tf.reshape(tensor, [])  # TF 1.x's scalar special case
            with tf.control_dependencies([_assert_shape_op(expected_shape, tensor)]):
                result = tf.identity(tensor)
            if not tf.is_tensor(expected_shape):
                result.set_shape(expected_shape)
            return result
    if not tf.is_tensor(expected_shape) and not actual_shape.is_compatible_with(
            expected_shape):
        if len(expected_shape) < 1 and actual_shape.is_compatible_with([1]):
            with tf.name_scope('%s/' % tensor.op.name, values=[tensor]):
                return tf.reshape(tensor, [])
        raise ValueError('Invalid shape for tensor %s, expected %s, got %s.'
                         % (tensor.name, expected_shape, actual_shape))
    return tensor


def _assert_shape_op(expected_shape, tensor):
    with tf.name_scope('assert_shape', values=[tensor]) as scope:
        actual_shape = tf.shape(tensor, name='actual')
        with tf.name_scope('is_shape', values=[tensor]) as is_shape_scope:
            with tf.name_scope('is_rank', values=[tensor]) as is_rank_scope:
                is_rank = tf.equal(tf.convert_to_tensor(tf.size(expected_shape),
                                                        name='expected'),
                                   tf.rank(tensor, name='actual'), name=is_rank_scope)
            with tf.name_scope('all_equal', values=[expected_shape, actual_shape]) as eq:
                shape_equal = tf.reduce_all(tf.equal(
                    tf.convert_to_tensor(expected_shape, name='expected'), actual_shape,
                    name='equal'), name=eq)
            is_shape = tf.logical_and(is_rank, shape_equal, name=is_shape_scope)
        return tf.Assert(is_shape, ['Wrong shape for %s [expected] [actual].' % tensor.name,
                                    expected_shape, actual_shape], name=scope)


def assert_scalar_int(tensor, name=None):
    """`tensor`, asserted to be a scalar of an integer type (ValueError otherwise)."""
    with tf.name_scope(name, 'assert_scalar_int', [tensor]) as name_scope:
        tensor = tf.convert_to_tensor(tensor)
        if not tensor.dtype.base_dtype.is_integer:
            raise ValueError('Expected integer type for %s, received type: %s.'
                             % (tensor.name, tensor.dtype))
        return tf.assert_scalar(tensor, name=name_scope)
