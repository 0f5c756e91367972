"""tf.contrib.predictor (TF 1.3-1.15, ported from contrib/predictor): a model as a function
from a dict of NumPy arrays to a dict of NumPy arrays, kept open between calls.

    predict_fn = tf.contrib.predictor.from_saved_model(export_dir)
    predict_fn({'x': images})  # -> {'classes': ..., 'probabilities': ...}

Three ways to get one, as in TF 1.x: from a SavedModel on disk (its signature, by key or
given, or tensors named by the caller), from a tf.estimator.Estimator's newest checkpoint
and a serving_input_receiver_fn (the signature its export would have), and from a
tf.contrib.learn Estimator's and a serving input_fn returning InputFnOps (its output
alternatives). Each loads once; every call is one Session.run.
"""
import tensorflow.compat.v1 as tf
from tensorflow.python.saved_model import loader_impl
from tensorflow.python.saved_model.model_utils import export_utils as _export_utils

from tf1 import contrib_learn_estimator
from tf1.contrib_learn_input_fn_utils import InputFnOps
from tf1.estimator_spec import ModeKeys

DEFAULT_TAGS = 'serve'
_DEFAULT_INPUT_ALTERNATIVE_FORMAT = 'default_input_alternative:{}'
# contrib.learn's names for a model's input and outputs when it exports no alternatives.
DEFAULT_INPUT_ALTERNATIVE_KEY = 'default_input_alternative'
_FALLBACK_DEFAULT_OUTPUT_ALTERNATIVE_KEY = 'default_output_alternative'
_GENERIC_PREDICTION_KEY = 'output'  # contrib.learn's PredictionKey.GENERIC


class Predictor(object):
    """A loaded model: call it with {key: array} for each of feed_tensors' keys (a missing
    one is not fed); it returns {key: array} for each of fetch_tensors."""

    graph = property(lambda self: self._graph)
    session = property(lambda self: self._session)
    feed_tensors = property(lambda self: self._feed_tensors)
    fetch_tensors = property(lambda self: self._fetch_tensors)

    def __repr__(self):
        return '{} with feed tensors {} and fetch_tensors {}'.format(
            type(self).__name__, self._feed_tensors, self._fetch_tensors)

    def __call__(self, input_dict):
        unexpected_keys = set(input_dict.keys()) - set(self.feed_tensors.keys())
        if unexpected_keys:
            raise ValueError('Got unexpected keys in input_dict: {}'.format(unexpected_keys))
        feed_dict = {tensor: input_dict[key] for key, tensor in self.feed_tensors.items()
                     if input_dict.get(key) is not None}
        return self._session.run(fetches=self.fetch_tensors, feed_dict=feed_dict)


def get_meta_graph_def(saved_model_dir, tags):
    """The MetaGraphDef of the SavedModel in `saved_model_dir` whose tags are exactly
    `tags` (comma separated)."""
    saved_model = loader_impl.parse_saved_model(saved_model_dir)
    set_of_tags = set(tag.strip() for tag in tags.split(','))
    for meta_graph_def in saved_model.meta_graphs:
        if set(meta_graph_def.meta_info_def.tags) == set_of_tags:
            return meta_graph_def
    raise ValueError('Could not find MetaGraphDef with tags {}'.format(tags))


def _get_signature_def(signature_def_key, export_dir, tags):
    """The SignatureDef under `signature_def_key` (serving_default by default), or under
    contrib.learn's 'default_input_alternative:KEY', as TF 1.x fell back to."""
    signature_def_key = signature_def_key or tf.saved_model.DEFAULT_SERVING_SIGNATURE_DEF_KEY
    signatures = get_meta_graph_def(export_dir, tags).signature_def
    # `in`, not [key]: a protobuf map of messages answers a missing key with an empty one.
    if signature_def_key in signatures:
        return signatures[signature_def_key]
    formatted_key = _DEFAULT_INPUT_ALTERNATIVE_FORMAT.format(signature_def_key)
    if formatted_key not in signatures:
        raise ValueError('Got signature_def_key "{}". Available signatures are {}.'.format(
            signature_def_key, sorted(signatures)))
    tf.logging.warning('Could not find signature def "%s". Using "%s" instead',
                       signature_def_key, formatted_key)
    return signatures[formatted_key]


def _check_signature_arguments(signature_def_key, signature_def, input_names, output_names):
    if (input_names is None) != (output_names is None):
        raise ValueError('input_names and output_names must both be specified or both be '
                         'unspecified.')
    if (signature_def_key is not None) + (signature_def is not None) + (
            input_names is not None) > 1:
        raise ValueError('You must specify at most one of signature_def_key OR signature_def '
                         'OR(input_names AND output_names).')


def _tensors(graph, names):
    return {key: graph.get_tensor_by_name(name) for key, name in names.items()}


class SavedModelPredictor(Predictor):
    """A SavedModel loaded into its own session (tags: 'serve' unless given)."""

    def __init__(self, export_dir, signature_def_key=None, signature_def=None,
                 input_names=None, output_names=None, tags=None, graph=None, config=None):
        _check_signature_arguments(signature_def_key, signature_def, input_names,
                                   output_names)
        tags = tags or DEFAULT_TAGS
        self._graph = graph or tf.Graph()
        with self._graph.as_default():
            self._session = tf.Session(config=config)
            tf.saved_model.loader.load(self._session, tags.split(','), export_dir)
        if input_names is None:
            if signature_def is None:
                signature_def = _get_signature_def(signature_def_key, export_dir, tags)
            input_names = {key: info.name for key, info in signature_def.inputs.items()}
            output_names = {key: info.name for key, info in signature_def.outputs.items()}
        self._feed_tensors = _tensors(self._graph, input_names)
        self._fetch_tensors = _tensors(self._graph, output_names)


class CoreEstimatorPredictor(Predictor):
    """A tf.estimator.Estimator's PREDICT graph on the tensors serving_input_receiver_fn
    makes, restored from its newest checkpoint; fed and fetched as the signature
    `output_key` of its export would be."""

    def __init__(self, estimator, serving_input_receiver_fn, output_key=None, graph=None,
                 config=None):
        self._graph = graph or tf.Graph()
        with self._graph.as_default():
            receiver = serving_input_receiver_fn()
            signature_def = _estimator_signature_def(receiver, estimator, output_key)
            self._session = tf.train.MonitoredSession(
                session_creator=tf.train.ChiefSessionCreator(
                    config=config, checkpoint_dir=estimator.model_dir))
        self._feed_tensors = _tensors(self._graph, {
            key: info.name for key, info in signature_def.inputs.items()})
        self._fetch_tensors = _tensors(self._graph, {
            key: info.name for key, info in signature_def.outputs.items()})


def _estimator_signature_def(receiver, estimator, output_key):
    output_key = output_key or tf.saved_model.DEFAULT_SERVING_SIGNATURE_DEF_KEY
    spec = estimator.model_fn(receiver.features, None, ModeKeys.PREDICT, estimator.config)
    # No export_outputs means one, the predictions (tf1's EstimatorSpec adds it, as TF 1.x's
    # did; this also covers a spec the model_fn built otherwise).
    export_outputs = _export_utils.export_outputs_for_mode(
        ModeKeys.PREDICT, serving_export_outputs=spec.export_outputs,
        predictions=spec.predictions)
    export_output = export_outputs.get(output_key)
    if export_output is None:
        raise KeyError('output_key must be one of {}; got {}'.format(
            export_outputs.keys(), output_key))
    return export_output.as_signature_def(receiver.receiver_tensors)


class ContribEstimatorPredictor(Predictor):
    """A tf.contrib.learn Estimator's INFER graph on the features prediction_input_fn's
    InputFnOps give, restored from its newest checkpoint; fed by their default inputs,
    fetching the output alternative's tensors."""

    def __init__(self, estimator, prediction_input_fn, input_alternative_key=None,
                 output_alternative_key=None, graph=None, config=None):
        self._graph = graph or tf.Graph()
        with self._graph.as_default():
            input_fn_ops = prediction_input_fn()
            model_fn_ops = estimator._get_predict_ops(input_fn_ops.features)
            checkpoint_path = tf.train.latest_checkpoint(estimator.model_dir)
            self._session = tf.train.MonitoredSession(
                session_creator=tf.train.ChiefSessionCreator(
                    config=config, checkpoint_filename_with_path=checkpoint_path))
        input_alternatives = _input_alternatives(input_fn_ops)
        self._feed_tensors = input_alternatives[
            input_alternative_key or DEFAULT_INPUT_ALTERNATIVE_KEY]
        output_alternatives, output_alternative_key = _output_alternatives(
            model_fn_ops, output_alternative_key)
        _, self._fetch_tensors = output_alternatives[output_alternative_key]


def _input_alternatives(input_ops):
    """contrib.learn's get_input_alternatives: InputFnOps' default inputs."""
    if isinstance(input_ops, InputFnOps):
        features, _, default_inputs = input_ops
        alternatives = {DEFAULT_INPUT_ALTERNATIVE_KEY: default_inputs}
    else:
        features, _ = input_ops
        alternatives = {}
    if not features:
        raise ValueError('Features must be defined.')
    return alternatives


def _output_alternatives(model_fn_ops, default_output_alternative_key=None):
    """contrib.learn's get_output_alternatives: ({key: (problem type, {name: tensor})},
    the key served by default)."""
    alternatives = model_fn_ops.output_alternatives
    if not alternatives:
        if default_output_alternative_key:
            raise ValueError('Requested default_output_alternative: {}, but available '
                             'output_alternatives are: []'.format(
                                 default_output_alternative_key))
        outputs = model_fn_ops.predictions
        if not isinstance(outputs, dict):
            outputs = {_GENERIC_PREDICTION_KEY: outputs}
        key = _FALLBACK_DEFAULT_OUTPUT_ALTERNATIVE_KEY
        return {key: (None, outputs)}, key  # problem type: unspecified
    if default_output_alternative_key:
        if default_output_alternative_key in alternatives:
            return alternatives, default_output_alternative_key
        raise ValueError('Requested default_output_alternative: {}, but available '
                         'output_alternatives are: {}'.format(
                             default_output_alternative_key, sorted(alternatives)))
    if len(alternatives) == 1:
        (key, _), = alternatives.items()
        return alternatives, key
    raise ValueError('Please specify a default_output_alternative.  Available '
                     'output_alternatives are: {}'.format(sorted(alternatives)))


def from_contrib_estimator(estimator, prediction_input_fn, input_alternative_key=None,
                           output_alternative_key=None, graph=None, config=None):
    """A Predictor of a tf.contrib.learn Estimator (prediction_input_fn returns
    InputFnOps)."""
    if not isinstance(estimator, contrib_learn_estimator.Estimator):
        raise TypeError('Expected estimator to be of type tf.contrib.learn.Estimator, but '
                        'got type tf.python.estimator.Estimator. You likely want to call '
                        'from_estimator.')
    return ContribEstimatorPredictor(
        estimator, prediction_input_fn, input_alternative_key=input_alternative_key,
        output_alternative_key=output_alternative_key, graph=graph, config=config)


def from_estimator(estimator, serving_input_receiver_fn, output_key=None, graph=None,
                   config=None):
    """A Predictor of a tf.estimator.Estimator (serving_input_receiver_fn returns a
    ServingInputReceiver)."""
    if isinstance(estimator, contrib_learn_estimator.Estimator):
        raise TypeError('Expected estimator to be of type tf.python.estimator.Estimator, but '
                        'got type tf.contrib.learn.Estimator. You likely want to call '
                        'from_contrib_estimator.')
    return CoreEstimatorPredictor(estimator, serving_input_receiver_fn,
                                  output_key=output_key, graph=graph, config=config)


def from_saved_model(export_dir, signature_def_key=None, signature_def=None,
                     input_names=None, output_names=None, tags=None, graph=None,
                     config=None):
    """A Predictor of the SavedModel in `export_dir`."""
    return SavedModelPredictor(
        export_dir, signature_def_key=signature_def_key, signature_def=signature_def,
        input_names=input_names, output_names=output_names, tags=tags, graph=graph,
        config=config)
