"""tf.nn's cross-entropy functions as TF 1.x guarded them. TF 1.0 swapped their arguments
(TF 0.x took `(logits, labels)`) and made the first one a `_sentinel`, so that an old
positional call `softmax_cross_entropy_with_logits(pred, y)` failed at once, on its own
line: "Only call `softmax_cross_entropy_with_logits` with named arguments". TF 2.x dropped
the sentinel: the same call runs with labels and logits swapped, and the script fails far
away ("No gradients provided for any variable") or trains on a wrong loss. tf1 puts the
guard back; everything else is TensorFlow's own function."""
import functools

import tensorflow.compat.v1 as tf

__all__ = ['sigmoid_cross_entropy_with_logits', 'softmax_cross_entropy_with_logits',
           'sparse_softmax_cross_entropy_with_logits']


def _named_arguments_only(function):
    """`function`, refusing positional labels and logits as TF 1.x's _ensure_xent_args
    did."""
    @functools.wraps(function)
    def guarded(_sentinel=None, labels=None, logits=None, **kwargs):
        if _sentinel is not None:
            raise ValueError('Only call `%s` with named arguments (labels=..., logits=..., '
                             '...)' % function.__name__)
        if labels is None or logits is None:
            raise ValueError('Both labels and logits must be provided.')
        return function(labels=labels, logits=logits, **kwargs)
    return guarded


sigmoid_cross_entropy_with_logits = _named_arguments_only(
    tf.nn.sigmoid_cross_entropy_with_logits)
softmax_cross_entropy_with_logits = _named_arguments_only(
    tf.nn.softmax_cross_entropy_with_logits)
sparse_softmax_cross_entropy_with_logits = _named_arguments_only(
    tf.nn.sparse_softmax_cross_entropy_with_logits)
