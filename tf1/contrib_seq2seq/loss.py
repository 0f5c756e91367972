"""tf.contrib.seq2seq's sequence_loss, as TF 1.15 had it
(tensorflow/contrib/seq2seq/python/ops/loss.py): the weighted cross-entropy of a sequence
of logits, which char-RNN scripts and seq2seq models train on, and TF 1.13-1.15's
SequenceLoss, the same as a Keras-style loss object."""
import tensorflow.compat.v1 as tf

__all__ = ['sequence_loss', 'SequenceLoss']


def sequence_loss(logits, targets, weights, average_across_timesteps=True,
                  average_across_batch=True, sum_over_timesteps=False, sum_over_batch=False,
                  softmax_loss_function=None, name=None):
    """Cross-entropy of logits [batch, time, classes] against targets [batch, time], each
    term times its weight [batch, time]; averaged over the total weight (or summed and
    divided by the number of non-zero weights, with sum_over_*) across time steps and/or
    the batch, whichever are asked for. softmax_loss_function(labels=, logits=) replaces
    the sparse softmax cross-entropy."""
    if len(logits.get_shape()) != 3:
        raise ValueError('Logits must be a [batch_size x sequence_length x logits] tensor')
    if len(targets.get_shape()) != 2:
        raise ValueError('Targets must be a [batch_size x sequence_length] tensor')
    if len(weights.get_shape()) != 2:
        raise ValueError('Weights must be a [batch_size x sequence_length] tensor')
    if average_across_timesteps and sum_over_timesteps:
        raise ValueError('average_across_timesteps and sum_over_timesteps cannot be set to '
                         'True at same time.')
    if average_across_batch and sum_over_batch:
        raise ValueError('average_across_batch and sum_over_batch cannot be set to True at '
                         'same time.')
    with tf.name_scope(name, 'sequence_loss', [logits, targets, weights]):
        num_classes = tf.shape(logits)[2]
        logits_flat = tf.reshape(logits, [-1, num_classes])
        targets = tf.reshape(targets, [-1])
        if softmax_loss_function is None:
            crossent = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=targets,
                                                                      logits=logits_flat)
        else:
            crossent = softmax_loss_function(labels=targets, logits=logits_flat)
        crossent *= tf.reshape(weights, [-1])
        if average_across_timesteps and average_across_batch:
            return tf.div_no_nan(tf.reduce_sum(crossent), tf.reduce_sum(weights))
        if sum_over_timesteps and sum_over_batch:
            return tf.div_no_nan(tf.reduce_sum(crossent),
                                 tf.count_nonzero(weights, dtype=crossent.dtype))
        crossent = tf.reshape(crossent, tf.shape(logits)[0:2])
        if average_across_timesteps or average_across_batch:
            axis = [0] if average_across_batch else [1]
            return tf.div_no_nan(tf.reduce_sum(crossent, axis=axis),
                                 tf.reduce_sum(weights, axis=axis))
        if sum_over_timesteps or sum_over_batch:
            axis = [0] if sum_over_batch else [1]
            return tf.div_no_nan(tf.reduce_sum(crossent, axis=axis),
                                 tf.count_nonzero(weights, axis=axis, dtype=crossent.dtype))
        return crossent


class SequenceLoss(object):
    """sequence_loss as a Keras-style loss (TF 1.15's, a keras Loss there): made with the
    reductions, called with (targets, logits, weights) as (y_true, y_pred, sample_weight).
    Unlike sequence_loss, it sums over time steps and the batch by default."""

    def __init__(self, average_across_timesteps=False, average_across_batch=False,
                 sum_over_timesteps=True, sum_over_batch=True, softmax_loss_function=None,
                 name=None):
        self.average_across_timesteps = average_across_timesteps
        self.average_across_batch = average_across_batch
        self.sum_over_timesteps = sum_over_timesteps
        self.sum_over_batch = sum_over_batch
        self.softmax_loss_function = softmax_loss_function
        self.name = name

    def __call__(self, y_true, y_pred, sample_weight=None):
        if sample_weight is None:
            raise ValueError('SequenceLoss needs sample_weight, the weights of the targets: a '
                             '[batch_size x sequence_length] tensor')
        return sequence_loss(y_pred, y_true, sample_weight,
                             average_across_timesteps=self.average_across_timesteps,
                             average_across_batch=self.average_across_batch,
                             sum_over_timesteps=self.sum_over_timesteps,
                             sum_over_batch=self.sum_over_batch,
                             softmax_loss_function=self.softmax_loss_function, name=self.name)

    def get_config(self):
        return {'average_across_timesteps': self.average_across_timesteps,
                'average_across_batch': self.average_across_batch,
                'sum_over_timesteps': self.sum_over_timesteps,
                'sum_over_batch': self.sum_over_batch,
                'softmax_loss_function': self.softmax_loss_function, 'name': self.name}

    @classmethod
    def from_config(cls, config):
        return cls(**config)
