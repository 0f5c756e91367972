"""Every model: its graph builds with the expected number of parameters, it trains a few
steps on tiny data, and a fresh process restores it through the tensor-name contract
alone (predict.py imports no project code) with the same logits as the model code."""
import json
import os

import numpy as np
import pytest
import tensorflow.compat.v1 as tf

from conftest import run_script, train
from graphs import cnn, cnn_lstm, contract, crnn, lenet5, lstm, model as model_lib, nn, regression
from graphs.contract import IMAGE_PIXELS, NUM_CLASSES

tf.disable_v2_behavior()

CONTRACT = (contract.INPUT, contract.LABELS, contract.KEEP_PROB, contract.LOGITS,
            contract.PROBABILITIES, contract.PREDICTION, contract.ACCURACY)

# Trainable parameters, worked out from each architecture by hand.
MODELS = {
    # 784·10 + 10
    'regression': (regression, 7850),
    # 784·500 + 500 | 500·10 + 10
    'nn': (nn, 392500 + 5010),
    # conv 5·5·1·32 + 32 | conv 5·5·32·64 + 64 | fc 3136·1024 + 1024 | 1024·10 + 10
    'cnn': (cnn, 832 + 51264 + 3212288 + 10250),
    # LSTM (28 + 128)·512 + 512 | 128·10 + 10
    'lstm': (lstm, 80384 + 1290),
    # conv 832 | conv 51264 | LSTM (49 + 128)·512 + 512 | 128·10 + 10
    'cnn_lstm': (cnn_lstm, 832 + 51264 + 91136 + 1290),
    # C1 5·5·6 + 6 | C3 5·5·6·16 + 16 | C5 400·120 + 120 | F6 120·84 + 84 | 84·10 + 10
    'lenet5': (lenet5, 156 + 2416 + 48120 + 10164 + 850),
    # convs 3·3·1·32 + 32 | 3·3·32·64 + 64 | 3·3·64·128 + 128 | 3·3·128·256 + 256
    # LSTM (256 + 128)·512 + 512 | LSTM (128 + 128)·512 + 512 | 128·10 + 10
    'crnn': (crnn, 320 + 18496 + 73856 + 295168 + 197120 + 131584 + 1290),
}


@pytest.mark.parametrize('name', sorted(MODELS))
def test_parameter_count(name):
    module, expected = MODELS[name]
    with tf.Graph().as_default() as graph:
        model_lib.build(module.features)
        count = sum(int(np.prod(v.shape.as_list())) for v in tf.trainable_variables())
        assert count == expected
        for tensor in CONTRACT:
            graph.get_tensor_by_name(tensor)


@pytest.mark.parametrize('name', sorted(MODELS))
def test_trains_saves_and_restores_by_contract(name, tiny_mnist, tmp_path):
    module, expected = MODELS[name]
    stdout, model_dir = train('train_%s.py' % name, tiny_mnist, str(tmp_path),
                              '--max_steps', '20', '--batch_size', '20', '--seed', '3')
    assert 'Done: steps 20' in stdout
    checkpoint = tf.train.latest_checkpoint(model_dir)
    assert checkpoint.endswith('model.ckpt-20')
    assert json.load(open(os.path.join(model_dir, 'model.json')))['model'] == name

    # The serving meta-graph: the contract's names, and nothing for training.
    with tf.Graph().as_default() as graph:
        tf.train.import_meta_graph(checkpoint + '.meta')
        tensors = [graph.get_tensor_by_name(n) for n in CONTRACT]
        assert tensors[2].op.type == 'PlaceholderWithDefault'
        assert tensors[5].dtype == tf.int64
        serving_ops = graph.get_operations()
        assert not any(op.name.startswith('train/') for op in serving_ops)
        assert not graph.get_collection(tf.GraphKeys.SUMMARIES)
        # model.build(serving=True): no dropout mask drawn, each LSTM in one chain.
        assert not any(op.type.startswith('Random') for op in serving_ops
                       if op.name.startswith('dropout/'))
        assert not any('/chain' in op.name for op in serving_ops)
    if name in ('nn', 'cnn', 'lstm', 'crnn'):  # training graphs do have them
        with tf.Graph().as_default() as graph:
            tf.train.import_meta_graph(tf.train.latest_checkpoint(
                os.path.join(model_dir, 'train')) + '.meta')
            names = [op.name for op in graph.get_operations()]
            wanted = 'dropout/dropout/' if name in ('nn', 'cnn') else '/chain1/'
            assert any(wanted in op_name for op_name in names)
    stored = tf.train.list_variables(checkpoint)
    assert sum(int(np.prod(shape)) for var, shape in stored if var != 'global_step') == expected

    # A fresh process, through the contract alone, against the model code in this one.
    images = np.random.RandomState(0).rand(4, IMAGE_PIXELS).astype(np.float32)
    np.save(str(tmp_path / 'images.npy'), images)
    lines = run_script('predict.py', '--model_dir', model_dir,
                       '--input', str(tmp_path / 'images.npy')).stdout.splitlines()
    client = [json.loads(line) for line in lines]
    with tf.Graph().as_default():
        model = model_lib.build(module.features)
        with tf.Session() as sess:
            tf.train.Saver().restore(sess, checkpoint)
            logits, prediction = sess.run([model.logits, model.prediction],
                                          {model.images: images})
    np.testing.assert_allclose([c['logits'] for c in client], logits, rtol=1e-5, atol=1e-5)
    assert [c['prediction'] for c in client] == prediction.tolist()


def test_training_feed_drops_out_only_below_keep_prob_one():
    with tf.Graph().as_default():
        tf.set_random_seed(0)
        model = model_lib.build(nn.features)
        images = np.random.RandomState(0).rand(8, IMAGE_PIXELS).astype(np.float32)
        labels = np.eye(NUM_CLASSES, dtype=np.float32)[np.arange(8)]
        keep_all = model_lib.training_feed(model, images, labels, keep_prob=1.0)
        drop_half = model_lib.training_feed(model, images, labels, keep_prob=0.5)
        assert list(keep_all) == [model.images, model.labels]  # the default does it
        assert drop_half[model.keep_prob] == 0.5
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            # Without the feed the placeholder's default keeps every unit: the same loss
            # twice. At 0.5 each run draws a new mask.
            assert sess.run(model.cross_entropy, keep_all) == sess.run(model.cross_entropy,
                                                                        keep_all)
            assert sess.run(model.cross_entropy, drop_half) != sess.run(model.cross_entropy,
                                                                         drop_half)
