"""slim.nets.inception as TF 1.15 had it, the Inception networks under one name: v1
(inception_v1.py), v2 (inception_v2.py) and v3 (inception_v3.py)."""
from tf1.slim.nets.inception_v1 import inception_v1, inception_v1_arg_scope, inception_v1_base
from tf1.slim.nets.inception_v2 import inception_v2, inception_v2_arg_scope, inception_v2_base
from tf1.slim.nets.inception_v3 import inception_v3, inception_v3_arg_scope, inception_v3_base

__all__ = ['inception_v1', 'inception_v1_arg_scope', 'inception_v1_base', 'inception_v2',
           'inception_v2_arg_scope', 'inception_v2_base', 'inception_v3',
           'inception_v3_arg_scope', 'inception_v3_base']
