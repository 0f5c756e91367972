"""tf.keras under `python -m tf1`: TF 1.x's graph-mode Keras (tf_keras's TF 1.x API), not
Keras 3. Scripts written for TF 1.x run unchanged: a Sequential model compiled and fit in a
v1 graph, Keras layers on placeholders trained by a tf.train optimizer in a tf.Session,
checkpoints restored in a fresh process by tensor name, models saved and loaded as HDF5."""
import re
import textwrap

import tensorflow.compat.v1 as tf

from conftest import write_mnist_dir
from test_tf1_runner import tf1
from tf1.api import tensorflow as tf1_api

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
    assert tf1_api.contrib.keras is keras  # TF 1.2-1.3's name for it
    assert 'legacy' in keras.optimizers.Adam.__module__  # TF 1.x's optimizers (lr=, decay=)
    assert keras.layers.LSTM.__module__.endswith('lstm_v1')
    with tf.Graph().as_default():
        images = tf.placeholder(tf.float32, [None, 4])
        outputs = keras.layers.Dense(3, name='fc')(images)
        assert outputs.graph is tf.get_default_graph()  # a v1 graph tensor, not a Keras one
        assert [v.name for v in tf.trainable_variables()] == ['fc/kernel:0', 'fc/bias:0']
