"""Hot reload, as TF Serving polls its model directory: every --poll_seconds a thread looks
at model_dir/NAME/checkpoint, and when it names another checkpoint than the one served,
or the same one rewritten (a model retrained to the same step: its fingerprint,
records.checkpoint_fingerprint, tells the weights apart), loads that one
(serving/models.py's checks, freeze and warm-up) beside it and then swaps the whole set
of models for a new one (PredictServer.publish), merged into one graph
before it is served (serving/runner.py). A request takes the set once, so it finishes
on the versions and the graph it began with and never sees half a model; the old
graph's session closes when the last request using it lets go of it. A new model
directory is added, one without a checkpoint any more unloaded. A checkpoint that fails
to load is reported in one line, once, and the version loaded keeps serving; it is tried
again when any file in its directory changes (a copy that wrote `checkpoint` before its
.data file was whole). A changed
model_dir/ensemble.json is read on the same poll (serving/ensemble.py). The versions
swapped out are kept as retired, which GET /v1/models/NAME lists as END."""
import os
import threading

from graphs import records
from graphs.messages import one_line
from serving import models as serving_models
from serving.models import ModelLoadError

# Versions no longer served that GET /v1/models/NAME still lists (state END), per model:
# TF Serving lists every one it ever unloaded, a list that only grows.
RETIRED_LISTED = 5


class Reloader:

    def __init__(self, server, model_dir, names, poll_seconds, precision='fp32'):
        self.server = server
        self.precision = precision  # --precision: each model's is chosen as at start-up
        self.model_dir = model_dir
        self.names = names  # a fixed subset (--models), or None for every directory
        self.poll_seconds = poll_seconds
        self.config = serving_models.session_config()
        # name → (what failed to load last, its directory's files then): not tried again
        # until one of them changes.
        self.refused = {}
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._poll_until_stopped, name='reload',
                                       daemon=True)

    def start(self):
        self.thread.start()

    def stop(self):
        """No more polls; a load under way is left to finish (the thread is a daemon)."""
        self.stopped.set()

    def _poll_until_stopped(self):
        while not self.stopped.wait(self.poll_seconds):
            try:
                self.poll()
            except Exception as error:  # e.g. model_dir unreadable: say so, poll again
                print('Reload: %s' % one_line(error), flush=True)

    def poll(self):
        current = self.server.models
        models = {}
        for name in self.names or records.model_names(self.model_dir):
            model = self.newest(name, current.get(name))
            if model is not None:
                models[name] = model
        for name in set(current) - set(models):
            print('Unloaded %s (version %s): %s has no checkpoint any more' % (
                name, current[name].version, os.path.join(self.model_dir, name)), flush=True)
        if models.keys() != current.keys() or any(
                models[name] is not current[name] for name in models):
            self.retire(current, models)
            self.server.publish(models)
        self.server.ensembles.refresh(self.server.models)  # model_dir/ensemble.json

    def retire(self, current, models):
        """List the versions `current` serves and `models` will not as retired, under
        their names (GET /v1/models/NAME shows them as END, the last RETIRED_LISTED); one
        served again is no longer retired. Each list is replaced, never changed: requests
        read them meanwhile."""
        retired = self.server.retired
        for name, model in current.items():
            if name not in models or models[name].version != model.version:
                retired[name] = ([model.version] + retired.get(name, []))[:RETIRED_LISTED]
        for name, model in models.items():
            if model.version in retired.get(name, ()):
                retired[name] = [version for version in retired[name] if version != model.version]

    def newest(self, name, model):
        """The model to serve as `name` from now on: `model` (None: not loaded yet) or the
        newly loaded version of it; None when its directory has no checkpoint."""
        directory = os.path.join(self.model_dir, name)
        if not os.path.lexists(os.path.join(directory, 'checkpoint')):
            return None
        try:
            checkpoint = serving_models.checked_checkpoint(directory)
        except ModelLoadError as error:
            checkpoint = error  # reported below, once
        if model is not None and checkpoint == model.checkpoint and (
                records.checkpoint_fingerprint(checkpoint) in (model.fingerprint, None)):
            return model  # the same files (None: its index is being written; look again)
        attempt = (str(checkpoint), directory_stamp(directory))
        if attempt == self.refused.get(name):
            return model
        try:
            if isinstance(checkpoint, ModelLoadError):
                raise checkpoint
            self.server.loading[name] = serving_models.checkpoint_version(checkpoint)
            chosen, _ = serving_models.serving_precision(name, self.precision)
            new = serving_models.Model(name, directory, self.config, chosen)
        except ModelLoadError as error:
            self.refused[name] = attempt
            # Listed under the version it would have had: its -STEP (a state file naming
            # no checkpoint: none).
            named = checkpoint.checkpoint if isinstance(checkpoint, ModelLoadError) else checkpoint
            self.server.failed[name] = (named and records.step_in_name(named), str(error))
            self.server.metrics.reload_failures.labels(name).inc()
            print('Reload of %s failed (%s); %s' % (name, error, 'still serving version %s'
                  % model.version if model else 'not served'), flush=True)
            return model
        finally:
            self.server.loading.pop(name, None)
        self.refused.pop(name, None)
        self.server.failed.pop(name, None)
        if model is not None:
            self.server.metrics.reloads.labels(name).inc()
        rewritten = ', rewritten' if model and new.checkpoint == model.checkpoint else ''
        print('Reloaded %s: version %s → %s (%s%s, %.2f s, test accuracy %s)' % (
            name, model.version if model else 'none', new.version, os.path.basename(
                new.checkpoint), rewritten, new.load_seconds, new.accuracy_text()), flush=True)
        return new


def directory_stamp(directory):
    """The names, sizes and modification times of the files in `directory`: what changes
    when a checkpoint is written, copied or mended there."""
    try:
        with os.scandir(directory) as entries:
            return sorted((entry.name, entry.stat().st_size, entry.stat().st_mtime_ns)
                          for entry in entries if entry.is_file())
    except OSError:
        return None
