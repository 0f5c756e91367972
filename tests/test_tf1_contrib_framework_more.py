"""tf1's contrib.framework beyond arg_scope and variables: the tensor checks of its
tensor_util (reduce_sum_n, remove_squeezable_dimensions, with_shape, with_same_shape,
assert_scalar_int) against their definitions, and its checkpoint initializers that remap
a vocabulary (rows found by name in the old vocabulary, new ones initialised)."""
import numpy as np
import pytest
import tensorflow.compat.v1 as tf

from tf1.api import tensorflow as tf1_api

tf.disable_v2_behavior()

framework = tf1_api.contrib.framework
pytestmark = pytest.mark.usefixtures('fresh_graph')  # conftest.py


def test_reduce_sum_n_and_remove_squeezable_dimensions(evaluate):
    total = framework.reduce_sum_n([tf.ones([2, 3]), tf.fill([4], 2.0)])
    predictions, labels = framework.remove_squeezable_dimensions(tf.ones([5, 1]), tf.ones([5]))
    unknown = tf.placeholder(tf.float32, [None, None])
    dynamic_p, dynamic_l = framework.remove_squeezable_dimensions(tf.ones([5]), unknown)
    got, = evaluate(total)
    assert got == 14 and predictions.shape.as_list() == [5] and labels.shape.as_list() == [5]
    with tf.Session() as session:
        squeezed = session.run(dynamic_l, {unknown: np.ones((5, 1))})
    assert squeezed.shape == (5,)
    with pytest.raises(ValueError, match='No tensors provided.'):
        framework.reduce_sum_n([])


def test_with_shape_checks_now_or_when_run():
    known = framework.with_shape([2, 3], tf.ones([2, 3]))
    with pytest.raises(ValueError, match=r'Invalid shape for tensor .*, expected \[3 2\]'):
        framework.with_shape([3, 2], tf.ones([2, 3]))
    fed = tf.placeholder(tf.float32, [None, 3])
    checked = framework.with_shape([2, 3], fed)
    assert checked.shape.as_list() == [2, 3]
    same = framework.with_same_shape(tf.ones([4]), tf.placeholder(tf.float32, [None]))
    with tf.Session() as session:
        assert session.run(known).shape == (2, 3)
        assert session.run(checked, {fed: np.ones((2, 3))}).shape == (2, 3)
        with pytest.raises(tf.errors.InvalidArgumentError, match='Wrong shape for'):
            session.run(checked, {fed: np.ones((5, 3))})
        with pytest.raises(tf.errors.InvalidArgumentError, match='Wrong shape for'):
            session.run(same, {same.op.inputs[0]: np.ones(3)})
    with pytest.raises(ValueError, match='Invalid dtype'):
        framework.with_shape(tf.constant([2], tf.int64), fed)
    with pytest.raises(ValueError, match='Expected integer type for'):
        framework.assert_scalar_int(tf.constant(1.0))
    assert framework.assert_scalar_int(tf.constant(3)).dtype == tf.int32


def test_checkpoint_initializers_remap_a_vocabulary(tmp_path):
    old_vocab, new_vocab = tmp_path / 'old.txt', tmp_path / 'new.txt'
    old_vocab.write_text('mercury\nvenus\nmars\n')
    new_vocab.write_text('venus\njupiter\nmercury\n')
    matrix = np.arange(6, dtype=np.float32).reshape(3, 2)
    with tf.Graph().as_default():
        tf.get_variable('embeddings', initializer=matrix)
        tf.get_variable('class_bias', initializer=np.array([[10.], [20.], [30.]], np.float32))
        with tf.Session() as session:
            session.run(tf.global_variables_initializer())
            path = tf.train.Saver().save(session, str(tmp_path / 'model.ckpt'))
    initializer = framework.load_embedding_initializer(
        path, 'embeddings', new_vocab_size=3, embedding_dim=2,
        old_vocab_file=str(old_vocab), new_vocab_file=str(new_vocab),
        initializer=lambda shape, **_: tf.fill(shape, -1.0))  # takes a shape tensor
    remapped = tf.get_variable('remapped', [3, 2], initializer=initializer)
    bias = tf.get_variable('bias', [3, 1], initializer=(
        framework.load_linear_multiclass_bias_initializer(
            path, 'class_bias', 3, str(old_vocab), str(new_vocab))))
    with tf.Session() as session:
        session.run(tf.global_variables_initializer())
        got, got_bias = session.run([remapped, bias])
    # venus was row 1, jupiter is new, mercury was row 0.
    np.testing.assert_array_equal(got, [matrix[1], [-1, -1], matrix[0]])
    np.testing.assert_array_equal(got_bias, [[20], [0], [10]])  # a new class's bias: 0


def test_audio_ops_decode_a_tone_and_find_its_frequency():
    # TF 1.x's speech_commands example: `from tensorflow.contrib.framework.python.ops import
    # audio_ops as contrib_audio`.
    audio = tf1_api.contrib.framework.python.ops.audio_ops
    rate, hertz = 16000, 1000
    tone = 0.5 * np.sin(2 * np.pi * hertz * np.arange(rate) / rate).astype(np.float32)
    wav = audio.encode_wav(tone[:, None], rate)
    decoded = audio.decode_wav(wav, desired_channels=1)
    spectrogram = audio.audio_spectrogram(decoded.audio, window_size=480, stride=160,
                                          magnitude_squared=True)
    mfcc = audio.mfcc(spectrogram, decoded.sample_rate, dct_coefficient_count=13)
    with tf.Session() as session:
        samples, got_rate, power, coefficients = session.run(
            [decoded.audio, decoded.sample_rate, spectrogram, mfcc])
    assert got_rate == rate
    np.testing.assert_allclose(samples[:, 0], tone, atol=1e-4)  # 16-bit WAV
    # 480-sample windows, FFT length 512: bin k is k * 16000 / 512 Hz.
    assert abs(power[0].mean(axis=0).argmax() * rate / 512 - hertz) < rate / 512
    assert coefficients.shape == (1, power.shape[1], 13)


def test_what_it_re_exported_of_tensorflow_and_get_placeholders():
    # TF 1.15's contrib.framework took these from TensorFlow, which still has them
    spec = framework.BoundedTensorSpec([2], tf.float32, minimum=0, maximum=1)
    assert isinstance(spec, framework.TensorSpec) and spec.maximum == 1
    kernel = tf.get_variable('kernel', [3, 3, 4, 4],
                             initializer=framework.convolutional_delta_orthogonal())
    with tf.Session() as session:
        session.run(kernel.initializer)
        centre = session.run(kernel)[1, 1]
    np.testing.assert_allclose(centre @ centre.T, np.eye(4), atol=1e-5)  # orthogonal
    assert framework.RecordInput.__name__ == 'RecordInput'
    x = tf.placeholder(tf.float32, name='x')
    tf.placeholder_with_default(1.0, [], name='not_a_placeholder_op')
    assert framework.get_placeholders(tf.get_default_graph()) == [x]
    with pytest.raises(TypeError, match='Input graph needs to be a Graph'):
        framework.get_placeholders('graph')
    # the modules TF 1.15's tests import them from
    ops = framework.python.ops
    assert ops.ops.get_graph_from_inputs is framework.get_graph_from_inputs
    assert ops.sort_ops.sort is framework.sort
    assert ops.checkpoint_ops.load_embedding_initializer is framework.load_embedding_initializer
