"""tf1's tf.contrib.quantize (TF 1.15's rewrite): batch norms folded without changing what
the layer computes, fake quantisation where TF 1.15 put it and under its names (so that TF
1.x's quantised checkpoints restore), its ranges as its layers learn them, its delays, and
the whole of quantisation-aware training ending in TensorFlow Lite's integer kernels, which
compute what the rewritten eval graph computes."""
import numpy as np
import pytest
import tensorflow.compat.v1 as tf

from tf1 import unsupported
from tf1.api import tensorflow as tf1_api

tf.disable_v2_behavior()
quantize = tf1_api.contrib.quantize
slim = tf1_api.contrib.slim
ops = quantize.python


def small_net(images, is_training):
    """Conv, separable conv and fully connected layers with fused batch norms, a pool, and
    logits without an activation: each kind of layer the rewrite matches."""
    batch_norm = {'normalizer_fn': slim.batch_norm,
                  'normalizer_params': {'is_training': is_training, 'decay': 0.9}}
    net = slim.conv2d(images, 8, 3, scope='conv1', **batch_norm)
    net = slim.separable_conv2d(net, 8, 3, depth_multiplier=1, scope='sep2', **batch_norm)
    net = slim.flatten(slim.max_pool2d(net, 2))
    net = slim.fully_connected(net, 16, scope='fc3', **batch_norm)
    return slim.fully_connected(net, 10, activation_fn=None, scope='logits')


def data():
    rng = np.random.RandomState(0)
    images = rng.rand(128, 8, 8, 1).astype(np.float32)
    labels = (images.reshape(128, -1).sum(1) * 10 / 64).astype(np.int64) % 10
    return images, labels


def test_the_rewrite_names_its_ops_and_variables_as_tf_1_15_did():
    with tf.Graph().as_default() as graph:
        small_net(tf.placeholder(tf.float32, [None, 8, 8, 1]), is_training=True)
        quantize.create_training_graph(quant_delay=0)
        fake_quants = {op.name.rpartition('/')[0] for op in graph.get_operations()
                       if op.type == 'FakeQuantWithMinMaxVars'}
        variables = {v.op.name for v in tf.global_variables() if '_quant/' in v.op.name}
        folded = {op.name for op in graph.get_operations() if 'fold' in op.name.lower()}
    layers = ['conv1', 'sep2/separable_conv2d', 'sep2', 'fc3', 'logits']
    assert fake_quants == {layer + kind for layer in layers
                           for kind in ('/weights_quant', '/act_quant')}
    assert {'conv1/weights_quant/min', 'conv1/weights_quant/max', 'conv1/act_quant/min',
            'conv1/act_quant/max'} <= variables
    # The batch norms of conv1, sep2's pointwise conv and fc3 folded into their layers.
    assert {'conv1/Conv2D_Fold', 'sep2/separable_conv2d_Fold', 'fc3/MatMul_Fold',
            'conv1/mul_fold', 'conv1/add_fold', 'conv1/BatchNorm_Fold/bias',
            'fc3/add_fold'} <= folded


@pytest.mark.parametrize('is_training', [False, True])
def test_a_folded_batch_norm_computes_what_it_did(is_training):
    """In eval the moving statistics; in training the batch's, through the corrections that
    scale the weights by the moving ones."""
    images = np.random.RandomState(1).rand(16, 8, 8, 1).astype(np.float32)
    with tf.Graph().as_default() as graph:
        x = tf.placeholder(tf.float32, [None, 8, 8, 1])
        net = small_net(x, is_training)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            for variable in tf.global_variables():  # statistics other than 0 and 1
                if 'moving' in variable.op.name or 'beta' in variable.op.name:
                    sess.run(variable.assign(np.random.RandomState(2).uniform(
                        0.5, 1.5, variable.shape.as_list()).astype(np.float32)))
            before = sess.run(net, {x: images})
            ops.fold_batch_norms.FoldBatchNorms(graph, is_training=is_training)
            sess.run(tf.variables_initializer([v for v in tf.global_variables()
                                               if 'fake_quantization_step' in v.op.name]))
            after = sess.run(net, {x: images})
            assert any(op.name == 'conv1/add_fold' for op in graph.get_operations())
    np.testing.assert_allclose(after, before, rtol=1e-4, atol=1e-4)


def test_quantisation_aware_training_converts_to_tensorflow_lite_integer_kernels(tmp_path):
    images, labels = data()
    with tf.Graph().as_default():
        tf.set_random_seed(0)
        x = tf.placeholder(tf.float32, [None, 8, 8, 1], name='input')
        y = tf.placeholder(tf.int64, [None])
        logits = small_net(x, is_training=True)
        quantize.create_training_graph(quant_delay=0)  # before the gradients
        loss = tf.losses.sparse_softmax_cross_entropy(y, logits)
        with tf.control_dependencies(tf.get_collection(tf.GraphKeys.UPDATE_OPS)):
            train = tf.train.AdamOptimizer(0.01).minimize(loss)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            first = sess.run(loss, {x: images, y: labels})
            for _ in range(80):
                last, _ = sess.run([loss, train], {x: images, y: labels})
            tf.train.Saver().save(sess, str(tmp_path / 'model.ckpt'))
    assert last < first / 2
    one = np.round(images[:1] * 255) / 255  # exactly an 8-bit image
    with tf.Graph().as_default() as graph:
        x = tf.placeholder(tf.float32, [1, 8, 8, 1], name='input')
        output = tf.identity(small_net(x, is_training=False), name='output')
        quantize.create_eval_graph()
        with tf.Session() as sess:
            tf.train.Saver().restore(sess, str(tmp_path / 'model.ckpt'))
            expected = sess.run(output, {x: one})
            frozen = tf.graph_util.convert_variables_to_constants(
                sess, graph.as_graph_def(), ['output'])
    (tmp_path / 'frozen.pb').write_bytes(frozen.SerializeToString())
    converter = tf.lite.TFLiteConverter.from_frozen_graph(
        str(tmp_path / 'frozen.pb'), ['input'], ['output'])
    converter.inference_type = tf.uint8
    converter.quantized_input_stats = {'input': (0.0, 255.0)}
    interpreter = tf.lite.Interpreter(model_content=converter.convert())
    interpreter.allocate_tensors()
    interpreter.set_tensor(interpreter.get_input_details()[0]['index'],
                           (one * 255).round().astype(np.uint8))
    interpreter.invoke()
    got = interpreter.get_tensor(interpreter.get_output_details()[0]['index'])
    # Integer kernels rounding where the fake quantisation rounded: a level or two apart.
    np.testing.assert_allclose(got, expected, atol=0.02 * np.abs(expected).max())
    assert got.argmax() == expected.argmax()


def test_the_fake_quantisation_layers_learn_their_ranges():
    batches = [np.array([[-1.0, 0.5], [2.0, 4.0]], np.float32),
               np.array([[-2.0, 0.5], [1.0, 2.0]], np.float32)]
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, [2, 2])
        outputs = [
            ops.quant_ops.LastValueQuantize(x, name_prefix='last'),
            ops.quant_ops.FixedQuantize(x, init_min=0.0, init_max=1.0),
            ops.quant_ops.MovingAvgQuantize(x, is_training=False, name_prefix='eval'),
            ops.quant_ops.MovingAvgQuantize(x, ema_decay=0.9, name_prefix='ema'),
            ops.quant_ops.LastValueQuantize(tf.abs(x) + 1, name_prefix='positive'),
            ops.quant_ops.LastValueQuantize(x, symmetric=True, narrow_range=True,
                                            name_prefix='symmetric'),
            ops.quant_ops.LastValueQuantize(x, per_channel=True, name_prefix='channel')]
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            first = sess.run(outputs, {x: batches[0]})
            sess.run(outputs, {x: batches[1]})
            ranges = {name: sess.run([tf.global_variables(name + '/min')[0],
                                      tf.global_variables(name + '/max')[0]])
                      for name in ('last', 'ema', 'positive', 'symmetric', 'channel')}
    assert ranges['last'] == [-2.0, 2.0]  # the last batch's
    # The zero-debiased moving average (assign_moving_average's default) of the ranges.
    np.testing.assert_allclose(ranges['ema'], [(0.09 * -1 + 0.1 * -2) / 0.19,
                                               (0.09 * 4 + 0.1 * 2) / 0.19], rtol=1e-5)
    assert ranges['positive'][0] == 0.0  # 0 always in the range (TensorFlow Lite's rule)
    assert ranges['symmetric'] == [-2.0, 2.0]
    np.testing.assert_allclose(ranges['channel'], [[-2.0, 0.0], [1.0, 2.0]])  # per column
    step = 5.0 / 255  # 256 levels over the first batch's [-1, 4]
    assert np.abs(first[0] - batches[0]).max() <= step / 2 + 1e-6
    np.testing.assert_allclose(first[1], np.clip(batches[0], 0, 1), atol=0.5 / 255 + 1e-6)
    assert np.abs(first[2] - batches[0]).max() <= 12 / 255  # eval: the initial [-6, 6]
    with pytest.raises(ValueError, match='Expected 1D, 2D or 4D input'):
        ops.quant_ops.LastValueQuantize(tf.zeros([2, 2, 2]), per_channel=True)


def test_quantisation_and_frozen_batch_norms_wait_for_their_delays():
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, [4, 6, 6, 1])
        net = tf1_api.layers.conv2d(x, 2, 3, use_bias=False, name='conv')
        net = tf1_api.layers.batch_normalization(net, training=True, name='bn')
        net = tf.nn.relu6(net)
        quantize.experimental_create_training_graph(quant_delay=3, freeze_bn_delay=5)
        graph = tf.get_default_graph()
        weights = graph.get_tensor_by_name('conv/mul_fold:0')  # the folded weights
        quantized = graph.get_tensor_by_name('conv/weights_quant/delayed_quant/Merge:0')
        recip = graph.get_tensor_by_name(
            'conv/BatchNorm_Fold/batch_norm_correction/correction_recip/Merge:0')
        images = np.random.RandomState(0).rand(4, 6, 6, 1)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            # Each run reads the step once (its first run is step 1).
            runs = [sess.run([weights, quantized, recip], {x: images}) for _ in range(6)]
    for step, (w, q, r) in enumerate(runs, start=1):
        assert np.array_equal(q, w) == (step < 3), step  # rounded from step 3 on
        assert np.all(r == 1.0) == (step >= 5), step  # the moving statistics alone


def test_what_the_rewrite_refuses_in_one_line():
    with tf.Graph().as_default() as graph:
        x = tf.placeholder(tf.float32, [4, 6, 6, 1])
        slim.conv2d(x, 2, 3, normalizer_fn=slim.batch_norm,
                    normalizer_params={'fused': False, 'is_training': True}, scope='conv')
        before = len(graph.get_operations())
        with pytest.raises(unsupported.UnsupportedUseError,
                           match='conv/BatchNorm is unfused: build it with fused=True'):
            quantize.create_training_graph()
        assert len(graph.get_operations()) == before  # nothing rewritten
    with tf.Graph().as_default():
        loss = tf.reduce_sum(slim.conv2d(tf.ones([1, 4, 4, 1]), 2, 3))
        tf.train.GradientDescentOptimizer(0.1).minimize(loss)
        with pytest.raises(ValueError, match='Training op found in graph'):
            quantize.create_training_graph()


def test_only_the_scope_asked_is_rewritten_and_the_modules_paths():
    with tf.Graph().as_default() as graph:
        x = tf.placeholder(tf.float32, [None, 8, 8, 1])
        slim.conv2d(slim.conv2d(x, 4, 3, scope='keep'), 4, 3, scope='rewrite/conv')
        quantize.experimental_create_eval_graph(scope='rewrite')
        quantized = {op.name for op in graph.get_operations()
                     if op.type == 'FakeQuantWithMinMaxVars'}
    assert quantized == {'rewrite/conv/weights_quant/FakeQuantWithMinMaxVars',
                         'rewrite/conv/act_quant/FakeQuantWithMinMaxVars'}
    assert ops.quantize_graph.create_training_graph is quantize.create_training_graph
    assert callable(ops.quantize.Quantize) and callable(ops.common.RerouteTensor)
    assert ops.graph_matcher.OpTypePattern.__name__ == 'OpTypePattern'
    assert ops.input_to_ops.InputToOps is ops.common.InputToOps
    with tf.Graph().as_default() as graph:
        a = tf.constant(1.0)
        tf.identity(a, name='consumer')
    assert [op.name for op in ops.input_to_ops.InputToOps(graph).ConsumerOperations(a.op)] == [
        'consumer']
