"""Django's pages in one trip to the thread: the WSGI handler run whole by one sync_to_async call.

Why not Django's own ASGI handler: there each of the project's MiddlewareMixin middlewares runs
its process_request and process_response through sync_to_async, so a lesson page was 16 trips
between the event loop and the thread (request_started, the exception wrapper, six
process_request, process_view, the view, six process_response; tests/web/test_http_one_trip.py). Each trip waits for a
turn of the event loop, and with 1,000 learners on a process the loop is busy: a new learner's
lesson page took 250 ms at the median (bench/load.py), most of it waiting for turns. Here the
middleware, the view, Django's request signals and the response's close() all run in one call on
the same thread-sensitive thread as before, and the response is sent after: one trip.

The request body is spooled as Django's ASGI handler does (memory up to 64 KB, then a temporary
file) and Django's own limits apply to it (DATA_UPLOAD_MAX_MEMORY_SIZE); the environ is built by
asgiref's WSGI adapter. Responses are sent whole: every page and static file of this site is small
(the largest static file is 325 KB); nothing here streams.
"""

from __future__ import annotations

from tempfile import SpooledTemporaryFile

from asgiref.sync import sync_to_async
from asgiref.wsgi import WsgiToAsgiInstance
from django.core.handlers.wsgi import WSGIHandler

BODY_IN_MEMORY_BYTES = 65536  # as Django's ASGIHandler and asgiref's WsgiToAsgi


class DjangoInOneTrip:
    """ASGI application for Django's HTTP side (asgi.py routes WebSockets elsewhere)."""

    def __init__(self, wsgi_application=None):
        self.wsgi_application = wsgi_application or WSGIHandler()

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            raise ValueError(f"{type(self).__name__} serves HTTP only, not {scope['type']!r}")
        with SpooledTemporaryFile(max_size=BODY_IN_MEMORY_BYTES) as body:
            while True:
                message = await receive()
                if message["type"] == "http.disconnect":
                    return  # the client left before its request was whole
                body.write(message.get("body", b""))
                if not message.get("more_body"):
                    break
            body.seek(0)
            status, headers, content = await sync_to_async(self._respond, thread_sensitive=True)(scope, body)
        await send({"type": "http.response.start", "status": status, "headers": headers})
        # A HEAD answer has the GET's headers and no body (RFC 9110 9.3.2; h11 refuses one).
        await send({"type": "http.response.body", "body": b"" if scope["method"] == "HEAD" else content})

    def _respond(self, scope, body) -> tuple[int, list, bytes]:
        """On the thread: the whole WSGI request, closed (Django's request_finished) before return."""
        adapter = WsgiToAsgiInstance(self.wsgi_application)
        adapter.scope = scope
        try:
            environ = adapter.build_environ(scope, body)
        except ValueError:  # asgiref's limit on repeated headers
            return 400, [(b"content-type", b"text/plain")], b"Bad Request: Too many duplicate headers"
        started: list = []

        def start_response(status, response_headers, exc_info=None):
            started[:] = [status, response_headers]

        response = self.wsgi_application(environ, start_response)
        try:
            content = b"".join(response)
        finally:
            close = getattr(response, "close", None)
            if close is not None:
                close()
        status, response_headers = started
        # Django's WSGI handler writes Set-Cookie as " name=value; …" (a WSGI server strips it;
        # an ASGI server such as uvicorn's h11 refuses it): stripped as its ASGI handler does.
        headers = [(name.lower().encode("latin1"), value.strip().encode("latin1")) for name, value in response_headers]
        return int(status.split(" ", 1)[0]), headers, content
