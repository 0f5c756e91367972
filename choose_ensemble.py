"""Choose how the predict server combines the models, on the validation split; write
model/ensemble.json.

    python choose_ensemble.py [--model_dir model] [--models nn,cnn] [--data_dir DIR]
                              [--validation_size 5000]

Every model/NAME/ is loaded as the server loads it (serving/models.py: the tensor-name
contract alone) and run on the validation split, the first --validation_size training
images, which training held out. The plain mean of the models' probabilities is compared
there with weights chosen by greedy selection (graphs/ensemble.choose); the weighted one
is kept only when it is significantly better on images its weights were not chosen on.
The test set is then measured for the record only: it chooses nothing.

ensemble.json records the method, each member with the version and checkpoint it was
measured with and its weight, both candidates' accuracies, the date and this command. The
server uses it while exactly those versions are loaded (serving/ensemble.py)."""
import argparse
import datetime
import os
import sys

import numpy as np

from graphs import ensemble, input_data, precision, records
from graphs.messages import one_line
from serving import models as serving_models

BATCH = 1000  # images per session run: bounds memory, whatever the model


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0],
                                     formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    parser.add_argument('--model_dir', default='model', help='holds one NAME/ dir per model')
    parser.add_argument('--models', type=lambda text: [n for n in text.split(',') if n],
                        default=None, help='comma-separated members (default: every model)')
    parser.add_argument('--data_dir', default=None,
                        help='MNIST files (default $MNIST_DATA_DIR, else MNIST_data)')
    parser.add_argument('--validation_size', type=int, default=5000,
                        help='the first N training images: the split training held out')
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


def choose(models, mnist):
    """The record ensemble.json holds, after printing each member's and each candidate's
    accuracy."""
    validation, test = mnist.validation, mnist.test
    members, on_validation, on_test = [], [], []
    for name, model in models.items():
        on_validation.append(probabilities(model, validation.images))
        on_test.append(probabilities(model, test.images))
        members.append({'name': name, 'version': model.version,
                        'global_step': model.global_step,
                        'checkpoint': os.path.basename(model.checkpoint),
                        'precision': model.precision,
                        'validation_accuracy': ensemble.accuracy(on_validation[-1],
                                                                 validation.labels),
                        'test_accuracy': ensemble.accuracy(on_test[-1], test.labels)})
        print('%-10s validation %.2f%%  test %.2f%%' % (
            name, 100 * members[-1]['validation_accuracy'], 100 * members[-1]['test_accuracy']),
            flush=True)
    method, weights, evidence, reason = ensemble.choose(on_validation, validation.labels)
    candidates = {}
    for candidate, candidate_weights in (('mean', ensemble.equal_weights(len(members))),
                                         ('weighted', evidence['weighted'])):
        valid = ensemble.combine(on_validation, candidate_weights)
        tested = ensemble.combine(on_test, candidate_weights)
        candidates[candidate] = {
            'weights': {m['name']: round(float(w), 6)
                        for m, w in zip(members, candidate_weights)},
            'validation_accuracy': ensemble.accuracy(valid, validation.labels),
            'validation_log_loss': round(ensemble.log_loss(valid, validation.labels), 6),
            'test_accuracy': ensemble.accuracy(tested, test.labels)}
        print('%-10s validation %.2f%%  test %.2f%%  weights %s' % (
            candidate, 100 * candidates[candidate]['validation_accuracy'],
            100 * candidates[candidate]['test_accuracy'], ', '.join(
                '%s %.2f' % item for item in candidates[candidate]['weights'].items())),
            flush=True)
    for member, weight in zip(members, weights):
        member['weight'] = round(float(weight), 6)
    return {'method': method, 'reason': reason, 'members': members,
            'validation_size': validation.num_examples,
            'validation_accuracy': candidates[method]['validation_accuracy'],
            'test_accuracy': candidates[method]['test_accuracy'],
            'candidates': candidates,
            'out_of_fold': {'log_loss_gain_z': evidence['z'],
                            'weighted_better': evidence['better'],
                            'weighted_worse': evidence['worse']},
            'date': datetime.datetime.now(datetime.timezone.utc).isoformat(timespec='seconds'),
            'command': ' '.join(['python'] + sys.argv)}


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
    record = choose(models, mnist)
    path = os.path.join(flags.model_dir, ensemble.RECORD_FILE)
    records.write_json_atomically(path, record)  # the server may be reading it
    print('Chose %s\nWrote %s: validation %.2f%%, test %.2f%%' % (
        record['reason'], path, 100 * record['validation_accuracy'],
        100 * record['test_accuracy']), flush=True)
    for model in models.values():
        model.close()


if __name__ == '__main__':
    main()
