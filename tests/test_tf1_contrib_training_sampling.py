"""tf1's contrib.training samplers and placement strategies: rejection_sample and
stratified_sample keep what their probabilities say, resample_at_rate repeats each example
its Poisson count of times in order, GreedyLoadBalancingStrategy balances parameter-server
bytes; and `tensorflow.python.framework.ops.Tensor`, which TF 2.x moved."""
import numpy as np
import pytest
import tensorflow.compat.v1 as tf

from tf1.api import tensorflow as tf1_api

tf.disable_v2_behavior()

training = tf1_api.contrib.training
pytestmark = pytest.mark.usefixtures('fresh_graph')  # conftest.py


def run_queued(fetches, count):
    with tf.Session() as session:
        session.run([tf.global_variables_initializer(), tf.local_variables_initializer()])
        coord = tf.train.Coordinator()
        threads = tf.train.start_queue_runners(session, coord)
        try:
            return [session.run(fetches) for _ in range(count)]
        finally:
            coord.request_stop()
            coord.join(threads, stop_grace_period_secs=5)


def test_rejection_sample_keeps_what_its_probability_keeps():
    value = tf.random_uniform([], 0, 100, dtype=tf.int32, seed=1)
    batch, = training.rejection_sample(
        [value], lambda tensors: tf.cast(tf.equal(tensors[0] % 2, 0), tf.float32),
        batch_size=16, runtime_checks=True)
    for got in run_queued(batch, 3):
        assert len(got) == 16 and np.all(got % 2 == 0)


def test_stratified_sample_reaches_the_target_class_mix():
    tf.set_random_seed(3)
    label = tf.cast(tf.random_uniform([]) < 0.1, tf.int32)  # class 1 one time in ten
    value = tf.random_uniform([4])
    (values,), labels = training.stratified_sample(
        [value], label, target_probs=[0.5, 0.5], batch_size=100, init_probs=[0.9, 0.1])
    got = np.concatenate(run_queued(labels, 4))
    assert 0.35 < got.mean() < 0.65  # about half, from a stream with a tenth
    with pytest.raises(ValueError, match='Probability parameters must have the same length'):
        training.stratified_sample([value], label, [0.5, 0.5], 4, init_probs=[0.2, 0.3, 0.5])


def test_resample_at_rate_repeats_examples_in_order():
    inputs = tf.range(6) * 10
    rates = tf.constant([0.0, 3.0, 0.0, 2.0, 0.0, 4.0])
    resampled, = training.resample_at_rate([inputs], rates, seed=5)
    with tf.Session() as session:
        draws = [session.run(resampled) for _ in range(20)]
    for got in draws:
        assert set(got) <= {10, 30, 50} and list(got) == sorted(got)  # rate 0: never
    mean_count = np.mean([np.sum(got == 50) for got in draws])
    assert 2 < mean_count < 6  # Poisson(4)


def test_greedy_load_balancing_places_variables_by_bytes():
    strategy = training.GreedyLoadBalancingStrategy(2, training.byte_size_load_fn)
    with tf.device(tf.train.replica_device_setter(ps_tasks=2, ps_strategy=strategy)):
        big = tf.get_variable('big', [100])
        small = [tf.get_variable('small%d' % i, [10]) for i in range(3)]
    assert big.device.endswith('/job:ps/task:0')
    assert all(v.device.endswith('/job:ps/task:1') for v in small)  # 120 bytes against 400
    random = training.RandomStrategy(4, seed=2)
    assert random(big.op) == random(big.op) and 0 <= random(big.op) < 4
    with pytest.raises(ValueError, match='must have a single output'):
        training.byte_size_load_fn(tf.no_op())


def test_tensor_classes_are_where_tf_1_x_code_looks_for_them():
    ops = tf1_api.python.framework.ops
    assert isinstance(tf.constant(1.0), ops.Tensor)
    assert ops.IndexedSlices is tf.IndexedSlices
    assert ops.get_default_graph() is tf.get_default_graph()
