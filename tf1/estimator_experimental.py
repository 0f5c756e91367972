"""TF 1.13-1.15's tf.estimator.experimental: the early-stopping hooks and
make_stop_at_checkpoint_step_hook (estimator_early_stopping.py), InMemoryEvaluatorHook
(estimator_in_memory.py), build_raw_supervised_input_receiver_fn (estimator_export.py), the
logit_fns (estimator_logit_fns.py) and KMeans (contrib.factorization's KMeansClustering, its
seed named `seed`);
its other names say in one line that tf1 lacks them."""
from tf1.estimator_early_stopping import (  # noqa: F401 (the namespace's names)
    make_early_stopping_hook, make_stop_at_checkpoint_step_hook, stop_if_higher_hook,
    stop_if_lower_hook, stop_if_no_decrease_hook, stop_if_no_increase_hook)
from tf1.estimator_export import build_raw_supervised_input_receiver_fn  # noqa: F401
from tf1.estimator_in_memory import InMemoryEvaluatorHook  # noqa: F401
from tf1.estimator_logit_fns import (  # noqa: F401
    call_logit_fn, dnn_logit_fn_builder, linear_logit_fn_builder)
from tf1.unsupported import UnsupportedApiError

_NOT_RECREATED = frozenset(['LinearSDCA', 'RNNClassifier', 'RNNEstimator'])


def __getattr__(name):
    if name == 'KMeans':  # imported when asked for: tf.estimator need not load k-means
        from tf1.contrib_factorization import ExperimentalKMeans
        return ExperimentalKMeans
    if name in _NOT_RECREATED:
        raise UnsupportedApiError(
            'tf.estimator.experimental.%s (TF 1.x) is not provided by tf1, which offers its '
            'early-stopping hooks, make_stop_at_checkpoint_step_hook, InMemoryEvaluatorHook, '
            'build_raw_supervised_input_receiver_fn, the logit_fns and KMeans: write a '
            'model_fn or a hook for Estimator instead' % name)
    raise AttributeError("module 'tf.estimator.experimental' has no attribute %r" % name)
