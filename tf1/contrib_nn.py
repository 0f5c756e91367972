"""tf.contrib.nn (TF 1.15's, ported): alpha dropout for self-normalising networks, the
scaled softplus, sampled softmax losses for a sparse label (and TAPAS's rank-based
resampling), TF 0.x's cross-entropies with logits first, and conv1d_transpose and
nth_element under their TF 1.x argument names."""
import numbers

import tensorflow.compat.v1 as tf
from tensorflow.python.ops import embedding_ops, nn_impl, nn_ops

from tf1 import nn_losses


def alpha_dropout(x, keep_prob, noise_shape=None, seed=None, name=None):
    """Dropout that keeps a SELU network's zero mean and unit variance (Klambauer et al.
    2017): dropped units are set to SELU's negative saturation, then all are rescaled."""
    with tf.name_scope(name, 'alpha_dropout', [x]) as name:
        x = tf.convert_to_tensor(x, name='x')
        if isinstance(keep_prob, numbers.Real) and not 0 < keep_prob <= 1.:
            raise ValueError('keep_prob must be a scalar tensor or a float in the range '
                             '(0, 1], got %g' % keep_prob)
        keep_prob = tf.convert_to_tensor(keep_prob, dtype=x.dtype, name='keep_prob')
        keep_prob.get_shape().assert_has_rank(0)
        if tf.get_static_value(keep_prob) == 1:
            return x
        alpha = -1.7580993408473766
        noise_shape = noise_shape if noise_shape is not None else tf.shape(x)
        random_tensor = tf.random_uniform(noise_shape, seed=seed, dtype=x.dtype)
        kept_idx = tf.cast(tf.greater_equal(random_tensor, 1 - keep_prob), x.dtype)
        x = x * kept_idx + alpha * (1 - kept_idx)
        # The affine map back to zero mean and unit variance.
        a = (keep_prob + keep_prob * (1 - keep_prob) * alpha ** 2) ** -0.5
        b = -a * alpha * (1 - keep_prob)
        return a * x + b


def scaled_softplus(x, alpha, clip=None, name=None):
    """alpha * log(1 + exp(x / alpha)), at most `clip` when given: a smooth ReLU whose
    smoothness `alpha` (> 0) may be learned."""
    with tf.name_scope(name, 'scaled_softplus', [x, alpha]):
        x = tf.convert_to_tensor(x, name='x')
        alpha = tf.convert_to_tensor(alpha, dtype=x.dtype, name='alpha')
        y = alpha * tf.nn.softplus(x / alpha)
        if clip is not None:
            y = tf.minimum(y, tf.convert_to_tensor(clip, dtype=x.dtype, name='clip'))
        return y


def sampled_sparse_softmax_loss(weights, biases, labels, inputs, num_sampled, num_classes,
                                sampled_values=None, remove_accidental_hits=True,
                                partition_strategy='mod', name='sampled_sparse_softmax_loss'):
    """[batch] sampled softmax losses for one true class per example (labels
    [batch, 1]), as sparse_softmax_cross_entropy over the true and sampled logits."""
    logits, _ = nn_impl._compute_sampled_logits(
        weights=weights, biases=biases, labels=labels, inputs=inputs, num_sampled=num_sampled,
        num_classes=num_classes, num_true=1, sampled_values=sampled_values,
        subtract_log_q=True, remove_accidental_hits=remove_accidental_hits,
        partition_strategy=partition_strategy, name=name)
    # The true logit is first.
    labels = tf.zeros([tf.shape(logits)[0], 1], dtype=tf.int64)
    return tf.nn.sparse_softmax_cross_entropy_with_logits(labels=tf.squeeze(labels),
                                                          logits=logits)


def _rank_resample(weights, biases, inputs, sampled_values, num_resampled,
                   resampling_temperature, partition_strategy):
    """The num_resampled of `sampled_values` with the highest
    log sum_j exp((w_i x_j + b_i) / temperature) over the batch's inputs."""
    sampled, true_expected_count, sampled_expected_count = sampled_values
    sampled = tf.cast(tf.stop_gradient(sampled), tf.int64)
    true_expected_count = tf.stop_gradient(true_expected_count)
    sampled_expected_count = tf.stop_gradient(sampled_expected_count)
    reweighted_inputs = inputs / resampling_temperature

    def logsumexp_logit(embeddings):
        return tf.reduce_logsumexp(tf.matmul(embeddings, reweighted_inputs, transpose_b=True),
                                   axis=1, keepdims=False)
    # Computed beside each shard of the weights, as TF 1.x did.
    sampled_logits = embedding_ops._embedding_lookup_and_transform(
        weights, sampled, partition_strategy, transform_fn=logsumexp_logit)
    sampled_b = tf.reshape(tf.nn.embedding_lookup(biases, sampled, partition_strategy), [-1])
    sampled_logits += sampled_b / resampling_temperature
    _, resampled_indices = tf.nn.top_k(sampled_logits, k=num_resampled, sorted=False)
    return (tf.gather(sampled, indices=resampled_indices), true_expected_count,
            tf.gather(sampled_expected_count, indices=resampled_indices))


def rank_sampled_softmax_loss(weights, biases, labels, inputs, num_sampled, num_resampled,
                              num_classes, num_true, sampled_values, resampling_temperature,
                              remove_accidental_hits, partition_strategy, name=None):
    """Sampled softmax with rank-based adaptive resampling (TAPAS, Bai et al. 2017): of
    num_sampled candidates, the num_resampled likeliest for the batch are kept."""
    if num_sampled > num_classes:
        raise ValueError('num_sampled ({}) cannot be greater than num_classes ({})'.format(
            num_sampled, num_classes))
    if num_sampled <= num_resampled:
        raise ValueError('num_resampled ({}) must be less than num_sampled ({})'.format(
            num_resampled, num_sampled))
    if partition_strategy not in ('div', 'mod'):
        raise ValueError('unsupported partition_strategy ({})'.format(partition_strategy))
    with tf.name_scope(name, 'rank_sampled_softmax_loss', [
            weights, biases, labels, inputs, sampled_values, resampling_temperature]) as name:
        if not sampled_values:
            sampled_values = tf.nn.learned_unigram_candidate_sampler(
                true_classes=labels, num_true=num_true, num_sampled=num_sampled, unique=True,
                range_max=num_classes)
        resampled_values = _rank_resample(weights, biases, inputs, sampled_values,
                                          num_resampled, resampling_temperature,
                                          partition_strategy)
        return tf.nn.sampled_softmax_loss(
            weights=weights, biases=biases, labels=labels, inputs=inputs,
            num_sampled=num_resampled, num_classes=num_classes, num_true=num_true,
            sampled_values=resampled_values, remove_accidental_hits=remove_accidental_hits,
            partition_strategy=partition_strategy, name=name)


def deprecated_flipped_softmax_cross_entropy_with_logits(logits, labels, dim=-1, name=None):
    """TF 0.x's argument order: logits first."""
    return nn_losses.softmax_cross_entropy_with_logits(labels=labels, logits=logits, dim=dim,
                                                       name=name)


def deprecated_flipped_sparse_softmax_cross_entropy_with_logits(logits, labels, name=None):
    return nn_losses.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits,
                                                              name=name)


def deprecated_flipped_sigmoid_cross_entropy_with_logits(logits, targets, name=None):
    return nn_losses.sigmoid_cross_entropy_with_logits(labels=targets, logits=logits,
                                                       name=name)


def conv1d_transpose(value, filter, output_shape, stride, padding='SAME',  # noqa: A002
                     data_format='NWC', name=None):
    """The transpose of conv1d (TF 1.x's argument names)."""
    return nn_ops.conv1d_transpose(value, filter, output_shape, stride, padding=padding,
                                   data_format=data_format, name=name)


def nth_element(input, n, reverse=False, name=None):  # noqa: A002 (TF 1.x's name)
    """The n-th smallest (largest if reverse) of each last-axis vector."""
    return nn_ops.nth_element(input, n, reverse=reverse, name=name)
