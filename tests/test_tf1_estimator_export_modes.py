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


def adam_model_fn(features, labels, mode):
    """model_fn with Adam, whose slot variables only the TRAIN graph has."""
    spec = model_fn(features, labels, ModeKeys.PREDICT)
    if mode == ModeKeys.PREDICT:
        return spec
    loss = tf.losses.mean_squared_error(labels, spec.predictions['y'])
    train_op = tf.train.AdamOptimizer(0.01).minimize(loss,
                                                     global_step=tf.train.get_global_step())
    return estimator.EstimatorSpec(mode, predictions=spec.predictions, loss=loss,
                                   train_op=train_op)


def saved_variables(export_dir):
    path = tf.compat.as_str(export_dir) + '/variables/variables'
    return {name for name, _ in tf.train.list_variables(path)}


def test_the_first_mode_saves_the_variables(tmp_path):
    model = estimator.Estimator(adam_model_fn, model_dir=str(tmp_path / 'model'))
    model.train(input_fn, steps=2)
    both = model.experimental_export_all_saved_models(
        str(tmp_path / 'both'), {ModeKeys.TRAIN: supervised_fn(),
                                 ModeKeys.PREDICT: serving_fn()})
    assert {'weights', 'weights/Adam', 'weights/Adam_1', 'global_step'} <= saved_variables(both)
    serving = model.export_saved_model(str(tmp_path / 'serving'), serving_fn())
    assert saved_variables(serving) == {'weights', 'global_step'}
    # The TRAIN graph restores the trained weights and Adam's slots from that one set.
    session, _ = load(both, ['train'])
    with session.graph.as_default():
        weights = [v for v in tf.global_variables() if v.op.name == 'weights'][0]
        np.testing.assert_allclose(session.run(weights), model.get_variable_value('weights'))


def test_a_warm_start_exports_its_checkpoint(trained, tmp_path):
    settings = estimator.WarmStartSettings(trained.model_dir)
    warm = estimator.Estimator(model_fn, model_dir=str(tmp_path / 'warm'),
                               warm_start_from=settings)
    export_dir = warm.experimental_export_all_saved_models(
        str(tmp_path / 'export'), {ModeKeys.EVAL: supervised_fn()})
    session, _ = load(export_dir, ['eval'])
    with session.graph.as_default():
        weights = [v for v in tf.global_variables() if v.op.name == 'weights'][0]
        np.testing.assert_allclose(session.run(weights), trained.get_variable_value('weights'))


def test_a_model_fn_wanting_other_variables_is_named(trained, tmp_path):
    def bigger_model_fn(features, labels, mode):
        tf.get_variable('extra', [3])
        return model_fn(features, labels, mode)
    other = estimator.Estimator(bigger_model_fn, model_dir=trained.model_dir)
    with pytest.raises(ValueError, match='expects variables that .* does not hold .*extra') \
            as raised:
        other.experimental_export_all_saved_models(str(tmp_path / 'x'),
                                                   {ModeKeys.TRAIN: supervised_fn()})
    assert '\n' not in str(raised.value)


def test_tf1_receiver_rules():
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, [None, 2])
        unsupervised = estimator.export.UnsupervisedInputReceiver({'x': x}, {'x': x})
        assert unsupervised.receiver_tensors_alternatives is None
        # Integer keys for features and labels, as TF 1.x allowed; not for receivers.
        receiver = estimator.export.SupervisedInputReceiver({0: x}, {1: x}, {'x': x})
        assert (list(receiver.features), list(receiver.labels)) == ([0], [1])
        with pytest.raises(ValueError, match='feature keys must be strings or ints: 1.5'):
            estimator.export.SupervisedInputReceiver({1.5: x}, x, x)
        with pytest.raises(ValueError, match='receiver_tensor keys must be strings: 0'):
            estimator.export.SupervisedInputReceiver(x, x, {0: x})
        with pytest.raises(ValueError, match='feature must be a Tensor or SparseTensor'):
            estimator.export.TensorServingInputReceiver({'x': x}, x)


def test_an_alternative_receiver_tensor_is_fed_as_input_as_in_tf1():
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, [None, 2])
        raw = tf.placeholder(tf.float32, [None, 2])
        receiver = estimator.export.ServingInputReceiver({'x': x}, x, {'raw': raw})
        assert list(receiver.receiver_tensors) == ['input']
        assert receiver.receiver_tensors_alternatives == {'raw': {'input': raw}}
