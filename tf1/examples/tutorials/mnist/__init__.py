"""`tensorflow.examples.tutorials.mnist`: the loader (input_data) and the small model
library of fully_connected_feed.py (mnist)."""
