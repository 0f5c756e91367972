"""The zeros of a cell's state, op for op as TF 1.x's rnn_cell_impl made them: with only a
graph-level seed, every random op after them takes its seed from the number of ops built
so far, so other ops here would give a seeded script other weights than under TF 1.x."""
import tensorflow.compat.v1 as tf


def zero_state_tensors(state_size, batch_size, dtype):
    """Zeros [batch_size, size] per size in `state_size`: TF 1.x's _zero_state_tensors."""
    return tf.nest.map_structure(lambda size: zeros(size, batch_size, dtype), state_size)


def zeros(size, batch_size, dtype):
    """Zeros [batch_size, size]: zero_state_tensors' for one size."""
    state = tf.zeros(shape_concat(batch_size, size), dtype=dtype)
    state.set_shape(shape_concat(batch_size, size, static=True))
    return state


def shape_concat(prefix, suffix, static=False):
    """prefix + suffix as a shape: an int32 tensor, or with `static` a list (None where
    unknown). Each is an int, a TensorShape or a scalar or vector tensor (TF 1.x's
    rnn_cell_impl._concat, whose ops zero_state's op count depends on)."""
    def as_parts(value, what):
        if isinstance(value, tf.Tensor):
            static_value = tf.get_static_value(value)
            if value.shape.ndims == 0:
                value = tf.expand_dims(value, 0)
            elif value.shape.ndims != 1:
                raise ValueError('%s tensor must be either a scalar or vector, but saw '
                                 'tensor: %s' % (what, value))
            return value, static_value
        shape = tf.TensorShape(value)
        static_value = shape.as_list() if shape.ndims is not None else None
        return (tf.constant(shape.as_list(), dtype=tf.int32) if shape.is_fully_defined()
                else None), static_value

    p, p_static = as_parts(prefix, 'prefix')
    s, s_static = as_parts(suffix, 'suffix')
    if static:
        shape = tf.TensorShape(p_static).concatenate(s_static)
        return shape.as_list() if shape.ndims is not None else None
    if p is None or s is None:
        raise ValueError('Provided a prefix or suffix of None: %s and %s' % (prefix, suffix))
    return tf.concat((p, s), 0)
