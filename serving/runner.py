"""Running the models a request asks for: every model of the set served in one graph
and one session call (serving/merged.py), the requests that arrive together batched
into one call (serving/batching.py). An ensemble (serving/ensemble.py) has its members
run and their answers combined.

A model's seconds are those of the session call that computed its answer, which it
shared with the other models the call ran (side by side, on the cores there are) and
with the requests batched with it: the time the answer took to compute, not what the
model alone would cost (bench/bf16_inference.py and bench/serving.py's pieces table
time models alone)."""
import collections
import os
import threading

from serving.batching import Batcher
from serving.ensemble import Ensemble

DEFAULT_MAX_BATCH_SIZE = 32
SETS_KEPT = 3  # merged graphs kept: the set served now and those requests may still use


def usable_cores():
    """Cores this process may run on (a container or taskset may allow fewer than the
    machine has)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


class ModelRunner:
    """Runs the models a request asks for, from the set it started with.

    Each set of models served (`models`, replaced whole when a model is reloaded) is
    merged into one graph when it is set, before it is served; requests finish on the
    graph of the set they took, however many sets come after. Models that are not
    serving.models.Model (no graph_def to merge) run one after the other."""

    def __init__(self, models, cores=None, max_batch_size=DEFAULT_MAX_BATCH_SIZE,
                 observe_batch=None):
        self.cores = cores or usable_cores()
        self.batcher = Batcher(max_batch_size, observe_batch)  # observe_batch(names, size)
        self._groups = collections.OrderedDict()  # the sets' keys → their groups, newest last
        self._lock = threading.Lock()
        self.models = models

    @property
    def models(self):
        """{name: Model} served now; replaced whole, never changed."""
        return self._models

    @models.setter
    def models(self, models):
        self.group(models)  # merged now, by whoever sets it (start-up, the reload thread)
        self._models = models

    def group(self, models):
        """The models as one group: group.run(names, images) → {name: (probabilities,
        predictions)}. Made once per set; a request on an older set than the last
        SETS_KEPT (a rare race with reloads) has it made again."""
        key = tuple((name, id(model)) for name, model in models.items())
        with self._lock:
            group = self._groups.get(key)
        if group is None:
            group = make_group(models, self.cores)
            with self._lock:
                group = self._groups.setdefault(key, group)
                while len(self._groups) > SETS_KEPT:
                    self._groups.popitem(last=False)  # closed once no request holds it
        return group

    def run(self, names, batch, models=None):
        """{name: (probabilities [N, 10], predictions [N], seconds)} for images `batch`,
        from `models`: the ones the request started with (default: those loaded now),
        and their ensemble."""
        models = self.models if models is None else models
        ensembles = [models[name] for name in names if isinstance(models[name], Ensemble)]
        loaded = {name: model for name, model in models.items()
                  if not isinstance(model, Ensemble)}
        # Each model runs once, for itself and for every ensemble it is in.
        wanted = list(dict.fromkeys(
            [name for name in names if name in loaded]
            + [member for ensemble in ensembles for member in ensemble.members]))
        results = self.batcher.run(self.group(loaded), wanted, batch)
        for ensemble in ensembles:
            results[ensemble.name] = ensemble.combine(results)
        return {name: results[name] for name in names}

    def close(self):
        """Forget the merged graphs: each session closes once no request holds it."""
        with self._lock:
            self._groups.clear()


def make_group(models, cores):
    if all(hasattr(model, 'graph_def') for model in models.values()):
        from serving.merged import MergedModels  # TensorFlow: only for real models
        return MergedModels(models, cores)
    return OneAfterAnother(models)


class OneAfterAnother:
    """Models known only by their predict(images): run in turn."""

    def __init__(self, models):
        self.models = models

    def run(self, names, images):
        return {name: self.models[name].predict(images) for name in names}
