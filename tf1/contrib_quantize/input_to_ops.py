"""contrib.quantize.python.input_to_ops, TF 1.x's module of InputToOps (which tf1 keeps with
the other helpers of the rewrite, tf1/contrib_quantize/common.py): LSTM object detection's
graph rewriter imports it by this path."""
from tf1.contrib_quantize.common import InputToOps

__all__ = ['InputToOps']
