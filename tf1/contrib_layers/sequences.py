"""contrib.layers' images_to_sequence and sequence_to_images (TF 1.15's): an image's
columns as the steps of a sequence, each step the column's pixels of every image in turn
(the layout of a CRNN's or an OCR model's recurrent part), and back."""
import tensorflow.compat.v1 as tf

from tf1.contrib_framework.arg_scope import add_arg_scope
from tf1.contrib_layers import utils
from tf1.contrib_layers.layers import DATA_FORMAT_NCHW, DATA_FORMAT_NHWC


@add_arg_scope
def images_to_sequence(inputs, data_format=DATA_FORMAT_NHWC, outputs_collections=None,
                       scope=None):
    """[num_images, height, width, depth] -> [width, num_images * height, depth]."""
    if data_format not in (DATA_FORMAT_NCHW, DATA_FORMAT_NHWC):
        raise ValueError('data_format has to be either NCHW or NHWC.')
    with tf.name_scope(scope, 'ImagesToSequence', [inputs]) as sc:
        inputs = tf.convert_to_tensor(inputs)
        if data_format == DATA_FORMAT_NCHW:
            inputs = tf.transpose(inputs, [0, 2, 3, 1])
        _, _, width, depth = inputs.get_shape().as_list()
        batch_size, height = tf.shape(inputs)[0], tf.shape(inputs)[1]
        transposed = tf.transpose(inputs, [2, 0, 1, 3])
        outputs = tf.reshape(transposed, [width, batch_size * height, depth])
        return utils.collect_named_outputs(outputs_collections, sc, outputs)


@add_arg_scope
def sequence_to_images(inputs, height, output_data_format='channels_last',
                       outputs_collections=None, scope=None):
    """[num_steps, num_batches, depth] -> images of `height` rows and num_steps columns."""
    with tf.name_scope(scope, 'SequenceToImages', [inputs]) as sc:
        inputs = tf.convert_to_tensor(inputs)
        width, num_batches, depth = inputs.get_shape().as_list()
        num_batches = -1 if num_batches is None else num_batches // height
        reshaped = tf.reshape(inputs, [width, num_batches, height, depth])
        if output_data_format == 'channels_first':
            outputs = tf.transpose(reshaped, [1, 3, 2, 0])
        else:
            outputs = tf.transpose(reshaped, [1, 2, 0, 3])
        return utils.collect_named_outputs(outputs_collections, sc, outputs)
