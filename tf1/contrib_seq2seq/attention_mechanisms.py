"""The attention mechanisms of AttentionWrapper (TF 1.15's contrib/seq2seq/python/ops/
attention_wrapper.py, its TF 1.x classes): the memory (e.g. an encoder's outputs) and
its projection by `memory_layer` (the keys), made once where the mechanism is made
(`memory_layer/kernel`); each query then scored against the keys, Luong's way
(multiplicative) or Bahdanau's (additive, `bahdanau_attention/{query_layer/kernel,
attention_v}`), and the scores turned into alignments."""
import math

import numpy as np
import tensorflow.compat.v1 as tf

from tf1.layers.base import Layer
from tf1.layers.core import Dense
from tf1.rnn_cell.state_zeros import zeros

__all__ = ['AttentionMechanism', 'BahdanauAttention', 'LuongAttention', 'hardmax']


class AttentionMechanism(object):
    """What AttentionWrapper accepts as a mechanism."""

    @property
    def alignments_size(self):
        raise NotImplementedError

    @property
    def state_size(self):
        raise NotImplementedError


def _prepare_memory(memory, memory_sequence_length, check_inner_dims_defined):
    """`memory` as a tensor, its steps past each sequence's length zeroed."""
    memory = tf.nest.map_structure(lambda m: tf.convert_to_tensor(m, name='memory'), memory)
    if memory_sequence_length is not None:
        memory_sequence_length = tf.convert_to_tensor(memory_sequence_length,
                                                      name='memory_sequence_length')
    if check_inner_dims_defined:
        for m in tf.nest.flatten(memory):
            if not m.get_shape()[2:].is_fully_defined():
                raise ValueError('Expected memory %s to have fully defined inner dims, but '
                                 'saw shape: %s' % (m.name, m.get_shape()))
    if memory_sequence_length is None:
        return memory
    first = tf.nest.flatten(memory)[0]
    mask = tf.sequence_mask(memory_sequence_length, maxlen=tf.shape(first)[1],
                            dtype=first.dtype)

    def masked(m):
        rank = m.get_shape().ndims
        extra_ones = tf.ones((rank if rank is not None else tf.rank(m)) - 2, dtype=tf.int32)
        return m * tf.reshape(mask, tf.concat((tf.shape(mask), extra_ones), 0))

    return tf.nest.map_structure(masked, memory)


def _maybe_mask_score(score, memory_sequence_length, score_mask_value):
    """`score` with `score_mask_value` past each sequence's length."""
    if memory_sequence_length is None:
        return score
    message = 'All values in memory_sequence_length must be greater than zero.'
    with tf.control_dependencies([tf.assert_positive(memory_sequence_length,
                                                     message=message)]):
        memory_mask = tf.sequence_mask(memory_sequence_length, maxlen=tf.shape(score)[1])
    return tf.where(memory_mask, score, score_mask_value * tf.ones_like(score))


class _BaseAttentionMechanism(AttentionMechanism):
    """The memory (values) and its projection by `memory_layer` (keys), made once; each
    query is then scored against the keys and the scores turned into alignments."""

    def __init__(self, query_layer, memory, probability_fn, memory_sequence_length=None,
                 memory_layer=None, check_inner_dims_defined=True, score_mask_value=None,
                 custom_key_value_fn=None, name=None):
        for what, layer in (('query_layer', query_layer), ('memory_layer', memory_layer)):
            if layer is not None and not isinstance(layer, Layer):
                raise TypeError('%s is not a Layer: %s' % (what, type(layer).__name__))
        self._query_layer = query_layer
        self._memory_layer = memory_layer
        self.dtype = memory_layer.dtype
        if not callable(probability_fn):
            raise TypeError('probability_fn must be callable, saw type: %s'
                            % type(probability_fn).__name__)
        if score_mask_value is None:
            score_mask_value = tf.as_dtype(memory_layer.dtype).as_numpy_dtype(-np.inf)
        self._probability_fn = lambda score, prev: probability_fn(
            _maybe_mask_score(score, memory_sequence_length, score_mask_value), prev)
        with tf.name_scope(name, 'BaseAttentionMechanismInit', tf.nest.flatten(memory)):
            self._values = _prepare_memory(memory, memory_sequence_length,
                                           check_inner_dims_defined)
            self._keys = (self._memory_layer(self._values) if self._memory_layer
                          else self._values)
            if custom_key_value_fn is not None:
                self._keys, self._values = custom_key_value_fn(self._keys, self._values)
            self._batch_size = (tf.compat.dimension_value(self._keys.shape[0])
                                or tf.shape(self._keys)[0])
            self._alignments_size = (tf.compat.dimension_value(self._keys.shape[1])
                                     or tf.shape(self._keys)[1])

    @property
    def memory_layer(self):
        return self._memory_layer

    @property
    def query_layer(self):
        return self._query_layer

    @property
    def values(self):
        return self._values

    @property
    def keys(self):
        return self._keys

    @property
    def batch_size(self):
        return self._batch_size

    @property
    def alignments_size(self):
        return self._alignments_size

    @property
    def state_size(self):
        return self._alignments_size

    def initial_alignments(self, batch_size, dtype):
        """Zeros [batch_size, memory's max_time]."""
        return zeros(self._alignments_size, batch_size, dtype)

    def initial_state(self, batch_size, dtype):
        return self.initial_alignments(batch_size, dtype)


def _luong_score(query, keys, scale):
    """query · key for each memory step ([batch, max_time]), times `scale` if given."""
    depth, key_units = query.get_shape()[-1], keys.get_shape()[-1]
    if depth != key_units:
        raise ValueError(
            'Incompatible or unknown inner dimensions between query and keys.  Query (%s) '
            'has units: %s.  Keys (%s) have units: %s.  Perhaps you need to set num_units '
            "to the keys' dimension (%s)?" % (query, depth, keys, key_units, key_units))
    score = tf.squeeze(tf.matmul(tf.expand_dims(query, 1), keys, transpose_b=True), [1])
    return score if scale is None else scale * score


def _luong_energy(mechanism, query, scale):
    """Luong's score of `query` against the mechanism's keys (`attention_g`, made in the
    current scope, scaling it when asked)."""
    attention_g = None
    if scale:
        attention_g = tf.get_variable('attention_g', dtype=query.dtype,
                                      initializer=tf.ones_initializer, shape=())
    return _luong_score(query, mechanism.keys, attention_g)


class LuongAttention(_BaseAttentionMechanism):
    """Multiplicative attention (arXiv:1508.04025): the keys are the memory projected to
    `num_units` (the query's depth); `scale=True` learns a scalar `attention_g` too."""

    def __init__(self, num_units, memory, memory_sequence_length=None, scale=False,
                 probability_fn=None, score_mask_value=None, dtype=None,
                 custom_key_value_fn=None, name='LuongAttention'):
        probability_fn = probability_fn or tf.nn.softmax
        super(LuongAttention, self).__init__(
            query_layer=None,
            memory_layer=Dense(num_units, name='memory_layer', use_bias=False,
                               dtype=dtype or tf.float32),
            memory=memory, probability_fn=lambda score, _: probability_fn(score),
            memory_sequence_length=memory_sequence_length,
            score_mask_value=score_mask_value, custom_key_value_fn=custom_key_value_fn,
            name=name)
        self._num_units = num_units
        self._scale = scale
        self._name = name

    def __call__(self, query, state):
        """(alignments, next state): both the alignments, [batch, max_time]."""
        with tf.variable_scope(None, 'luong_attention', [query]):
            score = _luong_energy(self, query, self._scale)
        alignments = self._probability_fn(score, state)
        return alignments, alignments


def _bahdanau_score(processed_query, keys, attention_v, attention_g=None, attention_b=None):
    """v · tanh(key + query) for each memory step ([batch, max_time]); with g and b, v
    weight-normalised (arXiv:1602.07868) and b added inside the tanh."""
    processed_query = tf.expand_dims(processed_query, 1)
    if attention_g is not None and attention_b is not None:
        normed_v = attention_g * attention_v * tf.rsqrt(
            tf.reduce_sum(tf.square(attention_v)))
        return tf.reduce_sum(normed_v * tf.tanh(keys + processed_query + attention_b), [2])
    return tf.reduce_sum(attention_v * tf.tanh(keys + processed_query), [2])


class BahdanauAttention(_BaseAttentionMechanism):
    """Additive attention (arXiv:1409.0473): the query and the memory are each projected
    to `num_units`; `normalize=True` is its weight-normalised form."""

    def __init__(self, num_units, memory, memory_sequence_length=None, normalize=False,
                 probability_fn=None, score_mask_value=None, dtype=None,
                 custom_key_value_fn=None, name='BahdanauAttention'):
        probability_fn = probability_fn or tf.nn.softmax
        dtype = dtype or tf.float32
        super(BahdanauAttention, self).__init__(
            query_layer=Dense(num_units, name='query_layer', use_bias=False, dtype=dtype),
            memory_layer=Dense(num_units, name='memory_layer', use_bias=False, dtype=dtype),
            memory=memory, probability_fn=lambda score, _: probability_fn(score),
            custom_key_value_fn=custom_key_value_fn,
            memory_sequence_length=memory_sequence_length,
            score_mask_value=score_mask_value, name=name)
        self._num_units = num_units
        self._normalize = normalize
        self._name = name

    def __call__(self, query, state):
        """(alignments, next state): both the alignments, [batch, max_time]."""
        with tf.variable_scope(None, 'bahdanau_attention', [query]):
            score = _bahdanau_energy(self, query, self._normalize)
        alignments = self._probability_fn(score, state)
        return alignments, alignments


def _bahdanau_energy(mechanism, query, normalize):
    """Bahdanau's score of `query` against the mechanism's keys, its variables
    (`query_layer/kernel`, `attention_v`; `attention_g`, `attention_b` when normalised)
    made in the current scope."""
    processed_query = mechanism.query_layer(query) if mechanism.query_layer else query
    num_units = mechanism._num_units
    attention_v = tf.get_variable('attention_v', [num_units], dtype=query.dtype)
    attention_g = attention_b = None
    if normalize:
        attention_g = tf.get_variable(
            'attention_g', dtype=query.dtype, shape=(),
            initializer=tf.constant_initializer(math.sqrt(1. / num_units)))
        attention_b = tf.get_variable('attention_b', [num_units], dtype=query.dtype,
                                      initializer=tf.zeros_initializer())
    return _bahdanau_score(processed_query, mechanism.keys, attention_v,
                           attention_g=attention_g, attention_b=attention_b)


def hardmax(logits, name=None):
    """One-hot vectors at each row's largest logit."""
    with tf.name_scope(name, 'Hardmax', [logits]):
        logits = tf.convert_to_tensor(logits, name='logits')
        depth = (tf.compat.dimension_value(logits.get_shape()[-1])
                 or tf.shape(logits)[-1])
        return tf.one_hot(tf.argmax(logits, -1), depth, dtype=logits.dtype)
