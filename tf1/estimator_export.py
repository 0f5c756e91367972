"""TF 1.x's `tf.estimator.export` and Estimator.export_saved_model: a SavedModel for serving.

The serving graph is the model_fn's PREDICT graph fed by the tensors that a
serving_input_receiver_fn makes (placeholders for raw features, or a string placeholder
of tf.Examples that it parses), with the newest checkpoint's variables, in
EXPORT_DIR_BASE/TIMESTAMP. The signatures come from the EstimatorSpec's export_outputs,
or else, as in TF 1.x, one 'serving_default' signature returning the predictions.
TF 2.21 still has TF 1.x's export outputs and signature builder, used here as they are.
"""
import collections
import os

import tensorflow.compat.v1 as tf
from tensorflow.python.saved_model.model_utils import export_output as _export_output
from tensorflow.python.saved_model.model_utils import export_utils as _export_utils

from tf1.estimator_spec import ModeKeys

ExportOutput = _export_output.ExportOutput
ClassificationOutput = _export_output.ClassificationOutput
RegressionOutput = _export_output.RegressionOutput
PredictOutput = _export_output.PredictOutput
EvalOutput = _export_output.EvalOutput

_SINGLE_NAMES = {'feature': 'feature', 'receiver_tensor': 'input',
                 'receiver_tensors_alternative': 'alternative'}


class ServingInputReceiver(collections.namedtuple(
        'ServingInputReceiver', ['features', 'receiver_tensors',
                                 'receiver_tensors_alternatives'])):
    """What a serving_input_receiver_fn returns: the model's features (a dict) and the
    tensors a client feeds."""

    def __new__(cls, features, receiver_tensors, receiver_tensors_alternatives=None):
        features = _tensor_dict(features, 'feature')
        receiver_tensors = _tensor_dict(receiver_tensors, 'receiver_tensor')
        if receiver_tensors_alternatives is not None:
            if not isinstance(receiver_tensors_alternatives, dict):
                raise ValueError('receiver_tensors_alternatives must be a dict: {}.'.format(
                    receiver_tensors_alternatives))
            receiver_tensors_alternatives = {
                name: _tensor_dict(tensors, 'receiver_tensors_alternative')
                for name, tensors in receiver_tensors_alternatives.items()}
        return super(ServingInputReceiver, cls).__new__(
            cls, features, receiver_tensors, receiver_tensors_alternatives)


class TensorServingInputReceiver(ServingInputReceiver):
    """A ServingInputReceiver for a model_fn whose features are one tensor, not a dict."""

    def __new__(cls, features, receiver_tensors, receiver_tensors_alternatives=None):
        if features is None:
            raise ValueError('features must be defined.')
        _tensor_dict(features, 'feature')
        receiver = ServingInputReceiver(features, receiver_tensors,
                                        receiver_tensors_alternatives)
        return super(ServingInputReceiver, cls).__new__(
            cls, features, receiver.receiver_tensors, receiver.receiver_tensors_alternatives)


def _tensor_dict(tensors, field):
    """`tensors` as a dict of name to Tensor (one tensor gets TF 1.x's default name)."""
    if tensors is None:
        raise ValueError('{}s must be defined.'.format(field))
    if not isinstance(tensors, dict):
        tensors = {_SINGLE_NAMES[field]: tensors}
    for name, tensor in tensors.items():
        if not isinstance(name, (str, int)) or (isinstance(name, int) and field != 'feature'):
            raise ValueError('{} keys must be strings: {}.'.format(field, name))
        if not isinstance(tensor, (tf.Tensor, tf.SparseTensor, tf.RaggedTensor)):
            raise ValueError('{} {} must be a Tensor, SparseTensor, or RaggedTensor.'.format(
                field, name))
    return tensors


def build_raw_serving_input_receiver_fn(features, default_batch_size=None):
    """A serving_input_receiver_fn fed `features` directly: one placeholder per tensor in
    `features` (a dict of name to Tensor), same dtype, name and shape after the batch."""
    def serving_input_receiver_fn():
        placeholders = {
            name: tf.placeholder(tensor.dtype, [default_batch_size] + tensor.shape[1:].as_list()
                                 if tensor.shape.rank else None, name=tensor.op.name)
            for name, tensor in features.items()}
        return ServingInputReceiver(placeholders, placeholders)
    return serving_input_receiver_fn


def build_parsing_serving_input_receiver_fn(feature_spec, default_batch_size=None):
    """A serving_input_receiver_fn fed serialized tf.Examples, parsed by `feature_spec`."""
    def serving_input_receiver_fn():
        examples = tf.placeholder(tf.string, [default_batch_size], name='input_example_tensor')
        return ServingInputReceiver(tf.parse_example(examples, feature_spec),
                                    {'examples': examples})
    return serving_input_receiver_fn


def export_saved_model(estimator, export_dir_base, serving_input_receiver_fn, assets_extra,
                       as_text, checkpoint_path, strip_default_attrs):
    """Estimator.export_saved_model: returns the new SavedModel's directory (bytes)."""
    checkpoint_path = checkpoint_path or estimator.latest_checkpoint()
    if not checkpoint_path:
        raise ValueError("Couldn't find trained model at {}.".format(estimator.model_dir))
    export_dir = _export_utils.get_timestamped_export_dir(export_dir_base)
    temporary_dir = _export_utils.get_temp_export_dir(export_dir)
    builder = tf.saved_model.Builder(temporary_dir)
    mode = ModeKeys.PREDICT  # TF's export tables take 'infer' as their own 'predict'
    with tf.Graph().as_default() as graph:
        tf.train.create_global_step(graph)
        tf.set_random_seed(estimator.config.tf_random_seed)
        receiver = serving_input_receiver_fn()
        spec = estimator.model_fn(receiver.features, None, mode, estimator.config)
        export_outputs = _export_utils.export_outputs_for_mode(
            mode, serving_export_outputs=spec.export_outputs, predictions=spec.predictions)
        signatures = _export_utils.build_all_signature_defs(
            receiver.receiver_tensors, export_outputs,
            receiver.receiver_tensors_alternatives, serving_only=True)
        saver = spec.scaffold.saver or tf.train.Saver(sharded=True)
        with tf.Session(config=estimator.config.session_config) as session:
            saver.restore(session, checkpoint_path)
            builder.add_meta_graph_and_variables(
                session, _export_utils.EXPORT_TAG_MAP[mode], signature_def_map=signatures,
                assets_collection=tf.get_collection(tf.GraphKeys.ASSET_FILEPATHS),
                main_op=spec.scaffold.local_init_op or tf.train.Scaffold.default_local_init_op(),
                saver=saver, strip_default_attrs=strip_default_attrs)
    builder.save(as_text)
    for destination, source in (assets_extra or {}).items():
        destination = os.path.join(tf.compat.as_bytes(temporary_dir), b'assets.extra',
                                   tf.compat.as_bytes(destination))
        tf.gfile.MakeDirs(os.path.dirname(destination))
        tf.gfile.Copy(source, destination)
    tf.gfile.Rename(temporary_dir, export_dir)
    return export_dir
