"""Run a TF 1.x script as `python SCRIPT.py ARGS` would have run it under TF 1.x, or a
module of a package as `python -m MODULE ARGS` would have.

The file is compiled from disk as it is (nothing is rewritten or written anywhere) and
executed as `__main__`, with sys.argv, sys.path[0] and __file__ set as Python sets them,
while `import tensorflow` inside it, and inside the modules it imports from its own
directory (a module's: the current directory, where its package is) or from the user's
directories on $PYTHONPATH, gives the TF 1.x API (tf1/importer.py).
"""
import builtins
import importlib.util
import os
import runpy
import sys
import tokenize
import traceback
import types

import numpy
from tensorflow.python.util import tf_stack

from tf1 import children, importer, project, restored_internals, unsupported

# Errors whose message says all: printed as one line at the script's line, no traceback.
ONE_LINE_ERRORS = (unsupported.Unsupported, project.input_data.MnistDataError)


def run(script, args):
    """Run `script` with `args`; returns the exit status, as the interpreter would."""
    try:
        with tokenize.open(script) as f:  # honours a coding: line, as Python does
            source = f.read()
        code = compile(source, script, 'exec', dont_inherit=True)
    except OSError as error:
        print("tf1: can't open file %r: %s" % (script, error.strerror or error),
              file=sys.stderr)
        return 2
    except (SyntaxError, ValueError) as error:  # ValueError: undecodable bytes
        traceback.print_exception(error, limit=0, chain=False)
        return 1

    directory = os.path.dirname(os.path.realpath(script))
    _prepare(directory)
    module = types.ModuleType('__main__')
    module.__file__ = script
    module.__builtins__ = builtins
    sys.modules['__main__'] = module
    sys.argv[:] = [script] + list(args)
    return _execute(lambda: exec(code, module.__dict__), code.co_filename)


# TensorFlow's command-line tools whose TF 1.x flags or output TF 2.x changed: tf1's front
# runs them.
TOOLS = {'tensorflow.python.tools.freeze_graph': 'tf1.freeze_graph',
         'tensorflow.python.tools.inspect_checkpoint': 'tf1.inspect_checkpoint',
         'tensorflow.python.tools.import_pb_to_tensorboard': 'tf1.import_pb_to_tensorboard'}


def run_module(name, args):
    """Run module `name` (of a package under the current directory, or installed) as
    `python -m name args` would; returns the exit status."""
    _prepare(os.getcwd())
    name = TOOLS.get(name, name)
    try:
        spec = importlib.util.find_spec(name)  # imports its packages, mapped
        if spec is not None and spec.submodule_search_locations is not None:
            spec = importlib.util.find_spec(name + '.__main__')  # a package's __main__
    except BaseException as error:  # its package failed to import
        if isinstance(error, (SystemExit, KeyboardInterrupt)):
            raise
        _report(error, None)
        return 1
    if spec is None or spec.origin is None:
        print('tf1: No module named %s' % name, file=sys.stderr)
        return 1
    sys.argv[:] = [spec.origin] + list(args)
    return _execute(lambda: runpy.run_module(spec.name, run_name='__main__', alter_sys=True),
                    spec.origin)


def _prepare(directory):
    """Put `directory` first on sys.path, where python -m put the current directory, and
    map `import tensorflow` under it and the user's $PYTHONPATH directories. In that order:
    the entries on sys.path when mapping starts are those the script did not add, and the
    current directory is not among them unless it is the script's (ctpn's train_net.py,
    run from the repository's root, appends it to import its own `lib`). Under `python -P`
    (PYTHONSAFEPATH) Python puts neither directory first, so sys.path is left as it is."""
    if not getattr(sys.flags, 'safe_path', False):  # Python 3.11's -P
        sys.path[0] = directory
    map_directories([directory] + importer.pythonpath_directories())


def map_directories(directories):
    """Map `import tensorflow` under `directories` (a `graphs` module there is the
    script's, not this project's), in this process and in the ones multiprocessing
    starts, and print NumPy values as the script's era did."""
    importer.install(directories)
    project.give_way(directories)
    children.install()
    # TF 1.x scripts print what sess.run returns, often inside a list or dict, where NumPy 2
    # writes np.float32(0.92) for the 0.92 NumPy 1 printed.
    numpy.set_printoptions(legacy='1.25')


def _execute(main, script):
    """main(); an error reported from `script`'s frames on. The exit status."""
    try:
        with _WithoutRunnerFrames():
            main()
    except SystemExit:
        raise
    except KeyboardInterrupt:
        raise
    except BaseException as error:
        _report(error, script)
        return 1
    return 0


class _WithoutRunnerFrames(tf_stack.StackTraceFilter):
    """The stacks TensorFlow records for each op built inside (and prints in its errors:
    "Originally defined at", "Original stack trace for ...") start at the script, as they
    did under `python SCRIPT.py`: without python -m's, the runner's and its restored internals'
    frames."""

    RUNNER_FILES = frozenset((__file__, os.path.join(os.path.dirname(__file__), '__main__.py'),
                              '<frozen runpy>', runpy.__file__, restored_internals.__file__))

    def get_filtered_filenames(self):
        return self.RUNNER_FILES | self.parent.get_filtered_filenames()


def _report(error, script):
    """Print the error as Python would, from the script's first frame on (not the
    runner's, nor the import mapping's); ONE_LINE_ERRORS as one line at the script's line."""
    tb = error.__traceback__
    while tb is not None and tb.tb_frame.f_code.co_filename != script:
        tb = tb.tb_next
    report = traceback.TracebackException(type(error), error, tb or error.__traceback__)
    if isinstance(error, ONE_LINE_ERRORS):
        frames = [frame for frame in report.stack if not _is_import_plumbing(frame.filename)]
        user_frames = [frame for frame in frames if importer.is_mapped_file(frame.filename)]
        where = (user_frames or frames)[-1]
        print('%s:%d: %s' % (where.filename, where.lineno, error), file=sys.stderr)
        return
    _hide_import_plumbing(report)
    print(''.join(report.format()), end='', file=sys.stderr)


def _hide_import_plumbing(report):
    """Drop the frames of imports from `report` and the exceptions chained to it: Python
    hides importlib's own, and tf1's import mapping stands in the same place."""
    while report is not None:
        report.stack = traceback.StackSummary.from_list(
            [frame for frame in report.stack if not _is_import_plumbing(frame.filename)])
        report = report.__cause__ or report.__context__


def _is_import_plumbing(filename):
    return filename.startswith('<frozen importlib') or filename in _PLUMBING


# tf1's import mapping, and its tf.app.run, which wraps TensorFlow's (whose own frames
# stay, as under TF 1.x).
_PLUMBING = {os.path.join(os.path.dirname(importer.__file__), name)
             for name in ('importer.py', 'api.py', 'app.py')}
