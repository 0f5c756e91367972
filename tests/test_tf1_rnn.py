"""tf1/rnn_cell.py against TensorFlow's own legacy TF 1.x cells, used here as an oracle.

The oracle is the Keras-2 copy of `tf.nn.rnn_cell` that TensorFlow 2.21 still carries
internally (tensorflow/python/keras/layers/legacy_rnn); the project must not depend on it,
but while it can be built it is the best reference for "same variables, same numbers as
TF 1.x". Each comparison builds the same model from both, loads the same weights into the
variables of the same names, and compares every output and final state. The contrib cells,
which TF 1.x ran as fused ops, are checked against those ops (still in tf.raw_ops).
"""
import zlib

import numpy as np
import pytest
import tensorflow.compat.v1 as tf

from tf1 import rnn_cell

tf.disable_v2_behavior()

# The oracle's own deprecation notices, not ours.
pytestmark = [pytest.mark.filterwarnings('ignore:`tf.nn.rnn_cell'),
              pytest.mark.filterwarnings('ignore:`layer.add_variable` is deprecated')]

BATCH, STEPS, DEPTH, UNITS, PROJ = 3, 4, 5, 6, 4
INPUTS = np.random.RandomState(0).randn(BATCH, STEPS, DEPTH).astype(np.float32)
LENGTHS = [4, 1, 3]  # one full row, the others ending early


@pytest.fixture(scope='module')
def oracle():
    """TensorFlow's legacy rnn_cell module, or a clean skip where it is gone."""
    try:
        from tensorflow.python.keras.layers.legacy_rnn import rnn_cell_impl
        with tf.Graph().as_default():
            rnn_cell_impl.LSTMCell(UNITS)
    except Exception as error:  # absent, or refusing to work without Keras 2
        pytest.skip('legacy rnn_cell_impl unavailable: %s' % error)
    return rnn_cell_impl


def weight_values(name, shape, dtype):
    """The same values for a variable of this name in every graph (±0.6: enough for the
    clips to bite)."""
    rng = np.random.RandomState(zlib.crc32(name.encode()))
    return rng.uniform(-0.6, 0.6, shape).astype(dtype)


def run(module, build, inputs=INPUTS, checkpoint=None):
    """Build `build(module, inputs)` under scope 'model' in a fresh graph with a fixed
    graph seed, give its variables weight_values (or restore them from `checkpoint`),
    and return (every tensor it returned, evaluated; {variable name: shape})."""
    with tf.Graph().as_default():
        tf.set_random_seed(1)
        with tf.variable_scope('model'):
            result = build(module, tf.constant(inputs))
        variables = tf.global_variables()
        shapes = {v.op.name: v.shape.as_list() for v in variables}
        with tf.Session() as session:
            if checkpoint:
                tf.train.Saver().restore(session, checkpoint)
            else:
                for variable in variables:
                    variable.load(weight_values(variable.op.name, variable.shape.as_list(),
                                                variable.dtype.base_dtype.as_numpy_dtype),
                                  session)
            return session.run(tf.nest.flatten(result)), shapes


def assert_same_values(actual, expected, atol=1e-6):
    assert len(actual) == len(expected)
    for index, (a, e) in enumerate(zip(actual, expected)):
        np.testing.assert_allclose(a, e, rtol=0, atol=atol, err_msg='tensor %d' % index)


def assert_same_as_oracle(oracle, build, inputs=INPUTS):
    ours, our_variables = run(rnn_cell, build, inputs)
    theirs, their_variables = run(oracle, build, inputs)
    assert our_variables == their_variables
    assert_same_values(ours, theirs)
    return ours


# Cells, each a function of the module that makes it (ours or the oracle).
CELLS = {
    'BasicRNNCell': lambda m: m.BasicRNNCell(UNITS),
    'BasicRNNCell-relu': lambda m: m.BasicRNNCell(UNITS, activation='relu'),
    'GRUCell': lambda m: m.GRUCell(UNITS),
    'BasicLSTMCell': lambda m: m.BasicLSTMCell(UNITS, forget_bias=0.7),
    'BasicLSTMCell-concatenated': lambda m: m.BasicLSTMCell(UNITS, state_is_tuple=False),
    'LSTMCell': lambda m: m.LSTMCell(UNITS),
    'LSTMCell-peepholes-clips-projection': lambda m: m.LSTMCell(
        UNITS, use_peepholes=True, cell_clip=0.5, num_proj=PROJ, proj_clip=0.3,
        forget_bias=0.2),
    'LSTMCell-projection-concatenated': lambda m: m.LSTMCell(
        UNITS, num_proj=PROJ, state_is_tuple=False),
    'LSTMCell-shards': lambda m: m.LSTMCell(UNITS, num_proj=PROJ, num_unit_shards=2,
                                            num_proj_shards=2),
    'MultiRNNCell-LSTM-GRU': lambda m: m.MultiRNNCell([m.LSTMCell(UNITS), m.GRUCell(UNITS)]),
    'MultiRNNCell-concatenated': lambda m: m.MultiRNNCell(
        [m.BasicRNNCell(UNITS), m.GRUCell(UNITS)], state_is_tuple=False),
    'DropoutWrapper-keep-all': lambda m: m.DropoutWrapper(m.LSTMCell(UNITS)),
    'DropoutWrapper-seeded': lambda m: m.DropoutWrapper(
        m.LSTMCell(UNITS), input_keep_prob=0.8, output_keep_prob=0.7, state_keep_prob=0.6,
        seed=5),
    'DropoutWrapper-variational': lambda m: m.DropoutWrapper(
        m.GRUCell(UNITS), input_keep_prob=0.8, output_keep_prob=0.7, state_keep_prob=0.6,
        variational_recurrent=True, input_size=DEPTH, dtype=tf.float32, seed=7),
    'MultiRNNCell-dropout-between': lambda m: m.MultiRNNCell(
        [m.DropoutWrapper(m.BasicLSTMCell(UNITS), output_keep_prob=0.5, seed=3),
         m.BasicLSTMCell(UNITS)]),
    'ResidualWrapper': lambda m: m.ResidualWrapper(m.GRUCell(DEPTH)),
    'DeviceWrapper': lambda m: m.DeviceWrapper(m.BasicRNNCell(UNITS), '/cpu:0'),
}


def static_rnn(make_cell, lengths=None):
    def build(m, inputs):
        return tf.nn.static_rnn(make_cell(m), tf.unstack(inputs, axis=1),
                                sequence_length=lengths, dtype=inputs.dtype)
    return build


# dynamic_rnn runs one step at a time (parallel_iterations=1) so that a dropout's random
# op draws its masks for the steps in order: with steps in parallel it draws them in
# whatever order they run, in TF 1.x too, and no two runs would agree.

def dynamic_rnn(make_cell, lengths=None, time_major=False):
    def build(m, inputs):
        if time_major:
            inputs = tf.transpose(inputs, [1, 0, 2])
        return tf.nn.dynamic_rnn(make_cell(m), inputs, sequence_length=lengths,
                                 time_major=time_major, dtype=inputs.dtype,
                                 parallel_iterations=1)
    return build


def static_bidirectional_rnn(make_cell, lengths=None):
    def build(m, inputs):
        return tf.nn.static_bidirectional_rnn(make_cell(m), make_cell(m),
                                              tf.unstack(inputs, axis=1),
                                              sequence_length=lengths, dtype=inputs.dtype)
    return build


def bidirectional_dynamic_rnn(make_cell, lengths=None):
    def build(m, inputs):
        return tf.nn.bidirectional_dynamic_rnn(make_cell(m), make_cell(m), inputs,
                                               sequence_length=lengths, dtype=inputs.dtype,
                                               parallel_iterations=1)
    return build


@pytest.mark.parametrize('cell', sorted(CELLS))
def test_every_cell_matches_the_oracle_through_static_rnn(oracle, cell):
    assert_same_as_oracle(oracle, static_rnn(CELLS[cell]))


@pytest.mark.parametrize('cell', sorted(CELLS))
def test_every_cell_matches_the_oracle_through_dynamic_rnn_with_lengths(oracle, cell):
    outputs = assert_same_as_oracle(oracle, dynamic_rnn(CELLS[cell], LENGTHS))[0]
    assert not outputs[1, 1:].any() and outputs[0, -1].any()  # zero past each row's end


@pytest.mark.parametrize('make_build', [
    lambda cell: static_rnn(cell, LENGTHS),
    lambda cell: dynamic_rnn(cell),
    lambda cell: dynamic_rnn(cell, LENGTHS, time_major=True),
    lambda cell: static_bidirectional_rnn(cell),
    lambda cell: static_bidirectional_rnn(cell, LENGTHS),
    lambda cell: bidirectional_dynamic_rnn(cell),
    lambda cell: bidirectional_dynamic_rnn(cell, LENGTHS),
], ids=['static_rnn-lengths', 'dynamic_rnn', 'dynamic_rnn-time_major-lengths',
        'static_bidirectional_rnn', 'static_bidirectional_rnn-lengths',
        'bidirectional_dynamic_rnn', 'bidirectional_dynamic_rnn-lengths'])
@pytest.mark.parametrize('cell', ['LSTMCell-peepholes-clips-projection', 'MultiRNNCell-LSTM-GRU'])
def test_every_runner_matches_the_oracle(oracle, cell, make_build):
    assert_same_as_oracle(oracle, make_build(CELLS[cell]))


def test_double_precision_matches_the_oracle(oracle):
    values = assert_same_as_oracle(oracle, dynamic_rnn(CELLS['MultiRNNCell-LSTM-GRU'], LENGTHS),
                                   inputs=INPUTS.astype(np.float64))
    assert values[0].dtype == np.float64


def test_initial_state_is_used_as_given(oracle):
    def build(m, inputs):
        cell = m.MultiRNNCell([m.LSTMCell(UNITS), m.GRUCell(UNITS)])
        start = (m.LSTMStateTuple(tf.fill([BATCH, UNITS], 0.5), tf.fill([BATCH, UNITS], -0.5)),
                 tf.fill([BATCH, UNITS], 0.25))
        return tf.nn.dynamic_rnn(cell, inputs, sequence_length=LENGTHS, initial_state=start)
    with_start = assert_same_as_oracle(oracle, build)
    from_zero = run(rnn_cell, dynamic_rnn(CELLS['MultiRNNCell-LSTM-GRU'], LENGTHS))[0]
    assert np.abs(with_start[0] - from_zero[0]).max() > 1e-3


def test_gradients_match_the_oracle(oracle):
    def build(m, inputs):
        cell = m.MultiRNNCell([m.LSTMCell(UNITS, use_peepholes=True, num_proj=PROJ),
                               m.GRUCell(UNITS)])
        outputs, _ = tf.nn.dynamic_rnn(cell, inputs, sequence_length=LENGTHS, dtype=tf.float32)
        variables = sorted(tf.trainable_variables(), key=lambda v: v.op.name)
        return tf.gradients(tf.reduce_sum(tf.sin(outputs)), variables + [inputs])
    gradients = assert_same_as_oracle(oracle, build)
    assert all(np.abs(gradient).max() > 1e-3 for gradient in gradients)


def test_dropout_with_everything_kept_is_the_bare_cell():
    bare = run(rnn_cell, dynamic_rnn(lambda m: m.LSTMCell(UNITS), LENGTHS))[0]
    kept = run(rnn_cell, dynamic_rnn(CELLS['DropoutWrapper-keep-all'], LENGTHS))[0]
    assert_same_values(kept, bare, atol=0)


@pytest.mark.parametrize('cell, bare_cell', [
    ('DropoutWrapper-seeded', lambda m: m.LSTMCell(UNITS)),
    ('DropoutWrapper-variational', lambda m: m.GRUCell(UNITS)),
], ids=['seeded', 'variational'])
def test_seeded_dropout_changes_outputs_the_same_way_every_time(cell, bare_cell):
    bare = run(rnn_cell, static_rnn(bare_cell))[0]
    first = run(rnn_cell, static_rnn(CELLS[cell]))[0]
    second = run(rnn_cell, static_rnn(CELLS[cell]))[0]
    assert_same_values(second, first, atol=0)
    assert max(np.abs(f - b).max() for f, b in zip(first, bare)) > 1e-2


def test_dropout_never_touches_the_lstm_memory():
    """state_keep_prob drops units of the LSTM's output h, never of its memory c."""
    def one_step(make_cell):
        def build(m, inputs):
            cell = make_cell(m)
            return cell(inputs[:, 0], cell.zero_state(BATCH, tf.float32))[1]
        return build
    bare = run(rnn_cell, one_step(lambda m: m.LSTMCell(UNITS)))[0]
    dropped = run(rnn_cell, one_step(lambda m: m.DropoutWrapper(
        m.LSTMCell(UNITS), state_keep_prob=0.01, seed=2)))[0]
    np.testing.assert_array_equal(dropped[0], bare[0])  # c
    assert (dropped[1] == 0).mean() > 0.8  # h


def variable_names(module, build_calls):
    with tf.Graph().as_default():
        build_calls(module, tf.zeros([BATCH, DEPTH]))
        return [v.op.name for v in tf.global_variables()]


def calls_and_scopes(m, x):
    """Cells called directly: one twice, a named one, a second default one, one in an
    explicit scope, a cell reused in a second dynamic_rnn, and reuse=True ones."""
    with tf.variable_scope('lstm'):
        first, named = m.LSTMCell(UNITS), m.GRUCell(UNITS, name='top')
        h, state = first(x, first.zero_state(BATCH, tf.float32))
        h, state = first(x, state)
        named(h, named.zero_state(BATCH, tf.float32))
        m.LSTMCell(UNITS)(x, state)
        m.BasicRNNCell(UNITS)(x, tf.zeros([BATCH, UNITS]), scope='explicit')
        shared = m.GRUCell(UNITS)
        sequence = tf.stack([x, x], axis=1)
        tf.nn.dynamic_rnn(shared, sequence, dtype=tf.float32, scope='first_run')
        tf.nn.dynamic_rnn(shared, sequence, dtype=tf.float32, scope='second_run')
    with tf.variable_scope('lstm', reuse=True):
        m.LSTMCell(UNITS, reuse=True)(x, state)
        m.LSTMCell(UNITS)(x, state)
    with tf.variable_scope('auto', reuse=tf.AUTO_REUSE):
        for _ in range(2):
            tf.nn.dynamic_rnn(m.BasicLSTMCell(UNITS), sequence, dtype=tf.float32)


RANDOM_OPS = ('RandomUniform', 'RandomStandardNormal', 'TruncatedNormal')


@pytest.mark.parametrize('make_build', [static_rnn, dynamic_rnn])
@pytest.mark.parametrize('cell', sorted(CELLS))
def test_random_ops_come_after_as_many_ops_as_in_tf1(oracle, cell, make_build, monkeypatch):
    """With only a graph-level seed, TF 1.x seeded each random op by the number of ops
    built before it (tf1/seeds.py), so each random op (the initializers, dropout's draws)
    must come after as many ops as with TF 1.x's cells for a seeded script to draw the
    same numbers: zero states, dropout keep probabilities and concatenated LSTM states
    included. TF's own tf.random_uniform, which the oracle's dropout calls, is built as
    TF 1.x built it, as under the runner, and so is its tf.split, which TF 1.x's cells
    called (a number of pieces made a constant first)."""
    from tensorflow.python.ops import array_ops, random_ops
    from tf1 import seeds
    monkeypatch.setattr(random_ops, 'random_uniform', seeds.random_uniform)
    monkeypatch.setattr(array_ops, 'split', seeds.split)
    layouts = []
    for module in (rnn_cell, oracle):
        with tf.Graph().as_default() as graph:
            make_build(CELLS[cell])(module, tf.constant(INPUTS))
            ops = graph.get_operations()
            layouts.append(([i for i, op in enumerate(ops) if op.type in RANDOM_OPS],
                            len(ops)))
    assert layouts[0] == layouts[1]


def test_variables_are_named_as_the_oracle_names_them(oracle):
    ours = variable_names(rnn_cell, calls_and_scopes)
    assert ours == variable_names(oracle, calls_and_scopes)
    assert ours == [
        'lstm/lstm_cell/kernel', 'lstm/lstm_cell/bias',
        'lstm/top/gates/kernel', 'lstm/top/gates/bias',
        'lstm/top/candidate/kernel', 'lstm/top/candidate/bias',
        'lstm/lstm_cell_1/kernel', 'lstm/lstm_cell_1/bias',
        'lstm/explicit/kernel', 'lstm/explicit/bias',
        'lstm/first_run/gru_cell/gates/kernel', 'lstm/first_run/gru_cell/gates/bias',
        'lstm/first_run/gru_cell/candidate/kernel', 'lstm/first_run/gru_cell/candidate/bias',
        'auto/rnn/basic_lstm_cell/kernel', 'auto/rnn/basic_lstm_cell/bias']


def test_reused_scope_without_variables_fails_as_in_tf1(oracle):
    for module in (rnn_cell, oracle):
        with tf.Graph().as_default():
            with tf.variable_scope('model', reuse=True):
                with pytest.raises(ValueError, match='does not exist'):
                    tf.nn.dynamic_rnn(module.GRUCell(UNITS), tf.constant(INPUTS),
                                      dtype=tf.float32)


def test_second_model_in_a_reused_scope_shares_the_variables():
    """The TF 1.x train/eval pattern: build the model twice, the second time with reuse."""
    def build(m, inputs):
        train, _ = tf.nn.dynamic_rnn(CELLS['MultiRNNCell-LSTM-GRU'](m), inputs,
                                     dtype=tf.float32)
        with tf.variable_scope(tf.get_variable_scope(), reuse=True):
            evaluation, _ = tf.nn.static_rnn(CELLS['MultiRNNCell-LSTM-GRU'](m),
                                             tf.unstack(inputs, axis=1), dtype=tf.float32)
        return train, tf.stack(evaluation, axis=1)
    (train, evaluation), variables = run(rnn_cell, build)
    assert len(variables) == 6
    np.testing.assert_allclose(evaluation, train, rtol=0, atol=1e-6)


def user_cells(module):
    """A cell written the TF 1.x way by a user, on each base class: a plain RNNCell that
    makes its variable in call(), and a LayerRNNCell that makes them in build()."""
    class MinimalRNNCell(module.RNNCell):
        def __init__(self, num_units, reuse=None):
            super(MinimalRNNCell, self).__init__(_reuse=reuse)
            self._num_units = num_units

        @property
        def state_size(self):
            return self._num_units

        @property
        def output_size(self):
            return self._num_units

        def call(self, inputs, state):
            weights = tf.get_variable('weights', [inputs.shape[1] + self._num_units,
                                                  self._num_units])
            output = tf.tanh(tf.matmul(tf.concat([inputs, state], 1), weights))
            return output, output

    class ScaledCell(module.LayerRNNCell):
        def __init__(self, num_units, name=None):
            super(ScaledCell, self).__init__(name=name)
            self._num_units = num_units

        @property
        def state_size(self):
            return module.LSTMStateTuple(self._num_units, self._num_units)

        @property
        def output_size(self):
            return self._num_units

        def build(self, inputs_shape):
            self._kernel = self.add_variable('kernel', [inputs_shape[1], self._num_units])
            self._scale = self.add_weight('scale', [self._num_units],
                                          initializer=tf.ones_initializer())

        def call(self, inputs, state):
            h = tf.sigmoid(tf.matmul(inputs, self._kernel) * self._scale + state.h)
            return h, module.LSTMStateTuple(state.c + h, h)

    return MinimalRNNCell, ScaledCell


def test_users_own_cells_match_the_oracle(oracle):
    def build(m, inputs):
        minimal, scaled = user_cells(m)
        cell = m.MultiRNNCell([minimal(UNITS), scaled(UNITS, name='scaled')])
        return tf.nn.dynamic_rnn(cell, inputs, sequence_length=LENGTHS, dtype=tf.float32)
    ours = assert_same_as_oracle(oracle, build)
    assert run(rnn_cell, build)[1] == {
        'model/rnn/multi_rnn_cell/cell_0/minimal_rnn_cell/weights': [DEPTH + UNITS, UNITS],
        'model/rnn/multi_rnn_cell/cell_1/scaled/kernel': [UNITS, UNITS],
        'model/rnn/multi_rnn_cell/cell_1/scaled/scale': [UNITS]}
    assert np.abs(ours[0]).max() > 1e-3


@pytest.mark.parametrize('save_from, restore_into', [('oracle', 'ours'), ('ours', 'oracle')])
def test_checkpoints_restore_across_implementations(oracle, tmp_path, save_from, restore_into):
    modules = {'ours': rnn_cell, 'oracle': oracle}
    build = dynamic_rnn(lambda m: m.MultiRNNCell(
        [m.LSTMCell(UNITS, use_peepholes=True, num_proj=PROJ), m.GRUCell(UNITS),
         m.BasicLSTMCell(UNITS)]), LENGTHS)
    checkpoint = str(tmp_path / 'rnn.ckpt')
    with tf.Graph().as_default():
        with tf.variable_scope('model'):
            result = tf.nest.flatten(build(modules[save_from], tf.constant(INPUTS)))
        with tf.Session() as session:
            session.run(tf.global_variables_initializer())  # TF's own random initial values
            tf.train.Saver().save(session, checkpoint)
            saved = session.run(result)
    restored, _ = run(modules[restore_into], build, checkpoint=checkpoint)
    assert_same_values(restored, saved)


def initial_values(build):
    with tf.Graph().as_default():
        with tf.variable_scope('model'):
            build(rnn_cell, tf.constant(INPUTS))
        with tf.Session() as session:
            session.run(tf.global_variables_initializer())
            return {v.op.name[len('model/'):]: session.run(v) for v in tf.global_variables()}


def test_initialisers_are_tf1s():
    gru = initial_values(static_rnn(lambda m: m.GRUCell(UNITS)))
    assert np.all(gru['rnn/gru_cell/gates/bias'] == 1)
    assert not gru['rnn/gru_cell/candidate/bias'].any()
    glorot_limit = np.sqrt(6.0 / (DEPTH + UNITS + 2 * UNITS))
    kernel = gru['rnn/gru_cell/gates/kernel']
    assert np.abs(kernel).max() <= glorot_limit and kernel.std() > glorot_limit / 4

    lstm = initial_values(static_rnn(lambda m: m.LSTMCell(
        UNITS, use_peepholes=True, num_proj=PROJ, initializer=tf.constant_initializer(0.25))))
    assert not lstm['rnn/lstm_cell/bias'].any()
    for name in ('kernel', 'w_f_diag', 'w_i_diag', 'w_o_diag', 'projection/kernel'):
        assert np.all(lstm['rnn/lstm_cell/' + name] == 0.25), name


def test_a_scope_initializer_reaches_the_kernels():
    def build(m, inputs):
        with tf.variable_scope('init', initializer=tf.constant_initializer(0.5)):
            return static_rnn(lambda m: m.BasicRNNCell(UNITS))(m, inputs)
    values = initial_values(build)
    assert np.all(values['init/rnn/basic_rnn_cell/kernel'] == 0.5)


def with_fused_op(make_cell, fused_step):
    """static_rnn over the cell, and beside it the same loop run by `fused_step(x, state,
    variables)` on the cell's own variables (named inside the cell's scope)."""
    def build(m, inputs):
        steps = tf.unstack(inputs, axis=1)
        ours = tf.nn.static_rnn(make_cell(m), steps, dtype=tf.float32)
        variables = {v.op.name.split('/', 3)[-1]: v for v in tf.global_variables()}
        state = make_cell(m).zero_state(BATCH, tf.float32)
        outputs = []
        for x in steps:
            output, state = fused_step(x, state, variables)
            outputs.append(output)
        return ours, (outputs, state)
    values, variables = run(rnn_cell, build)
    half = len(values) // 2
    assert_same_values(values[:half], values[half:])
    return variables


@pytest.mark.parametrize('peephole, cell_clip', [(False, None), (True, 0.5)])
def test_lstm_block_cell_is_tf1s_fused_op(peephole, cell_clip):
    def fused_step(x, state, v):
        no_peephole = tf.zeros([UNITS])
        step = tf.raw_ops.LSTMBlockCell(
            x=x, cs_prev=state.c, h_prev=state.h, w=v['kernel'], b=v['bias'],
            wci=v['w_i_diag'] if peephole else no_peephole,
            wcf=v['w_f_diag'] if peephole else no_peephole,
            wco=v['w_o_diag'] if peephole else no_peephole,
            forget_bias=0.7, cell_clip=cell_clip or -1, use_peephole=peephole)
        return step.h, rnn_cell.LSTMStateTuple(step.cs, step.h)
    variables = with_fused_op(lambda m: m.LSTMBlockCell(
        UNITS, forget_bias=0.7, cell_clip=cell_clip, use_peephole=peephole), fused_step)
    expected = {'model/rnn/lstm_cell/kernel': [DEPTH + UNITS, 4 * UNITS],
                'model/rnn/lstm_cell/bias': [4 * UNITS]}
    if peephole:
        expected.update({'model/rnn/lstm_cell/w_%s_diag' % gate: [UNITS] for gate in 'fio'})
    assert variables == expected


def test_gru_block_cell_v2_is_tf1s_fused_op():
    def fused_step(x, h, v):
        step = tf.raw_ops.GRUBlockCell(x=x, h_prev=h, w_ru=v['gates/kernel'],
                                       w_c=v['candidate/kernel'], b_ru=v['gates/bias'],
                                       b_c=v['candidate/bias'])
        return step.h, step.h
    variables = with_fused_op(lambda m: m.GRUBlockCellV2(UNITS), fused_step)
    assert variables == {
        'model/rnn/gru_cell/gates/kernel': [DEPTH + UNITS, 2 * UNITS],
        'model/rnn/gru_cell/gates/bias': [2 * UNITS],
        'model/rnn/gru_cell/candidate/kernel': [DEPTH + UNITS, UNITS],
        'model/rnn/gru_cell/candidate/bias': [UNITS]}


# The TF 1.x names a user's code reaches through tf.nn.rnn_cell, tf.contrib.rnn and tf.nn.
TF1_NAMES = ['RNNCell', 'LayerRNNCell', 'BasicRNNCell', 'GRUCell', 'LSTMCell', 'BasicLSTMCell',
             'LSTMStateTuple', 'MultiRNNCell', 'DropoutWrapper', 'ResidualWrapper',
             'DeviceWrapper', 'LSTMBlockCell', 'GRUBlockCellV2', 'OutputProjectionWrapper',
             'InputProjectionWrapper', 'EmbeddingWrapper', 'LayerNormBasicLSTMCell',
             'NASCell', 'UGRNNCell', 'IntersectionRNNCell', 'GRUBlockCell',
             'LSTMBlockFusedCell', 'LSTMBlockWrapper', 'TimeReversedFusedRNN', 'FusedRNNCellAdaptor',
             'FusedRNNCell',
             'ConvLSTMCell', 'Conv1DLSTMCell', 'Conv2DLSTMCell', 'Conv3DLSTMCell',
             'AttentionCellWrapper', 'HighwayWrapper', 'CompiledWrapper',
             'CudnnCompatibleLSTMCell', 'CudnnCompatibleGRUCell',
             'CoupledInputForgetGateLSTMCell', 'LayerNormLSTMCell', 'WeightNormLSTMCell',
             'GLSTMCell', 'PhasedLSTMCell', 'IndRNNCell', 'IndyGRUCell', 'IndyLSTMCell',
             'SRUCell', 'MinimalRNNCell', 'CFNCell', 'TimeFreqLSTMCell', 'GridLSTMCell',
             'BidirectionalGridLSTMCell', 'NTMCell', 'NTMControllerState',
             'static_rnn',
             'static_bidirectional_rnn', 'dynamic_rnn', 'bidirectional_dynamic_rnn',
             'stack_bidirectional_rnn', 'stack_bidirectional_dynamic_rnn']


def stacked(static, lengths):
    """Two stacked bidirectional LSTM layers over INPUTS: (outputs [batch, time, 2 *
    UNITS], the variables by name, with the dynamic form's names)."""
    cells = [[rnn_cell.LSTMCell(UNITS) for _ in range(2)] for _ in 'fb']
    inputs = tf.constant(INPUTS)
    if static:
        outputs, _, states_bw = rnn_cell.stack_bidirectional_rnn(
            cells[0], cells[1], tf.unstack(inputs, axis=1), sequence_length=lengths,
            dtype=tf.float32)
        outputs = tf.stack(outputs, axis=1)
    else:
        outputs, _, states_bw = rnn_cell.stack_bidirectional_dynamic_rnn(
            cells[0], cells[1], inputs, sequence_length=lengths, dtype=tf.float32)
    assert len(states_bw) == 2 and isinstance(states_bw[1], rnn_cell.LSTMStateTuple)
    names = {v.op.name.replace('/fw/', '/bidirectional_rnn/fw/')
                       .replace('/bw/', '/bidirectional_rnn/bw/') if static else v.op.name: v
             for v in tf.global_variables()}
    return outputs, names


def test_stacked_bidirectional_rnns_are_tf1s_layers_static_or_dynamic():
    """TF 1.x's contrib.rnn names (stack_bidirectional_rnn/cell_i/...) and layers, each fed
    the previous one's forward and backward outputs side by side: the static and the
    dynamic form compute the same from the same weights."""
    results = {}
    for static in (False, True):
        with tf.Graph().as_default():
            outputs, names = stacked(static, LENGTHS)
            assert names['stack_bidirectional_rnn/cell_1/bidirectional_rnn/fw/lstm_cell/'
                         'kernel'].shape.as_list() == [2 * UNITS + UNITS, 4 * UNITS]
            with tf.Session() as sess:
                if results:
                    for name, value in results['weights'].items():
                        names[name].load(value, sess)
                else:
                    sess.run(tf.global_variables_initializer())
                    results['weights'] = {name: sess.run(v) for name, v in names.items()}
                results[static] = sess.run(outputs)
    assert sorted(results['weights']) == sorted(
        'stack_bidirectional_rnn/cell_%d/bidirectional_rnn/%s/lstm_cell/%s' % (i, d, v)
        for i in (0, 1) for d in ('fw', 'bw') for v in ('kernel', 'bias'))
    assert results[False].shape == (BATCH, STEPS, 2 * UNITS)
    np.testing.assert_allclose(results[True], results[False], atol=1e-6)


def test_stacked_bidirectional_rnn_errors_are_tf1s():
    cells = [rnn_cell.GRUCell(UNITS)]
    with pytest.raises(ValueError, match='same depth'):
        rnn_cell.stack_bidirectional_dynamic_rnn(cells, cells * 2, tf.constant(INPUTS),
                                                 dtype=tf.float32)
    with pytest.raises(ValueError, match='initial_states_bw must be a list'):
        rnn_cell.stack_bidirectional_rnn(cells, cells, tf.unstack(INPUTS, axis=1),
                                         initial_states_bw=[], dtype=tf.float32)




def test_output_and_input_projections_are_dense_layers_in_the_wrappers_scope(fresh_graph):
    """contrib.rnn's projection wrappers: the wrapped cell's variables under the wrapper's
    scope first, then the wrapper's own kernel and bias (TF 1.x's names and order)."""
    cell = rnn_cell.OutputProjectionWrapper(
        rnn_cell.InputProjectionWrapper(rnn_cell.BasicRNNCell(UNITS), num_proj=3), 2)
    outputs, _ = tf.nn.dynamic_rnn(cell, tf.constant(INPUTS), dtype=tf.float32)
    names = [v.op.name for v in tf.global_variables()]
    wrapper = 'rnn/output_projection_wrapper/'
    assert names == [wrapper + 'input_projection_wrapper/kernel',
                     wrapper + 'input_projection_wrapper/bias',
                     wrapper + 'input_projection_wrapper/basic_rnn_cell/kernel',
                     wrapper + 'input_projection_wrapper/basic_rnn_cell/bias',
                     wrapper + 'kernel', wrapper + 'bias']
    assert cell.output_size == 2 and cell.state_size == UNITS
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        got = sess.run(outputs)
        in_k, in_b, k, b, out_k, out_b = sess.run(tf.global_variables())
    h = np.zeros([BATCH, UNITS], np.float32)
    for step in range(STEPS):
        projected = INPUTS[:, step] @ in_k + in_b
        h = np.tanh(np.concatenate([projected, h], 1) @ k + b)
        np.testing.assert_allclose(got[:, step], h @ out_k + out_b, atol=1e-5)


def test_an_embedding_wrapper_looks_ids_up_before_the_cell(fresh_graph):
    ids = [tf.constant([1, 0, 4]), tf.constant([2, 2, 3])]
    cell = rnn_cell.EmbeddingWrapper(rnn_cell.GRUCell(UNITS), embedding_classes=5,
                                     embedding_size=DEPTH)
    outputs, _ = tf.nn.static_rnn(cell, ids, dtype=tf.float32)
    variables = {v.op.name: v for v in tf.global_variables()}
    assert sorted(variables) == [
        'rnn/embedding_wrapper/embedding', 'rnn/embedding_wrapper/gru_cell/candidate/bias',
        'rnn/embedding_wrapper/gru_cell/candidate/kernel',
        'rnn/embedding_wrapper/gru_cell/gates/bias',
        'rnn/embedding_wrapper/gru_cell/gates/kernel']
    embedding = variables['rnn/embedding_wrapper/embedding']
    with tf.variable_scope('rnn/embedding_wrapper', reuse=True) as scope:
        expected, _ = tf.nn.static_rnn(rnn_cell.GRUCell(UNITS),
                                       [tf.nn.embedding_lookup(embedding, i) for i in ids],
                                       dtype=tf.float32, scope=scope)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        np.testing.assert_allclose(*sess.run([outputs, expected]), atol=1e-6)
    with pytest.raises(ValueError, match='embedding_size must be > 0'):
        rnn_cell.EmbeddingWrapper(rnn_cell.GRUCell(UNITS), 5, 0)


def test_one_cell_twice_in_a_multi_rnn_cell_is_warned_about(monkeypatch):
    """TF 1.x warned that `[cell] * n` stacks one set of weights n times (a checkpoint of
    n layers then restores without error and computes nonsense)."""
    warnings = []
    monkeypatch.setattr(tf.logging, 'log_first_n',
                        lambda level, message, n: warnings.append(message))
    cell = rnn_cell.BasicLSTMCell(UNITS)
    rnn_cell.MultiRNNCell([cell, rnn_cell.BasicLSTMCell(UNITS)])
    assert warnings == []
    rnn_cell.MultiRNNCell([cell] * 2)
    assert warnings == ['At least two cells provided to MultiRNNCell are the same object '
                        'and will share weights.']


def test_a_multi_rnn_cell_passes_a_layers_tuple_output_on(fresh_graph):
    """TF 1.x's MultiRNNCell chained `cell(output, state)`, whatever the output's nesting
    (philipperemy/tensorflow-grid-lstm stacks cells whose outputs are tuples)."""
    class PairCell(rnn_cell.RNNCell):
        state_size = UNITS
        output_size = (UNITS, UNITS)

        def call(self, inputs, state):
            a, b = inputs if isinstance(inputs, tuple) else (inputs, inputs)
            h = tf.tanh(a[:, :UNITS] + b[:, :UNITS] + state)
            return (h, -h), h

    x = np.ones([2, UNITS], np.float32)
    cell = rnn_cell.MultiRNNCell([PairCell(), PairCell()])
    (plus, minus), states = cell(tf.constant(x), cell.zero_state(2, tf.float32))
    with tf.Session() as session:
        plus, minus, first = session.run([plus, minus, states[0]])
    np.testing.assert_allclose(first, np.tanh(2 * x), rtol=1e-6)
    np.testing.assert_allclose(plus, np.tanh(np.zeros_like(x)), atol=1e-6)  # h + -h
    np.testing.assert_allclose(minus, -plus)


def test_layer_norm_lstm_is_contribs_layer_normalised_basic_lstm(fresh_graph):
    """TF 1.15's LayerNormBasicLSTMCell, written out in NumPy: each gate and the new
    memory normalised over their units (gamma from norm_gain, beta from norm_shift), the
    kernel without a bias."""
    cell = rnn_cell.LayerNormBasicLSTMCell(UNITS, norm_gain=1.5, norm_shift=0.25)
    outputs, state = tf.nn.dynamic_rnn(cell, tf.constant(INPUTS), dtype=tf.float32)
    prefix = 'rnn/layer_norm_basic_lstm_cell/'
    assert [v.op.name for v in tf.global_variables()] == [prefix + 'kernel'] + [
        prefix + '%s/%s' % (scope, name)
        for scope in ('input', 'transform', 'forget', 'output', 'state')
        for name in ('gamma', 'beta')]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        got, got_c = sess.run([outputs, state.c])
        kernel = sess.run(tf.global_variables()[0])

    def norm(x):
        mean, var = x.mean(1, keepdims=True), x.var(1, keepdims=True)
        return (x - mean) / np.sqrt(var + 1e-12) * 1.5 + 0.25

    def sigmoid(x):
        return 1 / (1 + np.exp(-x))

    c = h = np.zeros([BATCH, UNITS], np.float32)
    for step in range(STEPS):
        i, j, f, o = np.split(np.concatenate([INPUTS[:, step], h], 1) @ kernel, 4, axis=1)
        c = norm(c * sigmoid(norm(f) + 1.0) + sigmoid(norm(i)) * np.tanh(norm(j)))
        h = np.tanh(c) * sigmoid(norm(o))
        np.testing.assert_allclose(got[:, step], h, atol=1e-5)
    np.testing.assert_allclose(got_c, c, atol=1e-5)
    with tf.variable_scope('plain'):  # without layer norm: a bias; dropout on the candidate
        plain = rnn_cell.LayerNormBasicLSTMCell(UNITS, layer_norm=False, dropout_keep_prob=0.5,
                                                dropout_prob_seed=3)
        tf.nn.dynamic_rnn(plain, tf.constant(INPUTS), dtype=tf.float32)
    assert [v.op.name for v in tf.global_variables('plain')] == [
        'plain/rnn/layer_norm_basic_lstm_cell/kernel', 'plain/rnn/layer_norm_basic_lstm_cell/bias']
    assert any(op.type == 'RandomUniform' for op in tf.get_default_graph().get_operations())


def numpy_sigmoid(x):
    return 1 / (1 + np.exp(-x))


def run_cell(cell, scope):
    """The cell over INPUTS under `scope`: (outputs, final state, {name: value})."""
    with tf.variable_scope(scope):
        outputs, state = tf.nn.dynamic_rnn(cell, tf.constant(INPUTS), dtype=tf.float32)
    variables = tf.global_variables(scope)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run([v.assign(v + 0.2) for v in variables])  # non-zero biases
        got = sess.run([outputs, state] + variables)
    return got[0], got[1], {v.op.name[len(scope) + 1:]: value
                            for v, value in zip(variables, got[2:])}


def test_nas_cell_is_contribs_searched_cell(fresh_graph):
    """TF 1.15's NASCell (with biases and a projection), written out in NumPy."""
    got, state, v = run_cell(rnn_cell.NASCell(UNITS, num_proj=PROJ, use_bias=True), 'nas')
    prefix = 'rnn/nas_cell/'
    # Made in build, in TF 1.15's order (a seeded script draws the same weights).
    assert list(v) == [prefix + n for n in ('recurrent_kernel', 'kernel', 'bias',
                                            'projection_weights')]
    assert rnn_cell.NASCell(UNITS, use_biases=True)._use_bias  # TF 1.9's name for it
    relu, sig = (lambda x: np.maximum(x, 0)), numpy_sigmoid
    c, m = np.zeros([BATCH, UNITS]), np.zeros([BATCH, PROJ])
    for step in range(STEPS):
        mm = np.split(m @ v[prefix + 'recurrent_kernel'] + v[prefix + 'bias'], 8, axis=1)
        x = np.split(INPUTS[:, step] @ v[prefix + 'kernel'], 8, axis=1)
        l1 = [sig(x[0] + mm[0]), relu(x[1] + mm[1]), sig(x[2] + mm[2]), relu(x[3] * mm[3]),
              np.tanh(x[4] + mm[4]), sig(x[5] + mm[5]), np.tanh(x[6] + mm[6]),
              sig(x[7] + mm[7])]
        l2_0 = np.tanh(np.tanh(l1[0] * l1[1]) + c)
        c = l2_0 * np.tanh(l1[2] + l1[3])
        m = np.tanh(c * np.tanh(np.tanh(l1[4] * l1[5]) + sig(l1[6] + l1[7])))
        m = m @ v[prefix + 'projection_weights']
        np.testing.assert_allclose(got[:, step], m, rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(state.c, c, rtol=1e-4, atol=1e-5)


def test_ugrnn_and_intersection_cells_are_contribs(fresh_graph):
    """TF 1.15's UGRNNCell and IntersectionRNNCell (its input projected), in NumPy."""
    got, _, v = run_cell(rnn_cell.UGRNNCell(UNITS, forget_bias=0.5), 'ugrnn')
    assert sorted(v) == ['rnn/ugrnn_cell/bias', 'rnn/ugrnn_cell/kernel']
    state = np.zeros([BATCH, UNITS])
    for step in range(STEPS):
        g, c = np.split(np.concatenate([INPUTS[:, step], state], 1) @
                        v['rnn/ugrnn_cell/kernel'] + v['rnn/ugrnn_cell/bias'], 2, axis=1)
        g = numpy_sigmoid(g + 0.5)
        state = g * state + (1 - g) * np.tanh(c)
        np.testing.assert_allclose(got[:, step], state, rtol=1e-4, atol=1e-5)
    got, _, v = run_cell(rnn_cell.IntersectionRNNCell(UNITS, num_in_proj=UNITS), 'plus')
    prefix = 'rnn/intersection_rnn_cell/'
    assert sorted(v) == sorted(prefix + n for n in ('in_projection/kernel',
                                                    'in_projection/bias', 'kernel', 'bias'))
    state = np.zeros([BATCH, UNITS])
    for step in range(STEPS):
        x = INPUTS[:, step] @ v[prefix + 'in_projection/kernel'] + v[
            prefix + 'in_projection/bias']
        gh, h, gy, y = np.split(np.concatenate([x, state], 1) @ v[prefix + 'kernel'] +
                                v[prefix + 'bias'], 4, axis=1)
        gh, gy = numpy_sigmoid(gh + 1.0), numpy_sigmoid(gy + 1.0)
        state = gh * state + (1 - gh) * np.tanh(h)
        np.testing.assert_allclose(got[:, step], gy * x + (1 - gy) * np.maximum(y, 0),
                                   rtol=1e-4, atol=1e-5)
    with pytest.raises(ValueError, match='num_in_proj should be set to num_units'):
        tf.nn.dynamic_rnn(rnn_cell.IntersectionRNNCell(UNITS), tf.constant(INPUTS),
                          dtype=tf.float32, scope='unprojected')


def test_module_offers_exactly_tf1s_names():
    assert sorted(rnn_cell.__all__) == sorted(TF1_NAMES)
    assert all(hasattr(rnn_cell, name) for name in TF1_NAMES)
    # The loops are TensorFlow's own, which work with these cells as they are.
    assert rnn_cell.dynamic_rnn is tf.nn.dynamic_rnn
    assert rnn_cell.static_bidirectional_rnn is tf.nn.static_bidirectional_rnn


def test_cell_interface_and_zero_state():
    cell = rnn_cell.MultiRNNCell([rnn_cell.LSTMCell(UNITS, num_proj=PROJ),
                                  rnn_cell.GRUCell(UNITS)])
    assert cell.output_size == UNITS
    assert cell.state_size == (rnn_cell.LSTMStateTuple(UNITS, PROJ), UNITS)
    assert rnn_cell.LSTMCell(UNITS, num_proj=PROJ, state_is_tuple=False).state_size == 10
    with tf.Graph().as_default(), tf.Session() as session:
        state = cell.zero_state(tf.placeholder_with_default(BATCH, []), tf.float64)
        assert isinstance(state[0], rnn_cell.LSTMStateTuple) and state[0].dtype == tf.float64
        assert state[1].shape.as_list() == [None, UNITS]
        c, h = session.run(state[0])
    assert c.shape == (BATCH, UNITS) and h.shape == (BATCH, PROJ)
    assert not c.any() and not h.any()


def one_line_error(error_type, make):
    with tf.Graph().as_default(), pytest.raises(error_type) as raised:
        make()
    message = str(raised.value)
    assert '\n' not in message
    return message


def _shared_cell_layers():
    """TF 1.0's `MultiRNNCell([cell] * 2)` on inputs deeper than the cell's output."""
    gru = rnn_cell.GRUCell(5)
    return rnn_cell.MultiRNNCell([gru] * 2)(tf.zeros([1, 3]), (tf.zeros([1, 5]),) * 2)


@pytest.mark.parametrize('make, error_type, words', [
    (lambda: rnn_cell.LSTMCell(UNITS, initializer='no_such_init'), NotImplementedError,
     ["LSTMCell(initializer='no_such_init')", 'name a Keras initializer']),
    (lambda: rnn_cell.GRUCell(UNITS, activation='hard_sigmoid'), NotImplementedError,
     ["GRUCell(activation='hard_sigmoid')", 'activation=tf.nn.relu']),
    (lambda: rnn_cell.BasicLSTMCell(UNITS, input_shape=(4,)), NotImplementedError,
     ['BasicLSTMCell(input_shape=(4,))', 'leave it out']),
    (lambda: rnn_cell.DropoutWrapper(rnn_cell.GRUCell(UNITS), output_keep_prob=1.5),
     ValueError, ['output_keep_prob', 'between 0 and 1']),
    (lambda: rnn_cell.DropoutWrapper(rnn_cell.GRUCell(UNITS), variational_recurrent=True),
     ValueError, ['dtype=']),
    (lambda: rnn_cell.DropoutWrapper(tf.tanh), TypeError, ['DropoutWrapper wraps an RNNCell']),
    (lambda: rnn_cell.MultiRNNCell([]), ValueError, ['at least one cell']),
    (lambda: rnn_cell.MultiRNNCell([rnn_cell.LSTMCell(UNITS)], state_is_tuple=False),
     ValueError, ['state_is_tuple=False']),
    (lambda: rnn_cell.GRUBlockCellV2(UNITS, cell_size=UNITS), ValueError, ['exactly one']),
    (lambda: rnn_cell.GRUCell(UNITS)(tf.placeholder(tf.float32, [None, None]),
                                     tf.zeros([1, UNITS])),
     ValueError, ['GRUCell takes inputs of shape [batch, depth] with a known depth']),
    (lambda: rnn_cell.BasicRNNCell(UNITS)(tf.zeros([1, DEPTH], tf.int32),
                                          tf.zeros([1, UNITS], tf.int32)),
     ValueError, ['floating point', 'int32']),
    (lambda: _shared_cell_layers(),
     ValueError, ['layers 0 and 1 are the same GRUCell object', 'depths 3 and 5',
                  'for _ in range(num_layers)']),
], ids=['initializer-name', 'activation-name', 'keras-argument', 'keep-prob',
        'variational-dtype', 'not-a-cell', 'no-cells', 'tuple-states', 'gru-block-size',
        'unknown-depth', 'integer-inputs', 'shared-cell-depths'])
def test_bad_arguments_get_one_line_errors(make, error_type, words):
    message = one_line_error(error_type, make)
    for word in words:
        assert word in message


def test_activation_names_tf1_accepted_still_work():
    values = {}
    for activation in ('relu', tf.nn.relu):
        def build(m, inputs, activation=activation):
            return static_rnn(lambda m: m.BasicRNNCell(UNITS, activation=activation))(m, inputs)
        values[activation] = run(rnn_cell, build)[0]
    assert_same_values(values['relu'], values[tf.nn.relu], atol=0)
    assert min(output.min() for output in values['relu']) == 0


def listed_variables(make_cell, module=rnn_cell):
    """Names of (the cell's variables, its trainable ones, its weights, the graph's
    trainable ones) after two dynamic_rnn runs of one cell."""
    with tf.Graph().as_default():
        cell = make_cell(module)
        tf.nn.dynamic_rnn(cell, tf.constant(INPUTS), dtype=tf.float32)
        tf.nn.dynamic_rnn(cell, tf.constant(INPUTS), dtype=tf.float32)  # reused: no repeats
        return [[v.name for v in variables] for variables in (
            cell.variables, cell.trainable_variables, cell.weights, tf.trainable_variables())]


@pytest.mark.parametrize('make_cell', [
    CELLS['MultiRNNCell-LSTM-GRU'], lambda m: m.GRUCell(UNITS, trainable=False),
], ids=['MultiRNNCell', 'not-trainable'])
def test_cells_list_their_variables_as_the_oracle_does(oracle, make_cell):
    ours = listed_variables(make_cell)
    assert ours == listed_variables(make_cell, oracle)
    assert len(ours[0]) == len(set(ours[0])) >= 4


def test_wrappers_and_shards_list_every_variable():
    """Where the oracle loses some (a wrapped cell's inside a MultiRNNCell, the parts of a
    sharded kernel among the trainable ones), every variable is listed once."""
    stacked, trainable, weights, in_graph = listed_variables(
        CELLS['MultiRNNCell-dropout-between'])
    assert stacked == trainable == weights == in_graph and len(stacked) == 4
    sharded, trainable, _, in_graph = listed_variables(CELLS['LSTMCell-shards'])
    assert sharded == trainable == [
        'rnn/lstm_cell/kernel/part_0:0', 'rnn/lstm_cell/kernel/part_1:0',
        'rnn/lstm_cell/bias:0',
        'rnn/lstm_cell/projection/kernel/part_0:0', 'rnn/lstm_cell/projection/kernel/part_1:0']
    assert sorted(sharded) == sorted(in_graph)


def test_ptb_tutorials_hand_unrolled_model_matches_the_oracle(oracle):
    """TF 1.x's PTB language-model tutorial: cells made with the enclosing scope's reuse,
    unrolled by hand with reuse_variables(), built once to train and once more (reusing)
    to evaluate, all under a scope initializer."""
    def ptb_model(m, inputs, keep_prob):
        def lstm_cell():
            cell = m.BasicLSTMCell(UNITS, forget_bias=0.0, state_is_tuple=True,
                                   reuse=tf.get_variable_scope().reuse)
            return m.DropoutWrapper(cell, output_keep_prob=keep_prob, seed=11)
        cell = m.MultiRNNCell([lstm_cell() for _ in range(2)], state_is_tuple=True)
        state = cell.zero_state(BATCH, tf.float32)
        outputs = []
        with tf.variable_scope('RNN'):
            for time_step in range(STEPS):
                if time_step > 0:
                    tf.get_variable_scope().reuse_variables()
                cell_output, state = cell(inputs[:, time_step, :], state)
                outputs.append(cell_output)
        return outputs, state

    def build(m, inputs):
        with tf.variable_scope('Model', reuse=None,
                               initializer=tf.random_uniform_initializer(-0.1, 0.1)):
            train = ptb_model(m, inputs, keep_prob=0.5)
        with tf.variable_scope('Model', reuse=True):
            evaluation = ptb_model(m, inputs, keep_prob=1.0)
        return train, evaluation
    values = assert_same_as_oracle(oracle, build)
    train, evaluation = values[:len(values) // 2], values[len(values) // 2:]
    assert max(np.abs(t - e).max() for t, e in zip(train, evaluation)) > 1e-2  # dropout
    assert run(rnn_cell, build)[1] == {
        'model/Model/RNN/multi_rnn_cell/cell_%d/basic_lstm_cell/%s' % (layer, name): shape
        for layer, depth in ((0, DEPTH), (1, UNITS))
        for name, shape in (('kernel', [depth + UNITS, 4 * UNITS]), ('bias', [4 * UNITS]))}


def test_wrappers_checkpoint_their_cells_as_tf_1_15s(tmp_path):
    for make, prefix in ((rnn_cell.DropoutWrapper, 'wrapper/cell/'),
                         (rnn_cell.ResidualWrapper, 'wrapper/cell/'),
                         (lambda cell: rnn_cell.MultiRNNCell([cell]), 'wrapper/cell-0/')):
        with tf.Graph().as_default(), tf.Session() as session:
            wrapper = make(rnn_cell.BasicRNNCell(1))
            wrapper(tf.ones([1, 1]), wrapper.zero_state(1, tf.float32))
            session.run(tf.global_variables_initializer())
            path = tf.train.Checkpoint(wrapper=wrapper).save(
                str(tmp_path / type(wrapper).__name__), session=session)
        names = sorted(name for name, _ in tf.train.list_variables(path)
                       if name.startswith('wrapper/'))
        assert names == [prefix + 'bias/.ATTRIBUTES/VARIABLE_VALUE',
                         prefix + 'kernel/.ATTRIBUTES/VARIABLE_VALUE']


def test_cells_run_in_a_keras_rnn_layer():
    import tf_keras
    with tf.Graph().as_default():
        inputs = tf_keras.Input((None, 5))
        # A one-tensor state goes to the cell as it is; the cell's variables are Keras's
        # to initialise.
        outputs = [tf_keras.layers.RNN(cell)(inputs) for cell in (
            rnn_cell.GRUCell(3), rnn_cell.LSTMCell(4))]
        model = tf_keras.Model(inputs, outputs)
        got = model.predict(np.zeros((2, 6, 5)), verbose=0)
    assert [o.shape for o in got] == [(2, 3), (2, 4)]
    with tf.Graph().as_default():
        state = rnn_cell.LSTMCell(4).get_initial_state(tf.ones([2, 5]))
        assert [part.shape.as_list() for part in state] == [[2, 4], [2, 4]]
        with pytest.raises(ValueError, match='batch_size and dtype cannot be None'):
            rnn_cell.GRUCell(3).get_initial_state(batch_size=2)


@pytest.mark.parametrize('make', [rnn_cell.BasicRNNCell, rnn_cell.GRUCell,
                                  rnn_cell.BasicLSTMCell, rnn_cell.LSTMCell])
def test_cells_of_an_integer_dtype_are_refused_when_made(make):
    with pytest.raises(ValueError, match='RNN cell only supports floating point inputs'):
        make(2, dtype=tf.int32)


@pytest.mark.parametrize('make', [rnn_cell.BasicRNNCell, rnn_cell.GRUCell,
                                  rnn_cell.BasicLSTMCell, rnn_cell.LSTMCell])
def test_a_cell_built_directly_then_called_makes_its_variables_once(make):
    # TF 1.15's own test of the cells (rnn_test.py's testCellsBuild), as Keras builds them.
    with tf.Graph().as_default():
        cell = make(3, dtype=tf.float64)
        cell.build(tf.TensorShape((5, 7)))
        made = len(tf.global_variables())
        state = cell.get_initial_state(batch_size=5, dtype=tf.float64)
        output, _ = cell(tf.zeros([5, 7], tf.float64), state)
        assert cell.built and output.shape.as_list() == [5, 3]
        assert len(tf.global_variables()) == made > 0


def test_a_cell_has_tf1s_base_name():
    """TF 1.x's layers (and so its cells) kept the name asked for as _base_name
    (OpenSeq2Seq's AttentionWrapper writes it into its checks' messages)."""
    assert rnn_cell.BasicLSTMCell(3, name='encoder')._base_name == 'encoder'
    assert rnn_cell.GRUCell(3)._base_name == 'gru_cell'
