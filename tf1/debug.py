"""tfdbg, TF 1.x's debugger (`from tensorflow.python import debug as tf_debug`), with TF 1.x's
arguments. TF 2.x kept its wrapper sessions, hooks and watch functions but renamed the watch
lists (`node_name_regex_whitelist` -> `..._allowlist`, `watch_graph_with_blacklists` ->
`watch_graph_with_denylists`), dropped `log_usage` (usage logging, which did nothing outside
Google: accepted and ignored here), moved LocalCLIDebugWrapperSession's `ui_type` before
it, and removed the curses interface. `ui_type='curses'` (TF 1.x's default, and
debug_mnist.py's) opens the readline interface with one line saying so, as TF 1.x fell
back to readline where curses could not be imported."""
import sys

from tensorflow.python.debug.lib import debug_utils
from tensorflow.python.debug.wrappers import (dumping_wrapper, framework, grpc_wrapper, hooks,
                                              local_cli_wrapper)


def _ui_type(ui_type):
    if ui_type == 'curses':
        print("tfdbg: TensorFlow 2.x has no curses interface; the readline one opens instead",
              file=sys.stderr)
        return 'readline'
    return ui_type


class WatchOptions(framework.WatchOptions):
    """What a `watch_fn` returns: the debug ops and the node-name, op-type and dtype
    patterns of the tensors to watch (TF 1.x's `*_whitelist`, TF 2.x's `*_allowlist`)."""

    def __init__(self, debug_ops=None, node_name_regex_whitelist=None,
                 op_type_regex_whitelist=None, tensor_dtype_regex_whitelist=None,
                 tolerate_debug_op_creation_failures=False):
        super(WatchOptions, self).__init__(
            debug_ops, node_name_regex_whitelist, op_type_regex_whitelist,
            tensor_dtype_regex_whitelist, tolerate_debug_op_creation_failures)

    node_name_regex_whitelist = property(lambda self: self.node_name_regex_allowlist)
    op_type_regex_whitelist = property(lambda self: self.op_type_regex_allowlist)
    tensor_dtype_regex_whitelist = property(lambda self: self.tensor_dtype_regex_allowlist)


def watch_graph(run_options, graph, debug_ops='DebugIdentity', debug_urls=None,
                node_name_regex_whitelist=None, op_type_regex_whitelist=None,
                tensor_dtype_regex_whitelist=None, tolerate_debug_op_creation_failures=False,
                global_step=-1, reset_disk_byte_usage=False):
    """Adds watches of the graph's tensors that match every given pattern to run_options."""
    debug_utils.watch_graph(
        run_options, graph, debug_ops, debug_urls, node_name_regex_whitelist,
        op_type_regex_whitelist, tensor_dtype_regex_whitelist,
        tolerate_debug_op_creation_failures, global_step, reset_disk_byte_usage)


def watch_graph_with_blacklists(run_options, graph, debug_ops='DebugIdentity',
                                debug_urls=None, node_name_regex_blacklist=None,
                                op_type_regex_blacklist=None, tensor_dtype_regex_blacklist=None,
                                tolerate_debug_op_creation_failures=False, global_step=-1,
                                reset_disk_byte_usage=False):
    """Adds watches of the graph's tensors that match none of the given patterns."""
    debug_utils.watch_graph_with_denylists(
        run_options, graph, debug_ops, debug_urls, node_name_regex_blacklist,
        op_type_regex_blacklist, tensor_dtype_regex_blacklist,
        tolerate_debug_op_creation_failures, global_step, reset_disk_byte_usage)


# The wrapper sessions and hooks in TF 1.15's argument order; `log_usage` is ignored.

class DumpingDebugWrapperSession(dumping_wrapper.DumpingDebugWrapperSession):
    def __init__(self, sess, session_root, watch_fn=None, thread_name_filter=None,
                 pass_through_operrors=None, log_usage=True):
        super(DumpingDebugWrapperSession, self).__init__(
            sess, session_root, watch_fn=watch_fn, thread_name_filter=thread_name_filter,
            pass_through_operrors=pass_through_operrors)


class GrpcDebugWrapperSession(grpc_wrapper.GrpcDebugWrapperSession):
    def __init__(self, sess, grpc_debug_server_addresses, watch_fn=None,
                 thread_name_filter=None, log_usage=True):
        super(GrpcDebugWrapperSession, self).__init__(
            sess, grpc_debug_server_addresses, watch_fn=watch_fn,
            thread_name_filter=thread_name_filter)


class TensorBoardDebugWrapperSession(grpc_wrapper.TensorBoardDebugWrapperSession):
    def __init__(self, sess, grpc_debug_server_addresses, thread_name_filter=None,
                 send_traceback_and_source_code=True, log_usage=True):
        super(TensorBoardDebugWrapperSession, self).__init__(
            sess, grpc_debug_server_addresses, thread_name_filter=thread_name_filter,
            send_traceback_and_source_code=send_traceback_and_source_code)


class LocalCLIDebugWrapperSession(local_cli_wrapper.LocalCLIDebugWrapperSession):
    def __init__(self, sess, dump_root=None, log_usage=True, ui_type='curses',
                 thread_name_filter=None, config_file_path=False):
        super(LocalCLIDebugWrapperSession, self).__init__(
            sess, dump_root=dump_root, ui_type=_ui_type(ui_type),
            thread_name_filter=thread_name_filter, config_file_path=config_file_path)


class DumpingDebugHook(hooks.DumpingDebugHook):
    def __init__(self, session_root, watch_fn=None, thread_name_filter=None, log_usage=True):
        super(DumpingDebugHook, self).__init__(session_root, watch_fn=watch_fn,
                                               thread_name_filter=thread_name_filter)


class GrpcDebugHook(hooks.GrpcDebugHook):
    def __init__(self, grpc_debug_server_addresses, watch_fn=None, thread_name_filter=None,
                 log_usage=True):
        super(GrpcDebugHook, self).__init__(grpc_debug_server_addresses, watch_fn=watch_fn,
                                            thread_name_filter=thread_name_filter)


class TensorBoardDebugHook(hooks.TensorBoardDebugHook):
    def __init__(self, grpc_debug_server_addresses, thread_name_filter=None,
                 send_traceback_and_source_code=True, log_usage=True):
        super(TensorBoardDebugHook, self).__init__(
            grpc_debug_server_addresses, thread_name_filter=thread_name_filter,
            send_traceback_and_source_code=send_traceback_and_source_code)


class LocalCLIDebugHook(hooks.LocalCLIDebugHook):
    def __init__(self, ui_type='curses', dump_root=None, thread_name_filter=None,
                 config_file_path=None):
        super(LocalCLIDebugHook, self).__init__(
            ui_type=_ui_type(ui_type), dump_root=dump_root,
            thread_name_filter=thread_name_filter, config_file_path=config_file_path)
