"""Running the models a request asks for, timing each, on as many cores as are free.
Models are anything with predict(images) → (probabilities, predictions) and the
seconds_per_image their warm-up measured (serving/models.Model); an ensemble
(serving/ensemble.py) has its members run and their answers combined."""
import concurrent.futures
import os
import threading
import time

from serving.ensemble import Ensemble


def usable_cores():
    """Cores this process may run on (a container or taskset may allow fewer than the
    machine has)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


class ModelRunner:
    """Runs the models a request asks for, timing each.

    While the server has cores to spare (on 2 cores: while this is the only request
    running), a request's models are split into two lanes of about equal cost, one run
    by a helper thread, so that two cores work on it (TensorFlow releases the GIL inside
    a session run): all seven models answer in about two thirds of the time. Otherwise
    every core is busy already and a split would only add hand-overs, so the request
    runs its models one after the other in its own thread."""

    def __init__(self, models, cores=None):
        self.models = models  # replaced whole, never changed, when a model is reloaded
        self.cores = cores or usable_cores()
        self.helper = concurrent.futures.ThreadPoolExecutor(
            max_workers=max(self.cores // 2, 1), thread_name_prefix='lane')
        self._lock = threading.Lock()
        self.running = 0  # requests under way

    def run(self, names, batch, models=None):
        """{name: (probabilities [N, 10], predictions [N], seconds)} for images `batch`,
        from `models`: the ones the request started with (default: those loaded now)."""
        models = self.models if models is None else models
        wanted = names
        ensembles = [models[name] for name in names if isinstance(models[name], Ensemble)]
        # Each model runs once, for itself and for every ensemble it is in.
        names = list(dict.fromkeys(
            [name for name in names if not isinstance(models[name], Ensemble)]
            + [member for ensemble in ensembles for member in ensemble.members]))
        with self._lock:
            self.running += 1
            split = len(names) > 1 and 2 * self.running <= self.cores
        try:
            results = (self._in_two_lanes(models, names, batch) if split
                       else self._lane(models, names, batch))
        finally:
            with self._lock:
                self.running -= 1
        for ensemble in ensembles:
            results[ensemble.name] = ensemble.combine(results)
        return {name: results[name] for name in wanted}

    def _in_two_lanes(self, models, names, batch):
        first, second = self.lanes(models, names)
        try:
            helped = self.helper.submit(self._lane, models, second, batch)
        except RuntimeError:  # shut down while this request was under way
            return self._lane(models, names, batch)
        try:
            results = self._lane(models, first, batch)
        except Exception:
            concurrent.futures.wait([helped])  # leave no work behind for a failed request
            raise
        results.update(helped.result())
        return results

    @staticmethod
    def _lane(models, names, batch):
        results = {}
        for name in names:
            started = time.perf_counter()
            probabilities, predictions = models[name].predict(batch)
            results[name] = probabilities, predictions, time.perf_counter() - started
        return results

    @staticmethod
    def lanes(models, names):
        """Two lists of names with about equal total cost (greedy, costliest first; each
        model's cost was measured once, at warm-up)."""
        lanes, costs = ([], []), [0.0, 0.0]
        for name in sorted(dict.fromkeys(names), key=lambda name: -models[name].seconds_per_image):
            lighter = costs.index(min(costs))
            lanes[lighter].append(name)
            costs[lighter] += models[name].seconds_per_image
        return lanes

    def close(self):
        self.helper.shutdown()
