"""TF 1.x's `tf.estimator.export` and Estimator.export_saved_model: SavedModels of the
model_fn's graphs.

The serving graph is the model_fn's PREDICT graph fed by the tensors that a
serving_input_receiver_fn makes (placeholders for raw features, or a string placeholder
of tf.Examples that it parses), with the newest checkpoint's variables, in
EXPORT_DIR_BASE/TIMESTAMP. The signatures come from the EstimatorSpec's export_outputs,
or else, as in TF 1.x, one 'serving_default' signature returning the predictions.
TF 1.13-1.15 could also export the TRAIN and EVAL graphs (tagged 'train' and 'eval'), fed
by a SupervisedInputReceiver's features and labels, with the loss, predictions and metrics
in one signature and the train op in the SavedModel's collection: up to three meta graphs
sharing one set of variables (`export_all_saved_models`).
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
TrainOutput = _export_output.TrainOutput
# What TF 1.x's export_lib module also held, from the same helpers.
EXPORT_TAG_MAP = _export_utils.EXPORT_TAG_MAP
SIGNATURE_KEY_MAP = _export_utils.SIGNATURE_KEY_MAP
build_all_signature_defs = _export_utils.build_all_signature_defs
export_outputs_for_mode = _export_utils.export_outputs_for_mode
get_export_outputs = _export_utils.get_export_outputs
get_temp_export_dir = _export_utils.get_temp_export_dir
get_timestamped_export_dir = _export_utils.get_timestamped_export_dir

# The key a lone tensor gets in each field's dict (TF 1.x's export.py; an alternative's
# receiver tensor is fed as 'input' too).
_SINGLE_NAMES = {'feature': 'feature', 'label': 'label', 'receiver_tensor': 'input',
                 'receiver_tensors_alternative': 'input'}


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
        _check_tensor(features, None, 'feature')  # one tensor, not a dict
        receiver = ServingInputReceiver(features, receiver_tensors,
                                        receiver_tensors_alternatives)
        return super(ServingInputReceiver, cls).__new__(
            cls, features, receiver.receiver_tensors, receiver.receiver_tensors_alternatives)


class UnsupervisedInputReceiver(ServingInputReceiver):
    """What a training or evaluation input_receiver_fn returns for a model without labels."""

    def __new__(cls, features, receiver_tensors):
        return super(UnsupervisedInputReceiver, cls).__new__(cls, features, receiver_tensors)


class SupervisedInputReceiver(collections.namedtuple(
        'SupervisedInputReceiver', ['features', 'labels', 'receiver_tensors'])):
    """What a training or evaluation input_receiver_fn returns: the model's features and
    labels (tensors or dicts of them, as the model_fn takes them) and the tensors fed."""

    def __new__(cls, features, labels, receiver_tensors):
        _tensor_dict(features, 'feature')  # checked only: the model_fn gets them as given
        _tensor_dict(labels, 'label')
        return super(SupervisedInputReceiver, cls).__new__(
            cls, features, labels, _tensor_dict(receiver_tensors, 'receiver_tensor'))


def _tensor_dict(tensors, field):
    """`tensors` as a dict of name to Tensor (one tensor gets TF 1.x's default name)."""
    if tensors is None:
        raise ValueError('{}s must be defined.'.format(field))
    if not isinstance(tensors, dict):
        tensors = {_SINGLE_NAMES[field]: tensors}
    for name, tensor in tensors.items():
        if not isinstance(name, str):
            if field not in ('feature', 'label'):
                raise ValueError('{} keys must be strings: {}.'.format(field, name))
            if not isinstance(name, int):
                raise ValueError('{} keys must be strings or ints: {}.'.format(field, name))
        _check_tensor(tensor, name, field)
    return tensors


def _check_tensor(tensor, name, field):
    """A Tensor, SparseTensor or RaggedTensor, or (TF 1.x's carve-out) a LabeledTensor:
    an object with a `.tensor` that converts to one."""
    if isinstance(tensor, (tf.Tensor, tf.SparseTensor, tf.RaggedTensor)):
        return
    if hasattr(tensor, 'tensor'):
        try:
            tf.convert_to_tensor(tensor)
            return
        except (TypeError, ValueError):
            pass
    raise ValueError('{}{} must be a Tensor or SparseTensor.'.format(  # TF 1.x's words
        field, '' if name is None else ' %s' % name))


def _placeholder_like(tensor, default_batch_size):
    """A placeholder of `tensor`'s dtype, name and shape after the batch."""
    return tf.placeholder(tensor.dtype, [default_batch_size] + tensor.shape[1:].as_list()
                          if tensor.shape.rank else None, name=tensor.op.name)


def _placeholders_like(tensors, default_batch_size):
    return {name: _placeholder_like(tensor, default_batch_size)
            for name, tensor in tensors.items()}


def build_raw_serving_input_receiver_fn(features, default_batch_size=None):
    """A serving_input_receiver_fn fed `features` directly: one placeholder per tensor in
    `features` (a dict of name to Tensor), same dtype, name and shape after the batch."""
    def serving_input_receiver_fn():
        placeholders = _placeholders_like(features, default_batch_size)
        return ServingInputReceiver(placeholders, placeholders)
    return serving_input_receiver_fn


def build_raw_supervised_input_receiver_fn(features, labels, default_batch_size=None):
    """A training or evaluation input_receiver_fn fed `features` and `labels` (tensors or
    dicts of them, with distinct keys) directly, as placeholders like them."""
    # A lone feature tensor is fed as 'input' (the receiver's name), a lone label as 'label'.
    single = {'feature': _SINGLE_NAMES['receiver_tensor'], 'label': _SINGLE_NAMES['label']}
    keys = {field: set(tensors) if isinstance(tensors, dict) else {single[field]}
            for field, tensors in (('feature', features), ('label', labels))}
    overlap = keys['feature'] & keys['label']
    if overlap:
        raise ValueError('Features and labels must have distinct keys. Found overlapping '
                         'keys: {}'.format(overlap))

    def supervised_input_receiver_fn():
        fed = {}
        made = []
        for field, tensors in (('feature', features), ('label', labels)):
            if isinstance(tensors, dict):
                placeholders = _placeholders_like(tensors, default_batch_size)
                fed.update(placeholders)
                made.append(placeholders)
            else:
                placeholder = _placeholder_like(tensors, default_batch_size)
                fed[single[field]] = placeholder
                made.append(placeholder)
        return SupervisedInputReceiver(made[0], made[1], fed)
    return supervised_input_receiver_fn


def build_supervised_input_receiver_fn_from_input_fn(input_fn, **input_fn_args):
    """A supervised input_receiver_fn whose placeholders are like the features and labels
    `input_fn(**input_fn_args)` gives (called once, in a graph of its own)."""
    with tf.Graph().as_default():
        features, labels = _features_and_labels(input_fn(**input_fn_args))
    return build_raw_supervised_input_receiver_fn(features, labels)


def _features_and_labels(result):
    """An input_fn's (features, labels), from a tuple or a Dataset's first element."""
    if isinstance(result, tf.data.Dataset):
        result = tf.data.make_initializable_iterator(result).get_next()  # as TF 1.x
    if isinstance(result, (list, tuple)) and len(result) == 2:
        return result
    raise ValueError('input_fn must return (features, labels), or a Dataset of them, to '
                     'build a supervised input_receiver_fn; got %s' % type(result).__name__)


def build_parsing_serving_input_receiver_fn(feature_spec, default_batch_size=None):
    """A serving_input_receiver_fn fed serialized tf.Examples, parsed by `feature_spec`."""
    def serving_input_receiver_fn():
        examples = tf.placeholder(tf.string, [default_batch_size], name='input_example_tensor')
        return ServingInputReceiver(tf.parse_example(examples, feature_spec),
                                    {'examples': examples})
    return serving_input_receiver_fn


def export_all_saved_models(estimator, export_dir_base, input_receiver_fn_map, assets_extra,
                            as_text, checkpoint_path, strip_default_attrs):
    """One SavedModel in EXPORT_DIR_BASE/TIMESTAMP with a meta graph for each mode of
    `input_receiver_fn_map` ({ModeKeys.X: input_receiver_fn}), sharing one set of variables
    from the newest (or given) checkpoint; returns its directory (bytes)."""
    checkpoint_path = checkpoint_path or estimator.latest_checkpoint()
    warm_start = getattr(estimator, '_warm_start_settings', None)
    if not checkpoint_path and warm_start:  # as TF 1.x: what the model would start from
        checkpoint_path = warm_start.ckpt_to_initialize_from
        if tf.gfile.IsDirectory(checkpoint_path):
            checkpoint_path = tf.train.latest_checkpoint(checkpoint_path)
    if not checkpoint_path:
        raise ValueError("Couldn't find trained model at {}.".format(estimator.model_dir))
    modes = [mode for mode in (ModeKeys.TRAIN, ModeKeys.EVAL, ModeKeys.PREDICT)
             if input_receiver_fn_map.get(mode)]
    if not modes:
        raise ValueError('No valid modes for exporting found. Got {}.'.format(
            list(input_receiver_fn_map)))
    export_dir = get_timestamped_export_dir(export_dir_base)
    temporary_dir = get_temp_export_dir(export_dir)
    builder = tf.saved_model.Builder(temporary_dir)
    for mode in modes:  # the first saves the variables, the others only their graphs
        _add_meta_graph(builder, estimator, input_receiver_fn_map[mode], mode,
                        checkpoint_path, save_variables=mode == modes[0],
                        strip_default_attrs=strip_default_attrs)
    builder.save(as_text)
    for destination, source in (assets_extra or {}).items():
        destination = os.path.join(tf.compat.as_bytes(temporary_dir), b'assets.extra',
                                   tf.compat.as_bytes(destination))
        tf.gfile.MakeDirs(os.path.dirname(destination))
        tf.gfile.Copy(source, destination)
    tf.gfile.Rename(temporary_dir, export_dir)
    return export_dir


def _add_meta_graph(builder, estimator, input_receiver_fn, mode, checkpoint_path,
                    save_variables, strip_default_attrs):
    """The model_fn's graph for `mode`, fed by the receiver, its signatures and (training)
    its train op, restored from the checkpoint, added to the SavedModel `builder`."""
    with tf.Graph().as_default():
        tf.train.create_global_step()
        tf.set_random_seed(estimator.config.tf_random_seed)
        receiver = input_receiver_fn()
        spec = estimator.model_fn(receiver.features, getattr(receiver, 'labels', None), mode,
                                  estimator.config)
        export_outputs = export_outputs_for_mode(
            mode, serving_export_outputs=spec.export_outputs, predictions=spec.predictions,
            loss=spec.loss, metrics=spec.eval_metric_ops)
        signatures = build_all_signature_defs(
            receiver.receiver_tensors, export_outputs,
            getattr(receiver, 'receiver_tensors_alternatives', None),
            serving_only=mode == ModeKeys.PREDICT)
        saver = spec.scaffold.saver or tf.train.Saver(sharded=True)
        with tf.Session(config=estimator.config.session_config) as session:
            try:
                saver.restore(session, checkpoint_path)
            except tf.errors.NotFoundError as error:
                lines = error.message.splitlines()
                missing = [line for line in lines if 'not found in checkpoint' in line]
                raise ValueError('Could not load all requested variables from checkpoint: '
                                 'the model_fn in mode `%s` expects variables that %s does '
                                 'not hold (%s)' % (mode, checkpoint_path,
                                                    (missing or lines)[0].strip()))
            # TF 1.x's way, in every mode: an EVAL spec's train op is kept too.
            builder._add_train_op(spec.train_op)
            arguments = dict(
                tags=EXPORT_TAG_MAP[mode], signature_def_map=signatures,
                assets_collection=tf.get_collection(tf.GraphKeys.ASSET_FILEPATHS),
                main_op=spec.scaffold.local_init_op or tf.train.Scaffold.default_local_init_op(),
                saver=saver, strip_default_attrs=strip_default_attrs)
            if save_variables:
                builder.add_meta_graph_and_variables(session, **arguments)
            else:
                builder.add_meta_graph(**arguments)
