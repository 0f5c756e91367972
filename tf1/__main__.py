"""python -m tf1 [--mnist_dir DIR] [--tf1_package NAME] SCRIPT.py [the script's own arguments]
python -m tf1 [--mnist_dir DIR] [--tf1_package NAME] -m MODULE [the module's own arguments]"""
import argparse
import os
import sys

# Before TensorFlow is imported: its C++ runtime reads this once, at load. It hides the
# runtime's INFO and WARNING lines (those of its very start-up are printed before it is
# read); errors still show, and an explicit setting wins.
os.environ.setdefault('TF_CPP_MIN_LOG_LEVEL', '2')


def main():
    parser = argparse.ArgumentParser(
        prog='python -m tf1',
        description='Run a TensorFlow 1.x script unchanged on TensorFlow 2.x: inside it '
                    '(and in modules it imports from its own directory) `import tensorflow '
                    'as tf` gives the TF 1.x API.')
    parser.add_argument('--mnist_dir', metavar='DIR',
                        help='read MNIST from DIR in every read_data_sets() call, whatever '
                             'directory the script names (same as $MNIST_DATA_DIR)')
    parser.add_argument('--tf1_package', metavar='NAME', action='append', default=[],
                        help='an installed package made for TF 1.x (kfac, tensorflow_privacy '
                             '...) whose `import tensorflow` should give the TF 1.x API too; '
                             'repeat for more (same as $TF1_PACKAGES, comma-separated)')
    parser.add_argument('-m', dest='module', metavar='MODULE',
                        help='run a module of a package as `python -m MODULE` did (e.g. '
                             'nmt.nmt, whose relative imports need it); the arguments after '
                             'it are its own')
    parser.add_argument('script', nargs='?', help='the TF 1.x script to run')
    parser.add_argument('args', nargs=argparse.REMAINDER,
                        help="the script's own arguments, passed on as they are")
    argv = sys.argv[1:]
    split = _runner_arguments(argv)
    flags = parser.parse_args(argv[:split])
    if flags.module is None and flags.script is None:
        parser.error('a script or -m MODULE is required')
    if flags.mnist_dir:
        os.environ['MNIST_DATA_DIR'] = flags.mnist_dir
    from tf1 import importer
    from_environment = importer.named_packages()
    from_flags = importer.named_packages(flags.tf1_package)
    for option, names in (('$TF1_PACKAGES', from_environment), ('--tf1_package', from_flags)):
        for name in names:
            error = importer.package_error(name)
            if error:
                parser.error('%s: %s' % (option, error))
    named = from_environment + from_flags
    if named:
        os.environ['TF1_PACKAGES'] = ','.join(dict.fromkeys(named))  # each once, in order

    from tf1 import runner
    if flags.module is not None:
        return runner.run_module(flags.module, ([flags.script] if flags.script else []) +
                                 flags.args + argv[split:])
    return runner.run(flags.script, flags.args)


def _runner_arguments(argv):
    """How many of `argv` are the runner's: its options up to the script's name, or up to
    `-m MODULE` (as with `python -m MODULE`, everything after the module's name is the
    module's, a `-m` among them too)."""
    i = 0
    while i < len(argv):
        if argv[i] == '-m':
            return i + 2
        if argv[i] in ('--mnist_dir', '--tf1_package'):
            i += 2
        elif argv[i].startswith(('--mnist_dir=', '--tf1_package=')) or argv[i] in ('-h',
                                                                                    '--help'):
            i += 1
        else:
            break  # the script's name: argparse hands the rest to it
    return len(argv)


if __name__ == '__main__':
    sys.exit(main())
