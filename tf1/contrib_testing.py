"""tf.contrib.testing (TF 1.x's contrib/testing/python/framework/): the test helpers TF 1.x's
own Estimator, monitor and graph-action tests, and tests written after them, used.
FakeSummaryWriter stands in for tf.summary.FileWriter (and the FileWriterCache's writers)
between install() and uninstall(), keeping what is written in memory to assert on; the
rest reads the summaries an event file holds."""
import glob
import os

import numpy as np
from tensorflow.core.framework import summary_pb2
from tensorflow.python.framework import test_util
from tensorflow.python.summary import summary_iterator
from tensorflow.python.summary.writer import writer, writer_cache

__all__ = ['FakeSummaryWriter', 'assert_summary', 'latest_event_file', 'latest_events',
           'latest_summaries', 'simple_values_from_events', 'to_summary_proto']


class FakeSummaryWriter(object):
    """A FileWriter that keeps summaries ({step: [Summary]}), graphs, meta graphs and
    session logs in memory."""

    _replaced_summary_writer = None

    @classmethod
    def install(cls):
        if cls._replaced_summary_writer:
            raise ValueError('FakeSummaryWriter already installed.')
        cls._replaced_summary_writer = writer.FileWriter
        writer.FileWriter = writer_cache.FileWriter = FakeSummaryWriter

    @classmethod
    def uninstall(cls):
        if not cls._replaced_summary_writer:
            raise ValueError('FakeSummaryWriter not installed.')
        writer.FileWriter = writer_cache.FileWriter = cls._replaced_summary_writer
        cls._replaced_summary_writer = None

    def __init__(self, logdir, graph=None):
        self._logdir = logdir
        self._graph = graph
        self._summaries = {}
        self._added_graphs = []
        self._added_meta_graphs = []
        self._added_session_logs = []
        self._added_run_metadata = {}

    @property
    def summaries(self):
        return self._summaries

    def assert_summaries(self, test_case, expected_logdir=None, expected_graph=None,
                         expected_summaries=None, expected_added_graphs=None,
                         expected_added_meta_graphs=None, expected_session_logs=None):
        """Asserts, with test_case's assertions, what was written: for each expected step,
        its {tag: simple value} (global_step/sec left out: its count varies)."""
        if expected_logdir is not None:
            test_case.assertEqual(expected_logdir, self._logdir)
        if expected_graph is not None:
            test_case.assertTrue(expected_graph is self._graph)
        for step, expected in (expected_summaries or {}).items():
            test_case.assertTrue(step in self._summaries, msg='Missing step %s from %s.'
                                 % (step, self._summaries.keys()))
            actual = {value.tag: value.simple_value for summary in self._summaries[step]
                      for value in summary.value if value.tag != 'global_step/sec'}
            test_case.assertEqual(expected, actual)
        if expected_added_graphs is not None:
            test_case.assertEqual(expected_added_graphs, self._added_graphs)
        if expected_added_meta_graphs is not None:
            test_case.assertEqual(len(expected_added_meta_graphs),
                                  len(self._added_meta_graphs))
            for expected, actual in zip(expected_added_meta_graphs, self._added_meta_graphs):
                test_util.assert_meta_graph_protos_equal(test_case, expected, actual)
        if expected_session_logs is not None:
            test_case.assertEqual(expected_session_logs, self._added_session_logs)

    def add_summary(self, summ, current_global_step):
        if isinstance(summ, bytes):
            summ = summary_pb2.Summary.FromString(summ)
        self._summaries.setdefault(current_global_step, []).append(summ)

    def add_graph(self, graph, global_step=None, graph_def=None):
        _check_step(global_step)
        if graph_def is not None:
            raise ValueError('Unexpected graph_def %s.' % graph_def)
        self._added_graphs.append(graph)

    def add_meta_graph(self, meta_graph_def, global_step=None):
        _check_step(global_step)
        self._added_meta_graphs.append(meta_graph_def)

    def add_session_log(self, session_log, global_step=None):
        self._added_session_logs.append(session_log)

    def add_run_metadata(self, run_metadata, tag, global_step=None):
        _check_step(global_step)
        self._added_run_metadata[tag] = run_metadata

    def flush(self):
        pass

    def reopen(self):
        pass

    def close(self):
        pass


def _check_step(global_step):
    if global_step is not None and global_step < 0:
        raise ValueError('Invalid global_step %s.' % global_step)


def assert_summary(expected_tags, expected_simple_values, summary_proto):
    """Raises ValueError unless summary_proto has exactly expected_tags; checks the simple
    values given ({tag: value}) to 2 decimals."""
    actual_tags = set()
    for value in summary_proto.value:
        actual_tags.add(value.tag)
        if value.tag in expected_simple_values:
            np.testing.assert_almost_equal(value.simple_value,
                                           expected_simple_values[value.tag], decimal=2,
                                           err_msg=value.tag)
    if set(expected_tags) != actual_tags:
        raise ValueError('Expected tags %s, got %s.' % (set(expected_tags), actual_tags))


def to_summary_proto(summary_str):
    return summary_pb2.Summary.FromString(summary_str)


def latest_event_file(base_dir):
    """The last (by name) events.* file in base_dir, or None."""
    file_paths = glob.glob(os.path.join(base_dir, 'events.*'))
    return sorted(file_paths)[-1] if file_paths else None


def latest_events(base_dir):
    """The events of latest_event_file(base_dir) (none if there is none)."""
    file_path = latest_event_file(base_dir)
    return summary_iterator.summary_iterator(file_path) if file_path else []


def latest_summaries(base_dir):
    return [event for event in latest_events(base_dir) if event.HasField('summary')]


def simple_values_from_events(events, tags):
    """{tag: its simple value at the latest step} for the given tags; ValueError for one
    that is not a simple value."""
    step_by_tag, value_by_tag = {}, {}
    for event in events:
        if event.HasField('summary'):
            for value in event.summary.value:
                if value.tag in tags:
                    if not value.HasField('simple_value'):
                        raise ValueError('Summary for %s is not a simple_value.' % value.tag)
                    if value.tag not in step_by_tag or event.step > step_by_tag[value.tag]:
                        step_by_tag[value.tag] = event.step
                        value_by_tag[value.tag] = value.simple_value
    return value_by_tag
