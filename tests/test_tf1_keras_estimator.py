"""tf.keras.estimator.model_to_estimator (tf1/keras_estimator.py) in a TF 1.x script run by
`python -m tf1`: the Estimator starts from the Keras model's weights (its predictions are
the model's), trains on from them, evaluates the compiled loss and metrics, resumes from
its own checkpoints, exports a SavedModel that answers as the model does; a saved .h5
model, a subclassed one and a two-input functional model with dict features and labels
work too; misuse is refused in one line, as TF 1.x did."""
import json
import textwrap

import pytest

from test_tf1_runner import tf1

SCRIPT = textwrap.dedent('''
    import json, sys
    import numpy as np
    import tensorflow as tf

    rng = np.random.RandomState(0)
    x = rng.rand(512, 4).astype(np.float32)
    y = (x[:, 0] + x[:, 1] > x[:, 2] + x[:, 3]).astype(np.int64)

    model = tf.keras.Sequential([tf.keras.layers.Dense(16, activation='relu', input_shape=(4,)),
                                 tf.keras.layers.Dense(2, activation='softmax')])
    model.compile(optimizer='adam', loss='sparse_categorical_crossentropy',
                  metrics=['accuracy'])
    model.fit(x, y, epochs=2, verbose=0)
    expected = model.predict(x[:8])

    def predictions(estimator, features):
        fn = tf.estimator.inputs.numpy_input_fn(features, shuffle=False)
        return np.array([p['dense_1'] for p in estimator.predict(fn)])

    estimator = tf.keras.estimator.model_to_estimator(keras_model=model, model_dir='m2e')
    report = {'input_names': model.input_names, 'output_names': model.output_names,
              'before': float(np.abs(predictions(estimator, {'dense_input': x[:8]})
                                     - expected).max())}
    # numpy_input_fn gives float64 as it is: the Estimator casts it to Keras's float32.
    report['float64'] = float(np.abs(predictions(estimator, {'dense_input': x[:8].astype(
        np.float64)}) - expected).max())
    train = tf.estimator.inputs.numpy_input_fn({'dense_input': x}, y, batch_size=32,
                                               num_epochs=None, shuffle=True)
    everything = tf.estimator.inputs.numpy_input_fn({'dense_input': x}, y, shuffle=False)
    scores = lambda: {k: float(v) for k, v in estimator.evaluate(everything).items()}
    report['start'] = scores()
    estimator.train(train, steps=400)
    report['trained'] = scores()
    trained = predictions(estimator, {'dense_input': x[:8]})
    # A new Estimator on the same directory resumes from its checkpoint, not the model.
    again = tf.keras.estimator.model_to_estimator(keras_model=model, model_dir='m2e')
    report['resumed'] = float(np.abs(predictions(again, {'dense_input': x[:8]})
                                     - trained).max())
    receiver = tf.estimator.export.build_raw_serving_input_receiver_fn(
        {'dense_input': tf.placeholder(tf.float32, [None, 4])})
    export_dir = estimator.export_savedmodel('export', receiver)
    with tf.Graph().as_default(), tf.Session() as session:
        meta = tf.saved_model.loader.load(session, ['serve'], export_dir)
        signature = meta.signature_def['serving_default']
        exported = session.run(signature.outputs['dense_1'].name,
                               {signature.inputs['dense_input'].name: x[:8]})
    report['exported'] = float(np.abs(exported - trained).max())

    # A model saved by Keras, by path.
    model.save('model.h5')
    from_path = tf.keras.estimator.model_to_estimator(keras_model_path='model.h5',
                                                      model_dir='from_path')
    report['from_path'] = float(np.abs(predictions(from_path, {'dense_input': x[:8]})
                                       - expected).max())

    # Two inputs and two outputs, fed and labelled by name.
    a = tf.keras.layers.Input((4,), name='a')
    b = tf.keras.layers.Input((2,), name='b')
    hidden = tf.keras.layers.Dense(8, activation='relu')(
        tf.keras.layers.concatenate([a, b]))
    digit = tf.keras.layers.Dense(2, activation='softmax', name='digit')(hidden)
    size = tf.keras.layers.Dense(1, name='size')(hidden)
    two = tf.keras.models.Model([a, b], [digit, size])
    two.compile('sgd', {'digit': 'sparse_categorical_crossentropy', 'size': 'mse'})
    two_estimator = tf.keras.estimator.model_to_estimator(keras_model=two, model_dir='two')
    features = {'a': x, 'b': x[:, :2]}
    two_estimator.train(tf.estimator.inputs.numpy_input_fn(
        features, {'digit': y, 'size': x.sum(1)}, batch_size=64, num_epochs=None,
        shuffle=True), steps=20)
    outputs = list(two_estimator.predict(tf.estimator.inputs.numpy_input_fn(
        features, shuffle=False)))
    report['two'] = {'count': len(outputs), 'keys': sorted(outputs[0]),
                     'step': two_estimator.get_variable_value('global_step').item()}
    try:
        two_estimator.train(tf.estimator.inputs.numpy_input_fn(
            {'a': x}, {'digit': y, 'size': x.sum(1)}, num_epochs=1, shuffle=False),
            steps=1)
    except KeyError as error:
        report['missing'] = str(error)

    # A subclassed model, once fitted: rebuilt in place for the Estimator, then itself again.
    class Net(tf.keras.Model):
        def __init__(self):
            super(Net, self).__init__()
            self.hidden = tf.keras.layers.Dense(8, activation='relu')
            self.out = tf.keras.layers.Dense(2, activation='softmax')

        def call(self, inputs):
            return self.out(self.hidden(inputs))
    net = Net()
    net.compile('adam', 'sparse_categorical_crossentropy')
    net.fit(x, y, epochs=1, verbose=0)
    net_estimator = tf.keras.estimator.model_to_estimator(keras_model=net, model_dir='net')
    outputs = np.array([p['output_1'] for p in net_estimator.predict(
        tf.estimator.inputs.numpy_input_fn(x[:8], shuffle=False))])
    report['subclassed'] = float(np.abs(outputs - net.predict(x[:8])).max())
    print('REPORT ' + json.dumps(report))
''')


@pytest.fixture(scope='module')
def report(tmp_path_factory):
    directory = tmp_path_factory.mktemp('keras_estimator')
    (directory / 'script.py').write_text(SCRIPT)
    result = tf1(['script.py'], cwd=str(directory), timeout=600)
    lines = [line for line in result.stdout.splitlines() if line.startswith('REPORT ')]
    assert result.returncode == 0 and lines, result.stderr[-3000:]
    return json.loads(lines[-1][len('REPORT '):])


def test_the_estimator_starts_from_the_keras_models_weights(report):
    assert report['input_names'] == ['dense_input'] and report['output_names'] == ['dense_1']
    assert report['before'] < 1e-6 and report['float64'] < 1e-6
    assert report['from_path'] < 1e-6  # the same model, saved to .h5 and named by path
    assert report['subclassed'] < 1e-6  # and the model predicts as before, too
    assert report['start']['global_step'] == 0


def test_it_trains_on_evaluates_the_compiled_metrics_resumes_and_exports(report):
    start, trained = report['start'], report['trained']
    assert set(trained) == {'loss', 'acc', 'global_step'} and trained['global_step'] == 400
    assert trained['loss'] < start['loss'] and trained['acc'] > start['acc']
    assert trained['acc'] > 0.85
    assert report['resumed'] < 1e-6 and report['exported'] < 1e-5


def test_dict_features_and_labels_are_matched_to_the_models_names(report):
    assert report['two'] == {'count': 512, 'keys': ['digit', 'size'], 'step': 20}
    assert 'does not cover requested inputs keys' in report['missing']
    assert "'b'" in report['missing']


def test_misuse_is_refused_in_one_line(tmp_path):
    script = textwrap.dedent('''
        import tensorflow as tf
        model = tf.keras.Sequential([tf.keras.layers.Dense(2, input_shape=(3,))])

        def refused(case):
            try:
                case()
            except ValueError as error:
                print('REFUSED ' + str(error))
        refused(lambda: tf.keras.estimator.model_to_estimator())
        refused(lambda: tf.keras.estimator.model_to_estimator(model, 'model.h5'))
        refused(lambda: tf.keras.estimator.model_to_estimator(model))  # not compiled
        refused(lambda: tf.keras.estimator.model_to_estimator(keras_model_path='none.h5'))
        model.compile('sgd', 'mse')
        refused(lambda: tf.keras.estimator.model_to_estimator(
            model, checkpoint_format='checkpoint'))
    ''')
    (tmp_path / 'misuse.py').write_text(script)
    result = tf1(['misuse.py'], cwd=str(tmp_path))
    refused = [line for line in result.stdout.splitlines() if line.startswith('REFUSED ')]
    assert result.returncode == 0, result.stderr[-2000:]
    assert len(refused) == 5, result.stdout
    assert 'needs to be provided' in refused[0] and 'not both' in refused[1]
    assert 'has not been compiled' in refused[2] and 'none.h5' in refused[3]
    assert "only 'saver'" in refused[4]
