"""What a layer or cell adds to training, as TF 1.x's tf.layers layers and RNN cells (Keras
layers both) kept it: its losses (its weights' regularization, add_loss) and its updates
(batch normalization's moving averages, add_update), each known to depend or not on the
inputs of the call that made it (get_losses_for, get_updates_for)."""
import contextlib

import tensorflow.compat.v1 as tf

from tf1.layers.utils import reachable_from


class LossesAndUpdates:
    """Losses and updates, for a class that runs its `call` in `_recording_call(inputs)`."""

    def _start_losses_and_updates(self):
        # (update or loss, whether it depends on the inputs of the call that made it)
        self._layer_updates, self._layer_losses = [], []
        self._call_inputs = []

    @property
    def updates(self):
        """The ops that update the layer's state (batch normalization's moving averages)."""
        return [update for update, _ in self._layer_updates]

    @property
    def losses(self):
        """The layer's losses: its weights' regularization, its activity regularization's,
        and those add_loss() added (executing eagerly: the last call's, and the weights'
        computed now, from their current values)."""
        return [loss() if callable(loss) else loss for loss, _ in self._layer_losses]

    def get_updates_for(self, inputs):
        """The updates that depend on `inputs` (tensors); None: those that depend on none."""
        return _made_for(self._layer_updates, inputs)

    def get_losses_for(self, inputs):
        """The losses that depend on `inputs` (tensors); None: those that depend on none."""
        return [loss() if callable(loss) else loss
                for loss in _made_for(self._layer_losses, inputs)]

    def add_update(self, updates, inputs=None):
        """Adds update ops, to `updates` and, after the call, to UPDATE_OPS. As TF 1.x: an
        update depends on the inputs when the call's inputs reach it (`inputs` is
        ignored). Executing eagerly, the updates have run: nothing is kept."""
        if tf.executing_eagerly():
            return
        updates = [update for update in tf.nest.flatten(updates) if update is not None]
        reachable = reachable_from(self._call_inputs, updates)
        self._layer_updates.extend((update, update in reachable) for update in updates)

    def add_loss(self, losses, inputs=None):
        """Adds loss tensors to `losses` and, in a graph, REGULARIZATION_LOSSES; with
        `inputs` (not None), as depending on them (get_losses_for)."""
        for loss in tf.nest.flatten(losses):
            if loss is not None:
                loss = loss if tf.is_tensor(loss) else tf.convert_to_tensor(loss)
                self._layer_losses.append((loss, inputs is not None))
                if not tf.executing_eagerly():
                    add_new_to_collection(tf.GraphKeys.REGULARIZATION_LOSSES, [loss])

    @contextlib.contextmanager
    def _recording_call(self, inputs):
        """Around a call on `inputs`: executing eagerly, its losses replace the last call's
        (the weights' stay: computed from their values whenever `losses` is read); the
        updates and losses it adds know whether `inputs` reach them; after it, the updates
        join UPDATE_OPS, as TF 1.x's layers put them."""
        executing_eagerly = tf.executing_eagerly()
        if executing_eagerly:
            self._layer_losses = [entry for entry in self._layer_losses if callable(entry[0])]
        self._call_inputs = tf.nest.flatten(inputs)
        try:
            yield
        finally:
            self._call_inputs = []
        if not executing_eagerly:
            add_new_to_collection(tf.GraphKeys.UPDATE_OPS, self.updates)


def _made_for(entries, inputs):
    """Of (update or loss, depends on inputs) pairs, as Keras's get_updates_for: None, those
    that depend on no inputs; else those of the others that `inputs` reach."""
    if inputs is None:
        return [value for value, conditional in entries if not conditional]
    conditional = [value for value, depends in entries if depends]
    reachable = reachable_from(tf.nest.flatten(inputs), conditional)
    return [value for value in conditional if value in reachable]


def add_new_to_collection(name, values):
    """Adds to graph collection `name` those of `values` not in it yet."""
    collection = tf.get_collection_ref(name)
    for value in values:
        if not any(value is present for present in collection):
            collection.append(value)
