"""contrib.layers' weight penalties (functions of a weight tensor that return its
penalty), and the sum of them that the loss adds."""
import numbers

import tensorflow.compat.v1 as tf


def l1_regularizer(scale, scope=None):
    """scale · Σ|w|."""
    return _scaled_penalty(scale, scope, 'l1_regularizer',
                           lambda weights: tf.reduce_sum(tf.abs(weights)))


def l2_regularizer(scale, scope=None):
    """scale · Σw² / 2 (tf.nn.l2_loss)."""
    return _scaled_penalty(scale, scope, 'l2_regularizer', tf.nn.l2_loss)


def _scaled_penalty(scale, scope, default_name, penalty):
    """A regularizer returning scale · penalty(weights) as an op named `default_name` (or
    `scope`); none at all for a scale of 0."""
    _check_scale(scale, 'scale')
    if scale == 0.:
        return lambda _: None

    def regularizer(weights):
        with tf.name_scope(scope, default_name, [weights]) as name:
            scale_tensor = tf.convert_to_tensor(scale, weights.dtype.base_dtype, name='scale')
            return tf.multiply(scale_tensor, penalty(weights), name=name)
    return regularizer


def l1_l2_regularizer(scale_l1=1.0, scale_l2=1.0, scope=None):
    """The sum of l1_regularizer(scale_l1) and l2_regularizer(scale_l2)."""
    _check_scale(scale_l1, 'scale_l1')
    _check_scale(scale_l2, 'scale_l2')
    scope = scope or 'l1_l2_regularizer'
    if scale_l1 == 0.:
        return l2_regularizer(scale_l2, scope)
    if scale_l2 == 0.:
        return l1_regularizer(scale_l1, scope)
    return sum_regularizer([l1_regularizer(scale_l1), l2_regularizer(scale_l2)], scope=scope)


def sum_regularizer(regularizer_list, scope=None):
    """A regularizer that adds up the penalties of those in `regularizer_list`."""
    regularizer_list = [regularizer for regularizer in regularizer_list if regularizer]
    if not regularizer_list:
        return None

    def sum_reg(weights):
        with tf.name_scope(scope, 'sum_regularizer', [weights]) as name:
            penalties = [regularizer(weights) for regularizer in regularizer_list]
            penalties = [penalty for penalty in penalties if penalty is not None]
            return tf.add_n(penalties, name=name) if penalties else None
    return sum_reg


def apply_regularization(regularizer, weights_list=None):
    """The summed penalty of `regularizer` over `weights_list` (default: the WEIGHTS
    collection), also added to REGULARIZATION_LOSSES."""
    weights_list = weights_list or tf.get_collection(tf.GraphKeys.WEIGHTS)
    if not weights_list:
        raise ValueError('apply_regularization: no weights to regularize (weights_list is '
                         'empty and so is the WEIGHTS collection)')
    with tf.name_scope('get_regularization_penalty', values=weights_list) as scope:
        penalties = [regularizer(weights) for weights in weights_list]
        penalties = [penalty if penalty is not None else tf.constant(0.0)
                     for penalty in penalties]
        for penalty in penalties:
            if penalty.shape.ndims != 0:
                raise ValueError('apply_regularization: the regularizer must return a scalar, '
                                 'got a tensor of rank %d' % penalty.shape.ndims)
        summed_penalty = tf.add_n(penalties, name=scope)
        tf.add_to_collection(tf.GraphKeys.REGULARIZATION_LOSSES, summed_penalty)
        return summed_penalty


def _check_scale(scale, name):
    if isinstance(scale, numbers.Integral):
        raise ValueError('%s must be a float, got the integer %r' % (name, scale))
    if isinstance(scale, numbers.Real) and scale < 0.:
        raise ValueError('%s must not be negative, got %g' % (name, scale))
