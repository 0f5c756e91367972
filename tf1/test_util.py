"""tf.test's build question as TF 1.x's packages answered it.

TF 1.x shipped `tensorflow` (CPU) and `tensorflow-gpu`, and the GPU package did not even
import without CUDA, so `tf.test.is_built_with_cuda()` was True exactly where a GPU could
be used. Scripts used it that way (`if tf.test.is_built_with_cuda(): with
tf.device('/gpu:1'): ...`). TF 2.21's one wheel is built with CUDA everywhere, which sends
such a script onto GPUs a CPU-only machine lacks; here the answer is again whether
TensorFlow sees a GPU."""
import tensorflow.compat.v1 as tf

__all__ = ['is_built_with_cuda']


def is_built_with_cuda():
    return bool(tf.config.list_physical_devices('GPU'))
