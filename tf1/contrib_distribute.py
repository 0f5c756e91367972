"""tf.contrib.distribute (TF 1.10-1.15): the strategies TensorFlow moved to tf.distribute,
under contrib's names (tf1/api_contrib.py), and contrib's MirroredStrategy, which also took
the number of GPUs (`num_gpus`, `num_gpus_per_worker`) and TF 1.10's `cross_tower_ops`."""
import tensorflow.compat.v1 as tf
from tensorflow.python.distribute import mirrored_strategy


class MirroredStrategy(tf.distribute.MirroredStrategy):
    """Mirrors variables on `devices`, or on the local GPUs `num_gpus` counts (the CPU if
    there are none)."""

    def __init__(self, devices=None, num_gpus=None, num_gpus_per_worker=None,
                 cross_device_ops=None, auto_shard_dataset=False, cross_tower_ops=None):
        if cross_device_ops and cross_tower_ops:
            raise ValueError('Give cross_device_ops or cross_tower_ops (its TF 1.10 name), '
                             'not both.')
        if num_gpus is not None and num_gpus_per_worker is not None:
            raise ValueError('You cannot specify both `num_gpus` and `num_gpus_per_worker`.')
        num_gpus = num_gpus if num_gpus is not None else num_gpus_per_worker
        if devices is None:
            devices = mirrored_strategy.all_local_devices(num_gpus)
        elif num_gpus is not None:
            raise ValueError('Must only specify one of `devices` and `num_gpus_per_worker`.')
        super().__init__(devices=devices, cross_device_ops=cross_device_ops or cross_tower_ops)
