"""contrib.metrics' streaming statistics that tf.metrics never had (TF 1.15's metric_ops.py
and classification.py, ported): covariance and Pearson correlation (updated batch by batch
with the pairwise formula of Chan et al.), the mean cosine distance, the best F1 score
over thresholds, Cohen's kappa, a count, and streaming_concat, which keeps every value it
is given. Each returns (value, update_op) and keeps its state in local variables, as
tf.metrics' do."""
import tensorflow.compat.v1 as tf
from tensorflow.python.ops import array_ops, metrics_impl, weights_broadcast_ops

_EPSILON = 1e-7


def _collect(metrics_collections, value, updates_collections, update_op):
    if metrics_collections:
        tf.add_to_collections(metrics_collections, value)
    if updates_collections:
        tf.add_to_collections(updates_collections, update_op)
    return value, update_op


def streaming_covariance(predictions, labels, weights=None, metrics_collections=None,
                         updates_collections=None, name=None):
    """The unbiased covariance of predictions and labels over every batch so far
    (frequency `weights`); NaN until two examples are in."""
    with tf.variable_scope(name, 'covariance', (predictions, labels, weights)):
        predictions, labels, weights = metrics_impl._remove_squeezable_dimensions(
            tf.cast(predictions, tf.float32), tf.cast(labels, tf.float32), weights)
        predictions.get_shape().assert_is_compatible_with(labels.get_shape())
        count_, mean_prediction, mean_label, comoment = (
            metrics_impl.metric_variable([], tf.float32, name=variable) for variable in
            ('count', 'mean_prediction', 'mean_label', 'comoment'))
        if weights is None:
            batch_count = tf.cast(tf.size(labels), tf.float32)  # n_B
            weighted_predictions, weighted_labels = predictions, labels
        else:
            weights = weights_broadcast_ops.broadcast_weights(tf.cast(weights, tf.float32),
                                                              labels)
            batch_count = tf.reduce_sum(weights)
            weighted_predictions = tf.multiply(predictions, weights)
            weighted_labels = tf.multiply(labels, weights)
        update_count = tf.assign_add(count_, batch_count)  # n_AB
        prev_count = update_count - batch_count  # n_A
        # Each mean moves by (batch mean - mean) * n_B / n_AB.
        batch_mean_prediction = tf.div_no_nan(tf.reduce_sum(weighted_predictions), batch_count)
        delta_mean_prediction = tf.div_no_nan(
            (batch_mean_prediction - mean_prediction) * batch_count, update_count)
        update_mean_prediction = tf.assign_add(mean_prediction, delta_mean_prediction)
        prev_mean_prediction = update_mean_prediction - delta_mean_prediction
        batch_mean_label = tf.div_no_nan(tf.reduce_sum(weighted_labels), batch_count)
        delta_mean_label = tf.div_no_nan((batch_mean_label - mean_label) * batch_count,
                                         update_count)
        update_mean_label = tf.assign_add(mean_label, delta_mean_label)
        prev_mean_label = update_mean_label - delta_mean_label
        coresiduals = (predictions - batch_mean_prediction) * (labels - batch_mean_label)
        batch_comoment = tf.reduce_sum(coresiduals if weights is None else coresiduals * weights)
        # C_AB = C_A + C_B + (mean_A(x) - mean_B(x)) (mean_A(y) - mean_B(y)) n_A n_B / n_AB
        delta_comoment = batch_comoment + (prev_mean_prediction - batch_mean_prediction) * (
            prev_mean_label - batch_mean_label) * (prev_count * batch_count / update_count)
        update_comoment = tf.assign_add(comoment, delta_comoment)

        def covariance_of(name):
            return tf.where(tf.less_equal(count_, 1.), float('nan'),
                            tf.truediv(comoment, count_ - 1), name=name)
        covariance = covariance_of('covariance')
        with tf.control_dependencies([update_comoment]):
            update_op = covariance_of('update_op')
    return _collect(metrics_collections, covariance, updates_collections, update_op)


def streaming_pearson_correlation(predictions, labels, weights=None, metrics_collections=None,
                                  updates_collections=None, name=None):
    """cov(predictions, labels) / sqrt(var(predictions) var(labels)), streamed."""
    with tf.variable_scope(name, 'pearson_r', (predictions, labels, weights)):
        predictions, labels, weights = metrics_impl._remove_squeezable_dimensions(
            predictions, labels, weights)
        predictions.get_shape().assert_is_compatible_with(labels.get_shape())
        if weights is not None:
            weights = weights_broadcast_ops.broadcast_weights(weights, labels)
        cov, update_cov = streaming_covariance(predictions, labels, weights=weights,
                                               name='covariance')
        var_predictions, update_var_predictions = streaming_covariance(
            predictions, predictions, weights=weights, name='variance_predictions')
        var_labels, update_var_labels = streaming_covariance(labels, labels, weights=weights,
                                                             name='variance_labels')
        pearson_r = tf.truediv(cov, tf.sqrt(var_predictions) * tf.sqrt(var_labels),
                               name='pearson_r')
        update_op = tf.truediv(update_cov,
                               tf.sqrt(update_var_predictions) * tf.sqrt(update_var_labels),
                               name='update_op')
    return _collect(metrics_collections, pearson_r, updates_collections, update_op)


def streaming_mean_cosine_distance(predictions, labels, dim, weights=None,
                                   metrics_collections=None, updates_collections=None,
                                   name=None):
    """1 - the mean dot product along `dim` of (normalised) predictions and labels."""
    predictions, labels, weights = metrics_impl._remove_squeezable_dimensions(
        predictions, labels, weights)
    predictions.get_shape().assert_is_compatible_with(labels.get_shape())
    radial_diffs = tf.reduce_sum(tf.multiply(predictions, labels), axis=[dim], keepdims=True)
    mean_distance, update_op = tf.metrics.mean(radial_diffs, weights, None, None,
                                               name or 'mean_cosine_distance')
    return _collect(metrics_collections, tf.subtract(1.0, mean_distance), updates_collections,
                    tf.subtract(1.0, update_op))


def f1_score(labels, predictions, weights=None, num_thresholds=200, metrics_collections=None,
             updates_collections=None, name=None):
    """The best F1 score of probabilities `predictions` for binary `labels` over
    num_thresholds thresholds spread over [0, 1]."""
    with tf.variable_scope(name, 'f1', (labels, predictions, weights)):
        predictions, labels, weights = metrics_impl._remove_squeezable_dimensions(
            predictions=predictions, labels=labels, weights=weights)
        thresholds = ([0.0 - _EPSILON] + [(i + 1) * 1.0 / (num_thresholds - 1)
                                          for i in range(num_thresholds - 2)]
                      + [1.0 + _EPSILON])
        values, update_ops = metrics_impl._confusion_matrix_at_thresholds(
            labels, predictions, thresholds, weights, includes=('tp', 'fp', 'fn'))

        def best_f1(counts, name):
            tp, fp, fn = counts['tp'], counts['fp'], counts['fn']
            precision = tf.div(tp, _EPSILON + tp + fp, name='precision_' + name)
            recall = tf.div(tp, _EPSILON + tp + fn, name='recall_' + name)
            return tf.reduce_max(2.0 * precision * recall / (precision + recall + _EPSILON))
        return _collect(metrics_collections, best_f1(values, 'value'), updates_collections,
                        best_f1(update_ops, 'update'))


def cohen_kappa(labels, predictions_idx, num_classes, weights=None, metrics_collections=None,
                updates_collections=None, name=None):
    """Cohen's kappa of predicted against true class indices (0 .. num_classes - 1):
    (observed - chance agreement) / (N - chance agreement), from a streamed confusion
    matrix."""
    if num_classes < 2:
        raise ValueError('`num_classes` must be >= 2.Found: {}'.format(num_classes))
    with tf.variable_scope(name, 'cohen_kappa', (labels, predictions_idx, weights)):
        labels.get_shape().with_rank_at_most(2)
        if labels.get_shape().ndims == 2:
            labels = tf.squeeze(labels, axis=[-1])
        predictions_idx, labels, weights = metrics_impl._remove_squeezable_dimensions(
            predictions=predictions_idx, labels=labels, weights=weights)
        predictions_idx.get_shape().assert_is_compatible_with(labels.get_shape())
        stat_dtype = tf.int64 if weights is None or weights.dtype.is_integer else tf.float32
        po, pe_row, pe_col = (metrics_impl.metric_variable((num_classes,), stat_dtype,
                                                           name=variable)
                              for variable in ('po', 'pe_row', 'pe_col'))
        counts_in_table = tf.confusion_matrix(labels, predictions_idx, num_classes=num_classes,
                                              weights=weights, dtype=stat_dtype,
                                              name='counts_in_table')
        update_po = tf.assign_add(po, tf.diag_part(counts_in_table))
        update_pe_row = tf.assign_add(pe_row, tf.reduce_sum(counts_in_table, axis=0))
        update_pe_col = tf.assign_add(pe_col, tf.reduce_sum(counts_in_table, axis=1))

        def kappa_of(po, pe_row, pe_col, name):
            total = tf.reduce_sum(pe_row)
            pe_sum = tf.reduce_sum(tf.div_no_nan(tf.cast(pe_row * pe_col, tf.float64),
                                                 tf.cast(total, tf.float64)))
            po_sum, total = tf.cast(tf.reduce_sum(po), tf.float64), tf.cast(total, tf.float64)
            return metrics_impl._safe_scalar_div(po_sum - pe_sum, total - pe_sum, name=name)
        return _collect(metrics_collections, kappa_of(po, pe_row, pe_col, 'value'),
                        updates_collections,
                        kappa_of(update_po, update_pe_row, update_pe_col, 'update_op'))


def count(values, weights=None, metrics_collections=None, updates_collections=None,
          name=None):
    """The number of values so far, or the sum of their weights."""
    with tf.variable_scope(name, 'count', (values, weights)):
        count_ = metrics_impl.metric_variable([], tf.float32, name='count')
        if weights is None:
            num_values = tf.cast(tf.size(values), tf.float32)
        else:
            values = tf.cast(values, tf.float32)
            values, _, weights = metrics_impl._remove_squeezable_dimensions(
                predictions=values, labels=None, weights=weights)
            weights = weights_broadcast_ops.broadcast_weights(tf.cast(weights, tf.float32),
                                                              values)
            num_values = tf.reduce_sum(weights)
        with tf.control_dependencies([values]):
            update_count_op = tf.assign_add(count_, num_values)
        count_ = metrics_impl._aggregate_variable(count_, metrics_collections)
        return _collect(None, count_, updates_collections, update_count_op)


def _next_array_size(required_size, growth_factor=1.5):
    """The next capacity of a growing array: the next power of growth_factor."""
    exponent = tf.ceil(tf.log(tf.cast(required_size, tf.float32))
                       / tf.log(tf.cast(growth_factor, tf.float32)))
    return tf.cast(tf.ceil(growth_factor ** exponent), tf.int32)


def streaming_concat(values, axis=0, max_size=None, metrics_collections=None,
                     updates_collections=None, name=None):
    """Every batch's `values` concatenated along `axis` (up to max_size), in a local
    array that grows by half each time it fills."""
    with tf.variable_scope(name, 'streaming_concat', (values,)):
        values_shape = values.get_shape()
        if values_shape.dims is None:
            raise ValueError('`values` must have known statically known rank')
        ndim = len(values_shape)
        axis = axis + ndim if axis < 0 else axis
        if not 0 <= axis < ndim:
            raise ValueError('axis = %r not in [0, %r)' % (axis, ndim))
        fixed_shape = [tf.dimension_value(dim) for n, dim in enumerate(values_shape)
                       if n != axis]
        if any(value is None for value in fixed_shape):
            raise ValueError('all dimensions of `values` other than the dimension to '
                             'concatenate along must have statically known size')
        # `axis` moved to the front of the stored array: appends are contiguous slices.
        array = metrics_impl.metric_variable([0 if max_size is None else max_size] + fixed_shape,
                                             values.dtype, validate_shape=False, name='array')
        size = metrics_impl.metric_variable([], tf.int32, name='size')
        perm = [0 if n == axis else n + 1 if n < axis else n for n in range(ndim)]
        valid_array = array[:size]
        valid_array.set_shape([None] + fixed_shape)
        value = tf.transpose(valid_array, perm, name='concat')
        values_size = tf.shape(values)[axis]
        batch_size = values_size if max_size is None else tf.minimum(values_size,
                                                                     max_size - size)
        batch_values = tf.transpose(values, [axis] + [n for n in range(ndim)
                                                      if n != axis])[:batch_size]
        new_size = size + batch_size

        def reallocate():
            next_shape = tf.stack([_next_array_size(new_size)] + fixed_shape)
            old_value = array.value()
            with tf.control_dependencies([old_value]):
                assign_op = tf.assign(array, tf.zeros(next_shape, dtype=values.dtype),
                                      validate_shape=False)
            with tf.control_dependencies([assign_op]):
                copy_op = array[:size].assign(old_value[:size])
            with tf.control_dependencies([copy_op]):
                return tf.no_op()
        # Its current shape, not the static one, which validate_shape=False leaves stale.
        array_size = array_ops.shape_internal(array, optimize=False)[0]
        maybe_reallocate_op = tf.cond(new_size > array_size, reallocate, tf.no_op)
        with tf.control_dependencies([maybe_reallocate_op]):
            append_values_op = array[size:new_size].assign(batch_values)
        with tf.control_dependencies([append_values_op]):
            update_op = size.assign(new_size)
        return _collect(metrics_collections, value, updates_collections, update_op)
