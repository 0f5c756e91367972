"""This project's own modules that tf1 uses (graphs/: MNIST's reader and geometry, one-line
messages, checkpoint importing). A script may bring a module of its own called `graphs` (a
graphs.py beside it, a common name for graph helpers): the script's `import graphs` then
finds its own, as plain Python would (give_way), and tf1 still gets this project's
(own_module)."""
import importlib
import importlib.machinery
import os
import sys

_PROJECT_ROOT = os.path.dirname(os.path.dirname(os.path.realpath(__file__)))
_PROJECT_GRAPHS = os.path.join(_PROJECT_ROOT, 'graphs') + os.sep


def own_module(name):
    """This project's graphs.<name>, imported with this project's `graphs` package in place
    of a script's own (`python -m tf1` puts the current directory first on sys.path),
    which is put back afterwards."""
    theirs = {key: module for key, module in sys.modules.items()
              if key.split('.')[0] == 'graphs' and not _is_ours(module)}
    ours = _OURS.copy()
    for key in theirs:
        del sys.modules[key]
    sys.modules.update(ours)
    sys.path.insert(0, _PROJECT_ROOT)
    try:
        module = importlib.import_module('graphs.' + name)
    finally:
        sys.path.remove(_PROJECT_ROOT)
        _OURS.update({key: value for key, value in sys.modules.items()
                      if key.split('.')[0] == 'graphs' and _is_ours(value)})
        if theirs:
            for key in _OURS:
                sys.modules.pop(key, None)
            sys.modules.update(theirs)
    return module


def give_way(directories):
    """Take this project's `graphs` out of sys.modules when one of `directories` (the
    script's, those on $PYTHONPATH) holds another `graphs`."""
    spec = importlib.machinery.PathFinder.find_spec('graphs', list(directories))
    if spec is None or _is_ours_path(spec.origin):
        return
    for key in [key for key in sys.modules if key.split('.')[0] == 'graphs']:
        del sys.modules[key]


def _is_ours(module):
    return _is_ours_path(getattr(module, '__file__', None))


def _is_ours_path(path):
    return os.path.realpath(path or '').startswith(_PROJECT_GRAPHS)


_OURS = {}  # this project's graphs modules, by name, once imported
contract, input_data, messages = (own_module(name)
                                  for name in ('contract', 'input_data', 'messages'))
