"""`collections` as TF 1.x-era code used it, for mapped code: with the old aliases of
collections.abc's classes (`collections.Mapping`, `Sequence`, `Iterable` ...), which every
Python TF 1.x ran on had (2.7, 3.3-3.7; 3.3-3.9 with a DeprecationWarning) and Python 3.10
removed. GPflow 1.x stops at `import gpflow` without them (`collections.Mapping` in
gpflow/_settings.py).

Scoped like the NumPy mapping (tf1/importer.py), not process-wide: the user's code (the
script, its directory, its directories on $PYTHONPATH, where GPflow 1.x's source tree
lies when it runs under tf1) gets this `collections`; installed libraries keep Python's.
An installed TF 1.x-era library gets the real TensorFlow as well, so the aliases alone
would not make it run, and a library of today may probe `hasattr(collections, 'Mapping')`
to tell Pythons apart. The aliases come without Python 3.9's warning, as NumPy's removed
names come without NumPy's.
"""
import collections
import collections.abc

from tf1.importer import ModuleView

# What Python 3.9's collections.__getattr__ served: 3.9's _collections_abc.__all__ (3.12
# added Buffer there, which `collections` never had).
ABC_ALIASES = ('Awaitable', 'Coroutine', 'AsyncIterable', 'AsyncIterator', 'AsyncGenerator',
               'Hashable', 'Iterable', 'Iterator', 'Generator', 'Reversible', 'Sized',
               'Container', 'Callable', 'Collection', 'Set', 'MutableSet', 'Mapping',
               'MutableMapping', 'MappingView', 'KeysView', 'ItemsView', 'ValuesView',
               'Sequence', 'MutableSequence', 'ByteString')

collections39 = ModuleView(collections, {name: getattr(collections.abc, name)
                                         for name in ABC_ALIASES})
