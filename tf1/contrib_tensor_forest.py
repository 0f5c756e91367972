"""tf.contrib.tensor_forest (TF 1.4-1.15): random forests grown online in the graph.

`ForestHParams(...).fill()`, `RandomForestGraphs(params)` and its `training_graph`,
`inference_graph` (probabilities, tree paths, variance), `training_loss` (minus the average
tree size), `average_size` and `feature_importances`, under TF 1.15's names: the trees'
`device_dummy_N` variables, each tree's `tree-N` and `stats-N` handles registered as
resources (`resources.initialize_resources(resources.shared_resources())` creates them, as
scripts ran it) and saved by `tf.train.Saver` under those names, and
`probabilities` for the forest's answer. TF 1.x's C++ kernels are gone from TensorFlow; each
tree is tf1/contrib_tensor_forest_tree.py's, run by py_func ops (so a graph holding a forest
runs in the process that built it, as TF 1.x's needed contrib's kernels loaded)."""
import math
import numbers
import random

import numpy as np
import tensorflow.compat.v1 as tf
from tensorflow.python.ops import resources
from tensorflow.python.training import saver as saver_lib

from tf1.contrib_tensor_forest_data import (
    check_classes, columns_or_dense, dense_features, labels_matrix)
from tf1.contrib_tensor_forest_tree import Tree
from tf1.unsupported import UnsupportedApiError

_SPLIT_NAMES = ('less_or_equal', 'less')


class ForestHParams(object):
    """TF 1.15's hyperparameters, with its defaults; fill() computes the rest."""

    def __init__(self, num_trees=100, max_nodes=10000, bagging_fraction=1.0,
                 num_splits_to_consider=0, feature_bagging_fraction=1.0, max_fertile_nodes=0,
                 split_after_samples=250, valid_leaf_threshold=1, dominate_method='bootstrap',
                 dominate_fraction=0.99, model_name='all_dense', split_finish_name='basic',
                 split_pruning_name='none', prune_every_samples=0,
                 early_finish_check_every_samples=0, collate_examples=False,
                 checkpoint_stats=False, use_running_stats_method=False,
                 initialize_average_splits=False, inference_tree_paths=False, param_file=None,
                 split_name='less_or_equal', **kwargs):
        self.num_trees = num_trees
        self.max_nodes = max_nodes
        self.bagging_fraction = bagging_fraction
        self.feature_bagging_fraction = feature_bagging_fraction
        self.num_splits_to_consider = num_splits_to_consider
        self.max_fertile_nodes = max_fertile_nodes
        self.split_after_samples = split_after_samples
        self.valid_leaf_threshold = valid_leaf_threshold
        self.dominate_method = dominate_method
        self.dominate_fraction = dominate_fraction
        self.model_name = model_name
        self.split_finish_name = split_finish_name
        self.split_pruning_name = split_pruning_name
        self.collate_examples = collate_examples
        self.checkpoint_stats = checkpoint_stats
        self.use_running_stats_method = use_running_stats_method
        self.initialize_average_splits = initialize_average_splits
        self.inference_tree_paths = inference_tree_paths
        self.param_file = param_file
        self.split_name = split_name
        self.early_finish_check_every_samples = early_finish_check_every_samples
        self.prune_every_samples = prune_every_samples
        for name, value in kwargs.items():
            setattr(self, name, value)

    def values(self):
        return self.__dict__

    def fill(self):
        """Sets what the others imply (TF 1.15's fill), refusing in one line what tf1's
        trees do not do."""
        for name in ('num_classes', 'num_features'):
            if not hasattr(self, name):
                raise AttributeError("ForestHParams needs '%s' (pass it to the constructor)"
                                     % name)
        self.bagged_num_features = int(self.feature_bagging_fraction * self.num_features)
        self.bagged_features = None
        if self.feature_bagging_fraction < 1.0:
            self.bagged_features = [random.sample(range(self.num_features),
                                                  self.bagged_num_features)
                                    for _ in range(self.num_trees)]
        self.regression = getattr(self, 'regression', False)
        self.num_outputs = self.num_classes if self.regression else 1
        self.num_output_columns = self.num_classes + 1
        self.num_splits_to_consider = self.num_splits_to_consider or min(
            max(10, math.floor(math.sqrt(self.num_features))), 1000)
        self.base_random_seed = getattr(self, 'base_random_seed', 0)
        for name in ('split_after_samples', 'num_splits_to_consider'):
            _number(self, name)
        refused = [
            (self.model_name not in ('all_dense', 'all_sparse', 'sparse_then_dense'),
             'model_name=%r' % self.model_name),
            (not self.regression and self.split_finish_name != 'basic',
             "split_finish_name=%r (tf1 splits as 'basic' does)" % self.split_finish_name),
            (self.split_pruning_name != 'none',
             "split_pruning_name=%r (tf1 prunes no candidates)" % self.split_pruning_name),
            (self.split_name not in _SPLIT_NAMES, 'split_name=%r' % self.split_name),
            (bool(self.initialize_average_splits), 'initialize_average_splits'),
            (bool(self.param_file), 'param_file')]
        for is_refused, what in refused:
            if is_refused:
                raise UnsupportedApiError('tensor_forest: tf1 does not grow trees with %s'
                                          % what)
        self.prune_every_samples = 0
        self.early_finish_check_every_samples = 0
        return self


def _number(params, name):
    """A parameter as a number: TF 1.x also took digits in a string (kept as given)."""
    value = getattr(params, name)
    if isinstance(value, str) and value.isdigit():
        return int(value)
    if isinstance(value, numbers.Number):
        return value
    raise UnsupportedApiError('tensor_forest: %s=%r: tf1 takes a number (not a '
                              'depth-dependent parameter)' % (name, value))


def get_epoch_variable():
    """The input pipeline's epoch variable, or [0] (TF 1.15's)."""
    for v in tf.local_variables():
        if 'limit_epochs/epoch' in v.op.name:
            return tf.reshape(v, [1])
    return [0]


# ---------------------------------------------------------------------------- the variables

class _TreeSaveable(saver_lib.BaseSaverBuilder.SaveableObject):
    """A tree's structure or statistics in a checkpoint, one string under the handle's name."""

    def __init__(self, tree, handle, arrays, create_op, name):
        self._tree, self._arrays, self._create_op = tree, arrays, create_op
        tensor = tf.py_func(lambda: tree.serialize(arrays), [], tf.string, stateful=True,
                            name='serialize')
        tensor.set_shape([])
        super().__init__(handle, [saver_lib.BaseSaverBuilder.SaveSpec(tensor, '', name)], name)

    def restore(self, restored_tensors, unused_restored_shapes):
        tree, arrays, name = self._tree, self._arrays, self.name

        def restore(data):
            with tree.lock:
                tree.deserialize(data, arrays, name)
            return True
        return tf.py_func(restore, [restored_tensors[0]], tf.bool, stateful=True,
                          name='deserialize').op


def _resource(tree, name, arrays, create):
    """A handle named as TF 1.x named the resource, registered with its create and
    is-initialized ops, and its saveable."""
    with tf.name_scope(name, 'TreeVariable') as scope:
        handle = tf.constant(name, name=scope)
        create_op = tf.py_func(create, [], tf.bool, stateful=True, name='create').op
        initialized = tf.py_func(lambda: tree.initialized, [], tf.bool, stateful=True,
                                 name='is_initialized')
        initialized.set_shape([])
        tf.add_to_collection(tf.GraphKeys.SAVEABLE_OBJECTS,
                             _TreeSaveable(tree, handle, arrays, create_op, handle.name))
        resources.register_resource(handle, create_op, initialized)
    return handle


class TreeVariables(object):
    """One tree's resources: `stats` (training only) and `tree` handles; `model` is tf1's
    tree behind them."""

    def __init__(self, params, tree_num, training, tree_config='', tree_stat=''):
        if tree_config != '' or tree_stat != '':
            raise UnsupportedApiError('tensor_forest: tf1 grows trees from empty ones, not '
                                      'from tree_configs/tree_stats protos')
        seed = params.base_random_seed + tree_num if params.base_random_seed else 0
        self.model = model = Tree(params.num_classes, params.regression, params.max_nodes,
                                  _number(params, 'split_after_samples'),
                                  _number(params, 'num_splits_to_consider'),
                                  split_less_than=params.split_name == 'less')

        def create():
            with model.lock:
                model.create(seed)
            return True
        stats_arrays = Tree.STATS_ARRAYS if params.checkpoint_stats else ()
        self.stats = None
        if training:
            self.stats = _resource(model, self.get_tree_name('stats', tree_num),
                                   stats_arrays, lambda: True)
        self.tree = _resource(model, self.get_tree_name('tree', tree_num), Tree.TREE_ARRAYS,
                              create)

    def get_tree_name(self, name, num):
        return '{0}-{1}'.format(name, num)


class ForestVariables(object):
    """The trees' variables, indexed by tree number."""

    def __init__(self, params, device_assigner, training=True,
                 tree_variables_class=TreeVariables, tree_configs=None, tree_stats=None):
        self.variables = []
        self.device_dummies = []
        with tf.device(device_assigner):
            for i in range(params.num_trees):
                self.device_dummies.append(
                    tf.get_variable(name='device_dummy_%d' % i, shape=0))
        for i in range(params.num_trees):
            with tf.device(self.device_dummies[i].device):
                kwargs = {}
                if tree_configs is not None:
                    kwargs.update(tree_config=tree_configs[i])
                if tree_stats is not None:
                    kwargs.update(tree_stat=tree_stats[i])
                self.variables.append(tree_variables_class(params, i, training, **kwargs))

    def __setitem__(self, t, val):
        self.variables[t] = val

    def __getitem__(self, t):
        return self.variables[t]


# ---------------------------------------------------------------------------- the graphs

class RandomForestGraphs(object):
    """Builds TF graphs for random forest training and inference."""

    def __init__(self, params, tree_configs=None, tree_stats=None, device_assigner=None,
                 variables=None, tree_variables_class=TreeVariables, tree_graphs=None,
                 training=True):
        self.params = params
        self.device_assigner = device_assigner or ''
        tf.logging.info('Constructing forest with params = ')
        tf.logging.info(self.params.__dict__)
        self.variables = variables or ForestVariables(
            self.params, device_assigner=self.device_assigner, training=training,
            tree_variables_class=tree_variables_class, tree_configs=tree_configs,
            tree_stats=tree_stats)
        tree_graph_class = tree_graphs or RandomTreeGraphs
        self.trees = [tree_graph_class(self.variables[i], self.params, i)
                      for i in range(self.params.num_trees)]

    def _bag_features(self, tree_num, input_data):
        split_data = tf.split(value=input_data, num_or_size_splits=self.params.num_features,
                              axis=1)
        return tf.concat([split_data[ind] for ind in self.params.bagged_features[tree_num]], 1)

    def get_all_resource_handles(self):
        return ([self.variables[i].tree for i in range(len(self.trees))] +
                [self.variables[i].stats for i in range(len(self.trees))])

    def training_graph(self, input_data, input_labels, num_trainers=1, trainer_id=0,
                       **tree_kwargs):
        """The op that trains this trainer's trees on one batch (TF 1.15's, named 'train')."""
        data, columns = dense_features(input_data, self.params.num_features)
        labels = labels_matrix(input_labels)
        tree_graphs = []
        trees_per_trainer = self.params.num_trees / num_trainers
        for i in range(int(trainer_id * trees_per_trainer),
                       int((trainer_id + 1) * trees_per_trainer)):
            with tf.device(self.variables.device_dummies[i].device):
                seed = self.params.base_random_seed
                if seed != 0:
                    seed += i
                tree_data, tree_labels, tree_columns = data, labels, columns
                if self.params.bagging_fraction < 1.0:
                    r = tf.random_uniform(tf.shape(data)[:1], seed=seed)
                    keep = tf.squeeze(tf.where(r < self.params.bagging_fraction), axis=[1])
                    tree_data = tf.gather(data, keep)
                    tree_labels = tf.gather(labels, keep)
                if self.params.bagged_features:
                    tree_data = self._bag_features(i, tree_data)
                    tree_columns = columns[self.params.bagged_features[i]]
                tree_graphs.append(self.trees[i].training_graph(
                    tree_data, tree_labels, seed, columns=tree_columns,
                    **tree_kwargs))
        return tf.group(*tree_graphs, name='train')

    def inference_graph(self, input_data, **inference_args):
        """(probabilities, tree_paths, variance): the trees' mean answer; with
        inference_tree_paths=True each example's path in each tree, the node ids it visited
        from the root ('0 2 5'; TF 1.x serialized TreePath protos of a module TensorFlow no
        longer ships), else an empty [0, num_trees]; the variance between the trees."""
        data, columns = dense_features(input_data, self.params.num_features)
        probabilities, paths = [], []
        for i in range(self.params.num_trees):
            with tf.device(self.variables.device_dummies[i].device):
                tree_data, tree_columns = data, columns
                if self.params.bagged_features:
                    tree_data = self._bag_features(i, tree_data)
                    tree_columns = columns[self.params.bagged_features[i]]
                probs, path = self.trees[i].inference_graph(
                    tree_data, None, columns=tree_columns, **inference_args)
                probabilities.append(probs)
                paths.append(path)
        with tf.device(self.variables.device_dummies[0].device):
            all_predict = tf.stack(probabilities, axis=1)
            average_values = tf.div(tf.reduce_sum(all_predict, 1), self.params.num_trees,
                                    name='probabilities')
            tree_paths = tf.stack(paths, axis=1)
            expected_squares = tf.div(tf.reduce_sum(all_predict * all_predict, 1),
                                      self.params.num_trees)
            regression_variance = tf.maximum(0., expected_squares -
                                             average_values * average_values)
            return average_values, tree_paths, regression_variance

    def average_size(self):
        """The average number of nodes over the trees."""
        sizes = []
        for i in range(self.params.num_trees):
            with tf.device(self.variables.device_dummies[i].device):
                sizes.append(self.trees[i].size())
        return tf.reduce_mean(tf.cast(tf.stack(sizes), tf.float32))

    def training_loss(self, features, labels, name='training_loss'):
        return tf.negative(self.average_size(), name=name)

    def validation_loss(self, features, labels):
        return tf.negative(self.average_size())

    def feature_importances(self):
        tree_counts = [self.trees[i].feature_usage_counts()
                       for i in range(self.params.num_trees)]
        total_counts = tf.reduce_sum(tf.stack(tree_counts, 0), 0)
        return total_counts / tf.reduce_sum(total_counts)


class RandomTreeGraphs(object):
    """Builds TF graphs for random tree training and inference."""

    def __init__(self, variables, params, tree_num):
        self.variables = variables
        self.params = params
        self.tree_num = tree_num

    def training_graph(self, input_data, input_labels, random_seed, data_spec=None,
                       sparse_features=None, input_weights=None, columns=None):
        if sparse_features is not None:
            raise UnsupportedApiError('tensor_forest: tf1 takes dense features only')
        tree, params = self.variables.model, self.params
        columns = columns_or_dense(columns, input_data)
        if input_weights is None:
            input_weights = tf.ones(tf.shape(input_data)[:1])

        def train(data, labels, weights):
            if not params.regression:
                check_classes(labels, params.num_classes)
            elif labels.shape[1] != params.num_classes:
                raise ValueError('tensor_forest: the regression labels have %d columns, '
                                 'params.num_classes (the outputs) is %d'
                                 % (labels.shape[1], params.num_classes))
            with tree.lock:
                tree.train(data, labels, weights, columns)
            return True
        return tf.py_func(train, [input_data, input_labels, tf.cast(input_weights, tf.float32)],
                          tf.bool, stateful=True, name='grow_tree').op

    def inference_graph(self, input_data, data_spec=None, sparse_features=None,
                        columns=None):
        if sparse_features is not None:
            raise UnsupportedApiError('tensor_forest: tf1 takes dense features only')
        tree, outputs = self.variables.model, self.params.num_classes
        columns = columns_or_dense(columns, input_data)
        with_paths = self.params.inference_tree_paths

        def predict(data):
            with tree.lock:
                probabilities = tree.predict(data, columns.categorical)
                paths = tree.paths(data, columns.categorical) if with_paths else []
            return probabilities, np.array(paths, dtype=object)
        probabilities, paths = tf.py_func(predict, [input_data], [tf.float32, tf.string],
                                          stateful=True, name='tree_predictions')
        probabilities.set_shape([input_data.shape[0], outputs])
        paths.set_shape([input_data.shape[0] if with_paths else 0])
        return probabilities, paths

    def size(self):
        """The current number of nodes in the tree."""
        tree = self.variables.model
        size = tf.py_func(lambda: np.int32(tree.size), [], tf.int32, stateful=True,
                          name='tree_size')
        size.set_shape([])
        return size

    def feature_usage_counts(self):
        tree, num_features = self.variables.model, self.params.num_features
        counts = tf.py_func(lambda: tree.feature_usage(num_features), [], tf.float32,
                            stateful=True, name='feature_usage_counts')
        counts.set_shape([num_features])
        return counts
