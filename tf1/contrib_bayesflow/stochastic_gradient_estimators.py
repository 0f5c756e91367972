"""tf.contrib.bayesflow.stochastic_gradient_estimators (TF 1.0-1.4): the loss functions a
StochasticTensor gives surrogate_loss, whose gradient is the score-function estimator of
the gradient of E_p(x)[f(x)]: E_p(x)[(f(x) - b) grad log p(x)], with an optional baseline b
that lowers its variance (Schulman et al., http://arxiv.org/abs/1506.05254, eq. 1 and
section 4). Baseline functions take (stochastic tensor, influenced loss)."""
import numpy as np
import tensorflow.compat.v1 as tf


def score_function(stochastic_tensor, value, loss, baseline=None, name='ScoreFunction'):
    """`p.log_prob(value) * stop_gradient(loss - baseline)`: its gradient is the score
    function estimator."""
    with tf.name_scope(name, values=[value, loss, baseline]):
        value = tf.convert_to_tensor(value)
        advantage = tf.convert_to_tensor(loss)
        if baseline is not None:
            advantage -= tf.convert_to_tensor(baseline)
        advantage = tf.stop_gradient(advantage)
        return stochastic_tensor.distribution.log_prob(value) * advantage


def get_score_function_with_advantage(advantage_fn=None, name='ScoreFunctionWithAdvantage'):
    """A score function whose advantage is `advantage_fn(stochastic_tensor, loss)`."""
    def score_function_with_advantage(stochastic_tensor, value, loss):
        with tf.name_scope(name, values=[value, loss]):
            advantage = tf.stop_gradient(advantage_fn(stochastic_tensor, loss))
            return stochastic_tensor.distribution.log_prob(value) * advantage
    return score_function_with_advantage


def get_score_function_with_constant_baseline(baseline, name='ScoreFunction'):
    """A score function with the tensor `baseline` taken from the loss."""
    def score_function_with_constant_baseline(stochastic_tensor, value, loss):
        return score_function(stochastic_tensor, value, loss, baseline, name)
    return score_function_with_constant_baseline


def get_score_function_with_baseline(baseline_fn=None, name='ScoreFunction'):
    """A score function with `baseline_fn(stochastic_tensor, loss)` taken from the loss
    (by default get_mean_baseline(): a moving average of the loss)."""
    if baseline_fn is None:
        baseline_fn = get_mean_baseline()

    def score_function_with_baseline(stochastic_tensor, value, loss):
        with tf.name_scope(name):
            return score_function(stochastic_tensor, value, loss,
                                  baseline_fn(stochastic_tensor, loss))
    return score_function_with_baseline


def get_mean_baseline(ema_decay=0.99, name=None):
    """A baseline function: the exponential moving average of the mean loss, updated
    each time the baseline is computed."""
    def mean_baseline(_, loss):
        with tf.variable_scope(name, default_name='MeanBaseline'):
            reduced_loss = tf.reduce_mean(loss)
            ema = tf.train.ExponentialMovingAverage(decay=ema_decay, zero_debias=True)
            update_op = ema.apply([reduced_loss])
            with tf.control_dependencies([update_op]):
                # An op made in this context, so that reading the baseline updates it.
                return tf.identity(ema.average(reduced_loss))
    return mean_baseline


def get_vimco_advantage_fn(have_log_loss=False):
    """VIMCO's advantage function (Mnih and Rezende, https://arxiv.org/abs/1602.06725,
    eq. 9) for a `loss` [n, ...] of n >= 2 samples (SampleValue(n)): probabilities or
    ratios, or their logarithms with `have_log_loss`."""
    def vimco_advantage_fn(_, loss, name=None):
        with tf.name_scope(name, 'VIMCOAdvantage', values=[loss]):
            loss = tf.convert_to_tensor(loss)
            n = tf.cast(tf.dimension_value(loss.get_shape()[0]) or tf.shape(loss)[0],
                        dtype=loss.dtype)
            log_loss = loss if have_log_loss else tf.log(loss)
            # L_hat, eq. 4, computed stably.
            log_mean = tf.reduce_logsumexp(log_loss, [0]) - tf.log(n)
            # log_loss_sub[i] = log_loss - log_loss[i]
            log_loss_sub = log_loss - tf.expand_dims(log_loss, [1])
            # log_loss[j] - (sum over i != j of log_loss[i]) / (n - 1)
            geometric_reduction = tf.reduce_sum(log_loss_sub, [0]) / (n - 1)
            log_geometric_mean = log_loss - geometric_reduction
            # Eq. 9: the sum over i != j of loss[i], through log-sum-exp.
            log_local_learning_reduction = tf.reduce_logsumexp(-log_loss_sub, [0])
            local_learning_log_sum = _logexpm1(log_local_learning_reduction) + log_loss
            local_learning_signal = tf.reduce_logsumexp(
                tf.stack((local_learning_log_sum, log_geometric_mean)), [0]) - tf.log(n)
            return log_mean - local_learning_signal
    return vimco_advantage_fn


def _logexpm1(x):
    """log(exp(x) - 1), stably."""
    with tf.name_scope('logsumexp1'):
        eps = np.finfo(x.dtype.as_numpy_dtype).eps
        safe_log = lambda y: tf.log(y + eps / 1e8)  # noqa: E731 (its gradient stays finite)
        return tf.where(tf.abs(x) < eps,
                        safe_log(x) + x / 2 + x * x / 24,  # log(expm1(x)) for small x
                        safe_log(tf.exp(x) - 1))
