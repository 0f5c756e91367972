"""tf1's ports of contrib.rnn's remaining cells (TF 1.15's contrib/rnn/python/ops/
rnn_cell.py), each held to its equations in NumPy on the variables it made, or to LSTMCell
where TF 1.x said it reduces to it; TF 1.x's variable names and order; CompiledWrapper;
Keras initializer names."""
import numpy as np
import pytest
import tensorflow.compat.v1 as tf

from tf1 import rnn_cell

tf.disable_v2_behavior()
pytestmark = pytest.mark.usefixtures('fresh_graph')  # conftest.py

RNG = np.random.RandomState(0)
X = RNG.randn(2, 3, 4).astype(np.float32)  # batch, time, depth


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def layer_norm(x, gamma, beta):
    mean, var = x.mean(-1, keepdims=True), x.var(-1, keepdims=True)
    return (x - mean) / np.sqrt(var + 1e-12) * gamma + beta


def run(cell, inputs=X, randomise=True):
    """(outputs, final state, {variable name in the cell's scope: value}) of the cell
    under dynamic_rnn; `randomise` draws every variable anew, so that no gate hides
    behind a constant start (a bias of zeros, a gain of one)."""
    outputs, state = tf.nn.dynamic_rnn(cell, tf.constant(inputs) if not isinstance(
        inputs, tuple) else tuple(tf.constant(part) for part in inputs), dtype=tf.float32)
    with tf.Session() as session:
        session.run(tf.global_variables_initializer())
        if randomise:
            for variable in cell.variables:
                shape = variable.shape.as_list()
                session.run(variable.assign(RNG.uniform(0.5, 1.5, shape) * RNG.choice(
                    [-1, 1], shape) * 0.6))
        got, final, values = session.run([outputs, state, cell.variables])
    prefix = 'rnn/%s/' % cell.name
    return got, final, {v.op.name[len(prefix):]: value
                        for v, value in zip(cell.variables, values)}


def test_coupled_input_forget_gate_lstm_is_its_equations():
    cell = rnn_cell.CoupledInputForgetGateLSTMCell(5, use_peepholes=True, num_proj=3,
                                                   proj_clip=0.4, num_unit_shards=2)
    got, final, w = run(cell)
    assert list(w) == ['W_0', 'W_1', 'B', 'W_F_diag', 'W_O_diag', 'W_P_0']
    assert w['W_0'].shape == (4, 15) and w['W_1'].shape == (3, 15)  # 7 rows: 4 + 3
    kernel = np.concatenate([w['W_0'], w['W_1']])
    c, m = np.zeros((2, 5)), np.zeros((2, 3))
    for t in range(3):
        j, f, o = np.split(np.concatenate([X[:, t], m], 1) @ kernel + w['B'], 3, 1)
        forget = sigmoid(f + 1.0 + w['W_F_diag'] * c)
        c = forget * c + (1 - forget) * np.tanh(j)
        m = np.clip(sigmoid(o + w['W_O_diag'] * c) * np.tanh(c) @ w['W_P_0'], -0.4, 0.4)
        np.testing.assert_allclose(got[:, t], m, atol=1e-5)
    np.testing.assert_allclose(final.c, c, atol=1e-5)


def test_coupled_cell_layer_norm_and_a_concatenated_state():
    cell = rnn_cell.CoupledInputForgetGateLSTMCell(5, layer_norm=True, state_is_tuple=False,
                                                   norm_gain=1.5, norm_shift=0.1)
    assert cell.state_size == 10
    outputs, state = tf.nn.dynamic_rnn(cell, tf.constant(X), dtype=tf.float32)
    with tf.Session() as session:
        session.run(tf.global_variables_initializer())
        got, final, values = session.run([outputs, state, cell.variables])
    w = {v.op.name.split('/', 2)[2]: value for v, value in zip(cell.variables, values)}
    assert list(w) == ['W_0', 'B', 'transform/gamma', 'transform/beta', 'forget/gamma',
                       'forget/beta', 'output/gamma', 'output/beta', 'state/gamma',
                       'state/beta']
    np.testing.assert_array_equal(w['forget/gamma'], np.full(5, 1.5))
    c, m = np.zeros((2, 5)), np.zeros((2, 5))
    for t in range(3):
        blocks = np.split(np.concatenate([X[:, t], m], 1) @ w['W_0'], 3, 1)  # no B
        j, f, o = (layer_norm(block, w[name + '/gamma'], w[name + '/beta'])
                   for block, name in zip(blocks, ('transform', 'forget', 'output')))
        forget = sigmoid(f + 1.0)
        c = layer_norm(forget * c + (1 - forget) * np.tanh(j), w['state/gamma'],
                       w['state/beta'])
        m = sigmoid(o) * np.tanh(c)
        np.testing.assert_allclose(got[:, t], m, atol=1e-5)
    np.testing.assert_allclose(final, np.concatenate([c, m], 1), atol=1e-5)


def same_function_as_lstm_cell(cell, reference, prefix):
    """Outputs and state of `cell` and of LSTMCell `reference`, on the same values for
    the variables both have (matched by their names past `prefix`)."""
    ours = tf.nn.dynamic_rnn(cell, tf.constant(X), dtype=tf.float32, scope='ours')
    theirs = tf.nn.dynamic_rnn(reference, tf.constant(X), dtype=tf.float32, scope='theirs')
    by_name = {v.op.name.split('/', 2)[2]: v for v in reference.variables}
    with tf.Session() as session:
        session.run(tf.global_variables_initializer())
        for variable in cell.variables:
            name = variable.op.name.split('/', 2)[2][len(prefix):]
            session.run(by_name.pop(name).assign(variable))
        assert not by_name  # every variable of the reference was matched
        return session.run([ours, theirs])


@pytest.mark.parametrize('cell_class, prefix', [(rnn_cell.LayerNormLSTMCell, ''),
                                                (rnn_cell.WeightNormLSTMCell, 'wn_lstm_cell/')])
def test_without_normalisation_the_cells_are_lstm_cell(cell_class, prefix):
    options = dict(use_peepholes=True, cell_clip=0.5, num_proj=3, proj_clip=0.3,
                   forget_bias=0.7)
    cell = cell_class(5, **options, **({'norm': False} if prefix else {}))
    (outputs, state), (expected, expected_state) = same_function_as_lstm_cell(
        cell, rnn_cell.LSTMCell(5, **options), prefix)
    np.testing.assert_allclose(outputs, expected, atol=1e-6)
    np.testing.assert_allclose(state.c, expected_state.c, atol=1e-6)


def test_layer_norm_lstm_cell_normalises_every_gate_and_the_state():
    cell = rnn_cell.LayerNormLSTMCell(5, layer_norm=True, norm_gain=0.8, norm_shift=0.2)
    got, final, w = run(cell)
    assert list(w) == ['kernel', 'bias', 'input/gamma', 'input/beta', 'transform/gamma',
                       'transform/beta', 'forget/gamma', 'forget/beta', 'output/gamma',
                       'output/beta', 'state/gamma', 'state/beta']
    c, h = np.zeros((2, 5)), np.zeros((2, 5))
    for t in range(3):
        blocks = np.split(np.concatenate([X[:, t], h], 1) @ w['kernel'], 4, 1)  # no bias
        i, j, f, o = (layer_norm(block, w[name + '/gamma'], w[name + '/beta']) for block, name
                      in zip(blocks, ('input', 'transform', 'forget', 'output')))
        c = layer_norm(sigmoid(f + 1.0) * c + sigmoid(i) * np.tanh(j), w['state/gamma'],
                       w['state/beta'])
        h = sigmoid(o) * np.tanh(c)
        np.testing.assert_allclose(got[:, t], h, atol=1e-5)


def test_weight_norm_lstm_cell_normalises_each_inputs_rows():
    cell = rnn_cell.WeightNormLSTMCell(5, num_proj=3)
    got, _, w = run(cell)
    assert list(w) == ['wn_lstm_cell/' + name for name in (
        'kernel', 'norm_0', 'norm_1', 'bias', 'projection/kernel', 'projection/norm_0')]
    w = {name[len('wn_lstm_cell/'):]: value for name, value in w.items()}

    def normalised(rows, gain):
        return rows / np.linalg.norm(rows, axis=0) * gain
    kernel = np.concatenate([normalised(w['kernel'][:4], w['norm_0']),
                             normalised(w['kernel'][4:], w['norm_1'])])
    projection = normalised(w['projection/kernel'], w['projection/norm_0'])
    c, h = np.zeros((2, 5)), np.zeros((2, 3))
    for t in range(3):
        i, j, f, o = np.split(np.concatenate([X[:, t], h], 1) @ kernel + w['bias'], 4, 1)
        c = sigmoid(f + 1) * c + sigmoid(i) * np.tanh(j)
        h = (sigmoid(o) * np.tanh(c)) @ projection
        np.testing.assert_allclose(got[:, t], h, atol=1e-5)


def test_glstm_cell_runs_each_group_on_its_part():
    cell = rnn_cell.GLSTMCell(6, num_proj=4, number_of_groups=2)
    got, _, w = run(cell)
    assert list(w) == ['group0/kernel', 'group1/kernel', 'bias_i', 'bias_j', 'bias_f',
                       'bias_o', 'projection/kernel']
    c, m = np.zeros((2, 6)), np.zeros((2, 4))
    for t in range(3):
        blocks = [np.split(np.concatenate([x_k, m_k], 1) @ w['group%d/kernel' % k], 4, 1)
                  for k, (x_k, m_k) in enumerate(zip(np.split(X[:, t], 2, 1),
                                                     np.split(m, 2, 1)))]
        i, j, f, o = (np.concatenate(parts, 1) + w['bias_' + gate]
                      for gate, parts in zip('ijfo', zip(*blocks)))
        c = sigmoid(f + 1) * c + sigmoid(i) * np.tanh(j)
        m = (sigmoid(o) * np.tanh(c)) @ w['projection/kernel']
        np.testing.assert_allclose(got[:, t], m, atol=1e-5)
    with pytest.raises(ValueError, match='divisible by number_of_groups'):
        rnn_cell.GLSTMCell(5, number_of_groups=2)


def test_phased_lstm_cell_opens_its_time_gate_on_schedule():
    times = np.array([[[1.], [2.5], [7.]], [[0.5], [3.], [40.]]], np.float64)
    cell = rnn_cell.PhasedLSTMCell(5, leak=0.01, ratio_on=0.3)
    got, _, w = run(cell, (times, X), randomise=False)
    assert list(w) == ['mask_gates/kernel', 'mask_gates/bias', 'new_input/kernel',
                       'new_input/bias', 'output_gate/kernel', 'output_gate/bias', 'period',
                       'phase', 'ratio_on']
    assert ((w['period'] >= 1) & (w['period'] <= 1000)).all()
    assert ((w['phase'] >= 0) & (w['phase'] <= w['period'])).all()
    c, h = np.zeros((2, 5)), np.zeros((2, 5))
    for t in range(3):
        xh = np.concatenate([X[:, t], h], 1)
        input_gate, forget_gate = np.split(sigmoid(xh @ w['mask_gates/kernel'] +
                                                   w['mask_gates/bias']), 2, 1)
        new_c = c * forget_gate + input_gate * np.tanh(xh @ w['new_input/kernel'] +
                                                       w['new_input/bias'])
        new_h = np.tanh(new_c) * sigmoid(xh @ w['output_gate/kernel'] + w['output_gate/bias'])
        cycle = np.mod(times[:, t] - w['phase'], w['period']) / w['period']
        ratio = w['ratio_on']
        k = np.where(cycle < 0.5 * ratio, 2 * cycle / ratio,
                     np.where(cycle < ratio, 2 - 2 * cycle / ratio, 0.01 * cycle))
        c, h = k * new_c + (1 - k) * c, k * new_h + (1 - k) * h
        np.testing.assert_allclose(got[:, t], h, atol=1e-5)


def test_independently_recurrent_cells_are_their_equations():
    ind, gru, lstm = (rnn_cell.IndRNNCell(5), rnn_cell.IndyGRUCell(5),
                      rnn_cell.IndyLSTMCell(5, forget_bias=0.5))
    (ind_out, _, a), (gru_out, _, b), (lstm_out, _, c) = (
        run(cell) for cell in (ind, gru, lstm))
    assert list(a) == ['kernel_w', 'kernel_u', 'bias']
    assert list(b) == ['gates/kernel_w', 'gates/kernel_u', 'gates/bias', 'candidate/kernel',
                       'candidate/kernel_u', 'candidate/bias']
    assert list(c) == ['kernel_w', 'kernel_u', 'bias']
    h_ind, h_gru, (cell_c, h_lstm) = np.zeros((2, 5)), np.zeros((2, 5)), (np.zeros((2, 5)),) * 2
    for t in range(3):
        x = X[:, t]
        h_ind = np.tanh(x @ a['kernel_w'] + h_ind * a['kernel_u'] + a['bias'])
        r, u = np.split(sigmoid(x @ b['gates/kernel_w'] + np.tile(h_gru, 2) *
                                b['gates/kernel_u'] + b['gates/bias']), 2, 1)
        candidate = np.tanh(x @ b['candidate/kernel'] + r * h_gru * b['candidate/kernel_u'] +
                            b['candidate/bias'])
        h_gru = u * h_gru + (1 - u) * candidate
        i, j, f, o = np.split(x @ c['kernel_w'] + np.tile(h_lstm, 4) * c['kernel_u'] +
                              c['bias'], 4, 1)
        cell_c = cell_c * sigmoid(f + 0.5) + sigmoid(i) * np.tanh(j)
        h_lstm = np.tanh(cell_c) * sigmoid(o)
        for got, expected in ((ind_out, h_ind), (gru_out, h_gru), (lstm_out, h_lstm)):
            np.testing.assert_allclose(got[:, t], expected, atol=1e-5)


def test_the_recurrent_vectors_start_uniform_in_minus_one_one():
    cell = rnn_cell.IndyGRUCell(50)
    _, _, w = run(cell, randomise=False)
    u = w['gates/kernel_u']
    assert u.shape == (1, 100) and -1 <= u.min() < -0.5 and 0.5 < u.max() <= 1
    np.testing.assert_array_equal(w['gates/bias'], np.ones(100))


def test_sru_minimal_rnn_and_cfn_cells_are_their_equations():
    sru, minimal, cfn = rnn_cell.SRUCell(4), rnn_cell.MinimalRNNCell(5), rnn_cell.CFNCell(5)
    (sru_out, sru_state, s), (min_out, _, m), (cfn_out, _, f) = (
        run(cell) for cell in (sru, minimal, cfn))
    assert list(s) == ['kernel', 'bias'] and list(m) == ['kernel', 'bias']
    assert list(f) == ['kernel', 'recurrent_kernel', 'bias']
    c, h_min, h_cfn = np.zeros((2, 4)), np.zeros((2, 5)), np.zeros((2, 5))
    for t in range(3):
        x = X[:, t]
        x_bar, f_part, r_part, highway = np.split(x @ s['kernel'], 4, 1)
        forget, reset = np.split(sigmoid(np.concatenate([f_part, r_part], 1) + s['bias']), 2, 1)
        c = forget * c + (1 - forget) * x_bar
        np.testing.assert_allclose(sru_out[:, t], reset * np.tanh(c) + (1 - reset) * highway,
                                   atol=1e-5)
        z = np.tanh(x @ m['kernel'][:4])
        u = sigmoid(np.concatenate([z, h_min], 1) @ m['kernel'][4:] + m['bias'])
        h_min = u * h_min + (1 - u) * z
        theta, eta = np.split(sigmoid(h_cfn @ f['recurrent_kernel'] + x @ f['kernel'][:, :10] +
                                      f['bias']), 2, 1)
        h_cfn = theta * np.tanh(h_cfn) + (1 - eta) * np.tanh(x @ f['kernel'][:, 10:])
        np.testing.assert_allclose(min_out[:, t], h_min, atol=1e-5)
        np.testing.assert_allclose(cfn_out[:, t], h_cfn, atol=1e-5)
    np.testing.assert_allclose(sru_state, c, atol=1e-5)  # the state is the memory


def test_keras_initializer_names_are_taken_as_tf_1x_cells_took_them():
    cell = rnn_cell.MinimalRNNCell(3)  # bias_initializer='ones'
    _, _, w = run(cell, randomise=False)
    np.testing.assert_array_equal(w['bias'], np.ones(3))
    # 60 draws: all of one sign with probability 2**-59.
    gru = rnn_cell.GRUCell(30, kernel_initializer='zeros', bias_initializer='RandomUniform')
    _, _, w = run(gru, randomise=False)
    assert not w['gates/kernel'].any()
    # Keras's random initializers drew from ±0.05, not init_ops' [0, 1).
    assert 0 < np.abs(w['gates/bias']).max() <= 0.05 and w['gates/bias'].min() < 0
    assert rnn_cell.MinimalRNNCell(3, activation=None)._activation is tf.identity  # Keras's
    with pytest.raises(NotImplementedError, match="kernel_initializer='no_such'"):
        rnn_cell.GRUCell(3, kernel_initializer='no_such')


def test_compiled_wrapper_marks_the_steps_stateless_ops_for_xla():
    cell = rnn_cell.GRUCell(4)
    wrapped = rnn_cell.CompiledWrapper(cell)
    state = wrapped.zero_state(2, tf.float32)
    output, _ = wrapped(tf.constant(X[:, 0]), state)
    compiled = {op.type for op in output.graph.get_operations()
                if '_XlaCompile' in op.node_def.attr and op.get_attr('_XlaCompile')}
    assert {'MatMul', 'Sigmoid'} <= compiled
    assert 'VarHandleOp' not in compiled and 'VariableV2' not in compiled
    with tf.Session() as session:
        session.run(tf.global_variables_initializer())
        got = session.run(output)
    assert got.shape == (2, 4) and np.isfinite(got).all()


def test_contrib_rnn_has_every_cell_tf_1_15_documented():
    from tf1.api import tensorflow as tf1_api
    contrib_rnn = tf1_api.contrib.rnn
    module = contrib_rnn.python.ops.rnn_cell  # tensorflow.contrib.rnn.python.ops.rnn_cell
    for name in ('CoupledInputForgetGateLSTMCell', 'LayerNormLSTMCell', 'WeightNormLSTMCell',
                 'GLSTMCell', 'PhasedLSTMCell', 'IndRNNCell', 'IndyGRUCell', 'IndyLSTMCell',
                 'SRUCell', 'CompiledWrapper', 'TimeFreqLSTMCell', 'GridLSTMCell',
                 'BidirectionalGridLSTMCell', 'NTMCell'):
        assert getattr(contrib_rnn, name) is getattr(rnn_cell, name)
        assert getattr(module, name) is getattr(rnn_cell, name)
    assert module.NTMControllerState is rnn_cell.NTMControllerState
    assert contrib_rnn.transpose_batch_time is not None
    assert issubclass(contrib_rnn.LSTMBlockFusedCell, contrib_rnn.LSTMBlockWrapper)
    core_rnn = contrib_rnn.python.ops.core_rnn  # TF 1.0-1.1's static_rnn there
    assert core_rnn.static_rnn is contrib_rnn.static_rnn
    assert core_rnn.static_bidirectional_rnn is contrib_rnn.static_bidirectional_rnn


def test_a_fused_lstm_of_ones_own_gets_lstm_block_wrappers_states_and_masking():
    class Counting(rnn_cell.LSTMBlockWrapper):
        """A made-up fused cell: its state counts the steps, its output is the input."""
        num_units = 2

        def build(self, _):
            self.built = True

        def _call_cell(self, inputs, initial_cell_state, initial_output, dtype, lengths):
            steps = tf.cumsum(tf.ones_like(inputs), axis=0) + initial_cell_state
            return steps, inputs
    with tf.Graph().as_default():
        inputs = tf.ones([4, 3, 2])                   # time-major: 4 steps, batch 3
        outputs, (cells, last) = Counting()(inputs, dtype=tf.float32,
                                            sequence_length=[4, 2, 0])
        with tf.Session() as sess:
            outputs, cells, last = sess.run([outputs, cells, last])
    assert outputs[:, :, 0].T.tolist() == [[1, 1, 1, 1], [1, 1, 0, 0], [0, 0, 0, 0]]
    assert cells[:, 0].tolist() == [4, 2, 0] and last[:, 0].tolist() == [1, 1, 0]


def test_cells_built_on_a_longer_shape_take_tf1s_dimension():
    """TF 1.15's SRUCell sized its kernel by the shape's second dimension, the other cells
    by its last (rnn_cell_test's testSRUCellBiasType builds on (2, 3, 5))."""
    with tf.Graph().as_default():
        sru, lstm = rnn_cell.SRUCell(10), rnn_cell.BasicLSTMCell(10)
        sru.build((2, 3, 5))
        lstm.build((2, 3, 5))
        assert sru._kernel.shape == (3, 40) and lstm._kernel.shape == (15, 40)
        with pytest.raises(ValueError, match='with a known depth'):
            rnn_cell.GRUCell(4).build((2, None))
