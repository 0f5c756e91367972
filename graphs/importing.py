"""Build our inference graph around a checkpoint that other TensorFlow 1.x code wrote.

Two ways in, both ending in a graph made by graphs/model.build_around_logits, so it has
every name of the tensor-name contract, and a map {name in the source checkpoint:
variable of that graph} that says where each weight comes from:

    from_meta_graph      the source's own graph, from the meta-graph its Saver wrote
                         (PREFIX.meta): only the ops its logits need, imported under the
                         `imported/` scope, with our [None, 784] input reshaped (and cast)
                         onto its input and constants onto the placeholders it needs fed
    from_architecture    one of our seven models, rebuilt in code, its variables matched
                         to the checkpoint's by name or, failing that, by shape

Everything a user can get wrong raises ImportFailure with a one-line message.
"""
import collections
import importlib
import json
import os
import re

import numpy as np
import tensorflow.compat.v1 as tf
from tensorflow.core.framework import variable_pb2

from graphs import contract, layers
from graphs.messages import one_line
from graphs import model as model_lib

IMPORT_SCOPE = 'imported'
VARIABLE_OPS = ('VariableV2', 'Variable', 'VarHandleOp')
GLOBAL_STEP = 'global_step'

# What optimizers (and moving averages) keep next to each weight: training state that
# inference never reads, so the importer ignores them.
_TRAINING_STATE = re.compile(
    r'(^|/)(beta[12]_power(_\d+)?)$'
    r'|/(Adam|Momentum|RMSProp|Adagrad|AdagradDA|Adadelta|Ftrl|ProximalAdagrad|Nadam|Adamax'
    r'|ExponentialMovingAverage)(_\d+)?$')

# The flags that size each architecture's hidden layers, as its train_NAME.py names them.
SIZE_FLAGS = {'nn': ('hidden_units',), 'lstm': ('num_units',), 'cnn_lstm': ('num_units',),
              'crnn': ('num_units',)}


class ImportFailure(Exception):
    """A checkpoint that cannot be imported as asked; the message says why in one line."""


Imported = collections.namedtuple('Imported', ['graph', 'model', 'sources'])
Imported.__doc__ = """The built graph, its graphs/model.Model, and {source name: variable}."""


# ---------------------------------------------------------------------------- checkpoints

def checkpoint_prefix(path):
    """The checkpoint prefix that `path` names: a prefix itself (.../model.ckpt-2000), one
    of its files (model.ckpt-2000.index, .meta, .data-00000-of-00001), or a directory
    whose `checkpoint` file names one. Both formats TF 1.x's Saver wrote: V2 (PREFIX.index
    and data shards, the default since TF 0.12) and V1 (one file at PREFIX itself, as
    older apps shipped theirs), which TensorFlow still reads."""
    if os.path.isdir(path):
        prefix = tf.train.latest_checkpoint(path)
        if prefix is None:
            raise ImportFailure('%s holds no `checkpoint` file naming a checkpoint' % path)
    else:
        prefix = path
        without_suffix = _CHECKPOINT_FILE.sub('', path)
        if without_suffix != path and _is_checkpoint(without_suffix):
            prefix = without_suffix
    if not _is_checkpoint(prefix):
        raise ImportFailure('no checkpoint at %s (expected %s.index, or that file itself in '
                            "TF's older V1 format)" % (prefix, prefix))
    return prefix


# The files a V2 checkpoint's prefix names, and the meta-graph beside either format.
_CHECKPOINT_FILE = re.compile(r'\.(index|meta|data-\d{5}-of-\d{5})$')


def _is_checkpoint(prefix):
    return os.path.isfile(prefix + '.index') or os.path.isfile(prefix)  # V2, V1


def saved_shapes(prefix):
    """{variable name: shape} of every variable the checkpoint holds."""
    try:
        return {name: shape for name, shape in tf.train.list_variables(prefix)}
    except (tf.errors.OpError, ValueError) as error:
        raise ImportFailure('cannot read the checkpoint %s (%s)' % (prefix, one_line(error)))


def global_step(prefix, shapes):
    """The source's global step: its global_step variable, else the -STEP of its name, else 0."""
    if shapes.get(GLOBAL_STEP) == []:
        return int(tf.train.load_variable(prefix, GLOBAL_STEP))
    step = re.search(r'-(\d+)$', prefix)
    return int(step.group(1)) if step else 0


def is_training_state(name):
    return bool(_TRAINING_STATE.search(name)) or name == GLOBAL_STEP


def restore(sess, prefix, sources):
    """Load each variable from the source checkpoint under its source name. Variable.load
    feeds the value to the variable's initializer: no op is added to the graph, whose
    meta-graph is what clients later import."""
    reader = tf.train.NewCheckpointReader(prefix)
    for name, variable in sources.items():
        try:
            value = reader.get_tensor(name)
        except Exception as error:  # a damaged .data file: IndexError, DataLossError ...
            raise ImportFailure('cannot read %s from %s (%s): is the checkpoint damaged?' % (
                name, prefix, one_line(error))) from error
        variable.load(value, sess)


# ---------------------------------------------------------------------------- (a) meta-graph

def from_meta_graph(prefix, input_name, output_name, output_is_probabilities, feed_texts):
    """Our graph around the source's own, read from PREFIX.meta.

    `feed_texts` maps the source's tensor names to the text of the value they get (a
    keep probability without default, an is_training flag...). The output is its logits,
    or with `output_is_probabilities` its softmax, whose logarithm then serves as logits
    (softmax of the log gives the probabilities back)."""
    meta_graph = _read_meta_graph(prefix + '.meta')
    source = tf.Graph()
    with source.as_default():
        try:
            tf.import_graph_def(meta_graph.graph_def, name='')
        except (ValueError, tf.errors.OpError) as error:
            raise ImportFailure('cannot load the graph in %s.meta (%s)' % (
                prefix, one_line(error)))
    input_tensor = _tensor(source, input_name, '--input_tensor')
    output = _tensor(source, output_name,
                     '--probabilities_tensor' if output_is_probabilities else '--logits_tensor')
    image_shape = _image_shape(input_tensor)
    _check_output(output, output.shape)
    feeds = {}
    for name, text in feed_texts.items():
        tensor = _tensor(source, name, '--feed')
        if tensor in (input_tensor, output):
            raise ImportFailure('--feed %s: that is the input or output tensor' % name)
        feeds[tensor.name] = _feed_value(tensor, text)

    cut = set(feeds) | {input_tensor.name}
    needed = _needed_nodes(meta_graph.graph_def, [output.op.name], cut)
    _check_fed(meta_graph.graph_def, needed)
    variable_defs = _variable_defs(meta_graph, needed)
    # The ops each variable is rebuilt from (tf.Variable(variable_def=...)), and their inputs.
    variable_ops = [name.split(':')[0] for d in variable_defs.values()
                    for name in (d.initializer_name, d.snapshot_name, d.initial_value_name)
                    if name]
    kept = needed | _needed_nodes(meta_graph.graph_def, variable_ops, cut)
    graph_def = _subgraph(meta_graph.graph_def, kept)
    trainable = _collection_names(meta_graph, tf.GraphKeys.TRAINABLE_VARIABLES)

    def logits_of(images, keep_prob):
        del keep_prob  # the source's dropout, if any, gets the value --feed gives it
        with tf.name_scope(contract.INPUT_SCOPE + '/'):
            mapped = tf.reshape(images, [-1] + image_shape, name='imported_shape')
            if input_tensor.dtype != tf.float32:
                mapped = tf.cast(mapped, input_tensor.dtype, name='imported_type')
        with tf.name_scope('feeds'):
            constants = {name: tf.constant(value, name=name.split(':')[0].replace('/', '_'))
                         for name, value in feeds.items()}
        try:
            imported, = tf.import_graph_def(graph_def, input_map={input_tensor.name: mapped,
                                                                  **constants},
                                            return_elements=[output.name], name=IMPORT_SCOPE)
        except (ValueError, tf.errors.OpError) as error:
            raise ImportFailure('cannot import the graph of %s.meta onto our input (%s)' % (
                prefix, one_line(error)))
        for name, variable_def in variable_defs.items():
            variable = tf.Variable(variable_def=variable_def, import_scope=IMPORT_SCOPE,
                                   use_resource=variable_def.is_resource)
            tf.add_to_collection(tf.GraphKeys.GLOBAL_VARIABLES, variable)
            if name in trainable:
                tf.add_to_collection(tf.GraphKeys.TRAINABLE_VARIABLES, variable)
        _check_output(output, imported.shape, batch_free=True)
        logits = imported if imported.dtype == tf.float32 else tf.cast(imported, tf.float32)
        if output_is_probabilities:
            with tf.name_scope('imported_logits'):
                # Clipped at the smallest normal float32, so a probability of 0 gives a
                # very negative logit rather than -inf (which JSON cannot carry).
                logits = tf.log(tf.maximum(logits, np.finfo(np.float32).tiny))
        with tf.name_scope(contract.LOGITS_SCOPE):
            return tf.identity(logits, name='activation')

    graph, model = _build(lambda: model_lib.build_around_logits(logits_of))
    sources = {name: _variable(graph, IMPORT_SCOPE + '/' + name) for name in variable_defs}
    return Imported(graph, model, sources)


def _read_meta_graph(path):
    meta_graph = tf.MetaGraphDef()
    try:
        with open(path, 'rb') as f:
            meta_graph.ParseFromString(f.read())
    except OSError as error:
        raise ImportFailure('cannot read %s (%s)' % (path, error.strerror or error))
    except Exception as error:  # protobuf's DecodeError, which it does not export
        raise ImportFailure('%s is not a meta-graph (%s)' % (path, one_line(error)))
    return meta_graph


def _tensor(graph, name, flag):
    if not re.fullmatch(r'[^:]+:\d+', name):
        raise ImportFailure('%s %r is not a tensor name: give NAME:INDEX, e.g. %s:0' % (
            flag, name, name))
    try:
        return graph.get_tensor_by_name(name)
    except (KeyError, ValueError):
        raise ImportFailure('%s %s: no such tensor in the meta-graph (its placeholders: %s)'
                            % (flag, name, _placeholders(graph)))


def _placeholders(graph):
    found = ['%s %s %s' % (op.outputs[0].name, op.outputs[0].dtype.name,
                           _shape_text(op.outputs[0].shape))
             for op in graph.get_operations() if op.type == 'Placeholder']
    return ', '.join(found) or 'none'


def _image_shape(tensor):
    """The shape of one image in the source's input: the input's shape without its batch
    dimension, which must hold 784 values ([784], [28, 28], [28, 28, 1]...). A fixed
    batch size is lifted by the import; _check_output catches a graph that depends on it."""
    if not tensor.dtype.is_floating:
        raise ImportFailure('input %s is %s: the contract feeds float images in [0, 1]' % (
            tensor.name, tensor.dtype.name))
    shape = tensor.shape
    if shape.rank is None or shape.rank < 2 or not shape[1:].is_fully_defined():
        raise ImportFailure('input %s has shape %s: need a batch dimension and a fixed image '
                            'shape such as [None, 784] or [None, 28, 28, 1]' % (
                                tensor.name, _shape_text(shape)))
    image_shape = shape[1:].as_list()
    if np.prod(image_shape) != contract.IMAGE_PIXELS:
        raise ImportFailure('input %s has shape %s: one image must be %d values' % (
            tensor.name, _shape_text(shape), contract.IMAGE_PIXELS))
    return image_shape


def _check_output(tensor, shape, batch_free=False):
    """The output must be [batch, 10] floats; once mapped onto our [None, 784] input, with a
    batch dimension that is still free (a graph that reshapes to its own fixed batch size
    cannot classify one image)."""
    if not tensor.dtype.is_floating:
        raise ImportFailure('output %s is %s, not floats' % (tensor.name, tensor.dtype.name))
    if shape.rank is None:
        return
    sizes = shape.as_list()  # plain ints and None, whichever TensorShape behaviour is on
    if len(sizes) != 2 or sizes[1] not in (None, contract.NUM_CLASSES):
        raise ImportFailure('output %s has shape %s; expected [None, %d]' % (
            tensor.name, _shape_text(shape), contract.NUM_CLASSES))
    if batch_free and sizes[0] is not None:
        raise ImportFailure('the graph fixes its batch size: on our [None, %d] input its output '
                            '%s has shape %s, so it cannot classify any number of images' % (
                                contract.IMAGE_PIXELS, tensor.name, _shape_text(shape)))


def _feed_value(tensor, text):
    """`text` as a value of the tensor's type and shape: true/false for a bool, else JSON
    (a number, or a list for a tensor with dimensions)."""
    try:
        if tensor.dtype == tf.bool:
            value = {'true': True, 'false': False}[text.strip().lower()]
        else:
            value = json.loads(text)
        array = np.asarray(value, dtype=tensor.dtype.as_numpy_dtype)
    except (KeyError, ValueError, TypeError):
        raise ImportFailure('--feed %s=%s: not a %s value' % (tensor.name, text,
                                                               tensor.dtype.name))
    if not tensor.shape.is_compatible_with(array.shape):
        raise ImportFailure('--feed %s=%s: shape %s, but the tensor has shape %s' % (
            tensor.name, text, list(array.shape), _shape_text(tensor.shape)))
    return array


def _needed_nodes(graph_def, outputs, cut):
    """Names of the nodes `outputs` depend on, not looking past the tensors in `cut`
    (those the import replaces)."""
    inputs = {node.name: node.input for node in graph_def.node}
    needed, pending = set(), list(outputs)
    while pending:
        name = pending.pop()
        if name in needed:
            continue
        needed.add(name)
        for source in inputs[name]:
            if source.startswith('^'):
                pending.append(source[1:])
            elif (source if ':' in source else source + ':0') not in cut:
                pending.append(source.split(':')[0])
    return needed


def _check_fed(graph_def, needed):
    for node in graph_def.node:
        if node.name in needed and node.op == 'Placeholder':
            raise ImportFailure('the output needs placeholder %s:0, which has no default: '
                                'give its value with --feed %s:0=VALUE' % (node.name, node.name))


def _variable_defs(meta_graph, needed):
    """{name: VariableDef} of the variables among the `needed` nodes, from the meta-graph's
    variables collection (which says how to rebuild each as a tf.Variable)."""
    defs = {}
    for data in meta_graph.collection_def[tf.GraphKeys.GLOBAL_VARIABLES].bytes_list.value:
        variable_def = variable_pb2.VariableDef()
        variable_def.ParseFromString(data)
        defs[variable_def.variable_name.split(':')[0]] = variable_def
    wanted = sorted(node.name for node in meta_graph.graph_def.node
                    if node.name in needed and node.op in VARIABLE_OPS)
    missing = [name for name in wanted if name not in defs]
    if missing:
        raise ImportFailure('the output needs variables that are not in the meta-graph\'s '
                            'variables collection: %s' % ', '.join(missing))
    return {name: defs[name] for name in wanted}


def _collection_names(meta_graph, key):
    names = set()
    for data in meta_graph.collection_def[key].bytes_list.value:
        variable_def = variable_pb2.VariableDef()
        variable_def.ParseFromString(data)
        names.add(variable_def.variable_name.split(':')[0])
    return names


def _subgraph(graph_def, kept):
    """The nodes named in `kept`, in their order, with no device placement, no recorded
    output shapes (the importer would hold the shapes to those, which a Saver records for
    the source's input, where they must be inferred anew from ours) and no colocation
    with a node left out (the importer refuses those: a tf.cond colocates its switches
    with the placeholders it reads, which --feed replaces)."""
    subgraph = tf.GraphDef()
    subgraph.versions.CopyFrom(graph_def.versions)
    subgraph.library.CopyFrom(graph_def.library)
    for node in graph_def.node:
        if node.name in kept:
            copy = subgraph.node.add()
            copy.CopyFrom(node)
            copy.device = ''
            if '_output_shapes' in copy.attr:
                del copy.attr['_output_shapes']
            if '_class' in copy.attr:
                places = [place for place in copy.attr['_class'].list.s
                          if place.decode().partition('loc:@')[2] in kept]
                del copy.attr['_class'].list.s[:]
                copy.attr['_class'].list.s.extend(places)
                if not places:
                    del copy.attr['_class']
    return subgraph


# ---------------------------------------------------------------------------- (b) architecture

def from_architecture(architecture, sizes, shapes):
    """Our graph for `architecture` (a graphs/ module name) with hidden sizes `sizes`
    ({flag: value}), its variables matched to the checkpoint's (`shapes`)."""
    module = importlib.import_module('graphs.' + architecture)

    def features(images, keep_prob):
        return module.features(images, keep_prob, **sizes)

    graph, model = _build(lambda: model_lib.build(features))
    ours = {variable.op.name: variable.shape.as_list()
            for variable in graph.get_collection(tf.GraphKeys.GLOBAL_VARIABLES)
            if variable.op.name != GLOBAL_STEP}
    theirs = {name: shape for name, shape in shapes.items() if not is_training_state(name)}
    pairs = match_variables(theirs, ours, architecture)
    return Imported(graph, model, {name: _variable(graph, ours_name)
                                   for name, ours_name in pairs.items()})


def match_variables(theirs, ours, architecture):
    """{their name: our name} pairing every variable of each side ({name: shape}) with one
    of the other, where that is unambiguous: first by name (identical, or one is the other
    under a scope), then, among the rest, by a shape that only one variable on each side
    has. (A checkpoint lists its variables by name, not in the order they were made, so
    order cannot break a tie between equal shapes.) Anything else raises ImportFailure
    with both lists."""
    by_name = {t: [o for o in ours if _same_up_to_scope(t, o)] for t in theirs}
    claims = collections.Counter(o for candidates in by_name.values() for o in candidates)
    pairs = {t: candidates[0] for t, candidates in by_name.items()
             if len(candidates) == 1 and claims[candidates[0]] == 1}
    wrong = ['%s %s vs %s %s' % (t, theirs[t], o, ours[o]) for t, o in pairs.items()
             if theirs[t] != ours[o]]
    if wrong:
        raise ImportFailure('the checkpoint does not fit %s: %s. Checkpoint: %s. %s: %s' % (
            architecture, '; '.join(wrong), _listing(theirs), architecture, _listing(ours)))
    left_theirs = {t: s for t, s in theirs.items() if t not in pairs}
    left_ours = {o: s for o, s in ours.items() if o not in pairs.values()}
    for shape in {tuple(s) for s in left_theirs.values()}:
        with_shape = [t for t, s in left_theirs.items() if tuple(s) == shape]
        ours_with_shape = [o for o, s in left_ours.items() if tuple(s) == shape]
        if len(with_shape) == 1 and len(ours_with_shape) == 1:
            pairs[with_shape[0]] = ours_with_shape[0]
    if len(pairs) != len(theirs) or len(pairs) != len(ours):
        unmatched = sorted(set(theirs) - set(pairs)) + sorted(set(ours) - set(pairs.values()))
        raise ImportFailure(
            'cannot map the checkpoint\'s variables onto %s\'s one to one (unmatched: %s). '
            'Checkpoint: %s. %s: %s' % (architecture, ', '.join(unmatched), _listing(theirs),
                                        architecture, _listing(ours)))
    return pairs


def _same_up_to_scope(name, other):
    return name == other or name.endswith('/' + other) or other.endswith('/' + name)


def _listing(shapes):
    return ', '.join('%s %s' % (name, shape) for name, shape in sorted(shapes.items())) or 'none'


# ---------------------------------------------------------------------------- shared

def _build(make_model):
    """A graph holding the inference model that make_model() builds: no summaries, no
    dropout op, one LSTM chain (layers.inference_graph), as our own serving copies."""
    graph = tf.Graph()
    with graph.as_default(), layers.inference_graph():
        model = make_model()
    return graph, model


def _variable(graph, name):
    return next(variable for variable in graph.get_collection(tf.GraphKeys.GLOBAL_VARIABLES)
                if variable.op.name == name)


def _shape_text(shape):
    return 'unknown' if shape.rank is None else str(
        [None if size is None else int(size) for size in shape.as_list()])
