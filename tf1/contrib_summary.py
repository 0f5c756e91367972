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
from tensorflow.python.ops.summary_ops_v2 import (
    SummaryWriter, _legacy_contrib_should_record_summaries as should_record_summaries,
    all_v2_summary_ops as all_summary_ops, always_record_summaries, audio, create_file_writer,
    create_summary_file_writer, eval_dir, flush, generic, graph_v1 as graph, histogram,
    image, import_event, initialize, never_record_summaries,
    record_summaries_every_n_global_steps, scalar, summary_writer_initializer_op)

__all__ = ['all_summary_ops', 'always_record_summaries', 'audio', 'create_file_writer',
           'create_summary_file_writer', 'eval_dir', 'flush', 'generic', 'graph', 'histogram',
           'image', 'import_event', 'initialize', 'never_record_summaries',
           'record_summaries_every_n_global_steps', 'scalar', 'should_record_summaries',
           'summary_writer_initializer_op', 'SummaryWriter']
