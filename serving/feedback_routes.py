"""POST /feedback and GET /feedback: the page says what a drawing really was, and the
server keeps it (serving/feedback.py's store). A mixin of serving/routes.py's Endpoints.

    POST /feedback  {"image": [...], "label": 0..9, "max_value": 1 | 255}: the image as
                    for /predict (api.parse_pixels), not blank. Kept: the 28×28 the models
                    saw with normalisation on, and the drawing as sent. Answers GET's
                    summary with "kept": {"label", "record"}.
    GET /feedback   {"total", "counts": [per digit], "max_records"}

Guarded beyond /predict's limits, as it writes to disk: a page from an origin not allowed
(--allow_origin) is refused outright (403), not only kept from reading the answer; each
client address may post --feedback_per_minute drawings a minute (429 beyond); a full store
(--feedback_max_mb) answers 409."""
import collections
import threading
import time
from http import HTTPStatus

from graphs import imageops
from graphs.contract import NUM_CLASSES
from serving import api
from serving.api import RequestError
from serving.feedback import StoreFull, to_bytes

FEEDBACK_FIELDS = ('image', 'label', 'max_value')
# Client addresses the rate limit remembers; past that, the one seen longest ago is
# forgotten (by then its allowance has mostly come back anyway).
MAX_CLIENTS = 4096
# MNIST's digits have ink (a tenth of their brightest pixel or more: imageops.INK_THRESHOLD)
# on at most 44% of their 28×28; a drawing inked over more than this is a smear or a
# filled frame, nothing to train on.
MAX_INK_FRACTION = 0.6


class RateLimit:
    """At most `per_minute` posts a minute from each client (a token bucket: a burst of up
    to per_minute, then one every 60 / per_minute seconds); 0: no limit."""

    def __init__(self, per_minute, clock=time.monotonic):
        self.per_minute, self.clock = per_minute, clock
        self._buckets = collections.OrderedDict()  # client → (allowance, when)
        self._lock = threading.Lock()

    def wait(self, client):
        """0 when `client` may post now (and it is counted), else the seconds until it may."""
        if not self.per_minute:
            return 0
        with self._lock:
            now = self.clock()
            allowance, then = self._buckets.pop(client, (self.per_minute, now))
            allowance = min(self.per_minute, allowance + (now - then) * self.per_minute / 60)
            if allowance >= 1:
                allowance, wait = allowance - 1, 0
            else:
                wait = (1 - allowance) * 60 / self.per_minute
            self._buckets[client] = (allowance, now)
            while len(self._buckets) > MAX_CLIENTS:
                self._buckets.popitem(last=False)
            return wait


def parse_feedback_request(payload):
    """(pixels float32 [784] in 0..1, the drawing as kept: uint8 [784], label) from a
    decoded /feedback body."""
    if not isinstance(payload, dict):
        raise RequestError(HTTPStatus.BAD_REQUEST, 'expected an object {"image": [784 '
                           'pixels], "label": 0..9}')
    api.refuse_unknown_fields(payload, FEEDBACK_FIELDS)
    for field in ('image', 'label'):
        if field not in payload:
            raise RequestError(HTTPStatus.BAD_REQUEST, 'missing "%s"' % field)
    label = payload['label']
    if type(label) is not int or not 0 <= label < NUM_CLASSES:  # exact: a bool is no digit
        raise RequestError(HTTPStatus.BAD_REQUEST, '"label" must be the digit the drawing '
                           'shows, an integer 0..9')
    pixels, _ = api.parse_pixels(payload['image'], payload.get('max_value'))
    drawing = to_bytes(pixels)  # as it is kept: a speck fainter than a grey level is gone
    if not drawing.any():
        raise RequestError(HTTPStatus.BAD_REQUEST, 'the drawing is blank: nothing to keep')
    inked = (drawing >= imageops.INK_THRESHOLD * drawing.max()).mean()
    if inked > MAX_INK_FRACTION:
        raise RequestError(HTTPStatus.BAD_REQUEST, 'the drawing is not a digit: ink covers '
                           "%d%% of it (MNIST's digits at most 44%%)" % round(100 * inked))
    return pixels, drawing, label


class FeedbackEndpoints:
    """The /feedback handlers of a PredictHandler; the server's `feedback` (a
    FeedbackStore) and `feedback_rate` (a RateLimit) are set by predict_server.py."""

    def feedback_store(self):
        store = getattr(self.server, 'feedback', None)
        if store is None:
            raise RequestError(HTTPStatus.NOT_FOUND, 'this server keeps no feedback')
        return store

    def post_feedback(self):
        store = self.feedback_store()
        origin = self.headers.get('Origin')
        if origin is not None and self.allowed_origin() is None:
            raise RequestError(HTTPStatus.FORBIDDEN, 'origin %s may not send feedback; start '
                               'the server with --allow_origin %s' % (
                                   api.clipped(origin), api.clipped(origin)))
        wait = self.server.feedback_rate.wait(self.client_address[0])
        if wait:
            raise RequestError(HTTPStatus.TOO_MANY_REQUESTS, 'too many drawings: at most %d '
                               'a minute from one address; try again in %.0f s' % (
                                   self.server.feedback_rate.per_minute, wait + 0.5),
                               retry_after=wait)
        pixels, drawing, label = parse_feedback_request(api.parse_json(self.read_body()))
        image = api.model_input(pixels, preprocess=True)  # what /predict feeds the models
        try:
            total = store.append(to_bytes(image), drawing, label)
        except StoreFull as error:
            raise RequestError(HTTPStatus.CONFLICT, str(error))
        answer = store.summary()
        answer['kept'] = {'label': label, 'record': total - 1}
        self.send_json(HTTPStatus.OK, answer)

    def get_feedback(self):
        self.send_json(HTTPStatus.OK, self.feedback_store().summary())
