"""tf1's tf.contrib.model_pruning (TF 1.15's): masked layers under contrib's names that
compute with kernel times mask, the sparsity schedule by its formula, mask updates that
prune exactly the smallest weights (or blocks) when due, and a network trained to its
target sparsity, by hand and by the slim training loop."""
import numpy as np
import pytest
import tensorflow.compat.v1 as tf

from tf1 import unsupported
from tf1.api import tensorflow as tf1_api

tf.disable_v2_behavior()
model_pruning = tf1_api.contrib.model_pruning
pruning = model_pruning.python.pruning
pruning_utils = model_pruning.python.pruning_utils


def run(*tensors):
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        return sess.run(list(tensors))


def test_the_block_helpers_against_numpy():
    matrix = np.arange(6, dtype=np.float32).reshape(2, 3)
    with tf.Graph().as_default():
        expanded, kron, max_pool, avg_pool = run(
            pruning_utils.expand_tensor(tf.constant(matrix), [2, 3]),
            pruning_utils.kronecker_product(tf.constant(matrix), tf.ones([2, 2])),
            pruning_utils.factorized_pool(tf.constant(np.arange(16.0).reshape(4, 4)), [2, 2],
                                          'MAX', [2, 2], 'SAME'),
            pruning_utils.factorized_pool(tf.constant(np.arange(16.0).reshape(4, 4)), [2, 2],
                                          'AVG', [2, 2], 'SAME'))
    np.testing.assert_array_equal(expanded, np.kron(matrix, np.ones([2, 3])))
    np.testing.assert_array_equal(kron, np.kron(matrix, np.ones([2, 2])))
    np.testing.assert_array_equal(max_pool, [[5, 7], [13, 15]])
    np.testing.assert_array_equal(avg_pool, [[2.5, 4.5], [10.5, 12.5]])
    with pytest.raises(ValueError, match='rank 2'):
        pruning_utils.expand_tensor(tf.zeros([2]), [2, 2])


def test_masked_layers_compute_with_kernel_times_mask_under_contribs_names():
    images = np.random.RandomState(0).rand(2, 5, 5, 3).astype(np.float32)
    with tf.Graph().as_default():
        x = tf.constant(images)
        conv = model_pruning.masked_conv2d(x, 4, 3, activation_fn=None)
        dense = model_pruning.masked_fully_connected(tf.reshape(conv, [2, -1]), 6)
        names = [v.op.name for v in tf.global_variables()]
        masked = [t.op.name for t in model_pruning.get_masked_weights()]
        masks = model_pruning.get_masks()
        kernel = model_pruning.get_weights()[0]
        half = np.random.RandomState(1).rand(3, 3, 3, 4) > 0.5
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            sess.run(masks[0].assign(half.astype(np.float32)))
            got, weights, biases = sess.run([conv, kernel, 'Conv/biases:0'])
            grads = tf.gradients(tf.reduce_sum(dense), [kernel, masks[0]])
            kernel_grad = sess.run(grads[0])
    assert names == ['Conv/weights', 'Conv/biases', 'Conv/mask', 'Conv/threshold',
                     'fully_connected/weights', 'fully_connected/biases',
                     'fully_connected/mask', 'fully_connected/threshold']
    assert masked == ['Conv/weights/masked_weight', 'fully_connected/weights/masked_weight']
    with tf.Graph().as_default():
        expected = run(tf.nn.conv2d(images, weights * half, [1, 1, 1, 1], 'SAME') + biases)[0]
    np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-5)
    assert np.all(kernel_grad[~half] == 0) and np.any(kernel_grad[half] != 0)
    assert grads[1] is not None  # the mask is a variable, not trained
    with pytest.raises(ValueError, match='not supported for input with rank'):
        with tf.Graph().as_default():
            model_pruning.masked_conv2d(tf.zeros([1, 4, 2]), 2, 3)


def test_the_sparsity_schedule_and_when_masks_update():
    hparams = pruning.get_pruning_hparams().parse(
        'begin_pruning_step=2,end_pruning_step=12,pruning_frequency=3,initial_sparsity=0.1,'
        'target_sparsity=0.7,sparsity_function_begin_step=2,sparsity_function_end_step=10,'
        'sparsity_function_exponent=2')
    with tf.Graph().as_default():
        step = tf.placeholder(tf.int64, [])
        weights = tf.Variable(np.arange(1, 21, dtype=np.float32).reshape(4, 5))
        pruning.apply_mask(weights, 'layer')
        p = pruning.Pruning(hparams, global_step=step)
        update = p.conditional_mask_update_op()
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            history = []
            for value in range(16):
                sess.run(update, {step: value})
                history.append(sess.run([p._sparsity, pruning.get_weight_sparsity()[0],
                                         pruning.get_thresholds()[0],
                                         'model_pruning/last_mask_update_step:0'],
                                        {step: value}))
    for value, (sparsity, _, _, _) in enumerate(history):
        fraction = min(1.0, max(0.0, (value - 2) / 8))
        assert sparsity == pytest.approx(0.7 + (0.1 - 0.7) * (1 - fraction) ** 2), value
    # Updated at steps 3, 6, 9, 12 (every 3 within [2, 12]; the last update at step 0).
    updated = [value for value in range(1, 16) if history[value][3] != history[value - 1][3]]
    assert updated == [3, 6, 9, 12]
    # At step 12 the target's 70%: the 14 smallest of 20 weights pruned, threshold the 15th.
    assert history[12][1] == pytest.approx(0.7) and history[12][2] == 15.0
    assert history[15][1] == pytest.approx(0.7)  # no update after end_pruning_step


def test_weight_sparsity_and_block_maps_and_threshold_decay():
    hparams = pruning.get_pruning_hparams().parse(
        'target_sparsity=0.5,weight_sparsity_map=[first:0.25],block_dims_map=[second:2x2],'
        'threshold_decay=0.5,sparsity_function_end_step=1')
    first = np.arange(1, 9, dtype=np.float32).reshape(2, 4)
    second = np.array([[1, 1, 9, 9], [1, 1, 9, 9], [5, 5, 2, 2], [5, 5, 2, 2]], np.float32)
    with tf.Graph().as_default():
        pruning.apply_mask(tf.Variable(first, name='first'), 'first')
        pruning.apply_mask(tf.Variable(second, name='second'), 'second')
        p = pruning.Pruning(hparams, global_step=tf.constant(5))
        update = p.mask_update_op()
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            sess.run(update)
            masks = sess.run(pruning.get_masks())
            thresholds = sess.run(pruning.get_thresholds())
    # first: 25% of 8 pruned by a threshold of 3 halved with the old 0 (decay 0.5): 1.5,
    # so only the weight below it goes.
    assert thresholds[0] == 1.5 and masks[0].sum() == 7
    # second: 2x2 blocks by their average (1, 9, 5, 2), half of them pruned.
    np.testing.assert_array_equal(masks[1], (second >= 5).astype(np.float32))
    with pytest.raises(ValueError, match='target_sparsity must be in range'):
        pruning.Pruning(pruning.get_pruning_hparams().parse('target_sparsity=1.0'),
                        global_step=tf.constant(0))
    with pytest.raises(ValueError, match='Pruning must begin before it can end'):
        pruning.Pruning(pruning.get_pruning_hparams().parse(
            'begin_pruning_step=5,end_pruning_step=3'), global_step=tf.constant(0))


def test_a_network_trains_to_its_target_sparsity_by_hand_and_by_the_slim_loop(tmp_path):
    rng = np.random.RandomState(0)
    images = rng.rand(64, 8, 8, 1).astype(np.float32)
    labels = (images.reshape(64, -1).mean(1) > 0.5).astype(np.int64)
    hparams = 'target_sparsity=0.8,sparsity_function_end_step=40,pruning_frequency=4'
    with tf.Graph().as_default():
        tf.set_random_seed(0)
        net = model_pruning.masked_conv2d(tf.constant(images), 8, 3)
        net = model_pruning.masked_fully_connected(tf1_api.contrib.layers.flatten(net), 16)
        logits = tf1_api.contrib.layers.fully_connected(net, 2, activation_fn=None)
        loss = tf.losses.sparse_softmax_cross_entropy(labels, logits)
        step = tf.train.get_or_create_global_step()
        train_op = tf1_api.contrib.slim.learning.create_train_op(
            loss, tf.train.AdamOptimizer(0.01), global_step=step)
        p = model_pruning.Pruning(model_pruning.get_pruning_hparams().parse(hparams))
        mask_update_op = p.conditional_mask_update_op()
        p.add_pruning_summaries()
        sparsity = model_pruning.get_weight_sparsity()
        saver = tf.train.Saver()  # before the loop finalises the graph
        model_pruning.train(train_op, str(tmp_path), mask_update_op, number_of_steps=60,
                            log_every_n_steps=100, save_summaries_secs=10000, saver=saver)
        with tf.Session() as sess:
            saver.restore(sess, tf.train.latest_checkpoint(str(tmp_path)))
            sparsities, final_loss = sess.run([sparsity, loss])
    np.testing.assert_allclose(sparsities, 0.8, atol=0.01)
    assert final_loss < 0.6  # still learning with 80% of its weights gone


def test_masked_lstm_cells_step_with_their_masked_kernels():
    inputs = np.random.RandomState(0).rand(2, 3, 4).astype(np.float32)
    cells = model_pruning.python.layers.rnn_cells
    with tf.Graph().as_default():
        x = tf.constant(inputs)
        basic = cells.MaskedBasicLSTMCell(5)
        projected = cells.MaskedLSTMCell(5, num_proj=3, use_peepholes=True)
        plain = tf1_api.nn.rnn_cell.BasicLSTMCell(5)
        outputs = [tf.nn.dynamic_rnn(cell, x, dtype=tf.float32, scope=scope)[0]
                   for cell, scope in ((basic, 'basic'), (projected, 'projected'),
                                       (plain, 'plain'))]
        names = sorted(v.op.name for v in tf.global_variables() if 'plain' not in v.op.name)
        masks = model_pruning.get_masks()
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            # A mask of zeros and the same bias: the plain cell with a kernel of zeros.
            sess.run([masks[0].assign(tf.zeros_like(masks[0])),
                      plain.variables[0].assign(tf.zeros_like(plain.variables[0])),
                      plain.variables[1].assign(basic.variables[1])])
            masked, _, reference = sess.run(outputs)
    assert names == ['basic/masked_basic_lstm_cell/bias', 'basic/masked_basic_lstm_cell/kernel',
                     'basic/masked_basic_lstm_cell/mask', 'basic/masked_basic_lstm_cell/threshold',
                     'projected/masked_lstm_cell/bias', 'projected/masked_lstm_cell/kernel',
                     'projected/masked_lstm_cell/mask',
                     'projected/masked_lstm_cell/projection/kernel',
                     'projected/masked_lstm_cell/threshold', 'projected/masked_lstm_cell/w_f_diag',
                     'projected/masked_lstm_cell/w_i_diag', 'projected/masked_lstm_cell/w_o_diag']
    assert masks[1].shape.as_list() == [4 + 3, 4 * 5]  # the kernel's, the projection's width
    np.testing.assert_allclose(masked, reference, rtol=1e-5)


def test_a_pruned_network_is_exported_without_its_masks(tmp_path):
    images = np.random.RandomState(0).rand(4, 6, 6, 1).astype(np.float32)
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, [None, 6, 6, 1], name='images')
        net = model_pruning.masked_conv2d(x, 3, 3)
        net = model_pruning.masked_fully_connected(tf1_api.contrib.layers.flatten(net), 2,
                                                   activation_fn=None)
        output = tf.identity(net, name='logits')
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            for mask in model_pruning.get_masks():  # prune half of each
                shape = mask.shape.as_list()
                sess.run(mask.assign((np.arange(np.prod(shape)) % 2).reshape(shape)))
            expected = sess.run(output, {x: images})
            tf.train.Saver().save(sess, str(tmp_path / 'model.ckpt'))
    frozen = model_pruning.graph_def_from_checkpoint(str(tmp_path), ['logits'])
    stripped = model_pruning.strip_pruning_vars_fn(frozen, ['logits'])
    kinds = {node.name: node.op for node in stripped.node}
    assert not any(name.endswith(('/mask', '/threshold')) for name in kinds)
    assert kinds['Conv/weights/masked_weight'] == 'Const'
    with tf.Graph().as_default():
        tf.import_graph_def(stripped, name='')
        with tf.Session() as sess:
            got = sess.run('logits:0', {'images:0': images})
    np.testing.assert_allclose(got, expected, rtol=1e-5)
    with pytest.raises(ValueError, match='Could not find a checkpoint'):
        model_pruning.graph_def_from_checkpoint(str(tmp_path / 'none'), ['logits'])


def test_what_is_not_provided_says_so_in_one_line():
    with pytest.raises(unsupported.UnsupportedApiError,
                       match='for the rest use the TensorFlow Model Optimization Toolkit'):
        model_pruning.prune_low_magnitude
