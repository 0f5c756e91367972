"""tf.contrib.tfprof.ProfileContext (TF 1.x's tensorflow/python/profiler/profile_context.py,
ported; TF 2.x removed it): a context in which every Session.run is counted, chosen steps
are traced (RunOptions.FULL_TRACE) into a tfprof Profiler, profiled automatically and
dumped to `profile_dir/profile_STEP`, for the profiler's command line or UI.

    with tf.contrib.tfprof.ProfileContext('/tmp/train_dir', trace_steps=range(100, 200, 3),
                                          dump_steps=[200]) as pctx:
        pctx.add_auto_profiling('op', tf.profiler.ProfileOptionBuilder.time_and_memory(),
                                [150, 200])
        train_loop()

`enabled=False` makes it a context that does nothing (DeepLab's train.py always enters one,
enabled only with --profile_logdir)."""
import contextlib
import os
import random
import sys
import threading

from tensorflow.core.protobuf import config_pb2
from tensorflow.python.client import session
from tensorflow.python.framework import errors, ops
from tensorflow.python.platform import gfile
from tensorflow.python.profiler import model_analyzer
from tensorflow.python.util import _pywrap_tfprof, compat

WARMUP_STEPS = 10
MAX_TRACED_STEPS = 100
_PROFILE_COMMANDS = {'graph': 'profile_graph', 'scope': 'profile_name_scope',
                     'op': 'profile_operations', 'code': 'profile_python'}


def _profiled_init(self, target='', graph=None, config=None):
    self._profiler_init_internal(target, graph, config)


def _profiled_run(self, fetches, feed_dict=None, options=None, run_metadata=None):
    """Session.run inside the context: counted, and traced, dumped and profiled at the
    steps the context chose."""
    context = self.profile_context
    with context._new_step() as (step, locked):
        if locked and not context._is_fast_path(step):
            if context._should_trace(step, self.graph, fetches):
                if context._debug:
                    sys.stderr.write('debug: tracing step: %d\n' % step)
                run_metadata = run_metadata or config_pb2.RunMetadata()
                if not options:
                    options = config_pb2.RunOptions(
                        trace_level=config_pb2.RunOptions.FULL_TRACE)
                    old_trace_level = options.trace_level
                else:
                    old_trace_level = options.trace_level
                    options.trace_level = config_pb2.RunOptions.FULL_TRACE
                result = self._profiler_run_internal(fetches, feed_dict, options, run_metadata)
                if context._debug:
                    context._dump_file(run_metadata, 'run_meta_%d' % step)
                context.profiler._graph = self.graph
                context.profiler.add_step(step, run_metadata)
                options.trace_level = old_trace_level
            else:
                result = self._profiler_run_internal(fetches, feed_dict, options)
            context._maybe_dump(step)
            for command, profile_options, _ in context._profile_candidates():
                if command not in _PROFILE_COMMANDS:
                    raise ValueError('Unknown cmd: %s\n' % command)
                if context._debug:
                    sys.stderr.write('debug: profiling %s step: %d\n' % (command, step))
                profile = getattr(context.profiler, _PROFILE_COMMANDS[command])
                context._views.setdefault(command, {})[step] = profile(profile_options)
            return result
    return self._profiler_run_internal(fetches, feed_dict, options, run_metadata)


class ProfileContext:
    """Captures RunMetadata at chosen Session.run steps and profiles them.

    Args:
      profile_dir: where profiles are dumped.
      trace_steps: the steps to trace (at most 100); None: the first run of each set of
        fetches after 10 warm-up steps, and some random ones while coverage is low.
      dump_steps: the steps after which the profile is dumped; None: step 100.
      enabled: False makes the context do nothing.
      debug: also dump each traced RunMetadata as text, and say what it does.
    """

    def __init__(self, profile_dir, trace_steps=None, dump_steps=None, enabled=True,
                 debug=False):
        self._enabled = enabled
        if not self._enabled:
            return
        self._debug = debug
        if not profile_dir:
            raise ValueError('Must have a directory for profile.\n')
        self._profiler_dir = profile_dir
        if trace_steps is None:
            self._trace_steps, self._auto_tracing = set(), True
        else:
            if len(trace_steps) > MAX_TRACED_STEPS:
                raise ValueError('Only support tracing up to 100 steps.\n')
            self._trace_steps, self._auto_tracing = set(trace_steps[:]), False
        self._dump_steps = {MAX_TRACED_STEPS} if dump_steps is None else set(dump_steps[:])
        self._rng = random.Random(111)
        self._fetched = set()
        self._slow_path_steps = self._dump_steps | self._trace_steps
        self._trace_next_step = self._dump_next_step = False
        self._step = self._traced_steps = 0
        self._auto_profiles = []
        self._profiler = None
        self._views = {}
        self._lock = threading.Lock()

    def get_profiles(self, cmd):
        """{step: profile} of each step `cmd` (an add_auto_profiling command) ran at."""
        if cmd not in self._views:
            raise ValueError('No autoprofiler for command: {}, was run'.format(cmd))
        return self._views[cmd]

    def add_auto_profiling(self, cmd, options, profile_steps):
        """Trace and profile with `cmd` ('scope', 'op', 'code' or 'graph') and `options` at
        each of `profile_steps`."""
        if not self._enabled:
            return
        self._auto_profiles.append((cmd, options, profile_steps[:]))
        self._slow_path_steps |= set(profile_steps)
        self._trace_steps |= set(profile_steps)

    @property
    def profiler(self):
        """The tfprof Profiler the traces go to (None when disabled)."""
        if not self._enabled:
            return None
        if not self._profiler:
            self._profiler = model_analyzer.Profiler(ops.get_default_graph())
        return self._profiler

    def trace_next_step(self):
        if not self._enabled:
            return
        self._trace_next_step = True
        self._slow_path_steps.add(self._step)

    def dump_next_step(self):
        if not self._enabled:
            return
        self._dump_next_step = True
        self._slow_path_steps.add(self._step)

    def _is_fast_path(self, step):
        if step in self._slow_path_steps:
            return False
        # Steps to trace not given: chosen after the warm-up.
        return not (self._auto_tracing and step > WARMUP_STEPS and
                    self._traced_steps <= MAX_TRACED_STEPS)

    def _should_trace(self, step, graph, fetches):
        if self._traced_steps > MAX_TRACED_STEPS:
            return False
        if step in self._trace_steps or self._trace_next_step:
            self._traced_steps += 1
            return True
        if self._auto_tracing and step > WARMUP_STEPS:
            # Each new set of fetches once, then some random steps while coverage is low.
            with graph.as_default():
                fetch_names = [fetch.name for fetch in
                               session._FetchMapper.for_fetch(fetches).unique_fetches()]
            fetch_name = '-'.join(sorted(fetch_names))
            if self._debug:
                sys.stderr.write('debug: trace fetches: %s\n' % fetch_name)
            if fetch_name not in self._fetched:
                self._fetched.add(fetch_name)
                self._traced_steps += 1
                return True
            if (self.profiler._coverage < 0.5 and step < MAX_TRACED_STEPS and
                    self._rng.randint(0, 10) < 2):
                self._traced_steps += 1
                return True
        return False

    def _maybe_dump(self, step):
        if not (step in self._dump_steps or self._dump_next_step):
            return
        if self._debug:
            sys.stderr.write('debug: dumping file at step: %d\n' % step)
        gfile.MakeDirs(self._profiler_dir)
        self.profiler._write_profile(os.path.join(compat.as_bytes(self._profiler_dir),
                                                  compat.as_bytes('profile_%d' % step)))

    def _dump_file(self, pb, basename):
        gfile.MakeDirs(self._profiler_dir)
        with gfile.Open(os.path.join(self._profiler_dir, basename), 'w') as f:
            f.write('%s' % pb)

    @contextlib.contextmanager
    def _new_step(self):
        acquired = self._lock.acquire(False)
        yield self._step, acquired
        self._step += 1
        self._trace_next_step = self._dump_next_step = False
        if acquired:
            self._lock.release()

    def _profile_candidates(self):
        return [auto for auto in self._auto_profiles if self._step in auto[2]]

    def __enter__(self):
        if not self._enabled:
            return self
        self.old_run = getattr(session.BaseSession, 'run', None)
        self.old_init = getattr(session.BaseSession, '__init__', None)
        if getattr(session.BaseSession, '_profiler_run_internal', None) or getattr(
                session.BaseSession, '_profiler_init_internal', None):
            raise errors.InternalError(None, None,
                                       'Already in context or context not cleaned.')
        session.BaseSession.run = _profiled_run
        session.BaseSession.__init__ = _profiled_init
        session.BaseSession._profiler_run_internal = self.old_run
        session.BaseSession._profiler_init_internal = self.old_init
        session.BaseSession.profile_context = self
        return self

    def __exit__(self, exec_type, exec_value, exec_tb):
        if not self._enabled:
            return
        _pywrap_tfprof.DeleteProfiler()
        session.BaseSession.run = self.old_run
        session.BaseSession.__init__ = self.old_init
        session.BaseSession._profiler_run_internal = None
        session.BaseSession._profiler_init_internal = None
        session.BaseSession.profile_context = None
