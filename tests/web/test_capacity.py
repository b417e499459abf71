"""A process at its capacity of live consoles refuses new learners cleanly (tutorial/admission.py):
the console shows a translated "server is full" line and closes with 4013 (htmx does not
reconnect in a loop), the lesson page answers 503 with a friendly page; below capacity again,
learners get in. The count is of live console sockets; dashboards are never refused."""

from __future__ import annotations

import html
import re

import pytest
from channels.db import database_sync_to_async
from channels.testing import HttpCommunicator, WebsocketCommunicator
from django.contrib.sessions.backends.db import SessionStore

from tutorial.admission import CLOSE_FULL, OCCUPANCY, ConsoleAdmission, Occupancy
from tutorial.asgi import application
from tutorial.sandbox.models import Sandbox
from tutorial.learners import LEARNER_SESSION_KEY

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]

ORIGIN = (b"origin", b"http://127.0.0.1")
SLUG = "deployment-basics"
TAG = re.compile(r"<[^>]+>")


@database_sync_to_async
def new_session(learner: str) -> str:
    session = SessionStore()
    session[LEARNER_SESSION_KEY] = learner
    session.create()
    return session.session_key


@database_sync_to_async
def sandbox_count() -> int:
    return Sandbox.objects.count()


async def open_console(learner: str, lang: str = "en") -> WebsocketCommunicator:
    key = await new_session(learner)
    communicator = WebsocketCommunicator(application, f"/ws/sandbox/{lang}/{SLUG}/",
                                         headers=[ORIGIN, (b"cookie", f"sessionid={key}".encode())])
    connected, _ = await communicator.connect(timeout=10)
    assert connected
    return communicator


async def refused_text(communicator: WebsocketCommunicator) -> str:
    fragment = await communicator.receive_from(timeout=5)
    assert 'id="console-output"' in fragment and "console-error" in fragment  # where output goes
    closed = await communicator.receive_output(timeout=5)
    assert closed == {"type": "websocket.close", "code": CLOSE_FULL}
    return html.unescape(TAG.sub("", fragment))


async def get(path: str) -> dict:
    communicator = HttpCommunicator(application, "GET", path, headers=[(b"host", b"127.0.0.1")])
    return await communicator.get_response(timeout=10)


async def test_a_full_process_refuses_the_next_console_with_a_translated_message(settings):
    settings.CONSOLE_CAPACITY = 2
    first = await open_console("learner-a")
    assert await first.receive_from(timeout=10)  # the full state
    second = await open_console("learner-b")
    assert await second.receive_from(timeout=10)
    assert OCCUPANCY.live == 2 and await sandbox_count() == 2

    third = await open_console("learner-c")
    assert "The server is full right now" in await refused_text(third)
    assert await sandbox_count() == 2  # the refused learner's sandbox is not even created
    korean = await open_console("learner-d", "ko")
    text = await refused_text(korean)
    assert "서버" in text and "The server" not in text

    # A place frees up: the next learner gets a console.
    await first.disconnect()
    fourth = await open_console("learner-c")
    assert "full" not in await fourth.receive_from(timeout=10)
    assert OCCUPANCY.live == 2
    await second.disconnect()
    await fourth.disconnect()
    assert OCCUPANCY.live == 0


async def test_the_lesson_page_answers_503_while_full_and_other_pages_are_served(settings):
    settings.CONSOLE_CAPACITY = 1
    page = await get(f"/en/lessons/{SLUG}/")
    assert page["status"] == 200
    console = await open_console("learner-a")
    assert await console.receive_from(timeout=10)

    page = await get(f"/en/lessons/{SLUG}/")
    assert page["status"] == 503
    headers = dict(page["headers"])
    assert headers[b"retry-after"] == b"60"
    body = page["body"].decode()
    assert "The server is full" in body and "reload this page" in body
    korean = (await get(f"/ko/lessons/{SLUG}/"))["body"].decode()
    assert "서버" in korean and "The server is full" not in korean
    assert (await get("/en/lessons/"))["status"] == 200  # the index starts no console
    assert (await get("/healthz"))["status"] == 200

    await console.disconnect()
    assert (await get(f"/en/lessons/{SLUG}/"))["status"] == 200


async def test_no_limit_with_capacity_zero_and_dashboards_are_not_counted(settings):
    settings.CONSOLE_CAPACITY = 0
    console = await open_console("learner-a")
    assert "full" not in await console.receive_from(timeout=10)
    # A class dashboard socket (closed 4003 for an anonymous user, but admitted and not counted).
    settings.CONSOLE_CAPACITY = 1
    dashboard = WebsocketCommunicator(application, "/ws/classes/en/1/", headers=[ORIGIN])
    connected, _ = await dashboard.connect(timeout=10)
    assert connected and OCCUPANCY.live == 1
    await dashboard.disconnect()
    await console.disconnect()


async def test_the_count_is_released_when_a_console_fails():
    occupancy = Occupancy()

    async def crashing(scope, receive, send):
        assert occupancy.live == 1
        raise RuntimeError("consumer crashed")

    middleware = ConsoleAdmission(crashing, occupancy)
    with pytest.raises(RuntimeError):
        await middleware({"type": "websocket", "path": "/ws/sandbox/en/x/"}, None, None)
    assert occupancy.live == 0


async def test_a_sandbox_opened_for_the_learners_own_kubectl_counts_against_the_capacity(settings, lesson_root):
    """kubeapi/live.py: the API may open a session here without any console; past the capacity
    kubectl gets a 503 Status saying the server is full, and the place is given back on leaving."""
    import json

    from tests.session.helpers import _sandbox
    from tutorial.kubeapi import live, route
    from tutorial.kubeapi.asgi import ApiRequest

    settings.CONSOLE_CAPACITY = 1
    sandbox, _lesson = await _sandbox("anon:api-capacity", "first-deployment")
    pods = ApiRequest("GET", "/api/v1/namespaces/default/pods", {}, {"accept": "application/json"}, b"")
    was = OCCUPANCY.live
    OCCUPANCY.live = 1  # a console holds the only place
    try:
        refused = await route.run_api_request(str(sandbox.pk), pods)
        assert refused.status == 503 and "server is full" in json.loads(refused.body)["message"]
        assert refused.headers["Retry-After"] == "60"
        OCCUPANCY.live = 0
        answered = await route.run_api_request(str(sandbox.pk), pods)
        assert answered.status == 200 and OCCUPANCY.live == 1  # the API's session holds the place
        await live._registry()[sandbox.pk].leave()
        assert OCCUPANCY.live == 0
    finally:
        OCCUPANCY.live = was
