"""Magnitude-based pruning (TF 1.15's contrib/model_pruning/python/pruning.py), as its
README trained a pruned network:

    pruning_hparams = pruning.get_pruning_hparams().parse(FLAGS.pruning_hparams)
    p = pruning.Pruning(pruning_hparams, global_step=global_step)
    mask_update_op = p.conditional_mask_update_op()
    p.add_pruning_summaries()
    ...
    sess.run(train_op); sess.run(mask_update_op)

Every `pruning_frequency` steps in [begin_pruning_step, end_pruning_step] each masked
weight's mask is set to keep the weights of magnitude at least the threshold that prunes
the target sparsity of it, which rises from initial_sparsity to target_sparsity as
(1 - p)^exponent over the sparsity function's steps."""
import re

import tensorflow.compat.v1 as tf
from tensorflow.python.ops import variables

from tf1.contrib_model_pruning import core_layers as core
from tf1.contrib_model_pruning import pruning_utils
from tf1.contrib_training import HParams

_MASK_COLLECTION = core.MASK_COLLECTION
_THRESHOLD_COLLECTION = core.THRESHOLD_COLLECTION
_MASKED_WEIGHT_COLLECTION = core.MASKED_WEIGHT_COLLECTION
_WEIGHT_COLLECTION = core.WEIGHT_COLLECTION
_MASKED_WEIGHT_NAME = core.MASKED_WEIGHT_NAME


def apply_mask(x, scope=''):
    """`x` times its mask (made, with its threshold, in `scope`): pruning any weight."""
    mask = pruning_utils.weight_mask_variable(x, scope)
    threshold = pruning_utils.weight_threshold_variable(x, scope)
    masked_weights = tf.multiply(mask, x, _MASKED_WEIGHT_NAME)
    # Once per mask: an RNN applies it to the same weights at every step.
    if mask not in tf.get_collection_ref(_MASK_COLLECTION):
        tf.add_to_collection(_THRESHOLD_COLLECTION, threshold)
        tf.add_to_collection(_MASK_COLLECTION, mask)
        tf.add_to_collection(_MASKED_WEIGHT_COLLECTION, masked_weights)
        tf.add_to_collection(_WEIGHT_COLLECTION, x)
    return masked_weights


def get_masked_weights():
    return tf.get_collection(_MASKED_WEIGHT_COLLECTION)


def get_masks():
    return tf.get_collection(_MASK_COLLECTION)


def get_thresholds():
    return tf.get_collection(_THRESHOLD_COLLECTION)


def get_weights():
    return tf.get_collection(_WEIGHT_COLLECTION)


def get_weight_sparsity():
    """The fraction of each mask that is zero."""
    return [tf.nn.zero_fraction(mask) for mask in get_masks()]


def get_pruning_hparams():
    """The pruning's hyperparameters at their defaults (TF 1.15's): weight_sparsity_map and
    block_dims_map are lists of 'regex:sparsity' and 'regex:HxW' entries for the weights
    they name."""
    return HParams(
        name='model_pruning', begin_pruning_step=0, end_pruning_step=-1,
        weight_sparsity_map=[''], block_dims_map=[''], threshold_decay=0.0,
        pruning_frequency=10, nbins=256, block_height=1, block_width=1,
        block_pooling_function='AVG', initial_sparsity=0.0, target_sparsity=0.5,
        sparsity_function_begin_step=0, sparsity_function_end_step=100,
        sparsity_function_exponent=3.0, use_tpu=False)


class Pruning:
    """The mask updates of every masked weight in the graph, by `spec` (an HParams of
    get_pruning_hparams's), at `global_step` (the graph's, if not given), to `sparsity`
    (a scalar tensor; the spec's sparsity function if not given)."""

    def __init__(self, spec=None, global_step=None, sparsity=None):
        self._spec = spec if spec else get_pruning_hparams()
        self._validate_spec()
        self._global_step = tf.cast(
            tf.train.get_global_step() if global_step is None else global_step, tf.int32)
        self._sparsity = sparsity if sparsity is not None else self._setup_sparsity()
        self._assign_ops = []
        self._last_update_step = self._setup_last_update_step()
        self._block_dims = [self._spec.block_height, self._spec.block_width]
        self._block_pooling_function = self._spec.block_pooling_function
        self._block_dims_map = self._parse_map(self._spec.block_dims_map, self._block_dims_of)
        self._weight_sparsity_map = self._parse_map(self._spec.weight_sparsity_map,
                                                    self._sparsity_of)

    def _validate_spec(self):
        spec = self._spec
        if spec.begin_pruning_step < 0:
            raise ValueError('Illegal value for begin_pruning_step')
        if spec.begin_pruning_step >= spec.end_pruning_step and spec.end_pruning_step != -1:
            raise ValueError(
                'Pruning must begin before it can end. begin_step=%d, end_step=%d.Set '
                'end_pruning_step to -1 if pruning is required till trainingstops'
                % (spec.begin_pruning_step, spec.end_pruning_step))
        if spec.sparsity_function_begin_step < 0:
            raise ValueError('Illegal value for sparsity_function_begin_step')
        if spec.sparsity_function_begin_step >= spec.sparsity_function_end_step:
            raise ValueError('Sparsity function requires begin_step < end_step')
        for name in ('threshold_decay', 'initial_sparsity', 'target_sparsity'):
            if not 0.0 <= getattr(spec, name) < 1.0:
                raise ValueError('%s must be in range [0,1)' % name)

    def _setup_sparsity(self):
        """initial + (target - initial) * (1 - (1 - p)^exponent), p the fraction of the
        sparsity function's steps gone (0 before, 1 after)."""
        spec = self._spec
        begin, end = spec.sparsity_function_begin_step, spec.sparsity_function_end_step
        with tf.name_scope(spec.name):
            p = tf.minimum(1.0, tf.maximum(0.0, tf.div(
                tf.cast(self._global_step - begin, tf.float32), end - begin)))
            return tf.add(tf.multiply(spec.initial_sparsity - spec.target_sparsity,
                                      tf.pow(1 - p, spec.sparsity_function_exponent)),
                          spec.target_sparsity, name='sparsity')

    def _setup_last_update_step(self):
        with tf.variable_scope(self._spec.name, use_resource=self._spec.use_tpu) as scope:
            try:
                return tf.get_variable('last_mask_update_step', [],
                                       initializer=tf.zeros_initializer(), trainable=False,
                                       dtype=tf.int32)
            except ValueError:  # a second Pruning of the same name shares it
                scope.reuse_variables()
                return tf.get_variable('last_mask_update_step', dtype=tf.int32)

    @staticmethod
    def _block_dims_of(weight_name, text):
        dims = text.split('x')
        if len(dims) != 2:
            raise ValueError('Expected 2 values for block dim for %s, got %s'
                             % (weight_name, dims))
        return [int(dims[0]), int(dims[1])]

    @staticmethod
    def _sparsity_of(weight_name, text):
        if float(text) >= 1.0:
            raise ValueError('Weight sparsity can not exceed 1.0')
        return float(text)

    @staticmethod
    def _parse_map(entries, parse):
        """{compiled regex: parse(regex, value)} of 'regex:value' entries (empty ones
        skipped)."""
        parsed = {}
        for entry in (entry for entry in entries if entry):
            weight_name, value = entry.split(':')
            parsed[re.compile(weight_name)] = parse(weight_name, value)
        return parsed

    @staticmethod
    def _lookup(mapping, weight_name, what):
        found = [value for regex, value in mapping.items() if regex.search(weight_name)]
        if len(found) > 1:
            raise ValueError('Multiple matches in %s for weight %s' % (what, weight_name))
        return found[0] if found else None

    def _get_block_dims(self, weight_name):
        dims = self._lookup(self._block_dims_map, weight_name, 'block_dims_map')
        return list(self._block_dims if dims is None else dims)

    def _get_sparsity(self, weight_name):
        target = self._lookup(self._weight_sparsity_map, weight_name, 'weight_sparsity_map')
        if target is None:
            return self._sparsity
        # The schedule scaled to the weight's own target (from an initial sparsity of 0).
        return tf.multiply(self._sparsity, tf.div(target, self._spec.target_sparsity))

    def _update_mask(self, weights, threshold):
        """(the new threshold, the new mask): the threshold keeping the largest
        (1 - sparsity) of |weights|, smoothed with the old by threshold_decay."""
        if self._sparsity is None:
            raise ValueError('Sparsity variable undefined')
        sparsity = self._get_sparsity(weights.op.name)
        with tf.name_scope(weights.op.name + '_pruning_ops'):
            abs_weights = tf.abs(weights)
            k = tf.cast(tf.round(tf.cast(tf.size(abs_weights), tf.float32) * (1 - sparsity)),
                        tf.int32)
            values, _ = tf.nn.top_k(tf.reshape(abs_weights, [-1]), k=tf.size(abs_weights))
            current_threshold = tf.gather(values, k - 1)  # the k-th largest
            smoothed_threshold = tf.add_n([
                tf.multiply(current_threshold, 1 - self._spec.threshold_decay),
                tf.multiply(threshold, self._spec.threshold_decay)])
            new_mask = tf.cast(tf.greater_equal(abs_weights, smoothed_threshold), tf.float32)
        return smoothed_threshold, new_mask

    def _maybe_update_block_mask(self, weights, threshold):
        """_update_mask by blocks (their mean or max magnitude) where the weight is a matrix
        (squeezed) and its block dims are not 1 x 1; -1 in them is the whole dimension."""
        block_dims = self._get_block_dims(weights.op.name)
        squeezed = tf.squeeze(weights)
        if squeezed.get_shape().ndims != 2 or block_dims == [1, 1]:
            return self._update_mask(weights, threshold)
        for i in range(2):
            if block_dims[i] == -1:
                block_dims[i] = squeezed.get_shape()[i]
        if self._block_pooling_function not in ('AVG', 'MAX'):
            raise ValueError('Unknown pooling function for block sparsity: %s'
                             % self._block_pooling_function)
        with tf.name_scope(weights.op.name + '_pruning_ops'):
            abs_weights = tf.abs(squeezed)
            if self._spec.use_tpu:
                pooled = pruning_utils.factorized_pool(
                    abs_weights, window_shape=block_dims,
                    pooling_type=self._block_pooling_function, strides=block_dims,
                    padding='SAME', name=weights.op.name + '_pooled')
            else:
                height, width = abs_weights.get_shape()
                pooled = tf.nn.pool(tf.reshape(abs_weights, [1, height, width, 1]),
                                    window_shape=block_dims,
                                    pooling_type=self._block_pooling_function,
                                    strides=block_dims, padding='SAME',
                                    name=weights.op.name + '_pooled')
                pooled = tf.squeeze(pooled, axis=[0, 3])
            smoothed_threshold, new_mask = self._update_mask(pooled, threshold)
            expanded = pruning_utils.expand_tensor(new_mask, block_dims)
            sliced = tf.slice(expanded, [0, 0], [squeezed.get_shape()[0],
                                                 squeezed.get_shape()[1]])
        return smoothed_threshold, tf.reshape(sliced, tf.shape(weights))

    def _get_mask_assign_ops(self):
        if self._assign_ops:
            raise ValueError('Assign op list not empty. _get_mask_assign_ops() called twice?')
        masks, weights, thresholds = get_masks(), get_weights(), get_thresholds()
        if len(masks) != len(thresholds):
            raise ValueError('Number of masks %s and number of thresholds %s mismatch'
                             % (len(masks), len(thresholds)))
        for mask, threshold, weight in zip(masks, thresholds, weights):
            partitioned = isinstance(weight, variables.PartitionedVariable)
            new_threshold, new_mask = self._maybe_update_block_mask(
                weight.as_tensor() if partitioned else weight, threshold)
            self._assign_ops.append(pruning_utils.variable_assign(threshold, new_threshold))
            self._assign_ops.append(
                pruning_utils.partitioned_variable_assign(mask, new_mask) if partitioned
                else pruning_utils.variable_assign(mask, new_mask))

    def mask_update_op(self):
        """Set every mask and threshold now, and the last update's step."""
        with tf.name_scope(self._spec.name):
            if not self._assign_ops:
                self._get_mask_assign_ops()
            with tf.control_dependencies([tf.assign(self._last_update_step, self._global_step,
                                                    name='last_mask_update_step_assign')]):
                with tf.control_dependencies(self._assign_ops):
                    tf.logging.info('Updating masks.')
                    return tf.no_op('mask_update')

    def conditional_mask_update_op(self):
        """mask_update_op where the step is within the pruning's steps and
        pruning_frequency steps after the last update; nothing otherwise."""
        spec = self._spec
        with tf.name_scope(spec.name):
            within = tf.logical_and(
                tf.greater_equal(self._global_step, spec.begin_pruning_step),
                # A negative end_pruning_step: prune for ever.
                tf.logical_or(tf.less_equal(self._global_step, spec.end_pruning_step),
                              tf.less(spec.end_pruning_step, 0)))
            due = tf.less_equal(tf.add(self._last_update_step, spec.pruning_frequency),
                                self._global_step)
            update = tf.logical_and(within, due)
        return tf.cond(update, self.mask_update_op, tf.no_op)

    def add_pruning_summaries(self):
        """Scalar summaries of the sparsity, the last update's step, and each mask's
        sparsity and threshold."""
        with tf.name_scope(self._spec.name + '_summaries'):
            tf.summary.scalar('sparsity', self._sparsity)
            tf.summary.scalar('last_mask_update_step', self._last_update_step)
            for mask, threshold in zip(get_masks(), get_thresholds()):
                tf.summary.scalar(mask.op.name + '/sparsity', tf.nn.zero_fraction(mask))
                tf.summary.scalar(threshold.op.name + '/threshold', threshold)

    def print_hparams(self):
        tf.logging.info(self._spec.to_json())
