"""TensorFlow's generated op modules (tensorflow.python.ops.gen_*_ops) as TF 1.0-1.4 code
called them. The ops TF 1.x kept out of its public API had Python names with a leading
underscore there (`gen_nn_ops._relu_grad`, which guided backpropagation's gradient override
returns; `gen_nn_ops._max_pool_grad`, a deconvnet's unpooling); TF 1.5 on names the same
functions, with the same arguments, without it."""
import importlib
import os

from tf1.namespace import Lazy, Namespace


class GenOpsModule(Namespace):
    """A gen_*_ops module: its own names, and `_op` for its `op` where it has no `_op`."""

    def _from_fallback(self, name):
        try:
            return super()._from_fallback(name)
        except AttributeError as error:
            if not name.startswith('_') or name.startswith('__'):
                raise
            try:
                return super()._from_fallback(name[1:])
            except AttributeError:
                raise error from None  # the error for the name asked


def modules():
    """{'tensorflow.python.ops.gen_X_ops': its view} for every generated op module, and
    TF 1.x's tensorflow.python.training.training_ops, its re-export of gen_training_ops
    (tensor2tensor's multistep Adam applies apply_adam from there)."""
    directory = os.path.dirname(importlib.import_module('tensorflow.python.ops').__file__)
    names = sorted(file[:-3] for file in os.listdir(directory)
                   if file.startswith('gen_') and file.endswith('.py'))
    views = {'tensorflow.python.ops.' + name: GenOpsModule(
        'python.ops.' + name, Lazy('tensorflow.python.ops.' + name)) for name in names}
    views['tensorflow.python.training.training_ops'] = GenOpsModule(
        'python.training.training_ops', Lazy('tensorflow.python.ops.gen_training_ops'))
    return views
