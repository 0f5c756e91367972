"""tf.contrib.tfprof (TF 1.x's model analyzer): the parameter, FLOP and timing reports of a
graph, on TensorFlow's own profiler (tf.profiler), under contrib's names.

    tf.contrib.tfprof.model_analyzer.print_model_analysis(
        tf.get_default_graph(),
        tfprof_options=tf.contrib.tfprof.model_analyzer.TRAINABLE_VARS_PARAMS_STAT_OPTIONS)

Both of its modules, model_analyzer (print_model_analysis, advise, Profiler and the option
dicts) and tfprof_logger (write_op_log), are this one (tf1/api_contrib.py); ProfileContext,
which TensorFlow removed, is tf1/contrib_tfprof_context.py."""
from tensorflow.python.profiler import model_analyzer as _analyzer
from tensorflow.python.profiler import tfprof_logger as _logger

__all__ = ['print_model_analysis', 'advise', 'write_op_log', 'Profiler', 'ALL_ADVICE',
           'TRAINABLE_VARS_PARAMS_STAT_OPTIONS', 'FLOAT_OPS_OPTIONS', 'PRINT_ALL_TIMING_MEMORY']


def _options(**changes):
    """TF 1.x's profile options, with `changes`."""
    options = {'max_depth': 10000, 'min_bytes': 0, 'min_micros': 0, 'min_params': 0,
               'min_float_ops': 0, 'order_by': 'name', 'account_type_regexes': ['.*'],
               'start_name_regexes': ['.*'], 'trim_name_regexes': [],
               'show_name_regexes': ['.*'], 'hide_name_regexes': [],
               'account_displayed_op_only': True, 'select': ['params'], 'output': 'stdout',
               'dump_to_file': ''}
    options.update(changes)
    return options


def print_model_analysis(graph, run_meta=None, op_log=None, tfprof_cmd='scope',
                         tfprof_options=0):
    """The profile of `graph` (tf.profiler.profile): printed as the options say, and
    returned as a proto (total_parameters, total_float_ops ...)."""
    return _analyzer.profile(graph, run_meta, op_log, tfprof_cmd, tfprof_options)


def advise(graph, run_meta=None, tfprof_options=0):
    """tf.profiler.advise: the profiler's advice on `graph`."""
    return _analyzer.advise(graph, run_meta, tfprof_options)


def write_op_log(graph, log_dir, op_log=None, run_meta=None, add_trace=True):
    """tf.profiler.write_op_log: the graph's ops, for offline analysis."""
    _logger.write_op_log(graph, log_dir, op_log, run_meta, add_trace)


ALL_ADVICE = _analyzer.ALL_ADVICE
Profiler = _analyzer.Profiler
TRAINABLE_VARS_PARAMS_STAT_OPTIONS = _options(account_type_regexes=[_logger.TRAINABLE_VARIABLES])
FLOAT_OPS_OPTIONS = _options(min_float_ops=1, order_by='float_ops', select=['float_ops'])
PRINT_ALL_TIMING_MEMORY = _options(min_bytes=1, min_micros=1, select=['micros', 'bytes'])
