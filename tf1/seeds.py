"""Random seeds as TF 1.x derived them. With only a graph-level seed
(tf.set_random_seed(N)), TF 1.x seeded each random op with the number of ops the graph
held when the op was built; TF 2.x's tf.compat.v1 counts the random ops instead. So the
same script drew other numbers than it printed under TF 1.x. tf1 puts TF 1.x's rule back
(everything else is TensorFlow's own get_seed), and seeded TF 1.x scripts print what they
printed then.

The count depends on how many ops each API builds, so where TF 2.x builds fewer than
TF 1.x did, tf1 builds them as TF 1.x did: tf.random_uniform on its default [0, 1) range
(TF 2.x skips its min and max constants and the arithmetic on them), the zero state of
an RNN cell, DropoutWrapper's keep probabilities and BasicLSTMCell's concatenated state
(tf1/rnn_cell). Not tf.nn.dropout: TF 2.x builds its other ops around the random one in
another order, so a seeded dropout draws other masks than under TF 1.x."""
import tensorflow.compat.v1 as tf
from tensorflow.python.eager import context
from tensorflow.python.framework import ops, random_seed
from tensorflow.python.ops import gen_random_ops, random_ops, shape_util

_tf2_get_seed = random_seed.get_seed


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


def install():
    """Every random op of the process (they call random_seed.get_seed) takes its seeds from
    get_seed above, and TensorFlow's own callers of random_uniform (initializers, image
    ops, tf.nn.dropout's draw) get the random_uniform above."""
    random_seed.get_seed = get_seed
    random_ops.random_uniform = random_uniform
