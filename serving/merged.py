"""Every model of a served set in ONE graph, run by one session call: each model's frozen
graph (serving/models.Model.graph_def, bf16-rewritten where it is served in bf16) is
imported under its own name scope, all of them fed from one input placeholder. One
call then costs one Session.run's overhead instead of one per model, and TensorFlow's
inter-op pool runs the models side by side on the cores there are. A request asking for
some of the models runs only those: each combination of models gets a callable of its
own (pruned to what they need), made on first use; the CALLABLES_KEPT used last are kept
(each holds an executor for its part of the graph: a client cycling through every
combination must not grow the server without bound)."""
import collections
import threading

import tensorflow.compat.v1 as tf

from graphs import contract
from serving.models import OUTPUTS, explained, fast_callable, warm_up

CALLABLES_KEPT = 32


class MergedModels:
    """{name: Model} as one graph and session; run(names, images) answers them all."""

    def __init__(self, models, cores):
        self.models = models  # kept: the set this graph was made of, for its lifetime
        self.graph = tf.Graph()
        with self.graph.as_default():
            images = tf.placeholder(tf.float32, [None, contract.IMAGE_PIXELS], name='images')
            self._outputs = {}  # name → (probabilities, prediction) tensors
            for name, model in models.items():
                with explained('cannot merge %s into one graph' % name):
                    self._outputs[name] = tuple(tf.import_graph_def(
                        model.graph_def, input_map={contract.INPUT: images},
                        return_elements=list(OUTPUTS), name=name))
        self.graph.finalize()  # a callable prunes the graph; it never adds to it
        self._images = images
        self.session = tf.Session(graph=self.graph, config=session_config(cores))
        self._callables = collections.OrderedDict()  # names → their callable, newest last
        self._lock = threading.Lock()
        # The first run of a callable optimises its graph: done now for the requests
        # that come most (all models; each model alone, as TF Serving's route asks).
        for names in [list(models)] + [[name] for name in models]:
            warm_up(lambda batch, names=names: self.run(names, batch))

    def run(self, names, images):
        """{name: (probabilities [N, 10], predictions [N])} of `names` for images [N, 784],
        in one session call."""
        wanted = set(names)
        key = tuple(name for name in self.models if name in wanted)  # one order per set
        with self._lock:
            run = self._callables.get(key)
            if run is not None:
                self._callables.move_to_end(key)
        if run is None:
            run = fast_callable(self.session, self._images,
                                [tensor for name in key for tensor in self._outputs[name]])
            with self._lock:
                self._callables[key] = run
                while len(self._callables) > CALLABLES_KEPT:
                    self._callables.popitem(last=False)  # freed once no call holds it
        values = run(images)
        return {name: (values[2 * index], values[2 * index + 1])
                for index, name in enumerate(key)}


def session_config(cores):
    """A pool of `cores` threads runs the graph's ops, each op on one thread: the models
    are independent chains of ops, so the pool runs them side by side (and a batch of a
    few images is too small to share one op among threads). Its own pools, not the
    process's shared ones (which the first session made sizes)."""
    return tf.ConfigProto(intra_op_parallelism_threads=1, inter_op_parallelism_threads=cores,
                          use_per_session_threads=True)
