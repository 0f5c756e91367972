"""`import tf1.tensorflow as tf`: TF 1.x's API under its usual name, in code you edit.

Importing this module switches TensorFlow to graph mode (tf.disable_v2_behavior), as
TF 1.x was; `tf` is the same namespace `python -m tf1` gives a script."""
import sys

from tf1 import api

api.enter_graph_mode()
sys.modules[__name__] = api.tensorflow
