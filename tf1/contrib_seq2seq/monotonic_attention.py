"""Monotonic attention (Raffel et al., ICML 2017, arXiv:1704.00784), as TF 1.15's
contrib/seq2seq/python/ops/attention_wrapper.py had it: once a step attends to a memory
position, later steps attend there or further on. Each memory position is "chosen" with
probability sigmoid(score + a learned bias, plus noise while training), and
monotonic_attention turns those probabilities and the last alignments into the new ones.
Bahdanau's and Luong's scores, with their variables in `bahdanau_monotonic_attention/`
and `luong_monotonic_attention/`."""
import functools

import numpy as np
import tensorflow.compat.v1 as tf

from tf1.contrib_seq2seq.attention_mechanisms import (_BaseAttentionMechanism,
                                                      _bahdanau_energy, _luong_energy)
from tf1.layers.core import Dense

__all__ = ['BahdanauMonotonicAttention', 'LuongMonotonicAttention', 'monotonic_attention',
           'safe_cumprod']


def safe_cumprod(x, *args, **kwargs):
    """tf.cumprod(x, ...) as exp(cumsum(log(x))), x clipped to [tiny, 1]: no underflow,
    and a gradient where x is small."""
    with tf.name_scope(None, 'SafeCumprod', [x]):
        x = tf.convert_to_tensor(x, name='x')
        tiny = np.finfo(x.dtype.as_numpy_dtype).tiny
        return tf.exp(tf.cumsum(tf.log(tf.clip_by_value(x, tiny, 1)), *args, **kwargs))


def monotonic_attention(p_choose_i, previous_attention, mode):
    """The attention distribution [batch, memory time] when each position i is chosen
    with probability p_choose_i[:, i], scanning on from where `previous_attention` was:
    'recursive' (tf.scan, exact), 'parallel' (cumulative sums and products, clipped), or
    'hard' (p_choose_i all 0 or 1)."""
    p_choose_i = tf.convert_to_tensor(p_choose_i, name='p_choose_i')
    previous_attention = tf.convert_to_tensor(previous_attention, name='previous_attention')
    if mode == 'recursive':
        batch_size = (tf.compat.dimension_value(p_choose_i.shape[0]) or
                      tf.shape(p_choose_i)[0])
        # q[i] = (1 - p_choose_i[i - 1]) * q[i - 1] + previous_attention[i]
        shifted_1mp_choose_i = tf.concat([tf.ones((batch_size, 1)), 1 - p_choose_i[:, :-1]], 1)
        q = tf.scan(lambda x, yz: tf.reshape(yz[0] * x + yz[1], (batch_size,)),
                    [tf.transpose(shifted_1mp_choose_i), tf.transpose(previous_attention)],
                    tf.zeros((batch_size,)))
        return p_choose_i * tf.transpose(q)
    if mode == 'parallel':
        cumprod_1mp_choose_i = safe_cumprod(1 - p_choose_i, axis=1, exclusive=True)
        return p_choose_i * cumprod_1mp_choose_i * tf.cumsum(
            previous_attention / tf.clip_by_value(cumprod_1mp_choose_i, 1e-10, 1.), axis=1)
    if mode == 'hard':
        # Nothing before the last choice; then only the first position chosen.
        p_choose_i *= tf.cumsum(previous_attention, axis=1)
        return p_choose_i * tf.cumprod(1 - p_choose_i, axis=1, exclusive=True)
    raise ValueError("mode must be 'recursive', 'parallel', or 'hard'.")


def _monotonic_probability_fn(score, previous_alignments, sigmoid_noise, mode, seed=None):
    if sigmoid_noise > 0:
        score += sigmoid_noise * tf.random_normal(tf.shape(score), dtype=score.dtype,
                                                  seed=seed)
    if mode == 'hard':
        p_choose_i = tf.cast(score > 0, score.dtype)
    else:
        p_choose_i = tf.sigmoid(score)
    return monotonic_attention(p_choose_i, previous_alignments, mode)


class _BaseMonotonicAttentionMechanism(_BaseAttentionMechanism):
    """Memory projected to `num_units` (and the query too, for Bahdanau's score); scores
    plus a learned `attention_score_bias` chosen monotonically; attention starting at the
    first memory position (one-hot initial alignments)."""

    def __init__(self, num_units, memory, memory_sequence_length, score_mask_value,
                 sigmoid_noise, sigmoid_noise_seed, score_bias_init, mode, dtype, name,
                 projects_query):
        dtype = dtype or tf.float32
        super(_BaseMonotonicAttentionMechanism, self).__init__(
            query_layer=(Dense(num_units, name='query_layer', use_bias=False, dtype=dtype)
                         if projects_query else None),
            memory_layer=Dense(num_units, name='memory_layer', use_bias=False, dtype=dtype),
            memory=memory,
            probability_fn=functools.partial(_monotonic_probability_fn,
                                             sigmoid_noise=sigmoid_noise, mode=mode,
                                             seed=sigmoid_noise_seed),
            memory_sequence_length=memory_sequence_length,
            score_mask_value=score_mask_value, name=name)
        self._num_units = num_units
        self._score_bias_init = score_bias_init
        self._name = name

    def initial_alignments(self, batch_size, dtype):
        return tf.one_hot(tf.zeros((batch_size,), dtype=tf.int32), self._alignments_size,
                          dtype=dtype)

    def _biased(self, score):
        return score + tf.get_variable('attention_score_bias', dtype=score.dtype,
                                       initializer=self._score_bias_init)


class BahdanauMonotonicAttention(_BaseMonotonicAttentionMechanism):
    """BahdanauAttention's score (optionally weight-normalised), plus a learned
    `attention_score_bias` (started at score_bias_init), chosen monotonically."""

    def __init__(self, num_units, memory, memory_sequence_length=None, normalize=False,
                 score_mask_value=None, sigmoid_noise=0., sigmoid_noise_seed=None,
                 score_bias_init=0., mode='parallel', dtype=None,
                 name='BahdanauMonotonicAttention'):
        super(BahdanauMonotonicAttention, self).__init__(
            num_units, memory, memory_sequence_length, score_mask_value, sigmoid_noise,
            sigmoid_noise_seed, score_bias_init, mode, dtype, name, projects_query=True)
        self._normalize = normalize

    def __call__(self, query, state):
        with tf.variable_scope(None, 'bahdanau_monotonic_attention', [query]):
            score = self._biased(_bahdanau_energy(self, query, self._normalize))
        alignments = self._probability_fn(score, state)
        return alignments, alignments


class LuongMonotonicAttention(_BaseMonotonicAttentionMechanism):
    """LuongAttention's score (optionally scaled), plus a learned `attention_score_bias`,
    chosen monotonically."""

    def __init__(self, num_units, memory, memory_sequence_length=None, scale=False,
                 score_mask_value=None, sigmoid_noise=0., sigmoid_noise_seed=None,
                 score_bias_init=0., mode='parallel', dtype=None,
                 name='LuongMonotonicAttention'):
        super(LuongMonotonicAttention, self).__init__(
            num_units, memory, memory_sequence_length, score_mask_value, sigmoid_noise,
            sigmoid_noise_seed, score_bias_init, mode, dtype, name, projects_query=False)
        self._scale = scale

    def __call__(self, query, state):
        with tf.variable_scope(None, 'luong_monotonic_attention', [query]):
            score = self._biased(_luong_energy(self, query, self._scale))
        alignments = self._probability_fn(score, state)
        return alignments, alignments
