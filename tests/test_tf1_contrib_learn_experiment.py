"""tf.contrib.learn's Experiment and learn_runner (tf1/contrib_learn_experiment.py): its
schedules on tiny data with tf.estimator's and contrib.learn's Estimators, the exports,
TF 1.x's errors, and an MNIST script in the shape of 2017's Estimator + Experiment posts
run through `python -m tf1`."""
import os
import textwrap

import numpy as np
import pytest
import tensorflow.compat.v1 as tf

from conftest import write_mnist_dir
from test_tf1_contrib_learn import softmax_model_fn as contrib_model_fn
from test_tf1_estimator import (FEATURES, eval_input, separable_data, softmax_model_fn,
                                summary_values, train_input)
from test_tf1_runner import tf1
from tf1 import contrib_learn_estimator as learn
from tf1 import estimator
from tf1.contrib_learn_experiment import (Experiment, ExportStrategy, make_export_strategy,
                                          run)
from tf1.contrib_learn_metric_spec import MetricSpec
from tf1.contrib_training import HParams

tf.disable_v2_behavior()


def serving_input_fn():
    x = tf.placeholder(tf.float32, [None, FEATURES], name='x')
    return estimator.export.ServingInputReceiver({'x': x}, {'x': x})


def test_learn_runner_trains_evaluates_on_the_way_and_exports(tmp_path):
    x, y = separable_data(200)

    def experiment_fn(run_config, hparams):
        model = estimator.Estimator(softmax_model_fn, config=run_config,
                                    params={'learning_rate': hparams.learning_rate})
        return Experiment(model, train_input(x, y), eval_input(x, y), train_steps=150,
                          eval_steps=None, min_eval_frequency=50, check_interval_secs=0,
                          export_strategies=make_export_strategy(serving_input_fn,
                                                                 exports_to_keep=1))

    # replace() keeps contrib.learn's RunConfig one, which learn_runner requires.
    config = learn.RunConfig(save_checkpoints_secs=1800).replace(
        model_dir=str(tmp_path), save_checkpoints_steps=50)
    results, exports = run(experiment_fn, run_config=config, schedule='train_and_evaluate',
                           hparams=HParams(learning_rate=0.5))
    assert results['global_step'] == 150 and results['accuracy'] > 0.8
    # Each new checkpoint was evaluated while training, then the last one at the end.
    evaluated = sorted(summary_values(str(tmp_path / 'eval'))['accuracy'])
    assert evaluated[-1] == 150 and len(evaluated) >= 3, evaluated
    assert len(exports) == 1 and os.path.dirname(exports[0]).endswith(b'export/Servo')
    with tf.Graph().as_default(), tf.Session() as sess:
        tf.saved_model.loader.load(sess, ['serve'], exports[0])
        classes = sess.run('ArgMax:0', {'x:0': x[:20]})
    # The export answers as the trained model does.
    trained = estimator.Estimator(softmax_model_fn, model_dir=str(tmp_path),
                                  params={'learning_rate': 0.5})
    expected = [answer['classes'] for answer in trained.predict(eval_input(x[:20]))]
    np.testing.assert_array_equal(classes, expected)


def test_schedules_with_a_contrib_learn_estimator(tmp_path):
    x, y = separable_data(120)

    def input_fn():
        return tf.constant(x), tf.constant(y)

    model = learn.Estimator(contrib_model_fn, model_dir=str(tmp_path),
                            config=learn.RunConfig(save_checkpoints_steps=5))
    metrics = {'accuracy': MetricSpec(tf.metrics.accuracy, prediction_key='classes')}
    seen = []

    def keep_going(results, checkpoint_path):
        seen.append(checkpoint_path and os.path.basename(checkpoint_path))
        return True

    experiment = Experiment(model, input_fn, input_fn, eval_metrics=metrics, train_steps=30,
                            eval_steps=1, train_steps_per_iteration=10, eval_delay_secs=0)
    results, exports = experiment.continuous_train_and_eval(keep_going)
    assert results['global_step'] == 30 and results['accuracy'] > 0.8 and exports == []
    assert seen == [None, 'model.ckpt-10', 'model.ckpt-20', 'model.ckpt-30']
    assert experiment.evaluate(delay_secs=0)['global_step'] == 30
    assert experiment.test()['global_step'] == 31  # one more step, one batch evaluated


@pytest.mark.parametrize('arguments, error, message', [
    (dict(output_dir='d', run_config=learn.RunConfig(model_dir='d')), ValueError,
     'Cannot provide both'),
    (dict(), ValueError, 'Must set value for `output_dir` or `run_config`'),
    (dict(run_config=estimator.RunConfig(model_dir='d')), ValueError,
     'must be `tf.contrib.learn.RunConfig`'),
    (dict(run_config=learn.RunConfig(model_dir='d'), hparams={'a': 1}), ValueError,
     '`hparams` must be `HParams`'),
    (dict(output_dir='d', schedule='fly'), ValueError,
     r'non-existent task fly \(allowed: .*train_and_evaluate'),
    (dict(output_dir='d', schedule='estimator'), TypeError, 'non-callable member estimator'),
])
def test_learn_runner_refuses_what_tf1_refused(tmp_path, arguments, error, message):
    def experiment_fn(output_dir=None, run_config=None, hparams=None):
        model = estimator.Estimator(softmax_model_fn, model_dir=str(tmp_path / 'm'))
        return Experiment(model, None, None)
    with pytest.raises(error, match=message):
        run(experiment_fn, **arguments)


def test_experiment_errors_are_tf1s(tmp_path):
    model = estimator.Estimator(softmax_model_fn, model_dir=str(tmp_path))
    with pytest.raises(ValueError, match='`eval_metrics` must be `None` with'):
        Experiment(model, None, None, eval_metrics={})
    with pytest.raises(ValueError, match='must be an ExportStrategy'):
        Experiment(model, None, None, export_strategies=['servo'])
    with pytest.raises(ValueError, match='must implement'):
        Experiment(object(), None, None)
    with pytest.raises(TypeError, match='did not return an Experiment'):
        run(lambda output_dir: model, output_dir=str(tmp_path))
    with pytest.raises(RuntimeError, match="Pass `run_config` argument"):
        run(lambda run_config, hparams: Experiment(model, None, None),
            run_config=learn.RunConfig(model_dir=str(tmp_path / 'other')))
    strategy = ExportStrategy('mine', lambda estimator, path, checkpoint: path)
    assert strategy.export(model, 'p') == 'p' and strategy.strip_default_attrs is None


def test_an_estimator_and_experiment_mnist_script_runs_unchanged(tmp_path):
    """MNIST in the shape of 2017's "Higher-Level APIs in TensorFlow": tf.estimator's
    Estimator with HParams, tf.contrib.learn.Experiment, learn_runner.run."""
    mnist = write_mnist_dir(str(tmp_path / 'mnist'), train_count=5600, test_count=200)
    (tmp_path / 'mnist_estimator.py').write_text(textwrap.dedent('''\
        import tensorflow as tf
        from tensorflow.contrib import slim
        from tensorflow.contrib.learn import ModeKeys
        from tensorflow.contrib.learn import learn_runner
        from tensorflow.examples.tutorials.mnist import input_data as mnist_data

        def model_fn(features, labels, mode, params):
            logits = slim.fully_connected(slim.flatten(features), 10, activation_fn=None)
            loss = tf.losses.sparse_softmax_cross_entropy(labels=labels, logits=logits)
            train_op = tf.contrib.layers.optimize_loss(
                loss=loss, global_step=tf.contrib.framework.get_global_step(),
                optimizer=tf.train.AdamOptimizer, learning_rate=params.learning_rate)
            predictions = tf.argmax(logits, axis=-1)
            eval_metric_ops = {'Accuracy': tf.metrics.accuracy(labels, predictions)}
            return tf.estimator.EstimatorSpec(mode=mode, predictions=predictions, loss=loss,
                                              train_op=train_op, eval_metric_ops=eval_metric_ops)

        def experiment_fn(run_config, params):
            run_config = run_config.replace(save_checkpoints_steps=params.min_eval_frequency)
            estimator = tf.estimator.Estimator(model_fn=model_fn, params=params,
                                               config=run_config)
            mnist = mnist_data.read_data_sets('./mnist_data', one_hot=False)
            train_input_fn = tf.estimator.inputs.numpy_input_fn(
                mnist.train.images, mnist.train.labels.astype('int32'), batch_size=50,
                num_epochs=None, shuffle=True)
            eval_input_fn = tf.estimator.inputs.numpy_input_fn(
                mnist.test.images, mnist.test.labels.astype('int32'), batch_size=50,
                num_epochs=1, shuffle=False)
            return tf.contrib.learn.Experiment(
                estimator=estimator, train_input_fn=train_input_fn,
                eval_input_fn=eval_input_fn, train_steps=params.train_steps,
                min_eval_frequency=params.min_eval_frequency, eval_steps=None)

        def main(unused_argv):
            params = tf.contrib.training.HParams(learning_rate=0.002, train_steps=100,
                                                 min_eval_frequency=50)
            run_config = tf.contrib.learn.RunConfig(model_dir='./mnist_training')
            results, _ = learn_runner.run(experiment_fn=experiment_fn, run_config=run_config,
                                          schedule='train_and_evaluate', hparams=params)
            print('accuracy', results['Accuracy'], 'step', results['global_step'])

        if __name__ == '__main__':
            tf.app.run()
        '''))
    result = tf1(['mnist_estimator.py'], str(tmp_path), mnist)
    assert result.returncode == 0, result.stderr[-3000:]
    words = result.stdout.split('accuracy ')[1].split()
    assert float(words[0]) > 0.7 and words[2] == '100'
    assert (tmp_path / 'mnist_training' / 'model.ckpt-100.index').exists()
