"""tf1's tf.contrib.slim, tf.contrib.framework (arg_scope, variables), tf.contrib.losses and
tf.contrib.metrics: what TF 1.x's own code did, which TF 2.21 no longer ships. The oracle
is TF 1.x's behaviour as its source defines it (arg_scope's stack, the variable
collections, contrib's loss weighting written out in NumPy) and, where contrib delegated
to a part TF 2.21 still has (tf.metrics), that part's answer."""
import numpy as np
import pytest
import tensorflow.compat.v1 as tf

from tf1 import contrib_framework, contrib_layers, contrib_losses, contrib_metrics, slim

tf.disable_v2_behavior()

RNG = np.random.RandomState(0)


pytestmark = pytest.mark.usefixtures('fresh_graph')  # conftest.py


# ---------------------------------------------------------------------------- arg_scope

def test_arg_scope_sets_defaults_that_an_explicit_argument_overrides():
    images = tf.zeros([2, 8, 8, 1])
    with slim.arg_scope([slim.conv2d], padding='VALID', activation_fn=None):
        scoped = slim.conv2d(images, 4, [3, 3], scope='scoped')
        explicit = slim.conv2d(images, 4, [3, 3], padding='SAME', scope='explicit')
    after = slim.conv2d(images, 4, [3, 3], scope='after')
    assert scoped.shape.as_list() == [2, 6, 6, 4] and scoped.op.type == 'BiasAdd'
    assert explicit.shape.as_list() == [2, 8, 8, 4] and explicit.op.type == 'BiasAdd'
    assert after.shape.as_list() == [2, 8, 8, 4] and after.op.type == 'Relu'


def test_arg_scopes_nest_and_an_inner_value_wins():
    x = tf.zeros([2, 5])
    with slim.arg_scope([slim.fully_connected, slim.conv2d], activation_fn=None,
                        weights_regularizer=slim.l2_regularizer(0.1)):
        with slim.arg_scope([slim.fully_connected], activation_fn=tf.nn.sigmoid) as scope:
            inner = slim.fully_connected(x, 3, scope='inner')
        outer = slim.fully_connected(x, 3, scope='outer')
    assert inner.op.type == 'Sigmoid' and outer.op.type == 'BiasAdd'
    assert len(tf.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES)) == 2
    key = getattr(slim.fully_connected, '_key_op')
    assert scope[key] == {'activation_fn': tf.nn.sigmoid,
                          'weights_regularizer': scope[key]['weights_regularizer']}
    # An arg_scope kept with `as` is re-entered as it was.
    with slim.arg_scope(scope):
        again = slim.fully_connected(x, 3, scope='again')
    assert again.op.type == 'Sigmoid'
    assert slim.current_arg_scope() == {}


def test_slim_and_contrib_layers_are_the_same_functions_under_one_scope():
    assert slim.conv2d is tf_contrib_layers().conv2d is contrib_layers.conv2d
    with contrib_framework.arg_scope([contrib_layers.fully_connected], activation_fn=None):
        out = slim.fully_connected(tf.zeros([1, 4]), 2)
    assert out.op.type == 'BiasAdd'
    assert slim.has_arg_scope(slim.conv2d) and not slim.has_arg_scope(tf.nn.conv2d)
    assert 'activation_fn' in slim.arg_scoped_arguments(slim.fully_connected)


def test_slim_and_contrib_layers_have_the_layers_module_whole():
    """TF 1.x's slim star-imported contrib.layers' package, its modules with it:
    `slim.layers.conv2d` (tensorpack's examples); `tf.contrib.layers.layers` was layers.py,
    whole (tf1 spreads it over the package)."""
    import tf1.api
    api = tf1.api.tensorflow.contrib
    assert api.slim.layers is api.layers.layers
    assert api.slim.layers.max_pool2d is contrib_layers.max_pool2d
    assert api.layers.layers.batch_norm is contrib_layers.batch_norm
    assert api.slim.initializers.xavier_initializer is contrib_layers.xavier_initializer
    assert api.slim.summaries is not api.layers.summaries  # slim's own replaced layers'
    with tf.Graph().as_default():
        net = api.slim.layers.max_pool2d(api.slim.layers.conv2d(
            tf.zeros([1, 28, 28, 1]), 4, 5, scope='conv1'), 2)
        assert net.shape.as_list() == [1, 14, 14, 4]


def tf_contrib_layers():
    import tf1.api
    return tf1.api.tensorflow.contrib.layers


def test_arg_scope_errors_are_tf1s():
    with pytest.raises(ValueError, match='is not decorated with @add_arg_scope'):
        with slim.arg_scope([tf.nn.conv2d], padding='SAME'):
            pass
    with pytest.raises(TypeError, match='must either be a list/tuple or reused scope'):
        with slim.arg_scope(slim.conv2d, padding='SAME'):
            pass
    with pytest.raises(ValueError, match='kwargs must be empty'):
        with slim.arg_scope({}, padding='SAME'):
            pass
    assert slim.current_arg_scope() == {}  # a failed scope leaves nothing behind


def test_add_arg_scope_on_ones_own_function():
    @slim.add_arg_scope
    def scaled(x, factor=1.0):
        return x * factor
    with slim.arg_scope([scaled], factor=3.0):
        assert scaled(2.0) == 6.0 and scaled(2.0, factor=0.5) == 1.0
    assert scaled(2.0) == 2.0 and scaled.__name__ == 'scaled'


# ---------------------------------------------------------------------------- variables

def test_variables_their_collections_and_lookups():
    with tf.variable_scope('net'):
        with slim.arg_scope([slim.model_variable], initializer=tf.ones_initializer()):
            weights = slim.model_variable('weights', [3, 2])
        plain = slim.variable('plain', [2], initializer=tf.zeros_initializer())
        local = slim.local_variable(tf.zeros([1]), name='counter')
    with tf.variable_scope('head'):
        head = slim.model_variable('weights', [2, 1])
    assert slim.get_model_variables() == [weights, head]
    assert weights in tf.global_variables() and plain not in slim.get_model_variables()
    assert slim.get_local_variables() == [local] and local not in tf.global_variables()
    assert slim.get_variables('net') == [weights, plain]
    assert slim.get_variables_by_name('weights') == [weights, head]
    assert slim.get_variables_by_suffix('plain') == [plain]
    assert slim.get_unique_variable('head/weights') is head
    with pytest.raises(ValueError, match="Couldn't find variable nowhere"):
        slim.get_unique_variable('nowhere')
    assert slim.get_variables_to_restore(exclude=['head']) == [weights, plain]
    assert slim.get_variables_to_restore(include=['head', 'net/plain']) == [head, plain]
    with pytest.raises(TypeError, match='exclude is provided but is not a list or a tuple'):
        slim.get_variables_to_restore(exclude='head')
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        np.testing.assert_array_equal(sess.run(weights), np.ones([3, 2]))


def test_a_variable_on_the_device_its_arg_scope_names():
    with slim.arg_scope([slim.variable], device='/cpu:0'):
        v = slim.variable('v', [1])
    assert v.device == '/device:CPU:0'
    chooser = slim.VariableDeviceChooser(num_tasks=2)
    assert [chooser(None) for _ in range(3)] == [
        '/job:ps/task:0/device:CPU:0', '/job:ps/task:1/device:CPU:0',
        '/job:ps/task:0/device:CPU:0']


def test_assign_from_checkpoint_and_values(tmp_path):
    tf.Variable([1.0, 2.0], name='a')
    tf.Variable([[3.0]], name='b')
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        path = tf.train.Saver().save(sess, str(tmp_path / 'model.ckpt'))
    with tf.Graph().as_default():
        a = tf.Variable([0.0, 0.0], name='a')
        c = tf.Variable([7.0], name='c')  # not in the checkpoint
        init_fn = slim.assign_from_checkpoint_fn(path, [a, c], ignore_missing_vars=True)
        op, feed = slim.assign_from_checkpoint(path, {'b': tf.Variable([[0.0]], name='b2')})
        values_op, values_feed = slim.assign_from_values({'c': np.array([9.0])})
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            init_fn(sess)
            sess.run(op, feed)
            sess.run(values_op, values_feed)
            assert sess.run(a).tolist() == [1.0, 2.0] and sess.run(c).tolist() == [9.0]
            assert sess.run('b2:0').tolist() == [[3.0]]
        with pytest.raises(ValueError, match=r'Checkpoint is missing variable \[c\]'):
            slim.assign_from_checkpoint(path, [c])


def test_a_partitioned_variable_is_restored_part_by_part(tmp_path):
    """assign_from_checkpoint gives each part of a partitioned variable its slice of the
    whole, which the checkpoint holds under the variable's own name."""
    whole = np.arange(12, dtype=np.float32).reshape(6, 2)
    tf.Variable(whole, name='embedding')
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        path = tf.train.Saver().save(sess, str(tmp_path / 'model.ckpt'))
    with tf.Graph().as_default():
        partitioned = tf.get_variable('embedding', [6, 2],
                                      partitioner=tf.fixed_size_partitioner(3))
        parts = list(partitioned)
        assert {slim.get_variable_full_name(part) for part in parts} == {'embedding'}
        assert parts[0].op.name == 'embedding/part_0'
        op, feed = slim.assign_from_checkpoint(path, parts)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            sess.run(op, feed)
            np.testing.assert_array_equal(sess.run(partitioned.as_tensor()), whole)
            np.testing.assert_array_equal(sess.run(parts[1]), whole[2:4])


def test_filter_variables_and_global_variable():
    with tf.variable_scope('Conv'):
        conv_weights = slim.model_variable('weights', [1])
        conv_biases = slim.model_variable('biases', [1])
    with tf.variable_scope('Logits'):
        logits_weights = slim.model_variable('weights', [1])
    variables = slim.get_model_variables()
    assert slim.filter_variables(variables, ['Conv'], ['biases']) == [conv_weights]
    assert slim.filter_variables(variables, exclude_patterns=['Conv']) == [logits_weights]
    assert slim.filter_variables(variables, ['weights'], reg_search=False) == []
    assert slim.filter_variables(variables) == [conv_weights, conv_biases, logits_weights]
    step = contrib_framework.global_variable(0, name='step')
    assert step in tf.global_variables() and step not in tf.trainable_variables()


# ---------------------------------------------------------------------------- losses, metrics

LOGITS = RNG.randn(6, 4).astype(np.float32)
LABELS = RNG.randint(0, 4, 6)
WEIGHTS = np.array([1, 0, 2, 1, 1, 0.5], np.float32)  # one sample weighs nothing


def contrib_mean(losses, weights):
    """TF 1.x contrib's weighting, in NumPy: each sample's summed loss times its weight,
    over the number of elements the non-zero weights cover."""
    per_sample = losses.reshape(len(losses), -1).sum(1)
    per_weight = losses[0].size
    return (per_sample * weights).sum() / (np.count_nonzero(weights) * per_weight)


def test_an_arg_scope_can_keep_contrib_losses_out_of_the_collection():
    with contrib_framework.arg_scope([contrib_losses.add_loss], loss_collection=None):
        contrib_losses.mean_squared_error(tf.ones([1, 4]), tf.zeros([1, 4]))
    assert contrib_losses.get_losses() == []
    contrib_losses.mean_squared_error(tf.ones([1, 4]), tf.zeros([1, 4]))
    assert len(contrib_losses.get_losses()) == 1


def test_contrib_losses_weigh_each_sample_as_tf1_did():
    predictions = LOGITS
    targets = LOGITS ** 2
    probabilities = 1 / (1 + np.exp(-LOGITS))
    binary = (LOGITS > 0).astype(np.float32)
    shifted = LOGITS - LOGITS.max(1, keepdims=True)
    log_softmax = shifted - np.log(np.exp(shifted).sum(1, keepdims=True))
    unit = LOGITS / np.linalg.norm(LOGITS, axis=1, keepdims=True)
    c = tf.constant  # contrib's losses take tensors, as in TF 1.x
    cases = {
        'mse': (contrib_losses.mean_squared_error(c(predictions), c(targets), WEIGHTS),
                contrib_mean((predictions - targets) ** 2, WEIGHTS)),
        'mse [B, 1]': (contrib_losses.mean_squared_error(c(predictions), c(targets),
                                                         WEIGHTS[:, None]),
                       contrib_mean((predictions - targets) ** 2, WEIGHTS)),
        'mse scalar': (contrib_losses.mean_squared_error(c(predictions), c(targets), 2.0),
                       2.0 * ((predictions - targets) ** 2).mean()),
        'absolute': (contrib_losses.absolute_difference(c(predictions), c(targets), WEIGHTS),
                     contrib_mean(np.abs(predictions - targets), WEIGHTS)),
        'log': (contrib_losses.log_loss(c(probabilities), c(binary), WEIGHTS),
                contrib_mean(-binary * np.log(probabilities + 1e-7)
                             - (1 - binary) * np.log(1 - probabilities + 1e-7), WEIGHTS)),
        'softmax': (contrib_losses.softmax_cross_entropy(c(LOGITS), c(np.eye(4)[LABELS]), WEIGHTS),
                    contrib_mean(-log_softmax[np.arange(6), LABELS], WEIGHTS)),
        'sparse [B, 1]': (contrib_losses.sparse_softmax_cross_entropy(
            c(LOGITS), c(LABELS[:, None]), WEIGHTS),
            contrib_mean(-log_softmax[np.arange(6), LABELS], WEIGHTS)),
        'sigmoid': (contrib_losses.sigmoid_cross_entropy(c(LOGITS), c(binary), WEIGHTS),
                    contrib_mean(np.maximum(LOGITS, 0) - LOGITS * binary
                                 + np.log1p(np.exp(-np.abs(LOGITS))), WEIGHTS)),
        'cosine': (contrib_losses.cosine_distance(c(unit), c(unit[::-1]), axis=1, weights=WEIGHTS),
                   contrib_mean(1 - (unit * unit[::-1]).sum(1), WEIGHTS)),
    }
    d = predictions - targets
    n = d.shape[1]
    pairwise = 2 * (d ** 2).sum(1) / n - 2 * d.sum(1) ** 2 / n ** 2  # contrib: n and n², not n - 1
    cases['pairwise'] = (
        contrib_losses.mean_pairwise_squared_error(c(predictions), c(targets), WEIGHTS),
        (pairwise * WEIGHTS).sum())
    assert len(tf.get_collection(tf.GraphKeys.LOSSES)) == len(cases)
    with tf.Session() as sess:
        values = sess.run({name: loss for name, (loss, _) in cases.items()})
    for name, (_, expected) in cases.items():
        assert values[name] == pytest.approx(expected, rel=1e-5), name


def test_total_loss_and_the_elementwise_hinge_loss():
    weights = slim.model_variable('w', [4], initializer=tf.ones_initializer(),
                                  regularizer=slim.l2_regularizer(0.5))
    loss = slim.losses.softmax_cross_entropy(LOGITS * weights, tf.constant(np.eye(4)[LABELS]))
    hinge = slim.losses.hinge_loss(tf.constant(LOGITS),
                                   tf.constant((LOGITS > 0.5).astype(np.float32)))
    assert slim.losses.get_losses() == [loss]  # the hinge loss is not collected
    total = slim.losses.get_total_loss()
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        total, loss, hinge = sess.run([total, loss, hinge])
    assert total == pytest.approx(loss + 0.5 * 4 / 2)  # l2: 0.5 · Σw² / 2
    signs = np.where(LOGITS > 0.5, 1, -1)
    np.testing.assert_allclose(hinge, np.maximum(0, 1 - signs * LOGITS), rtol=1e-6)


def test_streaming_metrics_take_predictions_first_and_aggregate():
    predictions = tf.placeholder(tf.int64, [None])
    labels = tf.placeholder(tf.int64, [None])
    values, updates = slim.metrics.aggregate_metric_map({
        'accuracy': slim.metrics.streaming_accuracy(predictions, labels),
        'recall': contrib_metrics.streaming_recall(predictions, labels),
        'mean': slim.metrics.streaming_mean(tf.cast(predictions, tf.float32))})
    batch_accuracy = contrib_metrics.accuracy(predictions, labels)
    weighted_accuracy = contrib_metrics.accuracy(predictions, labels, weights=2.0)
    recall_at_2, recall_update = slim.metrics.streaming_recall_at_k(
        tf.constant([[0.1, 0.5, 0.4], [0.8, 0.15, 0.05]]), tf.constant([2, 2]), 2)
    with tf.Session() as sess:
        sess.run(tf.local_variables_initializer())
        sess.run(list(updates.values()), {predictions: [1, 0, 1, 1], labels: [1, 1, 1, 0]})
        sess.run(list(updates.values()), {predictions: [0, 0], labels: [0, 1]})
        result = sess.run(values)
        assert sess.run(batch_accuracy, {predictions: [1, 2], labels: [1, 1]}) == 0.5
        assert sess.run(weighted_accuracy, {predictions: [1, 2], labels: [1, 1]}) == 0.5
        sess.run(recall_update)
        assert sess.run(recall_at_2) == 0.5  # 2 is in the first row's top 2 only
    assert result == {'accuracy': pytest.approx(3 / 6), 'recall': pytest.approx(2 / 4),
                      'mean': pytest.approx(3 / 6)}


# ---------------------------------------------------------------------------- learning

def small_model(is_training=True):
    """A batch-normalised linear model of 2 features and its total loss, on the same
    data every time."""
    features = np.random.RandomState(1).randn(32, 2).astype(np.float32)
    x = tf.constant(features)
    y = tf.constant((features @ [1.0, -1.0] > 0).astype(np.int64))
    net = slim.batch_norm(x, is_training=is_training)
    logits = slim.fully_connected(net, 2, activation_fn=None,
                                  weights_regularizer=slim.l2_regularizer(0.01))
    slim.losses.sparse_softmax_cross_entropy(logits, y)
    return slim.losses.get_total_loss()


def test_create_train_op_returns_the_loss_and_runs_the_updates():
    total_loss = small_model()
    train_op = slim.learning.create_train_op(total_loss, tf.train.GradientDescentOptimizer(0.5),
                                             clip_gradient_norm=1.0)
    moving_mean = slim.get_variables_by_name('moving_mean')[0]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        losses = [sess.run(train_op) for _ in range(20)]
        assert sess.run(tf.train.get_global_step()) == 20
        assert np.abs(sess.run(moving_mean)).sum() > 0  # batch norm's update ops ran
    assert losses[-1] < losses[0]


def test_a_nan_loss_stops_the_train_op():
    w = tf.Variable(1.0)
    train_op = slim.learning.create_train_op(tf.log(w - 1.0) * 0.0 + w,
                                             tf.train.GradientDescentOptimizer(0.1))
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        with pytest.raises(tf.errors.InvalidArgumentError, match='LossTensor is inf or nan'):
            sess.run(train_op)


def test_gradient_multipliers_and_clipping():
    v = tf.Variable([3.0, 4.0], name='v')
    w = tf.Variable(1.0, name='w')
    grads = [(tf.constant([3.0, 4.0]), v)]
    clipped, = slim.learning.clip_gradient_norms(grads, 1.0)
    multiplied, = slim.learning.multiply_gradients(grads, {'v': 2.0})
    by_tensor, = slim.learning.multiply_gradients(grads, {v: tf.constant(0.5)})
    with tf.Session() as sess:
        np.testing.assert_allclose(sess.run(clipped[0]), [0.6, 0.8], rtol=1e-6)
        np.testing.assert_allclose(sess.run(multiplied[0]), [6.0, 8.0])
        np.testing.assert_allclose(sess.run(by_tensor[0]), [1.5, 2.0])
    with pytest.raises(ValueError, match='`gradient_multipliers` is empty'):
        slim.learning.multiply_gradients(grads, {})
    with pytest.raises(ValueError, match='Requested multiple of `None` gradient'):
        slim.learning.multiply_gradients([(None, w)], {'w': 2.0})


def test_train_ops_are_named_and_collected_as_in_tf1():
    w = tf.Variable([1.0], name='w')
    train_op = slim.learning.create_train_op(tf.reduce_sum(w * w),
                                             tf.train.GradientDescentOptimizer(0.1))
    optimized = contrib_layers.optimize_loss(tf.reduce_sum(w), None, 0.1, 'SGD')
    assert train_op.name == 'train_op/control_dependency:0'
    assert optimized.name.startswith('OptimizeLoss/control_dependency')
    assert train_op in tf.get_collection(tf.GraphKeys.TRAIN_OP)  # beside the apply ops


def test_a_custom_getter_is_called_as_get_variable_is():
    calls = []

    def getter(name, reuse=None, **kwargs):
        calls.append((name, reuse, kwargs['shape']))
        return tf.get_variable(name, **kwargs)
    slim.variable('v', [2], custom_getter=getter, collections=[])
    assert calls == [('v', False, [2])]
    assert tf.global_variables() == []  # collections=[]: in none


def test_train_runs_to_the_step_saves_and_resumes(tmp_path):
    # No checkpoint thread (save_interval_secs=0): as in TF 1.x, its first save starts with
    # the training, and on a loaded machine it could finish after train's final save and
    # name its own step the latest.
    logdir = str(tmp_path / 'train')
    with tf.Graph().as_default():
        total_loss = small_model()
        tf.summary.scalar('loss', total_loss)
        train_op = slim.learning.create_train_op(total_loss, tf.train.AdamOptimizer(0.05))
        first = slim.learning.train(train_op, logdir, number_of_steps=15,
                                    save_summaries_secs=1000, save_interval_secs=0)
    assert tf.train.latest_checkpoint(logdir).endswith('model.ckpt-15')
    assert any(name.startswith('events.out.tfevents') for name in tf.gfile.ListDirectory(logdir))
    with tf.Graph().as_default():  # a new process would build the same graph again
        total_loss = small_model()
        train_op = slim.learning.create_train_op(total_loss, tf.train.AdamOptimizer(0.05))
        second = slim.learning.train(train_op, logdir, number_of_steps=25,
                                     save_summaries_secs=1000, save_interval_secs=0)
    assert tf.train.latest_checkpoint(logdir).endswith('model.ckpt-25')
    assert tf.train.load_variable(logdir, 'global_step') == 25
    assert 0 < second < first
    with pytest.raises(ValueError, match='`number_of_steps` must be either None or a positive'):
        slim.learning.train(train_op, logdir, number_of_steps=0)


def test_init_fn_fine_tunes_from_another_checkpoint(tmp_path):
    with tf.Graph().as_default():
        slim.model_variable('body/w', [2], initializer=tf.constant_initializer(5.0))
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            source = tf.train.Saver().save(sess, str(tmp_path / 'source' / 'model.ckpt'))
    body = slim.model_variable('body/w', [2], initializer=tf.zeros_initializer())
    head = slim.model_variable('head/w', [2], initializer=tf.zeros_initializer())
    loss = tf.reduce_sum(tf.square(body + head - 1.0))
    train_op = slim.learning.create_train_op(
        loss, tf.train.GradientDescentOptimizer(0.0),
        variables_to_train=slim.get_variables('head'))
    init_fn = slim.assign_from_checkpoint_fn(
        source, slim.get_variables_to_restore(exclude=['head']), ignore_missing_vars=True)
    slim.learning.train(train_op, str(tmp_path / 'tuned'), number_of_steps=1, init_fn=init_fn,
                        save_summaries_secs=1000, save_interval_secs=1000, log_every_n_steps=0)
    assert tf.train.load_variable(str(tmp_path / 'tuned'), 'body/w').tolist() == [5.0, 5.0]


def test_queue_runners_run_inside_the_context_and_stop_after_it():
    queue = tf.FIFOQueue(4, tf.int32)
    tf.train.add_queue_runner(tf.train.QueueRunner(queue, [queue.enqueue_many([[1, 2, 3]])]))
    taken = queue.dequeue()
    with tf.Session() as sess:
        with slim.queues.QueueRunners(sess):
            values = [sess.run(taken) for _ in range(3)]
            with pytest.raises(slim.queues.NestedQueueRunnerError):
                with slim.queues.QueueRunners(sess):
                    pass
        assert values == [1, 2, 3]
    # Leaving the context stopped the runners (and closed their queue); another context
    # may open, on another graph.
    with tf.Graph().as_default(), tf.Session() as sess:
        with slim.queues.QueueRunners(sess):
            pass


def test_summaries_are_named_after_their_ops_with_a_prefix(capfd):
    with tf.variable_scope('conv1'):
        weights = tf.Variable([[0.0, 2.0], [0.0, 0.0]], name='weights')
    ops = (slim.summaries.add_histogram_summaries([weights], prefix='train')
           + slim.summaries.add_zero_fraction_summaries([weights])
           + [slim.summaries.add_scalar_summary(tf.reduce_sum(weights), 'total',
                                                print_summary=True)])
    assert set(tf.get_collection(tf.GraphKeys.SUMMARIES)) == set(ops)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        summary = tf.Summary.FromString(sess.run(tf.summary.merge_all()))
    values = {value.tag: value for value in summary.value}
    assert set(values) == {'train/conv1/weights', 'conv1/weights/Fraction_of_Zero_Values',
                           'total'}
    assert values['conv1/weights/Fraction_of_Zero_Values'].simple_value == 0.75
    assert values['total'].simple_value == 2.0
    assert 'total[2]' in capfd.readouterr().err


def test_model_analyzer_counts_the_parameters(capsys):
    slim.conv2d(tf.zeros([1, 8, 8, 1]), 4, [3, 3], scope='conv')
    assert slim.model_analyzer.analyze_vars(slim.get_model_variables(), print_info=True) == (
        40, 160)
    out = capsys.readouterr().out
    assert 'conv/weights:0 (float32_ref 3x3x1x4) [36, bytes: 144]' in out
    assert 'Total size of variables: 40' in out


# ---------------------------------------------------------------------------- optimize_loss

def test_optimize_loss_takes_one_step_of_the_named_optimizer():
    w = tf.Variable([3.0, 4.0], name='w')
    loss = tf.reduce_sum(tf.square(w))  # gradient 2w: [6, 8], norm 10
    step = tf.train.get_or_create_global_step()
    train = contrib_layers.optimize_loss(loss, step, 0.1, 'SGD', clip_gradients=5.0,
                                         gradient_multipliers={'w:0': 2.0})
    summaries = sorted(s.op.name for s in tf.get_collection(tf.GraphKeys.SUMMARIES))
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        # The loss, read before or after the update (TF 1.x did not order them either).
        assert sess.run(train) in (pytest.approx(25.0), pytest.approx(20.25))
        # doubled to [12, 16] (norm 20), clipped to norm 5: [3, 4]; w - 0.1 · [3, 4]
        np.testing.assert_allclose(sess.run(w), [2.7, 3.6], rtol=1e-6)
        assert sess.run(step) == 1
        assert sess.run('OptimizeLoss/learning_rate:0') == pytest.approx(0.1)
    assert summaries == ['OptimizeLoss/global_norm/clipped_gradient_norm',
                         'OptimizeLoss/global_norm/gradient_norm', 'OptimizeLoss/loss']


@pytest.mark.parametrize('optimizer', [tf.train.AdamOptimizer, tf.train.AdamOptimizer(0.1),
                                       lambda lr: tf.train.AdamOptimizer(lr), 'Adam'])
def test_optimize_loss_takes_every_form_of_optimizer(optimizer):
    w = tf.Variable(1.0)
    train = contrib_layers.optimize_loss(tf.square(w), None, 0.1, optimizer,
                                         learning_rate_decay_fn=None, summaries=[])
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(train)
        assert sess.run(w) == pytest.approx(0.9, abs=1e-5)  # Adam's first step: lr · sign


def test_optimize_loss_errors_are_tf1s():
    w = tf.Variable([1.0, 2.0])
    with pytest.raises(ValueError, match='Expected scalar shape'):
        contrib_layers.optimize_loss(w, None, 0.1, 'SGD')
    with pytest.raises(ValueError, match='Optimizer name should be one of'):
        contrib_layers.optimize_loss(tf.reduce_sum(w), None, 0.1, 'Nesterov')
    with pytest.raises(ValueError, match='Summaries should be one of'):
        contrib_layers.optimize_loss(tf.reduce_sum(w), None, 0.1, 'SGD', summaries=['lr'])
    with pytest.raises(ValueError, match='global_step is required for learning_rate_decay_fn'):
        contrib_layers.optimize_loss(tf.reduce_sum(w), None, 0.1, 'SGD',
                                     learning_rate_decay_fn=tf.train.exponential_decay)


def test_adaptive_clipping_rescales_an_outlying_gradient_to_the_mean_norm():
    # arXiv:1412.1602's adaptive clipping: the log-norm's moving mean and std set the bound.
    w = tf.Variable([0.0, 0.0], name='w')
    scale = tf.placeholder(tf.float32, [])
    loss = tf.reduce_sum(w * tf.constant([3.0, 4.0]) * scale)   # gradient norm 5 · scale
    train = contrib_layers.optimize_loss(
        loss, None, 1.0, 'SGD', summaries=[],
        clip_gradients=contrib_layers.adaptive_clipping_fn())
    mean = 'OptimizeLoss/AdaptiveMaxNorm/mean:0'
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for _ in range(20):                     # norms of 5
            sess.run(train, {scale: 1.0})
        before = sess.run(w)
        sess.run(train, {scale: 100.0})         # norm 500, far above exp(mean + 2 std)
        moved = np.linalg.norm(sess.run(w) - before)
        log_mean = sess.run(mean)
    # rescaled to the norm exp(moving mean of log norms), which the outlier moved too
    assert moved == pytest.approx(np.exp(log_mean), rel=1e-4) and moved < 5


# ---------------------------------------------------------------------------- seq2seq

def test_sequence_loss_is_the_weighted_cross_entropy_averaged_as_asked():
    from tf1.contrib_seq2seq import sequence_loss
    logits = RNG.randn(3, 5, 4).astype(np.float32)
    targets = RNG.randint(0, 4, (3, 5))
    weights = (RNG.rand(3, 5) > 0.3).astype(np.float32)
    shifted = logits - logits.max(-1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(-1, keepdims=True))
    crossent = -np.take_along_axis(log_probs, targets[..., None], -1)[..., 0] * weights
    expected = {
        (True, True, False, False): crossent.sum() / weights.sum(),
        (True, False, False, False): crossent.sum(1) / weights.sum(1),
        (False, True, False, False): crossent.sum(0) / weights.sum(0),
        (False, False, True, True): crossent.sum() / np.count_nonzero(weights),
        (False, False, False, True): crossent.sum(0) / np.count_nonzero(weights, 0),
        (False, False, False, False): crossent,
    }
    losses = {flags: sequence_loss(tf.constant(logits), tf.constant(targets),
                                   tf.constant(weights), *flags) for flags in expected}
    with tf.Session() as sess:
        for flags, value in sess.run(losses).items():
            np.testing.assert_allclose(value, expected[flags], rtol=1e-5, err_msg=str(flags))
    with pytest.raises(ValueError, match='cannot be set to True at same time'):
        sequence_loss(tf.constant(logits), tf.constant(targets), tf.constant(weights),
                      sum_over_timesteps=True)
    with pytest.raises(ValueError, match='Logits must be a'):
        sequence_loss(tf.constant(logits[0]), tf.constant(targets), tf.constant(weights))


def test_evaluation_restores_a_checkpoint_runs_the_metrics_and_writes_summaries(tmp_path):
    train_dir, eval_dir = str(tmp_path / 'train'), str(tmp_path / 'eval')
    with tf.Graph().as_default():
        train_op = slim.learning.create_train_op(small_model(), tf.train.AdamOptimizer(0.05))
        slim.learning.train(train_op, train_dir, number_of_steps=7, save_summaries_secs=1000,
                            save_interval_secs=0)  # the final save only (see above)

    def evaluation_graph():
        features = np.random.RandomState(1).randn(32, 2).astype(np.float32)
        net = slim.batch_norm(tf.constant(features), is_training=False)
        logits = slim.fully_connected(net, 2, activation_fn=None)
        labels = tf.constant((features @ [1.0, -1.0] > 0).astype(np.int64))
        accuracy, update = slim.metrics.streaming_accuracy(tf.argmax(logits, 1), labels)
        tf.summary.scalar('eval/accuracy', accuracy)
        return accuracy, update, tf.argmax(logits, 1), labels

    with tf.Graph().as_default():
        accuracy, update, predictions, labels = evaluation_graph()
        checkpoint = tf.train.latest_checkpoint(train_dir)
        once = slim.evaluation.evaluate_once('', checkpoint, eval_dir, num_evals=3,
                                             eval_op=update, final_op=[accuracy, predictions,
                                                                       labels])
    value, predicted, expected = once
    assert value == pytest.approx((predicted == expected).mean())  # 3 runs of one batch
    with tf.Graph().as_default():
        accuracy, update, _, _ = evaluation_graph()
        looped = slim.evaluation.evaluation_loop('', train_dir, eval_dir, num_evals=2,
                                                 eval_op=update, final_op=accuracy,
                                                 eval_interval_secs=0,
                                                 max_number_of_evaluations=1)
    assert looped == pytest.approx(value)
    events = [event for path in tf.gfile.Glob(eval_dir + '/events.*')
              for event in tf.train.summary_iterator(path) if event.HasField('summary')]
    assert [(event.step, event.summary.value[0].tag) for event in events] == [
        (7, 'eval/accuracy'), (7, 'eval/accuracy')]


def test_slim_softmax_over_the_last_dimension_of_any_rank():
    logits = RNG.randn(2, 3, 5).astype(np.float32)
    predictions = slim.softmax(tf.constant(logits), scope='Predictions')
    assert predictions.shape.as_list() == [2, 3, 5]
    assert predictions.name.startswith('Predictions/')
    with tf.Session() as sess:
        value = sess.run(predictions)
    expected = np.exp(logits) / np.exp(logits).sum(-1, keepdims=True)
    np.testing.assert_allclose(value, expected, rtol=1e-5)
    with pytest.raises(ValueError, match='rank 2 or more'):
        slim.softmax(tf.zeros([4]))


# ---------------------------------------------------------------------------- utils

def test_a_slim_nets_end_points_are_its_layers_by_scope_name():
    """The TF-Slim nets' idiom: layers in an arg_scope collect their outputs, and
    slim.utils.convert_collection_to_dict names them by scope, in order."""
    images = tf.zeros([2, 8, 8, 1])
    with tf.variable_scope('net') as scope:
        collection = scope.original_name_scope + '_end_points'
        with slim.arg_scope([slim.conv2d, slim.max_pool2d, slim.fully_connected],
                            outputs_collections=collection):
            net = slim.conv2d(images, 4, [3, 3], scope='conv1')
            net = slim.max_pool2d(net, [2, 2], scope='pool1')
            net = slim.fully_connected(slim.flatten(net), 10, scope='logits')
        own = slim.utils.collect_named_outputs(collection, 'net/probabilities/',
                                               tf.nn.softmax(net))
    end_points = slim.utils.convert_collection_to_dict(collection, clear_collection=True)
    assert list(end_points) == ['net/conv1', 'net/pool1', 'net/logits', 'net/probabilities']
    assert end_points['net/logits'] is net and end_points['net/probabilities'] is own
    assert tf.get_collection(collection) == []
    assert slim.utils.get_tensor_aliases(tf.constant(1.0, name='one')) == ['one']
    assert contrib_layers.utils is slim.utils
    assert slim.utils.two_element_tuple(3) == (3, 3)
    assert slim.utils.last_dimension(net.shape, min_rank=2) == 10
    assert slim.utils.smart_cond(tf.constant(True), lambda: 1, lambda: 2) == 1


def test_an_arg_scope_of_model_variable_places_the_layers_variables():
    # model_deploy's layout: a clone's ops on one device, its weights on another.
    images = tf.zeros([1, 28, 28, 1])
    with tf.device('/device:GPU:0'):
        with slim.arg_scope([slim.model_variable, slim.variable], device='/device:CPU:0'):
            net = slim.conv2d(images, 4, [5, 5], scope='conv1')
            net = slim.fully_connected(slim.flatten(net), 10, scope='fc')
    assert [(v.op.name, v.device) for v in tf.global_variables()] == [
        (name, '/device:CPU:0') for name in ('conv1/weights', 'conv1/biases', 'fc/weights',
                                             'fc/biases')]
    assert net.op.device == '/device:GPU:0'
    assert len(tf.model_variables()) == 4
