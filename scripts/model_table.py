"""Print the README's table of trained models from their model/NAME/model.json files.

    python scripts/model_table.py [--model_dir model]
"""
import argparse
import json
import os

# The targets for default flags (MNIST test set, 10,000 images).
TARGETS = {'regression': 0.915, 'nn': 0.98, 'cnn': 0.992, 'lstm': 0.985, 'cnn_lstm': 0.99,
           'lenet5': 0.99, 'crnn': 0.988}


def row(metadata):
    name, flags = metadata['model'], metadata['flags']
    target = TARGETS.get(name)
    verdict = '' if target is None else (' ✓' if metadata['test_accuracy'] >= target else ' ✗')
    seconds, rate = metadata['training_seconds'], metadata['images_per_second']
    return '| %s | `%s` | %s × %d | **%.2f%%** | %s%s | %s | %s |' % (
        name, metadata['command'], format(metadata['global_step'], ','), flags['batch_size'],
        100 * metadata['test_accuracy'], '≥ %.1f%%' % (100 * target) if target else '–',
        verdict, '–' if seconds is None else '%.0f s' % seconds,
        '–' if rate is None else format(round(rate), ','))


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument('--model_dir', default='model')
    flags = parser.parse_args()
    for name in TARGETS:
        path = os.path.join(flags.model_dir, name, 'model.json')
        if os.path.exists(path):
            print(row(json.load(open(path))))


if __name__ == '__main__':
    main()
