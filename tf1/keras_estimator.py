"""tf.keras.estimator.model_to_estimator: a compiled Keras model as an Estimator, as TF
1.4-1.15 made it (tensorflow_estimator's keras.py), on tf1's Estimator.

The Keras model is never run by the Estimator: each call's graph gets a clone of it built
on the input_fn's tensors (tf_keras's clone_and_build_model, compiled with the model's
loss, metrics and optimizer, whose iterations are the global step). Before the first
training the model's current weights are saved to MODEL_DIR/keras/keras_model.ckpt, from
which the Estimator warm-starts, so training continues from them and a model trained with
`fit` predicts through the Estimator as it does itself.

Features are the model's inputs: one tensor, a list in the model's input order, or a dict
keyed by its input names (`model.input_names`: `dense_input` for a Sequential model whose
first layer is `dense`); labels likewise by output names. Predictions are a dict keyed by
output names; evaluation reports the loss and the compiled metrics (`acc`, ...).
"""
import contextlib
import os
import warnings

import tensorflow.compat.v1 as tf
import tf_keras  # the Keras a TF 1.x script's tf.keras is (tf1/api.py)
from tensorflow.python.training import training_util
from tf_keras.src import backend as K
from tf_keras.src.models import cloning

from tf1.estimator import Estimator, EstimatorSpec, ModeKeys
from tf1.estimator_core import config_with_model_dir
from tf1.estimator_export import PredictOutput


def model_to_estimator(keras_model=None, keras_model_path=None, custom_objects=None,
                       model_dir=None, config=None, checkpoint_format='saver'):
    """An Estimator that trains, evaluates, predicts and exports `keras_model` (or the
    model saved at `keras_model_path`), which must be compiled."""
    if keras_model is None and keras_model_path is None:
        raise ValueError('Either `keras_model` or `keras_model_path` needs to be provided.')
    if keras_model is not None and keras_model_path is not None:
        raise ValueError('Please specify either `keras_model` or `keras_model_path`, but not '
                         'both.')
    if checkpoint_format != 'saver':
        raise ValueError('checkpoint_format %r is not supported here: only \'saver\' (name-'
                         'based checkpoints, TF 1.x\'s default)' % (checkpoint_format,))
    if keras_model_path is not None:
        if not tf.gfile.Exists(keras_model_path):
            raise ValueError('no Keras model at %s' % keras_model_path)
        tf.logging.info('Loading models from %s', keras_model_path)
        keras_model = tf_keras.models.load_model(keras_model_path, custom_objects=custom_objects)
    if not getattr(keras_model, 'optimizer', None):
        raise ValueError('The given keras model has not been compiled yet. Please compile the '
                         'model with `model.compile()` before calling `model_to_estimator()`.')
    config = config_with_model_dir(config, model_dir)  # known now: the first checkpoint goes there
    warm_start_path = _save_first_checkpoint(keras_model, custom_objects, config)
    return Estimator(_keras_model_fn(keras_model, custom_objects), config=config,
                     warm_start_from=warm_start_path)


def _save_first_checkpoint(keras_model, custom_objects, config):
    """The checkpoint the Estimator warm-starts from: model_dir's newest when it has one,
    else the Keras model's weights (and its optimizer's variables), written to
    model_dir/keras/keras_model.ckpt from a clone built in a graph of its own."""
    latest = tf.train.latest_checkpoint(config.model_dir)
    if latest:
        return latest
    weights = keras_model.get_weights()
    tf.gfile.MakeDirs(config.model_dir)
    with tf.Graph().as_default():
        if config.tf_random_seed is not None:
            tf.set_random_seed(config.tf_random_seed)
        training_util.create_global_step()
        with _clone_and_build_model(ModeKeys.TRAIN, keras_model, custom_objects,
                                    _placeholders_like_inputs(keras_model)) as model:
            model._make_train_function()  # the optimizer's variables, before the session
            with tf.Session(config=config.session_config) as session:  # Keras's session too
                session.run(tf.global_variables_initializer())
                model.set_weights(weights)
                path = os.path.join(config.model_dir, 'keras', 'keras_model.ckpt')
                return tf.train.Saver().save(session, path)


def _placeholders_like_inputs(keras_model):
    """Placeholders shaped as the model's inputs, for a subclassed model (a functional or
    Sequential one makes its own); None for those."""
    if keras_model._is_graph_network:
        return None
    if not keras_model.inputs:
        raise ValueError('model_to_estimator needs a subclassed Keras model to have been '
                         'called or fitted once, so that its inputs are known')
    return [tf.placeholder(tensor.dtype, tensor.shape) for tensor in keras_model.inputs]


@contextlib.contextmanager
def _clone_and_build_model(mode, keras_model, custom_objects, features=None, labels=None):
    """A clone of `keras_model` on `features` and `labels` (placeholders where None),
    compiled with the model's loss, metrics and optimizer unless predicting; for the
    block's use (a subclassed model is rebuilt in place, and given its state back after)."""
    with warnings.catch_warnings():  # tf_keras deprecates what TF 1.x's Estimator called
        warnings.simplefilter('ignore', UserWarning)
        K.set_learning_phase(mode == ModeKeys.TRAIN)
    inputs = _ordered_tensors(features, _names(keras_model, 'input'), 'features', 'inputs')
    if inputs is not None:
        inputs = [_cast_to_floatx(tensor) for tensor in inputs]
    targets = _ordered_tensors(labels, _names(keras_model, 'output'), 'labels', 'outputs')
    compile_clone = mode != ModeKeys.PREDICT
    global_step = tf.train.get_or_create_global_step() if compile_clone else None
    try:
        optimizer_config = keras_model.optimizer.get_config()
    except (NotImplementedError, AttributeError):  # a TFOptimizer: cloned as it is
        optimizer_config = None
    # tf_keras's clone_and_build_model replaces the model's own _get_compile_args with a
    # lambda that takes no arguments, which breaks `model.save` later: put it back.
    own = keras_model.__dict__.get('_get_compile_args')
    try:
        yield cloning.clone_and_build_model(
            keras_model, inputs, targets, custom_objects, compile_clone=compile_clone,
            in_place_reset=not keras_model._is_graph_network,
            optimizer_iterations=global_step, optimizer_config=optimizer_config)
    finally:
        if own is None:
            keras_model.__dict__.pop('_get_compile_args', None)
        else:
            keras_model._get_compile_args = own
        if getattr(keras_model, '_original_attributes_cache', None) is not None:
            cloning.in_place_subclassed_model_state_restoration(keras_model)


def _names(keras_model, kind):
    """The model's input or output names, which key dict features or labels."""
    return getattr(keras_model, kind + '_names', None)


def _ordered_tensors(values, names, what, kind):
    """`values` (a tensor, a list, or a dict keyed by the model's names) as a list in the
    model's order; None stays None."""
    if values is None:
        return None
    if isinstance(values, (list, tuple)):
        return [tf.convert_to_tensor(value) for value in values]
    if isinstance(values, dict):
        missing = set(names or ()) - set(values)
        if names is None or missing:
            raise KeyError('The dictionary passed into %s does not cover requested %s keys '
                           'defined in the keras model. Expected keys: %s; %s keys: %s; '
                           'missed keys: %s' % (what, kind, sorted(names or ()), what,
                                                sorted(values), sorted(missing)))
        return [tf.convert_to_tensor(values[name]) for name in names]
    return [tf.convert_to_tensor(values)]


def _cast_to_floatx(tensor):
    """Floating inputs in Keras's float type (numpy_input_fn gives float64 arrays as they
    are); integer inputs (an Embedding's ids) as they are."""
    if tensor.dtype.is_floating and tensor.dtype != K.floatx():
        return tf.cast(tensor, K.floatx())
    return tensor


def _keras_model_fn(keras_model, custom_objects):
    def model_fn(features, labels, mode):
        with _clone_and_build_model(mode, keras_model, custom_objects, features,
                                    labels) as model:
            predictions = dict(zip(model.output_names, model.outputs))
            loss = train_op = None
            metrics = {}
            if mode != ModeKeys.PREDICT:
                if mode == ModeKeys.TRAIN:
                    model._make_train_function()
                    train_op = model.train_function.updates_op
                else:
                    model._make_test_function()
                loss = model.total_loss
                metrics = _metric_ops(model)
        return EstimatorSpec(mode, predictions=predictions, loss=loss, train_op=train_op,
                             eval_metric_ops=metrics,
                             export_outputs={'serving_default': PredictOutput(predictions)})
    return model_fn


def _metric_ops(model):
    """The compiled metrics as (value, update_op) pairs; their variables local (set to 0
    for each evaluation, never saved), as TF 1.x's Estimator made Keras metrics."""
    pairs = {}
    for metric in model._compile_metric_functions:
        for variable in metric.variables:
            tf.add_to_collection(tf.GraphKeys.LOCAL_VARIABLES, variable)
            tf.add_to_collection(tf.GraphKeys.METRIC_VARIABLES, variable)
        pairs[metric.name] = (metric.result(), metric.updates[0])
    return pairs
