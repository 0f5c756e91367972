"""tf.contrib.losses.metric_learning (TF 1.15's metric_loss_ops.py, ported): losses that
train embeddings so that examples of one label are near and of others far - the
contrastive loss of siamese networks, FaceNet's triplet loss with semi-hard negative
mining, the N-pairs and lifted structured losses - and the pairwise distances under
them. Not provided: cluster_loss, whose clustering scores came from scikit-learn."""
import tensorflow.compat.v1 as tf


def pairwise_distance(feature, squared=False):
    """[n, n] distances between the rows of `feature` [n, d] (squared if asked), with the
    rounding errors of the expansion ||a||² + ||b||² - 2ab clipped at 0 and the
    diagonal exactly 0."""
    pairwise_distances_squared = tf.add(
        tf.reduce_sum(tf.square(feature), axis=[1], keepdims=True),
        tf.reduce_sum(tf.square(tf.transpose(feature)), axis=[0], keepdims=True)
    ) - 2.0 * tf.matmul(feature, tf.transpose(feature))
    pairwise_distances_squared = tf.maximum(pairwise_distances_squared, 0.0)
    error_mask = tf.less_equal(pairwise_distances_squared, 0.0)
    if squared:
        pairwise_distances = pairwise_distances_squared
    else:  # 1e-16 under the root where it is 0 keeps the gradient finite; taken off after
        pairwise_distances = tf.sqrt(pairwise_distances_squared
                                     + tf.cast(error_mask, tf.float32) * 1e-16)
    pairwise_distances = tf.multiply(pairwise_distances,
                                     tf.cast(tf.logical_not(error_mask), tf.float32))
    num_data = tf.shape(feature)[0]
    mask_offdiagonals = tf.ones_like(pairwise_distances) - tf.diag(tf.ones([num_data]))
    return tf.multiply(pairwise_distances, mask_offdiagonals)


def contrastive_loss(labels, embeddings_anchor, embeddings_positive, margin=1.0):
    """Mean over pairs of d² for a positive pair (label 1) and max(margin - d, 0)² for a
    negative one (label 0), d the pair's Euclidean distance (Hadsell et al. 2006)."""
    distances = tf.sqrt(tf.reduce_sum(
        tf.squared_difference(embeddings_anchor, embeddings_positive), 1))
    labels = tf.cast(labels, distances.dtype)
    return tf.reduce_mean(labels * tf.square(distances)
                          + (1. - labels) * tf.square(tf.maximum(margin - distances, 0.)),
                          name='contrastive_loss')


def masked_maximum(data, mask, dim=1):
    """The maximum of `data` [n, m] along `dim` over the elements `mask` chooses."""
    axis_minimums = tf.reduce_min(data, dim, keepdims=True)
    return tf.reduce_max(tf.multiply(data - axis_minimums, mask), dim,
                         keepdims=True) + axis_minimums


def masked_minimum(data, mask, dim=1):
    """The minimum of `data` [n, m] along `dim` over the elements `mask` chooses."""
    axis_maximums = tf.reduce_max(data, dim, keepdims=True)
    return tf.reduce_min(tf.multiply(data - axis_maximums, mask), dim,
                         keepdims=True) + axis_maximums


def _column(labels):
    shape = tf.shape(labels)
    assert shape.shape == 1
    return tf.reshape(labels, [shape[0], 1])


def triplet_semihard_loss(labels, embeddings, margin=1.0):
    """The triplet loss with semi-hard negatives (Schroff et al. 2015): for every positive
    pair (a, p), max(margin + d(a, p)² - d(a, n)², 0), n the closest negative farther than
    p (the farthest negative if none is), averaged over the positive pairs."""
    labels = _column(labels)
    pdist_matrix = pairwise_distance(embeddings, squared=True)
    adjacency = tf.equal(labels, tf.transpose(labels))
    adjacency_not = tf.logical_not(adjacency)
    batch_size = tf.size(labels)
    # Row a·b of the tiled matrices: anchor a's negatives farther than its positive b.
    pdist_matrix_tile = tf.tile(pdist_matrix, [batch_size, 1])
    mask = tf.logical_and(tf.tile(adjacency_not, [batch_size, 1]),
                          tf.greater(pdist_matrix_tile,
                                     tf.reshape(tf.transpose(pdist_matrix), [-1, 1])))
    mask_final = tf.transpose(tf.reshape(
        tf.greater(tf.reduce_sum(tf.cast(mask, dtype=tf.float32), 1, keepdims=True), 0.0),
        [batch_size, batch_size]))
    adjacency_not = tf.cast(adjacency_not, dtype=tf.float32)
    mask = tf.cast(mask, dtype=tf.float32)
    # negatives_outside: the smallest D_an where D_an > D_ap; inside: the largest D_an.
    negatives_outside = tf.transpose(tf.reshape(masked_minimum(pdist_matrix_tile, mask),
                                                [batch_size, batch_size]))
    negatives_inside = tf.tile(masked_maximum(pdist_matrix, adjacency_not), [1, batch_size])
    semi_hard_negatives = tf.where(mask_final, negatives_outside, negatives_inside)
    loss_mat = tf.add(margin, pdist_matrix - semi_hard_negatives)
    mask_positives = tf.cast(adjacency, dtype=tf.float32) - tf.diag(tf.ones([batch_size]))
    num_positives = tf.reduce_sum(mask_positives)
    return tf.truediv(tf.reduce_sum(tf.maximum(tf.multiply(loss_mat, mask_positives), 0.0)),
                      num_positives, name='triplet_semihard_loss')


def _npairs(labels_remapped, embeddings_anchor, embeddings_positive, reg_lambda,
            print_losses):
    """The L2 penalty on the embeddings plus the cross-entropy of each anchor's
    similarities to the positives against `labels_remapped` (rows summing to 1)."""
    reg_anchor = tf.reduce_mean(tf.reduce_sum(tf.square(embeddings_anchor), 1))
    reg_positive = tf.reduce_mean(tf.reduce_sum(tf.square(embeddings_positive), 1))
    l2loss = tf.multiply(0.25 * reg_lambda, reg_anchor + reg_positive, name='l2loss')
    similarity_matrix = tf.matmul(embeddings_anchor, embeddings_positive, transpose_b=True)
    xent_loss = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(
        logits=similarity_matrix, labels=labels_remapped), name='xentropy')
    if print_losses:
        xent_loss = tf.Print(xent_loss, ['cross entropy:', xent_loss, 'l2loss:', l2loss])
    return l2loss + xent_loss


def npairs_loss(labels, embeddings_anchor, embeddings_positive, reg_lambda=0.002,
                print_losses=False):
    """The N-pairs loss (Sohn, 2016) of anchor/positive pairs of `labels` [n]."""
    labels = _column(labels)
    labels_remapped = tf.cast(tf.equal(labels, tf.transpose(labels)), tf.float32)
    labels_remapped /= tf.reduce_sum(labels_remapped, 1, keepdims=True)
    return _npairs(labels_remapped, embeddings_anchor, embeddings_positive, reg_lambda,
                   print_losses)


def _build_multilabel_adjacency(sparse_labels):
    """[n, n] counts of the labels each two of the n sparse 0/1 label sets share (numbers:
    the sparse minimum takes no bools)."""
    num_pairs = len(sparse_labels)
    adjacency_matrix = tf.zeros([num_pairs, num_pairs])
    for i in range(num_pairs):
        for j in range(num_pairs):
            shared = tf.cast(tf.sparse_reduce_sum(tf.sparse_minimum(sparse_labels[i],
                                                                    sparse_labels[j])),
                             tf.float32)
            adjacency_matrix += tf.pad(tf.reshape(shared, [1, 1]),
                                       [[i, num_pairs - i - 1], [j, num_pairs - j - 1]],
                                       'CONSTANT')
    return adjacency_matrix


def npairs_loss_multilabel(sparse_labels, embeddings_anchor, embeddings_positive,
                           reg_lambda=0.002, print_losses=False):
    """The N-pairs loss with label sets: the target of anchor i for positive j is how
    many labels they share, each row normalised to sum to 1."""
    if not all(isinstance(labels, tf.SparseTensor) for labels in sparse_labels):
        raise TypeError('sparse_labels must be a list of SparseTensors, but got %s'
                        % str(sparse_labels))
    with tf.name_scope('NpairsLossMultiLabel'):
        labels_remapped = _build_multilabel_adjacency(sparse_labels)
        labels_remapped /= tf.reduce_sum(labels_remapped, 1, keepdims=True)
        return _npairs(labels_remapped, embeddings_anchor, embeddings_positive, reg_lambda,
                       print_losses)


def lifted_struct_loss(labels, embeddings, margin=1.0):
    """The lifted structured loss (Oh Song et al. 2016): for each positive pair, a smooth
    maximum over both examples' negatives of margin - d, plus the pair's distance,
    squared and averaged over the positive pairs."""
    labels = _column(labels)
    pairwise_distances = pairwise_distance(embeddings)
    adjacency = tf.equal(labels, tf.transpose(labels))
    batch_size = tf.size(labels)
    diff = margin - pairwise_distances
    mask = tf.cast(tf.logical_not(adjacency), dtype=tf.float32)
    # The maximum over negatives only: shifted above zero first.
    row_minimums = tf.reduce_min(diff, 1, keepdims=True)
    row_negative_maximums = tf.reduce_max(tf.multiply(diff - row_minimums, mask), 1,
                                          keepdims=True) + row_minimums
    # M_ij = max(m_i, m_j), as the Caffe layer of the paper computes it.
    max_elements = tf.maximum(row_negative_maximums, tf.transpose(row_negative_maximums))
    diff_tiled = tf.tile(diff, [batch_size, 1])
    mask_tiled = tf.tile(mask, [batch_size, 1])
    max_elements_vect = tf.reshape(tf.transpose(max_elements), [-1, 1])
    loss_exp_left = tf.reshape(
        tf.reduce_sum(tf.multiply(tf.exp(diff_tiled - max_elements_vect), mask_tiled), 1,
                      keepdims=True), [batch_size, batch_size])
    loss_mat = max_elements + tf.log(loss_exp_left + tf.transpose(loss_exp_left))
    loss_mat += pairwise_distances
    mask_positives = tf.cast(adjacency, dtype=tf.float32) - tf.diag(tf.ones([batch_size]))
    # Half the pairs (upper triangle), and half of the squared loss.
    num_positives = tf.reduce_sum(mask_positives) / 2.0
    return tf.truediv(
        0.25 * tf.reduce_sum(tf.square(tf.maximum(tf.multiply(loss_mat, mask_positives),
                                                  0.0))),
        num_positives, name='liftedstruct_loss')
