"""tf.contrib.sparsemax as TF 1.15 had it (Martins & Astudillo 2016): sparsemax, the
Euclidean projection of the logits onto the probability simplex (a softmax whose answers
can be exactly zero), and its loss. Built from core ops, as TF 1.15's were; gradients by
TensorFlow's automatic differentiation."""
import tensorflow.compat.v1 as tf

__all__ = ['sparsemax', 'sparsemax_loss']


def sparsemax(logits, name=None):
    """max(logits - tau, 0) per row of [batch, classes] logits, tau chosen so that each row
    sums to 1; a row with NaN or +inf gives NaN, as softmax would."""
    with tf.name_scope(name, 'sparsemax', [logits]):
        z = tf.convert_to_tensor(logits, name='logits')
        rows, classes = tf.shape(z)[0], tf.shape(z)[1]
        z_sorted, _ = tf.nn.top_k(z, k=classes)
        z_cumsum = tf.cumsum(z_sorted, axis=1)
        k = tf.range(1, tf.cast(classes, z.dtype) + 1, dtype=z.dtype)
        # The support's size: how many of the sorted logits stay above the threshold.
        k_z = tf.reduce_sum(tf.cast(1 + k * z_sorted > z_cumsum, tf.int32), axis=1)
        # k_z is 0 only for invalid rows (inf, all -inf): kept at 1 here, NaN below.
        tau_sum = tf.gather_nd(z_cumsum, tf.stack([tf.range(rows), tf.maximum(k_z, 1) - 1], 1))
        tau = (tau_sum - 1) / tf.cast(k_z, z.dtype)
        p = tf.maximum(tf.cast(0, z.dtype), z - tau[:, tf.newaxis])
        invalid = tf.logical_or(tf.equal(k_z, 0), tf.is_nan(z_cumsum[:, -1]))
        return tf.where(invalid, tf.fill([rows, classes], tf.cast(float('nan'), z.dtype)), p)


def sparsemax_loss(logits, sparsemax, labels, name=None):
    """The sparsemax loss per row: sum over the support of p (z - p / 2) + q (q / 2 - z)
    for target distribution `labels` (q) and `sparsemax` (p) of the logits (z); -inf
    logits with no support or no label cost nothing."""
    with tf.name_scope(name, 'sparsemax_loss', [logits, sparsemax, labels]):
        z = tf.convert_to_tensor(logits, name='logits')
        p = tf.convert_to_tensor(sparsemax, name='sparsemax')
        q = tf.convert_to_tensor(labels, name='labels')
        # where, not a product: 0 * -inf would be NaN.
        support = tf.where(tf.logical_or(p > 0, tf.is_nan(p)), p * (z - 0.5 * p),
                           tf.zeros_like(p))
        target = tf.where(tf.logical_and(tf.equal(q, 0), tf.is_inf(z)), tf.zeros_like(z),
                          q * (0.5 * q - z))
        return tf.reduce_sum(support + target, axis=1)
