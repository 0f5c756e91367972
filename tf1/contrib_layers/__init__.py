"""tf.contrib.layers as TensorFlow 1.x had it (the parts MNIST-style scripts use), built on
tf1/layers without Keras.

contrib.layers wrapped tf.layers with other conventions, kept here because scripts and
checkpoints depend on them:

- `scope` instead of `name`; the default scopes are `fully_connected`, `Conv`,
  `Conv2d_transpose`, `BatchNorm`, `Dropout`, `Flatten`, `MaxPool2D`, `AvgPool2D`, made
  unique in the enclosing variable scope; reuse=True needs an explicit scope.
- The variables are `weights` and `biases` (tf.layers: `kernel` and `bias`), and are also
  put in MODEL_VARIABLES (and in `variables_collections` if given).
- fully_connected and conv2d apply ReLU unless activation_fn=None; conv2d pads 'SAME'.
- A `normalizer_fn` (batch_norm) replaces the biases and runs before the activation.

The modules are TF 1.x's contrib/layers/python/layers ones: initializers, regularizers,
layers (the depthwise convolutions in separable.py, the transposed ones in transposed.py,
spatial_softmax with the pooling, the weightless dense_to_sparse, scale_gradient and
embedding_lookup_unique in tensor_ops.py, GDN in gdn.py, TF 1.0's legacy_fully_connected
in legacy.py),
optimizers, summaries, utils (slim.utils: a net's end points), encoders, and the feature
columns with their layers (feature_column.py, feature_column_ops.py).
"""
import tensorflow.compat.v1 as _tf

from tf1.contrib_layers import utils
from tf1.contrib_layers.encoders import bow_encoder, embed_sequence
from tf1.contrib_layers.feature_column import (
    bucketized_column, create_feature_spec_for_parsing, crossed_column, embedding_column,
    infer_real_valued_columns, one_hot_column, real_valued_column, shared_embedding_columns,
    sparse_column_with_hash_bucket,
    sparse_column_with_integerized_feature, sparse_column_with_keys,
    sparse_column_with_vocabulary_file, weighted_sparse_column)
from tf1.contrib_layers.feature_column_ops import (input_from_feature_columns,
                                                   parse_feature_columns_from_examples,
                                                   transform_features,
                                                   weighted_sum_from_feature_columns)
from tf1.contrib_layers.initializers import (variance_scaling_initializer, xavier_initializer,
                                             xavier_initializer_conv2d)
from tf1.contrib_layers.batch_norm import batch_norm
from tf1.contrib_layers.layers import (DATA_FORMAT_NCHW, DATA_FORMAT_NHWC, bias_add,
                                       conv1d, conv2d, conv3d, convolution, convolution1d,
                                       convolution2d, convolution3d, dropout, elu, flatten,
                                       fully_connected, layer_norm, linear, maxout,
                                       one_hot_encoding, relu, relu6, repeat, softmax, stack)
from tf1.contrib_layers.gdn import GDN, gdn
from tf1.contrib_layers.legacy import (_inner_flatten, legacy_fully_connected, legacy_linear,
                                       legacy_relu)
from tf1.contrib_layers.normalization import (group_norm, instance_norm, poincare_normalize,
                                              unit_norm)
from tf1.contrib_layers.pooling import (DATA_FORMAT_NCDHW, DATA_FORMAT_NDHWC, avg_pool2d,
                                        avg_pool3d, max_pool2d, max_pool3d, pool,
                                        spatial_softmax)
from tf1.contrib_layers.sequences import images_to_sequence, sequence_to_images
from tf1.contrib_layers.transposed import (conv2d_transpose, conv3d_transpose,
                                           convolution2d_transpose, convolution3d_transpose)
from tf1.contrib_layers.optimizers import (
    OPTIMIZER_CLS_NAMES, OPTIMIZER_SUMMARIES, adaptive_clipping_fn, optimize_loss)
from tf1.contrib_layers.separable import (conv2d_in_plane, convolution2d_in_plane,
                                          separable_conv2d, separable_convolution2d)
from tf1.contrib_layers.rev_block_lib import RevBlock, recompute_grad, rev_block
from tf1.contrib_layers.regularizers import (apply_regularization, l1_l2_regularizer,
                                             l1_regularizer, l2_regularizer, sum_regularizer)
from tf1.contrib_layers.tensor_ops import (dense_to_sparse, embedding_lookup_unique,
                                           scale_gradient)
from tf1.contrib_layers.summaries import (summarize_activation, summarize_activations,
                                          summarize_biases, summarize_collection,
                                          summarize_tensor, summarize_tensors,
                                          summarize_variables, summarize_weights)

__all__ = [
    'utils',
    'flatten', 'fully_connected', 'linear', 'relu', 'relu6', 'elu', 'convolution',
    'convolution2d', 'conv2d', 'convolution3d_transpose', 'conv3d_transpose',
    'convolution2d_transpose', 'conv2d_transpose', 'max_pool2d', 'avg_pool2d', 'dropout',
    'batch_norm', 'layer_norm', 'one_hot_encoding', 'repeat', 'stack', 'softmax', 'bias_add',
    'separable_convolution2d', 'separable_conv2d', 'convolution1d', 'conv1d', 'convolution3d',
    'conv3d', 'max_pool3d', 'avg_pool3d', 'pool', 'instance_norm', 'group_norm', 'unit_norm',
    'poincare_normalize', 'GDN', 'gdn', 'legacy_fully_connected', 'legacy_linear', 'legacy_relu',
    'maxout', 'images_to_sequence', 'sequence_to_images', 'safe_embedding_lookup_sparse',
    'optimize_loss', 'adaptive_clipping_fn', 'rev_block', 'RevBlock', 'recompute_grad',
    'spatial_softmax', 'conv2d_in_plane', 'convolution2d_in_plane',
    'dense_to_sparse', 'scale_gradient', 'embedding_lookup_unique',
    'OPTIMIZER_CLS_NAMES', 'OPTIMIZER_SUMMARIES', 'xavier_initializer',
    'xavier_initializer_conv2d', 'variance_scaling_initializer', 'l1_regularizer',
    'l2_regularizer', 'l1_l2_regularizer', 'sum_regularizer', 'apply_regularization',
    'summarize_activation', 'summarize_tensor', 'summarize_tensors', 'summarize_collection',
    'summarize_activations', 'summarize_variables', 'summarize_weights', 'summarize_biases',
    'real_valued_column', 'infer_real_valued_columns', 'embed_sequence', 'bow_encoder',
    'sparse_column_with_keys', 'sparse_column_with_hash_bucket',
    'sparse_column_with_integerized_feature', 'sparse_column_with_vocabulary_file',
    'weighted_sparse_column', 'bucketized_column', 'crossed_column', 'embedding_column',
    'one_hot_column', 'shared_embedding_columns', 'create_feature_spec_for_parsing',
    'input_from_feature_columns',
    'weighted_sum_from_feature_columns', 'parse_feature_columns_from_examples',
    'transform_features',
]

safe_embedding_lookup_sparse = _tf.nn.safe_embedding_lookup_sparse  # contrib's, moved to core
