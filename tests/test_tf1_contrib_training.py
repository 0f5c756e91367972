"""tf1's tf.contrib.training loops (TF 1.15's training.py and evaluation.py): a train op
returning the loss, train() until a hook stops it with checkpoints in logdir, then
evaluate_once and evaluate_repeatedly restoring them, as TFGAN-era scripts ran them."""
import numpy as np
import pytest
import tensorflow.compat.v1 as tf

from tf1.api import tensorflow as tf1_api

tf.disable_v2_behavior()
pytestmark = pytest.mark.usefixtures('fresh_graph')  # conftest.py

training = tf1_api.contrib.training


def regression():
    """A weight to fit y = 3x, its loss, and the mean squared error as a streaming metric."""
    x = tf.constant(np.linspace(-1, 1, 32, dtype=np.float32))
    w = tf.get_variable('w', [], initializer=tf.zeros_initializer())
    loss = tf.reduce_mean(tf.square(w * x - 3 * x))
    return w, loss


def test_train_then_evaluate(tmp_path):
    w, loss = regression()
    doubled = []
    train_op = training.create_train_op(
        loss, tf.train.GradientDescentOptimizer(0.5),
        transform_grads_fn=lambda grads: doubled.append(1) or [(2 * g, v) for g, v in grads])
    assert doubled == [1]
    last_loss = training.train(train_op, str(tmp_path),
                               hooks=[tf.train.StopAtStepHook(last_step=60)],
                               save_checkpoint_secs=None, save_checkpoint_steps=60,
                               save_summaries_steps=None)
    assert last_loss < 1e-4
    assert tf.train.latest_checkpoint(str(tmp_path)).endswith('model.ckpt-60')
    with tf.Graph().as_default():
        w, loss = regression()
        mse, update = tf.metrics.mean(loss)
        final = training.evaluate_once(
            tf.train.latest_checkpoint(str(tmp_path)), eval_ops=update, final_ops={'mse': mse,
                                                                                   'w': w},
            hooks=[training.StopAfterNEvalsHook(3)])
        assert final['w'] == pytest.approx(3.0, abs=1e-2) and final['mse'] < 1e-4
        again = training.evaluate_repeatedly(
            str(tmp_path), eval_ops=update, final_ops=w, eval_interval_secs=0,
            hooks=[training.StopAfterNEvalsHook(1)], max_number_of_evaluations=1)
        assert again == pytest.approx(final['w'])
        assert training.get_or_create_eval_step().op.name == 'eval_step'


def test_train_refuses_to_lose_its_checkpoints_and_summaries():
    _, loss = regression()
    train_op = training.create_train_op(loss, tf.train.GradientDescentOptimizer(0.5))
    with pytest.raises(ValueError, match='logdir cannot be None when save_summaries_steps'):
        training.train(train_op, None)


def test_gradient_helpers():
    w, loss = regression()
    grads = tf.train.GradientDescentOptimizer(0.1).compute_gradients(loss, [w])
    clipped = training.clip_gradient_norms_fn(0.5)(grads)
    multiplied = training.multiply_gradients(grads, {w: 3.0})
    summaries = training.add_gradients_summaries(grads)
    assert [s.op.name for s in summaries] == ['w_gradient', 'w_gradient_norm']
    with tf.Session() as session:
        session.run(tf.global_variables_initializer())
        raw, small, tripled = session.run([grads[0][0], clipped[0][0], multiplied[0][0]])
    assert abs(small) == pytest.approx(min(abs(raw), 0.5)) and tripled == pytest.approx(3 * raw)
