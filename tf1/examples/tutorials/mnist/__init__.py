"""`tensorflow.examples.tutorials.mnist`: the loader (input_data) and the small model
library of fully_connected_feed.py (mnist)."""
# As TF 1.x's package did: `from tensorflow.examples.tutorials import mnist` then
# `mnist.input_data.read_data_sets(...)`.
from tf1.examples.tutorials.mnist import input_data, mnist  # noqa: E402,F401
