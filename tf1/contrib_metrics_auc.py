"""contrib.metrics' exact and histogram AUCs (TF 1.15's metric_ops.py and
histogram_ops.py), where tf.metrics.auc (streaming_auc) interpolates over fixed thresholds:
streaming_dynamic_auc keeps every prediction and integrates the whole curve,
auc_with_confidence_intervals adds DeLong-style bounds from the placement values, and
auc_using_histogram integrates two score histograms. Ported from TF 1.15."""
import collections

import tensorflow.compat.v1 as tf
from tensorflow.python.ops import metrics_impl

from tf1.contrib_framework.tensor_util import remove_squeezable_dimensions
from tf1.contrib_metrics_statistics import _EPSILON, _collect, streaming_concat


def _labels_are_0_or_1(labels):
    return [tf.assert_greater_equal(labels, tf.zeros_like(labels, tf.int64),
                                    message='labels must be 0 or 1, at least one is <0'),
            tf.assert_less_equal(labels, tf.ones_like(labels, tf.int64),
                                 message='labels must be 0 or 1, at least one is >1')]


def _positives_before(splits, ordered_labels, ordered_weights, positive):
    """The weight of the (positive or negative) examples ranked before each split."""
    weights = tf.where(positive(ordered_labels), ordered_weights,
                       tf.zeros_like(ordered_labels, dtype=tf.float64))
    return tf.gather(tf.pad(tf.cumsum(weights), paddings=[[1, 0]]), splits)


def _compute_dynamic_auc(labels, predictions, curve='ROC', weights=None):
    """The exact area under the ROC or PR curve of all `predictions` (0 if the labels are
    all alike): the trapezoids between each distinct prediction, highest first."""
    size = tf.size(predictions)
    if weights is None:
        weights = tf.ones_like(labels, dtype=tf.float64)
    labels, predictions, weights = metrics_impl._remove_squeezable_dimensions(
        labels, predictions, weights)
    total_weight = tf.reduce_sum(weights)
    total_positive = tf.reduce_sum(tf.where(tf.greater(labels, 0), weights,
                                            tf.zeros_like(labels, dtype=tf.float64)))

    def continue_computing_dynamic_auc():
        ordered_predictions, indices = tf.nn.top_k(predictions, k=size)
        ordered_labels = tf.gather(labels, indices)
        ordered_weights = tf.gather(weights, indices)
        # one point per distinct prediction: the examples up to its last equal one
        _, _, counts = tf.unique_with_counts(ordered_predictions)
        splits = tf.cast(tf.pad(tf.cumsum(counts), paddings=[[1, 0]]), tf.int32)
        true_positives = _positives_before(splits, ordered_labels, ordered_weights,
                                           lambda labels: tf.greater(labels, 0))
        if curve == 'ROC':
            false_positives = _positives_before(splits, ordered_labels, ordered_weights,
                                                lambda labels: tf.less(labels, 1))
            x_axis_values = tf.truediv(false_positives, total_weight - total_positive)
            y_axis_values = tf.truediv(true_positives, total_positive)
        else:  # 'PR'
            x_axis_values = tf.truediv(true_positives, total_positive)
            positives = tf.gather(tf.pad(tf.cumsum(ordered_weights), paddings=[[1, 0]]),
                                  splits)
            y_axis_values = tf.where(tf.greater(splits, 0),
                                     tf.truediv(true_positives, positives),
                                     tf.ones_like(true_positives, dtype=tf.float64))
        heights = tf.add(y_axis_values[1:], y_axis_values[:-1]) / 2.0
        widths = tf.abs(tf.subtract(x_axis_values[1:], x_axis_values[:-1]))
        return tf.reduce_sum(tf.multiply(heights, widths))

    return tf.cond(tf.logical_or(tf.equal(total_positive, 0),
                                 tf.equal(total_positive, total_weight)),
                   true_fn=lambda: tf.constant(0, tf.float64),
                   false_fn=continue_computing_dynamic_auc)


def streaming_dynamic_auc(labels, predictions, curve='ROC', metrics_collections=(),
                          updates_collections=(), name=None, weights=None):
    """The exact AUC of every prediction seen so far (kept in local variables); labels 0
    or 1."""
    if curve not in ['PR', 'ROC']:
        raise ValueError('curve must be either ROC or PR, %s unknown' % curve)
    with tf.variable_scope(name, default_name='dynamic_auc'):
        labels.get_shape().assert_is_compatible_with(predictions.get_shape())
        predictions = tf.reshape(tf.cast(predictions, tf.float64), [-1])
        labels = tf.reshape(tf.cast(labels, tf.int64), [-1])
        with tf.control_dependencies(_labels_are_0_or_1(labels)):
            preds_accum, update_preds = streaming_concat(predictions, name='concat_preds')
            labels_accum, update_labels = streaming_concat(labels, name='concat_labels')
            if weights is not None:
                weights = tf.reshape(tf.cast(weights, tf.float64), [-1])
                weights_accum, update_weights = streaming_concat(weights,
                                                                 name='concat_weights')
                update_op = tf.group(update_labels, update_preds, update_weights)
            else:
                weights_accum = None
                update_op = tf.group(update_labels, update_preds)
            auc = _compute_dynamic_auc(labels_accum, preds_accum, curve=curve,
                                       weights=weights_accum)
            return _collect(metrics_collections, auc, updates_collections, update_op)


AucData = collections.namedtuple('AucData', ['auc', 'lower', 'upper'])


def _compute_placement_auc(labels, predictions, weights, alpha, logit_transformation,
                           is_valid):
    """AucData: the AUC from each example's placement value (its weighted rank among the
    other class) and the bounds of its `alpha` confidence interval from their variance,
    on the logit scale with `logit_transformation`; zeros unless `is_valid`."""
    size = tf.size(predictions, out_type=tf.int32)
    total_0 = tf.reduce_sum(tf.cast(1 - labels, weights.dtype) * weights)
    total_1 = tf.reduce_sum(tf.cast(labels, weights.dtype) * weights)

    # ascending predictions, ties grouped into segments
    ordered_predictions, indices = tf.nn.top_k(predictions, k=size, sorted=True)
    ordered_predictions = tf.reverse(ordered_predictions, axis=tf.zeros(1, tf.int32))
    indices = tf.reverse(indices, axis=tf.zeros(1, tf.int32))
    ordered_labels = tf.gather(labels, indices)
    ordered_weights = tf.gather(weights, indices)
    _, segmented_indices = tf.unique(ordered_predictions)

    # each example's placement: the weight of the other class ranked below it, ties half
    float_labels_for_true = tf.cast(ordered_labels, tf.float32)
    float_labels_for_false = 1.0 - float_labels_for_true
    weight_totals_for_true = tf.segment_sum(ordered_weights * float_labels_for_false,
                                            segmented_indices)
    weight_totals_for_false = tf.segment_sum(ordered_weights * float_labels_for_true,
                                             segmented_indices)
    placements_for_true = tf.gather(
        (tf.cumsum(weight_totals_for_true, exclusive=True) + weight_totals_for_true / 2.0)
        / (tf.reduce_sum(weight_totals_for_true) + _EPSILON), segmented_indices)
    placements_for_false = tf.gather(
        (tf.cumsum(weight_totals_for_false, exclusive=True) + weight_totals_for_false / 2.0)
        / (tf.reduce_sum(weight_totals_for_false) + _EPSILON), segmented_indices)
    placement_values = (placements_for_true * float_labels_for_true
                        + placements_for_false * float_labels_for_false)

    # the AUC from the larger class's placements, its variance from both
    placement_values_0 = placement_values * tf.cast(1 - ordered_labels, weights.dtype)
    weights_0 = ordered_weights * tf.cast(1 - ordered_labels, weights.dtype)
    placement_values_1 = placement_values * tf.cast(ordered_labels, weights.dtype)
    weights_1 = ordered_weights * tf.cast(ordered_labels, weights.dtype)
    auc_0 = tf.reduce_sum(weights_0 * (1. - placement_values_0)) / (total_0 + _EPSILON)
    auc_1 = tf.reduce_sum(weights_1 * placement_values_1) / (total_1 + _EPSILON)
    auc = tf.where(tf.less(total_0, total_1), auc_1, auc_0)
    var_0 = (tf.reduce_sum(weights_0 * tf.square(1. - placement_values_0 - auc_0))
             / (total_0 - 1. + _EPSILON))
    var_1 = (tf.reduce_sum(weights_1 * tf.squared_difference(placement_values_1, auc_1))
             / (total_1 - 1. + _EPSILON))
    auc_std_err = tf.sqrt((var_0 / (total_0 + _EPSILON)) + (var_1 / (total_1 + _EPSILON)))

    z_value = tf.math.ndtri((1.0 - alpha) / 2.0)  # the standard normal's quantile
    if logit_transformation:
        estimate = tf.log(auc / (1. - auc + _EPSILON))
        std_err = auc_std_err / (auc * (1. - auc + _EPSILON))

        def inverse_logit(x):
            return 1. / (1. + tf.exp(tf.negative(x)) + _EPSILON)

        auc_lower = inverse_logit(estimate + (z_value * std_err))
        auc_upper = inverse_logit(estimate - (z_value * std_err))
    else:
        auc_lower = auc + (z_value * auc_std_err)
        auc_upper = auc - (z_value * auc_std_err)
    certain = tf.logical_or(tf.equal(auc, tf.ones_like(auc)), tf.equal(auc, tf.zeros_like(auc)))
    lower = tf.where(certain, auc, auc_lower)
    upper = tf.where(certain, auc, auc_upper)
    trivial_value = tf.constant(0.0)
    return AucData(*tf.cond(is_valid, lambda: [auc, lower, upper],
                            lambda: [trivial_value] * 3))


def auc_with_confidence_intervals(labels, predictions, weights=None, alpha=0.95,
                                  logit_transformation=True, metrics_collections=(),
                                  updates_collections=(), name=None):
    """The exact ROC AUC of every prediction seen so far with the bounds of its `alpha`
    confidence interval: (AucData(auc, lower, upper), update_op). Labels 0 or 1; zeros
    until both classes and a total weight of 1 have been seen."""
    if not (alpha > 0 and alpha < 1):
        raise ValueError('alpha must be between 0 and 1; currently %.02f' % alpha)
    if weights is None:
        weights = tf.ones_like(predictions)
    with tf.variable_scope(name, default_name='auc_with_confidence_intervals',
                           values=[labels, predictions, weights]):
        predictions, labels, weights = metrics_impl._remove_squeezable_dimensions(
            predictions=predictions, labels=labels, weights=weights)
        total_weight = tf.reduce_sum(weights)
        weights = tf.reshape(weights, [-1])
        predictions = tf.reshape(tf.cast(predictions, tf.float64), [-1])
        labels = tf.reshape(tf.cast(labels, tf.int64), [-1])
        with tf.control_dependencies(_labels_are_0_or_1(labels)):
            preds_accum, update_preds = streaming_concat(predictions, name='concat_preds')
            labels_accum, update_labels = streaming_concat(labels, name='concat_labels')
            weights_accum, update_weights = streaming_concat(weights, name='concat_weights')
            update_op_for_valid_case = tf.group(update_labels, update_preds, update_weights)
            # TF 1.x's check: the batch's smallest label 0 and largest 1
            all_labels_positive_or_0 = tf.logical_and(tf.equal(tf.reduce_min(labels), 0),
                                                      tf.equal(tf.reduce_max(labels), 1))
            sums_of_weights_at_least_1 = tf.greater_equal(total_weight, 1.0)
            is_valid = tf.logical_and(all_labels_positive_or_0, sums_of_weights_at_least_1)
            update_op = tf.cond(sums_of_weights_at_least_1, lambda: update_op_for_valid_case,
                                tf.no_op)
            auc = _compute_placement_auc(labels_accum, preds_accum, weights_accum, alpha=alpha,
                                         logit_transformation=logit_transformation,
                                         is_valid=is_valid)
            return _collect(metrics_collections, auc, updates_collections, update_op)


def auc_using_histogram(boolean_labels, scores, score_range, nbins=100, collections=None,
                        check_shape=True, name=None):
    """The ROC AUC from `nbins`-bin histograms over `score_range` of the scores of each
    class, accumulated in variables of `collections` (LOCAL_VARIABLES): (auc, update_op)."""
    if collections is None:
        collections = [tf.GraphKeys.LOCAL_VARIABLES]
    with tf.variable_scope(name, 'auc_using_histogram', [boolean_labels, scores, score_range]):
        scores, boolean_labels = remove_squeezable_dimensions(scores, boolean_labels)
        score_range = tf.convert_to_tensor(score_range, name='score_range')
        boolean_labels, scores = _check_labels_and_scores(boolean_labels, scores, check_shape)
        with tf.variable_scope(None, 'make_auc_histograms', [boolean_labels, scores, nbins]):
            hist_true = tf.histogram_fixed_width(
                tf.boolean_mask(scores, boolean_labels), score_range, nbins=nbins,
                dtype=tf.int64, name='hist_true')
            hist_false = tf.histogram_fixed_width(
                tf.boolean_mask(scores, tf.logical_not(boolean_labels)), score_range,
                nbins=nbins, dtype=tf.int64, name='hist_false')
        with tf.variable_scope(None, 'hist_accumulate', [hist_true, hist_false]):
            accumulated = [tf.get_variable(
                name, shape=[nbins], dtype=hist_true.dtype,
                initializer=tf.zeros_initializer(), collections=collections, trainable=False)
                for name in ('hist_true_acc', 'hist_false_acc')]
            update_op = tf.group(accumulated[0].assign_add(hist_true),
                                 accumulated[1].assign_add(hist_false), name='update_op')
        return _histograms_to_auc(*accumulated, nbins), update_op


def _check_labels_and_scores(boolean_labels, scores, check_shape):
    """The labels (which must be booleans) and scores as tensors. TF 1.x also built rank-1
    checks (with check_shape), but returned its inputs unchanged, so they never ran and
    [N, 1] labels and scores were taken: so they are here."""
    del check_shape
    with tf.name_scope('_check_labels_and_scores', values=[boolean_labels, scores]):
        boolean_labels = tf.convert_to_tensor(boolean_labels, name='boolean_labels')
        scores = tf.convert_to_tensor(scores, name='scores')
        if boolean_labels.dtype != tf.bool:
            raise ValueError('Argument boolean_labels should have dtype bool.  Found: %s'
                             % boolean_labels.dtype)
        return boolean_labels, scores


def _histograms_to_auc(hist_true_acc, hist_false_acc, nbins):
    """The trapezoid sum of the ROC curve the two histograms trace, highest scores first."""
    delta_y_t = tf.cast(tf.reverse_v2(
        tf.truediv(hist_true_acc, tf.reduce_sum(hist_true_acc)), [0], name='delta_y_t'),
        tf.float32)
    delta_x_t = tf.cast(tf.reverse_v2(
        tf.truediv(hist_false_acc, tf.reduce_sum(hist_false_acc)), [0], name='delta_x_t'),
        tf.float32)
    y_t = _strict_1d_cumsum(delta_y_t, nbins)
    first_trap = delta_x_t[0] * y_t[0] / 2.0
    other_traps = delta_x_t[1:] * (y_t[1:] + y_t[:nbins - 1]) / 2.0
    return tf.add(first_trap, tf.reduce_sum(other_traps), name='auc')


def _strict_1d_cumsum(tensor, len_tensor):
    """The running sums of the 1-D `tensor` of length `len_tensor` (TF 1.x's name; it
    summed by a convolution)."""
    with tf.name_scope('strict_1d_cumsum', values=[tensor]):
        if len_tensor == 0:
            return tf.constant([])
        return tf.cumsum(tensor)
