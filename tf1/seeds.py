"""Random seeds as TF 1.x derived them. With only a graph-level seed
(tf.set_random_seed(N)), TF 1.x seeded each random op with the number of ops the graph
held when the op was built; TF 2.x's tf.compat.v1 counts the random ops instead. So the
same script drew other numbers than it printed under TF 1.x. tf1 puts TF 1.x's rule back
(everything else is TensorFlow's own get_seed), and seeded TF 1.x scripts print what they
printed then.

The count depends on how many ops each API builds, so where TF 2.x builds other ops than
TF 1.x did, tf1 builds them as TF 1.x did: tf.random_uniform on its default [0, 1) range
(TF 2.x skips its min and max constants and the arithmetic on them), tf.split into a
number of pieces (TF 1.x made that number a constant first), tf.tensordot (TF 1.x always
transposed and reshaped a fully known operand, and reshaped the product, where TF 2.x
skips what changes nothing: tf.layers.dense on 3-D inputs), tf.random_gamma (TF 2.x
broadcasts alpha through a dynamic shape), the zero state of an RNN cell, DropoutWrapper's
keep probabilities and BasicLSTMCell's concatenated state (tf1/rnn_cell). Not
tf.nn.dropout: TF 2.x builds its other ops around the random one in another order, so a
seeded dropout draws other masks than under TF 1.x."""
import numbers

import numpy as np
import tensorflow.compat.v1 as tf
from tensorflow.python.eager import context
from tensorflow.python.framework import ops, random_seed
from tensorflow.python.ops import array_ops, gen_random_ops, math_ops, random_ops, shape_util

_tf2_get_seed = random_seed.get_seed
_tf2_split = array_ops.split


def get_seed(op_seed):
    """(graph-level seed, op-level seed) for a random op asking with `op_seed`, as TF 1.x's
    tensorflow/python/framework/random_seed.py gave them."""
    graph = ops.get_default_graph()
    if op_seed is None and graph.seed is not None and not context.executing_eagerly():
        op_seed = graph.version  # TF 1.x's graph._last_id: the ops built so far
    return _tf2_get_seed(op_seed)


def random_uniform(shape, minval=0, maxval=None, dtype=tf.float32, seed=None, name=None):
    """tf.random_uniform as TF 1.x built it: `min` and `max` always made, then
    RandomUniform * (max - min) + min (the same numbers; TF 2.x's ops for [0, 1) are
    the RandomUniform alone)."""
    dtype = tf.as_dtype(dtype)
    if dtype not in (tf.float16, tf.bfloat16, tf.float32, tf.float64, tf.int32, tf.int64):
        raise ValueError('Invalid dtype %r' % dtype)
    if maxval is None:
        if dtype.is_integer:
            raise ValueError('Must specify maxval for integer dtype %r' % dtype)
        maxval = 1
    with tf.name_scope(name, 'random_uniform', [shape, minval, maxval]) as name:
        shape_tensor = shape_util.shape_tensor(shape)
        minval = tf.convert_to_tensor(minval, dtype=dtype, name='min')
        maxval = tf.convert_to_tensor(maxval, dtype=dtype, name='max')
        seed1, seed2 = get_seed(seed)
        if dtype.is_integer:
            result = gen_random_ops.random_uniform_int(shape_tensor, minval, maxval,
                                                       seed=seed1, seed2=seed2, name=name)
        else:
            values = gen_random_ops.random_uniform(shape_tensor, dtype, seed=seed1,
                                                   seed2=seed2)
            result = tf.add(values * (maxval - minval), minval, name=name)
        shape_util.maybe_set_static_shape(result, shape)
        return result


def random_gamma(shape, alpha, beta=None, dtype=tf.float32, seed=None, name=None):
    """tf.random_gamma as TF 1.15 built it (tensorflow/python/ops/random_ops.py): `alpha`
    broadcast against `beta` by adding zeros like `beta`, whose static shape keeps a known
    size-1 dimension of a partly known `alpha` (TF 2.x's broadcast_to of a dynamic shape
    loses it: samples [n, ?, ?, 10] for alpha [?, 1, 10]), and two ops fewer."""
    with tf.name_scope(name, 'random_gamma', [shape, alpha, beta]):
        shape = tf.convert_to_tensor(shape, name='shape', dtype=tf.int32)
        alpha = tf.convert_to_tensor(alpha, name='alpha', dtype=dtype)
        beta = tf.convert_to_tensor(beta if beta is not None else 1, name='beta', dtype=dtype)
        alpha_broadcast = alpha + tf.zeros_like(beta)
        seed1, seed2 = get_seed(seed)
        return tf.maximum(
            np.finfo(alpha.dtype.as_numpy_dtype).tiny,
            gen_random_ops.random_gamma(shape, alpha_broadcast, seed=seed1, seed2=seed2) / beta)


def split(value, num_or_size_splits, axis=0, num=None, name='split'):
    """tf.split as TF 1.x built it: a number of pieces made a constant first (unused), one
    op more than TF 2.x builds."""
    if (isinstance(num_or_size_splits, (numbers.Integral, tf.Dimension)) and
            not tf.executing_eagerly()):
        tf.convert_to_tensor(num_or_size_splits)
    return _tf2_split(value, num_or_size_splits, axis=axis, num=num, name=name)


def tensordot(a, b, axes, name=None):
    """tf.tensordot as TF 1.15 built it (tensorflow/python/ops/math_ops.py): the same
    contraction, with every transpose and reshape made. Operands of unknown rank, or axes
    given as tensors or arrays, take TF 2.x's, which builds those as TF 1.x did."""
    pair = isinstance(axes, (list, tuple)) and len(axes) == 2 and all(
        isinstance(x, (numbers.Integral, list, tuple)) for x in axes)
    known_rank = all(not (tf.is_tensor(x) or hasattr(x, 'op')) or x.shape.ndims is not None
                     for x in (a, b))
    if not (known_rank and (isinstance(axes, numbers.Integral) or pair)):
        return math_ops.tensordot(a, b, axes, name)
    with tf.name_scope(name, 'Tensordot', [a, b, axes]) as name:
        a = tf.convert_to_tensor(a, name='a')
        b = tf.convert_to_tensor(b, name='b')
        if isinstance(axes, numbers.Integral):
            if not 0 <= axes <= a.shape.ndims:
                raise ValueError("'axes' must be at least 0 and not larger than the number "
                                 "of dimensions of tensor %s." % a)
            a_axes, b_axes = list(range(a.shape.ndims - axes, a.shape.ndims)), list(range(axes))
        else:
            a_axes, b_axes = ([x] if isinstance(x, numbers.Integral) else list(x)
                              for x in axes)
            if len(a_axes) != len(b_axes):
                raise ValueError("Different number of contraction axes 'a' and 'b', %s != %s."
                                 % (len(a_axes), len(b_axes)))
        a_matrix, a_free, a_static = _tensordot_reshape(a, a_axes)
        b_matrix, b_free, b_static = _tensordot_reshape(b, b_axes, flipped=True)
        product = tf.matmul(a_matrix, b_matrix)
        if isinstance(a_free, list) and isinstance(b_free, list):
            return tf.reshape(product, a_free + b_free, name=name)
        product = tf.reshape(product, tf.concat([tf.convert_to_tensor(a_free, tf.int32),
                                                 tf.convert_to_tensor(b_free, tf.int32)], 0),
                             name=name)
        if a_static is not None and b_static is not None:
            product.set_shape(a_static + b_static)
        return product


def _tensordot_reshape(a, axes, flipped=False):
    """`a` transposed and reshaped into the matrix tensordot multiplies, with its free
    dimensions (a list when known, else a tensor) and their static sizes."""
    shape_a = a.shape.as_list()
    axes = [i if i >= 0 else i + len(shape_a) for i in axes]
    free = [i for i in range(len(shape_a)) if i not in axes]
    free_dims = [shape_a[i] for i in free]
    perm = axes + free if flipped else free + axes
    if a.shape.is_fully_defined():
        prod_free, prod_axes = int(np.prod(free_dims)), int(np.prod([shape_a[i] for i in axes]))
        new_shape = [prod_axes, prod_free] if flipped else [prod_free, prod_axes]
        return tf.reshape(tf.transpose(a, perm), new_shape), free_dims, free_dims
    axes_t = tf.convert_to_tensor(axes, dtype=tf.int32, name='axes')
    free_t = tf.convert_to_tensor(free, dtype=tf.int32, name='free')
    dynamic = tf.shape(a)
    free_sizes, axes_sizes = tf.gather(dynamic, free_t), tf.gather(dynamic, axes_t)
    prod_free, prod_axes = tf.reduce_prod(free_sizes), tf.reduce_prod(axes_sizes)
    if flipped:
        perm, new_shape = tf.concat([axes_t, free_t], 0), tf.stack([prod_axes, prod_free])
    else:
        perm, new_shape = tf.concat([free_t, axes_t], 0), tf.stack([prod_free, prod_axes])
    return tf.reshape(tf.transpose(a, perm), new_shape), free_sizes, free_dims


def install():
    """Every random op of the process (they call random_seed.get_seed) takes its seeds from
    get_seed above, and TensorFlow's own callers of random_uniform (initializers, image
    ops, tf.nn.dropout's draw) get the random_uniform above."""
    random_seed.get_seed = get_seed
    random_ops.random_uniform = random_uniform
