"""The ensemble: the models' answers combined into one, without TensorFlow. Shared by
choose_ensemble.py (which chooses the combination on the validation split and records it
in model/ensemble.json), the predict server (serving/ensemble.py) and the tests.

The combination is always a weighted mean of the members' probabilities,
    p(digit) = sum_i w_i p_i(digit) / sum_i w_i,
with equal weights ("mean") or weights chosen on the validation split ("weighted": greedy
selection with replacement, Caruana et al. 2004). A weighted mean of probabilities is
still a probability distribution, and a digit every member puts first stays first."""
import json
import math
import os
import stat

import numpy as np

from graphs.records import ENSEMBLE as NAME  # how the server names it, beside the models
RECORD_FILE = 'ensemble.json'  # in the model directory, beside model/NAME/
METHODS = ('mean', 'weighted')
# Greedy selection adds one member per step; the bag of the best step is kept.
GREEDY_STEPS = 50
# The weighted ensemble's log-loss must be lower than the mean's by this many standard
# errors on validation images its weights were not chosen on: below it the gain is noise.
SIGNIFICANCE_Z = 2.0
MAX_RECORD_BYTES = 1 << 20     # far more than any ensemble.json; a bigger file is not one
LOG_FLOOR = 1e-12              # log(0) would make one sure mistake weigh infinitely


# ---------------------------------------------------------------------------- the maths

def equal_weights(count):
    return np.full(count, 1.0 / count)


def combine(probabilities, weights):
    """The weighted mean of the members' probabilities: float32 [N, 10] from a list of
    [N, 10] arrays (one a member) and as many non-negative weights, not all 0."""
    weights = np.asarray(weights, np.float64)
    stacked = np.stack([np.asarray(p, np.float64) for p in probabilities])
    return np.tensordot(weights / weights.sum(), stacked, axes=1).astype(np.float32)


def accuracy(probabilities, labels):
    return float(np.mean(np.argmax(probabilities, axis=1) == labels))


def log_losses(probabilities, labels):
    """Each image's negative log-probability of its true digit."""
    chosen = probabilities[np.arange(len(labels)), labels]
    return -np.log(np.maximum(chosen, LOG_FLOOR))


def log_loss(probabilities, labels):
    """Their mean (what greedy selection lowers and choose compares: unlike accuracy on a
    few thousand images, where a good ensemble makes a few dozen mistakes, it moves with
    every image's confidence)."""
    return float(np.mean(log_losses(probabilities, labels)))


def greedy_weights(probabilities, labels, steps=GREEDY_STEPS):
    """Caruana et al. 2004, selection with replacement: starting from an empty bag, add
    the member whose addition gives the bag's mean the lowest log-loss, `steps` times;
    the weights are how often each member is in the bag of the best step."""
    probabilities = [np.asarray(p, np.float64) for p in probabilities]
    counts = np.zeros(len(probabilities))
    total = np.zeros_like(probabilities[0])
    best_loss, best_counts = math.inf, None
    for step in range(1, steps + 1):
        losses = [log_loss((total + p) / step, labels) for p in probabilities]
        chosen = int(np.argmin(losses))
        counts[chosen] += 1
        total += probabilities[chosen]
        if losses[chosen] < best_loss:
            best_loss, best_counts = losses[chosen], counts.copy()
    return best_counts / best_counts.sum()


def choose(probabilities, labels, folds=None):
    """Mean or weighted, chosen on the validation split `labels` and the members'
    `probabilities` on it. The weighted ensemble is judged on images its weights were not
    chosen on (two folds, each weighted by the other; `folds` gives each image's, 0 or 1,
    alternating by default): its log-loss must be lower than the mean's by more than
    SIGNIFICANCE_Z standard errors of the per-image difference, else the mean, which fits
    nothing, is kept. Returns (method, weights, evidence, reason): evidence holds the
    weights chosen on the whole split, that z, and the images the out-of-fold weighted
    ensemble gets right and the mean wrong (better), and the reverse."""
    labels = np.asarray(labels)
    mean = combine(probabilities, equal_weights(len(probabilities)))
    out_of_fold = np.empty_like(mean)
    folds = np.arange(len(labels)) % 2 if folds is None else np.asarray(folds)
    for fold in (0, 1):
        held_out = folds == fold
        weights = greedy_weights([p[~held_out] for p in probabilities], labels[~held_out])
        out_of_fold[held_out] = combine([p[held_out] for p in probabilities], weights)
    gains = log_losses(mean, labels) - log_losses(out_of_fold, labels)
    spread = gains.std(ddof=1) / math.sqrt(len(gains)) if len(gains) > 1 else 0.0
    z = float(gains.mean() / spread) if spread > 0 else 0.0
    mean_right = np.argmax(mean, axis=1) == labels
    weighted_right = np.argmax(out_of_fold, axis=1) == labels
    evidence = {'weighted': greedy_weights(probabilities, labels), 'z': round(z, 2),
                'better': int(np.sum(weighted_right & ~mean_right)),
                'worse': int(np.sum(mean_right & ~weighted_right))}
    facts = ('out of fold, weights lower the log-loss by %.2f standard errors, and are right '
             'on %d validation images the mean gets wrong, wrong on %d it gets right' % (
                 z, evidence['better'], evidence['worse']))
    if z > SIGNIFICANCE_Z:
        return 'weighted', evidence['weighted'], evidence, 'weighted: ' + facts
    return 'mean', equal_weights(len(probabilities)), evidence, (
        'mean: %s; under %g is noise' % (facts, SIGNIFICANCE_Z))


# ---------------------------------------------------------------------------- the record

def read_record(path):
    """(model/ensemble.json as a dict, None), or (None, why it cannot be used) in one
    line. Only a regular file of a sane size is opened (a FIFO would block)."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        return None, 'no %s (python choose_ensemble.py writes it)' % path
    except OSError as error:
        return None, '%s: %s' % (path, error.strerror or error)
    if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_RECORD_BYTES:
        return None, '%s is not a regular file of at most %d bytes' % (path, MAX_RECORD_BYTES)
    try:
        with open(path, 'rb') as f:
            record = json.loads(f.read(MAX_RECORD_BYTES))
    except (OSError, ValueError) as error:
        return None, '%s is unreadable: %s' % (path, str(error).splitlines()[0])
    if not isinstance(record, dict):
        return None, '%s is not a JSON object' % path
    return record, None


def record_weights(record, loaded):
    """({name: weight} for every model `loaded` ({name: (version, checkpoint, fingerprint)}),
    None) from `record` when each of its members of weight above 0 is loaded at the version
    it was measured with, the same weights (records.checkpoint_fingerprint): the
    combination is then the one measured, whatever else is loaded (a model it gave weight
    0, retrained or added, gets weight 0 again). Else (None, the reason in one line)."""
    if record.get('method') not in METHODS:
        return None, '%s: "method" must be one of %s' % (RECORD_FILE, ', '.join(METHODS))
    members = record.get('members')
    if not isinstance(members, list) or not all(
            isinstance(m, dict) and isinstance(m.get('name'), str) for m in members):
        return None, '%s has no list of members' % RECORD_FILE
    weights = {m['name']: m.get('weight') for m in members}
    if len(weights) != len(members):
        return None, '%s lists a member twice' % RECORD_FILE
    if not all(type(w) in (int, float) and math.isfinite(w) and w >= 0
               for w in weights.values()) or sum(weights.values()) <= 0:
        return None, '%s: weights must be non-negative numbers, not all 0' % RECORD_FILE
    for member in members:
        if member['weight'] == 0:
            continue
        if member['name'] not in loaded:
            return None, '%s was measured with %s, which is not loaded' % (
                RECORD_FILE, member['name'])
        version, checkpoint, fingerprint = loaded[member['name']]
        if (member.get('version'), member.get('checkpoint')) != (version, checkpoint):
            return None, '%s was measured with %s version %s (%s); loaded: version %s (%s)' % (
                RECORD_FILE, member['name'], member.get('version'), member.get('checkpoint'),
                version, checkpoint)
        if member.get('fingerprint') != fingerprint:
            return None, '%s was measured with other weights of %s %s (%s): %s' % (
                RECORD_FILE, member['name'], checkpoint,
                'fingerprint %s, loaded %s' % (member['fingerprint'], fingerprint)
                if member.get('fingerprint') else 'it records no fingerprint',
                'run choose_ensemble.py again')
    return {name: weights.get(name, 0) for name in loaded}, None
