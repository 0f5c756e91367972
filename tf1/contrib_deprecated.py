"""tf.contrib.deprecated (TF 1.0-1.15): TF 0.12's summary functions, which TF 1.0 moved here
when it renamed them (tf.scalar_summary -> tf.summary.scalar), ported from TF 1.15's
logging_ops. They run TF 0.12's summary kernels, which TensorFlow still has:
scalar_summary takes a tensor of tags (one per value) and merge_all_summaries returns None
when there is nothing to merge, as they did."""
import tensorflow.compat.v1 as tf
from tensorflow.python.ops import gen_logging_ops


def _collect(summary, collections, default_collections):
    for collection in (default_collections if collections is None else collections):
        tf.add_to_collection(collection, summary)


def scalar_summary(tags, values, collections=None, name=None):
    """A Summary of scalars `values` under `tags` (a string, or one per value)."""
    with tf.name_scope(name, 'ScalarSummary', [tags, values]) as scope:
        summary = gen_logging_ops.scalar_summary(tags=tags, values=values, name=scope)
        _collect(summary, collections, [tf.GraphKeys.SUMMARIES])
    return summary


def histogram_summary(tag, values, collections=None, name=None):
    with tf.name_scope(name, 'HistogramSummary', [tag, values]) as scope:
        summary = gen_logging_ops.histogram_summary(tag=tag, values=values, name=scope)
        _collect(summary, collections, [tf.GraphKeys.SUMMARIES])
    return summary


def image_summary(tag, tensor, max_images=3, collections=None, name=None):
    with tf.name_scope(name, 'ImageSummary', [tag, tensor]) as scope:
        summary = gen_logging_ops.image_summary(tag=tag, tensor=tensor, max_images=max_images,
                                                name=scope)
        _collect(summary, collections, [tf.GraphKeys.SUMMARIES])
    return summary


def audio_summary(tag, tensor, sample_rate, max_outputs=3, collections=None, name=None):
    with tf.name_scope(name, 'AudioSummary', [tag, tensor]) as scope:
        sample_rate = tf.convert_to_tensor(sample_rate, dtype=tf.float32, name='sample_rate')
        summary = gen_logging_ops.audio_summary_v2(tag=tag, tensor=tensor,
                                                   max_outputs=max_outputs,
                                                   sample_rate=sample_rate, name=scope)
        _collect(summary, collections, [tf.GraphKeys.SUMMARIES])
    return summary


def merge_summary(inputs, collections=None, name=None):
    with tf.name_scope(name, 'MergeSummary', inputs):
        summary = gen_logging_ops.merge_summary(inputs=inputs, name=name)
        _collect(summary, collections, [])
    return summary


def merge_all_summaries(key=tf.GraphKeys.SUMMARIES):
    summary_ops = tf.get_collection(key)
    return merge_summary(summary_ops) if summary_ops else None
