"""The machinery of tf1's namespaces: a TF 1.x namespace (`tf`, `tf.nn`, `tf.contrib.rnn`
...) built from what tf1 provides, lazily imported, over tf.compat.v1's; and TensorFlow's
real internal packages as mapped code sees them, with the modules TF 2.x moved or removed
(MOVED_MODULES, which tf1/api.py fills) in their TF 1.x places. tf1/api.py says what the
namespaces hold."""
import importlib
import importlib.util
import sys
import types

from tf1 import unsupported
from tf1.importer import PickledByName

# Internal modules whose TF 1.x names TF 2.x moved elsewhere (or removed), and the module
# that has them now, by their TF 1.x name: filled by tf1/api.py.
MOVED_MODULES = {}


class Lazy:
    """'package.module' or 'package.module:attribute', imported on first use, so that
    `import tensorflow as tf` costs nothing for the parts a script never touches."""

    def __init__(self, target):
        self.target = target

    def load(self):
        module_name, _, attribute = self.target.partition(':')
        module = importlib.import_module(module_name)
        return getattr(module, attribute) if attribute else module


class ByExecutionMode:
    """A name whose value depends on whether ops run eagerly, looked up at each use:
    tf.Tensor, which in a TF 1.x graph is the very class of graph tensors (`type(x) is
    tf.Tensor`: OpenAI baselines' U.function) and eagerly the class of every tensor."""

    def __init__(self, graph, eager):
        self.graph, self.eager = graph, eager
        self._loaded = None  # (graph value, eager value, executing_eagerly), at first use

    def value(self):
        # `isinstance(x, tf.Tensor)` runs in loops: the values are imported once, and only
        # the mode is asked at each use.
        if self._loaded is None:
            from tensorflow.python.eager import context
            self._loaded = (self.graph.load(), self.eager.load(), context.executing_eagerly)
        graph, eager, executing_eagerly = self._loaded
        return eager if executing_eagerly() else graph


# A module's own dictionary, beneath Namespace's __dict__ property.
_MODULE_DICT = types.ModuleType.__dict__['__dict__']


class Namespace(PickledByName):
    """One TF 1.x namespace (`tf`, `tf.nn`, `tf.contrib.rnn` ...): the names tf1 provides
    first, then those of `fallback` (the same namespace of tf.compat.v1), else the clear
    error of tf1/unsupported.py. `package` is 'keras' for standalone Keras's namespaces."""

    def __init__(self, path, fallback=None, provided=None, package='tensorflow'):
        super().__init__(package + '.' + path if path else package)
        self._path = path
        self._package = package
        self._fallback = fallback
        self._provided = dict(provided or {})

    def __getattr__(self, name):
        if name == '__all__':  # from tensorflow.keras.layers import *
            return self.__dir__()
        if name.startswith('__'):  # Python's own probes (__path__, __wrapped__ ...)
            raise AttributeError(name)
        if name in self._provided:
            value = self._provided[name]
            if isinstance(value, ByExecutionMode):
                return value.value()  # not kept: the mode may change
            if isinstance(value, Lazy):
                value = value.load()
        else:
            value = self._from_fallback(name)
        setattr(self, name, value)  # the next lookup is a plain attribute read
        return value

    def _from_fallback(self, name):
        api = self._path + '.' + name if self._path else name
        if self._package == 'tensorflow' and api in unsupported.ADVICE:
            raise unsupported.error(api)  # e.g. tf.mul: tell what TF 1.0 renamed it to
        fallback = self._fallback.load() if isinstance(self._fallback, Lazy) else self._fallback
        try:
            value = getattr(fallback, name)
        except unsupported.Unsupported:
            raise  # the fallback's own one-line explanation
        except AttributeError:
            pass
        else:
            # A sub-namespace (tf.train, tf.summary ...) is wrapped too, so that a name
            # missing from it is explained as clearly.
            if isinstance(value, types.ModuleType):
                return Namespace(api, value, package=self._package)
            return value
        # TensorFlow's internals (tf.python, tf.core ...) stay reachable as in TF 1.x.
        real_module = sys.modules.get('tensorflow.%s' % api)
        if self._package == 'tensorflow' and real_module is not None:
            return internal_view(real_module)
        raise unsupported.error(api, package=self._package) from None

    @property
    def __dict__(self):
        """Every name of the namespace (vars(tf.contrib.rnn), or iterating it to collect its
        classes, as TF 1.x code did), resolved at the first request; attribute lookups
        resolve them one at a time. Names that cannot be resolved are left out."""
        names = _MODULE_DICT.__get__(self)
        if not names.get('_complete'):
            names['_complete'] = True
            for name in self.__dir__():
                if name not in names:
                    try:
                        getattr(self, name)
                    except Exception:  # an unprovided or unloadable name: not listed
                        pass
        return names

    def __dir__(self):
        names = set(self._provided) | set(_MODULE_DICT.__get__(self))
        if self._fallback is not None:
            fallback = self._fallback.load() if isinstance(self._fallback, Lazy) else self._fallback
            names |= set(dir(fallback))
        return sorted(name for name in names if not name.startswith('_'))


class InternalView(PickledByName):
    """A real TensorFlow package as mapped code sees it: the same, except that its
    children in MOVED_MODULES are the modules holding their TF 1.x names."""

    def __init__(self, module):
        super().__init__(module.__name__)
        self._module = module

    def __getattr__(self, name):
        full_name = self.__name__ + '.' + name
        if full_name in MOVED_MODULES:  # one TF 2.x moved, or removed
            return MOVED_MODULES[full_name]
        return internal_view(getattr(self._module, name), full_name)


class OpsPackage(PickledByName):
    """tensorflow.python.ops as TF 1.x's tensorflow.python held it: its modules (`from
    tensorflow.python.ops import math_ops`), and, for a name no module has, framework.ops'
    (TF 1.x's tensorflow/python/__init__.py star-imported standard_ops, which put
    framework.ops under the name `ops`: `from tensorflow.python import ops; ops.Graph()`)."""

    def __init__(self):
        super().__init__('tensorflow.python.ops')

    def __getattr__(self, name):
        if name.startswith('__'):
            raise AttributeError(name)
        full_name = 'tensorflow.python.ops.' + name
        if importlib.util.find_spec(full_name) is not None:
            value = internal_view(importlib.import_module(full_name), full_name)
        else:
            from tensorflow.python.framework import ops as framework_ops
            value = getattr(framework_ops, name)
        setattr(self, name, value)
        return value


def internal_view(value, name=None):
    """`value` (the attribute or module called `name`), seen through MOVED_MODULES."""
    if not isinstance(value, types.ModuleType) or isinstance(value, InternalView):
        return value
    name = name or value.__name__
    if name in MOVED_MODULES:
        return MOVED_MODULES[name]
    if any(moved.startswith(name + '.') for moved in MOVED_MODULES):
        return InternalView(value)
    return value


def module_path(path, package, modules, private=None, whole=()):
    """The namespace `python` of a contrib package whose TF 1.x modules lived at `path`
    (contrib.layers.python.layers): the package there, its modules below it, each tf1's
    module of that name, or, with `private`, each all of `package` plus those private
    helpers ({'_linear': ...}) where tf1 does not split the package as TF 1.x did; so are
    the modules in `whole`, whose TF 1.x file held what tf1 spreads over the package."""
    parts = path.split('.')
    leaf = Namespace(path, Lazy(package), {
        module: (Lazy('%s.%s' % (package, module)) if private is None and module not in whole
                 else Namespace('%s.%s' % (path, module), Lazy(package), private))
        for module in modules + tuple(whole)})
    for depth in range(len(parts) - 1, 2, -1):
        leaf = Namespace('.'.join(parts[:depth]), None, {parts[depth]: leaf})
    return leaf
