"""The official TF 1.x MNIST tutorials, run in full and unchanged through `python -m tf1`.

For each script of ../shared/tf1_examples: the accuracy it prints at the end against the
result its tutorial documents, and its wall time (interpreter start to exit, TensorFlow's
import included). Nothing is substituted: 1,000 steps of mnist_softmax, 20,000 of
mnist_deep, and so on.

    python bench/tf1_tutorials.py [--data_dir ../shared/mnist] [--scripts a.py,b.py]
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
EXAMPLES = os.path.join(ROOT, '..', 'shared', 'tf1_examples')

# script -> (what its last accuracy line looks like, the documented result)
TUTORIALS = {
    'mnist_softmax.py': (r'^([\d.]+)$', 'about 92%'),
    'mnist_deep.py': (r'^test accuracy ([\d.]+)$', 'approximately 99.2%'),
    'mnist_with_summaries.py': (r'^Accuracy at step \d+: ([\d.]+)$', '–'),
    'fully_connected_feed.py': (r'Precision @ 1: ([\d.]+)$', '–'),
    'mnist_softmax_xla.py': (r'^([\d.]+)$', '–'),
}


def run(script, data_dir, work_dir):
    shutil.copy(os.path.join(EXAMPLES, script), work_dir)
    if script == 'fully_connected_feed.py':
        shutil.copy(os.path.join(EXAMPLES, 'mnist.py'), work_dir)
    env = dict(os.environ, PYTHONPATH=ROOT, MNIST_DATA_DIR=data_dir)
    args = [sys.executable, '-m', 'tf1', script]
    if script in ('mnist_with_summaries.py', 'fully_connected_feed.py'):
        args += ['--log_dir', os.path.join(work_dir, 'logs')]
    start = time.time()
    result = subprocess.run(args, cwd=work_dir, env=env, capture_output=True, text=True)
    seconds = time.time() - start
    if result.returncode != 0:
        return None, seconds, result.stderr.strip().splitlines()[-1]
    pattern, _ = TUTORIALS[script]
    found = re.findall(pattern, result.stdout, re.M)
    return float(found[-1]) if found else None, seconds, ''


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--data_dir', default=os.environ.get(
        'MNIST_DATA_DIR', os.path.join(ROOT, '..', 'shared', 'mnist')))
    parser.add_argument('--scripts', default=','.join(TUTORIALS))
    flags = parser.parse_args()
    print('| script | accuracy printed (last line; test set) | documented | wall time |')
    print('| --- | --- | --- | --- |')
    for script in flags.scripts.split(','):
        with tempfile.TemporaryDirectory() as work_dir:
            accuracy, seconds, error = run(script, os.path.abspath(flags.data_dir), work_dir)
        shown = 'failed: ' + error if accuracy is None else '%.2f%%' % (100 * accuracy)
        print('| %s | %s | %s | %.0f s |' % (script, shown, TUTORIALS[script][1], seconds),
              flush=True)


if __name__ == '__main__':
    main()
