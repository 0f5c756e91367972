"""tf.estimator at its TF 1.x module paths (tensorflow.python.estimator.*, where TF 1.x's
own tests and scripts after them imported it from; TF 1.14-1.15's tensorflow_estimator
package maps there too): each path gives tf1's objects, the same as the namespaces'."""
import pytest

from tf1.api import tensorflow as tf
from tf1.namespace import MOVED_MODULES


def module(path):
    return MOVED_MODULES['tensorflow.python.estimator' + path]


@pytest.mark.parametrize('path, name, expected', [
    ('.estimator', 'Estimator', lambda: tf.estimator.Estimator),
    ('.model_fn', 'EstimatorSpec', lambda: tf.estimator.EstimatorSpec),
    ('.export.export_lib', 'ServingInputReceiver',
     lambda: tf.estimator.export.ServingInputReceiver),
    ('.export.export_output', 'ClassificationOutput',
     lambda: tf.estimator.export.ClassificationOutput),
    ('.early_stopping', 'stop_if_no_decrease_hook',
     lambda: tf.estimator.experimental.stop_if_no_decrease_hook),
    ('.exporter', 'BestExporter', lambda: tf.estimator.BestExporter),
    ('.extenders', 'add_metrics', lambda: tf.contrib.estimator.add_metrics),
    ('.hooks.hooks', 'InMemoryEvaluatorHook',
     lambda: tf.estimator.experimental.InMemoryEvaluatorHook),
    ('.canned.dnn', 'DNNClassifier', lambda: tf.estimator.DNNClassifier),
    ('.canned.linear', 'LinearRegressor', lambda: tf.estimator.LinearRegressor),
    ('.canned.baseline', 'BaselineClassifier', lambda: tf.estimator.BaselineClassifier),
    ('.canned.dnn_linear_combined', 'DNNLinearCombinedClassifier',
     lambda: tf.estimator.DNNLinearCombinedClassifier),
    ('.mode_keys', 'ModeKeys', lambda: tf.estimator.ModeKeys),
    ('.run_config', 'RunConfig', lambda: tf.estimator.RunConfig),
    ('.estimator_lib', 'BestExporter', lambda: tf.estimator.BestExporter),
    ('.hooks.basic_session_run_hooks', 'LoggingTensorHook',
     lambda: tf.train.LoggingTensorHook),
    ('.hooks.session_run_hook', 'SessionRunHook', lambda: tf.train.SessionRunHook),
    ('.hooks.fake_summary_writer', 'FakeSummaryWriter',
     lambda: tf.contrib.testing.FakeSummaryWriter),
])
def test_each_module_path_gives_tf1s_object(path, name, expected):
    assert getattr(module(path), name) is expected()


def test_contrib_estimators_module_paths():
    ops = tf.contrib.estimator.python.estimator
    assert ops.head.multi_label_head is tf.contrib.estimator.multi_label_head
    assert ops.extenders.forward_features is tf.contrib.estimator.forward_features


def test_run_configs_task_types_are_tf1s():
    task_type = module('.run_config').TaskType
    assert (task_type.MASTER, task_type.PS, task_type.WORKER, task_type.CHIEF,
            task_type.EVALUATOR) == ('master', 'ps', 'worker', 'chief', 'evaluator')
    assert tf.estimator.RunConfig().task_type == task_type.WORKER


def test_the_private_global_step_reader_tpu_models_resume_with(tmp_path):
    # tensorflow/tpu's models: `estimator._load_global_step_from_checkpoint_dir(model_dir)`.
    load_step = module('.estimator')._load_global_step_from_checkpoint_dir
    assert load_step(str(tmp_path / 'none')) == 0
    assert load_step(None) == 0  # TF 1.x's took any failure for "start from 0"
    with tf.Graph().as_default():
        step = tf.train.get_or_create_global_step()
        with tf.Session() as session:
            session.run(tf.global_variables_initializer())
            session.run(tf.assign(step, 42))
            tf.train.Saver().save(session, str(tmp_path / 'model.ckpt'), global_step=step)
    assert load_step(str(tmp_path)) == 42
