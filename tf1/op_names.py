"""Ops that TF 2.x names otherwise than TF 1.x did, built under TF 1.x's names: code fed and
fetched tensors by name (`sess.run(score, {'concat:0': logits})`: TF-GAN's tests)."""
import tensorflow.compat.v1 as tf


def concat(values, axis, name='concat'):
    """tf.concat; of one tensor, its identity named as the scope (`concat:0`), as TF 1.x
    named it (tensorflow/python/ops/array_ops.py), where TF 2.x names it inside the scope
    (`concat/concat:0`)."""
    if not isinstance(values, (list, tuple)):
        values = [values]
    if len(values) != 1:
        return tf.concat(values, axis, name=name)
    with tf.name_scope(name) as scope:
        # A throwaway conversion, as TF 1.x's: `axis` must be a scalar int32.
        tf.convert_to_tensor(axis, name='concat_dim', dtype=tf.int32).shape.assert_has_rank(0)
        return tf.identity(values[0], name=scope)
