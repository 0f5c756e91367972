"""Choose how the predict server combines the models, on the validation split; write
model/ensemble.json.

    python choose_ensemble.py [--model_dir model] [--models nn,cnn] [--data_dir DIR]
                              [--validation_size 5000] [--no-drawings]

Every model/NAME/ is loaded as the server loads it (serving/models.py: the tensor-name
contract alone) and run on the validation split, the first --validation_size training
images, which training held out, and on the same images drawn the way people draw on the
page (graphs/drawings.py, as the server feeds them; --no-drawings leaves them out): the
ensemble answers the page, and the model best on MNIST is not the one best on drawings.
The plain mean of the models' probabilities is compared there with weights chosen by
greedy selection (graphs/ensemble.choose), a digit and its drawing in the same fold; the
weighted one is kept only when it is significantly better on images its weights were not
chosen on. The test set, as it is and drawn, is then measured for the record only: it
chooses nothing.

ensemble.json records the method, each member with the version and checkpoint it was
measured with (and the fingerprint of its weights, records.checkpoint_fingerprint) and its
weight, both candidates' accuracies, the date and this command. The
server uses it while exactly those versions are loaded (serving/ensemble.py)."""
import argparse
import datetime
import os
import sys

import numpy as np

from graphs import drawings, ensemble, flag_types, input_data, precision, records
from graphs.messages import one_line
from serving import models as serving_models

BATCH = 1000  # images per session run: bounds memory, whatever the model
DRAWING_SEED = 0  # the drawings of bench/drawn_digits.py's "drawn" row, for the test set


def parse_args(argv=None):
    parser = flag_types.ArgumentParser(description=__doc__.split('\n\n')[0],
                                       formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    parser.add_argument('--model_dir', default='model', help='holds one NAME/ dir per model')
    parser.add_argument('--models', type=lambda text: [n for n in text.split(',') if n],
                        default=None, help='comma-separated members (default: every model)')
    parser.add_argument('--data_dir', default=None,
                        help='MNIST files (default $MNIST_DATA_DIR, else MNIST_data)')
    parser.add_argument('--validation_size', type=int, default=5000,
                        help='the first N training images: the split training held out')
    parser.add_argument('--drawings', action=argparse.BooleanOptionalAction, default=True,
                        help='also weigh the models on the validation images drawn like '
                             "people (graphs/drawings.py), each image and its drawing once")
    parser.add_argument('--precision', choices=precision.CHOICES, default='auto',
                        help="each member's arithmetic, as predict_server.py's --precision: "
                             'the weights are chosen on the answers the server gives')
    return parser.parse_args(argv)


def probabilities(model, images):
    return np.concatenate([model.predict(images[start:start + BATCH])[0]
                           for start in range(0, len(images), BATCH)])


def check_held_out(models, validation_size):
    """A member trained on part of the split would look better on it than it is."""
    for name, model in models.items():
        held_out = model.metadata.get('flags', {}).get('validation_size')
        if isinstance(held_out, int) and held_out < validation_size:
            sys.exit('error: %s held out only the first %d training images, so it trained on '
                     'part of a validation split of %d; pass --validation_size %d'
                     % (name, held_out, validation_size, held_out))


def measured_sets(mnist, with_drawings):
    """{name: (images, labels)}: the validation split and the test set and, with
    drawings, each drawn like people as the server would feed it (graphs/drawings.py)."""
    sets = {'validation': (mnist.validation.images, mnist.validation.labels),
            'test': (mnist.test.images, mnist.test.labels)}
    if with_drawings:
        for name in ('validation', 'test'):
            images, labels = sets[name]
            sets['drawn_' + name] = (drawings.as_served(images, DRAWING_SEED), labels)
    return sets


def choose(models, mnist, with_drawings=True):
    """The record ensemble.json holds, after printing each member's and each candidate's
    accuracy on every set."""
    sets = measured_sets(mnist, with_drawings)
    members, answers = [], {name: [] for name in sets}  # answers[set][member]: [N, 10]
    for name, model in models.items():
        member = {'name': name, 'version': model.version, 'global_step': model.global_step,
                  'checkpoint': os.path.basename(model.checkpoint),
                  'fingerprint': model.fingerprint, 'precision': model.precision}
        for set_name, (images, labels) in sets.items():
            answers[set_name].append(probabilities(model, images))
            member[set_name + '_accuracy'] = ensemble.accuracy(answers[set_name][-1], labels)
        members.append(member)
        print('%-10s %s' % (name, percentages(member)), flush=True)

    # Weighed on the validation images, and on their drawings when asked: a digit and its
    # drawing in the same fold, so that out-of-fold weights never saw either.
    weighed = [set_name for set_name in ('validation', 'drawn_validation') if set_name in sets]
    chosen_on = [np.concatenate([answers[set_name][index] for set_name in weighed])
                 for index in range(len(members))]
    labels = np.concatenate([sets[set_name][1] for set_name in weighed])
    folds = np.tile(np.arange(len(sets['validation'][1])) % 2, len(weighed))
    method, weights, evidence, reason = ensemble.choose(chosen_on, labels, folds)

    candidates = {}
    for candidate, candidate_weights in (('mean', ensemble.equal_weights(len(members))),
                                         ('weighted', evidence['weighted'])):
        record = {'weights': {m['name']: round(float(w), 6)
                              for m, w in zip(members, candidate_weights)},
                  'log_loss': round(ensemble.log_loss(
                      ensemble.combine(chosen_on, candidate_weights), labels), 6)}
        for set_name, (_, set_labels) in sets.items():
            record[set_name + '_accuracy'] = ensemble.accuracy(
                ensemble.combine(answers[set_name], candidate_weights), set_labels)
        candidates[candidate] = record
        print('%-10s %s  weights %s' % (candidate, percentages(record), ', '.join(
            '%s %.2f' % item for item in record['weights'].items())), flush=True)
    for member, weight in zip(members, weights):
        member['weight'] = round(float(weight), 6)
    return {'method': method, 'reason': reason, 'members': members,
            'validation_size': mnist.validation.num_examples,
            'chosen_on': weighed,
            **{key: value for key, value in candidates[method].items()
               if key.endswith('_accuracy')},
            'candidates': candidates,
            'out_of_fold': {'log_loss_gain_z': evidence['z'],
                            'weighted_better': evidence['better'],
                            'weighted_worse': evidence['worse']},
            'date': datetime.datetime.now(datetime.timezone.utc).isoformat(timespec='seconds'),
            'command': ' '.join(['python'] + sys.argv)}


def percentages(record):
    """'validation 99.62%  test 99.64%  ...': a record's accuracy on each set."""
    return '  '.join('%s %.2f%%' % (key[:-len('_accuracy')].replace('_', ' '), 100 * value)
                     for key, value in record.items() if key.endswith('_accuracy'))


def main(argv=None):
    flags = parse_args(argv)
    serving_models.use_graph_mode()
    names = flags.models or records.model_names(flags.model_dir)
    models = serving_models.load_models(flags.model_dir, names, flags.precision)
    if len(models) < 2:
        sys.exit('error: an ensemble needs two models or more; loaded %d from %s/' % (
            len(models), flags.model_dir))
    check_held_out(models, flags.validation_size)
    try:
        mnist = input_data.read_data_sets(flags.data_dir, validation_size=flags.validation_size)
    except ValueError as error:  # MnistDataError, or a split larger than the data
        sys.exit('error: %s' % one_line(error))
    record = choose(models, mnist, flags.drawings)
    path = os.path.join(flags.model_dir, ensemble.RECORD_FILE)
    records.write_json_atomically(path, record)  # the server may be reading it
    print('Chose %s\nWrote %s: %s' % (record['reason'], path, percentages(record)), flush=True)
    for model in models.values():
        model.close()


if __name__ == '__main__':
    main()
