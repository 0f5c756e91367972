"""slim's input pipeline, as TF 1.x had it (tensorflow/contrib/slim/python/slim/data), the
one TF-Slim's image classification library reads its TFRecords with:

    dataset = slim.dataset.Dataset(data_sources='mnist_train.tfrecord',
                                   reader=tf.TFRecordReader, decoder=decoder, num_samples=60000,
                                   items_to_descriptions={...}, num_classes=10)
    provider = slim.dataset_data_provider.DatasetDataProvider(dataset, num_readers=4)
    image, label = provider.get(['image', 'label'])

- dataset: the Dataset specification (its extra keyword fields kept as attributes);
- data_decoder, data_provider: the two interfaces; dataset_data_provider: the provider
  that reads a Dataset with parallel_reader and decodes each record;
- tfexample_decoder: tf.Example and tf.SequenceExample records decoded into items by item
  handlers (Tensor, Image, BoundingBox, SparseTensor ...);
- parallel_reader: several readers filling one (shuffling) queue;
- prefetch_queue: a queue that assembles batches ahead of the training step.

All of it is queue-based, as it was: the queue runners start with slim.learning.train's
Supervisor, tf.train.start_queue_runners or slim.queues.QueueRunners."""
from tf1.slim.data import (data_decoder, data_provider, dataset, dataset_data_provider,
                           parallel_reader, prefetch_queue, tfexample_decoder)

__all__ = ['data_decoder', 'data_provider', 'dataset', 'dataset_data_provider',
           'parallel_reader', 'prefetch_queue', 'tfexample_decoder']
