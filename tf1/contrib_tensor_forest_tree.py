"""One tree of tf.contrib.tensor_forest (TF 1.4-1.15's "V4" kernels), grown online in NumPy.

TF 1.x kept each tree and its growing statistics in two C++ resources that TensorFlow no
longer ships; tf1/contrib_tensor_forest.py runs this class inside the graph instead (a
py_func per op) and checkpoints it as TF 1.x did (a string per tree). The algorithm is the
kernels', step by step:

- Every leaf is fertile. Its first `num_splits_to_consider` examples each propose a
  candidate split: a feature drawn uniformly, the example's value as the threshold
  (`x <= t` goes left; `x < t` with split_name='less'; `x == t` for integer columns).
- Later examples count, per candidate, the classes (or outputs) going left, and in total.
- A leaf that has counted `split_after_samples` examples and seen two classes or more
  (regression: the count alone) splits on the candidate with the lowest weighted smoothed
  Gini (regression: the lowest summed variance of the two sides), at the end of the
  training step, while the tree has fewer than `max_nodes` nodes. Its children start from
  that candidate's left and right counts; a leaf with no candidate sending examples both
  ways starts its candidates again.
- A classification leaf's value is the class counts of every example that reached it
  (weighted), predicted normalised; a regression leaf's the mean its parent's split gave it.
"""
import io
import threading

import numpy as np


class Tree:
    """A tensor_forest tree with its fertile statistics (TF 1.x's two resources in one)."""

    def __init__(self, num_outputs, regression, max_nodes, split_after_samples,
                 num_splits_to_consider, split_less_than=False):
        self.num_outputs = int(num_outputs)
        self.regression = bool(regression)
        self.max_nodes = int(max_nodes)
        self.split_after_samples = float(split_after_samples)
        self.num_splits = int(num_splits_to_consider)
        self.split_less_than = split_less_than
        self.lock = threading.Lock()   # py_funcs of one tree may run concurrently
        self.initialized = False
        self._rng = np.random.default_rng()

    # ---------------------------------------------------------------- state

    def create(self, seed):
        """An empty tree: one leaf, the root, fertile. Seed 0 draws from the clock, as TF."""
        self._rng = np.random.default_rng(None if seed == 0 else seed)
        outputs, splits = self.num_outputs, self.num_splits
        squares = outputs if self.regression else 0   # classification keeps none
        # Each array's row per node: the tree, then the fertile statistics (only leaves'
        # are used), counted in float32 as TF 1.x's kernels counted.
        rows = dict(feature=((), np.int64), threshold=((), np.float32),
                    left_child=((), np.int64), value=((outputs,), np.float64),
                    split_feature=((splits,), np.int64),
                    split_threshold=((splits,), np.float32), splits_made=((), np.int64),
                    weight_sum=((), np.float32), total=((outputs,), np.float32),
                    left=((splits, outputs), np.float32),
                    total_squares=((squares,), np.float32),
                    left_squares=((splits, squares), np.float32),
                    left_weight=((splits,), np.float32))
        for name, (row, dtype) in rows.items():
            setattr(self, name, np.full((0,) + row, self._empty(name), dtype))
        self.capacity = 0
        self.size = 1
        self._reserve(1)
        self.initialized = True

    @staticmethod
    def _empty(name):
        return -1 if name in ('feature', 'left_child') else 0   # -1: a leaf, no child

    def _reserve(self, nodes):
        """Rows for `nodes` nodes: the arrays grow with the tree, doubling, up to the node
        past max_nodes that a last split may make."""
        if nodes <= self.capacity:
            return
        capacity = max(nodes, min(max(2 * self.capacity, 64), self.max_nodes + 2))
        for name in self.TREE_ARRAYS + self.STATS_ARRAYS:
            old = getattr(self, name)
            grown = np.full((capacity,) + old.shape[1:], self._empty(name), old.dtype)
            grown[:len(old)] = old
            setattr(self, name, grown)
        self.capacity = capacity

    # What TF 1.x checkpointed as the tree (its structure and leaves) and as its fertile
    # statistics (with checkpoint_stats=True; otherwise the leaves start counting afresh).
    TREE_ARRAYS = ('feature', 'threshold', 'left_child', 'value')
    STATS_ARRAYS = ('split_feature', 'split_threshold', 'splits_made', 'weight_sum', 'total',
                    'left', 'total_squares', 'left_squares', 'left_weight')
    _HEADER = b'tf1-tensor-forest\n'

    def serialize(self, arrays):
        """The first `size` rows of `arrays` (empty: a marker), as a string tensor's bytes."""
        buffer = io.BytesIO()
        np.savez(buffer, size=self.size, shape=self._shape(),
                 **{name: getattr(self, name)[:self.size] for name in arrays})
        return self._HEADER + buffer.getvalue()

    def deserialize(self, data, arrays, name):
        """Restores `arrays` (and the size) from serialize's bytes; the others are left, so
        the tree and its statistics restore in either order. Arrays not saved are zeroed."""
        if not data.startswith(self._HEADER):
            raise ValueError(
                '%s: this checkpoint holds no tree tf1 wrote (TF 1.x\'s tensor_forest kernels '
                'saved theirs as protos of C++ resources TensorFlow no longer ships): retrain '
                'the forest with tf1' % name)
        saved = np.load(io.BytesIO(data[len(self._HEADER):]))
        if list(saved['shape']) != self._shape():
            raise ValueError(
                '%s: the checkpoint\'s tree has (outputs, splits to consider, max_nodes, '
                'regression) %s, these params %s' % (name, list(saved['shape']), self._shape()))
        if not self.initialized:
            self.create(0)
        self.size = int(saved['size'])
        self._reserve(self.size)
        for array in arrays:
            restored = getattr(self, array)
            restored[...] = self._empty(array)
            if array in saved:
                restored[:self.size] = saved[array]

    def _shape(self):
        return [self.num_outputs, self.num_splits, self.max_nodes, int(self.regression)]

    # ---------------------------------------------------------------- inference

    def _goes_left(self, values, thresholds, categorical):
        inequality = values < thresholds if self.split_less_than else values <= thresholds
        return np.where(categorical, values == thresholds, inequality)

    def leaves(self, data, categorical, visited=None):
        """The leaf each row of `data` reaches (and, into `visited`, one list per row, the
        nodes it passes)."""
        node = np.zeros(len(data), np.int64)
        rows = np.arange(len(data))
        inside = self.feature[node] >= 0
        while inside.any():
            at, here = rows[inside], node[inside]
            feature = self.feature[here]
            left = self._goes_left(data[at, feature], self.threshold[here], categorical[feature])
            node[at] = self.left_child[here] + np.where(left, 0, 1)
            if visited is not None:
                for row in at:
                    visited[row].append(int(node[row]))
            inside = self.feature[node] >= 0
        return node

    def paths(self, data, categorical):
        """Each row's path from the root: the node ids it visits, as text ('0 2 5')."""
        visited = [[0] for _ in range(len(data))]
        self.leaves(data, categorical, visited)
        return [' '.join(map(str, path)).encode() for path in visited]

    def predict(self, data, categorical):
        values = self.value[self.leaves(data, categorical)]
        if not self.regression:
            sums = values.sum(axis=1, keepdims=True)
            values = np.where(sums > 0, values / np.where(sums > 0, sums, 1), values)
        return values.astype(np.float32)

    def feature_usage(self, num_features):
        used = self.feature[:self.size]
        return np.bincount(used[used >= 0], minlength=num_features).astype(np.float32)

    # ---------------------------------------------------------------- training

    def train(self, data, targets, weights, columns):
        """One training step on a batch: route, update the leaves, count, grow."""
        leaf = self.leaves(data, columns.categorical)
        if not self.regression:
            classes = targets[:, 0].astype(np.int64)
            onehot = np.zeros((len(data), self.num_outputs))
            onehot[np.arange(len(data)), classes] = weights
            np.add.at(self.value, leaf, onehot)
            targets = onehot
        accumulating = self._propose_splits(data, leaf, columns.sparse)
        self._count(data, targets, weights, columns.categorical, leaf, accumulating)
        self._grow()

    def _propose_splits(self, data, leaf, sparse):
        """The first examples at a leaf without all its candidates each propose one (a
        feature of theirs drawn uniformly: of the sparse ones, only those they have); returns
        which examples count towards the candidates instead."""
        order = np.argsort(leaf, kind='stable')
        sorted_leaf = leaf[order]
        starts = np.searchsorted(sorted_leaf, sorted_leaf, side='left')
        rank = np.empty(len(leaf), np.int64)
        rank[order] = np.arange(len(leaf)) - starts
        missing = self.num_splits - self.splits_made[leaf]
        proposing = rank < missing
        rows = np.flatnonzero(proposing)
        if len(rows):
            nodes = leaf[rows]
            slots = self.splits_made[nodes] + rank[rows]
            features = self._rng.integers(data.shape[1], size=len(rows))
            if sparse.any():     # only among the sparse columns the example has
                for i, row in enumerate(rows):
                    present = np.flatnonzero(~sparse | (data[row] != 0))
                    features[i] = present[self._rng.integers(len(present))]
            self.split_feature[nodes, slots] = features
            self.split_threshold[nodes, slots] = data[rows, features]
            np.add.at(self.splits_made, nodes, 1)
        return ~proposing

    def _count(self, data, targets, weights, categorical, leaf, accumulating):
        rows = np.flatnonzero(accumulating)
        if not len(rows):
            return
        nodes = leaf[rows]
        features = self.split_feature[nodes]                       # (rows, splits)
        values = data[rows[:, None], features]
        left = self._goes_left(values, self.split_threshold[nodes], categorical[features])
        outputs = targets[rows].astype(np.float32)
        if self.regression:
            w = np.ones(len(rows), np.float32)                      # TF counts each once
            np.add.at(self.left_weight, nodes, left.astype(np.float32))
            np.add.at(self.left_squares, nodes, left[:, :, None] * (outputs ** 2)[:, None, :])
            np.add.at(self.total_squares, nodes, outputs ** 2)
        else:
            w = weights[rows].astype(np.float32)                    # outputs: weighted one-hot
        np.add.at(self.left, nodes, left[:, :, None] * outputs[:, None, :])
        np.add.at(self.total, nodes, outputs)
        np.add.at(self.weight_sum, nodes, w)

    def _finished(self):
        leaves = np.flatnonzero(self.feature[:self.size] < 0)
        done = self.weight_sum[leaves] >= self.split_after_samples
        if not self.regression:
            done &= (self.total[leaves] > 0).sum(axis=1) > 1       # not pure
        return leaves[done]

    def _grow(self):
        for node in self._finished():
            if self.size >= self.max_nodes:
                return
            best = self._best_split(node)
            if best is None:
                self._clear_slot(node)
                continue
            left_id = self.size
            self._reserve(self.size + 2)
            self.size += 2
            left_stats = self.left[node, best]
            right_stats = self.total[node] - left_stats
            if self.regression:
                left_n = self.left_weight[node, best]
                self.value[left_id] = left_stats / left_n
                self.value[left_id + 1] = right_stats / (self.weight_sum[node] - left_n)
            else:
                self.value[left_id], self.value[left_id + 1] = left_stats, right_stats
            self.feature[node] = self.split_feature[node, best]
            self.threshold[node] = self.split_threshold[node, best]
            self.left_child[node] = left_id
            self._clear_slot(node)

    def _best_split(self, node):
        """The candidate TF 1.x's BestSplit takes, or None if none sends examples both ways."""
        left, total = self.left[node], self.total[node]
        if self.regression:
            left_n = self.left_weight[node]
            right_n = self.weight_sum[node] - left_n
            usable = (left_n > 0) & (right_n > 0)
            with np.errstate(divide='ignore', invalid='ignore'):
                score = ((self.left_squares[node] / left_n[:, None]
                          - (left / left_n[:, None]) ** 2)
                         + ((self.total_squares[node] - self.left_squares[node]) / right_n[:, None]
                            - ((total - left) / right_n[:, None]) ** 2)).sum(axis=1)
        else:
            right = total - left
            left_sum, right_sum = left.sum(axis=1), right.sum(axis=1)
            usable = (left_sum > 0) & (right_sum > 0)
            score = (_weighted_smoothed_gini(left_sum, (left ** 2).sum(axis=1), self.num_outputs)
                     + _weighted_smoothed_gini(right_sum, (right ** 2).sum(axis=1),
                                               self.num_outputs))
        if not usable.any():
            return None
        return int(np.argmin(np.where(usable, score, np.inf)))

    def _clear_slot(self, node):
        self.splits_made[node] = 0
        self.weight_sum[node] = 0
        for array in (self.total, self.left, self.total_squares, self.left_squares,
                      self.left_weight):
            array[node] = 0


def _weighted_smoothed_gini(total, squares, num_classes):
    """TF 1.x's WeightedSmoothedGini: the Gini impurity with one pseudo-count per class,
    times the side's weight."""
    smoothed = num_classes + total
    return total * (1.0 - (squares + 2 * total + num_classes) / (smoothed * smoothed))
