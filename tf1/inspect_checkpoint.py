"""tensorflow.python.tools.inspect_checkpoint's print_tensors_in_checkpoint_file as TF 1.x
printed (`tensor_name:  v1`, then the value: what the TF 1.x guides show); TF 2.x prints
`tensor: v1 (float32) [3]` instead. The rest of the module is TensorFlow's; its command line,
`python -m tf1 -m tensorflow.python.tools.inspect_checkpoint --file_name=...`, runs this
module's, TF 1.15's flags printing TF 1.x's way."""
import argparse
import sys

import numpy as np
from absl import app, flags as absl_flags

from tensorflow.python.tools import inspect_checkpoint as _tf_inspect_checkpoint
from tensorflow.python.training import py_checkpoint_reader


def print_tensors_in_checkpoint_file(file_name, tensor_name, all_tensors,
                                     all_tensor_names=False, count_exclude_pattern=''):
    """Prints the tensors of a checkpoint: every name (and value, with all_tensors), or
    `tensor_name`'s value, or without either the checkpoint's debug string; then the
    number of parameters."""
    try:
        reader = py_checkpoint_reader.NewCheckpointReader(file_name)
        if all_tensors or all_tensor_names:
            for key in sorted(reader.get_variable_to_shape_map()):
                print('tensor_name: ', key)
                if all_tensors:
                    print(reader.get_tensor(key))
        elif not tensor_name:
            print(reader.debug_string().decode('utf-8'))
        else:
            print('tensor_name: ', tensor_name)
            print(reader.get_tensor(tensor_name))
        print('# Total number of params: %d' % _tf_inspect_checkpoint._count_total_params(
            reader, count_exclude_pattern=count_exclude_pattern))
    except Exception as error:  # as TF 1.x: the reason printed, with a hint where it helps
        print(str(error))
        if 'corrupted compressed block contents' in str(error):
            print("It's likely that your checkpoint file has been compressed with SNAPPY.")
        # TF 1.x's hint followed its status text, 'Data loss: ...'; TF 2.x's says DATA_LOSS
        # (and makes every unopenable table a DataLossError, a directory too: not the type).
        if any(text in str(error) for text in ('Data loss', 'DATA_LOSS')) and any(
                suffix in file_name for suffix in ('.index', '.meta', '.data')):
            print("\nIt's likely that this is a V2 checkpoint and you need to provide the "
                  "filename\n*prefix*.  Try removing the '.' and extension.  Try:\n"
                  "inspect checkpoint --file_name = {}".format(
                      '.'.join(file_name.split('.')[0:-1])))


def _main(flags):
    if not flags.file_name:
        print('Usage: inspect_checkpoint --file_name=checkpoint_file_name '
              '[--tensor_name=tensor_to_print] [--all_tensors] [--all_tensor_names] '
              '[--printoptions]')
        sys.exit(1)
    print_tensors_in_checkpoint_file(flags.file_name, flags.tensor_name, flags.all_tensors,
                                     flags.all_tensor_names,
                                     count_exclude_pattern=flags.count_exclude_pattern)


def _parser():
    """TF 1.15's flags: `--all_tensors` alone or `=True`; `--printoptions k=v ...` sets
    NumPy's print options as it parses them."""
    parser = argparse.ArgumentParser()
    parser.register('type', 'bool', lambda value: value.lower() == 'true')
    parser.add_argument('--file_name', type=str, default='',
                        help='Checkpoint filename (a V2 checkpoint: the files\' prefix).')
    parser.add_argument('--tensor_name', type=str, default='',
                        help='Name of the tensor to inspect')
    parser.add_argument('--count_exclude_pattern', type=str, default='',
                        help='Pattern to exclude tensors, e.g., from optimizers, when counting.')
    for flag, what in (('--all_tensors', 'the names and values of all the tensors'),
                       ('--all_tensor_names', 'the names of all the tensors')):
        parser.add_argument(flag, nargs='?', const=True, type='bool', default=False,
                            help='If True, print %s.' % what)
    parser.add_argument('--printoptions', nargs='*',
                        type=_numpy_printoption,
                        help="Argument for numpy.set_printoptions(), in the form 'k=v'.")
    return parser


def _numpy_printoption(kv_str):
    """TF 1.15's parse_numpy_printoption: sets NumPy's print option `k=v`, refusing (as an
    argparse error) what is not one. TF's own gives a bad value's reason as Python 2's
    `error.message`, an AttributeError traceback on Python 3: here the reason itself."""
    key, equals, text = kv_str.partition('=')
    if not key or not equals:
        raise argparse.ArgumentTypeError("'%s' is not in the form k=v." % kv_str)
    options = np.get_printoptions()
    if key not in options:
        raise argparse.ArgumentTypeError("'%s' is not a valid printoption." % key)
    # NumPy's `legacy` was False in TF 1.15's day: a boolean flag then, whatever tf1 set.
    value_type = bool if key == 'legacy' else type(options[key])
    if value_type is type(None):
        raise argparse.ArgumentTypeError(
            "Setting '%s' from the command line is not supported." % key)
    try:
        np.set_printoptions(**{key: absl_flags.BooleanParser().parse(text)
                               if value_type is bool else value_type(text)})
    except ValueError as error:  # a bad number or boolean, or one NumPy refuses
        raise argparse.ArgumentTypeError('%s: %s' % (kv_str, error.args[0] if error.args
                                                     else 'not a valid value'))


if __name__ == '__main__':
    FLAGS, unparsed = _parser().parse_known_args()
    app.run(main=lambda unused_argv: _main(FLAGS), argv=[sys.argv[0]] + unparsed)
