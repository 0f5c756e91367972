"""tf.contrib.learn.utils.input_fn_utils (TF 1.0-1.15, ported): the serving input functions
contrib.learn's Estimators exported with. A serving input_fn returns InputFnOps(features,
labels, default_inputs) - the features the model reads, and the tensors the SavedModel's
signature feeds."""
import collections

import tensorflow.compat.v1 as tf

from tf1.estimator_export import ServingInputReceiver


class InputFnOps(collections.namedtuple('InputFnOps',
                                        ['features', 'labels', 'default_inputs'])):
    """What a serving input_fn returns: features, labels (None when serving) and the
    dict of input tensors a request feeds."""


def build_parsing_serving_input_fn(feature_spec, default_batch_size=None):
    """A serving input_fn parsing a batch of serialized tf.Examples (fed as 'examples')."""
    def input_fn():
        examples = tf.placeholder(tf.string, [default_batch_size], name='input_example_tensor')
        features = tf.parse_example(examples, feature_spec)
        return InputFnOps(features, None, {'examples': examples})
    return input_fn


def build_default_serving_input_fn(features, default_batch_size=None):
    """A serving input_fn of placeholders shaped as `features` (a dict of tensors), fed
    directly."""
    def input_fn():
        placeholders = {}
        for name, tensor in features.items():
            shape = tensor.get_shape().as_list()
            shape[0] = default_batch_size
            placeholders[name] = tf.placeholder(tensor.dtype, shape, name=tensor.op.name)
        return InputFnOps(placeholders, None, placeholders)
    return input_fn


def as_serving_input_receiver(serving_input_fn):
    """A serving_input_receiver_fn for export_savedmodel from a contrib serving input_fn
    (InputFnOps: the default inputs feed the signature) or a receiver_fn unchanged."""
    def receiver_fn():
        result = serving_input_fn()
        if isinstance(result, InputFnOps):
            return ServingInputReceiver(result.features, result.default_inputs)
        return result
    return receiver_fn
