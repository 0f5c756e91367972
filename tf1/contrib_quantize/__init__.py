"""tf.contrib.quantize (TF 1.6-1.15): quantisation-aware training by rewriting a graph in
place (tf1/contrib_quantize/quantize_graph.py), its steps by TF 1.x's module paths
(`tensorflow.contrib.quantize.python.fold_batch_norms` ...), and its graph matcher."""
from tf1.contrib_quantize.quantize_graph import (  # noqa: F401 (its namespace)
    create_eval_graph, create_training_graph, experimental_create_eval_graph,
    experimental_create_training_graph)
