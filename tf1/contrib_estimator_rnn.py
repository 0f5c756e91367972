"""tf.contrib.estimator's RNNClassifier and RNNEstimator (TF 1.10-1.15): a recurrent network
over sequence feature columns (tf.contrib.feature_column), its last output's logits
classified by a head. Ported from TF 1.15's tensorflow_estimator contrib/estimator/python/
estimator/rnn.py, with its variable names (`rnn/rnn/basic_rnn_cell/kernel`,
`rnn/logits/dense/kernel` ...), so its checkpoints restore here and back."""
import tensorflow.compat.v1 as tf

from tf1 import layers, rnn_cell
from tf1.contrib_feature_column import concatenate_context_input, sequence_input_layer
from tf1.estimator_core import Estimator
from tf1.estimator_extenders import clip_gradients_by_norm
from tf1.estimator_head import classification_head
from tf1.estimator_premade import _optimizer
from tf1.unsupported import UnsupportedUseError

_DEFAULT_LEARNING_RATE = 0.05  # an optimizer given by name
_DEFAULT_CLIP_NORM = 5.0       # ... clips its gradients to this global norm
_CELL_TYPES = {'basic_rnn': rnn_cell.BasicRNNCell, 'lstm': rnn_cell.BasicLSTMCell,
               'gru': rnn_cell.GRUCell}
USE_DEFAULT = object()  # cell_type not given: 'basic_rnn', unless rnn_cell_fn is


class RNNClassifier(Estimator):
    """Classifies sequences: an RNN of `num_units` cells of `cell_type` ('basic_rnn',
    'lstm', 'gru' or an RNNCell class), or the cell `rnn_cell_fn(mode)` makes, reads the
    sequence columns (with the context columns repeated at each step); its last output's
    logits go to TF 1.x's binary or multi-class head."""

    def __init__(self, sequence_feature_columns, context_feature_columns=None,
                 num_units=None, cell_type=USE_DEFAULT, rnn_cell_fn=None, model_dir=None,
                 n_classes=2, weight_column=None, label_vocabulary=None, optimizer='Adagrad',
                 loss_reduction=tf.losses.Reduction.SUM_OVER_BATCH_SIZE,
                 input_layer_partitioner=None, config=None):
        rnn_cell_fn = _assert_rnn_cell_fn(rnn_cell_fn, num_units, cell_type)
        head = classification_head(n_classes, weight_column, label_vocabulary, loss_reduction)
        super(RNNClassifier, self).__init__(
            model_fn=_model_fn(head, rnn_cell_fn, sequence_feature_columns,
                               context_feature_columns, optimizer, input_layer_partitioner),
            model_dir=model_dir, config=config)


class RNNEstimator(Estimator):
    """RNNClassifier's network under any head (tf.contrib.estimator's heads)."""

    def __init__(self, head, sequence_feature_columns, context_feature_columns=None,
                 num_units=None, cell_type=USE_DEFAULT, rnn_cell_fn=None,
                 return_sequences=False, model_dir=None, optimizer='Adagrad',
                 input_layer_partitioner=None, config=None):
        rnn_cell_fn = _assert_rnn_cell_fn(rnn_cell_fn, num_units, cell_type)
        if return_sequences:
            raise UnsupportedUseError(
                'Provided head must be a `_SequentialHead` object when `return_sequences` is '
                'set to True; tf1 provides none (TF 1.15 took it from TF 2\'s heads): '
                'classify the last output (return_sequences=False)')
        super(RNNEstimator, self).__init__(
            model_fn=_model_fn(head, rnn_cell_fn, sequence_feature_columns,
                               context_feature_columns, optimizer, input_layer_partitioner),
            model_dir=model_dir, config=config)


def _model_fn(head, rnn_cell_fn, sequence_feature_columns, context_feature_columns,
              optimizer, input_layer_partitioner):
    """The estimators' model_fn: _rnn_model_fn with their arguments."""
    def model_fn(features, labels, mode, config):
        return _rnn_model_fn(features, labels, mode, head, rnn_cell_fn,
                             tuple(sequence_feature_columns or []),
                             tuple(context_feature_columns or []), optimizer=optimizer,
                             input_layer_partitioner=input_layer_partitioner, config=config)
    return model_fn


def _assert_rnn_cell_fn(rnn_cell_fn, num_units, cell_type):
    """The function making the cell: `rnn_cell_fn`, or one stacking a cell of `cell_type`
    for each of `num_units`."""
    if rnn_cell_fn and (num_units or cell_type is not USE_DEFAULT):
        raise ValueError('num_units and cell_type must not be specified when using '
                         'rnn_cell_fn')
    return rnn_cell_fn or _make_rnn_cell_fn(
        num_units, 'basic_rnn' if cell_type is USE_DEFAULT else cell_type)


def _make_rnn_cell_fn(num_units, cell_type='basic_rnn'):
    cell_class = _CELL_TYPES.get(cell_type, cell_type)
    if not (isinstance(cell_class, type) and issubclass(cell_class, rnn_cell.RNNCell)):
        raise ValueError('Supported cell types are {}; got {}'.format(list(_CELL_TYPES),
                                                                      cell_type))

    def rnn_cell_fn(unused_mode):
        cells = [cell_class(num_units=n) for n in num_units]
        return cells[0] if len(cells) == 1 else rnn_cell.MultiRNNCell(cells)
    return rnn_cell_fn


def _rnn_model_fn(features, labels, mode, head, rnn_cell_fn, sequence_feature_columns,
                  context_feature_columns, return_sequences=False, optimizer='Adagrad',
                  input_layer_partitioner=None, config=None):
    """The EstimatorSpec of the RNN's logits under `head`; an optimizer given by name is
    made with TF 1.x's rate and its gradients clipped."""
    if not isinstance(features, dict):
        raise ValueError('features should be a dictionary of `Tensor`s. Given type: '
                         '{}'.format(type(features)))
    if return_sequences:
        raise UnsupportedUseError('return_sequences needs TF 1.15\'s sequential head, '
                                  'which tf1 does not provide')
    if not isinstance(optimizer, tf.train.Optimizer):
        optimizer = clip_gradients_by_norm(_optimizer(optimizer, _DEFAULT_LEARNING_RATE),
                                           _DEFAULT_CLIP_NORM)
    num_ps_replicas = config.num_ps_replicas if config else 0
    with tf.variable_scope('rnn', values=tuple(features.values()),
                           partitioner=tf.min_max_variable_partitioner(
                               max_partitions=num_ps_replicas)):
        logit_fn = _rnn_logit_fn_builder(
            head.logits_dimension, rnn_cell_fn, sequence_feature_columns,
            context_feature_columns, input_layer_partitioner or
            tf.min_max_variable_partitioner(max_partitions=num_ps_replicas,
                                            min_slice_size=64 << 20))
        logits, _ = logit_fn(features=features, mode=mode)
        return head.create_estimator_spec(
            features=features, mode=mode, labels=labels, logits=logits,
            train_op_fn=lambda loss: optimizer.minimize(
                loss, global_step=tf.train.get_global_step()))


def _rnn_logit_fn_builder(output_units, rnn_cell_fn, sequence_feature_columns,
                          context_feature_columns, input_layer_partitioner,
                          return_sequences=False):
    """logit_fn(features, mode) -> (logits, sequence mask): the logits of the RNN's output
    at each sequence's last step, or at every step with return_sequences."""
    if not isinstance(output_units, int):
        raise ValueError('output_units must be an int.  Given type: {}'.format(
            type(output_units)))

    def rnn_logit_fn(features, mode):
        with tf.variable_scope('sequence_input_layer', values=tuple(features.values()),
                               partitioner=input_layer_partitioner):
            inputs, lengths = sequence_input_layer(features=features,
                                                   feature_columns=sequence_feature_columns)
            tf.summary.histogram('sequence_length', lengths)
            if context_feature_columns:
                context = tf.feature_column.input_layer(
                    features=features, feature_columns=context_feature_columns)
                inputs = concatenate_context_input(context, inputs)
        outputs, _ = rnn_cell.dynamic_rnn(cell=rnn_cell_fn(mode), inputs=inputs,
                                          sequence_length=lengths, dtype=tf.float32,
                                          time_major=False)
        if not return_sequences:
            outputs = _select_last_activations(outputs, lengths)
        with tf.variable_scope('logits', values=(outputs,)):
            logits = layers.dense(outputs, units=output_units, activation=None,
                                  kernel_initializer=tf.glorot_uniform_initializer())
        return logits, tf.sequence_mask(lengths)
    return rnn_logit_fn


def _select_last_activations(activations, sequence_lengths):
    """activations [batch, T, units] at each sequence's last step: [batch, units]."""
    with tf.name_scope('select_last_activations', values=[activations, sequence_lengths]):
        shape = tf.shape(activations)
        batch_size, padded_length, units = shape[0], shape[1], shape[2]
        start = tf.to_int64(tf.range(batch_size) * padded_length)
        flat = tf.reshape(activations, [batch_size * padded_length, units])
        last = tf.gather(flat, start + sequence_lengths - 1)
        last.set_shape([activations.shape[0], activations.shape[2]])
        return last
