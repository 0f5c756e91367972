"""Scoped `import tensorflow` (and `import keras`, `import numpy`): mapped code gets the
TF 1.x API (Keras 2's TF 1.x API, NumPy with NumPy 1's removed names), everyone else the
real one.

Python hands `builtins.__import__` the importing module's globals, so the import of
`tensorflow` can be answered by who asks: the user's script, the modules it imports from
its own directory, a notebook's cells and the code these exec get tf1's TF 1.x namespace;
numpy, TensorBoard, TensorFlow itself and every other library get the real `tensorflow` as
before.
`importlib.import_module`, which bypasses `__import__`, is answered the same way.
sys.modules is never touched, so nothing leaks from one side to the other.
"""
import builtins
import importlib
import importlib.util
import os
import sys
import types

_real_import = builtins.__import__
_real_import_module = importlib.import_module
_MAPPED_PACKAGES = ('tensorflow', 'keras', 'numpy', 'collections', 'inspect',
                    'tensorflow_estimator')
_mapped_directories = []  # real paths, each ending in os.sep
_verdicts = {}            # __file__ -> whether that module is mapped
_seen_path_entries = set()  # sys.path's entries looked at (those there when mapping began),
                            # and ('', directory) for each current directory '' stood for
_library_directories = []  # sys.path's install directories (real paths, ending in os.sep)
# Installed libraries of TF 1.x's day that run on TF 1.x's API, mapped wherever they are:
# TF-GAN, tf.contrib.gan's successor, made for TF 1.14-1.15 (its GANEstimator subclasses
# tf.estimator's Estimator, which TF 2.21 lacks). tf1 gives it as tf.contrib.gan.
# With them, those the user names (`python -m tf1 --tf1_package kfac`, which sets
# $TF1_PACKAGES for this process and its children): K-FAC 0.2 or TF-Privacy 0.2, made
# for TF 1.14-1.15, and installed.
_TF1_LIBRARIES = ('tensorflow_gan',)
_tf1_library_directories = ()  # theirs (real paths, ending in os.sep)

# Never mapped, even inside a mapped directory: this project's own packages (a script run
# from the project root must not change what graphs/ and tf1/ import) and installed ones.
_PROJECT_ROOT = os.path.dirname(os.path.dirname(os.path.realpath(__file__)))
_EXCLUDED = tuple(os.path.join(_PROJECT_ROOT, package) + os.sep
                  for package in ('tf1', 'graphs', 'serving')) + tuple(
    os.path.realpath(prefix) + os.sep
    for prefix in {sys.prefix, sys.base_prefix, sys.exec_prefix})


# Python's own library (pydoc ...), looked through for who asks; frozen modules too; and
# the installed backports of its modules TF 1.x code imported instead: `mock`, whose
# `mock.patch("tensorflow.get_variable", getter)` patches the script's TF 1.x API
# (deepmind/learning-to-learn), as unittest.mock's does.
_STDLIB = (os.path.dirname(os.__file__) + os.sep, '<frozen')
_STDLIB_BACKPORTS = ('mock',)
_backport_directories = ()  # theirs (as found on sys.path, and real paths)


def install(directories=()):
    """Map `import tensorflow` for __main__ and for modules under `directories`."""
    global _tf1_library_directories, _backport_directories
    if not _seen_path_entries:
        _seen_path_entries.update(entry for entry in sys.path if isinstance(entry, str))
        _tf1_library_directories = _package_directories(_TF1_LIBRARIES + tuple(
            name for name in named_packages() if package_error(name) is None))
        _backport_directories = _package_directories(_STDLIB_BACKPORTS, real=False) + \
            _package_directories(_STDLIB_BACKPORTS)
    for directory in directories:
        _map_directory(directory)
    for package in list(_restore_after_import):  # a library imported before this
        _restore_after(package)
    for entry in sys.path:
        if isinstance(entry, str) and _installed_into(entry):
            _note_install_directory(entry)
    if builtins.__import__ is not _import:
        from tf1 import api, numpy1  # import TensorFlow: only once something is mapped
        api.enter_graph_mode()
        numpy1.install()
        builtins.__import__ = _import
        importlib.import_module = _import_module


def installed():
    """Whether this process maps `import tensorflow` (python -m tf1 set it up)."""
    return builtins.__import__ is _import


# Never TF 1.x's API: TensorFlow's and Keras's own packages, and tf1 itself.
_NEVER_NAMED = ('tensorflow', 'tensorflow_probability', 'tensorflow_estimator', 'tf_keras',
                'keras', 'tensorboard', 'tf1')


def named_packages(names=None):
    """The packages the user named for TF 1.x's API: `names` (a list), else $TF1_PACKAGES
    (comma-separated)."""
    if names is None:
        names = os.environ.get('TF1_PACKAGES', '').split(',')
    return tuple(name.strip() for name in names if name.strip())


def package_error(name):
    """Why `name` cannot be named for TF 1.x's API, or None: it must be an installed
    package (a top-level one), not TensorFlow's or Keras's own."""
    if '.' in name or not name.isidentifier():
        return 'not a top-level package name: %r' % name
    if name in _NEVER_NAMED:
        return '%r is TensorFlow\'s or Keras\'s own, which keeps the real TensorFlow' % name
    if not _package_directories((name,)):
        return 'no installed package named %r' % name
    return None


def _package_directories(packages, real=True):
    """The directories of those of `packages` that are installed (not imported): real
    paths, or as found on sys.path."""
    directories = []
    for package in packages:
        spec = importlib.util.find_spec(package)
        if spec is not None and spec.submodule_search_locations:
            directory = spec.submodule_search_locations[0]
            directories.append(os.path.join(
                os.path.realpath(directory) if real else os.path.abspath(directory), ''))
    return tuple(directories)


def _map_directory(directory):
    directory = os.path.join(os.path.realpath(directory), '')
    if directory not in _mapped_directories:
        _mapped_directories.append(directory)
        _verdicts.clear()


def mapped_directories():
    """The directories whose modules are mapped (real paths)."""
    return list(_mapped_directories)


def pythonpath_directories():
    """The directories on $PYTHONPATH that hold the user's own code (tensorflow/models'
    README puts its root there, for `from official.mnist import dataset`)."""
    return [os.path.realpath(entry) for entry in os.environ.get('PYTHONPATH', '').split(
        os.pathsep) if _holds_users_code(entry)]


def _holds_users_code(entry):
    """Whether a sys.path entry is a directory of the user's own code: not this project's
    root, nor a directory packages are installed into (below), nor a source tree pip
    installed from (*.egg-info): libraries keep the real TensorFlow and NumPy."""
    if not entry or not os.path.isdir(entry):
        return False
    real = os.path.realpath(entry)
    return (real != _PROJECT_ROOT and not _installed_into(real)
            and not any(name.endswith('.egg-info') for name in os.listdir(real)))


def _installed_into(entry):
    """Whether pip installed packages into directory `entry` (site-packages, `pip install
    --target`'s, which holds *.dist-info)."""
    return bool(entry) and os.path.isdir(entry) and (
        os.path.basename(os.path.realpath(entry)) in ('site-packages', 'dist-packages')
        or any(name.endswith('.dist-info') for name in os.listdir(entry)))


def _note_install_directory(entry):
    """An install directory on sys.path keeps the real TensorFlow even inside a mapped
    directory (`PYTHONPATH=deps`, or a repository's root the script appended holding its
    `pip install --target deps`); not one mapped itself."""
    directory = os.path.join(os.path.realpath(entry), '')
    if directory not in _mapped_directories and directory not in _library_directories:
        _library_directories.append(directory)
        _verdicts.clear()


def _map_directories_the_script_added():
    """Directories the script put on sys.path itself (`sys.path.append('../')`, facenet's
    `sys.path.insert(0, 'src')`, `sys.path.insert(0, '')`) hold its own code: mapped like
    its directory."""
    for entry in sys.path:
        if isinstance(entry, str) and entry not in _seen_path_entries:
            # '' is the current directory, whichever it is at each import: each looked at once.
            directory = entry or os.getcwd()
            if not entry and ('', directory) in _seen_path_entries:
                continue
            _seen_path_entries.add(entry or ('', directory))
            if _holds_users_code(directory):
                _map_directory(directory)
            elif _installed_into(directory):
                _note_install_directory(directory)


def _import(name, globals=None, locals=None, fromlist=(), level=0):
    # Every import in the process passes here: the cheap prefix test goes first.
    if level == 0 and _names_mapped_package(name) and _answered_as_mapped(
            name, globals if globals is not None else _asking_globals()):
        return _mapped_import(name, fromlist)
    module = _real_import(name, globals, locals, fromlist, level)
    if _restore_after_import and level == 0 and name.startswith(_RESTORED_LIBRARIES):
        _restore_after(name)
    return module


def _restore_tfp_probs():
    from tf1 import tfp_probs
    tfp_probs.restore()


# What TF 1.x code relied on in a library, put back once the library is first imported:
# TFP 0.7-0.8's `probs` and `logits` (tf1/tfp_probs.py).
_restore_after_import = {'tensorflow_probability': _restore_tfp_probs}
_RESTORED_LIBRARIES = tuple(_restore_after_import)  # the cheap test each import makes first


def _restore_after(name):
    package = name.partition('.')[0]
    module = sys.modules.get(package) if package in _restore_after_import else None
    # Once its own imports are done (not while its __init__ runs them).
    if module is not None and not getattr(module.__spec__, '_initializing', False):
        _restore_after_import.pop(package)()


def _import_module(name, package=None):
    """importlib.import_module, which does not pass through __import__, answered alike:
    a mapped script's `importlib.import_module('tensorflow.contrib.slim')` (configurable
    code naming its modules in strings) gets tf1's module."""
    if _names_mapped_package(name) and _answered_as_mapped(name, _asking_globals()):
        return _mapped_import(name, ('__name__',))
    module = _real_import_module(name, package)
    if _restore_after_import and name.startswith(_RESTORED_LIBRARIES):
        _restore_after(module.__name__)
    return module


# The packages of TensorFlow (tensorflow, tensorflow_probability ...) and Keras themselves,
# which import the real `keras`.
_KERAS_OWN = ('tf_keras', 'keras', 'tensorboard', 'tf1')


def _answered_as_mapped(name, module_globals):
    """Whether the import of `name` by the module with these globals gets tf1's answer:
    the module is mapped; or `name` is Keras and the module is a library's, not
    TensorFlow's or Keras's own, imported or called by mapped code (a frame of it below):
    under TF 1.x a process had one Keras, Keras 2, shared by the script and the Keras
    add-ons it used (keras-retinanet's keras-resnet subclasses Keras's layers)."""
    if _is_mapped(module_globals):
        return True
    if name.partition('.')[0] != 'keras' or not module_globals:
        return False
    package = module_globals.get('__name__', '').partition('.')[0]
    if package in _KERAS_OWN or package.startswith('tensorflow'):
        return False
    frame = sys._getframe(2)
    while frame is not None:
        if _is_mapped(frame.f_globals):
            return True
        frame = frame.f_back
    return False


def _names_mapped_package(name):
    return name.startswith(_MAPPED_PACKAGES) and name.partition('.')[0] in _MAPPED_PACKAGES


def _mapped_import(name, fromlist):
    from tf1 import api, collections39, inspect310, numpy1
    # Each with the names TF 1.x-era code used and its package has since removed: NumPy's,
    # collections' (Python 3.10), inspect's (Python 3.11).
    views = {'numpy': numpy1.numpy1, 'collections': collections39.collections39,
             'inspect': inspect310.inspect310}
    package = name.partition('.')[0]
    if package in views:
        return _import_viewed(views[package], name, fromlist)
    if package == 'keras':  # standalone Keras 2 on TensorFlow, as TF 1.x-era code had it
        return api.import_keras(name, fromlist)
    if package == 'tensorflow_estimator':  # TF 1.14-1.15's home of tf.estimator
        return api.import_estimator(name, fromlist)
    return api.import_tensorflow(name, fromlist, _real_import)


def _import_viewed(view, name, fromlist):
    """What `import NAME` or `from NAME import FROMLIST` gives mapped code, for NAME the
    package `view` stands for (numpy, collections, inspect) or one of its submodules, which
    are the package's own."""
    if name == view.__name__:  # the names the view adds are not the package's to look up
        fromlist = [part for part in fromlist or () if part not in view.__dict__]
    module = _real_import(name, None, None, fromlist, 0)
    return view if name == view.__name__ or not fromlist else module


class PickledByName(types.ModuleType):
    """A module that mapped code imports and tf1 builds (a TF 1.x namespace, NumPy 1's
    numpy, Python 3.9's collections), pickled as its name and imported again where it is
    unpickled. Under TF 1.x they were real modules, which cloudpickle pickles by reference
    when it pickles a script's function by value with its globals (`np`, `tf`:
    stable-baselines' SubprocVecEnv, Ray, joblib's loky); cloudpickle's reducers match only
    modules' exact type. Plain pickle takes them as well."""

    def __reduce__(self):
        return import_by_name, (self.__name__,)


class ModuleView(PickledByName):
    """A module as mapped code sees it: `module` itself, its identity (__file__, __spec__
    ...) too, plus `names` it no longer has or has with another meaning (np.lib.pad,
    collections.Mapping). What mapped code sets on the view it sets on the module, as it
    did when there was one module (`np.set_printoptions = ...`, a test's monkeypatch):
    everyone sees it, and the view serves it instead of its own meaning of that name;
    setting the view's own meaning back (the monkeypatch undone) puts the module's back,
    and setting a name the module lost to the view's meaning (`np.float = float`,
    `collections.Mapping = collections.abc.Mapping`) gives it to everyone."""

    def __init__(self, module, names=()):
        super().__init__(module.__name__, module.__doc__)
        for name in ('__file__', '__path__', '__package__', '__loader__', '__spec__'):
            if hasattr(module, name):
                self.__dict__[name] = getattr(module, name)
        self.__dict__.update(_module=module, _own=dict(names), _replaced={})
        self.__dict__.update(names)

    def __getattr__(self, name):
        return getattr(self._module, name)

    def __dir__(self):
        return sorted(set(dir(self._module)) | set(self.__dict__) - {
            '_module', '_own', '_replaced'})

    def __setattr__(self, name, value):
        if name in self._own and value is self._own[name]:
            if name in self._replaced:  # a patch undone: the module's own value back
                self._put_back(name, self._replaced.pop(name))
            elif not hasattr(self._module, name):  # np.float = float: for everyone
                setattr(self._module, name, value)
            self.__dict__[name] = value
            return
        if name in self._own:
            self._replaced.setdefault(name, getattr(self._module, name, _MISSING))
        setattr(self._module, name, value)
        self.__dict__.pop(name, None)

    def __delattr__(self, name):
        self.__dict__.pop(name, None)
        if hasattr(self._module, name):
            delattr(self._module, name)

    def _put_back(self, name, value):
        if value is _MISSING:
            delattr(self._module, name)
        else:
            setattr(self._module, name, value)


_MISSING = object()  # a name the module did not have before mapped code set it


def import_by_name(name):
    """What `import NAME as module` gives mapped code. In a process the runner did not
    start (a worker of some pool, a plain `python` that unpickles what a mapped script
    pickled), TF 1.x's API as well, in graph mode as `import tf1.tensorflow` gives it: the
    code that was pickled with it was written for TF 1.x."""
    if builtins.__import__ is not _import and name.startswith(('tensorflow', 'keras')):
        _real_import_module('tf1.tensorflow')
    module = _mapped_import(name, ())
    for part in name.split('.')[1:]:
        module = getattr(module, part)
    return module


def _asking_globals():
    """The globals of the code behind an `__import__(name)` called without them, or an
    `importlib.import_module(name)`: the nearest caller outside Python's own library, so
    that a mapped script's `pydoc.locate('tensorflow.contrib.rnn.LSTMCell')` (google/
    seq2seq's configurable classes) finds TF 1.x's names."""
    frame = sys._getframe(2)
    while frame is not None and _in_stdlib(frame.f_code.co_filename):
        frame = frame.f_back
    return frame.f_globals if frame is not None else None


def _in_stdlib(path):
    return (path.startswith(_STDLIB) and os.sep + 'site-packages' + os.sep not in path
            or path.startswith(_backport_directories))


def _is_mapped(module_globals):
    if not module_globals:
        return False
    path = module_globals.get('__file__')
    if path is None:  # a notebook cell, `python -c`, exec'd code
        return (module_globals.get('__name__') == '__main__'
                or _executed_by_mapped_code(module_globals))
    verdict = _verdicts.get(path)
    if verdict is None:
        _map_directories_the_script_added()
        real_path = os.path.realpath(path)
        verdict = _verdicts[path] = real_path.startswith(_tf1_library_directories) or (
            _deepest(_mapped_directories, real_path) > _deepest(_library_directories, real_path)
            and not real_path.startswith(_EXCLUDED))
    return verdict


def _deepest(directories, path):
    """The length of the longest of `directories` holding `path` (0 if none does)."""
    return max((len(directory) for directory in directories if path.startswith(directory)),
               default=0)


def _executed_by_mapped_code(namespace):
    """Whether code running in `namespace`, a module's own (`exec(source, {})`: a
    configuration file), was exec'd by mapped code: the nearest frame outside it and outside
    Python's own library decides, as under TF 1.x, where both saw the one TensorFlow."""
    frame = sys._getframe(2)
    while frame is not None and frame.f_globals is not namespace:
        frame = frame.f_back
    while frame is not None and (frame.f_globals is namespace
                                 or _in_stdlib(frame.f_code.co_filename)):
        frame = frame.f_back
    return frame is not None and _is_mapped(frame.f_globals)


def is_mapped_file(path):
    """Whether the module at `path` is mapped (the user's code, not a library's)."""
    return _is_mapped({'__file__': path})
