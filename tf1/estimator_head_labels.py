"""The logits and labels a canned head is given (estimator_head.py), checked as TF 1.x's
heads checked them: statically where the graph knows the shapes, when they run where it
does not; class ids from integer labels or a label vocabulary, checked to be in range."""
import tensorflow.compat.v1 as tf
from tensorflow.python.ops import lookup_ops


def check_logits(logits, dimension):
    """`logits`, their last dimension checked now, or when they run where it is unknown."""
    logits = tf.convert_to_tensor(logits)
    message = 'logits shape must be [D0, D1, ... DN, logits_dimension]'  # TF 1.x's words
    if logits.shape.ndims and tf.compat.dimension_value(logits.shape[-1]) not in (None, dimension):
        raise ValueError('%s, got %s.' % (message, logits.shape))
    return with_last_dimension(logits, dimension, message)


def with_last_dimension(tensor, dimension, message):
    """`tensor`, asserting its last dimension when it runs, where the graph doesn't know it
    (TF 1.x's heads did: the loss would broadcast mismatched labels and logits)."""
    if tensor.shape.ndims and tf.compat.dimension_value(tensor.shape[-1]) is not None:
        return tensor
    with tf.control_dependencies([tf.assert_equal(tf.shape(tensor)[-1], dimension,
                                                  message=message)]):
        return tf.identity(tensor)


def checked_labels(labels, logits, dimension):
    """Labels shaped [D0, ... DN, dimension] for logits [D0, ... DN, logits_dimension]
    (usually [batch, ...]); labels without the last axis get one, as TF 1.x's heads did."""
    if isinstance(labels, tf.SparseTensor):
        raise ValueError('SparseTensor labels are not supported: give dense labels.')
    labels = tf.convert_to_tensor(labels)
    if None not in (labels.shape.ndims, logits.shape.ndims) and (
            labels.shape.ndims == logits.shape.ndims - 1):
        labels = tf.expand_dims(labels, -1)
    last = tf.compat.dimension_value(labels.shape[-1]) if labels.shape.ndims else None
    if labels.shape.ndims is not None and (labels.shape.ndims < 2 or
                                           last not in (None, dimension)):
        raise ValueError('Mismatched label shape. Expected labels dimension=%s. Received %s.'
                         % (dimension, labels.shape))
    check = tf.assert_equal(tf.shape(labels)[:-1], tf.shape(logits)[:-1],
                            message='labels shape must equal logits shape except for the '
                                    'last dimension')
    with tf.control_dependencies([check]):
        return with_last_dimension(tf.identity(labels, name='labels'), dimension,
                                    'labels shape must be [D0, D1, ... DN, %s]' % dimension)


def label_ids(labels, n_classes, vocabulary):
    """Integer class ids in [0, n_classes) from integer labels or vocabulary strings."""
    if vocabulary is None:
        if not labels.dtype.is_integer:
            raise ValueError('Labels dtype should be integer. Instead got {}.'.format(
                labels.dtype))
        ids = labels
    else:
        if labels.dtype != tf.string:
            raise ValueError('Labels dtype should be string if there is a vocabulary. '
                             'Instead got {}'.format(labels.dtype))
        ids = lookup_ops.index_table_from_tensor(tuple(vocabulary),
                                                name='class_id_lookup').lookup(labels)
    return in_class_range(ids, n_classes)


def in_class_range(labels, n_classes):
    """`labels`, checked to be in [0, n_classes - 1] when the step runs."""
    checks = [tf.assert_less(labels, tf.cast(n_classes, labels.dtype),
                             message='Labels must be <= n_classes - 1'),
              tf.assert_non_negative(labels, message='Labels must be >= 0')]
    with tf.control_dependencies(checks):
        return tf.identity(labels)
