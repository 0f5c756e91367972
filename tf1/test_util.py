"""tf.test's build question as TF 1.x's packages answered it, and TF 1.x's
test_util.run_in_graph_and_eager_modes.

TF 1.x shipped `tensorflow` (CPU) and `tensorflow-gpu`, and the GPU package did not even
import without CUDA, so `tf.test.is_built_with_cuda()` was True exactly where a GPU could
be used. Scripts used it that way (`if tf.test.is_built_with_cuda(): with
tf.device('/gpu:1'): ...`). TF 2.21's one wheel is built with CUDA everywhere, which sends
such a script onto GPUs a CPU-only machine lacks; here the answer is again whether
TensorFlow sees a GPU.

TF 1.x's run_in_graph_and_eager_modes took `reset_test` (TF 1.15's optimizer tests pass False:
the test case keeps its state between the graph and the eager run); TF 2.x dropped it."""
import functools

import tensorflow.compat.v1 as tf
from tensorflow.python.framework import test_util

__all__ = ['is_built_with_cuda', 'run_in_graph_and_eager_modes']


def is_built_with_cuda():
    return bool(tf.config.list_physical_devices('GPU'))


def run_in_graph_and_eager_modes(func=None, config=None, use_gpu=True, reset_test=True,
                                 assert_no_eager_garbage=False):
    """TF 1.x's decorator: runs a test method in a graph and session, then eagerly; between
    the two runs the test case is torn down and set up again unless `reset_test` is False."""
    def decorator(method):
        run_twice = test_util.run_in_graph_and_eager_modes(
            method, config=config, use_gpu=use_gpu,
            assert_no_eager_garbage=assert_no_eager_garbage)
        if reset_test:
            return run_twice

        @functools.wraps(method)
        def run_twice_kept(self, *args, **kwargs):
            # TF 2.x's decorator always resets: between the runs it calls tearDown, drops
            # the temporary directory and calls setUp; here the first two keep the
            # directory aside and the last puts it back.
            kept = []
            self.tearDown = lambda: kept.append(self._tempdir)
            self.setUp = lambda: setattr(self, '_tempdir', kept.pop())
            try:
                run_twice(self, *args, **kwargs)
            finally:
                del self.tearDown, self.setUp
        return run_twice_kept

    return decorator if func is None else decorator(func)
