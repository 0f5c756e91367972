"""Several readers (TFRecordReader ...) reading the files of a filename queue at once,
each enqueueing its (key, value) records into one common queue, which shuffles them when it
is a RandomShuffleQueue."""
import tensorflow.compat.v1 as tf


class ParallelReader(tf.ReaderBase):
    """num_readers instances of reader_class(**reader_kwargs) feeding `common_queue`
    (dtypes [tf.string, tf.string]); reading dequeues from it. A queue runner for the
    readers' enqueues goes to the QUEUE_RUNNERS collection."""

    def __init__(self, reader_class, common_queue, num_readers=4, reader_kwargs=None):
        # Not ReaderBase.__init__: this reader is made of readers, not of one reader op.
        if len(common_queue.dtypes) != 2 or not all(
                dtype.is_compatible_with(tf.string) for dtype in common_queue.dtypes):
            raise TypeError('common_queue.dtypes must be [tf.string, tf.string]')
        self._readers = [reader_class(**(reader_kwargs or {})) for _ in range(num_readers)]
        self._common_queue = common_queue

    @property
    def num_readers(self):
        return len(self._readers)

    @property
    def common_queue(self):
        return self._common_queue

    def read(self, queue, name=None):
        """The next (key, value) record of any reader; they read the files of `queue`."""
        self._configure_readers_by(queue)
        return self._common_queue.dequeue(name=name)

    def read_up_to(self, queue, num_records, name=None):
        """Up to num_records (keys, values), fewer at the end (a queue that cannot
        dequeue_up_to raises UnimplementedError)."""
        self._configure_readers_by(queue)
        return self._common_queue.dequeue_up_to(num_records, name)

    def _configure_readers_by(self, queue):
        enqueue_ops = [self._common_queue.enqueue(reader.read(queue))
                       for reader in self._readers]
        tf.train.add_queue_runner(tf.train.QueueRunner(self._common_queue, enqueue_ops))

    def num_records_produced(self, name=None):
        return tf.add_n([reader.num_records_produced() for reader in self._readers],
                        name=name)

    def num_work_units_completed(self, name=None):
        return tf.add_n([reader.num_work_units_completed() for reader in self._readers],
                        name=name)


def parallel_read(data_sources, reader_class, num_epochs=None, num_readers=4,
                  reader_kwargs=None, shuffle=True, dtypes=None, capacity=256,
                  min_after_dequeue=128, seed=None, scope=None):
    """(key, value) of the next record of `data_sources` (files, patterns, or a list of
    them), read by num_readers readers; shuffled files and records unless shuffle=False;
    num_epochs passes (None: for ever)."""
    data_files = get_data_files(data_sources)
    with tf.name_scope(scope, 'parallel_read'):
        filename_queue = tf.train.string_input_producer(
            data_files, num_epochs=num_epochs, shuffle=shuffle, seed=seed, name='filenames')
        dtypes = dtypes or [tf.string, tf.string]
        if shuffle:
            common_queue = tf.RandomShuffleQueue(
                capacity=capacity, min_after_dequeue=min_after_dequeue, dtypes=dtypes,
                seed=seed, name='common_queue')
        else:
            common_queue = tf.FIFOQueue(capacity=capacity, dtypes=dtypes,
                                        name='common_queue')
        tf.summary.scalar('fraction_of_%d_full' % capacity,
                          tf.cast(common_queue.size(), tf.float32) * (1. / capacity))
        return ParallelReader(reader_class, common_queue, num_readers=num_readers,
                              reader_kwargs=reader_kwargs).read(filename_queue)


def single_pass_read(data_sources, reader_class, reader_kwargs=None, scope=None):
    """(key, value) of the next record, reading the files once, in order, with one
    reader."""
    data_files = get_data_files(data_sources)
    with tf.name_scope(scope, 'single_pass_read'):
        filename_queue = tf.train.string_input_producer(
            data_files, num_epochs=1, shuffle=False, capacity=1, name='filenames')
        return reader_class(**(reader_kwargs or {})).read(filename_queue)


def get_data_files(data_sources):
    """The files `data_sources` names: a file, a glob pattern, or a list of them."""
    if isinstance(data_sources, (list, tuple)):
        data_files = []
        for source in data_sources:
            data_files += get_data_files(source)
    elif any(char in data_sources for char in '*?['):
        data_files = tf.gfile.Glob(data_sources)
    else:
        data_files = [data_sources]
    if not data_files:
        raise ValueError('No data files found in %s' % (data_sources,))
    return data_files
