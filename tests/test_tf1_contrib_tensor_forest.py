"""tf1's tf.contrib.tensor_forest: TF 1.x's online random forest (the V4 kernels' growing
rules, rebuilt in NumPy), its graphs under TF 1.15's names, its checkpoints and resources,
and its Estimators. (TF 1.15's own tensor_forest_test and random_forest_test pass too,
run by hand: docs/tf1.md.)"""
import textwrap

import numpy as np
import pytest
import tensorflow.compat.v1 as tf
from tensorflow.python.ops import resources

from tf1 import contrib_tensor_forest as tensor_forest
from tf1 import contrib_tensor_forest_estimator as random_forest
from tf1.contrib_tensor_forest_data import Columns
from tf1.contrib_tensor_forest_tree import Tree, _weighted_smoothed_gini
from tf1.estimator_inputs import numpy_input_fn
from tf1.unsupported import UnsupportedApiError

from test_tf1_runner import tf1

tf.disable_v2_behavior()


def quadrants(n, seed=0, noise_features=4):
    """4 classes by the signs of two features, plus features that say nothing."""
    rng = np.random.RandomState(seed)
    x = rng.uniform(-1, 1, (n, 2 + noise_features)).astype(np.float32)
    return x, ((x[:, 0] > 0) * 2 + (x[:, 1] > 0)).astype(np.int32)


def forest(num_trees=3, max_nodes=200, num_features=6, **kwargs):
    return tensor_forest.ForestHParams(num_classes=4, num_features=num_features,
                                       num_trees=num_trees, max_nodes=max_nodes,
                                       split_after_samples=30, **kwargs).fill()


def build(params, num_features=6):
    x = tf.placeholder(tf.float32, [None, num_features])
    y = tf.placeholder(tf.int32, [None])
    graphs = tensor_forest.RandomForestGraphs(params)
    train = graphs.training_graph(x, y)
    loss = graphs.training_loss(x, y)
    probabilities, _, _ = graphs.inference_graph(x)
    init = tf.group(tf.global_variables_initializer(),
                    resources.initialize_resources(resources.shared_resources()))
    return x, y, train, loss, probabilities, init


def train_steps(sess, x, y, train, steps=40, batch=256, seed=1):
    for step in range(steps):
        data, labels = quadrants(batch, seed=seed + step)
        sess.run(train, {x: data, y: labels})


def test_a_forest_learns_as_aymericdamiens_script_trains_it():
    """The random_forest.py of aymericdamien/TensorFlow-Examples, on made-up data: resources
    initialised by hand, `-average size` as the loss, the mean of the trees as the answer."""
    with tf.Graph().as_default():
        x, y, train, loss, probabilities, init = build(forest())
        with tf.Session() as sess:
            assert sess.run(resources.report_uninitialized_resources()).size == 6
            sess.run(init)
            assert sess.run(resources.report_uninitialized_resources()).size == 0
            assert sess.run(loss) == -1.0               # every tree starts as its root
            train_steps(sess, x, y, train)
            test_x, test_y = quadrants(2000, seed=99)
            p = sess.run(probabilities, {x: test_x})
            size = -sess.run(loss)
    np.testing.assert_allclose(p.sum(axis=1), 1, rtol=1e-5)
    assert (p.argmax(axis=1) == test_y).mean() > 0.97
    assert 3 <= size <= 201                             # max_nodes, plus one last split


def test_a_leaf_proposes_then_counts_then_splits_on_the_lowest_gini():
    tree = Tree(num_outputs=2, regression=False, max_nodes=100, split_after_samples=10,
                num_splits_to_consider=3)
    tree.create(seed=7)
    columns = Columns(np.zeros(1, bool), np.zeros(1, bool))
    x = np.array([[0.2], [0.5], [0.8]], np.float32)
    tree.train(x, np.zeros((3, 1)), np.ones(3), columns)   # three proposals, nothing counted
    assert tree.splits_made[0] == 3 and tree.weight_sum[0] == 0 and tree.size == 1
    counted = np.linspace(0, 1, 9, dtype=np.float32)[:, None]
    labels = (counted[:, 0] > 0.5).astype(float)[:, None]
    tree.train(counted, labels, np.ones(9), columns)
    assert tree.size == 1                               # 9 of split_after_samples=10
    tree.train(np.array([[0.9]], np.float32), np.ones((1, 1)), np.ones(1), columns)
    assert tree.size == 3 and tree.threshold[0] == np.float32(0.5)   # the clean split
    np.testing.assert_array_equal(tree.value[1], [5, 0])   # its children start counted
    np.testing.assert_array_equal(tree.value[2], [0, 5])
    # TF 1.x's WeightedSmoothedGini: one pseudo-count per class.
    assert _weighted_smoothed_gini(4.0, 16.0, 2) == pytest.approx(4 * (1 - 26 / 36))


def test_pure_leaves_do_not_split_and_max_nodes_bounds_the_tree():
    columns = Columns(np.zeros(2, bool), np.zeros(2, bool))
    data = np.random.RandomState(0).uniform(size=(500, 2)).astype(np.float32)
    pure = Tree(2, False, 100, 10, 5)
    pure.create(1)
    pure.train(data, np.zeros((500, 1)), np.ones(500), columns)
    assert pure.size == 1
    small = Tree(2, False, 3, 10, 5)
    small.create(1)
    for _ in range(5):
        small.train(data, (data[:, :1] > 0.5).astype(float), np.ones(500), columns)
    assert small.size == 3


def test_the_trees_save_and_restore_under_tf1s_names_in_a_fresh_graph(tmp_path):
    test_x, _ = quadrants(500, seed=5)
    with tf.Graph().as_default():
        x, y, train, _, probabilities, init = build(forest(checkpoint_stats=True))
        saver = tf.train.Saver()
        with tf.Session() as sess:
            sess.run(init)
            train_steps(sess, x, y, train, steps=10)
            before = sess.run(probabilities, {x: test_x})
            path = saver.save(sess, str(tmp_path / 'forest'))
    names = dict(tf.train.list_variables(path))
    assert {'tree-0:0', 'stats-0:0', 'device_dummy_0', 'tree-2:0'} <= set(names)
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, [None, 6])
        graphs = tensor_forest.RandomForestGraphs(forest(checkpoint_stats=True))
        probabilities, _, _ = graphs.inference_graph(x)
        with tf.Session() as sess:
            tf.train.Saver().restore(sess, path)
            assert sess.run(resources.report_uninitialized_resources()).size == 0
            np.testing.assert_array_equal(sess.run(probabilities, {x: test_x}), before)
            assert graphs.variables[0].model.weight_sum.sum() > 0   # the statistics too


def test_a_checkpoint_without_tf1s_trees_is_one_clear_error(tmp_path):
    with tf.Graph().as_default():
        saved = {'tree-0:0': tf.Variable(b'not a tree'),    # as TF 1.x's kernels saved it
                 'stats-0:0': tf.Variable(b''),
                 'device_dummy_0': tf.Variable(np.zeros(0, np.float32))}
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            path = tf.train.Saver(saved).save(sess, str(tmp_path / 'foreign'))
    with tf.Graph().as_default():
        tensor_forest.RandomForestGraphs(forest(num_trees=1))
        with tf.Session() as sess, pytest.raises(tf.errors.OpError,
                                                 match='holds no tree tf1 wrote'):
            tf.train.Saver().restore(sess, path)


def test_regression_and_the_variance_between_trees():
    rng = np.random.RandomState(0)
    params = tensor_forest.ForestHParams(num_classes=1, num_features=3, num_trees=4,
                                         max_nodes=300, split_after_samples=20,
                                         regression=True).fill()
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, [None, 3])
        y = tf.placeholder(tf.float32, [None, 1])
        graphs = tensor_forest.RandomForestGraphs(params)
        train = graphs.training_graph(x, y)
        mean, _, variance = graphs.inference_graph(x)
        with tf.Session() as sess:
            sess.run(resources.initialize_resources(resources.shared_resources()))
            for _ in range(30):
                data = rng.uniform(0, 1, (256, 3)).astype(np.float32)
                sess.run(train, {x: data, y: 2 * data[:, :1]})
            test = rng.uniform(0.1, 0.9, (500, 3)).astype(np.float32)
            predicted, spread = sess.run([mean, variance], {x: test})
    assert np.abs(predicted[:, 0] - 2 * test[:, 0]).mean() < 0.1
    assert (spread >= 0).all()


def test_integer_columns_split_by_equality_and_sparse_ones_propose_what_they_have():
    tree = Tree(2, False, 100, 10, 10)
    tree.create(3)
    values = np.tile(np.arange(5, dtype=np.float32), 40)[:, None]   # categories 0..4
    columns = Columns(np.ones(1, bool), np.zeros(1, bool))
    for _ in range(3):
        tree.train(values, (values == 2).astype(float), np.ones(200), columns)
    assert tree.size == 3 and tree.threshold[0] == 2   # one split: x == 2 goes left
    np.testing.assert_array_equal(tree.predict(values[:5], columns.categorical)[:, 1],
                                  [0, 0, 1, 0, 0])
    sparse = Tree(2, False, 100, 1000, 20)
    sparse.create(4)
    data = np.zeros((20, 50), np.float32)
    data[np.arange(20), np.arange(20) * 2] = 1            # one feature present per row
    sparse.train(data, np.zeros((20, 1)), np.ones(20),
                 Columns(np.zeros(50, bool), np.ones(50, bool)))
    np.testing.assert_array_equal(sparse.split_feature[0], np.arange(20) * 2)


def test_sparse_input_feature_bagging_and_importances_build_and_run():
    params = forest(num_trees=2, feature_bagging_fraction=0.5)
    with tf.Graph().as_default():
        x = tf.sparse_placeholder(tf.float32, [None, 6])
        y = tf.placeholder(tf.int32, [None])
        graphs = tensor_forest.RandomForestGraphs(params)
        train = graphs.training_graph(x, y)
        importances = graphs.feature_importances()
        with tf.Session() as sess:
            sess.run(resources.initialize_resources(resources.shared_resources()))
            for step in range(10):
                data, labels = quadrants(256, seed=step)
                rows, cols = np.nonzero(data)
                sess.run(train, {x: tf.SparseTensorValue(np.stack([rows, cols], 1),
                                                         data[rows, cols], [256, 6]),
                                 y: labels})
            counts = sess.run(importances)
    assert counts.shape == (6,) and counts.sum() == pytest.approx(1)


def test_bad_labels_and_parameters_are_one_clear_line():
    with tf.Graph().as_default():
        x, y, train, _, _, init = build(forest(num_trees=1))
        with tf.Session() as sess:
            sess.run(init)
            with pytest.raises(tf.errors.OpError, match=r'label 7\.0 is not a class in '
                                                        r'\[0, 4\)'):
                sess.run(train, {x: np.zeros((3, 6)), y: [0, 7, 1]})
    with pytest.raises(UnsupportedApiError, match='takes a number'):
        tensor_forest.ForestHParams(num_classes=2, num_features=3,
                                    split_after_samples='depth: 3').fill()
    with pytest.raises(UnsupportedApiError, match="split_finish_name='hoeffding'"):
        tensor_forest.ForestHParams(num_classes=2, num_features=3,
                                    split_finish_name='hoeffding').fill()
    with pytest.raises(AttributeError, match="needs 'num_features'"):
        tensor_forest.ForestHParams(num_classes=2).fill()
    # TF 1.x kept digits in a string as given, and used them as the number.
    digits = tensor_forest.ForestHParams(num_classes=2, num_features=9,
                                         num_splits_to_consider='12').fill()
    assert digits.num_splits_to_consider == '12'
    assert tensor_forest._number(digits, 'num_splits_to_consider') == 12


def test_the_contrib_learn_estimator_fits_scores_and_stops_early(tmp_path):
    x, y = quadrants(3000, seed=2)
    params = forest(num_trees=3, max_nodes=60)
    estimator = random_forest.TensorForestEstimator(params, model_dir=str(tmp_path),
                                                    early_stopping_rounds=5)
    estimator.fit(x=x, y=y, batch_size=200, steps=300)
    step = estimator.get_variable_value('global_step')
    assert step < 300                                   # trees full: the loss stops falling
    test_x, test_y = quadrants(500, seed=3)
    results = estimator.evaluate(x=test_x, y=test_y, batch_size=500, steps=1)
    assert results['accuracy'] > 0.9
    prediction = next(iter(estimator.predict(x=test_x[:1], as_iterable=True)))
    assert {'probabilities', 'classes', 'prediction_variance'} <= set(prediction)


def test_the_core_estimator_predicts_tree_paths_and_keys(tmp_path):
    x, y = quadrants(600, seed=4)
    params = forest(num_trees=2, inference_tree_paths=True)
    estimator = random_forest.CoreTensorForestEstimator(params, model_dir=str(tmp_path),
                                                        keys_column='keys')
    features = {'x': x, 'keys': np.arange(600)[:, None]}
    input_fn = numpy_input_fn(features, y, batch_size=100,
                              num_epochs=1, shuffle=False)
    estimator.train(input_fn, steps=6)
    prediction = next(iter(estimator.predict(input_fn)))
    assert prediction['keys'] == [0]
    assert [path.split()[0] for path in prediction['tree_paths']] == [b'0', b'0']


def test_scripts_find_it_where_tf1_kept_it(tmp_path):
    (tmp_path / 'paths.py').write_text(textwrap.dedent('''\
        import tensorflow as tf
        from tensorflow.contrib.tensor_forest.python import tensor_forest
        from tensorflow.contrib.tensor_forest.client import random_forest, eval_metrics
        from tensorflow.contrib.learn.python.learn.estimators import random_forest as rf012
        from tensorflow.python.estimator.canned import head as head_lib
        from tensorflow.python.ops import resources
        params = tf.contrib.tensor_forest.python.tensor_forest.ForestHParams(
            num_classes=3, num_features=4).fill()
        print(tensor_forest.RandomForestGraphs is tf.contrib.tensor_forest.tensor_forest
              .RandomForestGraphs, rf012.TensorForestEstimator is
              random_forest.TensorForestEstimator, eval_metrics.get_prediction_key(
              'accuracy'), params.num_splits_to_consider,
              head_lib._multi_class_head_with_softmax_cross_entropy_loss(3).logits_dimension)
        '''))
    result = tf1(['paths.py'], str(tmp_path))
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.split() == ['True', 'True', 'classes', '10', '3']
