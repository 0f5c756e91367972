"""TF 1.x's `tf.estimator` namespace, rebuilt on tensorflow.compat.v1 (TF 2.21 no longer
ships it), without Keras: what `import tensorflow as tf; tf.estimator.X` finds.

    Estimator                       estimator_core.py
    EstimatorSpec, ModeKeys,        estimator_spec.py
      RunConfig, WarmStartSettings
    inputs.numpy_input_fn           estimator_inputs.py
    export, export_saved_model      estimator_export.py
    train_and_evaluate, *Spec       estimator_training.py
    the exporters                   estimator_exporter.py
    add_metrics                     estimator_extenders.py
    experimental (early stopping)   estimator_experimental.py, estimator_early_stopping.py
    DNN*, Linear*, DNNLinear-       estimator_premade.py (their heads: estimator_head.py)
      Combined*, Baseline*
    the SessionRunHooks             tf.compat.v1.train, re-exported below
"""
import tensorflow.compat.v1 as tf

from tf1 import estimator_experimental as experimental
from tf1 import estimator_export as export
from tf1 import estimator_inputs as inputs
from tf1.estimator_core import Estimator
from tf1.estimator_early_stopping import (  # noqa: F401 (TF 1.x's private name)
    _load_global_step_from_checkpoint_dir)
from tf1.estimator_exporter import BestExporter, Exporter, FinalExporter, LatestExporter
from tf1.estimator_extenders import add_metrics
from tf1.estimator_premade import (
    BaselineClassifier, BaselineEstimator, BaselineRegressor, DNNClassifier, DNNEstimator,
    DNNLinearCombinedClassifier, DNNLinearCombinedEstimator, DNNLinearCombinedRegressor,
    DNNRegressor, LinearClassifier, LinearEstimator, LinearRegressor,
    classifier_parse_example_spec, regressor_parse_example_spec)
from tf1.estimator_spec import EstimatorSpec, ModeKeys, RunConfig, WarmStartSettings
from tf1.estimator_training import EvalSpec, TrainSpec, train_and_evaluate
from tf1.unsupported import UnsupportedApiError

# Hooks and helpers that TF 1.x also exported as tf.estimator.X; they live on in tf.train.
CheckpointSaverHook = tf.train.CheckpointSaverHook
CheckpointSaverListener = tf.train.CheckpointSaverListener
FeedFnHook = tf.train.FeedFnHook
FinalOpsHook = tf.train.FinalOpsHook
GlobalStepWaiterHook = tf.train.GlobalStepWaiterHook
LoggingTensorHook = tf.train.LoggingTensorHook
NanLossDuringTrainingError = tf.train.NanLossDuringTrainingError
NanTensorHook = tf.train.NanTensorHook
ProfilerHook = tf.train.ProfilerHook
SecondOrStepTimer = tf.train.SecondOrStepTimer
SessionRunArgs = tf.train.SessionRunArgs
SessionRunContext = tf.train.SessionRunContext
SessionRunHook = tf.train.SessionRunHook
SessionRunValues = tf.train.SessionRunValues
StepCounterHook = tf.train.StepCounterHook
StopAtStepHook = tf.train.StopAtStepHook
SummarySaverHook = tf.train.SummarySaverHook
VocabInfo = tf.train.VocabInfo


# TF 1.x names this tf.estimator does not re-create: asking for one says so in one line.
_NOT_RECREATED = frozenset([
    'BinaryClassHead', 'BoostedTreesClassifier', 'BoostedTreesEstimator', 'BoostedTreesRegressor',
    'Head', 'LogisticRegressionHead', 'MultiClassHead', 'MultiHead', 'MultiLabelHead',
    'PoissonRegressionHead', 'RegressionHead'])


def __getattr__(name):
    if name in _NOT_RECREATED:
        instead = ('TensorFlow 2.21 no longer has the kernels of the boosted_trees ops they '
                   'ran on; train boosted trees with scikit-learn or XGBoost' if
                   name.startswith('BoostedTrees') else
                   "use tf.contrib.estimator's head functions" if name.endswith('Head') else
                   'write a model_fn for Estimator')
        raise UnsupportedApiError(
            'tf.estimator.%s (TF 1.x) is not provided by tf1 (TF 2.21 removed tf.estimator; '
            'tf1 offers Estimator, the premade DNN, Linear, DNNLinearCombined and Baseline '
            'classifiers, regressors and estimators, train_and_evaluate, the exporters, inputs and '
            'export): %s' % (name, instead))
    raise AttributeError("module 'tf.estimator' has no attribute %r" % name)
