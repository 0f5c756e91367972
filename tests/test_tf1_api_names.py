"""Every name of TF 1.x's `tensorflow` API (tests/tf1_api_names.txt: TF 1.15's v1 API,
tf.contrib and tf.raw_ops aside, from TensorFlow's API goldens by
scripts/tf1_api_names.py) is there in tf1, but for the few listed below, which TF 2.21
can no longer run; asking for one of those is a one-line UnsupportedApiError. With two
that TF 2.x dropped, at work: tf.pywrap_tensorflow's checkpoint reader and
tf.config.experimental_list_devices."""
import os

import numpy as np
import tensorflow.compat.v1 as v1

from tf1.api import tensorflow as tf
from tf1.unsupported import UnsupportedApiError

NAMES = os.path.join(os.path.dirname(__file__), 'tf1_api_names.txt')

# TF 1.15 names tf1 does not provide: each error says why and what to use (docs/tf1.md).
NOT_PROVIDED = {
    # TF 2.x's head classes, which TF 1.15 exported in v1 too (TF 1.x code used
    # tf.contrib.estimator's head functions, which tf1 provides); boosted trees, whose op
    # kernels TF 2.21 dropped; the SDCA optimizer's estimator
    *('tf.estimator.' + name for name in (
        'Head', 'BinaryClassHead', 'LogisticRegressionHead', 'MultiClassHead', 'MultiHead',
        'MultiLabelHead', 'PoissonRegressionHead', 'RegressionHead', 'BoostedTreesClassifier',
        'BoostedTreesEstimator', 'BoostedTreesRegressor', 'experimental.LinearSDCA')),
    # tf.data's statistics ops and map vectorization, which TF 2.21 removed
    *('tf.data.experimental.' + name for name in (
        'StatsAggregator', 'StatsOptions', 'bytes_produced_stats', 'latency_stats',
        'MapVectorizationOptions')),
    # TPU embeddings
    'tf.estimator.tpu.experimental', 'tf.estimator.tpu.experimental.EmbeddingConfigSpec',
    *('tf.tpu.experimental.' + name for name in (
        'AdagradParameters', 'AdamParameters', 'StochasticGradientDescentParameters')),
    # what TF 2.x's Keras dropped or renamed
    *('tf.keras.experimental.' + name for name in (
        'LinearCosineDecay', 'NoisyLinearCosineDecay', 'PeepholeLSTMCell', 'export_saved_model',
        'load_from_saved_model', 'terminate_keras_multiprocessing_pools')),
    'tf.keras.mixed_precision.experimental',
    *('tf.keras.mixed_precision.experimental.' + name for name in (
        'LossScaleOptimizer', 'Policy', 'global_policy', 'set_policy')),
    'tf.keras.utils.convert_all_kernels_in_model',
    # TF Lite's OpHint cells and op listing
    'tf.lite.experimental.nn', 'tf.lite.experimental.get_potentially_supported_ops',
    *('tf.lite.experimental.nn.' + name for name in (
        'TFLiteLSTMCell', 'TfLiteRNNCell', 'dynamic_rnn')),
}


def api_names():
    with open(NAMES) as names:
        for line in names:
            module, *members = line.split()
            for member in members:
                yield module.split('.')[1:], member


def lookup(path, member):
    value = tf
    for part in path + [member]:
        value = getattr(value, part)
    return value


def test_every_tf1_name_is_there_or_says_why_not():
    missing = {}
    count = 0
    for path, member in api_names():
        count += 1
        dotted = '.'.join(['tf'] + path + [member])
        try:
            lookup(path, member)
        except UnsupportedApiError as error:
            assert '\n' not in str(error) and '(TF 1.x) is not provided by tf1' in str(error), (
                dotted, str(error))
            missing[dotted] = 'UnsupportedApiError'
        except Exception as error:  # noqa: BLE001 (listed as what it is)
            missing[dotted] = type(error).__name__ + ': ' + str(error)
    assert count > 2500
    assert missing == {name: 'UnsupportedApiError' for name in NOT_PROVIDED}, sorted(
        set(missing.items()) ^ {(name, 'UnsupportedApiError') for name in NOT_PROVIDED})


def test_pywrap_tensorflow_reads_a_checkpoint(tmp_path):
    with v1.Graph().as_default():
        variable = v1.Variable([1.0, 2.0], name='v')
        with v1.Session() as session:
            session.run(variable.initializer)
            path = v1.train.Saver().save(session, str(tmp_path / 'model'))
    reader = tf.pywrap_tensorflow.NewCheckpointReader(path)
    assert reader.get_variable_to_shape_map() == {'v': [2]}
    np.testing.assert_array_equal(reader.get_tensor('v'), [1.0, 2.0])


def test_experimental_list_devices_names_them_in_full():
    devices = tf.config.experimental_list_devices()
    assert '/job:localhost/replica:0/task:0/device:CPU:0' in devices


def test_the_version_is_tf1s_last():
    # TF 1.x code picks the API it was written for by the version (TF-Privacy 0.2:
    # `LooseVersion(tf.__version__) < LooseVersion('2.0.0')`): TF 1.x's, which tf1 is.
    assert tf.__version__ == tf.VERSION == tf.version.VERSION == '1.15.5'
    assert tf.compat.v1.__version__ == '1.15.5'
    # ... and compares with another version as a version, as TF 1.4-1.9's scripts relied on
    # (`assert tf.__version__ >= '1.4.0'`), where '1.15.5' as text is below '1.4.0'.
    version = tf.__version__
    assert version >= '1.4.0' and version < '2.0.0' and '1.14' <= version
    assert not version < '1.4' and not version > '1.15.5' and version.startswith('1.')
    assert {version: 1}['1.15.5'] == 1
