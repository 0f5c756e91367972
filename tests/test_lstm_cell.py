"""graphs/lstm_cell.py against TensorFlow's own legacy BasicLSTMCell, used here as an oracle.

The oracle is the Keras-2 copy TensorFlow still carries internally; the project must not
depend on it, but while it can be built it is the best reference for "same numbers, same
variables as TF 1.x". Every comparison loads the same random weights into both graphs.
"""
import numpy as np
import pytest
import tensorflow.compat.v1 as tf

from graphs.lstm_cell import BasicLSTMCell, LSTMStateTuple, lstm

tf.disable_v2_behavior()

# The oracle's own deprecation notices, not ours.
pytestmark = [pytest.mark.filterwarnings('ignore:`tf.nn.rnn_cell.BasicLSTMCell` is deprecated'),
              pytest.mark.filterwarnings('ignore:`layer.add_variable` is deprecated')]

BATCH, STEPS, DEPTH, UNITS = 3, 5, 4, 6
KERNEL = 'lstm/rnn/basic_lstm_cell/kernel'
BIAS = 'lstm/rnn/basic_lstm_cell/bias'
INPUTS = np.random.RandomState(0).randn(BATCH, STEPS, DEPTH).astype(np.float32)
WEIGHTS = {
    KERNEL: 0.5 * np.random.RandomState(1).randn(DEPTH + UNITS, 4 * UNITS).astype(np.float32),
    BIAS: 0.5 * np.random.RandomState(2).randn(4 * UNITS).astype(np.float32),
}


@pytest.fixture(scope='module')
def oracle_cell():
    """TensorFlow's legacy BasicLSTMCell class, or a clean skip where it is gone."""
    try:
        from tensorflow.python.ops import rnn_cell_impl
        with tf.Graph().as_default():
            rnn_cell_impl.BasicLSTMCell(UNITS)
    except Exception as error:  # absent, or refusing to work without Keras 2
        pytest.skip('legacy rnn_cell_impl.BasicLSTMCell unavailable: %s' % error)
    return rnn_cell_impl.BasicLSTMCell


def with_dynamic_rnn(cell, inputs):
    return tf.nn.dynamic_rnn(cell, inputs, dtype=tf.float32)


def with_static_rnn(cell, inputs):
    outputs, state = tf.nn.static_rnn(cell, tf.unstack(inputs, axis=1), dtype=tf.float32)
    return tf.stack(outputs, axis=1), state


def with_fast_lstm(forget_bias=1.0):
    return lambda inputs: lstm(inputs, UNITS, forget_bias, return_sequences=True)


def run_lstm(build, weights=WEIGHTS):
    """Build `build(inputs)` under scope 'lstm' in a fresh graph, load `weights` into its
    variables (whose names must be exactly the keys) and return (outputs, c, h)."""
    with tf.Graph().as_default():
        with tf.variable_scope('lstm'):
            outputs, state = build(tf.constant(INPUTS))
        assert sorted(v.op.name for v in tf.global_variables()) == sorted(weights)
        with tf.Session() as session:
            for variable in tf.global_variables():
                variable.load(weights[variable.op.name], session)
            return session.run((outputs, state.c, state.h))


def assert_same_lstm(actual, expected, atol):
    for name, a, e in zip(('outputs', 'c', 'h'), actual, expected):
        np.testing.assert_allclose(a, e, rtol=0, atol=atol, err_msg=name)


@pytest.mark.parametrize('runner', [with_dynamic_rnn, with_static_rnn])
def test_matches_tensorflow_legacy_cell(oracle_cell, runner):
    ours = run_lstm(lambda x: runner(BasicLSTMCell(UNITS, forget_bias=0.7), x))
    oracle = run_lstm(lambda x: runner(oracle_cell(UNITS, forget_bias=0.7), x))
    assert ours[0].shape == (BATCH, STEPS, UNITS)
    assert_same_lstm(ours, oracle, atol=1e-6)


def test_comparison_catches_a_different_forget_bias(oracle_cell):
    ours = run_lstm(lambda x: with_dynamic_rnn(BasicLSTMCell(UNITS, forget_bias=1.0), x))
    oracle = run_lstm(lambda x: with_dynamic_rnn(oracle_cell(UNITS, forget_bias=0.5), x))
    largest_difference = max(np.abs(a - e).max() for a, e in zip(ours, oracle))
    assert largest_difference > 1e-2
    with pytest.raises(AssertionError):
        assert_same_lstm(ours, oracle, atol=1e-6)


def test_state_as_one_tensor_matches_the_tuple(oracle_cell):
    def concatenated_state(cell_class):
        def build(inputs):
            outputs, state = with_static_rnn(cell_class(UNITS, state_is_tuple=False), inputs)
            c, h = tf.split(state, 2, axis=1)
            return outputs, LSTMStateTuple(c, h)
        return build
    ours = run_lstm(concatenated_state(BasicLSTMCell))
    assert_same_lstm(ours, run_lstm(concatenated_state(oracle_cell)), atol=1e-6)
    assert_same_lstm(ours, run_lstm(lambda x: with_static_rnn(BasicLSTMCell(UNITS), x)), 1e-6)


@pytest.mark.parametrize('runner', [with_dynamic_rnn, with_static_rnn])
def test_variables_are_named_and_shaped_as_in_tf1(runner):
    with tf.Graph().as_default():
        with tf.variable_scope('lstm'):
            runner(BasicLSTMCell(UNITS), tf.constant(INPUTS))
        shapes = {v.op.name: v.shape.as_list() for v in tf.trainable_variables()}
        assert shapes == {KERNEL: [DEPTH + UNITS, 4 * UNITS], BIAS: [4 * UNITS]}
        with tf.Session() as session:
            session.run(tf.global_variables_initializer())
            kernel, bias = session.run([KERNEL + ':0', BIAS + ':0'])
    glorot_limit = np.sqrt(6.0 / (DEPTH + UNITS + 4 * UNITS))
    assert np.all(bias == 0)
    assert np.abs(kernel).max() <= glorot_limit and kernel.std() > glorot_limit / 4


def variable_names_of_a_hand_built_stack(cell_class):
    """Cells called directly: one over two steps, a named one, a second default one, and a
    reuse=True one in a reused scope."""
    with tf.Graph().as_default():
        x = tf.zeros([BATCH, DEPTH])
        with tf.variable_scope('lstm'):
            first, named = cell_class(UNITS), cell_class(UNITS, name='top')
            h, state = first(x, first.zero_state(BATCH, tf.float32))
            h, state = first(x, state)
            named(h, named.zero_state(BATCH, tf.float32))
            cell_class(UNITS)(x, state)
        with tf.variable_scope('lstm', reuse=True):
            cell_class(UNITS, reuse=True)(x, state)
        return [v.op.name for v in tf.global_variables()]


def test_cells_sharing_a_scope_are_named_as_in_tf1():
    assert variable_names_of_a_hand_built_stack(BasicLSTMCell) == [
        'lstm/basic_lstm_cell/kernel', 'lstm/basic_lstm_cell/bias',
        'lstm/top/kernel', 'lstm/top/bias',
        'lstm/basic_lstm_cell_1/kernel', 'lstm/basic_lstm_cell_1/bias']


def test_cells_sharing_a_scope_are_named_as_the_legacy_cell_names_them(oracle_cell):
    assert (variable_names_of_a_hand_built_stack(BasicLSTMCell)
            == variable_names_of_a_hand_built_stack(oracle_cell))


def test_cell_interface_and_zero_state():
    cell = BasicLSTMCell(UNITS)
    assert cell.output_size == UNITS
    assert cell.state_size == LSTMStateTuple(UNITS, UNITS)
    assert BasicLSTMCell(UNITS, state_is_tuple=False).state_size == 2 * UNITS
    with tf.Graph().as_default(), tf.Session() as session:
        state = cell.zero_state(BATCH, tf.float32)
        assert isinstance(state, LSTMStateTuple) and state.dtype == tf.float32
        c, h = session.run(state)
    assert c.shape == h.shape == (BATCH, UNITS)
    assert not c.any() and not h.any()


def test_second_model_in_a_reused_scope_shares_the_variables():
    """The TF 1.x train/eval pattern: build the model twice, the second time with reuse."""
    with tf.Graph().as_default():
        x = tf.constant(INPUTS)
        with tf.variable_scope('lstm'):
            train_outputs, _ = with_dynamic_rnn(BasicLSTMCell(UNITS), x)
        with tf.variable_scope('lstm', reuse=True):
            eval_outputs, _ = with_static_rnn(BasicLSTMCell(UNITS), x)
        assert sorted(v.op.name for v in tf.global_variables()) == sorted([KERNEL, BIAS])
        with tf.Session() as session:
            session.run(tf.global_variables_initializer())
            train, evaluation = session.run([train_outputs, eval_outputs])
    np.testing.assert_allclose(train, evaluation, rtol=0, atol=1e-6)


def test_fast_lstm_matches_static_rnn():
    expected = run_lstm(lambda x: with_static_rnn(BasicLSTMCell(UNITS, forget_bias=0.7), x))
    assert_same_lstm(run_lstm(with_fast_lstm(forget_bias=0.7)), expected, atol=1e-5)
    as_list = run_lstm(lambda x: lstm(tf.unstack(x, axis=1), UNITS, 0.7, return_sequences=True))
    assert_same_lstm(as_list, expected, atol=1e-5)


def test_fast_lstm_returns_the_last_output_by_default():
    with tf.Graph().as_default():
        last_output, state = lstm(tf.constant(INPUTS), UNITS)
        assert last_output.shape.as_list() == [BATCH, UNITS]
        assert state.h is last_output


@pytest.mark.parametrize('chains', [2, 3])
@pytest.mark.parametrize('batch', [BATCH, 1])
def test_chains_compute_the_same_outputs_and_gradients(chains, batch):
    """The batch split into independent recurrences: same numbers, same variables and
    gradients (the inputs' too, which a CNN-LSTM backpropagates into its convolutions),
    for any batch size, even one smaller than the number of chains (empty chains)."""
    results = []
    for count in (1, chains):
        with tf.Graph().as_default():
            inputs = tf.constant(INPUTS[:batch])
            with tf.variable_scope('lstm'):
                outputs, state = lstm(inputs, UNITS, 0.7, return_sequences=True, chains=count)
                last, _ = lstm(inputs, UNITS, 0.7, chains=count, scope='last')
            variables = tf.trainable_variables()
            loss = tf.reduce_sum(tf.sin(outputs)) + tf.reduce_sum(state.c) + tf.reduce_sum(last)
            with tf.Session() as session:
                for variable in variables:
                    variable.load(WEIGHTS[variable.op.name.replace('/last/', '/rnn/')], session)
                results.append(session.run([outputs, state.c, state.h, last] +
                                           tf.gradients(loss, variables + [inputs])))
    for single, chained in zip(*results):
        assert single.shape == chained.shape
        np.testing.assert_allclose(chained, single, rtol=1e-5, atol=1e-6)  # sums reordered


def gradients(build):
    """Gradients of a fixed weighted sum of the outputs w.r.t. the kernel and the bias."""
    output_weights = np.random.RandomState(3).randn(BATCH, STEPS, UNITS).astype(np.float32)
    with tf.Graph().as_default():
        with tf.variable_scope('lstm'):
            outputs, _ = build(tf.constant(INPUTS))
        variables = tf.trainable_variables()
        loss = tf.reduce_sum(outputs * output_weights)
        grads = tf.gradients(loss, variables)
        assert all(grad is not None for grad in grads)
        with tf.Session() as session:
            for variable in variables:
                variable.load(WEIGHTS[variable.op.name], session)
            return dict(zip([v.op.name for v in variables], session.run(grads)))


def test_gradients_flow_and_agree_between_cell_and_fast_lstm():
    from_cell = gradients(lambda x: with_static_rnn(BasicLSTMCell(UNITS), x))
    from_dynamic = gradients(lambda x: with_dynamic_rnn(BasicLSTMCell(UNITS), x))
    from_fast = gradients(with_fast_lstm())
    for name in (KERNEL, BIAS):
        assert np.all(np.isfinite(from_cell[name])) and np.abs(from_cell[name]).max() > 1e-3
        np.testing.assert_allclose(from_dynamic[name], from_cell[name], rtol=0, atol=1e-5)
        np.testing.assert_allclose(from_fast[name], from_cell[name], rtol=0, atol=1e-5)


@pytest.mark.parametrize('save_from, restore_into', [
    (with_fast_lstm(), lambda x: with_static_rnn(BasicLSTMCell(UNITS), x)),
    (lambda x: with_dynamic_rnn(BasicLSTMCell(UNITS), x), with_fast_lstm()),
], ids=['fast-to-static_rnn', 'dynamic_rnn-to-fast'])
def test_checkpoints_restore_across_implementations(tmp_path, save_from, restore_into):
    checkpoint = str(tmp_path / 'lstm.ckpt')
    with tf.Graph().as_default():
        with tf.variable_scope('lstm'):
            outputs, _ = save_from(tf.constant(INPUTS))
        with tf.Session() as session:
            session.run(tf.global_variables_initializer())  # fresh random weights
            tf.train.Saver().save(session, checkpoint)
            saved = session.run(outputs)
    with tf.Graph().as_default():
        with tf.variable_scope('lstm'):
            outputs, _ = restore_into(tf.constant(INPUTS))
        with tf.Session() as session:
            tf.train.Saver().restore(session, checkpoint)
            restored = session.run(outputs)
    np.testing.assert_allclose(restored, saved, rtol=0, atol=1e-5)


def test_the_training_graph_summarises_the_lstm_variables_and_the_serving_one_does_not():
    # TensorBoard showed no statistics of the LSTM models' kernels (most of their weights).
    from graphs import layers
    with tf.Graph().as_default():
        with tf.variable_scope('lstm'):
            lstm(tf.constant(INPUTS), UNITS)
        names = {summary.op.name for summary in tf.get_collection(tf.GraphKeys.SUMMARIES)}
    assert {'lstm/rnn/kernel/summaries/mean', 'lstm/rnn/bias/summaries/stddev',
            'lstm/rnn/kernel/summaries/histogram'} <= names  # no `kernel_1`: no clash
    with tf.Graph().as_default(), layers.inference_graph():
        with tf.variable_scope('lstm'):
            lstm(tf.constant(INPUTS), UNITS)
        assert not tf.get_collection(tf.GraphKeys.SUMMARIES)
