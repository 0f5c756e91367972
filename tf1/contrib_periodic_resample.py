"""tf.contrib.periodic_resample (TF 1.6-1.15; NiftyNet's subpixel layers): the elements of
a tensor rearranged periodically into `shape`, a generalised subpixel convolution's
shuffle. One dimension of `shape` is None (adjustable): it shrinks as the others grow.

Computed as TF 1.15's kernel indexes its input (contrib/periodic_resample/kernels), here
as one gather of core ops: with g_i = ceil(S_i / T_i) the factor by which dimension i
grows (S the output's shape, T the input's, q the adjustable dimension), output element
(s_1 ... s_R) is input element (h_1 ... h_R) with h_i = floor(s_i / g_i) for i != q and
h_q = S_q * sum_{i != q} G_i (s_i mod g_i) + s_q, G_i = g_1 ... g_{i-1}. Its gradient is
the gather's: each input element's, the sum of the gradients of the outputs taken from it
(TF 1.x's kernel wrote one of them; the same wherever an element is taken once). Where an
index would fall outside the input (shapes TF 1.x's kernel read past the end for), the
gather refuses it."""
import math

import tensorflow.compat.v1 as tf


def periodic_resample(values, shape, name=None):
    with tf.name_scope(name, 'PeriodicResample', [values]):
        values = tf.convert_to_tensor(values, name='values')
        desired = tf.TensorShape(shape).as_list()
        rank = len(desired)
        if values.shape.ndims is not None and values.shape.ndims != rank:
            raise ValueError('periodic_resample expects the rank of the input tensor, %d, to '
                             'be the same as the length of the desired shape, %d.'
                             % (values.shape.ndims, rank))
        adjustable = [i for i, size in enumerate(desired) if size is None or size < 1]
        if len(adjustable) != 1:
            raise ValueError('periodic_resample expects exactly one index to be marked as '
                             'adjustable (None), got %s.' % (desired,))
        q = adjustable[0]
        input_shape = tf.shape(values, out_type=tf.int64)
        fixed = [tf.constant(size, tf.int64) if i != q else None
                 for i, size in enumerate(desired)]
        checks = []
        for i in (i for i in range(rank) if i != q):
            message = ('periodic_resample expects the size of non-adjustable dimensions be at '
                       'least as large as size of input tensor. Dimension %d input tensor has '
                       'size %%s, desired shape has size %d.' % (i, desired[i]))
            known = tf.compat.dimension_value(values.shape[i]) if values.shape.ndims else None
            if known is not None and known > desired[i]:
                raise ValueError(message % known)
            if known is None:  # at run time, in TF 1.x's words but the size
                checks.append(tf.debugging.assert_greater_equal(
                    fixed[i], input_shape[i], message=message % 'more than that'))
        with tf.control_dependencies(checks):
            sliced = tf.reduce_prod(tf.stack([fixed[i] for i in range(rank) if i != q]))
            output_shape = list(fixed)
            output_shape[q] = tf.reduce_prod(input_shape) // sliced
        message = ("periodic_resample found that the adjustable dimension, %d, isn't greater "
                   "than zero" % q)
        if values.shape.is_fully_defined():
            if values.shape.num_elements() < math.prod(desired[:q] + desired[q + 1:]):
                raise ValueError(message)
        else:
            with tf.control_dependencies([tf.debugging.assert_positive(output_shape[q],
                                                                       message=message)]):
                output_shape[q] = tf.identity(output_shape[q])
        growth = [(output_shape[i] + input_shape[i] - 1) // input_shape[i]
                  for i in range(rank)]  # g_i
        # Each output index along its own axis, broadcast against the others.
        index = [tf.reshape(tf.range(output_shape[i]), [-1 if j == i else 1
                                                        for j in range(rank)])
                 for i in range(rank)]
        carriage, cumulative = 0, tf.constant(1, tf.int64)
        source = [None] * rank
        for i in range(rank):
            if i != q:
                carriage += cumulative * (index[i] % growth[i])
                source[i] = index[i] // growth[i]
            cumulative *= growth[i]
        source[q] = carriage * output_shape[q] + index[q]
        flat, stride = 0, tf.constant(1, tf.int64)
        for i in reversed(range(rank)):
            flat += source[i] * stride
            stride *= input_shape[i]
        output = tf.gather(tf.reshape(values, [-1]), flat)
        known = [size if i != q else None for i, size in enumerate(desired)]
        if values.shape.is_fully_defined():
            known[q] = values.shape.num_elements() // math.prod(known[:q] + known[q + 1:])
        output.set_shape(known)
        return output
