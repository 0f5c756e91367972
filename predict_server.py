"""Serve every trained model to the web page: a plain `http.server` backend.

    python predict_server.py [--host 127.0.0.1] [--port 8888] [--model_dir model]
                             [--models nn,cnn] [--allow_origin http://127.0.0.1:8000]
                             [--allowed_hosts digits.example] [--timeout 10]
                             [--poll_seconds 2] [--precision auto|fp32|bf16]
                             [--max_batch_size 32] [--feedback_dir user_data]
                             [--feedback_max_mb 64] [--feedback_per_minute 30]

At start-up each model/NAME/ that holds a checkpoint is restored once, into a graph and
session of its own, through the tensor-name contract alone (latest_checkpoint,
import_meta_graph, get_tensor_by_name): no model-building code is imported. Its variables
are then frozen into constants and the graph finalised, so a request can only feed and
fetch what is already there. Every --poll_seconds the model directory is looked at
again: a new checkpoint (a `checkpoint` file naming another step) is loaded, warmed up
and swapped in without a restart, a new model directory added, one without a checkpoint
unloaded (serving/reload.py). The models served are imported together into one graph,
so that one session call runs all a request asks for, side by side on the cores there
are; requests that arrive while a call runs are batched into the next one, up to
--max_batch_size images (serving/runner.py, serving/batching.py). A model's
milliseconds in an answer are those of the call that computed it, shared with the other
models and requests in that call. --precision auto serves a model in bf16 only where
bench/bf16_inference.py measured it faster and as accurate, on a CPU with bfloat16
instructions (serving/models.py; one line per model says which and why); docs/serving.md
says more. The work is done by the serving/ package; this file is the command: flags
and main.

    POST /predict   784 pixels, ink = high, as a bare JSON array (the original grid page's
                    body) or {"image": [...], "models": [...], "preprocess": true,
                    "max_value": 1 | 255}. Values are 0..1, or 0..255 when max_value says so
                    or any value is above 1. The drawing is normalised the way MNIST's digits
                    were (graphs/imageops.normalise_digit) unless "preprocess" is false.
                    Answers each model's digit, ten probabilities and milliseconds, plus the
                    28×28 image the models were fed.
    GET /models     the loaded models, with their test accuracy, training step and precision

With two models or more loaded, every answer above also has an `ensemble` entry, and
/v1/models/ensemble below serves it: the models' probabilities combined, with the weights
choose_ensemble.py wrote to model/ensemble.json while they fit the models loaded, else
their plain mean (serving/ensemble.py, docs/ensemble.md).
    GET /health     liveness: {"status": "ok", ...}
    POST /feedback  {"image": [...], "label": 0..9}: a drawing and the digit it really is,
                    kept in --feedback_dir as MNIST-style IDX files (serving/feedback.py),
                    durably, at most --feedback_per_minute from one address, up to
                    --feedback_max_mb. GET /feedback: how many are kept, per digit.

    POST /v1/models/NAME:predict   TensorFlow Serving's REST API, for clients written
    GET  /v1/models/NAME           against it: {"instances": [[784], ...]} or {"inputs":
    GET  /v1/models/NAME/metadata  ...}, signatures serving_default and predict_images as
                    export_savedmodel.py writes them (and the precision served); a batch
                    is one session run, fed as sent (no preprocessing; batched with
                    others when smaller than --max_batch_size), answered as TF Serving
                    would. A model's
                    version is its checkpoint's global step; /versions/V after NAME
                    names it (404 unless V is the version loaded).
    GET  /monitoring/prometheus/metrics   Prometheus's text format: requests by route and
                    status, latency by model and route, versions loaded, reloads, batch sizes.

Every error is JSON, {"error": "what was wrong"}, with a 4xx status; nothing a client sends
can stop the server or earn a 5xx. The defaults are safe to leave running: it listens on
127.0.0.1 only, answers only requests for its own host name (DNS rebinding), lets only the
local page's origin read its answers (CORS), serves no files, caps request bodies (64 KB,
8 MB for TF Serving batches), the request line (8 KB) and headers (16 KB), refuses
ambiguous framing, gives a client --timeout seconds to send a request's line and headers,
as long again for its body however it trickles them (slow-loris; past either, a JSON 408)
and as long to take each answer, and keeps at most --max_connections open: at the limit an
idle, trickling or non-reading connection is dropped to make room, or one with requests
waiting has the next answered 429 and is closed; when every connection is computing, the
newcomer gets a JSON 429 (serving/http.py says exactly how). Ctrl-C or SIGTERM: no new
connections, the requests under way finish (at most --timeout seconds), exit 0.
"""
import os
import re
import time

STARTED = time.time()  # before TensorFlow's import: start-up time is what users wait for
# TensorFlow turns oneDNN on by itself only on CPUs with AVX512-VNNI, AVX512-BF16 or AMX.
# Elsewhere (AVX2) the served models still run faster with it, and answer the same digits
# (bench/onednn_serving.py): on, unless the environment says otherwise. Read once, when
# TensorFlow is imported, so set before that.
os.environ.setdefault('TF_ENABLE_ONEDNN_OPTS', '1')

import argparse
import signal
import sys
import threading

from graphs import flag_types, precision, records
from serving.feedback import FeedbackStore, StoreError
from serving.feedback_routes import RateLimit
from serving.http import DEFAULT_MAX_CONNECTIONS, DEFAULT_ORIGINS, PredictServer
from serving.runner import DEFAULT_MAX_BATCH_SIZE


def parse_args(argv=None):
    parser = flag_types.ArgumentParser(description=__doc__.split('\n\n')[0],
                                       formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    parser.add_argument('--host', default='127.0.0.1', help='address to listen on')
    parser.add_argument('--port', type=flag_types.port, default=8888,
                        help='port (0: any free port)')
    parser.add_argument('--model_dir', default='model', help='holds one NAME/ dir per model')
    parser.add_argument('--models', type=model_subset, default='all',
                        help='comma-separated subset to serve, or all')
    parser.add_argument('--allow_origin', action='append', default=None, type=origin,
                        help='page origin allowed to call the API (repeatable, or *); '
                             'default: %s' % ' and '.join(DEFAULT_ORIGINS))
    parser.add_argument('--timeout', type=flag_types.positive_float, default=10,
                        help="seconds a client has to send a request's line and headers, and "
                             'again its body; also how long a keep-alive connection may idle')
    parser.add_argument('--allowed_hosts', type=lambda text: [n for n in text.split(',') if n],
                        default=[], help='comma-separated names the Host header may carry '
                        'besides the address listened on (and localhost when that is loopback)')
    parser.add_argument('--max_connections', type=flag_types.positive_int,
                        default=DEFAULT_MAX_CONNECTIONS,
                        help='connections open at once (a thread each); at the limit an idle '
                             'or slow one makes room for a newcomer')
    parser.add_argument('--poll_seconds', type=flag_types.non_negative_float, default=2,
                        help='how often to look for new checkpoints and model directories '
                             '(loaded and swapped in without a restart); 0: load once')
    parser.add_argument('--precision', choices=precision.CHOICES, default='auto',
                        help='auto: bf16 for the models bench/bf16_inference.py found faster '
                             'in it and as accurate (%s), on a CPU with bfloat16 '
                             'instructions; fp32 or bf16: every model' % ', '.join(
                                 precision.SERVING_BF16))
    parser.add_argument('--max_batch_size', type=flag_types.positive_int,
                        default=DEFAULT_MAX_BATCH_SIZE,
                        help='images one session call may run for the requests that '
                             'arrived together; 1: no batching')
    parser.add_argument('--feedback_dir', default='user_data',
                        help='where POST /feedback keeps the drawings people label, as IDX '
                             'files (made by the first one); empty: keep none')
    parser.add_argument('--feedback_max_mb', type=flag_types.positive_float, default=64,
                        help='cap on the feedback files together (about 1,600 drawings a MB)')
    parser.add_argument('--feedback_per_minute', type=flag_types.non_negative_int, default=30,
                        help='drawings one client address may send a minute (0: no limit)')
    return parser.parse_args(argv)


def model_subset(text):
    """--models: the names to serve, or [] for every model directory (`all`)."""
    if text == 'all':
        return []
    names = [name for name in text.split(',') if name]
    for name in names:
        if not records.is_model_name(name):
            raise argparse.ArgumentTypeError('%r is not a model name (a directory in '
                                             '--model_dir: %s)' % (name, records.MODEL_NAME_RULE))
    return names


def origin(text):
    """--allow_origin: an origin as browsers send it (scheme://host[:port], no path), `null`
    (a page opened from a file) or `*`."""
    if text in ('*', 'null') or re.fullmatch(r'[A-Za-z][A-Za-z0-9+.-]*://[^/\s?#]+', text):
        return text
    raise argparse.ArgumentTypeError(
        '%r is not an origin: give scheme://host[:port] with no path, as the page\'s '
        'address bar shows it (http://127.0.0.1:8000), or * for any' % text)


def main(argv=None):
    flags = parse_args(argv)
    # TensorFlow only now: --help and a bad flag answer at once (importing it takes seconds).
    from serving import models as serving_models
    from serving.reload import Reloader
    serving_models.use_graph_mode()
    names = flags.models or records.model_names(flags.model_dir)
    try:
        models = serving_models.load_models(flags.model_dir, names, flags.precision)
    except KeyboardInterrupt:
        sys.exit('Interrupted while loading the models.')
    if not models:
        sys.exit('error: no loadable model in %s/ (looked for %s); train one first, e.g. '
                 'python train_nn.py' % (flags.model_dir, ', '.join(names) or 'NAME/checkpoint'))
    feedback = open_feedback(flags) if flags.feedback_dir else (None, None)
    try:
        server = PredictServer((flags.host, flags.port), models,
                               tuple(flags.allow_origin or DEFAULT_ORIGINS), flags.timeout,
                               flags.max_connections, flags.allowed_hosts,
                               flags.model_dir, flags.max_batch_size)
    except OSError as error:
        sys.exit('error: cannot listen on %s:%d: %s' % (flags.host, flags.port,
                                                         error.strerror or error))
    server.feedback, server.feedback_rate = feedback
    host, port = server.server_address[:2]
    print('Serving %d model%s (%s) at http://%s:%d  (start-up %.1f s; POST /predict, '
          'GET /models, GET /health, /v1/models/NAME:predict; Ctrl-C stops)' % (
              len(models), '' if len(models) == 1 else 's', ', '.join(models), host, port,
              time.time() - STARTED), flush=True)
    server.ensembles.served(server.models)  # made now: the log says how it combines them
    stop_on_signals(server)
    reloader = Reloader(server, flags.model_dir, flags.models, flags.poll_seconds,
                        flags.precision)
    if flags.poll_seconds > 0:
        reloader.start()
    server.serve_forever()
    reloader.stop()
    print('Stopping: no new connections; finishing the requests under way (at most %g s)'
          % flags.timeout, flush=True)
    still_open = server.finish_requests(flags.timeout)
    server.server_close()
    if still_open:  # their sessions stay open, or they would fail: the exit ends them
        print('Stopped with %d connection%s still open.' % (
            still_open, '' if still_open == 1 else 's'), flush=True)
    else:
        for model in server.models.values():
            model.close()
        print('Stopped.', flush=True)


def open_feedback(flags):
    """(store, rate limit) for POST /feedback; a store left half-written by a kill is
    mended, one holding anything else stops the start-up."""
    try:
        store = FeedbackStore(flags.feedback_dir, int(flags.feedback_max_mb * 2 ** 20))
        summary = store.summary()
    except StoreError as error:
        sys.exit('error: %s' % error)
    print('Feedback: %d drawing%s kept in %s/%s' % (
        summary['total'], '' if summary['total'] == 1 else 's', flags.feedback_dir,
        ' (%s)' % store.recovered if store.recovered else ''), flush=True)
    return store, RateLimit(flags.feedback_per_minute)


def stop_on_signals(server):
    """Ctrl-C (SIGINT) and SIGTERM end serve_forever, from a thread of their own (shutdown
    waits for serve_forever, which runs in this one): main then finishes what is under
    way. A second signal is ignored; the grace period is bounded anyway."""
    def stop(signum, frame):
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        threading.Thread(target=server.shutdown, daemon=True).start()
    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)


if __name__ == '__main__':
    main()
