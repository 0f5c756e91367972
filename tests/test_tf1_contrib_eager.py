"""tf.contrib.eager (tf1/contrib_eager*.py) and tf.contrib.summary (tf1/contrib_summary.py):
eager scripts of TF 1.5-1.15 run through `python -m tf1` (eager execution is per process);
Networks, metrics and summaries in a graph checked here, against NumPy."""
import gc
import json
import os
import weakref

import numpy as np
import pytest
import tensorflow.compat.v1 as tf

from test_tf1_runner import tf1
from tf1 import contrib_eager_metrics as metrics
from tf1 import contrib_summary, layers
from tf1 import rnn_cell as tf1_rnn_cell
from tf1.contrib_eager import Iterator, Saver, defun
from tf1.contrib_eager_network import (Network, Sequential, restore_network_checkpoint,
                                       save_network_checkpoint)
from tf1.unsupported import UnsupportedApiError

tf.disable_v2_behavior()

# An eager MNIST-style script in the shape of TF 1.x's eager examples (aymericdamien's
# neural_network_eager_api.py, contrib/eager's mnist.py): a tfe.Network of tf.layers,
# tfe.Iterator over a Dataset, implicit gradients, tfe.metrics, contrib.summary, and the
# three ways eager code checkpointed.
EAGER_SCRIPT = '''\
import json, os, sys
import numpy as np
import tensorflow as tf
import tensorflow.contrib.eager as tfe

tf.enable_eager_execution()
tf.set_random_seed(0)
report = {"eager": tfe.executing_eagerly() and tfe.in_eager_mode()}

rng = np.random.RandomState(0)
centres = rng.normal(size=(3, 8)).astype(np.float32) * 3
labels = rng.randint(0, 3, size=600)
images = centres[labels] + rng.normal(size=(600, 8)).astype(np.float32)
dataset = tf.data.Dataset.from_tensor_slices((images, labels)).repeat().batch(50)
batches = tfe.Iterator(dataset)


class Hidden(tfe.Network):
    def __init__(self):
        super(Hidden, self).__init__()
        self.layer = self.track_layer(tf.layers.Dense(16, activation=tf.nn.relu))

    def call(self, x):
        return self.layer(x)


class NeuralNet(tfe.Network):
    def __init__(self):
        super(NeuralNet, self).__init__()
        self.hidden = self.track_layer(Hidden())
        self.layer2 = self.track_layer(tf.layers.Dense(16, activation=tf.nn.relu))
        self.out_layer = self.track_layer(tf.layers.Dense(3, name="logits"))

    def call(self, x):
        return self.out_layer(self.layer2(self.hidden(x)))


def loss_fn(model, x, y):
    return tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(
        logits=model(x), labels=y))


net = NeuralNet()
optimizer = tf.train.AdamOptimizer(0.01)
grad = tfe.implicit_gradients(loss_fn)
global_step = tf.train.get_or_create_global_step()
writer = tf.contrib.summary.create_file_writer(sys.argv[1])
losses = []
with writer.as_default(), tf.contrib.summary.always_record_summaries():
    for step in range(60):
        x, y = batches.next()
        y = tf.cast(y, tf.int64)
        loss = loss_fn(net, x, y)
        losses.append(float(loss))
        tf.contrib.summary.scalar("loss", loss)
        optimizer.apply_gradients(grad(net, x, y), global_step=global_step)
writer.flush()
report["names"] = [v.name for v in net.variables]
report["first_loss"], report["last_loss"] = losses[0], losses[-1]

accuracy, mean = tfe.metrics.Accuracy(), tfe.metrics.Mean("loss")
for start in range(0, 600, 200):
    x, y = images[start:start + 200], labels[start:start + 200]
    accuracy(tf.constant(y, tf.int64), tf.argmax(net(x), axis=1))
    mean(loss_fn(net, x, tf.constant(y, tf.int64)))
report["accuracy"] = float(accuracy.result())
report["mean_loss"] = float(mean.result())
report["metric_names"] = [v.name for v in accuracy.variables]

# save_network_checkpoint, and restore_network_checkpoint into a net not yet called:
# its variables start from the checkpoint's values when it makes them.
outputs = net(images[:5]).numpy()
prefix = tfe.save_network_checkpoint(net, os.path.join(sys.argv[1], "net"))
report["prefix"] = os.path.basename(prefix)
fresh = NeuralNet()
tfe.restore_network_checkpoint(fresh, prefix)
report["fresh_name"] = fresh.name
report["restored_equal"] = bool(np.allclose(fresh(images[:5]).numpy(), outputs))

# tfe.Saver: tf.train.Saver's checkpoints without a session.
saver = tfe.Saver(net.variables)
path = saver.save(os.path.join(sys.argv[1], "saver"), global_step=global_step)
kernel = net.variables[0]
kept = kernel.numpy()
kernel.assign(tf.zeros_like(kernel))
saver.restore(path)
report["saver_equal"] = bool(np.array_equal(kernel.numpy(), kept))

# The gradient functions, on f(x, y) = x * x * y.
f = lambda x, y: x * x * y
report["gradients"] = [float(g) for g in tfe.gradients_function(f)(3.0, 2.0)]
value, grads = tfe.value_and_gradients_function(f)(3.0, 2.0)
report["value"] = float(value)

# defun: traced once per input signature, eagerly too.
traces = []
@tfe.defun
def square_sum(x):
    traces.append(1)
    return tf.reduce_sum(x * x)
report["defun"] = [float(square_sum(tf.constant([1.0, 2.0]))),
                   float(square_sum(tf.constant([3.0, 4.0]))), len(traces)]
w = tfe.Variable(2.0, name="w")
value, pairs = tfe.implicit_value_and_gradients(lambda: w * w * 5.0)()
report["implicit"] = [float(value), float(pairs[0][0]), pairs[0][1].name]

# restore_variables_on_create: a variable starts from the checkpoint's value of its name.
path = tfe.Saver([w]).save(os.path.join(sys.argv[1], "w"))
with tfe.restore_variables_on_create(path):
    report["on_create"] = float(tfe.Variable(0.0, name="w"))
    try:
        tfe.Variable(0.0, name="not_saved")
    except tf.errors.NotFoundError as error:
        report["missing"] = error.message

# tf.nn.rnn_cell and dynamic_rnn run eagerly too, their variables resource variables.
cell = tf.nn.rnn_cell.BasicLSTMCell(4)
outputs, state = tf.nn.dynamic_rnn(cell, tf.ones([2, 3, 5]), dtype=tf.float32)
report["rnn"] = [outputs.shape.as_list(), [v.name for v in cell.variables]]

# A tf.keras.Model holding tf.layers and a cell as attributes (TF 1.x's eager MNIST
# example): its variables are theirs, and tfe.Checkpoint saves and restores them.
class KerasNet(tf.keras.Model):
    def __init__(self):
        super(KerasNet, self).__init__()
        self.dense = tf.layers.Dense(3)
        self.cell = tf.nn.rnn_cell.GRUCell(2)

    def call(self, x):
        return tf.nn.dynamic_rnn(self.cell, self.dense(x)[:, None], dtype=tf.float32)[0]


keras_net = KerasNet()
before = keras_net(images[:4]).numpy()
report["keras"] = [v.name for v in keras_net.variables]
checkpoint = tfe.Checkpoint(model=keras_net)
saved = checkpoint.save(os.path.join(sys.argv[1], "object", "ckpt"))
for variable in keras_net.variables:
    variable.assign(tf.zeros_like(variable))
checkpoint.restore(saved)
report["keras_restored"] = bool(np.allclose(keras_net(images[:4]).numpy(), before))

# contrib.mixed_precision's LossScaleOptimizer in eager mode: the loss is a function
scaled = tf.contrib.mixed_precision.LossScaleOptimizer(
    tf.train.GradientDescentOptimizer(1.0),
    tf.contrib.mixed_precision.FixedLossScaleManager(128.0))
w = tfe.Variable(2.0, name="scaled_w")
report["loss_scaled"] = float(scaled.compute_gradients(lambda: w * 3.0, var_list=[w])[0][0])
print("REPORT " + json.dumps(report))
'''


def test_an_eager_tf1_script_trains_saves_and_restores(tmp_path):
    (tmp_path / 'eager_mnist.py').write_text(EAGER_SCRIPT)
    logs = tmp_path / 'logs'
    logs.mkdir()
    result = tf1(['eager_mnist.py', str(logs)], str(tmp_path))
    assert result.returncode == 0, result.stderr[-3000:]
    report = json.loads(result.stdout.split('REPORT ')[1])
    assert report['eager']
    # TF 1.x's names: the network's class in snake case, its layers named when tracked.
    assert report['names'] == [
        'neural_net/hidden/dense/kernel:0', 'neural_net/hidden/dense/bias:0',
        'neural_net/dense/kernel:0', 'neural_net/dense/bias:0',
        'neural_net/logits/kernel:0', 'neural_net/logits/bias:0']
    assert report['last_loss'] < report['first_loss'] / 3
    assert report['accuracy'] > 0.9 and report['mean_loss'] < report['first_loss']
    assert report['metric_names'] == ['Accuracy/numer:0', 'Accuracy/denom:0']
    assert report['prefix'] == 'net-60'  # the global step suffixes it
    assert report['fresh_name'] == 'neural_net_1' and report['restored_equal']
    assert report['saver_equal']
    assert report['gradients'] == [12.0, 9.0] and report['value'] == 18.0
    assert report['defun'] == [5.0, 25.0, 1]
    assert report['loss_scaled'] == 3.0  # scaled by 128 and back
    assert report['implicit'] == [20.0, 20.0, 'w:0']
    assert report['rnn'] == [[2, 3, 4], ['rnn/basic_lstm_cell/kernel:0',
                                          'rnn/basic_lstm_cell/bias:0']]
    assert report['keras'] == [
        'dense/kernel:0', 'dense/bias:0', 'rnn/gru_cell/gates/kernel:0',
        'rnn/gru_cell/gates/bias:0', 'rnn/gru_cell/candidate/kernel:0',
        'rnn/gru_cell/candidate/bias:0'] and report['keras_restored']
    assert report['on_create'] == 2.0 and report['missing'] == 'not_saved not found in checkpoint'
    # contrib.summary wrote one "loss" per step, at the global step.
    steps = {}
    for name in os.listdir(str(logs)):
        if name.startswith('events.out.tfevents'):
            for event in tf.train.summary_iterator(str(logs / name)):
                for value in event.summary.value:
                    steps[event.step] = value.tag
    assert sorted(steps) == list(range(60)) and set(steps.values()) == {'loss'}


def test_defun_traces_once_per_signature_and_makes_its_variables_outside(tmp_path):
    """TF 1.x's defun traced a function once per input signature; tf.function traces one
    that creates variables twice (Sonnet 1's DefunTest counts its module's calls)."""
    calls = []

    def layer(x):
        calls.append(x.shape.as_list())
        with tf.variable_scope('layer', reuse=tf.AUTO_REUSE):
            w = tf.get_variable('w', [x.shape[1], 3], initializer=tf.ones_initializer(),
                                use_resource=True)
        return tf.matmul(x, w)

    class Scaler(object):
        traces = 0

        def __init__(self, factor):
            self.factor = factor

        @defun
        def scale(self, x):
            Scaler.traces += 1
            return x * self.factor

    with tf.Graph().as_default():
        traced = defun(layer)
        for rows in (2, 2, 4):
            out = traced(tf.ones([rows, 5]))
        assert calls == [[2, 5], [4, 5]] and out.shape.as_list() == [4, 3]
        assert [v.name for v in tf.global_variables()] == ['layer/w:0']  # made once, outside
        assert traced.python_function is layer and traced.__name__ == 'layer'
        signed = defun(lambda x: x + 1, input_signature=[tf.TensorSpec([None], tf.float32)])
        concrete = signed.get_concrete_function()
        assert concrete.structured_outputs.shape.as_list() == [None]
        doubled, tripled = Scaler(2.0).scale(tf.ones([2])), Scaler(3.0).scale(tf.ones([2]))
        scaler = Scaler(4.0)
        for _ in range(2):
            scaler.scale(tf.ones([2]))
        assert Scaler.traces == 3  # once per instance and signature
        # Arguments left out take their defaults (a Keras model's `call(x, training=None,
        # mask=None)` called without mask), as in TF 1.x.
        defaulted = defun(lambda x, scale=2.0, mask=None: x * scale if mask is None else x)
        halved = defaulted(tf.ones([2]), scale=0.5)
        doubled_by_default = defaulted(tf.ones([2]))
        kept = weakref.ref(scaler)
        del scaler
        gc.collect()
        assert kept() is None  # which the cache does not keep alive
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            got = sess.run([out, signed(tf.constant([1.0, 2.0])), doubled, tripled])
            assert list(sess.run(halved)) == [0.5, 0.5]
            assert list(sess.run(doubled_by_default)) == [2.0, 2.0]
    np.testing.assert_array_equal(got[0], np.full([4, 3], 5.0))
    np.testing.assert_array_equal(got[1], [2.0, 3.0])
    assert list(got[2]) == [2.0, 2.0] and list(got[3]) == [3.0, 3.0]  # each its own


def test_list_devices_in_a_graph_mode_script():
    """TF 1.x's list_devices initialised the eager context first: graph-mode scripts counted
    their GPUs with it (GoogleCloudPlatform/tf-estimator-tutorials)."""
    from tf1 import contrib_eager
    with tf.Graph().as_default():
        devices = contrib_eager.list_devices()
    assert any(device.endswith('device:CPU:0') for device in devices)


def test_defun_relaxes_shapes_when_asked_and_is_at_tf1s_module_path():
    """TF 1.15's experimental_relax_shapes: after a second size, one trace for any size;
    `from tensorflow.python.eager import function; function.defun` (TF 1.15's own tests)."""
    from tf1.api_internals import moved_modules
    module_defun = moved_modules()['tensorflow.python.eager.function'].defun
    assert module_defun is defun
    shapes = {False: [], True: []}
    with tf.Graph().as_default():
        for relax in (False, True):
            @module_defun(experimental_relax_shapes=relax)
            def total(x, relax=relax):
                shapes[relax].append(x.shape.as_list())
                return tf.reduce_sum(x)

            sums = [total(tf.ones([size])) for size in (2, 3, 4, 5)]
        with tf.Session() as sess:
            assert sess.run(sums) == [2.0, 3.0, 4.0, 5.0]
    assert shapes[False] == [[2], [3], [4], [5]]
    assert shapes[True] == [[2], [None]]


def test_network_in_a_graph_names_saves_and_restores_as_tf1(tmp_path):
    class Net(Network):
        def __init__(self, name=None):
            super(Net, self).__init__(name=name)
            self.first = self.track_layer(layers.Dense(4))
            self.second = self.track_layer(layers.Dense(2))

        def call(self, inputs):
            return self.second(self.first(inputs))

    with tf.Graph().as_default():
        inputs = tf.placeholder(tf.float32, [None, 3])
        net, named = Net(), Net(name='mine')
        outputs = net(inputs)
        named(inputs)
        assert [v.op.name for v in net.variables] == [
            'net/dense/kernel', 'net/dense/bias', 'net/dense_1/kernel', 'net/dense_1/bias']
        assert named.variables[0].op.name == 'mine/dense/kernel'
        assert outputs.op.name == 'net/dense_1/BiasAdd'
        assert net.get_layer(index=1) is net.second and net.get_layer('dense_1') is net.second
        x = np.arange(6, dtype=np.float32).reshape(2, 3)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            expected = sess.run(outputs, {inputs: x})
            prefix = save_network_checkpoint(net, str(tmp_path / 'net'), global_step=7)
            assert sorted(name for name, _ in tf.train.list_variables(prefix)) == [
                'dense/bias', 'dense/kernel', 'dense_1/bias', 'dense_1/kernel']
            sess.run(tf.global_variables_initializer())  # new values: restore must undo them
            restore_network_checkpoint(net, prefix)
            assert np.allclose(sess.run(outputs, {inputs: x}), expected)


def test_a_network_of_rnn_cells_lists_their_resource_variables():
    """A Network's variables are resource variables, as in TF 1.x; a cell tracked in one
    lists its variables as a layer does (not each row of a variable as a part)."""
    class Recurrent(Network):
        def __init__(self):
            super(Recurrent, self).__init__()
            self.cell = self.track_layer(tf1_rnn_cell.GRUCell(3))

        def call(self, inputs):
            return tf.nn.dynamic_rnn(self.cell, inputs, dtype=tf.float32)[0]

    with tf.Graph().as_default():
        network = Recurrent()
        network(tf.ones([2, 4, 5]))
        assert [v.op.name for v in network.variables] == [
            'recurrent/gru_cell/gates/kernel', 'recurrent/gru_cell/gates/bias',
            'recurrent/gru_cell/candidate/kernel', 'recurrent/gru_cell/candidate/bias']
        assert {v.op.type for v in network.variables} == {'VarHandleOp'}


def test_sequential_passes_training_to_the_layers_that_take_it():
    with tf.Graph().as_default():
        model = Sequential([layers.Dense(3), layers.Dropout(0.99), lambda x: x * 2.0])
        ones = tf.ones([4, 5])
        training, inference = model(ones, training=True), model(ones)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            dropped, kept = sess.run([training, inference])
        assert [layer.name for layer in model.layers] == ['dense', 'dropout']
        assert np.count_nonzero(dropped) < np.count_nonzero(kept) == 12


@pytest.mark.parametrize('make, error, message', [
    (lambda: Network(name='a/b'), ValueError, 'Forward slashes'),
    (lambda: Network().track_layer(lambda x: x), TypeError, 'not a tf.layers.Layer'),
    (lambda: _two_named('same'), ValueError, "two Layers with the name 'same'"),
    (lambda: save_network_checkpoint(Network(), '/tmp/never'), ValueError,
     'before it was first called'),
    (lambda: Network().add_variable('v', [1]), RuntimeError, 'not supported in a Network'),
])
def test_network_errors_are_tf1s(make, error, message):
    with tf.Graph().as_default(), pytest.raises(error, match=message):
        make()


def _two_named(name):
    network = Network()
    network.track_layer(layers.Dense(1, name=name))
    network.track_layer(layers.Dense(1, name=name))


def test_metrics_in_a_graph_accumulate_as_numpy_does():
    labels = np.array([0, 1, 2, 1, 0, 2])
    logits = np.eye(3)[[0, 2, 2, 1, 1, 2]] + 0.1
    weights = np.array([1., 2., 0., 1., 1., 3.])
    with tf.Graph().as_default():
        mean, accuracy = metrics.Mean(), metrics.Accuracy()
        categorical, sparse = metrics.CategoricalAccuracy(), metrics.SparseAccuracy()
        binary = metrics.BinaryAccuracy(threshold=0.5)
        updates = [mean(tf.constant(labels, tf.float32), weights),
                   accuracy(tf.constant(labels), tf.constant(np.argmax(logits, 1))),
                   categorical(tf.constant(np.eye(3)[labels]), tf.constant(logits)),
                   sparse(tf.constant(labels), tf.constant(logits)),
                   binary(tf.constant(labels > 0), tf.constant(logits[:, 2]))]
        results = [m.result() for m in (mean, accuracy, categorical, sparse, binary)]
        assert mean.variables[0].op.name == 'Mean/numer' and mean.result().dtype == tf.float64
        spaced = metrics.Mean('my loss')  # the name kept, the scope made valid
        spaced(1.0)
        assert spaced.name == 'my loss' and spaced.variables[0].op.name == 'my_loss/numer'
        with pytest.raises(ValueError, match='Mean/numer already exists'):
            metrics.Mean()(1.0)  # as in TF 1.x: two metrics of one name in one graph
        assert all(v in tf.local_variables() for v in accuracy.variables)
        with tf.Session() as sess:
            sess.run(tf.local_variables_initializer())
            for _ in range(2):  # twice the same batch: the same means
                sess.run(updates)
            values = sess.run(results)
            sess.run(mean.init_variables())
            assert sess.run(mean.denom) == 0
    matches = np.argmax(logits, 1) == labels
    assert np.allclose(values, [np.average(labels, weights=weights), matches.mean(),
                                matches.mean(), matches.mean(),
                                np.mean((logits[:, 2] > 0.5) == (labels > 0))])


def test_contrib_summary_in_a_graph_writes_at_the_global_step(tmp_path):
    with tf.Graph().as_default():
        step = tf.train.get_or_create_global_step()
        value = tf.placeholder(tf.float32, [])
        writer = contrib_summary.create_file_writer(str(tmp_path))
        with writer.as_default(), contrib_summary.record_summaries_every_n_global_steps(2):
            contrib_summary.scalar('value', value)
        increment = tf.assign_add(step, 1)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            with writer.as_default():
                contrib_summary.initialize(graph=tf.get_default_graph())
            for number in range(5):
                sess.run(contrib_summary.all_summary_ops(), {value: number * 10.0})
                sess.run(increment)
            sess.run(writer.flush())
    written = {}
    for name in os.listdir(str(tmp_path)):
        for event in tf.train.summary_iterator(str(tmp_path / name)):
            for item in event.summary.value:
                if item.tag == 'value':
                    written[event.step] = item.simple_value  # write_scalar_summary's field
    assert written == {0: 0.0, 2: 20.0, 4: 40.0}


def test_eager_only_apis_in_a_graph_and_removed_ones_are_one_line():
    with tf.Graph().as_default():
        with pytest.raises(RuntimeError, match='only be used when eager execution'):
            Iterator(tf.data.Dataset.range(2))
        with pytest.raises(RuntimeError, match='Use tf.train.Saver when building graphs'):
            Saver([tf.Variable(1.0)])
    from tf1.api import tensorflow
    with pytest.raises(UnsupportedApiError, match='enable_check_numerics'):
        tensorflow.contrib.eager.seterr
    with pytest.raises(UnsupportedApiError, match='create_file_writer'):
        tensorflow.contrib.summary.create_db_writer
    assert tensorflow.contrib.eager.python.tfe.Network is Network


def test_a_metric_built_directly_keeps_its_variables(tmp_path):
    with tf.Graph().as_default():
        mean = metrics.Mean()
        mean.build()  # as TF 1.x's docs allowed
        numer = mean.numer
        update = mean(tf.constant([1.0, 3.0]))
        assert mean.numer is numer and len(mean.variables) == 2
        with tf.Session() as session:
            session.run(tf.local_variables_initializer())
            session.run(update)
            assert session.run(mean.result()) == 2.0


def test_contrib_summary_flush_and_should_record_as_tf_1_x(tmp_path):
    with tf.Graph().as_default():
        writer = contrib_summary.create_file_writer(str(tmp_path), max_queue=0)
        flush = contrib_summary.flush(writer=writer._resource)  # a raw resource, as TF 1.x
        assert flush.type == 'FlushSummaryWriter'
        with contrib_summary.always_record_summaries():
            recording = contrib_summary.should_record_summaries()  # no default writer
        with tf.Session() as session:
            assert session.run(recording)


APP_RUN_EAGER_SCRIPT = '''\
import numpy as np
import tensorflow as tf


def main(_):
    # absl's app.run has made TensorFlow's context, in graph mode, before main runs.
    tf.enable_eager_execution(config=tf.ConfigProto(intra_op_parallelism_threads=1,
                                                    device_count={"CPU": 2}))
    print("threads", tf.config.threading.get_intra_op_parallelism_threads(),
          len(tf.config.list_logical_devices("CPU")))
    inputs = tf.keras.layers.Input(shape=(4,))
    model = tf.keras.models.Model(inputs, tf.keras.layers.Dense(2)(inputs))
    model.compile(loss="mse", optimizer="sgd")
    history = model.fit(np.ones((8, 4)), np.zeros((8, 2)), epochs=1, verbose=0)
    print("eager", tf.executing_eagerly(), type(inputs).__name__, len(history.history["loss"]))
    # tensorflow/models' Keras ResNets on synthetic data: one label column for a softmax
    # over the classes, which TF 1.x's categorical cross-entropy broadcast; evaluate's and
    # train_on_batch's numbers are NumPy's, as TF 1.15's eager loops made them.
    model = tf.keras.models.Model(
        inputs, tf.keras.layers.Dense(3, activation="softmax")(inputs))
    model.compile(loss="categorical_crossentropy", optimizer="sgd",
                  metrics=["categorical_accuracy"])
    data = tf.data.Dataset.from_tensor_slices(
        (np.ones((8, 4), np.float32), np.ones((8, 1), np.float32))).batch(4).repeat()
    model.fit(data, steps_per_epoch=2, verbose=0)
    loss, accuracy = model.evaluate(data, steps=2, verbose=0)
    print("evaluate", type(loss).__name__, loss.item() > 0, type(accuracy).__name__,
          accuracy.dtype)
    loss = model.train_on_batch(np.ones((4, 4)), np.ones((4, 3)))[0]
    print("train_on_batch", type(loss).__name__, loss.dtype, loss.shape)
    try:
        tf.enable_eager_execution(config=tf.ConfigProto(intra_op_parallelism_threads=2))
        print("again no-op")
    except ValueError as error:
        print("again", str(error)[:48])


tf.app.run(main)
'''


def test_eager_execution_enabled_inside_app_run_is_tf1s(tmp_path):
    """Inside tf.app.run (absl's), as at a script's start: the options are the context's and
    tf.keras builds eagerly; enabling it again is TF 1.x's no-op."""
    (tmp_path / 'app_eager.py').write_text(APP_RUN_EAGER_SCRIPT)
    result = tf1(['app_eager.py'], str(tmp_path))
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.split('\n')[-6:] == [
        'threads 1 2', 'eager True KerasTensor 1', 'evaluate float64 True ndarray float32',
        'train_on_batch ndarray float32 ()',
        'again no-op', '']
