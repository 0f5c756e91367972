"""tf.contrib.tensor_forest's estimators (TF 1.0-1.15, contrib/tensor_forest/client/
random_forest.py): TensorForestEstimator on contrib.learn's Estimator (fit/evaluate/predict,
SKCompat) and CoreTensorForestEstimator on tf.estimator's, with TF 1.15's model_fn: the
forest's probabilities taken as the head's logits, a training step that grows the trees and
counts the global step, TensorForestLossHook stopping when the loss has not improved by
`early_stopping_loss_threshold` in `early_stopping_rounds` steps, and the predictions'
`prediction_variance` (and `keys`). TF 0.12's module path and its TensorForestLossMonitor
lead here too."""
import tensorflow.compat.v1 as tf

from tf1 import contrib_estimator_head, contrib_learn_head
from tf1.contrib_learn import ModeKeys
from tf1.contrib_learn_estimator import Estimator
from tf1.contrib_tensor_forest import RandomForestGraphs
from tf1.estimator_core import Estimator as CoreEstimator
from tf1.estimator_export import PredictOutput
from tf1.unsupported import UnsupportedApiError

KEYS_NAME = 'keys'
LOSS_NAME = 'rf_training_loss'
TREE_PATHS_PREDICTION_KEY = 'tree_paths'
VARIANCE_PREDICTION_KEY = 'prediction_variance'
ALL_SERVING_KEY = 'tensorforest_all'
EPSILON = 0.000001


class ModelBuilderOutputType(object):
    MODEL_FN_OPS = 0
    ESTIMATOR_SPEC = 1


class TensorForestRunOpAtEndHook(tf.train.SessionRunHook):
    """Logs {name: op}'s values before the session closes (the feature importances)."""

    def __init__(self, op_dict):
        self._ops = op_dict

    def end(self, session):
        for name in sorted(self._ops.keys()):
            tf.logging.info('{0}: {1}'.format(name, session.run(self._ops[name])))


class TensorForestLossHook(tf.train.SessionRunHook):
    """Requests a stop when the loss has not fallen by `early_stopping_loss_threshold`
    (a fraction) for `early_stopping_rounds` steps."""

    def __init__(self, early_stopping_rounds, early_stopping_loss_threshold=None,
                 loss_op=None):
        self.early_stopping_rounds = early_stopping_rounds
        self.early_stopping_loss_threshold = early_stopping_loss_threshold or 0.0
        self.loss_op = loss_op
        self.min_loss = None
        self.last_step = -1
        self.steps = 0

    def before_run(self, run_context):
        loss = (self.loss_op if self.loss_op is not None else
                run_context.session.graph.get_operation_by_name(LOSS_NAME).outputs[0])
        return tf.train.SessionRunArgs({'global_step': tf.train.get_global_step(),
                                        'current_loss': loss})

    def after_run(self, run_context, run_values):
        current_loss = run_values.results['current_loss']
        current_step = run_values.results['global_step']
        self.steps += 1
        if self.last_step == -1 or self.last_step > current_step:
            tf.logging.info('TensorForestLossHook resetting last_step.')
            self.last_step = current_step
            self.steps = 0
            self.min_loss = None
            return
        self.last_step = current_step
        if (self.min_loss is None or current_loss <
                (self.min_loss - self.min_loss * self.early_stopping_loss_threshold)):
            self.min_loss = current_loss
            self.steps = 0
        if self.steps > self.early_stopping_rounds:
            tf.logging.info('TensorForestLossHook requesting stop.')
            run_context.request_stop()


class TensorForestLossMonitor(TensorForestLossHook):
    """TF 0.12's monitor of the same: (early_stopping_rounds, check_every_n_steps)."""

    def __init__(self, early_stopping_rounds, check_every_n_steps):
        super().__init__(early_stopping_rounds // max(1, check_every_n_steps) or 1)
        self._every = max(1, check_every_n_steps)
        self._calls = 0

    def before_run(self, run_context):
        self._calls += 1
        return super().before_run(run_context) if self._calls % self._every == 0 else None

    def after_run(self, run_context, run_values):
        if run_values.results is not None:
            super().after_run(run_context, run_values)


def _get_default_head(params, weights_name, output_type, name=None):
    if output_type == ModelBuilderOutputType.MODEL_FN_OPS:
        if params.regression:
            return contrib_learn_head.RegressionHead(params.num_outputs, weights_name)
        return contrib_learn_head.classifier_head(params.num_classes, weights_name)
    if params.regression:
        return contrib_estimator_head.regression_head(
            weight_column=weights_name, label_dimension=params.num_outputs, name=name)
    if params.num_classes == 2:
        return contrib_estimator_head.binary_classification_head(
            weight_column=weights_name, name=name)
    return contrib_estimator_head.multi_class_head(
        n_classes=params.num_classes, weight_column=weights_name, name=name)


def get_model_fn(params, graph_builder_class, device_assigner, feature_columns=None,
                 weights_name=None, model_head=None, keys_name=None,
                 early_stopping_rounds=100, early_stopping_loss_threshold=0.001,
                 num_trainers=1, trainer_id=0, report_feature_importances=False,
                 local_eval=False, head_scope=None, include_all_in_serving=False,
                 output_type=ModelBuilderOutputType.MODEL_FN_OPS):
    """TF 1.15's model_fn of a forest, for either Estimator."""
    if model_head is None:
        model_head = _get_default_head(params, weights_name, output_type)

    def _model_fn(features, labels, mode):
        if isinstance(features, (tf.Tensor, tf.SparseTensor)):
            features = {'features': features}
        features = dict(features)
        if feature_columns:   # each column's transformed tensor, under the column's name
            features.update(_transformed(features, feature_columns, output_type))
        weights = features.pop(weights_name) if weights_name in features else None
        keys = features.pop(keys_name) if keys_name and keys_name in features else None
        dev_assn = device_assigner
        if mode == ModeKeys.INFER or (local_eval and mode == ModeKeys.EVAL):
            dev_assn = None
        graph_builder = graph_builder_class(params, device_assigner=dev_assn)
        logits, tree_paths, regression_variance = graph_builder.inference_graph(features)
        tf.summary.scalar('average_tree_size', graph_builder.average_size())
        # The binary heads take one logit: the log-odds of class 1's probability.
        if not params.regression and params.num_classes == 2:
            class_1_probs = tf.slice(logits, [0, 1], [-1, 1])
            logits = tf.log(tf.maximum(class_1_probs / tf.maximum(1.0 - class_1_probs,
                                                                  EPSILON), EPSILON))
        training_graph = None
        if labels is not None and mode == ModeKeys.TRAIN:
            # TF 1.0-1.3's loss by name, which TF 0.12's TensorForestLossMonitor looks up.
            graph_builder.training_loss(features, labels, name=LOSS_NAME)
            with tf.control_dependencies([logits.op]):
                training_graph = tf.group(
                    graph_builder.training_graph(features, labels, input_weights=weights,
                                                 num_trainers=num_trainers,
                                                 trainer_id=trainer_id),
                    tf.assign_add(tf.train.get_global_step(), 1))
        if weights is not None:
            features[weights_name] = weights
        ops_at_end = {}
        if report_feature_importances:
            ops_at_end['1: feature_importances'] = graph_builder.feature_importances()
        hooks = [TensorForestRunOpAtEndHook(ops_at_end)]

        def _train_fn(unused_loss):
            return training_graph
        if output_type == ModelBuilderOutputType.MODEL_FN_OPS:
            spec = model_head.model_fn_ops(features, labels, mode, _train_fn, logits)
        else:
            spec = model_head.create_estimator_spec(
                features=features, mode=mode, labels=labels, train_op_fn=_train_fn,
                logits=logits)
        if early_stopping_rounds and mode == ModeKeys.TRAIN:
            hooks.append(TensorForestLossHook(
                early_stopping_rounds,
                early_stopping_loss_threshold=early_stopping_loss_threshold,
                loss_op=spec.loss))
        predictions = dict(spec.predictions)
        if keys is not None:
            predictions[keys_name] = keys
        if params.inference_tree_paths:
            predictions[TREE_PATHS_PREDICTION_KEY] = tree_paths
        predictions[VARIANCE_PREDICTION_KEY] = regression_variance
        changes = dict(predictions=predictions,
                       training_hooks=list(spec.training_hooks or ()) + hooks)
        if include_all_in_serving and output_type == ModelBuilderOutputType.ESTIMATOR_SPEC:
            changes['export_outputs'] = {ALL_SERVING_KEY: PredictOutput(predictions)}
        return spec._replace(**changes)
    return _model_fn


def _transformed(features, feature_columns, output_type):
    if output_type == ModelBuilderOutputType.MODEL_FN_OPS:
        from tf1.contrib_layers import transform_features
        return transform_features(features, feature_columns)
    from tensorflow.python.feature_column import feature_column as fc_v1
    return {column.name: fc_v1._transform_features(features, [column])[column]
            for column in feature_columns}


def _forest_model_fn(params, graph_builder_class, device_assigner, feature_columns, head,
                     weights_name, keys_name, output_type, **kwargs):
    return get_model_fn(params.fill(), graph_builder_class, device_assigner,
                        feature_columns=feature_columns, model_head=head,
                        weights_name=weights_name, keys_name=keys_name,
                        output_type=output_type, **kwargs)


class TensorForestEstimator(Estimator):
    """A random forest on contrib.learn's Estimator (TF 1.0-1.15)."""

    def __init__(self, params, device_assigner=None, model_dir=None, feature_columns=None,
                 graph_builder_class=RandomForestGraphs, config=None, weight_column=None,
                 keys_column=None, feature_engineering_fn=None, early_stopping_rounds=100,
                 early_stopping_loss_threshold=0.001, num_trainers=1, trainer_id=0,
                 report_feature_importances=False, local_eval=False, version=None,
                 head=None, include_all_in_serving=False, weights_name=None,
                 keys_name=None):
        super().__init__(   # weights_name, keys_name: TF 1.0-1.2's names for the columns
            model_fn=_forest_model_fn(
                params, graph_builder_class, device_assigner, feature_columns, head,
                weight_column or weights_name, keys_column or keys_name,
                ModelBuilderOutputType.MODEL_FN_OPS,
                early_stopping_rounds=early_stopping_rounds,
                early_stopping_loss_threshold=early_stopping_loss_threshold,
                num_trainers=num_trainers, trainer_id=trainer_id,
                report_feature_importances=report_feature_importances,
                local_eval=local_eval, include_all_in_serving=include_all_in_serving),
            model_dir=model_dir, config=config, feature_engineering_fn=feature_engineering_fn)


class CoreTensorForestEstimator(CoreEstimator):
    """A random forest on tf.estimator's Estimator (TF 1.7-1.15)."""

    def __init__(self, params, device_assigner=None, model_dir=None, feature_columns=None,
                 graph_builder_class=RandomForestGraphs, config=None, weight_column=None,
                 keys_column=None, feature_engineering_fn=None, early_stopping_rounds=100,
                 early_stopping_loss_threshold=0.001, num_trainers=1, trainer_id=0,
                 report_feature_importances=False, local_eval=False, version=None,
                 head=None, include_all_in_serving=False):
        if feature_engineering_fn is not None:
            raise UnsupportedApiError('CoreTensorForestEstimator: tf1 does not take a '
                                      'feature_engineering_fn; apply it in the input_fn')
        super().__init__(
            model_fn=_forest_model_fn(
                params, graph_builder_class, device_assigner, feature_columns, head,
                weight_column, keys_column, ModelBuilderOutputType.ESTIMATOR_SPEC,
                early_stopping_rounds=early_stopping_rounds,
                early_stopping_loss_threshold=early_stopping_loss_threshold,
                num_trainers=num_trainers, trainer_id=trainer_id,
                report_feature_importances=report_feature_importances,
                local_eval=local_eval, include_all_in_serving=include_all_in_serving),
            model_dir=model_dir, config=config)


def __getattr__(name):
    if name in ('MultiForestMultiHeadEstimator', 'get_combined_model_fn'):
        raise UnsupportedApiError(
            'tensor_forest.client.random_forest.%s (TF 1.x) is not provided by tf1: train '
            'a TensorForestEstimator per output' % name)
    raise AttributeError("module 'random_forest' has no attribute %r" % name)
