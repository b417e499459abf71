"""Django's HTTP side through tutorial.asgi (http_one_trip.DjangoInOneTrip): a page is one trip
to the thread, Django's request signals run, bodies and hostile requests get Django's answers."""

from __future__ import annotations

import asgiref.sync
import pytest
from channels.testing import HttpCommunicator
from django.core.signals import request_finished, request_started

from tutorial.asgi import application

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]

HOST = (b"host", b"127.0.0.1")


async def request(method: str, path: str, body: bytes = b"", headers=()) -> dict:
    communicator = HttpCommunicator(application, method, path, body=body, headers=[HOST, *headers])
    return await communicator.get_response(timeout=20)


@pytest.fixture
def trips(monkeypatch):
    """Names of the functions sent to a thread by sync_to_async while the test runs."""
    names: list[str] = []
    real = asgiref.sync.SyncToAsync.__call__

    async def counted(self, *args, **kwargs):
        names.append(getattr(self.func, "__qualname__", repr(self.func)))
        return await real(self, *args, **kwargs)

    monkeypatch.setattr(asgiref.sync.SyncToAsync, "__call__", counted)
    return names


async def test_a_lesson_page_is_one_trip_to_the_thread_with_django_signals_and_a_session(trips):
    signals: list[str] = []

    def started(**kwargs):
        signals.append("started")

    def finished(**kwargs):
        signals.append("finished")

    request_started.connect(started)
    request_finished.connect(finished)
    try:
        response = await request("GET", "/en/lessons/deployment-basics/")
    finally:
        request_started.disconnect(started)
        request_finished.disconnect(finished)
    assert response["status"] == 200
    assert b'id="console-output"' in response["body"]
    headers = dict(response["headers"])
    assert headers[b"content-type"].startswith(b"text/html")
    assert headers[b"set-cookie"].startswith(b"sessionid=")  # the anonymous learner's session
    assert all(value == value.strip() for _, value in response["headers"])  # as h11 requires
    assert trips == ["DjangoInOneTrip._respond"]  # Django's ASGI handler took 16
    assert signals == ["started", "finished"]  # the response was closed: connections go back


async def test_static_files_an_async_view_and_a_redirect():
    script = await request("GET", "/static/js/workspace.js")
    assert script["status"] == 200 and b"workspace" in script["body"]
    health = await request("GET", "/healthz")  # an async view, run by Django's WSGI handler
    assert health["status"] in (200, 503) and health["body"]
    head = await request("HEAD", "/static/js/workspace.js")
    assert head["status"] == 200 and head["body"] == b""
    assert dict(head["headers"])[b"content-length"] == str(len(script["body"])).encode()
    home = await request("GET", "/")
    assert home["status"] == 302 and dict(home["headers"])[b"location"].startswith(b"/")


async def test_bodies_and_hostile_requests_get_djangos_answers():
    # A form posted without its CSRF token: read, refused as Django refuses it.
    login = await request("POST", "/en/accounts/login/", b"username=a&password=b",
                          [(b"content-type", b"application/x-www-form-urlencoded")])
    assert login["status"] == 403
    # A body over DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MB), spooled to a file, not kept in memory.
    huge = await request("POST", "/en/accounts/login/", b"a=" + b"x" * 3_000_000,
                         [(b"content-type", b"application/x-www-form-urlencoded")])
    assert huge["status"] in (400, 403)
    repeated = await request("GET", "/en/", headers=[(b"x-a", b"1")] * 150)
    assert repeated["status"] == 400 and b"duplicate headers" in repeated["body"]
    missing = await request("GET", "/en/lessons/no-such-lesson/")
    assert missing["status"] == 404


async def test_a_client_that_leaves_before_its_body_is_whole_costs_nothing(trips):
    communicator = HttpCommunicator(application, "POST", "/en/accounts/login/", headers=[HOST])
    await communicator.send_input({"type": "http.request", "body": b"a=1", "more_body": True})
    await communicator.send_input({"type": "http.disconnect"})
    await communicator.wait(timeout=5)
    assert trips == []  # never sent to Django
