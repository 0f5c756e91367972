"""tf.keras and standalone `import keras` under `python -m tf1`: TF 1.x's graph-mode Keras
(tf_keras's TF 1.x API), not Keras 3. Scripts written for TF 1.x run unchanged: a Sequential
model compiled and fit in a v1 graph, Keras layers on placeholders trained by a tf.train
optimizer in a tf.Session, checkpoints restored in a fresh process by tensor name, models
saved and loaded as HDF5; Keras 2.2's own examples, with its module names and optimizers."""
import builtins
import re
import textwrap
import threading
import time

import numpy as np
import pytest
import tensorflow.compat.v1 as tf

from conftest import standalone_keras as keras, write_mnist_dir
from test_tf1_runner import tf1
from tf1 import api
from tf1.api import tensorflow as tf1_api

tf.disable_v2_behavior()

# tensorflow.org's "Get started with TensorFlow" (TF 1.12-1.15), as published but for the
# number of epochs.
BEGINNER = '''
    import tensorflow as tf
    mnist = tf.keras.datasets.mnist

    (x_train, y_train),(x_test, y_test) = mnist.load_data()
    x_train, x_test = x_train / 255.0, x_test / 255.0

    model = tf.keras.models.Sequential([
      tf.keras.layers.Flatten(input_shape=(28, 28)),
      tf.keras.layers.Dense(512, activation=tf.nn.relu),
      tf.keras.layers.Dropout(0.2),
      tf.keras.layers.Dense(10, activation=tf.nn.softmax)
    ])
    model.compile(optimizer='adam',
                  loss='sparse_categorical_crossentropy',
                  metrics=['accuracy'])

    model.fit(x_train, y_train, epochs=1)
    print(model.evaluate(x_test, y_test))
    model.save('model.h5')
    print(type(tf.keras.backend.get_session()).__name__, model.optimizer.__class__.__name__)
'''

# Keras as a simplified interface to TensorFlow (the Keras blog, 2016, in its tf.keras
# form): Keras layers on placeholders, a tf.train optimizer, the learning phase fed.
IN_A_SESSION = '''
    import tensorflow as tf
    from tensorflow.keras import backend as K
    from tensorflow.keras.layers import Dense, Dropout
    from tensorflow.keras.losses import categorical_crossentropy
    from tensorflow.keras.metrics import categorical_accuracy as accuracy
    from tensorflow.examples.tutorials.mnist import input_data

    sess = tf.Session()
    K.set_session(sess)
    img = tf.placeholder(tf.float32, shape=(None, 784), name='img')
    labels = tf.placeholder(tf.float32, shape=(None, 10))
    x = Dense(128, activation='relu')(img)
    x = Dropout(0.5)(x)
    x = Dense(128, activation='relu')(x)
    preds = Dense(10, activation='softmax', name='preds')(x)
    loss = tf.reduce_mean(categorical_crossentropy(labels, preds))
    train_step = tf.train.GradientDescentOptimizer(0.5).minimize(loss)
    mnist_data = input_data.read_data_sets('MNIST_data', one_hot=True)
    sess.run(tf.global_variables_initializer())
    with sess.as_default():
        for i in range(100):
            batch = mnist_data.train.next_batch(50)
            train_step.run(feed_dict={img: batch[0], labels: batch[1], K.learning_phase(): 1})
    acc_value = tf.reduce_mean(accuracy(labels, preds))
    with sess.as_default():
        print('accuracy', acc_value.eval(feed_dict={img: mnist_data.test.images,
                                                    labels: mnist_data.test.labels,
                                                    K.learning_phase(): 0}))
    print(sorted(v.name for v in tf.trainable_variables()))
    tf.train.Saver().save(sess, './model/keras.ckpt')
'''

# A fresh process: the checkpoint by tensor name, the HDF5 model by Keras.
RESTORE = '''
    import numpy as np
    import tensorflow as tf
    from tensorflow.examples.tutorials.mnist import input_data
    mnist = input_data.read_data_sets('MNIST_data', one_hot=True)
    with tf.Session() as sess:
        tf.train.import_meta_graph('model/keras.ckpt.meta').restore(sess, 'model/keras.ckpt')
        preds = sess.run('preds/Softmax:0', {'img:0': mnist.test.images,
                                             'keras_learning_phase:0': False})
    print('restored', np.mean(preds.argmax(1) == mnist.test.labels.argmax(1)))
    model = tf.keras.models.load_model('model.h5')
    images = mnist.test.images.reshape(-1, 28, 28)
    print('loaded', np.mean(model.predict(images).argmax(1) == mnist.test.labels.argmax(1)))
'''


# Keras 2.2.4's examples/mnist_cnn.py, as published but for the number of epochs (12).
KERAS_MNIST_CNN = '''
    from __future__ import print_function
    import keras
    from keras.datasets import mnist
    from keras.models import Sequential
    from keras.layers import Dense, Dropout, Flatten
    from keras.layers import Conv2D, MaxPooling2D
    from keras import backend as K

    batch_size = 128
    num_classes = 10
    epochs = 1

    # input image dimensions
    img_rows, img_cols = 28, 28

    # the data, split between train and test sets
    (x_train, y_train), (x_test, y_test) = mnist.load_data()

    if K.image_data_format() == 'channels_first':
        x_train = x_train.reshape(x_train.shape[0], 1, img_rows, img_cols)
        x_test = x_test.reshape(x_test.shape[0], 1, img_rows, img_cols)
        input_shape = (1, img_rows, img_cols)
    else:
        x_train = x_train.reshape(x_train.shape[0], img_rows, img_cols, 1)
        x_test = x_test.reshape(x_test.shape[0], img_rows, img_cols, 1)
        input_shape = (img_rows, img_cols, 1)

    x_train = x_train.astype('float32')
    x_test = x_test.astype('float32')
    x_train /= 255
    x_test /= 255
    print('x_train shape:', x_train.shape)
    print(x_train.shape[0], 'train samples')
    print(x_test.shape[0], 'test samples')

    # convert class vectors to binary class matrices
    y_train = keras.utils.to_categorical(y_train, num_classes)
    y_test = keras.utils.to_categorical(y_test, num_classes)

    model = Sequential()
    model.add(Conv2D(32, kernel_size=(3, 3),
                     activation='relu',
                     input_shape=input_shape))
    model.add(Conv2D(64, (3, 3), activation='relu'))
    model.add(MaxPooling2D(pool_size=(2, 2)))
    model.add(Dropout(0.25))
    model.add(Flatten())
    model.add(Dense(128, activation='relu'))
    model.add(Dropout(0.5))
    model.add(Dense(num_classes, activation='softmax'))

    model.compile(loss=keras.losses.categorical_crossentropy,
                  optimizer=keras.optimizers.Adadelta(),
                  metrics=['accuracy'])

    model.fit(x_train, y_train,
              batch_size=batch_size,
              epochs=epochs,
              verbose=1,
              validation_data=(x_test, y_test))
    score = model.evaluate(x_test, y_test, verbose=0)
    print('Test loss:', score[0])
    print('Test accuracy:', score[1])
'''


def write(directory, name, source):
    (directory / name).write_text(textwrap.dedent(source))


def test_tf1_keras_scripts_train_save_and_restore_in_a_fresh_process(tmp_path):
    mnist = write_mnist_dir(str(tmp_path / 'mnist'), train_count=5600, test_count=500)
    for name, source in [('beginner.py', BEGINNER), ('in_a_session.py', IN_A_SESSION),
                         ('restore.py', RESTORE)]:
        write(tmp_path, name, source)
        result = tf1([name], cwd=str(tmp_path), mnist_dir=mnist)
        assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-3000:]
        out = result.stdout
        # TF 2.x's advice for leaving TF 1.x, which TF 1.x's Keras never printed
        assert 'state_updates' not in result.stderr and 'HDF5 file' not in result.stderr
        if name == 'beginner.py':
            assert 'Train on 5600 samples' in out  # TF 1.x's Model.fit in a v1 graph
            loss, accuracy = map(float, re.search(r'\[([\d.e-]+), ([\d.]+)\]', out).groups())
            assert accuracy > 0.9 and loss < 0.5
            assert 'Session Adam' in out  # backend.get_session; TF 1.x's Keras optimizer
        elif name == 'in_a_session.py':
            assert float(re.search(r'accuracy ([\d.]+)', out).group(1)) > 0.9
            assert ("['dense/bias:0', 'dense/kernel:0', 'dense_1/bias:0', 'dense_1/kernel:0', "
                    "'preds/bias:0', 'preds/kernel:0']") in out  # TF 1.x's variable names
        else:
            assert float(re.search(r'restored ([\d.]+)', out).group(1)) > 0.9
            assert float(re.search(r'loaded ([\d.]+)', out).group(1)) > 0.9


def test_tf_keras_is_tf1s_keras_under_every_name_it_had():
    keras = tf1_api.keras
    assert keras.layers.Dense.__module__.startswith('tf_keras.')
    # TF 1.2-1.3's name for it, and its module paths then (TF 1.2's, TF 1.3's)
    contrib_keras = tf1_api.contrib.keras
    assert contrib_keras.layers.Dense is keras.layers.Dense
    assert contrib_keras.python.keras is contrib_keras.api.keras is keras
    assert 'legacy' in keras.optimizers.Adam.__module__  # TF 1.x's optimizers (lr=, decay=)
    assert keras.layers.LSTM.__module__.endswith('lstm_v1')
    with tf.Graph().as_default():
        images = tf.placeholder(tf.float32, [None, 4])
        outputs = keras.layers.Dense(3, name='fc')(images)
        assert outputs.graph is tf.get_default_graph()  # a v1 graph tensor, not a Keras one
        assert [v.name for v in tf.trainable_variables()] == ['fc/kernel:0', 'fc/bias:0']


def test_tf1s_internal_keras_path_is_tf_keras_and_what_it_lacks_is_tensorflows():
    """TF 1.9-1.15 code often imported Keras by TensorFlow's internal path (`from
    tensorflow.python.keras.utils import to_categorical`)."""
    def imported(name, *fromlist):
        return api.import_tensorflow(name, list(fromlist), builtins.__import__)
    keras = tf1_api.keras
    assert imported('tensorflow.python.keras.utils', 'to_categorical').to_categorical is (
        keras.utils.to_categorical)
    # backend.py's helpers (K-FAC's Keras optimizer tracks its hyper-parameters' variables,
    # which Keras's session then initialises).
    backend = imported('tensorflow.python.keras', 'backend').backend
    with tf.Graph().as_default():
        tracked = tf.Variable(3.0)
        backend.track_variable(tracked)
        assert backend.get_session().run(tracked) == 3.0
    assert imported('tensorflow.python.keras.layers', 'Dense').Dense is keras.layers.Dense
    assert imported('tensorflow.python.keras', 'backend').backend is keras.backend
    assert imported('tensorflow.python.keras').python.keras is keras  # `import ... as`
    # TF 1.11-1.15's module of its optimizers (tensorflow/models' official Keras models).
    gradient_descent = imported('tensorflow.python.keras.optimizer_v2',
                                'gradient_descent').gradient_descent
    assert gradient_descent.SGD is keras.optimizers.SGD
    # tf.keras has no testing_utils: TF 1.15's own tests get TensorFlow's module.
    assert imported('tensorflow.python.keras', 'testing_utils').testing_utils.__name__ == (
        'tensorflow.python.keras.testing_utils')


def test_models_save_as_hdf5_whatever_the_extension_as_tf1s_keras_did(tmp_path):
    import h5py
    keras = tf1_api.keras
    with tf.Graph().as_default(), tf.Session().as_default():
        model = keras.models.Sequential([keras.layers.Dense(2, input_shape=(3,))])
        model.compile('sgd', 'mse')
        for name in ('model.keras', 'model'):   # tf_keras: its native format, SavedModel
            model.save(str(tmp_path / name))
            assert h5py.is_hdf5(str(tmp_path / name))
        keras.models.save_model(model, str(tmp_path / 'saved.keras'))
        restored = keras.models.load_model(str(tmp_path / 'saved.keras'))
        np.testing.assert_allclose(restored.predict(np.ones((1, 3))),
                                   model.predict(np.ones((1, 3))), rtol=1e-6)


def test_contrib_saved_model_saves_and_loads_keras_models_as_tf_1_12_to_1_15(tmp_path):
    keras = tf1_api.keras
    x = np.random.RandomState(0).rand(5, 3).astype(np.float32)
    with tf.Graph().as_default(), tf.Session().as_default():
        model = keras.models.Sequential([keras.layers.Dense(2, input_shape=(3,))])
        model.compile(tf.train.AdamOptimizer(), 'mse')
        model.fit(x, np.ones((5, 2)), verbose=0)
        expected = model.predict(x)
        export_dir = tf1_api.contrib.saved_model.save_keras_model(model, str(tmp_path))
        assert export_dir.startswith(str(tmp_path).encode())    # a timestamped directory
        restored = tf1_api.contrib.saved_model.load_keras_model(export_dir)
        np.testing.assert_allclose(restored.predict(x), expected, rtol=1e-6)
        # TF 1.14-1.15 read it back from the directory given to save
        np.testing.assert_allclose(
            tf1_api.contrib.saved_model.load_keras_model(str(tmp_path)).predict(x), expected,
            rtol=1e-6)
    with tf.Graph().as_default(), tf.Session() as sess:   # a SavedModel any server can load
        meta = tf.saved_model.loader.load(sess, ['serve'], export_dir.decode())
        signature = meta.signature_def['serving_default']
        (name, inputs), = signature.inputs.items()
        (_, outputs), = signature.outputs.items()
        np.testing.assert_allclose(sess.run(outputs.name, {inputs.name: x}), expected,
                                   rtol=1e-6)
    with pytest.raises(ValueError, match='holds no Keras model'):
        tf1_api.contrib.saved_model.load_keras_model(str(tmp_path / 'none'))


def test_to_yaml_and_model_from_yaml_are_back_where_pyyaml_is(monkeypatch):
    import json
    import sys
    import types
    keras = tf1_api.keras
    with tf.Graph().as_default():
        model = keras.models.Sequential([keras.layers.Dense(4, input_shape=(3,))])
        monkeypatch.setitem(sys.modules, 'yaml', None)          # PyYAML not installed
        with pytest.raises(ImportError, match='pip install pyyaml'):
            model.to_yaml()
        # A stand-in for PyYAML's safe functions (JSON is YAML): the calls tf1 makes.
        fake = types.SimpleNamespace(safe_dump=lambda data, **kwargs: json.dumps(data),
                                     safe_load=json.loads)
        monkeypatch.setitem(sys.modules, 'yaml', fake)
        rebuilt = keras.models.model_from_yaml(model.to_yaml())
        assert [layer.units for layer in rebuilt.layers] == [4]


def test_keras_2s_mnist_cnn_example_runs_unchanged(tmp_path):
    mnist = write_mnist_dir(str(tmp_path / 'mnist'), train_count=3000, test_count=500)
    write(tmp_path, 'mnist_cnn.py', KERAS_MNIST_CNN)
    result = tf1(['mnist_cnn.py'], cwd=str(tmp_path), mnist_dir=mnist)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-3000:]
    assert 'x_train shape: (3000, 28, 28, 1)' in result.stdout  # --mnist_dir's digits
    # Adadelta at Keras 2.2's learning rate, 1.0 (tf.keras's 0.001 barely moves in an epoch)
    assert float(re.search(r'Test accuracy: ([\d.]+)', result.stdout).group(1)) > 0.9



def test_standalone_keras_module_names_are_keras_2s():
    layers = keras('keras.layers')
    assert keras('keras.layers.core').Dense is layers.Dense
    assert keras('keras.layers.convolutional').Conv2D is layers.Conv2D
    assert keras('keras.layers.merge').concatenate is layers.concatenate
    assert keras('keras.engine.topology').Layer is layers.Layer
    assert keras('keras.engine.training').Model is keras('keras.models').Model
    assert keras('keras.backend.tensorflow_backend') is keras('keras.backend')
    assert keras('keras.objectives').categorical_crossentropy is \
        keras('keras.losses').categorical_crossentropy
    np.testing.assert_array_equal(keras('keras.utils.np_utils').to_categorical([2], 3),
                                  [[0, 0, 1]])
    assert {'Dense', 'LSTM', 'Conv2D'} <= set(layers.__all__)  # from keras.layers import *
    # What custom layers and GANs of the time subclassed or called.
    assert issubclass(layers.Add, keras('keras.layers.merge')._Merge)
    assert keras('keras.engine.topology').Node.__name__ == 'Node'
    assert keras('keras.utils.conv_utils').conv_output_length(28, 3, 'valid', 1) == 26
    assert keras('keras.backend').normalize_data_format('channels_first') == 'channels_first'
    assert keras('keras.backend.common').floatx() == 'float32'
    assert keras('keras.backend.tensorflow_backend')._get_available_gpus() == [
        device.name for device in tf.config.list_logical_devices('GPU')]
    # The layers modules' `K`, the TensorFlow backend's `tf` (cleverhans' Keras tutorial).
    assert keras('keras.layers.core').K is keras('keras.backend')
    assert keras('keras.backend').tf is tf1_api
    assert api.import_keras('keras', None).__version__ == \
        __import__('importlib.metadata').metadata.version('tf_keras')
    with pytest.raises(ImportError, match=r"^keras.utils.HDF5Matrixx is not part of Keras "
                       r"2's TF 1.x API \(tf_keras\), which tf1 gives standalone Keras code"):
        keras('keras.utils', 'HDF5Matrixx')
    with pytest.raises(ImportError, match=r"^keras.utils.io_utils.h5dict is not part"):
        keras('keras.utils.io_utils', 'h5dict')  # the module the import named


def test_keras_2s_weight_file_functions_take_a_list_of_layers(tmp_path):
    """Mask R-CNN loads a checkpoint's weights by name into some of its layers with
    keras.engine.saving's functions (engine.topology's in Keras 2.0-2.1)."""
    import h5py
    layers, models = keras('keras.layers'), keras('keras.models')
    saving, topology = keras('keras.engine.saving'), keras('keras.engine.topology')
    with tf.Graph().as_default(), tf.Session().as_default():
        inputs = layers.Input(shape=(3,))
        source = models.Model(inputs, layers.Dense(2, name='head')(layers.Dense(
            4, name='body')(inputs)))
        with h5py.File(str(tmp_path / 'weights.h5'), 'w') as f:
            saving.save_weights_to_hdf5_group(f, source.layers)
        other = layers.Input(shape=(3,))
        target = models.Model(other, layers.Dense(5, name='new_head')(layers.Dense(
            4, name='body')(other)))
        before = target.get_layer('new_head').get_weights()
        with h5py.File(str(tmp_path / 'weights.h5'), 'r') as f:
            topology.load_weights_from_hdf5_group_by_name(f, target.layers)
            saving.load_weights_from_hdf5_group(f, source.layers)
        for got, expected in zip(target.get_layer('body').get_weights(),
                                 source.get_layer('body').get_weights()):
            np.testing.assert_array_equal(got, expected)  # loaded by its name
        for got, expected in zip(target.get_layer('new_head').get_weights(), before):
            np.testing.assert_array_equal(got, expected)  # not in the file: left alone


def test_keras_2_model_idioms_of_mask_rcnn():
    """A Lambda making a variable (its anchors), losses emptied by assignment and added
    again at each compile, tensors appended to metrics_tensors, uses_learning_phase."""
    layers, models = keras('keras.layers'), keras('keras.models')
    anchors = np.arange(6, dtype=np.float32).reshape(1, 3, 2)
    with tf.Graph().as_default(), tf.Session().as_default():
        inputs = layers.Input(shape=(2,))
        made = layers.Lambda(lambda x: tf.Variable(anchors), name='anchors')(inputs)
        outputs = layers.Dense(1, kernel_initializer='ones', name='out')(
            layers.Add()([inputs, layers.Lambda(lambda a: a[:, 0])(made)]))
        model = models.Model(inputs, outputs)
        assert model.get_layer('anchors').weights == []  # initialised, not trained
        assert not model.uses_learning_phase
        assert models.Model(inputs, layers.Dropout(0.5)(outputs)).uses_learning_phase
        for _ in range(2):  # Mask R-CNN's compile, once per train()
            model._losses = []
            model._per_input_losses = {}
            model.add_loss(tf.reduce_mean(outputs, keepdims=True))
            if 'mean_out' not in model.metrics_names:
                model.metrics_names.append('mean_out')
                model.metrics_tensors.append(tf.reduce_mean(outputs, keepdims=True))
            model.compile(optimizer='sgd', loss=[None])
        assert len(model.losses) == 1  # not twice
        history = model.fit(np.zeros((4, 2), np.float32), None, epochs=1, verbose=0)
    # The anchors' first row (0, 1) reaches the output: 0 + 1 through a kernel of ones.
    np.testing.assert_allclose(np.ravel(history.history['loss']), [1.0], rtol=1e-5)
    np.testing.assert_allclose(np.ravel(history.history['mean_out']), [1.0], rtol=1e-5)


def keras_2_layer(call, compute_output_shape):
    """A custom layer of Keras 2's kind: its call, and the shape it declares."""
    class Custom(keras('keras.engine').Layer):
        def call(self, inputs):
            return call(inputs)

        def compute_output_shape(self, input_shape):
            return compute_output_shape(input_shape)
    return Custom()


def test_keras_2s_declared_shapes_are_what_int_shape_and_the_next_layers_see():
    """Mask R-CNN's ROI layers declare how many boxes they return, which the graph cannot
    know; its heads read that with K.int_shape and reshape by it, and a layer after it is
    built for it (Keras 2's `_keras_shape`)."""
    K, layers, models = keras('keras.backend'), keras('keras.layers'), keras('keras.models')

    def rois(x):  # a count of rows that depends on the values: unknown to the graph
        count = tf.shape(tf.where(x[0, :, 0] > -1e9))[0]
        return tf.reshape(x, tf.stack([tf.shape(x)[0], count, 4]))
    with tf.Graph().as_default(), tf.Session().as_default():
        inputs = layers.Input(shape=(6, 4))
        boxes = keras_2_layer(rois, lambda s: (s[0], 6, s[2]))(inputs)
        assert boxes.shape.as_list() == [None, None, 4]
        assert K.int_shape(boxes) == boxes._keras_shape == (None, 6, 4)
        # Through tf_keras's own layers, and a Lambda without output_shape run on its shape.
        scaled = layers.Activation('relu')(layers.Lambda(lambda x: x * 2.)(boxes))
        assert K.int_shape(scaled) == (None, 6, 4)
        s = K.int_shape(scaled)
        pairs = layers.Reshape((s[1], 2, 2))(scaled)  # Mask R-CNN's mrcnn_bbox
        assert K.int_shape(pairs) == (None, 6, 2, 2)
        # A layer built for the declared shape: the flattened boxes, 24 features.
        dense = layers.Dense(3, name='head')
        outputs = dense(layers.Reshape((s[1] * s[2],))(boxes))
        assert dense.kernel.shape.as_list() == [24, 3]
        model = models.Model(inputs, [pairs, outputs])
        x = np.arange(2 * 6 * 4, dtype=np.float32).reshape(2, 6, 4) / 48.
        got_pairs, got = model.predict(x)
        np.testing.assert_allclose(got_pairs, 2. * x.reshape(2, 6, 2, 2), rtol=1e-6)
        kernel, bias = dense.get_weights()
        # TF's and NumPy's sums of 24 products round differently: equal to float32 rounding
        # (an answer near 0, 0.0046, differed by 6e-8 on CI's AMD EPYC).
        np.testing.assert_allclose(got, x.reshape(2, 24) @ kernel + bias, rtol=1e-5, atol=1e-6)


def test_time_distributed_splits_the_batch_by_the_declared_time_steps():
    """Mask R-CNN's PyramidROIAlign returns [1, batch * boxes, ...] and declares [batch,
    boxes, ...]; Keras 2's TimeDistributed split its rows by the declared boxes."""
    K, layers, models = keras('keras.backend'), keras('keras.layers'), keras('keras.models')
    with tf.Graph().as_default(), tf.Session().as_default():
        inputs = layers.Input(shape=(4, 3))
        flat = keras_2_layer(lambda x: tf.expand_dims(tf.reshape(x, [-1, 3]), 0),
                             lambda s: (None, s[1], 3))(inputs)
        dense = layers.Dense(5)
        outputs = layers.TimeDistributed(dense)(flat)
        assert K.int_shape(outputs) == (None, 4, 5)
        x = np.random.RandomState(0).randn(2, 4, 3).astype(np.float32)
        got = models.Model(inputs, outputs).predict(x)
        kernel, bias = dense.get_weights()
    np.testing.assert_allclose(got, x @ kernel + bias, rtol=1e-5, atol=1e-6)


def test_without_a_declared_shape_the_graphs_static_shape_stands():
    K, layers = keras('keras.backend'), keras('keras.layers')

    def cannot_say(shape):
        raise NotImplementedError
    with tf.Graph().as_default():
        inputs = layers.Input(shape=(3,))
        hidden = layers.Dense(2)(inputs)
        assert hidden._keras_shape == K.int_shape(hidden) == (None, 2)
        doubled = keras_2_layer(lambda x: tf.concat([x, x], 1), cannot_say)(hidden)
        assert doubled._keras_shape == K.int_shape(doubled) == (None, 4)
        assert K.int_shape(tf.zeros([2, 3])) == (2, 3)  # not a Keras tensor: its shape


def test_tf_keras_wrappers_take_tf_layers_layers_as_tf1s_did():
    """TF 1.x's tf.layers classes were tf.keras's: TimeDistributed(tf.layers.Dense(3))
    trained, and Tacotron-2's WaveNet wrapped a tf.layers.Conv1D in a Wrapper."""
    keras = tf1_api.keras

    class CausalConv1D(keras.layers.Wrapper):  # Tacotron-2's, trimmed
        def __init__(self, filters, kernel_size, name=None):
            super().__init__(tf1_api.layers.Conv1D(filters, kernel_size, name='conv'),
                             name=name)
            self.pad = kernel_size - 1

        def call(self, inputs):
            return self.layer(tf.pad(inputs, [[0, 0], [self.pad, 0], [0, 0]]))
    x = np.random.RandomState(0).randn(8, 5, 4).astype(np.float32)
    with tf.Graph().as_default(), tf.Session().as_default() as session:
        inputs = keras.layers.Input(shape=(5, 4))
        dense = tf1_api.layers.Dense(3, name='frames')
        frames = keras.layers.TimeDistributed(dense)(inputs)
        causal = CausalConv1D(2, 3, name='causal')
        waves = causal(inputs)
        assert [v.name for v in causal.trainable_weights] == ['conv/kernel:0', 'conv/bias:0']
        model = keras.Model(inputs, [frames, waves])
        assert len(model.trainable_weights) == 4  # the wrapped layers' variables
        model.compile(optimizer='sgd', loss='mse')
        session.run(tf.global_variables_initializer())
        kernel, bias = dense.get_weights()
        conv_kernel, conv_bias = causal.layer.get_weights()
        got_frames, got_waves = model.predict(x)
        np.testing.assert_allclose(got_frames, x @ kernel + bias, rtol=1e-5, atol=1e-6)
        padded = np.pad(x, [(0, 0), (2, 0), (0, 0)])
        expected = sum(padded[:, k:k + 5] @ conv_kernel[k] for k in range(3)) + conv_bias
        np.testing.assert_allclose(got_waves, expected, rtol=1e-5, atol=1e-6)
        model.fit(x, [np.zeros((8, 5, 3)), np.zeros((8, 5, 2))], epochs=1, verbose=0)
        assert not np.allclose(dense.get_weights()[0], kernel)  # Keras's optimizer trained it
        assert not np.allclose(causal.layer.get_weights()[0], conv_kernel)
        mask = tf.ones([1, 5], tf.bool)
        assert dense.compute_mask(inputs, mask=mask) is mask  # Keras's Dense's, as TF 1.15
        with pytest.raises(TypeError, match='does not support masking'):
            causal.layer.compute_mask(inputs, mask=mask)


@pytest.mark.parametrize('backend', ['tf.keras', 'keras'])
def test_batch_dot_is_keras_2_2s_and_tf_1_xs(backend):
    """Keras 2.2.4's capsule network example: batch_dot(c, u, [2, 2]) of (B, 10, 10) and
    (B, 10, 10, 16) is (B, 10, 16)."""
    K = tf1_api.keras.backend if backend == 'tf.keras' else keras('keras.backend')
    random = np.random.RandomState(0)
    c, u = random.randn(2, 10, 10), random.randn(2, 10, 10, 16)
    o, x, y = random.randn(2, 10, 16), random.randn(3, 4), random.randn(3, 4)
    a, b = random.randn(2, 3, 4), random.randn(2, 4, 5)
    with tf.Graph().as_default(), tf.Session() as session:
        got = session.run([K.batch_dot(tf.constant(c), tf.constant(u), [2, 2]),
                           K.batch_dot(tf.constant(o), tf.constant(u), [2, 3]),
                           K.batch_dot(tf.constant(x), tf.constant(y), 1),
                           K.batch_dot(tf.constant(a), tf.constant(b))])  # axes (2, 1)
    np.testing.assert_allclose(got[0], np.einsum('bij,bijk->bik', c, u), rtol=1e-10)
    np.testing.assert_allclose(got[1], np.einsum('bik,bijk->bij', o, u), rtol=1e-10)
    np.testing.assert_allclose(got[2], np.sum(x * y, 1, keepdims=True), rtol=1e-10)
    np.testing.assert_allclose(got[3], a @ b, rtol=1e-10)
    with pytest.raises(ValueError, match='Multiple target dimensions are not supported'):
        K.batch_dot(tf.constant(x), tf.constant(y), [[1], [1]])


def test_what_keras_2s_tensorflow_backend_held_at_module_level():
    """keras-yolo3's loss runs `K.control_flow_ops.while_loop`."""
    K = keras('keras.backend')
    with tf.Graph().as_default(), tf.Session() as session:
        _, total = K.control_flow_ops.while_loop(lambda i, s: i < 4, lambda i, s: (i + 1, s + i),
                                                 [0, 0])
        assert session.run(total) == 6
    assert K.tensor_array_ops.TensorArray is tf.TensorArray
    assert K.tf_ops.Tensor is tf.Tensor and K.ctc.ctc_loss and K.moving_averages
    assert K.functional_ops.map_fn and K.device_lib.list_local_devices
    assert (K.py_all, K.py_any, K.py_sum, K.py_slice) == (all, any, sum, slice)
    assert K.np.float is float  # NumPy as mapped code has it
    assert K.config_pb2.ConfigProto is tf.ConfigProto


def test_keras_2_idioms_of_keras_yolo3_and_keras_retinanet(tmp_path):
    """keras-yolo3's loss: a Lambda returning a scalar, declared (1,), trained with the
    identity loss on zeros; keras-retinanet's initializer building its values in NumPy;
    unnamed layers named from 1, which Keras 2's weight files load by; weights saved as
    HDF5 whatever the file is called (keras-rl's 'weights.h5f')."""
    K, layers, models = keras('keras.backend'), keras('keras.layers'), keras('keras.models')
    initializers = keras('keras.initializers')

    class Prior(initializers.Initializer):
        def __call__(self, shape, dtype=None):
            return np.ones(shape, dtype=dtype) * -4.59
    x = np.random.RandomState(0).randn(8, 4).astype(np.float32)
    with tf.Graph().as_default(), tf.Session().as_default():
        inputs, targets = layers.Input(shape=(4,)), layers.Input(shape=(1,))
        dense = layers.Dense(1, bias_initializer=Prior(),
                             kernel_initializer=lambda shape: np.full(shape, 0.5, np.float32))
        assert dense.name == 'dense_1'  # Keras 2's first Dense
        loss = layers.Lambda(lambda a: K.mean(K.square(a[0] - a[1])), output_shape=(1,),
                             name='the_loss')([dense(inputs), targets])
        assert K.int_shape(loss) == (None, 1)
        model = models.Model([inputs, targets], loss)
        np.testing.assert_allclose(K.get_session().run(dense.bias), [-4.59], rtol=1e-6)
        np.testing.assert_array_equal(K.get_session().run(dense.kernel), [[0.5]] * 4)
        model.compile(optimizer='sgd', loss={'the_loss': lambda y_true, y_pred: y_pred})
        kernel, bias = dense.get_weights()
        expected = np.mean((x @ kernel + bias - 1.) ** 2)
        history = model.fit([x, np.ones((8, 1))], np.zeros(8), batch_size=8, epochs=1,
                            verbose=0)
        np.testing.assert_allclose(history.history['loss'], [expected], rtol=1e-5)
        assert sorted(layer.name for layer in model.layers) == ['dense_1', 'input_1',
                                                                'input_2', 'the_loss']
        assert model.name == 'model_1' and models.Sequential().name == 'sequential_1'
        model.save_weights(str(tmp_path / 'weights.h5f'))
    with tf.Graph().as_default(), tf.Session().as_default():
        other = layers.Input(shape=(4,))
        again = models.Model(other, layers.Dense(1)(other))  # dense_1 again, in a new graph
        again.load_weights(str(tmp_path / 'weights.h5f'), by_name=True)
        np.testing.assert_allclose(again.layers[1].get_weights()[0], dense_kernel(tmp_path))


def dense_kernel(tmp_path):
    import h5py
    with h5py.File(str(tmp_path / 'weights.h5f'), 'r') as f:
        return f['dense_1']['dense_1']['kernel:0'][()]


def test_multi_gpu_model_splits_the_batch_between_replicas(monkeypatch):
    """Keras 2.2.4's multi_gpu_model: its ValueError where the GPUs are not there, and,
    with two GPUs listed (the session places their ops on the CPU here), replicas that
    compute the model's outputs on halves of the batch."""
    layers, models = keras('keras.layers'), keras('keras.models')
    utils = keras('keras.utils')
    from tf1 import keras_multi_gpu
    x = np.random.RandomState(0).randn(5, 3).astype(np.float32)
    soft = tf.ConfigProto(allow_soft_placement=True)  # Keras's own session's setting
    with tf.Graph().as_default(), tf.Session(config=soft).as_default():
        inputs = layers.Input(shape=(3,))
        model = models.Model(inputs, layers.Dense(2, name='scores')(inputs))
        with pytest.raises(ValueError, match=r"with `gpus=2`, we expect the following devices "
                                             r"to be available: \['/cpu:0', '/gpu:0', "
                                             r"'/gpu:1'\]. However this machine only has"):
            utils.multi_gpu_model(model, gpus=2)
        with pytest.raises(ValueError, match='call `multi_gpu_model` with `gpus >= 2`'):
            utils.multi_gpu_model(model, gpus=1)
        monkeypatch.setattr(keras_multi_gpu, '_get_available_devices', lambda: [
            '/job:localhost/replica:0/task:0/device:CPU:0'] + [
            '/job:localhost/replica:0/task:0/device:GPU:%d' % i for i in range(2)])
        parallel = keras('keras.utils.multi_gpu_utils').multi_gpu_model(model, gpus=2)
        assert parallel.output_names == ['scores']
        # Each replica multiplies its own slice of the batch, so the kernel may block the sums
        # differently: equal to float32 rounding, not bit for bit (an answer near 0 differs
        # by 7e-6 relative on an AMD EPYC).
        np.testing.assert_allclose(parallel.predict(x), model.predict(x), rtol=1e-5, atol=1e-6)
        parallel.compile(optimizer='sgd', loss='mse')
        before = model.get_weights()[0]
        parallel.fit(x, np.zeros((5, 2)), epochs=1, verbose=0)
        assert not np.allclose(model.get_weights()[0], before)  # the replicas' shared weights
        np.testing.assert_allclose(parallel.predict(x), model.predict(x), rtol=1e-5, atol=1e-6)


def test_standalone_keras_has_one_session_for_every_thread():
    """Keras 2.2's K.get_session() was the process's: weights loaded in the main thread
    answer in a web server's request thread (the Flask demos of the time)."""
    K, layers, models = keras('keras.backend'), keras('keras.layers'), keras('keras.models')
    with tf.Graph().as_default() as graph:
        inputs = layers.Input(shape=(3,))
        model = models.Model(inputs, layers.Dense(2)(inputs))
        model.set_weights([np.full((3, 2), 0.5, np.float32), np.array([1., -1.], np.float32)])
        session = K.get_session()
    answers = {}

    def request():
        with graph.as_default():
            answers['session'] = K.get_session()
            answers['prediction'] = model.predict(np.ones((1, 3), np.float32))
    thread = threading.Thread(target=request)
    thread.start()
    thread.join()
    assert answers['session'] is session
    np.testing.assert_allclose(answers['prediction'], [[2.5, 0.5]])


FORKED_FROM_A_THREAD = '''
import os, threading, weakref
import numpy as np
import keras
session = weakref.ref(keras.backend.get_session())
x = keras.backend.random_normal([128, 128])
product = keras.backend.sum(keras.backend.dot(x, x))

def fork():  # as fit_generator's process pool forks its workers
    pid = os.fork()
    if pid == 0:
        os._exit(0 if session() is not None else 3)
    print('child exit status', os.waitpid(pid, 0)[1] >> 8)
thread = threading.Thread(target=fork)
thread.start()
for _ in range(20):
    session().run(product)
thread.join()
'''


def test_a_process_forked_from_a_thread_inherits_standalone_keras_session_alive(tmp_path):
    """tf_keras's session belongs to the thread that made it: a child forked from another
    thread deleted it, which can hang on locks held at the fork (Mask R-CNN's training)."""
    write(tmp_path, 'fork.py', FORKED_FROM_A_THREAD)
    result = tf1(['fork.py'], cwd=str(tmp_path), timeout=120)
    assert result.returncode == 0, result.stderr[-3000:]
    assert 'child exit status 0' in result.stdout


def test_fit_generators_progress_bar_shows_the_loss_not_its_bookkeeping(capsys):
    layers, models = keras('keras.layers'), keras('keras.models')
    with tf.Graph().as_default(), tf.Session().as_default():
        inputs = layers.Input(shape=(3,))
        model = models.Model(inputs, layers.Dense(1)(inputs))
        model.compile(optimizer='sgd', loss='mse')
        batches = iter([(np.ones((4, 3)), np.ones((4, 1)))] * 2)
        model.fit_generator(batches, steps_per_epoch=2, epochs=1, verbose=1)
    printed = capsys.readouterr().out
    assert '2/2 [' in printed and 'loss:' in printed
    assert 'batch:' not in printed and 'size:' not in printed


def test_history_and_callbacks_get_numpy_numbers_as_tf1s_keras_gave():
    """`history.history['loss'][-1].item()` (tensorflow/models' official Keras models):
    TF 1.x's Keras logged NumPy numbers; they dump to JSON as its float64 losses did."""
    import json
    seen = []
    with tf.Graph().as_default(), tf.Session().as_default():
        inputs = tf1_api.keras.layers.Input(shape=(3,))
        model = tf1_api.keras.models.Model(inputs, tf1_api.keras.layers.Dense(1)(inputs))
        model.compile(optimizer='sgd', loss='mse', metrics=['mae'])
        history = model.fit(np.ones((8, 3)), np.ones((8, 1)), batch_size=4, epochs=2,
                            verbose=0, validation_data=(np.ones((4, 3)), np.ones((4, 1))),
                            callbacks=[tf1_api.keras.callbacks.LambdaCallback(
                                on_batch_end=lambda batch, logs: seen.append(logs['loss']))])
    for name in ('loss', 'mean_absolute_error', 'val_loss', 'val_mean_absolute_error'):
        assert all(type(value) is np.float64 for value in history.history[name]), name
    assert isinstance(history.history['loss'][-1].item(), float)
    assert json.loads(json.dumps(history.history)).keys() == history.history.keys()
    assert len(seen) == 4 and all(isinstance(loss, np.floating) for loss in seen)


def test_categorical_crossentropy_broadcasts_the_target_as_tf1s():
    """TF 1.x's K.categorical_crossentropy broadcast a target of one column against the
    output, by either of its paths (a softmax's logits, or the clipped probabilities);
    tf_keras refuses shapes that differ."""
    probabilities = np.array([[0.2, 0.3, 0.5], [0.6, 0.3, 0.1]], np.float32)
    target = np.array([[1.0], [2.0]], np.float32)
    with tf.Graph().as_default():
        backend = tf1_api.keras.backend
        logits = tf.constant(np.log(probabilities))
        from_softmax = backend.categorical_crossentropy(target, tf.nn.softmax(logits))
        from_probabilities = backend.categorical_crossentropy(target, tf.constant(probabilities))
        with tf.Session() as sess:
            values = sess.run([from_softmax, from_probabilities])
    expected = -np.sum(target * np.log(probabilities), axis=-1)
    for value in values:
        np.testing.assert_allclose(value, expected, rtol=1e-5)


def test_fit_generator_begins_training_before_its_workers_pull_a_batch():
    """Keras 2.0-2.2 called on_train_begin before it started the generator's workers (Keras
    1's image_ocr: its generator is a callback that sets itself up there)."""
    layers, models, callbacks = (keras('keras.layers'), keras('keras.models'),
                                 keras('keras.callbacks'))
    events = []

    class SelfPreparingGenerator(callbacks.Callback):
        def on_train_begin(self, logs=None):
            time.sleep(0.5)  # the workers would have pulled by now
            events.append('on_train_begin')

        def flow(self):
            while True:
                events.append('batch')
                yield np.ones((4, 3)), np.ones((4, 1))

    with tf.Graph().as_default(), tf.Session().as_default():
        inputs = layers.Input(shape=(3,))
        model = models.Model(inputs, layers.Dense(1)(inputs))
        model.compile(optimizer='sgd', loss='mse')
        source = SelfPreparingGenerator()
        model.fit_generator(source.flow(), steps_per_epoch=2, epochs=1, workers=1,
                            callbacks=[source], verbose=0)
    assert events[:2] == ['on_train_begin', 'batch']


def test_image_dim_ordering_is_keras_2_0s_name_for_the_data_format():
    backend = keras('keras.backend')
    backend.set_image_dim_ordering('th')
    try:
        assert backend.image_data_format() == 'channels_first'
        assert backend.image_dim_ordering() == 'th'
    finally:
        backend.set_image_dim_ordering('tf')
    assert backend.image_data_format() == 'channels_last'
    with pytest.raises(ValueError, match="Unknown dim_ordering: 'theano'"):
        backend.set_image_dim_ordering('theano')


@pytest.mark.parametrize('name, keras_2_2_update', [
    # One step on the loss 3 * v from v = 1, as Keras 2.2.4's optimizers.py wrote it:
    # Adagrad's accumulator starts at 0 (tf.keras's at 0.1), learning rate 0.01 (0.001).
    ('Adagrad', 1 - 0.01 * 3 / (np.sqrt(9.0) + 1e-7)),
    # Adadelta: learning rate 1.0 (tf.keras's 0.001), rho 0.95.
    ('Adadelta', 1 - 1.0 * 3 * np.sqrt(0 + 1e-7) / np.sqrt(0.05 * 9 + 1e-7)),
    ('Adamax', 1 - 0.002 * (0.1 * 3 / 0.1) / (3 + 1e-7)),
    ('SGD', 1 - 0.01 * 3),
])
def test_standalone_optimizers_take_keras_2_2s_defaults(name, keras_2_2_update):
    optimizer = getattr(keras('keras.optimizers'), name)()
    with tf.Graph().as_default():
        variable = keras('keras.backend').variable(1.0)
        updates = optimizer.get_updates(3.0 * variable, [variable])
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            sess.run(updates)
            assert sess.run(variable) == pytest.approx(keras_2_2_update, rel=1e-6)


def test_standalone_optimizers_take_keras_2_2s_arguments():
    optimizers = keras('keras.optimizers')
    assert optimizers.SGD(lr=0.1, decay=1e-6).get_config()['learning_rate'] == \
        pytest.approx(0.1)
    assert optimizers.Adam(learning_rate=0.01).get_config()['learning_rate'] == \
        pytest.approx(0.01)  # Keras 2.3's name
    assert optimizers.RMSprop(0.01, 0.8, 1e-6).get_config()['epsilon'] == 1e-6  # positional
    assert optimizers.adam is optimizers.Adam
    # tf.keras keeps TF 1.x's own defaults.
    assert tf1_api.keras.optimizers.Adadelta().get_config()['learning_rate'] == \
        pytest.approx(0.001)


def test_optimizer_names_given_to_compile_are_keras_2_2s_too():
    models, layers = keras('keras.models'), keras('keras.layers')
    with tf.Graph().as_default():
        model = models.Sequential([layers.Dense(3, input_shape=(4,))])
        model.compile(optimizer='adadelta', loss='mse')
        assert model.optimizer.get_config()['learning_rate'] == pytest.approx(1.0)
        model.compile(optimizer='adagrad', loss='mse')
        config = model.optimizer.get_config()
        assert (config['learning_rate'], config['initial_accumulator_value']) == \
            (pytest.approx(0.01), 0.0)


def separable_digits(count=240, seed=0):
    """Three classes of 4-vectors a dense layer separates, with string labels."""
    rng = np.random.RandomState(seed)
    labels = rng.randint(0, 3, count)
    x = rng.normal(0, 0.1, (count, 4)).astype(np.float32)
    x[np.arange(count), labels] += 1.0
    return x, np.array(['zero', 'one', 'two'])[labels]


def classifier_model(units=3, activation='softmax', loss='sparse_categorical_crossentropy'):
    keras_api = keras('keras')
    model = keras_api.models.Sequential([
        keras_api.layers.Dense(units, activation=activation, input_shape=(4,))])
    model.compile(keras_api.optimizers.Adam(0.05), loss, metrics=['accuracy'])
    return model


def test_sequential_predict_classes_and_proba_are_back():
    x, _ = separable_digits(10)
    with tf.Graph().as_default():
        softmax = classifier_model()
        np.testing.assert_array_equal(softmax.predict_classes(x),
                                      softmax.predict(x).argmax(axis=-1))
        np.testing.assert_allclose(softmax.predict_proba(x), softmax.predict(x))
        sigmoid = classifier_model(units=1, activation='sigmoid', loss='binary_crossentropy')
        np.testing.assert_array_equal(sigmoid.predict_classes(x),
                                      (sigmoid.predict(x) > 0.5).astype('int32'))
    assert tf1_api.keras.Sequential.predict_classes is \
        keras('keras.models').Sequential.predict_classes


def test_a_layers_apply_is_its_call_as_in_tf1():
    """TF 1.x's deprecated Layer.apply (vahidk/TensorflowFramework calls it on every
    layer)."""
    layers = tf1_api.keras.layers
    with tf.Graph().as_default():
        images = tf.placeholder(tf.float32, [None, 8, 8, 3])
        features = layers.Flatten().apply(layers.Conv2D(4, 3).apply(images))
        assert features.shape.as_list() == [None, 144]
        assert layers.Dense(2).apply(features).shape.as_list() == [None, 2]


def test_scikit_learn_wrappers_fit_predict_and_score_as_tf1s_did():
    wrappers = keras('keras.wrappers.scikit_learn')
    assert tf1_api.keras.wrappers.scikit_learn.KerasClassifier is wrappers.KerasClassifier
    x, labels = separable_digits()
    with tf.Graph().as_default():
        estimator = wrappers.KerasClassifier(build_fn=classifier_model, epochs=30,
                                             batch_size=32, verbose=0)
        # scikit-learn's clone: the class called again on get_params()
        estimator = type(estimator)(**estimator.get_params())
        estimator.fit(x, labels)
        assert list(estimator.classes_) == ['one', 'two', 'zero']
        predictions = estimator.predict(x)
        assert predictions.dtype.kind == 'U' and np.mean(predictions == labels) > 0.9
        assert estimator.predict_proba(x).shape == (240, 3)
        assert estimator.score(x, labels) > 0.9
        with pytest.raises(ValueError, match='^epoch is not a legal parameter$'):
            estimator.set_params(epoch=5)  # a typo for epochs
        regressor = wrappers.KerasRegressor(build_fn=lambda: classifier_model(
            units=1, activation=None, loss='mse'), epochs=5, verbose=0)
        regressor.fit(x, x[:, 0])
        assert regressor.predict(x).shape == (240,)
        assert regressor.score(x, x[:, 0]) < 0  # the negated loss


# Keras 2.2.4's tensorboard_embeddings_mnist.py's callback, on a smaller model; and a
# tf.Variable left to Keras to initialize, as Keras 2.2's get_session initialized them all.
EMBEDDINGS = '''
    import os
    import numpy as np
    import tensorflow as tf
    import keras
    from keras import backend as K
    from keras.callbacks import TensorBoard
    from keras.datasets import mnist
    from keras.layers import Dense, Flatten
    from keras.models import Sequential

    (x_train, y_train), (x_test, y_test) = mnist.load_data()
    x_train, x_test = x_train / 255.0, x_test / 255.0
    os.makedirs('logs')
    with open(os.path.join('logs', 'metadata.tsv'), 'w') as f:
        np.savetxt(f, y_test)
    tensorboard = TensorBoard(batch_size=128, embeddings_freq=1,
                              embeddings_layer_names=['features'],
                              embeddings_metadata='metadata.tsv', embeddings_data=x_test)
    model = Sequential([Flatten(input_shape=(28, 28)),
                        Dense(32, activation='relu', name='features'),
                        Dense(10, activation='softmax')])
    model.compile(loss=keras.losses.categorical_crossentropy,
                  optimizer=keras.optimizers.Adadelta(), metrics=['accuracy'])
    model.fit(x_train, keras.utils.to_categorical(y_train, 10), batch_size=128,
              callbacks=[tensorboard], epochs=1, verbose=0)
    counter = tf.Variable(41, name='counter')
    print('counter', K.get_session().run(counter + 1))
'''


def test_keras_2s_tensorboard_embeddings_and_variables_left_to_get_session(tmp_path):
    mnist = write_mnist_dir(str(tmp_path / 'mnist'), train_count=600, test_count=100)
    write(tmp_path, 'embeddings.py', EMBEDDINGS)
    result = tf1(['embeddings.py'], cwd=str(tmp_path), mnist_dir=mnist)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-3000:]
    assert 'counter 42' in result.stdout
    projector = (tmp_path / 'logs' / 'projector_config.pbtxt').read_text()
    assert 'features_embedding' in projector and 'metadata.tsv' in projector


def test_scikit_learn_cross_validates_and_grid_searches_the_wrappers():
    model_selection = pytest.importorskip('sklearn.model_selection')
    wrappers = keras('keras.wrappers.scikit_learn')
    x, labels = separable_digits(150)
    with tf.Graph().as_default():
        # Seeded: an unlucky initialisation lets one epoch score as well as twenty, and the
        # search then keeps the first of the tied settings.
        tf.set_random_seed(0)
        estimator = wrappers.KerasClassifier(build_fn=classifier_model, epochs=20,
                                             batch_size=32, verbose=0)
        scores = model_selection.cross_val_score(estimator, x, labels, cv=3)
        assert len(scores) == 3 and scores.mean() > 0.8
        search = model_selection.GridSearchCV(estimator, {'epochs': [1, 20]}, cv=2)
        search.fit(x, labels)
        assert search.best_params_ == {'epochs': 20}


def test_hdf5_matrix_feeds_fit_a_slice_at_a_time(tmp_path):
    h5py = pytest.importorskip('h5py')  # installed with TensorFlow
    utils = keras('keras.utils.io_utils')
    x, labels = separable_digits(200)
    y = np.searchsorted(['one', 'two', 'zero'], labels)
    path = str(tmp_path / 'digits.h5')
    with h5py.File(path, 'w') as f:
        f['x'], f['y'] = x, y
    x_train, y_train = (utils.HDF5Matrix(path, name, end=150) for name in ('x', 'y'))
    x_test = utils.HDF5Matrix(path, 'x', start=150, normalizer=lambda rows: rows * 2)
    assert (x_train.shape, len(x_test), x_train.dtype, x_train.ndim, x_train.size) == \
        ((150, 4), 50, np.float32, 2, 600)
    np.testing.assert_array_equal(x_test[1:3], x[151:153] * 2)
    np.testing.assert_array_equal(x_train[[0, 5]], x[[0, 5]])
    with pytest.raises(IndexError):
        x_train[150]
    with tf.Graph().as_default():
        model = classifier_model()
        model.fit(x_train, y_train, batch_size=32, epochs=20, shuffle='batch', verbose=0)
        assert np.mean(model.predict_classes(x[150:]) == y[150:]) > 0.9


def test_compile_keeps_arguments_it_does_not_know_as_tf1s_keras_did(tmp_path):
    """The TF 1.x guide's `compile(..., metric='accuracy')` (a typo of metrics=): TF 1.15
    kept it for the session's K.function, so model_to_estimator trained and only fit
    refused it."""
    keras = tf1_api.keras
    with tf.Graph().as_default():  # Keras's own session, as a script's fit has it
        model = keras.models.Sequential([keras.layers.Dense(2, activation='softmax',
                                                            input_shape=(4,))])
        model.compile('sgd', 'categorical_crossentropy', metric='accuracy')
        x, y = np.zeros((8, 4), np.float32), np.eye(2, dtype=np.float32)[np.arange(8) % 2]
        with pytest.raises(ValueError, match='Invalid argument "metric" passed to K.function'):
            model.fit(x, y, verbose=0)
        estimator = keras.estimator.model_to_estimator(keras_model=model,
                                                       model_dir=str(tmp_path))
    estimator.train(tf1_api.estimator.inputs.numpy_input_fn(
        {model.input_names[0]: x}, y, batch_size=8, num_epochs=1, shuffle=False))
    assert estimator.get_variable_value('global_step') == 1
