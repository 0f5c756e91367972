"""The endpoints: which handler answers each path and method, and the handlers, each
reading its request (serving/bodies.py), asking serving/api.py for the answer and sending
it (JSON, but for the metrics). A mixin of serving/http.py's PredictHandler, whose
dispatch calls routes()."""
import re
import time
from http import HTTPStatus

from serving import api, metrics
from serving.api import RequestError
from serving.feedback_routes import FeedbackEndpoints
from serving.bodies import (BATCH_MEMORY_WAIT_S, MAX_BATCH_BODY_BYTES,
                            PARSE_BYTES_PER_VALUE)

TF_SERVING_PATH = re.compile(r'/v1/models/(?P<name>[^/:]+)(?:/versions/(?P<version>[0-9]{1,18})'
                             r'|/labels/(?P<label>[^/:]+))?'
                             r'(?P<metadata>/metadata)?(?::(?P<verb>[a-z]+))?')
# TF Serving's other verbs, which take classification and regression signatures: ours
# (export_savedmodel.py's too) are predict signatures, so TF Serving would refuse them.
UNSIGNED_VERBS = {'classify': 'classification', 'regress': 'regression'}
METRICS_PATH = '/monitoring/prometheus/metrics'  # where TF Serving's monitoring puts them


def metric_labels(path, models):
    """(route, model) to count a request for `path` under: a route is the path's pattern
    (metrics.UNKNOWN_ROUTE for a path no endpoint serves), the model a loaded one's name
    or ""."""
    if path in ('/predict', '/models', '/health', '/feedback', METRICS_PATH):
        return path, ''
    match = TF_SERVING_PATH.fullmatch(path)
    if match is None or match.group('verb') not in (None, 'predict') or (
            match.group('metadata') and match.group('verb')) or match.group('label'):
        return metrics.UNKNOWN_ROUTE, ''
    route = ('/v1/models/NAME' + ('/versions/V' if match.group('version') else '')
             + ('/metadata' if match.group('metadata') else '')
             + (':predict' if match.group('verb') else ''))
    name = match.group('name')
    return route, name if name in models else ''


class Endpoints(FeedbackEndpoints):
    """The handlers of a PredictHandler (self.server is the PredictServer)."""

    def routes(self, path):
        """{method: handler} for a path, or None. TF Serving's paths carry the model name
        and maybe a version (`/v1/models/NAME[/versions/V]`, with `:predict` or
        `/metadata`); they are bound into the handler."""
        fixed = {'/predict': {'POST': self.post_predict},
                 '/models': {'GET': self.get_models},
                 '/health': {'GET': self.get_health},
                 '/feedback': {'GET': self.get_feedback, 'POST': self.post_feedback},
                 METRICS_PATH: {'GET': self.get_metrics}}
        if path in fixed:
            return fixed[path]
        match = TF_SERVING_PATH.fullmatch(path)
        if match is None:
            return None
        name, version, verb = match.group('name', 'version', 'verb')
        if match.group('label'):  # TF Serving's version labels (stable, canary ...)
            return dict.fromkeys(('GET', 'POST'), lambda: self.refuse_label(
                name, match.group('label')))
        if match.group('metadata'):
            if verb is None:
                return {'GET': lambda: self.get_tf_serving_metadata(name, version)}
        elif verb == 'predict':
            return {'POST': lambda: self.post_tf_serving_predict(name, version)}
        elif verb in UNSIGNED_VERBS:
            return {'POST': lambda: self.refuse_verb(name, version, verb)}
        elif verb is None:
            return {'GET': lambda: self.get_tf_serving_status(name, version)}
        return None

    # Each handler takes the models served (the loaded ones and their ensemble) once, and
    # uses them throughout: a reload then swaps in a new set for the requests that come
    # after (serving/reload.py).

    def post_predict(self):
        models = self.server.served
        payload = api.parse_json(self.read_body())
        pixels, names, preprocess, max_value = api.parse_predict_request(payload, list(models))
        self.metric_model = ','.join(names)
        answer = api.predict(self.server.runner, pixels, names, preprocess, models)
        answer['max_value'] = max_value
        self.send_json(HTTPStatus.OK, answer)

    def get_models(self):
        self.send_json(HTTPStatus.OK, api.models_answer(self.server.served))

    def get_health(self):
        self.send_json(HTTPStatus.OK, {
            'status': 'ok', 'models': list(self.server.models),
            'uptime_seconds': round(time.time() - self.server.started, 1)})

    def post_tf_serving_predict(self, name, version):
        models = self.server.served
        api.find_model(models, name, version)
        with self.batch_memory() as claim:
            size = api.BatchSize()  # checked as the body arrives, before json.loads
            body = self.read_body(MAX_BATCH_BODY_BYTES, claim, size)
            # json.loads first decodes the body to a str as long as it. The claim is sized
            # for json.loads, which gives the memory back after a batch: orjson kept ~30 MB
            # more after 8 MB batches (docs/serving.md), so not fast here.
            claim(len(body) + PARSE_BYTES_PER_VALUE * size.values, BATCH_MEMORY_WAIT_S)
            payload = api.parse_json(body, fast=False)
            del body
            images, signature, row_format = api.parse_tf_serving_request(payload)
            del payload
            # The whole batch in one session run, counted as a running request.
            scores, classes, _ = self.server.runner.run([name], images, models)[name]
        self.send_json(HTTPStatus.OK,
                       api.tf_serving_answer(signature, row_format, scores, classes))

    def get_tf_serving_status(self, name, version):
        self.send_json(HTTPStatus.OK, api.tf_serving_status(
            name, self.server.served.get(name), self.server.loading.get(name),
            self.server.retired.get(name, ()), version, self.server.failed.get(name)))

    def get_tf_serving_metadata(self, name, version):
        model = api.find_model(self.server.served, name, version)
        self.send_json(HTTPStatus.OK, api.tf_serving_metadata(model))

    def refuse_label(self, name, label):
        api.find_model(self.server.served, name)
        raise RequestError(HTTPStatus.NOT_FOUND, 'Unrecognized servable version label: %s '
                           '(this server labels no versions: use /v1/models/%s or '
                           '/v1/models/%s/versions/N)' % (api.clipped(label), name, name))

    def refuse_verb(self, name, version, verb):
        """TF Serving's answer to :classify or :regress on a predict signature."""
        api.find_model(self.server.served, name, version)
        raise RequestError(HTTPStatus.BAD_REQUEST, 'Expected %s signature method_name to be '
                           'tensorflow/serving/%s. Was: %s (this model\'s signatures are '
                           'predict signatures: POST :predict)' % (
                               UNSIGNED_VERBS[verb], verb, api.PREDICT_METHOD))

    def get_metrics(self):
        self.send_answer(HTTPStatus.OK, self.server.metrics.exposition(), metrics.CONTENT_TYPE)
