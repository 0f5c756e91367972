"""Processes that multiprocessing starts with 'spawn' or 'forkserver' run with the mapping
of the script that started them, as under TF 1.x a child imported TF 1.x too.

Such a child is a new `python -c` interpreter (a 'forkserver' child is forked from one)
that unpickles the process object: stable-baselines' SubprocVecEnv (forkserver by default)
sends environments whose modules import `tensorflow.contrib`, and a child running the real
TensorFlow fails there. So multiprocessing's own command for such an interpreter gets
tf1's mapping put in first, with the parent's mapped directories; the children of 'fork'
inherit the mapping, and other commands (subprocess, multiprocessing's resource tracker)
are left alone.
"""
import multiprocessing.util
import os

from tf1 import importer

# The `-c` code of multiprocessing's spawned interpreters: a child, the fork server.
_ENTRY_POINTS = ('from multiprocessing.spawn import spawn_main;',
                 'from multiprocessing.forkserver import main;')
# The directory that holds the tf1 package: the child imports it from there, whatever
# its sys.path holds before multiprocessing gives it the parent's.
_PACKAGE_PARENT = os.path.dirname(os.path.dirname(os.path.realpath(__file__)))
_real_spawnv_passfds = multiprocessing.util.spawnv_passfds


def install():
    """Start multiprocessing's interpreters with the mapping of this process."""
    multiprocessing.util.spawnv_passfds = _spawnv_passfds


def _spawnv_passfds(path, args, passfds):
    if '-c' in args[:-1]:
        code = args.index('-c') + 1
        if args[code].startswith(_ENTRY_POINTS):
            args = list(args)
            args[code] = ('import sys; sys.path.insert(0, %r); import tf1.children; '
                          'sys.path.pop(0); tf1.children.enter(%r); %s' % (
                              _PACKAGE_PARENT, importer.mapped_directories(), args[code]))
    return _real_spawnv_passfds(path, args, passfds)


def enter(directories):
    """In the child, before multiprocessing's own code runs: map `directories` as the
    runner mapped them in the parent; the child's children are mapped in turn."""
    from tf1 import runner
    runner.map_directories(directories)
