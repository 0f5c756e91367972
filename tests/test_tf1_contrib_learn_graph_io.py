"""tf.contrib.learn.io's queue-based readers (TF 1.0-1.15's graph_io): records from files in
order or shuffled, keyed, parsed into features, batched by queue runners, as input_fns for
contrib.learn's Estimator. (TF 1.15's own graph_io_test passes too, run by hand.)"""
import numpy as np
import pytest
import tensorflow.compat.v1 as tf

from tf1 import contrib_learn_graph_io as graph_io
from tf1.api import tensorflow as tf1_api
from tf1.contrib_learn_estimator import Estimator, ModelFnOps

tf.disable_v2_behavior()


def example(x, label, words):
    feature = {'x': tf.train.Feature(float_list=tf.train.FloatList(value=[x])),
               'label': tf.train.Feature(int64_list=tf.train.Int64List(value=[label])),
               'words': tf.train.Feature(bytes_list=tf.train.BytesList(value=words))}
    return tf.train.Example(features=tf.train.Features(feature=feature)).SerializeToString()


def write_records(path, count):
    with tf.python_io.TFRecordWriter(str(path)) as writer:
        for i in range(count):
            writer.write(example(float(i), i % 2, [b'w%d' % j for j in range(i % 3)]))
    return str(path)


FEATURES = {'x': tf.FixedLenFeature([1], tf.float32),
            'label': tf.FixedLenFeature([1], tf.int64),
            'words': tf.VarLenFeature(tf.string)}


def drain(fetch):
    """Every batch the queues give until they run out (one epoch)."""
    batches = []
    with tf.Session() as sess:
        sess.run([tf.local_variables_initializer(), tf.global_variables_initializer()])
        coord = tf.train.Coordinator()
        threads = tf.train.start_queue_runners(sess, coord)
        try:
            while True:
                batches.append(sess.run(fetch))
        except tf.errors.OutOfRangeError:
            pass
        coord.request_stop()
        coord.join(threads)
    return batches


def test_record_features_in_order_with_the_last_batch_smaller(tmp_path):
    path = write_records(tmp_path / 'data.tfrecord', 7)
    with tf.Graph().as_default():
        features = graph_io.read_batch_record_features(path, 3, FEATURES,
                                                       randomize_input=False, num_epochs=1)
        batches = drain(features)
    # Read in order, batched in order; two threads then parse the batches (TF 1.x's
    # num_enqueue_threads=2), so two batches may come out swapped, as under TF 1.x.
    batches.sort(key=lambda batch: batch['x'][0, 0])
    assert [b['x'][:, 0].tolist() for b in batches] == [[0, 1, 2], [3, 4, 5], [6]]
    assert batches[0]['label'][:, 0].tolist() == [0, 1, 0]
    words = batches[0]['words']                          # sparse: row i has i % 3 words
    assert words.values.tolist() == [b'w0', b'w0', b'w1'] and words.dense_shape[0] == 3


def test_keyed_text_lines_from_several_files_shuffled(tmp_path):
    for name, lines in (('a.txt', 'A\nB\nC\n'), ('b.txt', 'D\nE\n')):
        (tmp_path / name).write_text(lines)
    with tf.Graph().as_default():
        keys, lines = graph_io.read_keyed_batch_examples(
            str(tmp_path / '*.txt'), 2, tf.TextLineReader, num_epochs=1, seed=3)
        batches = drain([keys, lines])
    read = sorted(zip(np.concatenate([k for k, _ in batches]),
                      np.concatenate([v for _, v in batches])))
    assert [line for _, line in read] == [b'A', b'B', b'C', b'D', b'E']
    assert read[0][0].decode().endswith('a.txt:1')      # 'file:line number'


def test_workers_on_one_server_share_the_file_queue(tmp_path):
    files = []
    for i, line in enumerate(['ABC', 'DEF', 'GHI']):
        files.append(str(tmp_path / ('%d.txt' % i)))
        (tmp_path / ('%d.txt' % i)).write_text(line + '\n')
    server = tf.train.Server.create_local_server()
    taken = []
    for worker in range(2):
        with tf.Graph().as_default() as graph, tf.Session(server.target, graph=graph) as sess:
            _, lines = graph_io.read_keyed_batch_examples_shared_queue(
                files, 1, tf.TextLineReader, randomize_input=False, num_epochs=1,
                queue_capacity=5, name='my_batch')
            if worker == 0:
                sess.run(tf.local_variables_initializer())
            runners = {r.queue.name: r for r in tf.get_collection(tf.GraphKeys.QUEUE_RUNNERS)}
            sess.run(runners['my_batch/file_name_queue/fifo_queue'].enqueue_ops[0])
            sess.run(runners['my_batch/fifo_queue'].enqueue_ops[0])
            taken.append(sess.run(lines).tolist())
    assert taken == [[b'ABC'], [b'DEF']]                 # the second worker went on


def test_an_estimator_trains_from_read_batch_features(tmp_path):
    path = write_records(tmp_path / 'data.tfrecord', 64)

    def input_fn():
        features = tf1_api.contrib.learn.read_batch_features(
            path, 16, {'x': FEATURES['x'], 'label': FEATURES['label']}, tf.TFRecordReader)
        return {'x': features['x']}, features['label']

    def model_fn(features, labels, mode):
        w = tf.get_variable('w', [1, 1])
        loss = tf.reduce_mean(tf.square(features['x'] * w - tf.cast(labels, tf.float32)))
        train = tf.train.GradientDescentOptimizer(1e-4).minimize(
            loss, tf.train.get_global_step())
        return ModelFnOps(mode, predictions={'y': features['x'] * w}, loss=loss, train_op=train)
    estimator = Estimator(model_fn=model_fn, model_dir=str(tmp_path / 'model'))
    estimator.fit(input_fn=input_fn, steps=5)
    assert estimator.get_variable_value('global_step') == 5


@pytest.mark.parametrize('arguments, message', [
    (dict(file_pattern='/nonexistent/*.tfrecord'), 'No files match /nonexistent'),
    (dict(file_pattern=[]), 'No files given'),
    (dict(batch_size=20000), 'Invalid batch_size 20000, with queue_capacity 10000'),
    (dict(num_epochs=0), 'Invalid num_epochs 0'),
])
def test_bad_arguments_are_tf1s_errors(tmp_path, arguments, message):
    path = write_records(tmp_path / 'data.tfrecord', 2)
    call = dict(file_pattern=path, batch_size=2, reader=tf.TFRecordReader)
    call.update(arguments)
    with tf.Graph().as_default(), pytest.raises(ValueError, match=message):
        graph_io.read_batch_examples(**call)


def test_graph_actions_run_tensors_with_their_inputs_started(tmp_path):
    """run_n, run_feeds and infer (TF 1.0-1.15's graph_actions): a session of their own
    initializes the variables or restores them, and starts the queue runners (TensorLayer's
    tfrecord tutorial reads its first examples so)."""
    learn = tf1_api.contrib.learn
    path = write_records(tmp_path / 'data.tfrecords', 4)
    with tf.Graph().as_default():
        features = graph_io.read_batch_features(path, 2, FEATURES, tf.TFRecordReader,
                                                randomize_input=False, num_epochs=1)
        scale = tf.Variable(3.0, name='scale')
        fed = tf.placeholder(tf.float32, [])
        batches = learn.run_n({'x': features['x'] * scale}, n=2)
        runs = learn.run_feeds({'y': fed * scale}, [{fed: 1.0}, {fed: 2.0}])
        with tf.Session() as sess:
            sess.run(scale.assign(5.0))
            saved = tf.train.Saver([scale]).save(sess, str(tmp_path / 'model'))
        restored = learn.graph_actions.infer(saved, {'y': fed * scale}, {fed: 2.0})
    # Two enqueue threads (read_batch_features' default, as TF 1.x's) may swap the batches.
    assert sorted(batch['x'].ravel().tolist() for batch in batches) == [[0.0, 3.0], [6.0, 9.0]]
    assert [run['y'] for run in runs] == [3.0, 6.0] and restored['y'] == 10.0
    with pytest.raises(ValueError, match='output_dict is invalid'):
        learn.run_n({})
