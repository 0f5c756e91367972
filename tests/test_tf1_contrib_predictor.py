"""tf1's tf.contrib.predictor (TF 1.15's predictor package: from a SavedModel, a
tf.estimator Estimator and a tf.contrib.learn Estimator, with TF 1.x's errors), and the
two contrib names for what TensorFlow kept: tf.contrib.lite (TF 1.9-1.13's TensorFlow
Lite converter and interpreter) and tf.contrib.util's tensor protos."""
import numpy as np
import pytest
import tensorflow.compat.v1 as tf

from tf1.api import tensorflow as tf1_api

tf.disable_v2_behavior()

predictor = tf1_api.contrib.predictor


def data():
    rng = np.random.RandomState(0)
    x = rng.rand(256, 4).astype(np.float32)
    return x, (x.sum(1) > 2).astype(np.int32)


def model_fn(features, labels, mode):
    estimator = tf1_api.estimator
    logits = tf1_api.layers.dense(features['x'], 2, name='logits')
    predictions = {'classes': tf.argmax(logits, 1), 'probabilities': tf.nn.softmax(logits)}
    if mode == estimator.ModeKeys.PREDICT:
        return estimator.EstimatorSpec(mode, predictions=predictions, export_outputs={
            'classify': estimator.export.PredictOutput(predictions)})
    loss = tf.losses.sparse_softmax_cross_entropy(labels, logits)
    train_op = tf.train.AdamOptimizer(0.1).minimize(loss, tf.train.get_global_step())
    return estimator.EstimatorSpec(mode, loss=loss, train_op=train_op)


def serving_input_receiver_fn():
    x = tf.placeholder(tf.float32, [None, 4], name='x')
    return tf1_api.estimator.export.ServingInputReceiver({'x': x}, {'x': x})


@pytest.fixture(scope='module')
def trained(tmp_path_factory):
    """An Estimator trained to tell whether 4 numbers sum past 2, and its SavedModel."""
    directory = tmp_path_factory.mktemp('predictor')
    x, y = data()
    estimator = tf1_api.estimator.Estimator(model_fn, model_dir=str(directory / 'model'))
    estimator.train(tf1_api.estimator.inputs.numpy_input_fn(
        {'x': x}, y, shuffle=True, num_epochs=None, batch_size=32), steps=300)
    export_dir = estimator.export_savedmodel(str(directory / 'export'),
                                             serving_input_receiver_fn)
    return estimator, export_dir


def test_from_saved_model_answers_its_serving_signature(trained):
    estimator, export_dir = trained
    x, y = data()
    predict_fn = predictor.from_saved_model(export_dir)
    assert sorted(predict_fn.feed_tensors) == ['x']
    assert sorted(predict_fn.fetch_tensors) == ['classes', 'probabilities']
    out = predict_fn({'x': x})
    assert out['probabilities'].shape == (256, 2)
    assert (out['classes'] == y).mean() > 0.9  # it learned
    # The same answers through Estimator.predict, another signature, and tensors by name.
    expected = [p['classes'] for p in estimator.predict(
        tf1_api.estimator.inputs.numpy_input_fn({'x': x}, shuffle=False))]
    np.testing.assert_array_equal(out['classes'], expected)
    np.testing.assert_array_equal(predictor.from_saved_model(
        export_dir, signature_def_key='classify')({'x': x})['classes'], expected)
    named = predictor.from_saved_model(
        export_dir, input_names={'in': 'x:0'},
        output_names={'c': predict_fn.fetch_tensors['classes'].name})
    np.testing.assert_array_equal(named({'in': x})['c'], expected)


def test_from_estimator_restores_its_newest_checkpoint(trained):
    estimator, export_dir = trained
    x, _ = data()
    from_checkpoint = predictor.from_estimator(estimator, serving_input_receiver_fn,
                                               config=tf.ConfigProto())
    from_disk = predictor.from_saved_model(export_dir)
    a, b = from_checkpoint({'x': x}), from_disk({'x': x})
    np.testing.assert_allclose(a['probabilities'], b['probabilities'], rtol=1e-6)
    assert 'CoreEstimatorPredictor with feed tensors' in repr(from_checkpoint)
    with pytest.raises(KeyError, match='output_key must be one of'):
        predictor.from_estimator(estimator, serving_input_receiver_fn, output_key='nope')


def test_from_contrib_estimator_feeds_the_default_inputs(tmp_path):
    learn = tf1_api.contrib.learn
    x, y = data()

    def learn_model_fn(features, labels, mode):
        logits = tf1_api.contrib.layers.fully_connected(features['x'], 2, activation_fn=None)
        loss = train_op = None
        if labels is not None:
            loss = tf.losses.sparse_softmax_cross_entropy(labels, logits)
            train_op = tf1_api.contrib.layers.optimize_loss(
                loss, tf.train.get_global_step(), 0.1, 'Adam')
        return learn.ModelFnOps(mode, predictions=tf.argmax(logits, 1), loss=loss,
                                train_op=train_op)

    estimator = learn.Estimator(learn_model_fn, model_dir=str(tmp_path))
    estimator.fit(x={'x': x}, y=y, steps=200, batch_size=32)

    def input_fn():
        images = tf.placeholder(tf.float32, [None, 4])
        return learn.utils.input_fn_utils.InputFnOps({'x': images}, None, {'x': images})

    predict_fn = predictor.from_contrib_estimator(estimator, input_fn)
    out = predict_fn({'x': x})
    assert list(out) == ['output']  # contrib.learn's key for a lone prediction tensor
    np.testing.assert_array_equal(out['output'], list(estimator.predict(x={'x': x})))
    with pytest.raises(ValueError, match='Requested default_output_alternative: head'):
        predictor.from_contrib_estimator(estimator, input_fn, output_alternative_key='head')
    with pytest.raises(TypeError, match='You likely want to call from_estimator'):
        predictor.from_contrib_estimator(tf1_api.estimator.Estimator(model_fn), input_fn)
    with pytest.raises(TypeError, match='You likely want to call from_contrib_estimator'):
        predictor.from_estimator(estimator, serving_input_receiver_fn)


def test_a_plain_session_saved_model_and_tf1s_errors(tmp_path):
    with tf.Graph().as_default(), tf.Session() as session:
        images = tf.placeholder(tf.float32, [None, 784], name='images')
        weights = tf.Variable(tf.ones([784, 10]) / 784)
        scores = tf.matmul(images, weights, name='scores')
        session.run(tf.global_variables_initializer())
        tf.saved_model.simple_save(session, str(tmp_path / 'm'), {'images': images},
                                   {'scores': scores})
    predict_fn = predictor.from_saved_model(str(tmp_path / 'm'))
    np.testing.assert_allclose(predict_fn({'images': np.ones((2, 784))})['scores'], 1.0,
                               rtol=1e-5)
    with pytest.raises(ValueError, match="Got unexpected keys in input_dict: {'pixels'}"):
        predict_fn({'pixels': np.ones((1, 784))})
    with pytest.raises(RuntimeError, match='could not be found in SavedModel'):
        predictor.from_saved_model(str(tmp_path / 'm'), tags='bad_tag')
    # TF 1.x meant this to fail (a protobuf map made it return an empty signature).
    with pytest.raises(ValueError, match=r'Got signature_def_key "nope". Available '
                                         r"signatures are \['serving_default'\]"):
        predictor.from_saved_model(str(tmp_path / 'm'), signature_def_key='nope')
    with pytest.raises(ValueError, match='must both be specified or both be unspecified'):
        predictor.from_saved_model(str(tmp_path / 'm'), input_names={'a': 'images:0'})
    with pytest.raises(ValueError, match='at most one of signature_def_key OR signature_def'):
        predictor.from_saved_model(str(tmp_path / 'm'), signature_def_key='serving_default',
                                   input_names={}, output_names={})


def test_contrib_lite_converts_a_session_graph_that_its_interpreter_runs():
    lite = tf1_api.contrib.lite
    with tf.Graph().as_default(), tf.Session() as session:
        images = tf.placeholder(tf.float32, [1, 784], name='images')
        weights = tf.Variable(tf.random_normal([784, 10], seed=1))
        probabilities = tf.nn.softmax(tf.matmul(images, weights), name='probabilities')
        session.run(tf.global_variables_initializer())
        image = np.random.RandomState(0).rand(1, 784).astype(np.float32)
        expected = session.run(probabilities, {images: image})
        flatbuffers = [lite.TFLiteConverter.from_session(session, [images], [probabilities])
                       .convert(), lite.TocoConverter.from_session(
                           session, [images], [probabilities]).convert()]
    for flatbuffer in flatbuffers:
        interpreter = lite.Interpreter(model_content=flatbuffer)
        interpreter.allocate_tensors()
        interpreter.set_tensor(interpreter.get_input_details()[0]['index'], image)
        interpreter.invoke()
        np.testing.assert_allclose(
            interpreter.get_tensor(interpreter.get_output_details()[0]['index']), expected,
            atol=1e-6)


def test_contrib_util_tensor_protos():
    util = tf1_api.contrib.util
    array = np.arange(6, dtype=np.float32).reshape(2, 3)
    proto = util.make_tensor_proto(array, shape=[2, 3])  # a TF Serving client's request
    assert proto.tensor_shape.dim[1].size == 3
    np.testing.assert_array_equal(util.make_ndarray(proto), array)
    with tf.Graph().as_default():
        size = tf.size(tf.placeholder(tf.float32, [2, 3]))
        assert util.constant_value(size) == 6  # known from the static shape
        graph_def = tf.get_default_graph().as_graph_def()
    assert {'Placeholder', 'Const'} <= set(util.ops_used_by_graph_def(graph_def))
    # A custom op library: TensorFlow's loader, whose errors name the file.
    with pytest.raises(tf.errors.NotFoundError, match='missing.so: cannot open'):
        util.loader.load_op_library('/nonexistent/missing.so')
