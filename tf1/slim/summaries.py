"""slim.summaries: one summary per tensor, named after its op (with a prefix), as TF 1.x's
tensorflow/contrib/slim/python/slim/summaries.py made them. `print_summary` also prints
the value to stderr (tf.Print) whenever the summary is computed."""
import tensorflow.compat.v1 as tf

__all__ = ['add_histogram_summaries', 'add_histogram_summary', 'add_image_summaries',
           'add_image_summary', 'add_scalar_summaries', 'add_scalar_summary',
           'add_zero_fraction_summaries', 'add_zero_fraction_summary']


def _summary_name(tensor, name=None, prefix=None, postfix=None):
    """`name` (the tensor's op name when none), as prefix/name/postfix."""
    name = name or tensor.op.name
    if prefix:
        name = prefix + '/' + name
    if postfix:
        name = name + '/' + postfix
    return name


def _printing(summary_function, tensor, name, print_summary):
    """The summary op; when printing, a tf.Print of it is what joins SUMMARIES."""
    op = summary_function(name, tensor, collections=[] if print_summary else None)
    if print_summary:
        op = tf.Print(op, [tensor], name)
        tf.add_to_collection(tf.GraphKeys.SUMMARIES, op)
    return op


def add_histogram_summary(tensor, name=None, prefix=None):
    return tf.summary.histogram(_summary_name(tensor, name, prefix), tensor)


def add_image_summary(tensor, name=None, prefix=None, print_summary=False):
    """`tensor`: [batch, height, width, channels]."""
    return _printing(tf.summary.image, tensor, _summary_name(tensor, name, prefix),
                     print_summary)


def add_scalar_summary(tensor, name=None, prefix=None, print_summary=False):
    return _printing(tf.summary.scalar, tensor, _summary_name(tensor, name, prefix),
                     print_summary)


def add_zero_fraction_summary(tensor, name=None, prefix=None, print_summary=False):
    """The fraction of `tensor`'s values that are zero, as '<name>/Fraction_of_Zero_Values'."""
    name = _summary_name(tensor, name, prefix, 'Fraction_of_Zero_Values')
    return add_scalar_summary(tf.nn.zero_fraction(tensor), name, print_summary=print_summary)


def add_histogram_summaries(tensors, prefix=None):
    return [add_histogram_summary(tensor, prefix=prefix) for tensor in tensors]


def add_image_summaries(tensors, prefix=None):
    return [add_image_summary(tensor, prefix=prefix) for tensor in tensors]


def add_scalar_summaries(tensors, prefix=None, print_summary=False):
    return [add_scalar_summary(tensor, prefix=prefix, print_summary=print_summary)
            for tensor in tensors]


def add_zero_fraction_summaries(tensors, prefix=None):
    return [add_zero_fraction_summary(tensor, prefix=prefix) for tensor in tensors]
