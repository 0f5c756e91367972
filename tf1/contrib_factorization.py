"""tf.contrib.factorization's k-means (TF 1.4-1.15): the graph, TF 1.x's clustering_ops,
which TensorFlow still ships, but with TF 1.x's training_graph, which also returned the
cluster centres' variable (TF 2.x's leaves it out: scripts unpack its seven parts); and
KMeansClustering, the Estimator built on it (TF 1.15's, on tf1's Estimator)."""
import tensorflow.compat.v1 as tf
from tensorflow.python.ops import clustering_ops, control_flow_ops
from tensorflow.python.ops.clustering_ops import (
    COSINE_DISTANCE, KMC2_INIT, KMEANS_PLUS_PLUS_INIT, RANDOM_INIT, SQUARED_EUCLIDEAN_DISTANCE)
# TF 1.x's clustering_ops module also held its ops (`from gen_clustering_ops import *`).
from tensorflow.python.ops.gen_clustering_ops import (
    kmc2_chain_initialization, kmeans_plus_plus_initialization, nearest_neighbors)

from tf1.estimator_core import Estimator
from tf1.estimator_spec import EstimatorSpec
from tf1.estimator_export import PredictOutput

__all__ = ['KMeans', 'KMeansClustering', 'COSINE_DISTANCE', 'SQUARED_EUCLIDEAN_DISTANCE',
           'RANDOM_INIT', 'KMEANS_PLUS_PLUS_INIT', 'KMC2_INIT', 'nearest_neighbors',
           'kmeans_plus_plus_initialization', 'kmc2_chain_initialization']


class KMeans(clustering_ops.KMeans):

    def training_graph(self):
        """(all_scores, cluster_idx, scores, cluster_centers_initialized,
        cluster_centers_var, init_op, training_op), as TF 1.4-1.15 returned them."""
        created = []
        create = self._create_variables

        def keeping_the_centres(num_clusters):
            variables = create(num_clusters)
            created.append(variables[0])  # cluster_centers, the variable
            return variables
        self._create_variables = keeping_the_centres
        try:
            (all_scores, cluster_idx, scores, initialized, init_op,
             training_op) = super().training_graph()
        finally:
            del self._create_variables
        return (all_scores, cluster_idx, scores, initialized, created[0], init_op,
                training_op)


# ---------------------------------------------------------------------------- the Estimator

class _LossRelativeChangeHook(tf.train.SessionRunHook):
    """Stops training once the loss changes by less than `tolerance`, relatively."""

    def __init__(self, loss, tolerance):
        self._loss, self._tolerance, self._previous = loss, tolerance, None

    def before_run(self, run_context):
        return tf.train.SessionRunArgs(self._loss)

    def after_run(self, run_context, run_values):
        loss = run_values.results
        if self._previous and abs(loss - self._previous) / (1 + abs(self._previous)) < (
                self._tolerance):
            run_context.request_stop()
        self._previous = loss


class _InitializeClustersHook(tf.train.SessionRunHook):
    """Runs the op that chooses initial centres until all are chosen (it may take several
    input batches), once the session exists."""

    def __init__(self, init_op, is_initialized):
        self._init_op, self._is_initialized = init_op, is_initialized

    def after_create_session(self, session, coord):
        while not session.run(self._is_initialized):
            session.run(self._init_op)


def _input_points(features, feature_columns):
    """The points: `features` as they are, or a dict of them (through `feature_columns`
    when given, else its columns concatenated in the order of their keys)."""
    if not isinstance(features, dict):
        return features
    if feature_columns:
        return tf.feature_column.input_layer(features, feature_columns)
    return tf.concat([features[key] for key in sorted(features)], axis=1)


class KMeansClustering(Estimator):
    """TF 1.x's k-means Estimator (tf.contrib.factorization.KMeansClustering, also
    tf.estimator.experimental.KMeans): each training step one full-batch Lloyd iteration
    (use_mini_batch=False) or one mini-batch; the loss is the sum of squared distances to
    the nearest centre; evaluate reports it as `score`."""

    SQUARED_EUCLIDEAN_DISTANCE = SQUARED_EUCLIDEAN_DISTANCE
    COSINE_DISTANCE = COSINE_DISTANCE
    RANDOM_INIT = RANDOM_INIT
    KMEANS_PLUS_PLUS_INIT = KMEANS_PLUS_PLUS_INIT
    SCORE = 'score'
    CLUSTER_INDEX = 'cluster_index'
    ALL_DISTANCES = 'all_distances'
    CLUSTER_CENTERS_VAR_NAME = clustering_ops.CLUSTERS_VAR_NAME

    def __init__(self, num_clusters, model_dir=None, initial_clusters=RANDOM_INIT,
                 distance_metric=SQUARED_EUCLIDEAN_DISTANCE, random_seed=0,
                 use_mini_batch=True, mini_batch_steps_per_iteration=1,
                 kmeans_plus_plus_num_retries=2, relative_tolerance=None, config=None,
                 feature_columns=None):
        if isinstance(initial_clusters, str) and initial_clusters not in (
                RANDOM_INIT, KMEANS_PLUS_PLUS_INIT):
            raise ValueError("Unsupported initialization algorithm '%s'" % initial_clusters)
        if distance_metric not in (SQUARED_EUCLIDEAN_DISTANCE, COSINE_DISTANCE):
            raise ValueError("Unsupported distance metric '%s'" % distance_metric)

        def model_fn(features, mode):
            kmeans = clustering_ops.KMeans(
                _input_points(features, feature_columns), num_clusters,
                initial_clusters=initial_clusters, distance_metric=distance_metric,
                use_mini_batch=use_mini_batch,
                mini_batch_steps_per_iteration=mini_batch_steps_per_iteration,
                random_seed=random_seed,
                kmeans_plus_plus_num_retries=kmeans_plus_plus_num_retries)
            (all_distances, cluster_index, distances, is_initialized, init_op,
             training_op) = kmeans.training_graph()
            loss = tf.reduce_sum(distances)
            tf.summary.scalar('loss/raw', loss)
            step = tf.assign_add(tf.train.get_global_step(), 1)
            train_op = control_flow_ops.with_dependencies([training_op, step], loss)
            hooks = [_InitializeClustersHook(init_op, is_initialized)]
            if relative_tolerance is not None:
                hooks.append(_LossRelativeChangeHook(loss, relative_tolerance))
            predictions = {self.ALL_DISTANCES: all_distances[0],
                           self.CLUSTER_INDEX: cluster_index[0]}
            return EstimatorSpec(
                mode, predictions=predictions, loss=loss, train_op=train_op,
                eval_metric_ops={self.SCORE: tf.metrics.mean(loss)}, training_hooks=hooks,
                export_outputs={
                    self.ALL_DISTANCES: PredictOutput(all_distances[0]),
                    self.CLUSTER_INDEX: PredictOutput(cluster_index[0]),
                    'serving_default': PredictOutput(cluster_index[0])})
        super().__init__(model_fn, model_dir=model_dir, config=config)

    def _predict_one_key(self, input_fn, key):
        for result in self.predict(input_fn=input_fn, predict_keys=[key]):
            yield result[key]

    def predict_cluster_index(self, input_fn):
        """The index of the nearest centre, for each input point."""
        return self._predict_one_key(input_fn, self.CLUSTER_INDEX)

    def transform(self, input_fn):
        """The distances from each input point to every centre (squared, for the squared
        Euclidean distance, where scikit-learn's are not)."""
        return self._predict_one_key(input_fn, self.ALL_DISTANCES)

    def score(self, input_fn):
        """The sum of squared distances from the points of the first batch to their nearest
        centres (scikit-learn's score is its negative)."""
        return self.evaluate(input_fn=input_fn, steps=1)[self.SCORE]

    def cluster_centers(self):
        return self.get_variable_value(self.CLUSTER_CENTERS_VAR_NAME)


class ExperimentalKMeans(KMeansClustering):
    """tf.estimator.experimental.KMeans (TF 1.13-1.15, tensorflow_estimator's
    canned/kmeans.py): contrib's KMeansClustering with its seed argument named `seed`,
    None by default (the graph's seed, if any), where contrib's was `random_seed=0`."""

    def __init__(self, num_clusters, model_dir=None, initial_clusters=RANDOM_INIT,
                 distance_metric=SQUARED_EUCLIDEAN_DISTANCE, seed=None, use_mini_batch=True,
                 mini_batch_steps_per_iteration=1, kmeans_plus_plus_num_retries=2,
                 relative_tolerance=None, config=None, feature_columns=None):
        super().__init__(num_clusters, model_dir, initial_clusters, distance_metric, seed,
                         use_mini_batch, mini_batch_steps_per_iteration,
                         kmeans_plus_plus_num_retries, relative_tolerance, config,
                         feature_columns)
