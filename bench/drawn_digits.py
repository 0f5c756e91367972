"""Accuracy on digits drawn the way people draw them, with and without the server's
MNIST-style normalisation.

    python bench/drawn_digits.py [--model_dir model | --url http://127.0.0.1:8888]
                                 [--data_dir ../shared/mnist] [--count 1000] [--seed 0]
                                 [--split test|validation]

The users of the original apps found that real drawings were recognised far worse than
the test accuracy promised: their digits were binary (the grid has no grey), thin or thick,
small or large, and rarely centred. This takes MNIST test digits, redraws them in those
ways, sends every one through POST /predict twice (preprocess off and on) and reports each
model's accuracy, and the ensemble's (the models combined, serving/ensemble.py: the server
answers it whenever two models or more are loaded, GET /models lists it last). Without
--url it starts predict_server.py on a free port for --model_dir.

Writes bench/results/drawn_digits.json and .md, and prints the table.
"""
import argparse
import datetime
import http.client
import json
import os
import subprocess
import sys
import time
from urllib.parse import urlsplit

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from graphs import augment, imageops, input_data  # noqa: E402  (needs ROOT on the path)
from graphs.drawings import binarise, drawn_like_people, place  # noqa: E402
from graphs.contract import IMAGE_SIZE  # noqa: E402

SERVER_START_TIMEOUT_S = 120


# ---------------------------------------------------------------------------- drawings

# name → (description, function(image [28, 28], rng) → image [28, 28])
CONDITIONS = {
    'mnist': ('the test image as it is', lambda image, rng: image),
    'binarised': ('ink 0/1, as the 28×28 grid draws', lambda image, rng: binarise(image)),
    'thin': ('binarised, strokes 1 px thinner',
             lambda image, rng: binarise(imageops.adjust_strokes(binarise(image), -1.0))),
    'thick': ('binarised, strokes 2 px thicker',
              lambda image, rng: binarise(imageops.adjust_strokes(binarise(image), 2.0))),
    'small': ('binarised, half size, anywhere in the frame',
              lambda image, rng: place(binarise(image), 0.5, rng)),
    'large': ('binarised, 1.3× size (fills the frame)',
              lambda image, rng: place(binarise(image), 1.3, rng)),
    'off-centre': ('binarised, pushed against an edge or corner',
                   lambda image, rng: place(binarise(image), 1.0, rng, 'edge')),
    'drawn': ('all of the above at random, plus ±10° slant', drawn_like_people),
    # graphs/augment.py's distortions, each on every image: every shipped model but
    # regression trains with affine and elastic, and with strokes (thin, thick above) and
    # lowres; no model sees shear or blur (generalisation, not memory).
    'affine': ('trained with: random rotation, scale and shift (augment affine)',
               lambda image, rng: distorted(image, rng, 'affine')),
    'elastic': ("trained with: a hand's wobble, Simard's elastic field (augment elastic)",
                lambda image, rng: distorted(image, rng, 'elastic')),
    'slanted': ('not trained with: sheared up to ±17° (augment shear)',
                lambda image, rng: distorted(image, rng, 'shear')),
    'blurred': ('not trained with: a soft pen, Gaussian blur (augment blur)',
                lambda image, rng: distorted(image, rng, 'blur')),
    'low-res': ('all but regression train with it: drawn at 14-20 pixels, half in '
                'binary cells, and scaled up (augment lowres)',
                lambda image, rng: distorted(image, rng, 'lowres')),
}


def distorted(image, rng, kind):
    """`image` under one of graphs/augment.py's distortions, with certainty."""
    return augment.distort(image[None], rng, kinds=(kind,), probability=1.0)[0]


# ---------------------------------------------------------------------------- the server

def start_server(model_dir):
    """predict_server.py on a free port; returns (process, url) once it is serving."""
    process = subprocess.Popen(
        [sys.executable, os.path.join(ROOT, 'predict_server.py'), '--port', '0',
         '--model_dir', model_dir], cwd=ROOT, stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL, text=True)
    deadline = time.time() + SERVER_START_TIMEOUT_S
    for line in process.stdout:
        print('  server: ' + line.rstrip())
        if line.startswith('Serving'):
            return process, line.split(' at ')[1].split()[0]
        if time.time() > deadline:
            break
    process.kill()
    sys.exit('error: predict_server.py did not start (see the lines above)')


class Client:
    """One keep-alive connection to the server."""

    def __init__(self, url):
        parts = urlsplit(url)
        self.connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)

    def call(self, method, path, payload=None):
        body = None if payload is None else json.dumps(payload)
        self.connection.request(method, path, body=body)
        response = self.connection.getresponse()
        answer = json.loads(response.read())
        if response.status != 200:
            sys.exit('error: %s %s answered %d: %s' % (method, path, response.status,
                                                       answer.get('error')))
        return answer


# ---------------------------------------------------------------------------- benchmark

def measure(client, images, labels, model_names):
    """{model: {'raw': accuracy, 'preprocessed': accuracy}} over the images."""
    correct = {name: {'raw': 0, 'preprocessed': 0} for name in model_names}
    for image, label in zip(images, labels):
        pixels = np.round(image.ravel() * 255).astype(int).tolist()
        for key, preprocess in (('raw', False), ('preprocessed', True)):
            answer = client.call('POST', '/predict', {'image': pixels, 'max_value': 255,
                                                      'preprocess': preprocess})
            for result in answer['models']:
                correct[result['name']][key] += result['prediction'] == label
    return {name: {key: count / len(images) for key, count in counts.items()}
            for name, counts in correct.items()}


def markdown_table(results, model_names):
    lines = ['| condition | ' + ' | '.join(model_names) + ' |',
             '| --- |' + ' ---: |' * len(model_names)]
    for condition, by_model in results.items():
        cells = ['%.1f → **%.1f**' % (100 * by_model[name]['raw'],
                                      100 * by_model[name]['preprocessed'])
                 for name in model_names]
        lines.append('| %s | %s |' % (condition, ' | '.join(cells)))
    return '\n'.join(lines)


def write_results(results_dir, report, table):
    os.makedirs(results_dir, exist_ok=True)
    with open(os.path.join(results_dir, 'drawn_digits.json'), 'w') as f:
        json.dump(report, f, indent=2)
    legend = '\n'.join('- **%s**: %s' % (name, description)
                       for name, (description, _) in CONDITIONS.items())
    with open(os.path.join(results_dir, 'drawn_digits.md'), 'w') as f:
        f.write('# Accuracy on drawn digits\n\n`%s`, %s, %d test digits per condition, '
                'seed %d.\n\nEach cell: accuracy %% without → **with** preprocessing.\n\n'
                '%s\n\n%s\n' % (report['command'], report['date'], report['count'],
                                report['seed'], table, legend))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--url', help='a running predict_server.py (default: start one)')
    parser.add_argument('--model_dir', default=os.path.join(ROOT, 'model'))
    parser.add_argument('--data_dir', default=None,
                        help='MNIST files (default $MNIST_DATA_DIR, else MNIST_data)')
    parser.add_argument('--count', type=int, default=1000, help='digits per condition')
    parser.add_argument('--split', choices=('test', 'validation'), default='test',
                        help='the digits redrawn: the test set, or the 5,000 training '
                             'images held out for validation (what chooses defaults)')
    parser.add_argument('--seed', type=int, default=0)
    parser.add_argument('--results_dir', default=os.path.join(ROOT, 'bench', 'results'))
    flags = parser.parse_args()

    # The test split needs no training images; the validation split is the loader's
    # default one, which the training scripts hold out too.
    held_out = {'validation_size': 0} if flags.split == 'test' else {}
    try:
        split = getattr(input_data.read_data_sets(flags.data_dir, **held_out), flags.split)
    except ValueError as error:
        parser.error('--split %s: %s' % (flags.split, error))
    images = split.images[:flags.count].reshape(-1, IMAGE_SIZE, IMAGE_SIZE)
    labels = split.labels[:flags.count]
    process, url = (None, flags.url) if flags.url else start_server(flags.model_dir)
    try:
        client = Client(url)
        model_names = [model['name'] for model in client.call('GET', '/models')['models']]
        results = {}
        for condition, (description, redraw) in CONDITIONS.items():
            rng = np.random.RandomState(flags.seed)
            started = time.time()
            drawn = np.stack([redraw(image, rng) for image in images])
            results[condition] = measure(client, drawn, labels, model_names)
            print('%-11s %s  (%.0f s)' % (condition, '  '.join(
                '%s %.1f→%.1f' % (name, 100 * r['raw'], 100 * r['preprocessed'])
                for name, r in results[condition].items()), time.time() - started), flush=True)
    finally:
        if process:
            process.terminate()
            process.wait()

    table = markdown_table(results, model_names)
    report = {'command': ' '.join(['python'] + sys.argv), 'count': len(images),
              'split': flags.split,
              'seed': flags.seed, 'date': datetime.datetime.now().isoformat(timespec='seconds'),
              'conditions': {name: description for name, (description, _) in CONDITIONS.items()},
              'accuracy': results}
    write_results(flags.results_dir, report, table)
    print('\nAccuracy %% without → with preprocessing (%d %s digits per condition):\n\n%s\n\n'
          'Written to %s/drawn_digits.{json,md}' % (len(images), flags.split, table,
                                                     flags.results_dir))


if __name__ == '__main__':
    main()
