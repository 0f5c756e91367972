"""What an Estimator gives back: its predictions, the keys asked for, one example at a time
(TF 1.x's yield_single_examples), and its evaluation's results, logged and written to the
eval directory's TensorBoard run as TF 1.x wrote them."""
import numbers

import numpy as np
import tensorflow.compat.v1 as tf
from google.protobuf import message


def selected_predictions(predictions, predict_keys):
    if not predict_keys:
        return predictions
    if not isinstance(predictions, dict):
        raise ValueError('predict_keys argument is not valid in case of non-dict predictions.')
    selected = {key: value for key, value in predictions.items() if key in predict_keys}
    if not selected:
        raise ValueError('Expected to run at least one output from %s, provided %s.'
                         % (sorted(predictions), predict_keys))
    return selected


def examples(batch):
    """The examples of a batch of predictions (a dict of arrays gives dicts)."""
    if not isinstance(batch, dict):
        yield from batch
        return
    for i in range(_batch_length(batch)):
        yield {key: value[i] for key, value in batch.items()}


def _batch_length(batch):
    lengths = {key: value.shape[0] for key, value in batch.items()}
    if len(set(lengths.values())) != 1:
        raise ValueError('Batch length of predictions should be same: %s' % lengths)
    return next(iter(lengths.values()))


def write_eval_summary(eval_dir, results, checkpoint_path):
    """Log the metrics and add them to eval_dir's TensorBoard run at their global step."""
    step = int(results['global_step'])
    tf.logging.info('Saving dict for global step %d: %s', step, ', '.join(
        '%s = %s' % item for item in sorted(results.items())))
    summary = tf.Summary()
    for key, value in sorted(results.items()):
        if key == 'global_step' or value is None:
            continue
        if isinstance(value, bytes):  # a summary (tf.summary.image as a metric): its values
            try:
                values = tf.Summary.FromString(value).value
            except message.DecodeError:
                tf.logging.warning('Skipping summary for %s, cannot parse string to Summary.',
                                   key)
                continue
            for i, item in enumerate(values):
                item.tag = '%s/%d' % (key, i)
            summary.value.extend(values)
        elif isinstance(value, (numbers.Real, np.integer, np.floating)):
            summary.value.add(tag=key, simple_value=float(value))
        elif isinstance(value, np.ndarray):  # for a TensorBoard plugin, as in TF 1.x
            summary.value.add(tag=key, node_name=key, tensor=tf.make_tensor_proto(value))
        else:  # a structure of values (a metric may return one), as TF 1.x skipped it
            tf.logging.warning('Skipping summary for %s, must be a float, np.float32, np.int64, '
                               'np.int32 or int or np.ndarray or a serialized string of '
                               'Summary.', key)
    if checkpoint_path:
        summary.value.add(tag='checkpoint_path',
                          tensor=tf.make_tensor_proto(checkpoint_path, dtype=tf.string))
    writer = tf.summary.FileWriterCache.get(eval_dir)
    writer.add_summary(summary, step)
    writer.flush()
