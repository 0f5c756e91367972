"""tf.contrib.data's transformations that TF 2.x renamed or dropped (TF 1.15's
contrib/data/python/ops): the rest of tf.contrib.data is tf.data.experimental, where TF
moved it (group_by_window, bucket_by_sequence_length, shuffle_and_repeat, map_and_batch,
parallel_interleave, ...)."""
import tensorflow.compat.v1 as tf

__all__ = ['batch_and_drop_remainder', 'padded_batch_and_drop_remainder', 'sloppy_interleave']


def batch_and_drop_remainder(batch_size):
    """A transformation for Dataset.apply: batches of exactly `batch_size`."""
    return lambda dataset: dataset.batch(batch_size, drop_remainder=True)


def padded_batch_and_drop_remainder(batch_size, padded_shapes, padding_values=None):
    """A transformation for Dataset.apply: padded batches of exactly `batch_size`."""
    return lambda dataset: dataset.padded_batch(batch_size, padded_shapes, padding_values,
                                                drop_remainder=True)


def sloppy_interleave(map_func, cycle_length, block_length=1):
    """parallel_interleave that may take elements out of order."""
    return tf.data.experimental.parallel_interleave(map_func, cycle_length, block_length,
                                                    sloppy=True)
