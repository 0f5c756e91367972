"""python -m tf1.checkpoint_convert: TF 0.x and TF 1.0/1.1 RNN variable names to today's.

The old names are written out as those versions' rnn_cell.py made them (class-named
scopes and _linear's Linear/Matrix in TF 0.x; weights/biases in TF 1.0 and 1.1); a model
built with tf1's cells restores the converted checkpoint and computes what it computed
before its variables were saved under the old names."""
import numpy as np
import pytest
import tensorflow.compat.v1 as tf

from tf1 import checkpoint_convert, rnn_cell

tf.disable_v2_behavior()


@pytest.mark.parametrize('old, new', [
    ('rnnlm/MultiRNNCell/Cell1/BasicLSTMCell/Linear/Matrix/Adam_1',
     'rnnlm/multi_rnn_cell/cell_1/basic_lstm_cell/kernel/Adam_1'),
    ('RNN/GRUCell/Gates/Linear/Bias', 'rnn/gru_cell/gates/bias'),
    ('RNN/GRUCell/Candidate/Linear/Matrix', 'rnn/gru_cell/candidate/kernel'),
    ('BiRNN/FW/BasicRNNCell/Linear/Matrix', 'bidirectional_rnn/fw/basic_rnn_cell/kernel'),
    ('BiRNN_BW/LSTMCell/B', 'bidirectional_rnn/bw/lstm_cell/bias'),
    ('net/LSTMCell/W_0', 'net/lstm_cell/kernel'),
    ('net/LSTMCell/W_F_diag', 'net/lstm_cell/w_f_diag'),
    ('net/LSTMCell/W_P_0', 'net/lstm_cell/projection/kernel'),
    ('rnn/multi_rnn_cell/cell_0/gru_cell/gates/weights',  # TF 1.0, 1.1
     'rnn/multi_rnn_cell/cell_0/gru_cell/gates/kernel'),
    ('decoder/lstm_cell/projection/biases', 'decoder/lstm_cell/projection/bias'),
    ('rnn/output_projection_wrapper/weights', 'rnn/output_projection_wrapper/kernel'),
    ('lm/layer_norm_basic_lstm_cell/biases', 'lm/layer_norm_basic_lstm_cell/bias'),
    # legacy_seq2seq's attention_decoder: TF 0.x's Linear/Matrix, TF 1.0's weights.
    ('s2s/attention_decoder/Linear/Matrix', 's2s/attention_decoder/kernel'),
    ('s2s/attention_decoder/Attention_1/Linear/Bias', 's2s/attention_decoder/Attention_1/bias'),
    ('s2s/attention_decoder/AttnOutputProjection/weights/Adam',
     's2s/attention_decoder/AttnOutputProjection/kernel/Adam'),
    ('s2s/attention_decoder/Attention_0/biases', 's2s/attention_decoder/Attention_0/bias'),
    ('s2s/attention_decoder/AttnW_0', 's2s/attention_decoder/AttnW_0'),
    # Not a cell's, or not TF 0.x's (a TF 1.0 script's own scope named RNN): left alone.
    ('RNN/softmax/weights', 'RNN/softmax/weights'),
    ('RNN/basic_lstm_cell/weights', 'RNN/basic_lstm_cell/kernel'),
    ('fc/weights', 'fc/weights'),
    ('MyBasicLSTMCell/Linear/Matrix', 'MyBasicLSTMCell/Linear/Matrix'),
])
def test_each_generations_names(old, new):
    assert checkpoint_convert.new_name(old)[0] == new


def test_a_sharded_tf0_lstm_weight_is_joined_into_todays_kernel(tmp_path):
    """TF 0.x's LSTMCell(num_unit_shards=2) saved W_0 and W_1 (rows of its weight); TF
    1.x's saves its partitioned kernel as one array: the shards are joined, slots too."""
    assert checkpoint_convert.renamed(['RNN/LSTMCell/W_1/Adam', 'RNN/LSTMCell/W_0/Adam',
                                       'RNN/LSTMCell/B']) == {
        'rnn/lstm_cell/kernel/Adam': ['RNN/LSTMCell/W_0/Adam', 'RNN/LSTMCell/W_1/Adam'],
        'rnn/lstm_cell/bias': ['RNN/LSTMCell/B']}
    def build():
        inputs = tf.constant(np.random.RandomState(1).randn(2, 3, 4).astype(np.float32))
        outputs, _ = tf.nn.dynamic_rnn(rnn_cell.LSTMCell(5, num_unit_shards=2), inputs,
                                       dtype=tf.float32)
        return outputs

    with tf.Graph().as_default():
        outputs = build()
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            expected = sess.run(outputs)
            kernel = sess.run(tf.concat(tf.get_collection(tf.GraphKeys.GLOBAL_VARIABLES,
                                                          'rnn/lstm_cell/kernel'), 0))
            bias = sess.run(tf.global_variables('rnn/lstm_cell/bias')[0])
            old = {'RNN/LSTMCell/W_0': kernel[:5], 'RNN/LSTMCell/W_1': kernel[5:],
                   'RNN/LSTMCell/B': bias}
            sess.run(tf.raw_ops.SaveV2(prefix=str(tmp_path / 'old' / 'model.ckpt'),
                                       tensor_names=list(old), shape_and_slices=[''] * 3,
                                       tensors=list(old.values())))
    checkpoint_convert.convert(str(tmp_path / 'old' / 'model.ckpt'),
                               str(tmp_path / 'new' / 'model.ckpt'))
    with tf.Graph().as_default():
        outputs = build()
        with tf.Session() as sess:
            tf.train.Saver().restore(sess, str(tmp_path / 'new' / 'model.ckpt'))
            np.testing.assert_array_equal(sess.run(outputs), expected)


# Each variable of the model below and the name TF 0.x gave it.
TF0_NAMES = {
    'rnnlm/multi_rnn_cell/cell_0/basic_lstm_cell/kernel':
        'rnnlm/MultiRNNCell/Cell0/BasicLSTMCell/Linear/Matrix',
    'rnnlm/multi_rnn_cell/cell_0/basic_lstm_cell/bias':
        'rnnlm/MultiRNNCell/Cell0/BasicLSTMCell/Linear/Bias',
    'rnnlm/multi_rnn_cell/cell_1/gru_cell/gates/kernel':
        'rnnlm/MultiRNNCell/Cell1/GRUCell/Gates/Linear/Matrix',
    'rnnlm/multi_rnn_cell/cell_1/gru_cell/gates/bias':
        'rnnlm/MultiRNNCell/Cell1/GRUCell/Gates/Linear/Bias',
    'rnnlm/multi_rnn_cell/cell_1/gru_cell/candidate/kernel':
        'rnnlm/MultiRNNCell/Cell1/GRUCell/Candidate/Linear/Matrix',
    'rnnlm/multi_rnn_cell/cell_1/gru_cell/candidate/bias':
        'rnnlm/MultiRNNCell/Cell1/GRUCell/Candidate/Linear/Bias',
    'rnn/lstm_cell/kernel': 'RNN/LSTMCell/W_0',
    'rnn/lstm_cell/bias': 'RNN/LSTMCell/B',
    'rnn/lstm_cell/w_f_diag': 'RNN/LSTMCell/W_F_diag',
    'rnn/lstm_cell/w_i_diag': 'RNN/LSTMCell/W_I_diag',
    'rnn/lstm_cell/w_o_diag': 'RNN/LSTMCell/W_O_diag',
    'rnn/lstm_cell/projection/kernel': 'RNN/LSTMCell/W_P_0',
    'softmax_w': 'softmax_w',
}


def build():
    inputs = tf.constant(np.random.RandomState(0).randn(2, 3, 4).astype(np.float32))
    stacked = rnn_cell.MultiRNNCell([rnn_cell.BasicLSTMCell(5), rnn_cell.GRUCell(4)])
    first, _ = tf.nn.dynamic_rnn(stacked, inputs, dtype=tf.float32, scope='rnnlm')
    second, _ = tf.nn.dynamic_rnn(rnn_cell.LSTMCell(6, use_peepholes=True, num_proj=3),
                                  first, dtype=tf.float32)
    return tf.matmul(second[:, -1], tf.get_variable('softmax_w', [3, 2]))


def test_a_tf0_checkpoint_restores_into_todays_cells_after_converting(tmp_path, capsys):
    with tf.Graph().as_default():
        logits = build()
        variables = {v.op.name: v for v in tf.global_variables()}
        assert sorted(variables) == sorted(TF0_NAMES)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            expected = sess.run(logits)
            old_saver = tf.train.Saver({TF0_NAMES[name]: v for name, v in variables.items()})
            old_saver.save(sess, str(tmp_path / 'old' / 'model.ckpt'))
    assert checkpoint_convert.main([str(tmp_path / 'old'), str(tmp_path / 'new' /
                                                                'model.ckpt')]) == 0
    assert 'Renamed 12 name(s)' in capsys.readouterr().out
    with tf.Graph().as_default():
        logits = build()
        with tf.Session() as sess:
            tf.train.Saver().restore(sess, tf.train.latest_checkpoint(str(tmp_path / 'new')))
            np.testing.assert_array_equal(sess.run(logits), expected)


def test_a_tf1_0_translation_model_restores_after_converting(tmp_path):
    """The translation tutorial's model (embedding_attention_seq2seq, two heads) saved
    under TF 1.0/1.1's names (_linear's weights and biases) computes the same after
    conversion, as TF 1.2's own tool converted it."""
    from tf1 import contrib_legacy_seq2seq as seq2seq

    def build():
        ids = np.random.RandomState(2).randint(0, 6, (3, 2)).astype(np.int32)
        outputs, _ = seq2seq.embedding_attention_seq2seq(
            [tf.constant(i) for i in ids], [tf.constant(i) for i in ids[::-1]],
            rnn_cell.GRUCell(4), 6, 6, 3, num_heads=2)
        return outputs

    def tf1_0_name(name):
        parts = name.split('/')
        parts[-1] = {'kernel': 'weights', 'bias': 'biases'}.get(parts[-1], parts[-1])
        return '/'.join(parts)

    with tf.Graph().as_default():
        outputs = build()
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            expected = sess.run(outputs)
            tf.train.Saver({tf1_0_name(v.op.name): v for v in tf.global_variables()}).save(
                sess, str(tmp_path / 'old' / 'model.ckpt'))
    assert checkpoint_convert.main([str(tmp_path / 'old'), str(tmp_path / 'new' /
                                                                'model.ckpt')]) == 0
    with tf.Graph().as_default():
        outputs = build()
        with tf.Session() as sess:
            tf.train.Saver().restore(sess, tf.train.latest_checkpoint(str(tmp_path / 'new')))
            np.testing.assert_array_equal(sess.run(outputs), expected)


def test_bad_paths_are_one_line_errors(tmp_path, capsys):
    assert checkpoint_convert.main([str(tmp_path / 'none'), str(tmp_path / 'out')]) == 1
    assert capsys.readouterr().err.startswith('error: no checkpoint at ')


def test_inspect_checkpoint_prints_as_tf1_did(tmp_path, capsys):
    """tensorflow.python.tools.inspect_checkpoint, as the TF 1.x guide shows its output."""
    from tf1.api import MOVED_MODULES
    inspect_checkpoint = MOVED_MODULES['tensorflow.python.tools.inspect_checkpoint']
    with tf.Graph().as_default():
        tf.get_variable('v1', [3], initializer=tf.ones_initializer())
        with tf.Session() as session:
            session.run(tf.global_variables_initializer())
            path = tf.train.Saver().save(session, str(tmp_path / 'model.ckpt'))
    inspect_checkpoint.print_tensors_in_checkpoint_file(path, 'v1', all_tensors=False)
    inspect_checkpoint.print_tensors_in_checkpoint_file(str(tmp_path / 'none'), '', True)
    printed = capsys.readouterr().out.splitlines()
    assert printed[:3] == ['tensor_name:  v1', '[1. 1. 1.]', '# Total number of params: 3']
    assert 'Failed to find any matching files' in printed[3]  # printed, not raised
    # A V2 checkpoint's data file given for its prefix: TF 1.x's hint names the prefix.
    inspect_checkpoint.print_tensors_in_checkpoint_file(
        path + '.data-00000-of-00001', '', False)
    printed = capsys.readouterr().out.splitlines()
    assert 'DATA_LOSS' in printed[0]
    assert printed[-1] == 'inspect checkpoint --file_name = ' + path


def test_inspect_checkpoints_printoptions_are_tf1s_and_a_bad_one_is_an_argparse_error(capsys):
    """`--printoptions k=v` sets NumPy's option as TF 1.15's flag did; a bad value is the
    parser's error with its reason (TF 2.x's own parser ends in an AttributeError traceback)."""
    from tf1 import inspect_checkpoint
    parser = inspect_checkpoint._parser()
    before = np.get_printoptions()
    try:
        np.set_printoptions(legacy='1.25')  # as `python -m tf1` sets it
        parser.parse_args(['--printoptions', 'threshold=5', 'suppress=true', 'legacy=false'])
        assert np.get_printoptions()['threshold'] == 5
        assert np.get_printoptions()['suppress'] is True
        assert np.get_printoptions()['legacy'] is False
    finally:
        np.set_printoptions(**before)
    for option, reason in (('threshold=abc', "threshold=abc: invalid literal for int()"),
                           ('suppress=maybe', 'suppress=maybe: Non-boolean argument'),
                           ('nokey=1', "'nokey' is not a valid printoption."),
                           ('abc', "'abc' is not in the form k=v."),
                           ('floatmode=bogus', 'floatmode=bogus: floatmode option must be'),
                           ('formatter=x', "Setting 'formatter' from the command line is not "
                                           "supported.")):
        with pytest.raises(SystemExit) as stop:
            parser.parse_args(['--printoptions', option])
        assert stop.value.code == 2
        error = capsys.readouterr().err.splitlines()[-1]
        assert error.startswith('%s: error: argument --printoptions: %s' % (
            parser.prog, reason)), error
