"""tf.layers as TensorFlow 1.x had it, built on tf.compat.v1 ops without Keras.

TF 2.21's own tf.compat.v1.layers raises "not available with Keras 3", so TF 1.x scripts
get these instead. The rules below are TF 1.x's, kept exactly because scripts and their
checkpoints depend on them:

- Each layer's variables sit in a variable scope of its own. Without `name` it is the
  layer's type, made unique in the enclosing variable scope: `dense`, `dense_1` ... (so
  `dense/kernel`, `dense_1/kernel`). With `name='fc1'` it is `fc1`, never renamed: a
  second `fc1` layer must share the first one's variables (reuse=True) or fail.
- reuse=True, or an enclosing tf.variable_scope(..., reuse=True or tf.AUTO_REUSE), makes
  a layer use the variables already there instead of creating them.
- The layer's ops are named under the same scope (`dense/MatMul`, `dense/BiasAdd`).
- Variables come from tf.get_variable, so an enclosing scope's initializer and custom
  getter apply; trainable=False keeps them out of TRAINABLE_VARIABLES.
- A regularizer's loss goes to REGULARIZATION_LOSSES once, when its variable is created.
- Batch normalization's moving-average updates go to UPDATE_OPS, for the training op to
  depend on.

The modules follow TF 1.x's own tensorflow/python/layers: base (Layer; InputSpec in
input_spec), core (dense,
dropout, flatten), convolutional, pooling, normalization; utils holds what they share
(with tf1/contrib_layers and tf1/rnn_cell too); keras_members and keras_functional, a
layer's place in tf.keras models. Only the names in __all__ are TF 1.x's.
"""
from tf1.layers.base import Layer
from tf1.layers.input_spec import InputSpec
from tf1.layers.convolutional import (Conv1D, Conv2D, Conv2DTranspose, Conv3D, Conv3DTranspose,
                                      SeparableConv1D, SeparableConv2D, conv1d, conv2d,
                                      conv2d_transpose, conv3d, conv3d_transpose,
                                      separable_conv1d, separable_conv2d)
from tf1.layers.core import Dense, Dropout, Flatten, dense, dropout, flatten
from tf1.layers.normalization import BatchNormalization, batch_normalization
from tf1.layers.pooling import (AveragePooling1D, AveragePooling2D, AveragePooling3D,
                                MaxPooling1D, MaxPooling2D, MaxPooling3D, average_pooling1d,
                                average_pooling2d, average_pooling3d, max_pooling1d,
                                max_pooling2d, max_pooling3d)

__all__ = [
    'Layer', 'InputSpec', 'Dense', 'Dropout', 'Flatten', 'Conv1D', 'Conv2D', 'Conv3D', 'Conv2DTranspose',
    'Conv3DTranspose', 'MaxPooling1D', 'MaxPooling2D', 'MaxPooling3D', 'AveragePooling1D',
    'AveragePooling2D', 'AveragePooling3D', 'BatchNormalization', 'SeparableConv1D',
    'SeparableConv2D', 'dense', 'dropout', 'flatten', 'conv1d', 'conv2d', 'conv3d',
    'conv2d_transpose', 'conv3d_transpose', 'separable_conv1d', 'separable_conv2d',
    'max_pooling1d', 'max_pooling2d', 'max_pooling3d', 'average_pooling1d',
    'average_pooling2d', 'average_pooling3d', 'batch_normalization',
]
