"""TF 1.8-1.15's CheckpointInputPipelineHook (tf.data.experimental's, tf.contrib.data's): an
Estimator trained again goes on through its dataset where the last training left off, as
TF 1.15's own test of the hook checks, while without the hook it starts over."""
import os

import numpy as np
import pytest
import tensorflow.compat.v1 as tf

from tf1.api import tensorflow as tf1

tf.disable_v2_behavior()


def input_fn():
    return tf.data.Dataset.range(100).map(lambda x: (x, x))


def model_fn(features, labels, mode):
    """Keeps the last element it saw in a variable."""
    last = tf.get_variable('last', [], tf.int64, initializer=tf.zeros_initializer(),
                           trainable=False)
    train_op = tf.group(tf.assign(last, features),
                        tf.assign_add(tf.train.get_or_create_global_step(), 1))
    return tf1.estimator.EstimatorSpec(mode, loss=tf.constant(0.0), train_op=train_op)


@pytest.mark.parametrize('namespace', ['data.experimental', 'contrib.data', None])
def test_training_again_goes_on_through_the_dataset(tmp_path, namespace):
    estimator = tf1.estimator.Estimator(model_fn, str(tmp_path))
    if namespace == 'data.experimental':  # one hook, passed to both trainings
        hook = tf1.data.experimental.CheckpointInputPipelineHook(estimator)
        hooks = lambda: [hook]  # noqa: E731
    elif namespace == 'contrib.data':  # a hook for each, as TF 1.x's documentation did
        hooks = lambda: [tf1.contrib.data.CheckpointInputPipelineHook(estimator)]  # noqa
    else:
        hooks = lambda: []  # noqa: E731
    estimator.train(input_fn, steps=3, hooks=hooks())
    assert estimator.get_variable_value('last') == 2
    estimator.train(input_fn, steps=3, hooks=hooks())
    # with the hook, elements 3, 4, 5; without it, 0, 1, 2 again
    assert estimator.get_variable_value('last') == (2 if namespace is None else 5)
    if namespace is not None:
        # its own checkpoints, listed apart from the model's
        assert tf.train.latest_checkpoint(
            str(tmp_path), latest_filename='checkpoint_input').endswith('input.ckpt-6')
        assert tf.train.latest_checkpoint(str(tmp_path)).endswith('model.ckpt-6')
        names = [name for name, _ in tf.train.list_variables(
            os.path.join(str(tmp_path), 'input.ckpt-6'))]
        assert len(names) == 1 and names[0].endswith('-state')
        assert not np.isin(['last', 'global_step'], names).any()


def test_a_run_config_saving_no_checkpoints_is_refused_when_the_hook_is_made(tmp_path):
    config = tf1.estimator.RunConfig(save_checkpoints_steps=None, save_checkpoints_secs=None)
    estimator = tf1.estimator.Estimator(model_fn, str(tmp_path), config=config)
    with pytest.raises(ValueError, match='Either every_secs or every_steps should be provided'):
        tf1.data.experimental.CheckpointInputPipelineHook(estimator)
