"""tf.contrib.tpu as tf1 ports it (TPUEstimator on a CPU: tf1/contrib_tpu.py), also by TF
1.x's module paths, and TF 1.x's TPUClusterResolver for tf.contrib.cluster_resolver and
tf.distribute.cluster_resolver alike."""
import tensorflow.compat.v1 as v1

from tf1.namespace import Lazy, Namespace

# TF 1.x's TPUClusterResolver, which took '' (no Cloud TPU) where TF 2.21's refuses it.
CLUSTER_RESOLVER = Namespace('distribute.cluster_resolver', v1.distribute.cluster_resolver, {
    'TPUClusterResolver': Lazy('tf1.tpu_cluster_resolver:TPUClusterResolver')})

# Also by TF 1.x's module paths (`from tensorflow.contrib.tpu.python.tpu import
# tpu_estimator`: tensor2tensor's mtf_model), each all of tf1's contrib.tpu; and the
# modules tensorflow/tpu's models import at their top, which work without a TPU.
CONTRIB_TPU = Namespace('contrib.tpu', Lazy('tf1.contrib_tpu'), {
    # TF 1.12-1.15's, a hook that needs no TPU.
    'AsyncCheckpointSaverHook': Lazy('tf1.contrib_tpu_async_checkpoint:AsyncCheckpointSaverHook'),
    'python': Namespace('contrib.tpu.python', None, {
        'tpu': Namespace('contrib.tpu.python.tpu', Lazy('tf1.contrib_tpu'), dict({
            module: Namespace('contrib.tpu.python.tpu.' + module, Lazy('tf1.contrib_tpu'))
            for module in ('tpu_estimator', 'tpu_config', 'tpu_optimizer', 'tpu')},
            async_checkpoint=Namespace('contrib.tpu.python.tpu.async_checkpoint',
                                       Lazy('tf1.contrib_tpu_async_checkpoint')),
            tpu_function=Namespace('contrib.tpu.python.tpu.tpu_function',
                                   Lazy('tensorflow.python.tpu.tpu_function')))),
        'ops': Namespace('contrib.tpu.python.ops', None, {
            'tpu_ops': Namespace('contrib.tpu.python.ops.tpu_ops',
                                 Lazy('tensorflow.python.tpu.ops.tpu_ops'))})})})
