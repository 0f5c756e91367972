"""Writes tests/tf1_api_names.txt, the names of TF 1.x's `tensorflow` API that
tests/test_tf1_api_names.py looks up in tf1: every member of every module in TensorFlow's
v1 API goldens (tensorflow/tools/api/golden/v1/*.pbtxt of a TensorFlow source tree; TF
2.0's describe the v1 API TF 1.15 shipped, tf.contrib aside), one module per line,
`tensorflow.MODULE NAME NAME ...`; tf.raw_ops (the op wrappers, TensorFlow's own) left out.
And tests/tf1_api_members.txt, the same for the classes of the modules tf1 makes itself
(tf.layers, tf.nn.rnn_cell, tf.estimator), one class per line, which
tests/test_tf1_api_members.py looks up; and tests/tf1_api_argspecs.txt, the argument names
of every function and class (its __init__) of the API and of those classes' methods,
`tensorflow.PATH NAME ARG,ARG,...`, which tests/test_tf1_api_signatures.py compares with
tf1's own.

    python scripts/tf1_api_names.py TENSORFLOW_SOURCE/tensorflow/tools/api/golden/v1
"""
import argparse
import glob
import os
import re
import sys

TESTS = os.path.join(os.path.dirname(__file__), '..', 'tests')
OUTPUT = os.path.join(TESTS, 'tf1_api_names.txt')
CLASS_OUTPUT = os.path.join(TESTS, 'tf1_api_members.txt')
ARGSPEC_OUTPUT = os.path.join(TESTS, 'tf1_api_argspecs.txt')
# The modules tf1 makes itself.
CLASS_MODULES = ('tensorflow.layers', 'tensorflow.nn.rnn_cell', 'tensorflow.estimator',
                 'tensorflow.estimator.experimental', 'tensorflow.estimator.export',
                 'tensorflow.estimator.tpu')


def read_goldens(golden_dir):
    """{path: golden file's text} of every golden file, read once."""
    goldens = {}
    for path in sorted(glob.glob(os.path.join(golden_dir, '*.pbtxt'))):
        with open(path) as golden:
            text = golden.read()
        goldens[re.search(r'path: "([^"]+)"', text).group(1)] = text
    return goldens


def golden_members(goldens, kind):
    """{path: [member names]} of the golden files that describe a `kind` (tf_module,
    tf_class)."""
    return {dotted: re.findall(r'member(?:_method)? \{\s*name: "([^"]+)"', text)
            for dotted, text in goldens.items() if kind + ' {' in text}


def golden_argspecs(goldens):
    """{(path, name): [argument names]} of every module's functions and every class's
    __init__, and every method of the classes of CLASS_MODULES (self left out), tf.raw_ops
    aside."""
    argspecs = {}
    for dotted, text in goldens.items():
        is_class = 'tf_class {' in text
        if dotted.startswith('tensorflow.raw_ops'):
            continue
        for name, spec in re.findall(
                r'member_method \{\s*name: "([^"]+)"\s*argspec: "([^"]*)"', text):
            if (not is_class or name == '__init__'
                    or dotted.rsplit('.', 1)[0] in CLASS_MODULES):
                args = re.findall(r"\\'(\w+)\\'", re.search(r'args=\[(.*?)\]', spec).group(1))
                # self, cls, or `instance` (a decorated method's wrapper's name for it)
                argspecs[dotted, name] = args[1:] if is_class and args[:1] in (
                    ['self'], ['cls'], ['instance']) else args
    return argspecs


def write(output, members):
    with open(output, 'w') as lines:
        for dotted, names in sorted(members.items()):
            lines.write(' '.join([dotted] + names) + '\n')
    print('%d names of %d written to %s' % (
        sum(map(len, members.values())), len(members), os.path.normpath(output)))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('golden_dir', help='tensorflow/tools/api/golden/v1 of a TF source tree')
    args = parser.parse_args()
    goldens = read_goldens(args.golden_dir)
    modules = golden_members(goldens, 'tf_module')
    if not modules:
        sys.exit('tf1_api_names: no module goldens (*.pbtxt with tf_module) in %s'
                 % args.golden_dir)
    modules.pop('tensorflow.raw_ops', None)
    write(OUTPUT, modules)
    classes = golden_members(goldens, 'tf_class')
    write(CLASS_OUTPUT, {dotted: names for dotted, names in classes.items()
                         if dotted.rsplit('.', 1)[0] in CLASS_MODULES})  # not __metaclass__
    with open(ARGSPEC_OUTPUT, 'w') as lines:
        for (dotted, name), names in sorted(golden_argspecs(goldens).items()):
            lines.write('%s %s %s\n' % (dotted, name, ','.join(names)))


if __name__ == '__main__':
    main()
