"""TF 1.x's private Estimator names that its subclasses read or override (adanet 0.8's
Estimator, TF 1.x-era custom Estimators: `self._model_dir`, `self._session_config`), kept on
tf1's Estimator (estimator_core.py) under those names."""
import tensorflow.compat.v1 as tf


class EstimatorPrivateNames(object):
    """What TF 1.15's Estimator.__init__ set and its graph building called; `_config` is the
    subclass's RunConfig."""

    _model_dir = property(lambda self: self.model_dir)
    _session_config = property(lambda self: self._config.session_config)
    _device_fn = property(lambda self: self._config.device_fn)

    def _create_global_step(self, graph):
        """The global step of `graph`, made: a subclass may make it otherwise."""
        return tf.train.create_global_step(graph)

    def _create_and_assert_global_step(self, graph):
        """_create_global_step's step, checked to be the graph's integer global step."""
        step = self._create_global_step(graph)
        assert step is tf.train.get_global_step()
        assert step.dtype.is_integer
        return step
