"""contrib.ndlstm's LSTMs over images (num_images, height, width, depth), ported from TF
1.x: bidirectional LSTMs along the rows, then the columns (a separable 2-D LSTM, as in
OCR and handwriting recognition), and LSTMs that reduce an image to a sequence or a
vector."""
import tensorflow.compat.v1 as tf

from tf1.contrib_ndlstm import lstm1d
from tf1.contrib_ndlstm.lstm1d import _shape

__all__ = ['images_to_sequence', 'sequence_to_images', 'horizontal_lstm', 'get_blocks',
           'separable_lstm', 'reduce_to_sequence', 'reduce_to_final']


def images_to_sequence(tensor):
    """(num_images, height, width, depth) images as a (width, num_images * height,
    depth) sequence: each row of each image is one sequence of the batch."""
    num_image_batches, height, width, depth = _shape(tensor)
    transposed = tf.transpose(tensor, [2, 0, 1, 3])
    return tf.reshape(transposed, [width, num_image_batches * height, depth])


def sequence_to_images(tensor, num_image_batches):
    """A (width, num_images * height, depth) sequence back as (num_images, height,
    width, depth) images."""
    width, num_batches, depth = _shape(tensor)
    height = num_batches // num_image_batches
    reshaped = tf.reshape(tensor, [width, num_image_batches, height, depth])
    return tf.transpose(reshaped, [1, 2, 0, 3])


def horizontal_lstm(images, num_filters_out, scope=None):
    """Run an LSTM both ways over every row of each image: half the output depth left to
    right (`lr`), the rest right to left (`rl`)."""
    with tf.variable_scope(scope, 'HorizontalLstm', [images]):
        batch_size, _, _, _ = _shape(images)
        sequence = images_to_sequence(images)
        with tf.variable_scope('lr'):
            hidden_sequence_lr = lstm1d.ndlstm_base(sequence, num_filters_out // 2)
        with tf.variable_scope('rl'):
            hidden_sequence_rl = lstm1d.ndlstm_base(
                sequence, num_filters_out - num_filters_out // 2, reverse=1)
        output_sequence = tf.concat([hidden_sequence_lr, hidden_sequence_rl], 2)
        return sequence_to_images(output_sequence, batch_size)


def get_blocks(images, kernel_size):
    """Split images into [kernel_height, kernel_width] blocks, zero-padded at the bottom
    and right to whole blocks: (num_images, height / kernel_height, width / kernel_width,
    depth * kernel_height * kernel_width)."""
    with tf.variable_scope('image_blocks'):
        batch_size, height, width, channels = _shape(images)
        if height % kernel_size[0] != 0:
            offset = tf.zeros([batch_size, kernel_size[0] - (height % kernel_size[0]), width,
                               channels])
            images = tf.concat([images, offset], 1)
            batch_size, height, width, channels = _shape(images)
        if width % kernel_size[1] != 0:
            offset = tf.zeros([batch_size, height, kernel_size[1] - (width % kernel_size[1]),
                               channels])
            images = tf.concat([images, offset], 2)
            batch_size, height, width, channels = _shape(images)
        h, w = int(height / kernel_size[0]), int(width / kernel_size[1])
        features = kernel_size[1] * kernel_size[0] * channels
        line_blocks = []
        for line in tf.split(images, h, axis=1):
            line = tf.transpose(line, [0, 2, 3, 1])
            line_blocks.append(tf.reshape(line, [batch_size, w, features]))
        return tf.stack(line_blocks, axis=1)


def separable_lstm(images, num_filters_out, kernel_size=None, nhidden=None, scope=None):
    """Bidirectional LSTMs along the rows (nhidden deep), then along the columns
    (num_filters_out deep), on the images or on their blocks (kernel_size)."""
    with tf.variable_scope(scope, 'SeparableLstm', [images]):
        if nhidden is None:
            nhidden = num_filters_out
        if kernel_size is not None:
            images = get_blocks(images, kernel_size)
        hidden = horizontal_lstm(images, nhidden)
        with tf.variable_scope('vertical'):
            transposed = tf.transpose(hidden, [0, 2, 1, 3])
            output_transposed = horizontal_lstm(transposed, num_filters_out)
        return tf.transpose(output_transposed, [0, 2, 1, 3])


def reduce_to_sequence(images, num_filters_out, scope=None):
    """Each column of each image reduced, top to bottom, by an LSTM's last output: a
    (num_images, width, num_filters_out) sequence."""
    with tf.variable_scope(scope, 'ReduceToSequence', [images]):
        batch_size, height, width, depth = _shape(images)
        transposed = tf.transpose(images, [1, 0, 2, 3])
        reshaped = tf.reshape(transposed, [height, batch_size * width, depth])
        reduced = lstm1d.sequence_to_final(reshaped, num_filters_out)
        return tf.reshape(reduced, [batch_size, width, num_filters_out])


def reduce_to_final(images, num_filters_out, nhidden=None, scope=None):
    """Each image reduced to a vector by two LSTMs: down its columns, then across them;
    (num_images, num_filters_out)."""
    with tf.variable_scope(scope, 'ReduceToFinal', [images]):
        nhidden = nhidden or num_filters_out
        batch_size, height, width, depth = _shape(images)
        transposed = tf.transpose(images, [1, 0, 2, 3])
        reshaped = tf.reshape(transposed, [height, batch_size * width, depth])
        with tf.variable_scope('reduce1'):
            reduced = lstm1d.sequence_to_final(reshaped, nhidden)
            transposed_hidden = tf.reshape(reduced, [batch_size, width, nhidden])
            hidden = tf.transpose(transposed_hidden, [1, 0, 2])
        with tf.variable_scope('reduce2'):
            return lstm1d.sequence_to_final(hidden, num_filters_out)
