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
            # TF 1.15's were TensorFlow's own, which TF 2.21 still ships and which import
            # without a TPU (a vendored TPUEstimator imports them at its top).
            **{module: Namespace('contrib.tpu.python.tpu.' + module,
                                 Lazy('tensorflow.python.tpu.' + module))
               for module in ('bfloat16', 'datasets', 'device_assignment', 'feature_column',
                              'functional', 'tensor_tracer', 'topology', 'tpu_feed',
                              'tpu_function', 'tpu_sharding', 'tpu_system_metadata',
                              'training_loop')})),
        'ops': Namespace('contrib.tpu.python.ops', None, {
            'tpu_ops': Namespace('contrib.tpu.python.ops.tpu_ops',
                                 Lazy('tensorflow.python.tpu.ops.tpu_ops'))})}),
    # TF 1.12-1.13's protos (XLNet's vendored TPUEstimator), TensorFlow's since TF 1.14.
    'proto': Namespace('contrib.tpu.proto', Lazy('tensorflow.core.protobuf.tpu'), {
        module: Namespace('contrib.tpu.proto.' + module,
                          Lazy('tensorflow.core.protobuf.tpu.' + module))
        for module in ('compilation_result_pb2', 'dynamic_padding_pb2',
                       'optimization_parameters_pb2', 'topology_pb2',
                       'tpu_embedding_configuration_pb2')})})
