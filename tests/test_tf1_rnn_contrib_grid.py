"""tf1's ports of contrib.rnn's time-frequency, grid and Neural Turing Machine cells (TF 1.15's
contrib/rnn/python/ops/rnn_cell.py), each step held to its equations in NumPy on the
variables it made (drawn at random, so that no gate hides behind a constant start); TF
1.15's variable names, state tuples and errors."""
import numpy as np
import pytest
import tensorflow.compat.v1 as tf

from tf1 import rnn_cell

tf.disable_v2_behavior()
pytestmark = pytest.mark.usefixtures('fresh_graph')  # conftest.py

RNG = np.random.RandomState(0)
X = RNG.randn(2, 4).astype(np.float32)  # batch, features: 3 windows of 2, 1 apart


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def softmax(x):
    e = np.exp(x - x.max(-1, keepdims=True))
    return e / e.sum(-1, keepdims=True)


def step(cell, state, inputs=X):
    """(output, new state, {variable name in the cell's scope: value}, in the order made)
    of one call of the cell on `inputs` from `state` (NumPy arrays in the state's
    structure), its variables drawn anew."""
    with tf.variable_scope('root'):
        output, new_state = cell(tf.constant(inputs), tf.nest.map_structure(
            lambda part: tf.constant(part) if isinstance(part, np.ndarray) else part, state))
    with tf.Session() as session:
        session.run(tf.global_variables_initializer())
        for variable in cell.variables:
            shape = variable.shape.as_list()
            session.run(variable.assign(RNG.uniform(0.3, 1.2, shape) * RNG.choice([-1, 1], shape)))
        got, new, values = session.run([output, tf.nest.map_structure(
            tf.convert_to_tensor, new_state), cell.variables])  # NTM's time is an int
    prefix = 'root/%s/' % cell.name
    return got, new, {v.op.name[len(prefix):]: value for v, value in zip(cell.variables, values)}


def random_state(cell):
    return tf.nest.map_structure(lambda size: RNG.randn(len(X), size).astype(np.float32),
                                 cell.state_size)


def grid_block(windows, states, w, block, coupled=False, shared=False, clip=None, prefix=''):
    """One grid block's step in NumPy: ([m_time, m_freq] per window, [c_time, m_time] per
    window), from `states`, each window's (c_time, m_time)."""
    def weights(kind):
        shards = sorted(k for k in w if k.startswith('%sW_%s_%d_' % (prefix, kind, block)))
        return np.concatenate([w[k] for k in shards]), w['%sB_%s_%d' % (prefix, kind, block)]

    def diagonals(lstm):
        lstm = 'freq' if shared else lstm
        names = {g: ['%sW_%s_diag_%s%s_%d' % (prefix, g, lstm, mem, block) for mem in 'ft']
                 for g in 'FIO'}
        return {g: [w[n] for n in pair] for g, pair in names.items() if pair[0] in w}

    def gate(pre, d, c_freq, c_time):
        return sigmoid(pre + d[0] * c_freq + d[1] * c_time if d else pre)

    def gates(z, kernel_bias):
        parts = np.split(z @ kernel_bias[0] + kernel_bias[1], 3 if coupled else 4, 1)
        return (parts[0], parts[1], None, parts[2]) if coupled else parts

    lstms = {'freq': weights('f'), 'time': weights('f') if shared else weights('t')}
    c_freq = m_freq = np.zeros((len(windows[0]), w['%sB_f_%d' % (prefix, block)].size //
                                (3 if coupled else 4)))
    outputs, new_states = [], []
    for x, (c_time, m_time) in zip(windows, states):
        z = np.concatenate([x, m_time, m_freq], 1)
        pre = {lstm: gates(z, lstms[lstm]) for lstm in lstms}
        prev, c = {'freq': c_freq, 'time': c_time}, {}
        for lstm in lstms:
            i, j, f, _ = pre[lstm]
            d = diagonals(lstm)
            i_g = gate(i, d.get('I'), c_freq, c_time)
            f_g = 1 - i_g if coupled else gate(f + 1.0, d.get('F'), c_freq, c_time)
            c[lstm] = f_g * prev[lstm] + i_g * np.tanh(j)
            c[lstm] = c[lstm] if clip is None else np.clip(c[lstm], -clip, clip)
        m = {lstm: gate(pre[lstm][3], diagonals(lstm).get('O'), c['freq'], c['time']) *
             np.tanh(c[lstm]) for lstm in lstms}
        outputs += [m['time'], m['freq']]
        new_states += [c['time'], m['time']]
        c_freq, m_freq = c['freq'], m['freq']
    return outputs, new_states


def windows_of(x, start, count, size=2, skip=1):
    return [x[:, start + k * skip:start + k * skip + size] for k in range(count)]


def pairs(flat):
    return list(zip(flat[::2], flat[1::2]))


def test_grid_lstm_cell_is_its_equations_with_peepholes_shards_and_clipping():
    cell = rnn_cell.GridLSTMCell(3, use_peepholes=True, cell_clip=0.8, num_unit_shards=2,
                                 feature_size=2, frequency_skip=1, num_frequency_blocks=[3])
    assert cell.state_size._fields[:3] == ('state_f00_b00_c', 'state_f00_b00_m',
                                           'state_f01_b00_c')
    assert type(cell.state_size).__name__ == 'GridLSTMStateTuple'
    assert cell.output_size == 18 and cell.state_tuple_type is type(cell.state_size)
    state = random_state(cell)
    got, new, w = step(cell, state)
    diags = ['W_%s_diag_%s%s_0' % (g, lstm, mem) for lstm in ('freq', 'time') for g in 'FIO'
             for mem in 'ft']
    assert list(w) == ['W_f_0_0', 'W_f_0_1', 'B_f_0', 'W_t_0_0', 'W_t_0_1', 'B_t_0'] + diags
    assert w['W_f_0_0'].shape == (4, 12) and w['W_f_0_1'].shape == (4, 12)  # 2 + 3 + 3 rows
    outputs, states = grid_block(windows_of(X, 0, 3), pairs(list(state)), w, 0, clip=0.8)
    np.testing.assert_allclose(got, np.concatenate(outputs, 1), atol=1e-5)
    np.testing.assert_allclose(np.concatenate(new, 1), np.concatenate(states, 1), atol=1e-5)
    assert np.abs(np.concatenate(states[::2], 1)).max() <= 0.8 + 1e-6


def test_grid_lstm_cell_with_coupled_gates_and_shared_weights():
    cell = rnn_cell.GridLSTMCell(2, use_peepholes=True, share_time_frequency_weights=True,
                                 couple_input_forget_gates=True, feature_size=2,
                                 frequency_skip=2, num_frequency_blocks=[2])
    state = random_state(cell)
    got, new, w = step(cell, state)
    # Three gate blocks, one set of weights, no forget-gate peepholes.
    assert list(w) == ['W_f_0_0', 'B_f_0', 'W_I_diag_freqf_0', 'W_I_diag_freqt_0',
                       'W_O_diag_freqf_0', 'W_O_diag_freqt_0']
    assert w['W_f_0_0'].shape == (6, 6)
    outputs, states = grid_block(windows_of(X, 0, 2, skip=2), pairs(list(state)), w, 0,
                                 coupled=True, shared=True)
    np.testing.assert_allclose(got, np.concatenate(outputs, 1), atol=1e-5)
    np.testing.assert_allclose(np.concatenate(new, 1), np.concatenate(states, 1), atol=1e-5)


def test_grid_lstm_cell_frequency_blocks_each_have_their_weights():
    cell = rnn_cell.GridLSTMCell(2, feature_size=2, frequency_skip=1,
                                 num_frequency_blocks=[1, 2], start_freqindex_list=[0, 1],
                                 end_freqindex_list=[2, 4])
    assert cell.state_size._fields[-2:] == ('state_f01_b01_c', 'state_f01_b01_m')
    state = random_state(cell)
    got, new, w = step(cell, state)
    assert list(w) == ['W_f_0_0', 'B_f_0', 'W_t_0_0', 'B_t_0',
                       'W_f_1_0', 'B_f_1', 'W_t_1_0', 'B_t_1']
    flat = pairs(list(state))
    out0, st0 = grid_block(windows_of(X, 0, 1), flat[:1], w, 0)
    out1, st1 = grid_block(windows_of(X, 1, 2), flat[1:], w, 1)
    np.testing.assert_allclose(got, np.concatenate(out0 + out1, 1), atol=1e-5)
    np.testing.assert_allclose(np.concatenate(new, 1), np.concatenate(st0 + st1, 1), atol=1e-5)


def test_grid_lstm_cell_concatenated_state_reads_the_first_blocks_columns_as_tf_1_15():
    cell = rnn_cell.GridLSTMCell(2, feature_size=2, frequency_skip=1, state_is_tuple=False,
                                 num_frequency_blocks=[1, 1], start_freqindex_list=[0, 2],
                                 end_freqindex_list=[2, 4])
    assert cell.state_size == 8 and cell.state_tuple_type is None
    state = RNG.randn(2, 8).astype(np.float32)
    got, new, w = step(cell, state)
    first = [(state[:, :2], state[:, 2:4])]  # block 1 too: TF 1.15 sliced it so
    out0, st0 = grid_block(windows_of(X, 0, 1), first, w, 0)
    out1, st1 = grid_block(windows_of(X, 2, 1), first, w, 1)
    np.testing.assert_allclose(got, np.concatenate(out0 + out1, 1), atol=1e-5)
    np.testing.assert_allclose(new, np.concatenate(st0 + st1, 1), atol=1e-5)


@pytest.mark.parametrize('offset', [0, 1, -1])
def test_bidirectional_grid_lstm_cell_runs_backward_over_shifted_windows(offset):
    cell = rnn_cell.BidirectionalGridLSTMCell(2, feature_size=2, frequency_skip=1,
                                              num_frequency_blocks=[3],
                                              backward_slice_offset=offset)
    assert type(cell.state_size).__name__ == 'BidirectionalGridLSTMStateTuple'
    assert cell.state_size._fields[0] == 'fwd_state_f00_b00_c'
    assert cell.state_size._fields[6] == 'bwd_state_f00_b00_c' and cell.output_size == 24
    state = random_state(cell)
    got, new, w = step(cell, state)
    assert list(w) == ['fwd/W_f_0_0', 'fwd/B_f_0', 'fwd/W_t_0_0', 'fwd/B_t_0',
                       'bwd/W_f_0_0', 'bwd/B_f_0', 'bwd/W_t_0_0', 'bwd/B_t_0']
    flat = pairs(list(state))
    padded = np.pad(X, [(0, 0), (max(-offset, 0), max(offset, 0))])
    backward = windows_of(padded, max(offset, 0), 3)[::-1]
    fwd_out, fwd_st = grid_block(windows_of(X, 0, 3), flat[:3], w, 0, prefix='fwd/')
    bwd_out, bwd_st = grid_block(backward, flat[3:], w, 0, prefix='bwd/')
    np.testing.assert_allclose(got, np.concatenate(fwd_out + bwd_out, 1), atol=1e-5)
    np.testing.assert_allclose(np.concatenate(new, 1), np.concatenate(fwd_st + bwd_st, 1),
                               atol=1e-5)


def test_time_freq_lstm_cell_is_its_equations_over_the_windows():
    cell = rnn_cell.TimeFreqLSTMCell(3, use_peepholes=True, cell_clip=0.7, feature_size=2,
                                     frequency_skip=1, num_unit_shards=2)
    assert (cell.state_size, cell.output_size) == (6, 3)  # one window's, as TF 1.15 said
    state = RNG.randn(2, 18).astype(np.float32)  # 3 windows of [c, m]
    got, new, w = step(cell, state)
    assert list(w) == ['W_0', 'W_1', 'B', 'W_F_diag', 'W_I_diag', 'W_O_diag']
    assert w['W_0'].shape == (4, 12) and w['W_1'].shape == (4, 12)  # 2 + 3 + 3 rows
    assert got.shape == (2, 9) and new.shape == (2, 18)
    kernel = np.concatenate([w['W_0'], w['W_1']])
    m_freq, outputs, states = np.zeros((2, 3)), [], []
    for k, x in enumerate(windows_of(X, 0, 3)):
        c_prev, m_prev = state[:, 6 * k:6 * k + 3], state[:, 6 * k + 3:6 * k + 6]
        i, j, f, o = np.split(np.concatenate([x, m_prev, m_freq], 1) @ kernel + w['B'], 4, 1)
        c = (sigmoid(f + 1.0 + w['W_F_diag'] * c_prev) * c_prev +
             sigmoid(i + w['W_I_diag'] * c_prev) * np.tanh(j))
        c = np.clip(c, -0.7, 0.7)
        m_freq = sigmoid(o + w['W_O_diag'] * c) * np.tanh(c)
        outputs.append(m_freq)
        states += [c, m_freq]
    np.testing.assert_allclose(got, np.concatenate(outputs, 1), atol=1e-5)
    np.testing.assert_allclose(new, np.concatenate(states, 1), atol=1e-5)


def ntm_reference(w, x, cell):
    """The NTM's first step in NumPy, from the learned starts: (output, read weights,
    write weights, new memory)."""
    batch, n, r = len(x), cell.memory_size, cell.shift_range
    reads = [np.tanh(w['initial_read_vector_%d' % i]).repeat(batch, 0)
             for i in range(cell.read_head_num)]
    controller = np.tanh(np.concatenate([x] + reads + [np.zeros((batch, 5))], 1) @
                         w['basic_rnn_cell/kernel'] + w['basic_rnn_cell/bias'])
    params = np.clip(controller @ w['parameters_kernel'] + w['parameters_bias'], -20, 20)
    heads = np.split(params[:, :cell.num_parameters_per_head * cell.num_heads],
                     cell.num_heads, 1)
    erase_add = np.split(params[:, cell.num_parameters_per_head * cell.num_heads:],
                         2 * cell.write_head_num, 1)
    memory = w['memory'][None].repeat(batch, 0)
    weights = []
    for i, head in enumerate(heads):
        dim = cell.memory_vector_dim
        key = np.tanh(head[:, :dim])
        beta, g = np.log1p(np.exp(head[:, dim:dim + 1])), sigmoid(head[:, dim + 1:dim + 2])
        shift = softmax(head[:, dim + 2:dim + 3 + 2 * r])
        gamma = np.log1p(np.exp(head[:, -1:])) + 1
        cosine = (np.einsum('bnd,bd->bn', memory, key) / (
            np.linalg.norm(memory, axis=2) * np.linalg.norm(key, axis=1, keepdims=True) + 1e-8))
        w_g = g * softmax(beta * cosine) + (1 - g) * softmax(
            w['initial_address_weights_%d' % i])
        # Shifts 0..r, then -r..-1, convolved circularly (Graves et al. eq. 8).
        s = np.concatenate([shift[:, :r + 1], np.zeros((batch, n - 2 * r - 1)),
                            shift[:, r + 1:]], 1)
        shifted = np.stack([sum(w_g[:, j] * s[:, (i - j) % n] for j in range(n))
                            for i in range(n)], 1)
        weights.append(shifted ** gamma / (shifted ** gamma).sum(1, keepdims=True))
    read_w, write_w = weights[:cell.read_head_num], weights[cell.read_head_num:]
    read_vectors = [np.einsum('bn,bnd->bd', rw, memory) for rw in read_w]
    for i, ww in enumerate(write_w):
        erase, add = sigmoid(erase_add[2 * i]), np.tanh(erase_add[2 * i + 1])
        memory = memory * (1 - ww[:, :, None] * erase[:, None]) + ww[:, :, None] * add[:, None]
    output = np.clip(np.concatenate([controller] + read_vectors, 1) @ w['output_kernel'] +
                     w['output_bias'], -20, 20)
    return output, read_w, write_w, memory


def test_ntm_cell_is_its_equations_and_its_weights_sum_to_one():
    cell = rnn_cell.NTMCell(rnn_cell.BasicRNNCell(5), memory_size=6, memory_vector_dim=3,
                            read_head_num=2, write_head_num=1)
    assert cell.output_size is None  # the input's depth, once built, as in TF 1.15
    state = cell.zero_state(2, tf.float32)
    assert state.time == 0 and len(state.w_list) == 3 and len(state.read_vector_list) == 2
    got, new, w = step(cell, state)
    assert cell.output_size == 4 and got.shape == (2, 4)
    assert list(w) == ['parameters_kernel', 'parameters_bias', 'output_kernel', 'output_bias',
                       'initial_read_vector_0', 'initial_read_vector_1',
                       'initial_address_weights_0', 'initial_address_weights_1',
                       'initial_address_weights_2', 'memory', 'basic_rnn_cell/kernel',
                       'basic_rnn_cell/bias']
    # Each head: key 3, strength, gate, shifts 3, sharpening; each write head erase + add.
    assert w['parameters_kernel'].shape == (5, 3 * 9 + 2 * 3)
    assert w['output_kernel'].shape == (5 + 2 * 3, 4) and w['memory'].shape == (6, 3)
    np.testing.assert_allclose(np.sum(new.w_list, axis=2), np.ones((3, 2)), atol=1e-5)
    output, read_w, write_w, memory = ntm_reference(w, X, cell)
    np.testing.assert_allclose(got, output, atol=1e-4)
    np.testing.assert_allclose(new.w_list, read_w + write_w, atol=1e-4)
    np.testing.assert_allclose(new.M, memory, atol=1e-4)
    assert new.time == 1  # a Python int, as TF 1.15 counted from zero_state's 0


def test_ntm_cell_runs_under_dynamic_rnn_with_normalised_weights():
    cell = rnn_cell.NTMCell(rnn_cell.LSTMCell(4), memory_size=5, memory_vector_dim=2,
                            read_head_num=1, write_head_num=1, output_dim=3)
    inputs = tf.constant(RNG.randn(2, 4, 3).astype(np.float32))
    # dtype too: the zero state's time, a Python 0, has none to infer it from.
    outputs, state = tf.nn.dynamic_rnn(cell, inputs, initial_state=cell.zero_state(
        2, tf.float32), dtype=tf.float32)
    with tf.Session() as session:
        session.run(tf.global_variables_initializer())
        got, final = session.run([outputs, state])
    assert got.shape == (2, 4, 3) and np.isfinite(got).all() and final.time == 4
    np.testing.assert_allclose(np.sum(final.w_list, axis=2), np.ones((2, 2)), atol=1e-5)
    assert np.abs(got).max() <= 20


@pytest.mark.parametrize('make, shape, error, message', [
    (lambda: rnn_cell.GridLSTMCell(2), None, ValueError, 'Must specify num_frequency_blocks'),
    (lambda: rnn_cell.GridLSTMCell(2, feature_size=2, frequency_skip=1,
                                   num_frequency_blocks=[2]), [2, 4], ValueError,
     'Invalid num_frequency_blocks, requires 2 but gets 3, please check the input size'),
    (lambda: rnn_cell.GridLSTMCell(2, feature_size=2, frequency_skip=1,
                                   num_frequency_blocks=[1, 2]), [2, 4], ValueError,
     'Length of num_frequency_blocks is not 1, but instead is 2'),
    (lambda: rnn_cell.GridLSTMCell(2, feature_size=2, frequency_skip=1,
                                   num_frequency_blocks=[3]), [2, None], ValueError,
     'Cannot infer input_size from static shape inference'),
    (lambda: rnn_cell.TimeFreqLSTMCell(2, feature_size=2), [2, 3, 4], ValueError,
     'must have rank 2'),
    (lambda: rnn_cell.NTMCell(object(), 4, 2, 1, 1), None, TypeError, 'is not an RNNCell'),
    (lambda: rnn_cell.NTMCell(rnn_cell.GRUCell(2), 4, 2, 1, 1), [2, None], ValueError,
     r'Expected inputs.shape\[-1\] to be known'),
])
def test_errors_are_tf_1_15s(make, shape, error, message):
    with pytest.raises(error, match=message):
        cell = make()
        inputs = tf.placeholder(tf.float32, shape)
        cell(inputs, cell.zero_state(2, tf.float32))


def test_freqindex_length_errors_carry_their_numbers_as_tf_1_15s_did():
    # TF 1.15 passed the lengths as the error's further arguments, not into its message.
    cell = rnn_cell.GridLSTMCell(2, feature_size=2, frequency_skip=1,
                                 num_frequency_blocks=[1], start_freqindex_list=[0, 2],
                                 end_freqindex_list=[2])
    with pytest.raises(ValueError) as raised:
        cell(tf.zeros([2, 4]), cell.zero_state(2, tf.float32))
    assert raised.value.args == ('Length of start and end freqindex_list does not match %d %d',
                                 2, 1)
