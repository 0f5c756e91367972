"""Random seeds as TF 1.x derived them. With only a graph-level seed
(tf.set_random_seed(N)), TF 1.x seeded each random op with the number of ops the graph
held when the op was built; TF 2.x's tf.compat.v1 counts the random ops instead. So the
same script drew other numbers than it printed under TF 1.x. tf1 puts TF 1.x's rule back
(everything else is TensorFlow's own get_seed), and seeded TF 1.x scripts print what they
printed then."""
from tensorflow.python.eager import context
from tensorflow.python.framework import ops, random_seed

_tf2_get_seed = random_seed.get_seed


def get_seed(op_seed):
    """(graph-level seed, op-level seed) for a random op asking with `op_seed`, as TF 1.x's
    tensorflow/python/framework/random_seed.py gave them."""
    graph = ops.get_default_graph()
    if op_seed is None and graph.seed is not None and not context.executing_eagerly():
        op_seed = graph.version  # TF 1.x's graph._last_id: the ops built so far
    return _tf2_get_seed(op_seed)


def install():
    """Every random op of the process (they call random_seed.get_seed) takes its seeds from
    get_seed above."""
    random_seed.get_seed = get_seed
