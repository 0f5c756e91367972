"""Writes tests/tf1_api_names.txt, the names of TF 1.x's `tensorflow` API that
tests/test_tf1_api_names.py looks up in tf1: every member of every module in TensorFlow's
v1 API goldens (tensorflow/tools/api/golden/v1/*.pbtxt of a TensorFlow source tree; TF
2.0's describe the v1 API TF 1.15 shipped, tf.contrib aside), one module per line,
`tensorflow.MODULE NAME NAME ...`; tf.raw_ops (the op wrappers, TensorFlow's own) left out.

    python scripts/tf1_api_names.py TENSORFLOW_SOURCE/tensorflow/tools/api/golden/v1
"""
import argparse
import glob
import os
import re
import sys

OUTPUT = os.path.join(os.path.dirname(__file__), '..', 'tests', 'tf1_api_names.txt')


def module_members(golden_dir):
    """{module path: [member names]} of the golden files that describe modules."""
    modules = {}
    for path in sorted(glob.glob(os.path.join(golden_dir, '*.pbtxt'))):
        with open(path) as golden:
            text = golden.read()
        if 'tf_module {' not in text:
            continue  # a class or a proto
        module = re.search(r'path: "([^"]+)"', text).group(1)
        if module != 'tensorflow.raw_ops':
            modules[module] = re.findall(r'member(?:_method)? \{\s*name: "([^"]+)"', text)
    return modules


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('golden_dir', help='tensorflow/tools/api/golden/v1 of a TF source tree')
    args = parser.parse_args()
    modules = module_members(args.golden_dir)
    if not modules:
        sys.exit('tf1_api_names: no module goldens (*.pbtxt with tf_module) in %s'
                 % args.golden_dir)
    with open(OUTPUT, 'w') as output:
        for module, names in sorted(modules.items()):
            output.write(' '.join([module] + names) + '\n')
    print('%d names of %d modules written to %s' % (
        sum(map(len, modules.values())), len(modules), os.path.normpath(OUTPUT)))


if __name__ == '__main__':
    main()
