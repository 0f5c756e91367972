"""TF 1.14-1.15's tf.config.experimental_list_devices, which TF 2.x removed for
tf.config.list_logical_devices."""
from tensorflow.python.eager import context


def experimental_list_devices():
    """The names of the devices this process can use, in full
    (`/job:localhost/replica:0/task:0/device:CPU:0`), as TF 1.15 listed them."""
    context.ensure_initialized()
    return context.context().devices()
