"""tf.pad as TF 1.x's computed it. TF 2.21's oneDNN graph rewrite (on by default on x86)
fuses a Pad op into the Conv3D after it, even through ops that are pruned (an Identity),
and the fused kernel then convolves as if the convolution's padding were VALID: a 'SAME'
conv3d of a padded volume comes out smaller than its static shape, with other numbers
(NiftyNet's constant-padded 3-D convolutions). The rewrite matches Pad only, so a zero
padding of a tensor that may be a volume (rank 5, or unknown) is made as PadV2 with
constant 0: the same numbers, left alone."""
import tensorflow.compat.v1 as tf
from tensorflow.python.ops import gen_array_ops

VOLUME_RANK = 5  # what Conv3D takes


def pad(tensor, paddings, mode='CONSTANT', name=None, constant_values=0):
    tensor = tf.convert_to_tensor(tensor)
    rank = tensor.shape.ndims
    if mode.upper() != 'CONSTANT' or rank not in (None, VOLUME_RANK):
        return tf.pad(tensor, paddings, mode=mode, name=name, constant_values=constant_values)
    return gen_array_ops.pad_v2(tensor, paddings,
                                tf.cast(constant_values, tensor.dtype.base_dtype),
                                name=name or 'Pad')
