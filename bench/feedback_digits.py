"""Accuracy on the drawings people corrected on the page: every model the server serves
(the ensemble too, when it serves one), on the feedback set POST /feedback keeps.

    python bench/feedback_digits.py --data user_data [--model_dir model | --url URL]

Each drawing is sent as it was drawn (feedback-drawings-idx3-ubyte) through POST /predict
with the server's normalisation, as the page sends it; a set without drawings is sent as
its normalised images. Two figures per model: on the held-out part of the set (one record
in five, graphs/extra_data.HELD_OUT_EVERY, which --extra_data never trains on), and on
every drawing, given only for models whose model.json (in --model_dir) shows they were
not trained on extra data (for the ensemble: none of its members): a model fine-tuned on
the drawings is measured on the held-out ones alone. Without --url it starts predict_server.py on a free port for --model_dir.

Writes bench/results/feedback_digits.json and .md, and prints the table.
"""
import argparse
import datetime
import json
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from drawn_digits import Client, start_server  # noqa: E402  (this directory)
from graphs import extra_data, input_data, records  # noqa: E402  (needs ROOT on the path)


def read_feedback(directory):
    """{part: (pixels [N, 784] 0..255, labels [N], preprocess)} for 'all' and 'held_out':
    the drawings as sent, to be normalised by the server, or else the normalised images."""
    try:
        extra, drawings = extra_data.read_extra_data(directory, 'drawings'), True
    except input_data.MnistDataError:  # a set without drawings (or none: reading says so)
        extra, drawings = extra_data.read_extra_data(directory, 'images'), False
    parts = {}
    for part in ('all', 'held_out'):
        images, labels = extra.part(part)
        parts[part] = (images.reshape(-1, 784), labels, drawings)
    return parts


def accuracy(client, pixels, labels, preprocess):
    """{model: accuracy} over the images, None for every model when there are none."""
    correct = {}
    for image, label in zip(pixels, labels):
        answer = client.call('POST', '/predict', {'image': image.tolist(), 'max_value': 255,
                                                  'preprocess': preprocess})
        for result in answer['models']:
            correct[result['name']] = correct.get(result['name'], 0) + (
                result['prediction'] == label)
    return {name: count / len(labels) for name, count in correct.items()}


def trained_on_extra_data(model_dir, model):
    """The --extra_data a served model (as GET /models describes it), or any member of the
    ensemble, was trained with, per model_dir/NAME/model.json; None when none."""
    for name in model.get('members') or [model['name']]:
        flags = records.read_metadata(os.path.join(model_dir, name)).get('flags') or {}
        if flags.get('extra_data'):
            return flags['extra_data']
    return None


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--data', default='user_data', help='the feedback set (--feedback_dir)')
    parser.add_argument('--url', help='a running predict_server.py (default: start one)')
    parser.add_argument('--model_dir', default=os.path.join(ROOT, 'model'),
                        help="the models' directories, for their model.json (and to serve)")
    parser.add_argument('--results_dir', default=os.path.join(ROOT, 'bench', 'results'))
    flags = parser.parse_args()
    try:
        parts = read_feedback(flags.data)
    except input_data.MnistDataError as error:
        sys.exit('error: %s' % error)
    total, held_out = len(parts['all'][1]), len(parts['held_out'][1])

    process, url = (None, flags.url) if flags.url else start_server(flags.model_dir)
    try:
        client = Client(url)
        models = client.call('GET', '/models')['models']
        scores = {part: accuracy(client, *parts[part]) if len(parts[part][1]) else {}
                  for part in parts}
    finally:
        if process:
            process.terminate()
            process.wait()

    rows, report = [], {}
    for model in models:
        name, trained_on = model['name'], trained_on_extra_data(flags.model_dir, model)
        figures = {'held_out': scores['held_out'].get(name),
                   'all': None if trained_on else scores['all'].get(name),
                   'trained_on_extra_data': trained_on}
        report[name] = figures
        rows.append('| %s | %s | %s | %s |' % (name, *(
            '–' if figures[part] is None else '%.1f' % (100 * figures[part])
            for part in ('held_out', 'all')), trained_on or 'no'))
    table = '\n'.join(['| model | held out (%d) | all (%d) | trained on extra data |'
                       % (held_out, total), '| --- | ---: | ---: | --- |'] + rows)
    os.makedirs(flags.results_dir, exist_ok=True)
    command = ' '.join(['python'] + sys.argv)
    date = datetime.datetime.now().isoformat(timespec='seconds')
    with open(os.path.join(flags.results_dir, 'feedback_digits.json'), 'w') as f:
        json.dump({'command': command, 'date': date, 'data': flags.data, 'drawings': total,
                   'held_out': held_out, 'accuracy': report}, f, indent=2)
    with open(os.path.join(flags.results_dir, 'feedback_digits.md'), 'w') as f:
        f.write('# Accuracy on the corrected drawings\n\n`%s`, %s.\n\n%s\n' % (
            command, date, table))
    print('Accuracy %% on %d corrected drawings (%d held out):\n\n%s\n\nWritten to '
          '%s/feedback_digits.{json,md}' % (total, held_out, table, flags.results_dir))


if __name__ == '__main__':
    main()
