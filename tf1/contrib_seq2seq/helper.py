"""The helpers a BasicDecoder asks, at each step, which id its output means (sample) and
what it reads next (next_inputs): TF 1.15's contrib/seq2seq/python/ops/helper.py.
Training reads the given inputs (teacher forcing); inference feeds back the embedding of
the argmax (greedy) or of a sample; scheduled sampling mixes the two."""
import abc

import tensorflow.compat.v1 as tf
from tensorflow.python.ops.rnn import _transpose_batch_time

from tf1.seeds import random_uniform

__all__ = ['CustomHelper', 'GreedyEmbeddingHelper', 'Helper', 'InferenceHelper',
           'SampleEmbeddingHelper', 'ScheduledEmbeddingTrainingHelper',
           'ScheduledOutputTrainingHelper', 'TrainingHelper']


# TF 1.15's own samplers (in the way TensorFlow Probability's distributions sample), op for
# op: with only a graph-level seed, each random op's seed depends on how many ops came
# before it, so tf.distributions' samplers would draw other numbers than TF 1.x did.
def _call_sampler(sample_n_fn, sample_shape, name=None):
    """sample_n_fn(n) reshaped to `sample_shape` + each sample's shape."""
    with tf.name_scope(name, 'call_sampler', values=[sample_shape]):
        sample_shape = tf.convert_to_tensor(sample_shape, dtype=tf.int32, name='sample_shape')
        pad = tf.cast(tf.equal(tf.rank(sample_shape), 0), tf.int32)  # a scalar: a vector
        sample_shape = tf.reshape(sample_shape, tf.pad(tf.shape(sample_shape),
                                                       paddings=[[pad, 0]],
                                                       constant_values=1))
        samples = sample_n_fn(tf.reduce_prod(sample_shape))
        final_shape = tf.concat([sample_shape, tf.shape(samples)[1:]], 0)
        return tf.reshape(samples, final_shape)


def bernoulli_sample(probs=None, logits=None, dtype=tf.int32, sample_shape=(), seed=None):
    """Draws of 1 (True) with probability `probs` (or sigmoid(logits))."""
    if probs is None:
        probs = tf.sigmoid(logits, name='probs')
    else:
        probs = tf.convert_to_tensor(probs, name='probs')
    batch_shape_tensor = tf.shape(probs)

    def sample_n(n):
        uniform = random_uniform(tf.concat([[n], batch_shape_tensor], 0), seed=seed,
                                 dtype=probs.dtype)
        return tf.cast(tf.less(uniform, probs), dtype)
    return _call_sampler(sample_n, sample_shape)


def categorical_sample(logits, dtype=tf.int32, sample_shape=(), seed=None):
    """Draws of a class from softmax(logits) (tf.multinomial)."""
    logits = tf.convert_to_tensor(logits, name='logits')
    event_size = tf.shape(logits)[-1]
    batch_shape_tensor = tf.shape(logits)[:-1]

    def sample_n(n):
        logits_2d = logits if logits.shape.ndims == 2 else tf.reshape(logits, [-1, event_size])
        sample_dtype = tf.int64 if logits.dtype.size > 4 else tf.int32
        draws = tf.multinomial(logits_2d, n, seed=seed, output_dtype=sample_dtype)
        draws = tf.reshape(tf.transpose(draws), tf.concat([[n], batch_shape_tensor], 0))
        return tf.cast(draws, dtype)
    return _call_sampler(sample_n, sample_shape)


def _unstack_ta(inp):
    """A time-major tensor as a TensorArray of its time steps."""
    return tf.TensorArray(dtype=inp.dtype, size=tf.shape(inp)[0],
                          element_shape=inp.get_shape()[1:]).unstack(inp)


def embedding_fn(embedding):
    """`embedding` as a function of ids: itself if callable, else a lookup in it."""
    if callable(embedding):
        return embedding
    return lambda ids: tf.nn.embedding_lookup(embedding, ids)


def _scattered(where_sampling, sampled, where_not_sampling, not_sampled, shape):
    """The batch rebuilt from its sampled and its other rows."""
    return (tf.scatter_nd(indices=where_sampling, updates=sampled, shape=shape) +
            tf.scatter_nd(indices=where_not_sampling, updates=not_sampled, shape=shape))


class Helper(abc.ABC):
    """What BasicDecoder asks at each step."""

    @property
    @abc.abstractmethod
    def batch_size(self):
        """The batch size (an int32 scalar tensor)."""

    @property
    @abc.abstractmethod
    def sample_ids_shape(self):
        """The shape of one sample id, a TensorShape (without the batch)."""

    @property
    @abc.abstractmethod
    def sample_ids_dtype(self):
        """The dtype of the sample ids."""

    @abc.abstractmethod
    def initialize(self, name=None):
        """(initial finished, initial inputs)."""

    @abc.abstractmethod
    def sample(self, time, outputs, state, name=None):
        """The sample ids of this step's outputs."""

    @abc.abstractmethod
    def next_inputs(self, time, outputs, state, sample_ids, name=None):
        """(finished, next inputs, next state)."""


class CustomHelper(Helper):
    """A helper made of three functions: initialize_fn() → (finished, inputs);
    sample_fn(time, outputs, state) → ids; next_inputs_fn(time, outputs, state,
    sample_ids) → (finished, next inputs, next state)."""

    def __init__(self, initialize_fn, sample_fn, next_inputs_fn, sample_ids_shape=None,
                 sample_ids_dtype=None):
        self._initialize_fn = initialize_fn
        self._sample_fn = sample_fn
        self._next_inputs_fn = next_inputs_fn
        self._batch_size = None
        self._sample_ids_shape = tf.TensorShape(sample_ids_shape or [])
        self._sample_ids_dtype = sample_ids_dtype or tf.int32

    @property
    def batch_size(self):
        if self._batch_size is None:
            raise ValueError('batch_size accessed before initialize was called')
        return self._batch_size

    @property
    def sample_ids_shape(self):
        return self._sample_ids_shape

    @property
    def sample_ids_dtype(self):
        return self._sample_ids_dtype

    def initialize(self, name=None):
        with tf.name_scope(name, '%sInitialize' % type(self).__name__):
            finished, next_inputs = self._initialize_fn()
            if self._batch_size is None:
                self._batch_size = tf.size(finished)
        return finished, next_inputs

    def sample(self, time, outputs, state, name=None):
        with tf.name_scope(name, '%sSample' % type(self).__name__, (time, outputs, state)):
            return self._sample_fn(time=time, outputs=outputs, state=state)

    def next_inputs(self, time, outputs, state, sample_ids, name=None):
        with tf.name_scope(name, '%sNextInputs' % type(self).__name__,
                           (time, outputs, state)):
            return self._next_inputs_fn(time=time, outputs=outputs, state=state,
                                        sample_ids=sample_ids)


class _OneIdEach(Helper):
    """A helper whose sample id is one int32 per sequence of its `_batch_size`."""

    @property
    def batch_size(self):
        return self._batch_size

    @property
    def sample_ids_shape(self):
        return tf.TensorShape([])

    @property
    def sample_ids_dtype(self):
        return tf.int32


class TrainingHelper(_OneIdEach):
    """Reads the given `inputs` ([batch, time, ...], or time-major), one step at a time,
    until each sequence's `sequence_length`; its sample ids are the outputs' argmax."""

    def __init__(self, inputs, sequence_length, time_major=False, name=None):
        with tf.name_scope(name, 'TrainingHelper', [inputs, sequence_length]):
            inputs = tf.convert_to_tensor(inputs, name='inputs')
            self._inputs = inputs
            if not time_major:
                inputs = tf.nest.map_structure(_transpose_batch_time, inputs)
            self._input_tas = tf.nest.map_structure(_unstack_ta, inputs)
            self._sequence_length = tf.convert_to_tensor(sequence_length,
                                                         name='sequence_length')
            if self._sequence_length.get_shape().ndims != 1:
                raise ValueError('Expected sequence_length to be a vector, but received '
                                 'shape: %s' % self._sequence_length.get_shape())
            self._zero_inputs = tf.nest.map_structure(lambda inp: tf.zeros_like(inp[0, :]),
                                                      inputs)
            self._batch_size = tf.size(sequence_length)

    @property
    def inputs(self):
        return self._inputs

    @property
    def sequence_length(self):
        return self._sequence_length

    def initialize(self, name=None):
        with tf.name_scope(name, 'TrainingHelperInitialize'):
            finished = tf.equal(0, self._sequence_length)
            next_inputs = tf.cond(
                tf.reduce_all(finished), lambda: self._zero_inputs,
                lambda: tf.nest.map_structure(lambda inp: inp.read(0), self._input_tas))
            return finished, next_inputs

    def sample(self, time, outputs, name=None, **unused_kwargs):
        with tf.name_scope(name, 'TrainingHelperSample', [time, outputs]):
            return tf.cast(tf.argmax(outputs, axis=-1), tf.int32)

    def next_inputs(self, time, outputs, state, name=None, **unused_kwargs):
        with tf.name_scope(name, 'TrainingHelperNextInputs', [time, outputs, state]):
            next_time = time + 1
            finished = next_time >= self._sequence_length
            next_inputs = tf.cond(
                tf.reduce_all(finished), lambda: self._zero_inputs,
                lambda: tf.nest.map_structure(lambda inp: inp.read(next_time),
                                              self._input_tas))
            return finished, next_inputs, state


def _checked_probability(sampling_probability):
    probability = tf.convert_to_tensor(sampling_probability, name='sampling_probability')
    if probability.get_shape().ndims not in (0, 1):
        raise ValueError('sampling_probability must be either a scalar or a vector. saw '
                         'shape: %s' % probability.get_shape())
    return probability


class ScheduledEmbeddingTrainingHelper(TrainingHelper):
    """TrainingHelper that, with `sampling_probability` for each sequence at each step,
    reads the embedding of an id sampled from the outputs instead of the given input
    (scheduled sampling, arXiv:1506.03099). Sample ids are -1 where it did not sample."""

    def __init__(self, inputs, sequence_length, embedding, sampling_probability,
                 time_major=False, seed=None, scheduling_seed=None, name=None):
        with tf.name_scope(name, 'ScheduledEmbeddingSamplingWrapper',
                           [embedding, sampling_probability]):
            self._embedding_fn = embedding_fn(embedding)
            self._sampling_probability = _checked_probability(sampling_probability)
            self._seed = seed
            self._scheduling_seed = scheduling_seed
            super(ScheduledEmbeddingTrainingHelper, self).__init__(
                inputs=inputs, sequence_length=sequence_length, time_major=time_major,
                name=name)

    def sample(self, time, outputs, state, name=None):
        with tf.name_scope(name, 'ScheduledEmbeddingTrainingHelperSample',
                           [time, outputs, state]):
            select_sample = bernoulli_sample(probs=self._sampling_probability, dtype=tf.bool,
                                             sample_shape=self.batch_size,
                                             seed=self._scheduling_seed)
            return tf.where(select_sample, categorical_sample(logits=outputs, seed=self._seed),
                            tf.fill([self.batch_size], -1))

    def next_inputs(self, time, outputs, state, sample_ids, name=None):
        with tf.name_scope(name, 'ScheduledEmbeddingTrainingHelperNextInputs',
                           [time, outputs, state, sample_ids]):
            finished, base_next_inputs, state = super(
                ScheduledEmbeddingTrainingHelper, self).next_inputs(
                    time=time, outputs=outputs, state=state, sample_ids=sample_ids,
                    name=name)

            def maybe_sample():
                where_sampling = tf.cast(tf.where(sample_ids > -1), tf.int32)
                where_not_sampling = tf.cast(tf.where(sample_ids <= -1), tf.int32)
                sampled = self._embedding_fn(tf.gather_nd(sample_ids, where_sampling))
                return _scattered(where_sampling, sampled, where_not_sampling,
                                  tf.gather_nd(base_next_inputs, where_not_sampling),
                                  tf.shape(base_next_inputs))

            next_inputs = tf.cond(tf.reduce_all(finished), lambda: base_next_inputs,
                                  maybe_sample)
            return finished, next_inputs, state


class ScheduledOutputTrainingHelper(TrainingHelper):
    """TrainingHelper that, with `sampling_probability`, reads the previous output itself
    (through `next_inputs_fn`, if given; joined with `auxiliary_inputs`, if given) instead
    of the given input. Sample ids say where it did."""

    def __init__(self, inputs, sequence_length, sampling_probability, time_major=False,
                 seed=None, next_inputs_fn=None, auxiliary_inputs=None, name=None):
        with tf.name_scope(name, 'ScheduledOutputTrainingHelper',
                           [inputs, auxiliary_inputs, sampling_probability]):
            self._sampling_probability = _checked_probability(sampling_probability)
            if auxiliary_inputs is None:
                maybe_concatenated_inputs = inputs
            else:
                inputs = tf.convert_to_tensor(inputs, name='inputs')
                auxiliary_inputs = tf.convert_to_tensor(auxiliary_inputs,
                                                        name='auxiliary_inputs')
                maybe_concatenated_inputs = tf.nest.map_structure(
                    lambda x, y: tf.concat((x, y), -1), inputs, auxiliary_inputs)
                if not time_major:
                    auxiliary_inputs = tf.nest.map_structure(_transpose_batch_time,
                                                             auxiliary_inputs)
            self._auxiliary_input_tas = (
                tf.nest.map_structure(_unstack_ta, auxiliary_inputs)
                if auxiliary_inputs is not None else None)
            self._seed = seed
            self._next_inputs_fn = next_inputs_fn
            super(ScheduledOutputTrainingHelper, self).__init__(
                inputs=maybe_concatenated_inputs, sequence_length=sequence_length,
                time_major=time_major, name=name)

    def sample(self, time, outputs, state, name=None):
        with tf.name_scope(name, 'ScheduledOutputTrainingHelperSample',
                           [time, outputs, state]):
            return bernoulli_sample(probs=self._sampling_probability,
                                    sample_shape=self.batch_size, seed=self._seed)

    def next_inputs(self, time, outputs, state, sample_ids, name=None):
        with tf.name_scope(name, 'ScheduledOutputTrainingHelperNextInputs',
                           [time, outputs, state, sample_ids]):
            finished, base_next_inputs, state = super(
                ScheduledOutputTrainingHelper, self).next_inputs(
                    time=time, outputs=outputs, state=state, sample_ids=sample_ids,
                    name=name)
            sample_ids = tf.cast(sample_ids, tf.bool)

            def with_auxiliary_inputs(outputs_, indices=None):
                if self._auxiliary_input_tas is None:
                    return outputs_
                auxiliary_inputs = tf.nest.map_structure(lambda ta: ta.read(time + 1),
                                                         self._auxiliary_input_tas)
                if indices is not None:
                    auxiliary_inputs = tf.gather_nd(auxiliary_inputs, indices)
                return tf.nest.map_structure(lambda x, y: tf.concat((x, y), -1),
                                             outputs_, auxiliary_inputs)

            def maybe_sample():
                if self._next_inputs_fn is None:
                    return tf.where(sample_ids, with_auxiliary_inputs(outputs),
                                    base_next_inputs)
                where_sampling = tf.cast(tf.where(sample_ids), tf.int32)
                where_not_sampling = tf.cast(tf.where(tf.logical_not(sample_ids)), tf.int32)
                sampled = with_auxiliary_inputs(
                    self._next_inputs_fn(tf.gather_nd(outputs, where_sampling)),
                    where_sampling)
                return _scattered(where_sampling, sampled, where_not_sampling,
                                  tf.gather_nd(base_next_inputs, where_not_sampling),
                                  tf.shape(base_next_inputs))

            no_samples = tf.logical_not(tf.reduce_any(sample_ids))
            next_inputs = tf.cond(tf.logical_or(tf.reduce_all(finished), no_samples),
                                  lambda: base_next_inputs, maybe_sample)
            return finished, next_inputs, state


class GreedyEmbeddingHelper(_OneIdEach):
    """For inference: each step's id is the argmax of its outputs (logits), and the next
    input that id's embedding, from `start_tokens` until a sequence emits `end_token`."""

    def __init__(self, embedding, start_tokens, end_token):
        self._embedding_fn = embedding_fn(embedding)
        self._start_tokens = tf.convert_to_tensor(start_tokens, dtype=tf.int32,
                                                  name='start_tokens')
        self._end_token = tf.convert_to_tensor(end_token, dtype=tf.int32, name='end_token')
        if self._start_tokens.get_shape().ndims != 1:
            raise ValueError('start_tokens must be a vector')
        self._batch_size = tf.size(start_tokens)
        if self._end_token.get_shape().ndims != 0:
            raise ValueError('end_token must be a scalar')
        self._start_inputs = self._embedding_fn(self._start_tokens)

    def initialize(self, name=None):
        return tf.tile([False], [self._batch_size]), self._start_inputs

    def sample(self, time, outputs, state, name=None):
        if not isinstance(outputs, tf.Tensor):
            raise TypeError('Expected outputs to be a single Tensor, got: %s' % type(outputs))
        return tf.argmax(outputs, axis=-1, output_type=tf.int32)

    def next_inputs(self, time, outputs, state, sample_ids, name=None):
        finished = tf.equal(sample_ids, self._end_token)
        next_inputs = tf.cond(tf.reduce_all(finished),
                              lambda: self._start_inputs,  # unused: every sequence ended
                              lambda: self._embedding_fn(sample_ids))
        return finished, next_inputs, state


class SampleEmbeddingHelper(GreedyEmbeddingHelper):
    """GreedyEmbeddingHelper that samples each id from softmax(outputs /
    softmax_temperature) instead of taking the argmax."""

    def __init__(self, embedding, start_tokens, end_token, softmax_temperature=None,
                 seed=None):
        super(SampleEmbeddingHelper, self).__init__(embedding, start_tokens, end_token)
        self._softmax_temperature = softmax_temperature
        self._seed = seed

    def sample(self, time, outputs, state, name=None):
        if not isinstance(outputs, tf.Tensor):
            raise TypeError('Expected outputs to be a single Tensor, got: %s' % type(outputs))
        logits = (outputs if self._softmax_temperature is None
                  else outputs / self._softmax_temperature)
        return categorical_sample(logits=logits, seed=self._seed)


class InferenceHelper(Helper):
    """For inference with outputs that are not logits: sample_fn(outputs) gives the ids,
    end_fn(ids) which sequences end, next_inputs_fn(ids) (else the ids) the next inputs."""

    def __init__(self, sample_fn, sample_shape, sample_dtype, start_inputs, end_fn,
                 next_inputs_fn=None):
        self._sample_fn = sample_fn
        self._end_fn = end_fn
        self._sample_shape = tf.TensorShape(sample_shape)
        self._sample_dtype = sample_dtype
        self._next_inputs_fn = next_inputs_fn
        self._batch_size = tf.shape(start_inputs)[0]
        self._start_inputs = tf.convert_to_tensor(start_inputs, name='start_inputs')

    @property
    def batch_size(self):
        return self._batch_size

    @property
    def sample_ids_shape(self):
        return self._sample_shape

    @property
    def sample_ids_dtype(self):
        return self._sample_dtype

    def initialize(self, name=None):
        return tf.tile([False], [self._batch_size]), self._start_inputs

    def sample(self, time, outputs, state, name=None):
        return self._sample_fn(outputs)

    def next_inputs(self, time, outputs, state, sample_ids, name=None):
        next_inputs = (sample_ids if self._next_inputs_fn is None
                       else self._next_inputs_fn(sample_ids))
        return self._end_fn(sample_ids), next_inputs, state
