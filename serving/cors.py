"""CORS: only the allowed origins (--allow_origin) may read the answers, and a browser's
preflight (OPTIONS) is answered for the methods a path takes. A mixin of serving/http.py's
PredictHandler."""
import re
from http import HTTPStatus

from serving import api
from serving.api import RequestError


class Cors:
    """The CORS headers and preflight answers of a PredictHandler."""

    def allowed_origin(self):
        """The Origin header when it may read our answers, else None."""
        origin = self.headers.get('Origin') if getattr(self, 'headers', None) else None
        if not origin or not re.fullmatch(r'[!-~]+', origin):  # one printable ASCII word
            return None
        allowed = self.server.allowed_origins
        return origin if '*' in allowed or origin in allowed else None

    def send_cors_headers(self):
        origin = self.allowed_origin()
        if origin:
            self.send_header('Access-Control-Allow-Origin', origin)
        self.send_header('Vary', 'Origin')

    def answer_preflight(self, methods):
        origin = self.headers.get('Origin')
        if origin and self.allowed_origin() is None:
            raise RequestError(HTTPStatus.FORBIDDEN, 'origin %s is not allowed; start the server '
                               'with --allow_origin %s' % (api.clipped(origin),
                                                           api.clipped(origin)))
        self.send_response(HTTPStatus.NO_CONTENT)
        self.send_header('Allow', ', '.join(list(methods) + ['OPTIONS']))  # for any client
        self.send_header('Access-Control-Allow-Methods', ', '.join(list(methods) + ['OPTIONS']))
        self.send_header('Access-Control-Allow-Headers', 'Content-Type')
        self.send_header('Access-Control-Max-Age', '600')
        self.send_header('Content-Length', '0')
        self.send_cors_headers()
        if not self.body_consumed:
            self.drain_body()
        self.end_answer(HTTPStatus.NO_CONTENT)
