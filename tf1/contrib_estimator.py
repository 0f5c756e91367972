"""tf.contrib.estimator of TF 1.5-1.15: what tf.estimator later took from it, under its
contrib names. Heads (contrib_estimator_head.py), the estimators that take one
(DNNEstimator, LinearEstimator, DNNLinearCombinedEstimator), RNNClassifier and
RNNEstimator (contrib_estimator_rnn.py), the extenders (add_metrics, forward_features,
clip_gradients_by_norm, replicate_model_fn, TowerOptimizer), TF 1.10-1.12's early-stopping
hooks and InMemoryEvaluatorHook, the logit_fns (estimator_logit_fns.py), TF 1.9-1.15's
exports of the TRAIN and EVAL graphs (estimator_export.py); its other names say in one
line that tf1 lacks them."""
from tf1.contrib_estimator_head import (  # noqa: F401 (the namespace's names)
    binary_classification_head, logistic_regression_head, multi_class_head, multi_label_head,
    poisson_regression_head, regression_head)
from tf1.contrib_estimator_rnn import RNNClassifier, RNNEstimator  # noqa: F401
from tf1.estimator_early_stopping import (  # noqa: F401
    make_early_stopping_hook, make_stop_at_checkpoint_step_hook, read_eval_metrics,
    stop_if_higher_hook, stop_if_lower_hook, stop_if_no_decrease_hook,
    stop_if_no_increase_hook)
from tf1.estimator_extenders import (  # noqa: F401
    TowerOptimizer, add_metrics, clip_gradients_by_norm, forward_features, replicate_model_fn)
from tf1.estimator_export import (  # noqa: F401
    build_raw_supervised_input_receiver_fn, build_supervised_input_receiver_fn_from_input_fn)
from tf1.estimator_in_memory import InMemoryEvaluatorHook  # noqa: F401
from tf1.estimator_logit_fns import (  # noqa: F401
    call_logit_fn, dnn_logit_fn_builder, linear_logit_fn_builder)
from tf1.estimator_premade import (  # noqa: F401
    DNNEstimator, DNNLinearCombinedEstimator, LinearEstimator)
from tf1.estimator_spec import ModeKeys
from tf1.unsupported import UnsupportedApiError

_NOT_RECREATED = frozenset([
    'DNNClassifierWithLayerAnnotations', 'DNNRegressorWithLayerAnnotations',
    'SavedModelEstimator',
    'boosted_trees_classifier_train_in_memory', 'boosted_trees_regressor_train_in_memory',
    'multi_head'])


def __getattr__(name):
    if name in _NOT_RECREATED:
        raise UnsupportedApiError(
            'tf.contrib.estimator.%s (TF 1.x) is not provided by tf1, which offers its heads, '
            'DNNEstimator, LinearEstimator, DNNLinearCombinedEstimator, RNNClassifier, '
            'RNNEstimator, add_metrics, '
            'forward_features, clip_gradients_by_norm, replicate_model_fn (one device), '
            'the early-stopping hooks, make_stop_at_checkpoint_step_hook, '
            'InMemoryEvaluatorHook, the logit_fns and the SavedModel exports of '
            'every mode: write a model_fn for Estimator instead' % name)
    raise AttributeError("module 'tf.contrib.estimator' has no attribute %r" % name)


def export_saved_model_for_mode(estimator, export_dir_base, input_receiver_fn,
                                assets_extra=None, as_text=False, checkpoint_path=None,
                                mode=ModeKeys.PREDICT):
    """A SavedModel of `estimator`'s graph for `mode` (TRAIN, EVAL or PREDICT); its path.
    TF 1.15 deprecated it for estimator.export_saved_model(experimental_mode=), its body."""
    return estimator.export_saved_model(export_dir_base, input_receiver_fn, assets_extra,
                                        as_text, checkpoint_path, experimental_mode=mode)


def export_all_saved_models(estimator, export_dir_base, input_receiver_fn_map,
                            assets_extra=None, as_text=False, checkpoint_path=None):
    """A SavedModel with `estimator`'s graph for each mode of input_receiver_fn_map (TF
    1.15 deprecated it for estimator.experimental_export_all_saved_models, its body)."""
    return estimator.experimental_export_all_saved_models(
        export_dir_base, input_receiver_fn_map, assets_extra, as_text, checkpoint_path)
