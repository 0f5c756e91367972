"""tf.contrib.learn's graph actions that run tensors (TF 1.0-1.15, ported from contrib/learn/
python/learn/graph_actions.py): a session of their own on the tensors' graph, its variables
initialized (or restored from a checkpoint), its tables and queue runners started.

    run_n(output_dict, feed_dict=None, restore_checkpoint_path=None, n=1)
    run_feeds(output_dict, feed_dicts, restore_checkpoint_path=None), run_feeds_iter(...)
    infer(restore_checkpoint_path, output_dict, feed_dict=None)

TensorLayer's tfrecord tutorial reads its first examples with `run_n(features, n=1)`."""
import itertools

import tensorflow.compat.v1 as tf
from tensorflow.python.framework import ops
from tensorflow.python.ops import resources

__all__ = ['infer', 'run_feeds', 'run_feeds_iter', 'run_n']


def run_n(output_dict, feed_dict=None, restore_checkpoint_path=None, n=1):
    """`n` runs of `output_dict`'s tensors, each fed `feed_dict`: a list of `n` dicts."""
    return run_feeds(output_dict=output_dict, feed_dicts=itertools.repeat(feed_dict, n),
                     restore_checkpoint_path=restore_checkpoint_path)


def run_feeds_iter(output_dict, feed_dicts, restore_checkpoint_path=None):
    """Yields a dict of `output_dict`'s values for each dict of `feed_dicts`."""
    if not output_dict:
        raise ValueError('output_dict is invalid: %s.' % output_dict)
    if not feed_dicts:
        raise ValueError('feed_dicts is invalid: %s.' % feed_dicts)
    graph = ops._get_graph_from_inputs(list(output_dict.values()))
    with graph.as_default(), tf.Session('') as session:
        session.run(resources.initialize_resources(
            resources.shared_resources() + resources.local_resources()))
        if restore_checkpoint_path:
            _restore_from_checkpoint(session, graph, restore_checkpoint_path)
        else:
            session.run(tf.global_variables_initializer())
        session.run(tf.local_variables_initializer())
        session.run(tf.tables_initializer())
        coord = tf.train.Coordinator()
        threads = None
        try:
            threads = tf.train.start_queue_runners(session, coord=coord)
            for feed_dict in feed_dicts:
                yield session.run(output_dict, feed_dict)
        finally:
            coord.request_stop()
            if threads:
                coord.join(threads, stop_grace_period_secs=120)


def run_feeds(*args, **kwargs):
    """run_feeds_iter's dicts as a list."""
    return list(run_feeds_iter(*args, **kwargs))


def infer(restore_checkpoint_path, output_dict, feed_dict=None):
    """One run of `output_dict`'s tensors, restored from the checkpoint if given."""
    return run_feeds(output_dict=output_dict, feed_dicts=[feed_dict],
                     restore_checkpoint_path=restore_checkpoint_path)[0]


def _restore_from_checkpoint(session, graph, checkpoint_path):
    tf.logging.info('Loading model from checkpoint: %s.', checkpoint_path)
    saved = (graph.get_collection(tf.GraphKeys.GLOBAL_VARIABLES)
             + graph.get_collection(tf.GraphKeys.SAVEABLE_OBJECTS))
    if saved:
        tf.train.Saver(saved, sharded=True, max_to_keep=5).restore(session, checkpoint_path)
    else:
        tf.logging.info('No variables found in graph, not creating Saver() object.')
