"""tf1's slim.data, TF-Slim's input pipeline: digits written to TFRecord files (raw and PNG,
as TF-Slim's MNIST converter writes them) come back from a Dataset through
DatasetDataProvider, parallel readers and a prefetch queue exactly as they went in; the
item handlers against the values they were given; and TF 1.x's errors."""
import io

import numpy as np
import pytest
import tensorflow.compat.v1 as tf

from tf1 import slim
from tf1.api import tensorflow as tf1_api

tf.disable_v2_behavior()

RNG = np.random.RandomState(5)
DIGITS = RNG.randint(0, 256, size=(12, 28, 28, 1)).astype(np.uint8)
LABELS = RNG.randint(0, 10, size=12)
decoder = slim.tfexample_decoder

pytestmark = pytest.mark.usefixtures('fresh_graph')  # conftest.py


def png(image):
    with tf.Graph().as_default(), tf.Session() as session:
        return session.run(tf.image.encode_png(image))


def write_records(path, images, labels, encode):
    """TF-Slim's MNIST records: image/encoded, image/format, image/class/label."""
    with tf.python_io.TFRecordWriter(str(path)) as writer:
        for image, label in zip(images, labels):
            data, kind = (png(image), b'png') if encode else (image.tobytes(), b'raw')
            writer.write(tf.train.Example(features=tf.train.Features(feature={
                'image/encoded': tf.train.Feature(bytes_list=tf.train.BytesList(value=[data])),
                'image/format': tf.train.Feature(bytes_list=tf.train.BytesList(value=[kind])),
                'image/class/label': tf.train.Feature(
                    int64_list=tf.train.Int64List(value=[label]))})).SerializeToString())


def mnist_dataset(sources, num_samples):
    keys_to_features = {
        'image/encoded': tf.FixedLenFeature((), tf.string, default_value=''),
        'image/format': tf.FixedLenFeature((), tf.string, default_value='raw'),
        'image/class/label': tf.FixedLenFeature([1], tf.int64,
                                                default_value=tf.zeros([1], tf.int64))}
    items_to_handlers = {'image': decoder.Image(shape=[28, 28, 1], channels=1),
                         'label': decoder.Tensor('image/class/label', shape=[])}
    return slim.dataset.Dataset(
        data_sources=sources, reader=tf.TFRecordReader,
        decoder=decoder.TFExampleDecoder(keys_to_features, items_to_handlers),
        num_samples=num_samples, items_to_descriptions={'image': 'a digit'}, num_classes=10)


def read_all(tensors, count):
    with tf.Session() as session:
        session.run([tf.global_variables_initializer(), tf.local_variables_initializer()])
        with slim.queues.QueueRunners(session):
            return [session.run(tensors) for _ in range(count)]


def test_a_dataset_of_raw_and_png_records_reads_back_exactly(tmp_path):
    write_records(tmp_path / 'raw.tfrecord', DIGITS[:6], LABELS[:6], encode=False)
    write_records(tmp_path / 'png.tfrecord', DIGITS[6:], LABELS[6:], encode=True)
    dataset = mnist_dataset(str(tmp_path / '*.tfrecord'), 12)
    assert dataset.num_classes == 10  # a dataset's own fields stay attributes
    provider = slim.dataset_data_provider.DatasetDataProvider(
        dataset, num_readers=2, shuffle=True, num_epochs=1, seed=3)
    assert provider.num_samples() == 12
    image, label, key = provider.get(['image', 'label', 'record_key'])
    assert image.shape.as_list() == [28, 28, 1] and image.dtype == tf.uint8
    records = read_all([image, label, key], 12)
    got = sorted((int(lab), img.tobytes()) for img, lab, _ in records)
    assert got == sorted((int(lab), img.tobytes()) for img, lab in zip(DIGITS, LABELS))
    assert len({k for _, _, k in records}) == 12  # each record once: file:index keys
    with pytest.raises(ValueError, match=r'Item \[labels\] is invalid'):
        provider.get(['labels'])


def test_unshuffled_single_reader_keeps_the_file_order_and_prefetches(tmp_path):
    write_records(tmp_path / 'raw.tfrecord', DIGITS, LABELS, encode=False)
    provider = slim.dataset_data_provider.DatasetDataProvider(
        mnist_dataset(str(tmp_path / 'raw.tfrecord'), 12), shuffle=False)
    image, label = provider.get(['image', 'label'])
    images, labels = tf.train.batch([image, label], batch_size=4)
    queue = slim.prefetch_queue.prefetch_queue({'images': images, 'labels': labels},
                                               capacity=2)
    batches = read_all(queue.dequeue(), 3)
    np.testing.assert_array_equal(np.concatenate([b['images'] for b in batches]), DIGITS)
    np.testing.assert_array_equal(np.concatenate([b['labels'] for b in batches]), LABELS)
    summaries = [op.name for op in tf.get_default_graph().get_operations()
                 if op.type == 'ScalarSummary']
    assert any(name.endswith('fraction_of_2_full') for name in summaries)


def test_item_handlers_make_their_items(evaluate):
    keys_to_tensors = {
        'values': tf.constant([1.0, 2.0, 3.0, 4.0, 5.0, 6.0]),
        'h': tf.constant([2], tf.int64), 'w': tf.constant([3], tf.int64),
        'ymin': tf.constant([0.1, 0.2]), 'xmin': tf.constant([0.3, 0.4]),
        'ymax': tf.constant([0.5, 0.6]), 'xmax': tf.constant([0.7, 0.8]),
        'ids': tf.SparseTensor([[0], [1]], tf.constant([1, 4], tf.int64), [2]),
        'weights': tf.SparseTensor([[0], [1]], [0.25, 0.5], [2]),
        'empty': tf.zeros([0]), 'backup': tf.ones([2])}
    reshaped = decoder.Tensor('values', shape_keys=['h', 'w']).tensors_to_item(keys_to_tensors)
    boxes = decoder.BoundingBox().tensors_to_item(keys_to_tensors)
    sparse = decoder.SparseTensor('ids', 'weights', shape=[6], densify=True)
    backed = decoder.BackupHandler(decoder.Tensor('empty'), decoder.Tensor('backup'))
    called = decoder.ItemHandlerCallback(['h', 'w'], lambda t: t['h'] * t['w'])
    got = evaluate(reshaped, boxes, sparse.tensors_to_item(keys_to_tensors),
                   backed.tensors_to_item(keys_to_tensors),
                   called.tensors_to_item(keys_to_tensors))
    np.testing.assert_array_equal(got[0], [[1, 2, 3], [4, 5, 6]])
    np.testing.assert_allclose(got[1], [[0.1, 0.3, 0.5, 0.7], [0.2, 0.4, 0.6, 0.8]])
    np.testing.assert_allclose(got[2], [0, 0.25, 0, 0, 0.5, 0])  # weight at each id
    np.testing.assert_array_equal(got[3], [1, 1])
    assert got[4].tolist() == [6]
    with pytest.raises(ValueError, match='Cannot specify both shape_keys and shape'):
        decoder.Tensor('values', shape_keys=['h'], shape=[2])
    with pytest.raises(ValueError, match='BoundingBox expects 4 keys but got 2'):
        decoder.BoundingBox(keys=['a', 'b'])


def test_errors_are_tf_1_xs(tmp_path):
    with pytest.raises(ValueError, match='No data files found in'):
        slim.parallel_reader.get_data_files(str(tmp_path / 'none-*.tfrecord'))
    with pytest.raises(TypeError, match=r'common_queue.dtypes must be \[tf.string, '):
        slim.parallel_reader.ParallelReader(tf.TFRecordReader, tf.FIFOQueue(4, [tf.int32]))
    write_records(tmp_path / 'raw.tfrecord', DIGITS[:1], LABELS[:1], encode=False)
    with pytest.raises(ValueError, match='`record_key` cannot also be used for a dataset '
                                         'item: image'):
        slim.dataset_data_provider.DatasetDataProvider(
            mnist_dataset(str(tmp_path / 'raw.tfrecord'), 1), record_key='image')


def test_tf_1_x_paths_reach_it():
    contrib_slim = tf1_api.contrib.slim
    assert contrib_slim.tfexample_decoder.TFExampleDecoder is decoder.TFExampleDecoder
    assert (contrib_slim.python.slim.data.parallel_reader.parallel_read is
            slim.parallel_reader.parallel_read)
    assert contrib_slim.prefetch_queue.prefetch_queue is slim.prefetch_queue.prefetch_queue
