"""tf.contrib.summary (TF 1.5-1.15): summaries written by ops, eagerly or in a graph, to a
writer made with create_file_writer; TensorBoard reads them as it reads tf.summary's.

    writer = tf.contrib.summary.create_file_writer(log_dir, flush_millis=10000)
    with writer.as_default(), tf.contrib.summary.always_record_summaries():
        tf.contrib.summary.scalar('loss', loss)   # step: the global step

In a graph, run `tf.contrib.summary.initialize(graph=...)` once in the session and
`tf.contrib.summary.all_summary_ops()` with the training op. TensorFlow 2.x still has
these functions, as the TF 1.x API they were (tensorflow/python/ops/summary_ops_v2.py);
this module gives them their tf.contrib.summary names. create_db_writer (SQLite) is not
provided: TensorFlow removed it.
"""
import tensorflow.compat.v1 as tf
from tensorflow.python.ops import gen_summary_ops, summary_ops_v2
from tensorflow.python.ops.summary_ops_v2 import (
    SummaryWriter, all_v2_summary_ops as all_summary_ops, always_record_summaries, audio,
    create_file_writer, create_summary_file_writer, eval_dir, generic, graph_v1 as graph,
    histogram, image, import_event, initialize, never_record_summaries,
    record_summaries_every_n_global_steps, scalar, summary_writer_initializer_op)


def should_record_summaries():
    """A bool tensor, true where summaries are recorded: as in TF 1.x, the recording
    condition alone (always_record_summaries ...), default writer or not (TF 2.x also
    asks for a writer)."""
    state = summary_ops_v2._summary_state
    resolve = lambda condition: condition() if callable(condition) else condition
    condition = resolve(state.is_recording)
    return tf.logical_and(resolve(state.is_recording_distribution_strategy),
                          False if condition is None else condition)


def flush(writer=None, name=None):
    """An op that writes out what `writer` (the default one if None; a writer or, as TF
    1.x took it, its raw resource tensor) has buffered."""
    if writer is None or isinstance(writer, SummaryWriter):
        return summary_ops_v2.flush(writer, name=name)
    with tf.device('cpu:0'):
        return gen_summary_ops.flush_summary_writer(writer, name=name)


__all__ = ['all_summary_ops', 'always_record_summaries', 'audio', 'create_file_writer',
           'create_summary_file_writer', 'eval_dir', 'flush', 'generic', 'graph', 'histogram',
           'image', 'import_event', 'initialize', 'never_record_summaries',
           'record_summaries_every_n_global_steps', 'scalar', 'should_record_summaries',
           'summary_writer_initializer_op', 'SummaryWriter']
