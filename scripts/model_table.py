"""Print the README's table of trained models from their model/NAME/model.json files.

    python scripts/model_table.py [--model_dir model]
"""
import argparse
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from graphs import records  # noqa: E402  (needs the project on the path)


def verdict(accuracy, target):
    return '' if target is None or accuracy is None else ' ✓' if accuracy >= target else ' ✗'


def row(metadata):
    """One table row. An imported model (import_checkpoint.py) has no batch size, and a
    test accuracy only when imported with --data_dir; a model trained before --precision
    existed records none: those cells show –."""
    name, batch_size = metadata['model'], metadata['flags'].get('batch_size')
    target, accuracy = records.TARGETS.get(name), metadata['test_accuracy']
    seconds, rate = metadata['training_seconds'], metadata['images_per_second']
    return '| %s | `%s` | %s%s | %s | %s%s | %s | %s | %s |' % (
        name, metadata['command'], format(metadata['global_step'], ','),
        '' if batch_size is None else ' × %d' % batch_size,
        '–' if accuracy is None else '**%.2f%%**' % (100 * accuracy),
        '≥ %.1f%%' % (100 * target) if target else '–',
        verdict(accuracy, target), '–' if seconds is None else '%.0f s' % seconds,
        '–' if rate is None else format(round(rate), ','), metadata.get('precision', '–'))


def ensemble_row(record):
    """The ensemble's row, from model/ensemble.json: how it combines which models (by
    weight), and its test accuracy; it is not trained, so steps, time, rate: –."""
    members = sorted((member for member in record['members'] if member['weight'] > 0),
                     key=lambda member: -member['weight'])
    accuracy, target = record['test_accuracy'], records.ENSEMBLE_TARGET
    return '| ensemble | `%s` (%s: %s) | – | **%.2f%%** | ≥ %.1f%%%s | – | – | – |' % (
        record['command'], record['method'], ', '.join(m['name'] for m in members),
        100 * accuracy, 100 * target, verdict(accuracy, target))


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument('--model_dir', default='model')
    flags = parser.parse_args()
    for name in records.MODELS:
        metadata = records.read_metadata(os.path.join(flags.model_dir, name))
        if metadata:
            print(row(metadata))
    try:
        with open(os.path.join(flags.model_dir, 'ensemble.json')) as f:
            print(ensemble_row(json.load(f)))
    except (OSError, ValueError, KeyError, TypeError):
        pass  # no ensemble chosen (or a damaged record, which the server reports)


if __name__ == '__main__':
    main()
