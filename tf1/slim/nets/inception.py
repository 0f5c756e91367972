"""slim.nets.inception as TF 1.15 had it, the Inception networks under one name: here
Inception v3 (inception_v3.py); v1 and v2 are a one-line error (tf1/unsupported.py)."""
from tf1.slim.nets.inception_v3 import inception_v3, inception_v3_arg_scope, inception_v3_base

__all__ = ['inception_v3', 'inception_v3_arg_scope', 'inception_v3_base']
