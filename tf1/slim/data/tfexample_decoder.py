"""Decoding tf.Example (and tf.SequenceExample) records into items.

A TFExampleDecoder parses a record with its `keys_to_features` (tf.FixedLenFeature,
tf.VarLenFeature ...), then hands each item's handler the parsed tensors of the keys it
asks for; the handler makes the item:

    keys_to_features = {'image/encoded': tf.FixedLenFeature((), tf.string, default_value=''),
                        'image/format': tf.FixedLenFeature((), tf.string, default_value='raw'),
                        'image/class/label': tf.FixedLenFeature([1], tf.int64)}
    items_to_handlers = {'image': tfexample_decoder.Image(shape=[28, 28, 1], channels=1),
                         'label': tfexample_decoder.Tensor('image/class/label', shape=[])}
    decoder = tfexample_decoder.TFExampleDecoder(keys_to_features, items_to_handlers)
"""
import abc

import tensorflow.compat.v1 as tf

from tf1.slim.data import data_decoder


class ItemHandler(abc.ABC):
    """Makes one item from the parsed tensors of its `keys`."""

    def __init__(self, keys):
        self._keys = keys if isinstance(keys, (tuple, list)) else [keys]

    @property
    def keys(self):
        return self._keys

    @abc.abstractmethod
    def tensors_to_item(self, keys_to_tensors):
        """The item, from {key: parsed tensor} for this handler's keys."""


class ItemHandlerCallback(ItemHandler):
    """The item is func({key: tensor})."""

    def __init__(self, keys, func):
        super(ItemHandlerCallback, self).__init__(keys)
        self._func = func

    def tensors_to_item(self, keys_to_tensors):
        return self._func(keys_to_tensors)


class Tensor(ItemHandler):
    """One parsed tensor, made dense (missing values `default_value`) and reshaped to
    `shape`, or to the shape the tensors of `shape_keys` hold (not both)."""

    def __init__(self, tensor_key, shape_keys=None, shape=None, default_value=0):
        if shape_keys and shape is not None:
            raise ValueError('Cannot specify both shape_keys and shape parameters.')
        if shape_keys and not isinstance(shape_keys, list):
            shape_keys = [shape_keys]
        self._tensor_key = tensor_key
        self._shape_keys = shape_keys
        self._shape = shape
        self._default_value = default_value
        super(Tensor, self).__init__([tensor_key] + list(shape_keys or []))

    def tensors_to_item(self, keys_to_tensors):
        tensor = keys_to_tensors[self._tensor_key]
        shape = self._shape
        if self._shape_keys:
            shape = tf.reshape(tf.stack([_dense(keys_to_tensors[key])
                                         for key in self._shape_keys]), [-1])
        if isinstance(tensor, tf.SparseTensor):
            if shape is not None:
                tensor = tf.sparse_reshape(tensor, shape)
            return tf.sparse_tensor_to_dense(tensor, self._default_value)
        return tensor if shape is None else tf.reshape(tensor, shape)


class LookupTensor(Tensor):
    """A Tensor item mapped through `table` (a lookup table, e.g. of label names)."""

    def __init__(self, tensor_key, table, shape_keys=None, shape=None, default_value=''):
        self._table = table
        super(LookupTensor, self).__init__(tensor_key, shape_keys, shape, default_value)

    def tensors_to_item(self, keys_to_tensors):
        return self._table.lookup(super(LookupTensor, self).tensors_to_item(keys_to_tensors))


class BackupHandler(ItemHandler):
    """`handler`'s item, or `backup`'s where that one is empty."""

    def __init__(self, handler, backup):
        if not isinstance(handler, ItemHandler):
            raise ValueError('Primary handler is of type %s instead of ItemHandler'
                             % type(handler))
        if not isinstance(backup, ItemHandler):
            raise ValueError('Backup handler is of type %s instead of ItemHandler'
                             % type(backup))
        self._handler = handler
        self._backup = backup
        super(BackupHandler, self).__init__(handler.keys + backup.keys)

    def tensors_to_item(self, keys_to_tensors):
        item = self._handler.tensors_to_item(keys_to_tensors)
        return tf.cond(tf.equal(tf.reduce_prod(tf.shape(item)), 0),
                       lambda: self._backup.tensors_to_item(keys_to_tensors),
                       lambda: item)


class BoundingBox(ItemHandler):
    """Boxes [num_boxes, 4] from four parsed lists, by default `prefix` + ymin, xmin,
    ymax, xmax."""

    def __init__(self, keys=None, prefix=''):
        if keys is None:
            keys = ['ymin', 'xmin', 'ymax', 'xmax']
        elif len(keys) != 4:
            raise ValueError('BoundingBox expects 4 keys but got {}'.format(len(keys)))
        self._prefix = prefix
        self._full_keys = [prefix + key for key in keys]
        super(BoundingBox, self).__init__(self._full_keys)

    def tensors_to_item(self, keys_to_tensors):
        sides = []
        for key in self._full_keys:
            side = keys_to_tensors[key]
            if isinstance(side, tf.SparseTensor):
                side = side.values
            sides.append(tf.expand_dims(side, 0))
        return tf.transpose(tf.concat(sides, 0))


class SparseTensor(ItemHandler):
    """A SparseTensor whose last index is the id each value's parsed `indices` holds (so
    a list of ids and a list of values make a sparse row); its shape from `shape_key`,
    `shape`, or the indices'; made dense when densify (missing values default_value)."""

    def __init__(self, indices_key=None, values_key=None, shape_key=None, shape=None,
                 densify=False, default_value=0):
        self._indices_key = indices_key or 'indices'
        self._values_key = values_key or 'values'
        self._shape_key = shape_key
        self._shape = shape
        self._densify = densify
        self._default_value = default_value
        super(SparseTensor, self).__init__(
            [self._indices_key, self._values_key] + ([shape_key] if shape_key else []))

    def tensors_to_item(self, keys_to_tensors):
        indices = keys_to_tensors[self._indices_key]
        values = keys_to_tensors[self._values_key]
        if self._shape_key:
            shape = _dense(keys_to_tensors[self._shape_key])
        elif self._shape:
            shape = self._shape
        else:
            shape = indices.dense_shape
        rank = tf.shape(indices.indices)[1]
        ids = tf.cast(indices.values, tf.int64)
        kept_columns = tf.slice(indices.indices, [0, 0], tf.stack([-1, rank - 1]))
        new_indices = tf.concat([kept_columns, tf.reshape(ids, [-1, 1])], 1)
        tensor = tf.SparseTensor(new_indices, values.values, shape)
        if self._densify:
            tensor = tf.sparse_tensor_to_dense(tensor, self._default_value)
        return tensor


class Image(ItemHandler):
    """An image decoded from its encoded bytes (`image_key`) by its format (`format_key`):
    raw bytes of `dtype` for 'raw' or 'RAW', else JPEG (with dct_method) or any format
    tf.image.decode_image knows (PNG, GIF, BMP); `channels` channels, cast to `dtype`,
    reshaped to `shape` if given. repeated=True decodes a list of images."""

    def __init__(self, image_key=None, format_key=None, shape=None, channels=3,
                 dtype=tf.uint8, repeated=False, dct_method=''):
        self._image_key = image_key or 'image/encoded'
        self._format_key = format_key or 'image/format'
        super(Image, self).__init__([self._image_key, self._format_key])
        self._shape = shape
        self._channels = channels
        self._dtype = dtype
        self._repeated = repeated
        self._dct_method = dct_method

    def tensors_to_item(self, keys_to_tensors):
        image_buffer = keys_to_tensors[self._image_key]
        image_format = keys_to_tensors[self._format_key]
        if self._repeated:
            return tf.map_fn(lambda buffer: self._decode(buffer, image_format), image_buffer,
                             dtype=self._dtype)
        return self._decode(image_buffer, image_format)

    def _decode(self, image_buffer, image_format):
        def decode_image():
            return tf.cast(tf.image.decode_image(image_buffer, channels=self._channels),
                           self._dtype)

        def decode_jpeg():
            return tf.cast(tf.image.decode_jpeg(image_buffer, channels=self._channels,
                                                dct_method=self._dct_method), self._dtype)

        def check_jpeg():
            return tf.cond(tf.image.is_jpeg(image_buffer), decode_jpeg, decode_image,
                           name='cond_jpeg')

        def decode_raw():
            return tf.decode_raw(image_buffer, out_type=self._dtype)

        is_raw = tf.logical_or(tf.equal(image_format, 'raw'), tf.equal(image_format, 'RAW'))
        image = tf.case([(is_raw, decode_raw)], default=check_jpeg, exclusive=True)
        image.set_shape([None, None, self._channels])
        if self._shape is not None:
            image = tf.reshape(image, self._shape)
        return image


class _SparseSidesSequence(ItemHandler):
    """An item of a sequence stacked from several parsed sparse [frames, n] lists (the
    `_sides`, each behind `prefix`) along a new last axis: dense, padded with
    default_value, unless return_dense=False."""

    _sides = ()

    def __init__(self, keys=None, prefix=None, return_dense=True, default_value=-1.0):
        if keys is None:
            keys = list(self._sides)
        elif len(keys) != len(self._sides):
            raise ValueError('{} expects {} keys but got {}'.format(
                type(self).__name__, len(self._sides), len(keys)))
        self._full_keys = [prefix + key for key in keys]
        self._return_dense = return_dense
        self._default_value = default_value
        super(_SparseSidesSequence, self).__init__(self._full_keys)

    def tensors_to_item(self, keys_to_tensors):
        sides = []
        for key in self._full_keys:
            value = keys_to_tensors[key]
            expanded = tf.concat([tf.cast(tf.shape(value), tf.int64),
                                  tf.constant([1], dtype=tf.int64)], 0)
            sides.append(tf.sparse_reshape(value, expanded))
        stacked = tf.sparse_concat(2, sides)
        if self._return_dense:
            return tf.sparse_tensor_to_dense(stacked, default_value=self._default_value)
        return stacked


class BoundingBoxSequence(_SparseSidesSequence):
    """Boxes of a sequence: [num_frames, max_boxes, 4]."""

    _sides = ('ymin', 'xmin', 'ymax', 'xmax')


class KeypointsSequence(_SparseSidesSequence):
    """Keypoints of a sequence: [num_frames, max_points, 2]."""

    _sides = ('y', 'x')


class NumBoxesSequence(ItemHandler):
    """The number of boxes in each frame, from the first key's sparse tensor; with
    check_consistency, asserts that every key's gives the same."""

    def __init__(self, keys=None, check_consistency=True):
        if not keys:
            raise ValueError('keys must not be empty.')
        self._check_consistency = check_consistency
        super(NumBoxesSequence, self).__init__(keys)

    def tensors_to_item(self, keys_to_tensors):
        num_boxes = _num_boxes(keys_to_tensors[self._keys[0]])
        asserts = []
        if self._check_consistency:
            asserts = [tf.assert_equal(num_boxes, _num_boxes(keys_to_tensors[key]))
                       for key in self._keys[1:]]
        with tf.control_dependencies(asserts):
            return tf.identity(num_boxes)


def _dense(tensor):
    return tf.sparse_tensor_to_dense(tensor) if isinstance(tensor, tf.SparseTensor) else tensor


def _num_boxes(tensor):
    """Per frame (row), one more than the largest box index of a sparse [frames, boxes]."""
    if not isinstance(tensor, tf.SparseTensor):
        raise ValueError('tensor must be of type tf.SparseTensor.')
    box_ids = tf.SparseTensor(indices=tensor.indices, values=tensor.indices[:, 1],
                              dense_shape=tensor.dense_shape)
    box_ids = tf.sparse_tensor_to_dense(box_ids, default_value=-1)
    return tf.reduce_max(tf.pad(box_ids + 1, [[0, 0], [0, 1]]), axis=1)


class TFExampleDecoder(data_decoder.DataDecoder):
    """Parses a serialized tf.Example with `keys_to_features` (FixedLenFeature values
    reshaped to their feature's shape) and makes each item with its handler in
    `items_to_handlers`."""

    def __init__(self, keys_to_features, items_to_handlers):
        self._keys_to_features = keys_to_features
        self._items_to_handlers = items_to_handlers

    def list_items(self):
        return list(self._items_to_handlers.keys())

    def decode(self, serialized_example, items=None):
        """The tensors of `items` (all of them by default), in their order."""
        example = tf.parse_single_example(serialized_example, self._keys_to_features)
        for key in sorted(self._keys_to_features):
            feature = self._keys_to_features[key]
            if isinstance(feature, tf.FixedLenFeature):
                example[key] = tf.reshape(example[key], feature.shape)
        return _items(self._items_to_handlers, items, example.__getitem__)


class TFSequenceExampleDecoder(data_decoder.DataDecoder):
    """Parses a serialized tf.SequenceExample: its context with
    `keys_to_context_features`, its feature lists with `keys_to_sequence_features` (the
    keys of the two unique), then makes each item as TFExampleDecoder does."""

    def __init__(self, keys_to_context_features, keys_to_sequence_features,
                 items_to_handlers):
        if set(keys_to_context_features) & set(keys_to_sequence_features):
            raise ValueError('Context and sequence keys are not unique. \n Context keys: %s '
                             '\n Sequence keys: %s' % (list(keys_to_context_features.keys()),
                                                       list(keys_to_sequence_features.keys())))
        self._keys_to_context_features = keys_to_context_features
        self._keys_to_sequence_features = keys_to_sequence_features
        self._items_to_handlers = items_to_handlers

    def list_items(self):
        return self._items_to_handlers.keys()

    def decode(self, serialized_example, items=None):
        context, feature_list = tf.parse_single_sequence_example(
            serialized_example, self._keys_to_context_features,
            self._keys_to_sequence_features)
        for key, feature in self._keys_to_context_features.items():
            if isinstance(feature, tf.FixedLenFeature):
                context[key] = tf.reshape(context[key], feature.shape)
        return _items(self._items_to_handlers, items,
                      lambda key: context[key] if key in context else feature_list[key])


def _items(items_to_handlers, items, tensor_of):
    """Each of `items` (all by default) made by its handler from tensor_of(key)."""
    return [items_to_handlers[item].tensors_to_item(
        {key: tensor_of(key) for key in items_to_handlers[item].keys})
        for item in (items or items_to_handlers.keys())]
