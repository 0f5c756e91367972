"""A Dataset specification: where the records are, how to read and decode them, how many
there are and what each item is; dataset-specific fields (num_classes, labels_to_names ...)
are kept as attributes too."""


class Dataset(object):
    """data_sources (files or patterns), reader (a reader class such as TFRecordReader),
    decoder (a data_decoder.DataDecoder), num_samples, items_to_descriptions, and any
    other keyword fields."""

    def __init__(self, data_sources, reader, decoder, num_samples, items_to_descriptions,
                 **kwargs):
        kwargs.update(data_sources=data_sources, reader=reader, decoder=decoder,
                      num_samples=num_samples, items_to_descriptions=items_to_descriptions)
        self.__dict__.update(kwargs)
