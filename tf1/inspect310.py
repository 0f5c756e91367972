"""`inspect` as TF 1.x-era code used it, for mapped code: with getargspec and its ArgSpec,
which every Python TF 1.x ran on had (3.0-3.10, deprecated since 3.0) and Python 3.11
removed. Sonnet 1 reads a module's arguments with it (`testCallSignatureAndDocstring`).

Scoped as tf1/collections39.py is: the user's code gets this `inspect`, installed libraries
keep Python's. getargspec is Python 3.10's, without its DeprecationWarning."""
import collections
import inspect

from tf1.importer import ModuleView

ArgSpec = collections.namedtuple('ArgSpec', 'args varargs keywords defaults')


def getargspec(func):
    """The names and default values of a function's parameters, as Python 3.10's
    inspect.getargspec gave them; ValueError for keyword-only parameters or annotations,
    which it cannot describe."""
    args, varargs, varkw, defaults, kwonlyargs, _, annotations = inspect.getfullargspec(func)
    if kwonlyargs or annotations:
        raise ValueError('Function has keyword-only parameters or annotations, use '
                         'inspect.signature() API which can support them')
    return ArgSpec(args, varargs, varkw, defaults)


inspect310 = ModuleView(inspect, {'getargspec': getargspec, 'ArgSpec': ArgSpec})
