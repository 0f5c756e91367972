"""tf1's tf.contrib.grid_rnn against the answers of TF 1.15's own tests (grid_rnn_test.py:
constant initial weights, the same inputs and states), with its variable names, the
loops that run it and its errors."""
import numpy as np
import pytest
import tensorflow.compat.v1 as tf

from tf1.api import tensorflow as tf1_api

tf.disable_v2_behavior()
grid_rnn = tf1_api.contrib.grid_rnn

LSTM_STATE_2D = (([[0.1, 0.2]], [[0.3, 0.4]]), ([[0.5, 0.6]], [[0.7, 0.8]]))
LSTM_STATE_1D = (([[0.1, 0.2]], [[0.3, 0.4]]),)
LSTM_STATE_3D = LSTM_STATE_2D + (([[-0.1, -0.2]], [[-0.3, -0.4]]),)
RNN_STATE = ([[0.1, 0.1], [0.2, 0.2]], [[0.1, 0.1], [0.2, 0.2]])

# (cell, initial weights, inputs, state) -> TF 1.15's output and new state
TF_1_15_ANSWERS = [
    (lambda: grid_rnn.Grid2BasicLSTMCell(2), 0.2, [[1., 1., 1.]], LSTM_STATE_2D,
     ([[0.36617181, 0.36617181]],),
     (([[0.71053141, 0.71053141]], [[0.36617181, 0.36617181]]),
      ([[0.72320831, 0.80555487]], [[0.39102408, 0.42150158]]))),
    (lambda: grid_rnn.Grid2BasicLSTMCell(2, tied=True), 0.2, [[1., 1., 1.]], LSTM_STATE_2D,
     ([[0.36617181, 0.36617181]],),
     (([[0.71053141, 0.71053141]], [[0.36617181, 0.36617181]]),
      ([[0.72320831, 0.80555487]], [[0.39102408, 0.42150158]]))),
    (lambda: grid_rnn.Grid2BasicLSTMCell(2, non_recurrent_fn=tf.nn.relu), 0.2,
     [[1., 1., 1.]], LSTM_STATE_1D, ([[0.31667367, 0.31667367]],),
     (([[0.29530135, 0.37520045]], [[0.17044567, 0.21292259]]),)),
    (lambda: grid_rnn.Grid2LSTMCell(2, use_peepholes=True), 0.5, [[1., 1., 1.]],
     LSTM_STATE_2D, ([[0.95686918, 0.95686918]],),
     (([[2.41515064, 2.41515064]], [[0.95686918, 0.95686918]]),
      ([[1.38917875, 1.49043763]], [[0.83884692, 0.86036491]]))),
    (lambda: grid_rnn.Grid2LSTMCell(2, tied=True, use_peepholes=True), 0.5, [[1., 1., 1.]],
     LSTM_STATE_2D, ([[0.95686918, 0.95686918]],),
     (([[2.41515064, 2.41515064]], [[0.95686918, 0.95686918]]),
      ([[1.38917875, 1.49043763]], [[0.83884692, 0.86036491]]))),
    (lambda: grid_rnn.Grid2LSTMCell(2, use_peepholes=True, non_recurrent_fn=tf.nn.relu), 0.5,
     [[1., 1., 1.]], LSTM_STATE_1D, ([[2.1831727, 2.1831727]],),
     (([[0.92270052, 1.02325559]], [[0.66159075, 0.70475441]]),)),
    (lambda: grid_rnn.Grid2BasicRNNCell(2), 0.5, [[1., 1.], [2., 2.]], RNN_STATE,
     ([[0.94685763, 0.94685763], [0.99480951, 0.99480951]],),
     ([[0.94685763, 0.94685763], [0.99480951, 0.99480951]],
      [[0.80049908, 0.80049908], [0.97574311, 0.97574311]])),
    (lambda: grid_rnn.Grid2BasicRNNCell(2, tied=True), 0.5, [[1., 1.], [2., 2.]], RNN_STATE,
     ([[0.94685763, 0.94685763], [0.99480951, 0.99480951]],),
     ([[0.94685763, 0.94685763], [0.99480951, 0.99480951]],
      [[0.80049908, 0.80049908], [0.97574311, 0.97574311]])),
    (lambda: grid_rnn.Grid2BasicRNNCell(2, non_recurrent_fn=tf.nn.relu), 0.5, [[1., 1.]],
     ([[0.1, 0.1]],), ([[1.80049896, 1.80049896]],), ([[0.80049896, 0.80049896]],)),
    (lambda: grid_rnn.Grid1LSTMCell(2, use_peepholes=True), 0.5, [[1., 1., 1.]],
     LSTM_STATE_1D, ([[0.91287315, 0.91287315]],),
     (([[2.26285243, 2.26285243]], [[0.91287315, 0.91287315]]),)),
    (lambda: grid_rnn.Grid3LSTMCell(2, use_peepholes=True), 0.5, [[1., 1., 1.]],
     LSTM_STATE_3D, ([[0.96892911, 0.96892911]],),
     (([[2.45227885, 2.45227885]], [[0.96892911, 0.96892911]]),
      ([[1.33592629, 1.4373529]], [[0.80867189, 0.83247656]]),
      ([[0.7317788, 0.63205892]], [[0.56548983, 0.50446129]]))),
]


def as_arrays(structure):
    """Nested lists of numbers as arrays, the tuples kept."""
    if isinstance(structure, tuple):
        return tuple(as_arrays(item) for item in structure)
    return np.array(structure, np.float32)


def placeholders_like(structure):
    return tf.nest.map_structure(lambda value: tf.placeholder(tf.float32, value.shape),
                                 structure)


def run_step(make_cell, initial, inputs, state):
    inputs, state = np.array(inputs, np.float32), as_arrays(state)
    with tf.Graph().as_default(), tf.Session() as session:
        with tf.variable_scope('root', initializer=tf.constant_initializer(initial)):
            x, m = tf.placeholder(tf.float32, inputs.shape), placeholders_like(state)
            cell = make_cell()
            output, new_state = cell(x, m)
        session.run(tf.global_variables_initializer())
        feed = dict(zip(tf.nest.flatten(m), tf.nest.flatten(state)))
        feed[x] = inputs
        return cell, session.run((output, new_state), feed), tf.global_variables()


@pytest.mark.parametrize('make_cell, initial, inputs, state, output, new_state',
                         TF_1_15_ANSWERS)
def test_tf_1_15s_answers(make_cell, initial, inputs, state, output, new_state):
    cell, (got_output, got_state), _ = run_step(make_cell, initial, inputs, state)
    assert cell.state_size == tf.nest.map_structure(lambda value: np.shape(value)[1],
                                                    as_arrays(state))
    for got, expected in ((got_output, output), (got_state, new_state)):
        tf.nest.assert_same_structure(got, as_arrays(expected), check_types=False)
        for got_value, expected_value in zip(tf.nest.flatten(got),
                                                  tf.nest.flatten(as_arrays(expected))):
            np.testing.assert_allclose(got_value, expected_value, rtol=1e-5, atol=1e-6)


def test_the_variables_tf_1_15_named():
    *_, variables = run_step(lambda: grid_rnn.Grid2LSTMCell(2, non_recurrent_fn=tf.nn.relu),
                             0.5, [[1., 1., 1.]], LSTM_STATE_1D)
    assert [v.op.name for v in variables] == [
        'root/Grid2LSTMCell/project_m_0', 'root/Grid2LSTMCell/project_c_0',
        # the second dimension first: the first is the priority one
        'root/Grid2LSTMCell/recurrent/cell_1/lstm_cell/kernel',
        'root/Grid2LSTMCell/recurrent/cell_1/lstm_cell/bias',
        'root/Grid2LSTMCell/non_recurrent/cell_0/fully_connected/weights',
        'root/Grid2LSTMCell/non_recurrent/cell_0/fully_connected/biases']
    *_, tied = run_step(lambda: grid_rnn.Grid2BasicRNNCell(2, tied=True), 0.5, [[1., 1.]],
                        ([[0.1, 0.1]], [[0.1, 0.1]]))
    assert [v.op.name for v in tied] == [
        'root/Grid2BasicRNNCell/project_m_0',
        'root/Grid2BasicRNNCell/recurrent/basic_rnn_cell/kernel',
        'root/Grid2BasicRNNCell/recurrent/basic_rnn_cell/bias']


def test_a_concatenated_state_and_output_and_steps_reusing_the_weights():
    """TF 1.15's legacy test (state_is_tuple=False), and its Grid1LSTMCell run three
    steps with its variables reused and no input after the first."""
    with tf.Graph().as_default(), tf.Session() as session:
        with tf.variable_scope('root', initializer=tf.constant_initializer(0.5)) as scope:
            cell = grid_rnn.Grid2LSTMCell(2, use_peepholes=True, state_is_tuple=False,
                                          output_is_tuple=False)
            assert cell.state_size == 8
            output, state = cell(tf.ones([1, 3]), tf.constant(
                [[0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8]]), scope='legacy')
            grid = grid_rnn.Grid1LSTMCell(2, use_peepholes=True)
            steps = [grid(tf.ones([1, 3]), as_arrays(LSTM_STATE_1D), scope='grid')]
            scope.reuse_variables()
            for _ in range(2):  # a [0, 0] input: nothing to project
                steps.append(grid(tf.zeros([0, 0]), steps[-1][1], scope='grid'))
        session.run(tf.global_variables_initializer())
        got_output, got_state, got_steps = session.run([output, state, steps])
    np.testing.assert_allclose(got_output, [[0.95686918, 0.95686918]], rtol=1e-5)
    np.testing.assert_allclose(got_state, [[2.41515064, 2.41515064, 0.95686918, 0.95686918,
                                            1.38917875, 1.49043763, 0.83884692, 0.86036491]],
                               rtol=1e-5)
    for (step_output, ((c, h),)), expected_c, expected_h in zip(
            got_steps, (2.26285243, 2.79966092, 3.3529923),
            (0.91287315, 0.9032144, 0.92727238)):
        np.testing.assert_allclose(step_output[0], [[expected_h] * 2], rtol=1e-5)
        np.testing.assert_allclose(c, [[expected_c] * 2], rtol=1e-5)


def test_run_by_static_and_dynamic_rnn_with_a_batch_size_known_at_run_time():
    with tf.Graph().as_default(), tf.Session() as session:
        with tf.variable_scope('root', initializer=tf.constant_initializer(0.5)):
            inputs = [tf.placeholder(tf.float32, (None, 5))] * 6
            outputs, state = tf.nn.static_rnn(
                grid_rnn.Grid3LSTMCell(2, non_recurrent_fn=tf.nn.relu), inputs,
                dtype=tf.float32)
            sequence = tf.placeholder(tf.float32, (3, 6, 5))
            dynamic_outputs, _ = tf.nn.dynamic_rnn(grid_rnn.Grid2LSTMCell(2), sequence,
                                                   dtype=tf.float32, scope='dynamic')
        assert len(outputs) == 6 and outputs[0][0].shape.as_list() == [None, 2]
        assert len(state) == 2  # the non-recurrent first dimension has no state
        session.run(tf.global_variables_initializer())
        values, dynamic = session.run([outputs, dynamic_outputs], {
            inputs[0]: np.ones((3, 5)), sequence: np.ones((3, 6, 5))})
    assert all(np.isfinite(v).all() for v in tf.nest.flatten(values))
    assert dynamic[0].shape == (3, 6, 2) and np.isfinite(dynamic[0]).all()


def test_edge_cases_and_errors():
    with tf.Graph().as_default(), tf.Session() as session:
        with tf.variable_scope('root', initializer=tf.constant_initializer(0.5)):
            relu = grid_rnn.GridRNNCell(num_units=2, num_dims=1, input_dims=0, output_dims=0,
                                        non_recurrent_dims=0, non_recurrent_fn=tf.nn.relu)
            output, state = relu(tf.constant([[1., -1.], [-2, 1], [2, -1]]), ())
            silent = grid_rnn.GridRNNCell(num_units=2, num_dims=2, input_dims=0,
                                          non_recurrent_dims=0, non_recurrent_fn=tf.nn.relu)
            no_output, _ = silent(tf.ones([1, 2]), ((tf.zeros([1, 2]), tf.zeros([1, 2])),),
                                  scope='silent')
        session.run(tf.global_variables_initializer())
        assert state == () and no_output == ()
        np.testing.assert_allclose(session.run(output[0]), [[0, 0], [0, 0], [0.5, 0.5]])
    with pytest.raises(ValueError, match=r'Invalid dims: \[2\]. Must be in \[0, 2\)'):
        grid_rnn.GridRNNCell(2, num_dims=2, input_dims=2)
    with pytest.raises(ValueError, match='dims must be >= 1: 0'):
        grid_rnn.GridRNNCell(2, num_dims=0)
    with pytest.raises(TypeError, match='cell_fn must return an RNNCell instance'):
        grid_rnn.GridRNNCell(2, cell_fn=lambda n: object())
    with tf.Graph().as_default(), pytest.raises(ValueError, match='Expected state as a tuple '
                                                                  'of 2 element'):
        grid_rnn.Grid2LSTMCell(2)(tf.ones([1, 3]), ((tf.zeros([1, 2]), tf.zeros([1, 2])),))
    # Xavier's initial weights where the scope has no initializer (TF 1.15 failed there).
    with tf.Graph().as_default(), tf.Session() as session:
        output, _ = grid_rnn.Grid2LSTMCell(2, non_recurrent_fn=tf.nn.relu)(
            tf.ones([1, 3]), ((tf.zeros([1, 2]), tf.zeros([1, 2])),))
        session.run(tf.global_variables_initializer())
        assert np.isfinite(session.run(output[0])).all()
    assert grid_rnn.python.ops.grid_rnn_cell.Grid2LSTMCell is grid_rnn.Grid2LSTMCell
