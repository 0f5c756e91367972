"""What GET /monitoring/prometheus/metrics reports, in Prometheus's text format, kept by
prometheus_client in a registry of this server's own (the library's default one would
add the Python process's metrics, and be shared by every server in a test process).

Labels take only values the server chose: a route is a path's pattern, not the path, and
a model name is one that is loaded, so no client can make the answer grow."""
import time

from prometheus_client import (CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Gauge,
                               Histogram, generate_latest)

PREFIX = 'predict_server'
CONTENT_TYPE = CONTENT_TYPE_LATEST
# The routes as reported: every path maps to one of them (routes.route_label).
UNKNOWN_ROUTE = 'unknown'   # a path no endpoint serves
INVALID_ROUTE = 'invalid'   # a request refused before its path was looked at
# Seconds from a request's head being read to its answer being ready to write.
LATENCY_BUCKETS = (0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10)
# Images per session run: a /predict request's one image, batched with those that arrived
# with it (serving/batching.py); a TF Serving batch up to api's limit.
BATCH_SIZE_BUCKETS = (1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1000)


class Metrics:

    def __init__(self, models):
        self.registry = CollectorRegistry()
        self.requests = Counter(
            PREFIX + '_requests', 'Requests answered, by route and HTTP status.',
            ['route', 'status'], registry=self.registry)
        self.latency = Histogram(
            PREFIX + '_request_latency_seconds', 'Seconds from the request read to its '
            'answer ready to write, by model ("" for none; a,b for several) and route.',
            ['model', 'route'], buckets=LATENCY_BUCKETS, registry=self.registry)
        self.versions = Gauge(
            PREFIX + '_model_versions_loaded', 'Model versions loaded and serving (1 each), '
            'by model and version.', ['model', 'version'], registry=self.registry)
        self.reloads = Counter(
            PREFIX + '_model_reloads', 'New versions loaded and swapped in, by model.',
            ['model'], registry=self.registry)
        self.reload_failures = Counter(
            PREFIX + '_model_reload_failures', 'New versions that failed to load (the '
            'current one kept serving), by model.', ['model'], registry=self.registry)
        self.batch_sizes = Histogram(
            PREFIX + '_batch_size', 'Images per session run, by model.', ['model'],
            buckets=BATCH_SIZE_BUCKETS, registry=self.registry)
        self.loaded(models)

    def loaded(self, models):
        """The versions gauge lists `models` from now on, and only them."""
        self.versions.clear()
        for name, model in models.items():
            self.versions.labels(name, str(model.version)).set(1)
            # Reported as 0 from the start, not only after the first one.
            self.reloads.labels(name)
            self.reload_failures.labels(name)

    def answered(self, route, model, status, started):
        """One answer, counted before it is written; `started` (time.perf_counter) is None when the request was
        refused before it reached an endpoint (no latency to speak of)."""
        self.requests.labels(route, str(int(status))).inc()
        if started is not None:
            self.latency.labels(model, route).observe(time.perf_counter() - started)

    def ran_batch(self, models, size):
        """One session call ran `models` on `size` images."""
        for model in models:
            self.batch_sizes.labels(model).observe(size)

    def exposition(self):
        return generate_latest(self.registry)
