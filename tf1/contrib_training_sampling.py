"""contrib.training's sampling (TF 1.x's sampling_ops.py and resample.py):

- rejection_sample: a batch of examples each kept with the probability a function gives it;
- stratified_sample: batches whose classes follow `target_probs`, by rejecting examples of
  the classes the data over-represents (their frequency estimated as it streams by, unless
  given);
- resample_at_rate / weighted_resample: each example repeated a Poisson number of times.

Queue-based as in TF 1.x: the samplers' queue runners start with tf.train.start_queue_runners
or a Supervisor. Built op for op as TF 1.x built them, so that with only a graph-level seed
the random draws are TF 1.x's."""
import tensorflow.compat.v1 as tf
from tensorflow.python.framework import indexed_slices
from tensorflow.python.ops.control_flow_ops import with_dependencies as _with_dependencies
from tensorflow.python.training import moving_averages

__all__ = ['rejection_sample', 'stratified_sample', 'resample_at_rate', 'weighted_resample']


def rejection_sample(tensors, accept_prob_fn, batch_size, queue_threads=1, enqueue_many=False,
                     prebatch_capacity=16, prebatch_threads=1, runtime_checks=False, name=None):
    """A batch of `tensors` (one example, or a batch of them with enqueue_many), each
    example kept with probability accept_prob_fn(example tensors), a scalar in [0, 1]
    (checked when the graph runs with runtime_checks)."""
    with tf.variable_scope(name, 'rejection_sample', tensors):
        tensor_list = indexed_slices.convert_n_to_tensor_or_indexed_slices(tensors)
        if enqueue_many:  # one example at a time
            _check_batch_dimensions(tensor_list)
            batched = tf.train.batch(tensor_list, batch_size=1, num_threads=prebatch_threads,
                                     capacity=prebatch_capacity, enqueue_many=True)
            tensor_list = [tf.squeeze(x, [0]) for x in batched]
        probability = accept_prob_fn(tensor_list)
        if runtime_checks:
            probability = tf.identity(_with_dependencies(
                [tf.assert_less_equal(0.0, probability), tf.assert_less_equal(probability, 1.0)],
                probability), name='prob_with_checks')
        minibatch = tf.train.maybe_batch(tensor_list,
                                         keep_input=tf.random_uniform([]) < probability,
                                         batch_size=batch_size, num_threads=queue_threads)
        return [minibatch] if isinstance(minibatch, tf.Tensor) else minibatch


def stratified_sample(tensors, labels, target_probs, batch_size, init_probs=None,
                      enqueue_many=False, queue_capacity=16, threads_per_queue=1, name=None):
    """(batch, labels): examples with class `labels` (an int) kept with probability
    target / init for their class, scaled so that the best-represented class is always
    kept; init_probs (the data's class frequencies) is estimated from the labels seen so far
    when not given. Classes the data lacks (init 0) must have target 0."""
    with tf.name_scope(name, 'stratified_sample', list(tensors) + [labels]):
        tensor_list = indexed_slices.convert_n_to_tensor_or_indexed_slices(tensors)
        labels = tf.convert_to_tensor(labels)
        target_probs = tf.convert_to_tensor(target_probs, dtype=tf.float32)
        if not enqueue_many:  # a batch of one
            tensor_list = [tf.expand_dims(tensor, 0) for tensor in tensor_list]
            labels = tf.expand_dims(labels, 0)
        if init_probs is None:
            target_probs.get_shape().assert_is_fully_defined()
            init_probs = _estimate_data_distribution(labels,
                                                     target_probs.get_shape().num_elements())
        else:
            init_probs = tf.convert_to_tensor(init_probs, dtype=tf.float32)
        tensor_list, labels, [init_probs, target_probs] = _verify_input(
            tensor_list, labels, [init_probs, target_probs])
        assert_op = tf.Assert(tf.reduce_all(tf.logical_or(tf.not_equal(init_probs, 0),
                                                          tf.equal(target_probs, 0))),
                              ['All classes with zero initial probability must also have '
                               'zero target probability: ', init_probs, target_probs])
        init_probs = _with_dependencies([assert_op], init_probs)
        accept_probs = _acceptance_probabilities(init_probs, target_probs)
        proportion_rejected = tf.reduce_sum((1 - accept_probs) * init_probs)
        accept_probs = tf.cond(tf.less(proportion_rejected, 0.5), lambda: accept_probs,
                               lambda: tf.Print(accept_probs, [accept_probs],
                                                message='Proportion of examples rejected by '
                                                        'sampler is high.', first_n=10))
        batched = tf.train.batch(tensor_list + [labels], batch_size=1,
                                 num_threads=threads_per_queue, capacity=queue_capacity,
                                 enqueue_many=True)
        values = [tf.squeeze(x, [0]) for x in batched[:-1]]
        label = tf.squeeze(batched[-1], [0])
        keep = tf.random_uniform([]) < tf.gather(accept_probs, label)
        batched = tf.train.maybe_batch(values + [label], keep_input=keep,
                                       batch_size=batch_size, num_threads=threads_per_queue)
        return batched[:-1], batched[-1]


def _estimate_data_distribution(labels, num_classes, smoothing_constant=10):
    """The class frequencies of every label seen so far (counts started at
    smoothing_constant), in a non-trainable variable `class_count`."""
    if smoothing_constant <= 0:
        raise ValueError('smoothing_constant must be nonzero.')
    seen = tf.Variable(initial_value=[smoothing_constant] * num_classes, trainable=False,
                       name='class_count', dtype=tf.int64)
    seen = seen.assign_add(tf.reduce_sum(tf.one_hot(labels, num_classes, dtype=tf.int64), 0))
    seen += 0  # a tensor, not the ref the assign returns
    return tf.cast(tf.truediv(seen, tf.reduce_sum(seen)), tf.float32)


def _check_batch_dimensions(tensor_list):
    for tensor in tensor_list:
        shape = tensor.get_shape().with_rank_at_least(1)
        tf.compat.dimension_at_index(shape, 0).assert_is_compatible_with(
            tensor_list[0].get_shape()[0])
    return tensor_list


def _verify_input(tensor_list, labels, probs_list):
    """The probability vectors checked to be distributions of one length, the labels a
    vector of valid classes as long as every tensor's first dimension (now, where shapes
    say, and when the graph runs)."""
    checked_probs_list = []
    for probs in probs_list:
        probs.get_shape().assert_is_fully_defined()
        probs.get_shape().assert_has_rank(1)
        tol = 1e-6
        prob_sum = tf.reduce_sum(probs)
        checked_probs_list.append(_with_dependencies(
            [tf.assert_non_negative(probs), tf.assert_less(prob_sum, 1.0 + tol),
             tf.assert_less(1.0 - tol, prob_sum)], probs))
    prob_length = checked_probs_list[0].get_shape().num_elements()
    if any(probs.get_shape().num_elements() != prob_length for probs in checked_probs_list):
        raise ValueError('Probability parameters must have the same length.')
    labels.get_shape().assert_has_rank(1)
    for tensor in tensor_list:
        shape = tensor.get_shape().with_rank_at_least(1)
        tf.compat.dimension_at_index(shape, 0).assert_is_compatible_with(labels.get_shape()[0])
    labels_batch_size = tf.shape(labels)[0]
    labels_assert = tf.assert_positive(labels_batch_size)
    labels = _with_dependencies([labels_assert], labels)
    tensor_list = [_with_dependencies([labels_assert, tf.assert_equal(tf.shape(x)[0],
                                                                      labels_batch_size)], x)
                   for x in tensor_list]
    labels = _with_dependencies([tf.assert_integer(labels), tf.assert_non_negative(labels),
                                 tf.assert_less(labels, tf.cast(prob_length, labels.dtype))],
                                labels)
    return tensor_list, labels, checked_probs_list


def _acceptance_probabilities(init_probs, target_probs):
    """target / init per class (0 where both are 0), divided by its largest value."""
    ratio = target_probs / init_probs
    ratio = tf.where_v2(tf.is_nan(ratio), tf.zeros_like(ratio), ratio)
    return ratio / tf.reduce_max(ratio)


def _repeat_range(counts, name=None):
    """[0] * counts[0] + [1] * counts[1] + ...: each index repeated its count of times."""
    with tf.name_scope(name, 'repeat_range', [counts]) as scope:
        counts = tf.convert_to_tensor(counts, name='counts')
        size = tf.shape(counts)[0]

        def body(output, i):
            return output.write(i, tf.fill(counts[i:i + 1], i)), i + 1

        output_array, num_writes = tf.while_loop(
            lambda unused_output, i: i < size, body,
            loop_vars=[tf.TensorArray(dtype=tf.int32, size=size, infer_shape=False), 0])
        return tf.cond(num_writes > 0, output_array.concat,
                       lambda: tf.zeros(shape=[0], dtype=tf.int32), name=scope)


def resample_at_rate(inputs, rates, scope=None, seed=None, back_prop=False):
    """`inputs` (tensors of one batch) with example i repeated Poisson(rates[i]) times;
    back_prop=False stops gradients through the sampled indices."""
    with tf.name_scope(scope, default_name='resample_at_rate', values=list(inputs) + [rates]):
        rates = tf.convert_to_tensor(rates, name='rates')
        sample_counts = tf.cast(tf.random_poisson(rates, (), rates.dtype, seed=seed), tf.int32)
        sample_indices = _repeat_range(sample_counts)
        if not back_prop:
            sample_indices = tf.stop_gradient(sample_indices)
        return [tf.gather(x, sample_indices) for x in inputs]


def weighted_resample(inputs, weights, overall_rate, scope=None, mean_decay=0.999, seed=None):
    """(resampled inputs, their rates): example i repeated Poisson(weights[i] * overall_rate
    / mean weight) times, the mean a moving average (local variable `estimated_mean`), so
    that the output holds about overall_rate times as many examples."""
    with tf.name_scope(scope, 'weighted_resample', inputs) as opscope:
        with tf.variable_scope(scope, 'estimate_mean', inputs):
            estimated_mean = tf.get_local_variable(
                'estimated_mean', initializer=tf.cast(0, weights.dtype), dtype=weights.dtype)
            mean = moving_averages.assign_moving_average(
                estimated_mean, tf.reduce_mean(weights), mean_decay)
        rates = weights * overall_rate / mean
        results = resample_at_rate([rates] + inputs, rates, scope=opscope, seed=seed,
                                   back_prop=False)
        return results[1:], results[0]
