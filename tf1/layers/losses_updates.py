"""What a layer or cell adds to training, as TF 1.x's tf.layers layers and RNN cells (Keras
layers both) kept it: its losses (its weights' regularization, add_loss) and its updates
(batch normalization's moving averages, add_update), each known to depend or not on the
inputs of the call that made it (get_losses_for, get_updates_for); and its metrics
(add_metric, TF 1.15's), which Keras's fit shows when it is in a model."""
import contextlib
import sys
import weakref

import tensorflow.compat.v1 as tf

from tf1.layers.utils import reachable_from


class LossesAndUpdates:
    """Losses, updates and metrics, for a class that runs its `call` in
    `_recording_call(inputs)`."""

    def _start_losses_and_updates(self):
        # (update or loss, whether it depends on the inputs of the call that made it)
        self._layer_updates, self._layer_losses = [], []
        self._call_inputs = []
        self._layer_metrics = []  # its own Keras metric objects, outside Keras's calls
        # Per Keras layer that called it, the ids of the losses on no inputs given to it.
        self._losses_given = weakref.WeakKeyDictionary()

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

    def add_metric(self, value, aggregation=None, name=None):
        """Adds a metric: `value` a Keras metric object's result (`aggregation` None), or a
        tensor whose mean over the batches is the metric (`aggregation='mean'`, with a
        `name`), as TF 1.15's Keras layers. A metric of that name already added takes
        `value` too. Its objects are `metrics`. Added in a Keras layer's call (its own in a
        model, a model's or a wrapper's holding it), it is that layer's, which fit and
        evaluate show, as TF 1.15's Keras gathered its layers' metrics."""
        if aggregation is not None and aggregation != 'mean':
            raise ValueError('We currently support only `mean` sample-wise metric aggregation. '
                             'You provided aggregation=`%s`' % aggregation)
        from_metric_obj = hasattr(value, '_metric_obj')
        if name is None and not from_metric_obj:
            raise ValueError('Please provide a name for your metric like `self.add_metric('
                             'tf.reduce_sum(inputs), name=\'mean_activation\', '
                             'aggregation=\'mean\')`')
        if aggregation is None and not from_metric_obj:
            raise ValueError('We do not support adding an aggregated metric result tensor that '
                             'is not the output of a `tf.keras.metrics.Metric` metric instance: '
                             'pass `aggregation=\'mean\'` and the un-aggregated tensor')
        keras_layer = self._keras_layer_to_give()
        if keras_layer is not None:
            keras_layer.add_metric(value, aggregation=aggregation, name=name)
            return
        name = value._metric_obj.name if from_metric_obj else name
        match = next((metric for metric in self._layer_metrics if metric.name == name), None)
        if aggregation is None:
            if match is None:
                self._layer_metrics.append(value._metric_obj)
        elif match is not None:
            match(value)
        else:
            from tf_keras.src.engine import base_layer_utils  # Keras only when needed
            metric, _ = base_layer_utils.create_mean_metric(value, name)
            self._layer_metrics.append(metric)

    @contextlib.contextmanager
    def _recording_call(self, inputs):
        """Around a call on `inputs`: executing eagerly, its losses replace the last call's
        (the weights' stay: computed from their values whenever `losses` is read); the
        updates and losses it adds know whether `inputs` reach them; after it, the updates
        join UPDATE_OPS, as TF 1.x's layers put them.

        Called in a Keras layer's call (its own Keras layer in a model, or a Keras layer
        or Lambda of the user's holding it), it gives that layer what the call added, and
        its weights' regularization once, as TF 1.x's Keras gathered its layers' (a Keras
        layer themselves): fit runs the updates and adds the losses."""
        executing_eagerly = tf.executing_eagerly()
        if executing_eagerly:
            self._layer_losses = [entry for entry in self._layer_losses if callable(entry[0])]
        keras_layer = self._keras_layer_to_give()
        updates_before, losses_before = len(self._layer_updates), len(self._layer_losses)
        self._call_inputs = tf.nest.flatten(inputs)
        try:
            yield
        finally:
            self._call_inputs = []
        if not executing_eagerly:
            add_new_to_collection(tf.GraphKeys.UPDATE_OPS, self.updates)
        if keras_layer is not None:
            self._give_to_keras(keras_layer, updates_before, losses_before, inputs)

    # True while a call is only for its shapes (compute_output_shape): it gives nothing.
    _giving_to_keras = True

    def _keras_layer_to_give(self):
        return calling_keras_layer() if self._giving_to_keras else None

    def _give_to_keras(self, keras_layer, updates_before, losses_before, inputs):
        """Gives `keras_layer` the updates and input-dependent losses made since the
        counts given, and the losses that depend on no inputs it has not had yet."""
        updates = [update for update, _ in self._layer_updates[updates_before:]]
        if updates:
            keras_layer.add_update(updates)
        given = self._losses_given.setdefault(keras_layer, set())
        for index, (loss, on_inputs) in enumerate(self._layer_losses):
            if on_inputs and index >= losses_before:
                keras_layer.add_loss(loss, inputs=inputs)
            elif not on_inputs and id(loss) not in given:
                given.add(id(loss))
                keras_layer.add_loss(loss)


def calling_keras_layer():
    """The Keras layer whose call is running, if Keras is loaded and one is."""
    keras_utils = sys.modules.get('tf_keras.src.engine.base_layer_utils')
    if keras_utils is None:
        return None
    context = keras_utils.call_context()
    return context.layer if context.in_call else None


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
