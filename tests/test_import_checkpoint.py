"""import_checkpoint.py: checkpoints that other TF 1.x code wrote, imported as model/NAME/
and then used, unchanged, by a contract-only client, predict.py, export_savedmodel.py and
predict_server.py, with the probabilities the source's own session gave.

The sources are written by TF 1.x scripts run in their own processes; the imports run in
this one (import_checkpoint.main), and the results are read in fresh processes where it
matters that nothing of the import is around."""
import contextlib
import importlib
import io
import json
import os
import shutil
import sys
from unittest import mock

import numpy as np
import pytest
import tensorflow.compat.v1 as tf

import contract_client
import import_checkpoint
from conftest import ROOT, run_script
from servers import call, start_predict_server

from graphs import importing, layers
from graphs import model as model_lib

TF1_EXAMPLES = os.path.join(ROOT, '..', 'shared', 'tf1_examples')
TOLERANCE = 1e-5

# A TF 1.x user's own training script: its own names, a 4-D input, a keep probability
# without default, dropout behind a tf.cond on an is_training flag, Adam, summaries, and a
# Saver that writes the meta-graph beside the weights. It saves the probabilities its
# session gives for a few random images.
OWN_SCRIPT = '''
import sys
import numpy as np
import tensorflow.compat.v1 as tf
tf.disable_v2_behavior()

out = sys.argv[1]
x = tf.placeholder(tf.float32, [None, 28, 28, 1], name='x')
y = tf.placeholder(tf.int64, [None], name='y')
keep_prob = tf.placeholder(tf.float32, [], name='keep_prob')
is_training = tf.placeholder(tf.bool, [], name='is_training')
with tf.name_scope('hidden'):
    w1 = tf.Variable(tf.truncated_normal([784, 128], stddev=0.1), name='w')
    b1 = tf.Variable(tf.zeros([128]), name='b')
    hidden = tf.nn.relu(tf.matmul(tf.reshape(x, [-1, 784]), w1) + b1)
    hidden = tf.cond(is_training, lambda: tf.nn.dropout(hidden, keep_prob=keep_prob),
                     lambda: hidden)
with tf.name_scope('out'):
    w2 = tf.Variable(tf.truncated_normal([128, 10], stddev=0.1), name='w')
    b2 = tf.Variable(tf.zeros([10]), name='b')
    logits = tf.add(tf.matmul(hidden, w2), b2, name='logits')
    tf.nn.softmax(logits, name='probabilities')
loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=logits))
tf.summary.scalar('loss', loss)
global_step = tf.train.get_or_create_global_step()
train = tf.train.AdamOptimizer(1e-2).minimize(loss, global_step=global_step)
saver = tf.train.Saver()
rng = np.random.RandomState(0)
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    for _ in range(20):
        sess.run(train, {x: rng.rand(32, 28, 28, 1), y: rng.randint(0, 10, 32),
                         keep_prob: 0.5, is_training: True})
    saver.save(sess, out + '/ckpt/model.ckpt', global_step=global_step)
    # The same in TF's older V1 format: one file at the prefix, the meta-graph beside it.
    tf.gfile.MakeDirs(out + '/v1')
    tf.train.Saver(write_version=tf.train.SaverDef.V1).save(
        sess, out + '/v1/model.ckpt', global_step=global_step)
    images = rng.rand(6, 784).astype(np.float32)
    np.save(out + '/images.npy', images)
    np.save(out + '/probabilities.npy', sess.run(tf.nn.softmax(logits), {
        x: images.reshape(-1, 28, 28, 1), keep_prob: 1.0, is_training: False}))
'''

# A web app that rebuilds our `nn` architecture in code with its own variable names and
# saves variables only (no meta-graph), Adam's slots included. It saves the logits.
VARIABLES_ONLY_SCRIPT = '''
import sys
import numpy as np
import tensorflow.compat.v1 as tf
tf.disable_v2_behavior()

out = sys.argv[1]
x = tf.placeholder(tf.float32, [None, 784])
y = tf.placeholder(tf.int64, [None])
W1 = tf.Variable(tf.truncated_normal([784, 64], stddev=0.1), name='W1')
b1 = tf.Variable(tf.fill([64], 0.1), name='b1')
W2 = tf.Variable(tf.truncated_normal([64, 10], stddev=0.1), name='W2')
b2 = tf.Variable(tf.fill([10], 0.1), name='b2')
logits = tf.matmul(tf.nn.relu(tf.matmul(tf.round(x), W1) + b1), W2) + b2
loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=logits))
train = tf.train.AdamOptimizer(1e-2).minimize(loss)
rng = np.random.RandomState(1)
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    for _ in range(10):
        sess.run(train, {x: rng.rand(32, 784), y: rng.randint(0, 10, 32)})
    tf.train.Saver().save(sess, out + '/ckpt/web.ckpt', write_meta_graph=False)
    tf.gfile.MakeDirs(out + '/v1')
    tf.train.Saver(write_version=tf.train.SaverDef.V1).save(
        sess, out + '/v1/web.ckpt', write_meta_graph=False)
    images = rng.rand(6, 784).astype(np.float32)
    np.save(out + '/images.npy', images)
    np.save(out + '/logits.npy', sess.run(logits, {x: images}))
'''

# The probabilities a source's own graph and weights give: its meta-graph and checkpoint
# restored as they are, in a process of their own.
SOURCE_PROBABILITIES = '''
import sys
import numpy as np
import tensorflow.compat.v1 as tf
tf.disable_v2_behavior()

checkpoint, images, input_name, logits_name, out = sys.argv[1:]
images = np.load(images)
with tf.Session() as sess:
    tf.train.import_meta_graph(checkpoint + '.meta').restore(sess, checkpoint)
    logits = sess.graph.get_tensor_by_name(logits_name)
    np.save(out, sess.run(tf.nn.softmax(logits), {input_name: images}))
'''

TRAINING_OPS = ('ApplyAdam', 'ApplyGradientDescent', 'ScalarSummary', 'MergeSummary',
                'HistogramSummary', 'ImageSummary')


def write_and_run(directory, source, *args):
    path = os.path.join(str(directory), 'source.py')
    with open(path, 'w') as f:
        f.write(source)
    return run_script(path, *args)


def run_import(*args):
    """(exit status, stdout, stderr) of import_checkpoint.py with `args`, run in this
    process (TensorFlow is already loaded here)."""
    out, err = io.StringIO(), io.StringIO()
    argv = ['import_checkpoint.py'] + [str(arg) for arg in args]
    with mock.patch.object(sys, 'argv', argv), contextlib.redirect_stdout(out), \
            contextlib.redirect_stderr(err):
        try:
            import_checkpoint.main()
            status = 0
        except SystemExit as exit:
            status = exit.code
    return status, out.getvalue(), err.getvalue()


def imported(*args):
    """The stdout of an import that must succeed."""
    status, out, err = run_import(*args)
    assert status == 0, err
    return out


def failure(*args):
    """The one line on stderr of an import that must fail with status 2."""
    status, _, err = run_import(*args)
    assert status == 2 and len(err.splitlines()) == 1, (status, err)
    return err.strip()


def served_probabilities(model_root, name, images):
    """The probabilities predict_server.py gives for `images`, through its TF Serving API
    (fed as sent, unrounded)."""
    server = start_predict_server(model_root, '--models', name)
    try:
        status, _, answer = call(server, 'POST', '/v1/models/%s:predict' % name,
                                 {'instances': images.tolist()})
    finally:
        server.stop()
    assert status == 200, answer
    return np.array(answer['predictions'])


def predict_py_probabilities(model_dir, images_path):
    """predict.py's probabilities, in a fresh process that has only the checkpoint."""
    result = run_script('predict.py', '--model_dir', str(model_dir), '--input',
                        str(images_path))
    return np.array([json.loads(line)['probabilities'] for line in result.stdout.splitlines()])


# ---------------------------------------------------------------------------- (a) meta-graph

@pytest.fixture(scope='module')
def own_model(tmp_path_factory):
    """The OWN_SCRIPT's checkpoint imported as model/mine: (source dir, model root)."""
    source = tmp_path_factory.mktemp('own')
    write_and_run(source, OWN_SCRIPT, str(source))
    model_root = source / 'model'
    out = imported('--checkpoint', source / 'ckpt', '--name', 'mine', '--model_dir', model_root,
                   '--input_tensor', 'x:0', '--logits_tensor', 'out/logits:0',
                   '--feed', 'keep_prob:0=1.0', '--feed', 'is_training:0=false')
    assert 'as %s: step 20, 4 variables' % (model_root / 'mine') in out
    return source, model_root


def test_meta_graph_import_keeps_the_whole_contract_and_the_probabilities(own_model):
    source, model_root = own_model
    expected = np.load(source / 'probabilities.npy')
    # In a fresh process, by the contract's names alone.
    np.testing.assert_allclose(predict_py_probabilities(model_root / 'mine',
                                                        source / 'images.npy'),
                               expected, atol=TOLERANCE)
    answer = contract_client.answer(str(model_root / 'mine'), np.load(source / 'images.npy'))
    np.testing.assert_allclose(answer['probabilities'], expected, atol=TOLERANCE)
    assert answer['prediction'] == expected.argmax(1).tolist()
    assert answer['input'] == ['float32', [None, 784]]
    assert answer['keep_prob'] == ['PlaceholderWithDefault', 1.0]
    assert answer['prediction_dtype'] == 'int64'
    assert 0 <= answer['accuracy'] <= 1
    # An inference graph, whose checkpoint holds the four weights and the step only.
    assert not set(answer['ops']) & set(TRAINING_OPS)
    assert answer['variables'] == ['global_step', 'imported/hidden/b', 'imported/hidden/w',
                                   'imported/out/b', 'imported/out/w']
    metadata = json.loads((model_root / 'mine' / 'model.json').read_text())
    assert metadata['imported']['source_checkpoint'] == str(source / 'ckpt' / 'model.ckpt-20')
    assert metadata['imported']['mode'] == 'meta-graph'
    assert metadata['imported']['tensors'] == {'input': 'x:0', 'logits': 'out/logits:0',
                                               'feeds': {'keep_prob:0': '1.0',
                                                         'is_training:0': 'false'}}
    assert (metadata['global_step'], metadata['checkpoint'], metadata['test_accuracy']) == (
        20, 'model.ckpt-20', None)
    assert not [name for name in os.listdir(model_root) if name.startswith('.')]


def test_predict_server_serves_the_imported_model(own_model):
    source, model_root = own_model
    images = np.load(source / 'images.npy')
    np.testing.assert_allclose(served_probabilities(model_root, 'mine', images),
                               np.load(source / 'probabilities.npy'), atol=TOLERANCE)


def test_export_savedmodel_exports_the_imported_model(own_model, tmp_path):
    _, model_root = own_model
    result = run_script('export_savedmodel.py', '--model', 'mine', '--model_root',
                        str(model_root), '--export_root', str(tmp_path))
    assert 'mine: exported to' in result.stdout
    assert (tmp_path / 'mine' / '1' / 'saved_model.pb').is_file()


def test_an_existing_model_is_replaced_only_with_force(own_model, tmp_path):
    source, model_root = own_model
    target = tmp_path / 'model'
    args = ['--checkpoint', source / 'ckpt' / 'model.ckpt-20', '--name', 'mine',
            '--model_dir', target, '--input_tensor', 'x:0', '--feed', 'keep_prob:0=1',
            '--feed', 'is_training:0=False']
    imported(*args, '--logits_tensor', 'out/logits:0')
    before = (target / 'mine' / 'model.json').read_text()
    assert failure(*args, '--probabilities_tensor', 'out/probabilities:0') == (
        'error: %s already exists; --force replaces it' % (target / 'mine'))
    assert (target / 'mine' / 'model.json').read_text() == before
    # Replaced by the same model imported from its softmax: log(probabilities) as logits.
    imported(*args, '--probabilities_tensor', 'out/probabilities:0', '--force')
    assert json.loads((target / 'mine' / 'model.json').read_text())['imported']['tensors'][
        'probabilities'] == 'out/probabilities:0'
    assert os.listdir(target) == ['mine']
    answer = contract_client.answer(str(target / 'mine'), np.load(source / 'images.npy'))
    np.testing.assert_allclose(answer['probabilities'], np.load(source / 'probabilities.npy'),
                               atol=TOLERANCE)


@pytest.mark.parametrize('flags, message', [
    (['--feed', 'keep_prob'], "--feed 'keep_prob': expected NAME:0=VALUE"),
    (['--feed', 'keep_prob:0=yes'], '--feed keep_prob:0=yes: not a float32 value'),
    (['--feed', 'keep_prob:0=[1, 2]'], '--feed keep_prob:0=[1, 2]: shape [2], but the tensor '
                                       'has shape []'),
    (['--feed', 'dropout:0=1'], '--feed dropout:0: no such tensor in the meta-graph (its '
                                'placeholders: x:0 float32 [None, 28, 28, 1], y:0 int64 [None], '
                                'keep_prob:0 float32 [], is_training:0 bool [])'),
    (['--feed', 'keep_prob:0=1', '--feed', 'is_training:0=no'],
     '--feed is_training:0=no: not a bool value'),
    (['--feed', 'keep_prob:0=1'], 'the output needs placeholder is_training:0, which has no '
                                  'default: give its value with --feed is_training:0=VALUE'),
    ([], 'the output needs placeholder keep_prob:0, which has no default: give its value '
         'with --feed keep_prob:0=VALUE'),
    (['--feed', 'keep_prob:0=1', '--input_tensor', 'y:0'],
     'input y:0 is int64: the contract feeds float images in [0, 1]'),
    (['--feed', 'keep_prob:0=1', '--input_tensor', 'hidden/Relu'],
     "--input_tensor 'hidden/Relu' is not a tensor name: give NAME:INDEX, e.g. hidden/Relu:0"),
    (['--feed', 'keep_prob:0=1', '--input_tensor', 'hidden/Relu:0'],
     'input hidden/Relu:0 has shape [None, 128]: one image must be 784 values'),
    (['--feed', 'keep_prob:0=1', '--architecture', 'nn'],
     "--architecture rebuilds the graph: --input_tensor is for the source's own graph"),
])
def test_meta_graph_import_errors(own_model, tmp_path, flags, message):
    source, _ = own_model
    args = ['--checkpoint', source / 'ckpt', '--name', 'mine', '--model_dir', tmp_path,
            '--input_tensor', 'x:0', '--logits_tensor', 'out/logits:0']
    assert failure(*args, *flags) == 'error: ' + message
    assert os.listdir(tmp_path) == []


def write_fixed_batch_checkpoint(directory, reshape_to_batch):
    """A graph whose input placeholder is [100, 784], as fully_connected_feed.py's; with
    `reshape_to_batch` it also reshapes its logits to [100, 10], tying it to that size.
    Returns (checkpoint prefix, its weights)."""
    with tf.Graph().as_default(), tf.Session() as sess:
        images = tf.placeholder(tf.float32, [100, 784], name='images')
        weights = tf.Variable(tf.truncated_normal([784, 10]), name='weights')
        logits = tf.matmul(images, weights)
        if reshape_to_batch:
            logits = tf.reshape(logits, [100, 10])
        tf.identity(logits, name='logits')
        sess.run(tf.global_variables_initializer())
        prefix = tf.train.Saver().save(sess, os.path.join(str(directory), 'fixed.ckpt'))
        return prefix, sess.run(weights)


def test_a_fixed_batch_is_lifted_where_the_graph_allows(tmp_path):
    prefix, weights = write_fixed_batch_checkpoint(tmp_path, reshape_to_batch=False)
    out = imported('--checkpoint', prefix, '--name', 'fixed', '--model_dir', tmp_path / 'model',
                   '--input_tensor', 'images:0', '--logits_tensor', 'logits:0')
    assert 'step 0, 1 variables' in out
    images = np.random.RandomState(2).rand(3, 784).astype(np.float32)
    answer = contract_client.answer(str(tmp_path / 'model' / 'fixed'), images)
    np.testing.assert_allclose(answer['logits'], images @ weights, rtol=1e-5, atol=TOLERANCE)


def test_a_graph_tied_to_its_batch_size_is_refused(tmp_path):
    prefix, _ = write_fixed_batch_checkpoint(tmp_path, reshape_to_batch=True)
    assert failure('--checkpoint', prefix, '--name', 'fixed', '--model_dir', tmp_path / 'model',
                   '--input_tensor', 'images:0', '--logits_tensor', 'logits:0') == (
        'error: the graph fixes its batch size: on our [None, 784] input its output '
        'logits:0 has shape [100, 10], so it cannot classify any number of images')
    assert not (tmp_path / 'model').exists()


# ---------------------------------------------------------------------------- (b) architecture

@pytest.fixture(scope='module')
def web_app(tmp_path_factory):
    """The directory VARIABLES_ONLY_SCRIPT saved into (ckpt/, images.npy, logits.npy)."""
    directory = tmp_path_factory.mktemp('web')
    write_and_run(directory, VARIABLES_ONLY_SCRIPT, str(directory))
    return directory


def test_variables_only_checkpoint_imported_as_our_nn(web_app, tmp_path):
    model_dir = tmp_path / 'model' / 'nn'
    out = imported('--checkpoint', web_app / 'ckpt', '--name', 'nn', '--model_dir',
                   tmp_path / 'model', '--architecture', 'nn', '--hidden_units', '64')
    assert 'step 0, 4 variables' in out
    answer = contract_client.answer(str(model_dir), np.load(web_app / 'images.npy'))
    np.testing.assert_allclose(answer['logits'], np.load(web_app / 'logits.npy'),
                               atol=TOLERANCE)
    metadata = json.loads((model_dir / 'model.json').read_text())
    assert metadata['imported']['variables'] == {
        'W1': 'layerHidden1/weights/weights', 'b1': 'layerHidden1/biases/biases',
        'W2': 'layerOutput/weights/weights', 'b2': 'layerOutput/biases/biases'}
    assert (metadata['imported']['mode'], metadata['imported']['architecture']) == (
        'architecture', 'nn')
    assert answer['variables'] == ['global_step'] + sorted(
        metadata['imported']['variables'].values())
    # The README's table lists it, with what an import cannot know left blank.
    row = importlib.import_module('scripts.model_table').row(metadata)
    assert row.startswith('| nn | `python import_checkpoint.py --checkpoint %s' % (
        web_app / 'ckpt'))
    assert row.endswith('| 0 | – | ≥ 98.6% | – | – | – |')


def test_a_checkpoint_that_fits_no_one_to_one_map_is_one_line_listing_both(web_app, tmp_path):
    line = failure('--checkpoint', web_app / 'ckpt' / 'web.ckpt', '--name', 'web',
                   '--model_dir', tmp_path, '--architecture', 'nn')  # 500 hidden units
    assert line.startswith("error: cannot map the checkpoint's variables onto nn's one to one")
    assert 'Checkpoint: W1 [784, 64], W2 [64, 10], b1 [64], b2 [10].' in line
    assert 'nn: layerHidden1/biases/biases [500], layerHidden1/weights/weights [784, 500]' in line
    assert os.listdir(tmp_path) == []


def test_a_damaged_checkpoint_is_one_line_and_leaves_nothing(web_app, tmp_path):
    """A .data file cut short (a copy not finished) used to end in a traceback."""
    damaged = tmp_path / 'damaged'
    shutil.copytree(web_app / 'ckpt', damaged)
    for data in damaged.glob('*.data-*'):
        data.write_bytes(data.read_bytes()[:100])
    message = failure('--checkpoint', damaged / 'web.ckpt', '--name', 'nn', '--model_dir',
                      tmp_path / 'model', '--architecture', 'nn', '--hidden_units', '64')
    assert message.startswith('error: cannot read ') and message.endswith(
        'is the checkpoint damaged?'), message
    assert not (tmp_path / 'model' / 'nn').exists()


def test_variables_only_needs_an_architecture(web_app, tmp_path):
    prefix = web_app / 'ckpt' / 'web.ckpt'
    assert failure('--checkpoint', prefix, '--name', 'web', '--model_dir', tmp_path,
                   '--input_tensor', 'x:0', '--logits_tensor', 'y:0') == (
        'error: %s has no meta-graph (%s.meta): name the graph it belongs to with '
        '--architecture (one of regression, nn, cnn, lstm, cnn_lstm, lenet5, crnn)' % (
            prefix, prefix))
    assert failure('--checkpoint', tmp_path / 'none', '--name', 'web', '--architecture', 'cnn',
                   '--model_dir', tmp_path) == (
        "error: no checkpoint at %s (expected %s.index, or that file itself in TF's older V1 "
        'format)' % (tmp_path / 'none', tmp_path / 'none'))
    assert failure('--checkpoint', prefix, '--name', 'web', '--architecture', 'cnn',
                   '--hidden_units', '5') == 'error: --hidden_units does not size cnn'
    # A name the server could not serve (a scope, a URL) or its ensemble's is refused.
    for name in ('../web', 'a b', 'x(1)', '_x', 'é', 'x:y', 'ensemble', '.hidden', ''):
        assert failure('--checkpoint', prefix, '--name', name, '--architecture', 'nn') == (
            "error: --name %r is not a model name (letters, digits, '_', '.' and '-', "
            "beginning with a letter or digit; not 'ensemble')" % name)
    assert failure('--checkpoint', prefix, '--name', 'web') == (
        'error: give --input_tensor and --logits_tensor (or --probabilities_tensor), or '
        '--architecture')


@pytest.mark.parametrize('checkpoint', ['v1/web.ckpt', 'ckpt/web.ckpt.index',
                                        'ckpt/web.ckpt.data-00000-of-00001'])
def test_a_v1_checkpoint_or_a_checkpoint_file_names_the_checkpoint(web_app, tmp_path,
                                                                     checkpoint):
    imported('--checkpoint', web_app / checkpoint, '--name', 'nn', '--model_dir',
             tmp_path / 'model', '--architecture', 'nn', '--hidden_units', '64')
    answer = contract_client.answer(str(tmp_path / 'model' / 'nn'),
                                    np.load(web_app / 'images.npy'))
    np.testing.assert_allclose(answer['logits'], np.load(web_app / 'logits.npy'),
                               atol=TOLERANCE)


def test_a_v1_checkpoint_with_its_meta_graph(own_model, tmp_path):
    source, _ = own_model
    out = imported('--checkpoint', source / 'v1' / 'model.ckpt-20.meta', '--name', 'old',
                   '--model_dir', tmp_path, '--input_tensor', 'x:0',
                   '--logits_tensor', 'out/logits:0',
                   '--feed', 'keep_prob:0=1.0', '--feed', 'is_training:0=false')
    assert 'Imported %s as %s: step 20, 4 variables' % (source / 'v1' / 'model.ckpt-20',
                                                        tmp_path / 'old') in out
    answer = contract_client.answer(str(tmp_path / 'old'), np.load(source / 'images.npy'))
    np.testing.assert_allclose(answer['probabilities'], np.load(source / 'probabilities.npy'),
                               atol=TOLERANCE)


def test_missing_and_unreadable_checkpoints(tmp_path):
    assert failure('--checkpoint', tmp_path, '--name', 'web', '--architecture', 'nn',
                   '--model_dir', tmp_path / 'model') == (
        'error: %s holds no `checkpoint` file naming a checkpoint' % tmp_path)
    (tmp_path / 'junk.index').write_bytes(b'not a checkpoint index')
    assert failure('--checkpoint', tmp_path / 'junk', '--name', 'web', '--architecture', 'nn',
                   '--model_dir', tmp_path / 'model').startswith(
        'error: cannot read the checkpoint %s (' % (tmp_path / 'junk'))
    assert not (tmp_path / 'model').exists()


# ---------------------------------------------------------------------------- matching

NN_500 = {'layerHidden1/weights/weights': [784, 500], 'layerHidden1/biases/biases': [500],
          'layerOutput/weights/weights': [500, 10], 'layerOutput/biases/biases': [10]}


def test_variables_match_by_name_under_another_scope():
    theirs = {'webapp/' + name: shape for name, shape in NN_500.items()}
    assert importing.match_variables(theirs, NN_500, 'nn') == {
        'webapp/' + name: name for name in NN_500}


def test_variables_match_by_unique_shape_after_names():
    theirs = {'layerOutput/biases/biases': [10], 'a': [784, 500], 'b': [500], 'c': [500, 10]}
    assert importing.match_variables(theirs, NN_500, 'nn') == {
        'layerOutput/biases/biases': 'layerOutput/biases/biases',
        'a': 'layerHidden1/weights/weights', 'b': 'layerHidden1/biases/biases',
        'c': 'layerOutput/weights/weights'}


def test_equal_shapes_with_unrelated_names_are_ambiguous():
    ours = {'one/weights': [10, 10], 'two/weights': [10, 10]}
    with pytest.raises(importing.ImportFailure, match='unmatched: p, q, one/weights, two/'):
        importing.match_variables({'p': [10, 10], 'q': [10, 10]}, ours, 'model')


def test_a_name_match_with_another_shape_is_a_mismatch():
    theirs = dict(NN_500, **{'layerHidden1/biases/biases': [64]})
    with pytest.raises(importing.ImportFailure,
                       match=r'does not fit nn: layerHidden1/biases/biases \[64\] vs '):
        importing.match_variables(theirs, NN_500, 'nn')


def test_optimizer_state_is_not_a_weight():
    for name in ('w/Adam', 'w/Adam_1', 'beta1_power', 'scope/beta2_power_1', 'w/Momentum',
                 'global_step', 'w/ExponentialMovingAverage'):
        assert importing.is_training_state(name), name
    for name in ('w', 'Adam', 'adam_weights', 'layer/beta1'):
        assert not importing.is_training_state(name), name


# ---------------------------------------------------------------------------- a TF 1.x tutorial

@pytest.mark.slow
def test_fully_connected_feed_run_unchanged_then_imported_and_served(real_mnist, tmp_path):
    """The official tutorial, run unchanged by the tf1 runner, saves a checkpoint with its
    meta-graph (input placeholder fixed at its batch of 100); imported, the server gives
    the probabilities its own graph and weights give."""
    script = os.path.join(TF1_EXAMPLES, 'fully_connected_feed.py')
    if not os.path.isfile(script):
        pytest.skip('the TF 1.x examples are not at %s' % TF1_EXAMPLES)
    logs = tmp_path / 'logs'
    run_script('-m', 'tf1', '--mnist_dir', real_mnist, script, '--max_steps', '50',
               '--log_dir', str(logs), '--input_data_dir', real_mnist)
    model_root = tmp_path / 'model'
    out = imported('--checkpoint', logs, '--name', 'feed', '--model_dir', model_root,
                   '--input_tensor', 'Placeholder:0', '--logits_tensor', 'softmax_linear/add:0',
                   '--data_dir', real_mnist)
    assert 'step 50, 6 variables, test accuracy' in out, out
    assert 0.1 < json.loads((model_root / 'feed' / 'model.json').read_text())[
        'test_accuracy'] <= 1

    images = np.random.RandomState(3).rand(100, 784).astype(np.float32)  # its batch size
    np.save(tmp_path / 'images.npy', images)
    write_and_run(tmp_path, SOURCE_PROBABILITIES, str(logs / 'model.ckpt-49'),
                  str(tmp_path / 'images.npy'), 'Placeholder:0', 'softmax_linear/add:0',
                  str(tmp_path / 'expected.npy'))
    np.testing.assert_allclose(served_probabilities(model_root, 'feed', images),
                               np.load(tmp_path / 'expected.npy'), atol=TOLERANCE)


@pytest.mark.parametrize('architecture, sizes', [
    ('regression', {}), ('nn', {'hidden_units': 16}), ('cnn', {}), ('lstm', {'num_units': 8}),
    ('cnn_lstm', {'num_units': 8}), ('lenet5', {}), ('crnn', {'num_units': 8})])
def test_every_architecture_imports_its_own_variables_under_another_scope(
        architecture, sizes, tmp_path):
    """A checkpoint of our own graph whose variables were saved under an app's scope
    (myapp/...): matched by name, for each of the seven, with the logits it gave."""
    module = importlib.import_module('graphs.' + architecture)
    images = np.random.RandomState(4).rand(2, 784).astype(np.float32)
    with tf.Graph().as_default(), layers.inference_graph(), tf.Session() as sess:
        model = model_lib.build(lambda x, keep_prob: module.features(x, keep_prob, **sizes))
        sess.run(tf.global_variables_initializer())
        weights = {'myapp/' + variable.op.name: variable for variable in tf.global_variables()
                   if variable.op.name != 'global_step'}
        prefix = tf.train.Saver(weights).save(sess, str(tmp_path / 'app.ckpt'),
                                              write_meta_graph=False)
        expected = sess.run(model.logits, {model.images: images})
    imported('--checkpoint', prefix, '--name', architecture, '--model_dir', tmp_path / 'model',
             '--architecture', architecture,
             *[text for flag, size in sizes.items() for text in ('--' + flag, size)])
    answer = contract_client.answer(str(tmp_path / 'model' / architecture), images)
    np.testing.assert_allclose(answer['logits'], expected, rtol=1e-5, atol=TOLERANCE)
    metadata = json.loads((tmp_path / 'model' / architecture / 'model.json').read_text())
    assert metadata['imported']['variables'] == {name: name[len('myapp/'):] for name in weights}
