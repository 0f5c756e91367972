"""tf1's contrib.rnn cells beyond tf.nn.rnn_cell's (TF 1.15's), each held to a reference:
LSTMBlockFusedCell (the BlockLSTM kernel), TimeReversedFusedRNN and FusedRNNCellAdaptor
against LSTMCell under dynamic_rnn on the same weights; the first GRUBlockCell against
GRUCell; a 1x1 ConvLSTM against an LSTM at every pixel; AttentionCellWrapper and
HighwayWrapper against their equations in NumPy. Outputs, final states, sequence
lengths, peepholes and clipping, gradients, TF 1.x's variable names."""
import numpy as np
import pytest
import tensorflow.compat.v1 as tf

from tf1 import rnn_cell

tf.disable_v2_behavior()
pytestmark = pytest.mark.usefixtures('fresh_graph')  # conftest.py

RNG = np.random.RandomState(0)
INPUTS = RNG.randn(7, 3, 5).astype(np.float32)  # time-major: 7 steps, 3 sequences, depth 5
LENGTHS = np.array([7, 4, 1], np.int32)


def same_weights(fused, cell):
    """Assign the fused cell's variables to the reference cell's, by role."""
    return tf.group(*[reference.assign(ours) for ours, reference in
                      zip(fused.variables, cell.variables)])


@pytest.mark.parametrize('peepholes, clip', [(False, None), (True, 0.5)])
def test_fused_lstm_is_lstm_cell_over_the_sequence(peepholes, clip):
    fused = rnn_cell.LSTMBlockFusedCell(6, forget_bias=0.7, cell_clip=clip,
                                        use_peephole=peepholes)
    outputs, state = fused(tf.constant(INPUTS), dtype=tf.float32, sequence_length=LENGTHS)
    assert [v.op.name for v in fused.variables] == ['lstm_fused_cell/kernel',
                                                    'lstm_fused_cell/bias'] + (
        ['lstm_fused_cell/w_i_diag', 'lstm_fused_cell/w_f_diag', 'lstm_fused_cell/w_o_diag']
        if peepholes else [])
    cell = rnn_cell.LSTMCell(6, forget_bias=0.7, cell_clip=clip, use_peepholes=peepholes)
    expected, expected_state = tf.nn.dynamic_rnn(cell, tf.constant(INPUTS), LENGTHS,
                                                 dtype=tf.float32, time_major=True)
    with tf.Session() as session:
        session.run(tf.global_variables_initializer())
        # LSTMCell's peepholes come as w_f, w_i, w_o: match them by name.
        by_name = {v.op.name.split('/')[-1]: v for v in cell.variables}
        session.run([by_name[v.op.name.split('/')[-1]].assign(v) for v in fused.variables])
        got = session.run([outputs, state, expected, expected_state])
    np.testing.assert_allclose(got[0], got[2], atol=1e-5)
    for ours, reference in zip(got[1], got[3]):
        np.testing.assert_allclose(ours, reference, atol=1e-5)
    assert not got[0][4:, 1].any()  # past its length a sequence's outputs are zeros


def test_time_reversed_fused_and_the_adaptor():
    backward = rnn_cell.TimeReversedFusedRNN(rnn_cell.LSTMBlockFusedCell(4))
    outputs, _ = backward(list(INPUTS), dtype=tf.float32, scope='bw')
    assert isinstance(outputs, list) and len(outputs) == 7
    cell = rnn_cell.LSTMCell(4, forget_bias=1.0)
    adaptor = rnn_cell.FusedRNNCellAdaptor(cell, use_dynamic_rnn=True)
    reversed_inputs = tf.constant(INPUTS[::-1].copy())
    expected, _ = adaptor(reversed_inputs, dtype=tf.float32, scope='ref')
    static, _ = rnn_cell.FusedRNNCellAdaptor(cell)(reversed_inputs, dtype=tf.float32,
                                                   scope='ref')
    with tf.Session() as session:
        session.run(tf.global_variables_initializer())
        fused_vars = [v for v in tf.global_variables() if v.op.name.startswith('bw/')]
        session.run([reference.assign(ours) for ours, reference in
                     zip(fused_vars, cell.variables)])
        ours, theirs, theirs_static = session.run([outputs, expected, static])
    # The backward run's output at step t is the forward run's over the reversed inputs.
    np.testing.assert_allclose(np.stack(ours)[::-1], theirs, atol=1e-5)
    np.testing.assert_allclose(theirs_static, theirs, atol=1e-6)


def test_fused_lstm_gradients_train_it():
    tf.set_random_seed(0)
    fused = rnn_cell.LSTMBlockFusedCell(8)
    outputs, state = fused(tf.constant(INPUTS), dtype=tf.float32)
    loss = tf.reduce_mean(tf.square(state.h - 0.5))
    train = tf.train.AdamOptimizer(0.05).minimize(loss)
    with tf.Session() as session:
        session.run(tf.global_variables_initializer())
        first = session.run(loss)
        for _ in range(100):
            session.run(train)
        assert session.run(loss) < first / 10
    with pytest.raises(ValueError, match='Either initial_state or dtype needs to be specified'):
        rnn_cell.LSTMBlockFusedCell(8)(tf.constant(INPUTS), scope='other')


def test_gru_block_cell_has_its_own_names_and_grus_function():
    block = rnn_cell.GRUBlockCell(5)
    outputs, _ = tf.nn.dynamic_rnn(block, tf.constant(INPUTS), dtype=tf.float32,
                                   time_major=True, scope='block')
    assert [v.op.name for v in block.variables] == [
        'block/gru_cell/w_ru', 'block/gru_cell/b_ru', 'block/gru_cell/w_c', 'block/gru_cell/b_c']
    gru = rnn_cell.GRUCell(5)
    expected, _ = tf.nn.dynamic_rnn(gru, tf.constant(INPUTS), dtype=tf.float32,
                                    time_major=True, scope='gru')
    with tf.Session() as session:
        session.run(tf.global_variables_initializer())
        session.run(same_weights(block, gru))
        ours, theirs = session.run([outputs, expected])
    np.testing.assert_allclose(ours, theirs, atol=1e-6)
    with pytest.raises(ValueError, match='exactly one of num_units and cell_size'):
        rnn_cell.GRUBlockCell()


def test_a_1x1_conv_lstm_is_an_lstm_at_every_pixel():
    frames = RNG.randn(2, 4, 3, 3, 5).astype(np.float32)  # batch, time, height, width, depth
    conv = rnn_cell.Conv2DLSTMCell(input_shape=[3, 3, 5], output_channels=6, kernel_shape=[1, 1])
    outputs, state = tf.nn.dynamic_rnn(conv, tf.constant(frames), dtype=tf.float32)
    assert [v.op.name for v in conv.variables] == ['rnn/conv_2d_lstm_cell/kernel',
                                                   'rnn/conv_2d_lstm_cell/biases']
    assert conv.variables[0].shape.as_list() == [1, 1, 11, 24]
    pixels = frames.transpose(0, 2, 3, 1, 4).reshape(18, 4, 5)
    lstm = rnn_cell.LSTMCell(6)
    expected, _ = tf.nn.dynamic_rnn(lstm, tf.constant(pixels), dtype=tf.float32, scope='ref')
    with tf.Session() as session:
        session.run(tf.global_variables_initializer())
        kernel, biases = conv.variables
        session.run([lstm.variables[0].assign(kernel[0, 0]), lstm.variables[1].assign(biases)])
        ours, theirs, (c, h) = session.run([outputs, expected, state])
    np.testing.assert_allclose(ours.reshape(2, 4, 9, 6).transpose(0, 2, 1, 3).reshape(18, 4, 6),
                               theirs, atol=1e-5)
    assert c.shape == h.shape == (2, 3, 3, 6)


def test_conv_lstm_skip_connection_and_errors():
    cell = rnn_cell.Conv1DLSTMCell(input_shape=[8, 2], output_channels=3, kernel_shape=[3],
                                   skip_connection=True)
    assert cell.output_size.as_list() == [8, 5]
    # One step: its new hidden state carries the input's channels too (as in TF 1.x, so
    # the cell cannot run a second step with them, and dynamic_rnn refuses it).
    output, state = cell(tf.zeros([4, 8, 2]), cell.zero_state(4, tf.float32))
    assert output.shape.as_list() == [4, 8, 5] and state.c.shape.as_list() == [4, 8, 3]
    with pytest.raises(ValueError, match=r'Invalid input_shape \[8, 2\] for conv_ndims=2'):
        rnn_cell.Conv2DLSTMCell(input_shape=[8, 2], output_channels=3, kernel_shape=[3, 3])


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def test_attention_cell_wrapper_is_its_equations_in_numpy():
    x = RNG.randn(2, 3, 4).astype(np.float32)  # batch, time, depth
    cell = rnn_cell.AttentionCellWrapper(rnn_cell.BasicRNNCell(5), attn_length=3)
    outputs, _ = tf.nn.dynamic_rnn(cell, tf.constant(x), dtype=tf.float32)
    names = [v.op.name[len('rnn/attention_cell_wrapper/'):] for v in cell.variables]
    assert names == ['kernel', 'bias', 'basic_rnn_cell/kernel', 'basic_rnn_cell/bias',
                     'attention/attn_w', 'attention/attn_v', 'attention/kernel',
                     'attention/bias', 'attn_output_projection/kernel',
                     'attn_output_projection/bias']
    with tf.Session() as session:
        session.run(tf.global_variables_initializer())
        got, values = session.run([outputs, cell.variables])
    k1, b1, kc, bc, attn_w, attn_v, k3, b3, k2, b2 = values
    h, attns, window = np.zeros((2, 5)), np.zeros((2, 5)), np.zeros((2, 3, 5))
    for t in range(3):
        inputs = np.concatenate([x[:, t], attns], 1) @ k1 + b1
        h = np.tanh(np.concatenate([inputs, h], 1) @ kc + bc)
        features = window @ attn_w[0, 0]                          # [batch, length, vec]
        scores = (attn_v * np.tanh(features + (h @ k3 + b3)[:, None])).sum(-1)
        weights = np.exp(scores) / np.exp(scores).sum(1, keepdims=True)
        attns = (weights[:, :, None] * window).sum(1)
        output = np.concatenate([h, attns], 1) @ k2 + b2
        window = np.concatenate([window[:, 1:], output[:, None]], 1)
        np.testing.assert_allclose(got[:, t], output, atol=1e-5)


def test_highway_wrapper_mixes_input_and_output():
    x = RNG.randn(2, 3, 4).astype(np.float32)
    cell = rnn_cell.HighwayWrapper(rnn_cell.BasicRNNCell(4), carry_bias_init=0.5)
    outputs, _ = tf.nn.dynamic_rnn(cell, tf.constant(x), dtype=tf.float32)
    with tf.Session() as session:
        session.run(tf.global_variables_initializer())
        named = {v.op.name: v for v in tf.global_variables()}
        assert sorted(named) == ['rnn/basic_rnn_cell/bias', 'rnn/basic_rnn_cell/kernel',
                                 'rnn/carry_b', 'rnn/carry_w']
        got, kernel, bias, carry_w, carry_b = session.run(
            [outputs] + [named['rnn/' + n] for n in ('basic_rnn_cell/kernel',
                                                    'basic_rnn_cell/bias', 'carry_w',
                                                    'carry_b')])
    assert carry_b == pytest.approx(np.full(4, 0.5))
    h = np.zeros((2, 4))
    for t in range(3):
        h = np.tanh(np.concatenate([x[:, t], h], 1) @ kernel + bias)
        carry = sigmoid(x[:, t] @ carry_w + carry_b)
        np.testing.assert_allclose(got[:, t], x[:, t] * carry + h * (1 - carry), atol=1e-5)


def test_cudnn_compatible_lstm_cell_is_lstm_cell_without_forget_bias():
    cudnn = rnn_cell.CudnnCompatibleLSTMCell(6)
    outputs, state = tf.nn.dynamic_rnn(cudnn, tf.constant(INPUTS), LENGTHS, dtype=tf.float32,
                                       time_major=True)
    assert [v.op.name for v in cudnn.variables] == [
        'rnn/cudnn_compatible_lstm_cell/kernel', 'rnn/cudnn_compatible_lstm_cell/bias']
    lstm = rnn_cell.LSTMCell(6, forget_bias=0.0)
    expected = tf.nn.dynamic_rnn(lstm, tf.constant(INPUTS), LENGTHS, dtype=tf.float32,
                                 time_major=True, scope='reference')
    with tf.Session() as session:
        session.run(tf.global_variables_initializer())
        session.run(same_weights(cudnn, lstm))
        (ours, ours_state), (theirs, theirs_state) = session.run([(outputs, state), expected])
    np.testing.assert_allclose(ours, theirs, atol=1e-6)
    np.testing.assert_allclose(ours_state.c, theirs_state.c, atol=1e-6)


def test_cudnn_compatible_gru_cell_is_cudnns_equations_in_numpy(evaluate):
    x = RNG.randn(2, 3, 4).astype(np.float32)  # batch, time, depth
    cell = rnn_cell.CudnnCompatibleGRUCell(5)
    outputs, state = tf.nn.dynamic_rnn(cell, tf.constant(x), dtype=tf.float32)
    names = [v.op.name[len('rnn/cudnn_compatible_gru_cell/'):] for v in cell.variables]
    assert names == ['gates/kernel', 'gates/bias', 'candidate/input_projection/kernel',
                     'candidate/hidden_projection/kernel', 'candidate/input_projection/bias',
                     'candidate/hidden_projection/bias']
    got, final, values = evaluate(outputs, state, cell.variables)
    gate_kernel, gate_bias, w_h, r_h, b_wh, b_rh = values
    np.testing.assert_array_equal(gate_bias, np.ones(10))  # gates start mostly open
    h = np.zeros((2, 5))
    for t in range(3):
        r, u = np.split(sigmoid(np.concatenate([x[:, t], h], 1) @ gate_kernel + gate_bias), 2, 1)
        # cuDNN's candidate: the reset gate scales the projected state, bias and all.
        candidate = np.tanh(x[:, t] @ w_h + b_wh + r * (h @ r_h + b_rh))
        h = (1 - u) * candidate + u * h
        np.testing.assert_allclose(got[:, t], h, atol=1e-5)
    np.testing.assert_allclose(final, h, atol=1e-5)


def test_contrib_cudnn_rnn_has_the_cells_and_explains_the_gpu_layers():
    from tf1.api import tensorflow as tf1_api
    from tf1.unsupported import Unsupported
    cudnn_rnn = tf1_api.contrib.cudnn_rnn
    assert cudnn_rnn.CudnnCompatibleLSTMCell is rnn_cell.CudnnCompatibleLSTMCell
    assert cudnn_rnn.CudnnCompatibleGRUCell is rnn_cell.CudnnCompatibleGRUCell
    with pytest.raises(Unsupported, match='CudnnLSTM .*only GPU kernels.*'
                                          'CudnnCompatibleLSTMCell'):
        cudnn_rnn.CudnnLSTM


def test_cudnn_rnn_ops_module_has_its_constants_at_its_tf1_path():
    """OpenSeq2Seq imported the module at its TF 1.x path for its constants; its cuDNN
    layers, GPU-only in TF 1.x too, are refused in one line."""
    from tf1.api import tensorflow as tf1_api
    from tf1.unsupported import Unsupported
    ops = tf1_api.contrib.cudnn_rnn.python.ops.cudnn_rnn_ops
    assert (ops.CUDNN_RNN_BIDIRECTION, ops.CUDNN_LSTM, ops.CUDNN_INPUT_LINEAR_MODE) == (
        'bidirectional', 'lstm', 'linear_input')
    assert ops.CudnnCompatibleLSTMCell is tf1_api.contrib.cudnn_rnn.CudnnCompatibleLSTMCell
    with pytest.raises(Unsupported, match='had only GPU kernels in TF 1.x too'):
        ops.CudnnLSTM


def test_cudnn_rnn_layers_module_imports_and_refuses_its_layers_when_used():
    """Magenta's music_vae imports it at module level and uses it only on a GPU."""
    from tf1.api import tensorflow as tf1_api
    from tf1.unsupported import Unsupported
    layers = tf1_api.contrib.cudnn_rnn.python.layers.cudnn_rnn
    assert layers.CudnnCompatibleLSTMCell is tf1_api.contrib.cudnn_rnn.CudnnCompatibleLSTMCell
    with pytest.raises(Unsupported, match='CudnnLSTM .*had only GPU kernels in TF 1.x too'):
        layers.CudnnLSTM
