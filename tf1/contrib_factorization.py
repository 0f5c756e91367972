"""tf.contrib.factorization's k-means graph (TF 1.4-1.15): TF 1.x's clustering_ops, which
TensorFlow still ships, but with TF 1.x's training_graph, which also returned the cluster
centres' variable (TF 2.x's leaves it out): scripts unpack its seven parts."""
from tensorflow.python.ops import clustering_ops
from tensorflow.python.ops.clustering_ops import (
    COSINE_DISTANCE, KMC2_INIT, KMEANS_PLUS_PLUS_INIT, RANDOM_INIT, SQUARED_EUCLIDEAN_DISTANCE)

__all__ = ['KMeans', 'COSINE_DISTANCE', 'SQUARED_EUCLIDEAN_DISTANCE', 'RANDOM_INIT',
           'KMEANS_PLUS_PLUS_INIT', 'KMC2_INIT']


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
