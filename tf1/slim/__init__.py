"""tf.contrib.slim as TF 1.x had it (tensorflow/contrib/slim/__init__.py): one namespace
holding tf.contrib.layers' layers, initializers and regularizers, arg_scope and the variable
functions of tf.contrib.framework, `losses` (tf.contrib.losses), `metrics`
(tf.contrib.metrics), `learning` (create_train_op, the training loop), `evaluation`
(evaluate_once, evaluation_loop), `model_analyzer`, `queues`, `summaries` and `utils`
(tf.contrib.layers.utils: a net's end points), the input pipeline of slim.data (tf1/slim/data:
dataset, dataset_data_provider, tfexample_decoder, parallel_reader, prefetch_queue ...), and
`nets` (tf1/slim/nets: AlexNet, OverFeat, VGG, ResNets, Inception v1-v3). Its layers ARE
tf.contrib.layers' (tf1/contrib_layers), so one arg_scope covers both names, as in TF 1.x."""
from tf1 import contrib_losses as losses
from tf1 import contrib_metrics as metrics
from tf1.contrib_framework import *  # noqa: F401,F403 (slim's own namespace)
from tf1.contrib_framework import __all__ as _framework
from tf1.contrib_layers import *  # noqa: F401,F403
from tf1.contrib_layers import __all__ as _layers
from tf1.contrib_layers import initializers, regularizers  # modules TF 1.x's star import
from tensorflow.python.ops import init_ops                 # carried into slim, used by nets
from tf1.slim import evaluation, learning, model_analyzer, nets, queues, summaries
from tf1.slim.data import (data_decoder, data_provider, dataset, dataset_data_provider,
                           parallel_reader, prefetch_queue, tfexample_decoder)

__all__ = (['losses', 'metrics', 'evaluation', 'learning', 'model_analyzer', 'nets', 'queues',
            'summaries', 'data_decoder', 'data_provider', 'dataset', 'dataset_data_provider',
            'parallel_reader', 'prefetch_queue', 'tfexample_decoder', 'initializers',
            'regularizers', 'init_ops'] + _framework + _layers)
