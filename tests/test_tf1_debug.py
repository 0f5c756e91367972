"""tfdbg with TF 1.x's arguments (tf1/debug.py): the watch lists by their TF 1.x names
(whitelist, blacklist) choose which tensors are dumped, `log_usage` is taken, the wrapper
sessions and hooks keep TF 1.15's argument order, and a script asking for TF 1.x's curses
interface gets the readline one, where a NaN is caught by the has_inf_or_nan filter."""
import glob
import os
import textwrap

import numpy as np
import tensorflow.compat.v1 as tf

from test_tf1_runner import tf1
from tf1.api_internals import moved_modules

tf.disable_v2_behavior()

MODULES = moved_modules()
tf_debug = MODULES['tensorflow.python.debug']


def small_graph():
    x = tf.placeholder(tf.float32, [None, 2], name='x')
    with tf.name_scope('hidden'):
        hidden = tf.nn.relu(tf.matmul(x, tf.get_variable('weights', [2, 3])), name='relu')
    return x, tf.reduce_sum(hidden, name='total')


def dumped_nodes(dump_root):
    """The node names of every tensor dumped under dump_root (one run)."""
    run_dir, = glob.glob(os.path.join(dump_root, 'run_*'))
    return {datum.node_name for datum in tf_debug.DebugDumpDir(run_dir).dumped_tensor_data}


def test_a_watch_fn_whitelist_chooses_the_dumped_tensors(tmp_path):
    def watch_fn(fetches, feeds):
        return tf_debug.WatchOptions(node_name_regex_whitelist=r'hidden/.*',
                                     op_type_regex_whitelist='Relu')

    with tf.Graph().as_default():
        x, total = small_graph()
        with tf.Session() as session:
            session.run(tf.global_variables_initializer())
            debug_session = tf_debug.DumpingDebugWrapperSession(
                session, str(tmp_path), watch_fn, None, None, False)  # log_usage: 6th
            debug_session.run(total, {x: np.ones((4, 2))})
    assert dumped_nodes(str(tmp_path)) == {'hidden/relu'}
    options = watch_fn(None, None)
    assert options.node_name_regex_whitelist == options.node_name_regex_allowlist == 'hidden/.*'
    assert MODULES['tensorflow.python.debug.wrappers.framework'].WatchOptions is (
        tf_debug.WatchOptions)


def test_watch_graph_by_whitelist_and_blacklist():
    debug_utils = MODULES['tensorflow.python.debug.lib.debug_utils']
    with tf.Graph().as_default() as graph:
        small_graph()
        allowed, denied = tf.RunOptions(), tf.RunOptions()
        debug_utils.watch_graph(allowed, graph, debug_urls='file:///tmp/unused',
                                node_name_regex_whitelist=r'hidden/.*',
                                op_type_regex_whitelist='Relu')
        tf_debug.watch_graph_with_blacklists(denied, graph, debug_urls='file:///tmp/unused',
                                             node_name_regex_blacklist=r'hidden/.*')
    watched = {w.node_name for w in allowed.debug_options.debug_tensor_watch_opts}
    assert watched == {'hidden/relu'}
    unwatched = {w.node_name for w in denied.debug_options.debug_tensor_watch_opts}
    assert 'total' in unwatched and not any(n.startswith('hidden/') for n in unwatched)


def test_the_dumping_hook_takes_log_usage(tmp_path):
    hooks = MODULES['tensorflow.python.debug.wrappers.hooks']
    with tf.Graph().as_default():
        x, total = small_graph()
        hook = hooks.DumpingDebugHook(
            str(tmp_path), lambda fetches, feeds: tf_debug.WatchOptions(
                op_type_regex_whitelist='Sum'), log_usage=False)
        with tf.train.MonitoredSession(hooks=[hook]) as session:
            session.run(total, {x: np.ones((1, 2))})
    assert dumped_nodes(str(tmp_path)) == {'total'}


def test_a_curses_cli_script_gets_the_readline_one_and_catches_the_nan(tmp_path):
    (tmp_path / 'nan.py').write_text(textwrap.dedent('''\
        import tensorflow as tf
        from tensorflow.python import debug as tf_debug
        x = tf.placeholder(tf.float32, [None], name='x')
        y = tf.log(x, name='y')
        sess = tf_debug.LocalCLIDebugWrapperSession(tf.Session(), None, False, 'curses')
        sess.add_tensor_filter('has_inf_or_nan', tf_debug.has_inf_or_nan)
        for step in range(3):
            print('step', step, sess.run(y, {x: [1.0, 1.0 - step]}))
        '''))
    # At the first run: run on until a tensor holds an inf or a NaN; there, go on; then
    # one more step.
    result = tf1(['nan.py'], str(tmp_path), stdin='run -f has_inf_or_nan\nrun\nrun\nrun\n')
    assert result.returncode == 0, result.stderr[-2000:]
    assert 'tfdbg: TensorFlow 2.x has no curses interface' in result.stderr
    output = result.stdout
    assert 'step 0 [0. 0.]' in output and 'step 2' in output
    # The filter let step 0 pass and stopped at step 1 (run #2), whose log(0) is -inf.
    caught = output.index('1 dumped tensor(s) passing filter "has_inf_or_nan"')
    assert output.index('run-end: run #2') < caught < output.index('step 1')
    assert 'Log     y:0' in output[caught:]


def test_the_other_hooks_and_wrappers_take_tf1s_argument_order(capsys):
    hooks = MODULES['tensorflow.python.debug.wrappers.hooks']
    cli_hook = hooks.LocalCLIDebugHook()  # TF 1.x's default interface: curses
    assert cli_hook._ui_type == 'readline'
    assert 'no curses interface' in capsys.readouterr().err
    grpc_hook = hooks.GrpcDebugHook(['localhost:6064'], None, 'MainThread', False)
    assert grpc_hook._thread_name_filter == 'MainThread'
    board_hook = hooks.TensorBoardDebugHook('localhost:6064', 'MainThread', False, False)
    assert board_hook._send_traceback_and_source_code is False
    with tf.Graph().as_default(), tf.Session() as session:
        grpc_session = tf_debug.GrpcDebugWrapperSession(session, 'localhost:6064', None,
                                                        'MainThread', False)
        assert grpc_session._thread_name_filter_pattern.pattern == 'MainThread'
        board_session = tf_debug.TensorBoardDebugWrapperSession(session, 'localhost:6064',
                                                                None, False, False)
        assert board_session._send_traceback_and_source_code is False
