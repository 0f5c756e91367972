"""contrib.metrics' streaming metrics over thresholds and rates (TF 1.15's metric_ops.py),
which tf.metrics never had: confusion counts at each of a list of thresholds, false
positive and negative rates, ROC and PR curve points, recall at a precision, precision at a
recall, and precision and recall at equally spaced thresholds. Ported from TF 1.15; the
confusion counts are contrib's own (no [0, 1] check on the predictions, unlike tf.metrics').
Each returns (value, update_op), the value read from local variables."""
import collections

import tensorflow.compat.v1 as tf
from tensorflow.python.ops import metrics_impl, weights_broadcast_ops

from tf1.contrib_metrics_statistics import _EPSILON, _collect


def _streaming_confusion_matrix_at_thresholds(predictions, labels, thresholds, weights=None,
                                              includes=None):
    """({'tp'|'fn'|'tn'|'fp': counts at each threshold}, {the same: their update ops}) for
    `includes` (all four by default): a prediction above a threshold is positive there."""
    all_includes = ('tp', 'fn', 'tn', 'fp')
    includes = all_includes if includes is None else includes
    for include in includes:
        if include not in all_includes:
            raise ValueError('Invalid key: %s.' % include)
    predictions, labels, weights = metrics_impl._remove_squeezable_dimensions(
        predictions, labels, weights)
    predictions.get_shape().assert_is_compatible_with(labels.get_shape())
    num_thresholds = len(thresholds)

    # [thresholds, predictions]: each prediction compared with each threshold
    predictions_2d = tf.reshape(predictions, [-1, 1])
    labels_2d = tf.reshape(tf.cast(labels, tf.bool), [1, -1])
    num_predictions = predictions_2d.get_shape().as_list()[0]
    if num_predictions is None:
        num_predictions = tf.shape(predictions_2d)[0]
    thresh_tiled = tf.tile(tf.expand_dims(tf.constant(thresholds), [1]),
                           tf.stack([1, num_predictions]))
    pred_is_pos = tf.greater(tf.tile(tf.transpose(predictions_2d), [num_thresholds, 1]),
                             thresh_tiled)
    label_is_pos = tf.tile(labels_2d, [num_thresholds, 1])
    if weights is not None:
        broadcast_weights = weights_broadcast_ops.broadcast_weights(
            tf.cast(weights, tf.float32), predictions)
        weights_tiled = tf.tile(tf.reshape(broadcast_weights, [1, -1]), [num_thresholds, 1])
        thresh_tiled.get_shape().assert_is_compatible_with(weights_tiled.get_shape())
    else:
        weights_tiled = None

    cases = {'tp': ('true_positives', True, True), 'fn': ('false_negatives', True, False),
             'tn': ('true_negatives', False, False), 'fp': ('false_positives', False, True)}
    values, update_ops = {}, {}
    for key in all_includes:  # TF 1.x's order, which names the variables' ops
        if key not in includes:
            continue
        name, positive_label, positive_prediction = cases[key]
        counts = metrics_impl.metric_variable([num_thresholds], tf.float32, name=name)
        is_case = tf.cast(tf.logical_and(
            label_is_pos if positive_label else tf.logical_not(label_is_pos),
            pred_is_pos if positive_prediction else tf.logical_not(pred_is_pos)), tf.float32)
        if weights_tiled is not None:
            is_case *= weights_tiled
        update_ops[key] = tf.assign_add(counts, tf.reduce_sum(is_case, 1))
        values[key] = counts
    return values, update_ops


def _count_at_thresholds(key):
    def count(predictions, labels, thresholds, weights=None):
        values, update_ops = _streaming_confusion_matrix_at_thresholds(
            predictions, labels, thresholds, weights=weights, includes=(key,))
        return values[key], update_ops[key]
    return count


streaming_true_positives_at_thresholds = _count_at_thresholds('tp')
streaming_false_negatives_at_thresholds = _count_at_thresholds('fn')
streaming_false_positives_at_thresholds = _count_at_thresholds('fp')
streaming_true_negatives_at_thresholds = _count_at_thresholds('tn')


def _error_rate(scope, errors, rights):
    """contrib's streaming_false_X_rate: false X / (false X + true not-X), 0 when none,
    from tf.metrics' counts `errors` and `rights` of predictions and labels as booleans."""
    def rate(predictions, labels, weights=None, metrics_collections=None,
             updates_collections=None, name=None):
        with tf.variable_scope(name, scope, (predictions, labels, weights)):
            predictions, labels, weights = metrics_impl._remove_squeezable_dimensions(
                predictions=tf.cast(predictions, dtype=tf.bool),
                labels=tf.cast(labels, dtype=tf.bool), weights=weights)
            wrong, wrong_update = errors(labels, predictions, weights)
            right, right_update = rights(labels, predictions, weights)

            def compute(wrong, right, name):
                return tf.where(tf.greater(wrong + right, 0), tf.div(wrong, wrong + right),
                                0, name)

            return _collect(
                metrics_collections, compute(wrong, right, 'value'),
                updates_collections, compute(wrong_update, right_update, 'update_op'))
    return rate


streaming_false_positive_rate = _error_rate('false_positive_rate', tf.metrics.false_positives,
                                            tf.metrics.true_negatives)
streaming_false_negative_rate = _error_rate('false_negative_rate', tf.metrics.false_negatives,
                                            tf.metrics.true_positives)


def _error_rate_at_thresholds(scope, wrong_key, right_key, op_prefix):
    """contrib's streaming_false_X_rate_at_thresholds: false X / (false X + true not-X)
    at each threshold."""
    def rate(predictions, labels, thresholds, weights=None, metrics_collections=None,
             updates_collections=None, name=None):
        with tf.variable_scope(name, scope, (predictions, labels, weights)):
            values, update_ops = _streaming_confusion_matrix_at_thresholds(
                predictions, labels, thresholds, weights, includes=(wrong_key, right_key))

            def compute(counts, name):
                return tf.div(counts[wrong_key], _EPSILON + counts[wrong_key] + counts[right_key],
                              name=op_prefix + name)

            return _collect(metrics_collections, compute(values, 'value'),
                            updates_collections, compute(update_ops, 'update_op'))
    return rate


streaming_false_positive_rate_at_thresholds = _error_rate_at_thresholds(
    'false_positive_rate_at_thresholds', 'fp', 'tn', 'fpr_')
streaming_false_negative_rate_at_thresholds = _error_rate_at_thresholds(
    'false_negative_rate_at_thresholds', 'fn', 'tp', 'fnr_')


def _thresholds(num_thresholds):
    """num_thresholds evenly spaced over [0, 1], the ends just outside it."""
    inner = [(i + 1) * 1.0 / (num_thresholds - 1) for i in range(num_thresholds - 2)]
    return [0.0 - _EPSILON] + inner + [1.0 + _EPSILON]


def streaming_curve_points(labels=None, predictions=None, weights=None, num_thresholds=200,
                           metrics_collections=None, updates_collections=None, curve='ROC',
                           name=None):
    """The ROC curve's (false positive rate, recall) or the PR curve's (recall, precision)
    at `num_thresholds` thresholds: a [num_thresholds, 2] tensor."""
    with tf.variable_scope(name, 'curve_points', (labels, predictions, weights)):
        if curve != 'ROC' and curve != 'PR':
            raise ValueError('curve must be either ROC or PR, %s unknown' % (curve))
        values, update_ops = _streaming_confusion_matrix_at_thresholds(
            labels=labels, predictions=predictions, thresholds=_thresholds(num_thresholds),
            weights=weights)
        epsilon = 1.0e-6  # no division by 0

        def compute_points(tp, fn, tn, fp):
            rec = tf.div(tp + epsilon, tp + fn + epsilon)
            if curve == 'ROC':
                return tf.div(fp, fp + tn + epsilon), rec
            return rec, tf.div(tp + epsilon, tp + fp + epsilon)

        xs, ys = compute_points(values['tp'], values['fn'], values['tn'], values['fp'])
        return _collect(metrics_collections, tf.stack([xs, ys], axis=1),
                        updates_collections, tf.group(*update_ops.values()))


def _compute_recall_at_precision(tp, fp, fn, precision, name, strict_mode=False):
    """The recall at the threshold whose precision is nearest `precision` (strict_mode:
    the lowest precision at least `precision`, else 0)."""
    precisions = tf.div(tp, tp + fp + _EPSILON)
    if not strict_mode:
        tf_index = tf.argmin(tf.abs(precisions - precision), 0, output_type=tf.int32)
        return tf.div(tp[tf_index], tp[tf_index] + fn[tf_index] + _EPSILON, name)
    tf_index = tf.argmax(tf.div(1.0, precisions - precision + _EPSILON), 0,
                         output_type=tf.int32)
    return tf.cond(precisions[tf_index] >= precision,
                   lambda: tf.div(tp[tf_index], tp[tf_index] + fn[tf_index] + _EPSILON, name),
                   lambda: .0)


def recall_at_precision(labels, predictions, precision, weights=None, num_thresholds=200,
                        metrics_collections=None, updates_collections=None, name=None,
                        strict_mode=False):
    """The best recall at `precision`, over `num_thresholds` thresholds."""
    if not 0 <= precision <= 1:
        raise ValueError('`precision` must be in the range [0, 1].')
    with tf.variable_scope(name, 'recall_at_precision', (predictions, labels, weights)):
        values, update_ops = _streaming_confusion_matrix_at_thresholds(
            predictions, labels, _thresholds(num_thresholds), weights)
        recall = _compute_recall_at_precision(values['tp'], values['fp'], values['fn'],
                                              precision, 'value', strict_mode)
        update_op = _compute_recall_at_precision(update_ops['tp'], update_ops['fp'],
                                                 update_ops['fn'], precision, 'update_op',
                                                 strict_mode)
        return _collect(metrics_collections, recall, updates_collections, update_op)


def precision_at_recall(labels, predictions, target_recall, weights=None, num_thresholds=200,
                        metrics_collections=None, updates_collections=None, name=None):
    """The precision at the highest threshold whose recall is at least `target_recall`."""
    if tf.executing_eagerly():
        raise RuntimeError('tf.metrics.precision_at_recall is not supported when eager '
                           'execution is enabled.')
    if target_recall < 0 or target_recall > 1:
        raise ValueError('`target_recall` must be in the range [0, 1].')
    with tf.variable_scope(name, 'precision_at_recall', (predictions, labels, weights)):
        values, update_ops = _streaming_confusion_matrix_at_thresholds(
            predictions, labels, _thresholds(num_thresholds), weights)

        def compute_precision_at_recall(tp, fp, fn, name):
            recalls = tf.div(tp, tp + fn + _EPSILON)
            admissible = tf.cast(tf.greater_equal(recalls, target_recall), tf.int64)
            tf_index = tf.reduce_sum(admissible) - 1
            return tf.div(tp[tf_index] + _EPSILON, tp[tf_index] + fp[tf_index] + _EPSILON, name)

        return _collect(
            metrics_collections,
            compute_precision_at_recall(values['tp'], values['fp'], values['fn'], 'value'),
            updates_collections,
            compute_precision_at_recall(update_ops['tp'], update_ops['fp'], update_ops['fn'],
                                        'update_op'))


PrecisionRecallData = collections.namedtuple(
    'PrecisionRecallData', ['tp', 'fp', 'tn', 'fn', 'precision', 'recall', 'thresholds'])


def precision_recall_at_equal_thresholds(labels, predictions, weights=None, num_thresholds=None,
                                         use_locking=None, name=None):
    """Counts, precision and recall at `num_thresholds` (201) thresholds evenly spaced over
    [0, 1], in one pass: each prediction adds to the bucket below it, cumulative sums give
    the counts (PrecisionRecallData, update_op). `labels` must be booleans, `predictions`
    in [0, 1]."""
    num_thresholds = 201 if num_thresholds is None else num_thresholds
    weights = 1.0 if weights is None else weights
    use_locking = True if use_locking is None else use_locking
    tf.debugging.assert_type(labels, tf.bool)
    with tf.variable_scope(name, 'precision_recall_at_equal_thresholds',
                           (labels, predictions, weights)):
        with tf.control_dependencies([
                tf.assert_greater_equal(predictions, tf.cast(0.0, dtype=predictions.dtype),
                                        message='predictions must be in [0, 1]'),
                tf.assert_less_equal(predictions, tf.cast(1.0, dtype=predictions.dtype),
                                     message='predictions must be in [0, 1]')]):
            predictions, labels, weights = metrics_impl._remove_squeezable_dimensions(
                predictions=predictions, labels=labels, weights=weights)
        predictions.get_shape().assert_is_compatible_with(labels.get_shape())
        # float64 sums: float32 ones lose counts past 2**24
        agg_dtype = tf.float64
        f_labels = tf.cast(labels, agg_dtype)
        weights = tf.cast(weights, agg_dtype)
        true_labels = tf.reshape(f_labels * weights, [-1])
        false_labels = tf.reshape((1.0 - f_labels) * weights, [-1])
        predictions = tf.reshape(predictions, [-1])
        bucket_indices = tf.cast(tf.floor(predictions * (num_thresholds - 1)), tf.int32)
        with tf.name_scope('variables'):
            tp_buckets_v = metrics_impl.metric_variable([num_thresholds], agg_dtype,
                                                        name='tp_buckets')
            fp_buckets_v = metrics_impl.metric_variable([num_thresholds], agg_dtype,
                                                        name='fp_buckets')
        with tf.name_scope('update_op'):
            update_tp = tf.scatter_add(tp_buckets_v, bucket_indices, true_labels,
                                       use_locking=use_locking)
            update_fp = tf.scatter_add(fp_buckets_v, bucket_indices, false_labels,
                                       use_locking=use_locking)
        tp = tf.cumsum(tp_buckets_v, reverse=True, name='tp')
        fp = tf.cumsum(fp_buckets_v, reverse=True, name='fp')
        tn = fp[0] - fp
        fn = tp[0] - tp
        epsilon = tf.convert_to_tensor(1e-7, dtype=agg_dtype)
        precision = tp / tf.maximum(epsilon, tp + fp)
        recall = tp / tf.maximum(epsilon, tp + fn)

        def convert(tensor):
            return tf.cast(tensor, predictions.dtype)

        result = PrecisionRecallData(
            tp=convert(tp), fp=convert(fp), tn=convert(tn), fn=convert(fn),
            precision=convert(precision), recall=convert(recall),
            thresholds=convert(tf.lin_space(0.0, 1.0, num_thresholds)))
        return result, tf.group(update_tp, update_fp)
