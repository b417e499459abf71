"""The console WebSocket through Channels' WebsocketCommunicator, against the real simulator."""

from __future__ import annotations

import asyncio
import html
import json
import re

import pytest
import pytest_asyncio
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.contrib.sessions.backends.db import SessionStore

from tutorial.asgi import application
from tutorial.sandbox.models import Sandbox
from tutorial.learners import LEARNER_SESSION_KEY

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]

ORIGIN = (b"origin", b"http://127.0.0.1")


@database_sync_to_async
def new_session(learner: str = "learner-a") -> str:
    session = SessionStore()
    session[LEARNER_SESSION_KEY] = learner
    session.create()
    return session.session_key


class Console:
    """A learner's console: sends JSON like the htmx ws extension, collects the HTML it gets."""

    def __init__(self, communicator: WebsocketCommunicator):
        self.communicator = communicator
        self.received: list[str] = []

    async def send(self, message) -> None:
        text = message if isinstance(message, str) else json.dumps(message)
        await self.communicator.send_to(text_data=text)

    async def command(self, line: str) -> None:
        # What the ws extension sends for the console form (its HEADERS are ignored).
        await self.send({"command": line, "HEADERS": {"HX-Request": "true", "HX-Trigger": "console-form"}})

    async def next_message(self, timeout: float) -> str | None:
        # receive_from(timeout=...) would cancel the application when it times out (asgiref's
        # ApplicationCommunicator), so poll with receive_nothing, which does not.
        if await self.communicator.receive_nothing(timeout=max(timeout, 0.01), interval=0.01):
            return None
        return await self.communicator.receive_from(timeout=1)

    async def wait_for(self, pattern: str, timeout: float = 10.0) -> str:
        """Receive messages until the console output text matches `pattern`; returns that text."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            text = self.output_text()
            if re.search(pattern, text):
                return text
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise AssertionError(f"{pattern!r} never appeared; console shows:\n{text}")
            message = await self.next_message(min(remaining, 0.2))
            if message is not None:
                self.received.append(message)

    async def drain(self, seconds: float) -> list[str]:
        """Collect everything sent during `seconds`."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + seconds
        got = []
        while (remaining := deadline - loop.time()) > 0:
            message = await self.next_message(min(remaining, 0.2))
            if message is not None:
                got.append(message)
        self.received.extend(got)
        return got

    def output_text(self, messages: list[str] | None = None) -> str:
        """The console text as a learner reads it: full renders restart it, appends extend it."""
        text = ""
        for message in self.received if messages is None else messages:
            for match in re.finditer(r'(<pre id="console-output"[^>]*>)(.*?)</pre>', message, re.S):
                body = html.unescape(re.sub(r"<[^>]+>", "", match.group(2)))
                text = text + body if 'hx-swap-oob="beforeend"' in match.group(1) else body
        return text

    def last_view(self) -> str:
        views = [m for message in self.received for m in re.findall(r'<section id="cluster-view".*?</section>', message, re.S)]
        return views[-1] if views else ""


async def open_console(session_key: str | None, *, lang: str = "ko", slug: str = "first-deployment") -> tuple[Console, bool, int | None]:
    headers = [ORIGIN]
    if session_key:
        headers.append((b"cookie", f"sessionid={session_key}".encode()))
    communicator = WebsocketCommunicator(application, f"/ws/sandbox/{lang}/{slug}/", headers=headers)
    connected, code = await communicator.connect(timeout=10)
    return Console(communicator), connected, code


@pytest_asyncio.fixture
async def console(lesson_root):
    key = await new_session()
    con, connected, _ = await open_console(key)
    assert connected
    await con.drain(0.3)
    await con.send({"speed": 20})
    yield con
    await con.communicator.disconnect()


async def test_first_message_is_the_full_console_state(lesson_root):
    con, connected, _ = await open_console(await new_session())
    assert connected
    first = await con.communicator.receive_from(timeout=10)  # arrives at once
    for element in ('id="console-output"', 'id="console-controls"', 'id="cluster-view"', 'id="console-history"'):
        assert element in first
    assert "아직 디플로이먼트, 레플리카셋, 파드가 없습니다." in first  # rendered in the route's language
    await con.communicator.disconnect()


async def test_a_command_output_arrives(console):
    await console.command("kubectl create -f kubia-deployment.yaml")
    text = await console.wait_for(r"deployment\.apps/kubia created\n")
    assert "$ kubectl create -f kubia-deployment.yaml\n" in text
    await console.command("ls")
    await console.wait_for(r"kubia-deployment\.yaml")


async def test_errors_from_kubectl_are_shown_as_kubectl_prints_them(console):
    await console.command("kubectl get deployment nope")
    await console.wait_for(r'Error from server \(NotFound\): deployments.apps "nope" not found')


async def test_pods_turn_ready_in_the_live_view(console):
    await console.command("kubectl create -f kubia-deployment.yaml")
    loop = asyncio.get_running_loop()
    deadline = loop.time() + 15
    while console.last_view().count("pod pod--ready") < 3:
        assert loop.time() < deadline, console.last_view()
        await console.drain(0.2)
    view = console.last_view()
    assert 'data-name="kubia"' in view and "rev 1" in view
    assert re.search(r'<span class="counts"[^>]*>3/3/3</span>', view)  # ready/current/desired of the ReplicaSet


async def test_get_watch_streams_and_cancel_stops_it(console):
    await console.command("kubectl create -f kubia-deployment.yaml")
    await console.wait_for("created")
    await console.command("kubectl get pods -w")
    await console.wait_for(r"NAME\s+READY\s+STATUS")
    # As simulated time passes the watch prints the pods' new states.
    await console.wait_for(r"kubia-\S+\s+1/1\s+Running", timeout=15)
    await console.send({"cancel": True})
    text = await console.wait_for(r"\^C\n")
    after_cancel = await console.drain(1.0)
    assert console.output_text(after_cancel) == ""  # nothing streams any more
    assert text.rstrip().endswith("^C")
    await console.command("kubectl get deploy kubia")
    await console.wait_for(r"kubia\s+3/3\s+3\s+3")


async def test_a_second_command_waits_for_the_running_one(console):
    await console.command("kubectl get pods -w")
    await console.drain(0.3)
    await console.command("kubectl get deploy")
    await console.wait_for(re.escape("아직 명령이 실행 중입니다. 먼저 Ctrl+C로 중지하세요."))  # the console speaks Korean on /ko/


async def test_reconnect_resumes_the_same_cluster(lesson_root):
    key = await new_session()
    first, connected, _ = await open_console(key)
    assert connected
    await first.command("kubectl create -f kubia-deployment.yaml")
    await first.wait_for("created")
    await first.communicator.disconnect()

    # Same learner, other language: same sandbox, transcript and history restored.
    again, connected, _ = await open_console(key, lang="en")
    assert connected
    text = await again.wait_for("deployment.apps/kubia created")
    assert "$ kubectl create -f kubia-deployment.yaml" in text
    state = again.received[0]
    assert 'data-name="kubia"' in state
    assert "kubectl create -f kubia-deployment.yaml" in html.unescape(re.search(r'data-history="([^"]*)"', state).group(1))
    await again.command("kubectl get deployments")
    await again.wait_for(r"kubia\s+\d/3")
    await again.communicator.disconnect()
    assert await database_sync_to_async(Sandbox.objects.count)() == 1


async def test_another_session_cannot_reach_the_sandbox(lesson_root):
    owner, connected, _ = await open_console(await new_session("learner-a"))
    await owner.command("kubectl create -f kubia-deployment.yaml")
    await owner.wait_for("created")
    await owner.communicator.disconnect()

    stranger, connected, _ = await open_console(await new_session("learner-b"))
    assert connected
    await stranger.command("kubectl get deployments")
    await stranger.wait_for("No resources found in default namespace.")
    assert "kubectl create" not in stranger.output_text()
    await stranger.communicator.disconnect()

    # No session at all: accepted, then closed with 4003 so htmx does not retry.
    anonymous, connected, _ = await open_console(None)
    assert connected
    assert (await anonymous.communicator.receive_output(timeout=5)) == {"type": "websocket.close", "code": 4003}


async def test_unknown_lesson_or_language_is_closed(lesson_root):
    key = await new_session()
    for lang, slug in (("ko", "no-such-lesson"), ("fr", "first-deployment")):
        con, connected, _ = await open_console(key, lang=lang, slug=slug)
        assert connected
        assert (await con.communicator.receive_output(timeout=5)) == {"type": "websocket.close", "code": 4004}


async def test_foreign_origin_is_rejected(lesson_root):
    key = await new_session()
    communicator = WebsocketCommunicator(
        application, "/ws/sandbox/ko/first-deployment/",
        headers=[(b"origin", b"http://evil.example"), (b"cookie", f"sessionid={key}".encode())])
    connected, _ = await communicator.connect(timeout=5)
    assert not connected


@pytest.mark.parametrize("message,expected", [
    ("this is not json", "Could not read the message"),
    ("[1, 2]", "Could not read the message"),
    ('{"foo": 1}', "Unknown message"),
    ('{"command": 42}', '"command" must be text.'),
    ('{"complete": null}', '"complete" must be text.'),
    ('{"speed": 3}', "Speed must be one of ×1, ×5, ×20."),
    (json.dumps({"command": "x" * 9000}), "Message too large: the limit is 8 KB."),
    (json.dumps({"command": "k " * 2100}), "Command too long: the limit is 4000 characters."),
])
async def test_hostile_messages_get_a_clear_answer(lesson_root, message, expected):
    con, connected, _ = await open_console(await new_session(), lang="en")
    assert connected
    await con.send(message)
    await con.wait_for(re.escape(expected))
    # ...and the console still works.
    await con.command("kubectl get pods")
    await con.wait_for("No resources found in default namespace.")
    await con.communicator.disconnect()


async def test_hostile_messages_are_answered_in_korean_on_korean_pages(lesson_root):
    con, _, _ = await open_console(await new_session(), lang="ko")
    await con.send("{")
    await con.wait_for(re.escape('메시지를 읽을 수 없습니다. {"command": "kubectl get pods"} 같은 JSON이어야 합니다.'))
    await con.communicator.disconnect()


async def test_binary_messages_are_refused(lesson_root):
    con, _, _ = await open_console(await new_session(), lang="en")
    await con.communicator.send_to(bytes_data=b"\x00\x01")
    await con.wait_for("Only text messages are accepted.")
    await con.communicator.disconnect()


async def test_a_flood_is_rate_limited_with_one_clear_message(lesson_root):
    con, _, _ = await open_console(await new_session(), lang="en")
    await con.drain(0.2)
    for index in range(200):
        await con.command(f"echo {index}")
    got = await con.drain(1.0)
    warnings = sum(message.count("Too many messages: at most 20 commands per second.") for message in got)
    assert warnings == 1
    await asyncio.sleep(1.1)  # the bucket refills
    await con.command("kubectl get pods")
    await con.wait_for("No resources found in default namespace.")
    await con.communicator.disconnect()


async def test_an_exception_inside_a_command_is_reported_and_the_sandbox_kept(console, monkeypatch, caplog):
    await console.command("kubectl create -f kubia-deployment.yaml")
    await console.wait_for("created")
    from simulator import Cluster

    original_start = Cluster.start

    def broken_start(self, line, env=None):
        original_start(self, "kubectl delete deployment kubia")  # a half-done change that must be undone
        raise RuntimeError("boom")

    monkeypatch.setattr(Cluster, "start", broken_start)
    await console.command("kubectl scale deployment kubia --replicas=5")
    await console.wait_for("명령을 실행하는 중 내부 오류가 발생했습니다. 오류를 기록했고 샌드박스는 바뀌지 않았습니다.")
    assert "boom" in caplog.text
    monkeypatch.undo()
    await console.command("kubectl get deployment kubia")
    await console.wait_for(r"kubia\s+\d/3")


async def test_clear_history_and_completion(console):
    await console.command("kubectl create -f kubia-deployment.yaml")
    await console.wait_for("created")
    await console.send({"clear": True})
    await console.drain(0.3)
    assert console.output_text() == ""
    await console.send({"complete": "kubectl rollo"})
    await console.drain(0.5)
    completion = [m for m in console.received if 'id="console-completion"' in m][-1]
    assert 'data-for="kubectl rollo"' in completion and 'data-value="kubectl rollout "' in completion


async def test_speed_and_pause_controls(console):
    await console.send({"pause": True})
    await console.drain(0.3)
    controls = [m for m in console.received if 'id="console-controls"' in m][-1]
    assert '"pause": false' in controls  # the button now resumes
    sandbox = await database_sync_to_async(Sandbox.objects.get)()
    assert sandbox.paused is True
    await console.send({"speed": 5})
    await console.drain(0.3)
    sandbox = await database_sync_to_async(Sandbox.objects.get)()
    assert (sandbox.speed, sandbox.paused) == (5, False)


async def test_reset_message_gives_a_fresh_cluster(console):
    await console.command("kubectl create -f kubia-deployment.yaml")
    await console.wait_for("created")
    await console.send({"reset": True})
    await console.wait_for("샌드박스를 초기화했습니다.")
    await console.command("kubectl get deployments")
    await console.wait_for("No resources found in default namespace.")


async def test_two_windows_on_one_sandbox_are_both_live(lesson_root):
    """One session, two sockets: a command from either shows in both (terminal and cluster view);
    closing one leaves the other running."""
    key = await new_session()
    first, _, _ = await open_console(key, lang="en")
    await first.drain(0.3)
    second, connected, _ = await open_console(key, lang="en")
    assert connected
    await second.drain(0.3)
    await first.command("kubectl create -f kubia-deployment.yaml")
    await first.wait_for("deployment.apps/kubia created")
    await second.wait_for("deployment.apps/kubia created")
    await second.send({"speed": 20})
    loop = asyncio.get_running_loop()
    deadline = loop.time() + 15
    while "kubia-" not in first.last_view() or "kubia-" not in second.last_view():
        assert loop.time() < deadline, "the pods never showed in both cluster views"
        await first.drain(0.1)
        await second.drain(0.1)
    await second.command("kubectl get deployments")
    await first.wait_for("NAME +READY")
    assert "opened in another window" not in first.output_text() + second.output_text()
    await second.communicator.disconnect()
    await first.command("kubectl scale deployment kubia --replicas=1")
    await first.wait_for("deployment.apps/kubia scaled")
    await first.communicator.disconnect()


async def test_random_hostile_messages_never_break_the_console(lesson_root):
    """Seeded fuzz: junk built from JSON fragments; every message is answered or ignored, and the
    console still runs commands afterwards (no exception closes the socket)."""
    import random

    rng = random.Random(1234)
    alphabet = ["{", "}", "[", "]", '"', ":", ",", "command", "cancel", "speed", "complete", "null",
                "1", "-1e999", "true", "x", " ", "\\u0000", "\\ud800", "한"]
    samples = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30))) for _ in range(30)]
    samples += [json.dumps({"command": rng.choice(["kubectl", "k get", "cat nope", "ls -la", "kubectl get pods -o yaml"])})
                for _ in range(5)]
    samples += [json.dumps({"speed": "20"}), json.dumps({"pause": "maybe"}), json.dumps({"complete": "k"})]
    con, _, _ = await open_console(await new_session(), lang="en")
    await con.drain(0.2)
    for sample in samples:
        await con.send(sample)
        await con.drain(0.06)  # stay under the rate limit
    await con.send({"cancel": True})
    await con.drain(0.2)
    await con.command("kubectl get pods")
    await con.wait_for("No resources found in default namespace.")
    await con.communicator.disconnect()


async def test_lone_surrogates_in_json_are_replaced_not_echoed(lesson_root):
    con, _, _ = await open_console(await new_session(), lang="en")
    await con.send('{"command": "ls \\ud800"}')
    await con.wait_for(r"\$ ls \?")
    assert "\ud800" not in "".join(con.received)
    await con.communicator.disconnect()
