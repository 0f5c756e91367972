"""tensorflow.python.eager.profiler, TF 1.14-1.15's profiler of eager programs (TF 2.2
replaced it with tf.profiler.experimental): `start()`, `result = stop()`,
`save(logdir, result)` writing the trace where TensorBoard's profile plugin reads it
(`logdir/plugins/profile/<time>/`), and start_profiler_server. On TensorFlow's own profiler,
which writes a run's files itself: `stop()` gives them as a directory, which `save` moves
into place (TF 1.x gave the trace's bytes)."""
import datetime
import os
import shutil
import tempfile

from tensorflow.python.platform import gfile
from tensorflow.python.profiler import profiler_v2

_session = {}  # the running profile's temporary directory


class ProfilerAlreadyRunningError(Exception):
    pass


class ProfilerNotRunningError(Exception):
    pass


def start():
    """Start profiling what runs from now on."""
    if _session:
        raise ProfilerAlreadyRunningError('Another profiler is running.')
    _session['logdir'] = tempfile.mkdtemp(prefix='tf1_profile_')
    profiler_v2.start(_session['logdir'])


def stop():
    """Stop profiling; the profile, for save()."""
    if not _session:
        raise ProfilerNotRunningError('Cannot stop profiling. No profiler is running.')
    profiler_v2.stop()
    return _session.pop('logdir')


def save(logdir, result):
    """Put the profile stop() gave under logdir/plugins/profile/<time>/."""
    runs = os.path.join(result, 'plugins', 'profile')
    run, = os.listdir(runs)
    plugin_dir = os.path.join(logdir, 'plugins', 'profile',
                              datetime.datetime.now().strftime('%Y-%m-%d_%H:%M:%S'))
    gfile.MakeDirs(os.path.dirname(plugin_dir))
    shutil.move(os.path.join(runs, run), plugin_dir)
    shutil.rmtree(result, ignore_errors=True)


def start_profiler_server(port):
    """Serve profiles on `port` to TensorBoard's capture (TF 1.15's gRPC server)."""
    profiler_v2.start_server(port)
