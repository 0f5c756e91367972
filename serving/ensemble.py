"""The `ensemble` entry: the loaded models combined (graphs/ensemble.py's weighted mean of
their probabilities), served beside them wherever a model is: /predict, GET /models and
TF Serving's /v1/models/ensemble. No TensorFlow: it runs its members and combines their
answers.

It uses model/ensemble.json's weights when each model they give weight is loaded at the
version it was measured with (graphs/ensemble.record_weights); otherwise the plain mean,
with test_accuracy null and the reason. An
ensemble is made once for each set of models served (serving/reload.py swaps in a new
set) and each version of ensemble.json, which the reloader looks at on each poll: a new
one is picked up as soon as a new checkpoint is."""
import json
import os
import zlib

from graphs import ensemble as combination
from graphs.contract import IMAGE_PIXELS, INPUT, NUM_CLASSES, PREDICTION, PROBABILITIES

NAME = combination.NAME
# What /v1/models/ensemble/metadata describes: the contract's shapes, as every member has.
TENSOR_SPECS = {INPUT: ('DT_FLOAT', [None, IMAGE_PIXELS]),
                PROBABILITIES: ('DT_FLOAT', [None, NUM_CLASSES]),
                PREDICTION: ('DT_INT64', [None])}


class Ensemble:
    """Looks like a serving.models.Model to the API (name, version, describe,
    tensor_specs); serving/runner.py runs its `members` (the models of weight above 0)
    and calls `combine`."""

    tensor_specs = TENSOR_SPECS

    def __init__(self, models, record, reason):
        self.name = NAME
        self.models = models
        loaded = {name: (model.version, os.path.basename(model.checkpoint), model.fingerprint)
                  for name, model in models.items()}
        weights = None
        if record is not None:
            weights, reason = combination.record_weights(record, loaded)
        self.record = record if weights else {}
        self.reason = reason
        self.method = self.record['method'] if weights else 'mean'
        if not weights:
            weights = dict(zip(models, combination.equal_weights(len(models))))
        self.weights = {name: float(weights[name]) for name in models}
        # The models it runs and combines: a model of weight 0 is left out.
        self.members = [name for name, weight in self.weights.items() if weight > 0]
        # Whatever changes its answers changes its version, which is the same for the
        # same members, versions (and their weights' fingerprints) and weights after a
        # restart.
        self.version = 1 + zlib.crc32(json.dumps(
            [(name, loaded[name], weight) for name, weight in self.weights.items()]).encode())

    @property
    def test_accuracy(self):
        return self.record.get('test_accuracy')

    @property
    def precision(self):
        """Its members' precision, or `mixed` when they differ (each model lists its own)."""
        kinds = {self.models[name].precision for name in self.members}
        return kinds.pop() if len(kinds) == 1 else 'mixed'

    def combine(self, outcomes):
        """(probabilities [N, 10], predictions [N], seconds) from its members' outcomes
        {name: (probabilities, predictions, seconds)}: seconds is the longest of theirs
        (they run together, in one session call: serving/runner.py)."""
        probabilities = combination.combine([outcomes[name][0] for name in self.members],
                                            [self.weights[name] for name in self.members])
        return (probabilities, probabilities.argmax(axis=1),
                max(outcomes[name][2] for name in self.members))

    def __str__(self):
        """One line for the log: what it combines, how, and why so."""
        how = '%s of %s' % ('weighted mean' if self.method == 'weighted' else 'mean',
                            ', '.join(self.members))
        if self.reason:
            return '%s (%s)' % (how, self.reason)
        return '%s (%s, test accuracy %s)' % (how, combination.RECORD_FILE, self.test_accuracy)

    def describe(self):
        return {'name': NAME, 'test_accuracy': self.test_accuracy,
                'validation_accuracy': self.record.get('validation_accuracy'),
                'drawn_test_accuracy': self.record.get('drawn_test_accuracy'),
                'method': self.method, 'reason': self.reason,
                'members': self.members,
                'weights': {name: round(weight, 6) for name, weight in self.weights.items()},
                'version': self.version, 'global_step': None, 'checkpoint': None,
                'precision': self.precision,
                'trained': self.record.get('date')}


class Ensembles:
    """The models served, plus their ensemble when there are two or more, as one set."""

    def __init__(self, model_dir):
        self.path = None if model_dir is None else os.path.join(model_dir,
                                                               combination.RECORD_FILE)
        self._last = None  # (models, ensemble.json's stamp, the set served with them)
        self._said = None  # the last ensemble logged

    def served(self, models):
        """{name: model}: `models` and, last, the ensemble of them (when it can be made).
        ensemble.json is read when the set of models changes, and again by refresh."""
        last = self._last
        if last is None or last[0] is not models:
            last = self._make(models, self._stamp())
        return last[2]

    def refresh(self, models):
        """Read ensemble.json again if it changed since it was read for `models` (the
        reloader calls this on each poll: a request never waits for a stat)."""
        stamp = self._stamp()
        last = self._last
        if last is None or last[0] is not models or last[1] != stamp:
            self._make(models, stamp)

    def _make(self, models, stamp):
        if len(models) < 2:
            served = models
        else:
            record, reason = (combination.read_record(self.path) if self.path
                              else (None, 'no model directory'))
            ensemble = Ensemble(models, record, reason)
            served = {**models, NAME: ensemble}
            if str(ensemble) != self._said:  # said once, not on every new set alike
                self._said = str(ensemble)
                print('Ensemble: %s' % ensemble, flush=True)
        self._last = (models, stamp, served)
        return self._last

    def _stamp(self):
        if self.path is None:  # no model directory
            return None
        try:
            info = os.stat(self.path)
        except OSError:  # no ensemble.json
            return None
        return info.st_ino, info.st_mtime_ns, info.st_size
