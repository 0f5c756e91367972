"""Print the README's table of trained models from their model/NAME/model.json files.

    python scripts/model_table.py [--model_dir model]
"""
import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from graphs import records  # noqa: E402  (needs the project on the path)


def row(metadata):
    name, flags = metadata['model'], metadata['flags']
    target = records.TARGETS.get(name)
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
    for name in records.MODELS:
        metadata = records.read_metadata(os.path.join(flags.model_dir, name))
        if metadata:
            print(row(metadata))


if __name__ == '__main__':
    main()
