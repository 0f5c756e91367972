"""tf.contrib.checkpoint's own classes (TF 1.11-1.15), which TF 2.x did not keep:
UniqueNameTracker (objects checkpointed under unique names: `v`, `v_1` ...) and NumpyState
(NumPy arrays saved in object-based checkpoints). Ported from TF 1.15's
contrib/checkpoint/python/containers.py and python_state.py; the rest of contrib.checkpoint
is TensorFlow's own (tf1/api_contrib.py)."""
import io

import numpy
from tensorflow.python.trackable import base, data_structures, python_state

__all__ = ['UniqueNameTracker', 'NumpyState']


class UniqueNameTracker(data_structures.TrackableDataStructure):
    """Checkpoints each object given to track() under its base name, numbered when taken
    (`v`, `v_1`, `v_2` ...)."""

    def __init__(self):
        super(UniqueNameTracker, self).__init__()
        self._maybe_initialize_trackable()
        self._name_counts = {}

    @property
    def _values(self):
        return [reference.ref for reference in self._unconditional_checkpoint_dependencies]

    def track(self, trackable, base_name):
        """Adds `trackable` under a name made from `base_name`; returns it."""
        if not isinstance(trackable, base.Trackable):
            raise ValueError('Expected a trackable value, got %s which does not inherit from '
                             'tf.track.Trackable.' % (trackable,))
        count = self._name_counts.get(base_name, 0)
        candidate = _numbered(base_name, count)
        while self._lookup_dependency(candidate) is not None:
            count += 1
            candidate = _numbered(base_name, count)
        self._name_counts[base_name] = count + 1
        self._track_value(trackable, name=candidate)
        return trackable


def _numbered(prefix, number):
    return '%s_%d' % (prefix, number) if number > 0 else prefix


class NumpyState(base.Trackable):
    """An object whose NumPy-array attributes are saved in object-based checkpoints (and
    given back by restore, also for attributes restored before being assigned)."""

    def _lookup_dependency(self, name, cached_dependencies=None):
        value = super(NumpyState, self)._lookup_dependency(name)
        if value is None:  # a restore names an attribute not assigned yet: make it
            value = _NumpyWrapper(numpy.array([]))
            self._unconditional_checkpoint_dependencies.append(
                base.TrackableReference(name=name, ref=value))
            self._unconditional_dependency_names[name] = value
            super(NumpyState, self).__setattr__(name, value)
        return value

    def __getattribute__(self, name):
        value = super(NumpyState, self).__getattribute__(name)
        return value.array if isinstance(value, _NumpyWrapper) else value

    def __setattr__(self, name, value):
        if isinstance(value, (numpy.ndarray, numpy.generic)):
            try:
                super(NumpyState, self).__getattribute__(name).array = value
                return
            except AttributeError:
                value = _NumpyWrapper(value)
                self._track_trackable(value, name=name, overwrite=True)
        # TF 1.15 let its two private tracking attributes through; TF 2.x sets more of them
        # (`_update_uid` during restores): every private name passes.
        elif not name.startswith('_') and getattr(self, '_self_setattr_tracking', True):
            raise NotImplementedError(
                'Assigned %s to the %s property of %s, which is not a NumPy array. Currently '
                'mixing NumPy arrays and other trackable objects is not supported. File a '
                'feature request if this limitation bothers you.' % (value, name, self))
        super(NumpyState, self).__setattr__(name, value)


class _NumpyWrapper(python_state.PythonState):
    """One array, saved as the bytes of its .npy file."""

    def __init__(self, array):
        self.array = array

    def serialize(self):
        buffer = io.BytesIO()
        numpy.save(buffer, self.array, allow_pickle=False)
        return buffer.getvalue()

    def deserialize(self, string_value):
        self.array = numpy.load(io.BytesIO(string_value), allow_pickle=False)
