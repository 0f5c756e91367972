"""keras.utils.multi_gpu_model (Keras 2.0.9-2.3, and tf.keras until TF 2.3), ported from
Keras 2.2.4: the model replicated on several GPUs, each replica given a slice of the
batch, their outputs concatenated (on the CPU unless cpu_merge=False). Where the GPUs are
not there it raises Keras's ValueError, as it did on a CPU-only machine, so scripts that
import it and call it only with several GPUs (keras-yolo3's yolo.py) run."""
import tensorflow.compat.v1 as tf
from tf_keras.src import backend as K
from tf_keras.src.engine.training import Model
from tf_keras.src.layers import Lambda, concatenate
from tf_keras.src.models import clone_model


def _get_available_devices():
    return [x.name for x in K.get_session().list_devices()]


def _normalize_device_name(name):
    """'/job:localhost/replica:0/task:0/device:GPU:0' as '/gpu:0'."""
    return '/' + ':'.join(name.lower().replace('/', '').split(':')[-2:])


def multi_gpu_model(model, gpus=None, cpu_merge=True, cpu_relocation=False):
    """`model` replicated on `gpus` GPUs (a count, or a list of GPU ids; all there are by
    default): a model with the same inputs whose batch is split between the replicas."""
    available_devices = [_normalize_device_name(name) for name in _get_available_devices()]
    if not gpus:
        gpus = len([x for x in available_devices if 'gpu' in x])
    if isinstance(gpus, (list, tuple)):
        if len(gpus) <= 1:
            raise ValueError('For multi-gpu usage to be effective, call `multi_gpu_model` '
                             'with `len(gpus) >= 2`. Received: `gpus=%s`' % gpus)
        num_gpus, target_gpu_ids = len(gpus), gpus
    else:
        if gpus <= 1:
            raise ValueError('For multi-gpu usage to be effective, call `multi_gpu_model` '
                             'with `gpus >= 2`. Received: `gpus=%d`' % gpus)
        num_gpus, target_gpu_ids = gpus, range(gpus)
    target_devices = ['/cpu:0'] + ['/gpu:%d' % i for i in target_gpu_ids]
    for device in target_devices:
        if device not in available_devices:
            raise ValueError('To call `multi_gpu_model` with `gpus=%s`, we expect the '
                             'following devices to be available: %s. However this machine '
                             'only has: %s. Try reducing `gpus`.'
                             % (gpus, target_devices, available_devices))

    def get_slice(data, i, parts):
        """Replica i's part of the batch; the last one takes the remainder."""
        shape = K.shape(data)
        batch_size, input_shape = shape[:1], shape[1:]
        step = batch_size // parts
        size = batch_size - step * i if i == parts - 1 else step
        size = K.concatenate([size, input_shape], axis=0)
        stride = K.concatenate([step, input_shape * 0], axis=0)
        return tf.slice(data, stride * i, size)

    if cpu_relocation:  # the weights on the CPU, shared by the replicas
        with tf.device('/cpu:0'):
            model = clone_model(model)
    all_outputs = [[] for _ in model.outputs]
    for i, gpu_id in enumerate(target_gpu_ids):
        with tf.device('/gpu:%d' % gpu_id), tf.name_scope('replica_%d' % gpu_id):
            inputs = []
            for x in model.inputs:
                with tf.device(x.device):
                    inputs.append(Lambda(get_slice, output_shape=K.int_shape(x)[1:],
                                         arguments={'i': i, 'parts': num_gpus})(x))
            outputs = model(inputs)
            for o, output in enumerate(outputs if isinstance(outputs, list) else [outputs]):
                all_outputs[o].append(output)
    # Outputs of the same name get a suffix each: _1, _2 ...
    counts = {name: model.output_names.count(name) for name in model.output_names}
    seen = {name: 0 for name, count in counts.items() if count > 1}
    output_names = []
    for name in model.output_names:
        if name in seen:
            seen[name] += 1
            name += '_%d' % seen[name]
        output_names.append(name)
    with tf.device('/cpu:0' if cpu_merge else '/gpu:%d' % target_gpu_ids[0]):
        merged = [concatenate(outputs, axis=0, name=name)
                  for name, outputs in zip(output_names, all_outputs)]
        return Model(model.inputs, merged)
