"""tf1.estimator's SavedModels of the TRAIN and EVAL graphs, as TF 1.13-1.15 exported them
(Estimator.experimental_export_all_saved_models, export_saved_model(experimental_mode=),
tf.contrib.estimator.export_all_saved_models): one meta graph per mode sharing one set of
variables, fed by SupervisedInputReceivers, the loss, predictions and metrics in a
signature, the train op in the SavedModel's collection."""
import numpy as np
import pytest
import tensorflow.compat.v1 as tf

from tf1 import contrib_estimator, estimator

tf.disable_v2_behavior()

ModeKeys = estimator.ModeKeys


def model_fn(features, labels, mode):
    """Linear regression on features['x'] ([batch, 2]) with a MSE loss and one metric."""
    weights = tf.get_variable('weights', [2, 1], initializer=tf.zeros_initializer())
    prediction = tf.matmul(features['x'], weights)
    if mode == ModeKeys.PREDICT:
        return estimator.EstimatorSpec(mode, predictions={'y': prediction})
    loss = tf.losses.mean_squared_error(labels, prediction)
    train_op = tf.train.GradientDescentOptimizer(0.005).minimize(
        loss, global_step=tf.train.get_global_step())
    metrics = {'mae': tf.metrics.mean_absolute_error(labels, prediction)}
    return estimator.EstimatorSpec(mode, predictions={'y': prediction}, loss=loss,
                                   train_op=train_op, eval_metric_ops=metrics)


X = np.array([[1, 2], [3, 4], [5, 6], [7, 9]], np.float32)
Y = X.dot([[0.5], [-1.0]]).astype(np.float32)


def input_fn():
    return estimator.inputs.numpy_input_fn({'x': X}, Y, batch_size=4, num_epochs=None,
                                           shuffle=False)()


@pytest.fixture
def trained(tmp_path):
    model = estimator.Estimator(model_fn, model_dir=str(tmp_path / 'model'))
    model.train(input_fn, steps=3)
    return model


def supervised_fn():
    return estimator.experimental.build_raw_supervised_input_receiver_fn(
        {'x': tf.placeholder(tf.float32, [None, 2], name='x')},
        tf.placeholder(tf.float32, [None, 1], name='y_true'))


def serving_fn():
    return estimator.export.build_raw_serving_input_receiver_fn(
        {'x': tf.placeholder(tf.float32, [None, 2], name='x')})


def load(export_dir, tags):
    graph = tf.Graph()
    session = tf.Session(graph=graph)
    meta_graph = tf.saved_model.loader.load(session, tags, export_dir)
    return session, meta_graph


def test_all_three_modes_share_the_trained_variables(trained, tmp_path):
    export_dir = trained.experimental_export_all_saved_models(
        str(tmp_path / 'export'), {ModeKeys.TRAIN: supervised_fn(),
                                   ModeKeys.EVAL: supervised_fn(),
                                   ModeKeys.PREDICT: serving_fn()})
    trained_weights = trained.get_variable_value('weights')
    feed_x, feed_y = X[:2], Y[:2]

    session, meta_graph = load(export_dir, ['serve'])
    signature = meta_graph.signature_def['serving_default']
    assert set(signature.inputs) == {'x'}
    prediction = session.run(signature.outputs['y'].name, {signature.inputs['x'].name: feed_x})
    np.testing.assert_allclose(prediction, feed_x.dot(trained_weights), rtol=1e-6)

    session, meta_graph = load(export_dir, ['eval'])
    signature = meta_graph.signature_def['eval']
    assert set(signature.inputs) == {'x', 'label'}
    assert {'loss', 'predictions/y', 'metrics/mae/value', 'metrics/mae/update_op'} <= set(
        signature.outputs)
    feeds = {signature.inputs['x'].name: feed_x, signature.inputs['label'].name: feed_y}
    loss = session.run(signature.outputs['loss'].name, feeds)
    assert loss == pytest.approx(np.mean((feed_x.dot(trained_weights) - feed_y) ** 2),
                                 rel=1e-5)

    # The TRAIN graph trains: its train op (the SavedModel's collection) moves the weights.
    session, meta_graph = load(export_dir, ['train'])
    signature = meta_graph.signature_def['train']
    train_op = session.graph.get_collection('saved_model_train_op')[0]
    feeds = {signature.inputs['x'].name: feed_x, signature.inputs['label'].name: feed_y}
    before = session.run(signature.outputs['loss'].name, feeds)
    for _ in range(5):
        session.run(train_op, feeds)
    assert session.run(signature.outputs['loss'].name, feeds) < before
    # One set of variables for the three graphs.
    assert tf.io.gfile.glob(tf.compat.as_str(export_dir) + '/variables/variables.index')


def test_one_mode_and_contrib_names(trained, tmp_path):
    export_dir = trained.export_saved_model(str(tmp_path / 'eval_only'), supervised_fn(),
                                            experimental_mode=ModeKeys.EVAL)
    _, meta_graph = load(export_dir, ['eval'])
    assert list(meta_graph.signature_def) == ['eval']
    export_dir = contrib_estimator.export_saved_model_for_mode(
        trained, str(tmp_path / 'train_only'), supervised_fn(), mode=ModeKeys.TRAIN)
    _, meta_graph = load(export_dir, ['train'])
    assert list(meta_graph.signature_def) == ['train']
    from_input_fn = contrib_estimator.build_supervised_input_receiver_fn_from_input_fn(
        input_fn)
    export_dir = contrib_estimator.export_all_saved_models(
        trained, str(tmp_path / 'both'), {ModeKeys.TRAIN: from_input_fn,
                                          ModeKeys.PREDICT: serving_fn()})
    session, meta_graph = load(export_dir, ['train'])
    # Placeholders like the input_fn's batch: its features' key and the label's.
    assert set(meta_graph.signature_def['train'].inputs) == {'x', 'label'}


def test_receivers_and_refusals(trained, tmp_path):
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, [None, 2])
        with pytest.raises(ValueError, match='Features and labels must have distinct keys'):
            estimator.experimental.build_raw_supervised_input_receiver_fn({'a': x}, {'a': x})
        receiver = estimator.export.SupervisedInputReceiver(x, x, x)
        assert set(receiver.receiver_tensors) == {'input'}
        with pytest.raises(ValueError, match='must be a Tensor'):
            estimator.export.SupervisedInputReceiver({'x': 'text'}, x, x)
        with pytest.raises(ValueError, match='labels must be defined'):
            estimator.export.SupervisedInputReceiver(x, None, x)
    with pytest.raises(ValueError, match='No valid modes for exporting found'):
        trained.experimental_export_all_saved_models(str(tmp_path / 'none'), {})
    with pytest.raises(ValueError, match='An input_receiver_fn must be defined'):
        trained.export_saved_model(str(tmp_path / 'none'), None)
    untrained = estimator.Estimator(model_fn, model_dir=str(tmp_path / 'empty'))
    with pytest.raises(ValueError, match="Couldn't find trained model"):
        untrained.experimental_export_all_saved_models(
            str(tmp_path / 'none'), {ModeKeys.EVAL: supervised_fn()})
    assert not tf.io.gfile.exists(str(tmp_path / 'none'))
