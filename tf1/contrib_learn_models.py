"""tf.contrib.learn.models as TF 1.x had it (contrib/learn/python/learn/models.py): the
skflow-era model functions a contrib.learn Estimator's model_fn called, each returning
(predictions, loss) from contrib.learn.ops' heads, with histograms of its inputs and
variables."""
import tensorflow.compat.v1 as tf

from tf1.contrib_learn_ops import mean_squared_error_regressor, softmax_classifier

__all__ = ['linear_regression', 'linear_regression_zero_init', 'logistic_regression',
           'logistic_regression_zero_init']


def _weights_and_bias(x, outputs, init_mean, init_stddev):
    """`weights` [x's columns, outputs] and `bias` [outputs] in the current scope: by the
    scope's initializer, or drawn from N(init_mean, init_stddev) when init_mean is given;
    with histograms of x and both."""
    dtype = x.dtype.base_dtype
    initializer = (None if init_mean is None
                   else tf.random_normal_initializer(init_mean, init_stddev, dtype=dtype))
    weights = tf.get_variable('weights', [x.get_shape()[1], outputs], dtype=dtype,
                              initializer=initializer)
    bias = tf.get_variable('bias', [outputs], dtype=dtype, initializer=initializer)
    return weights, bias


def _histograms(scope_name, **tensors):
    for name, tensor in tensors.items():
        tf.summary.histogram('%s.%s' % (scope_name, name), tensor)


def linear_regression(x, y, init_mean=None, init_stddev=1.0):
    """x @ weights + bias against `y` (one column, or several) by mean squared error:
    (predictions, loss), in scope `linear_regression`."""
    with tf.variable_scope('linear_regression'):
        scope_name = tf.get_variable_scope().name
        _histograms(scope_name, x=x, y=y)
        outputs = 1 if len(y.get_shape()) == 1 else y.get_shape()[1]
        weights, bias = _weights_and_bias(x, outputs, init_mean, init_stddev)
        _histograms(scope_name, weights=weights, bias=bias)
        return mean_squared_error_regressor(x, y, weights, bias)


def logistic_regression(x, y, class_weight=None, init_mean=None, init_stddev=1.0):
    """softmax(x @ weights + bias) against one-hot `y` by cross-entropy: (probabilities,
    loss), in scope `logistic_regression`. The logits are scaled by `class_weight`, or by
    the graph's tensor `class_weight:0` where there is one, as in TF 1.x."""
    with tf.variable_scope('logistic_regression'):
        scope_name = tf.get_variable_scope().name
        _histograms(scope_name, x=x, y=y)
        weights, bias = _weights_and_bias(x, y.get_shape()[-1], init_mean, init_stddev)
        _histograms(scope_name, weights=weights, bias=bias)
        if not class_weight:
            try:
                class_weight = tf.get_default_graph().get_tensor_by_name('class_weight:0')
            except KeyError:
                pass
        return softmax_classifier(x, y, weights, bias, class_weight=class_weight)


# TF 1.x's "zero_init" forms passed only init_stddev=0, which does nothing while init_mean
# is None: the scope's initializer draws the weights, and so it does here.
def linear_regression_zero_init(x, y):
    return linear_regression(x, y, init_stddev=0.0)


def logistic_regression_zero_init(x, y):
    return logistic_regression(x, y, init_stddev=0.0)
