"""tf1's tf.contrib.testing (TF 1.x's test helpers): FakeSummaryWriter stands in for the
FileWriter and the FileWriterCache's writers while installed and keeps what is written;
the event-file readers find the latest file and its simple values."""
import numpy as np
import pytest
import tensorflow.compat.v1 as tf
from tensorflow.python.summary.writer import writer, writer_cache

from tf1.api import tensorflow as tf1_api

tf.disable_v2_behavior()

testing = tf1_api.contrib.testing


def scalar_summary(tag, value):
    return tf.Summary(value=[tf.Summary.Value(tag=tag, simple_value=value)])


def test_fake_summary_writer_keeps_summaries_while_installed(tmp_path):
    fake = testing.FakeSummaryWriter
    real = writer.FileWriter
    fake.install()
    try:
        with pytest.raises(ValueError, match='already installed'):
            fake.install()
        cached = writer_cache.FileWriterCache.get(str(tmp_path / 'cached'))
        assert isinstance(cached, fake)
        cached.add_summary(scalar_summary('loss', 0.5), 3)
        cached.add_summary(scalar_summary('auc', 0.75).SerializeToString(), 3)

        class Case:  # the assertions a tf.test.TestCase gives
            def assertEqual(self, a, b, msg=None):
                assert a == b, msg

            def assertTrue(self, a, msg=None):
                assert a, msg
        cached.assert_summaries(Case(), expected_logdir=str(tmp_path / 'cached'),
                                expected_summaries={3: {'loss': 0.5, 'auc': 0.75}})
        with pytest.raises(AssertionError, match='Missing step 4'):
            cached.assert_summaries(Case(), expected_summaries={4: {}})
        with pytest.raises(ValueError, match='Invalid global_step -1'):
            cached.add_graph(None, global_step=-1)
    finally:
        fake.uninstall()
        writer_cache.FileWriterCache.clear()
    assert writer.FileWriter is real and writer_cache.FileWriter is real
    with pytest.raises(ValueError, match='not installed'):
        fake.uninstall()


def test_event_file_readers(tmp_path):
    assert testing.latest_event_file(str(tmp_path)) is None
    assert list(testing.latest_events(str(tmp_path))) == []
    with tf.Graph().as_default():
        file_writer = tf.summary.FileWriter(str(tmp_path))
        for step, loss in ((1, 2.0), (3, 0.5), (2, 1.0)):
            file_writer.add_summary(scalar_summary('loss', loss), step)
        file_writer.add_summary(tf.Summary(value=[tf.Summary.Value(
            tag='picture', image=tf.Summary.Image(height=1, width=1))]), 4)
        file_writer.close()
    summaries = testing.latest_summaries(str(tmp_path))
    assert len(summaries) == 4
    # The value at the latest step, whatever the order written.
    assert testing.simple_values_from_events(summaries, ['loss']) == {'loss': 0.5}
    with pytest.raises(ValueError, match='Summary for picture is not a simple_value'):
        testing.simple_values_from_events(summaries, ['picture'])
    proto = testing.to_summary_proto(scalar_summary('loss', 0.25).SerializeToString())
    testing.assert_summary(['loss'], {'loss': 0.25}, proto)
    with pytest.raises(ValueError, match=r"Expected tags \{'acc'\}, got \{'loss'\}"):
        testing.assert_summary(['acc'], {}, proto)
    with pytest.raises(AssertionError):
        testing.assert_summary(['loss'], {'loss': 0.5}, proto)
    assert np.isclose(summaries[1].summary.value[0].simple_value, 0.5)
    module = tf1_api.contrib.testing.python.framework.util_test
    assert module.latest_summaries is testing.latest_summaries
